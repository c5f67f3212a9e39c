//! The TOML snippets in docs/rules.md are valid rule files whose examples pass, so the
//! documentation cannot drift from the schema.

use rinse::engine::examples;
use rinse::rules::{Limits, RuleSource, Ruleset};
use rinse::Cleaner;

fn toml_blocks(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    for line in md.lines() {
        let t = line.trim_start();
        match (&mut cur, t) {
            (None, "```toml") => cur = Some(String::new()),
            (Some(_), "```") => out.push(cur.take().unwrap()),
            (Some(b), _) => {
                // Blocks inside list items are indented; strip the indentation.
                b.push_str(
                    line.strip_prefix("   ")
                        .unwrap_or(line)
                        .trim_start_matches(' '),
                );
                b.push('\n');
            }
            _ => {}
        }
    }
    out
}

#[test]
fn every_toml_snippet_in_the_docs_loads_and_its_examples_pass() {
    let md =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md")).unwrap();
    let blocks = toml_blocks(&md);
    assert!(blocks.len() >= 9, "{}", blocks.len());
    for (i, b) in blocks.iter().enumerate() {
        let mut sources = RuleSource::defaults();
        sources.push(RuleSource {
            name: format!("docs/rules.md block {i}"),
            relative: format!("docs-{i}.toml"),
            text: b.clone(),
            default: false,
        });
        let rs = match Ruleset::from_sources(&sources, Limits::default()) {
            Ok(rs) => rs,
            Err(d) => panic!("block {i}:\n{b}\n{d}"),
        };
        let ids: Vec<String> = rs
            .rules()
            .iter()
            .filter(|r| !r.origin.default)
            .map(|r| r.id.clone())
            .collect();
        let report = examples::run(&Cleaner::new(rs), &ids);
        assert!(report.ok(), "block {i}:\n{b}\n{report}");
    }
}

/// Every diagnostic code is in the docs' table with its name, and `rinse rules explain`
/// knows it by code and by name.
#[test]
fn every_diagnostic_code_is_documented_and_explained() {
    let md = std::fs::read_to_string(crate::util::root().join("docs/rules.md")).unwrap();
    for c in rinse::rules::Code::ALL {
        assert!(
            md.contains(&format!("| {} | `{}` |", c.as_str(), c.name())),
            "docs/rules.md lacks {c}"
        );
        for key in [c.as_str(), c.name()] {
            let o = crate::util::rinse()
                .args(["rules", "explain", key])
                .output()
                .unwrap();
            assert!(o.status.success(), "{key}");
            let text = String::from_utf8_lossy(&o.stdout);
            assert!(
                text.starts_with(&format!("{} ({})", c.as_str(), c.name())),
                "{text}"
            );
            assert!(text.contains(&c.explanation()[..30]), "{text}");
        }
    }
    let o = crate::util::rinse()
        .args(["rules", "explain", "R999"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}
