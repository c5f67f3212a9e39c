//! WARC and WET files (Common Crawl): each `response` record with an HTML or text HTTP
//! payload, each `resource` record, and each WET `conversion` record (plain text) becomes a
//! document, with `WARC-Target-URI` as its URL and the charset from the HTTP
//! `Content-Type` header. `warcinfo`, `request`, `metadata` and other records are counted,
//! not cleaned.
//!
//! Header blocks are parsed and validated by the `warc` crate; this module frames records on
//! a [`BufRead`] (so one record at a time is in memory, and a body larger than the size cap
//! is skipped without being held) and re-synchronises on the next `WARC/` line after a
//! record with a bad length, so one damaged record never loses the rest of the file.

use std::io::{BufRead, Read};

use warc::{EmptyBody, RawRecordHeader, Record, RecordType, WarcHeader};

/// Longest header block accepted (WARC or HTTP), in bytes.
pub const MAX_HEADER: usize = 64 * 1024;

/// A document found in a WARC file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The payload bytes (HTTP headers removed, transfer and content encodings undone).
    pub bytes: Vec<u8>,
    /// `WARC-Target-URI`.
    pub url: Option<String>,
    /// Charset label from the HTTP `Content-Type` header.
    pub charset: Option<String>,
    /// `html` or `text`, from the content type (WET conversions are text).
    pub format: &'static str,
    /// `WARC-Record-ID`.
    pub record_id: String,
    /// The record type (`response`, `resource`, `conversion`).
    pub warc_type: String,
}

/// What one WARC record gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A document to clean.
    Document(Document),
    /// A record with nothing to clean (`request`, `warcinfo`, an image response, ...),
    /// with the reason; reported in counts, not as an error.
    Skipped {
        /// The record type.
        warc_type: String,
        /// Why nothing is cleaned.
        reason: String,
        /// `WARC-Target-URI`, when present.
        url: Option<String>,
    },
    /// A record that could not be read; the reader has moved on to the next one.
    Bad(String),
}

/// One record with its byte offset in the (decompressed) stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Positioned {
    /// Offset of the record's first byte.
    pub offset: u64,
    /// What it gave.
    pub item: Item,
}

/// Reads WARC records from `input`. A read error (truncated compression) ends the
/// iteration with one `Err` carrying the offset it happened at.
pub struct Reader<R> {
    input: R,
    offset: u64,
    max_body: u64,
    done: bool,
    line: Vec<u8>,
    /// Offset of a record header whose first line is already in `line` (found while
    /// re-synchronising after damage).
    pending: Option<u64>,
}

fn blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

impl<R: BufRead> Reader<R> {
    /// A reader that skips (reports) bodies longer than `max_body` bytes.
    pub fn new(input: R, max_body: u64) -> Reader<R> {
        Reader {
            input,
            offset: 0,
            max_body,
            done: false,
            line: Vec::new(),
            pending: None,
        }
    }

    /// Reads one line (at most [`MAX_HEADER`] bytes kept) into `self.line`; false at the end.
    fn next_line(&mut self) -> std::io::Result<bool> {
        self.line.clear();
        let mut total = 0;
        loop {
            let chunk = self.input.fill_buf()?;
            if chunk.is_empty() {
                self.offset += total as u64;
                return Ok(total > 0);
            }
            let (take, end) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            let room = MAX_HEADER.saturating_sub(self.line.len());
            self.line.extend_from_slice(&chunk[..take.min(room)]);
            self.input.consume(take);
            total += take;
            if end {
                self.offset += total as u64;
                return Ok(true);
            }
        }
    }

    /// Reads and discards `n` bytes; false when the stream ends first.
    fn skip(&mut self, n: u64) -> std::io::Result<bool> {
        let copied = std::io::copy(&mut (&mut self.input).take(n), &mut std::io::sink())?;
        self.offset += copied;
        Ok(copied == n)
    }

    /// Reads exactly `n` bytes; `None` when the stream ends first.
    fn read_body(&mut self, n: u64) -> std::io::Result<Option<Vec<u8>>> {
        let mut body = Vec::with_capacity(n.min(1 << 20) as usize);
        let got = (&mut self.input).take(n).read_to_end(&mut body)? as u64;
        self.offset += got;
        Ok((got == n).then_some(body))
    }

    /// Skips to the next line starting with `WARC/` and remembers it as the next record's
    /// start. Returns where reading resumes, for the message.
    fn resync(&mut self) -> std::io::Result<String> {
        loop {
            let start = self.offset;
            if !self.next_line()? {
                return Ok("the end of the file".into());
            }
            if self.line.starts_with(b"WARC/") {
                self.pending = Some(start);
                return Ok(format!("the next record at byte {start}"));
            }
        }
    }

