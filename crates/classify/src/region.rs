//! The page as a whole: is it a page at all, where is the headline, and which lines are
//! the article.

use serde::Serialize;

use super::context::{Context, ContextReason};
use super::features::{is_alnum, Features};
use super::line::{Class, Reason};

/// Title matching compares at most this many letters and digits of the title.
const TITLE_MAX: usize = 300;
/// How far after the headline (in non-transparent lines) the article may start.
const BODY_WINDOW: usize = 40;
/// How far before the article (in lines) a headline is looked for when no line repeats
/// the title.
const HEADLINE_LOOKBACK: usize = 8;

/// A line (or run of lines) that repeats the page title.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TitleMatch {
    /// First line (0-based).
    pub first: usize,
    /// Last line (0-based): a headline may be split over lines.
    pub last: usize,
    /// Share of the title's letters the lines cover (1.0: the same text); above 1 never.
    pub coverage: f64,
}

/// Letters and digits only: pages write the same title with different punctuation.
fn squeeze_into(s: &str, out: &mut String) {
    out.extend(s.chars().filter(|&c| is_alnum(c)));
}

/// A set of characters, hashed into 128 bits: a quick test that a line's characters can
/// all be in the title before comparing them.
#[derive(Default)]
struct CharSet(u128);

impl CharSet {
    fn bit(c: char) -> u128 {
        1u128 << ((c as u32).wrapping_mul(2654435761) >> 25)
    }
    fn insert(&mut self, c: char) {
        self.0 |= Self::bit(c);
    }
    fn contains(&self, c: char) -> bool {
        self.0 & Self::bit(c) != 0
    }
}

/// A title without the site/channel parts: the widest part between separators (`-`, `_`,
/// `|`, `–`, `—`, `·`), which is the headline on nearly every site. Widest by what a reader
/// sees: a CJK character is as wide as two Latin letters, so a Chinese headline outweighs
/// `Powered by Discuz!` beside it; software credits and the site's own name are never the
/// headline. `None` when the title has no such parts.
pub fn title_core(title: &str, site_name: Option<&str>) -> Option<String> {
    let seps = [
        " - ", " | ", "_", " – ", " — ", "|", "｜", " · ", "--", "——", " -", "- ",
    ];
    let mut parts: Vec<&str> = vec![title];
    for sep in seps {
        parts = parts.iter().flat_map(|p| p.split(sep)).collect();
    }
    let squeeze = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let site = site_name.map(squeeze);
    let width = |p: &str| -> usize {
        p.chars()
            .map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 })
            .sum()
    };
    // On a tie the first part wins: titles put the headline first (`标题_博客名_频道`).
    let best = parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty() && site.as_deref() != Some(squeeze(p).as_str()))
        .filter(|p| !p.to_ascii_lowercase().starts_with("powered by"))
        .rev()
        .max_by_key(|p| width(p))?;
    (best.len() < title.trim().len()).then(|| best.to_string())
}

/// Lines that repeat the title `title` (its letters and digits), in order. A headline
/// repeats the title without the site name (`标题_网站名`, `网站名--标题`), or the whole
/// title; a long headline may be split over consecutive lines.
pub fn title_matches(
    title: &str,
    lines: &[&str],
    features: &[Features],
    from: usize,
) -> Vec<TitleMatch> {
    let mut t = String::new();
    squeeze_into(title, &mut t);
    let t: String = t.chars().take(TITLE_MAX).collect();
    let tn = t.chars().count();
    let mut out = Vec::new();
    if tn < 4 {
        return out;
    }
    let mut in_title = CharSet::default();
    t.chars().for_each(|c| in_title.insert(c));
    // The headline proper, without the site's name: a line that is it, or holds it with a
    // label (`[经验分享] 标题`), repeats the title even when it is short.
    let mut core = String::new();
    if let Some(c) = title_core(title, None) {
        squeeze_into(&c, &mut core);
    }
    let core: String = core.chars().take(TITLE_MAX).collect();
    let cn = core.chars().count();
    let mut s = String::new();
    for i in from..lines.len() {
        if cn >= 4 {
            let f = &features[i];
            let n = f.alnum as usize;
            if !f.url && n >= cn && n * 2 <= cn * 3 {
                s.clear();
                squeeze_into(lines[i], &mut s);
                if s.contains(core.as_str()) {
                    out.push(TitleMatch {
                        first: i,
                        last: i,
                        coverage: cn as f64 / n as f64,
                    });
                    continue;
                }
            }
        }
        let f = &features[i];
        let n = f.alnum as usize;
        if f.url || n < 4 || n * 10 > tn * 13 + 40 {
            continue;
        }
        // Most lines share few characters with the title: only those fully inside it,
        // or long enough to hold it, are compared.
        let inside = lines[i]
            .chars()
            .filter(|&c| is_alnum(c))
            .all(|c| in_title.contains(c));
        if !inside && n < tn {
            continue;
        }
        s.clear();
        squeeze_into(lines[i], &mut s);
        if t.contains(s.as_str()) {
            // Extend over the following lines while the joined text stays inside the title.
            let mut last = i;
            let mut joined = n;
            while last + 1 < lines.len() && joined < tn {
                let before = s.len();
                squeeze_into(lines[last + 1], &mut s);
                if s.len() > before && t.contains(s.as_str()) {
                    joined = s.chars().count();
                    last += 1;
                } else {
                    s.truncate(before);
                    break;
                }
            }
            let coverage = joined as f64 / tn as f64;
            if joined >= 6 && coverage >= 0.3 {
                out.push(TitleMatch {
                    first: i,
                    last,
                    coverage,
                });
            }
        } else if s.contains(t.as_str()) {
            out.push(TitleMatch {
                first: i,
                last: i,
                coverage: tn as f64 / n as f64,
            });
        }
    }
    out
}

