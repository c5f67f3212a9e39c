//! Stable codes for rule-file diagnostics, like a compiler's error codes: every problem
//! `rinse rules check` reports carries one (`error[R106]: invalid regex ...`), and `rinse
//! rules explain R106` prints what it means and how to fix it. Codes never change meaning;
//! a retired code is not reused.

use std::fmt;

/// What kind of problem a diagnostic reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    /// R001: the file is not valid TOML.
    TomlSyntax,
    /// R002: a multi-line string is not closed where it should be.
    UnclosedString,
    /// R003: a key the schema does not know.
    UnknownField,
    /// R004: a value of the wrong type.
    WrongType,
    /// R005: a required field is missing.
    MissingField,
    /// R101: a rule id that is not lowercase and dotted.
    InvalidId,
    /// R102: a category that is not a lowercase word.
    InvalidCategory,
    /// R103: an empty description.
    EmptyDescription,
    /// R104: an action rinse does not have.
    UnknownAction,
    /// R105: no matcher, two matchers, or a matcher option without its matcher.
    Matcher,
    /// R106: a regex that does not compile.
    InvalidRegex,
    /// R107: a regex whose compiled form exceeds the size limit.
    RegexTooLarge,
    /// R108: a `meta` rule without usable named groups.
    MetaGroups,
    /// R109: an option that does nothing with the rule's action.
    OptionWithoutEffect,
    /// R110: a condition that can never hold.
    ImpossibleCondition,
    /// R111: two rules with the same id.
    DuplicateId,
    /// R201: a scope that lists nothing.
    EmptyScope,
    /// R202: a scope glob that does not parse.
    InvalidGlob,
    /// R203: a CSS selector that does not parse.
    InvalidSelector,
    /// R204: an `[extract]` table without selectors.
    EmptyExtract,
    /// R205: `disable` names a rule id no rule has.
    UnknownDisable,
    /// R301 (warning): a replace template names a group the pattern does not capture.
    TemplateGroup,
}

impl Code {
    /// Every code, in the order of their numbers.
    pub const ALL: [Code; 22] = [
        Code::TomlSyntax,
        Code::UnclosedString,
        Code::UnknownField,
        Code::WrongType,
        Code::MissingField,
        Code::InvalidId,
        Code::InvalidCategory,
        Code::EmptyDescription,
        Code::UnknownAction,
        Code::Matcher,
        Code::InvalidRegex,
        Code::RegexTooLarge,
        Code::MetaGroups,
        Code::OptionWithoutEffect,
        Code::ImpossibleCondition,
        Code::DuplicateId,
        Code::EmptyScope,
        Code::InvalidGlob,
        Code::InvalidSelector,
        Code::EmptyExtract,
        Code::UnknownDisable,
        Code::TemplateGroup,
    ];

