//! Whole-page text dumps: throughput of the line classifier alone and of the whole text
//! path (rules + stages), single thread.
//!
//! `cargo bench --bench pages` prints MB/s (criterion's "thrpt"). The pages are generated:
//! the seeds' paragraphs as the article, wrapped in the chrome a page dump keeps (title
//! line, menus, breadcrumb, share bar, comments, related list, footer), so no real page is
//! needed and every copy differs.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rinse::classify::{analyze, Options};
use rinse::{Cleaner, Document, Ruleset};

/// A small deterministic generator (no dependency needed for shuffling words).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

const MENU: [&str; 16] = [
    "首页",
    "新闻",
    "体育",
    "财经",
    "娱乐",
    "科技",
    "汽车",
    "房产",
    "教育",
    "旅游",
    "视频",
    "图片",
    "登录",
    "注册",
    "客户端",
    "更多",
];
const USERS: [&str; 4] = ["网友小王", "夜空中的星", "风一样的人", "匿名用户"];

/// One generated page around the paragraphs `body`.
fn page(body: &[&str], rng: &mut Lcg, copy: usize) -> String {
    let mut out = String::new();
    let headline = body.first().copied().unwrap_or("标题");
    out.push_str(&format!("{headline}_某某新闻网\n"));
    for _ in 0..60 + rng.next(60) {
        out.push_str(MENU[rng.next(MENU.len())]);
        out.push('\n');
    }
    out.push_str("https://static.example.com/img/logo.png\n");
    out.push_str("当前位置：首页 > 新闻 > 正文\n");
    out.push_str(&format!(
        "{headline}\n2023-01-29 10:22:15 来源：某某日报 举报\n"
    ));
    out.push_str(&format!("{}\n分享到：\n微信\n微博\nQQ空间\n", 1000 + copy));
    for p in &body[1..] {
        out.push_str(p);
        out.push('\n');
        if rng.next(4) == 0 {
            out.push_str(&format!(
                "https://img.example.com/{copy}/{}.jpg\n",
                rng.next(100000)
            ));
        }
    }
    out.push_str("责任编辑：某某\n分享到：\n微信\n微博\n网友评论\n");
    for _ in 0..10 + rng.next(20) {
        let user = USERS[rng.next(USERS.len())];
        out.push_str(&format!("{user} {}小时前\n", 1 + rng.next(23)));
        out.push_str(body[1 + rng.next(body.len() - 1)]);
        out.push_str(&format!("\n回复 赞 {}\n", rng.next(500)));
    }
    out.push_str("相关新闻\n");
    for _ in 0..20 {
        let h = body[rng.next(body.len())];
        out.extend(h.chars().take(10 + rng.next(20)));
        out.push_str(&format!(
            "\n2023-0{}-1{} 0{}:30\n",
            1 + rng.next(8),
            rng.next(9),
            rng.next(9)
        ));
    }
    out.push_str("关于我们 | 联系我们 | 广告服务 | 隐私政策\n");
    out.push_str("Copyright © 2023 某某新闻网 版权所有 京ICP备00000000号\n");
    out
}

/// Pages built from the seeds' paragraphs.
fn pages(copies: usize) -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
    let mut seeds: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    seeds.sort();
    let texts: Vec<String> = seeds
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let mut rng = Lcg(7);
    (0..copies)
        .flat_map(|i| texts.iter().map(move |t| (i, t)))
        .map(|(i, t)| {
            let body: Vec<&str> = t.lines().filter(|l| !l.trim().is_empty()).collect();
            page(&body, &mut rng, i)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let texts = pages(8);
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut g = c.benchmark_group("whole pages");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(20);
    g.bench_function("classify lines, 1 thread", |b| {
        b.iter(|| {
            for t in &texts {
                let lines: Vec<&str> = t.lines().collect();
                std::hint::black_box(analyze(&lines, &Options::default()));
            }
        })
    });
    let cleaner = Cleaner::new(Ruleset::defaults());
    let docs: Vec<Document> = texts.iter().map(|t| Document::from_text(t)).collect();
    g.bench_function("clean (text path), 1 thread", |b| {
        b.iter(|| {
            for d in &docs {
                std::hint::black_box(cleaner.clean(d).unwrap());
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
