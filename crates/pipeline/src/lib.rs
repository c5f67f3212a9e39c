//! Cleaning many documents: files and folders (walked like ripgrep), standard input, JSON
//! Lines and WARC streams; cleaned in parallel in bounded, order-preserving windows; written
//! as body + provenance pairs, record lines or a body on standard output; summarised with
//! running totals. This is the only part of the library that touches files.
//!
//! - [`walk`]: which inputs, in which order, with which output names;
//! - [`output`]: the output folder (lock, safety checks, pairs, recovery) and record files;
//! - [`stream`]: record streams (JSON Lines, WARC) and output records;
//! - [`summary`]: the totals printed at the end;
//! - [`interrupt`]: Ctrl-C and SIGTERM.

#![warn(missing_docs)]

pub mod budget;
pub mod interrupt;
pub mod output;
pub mod sidecar;
pub mod single;
pub mod stream;
pub mod summary;
pub mod walk;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

// The crates below the pipeline, under the names its modules use.
use rinse_engine as engine;
use rinse_engine::provenance;
use rinse_input as input;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use rayon::prelude::*;

use crate::engine::Cleaner;
use crate::input::{DecodeOptions, Document, InputError};
use crate::provenance::{Provenance, Quality};

pub use interrupt::{install_interrupt_handler, interrupted, INTERRUPTED};
pub use rinse_render::BodyFormat;
pub use stream::{ProvenanceLevel, RecordOptions};
pub use summary::{terminal_safe, Summary};
pub use walk::{WalkOptions, URL_SIDECAR_EXT};

use output::{InputRoot, OutputDir, RecordSink};
use walk::{Entry, Group, Item, Walker};

/// How inputs are read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    /// By name: `.jsonl`/`.ndjson` are JSON Lines, `.warc`/`.wet` are WARC (each maybe
    /// `.gz` or `.zst`); anything else is one document (text or HTML, sniffed). Standard
    /// input is WARC when it starts with `WARC/`, else one document.
    #[default]
    Auto,
    /// Every input is one document.
    Document,
    /// Every input is JSON Lines.
    Jsonl,
    /// Every input is WARC/WET.
    Warc,
}

/// Where outputs go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// A folder: `NAME.txt` (`NAME.md` for Markdown bodies) + `NAME.json` per document (the
    /// input tree mirrored), record streams as `.jsonl` files, and `manifest.jsonl`.
    Folder(PathBuf),
    /// One JSON Lines file (`.gz`/`.zst` compressed by name): a record per document.
    Records(PathBuf),
    /// Standard output: the body of a single document, or JSON Lines records.
    Stdout,
    /// Nothing written: every result carries its document, what cleaning made of it and
    /// the provenance ([`FileResult::processed`]), for the views of a run (`diff`,
    /// `explain`, `stats`, `watch`, `clean --check`).
    Memory,
}

/// What to clean and where to put it.
#[derive(Debug, Clone)]
pub struct Options {
    /// Files, folders, or `-` for standard input, in order.
    pub inputs: Vec<PathBuf>,
    /// Where outputs go.
    pub output: Output,
    /// Worker threads; `None` uses every core.
    pub jobs: Option<usize>,
    /// Show a progress bar (the CLI turns it on only on a terminal).
    pub progress: bool,
    /// Decoding options.
    pub decode: DecodeOptions,
    /// Allow the output folder inside an input folder (it is then not walked).
    pub allow_output_in_input: bool,
    /// How folders are walked.
    pub walk: WalkOptions,
    /// How inputs are read.
    pub format: Format,
    /// Record fields and output records.
    pub records: RecordOptions,
    /// Also record the rules that matched a kept line but failed a condition
    /// ([`rinse_engine::Cleaned::near_misses`], for `explain`).
    pub trace: bool,
    /// Memory the documents being cleaned may use together, in bytes; `None` takes it
    /// from the system's limits (see [`budget::Budget::for_run`]).
    pub max_memory: Option<u64>,
    /// How bodies are written: body files (`NAME.txt`, `NAME.md`), the `body` of output
    /// records, a body on standard output. Provenance always describes the text body.
    pub body_format: BodyFormat,
}

