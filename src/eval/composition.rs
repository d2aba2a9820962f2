//! Conditions made of conditions (`all`, `any`, `at least`, `not`, `when`,
//! `role`, `use`) and conditions on facts other than credentials (`state
//! in`, `date`, `age`). Three-valued: see the module docs of `eval`.

use super::{
    Evaluator, Gap, Lead, NO_STATE, RouteOutcome, Site, UnmetKind, Verdict, continuing_education,
    coursework, credentials, education, experience, join_and, join_or, same, training, unit,
};
use crate::date::Date;
use crate::ruleset::{
    Alternative, DefinitionId, FileId, Requirement, RequirementKind, RoleId, RuleSet,
};

/// Role references nested deeper than this are reported, not followed (the
/// checker rejects cycles; this keeps a hand-built rule set from overflowing).
const MAX_ROLE_DEPTH: u32 = 64;

impl<'a> Evaluator<'a, '_> {
    pub(super) fn all(
        &mut self,
        parts: &'a [Requirement],
        file: FileId,
        gaps: &mut Vec<Gap>,
    ) -> Verdict {
        let mut verdict = Verdict::Eligible;
        for part in parts {
            match self.eval(part, file, gaps) {
                Verdict::NotEligible => {
                    if !self.exhaustive() {
                        return Verdict::NotEligible;
                    }
                    verdict = Verdict::NotEligible;
                }
                Verdict::Undetermined if verdict == Verdict::Eligible => {
                    verdict = Verdict::Undetermined
                }
                _ => {}
            }
        }
        verdict
    }

    pub(super) fn any(
        &mut self,
        requirement: &'a Requirement,
        alternatives: &'a [Alternative],
        file: FileId,
        gaps: &mut Vec<Gap>,
    ) -> Verdict {
        if !self.explain {
            let mut verdict = Verdict::NotEligible;
            for alternative in alternatives {
                if !self.in_force(alternative) {
                    continue;
                }
                match self.eval(&alternative.requirement, file, &mut Vec::new()) {
                    Verdict::Eligible if self.coverage.is_none() => return Verdict::Eligible,
                    Verdict::Eligible => verdict = Verdict::Eligible,
                    Verdict::Undetermined if verdict == Verdict::NotEligible => {
                        verdict = Verdict::Undetermined
                    }
                    _ => {}
                }
            }
            return verdict;
        }

        // Explaining only the closest alternative: count every alternative's
        // gaps without building sentences, then explain the one picked.
        let listing = self.capture == Some(requirement.node) && self.list_routes;
        if !self.counting && !listing {
            let counting = std::mem::replace(&mut self.counting, true);
            let counted: Vec<(Verdict, Vec<Gap>, bool)> = alternatives
                .iter()
                .map(|alternative| {
                    let mut own = Vec::new();
                    let in_force = self.in_force(alternative);
                    let verdict = if in_force {
                        self.eval(&alternative.requirement, file, &mut own)
                    } else {
                        own.push(self.out_of_force_gap(alternative, file));
                        Verdict::NotEligible
                    };
                    (verdict, own, in_force)
                })
                .collect();
            self.counting = counting;
            let verdict = fold_any(&counted);
            let closest = closest(&counted, verdict);
            let unnamed = alternatives
                .iter()
                .all(|alternative| alternative.route.is_none());
            let mergeable =
                unnamed && counted.len() > 1 && counted.iter().all(|(_, own, _)| own.len() == 1);
            if !mergeable {
                if self.capture == Some(requirement.node) {
                    self.captured_closest = closest;
                }
                if verdict == Verdict::Eligible {
                    return verdict;
                }
                if let Some(index) = closest {
                    let alternative = &alternatives[index];
                    let mut own = Vec::new();
                    if counted[index].2 {
                        self.eval(&alternative.requirement, file, &mut own);
                    } else {
                        own.push(self.out_of_force_gap(alternative, file));
                    }
                    if let Some(route) = &alternative.route {
                        for gap in &mut own {
                            gap.route.get_or_insert_with(|| route.name.clone());
                        }
                    }
                    gaps.extend(own);
                }
                return verdict;
            }
            // Alternatives of one condition each may merge into one sentence:
            // explain them all below.
        }

        // Explaining: every alternative, each with its own gaps.
        let mut results: Vec<(Verdict, Vec<Gap>, bool)> = Vec::with_capacity(alternatives.len());
        for alternative in alternatives {
            let mut own = Vec::new();
            let in_force = self.in_force(alternative);
            let verdict = if in_force {
                self.eval(&alternative.requirement, file, &mut own)
            } else {
                own.push(self.out_of_force_gap(alternative, file));
                Verdict::NotEligible
            };
            if let Some(route) = &alternative.route {
                for gap in &mut own {
                    gap.route.get_or_insert_with(|| route.name.clone());
                }
            }
            results.push((verdict, own, in_force));
        }
        let verdict = fold_any(&results);
        let closest = closest(&results, verdict);
        if self.capture == Some(requirement.node) && self.list_routes {
            // A plain condition among the routes is listed by what it asks.
            let rules = self.rules;
            self.captured = alternatives
                .iter()
                .zip(&results)
                .map(|(alternative, (verdict, own, _))| RouteOutcome {
                    route: alternative.route.as_ref().map_or_else(
                        || describe(rules, &alternative.requirement),
                        |route| route.name.clone(),
                    ),
                    verdict: *verdict,
                    unmet: own.iter().cloned().map(Gap::into_unmet).collect(),
                })
                .collect();
        }
        if self.capture == Some(requirement.node) {
            self.captured_closest = closest;
        }
        if verdict == Verdict::Eligible {
            return verdict;
        }
        let unnamed = alternatives
            .iter()
            .all(|alternative| alternative.route.is_none());
        let single_needs = results.iter().all(|(_, own, _)| {
            matches!(
                own.as_slice(),
                [Gap {
                    lead: Lead::Needs(_),
                    ..
                }]
            )
        });
        if unnamed && single_needs && results.len() > 1 {
            gaps.push(merge(
                results.into_iter().map(|(_, mut own, _)| own.remove(0)),
                requirement,
                file,
            ));
        } else if let Some(index) = closest {
            gaps.extend(results.swap_remove(index).1);
        }
        verdict
    }

    fn in_force(&self, alternative: &Alternative) -> bool {
        alternative
            .route
            .as_ref()
            .is_none_or(|route| route.validity.in_force(self.as_of))
    }

    /// "route 2 ended on 2023-01-01", "route 3 applies only from 2027-01-01".
    fn out_of_force_gap(&self, alternative: &Alternative, file: FileId) -> Gap {
        let site = Site {
            span: alternative.requirement.span,
            file,
        };
        let (name, validity) = alternative
            .route
            .as_ref()
            .map(|route| (route.name.as_str(), route.validity))
            .unwrap_or_default();
        let text = match (validity.from, validity.until) {
            (_, Some(until)) if self.as_of >= until => format!("route {name} ended on {until}"),
            (Some(from), _) => format!("route {name} applies only from {from}"),
            _ => format!("route {name} is not in force"),
        };
        Gap::new(UnmetKind::Other, Lead::Says(text), site)
    }

    pub(super) fn at_least(
        &mut self,
        count: usize,
        parts: &'a [Requirement],
        site: Site,
        gaps: &mut Vec<Gap>,
    ) -> Verdict {
        let mut met = 0;
        let mut open = 0;
        let mut missing: Vec<String> = Vec::new();
        let mut undetermined: Vec<Gap> = Vec::new();
        for part in parts {
            let mut own = Vec::new();
            match self.eval(part, site.file, &mut own) {
                Verdict::Eligible => met += 1,
                Verdict::Undetermined => {
                    open += 1;
                    undetermined.extend(own);
                }
                Verdict::NotEligible => {
                    if self.explain {
                        missing.push(describe(self.rules, part));
                    }
                }
            }
            if met >= count && !self.exhaustive() {
                return Verdict::Eligible;
            }
        }
        let verdict = if met >= count {
            Verdict::Eligible
        } else if met + open >= count {
            Verdict::Undetermined
        } else {
            Verdict::NotEligible
        };
        if self.explain && verdict != Verdict::Eligible {
            let mut text = format!(
                "needs at least {count} of these {} conditions; meets {met}",
                parts.len()
            );
            if !missing.is_empty() {
                text.push_str(&format!("; not met: {}", missing.join("; ")));
            }
            let gap = Gap::new(UnmetKind::Other, Lead::Says(text), site).quantity(
                count as f64,
                met as f64,
                unit::COUNT,
            );
            gaps.push(gap);
            gaps.extend(undetermined);
        }
        verdict
    }

    pub(super) fn not(
        &mut self,
        inner: &'a Requirement,
        site: Site,
        gaps: &mut Vec<Gap>,
    ) -> Verdict {
        let mut own = Vec::new();
        match self.eval(inner, site.file, &mut own) {
            Verdict::Eligible => {
                if self.explain {
                    let need = describe(self.rules, inner);
                    let text = match need.strip_prefix("to ") {
                        Some(verb) => format!("must not {verb}"),
                        None => format!("must not have {need}"),
                    };
                    gaps.push(Gap::new(kind_of(self.rules, inner), Lead::Says(text), site));
                }
                Verdict::NotEligible
            }
            Verdict::NotEligible => Verdict::Eligible,
            Verdict::Undetermined => {
                gaps.extend(own);
                Verdict::Undetermined
            }
        }
    }

    pub(super) fn when(
        &mut self,
        guard: &'a Requirement,
        then: &'a Requirement,
        otherwise: Option<&'a Requirement>,
        file: FileId,
        gaps: &mut Vec<Gap>,
    ) -> Verdict {
        // A guard's own gaps matter only when it is undetermined, so it is
        // first decided without building any explanation.
        match self.quietly(|this| this.eval(guard, file, &mut Vec::new())) {
            Verdict::Eligible => self.eval(then, file, gaps),
            Verdict::NotEligible => otherwise.map_or(Verdict::Eligible, |otherwise| {
                self.eval(otherwise, file, gaps)
            }),
            Verdict::Undetermined => {
                // The missing fact decides nothing when both branches hold.
                let then_holds = self.quietly(|this| this.eval(then, file, &mut Vec::new()))
                    == Verdict::Eligible;
                let otherwise_holds = otherwise.is_none_or(|otherwise| {
                    self.quietly(|this| this.eval(otherwise, file, &mut Vec::new()))
                        == Verdict::Eligible
                });
                if then_holds && otherwise_holds {
                    return Verdict::Eligible;
                }
                if self.explain {
                    self.eval(guard, file, gaps);
                }
                Verdict::Undetermined
            }
        }
    }

    pub(super) fn role_condition(
        &mut self,
        role: RoleId,
        site: Site,
        gaps: &mut Vec<Gap>,
    ) -> Verdict {
        if self.depth >= MAX_ROLE_DEPTH {
            if self.explain {
                let text = "role references nest too deeply (a cycle in the rule set?)".to_string();
                gaps.push(Gap::new(UnmetKind::Role, Lead::Says(text), site));
            }
            return Verdict::NotEligible;
        }
        let capture = self.capture.take();
        self.depth += 1;
        let mut inner = Vec::new();
        let verdict = self.role_body(role, &mut inner);
        self.depth -= 1;
        self.capture = capture;
        if self.explain && verdict != Verdict::Eligible {
            let mut gap = Gap::new(
                UnmetKind::Role,
                Lead::Needs(role_need(self.rules, role)),
                site,
            );
            if let (Verdict::Undetermined, Some(first)) = (verdict, inner.first()) {
                gap = gap.detail(format!("for that role, {}", first.message()));
            }
            gaps.push(gap);
        }
        verdict
    }

    pub(super) fn use_definition(
        &mut self,
        definition: DefinitionId,
        site: Site,
        gaps: &mut Vec<Gap>,
    ) -> Verdict {
        let Some(definition) = self.rules.definitions.get(definition) else {
            if self.explain {
                let text = "the rule set has no such shared definition".to_string();
                gaps.push(Gap::new(UnmetKind::Other, Lead::Says(text), site));
            }
            return Verdict::NotEligible;
        };
        self.eval(&definition.requirement, definition.file, gaps)
    }

    pub(super) fn state_in(&self, states: &[String], site: Site, gaps: &mut Vec<Gap>) -> Verdict {
        let Some(state) = self.state else {
            if self.explain {
                let lead = Lead::Says("depends on the state where you intend to work".to_string());
                gaps.push(Gap::new(UnmetKind::Other, lead, site).detail(NO_STATE));
            }
            return Verdict::Undetermined;
        };
        if states.iter().any(|listed| same(listed, state)) {
            return Verdict::Eligible;
        }
        if self.explain {
            let gap = Gap::new(UnmetKind::Other, Lead::Needs(state_need(states)), site)
                .detail(format!("you intend to work in {state}"));
            gaps.push(gap);
        }
        Verdict::NotEligible
    }

    pub(super) fn date(
        &self,
        on_or_after: bool,
        date: Date,
        site: Site,
        gaps: &mut Vec<Gap>,
    ) -> Verdict {
        if (self.as_of >= date) == on_or_after {
            return Verdict::Eligible;
        }
        if self.explain {
            let text = if on_or_after {
                format!("applies only from {date}")
            } else {
                format!("applies only before {date}")
            };
            let gap = Gap::new(UnmetKind::Other, Lead::Says(text), site)
                .detail(format!("the evaluation date is {}", self.as_of));
            gaps.push(gap);
        }
        Verdict::NotEligible
    }

    pub(super) fn age(&self, minimum: u32, site: Site, gaps: &mut Vec<Gap>) -> Verdict {
        let Some(birth) = self.profile.birth_date else {
            if self.explain {
                let gap = Gap::new(UnmetKind::Other, Lead::Needs(age_need(minimum)), site)
                    .detail("your age is unknown: add `birth_date` to your profile");
                gaps.push(gap);
            }
            return Verdict::Undetermined;
        };
        let age = birth.whole_years_until(self.as_of);
        if i64::from(age) >= i64::from(minimum) {
            return Verdict::Eligible;
        }
        if self.explain {
            let gap = Gap::new(UnmetKind::Other, Lead::Needs(age_need(minimum)), site)
                .detail(format!("is {age}"));
            gaps.push(gap);
        }
        Verdict::NotEligible
    }
}

