//! Evaluation end to end from rule text: parse and check a small rule set,
//! evaluate profiles against it, and read the explanations and the JSON
//! report a candidate would see. Unit tests per condition live beside the
//! code in `src/eval/`.

use eligo::date::Date;
use eligo::diagnostic::render_human;
use eligo::eval::{
    Context, Coverage, ProfileOutcome, UnmetKind, Verdict, evaluate_profile, evaluate_role,
    evaluate_role_with_coverage,
};
use eligo::loader::check_sources;
use eligo::profile::Profile;
use eligo::render::check_text::{Checked, Layout};
use eligo::render::{Voice, Words, message};
use eligo::ruleset::RuleSet;
use eligo::source::SourceFile;

const RULES: &str = r#"
vocabulary area {
  "blood banking" aka "immunohematology"
  "chemistry"
  "hematology"
  "microbiology"
  group "core areas" = "blood banking", "chemistry", "hematology"
}

vocabulary setting {
  "clinical laboratory" aka "clinical lab"
  "research laboratory"
}

let licensure_states = [CA, NV, NY]

role ascp-mls "Medical Laboratory Scientist, MLS(ASCP) certification" {
  source "ASCP BOC eligibility requirements, MLS"
  any {
    route "1" {
      source "https://www.ascp.org/boc/mls/route-1"
      degree >= bachelor
      program "medical laboratory science" accredited by NAACLS within 5 years
    }
    route "2" {
      certification ASCP MLT
      degree >= bachelor
      experience >= 24 months in "core areas" setting "clinical laboratory" within 4 years
    }
    route "3" until 2023-01-01 {
      certification ASCP CLA
    }
  }
}

role ca-cls "California Clinical Laboratory Scientist licence" {
  source "California Business and Professions Code 1261"
  role ascp-mls
}

role mls "Medical Laboratory Scientist" {
  source "employer policy"
  any {
    role ascp-mls
    certification AMT MT
  }
  when state in licensure_states {
    license state [CLS] see ca-cls
  }
}
"#;

fn rules() -> RuleSet {
    let loaded = check_sources(vec![SourceFile::new("rules.elig", RULES)]);
    assert!(
        !loaded.has_errors(),
        "{}",
        render_human(&loaded.diagnostics, false)
    );
    loaded.rules.expect("checked rule set")
}

fn d(text: &str) -> Date {
    Date::parse(text).unwrap()
}

/// Ana: an MLT with a bachelor's degree and 14.2 months of clinical work in
/// the window, plus research work that does not count.
fn ana() -> Profile {
    serde_json::from_str(
        r#"{
          "id": "ana-ruiz",
          "education": [
            { "degree": "bachelor", "field": "biology", "completed": "2019-05-15" }
          ],
          "certifications": [
            { "issuer": "ASCP", "name": "MLT", "earned": "2019-08-01", "expires": "2028-08-01" }
          ],
          "experience": [
            { "area": "hematology", "setting": "clinical lab", "start": "2025-09-15" },
            { "area": "chemistry", "setting": "research laboratory", "start": "2020-01-01", "end": "2025-09-01" }
          ]
        }"#,
    )
    .unwrap()
}

#[test]
fn closest_route_is_explained_with_the_contract_message() {
    let rules = rules();
    let role = rules.role_id("ascp-mls").unwrap();
    let profile = ana();
    let words = Words::new(&rules, &profile, Voice::Candidate);
    let outcome = evaluate_role(&rules, role, &profile, &Context::new(d("2026-11-21")));
    assert_eq!(outcome.verdict, Verdict::NotEligible);
    let routes: Vec<_> = outcome
        .routes
        .iter()
        .map(|route| (route.name().unwrap(), route.verdict, route.unmet.len()))
        .collect();
    assert_eq!(
        routes,
        [
            ("1", Verdict::NotEligible, 1),
            ("2", Verdict::NotEligible, 1),
            ("3", Verdict::NotEligible, 1)
        ]
    );
    // Routes 1 and 2 each miss one condition, but route 2's is 9.8 months of
    // 24 and route 1's a whole programme: route 2 is nearer.
    assert_eq!(outcome.closest, Some(1));
    assert_eq!(outcome.route, Some(1));
    assert!(outcome.routes[1].distance < outcome.routes[0].distance);
    assert_eq!(
        message(words, &outcome.routes[2].unmet[0]),
        "route 3 ended on 2023-01-01"
    );
    let experience = &outcome.routes[1].unmet[0];
    assert_eq!(experience.kind, UnmetKind::Experience);
    assert_eq!(experience.route, Some("2"));
    assert_eq!(
        (experience.needed(), experience.have(), experience.unit()),
        (Some(24.0), Some(14.2), Some("months"))
    );
    assert_eq!(
        message(words, experience),
        "needs 24 months of full-time experience in core areas in a clinical laboratory in the \
         last 4 years; has 14.2 months; work in a research laboratory does not count: only work \
         in a clinical laboratory does"
    );
    let program = &outcome.routes[0].unmet[0];
    assert_eq!(program.route, Some("1"));
    assert_eq!(
        message(words, program),
        "needs a programme in medical laboratory science accredited by NAACLS, completed in the \
         last 5 years; your profile lists no such programme"
    );
}

