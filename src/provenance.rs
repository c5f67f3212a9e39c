//! The serialisable record of what happened to one document (see `docs/provenance.md`).

use serde::{Deserialize, Serialize};

use crate::engine::{Cleaned, Edit, Metadata, Stats};
use crate::input::{Document, Source};
use crate::rules::Ruleset;

/// Version tag of the provenance JSON layout.
pub const SCHEMA: &str = "rinse.provenance/1";

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
    /// The input: path, size, hash, encoding and how it was chosen, format.
    pub source: Source,
    /// The rule set that cleaned it.
    pub ruleset: RulesetInfo,
    /// Metadata found while cleaning.
    pub metadata: Metadata,
    /// Counts of what was removed, by category.
    pub stats: Stats,
    /// Ordered, non-overlapping edits on the decoded raw text.
    pub edits: Vec<Edit>,
}

impl Provenance {
    /// Builds the record for `doc` cleaned into `cleaned` by `ruleset`.
    pub fn new(doc: &Document, cleaned: &Cleaned, ruleset: &Ruleset) -> Provenance {
        Provenance {
            schema: SCHEMA.to_string(),
            source: doc.source.clone(),
            ruleset: RulesetInfo {
                fingerprint: ruleset.fingerprint().to_string(),
                scopes: cleaned.scopes.clone(),
            },
            metadata: cleaned.metadata.clone(),
            stats: cleaned.stats.clone(),
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