/// An `any`'s verdict from its alternatives': eligible if one is, else
/// undetermined if one is, else not eligible.
fn fold_any(results: &[(Verdict, Vec<Gap>, bool)]) -> Verdict {
    results
        .iter()
        .fold(Verdict::NotEligible, |verdict, (each, _, _)| {
            match (verdict, each) {
                (Verdict::Eligible, _) | (_, Verdict::Eligible) => Verdict::Eligible,
                (Verdict::Undetermined, _) | (_, Verdict::Undetermined) => Verdict::Undetermined,
                _ => Verdict::NotEligible,
            }
        })
}

/// The alternative to explain: fewest gaps among those with the overall
/// verdict, routes in force first, ties to the first declared.
fn closest(results: &[(Verdict, Vec<Gap>, bool)], verdict: Verdict) -> Option<usize> {
    if verdict == Verdict::Eligible {
        return None;
    }
    let pick = |need_in_force: bool| {
        results
            .iter()
            .enumerate()
            .filter(|(_, (each, _, in_force))| *each == verdict && (*in_force || !need_in_force))
            .min_by_key(|(index, (_, own, _))| (own.len(), *index))
            .map(|(index, _)| index)
    };
    pick(true).or_else(|| pick(false))
}

/// One gap for an `any` of single conditions: "needs A or B; why A; why B".
fn merge(gaps: impl Iterator<Item = Gap>, requirement: &Requirement, file: FileId) -> Gap {
    let site = Site {
        span: requirement.span,
        file,
    };
    let mut parts = Vec::new();
    let mut with_reasons = 0;
    let mut kind = None;
    for gap in gaps {
        kind = match kind {
            None => Some(gap.kind),
            Some(kind) if kind == gap.kind => Some(kind),
            Some(_) => Some(UnmetKind::Other),
        };
        if let Lead::Needs(need) = gap.lead {
            // Each alternative keeps its own reason beside it, so "has 22"
            // is never separated from the 48 months it falls short of.
            parts.push(if gap.detail.is_empty() {
                need
            } else {
                with_reasons += 1;
                format!("{need} ({})", gap.detail)
            });
        }
    }
    let commas = parts.iter().filter(|part| part.contains(',')).count();
    let text = if with_reasons > 0 || commas > 1 {
        format!("one of: {}", parts.join("; or "))
    } else {
        join_or(&parts)
    };
    Gap::new(kind.unwrap_or(UnmetKind::Other), Lead::Needs(text), site)
}

