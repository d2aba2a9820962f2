//! `check` projects verdicts forward in time: the day a role will be met if
//! the current job continues, the day a met role lapses, and `--no-project`.

mod common;

use common::eligo;

const PROFILE: &str = "tests/fixtures/projection/microbiologist.json";

#[test]
fn a_role_not_yet_met_gets_the_day_time_alone_meets_it() {
    // Three years of microbiology from 2024-02-01 (36 months of 365.25 / 12
    // days: 1,095.75 days) are complete on the 1,096th day, 2027-01-31; but
    // the M(ASCP) the route also needs expires on 2027-03-01, so route 1 is
    // met from 2027-01-31 and lapses on 2027-03-02.
    let (code, stdout, stderr) = eligo(&[
        "check",
        PROFILE,
        "--role",
        "ascp-sm",
        "--as-of",
        "2026-11-21",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.contains("by time alone: eligible on 2027-01-31, by route 1"),
        "{stdout}"
    );
    let (_, json, _) = eligo(&[
        "check",
        PROFILE,
        "--role",
        "ascp-sm",
        "--as-of",
        "2026-11-21",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let projection = &report["profiles"][0]["roles"][0]["projection"];
    assert_eq!(projection["eligible_on"], "2027-01-31");
    assert_eq!(projection["route"], "1");
}

#[test]
fn a_role_met_says_when_it_stops_and_why() {
    let (code, stdout, _) = eligo(&[
        "check",
        PROFILE,
        "--role",
        "ascp-sm",
        "--as-of",
        "2027-02-15",
    ]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("qualifies until 2027-03-01 if nothing changes; then needs"),
        "{stdout}"
    );
    assert!(
        stdout.contains("your ASCP M expired on 2027-03-01"),
        "{stdout}"
    );
    let (_, json, _) = eligo(&[
        "check",
        PROFILE,
        "--role",
        "ascp-sm",
        "--as-of",
        "2027-02-15",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let projection = &report["profiles"][0]["roles"][0]["projection"];
    assert_eq!(projection["stops_on"], "2027-03-02");
    assert_eq!(projection["unmet"][0]["kind"], "certification");
}

#[test]
fn no_project_and_the_horizon() {
    let (_, json, _) = eligo(&[
        "check",
        PROFILE,
        "--role",
        "ascp-sm",
        "--as-of",
        "2026-11-21",
        "--format",
        "json",
        "--no-project",
    ]);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        report["profiles"][0]["roles"][0]
            .get("projection")
            .is_none()
    );
    // A horizon that ends before the day: not within it.
    let (_, json, _) = eligo(&[
        "check",
        PROFILE,
        "--role",
        "ascp-sm",
        "--as-of",
        "2025-01-15",
        "--format",
        "json",
        "--horizon",
        "1",
    ]);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let projection = &report["profiles"][0]["roles"][0]["projection"];
    assert_eq!(projection["unchanged_until"], "2026-01-15");
    let (code, _, stderr) = eligo(&["check", PROFILE, "--role", "ascp-sm", "--horizon", "0"]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn part_time_work_is_projected_at_its_hours_and_at_full_time() {
    let profile = "tests/fixtures/projection/part-time.json";
    let (_, json, _) = eligo(&[
        "check",
        profile,
        "--role",
        "ascp-sm",
        "--as-of",
        "2026-11-21",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let projection = &report["profiles"][0]["roles"][0]["projection"];
    let at_hours = projection["eligible_on"]
        .as_str()
        .expect("a date at 20 h/week");
    let full_time = projection["eligible_on_full_time"]
        .as_str()
        .expect("a sooner date at 40 h/week");
    assert!(full_time < at_hours, "{full_time} vs {at_hours}");
    let (_, text, _) = eligo(&[
        "check",
        profile,
        "--role",
        "ascp-sm",
        "--as-of",
        "2026-11-21",
    ]);
    assert!(
        text.contains(&format!(
            "by time alone: eligible on {at_hours}, by route 1; on {full_time} if your part-time work becomes full time (40 h/week)"
        )),
        "{text}"
    );
}
