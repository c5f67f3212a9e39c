//! JSON Lines records: one JSON object a line, the document in a `text` or `html` field
//! (names configurable), optionally an `id` and a `url`. Every field is kept, so the output
//! record can carry them through.
//!
//! The reader works on any [`BufRead`] and holds one line at a time; a line longer than the
//! size cap is skipped without being held in memory.

use std::io::BufRead;

use serde_json::{Map, Value};

use crate::ContentFormat;

/// Which fields hold what.
#[derive(Debug, Clone)]
pub struct Fields {
    /// Field with plain text.
    pub text: String,
    /// Field with an HTML page (preferred over `text` when both are present).
    pub html: String,
    /// Field with the record's id (used in messages).
    pub id: String,
    /// Field with the page URL (site scopes use it).
    pub url: String,
}

impl Default for Fields {
    fn default() -> Fields {
        Fields {
            text: "text".into(),
            html: "html".into(),
            id: "id".into(),
            url: "url".into(),
        }
    }
}

/// One line of a JSON Lines stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// 1-based line number.
    pub number: u64,
    /// The parsed record, or why it could not be read (the raw line is kept so the output
    /// can pass it through).
    pub record: Result<Record, BadLine>,
}

/// A record that has a document to clean.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Every field of the input object, in input order.
    pub fields: Map<String, Value>,
    /// The document's text or HTML.
    pub content: String,
    /// HTML or text, from the field the content came from.
    pub format: ContentFormat,
    /// The URL field, when present.
    pub url: Option<String>,
    /// The id field, when present (strings as they are, other values as JSON).
    pub id: Option<String>,
}

/// A line that holds no record to clean.
#[derive(Debug, Clone, PartialEq)]
pub struct BadLine {
    /// What is wrong.
    pub error: String,
    /// The input object when the line was JSON (a record without a content field), so its
    /// fields are passed through.
    pub fields: Option<Map<String, Value>>,
    /// The line itself when it was not a JSON object (lossily decoded, at most
    /// [`RAW_KEPT`] bytes).
    pub raw: Option<String>,
}

/// How much of an unreadable line is passed through in the error record.
pub const RAW_KEPT: usize = 64 * 1024;

/// Reads JSON Lines from `input`, one [`Line`] at a time. Blank lines are skipped (they
/// still count for line numbers). A read error (a truncated compressed stream) ends the
/// iteration with one `Err` naming the line it happened on.
pub struct Reader<R> {
    input: R,
    fields: Fields,
    max_line: usize,
    number: u64,
    buf: Vec<u8>,
    done: bool,
}

impl<R: BufRead> Reader<R> {
    /// A reader taking its field names from `fields`; lines longer than `max_line` bytes
    /// are reported, not held.
    pub fn new(input: R, fields: Fields, max_line: usize) -> Reader<R> {
        Reader {
            input,
            fields,
            max_line,
            number: 0,
            buf: Vec::new(),
            done: false,
        }
    }

    /// Numbers lines from `first` on (1 by default): the stream is a part of a larger file
    /// that starts at that file's line `first` (a Spark partition), so that messages and
    /// error records name lines of the whole file.
    pub fn first_line(mut self, first: u64) -> Reader<R> {
        self.number = first.saturating_sub(1);
        self
    }

    /// Reads one line into `self.buf` (without its newline), at most `max_line` bytes;
    /// returns the full length of the line, or `None` at the end.
    fn read_line(&mut self) -> std::io::Result<Option<usize>> {
        self.buf.clear();
        let mut total = 0usize;
        loop {
            let chunk = self.input.fill_buf()?;
            if chunk.is_empty() {
                return Ok((total > 0).then_some(total));
            }
            let (take, end) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            let room = self
                .max_line
                .saturating_add(1)
                .saturating_sub(self.buf.len());
            let keep = take.min(room);
            self.buf.extend_from_slice(&chunk[..keep]);
            total += take;
            self.input.consume(take);
            if end {
                if self.buf.last() == Some(&b'\n') {
                    self.buf.pop();
                }
                return Ok(Some(total - 1));
            }
        }
    }

