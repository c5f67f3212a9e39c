//! rinse: clean scraped web articles into article bodies, with a record of every edit.
//!
//! The pieces, from bytes to files:
//! - [`input`]: bytes to a [`Document`] (encoding detection, format sniffing);
//! - [`rules`]: TOML rule files to a validated [`Ruleset`];
//! - [`engine`]: a [`Cleaner`] applies a rule set to a document, giving [`Cleaned`];
//! - [`provenance`]: the JSON record of what happened ([`Provenance`]);
//! - [`batch`]: folders, threads, atomic output files, the run summary;
//! - [`eval`]: scoring cleaned bodies against gold bodies.
//! - [`review`]: raw against cleaned: terminal diff, HTML report, explanations, statistics.
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

pub mod batch;
pub mod engine;
pub mod eval;
pub mod extract;
pub mod input;
pub mod provenance;
pub mod review;
pub mod rules;

pub use engine::{Cleaned, Cleaner, Edit, Metadata, Stats};
pub use input::{Document, Source};
pub use provenance::Provenance;
pub use rules::Ruleset;
