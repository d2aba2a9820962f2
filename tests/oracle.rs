//! The differential oracle (issue 9, "Proof that it stays fixed"): the
//! engine against a naive second implementation of the documented semantics
//! (`oracle/naive.rs`) on generated profiles (`oracle/generate.rs`) × every
//! shipped role × several evaluation dates. For each: the role's verdict
//! (explained and verdict-only), every route's verdict, and for every
//! condition reported unmet or met, its verdict and its needed/have.
//!
//! The default run checks `DEFAULT_PROFILES` profiles; the ignored test
//! checks 10,000 (`.ci/run` runs it in release):
//! `cargo test --release --test oracle -- --ignored`. `ORACLE_PROFILES=N`
//! and `ORACLE_SEED=S` override the count and the seed of either.

#[path = "oracle/generate.rs"]
mod generate;
#[path = "oracle/naive.rs"]
mod naive;

use eligo::eval::{Met, Unit, Unmet};
use eligo::ruleset::{RequirementKind, RuleSet};
use eligo::{Context, Date, RoleOutcome, Verdict};
use naive::{Exact, Oracle};
use std::fmt::Write as _;
use std::path::Path;

const DEFAULT_PROFILES: usize = 300;
const FULL_PROFILES: usize = 10_000;

/// Evaluation dates: around the shipped rules' `from`/`until` days
/// (2023-01-01, 2024-12-28, 2025-01-01), leap days, and the docs' example day.
const AS_OF: [&str; 7] = [
    "2022-12-31",
    "2024-02-29",
    "2024-12-27",
    "2024-12-28",
    "2025-01-01",
    "2026-11-21",
    "2028-02-29",
];

fn shipped_rules() -> RuleSet {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let loaded = eligo::load_rules(&path).expect("the shipped rules load");
    loaded.rules.expect("the shipped rules check")
}

fn dates() -> Vec<Date> {
    AS_OF
        .iter()
        .map(|text| Date::parse(text).expect("a valid date"))
        .collect()
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// What a run saw, to show the generated profiles reach every outcome.
#[derive(Default, Debug)]
struct Tally {
    evaluations: usize,
    eligible: usize,
    not_eligible: usize,
    undetermined: usize,
    quantities: usize,
    /// Quantities within 5% of their threshold: the near misses and near hits.
    near_threshold: usize,
}

/// Everything the engine and the oracle disagree on, one line each.
struct Disagreements {
    lines: Vec<String>,
}

impl Disagreements {
    fn note(&mut self, context: &str, what: String) {
        if self.lines.len() < 50 {
            self.lines.push(format!("{context}: {what}"));
        }
    }
}

struct Comparison<'a> {
    rules: &'a RuleSet,
    oracle: &'a Oracle<'a>,
    context: String,
    tally: &'a mut Tally,
    out: &'a mut Disagreements,
}

