//! The wire format of `eligo check --format json` (contract in design.md,
//! "JSON output of check --format json", plus the additions documented in
//! docs/output.md). Serialize-only types of their own, so a change to the
//! evaluator's types cannot change the output unnoticed. Field order is
//! declaration order; optional fields are omitted when absent or empty,
//! `needed`/`have`/`unit` are present only for quantities, and whole numbers
//! are written without a fraction (`24`, not `24.0`).

use super::check_text::Checked;
use super::{Voice, Words, describe, evidence, message, needs};
use crate::date::Date;
use crate::eval::{Finding, Met, Projection, Reason, Record, RoleOutcome, RouteOutcome, Unmet};
use crate::ruleset::RequirementKind;
use serde::{Serialize, Serializer};

/// The version of the JSON documents: bumped when a field changes meaning.
pub const VERSION: u32 = 1;

/// Which rules judged a result, in every JSON document: the rule set's
/// fingerprint ([`crate::fingerprint`]), its number of files, and the
/// latest day one of its sources was checked (`null` when none is dated).
#[derive(Clone, Copy, Debug, Serialize)]
pub struct RulesInfo<'a> {
    pub fingerprint: &'a str,
    pub files: usize,
    pub newest_source: Option<Date>,
}

impl<'a> RulesInfo<'a> {
    pub fn of(rules: &'a crate::ruleset::RuleSet) -> RulesInfo<'a> {
        RulesInfo {
            fingerprint: &rules.fingerprint,
            files: rules.files.len(),
            newest_source: rules.newest_source(),
        }
    }
}

/// The whole document.
#[derive(Clone, Debug, Serialize)]
pub struct CheckReport<'a> {
    pub version: u32,
    pub rules: RulesInfo<'a>,
    pub as_of: Date,
    pub profiles: Vec<ProfileReport<'a>>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ProfileReport<'a> {
    pub profile: &'a str,
    /// The state evaluated against; `null` when unknown.
    pub state: Option<&'a str>,
    pub roles: Vec<RoleReport<'a>>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RoleReport<'a> {
    pub role: &'a str,
    pub title: &'a str,
    pub verdict: &'static str,
    /// The route met (eligible) or the closest (otherwise); omitted for a
    /// role without routes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    /// How far from met: 0 when eligible (see docs/output.md).
    pub distance: Number,
    pub unmet: Vec<UnmetEntry<'a>>,
    /// The conditions met, with the records that meet them.
    pub evidence: Vec<EvidenceEntry<'a>>,
    /// Every route of the role's `any` of routes; empty when it has none.
    pub routes: Vec<RouteReport<'a>>,
    /// What time alone does to the verdict (`check`; omitted with
    /// `--no-project`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projection: Option<ProjectionReport<'a>>,
}

/// `eligible_on` (with its `route`) for a role not met, `stops_on` (with
/// what is `unmet` that day) for one met, or `unchanged_until` the horizon.
#[derive(Clone, Debug, Serialize)]
pub struct ProjectionReport<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eligible_on: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    /// Sooner, if ongoing part-time jobs were full time (40 h/week) from
    /// the day after the evaluation date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eligible_on_full_time: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stops_on: Option<Date>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unmet: Vec<UnmetEntry<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unchanged_until: Option<Date>,
    /// Why there is no projection: `too_many_records`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_projected: Option<&'static str>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RouteReport<'a> {
    pub route: String,
    pub verdict: &'static str,
    pub distance: Number,
    pub unmet: Vec<UnmetEntry<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceEntry<'a>>,
}

/// One unmet condition on the wire; `screen --format jsonl` uses it too.
#[derive(Clone, Debug, Serialize)]
pub struct UnmetEntry<'a> {
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<&'a str>,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needed: Option<Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub have: Option<Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<&'static str>,
    /// `undetermined` when a missing fact decides it; omitted otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undetermined: Option<bool>,
    /// Where the condition is written: `file:line:column`.
    pub at: String,
    /// For one minimum of a training condition: which one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measure: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<FindingEntry>,
    /// For an either/or: each alternative with its own kind and quantities.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<UnmetEntry<'a>>,
    pub distance: Number,
    /// The date the condition was judged on, when not the evaluation date
    /// (an `as_of` block: the earlier text of a rule, for grandfathering).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date>,
}

/// A condition met, on the wire.
#[derive(Clone, Debug, Serialize)]
pub struct EvidenceEntry<'a> {
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<&'a str>,
    /// What the condition asks for.
    pub need: String,
    /// The records that meet it, in words (empty for a state or a date).
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needed: Option<Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub have: Option<Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<&'static str>,
    pub at: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<FindingEntry>,
    /// As for unmet conditions: the date judged on, when not the evaluation date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date>,
}

/// One profile record read for a condition.
#[derive(Clone, Debug, Serialize)]
pub struct FindingEntry {
    /// Its JSON path in the profile: `experience[1]`.
    pub record: String,
    /// `yes`, `partly` or `no`.
    pub counted: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Number>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<ReasonEntry>,
}

