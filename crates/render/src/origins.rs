//! Which raw line each body line comes from.
//!
//! The body is the raw text with the edits applied, so following the same replay that
//! checks the provenance tells, for every body line, the raw byte its first character was
//! kept from; the raw line holding that byte carries the markup's facts about the line.

use rinse_engine::Edit;

/// For each line of the body that replaying `edits` on `raw` gives, the byte offset in `raw`
/// where the line's first character came from (for text an edit put in, the edit's start).
/// `None` when the edits do not apply to `raw` (out of range, overlapping).
pub fn body_origins(raw: &str, edits: &[Edit]) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    let mut at_start = true;
    // A piece of body text: `text` taken from raw offset `from` (kept text maps byte for
    // byte; inserted text maps to where it was inserted).
    let mut piece = |text: &str, from: usize, kept: bool| {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if at_start {
                out.push(if kept { from + i } else { from });
                at_start = false;
            }
            match memchr_newline(&bytes[i..]) {
                Some(n) => {
                    i += n + 1;
                    at_start = true;
                }
                None => break,
            }
        }
    };
    let mut pos = 0;
    for e in edits {
        if e.start < pos || e.end < e.start || e.end > raw.len() {
            return None;
        }
        piece(raw.get(pos..e.start)?, pos, true);
        if let Some(r) = &e.replacement {
            piece(r, e.start, false);
        }
        pos = e.end;
    }
    piece(raw.get(pos..)?, pos, true);
    Some(out)
}

fn memchr_newline(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, removed: &str, replacement: Option<&str>) -> Edit {
        Edit {
            rule: "t".into(),
            category: "t".into(),
            action: rinse_engine::EditAction::DropLine,
            start,
            end,
            removed: removed.into(),
            replacement: replacement.map(str::to_string),
            ..Edit::default()
        }
    }

    #[test]
    fn every_body_line_points_at_its_raw_line() {
        let raw = "a\nnoise\nb c\nd";
        let edits = [
            edit(2, 8, "noise\n", None),
            edit(9, 11, " c", Some("C")),
            edit(13, 13, "", Some("\n")),
        ];
        let body = rinse_engine::replay(raw, &edits).unwrap();
        assert_eq!(body, "a\nbC\nd\n");
        let o = body_origins(raw, &edits).unwrap();
        assert_eq!(o, [0, 8, 12]);
        assert_eq!(o.len(), body.lines().count());
    }

    #[test]
    fn a_line_that_starts_with_inserted_text_maps_to_the_insertion() {
        let raw = "xx\nyy\n";
        let edits = [edit(3, 4, "y", Some("Z"))];
        assert_eq!(body_origins(raw, &edits).unwrap(), [0, 3]);
        assert_eq!(body_origins(raw, &[edit(5, 3, "", None)]), None);
    }
}
