//! `eligo screen` end to end: the binary run on generated and hand-written
//! applicants against the small rule set in `tests/fixtures/screen/rules`
//! (not the shipped `rules/`), evaluated on a pinned date.

#[allow(dead_code, clippy::all)]
#[path = "../examples/gen.rs"]
mod synthetic;

use eligo::date::Date;
use eligo::eval::{Context, Fact, RoleOutcome, Unmet, UnmetKind, Verdict, evaluate_role};
use eligo::loader::load_rules;
use eligo::profile::Profile;
use eligo::render::{Lead, Voice, Words, gap_sentence};
use eligo::ruleset::RuleSet;
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const AS_OF: &str = "2026-01-15";
const RULES: &str = "tests/fixtures/screen/rules";
const PROFILES: &str = "tests/fixtures/screen/profiles";
const SEED: u64 = 2026;
const RECORDS: usize = 10_000;

/// Lines (1-based) replaced by bad records in the generated file, and the
/// start of the message each gets.
const BAD: [(usize, &str); 4] = [
    (17, "the profile ends in the middle of a list"),
    (
        2_500,
        "unknown field `educaton` in the profile (did you mean `education`?)",
    ),
    (7_777, "impossible date `2023-02-30`"),
    (9_001, "the line is not UTF-8 text"),
];
/// A blank line (skipped, but counted in line numbers).
const BLANK_LINE: usize = 5_000;

fn eligo() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_eligo"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("ELIGO_RULES")
        .env_remove("COLUMNS")
        .env("NO_COLOR", "1");
    command
}

/// `eligo screen ARGS… --rules <fixture> --as-of 2026-01-15`.
fn screen(args: &[&str]) -> Output {
    eligo()
        .arg("screen")
        .args(args)
        .args(["--rules", RULES, "--as-of", AS_OF])
        .output()
        .expect("run eligo")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The generated file and its records, each `(line, text)`.
type Generated = (PathBuf, Vec<(usize, Vec<u8>)>);

/// The 10,000-record file: generated applicants, four bad lines and a blank
/// one. Written once per test process. Returns its path and the records as
/// `(line, text)`.
fn applicants() -> &'static Generated {
    static FILE: std::sync::OnceLock<Generated> = std::sync::OnceLock::new();
    FILE.get_or_init(|| {
        let mut records = Vec::new();
        let mut text = Vec::new();
        let mut line = 0;
        let mut index = 0;
        while records.len() < RECORDS {
            line += 1;
            if line == BLANK_LINE {
                text.extend_from_slice(b"   \n");
                continue;
            }
            let record: Vec<u8> = match line {
                17 => br#"{"id": "broken-17", "education": ["#.to_vec(),
                2_500 => br#"{"id":"typo-2500","educaton":[{"degree":"bachelor"}]}"#.to_vec(),
                7_777 => br#"{"id":"date-7777","experience":[{"start":"2023-02-30"}]}"#.to_vec(),
                9_001 => b"{\"id\":\"latin1-\xe9\"}".to_vec(),
                _ => synthetic::profile_line(SEED, index).into_bytes(),
            };
            index += 1;
            text.extend_from_slice(&record);
            text.push(b'\n');
            records.push((line, record));
        }
        // The content is deterministic: write it under a private name, then
        // move it into place (harmless if another test run does the same).
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
        let path = dir.join("screen-applicants.jsonl");
        let private = dir.join(format!("screen-applicants.{}.tmp", std::process::id()));
        std::fs::write(&private, text).unwrap();
        std::fs::rename(&private, &path).unwrap();
        (path, records)
    })
}

fn applicants_path() -> &'static str {
    applicants().0.to_str().unwrap()
}

fn rules() -> RuleSet {
    let loaded =
        load_rules(&Path::new(env!("CARGO_MANIFEST_DIR")).join(RULES)).expect("rules load");
    assert!(!loaded.has_errors());
    loaded.rules.unwrap()
}

/// Every good record, parsed, with its line.
fn good_profiles() -> Vec<(usize, Profile)> {
    applicants()
        .1
        .iter()
        .filter(|(line, _)| !BAD.iter().any(|(bad, _)| bad == line))
        .map(|(line, text)| {
            (
                *line,
                serde_json::from_slice(text).expect("a generated profile"),
            )
        })
        .collect()
}

fn read_csv(text: &str) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("well-formed CSV"))
        .collect();
    (header, rows)
}

