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

/// Where a reviewer should look first: a document most of which was removed (the article
/// may have been lost), or a whole page (HTML) that kept nearly everything (the page chrome
/// may still be there).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Quality {
    /// Nothing unusual.
    #[default]
    Ok,
    /// More than [`REMOVED_MOST`] of the characters were removed.
    RemovedMost,
    /// A whole-page input kept more than [`KEPT_MOST`] of its characters.
    KeptMost,
    /// The input's bytes did not decode to plausible text (see
    /// [`crate::input::decode::implausible`]): whatever was cleaned is likely garbage.
    Garbled,
}

/// Share of removed characters above which a document is flagged [`Quality::RemovedMost`].
pub const REMOVED_MOST: f64 = 0.90;
/// Share of kept characters above which a whole page is flagged [`Quality::KeptMost`].
pub const KEPT_MOST: f64 = 0.95;

impl Quality {
    /// The flag for a document of `format` (`html` pages are whole pages) cleaned from
    /// `chars_in` to `chars_out` characters. Empty inputs are `Ok`.
    pub fn of(format: &str, chars_in: usize, chars_out: usize) -> Quality {
        if chars_in == 0 {
            return Quality::Ok;
        }
        let kept = chars_out as f64 / chars_in as f64;
        if 1.0 - kept > REMOVED_MOST {
            Quality::RemovedMost
        } else if format == "html" && kept > KEPT_MOST {
            Quality::KeptMost
        } else {
            Quality::Ok
        }
    }

    /// The flag's name as written in provenance (`ok`, `removed-most`, `kept-most`).
    pub fn as_str(self) -> &'static str {
        match self {
            Quality::Ok => "ok",
            Quality::RemovedMost => "removed-most",
            Quality::KeptMost => "kept-most",
            Quality::Garbled => "garbled",
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
    /// The review flag (see [`Quality::of`]).
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
            quality: if doc.source.implausible {
                Quality::Garbled
            } else {
                Quality::of(
                    &doc.source.format,
                    cleaned.stats.chars_in,
                    cleaned.stats.chars_out,
                )
            },
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
