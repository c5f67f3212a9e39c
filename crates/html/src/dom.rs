//! A compact document tree built from [`tokenize`](super::tokenize) tokens in one pass.
//!
//! Tree construction follows the HTML rules that shape real pages (void elements,
//! implied end tags for `p`, `li`, `dd`/`dt`, table rows and cells, headings, end tags
//! that do not cross a block, a single `head` and `body`) and caps nesting at
//! [`MAX_DEPTH`] like browsers do (deeper start tags add no element; their text joins the
//! deepest one). Every search of the stack of open elements is skipped when no element of
//! that name is open and stops at a scope boundary, so the work per token is bounded and
//! building is linear in the input; html5ever's scope checks walk the whole stack for every
//! tag, which made 200,000 nested `<div>`s quadratic.

use std::collections::HashMap;
use std::ops::Range;

use super::tags::{self, Tag, CLOSES_P, IN_HEAD, SCOPE, SPECIAL, VOID};
use super::tokenize::{tokenize, Token};

/// Index of a node in [`Dom::nodes`].
pub type NodeId = u32;

/// "No node" in links between nodes.
pub const NONE: NodeId = u32::MAX;

/// Nesting deeper than this adds no elements (Chromium's parser uses the same limit).
pub const MAX_DEPTH: usize = 512;

/// One node: the document, an element or a run of text.
#[derive(Debug, Clone)]
pub struct Node {
    /// Parent node ([`NONE`] for the document).
    pub parent: NodeId,
    /// First child, or [`NONE`].
    pub first_child: NodeId,
    /// Last child, or [`NONE`].
    pub last_child: NodeId,
    /// Next sibling, or [`NONE`].
    pub next: NodeId,
    /// Previous sibling, or [`NONE`].
    pub prev: NodeId,
    /// What the node is.
    pub kind: Kind,
}

/// The kinds of node the tree holds (comments and doctypes are dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// The root.
    Document,
    /// An element: its lowercase name and attributes (ranges into the tree's tables).
    Element {
        /// The interned name (0 for names [`tags::NAMES`] lacks).
        tag: Tag,
        /// Range of the name in [`Dom`]'s string table.
        name: Range<u32>,
        /// Range of its attributes in [`Dom`]'s attribute table.
        attrs: Range<u32>,
    },
    /// Text (references decoded; raw for `<script>`/`<style>` content).
    Text(Range<u32>),
}

/// Which side of a node [`Dom::adjacent_element`] looks on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Earlier siblings.
    Before,
    /// Later siblings.
    After,
}

/// The parsed page.
#[derive(Debug, Default)]
pub struct Dom {
    /// All nodes in document order; node 0 is the document. A parent always comes before
    /// its children, so a reverse scan visits children before parents.
    pub nodes: Vec<Node>,
    strings: String,
    attrs: Vec<(Range<u32>, Range<u32>)>,
    /// The `<body>` element, when the page has content.
    pub body: Option<NodeId>,
    /// The `<html>` element.
    pub html: Option<NodeId>,
    /// Elementary steps taken while building (tokens plus open elements examined): a
    /// size-independent measure of the work, for scaling tests.
    pub work: u64,
}

impl Dom {
    /// Parses `html`. Never fails; any input gives a tree (at worst an empty one).
    pub fn parse(html: &str) -> Dom {
        let mut b = Builder {
            dom: Dom {
                nodes: vec![Node {
                    parent: NONE,
                    first_child: NONE,
                    last_child: NONE,
                    next: NONE,
                    prev: NONE,
                    kind: Kind::Document,
                }],
                ..Dom::default()
            },
            stack: vec![0],
            open: vec![0; tags::NAMES.len()],
            open_other: HashMap::new(),
            head: None,
            head_done: false,
            foreign: 0,
            reordered: false,
            quirks: !has_doctype(html),
        };
        b.dom.strings.reserve(html.len() / 2);
        b.dom.nodes.reserve(html.len() / 40);
        tokenize(html, |t| b.token(t));
        if b.reordered {
            b.dom.renumber();
        }
        b.dom
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the tree holds only the document node.
    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }

    /// The node's element name, or `None` for text and the document.
    pub fn name(&self, id: NodeId) -> Option<&str> {
        match &self.nodes[id as usize].kind {
            Kind::Element { name, .. } => {
                Some(&self.strings[name.start as usize..name.end as usize])
            }
            _ => None,
        }
    }

