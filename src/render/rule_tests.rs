//! `eligo test` failures in words: one line (or a few) per [`Failure`].

use super::number;
use crate::rule_tests::{Actual, Failure};

/// The failure as the runner prints it, under the test's name.
pub fn failure_text(failure: &Failure) -> String {
    match failure {
        Failure::Verdict {
            role,
            expected,
            got,
            unmet,
        } => {
            let mut text = format!("`{role}`: expected {expected}, got {got}");
            if !unmet.is_empty() {
                let lines: Vec<String> = unmet.iter().map(unmet_line).collect();
                text.push_str(&format!("\n      unmet: {}", lines.join("\n             ")));
            }
            text
        }
        Failure::Route {
            role,
            expected,
            got,
        } => format!(
            "`{role}`: expected route \"{expected}\", got {}",
            got.as_ref()
                .map_or_else(|| "no route".to_string(), |r| format!("route \"{r}\""))
        ),
        Failure::Met {
            role,
            kind,
            records,
            found,
        } => {
            let by = if records.is_empty() {
                String::new()
            } else {
                format!(" by {}", records.join(", "))
            };
            let got = match found {
                None => format!("no {kind} condition is met"),
                Some(found) if found.is_empty() => "met without records".to_string(),
                Some(found) => format!("met by {}", found.join("; ")),
            };
            format!("`{role}`: expected met {kind}{by}, {got}")
        }
        Failure::UnmetMissing { role, expected } => {
            let mut text = format!("`{role}`: expected unmet {}", expected.kind);
            if let Some(route) = &expected.route {
                text.push_str(&format!(" route \"{route}\""));
            }
            if let Some(needed) = expected.needed {
                text.push_str(&format!(" needed {}", number(needed)));
            }
            if let Some(have) = expected.have {
                text.push_str(&format!(" have {}", number(have)));
            }
            if let Some(message) = &expected.message {
                text.push_str(&format!(" message \"{message}\""));
            }
            text.push_str(", not found");
            text
        }
        Failure::UnmetUnexpected { role, actual } => {
            format!("`{role}`: unexpected unmet {}", unmet_line(actual))
        }
        Failure::UnmetFound(actual) => {
            let lines: Vec<String> = actual.iter().map(unmet_line).collect();
            format!(
                "      actual unmet: {}",
                lines.join("\n                    ")
            )
        }
    }
}

/// `experience route "2" needed 24 have 23 — needs 24 months …`.
fn unmet_line(unmet: &Actual) -> String {
    let mut text = unmet.kind.to_string();
    if let Some(route) = &unmet.route {
        text.push_str(&format!(" route \"{route}\""));
    }
    if let Some(needed) = unmet.needed {
        text.push_str(&format!(" needed {}", number(needed)));
    }
    if let Some(have) = unmet.have {
        text.push_str(&format!(" have {}", number(have)));
    }
    format!("{text} — {}", unmet.message)
}
