//! Record streams: JSON Lines and WARC files (or standard input), decompressed by name or
//! by their first bytes, cleaned record by record in bounded windows, written as JSON Lines
//! in input order. Also the JSON written per document: output records and manifest lines.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;

use serde_json::{json, Map, Value};

use super::output::RecordSink;
use super::walk::{self, Entry};
use super::{ordered, Ctx, FileResult, Format, Mode, Outcome, Status, Window};
use crate::input::{self, gzip, jsonl, warc, InputError, RecordHints};
use crate::provenance::Provenance;

/// How much provenance an output record carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ProvenanceLevel {
    /// The whole provenance record, with every edit and its removed text.
    #[default]
    Full,
    /// Source, rule set and engine, and the number of edits by rule; no removed text.
    Summary,
    /// None: body, metadata, counts and the quality flag only.
    None,
}

/// Record fields and output records.
#[derive(Debug, Clone)]
pub struct RecordOptions {
    /// Input field names.
    pub fields: jsonl::Fields,
    /// The field added to each output record, holding the result.
    pub output_field: String,
    /// How much provenance goes into it.
    pub provenance: ProvenanceLevel,
    /// The number of a JSON Lines stream's first line (1 unless the stream is a part of a
    /// larger file, such as a Spark partition: `--first-line`).
    pub first_line: u64,
}

impl Default for RecordOptions {
    fn default() -> RecordOptions {
        RecordOptions {
            fields: jsonl::Fields::default(),
            output_field: "rinse".into(),
            provenance: ProvenanceLevel::Full,
            first_line: 1,
        }
    }
}

/// The result object of a cleaned document.
pub fn cleaned_payload(prov: &Provenance, body: &str, level: ProvenanceLevel) -> Value {
    let mut m = Map::new();
    m.insert("body".into(), body.into());
    m.insert("metadata".into(), json!(prov.metadata));
    m.insert("stats".into(), json!(prov.stats));
    m.insert("quality".into(), json!(prov.quality));
    if !prov.source.warnings.is_empty() || prov.source.replacement_chars > 0 {
        let mut w = prov.source.warnings.clone();
        if prov.source.replacement_chars > 0 {
            w.push(format!(
                "{} invalid byte sequence(s) replaced by U+FFFD",
                prov.source.replacement_chars
            ));
        }
        m.insert("warnings".into(), json!(w));
    }
    match level {
        ProvenanceLevel::Full => {
            m.insert("provenance".into(), json!(prov));
        }
        ProvenanceLevel::Summary => {
            let mut by_rule: std::collections::BTreeMap<&str, usize> = Default::default();
            for e in &prov.edits {
                *by_rule.entry(e.rule.as_str()).or_default() += 1;
            }
            m.insert(
                "provenance".into(),
                json!({
                    "schema": prov.schema,
                    "rinse": prov.rinse,
                    "source": prov.source,
                    "ruleset": prov.ruleset,
                    "edits_by_rule": by_rule,
                }),
            );
        }
        ProvenanceLevel::None => {}
    }
    Value::Object(m)
}

/// The result object of a document that was not cleaned: the error, where it was, and the
/// raw line when it could not be read as a record.
pub fn error_payload(error: &str, position: Value, raw: Option<String>) -> Value {
    let mut m = Map::new();
    m.insert("error".into(), error.into());
    m.insert("position".into(), position);
    if let Some(r) = raw {
        m.insert("raw".into(), r.into());
    }
    Value::Object(m)
}

/// One output record: the input fields with the result added under the output field.
pub fn record_line(mut fields: Map<String, Value>, opts: &RecordOptions, payload: Value) -> String {
    fields.insert(opts.output_field.clone(), payload);
    serde_json::to_string(&Value::Object(fields)).expect("JSON values serialise")
}

