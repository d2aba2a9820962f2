//! `continuing_education >= N hours [in TOPICS] [within N years]`: hours of
//! continuing education completed on or before the evaluation date (inside
//! the window when there is one), summed over entries whose topic matches.

use super::window::{Window, phrase};
use super::{Evaluator, Gap, Lead, Site, UnmetKind, Verdict, join_or, meets, number, unit};
use crate::ruleset::ContinuingEducationRule;

impl Evaluator<'_, '_> {
    pub(super) fn continuing_education(
        &self,
        rule: &ContinuingEducationRule,
        site: Site,
        gaps: &mut Vec<Gap>,
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
        if meets(total, rule.hours) {
            return Verdict::Eligible;
        }
        if self.explain {
            let mut gap = Gap::new(
                UnmetKind::ContinuingEducation,
                Lead::Needs(need(rule)),
                site,
            )
            .quantity(rule.hours, total, unit::HOURS)
            .has();
            if outside > 0.0 {
                gap = gap.detail(format!(
                    "{} more hours fall outside {} or after the evaluation date",
                    number(outside),
                    window.name()
                ));
            }
            gaps.push(gap);
        }
        Verdict::NotEligible
    }
}

/// `12 hours of continuing education in hematology in the last 2 years`.
pub(super) fn need(rule: &ContinuingEducationRule) -> String {
    let mut text = format!("{} hours of continuing education", number(rule.hours));
    if let Some(topics) = &rule.topics {
        text.push_str(&format!(" in {}", join_or(&topics.written)));
    }
    text.push_str(&phrase(rule.within_years));
    text
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
    ) -> crate::eval::RoleOutcome {
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
