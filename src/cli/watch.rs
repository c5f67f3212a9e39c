//! `rinse watch`: re-check the rules and re-clean a folder in memory on every rule edit,
//! printing which documents changed relative to the previous run.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Duration;

use clap::Args;
use notify::{RecursiveMode, Watcher};
use rinse::batch::{self, Options, Output};
use rinse::engine::Cleaned;
use rinse::review::is_whitespace_edit;
use rinse::rules::{Limits, Ruleset};
use rinse::{Cleaner, Edit};
use similar::{ChangeTag, TextDiff};

use super::common::RuleArgs;
use super::inputs::ReadArgs;
use super::term::ColorChoice;

/// Arguments of `rinse watch`.
#[derive(Args)]
pub struct WatchArgs {
    /// Documents to re-clean in memory (files, folders, record streams, like `clean`
    /// reads them); nothing is written.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Which rules to load; every `--rules` folder is watched.
    #[command(flatten)]
    pub rules: RuleArgs,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Quiet period after a change before reloading, in milliseconds (editors save in bursts).
    #[arg(long, value_name = "MS", default_value_t = 300)]
    pub debounce: u64,
    /// Most diff lines shown per changed document.
    #[arg(long, value_name = "N", default_value_t = 12)]
    pub max_diff_lines: usize,
    /// Check and clean once, print the result, and exit (no watching).
    #[arg(long)]
    pub once: bool,
    /// Colour rule diagnostics: auto (a terminal without NO_COLOR), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

/// Which rules removed or changed each raw line of one document: line number to rule
/// ids (in edit order, joined by `, `), for the lines a rule touched (white space aside).
type Attribution = BTreeMap<usize, String>;

/// The state carried from one run to the next: the last good rules, and the bodies and
/// attributions they gave.
pub struct Session {
    opts: Options,
    max_diff_lines: usize,
    last_good: Option<Ruleset>,
    bodies: BTreeMap<String, String>,
    attributions: BTreeMap<String, Attribution>,
}

/// What one reload did.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The rules had problems; the last good rules (if any) were kept.
    Broken,
    /// The rules loaded; this many documents changed.
    Reloaded {
        /// Documents whose body differs from the previous run (or that appeared/vanished).
        changed: usize,
        /// Documents where a line is now removed or changed by another rule than before.
        reattributed: usize,
        /// Documents cleaned.
        total: usize,
    },
}

impl Session {
    /// A session over what `opts` reads, with no run yet.
    pub fn new(mut opts: Options, max_diff_lines: usize) -> Session {
        opts.output = Output::Memory;
        Session {
            opts,
            max_diff_lines,
            last_good: None,
            bodies: BTreeMap::new(),
            attributions: BTreeMap::new(),
        }
    }

    /// The fingerprint of the rules in use, if any loaded yet.
    #[cfg(test)]
    pub fn fingerprint(&self) -> Option<&str> {
        self.last_good.as_ref().map(|r| r.fingerprint())
    }

    /// The current body of each document, by path relative to the input.
    pub fn bodies(&self) -> &BTreeMap<String, String> {
        &self.bodies
    }

