//! A cleaned document's body in the format a user asks for: the plain text the engine makes
//! (what the provenance replays to), Markdown that keeps the page's structure, or one JSON
//! object with the body, the title and the metadata.
//!
//! Everything here is pure: it reads a [`Document`] and what cleaning made of it and returns
//! a string. The engine decides *which* text stays; this crate only decides how the kept text
//! is written, so the three formats never disagree about content.

#![warn(missing_docs)]

mod markdown;
mod origins;

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use rinse_engine::{Cleaned, Metadata};
use rinse_input::Document;

pub use markdown::{escape_line, markdown};
pub use origins::body_origins;

/// How a body is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum BodyFormat {
    /// The engine's body: title first, one paragraph a line. Replaying the provenance's
    /// edits on the decoded raw text gives exactly this.
    #[default]
    Text,
    /// The same lines as Markdown: headings, lists, tables, quotes and fenced code blocks
    /// where an HTML page's markup says so; paragraphs otherwise (plain text).
    Markdown,
    /// One JSON object: `{"body": TEXT, "title": ..., "metadata": {...}}`.
    Json,
}

impl BodyFormat {
    /// Every format, in the order help texts list them.
    pub const ALL: [BodyFormat; 3] = [BodyFormat::Text, BodyFormat::Markdown, BodyFormat::Json];

    /// The name used on the command line and in Python (`text`, `markdown`, `json`).
    pub fn name(self) -> &'static str {
        match self {
            BodyFormat::Text => "text",
            BodyFormat::Markdown => "markdown",
            BodyFormat::Json => "json",
        }
    }

    /// The extension of a body file in this format (`txt`, `md`, `json`).
    pub fn extension(self) -> &'static str {
        match self {
            BodyFormat::Text => "txt",
            BodyFormat::Markdown => "md",
            BodyFormat::Json => "json",
        }
    }
}

impl fmt::Display for BodyFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A format name that is not one of [`BodyFormat::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownFormat(pub String);

impl fmt::Display for UnknownFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown body format `{}` (expected text, markdown or json)",
            self.0
        )
    }
}

impl std::error::Error for UnknownFormat {}

impl FromStr for BodyFormat {
    type Err = UnknownFormat;
    fn from_str(s: &str) -> Result<BodyFormat, UnknownFormat> {
        BodyFormat::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| UnknownFormat(s.to_string()))
    }
}

/// The body of `doc` cleaned into `cleaned`, written as `format`. Text borrows the engine's
/// body; the other formats are rendered from it.
pub fn render<'a>(format: BodyFormat, doc: &Document, cleaned: &'a Cleaned) -> Cow<'a, str> {
    match format {
        BodyFormat::Text => Cow::Borrowed(&cleaned.body),
        BodyFormat::Markdown => Cow::Owned(markdown(doc, cleaned)),
        BodyFormat::Json => Cow::Owned(json(&cleaned.body, &cleaned.metadata)),
    }
}

/// The JSON body: `{"body": ..., "title": ..., "metadata": {...}}` on one line, then a
/// newline. `title` is `null` when the body has no title line; `metadata` is the
/// provenance's `metadata` object.
pub fn json(body: &str, metadata: &Metadata) -> String {
    #[derive(serde::Serialize)]
    struct Body<'a> {
        body: &'a str,
        title: Option<&'a str>,
        metadata: &'a Metadata,
    }
    let mut s = serde_json::to_string(&Body {
        body,
        title: metadata.title.as_deref(),
        metadata,
    })
    .expect("strings and metadata serialise");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_say_what_is_expected() {
        for f in BodyFormat::ALL {
            assert_eq!(f.name().parse::<BodyFormat>(), Ok(f));
        }
        let e = "md".parse::<BodyFormat>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown body format `md` (expected text, markdown or json)"
        );
        assert_eq!(BodyFormat::Markdown.extension(), "md");
        assert_eq!(BodyFormat::default(), BodyFormat::Text);
    }

    #[test]
    fn json_holds_body_title_and_metadata() {
        let m = Metadata {
            title: Some("标题".into()),
            author: Some("张三".into()),
            ..Metadata::default()
        };
        let s = json("标题\n正文。\n", &m);
        assert!(s.ends_with("}\n") && !s[..s.len() - 1].contains('\n'));
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["body"], "标题\n正文。\n");
        assert_eq!(v["title"], "标题");
        assert_eq!(v["metadata"]["author"], "张三");
        let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["body", "title", "metadata"]);
        let v: serde_json::Value = serde_json::from_str(&json("", &Metadata::default())).unwrap();
        assert!(v["title"].is_null());
    }
}
