//! One module per command; each exposes `Args` and `run(args) -> Result<ExitCode, String>`
//! where the error is a message ready to print (exit status 2).

pub mod check;
pub mod clean;
pub mod common;
pub mod diff;
pub mod eval;
pub mod explain;
pub mod inputs;
pub mod rules;
pub mod shell;
pub mod stats;
pub mod term;
pub mod watch;
