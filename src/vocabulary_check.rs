//! Warnings for profile values that no vocabulary of the rule set knows: a
//! typo in an experience area would otherwise silently stop it counting.

use crate::diagnostic::{Diagnostic, suggestion};
use crate::profile::Profile;
use crate::ruleset::{RuleSet, VocabularyKind};
use crate::source::SourceFile;
use std::path::Path;

/// One warning per profile value unknown to the vocabulary of its kind
/// (kinds without a vocabulary accept any value).
pub fn profile_warnings(rules: &RuleSet, profile: &Profile, path: &Path) -> Vec<Diagnostic> {
    let mut values: Vec<(String, VocabularyKind, std::borrow::Cow<'_, str>)> = Vec::new();
    for (i, entry) in profile.certifications.iter().enumerate() {
        let credential = format!("{} {}", entry.issuer.trim(), entry.name.trim());
        values.push((
            format!("certifications[{i}]"),
            VocabularyKind::Credential,
            credential.into(),
        ));
    }
    for (i, entry) in profile.education.iter().enumerate() {
        if let Some(body) = &entry.accreditation {
            values.push((
                format!("education[{i}].accreditation"),
                VocabularyKind::Accreditor,
                body.into(),
            ));
        }
    }
    for (i, entry) in profile.training.iter().enumerate() {
        if let Some(body) = &entry.accreditation {
            values.push((
                format!("training[{i}].accreditation"),
                VocabularyKind::Accreditor,
                body.into(),
            ));
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
                values.push((format!("experience[{i}].{field}"), kind, value.into()));
            }
        }
    }
    for (i, entry) in profile.education.iter().enumerate() {
        if let Some(field) = &entry.field {
            values.push((
                format!("education[{i}].field"),
                VocabularyKind::Field,
                field.as_str().into(),
            ));
        }
    }
    for (i, entry) in profile.coursework.iter().enumerate() {
        values.push((
            format!("coursework[{i}].subject"),
            VocabularyKind::Subject,
            entry.subject.as_str().into(),
        ));
        if let Some(topic) = &entry.topic {
            values.push((
                format!("coursework[{i}].topic"),
                VocabularyKind::Topic,
                topic.as_str().into(),
            ));
        }
    }
    for (i, entry) in profile.training.iter().enumerate() {
        values.push((
            format!("training[{i}].program"),
            VocabularyKind::Program,
            entry.program.as_str().into(),
        ));
    }
    let file = SourceFile::new(path.display().to_string(), "");
    values
        .into_iter()
        .filter_map(|(field, kind, value)| {
            let vocabulary = rules.vocabularies.by_kind.get(&kind)?;
            if rules.vocabularies.canonical(kind, &value).is_some() {
                return None;
            }
            let known = vocabulary.terms.values().map(String::as_str).chain(vocabulary.lookup.keys().map(String::as_str));
            let help = suggestion(&value, known).unwrap_or_else(|| {
                format!("no requirement of the rule set mentions it; `eligo explain ROLE` shows the {} names the rules use", kind.keyword())
            });
            Some(
                Diagnostic::warning("unknown-term", format!("`{field}` is `{value}`, which is not a known {}", kind.keyword()))
                    .in_file(&file)
                    .help(help),
            )
        })
        .collect()
}
