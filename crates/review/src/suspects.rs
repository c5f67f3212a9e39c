//! Lines that look like noise but that no rule removed: what a rule author should look at
//! next (`rinse stats --suspects`).
//!
//! Each kept line of a cleaned document is given at most one [`Shape`] from its text and
//! its neighbours: short lines after the last paragraph (related headlines, tags,
//! slogans), short lines between the title and the first paragraph, `label：value`
//! lines, short lines under a removed image, bracketed suffixes, control characters and
//! romanised glosses. Suspects are grouped by shape with counts and a few examples, so
//! the most common leftover kind comes first. Nothing is removed: this is a review aid,
//! and a body line may well have one of these shapes.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::{annotate, is_whitespace_edit, Fate, Line};
use crate::engine::shape::{is_headline, is_paragraph};
use crate::engine::{Cleaned, Edit};

/// The kinds of suspicious lines, in the order a line is tested for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    /// A control character (C0 other than tab, DEL, C1) left in the text.
    ControlChar,
    /// Lower-case Latin letters in brackets right after a Chinese character: a
    /// romanisation gloss such as `烟(yan)`.
    Gloss,
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
            Shape::ControlChar => "control characters inside kept text",
            Shape::Gloss => "romanised glosses after characters, e.g. 烟(yan)",
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
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
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
