use super::*;

fn clean(text: &str) -> Cleaned {
    let c = Cleaner::new(Ruleset::defaults());
    let out = c.clean(&Document::from_text(text)).unwrap();
    assert_eq!(
        replay(text, &out.edits).unwrap(),
        out.body,
        "replay invariant"
    );
    out
}

#[test]
fn whitespace_is_normalised() {
    let out = clean("\u{3000}\u{3000}标题 \r\n\r\n\n  第一段\u{200B}正文。\u{a0}\u{a0}续写\t\n尾");
    assert_eq!(out.body, "标题\n第一段正文。 续写\n尾\n");
}

#[test]
fn empty_and_blank_documents() {
    assert_eq!(clean("").body, "");
    assert_eq!(clean("\n \n\u{3000}\n").body, "");
}

#[test]
fn drop_rest_only_in_tail() {
    let body = "正文很长的一段。".repeat(20);
    let early = format!("标题\n特别声明:以上内容为转载。\n{body}\n");
    assert!(clean(&early).body.contains("特别声明"));
    let late = format!("标题\n{body}\n特别声明:以上内容为转载。\n广告一\n");
    let out = clean(&late);
    assert!(!out.body.contains("特别声明") && !out.body.contains("广告一"));
    assert_eq!(out.edits.last().unwrap().rule, "footer.platform-disclaimer");
}

#[test]
fn pinyin_gloss_removed_only_with_tone_marks() {
    let out = clean("人民網(wǎng)報道地區(qū)(DK2)項目(作者:佚名)\n");
    assert_eq!(out.body, "人民網報道地區(DK2)項目(作者:佚名)\n");
    let e = &out.edits[0];
    assert_eq!(
        (e.removed.as_str(), e.action.as_str()),
        ("(wǎng)", "drop-span")
    );
}

#[test]
fn replacements_keep_context() {
    let out = clean("蕞近龙年的头部个工作日,头部企业蕞尔小国\n");
    assert_eq!(out.body, "最近龙年的第一个工作日,头部企业蕞尔小国\n");
    assert!(out.edits.iter().all(|e| e.removed.chars().count() <= 2));
}

#[test]
fn caption_needs_an_image_before_it() {
    let text = "标题\nhttps://img.example.com/a.jpg\n\n新区建设项目\n新区建设项目之二很长很长\n正文一段。\n";
    let out = clean(text);
    assert_eq!(out.body, "标题\n新区建设项目之二很长很长\n正文一段。\n");
    assert_eq!(clean("标题\n新区建设项目\n").body, "标题\n新区建设项目\n");
}

#[test]
fn meta_captures_and_cleans_values() {
    let out = clean("标题\n2020-07-28 09:26:01來源:人民網(wǎng)\n正文。\n責任編輯:hnmd003\n");
    assert_eq!(out.body, "标题\n正文。\n");
    assert_eq!(out.metadata.source.as_deref(), Some("人民網"));
    assert_eq!(
        out.metadata.published_raw.as_deref(),
        Some("2020-07-28 09:26:01")
    );
    assert_eq!(
        out.metadata.published.as_deref(),
        Some("2020-07-28T09:26:01")
    );
    assert_eq!(out.metadata.editor.as_deref(), Some("hnmd003"));
    assert_eq!(out.metadata.title.as_deref(), Some("标题"));
}

#[test]
fn lead_excerpt_and_repeated_paragraph() {
    let p1 = "这是正文的第一段,讲述了很多事情,内容足够长。";
    let p2 = "第二段继续讲述,同样足够长,也有标点。";
    let text = format!("标题\n{p1}第二段继续讲述……\n中间的段落,没有重复。\n{p1}\n{p2}\n{p2}\n");
    let out = clean(&text);
    assert_eq!(
        out.body,
        format!("标题\n中间的段落,没有重复。\n{p1}\n{p2}\n")
    );
    let rules: Vec<_> = out.edits.iter().map(|e| e.rule.as_str()).collect();
    assert!(rules.contains(&"duplicate.lead-excerpt") && rules.contains(&"duplicate.paragraph"));
}

#[test]
fn a_repeat_is_judged_on_the_text_the_span_rules_leave() {
    // Line 3 reads as a repeat of line 1 only once the pinyin glosses are gone: a first
    // pass that compared the raw lines kept it, and a second pass dropped it.
    let p = "这是正文的第一段,讲述了很多事情,内容足够长。";
    let glossed = "2020-07-28 09:26:01來源:人民網(wǎng)\u{a0}";
    let text = format!("{glossed}\n{p}\n{glossed}\n{p}又一段。\n");
    let once = clean(&text);
    assert_eq!(once.body, clean(&once.body).body);
    assert!(once.edits.iter().any(|e| e.rule == "duplicate.paragraph"));
}

