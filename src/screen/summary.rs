//! The cohort summary of `eligo screen --summary`: per role, how many
//! applicants are eligible, not eligible and undetermined; which conditions
//! block the most applicants; and who is close to qualifying.
//!
//! # Blocking conditions
//! An applicant who is not eligible (or undetermined) has an explanation: the
//! unmet conditions of their closest route plus those outside the routes. Each
//! condition is counted once per applicant under its *requirement sentence*:
//! the message up to its first `; `, which is where the applicant-specific
//! part begins ("needs 24 months of full-time experience in the last 4 years"
//! `; has 14.2`). Two applicants missing the same requirement therefore count
//! together whatever they have; a requirement that depends on the applicant's
//! state reads differently per state ("needs a CA CLS license", "needs a NY
//! CLS license") and is counted per state.
//!
//! # Close to qualifying
//! An applicant who is not eligible is *close* when some route leaves exactly
//! one condition unmet (counting the conditions outside the routes) and that
//! condition is small: at most 6 months of experience short, at most 6
//! semester hours of coursework short, or one certification or licence. They
//! are listed closest first (the shortfall as a share of those limits; a
//! missing credential counts as the full limit), ties in input order.

use super::{Screener, Unreadable};
use crate::eval::{RoleOutcome, Unmet, UnmetKind, Verdict, unit};
use std::collections::HashMap;
use std::fmt::Write as _;

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
    /// Requirement sentence → applicants it blocks (summary only).
    pub blocking: HashMap<String, Blocking>,
    /// The closest applicants so far, at most [`CLOSE_LISTED`], best first.
    pub close: Vec<Close>,
    /// Every close applicant.
    pub close_total: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Blocking {
    pub kind: UnmetKind,
    pub applicants: u64,
}

/// An applicant with one small gap for a role.
#[derive(Clone, Debug, PartialEq)]
pub struct Close {
    /// Input position: (batch, record in batch).
    pub order: (u64, u32),
    pub profile: String,
    /// The unmet condition's message.
    pub gap: String,
    pub route: Option<String>,
    /// How much is missing, for quantities.
    pub short: Option<(f64, &'static str)>,
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
        outcome: &RoleOutcome,
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
        let mut seen: Vec<std::borrow::Cow<str>> = Vec::with_capacity(outcome.unmet.len());
        for unmet in &outcome.unmet {
            let sentence = blocking_key(&unmet.message);
            if seen.contains(&sentence) {
                continue;
            }
            match tally.blocking.get_mut(sentence.as_ref()) {
                Some(blocking) => blocking.applicants += 1,
                None => {
                    tally.blocking.insert(
                        sentence.to_string(),
                        Blocking {
                            kind: unmet.kind,
                            applicants: 1,
                        },
                    );
                }
            }
            seen.push(sentence);
        }
        if let Some((gap, score)) = close_gap(outcome) {
            tally.close_total += 1;
            tally.offer(Close {
                order,
                profile: profile.to_string(),
                gap: gap.message.clone(),
                route: gap.route.clone(),
                short: match (gap.needed, gap.have, gap.unit) {
                    (Some(needed), Some(have), Some(unit)) => Some((needed - have, unit)),
                    _ => None,
                },
                score,
            });
        }
    }

    /// Adds a later batch's tally (in input order, so "first" stays first).
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
            for (sentence, blocking) in theirs.blocking {
                mine.blocking
                    .entry(sentence)
                    .and_modify(|b| b.applicants += blocking.applicants)
                    .or_insert(blocking);
            }
            mine.close_total += theirs.close_total;
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
    pub fn top_blocking(&self) -> Vec<(&str, Blocking)> {
        let mut list: Vec<(&str, Blocking)> = self
            .blocking
            .iter()
            .map(|(s, b)| (s.as_str(), *b))
            .collect();
        list.sort_by(|a, b| b.1.applicants.cmp(&a.1.applicants).then(a.0.cmp(b.0)));
        list
    }
}

/// The part of an unmet message that states the requirement: up to the first
/// `; ` (what follows is about the applicant).
pub fn requirement_sentence(message: &str) -> &str {
    message.split("; ").next().unwrap_or(message)
}

/// Marks a group of applicants whose profile lacks the fact a condition needs.
pub const NOT_STATED: &str = " (not stated in the profile)";

