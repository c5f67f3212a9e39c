//! Comparing a fresh cleaning run against a committed snapshot (`cleaned/`): which
//! documents would change, how their bodies differ, and which rules account for it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use similar::{ChangeTag, DiffTag, TextDiff};

use crate::engine::Edit;
use crate::provenance::Provenance;

/// How one document's output would change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// No snapshot exists for it yet.
    New,
    /// The body would change.
    Body,
    /// The body is the same but the recorded edits (rules, spans) or metadata differ.
    Provenance,
}

/// One document whose output would change.
#[derive(Debug, Clone)]
pub struct Change {
    /// What changes.
    pub kind: Kind,
    /// Body lines only in the snapshot / only in the new output.
    pub lines_removed: usize,
    /// Body lines only in the new output.
    pub lines_added: usize,
    /// Edit count per rule, new minus old, for rules whose count changed.
    pub rules: Vec<(String, i64)>,
    /// The short per-document diff, rendered (ends in a newline, may be empty).
    pub diff: String,
}

fn edits_of(json: Option<&str>) -> Option<Provenance> {
    serde_json::from_str::<Provenance>(json?).ok()
}

fn counts(edits: &[Edit]) -> BTreeMap<&str, i64> {
    let mut m = BTreeMap::new();
    for e in edits {
        *m.entry(e.rule.as_str()).or_insert(0) += 1;
    }
    m
}

/// The rule that removed `line` (a body line) according to `edits`, if any edit's removed
/// text contains it.
fn remover<'a>(edits: &'a [Edit], line: &str) -> Option<&'a str> {
    let t = line.trim();
    if t.is_empty() {
        return None;
    }
    edits
        .iter()
        .filter(|e| !super::is_whitespace_edit(e))
        .find(|e| e.removed.contains(t))
        .map(|e| e.rule.as_str())
}

/// Options for [`compare`].
#[derive(Debug, Clone, Copy)]
pub struct CompareOptions {
    /// ANSI colours in the rendered diff.
    pub color: bool,
    /// Most changed lines shown per document before `… N more` is printed.
    pub max_lines: usize,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            color: false,
            max_lines: 12,
        }
    }
}

/// Compares the snapshot of a document (`old_body`/`old_prov`, `None` when absent) with a
/// fresh result. Returns `None` when the output would not change in body, edits or
/// metadata (the rule-set fingerprint alone is ignored: every rule edit changes it).
pub fn compare(
    old_body: Option<&str>,
    old_prov: Option<&str>,
    new_body: &str,
    new_prov: &str,
    opts: CompareOptions,
) -> Option<Change> {
    let new_p = edits_of(Some(new_prov));
    let new_edits: &[Edit] = new_p.as_ref().map_or(&[], |p| &p.edits);
    let Some(old_body) = old_body else {
        return Some(Change {
            kind: Kind::New,
            lines_removed: 0,
            lines_added: new_body.lines().count(),
            rules: Vec::new(),
            diff: String::new(),
        });
    };
    let old_p = edits_of(old_prov);
    let old_edits: &[Edit] = old_p.as_ref().map_or(&[], |p| &p.edits);
    let prov_same = match (&old_p, &new_p) {
        (Some(o), Some(n)) => o.edits == n.edits && o.metadata == n.metadata,
        _ => old_prov == Some(new_prov),
    };
    if old_body == new_body && prov_same {
        return None;
    }
    let (oc, nc) = (counts(old_edits), counts(new_edits));
    let mut rules: Vec<(String, i64)> = oc
        .keys()
        .chain(nc.keys())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .filter_map(|r| {
            let d = nc.get(r).copied().unwrap_or(0) - oc.get(r).copied().unwrap_or(0);
            (d != 0).then(|| (r.to_string(), d))
        })
        .collect();
    rules.sort_by(|a, b| b.1.abs().cmp(&a.1.abs()).then(a.0.cmp(&b.0)));

    let diff = TextDiff::from_lines(old_body, new_body);
    let (mut removed, mut added) = (0, 0);
    for op in diff.ops() {
        for ch in diff.iter_changes(op) {
            match ch.tag() {
                ChangeTag::Delete => removed += 1,
                ChangeTag::Insert => added += 1,
                ChangeTag::Equal => {}
            }
        }
    }
    let mut out = String::new();
    let mut shown = 0;
    let (red, green, dim, cyan, reset) = if opts.color {
        ("\x1b[31m", "\x1b[32m", "\x1b[2m", "\x1b[36m", "\x1b[0m")
    } else {
        ("", "", "", "", "")
    };
    let old_all: Vec<&str> = old_body.lines().collect();
    let new_all: Vec<&str> = new_body.lines().collect();
    'groups: for group in diff.grouped_ops(1) {
        let first = &group[0];
        let _ = writeln!(
            out,
            "  {cyan}@@ snapshot line {} / new line {}{reset}",
            first.old_range().start + 1,
            first.new_range().start + 1
        );
        for op in &group {
            let (tag, or, nr) = op.as_tag_tuple();
            let old_lines = &old_all[or.start.min(old_all.len())..or.end.min(old_all.len())];
            let new_lines = &new_all[nr.start.min(new_all.len())..nr.end.min(new_all.len())];
            if tag == DiffTag::Equal {
                for l in old_lines {
                    let _ = writeln!(out, "  {dim}  {}{reset}", super::diff::visible(l));
                }
                continue;
            }
            let paired = tag == DiffTag::Replace && old_lines.len() == new_lines.len();
            for (k, l) in old_lines.iter().enumerate() {
                if shown >= opts.max_lines {
                    break 'groups;
                }
                shown += 1;
                let text = if paired {
                    inline(l, new_lines[k], true, opts.color)
                } else {
                    super::diff::visible(l).into_owned()
                };
                let why = remover(new_edits, l)
                    .map(|r| format!("  {dim}(now removed by {r}){reset}"))
                    .unwrap_or_default();
                let _ = writeln!(out, "  {red}- {text}{reset}{why}");
            }
            for (k, l) in new_lines.iter().enumerate() {
                if shown >= opts.max_lines {
                    break 'groups;
                }
                shown += 1;
                let text = if paired {
                    inline(old_lines[k], l, false, opts.color)
                } else {
                    super::diff::visible(l).into_owned()
                };
                let why = remover(old_edits, l)
                    .map(|r| format!("  {dim}(no longer removed by {r}){reset}"))
                    .unwrap_or_default();
                let _ = writeln!(out, "  {green}+ {text}{reset}{why}");
            }
        }
    }
    let total = removed + added;
    if total > shown {
        let _ = writeln!(
            out,
            "  … {} more changed line{}",
            total - shown,
            super::plural(total - shown)
        );
    }
    Some(Change {
        kind: if old_body == new_body {
            Kind::Provenance
        } else {
            Kind::Body
        },
        lines_removed: removed,
        lines_added: added,
        rules,
        diff: out,
    })
}

