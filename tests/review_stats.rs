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
fn greedy_rules_are_warned_about() {
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
    let (code, out) = run(&[
        "stats",
        "seeds",
        "--rules",
        dir.path().to_str().unwrap(),
        "--fail-on-warnings",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("warnings ("), "{out}");
    assert!(
        out.contains("footer.greedy: seeds/001_a54c87d053133b73.txt:"),
        "{out}"
    );
    assert!(out.contains("a footer marker in the first half"), "{out}");
    assert!(out.contains("of the document"), "over-half warning: {out}");
}
