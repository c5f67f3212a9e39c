//! The body as Markdown (CommonMark with GitHub tables).
//!
//! The engine's body is one block a line. On an HTML page every raw line carries what the
//! markup said about it (heading, list item, table row, code, image; its element in the
//! page's tree), and [`body_origins`] tells which raw line each body line came from, so the
//! Markdown keeps the page's headings, lists (ordered or not, nested), tables (a row of
//! cells that hold no blocks of their own), quotes and code blocks (fenced; verbatim from
//! the page when the engine kept the block whole). Plain text carries no markup: its
//! Markdown is its paragraphs. The words are the body's: only markers are added, and
//! characters Markdown would read as markup are escaped.

use std::collections::HashMap;

use rinse_engine::Cleaned;
use rinse_extract::blocks::BlockKind;
use rinse_extract::dom::{Dom, NodeId};
use rinse_extract::page_hints::PageHints;
use rinse_extract::Page;
use rinse_input::Document;

use crate::origins::body_origins;

/// What a body line is, as far as the page's markup tells.
#[derive(Debug, Clone, PartialEq)]
enum Shape {
    Para,
    /// `#` to `######`.
    Heading(usize),
    /// An item of the list element `list`, nested `depth` lists deep.
    Item {
        list: NodeId,
        ordered: bool,
        depth: usize,
    },
    /// A row of the table element `table`, split into its cells.
    Row {
        table: NodeId,
        cells: Vec<String>,
    },
    /// A line of the preformatted element `block`.
    Code {
        block: NodeId,
    },
    /// An image, its URL being the line.
    Image {
        alt: String,
    },
}

/// The body of `doc` cleaned into `cleaned` as Markdown, ending in a newline (empty when
/// the body is).
pub fn markdown(doc: &Document, cleaned: &Cleaned) -> String {
    let texts: Vec<&str> = cleaned.body.lines().collect();
    let page = cleaned
        .page_hints(doc)
        .and_then(|h| h.page.as_deref().map(|p| (h, p)));
    let shapes = page
        .and_then(|(hints, page)| shapes(doc, cleaned, hints, page, &texts))
        .unwrap_or_else(|| vec![(Shape::Para, 0); texts.len()]);
    let dom = page.map(|(_, p)| &p.dom);
    write(&texts, &shapes, dom)
}

/// The shape and quote depth of every body line; `None` when the markup's facts do not
/// line up with the text (then every line is a paragraph).
fn shapes(
    doc: &Document,
    cleaned: &Cleaned,
    hints: &PageHints,
    page: &Page,
    texts: &[&str],
) -> Option<Vec<(Shape, usize)>> {
    let raw = &doc.text;
    let starts: Vec<usize> = std::iter::once(0)
        .chain(
            raw.match_indices('\n')
                .map(|(i, _)| i + 1)
                .filter(|&i| i < raw.len()),
        )
        .filter(|_| !raw.is_empty())
        .collect();
    if hints.lines.len() != starts.len() || page.blocks.lines.len() != starts.len() {
        return None;
    }
    let origins = body_origins(raw, &cleaned.edits)?;
    if origins.len() != texts.len() {
        return None;
    }
    let headline = hints.report.headline.as_ref().map(|h| h.first..=h.last);
    let dom = &page.dom;
    Some(
        origins
            .iter()
            .zip(texts)
            .map(|(&at, text)| {
                let r = starts.partition_point(|&s| s <= at).saturating_sub(1);
                let (h, bl) = (&hints.lines[r], &page.blocks.lines[r]);
                let quote = self_and_ancestors(dom, bl.block)
                    .filter(|&n| dom.name(n) == Some("blockquote"))
                    .count();
                let shape = if headline.as_ref().is_some_and(|hl| hl.contains(&r)) {
                    Shape::Heading(1)
                } else {
                    match h.kind {
                        BlockKind::Heading => Shape::Heading(usize::from(h.heading).clamp(1, 6)),
                        BlockKind::ListItem => item(dom, bl.block),
                        BlockKind::TableRow => row(dom, bl.block, text),
                        BlockKind::Code => Shape::Code { block: bl.block },
                        BlockKind::Image => Shape::Image {
                            alt: bl
                                .img
                                .and_then(|i| dom.attr(i, "alt"))
                                .map(collapse)
                                .unwrap_or_default(),
                        },
                        BlockKind::Text | BlockKind::Caption => Shape::Para,
                    }
                };
                (shape, quote)
            })
            .collect(),
    )
}

