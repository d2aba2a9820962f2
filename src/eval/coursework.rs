//! `coursework [>= N semester_hours|quarter_hours] [in SUBJECTS] [including
//! TOPICS]`: academic credit, summed in semester hours over the matching
//! subjects (a quarter hour is 2/3 of a semester hour); `including` asks for
//! at least one matching course with one of the topics.

use super::{
    Collected, Counted, Evaluator, Fact, Finding, Quantity, Record, Unit, UnmetKind, Verdict, meets,
};
use crate::ruleset::{CourseworkRule, FileId, Requirement};

impl<'r> Evaluator<'r, '_, '_> {
    pub(super) fn coursework(
        &self,
        requirement: &'r Requirement,
        rule: &CourseworkRule,
        file: FileId,
        found: &mut Collected<'r>,
    ) -> Verdict {
        let mut total = 0.0;
        let mut courses = 0;
        let mut included = rule.including.is_none();
        for course in &self.profile.coursework {
            if rule
                .subjects
                .as_ref()
                .is_some_and(|subjects| !self.term_in(subjects, &course.subject))
            {
                continue;
            }
            total += course.semester_hours();
            courses += 1;
            if let Some(topics) = &rule.including {
                included |= self.opt_term_in(topics, course.topic.as_deref());
            }
        }
        // Without an amount or a topic, `coursework in X` asks for one course in X.
        let hours_met = match rule.minimum_semester_hours {
            Some(minimum) => meets(total, minimum),
            None => rule.including.is_some() || courses > 0,
        };
        let met = hours_met && included;
        if !self.explain {
            return Verdict::of(met);
        }
        // The courses that count toward the subjects (none in outline).
        let findings: Vec<Finding> = self
            .profile
            .coursework
            .iter()
            .enumerate()
            .filter(|_| self.detail)
            .filter(|(_, course)| {
                rule.subjects
                    .as_ref()
                    .is_none_or(|subjects| self.term_in(subjects, &course.subject))
            })
            .map(|(index, course)| Finding {
                record: Record::Coursework(index),
                counted: Counted::Yes,
                amount: Some(course.semester_hours()),
                reasons: Vec::new(),
            })
            .collect();
        let quantity = rule.minimum_semester_hours.map(|needed| Quantity {
            needed,
            have: total,
            unit: Unit::SemesterHours,
        });
        if met {
            self.met(found, requirement, file, |mut evidence| {
                evidence.quantity = quantity;
                evidence.findings = findings;
                evidence
            });
            return Verdict::Eligible;
        }
        let mut gap = self
            .unmet(
                UnmetKind::Coursework,
                Verdict::NotEligible,
                requirement,
                file,
            )
            .findings(findings);
        if let (false, Some(quantity)) = (hours_met, quantity) {
            gap = gap.quantity(quantity.needed, quantity.have, quantity.unit);
        }
        if courses == 0 && (!hours_met && quantity.is_none() || !included) {
            gap = gap.fact(Fact::NoneListed);
        }
        if !included && courses > 0 {
            gap = gap.fact(Fact::NoTopicCourse { courses });
        }
        if !included && hours_met {
            gap.distance = 1.0;
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
    use crate::syntax::ast::CreditUnit;
    use serde_json::json;

    fn rule(semester: Option<f64>, quarter_written: bool) -> CourseworkRule {
        CourseworkRule {
            minimum_semester_hours: semester,
            written_minimum: semester.map(|s| {
                if quarter_written {
                    (s * 1.5, CreditUnit::QuarterHours)
                } else {
                    (s, CreditUnit::SemesterHours)
                }
            }),
            subjects: Some(terms(VocabularyKind::Subject, &["biology"])),
            including: None,
        }
    }

    fn check(
        rule: CourseworkRule,
        coursework: serde_json::Value,
    ) -> super::super::test_support::Shown {
        let rules = single_condition(node(RequirementKind::Coursework(rule)));
        evaluate(&rules, json!({ "coursework": coursework }), "2026-01-01")
    }

    #[test]
    fn hours_add_up_per_subject_at_the_threshold() {
        let courses = json!([
            { "subject": "biology", "semester_hours": 10 },
            { "subject": "Biology", "semester_hours": 6 },
            { "subject": "chemistry", "semester_hours": 8 },
        ]);
        assert_eq!(
            check(rule(Some(16.0), false), courses.clone()).verdict,
            Eligible
        );
        let outcome = check(rule(Some(16.5), false), courses);
        assert_eq!(outcome.verdict, NotEligible);
        let unmet = &outcome.unmet[0];
        assert_eq!(unmet.kind, UnmetKind::Coursework);
        assert_eq!(
            (unmet.needed, unmet.have, unmet.unit),
            (Some(16.5), Some(16.0), Some("semester_hours"))
        );
        assert_eq!(
            unmet.message,
            "needs 16.5 semester hours of coursework in biology; has 16 semester hours"
        );
    }

    #[test]
    fn quarter_hours_count_two_thirds() {
        // 24 quarter hours = 16 semester hours exactly.
        let courses = json!([{ "subject": "biology", "quarter_hours": 24 }]);
        assert_eq!(check(rule(Some(16.0), true), courses).verdict, Eligible);
        let courses = json!([{ "subject": "biology", "quarter_hours": 23 }]);
        let outcome = check(rule(Some(16.0), true), courses);
        assert_eq!(outcome.verdict, NotEligible);
        assert_eq!(
            outcome.unmet[0].message,
            "needs 24 quarter hours (16 semester hours) of coursework in biology; has 15.3 semester hours"
        );
    }

    #[test]
    fn including_needs_one_matching_course_with_the_topic() {
        let mut with_topic = rule(Some(8.0), false);
        with_topic.including = Some(terms(VocabularyKind::Topic, &["microbiology"]));
        let courses = json!([
            { "subject": "biology", "semester_hours": 8, "topic": "genetics" },
            { "subject": "chemistry", "semester_hours": 4, "topic": "microbiology" },
        ]);
        let outcome = check(with_topic.clone(), courses);
        assert_eq!(
            outcome.verdict, NotEligible,
            "the microbiology course is not biology"
        );
        assert_eq!(
            outcome.unmet[0].message,
            "needs 8 semester hours of coursework in biology, including a course in microbiology; has no course in microbiology"
        );
        assert_eq!(
            outcome.unmet[0].needed, None,
            "hours are met, nothing to quantify"
        );
        let courses =
            json!([{ "subject": "biology", "semester_hours": 8, "topic": "Microbiology" }]);
        assert_eq!(check(with_topic.clone(), courses).verdict, Eligible);
        let outcome = check(with_topic, json!([]));
        assert_eq!(
            outcome.unmet[0].message,
            "needs 8 semester hours of coursework in biology, including a course in microbiology; has 0 semester hours; your profile lists no such coursework"
        );
    }
}
