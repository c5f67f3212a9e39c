//! A memory budget for the documents being cleaned at once.
//!
//! Cleaning costs memory linear in a document's size, but the factor depends on its shape:
//! about 3 to 6 times the bytes for prose, and up to 140 times for millions of identical
//! one-character lines (per-line state for lines that may repeat: 16 MB of `a\n` peaked at
//! 2.3 GB resident). An allocation failure aborts the process, losing the whole run, so
//! each document's peak is estimated before it starts ([`estimate`]: from its size, its
//! line breaks and its tags, an upper bound fitted to `benches/scaling.rs` and measured
//! runs) and reserved from one budget shared by the workers. A document waits until its
//! reservation fits beside the ones in progress; one that could never fit fails alone with
//! a message, and the run goes on. Whether a document fits depends only on its estimate and
//! the budget, never on `--jobs` or timing, so outputs stay the same for any thread count.

use std::sync::{Condvar, Mutex};

/// Bytes of peak memory per input byte, whatever the shape (input, decoded text, body and
/// per-byte structures, with allocator slack).
pub const PER_BYTE: u64 = 6;
/// Bytes of peak memory per line (or per HTML tag that may start a block): the per-line
/// state of the engine at its worst (short lines that repeat), with allocator slack.
pub const PER_LINE: u64 = 300;
/// Share of an address-space limit (`ulimit -v`) left to documents: the rest is the
/// program, its thread stacks and the allocator's reserved arenas, which count against
/// such a limit although they are mostly not used.
const ADDRESS_SPACE_SHARE: u64 = 2;
/// Memory kept back from a resident-memory limit (cgroup, physical memory) for the program
/// itself: the rules, the windows of records being read, the output buffers.
const RESIDENT_RESERVE: u64 = 512 << 20;

/// The estimated peak memory of cleaning a document of these bytes: [`PER_BYTE`] per byte
/// plus [`PER_LINE`] per line break, or per two `<` when markup gives more (an HTML page's
/// blocks become lines).
pub fn estimate(bytes: &[u8]) -> u64 {
    let lines = memchr::memchr_iter(b'\n', bytes).count() as u64 + 1;
    let tags = memchr::memchr_iter(b'<', bytes).count() as u64 / 2;
    (bytes.len() as u64)
        .saturating_mul(PER_BYTE)
        .saturating_add(lines.max(tags).saturating_mul(PER_LINE))
}

/// Where the budget's size came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `--max-memory`.
    Given,
    /// Half the address-space limit (`ulimit -v`).
    AddressSpace(u64),
    /// The data-segment limit (`ulimit -d`) less a reserve.
    Data(u64),
    /// The cgroup memory limit less a reserve.
    Cgroup(u64),
    /// The machine's memory less a reserve.
    Machine(u64),
    /// Nothing known: no limit.
    Unknown,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Given => f.write_str("--max-memory"),
            Origin::AddressSpace(l) => {
                write!(f, "half the address-space limit of {}", human(*l))
            }
            Origin::Data(l) => write!(f, "the data-size limit of {} less a reserve", human(*l)),
            Origin::Cgroup(l) => {
                write!(f, "the cgroup memory limit of {} less a reserve", human(*l))
            }
            Origin::Machine(l) => write!(f, "the machine's {} less a reserve", human(*l)),
            Origin::Unknown => f.write_str("no known limit"),
        }
    }
}

/// `n` bytes for people (`1.5 GB`, `300 MB`).
pub fn human(n: u64) -> String {
    if n >= 1 << 30 {
        format!("{:.1} GB", n as f64 / (1u64 << 30) as f64)
    } else {
        format!("{:.1} MB", n as f64 / (1u64 << 20) as f64)
    }
}

/// The shared budget.
#[derive(Debug)]
pub struct Budget {
    total: u64,
    origin: Origin,
    used: Mutex<u64>,
    freed: Condvar,
}

/// A document's share of the budget, given back when dropped.
#[derive(Debug)]
pub struct Reservation<'a> {
    budget: &'a Budget,
    bytes: u64,
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        let mut used = self.budget.used.lock().unwrap_or_else(|p| p.into_inner());
        *used -= self.bytes;
        self.budget.freed.notify_all();
    }
}

/// A document whose estimate exceeds the whole budget.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("needs an estimated {} of memory to clean ({} in {} lines), more than the {} that documents may use ({}); not cleaned. Raise --max-memory if the machine has the memory", human(*.need), human(*.bytes), super::summary::thousands(*.lines), human(*.total), .origin)]
pub struct OverBudget {
    /// The estimate.
    pub need: u64,
    /// The document's size.
    pub bytes: u64,
    /// Its lines.
    pub lines: u64,
    /// The budget.
    pub total: u64,
    /// Where the budget came from.
    pub origin: Origin,
}

