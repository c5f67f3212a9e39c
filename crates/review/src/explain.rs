//! Why a line was removed, changed or kept: the rule, where it is defined, what it
//! matched, and the conditions that allowed it; for kept lines, the rules that almost
//! matched.

use std::fmt::Write as _;

use serde::Serialize;

use super::{annotate, is_whitespace_edit, Fate};
use crate::engine::{Cleaned, Edit, EditAction};
use crate::rules::{Conditions, Matcher, Rule, Ruleset};

/// One edit, explained.
#[derive(Debug, Clone, Serialize)]
pub struct EditExplanation {
    /// Rule id.
    pub rule: String,
    /// Rule category.
    pub category: String,
    /// Action (`drop-line`, `drop-rest`, `replace`, ...).
    pub action: EditAction,
    /// `file:line` of the rule's definition (`<built-in>` for built-in stages).
    pub defined: String,
    /// The rule's description.
    pub description: String,
    /// First and last raw line (1-based) the edit covers.
    pub lines: (usize, usize),
    /// The text the rule's pattern matched: the span for span rules, the marker line for
    /// line and block rules.
    pub matched: String,
    /// How much raw text the edit removed, in characters.
    pub removed_chars: usize,
    /// The replacement, for `replace` rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replacement: Option<String>,
    /// The conditions the rule has, each with what held on this line; empty when the
    /// rule has none.
    pub conditions: Vec<String>,
}

/// A rule whose pattern matched a kept line but whose conditions did not all hold.
#[derive(Debug, Clone, Serialize)]
pub struct NearMissExplanation {
    /// Rule id.
    pub rule: String,
    /// `file:line` of the rule's definition.
    pub defined: String,
    /// The rule's description.
    pub description: String,
    /// The condition that failed, e.g. `tail = 0.5`.
    pub failed: String,
    /// The rule's pattern matches ordinary prose too (see [`decided_by_conditions`]): its
    /// conditions are its real test, so failing one is not a near miss worth a look.
    pub condition_only: bool,
}

/// Ordinary body lines (simplified, traditional, English, a short heading): no noise
/// pattern should match them.
const PROSE: [&str; 4] = [
    "今天上午，我们在公园里散步，看见很多人在锻炼身体。",
    "記者從有關部門獲悉，該項目將於明年年底全面完工。",
    "The weather was fine, so we walked along the river.",
    "第三部分",
];

/// Whether a rule's pattern also matches ordinary prose, so that its conditions, not its
/// pattern, decide where it fires (`related.headline-pair` matches any character and
/// fires only on a headline repeated by the next line). Such a rule "matches" nearly
/// every line; a condition it fails there is not a near miss. Phrase lists and built-in
/// stages are literal or not pattern-driven, so they never count as condition-only.
pub fn decided_by_conditions(rule: &Rule, ruleset: &Ruleset) -> bool {
    match &rule.matcher {
        Matcher::Regex(re) => crate::rules::compile_regex(re, ruleset.limits())
            .is_ok_and(|re| PROSE.iter().any(|p| re.is_match(*p))),
        Matcher::Phrases(..) | Matcher::Builtin(_) => false,
    }
}

/// Everything known about one raw line.
#[derive(Debug, Clone, Serialize)]
pub struct LineExplanation {
    /// 1-based raw line.
    pub line: usize,
    /// The raw text of the line.
    pub text: String,
    /// `removed`, `changed`, `kept`, or `blank` (a blank line dropped by white-space
    /// normalisation).
    pub status: String,
    /// The edits touching the line (white-space ones only for blank lines).
    pub edits: Vec<EditExplanation>,
    /// Rules that matched the line's pattern but failed a condition.
    pub near_misses: Vec<NearMissExplanation>,
}

fn defined(ruleset: &Ruleset, rule: &str) -> (String, String) {
    match ruleset.get(rule) {
        Some(r) if r.origin.line > 0 => (
            format!("{}:{}", r.origin.file, r.origin.line),
            r.description.clone(),
        ),
        Some(r) => (r.origin.file.clone(), r.description.clone()),
        None => ("(not in the current rule set)".to_string(), String::new()),
    }
}