impl Options {
    /// Options for `inputs` written to `output`, everything else default.
    pub fn new(inputs: Vec<PathBuf>, output: Output) -> Options {
        Options {
            inputs,
            output,
            jobs: None,
            progress: false,
            decode: DecodeOptions::default(),
            allow_output_in_input: false,
            walk: WalkOptions::default(),
            format: Format::Auto,
            records: RecordOptions::default(),
            trace: false,
            max_memory: None,
            body_format: BodyFormat::Text,
        }
    }
}

/// How one document ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Cleaned; outputs written (unless a dry run).
    Cleaned {
        /// Output body path relative to the output folder (`/` separators); empty for
        /// record and standard output.
        output: String,
        /// Characters of the decoded text.
        chars_in: usize,
        /// Characters in the body.
        chars_out: usize,
        /// Removed characters by category.
        removed: BTreeMap<String, usize>,
        /// The review flag.
        quality: Quality,
    },
    /// Not text, too large, not a regular file, nothing to clean: skipped with the reason.
    Skipped(String),
    /// Reading, decoding the record or writing failed.
    Failed(String),
    /// The run was interrupted before this document was started.
    NotStarted,
}

impl Outcome {
    /// The manifest's `status` for this outcome.
    pub fn status(&self) -> Status {
        match self {
            Outcome::Cleaned { .. } => Status::Cleaned,
            Outcome::Skipped(_) => Status::Skipped,
            Outcome::Failed(_) => Status::Failed,
            Outcome::NotStarted => Status::NotStarted,
        }
    }
}

/// A document's `status` in the manifest: `cleaned`, `skipped`, `failed` or `not-started`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Cleaned, outputs written.
    Cleaned,
    /// Not a document to clean (binary, too large, ...).
    Skipped,
    /// Reading, decoding or writing failed.
    Failed,
    /// The run was interrupted before it started.
    NotStarted,
}

/// One document's result (a file or a record).
#[derive(Debug, Clone)]
pub struct FileResult {
    /// Display path: relative to the input (`/` separators, see
    /// [`walk::display_path`]), `FILE:LINE` for a JSON Lines record, `FILE@OFFSET` for a
    /// WARC record, `-` for standard input.
    pub path: String,
    /// Raw size in bytes (0 when unreadable).
    pub bytes: u64,
    /// What happened.
    pub outcome: Outcome,
    /// The body as written, for a body on standard output; in [`Output::Memory`] runs, the
    /// body in [`Options::body_format`] when that is not text (the text body is
    /// [`Processed::cleaned`]'s).
    pub body: Option<String>,
    /// The document, what cleaning made of it and its provenance, in [`Output::Memory`]
    /// runs.
    pub processed: Option<Box<Processed>>,
    /// Problems that did not stop cleaning (invalid bytes, NULs, mixed encodings).
    pub warnings: Vec<String>,
    /// The output record line (record outputs).
    pub line: Option<String>,
    /// For a record of a stream: the stream's records file in a folder output (relative,
    /// `/` separators), where this record is the next line. (With a records output every
    /// record is the next line of that file.)
    pub stream_output: Option<String>,
    /// The manifest line (folder outputs).
    pub manifest: Option<String>,
}

impl FileResult {
    fn new(path: String, outcome: Outcome) -> FileResult {
        FileResult {
            path,
            bytes: 0,
            outcome,
            body: None,
            processed: None,
            warnings: Vec::new(),
            line: None,
            stream_output: None,
            manifest: None,
        }
    }
}

/// One document as the pipeline saw it: the decoded (and, for HTML, extracted) document,
/// what cleaning made of it, and the provenance record written beside a body.
#[derive(Debug, Clone)]
pub struct Processed {
    /// The decoded document.
    pub doc: Document,
    /// The body, edits, metadata and statistics.
    pub cleaned: rinse_engine::Cleaned,
    /// The provenance record.
    pub provenance: Provenance,
}

