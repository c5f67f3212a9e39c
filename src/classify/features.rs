//! What the classifier measures on one line, from its text alone.

use aho_corasick::{Anchored, Input};
use serde::Serialize;

use super::lexicon::{
    CODE_KEYWORDS, COMMENT_COUNT_WORDS, COMMENT_LEAD_WORDS, COMMENT_TAIL_WORDS, COPYRIGHT,
    FUNCTION_CHARS, LATIN_STOP_WORDS, LIST_HEADINGS, LOCATION_WORDS, RELATIVE_DAYS,
    RELATIVE_TIME_UNITS, WIDGETS,
};

/// Sentence-ending punctuation, full-width and ASCII (`.` is counted separately: only after
/// a Latin letter and before a space or the end).
const SENTENCE_PUNCT: [char; 7] = ['。', '！', '？', '；', '!', '?', ';'];
/// Clause punctuation, full-width and ASCII.
const CLAUSE_PUNCT: [char; 5] = ['，', '、', ',', '：', ':'];
/// Breadcrumb separators.
const CRUMB_SEPARATORS: [char; 4] = ['>', '＞', '»', '›'];
/// Lines longer than this are never chrome shapes; only their counts are measured.
const SHAPE_MAX_CHARS: usize = 200;

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
    /// Contains a date (2019-09-07, 2019年9月7日) or a time (09:59).
    pub date_or_time: bool,
    /// Contains a relative time (3小时前, 昨天).
    pub relative_time: bool,
    /// Only digits, separators and unit characters (counts: `15867`, `1,307`).
    pub numbers_only: bool,
    /// A breadcrumb shape: `首页 > 新闻 > 正文`, `当前位置：…`.
    pub breadcrumb: bool,
    /// Copyright or licence words (©, 版权所有, ICP, 公网安备).
    pub copyright: bool,
    /// Words that name page widgets (分享, 登录, 评论, 首页, 下一篇, 字号 …).
    pub widget_words: bool,
    /// The shape of a list heading: a short line opening with 相关, 推荐, 热门, 排行 ….
    pub list_heading: bool,
    /// Comment chrome: ends in 回复/举报/赞 (with a count), or counts comments.
    pub comment_chrome: bool,
    /// Looks like a line of program code (mostly ASCII, with code syntax).
    pub code: bool,
    /// Starts like a numbered list item (`1、`, `2.`, `③`, `一、`).
    pub numbered: bool,
    /// Ends with sentence punctuation that closes a paragraph (。；;).
    pub ends_paragraph: bool,
}

impl Features {
    /// Measures one line (surrounding white space is ignored).
    pub fn of(line: &str) -> Features {
        let icons = line.chars().filter(|&c| is_private_use(c)).count() as u32;
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
        let mut prev: Option<char> = None;
        let mut pending_dot = false;
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            f.chars += 1;
            if c.is_ascii_alphabetic() {
                if word_len < word.len() {
                    word[word_len] = c.to_ascii_lowercase() as u8;
                }
                word_len += 1;
            } else if word_len > 0 {
                f.end_word(&word, word_len);
                word_len = 0;
            }
            if c.is_whitespace() {
                f.spaces += 1;
            } else {
                nonspace += 1;
                if c.is_ascii() {
                    ascii += 1;
                }
            }
            if is_cjk(c) {
                f.cjk += 1;
                if FUNCTION_CHARS.contains(&c) {
                    f.function_chars += 1;
                }
            }
            if c.is_alphanumeric() {
                f.alnum += 1;
            }
            if SENTENCE_PUNCT.contains(&c) {
                f.sentence_punct += 1;
            } else if CLAUSE_PUNCT.contains(&c) {
                f.clause_punct += 1;
            }
            match c {
                '|' | '｜' => f.bars += 1,
                '\u{FFFD}' => f.undecodable += 1,
                '.' => pending_dot = prev.is_some_and(|p| p.is_ascii_alphabetic()),
                _ => {}
            }
            if pending_dot && c != '.' {
                pending_dot = false;
            }
            if pending_dot && chars.peek().is_none_or(|n| n.is_whitespace()) {
                f.sentence_punct += 1;
                pending_dot = false;
            }
            prev = Some(c);
        }
        if word_len > 0 {
            f.end_word(&word, word_len);
        }
        f.ends_paragraph = s.ends_with(['。', '；', ';']);
        if (f.chars as usize) > SHAPE_MAX_CHARS {
            return f;
        }
        f.url = is_url(s);
        f.date_or_time = has_date_or_time(s);
        f.relative_time = has_relative_time(s);
        f.numbers_only = f.chars > 0 && s.chars().all(is_count_char);
        f.breadcrumb = is_breadcrumb(s);
        f.copyright = COPYRIGHT.is_match(s);
        f.widget_words = WIDGETS.is_match(s);
        f.list_heading = is_list_heading(s);
        f.comment_chrome = is_comment_chrome(s);
        f.code = nonspace > 0 && ascii * 5 >= nonspace * 4 && is_code(s);
        f.numbered = is_numbered(s);
        f
    }

    fn end_word(&mut self, word: &[u8; 8], len: usize) {
        self.latin_words += 1;
        if len <= word.len() {
            let w = &word[..len];
            if LATIN_STOP_WORDS.iter().any(|s| s.as_bytes() == w) {
                self.stop_words += 1;
            }
        }
    }

    /// The line's size as prose: CJK characters plus two per Latin word.
    pub fn units(&self) -> u32 {
        self.cjk + 2 * self.latin_words
    }

    /// Function characters per CJK character.
    pub fn function_density(&self) -> f32 {
        if self.cjk == 0 {
            0.0
        } else {
            self.function_chars as f32 / self.cjk as f32
        }
    }

    /// Stop words per Latin word.
    pub fn stop_density(&self) -> f32 {
        if self.latin_words == 0 {
            0.0
        } else {
            self.stop_words as f32 / self.latin_words as f32
        }
    }
}

