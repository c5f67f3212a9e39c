//! Deciding the pending lines: rules with `head`/`tail` zones or `repeats_next`.
//!
//! A zone is a fraction of the document, and the document is the text as it will be
//! kept: a line's *position* is the weight (characters, white space aside) of the kept
//! text before it over the kept text in all. Measured that way, cleaning a body again
//! finds every line where it was, so it changes nothing; but the kept text is what the
//! decisions make, so they are taken in an order in which what a decision measures is
//! already final:
//!
//! - `head` rules top-down: the text above a line is decided; the text below counts as
//!   kept (later drops there only move the line further out of the head zone);
//! - `tail` rules (and `repeats_next`, which looks at the next kept line) bottom-up: the
//!   text below is decided; the text above counts as kept (later drops there only move
//!   the line further out of the tail zone).
//!
//! The one crossing is a bottom-up drop above a line that stayed because it was outside a
//! `head` zone: it would pull that line up into the zone. Such a drop is not made (a
//! *guard*, reported as a near miss). Nothing drops lines after the zones are decided.

use std::collections::BTreeMap;

use crate::rules::Action;

use super::capture::capture;
use super::conditions::{check_head, check_tail, check_zone, is_list_like, position, squeeze_eq};
use super::fates::Fates;
use super::lines::{line_at, weight, Line};
use super::matchers::Scratch;
use super::pending::{view_of, State};
use super::{Ctx, NearMiss, Work};
use crate::rules::Rule;

/// Margin (in characters) kept by guards, so that float rounding never turns a decision.
const MARGIN: f64 = 0.5;

/// Decides every pending line.
pub(crate) fn run(ctx: &Ctx, work: &mut Work) {
    if work.pending.is_empty() {
        return;
    }
    let mut aids = Aids {
        scratch: Scratch::new(ctx.matchers, 0),
        skip: Skip::default(),
    };
    head_pass(ctx, work, &mut aids);
    tail_pass(ctx, work, &mut aids);
}

/// What the passes reuse from line to line: matcher buffers (for `meta` captures) and
/// the shortcuts over dropped stretches.
struct Aids {
    scratch: Scratch,
    skip: Skip,
}

/// A rule the top-down pass tries: a `head` zone, and nothing that needs the text below.
fn top_down(rule: &Rule) -> bool {
    rule.when.head.is_some() && !rule.when.repeats_next
}

/// A rule the bottom-up pass tries: a `tail` zone, or `repeats_next`.
fn bottom_up(rule: &Rule) -> bool {
    rule.when.tail.is_some() || rule.when.repeats_next
}

fn head_pass(ctx: &Ctx, work: &mut Work, aids: &mut Aids) {
    let n = work.pending.len();
    let mut total: usize = work.seg.iter().sum::<usize>()
        + work
            .pending
            .iter()
            .filter(|p| p.counted() && p.state != State::Dropped)
            .map(|p| p.weight)
            .sum::<usize>();
    let mut before = 0usize;
    for k in 0..n {
        before += work.seg[k];
        let p = &work.pending[k];
        if p.state == State::Dropped {
            continue;
        }
        let w = if p.counted() { p.weight } else { 0 };
        let rules = &work.lists[p.rules as usize];
        if !rules.iter().any(|&r| top_down(&ctx.rules[r])) {
            before += w;
            continue;
        }
        let later = rules.iter().any(|&r| bottom_up(&ctx.rules[r]));
        let pos = position(before, total - before);
        let mut fired = None;
        let mut head_failed: Option<f64> = None;
        for r in rules.clone() {
            let rule = &ctx.rules[r];
            if !top_down(rule) {
                continue;
            }
            match check_head(rule, pos, ctx.ignore_zones) {
                Ok(()) => {
                    fired = Some((r, Some(pos)));
                    break;
                }
                Err(failed) => {
                    let h = rule.when.head.unwrap_or(0.0);
                    head_failed = Some(head_failed.map_or(h, |x: f64| x.max(h)));
                    near(ctx, work, k, r, failed, Some(pos));
                }
            }
        }
        work.pending[k].head_guard = head_failed;
        if fired.is_none() && later {
            // Tail rules decide it bottom-up.
            before += w;
            continue;
        }
        let fired = fired.or(work.pending[k].fallback.map(|r| (r, None)));
        let Some((r, at)) = fired else {
            work.pending[k].state = State::Kept;
            before += w;
            continue;
        };
        match fire(ctx, work, aids, k, r, at, None) {
            Effect::Line => total -= w,
            Effect::Block(removed) => total -= w + removed,
            Effect::Head => {
                total -= before + w;
                before = 0;
            }
            Effect::Rest => return,
        }
    }
}

