//! What each rule did across a corpus: documents touched, lines and characters removed,
//! share of all removed text, rules that never fired, and warnings about rules that look
//! too greedy.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::{annotate, raw_position, Fate};
use crate::engine::{Cleaned, EditAction};
use crate::rules::Ruleset;

/// Totals for one rule.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RuleStats {
    /// Rule id.
    pub rule: String,
    /// Rule category.
    pub category: String,
    /// Action of the rule's edits.
    pub action: EditAction,
    /// Documents with at least one edit by the rule.
    pub documents: usize,
    /// Number of edits.
    pub edits: usize,
    /// Raw lines removed whole and attributed to the rule.
    pub lines: usize,
    /// Characters of raw text the rule removed (or replaced).
    pub chars: usize,
    /// `chars` over all characters removed by every rule, 0.0 to 1.0.
    pub share: f64,
}

/// Something a rule author should look at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    /// Rule id.
    pub rule: String,
    /// Document path.
    pub document: String,
    /// 1-based raw line where the edit starts (0 when not about one edit).
    pub line: usize,
    /// `over-half` (removes more than half of a document's text) or `early-drop-rest`
    /// (a drop-rest firing in the first half of a document).
    pub kind: String,
    /// Human explanation.
    pub message: String,
    /// The figures behind the warning, short (`37% into the text, 1200 chars removed`).
    pub detail: String,
    /// How strongly the warning applies (higher is worse); picks a group's examples.
    #[serde(skip)]
    pub severity: f64,
}

/// The warnings of one rule and kind, summarised for a corpus-sized report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WarningGroup {
    /// Rule id.
    pub rule: String,
    /// Warning kind (see [`Warning::kind`]).
    pub kind: String,
    /// What the warnings of this kind mean.
    pub meaning: String,
    /// Number of warnings.
    pub count: usize,
    /// Documents with at least one of them.
    pub documents: usize,
    /// The strongest few, as `path[:line] (detail)`, worst first (then in document order).
    pub examples: Vec<String>,
}

/// Examples kept per warning group.
pub const GROUP_EXAMPLES: usize = 3;

/// What a warning kind means, once per group.
fn meaning(kind: &str) -> &'static str {
    match kind {
        "early-drop-rest" => {
            "drop-rest fired in the first half of a document; a footer marker there is usually a false alarm"
        }
        "over-half" => "removed more than half of a document's text",
        _ => "",
    }
}

/// The corpus report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Documents seen.
    pub documents: usize,
    /// Documents with at least one edit other than white-space normalisation.
    pub documents_changed: usize,
    /// Characters of raw text over all documents.
    pub chars_in: usize,
    /// Characters removed or replaced over all documents.
    pub chars_removed: usize,
    /// Per rule that fired, by characters removed (descending), then id.
    pub rules: Vec<RuleStats>,
    /// Ids of rules in the rule set that never fired, in rule-set order.
    pub never_fired: Vec<String>,
    /// Warnings grouped by rule and kind, most frequent first (then by rule, kind).
    pub warning_groups: Vec<WarningGroup>,
    /// Every warning, in document order.
    pub warnings: Vec<Warning>,
}

/// Accumulates per-document results into a [`Report`]. Feed documents in a stable order
/// (warnings keep it).
#[derive(Debug, Default)]
pub struct Collector {
    report: Report,
    rules: BTreeMap<String, RuleStats>,
}

impl Collector {
    /// An empty collector.
    pub fn new() -> Collector {
        Collector::default()
    }

