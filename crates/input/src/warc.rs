//! WARC and WET files (Common Crawl): each `response` record with an HTML or text HTTP
//! payload, each `resource` record, and each WET `conversion` record (plain text) becomes a
//! document, with `WARC-Target-URI` as its URL and the charset from the HTTP
//! `Content-Type` header. `warcinfo`, `request`, `metadata` and other records are counted,
//! not cleaned.
//!
//! Records are framed here on a [`BufRead`], one record at a time in memory (a body larger
//! than the size cap is skipped without being held), and header blocks are parsed with
//! `httparse` (WARC headers have HTTP's syntax). The `warc` crate was used before and
//! panicked on a header value that is not UTF-8; nothing here may panic on input bytes, and
//! [`Reader`] still catches a panic per record as a last guard.
//!
//! A record whose `Content-Length` is wrong loses only itself: when its body does not end
//! with the record trailer (or the file ends inside it), reading resumes at the first line
//! starting with `WARC/1.` inside the claimed body (kept, up to [`MAX_REPLAY`] bytes, for
//! that purpose), or else at the next such line after it. Every bad record is reported
//! with its byte offset and cause.

use std::collections::VecDeque;
use std::io::{self, BufRead, Read};
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::ContentFormat;

/// Longest header block accepted (WARC or HTTP), in bytes.
pub const MAX_HEADER: usize = 64 * 1024;
/// Most header fields in one WARC or HTTP header block.
const MAX_FIELDS: usize = 256;
/// Most bytes of a skipped (over-cap) body kept from its first `WARC/1.` line on, to be read
/// again if the record's length turns out to be wrong.
pub const MAX_REPLAY: usize = 64 << 20;
/// What a line must start with to be taken as a record start when re-synchronising.
const MARK: &[u8] = b"WARC/1.";

/// The `WARC-Type` of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WarcType {
    /// `warcinfo`.
    Warcinfo,
    /// `response`.
    Response,
    /// `resource`.
    Resource,
    /// `request`.
    Request,
    /// `metadata`.
    Metadata,
    /// `revisit`.
    Revisit,
    /// `conversion` (WET plain text).
    Conversion,
    /// `continuation`.
    Continuation,
    /// Any other value, as written.
    Other(String),
}

impl WarcType {
    /// The type for a header value (case-insensitive).
    pub fn parse(value: &str) -> WarcType {
        match value.to_ascii_lowercase().as_str() {
            "warcinfo" => WarcType::Warcinfo,
            "response" => WarcType::Response,
            "resource" => WarcType::Resource,
            "request" => WarcType::Request,
            "metadata" => WarcType::Metadata,
            "revisit" => WarcType::Revisit,
            "conversion" => WarcType::Conversion,
            "continuation" => WarcType::Continuation,
            _ => WarcType::Other(value.to_string()),
        }
    }

    /// The header value (`response`, ...).
    pub fn as_str(&self) -> &str {
        match self {
            WarcType::Warcinfo => "warcinfo",
            WarcType::Response => "response",
            WarcType::Resource => "resource",
            WarcType::Request => "request",
            WarcType::Metadata => "metadata",
            WarcType::Revisit => "revisit",
            WarcType::Conversion => "conversion",
            WarcType::Continuation => "continuation",
            WarcType::Other(s) => s,
        }
    }
}

impl std::fmt::Display for WarcType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A document found in a WARC file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The payload bytes (HTTP headers removed, transfer and content encodings undone).
    pub bytes: Vec<u8>,
    /// `WARC-Target-URI` (bytes that are not UTF-8 percent-encoded).
    pub url: Option<String>,
    /// Charset label from the HTTP `Content-Type` header.
    pub charset: Option<String>,
    /// HTML or text, from the content type (WET conversions are text).
    pub format: ContentFormat,
    /// `WARC-Record-ID`.
    pub record_id: String,
    /// The record type (`response`, `resource`, `conversion`).
    pub warc_type: WarcType,
}

/// Where reading resumed after a bad record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resume {
    /// At the record starting at this byte offset.
    At(u64),
    /// Nowhere: the file ended.
    End,
}

