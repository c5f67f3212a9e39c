//! `rinse rules`: list, check, test, show and export rule files.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use rinse::engine::examples;
use rinse::rules::{self, Limits, Matcher, Rule, RuleSource, Ruleset};
use rinse::Cleaner;

use super::common::{sources, RuleArgs};
use super::term::ColorChoice;

/// Arguments of `rinse rules`.
#[derive(Args)]
#[command(
    after_help = "Examples:\n  rinse rules list --category footer     # every rule: id, category, action, file:line\n  rinse rules check --rules my-rules/    # validate; every problem at once\n  rinse rules test --rules my-rules/     # run the rules' examples\n  rinse rules show ad.wechat-prompt      # one rule in full, and where it came from\n  rinse rules export my-rules/           # write the defaults out to edit them\n  rinse rules explain R106               # what a diagnostic code means\n\nThe rule file format is described in docs/rules.md."
)]
pub struct RulesArgs {
    /// The subcommand.
    #[command(subcommand)]
    pub command: RulesCommand,
    /// Colour diagnostics: auto (a terminal without NO_COLOR), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

/// The `rinse rules` subcommands.
#[derive(Subcommand)]
pub enum RulesCommand {
    /// List every effective rule: id, category, action, where it was defined, description.
    #[command(
        after_help = "Examples:\n  rinse rules list\n  rinse rules list --category footer\n  rinse rules list --rules my-rules/ --json"
    )]
    List(ListArgs),
    /// Validate rule files and report every problem, like a compiler (exit status 1).
    #[command(
        after_help = "Examples:\n  rinse rules check                       # the embedded defaults\n  rinse rules check --rules my-rules/     # defaults + your folder\n  rinse rules check --rules my-rules/ --no-default-rules"
    )]
    Check(CheckArgs),
    /// Run every rule's examples (hit, miss, rewrite) and print the failures.
    #[command(
        after_help = "Examples:\n  rinse rules test\n  rinse rules test --rules my-rules/ footer.      # only ids starting with `footer.`\n  rinse rules test --rules my-rules/ my-rules/site.toml    # the rules of one file\n  rinse rules test --rules my-rules/ --require-examples\n\nA `hit` example must be edited by the rule, a `miss` example must not be, and a\n`rewrite` pair [input, expected] must give `expected` with only the rule's edits\napplied. Examples see the whole rule set, with `head`/`tail` conditions and site\nscopes ignored."
    )]
    Test(TestArgs),
    /// Show one rule in full: its fields, its source text, and where it came from.
    #[command(
        after_help = "Examples:\n  rinse rules show footer.icp\n  rinse rules show ad.wechat-prompt --rules my-rules/"
    )]
    Show(ShowArgs),
    /// Write the embedded default rule files to DIR, to copy and edit them.
    #[command(
        after_help = "Examples:\n  rinse rules export my-rules/\n  rinse clean seeds --rules my-rules/ --no-default-rules   # same output as the defaults\n\nExisting files are never overwritten unless --force is given."
    )]
    Export(ExportArgs),
    /// Explain a diagnostic code (`R106`, or its name `invalid-regex`); without one, list
    /// every code.
    #[command(
        after_help = "Examples:\n  rinse rules explain R106\n  rinse rules explain unknown-field\n  rinse rules explain          # every code, one line each"
    )]
    Explain(ExplainCodeArgs),
}

/// Arguments of `rinse rules explain`.
#[derive(Args)]
pub struct ExplainCodeArgs {
    /// The code (`R106`) or its name (`invalid-regex`).
    pub code: Option<String>,
}

