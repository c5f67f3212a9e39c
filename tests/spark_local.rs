//! The Spark example (examples/spark/clean.py) run by PySpark in local mode gives the same
//! bytes as a single-machine `rinse clean` of the same records. Needs python3 with pyspark
//! and Java 17 (`.ci/run` installs them); without them the test shows as ignored.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::root;

/// Records made of the seeds and the HTML pages (the shared html-dev corpus when it is
/// beside us, else the test fixtures), and one line that is not a record, next to last (in
/// the last partition): its error record must name its line in the file. Returns the number
/// of lines and the bad line's number.
fn corpus_jsonl(path: &Path) -> (usize, usize) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let shared = root().join("../shared/corpus/html-dev");
    let html_dir = if shared.is_dir() {
        shared
    } else {
        root().join("tests/fixtures/html")
    };
    files.extend(
        std::fs::read_dir(html_dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "html")),
    );
    files.sort();
    let mut out = String::new();
    let bad = files.len();
    for (i, f) in files.iter().enumerate() {
        if i + 1 == bad {
            out.push_str("{\"id\": \"broken\", \"text\": \n");
        }
        let text = String::from_utf8_lossy(&std::fs::read(f).unwrap()).to_string();
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let field = if name.ends_with(".html") {
            "html"
        } else {
            "text"
        };
        out.push_str(&serde_json::json!({"id": name, field: text}).to_string());
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
    (files.len() + 1, bad)
}

#[test]
#[cfg_attr(
    not(rinse_spark),
    ignore = "needs python3 with pyspark, and java (bash .ci/run installs them); `touch build.rs` after installing"
)]
fn spark_local_mode_equals_a_single_machine_run() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("corpus.jsonl");
    let (n, bad) = corpus_jsonl(&input);
    let single = t.path().join("single.jsonl");
    let o = Command::new(env!("CARGO_BIN_EXE_rinse"))
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(&single)
        .arg("-q")
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = t.path().join("spark-out");
    let o = Command::new("python3")
        .arg(root().join("examples/spark/clean.py"))
        .arg(&input)
        .arg(&out)
        .args(["--partitions", "3", "--rinse", env!("CARGO_BIN_EXE_rinse")])
        .env(
            "PYSPARK_SUBMIT_ARGS",
            "--master local[2] --conf spark.ui.enabled=false pyspark-shell",
        )
        .env("PYSPARK_PYTHON", "python3")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "spark job failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut parts: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("part-")
        })
        .collect();
    parts.sort();
    assert!(parts.len() >= 2, "several partitions: {parts:?}");
    let spark: Vec<u8> = parts
        .iter()
        .flat_map(|p| std::fs::read(p).unwrap())
        .collect();
    let single = std::fs::read(&single).unwrap();
    assert_eq!(String::from_utf8_lossy(&single).lines().count(), n);
    let want = format!("\"position\":{{\"line\":{bad}}}");
    assert!(String::from_utf8_lossy(&single).contains(&want), "{want}");
    assert!(
        spark == single,
        "Spark output differs from the single-machine run"
    );
}
