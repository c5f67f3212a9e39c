//! Compiles a [`Ruleset`] into a few multi-pattern matchers.
//!
//! All line rules (regex) share one automaton asked "which patterns match this line";
//! all span rules (regex) share one leftmost-first automaton; phrase lists go into one
//! Aho-Corasick automaton per kind. Cost therefore grows with the text, not with the
//! number of rules.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind as AcKind};
use regex_automata::meta::{self, Regex};
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input, MatchKind, PatternID};

use crate::rules::{Action, Limits, Matcher, PhraseMatch, Rule, Ruleset};

/// A rule that may act on a whole line.
#[derive(Debug)]
pub(crate) struct LineMatchers {
    regex: Option<Regex>,
    regex_rules: Vec<usize>,
    phrases: Option<AhoCorasick>,
    phrase_rules: Vec<(usize, PhraseMatch)>,
}

/// A span edit found inside one string (offsets relative to that string).
#[derive(Debug, Clone)]
pub(crate) struct SpanHit {
    pub start: usize,
    pub end: usize,
    pub rule: usize,
    pub replacement: Option<String>,
}

#[derive(Debug)]
pub(crate) struct SpanMatchers {
    regex: Option<Regex>,
    regex_rules: Vec<usize>,
    /// Per pattern: has a group named `edit`, or a replacement template with `$`.
    needs_captures: Vec<bool>,
    phrases: Option<AhoCorasick>,
    phrase_rules: Vec<usize>,
}

/// Individual regexes of `meta` rules, for capturing named groups.
#[derive(Debug)]
pub(crate) struct Matchers {
    pub line: LineMatchers,
    pub span: SpanMatchers,
    pub meta: Vec<Option<Regex>>,
}

fn config(limits: Limits, kind: MatchKind) -> meta::Config {
    meta::Config::new()
        .match_kind(kind)
        .nfa_size_limit(Some(limits.regex_size))
        .onepass_size_limit(Some(limits.regex_size))
        .dfa_size_limit(Some(limits.regex_size))
}

fn build_many(pats: &[&str], limits: Limits, kind: MatchKind) -> Option<Regex> {
    if pats.is_empty() {
        return None;
    }
    Some(
        meta::Builder::new()
            .configure(config(limits, kind))
            .build_many(pats)
            .expect("patterns were validated when the rule set was loaded"),
    )
}

fn build_ac(pats: &[&str], kind: AcKind) -> Option<AhoCorasick> {
    if pats.is_empty() {
        return None;
    }
    Some(
        AhoCorasickBuilder::new()
            .match_kind(kind)
            .build(pats)
            .expect("phrase automaton builds"),
    )
}

impl Matchers {
    pub fn new(ruleset: &Ruleset) -> Matchers {
        let limits = ruleset.limits();
        let rules = ruleset.rules();
        let (mut lre, mut lre_rules) = (Vec::new(), Vec::new());
        let (mut lph, mut lph_rules) = (Vec::new(), Vec::new());
        let (mut sre, mut sre_rules, mut caps) = (Vec::new(), Vec::new(), Vec::new());
        let (mut sph, mut sph_rules) = (Vec::new(), Vec::new());
        let mut meta_res = Vec::with_capacity(rules.len());
        for (i, r) in rules.iter().enumerate() {
            meta_res.push(None);
            match (&r.matcher, r.action.is_span()) {
                (Matcher::Regex(p), false) => {
                    lre.push(p.as_str());
                    lre_rules.push(i);
                    if r.action == Action::Meta {
                        meta_res[i] =
                            Some(crate::rules::compile_regex(p, limits).expect("validated regex"));
                    }
                }
                (Matcher::Regex(p), true) => {
                    sre.push(p.as_str());
                    sre_rules.push(i);
                    caps.push(
                        p.contains("?P<edit>")
                            || p.contains("?<edit>")
                            || r.replace.as_deref().is_some_and(|t| t.contains('$')),
                    );
                }
                (Matcher::Phrases(list, mode), false) => {
                    for p in list {
                        lph.push(p.as_str());
                        lph_rules.push((i, *mode));
                    }
                }
                (Matcher::Phrases(list, _), true) => {
                    for p in list {
                        sph.push(p.as_str());
                        sph_rules.push(i);
                    }
                }
                (Matcher::Builtin(_), _) => {}
            }
        }
        Matchers {
            line: LineMatchers {
                regex: build_many(&lre, limits, MatchKind::All),
                regex_rules: lre_rules,
                phrases: build_ac(&lph, AcKind::Standard),
                phrase_rules: lph_rules,
            },
            span: SpanMatchers {
                regex: build_many(&sre, limits, MatchKind::LeftmostFirst),
                regex_rules: sre_rules,
                needs_captures: caps,
                phrases: build_ac(&sph, AcKind::LeftmostLongest),
                phrase_rules: sph_rules,
            },
            meta: meta_res,
        }
    }
}

/// Reusable per-document scratch space, so the per-line hot path does not allocate.
pub(crate) struct Scratch {
    patset: regex_automata::PatternSet,
    pub candidates: Vec<usize>,
    pub hits: Vec<SpanHit>,
    caps: Option<Captures>,
}