/// Arguments of `rinse rules list`.
#[derive(Args)]
pub struct ListArgs {
    /// Which rules to load.
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Only rules of this category (footer, related, ad-contact, ...).
    #[arg(long, value_name = "NAME")]
    pub category: Option<String>,
    /// Print JSON (one object per rule) instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `rinse rules check`.
#[derive(Args)]
pub struct CheckArgs {
    /// Which rules to load.
    #[command(flatten)]
    pub rules: RuleArgs,
}

/// Arguments of `rinse rules test`.
#[derive(Args)]
pub struct TestArgs {
    /// Which rules to load.
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Only these rules: rule ids, id prefixes (`footer.`), or rule files or folders
    /// (`my-rules/site.toml`, `rules/common/`). A filter that selects no rule is an
    /// error (exit status 1).
    #[arg(value_name = "RULE|PREFIX|PATH")]
    pub only: Vec<String>,
    /// Fail when a rule (built-in stages aside) lacks a positive or a negative example.
    #[arg(long)]
    pub require_examples: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `rinse rules show`.
#[derive(Args)]
pub struct ShowArgs {
    /// The rule id, e.g. `footer.icp`.
    pub id: String,
    /// Which rules to load.
    #[command(flatten)]
    pub rules: RuleArgs,
}

/// Arguments of `rinse rules export`.
#[derive(Args)]
pub struct ExportArgs {
    /// Folder to write the default rule files into (created if missing).
    pub dir: PathBuf,
    /// Overwrite files that already exist.
    #[arg(long)]
    pub force: bool,
}

fn explain_code(a: ExplainCodeArgs) -> Result<ExitCode, String> {
    use rinse::rules::Code;
    let Some(given) = a.code else {
        for c in Code::ALL {
            let kind = if c.is_warning() { "warning" } else { "error" };
            println!("{}  {:<22} {kind}", c.as_str(), c.name());
        }
        return Ok(ExitCode::SUCCESS);
    };
    let c = Code::parse(&given).ok_or_else(|| {
        let names: Vec<&str> = Code::ALL
            .iter()
            .flat_map(|c| [c.as_str(), c.name()])
            .collect();
        let hint = rules::suggest(&given, &names)
            .map(|s| format!(" did you mean `{s}`?"))
            .unwrap_or_default();
        format!("error: no diagnostic code `{given}`;{hint} `rinse rules explain` lists them all")
    })?;
    println!(
        "{} ({}): {}\n",
        c.as_str(),
        c.name(),
        if c.is_warning() { "warning" } else { "error" }
    );
    println!("{}", c.explanation());
    Ok(ExitCode::SUCCESS)
}

/// Runs `rinse rules ...`.
pub fn run(a: RulesArgs) -> Result<ExitCode, String> {
    let color = a.color.enabled_stderr();
    match a.command {
        RulesCommand::List(a) => list(a, color),
        RulesCommand::Check(a) => check(a, color),
        RulesCommand::Test(a) => test(a, color),
        RulesCommand::Show(a) => show(a, color),
        RulesCommand::Export(a) => export(a),
        RulesCommand::Explain(a) => explain_code(a),
    }
}

/// Loads the rule set, printing diagnostics (coloured when `color`) on failure.
fn load(a: &RuleArgs, color: bool) -> Result<Result<(Ruleset, usize), usize>, String> {
    let sources = sources(a)?;
    let limits = Limits {
        regex_size: a.regex_size_limit,
    };
    Ok(match Ruleset::from_sources(&sources, limits) {
        Ok(rs) => Ok((rs, sources.len())),
        Err(d) => {
            eprintln!("{}", d.render(color));
            Err(d.0.len())
        }
    })
}

fn matcher_text(r: &Rule) -> String {
    match &r.matcher {
        Matcher::Regex(re) => format!("regex = {re:?}"),
        Matcher::Phrases(p, m) => format!("phrases = {p:?} (phrase_match = {m:?})"),
        Matcher::Builtin(s) => format!("built-in stage {s:?}"),
    }
}

fn location(r: &Rule) -> String {
    if r.origin.line == 0 {
        r.origin.file.clone()
    } else {
        format!("{}:{}", r.origin.file, r.origin.line)
    }
}

fn list(a: ListArgs, color: bool) -> Result<ExitCode, String> {
    let rs = match load(&a.rules, color)? {
        Ok((rs, _)) => rs,
        Err(_) => return Ok(ExitCode::from(1)),
    };
    if let Some(c) = &a.category {
        let mut known: Vec<&str> = rs.rules().iter().map(|r| r.category.as_str()).collect();
        known.sort_unstable();
        known.dedup();
        if !known.contains(&c.as_str()) {
            let hint = match rules::suggest(c, &known) {
                Some(s) => format!("did you mean `{s}`? "),
                None => String::new(),
            };
            return Err(format!(
                "error: no rule has the category `{c}`; {hint}the categories are: {}",
                known.join(", ")
            ));
        }
    }
    let shown: Vec<&Rule> = rs
        .rules()
        .iter()
        .filter(|r| a.category.as_ref().is_none_or(|c| &r.category == c))
        .collect();
    if a.json {
        let v: Vec<_> = shown
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id,
                    "category": r.category,
                    "action": r.action_name(),
                    "file": r.origin.file,
                    "line": r.origin.line,
                    "default": r.origin.default,
                    "scoped": r.scope.is_some(),
                    "description": r.description,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&v).expect("serialises"));
        return Ok(ExitCode::SUCCESS);
    }
    let w_id = shown.iter().map(|r| r.id.len()).max().unwrap_or(2);
    let w_cat = shown.iter().map(|r| r.category.len()).max().unwrap_or(8);
    for r in &shown {
        println!(
            "{:w_id$}  {:w_cat$}  {:10}  {}{}\n{:w_id$}  {}",
            r.id,
            r.category,
            r.action_name(),
            location(r),
            if r.scope.is_some() { "  (scoped)" } else { "" },
            "",
            r.description,
        );
    }
    eprintln!("{} rules", shown.len());
    Ok(ExitCode::SUCCESS)
}

