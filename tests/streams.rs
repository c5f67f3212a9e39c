//! Corpus scale (issue 11): standard input and output, several inputs, folder walking like
//! ripgrep, JSON Lines and WARC records, the manifest.

use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

use rinse::input::warc::build_record;

use crate::util::rinse_process as rinse;

fn run_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = rinse()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut si = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = si.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn lines(bytes: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const GOOD: &str = "标题\n这是正文第一段，内容完整。\n责任编辑:张三\n";

fn expected_body(text: &str) -> String {
    rinse::Cleaner::new(rinse::Ruleset::defaults())
        .clean(&rinse::Document::from_text(text))
        .unwrap()
        .body
}

#[test]
fn a_page_on_standard_input_gives_its_body_on_standard_output() {
    let o = run_with_stdin(&["clean", "-"], GOOD.as_bytes());
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(String::from_utf8(o.stdout).unwrap(), expected_body(GOOD));
}

fn jsonl_input() -> String {
    let mut s = String::new();
    for i in 0..300 {
        s.push_str(
            &serde_json::json!({"id": i, "text": format!("{GOOD}第{i}篇。\n"), "lang": "zh"})
                .to_string(),
        );
        s.push('\n');
        if i == 100 {
            s.push_str("this is not json\n");
        }
        if i == 200 {
            s.push_str("{\"title\": \"no text\"}\n");
        }
    }
    s
}

#[test]
fn json_lines_keep_order_fields_and_bad_records() {
    let input = jsonl_input();
    let o = run_with_stdin(
        &["clean", "--format", "jsonl", "-", "-j", "2"],
        input.as_bytes(),
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let out = lines(&o.stdout);
    assert_eq!(out.len(), input.lines().count(), "records in = records out");
    assert!(err.contains("FAILED -:102: not JSON"), "{err}");
    assert!(
        err.contains("FAILED -:203: no `text` or `html` field"),
        "{err}"
    );
    let good: Vec<_> = out.iter().filter(|r| r.get("id").is_some()).collect();
    for (i, r) in good.iter().enumerate() {
        assert_eq!(r["id"], i, "order kept");
        assert_eq!(r["lang"], "zh", "fields kept");
        assert_eq!(
            r["rinse"]["body"],
            expected_body(&format!("{GOOD}第{i}篇。\n"))
        );
        assert_eq!(r["rinse"]["metadata"]["editor"], "张三");
        assert!(r["rinse"]["provenance"]["edits"].is_array());
        assert_eq!(
            r["rinse"]["provenance"]["rinse"]["version"],
            env!("CARGO_PKG_VERSION")
        );
    }
    assert_eq!(out[101]["rinse"]["raw"], "this is not json");
    assert_eq!(out[101]["rinse"]["position"]["line"], 102);
    assert_eq!(out[202]["title"], "no text");
    assert!(out[202]["rinse"]["error"].is_string());
    // One thread gives the same bytes; --provenance none drops the edits.
    let one = run_with_stdin(
        &["clean", "--format", "jsonl", "-", "-j", "1"],
        input.as_bytes(),
    );
    assert_eq!(one.stdout, o.stdout);
    let none = run_with_stdin(
        &["clean", "--format", "jsonl", "-", "--provenance", "none"],
        input.as_bytes(),
    );
    assert!(lines(&none.stdout)[0]["rinse"].get("provenance").is_none());
}

#[test]
fn compressed_records_by_extension_and_truncation() {
    let t = tempfile::tempdir().unwrap();
    let input = jsonl_input();
    let gz = t.path().join("in.jsonl.gz");
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(input.as_bytes()).unwrap();
    let gz_bytes = e.finish().unwrap();
    std::fs::write(&gz, &gz_bytes).unwrap();
    let out = t.path().join("out.jsonl.zst");
    let o = rinse()
        .arg("clean")
        .arg(&gz)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let plain = zstd::decode_all(std::fs::File::open(&out).unwrap()).unwrap();
    assert_eq!(lines(&plain).len(), input.lines().count());
    // A truncated gzip: what could be read is cleaned, the damage is reported.
    let cut = t.path().join("cut.jsonl.gz");
    std::fs::write(&cut, &gz_bytes[..gz_bytes.len() / 2]).unwrap();
    let o = rinse()
        .arg("clean")
        .arg(&cut)
        .arg("-o")
        .arg(t.path().join("cut-out.jsonl"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("the rest of the stream is lost"), "{err}");
}

#[test]
fn warc_responses_and_wet_conversions_become_records() {
    let t = tempfile::tempdir().unwrap();
    let page = "<html><head><meta charset=gbk><title>标题</title></head><body><h1>标题</h1><p>这是正文第一段，内容完整。</p></body></html>";
    let (gbk, _, _) = encoding_rs::GBK.encode(page);
    let mut http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=GBK\r\n\r\n".to_vec();
    http.extend_from_slice(&gbk);
    let mut warc = build_record(
        "warcinfo",
        None,
        "application/warc-fields",
        b"software: test\r\n",
    );
    warc.extend(build_record(
        "request",
        Some("http://news.example.cn/1"),
        "application/http; msgtype=request",
        b"GET / HTTP/1.1\r\n\r\n",
    ));
    warc.extend(build_record(
        "response",
        Some("http://news.example.cn/1"),
        "application/http; msgtype=response",
        &http,
    ));
    let mut bad = build_record(
        "conversion",
        Some("http://x.cn/2"),
        "text/plain",
        "坏长度的记录。".as_bytes(),
    );
    let s = String::from_utf8(bad.clone())
        .unwrap()
        .replace("Content-Length: 21", "Content-Length: 5");
    bad = s.into_bytes();
    warc.extend(bad);
    warc.extend(build_record(
        "response",
        Some("dns:x.cn"),
        "text/dns",
        b"x.cn. 60 IN A 1.2.3.4",
    ));
    warc.extend(build_record(
        "conversion",
        Some("http://news.example.cn/3"),
        "text/plain",
        GOOD.as_bytes(),
    ));
    let path = t.path().join("crawl.warc.gz");
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(&warc).unwrap();
    std::fs::write(&path, e.finish().unwrap()).unwrap();
    let out = t.path().join("out.jsonl");
    let o = rinse()
        .arg("clean")
        .arg(&path)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("does not end where the record does"), "{err}");
    assert!(err.contains("not an HTTP response"), "{err}");
    let recs = lines(&std::fs::read(&out).unwrap());
    assert_eq!(
        recs.len(),
        4,
        "response, bad record, dns record, conversion"
    );
    assert_eq!(recs[0]["url"], "http://news.example.cn/1");
    assert_eq!(
        recs[0]["rinse"]["body"],
        "标题\n这是正文第一段，内容完整。\n"
    );
    assert_eq!(
        recs[0]["rinse"]["provenance"]["source"]["encoding"],
        "gb18030"
    );
    assert!(recs[1]["rinse"]["error"].is_string());
    assert_eq!(recs[3]["rinse"]["body"], expected_body(GOOD));
}

#[test]
fn several_inputs_ripgrep_walking_and_the_manifest() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    std::fs::write(root.join("a.txt"), GOOD).unwrap();
    std::fs::create_dir_all(root.join("b/.git")).unwrap();
    std::fs::write(root.join("b/.git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::write(root.join("b/.gitignore"), "ignored.txt\n").unwrap();
    std::fs::write(root.join("b/ignored.txt"), GOOD).unwrap();
    std::fs::write(root.join("b/.hidden.txt"), GOOD).unwrap();
    std::fs::write(root.join("b/page.html"), "<p>正文。</p>").unwrap();
    std::fs::write(root.join("b/notes.md"), GOOD).unwrap();
    std::fs::write(root.join("c.html"), "<h1>标题</h1><p>正文。</p>").unwrap();
    let out = root.join("out");
    let o = rinse()
        .current_dir(root)
        .args(["clean", "a.txt", "b", "c.html", "-o", "out"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let mut names: Vec<String> = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(&out)
                .unwrap()
                .to_string_lossy()
                .to_string()
        })
        .collect();
    names.sort();
    // .git, hidden and git-ignored files are skipped (a .gitignore applies without a repo
    // only with --no-ignore off and a .git folder present, as in ripgrep).
    assert_eq!(
        names,
        [
            "a.json",
            "a.txt",
            "b/notes.json",
            "b/notes.txt",
            "b/page.json",
            "b/page.txt",
            "c.json",
            "c.txt",
            "manifest.jsonl"
        ]
    );
    let manifest = lines(&std::fs::read(out.join("manifest.jsonl")).unwrap());
    assert_eq!(manifest.len(), 4);
    assert_eq!(manifest[0]["path"], "a.txt");
    assert_eq!(manifest[0]["status"], "cleaned");
    assert_eq!(
        manifest[0]["body_blake3"],
        blake3::hash(expected_body(GOOD).as_bytes())
            .to_hex()
            .to_string()
    );
    assert_eq!(manifest[0]["metadata"]["editor"], "张三");
    // --hidden, --no-ignore and --glob.
    let o = rinse()
        .current_dir(root)
        .args([
            "clean",
            "b",
            "-o",
            "out2",
            "--hidden",
            "--no-ignore",
            "--glob",
            "*.txt",
            "--glob",
            "!.git",
        ])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(root.join("out2/ignored.txt").exists());
    assert!(root.join("out2/.hidden.txt").exists());
    assert!(!root.join("out2/page.txt").exists());
    assert!(!root.join("out2/.git").exists());
    // Two inputs with the same name are refused before anything is written.
    std::fs::create_dir_all(root.join("x")).unwrap();
    std::fs::write(root.join("x/a.txt"), GOOD).unwrap();
    let o = rinse()
        .current_dir(root)
        .args(["clean", "a.txt", "x/a.txt", "-o", "out3"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(!root.join("out3").exists());
}

#[test]
fn json_summary_and_quality_flags() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("a.txt"), GOOD).unwrap();
    // A whole page (of some size: a small one may be just its article) that keeps
    // everything is flagged for review.
    std::fs::write(
        input.join("page.html"),
        format!(
            "<html><body><h1>标题</h1>{}</body></html>",
            "<p>这是正文的一个段落，内容完整，没有任何页面的导航和广告，只有文字。</p>".repeat(80)
        ),
    )
    .unwrap();
    let o = rinse()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(t.path().join("out"))
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let s: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(s["documents"], 2);
    assert_eq!(s["cleaned"], 2);
    assert_eq!(s["kept_most"], 1);
    assert_eq!(s["flagged"][0]["path"], "page.html");
    assert_eq!(s["ok"], true);
    let prov: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(t.path().join("out/page.json")).unwrap())
            .unwrap();
    assert_eq!(prov["quality"], "kept-most");
    let o = rinse()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(t.path().join("out"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("review first: 1 document"), "{err}");
    assert!(err.contains("kept-most     page.html"), "{err}");
    let _ = Path::new("");
}

// Issue 17: WARC records that lie, carry bytes that are not UTF-8, or inflate too far.

/// The record of issue 17 item 5 (a target URI ending in the byte 0xFF), then a good one.
fn non_utf8_header_warc() -> Vec<u8> {
    let mut f = b"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: http://x/\xff\r\nWARC-Record-ID: <urn:uuid:1>\r\nWARC-Date: 2021-01-01T00:00:00Z\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi\r\n\r\n".to_vec();
    f.extend(rinse::input::warc::build_record(
        "conversion",
        Some("http://a.cn/2"),
        "text/plain",
        GOOD.as_bytes(),
    ));
    f
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(data).unwrap();
    gz.finish().unwrap()
}

#[test]
fn a_warc_header_that_is_not_utf8_never_stops_a_run() {
    let t = tempfile::tempdir().unwrap();
    let warc = non_utf8_header_warc();
    let check = |records: &[serde_json::Value], how: &str| {
        assert_eq!(records.len(), 2, "{how}: {records:?}");
        assert_eq!(records[0]["url"], "http://x/%FF", "{how}");
        assert_eq!(records[0]["rinse"]["body"], "hi\n", "{how}");
        assert_eq!(records[1]["rinse"]["body"], expected_body(GOOD), "{how}");
    };
    for (name, bytes) in [("m.warc", warc.clone()), ("m.warc.gz", gzip(&warc))] {
        let input = t.path().join(name);
        std::fs::write(&input, &bytes).unwrap();
        let out = t.path().join(format!("{name}.jsonl"));
        let o = rinse()
            .arg("clean")
            .arg(&input)
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{name}: {err}");
        check(&lines(&std::fs::read(&out).unwrap()), name);
    }
    let o = run_with_stdin(&["clean", "-"], &warc);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    check(&lines(&o.stdout), "stdin");
    // A folder run writes its records file and its manifest.
    let dir = t.path().join("in");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("m.warc"), &warc).unwrap();
    std::fs::write(dir.join("a.txt"), GOOD).unwrap();
    let out = t.path().join("out");
    let o = rinse()
        .arg("clean")
        .arg(&dir)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    check(
        &lines(&std::fs::read(out.join("m.jsonl")).unwrap()),
        "folder",
    );
    assert!(out.join("manifest.jsonl").exists());
}

#[test]
fn records_after_one_that_lies_about_its_length_are_kept() {
    let t = tempfile::tempdir().unwrap();
    let body = "第一篇".repeat(130);
    let lying = rinse::input::warc::build_record(
        "conversion",
        Some("http://a.cn/1"),
        "text/plain",
        body.as_bytes(),
    );
    let lying = String::from_utf8(lying)
        .unwrap()
        .replace(
            &format!("Content-Length: {}", body.len()),
            "Content-Length: 1073741824",
        )
        .into_bytes();
    let mut f = lying.clone();
    for (i, text) in ["第二篇正文。\n", "第三篇正文。\n"].iter().enumerate() {
        f.extend(rinse::input::warc::build_record(
            "conversion",
            Some(&format!("http://a.cn/{}", i + 2)),
            "text/plain",
            text.as_bytes(),
        ));
    }
    let input = t.path().join("lying.warc");
    std::fs::write(&input, &f).unwrap();
    let out = t.path().join("out.jsonl");
    let o = rinse()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "FAILED lying.warc@0: Content-Length 1073741824 runs past the end of the file; resumed at the next record at byte {}",
            lying.len()
        )),
        "{err}"
    );
    let records = lines(&std::fs::read(&out).unwrap());
    assert_eq!(records.len(), 3, "{records:?}");
    assert_eq!(records[0]["rinse"]["position"]["offset"], 0);
    assert_eq!(records[1]["url"], "http://a.cn/2");
    assert_eq!(records[2]["url"], "http://a.cn/3");
}

#[test]
fn a_gzip_payload_is_inflated_no_further_than_the_size_cap() {
    let t = tempfile::tempdir().unwrap();
    let mut msg =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
    msg.extend(gzip(&vec![b' '; 40 << 20]));
    let mut f = rinse::input::warc::build_record(
        "response",
        Some("http://a.cn/bomb"),
        "application/http; msgtype=response",
        &msg,
    );
    f.extend(rinse::input::warc::build_record(
        "conversion",
        Some("http://a.cn/2"),
        "text/plain",
        GOOD.as_bytes(),
    ));
    let input = t.path().join("bomb.warc");
    std::fs::write(&input, &f).unwrap();
    let o = rinse()
        .arg("clean")
        .arg(&input)
        .args(["-o", "-", "--max-bytes", "1000000"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("FAILED bomb.warc@0: gzip payload inflates past the per-document size limit of 1000000 bytes"),
        "{err}"
    );
    let records = lines(&o.stdout);
    assert_eq!(records.len(), 2);
    assert_eq!(records[1]["rinse"]["body"], expected_body(GOOD));
}
