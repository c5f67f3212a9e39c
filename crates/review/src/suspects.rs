//! Lines that look like noise but that no rule removed: what a rule author should look at
//! next (`rinse stats --suspects`).
//!
//! Each kept line of a cleaned document is given at most one [`Shape`] from its text and
//! its neighbours: short lines after the last paragraph (related headlines, tags,
//! slogans), short lines between the title and the first paragraph, `label：value`
//! lines, short lines under a removed image, bracketed suffixes, invisible characters,
//! romanised glosses, and the residual noise of corpus texts: betting brands, paywall and
//! tipping wording, data notes, list items with counters or dates, product and company
//! boilerplate, menu and footer lines. Suspects are grouped by shape with counts and a few examples, so
//! the most common leftover kind comes first. Nothing is removed: this is a review aid,
//! and a body line may well have one of these shapes.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::{annotate, is_whitespace_edit, Fate, Line};
use crate::engine::is_invisible;
use crate::engine::shape::{is_headline, is_paragraph};
use crate::engine::SENTENCE_PUNCT;
use crate::engine::{Cleaned, Edit};

/// The kinds of suspicious lines, in the order a line is tested for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    /// An invisible character (a control, bidi control or private-use character) left in
    /// the text.
    ControlChar,
    /// Lower-case Latin letters in brackets right after a Chinese character: a
    /// romanisation gloss such as `烟(yan)`.
    Gloss,
    /// A betting or gaming brand with a service word (`某某体育官网`, `abc手机版登录:`),
    /// injected into a title or a sentence.
    SpamBrand,
    /// Tipping, paywall or betting-tip vocabulary (`球币`, `打赏`, `包周`, `理性购彩`).
    Paywall,
    /// A note saying when the data was taken (`以上数据截止…`).
    DataNote,
    /// A headline with a view or like counter or a date at its end, or a line of tags:
    /// an item of a related or hot list.
    Counter,
    /// Product or company boilerplate: template fields (`产品名称：`), a company's
    /// sales profile (`某某有限公司是一家…`).
    Boilerplate,
    /// A menu row of short items, or a footer line (copyright, licence, reposting terms):
    /// page chrome of a whole-page text.
    MenuFooter,
    /// A short bracketed tail at the end of a line (`…【某某体育app】`): a spam suffix or a
    /// category tag.
    BracketTail,
    /// A short `label：value` line (`联 系 人：…`, `温馨提示：…`, `标签：…`).
    LabelColon,
    /// A short line right under a line an image rule removed: a caption.
    AfterImage,
    /// A short line between the first line (the title) and the first paragraph:
    /// breadcrumbs, categories, a neighbouring headline.
    BeforeBody,
    /// A short line after the last paragraph: related headlines, tags, slogans.
    AfterBody,
}

impl Shape {
    /// The shape's name as printed (`after-body`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Shape::ControlChar => "control-char",
            Shape::Gloss => "gloss",
            Shape::SpamBrand => "spam-brand",
            Shape::Paywall => "paywall",
            Shape::DataNote => "data-note",
            Shape::Counter => "counter",
            Shape::Boilerplate => "boilerplate",
            Shape::MenuFooter => "menu-footer",
            Shape::BracketTail => "bracket-tail",
            Shape::LabelColon => "label-colon",
            Shape::AfterImage => "after-image",
            Shape::BeforeBody => "before-body",
            Shape::AfterBody => "after-body",
        }
    }

    /// What lines of this shape usually are.
    pub fn description(self) -> &'static str {
        match self {
            Shape::ControlChar => "control, bidi or private-use characters inside kept text",
            Shape::Gloss => "romanised glosses after characters, e.g. 烟(yan)",
            Shape::SpamBrand => "betting or gaming brands in titles and sentences",
            Shape::Paywall => "tipping, paywall and betting-tip wording (coins, tips, offers)",
            Shape::DataNote => "notes on when the data was taken",
            Shape::Counter => "list items with a counter, a date or tags (related and hot lists)",
            Shape::Boilerplate => "product template fields and company sales profiles",
            Shape::MenuFooter => "menu rows and footer lines of a whole page",
            Shape::BracketTail => "short bracketed tails, e.g. spam brands after a headline",
            Shape::LabelColon => "short label：value lines (contact boxes, notices, tags)",
            Shape::AfterImage => "short lines under a removed image (captions)",
            Shape::BeforeBody => "short lines between the title and the first paragraph",
            Shape::AfterBody => "short lines after the last paragraph (related headlines, tags)",
        }
    }
}

