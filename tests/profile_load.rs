//! Profile files: the good example of design.md in JSON and TOML, one fixture
//! per kind of mistake (each rendered message is a snapshot a user would
//! read), the JSON Schema, and a no-panic sweep over mangled input.

use eligo::diagnostic::{Diagnostic, render_human};
use eligo::profile::{
    DegreeLevel, Profile, load_profile, parse_profile, parse_profile_line, profile_schema,
};
use eligo::source::SourceFile;
use std::path::Path;

const GOOD_JSON: &str = "tests/fixtures/profiles/good/ana-ruiz.json";
const GOOD_TOML: &str = "tests/fixtures/profiles/good/ana-ruiz.toml";

fn load_good(path: &str) -> Profile {
    match load_profile(Path::new(path)) {
        Ok(profile) => profile,
        Err(diagnostics) => panic!("{}", render_human(&diagnostics, false)),
    }
}

#[test]
fn the_design_example_reads_the_same_from_json_and_toml() {
    let json = load_good(GOOD_JSON);
    let toml = load_good(GOOD_TOML);
    assert_eq!(json, toml);
    assert_eq!(json.id.as_deref(), Some("ana-ruiz"));
    assert_eq!(json.state.as_deref(), Some("CA"));
    assert_eq!(json.education[0].degree, DegreeLevel::Associate);
    assert_eq!(json.coursework[1].semester_hours(), 6.0);
    assert_eq!(json.licenses[0].kind, "MLT");
    assert_eq!(json.experience[0].end, None);
    assert_eq!(json.experience[0].hours_per_week(), 40.0);
    assert_eq!(json.training[0].venipunctures, Some(100));
    assert_eq!(json.continuing_education[0].hours, 12.0);
}

#[test]
fn id_defaults_to_the_file_name() {
    let text = std::fs::read_to_string(GOOD_JSON).unwrap();
    let without_id = text.replace("\"id\": \"ana-ruiz\",", "");
    let profile = parse_profile(&SourceFile::new("people/candidate-17.json", without_id)).unwrap();
    assert_eq!(profile.id.as_deref(), Some("candidate-17"));
    let toml = parse_profile(&SourceFile::new("people/bo.toml", "name = \"Bo\"\n")).unwrap();
    assert_eq!(toml.id.as_deref(), Some("bo"));
}

#[test]
fn bad_profiles() {
    insta::glob!("fixtures/profiles/bad/*", |path| {
        let relative = path
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap_or(path);
        let diagnostics = match load_profile(relative) {
            Ok(profile) => panic!("{} should not load: {profile:?}", relative.display()),
            Err(diagnostics) => diagnostics,
        };
        assert!(diagnostics.iter().all(Diagnostic::is_error));
        insta::assert_snapshot!(render_human(&diagnostics, false));
    });
}

#[test]
fn unreadable_files() {
    let missing = load_profile(Path::new("tests/fixtures/profiles/no-such-file.json")).unwrap_err();
    let folder = load_profile(Path::new("tests/fixtures/profiles")).unwrap_err();
    let rendered = render_human(&missing, false) + &render_human(&folder, false);
    insta::assert_snapshot!(rendered);
}