    /// The element's interned name (0 for text, the document and unlisted names).
    pub fn tag(&self, id: NodeId) -> Tag {
        match &self.nodes[id as usize].kind {
            Kind::Element { tag, .. } => *tag,
            _ => 0,
        }
    }

    /// Whether `id` is an element with all the properties `f` ([`tags`] flags).
    pub fn is(&self, id: NodeId, f: u16) -> bool {
        matches!(self.nodes[id as usize].kind, Kind::Element { .. }) && tags::is(self.tag(id), f)
    }

    /// The node's text, for a text node.
    pub fn text(&self, id: NodeId) -> Option<&str> {
        match &self.nodes[id as usize].kind {
            Kind::Text(r) => Some(&self.strings[r.start as usize..r.end as usize]),
            _ => None,
        }
    }

    /// The element's attributes, in source order.
    pub fn attrs(&self, id: NodeId) -> impl Iterator<Item = (&str, &str)> {
        let r = match &self.nodes[id as usize].kind {
            Kind::Element { attrs, .. } => attrs.start as usize..attrs.end as usize,
            _ => 0..0,
        };
        self.attrs[r].iter().map(|(k, v)| {
            (
                &self.strings[k.start as usize..k.end as usize],
                &self.strings[v.start as usize..v.end as usize],
            )
        })
    }

    /// One attribute's value.
    pub fn attr(&self, id: NodeId, name: &str) -> Option<&str> {
        self.attrs(id).find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// The sibling element on `side` of `id` when only white space (or comments) stands
    /// between the two: elements set next to each other, such as a heading and its
    /// subheading. `None` at the end of the parent or past any other text.
    pub fn adjacent_element(&self, id: NodeId, side: Side) -> Option<NodeId> {
        let step = |k: NodeId| match side {
            Side::Before => self.nodes[k as usize].prev,
            Side::After => self.nodes[k as usize].next,
        };
        let mut k = step(id);
        while k != NONE && self.name(k).is_none() {
            if self.text(k).is_some_and(|t| !t.trim().is_empty()) {
                return None;
            }
            k = step(k);
        }
        (k != NONE).then_some(k)
    }

    /// The children of a node, in order.
    pub fn children(&self, id: NodeId) -> Children<'_> {
        Children {
            dom: self,
            next: self.nodes[id as usize].first_child,
        }
    }

    /// Element ancestors of `id`, nearest first (not including `id`).
    pub fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(Some(self.nodes[id as usize].parent), move |&p| {
            Some(self.nodes[p as usize].parent)
        })
        .take_while(|&p| p != NONE && p != 0)
    }

    /// All text inside `id`, concatenated, skipping scripts and styles.
    pub fn text_content(&self, id: NodeId) -> String {
        let mut out = String::new();
        self.walk(id, &mut |d, n, enter| {
            if !enter {
                return true;
            }
            if let Some(t) = d.text(n) {
                out.push_str(t);
            }
            !matches!(d.name(n), Some("script" | "style" | "template"))
        });
        out
    }

    /// Depth-first walk of the subtree at `id`: `f(dom, node, true)` on entering (return
    /// false to skip the children), `f(dom, node, false)` on leaving. Iterative: any depth.
    pub fn walk(&self, id: NodeId, f: &mut impl FnMut(&Dom, NodeId, bool) -> bool) {
        let mut n = id;
        'outer: loop {
            let descend = f(self, n, true);
            let first = self.nodes[n as usize].first_child;
            if descend && first != NONE {
                n = first;
                continue;
            }
            loop {
                f(self, n, false);
                if n == id {
                    break 'outer;
                }
                let next = self.nodes[n as usize].next;
                if next != NONE {
                    n = next;
                    continue 'outer;
                }
                n = self.nodes[n as usize].parent;
            }
        }
    }

    fn push_str(&mut self, s: &str) -> Range<u32> {
        let start = self.strings.len() as u32;
        self.strings.push_str(s);
        start..self.strings.len() as u32
    }

    fn append(&mut self, parent: NodeId, kind: Kind) -> NodeId {
        let id = self.nodes.len() as NodeId;
        let last = self.nodes[parent as usize].last_child;
        self.nodes.push(Node {
            parent,
            first_child: NONE,
            last_child: NONE,
            next: NONE,
            prev: last,
            kind,
        });
        let p = &mut self.nodes[parent as usize];
        p.last_child = id;
        if last == NONE {
            p.first_child = id;
        } else {
            self.nodes[last as usize].next = id;
        }
        id
    }

    /// Adds a node just before `before`, a child of `parent`. Node ids then no longer
    /// follow document order until [`Dom::renumber`].
    fn insert_before(&mut self, parent: NodeId, before: NodeId, kind: Kind) -> NodeId {
        let id = self.nodes.len() as NodeId;
        let prev = self.nodes[before as usize].prev;
        self.nodes.push(Node {
            parent,
            first_child: NONE,
            last_child: NONE,
            next: before,
            prev,
            kind,
        });
        self.nodes[before as usize].prev = id;
        if prev == NONE {
            self.nodes[parent as usize].first_child = id;
        } else {
            self.nodes[prev as usize].next = id;
        }
        id
    }

    /// Renumbers the nodes in document order (a parent before its children, subtrees
    /// contiguous), which nodes inserted before others broke. One pass.
    fn renumber(&mut self) {
        let n = self.nodes.len();
        let mut order = Vec::with_capacity(n);
        let mut new_id = vec![NONE; n];
        self.walk(0, &mut |_, id, enter| {
            if enter {
                new_id[id as usize] = order.len() as NodeId;
                order.push(id);
            }
            true
        });
        let map = |id: NodeId| {
            if id == NONE {
                NONE
            } else {
                new_id[id as usize]
            }
        };
        let old = std::mem::take(&mut self.nodes);
        self.nodes = order
            .iter()
            .map(|&o| {
                let x = &old[o as usize];
                Node {
                    parent: map(x.parent),
                    first_child: map(x.first_child),
                    last_child: map(x.last_child),
                    next: map(x.next),
                    prev: map(x.prev),
                    kind: x.kind.clone(),
                }
            })
            .collect();
        self.body = self.body.map(map);
        self.html = self.html.map(map);
        self.work += n as u64;
    }
}

