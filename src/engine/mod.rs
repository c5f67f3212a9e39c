//! Applies compiled rules to one document's text. No file I/O happens here.
//!
//! The pipeline, per document:
//! 1. split into lines; each line is matched trimmed;
//! 2. line pass, top to bottom: the first rule (in rule order) whose matcher matches and
//!    whose conditions hold decides the line (drop-line, meta, drop-rest, drop-head,
//!    drop-block);
//! 3. built-in duplicate stages on the kept lines;
//! 4. span pass on kept lines (drop-span, replace) and white-space normalisation;
//! 5. edits are merged and recorded so that replaying them on the raw text gives the body.

mod headline_run;
mod matchers;
mod scope;
pub mod shape;
mod title_variant;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::input::Document;
use crate::rules::{Action, Conditions, Matcher, Rule, Ruleset, Stage};
use matchers::{Matchers, Scratch};

pub use scope::glob_match;

/// One recorded change to the decoded raw text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    /// Id of the rule or built-in stage that made the change.
    pub rule: String,
    /// The rule's category.
    pub category: String,
    /// The action (`drop-line`, `drop-span`, `replace`, ..., `normalize` for white space).
    pub action: String,
    /// 1-based line of the decoded raw text where the edit starts.
    pub line: usize,
    /// Byte offset where the edit starts in the decoded raw text.
    pub start: usize,
    /// Byte offset where the edit ends (exclusive).
    pub end: usize,
    /// The raw text removed (or replaced): `raw[start..end]`.
    pub removed: String,
    /// The text put in its place, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replacement: Option<String>,
}

/// Metadata found while cleaning.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// First line of the body, when it is short enough to be a title.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    /// Author, from a byline or post header.
    pub author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    /// Publication time, as written.
    pub published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    /// Source (publisher) named in a byline.
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    /// Responsible editor (责任编辑).
    pub editor: Option<String>,
}

impl Metadata {
    fn set(&mut self, field: &str, value: String) {
        let slot = match field {
            "author" => &mut self.author,
            "published" => &mut self.published,
            "source" => &mut self.source,
            "editor" => &mut self.editor,
            _ => return,
        };
        if slot.is_none() {
            *slot = Some(value);
        }
    }
}

/// Counts describing what cleaning did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Characters of the decoded raw text.
    pub chars_in: usize,
    /// Characters of the body.
    pub chars_out: usize,
    /// Lines of the decoded raw text.
    pub lines_in: usize,
    /// Lines of the body.
    pub lines_out: usize,
    /// Characters of raw text removed or replaced, by rule category.
    pub removed_chars: BTreeMap<String, usize>,
    /// Number of edits, by rule category.
    pub edits: BTreeMap<String, usize>,
}

/// A rule whose pattern matched a kept line but whose conditions did not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NearMiss {
    /// 1-based raw line.
    pub line: usize,
    /// Id of the rule.
    pub rule: String,
    /// The condition that failed, e.g. `tail = 0.5`.
    pub failed: String,
}

/// The result of cleaning one document.
#[derive(Debug, Clone, Default)]
pub struct Cleaned {
    /// The clean body: title first, one paragraph a line, ending in a newline (unless empty).
    pub body: String,
    /// Ordered, non-overlapping edits; replaying them on the raw text gives `body`.
    pub edits: Vec<Edit>,
    /// Title, author, time, source and editor found while cleaning.
    pub metadata: Metadata,
    /// Counts of what was removed.
    pub stats: Stats,
    /// Descriptions of the site scopes that applied to this document.
    pub scopes: Vec<String>,
    /// Filled only when tracing is on.
    pub near_misses: Vec<NearMiss>,
}

/// Applies `edits` (sorted, non-overlapping) to `raw`. This is the provenance invariant:
/// `replay(raw, &cleaned.edits) == cleaned.body`.
pub fn replay(raw: &str, edits: &[Edit]) -> Result<String, String> {
    let mut out = String::with_capacity(raw.len());
    let mut pos = 0;
    for e in edits {
        if e.start < pos || e.end < e.start || e.end > raw.len() {
            return Err(format!(
                "edit {}..{} by {} overlaps or is out of range",
                e.start, e.end, e.rule
            ));
        }
        if raw.get(e.start..e.end) != Some(e.removed.as_str()) {
            return Err(format!(
                "edit {}..{} by {}: recorded text differs from the raw text",
                e.start, e.end, e.rule
            ));
        }
        out.push_str(&raw[pos..e.start]);
        if let Some(r) = &e.replacement {
            out.push_str(r);
        }
        pos = e.end;
    }
    out.push_str(&raw[pos..]);
    Ok(out)
}

