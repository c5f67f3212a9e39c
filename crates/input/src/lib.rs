//! Bytes to [`Document`]: binary detection, encoding detection and decoding, format sniffing,
//! HTML to block text.
//!
//! Nothing here touches the file system: callers pass the bytes and the path they came from.
//! See [`decode()`] for the order in which an encoding is chosen and [`html`] for how a page
//! becomes lines.

#![warn(missing_docs)]

pub mod decode;
pub mod gzip;
/// HTML pages to block text (from `rinse-extract`).
pub use rinse_extract::page_hints as html;
pub mod jsonl;
pub mod warc;

pub use decode::Hints;

use serde::{Deserialize, Serialize};

/// Whether a document is plain text or an HTML page; written `text` / `html` in provenance,
/// records and the manifest.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContentFormat {
    /// Plain text.
    #[default]
    Text,
    /// An HTML page: the engine cleans its block text.
    Html,
}

impl ContentFormat {
    /// `text` or `html`.
    pub fn as_str(self) -> &'static str {
        match self {
            ContentFormat::Text => "text",
            ContentFormat::Html => "html",
        }
    }
}

impl std::fmt::Display for ContentFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the encoding of a document was chosen; written in lower case (`bom`, `declared`, ...)
/// in provenance. See [`decode`] for the order in which they are tried.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EncodingReason {
    /// Forced by the caller (`--encoding`).
    Forced,
    /// A byte-order mark.
    Bom,
    /// A declared charset (`<meta charset>`, a record or HTTP header).
    Declared,
    /// Valid (or barely damaged) UTF-8.
    Utf8,
    /// Guessed by the detector.
    Detected,
    /// Lines in different encodings (see the source's `warnings`).
    Mixed,
    /// A record field that is already Unicode (JSON Lines).
    Record,
    /// No bytes at all.
    #[default]
    Empty,
}

impl EncodingReason {
    /// The name written in provenance (`bom`, `declared`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            EncodingReason::Forced => "forced",
            EncodingReason::Bom => "bom",
            EncodingReason::Declared => "declared",
            EncodingReason::Utf8 => "utf8",
            EncodingReason::Detected => "detected",
            EncodingReason::Mixed => "mixed",
            EncodingReason::Record => "record",
            EncodingReason::Empty => "empty",
        }
    }
}

impl std::fmt::Display for EncodingReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a document came from and how its bytes were decoded; recorded in provenance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Path relative to the input folder, with `/` separators.
    pub path: String,
    /// Size of the raw input in bytes.
    pub bytes: u64,
    /// blake3 hash of the raw bytes, hex.
    pub blake3: String,
    /// Name of the encoding the bytes were decoded with (WHATWG label, e.g. `UTF-8`, `GBK`).
    pub encoding: String,
    /// How the encoding was chosen: `bom`, `declared`, `utf8`, `detected`, `forced`, `mixed`
    /// (lines in different encodings, see `warnings`), `record` (a record field that is
    /// already Unicode) or `empty`.
    pub encoding_reason: EncodingReason,
    /// U+FFFD characters produced by decoding (0 for clean input).
    pub replacement_chars: usize,
    /// `text` or `html`. For `html`, the engine cleans the page's block text (see
    /// [`html::to_block_text`]): edit offsets are relative to that text, not to the raw
    /// markup, and `text_blake3` identifies it.
    pub format: ContentFormat,
    /// blake3 hash (hex) of the text the edits apply to, when it is not simply the decoded
    /// bytes (HTML block text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_blake3: Option<String>,
    /// The page URL, when known (sidecar `NAME.url` file, record header, or the page's
    /// canonical link).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Problems found while decoding that did not stop cleaning: NUL bytes removed, lines
    /// in different encodings. The edits apply to the text after these repairs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The decoded text does not read as text (see [`decode::implausible`]; the reason is
    /// in `warnings`): the document is cleaned, and flagged `garbled` for review.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub implausible: bool,
}

