//! The classifier on whole texts: pages, article-style texts, hints, and the properties
//! the engine relies on (pure, total, never cuts a paragraph, idempotent).

use proptest::prelude::*;

use super::*;

/// A made-up news page as a crawler dumps it: title line, menus, breadcrumb, headline,
/// byline, share bar, the article (paragraphs, a subheading, an image), comments, a
/// related list, a footer.
const PAGE: &str = "\
市民公园新增三条步道 周末游客明显增多_某某新闻网
首页
新闻
体育
财经
娱乐
科技
汽车
登录
注册
某某新闻网 > 本地新闻 > 正文
市民公园新增三条步道 周末游客明显增多
2024-05-12 09:30:12 来源：某某晚报 举报
1203
分享到：
微信
微博
QQ空间
今年春天，市民公园完成了步道改造工程，新增的三条步道总长约四公里，把湖边和山坡连在了一起。
记者周末在公园看到，不少市民带着孩子在步道上散步，也有人沿着湖边慢跑。
https://img.example.com/2024/05/park.jpg
步道的设计
公园管理处的工作人员介绍，新步道采用了透水材料，下雨之后也不会积水，夜间还有照明。
“以前山坡那边没有路，现在一家人可以绕着公园走一圈。”一位市民说。
责任编辑：某某
分享到：
微信
微博
网友评论
快乐的小鱼 3小时前
步道修得真好，周末带孩子去了，孩子们都很喜欢这里的环境和设施，希望多修一些。
回复 赞 12
路人甲 5小时前
晚上灯光也不错，就是停车位有点少，希望管理处能想想办法解决一下停车的问题。
回复 赞 3
相关新闻
城东公园将在下月开放夜间游览
2024-05-10 08:00
本市新增五处口袋公园
2024-05-08 10:12
关于我们 | 联系我们 | 广告服务 | 隐私政策
Copyright © 2024 某某新闻网 版权所有 京ICP备00000000号
";

fn kept<'a>(lines: &[&'a str], a: &Analysis) -> Vec<&'a str> {
    (0..lines.len())
        .filter(|&i| a.keeps(i))
        .map(|i| lines[i])
        .collect()
}

#[test]
fn finds_the_article_on_a_page() {
    let lines: Vec<&str> = PAGE.lines().collect();
    let a = analyze(&lines, &Options::default());
    assert!(a.verdict.is_page, "{:?}", a.verdict);
    assert!(a.verdict.title_repeated);
    let art = a.article.as_ref().expect("an article");
    assert_eq!(art.headline, Some((11, 11)));
    assert_eq!(
        kept(&lines, &a),
        [
            "市民公园新增三条步道 周末游客明显增多",
            "今年春天，市民公园完成了步道改造工程，新增的三条步道总长约四公里，把湖边和山坡连在了一起。",
            "记者周末在公园看到，不少市民带着孩子在步道上散步，也有人沿着湖边慢跑。",
            "步道的设计",
            "公园管理处的工作人员介绍，新步道采用了透水材料，下雨之后也不会积水，夜间还有照明。",
            "“以前山坡那边没有路，现在一家人可以绕着公园走一圈。”一位市民说。",
        ]
    );
    // Every removed line says why.
    let d = |i: usize| a.lines[i].decision;
    assert_eq!(d(0), Decision::BeforeArticle); // the title line
    assert_eq!(d(12), Decision::HeaderChrome); // the byline
    assert_eq!(d(20), Decision::Url); // the image
    assert_eq!(d(26), Decision::AfterArticle); // the comments heading
    assert_eq!(a.lines[21].context_reason, ContextReason::BetweenParagraphs);
    let why = a.describe_line(21);
    assert!(why.contains("between article paragraphs"), "{why}");
    assert!(why.contains("headline line 12"), "{why}");
}

#[test]
fn a_headline_split_over_lines_is_found_and_kept() {
    let text = PAGE.replacen(
        "市民公园新增三条步道 周末游客明显增多\n2024",
        "市民公园新增三条步道\n周末游客明显增多\n2024",
        1,
    );
    let lines: Vec<&str> = text.lines().collect();
    let a = analyze(&lines, &Options::default());
    assert_eq!(a.article.as_ref().unwrap().headline, Some((11, 12)));
    assert!(a.keeps(11) && a.keeps(12));
}

