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
    let (code, out, _) = run(&["explain", &format!("{SEED}:31")]);
    assert_eq!(code, 0);
    assert!(out.contains(": kept"), "{out}");
    let (near, rest) = out.split_once("almost matched").expect(&out);
    assert!(!near.contains("related.headline-pair"), "{out}");
    assert!(
        rest.contains(
            "caption.after-image (<embedded>/rules/common/caption.toml:3): failed after_image"
        ),
        "{out}"
    );
    // A rule whose pattern matches any text is set apart, not listed as a near miss.
    let (_, conditional) = rest
        .split_once("decided by their conditions alone")
        .expect(&out);
    assert!(conditional.contains("related.headline-pair"), "{out}");
    assert!(!conditional.contains("caption.after-image"), "{out}");
}

#[test]
fn a_line_with_only_condition_driven_matches_says_so() {
    let (_, out, _) = run(&["explain", &format!("{SEED}:3")]);
    assert!(out.contains("no rule matched this line"), "{out}");
    assert!(!out.contains("almost matched"), "{out}");
    let (_, json, _) = run(&["explain", &format!("{SEED}:3"), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let near = v["near_misses"].as_array().unwrap();
    assert!(near
        .iter()
        .any(|n| n["rule"] == "related.headline-pair" && n["condition_only"] == true));
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
fn whole_file_lists_every_rule_once() {
    let (code, out, _) = run(&["explain", SEED]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with(&format!(
            "{SEED}: 31 edits by 5 rules (+40 white-space edits not shown"
        )),
        "{out}"
    );
    let rs = rinse::Ruleset::defaults();
    for id in ["image.url-line", "caption.after-image", "forum.post-header"] {
        let desc = &rs.get(id).unwrap().description;
        assert_eq!(out.matches(desc.as_str()).count(), 1, "{id} once: {out}");
    }
    assert!(
        out.contains("\nimage.url-line [image], drop-line, 17 edits ("),
        "{out}"
    );
    let urls = out
        .lines()
        .filter(|l| {
            l.trim_start()
                .split_once("  ")
                .is_some_and(|(_, t)| t.starts_with("https://p"))
        })
        .count();
    assert_eq!(urls, 17, "one row per removed image line: {out}");
    let near = out.split_once("near misses (pattern").expect(&out).1;
    let near = near.split_once("\n\n").map_or(near, |n| n.0);
    assert!(near.contains("caption.after-image"), "{out}");
    assert!(!near.contains("related.headline-pair"), "{out}");
    let (_, all, _) = run(&["explain", SEED, "--whitespace"]);
    assert!(
        all.starts_with(&format!("{SEED}: 71 edits by 6 rules")),
        "{all}"
    );
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
