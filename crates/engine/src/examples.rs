//! Rule examples as tests: every rule may carry texts it must act on (`examples.hit`),
//! texts it must leave alone (`examples.miss`) and, for span rules, `[input, expected]`
//! pairs (`examples.rewrite`). [`run`] checks them all through
//! [`Cleaner::clean_example`], so an example sees the whole rule set, with zone
//! conditions (`head`/`tail`) ignored, and only the rule's own edits count.

use std::fmt;

use serde::Serialize;

use crate::rules::{Matcher, Rule, Ruleset};
use crate::Cleaner;

/// Which kind of example failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `examples.hit`: the rule must make at least one edit.
    Hit,
    /// `examples.miss`: the rule must make no edit.
    Miss,
    /// `examples.rewrite`: the text with only the rule's edits applied must equal the expected text.
    Rewrite,
}

impl Kind {
    /// The field name in rule files.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Hit => "hit",
            Kind::Miss => "miss",
            Kind::Rewrite => "rewrite",
        }
    }
}

/// One example that did not behave as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The rule's id.
    pub rule: String,
    /// The rule file (display path).
    pub file: String,
    /// 1-based line of the rule's `[[rule]]` header.
    pub line: usize,
    /// Which kind of example failed.
    pub kind: Kind,
    /// The example text.
    pub input: String,
    /// For `rewrite`: the expected text.
    pub expected: Option<String>,
    /// The example text with only this rule's edits applied.
    pub got: String,
    /// The texts the rule removed or replaced, in order.
    pub removed: Vec<String>,
    /// For a `hit` example left alone: the rules that edited the example instead (a rule
    /// earlier in priority order decided its line first), with what each removed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub taken_by: Vec<(String, String)>,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            Kind::Hit if !self.taken_by.is_empty() => format!(
                "a `hit` example was left alone: {} edited it first",
                self.taken_by
                    .iter()
                    .map(|(rule, removed)| format!("`{rule}` (removed {removed:?})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Kind::Hit => "a `hit` example was left alone".to_string(),
            Kind::Miss => format!(
                "a `miss` example was edited (removed {})",
                self.removed
                    .iter()
                    .map(|r| format!("{r:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Kind::Rewrite => "a `rewrite` example gave a different result".to_string(),
        };
        writeln!(f, "FAIL {}: {what}", self.rule)?;
        writeln!(f, "  --> {}:{}", self.file, self.line)?;
        write!(f, "   input:    {:?}", self.input)?;
        if let Some(e) = &self.expected {
            write!(f, "\n   expected: {e:?}\n   got:      {:?}", self.got)?;
        }
        Ok(())
    }
}

/// The outcome of running the examples of a rule set.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Rules whose examples were run.
    pub rules: usize,
    /// Examples run.
    pub examples: usize,
    /// Examples that did not behave as written.
    pub failures: Vec<Failure>,
}

impl Report {
    /// Whether every example passed.
    pub fn ok(&self) -> bool {
        self.failures.is_empty()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for x in &self.failures {
            writeln!(f, "{x}\n")?;
        }
        let passed = self.examples - self.failures.len();
        let s = |n: usize| if n == 1 { "" } else { "s" };
        write!(
            f,
            "{} rule{}, {} example{}: {passed} passed, {} failed",
            self.rules,
            s(self.rules),
            self.examples,
            s(self.examples),
            self.failures.len()
        )
    }
}

/// Runs one rule's examples, appending failures; returns how many were run.
pub fn run_rule(cleaner: &Cleaner, rule: &Rule, failures: &mut Vec<Failure>) -> usize {
    let ex = &rule.examples;
    let mut n = 0;
    let mut fail = |kind: Kind, input: &str, expected: Option<&str>, out: &crate::Cleaned| {
        let taken_by = match kind {
            Kind::Hit => taken_by(cleaner, input, &rule.id),
            _ => Vec::new(),
        };
        failures.push(Failure {
            rule: rule.id.clone(),
            file: rule.origin.file.clone(),
            line: rule.origin.line,
            kind,
            input: input.to_string(),
            expected: expected.map(str::to_string),
            got: out.body.clone(),
            removed: out.edits.iter().map(|e| e.removed.clone()).collect(),
            taken_by,
        })
    };
    for text in &ex.hit {
        n += 1;
        let out = example(cleaner, text, &rule.id);
        if out.edits.is_empty() {
            fail(Kind::Hit, text, None, &out);
        }
    }
    for text in &ex.miss {
        n += 1;
        let out = example(cleaner, text, &rule.id);
        if !out.edits.is_empty() {
            fail(Kind::Miss, text, None, &out);
        }
    }
    for (input, expected) in &ex.rewrite {
        n += 1;
        let out = example(cleaner, input, &rule.id);
        if out.body != *expected {
            fail(Kind::Rewrite, input, Some(expected), &out);
        }
    }
    n
}

/// The other rules (white space aside) that edit `text` when `rule`'s example runs: run only
/// on a failed example, so the cost of one pass per rule does not matter.
fn taken_by(cleaner: &Cleaner, text: &str, rule: &str) -> Vec<(String, String)> {
    cleaner
        .ruleset()
        .rules()
        .iter()
        .filter(|r| r.id != rule && r.category != "whitespace")
        .filter_map(|r| {
            let out = cleaner.clean_example(text, &r.id).ok()?;
            let removed: Vec<&str> = out.edits.iter().map(|e| e.removed.trim()).collect();
            (!out.edits.is_empty()).then(|| (r.id.clone(), removed.join(" | ")))
        })
        .collect()
}

/// Cleans an example; a document the engine refuses shows the error as its body.
fn example(cleaner: &Cleaner, text: &str, rule: &str) -> crate::Cleaned {
    cleaner
        .clean_example(text, rule)
        .unwrap_or_else(|e| crate::Cleaned {
            body: format!("error: {e}"),
            ..Default::default()
        })
}

/// Runs the examples of every rule of the cleaner's rule set, or only of the rules
/// `filters` select when it is not empty (ids, id prefixes, rule files or folders: see
/// [`super::select`]).
pub fn run(cleaner: &Cleaner, filters: &[String]) -> Report {
    let mut report = Report::default();
    for rule in crate::rules::select::select(cleaner.ruleset(), filters).0 {
        if matches!(rule.matcher, Matcher::Builtin(_)) {
            continue;
        }
        report.rules += 1;
        report.examples += run_rule(cleaner, rule, &mut report.failures);
    }
    report
}

/// Rules (built-in stages aside) lacking a positive (`hit` or `rewrite`) or a negative
/// (`miss`) example, with what is missing.
pub fn missing(ruleset: &Ruleset) -> Vec<(&Rule, &'static str)> {
    let mut out = Vec::new();
    for r in ruleset.rules() {
        if r.origin.file == "<built-in>" {
            continue;
        }
        let ex = &r.examples;
        if ex.hit.is_empty() && ex.rewrite.is_empty() {
            out.push((
                r,
                "no positive example (`examples.hit` or `examples.rewrite`)",
            ));
        }
        if ex.miss.is_empty() {
            out.push((r, "no negative example (`examples.miss`)"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Limits, RuleSource};

    fn cleaner(text: &str) -> Cleaner {
        let src = RuleSource {
            name: "t.toml".into(),
            relative: "t.toml".into(),
            text: text.into(),
            default: false,
        };
        Cleaner::new(Ruleset::from_sources(&[src], Limits::default()).unwrap())
    }

    #[test]
    fn every_default_example_passes_and_every_rule_has_both_kinds() {
        let c = Cleaner::new(Ruleset::defaults());
        let r = run(&c, &[]);
        assert!(r.ok(), "{r}");
        assert!(r.examples >= 2 * r.rules);
        let m = missing(c.ruleset());
        assert!(
            m.is_empty(),
            "{:?}",
            m.iter().map(|(r, w)| (&r.id, w)).collect::<Vec<_>>()
        );
    }

    #[test]
    fn failing_examples_are_reported_with_location() {
        let c = cleaner(
            "[[rule]]\nid = \"t.x\"\ncategory = \"t\"\ndescription = \"d\"\naction = \"replace\"\nregex = '蕞'\nreplace = \"最\"\n\
             examples.hit = [\"没有\"]\nexamples.miss = [\"蕞近\"]\nexamples.rewrite = [[\"蕞近\", \"最远\"], [\"蕞好\", \"最好\"]]\n",
        );
        let r = run(&c, &[]);
        assert_eq!((r.rules, r.examples), (1, 4));
        let kinds: Vec<_> = r.failures.iter().map(|f| f.kind).collect();
        assert_eq!(kinds, [Kind::Hit, Kind::Miss, Kind::Rewrite]);
        let f = &r.failures[2];
        assert_eq!((f.file.as_str(), f.line), ("t.toml", 1));
        assert_eq!(f.got, "最近");
        assert!(r.to_string().contains("t.toml:1"));
        assert!(r.to_string().contains("1 passed, 3 failed"));
    }

    #[test]
    fn missing_examples_are_listed() {
        let c = cleaner(
            "[[rule]]\nid = \"t.x\"\ncategory = \"t\"\ndescription = \"d\"\naction = \"drop-line\"\nregex = 'x'\nexamples.hit = [\"x\"]\n",
        );
        let m = missing(c.ruleset());
        assert_eq!(m.len(), 1);
        assert!(m[0].1.contains("negative"));
    }
}