    /// Reloads the rules with `load` and, when they are good, re-cleans the input in
    /// memory. Everything to show the user is written to `out`.
    pub fn step(
        &mut self,
        load: impl FnOnce() -> Result<Ruleset, String>,
        out: &mut String,
    ) -> Outcome {
        let rs = match load() {
            Ok(rs) => rs,
            Err(diags) => {
                out.push_str(&diags);
                out.push('\n');
                out.push_str(match self.last_good {
                    Some(_) => "rules have problems: keeping the last good rules\n",
                    None => "rules have problems: fix them to start cleaning\n",
                });
                return Outcome::Broken;
            }
        };
        let cleaner = Cleaner::new(rs.clone());
        let mut bodies = BTreeMap::new();
        let mut failures = Vec::new();
        let mut attributions = BTreeMap::new();
        let run = batch::run(&cleaner, &self.opts, &mut |f| {
            if let Some(Cleaned { body, edits, .. }) = f.processed.as_deref().map(|p| &p.cleaned) {
                bodies.insert(f.path.clone(), body.clone());
                attributions.insert(f.path.clone(), attribution(edits));
            }
            if let batch::Outcome::Failed(why) = &f.outcome {
                failures.push(format!("FAILED {}: {why}\n", f.path));
            }
        });
        if let Err(e) = run {
            out.push_str(&format!("error: {e}\n"));
            return Outcome::Broken;
        }
        let first = self.last_good.is_none();
        let (mut changed, mut reattributed) = (0, 0);
        if !first {
            let names: std::collections::BTreeSet<&String> =
                self.bodies.keys().chain(bodies.keys()).collect();
            for name in names {
                let old = self.bodies.get(name).map_or("", String::as_str);
                let new = bodies.get(name).map_or("", String::as_str);
                if old != new {
                    changed += 1;
                    out.push_str(&describe_change(name, old, new, self.max_diff_lines));
                }
                if let (Some(a), Some(b)) = (self.attributions.get(name), attributions.get(name)) {
                    let moved = describe_reattribution(name, a, b);
                    if !moved.is_empty() {
                        reattributed += 1;
                        out.push_str(&moved);
                    }
                }
            }
        }
        let total = bodies.len();
        if first {
            out.push_str(&format!(
                "rules ok (fingerprint {}): cleaned {total} documents\n",
                rs.fingerprint()
            ));
        } else {
            out.push_str(&format!(
                "rules ok (fingerprint {}): {changed} of {total} documents changed, \
                 {reattributed} re-attributed\n",
                rs.fingerprint()
            ));
        }
        for f in failures {
            out.push_str(&f);
        }
        self.bodies = bodies;
        self.attributions = attributions;
        self.last_good = Some(rs);
        Outcome::Reloaded {
            changed,
            reattributed,
            total,
        }
    }
}

/// Which rules touched each raw line (white-space normalisation aside).
pub fn attribution(edits: &[Edit]) -> Attribution {
    let mut out: Attribution = BTreeMap::new();
    for e in edits.iter().filter(|e| !is_whitespace_edit(e)) {
        let span = e
            .removed
            .trim_end_matches(['\n', '\r'])
            .matches('\n')
            .count();
        for line in e.line..=e.line + span {
            let rules = out.entry(line).or_default();
            if !rules.split(", ").any(|r| r == e.rule) {
                if !rules.is_empty() {
                    rules.push_str(", ");
                }
                rules.push_str(&e.rule);
            }
        }
    }
    out
}

/// Lines as ranges: `3-5, 9`.
fn ranges(lines: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let mut j = i;
        while j + 1 < lines.len() && lines[j + 1] == lines[j] + 1 {
            j += 1;
        }
        parts.push(if j > i {
            format!("{}-{}", lines[i], lines[j])
        } else {
            lines[i].to_string()
        });
        i = j + 1;
    }
    parts.join(", ")
}

/// The raw lines that a rule touched before and after and where the rule differs:
/// `↻ name: lines 3-5 now by B (was A)`, one line per (before, after) pair. Empty when
/// nothing moved. Lines removed or kept only in one run show in the body diff instead.
pub fn describe_reattribution(name: &str, old: &Attribution, new: &Attribution) -> String {
    let mut moved: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (line, before) in old {
        if let Some(after) = new.get(line).filter(|a| *a != before) {
            moved.entry((before, after)).or_default().push(*line);
        }
    }
    let mut s = String::new();
    for ((before, after), lines) in moved {
        s.push_str(&format!(
            "↻ {name}: line{} {} now by {after} (was {before})\n",
            if lines.len() == 1 { "" } else { "s" },
            ranges(&lines)
        ));
    }
    s
}

/// A short line diff of one document's body: `~ name: -R +A lines` and the changed lines.
pub fn describe_change(name: &str, old: &str, new: &str, max_lines: usize) -> String {
    let diff = TextDiff::from_lines(old, new);
    let mut removed = 0;
    let mut added = 0;
    let mut lines = Vec::new();
    for c in diff.iter_all_changes() {
        let sign = match c.tag() {
            ChangeTag::Equal => continue,
            ChangeTag::Delete => {
                removed += 1;
                '-'
            }
            ChangeTag::Insert => {
                added += 1;
                '+'
            }
        };
        lines.push(format!("    {sign} {}", c.value().trim_end_matches('\n')));
    }
    let mut s = format!("~ {name}: -{removed} +{added} lines\n");
    let extra = lines.len().saturating_sub(max_lines);
    for l in lines.into_iter().take(max_lines) {
        s.push_str(&l);
        s.push('\n');
    }
    if extra > 0 {
        s.push_str(&format!("    ... {extra} more changed lines\n"));
    }
    s
}

