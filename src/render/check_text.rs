//! The candidate's report for `eligo check`, in the candidate's voice: per
//! profile a header, then the roles the candidate is eligible for with the
//! route and the records that make them so, then the others from the
//! nearest to the furthest.
//!
//! Two layouts. The overview (every role, the default without `--role`)
//! gives one line per role and its main gap, and ends with how to see one
//! role in full. The full layout (named roles, or `--detail`) gives every
//! gap of the whole role and of the closest route, the other routes still
//! near, and where to read about the role.
//! Colour (ANSI SGR) only when the caller says so; nothing is printed here.

use super::{Voice, Words, describe, evidence, message, terminal_safe};
use crate::date::Date;
use crate::eval::{
    ProfileOutcome, Projection, RoleOutcome, RouteOutcome, Verdict, top_level_routes,
};
use crate::profile::Profile;
use crate::ruleset::{Role, RuleSet};
use std::fmt::Write;

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const RESET: &str = "\x1b[0m";

/// How much of each role to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Every gap of every role (otherwise one line per role).
    pub full: bool,
    /// Every condition met with its records (otherwise one line).
    pub evidence: bool,
    pub color: bool,
}

/// One profile with its outcome.
#[derive(Clone, Copy)]
pub struct Checked<'a> {
    pub profile: &'a Profile,
    pub outcome: &'a ProfileOutcome<'a>,
    /// Judged on verified records only (`--require-verified`).
    pub verified_only: bool,
}

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    }
}

/// The report for every profile, blank-line separated.
pub fn render(rules: &RuleSet, as_of: Date, checked: &[Checked<'_>], layout: Layout) -> String {
    let style = Style {
        color: layout.color,
    };
    let mut out = String::new();
    for (index, one) in checked.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let words =
            Words::new(rules, one.profile, Voice::Candidate).verified_only(one.verified_only);
        render_profile(&mut out, words, as_of, one.outcome, layout, &style);
    }
    out
}

fn render_profile(
    out: &mut String,
    words: Words<'_>,
    as_of: Date,
    profile: &ProfileOutcome<'_>,
    layout: Layout,
    style: &Style,
) {
    let state = match &profile.state {
        Some(state) => format!("state {state}"),
        None => "no state given".to_string(),
    };
    let header = format!("{} ({state}), as of {as_of}", profile.profile);
    let _ = writeln!(out, "{}", style.paint(BOLD, &terminal_safe(&header)));
    if profile.roles.is_empty() {
        let _ = writeln!(out, "  no roles evaluated");
        return;
    }
    let mut order: Vec<&RoleOutcome<'_>> = profile.roles.iter().collect();
    // Eligible first, then the nearest to being met; otherwise as given.
    order.sort_by_key(|role| {
        (
            role.verdict != Verdict::Eligible,
            crate::eval::distance_key(role.distance),
        )
    });
    for role in &order {
        if layout.full {
            render_role(out, words, as_of, role, layout, style);
        } else {
            render_role_line(out, words, as_of, role, layout, style);
        }
    }
    if !layout.full {
        let eligible = order
            .iter()
            .filter(|role| role.verdict == Verdict::Eligible)
            .count();
        let _ = writeln!(
            out,
            "  {}",
            style.paint(
                DIM,
                &format!(
                    "{eligible} of {} roles met; `--role ID` shows one role in full, `--detail` every role",
                    order.len()
                )
            )
        );
    }
}

fn mark(verdict: Verdict, style: &Style) -> String {
    match verdict {
        Verdict::Eligible => style.paint(GREEN, "✓"),
        Verdict::NotEligible => style.paint(RED, "✗"),
        Verdict::Undetermined => style.paint(YELLOW, "?"),
    }
}

fn role_name(definition: Option<&Role>, outcome: &RoleOutcome<'_>) -> String {
    match definition {
        Some(role) => format!("{} ({})", role.title, role.id),
        None => format!("role number {}", outcome.role),
    }
}

/// `route 2`, or what a plain alternative among the routes asks for.
fn route_label(rules: &RuleSet, definition: Option<&Role>, index: usize) -> Option<String> {
    let (_, alternatives) = top_level_routes(&definition?.requirement)?;
    let alternative = alternatives.get(index)?;
    Some(match &alternative.route {
        Some(route) => format!("route {}", route.name),
        None => describe(rules, &alternative.requirement),
    })
}

/// The route met and the evidence, under an eligible role.
fn render_evidence(
    out: &mut String,
    words: Words<'_>,
    outcome: &RoleOutcome<'_>,
    layout: Layout,
    indent: &str,
) {
    if layout.evidence {
        for line in evidence::lines(words, &outcome.evidence) {
            let _ = writeln!(out, "{indent}- {}", terminal_safe(&line));
        }
    } else {
        let line = evidence::one_line(words, &outcome.evidence);
        if !line.is_empty() {
            let _ = writeln!(out, "{indent}with {}", terminal_safe(&line));
        }
    }
}

