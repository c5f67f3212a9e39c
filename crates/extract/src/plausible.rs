//! A second opinion on the chosen container, and the reconciliation when it disagrees.
//!
//! The container scores are one view of a page; the whole-page line classifier
//! ([`crate::classify`]) is another, built from the text alone. The scores are precise
//! when the page's markup is regular, and fail in a few recognisable ways: the best element
//! is a photo box whose caption is the only punctuated text nearby, one half of a body that
//! an advertisement split in two, a reply of a forum thread longer than the opening post,
//! or the comments under a post written in short lines. So the choice is checked, cheapest
//! test first, before any line is decided:
//!
//! 1. **Substance**: the container must hold body text: prose outside captions, headings,
//!    hidden blocks and link lists, and more than one line after an image or a copy of the
//!    title. A container without it is a caption box or a headline: the best-scoring
//!    container that has it is chosen instead (readability retries with relaxed rules when
//!    its result is too short; this retries with the next candidate).
//! 2. **Dated items**: a container that is one of (or a list of) sibling items each opening
//!    with a dated header (a user panel, `发表于 …`, a comment time) belongs to a thread or
//!    a comment list. When the page's headline opens the first item, the page is a thread
//!    and the article is the first post; otherwise the items are comments under an article
//!    and the article is looked for outside them.
//! 3. **Split body**: siblings with the container's own tag and class, holding prose and
//!    separated from it only by blocks without prose (an advertisement, an image, a related
//!    box), are parts of the same body.
//! 4. **The text view**: when the container holds less than [`CLEAR_SHARE`] of the page's
//!    prose, the line classifier is asked (otherwise it could not disagree much, and is not
//!    run: it costs as much as the extraction). If its article lies mostly inside the
//!    container, the views agree. If the container holds almost none of it, and one element
//!    holds most of it with little else, that element is chosen; an element around the
//!    container that adds mostly the classifier's article lines extends it. Otherwise the
//!    container stands and the disagreement is recorded, for the quality flag.
//!
//! trafilatura compares the length of its own result with its fallbacks' and takes the
//! longer when its own looks deficient; here the comparison is by which lines each view
//! keeps, and every step says why in the report.

use serde::{Deserialize, Serialize};

use super::blocks::{BlockKind, Line};
use super::by_text::TextVerdicts;
use super::dom::{Dom, NodeId, Side, NONE};
use super::hints::Hint;
use super::score::{is_prose, Scores};
use super::tags::CANDIDATE;
use super::{label, title, Page};
use crate::classify::Decision;

/// A container holding at least this share of the page's prose (outside noise-named
/// blocks) leaves too little outside it for the text view to find another article there:
/// the classifier is not asked. On the development pages the chosen container holds 60% or
/// more on most pages.
pub const CLEAR_SHARE: f32 = 0.6;
/// Body characters below which a container is a caption, a label or a headline, not an
/// article (the shortest real bodies, one paragraph of news, are longer).
const MIN_BODY_CHARS: u32 = 40;
/// The views agree when at least this share of the text view's article lies in the
/// container.
const AGREE_SHARE: f32 = 0.5;
/// The views are disjoint when less than this share of the text view's article lies in
/// the container: the container is then taken to be the wrong element.
const DISJOINT_SHARE: f32 = 0.25;
/// An element holds the text view's article when it holds this share of its characters.
const COVER_SHARE: f32 = 0.7;
/// ... and is that article (not a page wrapper around it) when at least this share of its
/// own body text is the text view's article.
const PRECISION_SHARE: f32 = 0.6;
/// At most this many visible text lines between the headline and the first item of a
/// thread (a "copy link" line, a view counter); more and the items follow an article.
const THREAD_GAP_LINES: usize = 3;
/// Lines a lead before the body may have (a lead is a paragraph or two).
const MAX_LEAD_LINES: usize = 2;
/// Title similarity (see [`title::similarity`]) that makes a line the headline here.
const TITLE_SIMILARITY: f64 = 0.6;

/// How the two views of the page compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Agreement {
    /// The container holds most of the page's prose: the text view was not needed.
    Clear,
    /// The page's structure decided (a thread's first post): the text view was not asked.
    Structure,
    /// The text view found no article of its own (the page text is mostly prose).
    NoOpinion,
    /// The text view's article lies mostly inside the container.
    Agree,
    /// The views disagreed; the container was corrected to the element holding the text
    /// view's article.
    Corrected,
    /// The views disagreed and neither could be shown wrong: the container stands, doubted.
    Disagree,
}

