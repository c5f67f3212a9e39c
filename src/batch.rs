//! Cleaning a folder: walking it, cleaning files in parallel, writing outputs atomically,
//! and summarising the run. This is the only module of the library that touches files.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::engine::Cleaner;
use crate::input::{self, DecodeOptions, InputError};
use crate::provenance::Provenance;

/// What to clean and where to put it.
#[derive(Debug, Clone)]
pub struct Options {
    /// A folder (walked recursively) or a single file.
    pub input: PathBuf,
    /// Output folder; `None` cleans without writing (a dry run, used by `--check`).
    pub output: Option<PathBuf>,
    /// Worker threads; `None` uses every core.
    pub jobs: Option<usize>,
    /// Show a progress bar (the CLI turns it on only on a terminal).
    pub progress: bool,
    /// Decoding options.
    pub decode: DecodeOptions,
    /// Allow the output folder to be inside the input folder.
    pub allow_output_in_input: bool,
}

/// How one input file ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Cleaned; outputs written (unless a dry run).
    Cleaned {
        /// Relative path of the body written.
        output: String,
        /// Characters in / out.
        chars_in: usize,
        /// Characters in the body.
        chars_out: usize,
        /// Removed characters by category.
        removed: BTreeMap<String, usize>,
    },
    /// Not text, or too large: skipped with the reason.
    Skipped(String),
    /// Reading or writing failed.
    Failed(String),
}

/// One input file's result.
#[derive(Debug, Clone)]
pub struct FileResult {
    /// Path relative to the input (display form, `/` separators).
    pub path: String,
    /// Raw size in bytes (0 when unreadable).
    pub bytes: u64,
    /// What happened.
    pub outcome: Outcome,
    /// The cleaned body, kept only in dry runs (for `--check`).
    pub body: Option<String>,
    /// The provenance JSON, kept only in dry runs.
    pub provenance: Option<String>,
    /// Problems that did not stop the file from being cleaned (invalid byte sequences).
    pub warnings: Vec<String>,
}

/// The whole run.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Per file, sorted by path.
    pub files: Vec<FileResult>,
    /// Wall time.
    pub elapsed: Duration,
    /// Threads used.
    pub jobs: usize,
    /// The run was interrupted (Ctrl-C) before every file was done.
    pub interrupted: bool,
}

/// Errors that stop a run before any file is cleaned.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// The input folder or file cannot be read.
    #[error("input {0}: {1}")]
    Input(PathBuf, std::io::Error),
    /// The output folder is inside the input folder (and that was not allowed).
    #[error("output folder {out} is inside the input folder {input}; its files would be read back as inputs on the next run. Choose another -o, or pass --allow-output-in-input")]
    OutputInsideInput {
        /// The output folder.
        out: PathBuf,
        /// The input folder.
        input: PathBuf,
    },
    /// The output folder cannot be created or written to.
    #[error("output folder {0}: {1}")]
    Output(PathBuf, std::io::Error),
    /// The worker threads could not be started.
    #[error("thread pool: {0}")]
    Pool(String),
}

/// Set by a Ctrl-C handler: workers stop taking new files; files in progress finish.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Temporary files being written right now; a second Ctrl-C removes them before exiting.
static IN_FLIGHT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Installs a Ctrl-C (SIGINT/SIGTERM) handler for a batch run. The first signal sets
/// [`INTERRUPTED`]: no new file is started, files in progress are finished and written
/// atomically, and [`run`] returns a summary marked interrupted. A second signal removes
/// the temporary files being written and exits at once with status 130. Either way no
/// half-written output file is left behind. Installing twice is an error from `ctrlc`.
pub fn install_interrupt_handler() -> Result<(), String> {
    ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            remove_in_flight();
            eprintln!("interrupted twice: stopped; temporary files removed");
            std::process::exit(130);
        }
        eprintln!("interrupted: finishing the files in progress (Ctrl-C again to stop now)");
    })
    .map_err(|e| format!("cannot install the Ctrl-C handler: {e}"))
}

