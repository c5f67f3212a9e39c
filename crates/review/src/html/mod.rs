//! The static HTML report (`rinse diff --html`): one self-contained file (inline CSS and
//! JS, no external assets, no network) that stays fast at tens of thousands of documents.
//!
//! The page carries data, not markup: each document is a small JSON object (its decoded
//! raw text, its edits as UTF-16 spans with a rule number, and the fate of each raw line)
//! in its own `<script type="application/json">` element, which the browser parses only
//! when the document is opened. A compact index (rule table, one row per document with its
//! counts and the rules that fired in it) drives the document list (virtual scrolling,
//! search, filters by rule and category, counts). An opened document is rendered by the
//! inline script as raw and cleaned text side by side, aligned by raw line, with removed
//! spans struck through and tagged by rule (description and `file:line` on each tag).
//!
//! Documents are prepared independently ([`render_document`], safe to run in parallel)
//! and streamed into a [`Report`] in order, so memory holds one document's text at a time
//! plus the index. Output is deterministic: no timestamps, no randomness.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{annotate, DocSummary, Fate};
use crate::engine::Cleaned;
use crate::rules::Ruleset;

const CSS: &str = include_str!("report.css");
const JS: &str = include_str!("report.js");

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\t' && c != '\n' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// JSON safe inside a `<script>` element: every `<` is written as `\u003c`, so no
/// `</script>` or `<!--` can end or confuse the element. `<` only occurs inside JSON
/// strings, where the escape means the same character.
fn script_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .expect("report data serialises")
        .replace('<', "\\u003c")
}

/// One edit as the report's script sees it: UTF-16 offsets into the raw text (what
/// JavaScript strings index by) and the rule id.
#[derive(Debug, Clone)]
struct SpanEdit {
    start: u32,
    end: u32,
    rule: String,
    category: String,
    action: String,
    replacement: Option<String>,
}

/// One document prepared for the report.
#[derive(Debug, Clone)]
pub struct RenderedDoc {
    /// Path as displayed.
    pub path: String,
    /// The document's title (metadata title, else the first line of the body or raw text).
    pub title: String,
    /// Counts for the summary and the document list.
    pub summary: DocSummary,
    raw: String,
    edits: Vec<SpanEdit>,
    /// Per raw line: 0 kept, 1 changed, 2 blank line dropped by white-space normalisation,
    /// 3 + i removed by edit `i`.
    fates: Vec<u32>,
}

/// Longest title kept in the index, in characters.
const TITLE_CHARS: usize = 80;

/// Converts sorted byte offsets of `text` to UTF-16 offsets in one pass.
fn utf16_offsets(text: &str, sorted: &[usize]) -> Vec<u32> {
    let mut out = Vec::with_capacity(sorted.len());
    let mut units = 0u32;
    let mut chars = text.char_indices().peekable();
    for &b in sorted {
        while let Some(&(i, c)) = chars.peek() {
            if i >= b {
                break;
            }
            units += c.len_utf16() as u32;
            chars.next();
        }
        out.push(units);
    }
    out
}

/// Prepares one document: annotates its lines and converts its edits for the script.
pub fn render_document(path: &str, raw: &str, cleaned: &Cleaned) -> RenderedDoc {
    let lines = annotate(raw, &cleaned.edits);
    let summary = DocSummary::new(raw, &lines, cleaned);
    let fates = lines
        .iter()
        .map(|l| match l.fate {
            Fate::Kept => 0,
            Fate::Changed => 1,
            Fate::Blank => 2,
            Fate::Removed(i) => 3 + i as u32,
        })
        .collect();
    // Edits are sorted and do not overlap, so their boundaries are sorted too.
    let bounds: Vec<usize> = cleaned
        .edits
        .iter()
        .flat_map(|e| [e.start.min(raw.len()), e.end.min(raw.len())])
        .collect();
    let units = utf16_offsets(raw, &bounds);
    let edits = cleaned
        .edits
        .iter()
        .enumerate()
        .map(|(i, e)| SpanEdit {
            start: units[2 * i],
            end: units[2 * i + 1],
            rule: e.rule.clone(),
            category: e.category.clone(),
            action: e.action.as_str().to_string(),
            replacement: e.replacement.clone(),
        })
        .collect();
    let title = cleaned
        .metadata
        .title
        .as_deref()
        .or_else(|| cleaned.body.lines().find(|l| !l.trim().is_empty()))
        .or_else(|| raw.lines().find(|l| !l.trim().is_empty()))
        .unwrap_or("")
        .trim()
        .chars()
        .take(TITLE_CHARS)
        .collect();
    RenderedDoc {
        path: path.to_string(),
        title,
        summary,
        raw: raw.to_string(),
        edits,
        fates,
    }
}

