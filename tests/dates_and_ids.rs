//! The default evaluation date is the local one; a birth date after the
//! evaluation date is refused (located); a profile id given to several
//! records in one `screen` run is reported.

mod common;

use common::eligo;
use std::process::Command;

const RULES: &str = "tests/fixtures/cli/rules";
const TECHNICIAN: &str = "tests/fixtures/cli/profiles/technician.json";

/// `check`'s header date when run with `TZ=zone` and no `--as-of`.
fn as_of_in(zone: &str) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_eligo"))
        .args(["check", TECHNICIAN, "--rules", RULES])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("TZ", zone)
        .output()
        .expect("eligo runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let date = stdout
        .lines()
        .next()
        .and_then(|line| line.rsplit("as of ").next())
        .unwrap_or_default()
        .to_string();
    (output.status.code().unwrap_or(-1), date)
}

#[test]
fn the_default_date_is_the_local_one() {
    // UTC+14 and UTC-11 are 25 hours apart: never the same calendar date.
    let (code, east) = as_of_in("Pacific/Kiritimati");
    assert_eq!(code, 0);
    let (_, west) = as_of_in("Pacific/Pago_Pago");
    assert!(
        east.len() == 10 && west.len() == 10 && east > west,
        "{east} vs {west}"
    );
    // An unknown zone falls back to UTC, without a panic.
    let (code, fallback) = as_of_in("No/Such_Zone");
    assert_eq!(code, 0);
    assert_eq!(fallback.len(), 10, "{fallback}");
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("eligo-dates-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_birth_date_after_the_evaluation_date_is_refused_where_it_is_written() {
    let dir = scratch("born");
    let profile = dir.join("unborn.json");
    std::fs::write(
        &profile,
        "{\n  \"id\": \"unborn\",\n  \"birth_date\": \"2090-05-01\",\n  \"state\": \"TX\"\n}\n",
    )
    .unwrap();
    let path = profile.to_str().unwrap();
    let (code, stdout, stderr) = eligo(&["check", path, "--rules", RULES, "--as-of", "2026-11-21"]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("`birth_date` 2090-05-01 is after the evaluation date 2026-11-21"),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("--> {path}:3:17")), "{stderr}");

    let (code, stdout, stderr) = eligo(&[
        "screen",
        path,
        "--role",
        "cert-mlt",
        "--rules",
        RULES,
        "--as-of",
        "2026-11-21",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stdout.contains("unborn,cert-mlt,error,")
            && stdout.contains("is after the evaluation date"),
        "{stdout}"
    );
    // Born on the evaluation date is fine (age 0).
    let (code, _, stderr) = eligo(&["check", path, "--rules", RULES, "--as-of", "2090-05-01"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_profile_id_used_twice_in_one_screen_is_reported() {
    let dir = scratch("ids");
    let file = dir.join("applicants.jsonl");
    std::fs::write(
        &file,
        "{\"id\": \"ana\", \"state\": \"TX\"}\n{\"id\": \"bo\", \"state\": \"TX\"}\n{\"id\": \"ana\", \"state\": \"CA\"}\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let (code, stdout, stderr) = eligo(&[
        "screen",
        path,
        "--role",
        "cert-mlt",
        "--rules",
        RULES,
        "--as-of",
        "2026-11-21",
        "--format",
        "csv",
        "--summary",
    ]);
    assert_eq!(code, 1, "not an error, only a warning:\n{stderr}");
    assert_eq!(
        stdout.lines().count(),
        4,
        "every record keeps its rows:\n{stdout}"
    );
    assert!(
        stderr.contains(&format!(
            "warning: profile id `ana` at {path}:3 repeats the id of an earlier record"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 record repeats an earlier profile id (first: `ana`)"),
        "the summary says it too:\n{stderr}"
    );
    let (_, _, stderr) = eligo(&[
        "screen",
        path,
        path,
        "--role",
        "cert-mlt",
        "--rules",
        RULES,
        "--as-of",
        "2026-11-21",
        "--format",
        "csv",
    ]);
    assert_eq!(
        stderr
            .matches("repeats the id of an earlier record")
            .count(),
        4,
        "the same file given twice: `ana` 3 times, `bo` twice:\n{stderr}"
    );
}
