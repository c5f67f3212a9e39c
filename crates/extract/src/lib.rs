//! HTML pages to main content: parse once, turn the whole page into block text, score the
//! containers, choose the article's, find its headline, and give every line a verdict
//! (keep, or drop with a reason) plus the page's metadata.
//!
//! The block text covers the whole page so that provenance can show what was dropped;
//! the engine applies the verdicts (the `extract.main` stage) and its line rules then clean
//! inside the body. Nothing here reads files.
//!
//! - [`tokenize`] and [`dom`] (from `rinse-html`): markup to a compact tree, linear in the input;
//! - [`page_hints`]: the block text and per-line facts and verdicts the engine reads;
//! - [`blocks`]: the tree to block text, each line tied to its element;
//! - [`hints`]: what tag, class and id names say (English and pinyin);
//! - [`score`]: container scores and the choice of the main one;
//! - [`title`]: which line is the headline;
//! - `by_text`: pages without a clear container are decided by the text classifier;
//! - [`plausible`]: a second opinion on the chosen container (substance, threads and
//!   comments, split bodies, the text classifier's view) and the reconciliation;
//! - [`meta`]: JSON-LD, meta tags, `<time>`.

#![warn(missing_docs)]

pub mod blocks;
mod by_text;
pub mod hints;
pub mod meta;
pub mod page_hints;
pub mod plausible;
pub mod score;
pub mod title;

// The tree and the selectors are rinse-html's; re-exported under the names extraction
// has always used.
use rinse_classify as classify;
pub use rinse_html::dom::label;
pub use rinse_html::{dom, select, tags, tokenize};

use serde::{Deserialize, Serialize};

use blocks::{BlockKind, Blocks};
use dom::{Dom, NodeId};
use hints::Hint;
pub use meta::PageMeta;
use score::Scores;

/// A parsed page: its tree, its block text and its metadata.
#[derive(Debug)]
pub struct Page {
    /// The tree.
    pub dom: Dom,
    /// Block text of the whole page, one entry per line.
    pub blocks: Blocks,
    /// Metadata from the markup.
    pub meta: PageMeta,
}

/// What happens to one line of the page's block text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// Keep the line (the line rules still clean it).
    pub keep: bool,
    /// A byline or dateline (dropped, but its metadata is worth reading).
    pub byline: bool,
    /// Index of the reason in [`Report::reasons`].
    pub reason: u16,
}

impl Verdict {
    fn keep(reason: u16) -> Verdict {
        Verdict {
            keep: true,
            byline: false,
            reason,
        }
    }

    fn drop(reason: u16) -> Verdict {
        Verdict {
            keep: false,
            byline: false,
            reason,
        }
    }
}

/// Selectors a site's rule file gives for its pages: each with where it came from
/// (`file:line`), for reasons.
#[derive(Debug, Clone, Default)]
pub struct SiteSelectors {
    /// The article body, best first: the first selector that matches decides.
    pub main: Vec<(select::Selector, String)>,
    /// Noise to drop wherever it is.
    pub noise: Vec<(select::Selector, String)>,
}

impl SiteSelectors {
    /// Whether there is nothing to apply.
    pub fn is_empty(&self) -> bool {
        self.main.is_empty() && self.noise.is_empty()
    }
}

/// An element the extractor considered, for explanations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Container {
    /// The element as markup: `<div class="article" id="a1">`.
    pub label: String,
    /// Its score.
    pub score: f32,
    /// Characters of prose inside.
    pub prose: u32,
    /// Characters weighing against it inside (links, labels, noise children).
    pub chrome: u32,
    /// What its class or id said, if anything (`content`, `comments`, ...).
    pub hint: String,
}

/// The headline: lines `first..=last` (0-based; more than one when a title is broken
/// by `<br>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headline {
    /// First line.
    pub first: usize,
    /// Last line.
    pub last: usize,
    /// Why these lines: they state the page title, or are the heading before the body.
    pub how: String,
}

/// How the extractor decided, for `rinse explain`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The main content container.
    pub main: Option<Container>,
    /// The best container outside the chosen one.
    pub runner_up: Option<Container>,
    /// The headline lines.
    pub headline: Option<Headline>,
    /// Reasons referred to by [`Verdict::reason`].
    pub reasons: Vec<String>,
    /// When the markup had no clear article container: why, and what the whole-page text
    /// classifier made of the page (it decides when it finds an article).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_text: Option<String>,
    /// The second opinion on the chosen container (not given when a site rule or the text
    /// classifier decided).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_opinion: Option<plausible::SecondOpinion>,
}

