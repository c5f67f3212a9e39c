//! HTML for rinse: a linear tokenizer, a compact tree built in one pass, interned element
//! names with their properties, and CSS selectors matched against the tree.
//!
//! - [`tokenize`]: markup to tokens, one pass, no backtracking beyond a tag;
//! - [`dom`]: tokens to a compact tree with the HTML rules that shape real pages;
//! - [`tags`]: element names as small numbers with their properties;
//! - [`select`]: CSS selectors (as scraper parses them) matched against [`dom::Dom`].
//!
//! Nothing here reads files or knows about articles; `rinse-extract` builds on it.

#![warn(missing_docs)]

pub mod dom;
pub mod select;
pub mod tags;
pub mod tokenize;