/// One decoded document, ready for the engine.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The decoded text the engine cleans (for HTML: the page's block text).
    pub text: String,
    /// Path relative to the input folder, used by path scopes.
    pub path: Option<String>,
    /// URL of the page when known (from a record or sidecar), used by host scopes.
    pub url: Option<String>,
    /// Provenance of the bytes.
    pub source: Source,
    /// For HTML pages: per-line markup facts (link density, headings) and the page title,
    /// used by the `extract.main` stage. `None` for plain text.
    pub page: Option<html::PageHints>,
}

impl Document {
    /// A document made from text already in memory (tests, examples, library users).
    pub fn from_text(text: &str) -> Document {
        Document {
            text: text.to_string(),
            path: None,
            url: None,
            source: Source {
                bytes: text.len() as u64,
                blake3: blake3::hash(text.as_bytes()).to_hex().to_string(),
                encoding: "UTF-8".into(),
                encoding_reason: EncodingReason::Utf8,
                format: ContentFormat::Text,
                ..Source::default()
            },
            page: None,
        }
    }
}

/// Options for decoding.
#[derive(Debug, Clone, Default)]
pub struct DecodeOptions {
    /// Force this encoding (a WHATWG label such as `gbk`, `big5`, `utf-16le`).
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Refuse inputs larger than this many bytes.
    pub max_bytes: Option<u64>,
}

/// Size-cap check shared by [`decode()`] and callers that know a file's size before reading it.
pub fn check_size(size: u64, opts: &DecodeOptions) -> Result<(), InputError> {
    match opts.max_bytes {
        Some(limit) if size > limit => Err(InputError::TooLarge { size, limit }),
        _ => Ok(()),
    }
}

/// Why an input was not turned into a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// The bytes are not text (an image, an archive, an executable, ...).
    #[error("not text: looks like {0}; skipped")]
    Binary(String),
    /// The input exceeds the configured size cap.
    #[error("too large: {size} bytes exceeds the per-document size limit of {limit} bytes; skipped (raise it with --max-bytes)")]
    TooLarge {
        /// Actual size.
        size: u64,
        /// Configured limit.
        limit: u64,
    },
}

/// Recognises common binary formats by their first bytes.
pub fn sniff_magic(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"%PDF-", "a PDF document"),
        (b"\x1f\x8b", "gzip data"),
        (b"PK\x03\x04", "a ZIP archive"),
        (b"\x7fELF", "an ELF executable"),
        (b"BZh", "bzip2 data"),
        (b"\xfd7zXZ\x00", "xz data"),
        (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
        (b"\x28\xb5\x2f\xfd", "zstd data"),
        (b"RIFF", "a RIFF (WebP/WAV/AVI) file"),
        (b"\x00\x00\x01\x00", "an icon"),
        (b"wOFF", "a web font"),
        (b"wOF2", "a web font"),
        (b"SQLite format 3\x00", "an SQLite database"),
    ];
    MAGIC
        .iter()
        .find(|(m, _)| bytes.starts_with(m))
        .map(|(_, what)| *what)
}

/// Whether `bytes` are binary data rather than text: a known format by its first bytes
/// ([`sniff_magic`]), or many control bytes among bytes that are not text (see below).
pub fn sniff_binary(bytes: &[u8]) -> Option<&'static str> {
    if let Some(what) = sniff_magic(bytes) {
        return Some(what);
    }
    if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        return None; // UTF-16 with a BOM: NUL bytes are expected.
    }
    // By the share and the kind of bytes in the first block, as `file` does: control bytes
    // alone do not make binary data (real texts carry a few, even one in ten bytes), but
    // many of them among bytes that do not decode as text do. NUL bytes are judged apart:
    // a text padded with NULs (a preallocated or interrupted download) is text, its NULs
    // removed later with a warning; NULs at every other byte are UTF-16.
    let head = &bytes[..bytes.len().min(BINARY_SCAN_BYTES)];
    let nuls = memchr::memchr_iter(0, head).count();
    if nuls * 4 > head.len() {
        let odd = memchr::memchr_iter(0, head).filter(|i| i % 2 == 1).count();
        if odd * 10 >= nuls * 9 || odd * 10 <= nuls {
            return Some("binary data, or UTF-16 text without a byte-order mark (try --encoding utf-16le or utf-16be)");
        }
        if (head.len() - nuls) * 10 < head.len() {
            return Some("binary data (mostly NUL bytes)");
        }
    }
    let is_control =
        |b: u8| b != 0 && b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0x1b);
    let controls = head.iter().filter(|&&b| is_control(b)).count();
    let judged = head.len() - nuls;
    if judged == 0 || controls * 100 <= judged * CONTROL_SHARE_TEXT {
        return None;
    }
    if controls * 100 > judged * CONTROL_SHARE_BINARY {
        return Some("binary data (many control bytes)");
    }
    let rest: Vec<u8> = head
        .iter()
        .copied()
        .filter(|&b| b != 0 && !is_control(b))
        .collect();
    if reads_as_text(&rest) {
        None
    } else {
        Some("binary data (control bytes among bytes that decode as no text encoding)")
    }
}

