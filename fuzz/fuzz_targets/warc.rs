//! WARC reader: any bytes, read as WARC records directly, through the gzip/zstd detection
//! the CLI uses (so gzip members are fuzzed too), or recompressed as one gzip member per
//! chunk (records across member boundaries). It must never panic, report every record with
//! an offset inside the stream, keep every document under the size cap, and stop.
#![no_main]

use std::io::{BufRead, Write};

use libfuzzer_sys::fuzz_target;
use rinse::batch::stream::decompress;
use rinse::input::warc::{Item, Reader};

fn members(data: &[u8], cut: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in data.chunks(cut.max(1)) {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(chunk).unwrap();
        out.extend(gz.finish().unwrap());
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, bytes)) = data.split_first() else {
        return;
    };
    let cap: u64 = [64, 4096, 1 << 20, u64::MAX][usize::from(ctl & 3)];
    let owned;
    let input: Box<dyn BufRead + Send> = match (ctl >> 2) & 3 {
        0 => Box::new(bytes),
        1 => {
            owned = bytes.to_vec();
            match decompress(Box::new(std::io::Cursor::new(owned))) {
                Ok(r) => r,
                Err(_) => return,
            }
        }
        _ => {
            owned = members(bytes, usize::from(ctl >> 4) * 37 + 1);
            decompress(Box::new(std::io::Cursor::new(owned))).unwrap()
        }
    };
    let mut n = 0usize;
    for item in Reader::new(input, cap) {
        n += 1;
        assert!(n <= bytes.len() + 1, "more records than bytes");
        let Ok(p) = item else { break };
        if let Item::Document(d) = &p.item {
            assert!(d.bytes.len() as u64 <= cap, "document over the cap");
        }
    }
});
