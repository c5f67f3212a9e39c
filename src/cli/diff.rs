//! `rinse diff`: raw against cleaned, with the rule behind every edit.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use rinse::review::{diff, html};
use rinse::Cleaner;

use super::common::{load_rules_with, RuleArgs};
use super::review_io::{for_each_ordered, list_inputs, read_document, ColorChoice, Out};

/// Arguments of `rinse diff`.
#[derive(Args)]
#[command(after_help = "\
Each raw line is printed as  NUMBER MARK RULE │ TEXT  where RULE is the rule id (with
[category] when the id does not start with it) and MARK is
  -  the whole line was removed by RULE
  ~  text inside the line was removed or replaced: [-removed-]{+replacement+}
     (struck through in red / green with colour); spans are exact characters
  ·  a blank line dropped by white-space normalisation (dimmed, no tag)
White-space normalisation (trimming, collapsing runs) is not marked inside lines
unless --show-whitespace is given. Each document starts with a one-line summary.

Examples:
  rinse diff seeds/001_a54c87d053133b73.txt        # one document
  rinse diff seeds --only-changed --context 2       # a folder, changes with 2 lines around
  rinse diff seeds --stat                           # only the summary line per document
  rinse diff seeds --color always | less -R         # colours through a pager
  rinse diff seeds --html review.html               # a self-contained report for a browser
  NO_COLOR=1 rinse diff seeds                       # no colours even on a terminal")]
pub struct DiffArgs {
    /// A raw file, or a folder of raw files (walked recursively).
    pub input: PathBuf,
    /// Skip documents where no rule changed anything (white space aside).
    #[arg(long)]
    pub only_changed: bool,
    /// Show only N unchanged lines around each change; longer unchanged runs collapse into
    /// one `⋮ K unchanged lines` line. Default: show every line.
    #[arg(short = 'C', long, value_name = "N")]
    pub context: Option<usize>,
    /// Print only the one-line summary of each document.
    #[arg(long, conflicts_with = "html")]
    pub stat: bool,
    /// Tag white-space normalisation like any other rule instead of dimming it.
    #[arg(long)]
    pub show_whitespace: bool,
    /// Write a self-contained HTML report to FILE instead of printing a diff.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Colour output: auto (a terminal without NO_COLOR), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Do not pipe output through a pager ($RINSE_PAGER, $PAGER or less) on a terminal.
    #[arg(long)]
    pub no_pager: bool,
    /// Exit with status 1 when any document was changed by a rule (like `git diff
    /// --exit-code`).
    #[arg(long)]
    pub exit_code: bool,
    #[command(flatten)]
    pub rules: RuleArgs,
}

/// Runs `rinse diff`.
pub fn run(a: DiffArgs) -> Result<ExitCode, String> {
    let cleaner = Cleaner::new(load_rules_with(&a.rules, a.color)?);
    let files = list_inputs(&a.input)?;
    if let Some(path) = &a.html {
        return write_html(&a, &cleaner, &files, path);
    }
    let opts = diff::DiffOptions {
        color: a.color.enabled(),
        context: a.context,
        show_whitespace: a.show_whitespace,
    };
    let mut out = Out::open(a.no_pager);
    let (mut docs, mut changed, mut skipped) = (0usize, 0usize, 0usize);
    let mut first = true;
    let res = for_each_ordered(
        &files,
        |_, f| {
            let doc = read_document(f)?;
            let cleaned = cleaner.clean(&doc).map_err(|e| e.to_string())?;
            let mut s = String::new();
            let summary = if a.stat {
                let lines = rinse::review::annotate(&doc.text, &cleaned.edits);
                let summary = rinse::review::DocSummary::new(&doc.text, &lines, &cleaned);
                diff::render_header(&mut s, &f.display, &summary, opts.color);
                summary
            } else {
                diff::render(&mut s, &f.display, &doc.text, &cleaned, &opts)
            };
            Ok::<_, String>((s, summary.changed()))
        },
        |f, r| match r {
            Err(why) => {
                eprintln!(
                    "skipped {}: {}",
                    rinse::batch::terminal_safe(&f.display),
                    rinse::batch::terminal_safe(&why.to_string())
                );
                skipped += 1;
                Ok(true)
            }
            Ok((text, is_changed)) => {
                docs += 1;
                if is_changed {
                    changed += 1;
                } else if a.only_changed {
                    return Ok(true);
                }
                if !first && !a.stat {
                    out.write("\n")?;
                }
                first = false;
                out.write(&text)
            }
        },
    );
    if res.is_ok() && files.len() > 1 {
        let _ = out.write(&format!(
            "{}{docs} document{}, {changed} changed by rules{}\n",
            if a.stat { "" } else { "\n" },
            rinse::review::plural(docs),
            if skipped > 0 {
                format!(", {skipped} skipped")
            } else {
                String::new()
            }
        ));
    }
    out.finish();
    res?;
    Ok(if a.exit_code && changed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn write_html(
    a: &DiffArgs,
    cleaner: &Cleaner,
    files: &[super::review_io::InputFile],
    path: &std::path::Path,
) -> Result<ExitCode, String> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let tmp = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| format!("error: cannot write {}: {e}", path.display()))?;
    let io_err = |e: std::io::Error| format!("error: writing {}: {e}", path.display());
    let title = format!("rinse review: {}", a.input.display());
    let mut report = html::Report::begin(
        std::io::BufWriter::new(tmp.as_file()),
        &title,
        cleaner.ruleset(),
    )
    .map_err(io_err)?;
    let (mut docs, mut changed) = (0usize, 0usize);
    for_each_ordered(
        files,
        |_, f| {
            let doc = read_document(f)?;
            let cleaned = cleaner.clean(&doc).map_err(|e| e.to_string())?;
            Ok::<_, String>(html::render_document(&f.rel, &doc.text, &cleaned))
        },
        |f, r| {
            match r {
                Err(why) => eprintln!(
                    "skipped {}: {}",
                    rinse::batch::terminal_safe(&f.display),
                    rinse::batch::terminal_safe(&why.to_string())
                ),
                Ok(rendered) => {
                    if rendered.summary.changed() {
                        changed += 1;
                    } else if a.only_changed {
                        return Ok(true);
                    }
                    docs += 1;
                    report.add(rendered).map_err(io_err)?;
                }
            }
            Ok(true)
        },
    )?;
    report.finish().map_err(io_err)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644));
    }
    tmp.persist(path)
        .map_err(|e| format!("error: cannot write {}: {e}", path.display()))?;
    eprintln!(
        "wrote {}: {docs} document{}, {changed} changed by rules",
        path.display(),
        rinse::review::plural(docs)
    );
    Ok(if a.exit_code && changed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
