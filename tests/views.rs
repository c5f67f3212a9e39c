//! Every command reads its inputs through the one document pipeline `clean` uses: `diff`,
//! `explain`, `stats`, `watch` and `clean --check` accept records, WARC, several inputs and
//! standard input, and see sidecar URLs the way `clean` does.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::util::rinse;

/// A text whose noise the default rules remove: a byline, a body, an editor line.
const DOC: &str = "标题\n这是正文第一段，内容完整。\n责任编辑:张三\n";

fn out(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).to_string(),
        String::from_utf8_lossy(&o.stderr).to_string(),
    )
}

fn with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rinse"))
        .args(args)
        .env_remove("PAGER")
        .env_remove("RINSE_PAGER")
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
    let o = child.wait_with_output().unwrap();
    writer.join().unwrap();
    o
}

fn jsonl(n: usize) -> String {
    (0..n)
        .map(|i| {
            serde_json::json!({"id": format!("r{i}"), "text": format!("{DOC}第{i}篇。\n")})
                .to_string()
                + "\n"
        })
        .collect()
}

/// A WARC resource record holding `text`.
fn warc_record(uri: &str, text: &str) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: {uri}\r\nWARC-Record-ID: <urn:uuid:{uri}>\r\n\
         WARC-Date: 2021-01-01T00:00:00Z\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n",
        text.len()
    )
    .into_bytes();
    r.extend_from_slice(text.as_bytes());
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

#[test]
fn diff_reads_records_warc_several_inputs_and_standard_input() {
    let t = tempfile::tempdir().unwrap();
    let crawl = t.path().join("crawl.jsonl");
    std::fs::write(&crawl, jsonl(3)).unwrap();
    let warc = t.path().join("pages.warc");
    let mut w = warc_record("http://a.example/1", DOC);
    w.extend(warc_record("http://a.example/2", DOC));
    std::fs::write(&warc, &w).unwrap();
    let page = t.path().join("page.txt");
    std::fs::write(&page, DOC).unwrap();

    let o = rinse()
        .args(["diff", "--stat"])
        .args([&crawl, &warc, &page])
        .output()
        .unwrap();
    let (so, se) = out(&o);
    assert!(o.status.success(), "{so}{se}");
    // Each record is a document, named by its place in its stream, under the path typed.
    for i in 1..=3 {
        assert!(
            so.contains(&format!("{}:{i} (id r{}):", crawl.display(), i - 1)),
            "{so}"
        );
    }
    assert_eq!(
        so.matches(&format!("{}@", warc.display())).count(),
        2,
        "{so}"
    );
    assert!(so.contains(&format!("{}:", page.display())), "{so}");
    assert!(so.contains("6 documents, 6 changed by rules"), "{so}");

    // Standard input is sniffed: JSON Lines (gzipped) are records, not one text.
    let o = with_stdin(&["diff", "--stat", "-"], &gzip(jsonl(2).as_bytes()));
    let (so, se) = out(&o);
    assert!(o.status.success(), "{so}{se}");
    assert!(
        so.contains("-:1 (id r0)") && so.contains("-:2 (id r1)"),
        "{so}"
    );
    let o = with_stdin(&["diff", "--stat", "-"], &w);
    let (so, _) = out(&o);
    assert!(so.contains("2 documents"), "{so}");
}

