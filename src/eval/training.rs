//! `training PROGRAMS [accredited by ORGS] [within N years] [where M >= N, …]`:
//! one completed training entry whose programme matches, accredited by one of
//! the bodies, completed on or before the evaluation date (inside the window
//! when there is one), with every minimum met by that same entry. A missing
//! `completed` means in progress; a missing measure counts as 0.

use super::education::accredited;
use super::window::{DateMiss, Window, phrase};
use super::{
    Evaluator, Gap, Lead, Site, UnmetKind, Verdict, join_and, join_or, meets, number, unit,
};
use crate::profile::Training;
use crate::ruleset::{TrainingMeasure, TrainingRule};

/// Why a matching training entry does not count, in the order checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TrainingMiss {
    Accreditation,
    Date(DateMiss),
    /// Some minimums not met; how many are met.
    Measures {
        met: usize,
    },
}

impl TrainingMiss {
    fn rank(self) -> (u8, usize) {
        match self {
            TrainingMiss::Accreditation => (0, 0),
            TrainingMiss::Date(_) => (1, 0),
            TrainingMiss::Measures { met } => (2, met),
        }
    }
}

/// The figure a training entry reports for a measure (absent: 0).
fn measure(entry: &Training, measure: TrainingMeasure) -> f64 {
    match measure {
        TrainingMeasure::Weeks => entry.duration_weeks.unwrap_or(0.0),
        TrainingMeasure::DidacticHours => entry.didactic_hours.unwrap_or(0.0),
        TrainingMeasure::ClinicalHours => entry.clinical_hours.unwrap_or(0.0),
        TrainingMeasure::Venipunctures => entry.venipunctures.map_or(0.0, f64::from),
        TrainingMeasure::SkinPunctures => entry.skin_punctures.map_or(0.0, f64::from),
        TrainingMeasure::ArterialPunctures => entry.arterial_punctures.map_or(0.0, f64::from),
    }
}

/// `100 venipunctures`, `40 didactic hours`, `12 weeks`.
fn measure_phrase(measure: TrainingMeasure, amount: f64) -> String {
    let noun = match measure {
        TrainingMeasure::Weeks => "weeks",
        TrainingMeasure::DidacticHours => "didactic hours",
        TrainingMeasure::ClinicalHours => "clinical hours",
        TrainingMeasure::Venipunctures => "venipunctures",
        TrainingMeasure::SkinPunctures => "skin punctures",
        TrainingMeasure::ArterialPunctures => "arterial punctures",
    };
    format!("{} {noun}", number(amount))
}

/// The contract's unit for a measure; weeks have none (reported in words).
fn measure_unit(measure: TrainingMeasure) -> Option<&'static str> {
    match measure {
        TrainingMeasure::Weeks => None,
        TrainingMeasure::DidacticHours | TrainingMeasure::ClinicalHours => Some(unit::HOURS),
        TrainingMeasure::Venipunctures
        | TrainingMeasure::SkinPunctures
        | TrainingMeasure::ArterialPunctures => Some(unit::COUNT),
    }
}

impl Evaluator<'_, '_> {
    pub(super) fn training(&self, rule: &TrainingRule, site: Site, gaps: &mut Vec<Gap>) -> Verdict {
        let window = Window::new(self.as_of, rule.within_years);
        let mut best: Option<(&Training, TrainingMiss)> = None;
        for entry in &self.profile.training {
            if !self.term_in(&rule.programs, &entry.program) {
                continue;
            }
            let miss = if !accredited(
                rule.accredited_by.as_deref(),
                entry.accreditation.as_deref(),
            ) {
                TrainingMiss::Accreditation
            } else if let Err(miss) = window.check_completed(entry.completed) {
                TrainingMiss::Date(miss)
            } else {
                let met = rule
                    .minimums
                    .iter()
                    .filter(|(m, minimum)| meets(measure(entry, *m), *minimum))
                    .count();
                if met == rule.minimums.len() {
                    return Verdict::Eligible;
                }
                TrainingMiss::Measures { met }
            };
            if best.is_none_or(|(_, held)| miss.rank() > held.rank()) {
                best = Some((entry, miss));
            }
        }
        if self.explain {
            self.training_gaps(rule, best, &window, site, gaps);
        }
        Verdict::NotEligible
    }

