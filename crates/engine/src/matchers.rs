//! Compiles a [`Ruleset`] into matchers whose cost per line does not grow with the
//! number of rules, and which compile a rule's regex only when a line first needs it.
//!
//! Line rules: most patterns require a literal: every match starts (or ends) with one of
//! a few strings (`相关文章`, `责任编辑`, `http`). The literals of every line rule go into
//! one Aho-Corasick automaton; a line is scanned once by it, and a rule's own regex runs
//! only on lines where one of its literals occurs. The few patterns without such a literal
//! (`^\d+$`, `.`) run on every line they may accept. Each rule has its own regex, built on
//! first use ([`LazyRegex`]): a run that never needs a rule never compiles it, and one
//! small automaton per rule keeps the lazy DFA in its cache (one automaton of 23 rules
//! gave up on CJK text and fell back to the PikeVM, most of the cleaning time).
//!
//! Span rules keep multi-pattern automata of at most [`GROUP_SIZE`] patterns (their
//! leftmost-first order across a group's patterns decides overlapping edits), each built
//! on first use and split further if it would exceed the size limit, so no combination of
//! rules that `rules check` accepts fails to compile. Phrase lists go into one
//! Aho-Corasick automaton per kind.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind as AcKind};
use regex_automata::meta::{self, Regex};
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input, MatchKind, PatternID};
use std::sync::OnceLock;

use crate::rules::{Action, Limits, Matcher, PhraseMatch, Rule, Ruleset};

/// Most patterns one multi-pattern automaton holds.
const GROUP_SIZE: usize = 64;

/// A span edit found inside one string (offsets relative to that string).
#[derive(Debug, Clone)]
pub(crate) struct SpanHit {
    pub start: usize,
    pub end: usize,
    pub rule: usize,
    pub replacement: Option<String>,
}

/// A regex compiled on first use. `None` once built means it did not build (a pattern
/// validated alone always builds alone, so this does not happen with checked rules); such
/// a rule never matches, as before when a group skipped a pattern that would not build.
#[derive(Debug)]
pub(crate) struct LazyRegex {
    pattern: String,
    config: meta::Config,
    cell: OnceLock<Option<Regex>>,
}

impl LazyRegex {
    fn new(pattern: &str, config: meta::Config) -> LazyRegex {
        LazyRegex {
            pattern: pattern.to_string(),
            config,
            cell: OnceLock::new(),
        }
    }

    /// The compiled regex, built now if this is its first use.
    pub fn get(&self) -> Option<&Regex> {
        self.cell
            .get_or_init(|| {
                meta::Builder::new()
                    .configure(self.config.clone())
                    .build(&self.pattern)
                    .ok()
            })
            .as_ref()
    }
}

/// Span rules of one kind whose patterns require a literal. One automaton of all their
/// literals finds which groups of rules may match a line; only those groups run.
#[derive(Debug, Default)]
struct Literal {
    ac: Option<AhoCorasick>,
    /// Per literal of the automaton: the group of its rule.
    group_of: Vec<u32>,
    groups: Vec<Group>,
}

/// Span rules in one multi-pattern automaton of at most [`GROUP_SIZE`] patterns, built on
/// first use.
#[derive(Debug)]
struct Group {
    /// Index among all groups of the matchers (for per-group scratch space).
    id: usize,
    rules: Vec<usize>,
    patterns: Vec<String>,
    /// The required literals of all its patterns, when each has some: a string without
    /// any of them cannot match, so the group is not run on it.
    gate: Option<AhoCorasick>,
    config: meta::Config,
    built: OnceLock<Vec<Built>>,
}

/// A built automaton of a [`Group`]: all its patterns, or a part of them when the whole
/// would exceed the size limit.
#[derive(Debug)]
struct Built {
    regex: Regex,
    /// The rule of each pattern.
    rules: Vec<usize>,
}

impl Group {
    fn new(rules: &[Rule], idx: &[usize], config: meta::Config, ids: &mut usize) -> Group {
        let id = *ids;
        *ids += 1;
        let patterns: Vec<String> = idx
            .iter()
            .map(|&i| pattern(&rules[i]).to_string())
            .collect();
        let gate = patterns
            .iter()
            .map(|p| crate::literals::required(p))
            .collect::<Option<Vec<_>>>()
            .and_then(|sets| AhoCorasickBuilder::new().build(sets.iter().flatten()).ok());
        Group {
            id,
            rules: idx.to_vec(),
            patterns,
            gate,
            config,
            built: OnceLock::new(),
        }
    }