impl Agreement {
    /// A short description for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Agreement::Clear => "not needed: the container holds most of the page's prose",
            Agreement::Structure => "not asked: the page's structure decided",
            Agreement::NoOpinion => "no opinion: the text classifier finds no article of its own",
            Agreement::Agree => "agrees: its article lies inside the container",
            Agreement::Corrected => "disagreed: the container was corrected to hold its article",
            Agreement::Disagree => "disagrees, unresolved: the container stands (doubtful)",
        }
    }
}

/// The second opinion on the chosen container, for `rinse explain` and the quality flag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecondOpinion {
    /// Share of the page's prose (outside noise-named blocks) the final container holds.
    pub share: f32,
    /// What the text view found and how much of it the container holds, when it was asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_view: Option<String>,
    /// How the views compared.
    pub agreement: Agreement,
    /// The container failed a plausibility test and no plausible one was found.
    #[serde(default)]
    pub implausible: bool,
    /// What each check found, in order, when it changed the choice or doubted it.
    #[serde(default)]
    pub notes: Vec<String>,
    /// The final containers, for computing the text view on demand (`rinse explain`).
    #[serde(skip)]
    pub regions: Vec<NodeId>,
}

impl SecondOpinion {
    /// Whether a reviewer should look at the page: the views disagreed or the container
    /// is implausible.
    pub fn doubtful(&self) -> bool {
        self.implausible || self.agreement == Agreement::Disagree
    }
}

/// The reviewed choice: the main container, the other parts of a split body, and why.
pub(super) struct Review {
    /// The containers the article is in, in document order.
    pub regions: Vec<NodeId>,
    /// The one the report names.
    pub main: NodeId,
    /// The second opinion.
    pub opinion: SecondOpinion,
}

/// What a container holds that an article is made of.
#[derive(Debug, Clone, Copy, Default)]
struct Body {
    /// Characters of body text (prose lines, not link text).
    chars: u32,
    /// Body lines.
    lines: u32,
    /// One of them (the only one, when `lines` is 1).
    one: usize,
}

/// The lines of the subtree at `id`: the block text of a subtree is one run of lines.
fn line_range(scores: &Scores, lines: &[Line], id: NodeId) -> std::ops::Range<usize> {
    let Some(first) = lines.iter().position(|l| scores.contains(id, l.block)) else {
        return 0..0;
    };
    let len = lines[first..]
        .iter()
        .take_while(|l| scores.contains(id, l.block))
        .count();
    first..first + len
}

/// Whether an element's tag, class and id match another's (repeated items of one kind).
fn same_kind(dom: &Dom, a: NodeId, b: NodeId) -> bool {
    dom.name(a).is_some()
        && dom.name(a) == dom.name(b)
        && dom.attr(a, "class").map(str::trim) == dom.attr(b, "class").map(str::trim)
}

impl Page {
    /// Whether line `i` counts as article body text: prose, visible, not a caption,
    /// heading, image or link list.
    pub(super) fn is_body_line(&self, i: usize) -> bool {
        let l = &self.blocks.lines[i];
        !l.hidden
            && l.heading == 0
            && !matches!(l.kind, BlockKind::Image | BlockKind::Caption)
            && l.link_chars * 2 <= l.chars
            && is_prose(l)
    }

    /// The body of the subtree at `id`, lines in `range` (its line range).
    fn body_of(&self, scores: &Scores, id: NodeId, range: std::ops::Range<usize>) -> Body {
        let mut b = Body::default();
        for i in range {
            let l = &self.blocks.lines[i];
            if scores.contains(id, l.block) && self.is_body_line(i) && !self.in_noise(scores, id, i)
            {
                b.chars += l.chars - l.link_chars;
                b.lines += 1;
                b.one = i;
            }
        }
        b
    }

    /// Whether line `i` sits in a noise-named element inside `container`.
    fn in_noise(&self, scores: &Scores, container: NodeId, i: usize) -> bool {
        super::noise_inside(&self.dom, scores, container, self.blocks.lines[i].block).is_some()
    }

