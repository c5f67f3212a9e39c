//! The page's tree to block text: one line per block, each line tied to the element that
//! holds it, so scores computed on elements can decide lines.
//!
//! `<head>`, scripts, styles and other non-text elements give no lines; block elements
//! (paragraphs, headings, list items, `<br>`, ...) start new lines and inline text joins;
//! a table row is one line (cells joined by a space) unless its cells hold blocks of their
//! own (layout tables); inside `<pre>` the page's line breaks are kept; every `<img>`
//! becomes its URL on a line of its own so image rules see it.

use super::dom::{Dom, NodeId, NONE};
use super::tags::{self, BLOCK, SKIPPED};

/// What kind of block a line is, as far as the markup tells.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockKind {
    /// A paragraph or any other block of text.
    #[default]
    Text,
    /// `<h1>`..`<h6>`.
    Heading,
    /// An item of a list (`<li>`, `<dt>`, `<dd>`).
    ListItem,
    /// A table row (or a cell of a layout table).
    TableRow,
    /// A line of preformatted text or code (`<pre>`, `<code>` blocks).
    Code,
    /// An image, shown as its URL.
    Image,
    /// A caption (`<figcaption>`, `<caption>`).
    Caption,
}

/// Facts about one line of block text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Line {
    /// The innermost block element holding the line.
    pub block: NodeId,
    /// The element holding that block: lines of one group are siblings (paragraphs of one
    /// container, rows of one table, items of one list).
    pub group: NodeId,
    /// Non-space characters.
    pub chars: u32,
    /// Of those, characters inside `<a>` elements.
    pub link_chars: u32,
    /// Sentence and clause punctuation (。，、；！？ and .,;!? followed by a space or end).
    pub punct: u32,
    /// 1..=6 inside a heading, else 0.
    pub heading: u8,
    /// The kind of block.
    pub kind: BlockKind,
    /// Inside an element the page hides (`hidden`, `display:none`).
    pub hidden: bool,
    /// The line ends a sentence (。！？.!?…, closing quotes and brackets after them, or ：).
    pub ends_sentence: bool,
    /// For image lines, the `<img>` element.
    pub img: Option<NodeId>,
    /// One of a run of short plain lines that read as prose together (see
    /// [`mark_short_runs`]): a post written line by line, verse, a diary.
    pub short_run: bool,
}

/// A run of this many short plain lines, or more, may be text written line by line (the
/// text classifier's threshold). Menus, footers and profile boxes are links, list items or
/// fewer lines.
pub use crate::classify::context::SHORT_RUN_MIN;
/// Lines up to this many characters count as short lines of a run.
const SHORT_RUN_CHARS: u32 = 40;

/// Marks runs of short plain lines that read as prose together: at least
/// [`SHORT_RUN_MIN`] consecutive lines of one container (images between them aside), each
/// a paragraph of its own without links, headings or sentence punctuation, that read as
/// prose together ([`crate::classify::context::reads_as_prose_run`]). Blog posts of short lines between
/// images, verse and diaries are written so; each line alone looks like a label.
pub fn mark_short_runs(text: &Blocks, lines: &mut [Line]) {
    let plain = |l: &Line| {
        l.kind == BlockKind::Text
            && l.heading == 0
            && !l.hidden
            && l.link_chars == 0
            && l.punct == 0
            && (2..=SHORT_RUN_CHARS).contains(&l.chars)
    };
    let mut i = 0;
    while i < lines.len() {
        if !plain(&lines[i]) {
            i += 1;
            continue;
        }
        // Extend the run over lines of the same container; images do not break it.
        let start = i;
        let mut members = vec![i];
        let mut j = i + 1;
        while j < lines.len() {
            let (prev, l) = (&lines[*members.last().expect("non-empty")], &lines[j]);
            if l.kind == BlockKind::Image {
                j += 1;
                continue;
            }
            let together = l.group == prev.group || l.block == prev.block;
            if !plain(l) || !together {
                break;
            }
            members.push(j);
            j += 1;
        }
        if members.len() >= SHORT_RUN_MIN {
            let fs: Vec<_> = members
                .iter()
                .map(|&k| crate::classify::Features::of(text.line(k)))
                .collect();
            if crate::classify::context::reads_as_prose_run(&fs) {
                for &k in &members {
                    lines[k].short_run = true;
                }
            }
        }
        i = j.max(start + 1);
    }
}

