//! Applies compiled rules to one document's text. No file I/O happens here.
//!
//! The pipeline, per document, each step in its own module:
//! 1. [`stages::page`]: for HTML pages, the extractor's verdicts (`extract.main`: lines
//!    outside the article, each with its reason) are applied first, and the page's
//!    metadata goes before what bylines say; for plain text that is a whole page,
//!    [`stages::page_text`] (`page.text-lines`) drops what the line classifier places
//!    outside the article;
//! 2. [`line_rules`]: one pass top to bottom. Each line is matched as the span rules
//!    leave it; the first rule (in priority order) whose conditions hold decides it.
//!    Rules whose conditions depend on the rest of the document (`head`/`tail` zones,
//!    `repeats_next`) are deferred. A kept paragraph identical to an earlier kept one
//!    goes on the way (`duplicate.paragraph`);
//! 3. [`stages`]: a lead excerpt that repeats later text, the title repeated with a
//!    keyword attached, a related list after the body (structure, not patterns);
//! 4. [`zones`]: the deferred lines, `head` rules top-down and `tail` rules bottom-up,
//!    each measured on the text as it will be kept (see [`zones`] for why this makes
//!    cleaning idempotent by construction). Nothing is dropped after this;
//! 5. [`emit`]: span edits and white-space normalisation on kept lines, and the edits
//!    that replay the raw text into the body.

#![warn(missing_docs)]

mod capture;
mod conditions;
mod emit;
pub mod examples;
mod fates;
mod line_rules;
mod lines;
mod literals;
mod matchers;
mod pending;
pub mod provenance;
mod scope;
pub mod shape;
pub(crate) mod stages;
mod zones;

use std::collections::BTreeMap;
use std::sync::Arc;

// The crates below the engine, under the names the engine's modules use.
use rinse_classify as classify;
use rinse_extract as extract;
use rinse_input as input;
use rinse_rules as rules;

use serde::{Deserialize, Serialize};

use crate::input::html::{LineHint, PageHints};
use crate::input::Document;
use crate::rules::{Action, Matcher, Rule, Ruleset, Stage};
use matchers::Matchers;

pub use conditions::SENTENCE_PUNCT;
pub use stages::invisible::is_invisible;

/// Longest `removed` text an edit records; longer removals keep this much (at a character
/// boundary) and set [`Edit::truncated`], so provenance grows with the number of edits,
/// not with the size of what they removed.
pub const MAX_RECORDED_REMOVAL: usize = 4096;

/// What an edit did: a rule's action (see [`Action`]), or white-space normalisation.
/// Serialised as in rule files: `drop-line`, `drop-span`, ..., `normalize`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EditAction {
    /// A whole line removed.
    #[default]
    DropLine,
    /// Text inside a line removed.
    DropSpan,
    /// Text rewritten with a template.
    Replace,
    /// A footer: the line and everything after it removed.
    DropRest,
    /// Header chrome: everything up to and including the line removed.
    DropHead,
    /// A list: the line and the list-like lines after it removed.
    DropBlock,
    /// Metadata captured and the line removed.
    Meta,
    /// White space normalised (`whitespace.normalize`).
    Normalize,
}

impl EditAction {
    /// The name used in provenance and rule files.
    pub fn as_str(self) -> &'static str {
        match self {
            EditAction::DropLine => "drop-line",
            EditAction::DropSpan => "drop-span",
            EditAction::Replace => "replace",
            EditAction::DropRest => "drop-rest",
            EditAction::DropHead => "drop-head",
            EditAction::DropBlock => "drop-block",
            EditAction::Meta => "meta",
            EditAction::Normalize => "normalize",
        }
    }

    /// What `rule`'s edits do.
    pub fn of(rule: &Rule) -> EditAction {
        match (&rule.matcher, rule.action) {
            (Matcher::Builtin(Stage::Whitespace), _) => EditAction::Normalize,
            (_, Action::DropLine) => EditAction::DropLine,
            (_, Action::DropSpan) => EditAction::DropSpan,
            (_, Action::Replace) => EditAction::Replace,
            (_, Action::DropRest) => EditAction::DropRest,
            (_, Action::DropHead) => EditAction::DropHead,
            (_, Action::DropBlock) => EditAction::DropBlock,
            (_, Action::Meta) => EditAction::Meta,
        }
    }
}