    /// Why the container at `id` is not an article, or `None` when it has substance.
    fn insubstantial(&self, scores: &Scores, id: NodeId, titles: &[String]) -> Option<String> {
        let range = line_range(scores, &self.blocks.lines, id);
        let b = self.body_of(scores, id, range.clone());
        if b.chars < MIN_BODY_CHARS {
            return Some(format!(
                "holds {} characters of body text (captions, headings, hidden and link lines \
                 aside)",
                b.chars
            ));
        }
        if b.lines == 1 {
            let after_image = b.one > range.start
                && self.blocks.lines[b.one - 1].kind == BlockKind::Image
                && scores.contains(id, self.blocks.lines[b.one - 1].block);
            if after_image {
                return Some("holds one line under an image: a caption".into());
            }
            if title::similarity(self.blocks.line(b.one), titles) >= 0.8 {
                return Some("holds only a copy of the headline".into());
            }
        }
        None
    }

    /// Dated lines per element (its subtree), for telling posts and comments from body
    /// paragraphs.
    fn dated_counts(&self) -> Vec<u32> {
        let dom = &self.dom;
        let mut dated = vec![0u32; dom.len()];
        for (i, l) in self.blocks.lines.iter().enumerate() {
            if l.chars <= 40 && !l.ends_sentence && self.is_dated_line(i) {
                dated[l.block as usize] += 1;
            }
        }
        for id in (1..dom.len()).rev() {
            let p = dom.nodes[id].parent;
            if p != NONE {
                dated[p as usize] += dated[id];
            }
        }
        dated
    }
}

/// Candidates in descending score, the container `skip` and its subtree left out.
fn ranked(page: &Page, scores: &Scores, root: NodeId, skip: NodeId) -> Vec<NodeId> {
    let mut c: Vec<NodeId> = (root..scores.end[root as usize])
        .filter(|&id| page.dom.is(id, CANDIDATE) && !scores.contains(skip, id))
        .filter(|&id| {
            page.dom
                .name(id)
                .is_some_and(|n| n != "body" && n != "html")
        })
        .collect();
    c.sort_by(|a, b| {
        scores.score[*b as usize]
            .total_cmp(&scores.score[*a as usize])
            .then(a.cmp(b))
    });
    c
}