fn load(a: &RuleArgs, color: bool) -> Result<Ruleset, String> {
    let sources = super::common::sources(a)?;
    Ruleset::from_sources(
        &sources,
        Limits {
            regex_size: a.regex_size_limit,
        },
    )
    .map_err(|d| d.render(color))
}

/// Whether a file-system event is a write to a rule file or to a watched folder itself
/// (created again, renamed). Editors save by writing a temporary file and renaming it
/// over the original, so renames count. Reads do not: loading the rules opens the folder
/// and its files, and counting those events made every reload trigger the next one.
fn relevant(ev: &notify::Event, roots: &[PathBuf]) -> bool {
    use notify::event::{EventKind, ModifyKind};
    let write = matches!(
        ev.kind,
        EventKind::Create(_)
            | EventKind::Remove(_)
            | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any)
    );
    write
        && ev
            .paths
            .iter()
            .any(|p| p.extension().is_some_and(|x| x == "toml") || roots.contains(p))
}

/// A digest of the rule files' contents: a burst of events that leaves them as they were
/// (a save without a change, `touch`) reloads nothing.
fn rules_digest(a: &RuleArgs) -> Option<blake3::Hash> {
    let sources = super::common::sources(a).ok()?;
    let mut h = blake3::Hasher::new();
    for s in &sources {
        h.update(s.name.as_bytes());
        h.update(&[0]);
        h.update(s.text.as_bytes());
        h.update(&[0]);
    }
    Some(h.finalize())
}

/// Blocks until a change arrives, then until no further change arrives for `quiet` (one
/// save is often several events: write a temporary file, rename it, touch metadata).
/// Returns false when the watcher is gone.
fn wait_for_burst(rx: &mpsc::Receiver<()>, quiet: Duration) -> bool {
    if rx.recv().is_err() {
        return false;
    }
    loop {
        match rx.recv_timeout(quiet) {
            Ok(()) => continue,
            Err(mpsc::RecvTimeoutError::Timeout) => return true,
            // The watcher stopped mid-burst: still reload once for what arrived.
            Err(mpsc::RecvTimeoutError::Disconnected) => return true,
        }
    }
}

/// What to watch for each `--rules` path: a folder recursively, a file through its
/// folder (editors save by renaming a new file over the old one, which a watch on the
/// file itself would lose).
fn watch_targets(paths: &[PathBuf]) -> Result<Vec<(PathBuf, RecursiveMode)>, String> {
    if paths.is_empty() {
        return Err(
            "error: `rinse watch` needs rules to watch: --rules FILE.toml or --rules DIR".into(),
        );
    }
    paths
        .iter()
        .map(|p| {
            if p.is_dir() {
                Ok((p.clone(), RecursiveMode::Recursive))
            } else if p.is_file() {
                let dir = p
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(std::path::Path::new("."));
                Ok((dir.to_path_buf(), RecursiveMode::NonRecursive))
            } else {
                Err(format!(
                    "error: rules {}: no such file or folder",
                    p.display()
                ))
            }
        })
        .collect()
}

