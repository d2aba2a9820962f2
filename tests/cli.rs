//! Command-line transcripts: exit code, stdout and stderr of each verb and
//! format, as insta snapshots. The rule set is the small fixture in
//! `tests/fixtures/cli/rules`, so these tests do not move when the shipped
//! rules change.

mod common;

use common::eligo;
use std::path::Path;
use std::process::Command;

const RULES: &str = "tests/fixtures/cli/rules";

/// The transcript of one run: what a user sees, and the exit code.
fn transcript(args: &[&str]) -> String {
    let (code, stdout, stderr) = eligo(args);
    format!(
        "$ eligo {}\nexit: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}",
        args.join(" ")
    )
}

#[test]
fn roles_as_text_and_json() {
    insta::assert_snapshot!(transcript(&["roles", "--rules", RULES]));
    insta::assert_snapshot!(transcript(&["roles", "--rules", RULES, "--format", "json"]));
}

#[test]
fn explain_as_text_and_json() {
    insta::assert_snapshot!(transcript(&[
        "explain",
        "cert-mlt",
        "--rules",
        RULES,
        "--as-of",
        "2026-11-21"
    ]));
    insta::assert_snapshot!(transcript(&[
        "explain",
        "scientist",
        "--rules",
        RULES,
        "--format",
        "json",
        "--as-of",
        "2026-11-21"
    ]));
}

#[test]
fn explain_an_unknown_role_suggests_the_nearest() {
    insta::assert_snapshot!(transcript(&["explain", "cert-mtl", "--rules", RULES]));
}

#[test]
fn check_every_role_as_text() {
    insta::assert_snapshot!(transcript(&[
        "check",
        "tests/fixtures/cli/profiles/technician.json",
        "--rules",
        RULES,
        "--as-of",
        "2026-11-21"
    ]));
}

#[test]
fn check_named_roles_as_json_exits_1_when_not_eligible() {
    let text = transcript(&[
        "check",
        "tests/fixtures/cli/profiles/technician.json",
        "tests/fixtures/cli/profiles/scientist.json",
        "--role",
        "cert-mls",
        "--role",
        "scientist",
        "--rules",
        RULES,
        "--as-of",
        "2026-11-21",
        "--format",
        "json",
    ]);
    assert!(text.contains("exit: 1"));
    insta::assert_snapshot!(text);
}

#[test]
fn check_exits_0_when_every_profile_is_eligible_for_every_named_role() {
    let (code, stdout, _) = eligo(&[
        "check",
        "tests/fixtures/cli/profiles/scientist.json",
        "--role",
        "scientist",
        "--state",
        "TX",
        "--rules",
        RULES,
        "--as-of",
        "2026-11-21",
    ]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("✓ Laboratory scientist (job) (scientist)"));
}

#[test]
fn check_without_a_state_is_undetermined_for_a_state_dependent_role() {
    insta::assert_snapshot!(transcript(&[
        "check",
        "tests/fixtures/cli/profiles/scientist.json",
        "--role",
        "scientist",
        "--rules",
        RULES,
        "--as-of",
        "2026-11-21"
    ]));
}

#[test]
fn check_refuses_bad_input_with_exit_2() {
    insta::assert_snapshot!(transcript(&[
        "check",
        "tests/fixtures/cli/profiles/typo.json",
        "--rules",
        RULES,
        "--as-of",
        "2026-11-21"
    ]));
    insta::assert_snapshot!(transcript(&[
        "check",
        "tests/fixtures/cli/profiles/scientist.json",
        "--rules",
        RULES,
        "--as-of",
        "2023-02-30"
    ]));
    insta::assert_snapshot!(transcript(&[
        "check",
        "tests/fixtures/cli/profiles/scientist.json",
        "--rules",
        RULES,
        "--role",
        "scientst"
    ]));
    insta::assert_snapshot!(transcript(&[
        "check",
        "tests/fixtures/cli/profiles/scientist.json",
        "--rules",
        RULES,
        "--state",
        "ca"
    ]));
    insta::assert_snapshot!(transcript(&[
        "check",
        "no-such-profile.json",
        "--rules",
        RULES
    ]));
    insta::assert_snapshot!(transcript(&[
        "check",
        "tests/fixtures/cli/profiles/scientist.json",
        "--rules",
        "tests/fixtures/diagnostics/syntax__unknown_condition.elig"
    ]));
}

