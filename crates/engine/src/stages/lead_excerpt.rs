//! `duplicate.lead-excerpt`: a line that ends in an ellipsis and whose text follows in
//! full later (a lead excerpt, a teaser), with the lines just before it that continue the
//! same repeated passage; or a whole line of some length, labelled (`摘要：`) or not,
//! whose text the article repeats from the start of a later line on.
//!
//! Runs after the rule pass and before the zones, on every kept line: a position limit
//! ("near the top") would make a second run see a different opening once lines above
//! were removed.

use super::super::conditions::{ends_with_ellipsis, strip_ellipsis};
use super::super::lines::{lines, weight, Line};
use super::super::pending::{view_of, State};
use super::super::shape::is_paragraph;
use super::super::{Ctx, Work};

/// At most this many candidates are searched for (each search reads the text after it).
const MAX_CANDIDATES: usize = 64;
/// Excerpts shorter than this are not recognised.
const MIN_CHARS: usize = 10;
/// A whole line (not cut with an ellipsis) repeating later text must be this long: a
/// short line may well recur as the start of a paragraph.
const MIN_WHOLE_CHARS: usize = 24;
/// Characters a later line's start is indexed by, for whole-line repeats.
const KEY_CHARS: usize = 6;
/// Later lines with a candidate's key that are compared with it, at most.
const MAX_COMPARED: usize = 8;

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// An excerpt candidate: ends in an ellipsis, long enough without it and without a
/// short label (`简要描述：…`, `【摘要】…`), which the article does not repeat.
fn excerpt_text(s: &str) -> Option<String> {
    if !ends_with_ellipsis(s) {
        return None;
    }
    let stripped = squeeze(strip_ellipsis(s));
    let text = match label_end(&stripped) {
        Some(p) => stripped[p..].to_string(),
        None => stripped,
    };
    (text.chars().count() >= MIN_CHARS).then_some(text)
}

/// Where the text after a short label at the start of `s` begins: a colon or closing
/// bracket among its first seven characters.
fn label_end(s: &str) -> Option<usize> {
    s.char_indices()
        .take(7)
        .find(|&(_, c)| matches!(c, ':' | '：' | '】' | ']'))
        .map(|(p, c)| p + c.len_utf8())
}

/// Drops lead excerpts among the kept lines.
pub(crate) fn apply(ctx: &Ctx, work: &mut Work, rule: usize) {
    let text = ctx.text;
    let fates = &work.fates;
    let kept: Vec<Line> = lines(text)
        .filter(|l| !l.blank() && fates.dropped(l.start).is_none())
        .collect();
    // The title is never an excerpt, and a text of a few lines has none.
    if kept.len() < 4 {
        return;
    }
    let cands: Vec<Option<String>> = kept
        .iter()
        .enumerate()
        .map(|(i, l)| (i > 0).then(|| excerpt_text(l.trimmed(text))).flatten())
        .collect();
    // Lines a zone rule may still remove do not count as the body's first paragraph.
    let settled: Vec<bool> = kept
        .iter()
        .map(|l| {
            work.pending
                .binary_search_by_key(&l.start, |p| p.start)
                .map_or(true, |j| work.pending[j].state == State::Kept)
        })
        .collect();
    let mut drops = whole_line_repeats(ctx, &kept, &cands, &settled);
    let Some(first) = cands.iter().position(Option::is_some) else {
        drop_lines(work, text, &kept, drops, rule);
        return;
    };
    // The text the candidates are searched in: later lines other than candidates,
    // squeezed and joined, with where each line starts in it.
    let mut later = String::new();
    let mut starts: Vec<(usize, usize)> = Vec::new(); // (line index, offset in `later`)
    for (i, l) in kept.iter().enumerate().skip(first + 1) {
        if cands[i].is_none() {
            starts.push((i, later.len()));
            later.push_str(&squeeze(l.trimmed(text)));
        }
    }
    for (k, cand) in cands
        .iter()
        .enumerate()
        .filter_map(|(k, c)| Some((k, c.as_ref()?)))
        .take(MAX_CANDIDATES)
    {
        let from = starts
            .iter()
            .find(|&&(i, _)| i > k)
            .map_or(later.len(), |&(_, o)| o);
        let after = &later[from..];
        if !after.contains(cand.as_str()) {
            continue;
        }
        drops.push(k);
        // Earlier lines (not the title) that continue into the excerpt.
        let mut joined = cand.clone();
        for b in (1..k).rev() {
            if cands[b].is_some() || drops.contains(&b) {
                break;
            }
            let candidate = squeeze(kept[b].trimmed(text)) + &joined;
            if !after.contains(&candidate) {
                break;
            }
            drops.push(b);
            joined = candidate;
        }
    }
    drop_lines(work, text, &kept, drops, rule);
}

