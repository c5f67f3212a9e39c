//! `NAME.url` sidecars: any bytes as a sidecar's contents, parsed directly and read from a
//! file through the same path a folder run takes. It must never panic, never give a URL
//! from an oversized file, and a URL it gives must pass the URL check.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use rinse::batch::sidecar::{check_url, find, parse, MAX_SIDECAR};

fn dir() -> &'static tempfile::TempDir {
    static D: OnceLock<tempfile::TempDir> = OnceLock::new();
    D.get_or_init(|| tempfile::tempdir().unwrap())
}

fuzz_target!(|data: &[u8]| {
    if let Ok(url) = parse(data) {
        check_url(&url).expect("a parsed URL passes the check");
        assert!(!url.contains(['\n', '\r', '\u{1b}']));
    }
    let d = dir().path();
    let page = d.join("a.html");
    std::fs::write(&page, b"<p>x</p>").unwrap();
    std::fs::write(d.join("a.url"), data).unwrap();
    let root = d.canonicalize().unwrap();
    let found = find(&page, &root, false).expect("the sidecar exists");
    assert_eq!(
        found.url.is_ok(),
        data.len() as u64 <= MAX_SIDECAR && parse(data).is_ok()
    );
});