impl std::fmt::Display for Resume {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Resume::At(o) => write!(f, "the next record at byte {o}"),
            Resume::End => f.write_str("the end of the file"),
        }
    }
}

/// Why a record gave no document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// The bytes where a record should start are not a `WARC/` line.
    #[error("no WARC record header here; skipped to {0}")]
    NoHeader(Resume),
    /// The file ends before the header block does.
    #[error("the file ends inside the record header")]
    HeaderCut,
    /// The header block is longer than [`MAX_HEADER`].
    #[error("record header longer than {MAX_HEADER} bytes; skipped to {0}")]
    HeaderTooLong(Resume),
    /// The header block is not `Name: value` lines, or lacks a mandatory field.
    #[error("invalid WARC record header: {why}; skipped to {to}")]
    InvalidHeader {
        /// What is wrong.
        why: String,
        /// Where reading resumed.
        to: Resume,
    },
    /// The body does not end with the record trailer where `Content-Length` says.
    #[error("Content-Length {length} does not end where the record does; skipped to {to}")]
    BadLength {
        /// The claimed length.
        length: u64,
        /// Where reading resumed.
        to: Resume,
    },
    /// The file ends before `Content-Length` bytes, and a record starts inside them.
    #[error("Content-Length {length} runs past the end of the file; resumed at {to}")]
    LengthPastEnd {
        /// The claimed length.
        length: u64,
        /// Where reading resumed.
        to: Resume,
    },
    /// The file ends inside the body (a truncated file).
    #[error("the file ends inside this record's body (Content-Length {length})")]
    BodyCut {
        /// The claimed length.
        length: u64,
    },
    /// The body is over the size cap; it was skipped unread.
    #[error("record body of {length} bytes exceeds the per-document size limit of {limit} bytes")]
    TooLarge {
        /// The body's length.
        length: u64,
        /// The cap.
        limit: u64,
    },
    /// A `response` record whose payload is not an HTTP response.
    #[error("not an HTTP response: {0}")]
    NotHttp(String),
    /// The HTTP payload's transfer or content encoding could not be undone.
    #[error("{0}")]
    Payload(String),
    /// A bug: reading the record panicked. The record is lost, not the run.
    #[error("internal error while reading this record ({0}); skipped to {1}")]
    Panic(String, Resume),
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
        warc_type: WarcType,
        /// Why nothing is cleaned.
        reason: String,
        /// `WARC-Target-URI`, when present.
        url: Option<String>,
    },
    /// A record that could not be read; the reader has moved on to the next one.
    Bad(RecordError),
}

/// One record with its byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Positioned {
    /// Offset of the record's first byte in the stream read; after [`Positioned::place`],
    /// in the compressed file: the start of the gzip member the record starts (per-record
    /// gzip, as warcio gives it) or, when the record does not start a member, of the member
    /// it is in.
    pub offset: u64,
    /// The record's offset in the decompressed stream, when `offset` is not the start of
    /// the record's own gzip member (several records in one member); set by
    /// [`Positioned::place`].
    pub decompressed_offset: Option<u64>,
    /// What it gave.
    pub item: Item,
}

impl Positioned {
    /// Names the record by where it is in the compressed file, given the member starts
    /// of the gzip stream it was read from (`offset` is then a member start; see the
    /// fields). Records must be placed in the order they were read.
    pub fn place(&mut self, members: &crate::gzip::MemberMap) {
        let at = self.offset;
        match members.locate(at) {
            Some(m) if m.decompressed == at => self.offset = m.compressed,
            Some(m) => {
                self.offset = m.compressed;
                self.decompressed_offset = Some(at);
            }
            // Not known (a record inside a body spanning very many members): the
            // decompressed offset, said as such.
            None => self.decompressed_offset = Some(at),
        }
    }

    /// The offset that tells this record apart from the others of its stream: the
    /// decompressed one when several records share a gzip member, else `offset`.
    pub fn distinct_offset(&self) -> u64 {
        self.decompressed_offset.unwrap_or(self.offset)
    }
}

