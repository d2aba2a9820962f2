//! `eligo diff`: who a rule update affects. The fixtures in
//! `tests/fixtures/diff/` are one rule set before and after an update that
//! flips some verdicts (a technician now needs a bachelor's degree; the
//! collector's experience route asks for more, its exam route another
//! certificate), leaves others alone, removes a role and adds one.

mod common;

use common::{copy_dir, eligo};
use serde_json::Value;

const AS_OF: &str = "2026-11-20";
const PEOPLE: &str = "tests/fixtures/diff/people";
const OLD: &str = "tests/fixtures/diff/old";
const NEW: &str = "tests/fixtures/diff/new";

fn diff(extra: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "diff", PEOPLE, "--old", OLD, "--rules", NEW, "--as-of", AS_OF,
    ];
    args.extend_from_slice(extra);
    eligo(&args)
}

#[test]
fn an_update_flips_some_verdicts_and_not_others() {
    let (code, text, stderr) = diff(&[]);
    assert_eq!(code, 1, "changes found\n{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    insta::assert_snapshot!("diff_text", text);

    let (code, json, _) = diff(&["--format", "json"]);
    assert_eq!(code, 1);
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["profiles"], 3);
    // technician and collector, for three people; the removed and the added
    // role are tallied, not compared.
    assert_eq!(json["compared"], 6);
    let changes: Vec<(String, String, String)> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["profile"].as_str().unwrap().to_string(),
                c["role"].as_str().unwrap().to_string(),
                c["change"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("ana", "collector", "verdict"),
        ("ana", "technician", "verdict"),
        ("ben", "collector", "route"),
        ("cora", "collector", "verdict"),
    ];
    assert_eq!(
        changes,
        expected.map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    );
    // Ben and Cora hold bachelor's degrees: the technician update does not
    // touch them.
    let ana_technician = &json["changes"][1];
    assert_eq!(ana_technician["old"]["verdict"], "eligible");
    assert_eq!(ana_technician["new"]["verdict"], "not_eligible");
    assert_eq!(ana_technician["newly_unmet"][0]["kind"], "degree");
    assert_eq!(
        ana_technician["newly_unmet"][0]["need"],
        "a bachelor's degree or higher"
    );
    // Ben still qualifies, by the route that still accepts him.
    let ben = &json["changes"][2];
    assert_eq!(ben["old"]["route"], "exam");
    assert_eq!(ben["new"]["route"], "experience");
    assert_eq!(ben["new"]["verdict"], "eligible");
    assert_eq!(json["roles_added"][0]["role"], "chemistry-assistant");
    assert_eq!(json["roles_added"][0]["eligible"], 1);
    assert_eq!(json["roles_removed"][0]["role"], "courier");
    assert_eq!(json["roles_removed"][0]["eligible"], 3);
}

#[test]
fn the_same_rules_change_nothing() {
    let (code, text, stderr) = eligo(&[
        "diff", PEOPLE, "--old", OLD, "--rules", OLD, "--as-of", AS_OF,
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(text.contains("no verdict or route changes"), "{text}");
}

#[test]
fn one_role_only() {
    let (code, text, _) = diff(&["--role", "technician"]);
    assert_eq!(code, 1);
    assert!(text.contains("3 profile × role pairs compared"), "{text}");
    assert!(
        text.contains("ana  technician: eligible → not eligible"),
        "{text}"
    );
    assert!(!text.contains("collector"), "{text}");
}

#[test]
fn editing_a_shipped_role_shows_whom_it_affects() {
    // The laboratory's staff, with the CA licence dropped from the MLS job:
    // James Chen (whose CLS licence has expired) becomes eligible, and so
    // does the lab educator role built on it; nobody else changes.
    let dir = std::env::temp_dir().join(format!("eligo-diff-shipped-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(std::path::Path::new("rules"), &dir);
    let job = dir.join("jobs/mls.elig");
    let text = std::fs::read_to_string(&job).unwrap();
    let edited = text.replacen("  use technologist_licence_where_required\n", "", 1);
    assert_ne!(text, edited, "the MLS job asks for the licence");
    std::fs::write(&job, edited).unwrap();
    let (code, json, stderr) = eligo(&[
        "diff",
        "examples/lab",
        "--old",
        "rules",
        "--rules",
        dir.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 1, "{stderr}");
    let json: Value = serde_json::from_str(&json).unwrap();
    let changes: Vec<(&str, &str)> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["profile"].as_str().unwrap(), c["role"].as_str().unwrap()))
        .collect();
    assert_eq!(
        changes,
        [("james-chen", "lab-educator"), ("james-chen", "mls")]
    );
    assert_eq!(json["changes"][1]["no_longer_unmet"][0]["kind"], "license");
    assert_ne!(json["old"]["fingerprint"], json["new"]["fingerprint"]);
}

#[test]
fn bad_input_is_exit_2() {
    // Old rules that do not exist.
    let (code, _, stderr) = eligo(&["diff", PEOPLE, "--old", "no/such/rules", "--rules", NEW]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no/such/rules"), "{stderr}");
    // A role in neither rule set, with the nearest id.
    let (code, _, stderr) = diff(&["--role", "technican"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no role named `technican` in either rule set"),
        "{stderr}"
    );
    assert!(stderr.contains("technician"), "{stderr}");
    // A broken profile among good ones: reported, exit 2.
    let (code, _, stderr) = eligo(&[
        "diff",
        PEOPLE,
        "tests/fixtures/cli/profiles/typo.json",
        "--old",
        OLD,
        "--rules",
        NEW,
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("typo.json"), "{stderr}");
}
