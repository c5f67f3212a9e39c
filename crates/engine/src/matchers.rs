//! Compiles a [`Ruleset`] into matchers whose cost per line does not grow with the
//! number of rules.
//!
//! Most rule patterns require a literal: every match starts (or ends) with one of a few
//! strings (`相关文章`, `责任编辑`, `http`). Those literals, from every rule of a kind, go
//! into one Aho-Corasick automaton; a line is scanned once by it, and only the rules
//! whose literal occurs are run on the line, each by its own small regex. The few
//! patterns without such a literal (`^\d+$`, `.`) share multi-pattern automata of at most
//! [`GROUP_SIZE`] patterns, split further if one would exceed the size limit, so no
//! combination of rules that `rules check` accepts fails to compile. Phrase lists go into
//! one Aho-Corasick automaton per kind.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind as AcKind};
use regex_automata::meta::{self, Regex};
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input, MatchKind, PatternID};
use regex_syntax::hir::literal::{ExtractKind, Extractor, Seq};

use crate::rules::{Action, Limits, Matcher, PhraseMatch, Rule, Ruleset};

/// Most patterns one multi-pattern automaton holds.
const GROUP_SIZE: usize = 64;
/// A prefilter with more literals than this is not worth its automaton.
const MAX_LITERALS: usize = 64;

/// A span edit found inside one string (offsets relative to that string).
#[derive(Debug, Clone)]
pub(crate) struct SpanHit {
    pub start: usize,
    pub end: usize,
    pub rule: usize,
    pub replacement: Option<String>,
}

/// Rules of one kind whose patterns require a literal. One automaton of all their
/// literals finds which groups of rules may match a line; only those groups run.
#[derive(Debug, Default)]
struct Literal {
    ac: Option<AhoCorasick>,
    /// Per literal of the automaton: the group of its rule.
    group_of: Vec<u32>,
    groups: Vec<Group>,
}

/// Rules of one kind without a usable literal, in size-bounded multi-pattern automata.
#[derive(Debug)]
struct Group {
    /// Index among all groups of the matchers (for per-group scratch space).
    id: usize,
    regex: Regex,
    rules: Vec<usize>,
}

/// Regex rules of one kind (line or span) that accept lines up to one length bound. A
/// small tier is one automaton run on every line; a large one gates its groups by
/// literals, so a line runs only the groups that may match it.
#[derive(Debug)]
struct Tier {
    /// Longest line any rule of the tier accepts (`None`: unbounded).
    max_chars: Option<usize>,
    literal: Literal,
    /// Groups run on every line.
    groups: Vec<Group>,
}

impl Tier {
    fn build(
        rules: &[Rule],
        idx: &[usize],
        limits: Limits,
        kind: MatchKind,
        ids: &mut usize,
    ) -> Tier {
        let max_chars = idx
            .iter()
            .map(|&i| rules[i].when.max_chars)
            .try_fold(0, |acc, v| v.map(|v| acc.max(v)));
        let (literal, rest) = if idx.len() <= GROUP_SIZE {
            (Literal::default(), idx.to_vec())
        } else {
            Literal::build(rules, idx, limits, kind, ids)
        };
        Tier {
            max_chars,
            literal,
            groups: build_groups(rules, &rest, limits, kind, ids),
        }
    }

    /// Calls `f` with each group that may match `s`, in order.
    fn groups_for<'a>(
        &'a self,
        s: &str,
        scratch: &mut Scratch,
        f: &mut dyn FnMut(&'a Group, &mut Scratch) -> bool,
    ) -> bool {
        if self.literal.ac.is_some() {
            let stamp = scratch.next_stamp();
            let mut hit = std::mem::take(&mut scratch.slots);
            hit.clear();
            self.literal
                .candidates(s, &mut scratch.seen, stamp, &mut hit);
            for &g in &hit {
                if !f(&self.literal.groups[g as usize], scratch) {
                    scratch.slots = hit;
                    return false;
                }
            }
            scratch.slots = hit;
        }
        for g in &self.groups {
            if !f(g, scratch) {
                return false;
            }
        }
        true
    }
}

