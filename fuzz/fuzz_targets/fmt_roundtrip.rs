//! fmt round trip: when x parses, format(x) parses to the same items and
//! the same comments, and format(format(x)) == format(x).
#![no_main]

use eligo::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(original) = eligo::syntax::parse(&SourceFile::new("fuzz.elig", text)) else {
        return;
    };
    let formatted = eligo::format::format_file(&original, text);
    let reparsed = match eligo::syntax::parse(&SourceFile::new("fuzz.elig", formatted.as_str())) {
        Ok(reparsed) => reparsed,
        Err(diagnostics) => panic!(
            "the formatted text does not parse:\n{}\n--- formatted ---\n{formatted}",
            eligo::diagnostic::render_human(&diagnostics, false)
        ),
    };
    assert_eq!(
        reparsed.items, original.items,
        "formatting changed the meaning:\n{formatted}"
    );
    let comments = |file: &eligo::syntax::ast::File| -> Vec<String> {
        file.comments
            .iter()
            .map(|c| c.text.trim_end().to_string())
            .collect()
    };
    assert_eq!(
        comments(&reparsed),
        comments(&original),
        "comments changed:\n{formatted}"
    );
    let twice = eligo::format::format_file(&reparsed, &formatted);
    assert_eq!(twice, formatted, "formatting is not idempotent");
});
