//! Data safety of `rinse clean` (issue 8): outputs never land in the inputs, runs never
//! block, interrupted and concurrent runs leave consistent pairs, names never collide
//! silently, odd inputs are reported.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::util::rinse_process as rinse;

fn clean(args: &[&std::ffi::OsStr]) -> (Output, String) {
    let out = rinse().arg("clean").args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    (out, err)
}

/// Every file under `dir` (not following links) with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

#[test]
fn file_input_with_its_own_folder_as_output_is_refused() {
    let t = tempfile::tempdir().unwrap();
    let a = t.path().join("a");
    std::fs::create_dir(&a).unwrap();
    std::fs::write(a.join("foo.txt"), "正文。\n").unwrap();
    std::fs::write(a.join("bar.html"), "<p>另一篇</p>\n").unwrap();
    std::fs::write(a.join("bar.txt"), "笔记\n").unwrap();
    let before = tree(&a);
    for input in ["foo.txt", "bar.html"] {
        let (o, err) = clean(&[a.join(input).as_os_str(), os("-o"), a.as_os_str()]);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(
            err.contains("would overwrite it or the files beside it"),
            "{err}"
        );
    }
    assert_eq!(tree(&a), before, "nothing written");
}

#[test]
fn input_folder_inside_the_output_folder_is_refused() {
    let t = tempfile::tempdir().unwrap();
    let x = t.path().join("x");
    std::fs::create_dir_all(x.join("sub/sub")).unwrap();
    std::fs::write(x.join("sub/b.txt"), "原始输入\n").unwrap();
    std::fs::write(x.join("sub/sub/b.html"), "<p>另一篇</p>\n").unwrap();
    let before = tree(&x);
    let (o, err) = clean(&[x.join("sub").as_os_str(), os("-o"), x.as_os_str()]);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("is inside the output folder"), "{err}");
    assert_eq!(tree(&x), before, "nothing written");
}

#[cfg(unix)]
#[test]
fn symlink_in_the_output_folder_into_the_input_is_refused() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    std::fs::create_dir_all(input.join("sub")).unwrap();
    std::fs::write(input.join("sub/b.txt"), "原始输入\n").unwrap();
    let out = t.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink(input.join("sub"), out.join("sub")).unwrap();
    let before = tree(&input);
    let (o, err) = clean(&[input.as_os_str(), os("-o"), out.as_os_str()]);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("is a symbolic link to"), "{err}");
    assert_eq!(tree(&input), before);
    assert!(!out.join(".rinse.lock").exists());
}

#[test]
fn output_that_is_a_file_says_so() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("a.txt"), "正文。\n").unwrap();
    let afile = t.path().join("afile");
    std::fs::write(&afile, "").unwrap();
    let (o, err) = clean(&[input.as_os_str(), os("-o"), afile.as_os_str()]);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("is a file, not a folder"), "{err}");
    assert!(!err.contains("os error"), "{err}");
}

/// 3,000 seed copies: a run long enough to interrupt.
fn big_input(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut texts: Vec<_> = std::fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    texts.sort();
    let texts: Vec<Vec<u8>> = texts.iter().map(|p| std::fs::read(p).unwrap()).collect();
    for i in 0..n {
        std::fs::write(dir.join(format!("{i:05}.txt")), &texts[i % texts.len()]).unwrap();
    }
}