/// The input with bytes to read again in front of it (after a record whose length was
/// wrong), each stretch with the offset it had.
struct Source<R> {
    input: R,
    /// Offset of the input's next byte.
    live: u64,
    /// Stretches to read again first: (offset of the first byte, bytes, bytes consumed).
    again: VecDeque<(u64, Vec<u8>, usize)>,
}

impl<R: BufRead> Source<R> {
    fn offset(&self) -> u64 {
        self.again
            .front()
            .map_or(self.live, |(at, _, pos)| at + *pos as u64)
    }

    fn buf(&mut self) -> io::Result<&[u8]> {
        match self.again.front() {
            Some((_, b, pos)) => Ok(&b[*pos..]),
            None => self.input.fill_buf(),
        }
    }

    fn consume(&mut self, n: usize) {
        match self.again.front_mut() {
            Some((_, b, pos)) => {
                *pos += n;
                if *pos >= b.len() {
                    self.again.pop_front();
                }
            }
            None => {
                self.input.consume(n);
                self.live += n as u64;
            }
        }
    }

    /// Reads `bytes`, which started at offset `at`, again before anything else.
    fn unread(&mut self, bytes: Vec<u8>, at: u64) {
        if !bytes.is_empty() {
            self.again.push_front((at, bytes, 0));
        }
    }
}

/// A parsed WARC header block.
struct Header {
    warc_type: WarcType,
    record_id: String,
    target_uri: Option<String>,
    content_type: String,
    length: u64,
}

/// Reads WARC records from `input`. A read error (truncated compression) ends the
/// iteration with one `Err` carrying the offset it happened at.
pub struct Reader<R> {
    src: Source<R>,
    max_body: u64,
    done: bool,
    line: Vec<u8>,
    /// Offset of a record header whose first line is already in `line` (found while
    /// re-synchronising after damage).
    pending: Option<u64>,
    /// Bytes read again so far: kept under the bytes read once (plus [`MAX_REPLAY`]), so
    /// records that each claim the rest of the file cannot make the cost quadratic.
    replayed: u64,
}

fn blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

/// What reading a body gave.
struct Body {
    /// The bytes, when kept (at most the size cap).
    bytes: Vec<u8>,
    /// Whether all `Content-Length` bytes were there.
    complete: bool,
    /// The first line inside the body that starts with [`MARK`]: its offset, and (for a
    /// body that was not kept) the bytes from it on, at most [`MAX_REPLAY`].
    mark: Option<(u64, Vec<u8>)>,
}

impl<R: BufRead> Reader<R> {
    /// A reader that skips (reports) bodies longer than `max_body` bytes; HTTP payloads
    /// that inflate past `max_body` are reported too.
    pub fn new(input: R, max_body: u64) -> Reader<R> {
        Reader {
            src: Source {
                input,
                live: 0,
                again: VecDeque::new(),
            },
            max_body,
            done: false,
            line: Vec::new(),
            pending: None,
            replayed: 0,
        }
    }

    /// Reads one line (at most [`MAX_HEADER`] bytes kept) into `self.line`; false at the end.
    fn next_line(&mut self) -> io::Result<bool> {
        self.line.clear();
        let mut total = 0;
        loop {
            let chunk = self.src.buf()?;
            if chunk.is_empty() {
                return Ok(total > 0);
            }
            let (take, end) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            let room = MAX_HEADER.saturating_sub(self.line.len());
            self.line.extend_from_slice(&chunk[..take.min(room)]);
            self.src.consume(take);
            total += take;
            if end {
                return Ok(true);
            }
        }
    }

