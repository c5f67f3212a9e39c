//! `duplicate.title-variant`: the title shown again near the top with a keyword or site
//! name attached (`关键词：标题`, `标题 - 站名`, `标题_频道`). Of two headline lines before
//! the first paragraph where one is the other plus a part set off by a separator, the
//! longer one goes. Exact repeats are left to `duplicate.paragraph`.

use super::super::shape::{is_headline, is_paragraph};
use super::super::{Ctx, Work};
use super::{drop_kept, Kept};

/// Characters that set a keyword or site name off from a title.
const SEPARATORS: &[char] = &[
    ':', '：', '|', '｜', '-', '－', '—', '_', '·', '丨', '/', '／', ' ', '\u{3000}',
];
/// A title shorter than this is not recognised inside another line.
const MIN_TITLE_CHARS: usize = 6;
/// Pending `drop-head` lines weighed as possible starts of the text, at most.
const MAX_CUTS: usize = 16;

/// Drops title variants among the kept lines before the first paragraph. A pending
/// `drop-head` may start the text after itself or only lose its own line: the variants
/// of both outcomes go, so that cleaning the body again finds none. `lines` is the
/// [`kept_lines`](super::kept_lines) view; true when a line was dropped (the view is then
/// out of date).
pub(crate) fn apply(_ctx: &Ctx, work: &mut Work, rule: usize, lines: &[Kept]) -> bool {
    let starts = std::iter::once(0).chain(
        (0..lines.len())
            .filter(|&k| lines[k].may_cut_head)
            .take(MAX_CUTS)
            .map(|k| k + 1),
    );
    let mut drops: Vec<usize> = Vec::new();
    for start in starts {
        // Up to the first paragraph no zone can remove; pending lines take part.
        let window: Vec<usize> = (start..lines.len())
            .take_while(|&k| !(lines[k].settled() && is_paragraph(&lines[k].text)))
            .filter(|&k| !lines[k].goes)
            .collect();
        let texts: Vec<&str> = window.iter().map(|&k| lines[k].text.as_ref()).collect();
        drops.extend(find(&texts).into_iter().map(|i| window[i]));
    }
    if drops.is_empty() {
        return false;
    }
    drops.sort_unstable();
    drops.dedup();
    let cause = work.fates.cause(
        rule,
        Some("the title again, with a keyword or site name attached".into()),
    );
    for k in drops {
        drop_kept(work, &lines[k], rule, cause);
    }
    true
}

/// Indices into `head` (the lines before the first paragraph) of the lines to drop among
/// those that are another of them with a part attached by a separator: the longer line,
/// unless the part is attached after the title by white space alone (`标题 副标题`):
/// that may be the headline's second half, so the shorter copy goes and no text is lost.
/// Linear: each line is cut at each separator and the pieces looked up.
pub(crate) fn find(head: &[&str]) -> Vec<usize> {
    let mut titles: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    for (k, t) in head.iter().enumerate() {
        if is_headline(t) && t.chars().count() >= MIN_TITLE_CHARS {
            titles.entry(t).or_default().push(k);
        }
    }
    let part = |s: &str| s.trim_matches(SEPARATORS).chars().count() >= 2;
    let mut out = Vec::new();
    for k in (0..head.len()).filter(|&k| is_headline(head[k])) {
        let long = head[k];
        for (i, c) in long
            .char_indices()
            .filter(|&(_, c)| SEPARATORS.contains(&c))
        {
            let (before, after) = (&long[..i], &long[i + c.len_utf8()..]);
            let prefix = before.trim_end_matches(SEPARATORS);
            let suffix = after.trim_start_matches(SEPARATORS);
            if let Some(short) = titles.get(prefix).filter(|_| part(after)) {
                let gap = &long[prefix.len()..long.len() - suffix.len()];
                if gap.chars().all(char::is_whitespace) {
                    out.extend(short.iter().copied());
                } else {
                    out.push(k);
                }
                break;
            }
            if titles.contains_key(suffix) && part(before) {
                out.push(k);
                break;
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "现在谁的手机上没有几款游戏呢？小编自己平时也有打游戏的习惯，而且现在打游戏是真的可以赚钱的。";

    #[test]
    fn keyword_prefix_or_site_suffix() {
        let t = "快来试试这几款赚钱多的软件";
        assert_eq!(
            find(&[t, "真正能赚钱的软件游戏：快来试试这几款赚钱多的软件", BODY]),
            vec![1]
        );
        assert_eq!(
            find(&["快来试试这几款赚钱多的软件 - 某某网", t, BODY]),
            vec![0]
        );
        assert_eq!(
            find(&[t, "快来试试这几款赚钱多的软件_手机赚钱", BODY]),
            vec![1]
        );
    }

    #[test]
    fn a_subtitle_after_a_space_keeps_the_full_headline() {
        let t = "某某队vs某某队";
        assert_eq!(find(&["某某队vs某某队 客队状态不佳", t, BODY]), vec![1]);
        assert_eq!(find(&[t, "某某队vs某某队 客队状态不佳", BODY]), vec![0]);
    }

    #[test]
    fn other_lines_stay() {
        // A subtitle that merely contains the title's words, without a separator.
        assert!(find(&["改革开放四十年", "纪念改革开放四十年大会隆重举行", BODY]).is_empty());
        // Exact repeats are another stage's.
        assert!(find(&[
            "快来试试这几款赚钱多的软件",
            "快来试试这几款赚钱多的软件",
            BODY
        ])
        .is_empty());
        // A variant of a variant: both go, the plain title stays.
        assert_eq!(
            find(&[
                "快来试试这几款赚钱多的软件 - 某某网",
                "快来试试这几款赚钱多的软件",
                "攻略：快来试试这几款赚钱多的软件 - 某某网"
            ]),
            vec![0, 2]
        );
        // Too short to be sure.
        assert!(find(&["赚钱软件", "推荐：赚钱软件", BODY]).is_empty());
    }
}
