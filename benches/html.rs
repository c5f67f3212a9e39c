//! HTML throughput: decoding, extraction and cleaning of the shared html-dev pages
//! (repeated), on one thread and on two; and deeply nested markup of growing size, whose
//! time per byte must stay flat (linear cost).
//!
//! `cargo bench --bench html` (the html-dev groups need ../shared beside the repository).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rayon::prelude::*;
use rinse::{Cleaner, Ruleset};

fn pages() -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/html-dev");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("SKIPPED html-dev groups: {} not found", dir.display());
        return Vec::new();
    };
    let mut pages: Vec<_> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    pages.sort();
    pages
}

fn clean_one(cleaner: &Cleaner, name: &str, bytes: &[u8]) -> usize {
    let doc = rinse::input::decode(bytes, name, &Default::default()).unwrap();
    cleaner.clean(&doc).unwrap().body.len()
}

fn bench(c: &mut Criterion) {
    let cleaner = Cleaner::new(Ruleset::defaults());
    let pages = pages();
    if !pages.is_empty() {
        // html-dev four times over: 184 pages per iteration.
        let corpus: Vec<_> = (0..4).flat_map(|_| pages.iter().cloned()).collect();
        let mut g = c.benchmark_group("html-dev");
        g.throughput(Throughput::Elements(corpus.len() as u64));
        g.sample_size(10);
        g.bench_function("decode+extract+clean, 1 thread", |b| {
            b.iter(|| {
                corpus
                    .iter()
                    .map(|(n, p)| clean_one(&cleaner, n, p))
                    .sum::<usize>()
            })
        });
        let two = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        g.bench_function("decode+extract+clean, 2 threads", |b| {
            b.iter(|| {
                two.install(|| {
                    corpus
                        .par_iter()
                        .map(|(n, p)| clean_one(&cleaner, n, p))
                        .sum::<usize>()
                })
            })
        });
        g.finish();
    }
    // Nested markup: time per byte stays flat as the input grows (it was quadratic).
    let mut g = c.benchmark_group("nested-divs");
    g.sample_size(10);
    for n in [50_000usize, 100_000, 200_000] {
        let page = format!("<body>{}\n", "<div>".repeat(n));
        g.throughput(Throughput::Bytes(page.len() as u64));
        g.bench_function(format!("{} KB", page.len() / 1000), |b| {
            b.iter(|| clean_one(&cleaner, "nested.html", page.as_bytes()))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
