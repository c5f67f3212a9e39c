//! Site scopes: which rules apply to a document.

use std::sync::Arc;

use crate::input::Document;
use crate::rules::{Rule, Scope};

/// The host of a URL: after the scheme and any user info, before the port, path, query or
/// fragment; an IPv6 literal keeps its brackets (`[::1]`).
fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    if host.starts_with('[') {
        return host.find(']').map(|end| &host[..=end]);
    }
    Some(host.split(':').next().unwrap_or(host)).filter(|h| !h.is_empty())
}

/// Why a scope applies to `doc`, or `None` when it does not.
fn scope_applies(scope: &Scope, doc: &Document) -> Option<String> {
    if let Some(host) = doc.url.as_deref().and_then(host_of) {
        if let Some(g) = scope.host_match(host) {
            return Some(format!("host {} matches {g}", host.to_ascii_lowercase()));
        }
    }
    if let Some(path) = doc.path.as_deref() {
        if let Some(g) = scope.path_match(path) {
            return Some(format!("path {path} matches {g}"));
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

    fn scope(hosts: &[&str], paths: &[&str]) -> Scope {
        let text = format!(
            "scope = {{ hosts = {hosts:?}, paths = {paths:?} }}\n[[rule]]\nid = \"a.b\"\ncategory = \"x\"\ndescription = \"d\"\naction = \"drop-line\"\nregex = 'a'\n"
        );
        let src = crate::rules::RuleSource {
            name: "t.toml".into(),
            relative: "t.toml".into(),
            text,
            default: false,
        };
        let rs = crate::rules::Ruleset::from_sources(&[src], Default::default()).unwrap();
        let s = rs.get("a.b").unwrap().scope.clone().unwrap();
        (*s).clone()
    }

    #[test]
    fn globs() {
        let s = scope(&["*.people.com.cn"], &["forum/**", "**/*.txt", "a?c"]);
        assert_eq!(s.host_match("sh.people.com.cn"), Some("*.people.com.cn"));
        assert_eq!(s.host_match("SH.People.com.cn"), Some("*.people.com.cn"));
        assert_eq!(s.host_match("people.com.cn"), Some("*.people.com.cn"));
        assert_eq!(s.host_match("people.com.cn.evil.org"), None);
        assert_eq!(s.path_match("forum/a/b.txt"), Some("forum/**"));
        assert_eq!(s.path_match("a.txt"), Some("**/*.txt"));
        assert_eq!(s.path_match("abc"), Some("a?c"));
        let s = scope(&[], &["*.txt"]);
        assert_eq!(s.path_match("dir/a.txt"), None);
        // Long paths against many stars stay fast: globset does not backtrack.
        let s = scope(&[], &["*a*a*a*a*a*a*a*a*a*a*a*b"]);
        assert_eq!(s.path_match(&"a".repeat(5000)), None);
    }

    #[test]
    fn hosts() {
        assert_eq!(host_of("https://user@www.x.cn:8080/a?b"), Some("www.x.cn"));
        assert_eq!(
            host_of("http://[2001:db8::1]:8080/a"),
            Some("[2001:db8::1]")
        );
        assert_eq!(host_of("http://[::1]/"), Some("[::1]"));
        assert_eq!(host_of("http://user@[::1]"), Some("[::1]"));
        assert_eq!(host_of("http:///path"), None);
    }
}
