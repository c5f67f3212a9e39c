//! `rinse clean`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use rinse::batch::{self, Options};
use rinse::input::DecodeOptions;
use rinse::Cleaner;

use super::common::{load_rules, RuleArgs};

#[derive(Args)]
#[command(
    after_help = "Examples:\n  rinse clean seeds                       # writes cleaned/\n  rinse clean seeds --check               # would cleaned/ change? which documents, how? (exit 1 if so)\n  rinse clean seeds --compare old-cleaned/ --rules my-rules/"
)]
pub struct CleanArgs {
    /// Folder (walked recursively) or file to clean. Inputs are never modified.
    pub input: PathBuf,
    /// Output folder; sub-folders of the input are mirrored.
    #[arg(short, long, value_name = "DIR", default_value = "cleaned")]
    pub output: PathBuf,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Worker threads (default: all cores). Output is identical for any number.
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Decode every input with this encoding instead of detecting it (e.g. gbk, big5, utf-16le).
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// Skip inputs larger than this many bytes (the per-document size cap; a skipped input
    /// is reported by name and makes the exit status 1).
    #[arg(long, value_name = "BYTES", default_value_t = 64 * 1024 * 1024)]
    pub max_bytes: u64,
    /// Allow the output folder to be inside the input folder.
    #[arg(long)]
    pub allow_output_in_input: bool,
    /// Print only failures.
    #[arg(short, long)]
    pub quiet: bool,
    /// Write nothing; compare against the snapshot in the output folder (-o, default
    /// cleaned/), list the documents whose output would change with a short diff, and exit
    /// with status 1 when anything would change. Run it before committing a rule edit.
    #[arg(long)]
    pub check: bool,
    /// Like --check, against the snapshot in DIR.
    #[arg(long, value_name = "DIR")]
    pub compare: Option<PathBuf>,
    /// Colours for --check output: auto (a terminal without NO_COLOR), always, never.
    #[arg(long, value_enum, default_value_t = super::review_io::ColorChoice::Auto, value_name = "WHEN")]
    pub color: super::review_io::ColorChoice,
}

pub fn run(a: CleanArgs) -> Result<ExitCode, String> {
    let ruleset = load_rules(&a.rules)?;
    let encoding = match &a.encoding {
        None => None,
        Some(l) => Some(
            encoding_rs::Encoding::for_label(l.as_bytes()).ok_or_else(|| {
                format!(
                    "error: unknown encoding label `{l}` (try utf-8, gbk, gb18030, big5, utf-16le)"
                )
            })?,
        ),
    };
    let cleaner = Cleaner::new(ruleset);
    let opts = Options {
        input: a.input,
        output: Some(a.output.clone()),
        jobs: a.jobs,
        progress: !a.quiet && std::io::stderr().is_terminal(),
        decode: DecodeOptions {
            encoding,
            max_bytes: Some(a.max_bytes),
        },
        allow_output_in_input: a.allow_output_in_input,
    };
    if a.check || a.compare.is_some() {
        let snapshot = a.compare.clone().unwrap_or_else(|| a.output.clone());
        let dry = Options {
            output: None,
            ..opts
        };
        return super::check::run(&cleaner, &dry, &snapshot, a.color.enabled(), a.quiet);
    }
    if let Err(e) = batch::install_interrupt_handler() {
        eprintln!("warning: {e}");
    }
    let summary = batch::run(&cleaner, &opts).map_err(|e| format!("error: {e}"))?;
    if a.quiet {
        for (p, why) in summary.failures() {
            eprintln!("FAILED {p}: {why}");
        }
    } else {
        eprint!("{summary}");
        eprintln!("output: {}", a.output.display());
    }
    Ok(if summary.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
