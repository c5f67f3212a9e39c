//! gzip streams read member by member, remembering where each member starts in the
//! compressed bytes, so a WARC record can be named by its member's offset (as warcio and
//! the Common Crawl indexes do) rather than by its offset in the decompressed stream.
//!
//! `flate2`'s `MultiGzDecoder` hides member boundaries; [`Members`] runs one
//! [`flate2::bufread::GzDecoder`] per member on a reader that counts the compressed bytes
//! consumed (the `bufread` decoder reads exactly one member and leaves the rest). Memory is
//! bounded: the decoder streams, and [`MemberMap`] keeps at most [`MAX_MEMBERS`] member
//! starts not yet looked up. Damaged input is an `io::Error`, never a panic.

use std::collections::VecDeque;
use std::io::{self, BufRead, Read};
use std::sync::{Arc, Mutex};

use flate2::bufread::GzDecoder;

/// Most member starts remembered ahead of the last lookup (a record whose body spans more
/// members than this loses its member offset, not memory).
pub const MAX_MEMBERS: usize = 1 << 16;

/// Where one gzip member starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    /// Offset of the member's first byte in the compressed input.
    pub compressed: u64,
    /// Offset of its first decompressed byte in the decompressed stream.
    pub decompressed: u64,
}

/// The member starts seen so far by a [`Members`] reader, shared with whoever names records
/// by position (the reader may be read on another thread).
#[derive(Debug, Clone, Default)]
pub struct MemberMap(Arc<Mutex<VecDeque<Member>>>);

impl MemberMap {
    fn push(&self, m: Member) {
        let mut q = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if q.len() >= MAX_MEMBERS {
            // A lookup of an offset inside a forgotten member finds nothing (the first
            // member left starts after it), never a wrong member.
            q.pop_front();
        }
        q.push_back(m);
    }

    /// The member holding decompressed offset `at`, when it is known. Lookups are expected
    /// in increasing order: members before the one found are forgotten.
    pub fn locate(&self, at: u64) -> Option<Member> {
        let mut q = self.0.lock().unwrap_or_else(|e| e.into_inner());
        while q.len() > 1 && q[1].decompressed <= at {
            q.pop_front();
        }
        q.front().copied().filter(|m| m.decompressed <= at)
    }
}

/// Counts the bytes taken from a [`BufRead`].
struct Counting<R> {
    inner: R,
    pos: u64,
}

impl<R: BufRead> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        self.inner.consume(n);
        self.pos += n as u64;
    }
}

enum State<R> {
    /// Inside a member.
    Member(GzDecoder<Counting<R>>),
    /// Between members (or before the first).
    Between(Counting<R>),
}

/// Decompresses a gzip stream of any number of members (like `MultiGzDecoder`), recording
/// each member's start in a [`MemberMap`].
pub struct Members<R> {
    state: Option<State<R>>,
    out: u64,
    map: MemberMap,
}

impl<R: BufRead> Members<R> {
    /// A decoder for the gzip bytes of `input`, positioned at the first member.
    pub fn new(input: R) -> Members<R> {
        Members {
            state: Some(State::Between(Counting {
                inner: input,
                pos: 0,
            })),
            out: 0,
            map: MemberMap::default(),
        }
    }

    /// The member starts, filled in as the stream is read.
    pub fn map(&self) -> MemberMap {
        self.map.clone()
    }
}

impl<R: BufRead> Read for Members<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            match self.state.take() {
                None => return Ok(0),
                Some(State::Member(mut d)) => match d.read(buf) {
                    Ok(0) => self.state = Some(State::Between(d.into_inner())),
                    Ok(n) => {
                        self.out += n as u64;
                        self.state = Some(State::Member(d));
                        return Ok(n);
                    }
                    Err(e) => {
                        // Nothing after a damaged member can be found again.
                        return Err(e);
                    }
                },
                Some(State::Between(mut r)) => {
                    let more = match r.fill_buf() {
                        Ok(b) => !b.is_empty(),
                        Err(e) => {
                            self.state = Some(State::Between(r));
                            return Err(e);
                        }
                    };
                    if !more {
                        self.state = Some(State::Between(r));
                        return Ok(0);
                    }
                    self.map.push(Member {
                        compressed: r.pos,
                        decompressed: self.out,
                    });
                    self.state = Some(State::Member(GzDecoder::new(r)));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn members_are_found_where_they_start() {
        let parts: [&[u8]; 4] = [b"first member\n", b"", b"second\n", b"third one\n"];
        let mut file = Vec::new();
        let mut starts = Vec::new();
        for p in parts {
            starts.push(file.len() as u64);
            file.extend(gz(p));
        }
        let mut m = Members::new(&file[..]);
        let map = m.map();
        let mut out = Vec::new();
        m.read_to_end(&mut out).unwrap();
        assert_eq!(out, b"first member\nsecond\nthird one\n");
        assert_eq!(
            map.locate(0),
            Some(Member {
                compressed: 0,
                decompressed: 0
            })
        );
        // The empty member starts where the second does: the second is the one found.
        let second = map.locate(13).unwrap();
        assert_eq!((second.compressed, second.decompressed), (starts[2], 13));
        let third = map.locate(25).unwrap();
        assert_eq!((third.compressed, third.decompressed), (starts[3], 20));
        // Earlier members are forgotten.
        assert_eq!(map.locate(0), None);
    }

    #[test]
    fn truncated_and_garbage_input_is_an_error_not_a_panic() {
        let file = gz(b"some text that is long enough to matter\n");
        for cut in 0..file.len() {
            let mut out = Vec::new();
            let _ = Members::new(&file[..cut]).read_to_end(&mut out);
        }
        let mut bad = file.clone();
        bad.extend_from_slice(b"not gzip at all");
        let mut out = Vec::new();
        assert!(Members::new(&bad[..]).read_to_end(&mut out).is_err());
        let mut flipped = file.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0xff;
        let _ = Members::new(&flipped[..]).read_to_end(&mut out);
    }
}
