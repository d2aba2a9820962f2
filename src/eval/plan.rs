//! A plan toward a goal role: for each of its routes, the steps from the
//! profile to the route, following the links the rules declare (a route
//! that requires another role, a certification or licence whose `see`
//! names the role that explains how to earn it), each step with what it
//! needs and whether time alone gets there, and when.
//!
//! Options are ranked by the day time alone completes them (earliest
//! first), then by distance (nearest first), then in declaration order.

use super::{Context, Projection, RoleOutcome, Unmet, Verdict, evaluate_role, project};
use crate::date::Date;
use crate::profile::Profile;
use crate::ruleset::{RequirementKind, RoleId, RuleSet};

/// How deep `see` and `role` links are followed.
const MAX_DEPTH: usize = 4;
/// How many options a plan keeps.
pub const OPTIONS_SHOWN: usize = 3;

/// The plan toward `goal`.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Plan<'r> {
    pub goal: RoleId,
    /// Met already: nothing to plan.
    pub met: bool,
    /// The best options, best first (at most [`OPTIONS_SHOWN`]).
    pub options: Vec<PlanOption<'r>>,
}

/// One way to the goal: a route of it (or the role itself when it has no
/// routes).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct PlanOption<'r> {
    /// Index among the goal's routes.
    pub route: Option<usize>,
    /// In order: the roles to qualify for first, then what the route
    /// itself still needs.
    pub steps: Vec<Step<'r>>,
    /// The day time alone completes this option, if it does within the
    /// horizon.
    pub by_time_on: Option<Date>,
    /// How far from met (see docs/output.md, "Distance").
    pub distance: f64,
}

/// One step of an option.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Step<'r> {
    /// Qualify for another role first (its own steps nested).
    Role {
        role: RoleId,
        /// Met already (e.g. eligible to sit an examination not yet taken).
        ready: bool,
        /// The route of that role the plan follows (the one met, when ready).
        route: Option<usize>,
        /// The day time alone gets there, if it does within the horizon.
        by_time_on: Option<Date>,
        steps: Vec<Step<'r>>,
    },
    /// A condition still to meet.
    Needs(Unmet<'r>),
}

/// Plans toward `goal` for `profile`, projecting up to `until`.
pub fn plan<'r>(
    rules: &'r RuleSet,
    goal: RoleId,
    profile: &Profile,
    ctx: &Context,
    until: Date,
) -> Plan<'r> {
    let ctx = ctx.clone();
    let outcome = evaluate_role(rules, goal, profile, &ctx);
    if outcome.verdict == Verdict::Eligible {
        return Plan {
            goal,
            met: true,
            options: Vec::new(),
        };
    }
    let projected = met_from(rules, goal, profile, &ctx, until);
    let mut options: Vec<PlanOption<'r>> = if outcome.routes.is_empty() {
        vec![PlanOption {
            route: None,
            steps: steps(rules, &outcome.unmet, profile, &ctx, until, 1),
            by_time_on: projected.map(|(on, _)| on),
            distance: outcome.distance,
        }]
    } else {
        let whole_role: Vec<&Unmet<'r>> = outcome
            .unmet
            .iter()
            .filter(|gap| gap.route.is_none())
            .collect();
        outcome
            .routes
            .iter()
            .enumerate()
            .filter(|(_, route)| route.in_force && route.verdict != Verdict::Eligible)
            .map(|(index, route)| {
                let gaps: Vec<Unmet<'r>> = whole_role
                    .iter()
                    .map(|gap| (*gap).clone())
                    .chain(route.unmet.iter().cloned())
                    .collect();
                PlanOption {
                    route: Some(index),
                    steps: steps(rules, &gaps, profile, &ctx, until, 1),
                    by_time_on: projected
                        .filter(|(_, route)| *route == Some(index))
                        .map(|(on, _)| on),
                    distance: route.distance,
                }
            })
            .collect()
    };
    options.sort_by_key(|option| {
        (
            option.by_time_on.is_none(),
            option.by_time_on,
            super::distance_key(option.distance),
        )
    });
    options.truncate(OPTIONS_SHOWN);
    Plan {
        goal,
        met: false,
        options,
    }
}

/// The day time alone meets the role, and by which route.
fn met_from(
    rules: &RuleSet,
    role: RoleId,
    profile: &Profile,
    ctx: &Context,
    until: Date,
) -> Option<(Date, Option<usize>)> {
    match project(rules, role, profile, ctx, until) {
        Projection::MetFrom { on, outcome, .. } => Some((on, outcome.route)),
        _ => None,
    }
}

