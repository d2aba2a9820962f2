//! `training PROGRAMS [accredited by ORGS] [within N years] [where M >= N, …]`:
//! one completed training entry whose programme matches, accredited by one of
//! the bodies, completed on or before the evaluation date (inside the window
//! when there is one), with every minimum met by that same entry. A missing
//! `completed` means in progress; a missing measure counts as 0.
//!
//! An entry that falls short is reported with every facet it fails (the
//! accreditation, the date, each minimum with its numbers); of several such
//! entries, the one nearest to counting explains the gap.

use super::education::accredited;
use super::window::Window;
use super::{
    Collected, Evaluator, Fact, Finding, Quantity, Reason, Record, Unit, UnmetKind, Verdict, meets,
};
use crate::profile::Training;
use crate::ruleset::{FileId, Requirement, TrainingMeasure, TrainingRule};

/// The figure a training entry reports for a measure (absent: 0).
pub(crate) fn measure(entry: &Training, measure: TrainingMeasure) -> f64 {
    match measure {
        TrainingMeasure::Weeks => entry.duration_weeks.unwrap_or(0.0),
        TrainingMeasure::DidacticHours => entry.didactic_hours.unwrap_or(0.0),
        TrainingMeasure::ClinicalHours => entry.clinical_hours.unwrap_or(0.0),
        TrainingMeasure::Venipunctures => entry.venipunctures.map_or(0.0, f64::from),
        TrainingMeasure::SkinPunctures => entry.skin_punctures.map_or(0.0, f64::from),
        TrainingMeasure::ArterialPunctures => entry.arterial_punctures.map_or(0.0, f64::from),
        TrainingMeasure::Collections => {
            entry.venipunctures.map_or(0.0, f64::from) + entry.skin_punctures.map_or(0.0, f64::from)
        }
    }
}

/// The unit a measure is counted in.
pub(crate) fn measure_unit(measure: TrainingMeasure) -> Unit {
    match measure {
        TrainingMeasure::Weeks => Unit::Weeks,
        TrainingMeasure::DidacticHours | TrainingMeasure::ClinicalHours => Unit::Hours,
        TrainingMeasure::Venipunctures
        | TrainingMeasure::SkinPunctures
        | TrainingMeasure::ArterialPunctures
        | TrainingMeasure::Collections => Unit::Count,
    }
}

/// How far an entry is from counting: one per failing facet that is not a
/// number, the share missing of each minimum.
fn entry_distance(reasons: &[Reason]) -> f64 {
    reasons
        .iter()
        .map(|reason| match *reason {
            Reason::Measure { needed, have, .. } => Quantity {
                needed,
                have,
                unit: Unit::Count,
            }
            .effort(),
            _ => 1.0,
        })
        .sum()
}

impl<'r> Evaluator<'r, '_, '_> {
    pub(super) fn training(
        &self,
        requirement: &'r Requirement,
        rule: &TrainingRule,
        file: FileId,
        found: &mut Collected<'r>,
    ) -> Verdict {
        let window = Window::new(self.as_of, rule.within_years);
        let mut best: Option<(usize, Vec<Reason>, f64)> = None;
        for (index, entry) in self.profile.training.iter().enumerate() {
            if !self.term_in(&rule.programs, &entry.program) {
                continue;
            }
            if !self.explain {
                if self.training_counts(rule, entry, &window) {
                    return Verdict::Eligible;
                }
                continue;
            }
            let reasons = self.training_misses(rule, entry, &window);
            if reasons.is_empty() {
                let scheduled = window
                    .completion_or_scheduled(rule.scheduled, entry.completed, entry.expected)
                    .ok()
                    .flatten();
                self.met(found, requirement, file, |mut met| {
                    let mut finding = Finding::counted(Record::Training(index));
                    finding
                        .reasons
                        .extend(scheduled.map(|on| Reason::Scheduled { on }));
                    met.findings.push(finding);
                    met
                });
                return Verdict::Eligible;
            }
            let distance = entry_distance(&reasons);
            if best
                .as_ref()
                .is_none_or(|(_, _, nearest)| distance < *nearest)
            {
                best = Some((index, reasons, distance));
            }
        }
        if self.explain {
            self.training_gaps(requirement, file, best, found);
        }
        Verdict::NotEligible
    }

    /// Whether an entry counts (the verdict-only path: no allocation).
    fn training_counts(&self, rule: &TrainingRule, entry: &Training, window: &Window) -> bool {
        accredited(
            rule.accredited_by.as_deref(),
            entry.accreditation.as_deref(),
        ) && window
            .completion_or_scheduled(rule.scheduled, entry.completed, entry.expected)
            .is_ok()
            && rule
                .minimums
                .iter()
                .all(|&(m, minimum)| meets(measure(entry, m), minimum))
    }

    /// Every facet in which an entry falls short.
    fn training_misses(
        &self,
        rule: &TrainingRule,
        entry: &Training,
        window: &Window,
    ) -> Vec<Reason> {
        let mut reasons = Vec::new();
        if !accredited(
            rule.accredited_by.as_deref(),
            entry.accreditation.as_deref(),
        ) {
            reasons.push(Reason::Accreditation);
        }
        if let Err(miss) =
            window.completion_or_scheduled(rule.scheduled, entry.completed, entry.expected)
        {
            reasons.push(miss);
        }
        for &(m, minimum) in &rule.minimums {
            let have = measure(entry, m);
            if !meets(have, minimum) {
                reasons.push(Reason::Measure {
                    measure: m,
                    needed: minimum,
                    have,
                });
            }
        }
        reasons
    }

    /// One gap for what is not a number (accreditation, dates) and one per
    /// minimum not reached, each with its own needed and have.
    fn training_gaps(
        &self,
        requirement: &'r Requirement,
        file: FileId,
        best: Option<(usize, Vec<Reason>, f64)>,
        found: &mut Collected<'r>,
    ) {
        let gap = |kind| self.unmet(kind, Verdict::NotEligible, requirement, file);
        let Some((index, reasons, _)) = best else {
            found
                .gaps
                .push(gap(UnmetKind::Training).fact(Fact::NoneListed));
            return;
        };
        let record = Record::Training(index);
        let (measures, others): (Vec<Reason>, Vec<Reason>) = reasons
            .into_iter()
            .partition(|reason| matches!(reason, Reason::Measure { .. }));
        if !others.is_empty() {
            let kind = if others.contains(&Reason::Accreditation) {
                UnmetKind::Accreditation
            } else {
                UnmetKind::Training
            };
            let mut facet = gap(kind).findings(vec![Finding::not_counted(record, others.clone())]);
            facet.distance = others.len() as f64;
            found.gaps.push(facet);
        }
        for reason in measures {
            if let Reason::Measure {
                measure,
                needed,
                have,
            } = reason
            {
                let mut facet = gap(UnmetKind::Training)
                    .quantity(needed, have, measure_unit(measure))
                    .findings(vec![Finding::not_counted(record, vec![reason])]);
                facet.distance = entry_distance(&[reason]);
                facet.measure = Some(measure);
                found.gaps.push(facet);
            }
        }
    }
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
            scheduled: false,
        }
    }

    fn check(training: serde_json::Value, as_of: &str) -> super::super::test_support::Shown {
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
        assert_eq!(
            (
                outcome.unmet[1].needed,
                outcome.unmet[1].have,
                outcome.unmet[1].unit
            ),
            (Some(10.0), Some(8.0), Some("weeks"))
        );
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
