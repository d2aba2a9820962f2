//! The answers of the language server, from an analysis: diagnostics in the
//! protocol's terms, hover, definition, references, symbols, completion,
//! formatting, quick fixes, code lenses and the rule-test command.

use super::RUN_TESTS;
use super::workspace::{self, Analysis, Definition, Parsed, inner_span, token_at, unquoted};
use crate::date::Date;
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::ruleset::RuleSet;
use crate::source::{SourceFile, Span};
use crate::syntax::ast::{self, ConditionKind, Item, Statement};
use crate::syntax::keywords::{KEYWORDS, RESERVED};
use crate::syntax::lexer::TokenKind;
use lsp_types::{self as types, Url};
use std::collections::HashMap;
use std::path::Path;

/// A diagnostic as the protocol carries it: the span as a range, the help,
/// notes and secondary labels as related information.
pub fn to_lsp_diagnostic(
    diagnostic: &Diagnostic,
    text: &str,
    uri_of: impl Fn(&Path) -> Option<Url>,
) -> types::Diagnostic {
    let span = diagnostic.span.unwrap_or_default();
    let range = workspace::range(text, span);
    let here = diagnostic
        .file
        .as_ref()
        .and_then(|file| uri_of(Path::new(&file.name)));
    let mut related = Vec::new();
    if let Some(uri) = &here {
        let at = |span: Span, message: String| types::DiagnosticRelatedInformation {
            location: types::Location::new(uri.clone(), workspace::range(text, span)),
            message,
        };
        for (span, label) in &diagnostic.secondary {
            related.push(at(*span, label.clone()));
        }
        if let Some(help) = &diagnostic.help {
            related.push(at(span, format!("help: {help}")));
        }
        for note in &diagnostic.notes {
            related.push(at(span, format!("note: {note}")));
        }
    }
    let message = match &diagnostic.label {
        Some(label) if !label.is_empty() => format!("{}: {label}", diagnostic.message),
        _ => diagnostic.message.clone(),
    };
    types::Diagnostic {
        range,
        severity: Some(match diagnostic.severity {
            Severity::Error => types::DiagnosticSeverity::ERROR,
            Severity::Warning => types::DiagnosticSeverity::WARNING,
        }),
        code: Some(types::NumberOrString::String(
            diagnostic.code.as_str().to_string(),
        )),
        source: Some("eligo".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..types::Diagnostic::default()
    }
}

fn markdown(value: String) -> types::Hover {
    types::Hover {
        contents: types::HoverContents::Markup(types::MarkupContent {
            kind: types::MarkupKind::Markdown,
            value,
        }),
        range: None,
    }
}

/// The most lines of a `let` a hover shows.
const HOVER_LINES: usize = 40;

pub fn hover(
    analysis: &Analysis,
    file: usize,
    offset: usize,
    rules: Option<&RuleSet>,
    today: Date,
) -> Option<types::Hover> {
    let parsed = &analysis.files[file];
    let token = token_at(parsed, offset)?;
    let word = unquoted(token.text(&parsed.source.text));
    let definitions = analysis.resolve(word);
    let mut sections = Vec::new();
    for definition in definitions {
        sections.push(match definition {
            Definition::Role { title, .. } => {
                let explained = rules.and_then(|rules| {
                    let role = rules.role(word)?;
                    let explanation = crate::render::explain::explain(rules, role, today);
                    Some(crate::render::explain::render_text(&explanation))
                });
                match explained {
                    Some(text) => format!("```text\n{}\n```", text.trim_end()),
                    None => format!(
                        "**{title}** (`{word}`)\n\nThe explanation is shown once the rule set checks without errors."
                    ),
                }
            }
            Definition::Let { file, item, .. } => {
                let source = &analysis.files[*file].source.text;
                let text = &source[item.start..item.end.min(source.len())];
                let mut lines: Vec<&str> = text.lines().take(HOVER_LINES + 1).collect();
                if lines.len() > HOVER_LINES {
                    lines.truncate(HOVER_LINES);
                    lines.push("…");
                }
                format!("```eligo\n{}\n```", lines.join("\n"))
            }
            Definition::Term {
                kind,
                term,
                aliases,
                ..
            } => {
                let mut text = format!("**{term}**: a term of the `{kind}` vocabulary");
                if !aliases.is_empty() {
                    let aliases: Vec<String> = aliases.iter().map(|a| format!("\"{a}\"")).collect();
                    text.push_str(&format!("\n\nalso written {}", aliases.join(", ")));
                }
                let groups = groups_containing(analysis, kind, term);
                if !groups.is_empty() {
                    text.push_str(&format!("\n\nin the groups {}", groups.join("; ")));
                }
                text
            }
            Definition::Group { kind, members, .. } => {
                let members: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
                format!(
                    "**{word}**: a group of the `{kind}` vocabulary, any of {}",
                    members.join(", ")
                )
            }
        });
    }
    if sections.is_empty() && token.kind == TokenKind::Word {
        // A keyword: what it means, from the one keyword table.
        if let Some(keyword) = KEYWORDS.iter().find(|k| k.text == word) {
            sections.push(format!("keyword `{}`: {}", keyword.text, keyword.doc));
        }
    }
    if sections.is_empty() {
        return None;
    }
    let mut hover = markdown(sections.join("\n\n---\n\n"));
    hover.range = Some(workspace::range(
        &parsed.source.text,
        inner_span(&token, &parsed.source.text),
    ));
    Some(hover)
}

fn groups_containing(analysis: &Analysis, kind: &str, term: &str) -> Vec<String> {
    let mut groups: Vec<String> = Vec::new();
    for (name, definitions) in &analysis.terms {
        for definition in definitions {
            if let Definition::Group {
                kind: group_kind,
                members,
                file,
                span,
            } = definition
                && group_kind == kind
                && members.iter().any(|m| m.eq_ignore_ascii_case(term))
            {
                let text = &analysis.files[*file].source.text;
                let written = unquoted(&text[span.start..span.end]).to_string();
                let shown = if written.is_empty() {
                    name.clone()
                } else {
                    written
                };
                if !groups.contains(&format!("\"{shown}\"")) {
                    groups.push(format!("\"{shown}\""));
                }
            }
        }
    }
    groups
}

pub fn definition(analysis: &Analysis, file: usize, offset: usize) -> Vec<(usize, Span)> {
    let parsed = &analysis.files[file];
    let Some(token) = token_at(parsed, offset) else {
        return Vec::new();
    };
    let word = unquoted(token.text(&parsed.source.text));
    let mut places: Vec<(usize, Span)> = analysis
        .resolve(word)
        .into_iter()
        .map(Definition::place)
        .collect();
    places.dedup();
    places
}

pub fn references(
    analysis: &Analysis,
    file: usize,
    offset: usize,
    include_declaration: bool,
) -> Vec<(usize, Span)> {
    let parsed = &analysis.files[file];
    let Some(token) = token_at(parsed, offset) else {
        return Vec::new();
    };
    let word = unquoted(token.text(&parsed.source.text));
    let declarations: Vec<(usize, Span)> = analysis
        .resolve(word)
        .into_iter()
        .map(Definition::place)
        .collect();
    analysis
        .references(word)
        .into_iter()
        .filter(|place| include_declaration || !declarations.contains(place))
        .collect()
}

#[expect(
    deprecated,
    reason = "DocumentSymbol's `deprecated` field must be given"
)]
fn symbol(
    text: &str,
    name: String,
    detail: Option<String>,
    kind: types::SymbolKind,
    span: Span,
    selection: Span,
    children: Vec<types::DocumentSymbol>,
) -> types::DocumentSymbol {
    types::DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: workspace::range(text, span),
        selection_range: workspace::range(text, selection),
        children: (!children.is_empty()).then_some(children),
    }
}

