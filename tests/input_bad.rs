//! Bad input through the command line: every case names the file and the cause, the other
//! files still complete, the exit status says something went wrong, inputs are untouched.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rinse::input::{decode, DecodeOptions};
use rinse::{Cleaner, Ruleset};

use crate::util::rinse_process as rinse;

fn run(args: &[&std::ffi::OsStr]) -> (Output, String) {
    let out = rinse().arg("clean").args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    (out, err)
}

/// Every file under `dir` with its bytes, to show inputs are never touched.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect()
}

const GOOD: &str = "标题\n这是正文第一段，内容完整。\n责任编辑:张三\n";

fn expected_body(text: &str) -> String {
    Cleaner::new(Ruleset::defaults())
        .clean(&rinse::Document::from_text(text))
        .unwrap()
        .body
}

#[test]
fn garbage_folder_completes_and_reports_each_file() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("good.txt"), GOOD).unwrap();
    std::fs::write(input.join("empty.txt"), "").unwrap();
    std::fs::write(input.join("image.png"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    std::fs::write(input.join("archive.gz"), b"\x1f\x8b\x08\0\0\0\0\0\0\x03").unwrap();
    std::fs::write(input.join("paper.pdf"), b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n").unwrap();
    std::fs::write(
        input.join("nul.txt"),
        "标题\n正文\0中间有空字节。\n".as_bytes(),
    )
    .unwrap();
    let mut damaged = "标题\n这是一段很长的中文正文，中间有".as_bytes().to_vec();
    damaged.extend_from_slice(b"\xff\xfe");
    damaged.extend_from_slice("坏字节，后面还有更多的中文内容。\n".as_bytes());
    std::fs::write(input.join("damaged.txt"), &damaged).unwrap();
    let before = snapshot(&input);
    let out = tmp.path().join("out");

    let (o, err) = run(&[input.as_os_str(), "-o".as_ref(), out.as_os_str()]);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for line in [
        "skipped image.png: not text: looks like a PNG image; skipped",
        "skipped archive.gz: not text: looks like gzip data; skipped",
        "skipped paper.pdf: not text: looks like a PDF document; skipped",
        "warning damaged.txt: 2 invalid byte sequence(s) replaced by U+FFFD while decoding as UTF-8",
    ] {
        assert!(err.contains(line), "missing `{line}` in:\n{err}");
    }
    assert_eq!(
        std::fs::read_to_string(out.join("good.txt")).unwrap(),
        expected_body(GOOD)
    );
    let nul = std::fs::read_to_string(out.join("nul.txt")).unwrap();
    assert!(nul.contains("中间有空字节。"), "{nul:?}");
    let dmg = std::fs::read_to_string(out.join("damaged.txt")).unwrap();
    assert!(
        dmg.contains("中间有\u{FFFD}\u{FFFD}坏字节，后面还有更多的中文内容。"),
        "{dmg:?}"
    );
    let prov: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("damaged.json")).unwrap()).unwrap();
    assert_eq!(prov["source"]["replacement_chars"], 2);
    assert!(!out.join("image.txt").exists());
    // An empty file is not an error: an empty body and a provenance record.
    assert_eq!(std::fs::read_to_string(out.join("empty.txt")).unwrap(), "");
    assert!(out.join("empty.json").exists());
    assert!(!err.contains("empty.txt"), "{err}");
    assert_eq!(snapshot(&input), before, "inputs were modified");
}

#[test]
fn only_good_files_exit_zero() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("good.txt"), GOOD).unwrap();
    std::fs::write(
        input.join("good.txt.url"),
        "https://news.example.cn/1.html\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let (o, err) = run(&[input.as_os_str(), "-o".as_ref(), out.as_os_str()]);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("1 document: 1 cleaned, 0 skipped, 0 failed"),
        "{err}"
    );
}

#[test]
fn fifty_megabytes_without_a_newline() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let unit = "这是一个没有换行的超长段落，内容不断重复。";
    let reps = 50 * 1024 * 1024 / unit.len() + 1;
    // One anti-filter substitution at each end, so the span rules do real work.
    let text = format!("蕞{}蕞", unit.repeat(reps));
    std::fs::write(input.join("huge.txt"), &text).unwrap();
    let out = tmp.path().join("out");
    let (o, err) = run(&[
        input.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "-j".as_ref(),
        "1".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let body = std::fs::read_to_string(out.join("huge.txt")).unwrap();
    assert_eq!(body.len(), text.len() + 1);
    assert!(body.starts_with("最这是一个"));
    assert!(body.ends_with("重复。最\n"));
    let prov: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("huge.json")).unwrap()).unwrap();
    assert_eq!(
        prov["edits"].as_array().unwrap().len(),
        3,
        "{}",
        prov["edits"]
    );
}

