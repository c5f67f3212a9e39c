//! Choosing rules on the command line: each filter is a rule id, an id prefix
//! (`footer.` or `footer`), or the path of a rule file or folder (`my-rules/`,
//! `rules/common/footer.toml`, `common/footer.toml` for an embedded default file).

use std::path::Path;

use super::{Rule, Ruleset};

/// Whether `filter` selects `rule`.
pub fn matches(filter: &str, rule: &Rule) -> bool {
    !filter.is_empty() && (rule.id.starts_with(filter) || in_path(filter, &rule.origin.file))
}

/// Whether the rule file `origin` is the file `filter` or lies under the folder `filter`.
fn in_path(filter: &str, origin: &str) -> bool {
    let f = filter.trim_start_matches("./").trim_end_matches('/');
    if f.is_empty() {
        return false;
    }
    // Embedded defaults are shown as `<embedded>/rules/...`: match their path as written.
    let o = origin.strip_prefix("<embedded>/").unwrap_or(origin);
    if o == f || o.starts_with(&format!("{f}/")) || o.ends_with(&format!("/{f}")) {
        return true;
    }
    match (
        Path::new(origin).canonicalize(),
        Path::new(filter).canonicalize(),
    ) {
        (Ok(o), Ok(f)) => o.starts_with(f),
        _ => false,
    }
}

/// The rules `filters` select (all of them when `filters` is empty), in rule-set order,
/// and the filters that selected nothing.
pub fn select<'r>(ruleset: &'r Ruleset, filters: &[String]) -> (Vec<&'r Rule>, Vec<String>) {
    if filters.is_empty() {
        return (ruleset.rules().iter().collect(), Vec::new());
    }
    let chosen = ruleset
        .rules()
        .iter()
        .filter(|r| filters.iter().any(|f| matches(f, r)))
        .collect();
    let unmatched = filters
        .iter()
        .filter(|f| !ruleset.rules().iter().any(|r| matches(f, r)))
        .cloned()
        .collect();
    (chosen, unmatched)
}

/// A hint for a filter that selected nothing: rule ids containing it, or the closest id.
pub fn hint(ruleset: &Ruleset, filter: &str) -> Option<String> {
    let containing: Vec<&str> = ruleset
        .rules()
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| id.contains(filter))
        .collect();
    if !containing.is_empty() {
        let more = containing.len().saturating_sub(5);
        let mut s = format!(
            "ids containing it: {}",
            containing[..containing.len().min(5)].join(", ")
        );
        if more > 0 {
            s.push_str(&format!(" (+{more} more)"));
        }
        return Some(s);
    }
    let ids: Vec<&str> = ruleset.rules().iter().map(|r| r.id.as_str()).collect();
    super::suggest(filter, &ids).map(|s| format!("did you mean `{s}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_prefixes_and_files() {
        let rs = Ruleset::defaults();
        let f = |v: &[&str]| {
            let (chosen, unmatched) =
                select(&rs, &v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
            (chosen.len(), unmatched)
        };
        assert_eq!(f(&["footer.icp"]).0, 1);
        let (n, none) = f(&["footer"]);
        assert!(n > 3 && none.is_empty());
        assert_eq!(f(&["footer."]).0, n);
        let in_file = rs
            .rules()
            .iter()
            .filter(|r| r.origin.file.ends_with("/common/footer.toml"))
            .count();
        assert!(in_file > 3);
        assert_eq!(
            f(&["common/footer.toml"]).0,
            in_file,
            "an embedded file by its path"
        );
        assert_eq!(f(&["rules/common/footer.toml"]).0, in_file);
        let all = rs
            .rules()
            .iter()
            .filter(|r| r.origin.file.contains("/common/"))
            .count();
        assert_eq!(f(&["rules/common/"]).0, all, "a folder");
        let (n, none) = f(&["footer.icp", "sina"]);
        assert_eq!((n, none), (1, vec!["sina".to_string()]));
        assert!(hint(&rs, "icp").unwrap().contains("footer.icp"));
        assert!(hint(&rs, "footer.icq").unwrap().contains("footer.icp"));
    }
}
