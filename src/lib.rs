//! rinse: clean scraped web articles into article bodies, with a record of every edit.
//!
//! This crate is the command line and a facade over the workspace's crates, each with one
//! job, along the way a document goes:
//! - [`html`] (`rinse-html`): markup to a compact tree, CSS selectors;
//! - [`classify`] (`rinse-classify`): whole-page text: which lines are the article;
//! - [`extract`] (`rinse-extract`): HTML pages to block text, main-content verdicts, metadata;
//! - [`input`] (`rinse-input`): bytes to a [`Document`] (encodings, formats, record readers);
//! - [`rules`] (`rinse-rules`): TOML rule files to a validated [`Ruleset`];
//! - [`engine`] (`rinse-engine`): a [`Cleaner`] applies a rule set to a document, giving
//!   [`Cleaned`] and its [`Provenance`];
//! - [`batch`] (`rinse-pipeline`): sources, decoding, cleaning in parallel, sinks;
//! - [`review`] (`rinse-review`): diff, HTML report, explanations, statistics, [`eval`].
//!
//! ```
//! use rinse::{Cleaner, Document, Ruleset};
//! let cleaner = Cleaner::new(Ruleset::defaults());
//! let doc = Document::from_text("标题\n正文第一段。\n责任编辑:张三\n");
//! let cleaned = cleaner.clean(&doc).unwrap();
//! assert_eq!(cleaned.body, "标题\n正文第一段。\n");
//! assert_eq!(cleaned.metadata.editor.as_deref(), Some("张三"));
//! assert_eq!(rinse::engine::replay(&doc.text, &cleaned.edits).unwrap(), cleaned.body);
//! ```

#![warn(missing_docs)]

pub use rinse_classify as classify;
pub use rinse_engine as engine;
pub use rinse_engine::provenance;
pub use rinse_extract as extract;
pub use rinse_html as html;
pub use rinse_input as input;
pub use rinse_pipeline as batch;
pub use rinse_review as review;
pub use rinse_review::eval;
pub use rinse_rules as rules;

pub use engine::{Cleaned, Cleaner, Edit, Metadata, Stats};
pub use input::{Document, Source};
pub use provenance::Provenance;
pub use rules::Ruleset;