fn remove_in_flight() {
    let list = match IN_FLIGHT.lock() {
        Ok(l) => l,
        Err(poisoned) => poisoned.into_inner(),
    };
    for p in list.iter() {
        let _ = std::fs::remove_file(p);
    }
}

fn track(path: &Path, on: bool) {
    let mut list = match IN_FLIGHT.lock() {
        Ok(l) => l,
        Err(poisoned) => poisoned.into_inner(),
    };
    if on {
        list.push(path.to_path_buf());
    } else if let Some(i) = list.iter().position(|p| p == path) {
        list.swap_remove(i);
    }
}

/// The extension of sidecar files holding a page URL (`page.html.url` or `page.url`
/// next to `page.html`). Sidecars are never inputs themselves.
pub const URL_SIDECAR_EXT: &str = "url";

fn is_sidecar(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == URL_SIDECAR_EXT)
}

/// The page URL from a sidecar file next to `abs`: `NAME.EXT.url` first, then `NAME.url`.
/// The first non-blank line of the sidecar is the URL.
pub fn sidecar_url(abs: &Path) -> Option<String> {
    let mut with_ext = abs.as_os_str().to_os_string();
    with_ext.push(".");
    with_ext.push(URL_SIDECAR_EXT);
    let candidates = [PathBuf::from(with_ext), abs.with_extension(URL_SIDECAR_EXT)];
    for c in candidates {
        if c == abs {
            continue;
        }
        if let Ok(text) = std::fs::read_to_string(&c) {
            if let Some(line) = text.lines().map(str::trim).find(|l| !l.is_empty()) {
                return Some(line.to_string());
            }
        }
    }
    None
}

/// One input found by the walk (or a walk error to report).
#[derive(Debug)]
enum Entry {
    File { abs: PathBuf, rel: String },
    Error { rel: String, cause: String },
}

fn rel_display(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn walk(input: &Path) -> Vec<Entry> {
    if input.is_file() {
        let rel = input
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        return vec![Entry::File {
            abs: input.to_path_buf(),
            rel,
        }];
    }
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(input)
        .follow_links(true)
        .sort_by_file_name()
    {
        match e {
            Ok(e) if e.file_type().is_file() && !is_sidecar(e.path()) => {
                let rel = rel_display(e.path().strip_prefix(input).unwrap_or(e.path()));
                out.push(Entry::File {
                    abs: e.path().to_path_buf(),
                    rel,
                });
            }
            Ok(_) => {}
            Err(err) => {
                let rel = err
                    .path()
                    .map(|p| rel_display(p.strip_prefix(input).unwrap_or(p)))
                    .unwrap_or_else(|| "?".into());
                let cause = if err.loop_ancestor().is_some() {
                    "symbolic link loop; not followed".to_string()
                } else {
                    err.io_error()
                        .map_or_else(|| err.to_string(), |io| io.to_string())
                };
                out.push(Entry::Error { rel, cause });
            }
        }
    }
    out
}

/// Output body path for an input's relative path: same folders, extension `.txt`.
pub fn output_rel(rel: &str) -> String {
    let p = Path::new(rel);
    let stem = p
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| rel.to_string());
    match p.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => format!("{}/{stem}.txt", rel_display(d)),
        None => format!("{stem}.txt"),
    }
}

/// Writes `data` to `path` atomically: a temporary file in the same folder, then rename.
/// A crash leaves either the old file or the new one, never half of one.
pub fn write_atomic(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".rinse-tmp-")
        .tempfile_in(dir)?;
    let tmp_path = tmp.path().to_path_buf();
    track(&tmp_path, true);
    let result = tmp.write_all(data).and_then(|_| {
        tmp.as_file().sync_data().ok();
        tmp.persist(path).map(|_| ()).map_err(|e| e.error)
    });
    track(&tmp_path, false);
    result
}

