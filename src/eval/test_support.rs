//! Small constructors for hand-built rule sets, so evaluation can be tested
//! without the rule-file parser.

use super::{Context, RoleOutcome, Unmet, UnmetKind, Verdict, evaluate_role};
use crate::date::Date;
use crate::profile::Profile;
use crate::render::{Voice, Words};
use crate::ruleset::{
    Alternative, CertificationRule, CredentialName, ExperienceRule, Requirement, RequirementKind,
    Role, RoleId, Route, RuleSet, TermSet, Validity, Vocabularies, Vocabulary, VocabularyKind,
    normalize_term,
};
use crate::source::{SourceFile, Span};
use std::sync::atomic::{AtomicU32, Ordering};

pub fn d(text: &str) -> Date {
    Date::parse(text).unwrap()
}

pub fn profile(value: serde_json::Value) -> Profile {
    serde_json::from_value(value).unwrap()
}

/// A requirement with a node id unique in the process.
pub fn node(kind: RequirementKind) -> Requirement {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    Requirement {
        kind,
        span: Span::default(),
        node: NEXT.fetch_add(1, Ordering::Relaxed),
    }
}

/// A term set as `check` builds it: canonical terms sorted, written as given.
pub fn terms(kind: VocabularyKind, written: &[&str]) -> TermSet {
    let mut canonical: Vec<String> = written.iter().map(|term| normalize_term(term)).collect();
    canonical.sort();
    canonical.dedup();
    TermSet::new(
        kind,
        canonical,
        written.iter().map(|term| term.to_string()).collect(),
        &vocabularies(),
    )
}

/// Areas, settings and programmes with a vocabulary (and aliases); other
/// kinds without.
pub fn vocabularies() -> Vocabularies {
    let mut vocabularies = Vocabularies::default();
    let areas: &[(&str, &[&str])] = &[
        ("blood banking", &["BB", "immunohematology"]),
        ("chemistry", &[]),
        ("hematology", &["haematology"]),
        ("microbiology", &[]),
    ];
    let settings: &[(&str, &[&str])] = &[
        ("clinical laboratory", &["clinical lab"]),
        ("research laboratory", &[]),
    ];
    let programs: &[(&str, &[&str])] = &[
        ("medical laboratory science", &["MLS"]),
        ("phlebotomy", &[]),
    ];
    for (kind, entries) in [
        (VocabularyKind::Area, areas),
        (VocabularyKind::Setting, settings),
        (VocabularyKind::Program, programs),
    ] {
        let mut vocabulary = Vocabulary::default();
        for (term, aliases) in entries {
            let canonical = normalize_term(term);
            vocabulary.terms.insert(canonical.clone(), term.to_string());
            vocabulary
                .lookup
                .insert(canonical.clone(), canonical.clone());
            for alias in *aliases {
                vocabulary
                    .lookup
                    .insert(normalize_term(alias), canonical.clone());
            }
        }
        vocabularies.by_kind.insert(kind, vocabulary);
    }
    vocabularies
}

pub fn rules_with_vocabulary() -> RuleSet {
    rule_set(Vec::new())
}

pub fn role(id: &str, title: &str, body: Vec<Requirement>) -> Role {
    Role {
        id: id.to_string(),
        title: title.to_string(),
        description: None,
        notes: Vec::new(),
        cite: None,
        clia_position: None,
        sources: vec![crate::ruleset::Source {
            reference: format!("https://example.org/{id}"),
            trust: None,
            title: None,
            checked: None,
        }],
        validity: Validity::default(),
        requirement: all(body),
        file: 0,
        span: Span::default(),
    }
}

/// Roles keep the given order (role references use those indices); ids
/// must already be sorted, as `RuleSet` requires.
pub fn rule_set(roles: Vec<Role>) -> RuleSet {
    assert!(
        roles.windows(2).all(|pair| pair[0].id < pair[1].id),
        "role ids must be sorted"
    );
    RuleSet {
        files: vec![SourceFile::new("test.elig", "")],
        roles,
        definitions: Vec::new(),
        vocabularies: vocabularies(),
        tests: Vec::new(),
        fingerprint: "0123456789abcdef".to_string(),
    }
}

/// A rule set with one role `r` whose body is `requirement`.
pub fn single_condition(requirement: Requirement) -> RuleSet {
    rule_set(vec![role("r", "Role", vec![requirement])])
}

