//! `rinse clean --check` / `--compare` against the committed snapshot.

use std::path::Path;

use assert_cmd::Command;

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("rinse")
        .unwrap()
        .env_remove("NO_COLOR")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

#[test]
fn committed_snapshot_is_up_to_date() {
    let (code, out) = run(&["clean", "seeds", "--check"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("5 documents checked against cleaned/: 0 would change"),
        "{out}"
    );
}

#[test]
fn a_changed_snapshot_is_listed_with_a_diff() {
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("snap");
    copy_dir(Path::new("cleaned"), &snap);
    let body = snap.join("004_47a5fbd0c6a19d7d.txt");
    let text = std::fs::read_to_string(&body).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let dropped = lines.remove(3).to_string();
    std::fs::write(&body, lines.join("\n") + "\n").unwrap();
    std::fs::remove_file(snap.join("000_e37ae851a55b4474.txt")).unwrap();
    let before = std::fs::read_to_string(&body).unwrap();

    let (code, out) = run(&[
        "clean",
        "seeds",
        "--compare",
        snap.to_str().unwrap(),
        "--color",
        "never",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("would change "), "{out}");
    assert!(
        out.contains("004_47a5fbd0c6a19d7d.txt (from 004_47a5fbd0c6a19d7d.txt): -0 +1 lines"),
        "{out}"
    );
    assert!(out.contains(&format!("  + {dropped}")), "{out}");
    assert!(out.contains("would add "), "{out}");
    assert!(out.contains("2 would change, 3 unchanged"), "{out}");
    // Nothing was written.
    assert_eq!(std::fs::read_to_string(&body).unwrap(), before);
    assert!(!snap.join("000_e37ae851a55b4474.txt").exists());
}

#[test]
fn a_rule_edit_shows_which_lines_come_back_and_why() {
    let rules = tempfile::tempdir().unwrap();
    std::fs::write(
        rules.path().join("off.toml"),
        "disable = [\"caption.after-image\"]\n",
    )
    .unwrap();
    let (code, out) = run(&[
        "clean",
        "seeds",
        "--check",
        "--rules",
        rules.path().to_str().unwrap(),
        "--color",
        "never",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("001_a54c87d053133b73.txt"), "{out}");
    assert!(
        out.contains("edits by rule: caption.after-image -9"),
        "{out}"
    );
    assert!(
        out.contains("+ 雁塔区第四中学建设项目  (no longer removed by caption.after-image)"),
        "{out}"
    );
}