/// Errors that stop a run before any document is cleaned.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// An input cannot be read.
    #[error("input {0}: {1}")]
    Input(PathBuf, std::io::Error),
    /// An input is not something rinse reads (a device, a FIFO), or inputs clash.
    #[error("{0}")]
    Inputs(String),
    /// The output folder is inside the input folder (and that was not allowed).
    #[error("output folder {out} is inside the input folder {input}; its files would be read back as inputs on the next run. Choose another -o, or pass --allow-output-in-input")]
    OutputInsideInput {
        /// The output folder.
        out: PathBuf,
        /// The input folder.
        input: PathBuf,
    },
    /// An output could resolve to an input.
    #[error("{0}")]
    Overlap(String),
    /// `-o` names a file, not a folder.
    #[error("output {0} is a file, not a folder: choose a folder for -o (or a name ending in .jsonl for one records file)")]
    OutputIsFile(PathBuf),
    /// Another run holds the output folder.
    #[error("output folder {0} is in use by another rinse run (lock file .rinse.lock); wait for it to finish, or choose another -o")]
    Locked(PathBuf),
    /// Another run is writing the same records file.
    #[error("output {0} is being written by another rinse run (a lock file .NAME.rinse.lock beside it); wait for it to finish, or choose another -o")]
    RecordsLocked(PathBuf),
    /// The output cannot be created or written to.
    #[error("output folder {0}: {1}")]
    Output(PathBuf, std::io::Error),
    /// The worker threads could not be started.
    #[error("thread pool: {0}")]
    Pool(String),
}

/// How many work items a window holds at most, and how many bytes of record content:
/// memory is bounded by about two windows whatever the number of documents.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    pub count: usize,
    pub bytes: usize,
}

/// Cleans `items` on `pool` in windows, keeping their order: while one window is cleaned
/// the next is read, then results go to `sink` in input order.
pub(crate) fn ordered<T: Send, R: Send>(
    pool: &rayon::ThreadPool,
    window: Window,
    mut read: impl FnMut() -> Option<(T, usize)> + Send,
    work: impl Fn(T) -> R + Sync,
    mut sink: impl FnMut(R),
) {
    let mut fill = move || {
        let (mut v, mut bytes) = (Vec::new(), 0);
        while v.len() < window.count && bytes < window.bytes && !interrupted() {
            match read() {
                Some((t, n)) => {
                    bytes += n;
                    v.push(t);
                }
                None => break,
            }
        }
        v
    };
    let mut next = fill();
    while !next.is_empty() {
        let cur = std::mem::take(&mut next);
        let (results, n) = pool.install(|| {
            rayon::join(
                || cur.into_par_iter().map(&work).collect::<Vec<R>>(),
                &mut fill,
            )
        });
        next = n;
        for r in results {
            sink(r);
        }
    }
}

/// How the documents of one run are written.
pub(crate) enum Mode<'a> {
    /// Body + provenance pairs into a folder.
    Pairs(&'a OutputDir),
    /// Record lines.
    Lines,
    /// The body alone (one document to standard output).
    Body,
    /// Nothing written; results keep the document and what became of it.
    Memory,
}

/// What workers share.
pub(crate) struct Ctx<'a> {
    pub cleaner: &'a Cleaner,
    pub opts: &'a Options,
    pub mode: Mode<'a>,
    pub budget: &'a budget::Budget,
}

