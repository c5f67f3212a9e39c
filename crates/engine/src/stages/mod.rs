//! Built-in stages: cleaning that is not a pattern, still named, switchable and recorded
//! in provenance like rules (see `builtin_rules` in [`crate::rules`]).
//!
//! [`page`] runs before the rules, on HTML pages, and [`page_text`] on plain text;
//! [`invisible`] adds its span edits beside the span rules' in the rule pass;
//! [`lead_excerpt`], [`title_variant`] and [`headline_run`] after the rule pass and before
//! the zones. (`duplicate.paragraph` runs
//! inside the rule pass.)

pub(crate) mod headline_run;
pub(crate) mod invisible;
pub(crate) mod lead_excerpt;
pub(crate) mod page;
pub(crate) mod page_text;
pub(crate) mod title_variant;

use std::borrow::Cow;
use std::collections::HashSet;

use super::conditions::is_list_like;
use super::lines::{lines, weight, Line};
use super::pending::{view_of, Pending, State};
use super::{Ctx, Work};
use crate::rules::Action;

/// A kept line as the body would show it, and what the zones may still do to it.
pub(crate) struct Kept<'a> {
    pub line: Line,
    /// The line after span rules, trimmed.
    pub text: Cow<'a, str>,
    /// Its weight (characters the body shows).
    pub weight: usize,
    /// Index into [`Work::pending`] when a zone rule is still waiting on the line.
    pub pending: Option<usize>,
    /// A pending line a plain rule backs up: it goes whatever the zones say, and only its
    /// reach (below) is in question.
    pub goes: bool,
    /// A pending rule may remove everything above the line and the line (`drop-head`).
    pub may_cut_head: bool,
    /// A pending rule may remove the line and everything below it (`drop-rest`).
    pub may_cut_rest: bool,
    /// A pending rule may remove the line and the list-like lines below it (`drop-block`):
    /// items of at most this many characters, and whether it needs the line repeated.
    pub may_cut_block: Option<(usize, bool)>,
}

impl Kept<'_> {
    /// No zone rule is waiting on the line.
    pub fn settled(&self) -> bool {
        self.pending.is_none()
    }
}

/// The kept, non-blank lines, each marked with what the zones may still do to it.
///
/// Structural stages run before the zones and must decide as they would on the cleaned
/// body, so that cleaning it again changes nothing. A pending line counts as kept (the
/// zones remove few, and a stage's own drops take those in its reach). A pending
/// `drop-rest`, `drop-head` or `drop-block` may remove a whole part of the text or only
/// its own line: the stages weigh both outcomes (see [`headline_run`], [`title_variant`]).
pub(crate) fn kept_lines<'a>(ctx: &'a Ctx, work: &Work) -> Vec<Kept<'a>> {
    let candidates = |p: &Pending| {
        work.lists[p.rules as usize]
            .iter()
            .chain(p.fallback.iter())
            .map(|&r| &ctx.rules[r])
            .collect::<Vec<_>>()
    };
    let mut out = Vec::new();
    for l in lines(ctx.text) {
        if l.blank() || work.fates.dropped(l.start).is_some() {
            continue;
        }
        let pending = work
            .pending
            .binary_search_by_key(&l.start, |p| p.start)
            .ok()
            .filter(|&j| work.pending[j].state != State::Dropped);
        let text = view_of(ctx.text, &work.spans, &l);
        let w = weight(&text);
        if w == 0 {
            continue;
        }
        let rules = pending.map_or_else(Vec::new, |j| candidates(&work.pending[j]));
        let may = |a: Action| rules.iter().any(|r| r.action == a);
        out.push(Kept {
            line: l,
            text,
            weight: w,
            pending,
            goes: pending.is_some_and(|j| work.pending[j].fallback.is_some()),
            may_cut_head: may(Action::DropHead),
            may_cut_rest: may(Action::DropRest),
            may_cut_block: rules
                .iter()
                .filter(|r| r.action == Action::DropBlock)
                .map(|r| (r.block_max_chars, r.when.repeats_next))
                .max(),
        });
    }
    // A block that needs its line repeated next (a headline shown twice) may fire only
    // where the next kept line may be the same text.
    if out
        .iter()
        .any(|k| matches!(k.may_cut_block, Some((_, true))))
    {
        let repeated = may_repeat_next(ctx, work);
        for k in &mut out {
            if let Some((max, true)) = k.may_cut_block {
                let may = repeated.binary_search(&k.line.start).is_ok();
                k.may_cut_block = may.then_some((max, true));
            }
        }
    }
    out
}

