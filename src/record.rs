//! Personnel qualification records: one person in one position, as a
//! laboratory files it for an inspection (`eligo record`, `eligo roster`).
//!
//! A record is data built from the evaluation: the outcome with its
//! evidence, the same outcome on verified records only (so a record can say
//! the person qualifies on claims alone), and what lapses next. Words are in
//! `render::record`.

use crate::date::Date;
use crate::eval::{
    self, Context, Counted, Met, Projection, Record, RoleOutcome, Verdict, VerifiedOnly,
};
use crate::profile::Profile;
use crate::ruleset::{Alternative, Requirement, RequirementKind, RoleId, RuleSet};

/// How a person stands in a position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Standing {
    /// Not qualified (or the rules cannot tell: see [`PersonnelRecord::outcome`]).
    NotQualified,
    Undetermined,
    /// Qualified on the profile's records, but not on its verified ones.
    OnClaimsOnly,
    Qualified,
}

impl Standing {
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::NotQualified => "not_qualified",
            Standing::Undetermined => "undetermined",
            Standing::OnClaimsOnly => "qualified_on_claims",
            Standing::Qualified => "qualified",
        }
    }
}

/// Whether the records show the position's qualification in one specialty
/// (a CLIA technical supervisor or consultant is qualified per specialty:
/// the experience must lie in the specialty supervised).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpecialtyEvidence {
    /// The position is met on the experience in this specialty alone (or on
    /// a route that asks for no experience, such as board certification).
    Shown,
    /// Met only with experience outside this specialty.
    NotShown,
    /// Not an area of the rule set's vocabulary: not checked.
    NotChecked,
}

impl SpecialtyEvidence {
    pub fn as_str(self) -> &'static str {
        match self {
            SpecialtyEvidence::Shown => "shown",
            SpecialtyEvidence::NotShown => "not_shown",
            SpecialtyEvidence::NotChecked => "not_checked",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecialtyCheck {
    /// As the profile's `positions` entry writes it.
    pub specialty: String,
    pub evidence: SpecialtyEvidence,
}

/// One person × one position.
#[derive(Clone, Debug)]
pub struct PersonnelRecord<'r> {
    pub role: RoleId,
    /// From the profile's `positions` entry for the role.
    pub specialties: Vec<String>,
    /// For a position with specialties that is met: each specialty checked
    /// on its own.
    pub specialty_checks: Vec<SpecialtyCheck>,
    /// The evaluation, with its projection: on every record, or on the
    /// verified ones only with `require_verified` (paths are the file's).
    pub outcome: RoleOutcome<'r>,
    /// The verdict on verified records only.
    pub verified_verdict: Verdict,
    /// Records that the evidence rests on and that carry no `verified`.
    pub unverified: Vec<Record>,
    pub standing: Standing,
    /// Whether only verified records were evaluated.
    pub require_verified: bool,
}

impl PersonnelRecord<'_> {
    /// The day the position stops being met if nothing changes, when that is
    /// within the projection's horizon.
    pub fn lapses_on(&self) -> Option<Date> {
        match self.outcome.projection.as_deref()? {
            Projection::LapsesOn { on, .. } => Some(*on),
            _ => None,
        }
    }
}

/// Evaluates `profile` for `role` and builds its record; `until` bounds the
/// search for the next lapse.
pub fn personnel_record<'r>(
    rules: &'r RuleSet,
    role: RoleId,
    profile: &Profile,
    ctx: &Context,
    until: Date,
    require_verified: bool,
) -> PersonnelRecord<'r> {
    let verified = eval::verified_only(profile);
    let on_claims = eval::evaluate_role(rules, role, profile, ctx);
    let on_verified = judged(rules, role, &verified, ctx, until);
    let verified_verdict = on_verified.verdict;
    let mut outcome = if require_verified {
        on_verified
    } else {
        let mut outcome = on_claims;
        outcome.projection = Some(Box::new(eval::project(rules, role, profile, ctx, until)));
        outcome
    };
    outcome
        .projection
        .get_or_insert_with(|| Box::new(Projection::Unchanged { until }));
    let mut unverified = Vec::new();
    if outcome.verdict == Verdict::Eligible {
        evidence_records(&outcome.evidence, &mut unverified);
        unverified.retain(|record| record.verification(profile).is_none());
        unverified.sort();
        unverified.dedup();
    }
    let specialties = profile
        .positions
        .iter()
        .find(|position| rules.role_id(&position.role) == Some(role))
        .map(|position| position.specialties.clone())
        .unwrap_or_default();
    let has_specialties = rules[role]
        .clia_position
        .is_some_and(|position| position.code.has_specialties());
    let specialty_checks = if has_specialties && outcome.verdict == Verdict::Eligible {
        let judged_profile = if require_verified {
            &verified.profile
        } else {
            profile
        };
        specialties
            .iter()
            .map(|specialty| SpecialtyCheck {
                specialty: specialty.clone(),
                evidence: specialty_evidence(rules, role, judged_profile, ctx, specialty),
            })
            .collect()
    } else {
        Vec::new()
    };
    let specialty_missing = specialty_checks
        .iter()
        .any(|check| check.evidence == SpecialtyEvidence::NotShown);
    let standing = match outcome.verdict {
        Verdict::Eligible if specialty_missing => Standing::NotQualified,
        Verdict::Eligible if verified_verdict == Verdict::Eligible => Standing::Qualified,
        Verdict::Eligible => Standing::OnClaimsOnly,
        Verdict::Undetermined => Standing::Undetermined,
        Verdict::NotEligible => Standing::NotQualified,
    };
    outcome.routes.clear();
    PersonnelRecord {
        role,
        specialties,
        specialty_checks,
        outcome,
        verified_verdict,
        unverified,
        standing,
        require_verified,
    }
}

