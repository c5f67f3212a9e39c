//! HTML pages to block text: one line per block, so the same line rules clean pages and
//! plain text alike.
//!
//! The page is parsed once by [`crate`]: the whole `<body>` becomes block text
//! (`<head>`, scripts, styles and other non-text elements give no lines; block elements
//! start new lines, inline text joins, references are decoded, every `<img>` becomes its
//! URL on a line of its own so image rules see it), and every line gets the extractor's
//! verdict. The result never contains markup from the page.

use std::sync::Arc;

use crate::blocks::BlockKind;
use crate::{Extraction, Page, PageMeta, Report, SiteSelectors};

/// The block text of a page and what the page says about itself.
#[derive(Debug, Clone, Default)]
pub struct BlockText {
    /// One block a line, each line ending in `\n`: the whole page, so provenance can show
    /// what the extractor dropped.
    pub text: String,
    /// The page's own URL, from `<link rel="canonical">` or `<meta property="og:url">`.
    pub url: Option<String>,
    /// Per-line facts and verdicts, the page's metadata and the extraction report.
    pub hints: PageHints,
}

/// What the markup said about each line of the block text and what the extractor decided,
/// for the `extract.main` stage and `rinse explain`.
#[derive(Debug, Clone, Default)]
pub struct PageHints {
    /// One entry per line of the block text, in order.
    pub lines: Vec<LineHint>,
    /// The page's `<title>` (or `og:title`).
    pub title: Option<String>,
    /// Metadata from the markup (JSON-LD, meta tags, `<time>`).
    pub meta: PageMeta,
    /// How the main content was chosen; [`LineHint::reason`] indexes its reasons.
    pub report: Report,
    /// The parsed page, kept so that site selectors can steer the extraction again.
    pub page: Option<Arc<Page>>,
}

/// Markup facts about one line of block text, and its verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineHint {
    /// Non-space characters on the line.
    pub chars: u32,
    /// Of those, characters inside `<a>` elements.
    pub link_chars: u32,
    /// 1 to 6 when the line is (inside) a heading `<h1>`..`<h6>`, else 0.
    pub heading: u8,
    /// The kind of block (paragraph, list item, table row, code, ...): repeated rows and
    /// items are structure, not duplicates.
    pub kind: BlockKind,
    /// Lines with the same group are siblings in the page (paragraphs of one container,
    /// rows of one table): a repeat among them is the author's, not the page's.
    pub group: u32,
    /// The extractor keeps the line (the line rules may still remove it).
    pub keep: bool,
    /// A byline or dateline the extractor removed: `meta` rules still read it for
    /// metadata.
    pub byline: bool,
    /// Index of the reason in [`Report::reasons`].
    pub reason: u16,
}

impl LineHint {
    /// Whether a repeat of this line by `earlier` is structure the author wrote (rows,
    /// items, code, or siblings in one container) rather than a copy the page added.
    pub fn repeats_by_structure(&self, earlier: &LineHint) -> bool {
        matches!(
            self.kind,
            BlockKind::TableRow | BlockKind::ListItem | BlockKind::Code
        ) || self.group == earlier.group
    }
}

impl PageHints {
    /// The reason of a line's hint.
    pub fn reason_at(&self, h: &LineHint) -> Option<&str> {
        self.report
            .reasons
            .get(h.reason as usize)
            .map(String::as_str)
    }

    /// Why line `i` (0-based) was kept or dropped by the extractor.
    pub fn reason(&self, i: usize) -> Option<&str> {
        let h = self.lines.get(i)?;
        self.report
            .reasons
            .get(h.reason as usize)
            .map(String::as_str)
    }
}

/// Converts an HTML page to block text with a verdict per line. Never fails: any input
/// parses, at worst to an empty text.
pub fn to_block_text(html: &str) -> BlockText {
    let page = Arc::new(Page::parse(html));
    let ex = page.extract();
    BlockText {
        text: page.blocks.text.clone(),
        url: page.meta.url.clone(),
        hints: PageHints::new(page, ex),
    }
}

