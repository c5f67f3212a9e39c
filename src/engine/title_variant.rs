//! `duplicate.title-variant`: the title shown again near the top with a keyword or site
//! name attached (`关键词：标题`, `标题 - 站名`, `标题_频道`). Of two headline lines before
//! the first paragraph where one is the other plus a part set off by a separator, the
//! longer one goes. Exact repeats are left to `duplicate.paragraph`.

use super::shape::{is_headline, is_paragraph};

/// Characters that set a keyword or site name off from a title.
const SEPARATORS: &[char] = &[
    ':', '：', '|', '｜', '-', '－', '—', '_', '·', '丨', '/', '／', ' ', '\u{3000}',
];

/// Indices into `kept` (trimmed kept lines, in order) of title variants to remove.
pub(crate) fn find(kept: &[&str]) -> Vec<usize> {
    let head: Vec<usize> = (0..kept.len().min(6))
        .take_while(|&k| !is_paragraph(kept[k]))
        .filter(|&k| is_headline(kept[k]))
        .collect();
    let mut out = Vec::new();
    for (x, &a) in head.iter().enumerate() {
        for &b in &head[x + 1..] {
            let (short, long) = if kept[a].len() < kept[b].len() {
                (a, b)
            } else {
                (b, a)
            };
            if !out.contains(&long) && is_variant(kept[short], kept[long]) {
                out.push(long);
            }
        }
    }
    out.sort_unstable();
    out
}

/// `long` is `short` with a part of at least two characters attached before or after it
/// by a separator.
fn is_variant(short: &str, long: &str) -> bool {
    if short.chars().count() < 6 {
        return false;
    }
    let Some(at) = long.find(short) else {
        return false;
    };
    let (before, after) = (&long[..at], &long[at + short.len()..]);
    let part = |s: &str| s.trim_matches(SEPARATORS).chars().count() >= 2;
    match (before.is_empty(), after.is_empty()) {
        (false, true) => before.ends_with(SEPARATORS) && part(before),
        (true, false) => after.starts_with(SEPARATORS) && part(after),
        _ => false,
    }
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
        // After the first paragraph nothing is looked at.
        assert!(find(&[
            "快来试试这几款赚钱多的软件",
            BODY,
            "攻略：快来试试这几款赚钱多的软件"
        ])
        .is_empty());
        // Too short to be sure.
        assert!(find(&["赚钱软件", "推荐：赚钱软件", BODY]).is_empty());
    }
}