/// A manifest line for a cleaned document.
pub fn manifest_line(path: &str, output: &str, prov: &Provenance, body: &str) -> String {
    let (cin, cout) = (prov.stats.chars_in, prov.stats.chars_out);
    let removed = if cin == 0 {
        0.0
    } else {
        ((1.0 - cout as f64 / cin as f64) * 1e4).round() / 1e4
    };
    let mut m = Map::new();
    m.insert("path".into(), path.into());
    m.insert("output".into(), output.into());
    m.insert("status".into(), json!(Status::Cleaned));
    m.insert("format".into(), json!(prov.source.format));
    m.insert("encoding".into(), prov.source.encoding.clone().into());
    m.insert("input_blake3".into(), prov.source.blake3.clone().into());
    m.insert(
        "body_blake3".into(),
        blake3::hash(body.as_bytes()).to_hex().to_string().into(),
    );
    m.insert("chars_in".into(), cin.into());
    m.insert("chars_out".into(), cout.into());
    m.insert("removed_share".into(), json!(removed));
    m.insert("quality".into(), json!(prov.quality));
    m.insert("metadata".into(), json!(prov.metadata));
    if let Some(u) = &prov.source.url {
        m.insert("url".into(), u.clone().into());
    }
    if !prov.source.warnings.is_empty() {
        m.insert("warnings".into(), json!(prov.source.warnings));
    }
    serde_json::to_string(&Value::Object(m)).expect("JSON values serialise")
}

/// A manifest line for a document that was not cleaned.
pub fn manifest_problem(r: &FileResult) -> String {
    let error = match &r.outcome {
        Outcome::Skipped(w) | Outcome::Failed(w) => w.as_str(),
        Outcome::NotStarted => "interrupted before it was cleaned",
        Outcome::Cleaned { .. } => "",
    };
    json!({"path": r.path, "status": r.outcome.status(), "error": error}).to_string()
}

/// gzip (any number of members) or zstd decompression, chosen by the first bytes; other
/// input is passed through.
pub fn decompress(input: Box<dyn BufRead + Send>) -> std::io::Result<Box<dyn BufRead + Send>> {
    decompress_members(input).map(|(r, _)| r)
}

/// A stream decompressed by its first bytes (see [`decompress`]), and for gzip where its
/// members start, to name WARC records by their member's offset in the file.
pub type Opened = (Box<dyn BufRead + Send>, Option<gzip::MemberMap>);

/// [`decompress`], with the gzip member starts.
pub fn decompress_members(mut input: Box<dyn BufRead + Send>) -> std::io::Result<Opened> {
    let head = input.fill_buf()?;
    Ok(if head.starts_with(&[0x1f, 0x8b]) {
        let members = gzip::Members::new(input);
        let map = members.map();
        (
            Box::new(BufReader::with_capacity(1 << 16, members)),
            Some(map),
        )
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        (
            Box::new(BufReader::with_capacity(
                1 << 16,
                zstd::Decoder::with_buffer(input)?,
            )),
            None,
        )
    } else {
        (input, None)
    })
}

/// Opens a stream file (records, WARC), decompressed by its first bytes (gzip, zstd).
pub fn open(path: &std::path::Path) -> std::io::Result<Box<dyn BufRead + Send>> {
    open_members(path).map(|(r, _)| r)
}

/// [`open`], with the gzip member starts.
pub fn open_members(path: &std::path::Path) -> std::io::Result<Opened> {
    let f = std::fs::File::open(path)?;
    decompress_members(Box::new(BufReader::with_capacity(1 << 16, f)))
}

/// Bytes of record content a window may hold.
const WINDOW_BYTES: usize = 32 << 20;

/// Cleans a record stream from a file. Its records go to `sink` in order; with a folder
/// output they are also written to the stream's own output file.
pub(crate) fn run_file(
    ctx: &Ctx<'_>,
    pool: &rayon::ThreadPool,
    entry: &Entry,
    format: Format,
    shared_lines: bool,
    sink: &mut dyn FnMut(FileResult),
) {
    let input = match open_members(&entry.abs) {
        Ok(i) => i,
        Err(e) => {
            sink(ctx.problem(
                &entry.display,
                0,
                Outcome::Failed(format!("cannot read: {e}")),
                None,
                entry.display.as_str().into(),
            ));
            return;
        }
    };
    let out_rel = entry.rel.with_file_name(walk::stream_output_name(
        entry.rel.file_name().unwrap_or_default(),
    ));
    run_reader(
        ctx,
        pool,
        input,
        &entry.display,
        format,
        shared_lines,
        out_rel,
        sink,
    );
}

