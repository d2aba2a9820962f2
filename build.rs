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
    // Worded as the records word it (`rules_extent` in src/render/record.rs).
    let mut extent = format!("{} files", files.len());
    if let Some(newest) = files
        .iter()
        .filter_map(|(_, text)| newest_checked(text))
        .max()
    {
        extent.push_str(&format!(", sources checked up to {newest}"));
    }
    println!("cargo:rustc-env=ELIGO_SHIPPED_RULES_EXTENT={extent}");
}

/// The latest `checked YYYY-MM-DD` outside strings and comments: the
/// shipped rules' newest source date (a test checks it against the
/// checker's `RuleSet::newest_source`).
fn newest_checked(text: &str) -> Option<String> {
    let mut newest: Option<String> = None;
    for line in text.lines() {
        let mut code = String::new();
        let mut in_string = false;
        let mut escaped = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if in_string {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_string = false;
                    code.push(' ');
                }
            } else if c == '"' {
                in_string = true;
            } else if c == '/' && chars.peek() == Some(&'/') {
                break;
            } else {
                code.push(c);
            }
        }
        let words: Vec<&str> = code.split_whitespace().collect();
        for pair in words.windows(2) {
            let date = pair[1];
            let shaped = date.len() == 10
                && date.bytes().enumerate().all(|(i, b)| {
                    if i == 4 || i == 7 {
                        b == b'-'
                    } else {
                        b.is_ascii_digit()
                    }
                });
            if pair[0] == "checked" && shaped && newest.as_deref().is_none_or(|n| date > n) {
                newest = Some(date.to_string());
            }
        }
    }
    newest
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
