//! `related.headline-run`: a related, recommended or hot list after the article, found by
//! its shape whatever its heading says (or without one): a run of headline-shaped lines
//! (short, no sentence inside, often numbered, dated or followed by an excerpt cut with
//! an ellipsis) after the last paragraph, up to the end of the text.
//!
//! Short lines closing an article look the same, so the body is protected by what a list
//! of other articles is not: a run of fewer than three headlines, or of short items
//! (median under 10 characters: verse, slogans, ingredients) or items of one length
//! (parallel slogans), or of Chinese ordinal points (一是…, （一）…), numbered steps or
//! quoted lines; a run a paragraph announces with a colon or its own first line announces
//! (以下是…); a list the body started; a run after a fragment, or after a body written
//! mostly in short lines (a spec sheet); a run without marks of a listing (questions,
//! alternative titles in brackets, excerpts, dates) in a third of its headlines; and the
//! text before the run must hold a quarter of the document.

use super::super::conditions::ends_with_ellipsis;
use super::super::shape::{is_headline, is_paragraph};
use super::super::{Ctx, Work};
use super::{block_reaches, drop_kept, Kept};

/// A kept, non-blank line as the list finder sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Item<'a> {
    /// Trimmed text.
    pub text: &'a str,
    /// Characters of `text`.
    pub chars: usize,
    /// Characters of the kept lines before this one.
    pub chars_before: usize,
}

/// Outcomes of pending structural rules weighed, at most.
const MAX_OUTCOMES: usize = 16;

/// Drops a related list after the body, if the kept lines end with one. A pending
/// `drop-rest` may end the text where it stands or only lose its own line, a pending
/// `drop-block` take its list or only its heading: the list is looked for in each
/// outcome, and what any of them finds goes, so that cleaning the body again finds none
/// in the outcome the zones choose.
/// `lines` is the [`kept_lines`](super::kept_lines) view.
pub(crate) fn apply(ctx: &Ctx, work: &mut Work, rule: usize, lines: &[Kept]) {
    // Each outcome: which kept lines it removes. None fires; each one alone; all of them
    // (every block, and the text from the first drop-rest on).
    let n = lines.len();
    let mut singles: Vec<std::ops::Range<usize>> = Vec::new();
    let mut all: Vec<std::ops::Range<usize>> = Vec::new();
    if let Some(k) = (0..n).find(|&k| lines[k].may_cut_rest) {
        all.push(k..n);
    }
    let mut blocks = block_reaches(ctx, lines).into_iter().peekable();
    for (k, line) in lines.iter().enumerate() {
        if line.may_cut_rest {
            singles.push(k..n);
        }
        if let Some((_, reach)) = blocks.next_if(|(b, _)| *b == k) {
            singles.push(reach.clone());
            all.push(reach);
        }
    }
    // The single outcomes nearest the end matter: a list is looked for there.
    let skip = singles.len().saturating_sub(MAX_OUTCOMES);
    let mut outcomes: Vec<Vec<std::ops::Range<usize>>> = vec![Vec::new()];
    if !all.is_empty() {
        outcomes.push(all);
    }
    outcomes.extend(singles.into_iter().skip(skip).map(|r| vec![r]));
    let mut drops: Vec<(usize, String)> = Vec::new();
    for removed in outcomes {
        let gone = covered(n, &removed);
        let view: Vec<usize> = (0..n).filter(|&k| !lines[k].goes && !gone[k]).collect();
        if let Some((first, reason)) = list_in(lines, &view) {
            drops.extend(view[first..].iter().map(|&k| (k, reason.clone())));
        }
    }
    drops.sort_by_key(|d| d.0);
    drops.dedup_by_key(|d| d.0);
    for (k, reason) in drops {
        let cause = work.fates.cause(rule, Some(reason));
        drop_kept(work, &lines[k], rule, cause);
    }
}

