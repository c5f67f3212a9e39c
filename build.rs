//! Embeds every TOML file under `rules/` into the binary, so `rinse clean DIR` works from
//! any directory without a rules folder beside it.
use std::{env, fs, path::Path};

fn collect(dir: &Path, root: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .expect("read rules dir")
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            collect(&p, root, out);
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(
                p.strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
            );
        }
    }
}

/// FNV-1a over the code lines (comments and blank lines left out, so docs edits do not
/// change it) of the sources that decide what a document is cleaned into.
fn engine_fingerprint(src: &Path) -> String {
    let mut files = Vec::new();
    for dir in ["engine", "input", "rules", "extract"] {
        let d = src.join(dir);
        if let Ok(rd) = fs::read_dir(&d) {
            for e in rd.flatten() {
                let p = e.path();
                let name = p.file_name().unwrap().to_string_lossy().to_string();
                if name.ends_with(".rs") && name != "tests.rs" {
                    files.push(p);
                }
            }
        }
        println!("cargo:rerun-if-changed=src/{dir}");
    }
    files.push(src.join("provenance.rs"));
    println!("cargo:rerun-if-changed=src/provenance.rs");
    files.sort();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for f in &files {
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
    let src = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("src");
    println!(
        "cargo:rustc-env=RINSE_ENGINE_FINGERPRINT={}",
        engine_fingerprint(&src)
    );
    let root = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    let mut src = String::from("/// The default rule files, as (path under rules/, contents), sorted by path.\npub static DEFAULT_RULE_FILES: &[(&str, &str)] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed=rules/{f}");
        src.push_str(&format!(
            "    ({f:?}, include_str!({:?})),\n",
            root.join(f).display().to_string()
        ));
    }
    src.push_str("];\n");
    fs::write(
        Path::new(&env::var("OUT_DIR").unwrap()).join("default_rules.rs"),
        src,
    )
    .unwrap();
}
