//! `rinse stats` on the seeds.

use assert_cmd::Command;

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("rinse")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn table_snapshot() {
    let (code, out) = run(&["stats", "seeds"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
}

#[test]
fn json_counts() {
    let (_, out) = run(&["stats", "seeds", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["documents"], 5);
    let rules = v["rules"].as_array().unwrap();
    let img = rules
        .iter()
        .find(|r| r["rule"] == "image.url-line")
        .unwrap();
    assert_eq!(img["documents"], 1);
    assert_eq!(img["edits"], 17);
    assert_eq!(img["lines"], 17);
    let share: f64 = rules.iter().map(|r| r["share"].as_f64().unwrap()).sum();
    assert!((share - 1.0).abs() < 1e-9, "shares add up to 1: {share}");
    assert!(!v["never_fired"].as_array().unwrap().is_empty());
    assert!(v["warnings"].as_array().unwrap().is_empty());
}

#[test]
fn greedy_rules_are_warned_about_once_per_rule() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("greedy.toml"),
        r#"
[[rule]]
id = "footer.greedy"
category = "footer"
description = "A deliberately bad footer marker that fires near the top."
action = "drop-rest"
regex = '''雁塔区'''
"#,
    )
    .unwrap();
    // Forty copies of the seed the rule misfires on.
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for i in 0..40 {
        std::fs::copy(
            "seeds/001_a54c87d053133b73.txt",
            corpus.join(format!("{i:02}.txt")),
        )
        .unwrap();
    }
    let rules = dir.path().join("greedy.toml");
    let (code, out) = run(&[
        "stats",
        corpus.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
        "--fail-on-warnings",
    ]);
    assert_eq!(code, 1, "{out}");
    let warnings = out.split_once("\nwarnings: ").expect(&out).1;
    assert!(warnings.starts_with("80 in 40 documents, by rule"), "{out}");
    // One group per rule and kind, with its count, meaning and three examples.
    let groups: Vec<&str> = warnings
        .lines()
        .filter(|l| l.starts_with("  footer.greedy"))
        .collect();
    assert_eq!(groups.len(), 2, "{out}");
    assert!(warnings.contains(
        "  footer.greedy [early-drop-rest]: 40 warnings in 40 documents: drop-rest fired in the first half"
    ), "{out}");
    assert!(
        warnings.contains("  footer.greedy [over-half]: 40 warnings in 40 documents"),
        "{out}"
    );
    assert_eq!(warnings.matches("      … 37 more").count(), 2, "{out}");
    assert!(warnings.contains("/00.txt:"), "{out}");
    assert!(warnings.lines().count() < 12, "{out}");

    // --json keeps every warning, and the groups.
    let (_, json) = run(&[
        "stats",
        corpus.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["warnings"].as_array().unwrap().len(), 80);
    assert!(v["warnings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("a footer marker in the first half"));
    assert_eq!(v["warning_groups"].as_array().unwrap().len(), 2);
    assert_eq!(
        v["warning_groups"][0]["examples"].as_array().unwrap().len(),
        3
    );
}