#[test]
fn roles_that_need_roles_and_states() {
    let rules = rules();
    let mls = rules.role_id("mls").unwrap();
    let ctx = Context::new(d("2026-11-21"));
    let profile = ana();
    let words = Words::new(&rules, &profile, Voice::Candidate);
    let outcome = evaluate_role(&rules, mls, &profile, &ctx);
    // Not eligible either way, and the missing state is listed too.
    assert_eq!(outcome.verdict, Verdict::NotEligible);
    let messages: Vec<_> = outcome.unmet.iter().map(|u| message(words, u)).collect();
    assert_eq!(
        messages,
        [
            "needs to qualify for Medical Laboratory Scientist, MLS(ASCP) certification (`ascp-mls`) \
             or AMT MT certification",
            "depends on the state where you intend to work; your profile has no `state`; add it or \
             pass `--state`",
        ]
    );

    let mut holder = ana();
    holder.certifications.push(eligo::profile::Certification {
        issuer: "AMT".into(),
        name: "MT".into(),
        earned: None,
        expires: None,
        number: None,
        verified: None,
    });
    assert_eq!(
        evaluate_role(&rules, mls, &holder, &ctx).verdict,
        Verdict::Undetermined
    );
    let in_texas = ctx.clone().with_state(Some("TX".into()));
    assert_eq!(
        evaluate_role(&rules, mls, &holder, &in_texas).verdict,
        Verdict::Eligible
    );
    let in_california = ctx.clone().with_state(Some("CA".into()));
    let outcome = evaluate_role(&rules, mls, &holder, &in_california);
    assert_eq!(outcome.verdict, Verdict::NotEligible);
    assert_eq!(outcome.unmet[0].kind, UnmetKind::License);
    assert_eq!(
        message(
            Words::new(&rules, &holder, Voice::Candidate),
            &outcome.unmet[0]
        ),
        "needs a CA CLS licence; see `eligo explain ca-cls`"
    );
}

