//! Rule files: schema, loading, validation with file:line diagnostics.
//!
//! A [`Ruleset`] is built from rule sources (the embedded defaults, then any user rule
//! folders) and is plain validated data; `rinse_engine::Cleaner` compiles it into matchers.

#![warn(missing_docs)]

pub mod codes;
mod diag;
mod parse;
pub mod schema;
pub mod select;
mod stage;

use rinse_extract as extract;
use std::collections::HashMap;
use std::sync::Arc;

pub use codes::Code;
use diag::LineIndex;
pub use diag::{Diagnostic, Diagnostics};
pub use parse::suggest;
pub use schema::{ConditionsSpec as Conditions, ExamplesSpec as Examples, ScopeSpec as Scope};
pub use stage::{Stage, StageInfo, STAGES};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/default_rules.rs"));
}

/// The default rule files embedded at build time, as (path under `rules/`, contents).
pub fn default_rule_files() -> &'static [(&'static str, &'static str)] {
    embedded::DEFAULT_RULE_FILES
}

/// Upper bound on a compiled regex, so one pathological pattern cannot exhaust memory.
pub const DEFAULT_REGEX_SIZE_LIMIT: usize = 10 * 1024 * 1024;

/// What a rule does to the text it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// Remove whole lines that match.
    DropLine,
    /// Remove the matched text inside a line (or only the group named `edit`, when present).
    DropSpan,
    /// Rewrite the match with a template.
    Replace,
    /// A footer starts here: remove this line and everything after it.
    DropRest,
    /// Header chrome ends here: remove everything up to and including this line.
    DropHead,
    /// A list starts here: remove this line and the list-like lines after it.
    DropBlock,
    /// Capture named groups into metadata and remove the line.
    Meta,
}

impl Action {
    /// Every action, in the order the docs list them.
    pub const ALL: [Action; 7] = [
        Action::DropLine,
        Action::DropSpan,
        Action::Replace,
        Action::DropRest,
        Action::DropHead,
        Action::DropBlock,
        Action::Meta,
    ];

    /// The action's name in rule files.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::DropLine => "drop-line",
            Action::DropSpan => "drop-span",
            Action::Replace => "replace",
            Action::DropRest => "drop-rest",
            Action::DropHead => "drop-head",
            Action::DropBlock => "drop-block",
            Action::Meta => "meta",
        }
    }

    /// Parses an action name.
    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Whether the action edits text inside a line rather than whole lines.
    pub fn is_span(self) -> bool {
        matches!(self, Action::DropSpan | Action::Replace)
    }
}

/// How a phrase must sit in a line to match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhraseMatch {
    /// Anywhere in the line.
    Contains,
    /// The whole (trimmed) line is the phrase.
    Line,
    /// The line starts with the phrase.
    Start,
}

/// What a rule looks for.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// A regular expression (Rust `regex` syntax), matched against each trimmed line.
    Regex(String),
    /// A literal phrase list, compiled with all others into one Aho-Corasick automaton.
    Phrases(Vec<String>, PhraseMatch),
    /// A built-in stage.
    Builtin(Stage),
}

/// Where a rule was defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Display path of the rule file (`<embedded>/common/footer.toml` for defaults).
    pub file: String,
    /// 1-based line of the rule's `[[rule]]` table.
    pub line: usize,
    /// Whether the rule comes from the embedded defaults.
    pub default: bool,
}

/// A validated rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Stable dotted id, e.g. `ad.wechat-prompt`.
    pub id: String,
    /// Kind of noise (image, caption, footer, related, ...).
    pub category: String,
    /// What the rule removes and why, for humans.
    pub description: String,
    /// What it looks for.
    pub matcher: Matcher,
    /// What it does.
    pub action: Action,
    /// Replacement template (for [`Action::Replace`]).
    pub replace: Option<String>,
    /// Longest list item a [`Action::DropBlock`] removes.
    pub block_max_chars: usize,
    /// Conditions that must hold.
    pub when: Conditions,
    /// Examples run by `rinse rules test`.
    pub examples: Examples,
    /// Where it was defined.
    pub origin: Origin,
    /// The scope of the file it came from, if any.
    pub scope: Option<Arc<Scope>>,
}

impl Rule {
    /// The action as shown to users and recorded in provenance: the action's name, or
    /// `normalize` for the white-space stage.
    pub fn action_name(&self) -> &'static str {
        match self.matcher {
            Matcher::Builtin(Stage::Whitespace) => "normalize",
            _ => self.action.as_str(),
        }
    }
}

/// One rule file's text and display name.
#[derive(Debug, Clone)]
pub struct RuleSource {
    /// Display path (used in diagnostics and provenance).
    pub name: String,
    /// Path relative to its rules folder (used for the fingerprint).
    pub relative: String,
    /// File contents.
    pub text: String,
    /// Whether this file is one of the embedded defaults.
    pub default: bool,
}

impl RuleSource {
    /// The embedded default rule files as sources.
    pub fn defaults() -> Vec<RuleSource> {
        default_rule_files()
            .iter()
            .map(|(path, text)| RuleSource {
                name: format!("<embedded>/rules/{path}"),
                relative: path.to_string(),
                text: text.to_string(),
                default: true,
            })
            .collect()
    }
}

/// Limits applied while compiling rules.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Maximum size in bytes of one compiled regex.
    pub regex_size: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            regex_size: DEFAULT_REGEX_SIZE_LIMIT,
        }
    }
}

/// A validated, ordered set of rules (built-in stages first), with its fingerprint.
#[derive(Debug, Clone)]
pub struct Ruleset {
    rules: Vec<Rule>,
    fingerprint: String,
    limits: Limits,
    warnings: Vec<Diagnostic>,
    extract: Vec<SiteExtract>,
}

