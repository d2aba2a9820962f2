//! Helpers shared by the integration tests that run the `eligo` binary.

use std::process::Command;

/// Runs `eligo` from the repository root without colour or `ELIGO_RULES`;
/// returns the exit code, stdout and stderr.
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
