//! Reviewing what cleaning did: raw text against cleaned text, with the rule behind every
//! edit.
//!
//! Everything here works from the decoded raw text and the [`Edit`] list of a [`Cleaned`]
//! document; nothing reads files. The building block is [`annotate`], which maps edits
//! (byte spans that may cross line boundaries) onto the raw lines. On top of it:
//! - [`diff`]: the terminal diff with a rule margin (`rinse diff`);
//! - [`html`]: the static, self-contained HTML report (`rinse diff --html`);
//! - [`explain`]: why a line was removed, kept or changed (`rinse explain`);
//! - [`stats`]: what each rule did across a corpus (`rinse stats`);
//! - [`suspects`]: kept lines that look like noise, by shape (`rinse stats --suspects`);
//! - [`check`]: what would change against a committed snapshot (`rinse clean --check`);
//! - [`eval`]: character precision, recall and F1 against gold bodies (`rinse eval`).

#![warn(missing_docs)]

pub mod check;
pub mod diff;
pub mod eval;
pub mod explain;
pub mod html;
pub mod stats;
pub mod suspects;

// The crates below review, under the names its modules use.
use rinse_engine as engine;
use rinse_engine::provenance;
#[cfg(test)]
use rinse_engine::Cleaner;
#[cfg(test)]
use rinse_input::Document;
use rinse_rules as rules;
#[cfg(test)]
use rinse_rules::Ruleset;

use crate::engine::{Cleaned, Edit};

/// Category of the built-in white-space stage (`whitespace.normalize`).
pub const WHITESPACE_CATEGORY: &str = "whitespace";

/// Whether an edit only normalises white space (trimming, blank lines, collapsed runs).
/// Such edits are real but rarely worth a reviewer's attention.
pub fn is_whitespace_edit(e: &Edit) -> bool {
    e.category == WHITESPACE_CATEGORY
}

/// A piece of one raw line: either kept text or the part of one edit that falls on this line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece<'a> {
    /// The raw text of the piece (never includes the line terminator).
    pub text: &'a str,
    /// Index into the edit list of the edit that removed (or replaced) this text.
    pub edit: Option<usize>,
    /// The replacement, shown on the first piece of a replacing edit only.
    pub replacement: Option<&'a str>,
}

/// What happened to one raw line as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// No edit touches the line's visible text.
    Kept,
    /// Some text inside the line was removed or replaced; the rest is kept.
    Changed,
    /// The whole line was removed; the index is the edit responsible (the one covering
    /// its first visible character, or the enclosing multi-line edit of a blank line).
    Removed(usize),
    /// A blank (white-space only) line removed by white-space normalisation.
    Blank,
}

/// One raw line with the edits that touch it.
#[derive(Debug, Clone)]
pub struct Line<'a> {
    /// 1-based line number in the decoded raw text.
    pub number: usize,
    /// Byte offset of the line's start in the raw text.
    pub start: usize,
    /// The line's text without its terminator (`\n` or `\r\n`).
    pub text: &'a str,
    /// The text cut into kept and edited pieces, in order. Edited pieces that are only
    /// white-space normalisation are included; see [`is_whitespace_edit`].
    pub pieces: Vec<Piece<'a>>,
    /// What happened to the line.
    pub fate: Fate,
}

impl Line<'_> {
    /// Indices of the edits touching this line, in order, without repeats.
    pub fn edits(&self) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for p in &self.pieces {
            if let Some(i) = p.edit {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
        }
        out
    }
}

/// Splits `raw` into lines (without terminators) with their byte offsets. A final line
/// without a terminator counts; an empty text has no lines.
pub fn raw_lines(raw: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < raw.len() {
        let end = raw[pos..].find('\n').map_or(raw.len(), |i| pos + i);
        let text = raw[pos..end].strip_suffix('\r').unwrap_or(&raw[pos..end]);
        out.push((pos, text));
        pos = end + 1;
    }
    out
}