/// Verdicts for every line, and why.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extraction {
    /// One verdict per line of the block text.
    pub verdicts: Vec<Verdict>,
    /// The decisions behind them.
    pub report: Report,
}

impl Page {
    /// Parses a page. Never fails: any input gives a page, at worst an empty one.
    pub fn parse(html: &str) -> Page {
        let dom = Dom::parse(html);
        let root = dom.body.unwrap_or(0);
        let blocks = blocks::build(&dom, root);
        let meta = meta::read(&dom);
        Page { dom, blocks, meta }
    }

    /// Chooses the main content and gives every line a verdict.
    pub fn extract(&self) -> Extraction {
        self.extract_with(None)
    }

    /// [`Page::extract`], steered by a site's selectors: its `main` selectors (the first
    /// that matches anything) name the article body instead of the scores, and whatever
    /// its `noise` selectors match is dropped.
    pub fn extract_with(&self, site: Option<&SiteSelectors>) -> Extraction {
        let dom = &self.dom;
        let lines = &self.blocks.lines;
        let mut reasons = Reasons::default();
        let root = dom.body.unwrap_or(0);
        let scores = score::score(dom, lines);
        let site_main = site.and_then(|s| {
            s.main.iter().find_map(|(sel, from)| {
                let ids = outermost(&scores, sel.select(dom));
                (!ids.is_empty()).then(|| (ids, format!("`{}` from {from}", sel.as_str())))
            })
        });
        let site_noise: Vec<(NodeId, String)> = site.map_or(Vec::new(), |s| {
            s.noise
                .iter()
                .flat_map(|(sel, from)| {
                    let what = format!("`{}` from {from}", sel.as_str());
                    sel.select(dom)
                        .into_iter()
                        .map(move |id| (id, what.clone()))
                })
                .collect()
        });
        let mut report = Report::default();
        // A site's own main selector is authoritative: inside it, only its noise selectors
        // (not class-name hints) drop blocks.
        let by_site = site_main.is_some();
        // The text classifier's verdicts, when it decides the page.
        let mut text: Option<by_text::TextVerdicts> = None;
        let (regions, outside, inside) = if let Some((ids, what)) = site_main {
            let labels: Vec<String> = ids.iter().map(|&id| label(dom, id)).collect();
            report.main = Some(container(dom, &scores, ids[0]));
            let outside = reasons.add(&format!(
                "outside the main content given by the site rule {what} ({})",
                labels.join(", ")
            ));
            let inside = reasons.add(&format!(
                "inside the main content given by the site rule {what}"
            ));
            (ids, outside, inside)
        } else {
            let best = scores.best(dom, root);
            let best_label = best.map(|m| label(dom, m));
            // Without a clear container the markup cannot tell the article from the page:
            // the page's text decides, as it does for a text dump.
            if let Some(why) = by_text::weak(&scores, best_label.as_deref(), best, root) {
                let t = by_text::TextVerdicts::of(self);
                report.by_text = Some(format!("{why}; the text classifier says: {}", t.summary()));
                text = t.decides().then_some(t);
            }
            let Some(main) = best.or(text.as_ref().map(|_| root)) else {
                // No prose anywhere: nothing to choose; keep the page for the line rules.
                let keep = reasons.add("no container holds prose; the whole page is kept");
                return Extraction {
                    verdicts: vec![Verdict::keep(keep); lines.len()],
                    report: reasons.finish(report),
                };
            };
            // The markup's choice, checked against the page's structure and its text.
            let (main, regions) = match best.filter(|_| text.is_none()) {
                Some(b) => {
                    let r = plausible::review(self, &scores, b, root);
                    report.second_opinion = Some(r.opinion);
                    (r.main, r.regions)
                }
                None => (main, vec![main]),
            };
            let main_c = container(dom, &scores, main);
            let runner_c = scores
                .runner_up(dom, root, main)
                .map(|r| container(dom, &scores, r));
            let outside = reasons.add(&match &runner_c {
                Some(r) => format!(
                    "outside the main content (chosen {} score {:.0}; runner-up {} score {:.0})",
                    main_c.label, main_c.score, r.label, r.score
                ),
                None => format!(
                    "outside the main content (chosen {} score {:.0})",
                    main_c.label, main_c.score
                ),
            });
            let inside = reasons.add(&match &text {
                Some(_) => format!(
                    "in the article the text classifier found ({})",
                    main_c.label
                ),
                None => format!(
                    "inside the main content {} (score {:.0})",
                    main_c.label, main_c.score
                ),
            });
            report.main = Some(main_c);
            report.runner_up = runner_c;
            (regions, outside, inside)
        };
        let in_main = |b: NodeId| regions.iter().any(|&m| scores.contains(m, b));
        let hidden = reasons.add("hidden by the page (hidden or display:none)");
        let links = reasons.add("mostly link text inside the main content (a link list)");
        let before = reasons.add("before the headline inside the main content");
        let image = reasons.add("an image: its URL is not article text");
        let caption = reasons.add("the caption of the image above");
        let symbols = reasons.add("no letters or digits: decoration, not text");
        let byline = reasons.add(
            "a dated line between the headline and the body (a byline; meta rules still read \
             it)",
        );

        let first_main = lines.iter().position(|l| in_main(l.block)).unwrap_or(0);
        let headline = match &text {
            Some(t) => t.headline(),
            None => self.headline(&in_main, first_main),
        };

        // Bylines, datelines and edit notes sit between the headline and the first line of
        // body text, outside the container or at its top.
        let first_body = headline.as_ref().map_or(first_main, |h| {
            (h.last + 1..lines.len())
                .find(|&i| {
                    in_main(lines[i].block) && self.is_body_line(i) && !self.is_dated_line(i)
                })
                .unwrap_or(first_main)
        });
        // A fold ("展开全文", "read more") hides the rest of an article the page holds.
        let fold = self.has_fold();
        let folded = reasons.add(
            "hidden behind a fold (the page has a \"read more\" control): article text the \
             page holds",
        );

        let gutter = line_numbers(lines, &self.blocks);
        let numbers = reasons.add("line numbers beside a code block: not text");
        let signature = reasons.add("a signature: the lines after `--` in a post");
        let mut sig_block: Option<NodeId> = None;

        let mut verdicts = Vec::with_capacity(lines.len());
        for (i, l) in lines.iter().enumerate() {
            // `--` on a line of its own opens a signature (mail, Usenet, BBS posts): the
            // rest of its block is the signature.
            if sig_block.is_some_and(|b| b != l.block) {
                sig_block = None;
            }
            if self.opens_signature(i) {
                sig_block = Some(l.block);
            }
            let in_headline = |h: &Headline| (h.first..=h.last).contains(&i);
            let v = if let Some(h) = headline.as_ref().filter(|h| in_headline(h)) {
                Verdict::keep(reasons.add(&format!("the headline ({})", h.how)))
            } else if headline
                .as_ref()
                .is_some_and(|h| h.last < i && i < first_body.max(first_main))
                && self.is_dated_line(i)
                // Inside the container a date alone may be the article's (a law's date of
                // adoption); a byline or an edit note also gives the time of day.
                && (i < first_main || has_clock_time(self.blocks.line(i)))
            {
                Verdict {
                    keep: false,
                    byline: true,
                    reason: byline,
                }
            } else if !in_main(l.block) {
                Verdict::drop(outside)
            } else if let Some(d) = text
                .as_ref()
                .and_then(|t| t.decision(i))
                .filter(|d| !d.keeps())
            {
                Verdict::drop(reasons.add(&format!("{} (the text classifier)", d.describe())))
            } else if let Some((_, what)) = site_noise
                .iter()
                .find(|(id, _)| scores.contains(*id, l.block))
            {
                Verdict::drop(reasons.add(&format!("noise given by the site rule {what}")))
            } else if l.hidden && fold && self.is_folded_line(i) {
                Verdict::keep(folded)
            } else if l.hidden {
                Verdict::drop(hidden)
            } else if let Some((id, what)) = (!by_site).then_some(()).and(
                regions
                    .iter()
                    .find(|&&m| scores.contains(m, l.block))
                    .and_then(|&m| noise_inside(dom, &scores, m, l.block)),
            ) {
                Verdict::drop(reasons.add(&format!(
                    "{what} inside the main content ({})",
                    label(dom, id)
                )))
            } else if l.kind == BlockKind::Image {
                Verdict::drop(image)
            } else if gutter[i] {
                Verdict::drop(numbers)
            } else if sig_block == Some(l.block) {
                Verdict::drop(signature)
            } else if l.kind != BlockKind::Code
                && !self.blocks.line(i).chars().any(char::is_alphanumeric)
            {
                Verdict::drop(symbols)
            } else if self.is_caption(i, text.is_none()) {
                Verdict::drop(caption)
            } else if l.link_chars * 2 > l.chars {
                Verdict::drop(links)
            } else if headline.as_ref().is_some_and(|h| i < h.first) {
                Verdict::drop(before)
            } else {
                Verdict::keep(inside)
            };
            verdicts.push(v);
        }
        report.headline = headline;
        Extraction {
            verdicts,
            report: reasons.finish(report),
        }
    }

