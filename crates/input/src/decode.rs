//! Choosing an encoding for raw bytes and decoding them, the way a browser would.
//!
//! The order, first match wins:
//! 1. a forced encoding (`--encoding`);
//! 2. a byte-order mark (UTF-8, UTF-16LE, UTF-16BE);
//! 3. valid UTF-8 with non-ASCII text, or UTF-8 with a few invalid sequences among many
//!    valid multi-byte characters (a damaged UTF-8 file: the bad bytes become U+FFFD and
//!    are counted, rather than the whole text turning into mojibake), even against a
//!    declared legacy charset (pages that declare `gb2312` over UTF-8 bytes are common);
//! 4. a declared charset (an HTML `<meta>` in the first [`META_SCAN_BYTES`] bytes, or the
//!    label a record header carries) whose decoding has at most [`MAX_ERROR_SHARE`] errors:
//!    as in a browser, one invalid sequence in an old GBK page does not throw the
//!    declaration away (it becomes one U+FFFD, counted in the provenance);
//! 5. chardetng's guess, hinted by the top-level domain of the page's URL when known; but
//!    never a single-byte encoding for bytes that decode as GBK or Big5 with under
//!    [`MAX_ERROR_SHARE`] errors (chardetng rules an encoding out on its first error, so
//!    one bad byte in a GBK page used to give windows-1252 mojibake).
//!
//! [`implausible`] then says whether the result reads as text at all (random bytes decode
//! as windows-1252 without a single error).
//!
//! GB2312 and GBK labels decode as GB18030 (a superset that maps every byte sequence GBK
//! pages use), and the provenance names `GB18030`.

use crate::EncodingReason;
use encoding_rs::{
    Encoding, BIG5, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252, X_USER_DEFINED,
};

/// How many leading bytes are searched for a `<meta charset>` declaration.
pub const META_SCAN_BYTES: usize = 4096;

/// Most decoding errors (U+FFFD produced) per non-ASCII character for a declared charset
/// to be kept, or for GBK/Big5 to be preferred over a single-byte guess: 1%. A damaged page
/// has a handful; bytes in another encoding have far more (UTF-8 Chinese read as GBK is
/// the exception, which is why valid UTF-8 is tried first).
pub const MAX_ERROR_SHARE: f64 = 0.01;

/// The decoded text and how the encoding was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, with any byte-order mark removed.
    pub text: String,
    /// The encoding used.
    pub encoding: &'static Encoding,
    /// How the encoding was chosen (never [`EncodingReason::Record`] here).
    pub reason: EncodingReason,
    /// U+FFFD characters that decoding produced (replacement characters already present
    /// in valid input are not counted).
    pub replacement_chars: usize,
    /// For `mixed`: lines that were valid UTF-8 (decoded as UTF-8; the other lines were
    /// decoded with `encoding`). 0 otherwise.
    pub utf8_lines: usize,
}

/// What is known about the bytes besides the bytes themselves.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hints<'a> {
    /// Force this encoding.
    pub forced: Option<&'static Encoding>,
    /// A charset label from outside the bytes (a record header, an HTTP header).
    pub charset: Option<&'a str>,
    /// The page URL; its top-level domain hints the detector.
    pub url: Option<&'a str>,
}

/// GBK (and GB2312, which encoding_rs maps to GBK) decode as GB18030.
fn widen(enc: &'static Encoding) -> &'static Encoding {
    if enc == GBK {
        GB18030
    } else {
        enc
    }
}

/// Maps a charset label the way a browser treats one found in a `<meta>` tag: UTF-16
/// labels mean UTF-8 (the bytes are evidently ASCII-compatible), `x-user-defined` means
/// windows-1252.
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let enc = Encoding::for_label(label.trim().as_bytes())?;
    Some(if enc == UTF_16LE || enc == UTF_16BE {
        UTF_8
    } else if enc == X_USER_DEFINED {
        WINDOWS_1252
    } else {
        widen(enc)
    })
}