fn self_and_ancestors(dom: &Dom, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
    std::iter::once(id).chain(dom.ancestors(id))
}

/// A list item: its list element, whether that is `<ol>`, and how many lists enclose it.
fn item(dom: &Dom, block: NodeId) -> Shape {
    let Some(li) =
        self_and_ancestors(dom, block).find(|&n| matches!(dom.name(n), Some("li" | "dt" | "dd")))
    else {
        return Shape::Para;
    };
    let list = dom.ancestors(li).next().unwrap_or(li);
    let lists = dom
        .ancestors(li)
        .filter(|&n| matches!(dom.name(n), Some("ul" | "ol" | "dl" | "menu")))
        .count();
    Shape::Item {
        list,
        ordered: dom.name(list) == Some("ol"),
        depth: lists.saturating_sub(1),
    }
}

/// A table row: the body line split into the row's cells, when the line is a `<tr>` whose
/// cells' text is the line's (white space aside); otherwise a paragraph (a layout table's
/// cell, or a row the rules changed).
fn row(dom: &Dom, block: NodeId, text: &str) -> Shape {
    if dom.name(block) != Some("tr") {
        return Shape::Para;
    }
    let cells: Vec<String> = dom
        .children(block)
        .filter(|&c| matches!(dom.name(c), Some("td" | "th")))
        .map(|c| collapse(&dom.text_content(c)))
        .collect();
    let table = self_and_ancestors(dom, block)
        .find(|&n| dom.name(n) == Some("table"))
        .unwrap_or(block);
    match split_cells(text, &cells) {
        Some(cells) => Shape::Row { table, cells },
        None => Shape::Para,
    }
}

