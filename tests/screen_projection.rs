//! `screen --project`: the projected dates per row (CSV, JSON Lines) agree
//! with `check`'s, and the summary's "within N months" counts agree with a
//! count over the rows.

mod common;

use common::eligo;

/// Applicants in microbiology at various hours and start dates, and one
/// whose certificate expires soon.
fn applicants() -> String {
    let mut lines = Vec::new();
    for i in 0..24 {
        let start = format!("202{}-{:02}-01", 3 + i % 3, 1 + (i * 5) % 12);
        let hours = [16, 20, 32, 40][i % 4];
        let expires = if i % 5 == 0 {
            "2027-01-15"
        } else {
            "2032-03-01"
        };
        lines.push(
            serde_json::json!({
                "id": format!("a{i:02}"),
                "education": [{ "degree": "bachelor", "field": "biology", "completed": "2015-05-15" }],
                "certifications": [{ "issuer": "ASCP", "name": "M", "earned": "2018-03-01", "expires": expires }],
                "experience": [{ "area": "microbiology", "setting": "clinical laboratory", "start": start, "hours_per_week": hours }]
            })
            .to_string(),
        );
    }
    lines.join("\n") + "\n"
}

fn write_input() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("eligo-screen-projection-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("applicants.jsonl");
    std::fs::write(&path, applicants()).unwrap();
    path
}

#[test]
fn rows_carry_the_dates_check_gives_and_the_summary_counts_them() {
    let input = write_input();
    let input = input.to_string_lossy().to_string();
    let (_, csv, stderr) = eligo(&[
        "screen",
        &input,
        "--role",
        "ascp-sm",
        "--as-of",
        "2026-11-21",
        "--format",
        "csv",
        "--project",
        "--summary",
    ]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "profile,role,verdict,unmet,file,line,message,unmet_json,eligible_on,stops_on,rules,newest_source"
        )
    );
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let as_of = eligo::Date::parse("2026-11-21").unwrap();
    let mut within = [0u64; 3];
    let mut lapsing = 0;
    let mut rows = 0;
    for record in reader.records() {
        let record = record.unwrap();
        rows += 1;
        let (profile, verdict, eligible_on, stops_on) =
            (&record[0], &record[2], &record[8], &record[9]);
        // The same applicant checked alone gives the same dates.
        let line: String = applicants()
            .lines()
            .find(|line| line.contains(&format!("\"id\":\"{profile}\"")))
            .unwrap()
            .to_string();
        let path =
            std::env::temp_dir().join(format!("eligo-one-{}-{profile}.json", std::process::id()));
        std::fs::write(&path, line).unwrap();
        let (_, json, _) = eligo(&[
            "check",
            &path.to_string_lossy(),
            "--role",
            "ascp-sm",
            "--as-of",
            "2026-11-21",
            "--format",
            "json",
        ]);
        let _ = std::fs::remove_file(&path);
        let report: serde_json::Value = serde_json::from_str(&json).unwrap();
        let projection = &report["profiles"][0]["roles"][0]["projection"];
        assert_eq!(
            projection["eligible_on"].as_str().unwrap_or(""),
            eligible_on,
            "{profile}"
        );
        assert_eq!(
            projection["stops_on"].as_str().unwrap_or(""),
            stops_on,
            "{profile}"
        );
        if !eligible_on.is_empty() {
            assert_ne!(verdict, "eligible");
            let on = eligo::Date::parse(eligible_on).unwrap();
            for (count, months) in within.iter_mut().zip([3, 6, 12]) {
                if on <= as_of.months_after(months) {
                    *count += 1;
                }
            }
        }
        if !stops_on.is_empty() {
            assert_eq!(verdict, "eligible");
            if eligo::Date::parse(stops_on).unwrap() <= as_of.add_days(90) {
                lapsing += 1;
            }
        }
    }
    assert_eq!(rows, 24);
    assert!(
        within[2] > 0 && lapsing > 0,
        "the sample has both: {within:?}, {lapsing}"
    );
    let expected = format!(
        "will qualify within 3 months: {}, 6 months: {}, 12 months: {}",
        within[0], within[1], within[2]
    );
    assert!(stderr.contains(&expected), "{expected}\n{stderr}");
    let lapse = format!(
        "eligible now, lapsing within 90 days: {lapsing} applicant{}",
        if lapsing == 1 { "" } else { "s" }
    );
    assert!(stderr.contains(&lapse), "{lapse}\n{stderr}");

    // JSON Lines: the same fields; without --project, neither columns nor fields.
    let (_, jsonl, _) = eligo(&[
        "screen",
        &input,
        "--role",
        "ascp-sm",
        "--as-of",
        "2026-11-21",
        "--format",
        "jsonl",
        "--project",
    ]);
    assert!(
        jsonl
            .lines()
            .any(|line| line.contains("\"eligible_on\":\""))
    );
    let (_, plain, _) = eligo(&[
        "screen",
        &input,
        "--role",
        "ascp-sm",
        "--as-of",
        "2026-11-21",
        "--format",
        "csv",
    ]);
    assert!(plain.starts_with(
        "profile,role,verdict,unmet,file,line,message,unmet_json,rules,newest_source\n"
    ));
    assert!(!plain.contains("eligible_on"));
}
