//! What the classifier measures on one line, from its text alone.

use std::sync::LazyLock;

use aho_corasick::{Anchored, Input};
use serde::Serialize;

use super::lexicon::{
    is_function_char, Phrase, CODE_KEYWORDS, COMMENT_LEAD_WORDS, COMMENT_TAIL_WORDS,
    LATIN_STOP_WORDS, LATIN_TIME_UNITS, LIST_HEADINGS, LOCATION_WORDS, PHRASES, PHRASE_LEADS,
    RELATIVE_TIME_UNITS,
};

/// [`LATIN_STOP_WORDS`], sorted for binary search.
static STOP_WORDS: LazyLock<Vec<&'static [u8]>> = LazyLock::new(|| {
    let mut v: Vec<&[u8]> = LATIN_STOP_WORDS.iter().map(|w| w.as_bytes()).collect();
    v.sort_unstable();
    v.dedup();
    v
});

/// Breadcrumb separators.
const CRUMB_SEPARATORS: [char; 4] = ['>', '＞', '»', '›'];
/// Lines longer than this are never chrome shapes; only their counts are measured.
const SHAPE_MAX_CHARS: usize = 200;
/// Dates, widget words and comment counts are looked for on lines up to this long.
const SHORT_MAX_CHARS: u32 = 40;
/// List headings are at most this long.
const LIST_HEADING_MAX_CHARS: u32 = 16;

/// The measurements of one line. Counts are in characters of the line without its
/// surrounding white space and without private-use characters (icon fonts).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Features {
    /// Characters.
    pub chars: u32,
    /// CJK ideographs.
    pub cjk: u32,
    /// Common Chinese function characters (的 了 是 在 和 也 就 都 而 及 与 …).
    pub function_chars: u32,
    /// Sentence-ending punctuation (。！？；!?; and `.` after a Latin word).
    pub sentence_punct: u32,
    /// Clause punctuation (，、,：:).
    pub clause_punct: u32,
    /// Latin-script words.
    pub latin_words: u32,
    /// English stop words among them.
    pub stop_words: u32,
    /// Letters and digits (what title matching compares).
    pub alnum: u32,
    /// White-space characters inside the line.
    pub spaces: u32,
    /// `|` separators.
    pub bars: u32,
    /// U+FFFD replacement characters (text that could not be decoded).
    pub undecodable: u32,
    /// Private-use characters (icon fonts), not counted in `chars`.
    pub icons: u32,
    /// The whole line is a URL or an image path.
    pub url: bool,
    /// Contains a date (2019-09-07, 2019年9月7日) or a time (09:59); short lines without a
    /// sentence only.
    pub date_or_time: bool,
    /// Contains a relative time (3小时前, 昨天); short lines without a sentence only.
    pub relative_time: bool,
    /// Only digits, separators and unit characters (counts: `15867`, `1,307`).
    pub numbers_only: bool,
    /// A breadcrumb shape: `首页 > 新闻 > 正文`, `当前位置：…`; lines without a sentence.
    pub breadcrumb: bool,
    /// Copyright or licence words (©, 版权所有, ICP, 公网安备).
    pub copyright: bool,
    /// Words that name page widgets (分享, 登录, 评论, 首页, 下一篇, 字号 …); short lines, or
    /// lines with at most one sentence, only (as for copyright words and comment counts).
    pub widget_words: bool,
    /// The shape of a list heading: a short line opening with 相关, 推荐, 热门, 排行 ….
    pub list_heading: bool,
    /// Comment chrome: ends in 回复/举报/赞 (with a count), or counts comments; short lines.
    pub comment_chrome: bool,
    /// Looks like a line of program code (mostly ASCII, with code syntax).
    pub code: bool,
    /// Starts like a numbered list item (`1、`, `2.`, `③`, `一、`).
    pub numbered: bool,
    /// Ends with sentence punctuation that closes a paragraph (。；;).
    pub ends_paragraph: bool,
    /// The floor of a reply in a forum thread (`沙发`, `板凳`, `地板`, `3楼`, `5#`, `#12`),
    /// alone or before a few widget words; short lines without a sentence only.
    pub reply_floor: bool,
    /// Ends with a photo credit (`Photo: Agency`, `（资料图片）`, `图源：…`): a caption, when
    /// it follows an image.
    pub photo_credit: bool,
    /// How many widget words the line holds (a toolbar names several: `点赞 收藏 评论 分享`).
    pub widget_count: u8,
    /// An English byline or dateline: `By Jane Doe | ...`, `Published: ...`, `Updated ...`.
    pub byline: bool,
}

