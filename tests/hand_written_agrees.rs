//! The hand-written `mls` job in `benches/hand_written.rs` is the limit the
//! benchmarks compare the engine with; it is only a fair limit if it decides
//! the same thing. Both are run over generated profiles on several dates and
//! with several `--state` overrides, and must agree on every verdict.

#[allow(dead_code, clippy::all)]
#[path = "../examples/gen.rs"]
mod synthetic;

#[path = "../benches/support/hand_written.rs"]
mod hand_written;

use eligo::date::Date;
use eligo::eval::{Context, Verdict, evaluate_role};
use eligo::profile::Profile;
use std::collections::HashMap;
use std::path::Path;

#[test]
fn hand_written_mls_agrees_with_the_engine() {
    let rules = eligo::loader::load_rules(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"))
        .unwrap()
        .rules
        .unwrap();
    let mls = rules.role_id("mls").expect("the shipped mls job");
    let profiles: Vec<Profile> = (0..3_000)
        .map(|index| serde_json::from_str(&synthetic::profile_line(2026, index)).unwrap())
        .collect();
    let mut seen: HashMap<Verdict, usize> = HashMap::new();
    for as_of in [synthetic::REFERENCE_DATE, "2019-06-30", "2031-01-01"] {
        let as_of = Date::parse(as_of).unwrap();
        for state in [None, Some("CA"), Some("ny"), Some(" TX "), Some("WV")] {
            let explaining = Context::new(as_of).with_state(state.map(str::to_string));
            let verdict_only = explaining.clone().verdict_only();
            for (index, profile) in profiles.iter().enumerate() {
                let by_hand = hand_written::mls_verdict(profile, as_of, state);
                let fast = evaluate_role(&rules, mls, profile, &verdict_only).verdict;
                assert_eq!(by_hand, fast, "profile {index} on {as_of}, state {state:?}");
                if index % 10 == 0 {
                    let explained = evaluate_role(&rules, mls, profile, &explaining).verdict;
                    assert_eq!(by_hand, explained, "profile {index} on {as_of}");
                }
                *seen.entry(by_hand).or_default() += 1;
            }
        }
    }
    // The cohort exercises every outcome, so agreement means something.
    for verdict in Verdict::ALL {
        assert!(seen.get(&verdict).copied().unwrap_or(0) > 20, "{seen:?}");
    }
}

#[test]
fn hand_written_mls_follows_the_licensure_rules() {
    let as_of = Date::parse("2026-11-21").unwrap();
    let profile = |json: &str| -> Profile { serde_json::from_str(json).unwrap() };
    let qualified = r#"{ "education": [{ "degree": "bachelor", "completed": "2023-05-15" }],
        "certifications": [{ "issuer": "ascp", "name": "mls", "earned": "2023-08-01" }] }"#;
    let base = profile(qualified);
    assert_eq!(
        hand_written::mls_verdict(&base, as_of, Some("TX")),
        Verdict::Eligible
    );
    assert_eq!(
        hand_written::mls_verdict(&base, as_of, Some("CA")),
        Verdict::NotEligible
    );
    assert_eq!(
        hand_written::mls_verdict(&base, as_of, None),
        Verdict::Undetermined
    );
    let mut licensed = base.clone();
    licensed.licenses = profile(
        r#"{ "licenses": [{ "state": "CA", "type": "CLS", "issued": "2023-10-01", "expires": "2026-11-21" }] }"#,
    )
    .licenses;
    assert_eq!(
        hand_written::mls_verdict(&licensed, as_of, Some("ca")),
        Verdict::Eligible
    );
    let next_day = Date::parse("2026-11-22").unwrap();
    assert_eq!(
        hand_written::mls_verdict(&licensed, next_day, Some("CA")),
        Verdict::NotEligible
    );
}
