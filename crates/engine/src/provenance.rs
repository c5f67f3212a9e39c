//! The serialisable record of what happened to one document (see `docs/provenance.md`).

use serde::{Deserialize, Serialize};

use crate::input::{Document, Source};
use crate::rules::Ruleset;
use crate::{Cleaned, Edit, Metadata, Stats};

/// Version tag of the provenance JSON layout.
pub const SCHEMA: &str = "rinse.provenance/1";

/// The program that produced a record: the same version and engine fingerprint with the
/// same rules give the same bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineInfo {
    /// The rinse version (`Cargo.toml`).
    pub version: String,
    /// A hash of the cleaning code (engine, input decoding, rule compilation, this record's
    /// layout), computed at build time: it changes when that code changes, even within one
    /// version.
    pub engine: String,
}

impl EngineInfo {
    /// This build's version and engine fingerprint.
    pub fn current() -> EngineInfo {
        EngineInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            engine: env!("RINSE_ENGINE_FINGERPRINT").to_string(),
        }
    }
}

/// Where a reviewer should look first: documents whose cleaning is likely wrong, for a
/// reason a reviewer can check. Removing most of a whole page is normal (it is mostly page
/// chrome) and is not flagged; what is flagged is a doubt the cleaning itself raised.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Quality {
    /// Nothing unusual.
    #[default]
    Ok,
    /// A text that is not a whole page (an article repost) lost more than
    /// [`REMOVED_MOST`] of its characters: the article may have been lost.
    RemovedMost,
    /// A whole HTML page of at least [`KEPT_MOST_MIN_CHARS`] characters kept more than
    /// [`KEPT_MOST`] of them: its chrome is likely still there.
    KeptMost,
    /// The text did not decode to plausible text: the bytes read as nothing (random bytes
    /// decode as windows-1252 without an error, see [`crate::input::decode::implausible`]),
    /// or the decoded text looks mis-decoded (mojibake, many U+FFFD). Whatever was cleaned
    /// is likely garbage.
    Garbled,
    /// The chosen container and the text classifier disagreed about where the article is,
    /// and neither could be shown wrong (see `rinse explain`).
    ViewsDisagree,
    /// The extraction found no plausible article: the chosen container failed the
    /// plausibility tests with no alternative, or the body is empty while the page holds
    /// prose.
    Implausible,
}

/// Share of removed characters above which a text that is not a whole page is flagged
/// [`Quality::RemovedMost`].
pub const REMOVED_MOST: f64 = 0.90;
/// Share of kept characters above which a whole page is flagged [`Quality::KeptMost`].
pub const KEPT_MOST: f64 = 0.95;
/// A page this small may be just its article: kept whole, it is not flagged.
pub const KEPT_MOST_MIN_CHARS: usize = 2000;
/// A whole page whose body (after the headline) has fewer characters than this, while
/// the input had at least [`PAGE_PROSE_CHARS`], is flagged [`Quality::Implausible`].
pub const EMPTY_BODY_CHARS: usize = 20;
/// See [`EMPTY_BODY_CHARS`].
pub const PAGE_PROSE_CHARS: usize = 200;

impl Quality {
    /// The flag for `doc` cleaned into `cleaned`: the first that applies of garbled text,
    /// an implausible extraction, disagreeing views, a whole page kept, most of an
    /// article removed. Empty inputs are `Ok`.
    pub fn assess(doc: &Document, cleaned: &Cleaned) -> Quality {
        let (chars_in, chars_out) = (cleaned.stats.chars_in, cleaned.stats.chars_out);
        if chars_in == 0 {
            return Quality::Ok;
        }
        if doc.source.implausible || crate::classify::mojibake::looks_mojibake(&doc.text) {
            return Quality::Garbled;
        }
        let html = doc.source.format == rinse_input::ContentFormat::Html;
        // The stage that cuts a plain-text whole page down to its article: its edits say
        // the text was a page.
        let page_text = crate::rules::Stage::PageTextLines.id();
        let whole_page = html || cleaned.edits.iter().any(|e| e.rule == page_text);
        let opinion = cleaned
            .page_hints(doc)
            .and_then(|h| h.report.second_opinion.as_ref());
        if opinion.is_some_and(|o| o.implausible) {
            return Quality::Implausible;
        }
        // A whole page reduced to its headline (or nothing) while it had text to give.
        let body: usize = cleaned
            .body
            .lines()
            .skip(1)
            .map(|l| l.chars().filter(|c| !c.is_whitespace()).count())
            .sum();
        if whole_page && body < EMPTY_BODY_CHARS && chars_in >= PAGE_PROSE_CHARS {
            return Quality::Implausible;
        }
        if opinion.is_some_and(|o| o.doubtful()) {
            return Quality::ViewsDisagree;
        }
        let kept = chars_out as f64 / chars_in as f64;
        if html && chars_in >= KEPT_MOST_MIN_CHARS && kept > KEPT_MOST {
            Quality::KeptMost
        } else if !whole_page && 1.0 - kept > REMOVED_MOST {
            Quality::RemovedMost
        } else {
            Quality::Ok
        }
    }

    /// The flag's name as written in provenance (`ok`, `removed-most`, `kept-most`,
    /// `garbled`, `views-disagree`, `implausible`).
    pub fn as_str(self) -> &'static str {
        match self {
            Quality::Ok => "ok",
            Quality::RemovedMost => "removed-most",
            Quality::KeptMost => "kept-most",
            Quality::Garbled => "garbled",
            Quality::ViewsDisagree => "views-disagree",
            Quality::Implausible => "implausible",
        }
    }
}

/// The rule set that produced a cleaned document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesetInfo {
    /// Short hash of the rule sources (see [`Ruleset::fingerprint`]).
    pub fingerprint: String,
    /// Site scopes that applied to this document, with the reason.
    #[serde(default)]
    pub scopes: Vec<String>,
}

/// Everything recorded about one cleaned document. Replaying `edits` on the decoded raw
/// text gives the cleaned body exactly ([`crate::engine::replay`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// The program that cleaned it.
    #[serde(default = "EngineInfo::current")]
    pub rinse: EngineInfo,
    /// The input: path, size, hash, encoding and how it was chosen, format.
    pub source: Source,
    /// The rule set that cleaned it.
    pub ruleset: RulesetInfo,
    /// Metadata found while cleaning.
    pub metadata: Metadata,
    /// Counts of what was removed, by category.
    pub stats: Stats,
    /// The review flag (see [`Quality::assess`]).
    #[serde(default)]
    pub quality: Quality,
    /// Ordered, non-overlapping edits on the decoded raw text.
    pub edits: Vec<Edit>,
}

impl Provenance {
    /// Builds the record for `doc` cleaned into `cleaned` by `ruleset`.
    pub fn new(doc: &Document, cleaned: &Cleaned, ruleset: &Ruleset) -> Provenance {
        Provenance {
            schema: SCHEMA.to_string(),
            rinse: EngineInfo::current(),
            source: doc.source.clone(),
            ruleset: RulesetInfo {
                fingerprint: ruleset.fingerprint().to_string(),
                scopes: cleaned.scopes.clone(),
            },
            metadata: cleaned.metadata.clone(),
            stats: cleaned.stats.clone(),
            quality: Quality::assess(doc, cleaned),
            edits: cleaned.edits.clone(),
        }
    }

    /// Pretty JSON with a trailing newline; stable key order, so snapshots diff well.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("provenance serialises");
        s.push('\n');
        s
    }
}