fn wait_for_output(out: &Path, child: &mut std::process::Child) {
    let start = Instant::now();
    loop {
        let started = std::fs::read_dir(out)
            .map(|d| {
                d.filter_map(Result::ok)
                    .any(|e| e.path().extension().is_some_and(|x| x == "txt"))
            })
            .unwrap_or(false);
        if started {
            return;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("finished before it could be interrupted: {status}");
        }
        assert!(start.elapsed() < Duration::from_secs(60), "never started");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn signal(child: &std::process::Child, sig: &str) {
    assert!(Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap()
        .success());
}

/// Every body has its provenance and the other way round; no temporary file is left.
fn assert_pairs(out: &Path) -> usize {
    let files = tree(out);
    let mut pairs = 0;
    for p in files.keys() {
        let name = p.to_string_lossy();
        assert!(!name.contains(".rinse-tmp-"), "temporary file left: {name}");
        match p.extension().and_then(|x| x.to_str()) {
            Some("txt") => {
                assert!(
                    files.contains_key(&p.with_extension("json")),
                    "{name} alone"
                );
                pairs += 1;
            }
            Some("json") => {
                assert!(files.contains_key(&p.with_extension("txt")), "{name} alone")
            }
            _ => {}
        }
    }
    pairs
}

#[cfg(unix)]
#[test]
fn sigterm_is_ctrl_c_one_line_exit_130_pairs_whole() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    big_input(&input, 3000);
    let out = t.path().join("out");
    let mut child = rinse()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .args(["-j", "2"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_output(&out, &mut child);
    signal(&child, "-TERM");
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(130), "{err}");
    assert!(!err.contains("FAILED"), "{err}");
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("interrupted: ") && l.contains("written"))
        .collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].ends_with("documents written; re-run to finish"),
        "{err}"
    );
    assert!(lines[0].contains(" of 3,000 "), "{err}");
    let pairs = assert_pairs(&out);
    assert!(pairs > 0 && pairs < 3000, "{pairs}");
    assert!(!out.join(".rinse.lock").exists());
    // A second signal while the first is being honoured still leaves whole pairs.
    let out2 = t.path().join("out2");
    let mut child = rinse()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(&out2)
        .args(["-j", "2"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_output(&out2, &mut child);
    signal(&child, "-INT");
    signal(&child, "-INT");
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130));
    assert_pairs(&out2);
}

#[cfg(unix)]
#[test]
fn killed_run_is_repaired_by_the_next_run() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    big_input(&input, 3000);
    let out = t.path().join("out");
    let mut child = rinse()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .args(["-j", "2"])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_output(&out, &mut child);
    signal(&child, "-KILL");
    child.wait().unwrap();
    // What a kill can leave: our temporary files (stale lock file without a lock holder).
    std::fs::write(out.join(".rinse-tmp-99999.json.part"), "partial").unwrap();
    let (o, err) = clean(&[input.as_os_str(), os("-o"), out.as_os_str(), os("-q")]);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(assert_pairs(&out), 3000);
}

#[cfg(unix)]
#[test]
fn a_second_run_into_the_same_folder_is_refused() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    big_input(&input, 3000);
    let out = t.path().join("out");
    let mut first = rinse()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .args(["-j", "1"])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_output(&out, &mut first);
    let (o, err) = clean(&[input.as_os_str(), os("-o"), out.as_os_str()]);
    first.wait().unwrap();
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("in use by another rinse run"), "{err}");
    assert_eq!(assert_pairs(&out), 3000);
}

#[cfg(unix)]
#[test]
fn outputs_respect_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("a.txt"), "正文。\n").unwrap();
    let out = t.path().join("out");
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 022 && exec '{}' clean '{}' -o '{}' -q",
            env!("CARGO_BIN_EXE_rinse"),
            input.display(),
            out.display()
        ))
        .status()
        .unwrap();
    assert!(status.success());
    for f in ["a.txt", "a.json", "manifest.jsonl"] {
        let mode = std::fs::metadata(out.join(f)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "{f}: {mode:o}");
    }
}

