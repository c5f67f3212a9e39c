//! Element names interned as small numbers with their properties in one table, so the
//! parser and the scorer test "is this a block?" with a lookup instead of comparing
//! strings (string matching was the largest cost of tree building).

use std::sync::LazyLock;

/// An interned element name: an index into [`NAMES`]; 0 for names not listed (custom
/// elements), which have no properties.
pub type Tag = u8;

/// Every element name any property below mentions, plus common inline ones; sorted.
pub const NAMES: &[&str] = &[
    "",
    "a",
    "abbr",
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "basefont",
    "bgsound",
    "big",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "image",
    "img",
    "input",
    "keygen",
    "label",
    "legend",
    "li",
    "link",
    "listing",
    "main",
    "map",
    "marquee",
    "math",
    "menu",
    "meta",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "plaintext",
    "pre",
    "s",
    "script",
    "section",
    "select",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "video",
    "wbr",
    "xmp",
];

/// Never has content.
pub const VOID: u16 = 1;
/// HTML's "special" elements: an end tag of another kind never closes them.
pub const SPECIAL: u16 = 1 << 1;
/// Its start closes an open `<p>`.
pub const CLOSES_P: u16 = 1 << 2;
/// A boundary of the default element scope.
pub const SCOPE: u16 = 1 << 3;
/// Allowed in `<head>`.
pub const IN_HEAD: u16 = 1 << 4;
/// Begins and ends a line of block text.
pub const BLOCK: u16 = 1 << 5;
/// Its content is never article text.
pub const SKIPPED: u16 = 1 << 6;
/// Can be the main container.
pub const CANDIDATE: u16 = 1 << 7;

/// The tag of a lowercase element name.
pub fn lookup(name: &str) -> Tag {
    // Names sharing a first letter are a short run of NAMES: compare only those.
    static BY_FIRST: LazyLock<[(u8, u8); 26]> = LazyLock::new(|| {
        let mut t = [(0u8, 0u8); 26];
        for (i, n) in NAMES.iter().enumerate().skip(1) {
            let k = (n.as_bytes()[0] - b'a') as usize;
            if t[k].1 == 0 {
                t[k].0 = i as u8;
            }
            t[k].1 = i as u8 + 1;
        }
        t
    });
    let Some(&first) = name.as_bytes().first().filter(|b| b.is_ascii_lowercase()) else {
        return 0;
    };
    let (start, end) = BY_FIRST[(first - b'a') as usize];
    (start..end)
        .find(|&i| NAMES[i as usize] == name)
        .unwrap_or(0)
}

/// The tag of a name known at compile time (for constants).
pub const fn tag_of(name: &str) -> Tag {
    let mut i = 0;
    while i < NAMES.len() {
        let n = NAMES[i].as_bytes();
        let m = name.as_bytes();
        if n.len() == m.len() {
            let mut j = 0;
            while j < n.len() && n[j] == m[j] {
                j += 1;
            }
            if j == n.len() {
                return i as Tag;
            }
        }
        i += 1;
    }
    panic!("not an interned name")
}

/// The properties of a tag.
pub fn flags(tag: Tag) -> u16 {
    static TABLE: LazyLock<Vec<u16>> = LazyLock::new(|| NAMES.iter().map(|n| compute(n)).collect());
    TABLE[tag as usize]
}

/// Whether `tag` has every property in `f`.
pub fn is(tag: Tag, f: u16) -> bool {
    flags(tag) & f == f
}

/// Heading level of a tag (`h1`..`h6`).
pub fn heading_level(tag: Tag) -> Option<u8> {
    match NAMES[tag as usize].as_bytes() {
        [b'h', d @ b'1'..=b'6'] => Some(d - b'0'),
        _ => None,
    }
}

fn compute(name: &str) -> u16 {
    let mut f = 0;
    let closes_p = matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "center"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "listing"
            | "section"
            | "summary"
            | "table"
            | "ul"
            | "li"
            | "dd"
            | "dt"
            | "xmp"
            | "plaintext"
    );
    if closes_p {
        f |= CLOSES_P;
    }
    if matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "keygen"
            | "basefont"
            | "bgsound"
            | "frame"
            | "image"
    ) {
        f |= VOID;
    }
    if closes_p
        || matches!(
            name,
            "applet"
                | "area"
                | "base"
                | "body"
                | "br"
                | "button"
                | "caption"
                | "col"
                | "colgroup"
                | "embed"
                | "frameset"
                | "head"
                | "html"
                | "iframe"
                | "img"
                | "input"
                | "link"
                | "marquee"
                | "meta"
                | "noembed"
                | "noframes"
                | "noscript"
                | "object"
                | "script"
                | "select"
                | "style"
                | "tbody"
                | "td"
                | "template"
                | "textarea"
                | "tfoot"
                | "th"
                | "thead"
                | "title"
                | "tr"
                | "wbr"
        )
    {
        f |= SPECIAL;
    }
    if matches!(
        name,
        "applet" | "caption" | "html" | "table" | "td" | "th" | "marquee" | "object" | "template"
    ) {
        f |= SCOPE;
    }
    if matches!(
        name,
        "title"
            | "meta"
            | "link"
            | "script"
            | "style"
            | "base"
            | "noscript"
            | "template"
            | "noframes"
            | "basefont"
            | "bgsound"
    ) {
        f |= IN_HEAD;
    }
    let block = matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "legend"
            | "li"
            | "listing"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "tfoot"
            | "thead"
            | "tr"
            | "ul"
            | "option"
            | "xmp"
            | "plaintext"
    );
    if block {
        f |= BLOCK;
    }
    if matches!(
        name,
        "head"
            | "title"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "video"
            | "audio"
            | "select"
            | "textarea"
            | "button"
            | "map"
            | "input"
    ) {
        f |= SKIPPED;
    }
    // Blocks that hold other blocks; a paragraph, heading, item or row is part of an
    // article, never the article.
    if (block || matches!(name, "td" | "th"))
        && !matches!(
            name,
            "p" | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "li"
                | "dt"
                | "dd"
                | "pre"
                | "tr"
                | "caption"
                | "figcaption"
                | "option"
                | "hr"
                | "summary"
                | "legend"
                | "address"
                | "listing"
                | "xmp"
                | "plaintext"
        )
    {
        f |= CANDIDATE;
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sorted_and_unique() {
        assert!(NAMES.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            lookup("div"),
            NAMES.iter().position(|n| *n == "div").unwrap() as Tag
        );
        assert_eq!(lookup("my-widget"), 0);
        assert_eq!(flags(0), 0);
        assert!(is(lookup("div"), BLOCK | CLOSES_P | CANDIDATE));
        assert!(is(lookup("br"), VOID));
        assert_eq!(heading_level(lookup("h3")), Some(3));
    }

    #[test]
    fn every_name_with_a_property_is_interned() {
        // A name the property lists mention but NAMES lacks would silently lose them.
        let src = include_str!("tags.rs");
        let body = &src[src.find("fn compute").unwrap()..src.find("#[cfg(test)]").unwrap()];
        let mut missing = Vec::new();
        for part in body.split('"').skip(1).step_by(2) {
            if part
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                && lookup(part) == 0
            {
                missing.push(part);
            }
        }
        assert!(missing.is_empty(), "{missing:?}");
    }
}
