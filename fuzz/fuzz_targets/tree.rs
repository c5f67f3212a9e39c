//! Tokenizer, tree builder, block text and extraction on any markup: no panic, tree work
//! linear in the input, the tree's invariants (a parent before its children, subtrees
//! contiguous, sibling links consistent), block text that matches its line table, one
//! verdict per line; and, for small inputs, the same block text as html5ever.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rinse::extract::dom::{Dom, NONE};
use rinse::extract::{blocks, Page};

/// Inputs up to this size are also compared with html5ever (slower than ours).
const COMPARE_MAX: usize = 4096;

fn lines(dom: &Dom) -> Vec<String> {
    let b = blocks::build(dom, dom.body.unwrap_or(0));
    b.text.lines().map(str::to_string).collect()
}

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    let dom = Dom::parse(&html);
    // Linear work: a bound that grows with the input only.
    assert!(dom.work <= 600 * (html.len() as u64 + 16), "{} steps", dom.work);
    // Tree invariants the scorer relies on.
    let mut end = vec![0u32; dom.len()];
    for id in (0..dom.len()).rev() {
        let n = &dom.nodes[id];
        end[id] = end[id].max(id as u32 + 1);
        if n.parent != NONE {
            assert!(n.parent < id as u32, "parent after child");
            let p = n.parent as usize;
            end[p] = end[p].max(end[id]);
        }
        if n.next != NONE {
            assert_eq!(dom.nodes[n.next as usize].prev, id as u32);
            assert_eq!(dom.nodes[n.next as usize].parent, n.parent);
            // Subtrees are contiguous: the next sibling starts after this subtree.
            assert!(n.next >= end[id], "subtree not contiguous");
        }
    }
    let page = Page::parse(&html);
    let b = &page.blocks;
    assert_eq!(b.lines.len(), b.starts.len());
    for i in 0..b.lines.len() {
        assert!(!b.line(i).contains('\n'));
    }
    let ex = page.extract();
    assert_eq!(ex.verdicts.len(), b.lines.len());
    if html.len() <= COMPARE_MAX {
        let reference = scraper::Html::parse_document(&html).html();
        assert_eq!(lines(&dom), lines(&Dom::parse(&reference)), "differs from html5ever");
    }
});