/// Finds a charset declared by a `<meta charset=...>` or
/// `<meta http-equiv=content-type content="...; charset=...">` tag in the first
/// [`META_SCAN_BYTES`] bytes (ASCII case-insensitive), and returns its label.
pub fn sniff_meta_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(META_SCAN_BYTES)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(off) = find(&lower[from..], b"<meta") {
        let tag_start = from + off + 5;
        let tag_end = lower[tag_start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| tag_start + e);
        let tag = &lower[tag_start..tag_end];
        if let Some(p) = find(tag, b"charset") {
            let mut rest = &tag[p + 7..];
            rest = trim_ascii_start(rest);
            if let Some(r) = rest.strip_prefix(b"=") {
                let r = trim_ascii_start(r);
                let r = r
                    .strip_prefix(b"\"")
                    .or_else(|| r.strip_prefix(b"'"))
                    .unwrap_or(r);
                let len = r
                    .iter()
                    .position(|&b| {
                        matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b.is_ascii_whitespace()
                    })
                    .unwrap_or(r.len());
                if len > 0 && len <= 40 {
                    if let Ok(label) = std::str::from_utf8(&r[..len]) {
                        return Some(label.to_string());
                    }
                }
            }
        }
        from = tag_end.max(tag_start);
    }
    None
}

