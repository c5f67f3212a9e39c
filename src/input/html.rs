//! HTML pages to block text: one line per block, so the same line rules clean pages and
//! plain text alike.
//!
//! Until main-content extraction exists, the whole `<body>` is kept: `<head>`, scripts,
//! styles and other non-text elements are dropped, block elements (paragraphs, headings,
//! list items, table cells, `<br>`, ...) start new lines, inline text joins, entities are
//! decoded, and every `<img>` becomes its URL on a line of its own so image rules see it.
//! The result never contains markup from the page.

use ego_tree::iter::Edge;
use scraper::{Html, Node, Selector};

/// The block text of a page and what the page says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BlockText {
    /// One block a line, each line ending in `\n`.
    pub text: String,
    /// The page's own URL, from `<link rel="canonical">` or `<meta property="og:url">`.
    pub url: Option<String>,
    /// Structure the text lost: per-line link density and headings, and the page title.
    pub hints: PageHints,
}

/// What the markup said about each line of the block text, for the `boilerplate.page`
/// stage: menus and link lists are mostly link text, the article title is a heading.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageHints {
    /// One entry per line of the block text, in order.
    pub lines: Vec<LineHint>,
    /// The page's `<title>` (or `og:title`), which usually starts with the article title.
    pub title: Option<String>,
}

/// Markup facts about one line of block text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineHint {
    /// Non-space characters on the line.
    pub chars: u32,
    /// Of those, characters inside `<a>` elements.
    pub link_chars: u32,
    /// 1 to 6 when the line is (inside) a heading `<h1>`..`<h6>`, else 0.
    pub heading: u8,
}

/// Elements whose content is never article text.
const SKIP: &[&str] = &[
    "head", "title", "script", "style", "noscript", "template", "svg", "math", "iframe", "object",
    "embed", "canvas", "video", "audio", "select", "textarea", "button", "map",
];

/// Elements that begin and end a line.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "option",
    "xmp",
    "plaintext",
];

/// Converts an HTML page to block text. Never fails: any input parses (HTML error
/// recovery), at worst to an empty text.
pub fn to_block_text(html: &str) -> BlockText {
    let page = Html::parse_document(html);
    let mut out = Builder::default();
    let mut skip_depth = 0usize;
    let mut pre_depth = 0usize;
    // Open headings (innermost last).
    let mut headings: Vec<u8> = Vec::new();
    for edge in page.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) => {
                    let name = e.name();
                    if skip_depth > 0 || SKIP.contains(&name) {
                        skip_depth += 1;
                        continue;
                    }
                    if name == "a" {
                        out.link_depth += 1;
                    }
                    if let Some(level) = heading_level(name) {
                        out.flush();
                        headings.push(level);
                        out.heading = level;
                        continue;
                    }
                    if name == "br" {
                        out.flush();
                    } else if name == "img" {
                        if let Some(src) = image_url(e) {
                            out.flush();
                            out.push_raw(src);
                            out.flush();
                        }
                    } else if BLOCK.contains(&name) {
                        out.flush();
                        if name == "pre" || name == "listing" || name == "xmp" {
                            pre_depth += 1;
                        }
                    }
                }
                Node::Text(t) if skip_depth == 0 => {
                    if pre_depth > 0 {
                        let mut parts = t.split('\n');
                        if let Some(first) = parts.next() {
                            out.push_text(first);
                        }
                        for p in parts {
                            out.flush();
                            out.push_text(p);
                        }
                    } else {
                        out.push_text(t);
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(e) = node.value() {
                    let name = e.name();
                    if skip_depth > 0 {
                        skip_depth -= 1;
                        continue;
                    }
                    if name == "a" {
                        out.link_depth = out.link_depth.saturating_sub(1);
                    }
                    if heading_level(name).is_some() {
                        out.flush();
                        headings.pop();
                        out.heading = headings.last().copied().unwrap_or(0);
                        continue;
                    }
                    if BLOCK.contains(&name) {
                        out.flush();
                        if name == "pre" || name == "listing" || name == "xmp" {
                            pre_depth = pre_depth.saturating_sub(1);
                        }
                    }
                }
            }
        }
    }
    out.flush();
    BlockText {
        text: out.text,
        url: page_url(&page),
        hints: PageHints {
            lines: out.hints,
            title: page_title(&page),
        },
    }
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// The page title: `<title>`, else `og:title`, white space collapsed.
fn page_title(page: &Html) -> Option<String> {
    let from = |sel: &str, attr: Option<&str>| -> Option<String> {
        let sel = Selector::parse(sel).expect("valid selector");
        let el = page.select(&sel).next()?;
        let raw = match attr {
            Some(a) => el.value().attr(a)?.to_string(),
            None => el.text().collect::<String>(),
        };
        let t = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        (!t.is_empty()).then_some(t)
    };
    from("title", None).or_else(|| from("meta[property=\"og:title\" i]", Some("content")))
}