#[cfg(unix)]
#[test]
fn name_collisions_are_the_same_for_any_job_count_and_lossless() {
    use std::os::unix::ffi::OsStrExt;
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    std::fs::create_dir_all(input.join("a.txt")).unwrap();
    std::fs::write(input.join("a.txt/inner.txt"), "里面的文件。\n").unwrap();
    std::fs::write(input.join("a"), "同名文件。\n").unwrap();
    std::fs::write(
        input.join(std::ffi::OsStr::from_bytes(b"b\xff\xfe.txt")),
        "第一篇。\n",
    )
    .unwrap();
    std::fs::write(
        input.join(std::ffi::OsStr::from_bytes(b"b\xff\xfd.txt")),
        "第二篇。\n",
    )
    .unwrap();
    std::fs::write(input.join("C.txt"), "大写。\n").unwrap();
    std::fs::write(input.join("c.html"), "<p>小写。</p>\n").unwrap();
    let run = |jobs: &str| {
        let out = t.path().join(format!("out{jobs}"));
        let (o, err) = clean(&[
            input.as_os_str(),
            os("-o"),
            out.as_os_str(),
            os("-j"),
            os(jobs),
        ]);
        assert_eq!(o.status.code(), Some(1), "{err}");
        (tree(&out), err)
    };
    let (one, err) = run("1");
    let (two, err2) = run("2");
    assert_eq!(one, two);
    assert!(
        err.contains("FAILED a: its output a.txt is already taken"),
        "{err}"
    );
    assert!(
        err.contains("FAILED c.html: its output c.txt is already taken by C.txt"),
        "{err}"
    );
    let failed = |e: &str| e.lines().filter(|l| l.starts_with("FAILED")).count();
    assert_eq!((failed(&err), failed(&err2)), (2, 2), "{err}");
    assert_eq!(
        one[Path::new("a.txt/inner.txt")],
        "里面的文件。\n".as_bytes()
    );
    assert_eq!(
        one[Path::new(std::ffi::OsStr::from_bytes(b"b\xff\xfe.txt"))],
        "第一篇。\n".as_bytes()
    );
    assert_eq!(
        one[Path::new(std::ffi::OsStr::from_bytes(b"b\xff\xfd.txt"))],
        "第二篇。\n".as_bytes()
    );
    assert_eq!(one[Path::new("C.txt")], "大写。\n".as_bytes());
    let prov =
        String::from_utf8(one[Path::new(std::ffi::OsStr::from_bytes(b"b\xff\xfe.json"))].clone())
            .unwrap();
    assert!(prov.contains(r#""path": "b\\xFF\\xFE.txt""#), "{prov}");
}

#[cfg(unix)]
#[test]
fn fifos_are_skipped_and_devices_refused() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("a.txt"), "正文。\n").unwrap();
    assert!(Command::new("mkfifo")
        .arg(input.join("pipe.txt"))
        .status()
        .unwrap()
        .success());
    std::os::unix::fs::symlink(input.join("pipe.txt"), input.join("link.txt")).unwrap();
    let out = t.path().join("out");
    let mut child = rinse()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(30) {
            child.kill().unwrap();
            panic!("blocked on a FIFO");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("skipped pipe.txt: a FIFO (named pipe); not read"),
        "{err}"
    );
    assert!(
        err.contains("skipped link.txt: a FIFO (named pipe); not read"),
        "{err}"
    );
    assert!(out.join("a.txt").exists());
    for dev in ["/dev/zero", "/dev/null"] {
        let (o, err) = clean(&[os(dev), os("-o"), out.as_os_str()]);
        assert_eq!(o.status.code(), Some(2), "{dev}: {err}");
        assert!(
            err.contains("is a character device, not a file or folder"),
            "{err}"
        );
    }
}