    /// The code as printed: `R106`.
    pub fn as_str(self) -> &'static str {
        self.info().0
    }

    /// A short kebab-case name: `invalid-regex`.
    pub fn name(self) -> &'static str {
        self.info().1
    }

    /// Whether the rule set still loads with this problem (a warning).
    pub fn is_warning(self) -> bool {
        matches!(self, Code::TemplateGroup)
    }

    /// What the code means and how to fix it, for `rinse rules explain CODE`.
    pub fn explanation(self) -> &'static str {
        self.info().2
    }

    /// The code for `R106` or `invalid-regex` (any case).
    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s) || c.name().eq_ignore_ascii_case(s))
    }

    fn info(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Code::TomlSyntax => ("R001", "toml-syntax", "The file is not valid TOML: a missing quote or bracket, a key without a value, a value on the line of another. The rest of the file is checked once it parses. Strings that hold regexes are best written in single quotes ('...' or '''...'''), where a backslash is just a backslash."),
            Code::UnclosedString => ("R002", "unclosed-string", "A multi-line string (''' or \"\"\") runs on over lines that look like keys or tables: its closing delimiter is missing, so it swallowed the rest of the rule and the parser stopped further down. The diagnostic points at where the string opened; close it at the end of its text."),
            Code::UnknownField => ("R003", "unknown-field", "A key the rule file format does not have (often a typo: `regx` for `regex`). The hint lists the keys allowed there and the closest one. See docs/rules.md for the schema."),
            Code::WrongType => ("R004", "wrong-type", "A value of the wrong type: a number where a string goes, a string where a list goes, a negative count, an `examples.rewrite` item that is not a pair `[input, expected]`."),
            Code::MissingField => ("R005", "missing-field", "Every rule needs `id`, `category`, `description` and `action`, and one matcher (`regex` or `phrases`)."),
            Code::InvalidId => ("R101", "invalid-id", "Rule ids are stable, lowercase and dotted, and start with their category: `footer.copyright`, `ad.wechat-prompt`. They name the rule in provenance, `explain` and `disable`, so keep them once published."),
            Code::InvalidCategory => ("R102", "invalid-category", "A category is one lowercase word, hyphens allowed (`footer`, `ad-contact`, `related`): the kind of noise the rule removes. `rinse rules list` shows the categories in use."),
            Code::EmptyDescription => ("R103", "empty-description", "Every rule says what it removes and why, in a sentence: reviewers read it beside every line the rule removed."),
            Code::UnknownAction => ("R104", "unknown-action", "The action is one of drop-line, drop-span, replace, drop-rest, drop-head, drop-block, meta (see docs/rules.md)."),
            Code::Matcher => ("R105", "matcher", "A rule has exactly one matcher: `regex`, or `phrases` (a non-empty list of non-empty literal strings, compiled into one automaton). `phrase_match` applies only to `phrases`, and takes `contains` (the default), `line` or `start`."),
            Code::InvalidRegex => ("R106", "invalid-regex", "The regex does not compile (the column points at the problem). rinse uses Rust regex syntax: no look-around, no backreferences. Avoid a Unicode `\\b`: it makes matching slow."),
            Code::RegexTooLarge => ("R107", "regex-too-large", "The compiled regex exceeds the size limit (`--regex-size-limit`, 10 MiB by default): a large counted repetition (`\\w{500}`) or a huge alternation. Shorten it, or use `phrases` for a long list of literals."),
            Code::MetaGroups => ("R108", "meta-groups", "A `meta` rule captures metadata from named groups of its regex: `(?P<author>...)`, `(?P<published>...)`, `(?P<source>...)`, `(?P<editor>...)`. It needs a `regex` with at least one of those names, and no other names."),
            Code::OptionWithoutEffect => ("R109", "option-without-effect", "An option that does nothing with this rule's action: `replace` needs action `replace` (and action `replace` needs it), `block_max_chars` applies only to `drop-block`, `min_matches` only to span rules, and `min_matches = 1` is the default."),
            Code::ImpossibleCondition => ("R110", "impossible-condition", "A condition that can never hold, so the rule could never fire: a `head`/`tail` fraction outside (0, 1], `max_chars = 0`, `min_chars` above `max_chars`."),
            Code::DuplicateId => ("R111", "duplicate-id", "Two rules of one rule set share an id. A user rule may reuse a default rule's id to override it; within the defaults, or within the user's files, ids are unique. The note shows where the id was first defined."),
            Code::EmptyScope => ("R201", "empty-scope", "A `scope` that lists no host, path or marker matches no document, so the file's rules would never run. List `hosts`, `paths` or `markers`, or remove the scope to apply the rules everywhere."),
            Code::InvalidGlob => ("R202", "invalid-glob", "A scope glob that does not parse: `*` matches any run of characters but `/`, `**` any run, `?` one character, `[ab]` a class, `{a,b}` alternatives; a backslash escapes."),
            Code::InvalidSelector => ("R203", "invalid-selector", "An `[extract]` selector that is not a CSS selector rinse can match: write `div.article-body`, `#content`, `article > .text`, `[itemprop=articleBody]`."),
            Code::EmptyExtract => ("R204", "empty-extract", "An `[extract]` table with neither `main` (the article body, best first) nor `noise` (blocks to drop) does nothing."),
            Code::TemplateGroup => ("R301", "template-group", "Warning: a `replace` template refers to a group (`$2`, `${name}`) the pattern does not capture; it inserts nothing. The rule set still loads."),
            Code::UnknownDisable => ("R205", "unknown-disable", "`disable` names a rule id that no loaded rule has (a typo, or a rule renamed or removed), so nothing would be switched off. The hint names the closest id; `rinse rules list` shows them all. Past 20 unknown ids the rest are summarised in one line."),
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_parse_back() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "{c} twice");
            assert!(seen.insert(c.name()), "{} twice", c.name());
            assert_eq!(Code::parse(c.as_str()), Some(c));
            assert_eq!(Code::parse(&c.name().to_uppercase()), Some(c));
            assert!(c.explanation().len() > 40, "{c}");
            assert_eq!(c.is_warning(), c.as_str().starts_with("R3"), "{c}");
        }
        assert_eq!(Code::parse("R999"), None);
    }
}
