//! The HTML report in a real browser: a report of 1,000 generated documents opened in
//! headless Chromium, checked through its DOM and a screenshot, with its size and load
//! time printed.
//!
//! Without Chromium the test shows as ignored, with the reason. Its measurement (size, load
//! time) is printed with `cargo test --release report_browser -- --nocapture`;
//! `RINSE_REPORT_DOCS=10000` measures a larger report; `RINSE_KEEP_SCREENSHOT=FILE` and
//! `RINSE_KEEP_REPORT=FILE` keep the screenshot and the report.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use rinse::input::{self, DecodeOptions};
use rinse::review::{annotate, Fate};
use rinse::{Cleaner, Ruleset};

const NAME: &str = "report_browser";
const CHROMIUM: &str = "/usr/bin/chromium";
/// The rule the opened-document check filters on (it fires in every seed but one).
const RULE: &str = "image.url-line";

/// A small deterministic generator (64-bit LCG), so the corpus is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Writes `n` documents made from the seeds: each takes one seed's lines, drops and
/// swaps some, rewrites digits, and mixes in a few lines of another seed, so no two
/// documents are equal and the rules meet their noise in new positions. 100 a folder.
fn generate(dir: &Path, n: usize) -> Vec<PathBuf> {
    let mut seeds: Vec<PathBuf> = std::fs::read_dir("seeds")
        .expect("seeds/")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    seeds.sort();
    let texts: Vec<Vec<String>> = seeds
        .iter()
        .map(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .lines()
                .map(str::to_string)
                .collect()
        })
        .collect();
    let mut rng = Lcg(0x5eed);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let base = &texts[i % texts.len()];
        let other = &texts[rng.below(texts.len())];
        let mut lines: Vec<String> = Vec::with_capacity(base.len() + 8);
        for l in base {
            match rng.below(20) {
                0 => continue,
                1 => lines.push(
                    l.chars()
                        .map(|c| {
                            if c.is_ascii_digit() {
                                char::from(b'0' + rng.below(10) as u8)
                            } else {
                                c
                            }
                        })
                        .collect(),
                ),
                2 if !other.is_empty() => {
                    lines.push(l.clone());
                    lines.push(other[rng.below(other.len())].clone());
                }
                _ => lines.push(l.clone()),
            }
        }
        for _ in 0..3 {
            let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
            lines.swap(a, b);
        }
        let at = rng.below(lines.len().max(1));
        lines.insert(at, format!("第{i}号测试文档，内容由种子样本改写而成。"));
        let sub = dir.join(format!("{:03}", i / 100));
        std::fs::create_dir_all(&sub).unwrap();
        let path = sub.join(format!("{i:05}.txt"));
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        out.push(path);
    }
    out
}

fn chromium(profile: &Path, args: &[&str]) -> (std::process::Output, f64) {
    let t = Instant::now();
    let out = Command::new(CHROMIUM)
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
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out, t.elapsed().as_secs_f64())
}

/// The value of `name="..."` on the `<body>` element of a dumped DOM.
fn body_attr<'a>(dom: &'a str, name: &str) -> &'a str {
    let body = &dom[dom.find("<body").expect("a body")..];
    let body = &body[..body.find('>').unwrap()];
    let key = format!("{name}=\"");
    let start = body
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} on <body>"))
        + key.len();
    &body[start..start + body[start..].find('"').unwrap()]
}

fn span_text<'a>(dom: &'a str, id: &str) -> &'a str {
    let key = format!("id=\"{id}\">");
    let start = dom.find(&key).unwrap_or_else(|| panic!("no #{id}")) + key.len();
    &dom[start..start + dom[start..].find('<').unwrap()]
}

/// Undoes the escapes a serialised attribute value may use.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// What the report must show, computed with the library from the same files.
struct Expected {
    changed: usize,
    with_rule: usize,
    /// Documents in the first folder (`000/`) with an edit of category `caption`.
    first_folder_captions: usize,
    /// Index, path (relative to the input) and removed-line count of one document where [`RULE`] fired.
    open: (usize, String, usize),
}

fn expected(files: &[PathBuf], input: &Path) -> Expected {
    let cleaner = Cleaner::new(Ruleset::defaults());
    let mut e = Expected {
        changed: 0,
        with_rule: 0,
        first_folder_captions: 0,
        open: (0, String::new(), 0),
    };
    let pick = files.len() / 2;
    for (i, f) in files.iter().enumerate() {
        let doc = input::decode(
            &std::fs::read(f).unwrap(),
            "x.txt",
            &DecodeOptions::default(),
        )
        .unwrap();
        let c = cleaner.clean(&doc).unwrap();
        if c.edits.iter().any(|x| x.category != "whitespace") {
            e.changed += 1;
        }
        if i < 100 && c.edits.iter().any(|x| x.category == "caption") {
            e.first_folder_captions += 1;
        }
        let fired = c.edits.iter().any(|x| x.rule == RULE);
        if fired {
            e.with_rule += 1;
        }
        if fired && i >= pick && e.open.1.is_empty() {
            let removed = annotate(&doc.text, &c.edits)
                .iter()
                .filter(|l| matches!(l.fate, Fate::Removed(_)))
                .count();
            let rel = f.strip_prefix(input).unwrap().to_string_lossy();
            e.open = (i, rel.replace('\\', "/"), removed);
        }
    }
    e
}

