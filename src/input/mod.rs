//! Bytes to [`Document`]: binary detection, encoding detection and decoding, format sniffing.
//!
//! Nothing here touches the file system: callers pass the bytes and the path they came from.

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
    /// How the encoding was chosen: `bom`, `declared`, `utf8`, `detected`, `forced` or `empty`.
    pub encoding_reason: String,
    /// U+FFFD characters produced by decoding (0 for clean input).
    pub replacement_chars: usize,
    /// `text` or `html`.
    pub format: String,
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

/// Why an input was not turned into a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// The bytes are not text (an image, an archive, an executable, ...).
    #[error("not text: looks like {0}; skipped")]
    Binary(String),
    /// The input exceeds the configured size cap.
    #[error("{size} bytes exceeds the size limit of {limit} bytes (raise it with --max-bytes)")]
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

/// Whether the input is HTML, from its extension or its first bytes.
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
    if let Some(limit) = opts.max_bytes {
        if bytes.len() as u64 > limit {
            return Err(InputError::TooLarge {
                size: bytes.len() as u64,
                limit,
            });
        }
    }
    if let Some(what) = sniff_binary(bytes) {
        return Err(InputError::Binary(what.to_string()));
    }
    let (encoding, reason, body): (&'static encoding_rs::Encoding, &str, &[u8]) =
        if let Some(enc) = opts.encoding {
            (enc, "forced", bytes)
        } else if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
            (enc, "bom", &bytes[bom_len..])
        } else if bytes.is_empty() {
            (encoding_rs::UTF_8, "empty", bytes)
        } else if std::str::from_utf8(bytes).is_ok() {
            (encoding_rs::UTF_8, "utf8", bytes)
        } else {
            let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            det.feed(bytes, true);
            (
                det.guess(None, chardetng::Utf8Detection::Allow),
                "detected",
                bytes,
            )
        };
    let (text, _) = encoding.decode_without_bom_handling(body);
    let replacement_chars = text.matches('\u{FFFD}').count();
    let text = text.into_owned();
    let format = sniff_format(path, &text);
    Ok(Document {
        path: Some(path.to_string()),
        url: None,
        source: Source {
            path: path.to_string(),
            bytes: bytes.len() as u64,
            blake3: blake3::hash(bytes).to_hex().to_string(),
            encoding: encoding.name().to_string(),
            encoding_reason: reason.to_string(),
            replacement_chars,
            format: format.to_string(),
        },
        text,
    })
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
