//! Helpers shared by the integration tests that run the `eligo` binary.

use std::process::Command;

/// Runs `eligo` from the repository root without colour or `ELIGO_RULES`;
/// returns the exit code, stdout and stderr.
#[allow(
    dead_code,
    reason = "not every test crate that shares this module runs it"
)]
pub fn eligo(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_eligo"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
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

/// Copies a folder and everything in it (tests work on copies of `rules/`).
#[allow(
    dead_code,
    reason = "not every test crate that shares this module copies folders"
)]
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read folder").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}
