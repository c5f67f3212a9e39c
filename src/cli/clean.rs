//! `rinse clean`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use rinse::batch::{self, BodyFormat, Outcome, Output, ProvenanceLevel};
use rinse::Cleaner;

use super::common::{load_rules, RuleArgs};
use super::inputs::{show_progress, ReadArgs};

/// `--provenance`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ProvenanceArg {
    /// Every edit with the removed text.
    Full,
    /// Source, rules, engine and edit counts by rule.
    Summary,
    /// Body, metadata, counts and quality flag only.
    None,
}

/// `--body-format`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum BodyFormatArg {
    /// The clean text: title first, one paragraph a line (NAME.txt).
    Text,
    /// Markdown keeping an HTML page's headings, lists, tables, quotes and code (NAME.md).
    Markdown,
    /// One JSON object with body, title and metadata (standard output only; records
    /// carry them already).
    Json,
}

impl From<BodyFormatArg> for BodyFormat {
    fn from(a: BodyFormatArg) -> BodyFormat {
        match a {
            BodyFormatArg::Text => BodyFormat::Text,
            BodyFormatArg::Markdown => BodyFormat::Markdown,
            BodyFormatArg::Json => BodyFormat::Json,
        }
    }
}

#[derive(Args)]
#[command(after_help = "Examples:
  rinse clean seeds                          # writes cleaned/
  rinse clean a.txt b/ c.html -o out         # several inputs: out/a.txt, out/b/..., out/c.txt
  cat page.html | rinse clean - > body.txt   # one document, body to standard output
  rinse clean crawl.jsonl -o cleaned.jsonl   # records in, records out (.gz/.zst by name)
  rinse clean CC-MAIN.warc.gz -o out.jsonl   # WARC responses / WET conversions as records
  zcat part.jsonl.gz | rinse clean --format jsonl - | gzip > out.jsonl.gz
  tail -n +5001 crawl.jsonl | rinse clean - --first-line 5001 > part.jsonl
  rinse clean seeds --check                  # would cleaned/ change? (exit 1 if so)
  rinse clean pages/ -o md --body-format markdown   # NAME.md bodies beside NAME.json
  cat page.html | rinse clean - --body-format json  # {\"body\", \"title\", \"metadata\"}")]
pub struct CleanArgs {
    /// Files, folders (walked recursively, hidden and git-ignored files skipped) or `-` for
    /// standard input. Inputs are never modified.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Output: a folder (default cleaned/; the input tree mirrored, plus manifest.jsonl), a
    /// file ending in .jsonl[.gz|.zst] (one record per document), or `-` for standard output
    /// (the default when the input is `-`).
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub rules: RuleArgs,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Number the input's lines from N (default 1) in messages, error records and the
    /// provenance of records without an id: for a part of a larger JSON Lines file that
    /// starts at its line N (a Spark partition). Only with one JSON Lines input or `-`.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    pub first_line: u64,
    /// Field added to each output record with the body, metadata, counts and provenance.
    #[arg(long, value_name = "NAME", default_value = "rinse")]
    pub output_field: String,
    /// How bodies are written: text (NAME.txt), markdown (NAME.md; records' `body`), or
    /// json (a body on standard output; records are JSON already and keep the text body).
    /// Provenance always describes the text body.
    #[arg(long, value_enum, default_value_t = BodyFormatArg::Text, value_name = "FORMAT")]
    pub body_format: BodyFormatArg,
    /// How much provenance output records carry.
    #[arg(long, value_enum, default_value_t = ProvenanceArg::Full, value_name = "LEVEL")]
    pub provenance: ProvenanceArg,
    /// Allow the output folder to be inside the input folder (it is then not walked).
    #[arg(long)]
    pub allow_output_in_input: bool,
    /// Print only failures.
    #[arg(short, long)]
    pub quiet: bool,
    /// Print the run summary as JSON on standard output (problems still go to standard
    /// error as they happen).
    #[arg(long)]
    pub json: bool,
    /// Write nothing; compare against the snapshot in the output folder (-o, default
    /// cleaned/), list the documents whose output would change with a short diff, and exit
    /// with status 1 when anything would change. Run it before committing a rule edit.
    #[arg(long)]
    pub check: bool,
    /// Like --check, against the snapshot in DIR.
    #[arg(long, value_name = "DIR")]
    pub compare: Option<PathBuf>,
    /// Colours for --check output: auto (a terminal without NO_COLOR), always, never.
    #[arg(long, value_enum, default_value_t = super::term::ColorChoice::Auto, value_name = "WHEN")]
    pub color: super::term::ColorChoice,
}