/// Why the text is (or is not) treated as a whole page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// Whether the classifier acts on this text.
    pub is_page: bool,
    /// Lines with strong chrome evidence (widget words, breadcrumbs, dates, list headings...).
    pub chrome_lines: usize,
    /// Lines that are not transparent.
    pub lines: usize,
    /// Longest run of very short lines without sentences (a menu).
    pub menu_run: usize,
    /// Whether a later line repeats the page title.
    pub title_repeated: bool,
    /// The rule that decided, in words.
    pub reason: String,
}

/// Menu items are at most this many characters.
const MENU_ITEM_CHARS: u32 = 8;

/// A whole page has page chrome: a title line repeated as the headline plus a few chrome
/// lines, or many chrome lines (a large share of the text, or long menus). Article-style
/// texts (mostly prose, a few chrome lines) are not pages.
pub fn verdict(
    classes: &[(Class, Reason)],
    features: &[Features],
    title_repeated: bool,
) -> Verdict {
    let mut lines = 0;
    let mut chrome = 0;
    let (mut run, mut menu_run) = (0, 0);
    for (&(c, r), f) in classes.iter().zip(features) {
        if c == Class::Skip {
            continue;
        }
        lines += 1;
        let strong = matches!(c, Class::Bad | Class::Barrier) && !r.is_weak();
        chrome += strong as usize;
        if matches!(c, Class::Short | Class::Bad | Class::Barrier) && f.chars <= MENU_ITEM_CHARS {
            run += 1;
            menu_run = menu_run.max(run);
        } else {
            run = 0;
        }
    }
    let titled = title_repeated && chrome >= 3;
    let chromed = chrome >= 12 && (chrome * 20 >= lines * 3 || menu_run >= 10);
    let reason = if titled {
        "a line repeats the page title and 3 or more lines are page chrome".to_string()
    } else if chromed {
        "12 or more lines are page chrome (15% of the lines, or a menu of 10 short lines)"
            .to_string()
    } else if title_repeated {
        format!("mostly prose: a line repeats the title but only {chrome} lines are page chrome")
    } else {
        format!("mostly prose: no title line and only {chrome} lines are page chrome")
    };
    Verdict {
        is_page: titled || chromed,
        chrome_lines: chrome,
        lines,
        menu_run,
        title_repeated,
        reason,
    }
}

/// The article found on a page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Article {
    /// The headline's lines (0-based, inclusive), if one was found.
    pub headline: Option<(usize, usize)>,
    /// First and last line of the article body (0-based, inclusive).
    pub body: (usize, usize),
    /// The region's score: what its lines add up to.
    pub score: f64,
    /// How the region was chosen, in words.
    pub reason: String,
}

/// Best end for every start: `ends[i]` is the end of the best region starting at `i`,
/// from the prefix sums (`prefix[i]` = sum of the scores before line `i`).
fn best_ends(prefix: &[f64]) -> Vec<usize> {
    let n = prefix.len() - 1;
    let mut ends = vec![0; n];
    for j in (0..n).rev() {
        ends[j] = if j + 1 < n && prefix[ends[j + 1] + 1] > prefix[j + 1] {
            ends[j + 1]
        } else {
            j
        };
    }
    ends
}

