//! `rinse clean --body-format`: Markdown bodies as NAME.md pairs (names, clashes, `--check`),
//! in records and on standard output; JSON bodies on standard output only.

use crate::util::{rinse, root};

const PAGE: &str = "<!doctype html><html><head><title>新闻标题</title></head><body>\
    <article><h1>新闻标题</h1><p>第一段正文，说明了事情的经过，有逗号和句号。</p>\
    <ol><li>第一步</li><li>第二步</li></ol></article></body></html>";

#[test]
fn markdown_bodies_are_written_as_md_pairs_and_checked() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("p.html"), PAGE).unwrap();
    std::fs::write(input.join("a.txt"), "标题\n正文。\n").unwrap();
    let out = t.path().join("out");
    rinse()
        .args(["clean", "-q", "--body-format", "markdown"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["a.json", "a.md", "manifest.jsonl", "p.json", "p.md"]
    );
    assert_eq!(
        std::fs::read_to_string(out.join("p.md")).unwrap(),
        "# 新闻标题\n\n第一段正文，说明了事情的经过，有逗号和句号。\n\n1. 第一步\n2. 第二步\n"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("a.md")).unwrap(),
        "标题\n\n正文。\n"
    );
    // The provenance is the text body's, as with text bodies.
    let text = t.path().join("text");
    rinse()
        .args(["clean", "-q"])
        .arg(&input)
        .arg("-o")
        .arg(&text)
        .assert()
        .success();
    assert_eq!(
        std::fs::read(out.join("p.json")).unwrap(),
        std::fs::read(text.join("p.json")).unwrap()
    );
    let manifest = std::fs::read_to_string(out.join("manifest.jsonl")).unwrap();
    assert!(manifest.contains("\"output\":\"p.md\""), "{manifest}");
    // --check compares the Markdown bodies: unchanged, then changed.
    let check = |code: i32| {
        rinse()
            .args([
                "clean",
                "--check",
                "--body-format",
                "markdown",
                "--color",
                "never",
            ])
            .arg(&input)
            .arg("-o")
            .arg(&out)
            .assert()
            .code(code)
    };
    check(0);
    std::fs::write(out.join("p.md"), "old\n").unwrap();
    let o = check(1);
    let stdout = String::from_utf8_lossy(&o.get_output().stdout).into_owned();
    assert!(stdout.contains("would change"), "{stdout}");
    assert!(stdout.contains("p.md"), "{stdout}");
}

#[test]
fn markdown_names_clash_like_text_names() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("a.html"), PAGE).unwrap();
    std::fs::write(input.join("a.md"), "标题\n正文。\n").unwrap();
    let o = rinse()
        .args(["clean", "-q", "--body-format", "markdown"])
        .arg(&input)
        .arg("-o")
        .arg(t.path().join("out"))
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&o.get_output().stderr).into_owned();
    assert!(
        stderr.contains("its output a.md is already taken"),
        "{stderr}"
    );
}

#[test]
fn json_bodies_go_to_standard_output_and_records_say_their_format() {
    let o = rinse()
        .args(["clean", "-", "--body-format", "json"])
        .write_stdin(PAGE)
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&o.get_output().stdout).unwrap();
    assert_eq!(v["title"], "新闻标题");
    assert_eq!(
        v["body"],
        "新闻标题\n第一段正文，说明了事情的经过，有逗号和句号。\n第一步\n第二步\n"
    );
    let t = tempfile::tempdir().unwrap();
    let o = rinse()
        .args(["clean", "--body-format", "json"])
        .arg(root().join("seeds"))
        .arg("-o")
        .arg(t.path().join("out"))
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&o.get_output().stderr).into_owned();
    assert!(
        stderr.contains("NAME.json there is the provenance"),
        "{stderr}"
    );
    let record = serde_json::json!({"id": "p", "html": PAGE}).to_string();
    let o = rinse()
        .args([
            "clean",
            "--format",
            "jsonl",
            "-",
            "--body-format",
            "markdown",
        ])
        .write_stdin(record)
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&o.get_output().stdout).unwrap();
    assert_eq!(v["rinse"]["body_format"], "markdown");
    assert!(v["rinse"]["body"]
        .as_str()
        .unwrap()
        .starts_with("# 新闻标题\n\n"));
}
