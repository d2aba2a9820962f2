//! Personnel qualification records and the laboratory roster, in words:
//! the report data (also the JSON document), terminal text, CSV with form
//! CMS-209's columns, and a printable HTML page. All about the person, in
//! the third person.

use super::json::{
    EvidenceEntry, Number, RulesInfo, UnmetEntry, VERSION, evidence_entry, unmet_entry,
};
use super::{Voice, Words, count_noun, evidence, message, number, terminal_safe};
use crate::date::Date;
use crate::eval::{Projection, Record, Verdict};
use crate::profile::Profile;
use crate::record::{PersonnelRecord, SpecialtyEvidence};
use crate::ruleset::RuleSet;
use serde::Serialize;
use std::fmt::Write as _;

/// Days ahead within which a lapse is flagged on a roster.
pub const LAPSE_WARNING_DAYS: i64 = 90;

/// One person's records, as the JSON document of `eligo record`.
#[derive(Clone, Debug, Serialize)]
pub struct RecordsDocument<'a> {
    pub version: u32,
    pub rules: RulesInfo<'a>,
    pub as_of: Date,
    pub records: Vec<RecordReport<'a>>,
}

/// One person × one position.
#[derive(Clone, Debug, Serialize)]
pub struct RecordReport<'a> {
    pub profile: String,
    /// The person's name, when the profile has one.
    pub name: Option<String>,
    pub role: &'a str,
    pub title: &'a str,
    /// Form CMS-209's position and complexity letter, for CLIA roles.
    pub clia_position: Option<&'static str>,
    pub complexity: Option<&'static str>,
    pub specialties: Vec<String>,
    /// For a technical supervisor or consultant who is met: whether each
    /// specialty is met on the work in that specialty alone.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub specialty_checks: Vec<SpecialtyReport>,
    /// `eligible`, `not_eligible` or `undetermined`, as in `check`.
    pub verdict: &'static str,
    /// `qualified`, `qualified_on_claims`, `not_qualified` or `undetermined`.
    pub standing: &'static str,
    /// The verdict on verified records only.
    pub verified_verdict: &'static str,
    /// `all` records, or `verified` ones only (`--require-verified`).
    pub judged_on: &'static str,
    /// The route met (or the closest), and the paragraph it encodes.
    pub route: Option<String>,
    pub cite: Option<String>,
    /// Each condition met, with the records that meet it.
    pub conditions: Vec<ConditionReport<'a>>,
    /// What is missing, when not qualified.
    pub unmet: Vec<UnmetEntry<'a>>,
    /// Every sentence of what is missing: the unmet conditions', then a
    /// specialty not shown.
    pub missing: Vec<String>,
    /// Records the qualification rests on that carry no `verified`.
    pub unverified: Vec<RecordLine>,
    /// The first day the position is no longer met if nothing changes.
    pub lapses_on: Option<Date>,
    /// The day before: the last day it is met.
    pub qualified_until: Option<Date>,
    /// What is missing from that day.
    pub lapse: Vec<UnmetEntry<'a>>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SpecialtyReport {
    pub specialty: String,
    /// `shown`, `not_shown` (met only with work outside it), `not_checked`
    /// (not an area the rule set knows).
    pub evidence: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct ConditionReport<'a> {
    #[serde(flatten)]
    pub evidence: EvidenceEntry<'a>,
    pub records: Vec<RecordLine>,
    /// For a role met by reference: that role and route (`clia-technical-supervisor
    /// by route F`), and its own conditions with their records.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub through: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<ConditionReport<'a>>,
}

