//! Explanations as data, on the shipped rules: every failing facet of a
//! record, routes ranked by distance rather than by count, either/or
//! requirements that keep their numbers, evidence for what is met, and the
//! employer's voice.

use eligo::date::Date;
use eligo::eval::{Context, Counted, RoleOutcome, UnmetKind, Verdict, evaluate_role};
use eligo::profile::Profile;
use eligo::render::{Voice, Words, message};
use eligo::ruleset::RuleSet;
use std::path::Path;

fn rules() -> RuleSet {
    eligo::loader::load_rules(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"))
        .unwrap()
        .rules
        .unwrap()
}

fn profile(json: serde_json::Value) -> Profile {
    serde_json::from_value(json).unwrap()
}

fn evaluate<'r>(rules: &'r RuleSet, id: &str, profile: &Profile, state: &str) -> RoleOutcome<'r> {
    let ctx = Context::new(Date::parse("2026-11-21").unwrap()).with_state(Some(state.into()));
    evaluate_role(rules, rules.role_id(id).unwrap(), profile, &ctx)
}

/// A CA CPT I applicant: certified, with some phlebotomy work, whose
/// training is short one venipuncture and (in the first case) not approved.
fn cpt_applicant(accreditation: Option<&str>) -> Profile {
    profile(serde_json::json!({
        "education": [{ "degree": "high_school", "completed": "2018-06-01" }],
        "certifications": [{ "issuer": "NHA", "name": "CPT", "earned": "2025-01-10" }],
        "experience": [{ "role": "phlebotomist", "setting": "hospital laboratory",
                         "start": "2025-06-01", "end": "2025-12-31", "hours_per_week": 20 }],
        "training": [{ "program": "phlebotomy", "accreditation": accreditation,
                       "completed": "2025-05-01", "didactic_hours": 40,
                       "venipunctures": 49, "skin_punctures": 10 }]
    }))
}

#[test]
fn a_training_record_reports_every_facet_it_fails() {
    let rules = rules();
    let applicant = cpt_applicant(Some("NAACLS"));
    let outcome = evaluate(&rules, "ca-cpt1", &applicant, "CA");
    assert_eq!(outcome.verdict, Verdict::NotEligible);
    let words = Words::new(&rules, &applicant, Voice::Candidate);
    let kinds: Vec<_> = outcome.unmet.iter().map(|gap| gap.kind).collect();
    // The approval and the venipunctures, each its own gap.
    assert!(kinds.contains(&UnmetKind::Accreditation), "{kinds:?}");
    let short = outcome
        .unmet
        .iter()
        .find(|gap| gap.needed() == Some(50.0))
        .expect("the venipunctures are reported with their numbers");
    assert_eq!((short.have(), short.unit()), (Some(49.0), Some("count")));
    assert_eq!(
        message(words, short),
        "needs 50 venipunctures in phlebotomy training; your phlebotomy training lists 49 venipunctures"
    );
    let approval = outcome
        .unmet
        .iter()
        .find(|gap| gap.kind == UnmetKind::Accreditation)
        .unwrap();
    assert!(
        message(words, approval).contains("your phlebotomy training is accredited by NAACLS"),
        "{}",
        message(words, approval)
    );
    assert_eq!(approval.findings[0].record.to_string(), "training[0]");
}

#[test]
fn the_closest_route_is_the_nearest_not_the_one_with_fewest_gaps() {
    let rules = rules();
    // Approved training one venipuncture short; 20 h/week for seven months
    // is far from the 1,040 hours of the experienced route.
    let applicant = cpt_applicant(Some("CDPH"));
    let outcome = evaluate(&rules, "ca-cpt1", &applicant, "CA");
    assert_eq!(outcome.verdict, Verdict::NotEligible);
    let words = Words::new(&rules, &applicant, Voice::Candidate);
    let first = message(words, &outcome.unmet[0]);
    assert!(first.contains("49 venipunctures"), "{first}");
    let route = outcome.route_name(&rules).unwrap();
    assert_eq!(route, "experienced, under 1,040 hours");
    // The 1,040-hour route also misses one condition, but a larger one.
    let experienced = outcome
        .routes
        .iter()
        .find(|r| r.name() == Some("experienced, 1,040 hours or more"))
        .unwrap();
    assert_eq!(experienced.unmet.len(), 1);
    let nearest = &outcome.routes[outcome.closest.unwrap()];
    assert!(nearest.distance < experienced.distance);
}