    /// Adds one cleaned document.
    pub fn add(&mut self, path: &str, raw: &str, cleaned: &Cleaned) {
        let r = &mut self.report;
        r.documents += 1;
        let chars_in = raw.chars().count();
        r.chars_in += chars_in;
        if cleaned.edits.iter().any(|e| !super::is_whitespace_edit(e)) {
            r.documents_changed += 1;
        }
        let mut per_doc: BTreeMap<&str, usize> = BTreeMap::new();
        for e in &cleaned.edits {
            let n = raw[e.start..e.end].chars().count();
            r.chars_removed += n;
            let s = self
                .rules
                .entry(e.rule.clone())
                .or_insert_with(|| RuleStats {
                    rule: e.rule.clone(),
                    category: e.category.clone(),
                    action: e.action,
                    ..Default::default()
                });
            s.edits += 1;
            s.chars += n;
            let d = per_doc.entry(&e.rule).or_default();
            if *d == 0 {
                s.documents += 1;
            }
            *d += n.max(1);
            if e.action == EditAction::DropRest {
                let pos = e.position.unwrap_or_else(|| raw_position(raw, e.start));
                if pos < 0.5 {
                    r.warnings.push(Warning {
                        rule: e.rule.clone(),
                        document: path.to_string(),
                        line: e.line,
                        kind: "early-drop-rest".into(),
                        message: format!(
                            "drop-rest fired at line {} ({:.0}% into the text), removing {} chars; a footer marker in the first half is usually a false alarm",
                            e.line,
                            pos * 100.0,
                            n
                        ),
                        detail: format!("{:.0}% into the text, {n} chars removed", pos * 100.0),
                        severity: 1.0 - pos,
                    });
                }
            }
        }
        for l in annotate(raw, &cleaned.edits) {
            if let Fate::Removed(i) = l.fate {
                if let Some(s) = self.rules.get_mut(&cleaned.edits[i].rule) {
                    s.lines += 1;
                }
            }
        }
        for (rule, n) in per_doc {
            if rule != crate::rules::Stage::Whitespace.id() && n * 2 > chars_in {
                r.warnings.push(Warning {
                    rule: rule.to_string(),
                    document: path.to_string(),
                    line: 0,
                    kind: "over-half".into(),
                    message: format!(
                        "removes {n} of {chars_in} chars ({:.0}%) of the document",
                        100.0 * n as f64 / chars_in.max(1) as f64
                    ),
                    detail: format!(
                        "{n} of {chars_in} chars, {:.0}%",
                        100.0 * n as f64 / chars_in.max(1) as f64
                    ),
                    severity: n as f64 / chars_in.max(1) as f64,
                });
            }
        }
    }

    /// Finishes the report; `ruleset` lists the rules that could have fired.
    pub fn finish(self, ruleset: &Ruleset) -> Report {
        let mut report = self.report;
        let total = report.chars_removed.max(1) as f64;
        let mut rules: Vec<RuleStats> = self
            .rules
            .into_values()
            .map(|mut s| {
                s.share = s.chars as f64 / total;
                s
            })
            .collect();
        rules.sort_by(|a, b| b.chars.cmp(&a.chars).then(a.rule.cmp(&b.rule)));
        report.never_fired = ruleset
            .rules()
            .iter()
            .filter(|r| !rules.iter().any(|s| s.rule == r.id))
            .map(|r| r.id.clone())
            .collect();
        report.rules = rules;
        report.warning_groups = group_warnings(&report.warnings);
        report
    }
}

/// Groups warnings by rule and kind, keeping the count and the strongest examples.
pub fn group_warnings(warnings: &[Warning]) -> Vec<WarningGroup> {
    let mut by: BTreeMap<(&str, &str), Vec<&Warning>> = BTreeMap::new();
    for w in warnings {
        by.entry((&w.rule, &w.kind)).or_default().push(w);
    }
    let mut groups: Vec<WarningGroup> = by
        .into_iter()
        .map(|((rule, kind), ws)| {
            let mut docs: Vec<&str> = ws.iter().map(|w| w.document.as_str()).collect();
            docs.dedup();
            let mut worst = ws.clone();
            // Stable: equal severities stay in document order.
            worst.sort_by(|a, b| b.severity.total_cmp(&a.severity));
            WarningGroup {
                rule: rule.to_string(),
                kind: kind.to_string(),
                meaning: meaning(kind).to_string(),
                count: ws.len(),
                documents: docs.len(),
                examples: worst
                    .iter()
                    .take(GROUP_EXAMPLES)
                    .map(|w| {
                        let at = if w.line > 0 {
                            format!("{}:{}", w.document, w.line)
                        } else {
                            w.document.clone()
                        };
                        format!("{at} ({})", w.detail)
                    })
                    .collect(),
            }
        })
        .collect();
    groups.sort_by_key(|g| std::cmp::Reverse(g.count));
    groups
}

