//! What a condition asks for, as the object of "needs": a noun phrase, or
//! `to …` for conditions on the candidate themselves. Used by gap sentences
//! and by `explain`.

use super::{Voice, article, join_and, join_or, number, prose, window_phrase};
use crate::check::DEFAULT_FULLTIME_HOURS;
use crate::profile::DegreeLevel;
use crate::ruleset::{
    AfterRule, CertificationRule, ContinuingEducationRule, CourseworkRule, DegreeRule,
    ExperienceRule, ExperienceUnit, LicenseRule, LicenseState, ProgramRule, Requirement,
    RequirementKind, RoleId, RuleSet, ServingRule, TrainingMeasure, TrainingRule,
};
use crate::syntax::ast::CreditUnit;

/// What a condition asks for, as a noun phrase.
pub fn describe(rules: &RuleSet, requirement: &Requirement) -> String {
    match &requirement.kind {
        RequirementKind::All(parts) => {
            let parts: Vec<String> = parts.iter().map(|part| describe(rules, part)).collect();
            join_and(&parts)
        }
        RequirementKind::Any(alternatives) => {
            let parts: Vec<String> = alternatives
                .iter()
                .map(|alternative| match &alternative.route {
                    Some(route) => format!("route {}", route.name),
                    None => describe(rules, &alternative.requirement),
                })
                .collect();
            join_or(&parts)
        }
        RequirementKind::AtLeast { count, of } => {
            let parts: Vec<String> = of.iter().map(|part| describe(rules, part)).collect();
            format!("at least {count} of: {}", parts.join("; "))
        }
        RequirementKind::Not(inner) => format!("not {}", describe(rules, inner)),
        RequirementKind::When { guard, then, .. } => {
            format!(
                "{} where it applies ({})",
                describe(rules, then),
                describe(rules, guard)
            )
        }
        RequirementKind::Degree(rule) => degree(rule),
        RequirementKind::Program(rule) => program(rule),
        RequirementKind::Coursework(rule) => coursework(rule),
        RequirementKind::Certification(rule) => certification(rule),
        RequirementKind::License(rule) => license(rule, None, Voice::Candidate),
        RequirementKind::Experience(rule) => experience(rule),
        RequirementKind::Serving(rule) => serving(rule),
        RequirementKind::AsOf { date, body } => {
            format!("as of {date}: {}", describe(rules, body))
        }
        RequirementKind::Training(rule) => training(rule),
        RequirementKind::ContinuingEducation(rule) => continuing_education(rule),
        RequirementKind::Age { minimum } => age(*minimum),
        RequirementKind::Role(role) => role_need(rules, *role),
        RequirementKind::Use(definition) => rules.definitions.get(*definition).map_or_else(
            || "a shared condition".to_string(),
            |d| describe(rules, &d.requirement),
        ),
        RequirementKind::StateIn(states) => state(states),
        RequirementKind::Date {
            on_or_after: true,
            date,
        } => format!("an evaluation date on or after {date}"),
        RequirementKind::Date {
            on_or_after: false,
            date,
        } => format!("an evaluation date before {date}"),
    }
}

/// `to qualify for Medical Laboratory Scientist (`mls`)`.
pub fn role_need(rules: &RuleSet, role: RoleId) -> String {
    match rules.get(role) {
        Some(role) => format!("to qualify for {} (`{}`)", role.title, role.id),
        None => format!("to qualify for role number {role}"),
    }
}

pub fn state(states: &[String]) -> String {
    format!("to work in {}", join_or(states))
}

pub fn age(minimum: u32) -> String {
    format!("to be at least {minimum} years old")
}

/// `ASCP MLT or AMT MT certification`.
pub fn certification(rule: &CertificationRule) -> String {
    let options: Vec<String> = rule
        .options
        .iter()
        .map(|option| format!("{} {}", option.issuer, option.name))
        .collect();
    let mut text = format!("{} certification", join_or(&options));
    match rule.earned {
        Some(bound) if bound.on_or_after => {
            text.push_str(&format!(" earned on or after {}", bound.date))
        }
        Some(bound) => text.push_str(&format!(" earned before {}", bound.date)),
        None => {}
    }
    text
}

