//! The wire format of `eligo check --format json` (contract in design.md,
//! "JSON output of check --format json"). Serialize-only types of their own,
//! so a change to the evaluator's types cannot change the output unnoticed.
//! Field order is declaration order; `route` is omitted when there is none,
//! `needed`/`have`/`unit` are present only for quantities, and whole numbers
//! are written without a fraction (`24`, not `24.0`).

use crate::date::Date;
use crate::eval::{ProfileOutcome, RoleOutcome, RouteOutcome, Unmet};
use crate::ruleset::RuleSet;
use serde::{Serialize, Serializer};

/// The whole document.
#[derive(Clone, Debug, Serialize)]
pub struct CheckReport<'a> {
    pub as_of: Date,
    pub profiles: Vec<ProfileReport<'a>>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ProfileReport<'a> {
    pub profile: &'a str,
    /// The state evaluated against; `null` when unknown.
    pub state: Option<&'a str>,
    pub roles: Vec<RoleReport<'a>>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RoleReport<'a> {
    pub role: &'a str,
    pub title: &'a str,
    pub verdict: &'static str,
    pub unmet: Vec<UnmetEntry<'a>>,
    /// Every route of the role's `any` of routes; empty when it has none.
    pub routes: Vec<RouteReport<'a>>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RouteReport<'a> {
    pub route: &'a str,
    pub verdict: &'static str,
    pub unmet: Vec<UnmetEntry<'a>>,
}

/// One unmet condition on the wire; `screen --format jsonl` uses it too.
#[derive(Clone, Debug, Serialize)]
pub struct UnmetEntry<'a> {
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<&'a str>,
    pub message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needed: Option<Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub have: Option<Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<&'static str>,
}

/// A quantity: one decimal at most, whole numbers without a fraction.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Number(pub f64);

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let rounded = (self.0 * 10.0).round() / 10.0;
        if rounded.is_finite() && rounded.fract() == 0.0 && rounded.abs() < 9.0e15 {
            serializer.serialize_i64(rounded as i64)
        } else {
            serializer.serialize_f64(rounded)
        }
    }
}

/// The document for `profiles`, each with the roles evaluated for it.
pub fn check_report<'a>(
    rules: &'a RuleSet,
    as_of: Date,
    profiles: &'a [ProfileOutcome],
) -> CheckReport<'a> {
    CheckReport {
        as_of,
        profiles: profiles
            .iter()
            .map(|profile| ProfileReport {
                profile: &profile.profile,
                state: profile.state.as_deref(),
                roles: profile
                    .roles
                    .iter()
                    .map(|role| role_report(rules, role))
                    .collect(),
            })
            .collect(),
    }
}

/// `check_report` as pretty-printed JSON with a final newline.
pub fn check_json(rules: &RuleSet, as_of: Date, profiles: &[ProfileOutcome]) -> String {
    let report = check_report(rules, as_of, profiles);
    // Serializing these types cannot fail: string keys, no maps, finite or
    // null numbers (serde_json writes non-finite floats as null).
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}

pub fn role_report<'a>(rules: &'a RuleSet, outcome: &'a RoleOutcome) -> RoleReport<'a> {
    let (role, title) = rules
        .roles
        .get(outcome.role)
        .map_or(("", ""), |role| (role.id.as_str(), role.title.as_str()));
    RoleReport {
        role,
        title,
        verdict: outcome.verdict.as_str(),
        unmet: outcome.unmet.iter().map(unmet_entry).collect(),
        routes: outcome.routes.iter().map(route_report).collect(),
    }
}

fn route_report(route: &RouteOutcome) -> RouteReport<'_> {
    RouteReport {
        route: &route.route,
        verdict: route.verdict.as_str(),
        unmet: route.unmet.iter().map(unmet_entry).collect(),
    }
}

