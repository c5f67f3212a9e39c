//! The static HTML report: one self-contained file (inline CSS and JS, no external
//! assets, no network) showing, per document, the raw text with removed spans struck
//! through and tagged by rule beside the cleaned text; filters by category and rule;
//! counts; and a rule index linking every place each rule fired.
//!
//! Documents are rendered independently ([`render_document`], safe to run in parallel) and
//! streamed into a [`Report`] in order, so memory stays bounded on large folders. The
//! summary, filters and rule index are written last and shown first (CSS `order`). Output
//! is deterministic: no timestamps, no randomness.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::{annotate, is_whitespace_edit, DocSummary, Fate};
use crate::engine::Cleaned;
use crate::rules::Ruleset;

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    escape_into(&mut out, s);
    out
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\t' && c != '\n' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// A stable hue (0..360) for a category, so each category keeps its colour.
fn hue(category: &str) -> u32 {
    let h = blake3::hash(category.as_bytes());
    u32::from(u16::from_le_bytes([h.as_bytes()[0], h.as_bytes()[1]])) % 360
}

/// One place a rule fired, for the rule index.
#[derive(Debug, Clone)]
pub struct Firing {
    /// Rule id.
    pub rule: String,
    /// Rule category.
    pub category: String,
    /// Element id of the edit in the report (`d3-e5`).
    pub anchor: String,
    /// `path:line` label.
    pub label: String,
    /// Characters removed.
    pub chars: usize,
}

/// One document rendered to HTML, with what the report needs to index it.
#[derive(Debug, Clone)]
pub struct RenderedDoc {
    /// The `<section>` element.
    pub html: String,
    /// Every non-white-space edit, in order.
    pub firings: Vec<Firing>,
    /// Counts for the summary.
    pub summary: DocSummary,
}

/// Renders one document. `id` must be unique in the report (its position is a good
/// choice); `path` is displayed.
pub fn render_document(id: usize, path: &str, raw: &str, cleaned: &Cleaned) -> RenderedDoc {
    let edits = &cleaned.edits;
    let lines = annotate(raw, edits);
    let summary = DocSummary::new(raw, &lines, cleaned);
    let mut firings = Vec::new();
    let mut rules: Vec<&str> = Vec::new();
    let mut cats: Vec<&str> = Vec::new();
    for (i, e) in edits.iter().enumerate() {
        if is_whitespace_edit(e) {
            continue;
        }
        if !rules.contains(&e.rule.as_str()) {
            rules.push(&e.rule);
        }
        if !cats.contains(&e.category.as_str()) {
            cats.push(&e.category);
        }
        firings.push(Firing {
            rule: e.rule.clone(),
            category: e.category.clone(),
            anchor: format!("d{id}-e{i}"),
            label: format!("{path}:{}", e.line),
            chars: e.removed.chars().count(),
        });
    }
    rules.sort_unstable();
    cats.sort_unstable();

    let mut h = String::with_capacity(raw.len() * 2 + cleaned.body.len() + 512);
    let _ = write!(
        h,
        "<section class=\"doc{}\" id=\"d{id}\" data-rules=\"{}\" data-cats=\"{}\">\n<h2><a href=\"#d{id}\">",
        if summary.changed() { "" } else { " unchanged" },
        escape(&rules.join(" ")),
        escape(&cats.join(" ")),
    );
    escape_into(&mut h, path);
    h.push_str("</a></h2>\n<p class=\"sum\">");
    escape_into(&mut h, &summary.line());
    h.push_str("</p>\n<div class=\"cols\"><div class=\"raw\"><div class=\"colh\">raw</div>\n");
    let mut anchored = vec![false; edits.len()];
    for l in &lines {
        let (class, tag_edit) = match l.fate {
            Fate::Removed(i) => ("l rm", Some(i)),
            Fate::Changed => ("l ch", None),
            Fate::Blank => ("l ws", None),
            Fate::Kept => ("l", None),
        };
        let _ = write!(h, "<div class=\"{class}\"");
        if let Some(i) = tag_edit {
            let e = &edits[i];
            let _ = write!(
                h,
                " data-rule=\"{}\" data-cat=\"{}\"",
                escape(&e.rule),
                escape(&e.category)
            );
        }
        let _ = write!(
            h,
            "><span class=\"n\">{}</span><span class=\"t\">",
            l.number
        );
        let mut line_rules: Vec<usize> = Vec::new();
        for p in &l.pieces {
            match p.edit.filter(|&i| !is_whitespace_edit(&edits[i])) {
                None => escape_into(&mut h, p.text),
                Some(i) => {
                    let e = &edits[i];
                    if !line_rules.iter().any(|&j| edits[j].rule == e.rule) {
                        line_rules.push(i);
                    }
                    let _ = write!(
                        h,
                        "<del class=\"e\" data-rule=\"{}\" data-cat=\"{}\" title=\"{} [{}]\"",
                        escape(&e.rule),
                        escape(&e.category),
                        escape(&e.rule),
                        escape(&e.category)
                    );
                    if !anchored[i] {
                        anchored[i] = true;
                        let _ = write!(h, " id=\"d{id}-e{i}\"");
                    }
                    h.push('>');
                    escape_into(&mut h, p.text);
                    h.push_str("</del>");
                    if let Some(r) = p.replacement {
                        let _ = write!(
                            h,
                            "<ins class=\"e\" data-rule=\"{}\" data-cat=\"{}\">",
                            escape(&e.rule),
                            escape(&e.category)
                        );
                        escape_into(&mut h, r);
                        h.push_str("</ins>");
                    }
                }
            }
        }
        h.push_str("</span>");
        for i in line_rules {
            let e = &edits[i];
            let _ = write!(
                h,
                "<a class=\"tag\" href=\"#r-{}\" data-rule=\"{}\" data-cat=\"{}\" style=\"--h:{}\">{}</a>",
                escape(&e.rule),
                escape(&e.rule),
                escape(&e.category),
                hue(&e.category),
                escape(&e.rule)
            );
        }
        h.push_str("</div>\n");
    }
    h.push_str("</div><div class=\"clean\"><div class=\"colh\">cleaned</div><pre>");
    escape_into(&mut h, &cleaned.body);
    h.push_str("</pre></div></div>\n</section>\n");
    RenderedDoc {
        html: h,
        firings,
        summary,
    }
}

