//! The on-disk shape of a rule file.
//!
//! Every field is wrapped in [`Spanned`] where a diagnostic may need to point at it.
//! The loader fills these types by hand from the spanned TOML tree (see `parse.rs`), so
//! that unknown fields, wrong types and missing fields are all reported at once, each at
//! its own line and column.

use toml::Spanned;

/// One rule file: optional scope, optional list of disabled ids, and the rules.
#[derive(Debug)]
pub struct RuleFileSpec {
    /// Restricts every rule of this file to the documents the scope matches.
    pub scope: Option<Spanned<ScopeSpec>>,
    /// Ids of rules (from any file, including the embedded defaults) to switch off.
    pub disable: Vec<Spanned<String>>,
    /// The rules, in priority order.
    pub rule: Vec<Spanned<RuleSpec>>,
    /// CSS selectors steering main-content extraction on the file's (scoped) pages.
    pub extract: Option<ExtractSpec>,
}

/// The `[extract]` table: CSS selectors for a site's article body and its noise, each
/// already parsed, with the 1-based line it was written on.
#[derive(Debug, Default, Clone)]
pub struct ExtractSpec {
    /// The article body, best first.
    pub main: Vec<(crate::extract::select::Selector, usize)>,
    /// Noise to drop wherever it is.
    pub noise: Vec<(crate::extract::select::Selector, usize)>,
}

/// Where the rules of a file apply. Any one matching entry is enough.
#[derive(Debug, Default, Clone)]
pub struct ScopeSpec {
    /// URL host globs, e.g. `*.people.com.cn`.
    pub hosts: Vec<String>,
    /// Globs over the document's path relative to the input folder, e.g. `forum/**`.
    pub paths: Vec<String>,
    /// Texts whose presence anywhere in the document puts it in scope.
    pub markers: Vec<String>,
    /// `hosts`, compiled (lowercase; `*.x` also matching `x` itself).
    pub host_set: globset::GlobSet,
    /// `paths`, compiled.
    pub path_set: globset::GlobSet,
}

/// A glob of a scope: `*` matches any run of characters but `/`, `**` any run, `?` one
/// character, `[ab]` a class; `{a,b}` alternatives. Compiled once, matched without
/// backtracking (globset).
pub fn scope_glob(glob: &str) -> Result<globset::Glob, globset::Error> {
    globset::GlobBuilder::new(glob)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
}

impl ScopeSpec {
    /// The host glob that matches `host` (any case), if one does.
    pub fn host_match(&self, host: &str) -> Option<&str> {
        let host = host.to_ascii_lowercase();
        let i = self.host_set.matches(&host).into_iter().min()?;
        // Several globs per host entry (see `hosts_globs`): map back to the entry.
        self.hosts.get(i / 2).map(String::as_str)
    }

    /// The path glob that matches `path`, if one does.
    pub fn path_match(&self, path: &str) -> Option<&str> {
        let i = self.path_set.matches(path).into_iter().min()?;
        self.paths.get(i).map(String::as_str)
    }
}

/// One rule as written in the file.
#[derive(Debug)]
pub struct RuleSpec {
    /// Stable dotted id.
    pub id: Spanned<String>,
    /// Kind of noise.
    pub category: Spanned<String>,
    /// What the rule removes and why.
    pub description: Spanned<String>,
    /// The action's name (`drop-line`, ...).
    pub action: Spanned<String>,
    /// A regex matcher.
    pub regex: Option<Spanned<String>>,
    /// A phrase-list matcher.
    pub phrases: Option<Spanned<Vec<String>>>,
    /// How a phrase must sit in the line: `contains` (default), `line` or `start`.
    pub phrase_match: Option<Spanned<String>>,
    /// Replacement template for `replace` (`$1`, `$name` refer to groups).
    pub replace: Option<Spanned<String>>,
    /// For `drop-block`: a list item is at most this many characters (default 40).
    pub block_max_chars: Option<Spanned<usize>>,
    /// Conditions.
    pub when: Option<Spanned<ConditionsSpec>>,
    /// Examples run by `rinse rules test`.
    pub examples: Option<Spanned<ExamplesSpec>>,
    /// Fields present in the file but unreadable (wrong type), already reported; checks
    /// that would only repeat the problem ("rule has no matcher") skip them.
    pub broken: Vec<String>,
    /// Byte span of each `when` condition's value, for precise diagnostics.
    pub when_spans: Vec<(String, std::ops::Range<usize>)>,
}

/// Conditions that must all hold for a matching rule to act.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize)]
pub struct ConditionsSpec {
    /// The line starts within the first `head` fraction of the document's text.
    pub head: Option<f64>,
    /// The line starts within the last `tail` fraction of the document's text.
    /// With both `head` and `tail`, the line must be at either end.
    pub tail: Option<f64>,
    /// The line (trimmed) has at most this many characters.
    pub max_chars: Option<usize>,
    /// The line (trimmed) has at least this many characters.
    pub min_chars: Option<usize>,
    /// The previous non-blank line was removed by an `image` rule.
    pub after_image: bool,
    /// The nearest kept line above is a paragraph of prose that does not end in a colon
    /// (a list or verse it announces is the article's).
    pub after_paragraph: bool,
    /// The line has no sentence punctuation (。！？；!?;).
    pub no_sentence_punct: bool,
    /// The next non-blank line is identical to this one (a headline shown twice).
    pub repeats_next: bool,
    /// Span rules only: the rule acts on a line only where it matches at least this many
    /// times (systematic insertions such as glosses; one match alone may be real text).
    pub min_matches: Option<usize>,
}

/// Examples a rule carries; `rinse rules test` runs them.
#[derive(Debug, Default, Clone)]
pub struct ExamplesSpec {
    /// Texts the rule must act on.
    pub hit: Vec<String>,
    /// Texts the rule must leave alone.
    pub miss: Vec<String>,
    /// `[input, expected]` pairs: the input with only this rule's edits applied.
    pub rewrite: Vec<(String, String)>,
}