/// Whether `role` is met for `profile` on its experience in `specialty`
/// alone (the other jobs left out).
fn specialty_evidence(
    rules: &RuleSet,
    role: RoleId,
    profile: &Profile,
    ctx: &Context,
    specialty: &str,
) -> SpecialtyEvidence {
    use crate::ruleset::VocabularyKind;
    let areas = &rules.vocabularies;
    // A subspecialty the role reads from tags (`tagged bacteriology` beside
    // `tagged mycology` …): the work must be shown in it, so the other
    // subspecialties' tags are set aside (the rule itself asks for the area).
    let subspecialty = sibling_tags(rules, &rules[role].requirement, specialty);
    let mut in_specialty = profile.clone();
    if let Some(siblings) = subspecialty {
        for job in &mut in_specialty.experience {
            job.tags.retain(|tag| {
                !siblings
                    .iter()
                    .any(|sibling| eval::same_label(tag, sibling))
            });
        }
    } else {
        let Some(wanted) = areas.canonical(VocabularyKind::Area, specialty) else {
            return SpecialtyEvidence::NotChecked;
        };
        in_specialty.experience.retain(|job| {
            job.area
                .as_deref()
                .and_then(|area| areas.canonical(VocabularyKind::Area, area))
                .is_some_and(|area| area == wanted)
        });
    }
    if eval::evaluate_role(rules, role, &in_specialty, ctx).verdict == Verdict::Eligible {
        SpecialtyEvidence::Shown
    } else {
        SpecialtyEvidence::NotShown
    }
}

/// The tags of the experience conditions beside one that is tagged
/// `specialty`, in the same `any`: the other subspecialties of a rule that
/// asks for work in one of them. `None` when no such `any` names it.
fn sibling_tags(
    rules: &RuleSet,
    requirement: &Requirement,
    specialty: &str,
) -> Option<Vec<String>> {
    let mut siblings = Vec::new();
    let mut found = false;
    let mut pending = vec![requirement];
    let mut definitions_seen = Vec::new();
    while let Some(requirement) = pending.pop() {
        match &requirement.kind {
            RequirementKind::Any(alternatives) => {
                let tags_of = |alternative: &Alternative| match &alternative.requirement.kind {
                    RequirementKind::Experience(rule) => rule.tags.clone(),
                    _ => None,
                };
                let named = alternatives.iter().any(|alternative| {
                    tags_of(alternative)
                        .is_some_and(|tags| tags.iter().any(|tag| eval::same_label(tag, specialty)))
                });
                found |= named;
                for tags in alternatives.iter().filter_map(tags_of).filter(|_| named) {
                    siblings.extend(
                        tags.into_iter()
                            .filter(|tag| !eval::same_label(tag, specialty)),
                    );
                }
            }
            RequirementKind::Use(definition) if !definitions_seen.contains(definition) => {
                definitions_seen.push(*definition);
                if let Some(definition) = rules.definitions.get(*definition) {
                    pending.push(&definition.requirement);
                }
            }
            _ => {}
        }
        pending.extend(requirement.children());
    }
    siblings.sort();
    siblings.dedup();
    found.then_some(siblings)
}

/// The evaluation on verified records only, projected, with the file's paths.
fn judged<'r>(
    rules: &'r RuleSet,
    role: RoleId,
    verified: &VerifiedOnly,
    ctx: &Context,
    until: Date,
) -> RoleOutcome<'r> {
    let mut outcome = eval::evaluate_role(rules, role, &verified.profile, ctx);
    outcome.projection = Some(Box::new(eval::project(
        rules,
        role,
        &verified.profile,
        ctx,
        until,
    )));
    verified.restore_paths(&mut outcome);
    outcome
}

/// The records that count toward the conditions met, through roles met by
/// reference too.
pub fn evidence_records(evidence: &[Met<'_>], out: &mut Vec<Record>) {
    for met in evidence {
        out.extend(
            met.findings
                .iter()
                .filter(|finding| finding.counted != Counted::No)
                .map(|finding| finding.record),
        );
        if let Some(via) = &met.via {
            evidence_records(&via.evidence, out);
        }
    }
}

/// The positions to record for `profile`: the `--position` roles when given,
/// else the profile's own `positions` (those the rule set knows; the others
/// are returned by id, for the caller to report).
pub fn positions_of(
    rules: &RuleSet,
    profile: &Profile,
    given: &[RoleId],
) -> (Vec<RoleId>, Vec<String>) {
    if !given.is_empty() {
        return (given.to_vec(), Vec::new());
    }
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for position in &profile.positions {
        match rules.role_id(&position.role) {
            Some(role) if !known.contains(&role) => known.push(role),
            Some(_) => {}
            None => unknown.push(position.role.clone()),
        }
    }
    (known, unknown)
}