/// Which of `n` lines the `ranges` cover (overlapping ranges counted once, in linear time).
fn covered(n: usize, ranges: &[std::ops::Range<usize>]) -> Vec<bool> {
    let mut delta = vec![0i64; n + 1];
    for r in ranges {
        delta[r.start] += 1;
        delta[r.end] -= 1;
    }
    let mut depth = 0;
    delta[..n]
        .iter()
        .map(|d| {
            depth += d;
            depth > 0
        })
        .collect()
}

/// Where in `view` (indices of `lines`) the related list at its end starts, and why.
fn list_in(lines: &[Kept], view: &[usize]) -> Option<(usize, String)> {
    let mut before = 0;
    let items: Vec<Item> = view
        .iter()
        .map(|&k| {
            let it = Item {
                text: &lines[k].text,
                chars: lines[k].weight,
                chars_before: before,
            };
            before += lines[k].weight;
            it
        })
        .collect();
    let first = find(&items, before)?;
    let heads = items[first..]
        .iter()
        .filter(|k| is_headline(k.text))
        .count();
    let reason = format!(
        "{} lines after the last paragraph, {heads} of them headlines: a list of other articles",
        items.len() - first
    );
    Some((first, reason))
}

/// Words that open a line announcing the list after it (以下是…, 下面…).
const ANNOUNCING: [&str; 5] = ["以下", "如下", "下面", "下列", "下述"];

/// Kept lines before a run whose shape is compared with it (the body's rhythm).
const RHYTHM_LINES: usize = 10;

/// Index into `kept` of the first line of a trailing headline list, or `None`.
/// `total_chars` is the kept text's weight (for the position test).
pub(crate) fn find(kept: &[Item], total_chars: usize) -> Option<usize> {
    let mut start = kept.len();
    while start > 0 && is_item(kept[start - 1].text) {
        start -= 1;
    }
    if start == 0 || start == kept.len() {
        return None; // No body before the run, or no run.
    }
    let anchor = kept[start - 1].text;
    if anchor.ends_with([':', '：']) {
        // The paragraph announces what follows (steps, verse, a list): the article's.
        return None;
    }
    if !is_paragraph(anchor) {
        return None; // The run follows a fragment, not a paragraph: a text of short lines.
    }
    // The body before the run is itself written in short lines (a spec sheet, a list of
    // requirements, verse between paragraphs): the run continues it.
    let before = &kept[start.saturating_sub(RHYTHM_LINES).max(1)..start];
    if before.iter().filter(|k| is_paragraph(k.text)).count() * 2 < before.len() {
        return None;
    }
    let items = &kept[start..];
    // A list the body started goes on (same marker), a numbered sequence is the
    // author's steps, and a first line announcing a list (以下是…, 下面…) keeps it.
    if starts_with_list_marker(anchor) && starts_with_list_marker(items[0].text) {
        return None;
    }
    if numbered_in_sequence(items) {
        return None;
    }
    if ANNOUNCING.iter().any(|a| items[0].text.starts_with(a)) {
        return None;
    }
    let mut heads: Vec<usize> = items
        .iter()
        .filter(|k| is_headline(k.text))
        .map(|k| k.chars)
        .collect();
    if heads.len() < 3 {
        return None;
    }
    heads.sort_unstable();
    // Short items are verse, slogans or ingredients; items of one length are parallel
    // lines (slogans, couplets). Other articles' headlines are longer and vary.
    if heads[heads.len() / 2] < 10 || heads[0] == heads[heads.len() - 1] {
        return None;
    }
    if items.iter().filter(|k| starts_with_ordinal(k.text)).count() >= 2 {
        return None;
    }
    // Short lines closing an article (a moral, slogans, headings of further methods)
    // have the same shape: the run must show what lists of other articles show, in a
    // third of its lines and at least two: questions (如何…, …吗？), alternative titles in
    // brackets, excerpts cut with an ellipsis, dates, counters or tags.
    let evidence = items.iter().filter(|k| is_listing(k.text)).count();
    if evidence < 2 || evidence * 3 < heads.len() {
        return None;
    }
    if kept[..start].iter().map(|k| k.chars).sum::<usize>() < 100 {
        return None;
    }
    if (items[0].chars_before as f64) < 0.25 * total_chars as f64 {
        return None;
    }
    Some(start)
}