impl Ctx<'_> {
    /// Cleans `doc` and writes (or keeps) its outputs. `out_rel` is the body's path in the
    /// output folder; `fields` the input record's fields for record outputs.
    pub(crate) fn finish(
        &self,
        doc: Document,
        display: &str,
        out_rel: Option<&Path>,
        fields: Option<serde_json::Map<String, serde_json::Value>>,
    ) -> FileResult {
        let mut r = FileResult::new(display.to_string(), Outcome::NotStarted);
        r.bytes = doc.source.bytes;
        r.warnings = doc.source.warnings.clone();
        if doc.source.replacement_chars > 0 {
            r.warnings.push(format!(
                "{} invalid byte sequence(s) replaced by U+FFFD while decoding as {}",
                doc.source.replacement_chars, doc.source.encoding
            ));
        }
        let cleaned = match if self.opts.trace {
            self.cleaner.clean_traced(&doc)
        } else {
            self.cleaner.clean(&doc)
        } {
            Ok(c) => c,
            Err(e) => {
                let fields = fields.clone();
                return self.problem(
                    display,
                    doc.source.bytes,
                    Outcome::Failed(e.to_string()),
                    fields,
                    display.into(),
                );
            }
        };
        let prov = Provenance::new(&doc, &cleaned, self.cleaner.ruleset());
        let output = out_rel.map(walk::display_path).unwrap_or_default();
        let format = match (self.opts.body_format, &self.mode) {
            // A record is JSON already, with the body, the title and the metadata.
            (BodyFormat::Json, Mode::Lines) => BodyFormat::Text,
            (f, _) => f,
        };
        let body = rinse_render::render(format, &doc, &cleaned);
        match &self.mode {
            Mode::Pairs(dir) => {
                let rel = out_rel.expect("folder outputs have a path");
                if let Err(e) = dir.write_pair(rel, body.as_bytes(), prov.to_json().as_bytes()) {
                    r.outcome = Outcome::Failed(format!(
                        "cannot write {}: {e}",
                        dir.root().join(rel).display()
                    ));
                    r.manifest = Some(stream::manifest_problem(&r));
                    return r;
                }
                r.manifest = Some(stream::manifest_line(display, &output, &prov, &body));
            }
            Mode::Lines => {
                let fields = fields.unwrap_or_else(|| {
                    let mut m = serde_json::Map::new();
                    m.insert("path".into(), display.into());
                    m
                });
                let mut payload =
                    stream::cleaned_payload(&prov, &body, self.opts.records.provenance);
                if format != BodyFormat::Text {
                    payload["body_format"] = format.name().into();
                }
                r.line = Some(stream::record_line(fields, &self.opts.records, payload));
            }
            Mode::Body => r.body = Some(body.into_owned()),
            Mode::Memory if format != BodyFormat::Text => r.body = Some(body.into_owned()),
            Mode::Memory => {}
        }
        r.outcome = Outcome::Cleaned {
            output,
            chars_in: cleaned.stats.chars_in,
            chars_out: cleaned.stats.chars_out,
            removed: cleaned.stats.removed_chars.clone(),
            quality: prov.quality,
        };
        if matches!(self.mode, Mode::Memory) {
            r.processed = Some(Box::new(Processed {
                doc,
                cleaned,
                provenance: prov,
            }));
        }
        r
    }

    /// A document that was not cleaned, with its record line or manifest line.
    pub(crate) fn problem(
        &self,
        display: &str,
        bytes: u64,
        outcome: Outcome,
        fields: Option<serde_json::Map<String, serde_json::Value>>,
        position: serde_json::Value,
    ) -> FileResult {
        let mut r = FileResult::new(display.to_string(), outcome);
        r.bytes = bytes;
        match &self.mode {
            Mode::Pairs(_) => r.manifest = Some(stream::manifest_problem(&r)),
            Mode::Lines => {
                let why = match &r.outcome {
                    Outcome::Skipped(w) | Outcome::Failed(w) => w.clone(),
                    _ => "not started (interrupted)".into(),
                };
                r.line = Some(stream::record_line(
                    fields.unwrap_or_else(|| {
                        let mut m = serde_json::Map::new();
                        m.insert("path".into(), display.into());
                        m
                    }),
                    &self.opts.records,
                    stream::error_payload(&why, position, None),
                ))
            }
            _ => {}
        }
        r
    }
}

/// Reads a regular file without ever blocking on a FIFO swapped in after the walk.
fn read_file(path: &Path, opts: &DecodeOptions) -> Result<Vec<u8>, Outcome> {
    let mut oo = std::fs::OpenOptions::new();
    oo.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        oo.custom_flags(libc::O_NONBLOCK);
    }
    let mut f = oo
        .open(path)
        .map_err(|e| Outcome::Failed(format!("cannot read: {e}")))?;
    let meta = f
        .metadata()
        .map_err(|e| Outcome::Failed(format!("cannot read: {e}")))?;
    if !meta.is_file() {
        return Err(Outcome::Skipped("not a regular file; not read".into()));
    }
    // The size cap is checked before reading, so an oversized file costs no memory.
    input::check_size(meta.len(), opts).map_err(|e| Outcome::Skipped(e.to_string()))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    f.read_to_end(&mut bytes)
        .map_err(|e| Outcome::Failed(format!("cannot read: {e}")))?;
    Ok(bytes)
}

