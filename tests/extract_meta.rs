//! Page metadata of html-dev pages against values checked by hand in each page's source
//! (the meta tag, JSON-LD or byline named in the comment). Skipped when ../shared is absent.

use rinse::{Cleaner, Ruleset};

/// Metadata fields other than the date: `(name, value)`.
type Fields = &'static [(&'static str, &'static str)];

/// (page, published ISO 8601, published as written, other fields)
const EXPECTED: &[(&str, &str, &str, Fields)] = &[
    // <meta property="article:published_time">, <meta property="article:author">, byline source
    (
        "163_1",
        "2019-09-07T13:43:45+08:00",
        "2019-09-07T13:43:45+08:00",
        &[("author", "网易"), ("source", "证券市场红周刊")],
    ),
    (
        "163_6",
        "2019-09-09T16:19:28+08:00",
        "2019-09-09T16:19:28+08:00",
        &[("source", "华龙网")],
    ),
    (
        "163_8",
        "2020-02-29T18:34:31+08:00",
        "2020-02-29T18:34:31+08:00",
        &[("source", "新华社")],
    ),
    // <div class="pubDate">发布日期: <span>2012-06-24</span>
    ("cmse_1", "2012-06-24", "2012-06-24", &[]),
    // <span>时间：2019-09-25</span>, <html lang="en">
    ("ednchina_1", "2019-09-25", "2019-09-25", &[("lang", "en")]),
    // <b title="发布时间">发布时间：2019-05-18</b> <i>来源：中国地理学会</i>
    (
        "gsc_1",
        "2019-05-18",
        "2019-05-18",
        &[("source", "中国地理学会")],
    ),
    // byline spans; the author meta tag is a template placeholder (an e-mail), not a name
    (
        "guancha_3",
        "2019-09-09T19:32:27",
        "2019-09-09 19:32:27",
        &[("source", "中新网"), ("lang", "zh-cmn-Hans")],
    ),
    (
        "guancha_guancha",
        "2019-09-07T09:25:09",
        "2019-09-07 09:25:09",
        &[("source", "观察者网")],
    ),
    // <meta name="PubDate" content="2016-11-22 09:53">
    ("gzggw_1", "2016-11-22T09:53:00", "2016-11-22 09:53", &[]),
    // <meta name="og:time " content="2019-09-09 18:13:22"> (the byline says the same)
    ("ifeng_2", "2019-09-09T18:13:22", "2019-09-09 18:13:22", &[]),
    // <meta name="og:time" content="2020年09月11日 18:05">
    (
        "ifeng_3",
        "2020-09-11T18:05:00",
        "2020年09月11日 18:05",
        &[],
    ),
    (
        "ifeng_ifeng",
        "2019-09-07T08:05:32",
        "2019-09-07 08:05:32",
        &[],
    ),
    (
        "mingridapan_1",
        "2019-09-26T10:09:11",
        "2019-09-26 10:09:11",
        &[("lang", "zh-CN")],
    ),
    // <meta name="apub:time" content="2019-9-7 21:30:50">
    ("qq_qq", "2019-09-07T21:30:50", "2019-9-7 21:30:50", &[]),
    // article:published_time and article:author; the sidebar dates are not taken
    (
        "sina_2",
        "2018-12-28T19:56:29+08:00",
        "2018-12-28T19:56:29+08:00",
        &[
            ("author", "新京报"),
            (
                "url",
                "https://finance.sina.com.cn/roll/2018-12-28/doc-ihqfskcn2160999.shtml",
            ),
        ],
    ),
    (
        "sina_5",
        "2019-10-23T09:10:42+08:00",
        "2019-10-23T09:10:42+08:00",
        &[("author", "环球网")],
    ),
    (
        "sina_sina",
        "2019-09-07T06:52:51+08:00",
        "2019-09-07T06:52:51+08:00",
        &[],
    ),
    // byline "2020-01-03 18:13"
    (
        "thepaper_3",
        "2020-01-03T18:13:00",
        "2020-01-03 18:13",
        &[("lang", "zh-CN")],
    ),
    (
        "thepaper_5",
        "2020-06-06T10:08:00",
        "2020-06-06 10:08",
        &[("source", "澎湃新闻")],
    ),
    // <div class="article-sub"><span>华夏人文</span> <span>2020-03-09 18:14:21</span>
    (
        "toutiao_5",
        "2020-03-09T18:14:21",
        "2020-03-09 18:14:21",
        &[("source", "华夏人文")],
    ),
    // <span>2019年9月26日 15:10</span>
    (
        "xds_1",
        "2019-09-26T15:10:00",
        "2019年9月26日 15:10",
        &[("source", "天天基金网")],
    ),
];

