//! Whole-page text: finding the article in the lines of a page dump.
//!
//! A crawler that kept no markup saves every visible line of a page: the `<title>` line,
//! menus, login boxes, breadcrumbs, share bars, the article, comments, related and hot
//! lists, footers. This module tells them apart from the text alone, in four steps, each
//! kept in the result so that every decision can be explained:
//! 1. [`features`]: what each line measures (length, punctuation, function characters,
//!    chrome shapes);
//! 2. [`line`]: each line on its own: prose, chrome with evidence, or undecided;
//! 3. [`context`]: undecided lines take their neighbours' side (a short line between
//!    paragraphs is a subheading, among menus a menu); each line gets a score;
//! 4. [`region`]: is this a whole page at all; if so, the headline (the line repeating the
//!    page title) and the article region (the best-scoring run of lines after it).
//!
//! Texts that are mostly prose (article reposts) are not pages: nothing is decided for
//! them. Inside the article region, only lines whose context is chrome are removed, so
//! a decision never cuts a paragraph out of the body. Pure: no I/O, cost linear in the
//! text.
//!
//! ```
//! use rinse_classify::{analyze, Options};
//! let page = "本市新建三座公园_某某网\n首页\n新闻\n体育\n财经\n登录\n当前位置：首页 > 新闻 > 正文\n本市新建三座公园\n\
//!             2024-01-02 10:00 来源：某报\n分享到：\n这是正文的第一段，讲述了三座公园从规划到建成的经过，内容比较长。\n\
//!             这是正文的第二段，记者在现场看到，工人们都在忙碌地种树和铺路。\n相关新闻\n另一条新闻的标题\n\
//!             Copyright © 2024 某某网 版权所有\n";
//! let lines: Vec<&str> = page.lines().collect();
//! let a = analyze(&lines, &Options::default());
//! assert!(a.verdict.is_page);
//! let kept: Vec<&str> = (0..lines.len()).filter(|&i| a.keeps(i)).map(|i| lines[i]).collect();
//! assert_eq!(kept[0], "本市新建三座公园");
//! assert_eq!(kept.len(), 3);
//! ```
//!
//! HTML extraction can ask the same classifier when its DOM signals are weak: give the
//! block lines, the page `<title>` ([`Options::title`]) and what the markup knows about
//! each line ([`LineHint::link_share`]), so that both modes decide alike.

#![warn(missing_docs)]

pub mod context;
pub mod features;
mod lexicon;
pub mod line;
pub mod mojibake;
pub mod region;

use std::fmt::Write as _;

use serde::Serialize;

pub use context::{Context, ContextReason};
pub use features::Features;
pub use line::{Class, Reason};
pub use region::{Article, Decision, TitleMatch, Verdict};

/// What a caller already knows about a line.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LineHint {
    /// The line is already removed (by a rule): left alone, and transparent to context
    /// unless its own evidence says chrome (a removed list heading still ends an article).
    pub removed: bool,
    /// Share of the line's characters that are link text (from HTML), when known: a line
    /// mostly of link text is chrome (weak evidence: it does not decide its neighbours).
    pub link_share: Option<f64>,
}

/// How to read the lines.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// The page title. `None`: the first non-blank line is the title, as in a page dump
    /// (the `<title>` comes first).
    pub title: Option<&'a str>,
    /// One hint per line, or none at all (empty).
    pub hints: &'a [LineHint],
}

/// Everything decided about one line.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LineReport {
    /// What the line measures.
    pub features: Features,
    /// What the line looks like on its own.
    pub class: Class,
    /// Why.
    pub reason: Reason,
    /// What its neighbours make of it.
    pub context: Context,
    /// Why.
    pub context_reason: ContextReason,
    /// What it adds to an article region containing it (0 when the text is not a page).
    pub score: f64,
    /// Kept or removed, and why.
    pub decision: Decision,
    /// Whether the caller said the line was already removed.
    pub removed: bool,
}

/// The classifier's result for a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    /// Whether the text is a whole page, and why.
    pub verdict: Verdict,
    /// The article, when the text is a page and one was found.
    pub article: Option<Article>,
    /// The title line (0-based) when the first line was taken as the page title.
    pub title_line: Option<usize>,
    /// One report per line.
    pub lines: Vec<LineReport>,
}

/// A text with more lines than this is never a page (corpora, logs): [`analyze_text`]
/// does not classify it, which also bounds what it holds per text.
pub const MAX_PAGE_LINES: usize = 100_000;