/// Reviews the best-scoring container `best` of `page` (see the module documentation).
pub(super) fn review(page: &Page, scores: &Scores, best: NodeId, root: NodeId) -> Review {
    let dom = &page.dom;
    let lines = &page.blocks.lines;
    let m = &page.meta;
    let titles = title::candidates(
        m.og_title.as_deref(),
        m.headline.as_deref(),
        m.title.as_deref(),
        m.site_name.as_deref(),
    );
    let mut notes = Vec::new();
    let mut implausible = false;
    let mut main = best;
    let page_chrome = scores.chrome[root as usize];
    // A wrapper of the whole page is not an alternative: it holds all the chrome.
    let not_wrapper = |id: NodeId| {
        page_chrome == 0
            || (scores.chrome[id as usize] as f32) < super::by_text::WEAK_SHARE * page_chrome as f32
    };

    // 1. Substance.
    if let Some(why) = page.insubstantial(scores, main, &titles) {
        let alt = ranked(page, scores, root, main)
            .into_iter()
            .filter(|&c| not_wrapper(c) && !scores.contains(c, main))
            .find(|&c| {
                scores.score[c as usize] > 0.0 && page.insubstantial(scores, c, &titles).is_none()
            })
            .or_else(|| {
                // No positive alternative: an element chrome pulled below zero may still be
                // the body (a short article with related links inside it).
                ranked(page, scores, root, main)
                    .into_iter()
                    .filter(|&c| not_wrapper(c) && !scores.contains(c, main))
                    .find(|&c| page.insubstantial(scores, c, &titles).is_none())
            });
        match alt {
            Some(c) => {
                notes.push(format!(
                    "{} {why}; {} (score {:.0}) has body text and was chosen instead",
                    label(dom, main),
                    label(dom, c),
                    scores.score[c as usize]
                ));
                main = c;
            }
            None => {
                implausible = true;
                notes.push(format!(
                    "{} {why}, and no other container holds body text",
                    label(dom, main)
                ));
            }
        }
    }

    // 2. Dated items: a thread's posts, or comments.
    let dated = page.dated_counts();
    let mut structure = false;
    if let Some((items, inside)) = dated_items(page, scores, &dated, main) {
        let first = items[0];
        let first_range = line_range(scores, lines, first);
        if is_thread(page, &titles, first_range.clone()) {
            structure = true;
            if !scores.contains(first, main) {
                // The first post's element of the same kind as the chosen one, or its best.
                let twin = (first..scores.end[first as usize])
                    .find(|&id| inside.is_some_and(|k| same_kind(dom, id, k)));
                let best_in = ranked(page, scores, first, NONE)
                    .into_iter()
                    .find(|&c| page.insubstantial(scores, c, &titles).is_none());
                let chosen = twin.or(best_in).unwrap_or(first);
                let at = |id: NodeId| line_range(scores, lines, id).start + 1;
                notes.push(format!(
                    "the page is a thread of {} dated posts and its headline opens the first: \
                     the article is the first post ({} at line {}), not a reply ({} at line {})",
                    items.len(),
                    label(dom, chosen),
                    at(chosen),
                    label(dom, main),
                    at(main)
                ));
                main = chosen;
            }
        } else {
            let list = dom.nodes[first as usize].parent;
            let alt = ranked(page, scores, root, list)
                .into_iter()
                .filter(|&c| not_wrapper(c) && !scores.contains(c, list))
                .find(|&c| page.insubstantial(scores, c, &titles).is_none());
            match alt {
                Some(c) => {
                    notes.push(format!(
                        "{} is among {} dated items (comments or replies) after the article; \
                         {} (score {:.0}) was chosen instead",
                        label(dom, main),
                        items.len(),
                        label(dom, c),
                        scores.score[c as usize]
                    ));
                    main = c;
                }
                None => notes.push(format!(
                    "{} is among {} dated items ({}, ...: comments or replies), and no \
                     container outside them holds body text",
                    label(dom, main),
                    items.len(),
                    label(dom, first)
                )),
            }
        }
    }

    // 3. A body split by advertisements or boxes.
    let mut regions = vec![main];
    if !structure {
        let parts = split_parts(page, scores, &dated, main);
        if !parts.is_empty() {
            notes.push(format!(
                "{} more part(s) of the body beside it, of the same kind ({}), separated only \
                 by blocks without prose",
                parts.len(),
                label(dom, main)
            ));
            regions.extend(parts);
            regions.sort_unstable();
        }
    }

    // 3b. A lead paragraph set apart right before the body.
    if !structure {
        if let Some(lead) = lead_before(page, scores, &dated, regions[0]) {
            notes.push(format!(
                "a lead of finished prose right before it ({})",
                label(dom, lead)
            ));
            regions.push(lead);
            regions.sort_unstable();
        }
    }

    // 4. The text view.
    let held = |regions: &[NodeId]| prose_share(page, scores, root, regions);
    let mut share = held(&regions);
    let mut text_view = None;
    let agreement = if structure {
        Agreement::Structure
    } else if share >= CLEAR_SHARE {
        Agreement::Clear
    } else {
        let t = TextVerdicts::of(page);
        if !t.decides() {
            text_view = Some(t.summary());
            Agreement::NoOpinion
        } else {
            let (agreement, view) = reconcile(
                page,
                scores,
                &t,
                &mut regions,
                &mut main,
                &titles,
                &not_wrapper,
            );
            share = held(&regions);
            text_view = Some(view);
            if agreement == Agreement::Corrected {
                notes.push(format!(
                    "the text view's article is in {}",
                    label(dom, main)
                ));
            }
            agreement
        }
    };
    Review {
        main,
        opinion: SecondOpinion {
            share,
            text_view,
            agreement,
            implausible,
            notes,
            regions: regions.clone(),
        },
        regions,
    }
}

/// Share of the page's prose (lines of prose outside noise-named elements, by weight)
/// that lies in `regions`.
fn prose_share(page: &Page, scores: &Scores, root: NodeId, regions: &[NodeId]) -> f32 {
    let dom = &page.dom;
    // Whether each element is inside a noise-named one (parents come before children).
    let mut noisy = vec![false; dom.len()];
    for id in root as usize + 1..scores.end[root as usize] as usize {
        let p = dom.nodes[id].parent;
        noisy[id] = matches!(scores.hint[id], Hint::Noise(_)) || (p != NONE && noisy[p as usize]);
    }
    let (mut page_w, mut held) = (0f32, 0f32);
    for l in &page.blocks.lines {
        let w = super::score::weight(l);
        if w <= 0.0 {
            continue;
        }
        // The container's own lines count even when a noise-named element holds it.
        if regions.iter().any(|&r| scores.contains(r, l.block)) {
            held += w;
            page_w += w;
        } else if !noisy[l.block as usize] {
            page_w += w;
        }
    }
    if page_w == 0.0 {
        1.0
    } else {
        held / page_w
    }
}

