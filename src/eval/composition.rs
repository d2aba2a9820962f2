//! Conditions made of conditions (`all`, `any`, `at least`, `not`, `when`,
//! `role`, `use`) and conditions on facts other than credentials (`state
//! in`, `date`, `age`). Three-valued: see the module docs of `eval`.
//!
//! Of an `any`'s alternatives, the one explained is the nearest to being
//! met: the least total distance of its gaps, routes in force first, ties to
//! the first declared. An `any` of unnamed alternatives that each miss one
//! condition is one gap whose `alternatives` are those conditions' gaps.

use super::outcome::UNDETERMINED_DISTANCE;
use super::{
    Collected, Evaluator, Fact, Met, RouteOutcome, Unmet, UnmetKind, Verdict, Via, same,
    total_distance,
};
use crate::date::Date;
use crate::ruleset::{Alternative, DefinitionId, FileId, Requirement, RequirementKind, RoleId};

/// Role references nested deeper than this are reported, not followed (the
/// checker rejects cycles; this keeps a hand-built rule set from overflowing).
const MAX_ROLE_DEPTH: u32 = 64;

/// One alternative of an `any`, evaluated.
struct Tried<'r> {
    verdict: Verdict,
    in_force: bool,
    /// What the alternative found; empty when it was compared in outline
    /// (it is evaluated again in detail if reported).
    found: Collected<'r>,
    /// How many gaps it had, kept when `found` is not.
    gap_count: usize,
    distance: f64,
}