/// The lines of a text as the engine numbers them: split at `\n`, the `\r` of `\r\n`
/// dropped, no empty line after a final `\n`.
pub fn text_lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n')
        .map(|l| match l.strip_suffix('\n') {
            Some(l) => l.strip_suffix('\r').unwrap_or(l),
            None => l,
        })
        .collect()
}

/// Classifies a whole plain text, as the `page.text-lines` stage does (the first line is
/// the page title); `None` when it has [`MAX_PAGE_LINES`] lines or more.
pub fn analyze_text(text: &str) -> Option<Analysis> {
    if text.bytes().filter(|&b| b == b'\n').count() >= MAX_PAGE_LINES {
        return None;
    }
    Some(analyze(&text_lines(text), &Options::default()))
}

/// What the `page.text-lines` stage needs of a plain text: its [`analyze_text`] analysis
/// when the text is a page with an article, `None` otherwise. Most texts are articles, not
/// pages: a text with fewer than three lines of page chrome (both ways of being a page need
/// three) is turned away once its lines are measured, before the
/// context passes, the title search and the per-line reports.
pub fn page_analysis(text: &str) -> Option<Analysis> {
    if text.bytes().filter(|&b| b == b'\n').count() >= MAX_PAGE_LINES {
        return None;
    }
    let lines = text_lines(text);
    let features: Vec<Features> = lines.iter().map(|l| Features::of(l)).collect();
    let own: Vec<(Class, Reason)> = features.iter().map(line::classify).collect();
    let chrome = own
        .iter()
        .filter(|(c, r)| matches!(c, Class::Bad | Class::Barrier) && !r.is_weak())
        .count();
    if chrome < 3 {
        return None;
    }
    Some(analyze_measured(&lines, &Options::default(), features, own))
        .filter(|a| a.article.is_some())
}

/// Classifies the lines of a text (one entry per line, without line terminators).
pub fn analyze(lines: &[&str], options: &Options) -> Analysis {
    let features: Vec<Features> = lines.iter().map(|l| Features::of(l)).collect();
    // Whether the text is a page is a property of the text: decided before the hints.
    let own: Vec<(Class, Reason)> = features.iter().map(line::classify).collect();
    analyze_measured(lines, options, features, own)
}

/// [`analyze`], given each line's features and own class.
fn analyze_measured(
    lines: &[&str],
    options: &Options,
    features: Vec<Features>,
    own: Vec<(Class, Reason)>,
) -> Analysis {
    let mut classes = own.clone();
    for (c, h) in classes.iter_mut().zip(options.hints) {
        if h.removed {
            if !matches!(c.0, Class::Bad | Class::Barrier) {
                *c = (Class::Skip, Reason::Removed);
            }
        } else if h.link_share.is_some_and(|s| s >= 0.5) && c.0 != Class::Skip {
            *c = (Class::Bad, Reason::LinkText);
        }
    }
    context::mark_numbered_lists(&mut classes, &features);
    context::mark_code_blocks(&mut classes, &features, lines);
    context::mark_line_numbers(&mut classes, lines);
    context::mark_short_runs(&mut classes, &features);
    context::mark_captions(&mut classes, &features);
    let context = context::smooth(&classes);

    let title_line = match options.title {
        Some(_) => None,
        None => lines.iter().position(|l| !l.trim().is_empty()),
    };
    let title = options
        .title
        .or_else(|| title_line.map(|i| lines[i]))
        .unwrap_or("");
    let from = title_line.map_or(0, |i| i + 1);
    let titles = region::title_matches(title, lines, &features, from);
    let verdict = region::verdict(&own, &features, !titles.is_empty());

    let (scores, article) = if verdict.is_page {
        let scores = context::scores(&classes, &context, &features);
        let mut article = region::choose(&classes, &features, lines, &scores, &titles, title_line);
        if let Some(a) = article.as_mut() {
            region::extend_start(a, &context, &features);
        }
        (scores, article)
    } else {
        (vec![0.0; lines.len()], None)
    };
    let decisions = if verdict.is_page {
        region::decide(
            &classes,
            &context,
            &features,
            article.as_ref(),
            options.hints,
        )
    } else {
        vec![Decision::NotAPage; lines.len()]
    };
    let reports = (0..lines.len())
        .map(|i| LineReport {
            features: features[i],
            class: classes[i].0,
            reason: classes[i].1,
            context: context[i].0,
            context_reason: context[i].1,
            score: scores[i],
            decision: decisions[i],
            removed: options.hints.get(i).is_some_and(|h| h.removed),
        })
        .collect();
    Analysis {
        verdict,
        article,
        title_line,
        lines: reports,
    }
}

