//! A fast HTML tokenizer: start tags with attributes, end tags and text; comments,
//! doctypes and processing instructions are skipped.
//!
//! It follows the WHATWG tokenizer where pages depend on it (raw-text elements such as
//! `<script>` and `<style>`, RCDATA `<title>`/`<textarea>`, character references in text
//! and attribute values, unquoted attributes, tags cut off by the end of input) and is
//! simpler elsewhere (no script-data escape states). One pass, no backtracking beyond a
//! tag: cost is linear in the input. html5ever's tokenizer alone took longer per page
//! than the whole HTML budget (measured on html-dev: 1.16 ms against 0.2 ms for this one).

use memchr::{memchr, memchr2, memmem};

/// One token. Names are ASCII-lowercased; text and attribute values are decoded.
#[derive(Debug, PartialEq, Eq)]
pub enum Token<'a> {
    /// `<name attr=value ...>`; `self_closing` when written `<name/>`.
    Start {
        /// Tag name, lowercase.
        name: &'a str,
        /// Attributes in source order, names lowercase, values decoded.
        attrs: &'a [(String, String)],
        /// Written with a trailing `/`.
        self_closing: bool,
    },
    /// `</name>`.
    End {
        /// Tag name, lowercase.
        name: &'a str,
    },
    /// Character data, references decoded. For raw-text elements (`<script>`, `<style>`),
    /// the content as written.
    Text(&'a str),
}

/// Elements whose content is raw text up to the matching end tag.
fn raw_text(name: &str) -> Option<bool> {
    // Some(decode references?)
    match name {
        "script" | "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => Some(false),
        "title" | "textarea" => Some(true),
        _ => None,
    }
}

