//! Sets `RINSE_VERSION` for `--version`: the package version, with the git commit when
//! built from a checkout. (The default rules are embedded by `crates/rules/build.rs`.)
use std::{env, fs, path::Path, process::Command};

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

/// Test prerequisites found on this machine, as `cfg` flags the tests use in
/// `#[cfg_attr(not(FLAG), ignore = "why")]`: a test whose prerequisite is missing shows as
/// ignored with its reason, never as a pass. Under CI (`CI` set) every prerequisite is
/// required: those tests run, and fail when it is missing.
/// - `rinse_shared`: `../shared` (the dev sets and their scorer) beside the checkout;
/// - `rinse_chromium`: headless Chromium at `/usr/bin/chromium`, for the HTML report;
/// - `rinse_spark`: `python3` with pyspark, and `java`, for the Spark example.
fn prerequisites() {
    for flag in ["rinse_shared", "rinse_chromium", "rinse_spark"] {
        println!("cargo::rustc-check-cfg=cfg({flag})");
    }
    println!("cargo:rerun-if-env-changed=CI");
    println!("cargo:rerun-if-env-changed=PATH");
    let ci = env::var_os("CI").is_some_and(|v| !v.is_empty());
    let root = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).to_path_buf();
    // Folders whose entries change when a prerequisite is installed or appears.
    println!("cargo:rerun-if-changed={}", root.join("..").display());
    println!("cargo:rerun-if-changed=/usr/bin");
    let ok = |cmd: &str, args: &[&str]| {
        Command::new(cmd)
            .args(args)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let found = [
        (
            "rinse_shared",
            root.join("../shared/eval/score.py").is_file(),
        ),
        ("rinse_chromium", Path::new("/usr/bin/chromium").exists()),
        (
            "rinse_spark",
            ok("python3", &["-c", "import pyspark"]) && ok("java", &["-version"]),
        ),
    ];
    for (flag, here) in found {
        if here || ci {
            println!("cargo:rustc-cfg={flag}");
        }
    }
}

fn main() {
    version();
    prerequisites();
}