    /// Whether line `i` is an image caption: a `<figcaption>`, the image's own `alt` or
    /// `title` text repeated under it, or a short unfinished line centred or (`by_layout`)
    /// sharing the image's block. Sharing says nothing when the markup has no clear
    /// container: all lines may share one block (`<br>` layout), subheadings too.
    fn is_caption(&self, i: usize, by_layout: bool) -> bool {
        let lines = &self.blocks.lines;
        let l = &lines[i];
        if l.kind == BlockKind::Caption && l.chars <= 200 {
            return true;
        }
        let Some(prev) = i.checked_sub(1).map(|p| &lines[p]) else {
            return false;
        };
        let Some(img) = prev.img.filter(|_| prev.kind == BlockKind::Image) else {
            return false;
        };
        let text = self.line_text(i);
        let said = |attr: &str| {
            self.dom.attr(img, attr).is_some_and(|a| {
                let a = title::squeeze(a);
                let t = title::squeeze(text);
                a.chars().count() >= 4
                    && (a == t || (a.contains(&t) && t.chars().count() * 2 >= a.chars().count()))
            })
        };
        let short = l.chars <= 30 && !l.ends_sentence;
        said("alt")
            || said("title")
            || (short && ((by_layout && prev.block == l.block) || self.centred(l.block)))
    }

