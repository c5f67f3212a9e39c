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
use rinse::rules::{Limits, Ruleset};
use rinse::Cleaner;
use similar::{ChangeTag, TextDiff};

use super::common::RuleArgs;

/// Arguments of `rinse watch`.
#[derive(Args)]
pub struct WatchArgs {
    /// Folder (or file) of documents to re-clean in memory; nothing is written.
    pub input: PathBuf,
    /// Which rules to load; every `--rules` folder is watched.
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Worker threads (default: all cores).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Quiet period after a change before reloading, in milliseconds (editors save in bursts).
    #[arg(long, value_name = "MS", default_value_t = 300)]
    pub debounce: u64,
    /// Most diff lines shown per changed document.
    #[arg(long, value_name = "N", default_value_t = 12)]
    pub max_diff_lines: usize,
    /// Check and clean once, print the result, and exit (no watching).
    #[arg(long)]
    pub once: bool,
}

/// The state carried from one run to the next: the last good rules and the bodies they gave.
pub struct Session {
    input: PathBuf,
    jobs: Option<usize>,
    max_diff_lines: usize,
    last_good: Option<Ruleset>,
    bodies: BTreeMap<String, String>,
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
        /// Documents cleaned.
        total: usize,
    },
}

impl Session {
    /// A session over `input` with no run yet.
    pub fn new(input: PathBuf, jobs: Option<usize>, max_diff_lines: usize) -> Session {
        Session {
            input,
            jobs,
            max_diff_lines,
            last_good: None,
            bodies: BTreeMap::new(),
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
        let mut opts = Options::new(vec![self.input.clone()], Output::DryRun);
        opts.jobs = self.jobs;
        let mut bodies = BTreeMap::new();
        let mut failures = Vec::new();
        let run = batch::run(&cleaner, &opts, &mut |f| {
            if let Some(b) = &f.body {
                bodies.insert(f.path.clone(), b.clone());
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
        let mut changed = 0;
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
                "rules ok (fingerprint {}): {changed} of {total} documents changed\n",
                rs.fingerprint()
            ));
        }
        for f in failures {
            out.push_str(&f);
        }
        self.bodies = bodies;
        self.last_good = Some(rs);
        Outcome::Reloaded { changed, total }
    }
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

fn load(a: &RuleArgs) -> Result<Ruleset, String> {
    let sources = super::common::sources(a)?;
    Ruleset::from_sources(
        &sources,
        Limits {
            regex_size: a.regex_size_limit,
        },
    )
    .map_err(|d| d.render(false))
}

/// Whether a file-system event concerns a rule file (editors save by writing a temporary
/// file and renaming it over the original, so renames count too).
fn relevant(ev: &notify::Event) -> bool {
    use notify::EventKind;
    matches!(
        ev.kind,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
    ) && ev
        .paths
        .iter()
        .any(|p| p.extension().is_some_and(|x| x == "toml"))
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

fn watch_dirs(dirs: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    if dirs.is_empty() {
        return Err("error: `rinse watch` needs a rules folder to watch: --rules DIR".into());
    }
    dirs.iter()
        .map(|d| {
            if d.is_dir() {
                Ok(d.clone())
            } else {
                Err(format!("error: rules {}: not a folder", d.display()))
            }
        })
        .collect()
}

/// Runs `rinse watch`: a first run, then one run per burst of rule edits.
pub fn run(a: WatchArgs) -> Result<ExitCode, String> {
    let mut session = Session::new(a.input.clone(), a.jobs, a.max_diff_lines);
    let mut out = String::new();
    let first = session.step(|| load(&a.rules), &mut out);
    print!("{out}");
    if a.once {
        return Ok(match first {
            Outcome::Broken => ExitCode::from(1),
            Outcome::Reloaded { .. } => ExitCode::SUCCESS,
        });
    }
    let dirs: Vec<PathBuf> = watch_dirs(&a.rules.rules)?
        .into_iter()
        .map(|d| d.canonicalize().unwrap_or(d))
        .collect();
    let (tx, rx) = mpsc::channel();
    let roots = dirs.clone();
    let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        if let Ok(ev) = ev {
            if relevant(&ev) || ev.paths.iter().any(|p| roots.contains(p)) {
                let _ = tx.send(());
            }
        }
    })
    .map_err(|e| format!("error: cannot watch files: {e}"))?;
    for d in &dirs {
        watcher
            .watch(d, RecursiveMode::Recursive)
            .map_err(|e| format!("error: cannot watch {}: {e}", d.display()))?;
        // A rules folder deleted and created again (a `git checkout`, an editor's rename)
        // is a new folder: the parent's events tell when it comes back.
        if let Some(parent) = d.parent() {
            let _ = watcher.watch(parent, RecursiveMode::NonRecursive);
        }
    }
    eprintln!(
        "watching {} for rule edits, {} documents in memory (Ctrl-C to stop)",
        dirs.iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
        session.bodies().len()
    );
    let quiet = Duration::from_millis(a.debounce);
    while wait_for_burst(&rx, quiet) {
        // Watch folders created again since the last burst (before loading, so no edit
        // made while loading is missed).
        for d in &dirs {
            if d.is_dir() {
                let _ = watcher.unwatch(d);
                let _ = watcher.watch(d, RecursiveMode::Recursive);
            }
        }
        let mut out = String::new();
        session.step(|| load(&a.rules), &mut out);
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
        let mut s = Session::new(dir.path().to_path_buf(), Some(1), 10);

        let mut out = String::new();
        let o = s.step(|| rules_from(&RULE.replace("PATTERN", "^无关$")), &mut out);
        assert_eq!(
            o,
            Outcome::Reloaded {
                changed: 0,
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
                total: 2
            }
        );
        assert!(out.contains("    + 扫码关注"), "{out}");
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
    fn only_toml_events_count() {
        use notify::event::{CreateKind, ModifyKind, RenameMode};
        use notify::{Event, EventKind};
        let ev = |k, p: &str| Event::new(k).add_path(PathBuf::from(p));
        assert!(relevant(&ev(
            EventKind::Modify(ModifyKind::Name(RenameMode::To)),
            "r/footer.toml"
        )));
        assert!(relevant(&ev(
            EventKind::Create(CreateKind::File),
            "r/a.toml"
        )));
        assert!(!relevant(&ev(
            EventKind::Create(CreateKind::File),
            "r/.a.toml.swp"
        )));
        assert!(!relevant(&ev(
            EventKind::Access(notify::event::AccessKind::Any),
            "r/a.toml"
        )));
    }
}
