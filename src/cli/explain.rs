//! `rinse explain FILE[:LINE]`: why a line was removed, changed or kept.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use rinse::review::explain;
use rinse::Cleaner;

use super::common::{load_rules, RuleArgs};
use super::review_io::{read_document, InputFile};

/// Arguments of `rinse explain`.
#[derive(Args)]
#[command(after_help = "\
For a removed or changed line: the rule that fired, its category and action, where it
is defined (rule file:line), its description, the text its pattern matched, and each
condition with what held on the line. For a kept line: the rules whose pattern matched
but which failed a condition (near misses), if any. Lines are raw (input) line numbers,
as shown by `rinse diff`.

Examples:
  rinse explain seeds/001_a54c87d053133b73.txt:9    # why was line 9 removed?
  rinse explain seeds/001_a54c87d053133b73.txt      # every edit of the document
  rinse explain seeds/001_a54c87d053133b73.txt:9 --json
  rinse explain page.txt:12 --rules my-rules/       # with a rule folder layered on top")]
pub struct ExplainArgs {
    /// FILE:LINE for one raw line, or FILE for every edit of the document.
    #[arg(value_name = "FILE[:LINE]")]
    pub target: String,
    /// Print JSON (one object for a line, an array of edits for a file).
    #[arg(long)]
    pub json: bool,
    /// With FILE alone, include white-space normalisation edits.
    #[arg(long)]
    pub whitespace: bool,
    #[command(flatten)]
    pub rules: RuleArgs,
}

/// Splits `FILE:LINE`; a path that exists as given wins over a `:N` suffix.
fn parse_target(t: &str) -> Result<(PathBuf, Option<usize>), String> {
    if Path::new(t).exists() {
        return Ok((PathBuf::from(t), None));
    }
    if let Some((file, line)) = t.rsplit_once(':') {
        if let Ok(n) = line.parse::<usize>() {
            if n == 0 {
                return Err("error: line numbers start at 1".into());
            }
            return Ok((PathBuf::from(file), Some(n)));
        }
    }
    Err(format!("error: {t}: no such file"))
}

/// Runs `rinse explain`.
pub fn run(a: ExplainArgs) -> Result<ExitCode, String> {
    let (path, line) = parse_target(&a.target)?;
    if !path.is_file() {
        return Err(format!("error: {}: not a file", path.display()));
    }
    let cleaner = Cleaner::new(load_rules(&a.rules)?);
    let display = path.display().to_string();
    let file = InputFile {
        rel: path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default(),
        path,
        display: display.clone(),
    };
    let doc = read_document(&file).map_err(|e| format!("error: {display}: {e}"))?;
    let cleaned = cleaner
        .clean_traced(&doc)
        .map_err(|e| format!("error: {display}: {e}"))?;
    let mut out = String::new();
    match line {
        Some(n) => {
            let x = explain::explain_line(&doc.text, &cleaned, cleaner.ruleset(), n).ok_or_else(
                || {
                    format!(
                        "error: {display} has {} lines; there is no line {n}",
                        rinse::review::raw_lines(&doc.text).len()
                    )
                },
            )?;
            // What the whole-page classifier decided about the line, when the text is a
            // page and the stage is on.
            let page = (doc.page.is_none() && cleaner.ruleset().get("page.text-lines").is_some())
                .then(|| rinse::classify::analyze_text(&doc.text))
                .flatten()
                .filter(|p| p.verdict.is_page);
            if a.json {
                let mut v = serde_json::to_value(&x).expect("serialises");
                if let Some(p) = page.as_ref().and_then(|p| p.line(n - 1)) {
                    v["page_text_lines"] = serde_json::to_value(p).expect("serialises");
                }
                out = serde_json::to_string_pretty(&v).expect("serialises");
                out.push('\n');
            } else {
                explain::render_line(&mut out, &display, &x);
                if let Some(p) = &page {
                    out.push_str("  page.text-lines (whole-page classifier):\n");
                    for l in p.describe_line(n - 1).lines() {
                        out.push_str("    ");
                        out.push_str(l);
                        out.push('\n');
                    }
                }
                // HTML pages: what the main-content extractor decided, and why.
                if let Some(note) = cleaned.page_hints(&doc).and_then(|h| h.explain(n - 1)) {
                    out.push_str(&note);
                }
            }
        }
        None if a.json => {
            let all: Vec<_> = cleaned
                .edits
                .iter()
                .filter(|e| a.whitespace || !rinse::review::is_whitespace_edit(e))
                .map(|e| explain::explain_edit(&doc.text, e, cleaner.ruleset()))
                .collect();
            out = serde_json::to_string_pretty(&all).expect("serialises");
            out.push('\n');
        }
        None => {
            explain::render_all(
                &mut out,
                &display,
                &doc.text,
                &cleaned,
                cleaner.ruleset(),
                a.whitespace,
            );
            // HTML pages: the two views of the page and how they were reconciled.
            if let Some(h) = cleaned.page_hints(&doc) {
                out.push_str(&h.views());
            }
        }
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}
