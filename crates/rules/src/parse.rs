//! Reads a rule file into [`schema::RuleFileSpec`] by hand from the spanned TOML tree, so
//! that every structural problem (a TOML syntax error, an unknown field, a value of the
//! wrong type, a missing required field) is reported at its own line and column, all at
//! once, instead of stopping at the first one as a serde derive would.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::schema::{ConditionsSpec, ExamplesSpec, ExtractSpec, RuleFileSpec, RuleSpec, ScopeSpec};
use super::{Code, Diagnostic, RuleSource};
use crate::extract::select::Selector;

/// Top-level keys of a rule file.
pub const FILE_FIELDS: [&str; 4] = ["scope", "disable", "rule", "extract"];
/// Fields of the `[extract]` table.
pub const EXTRACT_FIELDS: [&str; 2] = ["main", "noise"];
/// Keys of a `[scope]` table.
pub const SCOPE_FIELDS: [&str; 3] = ["hosts", "paths", "markers"];
/// Keys of a `[[rule]]` table.
pub const RULE_FIELDS: [&str; 11] = [
    "id",
    "category",
    "description",
    "action",
    "regex",
    "phrases",
    "phrase_match",
    "replace",
    "block_max_chars",
    "when",
    "examples",
];
/// Keys of a rule's `when` table.
pub const WHEN_FIELDS: [&str; 9] = [
    "head",
    "tail",
    "max_chars",
    "min_chars",
    "after_image",
    "after_paragraph",
    "no_sentence_punct",
    "repeats_next",
    "min_matches",
];
/// Keys of a rule's `examples` table.
pub const EXAMPLE_FIELDS: [&str; 3] = ["hit", "miss", "rewrite"];

type V<'i> = Spanned<DeValue<'i>>;

/// Marker in [`RuleSpec::broken`] for a rule with an unknown (probably misspelt) field.
pub(crate) const UNKNOWN_FIELD: &str = "<unknown field>";

struct Ctx<'a> {
    src: &'a RuleSource,
    diags: &'a mut Vec<Diagnostic>,
    rule: Option<String>,
}

/// The names of `keys` that are present in `t` but came back unreadable.
fn broken_fields(t: &DeTable<'_>, read: &[(&str, bool)]) -> Vec<String> {
    read.iter()
        .filter(|(k, ok)| !ok && t.contains_key(*k))
        .map(|(k, _)| k.to_string())
        .collect()
}

fn kind(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// Levenshtein distance on characters, for "did you mean" hints.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The expected name closest to `got`, if it is a plausible typo.
pub fn suggest<'e>(got: &str, expected: &[&'e str]) -> Option<&'e str> {
    expected
        .iter()
        .map(|e| (distance(got, e), *e))
        .filter(|(d, e)| *d <= 2.max(e.len() / 3) && *d < e.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, e)| e)
}

