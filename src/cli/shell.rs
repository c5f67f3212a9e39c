//! `rinse completions SHELL` and `rinse man`: shell completion scripts and man pages,
//! generated from the command definitions, so they always match `--help`.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

/// Arguments of `rinse completions`.
#[derive(Args)]
#[command(after_help = "\
Examples:
  rinse completions bash > ~/.local/share/bash-completion/completions/rinse
  rinse completions zsh > ~/.zfunc/_rinse        # with fpath+=(~/.zfunc) in ~/.zshrc
  rinse completions fish > ~/.config/fish/completions/rinse.fish")]
pub struct CompletionsArgs {
    /// The shell to write a completion script for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Arguments of `rinse man`.
#[derive(Args)]
#[command(after_help = "\
Examples:
  rinse man | man -l -                 # read it now
  rinse man > ~/.local/share/man/man1/rinse.1
  rinse man --dir ~/.local/share/man/man1   # rinse.1, rinse-clean.1, rinse-rules-test.1, ...")]
pub struct ManArgs {
    /// Write one page per command (rinse.1, rinse-clean.1, ...) into DIR instead of
    /// printing rinse.1.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Prints the completion script for `a.shell`.
pub fn completions(a: CompletionsArgs, mut cmd: clap::Command) -> Result<ExitCode, String> {
    let mut out = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "rinse", &mut out);
    write_stdout(&out)
}

/// Prints the man page, or writes one page per command into `a.dir`.
pub fn man(a: ManArgs, cmd: clap::Command) -> Result<ExitCode, String> {
    match a.dir {
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut out)
                .map_err(|e| format!("error: man page: {e}"))?;
            write_stdout(&out)
        }
        Some(dir) => {
            std::fs::create_dir_all(&dir).map_err(|e| format!("error: {}: {e}", dir.display()))?;
            clap_mangen::generate_to(cmd, &dir)
                .map_err(|e| format!("error: writing man pages to {}: {e}", dir.display()))?;
            eprintln!("wrote man pages to {}", dir.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn write_stdout(bytes: &[u8]) -> Result<ExitCode, String> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| format!("error: writing output: {e}"))?;
    Ok(ExitCode::SUCCESS)
}
