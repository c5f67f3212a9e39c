//! The `rinse` command line. Parsing and printing only; the work is in the library.

mod cli;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

/// The version shown by `--version`: the package version and, when built from a git
/// checkout, the commit (see build.rs).
const VERSION: &str = env!("RINSE_VERSION");

/// Clean scraped web articles (Chinese news, forum reposts) into article bodies, recording
/// which rule removed what and why.
#[derive(Parser)]
#[command(name = "rinse", version = VERSION, about, long_about = None)]
#[command(
    after_help = "Examples:\n  rinse clean seeds                      # writes cleaned/ and prints a summary\n  rinse clean IN -o OUT --rules my-rules/ --jobs 2\n  rinse eval --gold tests/gold cleaned   # precision/recall/F1 against gold bodies"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Clean files, folders, standard input, JSON Lines or WARC: writes OUT/<name>.txt (the
    /// body) and OUT/<name>.json (provenance: source, metadata, every edit with its rule),
    /// or JSON Lines records.
    Clean(Box<cli::clean::CleanArgs>),
    /// Score cleaned bodies against gold bodies (character precision/recall/F1).
    Eval(cli::eval::EvalArgs),
    /// Show raw against cleaned: removed lines with the rule that removed them in a margin,
    /// replaced and removed spans inside lines, or a self-contained HTML report (--html).
    Diff(cli::diff::DiffArgs),
    /// Explain why a raw line was removed, changed or kept (FILE:LINE), or every edit (FILE).
    Explain(cli::explain::ExplainArgs),
    /// What each rule did across a corpus: documents, lines, characters, share; rules that
    /// never fired; warnings about greedy rules.
    Stats(cli::stats::StatsArgs),
    /// Rule authoring: list, check, test (run examples), show, export the defaults.
    Rules(cli::rules::RulesArgs),
    /// Re-check rules and re-clean a folder in memory on every rule edit; print what changed.
    #[command(
        after_help = "Examples:\n  rinse watch seeds --rules my-rules/          # edit my-rules/*.toml and watch\n  rinse watch seeds --rules my-rules/ --once   # check and clean once, then exit\n\nA broken rule file prints its diagnostics and the last good rules stay in use."
    )]
    Watch(cli::watch::WatchArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(cli::shell::CompletionsArgs),
    /// Print the man page (roff), or write one page per command with --dir.
    Man(cli::shell::ManArgs),
}

fn main() -> ExitCode {
    // `rinse diff … | head` should end quietly, like other Unix tools, instead of
    // panicking on a closed pipe: restore the default SIGPIPE action Rust turns off.
    #[cfg(unix)]
    // SAFETY: called before any other thread exists; only resets a signal disposition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Clean(a) => cli::clean::run(*a),
        Command::Eval(a) => cli::eval::run(a),
        Command::Diff(a) => cli::diff::run(a),
        Command::Explain(a) => cli::explain::run(a),
        Command::Stats(a) => cli::stats::run(a),
        Command::Rules(a) => cli::rules::run(a),
        Command::Watch(a) => cli::watch::run(a),
        Command::Completions(a) => cli::shell::completions(a, Cli::command()),
        Command::Man(a) => cli::shell::man(a, Cli::command()),
    };
    match result {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("{msg}");
            ExitCode::from(2)
        }
    }
}