fn trim_ascii_start(mut b: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = b {
        if first.is_ascii_whitespace() {
            b = rest;
        } else {
            break;
        }
    }
    b
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The top-level domain of a URL's host, lowercase ASCII (`cn` for `http://news.a.com.cn/x`).
pub fn url_tld(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?;
    let host = host.split(':').next()?.trim_end_matches('.');
    let tld = host.rsplit('.').next()?;
    (!tld.is_empty()
        && host.contains('.')
        && tld.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    .then(|| tld.to_ascii_lowercase())
}

/// Decodes `bytes` with the first applicable of: forced encoding, BOM, declared charset
/// (clean decodes only), UTF-8, detection. Never fails; undecodable sequences become U+FFFD
/// and are counted.
pub fn decode_bytes(bytes: &[u8], hints: &Hints<'_>) -> Decoded {
    if let Some(enc) = hints.forced {
        // A forced UTF-8/UTF-16 still drops its own BOM.
        let body = match Encoding::for_bom(bytes) {
            Some((bom_enc, len)) if bom_enc == enc => &bytes[len..],
            _ => bytes,
        };
        return finish(widen(enc), EncodingReason::Forced, body);
    }
    if let Some((enc, len)) = Encoding::for_bom(bytes) {
        return finish(enc, EncodingReason::Bom, &bytes[len..]);
    }
    if bytes.is_empty() {
        return finish(UTF_8, EncodingReason::Empty, bytes);
    }
    let utf8 = std::str::from_utf8(bytes).is_ok();
    let declared = hints.charset.and_then(encoding_for_label).or_else(|| {
        sniff_meta_charset(bytes)
            .as_deref()
            .and_then(encoding_for_label)
    });
    match declared {
        Some(enc) if enc == UTF_8 && utf8 => return finish(UTF_8, EncodingReason::Declared, bytes),
        Some(enc) if enc == UTF_8 => {}
        Some(enc) => {
            // UTF-8 bytes (even damaged) under a declared legacy charset are UTF-8: read as
            // GBK they give mojibake with few errors, and such pages are common.
            let utf8_wins = (utf8 && !bytes.is_ascii()) || (!utf8 && mostly_utf8(bytes));
            if !utf8_wins {
                let d = finish(enc, EncodingReason::Declared, bytes);
                if few_errors(&d) {
                    return d;
                }
            }
        }
        None => {}
    }
    if utf8 || mostly_utf8(bytes) {
        return finish(UTF_8, EncodingReason::Utf8, bytes);
    }
    if let Some(mixed) = decode_mixed(bytes, hints) {
        return mixed;
    }
    finish(detect(bytes, hints), EncodingReason::Detected, bytes)
}

/// Whether a decoding has at most [`MAX_ERROR_SHARE`] errors per non-ASCII character (at
/// least one error is always allowed).
fn few_errors(d: &Decoded) -> bool {
    if d.replacement_chars <= 1 {
        return true;
    }
    let non_ascii = d.text.chars().filter(|c| !c.is_ascii()).count();
    (d.replacement_chars as f64) <= non_ascii as f64 * MAX_ERROR_SHARE
}

/// Decoding errors `enc` makes on `bytes`, and the non-ASCII characters it gives.
fn error_rate(enc: &'static Encoding, bytes: &[u8]) -> (usize, usize) {
    let (text, _) = enc.decode_without_bom_handling(bytes);
    text.chars().fold((0, 0), |(e, n), c| {
        (
            e + usize::from(c == '\u{FFFD}'),
            n + usize::from(!c.is_ascii()),
        )
    })
}

/// chardetng's guess for `bytes`, hinted by the URL's top-level domain.
fn detect(bytes: &[u8], hints: &Hints<'_>) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let tld = hints.url.and_then(url_tld);
    let guess = widen(det.guess(
        tld.as_deref().map(str::as_bytes),
        chardetng::Utf8Detection::Allow,
    ));
    if !guess.is_single_byte() {
        return guess;
    }
    // chardetng drops a candidate at its first error; a GBK or Big5 page with one damaged
    // sequence must not become Latin mojibake. Big5 first where the domain says so.
    let big5_first = matches!(tld.as_deref(), Some("tw" | "hk" | "mo"));
    let order = if big5_first {
        [BIG5, GB18030]
    } else {
        [GB18030, BIG5]
    };
    order
        .into_iter()
        .map(|enc| (enc, error_rate(enc, bytes)))
        .filter(|(_, (errors, non_ascii))| {
            *non_ascii > 0 && (*errors as f64) < *non_ascii as f64 * MAX_ERROR_SHARE
        })
        .min_by_key(|(_, (errors, _))| *errors)
        .map_or(guess, |(enc, _)| enc)
}

/// Why decoded text does not read as text in any language, if it does not: many decoding
/// errors, or a single-byte decoding that is mostly non-ASCII with no spaces or line
/// breaks (random bytes decode as windows-1252 without an error; real Latin, Greek or
/// Cyrillic text has spaces between its words).
pub fn implausible(d: &Decoded) -> Option<String> {
    if matches!(d.reason, EncodingReason::Empty | EncodingReason::Record) {
        return None;
    }
    // Neither test below can hold: no need to read the text.
    if d.replacement_chars < 2 && !d.encoding.is_single_byte() {
        return None;
    }
    let (mut chars, mut non_ascii, mut spaces) = (0usize, 0usize, 0usize);
    for c in d.text.chars() {
        chars += 1;
        non_ascii += usize::from(!c.is_ascii());
        spaces += usize::from(c.is_ascii_whitespace());
    }
    if d.replacement_chars >= 2 && d.replacement_chars * 20 > chars {
        return Some(format!(
            "{} of {chars} characters could not be decoded as {}",
            d.replacement_chars,
            d.encoding.name()
        ));
    }
    if d.encoding.is_single_byte() && chars >= 16 && non_ascii * 2 > chars && spaces * 50 < chars {
        return Some(format!(
            "decoded as {}, {}% of the characters are not ASCII and there are almost no spaces or line breaks: probably not text in this encoding",
            d.encoding.name(),
            non_ascii * 100 / chars
        ));
    }
    None
}

/// Fewest CJK characters a valid UTF-8 line needs to count as UTF-8 text in a mixed file.
const MIXED_MIN_CJK: usize = 3;

/// Whether a line that is valid UTF-8 reads as Chinese text in UTF-8. Legacy double-byte
/// text is sometimes valid UTF-8 by chance (GBK `图片` is the bytes of `ͼƬ`), but then it
/// decodes to Greek, Cyrillic or Latin letters, not to CJK characters.
fn reads_as_utf8_cjk(line: &str) -> bool {
    let (mut cjk, mut other) = (0usize, 0usize);
    for c in line.chars().filter(|c| !c.is_ascii()) {
        if ('\u{2E80}'..='\u{9FFF}').contains(&c) || ('\u{FF00}'..='\u{FFEF}').contains(&c) {
            cjk += 1;
        } else {
            other += 1;
        }
    }
    cjk >= MIXED_MIN_CJK && other * 10 <= cjk
}

/// A file whose lines are in different encodings (pasted together from several sources):
/// some lines are UTF-8 with Chinese text, others are not valid UTF-8 at all. Decoding the
/// whole file with one guess turns the UTF-8 lines into mojibake, so each UTF-8 line is
/// decoded as UTF-8 and the others with the encoding detected on those lines alone.
/// `None` when the file is not mixed.
fn decode_mixed(bytes: &[u8], hints: &Hints<'_>) -> Option<Decoded> {
    let (mut utf8_lines, mut other) = (0usize, Vec::new());
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        match std::str::from_utf8(line) {
            Ok(s) if reads_as_utf8_cjk(s) => utf8_lines += 1,
            Ok(_) => {}
            Err(_) => other.extend_from_slice(line),
        }
    }
    if utf8_lines == 0 || other.is_empty() {
        return None;
    }
    let legacy = detect(&other, hints);
    let mut text = String::with_capacity(bytes.len());
    let mut replacement_chars = 0;
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        match std::str::from_utf8(line) {
            Ok(s) if reads_as_utf8_cjk(s) || s.is_ascii() => text.push_str(s),
            _ => {
                let d = finish(legacy, EncodingReason::Mixed, line);
                replacement_chars += d.replacement_chars;
                text.push_str(&d.text);
            }
        }
    }
    Some(Decoded {
        text,
        encoding: legacy,
        reason: EncodingReason::Mixed,
        replacement_chars,
        utf8_lines,
    })
}

