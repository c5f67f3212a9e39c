//! `NAME.url` sidecar files: the page URL of the input beside them.
//!
//! A sidecar is read under the same rules as an input, because it is one in all but name:
//! only a regular file (never opened if it is a FIFO or a device, which could block or never
//! end), not through a symbolic link that leaves the input folder (unless `--follow`), and
//! at most [`MAX_SIDECAR`] bytes (a URL is far shorter; a large file is not a sidecar). Its
//! first non-blank line must be an absolute `http`/`https` URL.
//!
//! The URL check is written here rather than taken from the `url` crate: it only has to
//! say whether a line can be a page address for host scopes, and the crate would bring
//! IDNA tables into the build for that.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::walk::URL_SIDECAR_EXT;

/// Largest sidecar read, in bytes.
pub const MAX_SIDECAR: u64 = 8 * 1024;

/// Why a sidecar gave no URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SidecarError {
    /// A FIFO, a device, a folder: never read.
    #[error("is {0}, not a regular file; not read")]
    NotRegular(&'static str),
    /// A symbolic link leading out of the input folder.
    #[error(
        "is a symbolic link to {0}, outside the input folder; not followed (--follow to follow)"
    )]
    Outside(PathBuf),
    /// Larger than [`MAX_SIDECAR`].
    #[error("is larger than {MAX_SIDECAR} bytes, too large for a URL; not read")]
    TooLarge,
    /// Could not be opened or read.
    #[error("cannot be read: {0}")]
    Unreadable(String),
    /// Its first non-blank line is not a URL.
    #[error("does not hold a URL: {0}")]
    NotUrl(String),
}

/// A sidecar's URL, or why it was not used, with the sidecar's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The sidecar file.
    pub path: PathBuf,
    /// Its URL, or why there is none.
    pub url: Result<String, SidecarError>,
}

/// Whether `s` is an absolute `http`/`https` URL with a host, and no white space or
/// control characters: what a page address in a sidecar must be.
pub fn check_url(s: &str) -> Result<(), String> {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &s[8..]
    } else if lower.starts_with("http://") {
        &s[7..]
    } else {
        return Err("not an http or https URL".into());
    };
    if let Some(c) = s.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("it holds the character U+{:04X}", u32::from(c)));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host_port.split(':').next().unwrap_or(""),
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '%'));
    if host_ok {
        Ok(())
    } else {
        Err("no valid host".into())
    }
}

/// The URL in a sidecar's bytes: its first non-blank line, checked by [`check_url`].
pub fn parse(bytes: &[u8]) -> Result<String, SidecarError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| SidecarError::NotUrl("the file is not UTF-8 text".into()))?;
    let line = text
        .lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}'))
        .find(|l| !l.is_empty())
        .ok_or_else(|| SidecarError::NotUrl("the file is empty".into()))?;
    check_url(line).map_err(SidecarError::NotUrl)?;
    Ok(line.to_string())
}

/// Reads the sidecar at `path`, never blocking and never more than [`MAX_SIDECAR`] bytes.
/// `root` is the input folder (canonical) its links must stay in unless `follow`. `None`
/// when there is no such file.
pub fn read(path: &Path, root: &Path, follow: bool) -> Option<Result<String, SidecarError>> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    Some(read_existing(path, &meta, root, follow))
}

fn read_existing(
    path: &Path,
    link_meta: &std::fs::Metadata,
    root: &Path,
    follow: bool,
) -> Result<String, SidecarError> {
    if link_meta.file_type().is_symlink() && !follow {
        let target = path
            .canonicalize()
            .map_err(|e| SidecarError::Unreadable(e.to_string()))?;
        if !target.starts_with(root) {
            return Err(SidecarError::Outside(target));
        }
    }
    let mut oo = std::fs::OpenOptions::new();
    oo.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // A FIFO swapped in after the check must not block the open.
        oo.custom_flags(libc::O_NONBLOCK);
    }
    let meta = std::fs::metadata(path).map_err(|e| SidecarError::Unreadable(e.to_string()))?;
    if !meta.is_file() {
        return Err(SidecarError::NotRegular(super::walk::special_kind(
            &meta.file_type(),
        )));
    }
    let f = oo
        .open(path)
        .map_err(|e| SidecarError::Unreadable(e.to_string()))?;
    let opened = f
        .metadata()
        .map_err(|e| SidecarError::Unreadable(e.to_string()))?;
    if !opened.is_file() {
        return Err(SidecarError::NotRegular(super::walk::special_kind(
            &opened.file_type(),
        )));
    }
    let mut bytes = Vec::new();
    f.take(MAX_SIDECAR + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| SidecarError::Unreadable(e.to_string()))?;
    if bytes.len() as u64 > MAX_SIDECAR {
        return Err(SidecarError::TooLarge);
    }
    parse(&bytes)
}

/// The sidecar of the input at `abs`: `NAME.EXT.url` first, then `NAME.url`; the first that
/// exists decides. `None` when neither exists.
pub fn find(abs: &Path, root: &Path, follow: bool) -> Option<Found> {
    let mut with_ext = abs.as_os_str().to_os_string();
    with_ext.push(".");
    with_ext.push(URL_SIDECAR_EXT);
    let candidates = [PathBuf::from(with_ext), abs.with_extension(URL_SIDECAR_EXT)];
    candidates
        .into_iter()
        .filter(|c| c != abs)
        .find_map(|c| read(&c, root, follow).map(|url| Found { path: c, url }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_checked() {
        for ok in [
            "http://a.cn/1.html",
            "HTTPS://news.example.com.tw:8080/a?b#c",
            "https://user@[::1]:80/x",
            "http://中文.cn/",
        ] {
            assert_eq!(check_url(ok), Ok(()), "{ok}");
        }
        for bad in [
            "ftp://a.cn/",
            "a.cn/1.html",
            "http:///x",
            "http://a.cn/\u{1b}]0;PWN\u{7}",
            "http://a b/",
            "",
        ] {
            assert!(check_url(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            parse(b"\n  \xef\xbb\xbfhttp://a.cn/x  \r\nsecond line\n"),
            Ok("http://a.cn/x".into())
        );
        assert!(matches!(parse(b"\xff"), Err(SidecarError::NotUrl(_))));
    }
}
