//! Our tree builder checked against a reference: html5ever (through scraper), the parser
//! browsers' rules are written down in. Both trees go through the same block-text builder
//! (html5ever's tree is serialised and read back, which our builder reproduces exactly for
//! well-formed markup), so a difference in the lines is a difference in tree building that
//! changes the text. Checked over every HTML page the tests hold, over generated misnested
//! markup (formatting elements across blocks, unclosed tables and lists, `<p>` inside `<p>`,
//! stray end tags), and over the shared development corpus when it is beside the checkout.

use std::path::{Path, PathBuf};

use rinse::extract::blocks;
use rinse::extract::dom::Dom;

/// The block text of a tree, one entry per line.
fn lines_of(dom: &Dom) -> Vec<String> {
    let b = blocks::build(dom, dom.body.unwrap_or(0));
    b.text.lines().map(str::to_string).collect()
}

fn ours(html: &str) -> Vec<String> {
    lines_of(&Dom::parse(html))
}

fn reference(html: &str) -> Vec<String> {
    let tree = scraper::Html::parse_document(html);
    lines_of(&Dom::parse(&tree.html()))
}

/// The first place the two line lists differ, with context, or `None` when they agree.
fn difference(html: &str) -> Option<String> {
    let (a, b) = (ours(html), reference(html));
    if a == b {
        return None;
    }
    let at = a
        .iter()
        .zip(&b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let show = |v: &[String]| v[at.saturating_sub(1)..(at + 2).min(v.len())].join(" ⏎ ");
    Some(format!(
        "line {at}: ours [{}] / html5ever [{}] ({} / {} lines)",
        show(&a),
        show(&b),
        a.len(),
        b.len()
    ))
}

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            html_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "html" || x == "htm") {
            out.push(p);
        }
    }
}

/// The page's markup, decoded as rinse decodes it.
fn decoded(p: &Path) -> String {
    let bytes = std::fs::read(p).unwrap();
    rinse::input::decode::decode_bytes(&bytes, &Default::default()).text
}

#[test]
fn fixture_pages_give_the_same_block_text_as_html5ever() {
    let mut files = Vec::new();
    html_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
        &mut files,
    );
    files.sort();
    assert!(files.len() >= 15, "{files:?}");
    let diffs: Vec<String> = files
        .iter()
        .filter_map(|p| difference(&decoded(p)).map(|d| format!("{}: {d}", p.display())))
        .collect();
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

/// A small deterministic generator of misnested markup.
struct Gen(u64);

impl Gen {
    fn next(&mut self, n: usize) -> usize {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    }

    fn page(&mut self, len: usize) -> String {
        const OPEN: [&str; 24] = [
            "<p>",
            "<div>",
            "<b>",
            "<i>",
            "<a href=x>",
            "<span>",
            "<em>",
            "<strong>",
            "<table>",
            "<tr>",
            "<td>",
            "<ul>",
            "<li>",
            "<h2>",
            "<blockquote>",
            "<font>",
            "<dl>",
            "<dt>",
            "<dd>",
            "<pre>",
            "<center>",
            "<section>",
            "<br>",
            "<img src=i.png>",
        ];
        const CLOSE: [&str; 16] = [
            "</p>",
            "</div>",
            "</b>",
            "</i>",
            "</a>",
            "</span>",
            "</em>",
            "</strong>",
            "</table>",
            "</tr>",
            "</td>",
            "</ul>",
            "</li>",
            "</h2>",
            "</font>",
            "</section>",
        ];
        const WORDS: [&str; 8] = ["甲", "乙丙", "text", "丁 戊", "ab", "正文", "x y", "己"];
        let mut s = String::from("<html><body>");
        for _ in 0..len {
            match self.next(3) {
                0 => s.push_str(OPEN[self.next(OPEN.len())]),
                1 => s.push_str(CLOSE[self.next(CLOSE.len())]),
                _ => s.push_str(WORDS[self.next(WORDS.len())]),
            }
        }
        s
    }
}

#[test]
fn misnested_markup_gives_the_same_block_text_as_html5ever() {
    // Cases pages are known to have, then generated ones.
    let cases = [
        "<p>a<p>b<div>c</div>d",
        "<b>bold<p>still bold</b> not bold</p>",
        "<i>one<div>two</i>three</div>four",
        "<table><tr><td>a<td>b<tr><td>c</table>after",
        "<table><tr><td>unclosed cell<p>para",
        "<ul><li>one<li>two<ul><li>three</ul><li>four</ul>",
        "<p>outer<p>inner</p>tail</p>",
        "<a href=1>link<div>block in link</div>tail</a>",
        "<dl><dt>term<dd>definition<dt>term2</dl>",
        "<h2>head<h3>sub</h2>text",
        "<div>a</span>b</p>c</div>d",
        "<center>c<p>p</center>q",
    ];
    let mut diffs: Vec<String> = cases
        .iter()
        .filter_map(|c| difference(c).map(|d| format!("{c:?}: {d}")))
        .collect();
    let mut g = Gen(0x9E37_79B9_7F4A_7C15);
    for _ in 0..2000 {
        let page = g.page(40);
        if let Some(d) = difference(&page) {
            diffs.push(format!("{page:?}: {d}"));
        }
    }
    assert!(
        diffs.is_empty(),
        "{} differ:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}

#[test]
#[cfg_attr(
    not(rinse_shared),
    ignore = "needs ../shared beside the checkout (the dev sets); `touch build.rs` after adding it"
)]
fn shared_corpus_pages_give_the_same_block_text_as_html5ever() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/html-dev");
    let mut files = Vec::new();
    html_files(&dir, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no pages in {}", dir.display());
    let diffs: Vec<String> = files
        .iter()
        .filter_map(|p| difference(&decoded(p)).map(|d| format!("{}: {d}", p.display())))
        .collect();
    assert!(
        diffs.is_empty(),
        "{} differ:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}