#[test]
fn without_a_title_line_the_densest_region_and_the_line_before_it() {
    // The same page with its title line lost: still a page (many chrome lines)...
    let many_menus = "首页\n新闻\n体育\n财经\n".repeat(5);
    let text = format!("{many_menus}{}", PAGE.split_once('\n').unwrap().1);
    let lines: Vec<&str> = text.lines().collect();
    let a = analyze(&lines, &Options::default());
    assert!(a.verdict.is_page, "{:?}", a.verdict);
    assert!(!a.verdict.title_repeated);
    let art = a.article.unwrap();
    // ...whose headline is the headline-shaped line just before the article.
    let (h, _) = art.headline.unwrap();
    assert_eq!(lines[h], "市民公园新增三条步道 周末游客明显增多");
}

#[test]
fn article_style_texts_are_left_alone() {
    // A repost: mostly prose, a byline, an editor line, one related headline.
    let text = "\
市民公园新增三条步道
来源：某某晚报
今年春天，市民公园完成了步道改造工程，新增的三条步道总长约四公里，把湖边和山坡连在了一起。
记者周末在公园看到，不少市民带着孩子在步道上散步，也有人沿着湖边慢跑。
公园管理处的工作人员介绍，新步道采用了透水材料，下雨之后也不会积水，夜间还有照明。
责任编辑：某某
相关阅读
城东公园将在下月开放夜间游览
";
    let lines: Vec<&str> = text.lines().collect();
    let a = analyze(&lines, &Options::default());
    assert!(!a.verdict.is_page, "{:?}", a.verdict);
    assert!(a.article.is_none());
    assert!((0..lines.len()).all(|i| a.keeps(i)));
    assert!(a.lines.iter().all(|l| l.decision == Decision::NotAPage));
}

#[test]
fn removed_lines_are_transparent_and_left_alone() {
    let lines: Vec<&str> = PAGE.lines().collect();
    let mut hints = vec![LineHint::default(); lines.len()];
    hints[21].removed = true; // the subheading, say removed by a rule
    let a = analyze(
        &lines,
        &Options {
            title: None,
            hints: &hints,
        },
    );
    assert_eq!(a.lines[21].class, Class::Skip);
    assert_eq!(a.lines[21].decision, Decision::Transparent);
    assert!(a.keeps(22));
}

#[test]
fn a_given_title_replaces_the_first_line() {
    let lines: Vec<&str> = PAGE.lines().skip(1).collect();
    let a = analyze(
        &lines,
        &Options {
            title: Some("市民公园新增三条步道 周末游客明显增多 - 某某新闻网"),
            hints: &[],
        },
    );
    assert_eq!(a.title_line, None);
    assert_eq!(a.article.unwrap().headline, Some((10, 10)));
}

#[test]
fn link_text_hints_mark_chrome() {
    let lines: Vec<&str> = PAGE.lines().collect();
    let mut hints = vec![LineHint::default(); lines.len()];
    hints[19].link_share = Some(0.9);
    let a = analyze(
        &lines,
        &Options {
            title: None,
            hints: &hints,
        },
    );
    assert_eq!(
        (a.lines[19].class, a.lines[19].reason),
        (Class::Bad, Reason::LinkText)
    );
    assert!(!a.keeps(19));
}

#[test]
fn texts_too_long_to_be_pages_are_not_classified() {
    let text = PAGE.to_string() + &"首页\n".repeat(MAX_PAGE_LINES);
    assert!(analyze_text(&text).is_none());
    let a = analyze_text(PAGE).unwrap();
    assert!(a.verdict.is_page);
    assert_eq!(a.lines.len(), PAGE.lines().count());
}

