//! The rule pass: every line, top to bottom, matched once.
//!
//! Each line is matched as the span rules leave it (`關(guān)鍵詞` reads `關鍵詞`), then as
//! written. Candidates are tried in priority order (drop-rest, drop-head, drop-block,
//! meta, drop-line; then rule order); the first whose line-local conditions hold decides
//! the line. A candidate with a condition that depends on the rest of the document
//! (`head`/`tail`, `repeats_next`) cannot decide yet: the line becomes *pending*, with the
//! deferred candidates and the first plain candidate after them as its fallback, and
//! [`super::zones`] decides it once the rest of the document is known.

use crate::classify::features::Features;
use crate::extract::blocks::BlockKind;
use crate::rules::Action;

use std::collections::HashMap;
use std::hash::Hasher;

use super::capture::capture;
use super::conditions::{check_local, is_deferred, is_list_like, squeeze_eq, Above};
use super::lines::{char_count, lines, weight, Line};
use super::matchers::Scratch;
use super::pending::{apply_hits, Pending, State};
use super::shape::is_paragraph;
use super::stages;
use super::{CleanError, Ctx, NearMiss, Work};

/// Which short lines occur more than once (white space aside), so a `repeats_next` rule
/// defers only lines that can repeat. Two bit sets of hashes: seen once, seen again;
/// a hash collision only defers a line needlessly.
pub(crate) struct RepeatFilter {
    once: Vec<u64>,
    twice: Vec<u64>,
    mask: u64,
}

impl RepeatFilter {
    /// Hashes the lines of `text` of at most `max_chars` characters (`None`: all).
    pub fn new(text: &str, max_chars: Option<usize>) -> RepeatFilter {
        let bits = (text.len() / 2).next_power_of_two().clamp(1 << 10, 1 << 28);
        let mut f = RepeatFilter {
            once: vec![0; bits / 64],
            twice: vec![0; bits / 64],
            mask: bits as u64 - 1,
        };
        for l in lines(text) {
            if l.blank() || max_chars.is_some_and(|m| l.chars(text) > m) {
                continue;
            }
            let h = f.slot(l.trimmed(text));
            let (w, b) = ((h / 64) as usize, 1u64 << (h % 64));
            if f.once[w] & b != 0 {
                f.twice[w] |= b;
            } else {
                f.once[w] |= b;
            }
        }
        f
    }

    fn slot(&self, s: &str) -> u64 {
        // FNV-1a over the characters that are not white space.
        let mut h: u64 = 0xcbf29ce484222325;
        for c in s.chars().filter(|c| !c.is_whitespace()) {
            let mut buf = [0u8; 4];
            for &b in c.encode_utf8(&mut buf).as_bytes() {
                h ^= b as u64;
                h = h.wrapping_mul(0x100000001b3);
            }
        }
        h & self.mask
    }

    /// Whether a line with this trimmed text may occur again.
    pub fn may_repeat(&self, s: &str) -> bool {
        let h = self.slot(s);
        self.twice[(h / 64) as usize] & (1u64 << (h % 64)) != 0
    }
}

/// An open `drop-block`: its rule, the cause, the longest item it accepts, where its last line ended.
struct Block {
    rule: usize,
    cause: u32,
    max_chars: usize,
    end: usize,
}

