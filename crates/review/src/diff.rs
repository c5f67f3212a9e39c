//! The terminal diff: raw lines with removed lines marked, the rule that removed each one
//! in a margin, and removed or replaced spans shown inside kept lines.
//!
//! Layout of one line: `NUMBER MARK TAG │ TEXT`, where MARK is `-` (line removed), `~`
//! (text inside the line removed or replaced), `·` (blank line dropped by white-space
//! normalisation) or a space (kept), and TAG is the rule id, followed by `[category]`
//! when the id does not start with its category. Inline edits are
//! character-exact (they come from the recorded byte spans, not from a word diff), shown
//! as `[-removed-]{+replacement+}` without colour, or struck through in red with the
//! replacement in green with colour.

use std::fmt::Write as _;

use super::{annotate, is_whitespace_edit, DocSummary, Fate, Line};
use crate::engine::{Cleaned, Edit};

/// How to render a diff.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    /// Emit ANSI colours.
    pub color: bool,
    /// Show only this many unchanged lines around each change; `None` shows every line.
    pub context: Option<usize>,
    /// Tag white-space normalisation like any other rule (blank lines, trimmed
    /// indentation, collapsed runs). By default blank lines it removed are shown dimmed
    /// with a `·` and no tag, and its edits inside lines are not marked.
    pub show_whitespace: bool,
}

/// ANSI styles used by the terminal diff.
mod style {
    pub const RESET: &str = "\x1b[0m";
    pub const BOLD: &str = "\x1b[1m";
    pub const DIM: &str = "\x1b[2m";
    pub const RED: &str = "\x1b[31m";
    pub const STRIKE_RED: &str = "\x1b[9;31m";
    pub const GREEN: &str = "\x1b[32m";
    pub const YELLOW: &str = "\x1b[33m";
    pub const CYAN: &str = "\x1b[36m";
}

/// Longest margin tag before it overflows instead of widening every line.
const MAX_TAG: usize = 44;

/// Replaces control characters (which could drive the terminal) with visible `^X` forms.
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && c != '\t') {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() && c != '\t' {
            match c as u32 {
                n @ 0..=31 => {
                    out.push('^');
                    out.push(char::from(b'@' + n as u8));
                }
                0x7f => out.push_str("^?"),
                n => {
                    let _ = write!(out, "\\u{{{n:x}}}");
                }
            }
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// The margin tag of an edit: the rule id, followed by `[category]` unless the id already
/// starts with `category.` (`image.url-line` is in category `image`).
pub fn tag_of(e: &Edit) -> String {
    if e.rule
        .strip_prefix(e.category.as_str())
        .is_some_and(|r| r.starts_with('.'))
    {
        e.rule.clone()
    } else {
        format!("{} [{}]", e.rule, e.category)
    }
}

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, out: &mut String, style: &str, text: &str) {
        if self.color && !text.is_empty() {
            out.push_str(style);
            out.push_str(text);
            out.push_str(style::RESET);
        } else {
            out.push_str(text);
        }
    }
}

/// Whether a line deserves attention under `opts` (context is kept around such lines).
fn interesting(l: &Line, edits: &[Edit], opts: &DiffOptions) -> bool {
    match l.fate {
        Fate::Removed(_) | Fate::Changed => true,
        Fate::Blank => opts.show_whitespace,
        Fate::Kept => {
            opts.show_whitespace
                && l.pieces
                    .iter()
                    .any(|p| p.edit.is_some_and(|i| is_whitespace_edit(&edits[i])))
        }
    }
}

/// The margin tag of a line: the rule (and category) that removed or changed it.
fn line_tag(l: &Line, edits: &[Edit], opts: &DiffOptions) -> String {
    match l.fate {
        Fate::Removed(i) => tag_of(&edits[i]),
        Fate::Blank if opts.show_whitespace => l
            .edits()
            .first()
            .map_or_else(|| "whitespace".to_string(), |&i| tag_of(&edits[i])),
        Fate::Blank => String::new(),
        Fate::Changed | Fate::Kept => {
            let shown: Vec<usize> = l
                .edits()
                .into_iter()
                .filter(|&i| opts.show_whitespace || !is_whitespace_edit(&edits[i]))
                .collect();
            let mut rules: Vec<&str> = Vec::new();
            for &i in &shown {
                if !rules.contains(&edits[i].rule.as_str()) {
                    rules.push(&edits[i].rule);
                }
            }
            match rules.len() {
                0 => String::new(),
                1 => tag_of(&edits[shown[0]]),
                n => format!("{} +{}", tag_of(&edits[shown[0]]), n - 1),
            }
        }
    }
}