#[test]
fn a_json_lines_record_is_located_on_its_line() {
    let record = r#"{"id": "bo-chen", "education": [{"degree": "bachelor"}, {"degre": "master"}], "state": "ny"}"#;
    let diagnostics = parse_profile_line("batch/applicants.jsonl", 42, record).unwrap_err();
    assert_eq!(
        diagnostics[0].location().as_deref(),
        Some("batch/applicants.jsonl:42:58")
    );
    insta::assert_snapshot!(render_human(&diagnostics, false));

    let good = parse_profile_line("batch/applicants.jsonl", 7, r#"{"state": "NY"}"#).unwrap();
    assert_eq!(good.id.as_deref(), Some("applicants:7"));
}

#[test]
fn schema_describes_the_format() {
    let schema = profile_schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(schema["title"], "eligo profile");
    assert!(
        schema["description"]
            .as_str()
            .is_some_and(|d| !d.is_empty())
    );
    assert_eq!(schema["type"], "object");
    assert_eq!(schema["additionalProperties"], false);
    let definitions = &schema["$defs"];
    let education = &definitions["Education"];
    assert_eq!(education["additionalProperties"], false);
    assert_eq!(education["required"], serde_json::json!(["degree"]));
    let levels: Vec<&str> = DegreeLevel::ALL
        .iter()
        .map(|level| level.keyword())
        .collect();
    assert_eq!(
        definitions["DegreeLevel"]["enum"],
        serde_json::json!(levels)
    );
    assert_eq!(
        definitions["License"]["required"],
        serde_json::json!(["state", "type"])
    );
    assert_eq!(definitions["Date"]["format"], "date");
    assert_eq!(schema["properties"]["state"]["pattern"], "^[A-Z]{2}$");
    let hours = &definitions["Experience"]["properties"]["hours_per_week"];
    assert_eq!(
        (hours["minimum"].as_f64(), hours["maximum"].as_f64()),
        (Some(0.0), Some(168.0))
    );
    assert_eq!(
        definitions["Experience"]["required"],
        serde_json::json!(["start"])
    );
    // Every struct rejects unknown fields.
    for (name, definition) in definitions.as_object().unwrap() {
        if definition["type"] == "object" {
            assert_eq!(definition["additionalProperties"], false, "{name}");
        }
    }
    insta::assert_json_snapshot!(schema);
}

/// A small deterministic generator (Knuth's MMIX LCG): no new crates.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn check_never_panics(name: &str, text: &str) {
    let file = SourceFile::new(name, text);
    let outcomes = [
        parse_profile(&file),
        parse_profile_line("batch.jsonl", 5, text),
    ];
    for outcome in outcomes {
        if let Err(diagnostics) = outcome {
            assert!(!diagnostics.is_empty());
            for diagnostic in &diagnostics {
                assert!(!diagnostic.message.is_empty());
                if let (Some(span), Some(file)) = (diagnostic.span, &diagnostic.file) {
                    assert!(
                        span.start <= span.end && span.end <= file.text.len(),
                        "{name}: {text:?}"
                    );
                }
            }
            let _ = render_human(&diagnostics, false);
        }
    }
}

#[test]
fn no_input_makes_it_panic() {
    let mut rng = Lcg(0x5eed);
    let good_json = std::fs::read_to_string(GOOD_JSON).unwrap();
    let good_toml = std::fs::read_to_string(GOOD_TOML).unwrap();
    let alphabet: Vec<char> = "{}[]\":,.-+0123456789eE tnulfrsa\\\n=#é\u{0}"
        .chars()
        .collect();
    let mut cases = 0;
    for _ in 0..2_000 {
        // Random bytes, read the way `load_profile` would.
        let length = rng.below(64);
        let bytes: Vec<u8> = (0..length).map(|_| rng.next() as u8).collect();
        let text = String::from_utf8_lossy(&bytes);
        check_never_panics("random.json", &text);
        check_never_panics("random.toml", &text);
        // Truncations of the good profiles.
        for (name, good) in [("cut.json", &good_json), ("cut.toml", &good_toml)] {
            let mut end = rng.below(good.len() + 1);
            while !good.is_char_boundary(end) {
                end -= 1;
            }
            check_never_panics(name, &good[..end]);
        }
        // The good profiles with a few characters replaced.
        for (name, good) in [("mutated.json", &good_json), ("mutated.toml", &good_toml)] {
            let mut chars: Vec<char> = good.chars().collect();
            for _ in 0..1 + rng.below(3) {
                let at = rng.below(chars.len());
                chars[at] = alphabet[rng.below(alphabet.len())];
            }
            check_never_panics(name, &chars.into_iter().collect::<String>());
        }
        cases += 6;
    }
    assert_eq!(cases, 12_000);
    // Deep nesting stops at the parsers' recursion limits instead of the stack.
    for deep in ["[".repeat(100_000), "{\"a\":".repeat(100_000)] {
        check_never_panics("deep.json", &deep);
        check_never_panics("deep.toml", &format!("a = {deep}"));
    }
    check_never_panics(
        "huge.toml",
        "[[training]]\nprogram = \"x\"\nvenipunctures = 99999999999999999999999\n",
    );
    check_never_panics(
        "huge.json",
        "{\"training\": [{\"program\": \"x\", \"venipunctures\": 1e999}]}",
    );
}