impl Features {
    /// Measures one line (surrounding white space is ignored).
    pub fn of(line: &str) -> Features {
        // Private-use characters are encoded EE xx xx or EF 80..A3 xx.
        // (A fold without early exit, so that it vectorises.)
        let maybe_icons = line.as_bytes().windows(2).fold(false, |any, w| {
            any | (w[0] == 0xEE) | ((w[0] == 0xEF) & (w[1] < 0xA4))
        });
        let icons = if maybe_icons {
            line.chars().filter(|&c| is_private_use(c)).count() as u32
        } else {
            0
        };
        if icons > 0 {
            let cleaned: String = line.chars().filter(|&c| !is_private_use(c)).collect();
            Features {
                icons,
                ..Features::of_clean(cleaned.trim())
            }
        } else {
            Features::of_clean(line.trim())
        }
    }

    fn of_clean(s: &str) -> Features {
        let mut f = Features::default();
        let mut nonspace = 0u32;
        let mut ascii = 0u32;
        let mut word = [0u8; 8];
        let mut word_len = 0usize;
        // A `.` after a Latin letter ends a sentence when a space or the end follows.
        let mut dot_after_letter = false;
        let mut prev_letter = false;
        let leads = &*PHRASE_LEADS;
        let mut phrase_lead = false;
        for c in s.chars() {
            f.chars += 1;
            phrase_lead |= leads.contains(c);
            if is_cjk(c) {
                // The common case first: an ideograph is a letter, nothing else.
                f.cjk += 1;
                f.alnum += 1;
                nonspace += 1;
                f.function_chars += u32::from(is_function_char(c));
                if word_len > 0 {
                    f.end_word(&word, word_len);
                    word_len = 0;
                }
                dot_after_letter = false;
                prev_letter = false;
                continue;
            }
            let letter = c.is_ascii_alphabetic();
            if letter {
                if word_len < word.len() {
                    word[word_len] = c.to_ascii_lowercase() as u8;
                }
                word_len += 1;
            } else if word_len > 0 {
                f.end_word(&word, word_len);
                word_len = 0;
            }
            if is_space(c) {
                f.spaces += 1;
                f.sentence_punct += u32::from(dot_after_letter);
            } else {
                nonspace += 1;
                ascii += u32::from(c.is_ascii());
                f.alnum += u32::from(is_alnum(c));
            }
            match c {
                '。' | '！' | '？' | '；' | '!' | '?' | ';' => f.sentence_punct += 1,
                '，' | '、' | ',' | '：' | ':' => f.clause_punct += 1,
                '|' | '｜' => f.bars += 1,
                '\u{FFFD}' => f.undecodable += 1,
                _ => {}
            }
            dot_after_letter = c == '.' && prev_letter;
            // A closing quote or bracket after a word ends it too: `... for passengers".`
            prev_letter =
                letter || (prev_letter && matches!(c, '"' | '\'' | ')' | '”' | '’' | ']'));
        }
        if word_len > 0 {
            f.end_word(&word, word_len);
        }
        f.sentence_punct += u32::from(dot_after_letter);
        f.ends_paragraph = s.ends_with(['。', '；', ';']);
        if (f.chars as usize) > SHAPE_MAX_CHARS {
            return f;
        }
        f.photo_credit = has_photo_credit(s);
        // Each shape is looked for only on the lines it can decide (see `line::classify`).
        let short = f.chars <= SHORT_MAX_CHARS;
        let no_sentence = f.sentence_punct == 0;
        if phrase_lead && (short || f.sentence_punct <= 1) {
            let (ac, kinds) = &*PHRASES;
            for m in ac.find_iter(s) {
                // A Latin word counts only whole (`share`, not `shareholders`).
                let letter = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphabetic());
                if letter(s[m.start()..].chars().next())
                    && (letter(s[..m.start()].chars().next_back())
                        || letter(s[m.end()..].chars().next()))
                {
                    continue;
                }
                match kinds[m.pattern().as_usize()] {
                    Phrase::Widget => {
                        f.widget_words = true;
                        f.widget_count = f.widget_count.saturating_add(1);
                    }
                    Phrase::Copyright => f.copyright = true,
                    Phrase::CommentCount => f.comment_chrome = true,
                    Phrase::RelativeDay => f.relative_time = true,
                }
            }
        }
        f.url = f.spaces == 0 && is_url(s, f.cjk == 0);
        if short && no_sentence {
            f.reply_floor = f.chars <= 20 && is_reply_floor(s);
            f.date_or_time = has_date_or_time(s);
            f.relative_time |= has_relative_time(s);
            f.comment_chrome |= is_comment_chrome(s);
        }
        f.numbers_only = f.chars > 0 && s.chars().all(is_count_char);
        f.breadcrumb = no_sentence && is_breadcrumb(s);
        f.list_heading = f.chars <= LIST_HEADING_MAX_CHARS && is_list_heading(s);
        f.code = nonspace > 0 && ascii * 5 >= nonspace * 4 && is_code(s);
        f.numbered = is_numbered(s);
        f.byline = is_latin_byline(s);
        f
    }

    fn end_word(&mut self, word: &[u8; 8], len: usize) {
        self.latin_words += 1;
        if len <= word.len() {
            let w = &word[..len];
            if STOP_WORDS.binary_search(&w).is_ok() {
                self.stop_words += 1;
            }
        }
    }

    /// The line's size as prose: CJK characters plus two per Latin word.
    pub fn units(&self) -> u32 {
        self.cjk + 2 * self.latin_words
    }

    /// Function characters per CJK character.
    pub fn function_density(&self) -> f64 {
        if self.cjk == 0 {
            0.0
        } else {
            self.function_chars as f64 / self.cjk as f64
        }
    }

    /// Stop words per Latin word.
    pub fn stop_density(&self) -> f64 {
        if self.latin_words == 0 {
            0.0
        } else {
            self.stop_words as f64 / self.latin_words as f64
        }
    }
}