#[test]
fn size_cap_is_reported_and_configurable() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("big.txt"), "正文。".repeat(100)).unwrap();
    std::fs::write(input.join("small.txt"), GOOD).unwrap();
    let out = tmp.path().join("out");
    let (o, err) = run(&[
        input.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "--max-bytes".as_ref(),
        "200".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err.contains("skipped big.txt: too large: 900 bytes exceeds the per-document size limit of 200 bytes; skipped (raise it with --max-bytes)"),
        "{err}"
    );
    assert!(out.join("small.txt").exists());
    assert!(!out.join("big.txt").exists());
}

#[test]
fn huge_user_regex_is_rejected_naming_the_rule() {
    let tmp = tempfile::tempdir().unwrap();
    let rules = tmp.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(
        rules.join("big.toml"),
        "[[rule]]\nid = \"test.enormous\"\ncategory = \"footer\"\ndescription = \"too big\"\naction = \"drop-line\"\nregex = '''(?:\\w{100}){100}'''\n",
    )
    .unwrap();
    let input = tmp.path().join("in.txt");
    std::fs::write(&input, GOOD).unwrap();
    let out = tmp.path().join("out");
    let (o, err) = run(&[
        input.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "--rules".as_ref(),
        rules.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("test.enormous"), "{err}");
    assert!(err.contains("big.toml"), "{err}");
    assert!(
        err.contains("exceeds the size limit of 10485760 bytes"),
        "{err}"
    );
    assert!(err.contains("--regex-size-limit"), "{err}");
    // Only the offending rule is reported: the defaults fit the default limit.
    assert_eq!(err.matches("invalid regex").count(), 1, "{err}");
    assert!(!out.join("in.txt").exists());
}

#[cfg(unix)]
#[test]
fn symlink_loop_and_dangling_link_and_strange_names() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(input.join("sub")).unwrap();
    std::fs::write(input.join("a.txt"), GOOD).unwrap();
    std::os::unix::fs::symlink(&input, input.join("sub/loop")).unwrap();
    // A file that vanished between listing and reading looks like this to the walk.
    std::os::unix::fs::symlink(input.join("deleted.txt"), input.join("gone.txt")).unwrap();
    let odd = std::ffi::OsStr::from_bytes(b"bad-\xff\xfe-name.txt");
    std::fs::write(input.join(odd), "标题\n非UTF-8文件名的正文。\n").unwrap();
    let before = snapshot(&input);
    let out = tmp.path().join("out");
    let (o, err) = run(&[input.as_os_str(), "-o".as_ref(), out.as_os_str()]);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("FAILED sub/loop: symbolic link loop; not followed"),
        "{err}"
    );
    assert!(
        err.contains("FAILED gone.txt: No such file or directory"),
        "{err}"
    );
    assert!(out.join("a.txt").exists());
    assert_eq!(
        std::fs::read_to_string(out.join(std::ffi::OsStr::from_bytes(b"bad-\xff\xfe-name.txt")))
            .unwrap(),
        "标题\n非UTF-8文件名的正文。\n"
    );
    assert_eq!(snapshot(&input), before);
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("a.txt"), GOOD).unwrap();
    let locked = input.join("locked.txt");
    std::fs::write(&locked, GOOD).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        eprintln!("running with privileges that ignore file modes: skipped");
        return;
    }
    let out = tmp.path().join("out");
    let (o, err) = run(&[input.as_os_str(), "-o".as_ref(), out.as_os_str()]);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("FAILED locked.txt: cannot read: Permission denied"),
        "{err}"
    );
    assert!(out.join("a.txt").exists());
}

#[test]
fn output_folder_not_writable() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("a.txt"), GOOD).unwrap();
    // A regular file where the output folder should be: even root cannot write into it.
    let blocker = tmp.path().join("blocker");
    std::fs::write(&blocker, "").unwrap();
    let out = blocker.join("out");
    let (o, err) = run(&[input.as_os_str(), "-o".as_ref(), out.as_os_str()]);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("output folder"), "{err}");
    assert!(err.contains(&*out.to_string_lossy()), "{err}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let ro = tmp.path().join("ro");
        std::fs::create_dir(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        if std::fs::write(ro.join("probe"), "").is_err() {
            let (o, err) = run(&[input.as_os_str(), "-o".as_ref(), ro.as_os_str()]);
            assert_eq!(o.status.code(), Some(2), "{err}");
            assert!(err.contains("not writable"), "{err}");
        }
    }
}