    fn training_gaps(
        &self,
        rule: &TrainingRule,
        best: Option<(&Training, TrainingMiss)>,
        window: &Window,
        site: Site,
        gaps: &mut Vec<Gap>,
    ) {
        let gap = Gap::new(UnmetKind::Training, Lead::Needs(need(rule)), site);
        let Some((entry, miss)) = best else {
            gaps.push(gap.detail("your profile lists no such training"));
            return;
        };
        let noun = format!("{} training", entry.program);
        match miss {
            TrainingMiss::Accreditation => {
                let detail = match &entry.accreditation {
                    Some(body) => format!("your {noun} is accredited by {body}"),
                    None => format!("your {noun} lists no `accreditation`"),
                };
                gaps.push(
                    Gap {
                        kind: UnmetKind::Accreditation,
                        ..gap
                    }
                    .detail(detail),
                );
            }
            TrainingMiss::Date(miss) => {
                gaps.push(gap.detail(format!("your {noun} {}", window.describe_miss(miss))))
            }
            TrainingMiss::Measures { .. } => {
                // One gap per figure that falls short, each with its numbers.
                for &(m, minimum) in &rule.minimums {
                    let have = measure(entry, m);
                    if meets(have, minimum) {
                        continue;
                    }
                    let lead = Lead::Needs(format!(
                        "{} in {} training",
                        measure_phrase(m, minimum),
                        join_or(&rule.programs.written)
                    ));
                    let mut gap = Gap::new(UnmetKind::Training, lead, site);
                    gap = match measure_unit(m) {
                        Some(unit) => gap.quantity(minimum, have, unit),
                        None => gap,
                    };
                    let shown = gap.quantity.map_or(have, |q| q.have);
                    gaps.push(
                        gap.detail(format!("your {noun} lists {}", measure_phrase(m, shown))),
                    );
                }
            }
        }
    }
}

/// `training in phlebotomy accredited by NAACLS, completed in the last 5
/// years, with at least 100 venipunctures and 25 skin punctures`.
pub(super) fn need(rule: &TrainingRule) -> String {
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
        text.push_str(&format!(", completed{}", phrase(rule.within_years)));
    }
    if !rule.minimums.is_empty() {
        let minimums: Vec<String> = rule
            .minimums
            .iter()
            .map(|&(m, minimum)| measure_phrase(m, minimum))
            .collect();
        text.push_str(&format!(", with at least {}", join_and(&minimums)));
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

    fn rule() -> TrainingRule {
        TrainingRule {
            programs: terms(VocabularyKind::Program, &["phlebotomy"]),
            accredited_by: Some(vec!["NAACLS".into()]),
            within_years: Some(5),
            minimums: vec![
                (TrainingMeasure::Venipunctures, 100.0),
                (TrainingMeasure::DidacticHours, 40.0),
                (TrainingMeasure::Weeks, 10.0),
            ],
        }
    }

    fn check(training: serde_json::Value, as_of: &str) -> crate::eval::RoleOutcome {
        let rules = single_condition(node(RequirementKind::Training(rule())));
        evaluate(&rules, json!({ "training": training }), as_of)
    }

    fn entry() -> serde_json::Value {
        json!({ "program": "Phlebotomy", "accreditation": "NAACLS", "completed": "2022-06-01",
                "venipunctures": 100, "didactic_hours": 40, "duration_weeks": 10 })
    }

    #[test]
    fn every_minimum_at_its_threshold_is_met() {
        assert_eq!(check(json!([entry()]), "2026-01-01").verdict, Eligible);
    }

    #[test]
    fn each_short_figure_is_its_own_gap() {
        let mut short = entry();
        short["venipunctures"] = json!(99);
        short["duration_weeks"] = json!(8);
        let outcome = check(json!([short]), "2026-01-01");
        assert_eq!(outcome.verdict, NotEligible);
        assert_eq!(outcome.unmet.len(), 2);
        let first = &outcome.unmet[0];
        assert_eq!(first.kind, UnmetKind::Training);
        assert_eq!(
            (first.needed, first.have, first.unit),
            (Some(100.0), Some(99.0), Some("count"))
        );
        assert_eq!(
            first.message,
            "needs 100 venipunctures in phlebotomy training; your Phlebotomy training lists 99 venipunctures"
        );
        assert_eq!(outcome.unmet[1].unit, None, "weeks have no contract unit");
        assert_eq!(
            outcome.unmet[1].message,
            "needs 10 weeks in phlebotomy training; your Phlebotomy training lists 8 weeks"
        );
    }

    #[test]
    fn window_accreditation_and_progress() {
        let outcome = check(json!([entry()]), "2027-06-02");
        assert!(outcome.unmet[0].message.ends_with(
            "your Phlebotomy training was completed on 2022-06-01, outside the 5-year window (from 2022-06-02)"
        ));
        assert_eq!(check(json!([entry()]), "2027-06-01").verdict, Eligible);
        let mut other = entry();
        other["accreditation"] = json!("ABHES");
        let outcome = check(json!([other]), "2026-01-01");
        assert_eq!(outcome.unmet[0].kind, UnmetKind::Accreditation);
        let mut ongoing = entry();
        ongoing["completed"] = json!(null);
        let outcome = check(json!([ongoing]), "2026-01-01");
        assert!(
            outcome.unmet[0]
                .message
                .ends_with("is in progress (no `completed` date)")
        );
        let none = check(json!([]), "2026-01-01");
        assert_eq!(
            none.unmet[0].message,
            "needs training in phlebotomy accredited by NAACLS, completed in the last 5 years, \
             with at least 100 venipunctures, 40 didactic hours and 10 weeks; your profile lists no such training"
        );
    }
}