/// Block text and its per-line facts.
#[derive(Debug, Default)]
pub struct Blocks {
    /// One line per block, each ending in `\n`.
    pub text: String,
    /// One entry per line.
    pub lines: Vec<Line>,
    /// Byte offset where each line starts in `text`.
    pub starts: Vec<usize>,
}

impl Blocks {
    /// The text of line `i` (0-based), without its newline.
    pub fn line(&self, i: usize) -> &str {
        let start = self.starts[i];
        let end = self.starts.get(i + 1).map_or(self.text.len(), |&e| e);
        self.text[start..end].trim_end_matches('\n')
    }
}

/// The kind of line a block element makes.
fn kind_of(name: &str) -> BlockKind {
    match name {
        "li" | "dt" | "dd" => BlockKind::ListItem,
        "tr" | "td" | "th" => BlockKind::TableRow,
        "figcaption" | "caption" => BlockKind::Caption,
        "pre" | "listing" | "xmp" | "plaintext" => BlockKind::Code,
        _ => BlockKind::Text,
    }
}

/// Whether the page hides the element from readers.
pub fn is_hidden(dom: &Dom, id: NodeId) -> bool {
    dom.attrs(id).any(|(k, v)| match k {
        "hidden" => true,
        "style" => {
            let v: String = v
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| c.to_ascii_lowercase())
                .collect();
            v.contains("display:none")
        }
        _ => false,
    })
}

/// Sentence or clause punctuation.
pub fn is_cjk_punct(c: char) -> bool {
    matches!(c, '。' | '，' | '、' | '；' | '！' | '？' | '：')
}

/// Whether text ends a sentence: a final 。！？.!?… (or ：, which introduces what follows),
/// possibly inside closing quotes or brackets.
pub fn ends_sentence(t: &str) -> bool {
    let last = t
        .trim_end()
        .trim_end_matches(['”', '’', '"', '\'', '」', '』', '）', ')', '】', ']', '》']);
    last.ends_with([
        '。', '！', '？', '.', '!', '?', '…', '：', ':', '；', ';', '~', '～',
    ])
}

/// The URL an `<img>` shows: a lazy-loading attribute first (the `src` of such images is
/// often a placeholder), then `src`; `data:` URIs are not URLs worth keeping.
pub fn image_url(dom: &Dom, id: NodeId) -> Option<&str> {
    ["data-src", "data-original", "data-actualsrc", "src"]
        .iter()
        .filter_map(|a| dom.attr(id, a))
        .map(str::trim)
        .find(|v| {
            !v.is_empty()
                && !v.starts_with("data:")
                && !v.chars().any(|c| c.is_whitespace() || c.is_control())
        })
}

/// Builds the block text of the subtree at `root` (the body, usually).
pub fn build(dom: &Dom, root: NodeId) -> Blocks {
    // Cells holding blocks are layout, not data: they break lines like blocks do.
    let mut has_block = vec![false; dom.len()];
    for id in (1..dom.len()).rev() {
        let n = &dom.nodes[id];
        if n.parent != NONE && (has_block[id] || dom.is(id as NodeId, BLOCK)) {
            has_block[n.parent as usize] = true;
        }
    }
    let mut b = Builder::default();
    let mut skip_depth = 0usize;
    dom.walk(root, &mut |dom, id, enter| {
        let Some(name) = dom.name(id) else {
            if enter && skip_depth == 0 {
                if let Some(t) = dom.text(id) {
                    b.text(t);
                }
            }
            return true;
        };
        let tag = dom.tag(id);
        if enter {
            if skip_depth > 0 || tags::is(tag, SKIPPED) {
                skip_depth += 1;
                return false;
            }
        } else if skip_depth > 0 {
            skip_depth -= 1;
            return true;
        }
        let cell = matches!(name, "td" | "th");
        let breaks = tags::is(tag, BLOCK) || (cell && has_block[id as usize]);
        if enter {
            match name {
                "a" => b.link_depth += 1,
                "br" => b.flush(),
                "img" => {
                    if let Some(url) = image_url(dom, id) {
                        b.flush();
                        b.image(url, id);
                    }
                }
                "pre" | "listing" | "xmp" | "plaintext" => b.pre_depth += 1,
                _ => {}
            }
            if let Some(level) = tags::heading_level(tag) {
                b.headings.push(level);
            }
            if cell && !breaks && b.line_has_text() {
                b.line.push(' ');
            }
            if breaks {
                b.flush();
                b.blocks.push((id, kind_of(name)));
            }
            let hidden = is_hidden(dom, id);
            b.hidden_stack.push(hidden);
            b.hidden_depth += usize::from(hidden);
        } else {
            match name {
                "a" => b.link_depth = b.link_depth.saturating_sub(1),
                "pre" | "listing" | "xmp" | "plaintext" => {
                    b.pre_depth = b.pre_depth.saturating_sub(1)
                }
                _ => {}
            }
            if breaks {
                b.flush();
                b.blocks.pop();
            }
            if tags::heading_level(tag).is_some() {
                b.flush();
                b.headings.pop();
            }
            if b.hidden_stack.pop() == Some(true) {
                b.hidden_depth -= 1;
            }
        }
        true
    });
    b.flush();
    for l in &mut b.lines {
        l.group = dom.nodes[l.block as usize].parent;
    }
    let mut out = Blocks {
        text: b.text,
        lines: Vec::new(),
        starts: b.starts,
    };
    let mut lines = b.lines;
    mark_short_runs(&out, &mut lines);
    out.lines = lines;
    out
}

