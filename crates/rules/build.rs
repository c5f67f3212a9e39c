//! Embeds every TOML file under the repository's `rules/` into the library, so `rinse clean
//! DIR` works from any directory without a rules folder beside it.
use std::{env, fs, path::Path};

fn collect(dir: &Path, root: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .expect("read rules dir")
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            collect(&p, root, out);
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(
                p.strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
            );
        }
    }
}

fn main() {
    let root = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("../../rules");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    let mut src = String::from("/// The default rule files, as (path under rules/, contents), sorted by path.\npub static DEFAULT_RULE_FILES: &[(&str, &str)] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", root.join(f).display());
        src.push_str(&format!(
            "    ({f:?}, include_str!({:?})),\n",
            root.join(f).display().to_string()
        ));
    }
    src.push_str("];\n");
    fs::write(
        Path::new(&env::var("OUT_DIR").unwrap()).join("default_rules.rs"),
        src,
    )
    .unwrap();
}