/// Roles with their routes, `let`s, vocabularies and tests, for the outline.
pub fn document_symbols(parsed: &Parsed) -> Vec<types::DocumentSymbol> {
    let text = &parsed.source.text;
    parsed
        .ast
        .items
        .iter()
        .map(|item| match item {
            Item::Role(role) => symbol(
                text,
                role.id.name.clone(),
                Some(role.title.value.clone()),
                types::SymbolKind::CLASS,
                role.span,
                role.id.span,
                routes(text, &role.body),
            ),
            Item::Let(item) => symbol(
                text,
                item.name.name.clone(),
                None,
                types::SymbolKind::VARIABLE,
                item.span,
                item.name.span,
                Vec::new(),
            ),
            Item::Vocabulary(vocabulary) => symbol(
                text,
                format!("vocabulary {}", vocabulary.kind.name),
                None,
                types::SymbolKind::ENUM,
                vocabulary.span,
                vocabulary.kind.span,
                Vec::new(),
            ),
            Item::Test(test) => symbol(
                text,
                test.name.value.clone(),
                Some("test".into()),
                types::SymbolKind::FUNCTION,
                test.span,
                test.name.span,
                Vec::new(),
            ),
        })
        .collect()
}

fn routes(text: &str, block: &ast::Block) -> Vec<types::DocumentSymbol> {
    let mut found = Vec::new();
    for statement in &block.statements {
        match statement {
            Statement::Route(route) => found.push(symbol(
                text,
                format!("route \"{}\"", route.name.value),
                None,
                types::SymbolKind::METHOD,
                route.span,
                route.name.span,
                routes(text, &route.body),
            )),
            Statement::Condition(condition) => {
                if let ConditionKind::All(inner) | ConditionKind::Any(inner) = &condition.kind {
                    found.extend(routes(text, inner));
                }
            }
            _ => {}
        }
    }
    found
}

