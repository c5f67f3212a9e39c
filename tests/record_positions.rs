//! Where records are said to be: `warc_offset` is the record's byte offset in the file as
//! stored (for a per-record gzipped WARC, the start of its gzip member, as warcio and the
//! Common Crawl indexes give it), and JSON Lines line numbers can start at `--first-line`
//! (a Spark partition's first line in the whole file).

use std::io::Write;

use flate2::{write::GzEncoder, Compression};
use rinse::input::warc::build_record;
use serde_json::Value;

use crate::util::rinse;

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn http(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Four records: a warcinfo (not a document), two responses and a WET conversion.
fn records() -> Vec<Vec<u8>> {
    let page = |t: &str| {
        http(&format!(
            "<html><head><title>{t}</title></head><body><h1>{t}</h1><p>市政府今天召开会议，部署今年的防汛抗旱工作。会议要求各地做好准备。</p></body></html>"
        ))
    };
    vec![
        build_record(
            "warcinfo",
            None,
            "application/warc-fields",
            b"software: test\r\n",
        ),
        build_record(
            "response",
            Some("http://a.example.cn/1.html"),
            "application/http; msgtype=response",
            &page("第一篇"),
        ),
        build_record(
            "response",
            Some("http://a.example.cn/2.html"),
            "application/http; msgtype=response",
            &page("第二篇"),
        ),
        build_record(
            "conversion",
            Some("http://a.example.cn/3.html"),
            "text/plain",
            "第三篇\n市政府今天召开会议，部署今年的防汛抗旱工作。".as_bytes(),
        ),
    ]
}

/// The output records of `rinse clean INPUT -o out.jsonl` (INPUT `-` reads `stdin`).
fn clean(dir: &std::path::Path, input: &str, stdin: Option<Vec<u8>>) -> Vec<Value> {
    let out = dir.join("out.jsonl");
    let mut c = rinse();
    c.current_dir(dir)
        .args(["clean", input, "-q", "-o"])
        .arg(&out);
    if let Some(s) = stdin {
        c.write_stdin(s);
    }
    let o = c.output().unwrap();
    // Exit status 1: some records were error records.
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn offsets(recs: &[Value]) -> Vec<(u64, Option<u64>)> {
    recs.iter()
        .map(|r| {
            (
                r["warc_offset"].as_u64().unwrap(),
                r.get("warc_decompressed_offset").and_then(Value::as_u64),
            )
        })
        .collect()
}

#[test]
fn plain_warc_offsets_are_record_starts() {
    let t = tempfile::tempdir().unwrap();
    let mut file = Vec::new();
    let mut starts = Vec::new();
    for r in records() {
        starts.push(file.len() as u64);
        file.extend(r);
    }
    std::fs::write(t.path().join("c.warc"), &file).unwrap();
    let recs = clean(t.path(), "c.warc", None);
    assert_eq!(
        offsets(&recs),
        vec![(starts[1], None), (starts[2], None), (starts[3], None)]
    );
}

#[test]
fn per_record_gzip_offsets_are_member_starts() {
    let t = tempfile::tempdir().unwrap();
    let mut file = Vec::new();
    let mut starts = Vec::new();
    for r in records() {
        starts.push(file.len() as u64);
        file.extend(gz(&r));
    }
    std::fs::write(t.path().join("c.warc.gz"), &file).unwrap();
    let want = vec![(starts[1], None), (starts[2], None), (starts[3], None)];
    let recs = clean(t.path(), "c.warc.gz", None);
    assert_eq!(offsets(&recs), want);
    // Each offset is where a gzip member starts: decompressing from it gives the record.
    for (r, s) in recs.iter().zip(&starts[1..]) {
        let mut d = flate2::read::GzDecoder::new(&file[*s as usize..]);
        let mut text = Vec::new();
        std::io::Read::read_to_end(&mut d, &mut text).unwrap();
        let head = String::from_utf8_lossy(&text);
        assert!(head.starts_with("WARC/1.0\r\n"), "{head}");
        assert!(head.contains(r["id"].as_str().unwrap()), "{head}");
    }
    // The same from standard input.
    let recs = clean(t.path(), "-", Some(file.clone()));
    assert_eq!(offsets(&recs), want);
}

#[test]
fn records_sharing_a_member_carry_their_decompressed_offset() {
    let t = tempfile::tempdir().unwrap();
    let recs = records();
    // One member for the first two records, one for the other two.
    let first: Vec<u8> = recs[..2].concat();
    let second: Vec<u8> = recs[2..].concat();
    let mut file = gz(&first);
    let member2 = file.len() as u64;
    file.extend(gz(&second));
    std::fs::write(t.path().join("c.warc.gz"), &file).unwrap();
    let plain: Vec<u64> = recs
        .iter()
        .scan(0u64, |at, r| {
            let s = *at;
            *at += r.len() as u64;
            Some(s)
        })
        .collect();
    assert_eq!(
        offsets(&clean(t.path(), "c.warc.gz", None)),
        vec![
            // Inside the first member, not at its start.
            (0, Some(plain[1])),
            // The second member's first record: its own start.
            (member2, None),
            (member2, Some(plain[3])),
        ]
    );
}

fn jsonl_with_bad_line(lines: usize, bad: usize) -> String {
    (1..=lines)
        .map(|i| {
            if i == bad {
                "{\"id\": \"broken\", \"text\": \n".to_string()
            } else {
                format!(
                    "{}\n",
                    serde_json::json!({"text": format!("第{i}条\n正文内容在这里。")})
                )
            }
        })
        .collect()
}

/// (line, error) of each error record, and the provenance path of each cleaned one.
fn lines_of(recs: &[Value]) -> (Vec<u64>, Vec<String>) {
    let mut errors = Vec::new();
    let mut paths = Vec::new();
    for r in recs {
        let v = &r["rinse"];
        if let Some(l) = v["position"]["line"].as_u64() {
            errors.push(l);
        } else {
            paths.push(
                v["provenance"]["source"]["path"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            );
        }
    }
    (errors, paths)
}

#[test]
fn first_line_offsets_record_line_numbers() {
    let t = tempfile::tempdir().unwrap();
    // The whole file: the bad record is on line 7.
    let whole = jsonl_with_bad_line(10, 7);
    std::fs::write(t.path().join("all.jsonl"), &whole).unwrap();
    let (errors, _) = lines_of(&clean(t.path(), "all.jsonl", None));
    assert_eq!(errors, vec![7]);
    // Its second half, as a Spark partition holding lines 6..=10 sees it.
    let part: String = whole.lines().skip(5).map(|l| format!("{l}\n")).collect();
    std::fs::write(t.path().join("part.jsonl"), &part).unwrap();
    let out = t.path().join("out.jsonl");
    for input in ["part.jsonl", "-"] {
        let o = rinse()
            .current_dir(t.path())
            .args(["clean", input, "--first-line", "6", "-q", "-o"])
            .arg(&out)
            .write_stdin(part.clone())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        let name = if input == "-" { "-" } else { "part.jsonl" };
        assert!(err.contains(&format!("FAILED {name}:7: not JSON")), "{err}");
        let recs: Vec<Value> = std::fs::read_to_string(&out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let (errors, paths) = lines_of(&recs);
        assert_eq!(errors, vec![7], "{input}");
        assert_eq!(
            paths,
            [6, 8, 9, 10].map(|n| format!("{name}:{n}")).to_vec(),
            "{input}"
        );
    }
}

#[test]
fn first_line_needs_one_json_lines_input() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("a.jsonl"), "{\"text\": \"x\"}\n").unwrap();
    std::fs::write(t.path().join("b.jsonl"), "{\"text\": \"y\"}\n").unwrap();
    std::fs::write(t.path().join("a.txt"), "x\n").unwrap();
    for args in [&["a.jsonl", "b.jsonl"][..], &["a.txt"][..], &["."][..]] {
        let o = rinse()
            .current_dir(t.path())
            .arg("clean")
            .args(args)
            .args(["--first-line", "3", "-o", "out.jsonl"])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("--first-line"), "{err}");
    }
    let o = rinse()
        .current_dir(t.path())
        .args(["clean", "a.jsonl", "--first-line", "0", "-o", "out.jsonl"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}