    /// Reads `n` body bytes (kept when `keep`), watching for a line that starts a record.
    fn read_body(&mut self, n: u64, keep: bool) -> io::Result<Body> {
        let mut bytes = Vec::with_capacity(if keep { n.min(64 << 10) as usize } else { 0 });
        let mut mark: Option<(u64, Vec<u8>)> = None;
        let mut mark_index = 0usize;
        // Offset and index in the body of the current line's first byte.
        let (mut line_at, mut line_index) = (self.src.offset(), 0u64);
        // How many bytes of MARK the current line has matched so far (`None`: it cannot).
        let mut matched = Some(0usize);
        let mut got = 0u64;
        while got < n {
            let base = self.src.offset();
            let buf = self.src.buf()?;
            if buf.is_empty() {
                break;
            }
            let chunk = &buf[..(buf.len() as u64).min(n - got) as usize];
            let mut i = 0;
            // Where in this chunk the bytes after a mark found in it start.
            let mut after_mark = 0;
            while mark.is_none() && i < chunk.len() {
                if let Some(k) = matched {
                    let want = &MARK[k..];
                    let m = want.len().min(chunk.len() - i);
                    if chunk[i..i + m] == want[..m] {
                        i += m;
                        if k + m == MARK.len() {
                            // A kept body is sliced at the end; a skipped one is recorded.
                            mark = Some((line_at, if keep { Vec::new() } else { MARK.to_vec() }));
                            mark_index = line_index as usize;
                            after_mark = i;
                            matched = None;
                        } else {
                            matched = Some(k + m);
                        }
                    } else {
                        matched = None;
                    }
                    continue;
                }
                match memchr::memchr(b'\n', &chunk[i..]) {
                    Some(j) => {
                        i += j + 1;
                        line_at = base + i as u64;
                        line_index = got + i as u64;
                        matched = Some(0);
                    }
                    None => i = chunk.len(),
                }
            }
            if keep {
                bytes.extend_from_slice(chunk);
            } else if let Some((_, rec)) = mark.as_mut() {
                let part = &chunk[after_mark..];
                let room = MAX_REPLAY.saturating_sub(rec.len());
                rec.extend_from_slice(&part[..part.len().min(room)]);
            }
            let len = chunk.len();
            self.src.consume(len);
            got += len as u64;
        }
        if keep {
            if let Some((_, rec)) = mark.as_mut() {
                *rec = bytes.get(mark_index..).unwrap_or_default().to_vec();
            }
        }
        Ok(Body {
            bytes,
            complete: got == n,
            mark,
        })
    }

    /// Consumes the record trailer (two line ends); false when something else comes first.
    /// The end of the file counts as a trailer.
    fn trailer(&mut self) -> io::Result<bool> {
        let mut newlines = 0;
        while newlines < 2 {
            let buf = self.src.buf()?;
            match buf.first() {
                None => return Ok(true),
                Some(b'\n') => newlines += 1,
                Some(b'\r') => {}
                Some(_) => return Ok(false),
            }
            self.src.consume(1);
        }
        Ok(true)
    }

    /// Skips to the next line starting with [`MARK`] and remembers it as the next record's
    /// start.
    fn resync(&mut self) -> io::Result<Resume> {
        loop {
            let start = self.src.offset();
            if !self.next_line()? {
                return Ok(Resume::End);
            }
            if self.line.starts_with(MARK) {
                self.pending = Some(start);
                return Ok(Resume::At(start));
            }
        }
    }

    fn read_record(&mut self) -> io::Result<Option<Positioned>> {
        let offset = match self.pending.take() {
            Some(o) => o,
            None => loop {
                let start = self.src.offset();
                if !self.next_line()? {
                    return Ok(None);
                }
                if !blank(&self.line) {
                    break start;
                }
            },
        };
        let bad = |e: RecordError| {
            Ok(Some(Positioned {
                offset,
                decompressed_offset: None,
                item: Item::Bad(e),
            }))
        };
        if !self.line.starts_with(b"WARC/") {
            let to = self.resync()?;
            return bad(RecordError::NoHeader(to));
        }
        let mut block = std::mem::take(&mut self.line);
        loop {
            if !self.next_line()? {
                return bad(RecordError::HeaderCut);
            }
            if blank(&self.line) {
                block.extend_from_slice(b"\r\n");
                break;
            }
            block.extend_from_slice(&self.line);
            if block.len() > MAX_HEADER {
                let to = self.resync()?;
                return bad(RecordError::HeaderTooLong(to));
            }
        }
        let header = match parse_header(&block) {
            Ok(h) => h,
            Err(why) => {
                let to = self.resync()?;
                return bad(RecordError::InvalidHeader { why, to });
            }
        };
        let length = header.length;
        let keep = length <= self.max_body;
        let body = self.read_body(length, keep)?;
        let framed = body.complete && self.trailer()?;
        if !framed {
            let mark = body.mark.filter(|(_, b)| {
                self.replayed + b.len() as u64 <= self.src.live + MAX_REPLAY as u64
            });
            return bad(match mark {
                Some((at, bytes)) => {
                    self.replayed += bytes.len() as u64;
                    self.src.unread(bytes, at);
                    self.pending = None;
                    if body.complete {
                        RecordError::BadLength {
                            length,
                            to: Resume::At(at),
                        }
                    } else {
                        RecordError::LengthPastEnd {
                            length,
                            to: Resume::At(at),
                        }
                    }
                }
                None if body.complete => RecordError::BadLength {
                    length,
                    to: self.resync()?,
                },
                None => RecordError::BodyCut { length },
            });
        }
        if !keep {
            return bad(RecordError::TooLarge {
                length,
                limit: self.max_body,
            });
        }
        Ok(Some(Positioned {
            offset,
            decompressed_offset: None,
            item: interpret(&header, body.bytes, self.max_body),
        }))
    }
}