/// A rule file's `[extract]` selectors with the file's scope: which pages they steer.
#[derive(Debug, Clone)]
pub struct SiteExtract {
    /// The file's scope (`None`: every page).
    pub scope: Option<Arc<Scope>>,
    /// The selectors, each with the `file:line` it was written at.
    pub selectors: crate::extract::SiteSelectors,
}

/// Unknown ids in `disable` lists reported one by one; the rest are counted.
const MAX_UNKNOWN_DISABLES: usize = 20;

/// Metadata fields a `meta` rule may capture.
pub const META_FIELDS: [&str; 4] = ["author", "published", "source", "editor"];

fn builtin_rules() -> Vec<Rule> {
    STAGES
        .iter()
        .map(|s| Rule {
            id: s.id.to_string(),
            category: s.category.to_string(),
            description: s.description.to_string(),
            matcher: Matcher::Builtin(s.stage),
            action: s.action,
            replace: None,
            block_max_chars: 0,
            when: Conditions::default(),
            examples: Examples::default(),
            origin: Origin {
                file: "<built-in>".to_string(),
                line: 0,
                default: true,
            },
            scope: None,
        })
        .collect()
}

impl Ruleset {
    /// The embedded default rules.
    pub fn defaults() -> Ruleset {
        Ruleset::from_sources(&RuleSource::defaults(), Limits::default())
            .expect("the embedded default rules are valid (checked by tests)")
    }

    /// Loads, validates and layers rule sources. Later sources override earlier rules with
    /// the same id; `disable` lists in any source switch rules off. Every problem is
    /// reported, not only the first.
    pub fn from_sources(sources: &[RuleSource], limits: Limits) -> Result<Ruleset, Diagnostics> {
        let mut diags = Vec::new();
        let mut rules: Vec<Rule> = builtin_rules();
        let mut index: HashMap<String, usize> = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        // Where each id was defined within the current layer (defaults vs user), for duplicates:
        // (source, line, span).
        let mut seen: HashMap<(bool, String), (usize, usize, std::ops::Range<usize>)> =
            HashMap::new();
        let mut disabled: Vec<String> = Vec::new();
        // (id, source, span) of every `disable` entry.
        let mut disable_sites: Vec<(String, usize, std::ops::Range<usize>)> = Vec::new();
        let mut indexes: Vec<LineIndex> = Vec::with_capacity(sources.len());
        let mut extract: Vec<SiteExtract> = Vec::new();

        for (s, src) in sources.iter().enumerate() {
            let lines = LineIndex::new(&src.text);
            let file_start = diags.len();
            let spec = parse::parse_file(src, &mut diags);
            let scope = spec.scope.map(|s| Arc::new(s.into_inner()));
            if let Some(x) = spec.extract {
                let at = |list: Vec<(crate::extract::select::Selector, usize)>| {
                    list.into_iter()
                        .map(|(sel, line)| (sel, format!("{}:{line}", src.name)))
                        .collect()
                };
                extract.push(SiteExtract {
                    scope: scope.clone(),
                    selectors: crate::extract::SiteSelectors {
                        main: at(x.main),
                        noise: at(x.noise),
                    },
                });
            }
            for d in &spec.disable {
                disabled.push(d.get_ref().clone());
                disable_sites.push((d.get_ref().clone(), s, d.span()));
            }
            for spanned in spec.rule {
                let span = spanned.span();
                let spec = spanned.into_inner();
                let id_span = spec.id.span();
                let before = diags.len();
                let rule = validate_rule(
                    src,
                    &lines,
                    span.clone(),
                    spec,
                    scope.clone(),
                    limits,
                    &mut diags,
                );
                let Some(rule) = rule else {
                    debug_assert!(diags.len() > before);
                    continue;
                };
                let key = (src.default, rule.id.clone());
                if let Some((first_src, line, first_span)) = seen.get(&key) {
                    let first = &sources[*first_src];
                    let mut d = Diagnostic::at_line(
                        Code::DuplicateId,
                        &src.name,
                        &src.text,
                        lines.line(id_span.start),
                        id_span,
                        format!("duplicate rule id `{}`", rule.id),
                    )
                    .rule(Some(&rule.id))
                    .hint("rule ids must be unique within a rule set; rename one of them");
                    let at = Diagnostic::at_line(
                        Code::DuplicateId,
                        &first.name,
                        &first.text,
                        *line,
                        first_span.clone(),
                        "",
                    );
                    d.also = Some((first.name.clone(), *line, "first defined here".to_string()));
                    d.also_source_line = Some(at.source_line);
                    diags.push(d);
                    continue;
                }
                seen.insert(key, (s, lines.line(id_span.start), id_span));
                match index.get(&rule.id) {
                    // A user rule reusing a default id overrides it in place.
                    Some(&i) => rules[i] = rule,
                    None => {
                        index.insert(rule.id.clone(), rules.len());
                        rules.push(rule);
                    }
                }
            }
            // Report a file's problems in source order.
            diags[file_start..].sort_by_key(|d| d.span.start);
            indexes.push(lines);
        }
        let unknown: Vec<&(String, usize, std::ops::Range<usize>)> = disable_sites
            .iter()
            .filter(|(id, ..)| !index.contains_key(id))
            .collect();
        let ids: Vec<&str> = index.keys().map(String::as_str).collect();
        for (k, (id, s, span)) in unknown.iter().enumerate() {
            let src = &sources[*s];
            let line = indexes[*s].line(span.start);
            if k == MAX_UNKNOWN_DISABLES {
                diags.push(
                    Diagnostic::at_line(
                        Code::UnknownDisable,
                        &src.name,
                        &src.text,
                        line,
                        span.clone(),
                        format!(
                            "`disable` names {} more unknown rule ids",
                            unknown.len() - MAX_UNKNOWN_DISABLES
                        ),
                    )
                    .hint("`rinse rules list` shows every rule id"),
                );
                break;
            }
            let mut d = Diagnostic::at_line(
                Code::UnknownDisable,
                &src.name,
                &src.text,
                line,
                span.clone(),
                format!("`disable` names unknown rule id `{id}`"),
            );
            d.hint = Some(match suggest(id, &ids) {
                Some(s) => format!("did you mean `{s}`? `rinse rules list` shows every rule id"),
                None => "`rinse rules list` shows every rule id".to_string(),
            });
            diags.push(d);
        }
        if diags.iter().any(|d| !d.warning) {
            return Err(Diagnostics(diags));
        }
        let warnings = diags;
        let disabled: std::collections::HashSet<String> = disabled.into_iter().collect();
        rules.retain(|r| !disabled.contains(&r.id));

        let mut h = blake3::Hasher::new();
        h.update(b"rinse-ruleset/1\0");
        for s in sources {
            h.update(s.relative.as_bytes());
            h.update(b"\0");
            h.update(s.text.as_bytes());
            h.update(b"\0");
        }
        let fingerprint = h.finalize().to_hex()[..16].to_string();
        Ok(Ruleset {
            rules,
            fingerprint,
            limits,
            warnings,
            extract,
        })
    }