/// Two items numbered one after the other (`1.` then `2、`, `3)` then `4)`): the author's
/// steps or points. Hot lists number their headlines too, but the body is kept first.
fn numbered_in_sequence(items: &[Item]) -> bool {
    let numbers: Vec<Option<u32>> = items.iter().map(|k| list_number(k.text)).collect();
    numbers
        .windows(2)
        .any(|w| matches!(w, [Some(a), Some(b)] if b == &(a + 1)))
}

/// The number of an item numbered `1.`, `1、`, `1)`, `(1)`, `1 ` or `第1步`.
fn list_number(s: &str) -> Option<u32> {
    let s = s.trim_start_matches(['(', '（', '第']);
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() || digits.len() > 3 {
        return None;
    }
    let after = s[digits.len()..].chars().next();
    matches!(
        after,
        Some('.' | '、' | '．' | ')' | '）' | ' ' | '\u{3000}' | '步' | '条' | '章' | ':' | '：')
    )
    .then(|| digits.parse().ok())
    .flatten()
}

/// A line a related list is made of: a headline, an excerpt cut with an ellipsis, or a
/// date, counter or tag line beside them. A quoted line (`“……”`) is someone's words: the
/// article's, never another article's headline.
fn is_item(s: &str) -> bool {
    !is_quoted(s)
        && (is_headline(s) || (ends_with_ellipsis(s) && s.chars().count() >= 10) || is_meta(s))
}

/// Words that make a headline a question (SEO and Q&A sites title most pages so).
const QUESTION_WORDS: [&str; 14] = [
    "吗",
    "什么",
    "怎么",
    "怎样",
    "如何",
    "哪些",
    "哪个",
    "哪里",
    "为什么",
    "为何",
    "多少",
    "是否",
    "有没有",
    "能否",
];

/// A line with a mark of a listing of other articles: a question, an alternative title in
/// brackets (`标题(副题)`, `【标签】标题`), an excerpt cut with an ellipsis, or a date,
/// counter or tag line.
fn is_listing(s: &str) -> bool {
    let question = s.ends_with(['？', '?']) || QUESTION_WORDS.iter().any(|w| s.contains(w));
    let bracketed = s.starts_with(['【', '[']) || s.ends_with([')', '）', '】', ']']);
    question || bracketed || ends_with_ellipsis(s) || is_meta(s)
}

/// A line that is a quotation from end to end.
fn is_quoted(s: &str) -> bool {
    s.starts_with(['“', '「', '『', '"', '‘']) && s.ends_with(['”', '」', '』', '"', '’'])
}

/// Dates, times and counts (`2021-10-12`, `10-12 08:30`, `2021年10月12日`), or hashtags.
fn is_meta(s: &str) -> bool {
    let n = s.chars().count();
    let date = (1..=20).contains(&n)
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace() || "-/:.年月日".contains(c));
    date || (s.starts_with('#') && n <= 40)
}

/// `1.`, `1、`, `(1)`, `①`, or a bullet.
fn starts_with_list_marker(s: &str) -> bool {
    let digits = s.chars().take_while(|c| c.is_ascii_digit()).count();
    let after = s.chars().nth(digits);
    let numbered = digits > 0 && matches!(after, Some('.' | '、' | '．' | ')' | '）'));
    let bracketed =
        s.starts_with(['(', '（']) && s.chars().nth(1).is_some_and(|c| c.is_ascii_digit());
    numbered
        || bracketed
        || s.starts_with([
            '①', '②', '③', '·', '•', '●', '○', '■', '□', '◆', '◇', '▪', '-', '*',
        ])
}