impl Ctx<'_> {
    fn error(&mut self, code: Code, span: Range<usize>, msg: String, hint: Option<String>) {
        let mut d = Diagnostic::new(code, &self.src.name, &self.src.text, span, msg)
            .rule(self.rule.as_deref());
        d.hint = hint;
        self.diags.push(d);
    }

    fn wrong_type(&mut self, key: &str, want: &str, v: &V<'_>) {
        let got = kind(v.get_ref());
        self.error(
            Code::WrongType,
            v.span(),
            format!("`{key}` must be {want}, found {got}"),
            None,
        );
    }

    /// Reports keys of `table` not in `expected`; `what` names the table for the message.
    /// Returns how many there were.
    fn unknown_keys(&mut self, table: &DeTable<'_>, expected: &[&str], what: &str) -> usize {
        let mut n = 0;
        for k in table.keys() {
            let name = k.get_ref().as_ref();
            if expected.contains(&name) {
                continue;
            }
            let mut hint = String::new();
            if let Some(s) = suggest(name, expected) {
                hint.push_str(&format!("did you mean `{s}`? "));
            }
            hint.push_str(&format!("expected one of: {}", expected.join(", ")));
            self.error(
                Code::UnknownField,
                k.span(),
                format!("unknown field `{name}` in {what}"),
                Some(hint),
            );
            n += 1;
        }
        n
    }

    fn string(&mut self, key: &str, v: &V<'_>) -> Option<Spanned<String>> {
        match v.get_ref() {
            DeValue::String(s) => Some(Spanned::new(v.span(), s.to_string())),
            _ => {
                self.wrong_type(key, "a string", v);
                None
            }
        }
    }

    fn strings(&mut self, key: &str, v: &V<'_>) -> Option<Spanned<Vec<Spanned<String>>>> {
        let DeValue::Array(a) = v.get_ref() else {
            self.wrong_type(key, "an array of strings", v);
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for item in a.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push(Spanned::new(item.span(), s.to_string())),
                other => {
                    ok = false;
                    let got = kind(other);
                    self.error(
                        Code::WrongType,
                        item.span(),
                        format!("every item of `{key}` must be a string, found {got}"),
                        None,
                    );
                }
            }
        }
        ok.then(|| Spanned::new(v.span(), out))
    }

    fn uint(&mut self, key: &str, v: &V<'_>) -> Option<usize> {
        let DeValue::Integer(i) = v.get_ref() else {
            self.wrong_type(key, "a non-negative integer", v);
            return None;
        };
        match usize::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
            Ok(n) => Some(n),
            Err(_) => {
                self.error(
                    Code::WrongType,
                    v.span(),
                    format!("`{key}` must be a non-negative integer"),
                    None,
                );
                None
            }
        }
    }

    fn fraction(&mut self, key: &str, v: &V<'_>) -> Option<f64> {
        match v.get_ref() {
            DeValue::Float(f) => f.as_str().replace('_', "").parse().ok(),
            DeValue::Integer(i) => i.as_str().replace('_', "").parse().ok(),
            _ => {
                self.wrong_type(key, "a number (a fraction of the document)", v);
                None
            }
        }
    }

    fn boolean(&mut self, key: &str, v: &V<'_>) -> Option<bool> {
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(key, "true or false", v);
                None
            }
        }
    }

    fn table<'t, 'i>(&mut self, key: &str, v: &'t V<'i>) -> Option<&'t DeTable<'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => {
                self.wrong_type(key, "a table", v);
                None
            }
        }
    }

    fn scope(&mut self, v: &V<'_>) -> Option<Spanned<ScopeSpec>> {
        let t = self.table("scope", v)?;
        let unknown = self.unknown_keys(t, &SCOPE_FIELDS, "`scope`");
        let mut s = ScopeSpec::default();
        let before = self.diags.len();
        let list = |c: &mut Self, k: &str| -> Vec<String> {
            t.get(k)
                .and_then(|v| c.strings(&format!("scope.{k}"), v))
                .map(|l| l.into_inner().into_iter().map(|s| s.into_inner()).collect())
                .unwrap_or_default()
        };
        s.hosts = list(self, "hosts");
        s.paths = list(self, "paths");
        s.markers = list(self, "markers");
        // Two globs per host: as written, and for `*.x` the bare `x` too (`*.example.com`
        // covers `example.com`); `ScopeSpec::host_match` maps them back by index.
        let mut hosts = globset::GlobSetBuilder::new();
        for h in &s.hosts {
            let h = h.to_ascii_lowercase();
            let bare = h.strip_prefix("*.").unwrap_or(&h).to_string();
            for g in [h.as_str(), bare.as_str()] {
                match crate::schema::scope_glob(g) {
                    Ok(g) => {
                        hosts.add(g);
                    }
                    Err(e) => {
                        self.error(
                            Code::InvalidGlob,
                            v.span(),
                            format!("scope.hosts: invalid glob `{h}`: {e}"),
                            None,
                        );
                        break;
                    }
                }
            }
        }
        let mut paths = globset::GlobSetBuilder::new();
        for p in &s.paths {
            match crate::schema::scope_glob(p) {
                Ok(g) => {
                    paths.add(g);
                }
                Err(e) => self.error(
                    Code::InvalidGlob,
                    v.span(),
                    format!("scope.paths: invalid glob `{p}`: {e}"),
                    None,
                ),
            }
        }
        if self.diags.len() == before {
            s.host_set = hosts.build().unwrap_or_default();
            s.path_set = paths.build().unwrap_or_default();
        }
        let clean = unknown == 0 && self.diags.len() == before;
        if clean && s.hosts.is_empty() && s.paths.is_empty() && s.markers.is_empty() {
            self.error(
Code::EmptyScope,
                v.span(),
                "a `scope` that lists nothing matches no document".into(),
                Some("add `hosts = [\"*.example.com\"]`, `paths = [\"forum/**\"]` or `markers = [\"...\"]`, or remove the scope to apply everywhere".into()),
            );
        }
        Some(Spanned::new(v.span(), s))
    }

    fn extract(&mut self, v: &V<'_>) -> Option<ExtractSpec> {
        let t = self.table("extract", v)?;
        let before = self.diags.len();
        self.unknown_keys(t, &EXTRACT_FIELDS, "`extract`");
        let mut out = ExtractSpec::default();
        for key in EXTRACT_FIELDS {
            let Some(list) = t
                .get(key)
                .and_then(|v| self.strings(&format!("extract.{key}"), v))
            else {
                continue;
            };
            for item in list.into_inner() {
                let line = self.src.text[..item.span().start].matches('\n').count() + 1;
                match Selector::parse(item.get_ref()) {
                    Ok(sel) if key == "main" => out.main.push((sel, line)),
                    Ok(sel) => out.noise.push((sel, line)),
                    Err(e) => self.error(
Code::InvalidSelector,
                        item.span(),
                        format!("`extract.{key}`: {e}"),
                        Some("write a CSS selector such as `div.article-body`, `#content` or `article > .text`".into()),
                    ),
                }
            }
        }
        if out.main.is_empty() && out.noise.is_empty() && self.diags.len() == before {
            self.error(
Code::EmptyExtract,
                v.span(),
                "an `[extract]` table that lists no selector does nothing".into(),
                Some("add `main = [\"...\"]` (the article body) or `noise = [\"...\"]` (blocks to drop)".into()),
            );
        }
        Some(out)
    }

    fn when(&mut self, v: &V<'_>) -> Option<Spanned<ConditionsSpec>> {
        let t = self.table("when", v)?;
        self.unknown_keys(t, &WHEN_FIELDS, "`when`");
        let mut c = ConditionsSpec::default();
        for (k, val) in t.iter() {
            let key = k.get_ref().as_ref();
            let name = format!("when.{key}");
            match key {
                "head" => c.head = self.fraction(&name, val),
                "tail" => c.tail = self.fraction(&name, val),
                "max_chars" => c.max_chars = self.uint(&name, val),
                "min_chars" => c.min_chars = self.uint(&name, val),
                "after_image" => c.after_image = self.boolean(&name, val).unwrap_or(false),
                "after_paragraph" => c.after_paragraph = self.boolean(&name, val).unwrap_or(false),
                "no_sentence_punct" => {
                    c.no_sentence_punct = self.boolean(&name, val).unwrap_or(false)
                }
                "repeats_next" => c.repeats_next = self.boolean(&name, val).unwrap_or(false),
                "min_matches" => c.min_matches = self.uint(&name, val),
                _ => {}
            }
        }
        Some(Spanned::new(v.span(), c))
    }

    fn examples(&mut self, v: &V<'_>) -> Option<Spanned<ExamplesSpec>> {
        let t = self.table("examples", v)?;
        self.unknown_keys(t, &EXAMPLE_FIELDS, "`examples`");
        let mut e = ExamplesSpec::default();
        let plain = |s: Spanned<Vec<Spanned<String>>>| {
            s.into_inner().into_iter().map(|s| s.into_inner()).collect()
        };
        if let Some(v) = t.get("hit") {
            e.hit = self
                .strings("examples.hit", v)
                .map(plain)
                .unwrap_or_default();
        }
        if let Some(v) = t.get("miss") {
            e.miss = self
                .strings("examples.miss", v)
                .map(plain)
                .unwrap_or_default();
        }
        if let Some(v) = t.get("rewrite") {
            match v.get_ref() {
                DeValue::Array(a) => {
                    for pair in a.iter() {
                        let two = match pair.get_ref() {
                            DeValue::Array(p) if p.len() == 2 => {
                                let items: Vec<_> = p.iter().map(|x| x.get_ref()).collect();
                                match (items[0], items[1]) {
                                    (DeValue::String(a), DeValue::String(b)) => {
                                        Some((a.to_string(), b.to_string()))
                                    }
                                    _ => None,
                                }
                            }
                            _ => None,
                        };
                        match two {
                            Some(p) => e.rewrite.push(p),
                            None => self.error(
Code::WrongType,
                                pair.span(),
                                "every item of `examples.rewrite` must be a pair of strings `[input, expected]`".into(),
                                Some("e.g. `examples.rewrite = [[\"蕞近\", \"最近\"]]`".into()),
                            ),
                        }
                    }
                }
                _ => self.wrong_type("examples.rewrite", "an array of [input, expected] pairs", v),
            }
        }
        Some(Spanned::new(v.span(), e))
    }

    fn rule(&mut self, v: &V<'_>) -> Option<Spanned<RuleSpec>> {
        let DeValue::Table(t) = v.get_ref() else {
            self.wrong_type("rule", "a table (write each rule as `[[rule]]`)", v);
            return None;
        };
        self.rule = t
            .get("id")
            .and_then(|id| id.get_ref().as_str().map(str::to_string));
        let unknown = self.unknown_keys(t, &RULE_FIELDS, "a rule");
        let required = |c: &mut Self, key: &str| -> Option<Spanned<String>> {
            t.get(key).and_then(|val| c.string(key, val))
        };
        let id = required(self, "id");
        let category = required(self, "category");
        let description = required(self, "description");
        let action = required(self, "action");
        let missing: Vec<String> = ["id", "category", "description", "action"]
            .into_iter()
            .filter(|k| !t.contains_key(*k))
            .map(|k| format!("`{k}`"))
            .collect();
        if !missing.is_empty() {
            let s = if missing.len() == 1 { "" } else { "s" };
            self.error(
                Code::MissingField,
                header_span(&self.src.text, v.span()),
                format!("missing field{s} {}", missing.join(", ")),
                Some("every rule needs `id`, `category`, `description` and `action`".into()),
            );
        }
        let regex = t.get("regex").and_then(|x| self.string("regex", x));
        let phrases = t
            .get("phrases")
            .and_then(|x| self.strings("phrases", x))
            .map(|s| {
                let span = s.span();
                Spanned::new(
                    span,
                    s.into_inner().into_iter().map(|s| s.into_inner()).collect(),
                )
            });
        let phrase_match = t
            .get("phrase_match")
            .and_then(|x| self.string("phrase_match", x));
        let replace = t.get("replace").and_then(|x| self.string("replace", x));
        let block_max_chars = t.get("block_max_chars").and_then(|x| {
            self.uint("block_max_chars", x)
                .map(|n| Spanned::new(x.span(), n))
        });
        let when = t.get("when").and_then(|x| self.when(x));
        let examples = t.get("examples").and_then(|x| self.examples(x));
        let when_spans = match t.get("when").map(|w| w.get_ref()) {
            Some(DeValue::Table(w)) => w
                .iter()
                .map(|(k, v)| (k.get_ref().to_string(), v.span()))
                .collect(),
            _ => Vec::new(),
        };
        let mut broken = broken_fields(
            t,
            &[
                ("regex", regex.is_some()),
                ("phrases", phrases.is_some()),
                ("phrase_match", phrase_match.is_some()),
                ("replace", replace.is_some()),
                ("block_max_chars", block_max_chars.is_some()),
                ("when", when.is_some()),
                ("examples", examples.is_some()),
            ],
        );
        if unknown > 0 {
            // A misspelt field may be the missing matcher or template.
            broken.push(UNKNOWN_FIELD.to_string());
        }
        let spec = RuleSpec {
            id: id?,
            category: category?,
            description: description?,
            action: action?,
            regex,
            phrases,
            phrase_match,
            replace,
            block_max_chars,
            when,
            examples,
            broken,
            when_spans,
        };
        Some(Spanned::new(header_span(&self.src.text, v.span()), spec))
    }
}

