//! User rule files with documents: any rule set that `rules check` accepts must compile
//! and clean any document (text or HTML, up to the fuzzer's input size) without a panic;
//! a document either fails cleanly (a bounded replacement) or its edits replay to its
//! body; each fuzzed rule's examples run as `rules test` runs them.
//!
//! The rules are built from the input (actions, conditions, regexes assembled from
//! fragments that reach the hard cases: huge repetitions, `edit` groups, anchors,
//! templates naming missing groups), written as TOML and parsed like a user's file.
#![no_main]

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use rinse::input::{decode, DecodeOptions};
use rinse::rules::{Limits, RuleSource, Ruleset};
use rinse::Cleaner;

const ACTIONS: [&str; 7] = [
    "drop-line",
    "drop-span",
    "replace",
    "drop-rest",
    "drop-head",
    "drop-block",
    "meta",
];

const FRAGMENTS: [&str; 40] = [
    "^", "$", ".", ".*", ".+?", "\\w{200}", "(?P<edit>", "(?P<title>", "(?:", "(", ")", "|",
    "+", "*", "?", "{2,5}", "{0,40}", "\\d+", "\\s*", "\\p{Han}", "[^。！？]", "[:：]",
    "(?i)", "(?m)", "a", "相关", "阅读", "声明", "：", "。", "\n", "\\b", "[a-z]",
    "(?:https?:)?//\\S+", "1[3-9]\\d{9}", "\\pL{1,500}", "[\\u{0}-\\u{10FFFF}]", "x{1000}",
    "(?P<edit>.)", "(?s).",
];

const TEMPLATES: [&str; 8] = ["", "$1", "${edit}", "$9", "${nope}", "$$", "—", "$0$0$0$0"];

#[derive(Arbitrary, Debug)]
struct Spec {
    action: u8,
    regex: Vec<u8>,
    phrases: Option<Vec<String>>,
    phrase_match: u8,
    template: u8,
    head: Option<u8>,
    tail: Option<u8>,
    max_chars: Option<u16>,
    min_chars: Option<u8>,
    after_image: bool,
    no_sentence_punct: bool,
    repeats_next: bool,
    block_max_chars: Option<u16>,
    example: String,
}

#[derive(Arbitrary, Debug)]
struct Input {
    rules: Vec<Spec>,
    defaults: bool,
    disable: Vec<u8>,
    html: bool,
    /// 0: as is; 1: repeated; 2: wrapped in nested markup; 3: one word per line.
    shape: u8,
    times: u16,
    text: String,
}

fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn rule_toml(i: usize, s: &Spec) -> String {
    let action = ACTIONS[usize::from(s.action) % ACTIONS.len()];
    let mut t = format!(
        "[[rule]]\nid = \"fuzz.r{i}\"\ncategory = \"{}\"\ndescription = \"fuzzed\"\naction = \"{action}\"\n",
        if s.action & 0x80 != 0 { "image" } else { "fuzz" }
    );
    match &s.phrases {
        Some(p) if !p.is_empty() => {
            let list: Vec<String> = p.iter().take(8).map(|x| quoted(x)).collect();
            t += &format!("phrases = [{}]\n", list.join(", "));
            let m = ["contains", "line", "start"][usize::from(s.phrase_match) % 3];
            t += &format!("phrase_match = \"{m}\"\n");
        }
        _ => {
            let re: String = s
                .regex
                .iter()
                .take(24)
                .map(|&b| FRAGMENTS[usize::from(b) % FRAGMENTS.len()])
                .collect();
            t += &format!("regex = {}\n", quoted(&re));
        }
    }
    if action == "replace" {
        let tpl = TEMPLATES[usize::from(s.template) % TEMPLATES.len()];
        t += &format!("replace = {}\n", quoted(&tpl.repeat(1 + usize::from(s.template) / 8)));
    }
    if let Some(b) = s.block_max_chars {
        t += &format!("block_max_chars = {}\n", b.max(1));
    }
    let mut when = Vec::new();
    if let Some(h) = s.head {
        when.push(format!("head = {}", f64::from(h) / 255.0));
    }
    if let Some(h) = s.tail {
        when.push(format!("tail = {}", f64::from(h) / 255.0));
    }
    if let Some(m) = s.max_chars {
        when.push(format!("max_chars = {m}"));
    }
    if let Some(m) = s.min_chars {
        when.push(format!("min_chars = {m}"));
    }
    for (on, name) in [
        (s.after_image, "after_image"),
        (s.no_sentence_punct, "no_sentence_punct"),
        (s.repeats_next, "repeats_next"),
    ] {
        if on {
            when.push(format!("{name} = true"));
        }
    }
    if !when.is_empty() {
        t += &format!("when = {{ {} }}\n", when.join(", "));
    }
    if !s.example.is_empty() {
        t += &format!("examples.hit = [{}]\n", quoted(&s.example));
    }
    t
}

fn document(input: &Input) -> String {
    let times = usize::from(input.times % 2048) + 1;
    let text = &input.text;
    match input.shape % 4 {
        1 => text.repeat(times.min((1 << 20) / text.len().max(1))),
        2 => format!("<body>{}{text}", "<div>".repeat(times * 64)),
        3 => text.split_whitespace().collect::<Vec<_>>().join("\n"),
        _ => text.clone(),
    }
}

fuzz_target!(|input: Input| {
    let mut file = String::new();
    if !input.disable.is_empty() {
        let defaults = Ruleset::defaults();
        let ids: Vec<String> = input
            .disable
            .iter()
            .take(16)
            .map(|&b| quoted(&defaults.rules()[usize::from(b) % defaults.rules().len()].id))
            .collect();
        file += &format!("disable = [{}]\n", ids.join(", "));
    }
    for (i, spec) in input.rules.iter().take(6).enumerate() {
        file += &rule_toml(i, spec);
    }
    let mut sources = if input.defaults {
        RuleSource::defaults()
    } else {
        Vec::new()
    };
    sources.push(RuleSource {
        name: "fuzz.toml".into(),
        relative: "fuzz.toml".into(),
        text: file,
        default: false,
    });
    // What `rules check` rejects is not cleaned.
    let Ok(ruleset) = Ruleset::from_sources(&sources, Limits::default()) else {
        return;
    };
    let cleaner = Cleaner::new(ruleset);
    let text = document(&input);
    let name = if input.html { "page.html" } else { "page.txt" };
    let Ok(doc) = decode(text.as_bytes(), name, &DecodeOptions::default()) else {
        return;
    };
    if let Ok(cleaned) = cleaner.clean_traced(&doc) {
        let replayed = rinse::engine::replay(&doc.text, &cleaned.edits).expect("edits replay");
        assert_eq!(replayed, cleaned.body);
    }
    // The fuzzed rules' own examples, as `rules test` runs them (the defaults' examples
    // are the test suite's job).
    let mut failures = Vec::new();
    for rule in cleaner.ruleset().rules().iter().filter(|r| r.id.starts_with("fuzz.")) {
        rinse::rules::examples::run_rule(&cleaner, rule, &mut failures);
    }
});
