//! One document or record at a time, for library callers that hold their data in memory (the
//! Python module): the same decoding, cleaning, provenance and output records as a run over
//! files, without walking, threads or sinks.
//!
//! [`Options::output`] says what a result carries: [`Output::Memory`] keeps the document,
//! what cleaning made of it and its provenance ([`FileResult::processed`]);
//! [`Output::Stdout`] or [`Output::Records`] give the output record line
//! ([`FileResult::line`]) that `rinse clean` writes for it. Nothing is written anywhere.

use serde_json::{Map, Value};

use crate::budget::Budget;
use crate::engine::Cleaner;
use crate::input::{self, jsonl, warc};
use crate::stream::Unit;
use crate::{Ctx, FileResult, Mode, Options, Outcome, Output};

/// The memory budget of a process cleaning documents one call at a time: shared by every
/// call (and every thread of a caller's pool), sized like a run's (see
/// [`Budget::for_run`]) when it is first needed.
fn process_budget() -> &'static Budget {
    static BUDGET: std::sync::OnceLock<Budget> = std::sync::OnceLock::new();
    BUDGET.get_or_init(|| Budget::for_run(None))
}

fn ctx<'a>(cleaner: &'a Cleaner, opts: &'a Options) -> Ctx<'a> {
    Ctx {
        cleaner,
        opts,
        budget: process_budget(),
        mode: match opts.output {
            Output::Stdout | Output::Records(_) => Mode::Lines,
            Output::Memory | Output::Folder(_) => Mode::Memory,
        },
    }
}

/// Cleans the bytes of one document, decoded as a file of that name is (`display` is the
/// path relative to its input folder, `-` for standard input; `.html` and the like make it
/// a page); `url` is what a `NAME.url` sidecar would say. Exactly what `rinse clean` does
/// with such a file after reading it.
pub fn clean_bytes(
    cleaner: &Cleaner,
    opts: &Options,
    bytes: Vec<u8>,
    display: &str,
    url: Option<&str>,
) -> FileResult {
    ctx(cleaner, opts).document(bytes, display, None, url, None)
}

/// Cleans text that is already Unicode, as a JSON Lines record's text is (no decoding:
/// `encoding_reason` is `record`); HTML when `display` names a page or the text starts like
/// one, as for a file.
pub fn clean_text(
    cleaner: &Cleaner,
    opts: &Options,
    text: &str,
    display: &str,
    url: Option<&str>,
) -> FileResult {
    let c = ctx(cleaner, opts);
    let format = input::sniff_format(display, text);
    match input::from_unicode(text, display, &opts.decode, url, format) {
        Ok(doc) => c.finish(doc, display, None, None),
        Err(e) => c.problem(
            display,
            text.len() as u64,
            Outcome::Skipped(e.to_string()),
            None,
            display.into(),
        ),
    }
}

/// Cleans one unit of the record stream `file` (its name as `rinse clean` shows it:
/// records are `FILE:LINE` or `FILE@OFFSET`); `None` for a WARC record that is not a
/// document, which gives no output record.
pub fn clean_unit(cleaner: &Cleaner, opts: &Options, file: &str, unit: Unit) -> Option<FileResult> {
    crate::stream::clean_unit(&ctx(cleaner, opts), file, unit)
}

/// The content of a record, as it arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content<'a> {
    /// A JSON Lines field: Unicode already.
    Text(&'a str),
    /// A WARC payload: bytes, decoded when cleaned.
    Bytes(&'a [u8]),
}

/// What a unit of a record stream holds, for callers that show records before cleaning them.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordInfo<'a> {
    /// The line number (JSON Lines, 1-based) or the byte offset (WARC) of the record.
    pub position: u64,
    /// `true` for a byte offset, `false` for a line number.
    pub is_offset: bool,
    /// The record's id (`id` field, `WARC-Record-ID`).
    pub id: Option<&'a str>,
    /// The page URL (`url` field, `WARC-Target-URI`).
    pub url: Option<&'a str>,
    /// HTML or text, when the record says.
    pub format: Option<input::ContentFormat>,
    /// The document.
    pub content: Option<Content<'a>>,
    /// The fields an output record starts from: a JSON Lines object's own fields, or those
    /// `rinse clean` gives a WARC record (`url`, `id`, `warc_type`, `warc_offset`).
    pub fields: Map<String, Value>,
    /// Why the unit holds no document to clean.
    pub error: Option<std::borrow::Cow<'a, str>>,
    /// `false` for WARC records that are not documents (requests, metadata, images): they
    /// give no output record.
    pub is_document: bool,
}

