//! End-to-end throughput of record streams and folder runs (`cargo bench --bench streams`):
//! JSON Lines of text records (MB/s) and HTML pages as records against the same pages as
//! files in a folder (pages/s), each with 1 and 2 threads.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rinse::batch::{self, Options, Output};
use rinse::{Cleaner, Ruleset};

fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|x| x == ext));
    v.sort();
    v
}

/// Text records: the seeds, varied per copy.
fn text_jsonl(path: &Path, copies: usize) -> u64 {
    let seeds = files(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds"), "txt");
    let texts: Vec<String> = seeds
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let mut out = String::new();
    for i in 0..copies {
        for (j, t) in texts.iter().enumerate() {
            let rec = serde_json::json!({"id": format!("{i}-{j}"), "text": format!("{t}\n第{i}份副本。\n")});
            out.push_str(&rec.to_string());
            out.push('\n');
        }
    }
    std::fs::write(path, &out).unwrap();
    out.len() as u64
}

/// HTML pages (the shared html-dev corpus when beside us, else the fixtures), as a folder
/// and as records.
fn html_inputs(dir: &Path, copies: usize) -> usize {
    let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/html-dev");
    let mut pages = files(shared, "html");
    if pages.is_empty() {
        pages = files(
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/html"),
            "html",
        );
    }
    let folder = dir.join("pages");
    std::fs::create_dir_all(&folder).unwrap();
    let mut jsonl = String::new();
    let mut n = 0;
    for i in 0..copies {
        for p in &pages {
            let html = String::from_utf8_lossy(&std::fs::read(p).unwrap()).to_string();
            std::fs::write(folder.join(format!("{i}-{n}.html")), &html).unwrap();
            jsonl.push_str(&serde_json::json!({"id": n, "html": html}).to_string());
            jsonl.push('\n');
            n += 1;
        }
    }
    std::fs::write(dir.join("pages.jsonl"), jsonl).unwrap();
    n
}

fn run(cleaner: &Cleaner, input: &Path, output: Output, jobs: usize) {
    let mut opts = Options::new(vec![input.to_path_buf()], output);
    opts.jobs = Some(jobs);
    let s = batch::run(cleaner, &opts, &mut |_| {}).unwrap();
    assert!(s.cleaned > 0 && s.ok(), "{s}");
}

fn bench(c: &mut Criterion) {
    let cleaner = Cleaner::new(Ruleset::defaults());
    let tmp = tempfile::tempdir().unwrap();
    let text = tmp.path().join("text.jsonl");
    let bytes = text_jsonl(&text, 40);
    let mut g = c.benchmark_group("jsonl-text");
    g.throughput(Throughput::Bytes(bytes));
    g.sample_size(10);
    for jobs in [1, 2] {
        g.bench_with_input(
            BenchmarkId::from_parameter(format!("{jobs} thread(s)")),
            &jobs,
            |b, &j| {
                b.iter(|| {
                    run(
                        &cleaner,
                        &text,
                        Output::Records(tmp.path().join("out.jsonl")),
                        j,
                    )
                })
            },
        );
    }
    g.finish();
    let pages = html_inputs(tmp.path(), 2);
    let mut g = c.benchmark_group("html-pages");
    g.throughput(Throughput::Elements(pages as u64));
    g.sample_size(10);
    for jobs in [1, 2] {
        g.bench_with_input(BenchmarkId::new("records", jobs), &jobs, |b, &j| {
            b.iter(|| {
                run(
                    &cleaner,
                    &tmp.path().join("pages.jsonl"),
                    Output::Records(tmp.path().join("p.jsonl")),
                    j,
                )
            })
        });
        g.bench_with_input(BenchmarkId::new("folder", jobs), &jobs, |b, &j| {
            b.iter(|| {
                run(
                    &cleaner,
                    &tmp.path().join("pages"),
                    Output::Folder(tmp.path().join("pout")),
                    j,
                )
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
