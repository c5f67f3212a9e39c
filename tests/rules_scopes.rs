//! Site scopes: host, path and marker scopes through the library, and the default
//! WeChat site rules.

use rinse::rules::{Limits, RuleSource, Ruleset};
use rinse::{Cleaner, Document, Provenance};

const RULES: &str = r#"
scope = { hosts = ["*.example.com.cn"], paths = ["forum/**"], markers = ["本帖最后由"] }

[[rule]]
id = "forum.thanks"
category = "forum"
description = "A thank-you reply line on one forum platform."
action = "drop-line"
phrases = ["感谢分享"]
phrase_match = "line"
examples.hit = ["感谢分享"]
examples.miss = ["感谢分享这篇文章的朋友。"]
"#;

const UNSCOPED: &str = r#"
[[rule]]
id = "ad.everywhere"
category = "ad"
description = "An ad line that every site carries."
action = "drop-line"
phrases = ["广告位招租"]
phrase_match = "line"
"#;

fn cleaner() -> Cleaner {
    let mk = |name: &str, text: &str| RuleSource {
        name: name.into(),
        relative: name.into(),
        text: text.into(),
        default: false,
    };
    let rs = Ruleset::from_sources(
        &[mk("site.toml", RULES), mk("all.toml", UNSCOPED)],
        Limits::default(),
    )
    .unwrap();
    Cleaner::new(rs)
}

const TEXT: &str = "标题\n正文一段。\n感谢分享\n广告位招租\n";

fn doc(url: Option<&str>, path: Option<&str>, text: &str) -> Document {
    let mut d = Document::from_text(text);
    d.url = url.map(str::to_string);
    d.path = path.map(str::to_string);
    d
}

#[test]
fn unscoped_rules_apply_everywhere_scoped_rules_only_in_scope() {
    let c = cleaner();
    let out = c.clean(&doc(None, Some("news/a.txt"), TEXT)).unwrap();
    assert_eq!(out.body, "标题\n正文一段。\n感谢分享\n");
    assert!(out.scopes.is_empty());
}

#[test]
fn host_scope_matches_subdomains_and_the_bare_domain() {
    let c = cleaner();
    for url in [
        "https://bbs.example.com.cn/thread-1.html",
        "http://example.com.cn/x",
    ] {
        let out = c.clean(&doc(Some(url), None, TEXT)).unwrap();
        assert_eq!(out.body, "标题\n正文一段。\n", "{url}");
        assert_eq!(out.scopes.len(), 1);
        assert!(
            out.scopes[0].starts_with("site.toml: host "),
            "{:?}",
            out.scopes
        );
    }
    let out = c
        .clean(&doc(Some("https://example.com.cn.evil.org/"), None, TEXT))
        .unwrap();
    assert!(out.body.contains("感谢分享"));
}

#[test]
fn path_and_marker_scopes_stand_in_when_the_url_is_unknown() {
    let c = cleaner();
    let out = c.clean(&doc(None, Some("forum/2023/a.txt"), TEXT)).unwrap();
    assert_eq!(out.body, "标题\n正文一段。\n");
    assert_eq!(
        out.scopes,
        ["site.toml: path forum/2023/a.txt matches forum/**"]
    );
    let text = format!("{TEXT}本帖最后由 某人 于 2023-7-28 编辑\n");
    let out = c.clean(&doc(None, None, &text)).unwrap();
    assert!(!out.body.contains("感谢分享"));
    assert_eq!(out.scopes, ["site.toml: marker \"本帖最后由\" found"]);
}

#[test]
fn active_scopes_are_listed_in_provenance() {
    let c = cleaner();
    let d = doc(Some("https://bbs.example.com.cn/t"), None, TEXT);
    let out = c.clean(&d).unwrap();
    let p = Provenance::new(&d, &out, c.ruleset());
    let json = serde_json::to_value(&p).unwrap();
    assert_eq!(
        json["ruleset"]["scopes"][0],
        "site.toml: host bbs.example.com.cn matches *.example.com.cn"
    );
    let e = out
        .edits
        .iter()
        .find(|e| e.removed.contains("感谢分享"))
        .unwrap();
    assert_eq!(e.rule, "forum.thanks");
}

#[test]
fn wechat_site_rules_apply_only_to_wechat_pages() {
    let c = Cleaner::new(Ruleset::defaults());
    let body: String = (1..=8)
        .map(|i| format!("这是正文的第{i}段,内容足够长,讲述了事情的经过和结果。\n"))
        .collect();
    let text = format!("标题\n{body}在看\n写留言\n微信扫一扫关注该公众号\n某某公众号\n");
    let wx = c
        .clean(&doc(Some("https://mp.weixin.qq.com/s/abcdef"), None, &text))
        .unwrap();
    assert_eq!(wx.body, format!("标题\n{body}"));
    assert!(wx
        .edits
        .iter()
        .any(|e| e.rule == "navigation.wechat-buttons"));
    assert!(wx.edits.iter().any(|e| e.rule == "footer.wechat-page-end"));

    let other = c
        .clean(&doc(Some("https://news.example.org/a"), None, &text))
        .unwrap();
    assert!(other.body.contains("在看\n写留言\n"), "{}", other.body);
    assert!(other.scopes.is_empty());
}
