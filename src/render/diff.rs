//! `eligo diff` in words: per changed profile × role, the verdicts and
//! routes under the old and the new rules, and why: the needs no longer
//! unmet and those newly unmet (in the employer's voice), then a tally per
//! role.

use super::json::RulesInfo;
use super::{Voice, Words, count_noun, describe, message, terminal_safe};
use crate::date::Date;
use crate::diff::{Change, Diff, OneSided};
use crate::eval::{RoleOutcome, Unmet, Verdict};
use crate::profile::Profile;
use crate::ruleset::RuleSet;
use serde::Serialize;
use std::fmt::Write as _;

/// A profile, as rows name it.
pub struct DiffProfile<'a> {
    pub profile: &'a Profile,
    pub id: String,
    pub file: String,
}

#[derive(Serialize)]
pub struct DiffReport<'a> {
    pub version: u32,
    pub as_of: Date,
    pub old: RulesInfo<'a>,
    pub new: RulesInfo<'a>,
    pub profiles: usize,
    /// Profile × role pairs judged by both rule sets.
    pub compared: u64,
    pub changes: Vec<ChangeReport>,
    /// Roles only one rule set has, with their verdict counts.
    pub roles_added: Vec<OneSidedReport>,
    pub roles_removed: Vec<OneSidedReport>,
}

#[derive(Serialize)]
pub struct ChangeReport {
    pub profile: String,
    pub file: String,
    pub role: String,
    pub title: String,
    /// `verdict` when the verdict changes, `route` when both are eligible by
    /// different routes.
    pub change: &'static str,
    pub old: Judgement,
    pub new: Judgement,
    /// Needs unmet under the old rules and not under the new.
    pub no_longer_unmet: Vec<NeedChange>,
    /// Needs unmet under the new rules and not under the old.
    pub newly_unmet: Vec<NeedChange>,
}

#[derive(Serialize)]
pub struct Judgement {
    #[serde(serialize_with = "verdict_str")]
    pub verdict: Verdict,
    pub route: Option<String>,
}

fn verdict_str<S: serde::Serializer>(verdict: &Verdict, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(verdict.as_str())
}

#[derive(Serialize)]
pub struct NeedChange {
    pub kind: &'static str,
    /// What the condition asks for, without the profile's figures.
    pub need: String,
    /// The full sentence about the profile, under the rules it is unmet in.
    pub message: String,
}

#[derive(Serialize)]
pub struct OneSidedReport {
    pub role: String,
    pub title: String,
    pub eligible: u64,
    pub not_eligible: u64,
    pub undetermined: u64,
}

/// A need's identity across two rule sets: its kind and what it asks for.
fn need_key(rules: &RuleSet, gap: &Unmet<'_>) -> (&'static str, String) {
    (gap.kind.as_str(), describe(rules, gap.requirement))
}

/// The needs of `from` whose identity is not among those of `other`.
fn needs_not_in(
    words: Words<'_>,
    from: &RoleOutcome<'_>,
    other_rules: &RuleSet,
    other: &RoleOutcome<'_>,
) -> Vec<NeedChange> {
    let others: Vec<(&'static str, String)> = other
        .unmet
        .iter()
        .map(|gap| need_key(other_rules, gap))
        .collect();
    let mut changes: Vec<NeedChange> = Vec::new();
    for gap in &from.unmet {
        let (kind, need) = need_key(words.rules, gap);
        if others.iter().any(|(k, n)| *k == kind && *n == need)
            || changes.iter().any(|c| c.kind == kind && c.need == need)
        {
            continue;
        }
        changes.push(NeedChange {
            kind,
            need,
            message: message(words, gap),
        });
    }
    changes
}

fn change_report(
    old_rules: &RuleSet,
    new_rules: &RuleSet,
    people: &[DiffProfile<'_>],
    change: &Change<'_, '_>,
) -> ChangeReport {
    let person = &people[change.profile];
    let old_words = Words::new(old_rules, person.profile, Voice::Applicant);
    let new_words = Words::new(new_rules, person.profile, Voice::Applicant);
    let role = new_rules.get(change.new.role);
    ChangeReport {
        profile: person.id.clone(),
        file: person.file.clone(),
        role: role.map(|r| r.id.clone()).unwrap_or_default(),
        title: role.map(|r| r.title.clone()).unwrap_or_default(),
        change: if change.old.verdict == change.new.verdict {
            "route"
        } else {
            "verdict"
        },
        old: Judgement {
            verdict: change.old.verdict,
            route: change.old.route_name(old_rules).map(str::to_string),
        },
        new: Judgement {
            verdict: change.new.verdict,
            route: change.new.route_name(new_rules).map(str::to_string),
        },
        no_longer_unmet: needs_not_in(old_words, &change.old, new_rules, &change.new),
        newly_unmet: needs_not_in(new_words, &change.new, old_rules, &change.old),
    }
}

fn one_sided_report(rules: &RuleSet, tally: &OneSided) -> OneSidedReport {
    let role = rules.get(tally.role);
    OneSidedReport {
        role: role.map(|r| r.id.clone()).unwrap_or_default(),
        title: role.map(|r| r.title.clone()).unwrap_or_default(),
        eligible: tally.counts[0],
        not_eligible: tally.counts[1],
        undetermined: tally.counts[2],
    }
}

pub fn diff_report<'a>(
    old_rules: &'a RuleSet,
    new_rules: &'a RuleSet,
    people: &[DiffProfile<'_>],
    diff: &Diff<'_, '_>,
    as_of: Date,
) -> DiffReport<'a> {
    DiffReport {
        version: 1,
        as_of,
        old: RulesInfo::of(old_rules),
        new: RulesInfo::of(new_rules),
        profiles: people.len(),
        compared: diff.compared,
        changes: diff
            .changes
            .iter()
            .map(|change| change_report(old_rules, new_rules, people, change))
            .collect(),
        roles_added: diff
            .one_sided
            .iter()
            .filter(|t| t.added)
            .map(|t| one_sided_report(new_rules, t))
            .collect(),
        roles_removed: diff
            .one_sided
            .iter()
            .filter(|t| !t.added)
            .map(|t| one_sided_report(old_rules, t))
            .collect(),
    }
}

pub fn diff_json(report: &DiffReport<'_>) -> String {
    let mut text = serde_json::to_string_pretty(report).unwrap_or_default();
    text.push('\n');
    text
}

fn verdict_words(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Eligible => "eligible",
        Verdict::NotEligible => "not eligible",
        Verdict::Undetermined => "undetermined",
    }
}