/// Output body path for an input's relative path: same folders, extension `.txt`.
pub fn output_rel(rel: &Path) -> PathBuf {
    output_rel_as(rel, BodyFormat::Text)
}

/// Output body path for an input's relative path and a body format: same folders, the
/// format's extension (`.txt`, `.md`).
pub fn output_rel_as(rel: &Path, format: BodyFormat) -> PathBuf {
    rel.with_extension(format.extension())
}

fn process_entry(ctx: &Ctx<'_>, e: &Entry) -> FileResult {
    let problem =
        |o: Outcome, bytes| ctx.problem(&e.display, bytes, o, None, e.display.as_str().into());
    if interrupted() {
        return problem(Outcome::NotStarted, 0);
    }
    let bytes = match read_file(&e.abs, &ctx.opts.decode) {
        Ok(b) => b,
        Err(o) => {
            let size = std::fs::metadata(&e.abs).map_or(0, |m| m.len());
            return problem(o, size);
        }
    };
    let side = sidecar::find(&e.abs, &e.root, ctx.opts.walk.follow);
    let url = side.as_ref().and_then(|s| s.url.as_ref().ok());
    let warning = match &side {
        Some(sidecar::Found {
            path,
            url: Err(why),
        }) => {
            let name = path
                .file_name()
                .map_or_else(String::new, walk::display_name);
            Some(format!("URL sidecar {name} ignored: it {why}"))
        }
        _ => None,
    };
    let out_rel = output_rel_as(&e.rel, ctx.opts.body_format);
    ctx.document(
        bytes,
        &e.display,
        Some(&out_rel),
        url.map(String::as_str),
        warning,
    )
}

impl Ctx<'_> {
    /// Decodes and cleans the bytes of one document read from `display` (a file, standard
    /// input, or bytes a library caller holds); `warning` goes into its provenance (a
    /// sidecar that was ignored).
    pub(crate) fn document(
        &self,
        bytes: Vec<u8>,
        display: &str,
        out_rel: Option<&Path>,
        url: Option<&str>,
        warning: Option<String>,
    ) -> FileResult {
        let problem =
            |o: Outcome, n: usize| self.problem(display, n as u64, o, None, display.into());
        // Held until the outputs are written: decoding, cleaning and the provenance are the
        // peak.
        let _memory = match self.budget.reserve(&bytes) {
            Ok(r) => r,
            Err(over) => return problem(Outcome::Failed(over.to_string()), bytes.len()),
        };
        let mut doc = match input::decode_hinted(&bytes, display, &self.opts.decode, url, None) {
            Ok(d) => d,
            Err(err @ (InputError::Binary(_) | InputError::TooLarge { .. })) => {
                return problem(Outcome::Skipped(err.to_string()), bytes.len())
            }
        };
        doc.source.warnings.extend(warning);
        drop(bytes);
        self.finish(doc, display, out_rel, None)
    }
}

/// Cleans a group in order; the first document cleaned gets a contested output name.
fn process_group(ctx: &Ctx<'_>, g: Group) -> Vec<FileResult> {
    let check_names = matches!(ctx.mode, Mode::Pairs(_) | Mode::Memory);
    let mut taken = g.taken;
    let mut owners: Vec<(String, String)> = Vec::new();
    g.entries
        .iter()
        .map(|e| {
            let claims = walk::doc_claims_as(
                e.rel.file_name().unwrap_or_default(),
                ctx.opts.body_format,
            );
            if check_names {
                if let Some(c) = claims.iter().find(|c| taken.contains(c)) {
                    let by = owners
                        .iter()
                        .find(|(n, _)| n == c)
                        .map_or("a sibling folder or stream".to_string(), |(_, o)| o.clone());
                    return ctx.problem(
                        &e.display,
                        0,
                        Outcome::Failed(format!(
                            "its output {c} is already taken by {by} (names are compared ignoring case)"
                        )),
                        None,
                        e.display.as_str().into(),
                    );
                }
            }
            let r = process_entry(ctx, e);
            if matches!(r.outcome, Outcome::Cleaned { .. }) {
                for c in claims {
                    owners.push((c.clone(), e.display.clone()));
                    taken.push(c);
                }
            }
            r
        })
        .collect()
}

