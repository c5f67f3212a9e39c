//! `page.text-lines`: on plain text that is a whole page (a dump of every visible line:
//! title line, menus, share bars, the article, comments, related lists, footers), keeps
//! the headline and the article and drops the page chrome around them. The lines are
//! classified from the text alone by [`crate::classify`]; texts that are mostly prose are
//! not pages and are left alone. Runs before the rules, as `boilerplate.page` does on HTML.

use crate::classify::{analyze, Options};

use super::super::lines::{lines, Line};
use super::super::{Ctx, Work};

/// A page has at most this many lines; longer texts (corpora, logs) are never treated as
/// pages, which also bounds what the classifier holds per document.
pub(crate) const MAX_LINES: usize = 100_000;

/// Applies the stage to a plain-text document.
pub(crate) fn apply(ctx: &Ctx, work: &mut Work, rule: usize) {
    let text = ctx.text;
    if text.bytes().filter(|&b| b == b'\n').count() >= MAX_LINES {
        return;
    }
    let all: Vec<Line> = lines(text).collect();
    let content: Vec<&str> = all.iter().map(|l| &text[l.start..l.content_end]).collect();
    let analysis = analyze(&content, &Options::default());
    if analysis.article.is_none() {
        return;
    }
    for (l, report) in all.iter().zip(&analysis.lines) {
        if !l.blank() && !report.decision.keeps() {
            // One reason per kind of decision, so that a run of chrome is one edit;
            // `rinse explain` gives each line's class, features and context.
            let reason = report.decision.describe().to_string();
            let cause = work.fates.cause(rule, Some(reason), None);
            work.fates.drop_range(l.start, l.end, cause);
        }
    }
}