/// A rule as listed in the report: `[id, category, action, description, file:line]`.
type RuleRow = (String, String, String, String, String);

/// A document's row in the index: `[path, title, lines in, lines out, chars in,
/// chars out, rule edits, [rule, count, rule, count, ...]]`.
type DocRow = (
    String,
    String,
    usize,
    usize,
    usize,
    usize,
    usize,
    Vec<usize>,
);

#[derive(Serialize)]
struct Index<'a> {
    title: &'a str,
    rules: &'a [RuleRow],
    never: Vec<RuleRow>,
    docs: &'a [DocRow],
}

#[derive(Serialize)]
struct DocData<'a> {
    t: &'a str,
    /// `[start, end, rule]` or `[start, end, rule, replacement]`.
    e: Vec<serde_json::Value>,
    f: &'a [u32],
}

fn rule_row(ruleset: &Ruleset, id: &str, category: &str, action: &str) -> RuleRow {
    let (description, defined) = match ruleset.get(id) {
        Some(r) if r.origin.line > 0 => (
            r.description.clone(),
            format!("{}:{}", r.origin.file, r.origin.line),
        ),
        Some(r) => (r.description.clone(), r.origin.file.clone()),
        None => (String::new(), "(not in the current rule set)".to_string()),
    };
    (
        id.to_string(),
        category.to_string(),
        action.to_string(),
        description,
        defined,
    )
}

/// A report being written: [`Report::begin`], then [`Report::add`] per document, then
/// [`Report::finish`].
pub struct Report<'r, W: Write> {
    out: W,
    title: String,
    ruleset: &'r Ruleset,
    rules: Vec<RuleRow>,
    rule_numbers: HashMap<String, usize>,
    docs: Vec<DocRow>,
}

impl<'r, W: Write> Report<'r, W> {
    /// Starts a report: writes the page head and the empty frame the script fills.
    /// `ruleset` gives each rule's description and definition site.
    pub fn begin(mut out: W, title: &str, ruleset: &'r Ruleset) -> io::Result<Report<'r, W>> {
        write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{t}</title>\n<style>{CSS}</style>\n</head>\n<body>\n\
             <header id=\"top\">\n<h1>{t}</h1>\n<p id=\"totals\">Loading…</p>\n\
             <div id=\"filters\">\n\
             <input id=\"q\" type=\"search\" placeholder=\"search path or title (/)\" autocomplete=\"off\">\n\
             <label><input type=\"checkbox\" id=\"q-text\"> in text</label>\n\
             <select id=\"cat\"><option value=\"\">all categories</option></select>\n\
             <select id=\"rule\"><option value=\"\">all rules</option></select>\n\
             <label><input type=\"checkbox\" id=\"only-changed\"> only documents changed by rules</label>\n\
             <label><input type=\"checkbox\" id=\"changes-only\"> only changed lines</label>\n\
             <span id=\"shown\"></span>\n</div>\n</header>\n\
             <div id=\"main\">\n<nav id=\"list\"><div id=\"list-inner\"></div></nav>\n\
             <section id=\"view\"></section>\n</div>\n\
             <noscript><p>This report needs JavaScript to render documents.</p></noscript>\n",
            t = escape(title)
        )?;
        Ok(Report {
            out,
            title: title.to_string(),
            ruleset,
            rules: Vec::new(),
            rule_numbers: HashMap::new(),
            docs: Vec::new(),
        })
    }

    fn rule_number(&mut self, e: &SpanEdit) -> usize {
        if let Some(&n) = self.rule_numbers.get(&e.rule) {
            return n;
        }
        let n = self.rules.len();
        self.rules.push(rule_row(
            self.ruleset,
            &e.rule,
            &e.category,
            e.action.as_str(),
        ));
        self.rule_numbers.insert(e.rule.clone(), n);
        n
    }

    /// Writes one document's data and indexes it. Documents are numbered in the order
    /// they are added.
    pub fn add(&mut self, doc: RenderedDoc) -> io::Result<()> {
        let id = self.docs.len();
        let mut counts: Vec<(usize, usize)> = Vec::new();
        let mut e = Vec::with_capacity(doc.edits.len());
        for x in &doc.edits {
            let r = self.rule_number(x);
            if x.category != super::WHITESPACE_CATEGORY {
                match counts.iter_mut().find(|c| c.0 == r) {
                    Some(c) => c.1 += 1,
                    None => counts.push((r, 1)),
                }
            }
            e.push(match &x.replacement {
                Some(rep) => serde_json::json!([x.start, x.end, r, rep]),
                None => serde_json::json!([x.start, x.end, r]),
            });
        }
        let data = DocData {
            t: &doc.raw,
            e,
            f: &doc.fates,
        };
        writeln!(
            self.out,
            "<script type=\"application/json\" id=\"d{id}\">{}</script>",
            script_json(&data)
        )?;
        counts.sort_unstable();
        let s = &doc.summary;
        self.docs.push((
            doc.path,
            doc.title,
            s.lines_in,
            s.lines_out,
            s.chars_in,
            s.chars_out,
            s.edits,
            counts.into_iter().flat_map(|(r, n)| [r, n]).collect(),
        ));
        Ok(())
    }

