//! Lines of a document: where each starts and ends, its trimmed text, and its weight.
//!
//! Lines are found on the fly (no table of every line is kept), so a document of millions
//! of short lines costs no more memory than its text.

/// One line of the text, as byte offsets into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line {
    /// First byte of the line.
    pub start: usize,
    /// End of the line's text, before `\r\n` / `\n`.
    pub content_end: usize,
    /// Start of the next line.
    pub end: usize,
    /// Start of the trimmed text.
    pub ts: usize,
    /// End of the trimmed text.
    pub te: usize,
}

impl Line {
    /// Nothing but white space.
    pub fn blank(&self) -> bool {
        self.ts == self.te
    }

    /// The line without leading and trailing white space.
    pub fn trimmed<'a>(&self, text: &'a str) -> &'a str {
        &text[self.ts..self.te]
    }

    /// Characters of the trimmed text.
    pub fn chars(&self, text: &str) -> usize {
        char_count(self.trimmed(text))
    }
}

/// Characters the engine treats as white space (trimmed, collapsed).
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Invisible characters removed wherever they appear.
pub(crate) fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// Characters in `s` (counting UTF-8 lead bytes is cheaper than decoding).
pub(crate) fn char_count(s: &str) -> usize {
    s.bytes().filter(|b| (b & 0xC0) != 0x80).count()
}

/// What a line weighs in position measures: its characters that the body shows,
/// white space and invisible characters aside.
pub(crate) fn weight(s: &str) -> usize {
    s.chars()
        .filter(|&c| !is_space(c) && !is_zero_width(c))
        .count()
}

/// The line that starts at byte `start` of `text` (`start < text.len()`).
pub(crate) fn line_at(text: &str, start: usize) -> Line {
    let bytes = text.as_bytes();
    let nl = memchr::memchr(b'\n', &bytes[start..]).map(|i| start + i);
    let end = nl.map_or(text.len(), |i| i + 1);
    let mut content_end = nl.unwrap_or(text.len());
    // Only `\r\n` ends a line; a lone `\r` at the end of the text is white space.
    if nl.is_some() && content_end > start && bytes[content_end - 1] == b'\r' {
        content_end -= 1;
    }
    let line = &text[start..content_end];
    let trimmed_start = line.trim_start_matches(|c| is_space(c) || is_zero_width(c));
    let ts = content_end - trimmed_start.len();
    let te = ts
        + trimmed_start
            .trim_end_matches(|c| is_space(c) || is_zero_width(c))
            .len();
    Line {
        start,
        content_end,
        end,
        ts,
        te,
    }
}

/// The lines of `text` from byte `from` (a line start) on, in order.
pub(crate) fn lines_from(text: &str, from: usize) -> impl Iterator<Item = Line> + '_ {
    let mut pos = from;
    std::iter::from_fn(move || {
        (pos < text.len()).then(|| {
            let l = line_at(text, pos);
            pos = l.end;
            l
        })
    })
}

/// The lines of `text`, in order.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = Line> + '_ {
    lines_from(text, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_terminators() {
        let t = "a\r\n \u{3000}b\u{200B} \n\nc\r";
        let ls: Vec<Line> = lines(t).collect();
        assert_eq!(ls.len(), 4);
        assert_eq!(ls[0].trimmed(t), "a");
        assert_eq!((ls[0].content_end, ls[0].end), (1, 3));
        assert_eq!(ls[1].trimmed(t), "\u{3000}b".trim_start_matches('\u{3000}'));
        assert!(ls[2].blank());
        assert_eq!(ls[3].trimmed(t), "c");
        assert_eq!(ls[3].end, t.len());
        assert_eq!(weight(" a b\u{200B}中 "), 3);
    }
}
