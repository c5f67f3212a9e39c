//! What an element's tag, class and id say about its content, in English and pinyin.
//!
//! Authors name containers for what they hold: `article-content`, `zhengwen`, `neirong`
//! for the body; `comment`, `pinglun`, `xiangguan`, `share`, `guanggao` for the rest.
//! Short words (`ad`, `nav`, `zw`) count only as whole words of a class or id, so
//! `header` and `download` do not read as `ad`.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::dom::{Dom, NodeId};

/// The kind of content an element's markup announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    /// Nothing either way.
    None,
    /// The article body.
    Content,
    /// Something that is not the article, with a name for it.
    Noise(&'static str),
}

/// Words inside a class or id that mark the article body.
const CONTENT_PARTS: &[&str] = &[
    "article",
    "content",
    "zhengwen",
    "neirong",
    "wenzhang",
    "artibody",
    "entry",
    "story",
    "postbody",
    "post_body",
    "post-body",
    "post_text",
    "richtext",
    "rich_media",
    "detail",
    "maintext",
    "main-text",
    "main_text",
];

/// Whole words of a class or id that mark the article body.
const CONTENT_WORDS: &[&str] = &["text", "txt", "zw", "body", "main", "con", "cont", "news"];

/// Words inside a class or id that mark noise, with what it is.
const NOISE_PARTS: &[(&str, &str)] = &[
    ("comment", "comments"),
    ("pinglun", "comments"),
    ("reply", "comments"),
    ("disqus", "comments"),
    ("footer", "footer"),
    ("copyright", "footer"),
    ("banquan", "footer"),
    ("sidebar", "sidebar"),
    ("related", "related links"),
    ("xiangguan", "related links"),
    ("recommend", "recommendations"),
    ("tuijian", "recommendations"),
    ("share", "share bar"),
    ("fenxiang", "share bar"),
    ("social", "share bar"),
    ("advert", "advertising"),
    ("guanggao", "advertising"),
    ("sponsor", "advertising"),
    ("promo", "advertising"),
    ("breadcrumb", "breadcrumb"),
    ("crumb", "breadcrumb"),
    ("mianbao", "breadcrumb"),
    ("navbar", "navigation"),
    ("menu", "navigation"),
    ("daohang", "navigation"),
    ("subscribe", "subscription prompt"),
    ("newsletter", "subscription prompt"),
    ("signup", "subscription prompt"),
    ("login", "login box"),
    ("popup", "popup"),
    ("modal", "popup"),
    ("widget", "widget"),
    ("toolbar", "toolbar"),
    ("paihang", "ranking list"),
    ("ranking", "ranking list"),
    ("hotnews", "ranking list"),
    ("pagination", "pager"),
    ("pager", "pager"),
    ("qrcode", "QR code box"),
    ("erweima", "QR code box"),
];

/// Whole words of a class or id that mark noise.
const NOISE_WORDS: &[(&str, &str)] = &[
    ("ad", "advertising"),
    ("ads", "advertising"),
    ("gg", "advertising"),
    ("nav", "navigation"),
    ("foot", "footer"),
    ("side", "sidebar"),
    ("aside", "sidebar"),
    ("right", "sidebar"),
    ("tag", "tags"),
    ("tags", "tags"),
    ("keywords", "tags"),
    ("hot", "ranking list"),
    ("rank", "ranking list"),
    ("top10", "ranking list"),
    ("more", "more links"),
    ("links", "link list"),
    ("author", "byline"),
    ("byline", "byline"),
    ("info", "byline"),
    ("meta", "byline"),
    ("source", "byline"),
    ("time", "byline"),
    ("date", "byline"),
    ("editor", "byline"),
    ("bianji", "byline"),
    ("laiyuan", "byline"),
];

/// The hint of one element.
pub fn hint(dom: &Dom, id: NodeId) -> Hint {
    let Some(name) = dom.name(id) else {
        return Hint::None;
    };
    match name {
        "nav" | "menu" => return Hint::Noise("navigation"),
        "footer" => return Hint::Noise("footer"),
        "aside" => return Hint::Noise("sidebar"),
        "form"
            if dom
                .attr(id, "action")
                .is_some_and(|a| a.contains("comment")) =>
        {
            return Hint::Noise("comments")
        }
        _ => {}
    }
    let mut words = String::new();
    for (k, v) in dom.attrs(id) {
        if matches!(k, "class" | "id" | "role" | "itemprop") {
            words.push(' ');
            words.push_str(v);
        }
    }
    let from_attrs = hint_of_words(&words);
    if from_attrs == Hint::None && matches!(name, "article" | "main") {
        return Hint::Content;
    }
    from_attrs
}

/// The hint of a class/id string. Noise wins over content (`article-comments`).
pub fn hint_of_words(words: &str) -> Hint {
    if words.trim().is_empty() {
        return Hint::None;
    }
    // One automaton for every part: noise parts first, then content parts.
    static PARTS: LazyLock<AhoCorasick> = LazyLock::new(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(
                NOISE_PARTS
                    .iter()
                    .map(|p| p.0)
                    .chain(CONTENT_PARTS.iter().copied()),
            )
            .expect("valid patterns")
    });
    let mut noise: Option<usize> = None;
    let mut content = false;
    for m in PARTS.find_overlapping_iter(words) {
        let k = m.pattern().as_usize();
        if k < NOISE_PARTS.len() {
            noise = Some(noise.map_or(k, |n| n.min(k)));
        } else {
            content = true;
        }
    }
    if let Some(k) = noise {
        return Hint::Noise(NOISE_PARTS[k].1);
    }
    let ws = split_words(words);
    let is_content =
        |w: &str| CONTENT_WORDS.contains(&w) || CONTENT_PARTS.iter().any(|p| w.contains(p));
    for (k, w) in ws.iter().enumerate() {
        if let Some((_, what)) = NOISE_WORDS.iter().find(|(n, _)| n == w) {
            // A byline word names what follows it: `editor_content` is the editor's
            // content (the body), `content_info` is information about the content.
            if *what == "byline" && ws.get(k + 1).is_some_and(|n| is_content(n)) {
                content = true;
                continue;
            }
            return Hint::Noise(what);
        }
        content |= CONTENT_WORDS.contains(&w.as_str());
    }
    if content {
        Hint::Content
    } else {
        Hint::None
    }
}

/// Words of class and id values: split at non-alphanumerics, digits runs and camelCase
/// humps, lowercased (`mainNav_2` gives `main`, `nav`).
fn split_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if !c.is_ascii_alphanumeric() || c.is_ascii_digit() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase();
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_parts() {
        assert_eq!(hint_of_words("article-content"), Hint::Content);
        assert_eq!(hint_of_words("left_zw"), Hint::Content);
        assert_eq!(hint_of_words("mainNav"), Hint::Noise("navigation"));
        assert_eq!(hint_of_words("header download"), Hint::None);
        assert_eq!(hint_of_words("post-ad"), Hint::Noise("advertising"));
        assert_eq!(hint_of_words("article-comments"), Hint::Noise("comments"));
        assert_eq!(hint_of_words("pinglun_box"), Hint::Noise("comments"));
        assert_eq!(hint_of_words("editor_content"), Hint::Content);
        assert_eq!(hint_of_words("content_info"), Hint::Noise("byline"));
        assert_eq!(hint_of_words("article-author"), Hint::Noise("byline"));
        assert_eq!(
            hint_of_words("newsletter-signup"),
            Hint::Noise("subscription prompt")
        );
        assert_eq!(hint_of_words(""), Hint::None);
    }
}