/// Splits regex rules into tiers by the longest line they accept, so a long paragraph is
/// scanned only by the rules that accept long lines.
fn tiers(
    rules: &[Rule],
    idx: &[usize],
    limits: Limits,
    kind: MatchKind,
    ids: &mut usize,
) -> Vec<Tier> {
    let mut by: [Vec<usize>; 3] = Default::default();
    for &i in idx {
        let b = match rules[i].when.max_chars {
            Some(m) if m <= 50 => 0,
            Some(_) => 1,
            None => 2,
        };
        by[b].push(i);
    }
    by.iter()
        .filter(|v| !v.is_empty())
        .map(|v| Tier::build(rules, v, limits, kind, ids))
        .collect()
}

/// All line rules.
#[derive(Debug)]
pub(crate) struct LineMatchers {
    tiers: Vec<Tier>,
    phrases: Option<AhoCorasick>,
    phrase_rules: Vec<(usize, PhraseMatch)>,
}

/// All span rules.
#[derive(Debug)]
pub(crate) struct SpanMatchers {
    tiers: Vec<Tier>,
    phrases: Option<AhoCorasick>,
    phrase_rules: Vec<usize>,
}

/// Compiled rules: line and span matchers, and the regexes of `meta` rules for captures.
#[derive(Debug)]
pub(crate) struct Matchers {
    pub line: LineMatchers,
    pub span: SpanMatchers,
    pub meta: Vec<Option<Regex>>,
    /// Every group of both kinds, by id: patterns, and whether a span group.
    shapes: Vec<(usize, bool)>,
}

fn config(limits: Limits, kind: MatchKind, cache: usize) -> meta::Config {
    meta::Config::new()
        .match_kind(kind)
        // Unicode-heavy patterns need room, or the lazy DFA gives up and the search falls
        // back to the (much slower) PikeVM.
        .hybrid_cache_capacity(cache)
        .nfa_size_limit(Some(limits.regex_size))
        .onepass_size_limit(Some(limits.regex_size))
        .dfa_size_limit(Some(limits.regex_size))
}

/// Room for a group's lazy DFA: its states grow with its patterns. Too little and the
/// cache is cleared and its states built again line after line (a group of 23 default
/// line rules needs about 8 MB on CJK page text: at 4 MB that rebuilding took half of the
/// cleaning time); the cache grows only as states are built, up to this.
fn cache_capacity(patterns: usize) -> usize {
    (patterns << 19).clamp(4 << 20, 16 << 20)
}

fn pattern(rule: &Rule) -> &str {
    match &rule.matcher {
        Matcher::Regex(p) => p,
        _ => unreachable!("only regex rules are compiled here"),
    }
}

/// Literals one of which every match of `pattern` contains, if there are few and none
/// is too short to filter with.
fn required_literals(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    let mut best: Option<Seq> = None;
    for prefix in [true, false] {
        let kind = if prefix {
            ExtractKind::Prefix
        } else {
            ExtractKind::Suffix
        };
        let mut seq = Extractor::new().kind(kind).extract(&hir);
        if prefix {
            seq.optimize_for_prefix_by_preference();
        } else {
            seq.optimize_for_suffix_by_preference();
        }
        let usable = seq.is_finite()
            && seq.len().is_some_and(|n| (1..=MAX_LITERALS).contains(&n))
            && seq.min_literal_len().is_some_and(|n| n >= 2);
        if usable
            && best.as_ref().is_none_or(|b| {
                seq.min_literal_len().unwrap_or(0) > b.min_literal_len().unwrap_or(0)
            })
        {
            best = Some(seq);
        }
    }
    let seq = best?;
    Some(
        seq.literals()?
            .iter()
            .map(|l| l.as_bytes().to_vec())
            .collect(),
    )
}

