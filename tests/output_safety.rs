//! What a profile says cannot drive the reader's terminal or spreadsheet:
//! control characters are escaped in text output (check, screen's table,
//! diagnostics), CSV cells that would run as formulas start with `'`, and
//! the CSV `unmet` column splits exactly into its items (`unmet_json`
//! carries them as data). JSON output stays exact.

mod common;

use common::eligo;

const RULES: &str = "tests/fixtures/cli/rules";
const ESCAPES: &str = "tests/fixtures/injection/escapes.json";
const FORMULAS: &str = "tests/fixtures/injection/formulas.jsonl";

#[test]
fn check_text_escapes_control_characters_from_the_profile() {
    for extra in [&[][..], &["--detail", "--evidence"]] {
        let mut args = vec!["check", ESCAPES, "--rules", RULES, "--as-of", "2026-11-21"];
        args.extend_from_slice(extra);
        let (code, stdout, stderr) = eligo(&args);
        assert_eq!(code, 0, "{stderr}");
        assert!(
            !stdout.contains('\x1b'),
            "a raw escape on stdout:\n{stdout:?}"
        );
        assert!(
            !stderr.contains('\x1b'),
            "a raw escape on stderr:\n{stderr:?}"
        );
        assert!(stdout.starts_with("evil\\x1b[2J (state TX)"), "{stdout}");
        // The warnings about the unknown area and setting quote them escaped,
        // on one line each.
        assert!(
            stderr.contains("`experience[0].area` is `hem\\x1b[31matology\\nfake row`, which"),
            "{stderr}"
        );
        assert!(
            stderr.contains("`experience[0].setting` is `x\\ny`, which is not a known setting"),
            "{stderr}"
        );
    }
    let (_, stdout, _) = eligo(&[
        "check",
        ESCAPES,
        "--rules",
        RULES,
        "--as-of",
        "2026-11-21",
        "--role",
        "cert-mlt",
    ]);
    assert!(
        stdout.contains("work in a x\\ny does not count"),
        "the setting is quoted on one line:\n{stdout}"
    );
}

#[test]
fn check_json_keeps_the_values_exact() {
    let (_, stdout, _) = eligo(&[
        "check",
        ESCAPES,
        "--rules",
        RULES,
        "--as-of",
        "2026-11-21",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["profiles"][0]["profile"], "evil\u{1b}[2J", "{stdout}");
}

#[test]
fn the_screen_table_escapes_values_and_keeps_one_row_per_line() {
    let (code, stdout, stderr) = eligo(&[
        "screen",
        ESCAPES,
        FORMULAS,
        "--role",
        "cert-mlt",
        "--rules",
        RULES,
        "--as-of",
        "2026-11-21",
        "--format",
        "table",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        !stdout.contains('\x1b') && !stdout.contains('\t'),
        "{stdout:?}"
    );
    assert!(stdout.contains("\nevil\\x1b[2J "), "{stdout}");
    assert!(stdout.contains("\n\\tTAB "), "{stdout}");
    // Every row starts at the left margin (a continuation line is indented).
    let rows = stdout
        .lines()
        .skip(1)
        .filter(|line| !line.starts_with(' '))
        .count();
    assert_eq!(rows, 7, "{stdout}");
}

#[test]
fn csv_cells_that_would_run_as_formulas_start_with_a_quote() {
    let (_, stdout, stderr) = eligo(&[
        "screen",
        FORMULAS,
        "--role",
        "cert-mlt",
        "--rules",
        RULES,
        "--as-of",
        "2026-11-21",
        "--format",
        "csv",
    ]);
    let mut reader = csv::Reader::from_reader(stdout.as_bytes());
    let profiles: Vec<String> = reader
        .records()
        .map(|record| record.unwrap()[0].to_string())
        .collect();
    assert_eq!(
        profiles,
        [
            "'=HYPERLINK(\"http://x\")",
            "'+1",
            "'-2",
            "'@SUM(A1)",
            "'\tTAB",
            "plain-id"
        ],
        "{stdout}{stderr}"
    );
}

#[test]
fn the_csv_unmet_column_splits_exactly_and_unmet_json_carries_the_data() {
    let (_, stdout, stderr) = eligo(&[
        "screen",
        "tests/fixtures/cli/profiles/technician.json",
        "--role",
        "cert-mls,scientist",
        "--rules",
        RULES,
        "--as-of",
        "2026-11-21",
        "--format",
        "csv",
    ]);
    let mut reader = csv::Reader::from_reader(stdout.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
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
    let mut items_seen = 0;
    for record in reader.records() {
        let record = record.unwrap();
        let json: serde_json::Value = serde_json::from_str(&record[7]).unwrap();
        let from_json: Vec<String> = json
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["message"].as_str().unwrap().to_string())
            .collect();
        let from_text: Vec<String> = if record[3].is_empty() {
            Vec::new()
        } else {
            record[3]
                .split(" | ")
                .map(|item| item.replace("\\|", "|").replace("\\\\", "\\"))
                .collect()
        };
        assert_eq!(from_text, from_json, "{stdout}{stderr}");
        for item in json.as_array().unwrap() {
            assert!(item["kind"].is_string(), "{item}");
            for field in ["route", "needed", "have", "unit"] {
                assert!(item.get(field).is_some(), "{field} in {item}");
            }
        }
        items_seen += from_json.len();
    }
    assert!(items_seen >= 3, "{stdout}");
    assert!(
        stdout.contains("; "),
        "the items themselves contain `; `, which is why they are not the separator"
    );
}

#[test]
fn the_screen_summary_and_the_closing_note_escape_values() {
    for format in ["table", "summary", "csv"] {
        let (code, stdout, stderr) = eligo(&[
            "screen",
            "tests/fixtures/injection/bad-state.jsonl",
            ESCAPES,
            "--role",
            "cert-mlt",
            "--rules",
            RULES,
            "--as-of",
            "2026-11-21",
            "--summary",
            "--format",
            format,
        ]);
        assert_eq!(code, 2, "{stderr}");
        if format != "csv" {
            assert!(!stdout.contains('\x1b'), "{format}: {stdout:?}");
        }
        assert!(!stderr.contains('\x1b'), "{format}: {stderr:?}");
        assert!(
            stderr.contains("invalid state `T\\x1b]0;x\\x07X`"),
            "{format}: {stderr}"
        );
    }
}
