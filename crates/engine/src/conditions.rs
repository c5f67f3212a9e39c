//! A rule's conditions: the ones a line decides alone (length, punctuation, what came
//! just before), and the ones that depend on the rest of the document (zones,
//! `repeats_next`), which [`super::zones`] decides once the rest is known.

use crate::rules::Rule;

/// Sentence punctuation, for the `no_sentence_punct` condition.
pub const SENTENCE_PUNCT: [char; 7] = ['。', '！', '？', '；', '!', '?', ';'];
const SENTENCE_END: [char; 5] = ['。', '！', '？', '!', '?'];
const BULLETS: [char; 11] = ['·', '•', '●', '○', '■', '□', '◆', '◇', '▪', '►', '▶'];

/// Whether `s` has sentence punctuation: one of [`SENTENCE_PUNCT`], or a Latin full stop
/// or comma that ends a word (`said.`, `Westbay, the`). A bare `.` is not enough: it is
/// also a decimal point, a domain or a file name in the keyword lists this guards.
pub(crate) fn has_sentence_punct(s: &str) -> bool {
    if s.contains(SENTENCE_PUNCT) {
        return true;
    }
    let mut prev = ' ';
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if (c == '.' || c == ',')
            && prev.is_ascii_lowercase()
            && it.peek().is_none_or(|n| n.is_whitespace() || *n == '"')
        {
            return true;
        }
        prev = c;
    }
    false
}

/// Whether the rule has a condition only the rest of the document can decide.
pub(crate) fn is_deferred(rule: &Rule, ignore_zones: bool) -> bool {
    let w = &rule.when;
    w.repeats_next || (!ignore_zones && (w.head.is_some() || w.tail.is_some()))
}

/// What the rule pass knows of the lines above a line.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Above {
    /// The previous non-blank line was removed by an image rule.
    pub image: bool,
    /// The nearest kept line above is a paragraph not ending in a colon.
    pub paragraph: bool,
}

/// Conditions of `rule` that the line decides alone. `view` is the line as the span
/// rules leave it, `chars` the characters of the trimmed raw line, `above` what the lines
/// above it were.
pub(crate) fn check_local(
    rule: &Rule,
    view: &str,
    chars: usize,
    above: Above,
) -> Result<(), String> {
    let w = &rule.when;
    if let Some(m) = w.max_chars {
        if chars > m {
            return Err(format!("max_chars = {m}"));
        }
    }
    if let Some(m) = w.min_chars {
        if chars < m {
            return Err(format!("min_chars = {m}"));
        }
    }
    if w.no_sentence_punct && has_sentence_punct(view) {
        return Err("no_sentence_punct".into());
    }
    if w.after_image && !above.image {
        return Err("after_image".into());
    }
    if w.after_paragraph && !above.paragraph {
        return Err("after_paragraph".into());
    }
    Ok(())
}

/// Where a line stands: the weight of the kept text before it, over the kept text in all
/// (the line's own weight included). 0 for an empty document.
pub(crate) fn position(before: usize, rest: usize) -> f64 {
    let total = before + rest;
    if total == 0 {
        0.0
    } else {
        before as f64 / total as f64
    }
}

/// `head`/`tail` conditions at position `pos` (see [`position`]). With both, the line
/// must be at either end.
pub(crate) fn check_zone(rule: &Rule, pos: f64, ignore_zones: bool) -> Result<(), String> {
    if ignore_zones {
        return Ok(());
    }
    let w = &rule.when;
    let in_head = w.head.map(|h| pos < h);
    let in_tail = w.tail.map(|t| pos >= 1.0 - t);
    match (in_head, in_tail) {
        (Some(false), None) => Err(format!("head = {}", w.head.unwrap())),
        (None, Some(false)) => Err(format!("tail = {}", w.tail.unwrap())),
        (Some(false), Some(false)) => Err(format!(
            "head = {} or tail = {}",
            w.head.unwrap(),
            w.tail.unwrap()
        )),
        _ => Ok(()),
    }
}

/// The `head` condition alone (holds when the rule has none).
pub(crate) fn check_head(rule: &Rule, pos: f64, ignore_zones: bool) -> Result<(), String> {
    match rule.when.head {
        Some(h) if !ignore_zones && pos >= h => Err(format!("head = {h}")),
        _ => Ok(()),
    }
}

/// The `tail` condition alone (holds when the rule has none).
pub(crate) fn check_tail(rule: &Rule, pos: f64, ignore_zones: bool) -> Result<(), String> {
    match rule.when.tail {
        Some(t) if !ignore_zones && pos < 1.0 - t => Err(format!("tail = {t}")),
        _ => Ok(()),
    }
}

/// The same text, white space aside.
pub(crate) fn squeeze_eq(a: &str, b: &str) -> bool {
    a.chars()
        .filter(|c| !c.is_whitespace())
        .eq(b.chars().filter(|c| !c.is_whitespace()))
}

pub(crate) fn ends_with_ellipsis(s: &str) -> bool {
    s.ends_with('…') || s.ends_with("...") || s.ends_with("。。。")
}

pub(crate) fn strip_ellipsis(s: &str) -> &str {
    s.trim_end_matches(['…', '.', '。']).trim_end()
}

/// A line that can be an item of a related-articles list: short and not a finished
/// sentence, or an excerpt cut with an ellipsis, or a bullet.
pub(crate) fn is_list_like(s: &str, chars: usize, max_chars: usize) -> bool {
    (chars <= max_chars && !s.ends_with(SENTENCE_END))
        || ends_with_ellipsis(s)
        || s.starts_with(BULLETS)
}

#[cfg(test)]
mod tests {
    use super::has_sentence_punct;

    #[test]
    fn latin_sentences_have_punctuation_and_keyword_lists_do_not() {
        assert!(has_sentence_punct(
            "The work started in June. Engineers found cracks"
        ));
        assert!(has_sentence_punct("Repairs in Westbay, the council said"));
        assert!(has_sentence_punct("这是一句话。"));
        assert!(!has_sentence_punct(
            "Node.js React Vue 3.5 example.com Rust"
        ));
        assert!(!has_sentence_punct("某牌 C 491 HMW 聚丙烯酰胺 絮凝剂"));
    }
}
