//! Profile text (JSON, TOML, JSON Lines) → load + validate: diagnostics or a
//! profile, never a panic; a profile that loads passes validation.
#![no_main]

use eligo::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    match selector % 3 {
        0 => check(eligo::parse_profile(&SourceFile::new("fuzz.json", text))),
        1 => check(eligo::parse_profile(&SourceFile::new("fuzz.toml", text))),
        _ => {
            for (index, line) in text.lines().enumerate() {
                check(eligo::profile::parse_profile_line(
                    "fuzz.jsonl",
                    index + 1,
                    line,
                ));
            }
        }
    }
});

fn check(result: Result<eligo::Profile, Vec<eligo::Diagnostic>>) {
    match result {
        Ok(profile) => {
            let problems = eligo::profile::validate_profile(&profile);
            assert!(
                problems.is_empty(),
                "a loaded profile fails validation: {problems:?}"
            );
        }
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty(), "refused without a diagnostic");
            let _ = eligo::diagnostic::render_human(&diagnostics, false);
        }
    }
}