fn tail_pass(ctx: &Ctx, work: &mut Work, aids: &mut Aids) {
    let n = work.pending.len();
    // Kept weight before each pending line: final for this pass (drops happen below the
    // line being decided, or above it all at once with drop-head, which ends the pass).
    let mut before = Vec::with_capacity(n);
    let mut acc = 0usize;
    for k in 0..n {
        acc += work.seg[k];
        before.push(acc);
        let p = &work.pending[k];
        if p.counted() && p.state != State::Dropped {
            acc += p.weight;
        }
    }
    let mut after = work.seg[n]; // kept weight below the line being decided
    let mut guards = Guards::default();
    for k in (0..n).rev() {
        let p = &work.pending[k];
        let w = if p.counted() { p.weight } else { 0 };
        match p.state {
            State::Dropped => {
                after += work.seg[k];
                continue;
            }
            State::Kept => {
                after += w;
                if let Some(h) = p.head_guard {
                    guards.push(k, head_guard(after, h));
                }
                after += work.seg[k];
                continue;
            }
            State::Undecided => {}
        }
        let rest = after + w;
        let pos = position(before[k], rest);
        let mut fired = None;
        let mut head_failed: Option<f64> = p.head_guard;
        for r in work.lists[p.rules as usize].clone() {
            let rule = &ctx.rules[r];
            if !bottom_up(rule) {
                continue; // tried top-down
            }
            // `repeats_next` rules are tried only here, with their whole zone.
            let zone = if rule.when.repeats_next {
                check_zone(rule, pos, ctx.ignore_zones)
            } else {
                check_tail(rule, pos, ctx.ignore_zones)
            };
            if let Err(failed) = zone {
                if let Some(h) = rule.when.head.filter(|_| rule.when.repeats_next) {
                    head_failed = Some(head_failed.map_or(h, |x| x.max(h)));
                }
                near(ctx, work, k, r, failed, Some(pos));
                continue;
            }
            if rule.when.repeats_next && !repeats_next(ctx, work, &mut aids.skip, k) {
                near(ctx, work, k, r, "repeats_next".into(), None);
                continue;
            }
            let at = (!ctx.ignore_zones && (rule.when.head.is_some() || rule.when.tail.is_some()))
                .then_some(pos);
            // What the drop would leave below and above the protected lines (those it
            // removes need no protection).
            let plan = plan(
                ctx,
                work,
                &mut aids.skip,
                k,
                rule.action,
                rule.block_max_chars,
            );
            let guard = guards.below(plan.last_pending(k));
            let ok = leaves_room(rule.action, before[k], rest - w - plan.weight, guard);
            if guard > 0.0 && !ok {
                near(ctx, work, k, r, "zone guard".into(), Some(pos));
                continue;
            }
            fired = Some((r, at, plan));
            break;
        }
        let fired = fired.or_else(|| {
            let r = work.pending[k].fallback?;
            let rule = &ctx.rules[r];
            let mut plan = plan(
                ctx,
                work,
                &mut aids.skip,
                k,
                rule.action,
                rule.block_max_chars,
            );
            // A fallback drops its line in any case; its reach below must respect the guard.
            let guard = guards.below(plan.last_pending(k));
            let ok = leaves_room(rule.action, before[k], rest - plan.weight, guard);
            if guard > 0.0 && !ok {
                plan = Plan::default();
                plan.line_only = true;
            }
            Some((r, None, plan))
        });
        let Some((r, at, plan)) = fired else {
            after = rest;
            if let Some(h) = head_failed {
                guards.push(k, head_guard(after, h));
            }
            let p = &mut work.pending[k];
            p.state = State::Kept;
            p.head_guard = head_failed;
            after += work.seg[k];
            continue;
        };
        let reach = plan.last_pending(k);
        match fire(ctx, work, aids, k, r, at, Some(plan)) {
            Effect::Line => {}
            Effect::Block(removed) => {
                after -= removed;
                guards.drop_to(reach);
            }
            Effect::Rest => {
                after = 0;
                guards = Guards::default();
            }
            Effect::Head => return,
        }
        after += work.seg[k];
    }
}

/// The least `before + after` a bottom-up drop may leave: lines below that stayed outside
/// a `head` zone must stay outside it. A line a block drop removes needs no protection,
/// so each guard stays with its line.
#[derive(Debug, Default)]
struct Guards {
    /// (pending index, the largest guard from this line down), pending index decreasing.
    stack: Vec<(usize, f64)>,
}

