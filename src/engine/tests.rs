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
        out.metadata.published.as_deref(),
        Some("2020-07-28 09:26:01")
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
        "/seeds/003_d30ffc383c516069.txt"
    ))
    .unwrap();
    let out = clean(&text);
    for w in out.edits.windows(2) {
        assert!(w[0].end <= w[1].start, "{:?} {:?}", w[0], w[1]);
    }
}

fn page_doc(lines: &[(&str, u32, u8)], title: &str) -> Document {
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
            .map(|&(t, link, heading)| {
                let chars = t.chars().filter(|c| !c.is_whitespace()).count() as u32;
                LineHint {
                    chars,
                    link_chars: link.min(chars),
                    heading,
                }
            })
            .collect(),
        title: Some(title.to_string()),
    });
    d
}

#[test]
fn page_boilerplate_keeps_the_article_between_heading_and_last_prose() {
    let para = "这是文章的正文段落，内容足够长，并且以句号结尾。";
    let lines = [
        ("首页", 99, 0),
        ("我的收藏", 0, 0), // not a link, but before the heading
        ("某某网", 0, 1),   // a logo <h1> that is not the title
        ("站内通知：系统维护将于今晚进行，请提前保存。", 0, 0),
        ("“标题”里的文章?", 0, 2), // the title, written with other quotes
        (para, 0, 0),
        ("相关新闻一则", 99, 0), // a link line inside the article
        (para, 0, 0),
        ("小标题", 0, 3),
        ("最后一段也是正文，同样足够长，以句号结尾。", 0, 0),
        ("热门标签", 0, 0),
        ("某某新闻标题", 0, 0),
    ];
    let c = Cleaner::new(Ruleset::defaults());
    let doc = page_doc(&lines, "\"标题\"里的文章？_某某网");
    let out = c.clean(&doc).unwrap();
    assert_eq!(replay(&doc.text, &out.edits).unwrap(), out.body);
    assert_eq!(
        out.body,
        format!("“标题”里的文章?\n{para}\n小标题\n最后一段也是正文，同样足够长，以句号结尾。\n")
    );
    assert!(out.edits.iter().any(|e| e.rule == "boilerplate.page"));
    // The same text without page hints (plain text) is not touched by the stage.
    let plain = c.clean(&Document::from_text(&doc.text)).unwrap();
    assert!(plain.edits.iter().all(|e| e.rule != "boilerplate.page"));
    assert!(plain.body.starts_with("首页\n"));
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
