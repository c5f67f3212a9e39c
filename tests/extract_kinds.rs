//! The kinds of page extraction used to get wrong, as small pages written for these tests
//! (`tests/fixtures/kinds/`, see its README): a short article in heavy portal chrome
//! (zh-HK, its body split by an advertisement), a zh-TW article whose photo caption outweighs
//! a body full of inline links, a blog post of short lines between images above long
//! comments, Discuz! (GBK) and phpwind threads, a technical blog with code, an old
//! table-layout GBK portal, an article behind a fold, and English news with an inline
//! "Read more" box. Each page has its gold body and its whole-page text dump; both must
//! come out close to the gold, and the report must say why.

use std::path::{Path, PathBuf};

use rinse::extract::plausible::Agreement;
use rinse::{Cleaned, Cleaner, Document, Ruleset};

const KINDS: [&str; 14] = [
    "hk-portal-short",
    "tw-news-caption",
    "blog-short-lines",
    "discuz-thread",
    "phpwind-thread",
    "tech-blog-code",
    "gbk-table-portal",
    "fold-article",
    "english-news",
    "bbs-pre",
    "csdn-code",
    "gbk-nocharset",
    "tw-portal-hidden",
    "us-news",
];

/// Dumps whose article is followed by prose that is not the article, which the text
/// classifier still takes for more of it (the HTML path drops it by markup): recommended
/// articles with summaries, comment rules, a newsletter invitation and an author's bio.
/// Held to a lower bar, so that a regression still shows.
const WEAK_DUMPS: [(&str, f64); 3] = [
    ("csdn-code", 0.7),
    ("tw-portal-hidden", 0.85),
    ("us-news", 0.85),
];

/// Character F1 a page's body must reach against its gold (the HTML and the text dump);
/// below 0.5 a page has come out as the wrong element.
const MIN_F1_HTML: f64 = 0.95;
const MIN_F1_DUMP: f64 = 0.9;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kinds")
}

fn doc(file: &str) -> Document {
    let bytes = std::fs::read(dir().join(file)).unwrap();
    rinse::input::decode(&bytes, file, &Default::default()).unwrap()
}

fn gold(name: &str) -> String {
    std::fs::read_to_string(dir().join(format!("{name}.expected.txt"))).unwrap()
}

fn clean(d: &Document) -> Cleaned {
    let out = Cleaner::new(Ruleset::defaults()).clean(d).unwrap();
    assert_eq!(
        rinse::engine::replay(&d.text, &out.edits).unwrap(),
        out.body
    );
    out
}

fn html(name: &str) -> (Document, Cleaned) {
    let d = doc(&format!("{name}.html"));
    let out = clean(&d);
    (d, out)
}