    /// The effective rules, built-in stages first, then in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The `[extract]` selectors of every rule file, in file order.
    pub fn site_extracts(&self) -> &[SiteExtract] {
        &self.extract
    }

    /// Looks a rule up by id.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Short hash of the rule sources, recorded in provenance.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The compile limits this set was validated with.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Whether a built-in stage is enabled.
    pub fn stage_enabled(&self, stage: Stage) -> bool {
        self.rules
            .iter()
            .any(|r| matches!(r.matcher, Matcher::Builtin(s) if s == stage))
    }
}

/// How [`compile_regex`] configures a pattern's matcher under `limits`.
pub fn regex_config(limits: Limits) -> regex_automata::meta::Config {
    regex_automata::meta::Config::new()
        .nfa_size_limit(Some(limits.regex_size))
        .onepass_size_limit(Some(limits.regex_size))
        .dfa_size_limit(Some(limits.regex_size))
        .hybrid_cache_capacity(2 * (1 << 20))
}

/// Compiles one pattern the way the engine does, so validation and use agree.
#[allow(clippy::result_large_err)] // built once per rule at load time
pub fn compile_regex(
    pattern: &str,
    limits: Limits,
) -> Result<regex_automata::meta::Regex, regex_automata::meta::BuildError> {
    regex_automata::meta::Builder::new()
        .configure(regex_config(limits))
        .build(pattern)
}

/// Why a rule's regex is not accepted.
#[derive(Debug)]
enum RegexProblem {
    /// It does not parse.
    Syntax(Box<regex_syntax::Error>),
    /// Its automaton would exceed the size limit (bytes).
    Size(usize),
    /// Anything else the compiler reports.
    Other(String),
}

/// Checks that `pattern` parses and that its automaton fits the size limit, without
/// building the whole matcher (a rule set of thousands of rules validates quickly);
/// returns the names of its capture groups and how many groups it has (group 0 included).
/// A `trusted` pattern (an embedded default under at least the default size limit, which
/// the tests check in full) is only parsed: building its automaton was most of the
/// start-up time of a run on one small file.
fn check_regex(
    pattern: &str,
    limits: Limits,
    trusted: bool,
) -> Result<(Vec<String>, usize), RegexProblem> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .map_err(|e| RegexProblem::Syntax(Box::new(e)))?;
    if trusted {
        return Ok(hir_groups(&hir));
    }
    let nfa = regex_automata::nfa::thompson::Compiler::new()
        .configure(
            regex_automata::nfa::thompson::Config::new().nfa_size_limit(Some(limits.regex_size)),
        )
        .build_from_hir(&hir)
        .map_err(|e| match e.size_limit() {
            Some(limit) => RegexProblem::Size(limit),
            None => RegexProblem::Other(e.to_string()),
        })?;
    let info = nfa.group_info();
    Ok((
        info.pattern_names(regex_automata::PatternID::ZERO)
            .flatten()
            .map(str::to_string)
            .collect(),
        info.group_len(regex_automata::PatternID::ZERO),
    ))
}

/// The names of `hir`'s capture groups in order, and how many groups it has (group 0
/// included), as its compiled automaton reports them.
fn hir_groups(hir: &regex_syntax::hir::Hir) -> (Vec<String>, usize) {
    use regex_syntax::hir::HirKind;
    let mut names = Vec::new();
    let mut groups = 1;
    // Captures are numbered in the order their parentheses open: a pre-order walk.
    let mut stack = vec![hir];
    while let Some(h) = stack.pop() {
        match h.kind() {
            HirKind::Capture(c) => {
                groups = groups.max(c.index as usize + 1);
                if let Some(n) = &c.name {
                    names.push((c.index, n.to_string()));
                }
                stack.push(&c.sub);
            }
            HirKind::Repetition(r) => stack.push(&r.sub),
            HirKind::Concat(v) | HirKind::Alternation(v) => stack.extend(v.iter().rev()),
            _ => {}
        }
    }
    names.sort_unstable();
    (names.into_iter().map(|(_, n)| n).collect(), groups)
}