/// The URL an `<img>` shows: a lazy-loading attribute first (the `src` of such images is
/// often a placeholder), then `src`; `data:` URIs are not URLs worth keeping.
fn image_url(e: &scraper::node::Element) -> Option<&str> {
    ["data-src", "data-original", "data-actualsrc", "src"]
        .iter()
        .filter_map(|a| e.attr(a))
        .map(str::trim)
        .find(|v| {
            !v.is_empty()
                && !v.starts_with("data:")
                && !v.chars().any(|c| c.is_whitespace() || c.is_control())
        })
}

fn page_url(page: &Html) -> Option<String> {
    let selectors = [
        ("link[rel~=\"canonical\" i]", "href"),
        ("meta[property=\"og:url\" i]", "content"),
    ];
    for (sel, attr) in selectors {
        let sel = Selector::parse(sel).expect("valid selector");
        for el in page.select(&sel) {
            if let Some(v) = el.value().attr(attr).map(str::trim) {
                let lower = v.to_ascii_lowercase();
                if (lower.starts_with("http://") || lower.starts_with("https://"))
                    && !v.chars().any(char::is_whitespace)
                {
                    return Some(v.to_string());
                }
            }
        }
    }
    None
}

#[derive(Default)]
struct Builder {
    text: String,
    line: String,
    hints: Vec<LineHint>,
    /// Open `<a>` elements.
    link_depth: usize,
    /// Heading level of the text being added (0: none).
    heading: u8,
    /// Counts for the line being built.
    chars: u32,
    link_chars: u32,
    line_heading: u8,
}

impl Builder {
    /// Appends text, collapsing HTML white space (space, tab, newlines) to single spaces.
    fn push_text(&mut self, s: &str) {
        for c in s.chars() {
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
            if c != ' ' {
                self.chars += 1;
                if self.link_depth > 0 {
                    self.link_chars += 1;
                }
                self.line_heading = self.line_heading.max(self.heading);
            }
            self.line.push(c);
        }
    }

    fn push_raw(&mut self, s: &str) {
        self.line.push_str(s);
        self.chars += s.chars().count() as u32;
    }

    fn flush(&mut self) {
        let t = self.line.trim_end_matches(' ');
        if !t.is_empty() {
            self.text.push_str(t);
            self.text.push('\n');
            self.hints.push(LineHint {
                chars: self.chars,
                link_chars: self.link_chars,
                heading: self.line_heading,
            });
        }
        self.line.clear();
        (self.chars, self.link_chars, self.line_heading) = (0, 0, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_inline() {
        let b = to_block_text(
            "<!doctype html><html><head><title>站名</title><style>p{}</style>\
             <link rel=canonical href='https://news.example.cn/a.html'></head>\
             <body><script>var x='<p>';</script><h1>标题</h1>\
             <p>第一段<b>加粗</b>文字&amp;实体&nbsp;。</p><div>第二段<br>换行</div>\
             <img data-src='https://img.example.cn/1.jpg' src='data:image/gif;base64,R0'>\
             <ul><li>列表一</li><li>列表二</li></ul><table><tr><td>甲</td><td>乙</td></tr></table>\
             <noscript>请启用</noscript></body></html>",
        );
        assert_eq!(
            b.text,
            "标题\n第一段加粗文字&实体\u{a0}。\n第二段\n换行\nhttps://img.example.cn/1.jpg\n列表一\n列表二\n甲\n乙\n"
        );
        assert_eq!(b.url.as_deref(), Some("https://news.example.cn/a.html"));
    }

    #[test]
    fn og_url_and_pre() {
        let b = to_block_text(
            "<meta property='og:url' content='http://x.example.com.tw/1'><pre>一行\n  二行</pre>",
        );
        assert_eq!(b.text, "一行\n二行\n");
        assert_eq!(b.url.as_deref(), Some("http://x.example.com.tw/1"));
    }

    #[test]
    fn garbage_never_yields_markup() {
        let b = to_block_text("<<p>>a</p><div <span>b</span></");
        assert!(!b.text.contains("<span"), "{:?}", b.text);
        assert_eq!(to_block_text("").text, "");
    }
}
#[cfg(test)]
mod hint_count_probe {
    #[test]
    fn probe() {
        for f in ["sina_2", "guancha_3", "163_1"] {
            let b = std::fs::read(format!("../shared/corpus/html-dev/{f}.html")).unwrap();
            let d = crate::input::decode(&b, &format!("{f}.html"), &Default::default()).unwrap();
            let p = d.page.unwrap();
            let n = d.text.split_inclusive('\n').count();
            eprintln!(
                "{f}: hints {} lines {} title {:?}",
                p.lines.len(),
                n,
                p.title
            );
            let cr = d.text.matches('\r').count();
            eprintln!("  cr {cr} u2028 {}", d.text.matches('\u{2028}').count());
        }
    }
}
