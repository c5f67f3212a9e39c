//! Writing outputs: the output folder (a lock against concurrent runs, a check that no
//! output can land in the inputs, recovery of a killed run's temporary files, body and
//! provenance committed as a pair, one sync at the end) and record files (JSON Lines,
//! compressed by extension, renamed into place when complete).
//!
//! A pair is written as two temporary files, `.rinse-tmp-NAME.json.part` then
//! `.rinse-tmp-NAME.txt.part`, and committed by renaming the provenance first and the body
//! last: the provenance's rename is the commit marker. Whatever instant a process dies at,
//! the temporary files say how far it got: the provenance temp present (with or without the
//! body temp) means nothing was committed, and both are removed; the body temp alone means
//! the provenance was renamed after both were written whole, and the next run finishes the
//! body's rename. Recovery decides per pair, never per file (deciding file by file, in
//! directory order, once removed a provenance temp and then promoted its half-written
//! body), and temporary files are removed body first, so a body temp is never left alone
//! unless its pair was committed. Temporary names end in `.part`, which no output name
//! does (outputs end in `.txt`, `.json` or `.jsonl`), so an input named like a temporary
//! file (`.rinse-tmp-foo.txt`) never collides with one. Files are created with the default
//! mode (the umask applies).
//!
//! The lock file is created fresh (`O_CREAT|O_EXCL|O_NOFOLLOW`) and written only then; an
//! existing one (left by a killed run) is opened read-only, never followed if it is a
//! symbolic link, locked and removed. A lock name that is a link into an input (symbolic
//! or hard) can therefore never be written through.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::interrupt::{create_temp, forget_temp, COMMIT};
use super::BatchError;

/// Prefix of every temporary file rinse creates in an output folder.
pub const TEMP_PREFIX: &str = ".rinse-tmp-";
/// Suffix of every temporary file rinse creates; no output name ends in it.
pub const TEMP_SUFFIX: &str = ".part";
/// The lock file held while a run writes into an output folder.
pub const LOCK_NAME: &str = ".rinse.lock";

/// The canonical form of `p`, which may not exist yet: its nearest existing ancestor
/// canonicalised, with the rest appended.
pub fn resolve(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().map_or_else(|_| p.to_path_buf(), |d| d.join(p))
    };
    let mut probe = abs.as_path();
    let mut tail = Vec::new();
    loop {
        if let Ok(c) = probe.canonicalize() {
            let mut out = c;
            for t in tail.iter().rev() {
                out.push(t);
            }
            return out;
        }
        match (probe.file_name(), probe.parent()) {
            (Some(n), Some(parent)) => {
                tail.push(n.to_os_string());
                probe = parent;
            }
            _ => return abs,
        }
    }
}

/// An input as the safety checks see it.
#[derive(Debug, Clone)]
pub struct InputRoot {
    /// As given.
    pub given: PathBuf,
    /// Canonical.
    pub canon: PathBuf,
    /// A folder (its whole tree is input) or a file.
    pub is_dir: bool,
}

/// Refuses an output location from which an output could overwrite an input: the same
/// folder as a file input (its outputs land among its siblings), a folder inside or equal
/// to an input folder (unless `allow_inside`), or one that contains an input.
pub fn check_location(
    out: &Path,
    inputs: &[InputRoot],
    allow_inside: bool,
) -> Result<(), BatchError> {
    let out_canon = resolve(out);
    for i in inputs {
        if i.is_dir {
            if out_canon == i.canon || i.canon.starts_with(&out_canon) {
                return Err(BatchError::Overlap(format!(
                    "input folder {} is inside the output folder {}: outputs would be written into the inputs. Choose an -o outside it",
                    i.given.display(),
                    out.display()
                )));
            }
            if out_canon.starts_with(&i.canon) && !allow_inside {
                return Err(BatchError::OutputInsideInput {
                    out: out.to_path_buf(),
                    input: i.given.clone(),
                });
            }
        } else if i.canon.parent() == Some(out_canon.as_path()) || i.canon.starts_with(&out_canon) {
            return Err(BatchError::Overlap(format!(
                "output folder {} holds the input {}: its outputs would overwrite it or the files beside it. Choose another -o",
                out.display(),
                i.given.display()
            )));
        }
    }
    Ok(())
}