/// Calls `emit` for every token of `html`, in order.
pub fn tokenize(html: &str, mut emit: impl FnMut(Token<'_>)) {
    let b = html.as_bytes();
    let mut i = 0;
    let mut name = String::new();
    let mut attrs: Vec<(String, String)> = Vec::new();
    let mut text = String::new();
    while i < b.len() {
        // Text up to the next '<' that opens markup.
        let mut j = i;
        let lt = loop {
            match memchr(b'<', &b[j..]) {
                None => break b.len(),
                Some(k) => {
                    let p = j + k;
                    match b.get(p + 1) {
                        Some(c) if c.is_ascii_alphabetic() || matches!(c, b'/' | b'!' | b'?') => {
                            break p
                        }
                        _ => j = p + 1,
                    }
                }
            }
        };
        if lt > i {
            text.clear();
            decode_refs(&html[i..lt], false, &mut text);
            emit(Token::Text(&text));
        }
        i = lt;
        if i >= b.len() {
            break;
        }
        match b[i + 1] {
            b'!' => i = skip_markup_declaration(b, i),
            b'?' => i = skip_to_gt(b, i + 2),
            b'/' => {
                if b.get(i + 2).is_some_and(u8::is_ascii_alphabetic) {
                    let (end, _) = read_tag(html, i + 2, &mut name, &mut attrs);
                    match end {
                        Some(e) => {
                            emit(Token::End { name: &name });
                            i = e;
                        }
                        None => break, // end of input inside a tag: dropped
                    }
                } else if b.get(i + 2) == Some(&b'>') {
                    i += 3; // `</>` is nothing
                } else {
                    i = skip_to_gt(b, i + 2); // a bogus comment
                }
            }
            _ => {
                let (end, self_closing) = read_tag(html, i + 1, &mut name, &mut attrs);
                let Some(e) = end else { break };
                emit(Token::Start {
                    name: &name,
                    attrs: &attrs,
                    self_closing,
                });
                i = e;
                if name == "plaintext" {
                    if i < b.len() {
                        emit(Token::Text(&html[i..]));
                    }
                    return;
                }
                if let (Some(decode), false) = (raw_text(&name), self_closing) {
                    let close = find_end_tag(b, i, name.as_bytes());
                    if close > i {
                        if decode {
                            text.clear();
                            decode_refs(&html[i..close], false, &mut text);
                            emit(Token::Text(&text));
                        } else {
                            emit(Token::Text(&html[i..close]));
                        }
                    }
                    i = close;
                }
            }
        }
    }
}

/// `<!--...-->`, `<!doctype ...>`, `<![CDATA[...]]>` and other `<!` declarations; returns
/// the position after them.
fn skip_markup_declaration(b: &[u8], lt: usize) -> usize {
    if b[lt..].starts_with(b"<!--") {
        let from = lt + 4;
        // `<!-->` and `<!--->` are empty comments.
        if b[from..].starts_with(b">") {
            return from + 1;
        }
        if b[from..].starts_with(b"->") {
            return from + 2;
        }
        let mut k = from;
        while let Some(d) = memmem::find(&b[k..], b"--") {
            let p = k + d + 2;
            if b.get(p) == Some(&b'>') {
                return p + 1;
            }
            if b[p..].starts_with(b"!>") {
                return p + 2;
            }
            k = k + d + 1;
        }
        return b.len();
    }
    skip_to_gt(b, lt + 2)
}

fn skip_to_gt(b: &[u8], from: usize) -> usize {
    memchr(b'>', &b[from.min(b.len())..]).map_or(b.len(), |k| from + k + 1)
}

/// Position of `</name` (case-insensitive, followed by white space, `/` or `>`) at or
/// after `from`, or the end of input.
fn find_end_tag(b: &[u8], from: usize, name: &[u8]) -> usize {
    let mut k = from;
    while let Some(d) = memmem::find(&b[k..], b"</") {
        let p = k + d;
        let n = p + 2;
        if b.len() >= n + name.len()
            && b[n..n + name.len()].eq_ignore_ascii_case(name)
            && b.get(n + name.len())
                .is_none_or(|c| c.is_ascii_whitespace() || matches!(c, b'/' | b'>'))
        {
            return p;
        }
        k = p + 2;
    }
    b.len()
}

/// Reads a tag name and attributes starting at `from` (just after `<` or `</`). Returns
/// the position after `>` (None at end of input) and whether the tag was self-closing.
fn read_tag(
    html: &str,
    from: usize,
    name: &mut String,
    attrs: &mut Vec<(String, String)>,
) -> (Option<usize>, bool) {
    let b = html.as_bytes();
    name.clear();
    attrs.clear();
    let mut i = from;
    while i < b.len() && !is_tag_space(b[i]) && b[i] != b'/' && b[i] != b'>' {
        i += 1;
    }
    push_lower(name, &html[from..i]);
    let mut self_closing = false;
    loop {
        while i < b.len() && (is_tag_space(b[i]) || b[i] == b'/') {
            self_closing = b[i] == b'/';
            i += 1;
        }
        if i >= b.len() {
            return (None, false);
        }
        if b[i] == b'>' {
            return (Some(i + 1), self_closing);
        }
        self_closing = false;
        // Attribute name (a leading '=' belongs to the name).
        let start = i;
        i += 1;
        while i < b.len() && !is_tag_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let mut key = String::new();
        push_lower(&mut key, &html[start..i]);
        while i < b.len() && is_tag_space(b[i]) {
            i += 1;
        }
        let mut value = String::new();
        if b.get(i) == Some(&b'=') {
            i += 1;
            while i < b.len() && is_tag_space(b[i]) {
                i += 1;
            }
            match b.get(i) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let Some(k) = memchr(q, &b[i + 1..]) else {
                        return (None, false);
                    };
                    decode_refs(&html[i + 1..i + 1 + k], true, &mut value);
                    i += k + 2;
                }
                Some(_) => {
                    let s = i;
                    while i < b.len() && !is_tag_space(b[i]) && b[i] != b'>' {
                        i += 1;
                    }
                    decode_refs(&html[s..i], true, &mut value);
                }
                None => return (None, false),
            }
        }
        // The first of two attributes with the same name wins.
        if !attrs.iter().any(|(k, _)| *k == key) {
            attrs.push((key, value));
        }
    }
}

fn is_tag_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

fn push_lower(out: &mut String, s: &str) {
    out.extend(s.chars().map(|c| c.to_ascii_lowercase()));
}

/// Appends `s` to `out` with character references decoded (`&amp;`, `&#20013;`,
/// `&#x4e2d;`, legacy `&nbsp` without `;`). In attribute values a legacy reference
/// followed by `=` or an alphanumeric stays as written, as browsers do (query strings).
pub fn decode_refs(s: &str, in_attr: bool, out: &mut String) {
    let b = s.as_bytes();
    let mut pos = 0;
    while let Some(k) = memchr2(b'&', b'\r', &b[pos..]) {
        let amp = pos + k;
        out.push_str(&s[pos..amp]);
        if b[amp] == b'\r' {
            // `\r\n` and lone `\r` are `\n` in HTML.
            out.push('\n');
            pos = if b.get(amp + 1) == Some(&b'\n') {
                amp + 2
            } else {
                amp + 1
            };
            continue;
        }
        match char_ref(&s[amp + 1..], in_attr) {
            Some((chars, used)) => {
                out.extend(chars.iter().flatten());
                pos = amp + 1 + used;
            }
            None => {
                out.push('&');
                pos = amp + 1;
            }
        }
    }
    out.push_str(&s[pos..]);
}

