//! The `rinse` command line. Parsing and printing only; the work is in the library.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use rinse::batch::{self, Options};
use rinse::input::DecodeOptions;
use rinse::rules::{self, Limits, RuleSource, Ruleset};
use rinse::Cleaner;

/// Clean scraped web articles (Chinese news, forum reposts) into article bodies, recording
/// which rule removed what and why.
#[derive(Parser)]
#[command(name = "rinse", version, about, long_about = None)]
#[command(
    after_help = "Examples:\n  rinse clean seeds                      # writes cleaned/ and prints a summary\n  rinse clean IN -o OUT --rules my-rules/ --jobs 2\n  rinse eval --gold tests/gold cleaned   # precision/recall/F1 against gold bodies"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Clean a folder (or one file): writes OUT/<name>.txt (the body) and OUT/<name>.json
    /// (provenance: source, metadata, every edit with its rule).
    Clean(CleanArgs),
    /// Score cleaned bodies against gold bodies (character precision/recall/F1).
    Eval(EvalArgs),
}

#[derive(Args)]
struct RuleArgs {
    /// A folder of rule files (*.toml) layered over the embedded defaults: new ids add
    /// rules, reused ids override, `disable = [...]` switches rules off. Repeatable.
    #[arg(long = "rules", value_name = "DIR")]
    rules: Vec<PathBuf>,
    /// Start from no rules at all (only the built-in stages and --rules folders).
    #[arg(long)]
    no_default_rules: bool,
    /// Largest compiled size of one regex, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = rules::DEFAULT_REGEX_SIZE_LIMIT)]
    regex_size_limit: usize,
}

#[derive(Args)]
struct CleanArgs {
    /// Folder (walked recursively) or file to clean. Inputs are never modified.
    input: PathBuf,
    /// Output folder; sub-folders of the input are mirrored.
    #[arg(short, long, value_name = "DIR", default_value = "cleaned")]
    output: PathBuf,
    #[command(flatten)]
    rules: RuleArgs,
    /// Worker threads (default: all cores). Output is identical for any number.
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    /// Decode every input with this encoding instead of detecting it (e.g. gbk, big5, utf-16le).
    #[arg(long, value_name = "LABEL")]
    encoding: Option<String>,
    /// Skip inputs larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 64 * 1024 * 1024)]
    max_bytes: u64,
    /// Allow the output folder to be inside the input folder.
    #[arg(long)]
    allow_output_in_input: bool,
    /// Print only failures.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Args)]
struct EvalArgs {
    /// Folder of gold bodies (NAME.txt).
    #[arg(long, value_name = "DIR")]
    gold: PathBuf,
    /// Folder of cleaned bodies (NAME.txt).
    cleaned: PathBuf,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Exit with status 1 when the total F1 is below this.
    #[arg(long, value_name = "F1")]
    min_f1: Option<f64>,
}

fn load_rules(a: &RuleArgs) -> Result<Ruleset, String> {
    let mut sources = if a.no_default_rules {
        Vec::new()
    } else {
        RuleSource::defaults()
    };
    for dir in &a.rules {
        sources.extend(
            rules::sources_from_dir(dir)
                .map_err(|e| format!("error: rules {}: {e}", dir.display()))?,
        );
    }
    Ruleset::from_sources(
        &sources,
        Limits {
            regex_size: a.regex_size_limit,
        },
    )
    .map_err(|d| d.to_string())
}

fn clean(a: CleanArgs) -> Result<ExitCode, String> {
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

fn eval(a: EvalArgs) -> Result<ExitCode, String> {
    let report = rinse::eval::eval_dirs(&a.gold, &a.cleaned)
        .map_err(|e| format!("error: {}: {e}", a.gold.display()))?;
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("serialises")
        );
    } else {
        println!("{report}");
    }
    Ok(match a.min_f1 {
        Some(min) if report.f1 < min => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Clean(a) => clean(a),
        Command::Eval(a) => eval(a),
    };
    match result {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("{msg}");
            ExitCode::from(2)
        }
    }
}
