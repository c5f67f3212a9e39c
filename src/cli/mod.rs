//! One module per command; each exposes `Args` and `run(args) -> Result<ExitCode, String>`
//! where the error is a message ready to print (exit status 2).

pub mod clean;
pub mod common;
pub mod eval;
pub mod rules;
pub mod watch;
