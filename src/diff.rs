//! `eligo diff`: the same profiles judged by two rule sets, so that a rule
//! author (or a laboratory) sees whom an update affects before shipping it.
//!
//! Roles are matched by id. A profile × role pair *changes* when its verdict
//! differs, or when it is eligible under both by a different route. Roles
//! that only one rule set has are tallied, not compared. What changed inside
//! a pair (the needs no longer unmet, the needs newly unmet) is worked out
//! when it is worded, in [`crate::render::diff`]: the two rule sets share no
//! ids, so a need's identity across them is its kind and what it asks for.

use crate::eval::{self, Context, RoleOutcome, Verdict};
use crate::profile::Profile;
use crate::ruleset::{RoleId, RuleSet};

/// A role id in the old rules, the new rules, or both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RolePair {
    Both { old: RoleId, new: RoleId },
    OnlyOld(RoleId),
    OnlyNew(RoleId),
}

/// The roles to compare: those named in `wanted` (each in at least one rule
/// set; the unknown ones come back as `Err`), or every role of the new rules
/// followed by those the new rules dropped.
pub fn pair_roles(
    old: &RuleSet,
    new: &RuleSet,
    wanted: &[String],
) -> Result<Vec<RolePair>, Vec<String>> {
    let pair = |id: &str| match (old.role_id(id), new.role_id(id)) {
        (Some(old), Some(new)) => Some(RolePair::Both { old, new }),
        (Some(old), None) => Some(RolePair::OnlyOld(old)),
        (None, Some(new)) => Some(RolePair::OnlyNew(new)),
        (None, None) => None,
    };
    if wanted.is_empty() {
        let mut pairs: Vec<RolePair> = new.roles.iter().filter_map(|role| pair(&role.id)).collect();
        pairs.extend(
            old.roles
                .iter()
                .filter(|role| new.role_id(&role.id).is_none())
                .filter_map(|role| old.role_id(&role.id).map(RolePair::OnlyOld)),
        );
        return Ok(pairs);
    }
    let mut pairs = Vec::new();
    let mut unknown = Vec::new();
    for id in wanted {
        match pair(id) {
            Some(found) if !pairs.contains(&found) => pairs.push(found),
            Some(_) => {}
            None => unknown.push(id.clone()),
        }
    }
    if unknown.is_empty() {
        Ok(pairs)
    } else {
        Err(unknown)
    }
}

/// One profile × role judged by both rule sets, where the judgements differ.
#[derive(Debug)]
pub struct Change<'o, 'n> {
    /// Index of the profile in the input.
    pub profile: usize,
    pub old: RoleOutcome<'o>,
    pub new: RoleOutcome<'n>,
}

/// Verdicts of a role only one rule set has: eligible, not eligible,
/// undetermined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OneSided {
    /// The role, in the rule set that has it.
    pub role: RoleId,
    /// `true` when only the new rules have it.
    pub added: bool,
    pub counts: [u64; 3],
}

/// Everything `diff` found.
#[derive(Debug)]
pub struct Diff<'o, 'n> {
    /// Profile × role pairs judged by both rule sets.
    pub compared: u64,
    /// Those whose verdict or route changed, in input order, then role order.
    pub changes: Vec<Change<'o, 'n>>,
    pub one_sided: Vec<OneSided>,
}

fn verdict_index(verdict: Verdict) -> usize {
    match verdict {
        Verdict::Eligible => 0,
        Verdict::NotEligible => 1,
        Verdict::Undetermined => 2,
    }
}

/// Whether two judgements of the same pair differ: the verdict, or the route
/// by which both are met.
pub fn differs(
    old_rules: &RuleSet,
    old: &RoleOutcome<'_>,
    new_rules: &RuleSet,
    new: &RoleOutcome<'_>,
) -> bool {
    old.verdict != new.verdict
        || (old.verdict == Verdict::Eligible
            && old.route_name(old_rules) != new.route_name(new_rules))
}

/// Judges every profile for every pair of roles under both rule sets.
pub fn diff<'o, 'n>(
    old_rules: &'o RuleSet,
    new_rules: &'n RuleSet,
    pairs: &[RolePair],
    profiles: &[&Profile],
    ctx: &Context,
) -> Diff<'o, 'n> {
    let mut found = Diff {
        compared: 0,
        changes: Vec::new(),
        one_sided: pairs
            .iter()
            .filter_map(|pair| match *pair {
                RolePair::Both { .. } => None,
                RolePair::OnlyOld(role) => Some(OneSided {
                    role,
                    added: false,
                    counts: [0; 3],
                }),
                RolePair::OnlyNew(role) => Some(OneSided {
                    role,
                    added: true,
                    counts: [0; 3],
                }),
            })
            .collect(),
    };
    for (index, profile) in profiles.iter().enumerate() {
        let mut one_sided = found.one_sided.iter_mut();
        for pair in pairs {
            match *pair {
                RolePair::Both { old, new } => {
                    found.compared += 1;
                    let before = eval::evaluate_role(old_rules, old, profile, ctx);
                    let after = eval::evaluate_role(new_rules, new, profile, ctx);
                    if differs(old_rules, &before, new_rules, &after) {
                        found.changes.push(Change {
                            profile: index,
                            old: before,
                            new: after,
                        });
                    }
                }
                RolePair::OnlyOld(role) => {
                    let verdict = eval::evaluate_role(old_rules, role, profile, ctx).verdict;
                    if let Some(tally) = one_sided.next() {
                        tally.counts[verdict_index(verdict)] += 1;
                    }
                }
                RolePair::OnlyNew(role) => {
                    let verdict = eval::evaluate_role(new_rules, role, profile, ctx).verdict;
                    if let Some(tally) = one_sided.next() {
                        tally.counts[verdict_index(verdict)] += 1;
                    }
                }
            }
        }
    }
    found
}
