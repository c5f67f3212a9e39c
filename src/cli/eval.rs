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
    let report = rinse::eval::eval_dirs(&a.gold, &a.cleaned)
        .map_err(|e| format!("error: {}: {e}", a.gold.display()))?;
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
