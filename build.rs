//! Computes the fingerprint of the shipped rule set (`rules/`) for
//! `eligo --version`, with the same code the loader uses
//! (src/fingerprint.rs), so the two always agree.

#[path = "src/fingerprint.rs"]
#[allow(dead_code)]
mod fingerprint;

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=src/fingerprint.rs");
    let root =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default()).join("rules");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    let value = if files.is_empty() {
        "none".to_string()
    } else {
        fingerprint::fingerprint(
            files
                .iter()
                .map(|(path, text)| (path.as_str(), text.as_str())),
        )
    };
    println!("cargo:rustc-env=ELIGO_SHIPPED_RULES_FINGERPRINT={value}");
    println!("cargo:rustc-env=ELIGO_SHIPPED_RULES_FILES={}", files.len());
}

/// Every `.elig` file below `folder`, with its path relative to `root`.
fn collect(root: &Path, folder: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "elig")
            && let (Ok(text), Ok(relative)) =
                (std::fs::read_to_string(&path), path.strip_prefix(root))
        {
            out.push((relative.to_string_lossy().replace('\\', "/"), text));
        }
    }
}
