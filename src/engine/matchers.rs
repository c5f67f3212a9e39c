//! Compiles a [`Ruleset`] into a few multi-pattern matchers.
//!
//! Line rules (regex) of one action share an automaton asked "which patterns match this
//! line" (split by line-length bound, so long paragraphs skip rules for short lines);
//! all span rules (regex) share one leftmost-first automaton; phrase lists go into one
//! Aho-Corasick automaton per kind. Cost therefore grows with the text, not with the
//! number of rules.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind as AcKind};
use regex_automata::meta::{self, Regex};
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input, MatchKind, PatternID};

use crate::rules::{Action, Limits, Matcher, PhraseMatch, Rule, Ruleset};

/// The line rules of one action, compiled into one automaton, with bounds derived from
/// their conditions so a line no rule of the group could act on is never scanned.
#[derive(Debug)]
struct LineGroup {
    regex: Regex,
    rules: Vec<usize>,
    /// Longest line any rule of the group accepts (`None`: unbounded).
    max_chars: Option<usize>,
}

impl LineGroup {
    fn may_match(&self, chars: usize) -> bool {
        self.max_chars.is_none_or(|m| chars <= m)
    }
}

/// All line rules: one automaton per action, one Aho-Corasick automaton for phrases.
#[derive(Debug)]
pub(crate) struct LineMatchers {
    groups: Vec<LineGroup>,
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
        // A set of Unicode-heavy patterns needs room, or the lazy DFA gives up and the
        // search falls back to the (much slower) PikeVM.
        .hybrid_cache_capacity(16 << 20)
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
        let mut by_action: Vec<((Action, u8), Vec<usize>)> = Vec::new();
        let (mut lph, mut lph_rules) = (Vec::new(), Vec::new());
        let (mut sre, mut sre_rules, mut caps) = (Vec::new(), Vec::new(), Vec::new());
        let (mut sph, mut sph_rules) = (Vec::new(), Vec::new());
        let mut meta_res = Vec::with_capacity(rules.len());
        for (i, r) in rules.iter().enumerate() {
            meta_res.push(None);
            match (&r.matcher, r.action.is_span()) {
                (Matcher::Regex(p), false) => {
                    // One automaton per action and length bucket: a long paragraph is then
                    // scanned only by the few rules that accept long lines.
                    let bucket = match r.when.max_chars {
                        Some(m) if m <= 50 => 0,
                        Some(_) => 1,
                        None => 2,
                    };
                    match by_action.iter_mut().find(|(k, _)| *k == (r.action, bucket)) {
                        Some((_, v)) => v.push(i),
                        None => by_action.push(((r.action, bucket), vec![i])),
                    }
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
                groups: by_action
                    .into_iter()
                    .map(|(_, idx)| line_group(rules, idx, limits))
                    .collect(),
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

fn line_group(rules: &[Rule], idx: Vec<usize>, limits: Limits) -> LineGroup {
    let pats: Vec<&str> = idx
        .iter()
        .map(|&i| match &rules[i].matcher {
            Matcher::Regex(p) => p.as_str(),
            _ => unreachable!("only regex rules are grouped"),
        })
        .collect();
    LineGroup {
        regex: build_many(&pats, limits, MatchKind::All).expect("non-empty group"),
        max_chars: idx
            .iter()
            .map(|&i| rules[i].when.max_chars)
            .try_fold(0, |acc, v| v.map(|v| acc.max(v))),
        rules: idx,
    }
}

/// Reusable per-document scratch space, so the per-line hot path does not allocate.
pub(crate) struct Scratch {
    patsets: Vec<regex_automata::PatternSet>,
    pub candidates: Vec<usize>,
    pub hits: Vec<SpanHit>,
    caps: Option<Captures>,
    /// Bytes replacements may still insert in this document.
    budget: usize,
    limit: usize,
    /// The replace rule that ran out of budget.
    pub overflow: Option<usize>,
}

impl Scratch {
    /// Scratch space for a document of `text_len` bytes: replacements may insert up to
    /// twice that plus 1 MiB.
    pub fn new(m: &Matchers, text_len: usize) -> Scratch {
        let limit = text_len.saturating_mul(2).saturating_add(1 << 20);
        Scratch {
            patsets: m
                .line
                .groups
                .iter()
                .map(|g| regex_automata::PatternSet::new(g.regex.pattern_len()))
                .collect(),
            candidates: Vec::new(),
            hits: Vec::new(),
            caps: m.span.regex.as_ref().map(|r| r.create_captures()),
            budget: limit,
            limit,
            overflow: None,
        }
    }

    /// The per-document bound on inserted bytes.
    pub fn budget_limit(&self) -> usize {
        self.limit
    }

    /// Takes `n` bytes from the budget; false (and `overflow` set) when it runs out.
    fn spend(&mut self, n: usize, rule: usize) -> bool {
        match self.budget.checked_sub(n) {
            Some(left) => {
                self.budget = left;
                true
            }
            None => {
                self.overflow.get_or_insert(rule);
                false
            }
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
    /// `chars` is the line's length; it lets groups of rules for short lines be skipped.
    pub fn candidates(&self, rules: &[Rule], line: &str, chars: usize, scratch: &mut Scratch) {
        scratch.candidates.clear();
        for (g, set) in self.groups.iter().zip(&mut scratch.patsets) {
            if !g.may_match(chars) {
                continue;
            }
            set.clear();
            g.regex.which_overlapping_matches(&Input::new(line), set);
            for pid in set.iter() {
                scratch.candidates.push(g.rules[pid.as_usize()]);
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
                if let Some(t) = &replacement {
                    // A template can repeat a group: bound what one match may insert.
                    let most = t.len() + t.matches('$').count() * (m.end() - m.start());
                    if !scratch.spend(most, rule) {
                        scratch.hits.clear();
                        return;
                    }
                }
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
                    if let Some(t) = &rules[rule].replace {
                        if !scratch.spend(t.len(), rule) {
                            scratch.hits.clear();
                            return;
                        }
                    }
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
        // `min_matches`: a rule that matched fewer times in this string does not act here.
        let few = |hits: &[SpanHit], h: &SpanHit| {
            rules[h.rule]
                .when
                .min_matches
                .is_some_and(|n| hits.iter().filter(|x| x.rule == h.rule).count() < n)
        };
        if scratch.hits.iter().any(|h| few(&scratch.hits, h)) {
            let hits = std::mem::take(&mut scratch.hits);
            scratch.hits = hits.iter().filter(|h| !few(&hits, h)).cloned().collect();
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
