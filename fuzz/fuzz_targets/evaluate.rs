//! (profile bytes, shipped rules, date) → evaluate every role, explained and
//! verdict-only, and render the JSON document: never a panic, and both
//! evaluation paths give the same verdicts.
#![no_main]

use eligo::{Context, Date, RuleSet, SourceFile};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn shipped_rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules");
        let loaded = eligo::load_rules(&path).expect("the shipped rules load");
        loaded.rules.expect("the shipped rules check")
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((date_bytes, rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let Ok(profile) = eligo::parse_profile(&SourceFile::new("fuzz.json", text)) else {
        return;
    };
    // Any day from 1990-01-01 to about 2169.
    let base = Date::parse("1990-01-01").expect("a valid date");
    let as_of = base.add_days(i64::from(u16::from_le_bytes(*date_bytes)));
    let rules = shipped_rules();
    let roles: Vec<_> = rules.role_ids().collect();
    let explained = Context::new(as_of);
    let outcome = eligo::evaluate_profile(rules, &roles, "fuzz", &profile, &explained);
    let quick = eligo::evaluate_profile(
        rules,
        &roles,
        "fuzz",
        &profile,
        &explained.clone().verdict_only(),
    );
    for (slow, fast) in outcome.roles.iter().zip(&quick.roles) {
        assert_eq!(
            slow.verdict, fast.verdict,
            "explained and verdict-only evaluation disagree on {}",
            rules[slow.role].id
        );
    }
    let checked = [eligo::render::check_text::Checked {
        profile: &profile,
        outcome: &outcome,
        verified_only: false,
    }];
    let json = eligo::render::json::check_json(rules, as_of, &checked);
    let parsed: Result<serde_json::Value, _> = serde_json::from_str(&json);
    assert!(
        parsed.is_ok(),
        "check --format json is not JSON: {parsed:?}"
    );
});