fn condition_report<'a>(words: Words<'_>, met: &crate::eval::Met<'a>) -> ConditionReport<'a> {
    ConditionReport {
        evidence: evidence_entry(words, met),
        records: met
            .findings
            .iter()
            .filter(|finding| finding.counted != crate::eval::Counted::No)
            .map(|finding| {
                record_line(
                    words,
                    finding.record,
                    finding.amount,
                    met.quantity.map(|q| q.unit.as_str()),
                )
            })
            .collect(),
        through: met
            .via
            .as_ref()
            .map(|via| evidence::role_via(words.rules, via.role, via.route)),
        conditions: met
            .via
            .as_ref()
            .map(|via| {
                via.evidence
                    .iter()
                    .map(|inner| condition_report(words, inner))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// A profile record as a record shows it.
#[derive(Clone, Debug, Serialize)]
pub struct RecordLine {
    /// `experience[1]`.
    pub record: String,
    /// Its short name: `ASCP MLS`, `CA CLS licence`.
    pub name: String,
    /// What it is: `ASCP MLS, no. 123, earned 2019-06-01, expires 2028-05-31`.
    pub description: String,
    /// How much of it counted (months of experience, hours), when measured.
    pub amount: Option<Number>,
    pub unit: Option<&'static str>,
    /// How it was checked; `null` when self-reported.
    pub verified: Option<VerifiedLine>,
}

#[derive(Clone, Debug, Serialize)]
pub struct VerifiedLine {
    pub by: String,
    pub on: Option<Date>,
}

/// The report of `record` for `profile` (named `id`).
pub fn record_report<'a>(
    rules: &'a RuleSet,
    profile: &Profile,
    id: &str,
    record: &PersonnelRecord<'a>,
) -> RecordReport<'a> {
    let words = Words::new(rules, profile, Voice::Staff).verified_only(record.require_verified);
    let role = &rules[record.role];
    let outcome = &record.outcome;
    let route = outcome.route.and_then(|index| {
        let (_, alternatives) = crate::eval::top_level_routes(&role.requirement)?;
        alternatives.get(index)?.route.as_ref()
    });
    let conditions = outcome
        .evidence
        .iter()
        .map(|met| condition_report(words, met))
        .collect();
    let (lapses_on, lapse) = match outcome.projection.as_deref() {
        Some(Projection::LapsesOn { on, outcome: then }) => (
            Some(*on),
            then.unmet
                .iter()
                .map(|gap| unmet_entry(words, gap))
                .collect(),
        ),
        _ => (None, Vec::new()),
    };
    RecordReport {
        profile: id.to_string(),
        name: profile.name.clone(),
        role: &role.id,
        title: &role.title,
        clia_position: role.clia_position.map(|p| p.code.code()),
        complexity: role.clia_position.map(|p| p.complexity.letter()),
        specialties: record.specialties.clone(),
        specialty_checks: record
            .specialty_checks
            .iter()
            .map(|check| SpecialtyReport {
                specialty: check.specialty.clone(),
                evidence: check.evidence.as_str(),
            })
            .collect(),
        verdict: verdict_str(outcome.verdict),
        standing: record.standing.as_str(),
        verified_verdict: verdict_str(record.verified_verdict),
        judged_on: if record.require_verified {
            "verified"
        } else {
            "all"
        },
        route: route.map(|r| r.name.clone()),
        cite: route
            .and_then(|r| r.cite.clone())
            .or_else(|| role.cite.clone()),
        conditions,
        missing: outcome
            .unmet
            .iter()
            .map(|gap| message(words, gap))
            .chain(
                record
                    .specialty_checks
                    .iter()
                    .filter(|check| check.evidence == SpecialtyEvidence::NotShown)
                    .map(|check| {
                        format!(
                            "not shown for the specialty {}: met only with work outside it",
                            check.specialty
                        )
                    }),
            )
            .collect(),
        unmet: outcome
            .unmet
            .iter()
            .map(|gap| unmet_entry(words, gap))
            .collect(),
        unverified: record
            .unverified
            .iter()
            .map(|&r| record_line(words, r, None, None))
            .collect(),
        lapses_on,
        qualified_until: lapses_on.map(|on| on.add_days(-1)),
        lapse,
    }
}

fn verdict_str(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Eligible => "eligible",
        Verdict::NotEligible => "not_eligible",
        Verdict::Undetermined => "undetermined",
    }
}

fn record_line(
    words: Words<'_>,
    record: Record,
    amount: Option<f64>,
    unit: Option<&'static str>,
) -> RecordLine {
    RecordLine {
        record: record.to_string(),
        name: evidence::record_name(words, record),
        description: describe_record(words, record),
        amount: amount.map(Number),
        unit: amount.and(unit),
        verified: record.verification(words.profile).map(|v| VerifiedLine {
            by: v.by.clone(),
            on: v.on,
        }),
    }
}

/// A record with what an inspector checks: numbers, dates, employer.
/// The unverified records of a report, each as `ASCP MLS (certifications[0])`.
fn unverified_list(report: &RecordReport<'_>, separator: &str) -> String {
    let names: Vec<String> = report
        .unverified
        .iter()
        .map(|line| format!("{} ({})", line.name, line.record))
        .collect();
    names.join(separator)
}

pub fn describe_record(words: Words<'_>, record: Record) -> String {
    let profile = words.profile;
    let name = evidence::record_name(words, record);
    let index = record.index();
    let mut parts = vec![name];
    let date = |label: &str, date: Option<Date>| date.map(|d| format!("{label} {d}"));
    match record {
        Record::Education(_) => {
            if let Some(entry) = profile.education.get(index) {
                parts.extend(date("completed", entry.completed));
                if entry.completed.is_none() {
                    parts.push(match entry.expected {
                        Some(on) => format!("in progress, expected {on}"),
                        None => "in progress".to_string(),
                    });
                }
                parts.extend(
                    entry
                        .accreditation
                        .as_ref()
                        .map(|a| format!("accredited by {a}")),
                );
            }
        }
        Record::Coursework(_) => {
            if let Some(course) = profile.coursework.get(index) {
                parts.push(format!(
                    "{} semester hours",
                    number(course.semester_hours())
                ));
            }
        }
        Record::Certification(_) => {
            if let Some(held) = profile.certifications.get(index) {
                parts.extend(held.number.as_ref().map(|n| format!("no. {n}")));
                parts.extend(date("earned", held.earned));
                parts.extend(date("expires", held.expires));
            }
        }
        Record::License(_) => {
            if let Some(held) = profile.licenses.get(index) {
                parts.extend(held.number.as_ref().map(|n| format!("no. {n}")));
                parts.extend(date("issued", held.issued));
                parts.extend(date("expires", held.expires));
            }
        }
        Record::Experience(_) => {
            if let Some(job) = profile.experience.get(index) {
                let mut place: Vec<String> = Vec::new();
                place.extend(job.employer.clone());
                place.extend(job.laboratory.clone());
                place.extend(job.clia_number.as_ref().map(|n| format!("CLIA {n}")));
                if !place.is_empty() {
                    parts.push(place.join(", "));
                }
                parts.push(format!("{} h/week", number(job.hours_per_week())));
            }
        }
        Record::Training(_) => {
            if let Some(entry) = profile.training.get(index) {
                parts.extend(date("completed", entry.completed));
                parts.extend(
                    entry
                        .accreditation
                        .as_ref()
                        .map(|a| format!("accredited by {a}")),
                );
            }
        }
        Record::ContinuingEducation(_) => {
            if let Some(entry) = profile.continuing_education.get(index) {
                parts.push(format!("{} contact hours", number(entry.hours)));
            }
        }
    }
    parts.retain(|part| !part.is_empty());
    parts.join(", ")
}

/// The records of `eligo record` as one JSON document.
pub fn records_json(rules: &RuleSet, as_of: Date, records: Vec<RecordReport<'_>>) -> String {
    let document = RecordsDocument {
        version: VERSION,
        rules: RulesInfo::of(rules),
        as_of,
        records,
    };
    // Serialising these types cannot fail (string keys, finite or null numbers).
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

fn standing_words(report: &RecordReport<'_>) -> &'static str {
    match report.standing {
        "qualified" => "qualified",
        "qualified_on_claims" => "qualified on claims only",
        "undetermined" => "cannot be determined",
        _ => "not qualified",
    }
}

fn person(report: &RecordReport<'_>) -> String {
    match &report.name {
        Some(name) => format!("{name} ({})", report.profile),
        None => report.profile.clone(),
    }
}

fn position_line(report: &RecordReport<'_>) -> String {
    let mut line = format!("{} ({})", report.title, report.role);
    if let (Some(code), Some(complexity)) = (report.clia_position, report.complexity) {
        let _ = write!(line, "; CMS-209 {code}, {complexity}");
    }
    if !report.specialties.is_empty() {
        let _ = write!(line, "; specialties: {}", specialties_words(report));
    }
    line
}

/// `chemistry, hematology (not shown), toxicology (not checked)`.
fn specialties_words(report: &RecordReport<'_>) -> String {
    let words: Vec<String> = report
        .specialties
        .iter()
        .map(|specialty| {
            let check = report
                .specialty_checks
                .iter()
                .find(|check| &check.specialty == specialty);
            match check.map(|check| check.evidence) {
                Some("not_shown") => format!("{specialty} (not shown)"),
                Some("not_checked") => {
                    format!("{specialty} (not checked: not an area the rules know)")
                }
                _ => specialty.clone(),
            }
        })
        .collect();
    words.join(", ")
}

fn verdict_line(report: &RecordReport<'_>) -> String {
    let mut line = standing_words(report).to_string();
    if let Some(route) = &report.route {
        let by = if report.verdict == "eligible" {
            "by"
        } else {
            "closest"
        };
        let _ = write!(line, ", {by} route {route}");
    }
    if let Some(cite) = &report.cite {
        let _ = write!(line, " ({cite})");
    }
    line
}

fn verification_words(line: &RecordLine) -> String {
    match &line.verified {
        Some(VerifiedLine { by, on: Some(on) }) => format!("verified: {by}, {on}"),
        Some(VerifiedLine { by, on: None }) => format!("verified: {by}"),
        None => "self-reported".to_string(),
    }
}

fn counted_words(line: &RecordLine) -> Option<String> {
    let amount = line.amount?;
    Some(format!(
        "counts {} {}",
        number(amount.0),
        line.unit.unwrap_or("")
    ))
    .map(|s| s.trim_end().to_string())
}

/// One record for the terminal.
pub fn record_text(report: &RecordReport<'_>, as_of: Date, rules: &RulesInfo<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Qualification record: {}", person(report));
    let _ = writeln!(out, "  position:  {}", position_line(report));
    let _ = writeln!(
        out,
        "  evaluated: {as_of}, rules {} ({}){}",
        rules.fingerprint,
        rules_extent(rules),
        if report.judged_on == "verified" {
            ", verified records only"
        } else {
            ""
        }
    );
    let _ = writeln!(out, "  verdict:   {}", verdict_line(report));
    if !report.unverified.is_empty() {
        let _ = writeln!(out, "  unverified: {}", unverified_list(report, ", "));
    }
    if !report.conditions.is_empty() {
        let _ = writeln!(out, "  evidence:");
        conditions_text(&mut out, &report.conditions, 4);
    }
    if !report.missing.is_empty() {
        let _ = writeln!(out, "  missing:");
        for sentence in &report.missing {
            let _ = writeln!(out, "    ✗ {sentence}");
        }
    }
    match (report.lapses_on, report.lapse.first()) {
        (Some(on), Some(gap)) => {
            let _ = writeln!(
                out,
                "  next lapse: qualified until {}; from {on}: {}",
                on.add_days(-1),
                gap.message
            );
        }
        (Some(on), None) => {
            let _ = writeln!(out, "  next lapse: qualified until {}", on.add_days(-1));
        }
        _ => {}
    }
    // Profile values reach the terminal: each line escaped.
    out.lines()
        .map(|line| format!("{}\n", terminal_safe(line)))
        .collect()
}

fn conditions_text(out: &mut String, conditions: &[ConditionReport<'_>], indent: usize) {
    let pad = " ".repeat(indent);
    for condition in conditions {
        let judged = condition
            .evidence
            .as_of
            .map(|date| format!(" (judged as of {date})"))
            .unwrap_or_default();
        let _ = writeln!(out, "{pad}✓ {}{judged}", condition.evidence.need);
        for line in &condition.records {
            let mut text = format!("{}: {}", line.record, line.description);
            if let Some(counted) = counted_words(line) {
                let _ = write!(text, "; {counted}");
            }
            let _ = write!(text, "; {}", verification_words(line));
            let _ = writeln!(out, "{pad}    {text}");
        }
        if let Some(through) = &condition.through {
            let _ = writeln!(out, "{pad}    met as {through}:");
            conditions_text(out, &condition.conditions, indent + 6);
        }
    }
}

/// One roster row: a record with the person it is about.
pub struct RosterRow<'a> {
    pub report: RecordReport<'a>,
    pub file: String,
}

/// The CSV header of `eligo roster`: form CMS-209's columns, then eligo's.
pub const ROSTER_CSV_HEADER: [&str; 16] = [
    "name",
    "position",
    "specialties",
    "complexity",
    "qualified",
    "subpart_m",
    "profile",
    "role",
    "standing",
    "route",
    "unverified",
    "missing",
    "qualified_until",
    "file",
    "rules",
    "newest_source",
];

/// What a record or roster says of its rule set after the fingerprint:
/// its size and how recently its sources were checked.
pub(crate) fn rules_extent(rules: &RulesInfo<'_>) -> String {
    let files = count_noun(rules.files, "file", "files");
    match rules.newest_source {
        Some(date) => format!("{files}, sources checked up to {date}"),
        None => files,
    }
}

/// The roster as CSV (RFC 4180, `\n` line ends).
pub fn roster_csv(rows: &[RosterRow<'_>], rules: &RulesInfo<'_>) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let _ = writer.write_record(ROSTER_CSV_HEADER);
    for row in rows {
        let report = &row.report;
        let qualified = match report.standing {
            "qualified" | "qualified_on_claims" => "yes",
            "undetermined" => "undetermined",
            _ => "no",
        };
        let missing: Vec<&str> = report.missing.iter().map(String::as_str).collect();
        let cells = [
            report.name.clone().unwrap_or_default(),
            report.clia_position.unwrap_or("").to_string(),
            report.specialties.join("; "),
            report.complexity.unwrap_or("").to_string(),
            qualified.to_string(),
            if qualified == "yes" {
                report.cite.clone().unwrap_or_default()
            } else {
                String::new()
            },
            report.profile.clone(),
            report.role.to_string(),
            report.standing.to_string(),
            report.route.clone().unwrap_or_default(),
            unverified_list(report, " | "),
            missing.join(" | "),
            report
                .qualified_until
                .map(|d| d.to_string())
                .unwrap_or_default(),
            row.file.clone(),
            rules.fingerprint.to_string(),
            rules
                .newest_source
                .map(|date| date.to_string())
                .unwrap_or_default(),
        ];
        let _ = writer.write_record(
            cells
                .iter()
                .map(|cell| crate::screen::output::neutralise_cell(cell).into_owned()),
        );
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The order a roster is read in: not qualified first, then qualified on
/// claims only, then those whose qualification lapses soon, then the rest;
/// by person and position within each.
pub fn roster_order(rows: &mut [RosterRow<'_>], as_of: Date) {
    let rank = |report: &RecordReport<'_>| -> u8 {
        match report.standing {
            "not_qualified" => 0,
            "undetermined" => 1,
            "qualified_on_claims" => 2,
            _ if lapses_soon(report, as_of) => 3,
            _ => 4,
        }
    };
    rows.sort_by(|a, b| {
        (
            rank(&a.report),
            &a.report.name,
            &a.report.profile,
            a.report.role,
        )
            .cmp(&(
                rank(&b.report),
                &b.report.name,
                &b.report.profile,
                b.report.role,
            ))
    });
}

/// Whether the position stops being met within [`LAPSE_WARNING_DAYS`].
pub fn lapses_soon(report: &RecordReport<'_>, as_of: Date) -> bool {
    report
        .lapses_on
        .is_some_and(|on| on <= as_of.add_days(LAPSE_WARNING_DAYS))
}

/// The roster in a line per person × position, for the terminal.
pub fn roster_text(rows: &[RosterRow<'_>], as_of: Date) -> String {
    let mut out = String::new();
    for row in rows {
        let report = &row.report;
        let mut line = format!(
            "{}  {}: {}",
            person(report),
            report.role,
            verdict_line(report)
        );
        if let Some(sentence) = report.missing.first() {
            let _ = write!(line, "; {sentence}");
        }
        if !report.unverified.is_empty() {
            let _ = write!(line, "; unverified: {}", unverified_list(report, ", "));
        }
        if let Some(on) = report.lapses_on {
            let soon = if lapses_soon(report, as_of) {
                " (within 90 days)"
            } else {
                ""
            };
            let _ = write!(line, "; qualified until {}{soon}", on.add_days(-1));
        }
        let _ = writeln!(out, "{}", terminal_safe(&line));
    }
    out
}

// ---------------------------------------------------------------------------
// HTML

/// `text` escaped for HTML text and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A rendered sentence as HTML: escaped, with `code` spans (role ids,
/// commands, field names) set in `<code>`.
fn prose_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut pieces = text.split('`');
    if let Some(first) = pieces.next() {
        out.push_str(&escape_html(first));
    }
    let rest: Vec<&str> = pieces.collect();
    // An odd count of backticks leaves the last one as it is.
    let pairs = rest.len() / 2 * 2;
    for (i, piece) in rest.iter().enumerate() {
        if i >= pairs {
            out.push('`');
            out.push_str(&escape_html(piece));
        } else if i % 2 == 0 {
            out.push_str("<code>");
            out.push_str(&escape_html(piece));
            out.push_str("</code>");
        } else {
            out.push_str(&escape_html(piece));
        }
    }
    out
}

const STYLE: &str = r#"
:root { color-scheme: light; --ink: #1a1a1a; --muted: #555; --line: #c8c8c8; --bad: #a40000; --warn: #7a4d00; --good: #135e13; }
* { box-sizing: border-box; }
body { margin: 0; font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.1rem; margin: 1.25rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; }
.who { font-size: 1.2rem; margin: 0 0 1rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.verdict { font-weight: 600; font-size: 1.1rem; margin: 1rem 0 .5rem; padding: .5rem .75rem; border-left: .35rem solid var(--good); background: #f3f8f3; }
.verdict.not_qualified, .verdict.undetermined { border-color: var(--bad); background: #fbf1f1; }
.verdict.qualified_on_claims { border-color: var(--warn); background: #fbf6ec; }
.note { color: var(--warn); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; vertical-align: top; border: 1px solid var(--line); padding: .3rem .45rem; }
th { background: #f2f2f2; }
td.no { color: var(--bad); font-weight: 600; }
td.claims { color: var(--warn); font-weight: 600; }
td.yes { color: var(--good); font-weight: 600; }
.self { color: var(--warn); }
.signature { margin-top: 2rem; display: grid; grid-template-columns: 1fr 1fr; gap: 2rem; }
.signature div { border-top: 1px solid var(--ink); padding-top: .25rem; color: var(--muted); }
footer { margin-top: 1.5rem; color: var(--muted); font-size: .85rem; }
ul.summary li { margin: .15rem 0; }
@media print {
  main { max-width: none; padding: 0; }
  article.record { break-after: page; }
  article.record:last-of-type { break-after: auto; }
  tr { break-inside: avoid; }
}
@page { margin: 16mm 14mm; }
"#;

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        escape_html(title)
    )
}

/// `eligo record --format html`: one article per record, each printed on
/// its own page.
pub fn records_html(reports: &[RecordReport<'_>], as_of: Date, rules: &RulesInfo<'_>) -> String {
    let mut body = String::new();
    for report in reports {
        record_article(&mut body, report, as_of, rules);
    }
    let title = match reports {
        [one] => format!("Qualification record: {}", person(one)),
        _ => "Qualification records".to_string(),
    };
    page(&title, &body)
}

fn record_article(out: &mut String, report: &RecordReport<'_>, as_of: Date, rules: &RulesInfo<'_>) {
    let e = escape_html;
    let _ = writeln!(out, "<article class=\"record\">");
    let _ = writeln!(out, "<header>\n<h1>Personnel qualification record</h1>");
    let _ = writeln!(
        out,
        "<p class=\"who\">{}</p>\n</header>",
        e(&person(report))
    );
    let _ = writeln!(out, "<dl class=\"facts\">");
    let _ = writeln!(
        out,
        "<dt>Position</dt><dd>{} (<code>{}</code>)</dd>",
        e(report.title),
        e(report.role)
    );
    if let (Some(code), Some(complexity)) = (report.clia_position, report.complexity) {
        let _ = writeln!(
            out,
            "<dt>CMS-209</dt><dd>{} · {} complexity</dd>",
            e(code),
            if complexity == "H" {
                "high"
            } else {
                "moderate"
            }
        );
    }
    if !report.specialties.is_empty() {
        let _ = writeln!(
            out,
            "<dt>Specialties</dt><dd>{}</dd>",
            e(&specialties_words(report))
        );
    }
    let _ = writeln!(out, "<dt>Evaluated on</dt><dd>{as_of}</dd>");
    let _ = writeln!(
        out,
        "<dt>Rule set</dt><dd><code>{}</code> ({})</dd>",
        e(rules.fingerprint),
        e(&rules_extent(rules))
    );
    let _ = writeln!(
        out,
        "<dt>Records judged</dt><dd>{}</dd>",
        if report.judged_on == "verified" {
            "verified records only"
        } else {
            "all records in the profile"
        }
    );
    let _ = writeln!(out, "</dl>");
    let _ = writeln!(
        out,
        "<p class=\"verdict {}\">{}</p>",
        report.standing,
        e(&capitalised(&verdict_line(report)))
    );
    if !report.unverified.is_empty() {
        let names: Vec<String> = report
            .unverified
            .iter()
            .map(|line| format!("{} ({})", line.description, line.record))
            .collect();
        let _ = writeln!(
            out,
            "<p class=\"note\">Rests on records not verified: {}.</p>",
            e(&names.join("; "))
        );
    }
    if !report.conditions.is_empty() {
        let _ = writeln!(
            out,
            "<h2>Evidence</h2>\n<table>\n<thead><tr><th scope=\"col\">Requirement</th><th scope=\"col\">Record</th><th scope=\"col\">Counted</th><th scope=\"col\">Verification</th></tr></thead>\n<tbody>"
        );
        let mut flat = Vec::new();
        flatten(&report.conditions, "", &mut flat);
        for (prefix, condition) in flat {
            let rows = condition.records.len().max(1);
            let judged = condition
                .evidence
                .as_of
                .map(|date| format!(" (judged as of {date})"))
                .unwrap_or_default();
            let _ = write!(
                out,
                "<tr><td rowspan=\"{rows}\">{}{}{}</td>",
                e(&prefix),
                e(&condition.evidence.need),
                e(&judged)
            );
            if condition.records.is_empty() {
                let said = match &condition.through {
                    Some(through) => format!("met as {through} (below)"),
                    None => condition.evidence.summary.clone(),
                };
                let _ = writeln!(out, "<td colspan=\"3\">{}</td></tr>", e(&said));
            }
            for (index, line) in condition.records.iter().enumerate() {
                if index > 0 {
                    let _ = write!(out, "<tr>");
                }
                let class = if line.verified.is_some() {
                    ""
                } else {
                    " class=\"self\""
                };
                let _ = writeln!(
                    out,
                    "<td>{} <small>({})</small></td><td>{}</td><td{class}>{}</td></tr>",
                    e(&line.description),
                    e(&line.record),
                    e(&counted_words(line).unwrap_or_else(|| "yes".to_string())),
                    e(&verification_words(line))
                );
            }
        }
        let _ = writeln!(out, "</tbody>\n</table>");
    }
    if !report.missing.is_empty() {
        let _ = writeln!(out, "<h2>Missing</h2>\n<ul>");
        for sentence in &report.missing {
            let _ = writeln!(out, "<li>{}</li>", prose_html(sentence));
        }
        let _ = writeln!(out, "</ul>");
    }
    if let Some(on) = report.lapses_on {
        let then = report
            .lapse
            .first()
            .map(|gap| format!("; from {on} it {}", gap.message))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<h2>Next lapse</h2>\n<p>Qualified until {} if nothing changes{}.</p>",
            on.add_days(-1),
            prose_html(&then)
        );
    }
    let _ = writeln!(
        out,
        "<div class=\"signature\"><div>Reviewed by (laboratory director)</div><div>Date</div></div>"
    );
    let _ = writeln!(
        out,
        "<footer>Generated by eligo {} from the profile <code>{}</code>. The verdict is the rule set's reading of the records listed; the laboratory keeps the documents behind them.</footer>",
        env!("CARGO_PKG_VERSION"),
        e(&report.profile)
    );
    let _ = writeln!(out, "</article>");
}

/// The conditions in table order, those of a role met by reference after
/// it, prefixed with that role.
fn flatten<'r, 'a>(
    conditions: &'r [ConditionReport<'a>],
    prefix: &str,
    out: &mut Vec<(String, &'r ConditionReport<'a>)>,
) {
    for condition in conditions {
        out.push((prefix.to_string(), condition));
        if let Some(through) = &condition.through {
            flatten(&condition.conditions, &format!("{prefix}{through}: "), out);
        }
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `eligo roster --format html`: a summary (who is not qualified, who is
/// on claims only, whose qualification lapses within 90 days), then the
/// table in that order.
pub fn roster_html(rows: &[RosterRow<'_>], as_of: Date, rules: &RulesInfo<'_>) -> String {
    let e = escape_html;
    let mut body = String::new();
    let _ = writeln!(body, "<header>\n<h1>Laboratory personnel roster</h1>");
    let _ = writeln!(
        body,
        "<p>Evaluated on {as_of} with rule set <code>{}</code> ({}); {}, {}.</p>\n</header>",
        e(rules.fingerprint),
        e(&rules_extent(rules)),
        {
            let mut people: Vec<&str> = rows.iter().map(|r| r.report.profile.as_str()).collect();
            people.sort_unstable();
            people.dedup();
            count_noun(people.len(), "person", "people")
        },
        count_noun(rows.len(), "position", "positions")
    );
    let not_qualified: Vec<&RosterRow<'_>> = rows
        .iter()
        .filter(|r| matches!(r.report.standing, "not_qualified" | "undetermined"))
        .collect();
    let on_claims: Vec<&RosterRow<'_>> = rows
        .iter()
        .filter(|r| r.report.standing == "qualified_on_claims")
        .collect();
    let lapsing: Vec<&RosterRow<'_>> = rows
        .iter()
        .filter(|r| r.report.verdict == "eligible" && lapses_soon(&r.report, as_of))
        .collect();
    let _ = writeln!(
        body,
        "<section aria-labelledby=\"attention\">\n<h2 id=\"attention\">Needs attention</h2>\n<ul class=\"summary\">"
    );
    let item = |row: &RosterRow<'_>, what: String| {
        format!(
            "<li><strong>{}</strong>, {}: {}</li>",
            e(&person(&row.report)),
            e(row.report.role),
            prose_html(&what)
        )
    };
    for row in &not_qualified {
        let why = row.report.missing.first().cloned().unwrap_or_default();
        let _ = writeln!(
            body,
            "{}",
            item(row, format!("{}; {why}", standing_words(&row.report)))
        );
    }
    for row in &on_claims {
        let _ = writeln!(
            body,
            "{}",
            item(
                row,
                format!(
                    "qualified on claims only; not verified: {}",
                    unverified_list(&row.report, ", ")
                )
            )
        );
    }
    for row in &lapsing {
        if let Some(on) = row.report.lapses_on {
            let then = row
                .report
                .lapse
                .first()
                .map(|gap| format!("; from {on}: {}", gap.message))
                .unwrap_or_default();
            let _ = writeln!(
                body,
                "{}",
                item(row, format!("qualified until {}{then}", on.add_days(-1)))
            );
        }
    }
    if not_qualified.is_empty() && on_claims.is_empty() && lapsing.is_empty() {
        let _ = writeln!(
            body,
            "<li>Everyone is qualified on verified records, and nothing lapses within {LAPSE_WARNING_DAYS} days.</li>"
        );
    }
    let _ = writeln!(body, "</ul>\n</section>");
    let _ = writeln!(
        body,
        "<section aria-labelledby=\"roster\">\n<h2 id=\"roster\">Roster (form CMS-209 columns, then eligo's)</h2>\n<table>\n<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Position</th><th scope=\"col\">Specialties</th><th scope=\"col\">M/H</th><th scope=\"col\">Qualified</th><th scope=\"col\">Subpart M</th><th scope=\"col\">Route</th><th scope=\"col\">Missing or unverified</th><th scope=\"col\">Qualified until</th></tr></thead>\n<tbody>"
    );
    for row in rows {
        let report = &row.report;
        let (class, qualified) = match report.standing {
            "qualified" => ("yes", "yes"),
            "qualified_on_claims" => ("claims", "on claims"),
            "undetermined" => ("no", "undetermined"),
            _ => ("no", "no"),
        };
        let position = match report.clia_position {
            Some(code) => format!("{code} ({})", report.role),
            None => report.role.to_string(),
        };
        let detail = if !report.missing.is_empty() {
            report.missing.join("; ")
        } else if !report.unverified.is_empty() {
            format!("not verified: {}", unverified_list(report, ", "))
        } else {
            String::new()
        };
        let until = report
            .lapses_on
            .map(|on| {
                let soon = if lapses_soon(report, as_of) {
                    " (within 90 days)"
                } else {
                    ""
                };
                format!("{}{soon}", on.add_days(-1))
            })
            .unwrap_or_default();
        let _ = writeln!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"{class}\">{qualified}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            e(&person(report)),
            e(&position),
            e(&specialties_words(report)),
            report.complexity.unwrap_or(""),
            e(&if qualified == "no" || qualified == "undetermined" {
                String::new()
            } else {
                report.cite.clone().unwrap_or_default()
            }),
            e(&report.route.clone().unwrap_or_default()),
            prose_html(&detail),
            e(&until)
        );
    }
    let _ = writeln!(body, "</tbody>\n</table>\n</section>");
    let _ = writeln!(
        body,
        "<footer>Generated by eligo {}. \"Qualified\" is the rule set's reading of each profile's records; the surveyor's column of form CMS-209 stays theirs.</footer>",
        env!("CARGO_PKG_VERSION")
    );
    page("Laboratory personnel roster", &body)
}

#[cfg(test)]
mod tests {
    use super::prose_html;

    #[test]
    fn code_spans_become_code_elements() {
        assert_eq!(
            prose_html("see `eligo explain ca-cls` & <b>"),
            "see <code>eligo explain ca-cls</code> &amp; &lt;b&gt;"
        );
        assert_eq!(prose_html("one ` left"), "one ` left");
        assert_eq!(prose_html("`a` and `b"), "<code>a</code> and `b");
    }
}