/// Checks the inputs before anything is read: each exists and is a file, a folder or `-`;
/// with several inputs, their top-level output names do not clash.
fn plan_inputs(
    opts: &Options,
    out_canon: Option<&Path>,
) -> Result<(Vec<walk::Input>, Vec<InputRoot>), BatchError> {
    let several = opts.inputs.len() > 1;
    let mut inputs = Vec::new();
    let mut roots = Vec::new();
    let mut names: Vec<(String, String)> = walk::RESERVED
        .iter()
        .map(|r| (r.to_string(), "the run's manifest".to_string()))
        .collect();
    let stdin_count = opts.inputs.iter().filter(|p| p.as_os_str() == "-").count();
    if stdin_count > 1 {
        return Err(BatchError::Inputs(
            "standard input (-) can be given only once".into(),
        ));
    }
    for p in &opts.inputs {
        if p.as_os_str() == "-" {
            inputs.push(walk::Input {
                path: p.clone(),
                prefix: PathBuf::new(),
                skip: None,
            });
            continue;
        }
        if let Some(why) = walk::check_input_type(p).map_err(|e| BatchError::Input(p.clone(), e))? {
            return Err(BatchError::Inputs(format!("input {why}")));
        }
        let is_dir = p.is_dir();
        let canon = p
            .canonicalize()
            .map_err(|e| BatchError::Input(p.clone(), e))?;
        let name = p
            .file_name()
            .map(|n| n.to_os_string())
            .or_else(|| canon.file_name().map(|n| n.to_os_string()))
            .unwrap_or_default();
        if several {
            let claims: Vec<String> = if is_dir {
                vec![walk::display_name(&name).to_lowercase()]
            } else {
                match walk::classify(&name, opts.format) {
                    Format::Document => walk::doc_claims_as(&name, opts.body_format).to_vec(),
                    _ => vec![walk::display_name(&walk::stream_output_name(&name)).to_lowercase()],
                }
            };
            for c in claims {
                if let Some((_, other)) = names.iter().find(|(n, _)| *n == c) {
                    return Err(BatchError::Inputs(format!(
                        "inputs {other} and {} would both write {c} in the output; clean them in separate runs or rename one",
                        p.display()
                    )));
                }
                names.push((c, p.display().to_string()));
            }
        }
        let skip = match (is_dir, out_canon) {
            (true, Some(o)) => o.strip_prefix(&canon).ok().map(Path::to_path_buf),
            _ => None,
        };
        inputs.push(walk::Input {
            path: p.clone(),
            prefix: if several && is_dir {
                PathBuf::from(&name)
            } else {
                PathBuf::new()
            },
            skip,
        });
        roots.push(InputRoot {
            given: p.clone(),
            canon,
            is_dir,
        });
    }
    Ok((inputs, roots))
}

fn progress_bar(on: bool) -> ProgressBar {
    if !on {
        return ProgressBar::hidden();
    }
    let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    b.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {pos} documents  {rate}")
            .expect("valid template")
            .with_key("rate", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0}/s", s.per_sec());
            }),
    );
    b
}

/// Whether the inputs are one JSON Lines file or standard input (sniffed later), the only
/// inputs [`RecordOptions::first_line`] applies to.
fn one_jsonl_input(opts: &Options) -> bool {
    match opts.inputs.as_slice() {
        [p] if p.as_os_str() == "-" => true,
        [p] => {
            !p.is_dir()
                && walk::classify(p.file_name().unwrap_or_default(), opts.format) == Format::Jsonl
        }
        _ => false,
    }
}

fn first_line_error() -> BatchError {
    BatchError::Inputs(
        "--first-line numbers the lines of one JSON Lines stream: give a single .jsonl file or `-` with JSON Lines on standard input (or --format jsonl)".into(),
    )
}