    fn parse(&self, len: usize) -> Result<Record, BadLine> {
        let raw =
            |buf: &[u8]| Some(String::from_utf8_lossy(&buf[..buf.len().min(RAW_KEPT)]).into());
        if len > self.max_line {
            return Err(BadLine {
                error: format!(
                    "line of {len} bytes exceeds the per-document size limit of {} bytes",
                    self.max_line
                ),
                fields: None,
                raw: None,
            });
        }
        let line = self.buf.strip_suffix(b"\r").unwrap_or(&self.buf);
        let value: Value = serde_json::from_slice(line).map_err(|e| BadLine {
            error: format!("not JSON: {e}"),
            fields: None,
            raw: raw(line),
        })?;
        let Value::Object(fields) = value else {
            return Err(BadLine {
                error: "not a JSON object".into(),
                fields: None,
                raw: raw(line),
            });
        };
        let text_of = |name: &str| match fields.get(name) {
            Some(Value::String(s)) => Some(Ok(s.clone())),
            Some(Value::Null) | None => None,
            Some(_) => Some(Err(format!("field `{name}` is not a string"))),
        };
        let (content, format) = match (text_of(&self.fields.html), text_of(&self.fields.text)) {
            (Some(Ok(h)), _) => (h, ContentFormat::Html),
            (_, Some(Ok(t))) => (t, ContentFormat::Text),
            (Some(Err(e)), _) | (None, Some(Err(e))) => {
                return Err(BadLine {
                    error: e,
                    fields: Some(fields),
                    raw: None,
                })
            }
            (None, None) => {
                return Err(BadLine {
                    error: format!("no `{}` or `{}` field", self.fields.text, self.fields.html),
                    fields: Some(fields),
                    raw: None,
                })
            }
        };
        let url = match fields.get(&self.fields.url) {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            _ => None,
        };
        let id = match fields.get(&self.fields.id) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Null) | None => None,
            Some(v) => Some(v.to_string()),
        };
        Ok(Record {
            fields,
            content,
            format,
            url,
            id,
        })
    }
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Result<Line, (u64, std::io::Error)>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            self.number += 1;
            let len = match self.read_line() {
                Ok(Some(len)) => len,
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err((self.number, e)));
                }
            };
            if self.buf.iter().all(u8::is_ascii_whitespace) && len <= self.max_line {
                continue;
            }
            return Some(Ok(Line {
                number: self.number,
                record: self.parse(len),
            }));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &str, max: usize) -> Vec<Line> {
        Reader::new(input.as_bytes(), Fields::default(), max)
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn records_bad_lines_and_numbers() {
        let input = "{\"id\":1,\"text\":\"正文\",\"lang\":\"zh\"}\n\nnot json\n{\"html\":\"<p>x</p>\",\"text\":\"t\",\"url\":\"http://a.cn/\"}\n{\"title\":\"no body\"}\n[1]\r\n";
        let lines = read(input, 1000);
        let numbers: Vec<u64> = lines.iter().map(|l| l.number).collect();
        assert_eq!(numbers, [1, 3, 4, 5, 6]);
        let r = lines[0].record.as_ref().unwrap();
        assert_eq!(
            (r.content.as_str(), r.format),
            ("正文", ContentFormat::Text)
        );
        assert_eq!(r.id.as_deref(), Some("1"));
        assert_eq!(
            r.fields.keys().collect::<Vec<_>>(),
            ["id", "text", "lang"],
            "input order kept"
        );
        let bad = lines[1].record.as_ref().unwrap_err();
        assert!(bad.error.starts_with("not JSON"), "{}", bad.error);
        assert_eq!(bad.raw.as_deref(), Some("not json"));
        let r = lines[2].record.as_ref().unwrap();
        assert_eq!(
            (r.format, r.url.as_deref()),
            (ContentFormat::Html, Some("http://a.cn/"))
        );
        let bad = lines[3].record.as_ref().unwrap_err();
        assert_eq!(bad.error, "no `text` or `html` field");
        assert!(bad.fields.as_ref().unwrap().contains_key("title"));
        assert_eq!(
            lines[4].record.as_ref().unwrap_err().error,
            "not a JSON object"
        );
    }

    #[test]
    fn overlong_line_is_reported_not_held() {
        let long = format!(
            "{{\"text\":\"{}\"}}\n{{\"text\":\"ok\"}}\n",
            "字".repeat(1000)
        );
        let lines = read(&long, 100);
        assert!(lines[0]
            .record
            .as_ref()
            .unwrap_err()
            .error
            .contains("exceeds the per-document size limit of 100 bytes"));
        assert_eq!(lines[1].record.as_ref().unwrap().content, "ok");
        assert_eq!(lines[1].number, 2);
    }

    #[test]
    fn no_size_limit_reads_lines() {
        assert_eq!(
            read("{\"text\":\"a\"}\n", usize::MAX)[0]
                .record
                .as_ref()
                .unwrap()
                .content,
            "a"
        );
    }

    #[test]
    fn last_line_without_newline() {
        let lines = read("{\"text\":\"a\"}", 100);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].record.as_ref().unwrap().content, "a");
    }
}