#[derive(Default)]
struct Builder {
    text: String,
    lines: Vec<Line>,
    starts: Vec<usize>,
    line: String,
    /// Open block elements and the kind of line they make, innermost last.
    blocks: Vec<(NodeId, BlockKind)>,
    headings: Vec<u8>,
    hidden_stack: Vec<bool>,
    hidden_depth: usize,
    link_depth: usize,
    pre_depth: usize,
    cur: Line,
    /// The line has started (its first character is placed).
    started: bool,
}

impl Builder {
    fn line_has_text(&self) -> bool {
        !self.line.trim_end().is_empty()
    }

    fn start_line(&mut self) {
        if self.started {
            return;
        }
        self.started = true;
        self.cur.block = self.blocks.last().map_or(0, |b| b.0);
        self.cur.heading = self.headings.last().copied().unwrap_or(0);
        self.cur.hidden = self.hidden_depth > 0;
        self.cur.kind = if self.pre_depth > 0 {
            BlockKind::Code
        } else if self.cur.heading > 0 {
            BlockKind::Heading
        } else {
            // A paragraph inside a list item or cell is still an item or a row.
            self.blocks
                .iter()
                .rev()
                .take(2)
                .map(|b| b.1)
                .find(|k| *k != BlockKind::Text)
                .unwrap_or(BlockKind::Text)
        };
    }

    fn text(&mut self, s: &str) {
        if self.pre_depth > 0 {
            let mut parts = s.split('\n');
            if let Some(first) = parts.next() {
                self.push_text(first);
            }
            for p in parts {
                self.flush();
                self.push_text(p);
            }
        } else {
            self.push_text(s);
        }
    }

    /// Appends text, collapsing HTML white space (space, tab, newlines) to single spaces.
    fn push_text(&mut self, s: &str) {
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            let c = if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
                ' '
            } else {
                c
            };
            if c == ' ' && (self.line.is_empty() || self.line.ends_with(' ')) {
                continue;
            }
            // Control characters other than white space are not text.
            if c.is_control() {
                continue;
            }
            if c != ' ' && !c.is_whitespace() {
                self.start_line();
                self.cur.chars += 1;
                if self.link_depth > 0 {
                    self.cur.link_chars += 1;
                }
                let ascii_punct = matches!(c, ',' | '.' | ';' | '!' | '?')
                    && chars.peek().is_none_or(|n| n.is_whitespace());
                if is_cjk_punct(c) || ascii_punct {
                    self.cur.punct += 1;
                }
            }
            self.line.push(c);
        }
    }

    fn image(&mut self, url: &str, id: NodeId) {
        self.start_line();
        self.cur.kind = BlockKind::Image;
        self.cur.block = self.blocks.last().map_or(id, |b| b.0);
        self.cur.img = Some(id);
        self.line.push_str(url);
        self.cur.chars += url.chars().count() as u32;
        self.flush();
    }

    fn flush(&mut self) {
        let t = self.line.trim_end_matches(' ');
        if !t.is_empty() && self.started {
            self.cur.ends_sentence = ends_sentence(t);
            self.starts.push(self.text.len());
            self.text.push_str(t);
            self.text.push('\n');
            self.lines.push(self.cur);
        }
        self.line.clear();
        self.cur = Line::default();
        self.started = false;
    }
}