#[cfg(unix)]
#[test]
fn links_out_of_the_tree_are_reported_not_followed() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("a.txt"), "正文。\n").unwrap();
    let secret = t.path().join("elsewhere");
    std::fs::create_dir(&secret).unwrap();
    std::fs::write(secret.join("private.txt"), "别处的文件。\n").unwrap();
    std::os::unix::fs::symlink(&secret, input.join("outside")).unwrap();
    std::os::unix::fs::symlink(input.join("a.txt"), input.join("inside.txt")).unwrap();
    let out = t.path().join("out");
    let (o, err) = clean(&[input.as_os_str(), os("-o"), out.as_os_str()]);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("skipped outside: symbolic link to"), "{err}");
    assert!(
        err.contains("outside the input folder; not followed (--follow to follow)"),
        "{err}"
    );
    assert!(!out.join("outside/private.txt").exists());
    assert!(
        out.join("inside.txt").exists(),
        "links inside the tree are followed"
    );
    let out2 = t.path().join("out2");
    let (o, err) = clean(&[
        input.as_os_str(),
        os("-o"),
        out2.as_os_str(),
        os("--follow"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(out2.join("outside/private.txt").exists());
}

#[test]
fn nul_bytes_after_the_first_block_are_removed_with_a_warning() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let mut bytes = "标题\n这是正文第一段，内容完整。\n"
        .repeat(400)
        .into_bytes();
    assert!(bytes.len() > 8192);
    bytes.extend(std::iter::repeat_n(0u8, 1 << 20));
    std::fs::write(input.join("padded.txt"), &bytes).unwrap();
    let out = t.path().join("out");
    let (o, err) = clean(&[input.as_os_str(), os("-o"), out.as_os_str()]);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("warning padded.txt: 1048576 NUL bytes removed (not text)"),
        "{err}"
    );
    let body = std::fs::read_to_string(out.join("padded.txt")).unwrap();
    assert!(!body.contains('\0'));
    assert!(body.contains("这是正文第一段"));
    let prov = std::fs::read_to_string(out.join("padded.json")).unwrap();
    assert!(prov.contains("NUL bytes removed"), "{prov}");
}

#[test]
fn mixed_encodings_are_decoded_per_line_and_flagged() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let mut bytes = "第一段是统一码写的正文。\n".as_bytes().to_vec();
    bytes.extend(
        encoding_rs::GBK
            .encode("第二段是国标码写的正文。\n")
            .0
            .iter(),
    );
    bytes.extend(
        encoding_rs::BIG5
            .encode("第三段是大五碼寫的正文。\n")
            .0
            .iter(),
    );
    std::fs::write(input.join("mixed.txt"), &bytes).unwrap();
    let out = t.path().join("out");
    let (o, err) = clean(&[input.as_os_str(), os("-o"), out.as_os_str()]);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("warning mixed.txt: mixed encodings"), "{err}");
    let body = std::fs::read_to_string(out.join("mixed.txt")).unwrap();
    // The UTF-8 line survives whatever the other lines are (GBK and Big5 lines cannot both
    // be right: they are decoded with the one legacy encoding detected on them).
    assert!(body.starts_with("第一段是统一码写的正文。\n"), "{body}");
    let prov: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("mixed.json")).unwrap()).unwrap();
    assert_eq!(prov["source"]["encoding_reason"], "mixed");
    assert!(prov["source"]["warnings"][0]
        .as_str()
        .unwrap()
        .starts_with("mixed encodings"));
}

