//! Vocabularies (terms, aliases, groups) and the resolution of the values a
//! condition names: vocabulary terms, state codes and plain labels.

use super::Checker;
use crate::diagnostic::Code;
use crate::diagnostic::{Diagnostic, suggestion};
use crate::ruleset::{FileId, TermSet, Vocabularies, Vocabulary, VocabularyKind, normalize_term};
use crate::source::Span;
use crate::syntax::ast;

/// USPS codes of the states, DC and the territories.
pub const STATE_CODES: &[&str] = &[
    "AK", "AL", "AR", "AS", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "GU", "HI", "IA", "ID",
    "IL", "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MP", "MS", "MT", "NC", "ND",
    "NE", "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "PR", "RI", "SC", "SD", "TN", "TX",
    "UT", "VA", "VI", "VT", "WA", "WI", "WV", "WY",
];

pub fn is_state_code(code: &str) -> bool {
    STATE_CODES.binary_search(&code).is_ok()
}

/// Every `vocabulary` item of the rule set, with its file.
fn vocabulary_items(
    files: &[super::ParsedFile],
) -> impl Iterator<Item = (FileId, &crate::source::SourceFile, &ast::Vocabulary)> {
    files.iter().enumerate().flat_map(|(file_id, parsed)| {
        parsed.ast.items.iter().filter_map(move |item| match item {
            ast::Item::Vocabulary(vocabulary) => Some((file_id, &parsed.source, vocabulary)),
            _ => None,
        })
    })
}

/// Merges every `vocabulary` item (several items of one kind add up).
pub(super) fn build(checker: &mut Checker<'_>) -> Vocabularies {
    let mut vocabularies = Vocabularies::default();
    // Where each normalized term, alias or group was declared, per kind.
    let mut declared: std::collections::HashMap<(VocabularyKind, String), (FileId, Span)> =
        Default::default();
    let files = checker.files;
    for (file_id, source, item) in vocabulary_items(files) {
        let Some(kind) = VocabularyKind::from_keyword(&item.kind.name) else {
            let help = VocabularyKind::help_for(&item.kind.name);
            checker.error(
                Diagnostic::error(
                    Code::UnknownName,
                    format!("unknown vocabulary `{}`", item.kind.name),
                )
                .at(source, item.kind.span)
                .label("not a vocabulary")
                .help(help),
            );
            continue;
        };
        let vocabulary = vocabularies
            .by_kind
            .entry(kind)
            .or_insert_with(Vocabulary::default);
        // Terms first, so groups may name terms declared after them.
        for entry in &item.entries {
            let ast::VocabularyEntry::Term { term, aliases, .. } = entry else {
                continue;
            };
            let canonical = normalize_term(&term.value);
            for name in std::iter::once(term).chain(aliases) {
                let key = normalize_term(&name.value);
                if let Some((first_file, first_span)) = declared.get(&(kind, key.clone())) {
                    let first = super::location(&files[*first_file].source, *first_span);
                    checker.error(
                            Diagnostic::error(Code::DuplicateName,
                                format!("`{}` is already a term or alias of vocabulary `{}`", name.value, kind.keyword()),
                            )
                            .at(source, name.span)
                            .label("declared again")
                            .note(format!("first declared at {first}"))
                            .help("each term and alias may appear once, so every profile value has one meaning"),
                        );
                    continue;
                }
                declared.insert((kind, key.clone()), (file_id, name.span));
                vocabulary.lookup.insert(key, canonical.clone());
            }
            vocabulary.terms.insert(canonical, term.value.clone());
        }
    }
    // Groups, once every term is known.
    for (file_id, source, item) in vocabulary_items(files) {
        let Some(kind) = VocabularyKind::from_keyword(&item.kind.name) else {
            continue;
        };
        for entry in &item.entries {
            let ast::VocabularyEntry::Group { name, members, .. } = entry else {
                continue;
            };
            let key = normalize_term(&name.value);
            if let Some((first_file, first_span)) = declared.get(&(kind, key.clone())) {
                let first = super::location(&files[*first_file].source, *first_span);
                checker.error(
                    Diagnostic::error(
                        Code::DuplicateName,
                        format!(
                            "`{}` is already declared in vocabulary `{}`",
                            name.value,
                            kind.keyword()
                        ),
                    )
                    .at(source, name.span)
                    .label("declared again")
                    .note(format!("first declared at {first}")),
                );
                continue;
            }
            declared.insert((kind, key.clone()), (file_id, name.span));
            let mut canonical_members = Vec::new();
            for member in members {
                let Some(vocabulary) = vocabularies.by_kind.get(&kind) else {
                    continue;
                };
                match vocabulary.lookup.get(&normalize_term(&member.value)) {
                    Some(canonical) => canonical_members.push(canonical.clone()),
                    None => {
                        let help = suggestion(
                            &member.value,
                            vocabulary.terms.values().map(String::as_str),
                        )
                        .unwrap_or_else(|| "declare the term in the vocabulary first".into());
                        checker.error(
                            Diagnostic::error(
                                Code::UnknownTerm,
                                format!(
                                    "group member `{}` is not a term of vocabulary `{}`",
                                    member.value,
                                    kind.keyword()
                                ),
                            )
                            .at(source, member.span)
                            .label("unknown term")
                            .help(help),
                        );
                    }
                }
            }
            canonical_members.sort();
            canonical_members.dedup();
            if let Some(vocabulary) = vocabularies.by_kind.get_mut(&kind) {
                vocabulary.groups.insert(key, canonical_members);
            }
        }
    }
    vocabularies
}