fn check(a: CheckArgs, color: bool) -> Result<ExitCode, String> {
    match load(&a.rules, color)? {
        Ok((rs, files)) => {
            for w in rs.warnings() {
                eprintln!("{}\n", w.render(color));
            }
            let user = rs.rules().iter().filter(|r| !r.origin.default).count();
            println!(
                "ok: {} rules from {files} files ({user} from --rules folders), fingerprint {}",
                rs.rules().len(),
                rs.fingerprint()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(_) => Ok(ExitCode::from(1)),
    }
}

fn test(a: TestArgs, color: bool) -> Result<ExitCode, String> {
    let rs = match load(&a.rules, color)? {
        Ok((rs, _)) => rs,
        Err(_) => return Ok(ExitCode::from(1)),
    };
    let cleaner = Cleaner::new(rs);
    let (_, unmatched) = rules::select::select(cleaner.ruleset(), &a.only);
    let report = examples::run(&cleaner, &a.only);
    let missing: Vec<_> = examples::missing(cleaner.ruleset())
        .into_iter()
        .filter(|(r, _)| a.only.is_empty() || a.only.iter().any(|f| rules::select::matches(f, r)))
        .collect();
    for f in &unmatched {
        let hint = rules::select::hint(cleaner.ruleset(), f)
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        eprintln!(
            "error: `{f}` selects no rule: not a rule id, an id prefix, or a rule file or folder \
             of the loaded rules{hint}"
        );
    }
    if a.json {
        let v = serde_json::json!({
            "rules": report.rules,
            "examples": report.examples,
            "failures": report.failures,
            "unmatched_filters": unmatched,
            "missing": missing.iter().map(|(r, why)| serde_json::json!({
                "rule": r.id, "file": r.origin.file, "line": r.origin.line, "missing": why,
            })).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&v).expect("serialises"));
    } else {
        for (r, why) in &missing {
            let level = if a.require_examples {
                "error"
            } else {
                "warning"
            };
            println!(
                "{level}: rule `{}` has {why}\n  --> {}\n",
                r.id,
                location(r)
            );
        }
        println!("{report}");
    }
    let bad = !report.ok() || (a.require_examples && !missing.is_empty()) || !unmatched.is_empty();
    Ok(if bad {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The TOML text of the rule defined at `line` of `file`: from its `[[rule]]` header to
/// the next header (trailing blank and comment lines dropped).
fn rule_source_text(r: &Rule, sources: &[RuleSource]) -> Option<String> {
    let src = sources.iter().find(|s| s.name == r.origin.file)?;
    let lines: Vec<&str> = src.text.lines().collect();
    let start = r.origin.line.checked_sub(1)?;
    let mut end = lines[start + 1..]
        .iter()
        .position(|l| l.trim_start().starts_with("[["))
        .map_or(lines.len(), |p| start + 1 + p);
    while end > start + 1 && {
        let l = lines[end - 1].trim();
        l.is_empty() || l.starts_with('#')
    } {
        end -= 1;
    }
    Some(lines[start..end].join("\n"))
}

fn show(a: ShowArgs, color: bool) -> Result<ExitCode, String> {
    let sources = sources(&a.rules)?;
    let rs = match load(&a.rules, color)? {
        Ok((rs, _)) => rs,
        Err(_) => return Ok(ExitCode::from(1)),
    };
    let Some(r) = rs.get(&a.id) else {
        let ids: Vec<&str> = rs.rules().iter().map(|r| r.id.as_str()).collect();
        let near = rules::suggest(&a.id, &ids)
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        return Err(format!(
            "error: no rule `{}`{near}; `rinse rules list` shows every rule id",
            a.id
        ));
    };
    println!("{}", r.id);
    println!("  category:    {}", r.category);
    println!("  action:      {}", r.action_name());
    println!("  matcher:     {}", matcher_text(r));
    if let Some(t) = &r.replace {
        println!("  replace:     {t:?}");
    }
    if r.action == rules::Action::DropBlock {
        println!("  block_max_chars: {}", r.block_max_chars);
    }
    let w = serde_json::to_value(&r.when).expect("serialises");
    let conds: Vec<String> = w
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, v)| !v.is_null() && **v != serde_json::Value::Bool(false))
        .map(|(k, v)| format!("{k} = {v}"))
        .collect();
    if !conds.is_empty() {
        println!("  when:        {}", conds.join(", "));
    }
    if let Some(s) = &r.scope {
        println!(
            "  scope:       hosts {:?}, paths {:?}, markers {:?}",
            s.hosts, s.paths, s.markers
        );
    }
    let origin = if r.origin.default {
        "embedded default"
    } else {
        "user rules folder"
    };
    println!("  defined at:  {} ({origin})", location(r));
    println!("  description: {}", r.description);
    for h in &r.examples.hit {
        println!("  hit:         {h:?}");
    }
    for m in &r.examples.miss {
        println!("  miss:        {m:?}");
    }
    for (i, e) in &r.examples.rewrite {
        println!("  rewrite:     {i:?} -> {e:?}");
    }
    if let Some(text) = rule_source_text(r, &sources) {
        println!("\n{text}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the embedded default rule files under `dir`; refuses to overwrite unless `force`.
pub fn export_to(dir: &Path, force: bool) -> Result<Vec<PathBuf>, String> {
    let files = rules::default_rule_files();
    if !force {
        let existing: Vec<String> = files
            .iter()
            .map(|(p, _)| dir.join(p))
            .filter(|p| p.exists())
            .map(|p| p.display().to_string())
            .collect();
        if !existing.is_empty() {
            return Err(format!(
                "error: refusing to overwrite existing files (use --force):\n  {}",
                existing.join("\n  ")
            ));
        }
    }
    let mut written = Vec::new();
    for (p, text) in files {
        let path = dir.join(p);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("error: {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("error: {}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

fn export(a: ExportArgs) -> Result<ExitCode, String> {
    let written = export_to(&a.dir, a.force)?;
    for p in &written {
        println!("{}", p.display());
    }
    eprintln!(
        "wrote {} rule files; use them with `--rules {} --no-default-rules`",
        written.len(),
        a.dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
