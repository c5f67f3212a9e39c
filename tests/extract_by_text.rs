//! HTML pages whose markup has no clear article container (every block a child of
//! `<body>`, or paragraphs separated by `<br>`) are decided by the same text classifier as
//! whole-page text dumps, so the two modes agree; pages with a clear container, and flat
//! pages that are only an article, are left to the markup.

use rinse::{engine::replay, Cleaned, Cleaner, Document, Ruleset};

use crate::util::root;

/// The whole-page dump fixture: its first line is the page `<title>`.
fn dump() -> String {
    std::fs::read_to_string(root().join("tests/fixtures/pages/park.txt")).unwrap()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An HTML page from the lines of a text: the first line is the `<title>`; the others are
/// blocks, one `wrap` each (URL lines become images), inside `<body>` or one `<div>`.
fn html_of(text: &str, flat: bool, wrap: impl Fn(&str) -> String) -> String {
    let mut lines = text.lines();
    let title = escape(lines.next().unwrap());
    let body: String = lines
        .map(|l| {
            if l.starts_with("http") {
                format!("<img src=\"{}\">\n", escape(l))
            } else {
                wrap(&escape(l))
            }
        })
        .collect();
    let (open, close) = if flat { ("", "") } else { ("<div>", "</div>") };
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body>{open}\n{body}{close}</body></html>"
    )
}

fn clean(name: &str, bytes: &[u8]) -> (Document, Cleaned) {
    let doc = rinse::input::decode(bytes, name, &Default::default()).unwrap();
    let out = Cleaner::new(Ruleset::defaults()).clean(&doc).unwrap();
    assert_eq!(replay(&doc.text, &out.edits).unwrap(), out.body);
    (doc, out)
}

#[test]
fn markup_without_a_container_is_decided_like_its_text_dump() {
    let text = dump();
    let (_, from_text) = clean("park.txt", text.as_bytes());
    let shapes = [
        html_of(&text, true, |l| format!("<p>{l}</p>\n")),
        html_of(&text, false, |l| format!("{l}<br>\n")),
    ];
    for html in shapes {
        let (doc, out) = clean("park.html", html.as_bytes());
        assert_eq!(out.body, from_text.body, "{html}");
        // The extractor says why: the markup is weak, and the classifier decided.
        let hints = out.page_hints(&doc).unwrap();
        let by_text = hints.report.by_text.as_deref().unwrap();
        assert!(by_text.contains("no clear article container"), "{by_text}");
        assert!(by_text.contains("a whole page"), "{by_text}");
        let line_of = |needle: &str| doc.text.lines().position(|l| l.contains(needle)).unwrap();
        let why = |needle: &str| hints.reason(line_of(needle)).unwrap().to_string();
        assert_eq!(why("网友评论"), "after the article (the text classifier)");
        assert_eq!(why("注册"), "before the article (the text classifier)");
        assert!(why("步道的设计").starts_with("in the article the text classifier found"));
        let headline = hints.report.headline.as_ref().unwrap();
        assert_eq!(
            doc.text.lines().nth(headline.first).unwrap(),
            "市民公园新增三条步道 周末游客明显增多"
        );
        // `rinse explain` shows the extractor's view, including the text classifier's.
        let note = hints.explain(line_of("网友评论")).unwrap();
        assert!(
            note.contains("markup:     no clear article container"),
            "{note}"
        );
    }
}

#[test]
fn a_clear_container_is_left_to_the_markup() {
    let text = dump();
    let lines: Vec<&str> = text.lines().collect();
    // The same page with its article in a container and the chrome around it.
    let p =
        |ls: &[&str]| -> String { ls.iter().map(|l| format!("<p>{}</p>", escape(l))).collect() };
    let html = format!(
        "<html><head><title>{}</title></head><body><div class=\"nav\">{}</div>\
         <div class=\"article\"><h1>{}</h1>{}</div><div class=\"comments\">{}</div>\
         <div class=\"footer\">{}</div></body></html>",
        escape(lines[0]),
        p(&lines[2..13]),
        escape(lines[13]),
        p(&[&lines[20..22], &lines[23..26]].concat()),
        p(&lines[26..41]),
        p(&lines[41..]),
    );
    let (doc, out) = clean("park.html", html.as_bytes());
    let hints = out.page_hints(&doc).unwrap();
    assert_eq!(hints.report.by_text, None);
    assert!(out
        .body
        .starts_with("市民公园新增三条步道 周末游客明显增多\n今年春天"));
    assert!(!out.body.contains("停车位"));
}

#[test]
fn flat_markup_that_is_only_an_article_is_left_to_the_markup() {
    // The seeds are article reposts: as flat pages the classifier finds no page chrome to
    // speak of and leaves them to the markup (and the rules), as it does their text.
    for seed in std::fs::read_dir(root().join("seeds")).unwrap() {
        let path = seed.unwrap().path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let html = html_of(&text, true, |l| format!("<p>{l}</p>\n"));
        let (doc, out) = clean("seed.html", html.as_bytes());
        let hints = out.page_hints(&doc).unwrap();
        let by_text = hints.report.by_text.as_deref().unwrap_or_default();
        assert!(
            by_text.contains("no clear article container"),
            "{path:?}: {by_text}"
        );
        assert!(by_text.contains("not a whole page"), "{path:?}: {by_text}");
        assert!(
            (0..doc.text.lines().count())
                .all(|i| !hints.reason(i).unwrap().contains("text classifier")),
            "{path:?}"
        );
    }
}