impl Literal {
    /// Splits `idx` into rules with required literals (grouped, in this set) and the rest.
    fn build(
        rules: &[Rule],
        idx: &[usize],
        limits: Limits,
        kind: MatchKind,
        ids: &mut usize,
    ) -> (Literal, Vec<usize>) {
        let mut with: Vec<(usize, Vec<Vec<u8>>)> = Vec::new();
        let mut rest = Vec::new();
        for &i in idx {
            match required_literals(pattern(&rules[i])) {
                Some(lits) => with.push((i, lits)),
                None => rest.push(i),
            }
        }
        let rule_ids: Vec<usize> = with.iter().map(|w| w.0).collect();
        let first = *ids;
        let groups = build_groups(rules, &rule_ids, limits, kind, ids);
        let mut lit = Literal::default();
        let mut pats: Vec<&[u8]> = Vec::new();
        for (g, group) in groups.iter().enumerate() {
            for r in &group.rules {
                let lits = &with[with.binary_search_by_key(r, |w| w.0).expect("grouped")].1;
                for l in lits {
                    pats.push(l);
                    lit.group_of.push(g as u32);
                }
            }
        }
        lit.groups = groups;
        if !pats.is_empty() {
            lit.ac = AhoCorasickBuilder::new()
                .match_kind(AcKind::Standard)
                .build(&pats)
                .ok();
            if lit.ac.is_none() {
                // Too big for the automaton: the groups run on every line instead.
                rest.extend(lit.groups.drain(..).flat_map(|g| g.rules));
                rest.sort_unstable();
                lit = Literal::default();
                *ids = first;
            }
        }
        (lit, rest)
    }

    /// Groups (indices into `groups`) with a literal in `s`, each once (`seen` marks
    /// them, by group id, with `stamp`).
    fn candidates(&self, s: &str, seen: &mut [u32], stamp: u32, out: &mut Vec<u32>) {
        let Some(ac) = &self.ac else {
            return;
        };
        for m in ac.find_overlapping_iter(s) {
            let g = self.group_of[m.pattern().as_usize()];
            let mark = &mut seen[self.groups[g as usize].id];
            if *mark != stamp {
                *mark = stamp;
                out.push(g);
            }
        }
        out.sort_unstable();
    }
}

/// Builds size-bounded multi-pattern automata for `idx`: groups of at most
/// [`GROUP_SIZE`] patterns, halved until each builds within the limits.
fn build_groups(
    rules: &[Rule],
    idx: &[usize],
    limits: Limits,
    kind: MatchKind,
    ids: &mut usize,
) -> Vec<Group> {
    let mut out = Vec::new();
    let mut stack: Vec<&[usize]> = idx.chunks(GROUP_SIZE).rev().collect();
    while let Some(chunk) = stack.pop() {
        let pats: Vec<&str> = chunk.iter().map(|&i| pattern(&rules[i])).collect();
        match meta::Builder::new()
            .configure(config(limits, kind, cache_capacity(pats.len())))
            .build_many(&pats)
        {
            Ok(regex) => {
                out.push(Group {
                    id: *ids,
                    regex,
                    rules: chunk.to_vec(),
                });
                *ids += 1;
            }
            Err(_) if chunk.len() > 1 => {
                let (a, b) = chunk.split_at(chunk.len() / 2);
                stack.push(b);
                stack.push(a);
            }
            // A pattern validated alone always builds alone; skip it if it does not.
            Err(_) => {}
        }
    }
    out
}

fn build_ac(pats: &[&str], kind: AcKind) -> Option<AhoCorasick> {
    if pats.is_empty() {
        return None;
    }
    AhoCorasickBuilder::new().match_kind(kind).build(pats).ok()
}