/// One side of a character-level diff of two lines: the old side marks removed characters,
/// the new side inserted ones (`[-x-]`/`{+x+}` without colour). Characters, never words:
/// Chinese has no spaces between words.
fn inline(old: &str, new: &str, old_side: bool, color: bool) -> String {
    let d = TextDiff::from_chars(old, new);
    let mut out = String::new();
    let mut run = String::new();
    let mut run_tag = None;
    let flush = |out: &mut String, run: &mut String, tag: Option<ChangeTag>| {
        if run.is_empty() {
            return;
        }
        let v = super::diff::visible(run);
        match tag {
            Some(ChangeTag::Delete) if color => {
                let _ = write!(out, "\x1b[7m{v}\x1b[27m");
            }
            Some(ChangeTag::Insert) if color => {
                let _ = write!(out, "\x1b[7m{v}\x1b[27m");
            }
            Some(ChangeTag::Delete) => {
                let _ = write!(out, "[-{v}-]");
            }
            Some(ChangeTag::Insert) => {
                let _ = write!(out, "{{+{v}+}}");
            }
            _ => out.push_str(&v),
        }
        run.clear();
    };
    for op in d.ops() {
        for ch in d.iter_changes(op) {
            let tag = ch.tag();
            let keep = match tag {
                ChangeTag::Equal => true,
                ChangeTag::Delete => old_side,
                ChangeTag::Insert => !old_side,
            };
            if !keep {
                continue;
            }
            if run_tag != Some(tag) {
                flush(&mut out, &mut run, run_tag);
                run_tag = Some(tag);
            }
            run.push_str(ch.value());
        }
    }
    flush(&mut out, &mut run, run_tag);
    out
}

impl Change {
    /// The one-line description: `-3 +1 lines; rules: footer.x +2, image.y -1`.
    pub fn line(&self) -> String {
        let mut s = match self.kind {
            Kind::New => format!("new ({} lines, no snapshot yet)", self.lines_added),
            Kind::Body => format!("-{} +{} lines", self.lines_removed, self.lines_added),
            Kind::Provenance => "body unchanged, recorded edits differ".to_string(),
        };
        if !self.rules.is_empty() {
            let r: Vec<String> = self
                .rules
                .iter()
                .map(|(id, d)| format!("{id} {d:+}"))
                .collect();
            s.push_str("; edits by rule: ");
            s.push_str(&r.join(", "));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_level_inline_diff() {
        assert_eq!(
            inline("这是蕞好的", "这是最好的", true, false),
            "这是[-蕞-]好的"
        );
        assert_eq!(
            inline("这是蕞好的", "这是最好的", false, false),
            "这是{+最+}好的"
        );
    }

    #[test]
    fn unchanged_is_none_and_body_change_is_reported() {
        assert!(compare(
            Some("a\nb\n"),
            Some(""),
            "a\nb\n",
            "",
            CompareOptions::default()
        )
        .is_none());
        let c = compare(
            Some("a\nb\nc\n"),
            None,
            "a\nc\n",
            "x",
            CompareOptions::default(),
        )
        .unwrap();
        assert_eq!(c.kind, Kind::Body);
        assert_eq!((c.lines_removed, c.lines_added), (1, 0));
        assert!(c.diff.contains("  - b"), "{}", c.diff);
        assert_eq!(
            compare(None, None, "a\n", "", CompareOptions::default())
                .unwrap()
                .kind,
            Kind::New
        );
    }
}
