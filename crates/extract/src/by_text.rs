//! When the markup has no clear article container, the page's text decides.
//!
//! Some pages give the scores nothing to choose between: every block is a child of
//! `<body>` (or of one wrapper), or old markup separates paragraphs with `<br>`. The best
//! container then holds the menus, comments and footers as well as the article, and
//! keeping it keeps the whole page. Such a page is, to the extractor, a whole-page text
//! dump with a little markup, so the same classifier that decides dumps
//! ([`rinse_classify`], the `page.text-lines` stage) decides it, given the page title and
//! each line's link share: the two modes do not drift apart. Whatever the markup does know
//! (hidden blocks, images, captions, link lists) still applies on top.

use crate::classify::{self, Analysis, Decision, LineHint, Options};

use super::blocks::BlockKind;
use super::dom::NodeId;
use super::score::Scores;
use super::{Headline, Page};

/// A container holding at least this share of the page's chrome (link text, labels,
/// noise-named blocks) does not separate the article from the page. A container the
/// markup gives the article holds a small part of the chrome (menus, sidebars and
/// comments sit outside it); one that is merely the page's wrapper holds all of it.
pub(super) const WEAK_SHARE: f32 = 0.75;

/// Why the markup is too weak to decide, or `None` when the chosen container `main`
/// separates the article from the page. `main` is `None` when no container holds prose.
pub(super) fn weak(
    scores: &Scores,
    label: Option<&str>,
    main: Option<NodeId>,
    root: NodeId,
) -> Option<String> {
    let Some(main) = main else {
        return Some("no container holds prose".into());
    };
    let page = scores.chrome[root as usize];
    let held = scores.chrome[main as usize];
    (page > 0 && held as f32 >= WEAK_SHARE * page as f32).then(|| {
        format!(
            "no clear article container: {} holds {:.0}% of the page's chrome",
            label.unwrap_or("the chosen element"),
            100.0 * held as f32 / page as f32
        )
    })
}

/// The classifier's decisions for the page's lines, as it sees them: the visible lines
/// that are text (hidden blocks and images are not in a dump), with their link share.
pub(super) struct TextVerdicts {
    /// For each block line, its index among the lines the classifier saw.
    seen: Vec<Option<usize>>,
    /// For each line the classifier saw, its block line.
    blocks: Vec<usize>,
    /// The classifier's result over those lines.
    pub analysis: Analysis,
}

impl TextVerdicts {
    /// Classifies the visible text lines of `page`, with the page title.
    pub(super) fn of(page: &Page) -> TextVerdicts {
        let blocks = &page.blocks;
        let mut seen = Vec::with_capacity(blocks.lines.len());
        let mut lines = Vec::new();
        let mut at = Vec::new();
        let mut hints = Vec::new();
        for (i, l) in blocks.lines.iter().enumerate() {
            if l.hidden || l.kind == BlockKind::Image {
                seen.push(None);
                continue;
            }
            seen.push(Some(lines.len()));
            at.push(i);
            lines.push(blocks.line(i));
            hints.push(LineHint {
                removed: false,
                link_share: (l.chars > 0).then(|| f64::from(l.link_chars) / f64::from(l.chars)),
            });
        }
        let m = &page.meta;
        let title = m.title.as_deref().or(m.og_title.as_deref()).unwrap_or("");
        let analysis = classify::analyze(
            &lines,
            &Options {
                title: Some(title),
                hints: &hints,
            },
        );
        TextVerdicts {
            seen,
            blocks: at,
            analysis,
        }
    }

    /// Whether the classifier found an article (the text is a page and has one).
    pub(super) fn decides(&self) -> bool {
        self.analysis.verdict.is_page && self.analysis.article.is_some()
    }

    /// The classifier's decision for block line `i`; `None` for lines it did not see.
    pub(super) fn decision(&self, i: usize) -> Option<Decision> {
        let j = self.seen.get(i).copied().flatten()?;
        Some(self.analysis.lines[j].decision)
    }

    /// The headline the classifier found, in block lines.
    pub(super) fn headline(&self) -> Option<Headline> {
        let (h0, h1) = self.analysis.article.as_ref()?.headline?;
        Some(Headline {
            first: self.blocks[h0],
            last: self.blocks[h1],
            how: "repeats the page title, found by the text classifier".into(),
        })
    }

    /// One line for reports: what the classifier made of the page.
    pub(super) fn summary(&self) -> String {
        let a = &self.analysis;
        match &a.article {
            Some(art) if a.verdict.is_page => {
                format!("a whole page ({}); {}", a.verdict.reason, art.reason)
            }
            _ if a.verdict.is_page => {
                format!("a whole page ({}) without an article", a.verdict.reason)
            }
            _ => format!(
                "not a whole page ({}): the markup decides",
                a.verdict.reason
            ),
        }
    }
}