/// Describes each condition of `when` with what held at the edit's position.
pub fn describe_conditions(when: &Conditions, e: &Edit, line_text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars = line_text.trim().chars().count();
    let at = match e.position {
        Some(p) => format!("the line stood at {:.0}% of the kept text", p * 100.0),
        None => "no position recorded".to_string(),
    };
    match (when.head, when.tail) {
        (Some(h), Some(t)) => out.push(format!("head = {h} or tail = {t}: {at}")),
        (Some(h), None) => out.push(format!("head = {h}: {at}")),
        (None, Some(t)) => out.push(format!("tail = {t}: {at}")),
        (None, None) => {}
    }
    if let Some(m) = when.max_chars {
        out.push(format!("max_chars = {m}: the line has {chars}"));
    }
    if let Some(m) = when.min_chars {
        out.push(format!("min_chars = {m}: the line has {chars}"));
    }
    if when.after_image {
        out.push("after_image: the previous non-blank line was removed as an image".into());
    }
    if when.after_paragraph {
        out.push("after_paragraph: the nearest kept line above is a paragraph".into());
    }
    if when.no_sentence_punct {
        let punct: String = crate::engine::SENTENCE_PUNCT.iter().collect();
        out.push(format!("no_sentence_punct: the line has no {punct}"));
    }
    if when.repeats_next {
        out.push("repeats_next: the next non-blank line is the same text".into());
    }
    if let Some(n) = when.min_matches {
        out.push(format!(
            "min_matches = {n}: the rule matches {n}+ times in the line"
        ));
    }
    out
}