/// Whether `bytes` look like UTF-8 with a few damaged sequences: at least 8 valid
/// multi-byte characters and at most one invalid sequence per 10 of them. Legacy Chinese
/// encodings rarely form valid UTF-8 sequences, so they do not pass.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut multi, mut bad) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        multi += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        bad += usize::from(!chunk.invalid().is_empty());
    }
    multi >= 8 && bad * 10 <= multi
}

fn finish(enc: &'static Encoding, reason: EncodingReason, body: &[u8]) -> Decoded {
    // Valid UTF-8 (the common case) decodes to itself without errors: one validation and
    // one copy instead of counting U+FFFD before and after decoding.
    if enc == UTF_8 {
        if let Ok(text) = std::str::from_utf8(body) {
            return Decoded {
                text: text.to_owned(),
                encoding: enc,
                reason,
                replacement_chars: 0,
                utf8_lines: 0,
            };
        }
    }
    let before = count_replacements_if_utf8(enc, body);
    let (text, _) = enc.decode_without_bom_handling(body);
    let replacement_chars = text.matches('\u{FFFD}').count().saturating_sub(before);
    Decoded {
        text: text.into_owned(),
        encoding: enc,
        reason,
        replacement_chars,
        utf8_lines: 0,
    }
}

/// U+FFFD characters written literally in UTF-8 input are content, not decoding errors.
fn count_replacements_if_utf8(enc: &'static Encoding, body: &[u8]) -> usize {
    if enc != UTF_8 {
        return 0;
    }
    // Count only inside valid stretches: EF BF BD is the UTF-8 encoding of U+FFFD.
    body.windows(3).filter(|w| *w == [0xEF, 0xBF, 0xBD]).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(bytes: &[u8]) -> Decoded {
        decode_bytes(bytes, &Hints::default())
    }

    #[test]
    fn meta_charset_forms() {
        assert_eq!(
            sniff_meta_charset(b"<html><head><META CHARSET=\"GB2312\">").as_deref(),
            Some("gb2312")
        );
        assert_eq!(
            sniff_meta_charset(
                b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\" />"
            )
            .as_deref(),
            Some("gbk")
        );
        assert_eq!(sniff_meta_charset(b"<meta name=x content=y>"), None);
        let mut late = vec![b' '; META_SCAN_BYTES];
        late.extend_from_slice(b"<meta charset=gbk>");
        assert_eq!(sniff_meta_charset(&late), None);
    }

    #[test]
    fn gb_labels_widen_to_gb18030() {
        assert_eq!(encoding_for_label("gb2312"), Some(GB18030));
        assert_eq!(encoding_for_label("GBK"), Some(GB18030));
        assert_eq!(encoding_for_label("utf-16"), Some(UTF_8));
        assert_eq!(encoding_for_label("nonsense"), None);
    }

    #[test]
    fn declared_only_when_clean() {
        let text = "<meta charset=gbk><p>这是一段中文。</p>";
        let (gbk, _, _) = GBK.encode(text);
        let d = dec(&gbk);
        assert_eq!(
            (d.encoding, d.reason, d.text.as_str()),
            (GB18030, EncodingReason::Declared, text)
        );
        // Declares GB2312 but is UTF-8: the declaration is ignored.
        let lying = "<meta charset=gb2312><p>这是一段中文，内容足够长。</p>";
        let d = dec(lying.as_bytes());
        assert_eq!(
            (d.encoding, d.reason, d.text.as_str()),
            (UTF_8, EncodingReason::Utf8, lying)
        );
        // GBK bytes declared as UTF-8: detection decides.
        let wrong = "<meta charset=utf-8><p>这是一段用来检测编码的中文文本，内容足够长。</p>";
        let (gbk, _, _) = GBK.encode(wrong);
        let d = dec(&gbk);
        assert_eq!(
            (d.encoding, d.reason, d.text.as_str()),
            (GB18030, EncodingReason::Detected, wrong)
        );
        assert_eq!(d.replacement_chars, 0);
    }

    #[test]
    fn header_charset_and_forced() {
        let (big5, _, _) = encoding_rs::BIG5.encode("繁體中文的新聞內容");
        let d = decode_bytes(
            &big5,
            &Hints {
                charset: Some("big5"),
                ..Hints::default()
            },
        );
        assert_eq!(
            (d.reason, d.text.as_str()),
            (EncodingReason::Declared, "繁體中文的新聞內容")
        );
        let d = decode_bytes(
            "abc".as_bytes(),
            &Hints {
                forced: Some(GBK),
                ..Hints::default()
            },
        );
        assert_eq!((d.encoding, d.reason), (GB18030, EncodingReason::Forced));
    }

    #[test]
    fn replacement_chars_are_counted() {
        let d = dec("已有\u{FFFD}字符".as_bytes());
        assert_eq!((d.reason, d.replacement_chars), (EncodingReason::Utf8, 0));
        let d = decode_bytes(
            b"ab\xff",
            &Hints {
                forced: Some(UTF_8),
                ..Hints::default()
            },
        );
        assert_eq!(d.replacement_chars, 1);
    }

    #[test]
    fn damaged_utf8_stays_utf8() {
        let mut b = "这是一段很长的中文文本，中间有一个坏字节："
            .as_bytes()
            .to_vec();
        b.push(0xFF);
        b.extend_from_slice("后面还有更多的中文内容。".as_bytes());
        let d = dec(&b);
        assert_eq!(
            (d.encoding, d.reason, d.replacement_chars),
            (UTF_8, EncodingReason::Utf8, 1)
        );
        assert!(d.text.contains("坏字节：\u{FFFD}后面"), "{}", d.text);
    }

    #[test]
    fn mixed_lines_are_decoded_each_in_their_own_encoding() {
        let (gbk, _, _) = GBK.encode("这一行是用国标码保存的中文内容。\n");
        let mut b = "第一行是统一码的中文。\n".as_bytes().to_vec();
        b.extend_from_slice(&gbk);
        b.extend_from_slice("最后一行又是统一码。\n".as_bytes());
        let d = dec(&b);
        assert_eq!(
            (d.reason, d.encoding, d.utf8_lines),
            (EncodingReason::Mixed, GB18030, 2)
        );
        assert_eq!(
            d.text,
            "第一行是统一码的中文。\n这一行是用国标码保存的中文内容。\n最后一行又是统一码。\n"
        );
        // A plain GBK file is not mixed.
        let (gbk, _, _) = GBK.encode("这是一段用来检测编码的中文文本，内容足够长。\n第二行。\n");
        assert_eq!(dec(&gbk).reason, EncodingReason::Detected);
    }

    #[test]
    fn tld() {
        assert_eq!(
            url_tld("https://news.example.com.tw/a?b").as_deref(),
            Some("tw")
        );
        assert_eq!(url_tld("http://user@x.cn:8080/").as_deref(), Some("cn"));
        assert_eq!(url_tld("localhost"), None);
    }

    #[test]
    fn utf16_bom() {
        let mut b = vec![0xFF, 0xFE];
        for u in "标题\n正文".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        let d = dec(&b);
        assert_eq!(
            (d.encoding, d.reason, d.text.as_str()),
            (UTF_16LE, EncodingReason::Bom, "标题\n正文")
        );
    }
}