/// White space runs to one space, trimmed, control characters dropped: text as the block
/// text builder writes it.
fn collapse(s: &str) -> String {
    s.split_whitespace()
        .map(|w| w.chars().filter(|c| !c.is_control()).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Splits `line` into cells whose non-space characters are those of `cells`, in order;
/// `None` when the line's characters are not exactly the cells'.
fn split_cells(line: &str, cells: &[String]) -> Option<Vec<String>> {
    let line_chars = line.chars().filter(|c| !c.is_whitespace());
    let cell_chars = cells
        .iter()
        .flat_map(|c| c.chars())
        .filter(|c| !c.is_whitespace());
    if !line_chars.eq(cell_chars) || cells.is_empty() {
        return None;
    }
    let mut rest = line.chars().peekable();
    let mut out = Vec::with_capacity(cells.len());
    for c in cells {
        let want = c.chars().filter(|c| !c.is_whitespace()).count();
        let mut cell = String::new();
        let mut got = 0;
        while got < want {
            let ch = rest.next()?;
            if !ch.is_whitespace() {
                got += 1;
            }
            cell.push(ch);
        }
        out.push(cell.trim().to_string());
    }
    Some(out)
}

/// A run of body lines written together: its Markdown lines and its quote depth.
struct Block {
    quote: usize,
    lines: Vec<String>,
}

fn write(texts: &[&str], shapes: &[(Shape, usize)], dom: Option<&Dom>) -> String {
    let mut blocks: Vec<Block> = Vec::new();
    let mut i = 0;
    let mut numbers: HashMap<NodeId, usize> = HashMap::new();
    while i < texts.len() {
        let (shape, quote) = &shapes[i];
        let same_run = |j: usize, f: &dyn Fn(&Shape) -> bool| {
            j < texts.len() && shapes[j].1 == *quote && f(&shapes[j].0)
        };
        let mut lines = Vec::new();
        match shape {
            Shape::Para => lines.push(escape_line(texts[i])),
            Shape::Heading(level) => {
                let mut t = escape_line(texts[i]);
                // A closing run of `#` would be read as the heading's closing sequence.
                if t.ends_with('#') {
                    t.insert(t.len() - 1, '\\');
                }
                lines.push(format!("{} {t}", "#".repeat(*level)));
            }
            Shape::Image { alt } => {
                lines.push(image(texts[i].trim(), alt).unwrap_or_else(|| escape_line(texts[i])))
            }
            Shape::Item { list: first, .. } => {
                let mut j = i;
                let mut prev_depth: Option<usize> = None;
                while same_run(j, &|s| matches!(s, Shape::Item { .. })) {
                    let Shape::Item {
                        list,
                        ordered,
                        depth,
                    } = &shapes[j].0
                    else {
                        break;
                    };
                    // Another top-level list starts a new block.
                    if j > i && *depth == 0 && list != first {
                        break;
                    }
                    // An item whose parent item was removed is not indented past it.
                    let d = match prev_depth {
                        None => 0,
                        Some(p) => (*depth).min(p + 1),
                    };
                    prev_depth = Some(d);
                    let marker = if *ordered {
                        let n = numbers.entry(*list).or_insert(0);
                        *n += 1;
                        format!("{n}.")
                    } else {
                        "-".to_string()
                    };
                    lines.push(format!(
                        "{}{marker} {}",
                        "    ".repeat(d),
                        escape_line(texts[j])
                    ));
                    j += 1;
                }
                i = j;
                blocks.push(Block {
                    quote: *quote,
                    lines,
                });
                continue;
            }
            Shape::Row { table, .. } => {
                let mut rows: Vec<&Vec<String>> = Vec::new();
                let mut j = i;
                while same_run(
                    j,
                    &|s| matches!(s, Shape::Row { table: t, .. } if t == table),
                ) {
                    if let Shape::Row { cells, .. } = &shapes[j].0 {
                        rows.push(cells);
                    }
                    j += 1;
                }
                lines = table_lines(&rows);
                i = j;
                blocks.push(Block {
                    quote: *quote,
                    lines,
                });
                continue;
            }
            Shape::Code { block } => {
                let mut j = i;
                while same_run(j, &|s| matches!(s, Shape::Code { block: b } if b == block)) {
                    j += 1;
                }
                lines = code_lines(&texts[i..j], dom.map(|d| (d, *block)));
                i = j;
                blocks.push(Block {
                    quote: *quote,
                    lines,
                });
                continue;
            }
        }
        blocks.push(Block {
            quote: *quote,
            lines,
        });
        i += 1;
    }
    let mut out = String::new();
    for (k, b) in blocks.iter().enumerate() {
        if k > 0 {
            // The separating line stays inside the quotes both blocks share.
            let shared = b.quote.min(blocks[k - 1].quote);
            out.push_str(&">".repeat(shared));
            out.push('\n');
        }
        let prefix = "> ".repeat(b.quote);
        for l in &b.lines {
            out.push_str(&prefix);
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

/// `![alt](url)`; `None` for a URL Markdown cannot hold as a link destination.
fn image(url: &str, alt: &str) -> Option<String> {
    if url.is_empty() || url.contains(['<', '>', '\n']) {
        return None;
    }
    let alt = alt
        .replace('\\', "\\\\")
        .replace('[', "\\[")
        .replace(']', "\\]");
    Some(if url.contains(['(', ')', ' ']) {
        format!("![{alt}](<{url}>)")
    } else {
        format!("![{alt}]({url})")
    })
}

/// A GitHub table: the first row is the header, every row padded to the widest.
fn table_lines(rows: &[&Vec<String>]) -> Vec<String> {
    let width = rows.iter().map(|r| r.len()).max().unwrap_or(0).max(1);
    let line = |cells: &[String]| {
        let mut s = String::from("|");
        for k in 0..width {
            let c = cells.get(k).map_or(String::new(), |c| escape_cell(c));
            s.push(' ');
            s.push_str(&c);
            s.push_str(" |");
        }
        s
    };
    let mut out = Vec::with_capacity(rows.len() + 1);
    out.push(line(rows[0]));
    out.push(format!("|{}", " --- |".repeat(width)));
    for r in &rows[1..] {
        out.push(line(r));
    }
    out
}

/// A fenced code block: the page's own text of the element when the kept lines are all of
/// it (so indentation survives; the block text keeps none), else the kept lines.
fn code_lines(texts: &[&str], page: Option<(&Dom, NodeId)>) -> Vec<String> {
    let kept: String = texts.join("\n");
    let verbatim = page.and_then(|(dom, block)| {
        let own = dom
            .text_content(block)
            .replace("\r\n", "\n")
            .replace('\r', "\n");
        let same = own
            .chars()
            .filter(|c| !c.is_whitespace())
            .eq(kept.chars().filter(|c| !c.is_whitespace()));
        same.then(|| {
            let lines: Vec<&str> = own.lines().collect();
            let first = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
            let last = lines
                .iter()
                .rposition(|l| !l.trim().is_empty())
                .unwrap_or(0);
            lines[first..=last]
                .iter()
                .map(|l| l.trim_end().to_string())
                .collect::<Vec<_>>()
        })
    });
    let body = verbatim.unwrap_or_else(|| texts.iter().map(|t| t.to_string()).collect());
    // The fence is longer than any run of backticks inside.
    let longest = body
        .iter()
        .flat_map(|l| l.split(|c| c != '`').map(str::len))
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let mut out = Vec::with_capacity(body.len() + 2);
    out.push(fence.clone());
    out.extend(body);
    out.push(fence);
    out
}

fn escape_cell(c: &str) -> String {
    escape_inline(c.trim()).replace('|', "\\|")
}

/// Escapes what Markdown would read as markup inside a line of text.
fn escape_inline(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let escape = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '~' => true,
            // `snake_case` inside a word is never emphasis.
            '_' => {
                !(prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric))
            }
            // `&amp;` and `&#1;` would be read as character references.
            '&' => next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#'),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One line of text written so that Markdown reads it as text: inline markup escaped, and
/// a start that would open a block (a heading, quote, list item, rule, fence or indented
/// code) neutralised.
pub fn escape_line(s: &str) -> String {
    let mut t = escape_inline(s.trim_start_matches([' ', '\t']));
    if t.starts_with(['#', '>', '+', '-', '=']) {
        t.insert(0, '\\');
    } else {
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        let after = t.as_bytes().get(digits + 1);
        if (1..=9).contains(&digits)
            && matches!(t.as_bytes().get(digits), Some(b'.' | b')'))
            && matches!(after, None | Some(b' ' | b'\t'))
        {
            t.insert(digits, '\\');
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use rinse_engine::Cleaner;
    use rinse_input::{decode, DecodeOptions};
    use rinse_rules::Ruleset;

    fn md_of_html(page: &str) -> (String, String) {
        let doc = decode(page.as_bytes(), "p.html", &DecodeOptions::default()).unwrap();
        let cleaned = Cleaner::new(Ruleset::defaults()).clean(&doc).unwrap();
        (markdown(&doc, &cleaned), cleaned.body)
    }

    const PROSE: &str = "这是一段足够长的正文内容，用来让抽取器把这个容器当作文章的主体，\
                         里面有逗号、句号。还有更多的文字在这里，说明事情的来龙去脉。";

    /// Paragraph `n`: prose that no other paragraph repeats.
    fn prose(n: usize) -> String {
        format!("第{n}段：{PROSE}")
    }

    #[test]
    fn headings_lists_tables_quotes_and_code_keep_their_structure() {
        let page = format!(
            "<!doctype html><html><head><title>新闻标题</title></head><body>\
             <div class=nav><a href=/>首页</a> <a href=/a>新闻</a></div>\
             <article><h1>新闻标题</h1><p>{p1}</p><h2>小节</h2><p>{p2}</p>\
             <ul><li>第一项内容</li><li>第二项内容<ol><li>甲步骤</li><li>乙步骤</li></ol></li></ul>\
             <table><tr><th>名称</th><th>数量</th></tr><tr><td>苹果</td><td>3</td></tr></table>\
             <blockquote><p>{p3}</p></blockquote>\
             <pre><code>fn main() {{\n    println!(\"*hi*\");\n}}</code></pre><p>{p4}</p></article>\
             </body></html>",
            p1 = prose(1),
            p2 = prose(2),
            p3 = prose(3),
            p4 = prose(4)
        );
        let (md, body) = md_of_html(&page);
        assert!(body.starts_with("新闻标题\n"), "{body}");
        let expected = format!(
            "# 新闻标题\n\n{p1}\n\n## 小节\n\n{p2}\n\n\
             - 第一项内容\n- 第二项内容\n    1. 甲步骤\n    2. 乙步骤\n\n\
             | 名称 | 数量 |\n| --- | --- |\n| 苹果 | 3 |\n\n\
             > {p3}\n\n\
             ```\nfn main() {{\n    println!(\"*hi*\");\n}}\n```\n\n{p4}\n",
            p1 = prose(1),
            p2 = prose(2),
            p3 = prose(3),
            p4 = prose(4)
        );
        assert_eq!(md, expected);
    }

    #[test]
    fn plain_text_is_paragraphs_with_markup_escaped() {
        let doc = Document::from_text("标题\n# 不是标题\n1. 不是列表\n价格*2 [注] a_b _c\n");
        let cleaned = Cleaner::new(Ruleset::defaults()).clean(&doc).unwrap();
        assert_eq!(
            cleaned.body,
            "标题\n# 不是标题\n1. 不是列表\n价格*2 [注] a_b _c\n"
        );
        assert_eq!(
            markdown(&doc, &cleaned),
            "标题\n\n\\# 不是标题\n\n1\\. 不是列表\n\n价格\\*2 \\[注\\] a_b \\_c\n"
        );
        let empty = Document::from_text("");
        let cleaned = Cleaner::new(Ruleset::defaults()).clean(&empty).unwrap();
        assert_eq!(markdown(&empty, &cleaned), "");
    }

    #[test]
    fn a_row_the_rules_changed_or_a_layout_cell_is_a_paragraph() {
        assert_eq!(
            split_cells("甲 乙  丙", &["甲".into(), "乙 丙".into()]),
            Some(vec!["甲".into(), "乙  丙".into()])
        );
        assert_eq!(split_cells("甲 丙", &["甲".into(), "乙".into()]), None);
        let page = format!(
            "<!doctype html><body><table><tr><td><h1>新闻标题</h1><p>{}</p><p>{}</p></td></tr></table></body>",
            prose(1),
            prose(2)
        );
        let (md, body) = md_of_html(&page);
        assert!(body.starts_with("新闻标题\n"), "{body}");
        assert_eq!(md, format!("# 新闻标题\n\n{}\n\n{}\n", prose(1), prose(2)));
    }

    #[test]
    fn code_fences_outgrow_backticks_and_images_become_images() {
        assert_eq!(code_lines(&["a ``` b"], None), ["````", "a ``` b", "````"]);
        assert_eq!(
            image("https://x.cn/a(1).jpg", "图"),
            Some("![图](<https://x.cn/a(1).jpg>)".into())
        );
        assert_eq!(
            image("https://x.cn/a.jpg", "[x]"),
            Some("![\\[x\\]](https://x.cn/a.jpg)".into())
        );
    }

    #[test]
    fn line_starts_that_open_blocks_are_escaped() {
        for (raw, md) in [
            ("> 引用", "\\> 引用"),
            ("- 项", "\\- 项"),
            ("---", "\\---"),
            ("12) 条", "12\\) 条"),
            ("2024.1 年", "2024.1 年"),
            ("3.", "3\\."),
            ("    缩进", "缩进"),
            ("a&amp;b & c", "a\\&amp;b & c"),
            ("`code`", "\\`code\\`"),
        ] {
            assert_eq!(escape_line(raw), md, "{raw}");
        }
    }
}