/// CJK ideographs (unified, extension A, compatibility).
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// Letters and digits, with the common cases (ASCII, CJK, punctuation) decided first.
pub fn is_alnum(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphanumeric(),
        _ if is_cjk(c) => true,
        // General punctuation, symbols, arrows, CJK punctuation: never letters.
        '\u{2000}'..='\u{2BFF}' | '\u{3000}'..='\u{3004}' | '\u{3008}'..='\u{303F}' => false,
        _ => c.is_alphanumeric(),
    }
}

/// White space, with ASCII and the common wide space decided first.
fn is_space(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_whitespace(),
        '\u{3000}' | '\u{00A0}' => true,
        _ if is_cjk(c) => false,
        _ => c.is_whitespace(),
    }
}

/// Private-use characters: icon fonts render them as pictures, they carry no text.
fn is_private_use(c: char) -> bool {
    matches!(c, '\u{E000}'..='\u{F8FF}')
}

fn is_count_char(c: char) -> bool {
    c.is_ascii_digit()
        || c.is_whitespace()
        || matches!(
            c,
            ',' | '.'
                | ':'
                | '：'
                | '/'
                | '%'
                | '+'
                | '-'
                | '万'
                | '千'
                | '亿'
                | 'k'
                | 'K'
                | 'w'
                | 'W'
                | '('
                | ')'
                | '（'
                | '）'
        )
}

