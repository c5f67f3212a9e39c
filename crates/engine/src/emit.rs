//! Writing the body: kept lines with their span edits and white space normalised, and
//! the edits that turn the raw text into it.

use crate::rules::Rule;

use super::fates::Fates;
use super::lines::{is_space, is_zero_width, lines, Line};
use super::matchers::SpanHit;
use super::{replay, Cleaned, Ctx, Edit, EditAction, Stats, Work, MAX_RECORDED_REMOVAL};

/// An edit before merging: absolute offsets in the raw text.
pub(crate) struct RawEdit {
    rule: usize,
    /// Line drops carry their cause (drops with one cause merge); span and white-space
    /// edits have none.
    cause: Option<u32>,
    /// For a zone's drop: where its run's first line stood.
    position: Option<f64>,
    line: usize,
    start: usize,
    end: usize,
    replacement: Option<String>,
}

impl RawEdit {
    /// The edit of span hit `h` on line `line`, at `start..end` in the raw text.
    fn span(h: &SpanHit, line: usize, start: usize, end: usize) -> RawEdit {
        RawEdit {
            rule: h.rule,
            cause: None,
            position: None,
            line,
            start,
            end,
            replacement: h.replacement.clone(),
        }
    }
}

/// Builds the body and the edits from the decisions in `work`. `ws` is the white-space
/// stage's rule (when on); `example` keeps only one rule's edits (rule examples).
pub(crate) fn finish(
    ctx: &Ctx,
    work: Work,
    ws: Option<usize>,
    example: Option<usize>,
    scopes: Vec<String>,
) -> Cleaned {
    let text = ctx.text;
    let ws_id = ws.unwrap_or(usize::MAX);
    let mut body = String::with_capacity(text.len());
    // This line's edits: when every character of a line goes, they become one.
    let mut raw_edits: Vec<RawEdit> = Vec::new();
    let mut merged = Merger::new(ctx.rules, &work.fates, text, example);
    let mut runs = work.fates.runs().peekable();
    let mut spans = work.spans.into_iter().peekable();
    let mut lines_in = 0;
    for (i, l) in lines(text).enumerate() {
        lines_in += 1;
        raw_edits.drain(..).for_each(|e| merged.push(e));
        while runs.peek().is_some_and(|r| r.1.end <= l.start) {
            runs.next();
        }
        if let Some(&(_, run)) = runs.peek().filter(|r| r.0 <= l.start) {
            raw_edits.push(RawEdit {
                rule: work.fates.get(run.cause).rule,
                cause: Some(run.cause),
                position: run.position,
                line: i,
                start: l.start,
                end: l.end,
                replacement: None,
            });
            continue;
        }
        if l.blank() && ws.is_some() {
            merged.blank(RawEdit {
                rule: ws_id,
                cause: None,
                position: None,
                line: i,
                start: l.start,
                end: l.end,
                replacement: None,
            });
            continue;
        }
        while spans.peek().is_some_and(|s| s.0 < l.start) {
            spans.next();
        }
        let hits = match spans.peek() {
            Some(s) if s.0 == l.start => spans.next().map(|s| s.1).unwrap_or_default(),
            _ => Vec::new(),
        };
        let mark = raw_edits.len();
        let body_mark = body.len();
        let emitted = emit_line(text, &l, &hits, ws, i, &mut body, &mut raw_edits);
        if !emitted && !l.blank() {
            // Every character went: the line itself goes, charged to the first span rule.
            let rule = raw_edits[mark..]
                .iter()
                .find(|e| e.rule != ws_id)
                .map_or(ws_id, |e| e.rule);
            raw_edits.truncate(mark);
            body.truncate(body_mark);
            raw_edits.push(RawEdit {
                rule,
                cause: None,
                position: None,
                line: i,
                start: l.start,
                end: l.end,
                replacement: None,
            });
        }
    }

    raw_edits.drain(..).for_each(|e| merged.push(e));
    let edits = merged.finish();
    if example.is_some() {
        body = replay(text, &edits).expect("example edits replay");
    }
    let mut stats = Stats {
        chars_in: text.chars().count(),
        chars_out: body.chars().count(),
        lines_in,
        lines_out: body.lines().count(),
        ..Stats::default()
    };
    for e in &edits {
        *stats.removed_chars.entry(e.category.clone()).or_default() +=
            text[e.start..e.end].chars().count();
        *stats.edits.entry(e.category.clone()).or_default() += 1;
    }
    let mut metadata = work.metadata;
    metadata.title = body
        .lines()
        .next()
        .filter(|t| t.chars().count() <= 100)
        .map(str::to_string);
    Cleaned {
        body,
        edits,
        metadata,
        stats,
        scopes,
        near_misses: work.near,
        steered: None,
    }
}