/// The values a `Terms` names, with their spans: a list, one string, or a
/// `let` list (a bare word that names no `let` is taken as itself).
pub(super) fn expand(
    checker: &mut Checker<'_>,
    file: FileId,
    terms: &ast::Terms,
) -> Option<Vec<(String, Span)>> {
    match terms {
        ast::Terms::One(atom) => Some(vec![(atom.text.clone(), atom.span)]),
        ast::Terms::List { items, span } => {
            if items.is_empty() {
                checker.error(
                    Diagnostic::error(Code::EmptyList, "this list is empty")
                        .at(checker.source(file), *span)
                        .label("nothing to match")
                        .help("name at least one value, or remove the clause"),
                );
                return None;
            }
            Some(
                items
                    .iter()
                    .map(|atom| (atom.text.clone(), atom.span))
                    .collect(),
            )
        }
        ast::Terms::Name(ident) => match checker.lets.get(&ident.name).map(|decl| &decl.decl.value)
        {
            Some(ast::LetValue::List(ast::Terms::List { items, .. })) => {
                // Report problems at the use, where the author is looking.
                Some(
                    items
                        .iter()
                        .map(|atom| (atom.text.clone(), ident.span))
                        .collect(),
                )
            }
            Some(ast::LetValue::List(_)) => None,
            Some(ast::LetValue::Block(_)) => {
                checker.error(
                    Diagnostic::error(
                        Code::Type,
                        format!("`{}` is a block of conditions, not a list", ident.name),
                    )
                    .at(checker.source(file), ident.span)
                    .label("expected a list of values")
                    .help(format!("use it as a condition with `use {}`", ident.name)),
                );
                None
            }
            None => Some(vec![(ident.name.clone(), ident.span)]),
        },
    }
}

/// Resolves the named values in a vocabulary: terms and aliases to their
/// canonical term, groups to their members.
pub(super) fn resolve_terms(
    checker: &mut Checker<'_>,
    file: FileId,
    terms: &ast::Terms,
    kind: VocabularyKind,
) -> Option<TermSet> {
    let values = expand(checker, file, terms)?;
    let mut resolved = Vec::new();
    let mut written = Vec::new();
    let mut ok = true;
    for (value, span) in values {
        written.push(value.clone());
        let key = normalize_term(&value);
        let Some(vocabulary) = checker.rules.vocabularies.by_kind.get(&kind) else {
            resolved.push(key);
            continue;
        };
        if let Some(canonical) = vocabulary.lookup.get(&key) {
            resolved.push(canonical.clone());
        } else if let Some(members) = vocabulary.groups.get(&key) {
            resolved.extend(members.iter().cloned());
        } else {
            let known: Vec<String> = vocabulary
                .terms
                .values()
                .cloned()
                .chain(vocabulary.groups.keys().cloned())
                .chain(vocabulary.lookup.keys().cloned())
                .collect();
            let help = suggestion(&value, known.iter().map(String::as_str)).unwrap_or_else(|| {
                format!(
                    "add it to `vocabulary {}` if it is a new {}",
                    kind.keyword(),
                    kind.keyword()
                )
            });
            checker.error(
                Diagnostic::error(
                    Code::UnknownTerm,
                    format!("unknown {} `{value}`", kind.keyword()),
                )
                .at(checker.source(file), span)
                .label(format!("not in vocabulary `{}`", kind.keyword()))
                .help(help),
            );
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    resolved.sort();
    resolved.dedup();
    Some(TermSet::new(
        kind,
        resolved,
        written,
        &checker.rules.vocabularies,
    ))
}

/// Resolves USPS state codes (upper-case).
pub(super) fn resolve_states(
    checker: &mut Checker<'_>,
    file: FileId,
    terms: &ast::Terms,
) -> Option<Vec<String>> {
    let values = expand(checker, file, terms)?;
    let mut states = Vec::new();
    for (value, span) in values {
        if is_state_code(&value) {
            states.push(value);
            continue;
        }
        let upper = value.to_ascii_uppercase();
        let lets: Vec<&str> = checker.lets.keys().map(String::as_str).collect();
        let help = if is_state_code(&upper) {
            format!("state codes are upper-case: `{upper}`")
        } else if let Some(name) = crate::diagnostic::did_you_mean(&value, lets) {
            format!("did you mean the list `{name}`?")
        } else {
            "use a USPS code such as `CA`, `NY` or `PR`".to_string()
        };
        checker.error(
            Diagnostic::error(
                Code::UnknownState,
                format!("`{value}` is not a US state or territory code"),
            )
            .at(checker.source(file), span)
            .label("not a state code")
            .help(help),
        );
        return None;
    }
    states.sort();
    states.dedup();
    Some(states)
}

/// Plain labels (accreditors, licence types, tags), kept as written.
pub(super) fn resolve_labels(
    checker: &mut Checker<'_>,
    file: FileId,
    terms: &ast::Terms,
) -> Option<Vec<String>> {
    let mut labels: Vec<String> = expand(checker, file, terms)?
        .into_iter()
        .map(|(value, _)| value)
        .collect();
    labels.sort();
    labels.dedup();
    Some(labels)
}
