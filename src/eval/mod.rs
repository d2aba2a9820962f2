//! Evaluation: a checked [`RuleSet`] against one [`Profile`] on one date,
//! giving a verdict per role and, on request, every unmet condition as data.
//! Evaluation never prints and never panics; rendering lives in `render`.
//!
//! # Verdicts
//! Three-valued: [`Verdict::Eligible`], [`Verdict::NotEligible`] and
//! [`Verdict::Undetermined`] (a fact that decides the answer is missing from
//! the profile, e.g. the `state` for `license state`). Composition follows
//! Kleene logic: `all` is not eligible if any part is, else undetermined if
//! any part is; `any` is eligible if any alternative is, else undetermined if
//! any is; `not` swaps eligible and not eligible; a `when` whose guard is
//! undetermined is undetermined (with the guard's reason) unless both branches
//! are eligible, in which case the missing fact cannot change the answer.
//!
//! # Explanations
//! With [`Context::explain`] set, every unmet condition becomes an [`Unmet`]
//! and every condition met a [`Met`]: the condition as written, the
//! quantity needed and found, and the profile records read ([`Finding`]s,
//! each with the [`Reason`]s it did or did not count). No sentence is built
//! here: `render` words the outcome for a reader. Of several alternatives
//! the one explained is the nearest to being met (least total distance,
//! see docs/output.md). Without `explain`, evaluation records nothing and
//! allocates nothing on the common paths: the fast path for screening.
//!
//! # Coverage
//! [`evaluate_role_with_coverage`] records, for every requirement node it
//! evaluates, whether it was seen met, unmet and/or undetermined (see
//! [`Coverage`]). Coverage turns off short-circuiting so that every
//! alternative of an `any` and every part of an `all` is visited; the
//! branches of a `when` not taken are not visited (they were not exercised).

mod composition;
mod continuing_education;
mod coursework;
mod credentials;
mod education;
mod experience;
mod outcome;
mod plan;
mod projection;
mod serving;
mod training;
mod verified;
mod window;

#[cfg(test)]
pub(crate) mod test_support;

pub use composition::distance_key;
pub use outcome::distances;
pub(crate) use outcome::meets;
pub use outcome::{
    Counted, Fact, Finding, Met, ProfileOutcome, Quantity, Reason, Record, RoleOutcome,
    RouteOutcome, Unit, Unmet, UnmetKind, Via,
};
pub use plan::{Plan, PlanOption, Step, plan};
pub use projection::{Projection, project};
pub use verified::{VerifiedOnly, verified_only};

use crate::date::Date;
use crate::profile::Profile;
use crate::ruleset::{Alternative, FileId, Requirement, RequirementKind, RoleId, RuleSet, TermSet};
use outcome::total_distance;
use std::collections::HashMap;
use std::fmt;

/// What an evaluation needs besides the rules and the profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    /// The evaluation date; every window counts back from it.
    pub as_of: Date,
    /// `--state`: overrides the profile's `state` when given.
    pub state: Option<String>,
    /// Build explanations (`unmet`, `routes`); off for verdict-only screening.
    pub explain: bool,
    /// With `explain`, also list every route with its own unmet conditions
    /// (`RoleOutcome::routes`); off when only the closest route is wanted.
    pub routes: bool,
    /// With `explain`, record the evidence of conditions met
    /// (`RoleOutcome::evidence`); off when only the gaps are wanted.
    pub evidence: bool,
}

impl Context {
    /// Explaining context on `as_of`, no state override.
    pub fn new(as_of: Date) -> Context {
        Context {
            as_of,
            state: None,
            explain: true,
            routes: true,
            evidence: true,
        }
    }

    /// Explanations without evidence: the gaps only, as `screen` rows
    /// show them (an eligible route is then not evaluated again in detail).
    pub fn without_evidence(mut self) -> Context {
        self.evidence = false;
        self
    }

    /// Explanations of the closest route only: `RoleOutcome::routes` stays
    /// empty, which saves building the other routes' explanations.
    pub fn without_routes(mut self) -> Context {
        self.routes = false;
        self
    }

    pub fn with_state(mut self, state: Option<String>) -> Context {
        self.state = state;
        self
    }

    /// Verdicts only: no messages are built.
    pub fn verdict_only(mut self) -> Context {
        self.explain = false;
        self
    }

