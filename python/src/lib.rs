//! The Python module `rinse`: the same pipeline as the command line, in-process.
//!
//! Every document goes through `rinse_pipeline::single`, the functions the command line's
//! own runs are made of, so a result's body and provenance are the bytes `rinse clean`
//! writes for the same input. Cleaning runs with the GIL released (in a rayon pool for
//! `clean_many`), and a panic in the engine is caught at this boundary and raised as
//! `rinse.RinseError`: nothing reaches the interpreter but Python exceptions.

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use pyo3::exceptions::{PyException, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyIterator, PyList, PyString, PyTuple};
use rayon::prelude::*;
use serde_json::Value;

use rinse_engine::Cleaner as EngineCleaner;
use rinse_input::jsonl::Fields;
use rinse_input::DecodeOptions;
use rinse_pipeline::single::{self, Content};
use rinse_pipeline::stream::{self, Unit};
use rinse_pipeline::{
    BodyFormat, FileResult, Format, Options, Outcome, Output, Processed, ProvenanceLevel,
};
use rinse_rules::{Limits, RuleSource, Ruleset};

pyo3::create_exception!(
    rinse,
    RinseError,
    PyException,
    "Base class of the errors rinse raises."
);
pyo3::create_exception!(
    rinse,
    RulesError,
    RinseError,
    "A rule set that cannot be loaded: the message is the command line's (file:line:column, rule id); `diagnostics` lists each problem."
);
pyo3::create_exception!(
    rinse,
    InputError,
    RinseError,
    "A document or record that cannot be cleaned (not text, too large, not a record): the command line's message, after the document's name."
);

/// The per-document size cap the command line uses by default (`--max-bytes`).
const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// A compiled rule set and how inputs are read: what every call of a `Cleaner` shares.
struct Config {
    cleaner: EngineCleaner,
    /// `Output::Memory`, text bodies; calls derive their own from it.
    opts: Options,
}

impl Config {
    fn opts(&self, format: BodyFormat, output: Output, trace: bool) -> Options {
        let mut o = self.opts.clone();
        o.body_format = format;
        o.output = output;
        o.trace = trace;
        o
    }
}

/// What to clean: data as Python handed it over, owned so that cleaning needs no GIL.
enum Data {
    Bytes(Vec<u8>),
    Text(String),
    Record(Unit, String),
}

struct Job {
    data: Data,
    name: Option<String>,
    url: Option<String>,
}

/// Why a job gave no result.
enum Failure {
    /// The command line's message for a skipped or failed document.
    Input(String),
    /// A bug: the engine panicked.
    Panic(String),
}

/// A cleaned document: what the pipeline made of it and its body in the asked format
/// (`None` for text: the cleaned body is it).
struct Done {
    path: String,
    processed: Processed,
    body: Option<String>,
}

fn run_job(cfg: &Config, opts: &Options, job: Job) -> Result<FileResult, Failure> {
    let Job { data, name, url } = job;
    let display = name.as_deref().unwrap_or("-");
    let r = catch_unwind(AssertUnwindSafe(|| match data {
        Data::Bytes(b) => Some(single::clean_bytes(
            &cfg.cleaner,
            opts,
            b,
            display,
            url.as_deref(),
        )),
        Data::Text(t) => Some(single::clean_text(
            &cfg.cleaner,
            opts,
            &t,
            display,
            url.as_deref(),
        )),
        Data::Record(unit, file) => single::clean_unit(&cfg.cleaner, opts, &file, unit),
    }))
    .map_err(|p| {
        let msg = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "unknown panic".into());
        Failure::Panic(format!(
            "internal error while cleaning {display} (a bug in rinse; please report it): {msg}"
        ))
    })?;
    r.ok_or_else(|| Failure::Input(format!("{display}: not a document (no record to clean)")))
}

/// Cleans `job` into memory: the document, its cleaning and its body.
fn clean_job(cfg: &Config, opts: &Options, job: Job) -> Result<Done, Failure> {
    let r = run_job(cfg, opts, job)?;
    match r.outcome {
        Outcome::Cleaned { .. } => {
            let mut processed = *r
                .processed
                .ok_or_else(|| Failure::Panic("internal error: no result kept".into()))?;
            // The parsed page is only needed to render Markdown, which is done: free it.
            // (`explain` cleans again from the caller's data.)
            processed.doc.page = None;
            processed.cleaned.steered = None;
            Ok(Done {
                path: r.path,
                processed,
                body: r.body,
            })
        }
        Outcome::Skipped(why) | Outcome::Failed(why) => {
            Err(Failure::Input(format!("{}: {why}", r.path)))
        }
        Outcome::NotStarted => Err(Failure::Input(format!("{}: not cleaned", r.path))),
    }
}