/// An outcome as the tests read it: the gaps rendered in the candidate's
/// voice beside their data.
#[derive(Clone, Debug)]
pub struct Shown {
    pub verdict: Verdict,
    pub unmet: Vec<ShownUnmet>,
    pub routes: Vec<ShownRoute>,
    pub closest: Option<usize>,
    pub route: Option<usize>,
    /// One line of evidence (see `render::evidence::one_line`).
    pub evidence: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ShownUnmet {
    pub kind: UnmetKind,
    pub route: Option<String>,
    pub message: String,
    pub needed: Option<f64>,
    pub have: Option<f64>,
    pub unit: Option<&'static str>,
    pub distance: f64,
    /// `(record, reason codes)` of each finding.
    pub findings: Vec<(String, Vec<&'static str>)>,
    pub alternatives: Vec<ShownUnmet>,
}

#[derive(Clone, Debug)]
pub struct ShownRoute {
    pub route: String,
    pub verdict: Verdict,
    pub unmet: Vec<ShownUnmet>,
}

pub fn show_unmet(words: Words<'_>, unmet: &Unmet<'_>) -> ShownUnmet {
    ShownUnmet {
        kind: unmet.kind,
        route: unmet.route.map(str::to_string),
        message: crate::render::message(words, unmet),
        needed: unmet.needed(),
        have: unmet.have(),
        unit: unmet.unit(),
        distance: unmet.distance,
        findings: unmet
            .findings
            .iter()
            .map(|f| {
                (
                    f.record.to_string(),
                    f.reasons.iter().map(|r| r.code()).collect(),
                )
            })
            .collect(),
        alternatives: unmet
            .alternatives
            .iter()
            .map(|a| show_unmet(words, a))
            .collect(),
    }
}

pub fn show(rules: &RuleSet, profile: &Profile, outcome: &RoleOutcome<'_>) -> Shown {
    let words = Words::new(rules, profile, Voice::Candidate);
    Shown {
        verdict: outcome.verdict,
        unmet: outcome.unmet.iter().map(|u| show_unmet(words, u)).collect(),
        routes: outcome
            .routes
            .iter()
            .map(|route| ShownRoute {
                route: route.name().map_or_else(
                    || crate::render::describe(rules, &route.alternative.requirement),
                    str::to_string,
                ),
                verdict: route.verdict,
                unmet: route.unmet.iter().map(|u| show_unmet(words, u)).collect(),
            })
            .collect(),
        closest: outcome.closest,
        route: outcome.route,
        evidence: crate::render::evidence::one_line(words, &outcome.evidence),
    }
}

pub fn evaluate(rules: &RuleSet, profile_json: serde_json::Value, as_of: &str) -> Shown {
    evaluate_id(rules, "r", profile_json, as_of, None)
}

pub fn evaluate_id(
    rules: &RuleSet,
    id: &str,
    profile_json: serde_json::Value,
    as_of: &str,
    state: Option<&str>,
) -> Shown {
    let ctx = Context::new(d(as_of)).with_state(state.map(str::to_string));
    let role = rules.role_id(id).unwrap();
    let profile = profile(profile_json);
    let outcome = evaluate_role(rules, role, &profile, &ctx);
    // The verdict-only path must always agree.
    let fast = evaluate_role(rules, role, &profile, &ctx.clone().verdict_only());
    assert_eq!(
        outcome.verdict, fast.verdict,
        "verdict-only evaluation disagrees"
    );
    show(rules, &profile, &outcome)
}

pub fn experience_req(rule: ExperienceRule) -> Requirement {
    node(RequirementKind::Experience(rule))
}

pub fn cert(issuer: &str, name: &str) -> Requirement {
    node(RequirementKind::Certification(CertificationRule {
        options: vec![CredentialName {
            issuer: issuer.to_string(),
            name: name.to_string(),
        }],
        earned: None,
        see: None,
    }))
}

pub fn state_in(states: &[&str]) -> Requirement {
    node(RequirementKind::StateIn(
        states.iter().map(|s| s.to_string()).collect(),
    ))
}

pub fn all(parts: Vec<Requirement>) -> Requirement {
    node(RequirementKind::All(parts))
}

pub fn any(parts: Vec<Requirement>) -> Requirement {
    node(RequirementKind::Any(
        parts
            .into_iter()
            .map(|requirement| Alternative {
                route: None,
                requirement,
            })
            .collect(),
    ))
}

pub fn at_least(count: usize, of: Vec<Requirement>) -> Requirement {
    node(RequirementKind::AtLeast { count, of })
}

pub fn not(inner: Requirement) -> Requirement {
    node(RequirementKind::Not(Box::new(inner)))
}

pub fn when(guard: Requirement, then: Requirement, otherwise: Option<Requirement>) -> Requirement {
    node(RequirementKind::When {
        guard: Box::new(guard),
        then: Box::new(then),
        otherwise: otherwise.map(Box::new),
    })
}

pub fn route(name: &str, validity: Validity, requirement: Requirement) -> Alternative {
    Alternative {
        route: Some(Route {
            name: name.to_string(),
            validity,
            description: None,
            notes: Vec::new(),
            sources: Vec::new(),
            cite: None,
        }),
        requirement,
    }
}

pub fn routes(alternatives: Vec<Alternative>) -> Requirement {
    node(RequirementKind::Any(alternatives))
}

pub fn role_ref(role: RoleId) -> Requirement {
    node(RequirementKind::Role(role))
}