    /// The state the candidate intends to work in: `--state`, else the
    /// profile's; blank counts as absent.
    pub fn effective_state<'a>(&'a self, profile: &'a Profile) -> Option<&'a str> {
        self.state
            .as_deref()
            .or(profile.state.as_deref())
            .map(trim_cheaply)
            .filter(|state| !state.is_empty())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    Eligible,
    NotEligible,
    /// A fact that decides the answer is missing from the profile.
    Undetermined,
}

impl Verdict {
    pub const ALL: [Verdict; 3] = [
        Verdict::Eligible,
        Verdict::NotEligible,
        Verdict::Undetermined,
    ];

    /// The wire name: `eligible`, `not_eligible`, `undetermined`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Eligible => "eligible",
            Verdict::NotEligible => "not_eligible",
            Verdict::Undetermined => "undetermined",
        }
    }

    /// `Eligible` when `met`, else `NotEligible`.
    pub fn of(met: bool) -> Verdict {
        if met {
            Verdict::Eligible
        } else {
            Verdict::NotEligible
        }
    }

    pub fn from_keyword(word: &str) -> Option<Verdict> {
        Verdict::ALL
            .into_iter()
            .find(|verdict| verdict.as_str() == word)
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role against a profile.
pub fn evaluate_role<'r>(
    rules: &'r RuleSet,
    role: RoleId,
    profile: &Profile,
    ctx: &Context,
) -> RoleOutcome<'r> {
    Evaluator::new(rules, profile, ctx, None).role_outcome(role)
}

/// Like [`evaluate_role`], recording every requirement node it evaluates in
/// `coverage` (without short-circuiting).
pub fn evaluate_role_with_coverage<'r>(
    rules: &'r RuleSet,
    role: RoleId,
    profile: &Profile,
    ctx: &Context,
    coverage: &mut Coverage,
) -> RoleOutcome<'r> {
    Evaluator::new(rules, profile, ctx, Some(coverage)).role_outcome(role)
}

/// What `check` reports for one profile: every role evaluated, projected
/// up to `project_until` when given, on verified records only when
/// `require_verified` (paths then still name the profile's own records).
pub fn check_profile<'r>(
    rules: &'r RuleSet,
    roles: &[RoleId],
    profile_id: &str,
    profile: &Profile,
    ctx: &Context,
    project_until: Option<Date>,
    require_verified: bool,
) -> ProfileOutcome<'r> {
    let verified = require_verified.then(|| verified_only(profile));
    let judged = verified.as_ref().map_or(profile, |only| &only.profile);
    let mut outcome = evaluate_profile(rules, roles, profile_id, judged, ctx);
    if let Some(until) = project_until {
        for role in &mut outcome.roles {
            role.projection = Some(Box::new(project(rules, role.role, judged, ctx, until)));
        }
    }
    if let Some(only) = &verified {
        for role in &mut outcome.roles {
            only.restore_paths(role);
        }
    }
    outcome
}

/// Several roles against one profile, in the order given.
pub fn evaluate_profile<'r>(
    rules: &'r RuleSet,
    roles: &[RoleId],
    profile_id: &str,
    profile: &Profile,
    ctx: &Context,
) -> ProfileOutcome<'r> {
    ProfileOutcome {
        profile: profile_id.to_string(),
        state: ctx.effective_state(profile).map(str::to_string),
        roles: roles
            .iter()
            .map(|&role| evaluate_role(rules, role, profile, ctx))
            .collect(),
    }
}

/// How each requirement node fared across the evaluations recorded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Seen {
    pub met: bool,
    pub unmet: bool,
    pub undetermined: bool,
}

impl Seen {
    /// Seen both met and not met (undetermined counts as not met).
    pub fn both_ways(self) -> bool {
        self.met && (self.unmet || self.undetermined)
    }
}

/// Per `Requirement::node`, which verdicts evaluation has seen. Fill it with
/// [`evaluate_role_with_coverage`] over the rule tests, then ask
/// [`Coverage::nodes`] for every condition of the rule set with what was seen.
#[derive(Clone, Debug, Default)]
pub struct Coverage {
    seen: HashMap<u32, Seen>,
}

/// One requirement of the rule set and how it fared.
#[derive(Clone, Copy, Debug)]
pub struct NodeCoverage<'r> {
    pub requirement: &'r Requirement,
    pub file: FileId,
    pub seen: Seen,
}

impl Coverage {
    pub fn new() -> Coverage {
        Coverage::default()
    }