#[test]
fn ten_thousand_records_with_bad_lines_give_every_row_and_exit_2() {
    let output = screen(&[
        applicants_path(),
        "--role",
        "mls,phlebotomist",
        "--format",
        "csv",
        "--jobs",
        "2",
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let (header, rows) = read_csv(&stdout(&output));
    assert_eq!(
        header,
        [
            "profile",
            "role",
            "verdict",
            "unmet",
            "file",
            "line",
            "message",
            "unmet_json",
            "rules",
            "newest_source"
        ]
    );
    // Rows out = records in × roles.
    assert_eq!(rows.len(), RECORDS * 2);
    let errors: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[2] == "error").collect();
    assert_eq!(errors.len(), BAD.len() * 2);
    for (row, (line, message)) in errors.chunks(2).zip(BAD) {
        for (error, role) in row.iter().zip(["mls", "phlebotomist"]) {
            assert_eq!(&error[1], role);
            assert_eq!(&error[4], applicants_path());
            assert_eq!(error[5].parse::<usize>().unwrap(), line);
            assert!(error[6].starts_with(message), "line {line}: {}", &error[6]);
            assert_eq!(&error[3], "");
        }
    }
    // A record whose JSON is readable keeps its id; one that is not gets `file:line`.
    assert_eq!(&errors[0][0], "screen-applicants:17");
    assert_eq!(&errors[2][0], "typo-2500");
    // Every good row has a verdict, its line, and unmet text exactly when not eligible.
    let lines: Vec<usize> = applicants().1.iter().map(|(line, _)| *line).collect();
    for (index, row) in rows.iter().enumerate() {
        assert_eq!(
            row[5].parse::<usize>().unwrap(),
            lines[index / 2],
            "row {index}"
        );
        match &row[2] {
            "eligible" => assert!(row[3].is_empty() && row[6].is_empty()),
            "not_eligible" | "undetermined" => {
                assert!(row[3].starts_with("needs") || row[3].starts_with("depends"))
            }
            "error" => {}
            other => panic!("unexpected verdict {other}"),
        }
    }
    assert!(!lines.contains(&BLANK_LINE));
    let message = stderr(&output);
    assert!(
        message.contains(&format!(
            "error: 4 records could not be read (first: {}:17: the profile ends in the middle of a list",
            applicants_path()
        )),
        "{message}"
    );
}

#[test]
fn verdicts_match_a_direct_evaluation_of_every_profile() {
    let output = screen(&[applicants_path(), "--role", "mlt", "--format", "csv"]);
    let (_, rows) = read_csv(&stdout(&output));
    let rules = rules();
    let role = rules.role_id("mlt").unwrap();
    let ctx = Context::new(Date::parse(AS_OF).unwrap());
    let expected: HashMap<usize, Verdict> = good_profiles()
        .into_iter()
        .map(|(line, profile)| (line, evaluate_role(&rules, role, &profile, &ctx).verdict))
        .collect();
    for row in &rows {
        let line: usize = row[5].parse().unwrap();
        match expected.get(&line) {
            Some(verdict) => assert_eq!(&row[2], verdict.as_str(), "line {line}"),
            None => assert_eq!(&row[2], "error"),
        }
    }
}

#[test]
fn output_is_the_same_bytes_whatever_the_number_of_threads() {
    for format in ["csv", "jsonl", "table"] {
        let one = screen(&[
            applicants_path(),
            "--role",
            "mls,mlt",
            "--format",
            format,
            "--jobs",
            "1",
        ]);
        let two = screen(&[
            applicants_path(),
            "--role",
            "mls,mlt",
            "--format",
            format,
            "--jobs",
            "2",
        ]);
        let four = screen(&[
            applicants_path(),
            "--role",
            "mls,mlt",
            "--format",
            format,
            "--jobs",
            "4",
        ]);
        assert!(
            one.stdout == two.stdout,
            "{format}: --jobs 1 and --jobs 2 differ"
        );
        assert!(
            one.stdout == four.stdout,
            "{format}: --jobs 1 and --jobs 4 differ"
        );
        assert_eq!(one.status.code(), Some(2));
    }
    // And the rows are in input order.
    let output = screen(&[
        applicants_path(),
        "--role",
        "mls",
        "--format",
        "jsonl",
        "--jobs",
        "2",
    ]);
    let mut previous = 0;
    for line in stdout(&output).lines() {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        let at = row["line"].as_u64().unwrap();
        assert!(at > previous, "line {at} after {previous}");
        previous = at;
    }
}

#[test]
fn only_filters_rows_and_keeps_error_rows() {
    let all = screen(&[applicants_path(), "--role", "mls", "--format", "csv"]);
    let (_, all_rows) = read_csv(&stdout(&all));
    let count = |verdict: &str| all_rows.iter().filter(|r| &r[2] == verdict).count();
    for verdict in ["eligible", "not_eligible", "undetermined"] {
        let only = screen(&[
            applicants_path(),
            "--role",
            "mls",
            "--format",
            "csv",
            "--only",
            verdict,
        ]);
        let (_, rows) = read_csv(&stdout(&only));
        assert_eq!(
            rows.iter().filter(|r| &r[2] == verdict).count(),
            count(verdict),
            "{verdict}"
        );
        assert_eq!(
            rows.iter().filter(|r| &r[2] == "error").count(),
            BAD.len(),
            "{verdict}"
        );
        assert_eq!(rows.len(), count(verdict) + BAD.len());
        // The exit code still speaks for every row.
        assert_eq!(only.status.code(), Some(2));
    }
    let both = screen(&[
        applicants_path(),
        "--role",
        "mls",
        "--format",
        "csv",
        "--only",
        "eligible",
        "--only",
        "undetermined",
    ]);
    assert_eq!(
        read_csv(&stdout(&both)).1.len(),
        count("eligible") + count("undetermined") + BAD.len()
    );
    let errors = screen(&[
        applicants_path(),
        "--role",
        "mls",
        "--format",
        "csv",
        "--only",
        "error",
    ]);
    let (_, rows) = read_csv(&stdout(&errors));
    assert_eq!(rows.len(), BAD.len());
    assert!(rows.iter().all(|r| &r[2] == "error"));
}

/// Numbers of the summary section of one role: verdict counts, blocking
/// conditions, and the count of close applicants.
struct RoleSummary {
    counts: BTreeMap<String, u64>,
    blocking: Vec<(u64, String)>,
    close: u64,
}

fn number(text: &str) -> u64 {
    text.trim()
        .replace(',', "")
        .parse()
        .unwrap_or_else(|_| panic!("not a number: {text:?}"))
}

fn parse_summary(text: &str, heading: &str) -> RoleSummary {
    let section: Vec<&str> = text
        .lines()
        .skip_while(|line| *line != heading)
        .skip(1)
        .take_while(|line| line.is_empty() || line.starts_with(' '))
        .collect();
    assert!(!section.is_empty(), "no section {heading} in\n{text}");
    let mut counts = BTreeMap::new();
    for label in ["eligible", "not eligible", "undetermined"] {
        let line = section
            .iter()
            .find(|line| {
                line.starts_with("  ") && !line.starts_with("   ") && line[2..].starts_with(label)
            })
            .unwrap_or_else(|| panic!("no {label} line"));
        let rest = line[2 + label.len()..].trim_start();
        counts.insert(
            label.to_string(),
            number(rest.split_whitespace().next().unwrap()),
        );
    }
    let blocking = section
        .iter()
        .skip_while(|line| !line.contains("What keeps the others out"))
        .skip(1)
        .take_while(|line| line.starts_with("    "))
        .filter(|line| !line.contains("…and"))
        .map(|line| {
            let line = line.trim_start();
            let (count, sentence) = line.split_once("  ").unwrap();
            (number(count), sentence.to_string())
        })
        .collect();
    let close = section
        .iter()
        .find_map(|line| line.strip_prefix("  Close to qualifying: "))
        .map_or(0, |rest| {
            if rest.starts_with("nobody") {
                0
            } else {
                number(rest.split_whitespace().next().unwrap())
            }
        });
    RoleSummary {
        counts,
        blocking,
        close,
    }
}

/// The definition of "close", written out independently of the summary code.
fn brute_force_close(outcome: &RoleOutcome) -> bool {
    if outcome.verdict != Verdict::NotEligible {
        return false;
    }
    let small = |u: &Unmet| match (u.kind, u.unit(), u.needed(), u.have()) {
        (UnmetKind::Experience, Some("months"), Some(n), Some(h)) => n - h <= 6.0 + 1e-9,
        (UnmetKind::Coursework, Some("semester_hours"), Some(n), Some(h)) => n - h <= 6.0 + 1e-9,
        (UnmetKind::Certification | UnmetKind::License, _, _, _) => true,
        _ => false,
    };
    if outcome.routes.is_empty() {
        return outcome.unmet.len() == 1 && small(&outcome.unmet[0]);
    }
    let outside: Vec<&Unmet> = outcome.unmet.iter().filter(|u| u.route.is_none()).collect();
    outcome.routes.iter().any(|route| {
        let mut gaps = outside.clone();
        match route.verdict {
            Verdict::Eligible => {}
            Verdict::NotEligible => gaps.extend(&route.unmet),
            Verdict::Undetermined => return false,
        }
        gaps.len() == 1 && small(gaps[0])
    })
}

#[test]
fn summary_figures_match_a_brute_force_count() {
    let output = screen(&[
        applicants_path(),
        "--role",
        "mls,phlebotomist",
        "--format",
        "summary",
        "--jobs",
        "2",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let text = stdout(&output);
    assert!(
        text.contains(&format!(
            "{} applicants screened against 2 roles; 4 records could not be read",
            "9,996"
        )),
        "{text}"
    );
    let rules = rules();
    let ctx = Context::new(Date::parse(AS_OF).unwrap());
    let profiles = good_profiles();
    for id in ["mls", "phlebotomist"] {
        let role = rules.role_id(id).unwrap();
        let title = &rules[role].title;
        let summary = parse_summary(&text, &format!("{title} ({id})"));
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        let mut blocking: HashMap<String, u64> = HashMap::new();
        let mut close = 0;
        for (_, profile) in &profiles {
            let outcome = evaluate_role(&rules, role, profile, &ctx);
            let label = outcome.verdict.as_str().replace('_', " ");
            *counts.entry(label).or_default() += 1;
            let mut seen = Vec::new();
            let words = Words::new(&rules, profile, Voice::Applicant);
            for unmet in &outcome.unmet {
                // What the condition needs, about the applicant: the lead of
                // its sentence, marked when the profile lacks the fact.
                let mut key = match gap_sentence(words, unmet).0 {
                    Lead::Needs(phrase) => format!("needs {phrase}"),
                    Lead::Says(text) => text,
                };
                if unmet
                    .facts
                    .iter()
                    .any(|fact| matches!(fact, Fact::NoState | Fact::Age(None)))
                {
                    key.push_str(" (not stated in the profile)");
                }
                if !seen.contains(&key) {
                    *blocking.entry(key.clone()).or_default() += 1;
                    seen.push(key);
                }
            }
            close += u64::from(brute_force_close(&outcome));
        }
        for label in ["eligible", "not eligible", "undetermined"] {
            assert_eq!(
                summary.counts[label],
                counts.get(label).copied().unwrap_or(0),
                "{id} {label}"
            );
        }
        assert!(!summary.blocking.is_empty());
        let mut expected: Vec<(u64, String)> = blocking.into_iter().map(|(k, n)| (n, k)).collect();
        expected.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        expected.truncate(summary.blocking.len());
        assert_eq!(summary.blocking, expected, "{id}");
        assert_eq!(summary.close, close, "{id}");
    }
}

#[test]
fn a_closed_pipe_stops_the_run_quietly() {
    for format in ["csv", "table", "jsonl"] {
        let mut child = eligo()
            .args([
                "screen",
                applicants_path(),
                "--role",
                "mls,mlt,phlebotomist",
                "--format",
                format,
            ])
            .args(["--rules", RULES, "--as-of", AS_OF])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        out.read_line(&mut first).unwrap();
        assert!(!first.is_empty());
        drop(out); // like `| head -1`
        let output = child.wait_with_output().unwrap();
        let message = stderr(&output);
        assert!(
            output.status.code().is_some(),
            "{format}: killed by a signal"
        );
        assert!(!message.contains("panicked"), "{format}: {message}");
        assert!(!message.contains("Broken pipe"), "{format}: {message}");
    }
}

#[test]
fn standard_input_reads_json_lines() {
    let mut child = eligo()
        .args([
            "screen", "-", "--role", "mlt", "--format", "csv", "--rules", RULES, "--as-of", AS_OF,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        for index in 0..3 {
            writeln!(stdin, "{}", synthetic::profile_line(SEED, index)).unwrap();
        }
    }
    let output = child.wait_with_output().unwrap();
    let (_, rows) = read_csv(&stdout(&output));
    let ids: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(
        ids,
        [
            "applicant-0000001",
            "applicant-0000002",
            "applicant-0000003"
        ]
    );
    assert!(rows.iter().all(|r| &r[4] == "<stdin>"));
}

#[test]
fn exit_codes_say_whether_everyone_is_eligible() {
    let ana = format!("{PROFILES}/ana-ruiz.json");
    assert_eq!(screen(&[&ana, "--role", "mls"]).status.code(), Some(0));
    assert_eq!(
        screen(&[&ana, "--role", "mls,phlebotomist"]).status.code(),
        Some(1)
    );
    let dana = format!("{PROFILES}/dana-smith.json");
    assert_eq!(
        screen(&[&dana, "--role", "mls"]).status.code(),
        Some(1),
        "undetermined is not eligible"
    );
    assert_eq!(
        screen(&[&ana, "--role", "mls", "--state", "XX"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn bad_arguments_exit_2_with_a_hint() {
    let output = screen(&[PROFILES, "--role", "mlss"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no role named `mlss`"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("did you mean `mls`?"),
        "{}",
        stderr(&output)
    );
    assert!(output.stdout.is_empty());

    let output = screen(&[PROFILES]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--role"), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("mls, mlt, phlebotomist"),
        "{}",
        stderr(&output)
    );

    let output = screen(&["no/such/folder", "--role", "mls"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot read `no/such/folder`"),
        "{}",
        stderr(&output)
    );

    let output = screen(&[PROFILES, "--role", "mls", "--jobs", "0"]);
    assert_eq!(output.status.code(), Some(2));
}

// ---------------------------------------------------------------------------
// Snapshots of the small hand-written cohort: a folder with JSON, TOML and
// JSON Lines files, two of them with mistakes.

fn cohort(format: &str, extra: &[&str]) -> String {
    let mut args = vec![
        PROFILES,
        "--role",
        "mls,mlt,phlebotomist",
        "--format",
        format,
    ];
    args.extend_from_slice(extra);
    let output = screen(&args);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn snapshot_table() {
    insta::assert_snapshot!("table", cohort("table", &[]));
}

#[test]
fn snapshot_csv() {
    let text = cohort("csv", &[]);
    let (_, rows) = read_csv(&text);
    assert_eq!(rows.len(), 8 * 3);
    insta::assert_snapshot!("csv", text);
}

#[test]
fn snapshot_jsonl() {
    let text = cohort("jsonl", &["--only", "not_eligible"]);
    for line in text.lines() {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        let keys: Vec<&String> = row.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "file",
                "line",
                "message",
                "newest_source",
                "profile",
                "role",
                "rules",
                "unmet",
                "verdict"
            ]
        );
    }
    insta::assert_snapshot!("jsonl", text);
}

#[test]
fn snapshot_summary() {
    insta::assert_snapshot!("summary", cohort("summary", &[]));
}

#[test]
fn summary_goes_to_stderr_after_csv() {
    let output = screen(&[PROFILES, "--role", "mls", "--format", "csv", "--summary"]);
    let (_, rows) = read_csv(&stdout(&output));
    assert_eq!(rows.len(), 8);
    assert!(stderr(&output).contains("Screening summary (as of 2026-01-15)"));
    let table = screen(&[PROFILES, "--role", "mls", "--summary"]);
    let text = stdout(&table);
    assert!(text.starts_with("PROFILE"));
    assert!(text.contains("\nScreening summary (as of 2026-01-15)\n"));
}

#[test]
fn the_fast_line_parser_agrees_with_the_full_one_on_generated_profiles() {
    let mutations: [(&str, &str); 5] = [
        ("", ""),
        ("\"semester_hours\":", "\"semester_hours\":-"),
        ("\"state\":\"CA\"", "\"state\":\"ZZ\""),
        ("\"end\":null", "\"end\":\"1999-01-01\""),
        ("\"degree\":\"bachelor\"", "\"degree\":\"bachelors\""),
    ];
    for index in 0..1_000 {
        let line = synthetic::profile_line(SEED, index);
        for (from, to) in mutations {
            if !from.is_empty() && !line.contains(from) {
                continue;
            }
            let text = if from.is_empty() {
                line.clone()
            } else {
                line.replacen(from, to, 1)
            };
            let fast = eligo::screen::parse_line("a.jsonl", 3, &text);
            let full = eligo::profile::parse_profile_line("a.jsonl", 3, &text);
            match (fast, full) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{text}"),
                (Err(a), Err(b)) => assert_eq!(
                    eligo::screen::diagnostics_message(&a),
                    eligo::screen::diagnostics_message(&b)
                ),
                (a, b) => panic!(
                    "the parsers disagree on {text}: {:?} / {:?}",
                    a.is_ok(),
                    b.is_ok()
                ),
            }
        }
    }
}