/// `a CA CLS or MLT licence`; without a known state, `a licence from the
/// state where you intend to work`.
pub fn license(rule: &LicenseRule, state: Option<&str>, voice: Voice) -> String {
    let there = match voice {
        Voice::Candidate => "the state where you intend to work",
        Voice::Applicant => "the state where the applicant intends to work",
        Voice::Staff => "the laboratory's state",
    };
    let types = rule.types.as_deref().map(join_or);
    match (
        state.or(match &rule.state {
            LicenseState::Code(code) => Some(code.as_str()),
            LicenseState::Candidate => None,
        }),
        types,
    ) {
        (Some(state), Some(types)) => format!("{} {state} {types} licence", article(state)),
        (Some(state), None) => format!("{} {state} licence", article(state)),
        (None, Some(types)) => format!("a {types} licence from {there}"),
        (None, None) => format!("a licence from {there}"),
    }
}

/// `a bachelor's degree or higher in chemistry, from a NAACLS-accredited
/// programme, completed in the last 5 years`.
pub fn degree(rule: &DegreeRule) -> String {
    let mut text = rule.minimum.phrase().to_string();
    if rule.minimum != DegreeLevel::Doctorate {
        text.push_str(" or higher");
    }
    if let Some(fields) = &rule.fields {
        text.push_str(&format!(" in {}", join_or(&fields.written)));
    }
    if let Some(bodies) = &rule.accredited_by {
        text.push_str(&format!(
            ", from a {}-accredited programme",
            join_or(bodies)
        ));
    }
    if rule.within_years.is_some() {
        text.push_str(&format!(", completed{}", window_phrase(rule.within_years)));
    }
    text
}

/// `a programme in medical laboratory science accredited by NAACLS,
/// completed in the last 5 years`.
pub fn program(rule: &ProgramRule) -> String {
    let mut text = if rule.within_years.is_some() {
        format!("a programme in {}", join_or(&rule.programs.written))
    } else {
        format!(
            "a completed programme in {}",
            join_or(&rule.programs.written)
        )
    };
    if let Some(bodies) = &rule.accredited_by {
        text.push_str(&format!(" accredited by {}", join_or(bodies)));
    }
    if rule.within_years.is_some() {
        text.push_str(&format!(", completed{}", window_phrase(rule.within_years)));
    }
    if rule.scheduled {
        text.push_str(if rule.within_years.is_some() {
            " or in progress with an expected completion date"
        } else {
            ", or one in progress with an expected completion date"
        });
    }
    text
}

/// `16 semester hours of coursework in biology, including a course in
/// microbiology`; a minimum written in quarter hours is shown both ways.
pub fn coursework(rule: &CourseworkRule) -> String {
    let mut text = match (rule.written_minimum, rule.minimum_semester_hours) {
        (Some((amount, CreditUnit::QuarterHours)), Some(semester)) => format!(
            "{} quarter hours ({} semester hours) of coursework",
            number(amount),
            number(semester)
        ),
        (_, Some(semester)) => format!("{} semester hours of coursework", number(semester)),
        (_, None) if rule.including.is_none() => "a course".to_string(),
        (_, None) => "coursework".to_string(),
    };
    if let Some(subjects) = &rule.subjects {
        text.push_str(&format!(" in {}", join_or(&subjects.written)));
    }
    if let Some(topics) = &rule.including {
        text.push_str(&format!(
            ", including a course in {}",
            join_or(&topics.written)
        ));
    }
    text
}

/// `12 hours of continuing education in hematology in the last 2 years`.
pub fn continuing_education(rule: &ContinuingEducationRule) -> String {
    let mut text = format!("{} hours of continuing education", number(rule.hours));
    if let Some(topics) = &rule.topics {
        text.push_str(&format!(" in {}", join_or(&topics.written)));
    }
    text.push_str(&window_phrase(rule.within_years));
    text
}

/// `100 venipunctures`, `40 didactic hours`, `12 weeks`.
pub fn measure(measure: TrainingMeasure, amount: f64) -> String {
    let noun = match measure {
        TrainingMeasure::Weeks => "weeks",
        TrainingMeasure::DidacticHours => "didactic hours",
        TrainingMeasure::ClinicalHours => "clinical hours",
        TrainingMeasure::Venipunctures => "venipunctures",
        TrainingMeasure::SkinPunctures => "skin punctures",
        TrainingMeasure::ArterialPunctures => "arterial punctures",
        TrainingMeasure::Collections => "blood collections (venipunctures and skin punctures)",
    };
    format!("{} {noun}", number(amount))
}