/// One suspicious kept line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suspect {
    /// Document path as given to [`Collector::add`].
    pub document: String,
    /// 1-based raw line.
    pub line: usize,
    /// The kept text of the line, trimmed.
    pub text: String,
}

/// All suspects of one shape.
#[derive(Debug, Clone, Serialize)]
pub struct ShapeGroup {
    /// The shape.
    pub shape: Shape,
    /// What such lines usually are.
    pub description: &'static str,
    /// Number of suspect lines.
    pub lines: usize,
    /// Number of documents with at least one.
    pub documents: usize,
    /// The first few suspects, in document order.
    pub examples: Vec<Suspect>,
}

/// The corpus report: shapes by number of lines (descending).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Documents seen.
    pub documents: usize,
    /// Suspect lines over all shapes.
    pub lines: usize,
    /// One group per shape that occurred.
    pub shapes: Vec<ShapeGroup>,
}

/// Accumulates suspects over documents; feed documents in a stable order.
#[derive(Debug)]
pub struct Collector {
    examples: usize,
    documents: usize,
    groups: BTreeMap<Shape, (usize, usize, Vec<Suspect>)>,
}

impl Collector {
    /// A collector keeping up to `examples` examples per shape.
    pub fn new(examples: usize) -> Collector {
        Collector {
            examples,
            documents: 0,
            groups: BTreeMap::new(),
        }
    }

    /// Adds one cleaned document.
    pub fn add(&mut self, path: &str, raw: &str, cleaned: &Cleaned) {
        self.documents += 1;
        let found = suspects(raw, &cleaned.edits);
        let mut seen: Vec<Shape> = Vec::new();
        for (shape, line, text) in found {
            let g = self.groups.entry(shape).or_default();
            g.0 += 1;
            if !seen.contains(&shape) {
                seen.push(shape);
                g.1 += 1;
            }
            if g.2.len() < self.examples {
                g.2.push(Suspect {
                    document: path.to_string(),
                    line,
                    text,
                });
            }
        }
    }

    /// The report, most frequent shape first.
    pub fn finish(self) -> Report {
        let mut shapes: Vec<ShapeGroup> = self
            .groups
            .into_iter()
            .map(|(shape, (lines, documents, examples))| ShapeGroup {
                shape,
                description: shape.description(),
                lines,
                documents,
                examples,
            })
            .collect();
        shapes.sort_by(|a, b| b.lines.cmp(&a.lines).then(a.shape.cmp(&b.shape)));
        Report {
            documents: self.documents,
            lines: shapes.iter().map(|g| g.lines).sum(),
            shapes,
        }
    }
}

impl Report {
    /// A table of shapes with their examples.
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{:<13}  {:>6}  {:>5}  what", "shape", "lines", "docs");
        for g in &self.shapes {
            let _ = writeln!(
                out,
                "{:<13}  {:>6}  {:>5}  {}",
                g.shape.name(),
                g.lines,
                g.documents,
                g.description
            );
            for s in &g.examples {
                let text: String = s.text.chars().take(60).collect();
                let more = if s.text.chars().count() > 60 {
                    "…"
                } else {
                    ""
                };
                let _ = writeln!(out, "    {}:{}  {text}{more}", s.document, s.line);
            }
        }
        let _ = writeln!(
            out,
            "\n{} suspect line{} in {} document{}: kept lines that look like noise; none is removed",
            self.lines,
            super::plural(self.lines),
            self.documents,
            super::plural(self.documents)
        );
        out
    }

    /// Pretty JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("report serialises");
        s.push('\n');
        s
    }
}

/// A kept line: its raw number, kept text (trimmed) and whether the line before it
/// (blank lines aside) was removed by an image rule.
struct Kept {
    number: usize,
    text: String,
    after_image: bool,
}

