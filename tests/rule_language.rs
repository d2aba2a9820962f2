//! The rule language end to end: parse trees, every kind of diagnostic, and
//! inputs built to break the parser. Fixtures live in `tests/fixtures/`; see
//! `tests/README.md` for how to add one.

use eligo::diagnostic::render_human;
use eligo::loader::check_sources;
use eligo::source::SourceFile;
use std::path::Path;

fn relative(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .display()
        .to_string()
}

fn load(name: &str, text: &str) -> eligo::loader::Loaded {
    check_sources(vec![SourceFile::new(name, text)])
}

#[test]
fn the_syntax_tree_of_every_construct() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/syntax/every_construct.elig");
    let text = std::fs::read_to_string(&path).unwrap();
    let loaded = load(&relative(&path), &text);
    // The fixture tags a route's only source `forum` to show the tag, so the
    // `weak-sources` warning is expected; nothing else is.
    let unexpected: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error() || d.code != "weak-sources")
        .cloned()
        .collect();
    assert!(
        unexpected.is_empty(),
        "{}",
        render_human(&unexpected, false)
    );
    let ast = eligo::syntax::parse(&SourceFile::new("every_construct.elig", text)).unwrap();
    insta::assert_debug_snapshot!(ast);
}

/// Each fixture is named `<diagnostic code>__<what>.elig` and must produce
/// a diagnostic of that code; the rendered text is the snapshot.
#[test]
fn every_diagnostic_kind() {
    insta::glob!("fixtures/diagnostics/*.elig", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let loaded = load(&relative(path), &text);
        let stem = path.file_stem().unwrap().to_string_lossy();
        let code = stem.split("__").next().unwrap().replace('_', "-");
        assert!(
            loaded.diagnostics.iter().any(|d| d.code.as_str() == code),
            "{stem}: expected a `{code}` diagnostic, got:\n{}",
            render_human(&loaded.diagnostics, false)
        );
        assert!(
            loaded.diagnostics.iter().all(|d| d.location().is_some()),
            "every diagnostic is located"
        );
        // A warning leaves the rule set usable; an error does not.
        let has_error = loaded.diagnostics.iter().any(|d| d.is_error());
        assert_eq!(
            loaded.rules.is_none(),
            has_error,
            "a rule set with errors is not usable, one with only warnings is"
        );
        insta::assert_snapshot!(render_human(&loaded.diagnostics, false));
    });
}

fn first_error(loaded: &eligo::loader::Loaded) -> &eligo::diagnostic::Diagnostic {
    loaded
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .expect("an error")
}

#[test]
fn ten_thousand_nested_any_blocks_are_refused_not_overflowed() {
    let depth = 10_000;
    let text = format!(
        "role a \"A\" {{\n  source \"x\"\n  {}degree >= bachelor{}\n}}\n",
        "any { ".repeat(depth),
        " }".repeat(depth)
    );
    let loaded = load("deep.elig", &text);
    let error = first_error(&loaded);
    assert_eq!(error.code, "nesting");
    assert_eq!(error.location().as_deref(), Some("deep.elig:3:385"));
}

#[test]
fn ten_thousand_chained_guards_are_refused() {
    let text = format!(
        "role a \"A\" {{\n  source \"x\"\n  {}age >= 1 {}\n}}\n",
        "when ".repeat(10_000),
        "{ } ".repeat(10_000)
    );
    let loaded = load("guards.elig", &text);
    assert_eq!(first_error(&loaded).code, "syntax");
}

#[test]
fn fifty_megabytes_of_junk_give_one_located_error() {
    // Deterministic junk made of the language's own characters.
    let alphabet = b"abc {}[]\"=>\n role any 0123-";
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let text: String = (0..50_000_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            alphabet[(state % alphabet.len() as u64) as usize] as char
        })
        .collect();
    let loaded = load("junk.elig", &text);
    assert!(loaded.rules.is_none());
    assert!(first_error(&loaded).location().is_some());
}