#[test]
fn an_either_or_inside_a_role_keeps_each_alternatives_numbers() {
    let rules = rules();
    let applicant = profile(serde_json::json!({
        "education": [{ "degree": "bachelor", "field": "biology", "completed": "2015-05-01" }],
        "experience": [{ "area": "chemistry", "setting": "clinical laboratory",
                         "tags": ["high_complexity"], "start": "2023-01-01", "hours_per_week": 40 }]
    }));
    let outcome = evaluate(&rules, "clia-technical-supervisor", &applicant, "TX");
    let either = outcome
        .unmet
        .iter()
        .find(|gap| !gap.alternatives.is_empty())
        .expect("an either/or gap");
    assert_eq!(either.kind, UnmetKind::Experience);
    let quantities: Vec<_> = either
        .alternatives
        .iter()
        .map(|alternative| (alternative.kind, alternative.needed(), alternative.unit()))
        .collect();
    assert!(
        quantities
            .iter()
            .all(|(kind, needed, unit)| *kind == UnmetKind::Experience
                && needed.is_some()
                && *unit == Some("months")),
        "{quantities:?}"
    );
    // Chemistry has what the applicant did; the others nothing.
    assert!(either.alternatives[0].have().unwrap() > 40.0);
    let json =
        eligo::render::json::unmet_entry(Words::new(&rules, &applicant, Voice::Candidate), either);
    let value = serde_json::to_value(&json).unwrap();
    assert_eq!(value["alternatives"][0]["needed"], 48);
    assert_eq!(value["alternatives"][0]["unit"], "months");
}

#[test]
fn a_met_role_shows_the_route_and_the_records_that_meet_it() {
    let rules = rules();
    let applicant = cpt_applicant(Some("CDPH"));
    let mut approved = applicant.clone();
    approved.training[0].venipunctures = Some(50);
    let outcome = evaluate(&rules, "ca-cpt1", &approved, "CA");
    assert_eq!(outcome.verdict, Verdict::Eligible);
    assert_eq!(
        outcome.route_name(&rules),
        Some("experienced, under 1,040 hours")
    );
    let records: Vec<(UnmetKind, String)> = outcome
        .evidence
        .iter()
        .flat_map(|met| {
            met.findings
                .iter()
                .filter(|f| f.counted != Counted::No)
                .map(move |f| (met.kind, f.record.to_string()))
        })
        .collect();
    for expected in [
        (UnmetKind::Degree, "education[0]"),
        (UnmetKind::Certification, "certifications[0]"),
        (UnmetKind::Experience, "experience[0]"),
        (UnmetKind::Training, "training[0]"),
    ] {
        assert!(
            records.contains(&(expected.0, expected.1.to_string())),
            "{expected:?} in {records:?}"
        );
    }
    let line = eligo::render::evidence::one_line(
        Words::new(&rules, &approved, Voice::Candidate),
        &outcome.evidence,
    );
    assert!(line.contains("NHA CPT (certifications[0])"), "{line}");
}

#[test]
fn the_employer_reads_about_the_applicant_not_to_them() {
    let rules = rules();
    let applicant = cpt_applicant(Some("NAACLS"));
    let outcome = evaluate(&rules, "ca-cpt1", &applicant, "CA");
    let employer = Words::new(&rules, &applicant, Voice::Applicant);
    for gap in &outcome.unmet {
        let text = message(employer, gap);
        assert!(!text.contains("you"), "{text}");
    }
    let approval = outcome
        .unmet
        .iter()
        .find(|gap| gap.kind == UnmetKind::Accreditation)
        .unwrap();
    assert!(message(employer, approval).contains("the applicant's phlebotomy training"));
}