    pub fn record(&mut self, node: u32, verdict: Verdict) {
        let seen = self.seen.entry(node).or_default();
        match verdict {
            Verdict::Eligible => seen.met = true,
            Verdict::NotEligible => seen.unmet = true,
            Verdict::Undetermined => seen.undetermined = true,
        }
    }

    /// What was seen of `node` (all false when never evaluated).
    pub fn seen(&self, node: u32) -> Seen {
        self.seen.get(&node).copied().unwrap_or_default()
    }

    pub fn merge(&mut self, other: &Coverage) {
        for (&node, seen) in &other.seen {
            let mine = self.seen.entry(node).or_default();
            mine.met |= seen.met;
            mine.unmet |= seen.unmet;
            mine.undetermined |= seen.undetermined;
        }
    }

    /// Every requirement of every role and definition, depth first in rule
    /// order (roles by id, then definitions), with what was seen.
    pub fn nodes<'r>(&self, rules: &'r RuleSet) -> Vec<NodeCoverage<'r>> {
        let mut out = Vec::new();
        for role in &rules.roles {
            self.walk(&role.requirement, role.file, &mut out);
        }
        for definition in &rules.definitions {
            self.walk(&definition.requirement, definition.file, &mut out);
        }
        out
    }

    fn walk<'r>(
        &self,
        requirement: &'r Requirement,
        file: FileId,
        out: &mut Vec<NodeCoverage<'r>>,
    ) {
        out.push(NodeCoverage {
            requirement,
            file,
            seen: self.seen(requirement.node),
        });
        for child in requirement.children() {
            self.walk(child, file, out);
        }
    }
}

// ---------------------------------------------------------------------------
// The evaluator.

/// What evaluating a requirement found, when explaining: the conditions
/// not met and those met.
#[derive(Clone, Debug, Default)]
pub(crate) struct Collected<'r> {
    pub gaps: Vec<Unmet<'r>>,
    pub evidence: Vec<Met<'r>>,
}

impl<'r> Collected<'r> {
    fn extend(&mut self, other: Collected<'r>) {
        self.gaps.extend(other.gaps);
        self.evidence.extend(other.evidence);
    }

    /// Marks everything with `route` where no inner route is named.
    fn in_route(&mut self, route: &'r str) {
        for gap in &mut self.gaps {
            gap.route.get_or_insert(route);
        }
        for met in &mut self.evidence {
            met.route.get_or_insert(route);
        }
    }
}

pub(crate) struct Evaluator<'a, 'p, 'c> {
    pub rules: &'a RuleSet,
    pub profile: &'p Profile,
    pub as_of: Date,
    pub state: Option<&'p str>,
    pub explain: bool,
    /// With `explain`, whether to record findings and evidence; off while
    /// alternatives are compared in outline (gaps and distances only).
    pub detail: bool,
    /// For the next `all` (a route being compared): stop once its gaps add
    /// up to this distance key, as it can no longer be the nearest.
    pub budget: Option<i64>,
    /// Whether to list every route in `RoleOutcome::routes`.
    pub list_routes: bool,
    /// Whether to record evidence of conditions met.
    pub evidence: bool,
    pub coverage: Option<&'c mut Coverage>,
    /// The `any` whose alternatives are the routes of the role being
    /// evaluated at the current depth.
    pub capture: Option<u32>,
    pub captured: Vec<RouteOutcome<'a>>,
    /// The route met, or the closest, among the captured `any`'s alternatives.
    pub captured_route: Option<usize>,
    /// How many `role` references deep the evaluation is.
    pub depth: u32,
}

