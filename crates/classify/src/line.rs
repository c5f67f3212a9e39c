//! One line on its own: article, page chrome, or undecided (short lines that their
//! neighbours decide), with the reason.

use serde::Serialize;

use super::features::Features;

/// What a line looks like on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Blank lines, URLs and image paths, lines removed before: transparent to context.
    Skip,
    /// A paragraph of prose.
    Good,
    /// A short sentence: article or chrome, as its neighbours say.
    NearGood,
    /// A short line without sentence punctuation: a subheading among paragraphs, a menu
    /// item among chrome.
    Short,
    /// A line of program code: article when next to article text.
    Code,
    /// Page chrome with evidence of its own (widget words, dates, breadcrumbs, ...).
    Bad,
    /// The heading of a list that follows an article (related, hot, comments).
    Barrier,
}

impl Class {
    /// The class name shown to users.
    pub fn name(self) -> &'static str {
        match self {
            Class::Skip => "skip",
            Class::Good => "good",
            Class::NearGood => "near-good",
            Class::Short => "short",
            Class::Code => "code",
            Class::Bad => "bad",
            Class::Barrier => "barrier",
        }
    }
}

/// Why a line got its class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// Nothing but white space.
    Blank,
    /// A URL or an image path.
    Url,
    /// The caller said the line is already removed (by a rule) and it shows no chrome.
    Removed,
    /// The caller said the line is mostly link text.
    LinkText,
    /// Mostly U+FFFD: text that could not be decoded.
    Undecodable,
    /// Only icon-font characters.
    Icons,
    /// A list heading (相关新闻, 热门推荐, 网友评论).
    ListHeading,
    /// Comment chrome (回复, 举报, 赞 12, 51条评论).
    CommentChrome,
    /// Copyright or licence footer.
    Copyright,
    /// A breadcrumb (首页 > 新闻 > 正文).
    Breadcrumb,
    /// A date or time line without a sentence (bylines, list dates, comment times).
    DateTime,
    /// Only numbers (counters).
    NumbersOnly,
    /// Links separated by `|`.
    LinkBar,
    /// Short words separated by spaces (a menu on one line).
    SpacedLinks,
    /// Words that name page widgets (分享, 登录, 首页, 下一篇) on a short line.
    WidgetWords,
    /// Program code.
    CodeLike,
    /// A sentence of some length with function characters or stop words.
    Prose,
    /// A long line with several punctuation marks.
    LongPunctuated,
    /// A short sentence or clause.
    ShortSentence,
    /// A short line without sentence punctuation.
    Short,
    /// An item of a numbered list of headline-shaped lines (a hot list).
    NumberedList,
    /// A line of a block of program code or shell commands (three or more code-like lines).
    CodeBlock,
    /// A line of a run of short lines that read as prose together (a post written line by
    /// line, verse).
    ShortLineRun,
    /// The floor of a reply in a forum thread (`沙发`, `板凳`, `3楼`, `#5`): the first post
    /// ends here.
    ReplyHeader,
    /// The caption under an image: the line after an image URL that ends with a photo
    /// credit (`Photo: …`, `（资料图片）`).
    Caption,
    /// Line numbers beside a block of code (`1`, `2`, `3` on lines of their own).
    LineNumbers,
}

impl Reason {
    /// A short human description.
    pub fn describe(self) -> &'static str {
        match self {
            Reason::Blank => "blank",
            Reason::Url => "URL or image path",
            Reason::Removed => "already removed",
            Reason::LinkText => "mostly link text",
            Reason::Undecodable => "undecodable text",
            Reason::Icons => "icon characters only",
            Reason::ListHeading => "list heading",
            Reason::CommentChrome => "comment chrome",
            Reason::Copyright => "copyright or licence",
            Reason::Breadcrumb => "breadcrumb",
            Reason::DateTime => "date or time line",
            Reason::NumbersOnly => "numbers only",
            Reason::LinkBar => "links separated by |",
            Reason::SpacedLinks => "short words separated by spaces",
            Reason::WidgetWords => "widget words",
            Reason::CodeLike => "code",
            Reason::Prose => "prose",
            Reason::LongPunctuated => "long punctuated line",
            Reason::ShortSentence => "short sentence",
            Reason::Short => "short line",
            Reason::NumberedList => "numbered headline list",
            Reason::CodeBlock => "block of code",
            Reason::ShortLineRun => "run of short lines written as prose",
            Reason::ReplyHeader => "reply floor of a forum thread",
            Reason::Caption => "caption under an image (ends with a photo credit)",
            Reason::LineNumbers => "line numbers beside a code block",
        }
    }

    /// Weak chrome evidence: it marks the line, but does not decide its neighbours.
    pub fn is_weak(self) -> bool {
        matches!(
            self,
            Reason::Undecodable
                | Reason::Icons
                | Reason::NumbersOnly
                | Reason::LinkText
                | Reason::Caption
        )
    }
}

