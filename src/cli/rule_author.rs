//! The rule author's verbs: `lint`, `fmt`, `roles`.

use super::{Outcome, RulesArg, TextOrJson, Ui, load_rule_set};
use crate::diagnostic::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::loader;
use std::path::{Path, PathBuf};

pub fn lint(
    ui: &mut Ui,
    path: Option<PathBuf>,
    rules: Option<PathBuf>,
    format: TextOrJson,
) -> Outcome {
    let target = match super::target(path, rules) {
        Ok(target) => target,
        Err(diagnostic) => {
            ui.error(*diagnostic);
            return Outcome::Failed;
        }
    };
    // One file of the rule set is checked with the rest of the set, and only
    // its own problems are reported.
    let loaded = match loader::lint_rules(&target.rule_set) {
        Ok(mut loaded) => {
            if let Some(focus) = &target.focus {
                loaded.diagnostics.retain(|d| {
                    d.file
                        .as_ref()
                        .is_none_or(|f| loader::is_within(Path::new(&f.name), focus))
                });
                loaded
                    .files
                    .retain(|f| loader::is_within(Path::new(&f.name), focus));
            }
            loaded
        }
        Err(diagnostics) => {
            // Unreadable is not "problems found": it could not do the job.
            ui.diagnostics(&diagnostics);
            return Outcome::Failed;
        }
    };
    let errors = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = loaded.diagnostics.len() - errors;
    match format {
        TextOrJson::Json => {
            let report = serde_json::json!({
                "files": loaded.files.iter().map(|f| f.name.clone()).collect::<Vec<_>>(),
                "errors": errors,
                "warnings": warnings,
                "diagnostics": loaded.diagnostics.iter().map(Diagnostic::to_json).collect::<Vec<_>>(),
            });
            ui.out(&format!(
                "{}\n",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            ));
        }
        TextOrJson::Text => {
            ui.diagnostics(&loaded.diagnostics);
            let files = loaded.files.len();
            let summary = if errors == 0 && warnings == 0 {
                format!("{files} file{} checked: no problems", plural(files))
            } else {
                format!(
                    "{files} file{} checked: {errors} error{}, {warnings} warning{}",
                    plural(files),
                    plural(errors),
                    plural(warnings)
                )
            };
            ui.note(&summary);
        }
    }
    if errors > 0 {
        Outcome::No
    } else {
        Outcome::Yes
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub fn fmt(ui: &mut Ui, path: Option<PathBuf>, rules: Option<PathBuf>, check: bool) -> Outcome {
    // `fmt` rewrites files one by one: the set matters only to check that
    // PATH lies in `--rules`; PATH (else the set) is what is formatted.
    let path = match super::target(path, rules) {
        Ok(target) => target.focus.unwrap_or(target.rule_set),
        Err(diagnostic) => {
            ui.error(*diagnostic);
            return Outcome::Failed;
        }
    };
    let files = match loader::find_rule_files(&path) {
        Ok(files) => files,
        Err(diagnostic) => {
            ui.error(*diagnostic);
            return Outcome::Failed;
        }
    };
    let mut failed = false;
    let mut changed = Vec::new();
    for file_path in files {
        let source = match loader::read_source(&file_path) {
            Ok(source) => source,
            Err(diagnostic) => {
                ui.error(*diagnostic);
                failed = true;
                continue;
            }
        };
        let formatted = match crate::format::format_source(&source) {
            Ok(formatted) => formatted,
            Err(diagnostics) => {
                ui.diagnostics(&diagnostics);
                failed = true;
                continue;
            }
        };
        let formatted = LineEnding::of(&source.text).apply(&formatted);
        if formatted == *source.text {
            continue;
        }
        if check {
            ui.out(&format!("{}\n", file_path.display()));
        } else if let Err(refusal) = write_atomically(&file_path, &formatted) {
            ui.error(refusal.diagnostic(&file_path).in_file(&source));
            failed = true;
            continue;
        } else {
            ui.out(&format!("formatted {}\n", file_path.display()));
        }
        changed.push(file_path);
    }
    if failed {
        Outcome::Failed
    } else if check && !changed.is_empty() {
        ui.note(&format!(
            "{} file{} not formatted; run `eligo fmt {}` to rewrite {}",
            changed.len(),
            plural(changed.len()),
            path.display(),
            if changed.len() == 1 { "it" } else { "them" }
        ));
        Outcome::No
    } else {
        Outcome::Yes
    }
}

/// Line endings of a rule file: those of its first line, applied to every
/// line, so a CRLF file stays CRLF throughout and no file comes out mixed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineEnding {
    Lf,
    CrLf,
}

impl LineEnding {
    pub fn of(text: &str) -> LineEnding {
        match text.find('\n') {
            Some(index) if text[..index].ends_with('\r') => LineEnding::CrLf,
            _ => LineEnding::Lf,
        }
    }

    /// `text` with every line ending (LF or CRLF) written as `self`.
    pub fn apply(self, text: &str) -> String {
        let lf = text.replace("\r\n", "\n");
        match self {
            LineEnding::Lf => lf,
            LineEnding::CrLf => lf.replace('\n', "\r\n"),
        }
    }
}

/// Why `fmt` did not rewrite a file.
#[derive(Debug)]
pub enum WriteRefusal {
    /// No write permission bit is set (0444): the user meant it unchanged.
    ReadOnly,
    /// Renaming over a file with several hard links would split them.
    HardLinks(u64),
    /// The new file could not be given the old one's owner and group.
    Owner(std::io::Error),
    Io(std::io::Error),
}

impl From<std::io::Error> for WriteRefusal {
    fn from(error: std::io::Error) -> Self {
        WriteRefusal::Io(error)
    }
}

impl WriteRefusal {
    fn diagnostic(&self, path: &std::path::Path) -> Diagnostic {
        let shown = path.display();
        match self {
            WriteRefusal::ReadOnly => Diagnostic::error(Code::ReadOnly,
                format!("cannot format `{shown}`: the file is read-only"),
            )
            .help("make it writable (`chmod u+w`) if it should be rewritten, or use `eligo fmt --check`"),
            WriteRefusal::HardLinks(links) => Diagnostic::error(Code::HardLinks,
                format!("cannot format `{shown}`: the file has {links} hard links"),
            )
            .help("eligo replaces a file by renaming a new one over it, which would leave the other links with the old text; format a copy, or use `eligo fmt --check`"),
            WriteRefusal::Owner(error) => Diagnostic::error(Code::Owner,
                format!(
                    "cannot format `{shown}`: cannot give the new file the old one's owner: {}",
                    loader::io_reason(error)
                ),
            )
            .help("run eligo as the file's owner (or as root)"),
            WriteRefusal::Io(error) => Diagnostic::error(Code::Io,
                format!("cannot write `{shown}`: {}", loader::io_reason(error)),
            ),
        }
    }
}

/// The name of the temporary file beside `target` for attempt `attempt`.
fn temporary_name(target: &std::path::Path, attempt: u32) -> std::path::PathBuf {
    let folder = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    folder.join(format!(
        ".{name}.eligo-fmt-{}-{attempt}",
        std::process::id()
    ))
}

/// Replaces the file at `path` by `text` so that it is either the old or the
/// new text, never half of one, and otherwise the same file to its user:
/// a symbolic link stays a link (its target is rewritten), mode, owner and
/// group are kept. The new text goes to a temporary file created
/// exclusively (`O_EXCL`, so nothing planted under its name is followed)
/// beside the target, then renamed over it. Read-only files and files with
/// several hard links are refused rather than changed behind the user's back.
pub fn write_atomically(path: &std::path::Path, text: &str) -> Result<(), WriteRefusal> {
    use std::io::Write;
    let target = std::fs::canonicalize(path)?;
    let metadata = std::fs::metadata(&target)?;
    let permissions = metadata.permissions();
    #[cfg(unix)]
    let (mode, links, owner, group) = {
        use std::os::unix::fs::MetadataExt;
        (
            metadata.mode() & 0o7777,
            metadata.nlink(),
            metadata.uid(),
            metadata.gid(),
        )
    };
    #[cfg(unix)]
    {
        // Root may write a 0444 file; the user still meant it unchanged.
        if mode & 0o222 == 0 {
            return Err(WriteRefusal::ReadOnly);
        }
        if links > 1 {
            return Err(WriteRefusal::HardLinks(links));
        }
    }
    #[cfg(not(unix))]
    if permissions.readonly() {
        return Err(WriteRefusal::ReadOnly);
    }
    let mut attempt = 0;
    let (temporary, mut file) = loop {
        let temporary = temporary_name(&target, attempt);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // Never more open than the original while the text is written.
            options.mode(mode & 0o777);
        }
        match options.open(&temporary) {
            Ok(file) => break (temporary, file),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(error) => return Err(error.into()),
        }
    };
    let result = (|| {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let created = file.metadata()?;
            if created.uid() != owner || created.gid() != group {
                std::os::unix::fs::fchown(&file, Some(owner), Some(group))
                    .map_err(WriteRefusal::Owner)?;
            }
        }
        // After chown, which clears set-id bits.
        file.set_permissions(permissions)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temporary, &target)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

pub fn roles(ui: &mut Ui, rules: &RulesArg, format: TextOrJson) -> Outcome {
    let rule_set = match load_rule_set(ui, rules.rules.clone()) {
        Ok(rule_set) => rule_set,
        Err(outcome) => return outcome,
    };
    match format {
        TextOrJson::Json => ui.out(&crate::render::json::roles_json(&rule_set)),
        TextOrJson::Text => {
            let width = rule_set.roles.iter().map(|r| r.id.len()).max().unwrap_or(0);
            for role in &rule_set.roles {
                ui.out(&format!("{:width$}  {}\n", role.id, role.title));
            }
        }
    }
    Outcome::Yes
}

pub fn explain(
    ui: &mut Ui,
    id: &str,
    rules: &RulesArg,
    format: TextOrJson,
    as_of: Option<crate::date::Date>,
) -> Outcome {
    let rule_set = match load_rule_set(ui, rules.rules.clone()) {
        Ok(rule_set) => rule_set,
        Err(outcome) => return outcome,
    };
    let role = match super::candidate::resolve_roles(&rule_set, &[id.to_string()]) {
        Ok(roles) => &rule_set[roles[0]],
        Err(diagnostics) => {
            ui.diagnostics(&diagnostics);
            return Outcome::Failed;
        }
    };
    let today = as_of.unwrap_or_else(crate::date::Date::today);
    let explanation = crate::render::explain::explain(&rule_set, role, today);
    match format {
        TextOrJson::Json => ui.out(&crate::render::explain::explain_json(
            &rule_set,
            &explanation,
        )),
        TextOrJson::Text => ui.out(&crate::render::explain::render_text(&explanation)),
    }
    Outcome::Yes
}

/// `eligo vocabulary [KIND]`: the values profiles may use, with aliases and groups.
pub fn vocabulary(
    ui: &mut Ui,
    kind: Option<String>,
    rules: &RulesArg,
    format: TextOrJson,
) -> Outcome {
    use crate::ruleset::VocabularyKind;
    let rule_set = match load_rule_set(ui, rules.rules.clone()) {
        Ok(rule_set) => rule_set,
        Err(outcome) => return outcome,
    };
    let kinds: Vec<VocabularyKind> = match kind {
        None => rule_set.vocabularies.by_kind.keys().copied().collect(),
        Some(word) => match VocabularyKind::from_keyword(&word) {
            Some(kind) => vec![kind],
            None => {
                let help = VocabularyKind::help_for(&word);
                ui.error(
                    Diagnostic::error(Code::UnknownName, format!("no vocabulary named `{word}`"))
                        .help(help),
                );
                return Outcome::Failed;
            }
        },
    };
    let (json, text) = crate::render::explain::vocabulary_documents(&rule_set, &kinds);
    match format {
        TextOrJson::Json => ui.out(&json),
        TextOrJson::Text => ui.out(text.trim_end_matches('\n')),
    }
    if format == TextOrJson::Text {
        ui.out("\n");
    }
    Outcome::Yes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_follow_the_first_line() {
        assert_eq!(LineEnding::of("a\r\nb\n"), LineEnding::CrLf);
        assert_eq!(LineEnding::of("a\nb\r\n"), LineEnding::Lf);
        assert_eq!(LineEnding::of("no newline"), LineEnding::Lf);
        assert_eq!(LineEnding::CrLf.apply("a\nb\r\nc\n"), "a\r\nb\r\nc\r\n");
        assert_eq!(LineEnding::Lf.apply("a\r\nb\n"), "a\nb\n");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_planted_under_the_temporary_name_is_not_followed() {
        let dir = std::env::temp_dir().join(format!("eligo-fmt-planted-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("rules.elig");
        std::fs::write(&target, "old\n").unwrap();
        let victim = dir.join("victim");
        std::fs::write(&victim, "precious\n").unwrap();
        let target = std::fs::canonicalize(&target).unwrap();
        std::os::unix::fs::symlink(&victim, temporary_name(&target, 0)).unwrap();

        write_atomically(&target, "new\n").unwrap();

        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new\n");
        assert!(
            std::fs::symlink_metadata(temporary_name(&target, 0))
                .unwrap()
                .file_type()
                .is_symlink(),
            "the planted link is left alone"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
