//! Screening many applicants at once (`eligo screen`): the library side.
//!
//! # Pipeline
//! ```text
//! reader thread ──batches──▶ N worker threads ──outputs──▶ caller's thread
//! (lines of JSON Lines,       (parse, evaluate verdict     (puts the batches back
//!  whole profile files)        only, explain when needed,   in input order and
//!                              format the rows, tally)      writes them)
//! ```
//! - **Flat memory.** Records travel in batches of [`RunOptions::batch_records`]
//!   records. The reader must take a token before it starts a batch and the
//!   caller's thread gives the token back once the batch is written, so at most
//!   `4 × jobs` batches exist at any time, whatever the size of the input.
//! - **Input order, deterministic bytes.** Batches are numbered by the reader
//!   and handed to the caller strictly in that order; what a batch becomes
//!   depends only on its records, so the output is the same byte for byte
//!   whatever the number of threads.
//! - **Verdict first.** Each profile is evaluated for each role without
//!   explanations ([`Context::verdict_only`]); only rows that will be shown
//!   not eligible or undetermined, or that the summary needs, are evaluated a
//!   second time with explanations.
//! - **Bad records** become rows with verdict `error` (one per role, so rows
//!   out = records in × roles) and are counted in [`Tally::unreadable`].
//!
//! [`run`] drives the pipeline; [`Screener`] evaluates one profile and can be
//! used on its own; [`output`] formats rows, [`summary`] tallies and renders
//! the cohort summary.

pub mod input;
pub mod output;
mod pipeline;
pub mod summary;

use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::eval::{Context, RoleOutcome, Verdict, evaluate_role};
use crate::profile::{self, Profile};
use crate::ruleset::{RoleId, RuleSet};
use std::fmt;

pub use input::{Source, SourceKind, expand_inputs};
pub use output::{Format, TableRow, TableWriter};
pub use pipeline::{BatchIds, BatchOutput, ProfileId, RunOptions, run};
pub use summary::Tally;

/// A row's verdict: an evaluation's, or `error` for a record that could not
/// be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RowVerdict {
    Eligible,
    NotEligible,
    Undetermined,
    Error,
}

impl RowVerdict {
    pub const ALL: [RowVerdict; 4] = [
        RowVerdict::Eligible,
        RowVerdict::NotEligible,
        RowVerdict::Undetermined,
        RowVerdict::Error,
    ];

    /// The wire name: `eligible`, `not_eligible`, `undetermined`, `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            RowVerdict::Error => "error",
            RowVerdict::Eligible => "eligible",
            RowVerdict::NotEligible => "not_eligible",
            RowVerdict::Undetermined => "undetermined",
        }
    }

    /// How a person reads it: `not eligible`.
    pub fn words(self) -> &'static str {
        match self {
            RowVerdict::NotEligible => "not eligible",
            other => other.as_str(),
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

impl From<Verdict> for RowVerdict {
    fn from(verdict: Verdict) -> RowVerdict {
        match verdict {
            Verdict::Eligible => RowVerdict::Eligible,
            Verdict::NotEligible => RowVerdict::NotEligible,
            Verdict::Undetermined => RowVerdict::Undetermined,
        }
    }
}

impl fmt::Display for RowVerdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which rows are written (`--only`). Rows with verdict `error` are always
/// written: a record that could not be read must never vanish from a
/// filtered list unnoticed. `--only error` therefore lists only them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Filter {
    shown: [bool; 4],
}

impl Filter {
    /// Every row.
    pub fn all() -> Filter {
        Filter { shown: [true; 4] }
    }

    /// Rows whose verdict is one of `verdicts`, and error rows. Empty: every row.
    pub fn only(verdicts: &[RowVerdict]) -> Filter {
        if verdicts.is_empty() {
            return Filter::all();
        }
        let mut shown = [false; 4];
        for verdict in verdicts {
            shown[verdict.index()] = true;
        }
        shown[RowVerdict::Error.index()] = true;
        Filter { shown }
    }

    pub fn shows(self, verdict: RowVerdict) -> bool {
        self.shown[verdict.index()]
    }

    /// Whether no row is written at all (the summary-only format).
    pub fn none() -> Filter {
        Filter { shown: [false; 4] }
    }
}