/// `training in phlebotomy accredited by NAACLS, completed in the last 5
/// years, with at least 100 venipunctures and 25 skin punctures`.
pub fn training(rule: &TrainingRule) -> String {
    let completed = if rule.within_years.is_some() {
        ""
    } else {
        "completed "
    };
    let mut text = format!("{completed}training in {}", join_or(&rule.programs.written));
    if let Some(bodies) = &rule.accredited_by {
        text.push_str(&format!(" accredited by {}", join_or(bodies)));
    }
    if rule.within_years.is_some() {
        text.push_str(&format!(", completed{}", window_phrase(rule.within_years)));
    }
    if rule.scheduled {
        text.push_str(" (or in progress with an expected completion date)");
    }
    if !rule.minimums.is_empty() {
        let minimums: Vec<String> = rule
            .minimums
            .iter()
            .map(|&(m, minimum)| measure(m, minimum))
            .collect();
        text.push_str(&format!(", with at least {}", join_and(&minimums)));
    }
    text
}

/// `24 months of full-time experience in hematology in a clinical laboratory
/// in the last 4 years`.
pub fn experience(rule: &ExperienceRule) -> String {
    let mut text = match rule.unit {
        ExperienceUnit::Months if rule.fulltime_hours_per_week == DEFAULT_FULLTIME_HOURS => {
            format!("{} months of full-time experience", number(rule.amount))
        }
        ExperienceUnit::Months => format!(
            "{} months of experience (full time counted as {} hour{} a week)",
            number(rule.amount),
            number(rule.fulltime_hours_per_week),
            if rule.fulltime_hours_per_week == 1.0 {
                ""
            } else {
                "s"
            }
        ),
        ExperienceUnit::Hours if rule.amount == 1.0 => "1 hour of experience".to_string(),
        ExperienceUnit::Hours => format!("{} hours of experience", number(rule.amount)),
    };
    text.push_str(&work_filters(rule));
    text.push_str(&window_phrase(rule.within_years));
    match &rule.after {
        Some(AfterRule::Certification(options)) => {
            let options: Vec<String> = options
                .iter()
                .map(|option| format!("{} {}", option.issuer, option.name))
                .collect();
            text.push_str(&format!(", after earning {}", join_or(&options)));
        }
        Some(AfterRule::Degree(level)) => {
            text.push_str(&format!(", after completing {}", level.phrase()));
        }
        None => {}
    }
    if let Some(areas) = rule.areas.as_ref().filter(|_| rule.each_area) {
        text.push_str(&format!(
            ", across {} with some work in each",
            join_and(&areas.written)
        ));
    }
    text
}

/// `service as technical supervisor in a clinical laboratory on every day
/// since 2024-12-28`.
pub fn serving(rule: &ServingRule) -> String {
    let work = &rule.work;
    let mut text = match &work.jobs {
        Some(jobs) => format!("service as {}", join_or(&jobs.written)),
        None => "service".to_string(),
    };
    let without_jobs = ExperienceRule {
        jobs: None,
        ..work.clone()
    };
    text.push_str(&work_filters(&without_jobs));
    text.push_str(&format!(" on every day since {}", rule.since));
    text
}

/// The filters of an experience condition: ` in hematology in a clinical
/// laboratory as MLT`.
fn work_filters(rule: &ExperienceRule) -> String {
    let mut text = String::new();
    if let Some(areas) = rule.areas.as_ref().filter(|_| !rule.each_area) {
        text.push_str(&format!(" in {}", join_or(&areas.written)));
    }
    if let Some(settings) = &rule.settings {
        text.push_str(&format!(" in a {}", join_or(&settings.written)));
    }
    if let Some(jobs) = &rule.jobs {
        text.push_str(&format!(" as {}", join_or(&jobs.written)));
    }
    if let Some(states) = &rule.states {
        text.push_str(&format!(" in {}", join_or(states)));
    }
    if let Some(tags) = &rule.tags {
        let tags: Vec<String> = tags.iter().map(|tag| prose(tag)).collect();
        text.push_str(&format!(" in {} work", join_or(&tags)));
    }
    if rule.licensed {
        text.push_str(" while holding the licence the state requires");
    }
    text
}