impl<'r> Evaluator<'r, '_, '_> {
    pub(super) fn all(
        &mut self,
        parts: &'r [Requirement],
        file: FileId,
        found: &mut Collected<'r>,
    ) -> Verdict {
        if !self.exhaustive() {
            return self.all_quickly(parts, file, found);
        }
        // A route already further than the nearest one found so far cannot
        // be the one reported: stop once its gaps say so.
        let budget = self.budget.take();
        let start = found.gaps.len();
        let mut verdict = Verdict::Eligible;
        for part in parts {
            match self.eval(part, file, found) {
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
            if verdict == Verdict::NotEligible
                && budget.is_some_and(|budget| {
                    distance_key(total_distance(&found.gaps[start..])) >= budget
                })
            {
                return verdict;
            }
        }
        verdict
    }

    /// `all` for a verdict only: the same answer in any order, so the
    /// conditions that read a few fields go before those that sweep over
    /// records (experience, nested compositions), which a miss then skips.
    fn all_quickly(
        &mut self,
        parts: &'r [Requirement],
        file: FileId,
        found: &mut Collected<'r>,
    ) -> Verdict {
        let mut verdict = Verdict::Eligible;
        for cheap in [true, false] {
            for part in parts.iter().filter(|part| is_cheap(part) == cheap) {
                match self.eval(part, file, found) {
                    Verdict::NotEligible => return Verdict::NotEligible,
                    Verdict::Undetermined => verdict = Verdict::Undetermined,
                    Verdict::Eligible => {}
                }
            }
        }
        verdict
    }

    pub(super) fn any(
        &mut self,
        requirement: &'r Requirement,
        alternatives: &'r [Alternative],
        file: FileId,
        found: &mut Collected<'r>,
    ) -> Verdict {
        if !self.explain {
            let mut verdict = Verdict::NotEligible;
            for alternative in alternatives {
                if !self.in_force(alternative) {
                    continue;
                }
                match self.eval(&alternative.requirement, file, &mut Collected::default()) {
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

        let captured = self.capture == Some(requirement.node);
        let listing = captured && self.list_routes && self.depth == 0;
        // Unless every alternative is listed, the alternatives are first
        // compared in outline (verdicts, gaps and distances, no findings or
        // evidence), and only those reported are then evaluated in detail.
        let outline = self.detail && !listing;
        // Unless every route is listed (or coverage is recorded), only the
        // route reported matters: the first met, else the nearest. Later
        // routes are not tried once one is met, and a named route stops
        // as soon as it is no nearer than the nearest so far (ties go to the
        // first declared; distances only grow).
        let pruning = !listing && self.coverage.is_none();
        let named = alternatives
            .iter()
            .any(|alternative| alternative.route.is_some());
        let mut nearest: Option<i64> = None;
        let mut tried: Vec<Tried<'r>> = Vec::with_capacity(alternatives.len());
        // In outline only each alternative's verdict, distance and count of
        // gaps are kept: one buffer serves them all.
        let mut scratch = Collected::default();
        for alternative in alternatives {
            let mut own = Collected::default();
            let in_force = self.in_force(alternative);
            let verdict = if in_force {
                if pruning
                    && named
                    && matches!(alternative.requirement.kind, RequirementKind::All(_))
                {
                    self.budget = nearest;
                }
                let verdict = if outline {
                    scratch.gaps.clear();
                    scratch.evidence.clear();
                    self.in_outline(|this| this.eval(&alternative.requirement, file, &mut scratch))
                } else {
                    self.eval(&alternative.requirement, file, &mut own)
                };
                self.budget = None;
                verdict
            } else if outline {
                // Its fact is built only if it is reported.
                own.gaps
                    .push(self.in_outline(|this| this.out_of_force_gap(alternative, file)));
                Verdict::NotEligible
            } else {
                own.gaps.push(self.out_of_force_gap(alternative, file));
                Verdict::NotEligible
            };
            let compared = if outline && in_force {
                &scratch
            } else {
                if let Some(route) = &alternative.route {
                    own.in_route(&route.name);
                }
                &own
            };
            let gap_count = compared.gaps.len();
            let distance = if verdict == Verdict::Eligible {
                0.0
            } else {
                total_distance(&compared.gaps)
            };
            if in_force && verdict == Verdict::NotEligible {
                let key = distance_key(distance);
                nearest = Some(nearest.map_or(key, |nearest| nearest.min(key)));
            }
            tried.push(Tried {
                verdict,
                in_force,
                found: own,
                gap_count,
                distance,
            });
            if pruning && verdict == Verdict::Eligible {
                break;
            }
        }
        let verdict = fold_any(&tried);
        let chosen = choose(&tried, verdict);
        if captured {
            self.captured_route = chosen;
        }
        if listing {
            // The route reported is copied; the others move into the list.
            let picked = chosen.map(|index| {
                let each = &tried[index].found;
                if verdict == Verdict::Eligible {
                    Collected {
                        gaps: Vec::new(),
                        evidence: each.evidence.clone(),
                    }
                } else {
                    each.clone()
                }
            });
            self.captured = alternatives
                .iter()
                .zip(tried)
                .map(|(alternative, each)| RouteOutcome {
                    alternative,
                    verdict: each.verdict,
                    in_force: each.in_force,
                    unmet: if each.verdict == Verdict::Eligible {
                        Vec::new()
                    } else {
                        each.found.gaps
                    },
                    evidence: each.found.evidence,
                    distance: each.distance,
                })
                .collect();
            if let Some(picked) = picked {
                found.extend(picked);
            }
            return verdict;
        }
        // In outline, what an alternative found in detail.
        let detailed = |this: &mut Self, index: usize, tried: &mut Vec<Tried<'r>>| {
            let mut own = std::mem::take(&mut tried[index].found);
            if outline {
                let alternative = &alternatives[index];
                own = Collected::default();
                if tried[index].in_force {
                    this.eval(&alternative.requirement, file, &mut own);
                } else {
                    own.gaps.push(this.out_of_force_gap(alternative, file));
                }
                if let Some(route) = &alternative.route {
                    own.in_route(&route.name);
                }
            }
            own
        };
        if verdict == Verdict::Eligible {
            if let Some(index) = chosen.filter(|_| self.evidence) {
                found
                    .evidence
                    .extend(detailed(self, index, &mut tried).evidence);
            }
            return verdict;
        }
        let unnamed = alternatives
            .iter()
            .all(|alternative| alternative.route.is_none());
        let single_gaps = tried.iter().all(|each| each.gap_count == 1);
        if unnamed && single_gaps && tried.len() > 1 && !captured {
            if outline {
                for index in 0..tried.len() {
                    tried[index].found = detailed(self, index, &mut tried);
                }
            }
            let mut parts: Vec<Unmet<'r>> = tried
                .into_iter()
                .filter_map(|each| each.found.gaps.into_iter().next())
                .collect();
            let mut kind = None;
            for part in &parts {
                kind = match kind {
                    None => Some(part.kind),
                    Some(kind) if kind == part.kind => Some(kind),
                    Some(_) => Some(UnmetKind::Other),
                };
            }
            let mut gap = self.unmet(kind.unwrap_or(UnmetKind::Other), verdict, requirement, file);
            gap.distance = parts
                .iter()
                .map(|part| part.distance)
                .fold(f64::INFINITY, f64::min);
            gap.alternatives = std::mem::take(&mut parts);
            found.gaps.push(gap);
        } else if let Some(index) = chosen {
            found.extend(detailed(self, index, &mut tried));
        }
        verdict
    }

    fn in_force(&self, alternative: &Alternative) -> bool {
        alternative
            .route
            .as_ref()
            .is_none_or(|route| route.validity.in_force(self.as_of))
    }

    /// The route is over, or not yet in force.
    fn out_of_force_gap(&self, alternative: &'r Alternative, file: FileId) -> Unmet<'r> {
        let validity = alternative
            .route
            .as_ref()
            .map(|route| route.validity)
            .unwrap_or_default();
        self.unmet(
            UnmetKind::Other,
            Verdict::NotEligible,
            &alternative.requirement,
            file,
        )
        .fact(Fact::RouteNotInForce {
            validity,
            as_of: self.as_of,
        })
    }

    pub(super) fn at_least(
        &mut self,
        requirement: &'r Requirement,
        count: usize,
        parts: &'r [Requirement],
        file: FileId,
        found: &mut Collected<'r>,
    ) -> Verdict {
        let mut met = 0;
        let mut open = 0;
        let mut missing: Vec<usize> = Vec::new();
        let mut distances: Vec<f64> = Vec::new();
        let mut undetermined: Vec<Unmet<'r>> = Vec::new();
        let mut evidence: Vec<Met<'r>> = Vec::new();
        for (index, part) in parts.iter().enumerate() {
            let mut own = Collected::default();
            match self.eval(part, file, &mut own) {
                Verdict::Eligible => {
                    met += 1;
                    evidence.extend(own.evidence);
                }
                Verdict::Undetermined => {
                    open += 1;
                    distances.push(total_distance(&own.gaps));
                    undetermined.extend(own.gaps);
                }
                Verdict::NotEligible => {
                    missing.push(index);
                    distances.push(total_distance(&own.gaps));
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
        if !self.explain {
            return verdict;
        }
        if verdict == Verdict::Eligible {
            found.evidence.extend(evidence);
            return verdict;
        }
        // The nearest way to `count`: the smallest distances of the parts not met.
        distances.sort_by(f64::total_cmp);
        let distance = distances.iter().take(count.saturating_sub(met)).sum();
        let mut gap = self
            .unmet(UnmetKind::Other, verdict, requirement, file)
            .quantity(count as f64, met as f64, super::Unit::Count)
            .fact(Fact::PartsNotMet(missing));
        gap.distance = distance;
        found.gaps.push(gap);
        found.gaps.extend(undetermined);
        found.evidence.extend(evidence);
        verdict
    }

    pub(super) fn not(
        &mut self,
        requirement: &'r Requirement,
        inner: &'r Requirement,
        file: FileId,
        found: &mut Collected<'r>,
    ) -> Verdict {
        let mut own = Collected::default();
        match self.eval(inner, file, &mut own) {
            Verdict::Eligible => {
                if self.explain {
                    let kind = UnmetKind::of(self.rules, inner);
                    found
                        .gaps
                        .push(self.unmet(kind, Verdict::NotEligible, requirement, file));
                }
                Verdict::NotEligible
            }
            Verdict::NotEligible => {
                self.met(found, requirement, file, |met| met);
                Verdict::Eligible
            }
            Verdict::Undetermined => {
                found.gaps.extend(own.gaps);
                Verdict::Undetermined
            }
        }
    }

    pub(super) fn when(
        &mut self,
        guard: &'r Requirement,
        then: &'r Requirement,
        otherwise: Option<&'r Requirement>,
        file: FileId,
        found: &mut Collected<'r>,
    ) -> Verdict {
        // A guard's own gaps matter only when it is undetermined, so it is
        // first decided without building any explanation.
        let mut nothing = Collected::default();
        match self.quietly(|this| this.eval(guard, file, &mut nothing)) {
            Verdict::Eligible => self.eval(then, file, found),
            Verdict::NotEligible => otherwise.map_or(Verdict::Eligible, |otherwise| {
                self.eval(otherwise, file, found)
            }),
            Verdict::Undetermined => {
                // The missing fact decides nothing when both branches hold.
                let then_holds =
                    self.quietly(|this| this.eval(then, file, &mut nothing)) == Verdict::Eligible;
                let otherwise_holds = otherwise.is_none_or(|otherwise| {
                    self.quietly(|this| this.eval(otherwise, file, &mut nothing))
                        == Verdict::Eligible
                });
                if then_holds && otherwise_holds {
                    return Verdict::Eligible;
                }
                if self.explain {
                    self.eval(guard, file, found);
                }
                Verdict::Undetermined
            }
        }
    }

    /// `as_of DATE { … }`: the body on `date`; what it finds is marked
    /// with the date it was judged on.
    pub(super) fn as_of_block(
        &mut self,
        date: Date,
        body: &'r Requirement,
        file: FileId,
        found: &mut Collected<'r>,
    ) -> Verdict {
        let evaluation_date = std::mem::replace(&mut self.as_of, date);
        let mut own = Collected::default();
        let verdict = self.eval(body, file, &mut own);
        self.as_of = evaluation_date;
        for gap in &mut own.gaps {
            gap.as_of.get_or_insert(date);
        }
        for met in &mut own.evidence {
            met.as_of.get_or_insert(date);
        }
        found.extend(own);
        verdict
    }

    pub(super) fn role_condition(
        &mut self,
        requirement: &'r Requirement,
        role: RoleId,
        file: FileId,
        found: &mut Collected<'r>,
    ) -> Verdict {
        if self.depth >= MAX_ROLE_DEPTH || self.rules.get(role).is_none() {
            if self.explain {
                found.gaps.push(
                    self.unmet(UnmetKind::Role, Verdict::NotEligible, requirement, file)
                        .fact(Fact::BrokenRuleSet),
                );
            }
            return Verdict::NotEligible;
        }
        self.depth += 1;
        let mut inner = Collected::default();
        let (verdict, route) = self.role_body(role, &mut inner);
        self.depth -= 1;
        if !self.explain {
            return verdict;
        }
        if verdict == Verdict::Eligible {
            self.met(found, requirement, file, |mut met| {
                met.via = Some(Box::new(Via {
                    role,
                    route,
                    evidence: inner.evidence,
                }));
                met
            });
        } else {
            let mut gap = self.unmet(UnmetKind::Role, verdict, requirement, file);
            gap.distance = total_distance(&inner.gaps).max(UNDETERMINED_DISTANCE);
            gap.role_gaps = inner.gaps;
            found.gaps.push(gap);
        }
        verdict
    }

    pub(super) fn use_definition(
        &mut self,
        requirement: &'r Requirement,
        definition: DefinitionId,
        found: &mut Collected<'r>,
    ) -> Verdict {
        let rules = self.rules;
        let Some(definition) = rules.definitions.get(definition) else {
            if self.explain {
                found.gaps.push(
                    self.unmet(UnmetKind::Other, Verdict::NotEligible, requirement, 0)
                        .fact(Fact::BrokenRuleSet),
                );
            }
            return Verdict::NotEligible;
        };
        self.eval(&definition.requirement, definition.file, found)
    }

    pub(super) fn state_in(
        &self,
        requirement: &'r Requirement,
        states: &[String],
        file: FileId,
        found: &mut Collected<'r>,
    ) -> Verdict {
        let Some(state) = self.state else {
            if self.explain {
                found.gaps.push(
                    self.unmet(UnmetKind::Other, Verdict::Undetermined, requirement, file)
                        .fact(Fact::NoState),
                );
            }
            return Verdict::Undetermined;
        };
        if states.iter().any(|listed| same(listed, state)) {
            self.met(found, requirement, file, |met| met);
            return Verdict::Eligible;
        }
        if self.explain {
            found.gaps.push(
                self.unmet(UnmetKind::Other, Verdict::NotEligible, requirement, file)
                    .fact(Fact::State(state.to_string())),
            );
        }
        Verdict::NotEligible
    }

    pub(super) fn date(
        &self,
        requirement: &'r Requirement,
        on_or_after: bool,
        date: Date,
        file: FileId,
        found: &mut Collected<'r>,
    ) -> Verdict {
        if (self.as_of >= date) == on_or_after {
            self.met(found, requirement, file, |met| met);
            return Verdict::Eligible;
        }
        if self.explain {
            found.gaps.push(
                self.unmet(UnmetKind::Other, Verdict::NotEligible, requirement, file)
                    .fact(Fact::EvaluationDate(self.as_of)),
            );
        }
        Verdict::NotEligible
    }

    pub(super) fn age(
        &self,
        requirement: &'r Requirement,
        minimum: u32,
        file: FileId,
        found: &mut Collected<'r>,
    ) -> Verdict {
        let Some(birth) = self.profile.birth_date else {
            if self.explain {
                found.gaps.push(
                    self.unmet(UnmetKind::Other, Verdict::Undetermined, requirement, file)
                        .fact(Fact::Age(None)),
                );
            }
            return Verdict::Undetermined;
        };
        let age = i64::from(birth.whole_years_until(self.as_of));
        if age >= i64::from(minimum) {
            self.met(found, requirement, file, |met| met);
            return Verdict::Eligible;
        }
        if self.explain {
            found.gaps.push(
                self.unmet(UnmetKind::Other, Verdict::NotEligible, requirement, file)
                    .fact(Fact::Age(Some(age))),
            );
        }
        Verdict::NotEligible
    }
}

/// Distances compared to a millionth, so that sums of the same shares in
/// another order still tie (and ties go to the first declared).
pub fn distance_key(distance: f64) -> i64 {
    (distance * 1e6).round() as i64
}

/// Whether a condition reads a few fields of the profile (against one that
/// sweeps over records or holds other conditions).
fn is_cheap(requirement: &Requirement) -> bool {
    use crate::ruleset::RequirementKind as Kind;
    matches!(
        requirement.kind,
        Kind::Degree(_)
            | Kind::Program(_)
            | Kind::Certification(_)
            | Kind::License(_)
            | Kind::StateIn(_)
            | Kind::Date { .. }
            | Kind::Age { .. }
    )
}

/// An `any`'s verdict from its alternatives': eligible if one is, else
/// undetermined if one is, else not eligible.
fn fold_any(tried: &[Tried<'_>]) -> Verdict {
    tried.iter().fold(Verdict::NotEligible, |verdict, each| {
        match (verdict, each.verdict) {
            (Verdict::Eligible, _) | (_, Verdict::Eligible) => Verdict::Eligible,
            (Verdict::Undetermined, _) | (_, Verdict::Undetermined) => Verdict::Undetermined,
            _ => Verdict::NotEligible,
        }
    })
}

/// The alternative to report: the first met when the `any` is met;
/// otherwise the nearest among those with the overall verdict, routes in
/// force first, ties to the first declared.
fn choose(tried: &[Tried<'_>], verdict: Verdict) -> Option<usize> {
    if verdict == Verdict::Eligible {
        return tried
            .iter()
            .position(|each| each.verdict == Verdict::Eligible);
    }
    let pick = |need_in_force: bool| {
        tried
            .iter()
            .enumerate()
            .filter(|(_, each)| each.verdict == verdict && (each.in_force || !need_in_force))
            .min_by_key(|(index, each)| (distance_key(each.distance), *index))
            .map(|(index, _)| index)
    };
    pick(true).or_else(|| pick(false))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::eval::{
        Context, Coverage, UnmetKind, Verdict::*, evaluate_role, evaluate_role_with_coverage,
    };
    use crate::ruleset::{Requirement, RequirementKind, Validity};
    use serde_json::json;

    fn one(
        requirement: Requirement,
        profile: serde_json::Value,
    ) -> super::super::test_support::Shown {
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
        assert_eq!(outcome.route, Some(2));
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
        // The route met, and the record that met it.
        assert_eq!(earlier.route, Some(1));
        assert_eq!(earlier.evidence, "ASCP MLT (certifications[0])");
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
            let full = evaluate_role(
                &rules,
                crate::ruleset::RoleId::from_index(0),
                &profile,
                &ctx,
            );
            let fast = evaluate_role(
                &rules,
                crate::ruleset::RoleId::from_index(0),
                &profile,
                &ctx.clone().verdict_only(),
            );
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
            role(
                "outer",
                "Outer role",
                vec![role_ref(crate::ruleset::RoleId::from_index(1))],
            ),
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
            role(
                "a",
                "A",
                vec![role_ref(crate::ruleset::RoleId::from_index(1))],
            ),
            role(
                "b",
                "B",
                vec![role_ref(crate::ruleset::RoleId::from_index(0))],
            ),
        ]);
        assert_eq!(
            evaluate_id(&rules, "a", p(), "2026-01-01", None).verdict,
            NotEligible
        );
        let ctx = Context::new(d("2026-01-01"));
        assert_eq!(
            evaluate_role(
                &rules,
                crate::ruleset::RoleId::from_index(99),
                &profile(p()),
                &ctx
            )
            .verdict,
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
        evaluate_role_with_coverage(
            &rules,
            crate::ruleset::RoleId::from_index(0),
            &profile(p()),
            &ctx,
            &mut coverage,
        );
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