#[test]
fn a_file_that_is_not_utf8_is_refused_with_the_byte_offset() {
    let dir = std::env::temp_dir().join(format!("eligo-utf8-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("latin1.elig");
    std::fs::write(&path, b"role a \"Caf\xe9\" {}\n").unwrap();
    let loaded = eligo::loader::load_rules(&path).expect("a problem in the file, not a failure");
    assert!(loaded.rules.is_none());
    assert_eq!(loaded.files.len(), 1, "the file is counted");
    let error = &loaded.diagnostics;
    assert_eq!(error[0].code, "not-utf8");
    assert!(
        error[0]
            .label
            .as_deref()
            .unwrap()
            .contains("0xE9 at byte offset 11")
    );
    assert!(error[0].location().unwrap().ends_with("latin1.elig:1:12"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn three_mistakes_in_one_file_are_all_reported() {
    let text = "\
vocabulary area {
  \"hematology\"
}

role lab-assistant \"Laboratory assistant\" {
  source \"https://example.org\" trust official
  experience >= 6 months in \"hematolgy\"
}

role mlt \"Medical laboratory technician\" {
  source \"https://example.org\"
  degree = associate
  role lab-asistant
}
";
    let loaded = load("three.elig", text);
    let found: Vec<(String, &str)> = loaded
        .diagnostics
        .iter()
        .map(|d| (d.location().unwrap(), d.code.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("three.elig:7:29".to_string(), "unknown-term"),
            ("three.elig:12:10".to_string(), "comparison"),
            ("three.elig:13:8".to_string(), "unknown-name"),
        ]
    );
}

#[test]
fn a_syntax_error_in_one_file_does_not_make_its_roles_undefined_elsewhere() {
    let broken = SourceFile::new(
        "a.elig",
        "role base \"Base\" {\n  source \"x\"\n  degre >= bachelor\n}\n",
    );
    let user = SourceFile::new(
        "b.elig",
        "role top \"Top\" {\n  source \"x\"\n  role base\n}\n",
    );
    let loaded = check_sources(vec![broken, user]);
    let codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["syntax"]);
}

#[test]
fn spans_do_not_affect_equality_so_layout_does_not_matter() {
    let compact = eligo::syntax::parse(&SourceFile::new(
        "a",
        "role a \"A\" { source \"x\" degree >= bachelor any { age >= 18 } }",
    ))
    .unwrap();
    let spread = eligo::syntax::parse(&SourceFile::new(
        "b",
        "role a \"A\" {\n  source \"x\"\n\n  degree >= bachelor // why\n  any {\n    age >= 18\n  }\n}\n",
    ))
    .unwrap();
    assert_eq!(compact.items, spread.items);
}

/// `cite` and `clia_position`: read into the rule set, kept by `fmt`, and
/// each misuse reported where it is.
#[test]
fn citations_and_clia_positions() {
    let text = r#"role ts "Technical supervisor" {
  cite "42 CFR 493.1449"
  clia_position TS high
  source "https://example.org/ts" trust official "the rule"
  any {
    route "A" {
      cite "42 CFR 493.1449(b)"
      degree >= doctorate
    }
    route "B" {
      degree >= master
    }
  }
}

role cgs "Cytology general supervisor" {
  clia_position "CT/GS" high
  source "https://example.org/cgs"
  degree >= bachelor
}
"#;
    let loaded = load("cite.elig", text);
    assert!(
        !loaded.has_errors(),
        "{}",
        render_human(&loaded.diagnostics, false)
    );
    let rules = loaded.rules.unwrap();
    let ts = rules.role("ts").unwrap();
    assert_eq!(ts.cite.as_deref(), Some("42 CFR 493.1449"));
    let position = ts.clia_position.unwrap();
    assert_eq!(
        (position.code.code(), position.complexity.letter()),
        ("TS", "H")
    );
    assert!(position.code.has_specialties());
    let cgs = rules.role("cgs").unwrap().clia_position.unwrap();
    assert_eq!(cgs.code.code(), "CT/GS");
    let eligo::ruleset::RequirementKind::All(items) = &ts.requirement.kind else {
        panic!("a role's body is an all")
    };
    let eligo::ruleset::RequirementKind::Any(routes) = &items[0].kind else {
        panic!("the routes")
    };
    let cites: Vec<Option<&str>> = routes
        .iter()
        .map(|alternative| alternative.route.as_ref().unwrap().cite.as_deref())
        .collect();
    assert_eq!(cites, [Some("42 CFR 493.1449(b)"), None]);
    // The formatter keeps both statements as written (the code bare or quoted).
    let formatted = eligo::format::format_source(&SourceFile::new("cite.elig", text)).unwrap();
    assert_eq!(formatted, text);

    let errors = [
        (
            "role a \"A\" {\n  clia_position XX high\n  source \"s\"\n  degree >= bachelor\n}\n",
            "`XX` is not a CLIA position of form CMS-209",
        ),
        (
            "role a \"A\" {\n  clia_position TS low\n  source \"s\"\n  degree >= bachelor\n}\n",
            "`low` is not a testing complexity",
        ),
        (
            "role a \"A\" {\n  cite \"x\"\n  cite \"y\"\n  source \"s\"\n  degree >= bachelor\n}\n",
            "a role has one `cite`",
        ),
        (
            "role a \"A\" {\n  source \"s\"\n  all {\n    clia_position TS high\n    degree >= bachelor\n  }\n}\n",
            "`clia_position` belongs at the top of a role",
        ),
        (
            "role a \"A\" {\n  source \"s\"\n  all {\n    cite \"x\"\n    degree >= bachelor\n  }\n}\n",
            "`cite` belongs at the top of a role or route",
        ),
    ];
    for (text, message) in errors {
        let loaded = load("bad.elig", text);
        let error = first_error(&loaded);
        assert_eq!(error.message, message, "{text}");
        assert!(error.span.is_some(), "{text}");
    }
}