/// A physics graduate supervising since before the transition, whose
/// experience on 2024-12-28 fell short: the gap is judged as of that day and
/// says so, in data and in words.
#[test]
fn grandfathering_is_judged_on_the_transition_day() {
    let rules = rules();
    let supervisor = profile(serde_json::json!({
        "education": [{ "degree": "bachelor", "field": "physics", "completed": "2012-05-15" }],
        "experience": [
            { "role": "MLS", "area": "chemistry", "setting": "clinical laboratory",
              "tags": ["high_complexity"], "start": "2021-06-01", "end": "2024-05-31" },
            { "role": "technical supervisor", "area": "chemistry", "setting": "clinical laboratory",
              "tags": ["high_complexity"], "start": "2024-06-01" }
        ]
    }));
    let outcome = evaluate(&rules, "clia-technical-supervisor", &supervisor, "TX");
    assert_eq!(outcome.verdict, Verdict::NotEligible);
    assert_eq!(outcome.route_name(&rules), Some("grandfathered"));
    let transition = Date::parse("2024-12-28").unwrap();
    // Service since 2024-12-28 is met, and is evidence judged today.
    let service = outcome
        .evidence
        .iter()
        .find(|met| met.kind == UnmetKind::Experience && met.as_of.is_none())
        .expect("continuous service is evidence");
    assert_eq!(
        service.findings.len(),
        1,
        "the supervisor job, not the MLS one"
    );
    // The earlier text's four years: 3.5 years of work up to the transition
    // (seven months as supervisor count), judged on 2024-12-28.
    let short = outcome
        .unmet
        .iter()
        .find(|gap| gap.as_of == Some(transition))
        .expect("a gap judged on the transition day");
    let words = Words::new(&rules, &supervisor, Voice::Candidate);
    let text = message(words, short);
    assert!(text.ends_with("judged as of 2024-12-28"), "{text}");
    assert!(
        text.contains(
            "48 months of full-time experience in a clinical laboratory in high complexity work, \
             all in one of chemistry, hematology, immunology or radiobioassay"
        ),
        "{text}"
    );
    assert!(text.contains("has 42.9 months in chemistry"), "{text}");
}

/// A DMLI(ASCP) without an `earned` date cannot be decided either way.
#[test]
fn an_earned_date_the_rule_needs_makes_the_answer_undetermined() {
    let rules = rules();
    let director = profile(serde_json::json!({
        "education": [{ "degree": "doctorate", "field": "microbiology", "completed": "2012-05-15" }],
        "certifications": [{ "issuer": "ASCP", "name": "DMLI" }],
        "experience": [
            { "role": "technical supervisor", "area": "microbiology", "setting": "clinical laboratory",
              "tags": ["high_complexity", "supervisory"], "start": "2014-06-02" }
        ],
        "continuing_education": [{ "completed": "2025-03-01", "hours": 20,
                                   "topic": "laboratory director responsibilities" }]
    }));
    let outcome = evaluate(&rules, "clia-director-high", &director, "TX");
    assert_eq!(outcome.verdict, Verdict::Undetermined);
    let gap = outcome
        .unmet
        .iter()
        .find(|gap| gap.verdict == Verdict::Undetermined)
        .expect("an undetermined gap");
    let reasons: Vec<_> = gap
        .alternatives
        .iter()
        .chain(std::iter::once(gap))
        .flat_map(|gap| gap.findings.iter())
        .flat_map(|finding| finding.reasons.iter().map(|reason| reason.code()))
        .collect();
    assert!(reasons.contains(&"no_earned_date"), "{reasons:?}");
}

/// An either/or of one experience condition but for its area (or tags) is
/// said once, with the nearest alternative's amount and the reasons every
/// alternative shares (alternatives that differ in more keep the long form:
/// `an_either_or_inside_a_role_keeps_each_alternatives_numbers`).
#[test]
fn alternatives_that_differ_only_in_the_area_are_said_once() {
    let rules = rules();
    let words_for = |profile| Words::new(&rules, profile, Voice::Applicant);
    let chemist = profile(serde_json::json!({
        "education": [{ "degree": "doctorate", "field": "chemistry", "completed": "2018-05-15" }],
        "experience": [{ "area": "chemistry", "setting": "clinical laboratory",
                         "tags": ["high_complexity"], "start": "2026-03-01", "hours_per_week": 40 }]
    }));
    let outcome = evaluate(&rules, "clia-technical-supervisor", &chemist, "TX");
    assert_eq!(outcome.verdict, Verdict::NotEligible);
    let gap = &outcome.unmet[0];
    assert_eq!(
        gap.alternatives.len(),
        4,
        "the data keeps every alternative"
    );
    assert_eq!(
        message(words_for(&chemist), gap),
        "needs 12 months of full-time experience in a clinical laboratory in high complexity \
         work, all in one of chemistry, hematology, immunology or radiobioassay; has 8.7 months \
         in chemistry, the most in one"
    );

    // Work in the wrong area for every alternative: the reason is shared
    // and said once.
    let outcome = evaluate(
        &rules,
        "clia-technical-supervisor-microbiology",
        &chemist,
        "TX",
    );
    let six_months = outcome
        .unmet
        .iter()
        .find(|gap| !gap.alternatives.is_empty())
        .expect("the six months in a subspecialty");
    assert_eq!(
        message(words_for(&chemist), six_months),
        "needs 6 months of full-time experience in microbiology in a clinical laboratory, all in \
         one of bacteriology, mycobacteriology, mycology, parasitology or virology work; has 0 \
         months in each; work in chemistry does not count: only work in microbiology does"
    );
}
