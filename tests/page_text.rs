//! The `page.text-lines` stage end to end: whole-page text dumps lose their page chrome,
//! article-style texts are left alone, the stage is switchable, and `rinse explain` shows
//! what the classifier decided about a line.

use std::path::PathBuf;

use assert_cmd::Command;
use rinse::{engine::replay, Cleaner, Document, Ruleset};

const STAGE: &str = "page.text-lines";

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages/park.txt")
}

fn page() -> String {
    std::fs::read_to_string(fixture()).unwrap()
}

fn clean(text: &str) -> rinse::Cleaned {
    Cleaner::new(Ruleset::defaults())
        .clean(&Document::from_text(text))
        .unwrap()
}

#[test]
fn a_page_dump_keeps_its_headline_and_article() {
    let text = page();
    let out = clean(&text);
    assert_eq!(
        out.body,
        "市民公园新增三条步道 周末游客明显增多\n\
         今年春天，市民公园完成了步道改造工程，新增的三条步道总长约四公里，把湖边和山坡连在了一起。\n\
         记者周末在公园看到，不少市民带着孩子在步道上散步，也有人沿着湖边慢跑。\n\
         步道的设计\n\
         公园管理处的工作人员介绍，新步道采用了透水材料，下雨之后也不会积水，夜间还有照明。\n\
         “以前山坡那边没有路，现在一家人可以绕着公园走一圈。”一位市民说。\n"
    );
    assert_eq!(replay(&text, &out.edits).unwrap(), out.body);
    // The stage's edits say why, one reason per kind of decision.
    let reasons: Vec<&str> = out
        .edits
        .iter()
        .filter(|e| e.rule == STAGE)
        .filter_map(|e| e.reason.as_deref())
        .collect();
    assert!(reasons.contains(&"before the article"), "{reasons:?}");
    assert!(reasons.contains(&"after the article"), "{reasons:?}");
    assert!(out
        .edits
        .iter()
        .filter(|e| e.rule == STAGE)
        .all(|e| e.category == "boilerplate" && e.reason.is_some()));
    // The comments went with the page chrome after the article.
    assert!(!out.body.contains("停车位"));
    // Cleaning the body again changes nothing.
    assert_eq!(clean(&out.body).body, out.body);
}

#[test]
fn article_style_texts_are_left_to_the_rules() {
    for seed in std::fs::read_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds")).unwrap()
    {
        let text = std::fs::read_to_string(seed.unwrap().path()).unwrap();
        let out = clean(&text);
        assert!(out.edits.iter().all(|e| e.rule != STAGE));
    }
}

#[test]
fn the_stage_can_be_switched_off() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("off.toml"),
        format!("disable = [\"{STAGE}\"]\n"),
    )
    .unwrap();
    let rules = rinse::rules::RuleSource::defaults()
        .into_iter()
        .chain([rinse::rules::RuleSource {
            name: "off.toml".into(),
            relative: "off.toml".into(),
            text: std::fs::read_to_string(dir.path().join("off.toml")).unwrap(),
            default: false,
        }])
        .collect::<Vec<_>>();
    let ruleset = Ruleset::from_sources(&rules, Default::default()).unwrap();
    let out = Cleaner::new(ruleset)
        .clean(&Document::from_text(&page()))
        .unwrap();
    assert!(out.edits.iter().all(|e| e.rule != STAGE));
    assert!(out.body.len() > clean(&page()).body.len());
}

#[test]
fn explain_shows_the_class_features_and_context_of_a_line() {
    let path = fixture();
    let target = format!("{}:24", path.display());
    let o = Command::cargo_bin("rinse")
        .unwrap()
        .args(["explain", &target])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let so = String::from_utf8(o.stdout).unwrap();
    assert!(o.status.success());
    assert!(
        so.contains("page.text-lines (whole-page classifier)"),
        "{so}"
    );
    assert!(so.contains("kept: article text"), "{so}");
    assert!(
        so.contains("context: article (between article paragraphs)"),
        "{so}"
    );
    assert!(so.contains("features: 5 chars"), "{so}");
    assert!(so.contains("headline line 14"), "{so}");

    let target = format!("{}:31", path.display());
    let o = Command::cargo_bin("rinse")
        .unwrap()
        .args(["explain", &target, "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["status"], "removed");
    assert_eq!(v["edits"][0]["rule"], STAGE);
    let p = &v["page_text_lines"];
    assert_eq!(p["decision"], "after-article");
    assert_eq!(p["class"], "bad");
    assert_eq!(p["reason"], "date-time");
    assert_eq!(p["features"]["relative_time"], true);
    assert_eq!(p["headline"], serde_json::json!([14, 14]));
    assert_eq!(p["verdict"]["is_page"], true);
}