/// Compiled rules, ready to clean documents. Cheap to share across threads.
#[derive(Debug, Clone)]
pub struct Cleaner {
    ruleset: Arc<Ruleset>,
    matchers: Arc<Matchers>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Keep,
    /// Dropped by `firings[n]`.
    Drop(u32),
}

#[derive(Debug, Clone, Copy)]
struct LineInfo {
    start: usize,
    /// End of the line's text, before `\r\n` / `\n`.
    content_end: usize,
    /// Start of the next line.
    end: usize,
    /// Trimmed text range.
    ts: usize,
    te: usize,
    /// Characters in the trimmed text.
    chars: usize,
    /// Characters of trimmed text in all lines before this one.
    chars_before: usize,
}

impl LineInfo {
    fn blank(&self) -> bool {
        self.ts == self.te
    }
}

/// Characters the engine treats as white space (trimmed, collapsed).
fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Invisible characters removed wherever they appear.
fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

pub use shape::SENTENCE_PUNCT;
use shape::{ends_with_ellipsis, SENTENCE_END};
const BULLETS: [char; 11] = ['·', '•', '●', '○', '■', '□', '◆', '◇', '▪', '►', '▶'];

fn strip_ellipsis(s: &str) -> &str {
    s.trim_end_matches(['…', '.', '。']).trim_end()
}

/// A line that can be an item of a related-articles list: short and not a finished
/// sentence, or an excerpt cut with an ellipsis, or a bullet.
fn is_list_like(s: &str, chars: usize, max_chars: usize) -> bool {
    (chars <= max_chars && !s.ends_with(SENTENCE_END))
        || ends_with_ellipsis(s)
        || s.starts_with(BULLETS)
}

fn squeeze_eq(a: &str, b: &str) -> bool {
    a.chars()
        .filter(|c| !c.is_whitespace())
        .eq(b.chars().filter(|c| !c.is_whitespace()))
}

struct Firing {
    rule: usize,
}

/// A span edit inside a kept line (absolute offsets).
struct RawEdit {
    rule: usize,
    /// Line drops of the same firing merge; span and white-space edits use `None`.
    firing: Option<u32>,
    line: usize,
    start: usize,
    end: usize,
    replacement: Option<String>,
}

impl Cleaner {
    /// Compiles `ruleset` into matchers.
    pub fn new(ruleset: Ruleset) -> Cleaner {
        let matchers = Matchers::new(&ruleset);
        Cleaner {
            ruleset: Arc::new(ruleset),
            matchers: Arc::new(matchers),
        }
    }

    /// The rule set this cleaner applies.
    pub fn ruleset(&self) -> &Ruleset {
        &self.ruleset
    }

    fn stage_rule(&self, stage: Stage) -> Option<usize> {
        self.ruleset
            .rules()
            .iter()
            .position(|r| matches!(r.matcher, Matcher::Builtin(s) if s == stage))
    }

    /// Cleans one document.
    pub fn clean(&self, doc: &Document) -> Cleaned {
        self.run(doc, false, None)
    }

    /// Cleans one document and records rules that matched a kept line but failed a condition.
    pub fn clean_traced(&self, doc: &Document) -> Cleaned {
        self.run(doc, true, None)
    }

    /// Cleans `text` as if `only` were the only rule with edits recorded, ignoring zone
    /// conditions (`head`/`tail`) and site scopes; used to run a rule's examples. Other rules still decide
    /// their lines, so an example shows what the rule does inside the whole set.
    pub fn clean_example(&self, text: &str, only: &str) -> Cleaned {
        let idx = self.ruleset.rules().iter().position(|r| r.id == only);
        self.run(
            &Document::from_text(text),
            false,
            Some(idx.unwrap_or(usize::MAX)),
        )
    }

    /// Cleans to a fixpoint, so that cleaning a body again changes nothing. Conditions that
    /// depend on the whole document (a line's position, its neighbours) can hold on the
    /// shorter body when they did not on the raw text; lines a second pass would drop are
    /// dropped in a re-run by the rule that dropped them, so every edit still maps to the
    /// raw text and a rule.
    fn run(&self, doc: &Document, trace: bool, example_rule: Option<usize>) -> Cleaned {
        if example_rule.is_some() {
            return self.run_once(doc, trace, example_rule, &[]).0;
        }
        let rules = self.ruleset.rules();
        let mut forced: Vec<(usize, usize)> = Vec::new();
        let mut last = self.run_once(doc, trace, None, &forced);
        for _ in 0..3 {
            let (out, body_lines) = &last;
            // Only text, path and URL matter to cleaning; no need to hash the body.
            let again_doc = Document {
                text: out.body.clone(),
                path: doc.path.clone(),
                url: doc.url.clone(),
                ..Document::default()
            };
            let (again, _) = self.run_once(&again_doc, false, None, &[]);
            if again.edits.is_empty() {
                break;
            }
            let mut starts = vec![0];
            starts.extend(out.body.match_indices('\n').map(|(p, _)| p + 1));
            let mut added = false;
            for e in &again.edits {
                let Some(rule) = rules.iter().position(|r| r.id == e.rule) else {
                    continue;
                };
                for (j, w) in starts.windows(2).enumerate() {
                    if w[0] >= e.start
                        && w[1] <= e.end
                        && !forced.iter().any(|f| f.0 == body_lines[j])
                    {
                        forced.push((body_lines[j], rule));
                        added = true;
                    }
                }
            }
            if !added {
                break; // Only span edits would change: nothing a re-run can force.
            }
            last = self.run_once(doc, trace, None, &forced);
        }
        last.0
    }

