//! `continuing_education >= N hours [in TOPICS] [within N years]`: hours of
//! continuing education completed on or before the evaluation date (inside
//! the window when there is one), summed over entries whose topic matches.

use super::window::Window;
use super::{
    Collected, Counted, Evaluator, Fact, Finding, Quantity, Record, Unit, UnmetKind, Verdict, meets,
};
use crate::ruleset::{ContinuingEducationRule, FileId, Requirement};

impl<'r> Evaluator<'r, '_, '_> {
    pub(super) fn continuing_education(
        &self,
        requirement: &'r Requirement,
        rule: &ContinuingEducationRule,
        file: FileId,
        found: &mut Collected<'r>,
    ) -> Verdict {
        let window = Window::new(self.as_of, rule.within_years);
        let on_topic = |topic: Option<&str>| {
            rule.topics
                .as_ref()
                .is_none_or(|topics| self.opt_term_in(topics, topic))
        };
        let mut total = 0.0;
        let mut outside = 0.0;
        for entry in &self.profile.continuing_education {
            if !on_topic(entry.topic.as_deref()) {
                continue;
            }
            if window.contains(entry.completed) {
                total += entry.hours;
            } else {
                outside += entry.hours;
            }
        }
        let met = meets(total, rule.hours);
        if !self.explain {
            return Verdict::of(met);
        }
        let findings: Vec<Finding> = self
            .profile
            .continuing_education
            .iter()
            .enumerate()
            .filter(|(_, entry)| on_topic(entry.topic.as_deref()))
            .filter_map(|(index, entry)| {
                let record = Record::ContinuingEducation(index);
                match window.completion_miss(Some(entry.completed)) {
                    None => Some(Finding {
                        record,
                        counted: Counted::Yes,
                        amount: Some(entry.hours),
                        reasons: Vec::new(),
                    }),
                    Some(_) if met => None,
                    Some(reason) => Some(Finding::not_counted(record, vec![reason])),
                }
            })
            .collect();
        if met {
            self.met(found, requirement, file, |mut evidence| {
                evidence.quantity = Some(Quantity {
                    needed: rule.hours,
                    have: total,
                    unit: Unit::Hours,
                });
                evidence.findings = findings;
                evidence
            });
            return Verdict::Eligible;
        }
        let mut gap = self
            .unmet(
                UnmetKind::ContinuingEducation,
                Verdict::NotEligible,
                requirement,
                file,
            )
            .quantity(rule.hours, total, Unit::Hours)
            .findings(findings);
        gap.distance = (rule.hours - total).max(0.0) / super::outcome::distances::CE_HOURS_PER_UNIT;
        if outside > 0.0 {
            gap = gap.fact(Fact::HoursOutsideWindow {
                hours: outside,
                window_from: window.start,
                years: window.years,
            });
        }
        found.gaps.push(gap);
        Verdict::NotEligible
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::eval::{UnmetKind, Verdict::*};
    use crate::ruleset::{RequirementKind, VocabularyKind};
    use serde_json::json;

    fn check(
        rule: ContinuingEducationRule,
        entries: serde_json::Value,
        as_of: &str,
    ) -> super::super::test_support::Shown {
        let rules = single_condition(node(RequirementKind::ContinuingEducation(rule)));
        evaluate(&rules, json!({ "continuing_education": entries }), as_of)
    }

    fn rule(topics: bool) -> ContinuingEducationRule {
        ContinuingEducationRule {
            hours: 12.0,
            topics: topics.then(|| terms(VocabularyKind::Topic, &["hematology"])),
            within_years: Some(2),
        }
    }

    #[test]
    fn hours_in_the_window_add_up_both_ends_included() {
        let entries = json!([
            { "completed": "2024-03-01", "hours": 6 },
            { "completed": "2026-03-01", "hours": 6 },
            { "completed": "2024-02-29", "hours": 100 },
            { "completed": "2026-03-02", "hours": 100 },
        ]);
        assert_eq!(check(rule(false), entries, "2026-03-01").verdict, Eligible);
        let entries = json!([{ "completed": "2024-02-29", "hours": 6 }, { "completed": "2026-03-01", "hours": 6 }]);
        let outcome = check(rule(false), entries, "2026-03-01");
        assert_eq!(outcome.verdict, NotEligible);
        let unmet = &outcome.unmet[0];
        assert_eq!(unmet.kind, UnmetKind::ContinuingEducation);
        assert_eq!(
            (unmet.needed, unmet.have, unmet.unit),
            (Some(12.0), Some(6.0), Some("hours"))
        );
        assert_eq!(
            unmet.message,
            "needs 12 hours of continuing education in the last 2 years; has 6 hours; 6 more hours fall \
             outside the 2-year window (from 2024-03-01) or after the evaluation date"
        );
    }

    #[test]
    fn topics_filter() {
        let entries = json!([
            { "completed": "2025-01-01", "hours": 12, "topic": "chemistry" },
            { "completed": "2025-01-01", "hours": 11, "topic": "Hematology" },
            { "completed": "2025-01-01", "hours": 5 },
        ]);
        let outcome = check(rule(true), entries, "2026-01-01");
        assert_eq!(outcome.verdict, NotEligible);
        assert_eq!(outcome.unmet[0].have, Some(11.0));
        assert!(outcome.unmet[0].message.starts_with(
            "needs 12 hours of continuing education in hematology in the last 2 years; has 11"
        ));
    }
}