/// Decodes the reference after a `&`: the characters and the bytes consumed.
fn char_ref(s: &str, in_attr: bool) -> Option<([Option<char>; 2], usize)> {
    let b = s.as_bytes();
    if b.first() == Some(&b'#') {
        let hex = matches!(b.get(1), Some(b'x' | b'X'));
        let start = if hex { 2 } else { 1 };
        let mut end = start;
        while end < b.len()
            && (if hex {
                b[end].is_ascii_hexdigit()
            } else {
                b[end].is_ascii_digit()
            })
        {
            end += 1;
        }
        if end == start {
            return None;
        }
        let digits = &s[start..end];
        let n = u32::from_str_radix(&digits[..digits.len().min(8)], if hex { 16 } else { 10 })
            .unwrap_or(u32::MAX);
        let used = if b.get(end) == Some(&b';') {
            end + 1
        } else {
            end
        };
        return Some(([Some(numeric_char(n)), None], used));
    }
    let mut end = 0;
    while end < b.len() && end < 32 && b[end].is_ascii_alphanumeric() {
        end += 1;
    }
    if end == 0 {
        return None;
    }
    let entities = &markup5ever::data::NAMED_ENTITIES;
    if b.get(end) == Some(&b';') {
        if let Some(&(c1, c2)) = entities.get(&s[..=end]) {
            if c1 != 0 {
                return Some(([char::from_u32(c1), second(c2)], end + 1));
            }
        }
    }
    // Legacy references without ';' (`&nbsp`, `&copy`): the longest that exists.
    for len in (2..=end).rev() {
        if let Some(&(c1, c2)) = entities.get(&s[..len]) {
            if c1 != 0 {
                let next = b.get(len);
                if in_attr && next.is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'=') {
                    return None;
                }
                return Some(([char::from_u32(c1), second(c2)], len));
            }
        }
    }
    None
}

/// The second character of a named reference (0: there is none).
fn second(c: u32) -> Option<char> {
    (c != 0).then(|| char::from_u32(c)).flatten()
}

/// A numeric reference's character, with the browser's fix-ups.
fn numeric_char(n: u32) -> char {
    match n {
        0 => '\u{FFFD}',
        0x80..=0x9F => {
            let byte = [n as u8];
            let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
            s.chars().next().unwrap_or('\u{FFFD}')
        }
        _ => char::from_u32(n).unwrap_or('\u{FFFD}'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(html: &str) -> Vec<String> {
        let mut out = Vec::new();
        tokenize(html, |t| {
            out.push(match t {
                Token::Start {
                    name,
                    attrs,
                    self_closing,
                } => {
                    let a: Vec<String> = attrs.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    format!(
                        "<{name}{}{}>",
                        if self_closing { "/" } else { "" },
                        a.join(",")
                    )
                }
                Token::End { name } => format!("</{name}>"),
                Token::Text(t) => t.to_string(),
            })
        });
        out
    }

    #[test]
    fn tags_attributes_and_text() {
        assert_eq!(
            tokens("<P Class=\"a b\" id='x' hidden data-x=1>Hi &amp; &#20013;&#x6587;&nbsp!</p>"),
            [
                "<pclass=a b,id=x,hidden=,data-x=1>",
                "Hi & 中文\u{a0}!",
                "</p>"
            ]
        );
        assert_eq!(
            tokens("<br/><img src=a.jpg />"),
            ["<br/>", "<img/src=a.jpg>"]
        );
        assert_eq!(tokens("a < b <3 c"), ["a < b <3 c"]);
    }

    #[test]
    fn comments_and_declarations_are_skipped() {
        assert_eq!(
            tokens("<!DOCTYPE html><!-- <p>no</p> -->x<!---->y<!-->z<?php echo ?>w</ >v"),
            ["x", "y", "z", "w", "v"]
        );
        assert_eq!(tokens("a<!-- never closed <p>"), ["a"]);
    }

    #[test]
    fn raw_text_elements() {
        assert_eq!(
            tokens("<script>if (a<b && c>d) x='</div>';</script><p>t</p>"),
            [
                "<script>",
                "if (a<b && c>d) x='</div>';",
                "</script>",
                "<p>",
                "t",
                "</p>"
            ]
        );
        assert_eq!(
            tokens("<title>A &amp; <b>B</b></TITLE >"),
            ["<title>", "A & <b>B</b>", "</title>"]
        );
        assert_eq!(tokens("<style>p{}"), ["<style>", "p{}"]);
    }

    #[test]
    fn references_in_attributes_keep_query_strings() {
        assert_eq!(
            tokens("<a href='?a=1&copy=2&amp;b=3&lt'>"),
            ["<ahref=?a=1&copy=2&b=3<>"]
        );
        assert_eq!(
            tokens("&amp;&NotNestedGreaterGreater;"),
            ["&\u{2aa2}\u{338}"]
        );
    }

    #[test]
    fn cut_off_tags_are_dropped() {
        assert_eq!(tokens("text<div class='a"), ["text"]);
        assert_eq!(tokens("text<div"), ["text"]);
    }
}