impl PageHints {
    /// The hints of `page` with the verdicts of `ex`.
    pub fn new(page: Arc<Page>, ex: Extraction) -> PageHints {
        let lines = page
            .blocks
            .lines
            .iter()
            .zip(&ex.verdicts)
            .map(|(l, v)| LineHint {
                chars: l.chars,
                link_chars: l.link_chars,
                heading: l.heading,
                kind: l.kind,
                group: l.group,
                keep: v.keep,
                byline: v.byline,
                reason: v.reason,
            })
            .collect();
        PageHints {
            lines,
            title: page
                .meta
                .title
                .clone()
                .or_else(|| page.meta.og_title.clone()),
            meta: page.meta.clone(),
            report: ex.report,
            page: Some(page),
        }
    }

    /// What the main-content extractor decided about line `i` (0-based), for `rinse
    /// explain`: the verdict and its reason, the chosen container with its score and the
    /// runner-up, and the headline. `None` for a line the page does not have.
    pub fn explain(&self, i: usize) -> Option<String> {
        use std::fmt::Write as _;
        let h = self.lines.get(i)?;
        let mut out = String::new();
        let verdict = if h.keep { "kept" } else { "dropped" };
        let _ = writeln!(
            out,
            "  extractor:  {verdict}: {}",
            self.reason(i).unwrap_or("?")
        );
        let r = &self.report;
        if let Some(m) = &r.main {
            let _ = writeln!(
                out,
                "  main:       {} score {:.0} (prose {} chars, against {}{})",
                m.label,
                m.score,
                m.prose,
                m.chrome,
                if m.hint.is_empty() {
                    String::new()
                } else {
                    format!("; named {}", m.hint)
                }
            );
        }
        if let Some(m) = &r.runner_up {
            let _ = writeln!(out, "  runner-up:  {} score {:.0}", m.label, m.score);
        }
        if let Some(t) = &r.by_text {
            let _ = writeln!(out, "  markup:     {t}");
        }
        out.push_str(&self.views());
        if let Some(hl) = &r.headline {
            let _ = writeln!(
                out,
                "  headline:   line {}{} ({})",
                hl.first + 1,
                if hl.last > hl.first {
                    format!("-{}", hl.last + 1)
                } else {
                    String::new()
                },
                hl.how
            );
        }
        Some(out)
    }

    /// Both views of the page and how they were reconciled, for `rinse explain`: the
    /// chosen container's share of the page's prose, what the whole-page text classifier
    /// makes of the page (computed here when the extraction did not need to ask it), how
    /// they compared and what each plausibility check found. Empty when a site rule or the
    /// text classifier alone decided.
    pub fn views(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let Some(o) = &self.report.second_opinion else {
            return out;
        };
        let _ = writeln!(
            out,
            "  views:      the container holds {:.0}% of the page's prose; the text \
             classifier {}",
            100.0 * o.share,
            o.agreement.describe()
        );
        let text = match (&o.text_view, &self.page) {
            (Some(t), _) => Some(t.clone()),
            (None, Some(page)) => Some(format!(
                "{} (computed for this explanation)",
                crate::plausible::text_view(page, &o.regions)
            )),
            (None, None) => None,
        };
        if let Some(t) = text {
            let _ = writeln!(out, "  text view:  {t}");
        }
        for n in &o.notes {
            let _ = writeln!(out, "  check:      {n}");
        }
        out
    }

    /// The hints with the extraction steered by a site's selectors (`None` when there is
    /// no parsed page to steer).
    pub fn steered(&self, site: &SiteSelectors) -> Option<PageHints> {
        let page = self.page.clone()?;
        let ex = page.extract_with(Some(site));
        Some(PageHints::new(page, ex))
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
            "标题\n第一段加粗文字&实体\u{a0}。\n第二段\n换行\nhttps://img.example.cn/1.jpg\n列表一\n列表二\n甲 乙\n"
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
