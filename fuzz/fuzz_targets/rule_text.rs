//! Rule text → parse + check: any bytes give diagnostics or a rule set,
//! never a panic, a hang or a blow-up.
#![no_main]

use eligo::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let loaded = eligo::check_sources(vec![SourceFile::new("fuzz.elig", text)]);
    // A rule set comes back exactly when there is no error.
    assert_eq!(loaded.rules.is_some(), !loaded.has_errors());
    // Every diagnostic renders (spans inside the text, on char boundaries).
    let _ = eligo::diagnostic::render_human(&loaded.diagnostics, false);
});
