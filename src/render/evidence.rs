//! The evidence behind a condition met: which records satisfy it, named as
//! a reader knows them ("ASCP MLT, certifications[0]").

use super::sentences::{certificate_name, degree_noun, programme_noun};
use super::{Words, join_and, needs, number};
use crate::eval::{Counted, Met, Record, Unit};
use crate::ruleset::{RequirementKind, RuleSet};

/// A record as a reader knows it: `ASCP MLT`, `CA CLS licence`,
/// `bachelor's degree in biology`, `hematology at clinical laboratory
/// (2021-09-01 to now)`.
pub fn record_name(words: Words<'_>, record: Record) -> String {
    let profile = words.profile;
    match record {
        Record::Education(index) => profile
            .education
            .get(index)
            .map(degree_noun)
            .unwrap_or_default(),
        Record::Coursework(index) => profile
            .coursework
            .get(index)
            .map(|course| match &course.topic {
                Some(topic) => format!("{} ({topic})", course.subject),
                None => course.subject.clone(),
            })
            .unwrap_or_default(),
        Record::Certification(index) => profile
            .certifications
            .get(index)
            .map(|held| format!("{} {}", held.issuer, held.name))
            .unwrap_or_default(),
        Record::License(index) => profile
            .licenses
            .get(index)
            .map(|held| {
                format!(
                    "{} {} licence",
                    held.state.trim().to_ascii_uppercase(),
                    held.kind.trim().to_ascii_uppercase()
                )
            })
            .unwrap_or_default(),
        Record::Experience(index) => profile
            .experience
            .get(index)
            .map(|job| {
                let what = job
                    .role
                    .as_deref()
                    .or(job.area.as_deref())
                    .or(job.setting.as_deref())
                    .unwrap_or("work");
                let until = job
                    .end
                    .map_or_else(|| "now".to_string(), |end| end.to_string());
                format!("{what} ({} to {until})", job.start)
            })
            .unwrap_or_default(),
        Record::Training(_) => programme_noun(words, record, "training"),
        Record::ContinuingEducation(index) => profile
            .continuing_education
            .get(index)
            .map(|entry| match &entry.topic {
                Some(topic) => format!("{topic} ({})", entry.completed),
                None => format!("continuing education ({})", entry.completed),
            })
            .unwrap_or_default(),
    }
}

/// One condition met, in a few words: `ASCP MLT (certifications[0])`,
/// `26.1 months of experience (experience[0], experience[1])`. Empty for
/// conditions that read no record (a state, a date).
pub fn summary(words: Words<'_>, met: &Met<'_>) -> String {
    let counted: Vec<&crate::eval::Finding> = met
        .findings
        .iter()
        .filter(|finding| finding.counted != Counted::No)
        .collect();
    let paths: Vec<String> = counted.iter().map(|f| f.record.to_string()).collect();
    let paths = if paths.is_empty() {
        String::new()
    } else {
        format!(" ({})", paths.join(", "))
    };
    match &met.requirement.kind {
        RequirementKind::Experience(_)
        | RequirementKind::Coursework(_)
        | RequirementKind::ContinuingEducation(_) => match met.quantity {
            Some(quantity) => format!("{}{paths}", amount(quantity.have, quantity.unit, met)),
            None => format!("{}{paths}", names(words, &counted)),
        },
        RequirementKind::Certification(rule) => counted
            .first()
            .map(|finding| format!("{}{paths}", certificate_name(words, rule, finding.record)))
            .unwrap_or_default(),
        RequirementKind::Degree(_)
        | RequirementKind::Program(_)
        | RequirementKind::Serving(_)
        | RequirementKind::License(_)
        | RequirementKind::Training(_) => format!("{}{paths}", names(words, &counted)),
        RequirementKind::Role(_) => match &met.via {
            Some(via) => role_via(words.rules, via.role, via.route),
            None => String::new(),
        },
        _ => String::new(),
    }
}

/// `ascp-mls by route 2`.
pub fn role_via(rules: &RuleSet, role: crate::ruleset::RoleId, route: Option<usize>) -> String {
    let Some(definition) = rules.get(role) else {
        return String::new();
    };
    let name = route.and_then(|route| {
        let (_, alternatives) = crate::eval::top_level_routes(&definition.requirement)?;
        alternatives
            .get(route)?
            .route
            .as_ref()
            .map(|r| r.name.clone())
    });
    match name {
        Some(name) => format!("{} by route {name}", definition.id),
        None => definition.id.clone(),
    }
}

fn names(words: Words<'_>, counted: &[&crate::eval::Finding]) -> String {
    let names: Vec<String> = counted
        .iter()
        .map(|finding| {
            let mut name = record_name(words, finding.record);
            for reason in &finding.reasons {
                if let crate::eval::Reason::Scheduled { on } = reason {
                    name.push_str(&format!(", in progress, expected {on}"));
                }
            }
            name
        })
        .collect();
    join_and(&names)
}

/// `26.1 months of experience`, `16 semester hours of coursework`.
fn amount(have: f64, unit: Unit, met: &Met<'_>) -> String {
    let what = match met.requirement.kind {
        RequirementKind::Experience(_) => "of experience",
        RequirementKind::Coursework(_) => "of coursework",
        _ => "of continuing education",
    };
    let unit = match unit {
        Unit::Months => "months",
        Unit::SemesterHours => "semester hours",
        _ => "hours",
    };
    format!("{} {unit} {what}", number(have))
}

/// Every piece of evidence as a line: what the condition asks, then what
/// meets it.
pub fn lines(words: Words<'_>, evidence: &[Met<'_>]) -> Vec<String> {
    evidence
        .iter()
        .filter_map(|met| {
            let summary = summary(words, met);
            if summary.is_empty() {
                return None;
            }
            let judged = met
                .as_of
                .map(|date| format!(" (judged as of {date})"))
                .unwrap_or_default();
            Some(format!(
                "{}{judged}: {summary}",
                needs::describe(words.rules, met.requirement)
            ))
        })
        .collect()
}

/// The evidence in one line: `ASCP MLT (certifications[0]); bachelor's
/// degree in biology (education[0])`.
pub fn one_line(words: Words<'_>, evidence: &[Met<'_>]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for met in evidence {
        let summary = summary(words, met);
        if !summary.is_empty() && !parts.contains(&summary) {
            parts.push(summary);
        }
    }
    parts.join("; ")
}