/// The span of a `[[rule]]` header: TOML gives an array-of-tables element the span of
/// its body, so look back to the header line when it is there.
fn header_span(text: &str, span: Range<usize>) -> Range<usize> {
    let start = span.start.min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    if text[line_start..].trim_start().starts_with("[[") {
        let s = line_start + (text[line_start..].len() - text[line_start..].trim_start().len());
        let e = text[s..]
            .find(']')
            .map_or(s + 2, |i| s + i + 2)
            .min(text.len());
        return s..e;
    }
    // The element span may start after the header; search backwards for it.
    if let Some(h) = text[..start].rfind("[[") {
        let e = text[h..].find("]]").map_or(h + 2, |i| h + i + 2);
        return h..e;
    }
    span
}

/// A multi-line string that probably lacks its closing delimiter.
struct Runaway {
    /// The opening delimiter's span.
    open: Range<usize>,
    /// Where the string ends (its closing delimiter, or the end of the text).
    end: usize,
    /// `'''` or `"""`.
    delimiter: &'static str,
}

/// Whether a line of a string's body looks like TOML structure: a table header or a
/// `key = value` line. Text in a rule's pattern or example rarely does.
fn looks_like_toml(line: &str) -> bool {
    let t = line.trim_start();
    if t.starts_with("[[") || (t.starts_with('[') && t.trim_end().ends_with(']')) {
        return t[1..]
            .trim_start_matches('[')
            .starts_with(|c: char| c.is_ascii_alphabetic());
    }
    let key_len = t
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        .count();
    key_len > 0
        && t[key_len..].trim_start().starts_with('=')
        && !t[key_len..].trim_start().starts_with("==")
}