impl Report {
    /// The text table (like `ruff --statistics`), never-fired rules and warnings.
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        let w = self
            .rules
            .iter()
            .map(|r| r.rule.len())
            .chain(std::iter::once(4))
            .max()
            .unwrap_or(4);
        let cw = self
            .rules
            .iter()
            .map(|r| r.category.len())
            .chain(std::iter::once(8))
            .max()
            .unwrap_or(8);
        let _ = writeln!(
            out,
            "{:<w$}  {:<cw$}  {:>5}  {:>6}  {:>6}  {:>8}  {:>6}",
            "rule", "category", "docs", "edits", "lines", "chars", "share"
        );
        for r in &self.rules {
            let _ = writeln!(
                out,
                "{:<w$}  {:<cw$}  {:>5}  {:>6}  {:>6}  {:>8}  {:>5.1}%",
                r.rule,
                r.category,
                r.documents,
                r.edits,
                r.lines,
                r.chars,
                r.share * 100.0
            );
        }
        let pct = 100.0 * self.chars_removed as f64 / self.chars_in.max(1) as f64;
        let _ = writeln!(
            out,
            "\n{} document{} ({} changed by rules), {} of {} chars removed ({pct:.1}%), {} rule{} fired",
            self.documents,
            super::plural(self.documents),
            self.documents_changed,
            self.chars_removed,
            self.chars_in,
            self.rules.len(),
            super::plural(self.rules.len()),
        );
        if !self.never_fired.is_empty() {
            let _ = writeln!(out, "\nnever fired ({}):", self.never_fired.len());
            for id in &self.never_fired {
                let _ = writeln!(out, "  {id}");
            }
        }
        if !self.warning_groups.is_empty() {
            let docs = {
                let mut d: Vec<&str> = self.warnings.iter().map(|w| w.document.as_str()).collect();
                d.sort_unstable();
                d.dedup();
                d.len()
            };
            let _ = writeln!(
                out,
                "\nwarnings: {} in {docs} document{}, by rule (--json lists every one):",
                self.warnings.len(),
                super::plural(docs)
            );
            for g in &self.warning_groups {
                let _ = writeln!(
                    out,
                    "  {} [{}]: {} warning{} in {} document{}: {}",
                    g.rule,
                    g.kind,
                    g.count,
                    super::plural(g.count),
                    g.documents,
                    super::plural(g.documents),
                    g.meaning
                );
                for e in &g.examples {
                    let _ = writeln!(out, "      {e}");
                }
                if g.count > g.examples.len() {
                    let _ = writeln!(out, "      … {} more", g.count - g.examples.len());
                }
            }
        }
        out
    }

    /// Pretty JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("report serialises");
        s.push('\n');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cleaner, Document};

    #[test]
    fn counts_and_warnings() {
        let cleaner = Cleaner::new(Ruleset::defaults());
        let mut c = Collector::new();
        for (p, raw) in [
            ("a.txt", "标题\n正文第一段。\n责任编辑:张三\n"),
            ("b.txt", "责任编辑:李四\n短\n"),
        ] {
            c.add(p, raw, &cleaner.clean(&Document::from_text(raw)).unwrap());
        }
        let r = c.finish(cleaner.ruleset());
        assert_eq!(r.documents, 2);
        let by = r.rules.iter().find(|s| s.category == "byline").unwrap();
        assert_eq!((by.documents, by.edits, by.lines), (2, 2, 2));
        assert!(r.never_fired.iter().any(|id| id.starts_with("footer.")));
        assert!(
            r.warnings
                .iter()
                .any(|w| w.kind == "over-half" && w.document == "b.txt"),
            "{:?}",
            r.warnings
        );
        assert!(r.render_text().contains("never fired"));
    }
}