impl Guards {
    /// Protects pending line `k` (above every line protected so far) with `guard`.
    fn push(&mut self, k: usize, guard: f64) {
        let max = self.stack.last().map_or(guard, |&(_, m)| m.max(guard));
        self.stack.push((k, max));
    }

    /// The guard of the lines below pending line `k`.
    fn below(&self, k: usize) -> f64 {
        let i = self.stack.partition_point(|&(j, _)| j > k);
        if i == 0 {
            0.0
        } else {
            self.stack[i - 1].1
        }
    }

    /// Forgets the guards of the lines down to pending line `k` (a block removed them).
    fn drop_to(&mut self, k: usize) {
        let i = self.stack.partition_point(|&(j, _)| j > k);
        self.stack.truncate(i);
    }
}

/// Whether a drop leaving `after` kept weight below (and, unless it takes the head,
/// `before` above) keeps the protected lines below out of their head zones.
fn leaves_room(action: Action, before: usize, after: usize, guard: f64) -> bool {
    match action {
        Action::DropRest => true,
        Action::DropHead => after as f64 >= guard + MARGIN,
        _ => (before + after) as f64 >= guard + MARGIN,
    }
}

/// The least `before + after` that keeps a line with `after` kept weight from it on out of
/// a `head` zone `h` (from `(1-h)·before ≥ h·after`).
fn head_guard(after: usize, h: f64) -> f64 {
    if h >= 1.0 {
        0.0
    } else {
        after as f64 / (1.0 - h)
    }
}

fn near(ctx: &Ctx, work: &mut Work, k: usize, rule: usize, failed: String, at: Option<f64>) {
    if ctx.trace {
        work.near.push(NearMiss {
            line: work.pending[k].number + 1,
            rule: ctx.rules[rule].id.clone(),
            failed,
            position: at,
        });
    }
}

/// The lines a structural drop at pending line `k` would take with it, below the line.
#[derive(Debug, Default)]
struct Plan {
    /// Lines below, with their pending index when pending.
    lines: Vec<(Line, Option<usize>)>,
    /// Their kept weight.
    weight: usize,
    /// Drop only the line itself (a fallback whose reach the guard refused).
    line_only: bool,
}

impl Plan {
    /// The last pending line the plan removes, or `k` (its own line) when none.
    fn last_pending(&self, k: usize) -> usize {
        if self.line_only {
            return k;
        }
        self.lines.iter().filter_map(|&(_, p)| p).max().unwrap_or(k)
    }
}

fn plan(
    ctx: &Ctx,
    work: &Work,
    skip: &mut Skip,
    k: usize,
    action: Action,
    max_chars: usize,
) -> Plan {
    let mut plan = Plan::default();
    if action != Action::DropBlock {
        return plan;
    }
    let text = ctx.text;
    let mut pos = skip.next_live(text, &work.fates, work.pending[k].line(text).end);
    while pos < text.len() {
        let l = line_at(text, pos);
        let view = view_of(text, &work.spans, &l);
        if !is_list_like(&view, l.chars(text), max_chars) {
            break;
        }
        let pending = work
            .pending
            .binary_search_by_key(&l.start, |p| p.start)
            .ok();
        plan.weight += match pending {
            Some(j) => {
                let p = &work.pending[j];
                if p.counted() && p.state != State::Dropped {
                    p.weight
                } else {
                    0
                }
            }
            None => weight(&view),
        };
        plan.lines.push((l, pending));
        pos = skip.next_live(text, &work.fates, l.end);
    }
    plan
}

/// Shortcuts over stretches of dropped and blank lines, so that a walk to the next kept
/// line costs little however many dropped runs lie between: a line once dropped (or
/// blank) stays so, so a shortcut never goes stale.
#[derive(Default)]
pub(crate) struct Skip {
    /// Start -> end of a stretch holding only dropped and blank lines.
    over: BTreeMap<usize, usize>,
}

impl Skip {
    /// The start of the first kept non-blank line at or after `from` (a line boundary),
    /// or the end of the text.
    pub(crate) fn next_live(&mut self, text: &str, fates: &Fates, from: usize) -> usize {
        let mut pos = from;
        let mut hops = 0usize;
        while pos < text.len() {
            if let Some((_, &end)) = self
                .over
                .range(..=pos)
                .next_back()
                .filter(|(_, &e)| pos < e)
            {
                pos = end;
            } else if let Some((_, run)) = fates.run_at(pos) {
                pos = run.end;
            } else {
                let l = line_at(text, pos);
                if !l.blank() {
                    break;
                }
                pos = l.end;
            }
            hops += 1;
        }
        if hops > 1 {
            let inner: Vec<usize> = self.over.range(from..pos).map(|(&s, _)| s).collect();
            for s in inner {
                self.over.remove(&s);
            }
            self.over.insert(from, pos);
        }
        pos
    }
}

