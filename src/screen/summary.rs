//! The cohort summary of `eligo screen --summary`: per role, how many
//! applicants are eligible, not eligible and undetermined; which conditions
//! block the most applicants; and who is close to qualifying.
//!
//! # Blocking conditions
//! An applicant who is not eligible (or undetermined) has an explanation: the
//! unmet conditions of their closest route plus those outside the routes. Each
//! condition is counted once per applicant under the identity of what it
//! needs ([`BlockKey`]: the condition as written, the training minimum, the
//! state it was judged for, and whether the profile simply lacks the fact),
//! never by its wording. Two applicants missing the same requirement
//! therefore count together whatever they have; a requirement that depends
//! on the applicant's state ("needs a CA CLS licence", "needs a NY CLS
//! licence") is counted per state.
//!
//! # Close to qualifying
//! An applicant who is not eligible is *close* when some route leaves exactly
//! one condition unmet (counting the conditions outside the routes) and that
//! condition is small: at most 6 months of experience short, at most 6
//! semester hours of coursework short, or one certification or licence. They
//! are listed closest first (the shortfall as a share of those limits; a
//! missing credential counts as the full limit), ties in input order.

use super::Unreadable;
use crate::eval::{Fact, RoleOutcome, Unit, Unmet, UnmetKind, Verdict};
use crate::render::summary::requirement_sentence;
pub use crate::render::summary::{render, thousands};
use crate::render::{Words, message};
use crate::ruleset::TrainingMeasure;
use std::collections::HashMap;

/// How many close applicants are listed per role.
pub const CLOSE_LISTED: usize = 50;
/// How many blocking conditions are listed per role.
pub const BLOCKING_LISTED: usize = 10;
/// "Close": at most this many months of experience short…
pub const CLOSE_MONTHS: f64 = 6.0;
/// …or this many semester hours of coursework.
pub const CLOSE_SEMESTER_HOURS: f64 = 6.0;

/// What a run (or one batch of it) found.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    /// Records read (good and bad).
    pub records: u64,
    /// Records that could not be read.
    pub unreadable: u64,
    /// The first of them, in input order.
    pub first_unreadable: Option<Unreadable>,
    /// Per screened role, in the order of [`Screener::roles`].
    pub roles: Vec<RoleTally>,
}

#[derive(Clone, Debug, Default)]
pub struct RoleTally {
    /// Applicants per verdict, indexed by [`Verdict`] order (eligible, not
    /// eligible, undetermined).
    pub counts: [u64; 3],
    /// What a condition needs, as said → applicants it blocks (summary only).
    pub blocking: HashMap<String, Blocking>,
    /// Each condition's requirement sentence, worded once.
    sentences: HashMap<BlockKey, String>,
    /// The closest applicants so far, at most [`CLOSE_LISTED`], best first.
    pub close: Vec<Close>,
    /// Every close applicant.
    pub close_total: u64,
    /// `--project`: applicants not eligible today whom time alone makes
    /// eligible within 3, 6 and 12 months ([`WITHIN_MONTHS`]).
    pub qualify_within: [u64; 3],
    /// `--project`: eligible applicants who stop being eligible within
    /// [`LAPSE_DAYS`] days.
    pub lapse_soon: u64,
    /// Whether rows were projected at all.
    pub projected: bool,
}

/// The horizons of "will qualify within N months".
pub const WITHIN_MONTHS: [u32; 3] = [3, 6, 12];
/// The horizon of "lose eligibility within N days".
pub const LAPSE_DAYS: i64 = 90;

/// The identity of a blocking requirement.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BlockKey {
    /// The condition's node in the rule set.
    pub node: u32,
    pub measure: Option<TrainingMeasure>,
    /// The state a state-dependent condition was judged for.
    pub state: Option<String>,
    /// The profile lacks the fact the condition needs (no state, no birth date).
    pub not_stated: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blocking {
    pub kind: UnmetKind,
    pub applicants: u64,
    /// The requirement as the summary says it (the first applicant's wording
    /// of what it needs, without their own figures).
    pub sentence: String,
}

pub(crate) fn not_stated(gap: &Unmet<'_>) -> bool {
    gap.facts
        .iter()
        .any(|fact| matches!(fact, Fact::NoState | Fact::Age(None)))
}

fn block_key(gap: &Unmet<'_>) -> BlockKey {
    BlockKey {
        node: gap.requirement.node,
        measure: gap.measure,
        state: gap.facts.iter().find_map(|fact| match fact {
            Fact::State(state) => Some(state.clone()),
            _ => None,
        }),
        not_stated: not_stated(gap),
    }
}