/// Explains one edit of a document.
pub fn explain_edit(raw: &str, e: &Edit, ruleset: &Ruleset) -> EditExplanation {
    let (def, description) = defined(ruleset, &e.rule);
    let first = e.line;
    let last = first
        + raw
            .get(e.start..e.end)
            .unwrap_or("")
            .trim_end_matches('\n')
            .matches('\n')
            .count();
    let span = raw.get(e.start..e.end).unwrap_or(&e.removed);
    let removed_lines: Vec<&str> = span.lines().filter(|l| !l.trim().is_empty()).collect();
    let matched = match e.action {
        EditAction::DropSpan | EditAction::Replace | EditAction::Normalize => span.to_string(),
        EditAction::DropHead => removed_lines
            .last()
            .map(|s| s.trim().to_string())
            .unwrap_or_default(),
        _ => removed_lines
            .first()
            .map(|s| s.trim().to_string())
            .unwrap_or_default(),
    };
    let rule = ruleset.get(&e.rule);
    // The line the matcher fired on, for conditions that measure it.
    let line_start = raw[..e.start.min(raw.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line_text = raw[line_start..].lines().next().unwrap_or("");
    let conditions = match rule {
        Some(r) if !matches!(r.matcher, Matcher::Builtin(_)) => {
            describe_conditions(&r.when, e, line_text)
        }
        _ => Vec::new(),
    };
    EditExplanation {
        rule: e.rule.clone(),
        category: e.category.clone(),
        action: e.action,
        defined: def,
        description,
        lines: (first, last.max(first)),
        matched,
        removed_chars: raw[e.start..e.end].chars().count(),
        replacement: e.replacement.clone(),
        conditions,
    }
}

fn near_miss(n: &crate::engine::NearMiss, ruleset: &Ruleset) -> NearMissExplanation {
    let (def, description) = defined(ruleset, &n.rule);
    NearMissExplanation {
        rule: n.rule.clone(),
        defined: def,
        description,
        failed: n.failed.clone(),
        condition_only: ruleset
            .get(&n.rule)
            .is_some_and(|r| decided_by_conditions(r, ruleset)),
    }
}

/// Explains raw line `line` (1-based) of a document cleaned with tracing on
/// ([`crate::Cleaner::clean_traced`]). `None` when the line does not exist.
pub fn explain_line(
    raw: &str,
    cleaned: &Cleaned,
    ruleset: &Ruleset,
    line: usize,
) -> Option<LineExplanation> {
    let lines = annotate(raw, &cleaned.edits);
    let l = lines.get(line.checked_sub(1)?)?;
    let (status, edits): (&str, Vec<usize>) = match l.fate {
        Fate::Removed(i) => ("removed", vec![i]),
        Fate::Blank => ("blank", l.edits()),
        Fate::Changed => (
            "changed",
            l.edits()
                .into_iter()
                .filter(|&i| !is_whitespace_edit(&cleaned.edits[i]))
                .collect(),
        ),
        Fate::Kept => ("kept", Vec::new()),
    };
    // Repeated rules on one line (pinyin glosses) are explained once each, in order.
    let mut seen: Vec<&str> = Vec::new();
    let mut out_edits = Vec::new();
    for i in edits {
        let e = &cleaned.edits[i];
        if l.fate == Fate::Changed && seen.contains(&e.rule.as_str()) {
            continue;
        }
        seen.push(&e.rule);
        out_edits.push(explain_edit(raw, e, ruleset));
    }
    let near_misses = cleaned
        .near_misses
        .iter()
        .filter(|n| n.line == line)
        .map(|n| near_miss(n, ruleset))
        .collect();
    Some(LineExplanation {
        line,
        text: l.text.to_string(),
        status: status.to_string(),
        edits: out_edits,
        near_misses,
    })
}

fn render_edit(out: &mut String, x: &EditExplanation, indent: &str) {
    let _ = writeln!(
        out,
        "{indent}rule:       {} [{}], action {}",
        x.rule, x.category, x.action
    );
    let _ = writeln!(out, "{indent}defined at: {}", x.defined);
    if !x.description.is_empty() {
        let _ = writeln!(out, "{indent}why:        {}", x.description);
    }
    let _ = writeln!(
        out,
        "{indent}matched:    {}",
        super::diff::visible(&x.matched)
    );
    if let Some(r) = &x.replacement {
        let _ = writeln!(out, "{indent}replaced by: {}", super::diff::visible(r));
    }
    if x.lines.1 > x.lines.0 {
        let _ = writeln!(
            out,
            "{indent}covers:     lines {}-{} ({} chars)",
            x.lines.0, x.lines.1, x.removed_chars
        );
    }
    if x.conditions.is_empty() {
        let _ = writeln!(out, "{indent}conditions: none (the pattern alone decides)");
    } else {
        let _ = writeln!(out, "{indent}conditions: {}", x.conditions[0]);
        for c in &x.conditions[1..] {
            let _ = writeln!(out, "{indent}            {c}");
        }
    }
}

/// Renders a line explanation as text. `path` prefixes the heading (`path:line`).
pub fn render_line(out: &mut String, path: &str, x: &LineExplanation) {
    let status = match x.status.as_str() {
        "removed" => "removed",
        "changed" => "changed (text inside it removed or replaced)",
        "blank" => "blank line, dropped by white-space normalisation",
        _ => "kept",
    };
    let _ = writeln!(out, "{path}:{}: {status}", x.line);
    if x.text.is_empty() {
        let _ = writeln!(out, "  │");
    } else {
        let _ = writeln!(out, "  │ {}", super::diff::visible(&x.text));
    }
    for e in &x.edits {
        if x.edits.len() > 1 || x.status == "changed" {
            out.push('\n');
        }
        render_edit(out, e, "  ");
    }
    let (real, conditional): (Vec<&NearMissExplanation>, Vec<&NearMissExplanation>) =
        x.near_misses.iter().partition(|n| !n.condition_only);
    if x.status == "kept" && real.is_empty() {
        let _ = writeln!(out, "  no rule matched this line");
    }
    if !real.is_empty() {
        let head = if x.status == "kept" {
            "almost matched (pattern matched, a condition failed):"
        } else {
            "also matched the pattern but failed a condition:"
        };
        let _ = writeln!(out, "  {head}");
        for n in real {
            let _ = writeln!(out, "    {} ({}): failed {}", n.rule, n.defined, n.failed);
            if !n.description.is_empty() {
                let _ = writeln!(out, "      {}", n.description);
            }
        }
    }
    if !conditional.is_empty() {
        let _ = writeln!(
            out,
            "  rules decided by their conditions alone (their pattern matches any text):"
        );
        for n in conditional {
            let _ = writeln!(out, "    {} ({}): failed {}", n.rule, n.defined, n.failed);
        }
    }
}

/// The conditions a rule has, as written in its file (`tail = 0.5`, `after_image`).
pub fn condition_list(when: &Conditions) -> Vec<String> {
    let w = serde_json::to_value(when).expect("conditions serialise");
    w.as_object()
        .into_iter()
        .flatten()
        .filter(|(_, v)| !v.is_null() && **v != serde_json::Value::Bool(false))
        .map(|(k, v)| match v {
            serde_json::Value::Bool(true) => k.clone(),
            v => format!("{k} = {v}"),
        })
        .collect()
}

/// Longest matched text shown on one line of `explain FILE`, in characters.
const MATCHED_CHARS: usize = 60;

fn clip(s: &str) -> String {
    let s = super::diff::visible(s);
    match s.char_indices().nth(MATCHED_CHARS) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.into_owned(),
    }
}

/// Renders every edit of a document (white-space edits only when `whitespace`) grouped by
/// rule, each rule's description and definition once, then the near misses, as text.
pub fn render_all(
    out: &mut String,
    path: &str,
    raw: &str,
    cleaned: &Cleaned,
    ruleset: &Ruleset,
    whitespace: bool,
) {
    // Rules in the order of their first edit.
    let mut groups: Vec<(&str, Vec<&Edit>)> = Vec::new();
    let mut hidden = 0;
    for e in &cleaned.edits {
        if !whitespace && is_whitespace_edit(e) {
            hidden += 1;
            continue;
        }
        match groups.iter_mut().find(|g| g.0 == e.rule) {
            Some(g) => g.1.push(e),
            None => groups.push((&e.rule, vec![e])),
        }
    }
    let shown: usize = groups.iter().map(|g| g.1.len()).sum();
    let _ = write!(
        out,
        "{path}: {shown} edit{} by {} rule{}",
        super::plural(shown),
        groups.len(),
        super::plural(groups.len())
    );
    if hidden > 0 {
        let _ = write!(
            out,
            " (+{hidden} white-space edit{} not shown; --whitespace lists them)",
            super::plural(hidden)
        );
    }
    out.push('\n');
    for (rule, edits) in &groups {
        let first = explain_edit(raw, edits[0], ruleset);
        let _ = writeln!(
            out,
            "\n{rule} [{}], {}, {} edit{} ({})",
            first.category,
            first.action,
            edits.len(),
            super::plural(edits.len()),
            first.defined
        );
        if !first.description.is_empty() {
            let _ = writeln!(out, "  {}", first.description);
        }
        if let Some(r) = ruleset.get(rule) {
            let conds = condition_list(&r.when);
            if !conds.is_empty() && !matches!(r.matcher, Matcher::Builtin(_)) {
                let _ = writeln!(out, "  when: {}", conds.join(", "));
            }
        }
        // One row per raw line: span edits on the same line are listed together.
        let mut k = 0;
        while k < edits.len() {
            let x = explain_edit(raw, edits[k], ruleset);
            let at = if x.lines.1 > x.lines.0 {
                format!("{}-{}", x.lines.0, x.lines.1)
            } else {
                x.lines.0.to_string()
            };
            let mut spans = vec![x.clone()];
            while k + spans.len() < edits.len()
                && x.lines.1 == x.lines.0
                && edits[k + spans.len()].line == x.lines.0
            {
                spans.push(explain_edit(raw, edits[k + spans.len()], ruleset));
            }
            k += spans.len();
            let shown: Vec<String> = spans
                .iter()
                .map(|s| match &s.replacement {
                    Some(r) => format!("{} → {}", clip(&s.matched), clip(r)),
                    None => clip(&s.matched),
                })
                .collect();
            let _ = write!(out, "  {at:>5}  {}", shown.join("  "));
            if x.lines.1 > x.lines.0 {
                let _ = write!(
                    out,
                    "  ({} lines, {} chars)",
                    x.lines.1 - x.lines.0 + 1,
                    x.removed_chars
                );
            }
            out.push('\n');
        }
    }
    // Near misses grouped by rule and failed condition; rules whose pattern matches any
    // text are left out (their conditions are their test: see `decided_by_conditions`).
    let mut near: Vec<(&str, &str, Vec<usize>)> = Vec::new();
    let mut conditional: Vec<&str> = Vec::new();
    for n in &cleaned.near_misses {
        let only = ruleset
            .get(&n.rule)
            .is_some_and(|r| decided_by_conditions(r, ruleset));
        if only {
            if !conditional.contains(&n.rule.as_str()) {
                conditional.push(&n.rule);
            }
            continue;
        }
        match near.iter_mut().find(|g| g.0 == n.rule && g.1 == n.failed) {
            Some(g) => g.2.push(n.line),
            None => near.push((&n.rule, &n.failed, vec![n.line])),
        }
    }
    if !near.is_empty() {
        let _ = writeln!(
            out,
            "\nnear misses (pattern matched a kept line, a condition failed):"
        );
        for (rule, failed, lines) in near {
            let (def, _) = defined(ruleset, rule);
            let shown: Vec<String> = lines.iter().take(12).map(|l| l.to_string()).collect();
            let more = if lines.len() > 12 {
                format!(", … ({} lines)", lines.len())
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "  {rule} ({def}) failed {failed} on line{} {}{more}",
                super::plural(lines.len()),
                shown.join(", ")
            );
        }
    }
    if !conditional.is_empty() {
        let _ = writeln!(
            out,
            "\nnot listed as near misses: {} (decided by conditions; their pattern matches any text)",
            conditional.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "\n`rinse explain {path}:LINE` explains one line in full (conditions, near misses)."
    );
}

/// What `rinse explain FILE:LINE` prints for raw line `n` (1-based) of `doc`, cleaned with
/// tracing on into `cleaned`: the line's fate and the rules behind it, what the whole-page
/// classifier decided (plain text that is a page, when `page.text-lines` is on) and what
/// the main-content extractor decided (HTML). `display` names the document. An error names
/// the number of lines when there is no line `n`.
pub fn document_line(
    display: &str,
    doc: &rinse_input::Document,
    cleaned: &Cleaned,
    ruleset: &Ruleset,
    n: usize,
) -> Result<String, String> {
    let x = explain_line(&doc.text, cleaned, ruleset, n).ok_or_else(|| {
        format!(
            "error: {display} has {} lines; there is no line {n}",
            super::raw_lines(&doc.text).len()
        )
    })?;
    let mut out = String::new();
    render_line(&mut out, display, &x);
    if let Some(p) = whole_page(doc, ruleset) {
        out.push_str("  page.text-lines (whole-page classifier):\n");
        for l in p.describe_line(n - 1).lines() {
            out.push_str("    ");
            out.push_str(l);
            out.push('\n');
        }
    }
    // HTML pages: what the main-content extractor decided, and why.
    if let Some(note) = cleaned.page_hints(doc).and_then(|h| h.explain(n - 1)) {
        out.push_str(&note);
    }
    Ok(out)
}

/// What the whole-page classifier made of a plain text, when the text is a page and the
/// `page.text-lines` stage is on.
pub fn whole_page(
    doc: &rinse_input::Document,
    ruleset: &Ruleset,
) -> Option<rinse_classify::Analysis> {
    (doc.page.is_none()
        && ruleset
            .get(crate::rules::Stage::PageTextLines.id())
            .is_some())
    .then(|| rinse_classify::analyze_text(&doc.text))
    .flatten()
    .filter(|p| p.verdict.is_page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cleaner, Document};

    #[test]
    fn explains_removed_and_kept_lines() {
        let raw = "标题\n正文第一段。\n责任编辑:张三\n";
        let cleaner = Cleaner::new(Ruleset::defaults());
        let c = cleaner.clean_traced(&Document::from_text(raw)).unwrap();
        let x = explain_line(raw, &c, cleaner.ruleset(), 3).unwrap();
        assert_eq!(x.status, "removed");
        assert_eq!(x.edits[0].category, "byline");
        assert!(x.edits[0].defined.contains(".toml:"), "{:?}", x.edits[0]);
        assert_eq!(x.edits[0].matched, "责任编辑:张三");
        let k = explain_line(raw, &c, cleaner.ruleset(), 2).unwrap();
        assert_eq!(k.status, "kept");
        assert!(k.edits.is_empty());
        assert!(explain_line(raw, &c, cleaner.ruleset(), 9).is_none());
    }

    #[test]
    fn only_condition_driven_patterns_are_not_near_misses() {
        let rs = Ruleset::defaults();
        let only: Vec<&str> = rs
            .rules()
            .iter()
            .filter(|r| decided_by_conditions(r, &rs))
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(only, ["related.headline-pair"]);
    }

    #[test]
    fn a_file_lists_each_rule_once() {
        let raw = "标题\n正文：網(wǎng)站和區(qū)域。\n责任编辑:张三\n";
        let cleaner = Cleaner::new(Ruleset::defaults());
        let c = cleaner.clean_traced(&Document::from_text(raw)).unwrap();
        let mut out = String::new();
        render_all(&mut out, "x.txt", raw, &c, cleaner.ruleset(), false);
        let desc = &cleaner
            .ruleset()
            .get("encoding-artifact.pinyin-gloss")
            .unwrap()
            .description;
        assert_eq!(out.matches(desc.as_str()).count(), 1, "{out}");
        assert!(out.contains("2 edits"), "{out}");
        assert!(
            out.contains("      2  (wǎng)  (qū)\n"),
            "both spans on one row: {out}"
        );
        assert!(!out.contains("near misses (pattern"), "{out}");
        assert!(
            out.contains("not listed as near misses: related.headline-pair"),
            "{out}"
        );
    }
}
