//! `degree >= LEVEL …` and `program …`: completed education.
//!
//! A degree counts when its level is at least the minimum, its field is one
//! the rule names, its programme is accredited by one of the named bodies
//! (case-insensitive), and it was completed on or before the evaluation date
//! (inside the window when there is one). A missing `completed` means in
//! progress. A `program` is matched by an education entry's `field` or a
//! training entry's `program`.

use super::window::Window;
use super::{Collected, Evaluator, Fact, Finding, Reason, Record, UnmetKind, Verdict, same};
use crate::profile::Education;
use crate::ruleset::{DegreeRule, FileId, ProgramRule, Requirement};

/// Whether a programme's accreditation is one the rule accepts.
pub(super) fn accredited(accepted: Option<&[String]>, have: Option<&str>) -> bool {
    accepted.is_none_or(|accepted| {
        have.is_some_and(|have| accepted.iter().any(|body| same(body, have)))
    })
}

/// How far through the checks an entry got before its first miss; the
/// entry that got furthest explains the gap.
fn rank(first: Option<&Reason>) -> u8 {
    match first {
        Some(Reason::DegreeLevel { .. }) => 0,
        Some(Reason::Field) => 1,
        Some(Reason::Accreditation) => 2,
        Some(_) => 3,
        None => 4,
    }
}

/// The kind of gap an entry's first miss gives.
fn kind_of_miss(first: Option<&Reason>, plain: UnmetKind) -> UnmetKind {
    match first {
        Some(Reason::Field) => UnmetKind::Field,
        Some(Reason::Accreditation) => UnmetKind::Accreditation,
        _ => plain,
    }
}

impl<'r> Evaluator<'r, '_, '_> {
    pub(super) fn degree(
        &self,
        requirement: &'r Requirement,
        rule: &DegreeRule,
        file: FileId,
        found: &mut Collected<'r>,
    ) -> Verdict {
        let window = Window::new(self.as_of, rule.within_years);
        // The entry that got furthest through the checks, for the explanation.
        // In outline only the first miss is wanted (it ranks the entry and
        // names the gap's kind), so no list of reasons is built.
        let mut best: Option<(usize, &Education, Reason, Vec<Reason>)> = None;
        for (index, entry) in self.profile.education.iter().enumerate() {
            if !self.explain {
                if self.degree_counts(rule, entry, &window) {
                    return Verdict::Eligible;
                }
                continue;
            }
            let (first, reasons) = if self.detail {
                let reasons = self.degree_misses(rule, entry, &window);
                (reasons.first().copied(), reasons)
            } else {
                (self.first_degree_miss(rule, entry, &window), Vec::new())
            };
            let Some(first) = first else {
                self.met(found, requirement, file, |mut met| {
                    met.findings
                        .push(Finding::counted(Record::Education(index)));
                    met
                });
                return Verdict::Eligible;
            };
            // Further through the checks wins; among too-low degrees, the
            // highest; otherwise the first listed.
            let key = |entry: &Education, first: &Reason| {
                let level = matches!(first, Reason::DegreeLevel { .. });
                (rank(Some(first)), level.then_some(entry.degree))
            };
            if best
                .as_ref()
                .is_none_or(|(_, held, held_first, _)| key(entry, &first) > key(held, held_first))
            {
                best = Some((index, entry, first, reasons));
            }
        }
        if self.explain {
            let gap = match best {
                None => self
                    .unmet(UnmetKind::Degree, Verdict::NotEligible, requirement, file)
                    .fact(Fact::NoneListed),
                Some((index, _, first, reasons)) => {
                    let gap = self.unmet(
                        kind_of_miss(Some(&first), UnmetKind::Degree),
                        Verdict::NotEligible,
                        requirement,
                        file,
                    );
                    if self.detail {
                        gap.findings(vec![Finding::not_counted(
                            Record::Education(index),
                            reasons,
                        )])
                    } else {
                        gap
                    }
                }
            };
            let mut gap = gap;
            if gap.kind == UnmetKind::Degree {
                gap.distance = super::outcome::distances::DEGREE;
            }
            found.gaps.push(gap);
        }
        Verdict::NotEligible
    }

    /// The first of `degree_misses`, without building the list.
    fn first_degree_miss(
        &self,
        rule: &DegreeRule,
        entry: &Education,
        window: &Window,
    ) -> Option<Reason> {
        if entry.degree < rule.minimum {
            return Some(Reason::DegreeLevel {
                minimum: rule.minimum,
            });
        }
        if let Some(fields) = &rule.fields
            && !self.opt_term_in(fields, entry.field.as_deref())
        {
            return Some(Reason::Field);
        }
        if !accredited(
            rule.accredited_by.as_deref(),
            entry.accreditation.as_deref(),
        ) {
            return Some(Reason::Accreditation);
        }
        window.completion_miss(entry.completed)
    }

    /// Whether an education entry counts: `degree_misses` is empty, without
    /// building the list.
    fn degree_counts(&self, rule: &DegreeRule, entry: &Education, window: &Window) -> bool {
        self.first_degree_miss(rule, entry, window).is_none()
    }