    /// One cleaning pass. `forced` lists (raw line, rule) drops decided by a later pass.
    /// Also returns, for each body line, the raw line it came from.
    fn run_once(
        &self,
        doc: &Document,
        trace: bool,
        example_rule: Option<usize>,
        forced: &[(usize, usize)],
    ) -> (Cleaned, Vec<usize>) {
        let text = doc.text.as_str();
        let rules = self.ruleset.rules();
        let ws_rule = self.stage_rule(Stage::Whitespace);
        let examples = example_rule.is_some();
        let ws = ws_rule.is_some() && !examples;

        // Scope: which rules apply to this document. Examples ignore scopes, as they
        // ignore zones: they show what a rule's pattern does, wherever it is allowed to run.
        let (mut active, scopes) = scope::active_rules(rules, doc);
        if examples {
            active.fill(true);
        }

        let lines = split_lines(text);
        let total_chars = lines.last().map_or(0, |l| l.chars_before + l.chars).max(1);
        let mut fate = vec![Fate::Keep; lines.len()];
        let mut firings: Vec<Firing> = Vec::new();
        let mut metadata = Metadata::default();
        let mut near = Vec::new();
        let mut scratch = Scratch::new(&self.matchers);
        for &(line, rule) in forced {
            let f = match firings.iter().position(|x| x.rule == rule) {
                Some(f) => f as u32,
                None => {
                    firings.push(Firing { rule });
                    (firings.len() - 1) as u32
                }
            };
            if let Some(x) = fate.get_mut(line) {
                *x = Fate::Drop(f);
            }
        }

        let content = |i: usize| &text[lines[i].ts..lines[i].te];
        let next_nonblank = |i: usize| (i + 1..lines.len()).find(|&j| !lines[j].blank());

        // Evaluates a rule's conditions on line i; Err names the failed condition.
        let check = |r: &Rule, i: usize, prev_image: bool| -> Result<(), String> {
            let w: &Conditions = &r.when;
            let l = &lines[i];
            if !examples {
                let pos = l.chars_before as f64 / total_chars as f64;
                let in_head = w.head.map(|h| pos < h);
                let in_tail = w.tail.map(|t| pos >= 1.0 - t);
                match (in_head, in_tail) {
                    (Some(false), None) => return Err(format!("head = {}", w.head.unwrap())),
                    (None, Some(false)) => return Err(format!("tail = {}", w.tail.unwrap())),
                    (Some(false), Some(false)) => {
                        return Err(format!(
                            "head = {} or tail = {}",
                            w.head.unwrap(),
                            w.tail.unwrap()
                        ))
                    }
                    _ => {}
                }
            }
            if let Some(m) = w.max_chars {
                if l.chars > m {
                    return Err(format!("max_chars = {m}"));
                }
            }
            if let Some(m) = w.min_chars {
                if l.chars < m {
                    return Err(format!("min_chars = {m}"));
                }
            }
            let s = &text[l.ts..l.te];
            if w.no_sentence_punct && s.contains(SENTENCE_PUNCT) {
                return Err("no_sentence_punct".into());
            }
            if w.after_image && !prev_image {
                return Err("after_image".into());
            }
            if w.repeats_next
                && !next_nonblank(i).is_some_and(|j| squeeze_eq(s, &text[lines[j].ts..lines[j].te]))
            {
                return Err("repeats_next".into());
            }
            Ok(())
        };

        // --- line pass -------------------------------------------------------------
        let mut block: Option<(u32, usize, usize)> = None; // (firing, max chars, last line)
        let mut prev_image = false;
        let mut view = String::new();
        // Span hits found in the line pass, reused by the span pass: (line, hits).
        let mut span_cache: Vec<(usize, Vec<matchers::SpanHit>)> = Vec::new();
        let mut i = 0;
        while i < lines.len() {
            if fate[i] != Fate::Keep || lines[i].blank() {
                i += 1;
                continue;
            }
            // Line rules see the line as the span rules leave it (`關(guān)鍵詞` reads `關鍵詞`).
            let raw_line = content(i);
            self.matchers
                .span
                .find(rules, raw_line, &mut scratch, &mut |r| {
                    active[r] && check(&rules[r], i, false).is_ok()
                });
            if !scratch.hits.is_empty() {
                span_cache.push((i, scratch.hits.clone()));
            }
            let s: &str = if scratch.hits.is_empty() {
                raw_line
            } else {
                view.clear();
                let mut pos = 0;
                for h in &scratch.hits {
                    view.push_str(&raw_line[pos..h.start]);
                    view.push_str(h.replacement.as_deref().unwrap_or(""));
                    pos = h.end;
                }
                view.push_str(&raw_line[pos..]);
                &view
            };
            // Group prefilters skip rules whose conditions cannot hold; tracing wants
            // every rule whose pattern matches, to report near misses.
            let pos =
                (!examples && !trace).then(|| lines[i].chars_before as f64 / total_chars as f64);
            let chars = if trace { 0 } else { lines[i].chars };
            // The span-cleaned view first; when no rule acts on it, the line as written
            // (a bare image URL the span rules would empty, or leave a tail of).
            let mut fired = None;
            let mut matched = s;
            let variants = if std::ptr::eq(s, raw_line) { 1 } else { 2 };
            for (k, v) in [s, raw_line].into_iter().take(variants).enumerate() {
                self.matchers
                    .line
                    .candidates(rules, v, chars, pos, &mut scratch);
                for &r in &scratch.candidates {
                    if !active[r] {
                        continue;
                    }
                    match check(&rules[r], i, prev_image) {
                        Ok(()) => {
                            fired = Some(r);
                            break;
                        }
                        Err(failed) if trace && k == 0 => near.push(NearMiss {
                            line: i + 1,
                            rule: rules[r].id.clone(),
                            failed,
                        }),
                        Err(_) => {}
                    }
                }
                if fired.is_some() {
                    matched = v;
                    break;
                }
            }
            if let Some(r) = fired {
                let rule = &rules[r];
                let f = firings.len() as u32;
                firings.push(Firing { rule: r });
                prev_image = rule.category == "image";
                match rule.action {
                    Action::DropLine => fate[i] = Fate::Drop(f),
                    Action::Meta => {
                        fate[i] = Fate::Drop(f);
                        if let Some(re) = &self.matchers.meta[r] {
                            for (name, value) in matchers::meta_captures(re, matched) {
                                let v = self.clean_value(value, &active, &mut scratch);
                                metadata.set(&name, v);
                            }
                        }
                    }
                    Action::DropRest => {
                        for x in fate[i..].iter_mut().filter(|x| **x == Fate::Keep) {
                            *x = Fate::Drop(f);
                        }
                        break;
                    }
                    Action::DropHead => {
                        for x in fate[..=i].iter_mut().filter(|x| **x == Fate::Keep) {
                            *x = Fate::Drop(f);
                        }
                        block = None;
                    }
                    Action::DropBlock => {
                        fate[i] = Fate::Drop(f);
                        block = Some((f, rule.block_max_chars, i));
                    }
                    Action::DropSpan | Action::Replace => {
                        unreachable!("span rules are not line rules")
                    }
                }
            } else if let Some((f, max, last)) =
                block.filter(|b| is_list_like(s, lines[i].chars, b.1))
            {
                for x in &mut fate[last + 1..=i] {
                    *x = Fate::Drop(f);
                }
                block = Some((f, max, i));
                prev_image = false;
            } else {
                block = None;
                prev_image = false;
            }
            i += 1;
        }

        // --- built-in stages --------------------------------------------------------
        if let (Some(r), Some(page), false) = (
            self.stage_rule(Stage::PageBoilerplate),
            doc.page.as_ref(),
            examples,
        ) {
            page_boilerplate(text, &lines, &mut fate, &mut firings, r, page);
        }
        if !examples {
            if let Some(r) = self.stage_rule(Stage::LeadExcerpt) {
                lead_excerpt(text, &lines, &mut fate, &mut firings, r);
            }
            if let Some(r) = self.stage_rule(Stage::RepeatedParagraph) {
                repeated_paragraphs(text, &lines, &mut fate, &mut firings, r);
            }
            if let Some(r) = self.stage_rule(Stage::TitleVariant) {
                title_variants(text, &lines, &mut fate, &mut firings, r);
            }
            if let Some(r) = self.stage_rule(Stage::HeadlineRun) {
                headline_list(text, &lines, &mut fate, &mut firings, r, total_chars);
            }
        }

        // --- span pass, white space, output --------------------------------------------
        let mut body = String::with_capacity(text.len());
        let mut raw_edits: Vec<RawEdit> = Vec::new();
        let mut body_lines: Vec<usize> = Vec::new();
        let ws_id = ws_rule.unwrap_or(usize::MAX);
        for (i, l) in lines.iter().enumerate() {
            if let Fate::Drop(f) = fate[i] {
                raw_edits.push(RawEdit {
                    rule: firings[f as usize].rule,
                    firing: Some(f),
                    line: i,
                    start: l.start,
                    end: l.end,
                    replacement: None,
                });
                continue;
            }
            if l.blank() && ws {
                raw_edits.push(RawEdit {
                    rule: ws_id,
                    firing: None,
                    line: i,
                    start: l.start,
                    end: l.end,
                    replacement: None,
                });
                continue;
            }
            // Span rules, on the trimmed text (found during the line pass).
            scratch.hits.clear();
            if let Ok(k) = span_cache.binary_search_by_key(&i, |c| c.0) {
                std::mem::swap(&mut scratch.hits, &mut span_cache[k].1);
            }
            let mark = raw_edits.len();
            let body_mark = body.len();
            let emitted = emit_line(
                text,
                l,
                &scratch.hits,
                ws.then_some(ws_id),
                i,
                &mut body,
                &mut raw_edits,
            );
            if emitted {
                body_lines.push(i);
            } else if !l.blank() {
                // Every character went: the line itself goes, charged to the first span rule.
                let rule = raw_edits[mark..]
                    .iter()
                    .find(|e| e.rule != ws_id)
                    .map_or(ws_id, |e| e.rule);
                raw_edits.truncate(mark);
                body.truncate(body_mark);
                raw_edits.push(RawEdit {
                    rule,
                    firing: None,
                    line: i,
                    start: l.start,
                    end: l.end,
                    replacement: None,
                });
            }
        }

        // --- edits ---------------------------------------------------------------------
        let mut edits: Vec<Edit> = Vec::with_capacity(raw_edits.len());
        let mut last: Option<(usize, Option<u32>)> = None;
        for e in raw_edits {
            if example_rule.is_some_and(|only| e.rule != only) {
                continue;
            }
            if let (Some(prev), Some((rule, firing))) = (edits.last_mut(), last) {
                if prev.end == e.start && rule == e.rule && firing == e.firing {
                    prev.end = e.end;
                    prev.removed.push_str(&text[e.start..e.end]);
                    if let Some(r) = e.replacement {
                        prev.replacement
                            .get_or_insert_with(String::new)
                            .push_str(&r);
                    }
                    continue;
                }
            }
            last = Some((e.rule, e.firing));
            let (id, category, action) = if e.rule == usize::MAX {
                ("whitespace.normalize", "whitespace", "normalize")
            } else {
                let r = &rules[e.rule];
                (r.id.as_str(), r.category.as_str(), r.action_name())
            };
            edits.push(Edit {
                rule: id.to_string(),
                category: category.to_string(),
                action: action.to_string(),
                line: e.line + 1,
                start: e.start,
                end: e.end,
                removed: text[e.start..e.end].to_string(),
                replacement: e.replacement,
            });
        }
        if examples {
            body = replay(text, &edits).expect("example edits replay");
        }

        let mut stats = Stats {
            chars_in: text.chars().count(),
            chars_out: body.chars().count(),
            lines_in: lines.len(),
            lines_out: body.lines().count(),
            ..Stats::default()
        };
        for e in &edits {
            *stats.removed_chars.entry(e.category.clone()).or_default() +=
                e.removed.chars().count();
            *stats.edits.entry(e.category.clone()).or_default() += 1;
        }
        metadata.title = body
            .lines()
            .next()
            .filter(|t| t.chars().count() <= 100)
            .map(str::to_string);
        (
            Cleaned {
                body,
                edits,
                metadata,
                stats,
                scopes,
                near_misses: near,
            },
            body_lines,
        )
    }