#[test]
fn stats_and_diff_do_not_count_sidecars_and_explain_sees_their_urls() {
    let t = tempfile::tempdir().unwrap();
    let docs = t.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    // A host-scoped rule applies only where the URL (from the sidecar) is in scope.
    std::fs::write(docs.join("a.txt"), "标题\n正文一段。\n本站专属广告行\n").unwrap();
    std::fs::write(docs.join("a.url"), "https://news.example.org/1.html\n").unwrap();
    let rules = t.path().join("site.toml");
    std::fs::write(
        &rules,
        "scope = { hosts = [\"*.example.org\"] }\n\n[[rule]]\nid = \"site.ad\"\ncategory = \"ad-contact\"\n\
         description = \"the site's own ad line\"\naction = \"drop-line\"\nregex = '专属广告'\n",
    )
    .unwrap();
    let o = rinse()
        .args(["stats", "--json"])
        .arg(&docs)
        .arg("--rules")
        .arg(&rules)
        .output()
        .unwrap();
    let (so, se) = out(&o);
    assert!(o.status.success(), "{so}{se}");
    let v: serde_json::Value = serde_json::from_str(&so).unwrap();
    assert_eq!(v["documents"], 1, "{so}");
    let o = rinse()
        .args(["diff", "--stat"])
        .arg(&docs)
        .arg("--rules")
        .arg(&rules)
        .output()
        .unwrap();
    let (so, _) = out(&o);
    assert_eq!(so.lines().count(), 1, "one document, no summary line: {so}");
    assert!(so.contains("a.txt"), "{so}");
    let o = rinse()
        .arg("explain")
        .arg(format!("{}:3", docs.join("a.txt").display()))
        .arg("--rules")
        .arg(&rules)
        .output()
        .unwrap();
    let (so, se) = out(&o);
    assert!(o.status.success(), "{so}{se}");
    assert!(so.contains("rule:       site.ad"), "{so}");
}

#[test]
fn explain_picks_a_record_of_a_stream() {
    let t = tempfile::tempdir().unwrap();
    let crawl = t.path().join("crawl.jsonl");
    std::fs::write(&crawl, jsonl(3)).unwrap();
    for sel in ["r1", "2"] {
        let o = rinse()
            .arg("explain")
            .arg(&crawl)
            .args(["--record", sel, "--line", "3"])
            .output()
            .unwrap();
        let (so, se) = out(&o);
        assert!(o.status.success(), "{so}{se}");
        assert!(so.contains(":2 (id r1):3: removed"), "{so}");
        assert!(
            so.contains("byline.editor") || so.contains("责任编辑"),
            "{so}"
        );
        assert_eq!(so.matches(": removed").count(), 1, "{so}");
    }
    let o = rinse()
        .arg("explain")
        .arg(&crawl)
        .args(["--record", "nope"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).1.contains("no record `nope`"), "{:?}", out(&o));
}

#[test]
fn standard_input_is_sniffed_and_records_stay_records() {
    // JSON Lines on standard input (here gzipped) come back as records, in order.
    let o = with_stdin(&["clean", "-"], &gzip(jsonl(3).as_bytes()));
    let (so, se) = out(&o);
    assert!(o.status.success(), "{so}{se}");
    let recs: Vec<serde_json::Value> = so
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(recs.len(), 3, "{so}");
    assert_eq!(recs[2]["id"], "r2");
    assert_eq!(
        recs[2]["rinse"]["body"],
        "标题\n这是正文第一段，内容完整。\n第2篇。\n"
    );
    // So are WARC records.
    let mut w = warc_record("http://a.example/1", DOC);
    w.extend(warc_record("http://a.example/2", DOC));
    let o = with_stdin(&["clean", "-"], &w);
    let (so, _) = out(&o);
    assert_eq!(so.lines().count(), 2, "{so}");
    assert!(so
        .lines()
        .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()));
    // One document stays one body.
    let o = with_stdin(&["clean", "-"], DOC.as_bytes());
    assert_eq!(out(&o).0, "标题\n这是正文第一段，内容完整。\n");
}

#[test]
fn check_compares_records_with_the_records_output() {
    let t = tempfile::tempdir().unwrap();
    let crawl = t.path().join("crawl.jsonl");
    std::fs::write(&crawl, jsonl(3)).unwrap();
    let outp = t.path().join("out.jsonl");
    let o = rinse()
        .arg("clean")
        .arg(&crawl)
        .arg("-o")
        .arg(&outp)
        .arg("-q")
        .output()
        .unwrap();
    assert!(o.status.success(), "{:?}", out(&o));
    let check = |rules: Option<&Path>| {
        let mut c = rinse();
        c.arg("clean")
            .arg(&crawl)
            .arg("--check")
            .arg("-o")
            .arg(&outp);
        if let Some(r) = rules {
            c.arg("--rules").arg(r);
        }
        c.output().unwrap()
    };
    let o = check(None);
    let (so, se) = out(&o);
    assert_eq!(o.status.code(), Some(0), "{so}{se}");
    assert!(
        so.contains(&format!(
            "3 documents checked against {}: 0 would change",
            outp.display()
        )),
        "{so}"
    );
    assert!(!so.contains("would add"), "{so}");
    // A rule that removes the last line of every record changes all three.
    let rules = t.path().join("r.toml");
    std::fs::write(
        &rules,
        "[[rule]]\nid = \"x.last\"\ncategory = \"footer\"\ndescription = \"d\"\naction = \"drop-line\"\nregex = '^第\\d+篇'\n",
    )
    .unwrap();
    let o = check(Some(&rules));
    let (so, _) = out(&o);
    assert_eq!(o.status.code(), Some(1), "{so}");
    assert_eq!(so.matches("would change a record in").count(), 3, "{so}");
    assert!(so.contains("from crawl.jsonl:2 (id r1)"), "{so}");
}