/// Iterator over a node's children.
pub struct Children<'a> {
    dom: &'a Dom,
    next: NodeId,
}

impl Iterator for Children<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        (self.next != NONE).then(|| {
            let id = self.next;
            self.next = self.dom.nodes[id as usize].next;
            id
        })
    }
}

/// A test for membership in a few tags.
fn named<const N: usize>(set: [Tag; N]) -> impl Fn(Tag) -> bool {
    move |t| t != 0 && set.contains(&t)
}

const ADDRESS: Tag = tags::tag_of("address");
const BUTTON: Tag = tags::tag_of("button");
const DIV: Tag = tags::tag_of("div");
const HTML: Tag = tags::tag_of("html");
const OL: Tag = tags::tag_of("ol");
const P: Tag = tags::tag_of("p");
const TABLE: Tag = tags::tag_of("table");
const TEMPLATE: Tag = tags::tag_of("template");
const TR: Tag = tags::tag_of("tr");
const TD: Tag = tags::tag_of("td");
const TH: Tag = tags::tag_of("th");

/// Whether a doctype opens the page (before any other markup, comments aside). Without
/// one, browsers use quirks mode. (Legacy doctypes that also mean quirks mode are not
/// told apart: they are rare on the pages this reads.)
fn has_doctype(html: &str) -> bool {
    let head = &html.as_bytes()[..html.len().min(1024)];
    let mut i = 0;
    while i < head.len() {
        match head[i] {
            b'<' if head[i..].starts_with(b"<!--") => {
                match memchr::memmem::find(&head[i..], b"-->") {
                    Some(k) => i += k + 3,
                    None => return false,
                }
            }
            // An XML declaration (`<?xml ... ?>`) is a comment to HTML.
            b'<' if head[i..].starts_with(b"<?") => match memchr::memchr(b'>', &head[i..]) {
                Some(k) => i += k + 1,
                None => return false,
            },
            b'<' => {
                return head.len() >= i + 9
                    && head[i + 2..i + 9].eq_ignore_ascii_case(b"doctype")
                    && head[i + 1] == b'!'
            }
            _ => i += 1,
        }
    }
    false
}

/// Table sections and column groups: only a table holds them.
fn is_table_section(name: &str) -> bool {
    matches!(
        name,
        "tbody" | "thead" | "tfoot" | "caption" | "col" | "colgroup"
    )
}
const UL: Tag = tags::tag_of("ul");

