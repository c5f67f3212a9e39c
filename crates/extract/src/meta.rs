//! What a page says about itself: title, author, publication time, site name, canonical
//! URL and language, taken by trust: JSON-LD first, then `og:`/`article:` meta tags, then
//! other meta tags (`author`, `publishdate`, `pubdate`, ...), then `<time>` elements.
//! Byline lines in the text come last; the engine's `meta` rules read those.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::dom::{Dom, Kind, NodeId};

/// Page metadata found in the markup.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageMeta {
    /// `<title>`, white space collapsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `og:title` (or `twitter:title`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub og_title: Option<String>,
    /// JSON-LD `headline`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    /// Author name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Publication time as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_raw: Option<String>,
    /// Publication time in ISO 8601 (`2019-09-02`, `2019-09-02T10:22:00`, with the offset
    /// when the page gives one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// The site's name (`og:site_name`, JSON-LD publisher).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_name: Option<String>,
    /// Canonical URL (`<link rel=canonical>`, `og:url`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Language (`<html lang>`, `content-language`, `og:locale`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// Meta tag names giving a publication time, by trust.
const PUBLISHED_KEYS: &[&str] = &[
    "article:published_time",
    "og:release_date",
    "datepublished",
    "publishdate",
    "publish_date",
    "pubdate",
    "publishtime",
    "publish-date",
    "dc.date.issued",
    "dc.date",
    "date",
    "weibo:article:create_at",
    "apub:time",
    "og:time",
    "sailthru.date",
    "parsely-pub-date",
];

/// Meta tag names giving an author, by trust.
const AUTHOR_KEYS: &[&str] = &[
    "article:author",
    "author",
    "dc.creator",
    "byl",
    "parsely-author",
];

