//! `rinse diff --html`: a self-contained report, checked in a real browser when Chromium
//! is installed.

use std::path::{Path, PathBuf};
use std::process::Command as Proc;

use assert_cmd::Command;

const CHROMIUM: &str = "/usr/bin/chromium";

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

#[test]
fn report_is_self_contained_and_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let a = report("seeds", &dir.path().join("a.html"), &[]);
    let b = report("seeds", &dir.path().join("b.html"), &[]);
    assert_eq!(a, b, "same input, same report");
    assert!(a.starts_with("<!DOCTYPE html>"));
    assert!(
        !a.contains("<link") && !a.contains(" src="),
        "no external assets"
    );
    for href in a.split("href=\"").skip(1) {
        assert!(
            href.starts_with('#'),
            "only in-page links: {}",
            &href[..40.min(href.len())]
        );
    }
    assert_eq!(a.matches("<section class=\"doc").count(), 5);
    assert!(a.contains("<span id=\"doc-count\">5</span>"));
    // Every image.url-line firing is linked from the rule index.
    let row = a.split("<tr id=\"r-image.url-line\"").nth(1).unwrap();
    let row = &row[..row.find("</tr>").unwrap()];
    assert_eq!(row.matches("<a href=\"#d1-e").count(), 17, "{row}");
    // Raw text is escaped.
    assert!(!a.contains("<script>alert"));
}

#[test]
fn hostile_text_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x.txt");
    std::fs::write(
        &f,
        "标题<script>alert(1)</script>\n正文。\n责任编辑:<b>张三</b>\n",
    )
    .unwrap();
    let html = report(f.to_str().unwrap(), &dir.path().join("r.html"), &[]);
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn a_thousand_documents() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let seeds: Vec<PathBuf> = std::fs::read_dir("seeds")
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    for i in 0..1000 {
        std::fs::copy(&seeds[i % seeds.len()], input.join(format!("{i:04}.txt"))).unwrap();
    }
    let html = report(
        input.to_str().unwrap(),
        &dir.path().join("big.html"),
        &["--only-changed"],
    );
    assert!(html.contains("<span id=\"doc-count\">1000</span>"));
    assert!(html.contains("id=\"d999\""));
    assert!(html.ends_with("</html>\n"));
}

fn chromium(args: &[&str], profile: &Path) -> std::process::Output {
    Proc::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium runs")
}

#[test]
fn renders_in_a_real_browser() {
    if !Path::new(CHROMIUM).exists() {
        eprintln!("SKIPPED: chromium not installed ({CHROMIUM} missing; apt-get install chromium)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let html_path = dir.path().join("review.html");
    report("seeds", &html_path, &[]);
    let url = format!("file://{}", html_path.display());

    let dom = chromium(&["--dump-dom", &url], &dir.path().join("p1"));
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8(dom.stdout).unwrap();
    assert!(dom.contains("data-ready=\"1\""), "the script ran");
    assert!(
        dom.contains("<span id=\"shown-docs\">5</span>"),
        "JS filled the count"
    );
    assert!(dom.contains("<span id=\"doc-count\">5</span>"));
    assert!(
        dom.contains("class=\"tag\" href=\"#r-caption.after-image\""),
        "rule tags"
    );
    assert_eq!(dom.matches("<section class=\"doc").count(), 5);
    assert!(dom.contains("<option value=\"image.url-line\">image.url-line (17)</option>"));

    let png = dir.path().join("review.png");
    let shot = chromium(
        &[
            &format!("--screenshot={}", png.display()),
            "--window-size=1280,2000",
            &url,
        ],
        &dir.path().join("p2"),
    );
    assert!(
        shot.status.success(),
        "{}",
        String::from_utf8_lossy(&shot.stderr)
    );
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert!(
        bytes.len() > 50_000,
        "a blank page compresses far smaller: {}",
        bytes.len()
    );
    if let Ok(keep) = std::env::var("RINSE_KEEP_SCREENSHOT") {
        std::fs::copy(&png, keep).unwrap();
    }
}