/// Units, degree levels, trust levels and training measures: the words a
/// condition takes besides keywords and names.
fn value_words() -> Vec<(&'static str, &'static str)> {
    let mut words: Vec<(&str, &str)> = [
        "months",
        "hours",
        "years",
        "semester_hours",
        "quarter_hours",
    ]
    .into_iter()
    .map(|unit| (unit, "unit"))
    .collect();
    words.extend(
        crate::profile::DegreeLevel::ALL
            .map(crate::profile::DegreeLevel::keyword)
            .map(|level| (level, "degree level")),
    );
    words.extend(
        ast::Trust::ALL
            .map(ast::Trust::keyword)
            .map(|trust| (trust, "trust level")),
    );
    words.extend(
        ast::TrainingMeasure::ALL
            .map(ast::TrainingMeasure::keyword)
            .map(|measure| (measure, "training measure")),
    );
    words
}

fn is_bare(word: &str) -> bool {
    let mut chars = word.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !KEYWORDS.iter().any(|k| k.is(RESERVED) && k.text == word)
}

pub fn completion(analysis: &Analysis, file: usize, offset: usize) -> Vec<types::CompletionItem> {
    use types::{CompletionItem, CompletionItemKind as Kind};
    let parsed = &analysis.files[file];
    let text = &parsed.source.text;
    let in_string = token_at(parsed, offset)
        .filter(|t| t.kind == TokenKind::String && t.span.start < offset)
        .map(|t| inner_span(&t, text));
    let mut items = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for definitions in analysis.terms.values() {
        for definition in definitions {
            let (label, kind_name, vocabulary_kind) = match definition {
                Definition::Term { term, kind, .. } => (term.clone(), Kind::ENUM_MEMBER, kind),
                Definition::Group {
                    file, span, kind, ..
                } => {
                    let source = &analysis.files[*file].source.text;
                    (
                        unquoted(&source[span.start..span.end]).to_string(),
                        Kind::ENUM,
                        kind,
                    )
                }
                _ => continue,
            };
            if !seen.insert((label.clone(), vocabulary_kind.clone())) {
                continue;
            }
            let mut item = CompletionItem {
                label: label.clone(),
                kind: Some(kind_name),
                detail: Some(format!("{vocabulary_kind} vocabulary")),
                sort_text: Some(format!("2{label}")),
                ..CompletionItem::default()
            };
            match in_string {
                Some(inner) => {
                    item.text_edit = Some(types::CompletionTextEdit::Edit(types::TextEdit {
                        range: workspace::range(
                            text,
                            Span::new(inner.start, inner.end.max(offset)),
                        ),
                        new_text: label,
                    }))
                }
                None if !is_bare(&label) => item.insert_text = Some(format!("\"{label}\"")),
                None => {}
            }
            items.push(item);
        }
    }
    if in_string.is_some() {
        return items;
    }
    for keyword in KEYWORDS.iter().filter(|k| k.uses != 0) {
        items.push(CompletionItem {
            label: keyword.text.to_string(),
            kind: Some(Kind::KEYWORD),
            detail: Some(keyword.doc.to_string()),
            sort_text: Some(format!("1{}", keyword.text)),
            ..CompletionItem::default()
        });
    }
    for (name, definition) in &analysis.names {
        let (kind, detail) = match definition {
            Definition::Role { title, .. } => (Kind::CLASS, title.clone()),
            Definition::Let { file, .. } => (
                Kind::VARIABLE,
                format!(
                    "let ({})",
                    workspace::let_kind(&analysis.files[*file], name).unwrap_or("value")
                ),
            ),
            _ => continue,
        };
        items.push(CompletionItem {
            label: name.clone(),
            kind: Some(kind),
            detail: Some(detail),
            sort_text: Some(format!("0{name}")),
            ..CompletionItem::default()
        });
    }
    for (word, what) in value_words() {
        items.push(CompletionItem {
            label: word.to_string(),
            kind: Some(Kind::UNIT),
            detail: Some(what.to_string()),
            sort_text: Some(format!("1{word}")),
            ..CompletionItem::default()
        });
    }
    items
}