#[test]
fn json_report_has_the_contract_shape() {
    let rules = rules();
    let roles: Vec<_> = ["ascp-mls", "ca-cls"]
        .iter()
        .map(|id| rules.role_id(id).unwrap())
        .collect();
    let as_of = d("2026-11-21");
    let ctx = Context::new(as_of).with_state(Some("CA".into()));
    let profile = ana();
    let outcome: ProfileOutcome = evaluate_profile(&rules, &roles, "ana-ruiz", &profile, &ctx);
    let checked = [Checked {
        profile: &profile,
        outcome: &outcome,
        verified_only: false,
    }];
    let value: serde_json::Value =
        serde_json::from_str(&eligo::render::json::check_json(&rules, as_of, &checked)).unwrap();
    assert_eq!(value["version"], 1);
    assert_eq!(value["as_of"], "2026-11-21");
    let profile = &value["profiles"][0];
    assert_eq!(profile["profile"], "ana-ruiz");
    assert_eq!(profile["state"], "CA");
    let mls = &profile["roles"][0];
    assert_eq!(mls["role"], "ascp-mls");
    assert_eq!(
        mls["title"],
        "Medical Laboratory Scientist, MLS(ASCP) certification"
    );
    assert_eq!(mls["verdict"], "not_eligible");
    assert_eq!(mls["route"], "2", "the closest route, by distance");
    let experience = &mls["routes"][1]["unmet"][0];
    assert_eq!(experience["kind"], "experience");
    assert_eq!(experience["route"], "2");
    assert_eq!(experience["needed"], 24);
    assert_eq!(experience["have"], 14.2);
    assert_eq!(experience["unit"], "months");
    assert!(
        mls["routes"][0]["unmet"][0].get("needed").is_none(),
        "no quantity, no `needed`"
    );
    // What the profile has that counts toward route 2, and what does not.
    assert_eq!(experience["findings"][0]["record"], "experience[0]");
    assert!(
        mls["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|met| met["kind"] == "certification" && met["route"] == "2"),
        "{mls:#}"
    );
    let cls = &profile["roles"][1];
    assert_eq!(cls["unmet"][0]["kind"], "role");
    assert_eq!(cls["routes"], serde_json::json!([]));
}

#[test]
fn text_report_reads_top_down() {
    let rules = rules();
    let roles: Vec<_> = rules.role_ids().collect();
    let as_of = d("2026-11-21");
    let profile = ana();
    let outcome = evaluate_profile(
        &rules,
        &roles,
        "ana-ruiz",
        &profile,
        &Context::new(as_of).with_state(Some("TX".into())),
    );
    let layout = Layout {
        full: true,
        evidence: false,
        color: false,
    };
    let checked = [Checked {
        profile: &profile,
        outcome: &outcome,
        verified_only: false,
    }];
    let text = eligo::render::check_text::render(&rules, as_of, &checked, layout);
    assert!(
        text.starts_with("ana-ruiz (state TX), as of 2026-11-21\n"),
        "{text}"
    );
    assert!(
        text.contains("      closest: route 2 (1 thing missing):\n"),
        "{text}"
    );
    assert!(
        text.contains("      read: ASCP BOC eligibility requirements, MLS\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "  ✗ California Clinical Laboratory Scientist licence (ca-cls)\n      - needs to qualify for"
        ),
        "{text}"
    );
}

#[test]
fn coverage_over_rule_text() {
    let rules = rules();
    let mut coverage = Coverage::new();
    let ctx = Context::new(d("2026-11-21")).verdict_only();
    for id in ["ascp-mls", "ca-cls", "mls"] {
        let role = rules.role_id(id).unwrap();
        evaluate_role_with_coverage(&rules, role, &ana(), &ctx, &mut coverage);
    }
    let nodes = coverage.nodes(&rules);
    assert!(!nodes.is_empty());
    // The MLT certification of route 2 was seen met; route 3, out of force,
    // was never evaluated.
    let seen_met = nodes.iter().filter(|n| n.seen.met).count();
    let never = nodes
        .iter()
        .filter(|n| !n.seen.met && !n.seen.unmet && !n.seen.undetermined)
        .count();
    assert!(seen_met >= 2, "{seen_met}");
    assert!(never >= 1, "{never}");
}

/// Rule tests written in the language itself, run through the test runner.
fn run_rule_tests(text: &str) -> Vec<String> {
    let loaded = check_sources(vec![SourceFile::new("inline.elig", text)]);
    let rules = loaded
        .rules
        .unwrap_or_else(|| panic!("{}", render_human(&loaded.diagnostics, false)));
    let run = eligo::rule_tests::run_tests(&rules, None);
    run.results
        .iter()
        .flat_map(|result| {
            result
                .failures
                .iter()
                .map(eligo::render::rule_tests::failure_text)
        })
        .collect()
}

#[test]
fn a_course_in_a_subject_a_licence_held_nowhere_and_a_custom_full_time() {
    let failures = run_rule_tests(
        r#"
role r "R" {
  source "x"
  coursework in "biology"
  license state [MD, DO]
  experience >= 12 months fulltime 1 within 1 year
}

test "nothing held" {
  as_of 2026-11-21
  profile """{"coursework": [{"subject": "chemistry", "semester_hours": 3}]}"""
  expect r not_eligible {
    unmet coursework message "needs a course in biology; your profile lists no such coursework"
    unmet license message "from any state"
    unmet experience needed 12 have 0 message "full time counted as 1 hour a week"
  }
}

test "a licence held somewhere leaves the state deciding" {
  as_of 2026-11-21
  profile """{"coursework": [{"subject": "biology", "quarter_hours": 1}],
              "licenses": [{"state": "TX", "type": "MD"}],
              "experience": [{"start": "2025-11-21", "hours_per_week": 1}]}"""
  expect r undetermined {
    unmet license message "no `state`"
  }
}
"#,
    );
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn rule_tests_pin_the_route_and_the_records_that_qualify() {
    let rules = r#"
role r "R" {
  source "x"
  degree >= associate
  any {
    route "1" {
      certification ASCP MLT
    }
    route "2" {
      experience >= 12 months
    }
  }
}
"#;
    let profile = r#"profile """{"education": [{"degree": "bachelor", "completed": "2020-01-01"}],
              "experience": [{"start": "2024-01-01", "hours_per_week": 40}]}""""#;
    let passing = format!(
        "{rules}\ntest \"why yes\" {{\n  as_of 2026-11-21\n  {profile}\n  expect r eligible {{\n    route \"2\"\n    met experience by experience[0]\n    met degree by education[0]\n  }}\n}}\n"
    );
    assert!(run_rule_tests(&passing).is_empty());
    let failing = format!(
        "{rules}\ntest \"why not\" {{\n  as_of 2026-11-21\n  {profile}\n  expect r eligible {{\n    route \"1\"\n    met experience by experience[1]\n    met certification\n  }}\n}}\n"
    );
    assert_eq!(
        run_rule_tests(&failing),
        [
            "`r`: expected route \"1\", got route \"2\"",
            "`r`: expected met experience by experience[1], met by 34.7 months of experience (experience[0])",
            "`r`: expected met certification, no certification condition is met",
        ]
    );
}