/// A record that could not be read: where, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    /// The input file as named on the command line or found in a folder
    /// (`<stdin>` for standard input).
    pub file: String,
    /// The line of the record (JSON Lines), or of the problem (a profile
    /// file); `None` when the whole file could not be read.
    pub line: Option<usize>,
    /// The problems, each with its hint in parentheses, joined by `; `.
    pub message: String,
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// One message from a profile's diagnostics: every error, with its hint.
pub fn diagnostics_message(diagnostics: &[Diagnostic]) -> String {
    let mut parts: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| match &d.help {
            Some(help) => format!("{} ({help})", d.message),
            None => d.message.clone(),
        })
        .collect();
    if parts.is_empty() {
        parts.push("the profile cannot be read".to_string());
    }
    parts.join("; ")
}

/// The line of the first located diagnostic.
pub fn diagnostics_line(diagnostics: &[Diagnostic]) -> Option<usize> {
    diagnostics.iter().find_map(|d| {
        let file = d.file.as_ref()?;
        let span = d.span?;
        Some(file.line_col(span.start).0)
    })
}

/// Parses one JSON Lines record: exactly [`profile::parse_profile_line`]'s
/// result, faster for valid records. A record is first deserialised straight
/// from its text and validated; only when that fails does the full parser,
/// which builds a spanned tree to locate every problem, run to produce the
/// diagnostics. (Both accept the same records; a unit test checks a range of
/// them.)
pub fn parse_line(
    file_name: &str,
    line_number: usize,
    text: &str,
) -> Result<Profile, Vec<Diagnostic>> {
    if let Ok(mut parsed) = serde_json::from_str::<Profile>(text)
        && profile::validate_profile(&parsed).is_empty()
    {
        if parsed.id.is_none() {
            parsed.id = Some(format!("{}:{line_number}", file_stem(file_name)));
        }
        return Ok(parsed);
    }
    profile::parse_profile_line(file_name, line_number, text)
}

/// The id a record would get without an `id` field: `<file stem>:<line>`.
pub fn default_id(file_name: &str, line_number: Option<usize>) -> String {
    match line_number {
        Some(line) => format!("{}:{line}", file_stem(file_name)),
        None => file_stem(file_name).to_string(),
    }
}

fn file_stem(name: &str) -> &str {
    std::path::Path::new(name)
        .file_stem()
        .and_then(|stem| stem.to_str())
        .unwrap_or(name)
}

/// The `id` of a record that failed to load, when its JSON is readable enough
/// to tell.
pub fn salvage_id(text: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct IdOnly {
        #[serde(default)]
        id: Option<serde_json::Value>,
    }
    match serde_json::from_str::<IdOnly>(text).ok()?.id? {
        serde_json::Value::String(id) if !id.trim().is_empty() => Some(id),
        _ => None,
    }
}

/// Evaluates profiles against the roles being screened: verdict only, and
/// with explanations on request.
#[derive(Clone, Debug)]
pub struct Screener<'r> {
    pub rules: &'r RuleSet,
    /// The roles, in the order the rows list them.
    pub roles: Vec<RoleId>,
    verdict_only: Context,
    explaining: Context,
    /// `explaining` without evidence: what rows show.
    gaps_only: Context,
    /// `--project`: each row also says when time alone changes its verdict,
    /// up to this day.
    projecting: Option<Date>,
    /// `--require-verified`: judge each profile as if its records without
    /// `verified` were absent.
    pub require_verified: bool,
    /// The rule set's newest source date, written on every row.
    pub newest_source: Option<Date>,
    /// What each condition needs, worded once for every row.
    pub(crate) phrases: crate::render::Phrases<'r>,
}

/// What time alone does to one row's verdict (`screen --project`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Projected {
    /// Not eligible now; eligible from this day.
    pub eligible_on: Option<Date>,
    /// Eligible now; not from this day.
    pub stops_on: Option<Date>,
}

