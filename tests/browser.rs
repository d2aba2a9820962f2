//! The printable pages (`eligo record --format html`, `eligo roster
//! --format html`) in a real headless browser: Chromium parses them, draws
//! them and prints them to PDF, one person per page.
//!
//! Chromium is found as `$ELIGO_CHROMIUM`, else `chromium`,
//! `chromium-browser` or `google-chrome` on the PATH. Without one the tests
//! say so and pass, unless `ELIGO_REQUIRE_BROWSER=1` (set by `.ci/run`, which
//! installs Chromium), where a missing browser fails them.

mod common;

use common::eligo;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const AS_OF: &str = "2026-11-20";

fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("ELIGO_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// The browser, or `None` (with a note) when it may be absent.
fn browser_or_skip(test: &str) -> Option<PathBuf> {
    match chromium() {
        Some(path) => Some(path),
        None if std::env::var("ELIGO_REQUIRE_BROWSER").as_deref() == Ok("1") => {
            panic!("{test}: ELIGO_REQUIRE_BROWSER=1 but no Chromium was found")
        }
        None => {
            eprintln!("{test}: no Chromium found; set ELIGO_CHROMIUM or install chromium");
            None
        }
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("eligo-browser-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs headless Chromium on `page` with `action` (`--dump-dom`,
/// `--print-to-pdf=…`, `--screenshot=…`), killed after two minutes.
fn run_browser(browser: &Path, dir: &Path, action: &[String], page: &Path) -> String {
    let profile = dir.join("browser-profile");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-default-browser-check",
            "--hide-scrollbars",
        ])
        // No network at all: the page must need nothing from outside.
        .arg("--host-resolver-rules=MAP * ~NOTFOUND")
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(action)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap_or_default());
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium {action:?} failed: {status}");
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium {action:?} did not finish in two minutes");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    reader.join().unwrap()
}

/// Writes eligo's page for `args` to `dir/name` and returns its path.
fn page(dir: &Path, name: &str, args: &[&str]) -> (PathBuf, String) {
    let (code, html, stderr) = eligo(args);
    assert!(code == 0 || code == 1, "exit {code}: {stderr}");
    let path = dir.join(name);
    std::fs::write(&path, &html).unwrap();
    (path, html)
}

/// The page objects of a PDF (`/Type /Page`, not `/Pages`).
fn pdf_pages(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len() + 1)
        .filter(|w| w.starts_with(needle) && !w[needle.len()].is_ascii_alphabetic())
        .count()
}

/// A page that works offline and without scripts: nothing fetched, nothing run.
fn assert_self_contained(html: &str) {
    for forbidden in [
        "<script", "src=", "<link", "url(", "@import", "http://", "https://",
    ] {
        assert!(
            !html.contains(forbidden),
            "the page should need nothing from outside, found {forbidden:?}"
        );
    }
}

#[test]
fn records_print_one_person_and_position_per_page() {
    let Some(browser) = browser_or_skip("records") else {
        return;
    };
    let dir = temp_dir("records");
    // Four records: a director, a technical supervisor, and James Chen in his
    // two positions (CLIA testing personnel, and MLS, where he is not
    // qualified).
    let (path, html) = page(
        &dir,
        "records.html",
        &[
            "record",
            "examples/lab/helen-park.json",
            "examples/lab/raj-mehta.json",
            "examples/lab/james-chen.json",
            "--as-of",
            AS_OF,
            "--format",
            "html",
        ],
    );
    assert_self_contained(&html);
    assert_eq!(html.matches("<article class=\"record\">").count(), 4);

    // What the browser parsed: every record, with its verdict and evidence.
    let dom = run_browser(&browser, &dir, &["--dump-dom".into()], &path);
    assert_eq!(dom.matches("Personnel qualification record").count(), 4);
    for text in [
        "Helen Park, MD",
        "Raj Mehta, PhD",
        "James Chen",
        "42 CFR 493.1443(b)(1)",
        "a CA DO or MD licence",
        "<code>eligo explain ca-cls</code>",
        "Reviewed by (laboratory director)",
    ] {
        assert!(dom.contains(text), "the page should show {text:?}");
    }

    // Printed: each record starts a page and these short ones fit on one, so
    // four records are four pages (without the page breaks they would share
    // two).
    let pdf_path = dir.join("records.pdf");
    run_browser(
        &browser,
        &dir,
        &[format!("--print-to-pdf={}", pdf_path.display())],
        &path,
    );
    let pdf = std::fs::read(&pdf_path).unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    assert_eq!(pdf_pages(&pdf), 4, "one page per record");

    // Drawn on screen: a PNG of the window's size.
    let png_path = dir.join("records.png");
    run_browser(
        &browser,
        &dir,
        &[
            format!("--screenshot={}", png_path.display()),
            "--window-size=1000,1400".into(),
        ],
        &path,
    );
    let png = std::fs::read(&png_path).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (1000, 1400));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_roster_page_prints_with_the_problems_first() {
    let Some(browser) = browser_or_skip("roster") else {
        return;
    };
    let dir = temp_dir("roster");
    let (path, html) = page(
        &dir,
        "roster.html",
        &[
            "roster",
            "examples/lab",
            "--as-of",
            AS_OF,
            "--format",
            "html",
        ],
    );
    assert_self_contained(&html);
    let dom = run_browser(&browser, &dir, &["--dump-dom".into()], &path);
    let attention = dom.find("Needs attention").expect("a summary section");
    let table = dom.find("<table").expect("a table");
    assert!(attention < table, "the summary comes before the table");
    let summary = &dom[attention..table];
    // Not qualified first, then qualified on claims only, then lapsing.
    let order: Vec<usize> = ["James Chen", "Aisha Bello", "Luis Herrera", "Tom Nguyen"]
        .iter()
        .map(|name| {
            summary
                .find(name)
                .unwrap_or_else(|| panic!("{name} in the summary"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // One table row per person × position: 21 positions, plus the header.
    assert_eq!(dom[table..].matches("<tr>").count(), 22);

    let pdf_path = dir.join("roster.pdf");
    run_browser(
        &browser,
        &dir,
        &[format!("--print-to-pdf={}", pdf_path.display())],
        &path,
    );
    let pdf = std::fs::read(&pdf_path).unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    assert!(pdf_pages(&pdf) >= 1);
    let _ = std::fs::remove_dir_all(&dir);
}
