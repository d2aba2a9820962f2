//! Screening explains only each role's closest route (the other routes are
//! counted, not explained), and decides most rows verdict-only (cheap checks
//! first, short-circuiting). Both shortcuts must give the very same answers
//! as explaining every route, for every shipped role, over a large synthetic
//! cohort.

#[allow(dead_code, clippy::all)]
#[path = "../examples/gen.rs"]
mod synthetic;

use eligo::date::Date;
use eligo::eval::{Context, evaluate_role};
use eligo::profile::Profile;
use eligo::render::{Voice, Words, message};
use std::path::Path;

#[test]
fn closest_route_only_equals_every_route_explained() {
    let rules = eligo::loader::load_rules(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"))
        .unwrap()
        .rules
        .unwrap();
    let full = Context::new(Date::parse("2026-01-15").unwrap());
    let closest_only = full.clone().without_routes();
    let verdict_only = full.clone().verdict_only();
    let mut compared = 0;
    for index in 0..400 {
        let profile: Profile = serde_json::from_str(&synthetic::profile_line(2026, index)).unwrap();
        for role in rules.role_ids() {
            let a = evaluate_role(&rules, role, &profile, &full);
            let b = evaluate_role(&rules, role, &profile, &closest_only);
            assert_eq!(
                a.verdict, b.verdict,
                "profile {index}, role {}",
                rules[role].id
            );
            let words = Words::new(&rules, &profile, Voice::Candidate);
            let shown = |outcome: &eligo::eval::RoleOutcome<'_>| -> Vec<_> {
                outcome
                    .unmet
                    .iter()
                    .map(|u| (message(words, u), u.kind, u.needed(), u.have(), u.distance))
                    .collect()
            };
            assert_eq!(
                shown(&a),
                shown(&b),
                "profile {index}, role {}",
                rules[role].id
            );
            assert_eq!(
                a.closest, b.closest,
                "profile {index}, role {}",
                rules[role].id
            );
            assert!(b.routes.is_empty());
            // The verdict-only path (cheap checks first, short-circuits) agrees too.
            let c = evaluate_role(&rules, role, &profile, &verdict_only);
            assert_eq!(
                a.verdict, c.verdict,
                "verdict only: profile {index}, role {}",
                rules[role].id
            );
            compared += 1;
        }
    }
    assert!(compared > 10_000);
}

/// Without `--summary`, `screen` decides each row in one explained pass
/// without evidence (its routes compared in outline settle the verdict);
/// with it (every route listed), a verdict-only pass first. Both give the
/// same verdicts as the verdict-only pass and the same gaps as a full
/// explanation.
#[test]
fn one_pass_screening_equals_verdict_then_explanation() {
    let rules = eligo::loader::load_rules(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"))
        .unwrap()
        .rules
        .unwrap();
    let as_of = Date::parse("2026-01-15").unwrap();
    let roles: Vec<_> = rules.role_ids().collect();
    let screener = eligo::screen::Screener::new(&rules, roles.clone(), as_of, None);
    let rows_only =
        eligo::screen::Screener::new(&rules, roles.clone(), as_of, None).listing_routes(false);
    let full = Context::new(as_of);
    let mut eligible = 0;
    let mut explained = 0;
    for index in 0..300 {
        let profile: Profile = serde_json::from_str(&synthetic::profile_line(2026, index)).unwrap();
        let words = Words::new(&rules, &profile, Voice::Applicant);
        for &role in &roles {
            let expected = evaluate_role(&rules, role, &profile, &full);
            let shown = |outcome: &eligo::eval::RoleOutcome<'_>| -> Vec<_> {
                outcome
                    .unmet
                    .iter()
                    .map(|u| {
                        (
                            message(words, u),
                            u.kind,
                            u.route.map(str::to_owned),
                            u.needed(),
                            u.have(),
                        )
                    })
                    .collect()
            };
            for screening in [&screener, &rows_only] {
                let got = screening.evaluate(role, &profile, |_| true);
                let id = &rules[role].id;
                assert_eq!(
                    got.verdict,
                    screening.verdict(role, &profile),
                    "{index} {id}"
                );
                assert_eq!(got.verdict, expected.verdict, "{index} {id}");
                assert_eq!(shown(&got), shown(&expected), "{index} {id}");
                // The one pass (closest route only) builds no evidence; an
                // eligible row never carries any.
                let one_pass = std::ptr::eq(screening, &rows_only);
                if one_pass || got.verdict == eligo::eval::Verdict::Eligible {
                    assert!(
                        got.evidence.is_empty(),
                        "{index} {id}: rows carry no evidence"
                    );
                }
                if got.verdict == eligo::eval::Verdict::Eligible {
                    assert_eq!(got.route, None, "{index} {id}");
                    eligible += 1;
                } else {
                    explained += 1;
                }
            }
        }
    }
    assert!(
        eligible > 500 && explained > 5_000,
        "{eligible} {explained}"
    );
}
