//! Required literals of a pattern: a few strings one of which occurs in every match, so
//! that a line without any of them need not be searched by the pattern at all.
//!
//! regex-syntax's extractor finds the literals a match starts (or ends) with. Many rule
//! patterns start with something too loose for that (`^\s*`, `[^，]{0,12}`) and still
//! require a word further on (`(?:责任编辑|编辑)`). So the extractor also runs on every
//! tail of every concatenation (a match of the whole contains a match of each of its
//! parts), alternations take the union of their branches' sets, and the best set found
//! wins: the longest shortest literal, then the fewest literals.

use regex_syntax::hir::literal::{ExtractKind, Extractor, Seq};
use regex_syntax::hir::{Hir, HirKind};

/// A set with more literals than this is not worth scanning for.
const MAX_LITERALS: usize = 64;

/// A literal set: the literals, and its score (shortest literal, then fewest literals).
type Set = Vec<Vec<u8>>;

/// Literals one of which every match of `pattern` contains, if a small usable set exists.
pub(crate) fn required(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    of(&hir)
}

/// Shortest literal of `set`, then fewer literals: larger is better.
fn score(set: &Set) -> (usize, std::cmp::Reverse<usize>) {
    let min = set.iter().map(Vec::len).min().unwrap_or(0);
    (min, std::cmp::Reverse(set.len()))
}

/// Keeps the better of `best` and `set`.
fn better(best: Option<Set>, set: Option<Set>) -> Option<Set> {
    match (best, set) {
        (Some(b), Some(s)) => Some(if score(&s) > score(&b) { s } else { b }),
        (b, s) => b.or(s),
    }
}

/// A usable set from an extracted sequence: finite, non-empty, at most
/// [`MAX_LITERALS`] literals, none of them empty.
fn usable(seq: Seq) -> Option<Set> {
    let ok = seq.is_finite()
        && seq.len().is_some_and(|n| (1..=MAX_LITERALS).contains(&n))
        && seq.min_literal_len().is_some_and(|n| n >= 1);
    if !ok {
        return None;
    }
    let mut set: Set = seq
        .literals()?
        .iter()
        .map(|l| l.as_bytes().to_vec())
        .collect();
    set.sort_unstable();
    set.dedup();
    Some(set)
}

/// Literals every match of `hir` starts with (`prefix`) or ends with.
fn extracted(hir: &Hir, prefix: bool) -> Option<Set> {
    let kind = if prefix {
        ExtractKind::Prefix
    } else {
        ExtractKind::Suffix
    };
    let mut seq = Extractor::new().kind(kind).extract(hir);
    if prefix {
        seq.optimize_for_prefix_by_preference();
    } else {
        seq.optimize_for_suffix_by_preference();
    }
    usable(seq)
}

/// The best required set of `hir`, if it has one.
fn of(hir: &Hir) -> Option<Set> {
    let mut best = better(extracted(hir, true), extracted(hir, false));
    match hir.kind() {
        HirKind::Capture(c) => best = better(best, of(&c.sub)),
        HirKind::Repetition(r) if r.min >= 1 => best = better(best, of(&r.sub)),
        HirKind::Concat(parts) => {
            for (i, part) in parts.iter().enumerate() {
                // Leaves are covered by the tail that starts with them.
                if !matches!(
                    part.kind(),
                    HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_)
                ) {
                    best = better(best, of(part));
                }
                // Every match contains a match of this tail, which starts with one of its
                // prefix literals. (A tail that starts with something that may match
                // nothing does no better than the next one: skipped, to start quickly.)
                if i > 0 && part.properties().minimum_len().is_some_and(|n| n > 0) {
                    let tail = Hir::concat(parts[i..].to_vec());
                    best = better(best, extracted(&tail, true));
                }
            }
        }
        HirKind::Alternation(branches) => {
            // Each branch must require something: the union is then required.
            let mut union: Set = Vec::new();
            let mut all = true;
            for b in branches {
                match of(b) {
                    Some(s) => union.extend(s),
                    None => {
                        all = false;
                        break;
                    }
                }
            }
            union.sort_unstable();
            union.dedup();
            if all && !union.is_empty() && union.len() <= MAX_LITERALS {
                best = better(best, Some(union));
            }
        }
        _ => {}
    }
    best
}

#[cfg(test)]
mod tests {
    use super::required;

    fn strings(p: &str) -> Vec<String> {
        required(p)
            .unwrap_or_default()
            .into_iter()
            .map(|l| String::from_utf8(l).unwrap())
            .collect()
    }

    #[test]
    fn finds_a_word_after_a_loose_start() {
        assert_eq!(strings(r"^\s*(?:责任编辑|编辑)\s*[:：]"), ["编辑"]);
        assert_eq!(
            strings(r"^[^，]{0,12}(?:相关阅读|相关文章)$"),
            ["相关文章", "相关阅读"]
        );
    }

    #[test]
    fn nothing_required_where_a_match_can_avoid_every_literal() {
        assert!(required(r"^\d+$").is_none());
        assert!(required(r"(?:关注)?\s*").is_none());
        assert!(required(r"a|\d").is_none());
    }

    #[test]
    fn alternation_branches_join() {
        assert_eq!(strings(r"(?:abc\d|\d+xyz)"), ["abc", "xyz"]);
    }

    /// The literal scan finds most default rules: only the few without a word of their
    /// own (`decoration.symbols`, `navigation.channel-words`, ...) run on every line.
    #[test]
    fn most_default_line_rules_have_literals() {
        use crate::rules::{Matcher, Ruleset};
        let rs = Ruleset::defaults();
        let line: Vec<&str> = rs
            .rules()
            .iter()
            .filter(|r| !r.action.is_span())
            .filter_map(|r| match &r.matcher {
                Matcher::Regex(p) => Some(p.as_str()),
                _ => None,
            })
            .collect();
        let with = line.iter().filter(|p| required(p).is_some()).count();
        assert!(with * 10 >= line.len() * 9, "{with} of {}", line.len());
    }
}