impl<'r> Screener<'r> {
    /// `state` overrides each profile's own (`--state`).
    pub fn new(
        rules: &'r RuleSet,
        roles: Vec<RoleId>,
        as_of: Date,
        state: Option<String>,
    ) -> Screener<'r> {
        let explaining = Context::new(as_of).with_state(state);
        Screener {
            newest_source: rules.newest_source(),
            phrases: crate::render::Phrases::new(rules),
            rules,
            roles,
            verdict_only: explaining.clone().verdict_only(),
            gaps_only: explaining.clone().without_evidence(),
            explaining,
            projecting: None,
            require_verified: false,
        }
    }

    /// Judges on verified records only (`screen --require-verified`).
    pub fn requiring_verified(mut self, require: bool) -> Screener<'r> {
        self.require_verified = require;
        self
    }

    /// Projects each row's verdict up to `until` (`screen --project`).
    pub fn projecting(mut self, until: Option<Date>) -> Screener<'r> {
        self.projecting = until;
        self
    }

    /// Whether rows carry projected dates.
    pub fn projects(&self) -> bool {
        self.projecting.is_some()
    }

    /// When time alone changes the role's verdict for this profile, if
    /// projecting and within the horizon.
    pub fn project(&self, role: RoleId, profile: &Profile) -> Option<Projected> {
        let until = self.projecting?;
        Some(
            match crate::eval::project(self.rules, role, profile, &self.verdict_only, until) {
                crate::eval::Projection::MetFrom { on, .. } => Projected {
                    eligible_on: Some(on),
                    stops_on: None,
                },
                crate::eval::Projection::LapsesOn { on, .. } => Projected {
                    eligible_on: None,
                    stops_on: Some(on),
                },
                _ => Projected::default(),
            },
        )
    }

    /// Rows show only the closest route's gaps; the summary looks at every
    /// route. Without a summary, the other routes are not explained at all.
    pub fn listing_routes(mut self, routes: bool) -> Screener<'r> {
        self.explaining.routes = routes;
        self.gaps_only.routes = routes;
        self
    }

    pub fn as_of(&self) -> Date {
        self.explaining.as_of
    }

    /// The fast path: the verdict, no messages built.
    pub fn verdict(&self, role: RoleId, profile: &Profile) -> Verdict {
        evaluate_role(self.rules, role, profile, &self.verdict_only).verdict
    }

    /// The full outcome, every unmet condition explained.
    pub fn explain(&self, role: RoleId, profile: &Profile) -> RoleOutcome<'r> {
        evaluate_role(self.rules, role, profile, &self.explaining)
    }

    /// The verdict, explained only when `wanted` says the verdict needs it
    /// (an eligible outcome has nothing to explain).
    pub fn evaluate(
        &self,
        role: RoleId,
        profile: &Profile,
        wanted: impl Fn(Verdict) -> bool,
    ) -> RoleOutcome<'r> {
        // When every verdict short of eligible is explained and only the
        // closest route is wanted, one explained pass decides the verdict
        // too: its routes are compared in outline first, which costs about
        // what a verdict-only pass does. (Listing every route explains each
        // in detail, too dear for the eligible rows.)
        if !self.gaps_only.routes && wanted(Verdict::NotEligible) && wanted(Verdict::Undetermined) {
            let mut outcome = evaluate_role(self.rules, role, profile, &self.gaps_only);
            if outcome.verdict == Verdict::Eligible {
                // As the verdict-only pass returns it: rows of eligible
                // roles show no route.
                outcome.route = None;
            }
            return outcome;
        }
        let quick = evaluate_role(self.rules, role, profile, &self.verdict_only);
        if quick.verdict != Verdict::Eligible && wanted(quick.verdict) {
            self.explain(role, profile)
        } else {
            quick
        }
    }

    /// The role's id as the rows show it.
    /// Every role's row for one readable profile, in the employer's voice,
    /// as `screen` writes them (used by `eligo serve`'s `/v1/screen`).
    #[cfg(feature = "serve")]
    pub(crate) fn push_rows(
        &self,
        profile: &Profile,
        id: &str,
        file: &str,
        line: Option<usize>,
        sink: &mut output::RowSink,
    ) {
        let words = crate::render::Words::new(self.rules, profile, crate::render::Voice::Applicant)
            .verified_only(self.require_verified)
            .with_phrases(&self.phrases);
        let verified = self
            .require_verified
            .then(|| crate::eval::verified_only(profile));
        let judged = verified.as_ref().map_or(profile, |only| &only.profile);
        for &role in &self.roles {
            let mut outcome = self.evaluate(role, judged, |_| true);
            if let Some(only) = &verified {
                only.restore_paths(&mut outcome);
            }
            sink.push(&output::Row {
                profile: id,
                role: self.role_id(role),
                verdict: RowVerdict::from(outcome.verdict),
                unmet: &outcome.unmet,
                words: Some(words),
                file,
                line,
                message: None,
                projected: self.project(role, judged),
                rules: &self.rules.fingerprint,
                newest_source: self.newest_source,
            });
        }
    }

    pub fn role_id(&self, role: RoleId) -> &'r str {
        self.rules.get(role).map_or("", |r| r.id.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_line_parser_agrees_with_the_full_one() {
        let lines = [
            r#"{"id":"a","education":[{"degree":"bachelor","field":"biology","completed":"2020-05-01"}]}"#,
            r#"{"education":[{"degree":"bachelor"}],"state":"CA"}"#,
            r#"{"id":"a","educaton":[]}"#,
            r#"{"id":"a","id":"b"}"#,
            r#"{"experience":[{"start":"2023-02-30"}]}"#,
            r#"{"experience":[{"start":"2023-02-01","end":"2022-01-01"}]}"#,
            r#"{"coursework":[{"subject":"chemistry"}]}"#,
            r#"{"coursework":[{"subject":"chemistry","semester_hours":3,"quarter_hours":4}]}"#,
            r#"{"coursework":[{"subject":"chemistry","semester_hours":-3}]}"#,
            r#"{"state":"ZZ"}"#,
            r#"{"state":"ca"}"#,
            r#"{"training":[{"program":"phlebotomy","venipunctures":1.5}]}"#,
            r#"{"training":[{"program":"phlebotomy","venipunctures":100}]}"#,
            r#"{"experience":[{"start":"2020-01-01","hours_per_week":200}]}"#,
            r#"{"licenses":[{"state":"CA","type":"CLS","issued":"2020-01-01","expires":"2019-01-01"}]}"#,
            "\u{feff}{\"id\":\"bom\"}",
            r#"[{"id":"a"}]"#,
            r#"{"id":"a","#,
            r#"{"id":null}"#,
            r#"{"id":"a","education":null}"#,
            r#"{"id":"a","experience":[{"start":"2020-01-01","end":null,"tags":["x","x"]}]}"#,
            r#"{"id":"a","experience":[{"start":"2020-01-01","start":"2020-01-02"}]}"#,
            r#"  {"id":"spaces"}   "#,
            r#"{"id":"a"} {"id":"b"}"#,
            r#"{"birth_date":"2000-1-1"}"#,
        ];
        for (index, text) in lines.iter().enumerate() {
            let line = index + 1;
            let fast = parse_line("in.jsonl", line, text);
            let full = profile::parse_profile_line("in.jsonl", line, text);
            match (&fast, &full) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{text}"),
                (Err(a), Err(b)) => {
                    assert_eq!(diagnostics_message(a), diagnostics_message(b), "{text}")
                }
                _ => panic!("the parsers disagree on {text}: {fast:?} / {full:?}"),
            }
        }
    }

    #[test]
    fn filter_always_keeps_error_rows() {
        let only = Filter::only(&[RowVerdict::Eligible]);
        assert!(only.shows(RowVerdict::Eligible));
        assert!(!only.shows(RowVerdict::NotEligible));
        assert!(only.shows(RowVerdict::Error));
        let errors = Filter::only(&[RowVerdict::Error]);
        assert!(!errors.shows(RowVerdict::Eligible) && errors.shows(RowVerdict::Error));
        assert_eq!(Filter::only(&[]), Filter::all());
    }

    #[test]
    fn ids_are_salvaged_from_readable_json_only() {
        assert_eq!(
            salvage_id(r#"{"id":"ana","educaton":[]}"#).as_deref(),
            Some("ana")
        );
        assert_eq!(salvage_id(r#"{"id":"ana","#), None);
        assert_eq!(salvage_id(r#"{"id":7}"#), None);
        assert_eq!(default_id("data/applicants.jsonl", Some(4)), "applicants:4");
    }
}
