//! `rinse clean --check` / `--compare DIR`: what a cleaning run would change in a committed
//! snapshot (an output folder or a records file), without writing anything.

use std::collections::{BTreeSet, HashMap};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rinse::batch::{self, Options, Outcome, Processed};
use rinse::review::check::{compare, CompareOptions, Kind};
use rinse::Cleaner;

/// Where the outputs of an earlier run are.
pub enum Snapshot {
    /// An output folder: `NAME.txt` + `NAME.json` per document, a records file per stream.
    Folder(PathBuf),
    /// One records file (`-o out.jsonl`): a line per record, in input order.
    Records(PathBuf),
}

/// An earlier run's output for one document: body and provenance JSON (`None` when absent).
type Old = (Option<String>, Option<String>);

/// Reads a snapshot in step with a run: documents by name, records in order.
struct Reader {
    snapshot: Snapshot,
    field: String,
    /// Open records files, by output name, positioned at the next record.
    streams: HashMap<String, Option<Box<dyn BufRead>>>,
    /// Bodies in the folder that no input claimed (yet).
    unclaimed: BTreeSet<String>,
}

fn read_opt(p: &Path) -> Result<Option<String>, String> {
    match std::fs::read_to_string(p) {
        Ok(s) => Ok(Some(s)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("error: snapshot {}: {e}", p.display())),
    }
}

/// Opens a records file (decompressed by its first bytes); `None` when it does not exist.
fn open_records(p: &Path) -> Result<Option<Box<dyn BufRead>>, String> {
    match batch::stream::open(p) {
        Ok(r) => Ok(Some(r)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("error: snapshot {}: {e}", p.display())),
    }
}

/// Snapshot bodies (`*.txt`, or `*.md` for Markdown bodies; relative paths) under `dir`.
fn snapshot_bodies(dir: &Path, ext: &str) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == ext))
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

impl Reader {
    fn new(snapshot: Snapshot, field: &str, ext: &str) -> Reader {
        let unclaimed = match &snapshot {
            Snapshot::Folder(d) => snapshot_bodies(d, ext),
            Snapshot::Records(_) => BTreeSet::new(),
        };
        Reader {
            snapshot,
            field: field.to_string(),
            streams: HashMap::new(),
            unclaimed,
        }
    }

    /// What the snapshot shows where `f` would go, and that place's name.
    fn old(&mut self, f: &batch::FileResult, output: &str) -> Result<(String, Old), String> {
        let records = match (&self.snapshot, &f.stream_output) {
            (Snapshot::Records(file), _) => file.clone(),
            (Snapshot::Folder(dir), Some(stream)) => dir.join(stream),
            (Snapshot::Folder(dir), None) => {
                self.unclaimed.remove(output);
                let body = dir.join(output);
                let old = (read_opt(&body)?, read_opt(&body.with_extension("json"))?);
                return Ok((body.display().to_string(), old));
            }
        };
        let key = records.display().to_string();
        if !self.streams.contains_key(&key) {
            let r = open_records(&records)?;
            self.streams.insert(key.clone(), r);
        }
        let mut line = String::new();
        let n = match self.streams.get_mut(&key).and_then(Option::as_mut) {
            Some(r) => r
                .read_line(&mut line)
                .map_err(|e| format!("error: snapshot {key}: {e}"))?,
            None => 0,
        };
        if n == 0 {
            return Ok((key, (None, None)));
        }
        let v: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
        let payload = &v[&self.field];
        let body = payload["body"].as_str().map(str::to_string);
        let prov = payload
            .get("provenance")
            .map(|p| serde_json::to_string(p).expect("JSON values serialise"));
        // An old record without a body (an error record) compares as an empty body.
        Ok((key, (Some(body.unwrap_or_default()), prov)))
    }
}

/// Cleans `opts.inputs` without writing and compares every output with `snapshot`.
/// Exit status: 0 when nothing would change, 1 when something would (or a file failed).
pub fn run(
    cleaner: &Cleaner,
    opts: &Options,
    snapshot: Snapshot,
    color: bool,
    quiet: bool,
) -> Result<ExitCode, String> {
    let copts = CompareOptions {
        color,
        ..CompareOptions::default()
    };
    let (bold, reset) = if color {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("", "")
    };
    // As messages name it: a folder with a trailing `/`.
    let (snap, snap_shown) = match &snapshot {
        Snapshot::Folder(d) => {
            let s = d.display().to_string().trim_end_matches('/').to_string();
            (s.clone(), format!("{s}/"))
        }
        Snapshot::Records(f) => (f.display().to_string(), f.display().to_string()),
    };
    let mut reader = Reader::new(
        snapshot,
        &opts.records.output_field,
        opts.body_format.extension(),
    );
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
            // A record that failed still has its line in a records snapshot.
            if f.stream_output.is_some() {
                if let Err(e) = reader.old(f, "") {
                    read_error.get_or_insert(e);
                }
            }
            return;
        };
        let Some(Processed {
            cleaned,
            provenance,
            ..
        }) = f.processed.as_deref()
        else {
            return;
        };
        checked += 1;
        let (place, (old_body, old_prov)) = match reader.old(f, output) {
            Ok(o) => o,
            Err(e) => {
                read_error.get_or_insert(e);
                return;
            }
        };
        // The body as it would be written (Markdown bodies come rendered).
        let body = f.body.as_deref().unwrap_or(&cleaned.body);
        if let Some(c) = compare(
            old_body.as_deref(),
            old_prov.as_deref(),
            body,
            &provenance.to_json(),
            copts,
        ) {
            changed += 1;
            let verb = if c.kind == Kind::New {
                "would add"
            } else {
                "would change"
            };
            let place = if f.stream_output.is_some() {
                format!("a record in {place}")
            } else {
                place
            };
            out.push_str(&format!(
                "{bold}{verb} {}{reset} (from {}): {}\n",
                rinse::batch::terminal_safe(&place),
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
    for stale in &reader.unclaimed {
        eprintln!("note: {snap}/{stale} has no input any more (clean does not delete it)");
    }
    println!(
        "{checked} document{} checked against {snap_shown}: {changed} would change, {} unchanged{}",
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
