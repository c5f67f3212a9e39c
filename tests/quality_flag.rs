//! The quality flag marks what is likely wrong, for a reason a reviewer can check:
//! mis-decoded text, an extraction that found no plausible article, a whole page kept,
//! most of an article removed. Whole pages that lose their chrome are not flagged.

use rinse::provenance::{Provenance, Quality};
use rinse::{Cleaner, Document, Ruleset};

fn quality(doc: &Document) -> Quality {
    let ruleset = Ruleset::defaults();
    let out = Cleaner::new(ruleset.clone()).clean(doc).unwrap();
    Provenance::new(doc, &out, &ruleset).quality
}

fn html(page: &str) -> Document {
    rinse::input::decode(page.as_bytes(), "page.html", &Default::default()).unwrap()
}

const NAV: &str = "<ul class=nav><li><a href=/>首页</a></li><li><a href=/n>新闻</a></li>\
    <li><a href=/s>体育</a></li><li><a href=/f>财经</a></li><li><a href=/e>娱乐</a></li></ul>";

#[test]
fn a_page_that_loses_its_chrome_is_not_flagged() {
    let page = format!(
        "<html><head><title>市民公园新增三条步道_某某网</title></head><body>{NAV}\
         <div class=article><h1>市民公园新增三条步道</h1>{}</div>\
         <div class=footer>{}</div></body></html>",
        "<p>今年春天，市民公园完成了步道改造工程，新增的三条步道总长约四公里。</p>".repeat(3),
        "<a href=/about>关于我们</a> <a href=/contact>联系我们</a> ".repeat(40)
    );
    assert_eq!(quality(&html(&page)), Quality::Ok);
}

#[test]
fn a_page_without_a_plausible_article_is_flagged() {
    // A photo page: the only sentence is the caption.
    let page = format!(
        "<html><head><title>组图：江边的清晨_某某网</title></head><body>{NAV}\
         <h1>组图：江边的清晨</h1><figure><img src=/a.jpg>\
         <figcaption>清晨的江边，不少市民在这里跑步、打太极拳，享受一天中最凉爽的时光。</figcaption>\
         </figure>{NAV}<div class=footer>{}</div></body></html>",
        "<a href=/about>关于我们</a> <a href=/contact>联系我们</a> ".repeat(20)
    );
    let doc = html(&page);
    assert_eq!(quality(&doc), Quality::Implausible);
}

#[test]
fn mis_decoded_text_is_flagged() {
    let page = "<html><head><meta charset=gbk><title>县农业局组织开展春耕技术培训</title></head>\
                <body><p>县农业局组织技术人员深入全县八个乡镇，开展春耕生产技术培训，共培训农民两千余人次。</p>\
                <p>培训内容包括水稻旱育稀植、测土配方施肥和病虫害综合防治等实用技术。</p></body></html>";
    let (gbk, _, _) = encoding_rs::GBK.encode(page);
    let opts = rinse::input::DecodeOptions {
        encoding: Some(encoding_rs::WINDOWS_1252),
        ..Default::default()
    };
    let wrong = rinse::input::decode(&gbk, "page.html", &opts).unwrap();
    assert_eq!(quality(&wrong), Quality::Garbled);
    let right = rinse::input::decode(&gbk, "page.html", &Default::default()).unwrap();
    assert_ne!(quality(&right), Quality::Garbled);
}

#[test]
fn an_article_text_that_loses_most_of_itself_is_flagged_and_a_page_dump_is_not() {
    // A repost that is mostly an ad block around one sentence.
    let mut text = String::from("本市新建三座公园，市民周末可以前往游览。\n");
    for _ in 0..30 {
        text.push_str("扫一扫关注公众号\n长按识别二维码加微信\n");
    }
    let doc = Document::from_text(&text);
    assert_eq!(quality(&doc), Quality::RemovedMost);
    // A whole-page dump loses most of its lines, as it should: not flagged.
    let dump = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/kinds/hk-portal-short.dump.txt"),
    )
    .unwrap();
    assert_eq!(quality(&Document::from_text(&dump)), Quality::Ok);
}
