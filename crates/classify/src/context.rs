//! Context: what a line's neighbours say about it, and the score each line adds to an
//! article region.
//!
//! jusText's precedent: a short line between two paragraphs is a subheading, the same
//! line among menus is a menu. Undecided lines (short lines, short sentences, code) take
//! the context of the nearest decisive lines on each side, skipping transparent ones.

use serde::Serialize;

use super::features::Features;
use super::line::{Class, Reason};

/// What the context made of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Context {
    /// Transparent: blank, URL, already removed.
    Skip,
    /// Article text.
    Article,
    /// Page chrome.
    Chrome,
}

/// Why the context is what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContextReason {
    /// The line is transparent.
    Transparent,
    /// The line decided by its own evidence.
    OwnEvidence,
    /// Between article paragraphs (both nearest decisive neighbours are prose).
    BetweenParagraphs,
    /// A sentence or code next to a paragraph on one side.
    NextToParagraph,
    /// Among page chrome (no paragraph on either side, or a short line with chrome on one side).
    AmongChrome,
}

impl ContextReason {
    /// A short human description.
    pub fn describe(self) -> &'static str {
        match self {
            ContextReason::Transparent => "transparent to context",
            ContextReason::OwnEvidence => "decided by its own evidence",
            ContextReason::BetweenParagraphs => "between article paragraphs",
            ContextReason::NextToParagraph => "a sentence next to a paragraph",
            ContextReason::AmongChrome => "among page chrome",
        }
    }
}

/// Base penalty of a short line among chrome.
const SHORT_PENALTY: f64 = 0.5;
/// Base penalty of a line with chrome evidence.
const CHROME_PENALTY: f64 = 2.0;
/// Base penalty of a date or time line: bare dates follow list items, never paragraphs.
const DATE_PENALTY: f64 = 4.0;
/// Penalty of a list heading: articles do not go on past one.
const BARRIER_PENALTY: f64 = 12.0;
/// An undecided line kept by its context adds a little.
const CONTEXT_BONUS: f64 = 0.3;
/// Each further chrome line in a run costs this fraction more: long runs are boundaries.
const RUN_GROWTH: f64 = 0.25;

/// Runs of three or more numbered, headline-shaped lines (short, not ending a paragraph)
/// are a ranked list: their items cannot count as prose on their own.
pub fn mark_numbered_lists(classes: &mut [(Class, Reason)], features: &[Features]) {
    let item = |i: usize| {
        let f = &features[i];
        f.numbered && f.chars <= 40 && !f.ends_paragraph
    };
    let n = classes.len();
    let mut i = 0;
    while i < n {
        if classes[i].0 == Class::Skip || !item(i) {
            i += 1;
            continue;
        }
        let start = i;
        let mut items = 0;
        while i < n && (classes[i].0 == Class::Skip || item(i)) {
            if classes[i].0 != Class::Skip {
                items += 1;
            }
            i += 1;
        }
        if items >= 3 {
            for c in &mut classes[start..i] {
                if matches!(c.0, Class::Good | Class::NearGood) {
                    *c = (Class::Short, Reason::NumberedList);
                }
            }
        }
    }
}

/// Code blocks and short-line runs have at least this many lines.
const RUN_MIN: usize = 3;
/// A short-line run has at least this many lines (see [`reads_as_prose_run`]).
pub const SHORT_RUN_MIN: usize = 6;
/// What a line of a code block adds to an article region (code has no sentences to
/// weigh: a modest constant, so that an article of code and short lines is found).
const CODE_BLOCK_SCORE: f64 = 0.6;
/// What a line of a short-line run adds, beside its size (a paragraph adds 2 and its size).
const SHORT_RUN_SCORE: f64 = 0.5;