/// A role met: the route that qualifies, then its evidence.
fn render_met_role(
    out: &mut String,
    words: Words<'_>,
    as_of: Date,
    outcome: &RoleOutcome<'_>,
    layout: Layout,
    style: &Style,
) {
    let definition = words.rules.get(outcome.role);
    let name = role_name(definition, outcome);
    let mark = mark(outcome.verdict, style);
    let route = outcome
        .route
        .and_then(|index| route_label(words.rules, definition, index));
    let until = match outcome.projection.as_deref() {
        Some(Projection::LapsesOn { on, .. }) if !layout.full => {
            format!(" (until {})", on.add_days(-1))
        }
        _ => String::new(),
    };
    match route {
        Some(route) => {
            let _ = writeln!(out, "  {mark} {name}, by {route}{until}");
        }
        None => {
            let _ = writeln!(out, "  {mark} {name}{until}");
        }
    }
    render_evidence(out, words, outcome, layout, "      ");
    if layout.full
        && let Some(line) = projection_line(words, as_of, outcome)
    {
        let _ = writeln!(out, "      {}", terminal_safe(&line));
    }
}

/// What time alone does, in a line: "by time alone: eligible on 2027-12-14,
/// by route 2", "qualifies until 2027-01-31 if nothing changes; then needs …".
fn projection_line(words: Words<'_>, as_of: Date, outcome: &RoleOutcome<'_>) -> Option<String> {
    match outcome.projection.as_deref()? {
        Projection::MetFrom {
            on,
            outcome: then,
            sooner_full_time,
        } => {
            let definition = words.rules.get(then.role);
            let mut line = match then
                .route
                .and_then(|index| route_label(words.rules, definition, index))
            {
                Some(route) => format!("by time alone: eligible on {on}, by {route}"),
                None => format!("by time alone: eligible on {on}"),
            };
            if let Some(sooner) = sooner_full_time {
                line.push_str(&format!(
                    "; on {sooner} if your part-time work becomes full time (40 h/week)"
                ));
            }
            Some(line)
        }
        Projection::LapsesOn { on, outcome: then } => {
            let last = on.add_days(-1);
            Some(match then.unmet.first() {
                Some(gap) => format!(
                    "qualifies until {last} if nothing changes; then {}",
                    message(words, gap)
                ),
                None => format!("qualifies until {last} if nothing changes"),
            })
        }
        Projection::Unchanged { until } if outcome.verdict != Verdict::Eligible => {
            let years = until.year() - as_of.year();
            let years = if years == 1 {
                "1 year".to_string()
            } else {
                format!("{years} years")
            };
            Some(format!(
                "time alone does not get there within {years} (by {until})"
            ))
        }
        Projection::Unchanged { .. } => None,
        Projection::TooManyRecords => {
            Some("not projected in time: the profile holds too many dated records".to_string())
        }
    }
}

/// The overview: one line per role.
fn render_role_line(
    out: &mut String,
    words: Words<'_>,
    as_of: Date,
    outcome: &RoleOutcome<'_>,
    layout: Layout,
    style: &Style,
) {
    let definition = words.rules.get(outcome.role);
    if outcome.verdict == Verdict::Eligible {
        render_met_role(out, words, as_of, outcome, layout, style);
        return;
    }
    let name = role_name(definition, outcome);
    let mark = mark(outcome.verdict, style);
    // The main gap: the one that decides most, the furthest from met.
    let main = outcome
        .unmet
        .iter()
        .max_by_key(|gap| crate::eval::distance_key(gap.distance));
    let more = outcome.unmet.len().saturating_sub(1);
    let tail = if more > 0 {
        format!(" (+{more} more)")
    } else {
        String::new()
    };
    let later = match outcome.projection.as_deref() {
        Some(Projection::MetFrom { on, .. }) => format!("; by time alone on {on}"),
        _ => String::new(),
    };
    match main {
        Some(gap) => {
            let _ = writeln!(
                out,
                "  {mark} {name}: {}{tail}{later}",
                terminal_safe(&message(words, gap))
            );
        }
        None => {
            let _ = writeln!(out, "  {mark} {name}");
        }
    }
}

