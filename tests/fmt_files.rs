//! `eligo fmt` respects the user's file: a symbolic link stays a link and
//! its target is formatted, read-only files and files with several hard
//! links are refused (exit 2, naming the file), mode and owner are kept,
//! CRLF files come out CRLF throughout, and no temporary file is left.

#![cfg(unix)]

mod common;

use common::eligo;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// A rule file that `fmt` rewrites (messy spacing) and the text it becomes.
const MESSY: &str = "role   a   \"A\"   {\n  source \"https://example.org/a\"\n     age>=18\n}\n";
const TIDY: &str = "role a \"A\" {\n  source \"https://example.org/a\"\n  age >= 18\n}\n";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("eligo-fmt-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Nothing but the named files is left in `dir` (no temporary file).
fn only_files(dir: &Path, names: &[&str]) {
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    let mut expected: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    expected.sort();
    assert_eq!(found, expected);
}

#[test]
fn the_canonical_text_of_the_messy_file_is_as_expected() {
    let dir = scratch("plain");
    let file = dir.join("a.elig");
    std::fs::write(&file, MESSY).unwrap();
    let (code, _, stderr) = eligo(&["fmt", s(&file)]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), TIDY);
    only_files(&dir, &["a.elig"]);
}

#[test]
fn a_symbolic_link_stays_a_link_and_its_target_is_formatted() {
    let dir = scratch("symlink");
    std::fs::create_dir(dir.join("real")).unwrap();
    std::fs::create_dir(dir.join("set")).unwrap();
    let target = dir.join("real/a.elig");
    std::fs::write(&target, MESSY).unwrap();
    let link = dir.join("set/a.elig");
    std::os::unix::fs::symlink("../real/a.elig", &link).unwrap();

    let (code, _, stderr) = eligo(&["fmt", s(&dir.join("set"))]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link was replaced by a regular file"
    );
    assert_eq!(
        std::fs::read_link(&link).unwrap(),
        Path::new("../real/a.elig")
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), TIDY);
    only_files(&dir.join("real"), &["a.elig"]);
    only_files(&dir.join("set"), &["a.elig"]);
}

#[test]
fn a_read_only_file_is_refused_and_left_unchanged() {
    let dir = scratch("read-only");
    let file = dir.join("a.elig");
    std::fs::write(&file, MESSY).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();

    let (code, stdout, stderr) = eligo(&["fmt", s(&file)]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stderr.contains(&format!(
            "cannot format `{}`: the file is read-only",
            s(&file)
        )),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("--> {}", s(&file))), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), MESSY);
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o444
    );
    only_files(&dir, &["a.elig"]);
}

#[test]
fn mode_is_kept() {
    let dir = scratch("mode");
    let file = dir.join("a.elig");
    std::fs::write(&file, MESSY).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    let (code, _, stderr) = eligo(&["fmt", s(&file)]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), TIDY);
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o7777,
        0o640
    );
}

#[test]
fn owner_and_group_are_kept_when_run_as_root() {
    let dir = scratch("owner");
    let file = dir.join("a.elig");
    std::fs::write(&file, MESSY).unwrap();
    let running_as_root = std::fs::metadata(&file).unwrap().uid() == 0;
    if !running_as_root {
        // Only root can give a file away; as its owner, eligo's new file has
        // the same owner by construction.
        eprintln!("not root: owner change not exercised");
        return;
    }
    std::os::unix::fs::chown(&file, Some(4321), Some(4322)).unwrap();
    let (code, _, stderr) = eligo(&["fmt", s(&file)]);
    assert_eq!(code, 0, "{stderr}");
    let metadata = std::fs::metadata(&file).unwrap();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), TIDY);
    assert_eq!((metadata.uid(), metadata.gid()), (4321, 4322));
}

#[test]
fn a_file_with_several_hard_links_is_refused_and_the_links_stay_together() {
    let dir = scratch("hard-link");
    let file = dir.join("a.elig");
    std::fs::write(&file, MESSY).unwrap();
    let other = dir.join("b.elig.bak");
    std::fs::hard_link(&file, &other).unwrap();

    let (code, _, stderr) = eligo(&["fmt", s(&file)]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "cannot format `{}`: the file has 2 hard links",
            s(&file)
        )),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), MESSY);
    assert_eq!(
        std::fs::metadata(&file).unwrap().ino(),
        std::fs::metadata(&other).unwrap().ino()
    );
    only_files(&dir, &["a.elig", "b.elig.bak"]);
}

#[test]
fn a_crlf_file_comes_out_crlf_throughout() {
    let dir = scratch("crlf");
    let file = dir.join("a.elig");
    // CRLF on the first line, a lone LF later: a mixed file.
    let messy = "// rules\r\nrole   a   \"A\"   {\r\n  source \"https://example.org/a\"\n     age>=18\r\n}\r\n";
    std::fs::write(&file, messy).unwrap();
    let (code, _, stderr) = eligo(&["fmt", s(&file)]);
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        text,
        format!("// rules\n{TIDY}").replace('\n', "\r\n"),
        "{text:?}"
    );

    // Formatted and CRLF: nothing to do.
    let (code, stdout, stderr) = eligo(&["fmt", "--check", s(&file)]);
    assert_eq!(code, 0, "{stdout}{stderr}");
}

#[test]
fn an_lf_file_with_a_stray_crlf_comes_out_lf_throughout() {
    let dir = scratch("lf");
    let file = dir.join("a.elig");
    std::fs::write(
        &file,
        format!("// rules\n{}", TIDY.replacen('\n', "\r\n", 2)),
    )
    .unwrap();
    let (code, _, stderr) = eligo(&["fmt", s(&file)]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        format!("// rules\n{TIDY}")
    );
}