/// The starts of the lines the zones may find repeated by the next kept line
/// (`repeats_next`), in order. The next kept line of a line is one of the lines after it
/// up to the first that no zone rule waits on (those before may go); a copy removed as a
/// repeated paragraph counts. One pass from the bottom, keeping the texts in reach.
fn may_repeat_next(ctx: &Ctx, work: &Work) -> Vec<usize> {
    let text = ctx.text;
    let all: Vec<Line> = lines(text).filter(|l| !l.blank()).collect();
    let mut reach: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for l in all.iter().rev() {
        let key = squeeze(l.trimmed(text));
        if let Some(cause) = work.fates.dropped(l.start) {
            if Some(cause) == work.repeat_cause {
                reach.insert(key);
            }
            continue;
        }
        if reach.contains(&key) {
            out.push(l.start);
        }
        let undecided = work
            .pending
            .binary_search_by_key(&l.start, |p| p.start)
            .is_ok_and(|j| work.pending[j].state != State::Dropped);
        if !undecided {
            reach.clear();
        }
        reach.insert(key);
    }
    out.reverse();
    out
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// For each line a pending `drop-block` may start at, the lines it would take with it:
/// the line and the list-like lines after it (as the zones measure its reach). One pass
/// from the bottom per item size the blocks allow.
pub(crate) fn block_reaches(ctx: &Ctx, lines: &[Kept]) -> Vec<(usize, std::ops::Range<usize>)> {
    let n = lines.len();
    let mut sizes: Vec<usize> = lines
        .iter()
        .filter_map(|k| k.may_cut_block.map(|(max, _)| max))
        .collect();
    sizes.sort_unstable();
    sizes.dedup();
    // list_end[s][i]: the first line from `i` on that is not a list item of size sizes[s].
    let list_end: Vec<Vec<usize>> = sizes
        .iter()
        .map(|&max| {
            let mut end = vec![n; n + 1];
            for i in (0..n).rev() {
                let item = is_list_like(&lines[i].text, lines[i].line.chars(ctx.text), max);
                end[i] = if item { end[i + 1] } else { i };
            }
            end
        })
        .collect();
    (0..n)
        .filter_map(|k| {
            let (max, _) = lines[k].may_cut_block?;
            let s = sizes.binary_search(&max).ok()?;
            Some((k, k..list_end[s][k + 1]))
        })
        .collect()
}

/// Drops kept line `s` with `cause` (rule `rule`), taking it out of what the zones
/// measure. A line a zone rule is still waiting on goes too, but the zones decide how:
/// the waiting rule when its conditions hold (it matched the line, so it names the
/// noise better), this stage as the fallback otherwise.
pub(crate) fn drop_kept(work: &mut Work, s: &Kept, rule: usize, cause: u32) {
    match s.pending {
        Some(j) => {
            let p = &mut work.pending[j];
            if p.fallback.is_none() {
                p.fallback = Some(rule);
                p.fallback_cause = Some(cause);
            }
        }
        None => {
            work.fates.drop_range(s.line.start, s.line.end, cause, None);
            if let Err(seg) = work
                .pending
                .binary_search_by_key(&s.line.start, |p| p.start)
            {
                work.seg[seg] -= s.weight;
            }
        }
    }
}