#[test]
fn lint_reports_every_problem_and_exits_1() {
    insta::assert_snapshot!(transcript(&[
        "lint",
        "tests/fixtures/diagnostics/syntax__two_broken_items.elig"
    ]));
    insta::assert_snapshot!(transcript(&[
        "lint",
        "tests/fixtures/diagnostics/comparison__equals.elig",
        "--format",
        "json"
    ]));
}

#[test]
fn lint_of_a_clean_rule_set_exits_0_and_of_a_missing_path_exits_2() {
    insta::assert_snapshot!(transcript(&["lint", RULES]));
    insta::assert_snapshot!(transcript(&["lint", "no/such/rules"]));
}

#[test]
fn test_runs_the_rule_tests_with_coverage() {
    insta::assert_snapshot!(transcript(&["test", "--rules", RULES, "--coverage"]));
}

#[test]
fn a_failing_rule_test_says_what_differed_and_exits_1() {
    let dir = scratch("failing-test");
    std::fs::write(
        dir.join("r.elig"),
        "role r \"R\" {\n  source \"x\"\n  degree >= bachelor\n}\n\ntest \"an associate is enough\" {\n  as_of 2026-11-21\n  profile \"\"\"{\"education\": [{\"degree\": \"associate\", \"completed\": \"2020-01-01\"}]}\"\"\"\n  expect r eligible\n}\n",
    )
    .unwrap();
    let (code, stdout, _) = eligo(&["test", dir.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("FAILED  an associate is enough"),
        "{stdout}"
    );
    assert!(
        stdout.contains("`r`: expected eligible, got not_eligible"),
        "{stdout}"
    );
    assert!(stdout.ends_with("0 passed, 1 failed\n"), "{stdout}");
}

#[test]
fn fmt_check_lists_unformatted_files_and_fmt_rewrites_them() {
    let dir = scratch("fmt");
    let file = dir.join("messy.elig");
    std::fs::write(
        &file,
        "role r \"R\" {   source \"x\"\n      degree>=bachelor }\n",
    )
    .unwrap();
    let (code, stdout, stderr) = eligo(&["fmt", "--check", dir.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.contains("messy.elig"));
    let (code, _, stderr) = eligo(&["fmt", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "role r \"R\" {\n  source \"x\"\n  degree >= bachelor\n}\n"
    );
    let (code, _, _) = eligo(&["fmt", "--check", dir.to_str().unwrap()]);
    assert_eq!(code, 0);
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
}

#[test]
fn fmt_leaves_a_file_with_a_syntax_error_untouched() {
    let dir = scratch("fmt-broken");
    let file = dir.join("broken.elig");
    let text = "role r \"R\" {\n  degre >= bachelor\n}\n";
    std::fs::write(&file, text).unwrap();
    let (code, _, stderr) = eligo(&["fmt", dir.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown condition or statement `degre`"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}

#[test]
fn schema_is_json_schema_of_the_profile() {
    let (code, stdout, _) = eligo(&["schema"]);
    assert_eq!(code, 0);
    let schema: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(
        schema["$schema"]
            .as_str()
            .unwrap()
            .contains("json-schema.org")
    );
    assert!(schema["properties"]["experience"].is_object());
    // A course gives semester hours or quarter hours, never both.
    let one_of = &schema["$defs"]["Coursework"]["oneOf"];
    assert_eq!(one_of[0]["required"][0], "semester_hours");
    assert_eq!(one_of[0]["not"]["required"][0], "quarter_hours");
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, stderr) = eligo(&["check"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("PROFILE"));
    let (code, _, _) = eligo(&["frobnicate"]);
    assert_eq!(code, 2);
}

#[test]
fn the_rules_folder_comes_from_eligo_rules_when_there_is_no_rules_folder_here() {
    let dir = scratch("env-rules");
    let output = Command::new(env!("CARGO_BIN_EXE_eligo"))
        .args(["roles"])
        .current_dir(&dir)
        .env(
            "ELIGO_RULES",
            Path::new(env!("CARGO_MANIFEST_DIR")).join(RULES),
        )
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).contains("cert-mls"));
}

/// A fresh empty folder for one test.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("eligo-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn screening_an_empty_folder_is_an_error() {
    let dir = scratch("empty-screen");
    let (code, _, stderr) = eligo(&[
        "screen",
        dir.to_str().unwrap(),
        "--role",
        "scientist",
        "--rules",
        RULES,
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("nobody was screened"), "{stderr}");
}

#[test]
fn one_file_of_the_rule_set_is_checked_with_the_rest_of_the_set() {
    // `rules/jobs/mls.elig` uses a `let` defined in `rules/jobs/common.elig`.
    let (code, _, stderr) = eligo(&["lint", "rules/jobs/mls.elig"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr, "1 file checked: no problems\n");
    let (code, stdout, stderr) = eligo(&["test", "rules/jobs/mls.elig"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout
            .lines()
            .filter(|l| l.starts_with("ok"))
            .all(|l| l.contains("rules/jobs/mls.elig")),
        "{stdout}"
    );
    assert!(stdout.ends_with(" passed, 0 failed\n"), "{stdout}");
}

#[test]
fn vocabulary_lists_the_values_profiles_may_use() {
    insta::assert_snapshot!(transcript(&["vocabulary", "--rules", RULES]));
    let (code, stdout, _) = eligo(&[
        "vocabulary",
        "setting",
        "--rules",
        RULES,
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["setting"]["terms"][0]["term"], "clinical laboratory");
    assert_eq!(
        json["setting"]["terms"][0]["aliases"][0],
        "hospital laboratory"
    );
}

#[test]
fn check_reads_a_profile_from_standard_input() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_eligo"))
        .args([
            "check",
            "-",
            "--role",
            "scientist",
            "--rules",
            RULES,
            "--as-of",
            "2026-11-21",
            "--state",
            "TX",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let profile = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cli/profiles/scientist.json"),
    )
    .unwrap();
    child.stdin.take().unwrap().write_all(&profile).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("sam (state TX)"));
}

#[test]
fn an_unknown_profile_value_is_a_located_warning_with_the_nearest_known_one() {
    insta::assert_snapshot!(transcript(&[
        "check",
        "tests/fixtures/cli/profiles/unknown-setting.json",
        "--role",
        "cert-mls",
        "--rules",
        RULES,
        "--as-of",
        "2026-11-21"
    ]));
}

#[test]
fn fmt_check_transcript() {
    insta::assert_snapshot!(transcript(&[
        "fmt",
        "--check",
        "tests/fixtures/format/messy_layout.elig"
    ]));
    insta::assert_snapshot!(transcript(&["fmt", "--check", RULES]));
}

/// Runs eligo with stdout on `/dev/full` (every write fails with "no space
/// left on device"); returns the exit code and stderr.
fn with_stdout_on_dev_full(args: &[&str]) -> (i32, String) {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full exists on Linux");
    let output = Command::new(env!("CARGO_BIN_EXE_eligo"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("ELIGO_RULES")
        .stdout(full)
        .output()
        .expect("eligo runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_failure_to_write_the_output_exits_2_with_one_message_for_every_verb() {
    const TECHNICIAN: &str = "tests/fixtures/cli/profiles/technician.json";
    const APPLICANTS: &str = "tests/fixtures/screen/profiles";
    const SCREEN_RULES: &str = "tests/fixtures/screen/rules";
    let runs: &[&[&str]] = &[
        &["roles", "--rules", RULES],
        &["roles", "--rules", RULES, "--format", "json"],
        &[
            "explain",
            "cert-mlt",
            "--rules",
            RULES,
            "--as-of",
            "2026-11-21",
        ],
        &[
            "explain",
            "scientist",
            "--rules",
            RULES,
            "--format",
            "json",
            "--as-of",
            "2026-11-21",
        ],
        &[
            "check",
            TECHNICIAN,
            "--rules",
            RULES,
            "--as-of",
            "2026-11-21",
        ],
        &[
            "check",
            TECHNICIAN,
            "--rules",
            RULES,
            "--as-of",
            "2026-11-21",
            "--format",
            "json",
        ],
        &[
            "check",
            TECHNICIAN,
            "--role",
            "scientist",
            "--rules",
            RULES,
            "--as-of",
            "2026-11-21",
        ],
        &["vocabulary", "--rules", RULES],
        &["vocabulary", "--rules", RULES, "--format", "json"],
        &["schema"],
        &["lint", RULES, "--format", "json"],
        &[
            "lint",
            "tests/fixtures/diagnostics/syntax__two_broken_items.elig",
            "--format",
            "json",
        ],
        &["test", RULES],
        &["fmt", "--check", "tests/fixtures/format/messy_layout.elig"],
        &["--help"],
        &[
            "screen",
            APPLICANTS,
            "--role",
            "mls",
            "--rules",
            SCREEN_RULES,
            "--as-of",
            "2026-11-21",
        ],
        &[
            "screen",
            APPLICANTS,
            "--role",
            "mls",
            "--rules",
            SCREEN_RULES,
            "--as-of",
            "2026-11-21",
            "--format",
            "csv",
        ],
        &[
            "screen",
            APPLICANTS,
            "--role",
            "mls",
            "--rules",
            SCREEN_RULES,
            "--as-of",
            "2026-11-21",
            "--format",
            "jsonl",
        ],
        &[
            "screen",
            APPLICANTS,
            "--role",
            "mls",
            "--rules",
            SCREEN_RULES,
            "--as-of",
            "2026-11-21",
            "--format",
            "summary",
        ],
    ];
    for args in runs {
        let (code, stderr) = with_stdout_on_dev_full(args);
        let shown = args.join(" ");
        assert_eq!(code, 2, "eligo {shown} > /dev/full\n{stderr}");
        assert_eq!(
            stderr.matches("cannot write the output").count(),
            1,
            "eligo {shown} > /dev/full\n{stderr}"
        );
        assert!(
            stderr.contains("no space left on device"),
            "eligo {shown} > /dev/full\n{stderr}"
        );
    }
}

#[test]
fn a_closed_pipe_on_stdout_is_quiet_for_every_verb() {
    let runs: &[&[&str]] = &[
        &["roles", "--rules", RULES],
        &["schema"],
        &["vocabulary", "--rules", RULES],
        &[
            "check",
            "tests/fixtures/cli/profiles/technician.json",
            "--rules",
            RULES,
            "--as-of",
            "2026-11-21",
        ],
    ];
    for args in runs {
        let mut child = Command::new(env!("CARGO_BIN_EXE_eligo"))
            .args(*args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("NO_COLOR", "1")
            .env_remove("ELIGO_RULES")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("eligo runs");
        // The reader goes away before reading anything, as `| head -0` would.
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("eligo ends");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_ne!(
            output.status.code(),
            Some(2),
            "eligo {}\n{stderr}",
            args.join(" ")
        );
        assert!(stderr.is_empty(), "eligo {}\n{stderr}", args.join(" "));
    }
}

#[test]
fn check_of_a_json_lines_file_points_to_screen() {
    insta::assert_snapshot!(transcript(&[
        "check",
        "tests/fixtures/screen/profiles/more-applicants.jsonl",
        "--rules",
        RULES,
        "--as-of",
        "2026-11-21"
    ]));
}
