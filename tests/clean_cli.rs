//! End-to-end tests of `rinse clean` and `rinse eval` on the seeds.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::util::rinse;
use crate::util::root;

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// Every file under `dir`, relative path -> bytes.
fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .to_string();
            out.insert(rel, fs::read(e.path()).unwrap());
        }
    }
    out
}

fn clean_seeds(out: &Path, jobs: &str) {
    rinse()
        .args(["clean", "seeds", "-o"])
        .arg(out)
        .args(["--jobs", jobs])
        .current_dir(root())
        .assert()
        .success();
}

#[test]
fn seeds_meet_the_quality_bar() {
    let t = tmp();
    clean_seeds(t.path(), "2");
    let report = rinse::eval::eval_dirs(&root().join("tests/gold"), t.path()).unwrap();
    assert_eq!(report.docs.len(), 5);
    assert!(report.docs.iter().all(|d| d.found));
    assert!(
        report.f1 >= 0.98 && report.precision >= 0.97 && report.recall >= 0.99,
        "{report}"
    );
}

#[test]
fn eval_command_prints_per_document_and_total_scores() {
    let t = tmp();
    clean_seeds(t.path(), "2");
    let out = rinse()
        .args(["eval", "--gold", "tests/gold"])
        .arg(t.path())
        .current_dir(root())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(
        out.lines().filter(|l| l.contains(".txt")).count(),
        5,
        "{out}"
    );
    assert!(
        out.lines().last().unwrap().starts_with("TOTAL docs=5 P="),
        "{out}"
    );
    // Nothing cleaned at all scores below the bar, and --min-f1 turns that into a failure.
    rinse()
        .args(["eval", "--gold", "tests/gold", "seeds", "--min-f1", "0.9"])
        .current_dir(root())
        .assert()
        .code(1);
}

/// Our scorer and the shared Python scorer agree, when the shared samples are beside us.
#[test]
#[cfg_attr(
    not(rinse_shared),
    ignore = "needs ../shared beside the checkout (the dev sets); `touch build.rs` after adding it"
)]
fn eval_agrees_with_the_shared_scorer() {
    let script = root().join("../shared/eval/score.py");
    let t = tmp();
    // A deliberately imperfect output: raw seeds with one line dropped.
    for e in fs::read_dir(root().join("seeds")).unwrap() {
        let p = e.unwrap().path();
        let text = fs::read_to_string(&p).unwrap();
        let cut: Vec<&str> = text.lines().skip(2).collect();
        fs::write(t.path().join(p.file_name().unwrap()), cut.join("\n")).unwrap();
    }
    let py = std::process::Command::new("python3")
        .arg(&script)
        .arg(root().join("tests/gold"))
        .arg(t.path())
        .arg("--json")
        .output()
        .unwrap();
    assert!(py.status.success());
    let py: serde_json::Value = serde_json::from_slice(&py.stdout).unwrap();
    let ours = rinse::eval::eval_dirs(&root().join("tests/gold"), t.path()).unwrap();
    for (a, b) in ours.docs.iter().zip(py["docs"].as_array().unwrap()) {
        assert_eq!(
            a.noise_kept as u64,
            b["noise_kept"].as_u64().unwrap(),
            "{}",
            a.doc
        );
        assert_eq!(
            a.content_lost as u64,
            b["content_lost"].as_u64().unwrap(),
            "{}",
            a.doc
        );
    }
    assert!((ours.f1 - py["f1"].as_f64().unwrap()).abs() < 1e-9);
}