/// Cleans every input. Each document's result goes to `on_doc` in input order as soon as
/// it is done (print problems there; dry runs read bodies there); the returned summary has
/// running totals only. Documents that fail never stop the others.
pub fn run(
    cleaner: &Cleaner,
    opts: &Options,
    on_doc: &mut dyn FnMut(&FileResult),
) -> Result<Summary, BatchError> {
    let start = Instant::now();
    let out_canon = match &opts.output {
        Output::Folder(o) | Output::Records(o) => Some(output::resolve(o)),
        _ => None,
    };
    if let (BodyFormat::Json, Output::Folder(o)) = (opts.body_format, &opts.output) {
        return Err(BatchError::Inputs(format!(
            "JSON bodies cannot go into the output folder {}: NAME.json there is the provenance. Write records (-o FILE.jsonl) or to standard output (-o -)",
            o.display()
        )));
    }
    if opts.records.first_line != 1 && !one_jsonl_input(opts) {
        return Err(first_line_error());
    }
    let (inputs, roots) = plan_inputs(opts, out_canon.as_deref())?;
    let dir = match &opts.output {
        Output::Folder(out) => {
            output::check_location(out, &roots, opts.allow_output_in_input)?;
            Some(OutputDir::open(out, &roots)?)
        }
        Output::Records(file) => {
            let canon = output::resolve(file);
            if let Some(i) = roots
                .iter()
                .find(|i| canon == i.canon || (i.is_dir && canon.starts_with(&i.canon)))
            {
                return Err(BatchError::Overlap(format!(
                    "output {} is inside the input {}: choose an output outside the inputs",
                    file.display(),
                    i.given.display()
                )));
            }
            if file.is_dir() {
                return Err(BatchError::Overlap(format!(
                    "output {} is a folder; a records output needs a file name ending in .jsonl",
                    file.display()
                )));
            }
            None
        }
        _ => None,
    };
    // Two runs writing one records file would interleave or overwrite each other.
    let _records_lock =
        match &opts.output {
            Output::Records(file) => Some(output::FileLock::beside(file).map_err(|e| {
                output::lock_error(e, file, BatchError::RecordsLocked(file.clone()))
            })?),
            _ => None,
        };
    let jobs = opts
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| BatchError::Pool(e.to_string()))?;
    // Standard input is sniffed before anything is decided: records go out as records.
    let mut stdin = opts
        .inputs
        .iter()
        .any(|p| p.as_os_str() == "-")
        .then(|| stream::Stdin::open(opts.format));
    if opts.records.first_line != 1 && stdin.as_ref().is_some_and(|s| s.format != Format::Jsonl) {
        return Err(first_line_error());
    }
    let single_doc = opts.inputs.len() == 1
        && !opts.inputs[0].is_dir()
        && match &stdin {
            Some(s) => s.format == Format::Document,
            None => {
                matches!(opts.format, Format::Auto | Format::Document)
                    && walk::classify(opts.inputs[0].file_name().unwrap_or_default(), opts.format)
                        == Format::Document
            }
        };
    let mode = match (&opts.output, &dir) {
        (_, Some(d)) => Mode::Pairs(d),
        (Output::Stdout, _) if single_doc => Mode::Body,
        (Output::Stdout | Output::Records(_), _) => Mode::Lines,
        _ => Mode::Memory,
    };
    let mut lines = match &opts.output {
        Output::Records(f) => {
            Some(RecordSink::file(f).map_err(|e| BatchError::Output(f.clone(), e))?)
        }
        Output::Stdout if !matches!(mode, Mode::Body) => Some(RecordSink::stdout()),
        _ => None,
    };
    let mut manifest = match &dir {
        Some(d) => Some(
            output::AtomicFile::create(&d.root().join("manifest.jsonl"))
                .map_err(|e| BatchError::Output(d.root().to_path_buf(), e))?,
        ),
        None => None,
    };
    let budget = budget::Budget::for_run(opts.max_memory);
    let ctx = Ctx {
        cleaner,
        opts,
        mode,
        budget: &budget,
    };
    let mut summary = Summary {
        jobs,
        ..Summary::default()
    };
    let bar = progress_bar(opts.progress);
    let mut write_error: Option<String> = None;
    let shared_lines = lines.is_some();
    {
        let mut sink = |mut r: FileResult| {
            if let (Some(m), Some(line)) = (manifest.as_mut(), &r.manifest) {
                if let Err(e) = std::io::Write::write_all(m, format!("{line}\n").as_bytes()) {
                    write_error.get_or_insert(format!("manifest: {e}"));
                }
            }
            if let (Some(s), Some(line)) = (lines.as_mut(), r.line.as_deref()) {
                if let Err(e) = s.line(line) {
                    r.outcome = Outcome::Failed(format!("cannot write the output record: {e}"));
                }
            }
            if matches!(ctx.mode, Mode::Body) {
                if let Some(b) = r.body.as_deref() {
                    let mut out = std::io::stdout().lock();
                    if let Err(e) = std::io::Write::write_all(&mut out, b.as_bytes()) {
                        r.outcome = Outcome::Failed(format!("cannot write standard output: {e}"));
                    }
                }
            }
            summary.add(&r);
            bar.inc(1);
            bar.suspend(|| on_doc(&r));
        };
        let mut walker = Walker::new(inputs, opts.walk.clone(), opts.format);
        let window = Window {
            count: 64 * jobs,
            bytes: usize::MAX,
        };
        loop {
            let mut stash: Option<Item> = None;
            ordered(
                &pool,
                window,
                || match walker.next()? {
                    Ok(item @ (Item::Stream(..) | Item::Stdin)) => {
                        stash = Some(item);
                        None
                    }
                    Ok(item) => Some((item, 1)),
                    Err(e) => Some((
                        Item::Problem {
                            display: String::new(),
                            cause: e,
                            skipped: false,
                        },
                        1,
                    )),
                },
                |item| match item {
                    Item::Docs(g) => process_group(&ctx, g),
                    Item::Problem {
                        display,
                        cause,
                        skipped,
                    } => vec![ctx.problem(
                        &display,
                        0,
                        if skipped {
                            Outcome::Skipped(cause)
                        } else {
                            Outcome::Failed(cause)
                        },
                        None,
                        display.as_str().into(),
                    )],
                    Item::Stream(..) | Item::Stdin => Vec::new(),
                },
                |results| {
                    for r in results {
                        sink(r);
                    }
                },
            );
            match stash {
                Some(Item::Stream(entry, format)) => {
                    stream::run_file(&ctx, &pool, &entry, format, shared_lines, &mut sink)
                }
                Some(Item::Stdin) => match stdin.take() {
                    Some(s) => stream::run_stdin(&ctx, &pool, s, shared_lines, &mut sink),
                    None => sink(ctx.problem(
                        "-",
                        0,
                        Outcome::Failed("standard input can be read only once".into()),
                        None,
                        "-".into(),
                    )),
                },
                _ => break,
            }
            if interrupted() {
                break;
            }
        }
        if interrupted() {
            // Say how much is left to do: list the rest of the inputs, without reading them.
            for item in walker.by_ref().flatten() {
                let n = match item {
                    Item::Docs(g) => g.entries.len() as u64,
                    Item::Stream(..) | Item::Stdin => 1,
                    Item::Problem { .. } => 0,
                };
                summary.documents += n;
                summary.not_started += n;
            }
        }
    }
    bar.finish_and_clear();
    summary.interrupted = interrupted();
    if let Some(s) = lines.filter(|_| {
        // A records file is written whole or not at all: an interrupted run keeps the
        // previous one (dropping the sink removes the temporary file).
        let keep = !(summary.interrupted && matches!(opts.output, Output::Records(_)));
        summary.discarded = !keep;
        keep
    }) {
        s.finish().map_err(|e| match &opts.output {
            Output::Records(f) => BatchError::Output(f.clone(), e),
            _ => BatchError::Output(PathBuf::from("-"), e),
        })?;
    }
    if let (Some(m), Some(d)) = (manifest, &dir) {
        m.commit()
            .map_err(|e| BatchError::Output(d.root().to_path_buf(), e))?;
    }
    if let Some(e) = write_error {
        return Err(BatchError::Output(
            dir.as_ref()
                .map_or_else(PathBuf::new, |d| d.root().to_path_buf()),
            std::io::Error::other(e),
        ));
    }
    if let Some(d) = dir {
        let root = d.root().to_path_buf();
        d.finish().map_err(|e| BatchError::Output(root, e))?;
    }
    summary.elapsed = start.elapsed();
    Ok(summary)
}