/// Why a record did not count (or counted only in part).
#[derive(Clone, Debug, Serialize)]
pub struct ReasonEntry {
    pub reason: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_from: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measure: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needed: Option<Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub have: Option<Number>,
}

/// A quantity: one decimal at most, whole numbers without a fraction.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Number(pub f64);

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let rounded = (self.0 * 10.0).round() / 10.0;
        if rounded.is_finite() && rounded.fract() == 0.0 && rounded.abs() < 9.0e15 {
            serializer.serialize_i64(rounded as i64)
        } else {
            serializer.serialize_f64(rounded)
        }
    }
}

/// The document for `checked`, each profile with the roles evaluated for it.
pub fn check_report<'a>(
    rules: &'a crate::ruleset::RuleSet,
    words_for: impl Fn(&'a Checked<'a>) -> Words<'a>,
    as_of: Date,
    checked: &'a [Checked<'a>],
) -> CheckReport<'a> {
    CheckReport {
        version: VERSION,
        rules: RulesInfo::of(rules),
        as_of,
        profiles: checked
            .iter()
            .map(|one| {
                let words = words_for(one);
                ProfileReport {
                    profile: &one.outcome.profile,
                    state: one.outcome.state.as_deref(),
                    roles: one
                        .outcome
                        .roles
                        .iter()
                        .map(|role| role_report(words, role))
                        .collect(),
                }
            })
            .collect(),
    }
}

/// `check_report` as pretty-printed JSON with a final newline.
pub fn check_json(rules: &crate::ruleset::RuleSet, as_of: Date, checked: &[Checked<'_>]) -> String {
    let report = check_report(
        rules,
        |one| Words::new(rules, one.profile, Voice::Candidate).verified_only(one.verified_only),
        as_of,
        checked,
    );
    // Serializing these types cannot fail: string keys, no maps, finite or
    // null numbers (serde_json writes non-finite floats as null).
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}

pub fn role_report<'a>(words: Words<'a>, outcome: &'a RoleOutcome<'a>) -> RoleReport<'a> {
    let rules = words.rules;
    let (role, title) = rules
        .get(outcome.role)
        .map_or(("", ""), |role| (role.id.as_str(), role.title.as_str()));
    RoleReport {
        role,
        title,
        verdict: outcome.verdict.as_str(),
        route: outcome.route.and_then(|index| {
            let definition = rules.get(outcome.role)?;
            let (_, alternatives) = crate::eval::top_level_routes(&definition.requirement)?;
            Some(route_name(words, alternatives.get(index)?))
        }),
        distance: Number(outcome.distance),
        unmet: outcome
            .unmet
            .iter()
            .map(|unmet| unmet_entry(words, unmet))
            .collect(),
        evidence: outcome
            .evidence
            .iter()
            .map(|met| evidence_entry(words, met))
            .collect(),
        routes: outcome
            .routes
            .iter()
            .map(|route| route_report(words, route))
            .collect(),
        projection: outcome
            .projection
            .as_deref()
            .map(|projection| projection_report(words, projection)),
    }
}

fn projection_report<'a>(words: Words<'a>, projection: &'a Projection<'a>) -> ProjectionReport<'a> {
    let mut report = ProjectionReport {
        eligible_on: None,
        route: None,
        eligible_on_full_time: None,
        stops_on: None,
        unmet: Vec::new(),
        unchanged_until: None,
        not_projected: None,
    };
    match projection {
        Projection::MetFrom {
            on,
            outcome,
            sooner_full_time,
        } => {
            report.eligible_on = Some(*on);
            report.route = outcome.route_name(words.rules).map(str::to_string);
            report.eligible_on_full_time = *sooner_full_time;
        }
        Projection::LapsesOn { on, outcome } => {
            report.stops_on = Some(*on);
            report.unmet = outcome
                .unmet
                .iter()
                .map(|unmet| unmet_entry(words, unmet))
                .collect();
        }
        Projection::Unchanged { until } => report.unchanged_until = Some(*until),
        Projection::TooManyRecords => report.not_projected = Some("too_many_records"),
    }
    report
}

/// A route's name, or what a plain alternative among the routes asks for.
fn route_name(words: Words<'_>, alternative: &crate::ruleset::Alternative) -> String {
    alternative.route.as_ref().map_or_else(
        || describe(words.rules, &alternative.requirement),
        |route| route.name.clone(),
    )
}

fn route_report<'a>(words: Words<'a>, route: &'a RouteOutcome<'a>) -> RouteReport<'a> {
    RouteReport {
        route: route_name(words, route.alternative),
        verdict: route.verdict.as_str(),
        distance: Number(route.distance),
        unmet: route
            .unmet
            .iter()
            .map(|unmet| unmet_entry(words, unmet))
            .collect(),
        evidence: route
            .evidence
            .iter()
            .map(|met| evidence_entry(words, met))
            .collect(),
    }
}

/// `rules/ascp/mls.elig:12:5`.
fn location(words: Words<'_>, file: usize, span: crate::source::Span) -> String {
    match words.rules.files.get(file) {
        Some(source) => {
            let (line, column) = source.line_col(span.start);
            format!("{}:{line}:{column}", source.name)
        }
        None => String::new(),
    }
}

