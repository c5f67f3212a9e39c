//! Finding the inputs of a run: files given, folders walked like ripgrep does (the
//! `ignore` crate: hidden and git-ignored files skipped unless asked, `--glob` filters),
//! with their output names planned so that no two inputs write the same output.
//!
//! Outputs mirror the input tree: `dir/a.html` becomes `dir/a.txt` + `dir/a.json`. Two
//! siblings can claim the same output name (`a.txt` and `a.html`; `A.txt` and `a.txt` on a
//! case-insensitive file system; a file `a` and a folder `a.txt`). Siblings are visited in
//! an order where every possible claimant of a name is adjacent (sorted by the case-folded
//! name up to its first dot), so the walk hands such siblings over together as a
//! [`Group`], and the group is cleaned in order by one worker: the same input wins for any
//! number of threads, and memory holds one group per folder level, not a set of every
//! name seen.

use std::collections::VecDeque;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::Format;

/// How folders are walked.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Also clean hidden files and folders (names starting with `.`).
    pub hidden: bool,
    /// Do not read `.gitignore`, `.ignore` and similar files.
    pub no_ignore: bool,
    /// Include/exclude globs, ripgrep style (`*.html`, `!drafts/**`).
    pub globs: Vec<String>,
    /// Follow symbolic links that lead outside the input folder.
    pub follow: bool,
}

/// One input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Where to read it.
    pub abs: PathBuf,
    /// Its path relative to the output root (the input tree mirrored; losslessly, in the
    /// file system's own encoding).
    pub rel: PathBuf,
    /// `rel` as text for messages and records (see [`display_path`]).
    pub display: String,
    /// The input folder it was found in (canonical; for a file given directly, its
    /// folder): sidecar links must stay inside it.
    pub root: PathBuf,
}

/// Sibling documents that may claim the same output names, in order: the first that is
/// cleaned gets a name, later ones are reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The documents.
    pub entries: Vec<Entry>,
    /// Output names (case-folded) already taken by sibling folders, record streams or the
    /// run itself (`manifest.jsonl`).
    pub taken: Vec<String>,
}

/// What the walk hands over, in a deterministic order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// Documents to clean.
    Docs(Group),
    /// A record stream (JSON Lines, WARC) to clean record by record.
    Stream(Entry, Format),
    /// Standard input.
    Stdin,
    /// Something found but not cleaned.
    Problem {
        /// Display path.
        display: String,
        /// Why.
        cause: String,
        /// A skip (a FIFO, a link out of the tree) rather than a failure.
        skipped: bool,
    },
}

/// The extension of sidecar files holding a page URL (`page.html.url` or `page.url`
/// next to `page.html`). Sidecars are never inputs themselves.
pub const URL_SIDECAR_EXT: &str = "url";