struct Builder {
    dom: Dom,
    /// Open elements, outermost first; `stack[0]` is the document.
    stack: Vec<NodeId>,
    /// How many elements of each listed name are open, by tag.
    open: Vec<u32>,
    /// The same for names [`tags::NAMES`] lacks.
    open_other: HashMap<Box<str>, u32>,
    head: Option<NodeId>,
    /// The head has been closed (explicitly or by body content).
    head_done: bool,
    /// Open `<svg>`/`<math>` elements: there `<x/>` closes itself.
    foreign: u32,
    /// Nodes were inserted out of document order (foster parenting): renumber at the end.
    reordered: bool,
    /// The page has no doctype: browsers render it in quirks mode.
    quirks: bool,
}

impl Builder {
    fn current(&self) -> NodeId {
        *self.stack.last().expect("document stays on the stack")
    }

    fn is_open(&self, name: &str) -> bool {
        match tags::lookup(name) {
            0 => self.open_other.get(name).is_some_and(|&n| n > 0),
            t => self.open[t as usize] > 0,
        }
    }

    fn push(&mut self, id: NodeId, name: &str) {
        self.stack.push(id);
        match self.dom.tag(id) {
            0 => *self.open_other.entry(name.into()).or_default() += 1,
            t => self.open[t as usize] += 1,
        }
        if matches!(name, "svg" | "math") {
            self.foreign += 1;
        }
    }

    fn pop(&mut self) {
        if self.stack.len() <= 1 {
            return;
        }
        let id = self.stack.pop().expect("checked");
        match self.dom.tag(id) {
            0 => {
                if let Some(n) = self.dom.name(id).and_then(|n| self.open_other.get_mut(n)) {
                    *n -= 1;
                }
            }
            t => {
                self.open[t as usize] -= 1;
                if matches!(tags::NAMES[t as usize], "svg" | "math") {
                    self.foreign -= 1;
                }
            }
        }
    }

    /// Pops up to and including the nearest open heading (any level) in scope.
    fn close_heading(&mut self) {
        if !["h1", "h2", "h3", "h4", "h5", "h6"]
            .iter()
            .any(|h| self.is_open(h))
        {
            return;
        }
        for k in (1..self.stack.len()).rev() {
            self.dom.work += 1;
            let t = self.dom.tag(self.stack[k]);
            if tags::heading_level(t).is_some() {
                while self.stack.len() > k {
                    self.pop();
                }
                return;
            }
            if tags::is(t, SCOPE) {
                return;
            }
        }
    }

    /// Pops up to and including the nearest open `name`, searching down from the top but
    /// not past an element for which `stop` holds. Returns whether it was found.
    fn close(&mut self, name: &str, stop: impl Fn(Tag) -> bool) -> bool {
        if !self.is_open(name) {
            return false;
        }
        let tag = tags::lookup(name);
        let mut found = None;
        for k in (1..self.stack.len()).rev() {
            self.dom.work += 1;
            let id = self.stack[k];
            let t = self.dom.tag(id);
            if t == tag && (t != 0 || self.dom.name(id) == Some(name)) {
                found = Some(k);
                break;
            }
            if stop(t) {
                break;
            }
        }
        let Some(k) = found else { return false };
        while self.stack.len() > k {
            self.pop();
        }
        true
    }

    fn ensure_html(&mut self) -> NodeId {
        if let Some(h) = self.dom.html {
            return h;
        }
        let name = self.dom.push_str("html");
        let h = self.dom.append(
            0,
            Kind::Element {
                tag: tags::lookup("html"),
                name,
                attrs: 0..0,
            },
        );
        self.dom.html = Some(h);
        self.push(h, "html");
        h
    }

    /// Makes sure body content has somewhere to go: the head is closed and a body exists.
    fn ensure_body(&mut self) {
        if self.dom.body.is_some() {
            return;
        }
        self.ensure_html();
        if self.head.is_some() && !self.head_done {
            self.close("head", |_| false);
        }
        self.head_done = true;
        let html = self.dom.html.expect("ensured");
        // Open the body right under <html>, closing anything else left open there.
        while self.stack.len() > 1 && self.current() != html {
            self.pop();
        }
        let name = self.dom.push_str("body");
        let b = self.dom.append(
            html,
            Kind::Element {
                tag: tags::lookup("body"),
                name,
                attrs: 0..0,
            },
        );
        self.dom.body = Some(b);
        self.push(b, "body");
    }

