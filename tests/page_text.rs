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

/// Whole pages of different shapes around an article: a news portal (title line with the
/// site's name, menus, breadcrumb, share bar, comments, related list, footer), a blog
/// (sidebar lists before the article, previous/next links and a comment form after), a
/// dump whose first line is the site's name rather than the article's title, and a
/// traditional-script portal. All chrome here is written for the test.
fn shapes(title: &str, article: &str) -> Vec<(&'static str, String)> {
    let portal = format!(
        "{title}_某某新闻网\n\
         https://static.example.com/img/logo.png\n\
         首页\n新闻\n国内\n国际\n财经\n科技\n体育\n娱乐\n汽车\n房产\n登录\n注册\n\
         搜索\n\
         当前位置：首页 > 新闻中心 > 正文\n\
         {article}\n\
         分享到：\n微信\n微博\nQQ空间\n\
         责任编辑：某某\n\
         网友评论\n\
         快乐的小鱼 3小时前\n\
         说得很有道理，希望这些项目都能早日落地，让老百姓真正得到实惠。\n\
         回复 赞 12\n\
         夜空中的星 5小时前\n\
         支持，家门口的变化我们都看得见，这两年路修好了，学校也多了。\n\
         回复 赞 3\n\
         相关新闻\n\
         城东新区又有两个项目开工\n2024-05-10 08:00\n\
         一季度全市经济数据出炉\n2024-05-08 10:12\n\
         热门推荐\n\
         1 这座城市的夜市火了\n2 春季招聘会下周举行\n3 地铁新线路即将开通\n\
         关于我们 | 联系我们 | 广告服务 | 隐私政策\n\
         Copyright © 2024 某某新闻网 版权所有 京ICP备00000000号\n"
    );
    let blog = format!(
        "{title} - 小城故事 - 个人博客\n\
         小城故事\n首页\n归档\n标签\n关于\n\
         热门文章\n\
         1. 一次说走就走的旅行\n2. 读书笔记：城市的形状\n3. 周末去哪儿\n4. 老街的早餐\n\
         标签\n城市 旅行 读书 生活 美食 摄影\n\
         发布于 2024-03-02 21:15 阅读 1024\n\
         {article}\n\
         上一篇：春天的第一场雨\n\
         下一篇：给十年后的自己\n\
         发表评论\n昵称\n邮箱\n提交\n\
         © 2024 小城故事 Powered by 某博客程序\n"
    );
    let site_first = format!(
        "某某资讯网 - 权威、及时的新闻资讯\n\
         首页 | 要闻 | 财经 | 科技 | 体育 | 汽车 | 房产\n\
         登录 注册\n\
         扫码下载客户端\n\
         {article}\n\
         分享到：\n\
         收藏\n\
         举报\n\
         相关阅读\n\
         又一批重点项目集中签约\n\
         2024-04-01\n\
         产业园区建设提速\n\
         2024-03-28\n\
         最新评论\n\
         匿名用户 1天前\n\
         回复 赞\n\
         网友12345 2天前\n\
         回复 赞\n\
         关于我们 | 联系方式 | 网站地图\n\
         版权所有 © 某某资讯网\n"
    );
    let traditional = format!(
        "{title}｜某某新聞網\n\
         首頁\n新聞\n財經\n科技\n體育\n娛樂\n登錄\n註冊\n\
         首頁 > 新聞 > 正文\n\
         {article}\n\
         分享到：\n\
         相關新聞\n\
         城東新區又有兩個項目開工\n\
         一季度全市經濟數據出爐\n\
         熱門評論\n\
         路人甲 2小時前\n\
         回覆 舉報\n\
         Copyright © 2024 某某新聞網 版權所有\n"
    );
    vec![
        ("portal", portal),
        ("blog", blog),
        ("site name first", site_first),
        ("traditional portal", traditional),
    ]
}

#[test]
fn seeds_inside_whole_pages_clean_to_their_gold_bodies() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for seed in std::fs::read_dir(root.join("seeds")).unwrap() {
        let path = seed.unwrap().path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let name = path.file_name().unwrap();
        let raw = std::fs::read_to_string(&path).unwrap();
        let gold = std::fs::read_to_string(root.join("tests/gold").join(name)).unwrap();
        // The page's title is the article's headline as the page wrote it (before the
        // rules undo its anti-filter substitutions).
        let headline = gold.lines().next().unwrap();
        let title = raw
            .lines()
            .find(|l| clean(l).body.trim_end() == headline)
            .unwrap();
        for (shape, page) in shapes(title, raw.trim_end()) {
            let out = clean(&page);
            assert_eq!(replay(&page, &out.edits).unwrap(), out.body);
            assert!(
                out.edits.iter().any(|e| e.rule == STAGE),
                "{name:?} in a {shape}: the stage did not act"
            );
            assert_eq!(out.body, gold, "{name:?} in a {shape}");
        }
    }
}

/// A page dump as a crawler saves it: the `<title>`, then every visible line of text.
fn dump_of(html: &str) -> String {
    let page = rinse::extract::Page::parse(html);
    let mut out = page.meta.title.clone().unwrap_or_default();
    out.push('\n');
    for (i, l) in page.blocks.lines.iter().enumerate() {
        if !l.hidden && l.kind != rinse::extract::blocks::BlockKind::Image {
            out.push_str(page.blocks.line(i));
            out.push('\n');
        }
    }
    out
}

#[test]
fn latin_script_dumps_keep_every_line_of_their_article() {
    // English news, a French recipe blog, German docs with code: words separated by
    // spaces are not menus, and French or German prose is prose.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/html/latin");
    for name in ["harbour-news", "recette-blog", "docs-page"] {
        let html = std::fs::read_to_string(dir.join(format!("{name}.html"))).unwrap();
        let expected = std::fs::read_to_string(dir.join(format!("{name}.expected.txt"))).unwrap();
        let dump = dump_of(&html);
        let out = clean(&dump);
        // (The rules may still remove a line, e.g. a lone `}`: that is not this stage.)
        let removed: Vec<&str> = out
            .edits
            .iter()
            .filter(|e| e.rule == STAGE)
            .flat_map(|e| dump[e.start..e.end].lines())
            .map(str::trim)
            .collect();
        for line in expected.lines() {
            assert!(
                !removed.contains(&line),
                "{name}: lost {line:?}\n{}",
                out.body
            );
        }
    }
}
