//! How every command reads its inputs: one set of options turned into the pipeline's
//! [`Options`], so that `clean`, `diff`, `explain`, `stats` and `watch` see the same
//! documents the same way (walking, sidecar URLs, size cap, records, WARC, standard input).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use rinse::batch::{Format, Options, Output, WalkOptions};
use rinse::input::DecodeOptions;

/// `--format`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// By name: .jsonl/.ndjson are JSON Lines, .warc/.wet are WARC (maybe .gz/.zst); other
    /// files are documents. Standard input is sniffed: WARC, JSON Lines, or one document.
    Auto,
    /// Every input is one document (text or HTML).
    Document,
    /// Every input is JSON Lines.
    Jsonl,
    /// Every input is WARC/WET.
    Warc,
}

/// Options that say how inputs are read; the same for every command.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Reading inputs")]
pub struct ReadArgs {
    /// Worker threads (default: all cores). Output is identical for any number.
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// How to read inputs.
    #[arg(long, value_enum, default_value_t = FormatArg::Auto, value_name = "FORMAT")]
    pub format: FormatArg,
    /// Decode every input with this encoding instead of detecting it (e.g. gbk, big5, utf-16le).
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// Skip inputs (and records) larger than this many bytes (a skipped input is reported
    /// by name and makes the exit status 1).
    #[arg(long, value_name = "BYTES", default_value_t = 64 * 1024 * 1024)]
    pub max_bytes: u64,
    /// Memory the documents being cleaned may use together (each document's peak is
    /// estimated from its size and shape before it starts; one that would exceed this
    /// fails alone). Default: half the address-space limit, or the cgroup limit or the
    /// machine's memory less 512 MB.
    #[arg(long, value_name = "BYTES")]
    pub max_memory: Option<u64>,
    /// Also read hidden files and folders.
    #[arg(long)]
    pub hidden: bool,
    /// Do not skip files that .gitignore / .ignore files exclude.
    #[arg(long)]
    pub no_ignore: bool,
    /// Only read files matching this glob; `!GLOB` excludes. Repeatable.
    #[arg(short, long = "glob", value_name = "GLOB")]
    pub globs: Vec<String>,
    /// Follow symbolic links that lead outside an input folder (reported and skipped
    /// otherwise).
    #[arg(short = 'L', long)]
    pub follow: bool,
    /// JSON Lines field with plain text.
    #[arg(long, value_name = "NAME", default_value = "text")]
    pub text_field: String,
    /// JSON Lines field with HTML (used when present, before the text field).
    #[arg(long, value_name = "NAME", default_value = "html")]
    pub html_field: String,
    /// JSON Lines field with the record id (shown in messages).
    #[arg(long, value_name = "NAME", default_value = "id")]
    pub id_field: String,
    /// JSON Lines field with the page URL (site scopes use it).
    #[arg(long, value_name = "NAME", default_value = "url")]
    pub url_field: String,
}

impl ReadArgs {
    /// Pipeline options reading `inputs` this way into `output`.
    pub fn options(&self, inputs: Vec<PathBuf>, output: Output) -> Result<Options, String> {
        let encoding = match &self.encoding {
            None => None,
            Some(l) => Some(
                encoding_rs::Encoding::for_label(l.as_bytes()).ok_or_else(|| {
                    format!(
                    "error: unknown encoding label `{l}` (try utf-8, gbk, gb18030, big5, utf-16le)"
                )
                })?,
            ),
        };
        let mut opts = Options::new(inputs, output);
        opts.jobs = self.jobs;
        opts.max_memory = self.max_memory;
        opts.decode = DecodeOptions {
            encoding,
            max_bytes: Some(self.max_bytes),
        };
        opts.walk = WalkOptions {
            hidden: self.hidden,
            no_ignore: self.no_ignore,
            globs: self.globs.clone(),
            follow: self.follow,
        };
        opts.format = match self.format {
            FormatArg::Auto => Format::Auto,
            FormatArg::Document => Format::Document,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Warc => Format::Warc,
        };
        opts.records.fields = rinse::input::jsonl::Fields {
            text: self.text_field.clone(),
            html: self.html_field.clone(),
            id: self.id_field.clone(),
            url: self.url_field.clone(),
        };
        Ok(opts)
    }
}