/// How blocking conditions are grouped: the requirement sentence, marked
/// [`NOT_STATED`] when the explanation says the profile lacks the fact (no
/// birth date, no state), so that "needs to be at least 18 years old" does
/// not count applicants whose age is simply unknown as too young.
pub fn blocking_key(message: &str) -> std::borrow::Cow<'_, str> {
    let sentence = requirement_sentence(message);
    let details = &message[sentence.len()..];
    if details.contains(" is unknown") || details.contains(" has no `") {
        std::borrow::Cow::Owned(format!("{sentence}{NOT_STATED}"))
    } else {
        std::borrow::Cow::Borrowed(sentence)
    }
}

/// The single small gap that keeps an applicant from a role, if there is one
/// (see the module docs), with its score.
pub fn close_gap(outcome: &RoleOutcome) -> Option<(&Unmet, f64)> {
    if outcome.verdict != Verdict::NotEligible {
        return None;
    }
    if outcome.routes.is_empty() {
        return match outcome.unmet.as_slice() {
            [only] => small(only).map(|score| (only, score)),
            _ => None,
        };
    }
    let closest: &[Unmet] = outcome
        .closest
        .and_then(|index| outcome.routes.get(index))
        .map_or(&[], |route| route.unmet.as_slice());
    let outside: Vec<&Unmet> = outcome
        .unmet
        .iter()
        .filter(|u| !closest.contains(u))
        .collect();
    let mut best: Option<(&Unmet, f64)> = None;
    for route in &outcome.routes {
        // An eligible route leaves only the conditions outside the routes.
        let own: &[Unmet] = match route.verdict {
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
fn small(unmet: &Unmet) -> Option<f64> {
    let shortfall = |limit: f64| -> Option<f64> {
        let (needed, have) = (unmet.needed?, unmet.have?);
        let short = needed - have;
        (short > 0.0 && short <= limit + 1e-9).then_some(short / limit)
    };
    match (unmet.kind, unmet.unit) {
        (UnmetKind::Experience, Some(unit::MONTHS)) => shortfall(CLOSE_MONTHS),
        (UnmetKind::Coursework, Some(unit::SEMESTER_HOURS)) => shortfall(CLOSE_SEMESTER_HOURS),
        (UnmetKind::Certification | UnmetKind::License, _) => Some(1.0),
        _ => None,
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(number: u64) -> String {
    let digits = number.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn plural(count: u64, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        thousands(count),
        if count == 1 { one } else { many }
    )
}

fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return String::new();
    }
    format!("{:.1}%", part as f64 * 100.0 / whole as f64)
}

/// The summary as a hiring manager reads it.
pub fn render(tally: &Tally, screener: &Screener) -> String {
    let mut out = String::new();
    let readable = tally.records - tally.unreadable;
    let _ = writeln!(out, "Screening summary (as of {})", screener.as_of());
    let _ = write!(
        out,
        "{} screened against {}",
        plural(readable, "applicant", "applicants"),
        plural(screener.roles.len() as u64, "role", "roles")
    );
    if tally.unreadable > 0 {
        let _ = write!(
            out,
            "; {} could not be read (rows with verdict `error`)",
            plural(tally.unreadable, "record", "records")
        );
    }
    out.push_str(".\n");
    for (index, &role) in screener.roles.iter().enumerate() {
        let Some(role_tally) = tally.roles.get(index) else {
            continue;
        };
        let title = screener
            .rules
            .roles
            .get(role)
            .map_or("", |r| r.title.as_str());
        let _ = writeln!(out, "\n{} ({})", title, screener.role_id(role));
        let counts = role_tally.counts;
        let width = counts
            .iter()
            .map(|&c| thousands(c).len())
            .max()
            .unwrap_or(1);
        for (label, count) in [
            ("eligible", counts[0]),
            ("not eligible", counts[1]),
            ("undetermined", counts[2]),
        ] {
            let _ = writeln!(
                out,
                "  {label:<13}{:>width$}  {:>6}",
                thousands(count),
                percent(count, readable)
            );
        }
        let blocking = role_tally.top_blocking();
        if !blocking.is_empty() {
            out.push_str("\n  What keeps the others out (applicants per unmet requirement, closest route):\n");
            let shown = &blocking[..blocking.len().min(BLOCKING_LISTED)];
            let width = shown
                .iter()
                .map(|(_, b)| thousands(b.applicants).len())
                .max()
                .unwrap_or(1);
            for (sentence, b) in shown {
                let _ = writeln!(out, "    {:>width$}  {sentence}", thousands(b.applicants));
            }
            if blocking.len() > shown.len() {
                let rest = blocking.len() - shown.len();
                let _ = writeln!(
                    out,
                    "    {:>width$}  …and {} blocking fewer applicants",
                    "",
                    plural(rest as u64, "other requirement", "other requirements")
                );
            }
        }
        if role_tally.close_total > 0 {
            render_close(&mut out, role_tally);
        } else if counts[1] > 0 {
            out.push_str("\n  Close to qualifying: nobody is a single small step away.\n");
        }
    }
    out
}

/// The close applicants: how many, short of what, and the closest listed.
fn render_close(out: &mut String, tally: &RoleTally) {
    let _ = writeln!(
        out,
        "\n  Close to qualifying: {} a single small step away (at most {CLOSE_MONTHS} months of experience or {CLOSE_SEMESTER_HOURS} semester hours short, or one credential missing)",
        plural(tally.close_total, "applicant is", "applicants are")
    );
    let shown = tally.close.len();
    let heading = if tally.close_total as usize > shown {
        format!("The {shown} closest")
    } else {
        "All of them".to_string()
    };
    let _ = writeln!(out, "  {heading}, closest first:");
    let shortfalls: Vec<String> = tally.close.iter().map(shortfall).collect();
    let id_width = tally
        .close
        .iter()
        .map(|c| console::measure_text_width(&c.profile))
        .max()
        .unwrap_or(0)
        .min(32);
    let short_width = shortfalls.iter().map(|s| s.len()).max().unwrap_or(0);
    for (close, short) in tally.close.iter().zip(&shortfalls) {
        let profile = console::truncate_str(&close.profile, id_width, "…");
        let profile = console::pad_str(&profile, id_width, console::Alignment::Left, None);
        let route = close
            .route
            .as_ref()
            .map(|r| format!(" (route {r})"))
            .unwrap_or_default();
        // The shortfall says what the details of a quantity would; for a
        // credential the details matter ("your ASCP MLT expired on …").
        let gap = if close.short.is_some() {
            requirement_sentence(&close.gap)
        } else {
            close.gap.as_str()
        };
        let _ = writeln!(out, "    {profile}  {short:<short_width$}  {gap}{route}");
    }
}

/// "2.5 months short", "3 semester hours short", "missing".
fn shortfall(close: &Close) -> String {
    match close.short {
        Some((amount, unit)) => {
            let unit = match unit {
                unit::MONTHS => "months",
                unit::SEMESTER_HOURS => "semester hours",
                other => other,
            };
            format!("{} {unit} short", crate::eval::number(amount))
        }
        None => "missing".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn unmet(kind: UnmetKind, message: &str, quantity: Option<(f64, f64, &'static str)>) -> Unmet {
        Unmet {
            kind,
            route: None,
            message: message.to_string(),
            needed: quantity.map(|q| q.0),
            have: quantity.map(|q| q.1),
            unit: quantity.map(|q| q.2),
            span: Span::default(),
            file: 0,
        }
    }

    fn outcome(unmet: Vec<Unmet>) -> RoleOutcome {
        RoleOutcome {
            role: 0,
            verdict: Verdict::NotEligible,
            unmet,
            routes: Vec::new(),
            closest: None,
        }
    }

    #[test]
    fn small_gaps_are_close_and_big_ones_are_not() {
        let months = |have| {
            outcome(vec![unmet(
                UnmetKind::Experience,
                "needs 24 months; has x",
                Some((24.0, have, unit::MONTHS)),
            )])
        };
        assert_eq!(close_gap(&months(18.0)).map(|c| c.1), Some(1.0));
        assert_eq!(close_gap(&months(21.0)).map(|c| c.1), Some(0.5));
        assert!(close_gap(&months(17.9)).is_none());
        let licence = outcome(vec![unmet(
            UnmetKind::License,
            "needs a CA CLS license",
            None,
        )]);
        assert!(close_gap(&licence).is_some());
        let two = outcome(vec![
            unmet(UnmetKind::License, "needs a CA CLS license", None),
            unmet(UnmetKind::Certification, "needs ASCP MLT", None),
        ]);
        assert!(close_gap(&two).is_none());
        let degree = outcome(vec![unmet(
            UnmetKind::Degree,
            "needs a bachelor's degree",
            None,
        )]);
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
    fn numbers_read_well() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(
            requirement_sentence("needs 24 months; has 3; x"),
            "needs 24 months"
        );
    }
}