impl std::fmt::Display for EditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One recorded change to the decoded raw text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Edit {
    /// Id of the rule or built-in stage that made the change.
    pub rule: String,
    /// The rule's category.
    pub category: String,
    /// What the edit did: the rule's action, or `normalize` for white space.
    pub action: EditAction,
    /// 1-based line of the decoded raw text where the edit starts.
    pub line: usize,
    /// Byte offset where the edit starts in the decoded raw text.
    pub start: usize,
    /// Byte offset where the edit ends (exclusive).
    pub end: usize,
    /// The raw text removed (or replaced): `raw[start..end]`, or its first
    /// [`MAX_RECORDED_REMOVAL`] bytes when [`Edit::truncated`] is set.
    pub removed: String,
    /// `removed` holds only the beginning of the removed text.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
    /// The text put in its place, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replacement: Option<String>,
    /// Why a built-in stage removed this text (e.g. which container held the article).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// For a rule decided by a `head`/`tail` zone: where the line stood, as the fraction of
    /// the kept text before it when it was decided (see `docs/rules.md`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<f64>,
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
    /// Publication time in ISO 8601 (`2019-09-02`, `2019-09-02T10:22:00`, with the
    /// page's offset when it gives one), when the written time has a full date.
    pub published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    /// Publication time as written in the page or byline.
    pub published_raw: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    /// Source (publisher) named in a byline.
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    /// Responsible editor (责任编辑).
    pub editor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    /// The site's name (HTML: `og:site_name`, JSON-LD publisher).
    pub site_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    /// The page's canonical URL (HTML: `<link rel=canonical>`, `og:url`).
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    /// The page's language (HTML: `<html lang>`, `content-language`).
    pub lang: Option<String>,
}

