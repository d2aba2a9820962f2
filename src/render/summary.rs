//! The cohort summary of `eligo screen --summary` in words: the tallies of
//! `screen::summary` as a hiring manager reads them.

use super::{Lead, Words, gap_sentence};
use crate::eval::{Unit, Unmet};
use crate::screen::Screener;
use crate::screen::summary::{
    BLOCKING_LISTED, CLOSE_MONTHS, CLOSE_SEMESTER_HOURS, Close, LAPSE_DAYS, NOT_STATED, RoleTally,
    Tally, WITHIN_MONTHS, not_stated,
};
use std::fmt::Write as _;

/// The requirement a gap names, about the applicant: "needs 24 months of
/// full-time experience …", with [`NOT_STATED`] when the profile lacks the
/// fact, so that "needs to be at least 18 years old" does not count
/// applicants whose age is simply unknown as too young.
pub fn requirement_sentence(words: Words<'_>, gap: &Unmet<'_>) -> String {
    let mut sentence = match gap_sentence(words, gap).0 {
        Lead::Needs(phrase) => format!("needs {phrase}"),
        Lead::Says(text) => text,
    };
    if not_stated(gap) {
        sentence.push_str(NOT_STATED);
    }
    sentence
}

/// `1234567` → `1,234,567`.
pub fn thousands(number: u64) -> String {
    let digits = number.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn plural(count: u64, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        thousands(count),
        if count == 1 { one } else { many }
    )
}

fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return String::new();
    }
    format!("{:.1}%", part as f64 * 100.0 / whole as f64)
}

/// The summary as a hiring manager reads it.
pub fn render(tally: &Tally, screener: &Screener) -> String {
    let mut out = String::new();
    let readable = tally.records - tally.unreadable;
    let _ = writeln!(out, "Screening summary (as of {})", screener.as_of());
    let _ = write!(
        out,
        "{} screened against {}",
        plural(readable, "applicant", "applicants"),
        plural(screener.roles.len() as u64, "role", "roles")
    );
    if tally.unreadable > 0 {
        let _ = write!(
            out,
            "; {} could not be read (rows with verdict `error`)",
            plural(tally.unreadable, "record", "records")
        );
    }
    out.push_str(".\n");
    for (index, &role) in screener.roles.iter().enumerate() {
        let Some(role_tally) = tally.roles.get(index) else {
            continue;
        };
        let title = screener.rules.get(role).map_or("", |r| r.title.as_str());
        let _ = writeln!(out, "\n{} ({})", title, screener.role_id(role));
        let counts = role_tally.counts;
        let width = counts
            .iter()
            .map(|&c| thousands(c).len())
            .max()
            .unwrap_or(1);
        for (label, count) in [
            ("eligible", counts[0]),
            ("not eligible", counts[1]),
            ("undetermined", counts[2]),
        ] {
            let _ = writeln!(
                out,
                "  {label:<13}{:>width$}  {:>6}",
                thousands(count),
                percent(count, readable)
            );
        }
        let blocking = role_tally.top_blocking();
        if !blocking.is_empty() {
            out.push_str("\n  What keeps the others out (applicants per unmet requirement, closest route):\n");
            let shown = &blocking[..blocking.len().min(BLOCKING_LISTED)];
            let width = shown
                .iter()
                .map(|b| thousands(b.applicants).len())
                .max()
                .unwrap_or(1);
            for b in shown {
                let _ = writeln!(
                    out,
                    "    {:>width$}  {}",
                    thousands(b.applicants),
                    b.sentence
                );
            }
            if blocking.len() > shown.len() {
                let rest = blocking.len() - shown.len();
                let _ = writeln!(
                    out,
                    "    {:>width$}  …and {} blocking fewer applicants",
                    "",
                    plural(rest as u64, "other requirement", "other requirements")
                );
            }
        }
        if role_tally.projected {
            let within: Vec<String> = WITHIN_MONTHS
                .iter()
                .zip(role_tally.qualify_within)
                .map(|(months, count)| format!("{months} months: {}", thousands(count)))
                .collect();
            let _ = writeln!(
                out,
                "\n  By time alone (jobs continuing, nothing new earned):\n    will qualify within {}\n    eligible now, lapsing within {LAPSE_DAYS} days: {}",
                within.join(", "),
                plural(role_tally.lapse_soon, "applicant", "applicants")
            );
        }
        if role_tally.close_total > 0 {
            render_close(&mut out, role_tally);
        } else if counts[1] > 0 {
            out.push_str("\n  Close to qualifying: nobody is a single small step away.\n");
        }
    }
    out
}

/// The close applicants: how many, short of what, and the closest listed.
fn render_close(out: &mut String, tally: &RoleTally) {
    let _ = writeln!(
        out,
        "\n  Close to qualifying: {} a single small step away (at most {CLOSE_MONTHS} months of experience or {CLOSE_SEMESTER_HOURS} semester hours short, or one credential missing)",
        plural(tally.close_total, "applicant is", "applicants are")
    );
    let shown = tally.close.len();
    let heading = if tally.close_total as usize > shown {
        format!("The {shown} closest")
    } else {
        "All of them".to_string()
    };
    let _ = writeln!(out, "  {heading}, closest first:");
    let shortfalls: Vec<String> = tally.close.iter().map(shortfall).collect();
    let id_width = tally
        .close
        .iter()
        .map(|c| console::measure_text_width(&c.profile))
        .max()
        .unwrap_or(0)
        .min(32);
    let short_width = shortfalls.iter().map(|s| s.len()).max().unwrap_or(0);
    for (close, short) in tally.close.iter().zip(&shortfalls) {
        let profile = console::truncate_str(&close.profile, id_width, "…");
        let profile = console::pad_str(&profile, id_width, console::Alignment::Left, None);
        let route = close
            .route
            .as_ref()
            .map(|r| format!(" (route {r})"))
            .unwrap_or_default();
        // The shortfall says what the details of a quantity would; for a
        // credential the details matter ("your ASCP MLT expired on …").
        let gap = if close.short.is_some() {
            close.requirement.as_str()
        } else {
            close.gap.as_str()
        };
        let _ = writeln!(out, "    {profile}  {short:<short_width$}  {gap}{route}");
    }
}

/// "2.5 months short", "3 semester hours short", "missing".
fn shortfall(close: &Close) -> String {
    match close.short {
        Some((amount, unit)) => {
            let unit = match unit {
                Unit::Months => "months",
                Unit::SemesterHours => "semester hours",
                other => other.as_str(),
            };
            format!("{} {unit} short", crate::render::number(amount))
        }
        None => "missing".to_string(),
    }
}
