//! Options and helpers shared by several commands.

use std::path::PathBuf;

use clap::Args;
use rinse::rules::{self, Limits, RuleSource, Ruleset};

use super::term::ColorChoice;

#[derive(Args)]
pub struct RuleArgs {
    /// A rule file (*.toml) or a folder of them, layered over the embedded defaults: new
    /// ids add rules, reused ids override, `disable = [...]` switches rules off. Repeatable.
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Start from no rules at all (only the built-in stages and --rules folders).
    #[arg(long)]
    pub no_default_rules: bool,
    /// Largest compiled size of one regex, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = rules::DEFAULT_REGEX_SIZE_LIMIT)]
    pub regex_size_limit: usize,
}

/// The rule sources `a` selects: embedded defaults (unless `--no-default-rules`), then
/// each `--rules` file or folder.
pub fn sources(a: &RuleArgs) -> Result<Vec<RuleSource>, String> {
    let mut sources = if a.no_default_rules {
        Vec::new()
    } else {
        RuleSource::defaults()
    };
    for path in &a.rules {
        sources.extend(
            rules::sources_from_path(path)
                .map_err(|e| format!("error: rules {}: {e}", path.display()))?,
        );
    }
    Ok(sources)
}

/// Loads the effective rule set (see [`sources`]). Errors are rendered diagnostics,
/// ready to print on standard error, coloured on a terminal unless NO_COLOR is set.
pub fn load_rules(a: &RuleArgs) -> Result<Ruleset, String> {
    load_rules_with(a, ColorChoice::Auto)
}

/// [`load_rules`] with diagnostics coloured as `color` says for standard error.
pub fn load_rules_with(a: &RuleArgs, color: ColorChoice) -> Result<Ruleset, String> {
    let sources = sources(a)?;
    Ruleset::from_sources(
        &sources,
        Limits {
            regex_size: a.regex_size_limit,
        },
    )
    .map_err(|d| d.render(color.enabled_stderr()))
}