/// The steps for a set of gaps: a gap that names another role becomes that
/// role's own plan (its best route), placed first.
fn steps<'r>(
    rules: &'r RuleSet,
    gaps: &[Unmet<'r>],
    profile: &Profile,
    ctx: &Context,
    until: Date,
    depth: usize,
) -> Vec<Step<'r>> {
    let mut roles = Vec::new();
    let mut needs = Vec::new();
    for gap in gaps {
        match linked_role(gap).filter(|_| depth <= MAX_DEPTH) {
            Some(role) => {
                let outcome = evaluate_role(rules, role, profile, ctx);
                if outcome.verdict == Verdict::Eligible {
                    // The link is met, the gap is what follows it: a
                    // certificate whose examination the candidate may sit.
                    roles.push(Step::Role {
                        role,
                        ready: true,
                        route: outcome.route,
                        by_time_on: None,
                        steps: Vec::new(),
                    });
                    needs.push(Step::Needs(gap.clone()));
                    continue;
                }
                let projected = met_from(rules, role, profile, ctx, until);
                let route = projected.and_then(|(_, route)| route).or(outcome.closest);
                let inner = route_gaps(&outcome, route);
                roles.push(Step::Role {
                    role,
                    ready: false,
                    route,
                    by_time_on: projected.map(|(on, _)| on),
                    steps: steps(rules, &inner, profile, ctx, until, depth + 1),
                });
                // A certificate still has to be earned once eligible to sit
                // its examination; a role reference is met by the role.
                if !matches!(gap.requirement.kind, RequirementKind::Role(_)) {
                    needs.push(Step::Needs(gap.clone()));
                }
            }
            None => needs.push(Step::Needs(gap.clone())),
        }
    }
    roles.extend(needs);
    roles
}

/// A role's gaps on one of its routes, with those outside the routes.
fn route_gaps<'r>(outcome: &RoleOutcome<'r>, route: Option<usize>) -> Vec<Unmet<'r>> {
    let mut gaps: Vec<Unmet<'r>> = outcome
        .unmet
        .iter()
        .filter(|gap| gap.route.is_none() || outcome.routes.is_empty())
        .cloned()
        .collect();
    match route.and_then(|index| outcome.routes.get(index)) {
        Some(route) => gaps.extend(route.unmet.iter().cloned()),
        None => {
            if !outcome.routes.is_empty() {
                gaps.extend(
                    outcome
                        .unmet
                        .iter()
                        .filter(|gap| gap.route.is_some())
                        .cloned(),
                );
            }
        }
    }
    gaps
}

/// The role a gap points to: `role R`, or a certification or licence with
/// `see R`.
fn linked_role(gap: &Unmet<'_>) -> Option<RoleId> {
    match &gap.requirement.kind {
        RequirementKind::Role(role) => Some(*role),
        RequirementKind::Certification(rule) => rule.see,
        RequirementKind::License(rule) => rule.see,
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn shipped() -> RuleSet {
        crate::loader::load_rules(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"))
            .ok()
            .and_then(|loaded| loaded.rules)
            .expect("the shipped rules load")
    }

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn a_job_that_needs_a_certificate_plans_the_exam_role_first() {
        let rules = shipped();
        let goal = rules.role_id("mls").unwrap();
        // A chemistry graduate with two years in a clinical laboratory, no
        // certificate yet, working in Texas (no state licence).
        let profile: Profile = serde_json::from_value(serde_json::json!({
            "state": "TX",
            "education": [{ "degree": "bachelor", "field": "MLS", "completed": "2024-05-15",
                            "accreditation": "NAACLS" }]
        }))
        .unwrap();
        let ctx = Context::new(d("2026-11-21"));
        let plan = plan(&rules, goal, &profile, &ctx, d("2031-11-21"));
        assert!(!plan.met);
        let first = &plan.options[0];
        let Some(Step::Role { role, .. }) = first.steps.first() else {
            panic!("the first step qualifies for the certificate's exam: {first:?}");
        };
        assert_eq!(rules[*role].id, "ascp-mls");
        assert!(
            first.steps.iter().any(|step| matches!(
                step,
                Step::Needs(gap) if matches!(gap.requirement.kind, RequirementKind::Certification(_))
            )),
            "then the certificate itself"
        );
    }

    #[test]
    fn options_with_a_date_come_first_and_a_met_goal_needs_no_plan() {
        let rules = shipped();
        let goal = rules.role_id("ascp-sm").unwrap();
        let profile: Profile = serde_json::from_value(serde_json::json!({
            "education": [{ "degree": "bachelor", "field": "biology", "completed": "2015-05-15" }],
            "certifications": [{ "issuer": "ASCP", "name": "M", "earned": "2018-03-01", "expires": "2032-03-01" }],
            "experience": [{ "area": "microbiology", "setting": "clinical laboratory", "start": "2023-02-01", "hours_per_week": 20 }]
        }))
        .unwrap();
        let ctx = Context::new(d("2026-11-21"));
        let plan = plan(&rules, goal, &profile, &ctx, d("2031-11-21"));
        assert_eq!(plan.options[0].by_time_on, Some(d("2028-05-02")));
        assert!(plan.options.len() > 1);
        assert!(plan.options[1..].iter().all(|o| o.by_time_on.is_none()));
        let later = Context::new(d("2028-05-02"));
        assert!(super::plan(&rules, goal, &profile, &later, d("2033-05-02")).met);
    }
}
