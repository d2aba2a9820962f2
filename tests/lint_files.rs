//! `lint` and `test` over rule files that are broken in ways the parser
//! does not see: rule tests' profiles (inline and by path, paths that leave
//! the rule set), files that are not UTF-8 beside good ones, and which rule
//! set a single file is checked with (never the current folder's).

use std::path::{Path, PathBuf};
use std::process::Command;

const CLI_RULES: &str = "tests/fixtures/cli/rules";

/// Runs eligo in `folder`; returns the exit code, stdout and stderr.
fn eligo_in(folder: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_eligo"))
        .args(args)
        .current_dir(folder)
        .env("NO_COLOR", "1")
        .env_remove("ELIGO_RULES")
        .output()
        .expect("eligo runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("eligo-lint-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The CLI rule set (with its test profiles) copied to `dir`.
fn copy_rules(dir: &Path) {
    fn copy(from: &Path, to: &Path) {
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    copy(&repo().join(CLI_RULES), dir);
}

fn test_item(name: &str, profile: &str) -> String {
    format!(
        "test \"{name}\" {{\n  as_of 2026-11-21\n  profile {profile}\n  expect cert-mlt eligible\n}}\n"
    )
}

#[test]
fn lint_reads_rule_tests_profiles_and_locates_their_problems_in_the_rule_file() {
    let dir = scratch("test-profiles");
    let set = dir.join("set");
    std::fs::create_dir_all(set.join("profiles/folder.json")).unwrap();
    copy_rules(&set);
    std::fs::write(dir.join("outside.json"), "{\"id\": \"outside\"}").unwrap();
    std::os::unix::fs::symlink("../../outside.json", set.join("profiles/escape.json")).unwrap();
    let mut text = String::new();
    text.push_str("test \"inline\" {\n  as_of 2026-11-21\n  profile \"\"\"{ \"id\": \"x\",\n     \"state\": 12 }\"\"\"\n  expect cert-mlt eligible\n}\n");
    for (name, path) in [
        ("missing", "\"profiles/nope.json\""),
        ("folder", "\"profiles/folder.json\""),
        ("device", "\"/dev/zero\""),
        ("climbs out", "\"../../../../etc/passwd\""),
        ("link out", "\"profiles/escape.json\""),
    ] {
        text.push_str(&test_item(name, path));
    }
    std::fs::write(set.join("broken-tests.elig"), &text).unwrap();

    let file = set.join("broken-tests.elig");
    let at = |line: usize, column: usize| format!("--> {}:{line}:{column}", s(&file));
    for args in [vec!["lint", s(&set)], vec!["test", s(&set)]] {
        let (code, stdout, stderr) = eligo_in(repo(), &args);
        assert_ne!(code, 0, "{stdout}{stderr}");
        assert!(
            stderr.contains("wrong type for `state`") && stderr.contains(&at(4, 15)),
            "the inline profile's error at its place in the rule file:\n{stderr}"
        );
        for (test, line, column, why) in [
            ("missing", 9, 11, "no such file or directory"),
            ("folder", 14, 11, "it is a folder, not a file"),
            ("device", 19, 11, "it is outside the rule set's folder"),
            ("climbs out", 24, 11, "it is outside the rule set's folder"),
            ("link out", 29, 11, "(through a symbolic link) outside"),
        ] {
            let message = format!("the profile of test \"{test}\" cannot be read");
            let position = at(line, column);
            assert!(
                stderr.contains(&message) && stderr.contains(why) && stderr.contains(&position),
                "{message}: {why} {position}\n{stderr}"
            );
        }
        assert!(
            !stderr.contains("outside\"}"),
            "nothing of the file outside is printed"
        );
        assert!(
            !stderr.contains("root:"),
            "nothing of /etc/passwd is printed"
        );
    }
    let (code, _, stderr) = eligo_in(repo(), &["lint", s(&set)]);
    assert_eq!(code, 1, "lint found problems: {stderr}");
    assert!(
        stderr.ends_with("4 files checked: 6 errors, 0 warnings\n"),
        "{stderr}"
    );
}

#[test]
fn the_shipped_and_fixture_rule_sets_lint_clean_with_their_test_profiles() {
    for set in ["rules", CLI_RULES] {
        let (code, _, stderr) = eligo_in(repo(), &["lint", set]);
        assert_eq!(code, 0, "{set}: {stderr}");
    }
}

#[test]
fn a_file_that_is_not_utf8_does_not_hide_the_other_files_problems() {
    let dir = scratch("not-utf8");
    copy_rules(&dir);
    std::fs::write(
        dir.join("latin1.elig"),
        b"role latin \"Latin\" {\n  source \"https://example.org/caf\xe9\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("undefined.elig"),
        "role other \"Other\" {\n  source \"https://example.org/o\"\n  role no-such-role\n}\n",
    )
    .unwrap();
    let (code, _, stderr) = eligo_in(repo(), &["lint", s(&dir)]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("the file is not valid UTF-8"), "{stderr}");
    assert!(
        stderr.contains(&format!("--> {}:2:34", s(&dir.join("latin1.elig")))),
        "the first bad byte's line and column:\n{stderr}"
    );
    assert!(stderr.contains("0xE9 at byte offset 54"), "{stderr}");
    assert!(
        stderr.contains("no-such-role") && stderr.contains("undefined.elig"),
        "the other file's error is reported too:\n{stderr}"
    );
    assert!(
        stderr.ends_with("5 files checked: 2 errors, 0 warnings\n"),
        "{stderr}"
    );
}

#[test]
fn lint_of_one_file_does_not_depend_on_the_current_folder() {
    // `rules/jobs/mls.elig` uses a `let` of `rules/jobs/common.elig`.
    let from_root = eligo_in(repo(), &["lint", "rules/jobs/mls.elig"]);
    let from_inside = eligo_in(&repo().join("rules/jobs"), &["lint", "mls.elig"]);
    let from_elsewhere = eligo_in(
        &std::env::temp_dir(),
        &["lint", s(&repo().join("rules/jobs/mls.elig"))],
    );
    for (code, _, stderr) in [&from_root, &from_inside, &from_elsewhere] {
        assert_eq!(*code, 0, "{stderr}");
        assert_eq!(stderr, "1 file checked: no problems\n");
    }
}

#[test]
fn a_path_outside_the_rule_set_given_by_rules_is_an_error_not_an_override() {
    let (code, stdout, stderr) = eligo_in(
        repo(),
        &["lint", "rules/jobs/mls.elig", "--rules", CLI_RULES],
    );
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stderr.contains(
            "`rules/jobs/mls.elig` is not part of the rule set `tests/fixtures/cli/rules`"
        ),
        "{stderr}"
    );
    for verb in ["test", "fmt"] {
        let (code, _, stderr) =
            eligo_in(repo(), &[verb, "rules/jobs/mls.elig", "--rules", CLI_RULES]);
        assert_eq!(code, 2, "{verb}: {stderr}");
        assert!(stderr.contains("is not part of the rule set"), "{stderr}");
    }
    // Inside it: PATH is the part reported on.
    let (code, _, stderr) = eligo_in(repo(), &["lint", "rules/jobs", "--rules", "rules"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr, "6 files checked: no problems\n");
}

#[test]
fn a_file_without_the_elig_ending_beside_a_rule_set_is_checked_itself() {
    // A rule set in the folder, and a broken file named `.txt` beside it:
    // `lint FILE` must check that file, not report the set it is not part of.
    let dir = scratch("ending");
    let good = std::fs::read_to_string(repo().join("rules/jobs/mls.elig")).unwrap();
    std::fs::write(dir.join("a.elig"), &good).unwrap();
    std::fs::write(dir.join("b.elig"), "").unwrap();
    std::fs::write(
        dir.join("broken.txt"),
        "role x {\n  requires degree >=\n}\n",
    )
    .unwrap();
    let (code, _, stderr) = eligo_in(&dir, &["lint", "broken.txt"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("broken.txt:1:8"), "{stderr}");
    assert!(
        stderr.ends_with("1 file checked: 1 error, 0 warnings\n"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
