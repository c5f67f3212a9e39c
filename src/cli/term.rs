//! Terminal plumbing shared by the commands: colour choice and the pager.

use std::io::{self, IsTerminal, Write};
use std::process::{Child, Command, Stdio};

use clap::ValueEnum;

/// `--color`: when to use ANSI colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set (non-empty) or TERM is `dumb`.
    Auto,
    /// Always (e.g. piping into `less -R`).
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour standard output.
    pub fn enabled(self) -> bool {
        self.enabled_for(io::stdout().is_terminal())
    }

    /// Whether to colour standard error (rule diagnostics).
    pub fn enabled_stderr(self) -> bool {
        self.enabled_for(io::stderr().is_terminal())
    }

    fn enabled_for(self, terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var("TERM").map_or(true, |t| t != "dumb")
                    && terminal
            }
        }
    }
}

/// Standard output, possibly through a pager. Writing after the reader went away (the
/// user quit the pager, `| head`) reports [`Out::closed`] instead of an error.
pub struct Out {
    pager: Option<Child>,
    stdout: io::Stdout,
    closed: bool,
}

impl Out {
    /// Opens standard output; on a terminal and unless `no_pager`, pipes it through
    /// `$RINSE_PAGER`, `$PAGER` or `less` (with `LESS=FRX` when LESS is unset, so short
    /// output prints directly and colours pass through).
    pub fn open(no_pager: bool) -> Out {
        let mut out = Out {
            pager: None,
            stdout: io::stdout(),
            closed: false,
        };
        if no_pager || !io::stdout().is_terminal() {
            return out;
        }
        let cmd = std::env::var("RINSE_PAGER")
            .or_else(|_| std::env::var("PAGER"))
            .unwrap_or_else(|_| "less".to_string());
        if cmd.trim().is_empty() || cmd.trim() == "cat" {
            return out;
        }
        let mut c = Command::new("sh");
        c.arg("-c").arg(&cmd).stdin(Stdio::piped());
        if std::env::var_os("LESS").is_none() {
            c.env("LESS", "FRX");
        }
        out.pager = c.spawn().ok();
        out
    }

    /// Writes `s`; returns false once the reader has gone away.
    pub fn write(&mut self, s: &str) -> Result<bool, String> {
        if self.closed {
            return Ok(false);
        }
        let r = match self.pager.as_mut().and_then(|p| p.stdin.as_mut()) {
            Some(w) => w.write_all(s.as_bytes()),
            None => self.stdout.write_all(s.as_bytes()),
        };
        match r {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(false)
            }
            Err(e) => Err(format!("error: writing output: {e}")),
        }
    }

    /// Flushes and waits for the pager to exit.
    pub fn finish(mut self) {
        let _ = self.stdout.flush();
        if let Some(mut p) = self.pager.take() {
            drop(p.stdin.take());
            let _ = p.wait();
        }
    }
}