    fn read_record(&mut self) -> std::io::Result<Option<Positioned>> {
        let offset = match self.pending.take() {
            Some(o) => o,
            None => loop {
                let start = self.offset;
                if !self.next_line()? {
                    return Ok(None);
                }
                if !blank(&self.line) {
                    break start;
                }
            },
        };
        let bad = |item: String| {
            Ok(Some(Positioned {
                offset,
                item: Item::Bad(item),
            }))
        };
        if !self.line.starts_with(b"WARC/") {
            let to = self.resync()?;
            return bad(format!("no WARC record header here; skipped to {to}"));
        }
        let mut header = std::mem::take(&mut self.line);
        loop {
            if !self.next_line()? {
                return bad("the file ends inside the record header".into());
            }
            if blank(&self.line) {
                header.extend_from_slice(b"\r\n");
                break;
            }
            header.extend_from_slice(&self.line);
            if header.len() > MAX_HEADER {
                let to = self.resync()?;
                return bad(format!(
                    "record header longer than {MAX_HEADER} bytes; skipped to {to}"
                ));
            }
        }
        let parsed = match warc::parser::headers(&header) {
            Ok((_, parsed)) => parsed,
            Err(_) => {
                let to = self.resync()?;
                return bad(format!("invalid WARC record header; skipped to {to}"));
            }
        };
        let (version, fields, length) = parsed;
        let length = length as u64;
        let raw = RawRecordHeader {
            version: version.to_string(),
            headers: fields
                .into_iter()
                .map(|(k, v)| (WarcHeader::from(k), v.to_vec()))
                .collect(),
        };
        let record = Record::<EmptyBody>::try_from(raw);
        let body = if length > self.max_body {
            if !self.skip(length)? {
                return bad("the file ends inside this record's body".into());
            }
            None
        } else {
            match self.read_body(length)? {
                Some(b) => Some(b),
                None => {
                    return bad(format!(
                        "the file ends inside this record's body (Content-Length {length})"
                    ))
                }
            }
        };
        // A record ends with two CRLFs; anything else means the length was wrong.
        let mut trailer_ok = true;
        for _ in 0..2 {
            let start = self.offset;
            if !self.next_line()? {
                break;
            }
            if !blank(&self.line) {
                trailer_ok = false;
                if self.line.starts_with(b"WARC/") {
                    self.pending = Some(start);
                }
                break;
            }
        }
        if !trailer_ok {
            let to = match self.pending {
                Some(p) => format!("the next record at byte {p}"),
                None => self.resync()?,
            };
            return bad(format!(
                "Content-Length {length} does not end where the record does; skipped to {to}"
            ));
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => return bad(format!("invalid WARC record: {e}")),
        };
        let Some(body) = body else {
            return bad(format!(
                "record body of {length} bytes exceeds the per-document size limit of {} bytes",
                self.max_body
            ));
        };
        Ok(Some(Positioned {
            offset,
            item: interpret(&record, body),
        }))
    }
}

/// What a parsed record with its body gives.
fn interpret(record: &Record<EmptyBody>, body: Vec<u8>) -> Item {
    let url = record
        .header(WarcHeader::TargetURI)
        .map(|u| u.trim().to_string());
    let warc_type = record.warc_type().to_string();
    let skipped = |reason: String| Item::Skipped {
        warc_type: warc_type.clone(),
        reason,
        url: url.clone(),
    };
    let content_type = record
        .header(WarcHeader::ContentType)
        .map(|c| c.to_ascii_lowercase())
        .unwrap_or_default();
    let doc = |bytes, charset, format| {
        Item::Document(Document {
            bytes,
            url: url.clone(),
            charset,
            format,
            record_id: record.warc_id().to_string(),
            warc_type: warc_type.clone(),
        })
    };
    match record.warc_type() {
        RecordType::Conversion => doc(body, Some("utf-8".into()), "text"),
        RecordType::Response if content_type.starts_with("application/http") => {
            match http_payload(&body) {
                Ok(p) => match p.format {
                    Some(format) => doc(p.bytes, p.charset, format),
                    None => skipped(format!("not text: {}", p.content_type)),
                },
                Err(e) => Item::Bad(e),
            }
        }
        RecordType::Response | RecordType::Resource => {
            let (mime, charset) = split_content_type(&content_type);
            match format_of(&mime) {
                Some(format) if !content_type.starts_with("application/http") => {
                    doc(body, charset, format)
                }
                _ if record.warc_type() == &RecordType::Response => Item::Bad(format!(
                    "not an HTTP response (Content-Type `{content_type}`)"
                )),
                _ => skipped(format!("not text: {mime}")),
            }
        }
        _ => skipped("nothing to clean in this record type".into()),
    }
}