/// The kind of gap a condition gives (for `not`).
pub(super) fn kind_of(rules: &RuleSet, requirement: &Requirement) -> UnmetKind {
    match &requirement.kind {
        RequirementKind::Degree(_) => UnmetKind::Degree,
        RequirementKind::Program(_) | RequirementKind::Training(_) => UnmetKind::Training,
        RequirementKind::Coursework(_) => UnmetKind::Coursework,
        RequirementKind::Certification(_) => UnmetKind::Certification,
        RequirementKind::License(_) => UnmetKind::License,
        RequirementKind::Experience(_) => UnmetKind::Experience,
        RequirementKind::ContinuingEducation(_) => UnmetKind::ContinuingEducation,
        RequirementKind::Role(_) => UnmetKind::Role,
        RequirementKind::Use(definition) => rules
            .definitions
            .get(*definition)
            .map_or(UnmetKind::Other, |definition| {
                kind_of(rules, &definition.requirement)
            }),
        _ => UnmetKind::Other,
    }
}

/// What a condition asks for, as the object of "needs": a noun phrase, or
/// `to …` for conditions on the candidate themselves.
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
        RequirementKind::Degree(rule) => education::degree_need(rule),
        RequirementKind::Program(rule) => education::program_need(rule),
        RequirementKind::Coursework(rule) => coursework::need(rule),
        RequirementKind::Certification(rule) => credentials::certification_need(rule),
        RequirementKind::License(rule) => credentials::license_need(rule, None),
        RequirementKind::Experience(rule) => experience::need(rule),
        RequirementKind::Training(rule) => training::need(rule),
        RequirementKind::ContinuingEducation(rule) => continuing_education::need(rule),
        RequirementKind::Age { minimum } => age_need(*minimum),
        RequirementKind::Role(role) => role_need(rules, *role),
        RequirementKind::Use(definition) => rules.definitions.get(*definition).map_or_else(
            || "a shared condition".to_string(),
            |d| describe(rules, &d.requirement),
        ),
        RequirementKind::StateIn(states) => state_need(states),
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