fn process(cleaner: &Cleaner, opts: &Options, abs: &Path, rel: &str, out_rel: &str) -> FileResult {
    let mut result = FileResult {
        path: rel.to_string(),
        bytes: 0,
        outcome: Outcome::Failed(String::new()),
        body: None,
        provenance: None,
        warnings: Vec::new(),
    };
    // The size cap is checked before reading, so an oversized file costs no memory.
    match std::fs::metadata(abs) {
        Ok(m) => {
            result.bytes = m.len();
            if let Err(e) = input::check_size(m.len(), &opts.decode) {
                result.outcome = Outcome::Skipped(e.to_string());
                return result;
            }
        }
        Err(e) => {
            result.outcome = Outcome::Failed(format!("cannot read: {e}"));
            return result;
        }
    }
    let bytes = match std::fs::read(abs) {
        Ok(b) => b,
        Err(e) => {
            result.outcome = Outcome::Failed(format!("cannot read: {e}"));
            return result;
        }
    };
    result.bytes = bytes.len() as u64;
    let url = sidecar_url(abs);
    let doc = match input::decode_hinted(&bytes, rel, &opts.decode, url.as_deref(), None) {
        Ok(d) => d,
        Err(e @ (InputError::Binary(_) | InputError::TooLarge { .. })) => {
            result.outcome = Outcome::Skipped(e.to_string());
            return result;
        }
    };
    drop(bytes);
    if doc.source.replacement_chars > 0 {
        result.warnings.push(format!(
            "{} invalid byte sequence(s) replaced by U+FFFD while decoding as {}",
            doc.source.replacement_chars, doc.source.encoding
        ));
    }
    let cleaned = match cleaner.clean(&doc) {
        Ok(c) => c,
        Err(e) => {
            result.outcome = Outcome::Failed(e.to_string());
            return result;
        }
    };
    let prov = Provenance::new(&doc, &cleaned, cleaner.ruleset()).to_json();
    if let Some(out) = &opts.output {
        let body_path = out.join(out_rel);
        let json_path = body_path.with_extension("json");
        let written = write_atomic(&json_path, prov.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", json_path.display()))
            .and_then(|_| {
                write_atomic(&body_path, cleaned.body.as_bytes())
                    .map_err(|e| format!("cannot write {}: {e}", body_path.display()))
            });
        if let Err(e) = written {
            result.outcome = Outcome::Failed(e);
            return result;
        }
    } else {
        result.body = Some(cleaned.body.clone());
        result.provenance = Some(prov);
    }
    result.outcome = Outcome::Cleaned {
        output: out_rel.to_string(),
        chars_in: cleaned.stats.chars_in,
        chars_out: cleaned.stats.chars_out,
        removed: cleaned.stats.removed_chars,
    };
    result
}

fn is_inside(inner: &Path, outer: &Path) -> bool {
    // The output may not exist yet: resolve its nearest existing ancestor.
    let mut probe = inner.to_path_buf();
    let mut tail = Vec::new();
    while !probe.exists() {
        match (probe.file_name(), probe.parent()) {
            (Some(n), Some(p)) => {
                tail.push(n.to_os_string());
                probe = p.to_path_buf();
            }
            _ => break,
        }
        if probe.as_os_str().is_empty() {
            probe = PathBuf::from(".");
        }
    }
    let (Ok(mut inner), Ok(outer)) = (probe.canonicalize(), outer.canonicalize()) else {
        return false;
    };
    for t in tail.into_iter().rev() {
        inner.push(t);
    }
    inner.starts_with(outer)
}

/// Cleans every file under `opts.input`. Files that fail are reported in the summary;
/// they never stop the others.
pub fn run(cleaner: &Cleaner, opts: &Options) -> Result<Summary, BatchError> {
    let start = Instant::now();
    std::fs::metadata(&opts.input).map_err(|e| BatchError::Input(opts.input.clone(), e))?;
    if let Some(out) = &opts.output {
        if opts.input.is_dir() && !opts.allow_output_in_input && is_inside(out, &opts.input) {
            return Err(BatchError::OutputInsideInput {
                out: out.clone(),
                input: opts.input.clone(),
            });
        }
        std::fs::create_dir_all(out).map_err(|e| BatchError::Output(out.clone(), e))?;
        // Fail once, up front, rather than once per file.
        tempfile::Builder::new()
            .prefix(".rinse-tmp-")
            .tempfile_in(out)
            .map_err(|e| {
                BatchError::Output(
                    out.clone(),
                    std::io::Error::new(e.kind(), format!("not writable: {e}")),
                )
            })?;
    }
    let entries = walk(&opts.input);
    // Two inputs may map to one output (`a.txt`, `a.html`): the first (by path) wins.
    let mut claimed = std::collections::HashSet::new();
    let planned: Vec<(usize, Option<String>)> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| match e {
            Entry::File { rel, .. } => {
                let o = output_rel(rel);
                (i, claimed.insert(o.clone()).then_some(o))
            }
            Entry::Error { .. } => (i, None),
        })
        .collect();

    let jobs = opts
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
        .map_err(|e| BatchError::Pool(e.to_string()))?;
    let bar = if opts.progress {
        let b =
            ProgressBar::with_draw_target(Some(entries.len() as u64), ProgressDrawTarget::stderr());
        b.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files  {per_sec}  eta {eta}",
            )
            .expect("valid template"),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let files: Vec<FileResult> = pool.install(|| {
        planned
            .par_iter()
            .map(|(i, out_rel)| {
                let r = match (&entries[*i], out_rel) {
                    (Entry::Error { rel, cause }, _) => FileResult {
                        path: rel.clone(),
                        bytes: 0,
                        outcome: Outcome::Failed(cause.clone()),
                        body: None,
                        provenance: None,
                        warnings: Vec::new(),
                    },
                    (Entry::File { rel, .. }, None) => FileResult {
                        path: rel.clone(),
                        bytes: 0,
                        outcome: Outcome::Failed(format!(
                            "its output {} is already taken by another input with the same name",
                            output_rel(rel)
                        )),
                        body: None,
                        provenance: None,
                        warnings: Vec::new(),
                    },
                    (Entry::File { abs, rel }, Some(o)) => {
                        if INTERRUPTED.load(Ordering::Relaxed) {
                            FileResult {
                                path: rel.clone(),
                                bytes: 0,
                                outcome: Outcome::Failed(
                                    "interrupted before it was cleaned".into(),
                                ),
                                body: None,
                                provenance: None,
                                warnings: Vec::new(),
                            }
                        } else {
                            process(cleaner, opts, abs, rel, o)
                        }
                    }
                };
                bar.inc(1);
                r
            })
            .collect()
    });
    bar.finish_and_clear();
    Ok(Summary {
        files,
        elapsed: start.elapsed(),
        jobs,
        interrupted: INTERRUPTED.load(Ordering::Relaxed),
    })
}

