//! `extract.main`: on HTML pages, drops the lines the main-content extractor dropped
//! (outside the article, hidden, link lists, noise blocks, captions, bylines), each with
//! the extractor's reason. Runs before the rules, so they clean inside the article only.

use crate::input::html::PageHints;

use super::super::lines::lines;
use super::super::{Ctx, Work};

/// Applies the extractor's verdicts to the page's block text (one cause per reason).
pub(crate) fn apply(ctx: &Ctx, work: &mut Work, rule: usize, page: &PageHints) {
    let mut causes: Vec<Option<u32>> = vec![None; page.report.reasons.len()];
    for (line, h) in lines(ctx.text).zip(&page.lines) {
        if h.keep || line.blank() {
            continue;
        }
        let slot = causes.get_mut(h.reason as usize);
        let cause = match slot {
            Some(Some(c)) => *c,
            Some(slot) => {
                let c = work
                    .fates
                    .cause(rule, page.reason_at(h).map(str::to_string));
                *slot = Some(c);
                c
            }
            None => work.fates.cause(rule, None),
        };
        work.fates.drop_range(line.start, line.end, cause, None);
    }
}