fn role_need(rules: &RuleSet, role: RoleId) -> String {
    match rules.roles.get(role) {
        Some(role) => format!("to qualify for {} (`{}`)", role.title, role.id),
        None => format!("to qualify for role number {role}"),
    }
}

fn state_need(states: &[String]) -> String {
    format!("to work in {}", join_or(states))
}

fn age_need(minimum: u32) -> String {
    format!("to be at least {minimum} years old")
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::eval::{
        Context, Coverage, UnmetKind, Verdict::*, evaluate_role, evaluate_role_with_coverage,
    };
    use crate::ruleset::{Requirement, RequirementKind, Validity};
    use serde_json::json;

    fn one(requirement: Requirement, profile: serde_json::Value) -> crate::eval::RoleOutcome {
        evaluate(&single_condition(requirement), profile, "2026-01-01")
    }

    /// Three conditions with known verdicts on `PROFILE`: eligible,
    /// not eligible, undetermined (no state).
    const PROFILE: &str = r#"{ "certifications": [{ "issuer": "ASCP", "name": "MLT" }] }"#;
    fn yes() -> Requirement {
        cert("ASCP", "MLT")
    }
    fn no() -> Requirement {
        cert("AMT", "MT")
    }
    fn unknown() -> Requirement {
        state_in(&["CA"])
    }
    fn p() -> serde_json::Value {
        serde_json::from_str(PROFILE).unwrap()
    }

    #[test]
    fn all_is_three_valued() {
        assert_eq!(one(all(vec![yes(), yes()]), p()).verdict, Eligible);
        assert_eq!(one(all(vec![yes(), unknown()]), p()).verdict, Undetermined);
        let outcome = one(all(vec![unknown(), no(), yes()]), p());
        assert_eq!(outcome.verdict, NotEligible);
        assert_eq!(
            outcome.unmet.len(),
            2,
            "both the missing fact and the unmet condition are listed"
        );
        assert_eq!(
            outcome.unmet[0].message,
            "depends on the state where you intend to work; your profile has no `state`; add it or pass `--state`"
        );
    }

    #[test]
    fn any_is_three_valued_and_merges_single_conditions() {
        assert_eq!(one(any(vec![no(), yes()]), p()).verdict, Eligible);
        assert_eq!(one(any(vec![no(), unknown()]), p()).verdict, Undetermined);
        let outcome = one(any(vec![no(), cert("ASCP", "MLS")]), p());
        assert_eq!(outcome.verdict, NotEligible);
        assert_eq!(outcome.unmet.len(), 1);
        assert_eq!(outcome.unmet[0].kind, UnmetKind::Certification);
        assert_eq!(
            outcome.unmet[0].message,
            "needs AMT MT certification or ASCP MLS certification"
        );
        assert!(outcome.routes.is_empty(), "no routes: nothing listed");
    }

    #[test]
    fn at_least_counts() {
        assert_eq!(
            one(at_least(2, vec![yes(), no(), yes()]), p()).verdict,
            Eligible
        );
        assert_eq!(
            one(at_least(2, vec![yes(), no(), unknown()]), p()).verdict,
            Undetermined
        );
        let outcome = one(at_least(2, vec![yes(), no(), no()]), p());
        assert_eq!(outcome.verdict, NotEligible);
        let unmet = &outcome.unmet[0];
        assert_eq!(
            (unmet.needed, unmet.have, unmet.unit),
            (Some(2.0), Some(1.0), Some("count"))
        );
        assert_eq!(
            unmet.message,
            "needs at least 2 of these 3 conditions; meets 1; not met: AMT MT certification; AMT MT certification"
        );
    }

    #[test]
    fn not_flips_and_keeps_undetermined() {
        assert_eq!(one(not(no()), p()).verdict, Eligible);
        assert_eq!(one(not(unknown()), p()).verdict, Undetermined);
        let outcome = one(not(yes()), p());
        assert_eq!(outcome.verdict, NotEligible);
        assert_eq!(outcome.unmet[0].kind, UnmetKind::Certification);
        assert_eq!(
            outcome.unmet[0].message,
            "must not have ASCP MLT certification"
        );
        let outcome = one(not(state_in(&["NV"])), json!({ "state": "NV" }));
        assert_eq!(outcome.unmet[0].message, "must not work in NV");
    }

    #[test]
    fn when_follows_the_guard() {
        let guarded = |then: Requirement, otherwise: Option<Requirement>| {
            when(state_in(&["CA"]), then, otherwise)
        };
        let mlt = json!([{ "issuer": "ASCP", "name": "MLT" }]);
        let in_ca = json!({ "state": "CA", "certifications": mlt });
        let in_nv = json!({ "state": "NV", "certifications": mlt });
        assert_eq!(one(guarded(no(), None), in_ca.clone()).verdict, NotEligible);
        assert_eq!(one(guarded(no(), None), in_nv.clone()).verdict, Eligible);
        assert_eq!(one(guarded(yes(), Some(no())), in_nv).verdict, NotEligible);
        assert_eq!(one(guarded(yes(), Some(no())), in_ca).verdict, Eligible);
        let outcome = one(guarded(no(), None), json!({}));
        assert_eq!(outcome.verdict, Undetermined);
        assert_eq!(outcome.unmet.len(), 1);
        assert!(
            outcome.unmet[0]
                .message
                .contains("your profile has no `state`")
        );
        // Undetermined guard, but every branch holds: the fact does not matter.
        assert_eq!(one(guarded(yes(), None), p()).verdict, Eligible);
    }

    #[test]
    fn age_and_dates() {
        let age = || node(RequirementKind::Age { minimum: 18 });
        assert_eq!(
            one(age(), json!({ "birth_date": "2008-01-01" })).verdict,
            Eligible
        );
        let young = one(age(), json!({ "birth_date": "2008-01-02" }));
        assert_eq!(
            young.unmet[0].message,
            "needs to be at least 18 years old; is 17"
        );
        let unknown = one(age(), json!({}));
        assert_eq!(unknown.verdict, Undetermined);
        assert_eq!(
            unknown.unmet[0].message,
            "needs to be at least 18 years old; your age is unknown: add `birth_date` to your profile"
        );
        let from = |date: &str| {
            node(RequirementKind::Date {
                on_or_after: true,
                date: d(date),
            })
        };
        let before = |date: &str| {
            node(RequirementKind::Date {
                on_or_after: false,
                date: d(date),
            })
        };
        assert_eq!(one(from("2026-01-01"), json!({})).verdict, Eligible);
        assert_eq!(one(before("2026-01-01"), json!({})).verdict, NotEligible);
        assert_eq!(one(before("2026-01-02"), json!({})).verdict, Eligible);
        let late = one(from("2026-01-02"), json!({}));
        assert_eq!(
            late.unmet[0].message,
            "applies only from 2026-01-02; the evaluation date is 2026-01-01"
        );
    }

    #[test]
    fn state_in_uses_the_override() {
        let rules = single_condition(state_in(&["CA", "NY"]));
        let profile = json!({ "state": "TX" });
        assert_eq!(
            evaluate_id(&rules, "r", profile.clone(), "2026-01-01", Some("ny")).verdict,
            Eligible
        );
        let outcome = evaluate_id(&rules, "r", profile, "2026-01-01", None);
        assert_eq!(
            outcome.unmet[0].message,
            "needs to work in CA or NY; you intend to work in TX"
        );
    }

    fn routed_rules() -> crate::ruleset::RuleSet {
        let ended = Validity {
            from: None,
            until: Some(d("2023-01-01")),
        };
        let body = vec![
            state_in(&["CA", "NV"]),
            routes(vec![
                route("1", Validity::default(), all(vec![no(), cert("X", "Y")])),
                route("2", ended, yes()),
                route(
                    "3",
                    Validity::default(),
                    all(vec![yes(), cert("ASCP", "MLS")]),
                ),
            ]),
        ];
        rule_set(vec![role("r", "Routed role", body)])
    }

    #[test]
    fn routes_are_listed_and_the_closest_is_explained() {
        let rules = routed_rules();
        let outcome = evaluate_id(&rules, "r", p(), "2026-01-01", Some("TX"));
        assert_eq!(outcome.verdict, NotEligible);
        let routes: Vec<_> = outcome
            .routes
            .iter()
            .map(|r| (r.route.as_str(), r.verdict, r.unmet.len()))
            .collect();
        assert_eq!(
            routes,
            [
                ("1", NotEligible, 2),
                ("2", NotEligible, 1),
                ("3", NotEligible, 1)
            ]
        );
        assert_eq!(
            outcome.routes[1].unmet[0].message,
            "route 2 ended on 2023-01-01"
        );
        assert_eq!(outcome.routes[1].unmet[0].kind, UnmetKind::Other);
        // Route 2 has one gap too, but it is over: route 3 is the closest.
        assert_eq!(outcome.closest, Some(2));
        let messages: Vec<_> = outcome
            .unmet
            .iter()
            .map(|u| (u.route.as_deref(), u.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                (None, "needs to work in CA or NV; you intend to work in TX"),
                (Some("3"), "needs ASCP MLS certification")
            ]
        );
        // Still in force before it ended.
        let earlier = evaluate_id(&rules, "r", p(), "2022-12-31", Some("CA"));
        assert_eq!(earlier.verdict, Eligible);
        assert!(earlier.unmet.is_empty());
        assert_eq!(earlier.routes[1].verdict, Eligible);
        assert_eq!(earlier.closest, None);
    }

    #[test]
    fn verdict_only_matches_explained_verdicts() {
        let rules = routed_rules();
        for (state, as_of) in [
            (Some("TX"), "2026-01-01"),
            (Some("CA"), "2022-12-31"),
            (None, "2022-12-31"),
        ] {
            let ctx = Context::new(d(as_of)).with_state(state.map(str::to_string));
            let profile = profile(p());
            let full = evaluate_role(&rules, 0, &profile, &ctx);
            let fast = evaluate_role(&rules, 0, &profile, &ctx.clone().verdict_only());
            assert_eq!(full.verdict, fast.verdict);
            assert!(fast.unmet.is_empty() && fast.routes.is_empty());
        }
    }

    #[test]
    fn role_validity_and_role_references() {
        let mut future = role("future", "Future role", vec![yes()]);
        future.validity = Validity {
            from: Some(d("2027-01-01")),
            until: None,
        };
        let inner = role("inner", "Inner role", vec![unknown()]);
        let rules = rule_set(vec![
            future,
            inner,
            role("outer", "Outer role", vec![role_ref(1)]),
        ]);
        let outcome = evaluate_id(&rules, "future", p(), "2026-01-01", None);
        assert_eq!(outcome.verdict, NotEligible);
        assert_eq!(
            outcome.unmet[0].message,
            "this role is in force only from 2027-01-01"
        );
        let outer = evaluate_id(&rules, "outer", p(), "2026-01-01", None);
        assert_eq!(outer.verdict, Undetermined);
        assert_eq!(outer.unmet[0].kind, UnmetKind::Role);
        assert_eq!(
            outer.unmet[0].message,
            "needs to qualify for Inner role (`inner`); for that role, depends on the state where you \
             intend to work; your profile has no `state`; add it or pass `--state`"
        );
        let outer = evaluate_id(&rules, "outer", p(), "2026-01-01", Some("NV"));
        assert_eq!(
            outer.unmet[0].message,
            "needs to qualify for Inner role (`inner`)"
        );
        assert_eq!(
            evaluate_id(&rules, "outer", p(), "2026-01-01", Some("CA")).verdict,
            Eligible
        );
    }

    #[test]
    fn a_missing_role_or_a_cycle_does_not_panic() {
        let rules = rule_set(vec![
            role("a", "A", vec![role_ref(1)]),
            role("b", "B", vec![role_ref(0)]),
        ]);
        assert_eq!(
            evaluate_id(&rules, "a", p(), "2026-01-01", None).verdict,
            NotEligible
        );
        let ctx = Context::new(d("2026-01-01"));
        assert_eq!(
            evaluate_role(&rules, 99, &profile(p()), &ctx).verdict,
            NotEligible
        );
    }

    #[test]
    fn coverage_records_every_node_seen() {
        let rules = routed_rules();
        let mut coverage = Coverage::new();
        let ctx = Context::new(d("2026-01-01"))
            .verdict_only()
            .with_state(Some("CA".into()));
        evaluate_role_with_coverage(&rules, 0, &profile(p()), &ctx, &mut coverage);
        let nodes = coverage.nodes(&rules);
        // Role body, state in, routes, route 1's all with its two conditions,
        // route 2's condition, route 3's all with its two conditions.
        assert_eq!(nodes.len(), 10);
        let seen: Vec<_> = nodes.iter().map(|n| (n.seen.met, n.seen.unmet)).collect();
        assert_eq!(
            seen,
            [
                (false, true),  // body
                (true, false),  // state in
                (false, true),  // any of routes
                (false, true),  // route 1
                (false, true),  // AMT MT
                (false, true),  // X Y
                (false, false), // route 2: not in force, never evaluated
                (false, true),  // route 3
                (true, false),  // ASCP MLT
                (false, true),  // ASCP MLS
            ]
        );
        assert!(!nodes[1].seen.both_ways());
    }
}
