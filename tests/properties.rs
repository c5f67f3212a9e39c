//! Properties of decoding and cleaning, checked on generated inputs.

use proptest::prelude::*;
use rinse::batch::{self, Options, Output};
use rinse::engine::replay;
use rinse::input::{decode, decode_hinted, DecodeOptions};
use rinse::{Cleaner, Document, Ruleset};
use std::sync::OnceLock;

fn cleaner() -> &'static Cleaner {
    static C: OnceLock<Cleaner> = OnceLock::new();
    C.get_or_init(|| Cleaner::new(Ruleset::defaults()))
}

/// Lines from the seeds plus typical noise: realistic material for the rules to act on.
fn pool() -> &'static Vec<String> {
    static P: OnceLock<Vec<String>> = OnceLock::new();
    P.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut lines: Vec<String> = Vec::new();
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let t = std::fs::read_to_string(f).unwrap();
            lines.extend(t.lines().take(40).map(str::to_string));
        }
        lines.extend(
            [
                "",
                "   ",
                "\u{3000}\u{3000}正文段落，前面有全角空格。",
                "责任编辑:张三",
                "相关文章",
                "·某某新闻标题",
                "https://img.example.com/a/b.jpg",
                "▲项目效果图",
                "网(wǎng)络區(qū)域",
                "蕞新消息头部个",
                "特别声明:以上内容仅代表作者本人观点",
                "首页 > 资讯中心 > 江苏资讯",
                "扫一扫关注公众号",
                "这是一个很长的导语，后面还会重复出现……",
                "这是一个很长的导语，后面还会重复出现在正文里。",
                "为什么有的人喝水也会长胖？",
                "家里的绿萝叶子发黄怎么办才好",
                "新手买二手车需要注意哪些坑",
                "攻略：家里的绿萝叶子发黄怎么办才好",
                "上一篇：某某新闻标题",
                "联 系 人： 某某",
                "本文关键词：某某,标题",
                "这是一整行被网站复制到开头的摘要文字，正文里还会再出现一次",
                "zero\u{200B}width\u{FEFF}chars",
                "tab\tand\u{a0}nbsp",
                "***",
            ]
            .map(str::to_string),
        );
        lines
    })
}

fn doc_text() -> impl Strategy<Value = String> {
    let n = pool().len();
    (
        prop::collection::vec(
            prop_oneof![
                6 => (0..n).prop_map(|i| pool()[i].clone()),
                1 => "\\PC{0,40}",
            ],
            0..30,
        ),
        prop::bool::ANY,
    )
        .prop_map(|(lines, crlf)| lines.join(if crlf { "\r\n" } else { "\n" }))
}

fn encodings() -> impl Strategy<Value = Option<&'static encoding_rs::Encoding>> {
    prop_oneof![
        Just(None),
        Just(Some(encoding_rs::UTF_8)),
        Just(Some(encoding_rs::GB18030)),
        Just(Some(encoding_rs::GBK)),
        Just(Some(encoding_rs::BIG5)),
        Just(Some(encoding_rs::UTF_16LE)),
        Just(Some(encoding_rs::UTF_16BE)),
        Just(Some(encoding_rs::WINDOWS_1252)),
    ]
}

