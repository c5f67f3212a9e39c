//! `rinse rules ...` and `rinse watch --once` from the outside.

use std::fs;
use std::path::Path;

use crate::util::rinse;

fn out(o: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

#[test]
fn check_accepts_the_defaults() {
    let o = rinse().args(["rules", "check"]).output().unwrap();
    let (so, se) = out(&o);
    assert!(o.status.success(), "{se}");
    assert!(so.starts_with("ok: "), "{so}");
}

#[test]
fn check_reports_every_problem_like_a_compiler() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "my.toml",
        "[[rule]]\nid = \"ad.x\"\ncategory = \"ad\"\ndescription = \"d\"\naction = \"drop-line\"\nregx = \"a\"\nregex = 'ab(c'\n\n\
         [[rule]]\nid = \"ad.y\"\ncategory = \"ad\"\ndescription = \"d\"\naction = \"drop-line\"\nphrases = [\"a\", 1]\nwhen = { max_chars = \"9\" }\n",
    );
    let o = rinse()
        .args(["rules", "check", "--rules"])
        .arg(dir.path())
        .output()
        .unwrap();
    let (_, se) = out(&o);
    assert_eq!(o.status.code(), Some(1), "{se}");
    let file = dir.path().join("my.toml").display().to_string();
    assert!(se.contains(&format!("--> {file}:6:1\n")), "{se}");
    assert!(se.contains("did you mean `regex`?"), "{se}");
    assert!(se.contains(&format!("--> {file}:7:12\n")), "{se}");
    assert!(se.contains("invalid regex: unclosed group"), "{se}");
    assert!(se.contains("7 | regex = 'ab(c'"), "{se}");
    assert!(se.contains(&format!("--> {file}:14:17\n")), "{se}");
    assert!(se.contains(&format!("--> {file}:15:22\n")), "{se}");
    // A type error is reported once, not followed by "rule has no matcher".
    assert!(!se.contains("no matcher"), "{se}");
    assert!(se.contains("the rule set has 4 problems"), "{se}");
}

#[test]
fn test_runs_default_examples() {
    let o = rinse()
        .args(["rules", "test", "--require-examples"])
        .output()
        .unwrap();
    let (so, se) = out(&o);
    assert!(o.status.success(), "{so}{se}");
    assert!(so.contains(" 0 failed"), "{so}");
}

#[test]
fn test_reports_failures_with_the_rule_location() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "my.toml",
        "# a comment\n[[rule]]\nid = \"ad.x\"\ncategory = \"ad\"\ndescription = \"d\"\naction = \"drop-line\"\nregex = '^广告'\n\
         examples.hit = [\"广告位招租\", \"没有\"]\n",
    );
    let o = rinse()
        .args(["rules", "test", "--rules"])
        .arg(dir.path())
        .arg("ad.x")
        .output()
        .unwrap();
    let (so, _) = out(&o);
    assert_eq!(o.status.code(), Some(1), "{so}");
    let file = dir.path().join("my.toml").display().to_string();
    assert!(
        so.contains("FAIL ad.x: a `hit` example was left alone"),
        "{so}"
    );
    assert!(so.contains(&format!("--> {file}:2\n")), "{so}");
    assert!(so.contains("\"没有\""), "{so}");
    assert!(
        so.contains("warning: rule `ad.x` has no negative example"),
        "{so}"
    );
    assert!(
        so.contains("1 rule, 2 examples: 1 passed, 1 failed"),
        "{so}"
    );

    let o = rinse()
        .args(["rules", "test", "--json", "--rules"])
        .arg(dir.path())
        .arg("ad.x")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["examples"], 2);
    assert_eq!(v["failures"][0]["kind"], "hit");
    assert_eq!(v["failures"][0]["line"], 2);
    assert_eq!(v["missing"][0]["rule"], "ad.x");

    // --require-examples turns the missing negative example into a failure.
    write(
        dir.path(),
        "my.toml",
        "[[rule]]\nid = \"ad.x\"\ncategory = \"ad\"\ndescription = \"d\"\naction = \"drop-line\"\nregex = '^广告'\nexamples.hit = [\"广告位招租\"]\n",
    );
    let run = |extra: &[&str]| {
        rinse()
            .args(["rules", "test", "--rules"])
            .arg(dir.path())
            .args(extra)
            .arg("ad.x")
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(run(&[]), Some(0));
    assert_eq!(run(&["--require-examples"]), Some(1));
}