#[cfg(unix)]
#[test]
fn watch_follows_a_rules_folder_deleted_and_created_again() {
    use std::io::{BufRead, BufReader};
    use std::sync::{Arc, Mutex};
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("a.txt"), "标题\n正文第一段。\n水印文字\n").unwrap();
    let rules = t.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    let rule = |pat: &str| {
        format!("[[rule]]\nid = \"test.mark\"\ncategory = \"ad\"\ndescription = \"d\"\naction = \"drop-line\"\nregex = '{pat}'\n")
    };
    std::fs::write(rules.join("r.toml"), rule("^无关$")).unwrap();
    let mut child = rinse()
        .arg("watch")
        .arg(&input)
        .arg("--rules")
        .arg(&rules)
        .args(["--debounce", "100"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let seen = Arc::new(Mutex::new(String::new()));
    for pipe in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let seen = seen.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                let mut s = seen.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
    }
    let wait_for = |what: &str| {
        let start = Instant::now();
        while !seen.lock().unwrap().contains(what) {
            if start.elapsed() > Duration::from_secs(20) {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        true
    };
    let ok = wait_for("watching") && {
        std::fs::remove_dir_all(&rules).unwrap();
        std::thread::sleep(Duration::from_millis(500));
        std::fs::create_dir(&rules).unwrap();
        std::thread::sleep(Duration::from_millis(500));
        std::fs::write(rules.join("r.toml"), rule("^水印")).unwrap();
        wait_for("1 of 1 documents changed")
    };
    child.kill().unwrap();
    child.wait().unwrap();
    let out = seen.lock().unwrap().clone();
    assert!(
        ok,
        "the edit after re-creating the folder was not seen:\n{out}"
    );
    assert!(out.contains("- 水印文字"), "{out}");
}

// Issue 17: hostile inputs, round two.

/// The cleaned body a run gives for `text` alone (cleaned from standard input).
fn body_of(text: &str) -> String {
    let mut child = rinse()
        .args(["clean", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), text.as_bytes()).unwrap();
    String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap()
}

#[cfg(unix)]
#[test]
fn a_lock_file_linked_to_an_input_is_never_written_through() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let a = input.join("a.txt");
    std::fs::write(&a, "original article text\n").unwrap();
    let out = t.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // A symbolic link: refused before anything is written.
    std::os::unix::fs::symlink("../in/a.txt", out.join(".rinse.lock")).unwrap();
    let (o, err) = clean(&[input.as_os_str(), os("-o"), out.as_os_str()]);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(
        std::fs::read_to_string(&a).unwrap(),
        "original article text\n"
    );
    // A hard link: the run goes on, the input is untouched and cleaned as it was.
    std::fs::remove_file(out.join(".rinse.lock")).unwrap();
    std::fs::hard_link(&a, out.join(".rinse.lock")).unwrap();
    let (o, err) = clean(&[input.as_os_str(), os("-o"), out.as_os_str()]);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(
        std::fs::read_to_string(&a).unwrap(),
        "original article text\n"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("a.txt")).unwrap(),
        body_of("original article text\n")
    );
    assert!(!out.join(".rinse.lock").exists());
}

#[test]
fn recovery_never_promotes_half_a_pair() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("x.txt"), "正文。\n").unwrap();
    let out = t.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // What the issue's reproduction leaves: both halves of five pairs, under the names
    // earlier versions used and under today's.
    for n in ["a", "b", "c", "d", "e"] {
        std::fs::write(out.join(format!(".rinse-tmp-o{n}.json")), "{}").unwrap();
        std::fs::write(out.join(format!(".rinse-tmp-o{n}.txt")), "b").unwrap();
        std::fs::write(out.join(format!(".rinse-tmp-p{n}.json.part")), "{}").unwrap();
        std::fs::write(out.join(format!(".rinse-tmp-p{n}.txt.part")), "").unwrap();
    }
    let (o, err) = clean(&[input.as_os_str(), os("-o"), out.as_os_str()]);
    assert_eq!(o.status.code(), Some(0), "{err}");
    for n in ["a", "b", "c", "d", "e"] {
        for stem in [format!("o{n}"), format!("p{n}")] {
            assert!(
                !out.join(format!("{stem}.txt")).exists(),
                "{stem}.txt promoted"
            );
        }
        assert!(!out.join(format!(".rinse-tmp-p{n}.txt.part")).exists());
        assert!(!out.join(format!(".rinse-tmp-p{n}.json.part")).exists());
    }
}

#[test]
fn inputs_named_like_temporary_files_keep_their_outputs() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let (foo, tmp) = ("第一篇文章的正文。\n", "第二篇完全不同的文章。\n");
    std::fs::write(input.join("foo.txt"), foo).unwrap();
    std::fs::write(input.join(".rinse-tmp-foo.txt"), tmp).unwrap();
    let out = t.path().join("out");
    for run in 0..2 {
        let (o, err) = clean(&[
            input.as_os_str(),
            os("-o"),
            out.as_os_str(),
            os("--hidden"),
            os("-j"),
            os("2"),
        ]);
        assert_eq!(o.status.code(), Some(0), "run {run}: {err}");
        assert_eq!(
            std::fs::read_to_string(out.join("foo.txt")).unwrap(),
            body_of(foo)
        );
        assert_eq!(
            std::fs::read_to_string(out.join(".rinse-tmp-foo.txt")).unwrap(),
            body_of(tmp),
            "run {run}"
        );
        assert!(out.join(".rinse-tmp-foo.json").exists());
        let manifest = std::fs::read_to_string(out.join("manifest.jsonl")).unwrap();
        assert_eq!(manifest.matches("\"status\":\"cleaned\"").count(), 2);
    }
}