/// Runs the rule pass over every line not yet dropped; `repeated` is the rule of the
/// repeated-paragraph stage, when it is on.
pub(crate) fn run(ctx: &Ctx, work: &mut Work, repeated: Option<usize>) -> Result<(), CleanError> {
    let text = ctx.text;
    let rules = ctx.rules;
    let mut scratch = Scratch::new(ctx.matchers, text.len());
    let mut block: Option<Block> = None;
    let mut prev_image = false;
    // The nearest kept line above is a paragraph that does not announce what follows.
    let mut prev_prose = false;
    let mut view = String::new();
    // Weight of kept lines since the last pending line.
    let mut seg = 0usize;
    let repeats = rules
        .iter()
        .enumerate()
        .filter(|(i, r)| ctx.active[*i] && r.when.repeats_next)
        .map(|(_, r)| r.when.max_chars)
        .reduce(|a, b| a.zip(b).map(|(a, b)| a.max(b)));
    let repeats = repeats.map(|max| RepeatFilter::new(text, max));
    let mut seen = repeated.map(|r| (Paragraphs::default(), work.fates.cause(r, None)));
    work.repeat_cause = seen.as_ref().map(|s| s.1);
    for (number, line) in lines(text).enumerate() {
        if line.blank() || work.fates.dropped(line.start).is_some() {
            // An image a page stage removed is still the image a caption follows.
            if work.dropped_images.binary_search(&number).is_ok() {
                prev_image = true;
            }
            if let Some(h) = ctx.hint(number) {
                if h.kind == BlockKind::Image {
                    prev_image = true;
                }
                // A byline the extractor removed still gives its metadata to `meta` rules.
                if h.byline {
                    byline_metadata(ctx, work, &mut scratch, line.trimmed(text), prev_image);
                }
            }
            continue;
        }
        let raw = line.trimmed(text);
        let chars = char_count(raw);
        ctx.matchers.span.find(rules, raw, &mut scratch, &mut |r| {
            ctx.active[r] && check_local(&rules[r], raw, chars, Above::default()).is_ok()
        });
        if let Some(r) = ctx.invisible {
            stages::invisible::add_hits(raw, r, &mut scratch.hits);
        }
        if let Some(r) = scratch.overflow() {
            return Err(CleanError::ReplacementTooLarge {
                rule: rules[r].id.clone(),
                limit: scratch.budget_limit(),
            });
        }
        let spanned = !scratch.hits.is_empty();
        if spanned {
            view.clear();
            apply_hits(raw, &scratch.hits, &mut view);
            work.spans.push((line.start, scratch.hits.clone()));
        }
        let s: &str = if spanned { &view } else { raw };

        // Candidates of the first variant on which any rule's local conditions hold.
        let mut deferred: Vec<usize> = Vec::new();
        let mut plain: Option<usize> = None;
        let mut matched_raw = false;
        for (k, v) in [s, raw].into_iter().take(1 + spanned as usize).enumerate() {
            ctx.matchers.line.candidates(rules, v, chars, &mut scratch);
            for &r in &scratch.candidates {
                if !ctx.active[r] {
                    continue;
                }
                let above = Above {
                    image: prev_image,
                    paragraph: prev_prose,
                };
                let local = check_local(&rules[r], v, chars, above).and_then(|()| match &repeats {
                    Some(f) if rules[r].when.repeats_next && !f.may_repeat(raw) => {
                        Err("repeats_next".to_string())
                    }
                    _ => Ok(()),
                });
                match local {
                    Ok(()) if is_deferred(&rules[r], ctx.ignore_zones) => deferred.push(r),
                    Ok(()) => {
                        plain = Some(r);
                        break;
                    }
                    Err(failed) if ctx.trace && k == 0 => work.near.push(NearMiss {
                        line: number + 1,
                        rule: rules[r].id.clone(),
                        failed,
                        position: None,
                    }),
                    Err(_) => {}
                }
            }
            if plain.is_some() || !deferred.is_empty() {
                matched_raw = k == 1;
                break;
            }
        }
        let matched = if matched_raw { raw } else { s };
        let w = weight(s);

        // An open block takes the list-like lines no rule decides.
        let in_block: Option<usize> = block
            .as_ref()
            .filter(|b| is_list_like(s, chars, b.max_chars))
            .map(|b| b.rule);
        if !deferred.is_empty() {
            // Inside a block, the block backs the deferred rules up.
            let fallback = plain.or(in_block);
            // A paragraph shown again goes now; one the zones may keep is an occurrence.
            if fallback.is_none() {
                if let Some(cause) = repeat_cause(&mut seen, ctx, &line, s, number) {
                    work.fates.drop_range(line.start, line.end, cause, None);
                    work.repeats.push(line.start);
                    block = None;
                    prev_image = false;
                    continue;
                }
            }
            if fallback.is_none() {
                prev_prose = is_prose(s);
            }
            match block.as_mut() {
                Some(b) if fallback == Some(b.rule) => b.end = line.end,
                _ => block = None,
            }
            work.seg.push(seg);
            seg = 0;
            // A line an image rule drops if the deferred rules do not still reads as an image.
            prev_image = fallback.is_some_and(|r| rules[r].category == "image");
            let rules = work.list(deferred);
            work.pending.push(Pending {
                start: line.start,
                number,
                weight: w,
                rules,
                fallback,
                fallback_cause: None,
                raw_matched: matched_raw,
                state: State::Undecided,
                head_guard: None,
            });
            continue;
        }
        let Some(r) = plain else {
            if let Some(b) = block.as_mut().filter(|_| in_block.is_some()) {
                work.fates.drop_gaps(b.end, line.end, b.cause, None);
                b.end = line.end;
            } else {
                block = None;
                match repeat_cause(&mut seen, ctx, &line, s, number) {
                    Some(cause) => {
                        work.fates.drop_range(line.start, line.end, cause, None);
                        work.repeats.push(line.start);
                    }
                    None => {
                        seg += w;
                        prev_prose = is_prose(s);
                    }
                }
            }
            prev_image = false;
            continue;
        };
        let rule = &rules[r];
        prev_image = rule.category == "image";
        let cause = work.fates.cause(r, None);
        match rule.action {
            // A line rule inside a block leaves the block open.
            Action::DropLine | Action::Meta => {
                work.fates.drop_range(line.start, line.end, cause, None);
                if rule.action == Action::Meta {
                    capture(ctx, work, &mut scratch, r, matched);
                }
            }
            Action::DropRest => {
                work.fates.drop_all(line.start, text.len(), cause, None);
                break;
            }
            Action::DropHead => {
                work.fates.drop_gaps(0, line.end, cause, None);
                // What went above is no longer an earlier occurrence.
                if let Some((paragraphs, _)) = seen.as_mut() {
                    *paragraphs = Paragraphs::default();
                }
                for p in &mut work.pending {
                    p.state = State::Dropped;
                }
                work.seg.iter_mut().for_each(|s| *s = 0);
                seg = 0;
                block = None;
            }
            Action::DropBlock => {
                work.fates.drop_range(line.start, line.end, cause, None);
                block = Some(Block {
                    rule: r,
                    cause,
                    max_chars: rule.block_max_chars,
                    end: line.end,
                });
            }
            Action::DropSpan | Action::Replace => unreachable!("span rules are not line rules"),
        }
    }
    work.seg.push(seg);
    Ok(())
}

