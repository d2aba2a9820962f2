//! The laboratory manager's story: `eligo roster` and `eligo record` on the
//! twelve staff profiles of `examples/lab/` (a California hospital
//! laboratory), on 2026-11-20; verification, `--require-verified`, exit
//! codes and escaping.

mod common;

use common::eligo;

const AS_OF: &str = "2026-11-20";

/// The shipped rules' fingerprint changes with every rule edit, and their
/// newest source date whenever a source is checked again: both kept out of
/// the snapshots.
fn redacted(text: &str) -> String {
    let newest = env!("ELIGO_SHIPPED_RULES_EXTENT")
        .rsplit("up to ")
        .next()
        .unwrap_or_default();
    text.replace(env!("ELIGO_SHIPPED_RULES_FINGERPRINT"), "[shipped rules]")
        .replace(
            &format!("sources checked up to {newest}"),
            "sources checked up to [newest source]",
        )
        .replace(
            &format!("[shipped rules],{newest}\n"),
            "[shipped rules],[newest source]\n",
        )
        .replace(
            &format!("\"newest_source\": \"{newest}\""),
            "\"newest_source\": \"[newest source]\"",
        )
}

/// `eligo record PATH --format json` on the test's date: exit code, the
/// document, stderr.
fn record_json(path: &str) -> (i32, serde_json::Value, String) {
    let (code, json, stderr) = eligo(&["record", path, "--as-of", AS_OF, "--format", "json"]);
    let document = serde_json::from_str(&json).unwrap_or(serde_json::Value::Null);
    (code, document, stderr)
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("eligo-personnel-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_roster_puts_the_three_problems_first() {
    let (code, csv, stderr) = eligo(&["roster", "examples/lab", "--as-of", AS_OF]);
    assert_eq!(code, 1, "one person is not qualified\n{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        &header[..6],
        [
            "name",
            "position",
            "specialties",
            "complexity",
            "qualified",
            "subpart_m"
        ],
        "form CMS-209's columns come first"
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    // 12 people; 9 hold two positions.
    assert_eq!(rows.len(), 21);
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (profile, role, standing, until) = (
        column("profile"),
        column("role"),
        column("standing"),
        column("qualified_until"),
    );
    // 1. The CLS licence that expired on 2026-10-31.
    assert_eq!(&rows[0][profile], "james-chen");
    assert_eq!(&rows[0][role], "mls");
    assert_eq!(&rows[0][standing], "not_qualified");
    assert!(rows[0][column("missing")].contains("expired on 2026-10-31"));
    // 2. Qualified only on records nobody has verified.
    assert_eq!(&rows[1][profile], "aisha-bello");
    assert_eq!(&rows[1][standing], "qualified_on_claims");
    assert_eq!(
        &rows[1][column("unverified")],
        "bachelor's degree in clinical laboratory science (education[0])"
    );
    assert_eq!(&rows[2][profile], "aisha-bello");
    // 3. Lapses within 90 days: a CPT I certificate and a CLS licence.
    let lapsing: Vec<(&str, &str)> = rows[3..5]
        .iter()
        .map(|row| (row.get(profile).unwrap(), row.get(until).unwrap()))
        .collect();
    assert_eq!(
        lapsing,
        [("luis-herrera", "2027-02-01"), ("tom-nguyen", "2027-01-15")]
    );
    // Everyone else is qualified on verified records.
    assert!(rows[5..].iter().all(|row| &row[standing] == "qualified"));
    // A CLIA position carries its form columns and the paragraph met.
    let helen = rows
        .iter()
        .find(|row| &row[profile] == "helen-park")
        .unwrap();
    assert_eq!(
        (
            &helen[column("position")],
            &helen[column("complexity")],
            &helen[column("subpart_m")]
        ),
        ("LD", "H", "42 CFR 493.1443(b)(1)")
    );
    let raj = rows
        .iter()
        .find(|row| &row[profile] == "raj-mehta")
        .unwrap();
    assert_eq!(&raj[column("specialties")], "chemistry; toxicology");
    insta::assert_snapshot!("roster_csv", redacted(&csv));
}

#[test]
fn the_roster_page_summarises_who_needs_attention() {
    let (code, html, _) = eligo(&[
        "roster",
        "examples/lab",
        "--as-of",
        AS_OF,
        "--format",
        "html",
    ]);
    assert_eq!(code, 1);
    let attention_start = html.find("Needs attention").unwrap();
    let attention_end = html[attention_start..].find("</section>").unwrap() + attention_start;
    let attention = &html[attention_start..attention_end];
    for who in ["James Chen", "Aisha Bello", "Tom Nguyen", "Luis Herrera"] {
        assert!(
            attention.contains(who),
            "{who} is in the summary:\n{attention}"
        );
    }
    assert!(!attention.contains("Sofia Rossi"));
    // Self-contained: no scripts, no external assets.
    assert!(!html.contains("<script"));
    assert!(!html.contains("http://") && !html.contains("https://"));
}

#[test]
fn a_record_shows_the_route_the_paragraph_and_the_records_behind_it() {
    let (code, text, stderr) =
        eligo(&["record", "examples/lab/maria-lopez.json", "--as-of", AS_OF]);
    assert_eq!(code, 0, "{stderr}");
    assert!(text.contains("qualified, by route (b) technical supervisor (42 CFR 493.1461(b))"));
    assert!(text.contains("met as clia-technical-supervisor by route F:"));
    assert!(text.contains("CLIA 05D0123456"));
    assert!(text.contains("next lapse: qualified until 2027-09-30"));
    insta::assert_snapshot!("record_text", redacted(&text));

    let (_, json, _) = eligo(&[
        "record",
        "examples/lab/tom-nguyen.json",
        "--role",
        "mls",
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    let document: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        document["rules"]["fingerprint"],
        env!("ELIGO_SHIPPED_RULES_FINGERPRINT")
    );
    let record = &document["records"][0];
    assert_eq!(record["standing"], "qualified");
    assert_eq!(record["qualified_until"], "2027-01-15");
    assert_eq!(record["lapses_on"], "2027-01-16");
    let licence = &record["conditions"][2]["records"][0];
    assert_eq!(licence["record"], "licenses[0]");
    assert_eq!(
        licence["verified"]["by"],
        "primary source: CDPH Laboratory Field Services lookup"
    );
    insta::assert_snapshot!("record_json", redacted(&json));
}

#[test]
fn require_verified_judges_on_verified_records_only() {
    let (code, text, _) = eligo(&["record", "examples/lab/aisha-bello.json", "--as-of", AS_OF]);
    assert_eq!(code, 1, "qualified on claims only is not a yes");
    assert!(text.contains("qualified on claims only"));
    let (code, json, _) = eligo(&[
        "record",
        "examples/lab/aisha-bello.json",
        "--role",
        "mls",
        "--as-of",
        AS_OF,
        "--require-verified",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let record: serde_json::Value = serde_json::from_str(&json).unwrap();
    let record = &record["records"][0];
    assert_eq!(record["judged_on"], "verified");
    assert_eq!(record["standing"], "not_qualified");
    let kinds: Vec<&str> = record["unmet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|gap| gap["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["degree", "certification", "license"]);

    // `check --require-verified`: the verified job is reported by its own
    // place in the file, after two unverified ones.
    let dir = temp_dir("verified");
    let rules = dir.join("rules.elig");
    std::fs::write(
        &rules,
        r#"role assistant "Laboratory assistant" {
  source "https://example.org/assistant"
  experience >= 6 months setting "clinical laboratory" within 2 years
}
"#,
    )
    .unwrap();
    let path = dir.join("p.json");
    std::fs::write(
        &path,
        r#"{ "id": "p", "state": "TX",
  "education": [{ "degree": "high_school", "completed": "2015-06-01", "verified": { "by": "diploma on file" } }],
  "experience": [
    { "role": "laboratory assistant", "setting": "clinical laboratory", "start": "2025-01-01", "end": "2025-03-31" },
    { "role": "laboratory assistant", "setting": "clinical laboratory", "start": "2025-04-01", "end": "2025-06-30" },
    { "role": "laboratory assistant", "setting": "clinical laboratory", "start": "2026-08-01", "verified": { "by": "HR file", "on": "2026-09-01" } }
  ] }"#,
    )
    .unwrap();
    let path = path.to_str().unwrap();
    let rules = rules.to_str().unwrap();
    let args = [
        "check",
        path,
        "--role",
        "assistant",
        "--rules",
        rules,
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ];
    let (code, _, stderr) = eligo(&args);
    assert_eq!(code, 0, "eligible on every record\n{stderr}");
    let mut verified_args = args.to_vec();
    verified_args.push("--require-verified");
    let (code, json, _) = eligo(&verified_args);
    assert_eq!(code, 1, "not on the verified job alone");
    let document: serde_json::Value = serde_json::from_str(&json).unwrap();
    let gap = &document["profiles"][0]["roles"][0]["unmet"][0];
    assert_eq!(gap["kind"], "experience");
    assert_eq!(gap["findings"][0]["record"], "experience[2]");

    // `screen --require-verified`: the same, row by row, and the words say
    // "verified" (the profile does list a degree, an unverified one).
    let screen = |extra: &[&str]| {
        let mut args = vec![
            "screen",
            "examples/lab",
            "--role",
            "mls",
            "--as-of",
            AS_OF,
            "--format",
            "jsonl",
        ];
        args.extend_from_slice(extra);
        let (_, jsonl, stderr) = eligo(&args);
        assert!(stderr.is_empty(), "{stderr}");
        jsonl
            .lines()
            .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
            .find(|row| row["profile"] == "aisha-bello")
            .unwrap()
    };
    assert_eq!(screen(&[])["verdict"], "eligible");
    let row = screen(&["--require-verified"]);
    assert_eq!(row["verdict"], "not_eligible");
    let message = row["unmet"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("the profile lists no verified degree"),
        "{message}"
    );
}

#[test]
fn bad_input_is_exit_2_and_names_the_problem() {
    let dir = temp_dir("bad");
    let none = dir.join("none.json");
    std::fs::write(&none, r#"{ "name": "No Positions" }"#).unwrap();
    let (code, _, stderr) = eligo(&["roster", none.to_str().unwrap(), "--as-of", AS_OF]);
    assert_eq!(code, 2);
    assert!(stderr.contains("lists no `positions`"), "{stderr}");
    assert!(stderr.contains("--position ID"), "{stderr}");

    let unknown = dir.join("unknown.json");
    std::fs::write(
        &unknown,
        r#"{ "positions": [{ "role": "clia-hgh-testing" }] }"#,
    )
    .unwrap();
    let (code, _, stderr) = eligo(&["record", unknown.to_str().unwrap(), "--as-of", AS_OF]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no role named `clia-hgh-testing`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("clia-high-testing"),
        "a suggestion: {stderr}"
    );

    let (code, _, stderr) = eligo(&[
        "roster",
        "examples/lab",
        "--position",
        "nope",
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no role named `nope`"), "{stderr}");

    let clia = dir.join("clia.json");
    std::fs::write(
        &clia,
        r#"{ "positions": [{ "role": "mls" }], "experience": [{ "start": "2020-01-01", "clia_number": "5D123" }] }"#,
    )
    .unwrap();
    let (code, _, stderr) = eligo(&["record", clia.to_str().unwrap(), "--as-of", AS_OF]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("`experience[0].clia_number` is `5D123`, not a CLIA number"),
        "{stderr}"
    );
}

#[test]
fn names_are_escaped_in_the_page() {
    let dir = temp_dir("escape");
    let path = dir.join("x.json");
    std::fs::write(
        &path,
        r#"{ "id": "x<b>", "name": "<script>alert(1)</script> & \"Co\"", "state": "TX",
             "positions": [{ "role": "mls", "specialties": ["<img src=x onerror=alert(2)>"] }],
             "experience": [{ "start": "2020-01-01", "employer": "</td><script>bad()</script>" }] }"#,
    )
    .unwrap();
    for verb in ["record", "roster"] {
        let (_, html, stderr) = eligo(&[
            verb,
            path.to_str().unwrap(),
            "--as-of",
            AS_OF,
            "--format",
            "html",
        ]);
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;"),
            "{verb}: {stderr}\n{html}"
        );
        assert!(!html.contains("<script"), "{verb}");
        assert!(!html.contains("<img"), "{verb}");
        assert!(!html.contains("<b>"), "{verb}");
    }
}

#[test]
fn a_technical_supervisor_is_checked_specialty_by_specialty() {
    // Raj Mehta's doctorate and chemistry work, supervising hematology too:
    // the year must lie in the specialty supervised, so hematology is not
    // shown, and the position is not qualified until it is.
    let raj = std::fs::read_to_string("examples/lab/raj-mehta.json").unwrap();
    let mut profile: serde_json::Value = serde_json::from_str(&raj).unwrap();
    profile["positions"][0]["specialties"] = serde_json::json!(["chemistry", "hematology"]);
    let dir = temp_dir("specialties");
    let path = dir.join("raj.json");
    std::fs::write(&path, profile.to_string()).unwrap();
    let path = path.to_str().unwrap();
    let (code, record, stderr) = record_json(path);
    assert_eq!(code, 1, "{stderr}");
    let record = &record["records"][0];
    assert_eq!(record["verdict"], "eligible", "the rule alone is met");
    assert_eq!(record["standing"], "not_qualified");
    assert_eq!(
        record["specialty_checks"],
        serde_json::json!([
            { "specialty": "chemistry", "evidence": "shown" },
            { "specialty": "hematology", "evidence": "not_shown" }
        ])
    );
    assert_eq!(
        record["missing"][0],
        "not shown for the specialty hematology: met only with work outside it"
    );

    // A year of verified hematology work as well: both shown, qualified.
    profile["experience"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "role": "hematology supervisor", "area": "hematology",
            "setting": "clinical laboratory", "tags": ["high_complexity"],
            "start": "2013-01-01", "end": "2014-06-30", "hours_per_week": 40,
            "verified": { "by": "employment records" }
        }));
    std::fs::write(path, profile.to_string()).unwrap();
    let (code, csv, stderr) = eligo(&["roster", path, "--as-of", AS_OF]);
    assert_eq!(code, 0, "{stderr}\n{csv}");
    assert!(csv.contains(",TS,chemistry; hematology,H,yes,"), "{csv}");
}

/// A microbiology technical supervisor's subspecialties are read from the
/// work's tags: a year of microbiology with virology shows virology, not
/// bacteriology, until six months of bacteriology are on file.
#[test]
fn a_microbiology_supervisor_is_checked_subspecialty_by_subspecialty() {
    let mut profile = serde_json::json!({
        "id": "lena-voss", "name": "Lena Voss", "state": "TX",
        "education": [{ "degree": "doctorate", "field": "microbiology", "completed": "2015-05-15" }],
        "experience": [{ "role": "technical supervisor", "area": "microbiology",
                         "setting": "clinical laboratory", "tags": ["high_complexity", "virology"],
                         "start": "2024-01-02", "hours_per_week": 40 }],
        "positions": [{ "role": "clia-technical-supervisor-microbiology",
                        "specialties": ["virology", "bacteriology"] }]
    });
    let dir = temp_dir("subspecialties");
    let path = dir.join("lena.json");
    std::fs::write(&path, profile.to_string()).unwrap();
    let path = path.to_str().unwrap();
    let (code, record, stderr) = record_json(path);
    assert_eq!(code, 1, "{stderr}");
    let record = &record["records"][0];
    assert_eq!(record["verdict"], "eligible", "the rule alone is met");
    assert_eq!(record["standing"], "not_qualified");
    assert_eq!(
        record["specialty_checks"],
        serde_json::json!([
            { "specialty": "virology", "evidence": "shown" },
            { "specialty": "bacteriology", "evidence": "not_shown" }
        ])
    );

    // Six months of bacteriology as well: both shown, qualified.
    profile["experience"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "role": "microbiologist", "area": "microbiology",
            "setting": "clinical laboratory", "tags": ["high_complexity", "bacteriology"],
            "start": "2022-01-03", "end": "2023-06-30", "hours_per_week": 40
        }));
    std::fs::write(path, profile.to_string()).unwrap();
    let (code, record, stderr) = record_json(path);
    // Exit 1 still: qualified on claims only (nothing is verified).
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        record["records"][0]["specialty_checks"],
        serde_json::json!([
            { "specialty": "virology", "evidence": "shown" },
            { "specialty": "bacteriology", "evidence": "shown" }
        ])
    );
    assert_eq!(record["records"][0]["standing"], "qualified_on_claims");
}