impl<'a, 'p, 'c> Evaluator<'a, 'p, 'c> {
    pub fn new(
        rules: &'a RuleSet,
        profile: &'p Profile,
        ctx: &'p Context,
        coverage: Option<&'c mut Coverage>,
    ) -> Evaluator<'a, 'p, 'c> {
        Evaluator {
            rules,
            profile,
            as_of: ctx.as_of,
            state: ctx.effective_state(profile),
            explain: ctx.explain,
            detail: true,
            budget: None,
            list_routes: ctx.routes,
            evidence: ctx.evidence,
            coverage,
            capture: None,
            captured: Vec::new(),
            captured_route: None,
            depth: 0,
        }
    }

    /// Whether every part must be visited (no short-circuit).
    pub fn exhaustive(&self) -> bool {
        self.explain || self.coverage.is_some()
    }

    fn role_outcome(&mut self, role: RoleId) -> RoleOutcome<'a> {
        let mut found = Collected::default();
        let (verdict, route) = self.role_body(role, &mut found);
        let routes = std::mem::take(&mut self.captured);
        let eligible = verdict == Verdict::Eligible;
        if eligible {
            found.gaps.clear();
        }
        RoleOutcome {
            role,
            verdict,
            distance: total_distance(&found.gaps),
            unmet: found.gaps,
            evidence: found.evidence,
            routes,
            closest: route.filter(|_| !eligible),
            route,
            projection: None,
        }
    }

    /// A role's verdict, validity included, with the route met or closest
    /// when the role has routes (and evaluation explains).
    pub fn role_body(
        &mut self,
        role: RoleId,
        found: &mut Collected<'a>,
    ) -> (Verdict, Option<usize>) {
        let rules = self.rules;
        let Some(definition) = rules.get(role) else {
            return (Verdict::NotEligible, None);
        };
        if !definition.validity.in_force(self.as_of) {
            if self.explain {
                found.gaps.push(
                    self.unmet(
                        UnmetKind::Other,
                        Verdict::NotEligible,
                        &definition.requirement,
                        definition.file,
                    )
                    .fact(Fact::RoleNotInForce(definition.validity)),
                );
            }
            return (Verdict::NotEligible, None);
        }
        let capture = std::mem::replace(
            &mut self.capture,
            if self.explain {
                top_level_routes(&definition.requirement).map(|(any, _)| any.node)
            } else {
                None
            },
        );
        let route = self.captured_route.take();
        let verdict = self.eval(&definition.requirement, definition.file, found);
        self.capture = capture;
        let mine = std::mem::replace(&mut self.captured_route, route);
        (verdict, mine)
    }

    /// One requirement; records its gaps or evidence when explaining.
    pub fn eval(
        &mut self,
        requirement: &'a Requirement,
        file: FileId,
        found: &mut Collected<'a>,
    ) -> Verdict {
        let verdict = match &requirement.kind {
            RequirementKind::All(parts) => self.all(parts, file, found),
            RequirementKind::Any(alternatives) => self.any(requirement, alternatives, file, found),
            RequirementKind::AtLeast { count, of } => {
                self.at_least(requirement, *count, of, file, found)
            }
            RequirementKind::Not(inner) => self.not(requirement, inner, file, found),
            RequirementKind::When {
                guard,
                then,
                otherwise,
            } => self.when(guard, then, otherwise.as_deref(), file, found),
            RequirementKind::Degree(rule) => self.degree(requirement, rule, file, found),
            RequirementKind::Program(rule) => self.program(requirement, rule, file, found),
            RequirementKind::Coursework(rule) => self.coursework(requirement, rule, file, found),
            RequirementKind::Certification(rule) => {
                self.certification(requirement, rule, file, found)
            }
            RequirementKind::License(rule) => self.license(requirement, rule, file, found),
            RequirementKind::Experience(rule) => self.experience(requirement, rule, file, found),
            RequirementKind::Serving(rule) => self.serving(requirement, rule, file, found),
            RequirementKind::AsOf { date, body } => self.as_of_block(*date, body, file, found),
            RequirementKind::Training(rule) => self.training(requirement, rule, file, found),
            RequirementKind::ContinuingEducation(rule) => {
                self.continuing_education(requirement, rule, file, found)
            }
            RequirementKind::Age { minimum } => self.age(requirement, *minimum, file, found),
            RequirementKind::Role(role) => self.role_condition(requirement, *role, file, found),
            RequirementKind::Use(definition) => {
                self.use_definition(requirement, *definition, found)
            }
            RequirementKind::StateIn(states) => self.state_in(requirement, states, file, found),
            RequirementKind::Date { on_or_after, date } => {
                self.date(requirement, *on_or_after, *date, file, found)
            }
        };
        if let Some(coverage) = self.coverage.as_deref_mut() {
            coverage.record(requirement.node, verdict);
        }
        verdict
    }

    /// Runs `f` with explanations off (verdicts only), then restores them.
    pub(crate) fn quietly<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let explain = std::mem::replace(&mut self.explain, false);
        let result = f(self);
        self.explain = explain;
        result
    }

    /// Runs `f` in outline (no findings or evidence), then restores detail.
    pub(crate) fn in_outline<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let detail = std::mem::replace(&mut self.detail, false);
        let result = f(self);
        self.detail = detail;
        result
    }

    /// A gap of this requirement; in outline it keeps no facts.
    #[inline]
    pub(crate) fn unmet(
        &self,
        kind: UnmetKind,
        verdict: Verdict,
        requirement: &'a Requirement,
        file: FileId,
    ) -> Unmet<'a> {
        let mut gap = Unmet::new(kind, verdict, requirement, file);
        gap.outline = !self.detail;
        gap
    }

    /// Whether findings are wanted: explaining, not in outline.
    pub(crate) fn detailed(&self) -> bool {
        self.explain && self.detail
    }

    /// Records evidence for a condition met, when explaining.
    pub(crate) fn met(
        &self,
        found: &mut Collected<'a>,
        requirement: &'a Requirement,
        file: FileId,
        finish: impl FnOnce(Met<'a>) -> Met<'a>,
    ) {
        if self.detailed() && self.evidence {
            let kind = UnmetKind::of(self.rules, requirement);
            found
                .evidence
                .push(finish(Met::new(kind, requirement, file)));
        }
    }

    /// Whether a profile value belongs to a term set: exactly
    /// [`TermSet::matches`], without allocating for ASCII values.
    ///
    /// The checker maps every canonical term to itself and rejects an alias
    /// that equals another term, so a normalized value found among the set's
    /// canonical terms matches without consulting the aliases; only other
    /// values pay for the hash lookup.
    pub fn term_in(&self, set: &TermSet, value: &str) -> bool {
        let mut buffer = [0u8; 64];
        let key = if is_normalized_ascii(value) {
            value
        } else {
            match normalize_ascii(value, &mut buffer) {
                Some(key) => key,
                None => return set.matches(value),
            }
        };
        // Sets are short: a scan comparing lengths and first bytes before
        // the rest beats a binary search of ordered comparisons, and needs
        // no hashing.
        let first = key.as_bytes().first();
        set.accepted.iter().any(|spelling| {
            spelling.len() == key.len() && spelling.as_bytes().first() == first && spelling == key
        })
    }

    /// `term_in` for an optional value: absent never matches.
    pub fn opt_term_in(&self, set: &TermSet, value: Option<&str>) -> bool {
        value.is_some_and(|value| self.term_in(set, value))
    }
}