    fn element(&mut self, name: &str, attrs: &[(String, String)]) -> NodeId {
        let kind = self.element_kind(name, attrs);
        let parent = self.current();
        self.dom.append(parent, kind)
    }

    fn element_kind(&mut self, name: &str, attrs: &[(String, String)]) -> Kind {
        let name_r = self.dom.push_str(name);
        let start = self.dom.attrs.len() as u32;
        for (k, v) in attrs {
            let k = self.dom.push_str(k);
            let v = self.dom.push_str(v);
            self.dom.attrs.push((k, v));
        }
        let end = self.dom.attrs.len() as u32;
        Kind::Element {
            tag: tags::lookup(name),
            name: name_r,
            attrs: start..end,
        }
    }

    /// The table content misplaced in a table goes before: HTML's foster parenting. When
    /// the current element is a table, a table section or a row (not a cell or caption),
    /// the open table whose parent receives such content.
    fn foster_table(&self) -> Option<NodeId> {
        if self.foreign > 0 {
            return None;
        }
        let cur = self.current();
        let t = self.dom.tag(cur);
        if !(t == TABLE
            || t == TR
            || matches!(self.dom.name(cur), Some("tbody" | "thead" | "tfoot")))
        {
            return None;
        }
        // The table is the current element or at most two elements down (tbody, tr).
        self.stack
            .iter()
            .rev()
            .take(3)
            .copied()
            .find(|&id| self.dom.tag(id) == TABLE)
            .filter(|&id| self.dom.nodes[id as usize].parent != NONE)
    }

    fn token(&mut self, t: Token<'_>) {
        self.dom.work += 1;
        match t {
            Token::Text(s) => self.text(s),
            Token::Start {
                name,
                attrs,
                self_closing,
            } => self.start(name, attrs, self_closing),
            Token::End { name } => self.end(name),
        }
    }