/// Pages without a date anywhere in their markup or bylines, and their other fields.
const UNDATED: &[(&str, Fields)] = &[
    // <meta property="og:site_name" content="微信公众平台">, <meta name="author" content="kingname">
    (
        "wechat_2",
        &[("author", "kingname"), ("site_name", "微信公众平台")],
    ),
    // <link rel="canonical" href="http://www.cjddsb.com/ym/xhy/532601.html">
    (
        "cjddsb_1",
        &[
            ("url", "http://www.cjddsb.com/ym/xhy/532601.html"),
            ("lang", "zh-CN"),
        ],
    ),
];

#[test]
#[cfg_attr(
    not(rinse_shared),
    ignore = "needs ../shared beside the checkout (the dev sets); `touch build.rs` after adding it"
)]
fn html_dev_metadata_matches_hand_checked_values() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/html-dev");
    let cleaner = Cleaner::new(Ruleset::defaults());
    let meta = |name: &str| {
        let file = format!("{name}.html");
        let bytes = std::fs::read(dir.join(&file)).unwrap();
        let doc = rinse::input::decode(&bytes, &file, &Default::default()).unwrap();
        let m = cleaner.clean(&doc).unwrap().metadata;
        serde_json::to_value(&m).unwrap()
    };
    let mut wrong = Vec::new();
    let mut check = |name: &str, field: &str, want: Option<&str>, got: &serde_json::Value| {
        if got.get(field).and_then(|v| v.as_str()) != want {
            wrong.push(format!(
                "{name}: {field} = {:?}, want {want:?}",
                got.get(field)
            ));
        }
    };
    for (name, iso, raw, fields) in EXPECTED {
        let m = meta(name);
        check(name, "published", Some(iso), &m);
        check(name, "published_raw", Some(raw), &m);
        for (f, v) in *fields {
            check(name, f, Some(v), &m);
        }
    }
    for (name, fields) in UNDATED {
        let m = meta(name);
        check(name, "published", None, &m);
        for (f, v) in *fields {
            check(name, f, Some(v), &m);
        }
    }
    assert!(EXPECTED.len() + UNDATED.len() >= 20);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Comment timestamps ("11小时前") are never taken for an author (they were, before the
/// comments were dropped ahead of the byline rules).
#[test]
#[cfg_attr(
    not(rinse_shared),
    ignore = "needs ../shared beside the checkout (the dev sets); `touch build.rs` after adding it"
)]
fn comment_lines_give_no_author() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/html-dev");
    let cleaner = Cleaner::new(Ruleset::defaults());
    for name in ["163_1", "163_2", "163_3", "163_4"] {
        let file = format!("{name}.html");
        let bytes = std::fs::read(dir.join(&file)).unwrap();
        let doc = rinse::input::decode(&bytes, &file, &Default::default()).unwrap();
        let author = cleaner.clean(&doc).unwrap().metadata.author;
        assert!(
            author
                .as_deref()
                .is_some_and(|a| !a.chars().all(|c| c.is_ascii_digit())),
            "{name}: {author:?}"
        );
    }
}
