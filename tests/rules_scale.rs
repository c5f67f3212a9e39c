//! Rule sets that `rules check` accepts never crash or exhaust the engine, however many
//! rules or however large their automata; pathological inputs fail one document, clearly.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use crate::util::rinse;

fn rule(id: &str, regex: &str, action: &str, extra: &str) -> String {
    format!(
        "[[rule]]\nid = \"{id}\"\ncategory = \"test\"\ndescription = \"generated\"\naction = \"{action}\"\nregex = '{regex}'\n{extra}\n"
    )
}

fn clean(rules: &Path, docs: &[(&str, &str)]) -> (i32, String, tempfile::TempDir) {
    let input = tempfile::tempdir().unwrap();
    for (name, text) in docs {
        fs::write(input.path().join(name), text).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let o = rinse()
        .args(["clean", "--rules"])
        .arg(rules)
        .arg(input.path())
        .arg("-o")
        .arg(out.path().join("c"))
        .output()
        .unwrap();
    let mut text = String::from_utf8_lossy(&o.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&o.stderr));
    (o.status.code().unwrap_or(-1), text, out)
}

/// Each `\w{200}` fits the size limit alone; two of them used to overflow the one
/// combined automaton and panic.
#[test]
fn large_patterns_that_check_accepts_clean() {
    let dir = tempfile::tempdir().unwrap();
    let text = rule("big.a", r"^\w{200}$", "drop-line", "")
        + &rule("big.b", r"^x\w{200}$", "drop-line", "");
    fs::write(dir.path().join("big.toml"), text).unwrap();
    let check = rinse()
        .args(["rules", "check", "--rules"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let long = "a".repeat(200);
    let (code, out, o) = clean(
        dir.path(),
        &[("doc.txt", &format!("标题\n{long}\n正文。\n"))],
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        fs::read_to_string(o.path().join("c/doc.txt")).unwrap(),
        "标题\n正文。\n"
    );
}

/// Thousands of rules: each still fires where it should.
#[test]
fn thousands_of_rules_compile_and_fire() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for i in 0..3000 {
        // Half with a literal, half without one (only classes and repetitions).
        if i % 2 == 0 {
            text.push_str(&rule(
                &format!("gen.lit{i}"),
                &format!("^广告编号{i}号$"),
                "drop-line",
                "",
            ));
        } else {
            text.push_str(&rule(
                &format!("gen.cls{i}"),
                &format!("^[甲乙]{{{}}}$", 3 + i % 50),
                "drop-line",
                "",
            ));
        }
    }
    fs::write(dir.path().join("gen.toml"), text).unwrap();
    let (code, out, o) = clean(
        dir.path(),
        &[(
            "doc.txt",
            "标题\n广告编号2998号\n甲乙甲乙甲乙甲乙\n正文第一段。\n广告编号2999号\n",
        )],
    );
    assert_eq!(code, 0, "{out}");
    // 2999 is odd: no literal rule has that number; 甲乙… is 8 characters: gen.cls5 (3 + 5).
    assert_eq!(
        fs::read_to_string(o.path().join("c/doc.txt")).unwrap(),
        "标题\n正文第一段。\n广告编号2999号\n"
    );
    let prov = fs::read_to_string(o.path().join("c/doc.json")).unwrap();
    assert!(prov.contains("\"gen.lit2998\""), "{prov}");
    assert!(
        prov.contains("\"gen.cls5\"") || prov.contains("\"gen.cls55\""),
        "{prov}"
    );
}

/// 20,000 unknown ids in a `disable` list: a handful of diagnostics and a count, quickly.
#[test]
fn many_unknown_disabled_ids_are_summarised() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("disable = [");
    for i in 0..20_000 {
        write!(text, "\"nope.id{i}\", ").unwrap();
    }
    text.push_str("]\n");
    fs::write(dir.path().join("d.toml"), text).unwrap();
    let o = rinse()
        .args(["rules", "check", "--rules"])
        .arg(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(
        err.matches("names unknown rule id").count(),
        20,
        "{}",
        &err[..err.len().min(2000)]
    );
    assert!(
        err.contains("19980 more unknown rule ids"),
        "{}",
        &err[err.len().saturating_sub(2000)..]
    );
    // Each diagnostic shows a window of the (one, very long) line, not all of it.
    assert!(err.len() < 200_000, "{} bytes of diagnostics", err.len());
}

#[test]
fn templates_naming_missing_groups_are_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("t.toml"),
        rule(
            "t.tpl",
            "(?P<a>甲)(乙)",
            "replace",
            "replace = \"$a$2$9${nope}$$\"\nexamples.rewrite = [[\"甲乙\", \"甲乙$\"]]",
        ),
    )
    .unwrap();
    let o = rinse()
        .args(["rules", "check", "--rules"])
        .arg(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.success(),
        "a warning does not fail the check: {err}"
    );
    assert!(
        err.contains("warning[R301]: the template refers to `9`"),
        "{err}"
    );
    assert!(err.contains("refers to `nope`"), "{err}");
    assert!(
        !err.contains("refers to `a`") && !err.contains("refers to `2`"),
        "{err}"
    );
}

/// A replacement that multiplies the text fails its document with the rule named; the
/// other documents are cleaned.
#[test]
fn runaway_replacements_fail_one_document() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("t.toml"),
        rule(
            "t.grow",
            "甲",
            "replace",
            &format!(
                "replace = \"{}\"\nexamples.rewrite = [[\"乙\", \"乙\"]]",
                "乙".repeat(1000)
            ),
        ),
    )
    .unwrap();
    let (code, out, o) = clean(
        dir.path(),
        &[
            ("bad.txt", &"甲".repeat(100_000)),
            ("good.txt", "标题\n正文。\n"),
        ],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("bad.txt") && out.contains("t.grow"), "{out}");
    assert!(o.path().join("c/good.txt").exists());
    assert!(!o.path().join("c/bad.txt").exists());
}