/// A file name as text, losslessly: valid UTF-8 as it is; otherwise each byte that is not
/// part of valid UTF-8 as `\xHH`, and backslashes doubled so the escapes are unambiguous.
pub fn display_name(name: &OsStr) -> String {
    if let Some(s) = name.to_str() {
        return s.to_string();
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in name.as_bytes().utf8_chunks() {
            out.push_str(&chunk.valid().replace('\\', "\\\\"));
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02X}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    name.to_string_lossy().into_owned()
}

/// A relative path as text: [`display_name`] of each component, joined with `/`.
pub fn display_path(p: &Path) -> String {
    p.components()
        .map(|c| display_name(c.as_os_str()))
        .collect::<Vec<_>>()
        .join("/")
}

/// The name case-folded, for comparing names the way a case-insensitive file system does.
fn fold(name: &str) -> String {
    name.to_lowercase()
}

/// The sort and grouping key: the case-folded name up to its first dot (a leading dot
/// belongs to the name). Every output name a file or folder can claim starts with it.
fn group_key(name: &OsStr) -> String {
    let s = display_name(name);
    let body = s.strip_prefix('.').unwrap_or(&s);
    let cut = body
        .find('.')
        .map_or(s.len(), |i| i + (s.len() - body.len()));
    fold(&s[..cut])
}

/// Output names (case-folded) of a document's body and provenance.
pub fn doc_claims(rel_name: &OsStr) -> [String; 2] {
    doc_claims_as(rel_name, rinse_render::BodyFormat::Text)
}

/// [`doc_claims`] for bodies written in `format` (`NAME.md` for Markdown).
pub fn doc_claims_as(rel_name: &OsStr, format: rinse_render::BodyFormat) -> [String; 2] {
    let stem = Path::new(rel_name)
        .file_stem()
        .map_or_else(|| display_name(rel_name), display_name);
    [
        fold(&format!("{stem}.{}", format.extension())),
        fold(&format!("{stem}.json")),
    ]
}

/// The output file of a record stream: `.jsonl` with the input's compression
/// (`crawl.warc.gz` -> `crawl.jsonl.gz`, `part.jsonl.zst` -> `part.jsonl.zst`).
pub fn stream_output_name(name: &OsStr) -> OsString {
    let s = name.to_string_lossy().to_string();
    let lower = s.to_ascii_lowercase();
    let (base, comp) = [".gz", ".zst"]
        .iter()
        .find(|c| lower.ends_with(*c))
        .map_or((s.as_str(), ""), |c| (&s[..s.len() - c.len()], *c));
    let lb = base.to_ascii_lowercase();
    let stem = [".jsonl", ".ndjson", ".warc", ".wet", ".arc"]
        .iter()
        .find(|e| lb.ends_with(*e))
        .map_or(base, |e| &base[..base.len() - e.len()]);
    #[cfg(unix)]
    if name.to_str().is_none() {
        // Keep undecodable bytes: cut the same number of bytes off the raw name.
        use std::os::unix::ffi::{OsStrExt, OsStringExt};
        let cut = s.len() - stem.len();
        let raw = name.as_bytes();
        let mut out = raw[..raw.len().saturating_sub(cut)].to_vec();
        out.extend_from_slice(format!(".jsonl{comp}").as_bytes());
        return OsString::from_vec(out);
    }
    OsString::from(format!("{stem}.jsonl{comp}"))
}

/// What a file is by its name (and `--format`): a document or a record stream.
pub fn classify(name: &OsStr, forced: Format) -> Format {
    if forced != Format::Auto {
        return forced;
    }
    let lower = name.to_string_lossy().to_ascii_lowercase();
    let base = lower
        .strip_suffix(".gz")
        .or_else(|| lower.strip_suffix(".zst"))
        .unwrap_or(&lower);
    if base.ends_with(".jsonl") || base.ends_with(".ndjson") {
        Format::Jsonl
    } else if base.ends_with(".warc") || base.ends_with(".wet") {
        Format::Warc
    } else {
        Format::Document
    }
}

/// What a file that is not a regular file or folder is, for messages.
pub(crate) fn special_kind(ft: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    let _ = ft;
    "not a regular file"
}

/// Why `path`, given as an input, cannot be one (a device, a FIFO); `None` for files and
/// folders. Never opens it.
pub fn check_input_type(path: &Path) -> std::io::Result<Option<String>> {
    let meta = std::fs::metadata(path)?;
    let ft = meta.file_type();
    Ok((!ft.is_file() && !ft.is_dir()).then(|| {
        format!(
            "{} is {}, not a file or folder; rinse reads only regular files",
            path.display(),
            special_kind(&ft)
        )
    }))
}

/// One input as given on the command line.
#[derive(Debug, Clone)]
pub struct Input {
    /// The path (`-` for standard input).
    pub path: PathBuf,
    /// The output prefix for its files (its name when there are several inputs).
    pub prefix: PathBuf,
    /// A folder inside it that must not be walked (the output folder, when allowed there).
    pub skip: Option<PathBuf>,
}

/// Names (case-folded) reserved at the top of the output folder.
pub const RESERVED: &[&str] = &["manifest.jsonl"];

struct Level {
    key: String,
    files: Vec<Entry>,
    taken: Vec<String>,
}

struct Current {
    walk: ignore::Walk,
    root: PathBuf,
    prefix: PathBuf,
    reports: Arc<Mutex<Vec<Item>>>,
    top: bool,
}

/// The walk over every input, as an iterator of [`Item`]s.
pub struct Walker {
    inputs: std::vec::IntoIter<Input>,
    opts: WalkOptions,
    format: Format,
    current: Option<Current>,
    /// The canonical root of the folder being walked.
    root_canon: PathBuf,
    levels: Vec<Level>,
    ready: VecDeque<Item>,
    skip_under: Option<PathBuf>,
}

impl Walker {
    /// A walk over `inputs` in the given order.
    pub fn new(inputs: Vec<Input>, opts: WalkOptions, format: Format) -> Walker {
        Walker {
            inputs: inputs.into_iter(),
            opts,
            format,
            current: None,
            root_canon: PathBuf::new(),
            levels: Vec::new(),
            ready: VecDeque::new(),
            skip_under: None,
        }
    }

    fn flush_below(&mut self, depth: usize) {
        while self.levels.len() > depth {
            let l = self.levels.pop().expect("non-empty");
            if !l.files.is_empty() {
                self.ready.push_back(Item::Docs(Group {
                    entries: l.files,
                    taken: l.taken,
                }));
            }
        }
    }

    fn start(&mut self, input: Input) -> Result<(), String> {
        if input.path.as_os_str() == "-" {
            self.ready.push_back(Item::Stdin);
            return Ok(());
        }
        let meta =
            std::fs::metadata(&input.path).map_err(|e| format!("{}: {e}", input.path.display()))?;
        if meta.is_file() {
            let name = input
                .path
                .file_name()
                .map(OsStr::to_os_string)
                .unwrap_or_default();
            let folder = match input.path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let entry = Entry {
                abs: input.path.clone(),
                display: display_path(Path::new(&name)),
                rel: PathBuf::from(name.clone()),
                root: folder.canonicalize().unwrap_or(folder),
            };
            self.ready.push_back(match classify(&name, self.format) {
                Format::Document => Item::Docs(Group {
                    entries: vec![entry],
                    taken: RESERVED.iter().map(|s| s.to_string()).collect(),
                }),
                f => Item::Stream(entry, f),
            });
            return Ok(());
        }
        let root = input.path.clone();
        let root_canon = root.canonicalize().unwrap_or_else(|_| root.clone());
        self.root_canon = root_canon.clone();
        let reports = Arc::new(Mutex::new(Vec::new()));
        let mut b = ignore::WalkBuilder::new(&root);
        b.hidden(!self.opts.hidden)
            .ignore(!self.opts.no_ignore)
            .git_ignore(!self.opts.no_ignore)
            .git_global(!self.opts.no_ignore)
            .git_exclude(!self.opts.no_ignore)
            .parents(!self.opts.no_ignore)
            .follow_links(true)
            .sort_by_file_path(|a, b| {
                let (an, bn) = (
                    a.file_name().unwrap_or_default(),
                    b.file_name().unwrap_or_default(),
                );
                group_key(an).cmp(&group_key(bn)).then_with(|| an.cmp(bn))
            });
        if !self.opts.globs.is_empty() {
            let mut ob = ignore::overrides::OverrideBuilder::new(&root);
            for g in &self.opts.globs {
                ob.add(g).map_err(|e| format!("--glob {g}: {e}"))?;
            }
            b.overrides(ob.build().map_err(|e| format!("--glob: {e}"))?);
        }
        let follow = self.opts.follow;
        let skip = input.skip.clone();
        let (r2, root2) = (reports.clone(), root.clone());
        b.filter_entry(move |e| {
            let rel = e.path().strip_prefix(&root2).unwrap_or(e.path());
            if skip.as_deref() == Some(rel) {
                return false;
            }
            if e.path_is_symlink() && !follow {
                if let Ok(target) = e.path().canonicalize() {
                    if !target.starts_with(&root_canon) {
                        r2.lock().expect("reports").push(Item::Problem {
                            display: display_path(rel),
                            cause: format!(
                                "symbolic link to {}, outside the input folder; not followed (--follow to follow)",
                                target.display()
                            ),
                            skipped: true,
                        });
                        return false;
                    }
                }
            }
            true
        });
        self.current = Some(Current {
            walk: b.build(),
            root,
            prefix: input.prefix,
            reports,
            top: true,
        });
        Ok(())
    }

    fn drain_reports(&mut self) {
        if let Some(c) = &self.current {
            let mut r = c.reports.lock().expect("reports");
            self.ready.extend(r.drain(..));
        }
    }

    /// Advances the current folder walk by one entry; false when it is finished.
    fn step(&mut self) -> bool {
        let Some(cur) = self.current.as_mut() else {
            return false;
        };
        let Some(next) = cur.walk.next() else {
            self.drain_reports();
            self.flush_below(0);
            self.current = None;
            return false;
        };
        let (root, prefix) = (cur.root.clone(), cur.prefix.clone());
        let top_level = std::mem::replace(&mut cur.top, false);
        self.drain_reports();
        let e = match next {
            Ok(e) => e,
            Err(err) => {
                let (display, cause) = walk_error(&err, &root);
                self.ready.push_back(Item::Problem {
                    display,
                    cause,
                    skipped: false,
                });
                return true;
            }
        };
        let depth = e.depth();
        if depth == 0 {
            let _ = top_level;
            return true;
        }
        if let Some(s) = &self.skip_under {
            if e.path().starts_with(s) {
                return true;
            }
            self.skip_under = None;
        }
        self.flush_below(depth);
        let name = e.file_name().to_os_string();
        let key = group_key(&name);
        if self.levels.len() == depth && self.levels[depth - 1].key != key {
            self.flush_below(depth - 1);
        }
        if self.levels.len() < depth {
            let reserved = depth == 1 && prefix.as_os_str().is_empty();
            self.levels.push(Level {
                key,
                files: Vec::new(),
                taken: if reserved {
                    RESERVED.iter().map(|s| s.to_string()).collect()
                } else {
                    Vec::new()
                },
            });
        }
        let rel_in = e.path().strip_prefix(&root).unwrap_or(e.path());
        let rel = prefix.join(rel_in);
        let entry = Entry {
            abs: e.path().to_path_buf(),
            display: display_path(&rel),
            rel,
            root: self.root_canon.clone(),
        };
        let Some(ft) = e.file_type() else {
            return true;
        };
        let level = self.levels.last_mut().expect("level pushed");
        if ft.is_dir() {
            let claim = fold(&display_name(&name));
            if level.taken.contains(&claim) {
                self.ready.push_back(Item::Problem {
                    display: entry.display,
                    cause: format!("its output folder {claim} is already taken by a sibling (names are compared ignoring case); folder not cleaned"),
                    skipped: false,
                });
                self.skip_under = Some(e.path().to_path_buf());
            } else {
                level.taken.push(claim);
            }
            return true;
        }
        if !ft.is_file() {
            self.ready.push_back(Item::Problem {
                display: entry.display,
                cause: format!("{}; not read", special_kind(&ft)),
                skipped: true,
            });
            return true;
        }
        if Path::new(&name)
            .extension()
            .is_some_and(|x| x == URL_SIDECAR_EXT)
        {
            return true;
        }
        match classify(&name, self.format) {
            Format::Document => level.files.push(entry),
            f => {
                let claim = fold(&display_name(&stream_output_name(&name)));
                if level.taken.contains(&claim) {
                    self.ready.push_back(Item::Problem {
                        display: entry.display,
                        cause: format!("its output {claim} is already taken by a sibling"),
                        skipped: false,
                    });
                } else {
                    level.taken.push(claim);
                    self.ready.push_back(Item::Stream(entry, f));
                }
            }
        }
        true
    }
}

fn walk_error(err: &ignore::Error, root: &Path) -> (String, String) {
    let mut e = err;
    let mut path: Option<&Path> = None;
    loop {
        match e {
            ignore::Error::WithPath { path: p, err } => {
                path = path.or(Some(p));
                e = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                e = err
            }
            ignore::Error::Loop { child, .. } => {
                let rel = child.strip_prefix(root).unwrap_or(child);
                return (
                    display_path(rel),
                    "symbolic link loop; not followed".to_string(),
                );
            }
            ignore::Error::Io(io) => {
                let display = path.map_or_else(
                    || "?".into(),
                    |p| display_path(p.strip_prefix(root).unwrap_or(p)),
                );
                // walkdir wraps the OS error in a message repeating the path: keep the cause.
                let inner = io
                    .get_ref()
                    .and_then(|e| e.downcast_ref::<walkdir::Error>())
                    .and_then(walkdir::Error::io_error)
                    .unwrap_or(io);
                let cause = inner.raw_os_error().map_or_else(
                    || inner.to_string(),
                    |code| std::io::Error::from_raw_os_error(code).to_string(),
                );
                return (display, cause);
            }
            other => {
                let display = path.map_or_else(
                    || "?".into(),
                    |p| display_path(p.strip_prefix(root).unwrap_or(p)),
                );
                return (display, other.to_string());
            }
        }
    }
}

impl Iterator for Walker {
    type Item = Result<Item, String>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Some(Ok(item));
            }
            if self.current.is_some() {
                self.step();
                continue;
            }
            let input = self.inputs.next()?;
            if let Err(e) = self.start(input) {
                return Some(Err(e));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_group_every_possible_claimant() {
        for n in ["a", "a.txt", "a.html", "A.TXT", "a.b.txt", "a.jsonl.gz"] {
            assert_eq!(group_key(OsStr::new(n)), "a", "{n}");
        }
        assert_eq!(group_key(OsStr::new(".hidden.txt")), ".hidden");
        assert_ne!(group_key(OsStr::new("ab.txt")), "a");
    }

    #[test]
    fn stream_output_names() {
        for (i, o) in [
            ("crawl.warc.gz", "crawl.jsonl.gz"),
            ("part.jsonl.zst", "part.jsonl.zst"),
            ("x.ndjson", "x.jsonl"),
            ("CC.warc.wet.gz", "CC.warc.jsonl.gz"),
        ] {
            assert_eq!(stream_output_name(OsStr::new(i)), OsStr::new(o));
        }
    }

    #[cfg(unix)]
    #[test]
    fn invalid_names_are_shown_losslessly() {
        use std::os::unix::ffi::OsStrExt;
        let a = display_name(OsStr::from_bytes(b"b\xff\xfe.txt"));
        let b = display_name(OsStr::from_bytes(b"b\xff\xfd.txt"));
        assert_eq!(a, "b\\xFF\\xFE.txt");
        assert_ne!(a, b);
        assert_eq!(
            display_name(OsStr::from_bytes(b"c\\\xff")),
            "c\\\\\\xFF",
            "backslashes doubled"
        );
    }
}
