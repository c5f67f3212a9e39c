//! Shell conventions: `--version` with the commit, completions, man pages, `--color`.

use crate::util::rinse;

fn stdout(args: &[&str]) -> String {
    let o = rinse().args(args).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn version_names_the_commit_in_a_checkout() {
    let v = stdout(&["--version"]);
    assert!(
        v.starts_with(&format!("rinse {}", env!("CARGO_PKG_VERSION"))),
        "{v}"
    );
    let head = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8(o.stdout).unwrap());
    match head {
        Some(h) => assert!(v.contains(&format!("(git {})", &h[..12])), "{v} vs {h}"),
        None => assert_eq!(v.trim(), format!("rinse {}", env!("CARGO_PKG_VERSION"))),
    }
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let s = stdout(&["completions", shell]);
        for word in ["explain", "only-changed", "completions"] {
            assert!(s.contains(word), "{shell} lacks {word}");
        }
    }
    let o = rinse().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn man_pages() {
    let page = stdout(&["man"]);
    assert!(page.contains(".TH rinse 1"), "{page}");
    assert!(page.contains("completions"), "subcommands listed");
    let dir = tempfile::tempdir().unwrap();
    let o = rinse()
        .args(["man", "--dir"])
        .arg(dir.path().join("man1"))
        .output()
        .unwrap();
    assert!(o.status.success());
    for f in ["rinse.1", "rinse-clean.1", "rinse-rules-test.1"] {
        let p = dir.path().join("man1").join(f);
        assert!(p.exists(), "{f}");
    }
    let test = std::fs::read_to_string(dir.path().join("man1/rinse-rules-test.1")).unwrap();
    assert!(test.contains("require\\-examples"), "{test}");
}

#[test]
fn color_flag_and_no_color() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[[rule]]\nid = \"ad.x\"\ncategory = \"ad\"\ndescription = \"d\"\naction = \"drop-line\"\nregex = '('\n",
    )
    .unwrap();
    let bad = bad.to_str().unwrap();
    let stderr = |args: &[&str], no_color: bool| {
        let mut c = rinse();
        if no_color {
            c.env("NO_COLOR", "1");
        }
        let o = c.args(args).output().unwrap();
        assert_ne!(o.status.code(), Some(0));
        String::from_utf8(o.stderr).unwrap() + &String::from_utf8(o.stdout).unwrap()
    };
    for cmd in [
        &["rules", "check", "--rules", bad][..],
        &["diff", "seeds", "--rules", bad],
        &["watch", "seeds", "--once", "--rules", bad],
    ] {
        let on = stderr(&[cmd, &["--color", "always"]].concat(), false);
        assert!(on.contains("\x1b["), "{cmd:?} --color always: {on}");
        let off = stderr(&[cmd, &["--color", "never"]].concat(), false);
        assert!(!off.contains("\x1b["), "{cmd:?} --color never: {off}");
        // Not a terminal, or NO_COLOR: no colours by default.
        assert!(!stderr(cmd, true).contains("\x1b["), "{cmd:?} NO_COLOR");
        assert!(off.contains("invalid regex"), "{off}");
    }
}