/// How many leading bytes [`sniff_binary`] looks at.
const BINARY_SCAN_BYTES: usize = 64 * 1024;
/// Percent of control bytes (C0 other than tab, line breaks, form feed and escape) up to
/// which bytes are text whatever else they hold.
const CONTROL_SHARE_TEXT: usize = 5;
/// Percent of control bytes above which bytes are binary whatever else they hold (random
/// bytes have 12%, a text with control junk inside its sentences about as many).
const CONTROL_SHARE_BINARY: usize = 30;

/// Whether bytes (control bytes removed) are text in an encoding rinse reads: ASCII, UTF-8
/// (a cut last character allowed), or GBK/Big5 with under 1% errors.
fn reads_as_text(bytes: &[u8]) -> bool {
    let valid = match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && e.valid_up_to() + 4 > bytes.len(),
    };
    if valid {
        return true;
    }
    [encoding_rs::GB18030, encoding_rs::BIG5].iter().any(|enc| {
        let (text, _) = enc.decode_without_bom_handling(bytes);
        let (errors, non_ascii) = text.chars().fold((0usize, 0usize), |(e, n), c| {
            (
                e + usize::from(c == '\u{FFFD}'),
                n + usize::from(!c.is_ascii()),
            )
        });
        (errors as f64) < non_ascii as f64 * decode::MAX_ERROR_SHARE
    })
}

/// Whether the input is HTML, from its extension or its first bytes: `.html`, `.htm`,
/// `.xhtml`, `.shtml`, or text starting with `<!doctype html` or `<html` are HTML; anything
/// else that decoded as text (`.txt`, `.text`, no extension, ...) is text.
pub fn sniff_format(path: &str, text: &str) -> ContentFormat {
    let lower = path.to_ascii_lowercase();
    if [".html", ".htm", ".xhtml", ".shtml"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        return ContentFormat::Html;
    }
    let starts_page = |s: &str| {
        let head: String = s
            .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
            .chars()
            .take(15)
            .collect::<String>()
            .to_ascii_lowercase();
        head.starts_with("<!doctype html") || head.starts_with("<html")
    };
    if starts_page(text) {
        return ContentFormat::Html;
    }
    // A saved page behind a short wrapper line or two (a crawler's URL or status line, a
    // stray banner): HTML when a page starts after them and has a head or a body.
    let mut rest = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    for _ in 0..2 {
        let Some((line, after)) = rest.split_once('\n') else {
            break;
        };
        if line.len() > 200 {
            break;
        }
        rest = after;
        if starts_page(rest) {
            let window = rest.get(..rest.len().min(64 * 1024)).unwrap_or(rest);
            let lower = window.to_ascii_lowercase();
            if lower.contains("<body") || lower.contains("<head") {
                return ContentFormat::Html;
            }
        }
    }
    ContentFormat::Text
}

/// Decodes raw bytes into a document. `path` is the display path relative to the input root.
pub fn decode(bytes: &[u8], path: &str, opts: &DecodeOptions) -> Result<Document, InputError> {
    decode_hinted(bytes, path, opts, None, None)
}

/// What a record (JSON Lines, WARC) says about its content besides the bytes.
#[derive(Debug, Clone, Copy, Default)]
pub struct RecordHints<'a> {
    /// The page URL.
    pub url: Option<&'a str>,
    /// A declared charset label (an HTTP `Content-Type` header).
    pub charset: Option<&'a str>,
    /// `html` or `text` when the record says which (an `html` field, a content type);
    /// `None` sniffs it like a file.
    pub format: Option<ContentFormat>,
}