/// CJK ideographs (unified, extension A, compatibility).
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
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
fn is_url(s: &str) -> bool {
    if s.is_empty() || s.contains(char::is_whitespace) {
        return false;
    }
    let lower = |p: &str| s.get(..p.len()).is_some_and(|x| x.eq_ignore_ascii_case(p));
    if lower("http:") || lower("https:") || s.starts_with('/') || s.starts_with("../") {
        return true;
    }
    let base = s.split(['?', '#']).next().unwrap_or(s);
    base.rsplit_once('.').is_some_and(|(_, ext)| {
        ["png", "jpg", "jpeg", "gif", "webp", "bmp", "svg"]
            .iter()
            .any(|e| ext.eq_ignore_ascii_case(e))
    })
}

/// A time (`9:59`, `09:59`) or a date (`2019-09-07`, `2019/9/7`, `2019年9月7日`).
fn has_date_or_time(s: &str) -> bool {
    if !s.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let c: Vec<char> = s.chars().collect();
    let digit = |i: usize| c.get(i).is_some_and(|x| x.is_ascii_digit());
    let run_from = |i: usize| (i..c.len()).take_while(|&j| c[j].is_ascii_digit()).count();
    for i in 0..c.len() {
        if c[i] == ':' && i > 0 && digit(i - 1) && digit(i + 1) && digit(i + 2) {
            return true;
        }
        // A date starts at a run of four or more digits (the run's end is what counts).
        if digit(i) && (i == 0 || !digit(i - 1)) {
            let year = run_from(i);
            let sep1 = i + year;
            if year >= 4 && matches!(c.get(sep1), Some('-' | '/' | '.' | '年')) {
                let month = run_from(sep1 + 1);
                let sep2 = sep1 + 1 + month;
                if (1..=2).contains(&month)
                    && matches!(c.get(sep2), Some('-' | '/' | '.' | '月'))
                    && digit(sep2 + 1)
                {
                    return true;
                }
            }
        }
    }
    false
}

/// `3小时前`, `5 分钟前`, `刚刚`, `昨天`.
fn has_relative_time(s: &str) -> bool {
    if RELATIVE_DAYS.iter().any(|w| s.contains(w)) {
        return true;
    }
    s.match_indices('前').any(|(at, _)| {
        let before = &s[..at];
        RELATIVE_TIME_UNITS.iter().chain(["月"].iter()).any(|u| {
            before
                .strip_suffix(u)
                .is_some_and(|b| b.trim_end().ends_with(|c: char| c.is_ascii_digit()))
        })
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
        .trim_end_matches("正文内容")
        .trim_end_matches("正文")
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
    if s.chars().count() > 16 {
        return false;
    }
    let body = s.trim_start_matches(['<', '【', '[', ' ']);
    let input = Input::new(body).anchored(Anchored::Yes);
    let Some(m) = LIST_HEADINGS.find(input) else {
        return false;
    };
    let closers = |r: &str| -> String {
        r.trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, '>' | '》' | '»' | '】' | ']' | ':' | '：')
        })
        .to_string()
    };
    let mut rest = closers(&body[m.end()..]);
    if let Some(r) = rest.strip_suffix("更多") {
        rest = closers(r);
    }
    rest.chars().count() <= 6 && !rest.contains(char::is_whitespace)
}

/// `回复`, `举报`, `赞 12`, `顶(3)`, `1,307人参与`, `51条评论`, `跟贴1199`.
fn is_comment_chrome(s: &str) -> bool {
    if COMMENT_COUNT_WORDS.iter().any(|w| s.contains(w)) {
        return true;
    }
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
    }
}
