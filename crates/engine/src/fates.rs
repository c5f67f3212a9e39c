//! Which lines are dropped, and why: runs of whole lines, each charged to a cause.
//!
//! Kept lines are not stored, so the record is as small as the number of dropped runs:
//! adjacent drops with one cause make one run, whatever position each was decided at.

use std::collections::BTreeMap;

/// Why lines were dropped: a rule or built-in stage and, for stages, the reason.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cause {
    /// Index of the rule (or stage) in the rule set.
    pub rule: usize,
    /// For stages: why this block went (e.g. "outside the main content").
    pub reason: Option<String>,
}

/// A dropped run: where it ends, its cause, and for a rule decided by a zone the
/// position of the run's first line when it was decided.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Run {
    pub end: usize,
    pub cause: u32,
    pub position: Option<f64>,
}

/// Dropped lines as disjoint byte ranges of whole lines, each with its cause.
#[derive(Debug, Default)]
pub(crate) struct Fates {
    /// Start of a run -> the run.
    runs: BTreeMap<usize, Run>,
    /// Every distinct cause once, so a document dropping a million lines for one reason
    /// holds one cause.
    causes: Vec<Cause>,
    index: std::collections::HashMap<(usize, Option<String>), u32>,
}

impl Fates {
    /// The cause for `rule` with `reason` (one per distinct pair).
    pub fn cause(&mut self, rule: usize, reason: Option<String>) -> u32 {
        let next = self.causes.len() as u32;
        let key = (rule, reason);
        if let Some(&c) = self.index.get(&key) {
            return c;
        }
        self.causes.push(Cause {
            rule,
            reason: key.1.clone(),
        });
        self.index.insert(key, next);
        next
    }

    /// The cause `c`.
    pub fn get(&self, c: u32) -> &Cause {
        &self.causes[c as usize]
    }

    /// The cause of the dropped line starting at `start`, if it was dropped.
    pub fn dropped(&self, start: usize) -> Option<u32> {
        self.run_at(start).map(|(_, r)| r.cause)
    }

    /// The dropped run holding byte `at`: (its start, the run).
    pub fn run_at(&self, at: usize) -> Option<(usize, Run)> {
        self.runs
            .range(..=at)
            .next_back()
            .filter(|(_, r)| at < r.end)
            .map(|(&s, &r)| (s, r))
    }

    /// Drops the lines in `start..end` (whole lines, none of them dropped yet) for
    /// `cause`, decided at `position` when a zone decided it.
    pub fn drop_range(&mut self, start: usize, end: usize, cause: u32, position: Option<f64>) {
        if start >= end {
            return;
        }
        // Extend the run that ends here, when it has the same cause.
        if let Some((&s, run)) = self.runs.range_mut(..start).next_back() {
            if run.end == start && run.cause == cause {
                run.end = end;
                self.join_next(s, end);
                return;
            }
        }
        self.runs.insert(
            start,
            Run {
                end,
                cause,
                position,
            },
        );
        self.join_next(start, end);
    }

    /// Merges the run starting at `end` into the run at `start` (which ends there), when
    /// their causes agree; the merged run keeps the first one's position.
    fn join_next(&mut self, start: usize, end: usize) {
        let cause = self.runs[&start].cause;
        if let Some(&next) = self.runs.get(&end) {
            if next.cause == cause {
                self.runs.remove(&end);
                if let Some(run) = self.runs.get_mut(&start) {
                    run.end = next.end;
                }
            }
        }
    }

    /// Drops every line in `start..end` that is not dropped yet; dropped lines keep their
    /// cause. `start` and `end` are line boundaries.
    pub fn drop_gaps(&mut self, start: usize, end: usize, cause: u32, position: Option<f64>) {
        let mut gaps = Vec::new();
        let mut pos = start;
        if let Some((_, r)) = self.runs.range(..start).next_back() {
            pos = pos.max(r.end);
        }
        for (&s, r) in self.runs.range(start..end) {
            if s > pos {
                gaps.push((pos, s));
            }
            pos = pos.max(r.end);
        }
        if pos < end {
            gaps.push((pos, end));
        }
        for (s, e) in gaps {
            self.drop_range(s, e, cause, position);
        }
    }

    /// Drops every line in `start..end` for `cause`, whatever dropped it before (a footer
    /// marker explains everything after it). `start` and `end` are line boundaries.
    pub fn drop_all(&mut self, start: usize, end: usize, cause: u32, position: Option<f64>) {
        if let Some((&s, r)) = self.runs.range(..start).next_back() {
            if r.end > start {
                // A run straddling `start` keeps its part before it.
                let kept = Run { end: start, ..*r };
                self.runs.insert(s, kept);
            }
        }
        let inside: Vec<usize> = self.runs.range(start..end).map(|(&s, _)| s).collect();
        for s in inside {
            let r = self.runs.remove(&s).expect("listed");
            if r.end > end {
                self.runs.insert(end, r);
            }
        }
        self.drop_range(start, end, cause, position);
    }

    /// All runs in order: (start, run).
    pub fn runs(&self) -> impl Iterator<Item = (usize, Run)> + '_ {
        self.runs.iter().map(|(&s, &r)| (s, r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(f: &Fates) -> Vec<(usize, usize, u32)> {
        f.runs().map(|(s, r)| (s, r.end, r.cause)).collect()
    }

    #[test]
    fn runs_merge_and_gaps_fill() {
        let mut f = Fates::default();
        let a = f.cause(1, None);
        let b = f.cause(2, None);
        assert_eq!(f.cause(1, None), a);
        f.drop_range(0, 5, a, None);
        f.drop_range(5, 9, a, None);
        f.drop_range(12, 15, b, None);
        assert_eq!(spans(&f), [(0, 9, a), (12, 15, b)]);
        assert_eq!(f.dropped(4), Some(a));
        assert_eq!(f.dropped(9), None);
        f.drop_gaps(3, 20, b, None);
        assert_eq!(
            spans(&f),
            [(0, 9, a), (9, 20, b)],
            "gap 9..12 joins the run of b"
        );
        let r = f.cause(3, Some("why".into()));
        assert_eq!(f.cause(3, Some("why".into())), r);
        assert_ne!(f.cause(3, Some("other".into())), r);
    }

    #[test]
    fn drops_decided_at_different_positions_make_one_run() {
        let mut f = Fates::default();
        let a = f.cause(1, None);
        // Bottom-up: the lower line first, then the one above it.
        f.drop_range(10, 20, a, Some(0.9));
        f.drop_range(0, 10, a, Some(0.8));
        let runs: Vec<_> = f.runs().collect();
        assert_eq!(runs.len(), 1, "{runs:?}");
        assert_eq!(runs[0].0, 0);
        assert_eq!(runs[0].1.end, 20);
        assert_eq!(runs[0].1.position, Some(0.8), "the first line's position");
    }
}
