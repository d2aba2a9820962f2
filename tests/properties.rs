//! Properties of evaluation and of its JSON output (issue 9, "Proof that it
//! stays fixed"), with proptest over profiles generated from the shipped
//! vocabulary (`oracle/generate.rs`):
//!
//! - monotone: adding a job that matches one of a role's experience
//!   conditions never lowers its verdict (not eligible < undetermined <
//!   eligible), for every shipped role whose requirements are monotone in
//!   the jobs: no `not`, and no `when`/`unless` guard that reads experience,
//!   through `role` and `use` references;
//! - the `check --format json` document parses into wire types written from
//!   docs/output.md (unknown fields and unknown enumeration values refused),
//!   serializes back to the same JSON value, and parses again to equal types.

#[path = "oracle/generate.rs"]
#[allow(dead_code)]
mod generate;

use eligo::ruleset::{ExperienceRule, Requirement, RequirementKind, RoleId, RuleSet};
use eligo::{Context, Date, Profile, Verdict};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Number, Value, json};
use std::collections::HashSet;
use std::path::Path;
use std::sync::OnceLock;

struct Shipped {
    rules: RuleSet,
    vocabulary: generate::Vocabulary,
    /// Roles monotone in the jobs, each with its experience conditions.
    monotone: Vec<(RoleId, Vec<ExperienceRule>)>,
}

fn shipped() -> &'static Shipped {
    static SHIPPED: OnceLock<Shipped> = OnceLock::new();
    SHIPPED.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let rules = eligo::load_rules(&path)
            .expect("the shipped rules load")
            .rules
            .expect("the shipped rules check");
        let vocabulary = generate::Vocabulary::of(&rules);
        let monotone = (rules.role_ids())
            .filter(|&role| monotone_role(&rules, role, &mut HashSet::new()))
            .map(|role| {
                let mut conditions = Vec::new();
                experience_conditions(&rules, &rules[role].requirement, &mut conditions);
                (role, conditions)
            })
            .filter(|(_, conditions)| !conditions.is_empty())
            .collect();
        Shipped {
            rules,
            vocabulary,
            monotone,
        }
    })
}

/// Whether more matching work can only raise a verdict: no `not` (it turns a
/// condition met into one not met), and no `when` whose guard reads
/// experience (more work could switch branches), here or in what it uses.
fn monotone_role(rules: &RuleSet, role: RoleId, seen: &mut HashSet<RoleId>) -> bool {
    if !seen.insert(role) {
        return true;
    }
    monotone(rules, &rules[role].requirement, seen)
}

fn monotone(rules: &RuleSet, requirement: &Requirement, seen: &mut HashSet<RoleId>) -> bool {
    match &requirement.kind {
        RequirementKind::Not(_) => false,
        RequirementKind::When {
            guard,
            then,
            otherwise,
        } => {
            !reads_experience(rules, guard, &mut HashSet::new())
                && monotone(rules, then, seen)
                && otherwise
                    .as_deref()
                    .is_none_or(|otherwise| monotone(rules, otherwise, seen))
        }
        RequirementKind::All(parts) | RequirementKind::AtLeast { of: parts, .. } => {
            parts.iter().all(|part| monotone(rules, part, seen))
        }
        RequirementKind::Any(alternatives) => alternatives
            .iter()
            .all(|alternative| monotone(rules, &alternative.requirement, seen)),
        RequirementKind::Role(role) => monotone_role(rules, *role, seen),
        RequirementKind::Use(definition) => {
            monotone(rules, &rules.definitions[*definition].requirement, seen)
        }
        _ => true,
    }
}

fn reads_experience(
    rules: &RuleSet,
    requirement: &Requirement,
    seen: &mut HashSet<RoleId>,
) -> bool {
    let mut found = false;
    generate::walk(requirement, &mut |node| match &node.kind {
        RequirementKind::Experience(_) => found = true,
        RequirementKind::Role(role) if seen.insert(*role) => {
            found |= reads_experience(rules, &rules[*role].requirement, seen)
        }
        RequirementKind::Use(definition) => {
            found |= reads_experience(rules, &rules.definitions[*definition].requirement, seen)
        }
        _ => {}
    });
    found
}

/// The experience conditions a role reads, its own and those it uses.
fn experience_conditions(
    rules: &RuleSet,
    requirement: &Requirement,
    out: &mut Vec<ExperienceRule>,
) {
    generate::walk(requirement, &mut |node| match &node.kind {
        RequirementKind::Experience(rule) => out.push(rule.clone()),
        RequirementKind::Use(definition) => {
            experience_conditions(rules, &rules.definitions[*definition].requirement, out)
        }
        _ => {}
    });
}