/// Maps `edits` (sorted, non-overlapping byte spans of `raw`, as recorded in provenance)
/// onto the raw lines. Edits with spans outside `raw` or not on character boundaries are
/// ignored rather than trusted.
pub fn annotate<'a>(raw: &'a str, edits: &'a [Edit]) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    let mut ei = 0;
    for (n, (start, text)) in raw_lines(raw).into_iter().enumerate() {
        let end = start + text.len();
        while ei < edits.len() && edits[ei].end <= start && edits[ei].start < start {
            ei += 1;
        }
        let mut pieces = Vec::new();
        let mut pos = start;
        let mut j = ei;
        while j < edits.len() && edits[j].start <= end {
            let e = &edits[j];
            let valid = e.start <= e.end
                && e.end <= raw.len()
                && raw.is_char_boundary(e.start)
                && raw.is_char_boundary(e.end);
            if !valid || e.start < pos && e.end <= pos {
                j += 1;
                continue;
            }
            let (s, t) = (e.start.max(pos), e.end.min(end));
            // An edit that only touches this line's terminator is not shown on it,
            // unless it starts here with a replacement (an insertion).
            if s >= t && !(e.start >= start && e.start == s && e.replacement.is_some()) {
                if e.end > end {
                    break;
                }
                j += 1;
                continue;
            }
            if s > pos {
                pieces.push(Piece {
                    text: &raw[pos..s],
                    edit: None,
                    replacement: None,
                });
            }
            let first = e.start >= start;
            pieces.push(Piece {
                text: &raw[s..t.max(s)],
                edit: Some(j),
                replacement: if first {
                    e.replacement.as_deref()
                } else {
                    None
                },
            });
            pos = t.max(s);
            if e.end > end {
                break;
            }
            j += 1;
        }
        if pos < end {
            pieces.push(Piece {
                text: &raw[pos..end],
                edit: None,
                replacement: None,
            });
        }
        let fate = line_fate(text, &pieces, edits, start, end);
        lines.push(Line {
            number: n + 1,
            start,
            text,
            pieces,
            fate,
        });
    }
    lines
}

fn line_fate(text: &str, pieces: &[Piece], edits: &[Edit], start: usize, end: usize) -> Fate {
    if text.trim().is_empty() {
        // A blank line: removed by a real rule when a non-white-space edit spans it.
        // Edits are sorted and do not overlap: only the last one starting at or before
        // the line can enclose it.
        let enclosing = edits
            .partition_point(|e| e.start <= start)
            .checked_sub(1)
            .filter(|&i| {
                let e = &edits[i];
                !is_whitespace_edit(e) && e.end > end && e.replacement.is_none()
            });
        return match enclosing {
            Some(i) => Fate::Removed(i),
            None => Fate::Blank,
        };
    }
    let mut main = None;
    let mut visible_kept = false;
    let mut any_visible_edit = false;
    for p in pieces {
        match p.edit {
            None => {
                if !p.text.trim().is_empty() {
                    visible_kept = true;
                }
            }
            Some(i) => {
                let e = &edits[i];
                let real = !is_whitespace_edit(e);
                if real {
                    any_visible_edit = true;
                }
                if p.replacement.is_some_and(|r| !r.trim().is_empty()) {
                    visible_kept = true;
                }
                if main.is_none() && real && !p.text.trim().is_empty() {
                    main = Some(i);
                }
            }
        }
    }
    match (visible_kept, main) {
        (false, Some(i)) => Fate::Removed(i),
        _ if any_visible_edit => Fate::Changed,
        _ => Fate::Kept,
    }
}

/// Counts describing one reviewed document, for summary lines and reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct DocSummary {
    /// Raw lines.
    pub lines_in: usize,
    /// Lines of the cleaned body.
    pub lines_out: usize,
    /// Characters of the raw text.
    pub chars_in: usize,
    /// Characters of the cleaned body.
    pub chars_out: usize,
    /// Raw lines removed whole by a rule (blank lines removed by white-space
    /// normalisation are not counted).
    pub lines_removed: usize,
    /// Raw lines with text removed or replaced inside them.
    pub lines_changed: usize,
    /// Edits other than white-space normalisation.
    pub edits: usize,
    /// White-space normalisation edits.
    pub whitespace_edits: usize,
    /// Non-white-space edits per category, sorted by count (descending), then name.
    pub by_category: Vec<(String, usize)>,
}

