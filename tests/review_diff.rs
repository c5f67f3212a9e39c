//! `rinse diff` on the seeds: rule margin, inline spans, colours, context, folders.

use crate::util::rinse;

const SEED: &str = "seeds/001_a54c87d053133b73.txt";

fn stdout(c: &mut assert_cmd::Command) -> String {
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn one_document_snapshot() {
    let out = stdout(rinse().args(["diff", SEED, "--color", "never"]));
    insta::assert_snapshot!(out);
}

#[test]
fn removed_lines_carry_their_rule() {
    let out = stdout(rinse().args(["diff", SEED, "--color", "never"]));
    let line9 = out
        .lines()
        .find(|l| l.trim_start().starts_with("9 "))
        .unwrap();
    assert!(line9.contains(" - caption.after-image "), "{line9}");
    assert!(line9.ends_with("│ 雁塔区第四中学建设项目"), "{line9}");
    // A blank line dropped by white-space normalisation has no tag.
    let line2 = out
        .lines()
        .find(|l| l.trim_start().starts_with("2 "))
        .unwrap();
    let rest = line2.trim().strip_prefix("2 ·").unwrap();
    assert_eq!(rest.trim(), "│", "{line2}");
    // The first line is the summary.
    assert!(out.starts_with(&format!("{SEED}: 137 → 64 lines")), "{out}");
}

#[test]
fn inline_edits_are_character_exact() {
    let out = stdout(rinse().args(["diff", "seeds/003_d30ffc383c516069.txt", "--color", "never"]));
    assert!(out.contains("習[-(xí)-]近平"), "{out}");
    let out = stdout(rinse().args(["diff", "seeds/000_e37ae851a55b4474.txt", "--color", "never"]));
    assert!(out.contains("[-蕞-]{+最+}"), "{out}");
    assert!(out.contains("[-头部-]{+第一+}"), "{out}");
}

#[test]
fn colours_follow_the_flag_and_no_color() {
    let plain = stdout(rinse().args(["diff", SEED]));
    assert!(!plain.contains('\x1b'), "not a terminal: no colours");
    let coloured = stdout(rinse().args(["diff", SEED, "--color", "always"]));
    assert!(coloured.contains("\x1b[31m"), "removed lines are red");
    let no_color = stdout(rinse().env("NO_COLOR", "1").args(["diff", SEED]));
    assert!(!no_color.contains('\x1b'));
    // An explicit --color always wins over NO_COLOR, as with other tools.
    let forced = stdout(
        rinse()
            .env("NO_COLOR", "1")
            .args(["diff", SEED, "--color", "always"]),
    );
    assert!(forced.contains('\x1b'));
}

#[test]
fn context_collapses_unchanged_runs() {
    let full = stdout(rinse().args(["diff", "seeds/004_47a5fbd0c6a19d7d.txt", "--color", "never"]));
    let short = stdout(rinse().args([
        "diff",
        "seeds/004_47a5fbd0c6a19d7d.txt",
        "--color",
        "never",
        "--context",
        "1",
    ]));
    assert!(!full.contains("unchanged line"));
    assert!(short.contains("⋮ "), "{short}");
    assert!(short.lines().count() < full.lines().count() / 2);
    // Every removed line is still there.
    let removed = |s: &str| s.lines().filter(|l| l.contains(" - ")).count();
    assert_eq!(removed(&full), removed(&short));
}

#[test]
fn folder_only_changed_and_stat() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(SEED, dir.path().join("a.txt")).unwrap();
    std::fs::write(dir.path().join("b.txt"), "标题\n正文第一段。\n").unwrap();
    let d = dir.path().to_str().unwrap();
    let all = stdout(rinse().args(["diff", d, "--stat"]));
    assert_eq!(all.lines().count(), 3, "{all}");
    assert!(all.contains("b.txt: 2 → 2 lines"), "{all}");
    assert!(all.ends_with("2 documents, 1 changed by rules\n"), "{all}");
    let only = stdout(rinse().args(["diff", d, "--only-changed", "--color", "never"]));
    assert!(only.contains("a.txt: "));
    assert!(!only.contains("b.txt"), "{only}");
}

#[test]
fn exit_code_flag() {
    rinse().args(["diff", SEED, "--exit-code"]).assert().code(1);
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("clean.txt");
    std::fs::write(&f, "标题\n正文第一段。\n").unwrap();
    rinse()
        .args(["diff", f.to_str().unwrap(), "--exit-code"])
        .assert()
        .code(0);
}

#[test]
fn help_teaches() {
    let out = stdout(rinse().args(["diff", "--help"]));
    assert!(
        out.contains("Examples:") && out.contains("--context"),
        "{out}"
    );
}
