//! Evaluation: a checked [`RuleSet`] against one [`Profile`] on one date,
//! giving a verdict per role and, on request, every unmet condition as data.
//! Evaluation never prints and never panics; rendering lives in `report`.
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
//! With [`Context::explain`] set, every unmet condition becomes an [`Unmet`]:
//! one sentence a candidate understands, the quantity needed and found, and
//! where the condition is written. Without it, evaluation builds no messages
//! and allocates nothing on the common paths (`unmet` and `routes` stay
//! empty): the fast path for batch screening.
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
mod training;
mod window;

#[cfg(test)]
mod test_support;

/// What a condition asks for, as a noun phrase (used by `explain`).
pub use composition::describe;

use crate::date::Date;
use crate::profile::Profile;
use crate::ruleset::{Alternative, FileId, Requirement, RequirementKind, RoleId, RuleSet, TermSet};
use crate::source::Span;
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
}

impl Context {
    /// Explaining context on `as_of`, no state override.
    pub fn new(as_of: Date) -> Context {
        Context {
            as_of,
            state: None,
            explain: true,
            routes: true,
        }
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
            .map(str::trim)
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

/// What kind of condition is unmet (the contract's `unmet[].kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnmetKind {
    Degree,
    /// A degree of the right level in the wrong field.
    Field,
    /// The right degree or programme, accredited by the wrong body (or none).
    Accreditation,
    Certification,
    License,
    Experience,
    Coursework,
    Training,
    ContinuingEducation,
    /// Another role's eligibility.
    Role,
    Other,
}

impl UnmetKind {
    pub const ALL: [UnmetKind; 11] = [
        UnmetKind::Degree,
        UnmetKind::Field,
        UnmetKind::Accreditation,
        UnmetKind::Certification,
        UnmetKind::License,
        UnmetKind::Experience,
        UnmetKind::Coursework,
        UnmetKind::Training,
        UnmetKind::ContinuingEducation,
        UnmetKind::Role,
        UnmetKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UnmetKind::Degree => "degree",
            UnmetKind::Field => "field",
            UnmetKind::Accreditation => "accreditation",
            UnmetKind::Certification => "certification",
            UnmetKind::License => "license",
            UnmetKind::Experience => "experience",
            UnmetKind::Coursework => "coursework",
            UnmetKind::Training => "training",
            UnmetKind::ContinuingEducation => "continuing_education",
            UnmetKind::Role => "role",
            UnmetKind::Other => "other",
        }
    }

    pub fn from_keyword(word: &str) -> Option<UnmetKind> {
        UnmetKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == word)
    }
}