    /// The automata, built now if this is the first use: the whole group, halved until
    /// each part builds within the limits.
    fn built(&self) -> &[Built] {
        self.built.get_or_init(|| {
            let mut out = Vec::new();
            let all: Vec<usize> = (0..self.rules.len()).collect();
            let mut stack: Vec<&[usize]> = vec![&all];
            while let Some(part) = stack.pop() {
                let pats: Vec<&str> = part.iter().map(|&k| self.patterns[k].as_str()).collect();
                match meta::Builder::new()
                    .configure(self.config.clone())
                    .build_many(&pats)
                {
                    Ok(regex) => out.push(Built {
                        regex,
                        rules: part.iter().map(|&k| self.rules[k]).collect(),
                    }),
                    Err(_) if part.len() > 1 => {
                        let (a, b) = part.split_at(part.len() / 2);
                        stack.push(b);
                        stack.push(a);
                    }
                    // A pattern validated alone always builds alone; skip it if it does not.
                    Err(_) => {}
                }
            }
            out
        })
    }
}

/// Span rules of one kind that accept lines up to one length bound. A small tier is run
/// on every line; a large one gates its groups by literals, so a line runs only the
/// groups that may match it.
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
        let (literal, rest) = if idx.len() <= GROUP_SIZE {
            (Literal::default(), idx.to_vec())
        } else {
            Literal::build(rules, idx, limits, kind, ids)
        };
        Tier {
            max_chars: tier_max(rules, idx),
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
            if g.gate.as_ref().is_some_and(|ac| !ac.is_match(s)) {
                continue;
            }
            if !f(g, scratch) {
                return false;
            }
        }
        true
    }
}

/// Longest line any of `idx` accepts (`None`: unbounded).
fn tier_max(rules: &[Rule], idx: &[usize]) -> Option<usize> {
    idx.iter()
        .map(|&i| rules[i].when.max_chars)
        .try_fold(0, |acc, v| v.map(|v| acc.max(v)))
}

/// Splits regex rules by the longest line they accept (up to 50 characters, longer,
/// unbounded), so a long paragraph is scanned only by the rules that accept long lines.
fn length_classes(rules: &[Rule], idx: &[usize]) -> [Vec<usize>; 3] {
    let mut by: [Vec<usize>; 3] = Default::default();
    for &i in idx {
        let b = match rules[i].when.max_chars {
            Some(m) if m <= 50 => 0,
            Some(_) => 1,
            None => 2,
        };
        by[b].push(i);
    }
    by
}

/// Span rules in tiers by the longest line they accept.
fn tiers(
    rules: &[Rule],
    idx: &[usize],
    limits: Limits,
    kind: MatchKind,
    ids: &mut usize,
) -> Vec<Tier> {
    length_classes(rules, idx)
        .iter()
        .filter(|v| !v.is_empty())
        .map(|v| Tier::build(rules, v, limits, kind, ids))
        .collect()
}

/// One regex line rule.
#[derive(Debug)]
struct LineRule {
    rule: usize,
    /// Lines longer than this (characters) are not tried: the longest line any rule of its
    /// length class accepts. (The class bound, not the rule's own, so that a rule that
    /// matched a line too long for it still shows as a near miss.)
    max_chars: Option<usize>,
    regex: LazyRegex,
}

