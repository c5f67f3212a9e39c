//! Terminal and file plumbing shared by the review commands (`diff`, `explain`, `stats`,
//! `clean --check`): colour choice, the pager, walking inputs and cleaning them in
//! parallel while keeping their order.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use clap::ValueEnum;
use rayon::prelude::*;
use rinse::input::{self, DecodeOptions};
use rinse::Document;

/// `--color`: when to use ANSI colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set (non-empty) or TERM is `dumb`.
    Auto,
    /// Always (e.g. piping into `less -R`).
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour standard output.
    pub fn enabled(self) -> bool {
        self.enabled_for(io::stdout().is_terminal())
    }

    /// Whether to colour standard error (rule diagnostics).
    pub fn enabled_stderr(self) -> bool {
        self.enabled_for(io::stderr().is_terminal())
    }

    fn enabled_for(self, terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var("TERM").map_or(true, |t| t != "dumb")
                    && terminal
            }
        }
    }
}

/// Standard output, possibly through a pager. Writing after the reader went away (the
/// user quit the pager, `| head`) reports [`Out::closed`] instead of an error.
pub struct Out {
    pager: Option<Child>,
    stdout: io::Stdout,
    closed: bool,
}

impl Out {
    /// Opens standard output; on a terminal and unless `no_pager`, pipes it through
    /// `$RINSE_PAGER`, `$PAGER` or `less` (with `LESS=FRX` when LESS is unset, so short
    /// output prints directly and colours pass through).
    pub fn open(no_pager: bool) -> Out {
        let mut out = Out {
            pager: None,
            stdout: io::stdout(),
            closed: false,
        };
        if no_pager || !io::stdout().is_terminal() {
            return out;
        }
        let cmd = std::env::var("RINSE_PAGER")
            .or_else(|_| std::env::var("PAGER"))
            .unwrap_or_else(|_| "less".to_string());
        if cmd.trim().is_empty() || cmd.trim() == "cat" {
            return out;
        }
        let mut c = Command::new("sh");
        c.arg("-c").arg(&cmd).stdin(Stdio::piped());
        if std::env::var_os("LESS").is_none() {
            c.env("LESS", "FRX");
        }
        out.pager = c.spawn().ok();
        out
    }

    /// Writes `s`; returns false once the reader has gone away.
    pub fn write(&mut self, s: &str) -> Result<bool, String> {
        if self.closed {
            return Ok(false);
        }
        let r = match self.pager.as_mut().and_then(|p| p.stdin.as_mut()) {
            Some(w) => w.write_all(s.as_bytes()),
            None => self.stdout.write_all(s.as_bytes()),
        };
        match r {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(false)
            }
            Err(e) => Err(format!("error: writing output: {e}")),
        }
    }

    /// Flushes and waits for the pager to exit.
    pub fn finish(mut self) {
        let _ = self.stdout.flush();
        if let Some(mut p) = self.pager.take() {
            drop(p.stdin.take());
            let _ = p.wait();
        }
    }
}

/// One input file: where it is and how to show its path.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// Path to read.
    pub path: PathBuf,
    /// Path relative to the input folder (`/` separators); the file name for a file input.
    pub rel: String,
    /// Path as shown to the user (the input as given, joined with `rel`).
    pub display: String,
}

/// Lists the files under `input` (a folder, walked recursively in name order, or a file).
pub fn list_inputs(input: &Path) -> Result<Vec<InputFile>, String> {
    let meta =
        std::fs::metadata(input).map_err(|e| format!("error: input {}: {e}", input.display()))?;
    if meta.is_file() {
        let rel = input
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        return Ok(vec![InputFile {
            path: input.to_path_buf(),
            rel,
            display: input.display().to_string(),
        }]);
    }
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(input)
        .follow_links(true)
        .sort_by_file_name()
    {
        match e {
            Ok(e) if e.file_type().is_file() => {
                let rel: Vec<String> = e
                    .path()
                    .strip_prefix(input)
                    .unwrap_or(e.path())
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().to_string())
                    .collect();
                let rel = rel.join("/");
                let base = input.display().to_string();
                let display = if base == "." {
                    rel.clone()
                } else {
                    format!("{}/{rel}", base.trim_end_matches('/'))
                };
                out.push(InputFile {
                    path: e.path().to_path_buf(),
                    rel,
                    display,
                });
            }
            Ok(_) => {}
            Err(err) => eprintln!("warning: {err}"),
        }
    }
    Ok(out)
}

/// Reads and decodes one input.
pub fn read_document(f: &InputFile) -> Result<Document, String> {
    let bytes = std::fs::read(&f.path).map_err(|e| e.to_string())?;
    input::decode(&bytes, &f.rel, &DecodeOptions::default()).map_err(|e| e.to_string())
}

/// Documents processed per parallel batch; results are emitted in input order.
const CHUNK: usize = 64;

/// Runs `work(index, file)` on every input in parallel (in chunks, so memory stays bounded) and feeds
/// the results to `sink` in input order. `sink` returning false stops early.
pub fn for_each_ordered<T: Send>(
    files: &[InputFile],
    work: impl Fn(usize, &InputFile) -> T + Sync,
    mut sink: impl FnMut(&InputFile, T) -> Result<bool, String>,
) -> Result<(), String> {
    for (c, chunk) in files.chunks(CHUNK).enumerate() {
        let results: Vec<T> = chunk
            .par_iter()
            .enumerate()
            .map(|(i, f)| work(c * CHUNK + i, f))
            .collect();
        for (f, r) in chunk.iter().zip(results) {
            if !sink(f, r)? {
                return Ok(());
            }
        }
    }
    Ok(())
}
