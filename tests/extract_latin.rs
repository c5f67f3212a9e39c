//! Latin-script pages (English news, a French blog with a table and a list, German docs
//! with code) written for these tests, and site selectors steering the extraction.

use std::path::Path;

use rinse::rules::{Limits, RuleSource, Ruleset};
use rinse::{Cleaner, Document};

fn page(name: &str) -> (Document, String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/html/latin");
    let bytes = std::fs::read(dir.join(format!("{name}.html"))).unwrap();
    let expected = std::fs::read_to_string(dir.join(format!("{name}.expected.txt"))).unwrap();
    let doc = rinse::input::decode(&bytes, &format!("{name}.html"), &Default::default()).unwrap();
    (doc, expected)
}

#[test]
fn latin_pages_keep_headline_and_body_only() {
    let cleaner = Cleaner::new(Ruleset::defaults());
    for name in ["harbour-news", "recette-blog", "docs-page"] {
        let (doc, expected) = page(name);
        let out = cleaner.clean(&doc).unwrap();
        assert_eq!(out.body, expected, "{name}");
        assert_eq!(
            rinse::engine::replay(&doc.text, &out.edits).unwrap(),
            out.body
        );
    }
}

#[test]
fn news_page_metadata_and_reasons() {
    let (doc, _) = page("harbour-news");
    let out = Cleaner::new(Ruleset::defaults()).clean(&doc).unwrap();
    let m = &out.metadata;
    assert_eq!(m.author.as_deref(), Some("Megan Price"));
    assert_eq!(m.published.as_deref(), Some("2024-10-03T08:15:00+01:00"));
    assert_eq!(m.site_name.as_deref(), Some("The Westbay Courier"));
    assert_eq!(m.lang.as_deref(), Some("en-GB"));
    assert_eq!(
        m.url.as_deref(),
        Some("https://www.westbay-courier.example/news/harbour-wall-repairs")
    );
    // Every removed line has a reason; the report names the chosen container.
    let hints = out.page_hints(&doc).unwrap();
    let report = &hints.report;
    assert!(
        report.main.as_ref().unwrap().label.contains("story-body"),
        "{report:?}"
    );
    let line_of = |needle: &str| doc.text.lines().position(|l| l.contains(needle)).unwrap();
    let why = |needle: &str| hints.reason(line_of(needle)).unwrap().to_string();
    assert!(
        why("About time too").contains("outside the main content"),
        "{}",
        why("About time too")
    );
    assert!(why("About time too").contains("runner-up"));
    assert!(why("Harbour wall repairs to finish").starts_with("the headline"));
    assert!(why("Repairs to the eastern").starts_with("inside the main content"));
    assert!(
        why("Photo: Council handout").contains("outside"),
        "{}",
        why("Photo: Council handout")
    );
}

fn with_site_rules(text: &str) -> Result<Cleaner, String> {
    let mut sources = RuleSource::defaults();
    sources.push(RuleSource {
        name: "sites/westbay.toml".into(),
        relative: "sites/westbay.toml".into(),
        text: text.into(),
        default: false,
    });
    Ruleset::from_sources(&sources, Limits::default())
        .map(Cleaner::new)
        .map_err(|d| d.to_string())
}

#[test]
fn site_selectors_steer_main_content_and_noise() {
    let (mut doc, _) = page("harbour-news");
    doc.url = Some("https://www.westbay-courier.example/news/harbour-wall-repairs".into());
    // This site wants its reader comments kept and its bullet list dropped.
    let c = with_site_rules(
        r#"
scope = { hosts = ["*.westbay-courier.example"] }

[extract]
main = ["main"]
noise = ["div.story-body ul", ".share-tools", ".tags", "figure", ".byline"]
"#,
    )
    .unwrap();
    let out = c.clean(&doc).unwrap();
    assert!(out.body.contains("About time too."), "{}", out.body);
    assert!(
        !out.body.contains("The slipway will reopen"),
        "{}",
        out.body
    );
    assert!(out
        .body
        .starts_with("Harbour wall repairs to finish before winter storms\n"));
    let hints = out.page_hints(&doc).unwrap();
    let i = doc
        .text
        .lines()
        .position(|l| l.contains("The slipway will reopen"))
        .unwrap();
    let why = hints.reason(i).unwrap();
    assert!(
        why.contains("`div.story-body ul` from sites/westbay.toml:6"),
        "{why}"
    );
    assert_eq!(
        rinse::engine::replay(&doc.text, &out.edits).unwrap(),
        out.body
    );

    // Out of scope (another host): the default extraction decides.
    doc.url = Some("https://elsewhere.example/a".into());
    let out = c.clean(&doc).unwrap();
    assert!(!out.body.contains("About time too."));
    assert!(out.body.contains("The slipway will reopen"));
}

#[test]
fn bad_selectors_are_rules_check_errors() {
    let err = with_site_rules("[extract]\nmain = [\"div[\", \"#ok\"]\nnoise = [1]\nextra = []\n")
        .err()
        .unwrap();
    assert!(err.contains("`extract.main`: not a CSS selector"), "{err}");
    assert!(
        err.contains("every item of `extract.noise` must be a string"),
        "{err}"
    );
    assert!(err.contains("unknown field `extra`"), "{err}");
    assert!(with_site_rules("[extract]\n")
        .err()
        .unwrap()
        .contains("lists no selector"));
}