/// The suspects of one document: (shape, 1-based raw line, kept text), in line order.
pub fn suspects(raw: &str, edits: &[Edit]) -> Vec<(Shape, usize, String)> {
    let lines = annotate(raw, edits);
    let kept = kept_lines(&lines, edits);
    let prose: Vec<usize> = (0..kept.len())
        .filter(|&k| is_paragraph(&kept[k].text))
        .collect();
    let (first, last) = match (prose.first(), prose.last()) {
        (Some(&f), Some(&l)) => (f, l),
        // No paragraph at all: nothing is "before" or "after" the body.
        _ => (usize::MAX, usize::MAX),
    };
    let mut out = Vec::new();
    for (k, l) in kept.iter().enumerate() {
        let shape = shape_of(&l.text, l.after_image, k, first, last);
        if let Some(s) = shape {
            out.push((s, l.number, l.text.clone()));
        }
    }
    out
}

fn kept_lines(lines: &[Line], edits: &[Edit]) -> Vec<Kept> {
    let mut out = Vec::new();
    let mut after_image = false;
    for l in lines {
        match l.fate {
            Fate::Kept | Fate::Changed => {
                let mut text = String::new();
                for p in &l.pieces {
                    match p.edit {
                        None => text.push_str(p.text),
                        Some(i) if is_whitespace_edit(&edits[i]) => text.push_str(p.text),
                        Some(_) => text.push_str(p.replacement.unwrap_or("")),
                    }
                }
                let text = text.trim().to_string();
                if !text.is_empty() {
                    out.push(Kept {
                        number: l.number,
                        text,
                        after_image,
                    });
                }
                after_image = false;
            }
            Fate::Removed(i) => after_image = edits[i].category == "image",
            Fate::Blank => {}
        }
    }
    out
}

fn shape_of(s: &str, after_image: bool, k: usize, first: usize, last: usize) -> Option<Shape> {
    if s.chars().any(is_control) {
        return Some(Shape::ControlChar);
    }
    if has_gloss(s) {
        return Some(Shape::Gloss);
    }
    if has_spam_brand(s) {
        return Some(Shape::SpamBrand);
    }
    if s.chars().count() <= 80 && PAYWALL_WORDS.iter().any(|w| s.contains(w)) {
        return Some(Shape::Paywall);
    }
    if is_data_note(s) {
        return Some(Shape::DataNote);
    }
    if is_counter_item(s) {
        return Some(Shape::Counter);
    }
    if is_boilerplate(s) {
        return Some(Shape::Boilerplate);
    }
    if is_menu_or_footer(s) {
        return Some(Shape::MenuFooter);
    }
    if has_bracket_tail(s) {
        return Some(Shape::BracketTail);
    }
    if is_label_colon(s) {
        return Some(Shape::LabelColon);
    }
    if !is_headline(s) {
        return None;
    }
    if after_image {
        Some(Shape::AfterImage)
    } else if k > 0 && k < first {
        Some(Shape::BeforeBody)
    } else if last != usize::MAX && k > last {
        Some(Shape::AfterBody)
    } else {
        None
    }
}

fn is_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || is_invisible(c)
}

/// Words naming a gambling or gaming product, and the service words a link farm puts
/// after them.
const GAMBLING_WORDS: [&str; 10] = [
    "现金网",
    "娱乐城",
    "博彩",
    "赌场",
    "棋牌",
    "彩票",
    "真人",
    "电竞",
    "体育",
    "娱乐",
];
const SERVICE_WORDS: [&str; 14] = [
    "官网",
    "官方",
    "网址",
    "平台",
    "登录",
    "登陆",
    "入口",
    "注册",
    "开户",
    "下载",
    "app",
    "APP",
    "手机版",
    "网页版",
];

/// A gambling word followed by a service word (`体育官网`, `娱乐app下载`), or a Latin name
/// followed by one and a colon (`abc手机版登录:`).
fn has_spam_brand(s: &str) -> bool {
    let service_at = |i: usize| SERVICE_WORDS.iter().any(|w| s[i..].starts_with(w));
    GAMBLING_WORDS.iter().any(|g| {
        s.match_indices(g)
            .any(|(i, _)| i + g.len() < s.len() && service_at(i + g.len()))
    }) || s.match_indices([':', '：']).any(|(i, _)| {
        // Service words right before the colon, a Latin name before them.
        let mut before = &s[..i];
        let mut services = 0;
        while let Some(w) = SERVICE_WORDS.iter().find(|w| before.ends_with(*w)) {
            before = &before[..before.len() - w.len()];
            services += 1;
        }
        services > 0 && before.ends_with(|c: char| c.is_ascii_alphabetic())
    })
}