/// The role body's `any` of routes (the body itself, or the first such part
/// of it): the routes [`RoleOutcome::routes`] lists.
pub fn top_level_routes(body: &Requirement) -> Option<(&Requirement, &[Alternative])> {
    fn routes(requirement: &Requirement) -> Option<&[Alternative]> {
        match &requirement.kind {
            RequirementKind::Any(alternatives)
                if alternatives.iter().any(|alt| alt.route.is_some()) =>
            {
                Some(alternatives.as_slice())
            }
            _ => None,
        }
    }
    if let Some(alternatives) = routes(body) {
        return Some((body, alternatives));
    }
    match &body.kind {
        RequirementKind::All(parts) => parts
            .iter()
            .find_map(|part| routes(part).map(|alternatives| (part, alternatives))),
        _ => None,
    }
}

/// Whether `normalize_term` would return an ASCII value unchanged: no
/// upper case, no `_` or white space other than single inner spaces.
fn is_normalized_ascii(value: &str) -> bool {
    // 0: ordinary byte, 1: space, 2: never in a normalized ASCII value.
    const CLASS: [u8; 256] = {
        let mut class = [0u8; 256];
        let mut byte = 0;
        while byte < 256 {
            class[byte] = match byte as u8 {
                b' ' => 1,
                b'A'..=b'Z' | b'_' | 0..=0x1F | 0x80.. => 2,
                _ => 0,
            };
            byte += 1;
        }
        class
    };
    let bytes = value.as_bytes();
    // A leading space reads as a run after an imaginary space.
    let mut previous = 1;
    for &byte in bytes {
        let class = CLASS[usize::from(byte)];
        if class == 2 || (class == 1 && previous == 1) {
            return false;
        }
        previous = class;
    }
    previous == 0 || bytes.is_empty()
}

/// `normalize_term` into a stack buffer, for ASCII values that fit.
pub(crate) fn normalize_ascii<'b>(value: &str, buffer: &'b mut [u8; 64]) -> Option<&'b str> {
    if !value.is_ascii() {
        return None;
    }
    let mut len = 0;
    let mut pending_space = false;
    for byte in value.bytes() {
        // `char::is_whitespace` on ASCII: space, \t, \n, \x0B, \x0C, \r.
        if matches!(byte, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b'_') {
            pending_space = len > 0;
            continue;
        }
        if pending_space {
            *buffer.get_mut(len)? = b' ';
            len += 1;
            pending_space = false;
        }
        *buffer.get_mut(len)? = byte.to_ascii_lowercase();
        len += 1;
    }
    std::str::from_utf8(&buffer[..len]).ok()
}