    /// Whether the page shows a fold control: a short line saying "read more" (展开全文,
    /// 阅读全文, 查看全文, ...). Behind it, the page holds the rest of the article hidden.
    fn has_fold(&self) -> bool {
        (0..self.blocks.lines.len())
            .any(|i| self.blocks.lines[i].chars <= 12 && is_fold_control(self.blocks.line(i)))
    }

    /// A hidden line that reads as article text: a fold hides paragraphs, not labels.
    fn is_folded_line(&self, i: usize) -> bool {
        let l = &self.blocks.lines[i];
        l.heading == 0
            && !matches!(l.kind, BlockKind::Image | BlockKind::Caption)
            && l.link_chars * 2 <= l.chars
            && score::is_prose(l)
    }

    /// A short line holding a full date (a byline or dateline).
    fn is_dated_line(&self, i: usize) -> bool {
        let l = &self.blocks.lines[i];
        !l.hidden
            && l.chars <= 80
            && l.link_chars * 2 <= l.chars
            && meta::iso_date(self.blocks.line(i)).is_some()
    }

    /// Whether the page centres an element or its parent (captions are centred, body
    /// text is not).
    fn centred(&self, id: NodeId) -> bool {
        let parent = self.dom.nodes[id as usize].parent;
        [id, parent]
            .into_iter()
            .filter(|&n| n != dom::NONE)
            .any(|n| {
                self.dom.attrs(n).any(|(k, v)| match k {
                    "align" => v.eq_ignore_ascii_case("center"),
                    "style" => v
                        .to_ascii_lowercase()
                        .replace(' ', "")
                        .contains("text-align:center"),
                    "class" => v.to_ascii_lowercase().contains("center"),
                    _ => false,
                })
            })
    }

    /// Whether line `i` opens a signature: `--` alone (mail, Usenet, BBS posts), or a long
    /// rule of dashes followed in its block by no more than a short signature (old boards
    /// print one between a post and its author's motto). A rule followed by more is a
    /// divider inside the text.
    fn opens_signature(&self, i: usize) -> bool {
        let t = self.blocks.line(i).trim();
        if t == "--" {
            return true;
        }
        let rule =
            t.chars().count() >= 10 && t.chars().all(|c| matches!(c, '-' | '—' | '─' | '=' | '_'));
        if !rule {
            return false;
        }
        let lines = &self.blocks.lines;
        let block = lines[i].block;
        let rest = lines[i + 1..]
            .iter()
            .take_while(|l| l.block == block)
            .take(MAX_SIGNATURE_LINES + 1);
        let (n, chars) = rest.fold((0, 0), |(n, c), l| (n + 1, c + l.chars));
        (1..=MAX_SIGNATURE_LINES).contains(&n) && chars <= MAX_SIGNATURE_CHARS
    }