/// An output folder being written by this run.
pub struct OutputDir {
    root: PathBuf,
    lock: Option<FileLock>,
}

impl OutputDir {
    /// Opens `root` for a run: refuses a file there, creates it, takes the lock, refuses
    /// symbolic links inside it that lead into an input, and recovers a killed run's
    /// temporary files. Nothing is written before these checks pass (besides creating the
    /// folder and its lock file).
    pub fn open(root: &Path, inputs: &[InputRoot]) -> Result<OutputDir, BatchError> {
        let err = |e: io::Error| BatchError::Output(root.to_path_buf(), e);
        if root.exists() && !root.is_dir() {
            return Err(BatchError::OutputIsFile(root.to_path_buf()));
        }
        let existed = root.exists();
        // The checks come first: a link into an input (the lock's own name included) is
        // refused before anything is created or written.
        let temps = if existed {
            scan(root, inputs)?
        } else {
            Vec::new()
        };
        std::fs::create_dir_all(root).map_err(err)?;
        let lock = FileLock::take(&root.join(LOCK_NAME))
            .map_err(|e| lock_error(e, root, BatchError::Locked(root.to_path_buf())))?;
        recover(&temps);
        Ok(OutputDir {
            root: root.to_path_buf(),
            lock: Some(lock),
        })
    }

    /// The folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Writes `body` to `rel` (a `.txt` or `.md` path) and `provenance` beside it (`.json`)
    /// as a pair: both or neither, see the module docs.
    pub fn write_pair(&self, rel: &Path, body: &[u8], provenance: &[u8]) -> io::Result<()> {
        let body_path = self.root.join(rel);
        let json_path = body_path.with_extension("json");
        let dir = body_path.parent().unwrap_or(&self.root);
        std::fs::create_dir_all(dir)?;
        let stem = body_path.file_stem().unwrap_or_default();
        let temp = |ext: &str| {
            let mut n = OsString::from(TEMP_PREFIX);
            n.push(stem);
            n.push(ext);
            n.push(TEMP_SUFFIX);
            dir.join(n)
        };
        let body_ext = format!(
            ".{}",
            body_path.extension().unwrap_or_default().to_string_lossy()
        );
        let (tmp_json, tmp_body) = (temp(".json"), temp(&body_ext));
        let written = write_temp(&tmp_json, provenance).and_then(|_| write_temp(&tmp_body, body));
        if let Err(e) = written {
            // Body first: a body temp left alone would read as a committed pair.
            for t in [&tmp_body, &tmp_json] {
                let _ = std::fs::remove_file(t);
                forget_temp(t);
            }
            return Err(e);
        }
        let _commit = COMMIT.read().unwrap_or_else(|p| p.into_inner());
        let r = std::fs::rename(&tmp_json, &json_path)
            .and_then(|_| std::fs::rename(&tmp_body, &body_path));
        for t in [&tmp_body, &tmp_json] {
            if r.is_err() {
                let _ = std::fs::remove_file(t);
            }
            forget_temp(t);
        }
        r
    }

    /// Writes one whole file (the manifest) atomically.
    pub fn write_file(&self, rel: &Path, data: &[u8]) -> io::Result<()> {
        let path = self.root.join(rel);
        let mut w = AtomicFile::create(&path)?;
        w.write_all(data)?;
        w.commit()
    }

    /// Ends the run: syncs the file system once (so a reported success is on disk) and
    /// releases the lock.
    pub fn finish(mut self) -> io::Result<()> {
        let r = sync_fs(&self.root);
        self.release();
        r
    }

    fn release(&mut self) {
        self.lock.take();
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        self.release();
    }
}

/// Walks an existing output tree once: symbolic links leading into an input are refused;
/// temporary files are collected for recovery.
fn scan(root: &Path, inputs: &[InputRoot]) -> Result<Vec<PathBuf>, BatchError> {
    let mut temps = Vec::new();
    for e in walkdir::WalkDir::new(root).follow_links(false) {
        let Ok(e) = e else { continue };
        let name = e.file_name().to_string_lossy();
        if e.path_is_symlink() {
            if let Ok(target) = e.path().canonicalize() {
                let hit = inputs.iter().any(|i| {
                    target == i.canon
                        || (i.is_dir && target.starts_with(&i.canon))
                        || (target.is_dir() && i.canon.starts_with(&target))
                });
                if hit {
                    return Err(BatchError::Overlap(format!(
                        "{} is a symbolic link to {}, which is input: outputs written through it would overwrite inputs. Remove the link or choose another -o",
                        e.path().display(),
                        target.display()
                    )));
                }
            }
        } else if e.file_type().is_file()
            && name.starts_with(TEMP_PREFIX)
            && name.ends_with(TEMP_SUFFIX)
        {
            temps.push(e.path().to_path_buf());
        }
    }
    Ok(temps)
}