#[test]
fn replaying_recorded_edits_reproduces_every_body() {
    let t = tmp();
    clean_seeds(t.path(), "2");
    for e in fs::read_dir(root().join("seeds")).unwrap() {
        let p = e.unwrap().path();
        let stem = p.file_stem().unwrap().to_string_lossy().to_string();
        let raw = fs::read_to_string(&p).unwrap();
        let body = fs::read_to_string(t.path().join(format!("{stem}.txt"))).unwrap();
        let prov: rinse::Provenance =
            serde_json::from_slice(&fs::read(t.path().join(format!("{stem}.json"))).unwrap())
                .unwrap();
        assert_eq!(
            rinse::engine::replay(&raw, &prov.edits).unwrap(),
            body,
            "{stem}"
        );
        assert_eq!(
            prov.source.blake3,
            blake3::hash(raw.as_bytes()).to_hex().to_string()
        );
        assert_eq!(prov.source.path, format!("{stem}.txt"));
        assert!(!prov.edits.is_empty());
        assert!(prov.metadata.title.is_some(), "{stem} has a title");
        for ed in &prov.edits {
            if ed.truncated {
                assert!(raw[ed.start..ed.end].starts_with(&ed.removed));
                assert!(ed.removed.len() + 4 > rinse::engine::MAX_RECORDED_REMOVAL);
            } else {
                assert_eq!(&raw[ed.start..ed.end], ed.removed);
            }
            assert_eq!(
                raw[..ed.start].matches('\n').count() + 1,
                ed.line,
                "{stem} {ed:?}"
            );
        }
    }
}

#[test]
fn output_is_byte_identical_for_one_and_many_threads() {
    let (a, b) = (tmp(), tmp());
    clean_seeds(a.path(), "1");
    clean_seeds(b.path(), "4");
    let (ta, tb) = (read_tree(a.path()), read_tree(b.path()));
    assert_eq!(ta.len(), 11, "5 pairs and the manifest");
    assert_eq!(ta, tb);
}

#[test]
fn committed_snapshot_is_current() {
    let t = tmp();
    clean_seeds(t.path(), "2");
    assert_eq!(
        read_tree(&root().join("cleaned")),
        read_tree(t.path()),
        "cleaned/ is stale: run `cargo run --release -- clean seeds` and review `git diff cleaned/`"
    );
}

#[test]
fn inputs_are_never_modified() {
    let before = read_tree(&root().join("seeds"));
    let t = tmp();
    clean_seeds(t.path(), "2");
    assert_eq!(before, read_tree(&root().join("seeds")));
}