impl fmt::Display for UnmetKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Units of `needed`/`have` (the contract's `unit`).
pub mod unit {
    pub const MONTHS: &str = "months";
    pub const SEMESTER_HOURS: &str = "semester_hours";
    pub const HOURS: &str = "hours";
    pub const COUNT: &str = "count";
}

/// One unmet (or undecidable) condition, explained.
#[derive(Clone, Debug, PartialEq)]
pub struct Unmet {
    pub kind: UnmetKind,
    /// The innermost named route the condition belongs to.
    pub route: Option<String>,
    /// One sentence for the candidate, e.g. "needs ASCP MLT certification;
    /// your ASCP MLT expired on 2024-08-01".
    pub message: String,
    /// For quantities: what the condition asks for.
    pub needed: Option<f64>,
    /// For quantities: what the profile has, rounded to one decimal (never
    /// rounded up to `needed` when it falls short).
    pub have: Option<f64>,
    /// One of the [`unit`] constants when `needed`/`have` are given.
    pub unit: Option<&'static str>,
    /// Where the condition is written, in `file`.
    pub span: Span,
    pub file: FileId,
}

/// One route of a role's top-level `any`.
#[derive(Clone, Debug, PartialEq)]
pub struct RouteOutcome {
    /// The route's name; for a plain condition among the routes, what it
    /// asks for ("a doctoral degree or higher").
    pub route: String,
    pub verdict: Verdict,
    pub unmet: Vec<Unmet>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RoleOutcome {
    pub role: RoleId,
    pub verdict: Verdict,
    /// Empty when eligible. Otherwise the unmet conditions of the closest
    /// route (fewest unmet, ties to the first declared) plus those outside the
    /// routes. Empty when evaluated without `explain`.
    pub unmet: Vec<Unmet>,
    /// Every route of the role's top-level `any` of routes, in declaration
    /// order (empty when the role has none, or without `explain`).
    pub routes: Vec<RouteOutcome>,
    /// Index into `routes` of the closest route when the role is not eligible.
    pub closest: Option<usize>,
}

/// Every evaluated role of one profile.
#[derive(Clone, Debug, PartialEq)]
pub struct ProfileOutcome {
    /// The profile's id.
    pub profile: String,
    /// The state evaluated against (`--state`, else the profile's).
    pub state: Option<String>,
    pub roles: Vec<RoleOutcome>,
}

/// A role against a profile.
pub fn evaluate_role(
    rules: &RuleSet,
    role: RoleId,
    profile: &Profile,
    ctx: &Context,
) -> RoleOutcome {
    Evaluator::new(rules, profile, ctx, None).role_outcome(role)
}

/// Like [`evaluate_role`], recording every requirement node it evaluates in
/// `coverage` (without short-circuiting).
pub fn evaluate_role_with_coverage(
    rules: &RuleSet,
    role: RoleId,
    profile: &Profile,
    ctx: &Context,
    coverage: &mut Coverage,
) -> RoleOutcome {
    Evaluator::new(rules, profile, ctx, Some(coverage)).role_outcome(role)
}

/// Several roles against one profile, in the order given.
pub fn evaluate_profile(
    rules: &RuleSet,
    roles: &[RoleId],
    profile_id: &str,
    profile: &Profile,
    ctx: &Context,
) -> ProfileOutcome {
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
        match &requirement.kind {
            RequirementKind::All(parts) | RequirementKind::AtLeast { of: parts, .. } => {
                for part in parts {
                    self.walk(part, file, out);
                }
            }
            RequirementKind::Any(alternatives) => {
                for alternative in alternatives {
                    self.walk(&alternative.requirement, file, out);
                }
            }
            RequirementKind::Not(inner) => self.walk(inner, file, out),
            RequirementKind::When {
                guard,
                then,
                otherwise,
            } => {
                self.walk(guard, file, out);
                self.walk(then, file, out);
                if let Some(otherwise) = otherwise {
                    self.walk(otherwise, file, out);
                }
            }
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------
// The evaluator.

/// Where a condition is written.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Site {
    pub span: Span,
    pub file: FileId,
}

/// How an explanation opens.
#[derive(Clone, Debug)]
pub(crate) enum Lead {
    /// "needs " + this noun phrase; alternatives can be merged with "or".
    Needs(String),
    /// A complete opening clause.
    Says(String),
}

/// An unmet condition while evaluating; becomes an [`Unmet`] at the end.
#[derive(Clone, Debug)]
pub(crate) struct Gap {
    pub kind: UnmetKind,
    pub lead: Lead,
    /// Why, after the lead; empty when the lead says it all.
    pub detail: String,
    pub quantity: Option<Quantity>,
    pub site: Site,
    pub route: Option<String>,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Quantity {
    pub needed: f64,
    pub have: f64,
    pub unit: &'static str,
}

impl Gap {
    pub fn new(kind: UnmetKind, lead: Lead, site: Site) -> Gap {
        Gap {
            kind,
            lead,
            detail: String::new(),
            quantity: None,
            site,
            route: None,
        }
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Gap {
        let detail = detail.into();
        // Merged alternatives often share a reason; say it once.
        let repeated = self.detail.split("; ").any(|known| known == detail);
        if !detail.is_empty() && !repeated {
            if !self.detail.is_empty() {
                self.detail.push_str("; ");
            }
            self.detail.push_str(&detail);
        }
        self
    }

    pub fn details(self, details: &[String]) -> Gap {
        details
            .iter()
            .fold(self, |gap, detail| gap.detail(detail.as_str()))
    }

    /// Records a shortfall; `have` is rounded for display here.
    pub fn quantity(mut self, needed: f64, have: f64, unit: &'static str) -> Gap {
        self.quantity = Some(Quantity {
            needed,
            have: shown(have, needed),
            unit,
        });
        self
    }

    /// Adds "has 14.2 months" from the recorded quantity.
    pub fn has(self) -> Gap {
        match self.quantity {
            Some(quantity) => {
                let unit = match quantity.unit {
                    unit::MONTHS => " months",
                    unit::SEMESTER_HOURS => " semester hours",
                    unit::HOURS => " hours",
                    _ => "",
                };
                self.detail(format!("has {}{unit}", number(quantity.have)))
            }
            None => self,
        }
    }

    pub fn message(&self) -> String {
        let mut message = match &self.lead {
            Lead::Needs(phrase) => format!("needs {phrase}"),
            Lead::Says(text) => text.clone(),
        };
        if !self.detail.is_empty() {
            message.push_str("; ");
            message.push_str(&self.detail);
        }
        message
    }

    pub fn into_unmet(self) -> Unmet {
        Unmet {
            kind: self.kind,
            message: self.message(),
            route: self.route,
            needed: self.quantity.map(|q| q.needed),
            have: self.quantity.map(|q| q.have),
            unit: self.quantity.map(|q| q.unit),
            span: self.site.span,
            file: self.site.file,
        }
    }
}

pub(crate) struct Evaluator<'a, 'c> {
    pub rules: &'a RuleSet,
    pub profile: &'a Profile,
    pub as_of: Date,
    pub state: Option<&'a str>,
    pub explain: bool,
    /// Whether to list every route in `RoleOutcome::routes`.
    pub list_routes: bool,
    /// Counting gaps without their sentences: leaf conditions push empty
    /// placeholders (see `any`, which uses this to find its closest route
    /// before explaining only that one).
    pub counting: bool,
    pub coverage: Option<&'c mut Coverage>,
    /// The `any` whose alternatives are the role's routes (top level only).
    pub capture: Option<u32>,
    pub captured: Vec<RouteOutcome>,
    pub captured_closest: Option<usize>,
    /// How many `role` references deep the evaluation is.
    pub depth: u32,
}

impl<'a, 'c> Evaluator<'a, 'c> {
    pub fn new(
        rules: &'a RuleSet,
        profile: &'a Profile,
        ctx: &'a Context,
        coverage: Option<&'c mut Coverage>,
    ) -> Evaluator<'a, 'c> {
        Evaluator {
            rules,
            profile,
            as_of: ctx.as_of,
            state: ctx.effective_state(profile),
            explain: ctx.explain,
            list_routes: ctx.routes,
            counting: false,
            coverage,
            capture: None,
            captured: Vec::new(),
            captured_closest: None,
            depth: 0,
        }
    }

    /// Whether every part must be visited (no short-circuit).
    pub fn exhaustive(&self) -> bool {
        self.explain || self.coverage.is_some()
    }

    fn role_outcome(&mut self, role: RoleId) -> RoleOutcome {
        let mut gaps = Vec::new();
        self.capture = match self.rules.roles.get(role) {
            Some(definition) if self.explain => {
                top_level_routes(&definition.requirement).map(|(any, _)| any.node)
            }
            _ => None,
        };
        let verdict = self.role_body(role, &mut gaps);
        let routes = std::mem::take(&mut self.captured);
        let closest = self
            .captured_closest
            .take()
            .filter(|_| verdict != Verdict::Eligible);
        RoleOutcome {
            role,
            verdict,
            unmet: if verdict == Verdict::Eligible {
                Vec::new()
            } else {
                gaps.into_iter().map(Gap::into_unmet).collect()
            },
            routes,
            closest,
        }
    }

    /// A role's verdict, validity included.
    pub fn role_body(&mut self, role: RoleId, gaps: &mut Vec<Gap>) -> Verdict {
        let Some(definition) = self.rules.roles.get(role) else {
            if self.explain {
                let site = Site {
                    span: Span::default(),
                    file: 0,
                };
                gaps.push(Gap::new(
                    UnmetKind::Other,
                    Lead::Says(format!("the rule set has no role number {role}")),
                    site,
                ));
            }
            return Verdict::NotEligible;
        };
        if !definition.validity.in_force(self.as_of) {
            if self.explain {
                let validity = definition.validity;
                let mut text = String::from("this role is in force only");
                if let Some(from) = validity.from {
                    text.push_str(&format!(" from {from}"));
                }
                if let Some(until) = validity.until {
                    text.push_str(&format!(" until {until}"));
                }
                let site = Site {
                    span: definition.span,
                    file: definition.file,
                };
                gaps.push(Gap::new(UnmetKind::Other, Lead::Says(text), site));
            }
            return Verdict::NotEligible;
        }
        self.eval(&definition.requirement, definition.file, gaps)
    }

    /// One requirement; pushes its gaps (when explaining) unless eligible.
    pub fn eval(
        &mut self,
        requirement: &'a Requirement,
        file: FileId,
        gaps: &mut Vec<Gap>,
    ) -> Verdict {
        let site = Site {
            span: requirement.span,
            file,
        };
        if self.explain && self.counting && counts_as_one_gap(&requirement.kind) {
            let verdict = self.quietly(|this| this.eval(requirement, file, &mut Vec::new()));
            if verdict != Verdict::Eligible {
                let kind = composition::kind_of(self.rules, requirement);
                gaps.push(Gap::new(kind, Lead::Needs(String::new()), site));
            }
            return verdict;
        }
        let verdict = match &requirement.kind {
            RequirementKind::All(parts) => self.all(parts, file, gaps),
            RequirementKind::Any(alternatives) => self.any(requirement, alternatives, file, gaps),
            RequirementKind::AtLeast { count, of } => self.at_least(*count, of, site, gaps),
            RequirementKind::Not(inner) => self.not(inner, site, gaps),
            RequirementKind::When {
                guard,
                then,
                otherwise,
            } => self.when(guard, then, otherwise.as_deref(), file, gaps),
            RequirementKind::Degree(rule) => self.degree(rule, site, gaps),
            RequirementKind::Program(rule) => self.program(rule, site, gaps),
            RequirementKind::Coursework(rule) => self.coursework(rule, site, gaps),
            RequirementKind::Certification(rule) => self.certification(rule, site, gaps),
            RequirementKind::License(rule) => self.license(rule, site, gaps),
            RequirementKind::Experience(rule) => self.experience(rule, site, gaps),
            RequirementKind::Training(rule) => self.training(rule, site, gaps),
            RequirementKind::ContinuingEducation(rule) => {
                self.continuing_education(rule, site, gaps)
            }
            RequirementKind::Age { minimum } => self.age(*minimum, site, gaps),
            RequirementKind::Role(role) => self.role_condition(*role, site, gaps),
            RequirementKind::Use(definition) => self.use_definition(*definition, site, gaps),
            RequirementKind::StateIn(states) => self.state_in(states, site, gaps),
            RequirementKind::Date { on_or_after, date } => {
                self.date(*on_or_after, *date, site, gaps)
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
        // Sets are short: a scan comparing lengths first beats a binary
        // search of ordered comparisons, and needs no hashing.
        set.accepted.iter().any(|spelling| spelling == key)
    }

    /// `term_in` for an optional value: absent never matches.
    pub fn opt_term_in(&self, set: &TermSet, value: Option<&str>) -> bool {
        value.is_some_and(|value| self.term_in(set, value))
    }
}

/// The role body's `any` of routes (the body itself, or the first such part
/// of it): the routes [`RoleOutcome::routes`] lists.
/// Conditions that, when not met, always explain themselves as exactly one
/// gap: counting them needs only their verdict.
fn counts_as_one_gap(kind: &RequirementKind) -> bool {
    matches!(
        kind,
        RequirementKind::Degree(_)
            | RequirementKind::Program(_)
            | RequirementKind::Coursework(_)
            | RequirementKind::Certification(_)
            | RequirementKind::License(_)
            | RequirementKind::Experience(_)
            | RequirementKind::ContinuingEducation(_)
            | RequirementKind::Age { .. }
            | RequirementKind::Role(_)
            | RequirementKind::StateIn(_)
            | RequirementKind::Date { .. }
    )
}

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
fn normalize_ascii<'b>(value: &str, buffer: &'b mut [u8; 64]) -> Option<&'b str> {
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

// ---------------------------------------------------------------------------
// Shared wording and arithmetic.

/// The missing fact of state-dependent conditions, and how to supply it.
pub(crate) const NO_STATE: &str = "your profile has no `state`; add it or pass `--state`";

/// Tolerance for "at least": thresholds are inclusive, so a total that equals
/// the threshold up to floating-point noise meets it.
pub(crate) fn meets(have: f64, needed: f64) -> bool {
    have + 1e-9 * needed.abs().max(1.0) >= needed
}

/// `have` as shown: one decimal, but never rounded up to a threshold it misses.
pub(crate) fn shown(have: f64, needed: f64) -> f64 {
    let rounded = (have * 10.0).round() / 10.0;
    if !meets(have, needed) && rounded >= needed {
        (have * 10.0).floor() / 10.0
    } else {
        rounded
    }
}

/// A number as a candidate reads it: `24`, `14.2`.
pub(crate) fn number(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded == 0.0 {
        return "0".to_string();
    }
    format!("{rounded}")
}

/// `a`, `a or b`, `a, b or c`.
pub fn join_or<S: AsRef<str>>(items: &[S]) -> String {
    join_with(items, "or")
}

pub(crate) fn join_and<S: AsRef<str>>(items: &[S]) -> String {
    join_with(items, "and")
}

fn join_with<S: AsRef<str>>(items: &[S], word: &str) -> String {
    let mut out = String::new();
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            out.push_str(if index + 1 == items.len() {
                word_sep(word)
            } else {
                ", "
            });
        }
        out.push_str(item.as_ref());
    }
    out
}

fn word_sep(word: &str) -> &'static str {
    if word == "and" { " and " } else { " or " }
}

/// Case-insensitive equality of codes and names (`ASCP`, `CA`, `MLT`).
pub(crate) fn same(a: &str, b: &str) -> bool {
    // Trimming only when an end might be white space keeps the common case cheap.
    let padded = |s: &str| {
        let bytes = s.as_bytes();
        let loose = |byte: &u8| byte.is_ascii_whitespace() || !byte.is_ascii();
        bytes.first().is_some_and(loose) || bytes.last().is_some_and(loose)
    };
    if padded(a) || padded(b) {
        a.trim().eq_ignore_ascii_case(b.trim())
    } else {
        a.eq_ignore_ascii_case(b)
    }
}

/// Equality of free labels: case, `_`, `-` and spaces do not matter.
pub(crate) fn same_label(a: &str, b: &str) -> bool {
    let fold = |c: char| {
        if c == '_' || c == '-' || c.is_whitespace() {
            ' '
        } else {
            c.to_ascii_lowercase()
        }
    };
    a.trim().chars().map(fold).eq(b.trim().chars().map(fold))
}

/// The indefinite article for a word or a code read letter by letter:
/// `a CA`, `an NV`, `an associate`.
pub(crate) fn article(word: &str) -> &'static str {
    let is_code = word.len() <= 4 && word.chars().all(|c| c.is_ascii_uppercase());
    let first = word.chars().next().unwrap_or('x').to_ascii_uppercase();
    let vowel_sound = if is_code {
        "AEFHILMNORSX".contains(first)
    } else {
        "AEIO".contains(first)
    };
    if vowel_sound { "an" } else { "a" }
}

/// Free labels such as `high_complexity` as prose: `high complexity`.
pub(crate) fn prose(label: &str) -> String {
    label.replace('_', " ")
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
    fn shown_never_rounds_up_to_a_missed_threshold() {
        assert_eq!(shown(23.96, 24.0), 23.9);
        assert_eq!(shown(14.24, 24.0), 14.2);
        assert_eq!(shown(24.0, 24.0), 24.0);
        assert_eq!(number(24.0), "24");
        assert_eq!(number(14.2), "14.2");
        assert_eq!(number(-0.01), "0");
    }

    #[test]
    fn lists_read_as_prose() {
        assert_eq!(join_or(&["a"]), "a");
        assert_eq!(join_or(&["a", "b"]), "a or b");
        assert_eq!(join_and(&["a", "b", "c"]), "a, b and c");
        assert!(same_label("High_Complexity", "high complexity"));
        assert!(!same_label("high", "high complexity"));
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
