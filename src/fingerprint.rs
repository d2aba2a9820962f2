//! The fingerprint of a rule set: which rules judged a result.
//!
//! A hash of the rule files' normalised text and their paths inside the rule
//! set, so a record filed today can name the rules that judged it, and a
//! rule set copied to another machine, checked out on Windows or given by
//! another path has the same fingerprint. Normalising: line endings are
//! `\n`, a leading byte-order mark and each line's trailing white space are
//! dropped, and the file ends with exactly one line break. Any other change
//! (a comment, a word, a file renamed or added) gives another fingerprint.
//!
//! This file is also compiled by `build.rs` (for `eligo --version`'s
//! fingerprint of the shipped rules), so it uses nothing of the crate.

use sha2::{Digest, Sha256};

/// Hex digits kept of the SHA-256: 64 bits, short enough for a CSV column,
/// far more than enough to tell rule sets apart.
pub const FINGERPRINT_HEX_DIGITS: usize = 16;

/// The fingerprint of the rule files `(path inside the rule set, text)`, in
/// any order: 16 lowercase hex digits. Paths use `/` between folders.
pub fn fingerprint<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut files: Vec<(String, &str)> = files
        .into_iter()
        .map(|(path, text)| (path.replace('\\', "/"), text))
        .collect();
    files.sort();
    let mut hasher = Sha256::new();
    for (path, text) in &files {
        hasher.update(path.as_bytes());
        hasher.update([0]);
        hasher.update(normalised(text).as_bytes());
        hasher.update([0]);
    }
    let digest = hasher.finalize();
    let mut hex = String::with_capacity(FINGERPRINT_HEX_DIGITS);
    for byte in digest.iter().take(FINGERPRINT_HEX_DIGITS / 2) {
        hex.push(char::from(HEX[usize::from(byte >> 4)]));
        hex.push(char::from(HEX[usize::from(byte & 0xf)]));
    }
    hex
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn normalised(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = String::with_capacity(text.len() + 1);
    for line in text.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let kept = out.trim_end_matches('\n').len();
    out.truncate(kept);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_trailing_space_order_and_separators_do_not_matter() {
        let a = fingerprint([("a.elig", "role x \"X\" {\n}\n"), ("b/c.elig", "// c\n")]);
        let b = fingerprint([
            ("b\\c.elig", "\u{feff}// c  \r\n\r\n"),
            ("a.elig", "role x \"X\" {\r\n}"),
        ]);
        assert_eq!(a, b);
        assert_eq!(a.len(), FINGERPRINT_HEX_DIGITS);
        assert!(
            a.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
    }

    #[test]
    fn a_word_a_path_or_a_new_file_changes_it() {
        let base = fingerprint([("a.elig", "role x \"X\" {}\n")]);
        assert_ne!(base, fingerprint([("a.elig", "role y \"X\" {}\n")]));
        assert_ne!(base, fingerprint([("b.elig", "role x \"X\" {}\n")]));
        assert_ne!(
            base,
            fingerprint([("a.elig", "role x \"X\" {}\n"), ("b.elig", "")])
        );
        // The separator between path and text keeps "ab" + "c" apart from "a" + "bc".
        assert_ne!(fingerprint([("ab", "c")]), fingerprint([("a", "bc")]));
    }
}