/// A URL, a site path, or an image file name, with nothing else on the line.
/// `s` has no white space; `latin`: nor CJK (file names are looked for only then).
fn is_url(s: &str, latin: bool) -> bool {
    let lower = |p: &str| s.get(..p.len()).is_some_and(|x| x.eq_ignore_ascii_case(p));
    if lower("http:") || lower("https:") || s.starts_with('/') || s.starts_with("../") {
        return true;
    }
    latin
        && s.split(['?', '#'])
            .next()
            .unwrap_or(s)
            .rsplit_once('.')
            .is_some_and(|(_, ext)| {
                ["png", "jpg", "jpeg", "gif", "webp", "bmp", "svg"]
                    .iter()
                    .any(|e| ext.eq_ignore_ascii_case(e))
            })
}

/// A time (`9:59`, `09:59`) or a date (`2019-09-07`, `2019/9/7`, `2019年9月7日`).
fn has_date_or_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let run = |i: usize| {
        b[i.min(b.len())..]
            .iter()
            .take_while(|x| x.is_ascii_digit())
            .count()
    };
    // A date separator at `i`: its length in bytes.
    let separator = |i: usize, word: &str| -> Option<usize> {
        match b.get(i)? {
            b'-' | b'/' | b'.' => Some(1),
            _ => b[i..].starts_with(word.as_bytes()).then_some(word.len()),
        }
    };
    for (i, &x) in b.iter().enumerate() {
        if x == b':' && i > 0 && digit(i - 1) && digit(i + 1) && digit(i + 2) {
            return true;
        }
        if x.is_ascii_digit() && (i == 0 || !digit(i - 1)) && run(i) >= 4 {
            let sep1 = i + run(i);
            let Some(l1) = separator(sep1, "年") else {
                continue;
            };
            let month = run(sep1 + l1);
            let sep2 = sep1 + l1 + month;
            if (1..=2).contains(&month) && separator(sep2, "月").is_some_and(|l2| digit(sep2 + l2))
            {
                return true;
            }
        }
    }
    false
}

/// `3小时前`, `5 分钟前`, `2 hours ago` (`刚刚`, `昨天` are phrases).
fn has_relative_time(s: &str) -> bool {
    has_latin_relative_time(s)
        || s.match_indices('前').any(|(at, _)| {
            let before = &s[..at];
            RELATIVE_TIME_UNITS.iter().chain(["月"].iter()).any(|u| {
                before
                    .strip_suffix(u)
                    .is_some_and(|b| b.trim_end().ends_with(|c: char| c.is_ascii_digit()))
            })
        })
}

/// `2 hours ago`, `1 min ago`: a number, a unit (singular or plural), `ago`.
fn has_latin_relative_time(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().take(64).collect();
    words.windows(3).any(|w| {
        let unit = w[1].to_ascii_lowercase();
        let unit = unit.strip_suffix('s').unwrap_or(&unit);
        w[0].bytes().all(|b| b.is_ascii_digit())
            && LATIN_TIME_UNITS.contains(&unit)
            && w[2]
                .trim_end_matches(['.', ',', ')'])
                .eq_ignore_ascii_case("ago")
    })
}

/// `首页 > 新闻 > 正文`, `当前位置：首页`, `资讯 >`.
fn is_breadcrumb(s: &str) -> bool {
    if LOCATION_WORDS.iter().any(|w| {
        s.strip_prefix(w)
            .is_some_and(|r| r.trim_start().starts_with([':', '：']))
    }) {
        return true;
    }
    let tail = s
        .strip_suffix("正文内容")
        .or_else(|| s.strip_suffix("正文"))
        .unwrap_or(s)
        .trim_end();
    if tail.ends_with(CRUMB_SEPARATORS) && tail.chars().count() > 1 {
        return true;
    }
    let mut seps = s.match_indices(CRUMB_SEPARATORS);
    match (seps.next(), seps.next()) {
        (Some((first, _)), Some(_)) => !s[..first].trim().is_empty(),
        _ => false,
    }
}