/// The whole buffer as `eligo fmt` writes it; none while it does not parse.
pub fn formatting(parsed: &Parsed) -> Option<Vec<types::TextEdit>> {
    let source = SourceFile::new(parsed.source.name.clone(), parsed.source.text.clone());
    let formatted = crate::format::format_source(&source).ok()?;
    if formatted == *source.text {
        return Some(Vec::new());
    }
    Some(vec![types::TextEdit {
        range: workspace::range(&source.text, Span::new(0, source.text.len())),
        new_text: formatted,
    }])
}

/// A quick fix for every diagnostic in `range` whose help is a did-you-mean.
pub fn quick_fixes(
    analysis: &Analysis,
    file: usize,
    uri: &Url,
    range: types::Range,
) -> Vec<types::CodeActionOrCommand> {
    let parsed = &analysis.files[file];
    let text = &parsed.source.text;
    let name = parsed.path.display().to_string();
    let mut actions = Vec::new();
    for found in &analysis.diagnostics {
        if found.file.as_ref().is_none_or(|f| f.name != name) {
            continue;
        }
        let (Some(span), Some(help)) = (found.span, &found.help) else {
            continue;
        };
        let Some(replacement) = diagnostic::suggested_replacement(help) else {
            continue;
        };
        let at = workspace::range(text, span);
        if at.end < range.start || range.end < at.start {
            continue;
        }
        let written = &text[span.start..span.end.min(text.len())];
        // A quoted value is replaced inside its quotes.
        let (edit_span, new_text) =
            if written.len() >= 2 && written.starts_with('"') && written.ends_with('"') {
                (
                    Span::new(span.start + 1, span.end - 1),
                    replacement.to_string(),
                )
            } else {
                (span, replacement.to_string())
            };
        let edit = types::TextEdit {
            range: workspace::range(text, edit_span),
            new_text,
        };
        let mut changes = HashMap::new();
        changes.insert(uri.clone(), vec![edit]);
        actions.push(types::CodeActionOrCommand::CodeAction(types::CodeAction {
            title: format!("Replace with `{replacement}`"),
            kind: Some(types::CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![to_lsp_diagnostic(found, text, |_| Some(uri.clone()))]),
            edit: Some(types::WorkspaceEdit {
                changes: Some(changes),
                ..types::WorkspaceEdit::default()
            }),
            is_preferred: Some(true),
            ..types::CodeAction::default()
        }));
    }
    actions
}

