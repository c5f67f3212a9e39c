//! `rinse stats --suspects`: kept lines that look like noise, grouped by shape.

use assert_cmd::Command;

fn stats(dir: &std::path::Path, extra: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("rinse")
        .unwrap()
        .arg("stats")
        .arg(dir)
        .arg("--suspects")
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn lists_kept_lines_by_shape_with_counts() {
    let dir = tempfile::tempdir().unwrap();
    let body =
        "这是正文的第一段，讲述了一件事情的经过和结果，内容比较长，读者可以从中了解到来龙去脉。";
    // Two headlines after the body (too few for the related-list stage), a contact field
    // the rules do not know, and a clean document.
    std::fs::write(
        dir.path().join("a.txt"),
        format!(
            "某某标题\n{body}\n值班人员：某某\n另一篇文章的标题在这里\n又一篇文章的标题在这里\n"
        ),
    )
    .unwrap();
    std::fs::write(dir.path().join("b.txt"), format!("某某标题\n{body}\n")).unwrap();

    let (code, out) = stats(dir.path(), &["--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["documents"], 2);
    let shapes: Vec<(String, u64, u64)> = v["shapes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["shape"].as_str().unwrap().to_string(),
                g["lines"].as_u64().unwrap(),
                g["documents"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        shapes,
        [
            ("after-body".to_string(), 2, 1),
            ("label-colon".to_string(), 1, 1)
        ]
    );
    let first = &v["shapes"][0]["examples"][0];
    assert_eq!(first["line"], 4);
    assert!(first["document"].as_str().unwrap().ends_with("a.txt"));

    let (code, text) = stats(dir.path(), &["--examples", "1"]);
    assert_eq!(code, 0);
    assert!(text.contains("after-body"), "{text}");
    assert!(text.contains("a.txt:3  值班人员：某某"), "{text}");
    assert!(text.contains("a.txt:4  另一篇文章的标题在这里"), "{text}");
    assert!(!text.contains("a.txt:5"), "one example per shape: {text}");
}