/// A line that reads like code or a shell command: no CJK, nearly all ASCII, and either the
/// code shapes of [`Features::code`] or a start in lowercase or a code symbol with code
/// punctuation in it (`sudo systemctl enable --now x.timer`, `[Unit]`, `$ ls -l`).
fn codeish(f: &Features, line: &str) -> (bool, bool) {
    let s = line.trim();
    if f.cjk > 0 || f.chars == 0 || f.url {
        return (false, false);
    }
    let ascii = s.chars().filter(char::is_ascii).count() as u32;
    if ascii * 10 < f.chars * 9 {
        return (false, false);
    }
    let start = s.chars().next().unwrap_or(' ');
    let starts = start.is_ascii_lowercase()
        || matches!(
            start,
            '#' | '$' | '.' | '/' | '[' | '{' | '<' | '@' | '-' | '}' | ']' | ')'
        );
    let punct = s.contains(" -")
        || s.contains([
            '=', '{', '}', '[', ']', ';', '$', '|', '\\', '<', '>', '(', '/',
        ]);
    let strong = f.code || (starts && punct);
    (f.code || (starts && f.sentence_punct == 0), strong)
}

/// Blocks of code in a page dump: [`RUN_MIN`] or more consecutive code-like lines (blank
/// lines aside), two of them with code syntax. Each line alone may look like a label or a
/// date (`OnCalendar=*-*-* 03:00:00`); together they are the article's code, and they are
/// article evidence for the sentences around them.
pub fn mark_code_blocks(classes: &mut [(Class, Reason)], features: &[Features], lines: &[&str]) {
    let n = classes.len();
    let mut i = 0;
    while i < n {
        let (c, strong) = codeish(&features[i], lines[i]);
        if !c || classes[i].0 == Class::Skip {
            i += 1;
            continue;
        }
        let start = i;
        let (mut count, mut strong_count) = (0, 0);
        let mut j = i;
        while j < n {
            if classes[j].1 == Reason::Blank {
                j += 1;
                continue;
            }
            let (c, s) = codeish(&features[j], lines[j]);
            if !c || classes[j].0 == Class::Skip {
                break;
            }
            count += 1;
            strong_count += usize::from(s || strong && j == start);
            j += 1;
        }
        if count >= RUN_MIN && strong_count >= 2 {
            for c in &mut classes[start..j] {
                let overridable = !matches!(
                    c.1,
                    Reason::Blank | Reason::Url | Reason::Copyright | Reason::Removed
                );
                if overridable {
                    *c = (Class::Code, Reason::CodeBlock);
                }
            }
        }
        i = j.max(start + 1);
    }
}

/// A line ending with a photo credit right after an image URL is the image's caption.
pub fn mark_captions(classes: &mut [(Class, Reason)], features: &[Features]) {
    let mut after_image = false;
    for (c, f) in classes.iter_mut().zip(features) {
        if c.1 == Reason::Blank {
            continue;
        }
        if after_image && f.photo_credit && c.0 != Class::Skip {
            *c = (Class::Bad, Reason::Caption);
        }
        after_image = c.1 == Reason::Url;
    }
}

/// Line numbers printed beside a code block (`1`, `2`, `3` ... on lines of their own,
/// just before or after it) are not text: they become transparent, and are dropped.
pub fn mark_line_numbers(classes: &mut [(Class, Reason)], lines: &[&str]) {
    let n = classes.len();
    let number = |i: usize| lines[i].trim().parse::<u32>().ok();
    let mut i = 0;
    while i < n {
        if number(i) != Some(1) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let mut next = 2;
        while j < n && number(j) == Some(next) {
            next += 1;
            j += 1;
        }
        let code = |k: usize| classes[k].1 == Reason::CodeBlock;
        let before = (0..i)
            .rev()
            .find(|&k| classes[k].1 != Reason::Blank)
            .is_some_and(code);
        let after = (j..n)
            .find(|&k| classes[k].1 != Reason::Blank)
            .is_some_and(code);
        if j - i >= 2 && (before || after) {
            for c in &mut classes[i..j] {
                *c = (Class::Skip, Reason::LineNumbers);
            }
        }
        i = j;
    }
}

/// Whether short lines read as prose together: the run is long enough, its lines are not
/// all labels (six characters on average or more), and half of them or more hold function
/// characters or stop words (sentences written line by line have them; menus of names and
/// labels do not).
pub fn reads_as_prose_run(features: &[Features]) -> bool {
    let n = features.len();
    // Chinese text only: in Latin script short lines with stop words are menus and
    // headlines as often as verse.
    if n < SHORT_RUN_MIN || features.iter().any(|f| f.cjk * 2 < f.chars) {
        return false;
    }
    let chars: u32 = features.iter().map(|f| f.chars).sum();
    let worded = features
        .iter()
        .filter(|f| f.function_chars + f.stop_words > 0)
        .count();
    chars as usize >= 6 * n && worded * 2 >= n
}