fn failure_err(f: Failure) -> PyErr {
    match f {
        Failure::Input(m) => InputError::new_err(m),
        Failure::Panic(m) => RinseError::new_err(m),
    }
}

fn body_format(s: &str) -> PyResult<BodyFormat> {
    s.parse::<BodyFormat>()
        .map_err(|e| PyValueError::new_err(e.to_string()))
}

/// The job for one item: bytes, str, a Record, or a `(data, name[, url])` tuple.
fn job_of(
    item: &Bound<'_, PyAny>,
    name: Option<String>,
    url: Option<String>,
    nested: bool,
) -> PyResult<Job> {
    let data = if let Ok(b) = item.cast::<PyBytes>() {
        Data::Bytes(b.as_bytes().to_vec())
    } else if let Ok(s) = item.cast::<PyString>() {
        Data::Text(s.to_cow()?.into_owned())
    } else if let Ok(b) = item.cast::<PyByteArray>() {
        Data::Bytes(b.to_vec())
    } else if let Ok(r) = item.cast::<Record>() {
        let r = r.get();
        Data::Record(r.unit.clone(), r.file.clone())
    } else if let (Ok(t), false) = (item.cast::<PyTuple>(), nested) {
        if !(2..=3).contains(&t.len()) {
            return Err(PyTypeError::new_err(
                "a tuple item is (data, name) or (data, name, url)",
            ));
        }
        let name: Option<String> = t.get_item(1)?.extract()?;
        let url: Option<String> = if t.len() == 3 {
            t.get_item(2)?.extract()?
        } else {
            None
        };
        return job_of(&t.get_item(0)?, name, url, true);
    } else {
        return Err(PyTypeError::new_err(format!(
            "expected bytes, str, a rinse.Record or a (data, name[, url]) tuple, got {}",
            item.get_type().name()?
        )));
    };
    Ok(Job { data, name, url })
}

/// A JSON value as Python objects (dicts keep the JSON's key order).
fn to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any(),
            _ => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(a) => {
            let l = PyList::empty(py);
            for x in a {
                l.append(to_py(py, x)?)?;
            }
            l.into_any()
        }
        Value::Object(m) => {
            let d = PyDict::new(py);
            for (k, x) in m {
                d.set_item(k, to_py(py, x)?)?;
            }
            d.into_any()
        }
    })
}

fn json_py<'py>(py: Python<'py>, v: &impl serde::Serialize) -> PyResult<Bound<'py, PyAny>> {
    to_py(
        py,
        &serde_json::to_value(v).map_err(|e| RinseError::new_err(e.to_string()))?,
    )
}

/// Loads rules the way `--rules PATH` (repeatable) and `--no-default-rules` do.
fn load_rules(paths: &[PathBuf], defaults: bool) -> Result<Ruleset, PyErr> {
    let mut sources = if defaults {
        RuleSource::defaults()
    } else {
        Vec::new()
    };
    for p in paths {
        sources.extend(rinse_rules::sources_from_path(p).map_err(|e| {
            let err = RulesError::new_err(format!("error: rules {}: {e}", p.display()));
            Python::attach(|py| {
                let _ = err.value(py).setattr("diagnostics", PyList::empty(py));
            });
            err
        })?);
    }
    Ruleset::from_sources(&sources, Limits::default()).map_err(|d| {
        let err = RulesError::new_err(d.render(false));
        Python::attach(|py| {
            let list = PyList::empty(py);
            for x in d.0.iter().filter(|x| !x.warning) {
                let item = PyDict::new(py);
                let _ = item.set_item("file", &x.file);
                let _ = item.set_item("line", x.line);
                let _ = item.set_item("column", x.column);
                let _ = item.set_item("rule", x.rule.as_deref());
                let _ = item.set_item("message", &x.message);
                let _ = list.append(item);
            }
            let _ = err.value(py).setattr("diagnostics", list);
        });
        err
    })
}

