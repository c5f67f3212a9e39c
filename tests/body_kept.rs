//! The body is sacred: clean texts of the kinds the rules and stages are most likely to
//! mistake for chrome come out whole (white space aside). Each `tests/fixtures/body/*.txt`
//! is a hand-written article: numbered steps (a number on its own line, `第一步：`),
//! product specs, short quoted lines, short paragraphs, verse announced by a colon, a
//! list announced without one, people's names in a row, a notice with its hotline, an
//! interview asking several people the same questions, two code snippets importing the
//! same modules, closing slogans and remarks, further methods named at the end, a FAQ,
//! a novel's dialogue, steps numbered on their own lines near the top, a timeline of
//! years, a court report about copyright, a legal adviser and comment counts, a chorus
//! repeated in a song, lottery news reporting responsible-gaming advice, and news about
//! licences. A failure names the rule or stage and the line it removed.

use std::fs;
use std::path::Path;

use rinse::{Cleaner, Document, Ruleset};

fn normalised(text: &str) -> String {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .map(|l| l + "\n")
        .collect()
}

#[test]
fn clean_articles_of_risky_kinds_come_out_whole() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/body");
    let cleaner = Cleaner::new(Ruleset::defaults());
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    assert!(names.len() >= 25, "fixtures missing: {names:?}");
    let mut failures = Vec::new();
    for name in &names {
        let raw = fs::read_to_string(dir.join(name)).unwrap();
        let got = cleaner.clean(&Document::from_text(&raw)).unwrap();
        if got.body != normalised(&raw) {
            let removed: Vec<String> = got
                .edits
                .iter()
                .filter(|e| e.rule != "whitespace.normalize")
                .map(|e| format!("  {} line {}: {:?}", e.rule, e.line, e.removed))
                .collect();
            failures.push(format!("{name}:\n{}", removed.join("\n")));
        }
    }
    assert!(
        failures.is_empty(),
        "body removed:\n{}",
        failures.join("\n")
    );
}
