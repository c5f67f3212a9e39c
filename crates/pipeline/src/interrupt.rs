//! Ctrl-C and SIGTERM: the first signal stops new work and lets the documents in progress
//! finish (their outputs are written whole, in pairs); a second one removes the temporary
//! files being written and exits at once with status 130, never between the two renames
//! that commit a body and its provenance.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, RwLock};

/// Set by the first signal: no new document is started; the ones in progress finish.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Temporary files being written, and whether the process is exiting (then no new one
/// may be created, so none is left behind).
struct InFlight {
    closing: bool,
    temps: Vec<PathBuf>,
}

static IN_FLIGHT: Mutex<InFlight> = Mutex::new(InFlight {
    closing: false,
    temps: Vec::new(),
});

/// Held (shared) while a pair of outputs is being renamed into place; the second signal
/// takes it exclusively, so it never exits between a body's rename and its provenance's.
pub(crate) static COMMIT: RwLock<()> = RwLock::new(());

/// Whether the run was interrupted.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}

/// Installs the handler for SIGINT (Ctrl-C) and SIGTERM. See the module docs. Installing
/// twice is an error from `ctrlc`.
pub fn install_interrupt_handler() -> Result<(), String> {
    ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            let _commits = COMMIT.write().unwrap_or_else(|p| p.into_inner());
            let mut list = IN_FLIGHT.lock().unwrap_or_else(|p| p.into_inner());
            list.closing = true;
            // Newest first: a pair's body temp goes before its provenance temp, so a
            // body temp is never left alone (which would read as a committed pair).
            for p in list.temps.iter().rev() {
                let _ = std::fs::remove_file(p);
            }
            eprintln!("interrupted twice: stopped; temporary files removed");
            std::process::exit(130);
        }
        eprintln!("interrupted: finishing the documents in progress (Ctrl-C again to stop now)");
    })
    .map_err(|e| format!("cannot install the Ctrl-C handler: {e}"))
}

/// Creates `path` (a new temporary file, mode from the umask) and registers it so a second
/// signal removes it. Fails once the process is exiting.
pub(crate) fn create_temp(path: &Path) -> std::io::Result<std::fs::File> {
    let mut list = IN_FLIGHT.lock().unwrap_or_else(|p| p.into_inner());
    if list.closing {
        return Err(std::io::Error::other("interrupted"));
    }
    let f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)?;
    list.temps.push(path.to_path_buf());
    Ok(f)
}

/// Forgets a temporary file (renamed into place or removed).
pub(crate) fn forget_temp(path: &Path) {
    let mut list = IN_FLIGHT.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(i) = list.temps.iter().position(|p| p == path) {
        // Keep the order of creation (see the handler).
        list.temps.remove(i);
    }
}

#[cfg(test)]
pub(crate) fn in_flight_is_empty() -> bool {
    IN_FLIGHT.lock().unwrap().temps.is_empty()
}