/// Lines made of page-like pieces, so that random texts are sometimes pages.
fn line_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("首页".to_string()),
        Just("分享到：".to_string()),
        Just("相关新闻".to_string()),
        Just("2024-01-02 10:00".to_string()),
        Just("https://img.example.com/a.jpg".to_string()),
        Just("某某新闻标题_某某网".to_string()),
        Just("某某新闻标题".to_string()),
        Just("这是正文的一段话，讲述了事情的经过，内容比较长，也有逗号和句号。".to_string()),
        Just("一个小标题".to_string()),
        Just("1、一条排行榜上的新闻标题".to_string()),
        "\\PC{0,30}",
        "[ \t\u{3000}a-z0-9.|>，。：、\u{e600}\u{fffd}]{0,20}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn total_consistent_and_idempotent(raw in proptest::collection::vec(line_strategy(), 0..60)) {
        let lines: Vec<&str> = raw.iter().map(String::as_str).collect();
        let a = analyze(&lines, &Options::default());
        prop_assert_eq!(a.lines.len(), lines.len());
        if !a.verdict.is_page {
            prop_assert!((0..lines.len()).all(|i| a.keeps(i)));
        }
        if let Some(art) = &a.article {
            // Never a paragraph cut out of the body.
            for i in art.body.0..=art.body.1 {
                if a.lines[i].class == Class::Good {
                    prop_assert!(a.keeps(i), "paragraph {} removed", i);
                }
            }
        }
        // A second pass over what is kept changes nothing: when an article was found, what
        // is kept has no chrome lines left, so it is not a page any more.
        let kept: Vec<&str> = (0..lines.len()).filter(|&i| a.keeps(i)).map(|i| lines[i]).collect();
        let again = analyze(&kept, &Options::default());
        prop_assert!((0..kept.len()).all(|i| again.keeps(i)), "{:?}", again.verdict);
        if a.article.is_some() {
            prop_assert!(!again.verdict.is_page, "{:?}", again.verdict);
        }
    }
}

#[test]
fn a_post_of_short_sentences_between_images_is_the_article() {
    // A personal blog writes a sentence a line, some ending in 。, some not, with photos
    // between; the long comments under it must not win.
    let post = "\
周五下班直接去了车站。
两个多小时就到了山里。
https://img.example.com/1.jpg
第一站是半山腰的茶园。
山坡上一层一层全是茶树。
我们在茶农家里喝了一下午的茶，
https://img.example.com/2.jpg
晚上住在山脚下的民宿。
老板做的笋干烧肉太好吃了！
明年还想再来。";
    let text = PAGE.replacen(
        &PAGE[PAGE.find("今年春天").unwrap()..PAGE.find("责任编辑").unwrap()],
        &format!("{post}\n"),
        1,
    );
    let lines: Vec<&str> = text.lines().collect();
    let a = analyze(&lines, &Options::default());
    let kept = kept(&lines, &a);
    for line in post.lines().filter(|l| !l.starts_with("https://")) {
        assert!(kept.contains(&line), "{line} dropped: {kept:?}");
    }
    assert!(!kept.iter().any(|l| l.contains("步道修得真好")), "{kept:?}");
}

#[test]
fn a_numbered_section_heading_above_the_first_paragraph_opens_the_body() {
    let text = PAGE.replacen("今年春天", "一、步道建设情况\n今年春天", 1);
    let lines: Vec<&str> = text.lines().collect();
    let a = analyze(&lines, &Options::default());
    assert!(kept(&lines, &a).contains(&"一、步道建设情况"));
    // The byline above it is still header chrome.
    assert_eq!(a.lines[12].decision, Decision::HeaderChrome);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The stage's early exit turns away only texts the full analysis finds no article in.
    #[test]
    fn page_analysis_is_the_analysis_of_pages_with_an_article(
        raw in proptest::collection::vec(line_strategy(), 0..60)
    ) {
        let text = raw.join("\n");
        let full = analyze_text(&text).filter(|a| a.article.is_some());
        prop_assert_eq!(page_analysis(&text), full);
    }
}

#[test]
fn page_analysis_of_a_page_and_an_article() {
    assert_eq!(page_analysis(PAGE), analyze_text(PAGE));
    assert!(page_analysis(PAGE).is_some_and(|a| a.article.is_some()));
    assert_eq!(page_analysis("标题\n正文一段，讲了一件事。\n"), None);
}