    /// Writes the index (rules, documents, rules that never fired) and the script, and
    /// closes the page. Returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        let never = self
            .ruleset
            .rules()
            .iter()
            .filter(|r| {
                !self.rule_numbers.contains_key(&r.id) && r.category != super::WHITESPACE_CATEGORY
            })
            .map(|r| rule_row(self.ruleset, &r.id, &r.category, r.action_name()))
            .collect();
        let index = Index {
            title: &self.title,
            rules: &self.rules,
            never,
            docs: &self.docs,
        };
        write!(
            self.out,
            "<script type=\"application/json\" id=\"index\">{}</script>\n<script>{JS}</script>\n</body>\n</html>\n",
            script_json(&index)
        )?;
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cleaner, Document};

    fn report(docs: &[(&str, &str)]) -> String {
        let cleaner = Cleaner::new(Ruleset::defaults());
        let mut r = Report::begin(Vec::new(), "t<>", cleaner.ruleset()).unwrap();
        for (path, raw) in docs {
            let c = cleaner.clean(&Document::from_text(raw)).unwrap();
            r.add(render_document(path, raw, &c)).unwrap();
        }
        String::from_utf8(r.finish().unwrap()).unwrap()
    }

    fn script<'a>(html: &'a str, id: &str) -> &'a str {
        let open = format!("<script type=\"application/json\" id=\"{id}\">");
        let start = html.find(&open).unwrap() + open.len();
        &html[start..start + html[start..].find("</script>").unwrap()]
    }

    #[test]
    fn data_is_script_safe_and_replays() {
        let raw = "标题</script><!--\n正文第一段，蕞好。\n责任编辑:张三\n";
        let html = report(&[("a<x>.txt", raw)]);
        assert_eq!(html.matches("</script>").count(), 3, "no early close");
        assert!(html.contains("<title>t&lt;&gt;</title>"));
        let data: serde_json::Value = serde_json::from_str(script(&html, "d0")).unwrap();
        assert_eq!(data["t"], raw);
        // Rebuild the body from the UTF-16 spans, as the script does.
        let units: Vec<u16> = raw.encode_utf16().collect();
        let (mut body, mut pos) = (Vec::new(), 0usize);
        for e in data["e"].as_array().unwrap() {
            let (s, t) = (
                e[0].as_u64().unwrap() as usize,
                e[1].as_u64().unwrap() as usize,
            );
            body.extend_from_slice(&units[pos..s]);
            if let Some(rep) = e.get(3) {
                body.extend(rep.as_str().unwrap().encode_utf16());
            }
            pos = t;
        }
        body.extend_from_slice(&units[pos..]);
        assert_eq!(
            String::from_utf16(&body).unwrap(),
            "标题</script><!--\n正文第一段，最好。\n"
        );
        assert_eq!(
            data["f"].as_array().unwrap().len(),
            3,
            "one fate per raw line"
        );
        assert!(data["f"][2].as_u64().unwrap() >= 3, "line 3 removed");
    }

    #[test]
    fn index_lists_rules_with_description_and_definition() {
        let html = report(&[
            ("a.txt", "标题\n正文。\n责任编辑:张三\n"),
            ("b.txt", "标题\n正文。\n"),
        ]);
        let index: serde_json::Value = serde_json::from_str(script(&html, "index")).unwrap();
        let docs = index["docs"].as_array().unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0][0], "a.txt");
        assert_eq!(docs[0][1], "标题");
        assert_eq!(docs[0][6], 1, "one rule edit");
        assert_eq!(docs[1][6], 0);
        let r = docs[0][7][0].as_u64().unwrap() as usize;
        let rule = &index["rules"][r];
        assert_eq!(rule[1], "byline");
        assert!(!rule[3].as_str().unwrap().is_empty(), "description");
        assert!(rule[4].as_str().unwrap().contains(".toml:"), "{rule}");
        assert!(index["never"].as_array().unwrap().len() > 10);
    }

    #[test]
    fn utf16_offsets_count_surrogate_pairs() {
        assert_eq!(
            utf16_offsets("a😀中b", &[0, 1, 5, 8, 9]),
            vec![0, 1, 3, 4, 5]
        );
    }
}
