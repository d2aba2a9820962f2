//! Warnings for profile values that no vocabulary of the rule set knows: a
//! typo in an experience area would otherwise silently stop it counting.

use crate::diagnostic::Code;
use crate::diagnostic::{Diagnostic, suggestion};
use crate::profile::{PathStep, Profile, value_span};
use crate::ruleset::{RuleSet, VocabularyKind};
use crate::source::SourceFile;
use std::borrow::Cow;
use std::path::Path;

/// A profile value to look up, and where it sits in the profile.
struct Value<'p> {
    path: Vec<PathStep<'static>>,
    kind: VocabularyKind,
    value: Cow<'p, str>,
}

fn at(list: &'static str, index: usize, field: Option<&'static str>) -> Vec<PathStep<'static>> {
    let mut path = vec![PathStep::Key(list), PathStep::Index(index)];
    path.extend(field.map(PathStep::Key));
    path
}

fn display(path: &[PathStep<'_>]) -> String {
    let mut text = String::new();
    for step in path {
        match step {
            PathStep::Key(key) if text.is_empty() => text.push_str(key),
            PathStep::Key(key) => text.push_str(&format!(".{key}")),
            PathStep::Index(index) => text.push_str(&format!("[{index}]")),
        }
    }
    text
}

/// One warning per profile value unknown to the vocabulary of its kind
/// (kinds without a vocabulary accept any value), located in `source` when
/// the profile's text is at hand.
pub fn profile_warnings(
    rules: &RuleSet,
    profile: &Profile,
    path: &Path,
    source: Option<&SourceFile>,
) -> Vec<Diagnostic> {
    let mut values: Vec<Value<'_>> = Vec::new();
    fn push<'p>(
        values: &mut Vec<Value<'p>>,
        path: Vec<PathStep<'static>>,
        kind: VocabularyKind,
        value: Cow<'p, str>,
    ) {
        values.push(Value { path, kind, value });
    }
    for (i, entry) in profile.certifications.iter().enumerate() {
        let credential = format!("{} {}", entry.issuer.trim(), entry.name.trim());
        push(
            &mut values,
            at("certifications", i, Some("name")),
            VocabularyKind::Credential,
            credential.into(),
        );
    }
    for (i, entry) in profile.education.iter().enumerate() {
        if let Some(field) = &entry.field {
            push(
                &mut values,
                at("education", i, Some("field")),
                VocabularyKind::Field,
                field.into(),
            );
        }
        if let Some(body) = &entry.accreditation {
            push(
                &mut values,
                at("education", i, Some("accreditation")),
                VocabularyKind::Accreditor,
                body.into(),
            );
        }
    }
    for (i, entry) in profile.experience.iter().enumerate() {
        let fields = [
            ("area", VocabularyKind::Area, &entry.area),
            ("setting", VocabularyKind::Setting, &entry.setting),
            ("role", VocabularyKind::Job, &entry.role),
        ];
        for (field, kind, value) in fields {
            if let Some(value) = value {
                push(
                    &mut values,
                    at("experience", i, Some(field)),
                    kind,
                    value.into(),
                );
            }
        }
    }
    for (i, entry) in profile.coursework.iter().enumerate() {
        push(
            &mut values,
            at("coursework", i, Some("subject")),
            VocabularyKind::Subject,
            entry.subject.as_str().into(),
        );
        if let Some(topic) = &entry.topic {
            push(
                &mut values,
                at("coursework", i, Some("topic")),
                VocabularyKind::Topic,
                topic.into(),
            );
        }
    }
    for (i, entry) in profile.training.iter().enumerate() {
        push(
            &mut values,
            at("training", i, Some("program")),
            VocabularyKind::Program,
            entry.program.as_str().into(),
        );
        if let Some(body) = &entry.accreditation {
            push(
                &mut values,
                at("training", i, Some("accreditation")),
                VocabularyKind::Accreditor,
                body.into(),
            );
        }
    }
    let unlocated = SourceFile::new(path.display().to_string(), "");
    values
        .into_iter()
        .filter_map(|Value { path, kind, value }| {
            let vocabulary = rules.vocabularies.by_kind.get(&kind)?;
            if rules.vocabularies.canonical(kind, &value).is_some() {
                return None;
            }
            let known = vocabulary
                .terms
                .values()
                .map(String::as_str)
                .chain(vocabulary.lookup.keys().map(String::as_str));
            let help = suggestion(&value, known).unwrap_or_else(|| {
                format!(
                    "no rule mentions it; `eligo vocabulary {}` lists the accepted values",
                    kind.keyword()
                )
            });
            let shown = if kind == VocabularyKind::Credential {
                display(&path[..2])
            } else {
                display(&path)
            };
            let warning = Diagnostic::warning(
                Code::UnknownTerm,
                format!(
                    "`{shown}` is `{value}`, which is not a known {}",
                    kind.keyword()
                ),
            )
            .help(help);
            Some(
                match source.and_then(|source| Some((source, value_span(source, &path)?))) {
                    Some((source, span)) => warning
                        .at(source, span)
                        .label(format!("not a known {}", kind.keyword())),
                    None => warning.in_file(&unlocated),
                },
            )
        })
        .collect()
}