/// What a stream's first bytes say it is: WARC when it starts with `WARC/`, JSON Lines when
/// its first line is a JSON object, otherwise one document (text or HTML).
pub fn sniff(head: &[u8]) -> Format {
    if head.starts_with(b"WARC/") {
        return Format::Warc;
    }
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..];
    if !head.starts_with(b"{") {
        return Format::Document;
    }
    match memchr::memchr(b'\n', head) {
        Some(end) => match serde_json::from_slice::<Value>(&head[..end]) {
            Ok(Value::Object(_)) => Format::Jsonl,
            _ => Format::Document,
        },
        // A first line longer than what was read: `{"` is how a record starts, and how
        // hardly any article does.
        None if head.len() >= 2 => {
            if head[1..].iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'"') {
                Format::Jsonl
            } else {
                Format::Document
            }
        }
        None => match serde_json::from_slice::<Value>(head) {
            Ok(Value::Object(_)) => Format::Jsonl,
            _ => Format::Document,
        },
    }
}

/// Standard input, decompressed by its first bytes, with what it holds: `--format`, or
/// else what [`sniff`] says.
pub(crate) struct Stdin {
    input: std::io::Result<Opened>,
    /// Records or one document.
    pub format: Format,
}

impl Stdin {
    /// Opens standard input and reads enough of it to tell its format.
    pub(crate) fn open(format: Format) -> Stdin {
        let stdin: Box<dyn BufRead + Send> =
            Box::new(BufReader::with_capacity(1 << 16, std::io::stdin()));
        let mut input = decompress_members(stdin);
        let format = match (format, &mut input) {
            (Format::Auto, Ok((i, _))) => i.fill_buf().map_or(Format::Document, sniff),
            (Format::Auto, Err(_)) => Format::Document,
            (f, _) => f,
        };
        Stdin { input, format }
    }
}

/// Cleans standard input: records (WARC, JSON Lines) or one document, as [`Stdin`] found.
pub(crate) fn run_stdin(
    ctx: &Ctx<'_>,
    pool: &rayon::ThreadPool,
    stdin: Stdin,
    shared_lines: bool,
    sink: &mut dyn FnMut(FileResult),
) {
    let format = stdin.format;
    let (mut input, members) = match stdin.input {
        Ok(i) => i,
        Err(e) => {
            sink(ctx.problem(
                "-",
                0,
                Outcome::Failed(format!("cannot read: {e}")),
                None,
                "-".into(),
            ));
            return;
        }
    };
    if format != Format::Document {
        return run_reader(
            ctx,
            pool,
            (input, members),
            "-",
            format,
            shared_lines,
            PathBuf::from("stdin.jsonl"),
            sink,
        );
    }
    let limit = ctx.opts.decode.max_bytes.unwrap_or(u64::MAX);
    let mut bytes = Vec::new();
    if let Err(e) = (&mut input)
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
    {
        sink(ctx.problem(
            "-",
            0,
            Outcome::Failed(format!("cannot read: {e}")),
            None,
            "-".into(),
        ));
        return;
    }
    let _memory = match ctx.budget.reserve(&bytes) {
        Ok(r) => r,
        Err(over) => {
            let n = bytes.len() as u64;
            return sink(ctx.problem("-", n, Outcome::Failed(over.to_string()), None, "-".into()));
        }
    };
    let r = match input::decode_hinted(&bytes, "-", &ctx.opts.decode, None, None) {
        Ok(doc) => {
            let out = super::output_rel_as(std::path::Path::new("stdin"), ctx.opts.body_format);
            ctx.finish(doc, "-", Some(&out), None)
        }
        Err(e) => ctx.problem(
            "-",
            bytes.len() as u64,
            Outcome::Skipped(e.to_string()),
            None,
            "-".into(),
        ),
    };
    sink(r);
}

/// A unit of work read from a stream (see [`units`]).
#[derive(Debug, Clone)]
pub enum Unit {
    /// A JSON Lines line: a record, or why it holds none.
    Line(jsonl::Line),
    /// A WARC record (documents, records that are not documents, damaged records).
    Warc(warc::Positioned),
    /// The stream could not be read further: the message and where (`{"line": N}` or
    /// `{"offset": N}`).
    ReadError(String, Value),
}

/// The units of a record stream (`format` [`Format::Warc`], else JSON Lines), read with
/// `opts`' record fields and size cap, one at a time.
pub fn units(
    input: Box<dyn BufRead + Send>,
    format: Format,
    opts: &super::Options,
) -> Box<dyn Iterator<Item = Unit> + Send> {
    units_placed((input, None), format, opts)
}

