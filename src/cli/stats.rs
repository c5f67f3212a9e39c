//! `rinse stats DIR`: what each rule did across a corpus.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use rinse::review::stats::Collector;
use rinse::review::suspects;
use rinse::Cleaner;

use super::common::{load_rules, RuleArgs};
use super::review_io::{for_each_ordered, list_inputs, read_document};

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
  rinse stats corpus --rules my-rules/ --json > stats.json
  rinse stats seeds --fail-on-warnings              # exit 1 when there are warnings
  rinse stats corpus --suspects                     # kept lines that look like noise, by shape")]
pub struct StatsArgs {
    /// A folder of raw files (walked recursively), or one file.
    pub input: PathBuf,
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
}

/// Runs `rinse stats`.
pub fn run(a: StatsArgs) -> Result<ExitCode, String> {
    let cleaner = Cleaner::new(load_rules(&a.rules)?);
    let files = list_inputs(&a.input)?;
    let mut c = Collector::new();
    let mut sus = suspects::Collector::new(a.examples);
    for_each_ordered(
        &files,
        |_, f| {
            let doc = read_document(f)?;
            let cleaned = cleaner.clean(&doc).map_err(|e| e.to_string())?;
            Ok::<_, String>((doc, cleaned))
        },
        |f, r| {
            match r {
                Ok((doc, cleaned)) if a.suspects => sus.add(&f.display, &doc.text, &cleaned),
                Ok((doc, cleaned)) => c.add(&f.display, &doc.text, &cleaned),
                Err(why) => eprintln!(
                    "skipped {}: {}",
                    rinse::batch::terminal_safe(&f.display),
                    rinse::batch::terminal_safe(&why.to_string())
                ),
            }
            Ok(true)
        },
    )?;
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
        return Ok(ExitCode::SUCCESS);
    }
    let report = c.finish(cleaner.ruleset());
    if a.json {
        print!("{}", report.to_json());
    } else {
        print!("{}", report.render_text());
    }
    Ok(if a.fail_on_warnings && !report.warnings.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