/// A paragraph of prose that does not announce what follows with a colon: what the
/// `after_paragraph` condition looks for above a line.
fn is_prose(s: &str) -> bool {
    is_paragraph(s) && !s.ends_with([':', '：'])
}

/// Paragraphs kept so far, to recognise one shown again (`duplicate.paragraph`).
#[derive(Default)]
struct Paragraphs {
    /// Hash of the text (white space aside) -> the kept lines with it: their text,
    /// numbers, and how many paragraphs had been kept before each.
    seen: HashMap<u64, Vec<Seen>>,
    /// Paragraphs (prose, by shape) kept so far.
    prose: usize,
}

/// A kept line registered by [`Paragraphs`].
struct Seen {
    /// Its text as the rules left it: a trimmed range of the input when no span rule
    /// changed it, else a copy (a second pass sees the changed text, so the first must
    /// compare that, or cleaning would not be idempotent).
    text: SeenText,
    number: usize,
    prose_before: usize,
}

enum SeenText {
    Input(usize, usize),
    Changed(Box<str>),
}

/// Paragraphs shorter than this may repeat (list items, table cells, short replies).
const REPEAT_MIN_CHARS: usize = 10;

impl Paragraphs {
    /// Whether the kept `line` (number `number`) repeats an earlier kept one; registers
    /// it when not. Some repeats are the author's: on HTML pages a repeat among rows,
    /// items, code or sibling paragraphs; in any text a line of program code (two
    /// snippets importing the same module) and a question asked again after answers
    /// (an interview putting the same questions to several people). A title shown twice
    /// has no paragraph between its copies.
    fn repeated(&mut self, ctx: &Ctx, line: &Line, view: &str, number: usize) -> bool {
        let text = ctx.text;
        let s = view.trim();
        if s.chars().count() < REPEAT_MIN_CHARS {
            return false;
        }
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for part in s.split_whitespace() {
            h.write(part.as_bytes());
        }
        let slot = self.seen.entry(h.finish()).or_default();
        let structural = |earlier: usize| {
            ctx.hint(number)
                .zip(ctx.hint(earlier))
                .is_some_and(|(a, b)| a.repeats_by_structure(b))
        };
        let question = s.ends_with(['？', '?']);
        let prose = self.prose;
        let earlier = slot.iter().find(|e| {
            let t = match &e.text {
                SeenText::Input(ts, te) => &text[*ts..*te],
                SeenText::Changed(t) => t,
            };
            squeeze_eq(t, s) && !structural(e.number) && !(question && e.prose_before < prose)
        });
        if earlier.is_some() && !Features::of(s).code {
            return true;
        }
        let unchanged = line.trimmed(text);
        slot.push(Seen {
            text: if unchanged == s {
                SeenText::Input(line.ts, line.te)
            } else {
                SeenText::Changed(s.into())
            },
            number,
            prose_before: prose,
        });
        if is_paragraph(s) {
            self.prose += 1;
        }
        false
    }
}

/// The cause to drop `line` with when it repeats an earlier kept paragraph.
fn repeat_cause(
    seen: &mut Option<(Paragraphs, u32)>,
    ctx: &Ctx,
    line: &Line,
    view: &str,
    number: usize,
) -> Option<u32> {
    let (paragraphs, cause) = seen.as_mut()?;
    paragraphs
        .repeated(ctx, line, view, number)
        .then_some(*cause)
}

/// Reads the metadata of a byline the extractor removed: the first `meta` rule whose
/// pattern and local conditions hold captures its fields; the line stays removed.
fn byline_metadata(ctx: &Ctx, work: &mut Work, scratch: &mut Scratch, raw: &str, prev_image: bool) {
    let rules = ctx.rules;
    let chars = char_count(raw);
    ctx.matchers.line.candidates(rules, raw, chars, scratch);
    let found = scratch.candidates.iter().copied().find(|&r| {
        ctx.active[r]
            && rules[r].action == Action::Meta
            && check_local(
                &rules[r],
                raw,
                chars,
                Above {
                    image: prev_image,
                    paragraph: false,
                },
            )
            .is_ok()
    });
    if let Some(r) = found {
        capture(ctx, work, scratch, r, raw);
    }
}