    /// Applies the span rules to a captured metadata value (no edits recorded).
    fn clean_value(&self, value: &str, active: &[bool], scratch: &mut Scratch) -> String {
        let rules = self.ruleset.rules();
        self.matchers
            .span
            .find(rules, value, scratch, &mut |r| active[r]);
        let mut out = String::with_capacity(value.len());
        let mut pos = 0;
        for h in &scratch.hits {
            out.push_str(&value[pos..h.start]);
            if let Some(r) = &h.replacement {
                out.push_str(r);
            }
            pos = h.end;
        }
        out.push_str(&value[pos..]);
        out.trim().to_string()
    }
}

/// Where the line holding byte `at` of `text` starts, as the fraction of the document's
/// (trimmed) text before it: the position `head` and `tail` conditions test.
pub fn zone_position(text: &str, at: usize) -> f64 {
    let lines = split_lines(text);
    let total = lines.last().map_or(0, |l| l.chars_before + l.chars).max(1);
    let i = lines
        .partition_point(|l| l.end <= at)
        .min(lines.len().saturating_sub(1));
    lines
        .get(i)
        .map_or(0.0, |l| l.chars_before as f64 / total as f64)
}

/// Splits text into lines with their trimmed ranges and running character counts.
fn split_lines(text: &str) -> Vec<LineInfo> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut chars_before = 0;
    let bytes = text.as_bytes();
    while start < text.len() {
        let nl = bytes[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map(|i| start + i);
        let end = nl.map_or(text.len(), |i| i + 1);
        let mut content_end = nl.unwrap_or(text.len());
        // Only `\r\n` ends a line; a lone `\r` at the end of the text is white space.
        if nl.is_some() && content_end > start && bytes[content_end - 1] == b'\r' {
            content_end -= 1;
        }
        let line = &text[start..content_end];
        let trimmed_start = line.trim_start_matches(|c| is_space(c) || is_zero_width(c));
        let ts = content_end - trimmed_start.len();
        let te = ts
            + trimmed_start
                .trim_end_matches(|c| is_space(c) || is_zero_width(c))
                .len();
        let chars = text[ts..te].bytes().filter(|b| (b & 0xC0) != 0x80).count();
        lines.push(LineInfo {
            start,
            content_end,
            end,
            ts,
            te,
            chars,
            chars_before,
        });
        chars_before += chars;
        start = end;
    }
    lines
}

