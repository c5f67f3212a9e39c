//! Character-level scoring of cleaned bodies against gold bodies.
//!
//! Same method as `eval/score.py` in the shared samples: white space is removed, lines
//! are aligned with a longest-matching-block diff (Ratcliff/Obershelp, no junk heuristic),
//! and lines that differ are compared character by character. Precision is the share of
//! kept characters that belong to the gold body; recall the share of gold characters kept.

use std::collections::HashMap;
use std::hash::Hash;
use std::path::Path;

use serde::Serialize;

/// Score of one document.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DocScore {
    /// File name of the gold body.
    pub doc: String,
    /// Share of output characters that belong to the gold body.
    pub precision: f64,
    /// Share of gold characters found in the output.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Characters kept that are not in the gold body.
    pub noise_kept: usize,
    /// Gold characters missing from the output.
    pub content_lost: usize,
    /// Whether a cleaned file was found for this gold body.
    pub found: bool,
}

/// Scores of a folder, with micro-averaged totals.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    /// Per document, sorted by name.
    pub docs: Vec<DocScore>,
    /// Micro-averaged precision over all characters.
    pub precision: f64,
    /// Micro-averaged recall over all characters.
    pub recall: f64,
    /// Harmonic mean of the totals.
    pub f1: f64,
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

/// Longest common block of `a[alo..ahi]` and `b[blo..bhi]`: earliest in `a`, then in `b`.
fn longest_match<T: Eq + Hash>(
    a: &[T],
    b2j: &HashMap<&T, Vec<usize>>,
    (alo, ahi, blo, bhi): (usize, usize, usize, usize),
) -> (usize, usize, usize) {
    let (mut bi, mut bj, mut bk) = (alo, blo, 0);
    let mut j2len: HashMap<usize, usize> = HashMap::new();
    for (i, x) in a.iter().enumerate().take(ahi).skip(alo) {
        let mut next = HashMap::new();
        if let Some(js) = b2j.get(x) {
            for &j in js {
                if j < blo {
                    continue;
                }
                if j >= bhi {
                    break;
                }
                let k = j
                    .checked_sub(1)
                    .and_then(|p| j2len.get(&p))
                    .copied()
                    .unwrap_or(0)
                    + 1;
                next.insert(j, k);
                if k > bk {
                    (bi, bj, bk) = (i + 1 - k, j + 1 - k, k);
                }
            }
        }
        j2len = next;
    }
    (bi, bj, bk)
}

/// Matching blocks `(i, j, len)` of `a` and `b`, sorted.
pub fn matching_blocks<T: Eq + Hash>(a: &[T], b: &[T]) -> Vec<(usize, usize, usize)> {
    let mut b2j: HashMap<&T, Vec<usize>> = HashMap::new();
    for (j, x) in b.iter().enumerate() {
        b2j.entry(x).or_default().push(j);
    }
    let mut queue = vec![(0, a.len(), 0, b.len())];
    let mut blocks = Vec::new();
    while let Some(q) = queue.pop() {
        let (i, j, k) = longest_match(a, &b2j, q);
        if k > 0 {
            blocks.push((i, j, k));
            if q.0 < i && q.2 < j {
                queue.push((q.0, i, q.2, j));
            }
            if i + k < q.1 && j + k < q.3 {
                queue.push((i + k, q.1, j + k, q.3));
            }
        }
    }
    blocks.sort_unstable();
    blocks
}

fn squeezed_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.chars().filter(|c| !c.is_whitespace()).collect::<String>())
        .filter(|l| !l.is_empty())
        .collect()
}

/// `(matched, gold_chars, output_chars)` for one document.
pub fn matched_chars(gold: &str, out: &str) -> (usize, usize, usize) {
    let g = squeezed_lines(gold);
    let o = squeezed_lines(out);
    let len = |v: &[String]| v.iter().map(|l| l.chars().count()).sum::<usize>();
    let mut same = 0;
    let (mut i, mut j) = (0, 0);
    let mut blocks = matching_blocks(&g, &o);
    blocks.push((g.len(), o.len(), 0));
    for (ai, bj, size) in blocks {
        if i < ai && j < bj {
            let a: Vec<char> = g[i..ai].concat().chars().collect();
            let b: Vec<char> = o[j..bj].concat().chars().collect();
            same += matching_blocks(&a, &b).iter().map(|m| m.2).sum::<usize>();
        }
        same += len(&g[ai..ai + size]);
        (i, j) = (ai + size, bj + size);
    }
    (same, len(&g), len(&o))
}

/// Scores one gold/output pair.
pub fn score(doc: &str, gold: &str, out: Option<&str>) -> DocScore {
    let (same, ng, no) = matched_chars(gold, out.unwrap_or(""));
    let p = if no > 0 { same as f64 / no as f64 } else { 0.0 };
    let r = if ng > 0 { same as f64 / ng as f64 } else { 1.0 };
    DocScore {
        doc: doc.to_string(),
        precision: p,
        recall: r,
        f1: f1(p, r),
        noise_kept: no - same,
        content_lost: ng - same,
        found: out.is_some(),
    }
}

/// Scores every `GOLD/NAME.txt` against `CLEANED/NAME.txt` (a missing file scores as empty).
pub fn eval_dirs(gold: &Path, cleaned: &Path) -> std::io::Result<Report> {
    let mut names: Vec<_> = std::fs::read_dir(gold)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    let (mut s, mut ng, mut no) = (0, 0, 0);
    let mut docs = Vec::new();
    for gp in names {
        let name = gp.file_name().unwrap().to_string_lossy().to_string();
        let gold_text = std::fs::read_to_string(&gp)?;
        let out = std::fs::read(cleaned.join(&name))
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned());
        let (same, g, o) = matched_chars(&gold_text, out.as_deref().unwrap_or(""));
        (s, ng, no) = (s + same, ng + g, no + o);
        docs.push(score(&name, &gold_text, out.as_deref()));
    }
    let p = if no > 0 { s as f64 / no as f64 } else { 0.0 };
    let r = if ng > 0 { s as f64 / ng as f64 } else { 0.0 };
    Ok(Report {
        docs,
        precision: p,
        recall: r,
        f1: f1(p, r),
    })
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for d in &self.docs {
            writeln!(
                f,
                "{:<40} P={:.3} R={:.3} F1={:.3}  noise_kept={} content_lost={}{}",
                d.doc,
                d.precision,
                d.recall,
                d.f1,
                d.noise_kept,
                d.content_lost,
                if d.found { "" } else { "  (missing)" }
            )?;
        }
        write!(
            f,
            "TOTAL docs={} P={:.4} R={:.4} F1={:.4}",
            self.docs.len(),
            self.precision,
            self.recall,
            self.f1
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_and_empty() {
        assert_eq!(matched_chars("甲乙\n丙", "甲乙\n丙"), (3, 3, 3));
        assert_eq!(matched_chars("甲乙", ""), (0, 2, 0));
    }

    #[test]
    fn partial_line_scores_by_characters() {
        // One noise line kept, one gold line altered in the middle.
        let (same, g, o) = matched_chars("标题\n正文内容甲乙\n", "标题\n正文内容甲丙乙\n广告\n");
        assert_eq!((same, g, o), (8, 8, 11));
    }

    #[test]
    fn blocks_prefer_earliest_longest() {
        assert_eq!(matching_blocks(&[1, 2, 3, 1, 2], &[1, 2]), vec![(0, 0, 2)]);
    }
}
