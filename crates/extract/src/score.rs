//! Container scores: which element holds the article.
//!
//! Every line of block text weighs for or against the elements that hold it: prose
//! (text with sentence punctuation, not link text) counts its characters for, link text
//! and short unpunctuated fragments (menu items, labels, dates) count against. An
//! element's score is the weight of its lines, with the text of any noise-named child
//! (`comment`, `share`, `footer`, ...) counted against it as a whole, and its own name
//! scaling the result (`article-content` up, `sidebar` down). The main container is the
//! element with the highest score: adding chrome to a container only lowers it, adding
//! article text raises it, so the best one holds all of the article and little else. This
//! is a maximum-weight subtree; one bottom-up pass computes it for every element.

use super::blocks::{BlockKind, Line};
use super::dom::{Dom, NodeId, NONE};
use super::hints::{hint, Hint};
use super::tags::{CANDIDATE, SKIPPED};

/// Scores of every node, indexed by node id.
#[derive(Debug, Default)]
pub struct Scores {
    /// Final score (weight scaled by the element's own hint).
    pub score: Vec<f32>,
    /// Characters of prose inside (noise children excluded).
    pub prose: Vec<u32>,
    /// Characters weighing against inside (noise children included).
    pub chrome: Vec<u32>,
    /// The element's hint.
    pub hint: Vec<Hint>,
    /// One past the last node of each node's subtree (subtrees are contiguous).
    pub end: Vec<NodeId>,
}

/// Factor for an element named as the article body.
const CONTENT_BOOST: f32 = 1.25;
/// Factor for an element named as noise.
const NOISE_DAMP: f32 = 0.25;
/// What a child's weight is worth to its parent: the container nearest to the paragraphs
/// wins over wrappers that add little (readability credits a paragraph's parent fully
/// and its grandparent half; this decays smoothly instead).
const DECAY: f32 = 0.9;

/// How a line weighs: positive for prose, negative for chrome, 0 for images.
pub fn weight(l: &Line) -> f32 {
    if l.hidden || l.kind == BlockKind::Image {
        return 0.0;
    }
    let own = l.chars.saturating_sub(l.link_chars) as f32;
    if l.link_chars * 2 > l.chars {
        return -(l.chars as f32);
    }
    if is_prose(l) {
        // Teasers and excerpts stop mid-sentence; article paragraphs end theirs.
        if l.ends_sentence || l.kind == BlockKind::Code {
            own
        } else {
            0.5 * own
        }
    } else {
        // Labels, dates, menu words: likely chrome, but body text has short lines too.
        -0.5 * own - l.link_chars as f32
    }
}

/// A line of prose: some text with sentence punctuation, code, or a line of a run of
/// short lines written as prose (see [`super::blocks::mark_short_runs`]).
pub fn is_prose(l: &Line) -> bool {
    let own = l.chars.saturating_sub(l.link_chars);
    l.kind == BlockKind::Code
        || l.short_run
        || (l.punct >= 1 && own >= 8 && l.link_chars * 2 <= l.chars)
}

/// Scores every element of `dom` from the lines of its block text.
pub fn score(dom: &Dom, lines: &[Line]) -> Scores {
    let n = dom.len();
    let mut weight_in = vec![0f32; n];
    let mut prose = vec![0u32; n];
    let mut chrome = vec![0u32; n];
    let mut total = vec![0u32; n];
    for l in lines {
        let b = l.block as usize;
        let w = weight(l);
        weight_in[b] += w;
        if w > 0.0 {
            prose[b] += w as u32;
        } else if w < 0.0 {
            chrome[b] += (-w) as u32;
        }
        if l.kind != BlockKind::Image && !l.hidden {
            total[b] += l.chars;
        }
    }
    let mut hints = vec![Hint::None; n];
    let mut score = vec![0f32; n];
    let mut end: Vec<NodeId> = (0..n as NodeId).map(|i| i + 1).collect();
    for id in (0..n).rev() {
        let node = &dom.nodes[id];
        if node.parent != NONE {
            let p = node.parent as usize;
            end[p] = end[p].max(end[id]);
        }
        if dom.is(id as NodeId, SKIPPED) {
            continue;
        }
        if dom.name(id as NodeId).is_some() {
            hints[id] = hint(dom, id as NodeId);
        }
        let w = weight_in[id];
        score[id] = match hints[id] {
            Hint::Content if w > 0.0 => w * CONTENT_BOOST,
            Hint::Noise(_) if w > 0.0 => w * NOISE_DAMP,
            _ => w,
        };
        let p = node.parent;
        if p == NONE {
            continue;
        }
        let p = p as usize;
        total[p] += total[id];
        if let Hint::Noise(_) = hints[id] {
            // A noise-named child counts against its parent as a whole.
            weight_in[p] -= total[id] as f32;
            chrome[p] += total[id];
        } else {
            weight_in[p] += DECAY * weight_in[id];
            prose[p] += prose[id];
            chrome[p] += chrome[id];
        }
    }
    Scores {
        score,
        prose,
        chrome,
        hint: hints,
        end,
    }
}

impl Scores {
    /// Whether `id` is inside the subtree of `root` (or is `root`).
    pub fn contains(&self, root: NodeId, id: NodeId) -> bool {
        root <= id && id < self.end[root as usize]
    }

    /// The best-scoring element inside `root` (inclusive), preferring the deeper one on
    /// ties.
    pub fn best(&self, dom: &Dom, root: NodeId) -> Option<NodeId> {
        let mut best: Option<NodeId> = None;
        for id in root..self.end[root as usize] {
            if !dom.is(id, CANDIDATE) || self.score[id as usize] <= 0.0 {
                continue;
            }
            if best.is_none_or(|b| self.score[id as usize] >= self.score[b as usize]) {
                best = Some(id);
            }
        }
        best
    }

    /// The best-scoring element inside `root` that neither contains `chosen` nor is
    /// inside it.
    pub fn runner_up(&self, dom: &Dom, root: NodeId, chosen: NodeId) -> Option<NodeId> {
        let mut best: Option<NodeId> = None;
        for id in root..self.end[root as usize] {
            if !dom.is(id, CANDIDATE)
                || self.score[id as usize] <= 0.0
                || self.contains(id, chosen)
                || self.contains(chosen, id)
            {
                continue;
            }
            if best.is_none_or(|b| self.score[id as usize] > self.score[b as usize]) {
                best = Some(id);
            }
        }
        best
    }
}