/// Tipping, paywall and betting-tip words.
const PAYWALL_WORDS: [&str; 14] = [
    "球币",
    "金币",
    "打赏",
    "赞赏",
    "付费",
    "包周",
    "包月",
    "跟单",
    "买彩",
    "购彩",
    "充值",
    "解锁全文",
    "会员专享",
    "订阅后",
];

/// `以上数据截止…`, `注：数据截至…`, `赔率更新至…`: a short line that opens with the note.
fn is_data_note(s: &str) -> bool {
    s.chars().count() <= 50
        && ["数据", "行情", "赔率", "资料"].iter().any(|w| {
            s.match_indices(w)
                .any(|(i, _)| s[..i].chars().count() <= 6 && !s[..i].contains(['，', ',']))
                && s.match_indices(w).any(|(i, _)| {
                    let after: String = s[i + w.len()..].chars().take(6).collect();
                    ["截止", "截至", "更新至", "更新于"]
                        .iter()
                        .any(|x| after.contains(x))
                })
        })
}

/// A headline ending in a counter (`标题 358人气`, `标题 715赞`) or a date
/// (`标题 2021-10-12`), or a line of `#tags`.
fn is_counter_item(s: &str) -> bool {
    const COUNTERS: [&str; 9] = [
        "人气",
        "赞",
        "阅读",
        "浏览",
        "评论",
        "热度",
        "次播放",
        "人看过",
        "回复",
    ];
    if s.starts_with('#') && s.chars().count() <= 60 {
        return true;
    }
    let Some((head, tail)) = s.rsplit_once(char::is_whitespace) else {
        return false;
    };
    let counter = COUNTERS.iter().any(|c| {
        tail.strip_suffix(c).is_some_and(|n| {
            let n = n.trim_end_matches(['万', 'w', 'W', '+']);
            !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == '.')
        })
    });
    let date = tail.len() >= 8
        && tail.chars().any(|c| c.is_ascii_digit())
        && tail
            .chars()
            .all(|c| c.is_ascii_digit() || "-/.".contains(c));
    (counter || date) && head.chars().count() >= 4 && !is_paragraph(s)
}

/// Template fields of product pages and a company's sales profile.
fn is_boilerplate(s: &str) -> bool {
    const FIELDS: [&str; 6] = [
        "产品名称",
        "产品编号",
        "商品名称",
        "商品编号",
        "所属分类",
        "的详细资料",
    ];
    const COMPANY: [&str; 4] = ["有限公司", "股份公司", "集团", "厂"];
    const PITCH: [&str; 6] = ["是一家", "产品包括", "主营", "专业生产", "专业厂商", "欢迎"];
    if FIELDS.iter().any(|f| s.contains(f)) && s.chars().count() <= 60 {
        return true;
    }
    COMPANY.iter().any(|c| {
        s.find(c)
            .is_some_and(|i| s[..i].chars().count() <= 30 && !s[..i].contains(['，', ',', '。']))
    }) && PITCH.iter().any(|p| s.contains(p))
}

/// Four or more short items separated by spaces or bars (a menu row), or a footer line.
fn is_menu_or_footer(s: &str) -> bool {
    const FOOTER: [&str; 8] = [
        "版权所有",
        "Copyright",
        "ICP",
        "未经许可",
        "严禁转载",
        "关于我们",
        "网站地图",
        "联系我们",
    ];
    if FOOTER.iter().any(|f| s.contains(f)) && s.chars().count() <= 80 {
        return true;
    }
    let items: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || matches!(c, '|' | '｜'))
        .filter(|t| !t.is_empty())
        .collect();
    items.len() >= 4
        && items
            .iter()
            .all(|t| t.chars().count() <= 8 && t.chars().any(is_han))
        && !s.contains(SENTENCE_PUNCT)
        && !s.contains(['，', ','])
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// `字(abc)` or `字（abc）` with 1–6 lower-case ASCII letters.
fn has_gloss(s: &str) -> bool {
    let cs: Vec<char> = s.chars().collect();
    cs.windows(2).enumerate().any(|(i, w)| {
        is_han(w[0]) && matches!(w[1], '(' | '（') && {
            let letters = cs[i + 2..]
                .iter()
                .take_while(|c| c.is_ascii_lowercase())
                .count();
            (1..=6).contains(&letters) && matches!(cs.get(i + 2 + letters), Some(')') | Some('）'))
        }
    })
}