/// What `unit` holds; `fields` names the record fields as [`Options::records`] does.
pub fn record_info<'a>(unit: &'a Unit, fields: &jsonl::Fields) -> RecordInfo<'a> {
    let mut info = RecordInfo {
        position: 0,
        is_offset: false,
        id: None,
        url: None,
        format: None,
        content: None,
        fields: Map::new(),
        error: None,
        is_document: true,
    };
    match unit {
        Unit::Line(line) => {
            info.position = line.number;
            match &line.record {
                Ok(r) => {
                    info.id = r.id.as_deref();
                    info.url = r.url.as_deref();
                    info.format = Some(r.format);
                    info.content = Some(Content::Text(&r.content));
                    info.fields = r.fields.clone();
                }
                Err(bad) => {
                    info.error = Some(bad.error.as_str().into());
                    info.fields = bad.fields.clone().unwrap_or_default();
                }
            }
        }
        Unit::Warc(p) => {
            info.position = p.offset;
            info.is_offset = true;
            match &p.item {
                warc::Item::Document(d) => {
                    info.id = Some(&d.record_id);
                    info.url = d.url.as_deref();
                    info.format = Some(d.format);
                    info.content = Some(Content::Bytes(&d.bytes));
                    if let Some(u) = &d.url {
                        info.fields.insert(fields.url.clone(), u.clone().into());
                    }
                    info.fields
                        .insert(fields.id.clone(), d.record_id.clone().into());
                    info.fields
                        .insert("warc_type".into(), d.warc_type.as_str().into());
                    info.fields.insert("warc_offset".into(), p.offset.into());
                    if let Some(d) = p.decompressed_offset {
                        info.fields
                            .insert("warc_decompressed_offset".into(), d.into());
                    }
                }
                warc::Item::Bad(why) => info.error = Some(why.to_string().into()),
                warc::Item::Skipped { .. } => info.is_document = false,
            }
        }
        Unit::ReadError(why, pos) => {
            info.error = Some(why.as_str().into());
            if let Some(off) = pos.get("offset").and_then(Value::as_u64) {
                info.position = off;
                info.is_offset = true;
            } else {
                info.position = pos.get("line").and_then(Value::as_u64).unwrap_or(0);
            }
        }
    }
    info
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Cleaner;
    use rinse_rules::Ruleset;

    #[test]
    fn a_record_and_a_document_clean_as_a_run_would() {
        let cleaner = Cleaner::new(Ruleset::defaults());
        let opts = Options::new(Vec::new(), Output::Memory);
        let r = clean_bytes(
            &cleaner,
            &opts,
            "标题\n正文。\n责任编辑:张三\n".into(),
            "a.txt",
            None,
        );
        let p = r.processed.expect("cleaned");
        assert_eq!(p.cleaned.body, "标题\n正文。\n");
        assert_eq!(p.provenance.source.path, "a.txt");
        assert_eq!(p.provenance.source.encoding_reason.as_str(), "utf8");
        let r = clean_text(&cleaner, &opts, "<html><body><p>正文。</p>", "-", None);
        assert_eq!(r.processed.unwrap().doc.source.format.as_str(), "html");
        let r = clean_bytes(&cleaner, &opts, b"\x89PNG\r\n\x1a\n\0".to_vec(), "x", None);
        assert_eq!(
            r.outcome,
            Outcome::Skipped("not text: looks like a PNG image; skipped".into())
        );

        let lines =
            "{\"id\": \"r1\", \"text\": \"标题\\n正文。\\n\", \"lang\": \"zh\"}\nnot json\n";
        let opts = Options::new(Vec::new(), Output::Stdout);
        let units: Vec<Unit> = crate::stream::units(
            Box::new(std::io::Cursor::new(lines)),
            crate::Format::Jsonl,
            &opts,
        )
        .collect();
        assert_eq!(units.len(), 2);
        let info = record_info(&units[0], &opts.records.fields);
        assert_eq!(
            (info.position, info.id, info.format),
            (1, Some("r1"), Some(input::ContentFormat::Text))
        );
        assert_eq!(info.fields["lang"], "zh");
        assert!(record_info(&units[1], &opts.records.fields).error.is_some());
        let out: Vec<String> = units
            .into_iter()
            .filter_map(|u| clean_unit(&cleaner, &opts, "in.jsonl", u))
            .map(|r| r.line.expect("a record line"))
            .collect();
        let first: Value = serde_json::from_str(&out[0]).unwrap();
        assert_eq!(first["rinse"]["body"], "标题\n正文。\n");
        assert_eq!(first["rinse"]["provenance"]["source"]["path"], "r1");
        let second: Value = serde_json::from_str(&out[1]).unwrap();
        assert_eq!(second["rinse"]["position"]["line"], 2);
    }
}
