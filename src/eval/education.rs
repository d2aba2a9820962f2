//! `degree >= LEVEL …` and `program …`: completed education.
//!
//! A degree counts when its level is at least the minimum, its field is one
//! the rule names, its programme is accredited by one of the named bodies
//! (case-insensitive), and it was completed on or before the evaluation date
//! (inside the window when there is one). A missing `completed` means in
//! progress. A `program` is matched by an education entry's `field` or a
//! training entry's `program`.

use super::window::{DateMiss, Window, phrase};
use super::{Evaluator, Gap, Lead, Site, UnmetKind, Verdict, join_or, same};
use crate::profile::{DegreeLevel, Education, Training};
use crate::ruleset::{DegreeRule, ProgramRule};

/// Why a degree does not count, in the order the checks run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DegreeMiss {
    Level,
    Field,
    Accreditation,
    Date(DateMiss),
}

impl DegreeMiss {
    fn rank(self) -> u8 {
        match self {
            DegreeMiss::Level => 0,
            DegreeMiss::Field => 1,
            DegreeMiss::Accreditation => 2,
            DegreeMiss::Date(_) => 3,
        }
    }
}

/// Whether a programme's accreditation is one the rule accepts.
pub(super) fn accredited(accepted: Option<&[String]>, have: Option<&str>) -> bool {
    accepted.is_none_or(|accepted| {
        have.is_some_and(|have| accepted.iter().any(|body| same(body, have)))
    })
}

impl Evaluator<'_, '_> {
    pub(super) fn degree(&self, rule: &DegreeRule, site: Site, gaps: &mut Vec<Gap>) -> Verdict {
        let window = Window::new(self.as_of, rule.within_years);
        // The entry that got furthest through the checks, for the explanation.
        let mut best: Option<(&Education, DegreeMiss)> = None;
        for entry in &self.profile.education {
            let Err(miss) = self.degree_check(rule, entry, &window) else {
                return Verdict::Eligible;
            };
            // Further through the checks wins; among too-low degrees, the
            // highest; otherwise the first listed.
            let key = |entry: &Education, miss: DegreeMiss| {
                (
                    miss.rank(),
                    (miss == DegreeMiss::Level).then_some(entry.degree),
                )
            };
            if best.is_none_or(|(held, held_miss)| key(entry, miss) > key(held, held_miss)) {
                best = Some((entry, miss));
            }
        }
        if self.explain {
            gaps.push(degree_gap(rule, best, &window, site));
        }
        Verdict::NotEligible
    }

    fn degree_check(
        &self,
        rule: &DegreeRule,
        entry: &Education,
        window: &Window,
    ) -> Result<(), DegreeMiss> {
        if entry.degree < rule.minimum {
            return Err(DegreeMiss::Level);
        }
        if let Some(fields) = &rule.fields
            && !self.opt_term_in(fields, entry.field.as_deref())
        {
            return Err(DegreeMiss::Field);
        }
        if !accredited(
            rule.accredited_by.as_deref(),
            entry.accreditation.as_deref(),
        ) {
            return Err(DegreeMiss::Accreditation);
        }
        window
            .check_completed(entry.completed)
            .map_err(DegreeMiss::Date)
    }

