//! The candidate's report for `eligo check`: per profile a header, then the
//! roles the candidate is eligible for, then the others from the closest to
//! the furthest, each with what is missing and where to read about it.
//! Colour (ANSI SGR) only when the caller says so; nothing is printed here.

use crate::date::Date;
use crate::eval::{ProfileOutcome, RoleOutcome, Verdict, top_level_routes};
use crate::ruleset::RuleSet;
use std::fmt::Write;

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const RESET: &str = "\x1b[0m";

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
pub fn render(rules: &RuleSet, as_of: Date, profiles: &[ProfileOutcome], color: bool) -> String {
    let style = Style { color };
    let mut out = String::new();
    for (index, profile) in profiles.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        render_profile(&mut out, rules, as_of, profile, &style);
    }
    out
}

fn render_profile(
    out: &mut String,
    rules: &RuleSet,
    as_of: Date,
    profile: &ProfileOutcome,
    style: &Style,
) {
    let state = match &profile.state {
        Some(state) => format!("state {state}"),
        None => "no state given".to_string(),
    };
    let header = format!("{} ({state}), as of {as_of}", profile.profile);
    let _ = writeln!(out, "{}", style.paint(BOLD, &header));
    if profile.roles.is_empty() {
        let _ = writeln!(out, "  no roles evaluated");
        return;
    }
    let mut order: Vec<&RoleOutcome> = profile.roles.iter().collect();
    // Eligible first, then by fewest unmet; otherwise in the order given.
    order.sort_by_key(|role| (role.verdict != Verdict::Eligible, role.unmet.len()));
    for role in order {
        render_role(out, rules, as_of, role, style);
    }
}