/// "Run test" above each test, and "Run the file's tests" above the first.
pub fn code_lenses(parsed: &Parsed, uri: &Url) -> Vec<types::CodeLens> {
    let text = &parsed.source.text;
    let tests: Vec<&ast::Test> = parsed
        .ast
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Test(test) => Some(test),
            _ => None,
        })
        .collect();
    let lens = |span: Span, title: String, arguments: Vec<serde_json::Value>| types::CodeLens {
        range: workspace::range(text, span),
        command: Some(types::Command {
            title,
            command: RUN_TESTS.into(),
            arguments: Some(arguments),
        }),
        data: None,
    };
    let mut lenses = Vec::new();
    if let Some(first) = tests.first() {
        lenses.push(lens(
            first.span,
            format!(
                "▶ Run the file's {}",
                crate::render::count_noun(tests.len(), "test", "tests")
            ),
            vec![uri.as_str().into()],
        ));
    }
    for test in tests {
        lenses.push(lens(
            test.span,
            "▶ Run test".into(),
            vec![uri.as_str().into(), test.name.value.clone().into()],
        ));
    }
    lenses
}

pub struct TestReport {
    pub passed: usize,
    pub failed: usize,
    pub summary: String,
    tests: Vec<serde_json::Value>,
}

impl TestReport {
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "passed": self.passed,
            "failed": self.failed,
            "summary": self.summary,
            "tests": self.tests,
        })
    }
}

/// Runs the rule tests of the file at `path` (only `name`, if given).
pub fn run_tests(
    rules: &RuleSet,
    path: &Path,
    name: Option<&str>,
    root: Option<&Path>,
) -> TestReport {
    let file_name = path.display().to_string();
    let run = crate::rule_tests::run_tests_within(rules, None, root);
    let mut report = TestReport {
        passed: 0,
        failed: 0,
        summary: String::new(),
        tests: Vec::new(),
    };
    let mut failures = Vec::new();
    for result in &run.results {
        if rules.files[result.test.file].name != file_name
            || name.is_some_and(|name| result.test.name != name)
        {
            continue;
        }
        let mut lines: Vec<String> = result
            .failures
            .iter()
            .map(crate::render::rule_tests::failure_text)
            .collect();
        lines.extend(result.profile_errors.iter().map(|d| d.message.clone()));
        if result.passed() {
            report.passed += 1;
        } else {
            report.failed += 1;
            failures.push(format!("{}: {}", result.test.name, lines.join("; ")));
        }
        report.tests.push(serde_json::json!({
            "name": result.test.name,
            "passed": result.passed(),
            "failures": lines,
        }));
    }
    let file = path
        .file_name()
        .map_or(file_name.clone(), |n| n.to_string_lossy().into_owned());
    let total = report.passed + report.failed;
    report.summary = if total == 0 {
        match name {
            Some(name) => format!("{file}: no test named \"{name}\""),
            None => format!("{file}: no tests"),
        }
    } else if report.failed == 0 {
        format!(
            "{file}: {} passed",
            crate::render::count_noun(total, "test", "tests")
        )
    } else {
        format!(
            "{file}: {} of {} failed. {}",
            report.failed,
            crate::render::count_noun(total, "test", "tests"),
            failures.join(" ")
        )
    };
    report
}