/// Rule paths from `None`, one path, or a sequence of paths.
fn rule_paths(rules: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<PathBuf>> {
    let Some(r) = rules else {
        return Ok(Vec::new());
    };
    if r.is_none() {
        return Ok(Vec::new());
    }
    if let Ok(p) = r.extract::<PathBuf>() {
        return Ok(vec![p]);
    }
    let mut out = Vec::new();
    for p in r.try_iter().map_err(|_| {
        PyTypeError::new_err("rules is a path (str or os.PathLike) or a sequence of paths")
    })? {
        out.push(p?.extract::<PathBuf>()?);
    }
    Ok(out)
}

/// Compiled rules and reading options, reused for every document: build one and call
/// `clean`, `clean_many` or `clean_jsonl` on it.
///
/// `rules` is a rule file or folder (or a sequence of them) layered over the embedded
/// defaults, as `rinse clean --rules PATH` does; `default_rules=False` starts from none
/// (`--no-default-rules`). `encoding` forces a decoder (a WHATWG label such as `gbk`),
/// `max_bytes` skips larger documents (`--max-bytes`). The field names and `provenance`
/// ("full", "summary", "none") are those of `rinse clean` on JSON Lines records.
#[pyclass(frozen, module = "rinse", name = "Cleaner")]
struct Cleaner {
    cfg: Arc<Config>,
}

#[pymethods]
impl Cleaner {
    #[new]
    #[pyo3(signature = (rules=None, *, default_rules=true, encoding=None, max_bytes=DEFAULT_MAX_BYTES, text_field="text", html_field="html", id_field="id", url_field="url", output_field="rinse", provenance="full"))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        rules: Option<&Bound<'_, PyAny>>,
        default_rules: bool,
        encoding: Option<&str>,
        max_bytes: u64,
        text_field: &str,
        html_field: &str,
        id_field: &str,
        url_field: &str,
        output_field: &str,
        provenance: &str,
    ) -> PyResult<Cleaner> {
        let paths = rule_paths(rules)?;
        let encoding = match encoding {
            None => None,
            Some(l) => Some(
                encoding_rs::Encoding::for_label(l.as_bytes()).ok_or_else(|| {
                    PyValueError::new_err(format!(
                        "unknown encoding label `{l}` (try utf-8, gbk, gb18030, big5, utf-16le)"
                    ))
                })?,
            ),
        };
        let level = match provenance {
            "full" => ProvenanceLevel::Full,
            "summary" => ProvenanceLevel::Summary,
            "none" => ProvenanceLevel::None,
            other => {
                return Err(PyValueError::new_err(format!(
                    "unknown provenance level `{other}` (expected full, summary or none)"
                )))
            }
        };
        // Compiling the rules takes a while: let other Python threads run meanwhile.
        let ruleset = py.detach(|| load_rules(&paths, default_rules))?;
        let mut opts = Options::new(Vec::new(), Output::Memory);
        opts.decode = DecodeOptions {
            encoding,
            max_bytes: Some(max_bytes),
        };
        opts.records.fields = Fields {
            text: text_field.into(),
            html: html_field.into(),
            id: id_field.into(),
            url: url_field.into(),
        };
        opts.records.output_field = output_field.into();
        opts.records.provenance = level;
        Ok(Cleaner {
            cfg: Arc::new(Config {
                cleaner: EngineCleaner::new(ruleset),
                opts,
            }),
        })
    }

    /// The rule set's fingerprint, as recorded in provenance (`ruleset.fingerprint`).
    #[getter]
    fn fingerprint(&self) -> String {
        self.cfg.cleaner.ruleset().fingerprint().to_string()
    }

    /// Cleans one document: see `rinse.clean`.
    #[pyo3(signature = (data, *, name=None, url=None, format="text"))]
    fn clean(
        &self,
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        name: Option<String>,
        url: Option<String>,
        format: &str,
    ) -> PyResult<CleanResult> {
        clean_one(py, &self.cfg, data, name, url, body_format(format)?)
    }

    /// Cleans many documents on `threads` threads (default: every core), with the GIL
    /// released, yielding results in input order. Items are `bytes`, `str`, `Record`s or
    /// `(data, name[, url])` tuples. Output is the same for any number of threads.
    #[pyo3(signature = (items, *, threads=None, format="text", return_exceptions=false))]
    fn clean_many(
        &self,
        items: &Bound<'_, PyAny>,
        threads: Option<usize>,
        format: &str,
        return_exceptions: bool,
    ) -> PyResult<ResultIter> {
        let format = body_format(format)?;
        let threads = threads_or_all(threads)?;
        Ok(ResultIter {
            items: items.try_iter()?.unbind(),
            opts: self.cfg.opts(format, Output::Memory, false),
            cfg: self.cfg.clone(),
            pool: pool(threads)?,
            window: window(threads),
            buf: Mutex::new(VecDeque::new()),
            return_exceptions,
        })
    }

    /// Cleans JSON Lines records (`str` or `bytes`, one line each, newline optional),
    /// yielding the output lines `rinse clean --format jsonl -` writes for them (without the
    /// newline), in order: every input field kept plus the result field. A line that is
    /// not a record gives an error record, as on the command line. `name` is the stream's
    /// name in messages and in the provenance of records without an id (`NAME:LINE`).
    /// `first_line` is the number of the first line (`rinse clean --first-line`): for a
    /// part of a larger file, such as a Spark partition, the line it starts at in that file,
    /// so that error records name lines of the file.
    #[pyo3(signature = (lines, *, threads=None, format="text", name="-", first_line=1))]
    fn clean_jsonl(
        &self,
        lines: &Bound<'_, PyAny>,
        threads: Option<usize>,
        format: &str,
        name: &str,
        first_line: u64,
    ) -> PyResult<LineIter> {
        if first_line == 0 {
            return Err(PyValueError::new_err(
                "first_line counts from 1: the number of the first line in the whole file",
            ));
        }
        let format = body_format(format)?;
        let threads = threads_or_all(threads)?;
        Ok(LineIter {
            lines: lines.try_iter()?.unbind(),
            opts: self.cfg.opts(format, Output::Stdout, false),
            cfg: self.cfg.clone(),
            pool: pool(threads)?,
            window: window(threads),
            name: name.to_string(),
            state: Mutex::new((VecDeque::new(), first_line - 1)),
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "<rinse.Cleaner rules={} fingerprint={}>",
            self.cfg.cleaner.ruleset().rules().len(),
            self.cfg.cleaner.ruleset().fingerprint()
        )
    }
}

fn threads_or_all(threads: Option<usize>) -> PyResult<usize> {
    match threads {
        Some(0) => Err(PyValueError::new_err("threads must be at least 1")),
        Some(n) => Ok(n),
        None => Ok(std::thread::available_parallelism().map_or(1, |n| n.get())),
    }
}

fn pool(threads: usize) -> PyResult<Option<Arc<rayon::ThreadPool>>> {
    if threads == 1 {
        return Ok(None);
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map(|p| Some(Arc::new(p)))
        .map_err(|e| PyRuntimeError::new_err(format!("thread pool: {e}")))
}

/// Items cleaned per round trip between Python and the pool: enough for every thread to
/// stay busy, few enough that memory stays small.
fn window(threads: usize) -> usize {
    (32 * threads).max(16)
}

/// Runs `f` over `jobs` on `pool` (or on this thread), keeping their order.
fn map_ordered<J: Send, R: Send>(
    pool: Option<&rayon::ThreadPool>,
    jobs: Vec<J>,
    f: impl Fn(J) -> R + Sync + Send,
) -> Vec<R> {
    match pool {
        Some(p) => p.install(|| jobs.into_par_iter().map(f).collect()),
        None => jobs.into_iter().map(f).collect(),
    }
}

fn clean_one(
    py: Python<'_>,
    cfg: &Arc<Config>,
    data: &Bound<'_, PyAny>,
    name: Option<String>,
    url: Option<String>,
    format: BodyFormat,
) -> PyResult<CleanResult> {
    let job = job_of(data, name, url, false)?;
    let source = Source::of(data, &job);
    let opts = cfg.opts(format, Output::Memory, false);
    let done = py
        .detach(|| clean_job(cfg, &opts, job))
        .map_err(failure_err)?;
    Ok(CleanResult::new(done, cfg.clone(), source, format))
}

/// The data a result came from, kept (not copied) for `explain`, which cleans again.
struct Source {
    data: Py<PyAny>,
    name: Option<String>,
    url: Option<String>,
}

impl Source {
    fn of(data: &Bound<'_, PyAny>, job: &Job) -> Source {
        Source {
            data: data.clone().unbind(),
            name: job.name.clone(),
            url: job.url.clone(),
        }
    }
}

/// The result of cleaning one document.
#[pyclass(frozen, module = "rinse", name = "Result")]
struct CleanResult {
    done: Done,
    cfg: Arc<Config>,
    source: Source,
    format: BodyFormat,
    provenance: OnceLock<String>,
}

impl CleanResult {
    fn new(done: Done, cfg: Arc<Config>, source: Source, format: BodyFormat) -> CleanResult {
        CleanResult {
            done,
            cfg,
            source,
            format,
            provenance: OnceLock::new(),
        }
    }

    fn cleaned(&self) -> &rinse_engine::Cleaned {
        &self.done.processed.cleaned
    }
}

#[pymethods]
impl CleanResult {
    /// The body in the asked format (`text`: title first, one paragraph a line, each line
    /// ending in a newline; the bytes `rinse clean` writes to NAME.txt).
    #[getter]
    fn body(&self) -> &str {
        self.done
            .body
            .as_deref()
            .unwrap_or(&self.done.processed.cleaned.body)
    }

    /// The format of `body`: "text", "markdown" or "json".
    #[getter]
    fn format(&self) -> &'static str {
        self.format.name()
    }

    /// The title: the body's first line when it is short enough to be one.
    #[getter]
    fn title(&self) -> Option<&str> {
        self.cleaned().metadata.title.as_deref()
    }

    /// The metadata found (title, author, published, source, editor, site_name, url,
    /// lang), as in the provenance.
    #[getter]
    fn metadata<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_py(py, &self.cleaned().metadata)
    }

    /// The review flag: "ok", "removed-most", "kept-most", "garbled", "views-disagree" or
    /// "implausible" (the README lists what each means).
    #[getter]
    fn quality(&self) -> &'static str {
        self.done.processed.provenance.quality.as_str()
    }

    /// Counts: characters and lines in and out, removed characters and edits by category.
    #[getter]
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_py(py, &self.cleaned().stats)
    }

    /// Where the document came from and how it was decoded (the provenance's `source`).
    #[getter]
    fn source<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_py(py, &self.done.processed.provenance.source)
    }

    /// The document's name as `rinse clean` shows it (`NAME`, `-`, `FILE:LINE`, `FILE@OFFSET`).
    #[getter]
    fn path(&self) -> &str {
        &self.done.path
    }

    /// Problems that did not stop cleaning (NUL bytes removed, mixed encodings).
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.done.processed.provenance.source.warnings.clone()
    }

    /// The decoded text the edits apply to (for HTML, the page's block text).
    #[getter]
    fn raw(&self) -> &str {
        &self.done.processed.doc.text
    }

    /// Every edit, in order: applying them to `raw` gives the text body.
    #[getter]
    fn edits(&self) -> Vec<Edit> {
        self.cleaned().edits.iter().map(Edit::from).collect()
    }

    /// The provenance record, as JSON text: the bytes `rinse clean` writes to NAME.json.
    #[getter]
    fn provenance(&self) -> &str {
        self.provenance
            .get_or_init(|| self.done.processed.provenance.to_json())
    }

    /// Why raw line `line` (1-based, as `edits` and `rinse diff` count) was removed,
    /// changed or kept: the text `rinse explain FILE:LINE` prints.
    fn explain(&self, py: Python<'_>, line: usize) -> PyResult<String> {
        if line == 0 {
            return Err(PyValueError::new_err("line numbers start at 1"));
        }
        let job = job_of(
            self.source.data.bind(py),
            self.source.name.clone(),
            self.source.url.clone(),
            false,
        )?;
        let cfg = self.cfg.clone();
        let opts = cfg.opts(BodyFormat::Text, Output::Memory, true);
        let out = py.detach(|| -> Result<Result<String, String>, Failure> {
            let r = run_job(&cfg, &opts, job)?;
            let p = r
                .processed
                .ok_or_else(|| Failure::Panic("internal error: no result kept".into()))?;
            Ok(rinse_review::explain::document_line(
                &r.path,
                &p.doc,
                &p.cleaned,
                cfg.cleaner.ruleset(),
                line,
            ))
        });
        match out.map_err(failure_err)? {
            Ok(s) => Ok(s),
            Err(e) => Err(PyValueError::new_err(
                e.strip_prefix("error: ").unwrap_or(&e).to_string(),
            )),
        }
    }

    fn __repr__(&self) -> String {
        let s = &self.cleaned().stats;
        format!(
            "<rinse.Result {} {}: {} of {} characters kept, {} edits, quality {}>",
            self.done.path,
            self.format.name(),
            s.chars_out,
            s.chars_in,
            self.cleaned().edits.len(),
            self.quality()
        )
    }

    fn __str__(&self) -> &str {
        self.body()
    }
}

