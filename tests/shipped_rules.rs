//! The shipped rule set in `rules/`: it loads without a single diagnostic,
//! is in canonical layout, and passes every one of its own rule tests.

use eligo::diagnostic::render_human;
use std::path::Path;

fn rules_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")
}

#[test]
fn the_shipped_rules_lint_clean() {
    let loaded = eligo::loader::load_rules(&rules_dir()).expect("rules/ is readable");
    assert!(
        loaded.diagnostics.is_empty(),
        "{}",
        render_human(&loaded.diagnostics, false)
    );
    let rules = loaded.rules.expect("a usable rule set");
    assert!(rules.roles.len() >= 40, "{} roles", rules.roles.len());
    for role in &rules.roles {
        assert!(!role.sources.is_empty(), "`{}` cites no source", role.id);
    }
}

#[test]
fn the_shipped_rules_are_formatted() {
    for path in eligo::loader::find_rule_files(&rules_dir()).unwrap() {
        let source = eligo::loader::read_source(&path).unwrap();
        let formatted = eligo::format::format_source(&source).unwrap();
        assert!(
            formatted == *source.text,
            "{} is not formatted: run `eligo fmt rules/`",
            path.display()
        );
    }
}

#[test]
fn every_shipped_rule_test_passes() {
    let loaded = eligo::loader::load_rules(&rules_dir()).unwrap();
    let rules = loaded.rules.unwrap();
    let run = eligo::rule_tests::run_tests(&rules, None);
    assert!(
        run.results.len() >= 100,
        "only {} rule tests",
        run.results.len()
    );
    let failures: Vec<String> = run
        .results
        .iter()
        .filter(|result| !result.passed())
        .map(|result| {
            format!(
                "{}: {}\n  {}{}",
                rules.files[result.test.file].name,
                result.test.name,
                result.failures.join("\n  "),
                render_human(&result.profile_errors, false)
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} rule tests failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_shipped_role_can_be_explained() {
    let rules = eligo::loader::load_rules(&rules_dir())
        .unwrap()
        .rules
        .unwrap();
    let today = eligo::date::Date::parse("2026-11-21").unwrap();
    for role in &rules.roles {
        let explanation = eligo::explain::explain(&rules, role, today);
        let text = eligo::explain::render_text(&explanation);
        assert!(text.starts_with(&format!("{} ({})", role.title, role.id)));
        assert!(text.contains("Sources:"), "{}", role.id);
        assert!(
            !explanation.requirements.is_empty(),
            "`{}` explains no requirement",
            role.id
        );
    }
}