/// `source … checked DATE`: kept per source, and the rule set's newest date
/// is found wherever the source is (a role, a route inside a `let` block).
#[test]
fn source_checked_dates_and_the_newest_of_a_rule_set() {
    let text = r#"let routes = {
  any {
    route "late" {
      source "https://example.org/b" trust official "B" checked 2026-11-30
      degree >= master
    }
  }
}

role a "A" {
  source "https://example.org/a" trust official checked 2025-01-02
  source "https://example.org/undated"
  use routes
}
"#;
    let loaded = load("checked.elig", text);
    assert!(
        !loaded.has_errors(),
        "{}",
        render_human(&loaded.diagnostics, false)
    );
    let rules = loaded.rules.unwrap();
    let dates: Vec<Option<String>> = rules
        .role("a")
        .unwrap()
        .sources
        .iter()
        .map(|s| s.checked.map(|d| d.to_string()))
        .collect();
    assert_eq!(dates, [Some("2025-01-02".to_string()), None]);
    assert_eq!(
        rules.newest_source().map(|d| d.to_string()).as_deref(),
        Some("2026-11-30")
    );
    // The formatter keeps the clause where it belongs, after the title.
    let formatted = eligo::format::format_source(&SourceFile::new("checked.elig", text)).unwrap();
    assert!(
        formatted.contains(r#"trust official "B" checked 2026-11-30"#),
        "{formatted}"
    );

    let undated = load(
        "undated.elig",
        "role a \"A\" {\n  source \"https://example.org/a\"\n}\n",
    );
    assert_eq!(undated.rules.unwrap().newest_source(), None);

    let wrong = load(
        "wrong.elig",
        "role a \"A\" {\n  source \"x\" checked 2026-02-30\n}\n",
    );
    assert_eq!(first_error(&wrong).message, "invalid date `2026-02-30`");
}
