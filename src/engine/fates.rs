//! Which lines are dropped, and why: runs of whole lines, each charged to a cause.
//!
//! Kept lines are not stored, so the record is as small as the number of dropped runs.

use std::collections::BTreeMap;

/// Why lines were dropped: a rule or built-in stage and, for stages, the reason.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cause {
    /// Index of the rule (or stage) in the rule set.
    pub rule: usize,
    /// For stages: why this block went (e.g. "outside the main content").
    pub reason: Option<String>,
    /// For rules decided by a zone: the line's position when decided.
    pub position: Option<f64>,
}

/// Dropped lines as disjoint byte ranges of whole lines, each with its cause.
#[derive(Debug, Default)]
pub(crate) struct Fates {
    /// Start of a run -> (end of the run, cause).
    runs: BTreeMap<usize, (usize, u32)>,
    causes: Vec<Cause>,
    /// The cause without a reason of each rule, so adjacent drops by one rule merge.
    plain: Vec<(usize, u32)>,
}

impl Fates {
    /// The cause for `rule` with `reason` and `position` (one shared cause per rule
    /// without either, so adjacent drops by one rule make one edit).
    pub fn cause(&mut self, rule: usize, reason: Option<String>, position: Option<f64>) -> u32 {
        let plain = reason.is_none() && position.is_none();
        if plain {
            if let Some(&(_, c)) = self.plain.iter().find(|(r, _)| *r == rule) {
                return c;
            }
        } else if let Some(last) = self.causes.last() {
            if last.rule == rule && last.reason == reason && last.position == position {
                return (self.causes.len() - 1) as u32;
            }
        }
        self.causes.push(Cause {
            rule,
            reason,
            position,
        });
        let c = (self.causes.len() - 1) as u32;
        if plain {
            self.plain.push((rule, c));
        }
        c
    }

    /// The cause `c`.
    pub fn get(&self, c: u32) -> &Cause {
        &self.causes[c as usize]
    }

    /// The cause of the dropped line starting at `start`, if it was dropped.
    pub fn dropped(&self, start: usize) -> Option<u32> {
        self.run_at(start).map(|(_, c)| c)
    }

    /// The dropped run holding byte `at`: (its end, its cause).
    pub fn run_at(&self, at: usize) -> Option<(usize, u32)> {
        self.runs
            .range(..=at)
            .next_back()
            .filter(|(_, &(end, _))| at < end)
            .map(|(_, &r)| r)
    }

    /// Drops the lines in `start..end` (whole lines, none of them dropped yet).
    pub fn drop_range(&mut self, start: usize, end: usize, cause: u32) {
        if start >= end {
            return;
        }
        // Extend the run that ends here, when it has the same cause.
        if let Some((_, run)) = self.runs.range_mut(..start).next_back() {
            if run.0 == start && run.1 == cause {
                run.0 = end;
                self.join_next(start, end, cause);
                return;
            }
        }
        self.runs.insert(start, (end, cause));
        self.join_next(start, end, cause);
    }

    /// Merges the run starting at `end` into the one ending there, when causes agree.
    fn join_next(&mut self, _start: usize, end: usize, cause: u32) {
        if let Some(&(next_end, c)) = self.runs.get(&end) {
            if c == cause {
                self.runs.remove(&end);
                if let Some((_, run)) = self.runs.range_mut(..end).next_back() {
                    run.0 = next_end;
                }
            }
        }
    }

    /// Drops every line in `start..end` that is not dropped yet; dropped lines keep their
    /// cause. `start` and `end` are line boundaries.
    pub fn drop_gaps(&mut self, start: usize, end: usize, cause: u32) {
        let mut gaps = Vec::new();
        let mut pos = start;
        if let Some((_, &(e, _))) = self.runs.range(..start).next_back() {
            pos = pos.max(e);
        }
        for (&s, &(e, _)) in self.runs.range(start..end) {
            if s > pos {
                gaps.push((pos, s));
            }
            pos = pos.max(e);
        }
        if pos < end {
            gaps.push((pos, end));
        }
        for (s, e) in gaps {
            self.drop_range(s, e, cause);
        }
    }

    /// Drops every line in `start..end` for `cause`, whatever dropped it before (a footer
    /// marker explains everything after it). `start` and `end` are line boundaries.
    pub fn drop_all(&mut self, start: usize, end: usize, cause: u32) {
        if let Some((&s, &(e, c))) = self.runs.range(..start).next_back() {
            if e > start {
                // A run straddling `start` keeps its part before it.
                self.runs.insert(s, (start, c));
            }
        }
        let inside: Vec<usize> = self.runs.range(start..end).map(|(&s, _)| s).collect();
        for s in inside {
            let (e, c) = self.runs.remove(&s).expect("listed");
            if e > end {
                self.runs.insert(end, (e, c));
            }
        }
        self.drop_range(start, end, cause);
    }

    /// All runs in order: (start, end, cause).
    pub fn runs(&self) -> impl Iterator<Item = (usize, usize, u32)> + '_ {
        self.runs.iter().map(|(&s, &(e, c))| (s, e, c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_merge_and_gaps_fill() {
        let mut f = Fates::default();
        let a = f.cause(1, None, None);
        let b = f.cause(2, None, None);
        assert_eq!(f.cause(1, None, None), a);
        f.drop_range(0, 5, a);
        f.drop_range(5, 9, a);
        f.drop_range(12, 15, b);
        assert_eq!(f.runs().collect::<Vec<_>>(), [(0, 9, a), (12, 15, b)]);
        assert_eq!(f.dropped(4), Some(a));
        assert_eq!(f.dropped(9), None);
        f.drop_gaps(3, 20, b);
        assert_eq!(
            f.runs().collect::<Vec<_>>(),
            [(0, 9, a), (9, 20, b)],
            "gap 9..12 joins the run of b"
        );
        let r = f.cause(3, Some("why".into()), None);
        assert_eq!(f.cause(3, Some("why".into()), None), r);
        assert_ne!(f.cause(3, Some("other".into()), None), r);
    }
}