#[test]
fn every_kind_comes_out_close_to_its_gold_from_html_and_from_its_dump() {
    let mut failures = Vec::new();
    for name in KINDS {
        let g = gold(name);
        let (_, out) = html(name);
        let s = rinse::eval::score(name, &g, Some(&out.body));
        if s.f1 < MIN_F1_HTML {
            failures.push(format!("{name}.html F1 {:.3}:\n{}", s.f1, out.body));
        }
        let dump = doc(&format!("{name}.dump.txt"));
        let out = clean(&dump);
        let s = rinse::eval::score(name, &g, Some(&out.body));
        let min = WEAK_DUMPS
            .iter()
            .find(|w| w.0 == name)
            .map_or(MIN_F1_DUMP, |w| w.1);
        if s.f1 < min {
            failures.push(format!("{name}.dump.txt F1 {:.3}:\n{}", s.f1, out.body));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn has(body: &str, line: &str) -> bool {
    body.lines().any(|l| l == line)
}

#[test]
fn a_body_split_by_an_advertisement_is_kept_whole() {
    let (d, out) = html("hk-portal-short");
    assert!(out.body.contains("港交所今日表示"), "{}", out.body);
    assert!(out.body.contains("諮詢期為兩個月"), "{}", out.body);
    // The caption, the hidden copy of the title and the related teasers stay out.
    assert!(!out.body.contains("資料圖片"), "{}", out.body);
    assert!(!out.body.contains("恒指今早高開"), "{}", out.body);
    assert_eq!(out.body.matches("港交所擬優化上市機制").count(), 1);
    let o = out
        .page_hints(&d)
        .unwrap()
        .report
        .second_opinion
        .clone()
        .unwrap();
    assert!(o.notes.iter().any(|n| n.contains("part")), "{o:?}");
}

#[test]
fn a_blog_of_short_lines_is_not_lost_to_its_comments() {
    let g = gold("blog-short-lines");
    let (d, out) = html("blog-short-lines");
    assert_eq!(out.body, g);
    let o = out
        .page_hints(&d)
        .unwrap()
        .report
        .second_opinion
        .clone()
        .unwrap();
    assert!(
        o.notes.iter().any(|n| n.contains("dated items")),
        "{:?}",
        o.notes
    );
    // From the dump as well: the short lines are the article, the comments are not.
    let out = clean(&doc("blog-short-lines.dump.txt"));
    assert!(has(&out.body, "白桦林黄了一半"), "{}", out.body);
    assert!(!out.body.contains("照片拍得真好"), "{}", out.body);
}

#[test]
fn a_thread_is_its_title_and_opening_post() {
    for name in ["discuz-thread", "phpwind-thread"] {
        let (d, out) = html(name);
        let g = gold(name);
        for line in g.lines().skip(1) {
            assert!(has(&out.body, line), "{name}: lost {line}\n{}", out.body);
        }
        // No reply, signature, floor, user panel or edit note.
        for noise in [
            "写得很实在",
            "补充一点",
            "干了三十年电工",
            "楼上说得很全了",
            "阳台虽小",
            "装修小白",
            "本帖最后由",
            "沙发",
            "注册时间",
        ] {
            assert!(
                !out.body.contains(noise),
                "{name}: kept {noise}\n{}",
                out.body
            );
        }
        let dump = clean(&doc(&format!("{name}.dump.txt")));
        for noise in ["干了三十年电工", "补充一点", "楼上说得很全了"] {
            assert!(
                !dump.body.contains(noise),
                "{name} dump: {noise}\n{}",
                dump.body
            );
        }
        if name == "phpwind-thread" {
            // The longer reply outscored the opening post; the thread's shape decided.
            let o = out
                .page_hints(&d)
                .unwrap()
                .report
                .second_opinion
                .clone()
                .unwrap();
            assert_eq!(o.agreement, Agreement::Structure, "{o:?}");
            assert!(o.notes[0].contains("thread"), "{o:?}");
        }
    }
}

#[test]
fn code_and_short_technical_lines_are_the_article_in_a_dump() {
    let out = clean(&doc("tech-blog-code.dump.txt"));
    for line in [
        "sudo systemctl enable --now backup.timer",
        "OnCalendar=*-*-* 03:00:00",
        "[Install]",
        "脚本本身也可以写得健壮一点，出错就退出：",
        "find /var/backups -name '*.sql.gz' -mtime +7 -delete",
    ] {
        assert!(has(&out.body, line), "lost {line}\n{}", out.body);
    }
    assert!(!out.body.contains("Persistent 这个选项"), "{}", out.body);
}

#[test]
fn a_folded_article_keeps_the_text_behind_the_fold() {
    let (d, out) = html("fold-article");
    assert!(has(
        &out.body,
        "问她还会开多久，李姐笑着说：“开到开不动为止。”"
    ));
    assert!(!out.body.contains("展开全文"));
    let hints = out.page_hints(&d).unwrap();
    let at = d
        .text
        .lines()
        .position(|l| l.starts_with("转机出现"))
        .unwrap();
    assert!(
        hints.reason(at).unwrap().contains("fold"),
        "{:?}",
        hints.reason(at)
    );
}

#[test]
fn bylines_between_the_headline_and_the_body_go_even_inside_the_container() {
    let (d, out) = html("gbk-table-portal");
    assert_eq!(out.body, gold("gbk-table-portal"));
    let hints = out.page_hints(&d).unwrap();
    let at = d
        .text
        .lines()
        .position(|l| l.starts_with("来源："))
        .unwrap();
    assert!(hints.lines[at].byline, "{:?}", hints.reason(at));
}

#[test]
fn english_news_keeps_every_paragraph_around_an_inline_box() {
    for file in ["english-news.html", "english-news.dump.txt"] {
        let out = clean(&doc(file));
        for line in gold("english-news").lines().filter(|l| l.len() > 60) {
            assert!(has(&out.body, line), "{file}: lost {line}\n{}", out.body);
        }
        for noise in [
            "Advertisement",
            "Minibus drivers",
            "Photo: Harbour Post",
            "Sign up",
        ] {
            assert!(
                !out.body.contains(noise),
                "{file}: kept {noise}\n{}",
                out.body
            );
        }
    }
}

#[test]
fn old_bbs_posts_lose_their_headers_signature_and_replies() {
    let (_, out) = html("bbs-pre");
    assert!(has(&out.body, "以上建议，请相关部门考虑。"), "{}", out.body);
    for noise in ["发信站", "※ 来源", "FROM:", "支持！", "--"] {
        assert!(
            !has(&out.body, noise) && !out.body.contains(noise),
            "kept {noise}\n{}",
            out.body
        );
    }
}

#[test]
fn line_numbers_beside_code_are_not_text() {
    for file in ["csdn-code.html", "csdn-code.dump.txt"] {
        let out = clean(&doc(file));
        assert!(has(&out.body, "import mmap"), "{file}\n{}", out.body);
        assert!(
            !out.body.lines().any(|l| l.trim().parse::<u32>().is_ok()),
            "{file}\n{}",
            out.body
        );
    }
}