/// Writes the kept line `l` (with span edits `hits`, relative to its trimmed text) to
/// `out`, recording every change. With `ws` set, white space is normalised: leading and
/// trailing space removed, inner runs collapsed to one space, zero-width characters
/// removed, `\r\n` turned into `\n`, and a final newline added. Returns whether anything
/// but white space was written.
fn emit_line(
    text: &str,
    l: &LineInfo,
    hits: &[matchers::SpanHit],
    ws: Option<usize>,
    line: usize,
    out: &mut String,
    edits: &mut Vec<RawEdit>,
) -> bool {
    let mark = edits.len();
    let Some(ws) = ws else {
        // No normalisation: raw text with span edits, raw terminator.
        let mut pos = l.start;
        let mut any = false;
        for h in hits {
            let (s, e) = (l.ts + h.start, l.ts + h.end);
            out.push_str(&text[pos..s]);
            any |= !text[pos..s].is_empty();
            if let Some(r) = &h.replacement {
                out.push_str(r);
                any |= !r.is_empty();
            }
            edits.push(RawEdit {
                rule: h.rule,
                firing: None,
                line,
                start: s,
                end: e,
                replacement: h.replacement.clone(),
            });
            pos = e;
        }
        out.push_str(&text[pos..l.end]);
        any |= !text[pos..l.content_end].trim().is_empty();
        return any || l.blank();
    };

    let del = |edits: &mut Vec<RawEdit>, start: usize, end: usize, repl: Option<&str>| {
        if start < end || repl.is_some() {
            edits.push(RawEdit {
                rule: ws,
                firing: None,
                line,
                start,
                end,
                replacement: repl.map(str::to_string),
            });
        }
    };
    let mut emitted = false;
    // Pending white-space runs (raw ranges) not yet decided.
    let mut pending: Vec<(usize, usize)> = Vec::new();
    let flush = |pending: &mut Vec<(usize, usize)>,
                 emitted: bool,
                 out: &mut String,
                 edits: &mut Vec<RawEdit>| {
        if pending.is_empty() {
            return;
        }
        let mut rest = &pending[..];
        if emitted {
            let (s, e) = pending[0];
            if text.as_bytes()[s] == b' ' {
                out.push(' ');
                del(edits, s + 1, e, None);
            } else {
                out.push(' ');
                del(edits, s, e, Some(" "));
            }
            rest = &pending[1..];
        }
        for &(s, e) in rest {
            del(edits, s, e, None);
        }
        pending.clear();
    };
    let kept = |from: usize,
                to: usize,
                pending: &mut Vec<(usize, usize)>,
                emitted: &mut bool,
                out: &mut String,
                edits: &mut Vec<RawEdit>| {
        let mut run_start = from; // start of a run of ordinary characters
        for (off, c) in text[from..to].char_indices() {
            let p = from + off;
            let special = is_space(c) || is_zero_width(c);
            if !special {
                continue;
            }
            if run_start < p {
                flush(pending, *emitted, out, edits);
                out.push_str(&text[run_start..p]);
                *emitted = true;
            }
            let e = p + c.len_utf8();
            if is_zero_width(c) {
                del(edits, p, e, None);
            } else if let Some(last) = pending.last_mut().filter(|x| x.1 == p) {
                last.1 = e;
            } else {
                pending.push((p, e));
            }
            run_start = e;
        }
        if run_start < to {
            flush(pending, *emitted, out, edits);
            out.push_str(&text[run_start..to]);
            *emitted = true;
        }
    };
    let mut pos = l.start;
    for h in hits {
        let (s, e) = (l.ts + h.start, l.ts + h.end);
        kept(pos, s, &mut pending, &mut emitted, out, edits);
        match &h.replacement {
            Some(r) if !r.is_empty() => {
                flush(&mut pending, emitted, out, edits);
                out.push_str(r);
                emitted = true;
            }
            _ => {}
        }
        edits.push(RawEdit {
            rule: h.rule,
            firing: None,
            line,
            start: s,
            end: e,
            replacement: h.replacement.clone(),
        });
        pos = e;
    }
    kept(pos, l.content_end, &mut pending, &mut emitted, out, edits);
    for (s, e) in pending.drain(..) {
        del(edits, s, e, None);
    }
    if emitted {
        // Line terminator: keep `\n`, drop the `\r` of `\r\n`, add one at end of text.
        if l.content_end == l.end {
            del(edits, l.end, l.end, Some("\n"));
        } else if l.end - l.content_end == 2 {
            del(edits, l.content_end, l.content_end + 1, None);
        }
        out.push('\n');
        // Sort this line's edits by position: span edits and white-space edits interleave.
        edits[mark..].sort_by_key(|e| (e.start, e.end));
    }
    emitted
}

