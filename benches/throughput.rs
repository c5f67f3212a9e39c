//! Single-threaded cleaning throughput on a corpus made by repeating the seeds.
//!
//! `cargo bench --bench throughput` prints MB/s (criterion's "thrpt").

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rinse::{Cleaner, Document, Ruleset};

/// The seeds, each varied slightly per copy so caches see distinct documents.
fn corpus(copies: usize) -> Vec<Document> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
    let mut seeds: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    seeds.sort();
    let texts: Vec<String> = seeds
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    (0..copies)
        .flat_map(|i| {
            texts
                .iter()
                .map(move |t| Document::from_text(&format!("{t}\n第{i}份副本。\n")))
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let cleaner = Cleaner::new(Ruleset::defaults());
    let docs = corpus(40);
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let mut g = c.benchmark_group("clean");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(20);
    g.bench_function("seeds x40, 1 thread", |b| {
        b.iter(|| {
            for d in &docs {
                std::hint::black_box(cleaner.clean(d).unwrap());
            }
        })
    });
    g.finish();
    c.bench_function("compile default rules", |b| {
        b.iter(|| Cleaner::new(Ruleset::defaults()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