/// A short line opening with a list-heading word and little else: `相关新闻：`, `热门推荐`,
/// `【猜你喜欢】`, `排行榜 更多>>`.
fn is_list_heading(s: &str) -> bool {
    let body = s.trim_start_matches(['<', '【', '[', ' ']);
    let input = Input::new(body).anchored(Anchored::Yes);
    let Some(m) = LIST_HEADINGS.find(input) else {
        return false;
    };
    // A Latin heading word is a whole word (`Related`, not `Relatedness`).
    let ends_letter = |t: &str| t.chars().next_back().is_some_and(|c| c.is_alphabetic());
    let starts_letter = |t: &str| t.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    if ends_letter(&body[..m.end()])
        && !body[..m.end()].chars().any(is_cjk)
        && starts_letter(&body[m.end()..])
    {
        return false;
    }
    fn closers(r: &str) -> &str {
        r.trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, '>' | '》' | '»' | '】' | ']' | ':' | '：')
        })
    }
    let mut rest = closers(&body[m.end()..]);
    if let Some(r) = rest.strip_suffix("更多") {
        rest = closers(r);
    }
    // At most one more short word, separators aside (`相关新闻`, `延伸 · 推荐`).
    let mut words = rest
        .split_whitespace()
        .filter(|w| !w.chars().all(|c| matches!(c, '·' | '•' | '|' | '/' | '-')));
    // (A Latin word is longer than a CJK one: `articles` says what `文章` says.)
    let short = |w: &str| w.chars().count() <= if w.is_ascii() { 12 } else { 6 };
    words.next().is_none_or(short) && words.next().is_none()
}

/// `回复`, `举报`, `赞 12`, `顶(3)`, `跟贴1199` (`1,307人参与`, `51条评论` are phrases).
fn is_comment_chrome(s: &str) -> bool {
    let lead = s.trim_start_matches(|c: char| c.is_ascii_digit() || c == ',');
    if lead.len() < s.len()
        && COMMENT_LEAD_WORDS
            .iter()
            .any(|w| lead.trim_start().starts_with(w))
    {
        return true;
    }
    let tail = s.trim_end_matches(|c: char| {
        c.is_ascii_digit() || c.is_whitespace() || matches!(c, '(' | ')' | '（' | '）')
    });
    COMMENT_TAIL_WORDS.iter().any(|w| {
        tail.strip_suffix(w).is_some_and(|before| {
            // A one-character label must stand alone (`赞 12`), not end a word (`称赞`).
            w.chars().count() > 1 || !before.chars().next_back().is_some_and(is_cjk)
        })
    })
}

/// Program code: a keyword first, or code punctuation (`x = 1`, `f(x)`, `{`, `;` at the end).
fn is_code(s: &str) -> bool {
    let starts_keyword = CODE_KEYWORDS.iter().any(|k| {
        s.strip_prefix(k)
            .is_some_and(|r| !r.starts_with(|c: char| c.is_alphanumeric() || c == '_'))
    });
    if starts_keyword || s.ends_with(['=', ';', '{', '}', ':']) || s.starts_with(['}', ']']) {
        return true;
    }
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let call = s
        .match_indices('(')
        .any(|(i, _)| s[..i].ends_with(word) && s[i..].contains(')'));
    let assign = s.match_indices('=').any(|(i, _)| {
        s[..i].trim_end().ends_with(word)
            && s[i + 1..]
                .trim_start()
                .starts_with(|c: char| !c.is_whitespace())
    });
    call || assign
}

