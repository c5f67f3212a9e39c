//! Decoder + cleaner: any bytes, decoded with any encoding choice, as text or HTML, with
//! or without a URL hint, must clean without panicking, and the provenance must replay.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use rinse::input::{decode_hinted, DecodeOptions};
use rinse::{Cleaner, Ruleset};

fn cleaner() -> &'static Cleaner {
    static C: OnceLock<Cleaner> = OnceLock::new();
    C.get_or_init(|| Cleaner::new(Ruleset::defaults()))
}

const LABELS: [Option<&str>; 8] = [
    None,
    None,
    None,
    Some("utf-8"),
    Some("gb18030"),
    Some("big5"),
    Some("utf-16le"),
    Some("gbk"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, bytes)) = data.split_first() else {
        return;
    };
    let forced =
        LABELS[usize::from(ctl & 7)].and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes()));
    let path = if ctl & 8 != 0 {
        "page.html"
    } else {
        "page.txt"
    };
    let url = (ctl & 16 != 0).then_some("https://news.example.com.tw/a.html");
    let charset = (ctl & 32 != 0).then_some("gb2312");
    let opts = DecodeOptions {
        encoding: forced,
        max_bytes: None,
    };
    if let Ok(doc) = decode_hinted(bytes, path, &opts, url, charset) {
        let cleaned = cleaner().clean(&doc).unwrap();
        let replayed = rinse::engine::replay(&doc.text, &cleaned.edits).expect("edits replay");
        assert_eq!(replayed, cleaned.body);
    }
});