pub fn unmet_entry(unmet: &Unmet) -> UnmetEntry<'_> {
    // Quantities travel together or not at all.
    let quantity = match (unmet.needed, unmet.have, unmet.unit) {
        (Some(needed), Some(have), Some(unit)) => Some((Number(needed), Number(have), unit)),
        _ => None,
    };
    UnmetEntry {
        kind: unmet.kind.as_str(),
        route: unmet.route.as_deref(),
        message: &unmet.message,
        needed: quantity.map(|q| q.0),
        have: quantity.map(|q| q.1),
        unit: quantity.map(|q| q.2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{UnmetKind, Verdict};
    use crate::ruleset::{Requirement, RequirementKind, Role, Validity};
    use crate::source::Span;

    fn rules() -> RuleSet {
        let role = Role {
            id: "ascp-mls".into(),
            title: "Medical Laboratory Scientist, MLS(ASCP) certification".into(),
            description: None,
            notes: Vec::new(),
            sources: Vec::new(),
            validity: Validity::default(),
            requirement: Requirement {
                kind: RequirementKind::All(Vec::new()),
                span: Span::default(),
                node: 0,
            },
            file: 0,
            span: Span::default(),
        };
        RuleSet {
            roles: vec![role],
            ..RuleSet::default()
        }
    }

    fn unmet(route: Option<&str>, quantity: bool) -> Unmet {
        Unmet {
            kind: UnmetKind::Experience,
            route: route.map(str::to_string),
            message: "needs 24 months of full-time clinical laboratory experience in the last 4 years; has 14.2"
                .into(),
            needed: quantity.then_some(24.0),
            have: quantity.then_some(14.2),
            unit: quantity.then_some("months"),
            span: Span::default(),
            file: 0,
        }
    }

    #[test]
    fn matches_the_contract_shape_exactly() {
        let outcome = RoleOutcome {
            role: 0,
            verdict: Verdict::NotEligible,
            unmet: vec![unmet(Some("2"), true)],
            routes: vec![
                RouteOutcome {
                    route: "1".into(),
                    verdict: Verdict::NotEligible,
                    unmet: vec![Unmet {
                        kind: UnmetKind::Training,
                        message: "needs a programme".into(),
                        ..unmet(Some("1"), false)
                    }],
                },
                RouteOutcome {
                    route: "2".into(),
                    verdict: Verdict::NotEligible,
                    unmet: vec![unmet(Some("2"), true)],
                },
            ],
            closest: Some(1),
        };
        let profiles = [ProfileOutcome {
            profile: "ana-ruiz".into(),
            state: Some("CA".into()),
            roles: vec![outcome],
        }];
        let rules = rules();
        let text = serde_json::to_string(&check_report(
            &rules,
            Date::parse("2026-11-21").unwrap(),
            &profiles,
        ))
        .unwrap();
        assert_eq!(
            text,
            concat!(
                r#"{"as_of":"2026-11-21","profiles":[{"profile":"ana-ruiz","state":"CA","roles":[{"role":"ascp-mls","#,
                r#""title":"Medical Laboratory Scientist, MLS(ASCP) certification","verdict":"not_eligible","unmet":["#,
                r#"{"kind":"experience","route":"2","message":"needs 24 months of full-time clinical laboratory experience in the last 4 years; has 14.2","needed":24,"have":14.2,"unit":"months"}],"#,
                r#""routes":[{"route":"1","verdict":"not_eligible","unmet":[{"kind":"training","route":"1","message":"needs a programme"}]},"#,
                r#"{"route":"2","verdict":"not_eligible","unmet":[{"kind":"experience","route":"2","message":"needs 24 months of full-time clinical laboratory experience in the last 4 years; has 14.2","needed":24,"have":14.2,"unit":"months"}]}]}]}]}"#
            )
        );
    }

    #[test]
    fn route_is_omitted_and_state_is_null_when_absent() {
        let profiles = [ProfileOutcome {
            profile: "p".into(),
            state: None,
            roles: vec![RoleOutcome {
                role: 0,
                verdict: Verdict::Eligible,
                unmet: Vec::new(),
                routes: Vec::new(),
                closest: None,
            }],
        }];
        let rules = rules();
        let value = serde_json::to_value(check_report(
            &rules,
            Date::parse("2026-11-21").unwrap(),
            &profiles,
        ))
        .unwrap();
        assert_eq!(value["profiles"][0]["state"], serde_json::Value::Null);
        assert_eq!(value["profiles"][0]["roles"][0]["verdict"], "eligible");
        assert_eq!(
            value["profiles"][0]["roles"][0]["routes"],
            serde_json::json!([])
        );
        let entry = serde_json::to_value(unmet_entry(&unmet(None, false))).unwrap();
        assert_eq!(
            entry.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["kind", "message"],
            "{entry}"
        );
        assert!(check_json(&rules, Date::parse("2026-11-21").unwrap(), &profiles).ends_with("}\n"));
    }

    #[test]
    fn numbers_are_rounded_to_one_decimal() {
        let json = |value: f64| serde_json::to_string(&Number(value)).unwrap();
        assert_eq!(json(24.0), "24");
        assert_eq!(json(14.24), "14.2");
        assert_eq!(json(0.66666), "0.7");
        assert_eq!(json(f64::NAN), "null");
    }
}