/// The error for a lock that could not be taken: `busy` when another run holds it.
pub(crate) fn lock_error(e: io::Error, what: &Path, busy: BatchError) -> BatchError {
    match e.kind() {
        io::ErrorKind::WouldBlock => busy,
        _ => BatchError::Output(
            what.to_path_buf(),
            io::Error::new(e.kind(), format!("cannot take the lock: {e}")),
        ),
    }
}

fn write_temp(path: &Path, data: &[u8]) -> io::Result<()> {
    let mut f = create_temp(path)?;
    f.write_all(data)
}

/// Finishes what a killed run left, pair by pair (see the module docs): a body temp
/// (`NAME.txt` or, for Markdown bodies, `NAME.md`) whose provenance temp is gone is renamed
/// into place; every other temporary file is removed.
fn recover(temps: &[PathBuf]) {
    let name = |t: &Path| {
        t.file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string()
    };
    let body_of = |n: &str| -> Option<(String, &'static str)> {
        let rest = n.strip_prefix(TEMP_PREFIX)?;
        [".txt", ".md"].into_iter().find_map(|ext| {
            rest.strip_suffix(&format!("{ext}{TEMP_SUFFIX}"))
                .map(|stem| (stem.to_string(), ext))
        })
    };
    // First the body temps, deciding on partners before anything is removed.
    for t in temps {
        let Some((stem, ext)) = body_of(&name(t)) else {
            continue;
        };
        let partner = t.with_file_name(format!("{TEMP_PREFIX}{stem}.json{TEMP_SUFFIX}"));
        if partner.exists() {
            let _ = std::fs::remove_file(t);
        } else {
            let _ = std::fs::rename(t, t.with_file_name(format!("{stem}{ext}")));
        }
    }
    for t in temps {
        if body_of(&name(t)).is_none() {
            let _ = std::fs::remove_file(t);
        }
    }
}

/// An exclusive lock held through a lock file, removed when dropped.
pub struct FileLock {
    _file: File,
    path: PathBuf,
}

impl FileLock {
    /// Takes the lock at `path`; an error of kind `WouldBlock` when another run holds it.
    /// See the module docs for why the file is only ever created fresh.
    pub fn take(path: &Path) -> io::Result<FileLock> {
        take_lock(path).map(|f| FileLock {
            _file: f,
            path: path.to_path_buf(),
        })
    }

    /// The lock of a records file: `.NAME.rinse.lock` beside it.
    pub fn beside(file: &Path) -> io::Result<FileLock> {
        let mut name = OsString::from(".");
        name.push(file.file_name().unwrap_or_default());
        name.push(".rinse.lock");
        let dir = file.parent().filter(|d| !d.as_os_str().is_empty());
        FileLock::take(&dir.unwrap_or(Path::new(".")).join(name))
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(unix)]
fn flock(f: &File) -> io::Result<()> {
    use std::os::unix::io::AsRawFd;
    // SAFETY: flock on a descriptor we own; no memory is passed.
    if unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
        let e = io::Error::last_os_error();
        return Err(if e.raw_os_error() == Some(libc::EWOULDBLOCK) {
            io::Error::new(io::ErrorKind::WouldBlock, e)
        } else {
            e
        });
    }
    Ok(())
}

#[cfg(unix)]
fn same_file(path: &Path, f: &File) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(path)
        .ok()
        .zip(f.metadata().ok())
        .is_some_and(|(a, b)| a.ino() == b.ino() && a.dev() == b.dev())
}