pub fn unmet_entry<'a>(words: Words<'_>, unmet: &Unmet<'a>) -> UnmetEntry<'a> {
    UnmetEntry {
        kind: unmet.kind.as_str(),
        route: unmet.route,
        message: message(words, unmet),
        needed: unmet.needed().map(Number),
        have: unmet.have().map(Number),
        unit: unmet.unit(),
        undetermined: (unmet.verdict == crate::eval::Verdict::Undetermined).then_some(true),
        at: location(words, unmet.file, unmet.requirement.span),
        measure: unmet.measure.map(|measure| measure.keyword()),
        findings: unmet.findings.iter().map(finding_entry).collect(),
        alternatives: unmet
            .alternatives
            .iter()
            .map(|alternative| unmet_entry(words, alternative))
            .collect(),
        distance: Number(unmet.distance),
        as_of: unmet.as_of,
    }
}

pub fn evidence_entry<'a>(words: Words<'_>, met: &Met<'a>) -> EvidenceEntry<'a> {
    EvidenceEntry {
        kind: met.kind.as_str(),
        route: met.route,
        need: met_need(words, met),
        summary: evidence::summary(words, met),
        needed: met.quantity.map(|q| Number(q.needed)),
        have: met.quantity.map(|q| Number(q.shown_have())),
        unit: met.quantity.map(|q| q.unit.as_str()),
        at: location(words, met.file, met.requirement.span),
        findings: met.findings.iter().map(finding_entry).collect(),
        as_of: met.as_of,
    }
}

/// What a met condition asked for. A licence is named with the state of the
/// licence that met it ("a CA CLS licence"), not "the state where you intend
/// to work".
fn met_need(words: Words<'_>, met: &Met<'_>) -> String {
    if let RequirementKind::License(rule) = &met.requirement.kind {
        let state = met
            .findings
            .iter()
            .find_map(|finding| match finding.record {
                Record::License(index) => {
                    words.profile.licenses.get(index).map(|l| l.state.as_str())
                }
                _ => None,
            });
        if state.is_some() {
            return needs::license(rule, state, words.voice);
        }
    }
    describe(words.rules, met.requirement)
}

pub fn finding_entry(finding: &Finding) -> FindingEntry {
    FindingEntry {
        record: finding.record.to_string(),
        counted: finding.counted.as_str(),
        amount: finding.amount.map(Number),
        reasons: finding.reasons.iter().map(reason_entry).collect(),
    }
}

fn reason_entry(reason: &Reason) -> ReasonEntry {
    let mut entry = ReasonEntry {
        reason: reason.code(),
        on: None,
        window_from: None,
        measure: None,
        needed: None,
        have: None,
    };
    match *reason {
        Reason::NotYetValid { on }
        | Reason::Expired { on }
        | Reason::CompletedAfterAsOf { on }
        | Reason::StartsAfterAsOf { on }
        | Reason::EarnedOutside { on, .. }
        | Reason::Scheduled { on }
        | Reason::EndedBeforeService { on } => entry.on = Some(on),
        Reason::BeforeCredential { from } | Reason::ClippedToCredential { from } => {
            entry.window_from = Some(from)
        }
        Reason::CompletedBeforeWindow {
            on, window_from, ..
        } => {
            entry.on = Some(on);
            entry.window_from = Some(window_from);
        }
        Reason::BeforeWindow { window_from, .. } | Reason::ClippedToWindow { window_from, .. } => {
            entry.window_from = Some(window_from)
        }
        Reason::PartTime {
            hours_per_week,
            full_time,
        } => {
            entry.needed = Some(Number(full_time));
            entry.have = Some(Number(hours_per_week));
        }
        Reason::Measure {
            measure,
            needed,
            have,
        } => {
            entry.measure = Some(measure.keyword());
            entry.needed = Some(Number(needed));
            entry.have = Some(Number(have));
        }
        _ => {}
    }
    entry
}

/// `roles --format json`: every role's id and title, with `cite` and
/// `clia_position` where the role has them.
pub fn roles_json(rule_set: &crate::ruleset::RuleSet) -> String {
    let roles: Vec<_> = rule_set
        .roles
        .iter()
        .map(|role| {
            let mut entry = serde_json::json!({ "id": role.id, "title": role.title });
            if let Some(cite) = &role.cite {
                entry["cite"] = cite.as_str().into();
            }
            if let Some(position) = role.clia_position {
                entry["clia_position"] = serde_json::json!({
                    "code": position.code.code(),
                    "complexity": position.complexity.keyword(),
                });
            }
            entry
        })
        .collect();
    #[derive(Serialize)]
    struct RolesDocument<'a> {
        version: u32,
        rules: RulesInfo<'a>,
        roles: Vec<serde_json::Value>,
    }
    let document = RolesDocument {
        version: VERSION,
        rules: RulesInfo::of(rule_set),
        roles,
    };
    format!(
        "{}\n",
        serde_json::to_string_pretty(&document).unwrap_or_default()
    )
}
