//! `rinse explain FILE[:LINE]`: why a line was removed, changed or kept.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use rinse::batch::Processed;
use rinse::review::explain;
use rinse::{Cleaner, Ruleset};

use super::common::{load_rules, RuleArgs};
use super::inputs::{for_each_document, ReadArgs};

/// Arguments of `rinse explain`.
#[derive(Args)]
#[command(after_help = "\
For a removed or changed line: the rule that fired, its category and action, where it
is defined (rule file:line), its description, the text its pattern matched, and each
condition with what held on the line. For a kept line: the rules whose pattern matched
but which failed a condition (near misses), if any. Lines are raw (input) line numbers,
as shown by `rinse diff`. Inputs are read the way `clean` reads them (sidecar URLs,
records, WARC, standard input), so the explanation is of the cleaning `clean` does.

Examples:
  rinse explain seeds/001_a54c87d053133b73.txt:9    # why was line 9 removed?
  rinse explain seeds/001_a54c87d053133b73.txt      # every edit of the document
  rinse explain seeds/001_a54c87d053133b73.txt:9 --json
  rinse explain page.txt:12 --rules my-rules/       # with a rule folder layered on top
  rinse explain crawl.jsonl --record 17 --line 3    # a record of a stream, by line or id
  cat page.html | rinse explain - --line 40")]
pub struct ExplainArgs {
    /// FILE:LINE for one raw line, or FILE (also a folder, a record stream or `-`) for
    /// every edit of each document.
    #[arg(value_name = "INPUT[:LINE]", required = true)]
    pub targets: Vec<String>,
    /// Explain this raw line of each document (instead of `:LINE`).
    #[arg(long, value_name = "N")]
    pub line: Option<usize>,
    /// Only the record with this id, or at this position (line of a JSON Lines file, byte
    /// offset of a WARC record).
    #[arg(long, value_name = "ID")]
    pub record: Option<String>,
    /// Print JSON (one object for a line, an array of edits for a file).
    #[arg(long)]
    pub json: bool,
    /// With FILE alone, include white-space normalisation edits.
    #[arg(long)]
    pub whitespace: bool,
    #[command(flatten)]
    pub rules: RuleArgs,
    #[command(flatten)]
    pub read: ReadArgs,
}

/// Splits `FILE:LINE`; a path that exists as given (or `-`) wins over a `:N` suffix.
fn parse_target(t: &str) -> Result<(PathBuf, Option<usize>), String> {
    let exists = |p: &str| p == "-" || Path::new(p).exists();
    if exists(t) {
        return Ok((PathBuf::from(t), None));
    }
    if let Some((file, line)) = t.rsplit_once(':') {
        if let Ok(n) = line.parse::<usize>() {
            if n == 0 {
                return Err("error: line numbers start at 1".into());
            }
            if !exists(file) {
                return Err(format!("error: {file}: no such file or folder"));
            }
            return Ok((PathBuf::from(file), Some(n)));
        }
    }
    Err(format!("error: {t}: no such file or folder"))
}

/// Whether the document shown as `name` (with record id `id`) is the record `sel`: its id,
/// or its position (`FILE:LINE`, `FILE@OFFSET`, or the bare number).
fn is_record(name: &str, id: &str, sel: &str) -> bool {
    let place = name.split(" (id ").next().unwrap_or(name);
    id == sel
        || place == sel
        || place
            .rsplit_once([':', '@'])
            .is_some_and(|(_, pos)| pos == sel)
}

/// Runs `rinse explain`.
pub fn run(a: ExplainArgs) -> Result<ExitCode, String> {
    let targets = a
        .targets
        .iter()
        .map(|t| parse_target(t))
        .collect::<Result<Vec<_>, _>>()?;
    if a.line == Some(0) {
        return Err("error: line numbers start at 1".into());
    }
    if a.line.is_some() && targets.iter().any(|(_, l)| l.is_some()) {
        return Err("error: give the line as FILE:LINE or with --line, not both".into());
    }
    let cleaner = Cleaner::new(load_rules(&a.rules)?);
    let several = targets.len() > 1;
    let (mut problems, mut matched) = (0usize, 0usize);
    for (path, target_line) in targets {
        let line = target_line.or(a.line);
        let mut opts = a
            .read
            .options(vec![path.clone()], rinse::batch::Output::Memory)?;
        opts.trace = true;
        let mut docs = Vec::new();
        let counts = for_each_document(&cleaner, opts, |name, p| {
            if a.record
                .as_deref()
                .is_some_and(|sel| !is_record(&name.relative, &p.doc.source.path, sel))
            {
                return Ok(true);
            }
            matched += 1;
            match explain_document(&a, cleaner.ruleset(), &name.shown, p, line) {
                Ok(out) => docs.push(out),
                Err(e) => {
                    problems += 1;
                    eprintln!("{e}");
                }
            }
            Ok(true)
        })?;
        problems += counts.failed + counts.skipped;
        let many = several || docs.len() > 1;
        for (i, (name, out)) in docs.iter().enumerate() {
            if many && !a.json {
                if i > 0 || several {
                    println!();
                }
                println!("== {name}");
            }
            print!("{out}");
        }
        if docs.is_empty() && counts.failed + counts.skipped == 0 && a.record.is_none() {
            eprintln!("error: {}: no document to explain", path.display());
            problems += 1;
        }
    }
    if let (Some(sel), 0) = (&a.record, matched) {
        return Err(format!(
            "error: no record `{sel}` (give a record id, a JSON Lines line number or a WARC offset)"
        ));
    }
    Ok(if problems > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// The explanation of one document: of line `line`, or of every edit.
fn explain_document(
    a: &ExplainArgs,
    ruleset: &Ruleset,
    display: &str,
    p: &Processed,
    line: Option<usize>,
) -> Result<(String, String), String> {
    let (doc, cleaned) = (&p.doc, &p.cleaned);
    let mut out = String::new();
    match line {
        Some(n) if a.json => {
            let x = explain::explain_line(&doc.text, cleaned, ruleset, n).ok_or_else(|| {
                format!(
                    "error: {display} has {} lines; there is no line {n}",
                    rinse::review::raw_lines(&doc.text).len()
                )
            })?;
            let mut v = serde_json::to_value(&x).expect("serialises");
            // What the whole-page classifier decided about the line, when the text is a
            // page and the stage is on.
            if let Some(p) = explain::whole_page(doc, ruleset) {
                if let Some(l) = p.line(n - 1) {
                    v["page_text_lines"] = serde_json::to_value(l).expect("serialises");
                }
            }
            out = serde_json::to_string_pretty(&v).expect("serialises");
            out.push('\n');
        }
        Some(n) => out = explain::document_line(display, doc, cleaned, ruleset, n)?,
        None if a.json => {
            let all: Vec<_> = cleaned
                .edits
                .iter()
                .filter(|e| a.whitespace || !rinse::review::is_whitespace_edit(e))
                .map(|e| explain::explain_edit(&doc.text, e, ruleset))
                .collect();
            out = serde_json::to_string_pretty(&all).expect("serialises");
            out.push('\n');
        }
        None => {
            explain::render_all(&mut out, display, &doc.text, cleaned, ruleset, a.whitespace);
            // HTML pages: the two views of the page and how they were reconciled.
            if let Some(h) = cleaned.page_hints(doc) {
                out.push_str(&h.views());
            }
        }
    }
    Ok((display.to_string(), out))
}