/// One recorded change to the raw text.
#[pyclass(frozen, get_all, module = "rinse")]
#[derive(Clone)]
struct Edit {
    /// The rule or built-in stage id.
    rule: String,
    /// The rule's category.
    category: String,
    /// The action: drop-line, drop-span, replace, drop-rest, drop-head, drop-block, meta
    /// or normalize.
    action: String,
    /// The 1-based raw line the edit starts on.
    line: usize,
    /// Byte offset in `Result.raw` (UTF-8) where the edit starts.
    start: usize,
    /// Byte offset where it ends (exclusive).
    end: usize,
    /// The text removed (its beginning when `truncated`).
    text: String,
    /// `text` is only the beginning of what was removed.
    truncated: bool,
    /// The text put in its place, if any.
    replacement: Option<String>,
    /// Why a built-in stage removed the text, when it says.
    reason: Option<String>,
}

impl From<&rinse_engine::Edit> for Edit {
    fn from(e: &rinse_engine::Edit) -> Edit {
        Edit {
            rule: e.rule.clone(),
            category: e.category.clone(),
            action: e.action.as_str().to_string(),
            line: e.line,
            start: e.start,
            end: e.end,
            text: e.removed.clone(),
            truncated: e.truncated,
            replacement: e.replacement.clone(),
            reason: e.reason.clone(),
        }
    }
}

