//! `rinse stats DIR`: what each rule did across a corpus.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use rinse::review::stats::Collector;
use rinse::review::suspects;
use rinse::Cleaner;

use super::common::{load_rules, RuleArgs};
use super::inputs::{for_each_document, ReadArgs};

/// Arguments of `rinse stats`.
#[derive(Args)]
#[command(after_help = "\
Columns: documents the rule touched, edits, raw lines it removed whole, characters it
removed (or replaced), and its share of all removed characters. Then the rules that
never fired and warnings: a rule removing more than half of a document's text
(over-half), or a drop-rest firing in the first half of a document (early-drop-rest),
which is usually a false alarm.

Examples:
  rinse stats seeds
  rinse stats crawl.jsonl part2.warc.gz             # records, like `clean` reads them
  rinse stats corpus --rules my-rules/ --json > stats.json
  rinse stats seeds --fail-on-warnings              # exit 1 when there are warnings
  rinse stats corpus --suspects                     # kept lines that look like noise, by shape")]
pub struct StatsArgs {
    /// Files, folders (walked like `clean` walks them), record streams (JSON Lines, WARC)
    /// or `-` for standard input.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Exit with status 1 when there are warnings.
    #[arg(long)]
    pub fail_on_warnings: bool,
    /// Instead of the rule table, list kept lines that look like noise (short lines after
    /// the last paragraph or before the first, label：value lines, lines under a removed
    /// image, ...), grouped by shape with counts and examples.
    #[arg(long)]
    pub suspects: bool,
    /// With --suspects: examples shown per shape.
    #[arg(long, default_value_t = 5, requires = "suspects")]
    pub examples: usize,
    #[command(flatten)]
    pub rules: RuleArgs,
    #[command(flatten)]
    pub read: ReadArgs,
}

/// Runs `rinse stats`.
pub fn run(a: StatsArgs) -> Result<ExitCode, String> {
    let cleaner = Cleaner::new(load_rules(&a.rules)?);
    let opts = a
        .read
        .options(a.inputs.clone(), rinse::batch::Output::Memory)?;
    let mut c = Collector::new();
    let mut sus = suspects::Collector::new(a.examples);
    let counts = for_each_document(&cleaner, opts, |name, p| {
        if a.suspects {
            sus.add(&name.shown, &p.doc.text, &p.cleaned);
        } else {
            c.add(&name.shown, &p.doc.text, &p.cleaned);
        }
        Ok(true)
    })?;
    let failed = counts.failed > 0;
    if a.suspects {
        let report = sus.finish();
        print!(
            "{}",
            if a.json {
                report.to_json()
            } else {
                report.render_text()
            }
        );
        return Ok(if failed {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        });
    }
    let report = c.finish(cleaner.ruleset());
    if a.json {
        print!("{}", report.to_json());
    } else {
        print!("{}", report.render_text());
    }
    Ok(if failed {
        ExitCode::from(2)
    } else if a.fail_on_warnings && !report.warnings.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