#[test]
fn test_selects_by_id_prefix_and_file_and_fails_on_an_empty_filter() {
    let dir = tempfile::tempdir().unwrap();
    let rule = |id: &str, word: &str| {
        format!(
            "[[rule]]\nid = \"{id}\"\ncategory = \"ad\"\ndescription = \"d\"\naction = \"drop-line\"\n\
             regex = '^{word}'\nexamples.hit = [\"{word}位招租\"]\nexamples.miss = [\"正文\"]\n"
        )
    };
    write(dir.path(), "site-a.toml", &rule("site-a.ad", "广告"));
    write(dir.path(), "more/site-b.toml", &rule("site-b.ad", "招商"));
    let file_a = dir.path().join("site-a.toml");
    let run = |rules: &Path, filters: &[&str]| {
        let o = rinse()
            .args(["rules", "test", "--no-default-rules", "--rules"])
            .arg(rules)
            .args(filters)
            .output()
            .unwrap();
        let (so, se) = out(&o);
        (o.status.code(), so, se)
    };
    // A rule file path, a folder path, an id prefix.
    let (code, so, se) = run(dir.path(), &[file_a.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{so}{se}");
    assert!(so.contains("1 rule, 2 examples: 2 passed"), "{so}");
    let more = dir.path().join("more");
    let (_, so, _) = run(dir.path(), &[more.to_str().unwrap()]);
    assert!(so.contains("1 rule, 2 examples"), "{so}");
    let (_, so, _) = run(dir.path(), &["site-"]);
    assert!(so.contains("2 rules, 4 examples"), "{so}");
    // A filter that selects nothing is an error, with a hint.
    let (code, _, se) = run(dir.path(), &["ad", "site-a.ad"]);
    assert_eq!(code, Some(1), "{se}");
    assert!(
        se.contains("error: `ad` selects no rule")
            && se.contains("site-a.ad")
            && se.contains("site-b.ad"),
        "{se}"
    );
    // --rules takes one .toml file as well as a folder.
    let (code, so, _) = run(&file_a, &[]);
    assert_eq!(code, Some(0));
    assert!(so.contains("1 rule, 2 examples"), "{so}");
    let o = rinse()
        .args(["rules", "check", "--rules"])
        .arg(dir.path().join("nope.txt"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

fn list_json(args: &[&str]) -> Vec<serde_json::Value> {
    let o = rinse()
        .args(["rules", "list", "--json"])
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", out(&o).1);
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn list_shows_origin_and_layering() {
    let all = list_json(&["--category", "footer"]);
    assert!(all.len() > 3);
    assert!(all.iter().all(|r| r["category"] == "footer"));
    let icp = all.iter().find(|r| r["id"] == "footer.icp").unwrap();
    assert_eq!(icp["file"], "<embedded>/rules/common/footer.toml");
    assert!(icp["line"].as_u64().unwrap() > 1);

    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "site/mine.toml",
        "disable = [\"footer.powered-by\"]\n[[rule]]\nid = \"footer.icp\"\ncategory = \"footer\"\ndescription = \"mine\"\naction = \"drop-line\"\nregex = 'ICP'\n",
    );
    let d = dir.path().to_str().unwrap();
    let mine = list_json(&["--category", "footer", "--rules", d]);
    let icp = mine.iter().find(|r| r["id"] == "footer.icp").unwrap();
    assert_eq!(
        icp["file"],
        dir.path().join("site/mine.toml").display().to_string()
    );
    assert_eq!(
        (icp["line"].as_u64(), icp["default"].as_bool()),
        (Some(2), Some(false))
    );
    assert!(!mine.iter().any(|r| r["id"] == "footer.powered-by"));
    assert_eq!(mine.len(), all.len() - 1);

    // Without the defaults, disabling a default id is an error (it names nothing).
    let o = rinse()
        .args(["rules", "list", "--no-default-rules", "--rules", d])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o)
        .1
        .contains("`disable` names unknown rule id `footer.powered-by`"));
    write(
        dir.path(),
        "site/mine.toml",
        "[[rule]]\nid = \"footer.icp\"\ncategory = \"footer\"\ndescription = \"mine\"\naction = \"drop-line\"\nregex = 'ICP'\n",
    );
    let none = list_json(&["--no-default-rules", "--rules", d]);
    let ids: Vec<_> = none.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "whitespace.normalize",
            "encoding-artifact.invisible",
            "extract.main",
            "page.text-lines",
            "duplicate.lead-excerpt",
            "duplicate.paragraph",
            "duplicate.title-variant",
            "related.headline-run",
            "footer.icp"
        ]
    );

    let o = rinse().args(["rules", "list"]).output().unwrap();
    let (so, _) = out(&o);
    assert!(so.contains("<embedded>/rules/sites/wechat.toml:"), "{so}");
    assert!(so.contains("(scoped)"), "{so}");
}

#[test]
fn show_prints_the_rule_and_its_source() {
    let o = rinse()
        .args(["rules", "show", "footer.icp"])
        .output()
        .unwrap();
    let (so, se) = out(&o);
    assert!(o.status.success(), "{se}");
    assert!(so.starts_with("footer.icp\n"), "{so}");
    assert!(
        so.contains("defined at:  <embedded>/rules/common/footer.toml:"),
        "{so}"
    );
    assert!(so.contains("(embedded default)"), "{so}");
    assert!(so.contains("\n[[rule]]\nid = \"footer.icp\""), "{so}");
    assert!(so.contains("hit:"), "{so}");

    let o = rinse()
        .args(["rules", "show", "footer.icpp"])
        .output()
        .unwrap();
    let (_, se) = out(&o);
    assert_eq!(o.status.code(), Some(2));
    assert!(se.contains("did you mean `footer.icp`?"), "{se}");
}

fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().display().to_string(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn export_round_trips_and_refuses_to_overwrite() {
    let tmp = tempfile::tempdir().unwrap();
    let rules = tmp.path().join("rules");
    let o = rinse()
        .args(["rules", "export"])
        .arg(&rules)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", out(&o).1);
    assert!(rules.join("common/footer.toml").is_file());
    assert!(rules.join("sites/wechat.toml").is_file());

    let o = rinse()
        .args(["rules", "export"])
        .arg(&rules)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).1.contains("refusing to overwrite"));
    let o = rinse()
        .args(["rules", "export", "--force"])
        .arg(&rules)
        .output()
        .unwrap();
    assert!(o.status.success());

    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let o = rinse()
        .arg("clean")
        .arg(&seeds)
        .arg("-o")
        .arg(&a)
        .args(["-q", "-j", "1"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", out(&o).1);
    let o = rinse()
        .arg("clean")
        .arg(&seeds)
        .arg("-o")
        .arg(&b)
        .args(["-q", "-j", "1", "--no-default-rules", "--rules"])
        .arg(&rules)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", out(&o).1);
    let (fa, fb) = (files_under(&a), files_under(&b));
    assert!(fa.len() >= 10, "{}", fa.len());
    assert_eq!(
        fa.iter().map(|f| &f.0).collect::<Vec<_>>(),
        fb.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for (x, y) in fa.iter().zip(&fb) {
        assert!(x.1 == y.1, "{} differs", x.0);
    }
}

#[test]
fn watch_once_cleans_or_reports_broken_rules() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    write(&docs, "a.txt", "标题\n正文。\n");
    let rules = tmp.path().join("rules");
    write(
        &rules,
        "my.toml",
        "[[rule]]\nid = \"ad.x\"\ncategory = \"ad\"\ndescription = \"d\"\naction = \"drop-line\"\nregex = '^广告'\n",
    );
    let o = rinse()
        .arg("watch")
        .arg(&docs)
        .arg("--rules")
        .arg(&rules)
        .arg("--once")
        .output()
        .unwrap();
    let (so, se) = out(&o);
    assert!(o.status.success(), "{so}{se}");
    assert!(so.contains("cleaned 1 documents"), "{so}");

    write(&rules, "my.toml", "[[rule]]\nid = \"ad.x\"\n");
    let o = rinse()
        .arg("watch")
        .arg(&docs)
        .arg("--rules")
        .arg(&rules)
        .arg("--once")
        .output()
        .unwrap();
    let (so, _) = out(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        so.contains("missing fields `category`, `description`, `action`"),
        "{so}"
    );
    assert!(so.contains("fix them to start cleaning"), "{so}");
}