/// `bytes` as text, with bytes that are not UTF-8 percent-encoded (a URL stays a URL).
fn percent_lossy(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Parses a header block: the `WARC/` version line, `Name: value` lines, a blank line.
/// Values that are not UTF-8 are read lossily; the mandatory fields must be there.
fn parse_header(block: &[u8]) -> Result<Header, String> {
    let nl = memchr::memchr(b'\n', block).ok_or("no version line")?;
    let mut fields = [httparse::EMPTY_HEADER; MAX_FIELDS];
    let parsed = match httparse::parse_headers(&block[nl + 1..], &mut fields) {
        Ok(httparse::Status::Complete((_, parsed))) => parsed,
        Ok(httparse::Status::Partial) => return Err("incomplete header block".into()),
        Err(e) => return Err(format!("{e}")),
    };
    let get = |name: &str| {
        parsed
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value)
    };
    let text = |name: &'static str| -> Result<String, String> {
        get(name)
            .map(|v| String::from_utf8_lossy(v).trim().to_string())
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format!("no {name} field"))
    };
    let length_text = text("Content-Length")?;
    let length = (length_text.len() <= 20 && length_text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| length_text.parse::<u64>().ok())
        .flatten()
        .ok_or_else(|| format!("Content-Length `{length_text}` is not a number of bytes"))?;
    let warc_type = WarcType::parse(&text("WARC-Type")?);
    let record_id = text("WARC-Record-ID")?;
    text("WARC-Date")?;
    Ok(Header {
        warc_type,
        record_id,
        target_uri: get("WARC-Target-URI")
            .map(|u| percent_lossy(u).trim().to_string())
            .filter(|u| !u.is_empty()),
        content_type: get("Content-Type")
            .map(|c| String::from_utf8_lossy(c).trim().to_ascii_lowercase())
            .unwrap_or_default(),
        length,
    })
}