/// The groups a replacement template refers to (`$1`, `$name`, `${name}`; `$$` is a `$`).
fn template_refs(t: &str) -> Vec<&str> {
    let b = t.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'$' {
            i += 1;
            continue;
        }
        if b.get(i + 1) == Some(&b'$') {
            i += 2;
        } else if b.get(i + 1) == Some(&b'{') {
            match t[i + 2..].find('}') {
                Some(end) => {
                    out.push(&t[i + 2..i + 2 + end]);
                    i += 3 + end;
                }
                None => i += 1,
            }
        } else {
            let n = t[i + 1..]
                .bytes()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
                .count();
            if n > 0 {
                out.push(&t[i + 1..i + 1 + n]);
            }
            i += 1 + n;
        }
    }
    out
}

impl Ruleset {
    /// Problems worth fixing that did not stop the rule set from loading (a replacement
    /// template naming a group the pattern does not have).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }
}

fn is_valid_id(id: &str) -> bool {
    let mut parts = id.split('.');
    let ok_part = |p: &str| {
        !p.is_empty()
            && p.chars()
                .next()
                .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            && p.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    let first = parts.next().unwrap_or("");
    let rest: Vec<_> = parts.collect();
    ok_part(first) && !rest.is_empty() && rest.iter().all(|p| ok_part(p))
}

fn validate_rule(
    src: &RuleSource,
    lines: &LineIndex,
    span: std::ops::Range<usize>,
    spec: schema::RuleSpec,
    scope: Option<Arc<Scope>>,
    limits: Limits,
    diags: &mut Vec<Diagnostic>,
) -> Option<Rule> {
    let start = diags.len();
    let id = spec.id.get_ref().clone();
    let rid = Some(id.as_str());
    let err = |code: Code, span: std::ops::Range<usize>, msg: String| {
        Diagnostic::at_line(
            code,
            &src.name,
            &src.text,
            lines.line(span.start),
            span,
            msg,
        )
        .rule(rid)
    };
    if !is_valid_id(&id) {
        diags.push(err(Code::InvalidId, spec.id.span(), format!("invalid rule id `{id}`")).hint(
            "ids are lowercase, dotted, and start with the category: `footer.copyright`, `ad.wechat-prompt`",
        ));
    }
    let category = spec.category.get_ref().trim().to_string();
    if category.is_empty()
        || !category
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
    {
        diags.push(
            err(Code::InvalidCategory, spec.category.span(), format!("invalid category `{category}`"))
                .hint("categories are lowercase words: image, caption, footer, related, ad-contact, byline, ..."),
        );
    }
    if spec.description.get_ref().trim().is_empty() {
        diags.push(
            err(
                Code::EmptyDescription,
                spec.description.span(),
                "empty description".to_string(),
            )
            .hint("say what the rule removes and why; reviewers read it in `rinse explain`"),
        );
    }
    let action = Action::parse(spec.action.get_ref());
    if action.is_none() {
        let names: Vec<_> = Action::ALL.iter().map(|a| a.as_str()).collect();
        diags.push(
            err(
                Code::UnknownAction,
                spec.action.span(),
                format!("unknown action `{}`", spec.action.get_ref()),
            )
            .hint(format!("expected one of: {}", names.join(", "))),
        );
    }

    // Matcher: exactly one of regex / phrases.
    let mut matcher = None;
    match (&spec.regex, &spec.phrases) {
        (Some(_), Some(p)) => diags.push(
            err(
                Code::Matcher,
                p.span(),
                "a rule has one matcher: `regex` or `phrases`, not both".into(),
            )
            .hint("split it into two rules"),
        ),
        (None, None)
            if spec
                .broken
                .iter()
                .any(|b| b == "regex" || b == "phrases" || b == parse::UNKNOWN_FIELD) => {}
        (None, None) => diags.push(
            err(
                Code::Matcher,
                span.start..span.start + 8,
                "rule has no matcher".into(),
            )
            .hint("add `regex = '...'` or `phrases = [...]`"),
        ),
        (Some(re), None) => match check_regex(
            re.get_ref(),
            limits,
            src.default && limits.regex_size >= DEFAULT_REGEX_SIZE_LIMIT,
        ) {
            Ok((names, groups)) => {
                if let (Some(Action::Replace), Some(t)) = (action, &spec.replace) {
                    for r in template_refs(t.get_ref()) {
                        let known = match r.parse::<usize>() {
                            Ok(n) => n < groups,
                            Err(_) => names.iter().any(|n| n == r),
                        };
                        if !known {
                            diags.push(
                                err(
                                    Code::TemplateGroup,
                                    t.span(),
                                    format!("the template refers to `{r}`, which the pattern does not capture: it inserts nothing"),
                                )
                                .hint("name or number a group the regex has, or write `$$` for a literal `$`"),
                            );
                        }
                    }
                }
                if action == Some(Action::Meta) {
                    if names.is_empty() {
                        diags.push(
                            err(Code::MetaGroups, re.span(), "a `meta` rule needs named groups".into()).hint(
                                "name what to capture: (?P<author>...), (?P<published>...), (?P<source>...), (?P<editor>...)",
                            ),
                        );
                    }
                    for n in names {
                        if !META_FIELDS.contains(&n.as_str()) && n != "edit" {
                            diags.push(
                                err(
                                    Code::MetaGroups,
                                    re.span(),
                                    format!("unknown metadata group `{n}`"),
                                )
                                .hint(format!("expected one of: {}", META_FIELDS.join(", "))),
                            );
                        }
                    }
                }
                matcher = Some(Matcher::Regex(re.get_ref().clone()));
            }
            Err(e) => {
                let (span, msg) = regex_error_span(src, re, &e);
                let code = match e {
                    RegexProblem::Size(_) => Code::RegexTooLarge,
                    _ => Code::InvalidRegex,
                };
                diags.push(err(code, span, format!("invalid regex: {msg}")));
            }
        },
        (None, Some(p)) => {
            let list = p.get_ref();
            if list.is_empty() || list.iter().any(|s| s.is_empty()) {
                diags.push(err(
                    Code::Matcher,
                    p.span(),
                    "`phrases` must be a non-empty list of non-empty strings".into(),
                ));
            }
            let mode = match spec.phrase_match.as_ref().map(|m| m.get_ref().as_str()) {
                None | Some("contains") => Some(PhraseMatch::Contains),
                Some("line") => Some(PhraseMatch::Line),
                Some("start") => Some(PhraseMatch::Start),
                Some(other) => {
                    diags.push(
                        err(
                            Code::Matcher,
                            spec.phrase_match.as_ref().unwrap().span(),
                            format!("unknown phrase_match `{other}`"),
                        )
                        .hint("expected one of: contains, line, start"),
                    );
                    None
                }
            };
            if action == Some(Action::Meta) {
                diags.push(err(
                    Code::MetaGroups,
                    p.span(),
                    "a `meta` rule needs a `regex` with named groups".into(),
                ));
            }
            if let Some(mode) = mode {
                matcher = Some(Matcher::Phrases(list.clone(), mode));
            }
        }
    }
    if let (Some(m), None) = (&spec.phrase_match, &spec.phrases) {
        diags.push(err(
            Code::Matcher,
            m.span(),
            "`phrase_match` applies only to `phrases`".into(),
        ));
    }

    // Action parameters.
    match (action, &spec.replace) {
        (Some(Action::Replace), None)
            if spec
                .broken
                .iter()
                .any(|b| b == "replace" || b == parse::UNKNOWN_FIELD) => {}
        (Some(Action::Replace), None) => diags.push(
            err(
                Code::OptionWithoutEffect,
                spec.action.span(),
                "action `replace` needs a `replace` template".into(),
            )
            .hint("add `replace = \"...\"`; `$1` or `$name` insert a group"),
        ),
        (Some(a), Some(r)) if a != Action::Replace => diags.push(err(
            Code::OptionWithoutEffect,
            r.span(),
            format!("`replace` has no effect with action `{}`", a.as_str()),
        )),
        _ => {}
    }
    if let Some(b) = &spec.block_max_chars {
        if action != Some(Action::DropBlock) {
            diags.push(err(
                Code::OptionWithoutEffect,
                b.span(),
                "`block_max_chars` applies only to `drop-block`".into(),
            ));
        } else if *b.get_ref() == 0 {
            diags.push(err(
                Code::ImpossibleCondition,
                b.span(),
                "`block_max_chars` must be at least 1".into(),
            ));
        }
    }

    // Conditions that can never hold.
    let when = spec
        .when
        .as_ref()
        .map(|w| w.get_ref().clone())
        .unwrap_or_default();
    if let Some(w) = &spec.when {
        let at = |key: &str| {
            spec.when_spans
                .iter()
                .find(|(k, _)| k == key)
                .map_or(w.span(), |(_, s)| s.clone())
        };
        for (name, v) in [("head", when.head), ("tail", when.tail)] {
            if let Some(v) = v {
                if !(v > 0.0 && v <= 1.0) {
                    diags.push(
                        err(
                            Code::ImpossibleCondition,
                            at(name),
                            format!("`{name} = {v}` can never hold"),
                        )
                        .hint(format!("`{name}` is a fraction of the document in (0, 1]")),
                    );
                }
            }
        }
        if let (Some(lo), Some(hi)) = (when.min_chars, when.max_chars) {
            if lo > hi {
                diags.push(
                    err(
                        Code::ImpossibleCondition,
                        at("min_chars"),
                        format!(
                            "`min_chars = {lo}` > `max_chars = {hi}`: the condition can never hold"
                        ),
                    )
                    .hint("swap or relax the bounds"),
                );
            }
        }
        if action.is_some_and(Action::is_span) {
            let line_only = [
                ("head", when.head.is_some()),
                ("tail", when.tail.is_some()),
                ("repeats_next", when.repeats_next),
                ("after_image", when.after_image),
                ("after_paragraph", when.after_paragraph),
            ];
            for (name, set) in line_only {
                if set {
                    diags.push(
                        err(
                            Code::OptionWithoutEffect,
                            at(name),
                            format!(
                                "`{name}` applies to line actions, not to `{}`",
                                action.unwrap().as_str()
                            ),
                        )
                        .hint("span rules act inside any kept line; use `max_chars` or a narrower pattern"),
                    );
                }
            }
        }
        if when.max_chars == Some(0) {
            diags.push(err(
                Code::ImpossibleCondition,
                at("max_chars"),
                "`max_chars = 0` can never hold (blank lines are not matched)".into(),
            ));
        }
        if let Some(n) = when.min_matches {
            if !action.is_some_and(Action::is_span) {
                diags.push(
                    err(
                        Code::OptionWithoutEffect,
                        at("min_matches"),
                        "`min_matches` applies only to span rules (`drop-span`, `replace`)".into(),
                    )
                    .hint("a line rule decides a line once, whatever the number of matches"),
                );
            } else if n < 2 {
                diags.push(err(
                    Code::OptionWithoutEffect,
                    at("min_matches"),
                    format!("`min_matches = {n}` has no effect: a rule acts on one match already"),
                ));
            }
        }
    }

    if diags[start..].iter().any(|d| !d.warning) {
        return None;
    }
    let line = lines.line(span.start);
    Some(Rule {
        id,
        category,
        description: spec.description.into_inner().trim().to_string(),
        matcher: matcher?,
        action: action?,
        replace: spec.replace.map(|r| r.into_inner()),
        block_max_chars: spec.block_max_chars.map_or(40, |b| b.into_inner()),
        when,
        examples: spec.examples.map(|e| e.into_inner()).unwrap_or_default(),
        origin: Origin {
            file: src.name.clone(),
            line,
            default: src.default,
        },
        scope,
    })
}

/// Places a regex syntax error at its column inside the TOML string when the literal is
/// written without escapes (literal strings `'...'` / `'''...'''`, or plain basic strings).
fn regex_error_span(
    src: &RuleSource,
    re: &toml::Spanned<String>,
    e: &RegexProblem,
) -> (std::ops::Range<usize>, String) {
    let whole = re.span();
    let syn = match e {
        RegexProblem::Size(limit) => {
            return (
                whole,
                format!(
                    "the compiled regex exceeds the size limit of {limit} bytes; simplify the pattern (bounded repetitions such as {{50}} multiply its size) or raise --regex-size-limit"
                ),
            )
        }
        RegexProblem::Other(msg) => return (whole, msg.clone()),
        RegexProblem::Syntax(syn) => &**syn,
    };
    let (msg, pspan) = match syn {
        regex_syntax::Error::Parse(p) => (p.kind().to_string(), *p.span()),
        regex_syntax::Error::Translate(t) => (t.kind().to_string(), *t.span()),
        _ => return (whole, syn.to_string()),
    };
    let literal = &src.text[whole.clone()];
    match string_offsets(literal) {
        Some(map) if map.len() == re.get_ref().len() + 1 => {
            let at = |o: usize| whole.start + map[o.min(map.len() - 1)];
            let s = at(pspan.start.offset);
            let e = at(pspan.end.offset).max(s + 1);
            (s..e, msg)
        }
        _ => (whole, msg),
    }
}

/// For a TOML string as written (quotes included), the offset in `literal` of each byte of
/// its decoded value, plus one entry for the end; `None` when it cannot be mapped.
/// Handles literal and basic strings, single- and multi-line, and escapes.
fn string_offsets(literal: &str) -> Option<Vec<usize>> {
    let (q, basic) = if literal.starts_with("\"\"\"") {
        (3, true)
    } else if literal.starts_with("'''") {
        (3, false)
    } else if literal.starts_with('"') {
        (1, true)
    } else if literal.starts_with('\'') {
        (1, false)
    } else {
        return None;
    };
    let end = literal.len().checked_sub(q)?;
    let mut i = q;
    if q == 3 {
        // A newline right after the opening delimiter is not part of the value.
        if literal[i..].starts_with("\r\n") {
            i += 2;
        } else if literal[i..].starts_with('\n') {
            i += 1;
        }
    }
    let mut map = Vec::new();
    while i < end {
        let c = literal[i..].chars().next()?;
        if !(basic && c == '\\') {
            map.extend(i..i + c.len_utf8());
            i += c.len_utf8();
            continue;
        }
        let hex = |n: usize| -> Option<usize> {
            let code = u32::from_str_radix(literal.get(i + 2..i + 2 + n)?, 16).ok()?;
            Some(char::from_u32(code)?.len_utf8())
        };
        let (decoded, written) = match literal[i + 1..].chars().next()? {
            'b' | 't' | 'n' | 'f' | 'r' | 'e' | '"' | '\\' => (1, 2),
            'x' => (hex(2)?, 4),
            'u' => (hex(4)?, 6),
            'U' => (hex(8)?, 10),
            ' ' | '\t' | '\n' | '\r' if q == 3 => {
                // Line-ending backslash: the white space and newlines after it vanish.
                let rest = &literal[i + 1..end];
                i += 1 + rest.len() - rest.trim_start_matches([' ', '\t', '\n', '\r']).len();
                continue;
            }
            _ => return None,
        };
        map.extend(std::iter::repeat_n(i, decoded));
        i += written;
    }
    map.push(end);
    Some(map)
}

/// Reads rule sources from `path`: one `.toml` rule file, or a folder (every `*.toml`
/// under it, see [`sources_from_dir`]).
pub fn sources_from_path(path: &std::path::Path) -> std::io::Result<Vec<RuleSource>> {
    if !std::fs::metadata(path)?.is_file() {
        return sources_from_dir(path);
    }
    if path.extension().is_none_or(|x| x != "toml") {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a rule file (*.toml) or a folder of them",
        ));
    }
    let text = std::fs::read_to_string(path)?;
    Ok(vec![RuleSource {
        name: path.display().to_string(),
        relative: path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default(),
        text,
        default: false,
    }])
}