/// Renders the diff of one document into `out` and returns its summary. `path` is shown
/// in the header line, followed by the one-line summary.
pub fn render(
    out: &mut String,
    path: &str,
    raw: &str,
    cleaned: &Cleaned,
    opts: &DiffOptions,
) -> DocSummary {
    let edits = &cleaned.edits;
    let lines = annotate(raw, edits);
    let summary = DocSummary::new(raw, &lines, cleaned);
    let p = Painter { color: opts.color };
    render_header(out, path, &summary, opts.color);

    let tags: Vec<String> = lines.iter().map(|l| line_tag(l, edits, opts)).collect();
    let tag_w = tags
        .iter()
        .map(|t| t.chars().count())
        .filter(|&n| n <= MAX_TAG)
        .max()
        .unwrap_or(0);
    let num_w = lines.len().to_string().len().max(3);

    let show: Vec<bool> = match opts.context {
        None => vec![true; lines.len()],
        Some(n) => {
            let hot: Vec<bool> = lines.iter().map(|l| interesting(l, edits, opts)).collect();
            let mut show = vec![false; lines.len()];
            for (i, &h) in hot.iter().enumerate() {
                if h {
                    let lo = i.saturating_sub(n);
                    let hi = (i + n).min(lines.len() - 1);
                    show[lo..=hi].iter_mut().for_each(|s| *s = true);
                }
            }
            show
        }
    };

    let mut i = 0;
    while i < lines.len() {
        let run = show[i..].iter().take_while(|s| !**s).count();
        if run > 1 {
            let text = format!(
                "{:>num_w$} ⋮ {run} unchanged line{}",
                "",
                super::plural(run)
            );
            p.paint(out, style::CYAN, &text);
            out.push('\n');
            i += run;
            continue;
        }
        let l = &lines[i];
        render_line(out, &p, l, &tags[i], tag_w, num_w, edits, opts);
        i += 1;
    }
    summary
}

/// Writes the header line of a document: `path: summary`.
pub fn render_header(out: &mut String, path: &str, summary: &DocSummary, color: bool) {
    let p = Painter { color };
    p.paint(out, style::BOLD, &visible(path));
    out.push_str(": ");
    out.push_str(&summary.line());
    out.push('\n');
}

#[allow(clippy::too_many_arguments)]
fn render_line(
    out: &mut String,
    p: &Painter,
    l: &Line,
    tag: &str,
    tag_w: usize,
    num_w: usize,
    edits: &[Edit],
    opts: &DiffOptions,
) {
    let mark = match l.fate {
        Fate::Removed(_) => '-',
        Fate::Changed => '~',
        Fate::Blank => '·',
        Fate::Kept if !tag.is_empty() => '~',
        Fate::Kept => ' ',
    };
    let num = format!("{:>num_w$}", l.number);
    let dim_line = l.fate == Fate::Blank && !opts.show_whitespace;
    p.paint(out, style::DIM, &num);
    out.push(' ');
    let mark_style = match mark {
        '-' => style::RED,
        '~' => style::YELLOW,
        _ => style::DIM,
    };
    p.paint(out, mark_style, &mark.to_string());
    out.push(' ');
    p.paint(out, style::YELLOW, tag);
    let pad = tag_w.saturating_sub(tag.chars().count());
    out.extend(std::iter::repeat_n(' ', pad));
    out.push(' ');
    p.paint(out, style::DIM, "│");
    if l.text.is_empty() {
        out.push('\n');
        return;
    }
    out.push(' ');
    match l.fate {
        Fate::Removed(_) => p.paint(out, style::RED, &visible(l.text)),
        Fate::Blank => {
            let st = if dim_line { style::DIM } else { style::RED };
            p.paint(out, st, &visible(l.text));
        }
        Fate::Changed | Fate::Kept => {
            for piece in &l.pieces {
                let shown_edit = piece
                    .edit
                    .filter(|&i| opts.show_whitespace || !is_whitespace_edit(&edits[i]));
                match shown_edit {
                    None => out.push_str(&visible(piece.text)),
                    Some(_) => {
                        if !piece.text.is_empty() {
                            if p.color {
                                p.paint(out, style::STRIKE_RED, &visible(piece.text));
                            } else {
                                let _ = write!(out, "[-{}-]", visible(piece.text));
                            }
                        }
                        if let Some(r) = piece.replacement {
                            if p.color {
                                p.paint(out, style::GREEN, &visible(r));
                            } else {
                                let _ = write!(out, "{{+{}+}}", visible(r));
                            }
                        }
                    }
                }
            }
        }
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cleaner, Document, Ruleset};

    fn diff(raw: &str, opts: &DiffOptions) -> String {
        let c = Cleaner::new(Ruleset::defaults())
            .clean(&Document::from_text(raw))
            .unwrap();
        let mut out = String::new();
        render(&mut out, "t.txt", raw, &c, opts);
        out
    }

    #[test]
    fn plain_diff_marks_rules_and_spans() {
        let out = diff(
            "标题\n\n这是蕞好的一天。\n责任编辑:张三\n",
            &DiffOptions::default(),
        );
        assert!(out.starts_with("t.txt: 4 → 2 lines"), "{out}");
        assert!(out.contains("[-蕞-]{+最+}"), "{out}");
        assert!(
            out.lines()
                .any(|l| l.contains(" - byline.") && l.ends_with("责任编辑:张三")),
            "{out}"
        );
        assert!(!out.contains('\x1b'), "{out}");
    }

    #[test]
    fn colour_and_context() {
        let mut raw = String::from("标题\n");
        for i in 0..20 {
            raw.push_str(&format!("第{i}段正文。\n"));
        }
        raw.push_str("责任编辑:张三\n");
        let out = diff(
            &raw,
            &DiffOptions {
                color: true,
                context: Some(2),
                show_whitespace: false,
            },
        );
        assert!(out.contains("\x1b[31m责任编辑:张三"), "{out}");
        assert!(out.contains("⋮ 19 unchanged lines"), "{out}");
        assert_eq!(out.lines().count(), 1 + 1 + 2 + 1, "{out}");
    }

    #[test]
    fn control_characters_are_made_visible() {
        assert_eq!(visible("a\x1b[2Jb"), "a^[[2Jb");
    }
}