/// A line that is not prose ending in `【…】` or `[…]` with at most 12 characters inside,
/// after some text.
fn has_bracket_tail(s: &str) -> bool {
    if is_paragraph(s) {
        return false;
    }
    let Some(body) = s.strip_suffix('】').or_else(|| s.strip_suffix(']')) else {
        return false;
    };
    match body.rfind(['【', '[']) {
        Some(open) => {
            let inner = body[open..].chars().count() - 1;
            open > 0 && (1..=12).contains(&inner)
        }
        None => false,
    }
}

/// A field, not a sentence: a line of at most 40 characters, not ending a sentence, that
/// opens with a label of at most 8 characters (letters, spaces) and a colon, and has a
/// value after it (`下面是具体步骤：` announces, it is no field).
fn is_label_colon(s: &str) -> bool {
    if s.chars().count() > 40 || s.ends_with(['。', '！', '？', '!', '?', '.']) {
        return false;
    }
    let Some(colon) = s.find([':', '：']) else {
        return false;
    };
    let label = s[..colon].trim_start_matches(['【', '[', '(', '（']).trim();
    let letters = label.chars().filter(|c| !c.is_whitespace()).count();
    let value = s[colon..].trim_start_matches([':', '：']).trim();
    (1..=8).contains(&letters)
        && !value.is_empty()
        && label
            .chars()
            .all(|c| c.is_alphanumeric() || c == ' ' || c == '\u{3000}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cleaner, Document, Ruleset};

    fn found(raw: &str) -> Vec<(Shape, usize, String)> {
        let c = Cleaner::new(Ruleset::defaults())
            .clean(&Document::from_text(raw))
            .unwrap();
        suspects(raw, &c.edits)
    }

    #[test]
    fn shapes_around_the_body() {
        let raw = "某某标题\n某某频道\n这是正文的第一段，讲述了一件事情的经过和结果，内容比较长。\n这是正文的第二段，继续讲述这件事情的来龙去脉，也比较长。\n另一篇文章的标题\n又一篇文章的标题\n";
        let got: Vec<(Shape, usize)> = found(raw).into_iter().map(|(s, l, _)| (s, l)).collect();
        assert_eq!(
            got,
            vec![
                (Shape::BeforeBody, 2),
                (Shape::AfterBody, 5),
                (Shape::AfterBody, 6)
            ]
        );
    }

    #[test]
    fn line_shapes() {
        assert!(has_gloss("烟(yan)台"));
        assert!(!has_gloss("曲江花园(DK2)项目"));
        assert!(has_bracket_tail("某某标题【某某体育】"));
        assert!(!has_bracket_tail("【新华社】某某标题"));
        assert!(is_label_colon("联 系 人： 某某"));
        assert!(!is_label_colon("下面是具体步骤："));
        assert!(!is_label_colon(
            "他说：今天的会议非常重要，大家都要认真对待，这是我们的责任。"
        ));
        assert!(is_control('\u{1f}'));
    }

    #[test]
    fn removed_lines_are_not_suspects() {
        // The keyword line is removed by a rule; only kept lines are reported.
        let raw =
            "某某标题\n这是正文的第一段，讲述了一件事情的经过和结果，内容比较长。\n关键词：某某\n";
        assert!(found(raw).is_empty(), "{:?}", found(raw));
    }

    #[test]
    fn report_groups_by_shape() {
        let cleaner = Cleaner::new(Ruleset::defaults());
        let mut c = Collector::new(1);
        for (p, raw) in [
            ("a.txt", "标题\n这是正文的第一段，讲述了一件事情的经过和结果，内容比较长。\n另一篇文章的标题\n"),
            ("b.txt", "标题\n这是正文的第一段，讲述了一件事情的经过和结果，内容比较长。\n再一篇文章的标题\n"),
        ] {
            c.add(p, raw, &cleaner.clean(&Document::from_text(raw)).unwrap());
        }
        let r = c.finish();
        assert_eq!(r.lines, 2);
        assert_eq!(r.shapes.len(), 1);
        let g = &r.shapes[0];
        assert_eq!(
            (g.shape, g.lines, g.documents, g.examples.len()),
            (Shape::AfterBody, 2, 2, 1)
        );
        assert!(r.render_text().contains("after-body"));
        assert!(r.to_json().contains("\"after-body\""));
    }
}
