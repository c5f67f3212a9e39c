//! `boilerplate.page`: on HTML pages, drops what the markup shows is not the article:
//! lines that are mostly link text, the chrome before the article heading, and
//! everything after the last line of prose. Runs before the rules.

use crate::input::html::PageHints;

use super::super::conditions::is_prose;
use super::super::lines::{lines, Line};
use super::super::{Ctx, Work};

const LINKS: &str = "mostly link text (a menu or link list)";
const BEFORE: &str = "before the article heading";
const AFTER: &str = "after the last paragraph of prose";

/// Applies the stage to the page's block text.
pub(crate) fn apply(ctx: &Ctx, work: &mut Work, rule: usize, page: &PageHints) {
    let text = ctx.text;
    let all: Vec<Line> = lines(text).collect();
    if page.lines.len() != all.len() {
        return; // Hints describe another text (should not happen): do nothing.
    }
    let mut verdict: Vec<Option<&str>> = vec![None; all.len()];
    for (i, h) in page.lines.iter().enumerate() {
        let mostly_links = h.chars > 0 && h.link_chars * 2 > h.chars;
        // A title inside a link (<h1><a>…</a></h1>) is still the title.
        if !all[i].blank() && mostly_links && !(1..=2).contains(&h.heading) {
            verdict[i] = Some(LINKS);
        }
    }
    let kept: Vec<usize> = (0..all.len())
        .filter(|&i| verdict[i].is_none() && !all[i].blank())
        .collect();
    let content = |i: usize| all[i].trimmed(text);
    let prose = |i: usize| is_prose(content(i), all[i].chars(text));
    // The article heading: the line that best matches the page title (compared on letters
    // and digits only: pages mix “” and "", ？ and ?), a heading first; else the first <h1>.
    let squeeze = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
    };
    let title = page.title.as_deref().map(squeeze).unwrap_or_default();
    let anchor = kept
        .iter()
        .map(|&i| {
            let t = squeeze(content(i));
            let heading = (1..=3).contains(&page.lines[i].heading);
            let n = t.chars().count();
            // Headings may be short; a plain line must be a long part of the title.
            let matches = n >= if heading { 4 } else { 8 } && title.contains(&t);
            (matches, heading, page.lines[i].heading == 1, n, i)
        })
        .filter(|&(m, _, h1, _, _)| m || h1)
        .max_by_key(|&(m, heading, h1, n, i)| (m, heading, h1, n, std::cmp::Reverse(i)))
        .map(|(.., i)| i);
    if let Some(a) = anchor {
        for &i in kept.iter().take_while(|&&i| i < a) {
            verdict[i] = Some(BEFORE);
        }
    }
    if let Some(&last) = kept.iter().rev().find(|&&i| prose(i)) {
        if anchor.is_none_or(|a| last > a) {
            for &i in kept.iter().filter(|&&i| i > last) {
                verdict[i] = Some(AFTER);
            }
        }
    }
    for (l, v) in all.iter().zip(verdict) {
        if let Some(reason) = v {
            let cause = work.fates.cause(rule, Some(reason.to_string()), None);
            work.fates.drop_range(l.start, l.end, cause);
        }
    }
}