impl Scratch {
    pub fn new(m: &Matchers) -> Scratch {
        Scratch {
            patset: regex_automata::PatternSet::new(
                m.line.regex.as_ref().map_or(0, |r| r.pattern_len()),
            ),
            candidates: Vec::new(),
            hits: Vec::new(),
            caps: m.span.regex.as_ref().map(|r| r.create_captures()),
        }
    }
}

/// Structural actions decide first: a footer marker must win over a drop-line on the same line.
fn action_rank(a: Action) -> u8 {
    match a {
        Action::DropRest => 0,
        Action::DropHead => 1,
        Action::DropBlock => 2,
        Action::Meta => 3,
        _ => 4,
    }
}

impl LineMatchers {
    /// Fills `scratch.candidates` with the indices of rules whose matcher matches `line`,
    /// in priority order: by action (drop-rest, drop-head, drop-block, meta, drop-line),
    /// then by rule order.
    pub fn candidates(&self, rules: &[Rule], line: &str, scratch: &mut Scratch) {
        scratch.candidates.clear();
        if let Some(re) = &self.regex {
            scratch.patset.clear();
            re.which_overlapping_matches(&Input::new(line), &mut scratch.patset);
            for pid in scratch.patset.iter() {
                scratch.candidates.push(self.regex_rules[pid.as_usize()]);
            }
        }
        if let Some(ac) = &self.phrases {
            for m in ac.find_overlapping_iter(line) {
                let (rule, mode) = self.phrase_rules[m.pattern().as_usize()];
                let ok = match mode {
                    PhraseMatch::Contains => true,
                    PhraseMatch::Start => m.start() == 0,
                    PhraseMatch::Line => m.start() == 0 && m.end() == line.len(),
                };
                if ok {
                    scratch.candidates.push(rule);
                }
            }
        }
        scratch
            .candidates
            .sort_unstable_by_key(|&r| (action_rank(rules[r].action), r));
        scratch.candidates.dedup();
    }
}

impl SpanMatchers {
    /// Fills `scratch.hits` with non-overlapping span edits in `s`, leftmost first; among
    /// matches starting at the same place the longer, then the earlier rule, wins.
    /// `allowed(rule)` filters rules (scope, conditions).
    pub fn find(
        &self,
        rules: &[Rule],
        s: &str,
        scratch: &mut Scratch,
        allowed: &mut dyn FnMut(usize) -> bool,
    ) {
        scratch.hits.clear();
        if let Some(re) = &self.regex {
            for m in re.find_iter(s) {
                if m.is_empty() {
                    continue;
                }
                let pid = m.pattern();
                let rule = self.regex_rules[pid.as_usize()];
                if !allowed(rule) {
                    continue;
                }
                let (mut start, mut end) = (m.start(), m.end());
                let mut replacement = rules[rule].replace.clone();
                if self.needs_captures[pid.as_usize()] {
                    let caps = scratch.caps.as_mut().expect("captures allocated");
                    let input = Input::new(s)
                        .range(m.start()..)
                        .anchored(Anchored::Pattern(pid));
                    re.search_captures(&input, caps);
                    if let Some(g) = caps.get_group_by_name("edit") {
                        start = g.start;
                        end = g.end;
                    }
                    if let Some(t) = &rules[rule].replace {
                        let mut out = String::new();
                        caps.interpolate_string_into(s, t, &mut out);
                        replacement = Some(out);
                    }
                }
                if start < end {
                    scratch.hits.push(SpanHit {
                        start,
                        end,
                        rule,
                        replacement,
                    });
                }
            }
        }
        if let Some(ac) = &self.phrases {
            let before = scratch.hits.len();
            for m in ac.find_iter(s) {
                let rule = self.phrase_rules[m.pattern().as_usize()];
                if allowed(rule) {
                    scratch.hits.push(SpanHit {
                        start: m.start(),
                        end: m.end(),
                        rule,
                        replacement: rules[rule].replace.clone(),
                    });
                }
            }
            if before > 0 && scratch.hits.len() > before {
                // Two sources: order and drop overlaps.
                scratch
                    .hits
                    .sort_by(|a, b| (a.start, b.end, a.rule).cmp(&(b.start, a.end, b.rule)));
                let mut last_end = 0;
                scratch.hits.retain(|h| {
                    let keep = h.start >= last_end;
                    if keep {
                        last_end = h.end;
                    }
                    keep
                });
            }
        }
    }
}

/// Named-group captures of a `meta` rule on `line`, as (name, value) pairs.
pub(crate) fn meta_captures<'a>(re: &Regex, line: &'a str) -> Vec<(String, &'a str)> {
    let mut caps = re.create_captures();
    re.captures(line, &mut caps);
    let mut out = Vec::new();
    if !caps.is_match() {
        return out;
    }
    for name in re.group_info().pattern_names(PatternID::ZERO).flatten() {
        if let Some(span) = caps.get_group_by_name(name) {
            let v = line[span.range()].trim();
            if !v.is_empty() {
                out.push((name.to_string(), v));
            }
        }
    }
    out
}