#[cfg(unix)]
fn take_lock(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    loop {
        let fresh = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .custom_flags(libc::O_NOFOLLOW)
            .open(path);
        match fresh {
            Ok(mut f) => {
                flock(&f)?;
                // Removed as stale between our create and our lock by a run that took it
                // first: that run holds the path now; try again.
                if !same_file(path, &f) {
                    continue;
                }
                let _ = writeln!(f, "{}", std::process::id());
                return Ok(f);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
        // An existing lock file: held by a running rinse, or left by a killed one. It is
        // only read and locked, never written; a link is never followed.
        let meta = match std::fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        if !meta.file_type().is_file() {
            return Err(io::Error::other(format!(
                "{} is not a regular file (a symbolic link?); remove it",
                path.display()
            )));
        }
        let old = match std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(path)
        {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        flock(&old)?;
        // Ours now, so nobody uses it: a stale lock. Remove it (only the name: a hard
        // link's other names are untouched) and create a fresh one.
        if same_file(path, &old) {
            std::fs::remove_file(path)?;
        }
    }
}

#[cfg(not(unix))]
fn take_lock(path: &Path) -> io::Result<File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// One sync of the file system holding `dir` (Linux `syncfs`; `sync` elsewhere on Unix).
fn sync_fs(dir: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::io::AsRawFd;
        let f = File::open(dir)?;
        // SAFETY: syncfs on a descriptor we own.
        if unsafe { libc::syncfs(f.as_raw_fd()) } != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    #[cfg(all(unix, not(target_os = "linux")))]
    {
        let _ = dir;
        // SAFETY: sync takes no arguments.
        unsafe { libc::sync() };
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// A file written under a temporary name beside its target and renamed into place by
/// [`AtomicFile::commit`]; dropped without commit, it is removed.
pub struct AtomicFile {
    file: io::BufWriter<File>,
    temp: PathBuf,
    target: PathBuf,
    done: bool,
}

impl AtomicFile {
    /// Starts writing `target` (its folder is created).
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        let dir = target.parent().filter(|d| !d.as_os_str().is_empty());
        if let Some(d) = dir {
            std::fs::create_dir_all(d)?;
        }
        let mut name = OsString::from(format!("{TEMP_PREFIX}{}-", std::process::id()));
        name.push(target.file_name().unwrap_or_default());
        name.push(TEMP_SUFFIX);
        let temp = dir.unwrap_or(Path::new(".")).join(name);
        let file = create_temp(&temp)?;
        Ok(AtomicFile {
            file: io::BufWriter::with_capacity(1 << 16, file),
            temp,
            target: target.to_path_buf(),
            done: false,
        })
    }

    /// Flushes and renames into place.
    pub fn commit(mut self) -> io::Result<()> {
        self.file.flush()?;
        let r = std::fs::rename(&self.temp, &self.target);
        self.done = r.is_ok();
        r
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.temp);
        }
        forget_temp(&self.temp);
    }
}

/// Where record lines go: standard output or a file, compressed by the file's extension
/// (`.gz`, `.zst`).
pub enum RecordSink {
    /// Standard output.
    Stdout(io::BufWriter<io::Stdout>),
    /// A plain file.
    Plain(AtomicFile),
    /// gzip.
    Gzip(flate2::write::GzEncoder<AtomicFile>),
    /// zstd.
    Zstd(zstd::Encoder<'static, AtomicFile>),
}

impl RecordSink {
    /// Standard output.
    pub fn stdout() -> RecordSink {
        RecordSink::Stdout(io::BufWriter::with_capacity(1 << 16, io::stdout()))
    }

    /// A file at `path`, compressed if its name ends in `.gz` or `.zst`.
    pub fn file(path: &Path) -> io::Result<RecordSink> {
        let f = AtomicFile::create(path)?;
        let lower = path.to_string_lossy().to_ascii_lowercase();
        Ok(if lower.ends_with(".gz") {
            RecordSink::Gzip(flate2::write::GzEncoder::new(
                f,
                flate2::Compression::default(),
            ))
        } else if lower.ends_with(".zst") {
            RecordSink::Zstd(zstd::Encoder::new(f, 3)?)
        } else {
            RecordSink::Plain(f)
        })
    }

    /// Writes one line (`line` has no newline; one is added).
    pub fn line(&mut self, line: &str) -> io::Result<()> {
        let w: &mut dyn Write = match self {
            RecordSink::Stdout(w) => w,
            RecordSink::Plain(w) => w,
            RecordSink::Gzip(w) => w,
            RecordSink::Zstd(w) => w,
        };
        w.write_all(line.as_bytes())?;
        w.write_all(b"\n")
    }

    /// Ends the stream: flushes standard output, or finishes compression and renames the
    /// file into place.
    pub fn finish(self) -> io::Result<()> {
        match self {
            RecordSink::Stdout(mut w) => w.flush(),
            RecordSink::Plain(f) => f.commit(),
            RecordSink::Gzip(g) => g.finish()?.commit(),
            RecordSink::Zstd(z) => z.finish()?.commit(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_is_written_with_no_temp_left() {
        let dir = tempfile::tempdir().unwrap();
        let out = OutputDir::open(&dir.path().join("out"), &[]).unwrap();
        out.write_pair(Path::new("sub/x.txt"), b"body", b"{}")
            .unwrap();
        let names: Vec<_> = std::fs::read_dir(dir.path().join("out/sub"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        assert_eq!(names, ["x.json", "x.txt"]);
        assert!(super::super::interrupt::in_flight_is_empty());
    }

    #[test]
    fn recovery_rolls_forward_a_half_committed_pair_and_back_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        // Killed between the two renames: new provenance in place, body still a temp.
        std::fs::write(out.join("a.json"), "new").unwrap();
        std::fs::write(out.join("a.txt"), "old").unwrap();
        std::fs::write(out.join(".rinse-tmp-a.txt.part"), "new").unwrap();
        // Killed before committing: both temps, for pairs whose names sort either way
        // round in a directory listing (recovery once decided file by file).
        for n in ["b", "c", "d", "e", "f", "g"] {
            std::fs::write(out.join(format!(".rinse-tmp-o{n}.json.part")), "{}").unwrap();
            std::fs::write(out.join(format!(".rinse-tmp-o{n}.txt.part")), "").unwrap();
        }
        // Killed while writing the provenance temp.
        std::fs::write(out.join(".rinse-tmp-h.json.part"), "{").unwrap();
        // A records file or manifest temp, and a user's file.
        std::fs::write(out.join(".rinse-tmp-123-manifest.jsonl.part"), "x").unwrap();
        std::fs::write(out.join("notes.md"), "mine").unwrap();
        // Outputs of inputs named like temporary files are outputs, not temps.
        std::fs::write(out.join(".rinse-tmp-i.txt"), "output").unwrap();
        std::fs::write(out.join(".rinse-tmp-i.json"), "{}").unwrap();
        drop(OutputDir::open(&out, &[]).unwrap());
        let mut names: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                ".rinse-tmp-i.json",
                ".rinse-tmp-i.txt",
                "a.json",
                "a.txt",
                "notes.md"
            ]
        );
        assert_eq!(std::fs::read_to_string(out.join("a.txt")).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn the_lock_never_writes_into_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("a.txt");
        std::fs::write(&input, "original article text\n").unwrap();
        // A stale lock that is a hard link to an input: locked, unlinked, never written.
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        std::fs::hard_link(&input, out.join(LOCK_NAME)).unwrap();
        let held = OutputDir::open(&out, &[]).unwrap();
        assert_eq!(
            std::fs::read_to_string(&input).unwrap(),
            "original article text\n"
        );
        let pid = std::fs::read_to_string(out.join(LOCK_NAME)).unwrap();
        assert_eq!(pid.trim(), std::process::id().to_string());
        drop(held);
        // A symbolic link as the lock (to a file that is not an input): refused, unwritten.
        let other = dir.path().join("other.txt");
        std::fs::write(&other, "keep").unwrap();
        std::os::unix::fs::symlink(&other, out.join(LOCK_NAME)).unwrap();
        assert!(matches!(
            OutputDir::open(&out, &[]),
            Err(BatchError::Output(_, e)) if e.to_string().contains("not a regular file")
        ));
        assert_eq!(std::fs::read_to_string(&other).unwrap(), "keep");
    }

    #[cfg(unix)]
    #[test]
    fn second_run_is_refused_while_the_lock_is_held() {
        let dir = tempfile::tempdir().unwrap();
        let first = OutputDir::open(dir.path(), &[]).unwrap();
        match OutputDir::open(dir.path(), &[]) {
            Err(BatchError::Locked(_)) => {}
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("second lock taken"),
        }
        first.finish().unwrap();
        assert!(!dir.path().join(LOCK_NAME).exists());
        OutputDir::open(dir.path(), &[]).unwrap();
    }
}