impl Metadata {
    fn set(&mut self, field: &str, value: String) {
        let slot = match field {
            "author" => &mut self.author,
            "published" => &mut self.published_raw,
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearMiss {
    /// 1-based raw line.
    pub line: usize,
    /// Id of the rule.
    pub rule: String,
    /// The condition that failed, e.g. `tail = 0.5`.
    pub failed: String,
    /// For a failed `head`/`tail` condition: where the line stood in the kept text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<f64>,
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
    /// HTML pages whose extraction site selectors steered: the hints and report that
    /// decided (otherwise the document's own [`Document::page`] did).
    pub steered: Option<Arc<PageHints>>,
}

impl Cleaned {
    /// The page hints and extraction report that decided this document's lines: the
    /// steered ones, or the document's own. `rinse explain` reads reasons from these.
    pub fn page_hints<'a>(&'a self, doc: &'a Document) -> Option<&'a PageHints> {
        self.steered.as_deref().or(doc.page.as_ref())
    }
}

/// Why a document could not be cleaned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CleanError {
    /// Replacements would have grown the text past the per-document bound.
    #[error("rule `{rule}` would grow the text past {limit} bytes (twice the input plus 1 MiB) with its replacements; the document was not cleaned")]
    ReplacementTooLarge {
        /// Id of the replace rule that crossed the bound.
        rule: String,
        /// The bound, in bytes of inserted text.
        limit: usize,
    },
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
        let Some(span) = raw.get(e.start..e.end) else {
            return Err(format!(
                "edit {}..{} by {} splits a character",
                e.start, e.end, e.rule
            ));
        };
        let recorded = if e.truncated {
            span.starts_with(e.removed.as_str())
        } else {
            span == e.removed
        };
        if !recorded {
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

/// How one cleaning run behaves.
#[derive(Debug, Clone, Copy, Default)]
struct Mode {
    /// Record near misses.
    trace: bool,
    /// Running one rule's examples: zones and scopes ignored, only this rule's edits kept.
    example: Option<usize>,
}

/// What the passes share while cleaning one document.
pub(crate) struct Ctx<'a> {
    pub text: &'a str,
    pub rules: &'a [crate::rules::Rule],
    pub matchers: &'a Matchers,
    /// Rules whose scope applies to the document.
    pub active: Vec<bool>,
    /// Zone conditions always hold (rule examples).
    pub ignore_zones: bool,
    pub trace: bool,
    /// HTML pages: what the markup and the extractor said about each line.
    pub page: Option<&'a PageHints>,
    /// Start of every line, when `page` is set (to find a line's hint by position).
    pub starts: Vec<usize>,
    /// The rule of the `encoding-artifact.invisible` stage, when it is on: its span edits
    /// join the span rules'.
    pub invisible: Option<usize>,
}

impl Ctx<'_> {
    /// The page hint of the line starting at byte `start`, on HTML pages.
    pub fn hint_at(&self, start: usize) -> Option<&LineHint> {
        let i = self.starts.binary_search(&start).ok()?;
        self.page?.lines.get(i)
    }

    /// The page hint of line `number` (0-based), on HTML pages.
    pub fn hint(&self, number: usize) -> Option<&LineHint> {
        self.page?.lines.get(number)
    }
}

/// Decisions and findings accumulated by the passes.
#[derive(Default)]
pub(crate) struct Work {
    pub fates: fates::Fates,
    pub pending: Vec<pending::Pending>,
    /// Weight of the kept lines between pending lines: `seg[k]` lies before `pending[k]`,
    /// the last entry after the last pending line.
    pub seg: Vec<usize>,
    /// Span hits of kept lines, by line start (sorted).
    pub spans: Vec<(usize, Vec<matchers::SpanHit>)>,
    pub metadata: Metadata,
    pub near: Vec<NearMiss>,
    /// The cause `duplicate.paragraph` drops with, when it is on.
    pub repeat_cause: Option<u32>,
    /// Start of every line the rule pass dropped as a repeat, in order.
    pub repeats: Vec<usize>,
    /// Lines (0-based, ascending) a page stage dropped as a URL or image path on its own:
    /// to the rules they are still the image a caption follows.
    pub dropped_images: Vec<usize>,
    /// Lists of deferred rules, shared by the pending lines that have the same list.
    pub lists: Vec<Vec<usize>>,
    list_index: std::collections::HashMap<Vec<usize>, u32>,
}

impl Work {
    /// The index of `rules` in [`Work::lists`], added when new.
    pub fn list(&mut self, rules: Vec<usize>) -> u32 {
        if let Some(&i) = self.list_index.get(&rules) {
            return i;
        }
        let i = self.lists.len() as u32;
        self.lists.push(rules.clone());
        self.list_index.insert(rules, i);
        i
    }
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
    pub fn clean(&self, doc: &Document) -> Result<Cleaned, CleanError> {
        self.run(doc, Mode::default())
    }

    /// Cleans one document and records rules that matched a kept line but failed a condition.
    pub fn clean_traced(&self, doc: &Document) -> Result<Cleaned, CleanError> {
        self.run(
            doc,
            Mode {
                trace: true,
                ..Mode::default()
            },
        )
    }

    /// Cleans `text` as if `only` were the only rule with edits recorded, ignoring zone
    /// conditions (`head`/`tail`) and site scopes; used to run a rule's examples. Other rules still decide
    /// their lines, so an example shows what the rule does inside the whole set.
    pub fn clean_example(&self, text: &str, only: &str) -> Result<Cleaned, CleanError> {
        let idx = self.ruleset.rules().iter().position(|r| r.id == only);
        self.run(
            &Document::from_text(text),
            Mode {
                example: Some(idx.unwrap_or(usize::MAX)),
                ..Mode::default()
            },
        )
    }

    fn run(&self, doc: &Document, mode: Mode) -> Result<Cleaned, CleanError> {
        let rules = self.ruleset.rules();
        let examples = mode.example.is_some();
        // Examples ignore scopes, as they ignore zones: they show what a rule's pattern
        // does, wherever it is allowed to run.
        let (mut active, scopes) = scope::active_rules(rules, doc);
        if examples {
            active.fill(true);
        }
        // HTML: site selectors in scope steer the extraction again; else the page's own.
        let site = scope::site_selectors(self.ruleset.site_extracts(), doc);
        let steered = (!site.is_empty() && !examples)
            .then(|| doc.page.as_ref().and_then(|p| p.steered(&site)))
            .flatten()
            .map(Arc::new);
        let page = steered
            .as_deref()
            .or(doc.page.as_ref())
            .filter(|_| !examples)
            .filter(|p| p.lines.len() == lines::lines(&doc.text).count());
        let ctx = Ctx {
            text: &doc.text,
            rules,
            matchers: &self.matchers,
            active,
            ignore_zones: examples,
            trace: mode.trace,
            page,
            starts: page.map_or(Vec::new(), |_| {
                lines::lines(&doc.text).map(|l| l.start).collect()
            }),
            invisible: self.stage_rule(Stage::Invisible),
        };
        let mut work = Work::default();
        if let Some(page) = page {
            // The markup's metadata is more trustworthy than byline lines: it goes first,
            // bylines fill what it lacks.
            let m = &page.meta;
            work.metadata.author = m.author.clone();
            work.metadata.published_raw = m.published_raw.clone();
            work.metadata.site_name = m.site_name.clone();
            work.metadata.url = m.url.clone();
            work.metadata.lang = m.lang.clone();
            if let Some(r) = self.stage_rule(Stage::ExtractMain) {
                stages::page::apply(&ctx, &mut work, r, page);
            }
        }
        if let (Some(r), None, false) = (
            self.stage_rule(Stage::PageTextLines),
            doc.page.as_ref(),
            examples,
        ) {
            stages::page_text::apply(&ctx, &mut work, r);
        }
        let repeated = self
            .stage_rule(Stage::RepeatedParagraph)
            .filter(|_| !examples);
        line_rules::run(&ctx, &mut work, repeated)?;
        if !examples {
            if let Some(r) = self.stage_rule(Stage::LeadExcerpt) {
                stages::lead_excerpt::apply(&ctx, &mut work, r);
            }
            // One view of the kept lines for both structural stages, built again only
            // when the first dropped something (building it was a quarter of the time on
            // texts of many short lines).
            let mut view = None;
            if let Some(r) = self.stage_rule(Stage::TitleVariant) {
                let lines = stages::kept_lines(&ctx, &work);
                if !stages::title_variant::apply(&ctx, &mut work, r, &lines) {
                    view = Some(lines);
                }
            }
            if let Some(r) = self.stage_rule(Stage::HeadlineRun) {
                let lines = view.unwrap_or_else(|| stages::kept_lines(&ctx, &work));
                stages::headline_run::apply(&ctx, &mut work, r, &lines);
            }
        }
        zones::run(&ctx, &mut work);
        let ws = self.stage_rule(Stage::Whitespace).filter(|_| !examples);
        let mut cleaned = emit::finish(&ctx, work, ws, mode.example, scopes);
        cleaned.metadata.published = cleaned
            .metadata
            .published_raw
            .as_deref()
            .and_then(crate::extract::meta::iso_date);
        cleaned.steered = steered;
        Ok(cleaned)
    }
}

#[cfg(test)]
mod tests;