#[derive(Debug, Default)]
struct RuleEntry {
    category: String,
    documents: usize,
    chars: usize,
    firings: Vec<(String, String)>,
}

/// A report being written: [`Report::begin`], then [`Report::add`] per document, then
/// [`Report::finish`].
pub struct Report<W: Write> {
    out: W,
    title: String,
    rules: BTreeMap<String, RuleEntry>,
    categories: BTreeMap<String, usize>,
    documents: usize,
    changed: usize,
    chars_in: usize,
    chars_out: usize,
}

const CSS: &str = r#"
*{box-sizing:border-box}
body{margin:0;font:14px/1.55 system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:#1d1d1f;background:#f6f6f4;display:flex;flex-direction:column}
#summary{order:-1;padding:16px 24px;background:#fff;border-bottom:1px solid #ddd}
#docs{padding:8px 24px}
h1{font-size:20px;margin:0 0 8px}
h2{font-size:15px;margin:0;font-family:ui-monospace,monospace}
h2 a{color:inherit}
.doc{background:#fff;border:1px solid #ddd;border-radius:6px;margin:14px 0;padding:10px 14px}
.doc[hidden]{display:none}
.sum{margin:2px 0 8px;color:#555}
.cols{display:grid;grid-template-columns:3fr 2fr;gap:14px}
.colh{font-size:12px;text-transform:uppercase;color:#888;border-bottom:1px solid #eee;margin-bottom:4px}
.raw .l{display:flex;gap:8px;white-space:pre-wrap;word-break:break-all;min-height:1.3em}
.raw .n{flex:0 0 3.2em;text-align:right;color:#aaa;font:12px/1.9 ui-monospace,monospace;user-select:none}
.raw .t{flex:1}
.l.rm{background:#fff0f0}
.l.rm .t{color:#a33}
.l.ws{opacity:.45}
.l.ws .t::after{content:"·";color:#bbb}
del.e{background:#ffd6d6;color:#a33;text-decoration:line-through}
ins.e{background:#d6f5d6;text-decoration:none}
.l.rm del.e{background:none}
.tag{flex:0 0 auto;align-self:flex-start;font:11px/1.8 ui-monospace,monospace;padding:0 6px;border-radius:8px;background:hsl(var(--h) 70% 88%);color:#222;text-decoration:none;white-space:nowrap}
.clean pre{margin:0;white-space:pre-wrap;word-break:break-all;font:inherit}
table{border-collapse:collapse;margin:8px 0}
td,th{padding:2px 10px;text-align:left;border-bottom:1px solid #eee;font-variant-numeric:tabular-nums}
td.num,th.num{text-align:right}
#filters{margin:8px 0;display:flex;flex-wrap:wrap;gap:10px;align-items:center}
#filters label{white-space:nowrap}
details.idx summary{cursor:pointer}
details.idx a{margin-right:8px;font:12px ui-monospace,monospace}
.off{opacity:.35}
:target{outline:2px solid #f90}
"#;

const JS: &str = r#"
(function(){
  var docs=Array.prototype.slice.call(document.querySelectorAll('section.doc'));
  var boxes=Array.prototype.slice.call(document.querySelectorAll('#filters input[data-cat]'));
  var sel=document.getElementById('rule-filter');
  var only=document.getElementById('only-changed');
  var style=document.getElementById('filter-style');
  function q(s){return '"'+s.replace(/["\\]/g,'\\$&')+'"';}
  function apply(){
    var off=boxes.filter(function(b){return !b.checked}).map(function(b){return b.getAttribute('data-cat')});
    var rule=sel.value, css='';
    off.forEach(function(c){css+='.e[data-cat='+q(c)+'],.tag[data-cat='+q(c)+'],.l.rm[data-cat='+q(c)+']{opacity:.3}\n';});
    if(rule){css+='.e:not([data-rule='+q(rule)+']),.tag:not([data-rule='+q(rule)+']),.l.rm:not([data-rule='+q(rule)+']){opacity:.3}\n';}
    style.textContent=css;
    var shown=0;
    docs.forEach(function(d){
      var rs=d.getAttribute('data-rules').split(' ').filter(Boolean);
      var cs=d.getAttribute('data-cats').split(' ').filter(Boolean);
      var ok;
      if(rule){ok=rs.indexOf(rule)>=0;}
      else if(cs.length===0){ok=!only.checked;}
      else{ok=cs.some(function(c){return off.indexOf(c)<0});}
      d.hidden=!ok; if(ok){shown++;}
    });
    document.getElementById('shown-docs').textContent=String(shown);
  }
  function reveal(){
    if(!location.hash){return;}
    var t=document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if(!t){return;}
    var d=t.closest('section.doc');
    if(d&&d.hidden){d.hidden=false;t.scrollIntoView();}
  }
  boxes.forEach(function(b){b.addEventListener('change',apply)});
  sel.addEventListener('change',apply);
  only.addEventListener('change',apply);
  window.addEventListener('hashchange',reveal);
  apply();
  reveal();
  document.body.setAttribute('data-ready','1');
})();
"#;

impl<W: Write> Report<W> {
    /// Starts a report: writes the document head and opens the list of documents.
    pub fn begin(mut out: W, title: &str) -> io::Result<Report<W>> {
        write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n<style id=\"filter-style\"></style>\n</head>\n<body>\n<main id=\"docs\">\n",
            escape(title)
        )?;
        Ok(Report {
            out,
            title: title.to_string(),
            rules: BTreeMap::new(),
            categories: BTreeMap::new(),
            documents: 0,
            changed: 0,
            chars_in: 0,
            chars_out: 0,
        })
    }

    /// Writes one rendered document and indexes its edits.
    pub fn add(&mut self, doc: RenderedDoc) -> io::Result<()> {
        self.out.write_all(doc.html.as_bytes())?;
        self.documents += 1;
        if doc.summary.changed() {
            self.changed += 1;
        }
        self.chars_in += doc.summary.chars_in;
        self.chars_out += doc.summary.chars_out;
        let mut seen: Vec<&str> = Vec::new();
        for f in &doc.firings {
            *self.categories.entry(f.category.clone()).or_default() += 1;
            let e = self.rules.entry(f.rule.clone()).or_default();
            e.category.clone_from(&f.category);
            e.chars += f.chars;
            if !seen.contains(&f.rule.as_str()) {
                seen.push(&f.rule);
                e.documents += 1;
            }
            e.firings.push((f.anchor.clone(), f.label.clone()));
        }
        Ok(())
    }

    /// Writes the summary (counts, filters, rule index) and closes the page. With a
    /// rule set, rules that never fired are listed too. Returns the writer.
    pub fn finish(mut self, ruleset: Option<&Ruleset>) -> io::Result<W> {
        let mut s = String::new();
        s.push_str("</main>\n<section id=\"summary\">\n<h1>");
        escape_into(&mut s, &self.title);
        s.push_str("</h1>\n");
        let pct = if self.chars_in == 0 {
            0.0
        } else {
            100.0 * (self.chars_in - self.chars_out.min(self.chars_in)) as f64
                / self.chars_in as f64
        };
        let edits: usize = self.rules.values().map(|r| r.firings.len()).sum();
        let _ = writeln!(
            s,
            "<p id=\"totals\"><span id=\"doc-count\">{}</span> documents, <span id=\"changed-count\">{}</span> changed by rules, <span id=\"edit-count\">{edits}</span> edits by <span id=\"rule-count\">{}</span> rules; {} → {} chars ({pct:.1}% removed). Showing <span id=\"shown-docs\"></span> documents.</p>",
            self.documents,
            self.changed,
            self.rules.len(),
            self.chars_in,
            self.chars_out
        );
        s.push_str("<div id=\"filters\"><strong>Categories:</strong>\n");
        for (c, n) in &self.categories {
            let _ = writeln!(
                s,
                "<label><input type=\"checkbox\" checked data-cat=\"{}\"> <span class=\"tag\" style=\"--h:{}\">{}</span> <span class=\"cat-count\" data-cat=\"{}\">{n}</span></label>",
                escape(c),
                hue(c),
                escape(c),
                escape(c)
            );
        }
        s.push_str(
            "<label>Rule: <select id=\"rule-filter\"><option value=\"\">all rules</option>\n",
        );
        for (id, r) in &self.rules {
            let _ = writeln!(
                s,
                "<option value=\"{}\">{} ({})</option>",
                escape(id),
                escape(id),
                r.firings.len()
            );
        }
        s.push_str("</select></label>\n<label><input type=\"checkbox\" id=\"only-changed\"> only documents changed by rules</label>\n</div>\n");
        s.push_str("<table id=\"rules\"><thead><tr><th>rule</th><th>category</th><th class=\"num\">docs</th><th class=\"num\">edits</th><th class=\"num\">chars</th><th>where it fired</th></tr></thead><tbody>\n");
        let mut order: Vec<(&String, &RuleEntry)> = self.rules.iter().collect();
        order.sort_by(|a, b| b.1.chars.cmp(&a.1.chars).then(a.0.cmp(b.0)));
        for (id, r) in order {
            let _ = write!(
                s,
                "<tr id=\"r-{}\" class=\"rule-row\" data-rule=\"{}\"><td><code>{}</code></td><td><span class=\"tag\" style=\"--h:{}\">{}</span></td><td class=\"num\">{}</td><td class=\"num edits\">{}</td><td class=\"num\">{}</td><td><details class=\"idx\"><summary>{} place{}</summary>",
                escape(id),
                escape(id),
                escape(id),
                hue(&r.category),
                escape(&r.category),
                r.documents,
                r.firings.len(),
                r.chars,
                r.firings.len(),
                super::plural(r.firings.len())
            );
            for (anchor, label) in &r.firings {
                let _ = write!(s, "<a href=\"#{anchor}\">{}</a> ", escape(label));
            }
            s.push_str("</details></td></tr>\n");
        }
        s.push_str("</tbody></table>\n");
        if let Some(rs) = ruleset {
            let never: Vec<&str> = rs
                .rules()
                .iter()
                .filter(|r| {
                    !self.rules.contains_key(&r.id) && r.category != super::WHITESPACE_CATEGORY
                })
                .map(|r| r.id.as_str())
                .collect();
            if !never.is_empty() {
                let _ = write!(
                    s,
                    "<details id=\"never-fired\"><summary>{} rules never fired</summary><p>",
                    never.len()
                );
                for id in never {
                    let _ = write!(s, "<code>{}</code> ", escape(id));
                }
                s.push_str("</p></details>\n");
            }
        }
        s.push_str("</section>\n<script>");
        s.push_str(JS);
        s.push_str("</script>\n</body>\n</html>\n");
        self.out.write_all(s.as_bytes())?;
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cleaner, Document};

    #[test]
    fn report_is_escaped_and_indexed() {
        let cleaner = Cleaner::new(Ruleset::defaults());
        let raw = "标题<b>&\n正文第一段，蕞好。\n责任编辑:张三\n";
        let c = cleaner.clean(&Document::from_text(raw)).unwrap();
        let doc = render_document(0, "a<x>.txt", raw, &c);
        assert!(doc.html.contains("标题&lt;b&gt;&amp;"));
        assert!(doc.html.contains("a&lt;x&gt;.txt"));
        assert!(doc
            .html
            .contains("<del class=\"e\" data-rule=\"obfuscation."));
        assert!(doc.html.contains("<ins class=\"e\""));
        let mut r = Report::begin(Vec::new(), "t").unwrap();
        r.add(doc).unwrap();
        let out = String::from_utf8(r.finish(Some(cleaner.ruleset())).unwrap()).unwrap();
        assert!(out.contains("<span id=\"doc-count\">1</span>"));
        assert!(out.contains("href=\"#d0-e"), "rule index links to the edit");
        assert!(!out.contains("http://") && !out.contains("https://"));
    }
}