/// [`units`] of a stream opened by [`open_members`] or [`decompress_members`]: WARC
/// records of a gzip stream are named by their member's offset in the compressed bytes
/// (see [`warc::Positioned::place`]).
pub fn units_placed(
    (input, members): Opened,
    format: Format,
    opts: &super::Options,
) -> Box<dyn Iterator<Item = Unit> + Send> {
    let max = opts.decode.max_bytes.unwrap_or(u64::MAX);
    match format {
        Format::Warc => Box::new(warc::Reader::new(input, max).map(move |r| match r {
            Ok(mut p) => {
                if let Some(m) = &members {
                    p.place(m);
                }
                Unit::Warc(p)
            }
            Err((off, e)) => Unit::ReadError(
                format!("cannot read at byte {off}: {e}; the rest of the stream is lost"),
                json!({"offset": off}),
            ),
        })),
        _ => Box::new(
            jsonl::Reader::new(
                input,
                opts.records.fields.clone(),
                max.min(usize::MAX as u64) as usize,
            )
            .first_line(opts.records.first_line)
            .map(|r| match r {
                Ok(l) => Unit::Line(l),
                Err((line, e)) => Unit::ReadError(
                    format!("cannot read line {line}: {e}; the rest of the stream is lost"),
                    json!({"line": line}),
                ),
            }),
        ),
    }
}

#[allow(clippy::too_many_arguments)]
fn run_reader(
    ctx: &Ctx<'_>,
    pool: &rayon::ThreadPool,
    input: Opened,
    display: &str,
    format: Format,
    shared_lines: bool,
    out_rel: PathBuf,
    sink: &mut dyn FnMut(FileResult),
) {
    // With a folder output each stream gets its own records file; otherwise records go to
    // the run's records output (or nowhere, in a dry run).
    let (mode, mut own) = match (&ctx.mode, shared_lines) {
        (Mode::Pairs(dir), _) => match RecordSink::file(&dir.root().join(&out_rel)) {
            Ok(s) => (Mode::Lines, Some(s)),
            Err(e) => {
                sink(ctx.problem(
                    display,
                    0,
                    Outcome::Failed(format!(
                        "cannot write {}: {e}",
                        dir.root().join(&out_rel).display()
                    )),
                    None,
                    display.into(),
                ));
                return;
            }
        },
        (_, true) => (Mode::Lines, None),
        _ => (Mode::Memory, None),
    };
    let own_is_file = matches!(ctx.mode, Mode::Pairs(_));
    let sub = Ctx {
        cleaner: ctx.cleaner,
        opts: ctx.opts,
        mode,
        budget: ctx.budget,
    };
    let mut units = units_placed(input, format, ctx.opts);
    let write_error = std::cell::Cell::new(None::<String>);
    ordered(
        pool,
        Window {
            count: 1024,
            bytes: WINDOW_BYTES,
        },
        || {
            let u = units.next()?;
            let size = match &u {
                Unit::Line(l) => l.record.as_ref().map_or(0, |r| r.content.len()),
                Unit::Warc(p) => match &p.item {
                    warc::Item::Document(d) => d.bytes.len(),
                    _ => 0,
                },
                Unit::ReadError(..) => 0,
            };
            Some((u, size))
        },
        |u| clean_unit(&sub, display, u),
        |r| {
            if let Some(mut r) = r {
                r.stream_output = Some(walk::display_path(&out_rel));
                if let (Some(s), Some(line)) = (own.as_mut(), r.line.as_deref()) {
                    if let Err(e) = s.line(line) {
                        write_error.set(Some(e.to_string()));
                        r.outcome = Outcome::Failed(format!("cannot write the output record: {e}"));
                    }
                }
                if own.is_some() {
                    // Written to the stream's own file, not to the run's records output.
                    r.line = None;
                }
                sink(r);
            }
        },
    );
    if let Some(s) = own {
        if super::interrupted() && own_is_file {
            // Written whole or not at all: the previous file, if any, stays.
            drop(s);
            sink(FileResult::new(display.to_string(), Outcome::NotStarted));
            return;
        }
        if let Err(e) = s.finish() {
            write_error.set(Some(e.to_string()));
        }
    }
    if let Some(e) = write_error.take() {
        sink(FileResult::new(
            display.to_string(),
            Outcome::Failed(format!("cannot write {}: {e}", out_rel.display())),
        ));
    }
}

