//! The rule author's verbs: `lint`, `fmt`, `roles`.

use super::{Outcome, RulesArg, TextOrJson, Ui, load_rule_set, rules_path};
use crate::diagnostic::{Diagnostic, Severity};
use crate::loader;
use std::path::PathBuf;

pub fn lint(ui: &mut Ui, path: Option<PathBuf>, format: TextOrJson) -> Outcome {
    let path = match rules_path(path) {
        Ok(path) => path,
        Err(diagnostic) => {
            ui.error(*diagnostic);
            return Outcome::Failed;
        }
    };
    // One file of the rule set is checked with the rest of the set, and only
    // its own problems are reported.
    let default_set = rules_path(None).ok();
    let focus =
        loader::enclosing_rule_set(&path, default_set.as_deref()).map(|set| (set, path.clone()));
    let load_from = focus.as_ref().map_or(path.clone(), |(set, _)| set.clone());
    let loaded = match loader::load_rules(&load_from) {
        Ok(mut loaded) => {
            if let Some((_, file)) = &focus {
                loaded.diagnostics.retain(|d| {
                    d.file
                        .as_ref()
                        .is_none_or(|f| loader::same_file(&f.name, file))
                });
                loaded.files.retain(|f| loader::same_file(&f.name, file));
            }
            loaded
        }
        Err(diagnostics) => {
            // Unreadable is not "problems found": it could not do the job.
            if diagnostics.iter().all(|d| d.code != "encoding") {
                ui.diagnostics(&diagnostics);
                return Outcome::Failed;
            }
            loader::Loaded {
                files: Vec::new(),
                rules: None,
                diagnostics,
            }
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

pub fn fmt(ui: &mut Ui, path: Option<PathBuf>, check: bool) -> Outcome {
    let path = match rules_path(path) {
        Ok(path) => path,
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
        if formatted == *source.text {
            continue;
        }
        if check {
            ui.out(&format!("{}\n", file_path.display()));
        } else if let Err(error) = write_atomically(&file_path, &formatted) {
            ui.error(Diagnostic::error(
                "io",
                format!(
                    "cannot write `{}`: {}",
                    file_path.display(),
                    loader::io_reason(&error)
                ),
            ));
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

/// Writes beside the target and renames over it, so the file is either the
/// old or the new text, never half of one; keeps the file's permissions.
pub fn write_atomically(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = folder.join(format!(".{name}.eligo-fmt-{}", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        if let Ok(metadata) = std::fs::metadata(path) {
            std::fs::set_permissions(&temporary, metadata.permissions())?;
        }
        std::fs::rename(&temporary, path)
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
        TextOrJson::Json => {
            let roles: Vec<_> = rule_set
                .roles
                .iter()
                .map(|role| serde_json::json!({ "id": role.id, "title": role.title }))
                .collect();
            ui.out(&format!(
                "{}\n",
                serde_json::to_string_pretty(&roles).unwrap_or_default()
            ));
        }
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
        Ok(roles) => &rule_set.roles[roles[0]],
        Err(diagnostics) => {
            ui.diagnostics(&diagnostics);
            return Outcome::Failed;
        }
    };
    let today = as_of.unwrap_or_else(crate::date::Date::today);
    let explanation = crate::explain::explain(&rule_set, role, today);
    match format {
        TextOrJson::Json => {
            ui.out(&format!(
                "{}\n",
                serde_json::to_string_pretty(&explanation).unwrap_or_default()
            ));
        }
        TextOrJson::Text => ui.out(&crate::explain::render_text(&explanation)),
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
                    Diagnostic::error("unknown-name", format!("no vocabulary named `{word}`"))
                        .help(help),
                );
                return Outcome::Failed;
            }
        },
    };
    let mut json = serde_json::Map::new();
    let mut text = String::new();
    for kind in kinds {
        let Some(vocabulary) = rule_set.vocabularies.by_kind.get(&kind) else {
            text.push_str(&format!(
                "{}: no vocabulary; any value is compared as written\n\n",
                kind.keyword()
            ));
            continue;
        };
        let mut terms = Vec::new();
        text.push_str(&format!("{}:\n", kind.keyword()));
        for (canonical, written) in &vocabulary.terms {
            let mut aliases: Vec<&str> = vocabulary
                .lookup
                .iter()
                .filter(|(spelling, target)| *target == canonical && *spelling != canonical)
                .map(|(spelling, _)| spelling.as_str())
                .collect();
            aliases.sort_unstable();
            if aliases.is_empty() {
                text.push_str(&format!("  {written}\n"));
            } else {
                text.push_str(&format!("  {written}  (also: {})\n", aliases.join(", ")));
            }
            terms.push(serde_json::json!({ "term": written, "aliases": aliases }));
        }
        let groups: serde_json::Map<String, serde_json::Value> = vocabulary
            .groups
            .iter()
            .map(|(name, members)| (name.clone(), serde_json::json!(members)))
            .collect();
        for (name, members) in &vocabulary.groups {
            text.push_str(&format!("  group \"{name}\": {}\n", members.join(", ")));
        }
        text.push('\n');
        json.insert(
            kind.keyword().to_string(),
            serde_json::json!({ "terms": terms, "groups": groups }),
        );
    }
    match format {
        TextOrJson::Json => ui.out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        )),
        TextOrJson::Text => ui.out(text.trim_end_matches('\n')),
    }
    if format == TextOrJson::Text {
        ui.out("\n");
    }
    Outcome::Yes
}
