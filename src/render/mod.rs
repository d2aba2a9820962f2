//! Rendering: the one place where outcomes become words. Evaluation returns
//! data ([`crate::eval::RoleOutcome`]); this module says it to a reader, in
//! the candidate's own voice ("you need…, your ASCP MLT expired…") for
//! `check`, or about the applicant ("needs…, the applicant's ASCP MLT
//! expired…") for an employer's `screen`. The JSON documents carry the same
//! sentences beside the data.

pub mod check_text;
pub mod diff;
pub mod evidence;
pub mod explain;
pub mod json;
pub mod needs;
pub mod phrases;
pub mod plan;
pub mod record;
pub mod rule_tests;
mod sentences;
pub mod summary;

pub use needs::describe;
pub use phrases::Phrases;
pub use sentences::{Lead, gap_sentence, message, write_message};

use crate::profile::Profile;
use crate::ruleset::RuleSet;

/// `text` (a profile value, or a line that quotes one) made safe to print
/// on a terminal: control characters (ANSI escapes, newlines, carriage
/// returns…) and bidirectional overrides are written as escapes (`\x1b`,
/// `\n`, `\u{202e}`), so a value can neither drive the terminal nor break
/// a line or a table row. JSON output is escaped by serde instead.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(unsafe_char) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 && unsafe_char(c) => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if unsafe_char(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.into()
}

/// `1 file`, `48 files`.
pub fn count_noun(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

/// Who the sentence speaks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Voice {
    /// The candidate reading their own result: "your profile lists…".
    Candidate,
    /// An employer reading about an applicant: "the profile lists…".
    Applicant,
    /// A laboratory's record about a member of its staff, in rows that
    /// start with the person's name: "their CA CLS licence expired…".
    Staff,
}

impl Voice {
    /// `your` / `the applicant's` / `their`.
    pub fn your(self) -> &'static str {
        match self {
            Voice::Candidate => "your",
            Voice::Applicant => "the applicant's",
            Voice::Staff => "their",
        }
    }

    /// `your profile` / `the profile`.
    pub fn profile(self) -> &'static str {
        match self {
            Voice::Candidate => "your profile",
            Voice::Applicant | Voice::Staff => "the profile",
        }
    }

    /// `you intend` / `the applicant intends` / `they intend`.
    pub fn you_intend(self) -> &'static str {
        match self {
            Voice::Candidate => "you intend",
            Voice::Applicant => "the applicant intends",
            Voice::Staff => "they intend",
        }
    }
}

/// What rendering reads besides the outcome: the rules (for what each
/// condition asks) and the profile (for the records a finding names).
#[derive(Clone, Copy)]
pub struct Words<'a> {
    pub rules: &'a RuleSet,
    pub profile: &'a Profile,
    pub voice: Voice,
    /// Judged on verified records only (`--require-verified`): "the profile
    /// lists no verified degree", since it may list an unverified one.
    pub verified_only: bool,
    /// The rule set's needs phrases worded ahead, for batch rendering.
    pub phrases: Option<&'a Phrases<'a>>,
}

impl<'a> Words<'a> {
    pub fn new(rules: &'a RuleSet, profile: &'a Profile, voice: Voice) -> Words<'a> {
        Words {
            rules,
            profile,
            voice,
            verified_only: false,
            phrases: None,
        }
    }

    /// Takes the needs phrases worded ahead for this rule set; phrases of
    /// another rule set are not used.
    pub fn with_phrases(mut self, phrases: &'a Phrases<'a>) -> Words<'a> {
        if phrases.of(self.rules) {
            self.phrases = Some(phrases);
        }
        self
    }

    /// For an evaluation on verified records only.
    pub fn verified_only(mut self, verified_only: bool) -> Words<'a> {
        self.verified_only = verified_only;
        self
    }

    /// `your profile lists no` / `the profile lists no verified`.
    pub fn lists_no(&self) -> String {
        let verified = if self.verified_only { " verified" } else { "" };
        format!("{} lists no{verified}", self.voice.profile())
    }
}

/// A number as a reader reads it: `24`, `14.2`.
pub fn number(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded == 0.0 {
        return "0".to_string();
    }
    format!("{rounded}")
}

/// `a`, `a or b`, `a, b or c`.
pub fn join_or<S: AsRef<str>>(items: &[S]) -> String {
    join_with(items, " or ")
}

/// `a`, `a and b`, `a, b and c`.
pub fn join_and<S: AsRef<str>>(items: &[S]) -> String {
    join_with(items, " and ")
}

fn join_with<S: AsRef<str>>(items: &[S], last: &str) -> String {
    let mut out = String::new();
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            out.push_str(if index + 1 == items.len() { last } else { ", " });
        }
        out.push_str(item.as_ref());
    }
    out
}

/// The indefinite article for a word or a code read letter by letter:
/// `a CA`, `an NV`, `an associate`.
pub(crate) fn article(word: &str) -> &'static str {
    let is_code = word.len() <= 4 && word.chars().all(|c| c.is_ascii_uppercase());
    let first = word.chars().next().unwrap_or('x').to_ascii_uppercase();
    let vowel_sound = if is_code {
        "AEFHILMNORSX".contains(first)
    } else {
        "AEIO".contains(first)
    };
    if vowel_sound { "an" } else { "a" }
}

/// Free labels such as `high_complexity` as prose: `high complexity`.
pub(crate) fn prose(label: &str) -> String {
    label.replace('_', " ")
}

/// ` in the last 4 years`, ` in the last year`, or nothing.
pub(crate) fn window_phrase(years: Option<u32>) -> String {
    match years {
        None => String::new(),
        Some(1) => " in the last year".to_string(),
        Some(years) => format!(" in the last {years} years"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_lists_read_as_prose() {
        assert_eq!(number(24.0), "24");
        assert_eq!(number(14.2), "14.2");
        assert_eq!(number(-0.01), "0");
        assert_eq!(join_or(&["a"]), "a");
        assert_eq!(join_or(&["a", "b"]), "a or b");
        assert_eq!(join_and(&["a", "b", "c"]), "a, b and c");
        assert_eq!(article("NV"), "an");
        assert_eq!(article("CA"), "a");
        assert_eq!(article("associate"), "an");
    }
}
