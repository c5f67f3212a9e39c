//! Built-in stages: cleaning that is not a pattern, still named, switchable and recorded
//! in provenance like rules (see `builtin_rules` in [`crate::rules`]).
//!
//! [`page`] runs before the rules, on HTML pages, and [`page_text`] on plain text;
//! [`lead_excerpt`] after the rule pass and before the zones. (`duplicate.paragraph` runs
//! inside the rule pass.)

pub(crate) mod lead_excerpt;
pub(crate) mod page;
pub(crate) mod page_text;