/// Text that arrived as Unicode in a record field (JSON Lines): no decoding to choose,
/// `format` is `html` or `text`.
pub fn from_unicode(
    text: &str,
    path: &str,
    opts: &DecodeOptions,
    url: Option<&str>,
    format: ContentFormat,
) -> Result<Document, InputError> {
    check_size(text.len() as u64, opts)?;
    let d = decode::Decoded {
        text: text.to_string(),
        encoding: encoding_rs::UTF_8,
        reason: EncodingReason::Record,
        replacement_chars: 0,
        utf8_lines: 0,
    };
    Ok(build(d, text.as_bytes(), path, url, format))
}

/// [`decode()`] with what is known from outside the bytes: the page `url` (a sidecar file or
/// a record header; its top-level domain hints encoding detection, and host scopes use it)
/// and a declared `charset` label (a record or HTTP header).
pub fn decode_hinted(
    bytes: &[u8],
    path: &str,
    opts: &DecodeOptions,
    url: Option<&str>,
    charset: Option<&str>,
) -> Result<Document, InputError> {
    decode_record(
        bytes,
        path,
        opts,
        &RecordHints {
            url,
            charset,
            format: None,
        },
    )
}

/// [`decode_hinted`] for a record that may also say its format.
pub fn decode_record(
    bytes: &[u8],
    path: &str,
    opts: &DecodeOptions,
    hints: &RecordHints<'_>,
) -> Result<Document, InputError> {
    check_size(bytes.len() as u64, opts)?;
    // A forced encoding decides before the share of control bytes does: UTF-16 without a
    // byte-order mark is half NUL bytes. Formats known by their first bytes stay binary.
    let sniffed = match opts.encoding {
        Some(_) => sniff_magic(bytes),
        None => sniff_binary(bytes),
    };
    if let Some(what) = sniffed {
        return Err(InputError::Binary(what.to_string()));
    }
    let d = decode::decode_bytes(
        bytes,
        &Hints {
            forced: opts.encoding,
            charset: hints.charset,
            url: hints.url,
        },
    );
    let format = hints.format.unwrap_or_else(|| sniff_format(path, &d.text));
    Ok(build(d, bytes, path, hints.url, format))
}

/// NUL characters are never text: a file padded with NUL bytes (a preallocated or
/// interrupted download) would otherwise give a body full of them. Removes them and says
/// how many.
fn remove_nuls(text: &mut String, warnings: &mut Vec<String>) {
    let nuls = text.bytes().filter(|&b| b == 0).count();
    if nuls > 0 {
        text.retain(|c| c != '\0');
        warnings.push(format!(
            "{nuls} NUL byte{} removed (not text)",
            if nuls == 1 { "" } else { "s" }
        ));
    }
}

