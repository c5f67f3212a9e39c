//! `page.text-lines`: on plain text that is a whole page (a dump of every visible line:
//! title line, menus, share bars, the article, comments, related lists, footers), keeps
//! the headline and the article and drops the page chrome around them. The lines are
//! classified from the text alone by [`crate::classify`]; texts that are mostly prose are
//! not pages and are left alone. Runs before the rules, as `extract.main` does on HTML.

use crate::classify::{page_analysis, Decision};

use super::super::lines::lines;
use super::super::{Ctx, Work};

/// Applies the stage to a plain-text document.
pub(crate) fn apply(ctx: &Ctx, work: &mut Work, rule: usize) {
    let text = ctx.text;
    // Too long to be a page, or not a page, or a page without an article: nothing to do.
    let Some(analysis) = page_analysis(text) else {
        return;
    };
    let all: Vec<_> = lines(text).collect();
    debug_assert_eq!(all.len(), analysis.lines.len());
    for (number, (l, report)) in all.iter().zip(&analysis.lines).enumerate() {
        if report.decision == Decision::Url {
            work.dropped_images.push(number);
        }
        if !l.blank() && !report.decision.keeps() {
            // One reason per kind of decision, so that a run of chrome is one edit;
            // `rinse explain` gives each line's class, features and context.
            let reason = report.decision.describe().to_string();
            let cause = work.fates.cause(rule, Some(reason));
            work.fates.drop_range(l.start, l.end, cause, None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::text_lines;

    #[test]
    fn the_classifier_numbers_lines_as_the_engine_does() {
        for t in [
            "",
            "a",
            "a\n",
            "a\nb",
            "a\r\nb\r\n",
            "\n\n",
            "a\r",
            "a\rb\n",
            "\r\n",
            "x\n\r\ny",
        ] {
            let engine: Vec<&str> = lines(t).map(|l| &t[l.start..l.content_end]).collect();
            assert_eq!(text_lines(t), engine, "{t:?}");
        }
    }
}