    /// The line of a subheading that completes a headline (`<h1>` then `<h2>`, a
    /// newspaper's 主题 and 副题): the next element after the headline's block, a heading
    /// of a lower rank, short and not link text. Papers and portals print the two as one
    /// title; a section heading opens the body instead and is kept anyway.
    fn subtitle(&self, first: usize, last: usize) -> Option<usize> {
        let lines = &self.blocks.lines;
        let (head, next) = (&lines[first], lines.get(last + 1)?);
        // Only white space may stand between the two headings.
        let sib = self.dom.adjacent_element(head.block, dom::Side::After)?;
        // `<h5>`/`<h6>` under a headline hold bylines and counters, not subtitles.
        let sub = head.heading > 0
            && next.heading > head.heading
            && next.heading <= MAX_SUBTITLE_RANK
            && !self.is_dated_line(last + 1)
            && next.block == sib
            && !next.hidden
            && (4..=MAX_SUBTITLE_CHARS).contains(&next.chars)
            && next.link_chars * 2 <= next.chars;
        sub.then_some(last + 1)
    }

    /// The text of line `i`.
    fn line_text(&self, i: usize) -> &str {
        self.blocks.line(i)
    }

    /// The headline: the line (or the few lines of one block, a title broken by `<br>`)
    /// that best states the page's title without the site name, a heading first, near the
    /// start of the main content; else the nearest heading just before the main content.
    fn headline(&self, in_main: &impl Fn(NodeId) -> bool, first_main: usize) -> Option<Headline> {
        let lines = &self.blocks.lines;
        let m = &self.meta;
        let cands = title::candidates(
            m.og_title.as_deref(),
            m.headline.as_deref(),
            m.title.as_deref(),
            m.site_name.as_deref(),
        );
        let usable = |l: &blocks::Line| {
            !l.hidden
                && l.kind != BlockKind::Image
                && l.chars <= 200
                && l.link_chars * 2 <= l.chars.max(1)
                || l.heading > 0 && !l.hidden
        };
        let limit = (first_main + 3).min(lines.len());
        let mut best: Option<(f64, usize, usize)> = None;
        for i in 0..limit {
            if !usable(&lines[i]) {
                continue;
            }
            let mut joined = String::new();
            for j in i..(i + 3).min(lines.len()) {
                if j > i && (lines[j].block != lines[i].block || !usable(&lines[j])) {
                    break;
                }
                joined.push_str(self.blocks.line(j));
                let sim = title::similarity(&joined, &cands);
                if sim < 0.6 {
                    continue;
                }
                let heading = match lines[i].heading {
                    1 => 0.3,
                    2 | 3 => 0.2,
                    _ => 0.0,
                };
                // Nearer the article is better; inside it (its first lines) too.
                let near = if in_main(lines[i].block) {
                    0.1
                } else {
                    0.1 * (1.0 - (first_main - i) as f64 / first_main.max(1) as f64)
                };
                let s = sim + heading + near;
                if best.is_none_or(|b| s > b.0) {
                    best = Some((s, i, j));
                }
            }
        }
        if let Some((_, first, last)) = best {
            let (last, how) = match self.subtitle(first, last) {
                Some(sub) => (sub, "states the page title; the subheading under it"),
                None => (last, "states the page title"),
            };
            return Some(Headline {
                first,
                last,
                how: how.into(),
            });
        }
        (first_main.saturating_sub(8)..first_main.min(lines.len()))
            .rev()
            .find(|&i| {
                let l = &lines[i];
                l.heading > 0 && !l.hidden && l.chars >= 5 && l.link_chars * 2 <= l.chars
            })
            .map(|i| Headline {
                first: i,
                last: i,
                how: "the heading just before the main content".into(),
            })
    }
}