/// Compares the text view `t` with the regions; corrects them when the views are disjoint
/// and one element holds the text view's article, or when an element around the
/// container adds mostly that article. Returns the agreement and a summary of the view.
fn reconcile(
    page: &Page,
    scores: &Scores,
    t: &TextVerdicts,
    regions: &mut Vec<NodeId>,
    main: &mut NodeId,
    titles: &[String],
    not_wrapper: &impl Fn(NodeId) -> bool,
) -> (Agreement, String) {
    let dom = &page.dom;
    let lines = &page.blocks.lines;
    // Characters of the text view's article, per element (subtree sums).
    let mut in_text = vec![0u32; dom.len()];
    let mut total = 0u32;
    let mut inside = 0u32;
    let (mut first, mut last) = (usize::MAX, 0);
    for (i, l) in lines.iter().enumerate() {
        if t.decision(i) != Some(Decision::Article) {
            continue;
        }
        let c = l.chars - l.link_chars;
        in_text[l.block as usize] += c;
        total += c;
        first = first.min(i);
        last = last.max(i);
        if regions.iter().any(|&r| scores.contains(r, l.block)) {
            inside += c;
        }
    }
    for id in (1..dom.len()).rev() {
        let p = dom.nodes[id].parent;
        if p != NONE {
            in_text[p as usize] += in_text[id];
        }
    }
    let overlap = inside as f32 / total.max(1) as f32;
    let view = describe_view(first, last, total, overlap);
    if total == 0 || overlap >= AGREE_SHARE {
        return (Agreement::Agree, view);
    }
    // The smallest element holding most of the text view's article.
    let need = (COVER_SHARE * total as f32).ceil() as u32;
    let holder = (0..dom.len() as NodeId)
        .filter(|&id| dom.is(id, CANDIDATE) && in_text[id as usize] >= need)
        .min_by_key(|&id| (scores.end[id as usize] - id, id));
    let Some(e) = holder.filter(|&e| not_wrapper(e)) else {
        return (Agreement::Disagree, view);
    };
    let range = line_range(scores, lines, e);
    let body = page.body_of(scores, e, range);
    let precise = in_text[e as usize] as f32 >= PRECISION_SHARE * body.chars.max(1) as f32;
    let around = scores.contains(e, *main);
    let ok = precise
        && page.insubstantial(scores, e, titles).is_none()
        && (overlap < DISJOINT_SHARE || around);
    if ok {
        *main = e;
        *regions = vec![e];
        (Agreement::Corrected, view)
    } else {
        (Agreement::Disagree, view)
    }
}

fn describe_view(first: usize, last: usize, total: u32, overlap: f32) -> String {
    if total == 0 {
        return "no article lines".into();
    }
    format!(
        "article at lines {}-{} ({total} characters); {:.0}% of it inside the container",
        first + 1,
        last + 1,
        100.0 * overlap
    )
}

/// What the text view makes of `page`, compared with the containers `regions`: for
/// `rinse explain` when the extraction did not need to ask it.
pub fn text_view(page: &Page, regions: &[NodeId]) -> String {
    let t = TextVerdicts::of(page);
    if !t.decides() {
        return t.summary();
    }
    let scores = super::score::score(&page.dom, &page.blocks.lines);
    let (mut total, mut inside) = (0u32, 0u32);
    let (mut first, mut last) = (usize::MAX, 0);
    for (i, l) in page.blocks.lines.iter().enumerate() {
        if t.decision(i) != Some(Decision::Article) {
            continue;
        }
        let c = l.chars - l.link_chars;
        total += c;
        first = first.min(i);
        last = last.max(i);
        if regions.iter().any(|&r| scores.contains(r, l.block)) {
            inside += c;
        }
    }
    describe_view(first, last, total, inside as f32 / total.max(1) as f32)
}

/// The dated items the container `main` is one of (or holds): sibling elements of one
/// kind, at least two, each with a dated line and more than one line. Returns the items in
/// order and, when `main` is inside one of them, `main` (to find its like in another).
fn dated_items(
    page: &Page,
    scores: &Scores,
    dated: &[u32],
    main: NodeId,
) -> Option<(Vec<NodeId>, Option<NodeId>)> {
    let dom = &page.dom;
    let lines = &page.blocks.lines;
    // A post: a dated header and a body of its own besides it.
    let post = |id: NodeId| {
        dated[id as usize] > 0 && {
            let range = line_range(scores, lines, id);
            range
                .filter(|&i| scores.contains(id, lines[i].block))
                .any(|i| page.is_body_line(i) && !page.is_dated_line(i))
        }
    };
    let items_like = |a: NodeId| -> Vec<NodeId> {
        let p = dom.nodes[a as usize].parent;
        if p == NONE {
            return Vec::new();
        }
        dom.children(p)
            .filter(|&c| same_kind(dom, c, a) && post(c))
            .collect()
    };
    // The container is a list of posts: most of its prose in dated children of one kind.
    let kids: Vec<NodeId> = dom.children(main).filter(|&c| post(c)).collect();
    if let Some(&k) = kids.first() {
        let items = items_like(k);
        let prose: u32 = items.iter().map(|&i| scores.prose[i as usize]).sum();
        if items.len() >= 2 && prose as f32 >= 0.6 * scores.prose[main as usize] as f32 {
            return Some((items, None));
        }
    }
    // The container is inside one post.
    let mut a = main;
    while a != NONE && a != 0 {
        if dated[a as usize] > 0 {
            let items = items_like(a);
            if items.len() >= 2 && items.contains(&a) {
                return Some((items, Some(main)));
            }
        }
        a = dom.nodes[a as usize].parent;
    }
    None
}