/// Runs of short lines that read as prose together (see [`reads_as_prose_run`]) are
/// article text: each line alone is a short line, which only its neighbours decide. A
/// short sentence belongs to the run too (a personal blog writes a post a sentence a line,
/// some ending in 。, some not), and image lines between them do not break it.
pub fn mark_short_runs(classes: &mut [(Class, Reason)], features: &[Features]) {
    let n = classes.len();
    let short = |c: (Class, Reason)| {
        matches!(
            c,
            (Class::Short, Reason::Short) | (Class::NearGood, Reason::ShortSentence)
        )
    };
    let mut i = 0;
    while i < n {
        if !short(classes[i]) {
            i += 1;
            continue;
        }
        let mut members = Vec::new();
        let mut j = i;
        while j < n && (classes[j].0 == Class::Skip || short(classes[j])) {
            if classes[j].0 != Class::Skip {
                members.push(j);
            }
            j += 1;
        }
        let fs: Vec<Features> = members.iter().map(|&k| features[k]).collect();
        if reads_as_prose_run(&fs) {
            for &k in &members {
                classes[k] = (Class::Good, Reason::ShortLineRun);
            }
        }
        i = j;
    }
}

/// Whether a line's own class decides its neighbours: paragraphs, code blocks, list
/// headings, and chrome with strong evidence.
fn decisive(c: (Class, Reason)) -> Option<bool> {
    match c.0 {
        Class::Good => Some(true),
        Class::Code if c.1 == Reason::CodeBlock => Some(true),
        Class::Barrier => Some(false),
        Class::Bad if !c.1.is_weak() => Some(false),
        _ => None,
    }
}

/// The context of every line.
pub fn smooth(classes: &[(Class, Reason)]) -> Vec<(Context, ContextReason)> {
    let n = classes.len();
    // Nearest decisive line before each line: Some(true) prose, Some(false) chrome.
    let mut before = vec![None; n];
    let mut last = None;
    for i in 0..n {
        before[i] = last;
        if let Some(d) = decisive(classes[i]) {
            last = Some(d);
        }
    }
    let mut out = vec![(Context::Skip, ContextReason::Transparent); n];
    let mut next = None;
    for i in (0..n).rev() {
        let (class, _) = classes[i];
        out[i] = match class {
            Class::Skip => (Context::Skip, ContextReason::Transparent),
            Class::Good => (Context::Article, ContextReason::OwnEvidence),
            Class::Code if classes[i].1 == Reason::CodeBlock => {
                (Context::Article, ContextReason::OwnEvidence)
            }
            Class::Bad | Class::Barrier => (Context::Chrome, ContextReason::OwnEvidence),
            Class::Short | Class::NearGood | Class::Code => {
                let (p, q) = (before[i] == Some(true), next == Some(true));
                if p && q {
                    (Context::Article, ContextReason::BetweenParagraphs)
                } else if (p || q) && class != Class::Short {
                    (Context::Article, ContextReason::NextToParagraph)
                } else {
                    (Context::Chrome, ContextReason::AmongChrome)
                }
            }
        };
        if let Some(d) = decisive(classes[i]) {
            next = Some(d);
        }
    }
    out
}

/// A list heading followed within this many lines by two paragraphs in a row heads a box
/// inside the article (`Read more` with two links), not the lists after it.
const INLINE_BOX_LINES: usize = 4;

/// Whether the list heading at `i` heads a box inside the article: two paragraphs in a
/// row follow within [`INLINE_BOX_LINES`] lines (the related lists after an article are
/// longer, or alternate headlines with their summaries).
fn inline_box(classes: &[(Class, Reason)], i: usize) -> bool {
    let mut seen = 0;
    let mut prev_good = false;
    for c in &classes[i + 1..] {
        if c.0 == Class::Skip {
            continue;
        }
        let good = c.0 == Class::Good;
        if good && prev_good {
            return true;
        }
        prev_good = good;
        seen += 1;
        if seen > INLINE_BOX_LINES + 1 || c.0 == Class::Barrier {
            return false;
        }
    }
    false
}

