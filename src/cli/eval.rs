//! `rinse eval`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

#[derive(Args)]
pub struct EvalArgs {
    /// Folder of gold bodies (NAME.txt).
    #[arg(long, value_name = "DIR")]
    pub gold: PathBuf,
    /// Folder of cleaned bodies (NAME.txt).
    pub cleaned: PathBuf,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Exit with status 1 when the total F1 is below this.
    #[arg(long, value_name = "F1")]
    pub min_f1: Option<f64>,
}

pub fn run(a: EvalArgs) -> Result<ExitCode, String> {
    for (what, dir) in [("gold", &a.gold), ("cleaned", &a.cleaned)] {
        if !dir.is_dir() {
            return Err(format!(
                "error: {what} folder {} {}; give a folder of NAME.txt bodies (e.g. `rinse eval --gold tests/gold cleaned` after `rinse clean seeds`)",
                dir.display(),
                if dir.exists() { "is not a folder" } else { "does not exist" }
            ));
        }
    }
    let report = rinse::eval::eval_dirs(&a.gold, &a.cleaned)
        .map_err(|e| format!("error: {}: {e}", a.gold.display()))?;
    if report.docs.is_empty() {
        return Err(format!(
            "error: gold folder {} holds no NAME.txt bodies",
            a.gold.display()
        ));
    }
    if report.docs.iter().all(|d| !d.found) {
        return Err(format!(
            "error: none of the {} gold bodies has a cleaned body of the same name in {}; is it the output of `rinse clean` on the same inputs?",
            report.docs.len(),
            a.cleaned.display()
        ));
    }
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("serialises")
        );
    } else {
        println!("{report}");
    }
    Ok(match a.min_f1 {
        Some(min) if report.f1 < min => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    })
}