/// What a parsed record with its body gives; payloads inflate to at most `limit` bytes.
fn interpret(h: &Header, body: Vec<u8>, limit: u64) -> Item {
    let url = h.target_uri.clone();
    let skipped = |reason: String| Item::Skipped {
        warc_type: h.warc_type.clone(),
        reason,
        url: url.clone(),
    };
    let content_type = h.content_type.as_str();
    let doc = |bytes, charset, format| {
        Item::Document(Document {
            bytes,
            url: url.clone(),
            charset,
            format,
            record_id: h.record_id.clone(),
            warc_type: h.warc_type.clone(),
        })
    };
    match h.warc_type {
        WarcType::Conversion => doc(body, Some("utf-8".into()), ContentFormat::Text),
        WarcType::Response if content_type.starts_with("application/http") => {
            match http_payload(&body, limit) {
                Ok(p) => match p.format {
                    Some(format) => doc(p.bytes, p.charset, format),
                    None => skipped(format!("not text: {}", p.content_type)),
                },
                Err(e) => Item::Bad(e),
            }
        }
        WarcType::Response | WarcType::Resource => {
            let (mime, charset) = split_content_type(content_type);
            match format_of(&mime) {
                Some(format) if !content_type.starts_with("application/http") => {
                    doc(body, charset, format)
                }
                _ if h.warc_type == WarcType::Response => Item::Bad(RecordError::NotHttp(format!(
                    "Content-Type `{content_type}`"
                ))),
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
    format: Option<ContentFormat>,
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
fn format_of(mime: &str) -> Option<ContentFormat> {
    match mime {
        "text/html" | "application/xhtml+xml" => Some(ContentFormat::Html),
        "" | "text/plain" => Some(ContentFormat::Text),
        _ => None,
    }
}

/// Inflates `data` with `decoder`, refusing output past `limit` bytes: a small payload
/// can inflate a thousandfold, and the cap has to hold while inflating, not after.
fn inflate(decoder: impl Read, limit: u64, what: &str) -> Result<Vec<u8>, RecordError> {
    let mut out = Vec::new();
    decoder
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| RecordError::Payload(format!("{what} payload: {e}")))?;
    if out.len() as u64 > limit {
        return Err(RecordError::Payload(format!(
            "{what} payload inflates past the per-document size limit of {limit} bytes; skipped"
        )));
    }
    Ok(out)
}

fn http_payload(message: &[u8], limit: u64) -> Result<Payload, RecordError> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_FIELDS];
    let mut resp = httparse::Response::new(&mut headers);
    let head_len = match resp.parse(message) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => {
            return Err(RecordError::NotHttp(
                "the HTTP response header is incomplete".into(),
            ))
        }
        Err(e) => return Err(RecordError::NotHttp(e.to_string())),
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
        bytes = dechunk(&bytes)
            .ok_or_else(|| RecordError::Payload("bad chunked transfer encoding".into()))?;
    }
    match get("content-encoding").as_deref() {
        None | Some("") | Some("identity") => {}
        Some("gzip") | Some("x-gzip") => {
            bytes = inflate(flate2::read::MultiGzDecoder::new(&bytes[..]), limit, "gzip")?;
        }
        Some("deflate") => {
            bytes = inflate(flate2::read::ZlibDecoder::new(&bytes[..]), limit, "deflate")?;
        }
        Some(other) => {
            return Err(RecordError::Payload(format!(
                "unsupported Content-Encoding `{other}`"
            )))
        }
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

/// The message of a caught panic.
fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Result<Positioned, (u64, io::Error)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let start = self.pending.unwrap_or_else(|| self.src.offset());
        let read = catch_unwind(AssertUnwindSafe(|| self.read_record()));
        let read = match read {
            Ok(r) => r,
            Err(p) => {
                // A bug, not the input's fault: lose this record, not the rest.
                self.pending = None;
                self.line.clear();
                let why = panic_message(p.as_ref());
                match catch_unwind(AssertUnwindSafe(|| self.resync())) {
                    Ok(Ok(to)) => Ok(Some(Positioned {
                        offset: start,
                        decompressed_offset: None,
                        item: Item::Bad(RecordError::Panic(why, to)),
                    })),
                    Ok(Err(e)) => Err(e),
                    Err(_) => Err(io::Error::other(format!("internal error: {why}"))),
                }
            }
        };
        match read {
            Ok(Some(p)) => Some(Ok(p)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err((self.src.offset(), e)))
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
        read_cap(bytes, 1 << 20)
    }

    fn read_cap(bytes: &[u8], cap: u64) -> Vec<Positioned> {
        Reader::new(bytes, cap).map(Result::unwrap).collect()
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
            matches!(&items[0].item, Item::Skipped { warc_type, .. } if *warc_type == WarcType::Warcinfo)
        );
        assert!(
            matches!(&items[1].item, Item::Skipped { warc_type, .. } if *warc_type == WarcType::Request)
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
            (
                &b"<p>x</p>"[..],
                ContentFormat::Html,
                Some("gbk"),
                Some("http://a.cn/1")
            )
        );
        assert!(
            matches!(&items[3].item, Item::Skipped { reason, .. } if reason == "not text: image/png")
        );
        let Item::Document(d) = &items[4].item else {
            panic!()
        };
        assert_eq!(
            (d.bytes.as_slice(), d.format),
            ("正文".as_bytes(), ContentFormat::Text)
        );
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
            matches!(&items[1].item, Item::Bad(m) if m.to_string().contains("Content-Length 9 does not end where the record does")),
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
            matches!(&items[0].item, Item::Bad(m) if m.to_string().contains("not an HTTP response")),
            "{items:?}"
        );
        assert!(
            matches!(&items[1].item, Item::Bad(m) if m.to_string().contains("the file ends inside this record's body")),
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
        let p = http_payload(&msg, 1 << 20).unwrap();
        assert_eq!(p.bytes, "<p>压缩</p>".as_bytes());
    }

    /// The record of issue 17 item 5: a target URI with a byte that is not UTF-8 made the
    /// `warc` crate panic.
    fn non_utf8_uri_record() -> Vec<u8> {
        b"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: http://x/\xff\r\nWARC-Record-ID: <urn:uuid:1>\r\nWARC-Date: 2021-01-01T00:00:00Z\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi\r\n\r\n".to_vec()
    }

    #[test]
    fn header_value_not_utf8_is_read_not_a_panic() {
        let mut f = non_utf8_uri_record();
        f.extend(build_record(
            "conversion",
            None,
            "text/plain",
            "后".as_bytes(),
        ));
        let items = read(&f);
        assert_eq!(items.len(), 2, "{items:?}");
        let Item::Document(d) = &items[0].item else {
            panic!("{:?}", items[0])
        };
        assert_eq!(
            (d.url.as_deref(), d.bytes.as_slice(), d.record_id.as_str()),
            (Some("http://x/%FF"), &b"hi"[..], "<urn:uuid:1>")
        );
        assert!(matches!(items[1].item, Item::Document(_)));
    }

    fn three(lying: &str) -> (Vec<u8>, usize, usize) {
        let mut damaged = build_record(
            "conversion",
            Some("http://a.cn/1"),
            "text/plain",
            "正文".repeat(200).as_bytes(),
        );
        let text = String::from_utf8(damaged).unwrap();
        let claimed = format!("Content-Length: {}", "正文".repeat(200).len());
        damaged = text.replace(&claimed, lying).into_bytes();
        let mut f = damaged.clone();
        for (i, body) in ["第二篇", "第三篇"].iter().enumerate() {
            f.extend(build_record(
                "conversion",
                Some(&format!("http://a.cn/{}", i + 2)),
                "text/plain",
                body.as_bytes(),
            ));
        }
        (f, damaged.len(), "正文".repeat(200).len())
    }

    fn assert_two_good_after(items: &[Positioned], resumed: usize) {
        assert_eq!(items.len(), 3, "{items:?}");
        let urls: Vec<_> = items[1..]
            .iter()
            .map(|p| match &p.item {
                Item::Document(d) => d.url.clone().unwrap(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(urls, ["http://a.cn/2", "http://a.cn/3"]);
        assert_eq!(items[1].offset, resumed as u64);
    }

    #[test]
    fn length_past_the_end_resumes_at_the_next_record_inside() {
        let (f, first, _) = three("Content-Length: 1073741824");
        // Over the size cap (skipped unread, the tail recorded) and under it (kept).
        for cap in [1 << 20, 1 << 31] {
            let items = read_cap(&f, cap);
            let Item::Bad(e) = &items[0].item else {
                panic!("{items:?}")
            };
            assert_eq!(
                e,
                &RecordError::LengthPastEnd {
                    length: 1 << 30,
                    to: Resume::At(first as u64)
                }
            );
            assert_two_good_after(&items, first);
        }
    }

    #[test]
    fn length_too_long_inside_the_file_resumes_inside_its_body() {
        let (f, first, real) = three("Content-Length: 1300");
        assert!(real + 4 < 1300 && 1300 < f.len() - 200);
        let items = read(&f);
        assert!(
            matches!(&items[0].item, Item::Bad(RecordError::BadLength { length: 1300, to: Resume::At(o) }) if *o == first as u64),
            "{items:?}"
        );
        assert_two_good_after(&items, first);
    }

    #[test]
    fn records_each_claiming_the_rest_cost_linear_time() {
        // 2,000 records, each claiming a length past the end of the file: every one is
        // reported, and the bytes read again stay within the budget.
        let mut f = Vec::new();
        for i in 0..2000 {
            let r = build_record("conversion", None, "text/plain", format!("{i}").as_bytes());
            let t = String::from_utf8(r).unwrap();
            let t = t.replace(
                &format!("Content-Length: {}\r\n", format!("{i}").len()),
                "Content-Length: 999999999\r\n",
            );
            f.extend(t.into_bytes());
        }
        let mut reader = Reader::new(&f[..], 1 << 30);
        let items: Vec<_> = reader.by_ref().map(Result::unwrap).collect();
        assert!(items.iter().all(|p| matches!(p.item, Item::Bad(_))));
        assert!(items.len() >= 2, "{}", items.len());
        assert!(
            reader.replayed <= f.len() as u64 + MAX_REPLAY as u64,
            "{} bytes read again for {}",
            reader.replayed,
            f.len()
        );
    }

    #[test]
    fn missing_fields_and_bad_lengths_are_invalid_headers() {
        for (from, to, why) in [
            (
                "Content-Length: 2",
                "Content-Length: 2x",
                "not a number of bytes",
            ),
            (
                "Content-Length: 2",
                "Content-Length: 99999999999999999999999",
                "not a number",
            ),
            ("WARC-Type: resource\r\n", "", "no WARC-Type field"),
            (
                "WARC-Date: 2021-01-01T00:00:00Z\r\n",
                "",
                "no WARC-Date field",
            ),
            ("WARC-Type:", "WARC Type:", "invalid header name"),
        ] {
            let bad = String::from_utf8_lossy(&non_utf8_uri_record()).replace(from, to);
            let mut f = bad.into_bytes();
            let good = build_record("conversion", None, "text/plain", b"ok");
            f.extend(&good);
            let items = read(&f);
            assert!(
                matches!(&items[0].item, Item::Bad(RecordError::InvalidHeader { why: w, to: Resume::At(_) }) if w.contains(why)),
                "{to}: {items:?}"
            );
            assert!(matches!(items[1].item, Item::Document(_)), "{items:?}");
        }
    }

    #[test]
    fn gzip_payload_is_inflated_within_the_size_cap() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut gz, &vec![b'a'; 4 << 20]).unwrap();
        let gz = gz.finish().unwrap();
        let mut msg =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"
                .to_vec();
        msg.extend(&gz);
        let f = build_record(
            "response",
            Some("http://a.cn/bomb"),
            "application/http; msgtype=response",
            &msg,
        );
        let items = read_cap(&f, 1 << 20);
        assert!(
            matches!(&items[0].item, Item::Bad(RecordError::Payload(m)) if m.contains("inflates past the per-document size limit of 1048576 bytes")),
            "{items:?}"
        );
        let items = read_cap(&f, 8 << 20);
        assert!(matches!(&items[0].item, Item::Document(d) if d.bytes.len() == 4 << 20));
    }

    #[test]
    fn a_panic_while_reading_loses_one_record() {
        // Reading a record cannot panic on input bytes; the guard still has to work, so
        // it is checked with a reader whose input panics once.
        struct Bomb<'a>(&'a [u8], usize);
        impl std::io::Read for Bomb<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                self.0.read(buf)
            }
        }
        impl std::io::BufRead for Bomb<'_> {
            fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
                Ok(self.0)
            }
            fn consume(&mut self, n: usize) {
                self.1 += 1;
                assert!(self.1 != 3, "boom");
                self.0 = &self.0[n..];
            }
        }
        let mut f = build_record("conversion", None, "text/plain", b"one");
        f.extend(build_record("conversion", None, "text/plain", b"two"));
        let items: Vec<_> = Reader::new(Bomb(&f, 0), 1 << 20)
            .map(Result::unwrap)
            .collect();
        assert!(
            matches!(&items[0].item, Item::Bad(RecordError::Panic(m, Resume::At(_))) if m == "boom"),
            "{items:?}"
        );
        assert!(
            matches!(&items[1].item, Item::Document(d) if d.bytes == b"two"),
            "{items:?}"
        );
    }
}