/// What each line adds to an article region containing it: prose adds by its size,
/// chrome subtracts, more for every further line of an unbroken run of chrome.
pub fn scores(
    classes: &[(Class, Reason)],
    context: &[(Context, ContextReason)],
    features: &[Features],
) -> Vec<f64> {
    let mut run = 0u32;
    let mut out = Vec::with_capacity(classes.len());
    for (i, ((&(class, reason), &(ctx, _)), f)) in
        classes.iter().zip(context).zip(features).enumerate()
    {
        let s = match (class, ctx) {
            (Class::Skip, _) => 0.0,
            (Class::Good, _) if reason == Reason::ShortLineRun => {
                run = 0;
                SHORT_RUN_SCORE + (f.units() as f64 / 40.0).min(1.0)
            }
            (Class::Good, _) => {
                run = 0;
                2.0 + (f.units() as f64 / 40.0).min(3.0)
            }
            (Class::Code, _) if reason == Reason::CodeBlock => {
                run = 0;
                CODE_BLOCK_SCORE
            }
            (_, Context::Article) => CONTEXT_BONUS,
            (Class::Barrier, _) if reason == Reason::ListHeading && inline_box(classes, i) => {
                run += 1;
                -CHROME_PENALTY
            }
            (Class::Barrier, _) => {
                run += 1;
                -BARRIER_PENALTY
            }
            _ => {
                run += 1;
                let base = match (class, reason) {
                    (Class::Bad, Reason::DateTime) => DATE_PENALTY,
                    (Class::Bad, _) => CHROME_PENALTY,
                    _ => SHORT_PENALTY,
                };
                -base * (1.0 + RUN_GROWTH * run as f64)
            }
        };
        out.push(s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::line::classify;

    fn classes(lines: &[&str]) -> (Vec<(Class, Reason)>, Vec<Features>) {
        let f: Vec<Features> = lines.iter().map(|l| Features::of(l)).collect();
        (f.iter().map(classify).collect(), f)
    }

    #[test]
    fn subheading_between_paragraphs_menu_among_chrome() {
        let para = "这是一段足够长的正文，里面有逗号，也有句号，用来代表文章的段落。";
        let (c, _) = classes(&[
            para,
            "一个小标题",
            "https://x.example/a.png",
            para,
            "分享到：",
            "一个小标题",
            "登录",
        ]);
        let ctx = smooth(&c);
        assert_eq!(ctx[1], (Context::Article, ContextReason::BetweenParagraphs));
        assert_eq!(ctx[2].0, Context::Skip);
        assert_eq!(ctx[5], (Context::Chrome, ContextReason::AmongChrome));
        assert_eq!(ctx[4], (Context::Chrome, ContextReason::OwnEvidence));
    }

    #[test]
    fn numbered_headline_runs_are_lists() {
        let lines = [
            "1、早知道：健康产业再迎重磅政策红利；钴产品价格持续反弹",
            "2、某公司证实：已生产新一代产品，性能提升",
            "3、上市在即却被起诉 对方回复：暂不回应此事",
        ];
        let (mut c, f) = classes(&lines);
        assert!(c.iter().any(|x| x.0 != Class::Short));
        mark_numbered_lists(&mut c, &f);
        assert!(c.iter().all(|x| *x == (Class::Short, Reason::NumberedList)));
        // Two numbered sentences are not a list.
        let (mut c2, f2) = classes(&lines[..2]);
        let before = c2.clone();
        mark_numbered_lists(&mut c2, &f2);
        assert_eq!(c2, before);
    }

    #[test]
    fn chrome_runs_cost_more_the_longer_they_get() {
        let (c, f) = classes(&["菜单", "菜单", "菜单", "菜单"]);
        let ctx = smooth(&c);
        let s = scores(&c, &ctx, &f);
        assert!(s.windows(2).all(|w| w[1] < w[0] && w[0] < 0.0));
    }
}