/// Appends `piece` to a recorded removal, up to [`MAX_RECORDED_REMOVAL`] bytes.
fn record(removed: &mut String, truncated: &mut bool, piece: &str) {
    if *truncated {
        return;
    }
    let room = MAX_RECORDED_REMOVAL.saturating_sub(removed.len());
    if piece.len() <= room {
        removed.push_str(piece);
    } else {
        let mut cut = room;
        while !piece.is_char_boundary(cut) {
            cut -= 1;
        }
        removed.push_str(&piece[..cut]);
        *truncated = true;
    }
}

/// Merges adjacent edits of one cause (or one span rule) into one edit each, as they
/// come: a document of a million dropped lines holds one edit per run, not per line.
struct Merger<'a> {
    rules: &'a [Rule],
    fates: &'a Fates,
    text: &'a str,
    example: Option<usize>,
    edits: Vec<Edit>,
    last: Option<(usize, Option<u32>)>,
    /// Blank lines after a dropped line, held until the next line shows whether the same
    /// cause goes on below them (then they are part of its block).
    held: Option<RawEdit>,
}

impl<'a> Merger<'a> {
    fn new(rules: &'a [Rule], fates: &'a Fates, text: &'a str, example: Option<usize>) -> Self {
        Merger {
            rules,
            fates,
            text,
            example,
            edits: Vec::new(),
            last: None,
            held: None,
        }
    }

    /// A blank line the white-space stage removes.
    fn blank(&mut self, e: RawEdit) {
        if let Some(h) = self.held.as_mut().filter(|h| h.end == e.start) {
            h.end = e.end;
            return;
        }
        if let Some(h) = self.held.take() {
            self.take(h);
        }
        if self.last.is_some_and(|(_, c)| c.is_some())
            && self.edits.last().is_some_and(|p| p.end == e.start)
        {
            self.held = Some(e);
        } else {
            self.take(e);
        }
    }

    /// The next edit, in text order.
    fn push(&mut self, e: RawEdit) {
        if let Some(mut h) = self.held.take() {
            if e.cause.is_some() && self.last.is_some_and(|(_, c)| c == e.cause) && h.end == e.start
            {
                h.rule = e.rule;
                h.cause = e.cause;
            }
            self.take(h);
        }
        self.take(e);
    }

    fn finish(mut self) -> Vec<Edit> {
        if let Some(h) = self.held.take() {
            self.take(h);
        }
        self.edits
    }

    fn take(&mut self, e: RawEdit) {
        let text = self.text;
        if self.example.is_some_and(|only| e.rule != only) {
            return;
        }
        if let (Some(prev), Some((rule, cause))) = (self.edits.last_mut(), self.last) {
            if prev.end == e.start && rule == e.rule && cause == e.cause {
                prev.end = e.end;
                record(
                    &mut prev.removed,
                    &mut prev.truncated,
                    &text[e.start..e.end],
                );
                if let Some(r) = e.replacement {
                    prev.replacement
                        .get_or_insert_with(String::new)
                        .push_str(&r);
                }
                return;
            }
        }
        self.last = Some((e.rule, e.cause));
        let (id, category, action) = if e.rule == usize::MAX {
            let info = crate::rules::Stage::Whitespace.info();
            (info.id, info.category, EditAction::Normalize)
        } else {
            let r = &self.rules[e.rule];
            (r.id.as_str(), r.category.as_str(), EditAction::of(r))
        };
        let cause = e.cause.map(|c| self.fates.get(c));
        let mut removed = String::new();
        let mut truncated = false;
        record(&mut removed, &mut truncated, &text[e.start..e.end]);
        self.edits.push(Edit {
            rule: id.to_string(),
            category: category.to_string(),
            action,
            line: e.line + 1,
            start: e.start,
            end: e.end,
            removed,
            truncated,
            replacement: e.replacement,
            reason: cause.and_then(|c| c.reason.clone()),
            position: e.position,
        });
    }
}