#[test]
fn eval_and_rules_list_refuse_what_does_not_exist() {
    let o = rinse()
        .args(["eval", "--gold", "tests/gold", "no-such-dir"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        out(&o).1.contains("no-such-dir does not exist"),
        "{:?}",
        out(&o)
    );
    let t = tempfile::tempdir().unwrap();
    let o = rinse()
        .args(["eval", "--gold", "tests/gold"])
        .arg(t.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        out(&o).1.contains("none of the 5 gold bodies"),
        "{:?}",
        out(&o)
    );
    let o = rinse()
        .args(["rules", "list", "--category", "footr"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let (_, se) = out(&o);
    assert!(se.contains("did you mean `footer`?"), "{se}");
}

#[test]
fn rules_test_names_the_rule_that_took_a_hit_example() {
    let t = tempfile::tempdir().unwrap();
    let rules = t.path().join("r.toml");
    // The default `ad.wechat-prompt` removes this line before the new rule sees it.
    std::fs::write(
        &rules,
        "[[rule]]\nid = \"ad.mine\"\ncategory = \"ad-contact\"\ndescription = \"mine\"\n\
         action = \"drop-line\"\nregex = '扫一扫'\nexamples.hit = [\"扫一扫关注公众号\"]\nexamples.miss = [\"正文。\"]\n",
    )
    .unwrap();
    let o = rinse()
        .args(["rules", "test", "--rules"])
        .arg(&rules)
        .arg("ad.mine")
        .output()
        .unwrap();
    let (so, se) = out(&o);
    assert_eq!(o.status.code(), Some(1), "{so}{se}");
    assert!(
        so.contains("a `hit` example was left alone: `ad.wechat-prompt` (removed \"扫一扫关注公众号\") edited it first"),
        "{so}"
    );
}

#[test]
fn watch_reloads_once_per_save_and_then_settles() {
    let t = tempfile::tempdir().unwrap();
    let docs = t.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(docs.join("a.txt"), "标题\n正文。\n扫码关注\n").unwrap();
    let rules = t.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    let rule = |pat: &str| {
        format!("[[rule]]\nid = \"ad.x\"\ncategory = \"ad\"\ndescription = \"d\"\naction = \"drop-line\"\nregex = '{pat}'\n")
    };
    std::fs::write(rules.join("my.toml"), rule("^无关$")).unwrap();
    let log = t.path().join("log");
    let child = Command::new(env!("CARGO_BIN_EXE_rinse"))
        .arg("watch")
        .arg(&docs)
        .arg("--rules")
        .arg(&rules)
        .args(["--debounce", "100"])
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let _child = Kill(child);
    let read = || std::fs::read_to_string(&log).unwrap_or_default();
    let wait_for = |what: &str, n: usize| {
        for _ in 0..200 {
            if read().matches(what).count() >= n {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("`{what}` did not appear {n} times: {}", read());
    };
    wait_for("rules ok", 1);
    std::thread::sleep(std::time::Duration::from_millis(500));
    std::fs::write(rules.join("my.toml"), rule("^扫码")).unwrap();
    wait_for("--- rules changed", 1);
    // Its own reads of the rules must not set off more reloads: it stays at one.
    std::thread::sleep(std::time::Duration::from_millis(2500));
    assert_eq!(read().matches("--- rules changed").count(), 1, "{}", read());
    assert!(read().contains("1 of 1 documents changed"), "{}", read());
    // A save that leaves the rules as they were reloads nothing either.
    std::fs::write(rules.join("my.toml"), rule("^扫码")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(read().matches("--- rules changed").count(), 1, "{}", read());
}
