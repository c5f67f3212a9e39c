//! The run summary: running totals, so memory does not grow with the number of documents.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::Serialize;

use super::{FileResult, Outcome};
use crate::provenance::Quality;

/// How many flagged documents the summary keeps by name (the manifest has them all).
pub const FLAGGED_KEPT: usize = 50;

/// A document flagged for review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flagged {
    /// Display path.
    pub path: String,
    /// The flag.
    pub quality: Quality,
    /// Characters in.
    pub chars_in: usize,
    /// Characters out.
    pub chars_out: usize,
}

/// The whole run, as totals.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Documents seen (files and records), including those skipped, failed or not started.
    pub documents: u64,
    /// Cleaned and written.
    pub cleaned: u64,
    /// Skipped (binary, too large, FIFOs, links out of the tree, records with nothing to clean).
    pub skipped: u64,
    /// Failed (unreadable, unwritable, bad records, name collisions).
    pub failed: u64,
    /// Not started because the run was interrupted.
    pub not_started: u64,
    /// Documents cleaned with a warning (invalid bytes, NULs, mixed encodings).
    pub warned: u64,
    /// Raw bytes read.
    pub bytes: u64,
    /// Characters in, over cleaned documents.
    pub chars_in: u64,
    /// Characters out.
    pub chars_out: u64,
    /// Removed characters by category.
    pub removed: BTreeMap<String, u64>,
    /// Documents flagged [`Quality::RemovedMost`].
    pub removed_most: u64,
    /// Documents flagged [`Quality::KeptMost`].
    pub kept_most: u64,
    /// Documents flagged [`Quality::Garbled`].
    pub garbled: u64,
    /// Documents flagged for a doubtful extraction ([`Quality::ViewsDisagree`],
    /// [`Quality::Implausible`]).
    #[serde(default)]
    pub doubtful: u64,
    /// The first [`FLAGGED_KEPT`] flagged documents.
    pub flagged: Vec<Flagged>,
    /// Wall time.
    #[serde(serialize_with = "secs")]
    pub elapsed: Duration,
    /// Threads used.
    pub jobs: usize,
    /// The run was interrupted (Ctrl-C, SIGTERM) before every document was done.
    pub interrupted: bool,
    /// The records output was not written because the run was interrupted (it is written
    /// whole or not at all).
    pub discarded: bool,
}

fn secs<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((d.as_secs_f64() * 1000.0).round() / 1000.0)
}

impl Summary {
    /// Adds one document's result.
    pub fn add(&mut self, r: &FileResult) {
        self.documents += 1;
        self.bytes += r.bytes;
        if !r.warnings.is_empty() {
            self.warned += 1;
        }
        match &r.outcome {
            Outcome::Cleaned {
                chars_in,
                chars_out,
                removed,
                quality,
                ..
            } => {
                self.cleaned += 1;
                self.chars_in += *chars_in as u64;
                self.chars_out += *chars_out as u64;
                for (k, v) in removed {
                    *self.removed.entry(k.clone()).or_default() += *v as u64;
                }
                match quality {
                    Quality::Ok => {}
                    Quality::RemovedMost => self.removed_most += 1,
                    Quality::KeptMost => self.kept_most += 1,
                    Quality::Garbled => self.garbled += 1,
                    Quality::ViewsDisagree | Quality::Implausible => self.doubtful += 1,
                }
                if *quality != Quality::Ok && self.flagged.len() < FLAGGED_KEPT {
                    self.flagged.push(Flagged {
                        path: r.path.clone(),
                        quality: *quality,
                        chars_in: *chars_in,
                        chars_out: *chars_out,
                    });
                }
            }
            Outcome::Skipped(_) => self.skipped += 1,
            Outcome::Failed(_) => self.failed += 1,
            Outcome::NotStarted => self.not_started += 1,
        }
    }

    /// Whether every document was cleaned without trouble: no failure, no skip, no
    /// warning, no interruption. The exit status is non-zero otherwise.
    pub fn ok(&self) -> bool {
        self.failed == 0 && self.skipped == 0 && self.warned == 0 && !self.interrupted
    }

    /// The one line printed for an interrupted run.
    pub fn interrupted_line(&self) -> String {
        if self.discarded {
            return format!(
                "interrupted: {} of {} {} cleaned, none written (a records output is written whole or not at all; a previous one is kept); re-run to finish",
                thousands(self.cleaned),
                thousands(self.documents),
                noun(self.documents, "document")
            );
        }
        format!(
            "interrupted: {} of {} {} written; re-run to finish",
            thousands(self.cleaned),
            thousands(self.documents),
            noun(self.documents, "document")
        )
    }
}