    pub(super) fn program(&self, rule: &ProgramRule, site: Site, gaps: &mut Vec<Gap>) -> Verdict {
        let window = Window::new(self.as_of, rule.within_years);
        let mut best: Option<(Programme<'_>, ProgramMiss)> = None;
        let education = self
            .profile
            .education
            .iter()
            .filter(|entry| self.opt_term_in(&rule.programs, entry.field.as_deref()))
            .map(Programme::Education);
        let training = self
            .profile
            .training
            .iter()
            .filter(|entry| self.term_in(&rule.programs, &entry.program))
            .map(Programme::Training);
        for programme in education.chain(training) {
            let miss = if !accredited(rule.accredited_by.as_deref(), programme.accreditation()) {
                ProgramMiss::Accreditation
            } else {
                match window.check_completed(programme.completed()) {
                    Ok(()) => return Verdict::Eligible,
                    Err(miss) => ProgramMiss::Date(miss),
                }
            };
            if best.is_none_or(|(_, held)| miss.rank() > held.rank()) {
                best = Some((programme, miss));
            }
        }
        if self.explain {
            let mut gap = Gap::new(UnmetKind::Training, Lead::Needs(program_need(rule)), site);
            match best {
                None => gap = gap.detail("your profile lists no such programme"),
                Some((programme, ProgramMiss::Accreditation)) => {
                    gap.kind = UnmetKind::Accreditation;
                    gap = gap.detail(accreditation_detail(
                        &programme.noun(),
                        programme.accreditation(),
                    ));
                }
                Some((programme, ProgramMiss::Date(miss))) => {
                    gap = gap.detail(format!(
                        "your {} {}",
                        programme.noun(),
                        window.describe_miss(miss)
                    ));
                }
            }
            gaps.push(gap);
        }
        Verdict::NotEligible
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ProgramMiss {
    Accreditation,
    Date(DateMiss),
}

impl ProgramMiss {
    fn rank(self) -> u8 {
        match self {
            ProgramMiss::Accreditation => 0,
            ProgramMiss::Date(_) => 1,
        }
    }
}

/// An education or training entry that names a programme.
#[derive(Clone, Copy, Debug)]
enum Programme<'p> {
    Education(&'p Education),
    Training(&'p Training),
}

impl Programme<'_> {
    fn accreditation(&self) -> Option<&str> {
        match self {
            Programme::Education(entry) => entry.accreditation.as_deref(),
            Programme::Training(entry) => entry.accreditation.as_deref(),
        }
    }

    fn completed(&self) -> Option<crate::date::Date> {
        match self {
            Programme::Education(entry) => entry.completed,
            Programme::Training(entry) => entry.completed,
        }
    }

    fn noun(&self) -> String {
        match self {
            Programme::Education(entry) => degree_noun(entry),
            Programme::Training(entry) => format!("{} programme", entry.program),
        }
    }
}

/// `bachelor's degree` (without the article).
fn level_noun(level: DegreeLevel) -> &'static str {
    let phrase = level.phrase();
    phrase.split_once(' ').map_or(phrase, |(_, noun)| noun)
}

/// `bachelor's degree in biology`.
pub(super) fn degree_noun(entry: &Education) -> String {
    match &entry.field {
        Some(field) => format!("{} in {field}", level_noun(entry.degree)),
        None => level_noun(entry.degree).to_string(),
    }
}

fn accreditation_detail(noun: &str, have: Option<&str>) -> String {
    match have {
        Some(body) => format!("your {noun} is accredited by {body}"),
        None => format!("your {noun} lists no `accreditation`"),
    }
}

fn degree_gap(
    rule: &DegreeRule,
    best: Option<(&Education, DegreeMiss)>,
    window: &Window,
    site: Site,
) -> Gap {
    let gap = Gap::new(UnmetKind::Degree, Lead::Needs(degree_need(rule)), site);
    let Some((entry, miss)) = best else {
        return gap.detail("your profile lists no degree");
    };
    match miss {
        DegreeMiss::Level => {
            let in_progress = if entry.completed.is_none() {
                " (in progress)"
            } else {
                ""
            };
            gap.detail(format!(
                "your highest is {}{in_progress}",
                entry.degree.phrase()
            ))
        }
        DegreeMiss::Field => {
            let detail = match &entry.field {
                Some(field) => format!("your {} is in {field}", level_noun(entry.degree)),
                None => format!("your {} has no `field`", level_noun(entry.degree)),
            };
            Gap {
                kind: UnmetKind::Field,
                ..gap
            }
            .detail(detail)
        }
        DegreeMiss::Accreditation => Gap {
            kind: UnmetKind::Accreditation,
            ..gap
        }
        .detail(accreditation_detail(
            &degree_noun(entry),
            entry.accreditation.as_deref(),
        )),
        DegreeMiss::Date(miss) => gap.detail(format!(
            "your {} {}",
            degree_noun(entry),
            window.describe_miss(miss)
        )),
    }
}

/// `a bachelor's degree or higher in chemistry, from a NAACLS-accredited
/// programme, completed in the last 5 years`.
pub(super) fn degree_need(rule: &DegreeRule) -> String {
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
        text.push_str(&format!(", completed{}", phrase(rule.within_years)));
    }
    text
}

/// `a programme in medical laboratory science accredited by NAACLS,
/// completed in the last 5 years`.
pub(super) fn program_need(rule: &ProgramRule) -> String {
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
        text.push_str(&format!(", completed{}", phrase(rule.within_years)));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::eval::{UnmetKind, Verdict::*};
    use crate::ruleset::VocabularyKind;
    use serde_json::json;

    fn degree_rule(minimum: DegreeLevel) -> DegreeRule {
        DegreeRule {
            minimum,
            fields: None,
            accredited_by: None,
            within_years: None,
        }
    }

    fn check(
        rule: DegreeRule,
        education: serde_json::Value,
        as_of: &str,
    ) -> crate::eval::RoleOutcome {
        let rules = single_condition(node(crate::ruleset::RequirementKind::Degree(rule)));
        evaluate(&rules, json!({ "education": education }), as_of)
    }

    #[test]
    fn higher_levels_count_and_lower_ones_do_not() {
        let master = json!([{ "degree": "master", "completed": "2020-01-01" }]);
        assert_eq!(
            check(degree_rule(DegreeLevel::Bachelor), master, "2026-01-01").verdict,
            Eligible
        );
        let associate = json!([{ "degree": "associate", "completed": "2020-01-01" },
                               { "degree": "high_school", "completed": "2015-01-01" }]);
        let outcome = check(degree_rule(DegreeLevel::Bachelor), associate, "2026-01-01");
        assert_eq!(outcome.verdict, NotEligible);
        assert_eq!(outcome.unmet[0].kind, UnmetKind::Degree);
        assert_eq!(
            outcome.unmet[0].message,
            "needs a bachelor's degree or higher; your highest is an associate degree"
        );
        let none = check(degree_rule(DegreeLevel::Associate), json!([]), "2026-01-01");
        assert_eq!(
            none.unmet[0].message,
            "needs an associate degree or higher; your profile lists no degree"
        );
    }

    #[test]
    fn in_progress_and_future_degrees_do_not_count() {
        let outcome = check(
            degree_rule(DegreeLevel::Bachelor),
            json!([{ "degree": "bachelor", "field": "biology" }]),
            "2026-01-01",
        );
        assert_eq!(outcome.verdict, NotEligible);
        assert_eq!(
            outcome.unmet[0].message,
            "needs a bachelor's degree or higher; your bachelor's degree in biology is in progress (no `completed` date)"
        );
        let future = check(
            degree_rule(DegreeLevel::Bachelor),
            json!([{ "degree": "bachelor", "completed": "2026-01-02" }]),
            "2026-01-01",
        );
        assert!(
            future.unmet[0]
                .message
                .ends_with("was completed after the evaluation date (on 2026-01-02)")
        );
        let on_the_day = check(
            degree_rule(DegreeLevel::Bachelor),
            json!([{ "degree": "bachelor", "completed": "2026-01-01" }]),
            "2026-01-01",
        );
        assert_eq!(on_the_day.verdict, Eligible);
    }

    #[test]
    fn wrong_field_is_a_field_gap() {
        let mut rule = degree_rule(DegreeLevel::Bachelor);
        rule.fields = Some(terms(
            VocabularyKind::Field,
            &["medical laboratory science", "chemistry"],
        ));
        let outcome = check(
            rule.clone(),
            json!([{ "degree": "bachelor", "field": "history", "completed": "2020-01-01" },
                   { "degree": "associate", "field": "chemistry", "completed": "2018-01-01" }]),
            "2026-01-01",
        );
        assert_eq!(outcome.unmet[0].kind, UnmetKind::Field);
        assert_eq!(
            outcome.unmet[0].message,
            "needs a bachelor's degree or higher in medical laboratory science or chemistry; your bachelor's degree is in history"
        );
        let ok = check(
            rule,
            json!([{ "degree": "doctorate", "field": "Chemistry", "completed": "2020-01-01" }]),
            "2026-01-01",
        );
        assert_eq!(ok.verdict, Eligible);
    }

    #[test]
    fn wrong_accreditation_is_an_accreditation_gap() {
        let mut rule = degree_rule(DegreeLevel::Associate);
        rule.accredited_by = Some(vec!["NAACLS".into(), "ABHES".into()]);
        let outcome = check(
            rule.clone(),
            json!([{ "degree": "associate", "field": "mlt", "completed": "2020-01-01", "accreditation": "CAAHEP" }]),
            "2026-01-01",
        );
        assert_eq!(outcome.unmet[0].kind, UnmetKind::Accreditation);
        assert_eq!(
            outcome.unmet[0].message,
            "needs an associate degree or higher, from a NAACLS or ABHES-accredited programme; your associate degree in mlt is accredited by CAAHEP"
        );
        let ok = check(
            rule,
            json!([{ "degree": "associate", "completed": "2020-01-01", "accreditation": "naacls" }]),
            "2026-01-01",
        );
        assert_eq!(ok.verdict, Eligible);
    }

    #[test]
    fn degree_window_includes_both_ends() {
        let mut rule = degree_rule(DegreeLevel::Bachelor);
        rule.within_years = Some(5);
        let at = |completed: &str| {
            check(
                rule.clone(),
                json!([{ "degree": "bachelor", "completed": completed }]),
                "2026-11-22",
            )
        };
        assert_eq!(at("2021-11-22").verdict, Eligible);
        assert_eq!(at("2026-11-22").verdict, Eligible);
        let outcome = at("2021-11-21");
        assert_eq!(outcome.verdict, NotEligible);
        assert_eq!(
            outcome.unmet[0].message,
            "needs a bachelor's degree or higher, completed in the last 5 years; your bachelor's degree \
             was completed on 2021-11-21, outside the 5-year window (from 2021-11-22)"
        );
    }

    fn program_rule() -> ProgramRule {
        ProgramRule {
            programs: terms(VocabularyKind::Program, &["medical laboratory science"]),
            accredited_by: Some(vec!["NAACLS".into()]),
            within_years: Some(5),
        }
    }

    fn check_program(profile: serde_json::Value, as_of: &str) -> crate::eval::RoleOutcome {
        let rules = single_condition(node(crate::ruleset::RequirementKind::Program(
            program_rule(),
        )));
        evaluate(&rules, profile, as_of)
    }

    #[test]
    fn programmes_match_education_fields_and_training_programmes() {
        let from_degree = json!({ "education": [{ "degree": "bachelor", "field": "MLS",
            "completed": "2024-05-15", "accreditation": "NAACLS" }] });
        assert_eq!(check_program(from_degree, "2026-11-22").verdict, Eligible);
        let from_training = json!({ "training": [{ "program": "medical_laboratory_science",
            "completed": "2024-05-15", "accreditation": "NAACLS" }] });
        assert_eq!(check_program(from_training, "2026-11-22").verdict, Eligible);
    }

    #[test]
    fn programme_gaps_say_why() {
        let old = json!({ "training": [{ "program": "medical laboratory science",
            "completed": "2019-05-15", "accreditation": "NAACLS" }] });
        let outcome = check_program(old, "2026-11-22");
        assert_eq!(outcome.unmet[0].kind, UnmetKind::Training);
        assert_eq!(
            outcome.unmet[0].message,
            "needs a programme in medical laboratory science accredited by NAACLS, completed in the \
             last 5 years; your medical laboratory science programme was completed on 2019-05-15, \
             outside the 5-year window (from 2021-11-22)"
        );
        let unaccredited = json!({ "education": [{ "degree": "bachelor", "field": "medical laboratory science",
            "completed": "2024-05-15" }] });
        let outcome = check_program(unaccredited, "2026-11-22");
        assert_eq!(outcome.unmet[0].kind, UnmetKind::Accreditation);
        assert!(outcome.unmet[0].message.ends_with(
            "your bachelor's degree in medical laboratory science lists no `accreditation`"
        ));
        let none = check_program(json!({}), "2026-11-22");
        assert!(
            none.unmet[0]
                .message
                .ends_with("your profile lists no such programme")
        );
    }
}
