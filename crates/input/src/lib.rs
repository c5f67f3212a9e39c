//! Bytes to [`Document`]: binary detection, encoding detection and decoding, format sniffing,
//! HTML to block text.
//!
//! Nothing here touches the file system: callers pass the bytes and the path they came from.
//! See [`decode()`] for the order in which an encoding is chosen and [`html`] for how a page
//! becomes lines.

#![warn(missing_docs)]

pub mod decode;
/// HTML pages to block text (from `rinse-extract`).
pub use rinse_extract::page_hints as html;
pub mod jsonl;
pub mod warc;

pub use decode::Hints;

use serde::{Deserialize, Serialize};

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
    pub encoding_reason: String,
    /// U+FFFD characters produced by decoding (0 for clean input).
    pub replacement_chars: usize,
    /// `text` or `html`. For `html`, the engine cleans the page's block text (see
    /// [`html::to_block_text`]): edit offsets are relative to that text, not to the raw
    /// markup, and `text_blake3` identifies it.
    pub format: String,
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
                encoding_reason: "utf8".into(),
                format: "text".into(),
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
pub fn sniff_binary(bytes: &[u8]) -> Option<&'static str> {
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
    if let Some((_, what)) = MAGIC.iter().find(|(m, _)| bytes.starts_with(m)) {
        return Some(what);
    }
    if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        return None; // UTF-16 with a BOM: NUL bytes are expected.
    }
    // Many control bytes in the first block: not text in any encoding we read.
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    if !head.is_empty() && controls * 10 > head.len() {
        return Some("binary data (many control bytes)");
    }
    None
}

/// Whether the input is HTML, from its extension or its first bytes: `.html`, `.htm`,
/// `.xhtml`, `.shtml`, or text starting with `<!doctype html` or `<html` are HTML; anything
/// else that decoded as text (`.txt`, `.text`, no extension, ...) is text.
pub fn sniff_format(path: &str, text: &str) -> &'static str {
    let lower = path.to_ascii_lowercase();
    if [".html", ".htm", ".xhtml", ".shtml"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        return "html";
    }
    let start = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let head: String = start
        .chars()
        .take(15)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        "html"
    } else {
        "text"
    }
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
    pub format: Option<&'static str>,
}

/// Text that arrived as Unicode in a record field (JSON Lines): no decoding to choose,
/// `format` is `html` or `text`.
pub fn from_unicode(
    text: &str,
    path: &str,
    opts: &DecodeOptions,
    url: Option<&str>,
    format: &'static str,
) -> Result<Document, InputError> {
    check_size(text.len() as u64, opts)?;
    let d = decode::Decoded {
        text: text.to_string(),
        encoding: encoding_rs::UTF_8,
        reason: "record",
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
    if let Some(what) = sniff_binary(bytes) {
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
    format: &'static str,
) -> Document {
    let mut warnings = Vec::new();
    if d.reason == "mixed" {
        warnings.push(format!(
            "mixed encodings: {} line{} decoded as UTF-8, the other lines as {}; lines in a third encoding may be garbled",
            d.utf8_lines,
            if d.utf8_lines == 1 { "" } else { "s" },
            d.encoding.name()
        ));
    }
    let mut decoded = d.text;
    remove_nuls(&mut decoded, &mut warnings);
    let (text, url, text_blake3, page) = if format == "html" {
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
            encoding_reason: d.reason.to_string(),
            replacement_chars: d.replacement_chars,
            format: format.to_string(),
            text_blake3,
            url,
            warnings,
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
        assert_eq!(d.source.encoding_reason, "detected");
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
        assert_eq!(d.source.format, "html");
        assert_eq!(d.source.encoding_reason, "declared");
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
