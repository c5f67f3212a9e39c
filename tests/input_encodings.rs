//! Encoded variants of the seeds clean to the same body as their UTF-8 originals, and the
//! provenance says how each encoding was decided.

use std::path::Path;

use rinse::input::{decode, DecodeOptions};
use rinse::{Cleaner, Document, Provenance, Ruleset};

fn cleaner() -> Cleaner {
    Cleaner::new(Ruleset::defaults())
}

fn seed(prefix: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let entry = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("seed {prefix} missing"));
    std::fs::read_to_string(entry).unwrap()
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/encodings")
            .join(name),
    )
    .unwrap()
}

fn body_of_text(c: &Cleaner, text: &str) -> String {
    c.clean(&Document::from_text(text)).unwrap().body
}

/// What Big5 can hold of `text`: characters it cannot encode become numeric character
/// references, which is what any Big5 encoder (including this fixture's) writes.
fn big5_round_trip(text: &str) -> String {
    let (bytes, _, _) = encoding_rs::BIG5.encode(text);
    encoding_rs::BIG5
        .decode_without_bom_handling(&bytes)
        .0
        .into_owned()
}

#[test]
fn committed_fixtures_clean_like_their_originals() {
    let c = cleaner();
    let cases = [
        ("000.gb18030.txt", "000_", "gb18030", "detected"),
        ("004.gb18030.txt", "004_", "gb18030", "detected"),
        ("001.utf16le-bom.txt", "001_", "UTF-16LE", "bom"),
        ("002.utf8-bom.txt", "002_", "UTF-8", "bom"),
    ];
    for (file, seed_prefix, enc, reason) in cases {
        let doc = decode(&fixture(file), file, &DecodeOptions::default()).unwrap();
        assert_eq!(
            (
                doc.source.encoding.as_str(),
                doc.source.encoding_reason.as_str()
            ),
            (enc, reason),
            "{file}"
        );
        assert_eq!(doc.source.replacement_chars, 0, "{file}");
        let original = seed(seed_prefix);
        assert_eq!(doc.text, original, "{file}: decoded text");
        let got = c.clean(&doc).unwrap();
        assert_eq!(got.body, body_of_text(&c, &original), "{file}: body");
        assert_eq!(
            rinse::engine::replay(&doc.text, &got.edits).unwrap(),
            got.body
        );
    }
}

#[test]
fn big5_traditional_seed() {
    let c = cleaner();
    let doc = decode(
        &fixture("003.big5.txt"),
        "003.big5.txt",
        &DecodeOptions::default(),
    )
    .unwrap();
    assert_eq!(
        (
            doc.source.encoding.as_str(),
            doc.source.encoding_reason.as_str()
        ),
        ("Big5", "detected")
    );
    assert_eq!(doc.source.replacement_chars, 0);
    // Pinyin tone marks and a few other characters do not exist in Big5: the fixture holds
    // them as `&#NNN;` references, exactly as a Big5 encoder writes them.
    let expected = big5_round_trip(&seed("003_"));
    assert_eq!(doc.text, expected);
    assert_eq!(c.clean(&doc).unwrap().body, body_of_text(&c, &expected));
    // Everything Big5 can encode survives: the traditional article body is intact.
    assert!(doc.text.contains("成都市舉行了一場"));
}

#[test]
fn every_seed_in_every_unicode_and_gb_encoding() {
    let c = cleaner();
    for prefix in ["000_", "001_", "002_", "003_", "004_"] {
        let original = seed(prefix);
        let want = body_of_text(&c, &original);
        let mut variants: Vec<(&str, Vec<u8>)> = Vec::new();
        variants.push((
            "gb18030",
            encoding_rs::GB18030.encode(&original).0.into_owned(),
        ));
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in original.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        variants.push(("utf-16le", le));
        variants.push(("utf-16be", be));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(original.as_bytes());
        variants.push(("utf-8 bom", bom));
        for (what, bytes) in variants {
            let doc = decode(&bytes, "x.txt", &DecodeOptions::default()).unwrap();
            assert_eq!(doc.text, original, "{prefix} as {what}");
            assert_eq!(c.clean(&doc).unwrap().body, want, "{prefix} as {what}");
        }
    }
}

#[test]
fn forced_encoding_is_recorded() {
    let bytes = fixture("000.gb18030.txt");
    let opts = DecodeOptions {
        encoding: encoding_rs::Encoding::for_label(b"gbk"),
        ..DecodeOptions::default()
    };
    let doc = decode(&bytes, "a.txt", &opts).unwrap();
    assert_eq!(
        (
            doc.source.encoding.as_str(),
            doc.source.encoding_reason.as_str()
        ),
        ("gb18030", "forced")
    );
    // Forcing the wrong encoding is honoured, and the damage is counted.
    let opts = DecodeOptions {
        encoding: Some(encoding_rs::UTF_8),
        ..DecodeOptions::default()
    };
    let doc = decode(&bytes, "a.txt", &opts).unwrap();
    assert!(
        doc.source.replacement_chars > 100,
        "{}",
        doc.source.replacement_chars
    );
}

#[test]
fn provenance_records_encoding_reason_and_replacements() {
    let c = cleaner();
    let doc = decode(
        &fixture("001.utf16le-bom.txt"),
        "001.txt",
        &DecodeOptions::default(),
    )
    .unwrap();
    let json = Provenance::new(&doc, &c.clean(&doc).unwrap(), c.ruleset()).to_json();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["source"]["encoding"], "UTF-16LE");
    assert_eq!(v["source"]["encoding_reason"], "bom");
    assert_eq!(v["source"]["replacement_chars"], 0);
    assert_eq!(v["source"]["format"], "text");
    assert!(v["source"].get("text_blake3").is_none());
}

#[test]
fn tld_hint_from_url_steers_detection() {
    // A short Big5 text is ambiguous; a `.tw` URL tips chardetng towards Big5.
    let text = "繁體中文新聞：市政府今日宣布新的交通政策。";
    let (big5, _, _) = encoding_rs::BIG5.encode(text);
    let doc = rinse::input::decode_hinted(
        &big5,
        "a.txt",
        &DecodeOptions::default(),
        Some("https://news.example.com.tw/a.html"),
        None,
    )
    .unwrap();
    assert_eq!(doc.source.encoding, "Big5");
    assert_eq!(doc.text, text);
    assert_eq!(
        doc.url.as_deref(),
        Some("https://news.example.com.tw/a.html")
    );
}