/// Lines that are the line numbers printed beside code: code lines `1`, `2`, `3`, ... in
/// a row (a gutter column, or a list of numbers inside `<pre>`).
fn line_numbers(lines: &[blocks::Line], text: &Blocks) -> Vec<bool> {
    let mut out = vec![false; lines.len()];
    let number = |i: usize| {
        (lines[i].kind == BlockKind::Code)
            .then(|| text.line(i).trim().parse::<u32>().ok())
            .flatten()
    };
    let mut i = 0;
    while i < lines.len() {
        if number(i) != Some(1) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < lines.len() && number(j) == Some((j - i + 1) as u32) {
            j += 1;
        }
        if j - i >= 2 {
            out[i..j].iter_mut().for_each(|g| *g = true);
        }
        i = j;
    }
    out
}

/// Whether text holds a time of day (`9:36`, `10:20:05`).
fn has_clock_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        c == b':'
            && i > 0
            && b[i - 1].is_ascii_digit()
            && b.get(i + 1).is_some_and(u8::is_ascii_digit)
            && b.get(i + 2).is_some_and(u8::is_ascii_digit)
    })
}

/// Characters above which a heading under the headline is a paragraph set as a heading,
/// not a subtitle (subtitles are one short line: 12–30 characters on news pages).
const MAX_SUBTITLE_CHARS: u32 = 60;
/// The lowest heading rank a subtitle has (`<h4>`).
const MAX_SUBTITLE_RANK: u8 = 4;

/// Lines and characters a signature under a dashed rule may have (a motto, a link); more
/// and the rule divides the text.
const MAX_SIGNATURE_LINES: usize = 3;
const MAX_SIGNATURE_CHARS: u32 = 120;

/// Words of a fold control, letters only, lowercase.
const FOLD_WORDS: &[&str] = &[
    "展开全文",
    "展开阅读全文",
    "展開全文",
    "展開閱讀全文",
    "阅读全文",
    "閱讀全文",
    "查看全文",
    "显示全文",
    "顯示全文",
    "点击展开",
    "點擊展開",
    "继续阅读",
    "繼續閱讀",
    "readmore",
    "continuereading",
    "showmore",
    "readfullarticle",
];

/// Whether a line is a fold control (`展开全文`, `Read more ▼`).
fn is_fold_control(line: &str) -> bool {
    let s = title::squeeze(line);
    FOLD_WORDS.contains(&s.as_str())
}

/// The matched elements that are not inside another matched one.
fn outermost(scores: &Scores, ids: Vec<NodeId>) -> Vec<NodeId> {
    let mut out: Vec<NodeId> = Vec::new();
    for id in ids {
        if !out.iter().any(|&o| scores.contains(o, id)) {
            out.push(id);
        }
    }
    out
}

/// The nearest element between `block` (inclusive) and `main` (exclusive) named as noise.
fn noise_inside(
    dom: &Dom,
    scores: &Scores,
    main: NodeId,
    block: NodeId,
) -> Option<(NodeId, &'static str)> {
    let mut id = block;
    while id != main && id != dom::NONE {
        if let Hint::Noise(what) = scores.hint[id as usize] {
            return Some((id, what));
        }
        id = dom.nodes[id as usize].parent;
    }
    None
}

fn container(dom: &Dom, s: &Scores, id: NodeId) -> Container {
    let i = id as usize;
    Container {
        label: label(dom, id),
        score: s.score[i],
        prose: s.prose[i],
        chrome: s.chrome[i],
        hint: match s.hint[i] {
            Hint::None => String::new(),
            Hint::Content => "content".into(),
            Hint::Noise(w) => w.into(),
        },
    }
}

#[derive(Default)]
struct Reasons(Vec<String>);

impl Reasons {
    fn add(&mut self, r: &str) -> u16 {
        if let Some(i) = self.0.iter().position(|x| x == r) {
            return i as u16;
        }
        self.0.push(r.to_string());
        (self.0.len() - 1).min(u16::MAX as usize) as u16
    }

    fn finish(self, mut r: Report) -> Report {
        r.reasons = self.0;
        r
    }
}

impl Extraction {
    /// The reason for line `i`.
    pub fn reason(&self, i: usize) -> Option<&str> {
        let v = self.verdicts.get(i)?;
        self.report
            .reasons
            .get(v.reason as usize)
            .map(String::as_str)
    }
}

/// Convenience: parse and extract in one call.
pub fn extract(html: &str) -> (Page, Extraction) {
    let page = Page::parse(html);
    let ex = page.extract();
    (page, ex)
}
