//! The shapes of lines that structural stages and the review tools reason about: a
//! paragraph of prose, a headline. Text only; no rule data.

use super::conditions::{ends_with_ellipsis, SENTENCE_PUNCT};

/// A paragraph of prose: long, or a sentence of some length that does not end at its
/// only question or exclamation mark (`如何…？` is a headline). An excerpt cut with an
/// ellipsis is not prose: related lists show them under their headlines.
pub fn is_paragraph(s: &str) -> bool {
    if ends_with_ellipsis(s) {
        return false;
    }
    let n = s.chars().count();
    let inner = s.trim_end_matches(['？', '！', '?', '!']);
    n >= 60 || (n >= 20 && inner.contains(['。', '！', '？', '!', '?', '；', ';']))
}

/// A headline: 4 to 48 characters, no sentence inside (a final `？` or `！` is allowed),
/// not a label or a clause announcing or continuing something (ending in `：`, `，`, `、`)
/// and not a sentence ending in a full stop (`Thank you.`, a short reference).
pub fn is_headline(s: &str) -> bool {
    let n = s.chars().count();
    let inner = s.trim_end_matches(['？', '！', '?', '!']);
    (4..=48).contains(&n)
        && !inner.contains(SENTENCE_PUNCT)
        && !s.ends_with([':', '：', ',', '，', '、', '.'])
        && s.chars().filter(|c| c.is_alphanumeric()).count() >= 4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_and_headlines() {
        assert!(is_paragraph(
            "这是正文的第一段，讲述了一件事情的经过和结果。"
        ));
        assert!(!is_paragraph("如何使用剪贴板功能将电脑文字传输到手机上？"));
        assert!(!is_paragraph("很多茶友都有过这样的体会，就是喝生普的时候容易肚子饿，大家的理解可能是普洱茶刮油，能带走一部分脂肪..."));
        assert!(is_headline("如何使用剪贴板功能将电脑文字传输到手机上？"));
        assert!(is_headline(
            "普洱生茶存放时间长可以喝吗(普洱生茶需要存放多久才能喝)"
        ));
        assert!(!is_headline("下面是具体步骤："));
        assert!(!is_headline("他来了。然后走了"));
        assert!(!is_headline("——"));
        assert!(!is_headline("[6] Z. Zhang. On closed extensions."));
    }
}