/// Cleans one unit; `None` for WARC records that are not documents (requests, metadata).
pub(crate) fn clean_unit(ctx: &Ctx<'_>, file: &str, u: Unit) -> Option<FileResult> {
    if super::interrupted() {
        return match u {
            Unit::Warc(warc::Positioned {
                item: warc::Item::Skipped { .. },
                ..
            }) => None,
            _ => Some(ctx.problem(file, 0, Outcome::NotStarted, None, Value::Null)),
        };
    }
    match u {
        Unit::ReadError(msg, pos) => {
            Some(ctx.problem(file, 0, Outcome::Failed(msg), Some(Map::new()), pos))
        }
        Unit::Line(line) => {
            let display = format!("{file}:{}", line.number);
            let pos = json!({"line": line.number});
            Some(match line.record {
                Err(bad) => {
                    let mut r = ctx.problem(
                        &display,
                        0,
                        Outcome::Failed(bad.error.clone()),
                        Some(bad.fields.clone().unwrap_or_default()),
                        pos.clone(),
                    );
                    if let (Some(raw), Mode::Lines) = (bad.raw, &ctx.mode) {
                        r.line = Some(record_line(
                            Map::new(),
                            &ctx.opts.records,
                            error_payload(&bad.error, pos, Some(raw)),
                        ));
                    }
                    r
                }
                Ok(rec) => {
                    let shown = match &rec.id {
                        Some(id) => format!("{display} (id {id})"),
                        None => display.clone(),
                    };
                    let _memory = match ctx.budget.reserve(rec.content.as_bytes()) {
                        Ok(r) => r,
                        Err(over) => {
                            return Some(ctx.problem(
                                &shown,
                                rec.content.len() as u64,
                                Outcome::Failed(over.to_string()),
                                Some(rec.fields),
                                pos,
                            ))
                        }
                    };
                    // The provenance names the record by its id when it has one, so the
                    // output does not depend on where the record sat in which stream (a
                    // Spark partition gives the same bytes as one machine).
                    let source = rec.id.clone().unwrap_or_else(|| display.clone());
                    match input::from_unicode(
                        &rec.content,
                        &source,
                        &ctx.opts.decode,
                        rec.url.as_deref(),
                        rec.format,
                    ) {
                        Ok(doc) => {
                            let mut r = ctx.finish(doc, &display, None, Some(rec.fields));
                            r.path = shown;
                            r
                        }
                        Err(e) => ctx.problem(
                            &shown,
                            rec.content.len() as u64,
                            Outcome::Skipped(e.to_string()),
                            Some(rec.fields),
                            pos,
                        ),
                    }
                }
            })
        }
        Unit::Warc(p) => {
            let display = format!("{file}@{}", p.distinct_offset());
            let mut pos = json!({"offset": p.offset});
            if let Some(d) = p.decompressed_offset {
                pos["decompressed_offset"] = d.into();
            }
            let mut fields = Map::new();
            match p.item {
                warc::Item::Skipped { .. } => None,
                warc::Item::Bad(why) => Some(ctx.problem(
                    &display,
                    0,
                    Outcome::Failed(why.to_string()),
                    Some(fields),
                    pos,
                )),
                warc::Item::Document(d) => {
                    let url_field = ctx.opts.records.fields.url.clone();
                    if let Some(u) = &d.url {
                        fields.insert(url_field, u.clone().into());
                    }
                    fields.insert(
                        ctx.opts.records.fields.id.clone(),
                        d.record_id.clone().into(),
                    );
                    fields.insert("warc_type".into(), d.warc_type.as_str().into());
                    fields.insert("warc_offset".into(), p.offset.into());
                    if let Some(d) = p.decompressed_offset {
                        fields.insert("warc_decompressed_offset".into(), d.into());
                    }
                    let _memory = match ctx.budget.reserve(&d.bytes) {
                        Ok(r) => r,
                        Err(over) => {
                            return Some(ctx.problem(
                                &display,
                                d.bytes.len() as u64,
                                Outcome::Failed(over.to_string()),
                                Some(fields),
                                pos,
                            ))
                        }
                    };
                    let hints = RecordHints {
                        url: d.url.as_deref(),
                        charset: d.charset.as_deref(),
                        format: Some(d.format),
                    };
                    Some(
                        match input::decode_record(&d.bytes, &display, &ctx.opts.decode, &hints) {
                            Ok(doc) => ctx.finish(doc, &display, None, Some(fields)),
                            Err(e @ (InputError::Binary(_) | InputError::TooLarge { .. })) => ctx
                                .problem(
                                    &display,
                                    d.bytes.len() as u64,
                                    Outcome::Skipped(e.to_string()),
                                    Some(fields),
                                    pos,
                                ),
                        },
                    )
                }
            }
        }
    }
}