#[test]
fn related_block_stops_at_prose() {
    let body = "正文很长的一段,讲了很多内容。".repeat(10);
    let text = format!("标题\n{body}\n相关文章\n标题一\n\n标题二很短\n摘要一段文字,讲了一些事情,结尾省略...\n这一行是正常的句子,结尾有句号,因此不是列表里的条目,而且它比较长。\n");
    let out = clean(&text);
    assert!(out.body.ends_with("而且它比较长。\n"), "{}", out.body);
    assert!(!out.body.contains("标题二很短"));
}

#[test]
fn near_misses_are_traced() {
    let c = Cleaner::new(Ruleset::defaults());
    let body = "正文很长的一段。".repeat(20);
    let out = c
        .clean_traced(&Document::from_text(&format!(
            "标题\n特别声明:转载。\n{body}\n"
        )))
        .unwrap();
    assert!(out
        .near_misses
        .iter()
        .any(|n| n.rule == "footer.platform-disclaimer" && n.failed == "tail = 0.5"));
}

#[test]
fn edits_are_sorted_and_disjoint() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../seeds/003_d30ffc383c516069.txt"
    ))
    .unwrap();
    let out = clean(&text);
    for w in out.edits.windows(2) {
        assert!(w[0].end <= w[1].start, "{:?} {:?}", w[0], w[1]);
    }
}

/// A document with page hints: each line's text, the extractor's verdict (reason index),
/// its block kind and its group.
fn page_doc(lines: &[(&str, Option<u16>, BlockKind, u32)]) -> Document {
    use crate::input::html::{LineHint, PageHints};
    let mut d = Document::from_text(
        &lines
            .iter()
            .map(|l| format!("{}\n", l.0))
            .collect::<String>(),
    );
    d.page = Some(PageHints {
        lines: lines
            .iter()
            .map(|&(t, drop, kind, group)| LineHint {
                chars: t.chars().filter(|c| !c.is_whitespace()).count() as u32,
                kind,
                group,
                keep: drop.is_none(),
                reason: drop.unwrap_or(0),
                ..LineHint::default()
            })
            .collect(),
        report: crate::extract::Report {
            reasons: vec!["kept".into(), "navigation".into(), "comments".into()],
            ..Default::default()
        },
        ..PageHints::default()
    });
    d
}

use crate::extract::blocks::BlockKind;

#[test]
fn extract_main_applies_the_verdicts_with_their_reasons() {
    let para = "这是文章的正文段落，内容足够长，并且以句号结尾。";
    let row = "早餐 牛奶 鸡蛋 全麦面包";
    let lines = [
        ("首页 新闻 体育", Some(1), BlockKind::Text, 1),
        ("标题", None, BlockKind::Heading, 2),
        (para, None, BlockKind::Text, 3),
        (row, None, BlockKind::TableRow, 4),
        (row, None, BlockKind::TableRow, 4), // a repeated row is the table's, not a copy
        (
            "这是第二段正文，内容同样足够长，以句号结尾。",
            None,
            BlockKind::Text,
            3,
        ),
        ("热门评论", Some(2), BlockKind::Text, 5),
        ("网友甲：写得好。", Some(2), BlockKind::Text, 5),
        ("关于我们 联系我们", Some(1), BlockKind::Text, 6),
    ];
    let c = Cleaner::new(Ruleset::defaults());
    let doc = page_doc(&lines);
    let out = c.clean(&doc).unwrap();
    assert_eq!(replay(&doc.text, &out.edits).unwrap(), out.body);
    assert_eq!(
        out.body,
        format!("标题\n{para}\n{row}\n{row}\n这是第二段正文，内容同样足够长，以句号结尾。\n")
    );
    let stage: Vec<_> = out
        .edits
        .iter()
        .filter(|e| e.rule == "extract.main")
        .collect();
    // The first and last lines share a reason but are not adjacent: two edits; the two
    // comment lines are one. Each carries the extractor's reason.
    assert_eq!(stage.len(), 3, "{stage:?}");
    assert_eq!(stage[1].reason.as_deref(), Some("comments"));
    // The same text without page hints (plain text) is not touched by the stage.
    let plain = c.clean(&Document::from_text(&doc.text)).unwrap();
    assert!(plain.edits.iter().all(|e| e.rule != "extract.main"));
    assert!(plain.body.starts_with("首页"));
}

fn with_rules(toml: &str) -> Cleaner {
    let mut sources = crate::rules::RuleSource::defaults();
    sources.push(crate::rules::RuleSource {
        name: "test.toml".into(),
        relative: "test.toml".into(),
        text: toml.into(),
        default: false,
    });
    Cleaner::new(Ruleset::from_sources(&sources, crate::rules::Limits::default()).unwrap())
}