#[pymethods]
impl Edit {
    /// `(start, end)`: the byte span in `Result.raw`.
    #[getter]
    fn span(&self) -> (usize, usize) {
        (self.start, self.end)
    }

    fn __repr__(&self) -> String {
        format!(
            "<rinse.Edit {} [{}] {} line {} {}..{} {:?}>",
            self.rule, self.category, self.action, self.line, self.start, self.end, self.text
        )
    }
}

/// What `clean_many` keeps between calls: results of the last round, in order, with the
/// error of a document that failed in its place.
type Slot = Result<Py<PyAny>, PyErr>;

/// Results of `Cleaner.clean_many`, in input order.
#[pyclass(frozen, module = "rinse")]
struct ResultIter {
    items: Py<PyIterator>,
    cfg: Arc<Config>,
    opts: Options,
    pool: Option<Arc<rayon::ThreadPool>>,
    window: usize,
    buf: Mutex<VecDeque<Slot>>,
    return_exceptions: bool,
}

fn busy() -> PyErr {
    PyRuntimeError::new_err("this iterator is already being advanced by another thread")
}

#[pymethods]
impl ResultIter {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        // Never wait for the lock with the GIL held: the holder may be cleaning without it.
        let mut buf = self.buf.try_lock().map_err(|_| busy())?;
        if buf.is_empty() {
            let mut jobs = Vec::new();
            let mut sources = Vec::new();
            let mut items = self.items.bind(py).clone();
            for _ in 0..self.window {
                let Some(item) = items.next() else {
                    break;
                };
                let item = item?;
                let job = job_of(&item, None, None, false)?;
                sources.push(Source::of(&item, &job));
                jobs.push(job);
            }
            if jobs.is_empty() {
                return Ok(None);
            }
            let (cfg, opts) = (&self.cfg, &self.opts);
            let pool = self.pool.as_deref();
            let done = py.detach(|| map_ordered(pool, jobs, |j| clean_job(cfg, opts, j)));
            for (d, source) in done.into_iter().zip(sources) {
                buf.push_back(match d {
                    Ok(d) => Py::new(
                        py,
                        CleanResult::new(d, self.cfg.clone(), source, self.opts.body_format),
                    )
                    .map(Py::into_any),
                    Err(f) => {
                        let e = failure_err(f);
                        if self.return_exceptions {
                            Ok(e.into_value(py).into_any())
                        } else {
                            Err(e)
                        }
                    }
                });
            }
        }
        match buf.pop_front() {
            Some(Ok(x)) => Ok(Some(x)),
            Some(Err(e)) => Err(e),
            None => Ok(None),
        }
    }
}