    fn text(&mut self, s: &str) {
        let blank = s.bytes().all(|c| c.is_ascii_whitespace());
        if self.dom.body.is_none() {
            if blank {
                return; // white space before the body is not content
            }
            let in_head_text = self.head.is_some()
                && !self.head_done
                && matches!(
                    self.dom.name(self.current()),
                    Some("title" | "script" | "style" | "noscript" | "template" | "noframes")
                );
            if !in_head_text {
                self.ensure_body();
            }
        }
        if !blank {
            if let Some(table) = self.foster_table() {
                self.foster_text(table, s);
                return;
            }
        }
        let parent = self.current();
        // Script and style text is kept only where metadata lives (JSON-LD).
        match self.dom.name(parent) {
            Some("style") => return,
            Some("script")
                if !self
                    .dom
                    .attr(parent, "type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) =>
            {
                return
            }
            _ => {}
        }
        // Adjacent text joins the previous text node when it ends the string table.
        let last = self.dom.nodes[parent as usize].last_child;
        if last != NONE {
            if let Kind::Text(r) = &self.dom.nodes[last as usize].kind {
                if r.end as usize == self.dom.strings.len() {
                    self.dom.strings.push_str(s);
                    let end = self.dom.strings.len() as u32;
                    if let Kind::Text(r) = &mut self.dom.nodes[last as usize].kind {
                        r.end = end;
                    }
                    return;
                }
            }
        }
        let r = self.dom.push_str(s);
        self.dom.append(parent, Kind::Text(r));
    }

    /// Table structure inside an open table, outside its cells (HTML's "in table" rules):
    /// a cell, row or section start closes whatever misplaced element is open above the
    /// table's own structure; a table start closes the table it would be nested in.
    fn table_context(&mut self, name: &str) {
        let part = matches!(
            name,
            "td" | "th" | "tr" | "tbody" | "thead" | "tfoot" | "caption" | "colgroup" | "table"
        );
        if !part {
            return;
        }
        // The nearest table-structure element: in a cell, nothing to do.
        let mut at = None;
        for k in (1..self.stack.len()).rev() {
            self.dom.work += 1;
            let id = self.stack[k];
            match self.dom.name(id) {
                Some("td" | "th" | "caption") => return,
                Some("table" | "tbody" | "thead" | "tfoot" | "tr") => {
                    at = Some(k);
                    break;
                }
                Some("html" | "template") => return,
                _ => {}
            }
        }
        let Some(k) = at else { return };
        while self.stack.len() > k + 1 {
            self.pop();
        }
        if matches!(name, "td" | "th") && self.dom.tag(self.current()) != TR {
            // A cell outside a row opens the row it implies.
            let tr = self.element("tr", &[]);
            self.push(tr, "tr");
        }
        if name == "table" {
            // A table cannot hold a table outside a cell: the first one ends here.
            self.close("table", named([HTML, TEMPLATE, TEMPLATE]));
        }
    }

    /// Text in a table outside its cells goes just before the table.
    fn foster_text(&mut self, table: NodeId, s: &str) {
        let parent = self.dom.nodes[table as usize].parent;
        let prev = self.dom.nodes[table as usize].prev;
        if prev != NONE {
            if let Kind::Text(r) = &self.dom.nodes[prev as usize].kind {
                if r.end as usize == self.dom.strings.len() {
                    self.dom.strings.push_str(s);
                    let end = self.dom.strings.len() as u32;
                    if let Kind::Text(r) = &mut self.dom.nodes[prev as usize].kind {
                        r.end = end;
                    }
                    return;
                }
            }
        }
        let r = self.dom.push_str(s);
        self.dom.insert_before(parent, table, Kind::Text(r));
        self.reordered = true;
    }

    fn start(&mut self, name: &str, attrs: &[(String, String)], self_closing: bool) {
        match name {
            "html" => {
                let h = self.ensure_html();
                self.merge_attrs(h, attrs);
                return;
            }
            "head" => {
                if self.head.is_none() && self.dom.body.is_none() {
                    self.ensure_html();
                    let h = self.element("head", attrs);
                    self.head = Some(h);
                    self.push(h, "head");
                }
                return;
            }
            "body" => {
                let existed = self.dom.body.is_some();
                self.ensure_body();
                if !existed {
                    let b = self.dom.body.expect("ensured");
                    self.merge_attrs(b, attrs);
                }
                return;
            }
            _ => {}
        }
        let tag = tags::lookup(name);
        if self.dom.body.is_none() {
            if tags::is(tag, IN_HEAD) && self.foreign == 0 {
                self.ensure_html();
            } else {
                self.ensure_body();
            }
        }
        // Table parts outside any table are dropped, as HTML's "in body" rules say: their
        // content flows on (`<td>` pasted into a paragraph is not a cell).
        if self.foreign == 0
            && (named([TD, TH, TR])(tag) || is_table_section(name))
            && !self.is_open("table")
        {
            return;
        }
        if self.foreign == 0 && self.is_open("table") {
            self.table_context(name);
        }
        if self.foreign == 0 {
            self.implied_ends(name, tag);
        }
        let void = tags::is(tag, VOID);
        if self.stack.len() >= MAX_DEPTH && !void {
            return; // too deep: the text goes to the deepest element
        }
        let table_part = matches!(
            name,
            "caption"
                | "colgroup"
                | "col"
                | "tbody"
                | "thead"
                | "tfoot"
                | "tr"
                | "td"
                | "th"
                | "table"
                | "script"
                | "style"
                | "template"
                | "input"
                | "form"
        );
        let id = match self.foster_table().filter(|_| !table_part) {
            // Anything else misplaced in a table goes before it, with its content.
            Some(table) => {
                let kind = self.element_kind(name, attrs);
                let parent = self.dom.nodes[table as usize].parent;
                self.reordered = true;
                self.dom.insert_before(parent, table, kind)
            }
            None => self.element(name, attrs),
        };
        let closed = void || (self_closing && self.foreign > 0);
        if !closed {
            self.push(id, name);
        }
    }

    fn merge_attrs(&mut self, id: NodeId, attrs: &[(String, String)]) {
        // Only the first occurrence's attributes are kept when it had none (<html lang>).
        if let Kind::Element { attrs: r, .. } = &self.dom.nodes[id as usize].kind {
            if !r.is_empty() || attrs.is_empty() {
                return;
            }
        }
        let start = self.dom.attrs.len() as u32;
        for (k, v) in attrs {
            let k = self.dom.push_str(k);
            let v = self.dom.push_str(v);
            self.dom.attrs.push((k, v));
        }
        let end = self.dom.attrs.len() as u32;
        if let Kind::Element { attrs: r, .. } = &mut self.dom.nodes[id as usize].kind {
            *r = start..end;
        }
    }

    /// End tags the HTML parser implies when `name` starts.
    fn implied_ends(&mut self, name: &str, tag: Tag) {
        // (In quirks mode, pages without a doctype, a table stays inside the paragraph.)
        if tags::is(tag, CLOSES_P) && !(self.quirks && tag == TABLE) {
            self.close("p", |t| tags::is(t, SCOPE) || t == BUTTON);
        }
        let list_stop = |t: Tag| tags::is(t, SPECIAL) && !named([ADDRESS, DIV, P])(t);
        match name {
            "li" => {
                self.close("li", list_stop);
            }
            "dd" | "dt" if !self.close("dd", list_stop) => {
                self.close("dt", list_stop);
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                if tags::heading_level(self.dom.tag(self.current())).is_some() =>
            {
                self.pop();
            }
            "tr" | "tbody" | "thead" | "tfoot" => {
                let table = named([TABLE, HTML, TEMPLATE]);
                for cell in ["td", "th", "tr"] {
                    self.close(cell, &table);
                }
                if name != "tr" {
                    for section in ["tbody", "thead", "tfoot"] {
                        self.close(section, &table);
                    }
                }
            }
            "td" | "th" => {
                let row = named([TR, TABLE, HTML, TEMPLATE]);
                if !self.close("td", &row) {
                    self.close("th", &row);
                }
            }
            "option" | "optgroup" if self.dom.name(self.current()) == Some("option") => {
                self.pop();
            }
            "a" => {
                self.close("a", |t| tags::is(t, SPECIAL));
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "br" => return self.start("br", &[], false),
            "html" | "body" => return,
            "head" => {
                if self.close("head", |_| false) {
                    self.head_done = true;
                }
                return;
            }
            _ => {}
        }
        let tag = tags::lookup(name);
        if tags::heading_level(tag).is_some() {
            // Any heading's end tag closes the open heading, whatever its level.
            self.close_heading();
            return;
        }
        if name == "p" && !self.close("p", |t| t == BUTTON || tags::is(t, SCOPE)) {
            // `</p>` without an open paragraph is an empty paragraph: a line break (before
            // the table, when it lands in one).
            match self.foster_table() {
                Some(table) => {
                    let kind = self.element_kind("p", &[]);
                    let parent = self.dom.nodes[table as usize].parent;
                    self.reordered = true;
                    self.dom.insert_before(parent, table, kind);
                }
                None => {
                    self.element("p", &[]);
                }
            }
            return;
        }
        let (stops, flag) = match name {
            "table" => (named([HTML, TEMPLATE, TEMPLATE]), 0),
            "tbody" | "thead" | "tfoot" | "tr" | "td" | "th" | "caption" => {
                (named([TABLE, HTML, TEMPLATE]), 0)
            }
            "li" => (named([OL, UL, UL]), SCOPE),
            _ if tags::is(tag, SPECIAL) => (named([0, 0, 0]), SCOPE),
            // Other end tags never close a special element (HTML's "any other end tag").
            _ => (named([0, 0, 0]), SPECIAL),
        };
        self.close(name, |t| stops(t) || (flag != 0 && tags::is(t, flag)));
    }
}

/// An element as a short start tag: `<div class="a b" id="x">`.
pub fn label(dom: &Dom, id: NodeId) -> String {
    let mut s = format!("<{}", dom.name(id).unwrap_or("#text"));
    for key in ["id", "class"] {
        if let Some(v) = dom.attr(id, key) {
            let v: String = v.split_whitespace().collect::<Vec<_>>().join(" ");
            let v: String = v.chars().take(60).collect();
            s.push_str(&format!(" {key}=\"{v}\""));
        }
    }
    s.push('>');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree as `name(children)`, text as `"text"`.
    fn shape(dom: &Dom, id: NodeId) -> String {
        let mut out = String::new();
        match dom.name(id) {
            Some(n) => out.push_str(n),
            None => {
                if let Some(t) = dom.text(id) {
                    return format!("{t:?}");
                }
            }
        }
        let kids: Vec<String> = dom.children(id).map(|c| shape(dom, c)).collect();
        if !kids.is_empty() {
            out.push('(');
            out.push_str(&kids.join(" "));
            out.push(')');
        }
        out
    }

    fn body(html: &str) -> String {
        let d = Dom::parse(html);
        shape(&d, d.body.unwrap())
    }

    #[test]
    fn adjacent_elements_skip_white_space_only() {
        let d = Dom::parse("<body><h1>a</h1>\n <!-- c --> <h2>b</h2> text <p>c</p></body>");
        let find = |n: &str| {
            (0..d.len() as NodeId)
                .find(|&i| d.name(i) == Some(n))
                .unwrap()
        };
        let (h1, h2, p) = (find("h1"), find("h2"), find("p"));
        assert_eq!(d.adjacent_element(h1, Side::After), Some(h2));
        assert_eq!(d.adjacent_element(h2, Side::Before), Some(h1));
        assert_eq!(d.adjacent_element(h2, Side::After), None, "text between");
        assert_eq!(d.adjacent_element(p, Side::Before), None, "text between");
        assert_eq!(d.adjacent_element(p, Side::After), None, "last child");
    }

    #[test]
    fn implied_ends() {
        assert_eq!(
            body("<p>a<p>b<div>c</div>"),
            r#"body(p("a") p("b") div("c"))"#
        );
        assert_eq!(
            body("<ul><li>a<li>b<ul><li>c</ul></ul>"),
            r#"body(ul(li("a") li("b" ul(li("c")))))"#
        );
        assert_eq!(
            body("<table><tr><td>a<td>b<tr><td>c</table>"),
            r#"body(table(tr(td("a") td("b")) tr(td("c"))))"#
        );
        assert_eq!(body("<h1>a<h2>b"), r#"body(h1("a") h2("b"))"#);
    }

    #[test]
    fn end_tags_do_not_cross_blocks() {
        // </span> cannot close the div it is not inside of.
        assert_eq!(
            body("<span><div>a</span>b</div>c"),
            r#"body(span(div("ab") "c"))"#
        );
        // A `</p>` without a paragraph is an empty one, as in browsers.
        assert_eq!(body("<div>a</p>b</div>"), r#"body(div("a" p "b"))"#);
    }

    #[test]
    fn head_and_body() {
        let d =
            Dom::parse("<html lang=en><head><title>T</title><meta name=a content=b><div>x</div>");
        assert_eq!(
            shape(&d, d.html.unwrap()),
            r#"html(head(title("T") meta) body(div("x")))"#
        );
        assert_eq!(d.attr(d.html.unwrap(), "lang"), Some("en"));
        // Text with no tags at all.
        assert_eq!(body("just text"), r#"body("just text")"#);
    }

    #[test]
    fn voids_and_self_closing() {
        assert_eq!(
            body("<div/>a<br/>b<img src=x>c</div>"),
            r#"body(div("a" br "b" img "c"))"#
        );
        assert_eq!(
            body("<svg><path/><path/></svg>x"),
            r#"body(svg(path path) "x")"#
        );
    }

    #[test]
    fn misplaced_table_content_goes_before_the_table() {
        // Text and elements in a table outside its cells (foster parenting).
        assert_eq!(
            body("<!doctype html><table>a<tr><td>b</td></tr><p>c</p></table>"),
            r#"body("a" p("c") table(tr(td("b"))))"#
        );
        // Cells outside any table are not cells; a cell outside a row implies the row.
        assert_eq!(body("<p>x<td>y</td>z"), r#"body(p("xyz"))"#);
        assert_eq!(
            body("<!doctype html><table><td>a</table>"),
            r#"body(table(tr(td("a"))))"#
        );
        // Any heading's end tag closes the open heading; `</p>` alone is an empty
        // paragraph.
        assert_eq!(body("<h2>a<h3>b</h2>c"), r#"body(h2("a") h3("b") "c")"#);
        assert_eq!(body("a</p>b"), r#"body("a" p "b")"#);
        // Without a doctype (quirks mode) a table stays in the paragraph.
        assert_eq!(body("<p>a<table></table>"), r#"body(p("a" table))"#);
        assert_eq!(
            body("<!DOCTYPE html><p>a<table></table>"),
            r#"body(p("a") table)"#
        );
        assert!(has_doctype(
            "<?xml version='1.0'?>\n<!-- saved -->\n<!DOCTYPE html>"
        ));
        assert!(!has_doctype("<!-- saved from url -->\n<html>"));
    }

    #[test]
    fn depth_is_capped_and_work_is_linear() {
        let work = |n: usize| {
            let d = Dom::parse(&format!("<body>{}x", "<div>".repeat(n)));
            assert!(d.len() <= MAX_DEPTH + 4, "{}", d.len());
            d.work
        };
        let (small, large) = (work(20_000), work(80_000));
        // Four times the input, at most about four times the work.
        assert!(large <= small * 9 / 2, "{small} -> {large}");
    }
}