/// The best-scoring run of lines anywhere (Kadane).
fn densest(scores: &[f64]) -> Option<(usize, usize, f64)> {
    let mut best: Option<(usize, usize, f64)> = None;
    let (mut cur, mut start) = (0.0f64, 0);
    for (i, &s) in scores.iter().enumerate() {
        if cur <= 0.0 {
            cur = s;
            start = i;
        } else {
            cur += s;
        }
        if cur > 0.0 && best.is_none_or(|b| cur > b.2) {
            best = Some((start, i, cur));
        }
    }
    best
}

/// Chooses the article: after a line that repeats the title, the best-scoring region that
/// starts with a paragraph near it; else the best-scoring region anywhere, with the
/// headline-shaped line just before it.
pub fn choose(
    classes: &[(Class, Reason)],
    features: &[Features],
    lines: &[&str],
    scores: &[f64],
    titles: &[TitleMatch],
    title_line: Option<usize>,
) -> Option<Article> {
    // A thread's article is its first post: nothing from the first reply on.
    let n = first_reply(classes, title_line).unwrap_or(scores.len());
    let scores = &scores[..n];
    let mut prefix = Vec::with_capacity(n + 1);
    prefix.push(0.0f64);
    for &s in scores {
        prefix.push(prefix.last().unwrap() + s);
    }
    let ends = best_ends(&prefix);
    let region = |st: usize| (ends[st], prefix[ends[st] + 1] - prefix[st]);
    let (gs, ge, gv) = densest(scores)?;

    // After each title match: the paragraphs starting within the window; the earliest
    // start whose region scores at least half the best one (a short lead before a chrome
    // block is kept; an ad before a video box is not).
    let mut choice: Option<(f64, TitleMatch, usize, usize)> = None;
    for m in titles {
        let mut starts = Vec::new();
        let mut seen = 0;
        let mut st = m.last + 1;
        while st < n && seen < BODY_WINDOW {
            if classes[st].0 == Class::Good {
                let (e, v) = region(st);
                starts.push((st, e, v));
            }
            if classes[st].0 != Class::Skip {
                seen += 1;
            }
            st += 1;
        }
        let Some(top) = starts.iter().map(|s| s.2).reduce(f64::max) else {
            continue;
        };
        let Some(&(st, e, v)) = starts.iter().find(|s| s.2 >= 0.5 * top) else {
            continue;
        };
        // On a tie (two matches before the same body) the fuller match is the headline:
        // the headline itself, not the site's name above it.
        if choice
            .is_none_or(|c| v > c.0 || (v == c.0 && m.coverage.min(1.0) > c.1.coverage.min(1.0)))
        {
            choice = Some((v, *m, st, e));
        }
    }
    // A strong match (most of the title) is trusted; a weak one (a site name in a footer)
    // must lead to a region worth half the densest one.
    if let Some((v, m, st, e)) = choice.filter(|c| c.1.coverage >= 0.6 || c.0 >= 0.5 * gv) {
        return Some(Article {
            headline: Some((m.first, m.last)),
            body: (st, e),
            score: v,
            reason: format!(
                "headline repeats the page title ({:.0}% of it); the article is the best-scoring \
                 region starting within {BODY_WINDOW} lines after it",
                m.coverage.min(1.0) * 100.0
            ),
        });
    }
    let first = (gs..=ge).find(|&i| classes[i].0 == Class::Good)?;
    let lowest = title_line.map_or(0, |t| t + 1);
    let mut headline = None;
    let mut steps = 0;
    let mut k = first;
    while k > lowest && steps < HEADLINE_LOOKBACK {
        k -= 1;
        steps += 1;
        let (c, _) = classes[k];
        let chars = features[k].chars;
        if matches!(c, Class::Short | Class::NearGood)
            && (6..=60).contains(&chars)
            && !lines[k].trim_end().ends_with('。')
        {
            headline = Some((k, k));
            break;
        }
        if !matches!(c, Class::Skip | Class::Bad) {
            break;
        }
    }
    Some(Article {
        headline,
        body: (first, ge),
        score: gv,
        reason: "no line repeats the page title: the article is the best-scoring region of \
                 the page, the headline the headline-shaped line just before it"
            .to_string(),
    })
}