/// An HTTP response's payload and what its headers say about it.
struct Payload {
    bytes: Vec<u8>,
    charset: Option<String>,
    content_type: String,
    format: Option<&'static str>,
}

fn split_content_type(ct: &str) -> (String, Option<String>) {
    let mut parts = ct.split(';');
    let mime = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let charset = parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("charset"))
            .then(|| v.trim().trim_matches(['"', '\'']).to_string())
            .filter(|v| !v.is_empty())
    });
    (mime, charset)
}

/// `html` or `text` for the media types rinse cleans; `None` for the others. A missing
/// media type is sniffed later like a file (`text`/`html` by content).
fn format_of(mime: &str) -> Option<&'static str> {
    match mime {
        "text/html" | "application/xhtml+xml" => Some("html"),
        "" | "text/plain" => Some("text"),
        _ => None,
    }
}

fn http_payload(message: &[u8]) -> Result<Payload, String> {
    let mut headers = [httparse::EMPTY_HEADER; 128];
    let mut resp = httparse::Response::new(&mut headers);
    let head_len = match resp.parse(message) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Err("HTTP response header is incomplete".into()),
        Err(e) => return Err(format!("not an HTTP response: {e}")),
    };
    let get = |name: &str| {
        resp.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_ascii_lowercase())
    };
    let content_type = get("content-type").unwrap_or_default();
    let (mime, charset) = split_content_type(&content_type);
    let mut bytes = message[head_len..].to_vec();
    if get("transfer-encoding").is_some_and(|t| t.contains("chunked")) {
        bytes = dechunk(&bytes).ok_or("bad chunked transfer encoding")?;
    }
    match get("content-encoding").as_deref() {
        None | Some("") | Some("identity") => {}
        Some("gzip") | Some("x-gzip") => {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(&bytes[..])
                .read_to_end(&mut out)
                .map_err(|e| format!("gzip payload: {e}"))?;
            bytes = out;
        }
        Some("deflate") => {
            let mut out = Vec::new();
            flate2::read::ZlibDecoder::new(&bytes[..])
                .read_to_end(&mut out)
                .map_err(|e| format!("deflate payload: {e}"))?;
            bytes = out;
        }
        Some(other) => return Err(format!("unsupported Content-Encoding `{other}`")),
    }
    Ok(Payload {
        bytes,
        charset,
        format: format_of(&mime),
        content_type: mime,
    })
}

/// Undoes HTTP/1.1 chunked transfer encoding.
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len());
    loop {
        let nl = data.iter().position(|&b| b == b'\n')?;
        let size_text = std::str::from_utf8(&data[..nl]).ok()?;
        let size_text = size_text.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        data = &data[nl + 1..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size..)?;
        data = data
            .strip_prefix(b"\r\n")
            .or_else(|| data.strip_prefix(b"\n"))
            .unwrap_or(data);
    }
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Result<Positioned, (u64, std::io::Error)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.read_record() {
            Ok(Some(p)) => Some(Ok(p)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err((self.offset, e)))
            }
        }
    }
}