impl Budget {
    /// A budget of `total` bytes.
    pub fn new(total: u64, origin: Origin) -> Budget {
        Budget {
            total,
            origin,
            used: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// `given` bytes, or what the system allows: the smallest of half the address-space
    /// limit, the data-size limit, the cgroup limit and the machine's memory (the last
    /// three less a reserve).
    pub fn for_run(given: Option<u64>) -> Budget {
        if let Some(g) = given {
            return Budget::new(g, Origin::Given);
        }
        let mut best = (u64::MAX, Origin::Unknown);
        let mut consider =
            |limit: Option<u64>, budget: fn(u64) -> u64, origin: fn(u64) -> Origin| {
                if let Some(l) = limit {
                    if budget(l) < best.0 {
                        best = (budget(l), origin(l));
                    }
                }
            };
        let reserve = |l: u64| l.saturating_sub(RESIDENT_RESERVE).max(l / 4);
        consider(
            rlimit(Limit::AddressSpace),
            |l| l / ADDRESS_SPACE_SHARE,
            Origin::AddressSpace,
        );
        consider(rlimit(Limit::Data), reserve, Origin::Data);
        consider(cgroup_limit(), reserve, Origin::Cgroup);
        consider(machine_memory(), reserve, Origin::Machine);
        Budget::new(best.0, best.1)
    }

    /// The budget's size.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Reserves what cleaning `bytes` needs, waiting for documents in progress to give
    /// theirs back when it does not fit beside them; fails when it would never fit.
    pub fn reserve(&self, bytes: &[u8]) -> Result<Reservation<'_>, OverBudget> {
        let need = estimate(bytes);
        if need > self.total {
            return Err(OverBudget {
                need,
                bytes: bytes.len() as u64,
                lines: memchr::memchr_iter(b'\n', bytes).count() as u64 + 1,
                total: self.total,
                origin: self.origin,
            });
        }
        let mut used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        // Every holder is a document being cleaned, which gives its share back when done.
        while *used + need > self.total {
            used = self.freed.wait(used).unwrap_or_else(|p| p.into_inner());
        }
        *used += need;
        Ok(Reservation {
            budget: self,
            bytes: need,
        })
    }
}

enum Limit {
    AddressSpace,
    Data,
}

#[cfg(unix)]
fn rlimit(which: Limit) -> Option<u64> {
    let resource = match which {
        Limit::AddressSpace => libc::RLIMIT_AS,
        Limit::Data => libc::RLIMIT_DATA,
    };
    let mut r = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct we pass.
    if unsafe { libc::getrlimit(resource, &mut r) } != 0 || r.rlim_cur == libc::RLIM_INFINITY {
        return None;
    }
    Some(r.rlim_cur)
}

#[cfg(not(unix))]
fn rlimit(_: Limit) -> Option<u64> {
    None
}

/// The cgroup v2 (or v1) memory limit of this process, when there is one.
fn cgroup_limit() -> Option<u64> {
    [
        "/sys/fs/cgroup/memory.max",
        "/sys/fs/cgroup/memory/memory.limit_in_bytes",
    ]
    .iter()
    .find_map(|p| std::fs::read_to_string(p).ok()?.trim().parse::<u64>().ok())
    .filter(|&l| l < 1 << 60)
}

/// Physical memory (`MemTotal` in `/proc/meminfo`).
fn machine_memory() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_follow_size_and_shape() {
        let prose = "这是一段很长的中文正文，".repeat(10_000);
        let lines = "a\n".repeat(60_000);
        // Same size, very different shapes.
        assert_eq!(
            estimate(lines.as_bytes()),
            120_000 * PER_BYTE + 60_001 * PER_LINE
        );
        assert!(estimate(lines.as_bytes()) > 20 * estimate(&prose.as_bytes()[..120_000]));
        let tags = "<p>a</p>".repeat(1000);
        assert_eq!(estimate(tags.as_bytes()), 8000 * PER_BYTE + 1000 * PER_LINE);
    }

    #[test]
    fn a_document_over_the_budget_fails_alone_and_others_wait_their_turn() {
        let b = Budget::new(estimate(&[b'x'; 1000]), Origin::Given);
        let e = b.reserve(&[b'\n'; 1000]).unwrap_err();
        assert!(e.to_string().contains("more than the"), "{e}");
        let first = b.reserve(&[b'x'; 600]).unwrap();
        let done = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|s| {
            let waiter = s.spawn(|| {
                let _r = b.reserve(&[b'x'; 600]).unwrap();
                assert!(done.load(std::sync::atomic::Ordering::SeqCst), "waited");
            });
            done.store(true, std::sync::atomic::Ordering::SeqCst);
            drop(first);
            waiter.join().unwrap();
        });
        assert_eq!(*b.used.lock().unwrap(), 0);
    }
}
