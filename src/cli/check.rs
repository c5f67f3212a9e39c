//! `rinse clean --check` / `--compare DIR`: what a cleaning run would change in a committed
//! snapshot, without writing anything.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;

use rinse::batch::{self, Options, Outcome};
use rinse::review::check::{compare, CompareOptions, Kind};
use rinse::Cleaner;

fn read_opt(p: &Path) -> Result<Option<String>, String> {
    match std::fs::read_to_string(p) {
        Ok(s) => Ok(Some(s)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("error: snapshot {}: {e}", p.display())),
    }
}

/// Snapshot bodies (`*.txt`, relative paths) under `dir`.
fn snapshot_bodies(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "txt"))
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            Some(
                rel.components()
                    .map(|c| c.as_os_str().to_string_lossy().to_string())
                    .collect::<Vec<_>>()
                    .join("/"),
            )
        })
        .collect()
}

/// Cleans `opts.input` without writing and compares every output with `snapshot`.
/// Exit status: 0 when nothing would change, 1 when something would (or a file failed).
pub fn run(
    cleaner: &Cleaner,
    opts: &Options,
    snapshot: &Path,
    color: bool,
    quiet: bool,
) -> Result<ExitCode, String> {
    let snap = snapshot.display().to_string();
    let snap = snap.trim_end_matches('/').to_string();
    let copts = CompareOptions {
        color,
        ..CompareOptions::default()
    };
    let (bold, reset) = if color {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("", "")
    };
    let mut existing = snapshot_bodies(snapshot);
    let (mut checked, mut changed, mut failed) = (0usize, 0usize, 0usize);
    let mut out = String::new();
    let mut read_error = None;
    let summary = batch::run(cleaner, opts, &mut |f| {
        let Outcome::Cleaned { output, .. } = &f.outcome else {
            if let Outcome::Failed(why) = &f.outcome {
                failed += 1;
                eprintln!(
                    "FAILED {}: {}",
                    rinse::batch::terminal_safe(&f.path),
                    rinse::batch::terminal_safe(why)
                );
            }
            return;
        };
        checked += 1;
        existing.remove(output);
        let body_path = snapshot.join(output);
        let (old_body, old_prov) = match (
            read_opt(&body_path),
            read_opt(&body_path.with_extension("json")),
        ) {
            (Ok(b), Ok(p)) => (b, p),
            (Err(e), _) | (_, Err(e)) => {
                read_error.get_or_insert(e);
                return;
            }
        };
        let new_body = f.body.as_deref().unwrap_or("");
        let new_prov = f.provenance.as_deref().unwrap_or("");
        if let Some(c) = compare(
            old_body.as_deref(),
            old_prov.as_deref(),
            new_body,
            new_prov,
            copts,
        ) {
            changed += 1;
            let verb = if c.kind == Kind::New {
                "would add"
            } else {
                "would change"
            };
            out.push_str(&format!(
                "{bold}{verb} {snap}/{}{reset} (from {}): {}\n",
                rinse::batch::terminal_safe(output),
                rinse::batch::terminal_safe(&f.path),
                c.line()
            ));
            if !quiet {
                out.push_str(&c.diff);
            }
        }
    })
    .map_err(|e| format!("error: {e}"))?;
    if let Some(e) = read_error {
        return Err(e);
    }
    print!("{out}");
    for stale in &existing {
        eprintln!("note: {snap}/{stale} has no input any more (clean does not delete it)");
    }
    println!(
        "{checked} document{} checked against {snap}/: {changed} would change, {} unchanged{}",
        rinse::review::plural(checked),
        checked - changed,
        if failed > 0 {
            format!(", {failed} failed")
        } else {
            String::new()
        }
    );
    Ok(if changed > 0 || failed > 0 || !summary.ok() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