/// Runs `rinse watch`: a first run, then one run per burst of rule edits.
pub fn run(a: WatchArgs) -> Result<ExitCode, String> {
    // Diagnostics are printed on standard output, between the reports.
    let color = a.color.enabled();
    let opts = a.read.options(a.inputs.clone(), Output::Memory)?;
    let mut session = Session::new(opts, a.max_diff_lines);
    let mut out = String::new();
    let mut digest = rules_digest(&a.rules);
    let first = session.step(|| load(&a.rules, color), &mut out);
    print!("{out}");
    if a.once {
        return Ok(match first {
            Outcome::Broken => ExitCode::from(1),
            Outcome::Reloaded { .. } => ExitCode::SUCCESS,
        });
    }
    let targets: Vec<(PathBuf, RecursiveMode)> = watch_targets(&a.rules.rules)?
        .into_iter()
        .map(|(d, m)| (d.canonicalize().unwrap_or(d), m))
        .collect();
    let (tx, rx) = mpsc::channel();
    let roots: Vec<PathBuf> = targets.iter().map(|(d, _)| d.clone()).collect();
    let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        if let Ok(ev) = ev {
            if relevant(&ev, &roots) {
                let _ = tx.send(());
            }
        }
    })
    .map_err(|e| format!("error: cannot watch files: {e}"))?;
    for (d, mode) in &targets {
        watcher
            .watch(d, *mode)
            .map_err(|e| format!("error: cannot watch {}: {e}", d.display()))?;
        // A rules folder deleted and created again (a `git checkout`, an editor's rename)
        // is a new folder: the parent's events tell when it comes back.
        if let Some(parent) = d.parent() {
            let _ = watcher.watch(parent, RecursiveMode::NonRecursive);
        }
    }
    eprintln!(
        "watching {} for rule edits, {} documents in memory (Ctrl-C to stop)",
        a.rules
            .rules
            .iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
        session.bodies().len()
    );
    let quiet = Duration::from_millis(a.debounce);
    while wait_for_burst(&rx, quiet) {
        // Watch folders created again since the last burst (before loading, so no edit
        // made while loading is missed).
        for (d, mode) in &targets {
            if d.is_dir() {
                let _ = watcher.unwatch(d);
                let _ = watcher.watch(d, *mode);
            }
        }
        let now = rules_digest(&a.rules);
        if now.is_some() && now == digest {
            continue;
        }
        digest = now;
        let mut out = String::new();
        session.step(|| load(&a.rules, color), &mut out);
        println!("--- rules changed");
        print!("{out}");
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rinse::rules::RuleSource;

    fn rules_from(text: &str) -> Result<Ruleset, String> {
        let src = RuleSource {
            name: "my.toml".into(),
            relative: "my.toml".into(),
            text: text.into(),
            default: false,
        };
        Ruleset::from_sources(&[src], Limits::default()).map_err(|d| d.render(false))
    }

    const RULE: &str = "[[rule]]\nid = \"ad.test\"\ncategory = \"ad\"\ndescription = \"d\"\naction = \"drop-line\"\nregex = 'PATTERN'\n";

    #[test]
    fn reports_changed_documents_and_keeps_last_good_rules() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "标题\n正文。\n扫码关注\n").unwrap();
        std::fs::write(dir.path().join("b.txt"), "另一篇\n正文。\n").unwrap();
        let mut opts = Options::new(vec![dir.path().to_path_buf()], Output::Memory);
        opts.jobs = Some(1);
        let mut s = Session::new(opts, 10);

        let mut out = String::new();
        let o = s.step(|| rules_from(&RULE.replace("PATTERN", "^无关$")), &mut out);
        assert_eq!(
            o,
            Outcome::Reloaded {
                changed: 0,
                reattributed: 0,
                total: 2
            }
        );
        assert_eq!(s.bodies()["a.txt"], "标题\n正文。\n扫码关注\n");
        let fp = s.fingerprint().unwrap().to_string();

        let mut out = String::new();
        let o = s.step(|| rules_from(&RULE.replace("PATTERN", "^扫码")), &mut out);
        assert_eq!(
            o,
            Outcome::Reloaded {
                changed: 1,
                reattributed: 0,
                total: 2
            }
        );
        assert!(out.contains("~ a.txt: -1 +0 lines"), "{out}");
        assert!(out.contains("    - 扫码关注"), "{out}");
        assert!(!out.contains("b.txt"), "{out}");
        assert_eq!(s.bodies()["a.txt"], "标题\n正文。\n");

        // A broken file prints diagnostics and keeps the last good rules and bodies.
        let mut out = String::new();
        let good = s.fingerprint().unwrap().to_string();
        assert_ne!(good, fp);
        let o = s.step(
            || rules_from(&RULE.replace("'PATTERN'", "'(unclosed'")),
            &mut out,
        );
        assert_eq!(o, Outcome::Broken);
        assert!(out.contains("invalid regex"), "{out}");
        assert!(out.contains("keeping the last good rules"), "{out}");
        assert_eq!(s.fingerprint(), Some(good.as_str()));
        assert_eq!(s.bodies()["a.txt"], "标题\n正文。\n");

        // Reverting the rule brings the line back, reported relative to the last good run.
        let mut out = String::new();
        let o = s.step(|| rules_from(&RULE.replace("PATTERN", "^无关$")), &mut out);
        assert_eq!(
            o,
            Outcome::Reloaded {
                changed: 1,
                reattributed: 0,
                total: 2
            }
        );
        assert!(out.contains("    + 扫码关注"), "{out}");
    }

    #[test]
    fn reports_a_line_taken_over_by_another_rule() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "标题\n正文。\n扫码关注\n").unwrap();
        let two = |first: &str, second: &str| {
            let r = |id: &str, pat: &str| RULE.replace("ad.test", id).replace("PATTERN", pat);
            rules_from(&format!(
                "{}\n{}",
                r("ad.first", first),
                r("ad.second", second)
            ))
        };
        let mut opts = Options::new(vec![dir.path().to_path_buf()], Output::Memory);
        opts.jobs = Some(1);
        let mut s = Session::new(opts, 10);
        let mut out = String::new();
        s.step(|| two("^扫码", "关注$"), &mut out);
        // The first rule no longer matches; the second removes the same line.
        let mut out = String::new();
        let o = s.step(|| two("^无关$", "关注$"), &mut out);
        assert_eq!(
            o,
            Outcome::Reloaded {
                changed: 0,
                reattributed: 1,
                total: 1
            },
            "{out}"
        );
        assert!(
            out.contains("↻ a.txt: line 3 now by ad.second (was ad.first)"),
            "{out}"
        );
        assert!(
            out.contains("0 of 1 documents changed, 1 re-attributed"),
            "{out}"
        );
    }

    #[test]
    fn line_ranges() {
        assert_eq!(ranges(&[1, 2, 3, 7, 9, 10]), "1-3, 7, 9-10");
    }

    #[test]
    fn a_burst_of_events_is_one_reload() {
        let (tx, rx) = mpsc::channel();
        for _ in 0..5 {
            tx.send(()).unwrap();
        }
        drop(tx);
        assert!(wait_for_burst(&rx, Duration::from_secs(60)));
        // Every event of the burst was consumed, and a closed watcher ends the loop.
        assert!(!wait_for_burst(&rx, Duration::from_secs(60)));
    }

    #[test]
    fn long_diffs_are_cut() {
        let old: String = (0..20).map(|i| format!("行{i}\n")).collect();
        let s = describe_change("x.txt", &old, "", 3);
        assert!(s.starts_with("~ x.txt: -20 +0 lines\n"), "{s}");
        assert!(s.contains("... 17 more changed lines"), "{s}");
    }

    #[test]
    fn only_writes_to_rule_files_and_watched_folders_count() {
        use notify::event::{AccessKind, AccessMode, CreateKind, MetadataKind, ModifyKind};
        use notify::event::{RemoveKind, RenameMode};
        use notify::{Event, EventKind};
        let ev = |k, p: &str| Event::new(k).add_path(PathBuf::from(p));
        let roots = [PathBuf::from("r")];
        let rel = |e: Event| relevant(&e, &roots);
        assert!(rel(ev(
            EventKind::Modify(ModifyKind::Name(RenameMode::To)),
            "r/footer.toml"
        )));
        assert!(rel(ev(EventKind::Create(CreateKind::File), "r/a.toml")));
        assert!(rel(ev(EventKind::Create(CreateKind::Folder), "r")));
        assert!(rel(ev(EventKind::Remove(RemoveKind::Folder), "r")));
        assert!(!rel(ev(
            EventKind::Create(CreateKind::File),
            "r/.a.toml.swp"
        )));
        // Loading the rules reads the folder and its files: none of that is an edit.
        assert!(!rel(ev(EventKind::Access(AccessKind::Any), "r/a.toml")));
        assert!(!rel(ev(
            EventKind::Access(AccessKind::Close(AccessMode::Read)),
            "r"
        )));
        assert!(!rel(ev(
            EventKind::Access(AccessKind::Open(AccessMode::Any)),
            "r"
        )));
        assert!(!rel(ev(
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)),
            "r/a.toml"
        )));
    }
}
