//! Hostile and careless inputs: special files (devices, named pipes,
//! folders where a file is expected), oversized files and records. Each run
//! is bounded — a memory limit (`ulimit -v`) and a watchdog — so that a
//! regression fails the test instead of hanging the suite or the machine.
//! This tests boundedness, not speed.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CLI_RULES: &str = "tests/fixtures/cli/rules";
const SCREEN_RULES: &str = "tests/fixtures/screen/rules";
/// Address space for one run: far more than eligo needs, far less than
/// reading `/dev/zero` would take.
const MEMORY_KIB: u64 = 2 * 1024 * 1024;
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// Runs eligo from the repository root under the memory limit and the
/// watchdog; returns the exit code, stdout and stderr.
fn bounded(args: &[&str]) -> (i32, String, String) {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_KIB} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_eligo"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("ELIGO_RULES")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh runs");
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = stdout.read_to_end(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = stderr.read_to_end(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("eligo {} ran for more than {TIME_LIMIT:?}", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = String::from_utf8_lossy(&out.join().expect("reader")).into_owned();
    let stderr = String::from_utf8_lossy(&err.join().expect("reader")).into_owned();
    (status.code().unwrap_or(-1), stdout, stderr)
}

/// A fresh empty folder for one test, removed when the test ends.
fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("eligo-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<std::ffi::OsStr> for Scratch {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.0.as_os_str()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

fn symlink(target: &str, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

/// A copy of the CLI test rule set (its test profiles included) in `dir`.
fn copy_rules(dir: &Path) {
    copy_folder(Path::new(CLI_RULES), dir);
}

fn copy_folder(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(to.join(entry.file_name())).unwrap();
            copy_folder(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn a_rule_file_linked_to_a_device_is_refused_not_read() {
    let dir = scratch("zero-rule");
    copy_rules(&dir);
    symlink("/dev/zero", &dir.join("zero.elig"));
    for verb in [&["lint"][..], &["roles", "--rules"], &["fmt", "--check"]] {
        let mut args = verb.to_vec();
        args.push(s(&dir));
        let (code, _, stderr) = bounded(&args);
        assert_eq!(code, 2, "eligo {}\n{stderr}", args.join(" "));
        assert!(stderr.contains("zero.elig"), "{stderr}");
        assert!(stderr.contains("a device, not a regular file"), "{stderr}");
    }
}

#[test]
fn a_named_pipe_among_the_rule_files_is_refused_without_blocking() {
    let dir = scratch("fifo-rule");
    copy_rules(&dir);
    mkfifo(&dir.join("p.elig"));
    for verb in [&["lint"][..], &["roles", "--rules"], &["fmt", "--check"]] {
        let mut args = verb.to_vec();
        args.push(s(&dir));
        let (code, _, stderr) = bounded(&args);
        assert_eq!(code, 2, "eligo {}\n{stderr}", args.join(" "));
        assert!(stderr.contains("p.elig"), "{stderr}");
        assert!(stderr.contains("a named pipe (FIFO)"), "{stderr}");
    }
    let (code, _, stderr) = bounded(&["lint", s(&dir.join("p.elig"))]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn a_rule_file_through_a_symbolic_link_is_read() {
    let dir = scratch("link-rule");
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join(CLI_RULES);
    for name in ["certifications.elig", "jobs.elig", "vocabulary.elig"] {
        symlink(s(&target.join(name)), &dir.join(name));
    }
    let (code, stdout, stderr) = bounded(&["roles", "--rules", s(&dir)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("cert-mls"), "{stdout}");
}

#[test]
fn check_refuses_a_profile_that_is_not_a_regular_file() {
    let dir = scratch("special-profile");
    mkfifo(&dir.join("p.json"));
    symlink("/dev/zero", &dir.join("zero.json"));
    let cases = [
        (
            dir.join("p.json"),
            "a named pipe (FIFO), not a regular file",
        ),
        (dir.join("zero.json"), "a device, not a regular file"),
        (dir.to_path_buf(), "a folder, not a file"),
    ];
    for (path, why) in cases {
        let (code, _, stderr) = bounded(&[
            "check",
            s(&path),
            "--rules",
            CLI_RULES,
            "--as-of",
            "2026-11-21",
        ]);
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains(why), "{stderr}");
        assert!(stderr.contains(s(&path)), "{stderr}");
    }
}

#[test]
fn screen_skips_special_files_in_a_folder_and_refuses_named_ones() {
    let dir = scratch("special-screen");
    std::fs::copy(
        "tests/fixtures/screen/profiles/ana-ruiz.json",
        dir.join("ana-ruiz.json"),
    )
    .unwrap();
    mkfifo(&dir.join("p.json"));
    mkfifo(&dir.join("q.jsonl"));
    symlink("/dev/zero", &dir.join("zero.jsonl"));
    let args = [
        "screen",
        s(&dir),
        "--role",
        "mls",
        "--rules",
        SCREEN_RULES,
        "--as-of",
        "2026-11-21",
        "--format",
        "csv",
    ];
    let (code, stdout, stderr) = bounded(&args);
    assert_eq!(
        code, 0,
        "ana-ruiz is eligible; skipping is not an error\n{stdout}{stderr}"
    );
    assert_eq!(
        stdout.lines().count(),
        2,
        "the header and ana-ruiz's row:\n{stdout}"
    );
    for name in ["p.json", "q.jsonl", "zero.jsonl"] {
        assert!(
            stderr.contains(&format!("skipped `{}`", s(&dir.join(name)))),
            "{stderr}"
        );
    }

    for name in ["p.json", "q.jsonl", "zero.jsonl"] {
        let path = dir.join(name);
        let (code, stdout, stderr) =
            bounded(&["screen", s(&path), "--role", "mls", "--rules", SCREEN_RULES]);
        assert_eq!(code, 2, "{stdout}{stderr}");
        assert!(stderr.contains("not a regular file"), "{stderr}");
        assert!(stdout.is_empty(), "{stdout}");
    }
}

#[test]
fn a_rule_test_profile_on_a_device_is_refused() {
    let dir = scratch("zero-test-profile");
    copy_rules(&dir);
    std::fs::write(
        dir.join("zero-test.elig"),
        "test \"reads a device\" {\n  profile \"/dev/zero\"\n  as_of 2026-11-21\n  expect cert-mlt eligible\n}\n",
    )
    .unwrap();
    // A path out of the rule set is refused before anything is opened; a
    // link inside the set to a device too.
    symlink("/dev/zero", &dir.join("zero.json"));
    std::fs::write(
        dir.join("zero-link-test.elig"),
        "test \"reads a device by a link\" {\n  profile \"zero.json\"\n  as_of 2026-11-21\n  expect cert-mlt eligible\n}\n",
    )
    .unwrap();
    for verb in ["test", "lint"] {
        let (code, stdout, stderr) = bounded(&[verb, s(&dir)]);
        assert!(code == 1 || code == 2, "{code}\n{stdout}{stderr}");
        assert!(stderr.contains("`/dev/zero`"), "{stderr}");
        assert!(stderr.contains("outside the rule set's folder"), "{stderr}");
        assert!(stderr.contains("zero.json`"), "{stderr}");
        assert!(stderr.contains("(through a symbolic link)"), "{stderr}");
    }
}

/// A file of `bytes` zero bytes that takes no room on disk.
fn sparse(path: &Path, bytes: u64) {
    std::fs::File::create(path).unwrap().set_len(bytes).unwrap();
}

#[test]
fn files_larger_than_16_mib_are_refused_with_the_limit() {
    let dir = scratch("large");
    copy_rules(&dir);
    sparse(&dir.join("huge.elig"), 17 << 20);
    let (code, _, stderr) = bounded(&["lint", s(&dir)]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("huge.elig"), "{stderr}");
    assert!(stderr.contains("larger than 16 MiB"), "{stderr}");

    let profile = dir.join("huge.json");
    sparse(&profile, 17 << 20);
    let (code, _, stderr) = bounded(&[
        "check",
        s(&profile),
        "--rules",
        CLI_RULES,
        "--as-of",
        "2026-11-21",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("larger than 16 MiB"), "{stderr}");
}

#[test]
fn a_json_lines_record_longer_than_1_mib_is_an_error_row_and_the_next_is_read() {
    let dir = scratch("long-record");
    let path = dir.join("applicants.jsonl");
    let long_name = "x".repeat(2 << 20);
    let text = format!(
        "{{\"id\": \"long\", \"name\": \"{long_name}\"}}\n{{\"id\": \"short\", \"state\": \"TX\"}}\n"
    );
    std::fs::write(&path, text).unwrap();
    let (code, stdout, stderr) = bounded(&[
        "screen",
        s(&path),
        "--role",
        "mls",
        "--rules",
        SCREEN_RULES,
        "--as-of",
        "2026-11-21",
        "--format",
        "jsonl",
    ]);
    assert_eq!(code, 2, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].contains("\"verdict\":\"error\""), "{}", lines[0]);
    assert!(lines[0].contains("longer than 1 MiB"), "{}", lines[0]);
    assert!(
        lines[0].len() < 1000,
        "the error row does not echo the record"
    );
    assert!(lines[1].contains("\"profile\":\"short\""), "{}", lines[1]);
}

#[test]
fn a_3_mb_value_in_a_profile_is_shortened_in_the_message_and_not_searched_for_suggestions() {
    let dir = scratch("long-value");
    let profile = dir.join("long.json");
    let state = "C".repeat(3_000_000);
    let area = "hematologyy".repeat(300_000);
    std::fs::write(
        &profile,
        format!("{{\"id\": \"long\", \"state\": \"{state}\"}}\n"),
    )
    .unwrap();
    let (code, stdout, stderr) = bounded(&[
        "check",
        s(&profile),
        "--rules",
        CLI_RULES,
        "--as-of",
        "2026-11-21",
    ]);
    assert_eq!(code, 2, "{}", &stderr[..stderr.len().min(2000)]);
    assert!(stdout.is_empty());
    assert!(stderr.len() < 2000, "{} bytes of stderr", stderr.len());
    assert!(stderr.contains("invalid state `CCCCCCCC"), "{stderr}");
    assert!(stderr.contains("…` in `state`"), "{stderr}");

    // A warning's did-you-mean over a value far longer than any known one.
    std::fs::write(
        &profile,
        format!(
            "{{\"id\": \"long\", \"experience\": [{{\"area\": \"{area}\", \"start\": \"2020-01-01\"}}]}}\n"
        ),
    )
    .unwrap();
    let (code, _, stderr) = bounded(&[
        "check",
        s(&profile),
        "--rules",
        CLI_RULES,
        "--as-of",
        "2026-11-21",
    ]);
    assert_eq!(code, 0, "{}", &stderr[..stderr.len().min(2000)]);
    assert!(stderr.len() < 2000, "{} bytes of stderr", stderr.len());
}

#[test]
fn a_long_value_in_a_json_lines_record_gives_a_short_error_cell() {
    let dir = scratch("long-cell");
    let path = dir.join("applicants.jsonl");
    let state = "C".repeat(1_000_000);
    std::fs::write(
        &path,
        format!("{{\"id\": \"long\", \"state\": \"{state}\"}}\n"),
    )
    .unwrap();
    let (code, stdout, stderr) = bounded(&[
        "screen",
        s(&path),
        "--role",
        "mls",
        "--rules",
        SCREEN_RULES,
        "--as-of",
        "2026-11-21",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 2, "{}", &stderr[..stderr.len().min(2000)]);
    assert!(stdout.len() < 1000, "{} bytes of CSV", stdout.len());
    assert!(stdout.contains("invalid state `CCCC"), "{stdout}");
    assert!(stderr.len() < 1000, "{} bytes of stderr", stderr.len());
}

#[test]
fn a_rule_file_of_one_4_mb_line_gives_a_short_diagnostic() {
    let dir = scratch("long-rule-line");
    let file = dir.join("one-line.elig");
    std::fs::write(
        &file,
        format!("role x \"X\" {{ {} }}\n", "a".repeat(4_000_000)),
    )
    .unwrap();
    let (code, _, stderr) = bounded(&["lint", s(&file)]);
    assert_eq!(code, 1, "{}", &stderr[..stderr.len().min(2000)]);
    assert!(stderr.len() < 2000, "{} bytes of stderr", stderr.len());
    assert!(stderr.contains('…'), "{stderr}");
}

#[test]
fn checking_a_rule_file_of_100k_routes_takes_linear_time() {
    // Finding duplicate route names by a linear search per route made this
    // quadratic: minutes for 100k routes. Bounded by the watchdog.
    let dir = scratch("many-routes");
    let file = dir.join("routes.elig");
    let mut text =
        String::from("role big \"Many routes\" {\n  source \"https://example.org/big\"\n  any {\n");
    for route in 0..100_000 {
        text.push_str(&format!(
            "    route \"{route}\" {{\n      degree >= bachelor\n    }}\n"
        ));
    }
    text.push_str("  }\n}\n");
    std::fs::write(&file, text).unwrap();
    let (code, _, stderr) = bounded(&["lint", s(&file)]);
    assert_eq!(code, 0, "{stderr}");
}

/// The hostile-input corpus (`tests/fixtures/hostile/`, written by its
/// `generate.py`): every profile and rule file is run bounded in memory and
/// time, must give its expected exit code (`cases.tsv`), and its first line
/// of diagnostics is pinned by one snapshot. A case marked as a known
/// defect must still fail as recorded, so that its fix is noticed.
#[test]
fn the_hostile_corpus_gives_the_expected_exit_codes_and_first_lines() {
    let manifest = std::fs::read_to_string("tests/fixtures/hostile/cases.tsv")
        .or_else(|_| {
            std::fs::read_to_string(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile/cases.tsv"),
            )
        })
        .expect("cases.tsv: run tests/fixtures/hostile/generate.py");
    let mut report = String::new();
    let mut wrong = Vec::new();
    let (mut profiles, mut rules) = (0, 0);
    for line in manifest
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let fields: Vec<&str> = line.split('\t').collect();
        let [file, verb, expected, _why, defect] = fields[..] else {
            panic!("a cases.tsv line has five fields: {line:?}");
        };
        let path = format!("tests/fixtures/hostile/{file}");
        let args: Vec<&str> = match verb {
            "check" => vec![
                "check",
                &path,
                "--rules",
                CLI_RULES,
                "--as-of",
                "2026-11-21",
            ],
            "screen" => vec![
                "screen",
                &path,
                "--role",
                "cert-mlt",
                "--rules",
                CLI_RULES,
                "--as-of",
                "2026-11-21",
                "--format",
                "csv",
            ],
            "lint" => vec!["lint", "--rules", &path],
            other => panic!("unknown verb {other} in cases.tsv"),
        };
        if file.starts_with("profiles/") {
            profiles += 1;
        } else {
            rules += 1;
        }
        let expected: i32 = expected.parse().expect("an exit code");
        let (code, _, stderr) = bounded(&args);
        let first = stderr
            .lines()
            .map(str::trim_end)
            .find(|l| !l.is_empty())
            .unwrap_or("(nothing on stderr)");
        assert!(
            first.chars().count() < 400,
            "{file}: a first line of {} characters",
            first.chars().count()
        );
        if defect.is_empty() {
            if code != expected {
                wrong.push(format!(
                    "{file}: exit {code}, expected {expected}\n{stderr}"
                ));
            }
            report.push_str(&format!("{file}: exit {code}: {first}\n"));
        } else {
            if code == expected {
                wrong.push(format!(
                    "{file}: fixed ({defect})? remove it from KNOWN_DEFECTS in generate.py"
                ));
            }
            report.push_str(&format!(
                "{file}: exit {code}: KNOWN DEFECT ({defect}), expected {expected}: {first}\n"
            ));
        }
    }
    assert!(
        profiles >= 100 && rules >= 100,
        "{profiles} profiles, {rules} rule files"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    insta::assert_snapshot!("hostile_corpus", report);
}
