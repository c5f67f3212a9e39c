//! Site scopes: which rules apply to a document.

use std::sync::Arc;

use crate::input::Document;
use crate::rules::{Rule, Scope};

/// Matches `text` against a glob where `*` matches any run of characters except `/`
/// (and, in host globs, `.` is literal), `**` any run including `/`, and `?` one character.
pub fn glob_match(glob: &str, text: &str) -> bool {
    fn go(g: &[char], t: &[char]) -> bool {
        match g.first() {
            None => t.is_empty(),
            Some('*') if g.get(1) == Some(&'*') => {
                let rest = &g[2..];
                let rest = if rest.first() == Some(&'/') && !rest.is_empty() {
                    // `**/x` also matches `x` at the top.
                    if go(&rest[1..], t) {
                        return true;
                    }
                    rest
                } else {
                    rest
                };
                (0..=t.len()).any(|k| go(rest, &t[k..]))
            }
            Some('*') => {
                let rest = &g[1..];
                for k in 0..=t.len() {
                    if go(rest, &t[k..]) {
                        return true;
                    }
                    if k < t.len() && t[k] == '/' {
                        break;
                    }
                }
                false
            }
            Some('?') => !t.is_empty() && t[0] != '/' && go(&g[1..], &t[1..]),
            Some(c) => t.first() == Some(c) && go(&g[1..], &t[1..]),
        }
    }
    let g: Vec<char> = glob.chars().collect();
    let t: Vec<char> = text.chars().collect();
    go(&g, &t)
}

fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?;
    Some(host.split(':').next().unwrap_or(host))
}

/// Why a scope applies to `doc`, or `None` when it does not.
fn scope_applies(scope: &Scope, doc: &Document) -> Option<String> {
    if let Some(host) = doc.url.as_deref().and_then(host_of) {
        let host = host.to_ascii_lowercase();
        for g in &scope.hosts {
            // `*.example.com` also covers `example.com` itself.
            let g = g.to_ascii_lowercase();
            if glob_match(&g, &host) || g.strip_prefix("*.").is_some_and(|bare| bare == host) {
                return Some(format!("host {host} matches {g}"));
            }
        }
    }
    if let Some(path) = doc.path.as_deref() {
        for g in &scope.paths {
            if glob_match(g, path) {
                return Some(format!("path {path} matches {g}"));
            }
        }
    }
    for m in &scope.markers {
        if doc.text.contains(m.as_str()) {
            return Some(format!("marker {m:?} found"));
        }
    }
    None
}

/// Per rule, whether it applies to `doc`; and a description of each scope that applied.
pub(crate) fn active_rules(rules: &[Rule], doc: &Document) -> (Vec<bool>, Vec<String>) {
    let mut active = Vec::with_capacity(rules.len());
    let mut seen: Vec<(*const Scope, bool)> = Vec::new();
    let mut described = Vec::new();
    for r in rules {
        let on = match &r.scope {
            None => true,
            Some(s) => {
                let key = Arc::as_ptr(s);
                if let Some(&(_, on)) = seen.iter().find(|(k, _)| *k == key) {
                    on
                } else {
                    let why = scope_applies(s, doc);
                    if let Some(w) = &why {
                        described.push(format!("{}: {w}", r.origin.file));
                    }
                    seen.push((key, why.is_some()));
                    why.is_some()
                }
            }
        };
        active.push(on);
    }
    (active, described)
}

/// The `[extract]` selectors of every rule file whose scope applies to `doc`, merged in
/// file order (a later file's `main` selectors come after an earlier file's).
pub(crate) fn site_selectors(
    extracts: &[crate::rules::SiteExtract],
    doc: &Document,
) -> crate::extract::SiteSelectors {
    let mut out = crate::extract::SiteSelectors::default();
    for x in extracts {
        if x.scope
            .as_ref()
            .is_none_or(|s| scope_applies(s, doc).is_some())
        {
            out.main.extend(x.selectors.main.iter().cloned());
            out.noise.extend(x.selectors.noise.iter().cloned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("*.people.com.cn", "sh.people.com.cn"));
        assert!(!glob_match("*.people.com.cn", "people.com.cn.evil.org"));
        assert!(glob_match("forum/**", "forum/a/b.txt"));
        assert!(glob_match("**/*.txt", "a.txt"));
        assert!(!glob_match("*.txt", "dir/a.txt"));
        assert!(glob_match("a?c", "abc"));
    }

    #[test]
    fn hosts() {
        assert_eq!(host_of("https://user@www.x.cn:8080/a?b"), Some("www.x.cn"));
    }
}