impl Comparison<'_> {
    fn role(&mut self, outcome: &RoleOutcome<'_>, quick: Verdict) {
        let expected = self.oracle.role(outcome.role);
        self.tally.evaluations += 1;
        match expected {
            Verdict::Eligible => self.tally.eligible += 1,
            Verdict::NotEligible => self.tally.not_eligible += 1,
            Verdict::Undetermined => self.tally.undetermined += 1,
        }
        if outcome.verdict != expected {
            self.out.note(
                &self.context,
                format!("verdict {} but the oracle says {expected}", outcome.verdict),
            );
        }
        if quick != outcome.verdict {
            self.out.note(
                &self.context,
                format!(
                    "verdict-only evaluation says {quick}, explained says {}",
                    outcome.verdict
                ),
            );
        }
        if outcome.verdict != Verdict::Eligible && outcome.unmet.is_empty() {
            self.out
                .note(&self.context, "not eligible with nothing unmet".into());
        }
        for gap in &outcome.unmet {
            self.unmet(gap);
        }
        for met in &outcome.evidence {
            self.met(met);
        }
        self.distances(outcome);
        for route in &outcome.routes {
            let expected = if route.in_force {
                self.oracle.eval(&route.alternative.requirement)
            } else {
                Verdict::NotEligible
            };
            if route.verdict != expected {
                self.out.note(
                    &self.context,
                    format!(
                        "route {:?}: {} but the oracle says {expected}",
                        route.name(),
                        route.verdict
                    ),
                );
            }
            for gap in &route.unmet {
                self.unmet(gap);
            }
            for met in &route.evidence {
                self.met(met);
            }
        }
    }

    /// docs/output.md, "Distance": a route's distance is the sum of its
    /// gaps', a role's that of its gaps (its closest route's and those
    /// outside its routes); the route reported is the one met, else the
    /// nearest with the role's verdict, routes in force first, ties to the
    /// first declared.
    fn distances(&mut self, outcome: &RoleOutcome<'_>) {
        let sum = |gaps: &[Unmet<'_>]| gaps.iter().map(|gap| gap.distance).sum::<f64>();
        let eligible = outcome.verdict == Verdict::Eligible;
        if !eligible && (outcome.distance - sum(&outcome.unmet)).abs() > 1e-6 {
            self.out.note(
                &self.context,
                format!(
                    "role distance {} is not the sum of its gaps' {}",
                    outcome.distance,
                    sum(&outcome.unmet)
                ),
            );
        }
        for route in &outcome.routes {
            let met = route.verdict == Verdict::Eligible;
            if met != route.unmet.is_empty() {
                self.out.note(
                    &self.context,
                    format!(
                        "route {:?} is {} with {} gaps",
                        route.name(),
                        route.verdict,
                        route.unmet.len()
                    ),
                );
            }
            if !met && (route.distance - sum(&route.unmet)).abs() > 1e-6 {
                self.out.note(
                    &self.context,
                    format!(
                        "route {:?}: distance {} is not the sum of its gaps' {}",
                        route.name(),
                        route.distance,
                        sum(&route.unmet)
                    ),
                );
            }
        }
        if outcome.routes.is_empty() {
            return;
        }
        let key = |distance: f64| (distance * 1e6).round() as i64;
        // Among the routes with the verdict of the `any` of routes (the
        // role's may differ, with conditions outside the routes): an
        // undetermined route is reported before a nearer one not met. The
        // engine does this and docs/output.md does not say it (it says
        // "the one that needs the least"): reported to the lead with a
        // minimal case (issue 9 oracle report).
        let verdicts: Vec<Verdict> = outcome.routes.iter().map(|route| route.verdict).collect();
        let routes_verdict = if verdicts.contains(&Verdict::Eligible) {
            Verdict::Eligible
        } else if verdicts.contains(&Verdict::Undetermined) {
            Verdict::Undetermined
        } else {
            Verdict::NotEligible
        };
        let expected = if routes_verdict == Verdict::Eligible {
            outcome
                .routes
                .iter()
                .position(|route| route.verdict == Verdict::Eligible)
        } else {
            let pick = |in_force_only: bool| {
                outcome
                    .routes
                    .iter()
                    .enumerate()
                    .filter(|(_, route)| {
                        route.verdict == routes_verdict && (route.in_force || !in_force_only)
                    })
                    .min_by_key(|(index, route)| (key(route.distance), *index))
                    .map(|(index, _)| index)
            };
            pick(true).or_else(|| pick(false))
        };
        if expected.is_some() && outcome.route != expected {
            self.out.note(
                &self.context,
                format!(
                    "reported route {:?} but the nearest is {:?}",
                    outcome.route, expected
                ),
            );
        }
    }

    fn at(&self, requirement: &eligo::ruleset::Requirement, file: usize) -> String {
        let source = &self.rules.files[file];
        let (line, column) = source.line_col(requirement.span.start);
        let name = source
            .name
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap_or(&source.name)
            .trim_start_matches('/');
        format!("{name}:{line}:{column}")
    }

    /// A gap or evidence judged on another day (an `as_of` block) is
    /// compared with an oracle of that day.
    fn on_day(
        &mut self,
        date: Option<eligo::Date>,
        check: impl FnOnce(&mut Comparison<'_>),
    ) -> bool {
        let Some(date) = date else {
            return false;
        };
        let oracle = self.oracle.on(date);
        let mut inner = Comparison {
            rules: self.rules,
            oracle: &oracle,
            context: format!("{} (as of {date})", self.context),
            tally: &mut *self.tally,
            out: &mut *self.out,
        };
        check(&mut inner);
        true
    }

    fn unmet(&mut self, gap: &Unmet<'_>) {
        if gap.as_of.is_some() {
            let mut plain = gap.clone();
            plain.as_of = None;
            self.on_day(gap.as_of, |inner| inner.unmet(&plain));
            return;
        }
        let out_of_force = gap.facts.iter().any(|fact| {
            matches!(
                fact,
                eligo::eval::Fact::RouteNotInForce { .. } | eligo::eval::Fact::RoleNotInForce(_)
            )
        });
        if !out_of_force {
            let expected = self.oracle.eval(gap.requirement);
            if expected != gap.verdict {
                let at = self.at(gap.requirement, gap.file);
                self.out.note(
                    &self.context,
                    format!(
                        "{at}: reported {} ({}) but the oracle says {expected}",
                        gap.verdict, gap.kind
                    ),
                );
            }
        }
        if let Some(quantity) = gap.quantity {
            self.check_quantity(gap.requirement, gap.file, gap.measure, quantity, Some(gap));
        }
        for alternative in &gap.alternatives {
            self.unmet(alternative);
        }
        for inner in &gap.role_gaps {
            self.unmet(inner);
        }
    }

    fn met(&mut self, met: &Met<'_>) {
        if met.as_of.is_some() {
            let mut plain = met.clone();
            plain.as_of = None;
            self.on_day(met.as_of, |inner| inner.met(&plain));
            return;
        }
        let expected = self.oracle.eval(met.requirement);
        if expected != Verdict::Eligible {
            let at = self.at(met.requirement, met.file);
            self.out.note(
                &self.context,
                format!(
                    "{at}: evidence of a condition met ({}) but the oracle says {expected}",
                    met.kind
                ),
            );
        }
        if let Some(quantity) = met.quantity {
            self.check_quantity(met.requirement, met.file, None, quantity, None);
        }
        if let Some(via) = &met.via {
            for inner in &via.evidence {
                self.met(inner);
            }
        }
    }

    /// needed and have of one condition, the engine's against the oracle's.
    fn check_quantity(
        &mut self,
        requirement: &eligo::ruleset::Requirement,
        file: usize,
        measure: Option<eligo::ruleset::TrainingMeasure>,
        quantity: eligo::eval::Quantity,
        gap: Option<&Unmet<'_>>,
    ) {
        let expected: Option<(f64, Exact, Unit)> = match &requirement.kind {
            RequirementKind::Experience(rule) => Some((
                rule.amount,
                self.oracle.experience_of(requirement, rule),
                match rule.unit {
                    eligo::ruleset::ExperienceUnit::Months => Unit::Months,
                    eligo::ruleset::ExperienceUnit::Hours => Unit::Hours,
                },
            )),
            RequirementKind::Coursework(rule) => {
                let needed = match rule.written_minimum {
                    Some((amount, eligo::syntax::ast::CreditUnit::SemesterHours)) => amount,
                    Some((amount, eligo::syntax::ast::CreditUnit::QuarterHours)) => {
                        amount * 2.0 / 3.0
                    }
                    None => f64::NAN,
                };
                Some((needed, self.oracle.coursework(rule).1, Unit::SemesterHours))
            }
            RequirementKind::ContinuingEducation(rule) => Some((
                rule.hours,
                self.oracle.continuing_education(rule),
                Unit::Hours,
            )),
            RequirementKind::AtLeast { count, of } => Some((
                *count as f64,
                Exact {
                    numerator: self.oracle.at_least(*count, of).1 as i128,
                    denominator: 1,
                },
                Unit::Count,
            )),
            RequirementKind::Training(rule) => {
                // One minimum of the nearest entry: needed is the rule's,
                // have the figure of the entry the gap names.
                let Some(measure) = measure else {
                    return;
                };
                let needed = rule
                    .minimums
                    .iter()
                    .find(|(m, _)| *m == measure)
                    .map_or(f64::NAN, |(_, minimum)| *minimum);
                let entry = gap
                    .and_then(|gap| gap.findings.first())
                    .and_then(|finding| match finding.record {
                        eligo::eval::Record::Training(index) => {
                            self.oracle.profile().training.get(index)
                        }
                        _ => None,
                    });
                let Some(entry) = entry else {
                    let at = self.at(requirement, file);
                    self.out.note(
                        &self.context,
                        format!("{at}: a training gap names no training entry"),
                    );
                    return;
                };
                let have = naive::training_measure(entry, measure);
                Some((
                    needed,
                    Exact {
                        numerator: (have * 2.0) as i128,
                        denominator: 2,
                    },
                    eligo::eval::Unit::Count,
                ))
            }
            _ => None,
        };
        let Some((needed, have, unit)) = expected else {
            let at = self.at(requirement, file);
            self.out.note(
                &self.context,
                format!("{at}: a quantity on a condition the oracle does not count"),
            );
            return;
        };
        self.tally.quantities += 1;
        if needed > 0.0 && (have.value() - needed).abs() <= needed * 0.05 {
            self.tally.near_threshold += 1;
        }
        let at = self.at(requirement, file);
        if (quantity.needed - needed).abs() > 1e-9 * needed.abs().max(1.0) {
            self.out.note(
                &self.context,
                format!(
                    "{at}: needed {} but the oracle says {needed}",
                    quantity.needed
                ),
            );
        }
        if measure.is_none() && quantity.unit != unit {
            self.out.note(
                &self.context,
                format!(
                    "{at}: unit {:?} but the oracle says {unit:?}",
                    quantity.unit
                ),
            );
        }
        // The exact amount, to rounding error.
        if (quantity.have - have.value()).abs() > 1e-6 * have.value().abs().max(1.0) {
            self.out.note(
                &self.context,
                format!(
                    "{at}: have {} but the oracle counts {} ({}/{})",
                    quantity.have,
                    have.value(),
                    have.numerator,
                    have.denominator
                ),
            );
        }
        // docs/output.md, "Distance": a gap's distance from its shortfall.
        if let Some(gap) = gap {
            let short = (needed - have.value()).max(0.0);
            let expected = match (&requirement.kind, unit) {
                // `in each of`: at least a month per area without work.
                (RequirementKind::Experience(rule), Unit::Months) => {
                    Some((short / 12.0).max(self.oracle.areas_without_work(rule) as f64 / 12.0))
                }
                (RequirementKind::Experience(_), Unit::Hours) => Some(short / 1820.0),
                (RequirementKind::Coursework(rule), _) if rule.including.is_none() => {
                    Some(short / 30.0)
                }
                (RequirementKind::ContinuingEducation(_), _) => Some(short / 40.0),
                (RequirementKind::Training(_), _) => Some(short / needed * 0.25),
                _ => None,
            };
            if let Some(expected) = expected
                && (gap.distance - expected).abs() > 1e-6
            {
                self.out.note(
                    &self.context,
                    format!(
                        "{at}: distance {} but docs/output.md gives {expected}",
                        gap.distance
                    ),
                );
            }
        }
        // The contract's `have`: one decimal, never rounded up to a missed threshold.
        let shown = have.shown(needed);
        if gap.is_some()
            && !have.near_rounding_boundary()
            && (quantity.shown_have() - shown).abs() > 1e-9
        {
            self.out.note(
                &self.context,
                format!(
                    "{at}: shown have {} but the oracle shows {shown}",
                    quantity.shown_have()
                ),
            );
        }
    }
}

/// Runs `profiles` generated profiles × every shipped role × every date.
fn run(profiles: usize, seed: u64) {
    let rules = shipped_rules();
    let vocabulary = generate::Vocabulary::of(&rules);
    let dates = dates();
    let mut generator = generate::Generator::new(seed, &vocabulary, dates.clone());
    let roles: Vec<_> = rules.role_ids().collect();
    let mut tally = Tally::default();
    let mut out = Disagreements { lines: Vec::new() };
    let mut failing_profiles = Vec::new();
    for index in 0..profiles {
        let (profile, json) = generator.profile();
        let before = out.lines.len();
        // Every fifth profile is checked as with `--state`, which overrides its own.
        let state =
            (index % 5 == 4).then(|| vocabulary.states[index % vocabulary.states.len()].clone());
        for &as_of in &dates {
            let ctx = Context::new(as_of).with_state(state.clone());
            let quick_ctx = ctx.clone().verdict_only();
            let oracle = Oracle::new(&rules, &profile, as_of, state.as_deref());
            for &role in &roles {
                let outcome = eligo::evaluate_role(&rules, role, &profile, &ctx);
                let quick = eligo::evaluate_role(&rules, role, &profile, &quick_ctx).verdict;
                let context = format!(
                    "profile #{index} as of {as_of}{}, role {}",
                    state
                        .as_ref()
                        .map_or(String::new(), |s| format!(" --state {s}")),
                    rules[role].id
                );
                Comparison {
                    rules: &rules,
                    oracle: &oracle,
                    context,
                    tally: &mut tally,
                    out: &mut out,
                }
                .role(&outcome, quick);
            }
        }
        if out.lines.len() > before && failing_profiles.len() < 3 {
            failing_profiles.push(format!("profile #{index}: {json}"));
        }
    }
    eprintln!("oracle: {profiles} profiles, seed {seed}: {tally:?}");
    if !out.lines.is_empty() {
        let mut report = String::new();
        for line in &out.lines {
            let _ = writeln!(report, "{line}");
        }
        for profile in &failing_profiles {
            let _ = writeln!(report, "{profile}");
        }
        panic!("the engine and the oracle disagree:\n{report}");
    }
    // The generated profiles reach every outcome, and many quantities lie
    // near their thresholds (else the comparison proves little).
    assert!(tally.eligible > 0 && tally.not_eligible > 0 && tally.undetermined > 0);
    assert!(
        tally.near_threshold * 100 >= tally.quantities,
        "too few quantities near a threshold: {tally:?}"
    );
}

#[test]
fn engine_agrees_with_the_naive_oracle() {
    run(
        env_or("ORACLE_PROFILES", DEFAULT_PROFILES as u64) as usize,
        env_or("ORACLE_SEED", 9),
    );
}

#[test]
#[ignore = "10,000 profiles: run in release (`.ci/run` does)"]
fn engine_agrees_with_the_naive_oracle_on_ten_thousand_profiles() {
    run(
        env_or("ORACLE_PROFILES", FULL_PROFILES as u64) as usize,
        env_or("ORACLE_SEED", 2026),
    );
}

/// The full-time threshold the oracle reads from the checked rules is the
/// documented default (35 hours a week) wherever a rule writes no `fulltime`.
#[test]
fn full_time_defaults_to_35_hours_a_week() {
    let rules = shipped_rules();
    let mut checked = 0;
    let mut trees: Vec<(&eligo::ruleset::Requirement, usize)> = rules
        .roles
        .iter()
        .map(|role| (&role.requirement, role.file))
        .collect();
    trees.extend(
        rules
            .definitions
            .iter()
            .map(|definition| (&definition.requirement, definition.file)),
    );
    for (tree, file) in trees {
        generate::walk(tree, &mut |node| {
            if let RequirementKind::Experience(rule) = &node.kind {
                let text = &rules.files[file].text[node.span.start..node.span.end];
                assert!(text.starts_with("experience"), "{text}");
                if !text.contains("fulltime") {
                    assert_eq!(rule.fulltime_hours_per_week, 35.0, "{text}");
                    checked += 1;
                }
            }
        });
    }
    assert!(checked > 20, "{checked}");
}