impl DocSummary {
    /// Summarises a document from its raw text, annotated lines and cleaning result.
    pub fn new(raw: &str, lines: &[Line], cleaned: &Cleaned) -> DocSummary {
        let mut by: std::collections::BTreeMap<&str, usize> = Default::default();
        let mut s = DocSummary {
            lines_in: lines.len(),
            lines_out: cleaned.body.lines().count(),
            chars_in: raw.chars().count(),
            chars_out: cleaned.body.chars().count(),
            ..Default::default()
        };
        for e in &cleaned.edits {
            if is_whitespace_edit(e) {
                s.whitespace_edits += 1;
            } else {
                s.edits += 1;
                *by.entry(&e.category).or_default() += 1;
            }
        }
        for l in lines {
            match l.fate {
                Fate::Removed(_) => s.lines_removed += 1,
                Fate::Changed => s.lines_changed += 1,
                _ => {}
            }
        }
        let mut v: Vec<(String, usize)> = by.into_iter().map(|(k, n)| (k.to_string(), n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        s.by_category = v;
        s
    }

    /// Whether any edit other than white-space normalisation was made.
    pub fn changed(&self) -> bool {
        self.edits > 0
    }

    /// The one-line summary, e.g. `137 → 64 lines, 6601 → 3507 chars (-46.9%), 31 edits:
    /// image 17, caption 9 (+40 white space)`.
    pub fn line(&self) -> String {
        let pct = if self.chars_in == 0 {
            0.0
        } else {
            100.0 * (self.chars_out as f64 - self.chars_in as f64) / self.chars_in as f64
        };
        let mut s = format!(
            "{} → {} lines, {} → {} chars ({:+.1}%)",
            self.lines_in, self.lines_out, self.chars_in, self.chars_out, pct
        );
        if self.edits == 0 {
            s.push_str(", no rule edits");
        } else {
            let cats: Vec<String> = self
                .by_category
                .iter()
                .map(|(c, n)| format!("{c} {n}"))
                .collect();
            s.push_str(&format!(
                ", {} edit{}: {}",
                self.edits,
                plural(self.edits),
                cats.join(", ")
            ));
        }
        if self.whitespace_edits > 0 {
            s.push_str(&format!(" (+{} white space)", self.whitespace_edits));
        }
        s
    }
}

/// `"s"` unless `n == 1`.
pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Where the line holding byte `at` of `text` starts, as the fraction of the text's
/// characters (white space aside) before it. Only for reports about the raw text (an early
/// footer marker); zone conditions are measured on the kept text (see [`rinse_engine::Edit::position`]).
pub fn raw_position(text: &str, at: usize) -> f64 {
    let count = |s: &str| s.chars().filter(|c| !c.is_whitespace()).count();
    let start = text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let total = count(text);
    if total == 0 {
        0.0
    } else {
        count(&text[..start]) as f64 / total as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cleaner, Document, Ruleset};

    fn clean(text: &str) -> Cleaned {
        Cleaner::new(Ruleset::defaults())
            .clean(&Document::from_text(text))
            .unwrap()
    }

    #[test]
    fn lines_and_fates() {
        let raw = "标题\n\n正文第一段，蕞好的。\n责任编辑:张三\n";
        let c = clean(raw);
        let lines = annotate(raw, &c.edits);
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0].fate, Fate::Kept);
        assert_eq!(lines[1].fate, Fate::Blank);
        assert_eq!(lines[2].fate, Fate::Changed);
        let rep: Vec<_> = lines[2]
            .pieces
            .iter()
            .filter_map(|p| p.replacement.map(|r| (p.text, r)))
            .collect();
        assert_eq!(rep, vec![("蕞", "最")]);
        match lines[3].fate {
            Fate::Removed(i) => assert_eq!(c.edits[i].category, "byline"),
            f => panic!("{f:?}"),
        }
    }

    #[test]
    fn pieces_rebuild_the_line() {
        let raw = "  标题  \r\n正文　　第一段。\n\n\n尾";
        let c = clean(raw);
        for l in annotate(raw, &c.edits) {
            let joined: String = l.pieces.iter().map(|p| p.text).collect();
            assert_eq!(joined, l.text, "line {}", l.number);
        }
    }

    #[test]
    fn multi_line_edit_marks_every_line() {
        let e = Edit {
            rule: "footer.x".into(),
            category: "footer".into(),
            action: crate::engine::EditAction::DropRest,
            line: 2,
            start: 2,
            end: 8,
            removed: "b\n\nc\nd".into(),
            ..Edit::default()
        };
        let raw = "a\nb\n\nc\nd";
        let edits = [e];
        let lines = annotate(raw, &edits);
        let fates: Vec<Fate> = lines.iter().map(|l| l.fate).collect();
        assert_eq!(
            fates,
            vec![
                Fate::Kept,
                Fate::Removed(0),
                Fate::Removed(0),
                Fate::Removed(0),
                Fate::Removed(0)
            ]
        );
    }

    #[test]
    fn summary_line() {
        let raw = "标题\n正文。\n责任编辑:张三\n";
        let c = clean(raw);
        let lines = annotate(raw, &c.edits);
        let s = DocSummary::new(raw, &lines, &c);
        assert_eq!(s.lines_removed, 1);
        assert!(s.line().contains("1 edit: byline 1"), "{}", s.line());
    }

    #[test]
    fn zone_positions() {
        assert_eq!(raw_position("ab\ncd\n", 0), 0.0);
        assert_eq!(raw_position("ab\ncd\n", 3), 0.5);
    }
}
