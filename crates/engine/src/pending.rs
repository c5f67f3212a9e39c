//! What the passes keep of a line whose rule waits for the rest of the document (a
//! [`Pending`] line), and the line as the span rules leave it. Its own module so that the
//! rule pass, the structural stages and the zones all depend on it and not on each other.

use std::borrow::Cow;

use super::lines::{line_at, Line};
use super::matchers::SpanHit;

/// What the zone passes know of a deferred line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    Undecided,
    Kept,
    Dropped,
}

/// A line whose deciding rule needs the rest of the document. Kept small: a document
/// can have one per line.
#[derive(Debug)]
pub(crate) struct Pending {
    /// Where the line starts.
    pub start: usize,
    /// 0-based line number.
    pub number: usize,
    /// Weight of the line as the body would show it.
    pub weight: usize,
    /// Deferred candidates, in priority order, as an index into [`Work::lists`]; their
    /// line-local conditions hold.
    pub rules: u32,
    /// The first plain candidate after them: it drops the line if none of them does.
    pub fallback: Option<usize>,
    /// The cause the fallback drops the line with, when a structural stage set it (its
    /// reason attached); otherwise the fallback rule's plain cause.
    pub fallback_cause: Option<u32>,
    /// The candidates matched the raw line, not the span-cleaned view.
    pub raw_matched: bool,
    pub state: State,
    /// For a kept line: the largest `head` fraction it stayed out of, which later drops
    /// above it must not pull it into (see [`super::zones`]).
    pub head_guard: Option<f64>,
}

impl Pending {
    /// The line is dropped whatever the zones say (a plain rule backs it up).
    pub fn counted(&self) -> bool {
        self.fallback.is_none()
    }

    /// The line.
    pub fn line(&self, text: &str) -> Line {
        line_at(text, self.start)
    }

    /// The text its candidates matched.
    pub fn matched<'a>(&self, text: &'a str, spans: &[(usize, Vec<SpanHit>)]) -> Cow<'a, str> {
        let l = self.line(text);
        if self.raw_matched {
            Cow::Borrowed(l.trimmed(text))
        } else {
            view_of(text, spans, &l)
        }
    }
}

/// The line as the span rules leave it.
pub(crate) fn view_of<'a>(
    text: &'a str,
    spans: &[(usize, Vec<SpanHit>)],
    l: &Line,
) -> Cow<'a, str> {
    let raw = l.trimmed(text);
    match spans.binary_search_by_key(&l.start, |s| s.0) {
        Ok(i) => {
            let mut out = String::with_capacity(raw.len());
            apply_hits(raw, &spans[i].1, &mut out);
            Cow::Owned(out)
        }
        Err(_) => Cow::Borrowed(raw),
    }
}

/// `raw` with span hits applied.
pub(crate) fn apply_hits(raw: &str, hits: &[SpanHit], out: &mut String) {
    let mut pos = 0;
    for h in hits {
        out.push_str(&raw[pos..h.start]);
        out.push_str(h.replacement.as_deref().unwrap_or(""));
        pos = h.end;
    }
    out.push_str(&raw[pos..]);
}