/// Lines (not the title, not cut with an ellipsis) of at least [`MIN_WHOLE_CHARS`]
/// characters, a short label such as `摘要：` aside, whose text the kept lines repeat
/// from the start of a later line on (a lead excerpt copied whole). On HTML pages a
/// repeat the page's structure explains (rows, items, code, sibling paragraphs) is the
/// author's and does not count.
fn whole_line_repeats(
    ctx: &Ctx,
    kept: &[Line],
    cands: &[Option<String>],
    settled: &[bool],
) -> Vec<usize> {
    let text = ctx.text;
    let structural = |k: usize, j: usize| {
        ctx.hint_at(kept[j].start)
            .zip(ctx.hint_at(kept[k].start))
            .is_some_and(|(later, earlier)| later.repeats_by_structure(earlier))
    };
    let squeezed: Vec<String> = kept.iter().map(|l| squeeze(l.trimmed(text))).collect();
    let mut all = String::new();
    let mut offsets = Vec::with_capacity(kept.len());
    for s in &squeezed {
        offsets.push(all.len());
        all.push_str(s);
    }
    let key = |s: &str| -> Option<String> {
        (s.chars().count() >= KEY_CHARS).then(|| s.chars().take(KEY_CHARS).collect())
    };
    let mut starts: std::collections::HashMap<String, Vec<usize>> = Default::default();
    for (j, s) in squeezed.iter().enumerate() {
        if let Some(k) = key(s) {
            starts.entry(k).or_default().push(j);
        }
    }
    let repeated = |k: usize, t: &str| {
        t.chars().count() >= MIN_WHOLE_CHARS
            && key(t).and_then(|kk| starts.get(&kk)).is_some_and(|js| {
                js.iter()
                    .filter(|&&j| j > k && cands[j].is_none() && !structural(k, j))
                    .take(MAX_COMPARED)
                    .any(|&j| all[offsets[j]..].starts_with(t))
            })
    };
    // A lead excerpt stands above the body: after the first paragraph a line repeated
    // at the start of a later one is the author's (a criterion or refrain said twice).
    let first_paragraph = (1..kept.len())
        .find(|&k| settled[k] && cands[k].is_none() && is_paragraph(kept[k].trimmed(text)))
        .unwrap_or(kept.len());
    let mut out = Vec::new();
    for k in 1..kept.len().min(first_paragraph + 1) {
        if cands[k].is_some() {
            continue;
        }
        let whole = squeezed[k].trim_end_matches(['。', '.']);
        let unlabelled = label_end(whole).map(|p| &whole[p..]);
        if repeated(k, whole) || unlabelled.is_some_and(|t| repeated(k, t)) {
            out.push(k);
        }
    }
    out
}

/// Drops `kept[k]` for every `k` in `drops`.
fn drop_lines(work: &mut Work, text: &str, kept: &[Line], mut drops: Vec<usize>, rule: usize) {
    if drops.is_empty() {
        return;
    }
    drops.sort_unstable();
    drops.dedup();
    let cause = work.fates.cause(rule, None);
    for k in drops {
        let l = kept[k];
        work.fates.drop_range(l.start, l.end, cause, None);
        // Take the line out of what the zones measure.
        match work.pending.binary_search_by_key(&l.start, |p| p.start) {
            Ok(j) => work.pending[j].state = State::Dropped,
            Err(seg) => work.seg[seg] -= weight(&view_of(text, &work.spans, &l)),
        }
    }
}