/// Output lines of `Cleaner.clean_jsonl`, in input order.
#[pyclass(frozen, module = "rinse")]
struct LineIter {
    lines: Py<PyIterator>,
    cfg: Arc<Config>,
    opts: Options,
    pool: Option<Arc<rayon::ThreadPool>>,
    window: usize,
    name: String,
    /// Lines ready, and the number of the last input line read so far (`first_line - 1`
    /// at first; line numbers go on across rounds).
    state: Mutex<(VecDeque<String>, u64)>,
}

#[pymethods]
impl LineIter {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<String>> {
        let mut state = self.state.try_lock().map_err(|_| busy())?;
        let (ready, read) = &mut *state;
        while ready.is_empty() {
            let mut chunk: Vec<u8> = Vec::new();
            let mut lines = self.lines.bind(py).clone();
            let mut n = 0;
            for _ in 0..self.window {
                let Some(item) = lines.next() else {
                    break;
                };
                let item = item?;
                if let Ok(b) = item.cast::<PyBytes>() {
                    chunk.extend_from_slice(b.as_bytes());
                } else if let Ok(s) = item.cast::<PyString>() {
                    chunk.extend_from_slice(s.to_cow()?.as_bytes());
                } else {
                    return Err(PyTypeError::new_err(format!(
                        "expected str or bytes lines, got {}",
                        item.get_type().name()?
                    )));
                }
                if chunk.last() != Some(&b'\n') {
                    chunk.push(b'\n');
                }
                n += 1;
            }
            if n == 0 {
                return Ok(None);
            }
            // Lines inside an item count too, as they would in a file.
            let base = *read;
            *read += chunk.iter().filter(|&&b| b == b'\n').count() as u64;
            let (cfg, opts, name) = (&self.cfg, &self.opts, self.name.as_str());
            let pool = self.pool.as_deref();
            let out = py.detach(|| {
                let units: Vec<Unit> =
                    stream::units(Box::new(std::io::Cursor::new(chunk)), Format::Jsonl, opts)
                        .map(|mut u| {
                            if let Unit::Line(l) = &mut u {
                                l.number += base;
                            }
                            u
                        })
                        .collect();
                map_ordered(pool, units, |u| {
                    run_job(
                        cfg,
                        opts,
                        Job {
                            data: Data::Record(u, name.to_string()),
                            name: None,
                            url: None,
                        },
                    )
                })
            });
            for r in out {
                match r {
                    Ok(r) => ready.extend(r.line),
                    Err(f) => return Err(failure_err(f)),
                }
            }
        }
        Ok(ready.pop_front())
    }
}

