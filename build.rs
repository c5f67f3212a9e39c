//! Embeds every TOML file under `rules/` into the binary, so `rinse clean DIR` works from
//! any directory without a rules folder beside it; and sets `RINSE_VERSION` for
//! `--version`: the package version, with the git commit when built from a checkout.
use std::{env, fs, path::Path, process::Command};

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

/// Runs git in the package folder; `None` when git is missing or this is not a checkout
/// (a crate tarball, an exported tree).
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(env::var("CARGO_MANIFEST_DIR").ok()?)
        .output()
        .ok()?;
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !s.is_empty()).then_some(s)
}

fn version() {
    let pkg = env::var("CARGO_PKG_VERSION").unwrap();
    // Only this package's own checkout counts, not a repository it was unpacked inside.
    let manifest = fs::canonicalize(env::var("CARGO_MANIFEST_DIR").unwrap()).ok();
    let own = git(&["rev-parse", "--show-toplevel"])
        .and_then(|t| fs::canonicalize(t).ok())
        .is_some_and(|t| Some(t) == manifest);
    let hash = own
        .then(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .flatten();
    let version = match hash {
        Some(hash) => {
            // Rebuild when HEAD moves: HEAD itself, the branch it points to, packed refs.
            let git_dir = git(&["rev-parse", "--absolute-git-dir"]);
            let common = git(&["rev-parse", "--path-format=absolute", "--git-common-dir"]);
            let branch = git(&["symbolic-ref", "-q", "HEAD"]);
            let mut watch = Vec::new();
            if let Some(d) = &git_dir {
                watch.push(Path::new(d).join("HEAD"));
            }
            if let Some(c) = &common {
                watch.push(Path::new(c).join("packed-refs"));
                if let Some(b) = &branch {
                    watch.push(Path::new(c).join(b));
                }
            }
            for p in watch.iter().filter(|p| p.exists()) {
                println!("cargo:rerun-if-changed={}", p.display());
            }
            format!("{pkg} (git {hash})")
        }
        None => pkg,
    };
    println!("cargo:rustc-env=RINSE_VERSION={version}");
}

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
/// change it) of the sources that decide what a document is cleaned into.
fn engine_fingerprint(src: &Path) -> String {
    let mut files = Vec::new();
    for dir in ["engine", "input", "rules", "extract"] {
        rust_files(&src.join(dir), &mut files);
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
    version();
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