/// Writes the kept line `l` (with span edits `hits`, relative to its trimmed text) to
/// `out`, recording every change. With `ws` set, white space is normalised: leading and
/// trailing space removed, inner runs collapsed to one space, zero-width characters
/// removed, `\r\n` turned into `\n`, and a final newline added. Returns whether anything
/// but white space was written.
fn emit_line(
    text: &str,
    l: &Line,
    hits: &[SpanHit],
    ws: Option<usize>,
    line: usize,
    out: &mut String,
    edits: &mut Vec<RawEdit>,
) -> bool {
    let mark = edits.len();
    let Some(ws) = ws else {
        // No normalisation: raw text with span edits, raw terminator.
        let mut pos = l.start;
        let mut any = false;
        for h in hits {
            let (s, e) = (l.ts + h.start, l.ts + h.end);
            out.push_str(&text[pos..s]);
            any |= !text[pos..s].is_empty();
            if let Some(r) = &h.replacement {
                out.push_str(r);
                any |= !r.is_empty();
            }
            edits.push(RawEdit::span(h, line, s, e));
            pos = e;
        }
        out.push_str(&text[pos..l.end]);
        any |= !text[pos..l.content_end].trim().is_empty();
        return any || l.blank();
    };

    let del = |edits: &mut Vec<RawEdit>, start: usize, end: usize, repl: Option<&str>| {
        if start < end || repl.is_some() {
            edits.push(RawEdit {
                rule: ws,
                cause: None,
                position: None,
                line,
                start,
                end,
                replacement: repl.map(str::to_string),
            });
        }
    };
    let mut emitted = false;
    // Pending white-space runs (raw ranges) not yet decided.
    let mut pending: Vec<(usize, usize)> = Vec::new();
    let flush = |pending: &mut Vec<(usize, usize)>,
                 emitted: bool,
                 out: &mut String,
                 edits: &mut Vec<RawEdit>| {
        if pending.is_empty() {
            return;
        }
        let mut rest = &pending[..];
        if emitted {
            let (s, e) = pending[0];
            if text.as_bytes()[s] == b' ' {
                out.push(' ');
                del(edits, s + 1, e, None);
            } else {
                out.push(' ');
                del(edits, s, e, Some(" "));
            }
            rest = &pending[1..];
        }
        for &(s, e) in rest {
            del(edits, s, e, None);
        }
        pending.clear();
    };
    let kept = |from: usize,
                to: usize,
                pending: &mut Vec<(usize, usize)>,
                emitted: &mut bool,
                out: &mut String,
                edits: &mut Vec<RawEdit>| {
        let mut run_start = from; // start of a run of ordinary characters
        for (off, c) in text[from..to].char_indices() {
            let p = from + off;
            let special = is_space(c) || is_zero_width(c);
            if !special {
                continue;
            }
            if run_start < p {
                flush(pending, *emitted, out, edits);
                out.push_str(&text[run_start..p]);
                *emitted = true;
            }
            let e = p + c.len_utf8();
            if is_zero_width(c) {
                del(edits, p, e, None);
            } else if let Some(last) = pending.last_mut().filter(|x| x.1 == p) {
                last.1 = e;
            } else {
                pending.push((p, e));
            }
            run_start = e;
        }
        if run_start < to {
            flush(pending, *emitted, out, edits);
            out.push_str(&text[run_start..to]);
            *emitted = true;
        }
    };
    let mut pos = l.start;
    for h in hits {
        let (s, e) = (l.ts + h.start, l.ts + h.end);
        kept(pos, s, &mut pending, &mut emitted, out, edits);
        match &h.replacement {
            Some(r) if !r.is_empty() => {
                flush(&mut pending, emitted, out, edits);
                out.push_str(r);
                emitted = true;
            }
            _ => {}
        }
        edits.push(RawEdit::span(h, line, s, e));
        pos = e;
    }
    kept(pos, l.content_end, &mut pending, &mut emitted, out, edits);
    for (s, e) in pending.drain(..) {
        del(edits, s, e, None);
    }
    if emitted {
        // Line terminator: keep `\n`, drop the `\r` of `\r\n`, add one at end of text.
        if l.content_end == l.end {
            del(edits, l.end, l.end, Some("\n"));
        } else if l.end - l.content_end == 2 {
            del(edits, l.content_end, l.content_end + 1, None);
        }
        out.push('\n');
        // Sort this line's edits by position: span edits and white-space edits interleave.
        edits[mark..].sort_by_key(|e| (e.start, e.end));
    }
    emitted
}