/// The multi-line strings whose body holds a line that looks like TOML structure, or that
/// are never closed. A small lexer: comments, basic and literal strings (one line),
/// multi-line strings; nothing else of TOML matters for this.
fn runaway_strings(text: &str) -> Vec<Runaway> {
    let b = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => i = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n),
            q @ (b'"' | b'\'') if b[i..].starts_with(&[q, q, q]) => {
                let delimiter = if q == b'"' { "\"\"\"" } else { "'''" };
                let body = i + 3;
                let mut j = body;
                let close = loop {
                    match memchr::memmem::find(&b[j..], delimiter.as_bytes()) {
                        // A backslash escapes a quote in a basic string.
                        Some(n) if q == b'"' && j + n > 0 && b[j + n - 1] == b'\\' => j += n + 1,
                        Some(n) => break Some(j + n),
                        None => break None,
                    }
                };
                let end = close.unwrap_or(b.len());
                let swallowed = text[body..end].lines().skip(1).any(looks_like_toml);
                if swallowed || close.is_none() {
                    found.push(Runaway {
                        open: i..body,
                        end,
                        delimiter,
                    });
                }
                i = end + 3;
                // Up to two more quotes belong to the string.
                while i < b.len() && b[i] == q && i < end + 5 {
                    i += 1;
                }
            }
            q @ (b'"' | b'\'') => {
                i += 1;
                while i < b.len() && b[i] != q && b[i] != b'\n' {
                    if q == b'"' && b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    found
}

/// Parses one rule file. Every problem goes to `diags`; the returned spec holds what
/// could be read (rules with a problem in a required field are left out).
pub(crate) fn parse_file(src: &RuleSource, diags: &mut Vec<Diagnostic>) -> RuleFileSpec {
    let mut out = RuleFileSpec {
        scope: None,
        disable: Vec::new(),
        rule: Vec::new(),
        extract: None,
    };
    let (doc, errors) = DeTable::parse_recoverable(&src.text);
    if !errors.is_empty() {
        // A multi-line string left open swallows the lines after it, and the parser only
        // notices where the swallowed text stops looking like a string: point at where it
        // opened, which is where the fix goes.
        let first = errors
            .iter()
            .filter_map(|e| e.span())
            .map(|s| s.start)
            .min()
            .unwrap_or(src.text.len());
        let line_of =
            |at: usize| memchr::memchr_iter(b'\n', &src.text.as_bytes()[..at]).count() + 1;
        // The parser stops on the line where the runaway string was closed by a delimiter
        // meant to open another string (or at the end, when nothing closed it).
        let first = first.min(src.text.len());
        if let Some(r) = runaway_strings(&src.text).into_iter().find(|r| {
            r.open.start <= first && (r.end == src.text.len() || line_of(r.end) == line_of(first))
        }) {
            let to = line_of(r.end);
            diags.push(
                Diagnostic::new(
                    Code::UnclosedString,
                    &src.name,
                    &src.text,
                    r.open.clone(),
                    format!(
                        "this multi-line string is not closed where it should be: it runs on to line {to}, over lines that look like keys or tables"
                    ),
                )
                .hint(format!(
                    "close it with `{}` at the end of its text",
                    r.delimiter
                )),
            );
            return out;
        }
        for e in errors {
            let span = e.span().unwrap_or(0..0);
            diags.push(
                Diagnostic::new(
                    Code::TomlSyntax,
                    &src.name,
                    &src.text,
                    span,
                    e.message().trim().to_string(),
                )
                .hint(
                    "this is a TOML syntax error; the rest of this file is checked once it parses",
                ),
            );
        }
        return out;
    }
    let mut c = Ctx {
        src,
        diags,
        rule: None,
    };
    let doc = doc.into_inner();
    c.unknown_keys(
        &doc,
        &FILE_FIELDS,
        "a rule file (rules go in `[[rule]]` tables)",
    );
    if let Some(v) = doc.get("scope") {
        out.scope = c.scope(v);
    }
    if let Some(v) = doc.get("extract") {
        out.extract = c.extract(v);
    }
    if let Some(v) = doc.get("disable") {
        if let Some(l) = c.strings("disable", v) {
            out.disable = l.into_inner();
        }
    }
    if let Some(v) = doc.get("rule") {
        match v.get_ref() {
            DeValue::Array(a) => {
                for item in a.iter() {
                    if let Some(r) = c.rule(item) {
                        out.rule.push(r);
                    }
                    c.rule = None;
                }
            }
            _ => c.wrong_type(
                "rule",
                "an array of tables (write each rule as `[[rule]]`)",
                v,
            ),
        }
    }
    out
}