#[cfg(unix)]
#[test]
fn a_records_output_is_locked_and_written_whole_or_not_at_all() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("out.jsonl");
    let previous = "{\"id\":\"old\",\"rinse\":{\"body\":\"complete\"}}\n";
    std::fs::write(&out, previous).unwrap();
    // The first run reads records from a pipe that stays open: it holds the output.
    let mut first = rinse()
        .args(["clean", "--format", "jsonl", "-", "-o"])
        .arg(&out)
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = first.stdin.take().unwrap();
    std::io::Write::write_all(&mut stdin, b"{\"id\":\"n1\",\"text\":\"new\"}\n").unwrap();
    let lock = t.path().join(".out.jsonl.rinse.lock");
    let start = Instant::now();
    while !lock.exists() {
        assert!(first.try_wait().unwrap().is_none(), "first run ended");
        assert!(start.elapsed() < Duration::from_secs(60), "never locked");
        std::thread::sleep(Duration::from_millis(5));
    }
    let second = rinse()
        .args(["clean", "--format", "jsonl", "-", "-o"])
        .arg(&out)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(2), "{err}");
    assert!(
        err.contains("is being written by another rinse run"),
        "{err}"
    );
    signal(&first, "-TERM");
    // The handler runs on its own thread: end the input only once it has said it saw the
    // signal, or the run could reach the end of its input first and commit.
    let mut err_pipe = std::io::BufReader::new(first.stderr.take().unwrap());
    let mut err = String::new();
    loop {
        let mut line = String::new();
        if std::io::BufRead::read_line(&mut err_pipe, &mut line).unwrap() == 0 {
            break;
        }
        err.push_str(&line);
        if line.starts_with("interrupted") {
            break;
        }
    }
    drop(stdin);
    std::io::Read::read_to_string(&mut err_pipe, &mut err).unwrap();
    let status = first.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(err.contains("none written"), "{err}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), previous);
    let left: Vec<_> = std::fs::read_dir(t.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, [std::ffi::OsString::from("out.jsonl")], "{left:?}");
}

/// A folder with `a.html` (a page without a URL of its own) and `extra` as its sidecar
/// setup; returns the run's stderr, the provenance's URL and the manifest line.
#[cfg(unix)]
fn with_sidecar(extra: impl FnOnce(&Path, &Path)) -> (String, Option<String>, String) {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(
        input.join("a.html"),
        "<html><body><p>正文第一段。</p></body></html>",
    )
    .unwrap();
    extra(&input, t.path());
    let out = t.path().join("out");
    let mut child = rinse()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            signal(&child, "-KILL");
            panic!("the run hangs on its sidecar");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let o = child.wait_with_output().unwrap();
    let prov: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("a.json")).unwrap()).unwrap();
    (
        String::from_utf8_lossy(&o.stderr).to_string(),
        prov["source"]["url"].as_str().map(str::to_string),
        std::fs::read_to_string(out.join("manifest.jsonl")).unwrap(),
    )
}

