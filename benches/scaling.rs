//! Cost against input size and shape: decoding, cleaning and writing the provenance
//! record of one document of 1, 4, 16 and 64 MB in each of several shapes, on one thread.
//! For each run it prints the time per MB and the peak heap (counted by a wrapping
//! allocator, the input buffer included) as a multiple of the input size; then, per shape,
//! how far time and memory per MB move from the smallest to the largest size. Linear
//! cost shows as flat columns.
//!
//! `cargo bench --bench scaling` (all sizes, a few minutes);
//! `RINSE_SCALING_MAX_MB=16 cargo bench --bench scaling` stops at 16 MB.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use rinse::input::{decode, DecodeOptions};
use rinse::provenance::Provenance;
use rinse::{Cleaner, Ruleset};

/// The system allocator, counting live bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// A small deterministic generator (the inputs are the same on every machine).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

const HANZI: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严";

fn hanzi(rng: &mut Lcg, chars: &[char], n: usize, out: &mut String) {
    for _ in 0..n {
        out.push(chars[rng.below(chars.len())]);
    }
}

fn sentence(rng: &mut Lcg, chars: &[char], out: &mut String) {
    let n = 12 + rng.below(28);
    hanzi(rng, chars, n, out);
    out.push(['。', '，', '；', '！', '？'][rng.below(5)]);
}

/// The shapes: (name, file name the decoder sees, generator of about `bytes` bytes).
type Shape = (&'static str, &'static str, fn(usize) -> String);

const SHAPES: [Shape; 7] = [
    ("prose", "a.txt", prose),
    ("short lines", "a.txt", short_lines),
    ("one short line repeated", "a.txt", one_line_repeated),
    ("repeated paragraphs", "a.txt", repeated_paragraphs),
    ("blank lines", "a.txt", |n| "\n".repeat(n)),
    ("one long line", "a.txt", one_long_line),
    ("nested HTML", "a.html", |n| {
        format!("<body>{}", "<div>".repeat(n.saturating_sub(6) / 5))
    }),
];

/// Paragraphs of three to eight sentences.
fn prose(bytes: usize) -> String {
    let chars: Vec<char> = HANZI.chars().collect();
    let mut rng = Lcg(7);
    let mut s = String::with_capacity(bytes + 1024);
    while s.len() < bytes {
        for _ in 0..3 + rng.below(6) {
            sentence(&mut rng, &chars, &mut s);
        }
        s.push('\n');
    }
    s
}

/// Distinct lines of two to eight characters (menus, lists, tag clouds).
fn short_lines(bytes: usize) -> String {
    let chars: Vec<char> = HANZI.chars().collect();
    let mut rng = Lcg(11);
    let mut s = String::with_capacity(bytes + 64);
    while s.len() < bytes {
        let n = 2 + rng.below(7);
        hanzi(&mut rng, &chars, n, &mut s);
        s.push('\n');
    }
    s
}

/// `a` on every line: every line is a candidate of the rules that look at the next line.
fn one_line_repeated(bytes: usize) -> String {
    "a\n".repeat(bytes / 2)
}

/// A few paragraphs shown again and again (what duplicate removal records).
fn repeated_paragraphs(bytes: usize) -> String {
    let one = prose(4096);
    let mut s = String::with_capacity(bytes + one.len());
    while s.len() < bytes {
        s.push_str(&one);
    }
    s
}

/// Sentences without a line break.
fn one_long_line(bytes: usize) -> String {
    let chars: Vec<char> = HANZI.chars().collect();
    let mut rng = Lcg(13);
    let mut s = String::with_capacity(bytes + 256);
    while s.len() < bytes {
        sentence(&mut rng, &chars, &mut s);
    }
    s
}

struct Run {
    secs: f64,
    peak: usize,
    provenance: usize,
}

/// Decodes, cleans and writes the provenance record of `input`, best of `tries`.
fn measure(cleaner: &Cleaner, ruleset: &Ruleset, name: &str, input: &[u8], tries: usize) -> Run {
    let mut best: Option<Run> = None;
    for _ in 0..tries {
        let base = LIVE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        let t = Instant::now();
        let doc = decode(input, name, &DecodeOptions::default()).expect("decodes");
        let cleaned = cleaner.clean(&doc).expect("cleans");
        let json = Provenance::new(&doc, &cleaned, ruleset).to_json();
        let secs = t.elapsed().as_secs_f64();
        let peak = PEAK.load(Ordering::Relaxed) - base;
        let run = Run {
            secs,
            peak,
            provenance: json.len(),
        };
        drop((doc, cleaned, json));
        if best.as_ref().is_none_or(|b| run.secs < b.secs) {
            best = Some(run);
        }
    }
    best.expect("at least one try")
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument picks shapes by name.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let max_mb: usize = std::env::var("RINSE_SCALING_MAX_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    let sizes: Vec<usize> = [1, 4, 16, 64]
        .into_iter()
        .filter(|&m| m <= max_mb)
        .collect();
    let ruleset = Ruleset::defaults();
    let cleaner = Cleaner::new(ruleset.clone());
    println!(
        "{:<24} {:>6} {:>9} {:>9} {:>11} {:>12} {:>11}",
        "shape", "MB", "s", "MB/s", "peak MB", "peak/input", "prov/input"
    );
    for (shape, file, make) in SHAPES {
        if filter.as_deref().is_some_and(|f| !shape.contains(f)) {
            continue;
        }
        let mut per_mb = Vec::new();
        for &mb in &sizes {
            // The input is allocated before the measurement, so the peak includes it.
            let input = make(mb * 1_000_000).into_bytes();
            let mbs = input.len() as f64 / 1e6;
            let tries = if mb <= 16 { 3 } else { 2 };
            let run = measure(&cleaner, &ruleset, file, &input, tries);
            let peak = run.peak + input.len();
            println!(
                "{:<24} {:>6.1} {:>9.3} {:>9.1} {:>11.1} {:>12.2} {:>11.2}",
                shape,
                mbs,
                run.secs,
                mbs / run.secs,
                peak as f64 / 1e6,
                peak as f64 / input.len() as f64,
                run.provenance as f64 / input.len() as f64,
            );
            per_mb.push((run.secs / mbs, peak as f64 / input.len() as f64));
        }
        if per_mb.len() > 1 {
            let spread = |f: fn(&(f64, f64)) -> f64| {
                let v: Vec<f64> = per_mb.iter().map(f).collect();
                v.iter().cloned().fold(f64::MIN, f64::max)
                    / v.iter().cloned().fold(f64::MAX, f64::min)
            };
            println!(
                "{:<24} time/MB spread {:.2}x, peak/MB spread {:.2}x (linear: both within 2x)",
                "",
                spread(|p| p.0),
                spread(|p| p.1),
            );
        }
    }
}
