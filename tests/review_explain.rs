//! `rinse explain` on the seeds.

use assert_cmd::Command;

const SEED: &str = "seeds/001_a54c87d053133b73.txt";

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("rinse")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn removed_line_snapshot() {
    let (code, out, _) = run(&["explain", &format!("{SEED}:9")]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
}

#[test]
fn removed_line_names_rule_origin_match_and_conditions() {
    let (_, out, _) = run(&["explain", &format!("{SEED}:9")]);
    assert!(out.starts_with(&format!("{SEED}:9: removed")), "{out}");
    assert!(out.contains("rule:       caption.after-image [caption], action drop-line"));
    assert!(out.contains("defined at: <embedded>/rules/common/caption.toml:"));
    assert!(out.contains("matched:    雁塔区第四中学建设项目"));
    assert!(out.contains("after_image"), "{out}");
    assert!(out.contains("max_chars = 30: the line has 11"), "{out}");
}

#[test]
fn line_inside_a_drop_rest_points_at_its_marker() {
    let (_, out, _) = run(&["explain", "seeds/002_6a562953ad7ddc33.txt:120"]);
    assert!(out.contains("action drop-rest"), "{out}");
    assert!(out.contains("covers:     lines 89-151"), "{out}");
    assert!(out.contains("matched:    地址:"), "{out}");
    assert!(out.contains("tail = 0.5: the line stood at"), "{out}");
}

#[test]
fn kept_line_lists_near_misses() {
    let (code, out, _) = run(&["explain", &format!("{SEED}:3")]);
    assert_eq!(code, 0);
    assert!(out.contains(": kept"), "{out}");
    assert!(out.contains("almost matched"), "{out}");
    assert!(out.contains("failed no_sentence_punct"), "{out}");
}

#[test]
fn json_for_a_line() {
    let (_, out, _) = run(&["explain", "seeds/000_e37ae851a55b4474.txt:4", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["status"], "changed");
    let rules: Vec<&str> = v["edits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"obfuscation.zui"), "{rules:?}");
    let zui = v["edits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["rule"] == "obfuscation.zui")
        .unwrap();
    assert_eq!(zui["replacement"], "最");
}

#[test]
fn whole_file_lists_every_rule_edit() {
    let (code, out, _) = run(&["explain", SEED]);
    assert_eq!(code, 0);
    assert_eq!(out.matches(" by image.url-line").count(), 17, "{out}");
    assert!(
        out.contains("31 edits (+40 white-space edits not shown"),
        "{out}"
    );
    let (_, all, _) = run(&["explain", SEED, "--whitespace"]);
    assert!(all.contains("71 edits"), "{all}");
}

#[test]
fn errors_are_clear() {
    let (code, _, err) = run(&["explain", &format!("{SEED}:999")]);
    assert_eq!(code, 2);
    assert!(err.contains("has 137 lines; there is no line 999"), "{err}");
    let (code, _, err) = run(&["explain", "no/such/file.txt:3"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("not a file") || err.contains("no such file"),
        "{err}"
    );
}