/// Reads every `*.toml` file under `dir` (recursively, sorted by path) as rule sources.
pub fn sources_from_dir(dir: &std::path::Path) -> std::io::Result<Vec<RuleSource>> {
    let meta = std::fs::metadata(dir)?;
    if !meta.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a folder (pass the folder that holds the .toml rule files)",
        ));
    }
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.map_err(std::io::Error::other)?;
        if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "toml") {
            let text = std::fs::read_to_string(e.path()).map_err(|err| {
                std::io::Error::new(err.kind(), format!("{}: {err}", e.path().display()))
            })?;
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            out.push(RuleSource {
                name: e.path().display().to_string(),
                relative: rel.to_string_lossy().replace('\\', "/"),
                text,
                default: false,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> Vec<RuleSource> {
        vec![RuleSource {
            name: "test.toml".into(),
            relative: "test.toml".into(),
            text: text.into(),
            default: false,
        }]
    }

    #[test]
    fn defaults_load() {
        let rs = Ruleset::defaults();
        assert!(rs.rules().len() > 20);
        assert!(rs.get("whitespace.normalize").is_some());
    }

    /// What lets a run skip building the defaults' automata while validating them: each
    /// fits the default limit, and the groups read from the syntax tree are the ones the
    /// automaton reports.
    #[test]
    fn trusted_defaults_pass_the_full_check() {
        let rs = Ruleset::defaults();
        let mut n = 0;
        for r in rs.rules() {
            if let Matcher::Regex(p) = &r.matcher {
                let full = check_regex(p, Limits::default(), false).expect(&r.id);
                let trusted = check_regex(p, Limits::default(), true).expect(&r.id);
                assert_eq!(full, trusted, "{}", r.id);
                n += 1;
            }
        }
        assert!(n > 50);
        assert_eq!(
            check_regex(r"(a)(?:b(?P<x>c)|(?P<y>d))(e)", Limits::default(), true).unwrap(),
            check_regex(r"(a)(?:b(?P<x>c)|(?P<y>d))(e)", Limits::default(), false).unwrap(),
        );
    }

    #[test]
    fn unknown_field_names_file_and_line() {
        let e = Ruleset::from_sources(
            &src("[[rule]]\nid = \"a.b\"\ncategory = \"x\"\ndescription = \"d\"\naction = \"drop-line\"\nregx = 'a'\n"),
            Limits::default(),
        )
        .unwrap_err();
        let d = &e.0[0];
        assert_eq!((d.file.as_str(), d.line), ("test.toml", 6));
        assert!(d.message.contains("unknown field"), "{}", d.message);
    }

    #[test]
    fn an_unclosed_multi_line_string_is_reported_where_it_opened() {
        let text = "[[rule]]\nid = \"a.b\"\ncategory = \"x\"\ndescription = \"d\"\naction = \"drop-line\"\n\
                    regex = '''^b(\nexamples.hit = [\"b\"]\n\n[[rule]]\nid = \"a.c\"\ncategory = \"x\"\n\
                    description = '''third'''\naction = \"drop-line\"\nregex = 'c'\n";
        let e = Ruleset::from_sources(&src(text), Limits::default()).unwrap_err();
        assert_eq!(e.0.len(), 1, "{e}");
        let d = &e.0[0];
        assert_eq!((d.line, d.column), (6, 9), "{d}");
        assert!(d.message.contains("runs on to line 12"), "{d}");
        assert!(d.hint.as_deref().unwrap().contains("'''"), "{d}");
        // A closed multi-line string whose text merely looks like a key is no problem,
        // and a syntax error elsewhere is reported where the parser found it.
        let fine = "[[rule]]\nid = \"a.b\"\ncategory = \"x\"\ndescription = '''\nkey = value\n'''\naction = \"drop-line\"\nregex = 'a'\n";
        assert!(Ruleset::from_sources(&src(fine), Limits::default()).is_ok());
        let broken = format!("{fine}oops\n");
        let e = Ruleset::from_sources(&src(&broken), Limits::default()).unwrap_err();
        assert_eq!(e.0[0].line, 9, "{e}");
    }

    #[test]
    fn bad_regex_points_at_column_and_names_rule() {
        let e = Ruleset::from_sources(
            &src("[[rule]]\nid = \"a.b\"\ncategory = \"x\"\ndescription = \"d\"\naction = \"drop-line\"\nregex = 'ab(c'\n"),
            Limits::default(),
        )
        .unwrap_err();
        let d = &e.0[0];
        assert_eq!(d.rule.as_deref(), Some("a.b"));
        assert_eq!(d.line, 6);
        assert_eq!(d.column, 12, "{d}"); // the `(` inside 'ab(c'
        assert!(d.message.contains("invalid regex"));
    }

    #[test]
    fn all_problems_reported_and_duplicates_name_both_places() {
        let text = "[[rule]]\nid = \"a.b\"\ncategory = \"x\"\ndescription = \"d\"\naction = \"drop-lines\"\nregex = 'a'\n\
                    [[rule]]\nid = \"a.c\"\ncategory = \"x\"\ndescription = \"d\"\naction = \"replace\"\nregex = 'a'\n\
                    [[rule]]\nid = \"a.d\"\ncategory = \"x\"\ndescription = \"d\"\naction = \"drop-line\"\nregex = 'a'\n\
                    [[rule]]\nid = \"a.d\"\ncategory = \"x\"\ndescription = \"d\"\naction = \"drop-line\"\nregex = 'b'\n";
        let e = Ruleset::from_sources(&src(text), Limits::default()).unwrap_err();
        assert_eq!(e.0.len(), 3, "{e}");
        assert!(e.0[0].message.contains("unknown action"));
        assert!(e.0[1].message.contains("needs a `replace`"));
        assert!(e.0[2].message.contains("duplicate rule id"));
        assert_eq!(e.0[2].line, 20);
        assert_eq!(e.0[2].also.as_ref().unwrap().1, 14);
    }

    #[test]
    fn structural_problems_are_all_reported_at_their_own_lines() {
        let text = "[[rule]]\nid = \"a.b\"\ncategory = \"x\"\ndescription = \"d\"\naction = \"drop-line\"\nregx = 'a'\nwhen = { max_chars = \"ten\" }\n\
                    [[rule]]\nid = \"a.c\"\ncategory = \"x\"\ndescription = 3\nregex = 'a'\nexamples.hits = [\"a\"]\n";
        let e = Ruleset::from_sources(&src(text), Limits::default()).unwrap_err();
        let got: Vec<(usize, usize, &str)> =
            e.0.iter()
                .map(|d| (d.line, d.column, d.message.as_str()))
                .collect();
        assert_eq!(
            got,
            [
                (6, 1, "unknown field `regx` in a rule"),
                (
                    7,
                    22,
                    "`when.max_chars` must be a non-negative integer, found a string"
                ),
                (8, 1, "missing field `action`"),
                (11, 15, "`description` must be a string, found an integer"),
                (13, 10, "unknown field `hits` in `examples`"),
            ],
            "{e}"
        );
        assert!(e.0[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("did you mean `regex`?"));
        assert!(e.0[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("expected one of: id, category"));
        assert_eq!(e.0[0].rule.as_deref(), Some("a.b"));
    }

    #[test]
    fn syntax_errors_and_scope_types_are_reported() {
        let e =
            Ruleset::from_sources(&src("[[rule]\nid = \"a\"\n"), Limits::default()).unwrap_err();
        assert_eq!(e.0[0].line, 1, "{e}");
        let e = Ruleset::from_sources(
            &src("scope = { hosts = \"x.cn\", pathes = [] }\ndisable = [1]\n"),
            Limits::default(),
        )
        .unwrap_err();
        let msgs: Vec<&str> = e.0.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "`scope.hosts` must be an array of strings, found a string",
                "unknown field `pathes` in `scope`",
                "every item of `disable` must be a string, found an integer",
            ]
        );
    }

    #[test]
    fn duplicate_shows_both_source_lines() {
        let text = "[[rule]]\nid = \"a.d\"\ncategory = \"x\"\ndescription = \"d\"\naction = \"drop-line\"\nregex = 'a'\n\
                    [[rule]]\nid = \"a.d\"\ncategory = \"x\"\ndescription = \"d\"\naction = \"drop-line\"\nregex = 'b'\n";
        let e = Ruleset::from_sources(&src(text), Limits::default()).unwrap_err();
        let s = e.to_string();
        assert!(
            s.contains("--> test.toml:8:6") && s.contains("::: test.toml:2:1"),
            "{s}"
        );
        assert!(s.contains("first defined here"), "{s}");
    }

    #[test]
    fn regex_error_column_accounts_for_escapes_in_basic_strings() {
        // In "\\d+(x" the `(` is the 4th character of the regex but the 5th in the source.
        let text = "[[rule]]\nid = \"a.b\"\ncategory = \"x\"\ndescription = \"d\"\naction = \"drop-line\"\nregex = \"\\\\d+(x\"\n";
        let e = Ruleset::from_sources(&src(text), Limits::default()).unwrap_err();
        let d = &e.0[0];
        assert!(d.message.contains("unclosed group"), "{d}");
        assert_eq!((d.line, d.column), (6, 14), "{d}");
        let text = "[[rule]]\nid = \"a.b\"\ncategory = \"x\"\ndescription = \"d\"\naction = \"drop-line\"\nregex = \"\"\"\n\\u00e9a{2,1}\"\"\"\n";
        let e = Ruleset::from_sources(&src(text), Limits::default()).unwrap_err();
        let d = &e.0[0];
        assert_eq!((d.line, d.column), (7, 8), "{d}");
        assert!(string_offsets("'abc'").unwrap() == [1, 2, 3, 4]);
        assert!(string_offsets("\"a\\tb\"").unwrap() == [1, 2, 4, 5]);
    }

    #[test]
    fn impossible_condition_is_an_error() {
        let e = Ruleset::from_sources(
            &src("[[rule]]\nid = \"a.b\"\ncategory = \"x\"\ndescription = \"d\"\naction = \"drop-line\"\nregex = 'a'\nwhen = { min_chars = 9, max_chars = 3, tail = 1.5 }\n"),
            Limits::default(),
        )
        .unwrap_err();
        let got: Vec<_> = e.0.iter().map(|d| (d.column, d.message.as_str())).collect();
        assert_eq!(
            got,
            [
                (
                    22,
                    "`min_chars = 9` > `max_chars = 3`: the condition can never hold"
                ),
                (47, "`tail = 1.5` can never hold"),
            ]
        );
    }

    #[test]
    fn min_matches_needs_a_span_rule_and_two_matches() {
        let rule = |action: &str, n: usize| {
            format!("[[rule]]\nid = \"a.b\"\ncategory = \"x\"\ndescription = \"d\"\naction = \"{action}\"\nregex = 'a'\nwhen = {{ min_matches = {n} }}\n")
        };
        let message = |text: String| {
            Ruleset::from_sources(&src(&text), Limits::default())
                .unwrap_err()
                .0[0]
                .message
                .clone()
        };
        assert_eq!(
            message(rule("drop-line", 2)),
            "`min_matches` applies only to span rules (`drop-span`, `replace`)"
        );
        assert_eq!(
            message(rule("drop-span", 1)),
            "`min_matches = 1` has no effect: a rule acts on one match already"
        );
        assert!(Ruleset::from_sources(&src(&rule("drop-span", 2)), Limits::default()).is_ok());
    }

    #[test]
    fn user_rules_override_and_disable_defaults() {
        let mut sources = RuleSource::defaults();
        let footer = Ruleset::defaults()
            .rules()
            .iter()
            .find(|r| r.category == "footer")
            .unwrap()
            .id
            .clone();
        sources.push(RuleSource {
            name: "user.toml".into(),
            relative: "user.toml".into(),
            text: format!(
                "disable = [\"duplicate.paragraph\"]\n[[rule]]\nid = \"{footer}\"\ncategory = \"footer\"\ndescription = \"mine\"\naction = \"drop-line\"\nregex = 'zzz'\n"
            ),
            default: false,
        });
        let rs = Ruleset::from_sources(&sources, Limits::default()).unwrap();
        assert!(rs.get("duplicate.paragraph").is_none());
        let r = rs.get(&footer).unwrap();
        assert_eq!(r.description, "mine");
        assert_eq!(r.origin.file, "user.toml");
        assert_ne!(rs.fingerprint(), Ruleset::defaults().fingerprint());
    }
}