impl Matchers {
    pub fn new(ruleset: &Ruleset) -> Matchers {
        let limits = ruleset.limits();
        let rules = ruleset.rules();
        let (mut line_re, mut span_re) = (Vec::new(), Vec::new());
        let (mut lph, mut lph_rules) = (Vec::new(), Vec::new());
        let (mut sph, mut sph_rules) = (Vec::new(), Vec::new());
        let mut meta_res = Vec::with_capacity(rules.len());
        for (i, r) in rules.iter().enumerate() {
            meta_res.push(None);
            match (&r.matcher, r.action.is_span()) {
                (Matcher::Regex(p), false) => {
                    line_re.push(i);
                    if r.action == Action::Meta {
                        meta_res[i] = crate::rules::compile_regex(p, limits).ok();
                    }
                }
                (Matcher::Regex(_), true) => span_re.push(i),
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
        let mut ids = 0;
        let line_tiers = tiers(rules, &line_re, limits, MatchKind::All, &mut ids);
        let span_tiers = tiers(rules, &span_re, limits, MatchKind::LeftmostFirst, &mut ids);
        let mut shapes = vec![(0, false); ids];
        for (t, span) in line_tiers
            .iter()
            .map(|t| (t, false))
            .chain(span_tiers.iter().map(|t| (t, true)))
        {
            for g in t.literal.groups.iter().chain(&t.groups) {
                shapes[g.id] = (g.regex.pattern_len(), span);
            }
        }
        Matchers {
            line: LineMatchers {
                tiers: line_tiers,
                phrases: build_ac(&lph, AcKind::Standard),
                phrase_rules: lph_rules,
            },
            span: SpanMatchers {
                tiers: span_tiers,
                phrases: build_ac(&sph, AcKind::LeftmostLongest),
                phrase_rules: sph_rules,
            },
            meta: meta_res,
            shapes,
        }
    }
}

/// Reusable per-document scratch space, so the per-line hot path does not allocate.
pub(crate) struct Scratch {
    /// Per group id (line groups; empty sets for span groups).
    patsets: Vec<regex_automata::PatternSet>,
    pub candidates: Vec<usize>,
    pub hits: Vec<SpanHit>,
    slots: Vec<u32>,
    seen: Vec<u32>,
    stamp: u32,
    /// Per group id: captures of span groups, created when first needed.
    span_caps: Vec<Option<Captures>>,
    budget: Budget,
}

/// Bytes replacements may still insert in one document.
struct Budget {
    left: usize,
    limit: usize,
    /// The replace rule that ran out of budget.
    overflow: Option<usize>,
}

impl Budget {
    /// Takes `n` bytes; false (and `overflow` set) when they run out.
    fn spend(&mut self, n: usize, rule: usize) -> bool {
        match self.left.checked_sub(n) {
            Some(left) => {
                self.left = left;
                true
            }
            None => {
                self.overflow.get_or_insert(rule);
                false
            }
        }
    }
}

impl Scratch {
    /// Scratch space for a document of `text_len` bytes: replacements may insert up to
    /// twice that plus 1 MiB.
    pub fn new(m: &Matchers, text_len: usize) -> Scratch {
        let limit = text_len.saturating_mul(2).saturating_add(1 << 20);
        Scratch {
            patsets: m
                .shapes
                .iter()
                .map(|&(n, span)| regex_automata::PatternSet::new(if span { 0 } else { n }))
                .collect(),
            candidates: Vec::new(),
            hits: Vec::new(),
            slots: Vec::new(),
            seen: vec![0; m.shapes.len()],
            stamp: 0,
            span_caps: (0..m.shapes.len()).map(|_| None).collect(),
            budget: Budget {
                left: limit,
                limit,
                overflow: None,
            },
        }
    }

    /// The per-document bound on inserted bytes.
    pub fn budget_limit(&self) -> usize {
        self.budget.limit
    }

    /// The replace rule that ran out of budget, if one did.
    pub fn overflow(&self) -> Option<usize> {
        self.budget.overflow
    }

    fn next_stamp(&mut self) -> u32 {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.seen.fill(0);
            self.stamp = 1;
        }
        self.stamp
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
    /// then by rule order. `chars` is the line's length; rules for shorter lines are
    /// skipped.
    pub fn candidates(&self, rules: &[Rule], line: &str, chars: usize, scratch: &mut Scratch) {
        scratch.candidates.clear();
        for tier in &self.tiers {
            if tier.max_chars.is_some_and(|m| chars > m) {
                continue;
            }
            tier.groups_for(line, scratch, &mut |g, scratch| {
                let set = &mut scratch.patsets[g.id];
                set.clear();
                g.regex.which_overlapping_matches(&Input::new(line), set);
                for pid in set.iter() {
                    scratch.candidates.push(g.rules[pid.as_usize()]);
                }
                true
            });
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

/// Whether a span rule needs its captures: a group named `edit`, or a template with `$`.
fn needs_captures(rule: &Rule) -> bool {
    let p = pattern(rule);
    p.contains("?P<edit>")
        || p.contains("?<edit>")
        || rule.replace.as_deref().is_some_and(|t| t.contains('$'))
}

impl SpanMatchers {
    /// Fills `scratch.hits` with non-overlapping span edits in `s`: the leftmost match
    /// wins, then the longer, then the earlier rule. `allowed(rule)` filters rules
    /// (scope, conditions).
    pub fn find(
        &self,
        rules: &[Rule],
        s: &str,
        scratch: &mut Scratch,
        allowed: &mut dyn FnMut(usize) -> bool,
    ) {
        scratch.hits.clear();
        let chars = s.chars().count();
        for tier in &self.tiers {
            if tier.max_chars.is_some_and(|m| chars > m) {
                continue;
            }
            let ok = tier.groups_for(s, scratch, &mut |g, scratch| {
                for m in g.regex.find_iter(s) {
                    let rule = g.rules[m.pattern().as_usize()];
                    if !allowed(rule) {
                        continue;
                    }
                    let caps = needs_captures(&rules[rule]).then(|| {
                        &mut *scratch.span_caps[g.id]
                            .get_or_insert_with(|| g.regex.create_captures())
                    });
                    if !hit(
                        rules,
                        s,
                        &g.regex,
                        m,
                        rule,
                        caps,
                        &mut scratch.hits,
                        &mut scratch.budget,
                    ) {
                        return false;
                    }
                }
                true
            });
            if !ok {
                scratch.hits.clear();
                return;
            }
        }
        if let Some(ac) = &self.phrases {
            for m in ac.find_iter(s) {
                let rule = self.phrase_rules[m.pattern().as_usize()];
                if !allowed(rule) {
                    continue;
                }
                let replacement = rules[rule].replace.clone();
                if let Some(t) = &replacement {
                    if !scratch.budget.spend(t.len(), rule) {
                        scratch.hits.clear();
                        return;
                    }
                }
                scratch.hits.push(SpanHit {
                    start: m.start(),
                    end: m.end(),
                    rule,
                    replacement,
                });
            }
        }
        // `min_matches`: a rule that matched fewer times in this string does not act here.
        if scratch
            .hits
            .iter()
            .any(|h| rules[h.rule].when.min_matches.is_some())
        {
            let mut counts: std::collections::HashMap<usize, usize> = Default::default();
            for h in &scratch.hits {
                *counts.entry(h.rule).or_default() += 1;
            }
            scratch.hits.retain(|h| {
                rules[h.rule]
                    .when
                    .min_matches
                    .is_none_or(|n| counts[&h.rule] >= n)
            });
        }
        // Several sources: order, and drop overlaps (leftmost, then longer, then earlier rule).
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

/// Records the span hit of match `m` of `rule`, with its `edit` group and replacement
/// (`caps` when the rule needs captures). False when the replacement budget ran out.
#[allow(clippy::too_many_arguments)]
fn hit(
    rules: &[Rule],
    s: &str,
    re: &Regex,
    m: regex_automata::Match,
    rule: usize,
    caps: Option<&mut Captures>,
    hits: &mut Vec<SpanHit>,
    budget: &mut Budget,
) -> bool {
    if m.is_empty() {
        return true;
    }
    let (mut start, mut end) = (m.start(), m.end());
    let mut replacement = rules[rule].replace.clone();
    if let Some(t) = &replacement {
        // A template can repeat a group: bound what one match may insert.
        let most = t.len() + t.matches('$').count() * (m.end() - m.start());
        if !budget.spend(most, rule) {
            return false;
        }
    }
    if let Some(caps) = caps {
        let input = Input::new(s)
            .range(m.start()..)
            .anchored(Anchored::Pattern(m.pattern()));
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
        hits.push(SpanHit {
            start,
            end,
            rule,
            replacement,
        });
    }
    true
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