/// An applicant with one small gap for a role.
#[derive(Clone, Debug, PartialEq)]
pub struct Close {
    /// Input position: (batch, record in batch).
    pub order: (u64, u32),
    pub profile: String,
    /// The unmet condition's message.
    pub gap: String,
    /// What it needs, without the applicant's figures.
    pub requirement: String,
    pub route: Option<String>,
    /// How much is missing, for quantities.
    pub short: Option<(f64, Unit)>,
    /// Shortfall as a share of the "close" limit, in (0, 1].
    pub score: f64,
}

fn verdict_index(verdict: Verdict) -> usize {
    match verdict {
        Verdict::Eligible => 0,
        Verdict::NotEligible => 1,
        Verdict::Undetermined => 2,
    }
}

impl Tally {
    pub fn new(roles: usize) -> Tally {
        Tally {
            roles: vec![RoleTally::default(); roles],
            ..Tally::default()
        }
    }

    pub fn unreadable(&mut self, what: &Unreadable) {
        self.unreadable += 1;
        if self.first_unreadable.is_none() {
            self.first_unreadable = Some(what.clone());
        }
    }

    /// Counts one applicant's outcome for the role at `index`; with
    /// `detailed`, also its blocking conditions and closeness (the outcome
    /// must then be explained).
    pub fn outcome(
        &mut self,
        index: usize,
        outcome: &RoleOutcome<'_>,
        words: Words<'_>,
        profile: &str,
        order: (u64, u32),
        detailed: bool,
    ) {
        let Some(tally) = self.roles.get_mut(index) else {
            return;
        };
        tally.counts[verdict_index(outcome.verdict)] += 1;
        if !detailed || outcome.verdict == Verdict::Eligible {
            return;
        }
        // Conditions written twice (the same degree in two routes) read
        // the same and count as one requirement.
        let mut seen: Vec<String> = Vec::with_capacity(outcome.unmet.len());
        for unmet in &outcome.unmet {
            let sentence = tally
                .sentences
                .entry(block_key(unmet))
                .or_insert_with(|| requirement_sentence(words, unmet));
            if seen.contains(sentence) {
                continue;
            }
            match tally.blocking.get_mut(sentence.as_str()) {
                Some(blocking) => blocking.applicants += 1,
                None => {
                    tally.blocking.insert(
                        sentence.clone(),
                        Blocking {
                            kind: unmet.kind,
                            applicants: 1,
                            sentence: sentence.clone(),
                        },
                    );
                }
            }
            seen.push(sentence.clone());
        }
        if let Some((gap, score)) = close_gap(outcome) {
            tally.close_total += 1;
            tally.offer(Close {
                order,
                profile: profile.to_string(),
                gap: message(words, gap),
                requirement: requirement_sentence(words, gap),
                route: gap.route.map(str::to_string),
                short: gap
                    .quantity
                    .map(|quantity| (quantity.needed - quantity.shown_have(), quantity.unit)),
                score,
            });
        }
    }

    /// Adds a later batch's tally (in input order, so "first" stays first).
    /// Counts a row's projection (`screen --project`).
    pub fn projected(
        &mut self,
        index: usize,
        projected: super::Projected,
        as_of: crate::date::Date,
    ) {
        let Some(tally) = self.roles.get_mut(index) else {
            return;
        };
        tally.projected = true;
        if let Some(on) = projected.eligible_on {
            for (count, months) in tally.qualify_within.iter_mut().zip(WITHIN_MONTHS) {
                if on <= as_of.months_after(months) {
                    *count += 1;
                }
            }
        }
        if projected
            .stops_on
            .is_some_and(|on| on <= as_of.add_days(LAPSE_DAYS))
        {
            tally.lapse_soon += 1;
        }
    }