/// What a firing did to the kept text, for the pass's running totals.
enum Effect {
    /// Only the line went.
    Line,
    /// The line and this much kept weight below it.
    Block(usize),
    /// Everything above went too.
    Head,
    /// Everything below went too.
    Rest,
}

/// Fires rule `r` on pending line `k`; `plan` is the block's reach when already computed.
fn fire(
    ctx: &Ctx,
    work: &mut Work,
    aids: &mut Aids,
    k: usize,
    r: usize,
    at: Option<f64>,
    plan: Option<Plan>,
) -> Effect {
    let rule = &ctx.rules[r];
    let p = &work.pending[k];
    let cause = match p.fallback_cause {
        Some(c) if at.is_none() && p.fallback == Some(r) => c,
        _ => work.fates.cause(r, None),
    };
    let line = work.pending[k].line(ctx.text);
    work.pending[k].state = State::Dropped;
    let plan = match plan {
        Some(p) => p,
        None => self::plan(
            ctx,
            work,
            &mut aids.skip,
            k,
            rule.action,
            rule.block_max_chars,
        ),
    };
    if plan.line_only {
        work.fates.drop_range(line.start, line.end, cause, at);
        return Effect::Line;
    }
    match rule.action {
        Action::DropLine | Action::Meta => {
            work.fates.drop_range(line.start, line.end, cause, at);
            if rule.action == Action::Meta {
                let matched = work.pending[k].matched(ctx.text, &work.spans).into_owned();
                capture(ctx, work, &mut aids.scratch, r, &matched);
            }
            Effect::Line
        }
        Action::DropBlock => {
            work.fates.drop_range(line.start, line.end, cause, at);
            let mut end = line.end;
            for (l, pending) in &plan.lines {
                work.fates.drop_gaps(end, l.end, cause, at);
                end = l.end;
                match pending {
                    Some(j) => work.pending[*j].state = State::Dropped,
                    None => {
                        let seg = work.pending.partition_point(|p| p.start < l.start);
                        let view = view_of(ctx.text, &work.spans, l);
                        work.seg[seg] -= weight(&view);
                    }
                }
            }
            Effect::Block(plan.weight)
        }
        Action::DropRest => {
            work.fates.drop_all(line.start, ctx.text.len(), cause, at);
            for p in &mut work.pending[k..] {
                p.state = State::Dropped;
            }
            work.seg[k + 1..].iter_mut().for_each(|s| *s = 0);
            Effect::Rest
        }
        Action::DropHead => {
            work.fates.drop_gaps(0, line.end, cause, at);
            for p in &mut work.pending[..k] {
                p.state = State::Dropped;
            }
            work.seg[..=k].iter_mut().for_each(|s| *s = 0);
            Effect::Head
        }
        Action::DropSpan | Action::Replace => unreachable!("span rules are not line rules"),
    }
}

/// Whether pending line `k` equals the next kept non-blank line (white space aside). A
/// line removed for repeating an earlier paragraph still counts: it was that repeat.
fn repeats_next(ctx: &Ctx, work: &Work, skip: &mut Skip, k: usize) -> bool {
    let text = ctx.text;
    let mine = work.pending[k].line(text);
    let next = skip.next_live(text, &work.fates, mine.end);
    let i = work.repeats.partition_point(|&s| s < mine.end);
    if let Some(&r) = work.repeats.get(i).filter(|&&r| r < next) {
        // Only while it is still charged to the repeat (a later drop-rest claims it).
        if work.fates.dropped(r) == work.repeat_cause
            && squeeze_eq(mine.trimmed(text), line_at(text, r).trimmed(text))
        {
            return true;
        }
    }
    if next >= text.len() {
        return false;
    }
    let l = line_at(text, next);
    // On HTML pages, rows, items, code and sibling paragraphs repeat by structure.
    let structural = ctx
        .hint_at(l.start)
        .zip(ctx.hint_at(mine.start))
        .is_some_and(|(a, b)| a.repeats_by_structure(b));
    squeeze_eq(mine.trimmed(text), l.trimmed(text)) && !structural
}