impl Summary {
    /// Files that failed, with their causes.
    pub fn failures(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().filter_map(|f| match &f.outcome {
            Outcome::Failed(c) => Some((f.path.as_str(), c.as_str())),
            _ => None,
        })
    }

    /// Whether every file was cleaned without trouble: no failure, no skipped input
    /// (binary, too large), no decoding warning, no interruption. The CLI's exit
    /// status is non-zero otherwise, so a script notices bad input.
    pub fn ok(&self) -> bool {
        self.failures().next().is_none()
            && !self.interrupted
            && !self
                .files
                .iter()
                .any(|f| matches!(f.outcome, Outcome::Skipped(_)) || !f.warnings.is_empty())
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (mut cleaned, mut skipped, mut failed) = (0, 0, 0);
        let (mut bytes, mut cin, mut cout) = (0u64, 0usize, 0usize);
        let mut removed: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &self.files {
            bytes += r.bytes;
            match &r.outcome {
                Outcome::Cleaned {
                    chars_in,
                    chars_out,
                    removed: rm,
                    ..
                } => {
                    cleaned += 1;
                    cin += chars_in;
                    cout += chars_out;
                    for (k, v) in rm {
                        *removed.entry(k).or_default() += v;
                    }
                }
                Outcome::Skipped(_) => skipped += 1,
                Outcome::Failed(_) => failed += 1,
            }
        }
        let secs = self.elapsed.as_secs_f64();
        let mbps = if secs > 0.0 {
            bytes as f64 / 1e6 / secs
        } else {
            0.0
        };
        writeln!(
            f,
            "{} files: {cleaned} cleaned, {skipped} skipped, {failed} failed  |  {:.2} MB in {:.2}s ({mbps:.1} MB/s, {} threads)",
            self.files.len(),
            bytes as f64 / 1e6,
            secs,
            self.jobs
        )?;
        if cin > 0 {
            writeln!(
                f,
                "characters: {cin} in, {cout} out ({:.1}% kept)",
                100.0 * cout as f64 / cin as f64
            )?;
        }
        if !removed.is_empty() {
            let mut rows: Vec<_> = removed.into_iter().collect();
            rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            writeln!(f, "removed characters by category:")?;
            for (k, v) in rows {
                writeln!(f, "  {k:<20} {v:>9}")?;
            }
        }
        for r in &self.files {
            if let Outcome::Skipped(why) = &r.outcome {
                writeln!(f, "skipped {}: {why}", r.path)?;
            }
        }
        for r in &self.files {
            for w in &r.warnings {
                writeln!(f, "warning {}: {w}", r.path)?;
            }
        }
        for (p, why) in self.failures() {
            writeln!(f, "FAILED {p}: {why}")?;
        }
        if self.interrupted {
            writeln!(f, "interrupted: files not yet started were left alone")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Ruleset;

    fn opts(input: &Path, output: Option<PathBuf>) -> Options {
        Options {
            input: input.to_path_buf(),
            output,
            jobs: Some(1),
            progress: false,
            decode: DecodeOptions::default(),
            allow_output_in_input: false,
        }
    }

    #[test]
    fn file_deleted_after_listing_fails_with_its_cause() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("gone.txt");
        let cleaner = Cleaner::new(Ruleset::defaults());
        let r = process(
            &cleaner,
            &opts(dir.path(), None),
            &gone,
            "gone.txt",
            "gone.txt",
        );
        match r.outcome {
            Outcome::Failed(why) => assert!(why.starts_with("cannot read:"), "{why}"),
            o => panic!("{o:?}"),
        }
    }

    #[test]
    fn sidecar_url_is_read_and_not_an_input() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.html"), "<p>正文</p>").unwrap();
        std::fs::write(
            dir.path().join("a.html.url"),
            "\n https://news.example.cn/a \n",
        )
        .unwrap();
        std::fs::write(dir.path().join("b.txt"), "正文").unwrap();
        std::fs::write(dir.path().join("b.url"), "http://b.example.tw/").unwrap();
        assert_eq!(
            sidecar_url(&dir.path().join("a.html")).as_deref(),
            Some("https://news.example.cn/a")
        );
        assert_eq!(
            sidecar_url(&dir.path().join("b.txt")).as_deref(),
            Some("http://b.example.tw/")
        );
        let cleaner = Cleaner::new(Ruleset::defaults());
        let s = run(&cleaner, &opts(dir.path(), None)).unwrap();
        let paths: Vec<_> = s.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["a.html", "b.txt"]);
        let prov = s.files[0].provenance.as_deref().unwrap();
        assert!(
            prov.contains("\"url\": \"https://news.example.cn/a\""),
            "{prov}"
        );
    }

    #[test]
    fn write_atomic_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/x.txt");
        write_atomic(&p, b"abc").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"abc");
        let names: Vec<_> = std::fs::read_dir(dir.path().join("sub"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["x.txt"]);
        assert!(IN_FLIGHT.lock().unwrap().is_empty());
    }
}