/// `By Jane Doe`, `By JANE DOE and John Roe`, `Published: March 4, 2024`, `Updated 9:12
/// p.m.`, `Posted on ...`: a byline (at most 8 words, no sentence) or a dateline (at most
/// 16 words, with a digit).
fn is_latin_byline(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().take(17).collect();
    let lead = words
        .first()
        .map(|w| w.trim_end_matches(':').to_ascii_lowercase());
    match lead.as_deref() {
        Some("by") => {
            words.len() <= 8
                && !s.trim_end().ends_with('.')
                && words
                    .get(1)
                    .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
        }
        Some("published" | "updated" | "posted") => {
            (2..=16).contains(&words.len()) && s.bytes().any(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

/// Words that open a photo credit.
const CREDIT_LEADS: [&str; 20] = [
    "摄）",
    "攝）",
    "摄)",
    "攝)",
    "Photo:",
    "Photo by",
    "Photograph:",
    "Picture:",
    "Image:",
    "Credit:",
    "图源",
    "图片来源",
    "圖片來源",
    "摄影",
    "攝影",
    "资料图",
    "資料圖",
    "資料照",
    "资料照",
    "图/",
];
/// A credit is within this many characters of the end of its line.
const CREDIT_TAIL_CHARS: usize = 30;

/// Whether a line ends with a photo credit (`... Photo: Agency`, `...（資料照）`).
fn has_photo_credit(s: &str) -> bool {
    let tail_start = s
        .char_indices()
        .rev()
        .nth(CREDIT_TAIL_CHARS - 1)
        .map_or(0, |(i, _)| i);
    let tail = &s[tail_start..];
    CREDIT_LEADS.iter().any(|w| tail.contains(w))
}

/// A reply's floor opening a line: `沙发`, `板凳`, `地板`, `地下室`, `3楼`, `第3楼`, `#3`,
/// `3#`, `3F` (the opening post is floor 1, `楼主`: not a reply).
fn is_reply_floor(s: &str) -> bool {
    let first = s.split_whitespace().next().unwrap_or("");
    if matches!(first, "沙发" | "沙發" | "板凳" | "地板" | "地下室") {
        return true;
    }
    let t = first.strip_prefix('第').unwrap_or(first);
    let t = t.strip_prefix('#').unwrap_or(t);
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 5 {
        return false;
    }
    let (num, rest) = t.split_at(digits);
    let floor = num.parse::<u32>().unwrap_or(0);
    let marked = matches!(rest, "楼" | "樓" | "#" | "F" | "f")
        || (rest.is_empty() && first.starts_with('#'));
    marked && floor >= 2
}

/// `1、`, `2.`, `3)`, `①`, `一、` followed by text.
fn is_numbered(s: &str) -> bool {
    let mut it = s.char_indices().peekable();
    let mut digits = 0;
    let mut han = 0;
    let mut circled = false;
    while let Some(&(_, c)) = it.peek() {
        match c {
            '0'..='9' if han == 0 && !circled => digits += 1,
            '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
                if digits == 0 && !circled =>
            {
                han += 1
            }
            '①'..='⑳' if digits == 0 && han == 0 && !circled => circled = true,
            _ => break,
        }
        it.next();
    }
    if !((1..=2).contains(&digits) || (1..=2).contains(&han) || circled) {
        return false;
    }
    let rest: &str = it.peek().map_or("", |&(i, _)| &s[i..]);
    let rest = rest.trim_start();
    let rest = if circled {
        rest
    } else {
        match rest.strip_prefix(['、', '.', '．', ')', '）']) {
            Some(r) => r,
            None => return false,
        }
    };
    rest.trim_start().chars().next().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_prose_signals() {
        let f = Features::of("  新京报讯，中国男篮战胜韩国队，保住了希望。 ");
        assert_eq!(f.chars, 21);
        assert_eq!(f.sentence_punct, 1);
        assert_eq!(f.clause_punct, 2);
        assert_eq!(f.function_chars, 1); // 了
        assert!(!f.date_or_time && !f.widget_words && !f.url);
        let e = Features::of("The cat sat on the mat. It was happy.");
        assert_eq!(e.latin_words, 9);
        assert_eq!(e.stop_words, 5); // the, on, the, it, was
        assert_eq!(e.sentence_punct, 2);
        assert_eq!(
            Features::of("e.g. version 2.0 of www.example.com").sentence_punct,
            1
        );
    }

    #[test]
    fn recognises_chrome_shapes() {
        assert!(Features::of("https://example.com/a/b.png?x=1").url);
        assert!(Features::of("//static.example.com/logo.png").url);
        assert!(Features::of("photo.JPG").url);
        assert!(!Features::of("见 https://example.com 说明").url);
        assert!(Features::of("2019-09-07 09:59:22 来源: 某报 举报").date_or_time);
        assert!(Features::of("2019年9月7日").date_or_time);
        assert!(Features::of("08-3112:58").date_or_time);
        assert!(!Features::of("第2019号文件").date_or_time);
        assert!(Features::of("网友甲 3小时前").relative_time);
        assert!(Features::of("1,307").numbers_only);
        assert!(!Features::of("1,307人").numbers_only);
        assert!(Features::of("网站首页 > 新闻中心 > 正文").breadcrumb);
        assert!(Features::of("当前位置：首页").breadcrumb);
        assert!(Features::of("资讯 >").breadcrumb);
        assert!(!Features::of("a > b").breadcrumb);
        assert!(Features::of("Copyright © 2019 某某网 版权所有").copyright);
        assert!(Features::of("京ICP证030173号").copyright);
        assert!(Features::of("分享到：").widget_words);
        assert!(Features::of("相关新闻：").list_heading);
        assert!(Features::of("【猜你喜欢】").list_heading);
        assert!(Features::of("热门推荐 更多>>").list_heading);
        assert!(Features::of("延伸 · 推荐").list_heading);
        assert!(!Features::of("最新 消息 来了").list_heading);
        assert!(!Features::of("相关部门已经介入调查此事件的全部经过").list_heading);
        assert!(Features::of("回复 ⋅ 12条回复 1375").comment_chrome);
        assert!(Features::of("赞 12").comment_chrome);
        assert!(Features::of("跟贴1199").comment_chrome);
        assert!(!Features::of("大家纷纷称赞").comment_chrome);
        assert!(Features::of("\u{e605} 22").numbers_only);
        assert_eq!(Features::of("\u{e605} 22").chars, 2);
        assert_eq!(Features::of("������").undecodable, 6);
    }

    #[test]
    fn latin_script_shapes() {
        assert!(Features::of("SailorSam 2 hours ago").relative_time);
        assert!(Features::of("posted 1 min ago").relative_time);
        assert!(!Features::of("two hours ago we left").relative_time);
        assert!(!Features::of("2 hours later").relative_time);
        assert!(Features::of("Comments (2)").list_heading);
        assert!(Features::of("RELATED ARTICLES").list_heading);
        assert!(Features::of("Most read").list_heading);
        assert!(!Features::of("Relatedness matters").list_heading);
        assert!(!Features::of("Latest figures show a rise in costs").list_heading);
        // French and German function words count as stop words.
        let fr = Features::of("Ajoutez un peu d'eau et laissez reposer la pâte une heure.");
        assert!(fr.stop_density() >= 0.2, "{fr:?}");
        let de = Features::of("Beide Varianten lesen die Datei nur einmal und halten sie klein.");
        assert!(de.stop_density() >= 0.2, "{de:?}");
    }

    #[test]
    fn recognises_code_and_numbered_items() {
        assert!(Features::of("import json").code);
        assert!(Features::of("data = client.lpop('test')").code);
        assert!(Features::of("def parse():").code);
        assert!(!Features::of("import 是进口的意思").code);
        assert!(!Features::of("Galaxy S20 发布").code);
        assert!(Features::of("1、赴港上市真的冷了吗？").numbered);
        assert!(Features::of("10. 标题").numbered);
        assert!(Features::of("③ 标题").numbered);
        assert!(Features::of("一、总则").numbered);
        assert!(!Features::of("2019年").numbered);
        assert!(!Features::of("123、abc").numbered);
        assert!(!Features::of("1、").numbered);
        assert!(Features::of("By Dan Ortiz | dortiz@example.com").byline);
        assert!(Features::of("PUBLISHED: March 4, 2024 at 9:12 p.m.").byline);
        assert!(!Features::of("By the end of the year the lanes will be finished.").byline);
        assert!(Features::of("沙发").reply_floor);
        assert!(Features::of("4#").reply_floor);
        assert!(Features::of("#12 只看该作者").reply_floor);
        assert!(Features::of("第3楼").reply_floor);
        assert!(!Features::of("1楼").reply_floor);
        assert!(!Features::of("楼主").reply_floor);
        assert!(!Features::of("3楼的住户反映，电梯已经停了三天。").reply_floor);
    }
}