    pub fn merge(&mut self, other: Tally) {
        self.records += other.records;
        self.unreadable += other.unreadable;
        if self.first_unreadable.is_none() {
            self.first_unreadable = other.first_unreadable;
        }
        if self.roles.len() < other.roles.len() {
            self.roles
                .resize_with(other.roles.len(), RoleTally::default);
        }
        for (mine, theirs) in self.roles.iter_mut().zip(other.roles) {
            for (a, b) in mine.counts.iter_mut().zip(theirs.counts) {
                *a += b;
            }
            mine.sentences.extend(theirs.sentences);
            for (key, blocking) in theirs.blocking {
                mine.blocking
                    .entry(key)
                    .and_modify(|b| b.applicants += blocking.applicants)
                    .or_insert(blocking);
            }
            mine.close_total += theirs.close_total;
            mine.projected |= theirs.projected;
            mine.lapse_soon += theirs.lapse_soon;
            for (a, b) in mine.qualify_within.iter_mut().zip(theirs.qualify_within) {
                *a += b;
            }
            for close in theirs.close {
                mine.offer(close);
            }
        }
    }

    /// Whether every row so far is eligible (no bad record either).
    pub fn all_eligible(&self) -> bool {
        self.unreadable == 0
            && self
                .roles
                .iter()
                .all(|role| role.counts[1] == 0 && role.counts[2] == 0)
    }
}

impl RoleTally {
    /// Keeps `close` if it is among the [`CLOSE_LISTED`] closest.
    fn offer(&mut self, close: Close) {
        let key = |c: &Close| (c.score, c.order);
        let at = self.close.partition_point(|kept| {
            key(kept).partial_cmp(&key(&close)) == Some(std::cmp::Ordering::Less)
        });
        if at < CLOSE_LISTED {
            self.close.insert(at, close);
            self.close.truncate(CLOSE_LISTED);
        }
    }

    /// Blocking conditions, most applicants first, ties by sentence.
    pub fn top_blocking(&self) -> Vec<&Blocking> {
        let mut list: Vec<&Blocking> = self.blocking.values().collect();
        list.sort_by(|a, b| {
            b.applicants
                .cmp(&a.applicants)
                .then_with(|| a.sentence.cmp(&b.sentence))
        });
        list
    }
}

/// Marks a group of applicants whose profile lacks the fact a condition needs.
pub const NOT_STATED: &str = " (not stated in the profile)";