/// Chinese ordinal points of an argument: 一是…, 二、…, （一）…, 第一，… .
fn starts_with_ordinal(s: &str) -> bool {
    const NUMS: &str = "一二三四五六七八九十";
    let mut cs = s.chars();
    match cs.next() {
        Some('（' | '(') => cs.next().is_some_and(|c| NUMS.contains(c)),
        Some('第') => cs.next().is_some_and(|c| NUMS.contains(c)),
        Some(c) if NUMS.contains(c) => matches!(cs.next(), Some('是' | '、' | '．' | '.')),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(lines: &[&'static str]) -> (Vec<Item<'static>>, usize) {
        let mut out = Vec::new();
        let mut before = 0;
        for l in lines {
            let chars = l.chars().count();
            out.push(Item {
                text: l,
                chars,
                chars_before: before,
            });
            before += chars;
        }
        (out, before)
    }

    const BODY: [&str; 3] = [
        "眼睛白眼球有黄斑怎么办",
        "如果是位于眼白上可能是结膜的脂肪沉着，不需要治疗。位于眼白和黑眼珠之间可能是睑裂斑，为风尘刺激引起，也不需要处理。",
        "平常可以多做眼球运动，例如上下左右转动眼球，看电视、玩电脑的时间不宜太久，用眼过度会造成眼睛疲劳。",
    ];

    fn with(tail: &[&'static str]) -> Option<usize> {
        let mut v: Vec<&'static str> = BODY.to_vec();
        v.extend_from_slice(tail);
        let (k, total) = kept(&v);
        find(&k, total)
    }

    #[test]
    fn a_run_of_headlines_after_the_body() {
        assert_eq!(
            with(&[
                "高校毕业除了考研和工作还有什么选择",
                "云服务器实例模板怎么删除",
                "迄今为止你最讨厌的广告是什么",
                "大学生拿攒下的生活费买手机合理吗",
            ]),
            Some(3)
        );
        // Headlines with excerpts cut by an ellipsis, and dates.
        assert_eq!(
            with(&[
                "普洱生茶存放时间长可以喝吗(需要存放多久)",
                "舌头干苦吃什么茶好(喝完茶感觉舌头很涩)",
                "很多茶友都有过这样的体会，就是喝生普的时候容易肚子饿，大家的理解可能是普洱茶刮油...",
                "2021-10-12",
                "了解普洱茶的基本知识(熟茶后起之秀有哪些)",
            ]),
            Some(3)
        );
    }

    #[test]
    fn the_body_is_kept() {
        // Two headlines are not a list.
        assert_eq!(
            with(&["另一篇文章的标题在这里", "又一篇文章的标题在这里"]),
            None
        );
        // Short items: verse, slogans.
        assert_eq!(
            with(&["不忘初心", "牢记使命", "砥砺前行", "再创辉煌"]),
            None
        );
        // Parallel lines of one length.
        assert_eq!(
            with(&[
                "人人参与垃圾分类工作",
                "共建美丽和谐幸福家园",
                "争做文明环保先进市民"
            ]),
            None
        );
        // Ordinal points.
        assert_eq!(
            with(&[
                "一是加强组织领导，确保落实",
                "二是完善工作机制，形成合力",
                "三是强化督促检查，务求实效"
            ]),
            None
        );
        // A numbered list the last paragraph announces.
        assert_eq!(
            with(&[
                "我做方案的时候一般会涉及到这些细节：",
                "1、目标人群是什么人",
                "2、要实现的目的是什么",
                "3、分几个阶段来操作实施",
            ]),
            None
        );
        // A text written in short lines: the run follows a fragment.
        assert_eq!(
            with(&[
                "此外",
                "航站楼免税店正同步进行招商",
                "购物、餐饮、空中花园、无敌免税城……",
                "这么高大上的邮轮母港",
                "开始搓搓手了！！！",
            ]),
            None
        );
        // No body before the run.
        let (k, total) = kept(&[
            "标题一二三四五六",
            "标题二三四五六七",
            "标题三四五六七八",
            "标题四五六七八九",
        ]);
        assert_eq!(find(&k, total), None);
    }

    #[test]
    fn an_announced_run_stays() {
        // What a paragraph ending in a colon announces is the article's, whatever its
        // shape: questions, verse, places.
        assert_eq!(
            with(&[
                "下面是如何传输文件的教程：",
                "如何在电脑和手机之间互传文件？",
                "文件传输与管理的常见问题",
                "如何使用好友功能与好友传输文件？",
                "下载文件提示下载失败怎么办？",
            ]),
            None
        );
        assert_eq!(
            with(&[
                "今年春天回乡，我写下了这样几句话：",
                "小河还在静静地流淌",
                "芦苇又绿了一茬又一茬",
                "儿时的伙伴早已各奔东西",
                "只有老屋门前的那棵槐树",
                "依旧守望着远方的游子",
            ]),
            None
        );
        // Announced by the run's own first line, without a colon.
        assert_eq!(
            with(&[
                "以下是记者推荐的几处踏青好去处",
                "西山森林公园的樱花大道",
                "南湖湿地公园的油菜花田",
                "东郊植物园的郁金香花展",
                "北山古村落的千年银杏林",
            ]),
            None
        );
    }

    #[test]
    fn lists_and_quotes_of_the_body_stay() {
        // Numbered steps after a paragraph, without an announcing colon.
        assert_eq!(
            with(&[
                "1. 打开手机的设置应用，找到通用选项",
                "2. 进入软件更新页面查看自动更新",
                "3. 点击自动更新，把两个开关都关掉",
            ]),
            None
        );
        assert_eq!(
            with(&[
                "第1步 五花肉切块后冷水下锅焯水",
                "第2步 锅中放油下冰糖炒出糖色",
                "第3步 倒入肉块翻炒均匀裹上糖色",
            ]),
            None
        );
        // A bulleted list the body started goes on past its last long item.
        assert_eq!(
            with(&[
                "- 针对泵和涂料系统用于两种不同溶剂的自动快速的清洁系统（仅针对选配的材料输送单元），清洁参数可在喷涂程序中储存",
                "- 尺寸改进(以适合更大或更小的样板)",
                "- 吸附样板架，以适合诸如铝板或者塑料样板",
                "- 可旋转样板架 (90° 旋转) 已做交叉喷涂",
            ]),
            None
        );
        // Quoted lines are someone's words.
        assert_eq!(
            with(&[
                "“现在年轻人不爱修鞋了，坏了就扔”",
                "“可我总觉得，好东西要惜物”",
                "“修一修还能再穿好几年呢”",
            ]),
            None
        );
    }

    #[test]
    fn closing_lines_without_marks_of_a_listing_stay() {
        assert_eq!(
            with(&[
                "这就是一位普通乡村教师的坚守",
                "平凡而又伟大的三十年光阴",
                "值得我们每一个人尊敬和学习",
            ]),
            None
        );
        assert_eq!(
            with(&[
                "让我们携手共建美好家园！",
                "为实现社区更好发展而共同努力！",
                "祝大家新春快乐、阖家幸福！",
            ]),
            None
        );
        assert_eq!(
            with(&[
                "方法二：使用条件格式标记重复值",
                "方法三：使用高级筛选提取不重复记录",
                "方法四：使用COUNTIF函数辅助判断",
            ]),
            None
        );
    }

    #[test]
    fn a_body_in_short_lines_goes_on() {
        // A spec sheet: mostly short lines, one long item before the last ones.
        let mut v: Vec<&'static str> = vec![
            "某某系列微控制器",
            "主频最高120MHz",
            "供电电压2.4V ~ 3.6V",
            "64KB闪存",
            "16KB SRAM",
            "外部高速4 ~ 25MHz晶体振荡器",
            "内部低速40kHz RC振荡器",
            "复位和电源管理",
            "睡眠、停机和待机模式",
            "多达39个I/O端口，所有都可以映像到外部中断； 几乎所有I/O口可容忍5V输入信号",
            "所有I/O口均为快速I/O，寄存器访问速度最高",
            "LQFP48 7 x 7 mm",
            "QFN32 5 x 5 mm",
            "TSSOP20 6.5 x 4.4 mm",
        ];
        v.splice(1..1, BODY[1..].iter().copied());
        let (k, total) = kept(&v);
        assert_eq!(find(&k, total), None);
    }
}