/// Builds one WARC record (for tests and examples): `WARC/1.0` headers with a record id,
/// date and length, then `body`.
pub fn build_record(
    warc_type: &str,
    uri: Option<&str>,
    content_type: &str,
    body: &[u8],
) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {warc_type}\r\nWARC-Record-ID: <urn:uuid:{:032x}>\r\nWARC-Date: 2024-01-01T00:00:00Z\r\n",
        blake3::hash(body).as_bytes()[..16].iter().fold(0u128, |a, &b| (a << 8) | u128::from(b))
    );
    if let Some(u) = uri {
        r.push_str(&format!("WARC-Target-URI: {u}\r\n"));
    }
    r.push_str(&format!(
        "Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    ));
    let mut out = r.into_bytes();
    out.extend_from_slice(body);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http(ct: &str, payload: &str) -> Vec<u8> {
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {ct}\r\nContent-Length: {}\r\n\r\n{payload}",
            payload.len()
        )
        .into_bytes()
    }

    fn read(bytes: &[u8]) -> Vec<Positioned> {
        Reader::new(bytes, 1 << 20).map(Result::unwrap).collect()
    }

    #[test]
    fn responses_conversions_and_the_rest() {
        let mut f = build_record(
            "warcinfo",
            None,
            "application/warc-fields",
            b"software: test\r\n",
        );
        f.extend(build_record(
            "request",
            Some("http://a.cn/1"),
            "application/http; msgtype=request",
            b"GET /1 HTTP/1.1\r\n\r\n",
        ));
        f.extend(build_record(
            "response",
            Some("http://a.cn/1"),
            "application/http; msgtype=response",
            &http("text/html; charset=GBK", "<p>x</p>"),
        ));
        f.extend(build_record(
            "response",
            Some("http://a.cn/logo.png"),
            "application/http; msgtype=response",
            &http("image/png", "PNG"),
        ));
        f.extend(build_record(
            "conversion",
            Some("http://a.cn/2"),
            "text/plain",
            "正文".as_bytes(),
        ));
        let items = read(&f);
        assert_eq!(items.len(), 5);
        assert!(
            matches!(&items[0].item, Item::Skipped { warc_type, .. } if warc_type == "warcinfo")
        );
        assert!(
            matches!(&items[1].item, Item::Skipped { warc_type, .. } if warc_type == "request")
        );
        let Item::Document(d) = &items[2].item else {
            panic!("{:?}", items[2])
        };
        assert_eq!(
            (
                d.bytes.as_slice(),
                d.format,
                d.charset.as_deref(),
                d.url.as_deref()
            ),
            (&b"<p>x</p>"[..], "html", Some("gbk"), Some("http://a.cn/1"))
        );
        assert!(
            matches!(&items[3].item, Item::Skipped { reason, .. } if reason == "not text: image/png")
        );
        let Item::Document(d) = &items[4].item else {
            panic!()
        };
        assert_eq!((d.bytes.as_slice(), d.format), ("正文".as_bytes(), "text"));
        assert_eq!(items[0].offset, 0);
        assert!(items[1].offset > 0);
    }

    #[test]
    fn bad_length_loses_only_that_record() {
        let good = build_record(
            "conversion",
            Some("http://a.cn/1"),
            "text/plain",
            "第一篇".as_bytes(),
        );
        let mut damaged = build_record(
            "conversion",
            Some("http://a.cn/2"),
            "text/plain",
            "第二篇正文".as_bytes(),
        );
        let text = String::from_utf8(damaged.clone())
            .unwrap()
            .replace("Content-Length: 15", "Content-Length: 9");
        damaged = text.into_bytes();
        let last = build_record(
            "conversion",
            Some("http://a.cn/3"),
            "text/plain",
            "第三篇".as_bytes(),
        );
        let mut f = good.clone();
        f.extend(&damaged);
        f.extend(&last);
        let items = read(&f);
        assert_eq!(items.len(), 3, "{items:?}");
        assert!(
            matches!(&items[1].item, Item::Bad(m) if m.contains("Content-Length 9 does not end where the record does")),
            "{:?}",
            items[1]
        );
        assert_eq!(items[1].offset, good.len() as u64);
        let Item::Document(d) = &items[2].item else {
            panic!("{:?}", items[2])
        };
        assert_eq!(d.bytes, "第三篇".as_bytes());
        assert_eq!(items[2].offset, (good.len() + damaged.len()) as u64);
    }

    #[test]
    fn non_http_response_and_truncation() {
        let mut f = build_record(
            "response",
            Some("dns:a.cn"),
            "text/dns",
            b"a.cn. 60 IN A 1.2.3.4",
        );
        let cut = build_record(
            "conversion",
            None,
            "text/plain",
            "被截断的记录正文".as_bytes(),
        );
        f.extend(&cut[..cut.len() - 10]);
        let items = read(&f);
        assert!(
            matches!(&items[0].item, Item::Bad(m) if m.contains("not an HTTP response")),
            "{items:?}"
        );
        assert!(
            matches!(&items[1].item, Item::Bad(m) if m.contains("the file ends inside this record's body")),
            "{items:?}"
        );
    }

    #[test]
    fn chunked_and_gzip_payloads() {
        assert_eq!(
            dechunk(b"3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n").unwrap(),
            b"abcde"
        );
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, "<p>压缩</p>".as_bytes()).unwrap();
        let gz = gz.finish().unwrap();
        let mut msg =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"
                .to_vec();
        msg.extend(gz);
        let p = http_payload(&msg).unwrap();
        assert_eq!(p.bytes, "<p>压缩</p>".as_bytes());
    }
}
