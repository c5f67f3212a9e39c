//! `encoding-artifact.invisible`: control characters, bidi controls and private-use
//! characters inside a text go, each removal an edit of the stage, and the rules read
//! the lines without them.

use rinse::engine::replay;
use rinse::{Cleaner, Document, Ruleset};

fn clean(raw: &str) -> rinse::Cleaned {
    Cleaner::new(Ruleset::defaults())
        .clean(&Document::from_text(raw))
        .unwrap()
}

#[test]
fn control_characters_go_with_provenance() {
    // A product text whose phrases end in runs of C0 controls, as a broken converter
    // leaves them; a category label with controls before its colon.
    let raw = "冻煮生开蛤肉\n所属分类\u{6}\u{8}\u{5}：水产品\n杂色蛤又名花蛤\u{7}\u{7}\u{6}、蛤蜊\u{5}\u{8}，原料新鲜\u{5}\u{7}，活力强\u{6}，保证颗粒完整，无杂质，无破损，物美价廉。\n";
    let c = clean(raw);
    assert_eq!(
        c.body,
        "冻煮生开蛤肉\n杂色蛤又名花蛤、蛤蜊，原料新鲜，活力强，保证颗粒完整，无杂质，无破损，物美价廉。\n"
    );
    assert_eq!(replay(raw, &c.edits).unwrap(), c.body);
    let stage: Vec<_> = c
        .edits
        .iter()
        .filter(|e| e.rule == "encoding-artifact.invisible")
        .collect();
    assert_eq!(stage.len(), 4, "{:?}", c.edits);
    assert!(stage
        .iter()
        .all(|e| e.removed.chars().all(char::is_control)));
    assert!(stage
        .iter()
        .all(|e| e.line == 3 && e.action == rinse::engine::EditAction::DropSpan));
    // The label line, read without its controls, is a category label.
    assert!(c
        .edits
        .iter()
        .any(|e| e.rule == "navigation.category-label" && e.line == 2));
}

#[test]
fn bidi_controls_and_private_use_go_text_stays() {
    let raw = "标题\n\u{E600} 点击\u{202E}这里\u{200F}查看详细说明，共有三个步骤需要完成。\n表情😀与符号€、制表\t符都是文字。\n";
    let c = clean(raw);
    assert_eq!(
        c.body,
        "标题\n点击这里查看详细说明，共有三个步骤需要完成。\n表情😀与符号€、制表 符都是文字。\n"
    );
    assert_eq!(replay(raw, &c.edits).unwrap(), c.body);
}

#[test]
fn a_line_of_only_controls_goes_whole() {
    let raw = "标题\n\u{1}\u{2}\u{3}\n这是正文的第一段，讲述了一件事情的经过。\n";
    let c = clean(raw);
    assert_eq!(c.body, "标题\n这是正文的第一段，讲述了一件事情的经过。\n");
    let e = c.edits.iter().find(|e| e.line == 2).unwrap();
    assert_eq!(e.rule, "encoding-artifact.invisible");
}

#[test]
fn the_stage_can_be_disabled() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("off.toml");
    std::fs::write(&f, "disable = [\"encoding-artifact.invisible\"]\n").unwrap();
    let mut sources = rinse::rules::RuleSource::defaults();
    sources.push(rinse::rules::RuleSource {
        name: f.display().to_string(),
        relative: "off.toml".into(),
        text: std::fs::read_to_string(&f).unwrap(),
        default: false,
    });
    let rules = Ruleset::from_sources(&sources, Default::default()).unwrap();
    let raw = "标题\n正文\u{7}第一段，讲述了一件事情的经过。\n";
    let c = Cleaner::new(rules)
        .clean(&Document::from_text(raw))
        .unwrap();
    assert!(c.body.contains('\u{7}'));
}
