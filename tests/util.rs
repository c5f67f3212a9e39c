//! Helpers shared by the integration tests.

use std::path::PathBuf;

/// The `rinse` binary built for these tests, with the user's colour and pager settings
/// removed so that output is the same on every machine.
pub fn rinse() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("rinse").unwrap();
    c.env_remove("NO_COLOR")
        .env_remove("PAGER")
        .env_remove("RINSE_PAGER");
    c
}

/// The same binary as a plain [`std::process::Command`], for tests that spawn it, pipe
/// its standard streams or signal it.
pub fn rinse_process() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_rinse"));
    c.env_remove("NO_COLOR")
        .env_remove("PAGER")
        .env_remove("RINSE_PAGER");
    c
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