/// Removes white space (the engine normalises it).
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut h = hay.chars();
    needle.chars().all(|c| h.by_ref().any(|x| x == c))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Any bytes, decoded any way, never panic, and the provenance replays.
    #[test]
    fn arbitrary_bytes_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..3000),
        enc in encodings(),
        html in prop::bool::ANY,
        url in prop::option::of("https?://[a-z]{1,8}\\.[a-z]{2,3}/"),
    ) {
        let opts = DecodeOptions { encoding: enc, max_bytes: None };
        let path = if html { "x.html" } else { "x.txt" };
        if let Ok(doc) = decode_hinted(&bytes, path, &opts, url.as_deref(), None) {
            let c = cleaner().clean(&doc).unwrap();
            prop_assert_eq!(replay(&doc.text, &c.edits).unwrap(), c.body);
        }
    }

    /// Real text, encoded in any encoding that can hold it, decodes back and cleans the same.
    #[test]
    fn encoded_text_cleans_like_the_original(text in doc_text(), enc in encodings()) {
        let Some(enc) = enc else { return Ok(()); };
        let (bytes, _, unmappable) = enc.encode(&text);
        prop_assume!(!unmappable);
        let mut raw = Vec::new();
        // encoding_rs encodes UTF-16 as UTF-8 (it is an output encoding only); write it here.
        if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
            let le = enc == encoding_rs::UTF_16LE;
            raw.extend_from_slice(if le { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
            for u in text.encode_utf16() {
                raw.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
            }
        } else {
            raw.extend_from_slice(&bytes);
        }
        let opts = DecodeOptions { encoding: Some(enc), max_bytes: None };
        match decode(&raw, "x.txt", &opts) {
            Ok(doc) => {
                prop_assert_eq!(&doc.text, &text);
                prop_assert_eq!(cleaner().clean(&doc).unwrap().body, cleaner().clean(&Document::from_text(&text)).unwrap().body);
            }
            Err(e) => prop_assert!(text.bytes().filter(|b| *b < 0x20).count() * 10 > text.len(), "{e}"),
        }
    }

    /// Cleaning a cleaned body changes nothing, zones included: positions are measured on
    /// the text as it will be kept (see `engine::zones`), so a second run finds every line
    /// where the first left it.
    #[test]
    fn cleaning_is_idempotent(text in doc_text()) {
        let once = cleaner().clean(&Document::from_text(&text)).unwrap();
        let again = cleaner().clean(&Document::from_text(&once.body)).unwrap();
        prop_assert!(again.edits.is_empty(), "second pass changed the body: {:?}", again.edits);
        prop_assert_eq!(again.body, once.body.clone());
        prop_assert_eq!(replay(&text, &once.edits).unwrap(), once.body);
    }

    /// Every output line comes from the input, once the recorded replacements are applied:
    /// cleaning removes and rewrites, it never invents text. And the edits replay.
    #[test]
    fn output_comes_from_input(text in doc_text()) {
        let doc = Document::from_text(&text);
        let c = cleaner().clean(&doc).unwrap();
        prop_assert_eq!(replay(&doc.text, &c.edits).unwrap(), c.body.clone());
        let rewrites: Vec<_> = c
            .edits
            .iter()
            .filter(|e| e.replacement.as_deref().is_some_and(|r| !r.trim().is_empty()))
            .cloned()
            .collect();
        let rewritten = squeeze(&replay(&doc.text, &rewrites).unwrap());
        for line in c.body.lines() {
            prop_assert!(is_subsequence(&squeeze(line), &rewritten), "invented line {:?}", line);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// One thread or several: identical bodies and provenance.
    #[test]
    fn output_is_identical_for_any_thread_count(docs in prop::collection::vec(doc_text(), 1..12)) {
        let dir = tempfile::tempdir().unwrap();
        for (i, d) in docs.iter().enumerate() {
            std::fs::write(dir.path().join(format!("{i:02}.txt")), d).unwrap();
        }
        let run = |jobs| {
            let mut opts = Options::new(vec![dir.path().to_path_buf()], Output::Memory);
            opts.jobs = Some(jobs);
            let mut files = Vec::new();
            batch::run(cleaner(), &opts, &mut |f| {
                let p = f.processed.as_deref().unwrap();
                files.push((f.path.clone(), p.cleaned.body.clone(), p.provenance.to_json()))
            }).unwrap();
            files
        };
        prop_assert_eq!(run(1), run(4));
    }
}

/// Found by the fuzzer: a lone `\r` at the end of the text was taken for the `\r` of a
/// `\r\n`, so the body's final newline had no recorded edit and the replay differed.
#[test]
fn lone_carriage_return_at_end_replays() {
    for text in [". \rELé.\r", "标题\r", "a\r\nb\r", "\r"] {
        let doc = Document::from_text(text);
        let c = cleaner().clean(&doc).unwrap();
        assert_eq!(replay(&doc.text, &c.edits).unwrap(), c.body, "{text:?}");
    }
}
