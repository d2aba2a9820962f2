//! What `eligo screen` reads: JSON Lines files, single profile files (JSON or
//! TOML), folders of them, and standard input.

use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// One profile per line; blank lines are skipped.
    JsonLines,
    /// One profile in the whole file (`.json` or `.toml`).
    Profile,
}

/// One input, after folders are expanded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// `None` for standard input.
    pub path: Option<PathBuf>,
    pub kind: SourceKind,
    /// How rows and messages name it: the path as given or found, `<stdin>`.
    pub name: String,
    /// Bytes, when known (for progress).
    pub len: Option<u64>,
}

impl Source {
    pub fn stdin() -> Source {
        Source {
            path: None,
            kind: SourceKind::JsonLines,
            name: "<stdin>".to_string(),
            len: None,
        }
    }

    fn file(path: PathBuf, kind: SourceKind) -> Source {
        let len = std::fs::metadata(&path).ok().map(|m| m.len());
        Source {
            name: path.display().to_string(),
            path: Some(path),
            kind,
            len,
        }
    }
}

/// The file extensions found in folders, and what they hold.
fn kind_of(path: &Path) -> Option<SourceKind> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "jsonl" | "ndjson" => Some(SourceKind::JsonLines),
        "json" | "toml" => Some(SourceKind::Profile),
        _ => None,
    }
}

/// The inputs once expanded.
#[derive(Debug, Default)]
pub struct Expanded {
    pub sources: Vec<Source>,
    /// E.g. a folder with no profile in it.
    pub warnings: Vec<Diagnostic>,
}

/// Expands the command line's inputs, in the order given: `-` is standard
/// input (JSON Lines); a folder contributes its `.jsonl`, `.ndjson`, `.json`
/// and `.toml` files, recursively, sorted by name (hidden entries skipped);
/// a file named explicitly is read as one profile when it ends in `.json` or
/// `.toml`, else as JSON Lines. An input that does not exist is an error.
pub fn expand_inputs(inputs: &[PathBuf]) -> Result<Expanded, Vec<Diagnostic>> {
    let mut expanded = Expanded::default();
    let mut errors = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            expanded.sources.push(Source::stdin());
            continue;
        }
        match std::fs::metadata(input) {
            Ok(meta) if meta.is_dir() => {
                let before = expanded.sources.len();
                if let Err(error) = walk(input, &mut expanded.sources, &mut expanded.warnings) {
                    errors.push(cannot_read(input, &error));
                } else if expanded.sources.len() == before {
                    expanded.warnings.push(
                        Diagnostic::warning(Code::NoProfiles,
                            format!("no profiles in the folder `{}`", input.display()),
                        )
                        .help("eligo screen reads `.jsonl` (one profile per line), `.json` and `.toml` files"),
                    );
                }
            }
            Ok(meta) => {
                if let Some(kind) = crate::loader::special_kind(meta.file_type()) {
                    errors.push(not_a_file(input, kind));
                    continue;
                }
                let kind = kind_of(input).unwrap_or(SourceKind::JsonLines);
                expanded.sources.push(Source::file(input.clone(), kind));
            }
            Err(error) => errors.push(cannot_read(input, &error)),
        }
    }
    if errors.is_empty() {
        Ok(expanded)
    } else {
        Err(errors)
    }
}

/// Profile files in `folder`; special files (named pipes, devices, links to
/// them) are skipped with a warning, never opened.
fn walk(
    folder: &Path,
    out: &mut Vec<Source>,
    warnings: &mut Vec<Diagnostic>,
) -> std::io::Result<()> {
    let mut entries: Vec<(std::ffi::OsString, PathBuf)> = std::fs::read_dir(folder)?
        .filter_map(Result::ok)
        .map(|entry| (entry.file_name(), entry.path()))
        .filter(|(name, _)| !name.to_string_lossy().starts_with('.'))
        .collect();
    entries.sort();
    for (_, path) in entries {
        // Symbolic links to folders are not followed (no cycles).
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            walk(&path, out, warnings)?;
        } else if let Some(kind) = kind_of(&path) {
            // What a link points at decides; a link to a folder is skipped.
            let target = if meta.file_type().is_symlink() {
                match std::fs::metadata(&path) {
                    Ok(target) if target.is_dir() => continue,
                    Ok(target) => target.file_type(),
                    Err(_) => meta.file_type(),
                }
            } else {
                meta.file_type()
            };
            match crate::loader::special_kind(target) {
                Some(what) if !target.is_symlink() => warnings.push(
                    Diagnostic::warning(
                        Code::NotAFile,
                        format!(
                            "skipped `{}`: it is {what}, not a regular file",
                            path.display()
                        ),
                    )
                    .help("eligo screen reads only regular files (a symbolic link to one is fine)"),
                ),
                _ => out.push(Source::file(path, kind)),
            }
        }
    }
    Ok(())
}

fn not_a_file(path: &Path, what: &str) -> Diagnostic {
    Diagnostic::error(Code::NotAFile,
        format!("cannot read `{}`: it is {what}, not a regular file", path.display()),
    )
    .help("eligo screen reads only regular files (a symbolic link to one is fine); to read from a pipe, give `-` for standard input")
}

fn cannot_read(path: &Path, error: &std::io::Error) -> Diagnostic {
    let why = match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
        _ => crate::loader::io_reason(error),
    };
    Diagnostic::error(Code::UnreadableInput, format!("cannot read `{}`: {why}", path.display()))
        .help("give JSON Lines files, profile files (`.json`, `.toml`), folders of them, or `-` for standard input")
}

/// A profile whose `birth_date` is after the evaluation date describes no
/// one yet (an age of -64 years is a typo, not an answer): the message that
/// refuses it, or `None`. Checked wherever profiles meet a date (`check`,
/// `screen`), since loading alone does not know the date.
pub fn born_after(profile: &crate::profile::Profile, as_of: crate::date::Date) -> Option<String> {
    let born = profile.birth_date?;
    (born > as_of)
        .then(|| format!("`birth_date` {born} is after the evaluation date {as_of} (`--as-of`)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_walked_sorted_and_recursively() {
        let dir = scratch("walk");
        let root = dir.as_path();
        std::fs::create_dir_all(root.join("b/inner")).unwrap();
        for name in [
            "c.json",
            "a.jsonl",
            "b/inner/z.toml",
            "b/y.json",
            "notes.txt",
            ".hidden.json",
        ] {
            std::fs::write(root.join(name), "{}").unwrap();
        }
        let expanded = expand_inputs(&[root.to_path_buf()]).unwrap();
        let names: Vec<_> = expanded
            .sources
            .iter()
            .map(|s| {
                s.path
                    .as_ref()
                    .unwrap()
                    .strip_prefix(root)
                    .unwrap()
                    .to_path_buf()
            })
            .collect();
        assert_eq!(
            names,
            ["a.jsonl", "b/inner/z.toml", "b/y.json", "c.json"].map(PathBuf::from)
        );
        assert_eq!(expanded.sources[0].kind, SourceKind::JsonLines);
        assert_eq!(expanded.sources[1].kind, SourceKind::Profile);
        assert!(expand_inputs(&[root.join("missing")]).is_err());
        let empty = scratch("empty");
        assert_eq!(
            expand_inputs(std::slice::from_ref(&empty))
                .unwrap()
                .warnings
                .len(),
            1
        );
        let _ = std::fs::remove_dir_all(dir);
        let _ = std::fs::remove_dir_all(empty);
    }

    fn scratch(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("eligo-screen-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