/// `s` safe to print on a terminal: control characters (C0, DEL, C1) and the bidirectional
/// controls that reorder what follows them are shown as escapes (`\n`, `\x1b`,
/// `\u{202e}`), as ripgrep and `ls` do, so an id, a URL or a file name can neither move
/// the cursor, set the window title nor forge a line of output. Used by every place that
/// prints names from inputs.
pub fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if unsafe_char(c) && (c as u32) < 0x100 => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if unsafe_char(c) => out.push_str(&format!("\\u{{{:04x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `n` with thousands separators (`3,680`).
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `word` in the plural unless `n` is 1.
pub fn noun(n: u64, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.elapsed.as_secs_f64();
        let mbps = if secs > 0.0 {
            self.bytes as f64 / 1e6 / secs
        } else {
            0.0
        };
        write!(
            f,
            "{} {}: {} cleaned, {} skipped, {} failed",
            thousands(self.documents),
            noun(self.documents, "document"),
            thousands(self.cleaned),
            thousands(self.skipped),
            thousands(self.failed),
        )?;
        if self.not_started > 0 {
            write!(f, ", {} not started", thousands(self.not_started))?;
        }
        writeln!(
            f,
            "  |  {:.2} MB in {:.2}s ({mbps:.1} MB/s, {} {})",
            self.bytes as f64 / 1e6,
            secs,
            self.jobs,
            noun(self.jobs as u64, "thread")
        )?;
        if self.chars_in > 0 {
            writeln!(
                f,
                "characters: {} in, {} out ({:.1}% kept)",
                self.chars_in,
                self.chars_out,
                100.0 * self.chars_out as f64 / self.chars_in as f64
            )?;
        }
        if !self.removed.is_empty() {
            let mut rows: Vec<_> = self.removed.iter().collect();
            rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            writeln!(f, "removed characters by category:")?;
            for (k, v) in rows {
                writeln!(f, "  {k:<20} {v:>9}")?;
            }
        }
        let flagged = self.removed_most + self.kept_most + self.garbled + self.doubtful;
        if flagged > 0 {
            write!(
                f,
                "review first: {} {} ({} doubtful extraction, {} removed more than 90%, {} \
                 whole {} kept more than 95%",
                thousands(flagged),
                noun(flagged, "document"),
                thousands(self.doubtful),
                thousands(self.removed_most),
                thousands(self.kept_most),
                noun(self.kept_most, "page"),
            )?;
            if self.garbled > 0 {
                write!(f, ", {} not plausibly decoded", thousands(self.garbled))?;
            }
            writeln!(f, "):")?;
            for d in &self.flagged {
                writeln!(
                    f,
                    "  {:<13} {} ({} of {} characters kept)",
                    d.quality.as_str(),
                    terminal_safe(&d.path),
                    d.chars_out,
                    d.chars_in
                )?;
            }
            if flagged > self.flagged.len() as u64 {
                writeln!(
                    f,
                    "  ... and {} more (field `quality` in the manifest and provenance)",
                    thousands(flagged - self.flagged.len() as u64)
                )?;
            }
        }
        if self.interrupted {
            writeln!(f, "{}", self.interrupted_line())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_for_terminals() {
        assert_eq!(terminal_safe("a/b 正文.txt"), "a/b 正文.txt");
        assert_eq!(
            terminal_safe("\u{1b}]0;PWN\u{7}\r\n FAKE ok\u{202e}txt.exe\u{85}"),
            "\\x1b]0;PWN\\x07\\r\\n FAKE ok\\u{202e}txt.exe\\x85"
        );
    }

    #[test]
    fn numbers_and_plurals() {
        assert_eq!(thousands(3680), "3,680");
        assert_eq!(thousands(100), "100");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(noun(1, "file"), "file");
        assert_eq!(noun(0, "file"), "files");
        let s = Summary {
            documents: 1,
            cleaned: 1,
            jobs: 1,
            ..Summary::default()
        };
        let text = s.to_string();
        assert!(text.starts_with("1 document: 1 cleaned"), "{text}");
        assert!(text.contains("1 thread)"), "{text}");
    }
}
