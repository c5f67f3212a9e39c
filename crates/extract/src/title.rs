//! The article's headline: which line of the page states it.
//!
//! The page names its headline in `og:title`, JSON-LD `headline` and `<title>` (usually
//! with the site's name added: `Headline - Site`, `Headline_Channel_Site`). A line is the
//! headline when it says nearly the same thing as one of those, with the site-name parts
//! removed; a line that is merely *contained* in `<title>` (the site name in a footer, a
//! "Comments" heading) is not. Headings and lines near the start of the article win ties.

/// Strings that can say the same as a headline line, best first, squeezed (letters and
/// digits only, lowercase).
pub fn candidates(
    og_title: Option<&str>,
    ld_headline: Option<&str>,
    title: Option<&str>,
    site_name: Option<&str>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let site = site_name.map(squeeze).unwrap_or_default();
    let mut add = |s: &str| {
        let q = squeeze(s);
        if q.chars().count() >= 2 && q != site && !out.contains(&q) {
            out.push(q);
        }
    };
    for t in [ld_headline, og_title, title].into_iter().flatten() {
        add(t);
        if let Some(core) = without_site_name(t, site_name) {
            add(&core);
        }
    }
    out
}

/// A title without the site/channel parts (see [`crate::classify::region::title_core`]).
pub fn without_site_name(title: &str, site_name: Option<&str>) -> Option<String> {
    crate::classify::region::title_core(title, site_name)
}

/// Letters and digits only, lowercase: pages mix “” and "", ？ and ?, spaces.
pub fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// How well a line states one of the candidates: 1.0 for the same text, the ratio of the
/// lengths when one contains the other, 0 otherwise.
pub fn similarity(line: &str, candidates: &[String]) -> f64 {
    let l = squeeze(line);
    let n = l.chars().count();
    if n < 2 {
        return 0.0;
    }
    candidates
        .iter()
        .map(|c| {
            let m = c.chars().count();
            if *c == l {
                1.0
            } else if c.contains(&l) || l.contains(c.as_str()) {
                n.min(m) as f64 / n.max(m) as f64
            } else {
                0.0
            }
        })
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_names_are_not_headlines() {
        let c = candidates(
            None,
            None,
            Some("Film review: a quiet triumph - IndieWire"),
            None,
        );
        assert!(similarity("Film review: a quiet triumph", &c) > 0.99);
        assert!(similarity("IndieWire", &c) < 0.5);
        let c = candidates(
            None,
            None,
            Some("姚明对周琦说了啥_体育_新浪网"),
            Some("新浪网"),
        );
        assert!(similarity("姚明对周琦说了啥？", &c) > 0.99);
        assert!(similarity("新浪网", &c) < 0.5);
        assert!(similarity("体育", &c) < 0.5);
        // A forum's title: the headline, the board, the forum, the software's credit.
        let c = candidates(
            None,
            None,
            Some(
                "阳台种番茄一年的经验，新手少走弯路 - 园艺交流 - 绿手指论坛 -  Powered by Discuz!",
            ),
            None,
        );
        assert!(similarity("[经验分享] 阳台种番茄一年的经验，新手少走弯路", &c) >= 0.6);
    }
}
