//! `coursework [>= N semester_hours|quarter_hours] [in SUBJECTS] [including
//! TOPICS]`: academic credit, summed in semester hours over the matching
//! subjects (a quarter hour is 2/3 of a semester hour); `including` asks for
//! at least one matching course with one of the topics.

use super::{Evaluator, Gap, Lead, Site, UnmetKind, Verdict, join_or, meets, number, unit};
use crate::ruleset::CourseworkRule;
use crate::syntax::ast::CreditUnit;

impl Evaluator<'_, '_> {
    pub(super) fn coursework(
        &self,
        rule: &CourseworkRule,
        site: Site,
        gaps: &mut Vec<Gap>,
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
        if hours_met && included {
            return Verdict::Eligible;
        }
        if self.explain {
            let mut gap = Gap::new(UnmetKind::Coursework, Lead::Needs(need(rule)), site);
            match (hours_met, rule.minimum_semester_hours) {
                (false, Some(minimum)) => {
                    gap = gap.quantity(minimum, total, unit::SEMESTER_HOURS).has();
                }
                (false, None) => gap = gap.detail("your profile lists no such coursework"),
                (true, _) => {}
            }
            if !included {
                let topics = rule
                    .including
                    .as_ref()
                    .map(|t| join_or(&t.written))
                    .unwrap_or_default();
                gap = gap.detail(if courses == 0 {
                    "your profile lists no such coursework".to_string()
                } else {
                    format!("has no course in {topics}")
                });
            }
            gaps.push(gap);
        }
        Verdict::NotEligible
    }
}

/// `16 semester hours of coursework in biology, including a course in
/// microbiology`; a minimum written in quarter hours is shown both ways.
pub(super) fn need(rule: &CourseworkRule) -> String {
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

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::eval::{UnmetKind, Verdict::*};
    use crate::ruleset::{RequirementKind, VocabularyKind};
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

    fn check(rule: CourseworkRule, coursework: serde_json::Value) -> crate::eval::RoleOutcome {
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
