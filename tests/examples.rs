//! The example profiles in `examples/profiles/` checked against the shipped
//! rules, as a candidate would run them. Each story pins its date and the
//! roles it is about; the text and the JSON are snapshots.

mod common;

use common::eligo;

/// `check` of one example profile for the roles of its story, as text and as JSON.
fn story(profile: &str, roles: &[&str], extra: &[&str]) -> (String, serde_json::Value) {
    let path = format!("examples/profiles/{profile}.json");
    let mut args = vec!["check", path.as_str(), "--as-of", "2026-11-21"];
    for role in roles {
        args.extend(["--role", role]);
    }
    args.extend(extra);
    let (code, text, stderr) = eligo(&args);
    assert_eq!(
        code, 1,
        "each story has a role still out of reach\n{stderr}"
    );
    args.extend(["--format", "json"]);
    let (_, json, _) = eligo(&args);
    let mut json: serde_json::Value = serde_json::from_str(&json).unwrap();
    // Every rule change gives a new fingerprint: checked, then kept out of
    // the snapshots.
    assert_eq!(
        json["rules"]["fingerprint"],
        env!("ELIGO_SHIPPED_RULES_FINGERPRINT")
    );
    json["rules"]["fingerprint"] = "[shipped rules]".into();
    assert!(json["rules"]["newest_source"].is_string());
    json["rules"]["newest_source"] = "[newest source]".into();
    (
        format!(
            "$ eligo {}\n{text}{stderr}",
            args[..args.len() - 2].join(" ")
        ),
        json,
    )
}

fn verdict<'a>(json: &'a serde_json::Value, role: &str) -> &'a str {
    json["profiles"][0]["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["role"] == role)
        .unwrap()["verdict"]
        .as_str()
        .unwrap()
}

#[test]
fn a_new_mlt_graduate_can_sit_the_mlt_exams_but_not_yet_hold_the_job() {
    let (text, json) = story(
        "new-mlt-graduate",
        &["ascp-mlt", "amt-mlt", "mlt", "ascp-mls"],
        &[],
    );
    assert_eq!(verdict(&json, "ascp-mlt"), "eligible");
    assert_eq!(verdict(&json, "mlt"), "not_eligible");
    insta::assert_snapshot!(text);
    insta::assert_json_snapshot!(json);
}

#[test]
fn an_experienced_mlt_learns_how_far_the_mls_is() {
    let (text, json) = story("experienced-mlt", &["ascp-mls", "mls", "ca-cls"], &[]);
    let routes = json["profiles"][0]["roles"][0]["routes"]
        .as_array()
        .unwrap();
    let route_2 = routes.iter().find(|r| r["route"] == "2").unwrap();
    assert_eq!(route_2["unmet"][0]["needed"], 24);
    assert_eq!(route_2["unmet"][0]["have"], 13.4);
    insta::assert_snapshot!(text);
    insta::assert_json_snapshot!(json);
}

#[test]
fn a_phlebotomist_moving_to_california_needs_the_cpt_i() {
    let (text, json) = story(
        "phlebotomist-moving-to-california",
        &["phlebotomist", "ca-cpt1"],
        &["--state", "CA"],
    );
    assert!(text.contains("CA CPT1"), "{text}");
    assert!(text.contains("see `eligo explain ca-cpt1`"), "{text}");
    assert_eq!(verdict(&json, "phlebotomist"), "not_eligible");
    insta::assert_snapshot!(text);
    insta::assert_json_snapshot!(json);
}

#[test]
fn a_profile_with_a_typo_is_refused_with_the_fix() {
    let (code, stdout, stderr) = eligo(&[
        "check",
        "examples/profiles/with-a-typo.json",
        "--as-of",
        "2026-11-21",
    ]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("did you mean `accreditation`?"));
    insta::assert_snapshot!(stderr);
}

#[test]
fn every_example_profile_but_the_typo_checks_against_every_role() {
    for profile in [
        "new-mlt-graduate",
        "experienced-mlt",
        "phlebotomist-moving-to-california",
        "part-time-microbiologist",
    ] {
        let path = format!("examples/profiles/{profile}.json");
        let (code, stdout, stderr) =
            eligo(&["check", &path, "--as-of", "2026-11-21", "--format", "json"]);
        assert_eq!(code, 0, "{stderr}");
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert!(json["profiles"][0]["roles"].as_array().unwrap().len() >= 40);
    }
}

/// README's "When will I qualify?": Kim at 20 hours a week.
#[test]
fn a_part_time_microbiologist_learns_when_she_will_qualify() {
    let (code, stdout, stderr) = eligo(&[
        "check",
        "examples/profiles/part-time-microbiologist.json",
        "--role",
        "ascp-sm",
        "--as-of",
        "2026-11-21",
    ]);
    assert_eq!(code, 1, "{stderr}");
    insta::assert_snapshot!(stdout);
}
