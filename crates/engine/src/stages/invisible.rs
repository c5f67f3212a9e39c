//! `encoding-artifact.invisible`: characters that are never text, left inside lines by
//! broken conversions, copy protection or icon fonts: C0 controls (other than the white
//! space the `whitespace.normalize` stage owns), DEL and C1 controls, bidirectional
//! formatting controls, private-use characters (icon fonts map glyphs there) and
//! noncharacters.
//!
//! They are removed as span edits of this stage, found in the same pass as the span
//! rules' matches, so line rules read the line without them (`所属分类\u{6}：…` reads
//! `所属分类：…`) and every removal is recorded.

use super::super::matchers::SpanHit;

/// Whether `c` is an invisible character this stage removes.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        // C0 controls without tab, line feed, vertical tab, form feed and carriage
        // return (white space), DEL, and C1 controls without NEL (white space).
        '\u{0}'..='\u{8}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{84}' | '\u{86}'..='\u{9F}'
        // Bidirectional formatting: ALM, LRM, RLM, embeddings and overrides, isolates.
        | '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        // Private use (BMP and planes 15-16) and noncharacters.
        | '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{10FFFF}'
        | '\u{FDD0}'..='\u{FDEF}' | '\u{FFFE}' | '\u{FFFF}'
    )
}

/// Whether `s` may hold an invisible character: a cheap byte test that lets most lines
/// skip decoding. Every invisible character's UTF-8 form starts with one of these bytes.
fn may_hold(s: &str) -> bool {
    s.bytes()
        .any(|b| b < 0x20 || matches!(b, 0x7F | 0xC2 | 0xD8 | 0xE2 | 0xEE | 0xEF | 0xF3 | 0xF4))
}

/// Adds a hit of rule `rule` for every run of invisible characters in `s` to `hits`
/// (the span rules' hits of `s`, in order and without overlaps), keeping them in order
/// and without overlaps: where a rule's match covers part of a run, the match keeps
/// that part (it removes or rewrites it anyway) and the run the rest.
pub(crate) fn add_hits(s: &str, rule: usize, hits: &mut Vec<SpanHit>) {
    if !may_hold(s) {
        return;
    }
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (i, c) in s.char_indices().filter(|&(_, c)| is_invisible(c)) {
        let end = i + c.len_utf8();
        match runs.last_mut() {
            Some(last) if last.1 == i => last.1 = end,
            _ => runs.push((i, end)),
        }
    }
    if runs.is_empty() {
        return;
    }
    let mut merged: Vec<SpanHit> = Vec::with_capacity(hits.len() + runs.len());
    let mut rule_hits = std::mem::take(hits).into_iter().peekable();
    // The end of the last hit pushed: a rule's match may run past a run into the next.
    let mut covered = 0;
    for (start, end) in runs {
        let mut start = start.max(covered);
        // Rule hits before or inside the run keep their place; the run fills the gaps.
        while let Some(h) = rule_hits.next_if(|h| h.start < end) {
            if start < h.start {
                merged.push(SpanHit {
                    start,
                    end: h.start,
                    rule,
                    replacement: None,
                });
            }
            start = start.max(h.end);
            covered = h.end;
            merged.push(h);
        }
        if start < end {
            merged.push(SpanHit {
                start,
                end,
                rule,
                replacement: None,
            });
            covered = end;
        }
    }
    merged.extend(rule_hits);
    *hits = merged;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(start: usize, end: usize, rule: usize) -> SpanHit {
        SpanHit {
            start,
            end,
            rule,
            replacement: None,
        }
    }

    fn spans(s: &str, hits: &mut Vec<SpanHit>) -> Vec<(usize, usize, usize)> {
        add_hits(s, 9, hits);
        hits.iter().map(|h| (h.start, h.end, h.rule)).collect()
    }

    #[test]
    fn runs_of_invisible_characters() {
        let s = "蛤肉\u{7}\u{5}，无沙\u{200F}。\u{E600}";
        let got = spans(s, &mut Vec::new());
        assert_eq!(got, vec![(6, 8, 9), (17, 20, 9), (23, 26, 9)]);
        let kept: String = s.chars().filter(|&c| !is_invisible(c)).collect();
        assert_eq!(kept, "蛤肉，无沙。");
    }

    #[test]
    fn white_space_and_text_are_not_invisible() {
        for c in [
            '\t', '\n', '\r', '\u{B}', '\u{C}', '\u{85}', ' ', '\u{3000}', 'a', '中', '，', '€',
            '\u{FFFD}', '😀',
        ] {
            assert!(!is_invisible(c), "{c:?}");
        }
        assert!(spans("普通的一行文字，没有控制字符。\t", &mut Vec::new()).is_empty());
    }

    #[test]
    fn rule_hits_keep_their_text() {
        // A rule hit covering the start of a run, one inside a run, one elsewhere.
        let s = "ab\u{1}\u{1}cd\u{1}\u{1}\u{1}ef";
        let mut hits = vec![hit(0, 3, 1), hit(7, 8, 2), hit(10, 11, 3)];
        assert_eq!(
            spans(s, &mut hits),
            vec![
                (0, 3, 1),
                (3, 4, 9),
                (6, 7, 9),
                (7, 8, 2),
                (8, 9, 9),
                (10, 11, 3)
            ]
        );
    }

    #[test]
    fn a_rule_hit_spanning_two_runs_swallows_the_second() {
        // The rule's match starts inside the first run and ends past the second.
        let s = "a\u{1}\u{1}bc\u{1}d\u{1}e";
        let mut hits = vec![hit(2, 7, 1)];
        assert_eq!(spans(s, &mut hits), vec![(1, 2, 9), (2, 7, 1), (7, 8, 9)]);
    }
}