#[cfg(unix)]
#[test]
fn url_sidecars_are_bounded_regular_files_inside_the_folder() {
    // A good sidecar is used.
    let (err, url, _) = with_sidecar(|i, _| {
        std::fs::write(i.join("a.url"), "http://news.example.cn/a.html\n").unwrap()
    });
    assert_eq!(
        url.as_deref(),
        Some("http://news.example.cn/a.html"),
        "{err}"
    );
    // A FIFO: never opened, the run ends.
    let (err, url, _) = with_sidecar(|i, _| {
        assert!(Command::new("mkfifo")
            .arg(i.join("a.url"))
            .status()
            .unwrap()
            .success())
    });
    assert_eq!(url, None);
    assert!(err.contains("a.url ignored: it is a FIFO"), "{err}");
    // A link out of the folder: its contents never reach the outputs.
    let (err, url, manifest) = with_sidecar(|i, t| {
        std::fs::write(t.join("secret.txt"), "http://secret.example.cn/\n").unwrap();
        std::os::unix::fs::symlink(t.join("secret.txt"), i.join("a.url")).unwrap();
    });
    assert_eq!(url, None);
    assert!(!manifest.contains("secret.example"), "{manifest}");
    assert!(err.contains("outside the input folder"), "{err}");
    // A link to /dev/zero: not read.
    let (err, url, _) =
        with_sidecar(|i, _| std::os::unix::fs::symlink("/dev/zero", i.join("a.url")).unwrap());
    assert_eq!(url, None);
    assert!(err.contains("a.url ignored"), "{err}");
    // A large file: not copied.
    let (err, url, manifest) = with_sidecar(|i, _| {
        let mut big = b"http://a.cn/".to_vec();
        big.resize(3 << 20, b'x');
        std::fs::write(i.join("a.url"), big).unwrap()
    });
    assert_eq!(url, None);
    assert!(manifest.len() < 4096, "{}", manifest.len());
    assert!(err.contains("too large for a URL"), "{err}");
    // Not a URL: reported, not used.
    let (err, url, _) =
        with_sidecar(|i, _| std::fs::write(i.join("a.url"), "\u{1b}]0;PWN\u{7}\n").unwrap());
    assert_eq!(url, None);
    assert!(err.contains("does not hold a URL"), "{err}");
}

/// A folder with one ordinary article and 16 MB of `a` lines (issue 17 item 7).
fn memory_inputs(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("a.txt"), "a\n".repeat(8 << 20)).unwrap();
    std::fs::write(dir.join("b.txt"), "标题\n这是正文第一段，内容完整。\n").unwrap();
}

fn assert_fails_alone(out: &Path, o: &Output, err: &str) {
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("FAILED a.txt: needs an estimated") && err.contains("of memory to clean"),
        "{err}"
    );
    let manifest = std::fs::read_to_string(out.join("manifest.jsonl")).unwrap();
    assert!(
        manifest.contains("\"path\":\"a.txt\",\"status\":\"failed\""),
        "{manifest}"
    );
    assert!(manifest.contains("\"path\":\"b.txt\",\"output\":\"b.txt\",\"status\":\"cleaned\""));
    assert_eq!(assert_pairs(out), 1);
    assert!(!out.join(".rinse.lock").exists());
}

#[test]
fn a_document_over_the_memory_budget_fails_alone() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    memory_inputs(&input);
    let out = t.path().join("out");
    let (o, err) = clean(&[
        input.as_os_str(),
        os("-o"),
        out.as_os_str(),
        os("--max-memory"),
        os("1000000000"),
    ]);
    assert_fails_alone(&out, &o, &err);
    assert!(err.contains("(--max-memory)"), "{err}");
}

#[cfg(target_os = "linux")]
#[test]
fn under_an_address_space_limit_a_large_document_fails_alone() {
    // The issue's case: 2 GB of address space, 16 MB of `a` lines. It used to abort the
    // whole run ("memory allocation failed"), leaving no manifest and the lock behind.
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    memory_inputs(&input);
    let out = t.path().join("out");
    let o = Command::new("prlimit")
        .arg("--as=2000000000")
        .arg(env!("CARGO_BIN_EXE_rinse"))
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("prlimit (util-linux)");
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert_fails_alone(&out, &o, &err);
    assert!(err.contains("half the address-space limit"), "{err}");
}