#[cfg(unix)]
#[test]
fn ctrl_c_leaves_no_half_written_output() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let seed_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let seeds: Vec<Vec<u8>> = {
        let mut v: Vec<_> = std::fs::read_dir(&seed_dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        v.sort();
        v.iter().map(|p| std::fs::read(p).unwrap()).collect()
    };
    let n = 3000;
    for i in 0..n {
        std::fs::write(input.join(format!("{i:05}.txt")), &seeds[i % seeds.len()]).unwrap();
    }
    let out = tmp.path().join("out");
    let mut child = rinse()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .args(["-j", "2"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Interrupt once the run is under way.
    loop {
        let started = std::fs::read_dir(&out)
            .map(|d| {
                d.filter_map(Result::ok)
                    .any(|e| e.path().extension().is_some_and(|x| x == "txt"))
            })
            .unwrap_or(false);
        if started {
            break;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("finished before it could be interrupted: {status}");
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted"), "{err}");

    let cleaner = Cleaner::new(Ruleset::defaults());
    let mut done = 0;
    for e in std::fs::read_dir(&out).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            !name.starts_with(".rinse-tmp-"),
            "temporary file left: {name}"
        );
        if name.ends_with(".txt") {
            let raw = std::fs::read(input.join(&name)).unwrap();
            let doc = decode(&raw, &name, &DecodeOptions::default()).unwrap();
            let want = cleaner.clean(&doc).unwrap().body;
            assert_eq!(
                std::fs::read_to_string(&p).unwrap(),
                want,
                "{name} truncated"
            );
            assert!(
                p.with_extension("json").exists(),
                "{name} without provenance"
            );
            done += 1;
        }
    }
    assert!(done > 0 && done < n, "{done} of {n} cleaned");
}

// Issue 17: wrong decisions on odd bytes, and names printed to a terminal.

#[test]
fn a_forced_utf16_file_without_a_bom_is_cleaned() {
    let t = tempfile::tempdir().unwrap();
    let mut b = Vec::new();
    for u in GOOD.encode_utf16() {
        b.extend_from_slice(&u.to_le_bytes());
    }
    let f = t.path().join("u16le_nobom.txt");
    std::fs::write(&f, &b).unwrap();
    let out = t.path().join("out");
    let (o, err) = run(&[
        f.as_os_str(),
        "--encoding".as_ref(),
        "utf-16le".as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("u16le_nobom.txt")).unwrap(),
        expected_body(GOOD)
    );
}

#[test]
fn a_real_text_with_control_characters_is_cleaned_not_skipped() {
    let real =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/repost-dev2/rubicon-geli.txt");
    let bytes = std::fs::read(&real).expect("the shared dev corpus beside the repository");
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("rubicon-geli.txt"), &bytes).unwrap();
    let out = t.path().join("out");
    let (o, err) = run(&[input.as_os_str(), "-o".as_ref(), out.as_os_str()]);
    assert!(!err.contains("skipped rubicon"), "{err}");
    assert!(o.status.code() != Some(2), "{err}");
    let body = std::fs::read_to_string(out.join("rubicon-geli.txt")).unwrap();
    assert!(
        body.chars()
            .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
            .count()
            > 50
    );
    let manifest = std::fs::read_to_string(out.join("manifest.jsonl")).unwrap();
    assert!(manifest.contains("\"status\":\"cleaned\""), "{manifest}");
    assert!(manifest.contains("\"quality\":\"ok\""), "{manifest}");
}

#[test]
fn random_high_bytes_are_flagged_not_silently_cleaned() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let mut x = 12345u64;
    let noise: Vec<u8> = (0..50_000)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            0x80 | (x >> 57) as u8
        })
        .collect();
    std::fs::write(input.join("noise.txt"), &noise).unwrap();
    let out = t.path().join("out");
    let (o, err) = run(&[input.as_os_str(), "-o".as_ref(), out.as_os_str()]);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("warning noise.txt: implausible decoding"),
        "{err}"
    );
    assert!(err.contains("not plausibly decoded"), "{err}");
    let prov: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("noise.json")).unwrap()).unwrap();
    assert_eq!(prov["quality"], "garbled");
    assert_eq!(prov["source"]["implausible"], true);
}

#[cfg(unix)]
#[test]
fn names_ids_and_urls_are_escaped_on_the_terminal() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(
        input.join("new\nline FAILED fake.txt"),
        b"\x89PNG\r\n\x1a\n\0",
    )
    .unwrap();
    // Records whose text holds a NUL: each gets a warning naming its id.
    let records = concat!(
        "{\"id\":\"\\u001b]0;PWN\\u0007\",\"text\":\"正文\\u0000\"}\n",
        "{\"id\":\"a\\r\\n FAKE ok line\",\"text\":\"正文\\u0000\"}\n",
    );
    std::fs::write(input.join("r.jsonl"), records).unwrap();
    let out = t.path().join("out");
    let (o, err) = run(&[input.as_os_str(), "-o".as_ref(), out.as_os_str()]);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{7}') && !err.contains('\r'),
        "{err:?}"
    );
    for line in err.lines() {
        assert!(
            !line.starts_with(" FAKE") && !line.starts_with("line FAILED"),
            "{err}"
        );
    }
    assert!(
        err.contains("skipped new\\nline FAILED fake.txt: not text"),
        "{err}"
    );
    assert!(err.contains("(id \\x1b]0;PWN\\x07)"), "{err}");
    assert!(err.contains("(id a\\r\\n FAKE ok line)"), "{err}");
}