fn judgement_words(judgement: &Judgement) -> String {
    match (&judgement.route, judgement.verdict) {
        (Some(route), Verdict::Eligible) => format!("eligible by route {route}"),
        (_, verdict) => verdict_words(verdict).to_string(),
    }
}

fn counts_words(tally: &OneSidedReport) -> String {
    format!(
        "{} eligible, {} not eligible, {} undetermined",
        tally.eligible, tally.not_eligible, tally.undetermined
    )
}

pub fn diff_text(report: &DiffReport<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "old rules {} ({}) → new rules {} ({}), as of {}",
        report.old.fingerprint,
        super::record::rules_extent(&report.old),
        report.new.fingerprint,
        super::record::rules_extent(&report.new),
        report.as_of
    );
    let _ = writeln!(
        out,
        "{} compared ({}): {}",
        count_noun(
            report.compared as usize,
            "profile × role",
            "profile × role pairs"
        ),
        count_noun(report.profiles, "profile", "profiles"),
        match report.changes.len() {
            0 => "no verdict or route changes".to_string(),
            n => count_noun(n, "change", "changes"),
        }
    );
    for change in &report.changes {
        let _ = writeln!(
            out,
            "\n{}  {}: {} → {}",
            change.profile,
            change.role,
            judgement_words(&change.old),
            judgement_words(&change.new)
        );
        for need in &change.no_longer_unmet {
            let _ = writeln!(out, "    no longer unmet: {}", need.need);
        }
        for need in &change.newly_unmet {
            let _ = writeln!(out, "    newly unmet: {}", need.message);
        }
        if change.change == "verdict"
            && change.no_longer_unmet.is_empty()
            && change.newly_unmet.is_empty()
        {
            let _ = writeln!(out, "    the same needs, judged differently");
        }
    }
    // Per role: how the verdicts moved.
    let mut roles: Vec<&str> = Vec::new();
    for change in &report.changes {
        if !roles.contains(&change.role.as_str()) {
            roles.push(&change.role);
        }
    }
    if !roles.is_empty() {
        let _ = writeln!(out, "\nby role:");
    }
    for role in roles {
        let of_role = || report.changes.iter().filter(move |c| c.role == role);
        let gained = of_role()
            .filter(|c| c.new.verdict == Verdict::Eligible && c.old.verdict != Verdict::Eligible)
            .count();
        let lost = of_role()
            .filter(|c| c.old.verdict == Verdict::Eligible && c.new.verdict != Verdict::Eligible)
            .count();
        let routes = of_role().filter(|c| c.change == "route").count();
        let other = of_role().count() - gained - lost - routes;
        let mut parts = Vec::new();
        if gained > 0 {
            parts.push(format!("{gained} become eligible"));
        }
        if lost > 0 {
            parts.push(format!("{lost} no longer eligible"));
        }
        if routes > 0 {
            parts.push(format!("{routes} by another route"));
        }
        if other > 0 {
            parts.push(format!("{other} between not eligible and undetermined"));
        }
        let _ = writeln!(out, "  {role}: {}", parts.join(", "));
    }
    for tally in &report.roles_added {
        let _ = writeln!(
            out,
            "\nnew role {} (not in the old rules): {}",
            tally.role,
            counts_words(tally)
        );
    }
    for tally in &report.roles_removed {
        let _ = writeln!(
            out,
            "\nrole {} is not in the new rules; under the old: {}",
            tally.role,
            counts_words(tally)
        );
    }
    // Profile ids and values reach the terminal: each line escaped.
    out.lines()
        .map(|line| format!("{}\n", terminal_safe(line)))
        .collect()
}