/// One record of a JSON Lines, WARC or WET file, as `read_records` yields it; clean it
/// with `Cleaner.clean` or `clean_many` to get what `rinse clean FILE` gives for it.
#[pyclass(frozen, module = "rinse")]
struct Record {
    unit: Unit,
    file: String,
    fields: Fields,
}

impl Record {
    fn info(&self) -> single::RecordInfo<'_> {
        single::record_info(&self.unit, &self.fields)
    }
}

#[pymethods]
impl Record {
    /// The record's name as `rinse clean` shows it: `FILE:LINE` or `FILE@OFFSET`.
    #[getter]
    fn name(&self) -> String {
        let i = self.info();
        format!(
            "{}{}{}",
            self.file,
            if i.is_offset { '@' } else { ':' },
            i.position
        )
    }

    /// The line number (JSON Lines) or byte offset (WARC) of the record.
    #[getter]
    fn position(&self) -> u64 {
        self.info().position
    }

    /// The record's id (`id` field, `WARC-Record-ID`).
    #[getter]
    fn id(&self) -> Option<String> {
        self.info().id.map(str::to_string)
    }

    /// The page URL (`url` field, `WARC-Target-URI`).
    #[getter]
    fn url(&self) -> Option<String> {
        self.info().url.map(str::to_string)
    }

    /// "html" or "text", as the record says.
    #[getter]
    fn format(&self) -> Option<&'static str> {
        self.info().format.map(|f| f.as_str())
    }

    /// The document: `str` for JSON Lines, `bytes` for WARC payloads; `None` for a record
    /// that could not be read (see `error`).
    #[getter]
    fn data<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyAny>> {
        match self.info().content? {
            Content::Text(t) => Some(PyString::new(py, t).into_any()),
            Content::Bytes(b) => Some(PyBytes::new(py, b).into_any()),
        }
    }

    /// The record's fields: a JSON Lines object's own, or those `rinse clean` gives a WARC
    /// record (url, id, warc_type, warc_offset).
    #[getter]
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &Value::Object(self.info().fields))
    }

    /// Why the record holds no document to clean, if so.
    #[getter]
    fn error(&self) -> Option<String> {
        self.info().error.map(|e| e.into_owned())
    }

    fn __repr__(&self) -> String {
        let i = self.info();
        match i.error {
            Some(e) => format!("<rinse.Record {} error: {e}>", self.name()),
            None => format!(
                "<rinse.Record {} {} id={:?}>",
                self.name(),
                i.format.map_or("?", |f| f.as_str()),
                i.id
            ),
        }
    }
}

/// Records of one stream file, read lazily.
#[pyclass(frozen, module = "rinse")]
struct RecordIter {
    units: Mutex<Box<dyn Iterator<Item = Unit> + Send>>,
    file: String,
    fields: Fields,
}

#[pymethods]
impl RecordIter {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Record>> {
        let mut units = self.units.try_lock().map_err(|_| busy())?;
        loop {
            let it: &mut Box<dyn Iterator<Item = Unit> + Send> = &mut units;
            // A reader that panics on a damaged stream is a bug, raised as one.
            let next = py
                .detach(move || catch_unwind(AssertUnwindSafe(|| it.next())))
                .map_err(|_| {
                    RinseError::new_err(format!(
                        "internal error while reading {} (a bug in rinse; please report it)",
                        self.file
                    ))
                })?;
            let Some(unit) = next else {
                return Ok(None);
            };
            // WARC requests, metadata and images give no output record: not records here.
            if single::record_info(&unit, &self.fields).is_document {
                return Ok(Some(Record {
                    unit,
                    file: self.file.clone(),
                    fields: self.fields.clone(),
                }));
            }
        }
    }
}