/// A job matching every filter of `rule`.
fn matching_job(rule: &ExperienceRule, start: Date, days: i64, hours_per_week: f64) -> Value {
    let mut job = json!({
        "start": start.to_string(),
        "end": start.add_days(days - 1).to_string(),
        "hours_per_week": hours_per_week,
        "licensed": true,
    });
    for (key, set) in [
        ("setting", &rule.settings),
        ("area", &rule.areas),
        ("role", &rule.jobs),
    ] {
        if let Some(term) = set.as_ref().and_then(|set| set.terms.first()) {
            job[key] = json!(term);
        }
    }
    if let Some(state) = rule.states.as_ref().and_then(|states| states.first()) {
        job["state"] = json!(state);
    }
    if let Some(tags) = &rule.tags {
        job["tags"] = json!(tags);
    }
    job
}

fn load(value: &Value) -> Profile {
    eligo::parse_profile(&eligo::SourceFile::new("p.json", value.to_string()))
        .expect("a generated profile loads")
}

fn rank(verdict: Verdict) -> u8 {
    match verdict {
        Verdict::NotEligible => 0,
        Verdict::Undetermined => 1,
        Verdict::Eligible => 2,
    }
}

/// Deterministic runs (a fixed seed; `PROPTEST_RNG_SEED` picks another),
/// nothing written into the source tree.
fn config(cases: u32) -> ProptestConfig {
    let seed = std::env::var("PROPTEST_RNG_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or(9);
    ProptestConfig {
        cases,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(seed),
        ..ProptestConfig::default()
    }
}

const DATES: [&str; 3] = ["2024-02-29", "2024-12-28", "2026-11-21"];

#[test]
fn some_shipped_roles_are_monotone_in_the_jobs() {
    let shipped = shipped();
    let ids: Vec<&str> = shipped
        .monotone
        .iter()
        .map(|(role, _)| shipped.rules[*role].id.as_str())
        .collect();
    eprintln!("monotone roles ({}): {}", ids.len(), ids.join(", "));
    // Most of the shipped roles qualify; the property below is about them.
    assert!(ids.len() >= 10, "{ids:?}");
    assert!(ids.contains(&"ascp-mls"), "{ids:?}");
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn adding_a_matching_job_never_lowers_a_verdict(
        seed in any::<u64>(),
        role_pick in any::<prop::sample::Index>(),
        condition_pick in any::<prop::sample::Index>(),
        ends_before_as_of in 0i64..2000,
        days in 1i64..3000,
        half_hours in 1u32..=120,
    ) {
        let shipped = shipped();
        let dates: Vec<Date> = DATES.iter().map(|d| Date::parse(d).expect("a date")).collect();
        let mut generator = generate::Generator::new(seed, &shipped.vocabulary, dates.clone());
        let (_, base) = generator.profile();
        let (role, conditions) = &shipped.monotone[role_pick.index(shipped.monotone.len())];
        let rule = &conditions[condition_pick.index(conditions.len())];
        for &as_of in &dates {
            let start = as_of.add_days(-ends_before_as_of - days + 1);
            let job = matching_job(rule, start, days, f64::from(half_hours) / 2.0);
            let mut more = base.clone();
            more["experience"].as_array_mut().expect("a list").push(job.clone());
            let ctx = Context::new(as_of).verdict_only();
            let before = eligo::evaluate_role(&shipped.rules, *role, &load(&base), &ctx).verdict;
            let after = eligo::evaluate_role(&shipped.rules, *role, &load(&more), &ctx).verdict;
            prop_assert!(
                rank(after) >= rank(before),
                "{} as of {as_of}: {before} became {after} by adding {job}\nto {base}",
                shipped.rules[*role].id
            );
        }
    }
}

// ---------------------------------------------------------------------------
// The JSON document's wire types, from docs/output.md. Numbers stay
// `serde_json::Number` so that `24` and `24.5` come back as written.

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    version: u32,
    rules: RulesEntry,
    as_of: String,
    profiles: Vec<ProfileEntry>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesEntry {
    fingerprint: String,
    files: usize,
    newest_source: Option<String>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileEntry {
    profile: String,
    state: Option<String>,
    roles: Vec<RoleEntry>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum WireVerdict {
    Eligible,
    NotEligible,
    Undetermined,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Degree,
    Field,
    Accreditation,
    Certification,
    License,
    Experience,
    Coursework,
    Training,
    ContinuingEducation,
    Role,
    Other,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum WireUnit {
    Months,
    SemesterHours,
    Hours,
    Count,
    Weeks,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleEntry {
    role: String,
    title: String,
    verdict: WireVerdict,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    route: Option<String>,
    distance: Number,
    unmet: Vec<UnmetEntry>,
    evidence: Vec<EvidenceEntry>,
    routes: Vec<RouteEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    projection: Option<ProjectionEntry>,
}

/// docs/output.md, "Projection".
#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectionEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    eligible_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    route: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    eligible_on_full_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    stops_on: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    unmet: Vec<UnmetEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unchanged_until: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    not_projected: Option<String>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RouteEntry {
    route: String,
    verdict: WireVerdict,
    distance: Number,
    unmet: Vec<UnmetEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    evidence: Vec<EvidenceEntry>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnmetEntry {
    kind: Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    route: Option<String>,
    message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    needed: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    have: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unit: Option<WireUnit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    undetermined: Option<bool>,
    at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    measure: Option<Measure>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    findings: Vec<FindingEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    alternatives: Vec<UnmetEntry>,
    distance: Number,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    as_of: Option<String>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EvidenceEntry {
    kind: Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    route: Option<String>,
    need: String,
    summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    needed: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    have: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unit: Option<WireUnit>,
    at: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    findings: Vec<FindingEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    as_of: Option<String>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Counted {
    Yes,
    Partly,
    No,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FindingEntry {
    record: String,
    counted: Counted,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    amount: Option<Number>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    reasons: Vec<ReasonEntry>,
}

/// docs/output.md, "Reason codes".
#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ReasonCode {
    NotYetValid,
    Expired,
    LicenseType,
    DegreeLevel,
    InProgress,
    CompletedAfterAsOf,
    CompletedBeforeWindow,
    Field,
    Accreditation,
    Setting,
    Area,
    Job,
    WorkState,
    Unlicensed,
    Untagged,
    NoHours,
    StartsAfterAsOf,
    BeforeWindow,
    ClippedToWindow,
    PartTime,
    Measure,
    Topic,
    EarnedOutside,
    NoEarnedDate,
    Scheduled,
    EndedBeforeService,
    BeforeCredential,
    ClippedToCredential,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Measure {
    Weeks,
    DidacticHours,
    ClinicalHours,
    Venipunctures,
    SkinPunctures,
    ArterialPunctures,
    Collections,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReasonEntry {
    reason: ReasonCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    window_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    measure: Option<Measure>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    needed: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    have: Option<Number>,
}

/// The document `eligo check --format json` prints for `profile` on `as_of`,
/// every shipped role.
fn check_document(profile: &Profile, as_of: Date, state: Option<String>) -> String {
    let rules = &shipped().rules;
    let roles: Vec<RoleId> = rules.role_ids().collect();
    let ctx = Context::new(as_of).with_state(state);
    let outcome = eligo::evaluate_profile(rules, &roles, "generated", profile, &ctx);
    let checked = [eligo::render::check_text::Checked {
        profile,
        outcome: &outcome,
        verified_only: false,
    }];
    eligo::render::json::check_json(rules, as_of, &checked)
}

fn round_trips(text: &str) -> Result<(), String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let document: Document = serde_json::from_str(text)
        .map_err(|e| format!("does not parse into the documented wire types: {e}"))?;
    let again = serde_json::to_string(&document).map_err(|e| e.to_string())?;
    let value_again: Value = serde_json::from_str(&again).map_err(|e| e.to_string())?;
    if value_again != value {
        return Err("serializing the wire types lost or changed a field".into());
    }
    let document_again: Document = serde_json::from_str(&again).map_err(|e| e.to_string())?;
    if document_again != document {
        return Err("parsing the serialized document again gave other values".into());
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn check_json_round_trips_through_its_wire_types(
        seed in any::<u64>(),
        date_pick in 0usize..DATES.len(),
        override_state in any::<bool>(),
    ) {
        let shipped = shipped();
        let as_of = Date::parse(DATES[date_pick]).expect("a date");
        let mut generator = generate::Generator::new(seed, &shipped.vocabulary, vec![as_of]);
        let (profile, _) = generator.profile();
        let state = override_state.then(|| "CA".to_string());
        let text = check_document(&profile, as_of, state);
        if let Err(problem) = round_trips(&text) {
            prop_assert!(false, "{problem}\n{text}");
        }
    }
}

#[test]
fn the_example_profiles_documents_round_trip() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/profiles");
    let mut seen = 0;
    for entry in std::fs::read_dir(&folder).expect("examples/profiles") {
        let path = entry.expect("a folder entry").path();
        let Ok(profile) = eligo::load_profile(&path) else {
            continue;
        };
        let text = check_document(&profile, Date::parse("2026-11-21").expect("a date"), None);
        if let Err(problem) = round_trips(&text) {
            panic!("{}: {problem}", path.display());
        }
        seen += 1;
    }
    assert!(seen >= 3, "only {seen} example profiles");
}
