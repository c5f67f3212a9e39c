//! `rinse diff --html`: one self-contained, deterministic file whose data the page's
//! script renders. The browser itself is exercised by `tests/report_browser.rs`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn report(input: &str, out: &Path, extra: &[&str]) -> String {
    let o = Command::cargo_bin("rinse")
        .unwrap()
        .args(["diff", input, "--html", out.to_str().unwrap()])
        .args(extra)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::read_to_string(out).unwrap()
}

/// The JSON of `<script type="application/json" id="ID">`.
fn data(html: &str, id: &str) -> serde_json::Value {
    let open = format!("<script type=\"application/json\" id=\"{id}\">");
    let start = html.find(&open).unwrap_or_else(|| panic!("no #{id}")) + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

#[test]
fn report_is_self_contained_and_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let a = report("seeds", &dir.path().join("a.html"), &[]);
    let b = report("seeds", &dir.path().join("b.html"), &[]);
    assert_eq!(a, b, "same input, same report");
    assert!(a.starts_with("<!DOCTYPE html>"));
    assert!(
        !a.contains("<link") && !a.contains(" src=") && !a.contains("href=\"http"),
        "no external assets"
    );
    let index = data(&a, "index");
    let docs = index["docs"].as_array().unwrap();
    assert_eq!(docs.len(), 5);
    assert_eq!(
        docs[1][0], "001_a54c87d053133b73.txt",
        "paths relative to the input"
    );
    // image.url-line fired 17 times in seed 001 and nowhere else.
    let rules = index["rules"].as_array().unwrap();
    let img = rules.iter().position(|r| r[0] == "image.url-line").unwrap();
    let counts: Vec<u64> = docs
        .iter()
        .map(|d| {
            let rs = d[7].as_array().unwrap();
            rs.chunks(2)
                .find(|c| c[0] == img)
                .map_or(0, |c| c[1].as_u64().unwrap())
        })
        .collect();
    assert_eq!(counts, [0, 17, 0, 0, 0]);
    let rule = rinse::Ruleset::defaults()
        .get("image.url-line")
        .unwrap()
        .clone();
    assert_eq!(rules[img][3], rule.description.as_str());
    assert_eq!(
        rules[img][4],
        format!("{}:{}", rule.origin.file, rule.origin.line).as_str()
    );
    // Each document's raw text is embedded exactly once, as data.
    let seed = std::fs::read_to_string("seeds/001_a54c87d053133b73.txt").unwrap();
    assert_eq!(data(&a, "d1")["t"], seed.as_str());
}

#[test]
fn hostile_text_stays_data() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x.txt");
    let text = "标题<script>alert(1)</script><!--\n正文。\n责任编辑:<b>张三</b>\n";
    std::fs::write(&f, text).unwrap();
    let html = report(f.to_str().unwrap(), &dir.path().join("r.html"), &[]);
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("<!--"));
    assert_eq!(data(&html, "d0")["t"], text);
}

#[test]
fn a_thousand_documents_stay_small() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let mut seeds: Vec<PathBuf> = std::fs::read_dir("seeds")
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    seeds.sort();
    let mut raw_bytes = 0;
    for i in 0..1000 {
        let to = input.join(format!("{i:04}.txt"));
        raw_bytes += std::fs::copy(&seeds[i % seeds.len()], to).unwrap();
    }
    let out = dir.path().join("big.html");
    let html = report(input.to_str().unwrap(), &out, &["--only-changed"]);
    assert_eq!(data(&html, "index")["docs"].as_array().unwrap().len(), 1000);
    assert!(html.contains("id=\"d999\""));
    assert!(html.ends_with("</html>\n"));
    // Data, not markup: the report is the raw text plus a modest overhead (the previous
    // markup-per-line report was ten times the input).
    let size = std::fs::metadata(&out).unwrap().len();
    assert!(
        size < raw_bytes * 3 / 2,
        "report {size} bytes for {raw_bytes} bytes of input"
    );
}