fn run(n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let files = generate(&input, n);
    let report = dir.path().join("report.html");
    let t = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_rinse"))
        .arg("diff")
        .arg(&input)
        .arg("--html")
        .arg(&report)
        .output()
        .unwrap();
    let write_secs = t.elapsed().as_secs_f64();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::metadata(&report).unwrap().len();
    let want = expected(&files, &input);
    let url = format!("file://{}", report.display());

    // The list view: counts and filters filled in by the script.
    let (dom, list_secs) = chromium(&dir.path().join("p1"), &["--dump-dom", &url]);
    let dom = String::from_utf8(dom.stdout).unwrap();
    assert_eq!(body_attr(&dom, "data-ready"), "1", "the script ran");
    let list_ms: u64 = body_attr(&dom, "data-load-ms").parse().unwrap();
    assert_eq!(span_text(&dom, "doc-count"), n.to_string());
    assert_eq!(span_text(&dom, "shown-docs"), n.to_string());
    assert_eq!(span_text(&dom, "changed-count"), want.changed.to_string());
    assert!(dom.contains("<table id=\"rules\">"), "the rule table");
    assert!(
        dom.contains(&format!(">{RULE} (")),
        "the rule filter lists {RULE} with its count"
    );
    let rows = dom.matches("<a class=\"row").count();
    assert!(
        rows > 5 && rows < 200,
        "a virtual list renders only the rows in view, not {n}: {rows}"
    );

    // One document opened, filtered by a rule: raw and cleaned side by side.
    let (doc_i, doc_path, removed) = &want.open;
    let opened = format!("{url}#doc={doc_i}&rule={RULE}");
    let (dom, doc_secs) = chromium(&dir.path().join("p2"), &["--dump-dom", &opened]);
    let dom = String::from_utf8(dom.stdout).unwrap();
    let doc_ms: u64 = body_attr(&dom, "data-load-ms").parse().unwrap();
    assert_eq!(span_text(&dom, "shown-docs"), want.with_rule.to_string());
    assert_eq!(span_text(&dom, "doc-path"), doc_path);
    assert_eq!(
        dom.matches("<div class=\"r rm").count(),
        *removed,
        "one removed row per removed raw line"
    );
    assert!(
        dom.contains("<div class=\"r rm sel\""),
        "rows of the chosen rule are marked"
    );
    let rule = Ruleset::defaults().get(RULE).unwrap().clone();
    let title = format!(
        "{}\n{}:{}",
        rule.description, rule.origin.file, rule.origin.line
    );
    let tagged = dom
        .split("<span class=\"tag")
        .filter(|t| t.contains(&format!("\">{RULE}</span>")))
        .map(|t| {
            let at = t.find("title=\"").unwrap() + 7;
            unescape(&t[at..at + t[at..].find('"').unwrap()])
        })
        .collect::<Vec<_>>();
    assert!(!tagged.is_empty(), "tags for {RULE}");
    assert!(
        tagged.iter().all(|t| *t == title),
        "tags carry description and file:line: {:?}",
        tagged[0]
    );
    assert!(dom.contains("<ul class=\"legend\"><li>"), "the rule legend");

    // Search and a category filter, from the address.
    let (dom, _) = chromium(
        &dir.path().join("p4"),
        &["--dump-dom", &format!("{url}#cat=caption&q=000%2F")],
    );
    let dom = String::from_utf8(dom.stdout).unwrap();
    assert_eq!(
        span_text(&dom, "shown-docs"),
        want.first_folder_captions.to_string()
    );
    assert!(want.first_folder_captions > 0);

    let png = dir.path().join("report.png");
    let (_, shot_secs) = chromium(
        &dir.path().join("p3"),
        &[
            &format!("--screenshot={}", png.display()),
            "--window-size=1400,900",
            &opened,
        ],
    );
    let shot = std::fs::read(&png).unwrap();
    assert_eq!(&shot[..8], b"\x89PNG\r\n\x1a\n");
    assert!(
        shot.len() > 40_000,
        "a blank page compresses far smaller: {}",
        shot.len()
    );
    if let Ok(keep) = std::env::var("RINSE_KEEP_SCREENSHOT") {
        std::fs::copy(&png, keep).unwrap();
    }
    if let Ok(keep) = std::env::var("RINSE_KEEP_REPORT") {
        std::fs::copy(&report, keep).unwrap();
    }
    println!(
        "{NAME}: {n} documents, report {:.1} MB written in {write_secs:.1} s; Chromium ready after \
         {list_ms} ms (list), {doc_ms} ms (a document opened); whole headless runs, with browser \
         start: screenshot {shot_secs:.1} s, DOM dumps {list_secs:.1} s and {doc_secs:.1} s",
        bytes as f64 / 1e6
    );
}

#[test]
#[cfg_attr(
    not(rinse_chromium),
    ignore = "needs Chromium at /usr/bin/chromium (apt-get install chromium); `touch build.rs` after installing"
)]
fn report_of_a_thousand_documents_in_headless_chromium() {
    let n = std::env::var("RINSE_REPORT_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    run(n);
}