/// The document for decoded text `d` of raw `bytes`.
fn build(
    d: decode::Decoded,
    bytes: &[u8],
    path: &str,
    url: Option<&str>,
    format: ContentFormat,
) -> Document {
    let mut warnings = Vec::new();
    if d.reason == EncodingReason::Mixed {
        warnings.push(format!(
            "mixed encodings: {} line{} decoded as UTF-8, the other lines as {}; lines in a third encoding may be garbled",
            d.utf8_lines,
            if d.utf8_lines == 1 { "" } else { "s" },
            d.encoding.name()
        ));
    }
    let implausible = decode::implausible(&d);
    if let Some(why) = &implausible {
        warnings.push(format!("implausible decoding: {why}"));
    }
    let mut decoded = d.text;
    remove_nuls(&mut decoded, &mut warnings);
    let (text, url, text_blake3, page) = if format == ContentFormat::Html {
        let block = html::to_block_text(&decoded);
        let hash = blake3::hash(block.text.as_bytes()).to_hex().to_string();
        (
            block.text,
            url.map(str::to_string).or(block.url),
            Some(hash),
            Some(block.hints),
        )
    } else {
        (decoded, url.map(str::to_string), None, None)
    };
    Document {
        path: Some(path.to_string()),
        url: url.clone(),
        page,
        source: Source {
            path: path.to_string(),
            bytes: bytes.len() as u64,
            blake3: blake3::hash(bytes).to_hex().to_string(),
            encoding: d.encoding.name().to_string(),
            encoding_reason: d.reason,
            replacement_chars: d.replacement_chars,
            format,
            text_blake3,
            url,
            warnings,
            implausible: implausible.is_some(),
        },
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_and_detection() {
        let d = decode("你好".as_bytes(), "a.txt", &DecodeOptions::default()).unwrap();
        assert_eq!(
            (d.text.as_str(), d.source.encoding_reason.as_str()),
            ("你好", "utf8")
        );
        let (gbk, _, _) = encoding_rs::GBK.encode("这是一段用来检测编码的中文文本，内容足够长。");
        let d = decode(&gbk, "a.txt", &DecodeOptions::default()).unwrap();
        assert_eq!(d.source.encoding_reason.as_str(), "detected");
        assert_eq!(d.source.encoding, "gb18030");
        assert!(d.text.starts_with("这是一段"), "{}", d.text);
    }

    #[test]
    fn binary_is_refused() {
        let e = decode(b"\x89PNG\r\n\x1a\n\0\0", "x.png", &DecodeOptions::default()).unwrap_err();
        assert_eq!(e, InputError::Binary("a PNG image".into()));
    }

    #[test]
    fn bom_wins() {
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("标题".as_bytes());
        let d = decode(&b, "a.txt", &DecodeOptions::default()).unwrap();
        assert_eq!(
            (d.text.as_str(), d.source.encoding_reason.as_str()),
            ("标题", "bom")
        );
    }
}

#[cfg(test)]
mod html_doc_tests {
    use super::*;

    #[test]
    fn html_becomes_block_text() {
        let page = "<!DOCTYPE html><html><head><meta charset=gbk><title>T</title>\
                    <meta property=og:url content=https://a.example.cn/1.html></head>\
                    <body><h1>标题</h1><p>正文。</p></body></html>";
        let (gbk, _, _) = encoding_rs::GBK.encode(page);
        let d = decode(&gbk, "p", &DecodeOptions::default()).unwrap();
        assert_eq!(d.text, "标题\n正文。\n");
        assert_eq!(d.source.format.as_str(), "html");
        assert_eq!(d.source.encoding_reason.as_str(), "declared");
        assert_eq!(d.url.as_deref(), Some("https://a.example.cn/1.html"));
        assert!(d.source.text_blake3.is_some());
        // A sidecar URL wins over the page's own.
        let d = decode_hinted(
            &gbk,
            "p",
            &DecodeOptions::default(),
            Some("http://b.cn/"),
            None,
        )
        .unwrap();
        assert_eq!(d.url.as_deref(), Some("http://b.cn/"));
    }

    #[test]
    fn too_large_message() {
        let e = decode(
            b"0123456789",
            "a.txt",
            &DecodeOptions {
                max_bytes: Some(4),
                ..DecodeOptions::default()
            },
        )
        .unwrap_err();
        assert!(e
            .to_string()
            .contains("10 bytes exceeds the per-document size limit of 4 bytes"));
    }
}

#[cfg(test)]
mod odd_bytes_tests {
    use super::*;

    /// A small deterministic byte generator.
    fn lcg_bytes(n: usize, seed: u64, lo: u8, hi: u8) -> Vec<u8> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                lo + ((x >> 33) % (u64::from(hi - lo) + 1)) as u8
            })
            .collect()
    }

    /// Chinese sentences with a few C0 control bytes inside them, as a real corpus text
    /// (repost-dev2) has: about one byte in nine.
    fn text_with_controls() -> Vec<u8> {
        let mut b = Vec::new();
        for (i, s) in "红烧肉的做法，选料很讲究，五花肉要肥瘦相间。火候也很重要，先大火后小火。"
            .repeat(20)
            .split('，')
            .enumerate()
        {
            b.extend_from_slice(s.as_bytes());
            b.extend_from_slice(&[5, 6, 8, 7, 5][..3 + i % 3]);
            b.extend_from_slice("，".as_bytes());
        }
        b
    }

    #[test]
    fn text_with_control_bytes_is_text_and_random_bytes_are_not() {
        let t = text_with_controls();
        let controls = t.iter().filter(|&&b| (5..=8).contains(&b)).count();
        assert!(controls * 100 > t.len() * 10, "{controls} of {}", t.len());
        assert_eq!(sniff_binary(&t), None);
        let d = decode(&t, "a.txt", &DecodeOptions::default()).unwrap();
        assert!(d.text.contains("红烧肉的做法"), "{}", d.text);
        assert!(!d.source.implausible);
        // Random bytes: binary, whichever way the dice fall.
        for seed in 1..20 {
            let r = lcg_bytes(20_000, seed, 0, 255);
            assert!(sniff_binary(&r).is_some(), "seed {seed}");
        }
        // Mostly control bytes, whatever the rest: binary.
        let mut c = vec![1u8; 400];
        c.extend_from_slice("正文".as_bytes());
        assert!(sniff_binary(&c).is_some());
    }

    #[test]
    fn random_high_bytes_decode_with_a_warning_and_the_flag() {
        let r = lcg_bytes(20_000, 7, 0x80, 0xFF);
        let d = decode(&r, "r.txt", &DecodeOptions::default()).unwrap();
        assert!(d.source.implausible, "{:?}", d.source);
        assert!(
            d.source
                .warnings
                .iter()
                .any(|w| w.starts_with("implausible decoding:")),
            "{:?}",
            d.source.warnings
        );
        // Real text in single-byte encodings is not flagged.
        let cyrillic = "Съешь же ещё этих мягких французских булок, да выпей чаю. ".repeat(20);
        let (cyr, _, _) = encoding_rs::WINDOWS_1251.encode(&cyrillic);
        let d = decode(&cyr, "c.txt", &DecodeOptions::default()).unwrap();
        assert!(!d.source.implausible, "{}", d.source.encoding);
        let d = decode(
            "Ça a été un été très chaud à Paris, dit-il. "
                .repeat(20)
                .as_bytes(),
            "f.txt",
            &DecodeOptions::default(),
        )
        .unwrap();
        assert!(!d.source.implausible);
    }

    #[test]
    fn forced_utf16_decides_before_the_binary_check() {
        let mut b = Vec::new();
        for u in "Plain text saved as UTF-16 without a byte-order mark.\n标题\n".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        assert!(decode(&b, "u.txt", &DecodeOptions::default()).is_err());
        let d = decode(
            &b,
            "u.txt",
            &DecodeOptions {
                encoding: Some(encoding_rs::UTF_16LE),
                max_bytes: None,
            },
        )
        .unwrap();
        assert!(
            d.text.starts_with("Plain text saved as UTF-16"),
            "{}",
            d.text
        );
        assert_eq!(d.source.encoding_reason.as_str(), "forced");
        // Known formats stay refused.
        let png = decode(
            b"\x89PNG\r\n\x1a\n\0\0\0\0",
            "x.png",
            &DecodeOptions {
                encoding: Some(encoding_rs::UTF_16LE),
                max_bytes: None,
            },
        );
        assert!(png.is_err());
    }

    /// An old table-layout portal page (2004-style), in GBK, with a wrapper line and a
    /// charset declaration as asked.
    fn portal_page(charset: Option<&str>, wrapper: bool) -> String {
        let meta = charset.map_or(String::new(), |c| {
            format!("<meta http-equiv=\"Content-Type\" content=\"text/html; charset={c}\">")
        });
        format!(
            "{}<html><head>{meta}<title>市政府召开防汛工作会议_本地新闻_某某信息港</title></head>\n\
             <body bgcolor=#ffffff><table width=760 border=0><tr><td><a href=/>首页</a> | <a href=/news/>新闻中心</a> | <a href=/bbs/>论坛</a></td></tr></table>\n\
             <table width=760><tr><td class=title>市政府召开防汛工作会议</td></tr>\n\
             <tr><td class=content><p>　　本报讯 昨天上午，市政府召开全市防汛工作会议，部署今年的防汛抗旱工作。会议要求各区县立即行动起来，做好防大汛、抗大旱的准备。</p>\n\
             <p>　　会议指出，今年汛期气候形势复杂，各部门要加强值班，及时发布预警信息，确保人民群众生命财产安全。</p>\n\
             <p>　　副市长在会上讲话，要求各有关单位认真检查水库、堤防和排涝设施，发现隐患立即整改。</p></td></tr></table>\n\
             <table width=760><tr><td>版权所有 某某信息港 Copyright 2004</td></tr></table></body></html>\n",
            if wrapper { "http://www.example.com.cn/news/2004/0601.htm\n" } else { "" }
        )
    }

    /// `page` in `enc`, with the trail byte of the first character of `damaged` replaced by
    /// 0xFF (an invalid sequence in GBK and Big5).
    fn encode_damaged(page: &str, enc: &'static encoding_rs::Encoding, damaged: &str) -> Vec<u8> {
        let (mut bytes, _, bad) = enc.encode(page);
        assert!(!bad);
        let (needle, _, _) = enc.encode(damaged);
        let at = bytes
            .windows(needle.len())
            .position(|w| w == &*needle)
            .unwrap();
        bytes.to_mut()[at + 1] = 0xFF;
        bytes.into_owned()
    }

    #[test]
    fn a_declared_gb2312_page_with_one_bad_byte_is_gbk_with_one_replacement() {
        let page = portal_page(Some("gb2312"), false);
        let bytes = encode_damaged(&page, encoding_rs::GBK, "部署");
        let d = decode(&bytes, "0601.htm", &DecodeOptions::default()).unwrap();
        assert_eq!(
            (
                d.source.encoding.as_str(),
                d.source.encoding_reason.as_str()
            ),
            ("gb18030", "declared")
        );
        assert_eq!(d.source.replacement_chars, 1);
        assert!(
            d.text.contains("\u{FFFD}署今年的防汛抗旱工作"),
            "{}",
            d.text
        );
        assert!(d.text.contains("副市长在会上讲话"));
        assert!(!d.source.implausible);
    }

    #[test]
    fn pages_without_a_charset_with_one_bad_byte_are_detected_as_gbk_or_big5() {
        let page = portal_page(None, true);
        let bytes = encode_damaged(&page, encoding_rs::GBK, "部署");
        let d = decode(&bytes, "0601.htm", &DecodeOptions::default()).unwrap();
        assert_eq!(
            (
                d.source.encoding.as_str(),
                d.source.encoding_reason.as_str()
            ),
            ("gb18030", "detected")
        );
        assert_eq!(d.source.replacement_chars, 1);
        assert!(d.text.contains("副市长在会上讲话"), "{}", d.text);
        // Traditional Chinese in Big5, from a .tw host.
        let tw = "<html><head><title>颱風來襲 各地嚴陣以待</title></head><body>\
                  <p>中央氣象局昨天發布海上颱風警報，提醒民眾注意強風豪雨，各縣市政府已成立災害應變中心。</p>\
                  <p>氣象專家表示，颱風路徑仍有變數，請民眾隨時注意最新消息，避免前往山區與海邊。</p></body></html>";
        let bytes = encode_damaged(tw, encoding_rs::BIG5, "發布");
        let d = decode_hinted(
            &bytes,
            "a.html",
            &DecodeOptions::default(),
            Some("https://news.example.com.tw/a.html"),
            None,
        )
        .unwrap();
        assert_eq!(d.source.encoding, "Big5");
        assert_eq!(d.source.replacement_chars, 1);
        assert!(d.text.contains("提醒民眾注意強風豪雨"), "{}", d.text);
    }

    #[test]
    fn a_wrapper_line_before_html_is_still_a_page() {
        let page = portal_page(Some("gbk"), true);
        let (bytes, _, _) = encoding_rs::GBK.encode(&page);
        let d = decode(&bytes, "0601", &DecodeOptions::default()).unwrap();
        assert_eq!(d.source.format.as_str(), "html");
        assert!(!d.text.contains("<td"), "{}", d.text);
        // A text that mentions a tag on its second line is not a page.
        assert_eq!(
            sniff_format("a", "如何写网页\n<html> 是根元素。\n正文。"),
            ContentFormat::Text
        );
    }
}