/// A line of prose: a sentence of some length, not a menu item or a headline.
fn is_prose(s: &str, chars: usize) -> bool {
    chars >= 60 || (chars >= 20 && s.contains(SENTENCE_END))
}

/// HTML pages: drop link lists, the chrome before the article heading, and everything
/// after the last prose line. See the `boilerplate.page` rule description.
fn page_boilerplate(
    text: &str,
    lines: &[LineInfo],
    fate: &mut [Fate],
    firings: &mut Vec<Firing>,
    rule: usize,
    page: &crate::input::html::PageHints,
) {
    if page.lines.len() != lines.len() {
        return; // Hints describe another text (should not happen): do nothing.
    }
    let fire = |firings: &mut Vec<Firing>| {
        firings.push(Firing { rule });
        (firings.len() - 1) as u32
    };
    let links = fire(firings);
    for (i, h) in page.lines.iter().enumerate() {
        let mostly_links = h.chars > 0 && h.link_chars * 2 > h.chars;
        // A title inside a link (<h1><a>…</a></h1>) is still the title.
        if fate[i] == Fate::Keep
            && !lines[i].blank()
            && mostly_links
            && !(1..=2).contains(&h.heading)
        {
            fate[i] = Fate::Drop(links);
        }
    }
    let kept: Vec<usize> = (0..lines.len())
        .filter(|&i| fate[i] == Fate::Keep && !lines[i].blank())
        .collect();
    let content = |i: usize| &text[lines[i].ts..lines[i].te];
    let prose = |i: usize| is_prose(content(i), lines[i].chars);
    // The article heading: the line that best matches the page title (compared on letters
    // and digits only: pages mix “” and "", ？ and ?), a heading first; else the first <h1>.
    let squeeze = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
    };
    let title = page.title.as_deref().map(squeeze).unwrap_or_default();
    let anchor = kept
        .iter()
        .map(|&i| {
            let t = squeeze(content(i));
            let heading = (1..=3).contains(&page.lines[i].heading);
            let n = t.chars().count();
            // Headings may be short; a plain line must be a long part of the title.
            let matches = n >= if heading { 4 } else { 8 } && title.contains(&t);
            (matches, heading, page.lines[i].heading == 1, n, i)
        })
        .filter(|&(m, _, h1, _, _)| m || h1)
        .max_by_key(|&(m, heading, h1, n, i)| (m, heading, h1, n, std::cmp::Reverse(i)))
        .map(|(.., i)| i);
    if let Some(a) = anchor {
        let f = fire(firings);
        for &i in kept.iter().take_while(|&&i| i < a) {
            fate[i] = Fate::Drop(f);
        }
    }
    if let Some(&last) = kept.iter().rev().find(|&&i| prose(i)) {
        if anchor.is_none_or(|a| last > a) {
            let f = fire(firings);
            for &i in kept.iter().filter(|&&i| i > last) {
                fate[i] = Fate::Drop(f);
            }
        }
    }
}

