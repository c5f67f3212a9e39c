//! Diagnostics for rule files: where the problem is, what it is, and how to fix it.

use std::fmt;
use std::ops::Range;

/// One problem found in a rule file, located by byte span in that file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Display path of the rule file (`rules/common/footer.toml`, `<embedded>/common/footer.toml`).
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
}

impl Diagnostic {
    /// Builds a diagnostic for `span` in `text` (the full file contents).
    pub fn new(file: &str, text: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        let start = span.start.min(text.len());
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
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.rule {
            Some(id) => writeln!(f, "error[{id}]: {}", self.message)?,
            None => writeln!(f, "error: {}", self.message)?,
        }
        writeln!(f, "  --> {}:{}:{}", self.file, self.line, self.column)?;
        let gutter = self.line.to_string().len();
        writeln!(f, "{:gutter$} |", "")?;
        writeln!(f, "{} | {}", self.line, self.source_line)?;
        let caret_len = {
            let rest = &self
                .source_line
                .chars()
                .skip(self.column - 1)
                .collect::<String>();
            let span_chars = self.span.len().min(rest.len());
            rest.char_indices()
                .take_while(|(i, _)| *i < span_chars)
                .count()
                .max(1)
        };
        write!(
            f,
            "{:gutter$} | {}{}",
            "",
            " ".repeat(self.column - 1),
            "^".repeat(caret_len)
        )?;
        if let Some((file, line, note)) = &self.also {
            write!(f, "\n  = note: {note}: {file}:{line}")?;
        }
        if let Some(h) = &self.hint {
            write!(f, "\n  = help: {h}")?;
        }
        Ok(())
    }
}

/// All problems found while loading a rule set. Loading reports every problem, not only the first.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}\n")?;
        }
        let n = self.0.len();
        write!(
            f,
            "error: the rule set has {n} problem{}; nothing was cleaned",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Diagnostics {}
