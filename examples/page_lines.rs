//! Runs the whole-page classifier alone over a folder of text files and writes the lines
//! it keeps (for scoring the classifier apart from the rules), or explains every line of
//! one file.
//!
//!     cargo run --release --example page_lines -- IN_DIR OUT_DIR
//!     cargo run --release --example page_lines -- --explain FILE

use std::path::Path;

use rinse::classify::{analyze_text, text_lines};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag, file] if flag == "--explain" => {
            let text = std::fs::read_to_string(file)?;
            let lines = text_lines(&text);
            let a = analyze_text(&text).ok_or("too many lines to be a page")?;
            println!("{}", a.verdict.reason);
            if let Some(art) = &a.article {
                println!("{art:?}");
            }
            for (i, (l, r)) in lines.iter().zip(&a.lines).enumerate() {
                let line: String = l.chars().take(60).collect();
                println!(
                    "{:5} {} {:9} {:8} {:+7.2} {:18} {line}",
                    i + 1,
                    if r.decision.keeps() { "k" } else { " " },
                    r.class.name(),
                    format!("{:?}", r.context),
                    r.score,
                    r.reason.describe(),
                );
            }
        }
        [input, output] => {
            std::fs::create_dir_all(output)?;
            let mut names: Vec<_> = std::fs::read_dir(input)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .collect();
            names.sort();
            for path in names {
                let text = String::from_utf8_lossy(&std::fs::read(&path)?).into_owned();
                let a = analyze_text(&text);
                let mut out = String::new();
                for (i, l) in text_lines(&text).iter().enumerate() {
                    if a.as_ref().is_none_or(|a| a.keeps(i)) {
                        out.push_str(l);
                        out.push('\n');
                    }
                }
                std::fs::write(Path::new(output).join(path.file_name().unwrap()), out)?;
            }
        }
        _ => return Err("usage: page_lines IN_DIR OUT_DIR | --explain FILE".into()),
    }
    Ok(())
}
