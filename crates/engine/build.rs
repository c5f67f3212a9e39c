//! Sets `RINSE_ENGINE_FINGERPRINT`, recorded in every provenance record: a hash of the code
//! that decides what a document is cleaned into, so a snapshot made by other code is told
//! apart even when the version number did not move.
use std::{env, fs, path::Path};

/// Every `.rs` file under `dir` but test modules.
fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if p.is_dir() {
            rust_files(&p, out);
        } else if name.ends_with(".rs") && name != "tests.rs" {
            out.push(p);
        }
    }
}

/// FNV-1a over the code lines (comments and blank lines left out, so docs edits do not
/// change it) of the crates that decide what a document is cleaned into.
fn engine_fingerprint(crates: &Path) -> String {
    let mut files = Vec::new();
    for krate in ["html", "classify", "extract", "input", "rules", "engine"] {
        let src = crates.join(krate).join("src");
        rust_files(&src, &mut files);
        println!("cargo:rerun-if-changed={}", src.display());
    }
    // Relative paths, so the fingerprint does not depend on where the checkout is.
    let mut files: Vec<_> = files
        .into_iter()
        .map(|f| (f.strip_prefix(crates).unwrap().to_path_buf(), f))
        .collect();
    files.sort();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (_, f) in &files {
        let text = fs::read_to_string(f).unwrap_or_default();
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with("//") {
                continue;
            }
            for b in line.bytes().chain([b'\n']) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    format!("{h:016x}")
}

fn main() {
    let crates = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("..");
    println!(
        "cargo:rustc-env=RINSE_ENGINE_FINGERPRINT={}",
        engine_fingerprint(&crates)
    );
}
