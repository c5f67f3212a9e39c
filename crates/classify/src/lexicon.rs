//! Word lists the line features look for: the kinds of words that name page widgets,
//! list headings and licence footers on Chinese (and some Latin-script) web pages, and
//! the function characters and stop words that mark running prose. None of them names a
//! site, a person or a story.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind, StartKind};

/// Common Chinese function characters: frequent in sentences, rare in menus and headlines.
pub fn is_function_char(c: char) -> bool {
    matches!(
        c,
        '的' | '了'
            | '是'
            | '在'
            | '和'
            | '也'
            | '就'
            | '都'
            | '而'
            | '及'
            | '与'
            | '着'
            | '被'
            | '把'
            | '将'
            | '对'
            | '从'
            | '为'
            | '这'
            | '那'
            | '有'
            | '个'
            | '们'
            | '但'
            | '并'
            | '或'
            | '其'
            | '之'
            | '于'
            | '以'
            | '所'
            | '向'
            | '给'
            | '让'
            | '們'
            | '這'
            // Traditional forms of the ones above (Hong Kong and Taiwan pages).
            | '與'
            | '對'
            | '從'
            | '為'
            | '將'
            | '個'
            | '並'
            | '於'
            | '讓'
            | '給'
            | '著'
    )
}

/// Stop words of English, French, German and Spanish (ASCII spellings, at most 8 letters):
/// their share of a line's words separates prose from link text in Latin script.
#[rustfmt::skip]
pub const LATIN_STOP_WORDS: [&str; 134] = [
    // English
    "the", "a", "an", "of", "to", "in", "and", "is", "are", "was", "were", "for", "on", "with",
    "that", "this", "it", "as", "by", "at", "be", "from", "or", "not", "have", "has",
    "had", "been", "he", "she", "they", "we", "you", "i", "his", "her", "their", "its", "my",
    "our", "who", "which", "will", "would", "could", "can", "but", "if", "than", "more",
    "said", "after", "into", "about", "there", "when", "also",
    // French
    "le", "la", "les", "de", "des", "du", "un", "une", "et", "est", "que", "qui", "pour",
    "dans", "sur", "avec", "au", "aux", "pas", "ne", "se", "il", "elle", "en", "ce", "mais",
    "ou", "par", "plus", "son", "sa", "ses",
    // German
    "der", "die", "das", "und", "ist", "nicht", "mit", "den", "dem", "ein", "eine", "zu",
    "von", "im", "auf", "sich", "auch", "sie", "er", "wir", "aber", "oder", "wie", "als",
    "nach", "bei", "aus", "wird", "noch", "nur",
    // Spanish
    "el", "los", "las", "y", "es", "por", "con", "para", "una", "del", "lo", "su", "al",
    "como", "pero",
];

/// Units of an English relative time (`3 hours ago`), singular; a plural adds `s`.
pub const LATIN_TIME_UNITS: [&str; 11] = [
    "second", "sec", "minute", "min", "hour", "hr", "day", "week", "month", "year", "yr",
];

/// Words that name a page widget: share, login, comment, navigation, font size, print.
const WIDGET_WORDS: [&str; 85] = [
    "分享",
    "收藏",
    "举报",
    "舉報",
    "登录",
    "登錄",
    "注册",
    "註冊",
    "评论",
    "評論",
    "回复",
    "回覆",
    "跟贴",
    "跟帖",
    "点赞",
    "赞",
    "阅读",
    "閱讀",
    "浏览",
    "瀏覽",
    "关注",
    "關注",
    "订阅",
    "訂閱",
    "扫码",
    "二维码",
    "二維碼",
    "微信",
    "微博",
    "QQ空间",
    "客户端",
    "下载",
    "下載",
    "首页",
    "首頁",
    "返回顶部",
    "返回首页",
    "上一篇",
    "下一篇",
    "上一页",
    "下一页",
    "上一頁",
    "下一頁",
    "更多",
    "打印",
    "关闭",
    "關閉",
    "字号",
    "字號",
    "字體",
    "字体",
    "纠错",
    "反馈",
    "反饋",
    "退出",
    "搜索",
    "发表",
    "發表",
    "发布",
    "發佈",
    "取消",
    "确认",
    "确定",
    "广告",
    "廣告",
    "登入",
    // Latin script (whole words only, without regard to case)
    "advertisement",
    "sponsored",
    "sign in",
    "sign up",
    "log in",
    "login",
    "subscribe",
    "newsletter",
    "newsletters",
    "share",
    "follow us",
    "skip to",
    "cookies",
    "privacy policy",
    "terms of use",
    "contact us",
    "about us",
    "copy link",
    "e-paper",
];

/// Words that open the heading of a list shown after an article: related, recommended,
/// hot, latest, ranked, comments.
const LIST_HEADING_WORDS: [&str; 57] = [
    "相关",
    "相關",
    "推荐",
    "推薦",
    "热门",
    "熱門",
    "热点",
    "熱點",
    "热读",
    "热文",
    "热榜",
    "最新",
    "精彩",
    "猜你喜欢",
    "猜你喜歡",
    "延伸",
    "为您推荐",
    "为你推荐",
    "您可能感兴趣",
    "你可能感兴趣",
    "可能感兴趣",
    "大家都在看",
    "看了又看",
    "网友评论",
    "網友評論",
    "最新评论",
    "热门评论",
    "全部评论",
    "精彩评论",
    "排行",
    "编辑推荐",
    "图片推荐",
    "今日",
    "更多",
    // Latin script (matched without regard to case, as whole words)
    "related",
    "comments",
    "most read",
    "most popular",
    "popular",
    "trending",
    "recommended",
    "read more",
    "more from",
    "more stories",
    "you may also like",
    "you might also like",
    "see also",
    "latest",
    "top stories",
    "commentaires",
    "articles similaires",
    "articles récents",
    "kommentare",
    "verwandte artikel",
    "ähnliche artikel",
    "comentarios",
    "relacionados",
];

