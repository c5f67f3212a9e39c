//! The default rules' own examples, run as part of the test suite.

use rinse::engine::examples;
use rinse::rules::Ruleset;
use rinse::Cleaner;

#[test]
fn every_default_rule_example_passes() {
    let cleaner = Cleaner::new(Ruleset::defaults());
    let report = examples::run(&cleaner, &[]);
    assert!(report.ok(), "{report}");
    assert!(
        report.rules > 30 && report.examples > 2 * report.rules,
        "{report}"
    );
}

#[test]
fn every_default_rule_has_a_positive_and_a_negative_example() {
    let rs = Ruleset::defaults();
    let missing: Vec<String> = examples::missing(&rs)
        .into_iter()
        .map(|(r, why)| format!("{} ({}:{}): {why}", r.id, r.origin.file, r.origin.line))
        .collect();
    assert!(missing.is_empty(), "{missing:#?}");
    // Built-in stages are exempt, but every file rule is checked.
    let file_rules = rs
        .rules()
        .iter()
        .filter(|r| r.origin.file != "<built-in>")
        .count();
    assert!(file_rules > 30);
}