/// All line rules.
#[derive(Debug)]
pub(crate) struct LineMatchers {
    rules: Vec<LineRule>,
    /// The required literals of the rules that have them.
    literals: Option<AhoCorasick>,
    /// Per literal: its rule (index into `rules`).
    owner: Vec<u32>,
    /// Rules without a usable literal, tried on every line (indices into `rules`).
    always: Vec<u32>,
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
    pub meta: Vec<Option<LazyRegex>>,
    /// Number of span groups.
    groups: usize,
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
/// line rules needed about 8 MB on CJK page text: at 4 MB that rebuilding took half of the
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
            match crate::literals::required(pattern(&rules[i])) {
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

/// Groups of at most [`GROUP_SIZE`] patterns for `idx`, each built on first use.
fn build_groups(
    rules: &[Rule],
    idx: &[usize],
    limits: Limits,
    kind: MatchKind,
    ids: &mut usize,
) -> Vec<Group> {
    idx.chunks(GROUP_SIZE)
        .map(|chunk| {
            let cfg = config(limits, kind, cache_capacity(chunk.len()));
            Group::new(rules, chunk, cfg, ids)
        })
        .collect()
}

fn build_ac(pats: &[&str], kind: AcKind) -> Option<AhoCorasick> {
    if pats.is_empty() {
        return None;
    }
    AhoCorasickBuilder::new().match_kind(kind).build(pats).ok()
}

impl LineMatchers {
    /// Line rules `idx`: each with its own lazily built regex, found through its literals
    /// when it has some.
    fn build(
        rules: &[Rule],
        idx: &[usize],
        limits: Limits,
    ) -> (Vec<LineRule>, Option<AhoCorasick>, Vec<u32>, Vec<u32>) {
        let mut line = Vec::with_capacity(idx.len());
        for class in length_classes(rules, idx) {
            let max_chars = tier_max(rules, &class);
            for i in class {
                line.push(LineRule {
                    rule: i,
                    max_chars,
                    // Only whether it matches is asked: no capture states to build.
                    regex: LazyRegex::new(
                        pattern(&rules[i]),
                        config(limits, MatchKind::LeftmostFirst, cache_capacity(1))
                            .which_captures(WhichCaptures::Implicit),
                    ),
                });
            }
        }
        // Rule order, so that `always` is tried in rule order (the result is sorted
        // anyway; this keeps the work order stable).
        line.sort_by_key(|l| l.rule);
        let mut pats: Vec<Vec<u8>> = Vec::new();
        let mut owner = Vec::new();
        let mut always = Vec::new();
        for (k, l) in line.iter().enumerate() {
            match crate::literals::required(pattern(&rules[l.rule])) {
                Some(lits) => {
                    owner.extend(std::iter::repeat_n(k as u32, lits.len()));
                    pats.extend(lits);
                }
                None => always.push(k as u32),
            }
        }
        let ac = if pats.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .match_kind(AcKind::Standard)
                .build(&pats)
                .ok()
        };
        if ac.is_none() {
            // No literals, or too many for one automaton: every rule runs on every line.
            owner.clear();
            always = (0..line.len() as u32).collect();
        }
        (line, ac, owner, always)
    }
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
                        meta_res[i] = Some(LazyRegex::new(p, crate::rules::regex_config(limits)));
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
        let mut groups = 0;
        let span_tiers = tiers(
            rules,
            &span_re,
            limits,
            MatchKind::LeftmostFirst,
            &mut groups,
        );
        let (line_rules, literals, owner, always) = LineMatchers::build(rules, &line_re, limits);
        Matchers {
            line: LineMatchers {
                rules: line_rules,
                literals,
                owner,
                always,
                phrases: build_ac(&lph, AcKind::Standard),
                phrase_rules: lph_rules,
            },
            span: SpanMatchers {
                tiers: span_tiers,
                phrases: build_ac(&sph, AcKind::LeftmostLongest),
                phrase_rules: sph_rules,
            },
            meta: meta_res,
            groups,
        }
    }
}

/// Reusable per-document scratch space, so the per-line hot path does not allocate.
pub(crate) struct Scratch {
    pub candidates: Vec<usize>,
    pub hits: Vec<SpanHit>,
    slots: Vec<u32>,
    /// Per span group: the stamp of the line it was last found for.
    seen: Vec<u32>,
    /// Per line rule: the stamp of the line it was last tried on.
    tried: Vec<u32>,
    stamp: u32,
    /// Per span group, per built part: captures, created when first needed.
    span_caps: Vec<Vec<Option<Captures>>>,
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
            candidates: Vec::new(),
            hits: Vec::new(),
            slots: Vec::new(),
            seen: vec![0; m.groups],
            tried: vec![0; m.line.rules.len()],
            stamp: 0,
            span_caps: (0..m.groups).map(|_| Vec::new()).collect(),
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
            self.tried.fill(0);
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
        let fits = |l: &LineRule| l.max_chars.is_none_or(|m| chars <= m);
        let matches = |l: &LineRule| l.regex.get().is_some_and(|re| re.is_match(line));
        if let Some(ac) = &self.literals {
            let stamp = scratch.next_stamp();
            for m in ac.find_overlapping_iter(line) {
                let k = self.owner[m.pattern().as_usize()] as usize;
                if scratch.tried[k] == stamp {
                    continue;
                }
                scratch.tried[k] = stamp;
                let l = &self.rules[k];
                if fits(l) && matches(l) {
                    scratch.candidates.push(l.rule);
                }
            }
        }
        for &k in &self.always {
            let l = &self.rules[k as usize];
            if fits(l) && matches(l) {
                scratch.candidates.push(l.rule);
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
                for (part, b) in g.built().iter().enumerate() {
                    for m in b.regex.find_iter(s) {
                        let rule = b.rules[m.pattern().as_usize()];
                        if !allowed(rule) {
                            continue;
                        }
                        let caps = needs_captures(&rules[rule]).then(|| {
                            let caps = &mut scratch.span_caps[g.id];
                            if caps.len() <= part {
                                caps.resize_with(part + 1, || None);
                            }
                            &mut *caps[part].get_or_insert_with(|| b.regex.create_captures())
                        });
                        if !hit(
                            rules,
                            s,
                            &b.regex,
                            m,
                            rule,
                            caps,
                            &mut scratch.hits,
                            &mut scratch.budget,
                        ) {
                            return false;
                        }
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
