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
use crate::ruleset::{RoleId, RuleSet};

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

/// One person × one position.
#[derive(Clone, Debug)]
pub struct PersonnelRecord<'r> {
    pub role: RoleId,
    /// From the profile's `positions` entry for the role.
    pub specialties: Vec<String>,
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
    let standing = match outcome.verdict {
        Verdict::Eligible if verified_verdict == Verdict::Eligible => Standing::Qualified,
        Verdict::Eligible => Standing::OnClaimsOnly,
        Verdict::Undetermined => Standing::Undetermined,
        Verdict::NotEligible => Standing::NotQualified,
    };
    let specialties = profile
        .positions
        .iter()
        .find(|position| rules.role_id(&position.role) == Some(role))
        .map(|position| position.specialties.clone())
        .unwrap_or_default();
    outcome.routes.clear();
    PersonnelRecord {
        role,
        specialties,
        outcome,
        verified_verdict,
        unverified,
        standing,
        require_verified,
    }
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