#[test]
fn bad_files_are_reported_and_the_rest_complete() {
    let input = tmp();
    let out = tmp();
    let dir = input.path();
    fs::create_dir(dir.join("sub")).unwrap();
    fs::copy(
        root().join("seeds/004_47a5fbd0c6a19d7d.txt"),
        dir.join("sub/a.txt"),
    )
    .unwrap();
    fs::write(dir.join("empty.txt"), "").unwrap();
    fs::write(dir.join("pic.png"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    std::os::unix::fs::symlink(dir.join("missing.txt"), dir.join("dangling.txt")).unwrap();
    let assert = rinse()
        .arg("clean")
        .arg(dir)
        .arg("-o")
        .arg(out.path())
        .assert()
        .code(1);
    let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(err.contains("FAILED dangling.txt:"), "{err}");
    assert!(
        err.contains("skipped pic.png: not text: looks like a PNG image"),
        "{err}"
    );
    assert!(
        err.contains("4 documents: 2 cleaned, 1 skipped, 1 failed"),
        "{err}"
    );
    // Sub-folders are mirrored; the empty file gets an empty body and a provenance record.
    let body = fs::read_to_string(out.path().join("sub/a.txt")).unwrap();
    assert!(body.starts_with("“新春第一会”,擂响战鼓再出征\n"));
    assert_eq!(
        fs::read_to_string(out.path().join("empty.txt")).unwrap(),
        ""
    );
    let prov: rinse::Provenance =
        serde_json::from_slice(&fs::read(out.path().join("empty.json")).unwrap()).unwrap();
    assert_eq!((prov.source.bytes, prov.edits.len()), (0, 0));
    assert!(!out.path().join("pic.txt").exists());
    // No temporary files are left behind.
    assert!(read_tree(out.path())
        .keys()
        .all(|k| !k.contains(".rinse-tmp")));
}

#[test]
fn an_invalid_rule_file_stops_everything_and_points_at_the_line() {
    let rules = tmp();
    fs::write(
        rules.path().join("mine.toml"),
        "[[rule]]\nid = \"site.footer\"\ncategory = \"footer\"\ndescription = \"x\"\naction = \"drop-rest\"\nregex = '^(关于我们'\n",
    )
    .unwrap();
    let out = tmp();
    let target = out.path().join("never");
    let assert = rinse()
        .args(["clean", "seeds", "--rules"])
        .arg(rules.path())
        .arg("-o")
        .arg(&target)
        .current_dir(root())
        .assert()
        .code(2);
    let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(err.contains("mine.toml:6:"), "{err}");
    assert!(err.contains("site.footer"), "{err}");
    assert!(err.contains("invalid regex"), "{err}");
    assert!(
        !target.exists(),
        "nothing is written when the rules are invalid"
    );
}

#[test]
fn user_rules_add_to_the_defaults() {
    let rules = tmp();
    fs::write(
        rules.path().join("mine.toml"),
        "[[rule]]\nid = \"site.city-subheads\"\ncategory = \"navigation\"\ndescription = \"Drop city subheadings.\"\naction = \"drop-line\"\nregex = '^\\p{Han}{2,4}[:：]'\nwhen = { max_chars = 20 }\n",
    )
    .unwrap();
    let out = tmp();
    rinse()
        .args(["clean", "seeds/004_47a5fbd0c6a19d7d.txt", "--rules"])
        .arg(rules.path())
        .arg("-o")
        .arg(out.path())
        .current_dir(root())
        .assert()
        .success();
    let body = fs::read_to_string(out.path().join("004_47a5fbd0c6a19d7d.txt")).unwrap();
    assert!(!body.contains("南京:打响"), "{body}");
    // Defaults still apply.
    assert!(!body.contains("Copyright"));
}

#[test]
fn refuses_to_write_inside_the_input_folder() {
    let input = tmp();
    fs::write(input.path().join("a.txt"), "标题\n正文。\n").unwrap();
    let assert = rinse()
        .arg("clean")
        .arg(input.path())
        .arg("-o")
        .arg(input.path().join("out"))
        .assert()
        .code(2);
    let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(err.contains("inside the input folder"), "{err}");
    assert!(!input.path().join("out").exists());
    rinse()
        .arg("clean")
        .arg(input.path())
        .arg("-o")
        .arg(input.path().join("out"))
        .arg("--allow-output-in-input")
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(input.path().join("out/a.txt")).unwrap(),
        "标题\n正文。\n"
    );
}

#[test]
fn summary_names_categories_and_speed() {
    let t = tmp();
    let assert = rinse()
        .args(["clean", "seeds", "-o"])
        .arg(t.path())
        .current_dir(root())
        .assert()
        .success();
    let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains("5 documents: 5 cleaned, 0 skipped, 0 failed"),
        "{err}"
    );
    assert!(err.contains("MB/s"), "{err}");
    for cat in [
        "image",
        "footer",
        "related",
        "byline",
        "duplicate",
        "obfuscation",
    ] {
        assert!(
            err.contains(&format!("  {cat} ")),
            "{cat} missing in\n{err}"
        );
    }
    // No progress bar when stderr is not a terminal.
    assert!(!err.contains('\r'));
}

/// A reader that stops early (`| head`) ends the command quietly, without a panic.
#[test]
fn closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::{Command as Std, Stdio};
    let mut child = Std::new(assert_cmd::cargo::cargo_bin("rinse"))
        // Large enough (about 140 KB) to overflow the pipe buffer once the reader is gone.
        .args(["explain", "seeds/003_d30ffc383c516069.txt"])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
}