    /// Why an education entry does not count: nothing when it does; a
    /// degree too low is reported alone (no other fact about it matters)
    /// but for its being in progress.
    fn degree_misses(&self, rule: &DegreeRule, entry: &Education, window: &Window) -> Vec<Reason> {
        if entry.degree < rule.minimum {
            let mut reasons = vec![Reason::DegreeLevel {
                minimum: rule.minimum,
            }];
            if entry.completed.is_none() {
                reasons.push(Reason::InProgress);
            }
            return reasons;
        }
        let mut reasons = Vec::new();
        if let Some(fields) = &rule.fields
            && !self.opt_term_in(fields, entry.field.as_deref())
        {
            reasons.push(Reason::Field);
        }
        if !accredited(
            rule.accredited_by.as_deref(),
            entry.accreditation.as_deref(),
        ) {
            reasons.push(Reason::Accreditation);
        }
        reasons.extend(window.completion_miss(entry.completed));
        reasons
    }

    pub(super) fn program(
        &self,
        requirement: &'r Requirement,
        rule: &ProgramRule,
        file: FileId,
        found: &mut Collected<'r>,
    ) -> Verdict {
        let window = Window::new(self.as_of, rule.within_years);
        let education = self
            .profile
            .education
            .iter()
            .enumerate()
            .filter(|(_, entry)| self.opt_term_in(&rule.programs, entry.field.as_deref()))
            .map(|(index, entry)| {
                (
                    Record::Education(index),
                    entry.accreditation.as_deref(),
                    entry.completed,
                    entry.expected,
                )
            });
        let training = self
            .profile
            .training
            .iter()
            .enumerate()
            .filter(|(_, entry)| self.term_in(&rule.programs, &entry.program))
            .map(|(index, entry)| {
                (
                    Record::Training(index),
                    entry.accreditation.as_deref(),
                    entry.completed,
                    entry.expected,
                )
            });
        if !self.explain {
            let counts = |(_, accreditation, completed, expected): (Record, _, _, _)| {
                accredited(rule.accredited_by.as_deref(), accreditation)
                    && window
                        .completion_or_scheduled(rule.scheduled, completed, expected)
                        .is_ok()
            };
            return Verdict::of(education.chain(training).any(counts));
        }
        // An entry's misses: the accreditation, then the completion date
        // (listed in that order; kept as two fields so that comparing
        // entries in outline allocates nothing).
        let mut best: Option<(Record, bool, Option<Reason>)> = None;
        for (record, accreditation, completed, expected) in education.chain(training) {
            let unaccredited = !accredited(rule.accredited_by.as_deref(), accreditation);
            let (scheduled, miss) =
                match window.completion_or_scheduled(rule.scheduled, completed, expected) {
                    Ok(scheduled) => (scheduled, None),
                    Err(miss) => (None, Some(miss)),
                };
            if !unaccredited && miss.is_none() {
                self.met(found, requirement, file, |mut met| {
                    met.findings.push(match scheduled {
                        Some(on) => Finding {
                            reasons: vec![Reason::Scheduled { on }],
                            ..Finding::counted(record)
                        },
                        None => Finding::counted(record),
                    });
                    met
                });
                return Verdict::Eligible;
            }
            // An accredited programme not yet (or too long ago) completed
            // is nearer than one without the accreditation; then fewer
            // misses are nearer.
            let key = |unaccredited: bool, miss: &Option<Reason>| {
                let misses = usize::from(unaccredited) + usize::from(miss.is_some());
                (!unaccredited, usize::MAX - misses)
            };
            if best
                .as_ref()
                .is_none_or(|(_, held, held_miss)| key(unaccredited, &miss) > key(*held, held_miss))
            {
                best = Some((record, unaccredited, miss));
            }
        }
        if self.explain {
            let gap = match best {
                None => self
                    .unmet(UnmetKind::Training, Verdict::NotEligible, requirement, file)
                    .fact(Fact::NoneListed),
                Some((record, unaccredited, miss)) => {
                    let first = if unaccredited {
                        Some(Reason::Accreditation)
                    } else {
                        miss
                    };
                    let gap = self.unmet(
                        kind_of_miss(first.as_ref(), UnmetKind::Training),
                        Verdict::NotEligible,
                        requirement,
                        file,
                    );
                    if self.detail {
                        let reasons = unaccredited
                            .then_some(Reason::Accreditation)
                            .into_iter()
                            .chain(miss)
                            .collect();
                        gap.findings(vec![Finding::not_counted(record, reasons)])
                    } else {
                        gap
                    }
                }
            };
            found.gaps.push(gap);
        }
        Verdict::NotEligible
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::eval::{UnmetKind, Verdict::*};
    use crate::profile::DegreeLevel;
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
    ) -> super::super::test_support::Shown {
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
            scheduled: false,
        }
    }

    fn check_program(profile: serde_json::Value, as_of: &str) -> super::super::test_support::Shown {
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