/// The single small gap that keeps an applicant from a role, if there is one
/// (see the module docs), with its score.
pub fn close_gap<'o, 'r>(outcome: &'o RoleOutcome<'r>) -> Option<(&'o Unmet<'r>, f64)> {
    if outcome.verdict != Verdict::NotEligible {
        return None;
    }
    if outcome.routes.is_empty() {
        return match outcome.unmet.as_slice() {
            [only] => small(only).map(|score| (only, score)),
            _ => None,
        };
    }
    let closest: &[Unmet<'_>] = outcome
        .closest
        .and_then(|index| outcome.routes.get(index))
        .map_or(&[], |route| route.unmet.as_slice());
    let same = |a: &Unmet<'_>, b: &Unmet<'_>| {
        std::ptr::eq(a.requirement, b.requirement) && a.measure == b.measure
    };
    let outside: Vec<&Unmet<'_>> = outcome
        .unmet
        .iter()
        .filter(|u| !closest.iter().any(|c| same(c, u)))
        .collect();
    let mut best: Option<(&Unmet<'_>, f64)> = None;
    for route in &outcome.routes {
        // An eligible route leaves only the conditions outside the routes.
        let own: &[Unmet<'_>] = match route.verdict {
            Verdict::Eligible => &[],
            Verdict::NotEligible => &route.unmet,
            Verdict::Undetermined => continue,
        };
        let only = match (outside.as_slice(), own) {
            ([only], []) => *only,
            ([], [only]) => only,
            _ => continue,
        };
        if let Some(score) = small(only)
            && best.is_none_or(|(_, best_score)| score < best_score)
        {
            best = Some((only, score));
        }
    }
    best
}

/// How small a gap is, as a share of the "close" limit; `None` when not small.
fn small(unmet: &Unmet<'_>) -> Option<f64> {
    let shortfall = |limit: f64| -> Option<f64> {
        let (needed, have) = (unmet.needed()?, unmet.have()?);
        let short = needed - have;
        (short > 0.0 && short <= limit + 1e-9).then_some(short / limit)
    };
    match (unmet.kind, unmet.quantity.map(|q| q.unit)) {
        (UnmetKind::Experience, Some(Unit::Months)) => shortfall(CLOSE_MONTHS),
        (UnmetKind::Coursework, Some(Unit::SemesterHours)) => shortfall(CLOSE_SEMESTER_HOURS),
        (UnmetKind::Certification | UnmetKind::License, _) => Some(1.0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::test_support::{
        cert, d, experience_req, profile, rules_with_vocabulary, single_condition,
    };
    use crate::eval::{Context, evaluate_role};
    use crate::render::Voice;
    use crate::ruleset::{ExperienceRule, ExperienceUnit, Requirement};
    use serde_json::json;

    fn gap<'r>(
        requirement: &'r Requirement,
        kind: UnmetKind,
        quantity: Option<(f64, f64, Unit)>,
    ) -> Unmet<'r> {
        let gap = Unmet::new(kind, Verdict::NotEligible, requirement, 0);
        match quantity {
            Some((needed, have, unit)) => gap.quantity(needed, have, unit),
            None => gap,
        }
    }

    fn outcome(unmet: Vec<Unmet<'_>>) -> RoleOutcome<'_> {
        RoleOutcome {
            role: crate::ruleset::RoleId::from_index(0),
            verdict: Verdict::NotEligible,
            unmet,
            evidence: Vec::new(),
            routes: Vec::new(),
            closest: None,
            route: None,
            distance: 1.0,
            projection: None,
        }
    }

    #[test]
    fn small_gaps_are_close_and_big_ones_are_not() {
        let requirement = cert("ASCP", "MLT");
        let other = cert("AMT", "MT");
        let months = |have| {
            outcome(vec![gap(
                &requirement,
                UnmetKind::Experience,
                Some((24.0, have, Unit::Months)),
            )])
        };
        assert_eq!(close_gap(&months(18.0)).map(|c| c.1), Some(1.0));
        assert_eq!(close_gap(&months(21.0)).map(|c| c.1), Some(0.5));
        assert!(close_gap(&months(17.9)).is_none());
        let licence = outcome(vec![gap(&requirement, UnmetKind::License, None)]);
        assert!(close_gap(&licence).is_some());
        let two = outcome(vec![
            gap(&requirement, UnmetKind::License, None),
            gap(&other, UnmetKind::Certification, None),
        ]);
        assert!(close_gap(&two).is_none());
        let degree = outcome(vec![gap(&requirement, UnmetKind::Degree, None)]);
        assert!(close_gap(&degree).is_none());
    }

    #[test]
    fn the_closest_are_kept_in_order() {
        let mut tally = RoleTally::default();
        for i in 0..(CLOSE_LISTED as u32 + 10) {
            tally.offer(Close {
                order: (0, i),
                profile: format!("p{i}"),
                gap: String::new(),
                requirement: String::new(),
                route: None,
                short: None,
                score: if i % 2 == 0 { 1.0 } else { 0.5 },
            });
        }
        assert_eq!(tally.close.len(), CLOSE_LISTED);
        assert_eq!(tally.close[0].profile, "p1");
        assert_eq!(tally.close[1].profile, "p3");
        assert!(
            tally
                .close
                .windows(2)
                .all(|w| (w[0].score, w[0].order) < (w[1].score, w[1].order))
        );
    }

    #[test]
    fn blockers_group_by_what_they_need_not_by_their_wording() {
        let _vocabulary = rules_with_vocabulary();
        let rules = single_condition(experience_req(ExperienceRule {
            amount: 24.0,
            unit: ExperienceUnit::Months,
            fulltime_hours_per_week: 35.0,
            areas: None,
            each_area: false,
            settings: None,
            jobs: None,
            states: None,
            licensed: false,
            tags: None,
            within_years: None,
            after: None,
        }));
        let ctx = Context::new(d("2026-01-01"));
        let mut tally = Tally::new(1);
        let mut messages = Vec::new();
        for (index, start) in ["2025-01-01", "2024-06-01"].into_iter().enumerate() {
            let applicant = profile(json!({
                "experience": [{ "start": start, "hours_per_week": 40 }]
            }));
            let outcome = evaluate_role(
                &rules,
                crate::ruleset::RoleId::from_index(0),
                &applicant,
                &ctx,
            );
            let words = Words::new(&rules, &applicant, Voice::Applicant);
            messages.push(message(words, &outcome.unmet[0]));
            tally.outcome(0, &outcome, words, "p", (0, index as u32), true);
        }
        // The two messages differ in the applicant's months…
        assert_ne!(messages[0], messages[1]);
        assert!(messages.iter().all(|m| !m.contains("you")), "{messages:?}");
        // …and count as one requirement.
        let blocking = tally.roles[0].top_blocking();
        assert_eq!(blocking.len(), 1);
        assert_eq!(blocking[0].applicants, 2);
        assert_eq!(
            blocking[0].sentence,
            "needs 24 months of full-time experience"
        );
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
