//! `rinse clean`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use rinse::batch::{self, Format, Options, Outcome, Output, ProvenanceLevel, WalkOptions};
use rinse::input::DecodeOptions;
use rinse::Cleaner;

use super::common::{load_rules, RuleArgs};

/// `--format`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// By name: .jsonl/.ndjson are JSON Lines, .warc/.wet are WARC (maybe .gz/.zst); other
    /// files are documents. Standard input is WARC if it starts with `WARC/`, else a document.
    Auto,
    /// Every input is one document (text or HTML).
    Document,
    /// Every input is JSON Lines.
    Jsonl,
    /// Every input is WARC/WET.
    Warc,
}

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

#[derive(Args)]
#[command(after_help = "Examples:
  rinse clean seeds                          # writes cleaned/
  rinse clean a.txt b/ c.html -o out         # several inputs: out/a.txt, out/b/..., out/c.txt
  cat page.html | rinse clean - > body.txt   # one document, body to standard output
  rinse clean crawl.jsonl -o cleaned.jsonl   # records in, records out (.gz/.zst by name)
  rinse clean CC-MAIN.warc.gz -o out.jsonl   # WARC responses / WET conversions as records
  zcat part.jsonl.gz | rinse clean --format jsonl - | gzip > out.jsonl.gz
  rinse clean seeds --check                  # would cleaned/ change? (exit 1 if so)")]
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
    /// Worker threads (default: all cores). Output is identical for any number.
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// How to read inputs.
    #[arg(long, value_enum, default_value_t = FormatArg::Auto, value_name = "FORMAT")]
    pub format: FormatArg,
    /// Decode every input with this encoding instead of detecting it (e.g. gbk, big5, utf-16le).
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// Skip inputs (and records) larger than this many bytes (a skipped input is reported
    /// by name and makes the exit status 1).
    #[arg(long, value_name = "BYTES", default_value_t = 64 * 1024 * 1024)]
    pub max_bytes: u64,
    /// Memory the documents being cleaned may use together (each document's peak is
    /// estimated from its size and shape before it starts; one that would exceed this
    /// fails alone). Default: half the address-space limit, or the cgroup limit or the
    /// machine's memory less 512 MB.
    #[arg(long, value_name = "BYTES")]
    pub max_memory: Option<u64>,
    /// Also clean hidden files and folders.
    #[arg(long)]
    pub hidden: bool,
    /// Do not skip files that .gitignore / .ignore files exclude.
    #[arg(long)]
    pub no_ignore: bool,
    /// Only clean files matching this glob; `!GLOB` excludes. Repeatable.
    #[arg(short, long = "glob", value_name = "GLOB")]
    pub globs: Vec<String>,
    /// Follow symbolic links that lead outside an input folder (reported and skipped
    /// otherwise).
    #[arg(short = 'L', long)]
    pub follow: bool,
    /// JSON Lines field with plain text.
    #[arg(long, value_name = "NAME", default_value = "text")]
    pub text_field: String,
    /// JSON Lines field with HTML (used when present, before the text field).
    #[arg(long, value_name = "NAME", default_value = "html")]
    pub html_field: String,
    /// JSON Lines field with the record id (shown in messages).
    #[arg(long, value_name = "NAME", default_value = "id")]
    pub id_field: String,
    /// JSON Lines field with the page URL (site scopes use it).
    #[arg(long, value_name = "NAME", default_value = "url")]
    pub url_field: String,
    /// Field added to each output record with the body, metadata, counts and provenance.
    #[arg(long, value_name = "NAME", default_value = "rinse")]
    pub output_field: String,
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
    #[arg(long, value_enum, default_value_t = super::review_io::ColorChoice::Auto, value_name = "WHEN")]
    pub color: super::review_io::ColorChoice,
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
    let output = output_of(&a);
    if a.json && output == Output::Stdout {
        return Err("error: --json prints the summary on standard output, which carries the output here; use -o FILE or -o DIR".into());
    }
    let cleaner = Cleaner::new(ruleset);
    let mut opts = Options::new(a.inputs.clone(), output.clone());
    opts.jobs = a.jobs;
    opts.progress = !a.quiet && !a.json && std::io::stderr().is_terminal();
    opts.decode = DecodeOptions {
        encoding,
        max_bytes: Some(a.max_bytes),
    };
    opts.allow_output_in_input = a.allow_output_in_input;
    opts.max_memory = a.max_memory;
    opts.walk = WalkOptions {
        hidden: a.hidden,
        no_ignore: a.no_ignore,
        globs: a.globs.clone(),
        follow: a.follow,
    };
    opts.format = match a.format {
        FormatArg::Auto => Format::Auto,
        FormatArg::Document => Format::Document,
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Warc => Format::Warc,
    };
    opts.records.fields = rinse::input::jsonl::Fields {
        text: a.text_field.clone(),
        html: a.html_field.clone(),
        id: a.id_field.clone(),
        url: a.url_field.clone(),
    };
    opts.records.output_field = a.output_field.clone();
    opts.records.provenance = match a.provenance {
        ProvenanceArg::Full => ProvenanceLevel::Full,
        ProvenanceArg::Summary => ProvenanceLevel::Summary,
        ProvenanceArg::None => ProvenanceLevel::None,
    };
    if a.check || a.compare.is_some() {
        let snapshot = a.compare.clone().unwrap_or_else(|| match &output {
            Output::Folder(o) => o.clone(),
            _ => PathBuf::from("cleaned"),
        });
        opts.output = Output::DryRun;
        return super::check::run(&cleaner, &opts, &snapshot, a.color.enabled(), a.quiet);
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