/// `str::trim`, without decoding characters when neither end can be white
/// space (the usual value: `CA`).
fn trim_cheaply(value: &str) -> &str {
    let loose = |byte: &u8| byte.is_ascii_whitespace() || !byte.is_ascii();
    let bytes = value.as_bytes();
    if bytes.first().is_some_and(loose) || bytes.last().is_some_and(loose) {
        value.trim()
    } else {
        value
    }
}

/// Case-insensitive equality of codes and names (`ASCP`, `CA`, `MLT`).
pub(crate) fn same(a: &str, b: &str) -> bool {
    trim_cheaply(a).eq_ignore_ascii_case(trim_cheaply(b))
}

/// Equality of free labels: case, `_`, `-` and spaces do not matter.
pub(crate) fn same_label(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    // ASCII without white space at the ends (the usual tag): byte by byte,
    // no trimming and no decoding.
    let plain = |s: &str| {
        s.is_ascii()
            && !s
                .bytes()
                .next()
                .is_some_and(|b| (b as char).is_whitespace())
            && !s
                .bytes()
                .last()
                .is_some_and(|b| (b as char).is_whitespace())
    };
    if plain(a) && plain(b) {
        let fold = |byte: u8| {
            if byte == b'_' || byte == b'-' || (byte as char).is_whitespace() {
                b' '
            } else {
                byte.to_ascii_lowercase()
            }
        };
        return a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| fold(x) == fold(y));
    }
    same_label_folding(a, b)
}

/// `same_label` character by character, for any text.
fn same_label_folding(a: &str, b: &str) -> bool {
    let fold = |c: char| {
        if c == '_' || c == '-' || c.is_whitespace() {
            ' '
        } else {
            c.to_ascii_lowercase()
        }
    };
    a.trim().chars().map(fold).eq(b.trim().chars().map(fold))
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;
    use crate::ruleset::{VocabularyKind, normalize_term};

    #[test]
    fn fast_term_match_agrees_with_term_set_matches() {
        let rules = rules_with_vocabulary();
        let set = terms(VocabularyKind::Area, &["blood banking", "hematology"]);
        let profile = Profile::default();
        let ctx = Context::new(d("2026-01-01"));
        let ev = Evaluator::new(&rules, &profile, &ctx, None);
        for value in [
            "Blood_Banking",
            "  blood   banking ",
            "BB",
            "haematology",
            "chemistry",
            "",
            "Hématologie",
            "x".repeat(80).as_str(),
            "Blood\tbanking",
        ] {
            assert_eq!(ev.term_in(&set, value), set.matches(value), "{value:?}");
        }
        // Without a vocabulary, the normalized value is the term.
        let subjects = terms(VocabularyKind::Subject, &["organic chemistry"]);
        assert!(ev.term_in(&subjects, "Organic_Chemistry"));
        assert_eq!(normalize_term("Organic_Chemistry"), "organic chemistry");
    }

    #[test]
    fn same_label_fast_path_agrees_with_the_folding_one() {
        let slow = same_label_folding;
        let labels = [
            "high_complexity",
            "High-Complexity",
            "high complexity",
            " high_complexity",
            "high_complexity\t",
            "supervisory",
            "SUPERVISORY",
            "dir\u{e9}cting",
            "Dir\u{c9}cting",
            "",
            " ",
            "a\u{b}b",
            "a b",
            "a\u{a0}b",
            "directing",
        ];
        for a in labels {
            for b in labels {
                assert_eq!(same_label(a, b), slow(a, b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn shown_never_rounds_up_to_a_missed_threshold() {
        let shown = |have: f64, needed: f64| {
            Quantity {
                needed,
                have,
                unit: Unit::Months,
            }
            .shown_have()
        };
        assert_eq!(shown(23.96, 24.0), 23.9);
        assert_eq!(shown(14.24, 24.0), 14.2);
        assert_eq!(shown(24.0, 24.0), 24.0);
    }

    #[test]
    fn wire_names_round_trip() {
        for kind in UnmetKind::ALL {
            assert_eq!(UnmetKind::from_keyword(kind.as_str()), Some(kind));
        }
        for verdict in Verdict::ALL {
            assert_eq!(Verdict::from_keyword(verdict.as_str()), Some(verdict));
        }
    }
}