/// Classifies one line from its features.
pub fn classify(f: &Features) -> (Class, Reason) {
    use Class::*;
    let n = f.chars;
    let no_sentence = f.sentence_punct == 0;
    if n == 0 && f.icons > 0 {
        return (Bad, Reason::Icons);
    }
    if n == 0 {
        return (Skip, Reason::Blank);
    }
    if f.url {
        return (Skip, Reason::Url);
    }
    if f.undecodable * 2 >= n {
        return (Bad, Reason::Undecodable);
    }
    if f.list_heading {
        return (Barrier, Reason::ListHeading);
    }
    if f.reply_floor {
        return (Barrier, Reason::ReplyHeader);
    }
    if f.comment_chrome && n <= 30 && no_sentence {
        return (Bad, Reason::CommentChrome);
    }
    if f.copyright && f.sentence_punct <= 1 {
        return (Bad, Reason::Copyright);
    }
    if f.breadcrumb && no_sentence {
        return (Bad, Reason::Breadcrumb);
    }
    if no_sentence && (f.date_or_time || f.relative_time) && n <= 40 {
        return (Bad, Reason::DateTime);
    }
    if f.byline {
        return (Bad, Reason::DateTime);
    }
    if f.numbers_only {
        return (Bad, Reason::NumbersOnly);
    }
    if f.bars >= 2 && no_sentence {
        return (Bad, Reason::LinkBar);
    }
    // Spaces separate menu items only in a script that does not separate words by them.
    let cjk_items = f.cjk * 2 >= n - f.spaces.min(n);
    if cjk_items && f.spaces >= 4 && no_sentence && f.clause_punct == 0 && n <= 10 * (f.spaces + 1)
    {
        return (Bad, Reason::SpacedLinks);
    }
    // (Function characters make a sentence of a line that names a widget in passing:
    // `脚本本身也可以写得健壮一点，出错就退出：`.)
    if n <= 20 && f.widget_words && no_sentence && f.function_chars < 2 {
        return (Bad, Reason::WidgetWords);
    }
    // A toolbar names several widgets: `点赞 踩 收藏 觉得还不错? 一键收藏 评论 分享`.
    if f.widget_count >= 3 && f.function_chars < 2 && f.sentence_punct <= 1 && n <= 60 {
        return (Bad, Reason::WidgetWords);
    }
    if f.code {
        return (Code, Reason::CodeLike);
    }
    let units = f.units();
    let punct = f.sentence_punct + f.clause_punct;
    if units >= 25
        && (f.sentence_punct >= 1 || f.clause_punct >= 2)
        && (f.function_density() >= 0.04 || f.stop_density() >= 0.2)
    {
        return (Good, Reason::Prose);
    }
    if units >= 60 && punct >= 2 {
        return (Good, Reason::LongPunctuated);
    }
    if units >= 8 && punct >= 1 {
        return (NearGood, Reason::ShortSentence);
    }
    (Short, Reason::Short)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(s: &str) -> (Class, Reason) {
        classify(&Features::of(s))
    }

    #[test]
    fn prose_and_chrome() {
        assert_eq!(
            class("比赛中一个镜头引起了大家的注意，周琦在一次暂停后准备上场时，姚明拉住他叮嘱了几句。"),
            (Class::Good, Reason::Prose)
        );
        assert_eq!(
            class("It was the best of times, it was the worst of times, and the city slept."),
            (Class::Good, Reason::Prose)
        );
        assert_eq!(class("分享到："), (Class::Bad, Reason::WidgetWords));
        assert_eq!(class("相关文章"), (Class::Barrier, Reason::ListHeading));
        assert_eq!(
            class("网易首页 > 新闻中心 > 正文"),
            (Class::Bad, Reason::Breadcrumb)
        );
        assert_eq!(
            class("2019-09-07 09:59:22 来源: 新京报"),
            (Class::Bad, Reason::DateTime)
        );
        assert_eq!(class("15867"), (Class::Bad, Reason::NumbersOnly));
        assert_eq!(
            class("关于我们 | 联系我们 | 隐私政策"),
            (Class::Bad, Reason::LinkBar)
        );
        assert_eq!(
            class("资讯 视频 直播 财经 娱乐 体育"),
            (Class::Bad, Reason::SpacedLinks)
        );
        assert_eq!(
            class("Copyright © 2019 All rights reserved"),
            (Class::Bad, Reason::Copyright)
        );
        assert_eq!(class("夜空中的星 12小时前"), (Class::Bad, Reason::DateTime));
        assert_eq!(class("https://a.example/x.jpg"), (Class::Skip, Reason::Url));
        assert_eq!(class("   "), (Class::Skip, Reason::Blank));
    }

    #[test]
    fn latin_words_are_not_spaced_menu_items() {
        // Spaces separate words in Latin script: a subheading or a headline is not a menu.
        assert_eq!(
            class("Costs rise by a fifth"),
            (Class::Short, Reason::Short)
        );
        assert_ne!(
            class("Harbour wall repairs to finish before winter storms").1,
            Reason::SpacedLinks
        );
        assert_eq!(
            class("Mélangez la farine et le beurre du bout des doigts jusqu'à obtenir un sable."),
            (Class::Good, Reason::Prose)
        );
    }

    #[test]
    fn undecided_lines() {
        assert_eq!(class("对标诺贝尔奖"), (Class::Short, Reason::Short));
        assert_eq!(
            class("去邮轮母港如何实现坐地铁登船？"),
            (Class::NearGood, Reason::ShortSentence)
        );
        assert_eq!(class("import json"), (Class::Code, Reason::CodeLike));
    }
}
