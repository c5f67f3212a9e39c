//! Metadata from a `meta` rule's named groups, cleaned by the span rules. Used by the rule
//! pass and by the zones (a deferred `meta` line is captured when it is decided).

use super::matchers::{self, Scratch};
use super::pending::apply_hits;
use super::stages;
use super::{Ctx, Work};

/// A `meta` rule fired on `matched`: its named groups, cleaned by the span rules, become
/// metadata.
pub(crate) fn capture(ctx: &Ctx, work: &mut Work, scratch: &mut Scratch, r: usize, matched: &str) {
    let Some(re) = ctx.matchers.meta[r].as_ref().and_then(|l| l.get()) else {
        return;
    };
    for (name, value) in matchers::meta_captures(re, matched) {
        ctx.matchers
            .span
            .find(ctx.rules, value, scratch, &mut |r| ctx.active[r]);
        if let Some(r) = ctx.invisible {
            stages::invisible::add_hits(value, r, &mut scratch.hits);
        }
        let mut out = String::with_capacity(value.len());
        apply_hits(value, &scratch.hits, &mut out);
        work.metadata.set(&name, out.trim().to_string());
    }
}
