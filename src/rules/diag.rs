//! Diagnostics for rule files: where the problem is, what it is, and how to fix it.
//!
//! Rendering is done by `annotate-snippets`, in the style of rustc: the file, line and
//! column, the offending source line with a caret span, a note for a second place (the
//! first definition of a duplicate id), and a hint.

use std::fmt;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// One problem found in a rule file, located by byte span in that file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Display path of the rule file (`rules/common/footer.toml`, `<embedded>/rules/common/footer.toml`).
    pub file: String,
    /// 1-based line of the span start.
    pub line: usize,
    /// 1-based column (in characters) of the span start.
    pub column: usize,
    /// Byte span in the file.
    pub span: Range<usize>,
    /// The rule the problem belongs to, when known.
    pub rule: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when we can tell.
    pub hint: Option<String>,
    /// The text of the offending line, for display.
    pub source_line: String,
    /// Secondary location ("first defined here"), as (file, line, note).
    pub also: Option<(String, usize, String)>,
    /// The text of the secondary location's line, when known, for display.
    pub also_source_line: Option<String>,
}

impl Diagnostic {
    /// Builds a diagnostic for `span` in `text` (the full file contents).
    pub fn new(file: &str, text: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = text[..start].matches('\n').count() + 1;
        let column = text[line_start..start].chars().count() + 1;
        Diagnostic {
            file: file.to_string(),
            line,
            column,
            span: start..span.end.min(text.len()).max(start),
            rule: None,
            message: message.into(),
            hint: None,
            source_line: text[line_start..line_end]
                .trim_end_matches('\r')
                .to_string(),
            also: None,
            also_source_line: None,
        }
    }

    /// Names the rule this diagnostic belongs to.
    pub fn rule(mut self, id: Option<&str>) -> Self {
        self.rule = id.map(str::to_string);
        self
    }

    /// Adds a hint line.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The span as a byte range inside [`Diagnostic::source_line`] (at least one
    /// character wide when the line has room, clipped to the end of the line).
    pub fn line_span(&self) -> Range<usize> {
        let line = self.source_line.as_str();
        let start = line
            .char_indices()
            .nth(self.column.saturating_sub(1))
            .map_or(line.len(), |(i, _)| i);
        let mut end = (start + self.span.len()).min(line.len());
        end = floor_char_boundary(line, end);
        if end <= start {
            end = line[start..]
                .chars()
                .next()
                .map_or(start, |c| start + c.len_utf8());
        }
        start..end
    }

    /// Renders the diagnostic like a compiler error; `color` adds ANSI styles.
    pub fn render(&self, color: bool) -> String {
        let title = match &self.rule {
            Some(id) => format!("{} (rule `{id}`)", self.message),
            None => self.message.clone(),
        };
        let mut group = Level::ERROR.primary_title(title.as_str()).element(
            Snippet::source(self.source_line.as_str())
                .line_start(self.line)
                .path(self.file.as_str())
                .fold(false)
                .annotation(AnnotationKind::Primary.span(self.line_span())),
        );
        let also_note;
        if let Some((file, line, note)) = &self.also {
            match &self.also_source_line {
                Some(src) => {
                    group = group.element(
                        Snippet::source(src.as_str())
                            .line_start(*line)
                            .path(file.as_str())
                            .fold(false)
                            .annotation(
                                AnnotationKind::Context
                                    .span(0..src.len())
                                    .label(note.as_str()),
                            ),
                    );
                }
                None => {
                    also_note = format!("{note}: {file}:{line}");
                    group = group.element(Level::NOTE.message(also_note.as_str()));
                }
            }
        }
        if let Some(h) = &self.hint {
            group = group.element(Level::HELP.message(h.as_str()));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let report: &[Group<'_>] = &[group];
        renderer.render(report)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// All problems found while loading a rule set. Loading reports every problem, not only the first.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Renders every diagnostic and a closing count line; `color` adds ANSI styles.
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        for d in &self.0 {
            out.push_str(&d.render(color));
            out.push_str("\n\n");
        }
        let n = self.0.len();
        out.push_str(&format!(
            "error: the rule set has {n} problem{}",
            if n == 1 { "" } else { "s" }
        ));
        out
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_file_line_column_caret_and_hint() {
        let text = "[[rule]]\nid = \"a.b\"\nregx = 'x'\n";
        let d = Diagnostic::new("my.toml", text, 20..24, "unknown field `regx`")
            .rule(Some("a.b"))
            .hint("expected one of: regex, phrases");
        assert_eq!((d.line, d.column), (3, 1));
        let s = d.render(false);
        assert!(
            s.contains("error: unknown field `regx` (rule `a.b`)"),
            "{s}"
        );
        assert!(s.contains("--> my.toml:3:1\n"), "{s}");
        assert!(s.contains("3 | regx = 'x'"), "{s}");
        assert!(s.contains("| ^^^^"), "{s}");
        assert!(s.contains("help: expected one of: regex, phrases"), "{s}");
    }

    #[test]
    fn caret_counts_characters_not_bytes() {
        let text = "phrases = [\"阅读原文\", 3]\n";
        let at = text.find('3').unwrap();
        let d = Diagnostic::new("f.toml", text, at..at + 1, "expected a string");
        assert_eq!(d.column, 20);
        assert_eq!(&d.source_line[d.line_span()], "3");
    }
}
