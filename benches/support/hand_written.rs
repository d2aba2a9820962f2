//! The shipped `mls` job (rules/jobs/mls.elig, with
//! `technologist_licence_where_required` from rules/jobs/common.elig and
//! `licensure_states` from rules/lists.elig) written by hand as plain Rust
//! over [`Profile`]: the verdict only. This is the limit the engine's
//! verdict-only path is measured against (`cargo bench --bench screen --
//! limit`); `tests/hand_written_agrees.rs` checks that both give the same
//! verdict on generated profiles, so a change to the rules shows up there.
//!
//! What it encodes, as the engine reads the rules:
//! - `degree >= bachelor`: an education entry of bachelor level or higher,
//!   completed on or before the evaluation date;
//! - `certification [ASCP MLS, ASCP MT, ASCPi MLS, ASCPi MT, AMT MLS, AMT MT]`:
//!   one held with `earned` (when given) ≤ evaluation date ≤ `expires` (when
//!   given);
//! - in a licensure state, a valid licence of that state of an accepted type;
//!   with no state known, the answer is undetermined unless every licensure
//!   state's licence is held (then the missing state cannot change it);
//! - `all` of the three, three-valued: not eligible if one is not met, else
//!   undetermined if one is.

use eligo::date::Date;
use eligo::eval::Verdict;
use eligo::profile::{DegreeLevel, Profile};

const CERTIFICATIONS: [(&str, &str); 6] = [
    ("ASCP", "MLS"),
    ("ASCP", "MT"),
    ("ASCPi", "MLS"),
    ("ASCPi", "MT"),
    ("AMT", "MLS"),
    ("AMT", "MT"),
];

/// Each licensure state with the licence types its `mls` job accepts.
const LICENCES: [(&str, &[&str]); 12] = [
    ("CA", &["CLS"]),
    ("NY", &["technologist"]),
    ("FL", &["technologist"]),
    ("LA", &["CLS"]),
    ("MT", &["CLS"]),
    ("ND", &["CLS"]),
    ("RI", &["CLS"]),
    ("TN", &["technologist", "MLS", "MT", "CLS"]),
    ("NV", &["technologist", "CLS", "MLS", "MT"]),
    ("HI", &["MT", "CLS", "MLS", "technologist"]),
    ("WV", &["CLP-MLS", "MLS", "CLS", "MT", "technologist"]),
    ("PR", &["MT", "technologist", "CLS", "MLS"]),
];

fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

fn current(from: Option<Date>, expires: Option<Date>, as_of: Date) -> bool {
    from.is_none_or(|from| from <= as_of) && expires.is_none_or(|expires| as_of <= expires)
}

fn holds_licence(profile: &Profile, state: &str, types: &[&str], as_of: Date) -> bool {
    profile.licenses.iter().any(|held| {
        same(&held.state, state)
            && types.iter().any(|accepted| same(accepted, &held.kind))
            && current(held.issued, held.expires, as_of)
    })
}

/// The `mls` job's verdict; `state` overrides the profile's (`--state`).
pub fn mls_verdict(profile: &Profile, as_of: Date, state: Option<&str>) -> Verdict {
    let degree = profile.education.iter().any(|entry| {
        entry.degree >= DegreeLevel::Bachelor && entry.completed.is_some_and(|on| on <= as_of)
    });
    if !degree {
        return Verdict::NotEligible;
    }
    let certified = profile.certifications.iter().any(|held| {
        CERTIFICATIONS
            .iter()
            .any(|(issuer, name)| same(issuer, &held.issuer) && same(name, &held.name))
            && current(held.earned, held.expires, as_of)
    });
    if !certified {
        return Verdict::NotEligible;
    }
    let state = state
        .or(profile.state.as_deref())
        .map(str::trim)
        .filter(|state| !state.is_empty());
    match state {
        Some(state) => match LICENCES.iter().find(|(code, _)| same(code, state)) {
            Some((code, types)) => Verdict::of(holds_licence(profile, code, types, as_of)),
            None => Verdict::Eligible,
        },
        None if LICENCES
            .iter()
            .all(|(code, types)| holds_licence(profile, code, types, as_of)) =>
        {
            Verdict::Eligible
        }
        None => Verdict::Undetermined,
    }
}