/// One line's report with the page-level decisions that framed it (for `rinse explain`).
/// Line numbers here are 1-based, as `rinse diff` shows them.
#[derive(Debug, Clone, Serialize)]
pub struct LineAnalysis<'a> {
    /// The line.
    pub line: usize,
    /// The line's class, features, context, score and decision.
    #[serde(flatten)]
    pub report: &'a LineReport,
    /// Whether the text is a page, and why.
    pub verdict: &'a Verdict,
    /// The headline's first and last line, if one was found.
    pub headline: Option<(usize, usize)>,
    /// The article body's first and last line, if an article was found.
    pub body: Option<(usize, usize)>,
    /// How the article was chosen.
    pub article_reason: Option<&'a str>,
}

impl Analysis {
    /// Line `i` (0-based) with the page-level decisions, `None` past the end.
    pub fn line(&self, i: usize) -> Option<LineAnalysis<'_>> {
        let one_based = |(a, b): (usize, usize)| (a + 1, b + 1);
        Some(LineAnalysis {
            line: i + 1,
            report: self.lines.get(i)?,
            verdict: &self.verdict,
            headline: self
                .article
                .as_ref()
                .and_then(|a| a.headline)
                .map(one_based),
            body: self.article.as_ref().map(|a| one_based(a.body)),
            article_reason: self.article.as_ref().map(|a| a.reason.as_str()),
        })
    }

    /// Whether line `i` (0-based) stays.
    pub fn keeps(&self, i: usize) -> bool {
        self.lines.get(i).is_none_or(|l| l.decision.keeps())
    }

    /// Explains line `i` (0-based) in a few lines of text: its class, features, context,
    /// score and decision, then the page-level decisions that framed it.
    pub fn describe_line(&self, i: usize) -> String {
        let mut out = String::new();
        let Some(l) = self.lines.get(i) else {
            return out;
        };
        let kept = if l.decision.keeps() {
            "kept"
        } else {
            "removed"
        };
        let _ = writeln!(out, "{kept}: {}", l.decision.describe());
        let _ = writeln!(
            out,
            "class: {} ({}); context: {} ({}); score {:+.2}{}",
            l.class.name(),
            l.reason.describe(),
            match l.context {
                Context::Skip => "none",
                Context::Article => "article",
                Context::Chrome => "chrome",
            },
            l.context_reason.describe(),
            l.score,
            if l.removed { "; already removed" } else { "" }
        );
        let _ = writeln!(out, "features: {}", describe_features(&l.features));
        let v = &self.verdict;
        let _ = writeln!(
            out,
            "page: {} ({}; {} of {} lines are chrome, longest menu run {})",
            if v.is_page {
                "whole page"
            } else {
                "not a page"
            },
            v.reason,
            v.chrome_lines,
            v.lines,
            v.menu_run
        );
        if let Some(a) = &self.article {
            let headline = a.headline.map_or("none".to_string(), |(h0, h1)| {
                if h0 == h1 {
                    format!("line {}", h0 + 1)
                } else {
                    format!("lines {}-{}", h0 + 1, h1 + 1)
                }
            });
            let _ = writeln!(
                out,
                "article: headline {headline}, body lines {}-{} (score {:.1}): {}",
                a.body.0 + 1,
                a.body.1 + 1,
                a.score,
                a.reason
            );
        }
        out
    }
}

/// The features worth showing: counts that are not zero, shapes that hold.
pub fn describe_features(f: &Features) -> String {
    let mut parts = vec![format!("{} chars", f.chars)];
    let counts = [
        (f.cjk, "CJK"),
        (f.function_chars, "function chars"),
        (f.sentence_punct, "sentence punct"),
        (f.clause_punct, "clause punct"),
        (f.latin_words, "Latin words"),
        (f.stop_words, "stop words"),
        (f.bars, "bars"),
        (f.undecodable, "undecodable"),
        (f.icons, "icon chars"),
    ];
    for (n, name) in counts {
        if n > 0 {
            parts.push(format!("{n} {name}"));
        }
    }
    let flags = [
        (f.url, "url"),
        (f.date_or_time, "date/time"),
        (f.relative_time, "relative time"),
        (f.numbers_only, "numbers only"),
        (f.breadcrumb, "breadcrumb"),
        (f.copyright, "copyright"),
        (f.widget_words, "widget words"),
        (f.list_heading, "list heading"),
        (f.comment_chrome, "comment chrome"),
        (f.code, "code"),
        (f.numbered, "numbered"),
    ];
    for (on, name) in flags {
        if on {
            parts.push(name.to_string());
        }
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests;