/// Lines near the top ending in an ellipsis whose text appears again later: a lead excerpt.
fn lead_excerpt(
    text: &str,
    lines: &[LineInfo],
    fate: &mut [Fate],
    firings: &mut Vec<Firing>,
    rule: usize,
) {
    let kept: Vec<usize> = (0..lines.len())
        .filter(|&i| fate[i] == Fate::Keep && !lines[i].blank())
        .collect();
    if kept.len() < 4 {
        return;
    }
    let squeeze = |i: usize| -> String {
        text[lines[i].ts..lines[i].te]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    // Look at the first few paragraphs after the title: for an excerpt cut with an
    // ellipsis first, then for a whole line repeating a later paragraph's start.
    for (cut, k) in [true, false]
        .into_iter()
        .flat_map(|cut| (1..kept.len().min(7)).map(move |k| (cut, k)))
    {
        let i = kept[k];
        let s = &text[lines[i].ts..lines[i].te];
        if cut != ends_with_ellipsis(s) {
            continue;
        }
        let stripped: String = strip_ellipsis(s)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let n = stripped.chars().count();
        if n < 10 || (!cut && n < 24) {
            continue;
        }
        let mut later = String::new();
        let mut starts = Vec::new();
        for &j in &kept[k + 1..] {
            starts.push(later.len());
            later.push_str(&squeeze(j));
        }
        // An excerpt cut with an ellipsis may repeat any passage; a whole line repeats the
        // text from the start of a later paragraph on (labelled or not: 摘要：…).
        let repeats = |t: &str| starts.iter().any(|&o| later[o..].starts_with(t));
        let label_end = stripped
            .char_indices()
            .take(7)
            .find(|&(_, c)| matches!(c, ':' | '：' | '】' | ']'))
            .map(|(p, c)| p + c.len_utf8());
        let unlabelled = label_end.map(|e| &stripped[e..]);
        let found = if cut {
            later.contains(&stripped)
        } else {
            repeats(&stripped) || unlabelled.is_some_and(|t| t.chars().count() >= 24 && repeats(t))
        };
        if !found {
            continue;
        }
        let f = firings.len() as u32;
        firings.push(Firing { rule });
        fate[i] = Fate::Drop(f);
        // Earlier paragraphs (not the title) that continue into the excerpt.
        let mut joined = stripped;
        for b in (1..k).rev() {
            let j = kept[b];
            let candidate = squeeze(j) + &joined;
            if fate[j] == Fate::Keep && later.contains(&candidate) {
                fate[j] = Fate::Drop(f);
                joined = candidate;
            } else {
                break;
            }
        }
        return;
    }
}

/// The title again with a keyword or site name attached: see [`title_variant`].
fn title_variants(
    text: &str,
    lines: &[LineInfo],
    fate: &mut [Fate],
    firings: &mut Vec<Firing>,
    rule: usize,
) {
    let idx: Vec<usize> = (0..lines.len())
        .filter(|&i| fate[i] == Fate::Keep && !lines[i].blank())
        .take(6)
        .collect();
    let kept: Vec<&str> = idx
        .iter()
        .map(|&i| &text[lines[i].ts..lines[i].te])
        .collect();
    for k in title_variant::find(&kept) {
        let f = firings.len() as u32;
        firings.push(Firing { rule });
        fate[idx[k]] = Fate::Drop(f);
    }
}

/// A related list after the body, by shape: see [`headline_run`].
fn headline_list(
    text: &str,
    lines: &[LineInfo],
    fate: &mut [Fate],
    firings: &mut Vec<Firing>,
    rule: usize,
    total_chars: usize,
) {
    let idx: Vec<usize> = (0..lines.len())
        .filter(|&i| fate[i] == Fate::Keep && !lines[i].blank())
        .collect();
    let kept: Vec<headline_run::Kept> = idx
        .iter()
        .map(|&i| headline_run::Kept {
            text: &text[lines[i].ts..lines[i].te],
            chars: lines[i].chars,
            chars_before: lines[i].chars_before,
        })
        .collect();
    if let Some(first) = headline_run::find(&kept, total_chars) {
        let f = firings.len() as u32;
        firings.push(Firing { rule });
        for &i in &idx[first..] {
            fate[i] = Fate::Drop(f);
        }
    }
}

/// Paragraphs identical (white space aside) to an earlier kept paragraph.
fn repeated_paragraphs(
    text: &str,
    lines: &[LineInfo],
    fate: &mut [Fate],
    firings: &mut Vec<Firing>,
    rule: usize,
) {
    use std::hash::Hasher;
    let mut seen: HashMap<u64, Vec<usize>> = HashMap::new();
    for i in 0..lines.len() {
        if fate[i] != Fate::Keep || lines[i].chars < 10 {
            continue;
        }
        let s = &text[lines[i].ts..lines[i].te];
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for part in s.split_whitespace() {
            h.write(part.as_bytes());
        }
        let slot = seen.entry(h.finish()).or_default();
        if slot
            .iter()
            .any(|&j| squeeze_eq(&text[lines[j].ts..lines[j].te], s))
        {
            let f = firings.len() as u32;
            firings.push(Firing { rule });
            fate[i] = Fate::Drop(f);
        } else {
            slot.push(i);
        }
    }
}

#[cfg(test)]
mod tests;