/// A progress bar on standard error, only when it is a terminal and nothing else is
/// printed there.
pub fn show_progress(quiet: bool) -> bool {
    !quiet && std::io::stderr().is_terminal()
}

/// What a view run saw besides the documents it was given.
#[derive(Debug, Default)]
pub struct ViewCounts {
    /// Documents cleaned (given to the view).
    pub documents: usize,
    /// Inputs or records skipped (binary, too large, not a regular file).
    pub skipped: usize,
    /// Inputs or records that failed.
    pub failed: usize,
}

impl ViewCounts {
    /// `, 2 skipped, 1 failed` (empty when nothing was).
    pub fn problems(&self) -> String {
        let mut s = String::new();
        if self.skipped > 0 {
            s.push_str(&format!(", {} skipped", self.skipped));
        }
        if self.failed > 0 {
            s.push_str(&format!(", {} failed", self.failed));
        }
        s
    }
}

/// How a view names a document.
pub struct DocName {
    /// Under the path the user typed (see [`as_given`]).
    pub shown: String,
    /// Relative to its input, as `clean` names it (`001.txt`, `crawl.jsonl:3`).
    pub relative: String,
}

/// A document's name as the user gave its input: the pipeline names documents relative to
/// their input (`001.txt`, `crawl.jsonl:3`); views show them under the path typed
/// (`seeds/001.txt`, `data/crawl.jsonl:3`), like `rg` shows matches.
fn as_given(input: &Path, display: &str) -> String {
    if input.as_os_str() == "-" {
        return display.to_string();
    }
    let given = input.display().to_string();
    if input.is_dir() {
        return match given.trim_end_matches('/') {
            "" => format!("/{display}"),
            "." => display.to_string(),
            dir => format!("{dir}/{display}"),
        };
    }
    let name = input
        .file_name()
        .map(rinse::batch::walk::display_name)
        .unwrap_or_default();
    match display.strip_prefix(&name) {
        Some(rest) => format!("{given}{rest}"),
        None => display.to_string(),
    }
}

/// Runs the document pipeline on `opts` in memory (nothing written) and gives every cleaned
/// document to `view` in input order, with its name (see [`as_given`]; `FILE:LINE` for a
/// JSON Lines record, `FILE@OFFSET` for a WARC record, `-` for standard input). Problems
/// are printed on standard error as they happen, like `clean` prints them. `view`
/// returning false stops early.
pub fn for_each_document(
    cleaner: &rinse::Cleaner,
    opts: Options,
    mut view: impl FnMut(&DocName, &rinse::batch::Processed) -> Result<bool, String>,
) -> Result<ViewCounts, String> {
    use rinse::batch::{terminal_safe, Outcome};
    let mut counts = ViewCounts::default();
    let mut error = None;
    let mut stop = false;
    // One run per input, so that each document is named under the path typed for it.
    for input in &opts.inputs {
        let mut one = opts.clone();
        one.inputs = vec![input.clone()];
        one.output = Output::Memory;
        rinse::batch::run(cleaner, &one, &mut |f| {
            if stop {
                return;
            }
            let name = DocName {
                shown: as_given(input, &f.path),
                relative: f.path.clone(),
            };
            match (&f.outcome, f.processed.as_deref()) {
                (Outcome::Cleaned { .. }, Some(p)) => {
                    counts.documents += 1;
                    match view(&name, p) {
                        Ok(true) => {}
                        Ok(false) => stop = true,
                        Err(e) => {
                            error.get_or_insert(e);
                            stop = true;
                        }
                    }
                }
                (Outcome::Skipped(why), _) => {
                    counts.skipped += 1;
                    eprintln!(
                        "skipped {}: {}",
                        terminal_safe(&name.shown),
                        terminal_safe(why)
                    );
                }
                (Outcome::Failed(why), _) => {
                    counts.failed += 1;
                    eprintln!(
                        "FAILED {}: {}",
                        terminal_safe(&name.shown),
                        terminal_safe(why)
                    );
                }
                _ => {}
            }
        })
        .map_err(|e| format!("error: {e}"))?;
        if stop {
            break;
        }
    }
    match error {
        Some(e) => Err(e),
        None => Ok(counts),
    }
}