/// Where `-o` (or its default) sends outputs.
fn output_of(a: &CleanArgs) -> Output {
    let o = a.output.clone().unwrap_or_else(|| {
        if a.inputs.len() == 1 && a.inputs[0].as_os_str() == "-" {
            PathBuf::from("-")
        } else {
            PathBuf::from("cleaned")
        }
    });
    let lower = o.to_string_lossy().to_ascii_lowercase();
    let base = lower
        .strip_suffix(".gz")
        .or_else(|| lower.strip_suffix(".zst"))
        .unwrap_or(&lower);
    if o.as_os_str() == "-" {
        Output::Stdout
    } else if (base.ends_with(".jsonl") || base.ends_with(".ndjson")) && !o.is_dir() {
        Output::Records(o)
    } else {
        Output::Folder(o)
    }
}

pub fn run(a: CleanArgs) -> Result<ExitCode, String> {
    let ruleset = load_rules(&a.rules)?;
    let output = output_of(&a);
    if a.json && output == Output::Stdout {
        return Err("error: --json prints the summary on standard output, which carries the output here; use -o FILE or -o DIR".into());
    }
    let cleaner = Cleaner::new(ruleset);
    let mut opts = a.read.options(a.inputs.clone(), output.clone())?;
    opts.progress = show_progress(a.quiet || a.json);
    opts.allow_output_in_input = a.allow_output_in_input;
    opts.records.output_field = a.output_field.clone();
    opts.records.first_line = a.first_line;
    opts.body_format = a.body_format.into();
    opts.records.provenance = match a.provenance {
        ProvenanceArg::Full => ProvenanceLevel::Full,
        ProvenanceArg::Summary => ProvenanceLevel::Summary,
        ProvenanceArg::None => ProvenanceLevel::None,
    };
    if a.check || a.compare.is_some() {
        // Against the outputs of an earlier run: `--compare DIR`, else where -o (or its
        // default) would write: a folder or a records file.
        let snapshot = match (&a.compare, &output) {
            (Some(d), _) => super::check::Snapshot::Folder(d.clone()),
            (None, Output::Folder(o)) => super::check::Snapshot::Folder(o.clone()),
            (None, Output::Records(f)) => super::check::Snapshot::Records(f.clone()),
            (None, Output::Stdout | Output::Memory) => {
                return Err("error: --check compares with an earlier run's output: give it with -o DIR or -o FILE.jsonl (standard output keeps no snapshot)".into())
            }
        };
        if opts.body_format == BodyFormat::Json {
            return Err("error: --check compares with body files or records, which never hold JSON bodies; use --body-format text or markdown".into());
        }
        opts.output = Output::Memory;
        return super::check::run(&cleaner, &opts, snapshot, a.color.enabled(), a.quiet);
    }
    if let Err(e) = batch::install_interrupt_handler() {
        eprintln!("warning: {e}");
    }
    let quiet = a.quiet;
    let safe = batch::terminal_safe;
    let summary = batch::run(&cleaner, &opts, &mut |f| match &f.outcome {
        Outcome::Failed(why) => eprintln!("FAILED {}: {}", safe(&f.path), safe(why)),
        Outcome::Skipped(why) if !quiet => eprintln!("skipped {}: {}", safe(&f.path), safe(why)),
        _ if !quiet => {
            for w in &f.warnings {
                eprintln!("warning {}: {}", safe(&f.path), safe(w));
            }
        }
        _ => {}
    })
    .map_err(|e| format!("error: {e}"))?;
    if a.json {
        let mut v = serde_json::to_value(&summary).expect("summary serialises");
        v["output"] = match &output {
            Output::Folder(o) | Output::Records(o) => o.display().to_string().into(),
            _ => "-".into(),
        };
        v["ok"] = summary.ok().into();
        println!("{v}");
    } else if quiet {
        if summary.interrupted {
            eprintln!("{}", summary.interrupted_line());
        }
    } else {
        eprint!("{summary}");
        match &output {
            Output::Folder(o) | Output::Records(o) => {
                eprintln!("output: {}", safe(&o.display().to_string()))
            }
            _ => {}
        }
    }
    Ok(if summary.interrupted {
        ExitCode::from(130)
    } else if summary.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
