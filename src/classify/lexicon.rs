//! Word lists the line features look for: the kinds of words that name page widgets,
//! list headings and licence footers on Chinese (and some Latin-script) web pages, and
//! the function characters and stop words that mark running prose. None of them names a
//! site, a person or a story.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind, StartKind};

/// Common Chinese function characters: frequent in sentences, rare in menus and headlines.
pub const FUNCTION_CHARS: [char; 36] = [
    '的', '了', '是', '在', '和', '也', '就', '都', '而', '及', '与', '着', '被', '把', '将', '对',
    '从', '为', '这', '那', '有', '个', '们', '但', '并', '或', '其', '之', '于', '以', '所', '向',
    '给', '让', '們', '這',
];

/// English stop words: their share of a line's words separates prose from link text.
pub const LATIN_STOP_WORDS: [&str; 26] = [
    "the", "a", "an", "of", "to", "in", "and", "is", "are", "was", "were", "for", "on", "with",
    "that", "this", "it", "as", "by", "at", "be", "from", "or", "not", "have", "has",
];

/// Words that name a page widget: share, login, comment, navigation, font size, print.
const WIDGET_WORDS: [&str; 63] = [
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
];

/// Words that open the heading of a list shown after an article: related, recommended,
/// hot, latest, ranked, comments.
const LIST_HEADING_WORDS: [&str; 35] = [
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
    "热新闻",
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
pub const COMMENT_COUNT_WORDS: [&str; 5] = ["条评论", "條評論", "条回复", "人参与", "人參與"];
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
pub const RELATIVE_TIME_UNITS: [&str; 7] = ["秒", "分钟", "小时", "天", "周", "个月", "年"];
/// Relative days written as words.
pub const RELATIVE_DAYS: [&str; 3] = ["刚刚", "昨天", "前天"];

/// Keywords that open a line of program code.
pub const CODE_KEYWORDS: [&str; 22] = [
    "import", "from", "def", "class", "return", "if", "elif", "else", "for", "while", "try",
    "except", "finally", "with", "print", "const", "let", "var", "function", "public", "private",
    "#include",
];

fn automaton(words: &[&str], kind: MatchKind, start: StartKind) -> AhoCorasick {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(kind)
        .start_kind(start)
        .build(words)
        .expect("word lists compile")
}

/// Widget words, matched anywhere in a line.
pub static WIDGETS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    automaton(
        &WIDGET_WORDS,
        MatchKind::LeftmostFirst,
        StartKind::Unanchored,
    )
});
/// List-heading words, matched at the start of a line (longest first).
pub static LIST_HEADINGS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    automaton(
        &LIST_HEADING_WORDS,
        MatchKind::LeftmostLongest,
        StartKind::Anchored,
    )
});
/// Copyright and licence words, matched anywhere in a line.
pub static COPYRIGHT: LazyLock<AhoCorasick> = LazyLock::new(|| {
    automaton(
        &COPYRIGHT_WORDS,
        MatchKind::LeftmostFirst,
        StartKind::Unanchored,
    )
});
