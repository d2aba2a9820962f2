//! `eligo plan`: a plan toward a goal role in words (text) and as data
//! (JSON), in the candidate's voice.

use super::json::{Number, UnmetEntry, unmet_entry};
use super::{Words, message};
use crate::date::Date;
use crate::eval::{Plan, PlanOption, Step, top_level_routes};
use crate::ruleset::{RoleId, RuleSet};
use serde::Serialize;
use std::fmt::Write as _;

/// `route 2`, or `None` for a role without routes.
fn route_name(rules: &RuleSet, role: RoleId, route: Option<usize>) -> Option<String> {
    let definition = rules.get(role)?;
    let (_, alternatives) = top_level_routes(&definition.requirement)?;
    let alternative = alternatives.get(route?)?;
    Some(match &alternative.route {
        Some(named) => named.name.clone(),
        None => super::describe(rules, &alternative.requirement),
    })
}

fn role_name(rules: &RuleSet, role: RoleId) -> String {
    rules.get(role).map_or_else(
        || format!("role number {role}"),
        |r| format!("{} ({})", r.title, r.id),
    )
}

/// The plan as text a candidate reads top to bottom.
pub fn text(words: Words<'_>, profile: &str, as_of: Date, plan: &Plan<'_>) -> String {
    let rules = words.rules;
    let mut out = format!(
        "Plan for {}: {profile}, as of {as_of}\n",
        role_name(rules, plan.goal)
    );
    if plan.met {
        out.push_str("  You already qualify: nothing to plan.\n");
        return out;
    }
    if plan.options.is_empty() {
        out.push_str("  No route of this role is open on this date.\n");
        return out;
    }
    out.push_str(
        "  Dates assume nothing changes but time: your current jobs continue at their hours, nothing new is earned.\n",
    );
    for (index, option) in plan.options.iter().enumerate() {
        let mut header = format!("\n  Option {}", index + 1);
        if let Some(route) = route_name(rules, plan.goal, option.route) {
            let _ = write!(header, ", route {route}");
        }
        match option.by_time_on {
            Some(on) => {
                let _ = write!(header, ": by time alone on {on}");
            }
            None if option.steps.is_empty() => {}
            None => header.push_str(": needs action"),
        }
        let _ = writeln!(out, "{header}");
        steps_text(words, &option.steps, 2, &mut out);
    }
    out
}

fn steps_text(words: Words<'_>, steps: &[Step<'_>], depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    for (index, step) in steps.iter().enumerate() {
        match step {
            Step::Needs(gap) => {
                let _ = writeln!(out, "{pad}{}. {}", index + 1, message(words, gap));
            }
            Step::Role {
                role,
                ready,
                route,
                by_time_on,
                steps,
            } => {
                let mut line = format!("{pad}{}. {}", index + 1, role_name(words.rules, *role));
                if let Some(route) = route_name(words.rules, *role, *route) {
                    let _ = write!(line, ", route {route}");
                }
                if *ready {
                    line.push_str(": you qualify now");
                } else if let Some(on) = by_time_on {
                    let _ = write!(line, ": by time alone on {on}");
                } else {
                    line.push_str(": first");
                }
                let _ = writeln!(out, "{line}");
                steps_text(words, steps, depth + 2, out);
            }
        }
    }
}

#[derive(Serialize)]
struct PlanReport<'a> {
    version: u32,
    rules: super::json::RulesInfo<'a>,
    profile: &'a str,
    as_of: Date,
    goal: &'a str,
    met: bool,
    options: Vec<OptionReport<'a>>,
}

#[derive(Serialize)]
struct OptionReport<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    route: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    by_time_on: Option<Date>,
    distance: Number,
    steps: Vec<StepReport<'a>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum StepReport<'a> {
    Role {
        role: &'a str,
        ready: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        route: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        by_time_on: Option<Date>,
        steps: Vec<StepReport<'a>>,
    },
    Needs {
        needs: UnmetEntry<'a>,
    },
}

/// The plan as one JSON document.
pub fn json(words: Words<'_>, profile: &str, as_of: Date, plan: &Plan<'_>) -> String {
    let rules = words.rules;
    let report = PlanReport {
        version: 1,
        rules: super::json::RulesInfo::of(rules),
        profile,
        as_of,
        goal: rules.get(plan.goal).map_or("", |r| r.id.as_str()),
        met: plan.met,
        options: plan
            .options
            .iter()
            .map(|option: &PlanOption<'_>| OptionReport {
                route: route_name(rules, plan.goal, option.route),
                by_time_on: option.by_time_on,
                distance: Number(option.distance),
                steps: step_reports(words, &option.steps),
            })
            .collect(),
    };
    // These types always serialize.
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}

fn step_reports<'a>(words: Words<'a>, steps: &'a [Step<'a>]) -> Vec<StepReport<'a>> {
    steps
        .iter()
        .map(|step| match step {
            Step::Needs(gap) => StepReport::Needs {
                needs: unmet_entry(words, gap),
            },
            Step::Role {
                role,
                ready,
                route,
                by_time_on,
                steps,
            } => StepReport::Role {
                role: words.rules.get(*role).map_or("", |r| r.id.as_str()),
                ready: *ready,
                route: route_name(words.rules, *role, *route),
                by_time_on: *by_time_on,
                steps: step_reports(words, steps),
            },
        })
        .collect()
}