/// Reads the records of a JSON Lines (`.jsonl`, `.ndjson`), WARC or WET file (`.gz` and
/// `.zst` decompressed), one at a time: the records `rinse clean FILE` cleans. A file of
/// another name is sniffed by its first bytes. Lines that hold no record are yielded with
/// `error` set, as the command line passes them through.
#[pyfunction]
#[pyo3(signature = (path, *, max_bytes=DEFAULT_MAX_BYTES, text_field="text", html_field="html", id_field="id", url_field="url"))]
fn read_records(
    py: Python<'_>,
    path: PathBuf,
    max_bytes: u64,
    text_field: &str,
    html_field: &str,
    id_field: &str,
    url_field: &str,
) -> PyResult<RecordIter> {
    let name = path.file_name().unwrap_or_default().to_os_string();
    let mut opts = Options::new(Vec::new(), Output::Memory);
    opts.decode.max_bytes = Some(max_bytes);
    opts.records.fields = Fields {
        text: text_field.into(),
        html: html_field.into(),
        id: id_field.into(),
        url: url_field.into(),
    };
    let (input, format) = py.detach(|| -> std::io::Result<_> {
        let mut input = stream::open_members(&path)?;
        let format = match rinse_pipeline::walk::classify(&name, Format::Auto) {
            Format::Document => stream::sniff(std::io::BufRead::fill_buf(&mut input.0)?),
            f => f,
        };
        Ok((input, format))
    })?;
    if format == Format::Document {
        return Err(InputError::new_err(format!(
            "{}: not a record stream (JSON Lines, WARC or WET)",
            path.display()
        )));
    }
    Ok(RecordIter {
        units: Mutex::new(stream::units_placed(input, format, &opts)),
        file: rinse_pipeline::walk::display_path(std::path::Path::new(&name)),
        fields: opts.records.fields,
    })
}

/// The default rule set, compiled on first use by `rinse.clean`.
fn default_config(py: Python<'_>) -> PyResult<Arc<Config>> {
    static DEFAULT: OnceLock<Arc<Config>> = OnceLock::new();
    if let Some(c) = DEFAULT.get() {
        return Ok(c.clone());
    }
    let c = Cleaner::new(
        py,
        None,
        true,
        None,
        DEFAULT_MAX_BYTES,
        "text",
        "html",
        "id",
        "url",
        "rinse",
        "full",
    )?;
    Ok(DEFAULT.get_or_init(|| c.cfg).clone())
}

/// Cleans one document and returns a `Result`.
///
/// `data` is `bytes` (decoded as rinse decodes files: BOM, declared charset, UTF-8, or
/// detection among GBK/GB18030/Big5/...), `str` (already text: not decoded), or a `Record`
/// from `read_records`. `name` is used as a file name is: `.html`/`.htm` make the data a
/// page, and it is the provenance's `source.path` (`-`, as for standard input, when
/// omitted). `url` is the page's address (site rules scope by host). `rules` is a rule file
/// or folder layered over the defaults (compiled on every call: build a `Cleaner` to reuse
/// one). `format` is "text", "markdown" or "json".
#[pyfunction]
#[pyo3(signature = (data, *, name=None, url=None, rules=None, format="text"))]
fn clean(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    name: Option<String>,
    url: Option<String>,
    rules: Option<&Bound<'_, PyAny>>,
    format: &str,
) -> PyResult<CleanResult> {
    let format = body_format(format)?;
    let cfg = match rules {
        Some(r) if !r.is_none() => {
            Cleaner::new(
                py,
                Some(r),
                true,
                None,
                DEFAULT_MAX_BYTES,
                "text",
                "html",
                "id",
                "url",
                "rinse",
                "full",
            )?
            .cfg
        }
        _ => default_config(py)?,
    };
    clean_one(py, &cfg, data, name, url, format)
}

/// rinse: clean scraped web articles into article bodies, with provenance for every edit.
#[pymodule]
#[pyo3(name = "rinse")]
fn rinse_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add(
        "ENGINE",
        rinse_engine::provenance::EngineInfo::current().engine,
    )?;
    m.add("RinseError", py.get_type::<RinseError>())?;
    m.add("RulesError", py.get_type::<RulesError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add_class::<Cleaner>()?;
    m.add_class::<CleanResult>()?;
    m.add_class::<Edit>()?;
    m.add_class::<Record>()?;
    m.add_class::<ResultIter>()?;
    m.add_class::<LineIter>()?;
    m.add_class::<RecordIter>()?;
    m.add_function(wrap_pyfunction!(clean, m)?)?;
    m.add_function(wrap_pyfunction!(read_records, m)?)?;
    Ok(())
}