/// The first reply header (`沙发`, `3楼`) that follows a paragraph: where a thread's
/// first post ends.
fn first_reply(classes: &[(Class, Reason)], title_line: Option<usize>) -> Option<usize> {
    let from = title_line.map_or(0, |t| t + 1);
    let first_para = (from..classes.len()).find(|&i| classes[i].0 == Class::Good)?;
    (first_para..classes.len()).find(|&i| classes[i].1 == Reason::ReplyHeader)
}

/// Sentences just before the first paragraph (a lead, a first short paragraph) belong to
/// the article when their context says so: the body starts at the first of them. So does
/// a numbered section heading right above it (`一、居民收入情况`, `1. 背景`), whatever its
/// context: the byline and share bar above it are chrome, but they are not numbered.
pub fn extend_start(
    article: &mut Article,
    context: &[(Context, ContextReason)],
    features: &[Features],
) {
    let floor = article.headline.map_or(0, |h| h.1 + 1);
    let mut k = article.body.0;
    while k > floor {
        k -= 1;
        match context[k].0 {
            Context::Skip => {}
            Context::Article => article.body.0 = k,
            Context::Chrome if opens_section(&features[k]) => article.body.0 = k,
            Context::Chrome => break,
        }
    }
}

/// Characters a numbered section heading has at most.
const MAX_SECTION_HEADING: u32 = 30;

/// A numbered section heading: numbered, short, not a paragraph.
fn opens_section(f: &Features) -> bool {
    f.numbered && f.chars <= MAX_SECTION_HEADING && !f.ends_paragraph
}

/// Why a line is kept or removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    /// The text is not a page: the classifier does not act.
    NotAPage,
    /// A page without any paragraph of prose: nothing to anchor an article on, so the
    /// classifier does not act.
    NoArticle,
    /// The headline.
    Headline,
    /// Article text inside the article region.
    Article,
    /// Blank or already removed: left to the other stages.
    Transparent,
    /// A URL or an image path on its own line: not text.
    Url,
    /// Line numbers beside a code block: not text.
    LineNumbers,
    /// Between the headline and the first paragraph: bylines, share bars, counters.
    HeaderChrome,
    /// Inside the article region, but page chrome by its context.
    ChromeInArticle,
    /// Before the article region.
    BeforeArticle,
    /// After the article region.
    AfterArticle,
}

impl Decision {
    /// Whether the line stays.
    pub fn keeps(self) -> bool {
        matches!(
            self,
            Decision::NotAPage
                | Decision::NoArticle
                | Decision::Headline
                | Decision::Article
                | Decision::Transparent
        )
    }

    /// A short human description.
    pub fn describe(self) -> &'static str {
        match self {
            Decision::NotAPage => "not a whole page: left alone",
            Decision::NoArticle => "a page without prose: left alone",
            Decision::Headline => "headline",
            Decision::Article => "article text",
            Decision::Transparent => "blank or already removed: left to the other stages",
            Decision::Url => "a URL or image path on its own: not text",
            Decision::LineNumbers => "line numbers beside a code block: not text",
            Decision::HeaderChrome => "between the headline and the first paragraph",
            Decision::ChromeInArticle => "page chrome inside the article",
            Decision::BeforeArticle => "before the article",
            Decision::AfterArticle => "after the article",
        }
    }
}

/// The decision for every line, given the article (or none).
pub fn decide(
    classes: &[(Class, Reason)],
    context: &[(Context, ContextReason)],
    features: &[Features],
    article: Option<&Article>,
    hints: &[super::LineHint],
) -> Vec<Decision> {
    let Some(a) = article else {
        return vec![Decision::NoArticle; classes.len()];
    };
    let (first, last) = a.body;
    let head = a.headline.unwrap_or((first, first));
    (0..classes.len())
        .map(|i| {
            if a.headline.is_some_and(|(h0, h1)| (h0..=h1).contains(&i)) {
                Decision::Headline
            } else if classes[i].1 == Reason::Blank || hints.get(i).is_some_and(|h| h.removed) {
                Decision::Transparent
            } else if classes[i].1 == Reason::Url {
                Decision::Url
            } else if classes[i].1 == Reason::LineNumbers {
                Decision::LineNumbers
            } else if i < head.0.min(first) {
                Decision::BeforeArticle
            } else if i < first {
                Decision::HeaderChrome
            } else if i > last {
                Decision::AfterArticle
            } else if context[i].0 == Context::Article
                // The numbered section heading that opens the body (see `extend_start`).
                || (i == first && opens_section(&features[i]))
            {
                Decision::Article
            } else {
                Decision::ChromeInArticle
            }
        })
        .collect()
}