/// Reads the page's metadata from its tree.
pub fn read(dom: &Dom) -> PageMeta {
    let mut m = PageMeta::default();
    let mut metas: Vec<(String, &str)> = Vec::new();
    let mut ld: Vec<Value> = Vec::new();
    let mut time: Option<String> = None;
    let mut canonical: Option<&str> = None;
    for id in 1..dom.len() as NodeId {
        let Some(name) = dom.name(id) else { continue };
        match name {
            "meta" => {
                let key = dom
                    .attr(id, "property")
                    .or_else(|| dom.attr(id, "name"))
                    .or_else(|| dom.attr(id, "itemprop"))
                    .or_else(|| dom.attr(id, "http-equiv"));
                if let (Some(k), Some(v)) = (key, dom.attr(id, "content")) {
                    if !v.trim().is_empty() {
                        metas.push((k.trim().to_ascii_lowercase(), v.trim()));
                    }
                }
            }
            "title" if m.title.is_none() => {
                m.title = collapse(&dom.text_content(id));
            }
            "link" if canonical.is_none() => {
                let rel = dom.attr(id, "rel").unwrap_or("");
                if rel
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("canonical"))
                {
                    canonical = dom.attr(id, "href").filter(|h| is_http_url(h));
                }
            }
            "script" => {
                let ty = dom.attr(id, "type").unwrap_or("");
                if ty.trim().eq_ignore_ascii_case("application/ld+json") {
                    let text = text_content_raw(dom, id);
                    if let Ok(v) = serde_json::from_str::<Value>(text.trim()) {
                        ld.push(v);
                    }
                }
            }
            "time" if time.is_none() => {
                time = dom
                    .attr(id, "datetime")
                    .map(str::to_string)
                    .or_else(|| collapse(&dom.text_content(id)))
                    .filter(|t| iso_date(t).is_some());
            }
            _ => {}
        }
    }
    let meta = |keys: &[&str]| -> Option<String> {
        keys.iter().find_map(|k| {
            metas
                .iter()
                .find(|(mk, _)| mk == k)
                .map(|(_, v)| v.to_string())
        })
    };
    let article = ld.iter().flat_map(ld_objects).find(|o| is_article(o));

    m.og_title = meta(&["og:title", "twitter:title"]).and_then(|t| collapse(&t));
    m.headline = article
        .and_then(|a| a.get("headline"))
        .and_then(Value::as_str)
        .and_then(collapse);
    m.site_name = meta(&["og:site_name", "application-name"])
        .or_else(|| {
            article
                .and_then(|a| a.get("publisher"))
                .and_then(|p| p.get("name"))
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .and_then(|s| collapse(&s));
    m.author = article
        .and_then(|a| a.get("author"))
        .and_then(ld_name)
        .or_else(|| meta(AUTHOR_KEYS))
        // A URL or an e-mail address is not a name (template placeholders carry both).
        .filter(|a| !is_http_url(a) && !a.contains('@'))
        .and_then(|s| collapse(&s));
    let published = article
        .and_then(|a| a.get("datePublished").or_else(|| a.get("dateCreated")))
        .and_then(Value::as_str)
        .map(str::to_string)
        .filter(|d| iso_date(d).is_some())
        .or_else(|| {
            PUBLISHED_KEYS.iter().find_map(|k| {
                metas
                    .iter()
                    .filter(|(mk, _)| mk == k)
                    .map(|(_, v)| v.to_string())
                    .find(|v| iso_date(v).is_some())
            })
        })
        .or(time);
    m.published = published.as_deref().and_then(iso_date);
    m.published_raw = published;
    m.url = canonical
        .map(str::to_string)
        .or_else(|| meta(&["og:url"]).filter(|u| is_http_url(u)));
    m.lang = dom
        .html
        .and_then(|h| dom.attr(h, "lang").or_else(|| dom.attr(h, "xml:lang")))
        .map(str::to_string)
        .or_else(|| meta(&["content-language", "og:locale", "language"]))
        .map(|l| l.trim().replace('_', "-"))
        .filter(|l| {
            !l.is_empty()
                && l.len() <= 35
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    m
}

/// All text inside `id`, scripts included (for JSON-LD).
fn text_content_raw(dom: &Dom, id: NodeId) -> String {
    let mut out = String::new();
    for c in dom.children(id) {
        if let Kind::Text(_) = dom.nodes[c as usize].kind {
            out.push_str(dom.text(c).unwrap_or(""));
        }
    }
    out
}

/// Objects of a JSON-LD value: the value itself, array items and `@graph` members.
fn ld_objects(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(a) => a.iter().flat_map(ld_objects).collect(),
        Value::Object(o) => {
            let mut out = vec![v];
            if let Some(g) = o.get("@graph") {
                out.extend(ld_objects(g));
            }
            out
        }
        _ => Vec::new(),
    }
}

fn is_article(v: &Value) -> bool {
    let types: Vec<&str> = match v.get("@type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    types.iter().any(|t| {
        t.ends_with("Article")
            || matches!(
                *t,
                "BlogPosting" | "NewsArticle" | "Report" | "ReportageNews" | "LiveBlogPosting"
            )
    })
}

/// A JSON-LD author: a string, an object with `name`, or a list of them.
fn ld_name(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("name").and_then(Value::as_str).map(str::to_string),
        Value::Array(a) => {
            let names: Vec<String> = a.iter().filter_map(ld_name).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    }
}

fn collapse(s: &str) -> Option<String> {
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

/// Whether `s` is an absolute http(s) URL without white space.
pub fn is_http_url(s: &str) -> bool {
    let lower = s.trim().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && !s.trim().chars().any(char::is_whitespace)
}

/// A date (and time) as written in pages, in ISO 8601: `2019-09-02`,
/// `2019-09-02T10:22:00`, `2019-09-02T10:22:00+08:00`. Accepts `-`, `/`, `.` and
/// `年月日` between the parts and an optional time, or an English date (`March 4, 2024`,
/// `4 March 2024`, `Mon May  6 10:20:33 2013`); `None` when there is no full date.
pub fn iso_date(s: &str) -> Option<String> {
    numeric_date(s).or_else(|| english_date(s))
}

/// English month names and their three-letter forms.
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// `March 4, 2024`, `4 Mar 2024`, `Mon May  6 10:20:33 2013` (asctime, as BBS and mail
/// headers write it): the date only.
fn english_date(s: &str) -> Option<String> {
    if !s.is_ascii() && !s.chars().any(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | '|'))
        .filter(|w| !w.is_empty())
        .take(64)
        .collect();
    let month = |w: &str| -> Option<u32> {
        let w = w.trim_end_matches('.').to_ascii_lowercase();
        (w.len() >= 3)
            .then(|| {
                MONTHS
                    .iter()
                    .position(|m| m.starts_with(w.as_str()) && (w.len() == 3 || *m == w))
            })
            .flatten()
            .map(|i| i as u32 + 1)
    };
    let day = |w: &str| -> Option<u32> {
        let w = w.trim_end_matches(['.', ',']);
        let w = ["st", "nd", "rd", "th"]
            .iter()
            .find_map(|x| w.strip_suffix(x))
            .unwrap_or(w);
        w.parse().ok().filter(|d| (1..=31).contains(d))
    };
    let year = |w: &str| -> Option<u32> {
        let w = w.trim_end_matches(['.', ',']);
        (w.len() == 4)
            .then(|| w.parse().ok())
            .flatten()
            .filter(|y| (1900..=2100).contains(y))
    };
    for (k, w) in words.iter().enumerate() {
        let Some(m) = month(w) else { continue };
        // Month day [time] year, or day month year.
        let (d, rest) = match words.get(k + 1).and_then(|w| day(w)) {
            Some(d) => (Some(d), k + 2),
            None => (k.checked_sub(1).and_then(|j| day(words[j])), k + 1),
        };
        let Some(d) = d else { continue };
        let y = words[rest.min(words.len())..]
            .iter()
            .take(3)
            .find_map(|w| year(w));
        if let Some(y) = y {
            return Some(format!("{y:04}-{m:02}-{d:02}"));
        }
    }
    None
}

fn numeric_date(s: &str) -> Option<String> {
    let c: Vec<char> = s.trim().chars().collect();
    let mut i = 0;
    let num = |i: &mut usize, max: usize| -> Option<u32> {
        let start = *i;
        while *i < c.len() && *i - start < max && c[*i].is_ascii_digit() {
            *i += 1;
        }
        (*i > start).then(|| c[start..*i].iter().collect::<String>().parse().ok())?
    };
    // The first four-digit year.
    while i < c.len() {
        if c[i].is_ascii_digit()
            && (i == 0 || !c[i - 1].is_ascii_digit())
            && c.len() >= i + 4
            && c[i..i + 4].iter().all(char::is_ascii_digit)
            && c.get(i + 4).is_none_or(|x| !x.is_ascii_digit())
        {
            break;
        }
        i += 1;
    }
    let year = num(&mut i, 4)?;
    let sep = |i: &mut usize, ok: &[char]| -> bool {
        if *i < c.len() && ok.contains(&c[*i]) {
            *i += 1;
            while *i < c.len() && c[*i] == ' ' {
                *i += 1;
            }
            true
        } else {
            false
        }
    };
    if !sep(&mut i, &['-', '/', '.', '年']) {
        return None;
    }
    let month = num(&mut i, 2)?;
    if !sep(&mut i, &['-', '/', '.', '月']) {
        return None;
    }
    let day = num(&mut i, 2)?;
    if !(1900..=2100).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut out = format!("{year:04}-{month:02}-{day:02}");
    sep(&mut i, &['日']);
    // Optional time.
    let mut j = i;
    while j < c.len() && (c[j] == ' ' || c[j] == 'T') {
        j += 1;
    }
    let mut k = j;
    if let Some(h) = num(&mut k, 2) {
        if k < c.len() && (c[k] == ':' || c[k] == '：') {
            k += 1;
            if let Some(mi) = num(&mut k, 2) {
                let mut sec = 0;
                if k < c.len() && c[k] == ':' {
                    k += 1;
                    sec = num(&mut k, 2).unwrap_or(0);
                }
                if h < 24 && mi < 60 && sec < 61 {
                    out.push_str(&format!("T{h:02}:{mi:02}:{sec:02}"));
                    // Fractions of a second, then an offset.
                    if k < c.len() && c[k] == '.' {
                        k += 1;
                        while k < c.len() && c[k].is_ascii_digit() {
                            k += 1;
                        }
                    }
                    if k < c.len() && c[k] == 'Z' {
                        out.push('Z');
                    } else if k < c.len() && (c[k] == '+' || c[k] == '-') {
                        let sign = c[k];
                        k += 1;
                        let digits: String = c[k..]
                            .iter()
                            .take_while(|x| x.is_ascii_digit() || **x == ':')
                            .collect();
                        let d: String = digits.chars().filter(char::is_ascii_digit).collect();
                        if d.len() == 4 || d.len() == 2 {
                            let (oh, om) = (&d[..2], if d.len() == 4 { &d[2..] } else { "00" });
                            out.push_str(&format!("{sign}{oh}:{om}"));
                        }
                    }
                }
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(iso_date("2019-09-02").as_deref(), Some("2019-09-02"));
        assert_eq!(
            iso_date("2019年9月2日 10:22").as_deref(),
            Some("2019-09-02T10:22:00")
        );
        assert_eq!(
            iso_date("2020-07-28T09:26:01.000+0800").as_deref(),
            Some("2020-07-28T09:26:01+08:00")
        );
        assert_eq!(
            iso_date("发布时间：2023/1/29 10:22:05").as_deref(),
            Some("2023-01-29T10:22:05")
        );
        assert_eq!(
            iso_date("2021-03-04T05:06:07Z").as_deref(),
            Some("2021-03-04T05:06:07Z")
        );
        assert_eq!(iso_date("09-27"), None);
        assert_eq!(iso_date("2019-13-02"), None);
        assert_eq!(iso_date("11小时前"), None);
        // English dates: bylines, and the asctime of BBS and mail headers.
        assert_eq!(
            iso_date("PUBLISHED: March 4, 2024 at 9:12 p.m.").as_deref(),
            Some("2024-03-04")
        );
        assert_eq!(
            iso_date("Updated 14 Jun 2024").as_deref(),
            Some("2024-06-14")
        );
        assert_eq!(
            iso_date("发信站: 湖畔BBS (Mon May  6 10:20:33 2013), 站内").as_deref(),
            Some("2013-05-06")
        );
        assert_eq!(iso_date("You may 5 times"), None);
        assert_eq!(iso_date("in March the council met"), None);
    }

    #[test]
    fn from_markup() {
        let d = Dom::parse(
            r#"<html lang="zh-CN"><head><title> 标题 _ 新闻 </title>
            <meta property="og:site_name" content="某网">
            <meta name="author" content="张三">
            <meta name="publishdate" content="2019-09-02">
            <link rel="canonical" href="https://news.example.cn/a.html">
            <script type="application/ld+json">{"@type":"NewsArticle","headline":"标题",
              "datePublished":"2019-09-01T08:00:00+08:00","author":[{"name":"李四"}]}</script>
            </head><body><p>x</p></body></html>"#,
        );
        let m = read(&d);
        assert_eq!(m.title.as_deref(), Some("标题 _ 新闻"));
        assert_eq!(m.headline.as_deref(), Some("标题"));
        assert_eq!(m.author.as_deref(), Some("李四"));
        assert_eq!(m.published.as_deref(), Some("2019-09-01T08:00:00+08:00"));
        assert_eq!(m.site_name.as_deref(), Some("某网"));
        assert_eq!(m.url.as_deref(), Some("https://news.example.cn/a.html"));
        assert_eq!(m.lang.as_deref(), Some("zh-CN"));
    }
}
