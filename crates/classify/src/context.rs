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

/// Whether a line's own class decides its neighbours: paragraphs, list headings, and
/// chrome with strong evidence.
fn decisive(c: (Class, Reason)) -> Option<bool> {
    match c.0 {
        Class::Good => Some(true),
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

/// What each line adds to an article region containing it: prose adds by its size,
/// chrome subtracts, more for every further line of an unbroken run of chrome.
pub fn scores(
    classes: &[(Class, Reason)],
    context: &[(Context, ContextReason)],
    features: &[Features],
) -> Vec<f64> {
    let mut run = 0u32;
    let mut out = Vec::with_capacity(classes.len());
    for ((&(class, reason), &(ctx, _)), f) in classes.iter().zip(context).zip(features) {
        let s = match (class, ctx) {
            (Class::Skip, _) => 0.0,
            (Class::Good, _) => {
                run = 0;
                2.0 + (f.units() as f64 / 40.0).min(3.0)
            }
            (_, Context::Article) => CONTEXT_BONUS,
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