/// Whether the items starting at line range `first` (the first item) are a thread: the
/// headline is in the first item, or just before it.
fn is_thread(page: &Page, titles: &[String], first: std::ops::Range<usize>) -> bool {
    let lines = &page.blocks.lines;
    let headline = (0..first.end).find(|&i| {
        let l = &lines[i];
        !l.hidden
            && l.chars <= 200
            && title::similarity(page.blocks.line(i), titles) >= TITLE_SIMILARITY
    });
    let Some(h) = headline else { return false };
    if first.contains(&h) {
        return true;
    }
    let gap = (h + 1..first.start)
        .filter(|&i| {
            let l = &lines[i];
            !l.hidden && l.kind != BlockKind::Image && l.chars >= 2 && l.link_chars * 2 <= l.chars
        })
        .count();
    gap <= THREAD_GAP_LINES
}

/// Siblings of `main` of its kind that hold prose and no dated line, separated from it
/// only by siblings without prose or named as noise: parts of one body.
fn split_parts(page: &Page, scores: &Scores, dated: &[u32], main: NodeId) -> Vec<NodeId> {
    let dom = &page.dom;
    let parent = dom.nodes[main as usize].parent;
    // Parts of one body carry the same class; unnamed blocks are too common to pair.
    let named = dom
        .attr(main, "class")
        .is_some_and(|c| !c.trim().is_empty());
    if parent == NONE || dated[main as usize] > 0 || !named {
        return Vec::new();
    }
    let kids: Vec<NodeId> = dom.children(parent).collect();
    let Some(at) = kids.iter().position(|&k| k == main) else {
        return Vec::new();
    };
    let mut parts = Vec::new();
    let mut scan = |order: &mut dyn Iterator<Item = &NodeId>| {
        for &k in order {
            if dom.name(k).is_none() {
                if dom.text(k).is_some_and(|t| !t.trim().is_empty()) {
                    break; // prose between the parts: not a split body
                }
                continue;
            }
            let part = same_kind(dom, k, main)
                && dated[k as usize] == 0
                && page
                    .body_of(scores, k, line_range(scores, &page.blocks.lines, k))
                    .chars
                    >= MIN_BODY_CHARS;
            if part {
                parts.push(k);
            } else if scores.prose[k as usize] > 0
                && !matches!(scores.hint[k as usize], Hint::Noise(_))
            {
                break;
            }
        }
    };
    scan(&mut kids[at + 1..].iter());
    scan(&mut kids[..at].iter().rev());
    parts
}

/// The element right before `main` when it is a lead set apart from the body: a gallery's
/// introduction above its photo list, a 导语 box above the paragraphs. Only white space may
/// separate the two, and every line of the lead is finished, visible prose outside links
/// (a teaser cut off with "……", a byline, a caption or a link list is not a lead).
fn lead_before(page: &Page, scores: &Scores, dated: &[u32], main: NodeId) -> Option<NodeId> {
    let dom = &page.dom;
    let k = dom.adjacent_element(main, Side::Before)?;
    if dated[k as usize] > 0 || matches!(scores.hint[k as usize], Hint::Noise(_)) {
        return None;
    }
    let lines = &page.blocks.lines;
    let range = line_range(scores, lines, k);
    if range.is_empty() || range.len() > MAX_LEAD_LINES {
        return None;
    }
    let chars: u32 = range.clone().map(|i| lines[i].chars).sum();
    let prose = range
        .into_iter()
        .all(|i| page.is_body_line(i) && lines[i].ends_sentence);
    (prose && chars >= MIN_BODY_CHARS).then_some(k)
}