/// The full layout of one role.
fn render_role(
    out: &mut String,
    words: Words<'_>,
    as_of: Date,
    outcome: &RoleOutcome<'_>,
    layout: Layout,
    style: &Style,
) {
    let rules = words.rules;
    let definition = rules.get(outcome.role);
    if outcome.verdict == Verdict::Eligible {
        render_met_role(out, words, as_of, outcome, layout, style);
        return;
    }
    let name = role_name(definition, outcome);
    let mark = mark(outcome.verdict, style);
    let _ = writeln!(out, "  {mark} {name}");
    let alternatives = definition
        .and_then(|role| top_level_routes(&role.requirement))
        .map(|(_, alternatives)| alternatives);
    let closest_route = outcome
        .closest
        .and_then(|index| alternatives?.get(index)?.route.as_ref());
    // What the whole role needs comes first; then the closest route's own gaps.
    let label = outcome
        .closest
        .and_then(|index| route_label(rules, definition, index));
    let (in_route, whole_role): (Vec<_>, Vec<_>) = outcome
        .unmet
        .iter()
        .partition(|unmet| label.is_some() && unmet.route.is_some());
    for unmet in &whole_role {
        let _ = writeln!(out, "      - {}", terminal_safe(&message(words, unmet)));
    }
    if let Some(label) = &label {
        if in_route.is_empty() {
            let _ = writeln!(out, "      closest: {label}");
        } else {
            let _ = writeln!(
                out,
                "      closest: {label} ({}):",
                things_missing(in_route.len())
            );
            for unmet in &in_route {
                let _ = writeln!(out, "        - {}", terminal_safe(&message(words, unmet)));
            }
        }
    }
    render_other_routes(out, words, as_of, outcome, definition);
    if let Some(line) = projection_line(words, as_of, outcome) {
        let _ = writeln!(out, "      {}", terminal_safe(&line));
    }
    // The most trusted link, the closest route's before the role's: a link
    // the candidate can open beats a citation to look up.
    let candidates: Vec<&crate::ruleset::Source> = closest_route
        .map(|route| route.sources.iter())
        .into_iter()
        .flatten()
        .chain(
            definition
                .map(|role| role.sources.iter())
                .into_iter()
                .flatten(),
        )
        .collect();
    let rank = |source: &crate::ruleset::Source| {
        let trust = source.trust.map_or(4, |trust| trust as u8);
        (!source.reference.starts_with("http"), trust)
    };
    let source = candidates.iter().copied().min_by_key(|source| rank(source));
    if let Some(source) = source {
        let _ = writeln!(
            out,
            "      {}",
            style.paint(DIM, &format!("read: {}", source.reference))
        );
    }
}

/// The other routes still open on this date, nearest first, each with what
/// it lacks, so a candidate can pick the one that suits them.
fn render_other_routes(
    out: &mut String,
    words: Words<'_>,
    as_of: Date,
    outcome: &RoleOutcome<'_>,
    definition: Option<&Role>,
) {
    let mut others: Vec<(usize, &RouteOutcome<'_>)> = outcome
        .routes
        .iter()
        .enumerate()
        .filter(|(index, route)| {
            Some(*index) != outcome.closest && route.verdict != Verdict::Eligible
        })
        .filter(|(_, route)| {
            route
                .alternative
                .route
                .as_ref()
                .is_none_or(|named| named.validity.in_force(as_of))
        })
        .collect();
    others.sort_by_key(|(index, route)| (crate::eval::distance_key(route.distance), *index));
    // Routes that lack more than this are only counted, not listed.
    const NEAR: usize = 2;
    const SHOWN: usize = 3;
    let shown: Vec<&(usize, &RouteOutcome<'_>)> = others
        .iter()
        .filter(|(_, route)| route.unmet.len() <= NEAR)
        .take(SHOWN)
        .collect();
    let id = definition.map_or("ROLE", |role| role.id.as_str());
    if !shown.is_empty() {
        let _ = writeln!(out, "      other routes:");
        for (index, route) in &shown {
            let label = route_label(words.rules, definition, *index).unwrap_or_default();
            let _ = writeln!(
                out,
                "        {label} ({}):",
                things_missing(route.unmet.len())
            );
            for gap in &route.unmet {
                let _ = writeln!(out, "          - {}", terminal_safe(&message(words, gap)));
            }
        }
        if others.len() > shown.len() {
            let more = others.len() - shown.len();
            let _ = writeln!(
                out,
                "        …and {more} more further away; `eligo explain {id}` describes every route"
            );
        }
    } else if !others.is_empty() {
        let more = others.len();
        let _ = writeln!(
            out,
            "      {more} other route{} further away; `eligo explain {id}` describes every route",
            if more == 1 { " is" } else { "s are" }
        );
    }
}

fn things_missing(count: usize) -> String {
    if count == 1 {
        "1 thing missing".to_string()
    } else {
        format!("{count} things missing")
    }
}