fn render_role(
    out: &mut String,
    rules: &RuleSet,
    as_of: Date,
    outcome: &RoleOutcome,
    style: &Style,
) {
    let definition = rules.roles.get(outcome.role);
    let name = match definition {
        Some(role) => format!("{} ({})", role.title, role.id),
        None => format!("role number {}", outcome.role),
    };
    let mark = match outcome.verdict {
        Verdict::Eligible => style.paint(GREEN, "✓"),
        Verdict::NotEligible => style.paint(RED, "✗"),
        Verdict::Undetermined => style.paint(YELLOW, "?"),
    };
    let _ = writeln!(out, "  {mark} {name}");
    if outcome.verdict == Verdict::Eligible {
        return;
    }
    let closest = outcome.closest.and_then(|index| outcome.routes.get(index));
    let alternatives = definition
        .and_then(|role| top_level_routes(&role.requirement))
        .map(|(_, alternatives)| alternatives);
    // The closest alternative's route, when it is a named route.
    let closest_route = outcome
        .closest
        .and_then(|index| alternatives?.get(index)?.route.as_ref());
    // What the whole role needs comes first; then the closest route's own gaps.
    let label = match (closest, closest_route) {
        (Some(route), Some(_)) => Some(format!("route {}", route.route)),
        (Some(alternative), None) => Some(alternative.route.clone()),
        _ => None,
    };
    let (in_route, whole_role): (Vec<_>, Vec<_>) = outcome
        .unmet
        .iter()
        .partition(|unmet| label.is_some() && unmet.route.is_some());
    for unmet in &whole_role {
        let _ = writeln!(out, "      - {}", unmet.message);
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
                let _ = writeln!(out, "        - {}", unmet.message);
            }
        }
    }
    // The other routes still open on this date, nearest first, each with
    // what it lacks, so a candidate can pick the one that suits them.
    let mut others: Vec<(usize, String, Vec<&str>)> = outcome
        .routes
        .iter()
        .enumerate()
        .filter(|(index, route)| {
            Some(*index) != outcome.closest && route.verdict != Verdict::Eligible
        })
        .filter_map(|(index, route)| {
            let alternative = alternatives.and_then(|alternatives| alternatives.get(index));
            let named = alternative.and_then(|alternative| alternative.route.as_ref());
            if named.is_some_and(|route| !route.validity.in_force(as_of)) {
                return None;
            }
            let label = match named {
                Some(_) => format!("route {}", route.route),
                None => route.route.clone(),
            };
            let lacks = route
                .unmet
                .iter()
                .map(|unmet| unmet.message.as_str())
                .collect();
            Some((route.unmet.len(), label, lacks))
        })
        .collect();
    others.sort_by_key(|(missing, _, _)| *missing);
    // Routes that lack more than this are only counted, not listed.
    const NEAR: usize = 2;
    const SHOWN: usize = 3;
    let near = others
        .iter()
        .filter(|(missing, _, _)| *missing <= NEAR)
        .count()
        .min(SHOWN);
    let id = definition.map_or("ROLE", |role| role.id.as_str());
    if near > 0 {
        let _ = writeln!(out, "      other routes:");
        for (missing, label, lacks) in others.iter().take(near) {
            let _ = writeln!(out, "        {label} ({}):", things_missing(*missing));
            for lack in lacks {
                let _ = writeln!(out, "          - {lack}");
            }
        }
        if others.len() > near {
            let more = others.len() - near;
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
    // The closest route's own source when it has one, else the role's.
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

fn things_missing(count: usize) -> String {
    if count == 1 {
        "1 thing missing".to_string()
    } else {
        format!("{count} things missing")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{Context, evaluate_profile};
    use crate::profile::Profile;
    use crate::ruleset::{
        Alternative, CertificationRule, CredentialName, Requirement, RequirementKind, Role, Route,
        Source, Validity,
    };
    use crate::source::Span;

    fn req(node: u32, kind: RequirementKind) -> Requirement {
        Requirement {
            kind,
            span: Span::default(),
            node,
        }
    }

    fn cert(node: u32, issuer: &str, name: &str) -> Requirement {
        req(
            node,
            RequirementKind::Certification(CertificationRule {
                options: vec![CredentialName {
                    issuer: issuer.into(),
                    name: name.into(),
                }],
                see: None,
            }),
        )
    }

    fn role(id: &str, title: &str, body: Requirement) -> Role {
        Role {
            id: id.into(),
            title: title.into(),
            description: None,
            notes: Vec::new(),
            sources: vec![Source {
                reference: format!("https://example.org/{id}"),
                trust: None,
                title: None,
            }],
            validity: Validity::default(),
            requirement: body,
            file: 0,
            span: Span::default(),
        }
    }

    fn route(name: &str, source: Option<&str>, requirement: Requirement) -> Alternative {
        Alternative {
            route: Some(Route {
                name: name.into(),
                validity: Validity::default(),
                description: None,
                notes: Vec::new(),
                sources: source
                    .map(|reference| Source {
                        reference: reference.into(),
                        trust: None,
                        title: None,
                    })
                    .into_iter()
                    .collect(),
            }),
            requirement,
        }
    }

    fn rules() -> RuleSet {
        let a = role(
            "a-far",
            "Far role",
            req(
                1,
                RequirementKind::All(vec![cert(2, "X", "A"), cert(3, "X", "B")]),
            ),
        );
        let b = role(
            "b-ok",
            "Fine role",
            req(4, RequirementKind::All(vec![cert(5, "ASCP", "MLT")])),
        );
        let routes = req(
            7,
            RequirementKind::Any(vec![
                route(
                    "1",
                    None,
                    req(
                        8,
                        RequirementKind::All(vec![cert(9, "X", "C"), cert(10, "X", "D")]),
                    ),
                ),
                route("2", Some("https://example.org/route-2"), cert(11, "X", "E")),
            ]),
        );
        let c = role(
            "c-near",
            "Near role",
            req(6, RequirementKind::All(vec![routes])),
        );
        let d = role(
            "d-state",
            "State role",
            req(
                12,
                RequirementKind::All(vec![req(13, RequirementKind::StateIn(vec!["CA".into()]))]),
            ),
        );
        RuleSet {
            roles: vec![a, b, c, d],
            ..RuleSet::default()
        }
    }

    #[test]
    fn eligible_first_then_closest_with_sources() {
        let rules = rules();
        let profile: Profile =
            serde_json::from_str(r#"{ "certifications": [{ "issuer": "ASCP", "name": "MLT" }] }"#)
                .unwrap();
        let as_of = Date::parse("2026-11-21").unwrap();
        let ctx = Context::new(as_of);
        let outcome = evaluate_profile(&rules, &[0, 1, 2, 3], "ana", &profile, &ctx);
        let text = render(&rules, as_of, &[outcome.clone(), outcome], false);
        let one = "\
ana (no state given), as of 2026-11-21
  ✓ Fine role (b-ok)
  ✗ Near role (c-near)
      closest: route 2 (1 thing missing):
        - needs X E certification
      other routes:
        route 1 (2 things missing):
          - needs X C certification
          - needs X D certification
      read: https://example.org/route-2
  ? State role (d-state)
      - depends on the state where you intend to work; your profile has no `state`; add it or pass `--state`
      read: https://example.org/d-state
  ✗ Far role (a-far)
      - needs X A certification
      - needs X B certification
      read: https://example.org/a-far
";
        assert_eq!(text, format!("{one}\n{one}"));
        assert!(!text.contains('\x1b'));
    }

    #[test]
    fn colour_only_when_asked() {
        let rules = rules();
        let profile = Profile::default();
        let as_of = Date::parse("2026-11-21").unwrap();
        let outcome = evaluate_profile(
            &rules,
            &[1],
            "p",
            &profile,
            &Context::new(as_of).with_state(Some("CA".into())),
        );
        let text = render(&rules, as_of, &[outcome], true);
        assert!(text.starts_with("\x1b[1mp (state CA), as of 2026-11-21\x1b[0m\n"));
        assert!(text.contains("\x1b[31m✗\x1b[0m Fine role (b-ok)"));
    }
}