/// Licence and copyright footers.
const COPYRIGHT_WORDS: [&str; 10] = [
    "©",
    "copyright",
    "版权所有",
    "版權所有",
    "icp",
    "备案",
    "備案",
    "公网安备",
    "公網安備",
    "all rights reserved",
];

/// Words that close a comment or a comment header: reply, report, like; counts of comments.
pub const COMMENT_TAIL_WORDS: [&str; 12] = [
    "回复", "回覆", "举报", "舉報", "点赞", "顶", "踩", "赞", "跟贴", "跟帖", "评论", "評論",
];
/// Phrases that count comments or participants.
const COMMENT_COUNT_WORDS: [&str; 5] = ["条评论", "條評論", "条回复", "人参与", "人參與"];
/// Comment-count labels that follow a number at the start of a line.
pub const COMMENT_LEAD_WORDS: [&str; 2] = ["跟贴", "跟帖"];

/// Words that say where the reader is (`当前位置：首页 > ...`).
pub const LOCATION_WORDS: [&str; 6] = [
    "当前位置",
    "當前位置",
    "您的位置",
    "您所在的位置",
    "你的位置",
    "位置",
];

/// Relative times of comments and feeds (`3小时前`).
pub const RELATIVE_TIME_UNITS: [&str; 10] = [
    "秒", "分钟", "分鐘", "小时", "小時", "天", "周", "个月", "個月", "年",
];
/// Relative days written as words.
const RELATIVE_DAYS: [&str; 4] = ["刚刚", "剛剛", "昨天", "前天"];

/// Keywords that open a line of program code.
pub const CODE_KEYWORDS: [&str; 22] = [
    "import", "from", "def", "class", "return", "if", "elif", "else", "for", "while", "try",
    "except", "finally", "with", "print", "const", "let", "var", "function", "public", "private",
    "#include",
];

/// A kind of phrase found in a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phrase {
    /// A widget word.
    Widget,
    /// A copyright or licence word.
    Copyright,
    /// A comment or participant count.
    CommentCount,
    /// A relative day.
    RelativeDay,
}

/// Every phrase kind, in the order of [`PHRASES`]' pattern groups.
static PHRASE_GROUPS: [(Phrase, &[&str]); 4] = [
    (Phrase::Widget, &WIDGET_WORDS),
    (Phrase::Copyright, &COPYRIGHT_WORDS),
    (Phrase::CommentCount, &COMMENT_COUNT_WORDS),
    (Phrase::RelativeDay, &RELATIVE_DAYS),
];

/// All phrase lists in one automaton, searched once per line; pattern `i` belongs to the
/// group `PHRASES.1[i]`.
pub static PHRASES: LazyLock<(AhoCorasick, Vec<Phrase>)> = LazyLock::new(|| {
    let mut words = Vec::new();
    let mut kinds = Vec::new();
    for (kind, list) in PHRASE_GROUPS {
        for w in list {
            words.push(*w);
            kinds.push(kind);
        }
    }
    // Lines are short: a DFA without a prefilter beats any setup per search.
    let ac = AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostFirst)
        .kind(Some(AhoCorasickKind::DFA))
        .prefilter(false)
        .build(&words)
        .expect("word lists compile");
    (ac, kinds)
});

/// The characters that can start a phrase: a line without any of them needs no search.
pub struct PhraseLeads {
    /// One bit per CJK ideograph U+4E00..=U+9FFF.
    cjk: Vec<u64>,
    /// One bit per ASCII character (both cases of letters).
    ascii: u128,
    /// Any other first characters.
    other: Vec<char>,
}

impl PhraseLeads {
    /// Whether `c` starts some phrase.
    pub fn contains(&self, c: char) -> bool {
        let u = c as u32;
        if u < 128 {
            self.ascii & (1u128 << u) != 0
        } else if (0x4E00..=0x9FFF).contains(&u) {
            let i = (u - 0x4E00) as usize;
            self.cjk[i / 64] & (1u64 << (i % 64)) != 0
        } else {
            self.other.contains(&c)
        }
    }
}

/// The first characters of every phrase in [`PHRASES`].
pub static PHRASE_LEADS: LazyLock<PhraseLeads> = LazyLock::new(|| {
    let mut leads = PhraseLeads {
        cjk: vec![0; (0x9FFF - 0x4E00) / 64 + 1],
        ascii: 0,
        other: Vec::new(),
    };
    for (_, list) in PHRASE_GROUPS {
        for c in list.iter().filter_map(|w| w.chars().next()) {
            let u = c as u32;
            if u < 128 {
                let (lo, up) = (c.to_ascii_lowercase() as u32, c.to_ascii_uppercase() as u32);
                leads.ascii |= (1u128 << lo) | (1u128 << up);
            } else if (0x4E00..=0x9FFF).contains(&u) {
                let i = (u - 0x4E00) as usize;
                leads.cjk[i / 64] |= 1u64 << (i % 64);
            } else if !leads.other.contains(&c) {
                leads.other.push(c);
            }
        }
    }
    leads
});

/// List-heading words, matched at the start of a line (longest first).
pub static LIST_HEADINGS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .start_kind(StartKind::Anchored)
        .kind(Some(AhoCorasickKind::DFA))
        .prefilter(false)
        .build(LIST_HEADING_WORDS)
        .expect("word lists compile")
});