/// Zones are measured on the kept text: a footer marker at 60% of the raw text, followed
/// by a long tail another rule removes, sits at the very end of what is kept.
#[test]
fn zones_measure_the_kept_text() {
    let c = with_rules(
        r#"
[[rule]]
id = "t.footer"
category = "footer"
description = "x"
action = "drop-line"
regex = '^本文完$'
when = { tail = 0.3 }
examples.hit = ["本文完"]
examples.miss = ["本文"]

[[rule]]
id = "t.junk"
category = "ad-contact"
description = "x"
action = "drop-line"
regex = '^广告'
examples.hit = ["广告一"]
examples.miss = ["正文"]
"#,
    );
    let body = "正文很长的一段，讲了很多事情。".repeat(4);
    let junk = "广告位招租，欢迎联系我们投放。\n".repeat(6);
    let text = format!("标题\n{body}\n本文完\n{junk}");
    let out = c.clean(&Document::from_text(&text)).unwrap();
    assert_eq!(out.body, format!("标题\n{body}\n"));
    let e = out.edits.iter().find(|e| e.rule == "t.footer").unwrap();
    assert!(e.position.unwrap() > 0.9, "{e:?}");
    // And a second run changes nothing.
    let again = c.clean(&Document::from_text(&out.body)).unwrap();
    assert!(again.edits.is_empty(), "{:?}", again.edits);
}

/// A `head` rule decided top-down sees the text above it as kept: a breadcrumb after a
/// removed banner counts from the top of what remains.
#[test]
fn head_zone_counts_only_kept_text_above() {
    let c = with_rules(
        r#"
[[rule]]
id = "t.crumb"
category = "breadcrumb"
description = "x"
action = "drop-line"
regex = '^首页 > '
when = { head = 0.2 }
examples.hit = ["首页 > 新闻"]
examples.miss = ["首页"]

[[rule]]
id = "t.banner"
category = "navigation"
description = "x"
action = "drop-line"
regex = '^横幅'
examples.hit = ["横幅一"]
examples.miss = ["正文"]
"#,
    );
    let banner = "横幅广告很长很长很长很长很长很长很长很长很长很长\n".repeat(10);
    let body = "正文很长的一段，讲了很多事情。\n".repeat(10);
    let out = c
        .clean(&Document::from_text(&format!(
            "{banner}首页 > 新闻 > 正文\n{body}"
        )))
        .unwrap();
    assert!(!out.body.contains("首页"), "{}", out.body);
}

#[test]
fn replacements_are_bounded_per_document() {
    let c = with_rules(&format!(
        r#"
[[rule]]
id = "t.grow"
category = "obfuscation"
description = "x"
action = "replace"
regex = '甲'
replace = "{}"
examples.rewrite = [["甲", "{}"]]
"#,
        "乙".repeat(1000),
        "乙".repeat(1000)
    ));
    assert!(c.clean(&Document::from_text("甲乙丙\n")).is_ok());
    let err = c
        .clean(&Document::from_text(&"甲".repeat(2000)))
        .unwrap_err();
    assert!(err.to_string().contains("t.grow"), "{err}");
}

#[test]
fn long_removals_are_recorded_truncated() {
    let text = format!("标题\n{}正文。\n", "\n".repeat(10_000));
    let out = clean(&text);
    assert_eq!(out.body, "标题\n正文。\n");
    let e = &out.edits[0];
    assert!(
        e.truncated && e.removed.len() <= MAX_RECORDED_REMOVAL,
        "{e:?}"
    );
    assert!(text[e.start..e.end].starts_with(&e.removed));
}

#[test]
fn drops_of_one_rule_make_one_edit_whatever_the_zone_positions() {
    // A font-size switch split over 5,000 lines at the top (navigation.font-size-words,
    // a `head` rule decided top-down at a different position each time), with blank lines
    // between, then the article: the provenance holds one run, not an edit per line, and
    // the blank lines inside it go with it.
    let body: String = (0..1500)
        .map(|i| format!("第{i}段正文很长,这里是文章的内容,讲述了事情的经过。\n"))
        .collect();
    let text = "标准\n\n".repeat(5000) + &body;
    let out = clean(&text);
    let switch: Vec<_> = out
        .edits
        .iter()
        .filter(|e| e.rule == "navigation.font-size-words")
        .collect();
    assert_eq!(
        switch.len(),
        1,
        "{:?}",
        &out.edits[..out.edits.len().min(6)]
    );
    assert!(switch[0].position.is_some());
    assert!(out.edits.len() < 10, "{} edits", out.edits.len());
    assert!(out.body.starts_with("第0段"));
}

#[test]
fn drops_of_one_rule_make_one_edit_bottom_up_too() {
    // The same at the end: category labels (navigation.category-label, a `tail` rule
    // decided bottom-up) on 5,000 lines after the article make one edit.
    let body: String = (0..1500)
        .map(|i| format!("第{i}段正文很长,这里是文章的内容,讲述了事情的经过。\n"))
        .collect();
    let text = body + &"分类：行业新闻\n\n".repeat(5000);
    let out = clean(&text);
    let labels: Vec<_> = out
        .edits
        .iter()
        .filter(|e| e.rule == "navigation.category-label")
        .collect();
    assert_eq!(
        labels.len(),
        1,
        "{:?}",
        &out.edits[..out.edits.len().min(6)]
    );
    assert!(labels[0].position.is_some());
    assert!(out.edits.len() < 10, "{} edits", out.edits.len());
    assert!(out
        .body
        .ends_with("第1499段正文很长,这里是文章的内容,讲述了事情的经过。\n"));
}
