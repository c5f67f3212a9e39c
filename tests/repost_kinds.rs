//! The default rules and stages on hand-written reposts that mix the kinds of residual
//! noise corpus text keeps (spam suffixes, labelled summaries, keyword lines, prev/next
//! links, breadcrumbs, contact boxes, sales blurbs, related headlines without a heading,
//! disclaimers, captions, pinyin glosses, betting-tip pages with hot lists, data notes and
//! paywalls, product pages with keyword clouds, template fields and sales profiles), and
//! on clean texts whose lines have noise-like shapes (interview turns, an announced list,
//! slogans) that must come out unchanged. Each `NAME.txt` under tests/fixtures/reposts is
//! cleaned and compared with `NAME.expected.txt`.

use std::fs;
use std::path::Path;

use rinse::{Cleaner, Document, Ruleset};

#[test]
fn reposts_come_out_as_their_expected_bodies() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reposts");
    let cleaner = Cleaner::new(Ruleset::defaults());
    let mut names: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".txt") && !n.ends_with(".expected.txt"))
        .collect();
    names.sort();
    assert!(names.len() >= 6, "fixtures missing: {names:?}");
    let mut failures = Vec::new();
    for name in &names {
        let raw = fs::read_to_string(dir.join(name)).unwrap();
        let expected = fs::read_to_string(dir.join(name.replace(".txt", ".expected.txt"))).unwrap();
        let got = cleaner.clean(&Document::from_text(&raw)).unwrap();
        if got.body != expected {
            let edits: Vec<String> = got
                .edits
                .iter()
                .filter(|e| e.rule != "whitespace.normalize")
                .map(|e| format!("  {} line {}: {:?}", e.rule, e.line, e.removed))
                .collect();
            failures.push(format!(
                "{name}:\n--- expected\n{expected}--- got\n{}edits:\n{}",
                got.body,
                edits.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
