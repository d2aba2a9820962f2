//! `eligo plan`: the steps from a profile to a goal role, soonest first.

mod common;

use common::eligo;

#[test]
fn a_graduate_plans_the_job_through_the_certificate_exam() {
    let (code, stdout, stderr) = eligo(&[
        "plan",
        "tests/fixtures/projection/mls-graduate.json",
        "--goal",
        "mls",
        "--as-of",
        "2026-11-21",
    ]);
    assert_eq!(code, 1, "a plan to follow: {stderr}");
    insta::assert_snapshot!(stdout);
    let (_, json, _) = eligo(&[
        "plan",
        "tests/fixtures/projection/mls-graduate.json",
        "--goal",
        "mls",
        "--as-of",
        "2026-11-21",
        "--format",
        "json",
    ]);
    let plan: serde_json::Value = serde_json::from_str(&json).unwrap();
    let steps = &plan["options"][0]["steps"];
    assert_eq!(steps[0]["role"], "ascp-mls");
    assert_eq!(steps[0]["ready"], true);
    assert_eq!(steps[1]["needs"]["kind"], "certification");
}

#[test]
fn options_are_ranked_by_the_day_time_alone_completes_them() {
    let (code, stdout, _) = eligo(&[
        "plan",
        "examples/profiles/part-time-microbiologist.json",
        "--goal",
        "ascp-sm",
        "--as-of",
        "2026-11-21",
    ]);
    assert_eq!(code, 1);
    let first = stdout.find("Option 1, route 1: by time alone on 2028-05-02");
    let second = stdout.find("Option 2");
    assert!(first.is_some() && first < second, "{stdout}");
    // On that day the goal is met: nothing to plan, exit 0.
    let (code, stdout, _) = eligo(&[
        "plan",
        "examples/profiles/part-time-microbiologist.json",
        "--goal",
        "ascp-sm",
        "--as-of",
        "2028-05-02",
    ]);
    assert_eq!(code, 0);
    assert!(stdout.contains("You already qualify"), "{stdout}");
}

#[test]
fn an_unknown_goal_is_exit_2_with_a_suggestion() {
    let (code, _, stderr) = eligo(&[
        "plan",
        "tests/fixtures/projection/mls-graduate.json",
        "--goal",
        "ascp-msl",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no role named `ascp-msl`"), "{stderr}");
    assert!(stderr.contains("ascp-mls"), "{stderr}");
}
