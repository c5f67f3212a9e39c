//! The built-in stages: cleaning that is not a pattern, still named, described and
//! switchable like a rule. [`STAGES`] is the one registry: a stage's id, category,
//! description and action are written once, here; the engine runs each stage by its
//! [`Stage`] value (`rinse_engine::stages`).

use crate::Action;

/// A built-in stage, in the order of [`STAGES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Trim lines, drop blank lines, collapse inner white space, remove zero-width characters.
    Whitespace,
    /// Remove characters that are never text (controls, bidi controls, private use).
    Invisible,
    /// HTML pages only: apply the main-content extractor's verdicts.
    ExtractMain,
    /// Plain text that is a whole page: keep the headline and the article, remove the page
    /// chrome around them, classifying lines from the text alone.
    PageTextLines,
    /// Remove a lead excerpt (ending in an ellipsis) that repeats later text.
    LeadExcerpt,
    /// Remove a paragraph identical to an earlier one.
    RepeatedParagraph,
    /// Remove the title repeated near the top with a keyword or site name attached.
    TitleVariant,
    /// Remove a run of headline-shaped lines after the last paragraph (a related list).
    HeadlineRun,
}

/// What the rule set knows of a built-in stage.
#[derive(Debug, Clone, Copy)]
pub struct StageInfo {
    /// The stage.
    pub stage: Stage,
    /// Stable id, as rules are named (`whitespace.normalize`).
    pub id: &'static str,
    /// Category of what it removes.
    pub category: &'static str,
    /// What it does, for `rinse rules show`, `explain` and the docs.
    pub description: &'static str,
    /// The action its edits record.
    pub action: Action,
}

impl Stage {
    /// The stage's registry entry.
    pub fn info(self) -> &'static StageInfo {
        &STAGES[self as usize]
    }

    /// The stage's stable id.
    pub fn id(self) -> &'static str {
        self.info().id
    }
}

/// Every built-in stage, in [`Stage`] order.
pub const STAGES: [StageInfo; 8] = [
    StageInfo {
        stage: Stage::Whitespace,
        id: "whitespace.normalize",
        category: "whitespace",
        description: "Trims every line, removes blank lines and zero-width characters, and collapses runs \
                  of white space (U+3000, NBSP, tabs) inside a line to one space, so the body is one \
                  paragraph per line.",
        action: Action::DropSpan,
    },
    StageInfo {
        stage: Stage::Invisible,
        id: "encoding-artifact.invisible",
        category: "encoding-artifact",
        description: "Removes characters that are never text, wherever they stand: C0 and C1 control \
                  characters (tab and line ends aside), DEL, bidirectional formatting controls \
                  (U+200E, U+202A-U+202E, U+2066-U+2069, U+061C), private-use characters (icon \
                  fonts) and noncharacters, left by broken conversions or copy protection. Line \
                  rules read the line without them.",
        action: Action::DropSpan,
    },
    StageInfo {
        stage: Stage::ExtractMain,
        id: "extract.main",
        category: "boilerplate",
        description: "HTML pages only: removes what the main-content extractor dropped: lines outside the \
                  chosen article container (navigation, sidebars, comments, related lists, footers), \
                  lines the page hides, link lists and noise blocks (share bars, bylines, ads) inside \
                  it, and lines before the headline. The container is the element whose lines weigh \
                  most as prose (characters with sentence punctuation count for it; link text, short \
                  unpunctuated labels and noise-named children against it), scaled by its class and \
                  id (content, zhengwen, neirong up; comment, share, sidebar down). `rinse explain` \
                  shows the chosen container, its score, the runner-up and each line's reason. \
                  When no container separates the article from the page (flat or <br> markup), \
                  the whole-page text classifier of page.text-lines decides instead. Plain-text \
                  inputs are never touched.",
        action: Action::DropLine,
    },
    StageInfo {
        stage: Stage::PageTextLines,
        id: "page.text-lines",
        category: "boilerplate",
        description: "Plain-text inputs that are a whole page (a dump of every visible line: title line, \
                  menus, share bars, the article, comments, related lists, footers): classifies each \
                  line from its text alone (length, punctuation, function characters, chrome shapes, \
                  its neighbours), finds the headline (the line repeating the page title) and the \
                  article region after it, and removes the rest. Texts that are mostly prose are \
                  left alone, and no paragraph inside the article is removed. `rinse explain` shows \
                  each line's class, features and deciding context.",
        action: Action::DropLine,
    },
    StageInfo {
        stage: Stage::LeadExcerpt,
        id: "duplicate.lead-excerpt",
        category: "duplicate",
        description: "Removes a lead excerpt that repeats later text: a line cut with an ellipsis (……, \
                  ...) whose text (a short label such as 简要描述： aside) appears later, or a whole \
                  line of 24+ characters above the body's first paragraph (with or without a short \
                  label such as 摘要：) that repeats the text from the start of a later paragraph \
                  on; together with the lines just before it that continue the same repeated \
                  passage.",
        action: Action::DropLine,
    },
    StageInfo {
        stage: Stage::RepeatedParagraph,
        id: "duplicate.paragraph",
        category: "duplicate",
        description: "Removes a paragraph of 10 or more characters that is identical to an earlier kept \
                  paragraph (a headline or paragraph shown twice); the first occurrence stays. \
                  Repeats that are the author's stay: lines of program code, a question asked \
                  again after a paragraph (an interview), and on HTML pages rows, items and sibling \
                  paragraphs.",
        action: Action::DropLine,
    },
    StageInfo {
        stage: Stage::TitleVariant,
        id: "duplicate.title-variant",
        category: "duplicate",
        description: "Removes the title shown again near the top with a keyword or site name attached \
                  (关键词：标题, 标题 - 站名, 标题_频道): of two headline lines before the first \
                  paragraph where one is the other (6+ characters) plus a part set off by a \
                  separator, the longer goes; when the part only follows the title after a space \
                  (标题 副标题, maybe the headline's second half), the shorter copy goes instead.",
        action: Action::DropLine,
    },
    StageInfo {
        stage: Stage::HeadlineRun,
        id: "related.headline-run",
        category: "related",
        description: "Removes a related, recommended or hot list after the article, found by its shape \
                  whatever its heading says: three or more headline-shaped lines (short, no sentence \
                  inside, a median of 10+ characters, not all of one length; excerpts cut with an \
                  ellipsis, dates and tags may sit between them) from after the last paragraph to \
                  the end, when a third of them show marks of a listing (questions, alternative \
                  titles in brackets, excerpts, dates, counters). Kept: runs of short or equally \
                  long items (verse, slogans), ordinal points (一是…, （一）…), numbered steps, quoted \
                  lines, whatever a paragraph announces with a colon or the run's first line \
                  announces (以下是…), a list the body started, a run after a fragment or after a \
                  body written mostly in short lines (a spec sheet), closing remarks without marks \
                  of a listing, and a run starting in the first quarter of the text.",
        action: Action::DropLine,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_stage_has_its_own_entry() {
        for (i, s) in STAGES.iter().enumerate() {
            assert_eq!(s.stage as usize, i, "{} is out of place", s.id);
            assert_eq!(s.stage.id(), s.id);
            assert!(STAGES[..i].iter().all(|t| t.id != s.id), "{} twice", s.id);
        }
    }
}
