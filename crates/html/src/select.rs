//! CSS selectors (the `selectors` crate, as scraper parses them) matched against our tree,
//! for site rules that name a site's article body and its noise.

use markup5ever::{ns, Namespace};
use scraper::selector::{CssLocalName, CssString, NonTSPseudoClass, Parser, PseudoElement, Simple};
use selectors::attr::{AttrSelectorOperation, CaseSensitivity, NamespaceConstraint};
use selectors::bloom::BloomFilter;
use selectors::matching::{self, MatchingContext};
use selectors::parser::{ParseRelative, SelectorList};
use selectors::{Element, OpaqueElement};

use super::dom::{Dom, Kind, NodeId, NONE};

/// A parsed selector list (`div.article, #content`).
#[derive(Debug, Clone)]
pub struct Selector {
    text: String,
    list: SelectorList<Simple>,
}

impl Selector {
    /// Parses a selector list; the error says what is wrong, for `rules check`.
    pub fn parse(text: &str) -> Result<Selector, String> {
        let mut parser = cssparser::Parser::new(text);
        SelectorList::parse(&Parser, &mut parser, ParseRelative::No)
            .map(|list| Selector {
                text: text.to_string(),
                list,
            })
            .map_err(|e| format!("not a CSS selector: {:?}", e.kind))
    }

    /// The selector as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The elements of `dom` it matches, in document order.
    pub fn select(&self, dom: &Dom) -> Vec<NodeId> {
        let mut caches = Default::default();
        let mut ctx = MatchingContext::new(
            matching::MatchingMode::Normal,
            None,
            &mut caches,
            matching::QuirksMode::NoQuirks,
            matching::NeedsSelectorFlags::No,
            matching::MatchingForInvalidation::No,
        );
        (1..dom.len() as NodeId)
            .filter(|&id| dom.name(id).is_some())
            .filter(|&id| matching::matches_selector_list(&self.list, &El { dom, id }, &mut ctx))
            .collect()
    }
}

/// An element of our tree, as the `selectors` crate sees it.
#[derive(Debug, Clone, Copy)]
struct El<'a> {
    dom: &'a Dom,
    id: NodeId,
}

impl<'a> El<'a> {
    fn at(&self, id: NodeId) -> Option<El<'a>> {
        (id != NONE && matches!(self.dom.nodes[id as usize].kind, Kind::Element { .. }))
            .then_some(El { dom: self.dom, id })
    }

    fn siblings(&self) -> impl Iterator<Item = NodeId> + 'a {
        let p = self.dom.nodes[self.id as usize].parent;
        self.dom.children(if p == NONE { 0 } else { p })
    }
}

impl Element for El<'_> {
    type Impl = Simple;

    fn opaque(&self) -> OpaqueElement {
        OpaqueElement::new(&self.dom.nodes[self.id as usize])
    }

    fn parent_element(&self) -> Option<Self> {
        self.at(self.dom.nodes[self.id as usize].parent)
    }

    fn parent_node_is_shadow_root(&self) -> bool {
        false
    }

    fn containing_shadow_host(&self) -> Option<Self> {
        None
    }

    fn is_pseudo_element(&self) -> bool {
        false
    }

    fn prev_sibling_element(&self) -> Option<Self> {
        let mut prev = None;
        for s in self.siblings() {
            if s == self.id {
                return prev;
            }
            if self.dom.name(s).is_some() {
                prev = self.at(s);
            }
        }
        None
    }

    fn next_sibling_element(&self) -> Option<Self> {
        let mut n = self.dom.nodes[self.id as usize].next;
        while n != NONE {
            if self.dom.name(n).is_some() {
                return self.at(n);
            }
            n = self.dom.nodes[n as usize].next;
        }
        None
    }

    fn first_element_child(&self) -> Option<Self> {
        self.dom
            .children(self.id)
            .find(|&c| self.dom.name(c).is_some())
            .and_then(|c| self.at(c))
    }

    fn is_html_element_in_html_document(&self) -> bool {
        true
    }

    fn has_local_name(&self, name: &CssLocalName) -> bool {
        self.dom.name(self.id) == Some(&*name.0)
    }

    fn has_namespace(&self, namespace: &Namespace) -> bool {
        *namespace == ns!(html)
    }

    fn is_same_type(&self, other: &Self) -> bool {
        self.dom.name(self.id) == other.dom.name(other.id)
    }

    fn attr_matches(
        &self,
        ns: &NamespaceConstraint<&Namespace>,
        local_name: &CssLocalName,
        operation: &AttrSelectorOperation<&CssString>,
    ) -> bool {
        if matches!(ns, NamespaceConstraint::Specific(url) if !url.is_empty()) {
            return false;
        }
        self.dom
            .attrs(self.id)
            .any(|(k, v)| k == &*local_name.0 && operation.eval_str(v))
    }

    fn match_non_ts_pseudo_class(
        &self,
        _pc: &NonTSPseudoClass,
        _context: &mut MatchingContext<'_, Simple>,
    ) -> bool {
        false
    }

    fn match_pseudo_element(
        &self,
        _pe: &PseudoElement,
        _context: &mut MatchingContext<'_, Simple>,
    ) -> bool {
        false
    }

    fn apply_selector_flags(&self, _flags: matching::ElementSelectorFlags) {}

    fn is_link(&self) -> bool {
        self.dom.name(self.id) == Some("link")
    }

    fn is_html_slot_element(&self) -> bool {
        false
    }

    fn has_id(&self, id: &CssLocalName, case: CaseSensitivity) -> bool {
        self.dom
            .attr(self.id, "id")
            .is_some_and(|v| case.eq(id.0.as_bytes(), v.as_bytes()))
    }

    fn has_class(&self, name: &CssLocalName, case: CaseSensitivity) -> bool {
        self.dom.attr(self.id, "class").is_some_and(|v| {
            v.split_ascii_whitespace()
                .any(|c| case.eq(name.0.as_bytes(), c.as_bytes()))
        })
    }

    fn has_custom_state(&self, _name: &CssLocalName) -> bool {
        false
    }

    fn imported_part(&self, _name: &CssLocalName) -> Option<CssLocalName> {
        None
    }

    fn is_part(&self, _name: &CssLocalName) -> bool {
        false
    }

    fn is_empty(&self) -> bool {
        !self
            .dom
            .children(self.id)
            .any(|c| self.dom.name(c).is_some() || self.dom.text(c).is_some_and(|t| !t.is_empty()))
    }

    fn is_root(&self) -> bool {
        self.dom.nodes[self.id as usize].parent == 0
    }

    fn add_element_unique_hashes(&self, _filter: &mut BloomFilter) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selects_like_css() {
        let dom = Dom::parse(
            "<body><div id=main class='a b'><p>x</p><p class=n>y</p></div>\
             <div class=b><span data-k=v>z</span></div></body>",
        );
        let names = |s: &str| -> Vec<String> {
            Selector::parse(s)
                .unwrap()
                .select(&dom)
                .into_iter()
                .map(|id| super::super::dom::label(&dom, id))
                .collect()
        };
        assert_eq!(names("#main"), [r#"<div id="main" class="a b">"#]);
        assert_eq!(names("div.b").len(), 2);
        assert_eq!(names("#main > p.n"), [r#"<p class="n">"#]);
        assert_eq!(names("div p:first-child"), ["<p>"]);
        assert_eq!(names("[data-k=v]"), ["<span>"]);
        assert!(Selector::parse("div[").is_err());
        assert!(Selector::parse("").is_err());
    }
}
