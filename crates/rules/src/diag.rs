//! Diagnostics for rule files: where the problem is, what it is, and how to fix it.
//!
//! Rendering is done by `annotate-snippets`, in the style of rustc: the file, line and
//! column, the offending source line with a caret span, a note for a second place (the
//! first definition of a duplicate id), and a hint.

use std::fmt;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::codes::Code;

/// One problem found in a rule file, located by byte span in that file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What kind of problem it is: a stable code (`R106`), explained by `rinse rules
    /// explain CODE`.
    pub code: Code,
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
    /// The text of the offending line, for display (a window of it around the span when
    /// the line is very long).
    pub source_line: String,
    /// Characters of the line cut before [`Diagnostic::source_line`] begins.
    pub line_offset: usize,
    /// Secondary location ("first defined here"), as (file, line, note).
    pub also: Option<(String, usize, String)>,
    /// The text of the secondary location's line, when known, for display.
    pub also_source_line: Option<String>,
    /// A warning: worth fixing, but the rule set still loads (see [`Code::is_warning`]).
    pub warning: bool,
}

impl Diagnostic {
    /// Builds a diagnostic for `span` in `text` (the full file contents).
    pub fn new(
        code: Code,
        file: &str,
        text: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let line = memchr::memchr_iter(b'\n', &text.as_bytes()[..start]).count() + 1;
        Diagnostic::at_line(code, file, text, line, span, message)
    }

    /// Like [`Diagnostic::new`], when the caller knows the span's line (1-based).
    pub fn at_line(
        code: Code,
        file: &str,
        text: &str,
        line: usize,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let bytes = text.as_bytes();
        let line_start = memchr::memrchr(b'\n', &bytes[..start]).map_or(0, |i| i + 1);
        let line_end = memchr::memchr(b'\n', &bytes[start..]).map_or(text.len(), |i| start + i);
        // A very long line is shown as a window around the span.
        let from = floor_char_boundary(text, start.saturating_sub(WINDOW).max(line_start));
        let to = floor_char_boundary(text, (start + WINDOW).min(line_end));
        Diagnostic {
            code,
            file: file.to_string(),
            line,
            column: text[line_start..start].chars().count() + 1,
            span: start..span.end.min(text.len()).max(start),
            rule: None,
            message: message.into(),
            hint: None,
            source_line: text[from..to].trim_end_matches('\r').to_string(),
            line_offset: text[line_start..from].chars().count(),
            also: None,
            also_source_line: None,
            warning: code.is_warning(),
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
            .nth(self.column.saturating_sub(1 + self.line_offset))
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
        let level = if self.warning {
            Level::WARNING
        } else {
            Level::ERROR
        };
        let mut group = level
            .primary_title(title.as_str())
            .id(self.code.as_str())
            .element(
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

/// Bytes of a long line shown on each side of a diagnostic's span.
const WINDOW: usize = 160;

/// Where each line of a text starts, to find a byte's line by binary search.
pub(crate) struct LineIndex(Vec<usize>);

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex(starts)
    }

    /// The 1-based line of byte `at`.
    pub fn line(&self, at: usize) -> usize {
        self.0.partition_point(|&s| s <= at)
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
        let n = self.0.iter().filter(|d| !d.warning).count();
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
        let d = Diagnostic::new(
            Code::UnknownField,
            "my.toml",
            text,
            20..24,
            "unknown field `regx`",
        )
        .rule(Some("a.b"))
        .hint("expected one of: regex, phrases");
        assert_eq!((d.line, d.column), (3, 1));
        let s = d.render(false);
        assert!(
            s.contains("error[R003]: unknown field `regx` (rule `a.b`)"),
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
        let d = Diagnostic::new(
            Code::WrongType,
            "f.toml",
            text,
            at..at + 1,
            "expected a string",
        );
        assert_eq!(d.column, 20);
        assert_eq!(&d.source_line[d.line_span()], "3");
    }
}
