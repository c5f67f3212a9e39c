//! Text decoded with the wrong encoding: what a reader would see as garbage.
//!
//! GBK, Big5 or UTF-8 bytes read as windows-1252 turn every CJK character into two or three
//! Latin-1 letters and symbols in a row (`#¶´¿ßÒÕÊõ`, `å¸‚æ”¿åºœ`); a decoder that gave up
//! leaves U+FFFD. Real Latin-script text has its accented letters one at a time between
//! plain ones, so runs of three or more are the signal.

/// Share of U+FFFD among the non-space characters above which text is undecodable.
pub const REPLACEMENT_SHARE: f64 = 0.01;
/// Share of the non-space characters in runs of [`RUN`] or more windows-1252 letters and
/// symbols above which text is mojibake.
pub const MOJIBAKE_SHARE: f64 = 0.03;
/// At least this many characters must be in such runs (a stray sequence is not a page).
pub const MOJIBAKE_MIN: usize = 20;
/// Run length that marks mojibake.
const RUN: usize = 3;

/// What a byte of a legacy encoding read as windows-1252 becomes: Latin-1 letters and
/// symbols, and the characters windows-1252 puts at 0x80..0x9F.
fn is_1252_high(c: char) -> bool {
    matches!(c as u32, 0xA0..=0xFF)
        || matches!(
            c,
            '€' | '‚'
                | 'ƒ'
                | '„'
                | '…'
                | '†'
                | '‡'
                | 'ˆ'
                | '‰'
                | 'Š'
                | '‹'
                | 'Œ'
                | 'Ž'
                | '‘'
                | '’'
                | '“'
                | '”'
                | '•'
                | '–'
                | '—'
                | '˜'
                | '™'
                | 'š'
                | '›'
                | 'œ'
                | 'ž'
                | 'Ÿ'
        )
}

/// Whether `text` looks mis-decoded: many replacement characters, or many runs of
/// windows-1252 letters and symbols. One pass, no allocation.
pub fn looks_mojibake(text: &str) -> bool {
    let (mut total, mut replaced, mut in_runs, mut run) = (0usize, 0usize, 0usize, 0usize);
    let close = |run: usize, in_runs: &mut usize| {
        if run >= RUN {
            *in_runs += run;
        }
    };
    for c in text.chars() {
        if c.is_whitespace() {
            close(run, &mut in_runs);
            run = 0;
            continue;
        }
        total += 1;
        if c == '\u{FFFD}' {
            replaced += 1;
        }
        if is_1252_high(c) {
            run += 1;
        } else {
            close(run, &mut in_runs);
            run = 0;
        }
    }
    close(run, &mut in_runs);
    let total = total.max(1) as f64;
    replaced as f64 / total > REPLACEMENT_SHARE
        || (in_runs >= MOJIBAKE_MIN && in_runs as f64 / total > MOJIBAKE_SHARE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mis_decoded_text_is_found_and_latin_text_is_not() {
        let page = "县农业局组织开展春耕技术培训，共培训农民两千余人次。".repeat(3);
        let (gbk, _, _) = encoding_rs::GBK.encode(&page);
        let (as_1252, _, _) = encoding_rs::WINDOWS_1252.decode(&gbk);
        assert!(looks_mojibake(&as_1252), "{as_1252}");
        let (as_1252, _, _) = encoding_rs::WINDOWS_1252.decode(page.as_bytes());
        assert!(looks_mojibake(&as_1252), "{as_1252}");
        assert!(looks_mojibake(&"正文\u{FFFD}\u{FFFD}内容".repeat(20)));
        assert!(!looks_mojibake(&page));
        assert!(!looks_mojibake(
            "Mélangez la farine et le beurre ; ajoutez l'œuf, puis laissez reposer. \
             Über die Brücke gehen wir später. Ça coûte très cher à Besançon."
        ));
        assert!(!looks_mojibake(""));
    }
}
