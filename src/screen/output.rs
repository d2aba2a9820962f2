//! The rows of `eligo screen`: CSV, JSON Lines and an aligned table.
//!
//! Every row is one profile × one role. CSV and JSON Lines rows carry the same
//! fields: `profile`, `role`, `verdict` (`eligible`, `not_eligible`,
//! `undetermined`, or `error` for a record that could not be read), `unmet`
//! (CSV: the messages joined by ` | `, an item's own `|` escaped as `\|`;
//! JSON Lines: the wire form of each unmet condition, as in
//! `check --format json`), `file` and `line` (where the
//! record is: `line` is the JSON Lines line, empty/null for a profile file
//! read whole, except on an error row where it is the line of the problem)
//! and `message` (why the record could not be read; empty/null otherwise);
//! CSV rows then have `unmet_json`, the unmet items as a JSON array, and
//! end with `rules`, the fingerprint of the rule set that judged them, and
//! `newest_source`, the latest day one of its sources was checked (as every
//! JSON Lines row has). CSV cells that a spreadsheet would run as
//! formulas start with `'`.

use super::RowVerdict;
use crate::eval::Unmet;
use crate::render::json::{UnmetEntry, unmet_entry};
use crate::render::{Words, message, terminal_safe, write_message};
use serde::Serialize;
use std::io::Write as _;

/// `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for reading in a terminal.
    Table,
    /// A header and one row per profile × role, for a spreadsheet.
    Csv,
    /// One JSON object per profile × role.
    Jsonl,
    /// No rows: only the cohort summary.
    Summary,
}

/// The CSV header line.
pub const CSV_HEADER: &str =
    "profile,role,verdict,unmet,file,line,message,unmet_json,rules,newest_source\n";

/// The CSV header with `--project`: two more columns, the day time alone
/// makes the row eligible and the day it stops being eligible.
pub const CSV_HEADER_PROJECTED: &str = "profile,role,verdict,unmet,file,line,message,unmet_json,eligible_on,stops_on,rules,newest_source\n";

/// The separator of the items of the CSV `unmet` column. An item's own `|`
/// is written `\|` (and `\` as `\\`), so the separator never occurs inside
/// an item and splitting on it is exact.
pub const UNMET_SEPARATOR: &str = " | ";

/// One unmet item of the CSV `unmet` column, with `\` and `|` escaped.
fn escape_item(message: &str, out: &mut String) {
    if !message.contains(['\\', '|']) {
        out.push_str(message);
        return;
    }
    for c in message.chars() {
        if c == '\\' || c == '|' {
            out.push('\\');
        }
        out.push(c);
    }
}

/// A CSV cell a spreadsheet would run as a formula (it begins with `=`,
/// `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, as OWASP
/// advises against CSV injection; any other cell is written as it is.
pub fn neutralise_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// One item of the CSV `unmet_json` column, the unmet condition's data:
/// `{"kind":…,"route":…,"needed":…,"have":…,"unit":…,"message":…}`,
/// written straight into the quoted cell, each `"` doubled as CSV asks
/// (a row is written for every applicant; its JSON is all quotes).
fn unmet_cell(unmet: &Unmet<'_>, message: &str, out: &mut Vec<u8>) {
    use crate::render::json::Number;
    let mut cell = QuotesDoubled(out);
    // Serialising strings and numbers into a Vec cannot fail.
    cell.0.extend_from_slice(br#"{""kind"":"#);
    let _ = serde_json::to_writer(&mut cell, unmet.kind.as_str());
    cell.0.extend_from_slice(br#",""route"":"#);
    let _ = serde_json::to_writer(&mut cell, &unmet.route);
    cell.0.extend_from_slice(br#",""needed"":"#);
    let _ = serde_json::to_writer(&mut cell, &unmet.needed().map(Number));
    cell.0.extend_from_slice(br#",""have"":"#);
    let _ = serde_json::to_writer(&mut cell, &unmet.have().map(Number));
    cell.0.extend_from_slice(br#",""unit"":"#);
    let _ = serde_json::to_writer(&mut cell, &unmet.unit());
    cell.0.extend_from_slice(br#",""message"":"#);
    let _ = serde_json::to_writer(&mut cell, message);
    cell.0.push(b'}');
}

/// Writes into a quoted CSV cell: every `"` doubled.
struct QuotesDoubled<'a>(&'a mut Vec<u8>);

impl std::io::Write for QuotesDoubled<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut rest = bytes;
        while let Some(at) = memchr::memchr(b'"', rest) {
            self.0.extend_from_slice(&rest[..=at]);
            self.0.push(b'"');
            rest = &rest[at + 1..];
        }
        self.0.extend_from_slice(rest);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Appends one CSV field, quoted as RFC 4180 asks (and as the `csv` crate
/// wrote it before): in double quotes, each `"` doubled, when it holds a
/// comma, a quote or a line break.
fn csv_field(out: &mut Vec<u8>, field: &[u8]) {
    let needs_quotes = memchr::memchr3(b',', b'"', b'\n', field).is_some()
        || memchr::memchr(b'\r', field).is_some();
    if !needs_quotes {
        out.extend_from_slice(field);
        return;
    }
    out.push(b'"');
    // Writing to a Vec cannot fail.
    let _ = QuotesDoubled(out).write_all(field);
    out.push(b'"');
}

/// One row, borrowed from the evaluation.
#[derive(Clone, Copy)]
pub struct Row<'a> {
    pub profile: &'a str,
    pub role: &'a str,
    pub verdict: RowVerdict,
    pub unmet: &'a [Unmet<'a>],
    /// How to word the unmet conditions (about the applicant); `None` for
    /// an error row.
    pub words: Option<Words<'a>>,
    pub file: &'a str,
    pub line: Option<usize>,
    pub message: Option<&'a str>,
    /// `--project`: when time alone changes the verdict.
    pub projected: Option<super::Projected>,
    /// The fingerprint of the rule set.
    pub rules: &'a str,
    /// The rule set's newest source date ([`crate::ruleset::RuleSet::newest_source`]).
    pub newest_source: Option<crate::date::Date>,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    profile: &'a str,
    role: &'a str,
    verdict: &'static str,
    unmet: Vec<UnmetEntry<'a>>,
    file: &'a str,
    line: Option<usize>,
    message: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    eligible_on: Option<crate::date::Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stops_on: Option<crate::date::Date>,
    rules: &'a str,
    newest_source: Option<crate::date::Date>,
}

/// A row of the table, owned (tables are laid out on the caller's thread).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRow {
    pub profile: String,
    pub role: String,
    pub verdict: RowVerdict,
    /// One line each: the unmet conditions, or why the record is unreadable.
    pub details: Vec<String>,
}

/// Collects one batch's rows in the chosen format (CSV quoted as RFC 4180
/// asks, `\n`-terminated).
pub(crate) enum RowSink {
    Csv {
        /// The rows written.
        out: Vec<u8>,
        /// Scratch buffers, reused from row to row: the `unmet` cell, and
        /// the messages of the row back to back with where each ends.
        joined: String,
        messages: String,
        ends: Vec<usize>,
    },
    Jsonl(Vec<u8>),
    Table(Vec<TableRow>),
    Nothing,
}

impl RowSink {
    pub fn new(format: Format) -> RowSink {
        match format {
            Format::Csv => RowSink::Csv {
                out: Vec::with_capacity(64 * 1024),
                joined: String::new(),
                messages: String::new(),
                ends: Vec::new(),
            },
            Format::Jsonl => RowSink::Jsonl(Vec::with_capacity(64 * 1024)),
            Format::Table => RowSink::Table(Vec::new()),
            Format::Summary => RowSink::Nothing,
        }
    }

    pub fn push(&mut self, row: &Row) {
        match self {
            RowSink::Csv {
                out,
                joined,
                messages,
                ends,
            } => {
                joined.clear();
                messages.clear();
                ends.clear();
                if let Some(words) = row.words {
                    // Only what the two columns show: each message is worded
                    // once, for both (the JSON Lines entry also carries
                    // findings, alternatives and the rule's place).
                    for unmet in row.unmet {
                        write_message(words, unmet, messages);
                        ends.push(messages.len());
                    }
                    let mut start = 0;
                    for (index, &end) in ends.iter().enumerate() {
                        if index > 0 {
                            joined.push_str(UNMET_SEPARATOR);
                        }
                        escape_item(&messages[start..end], joined);
                        start = end;
                    }
                }
                csv_field(out, neutralise_cell(row.profile).as_bytes());
                out.push(b',');
                csv_field(out, neutralise_cell(row.role).as_bytes());
                out.push(b',');
                out.extend_from_slice(row.verdict.as_str().as_bytes());
                out.push(b',');
                csv_field(out, neutralise_cell(joined).as_bytes());
                out.push(b',');
                csv_field(out, neutralise_cell(row.file).as_bytes());
                out.push(b',');
                if let Some(number) = row.line {
                    // Writing to a Vec cannot fail.
                    let _ = write!(out, "{number}");
                }
                out.push(b',');
                csv_field(out, neutralise_cell(row.message.unwrap_or("")).as_bytes());
                out.push(b',');
                match row.words {
                    Some(_) if !row.unmet.is_empty() => {
                        out.extend_from_slice(b"\"[");
                        let mut start = 0;
                        for (index, (unmet, &end)) in row.unmet.iter().zip(ends.iter()).enumerate()
                        {
                            if index > 0 {
                                out.push(b',');
                            }
                            unmet_cell(unmet, &messages[start..end], out);
                            start = end;
                        }
                        out.extend_from_slice(b"]\"");
                    }
                    _ => out.extend_from_slice(b"[]"),
                }
                if let Some(projected) = row.projected {
                    for date in [projected.eligible_on, projected.stops_on] {
                        out.push(b',');
                        if let Some(date) = date {
                            let _ = write!(out, "{date}");
                        }
                    }
                }
                out.push(b',');
                csv_field(out, row.rules.as_bytes());
                out.push(b',');
                if let Some(date) = row.newest_source {
                    let _ = write!(out, "{date}");
                }
                out.push(b'\n');
            }
            RowSink::Jsonl(text) => {
                let json = JsonRow {
                    profile: row.profile,
                    role: row.role,
                    verdict: row.verdict.as_str(),
                    unmet: row
                        .words
                        .map(|words| {
                            row.unmet
                                .iter()
                                .map(|unmet| unmet_entry(words, unmet))
                                .collect()
                        })
                        .unwrap_or_default(),
                    file: row.file,
                    line: row.line,
                    message: row.message,
                    eligible_on: row.projected.and_then(|p| p.eligible_on),
                    stops_on: row.projected.and_then(|p| p.stops_on),
                    rules: row.rules,
                    newest_source: row.newest_source,
                };
                // Writing these types to a Vec cannot fail.
                if serde_json::to_writer(&mut *text, &json).is_ok() {
                    text.push(b'\n');
                }
            }
            RowSink::Table(rows) => {
                // Profile values reach the terminal: escaped, one line each.
                let details = match row.message {
                    Some(message) => vec![
                        terminal_safe(&format!(
                            "could not read {}{}: {message}",
                            row.file,
                            row.line.map(|l| format!(":{l}")).unwrap_or_default()
                        ))
                        .into_owned(),
                    ],
                    None => {
                        let mut details: Vec<String> = row
                            .words
                            .map(|words| {
                                row.unmet
                                    .iter()
                                    .map(|unmet| terminal_safe(&message(words, unmet)).into_owned())
                                    .collect()
                            })
                            .unwrap_or_default();
                        match row.projected {
                            Some(super::Projected {
                                eligible_on: Some(on),
                                ..
                            }) => details.push(format!("eligible by time alone on {on}")),
                            Some(super::Projected {
                                stops_on: Some(on), ..
                            }) => details.push(format!("eligible until {}", on.add_days(-1))),
                            _ => {}
                        }
                        details
                    }
                };
                rows.push(TableRow {
                    profile: terminal_safe(row.profile).into_owned(),
                    role: row.role.to_string(),
                    verdict: row.verdict,
                    details,
                });
            }
            RowSink::Nothing => {}
        }
    }

    /// The formatted bytes (CSV, JSON Lines) and the table rows.
    pub fn finish(self) -> (Vec<u8>, Vec<TableRow>) {
        match self {
            RowSink::Csv { out, .. } => (out, Vec::new()),
            RowSink::Jsonl(text) => (text, Vec::new()),
            RowSink::Table(rows) => (Vec::new(), rows),
            RowSink::Nothing => (Vec::new(), Vec::new()),
        }
    }
}

/// Lays out table rows in aligned columns: profile, role, verdict, and what
/// is missing, each condition on its own line(s), word-wrapped to the width
/// in at most three lines (then cut with `…`).
///
/// Column widths are fixed from the first rows written (so the table can be
/// streamed) and depend on nothing else: the profile column fits the longest
/// id of the first batch (at most 32 characters; longer ids are cut), the
/// role column the longest role id screened.
#[derive(Clone, Debug)]
pub struct TableWriter {
    width: usize,
    color: bool,
    profile_width: Option<usize>,
    role_width: usize,
}

const VERDICT_WIDTH: usize = 12;
const MAX_PROFILE_WIDTH: usize = 32;
const MIN_DETAIL_WIDTH: usize = 30;
/// A condition longer than this many lines is cut with `…`.
const MAX_LINES_PER_DETAIL: usize = 3;

impl TableWriter {
    /// `width`: the terminal's width in columns.
    pub fn new<'a>(
        roles: impl IntoIterator<Item = &'a str>,
        width: usize,
        color: bool,
    ) -> TableWriter {
        let role_width = roles
            .into_iter()
            .map(console::measure_text_width)
            .max()
            .unwrap_or(0)
            .max("ROLE".len());
        TableWriter {
            width,
            color,
            profile_width: None,
            role_width,
        }
    }

    /// Appends `rows` to `out`; the first call also writes the header.
    pub fn write(&mut self, rows: &[TableRow], out: &mut String) {
        if rows.is_empty() {
            return;
        }
        let profile_width = match self.profile_width {
            Some(width) => width,
            None => {
                let width = rows
                    .iter()
                    .map(|row| console::measure_text_width(&row.profile))
                    .max()
                    .unwrap_or(0)
                    .clamp("PROFILE".len(), MAX_PROFILE_WIDTH);
                self.profile_width = Some(width);
                let header = [
                    pad("PROFILE", width),
                    pad("ROLE", self.role_width),
                    pad("VERDICT", VERDICT_WIDTH),
                    "WHAT IS MISSING".to_string(),
                ]
                .join("  ");
                out.push_str(&self.paint(header.trim_end(), Paint::Header));
                out.push('\n');
                width
            }
        };
        let indent = profile_width + self.role_width + VERDICT_WIDTH + 6;
        let detail_width = self.width.saturating_sub(indent).max(MIN_DETAIL_WIDTH);
        for row in rows {
            let profile = console::truncate_str(&row.profile, profile_width, "…");
            let mut line = format!(
                "{}  {}  {}",
                pad(&profile, profile_width),
                pad(&row.role, self.role_width),
                self.verdict(row.verdict)
            );
            let mut lines = row
                .details
                .iter()
                .flat_map(|detail| wrap(detail, detail_width, MAX_LINES_PER_DETAIL));
            match lines.next() {
                Some(first) => {
                    line.push_str("  ");
                    line.push_str(&first);
                }
                None => line.truncate(line.trim_end().len()),
            }
            out.push_str(&line);
            out.push('\n');
            for rest in lines {
                out.push_str(&" ".repeat(indent));
                out.push_str(&rest);
                out.push('\n');
            }
        }
    }

    fn verdict(&self, verdict: RowVerdict) -> String {
        let padded = pad(verdict.words(), VERDICT_WIDTH);
        if !self.color {
            return padded;
        }
        let word = verdict.words();
        let rest = &padded[word.len()..];
        let paint = match verdict {
            RowVerdict::Eligible => Paint::Good,
            RowVerdict::NotEligible | RowVerdict::Error => Paint::Bad,
            RowVerdict::Undetermined => Paint::Unsure,
        };
        format!("{}{rest}", self.paint(word, paint))
    }

    fn paint(&self, text: &str, paint: Paint) -> String {
        if !self.color {
            return text.to_string();
        }
        let style = console::Style::new().force_styling(true);
        let style = match paint {
            Paint::Header => style.bold(),
            Paint::Good => style.green(),
            Paint::Bad => style.red(),
            Paint::Unsure => style.yellow(),
        };
        style.apply_to(text).to_string()
    }
}

#[derive(Clone, Copy)]
enum Paint {
    Header,
    Good,
    Bad,
    Unsure,
}

/// Word-wraps `text` to `width` columns in at most `max_lines` lines, the
/// continuation lines indented by two; what does not fit ends in `…`.
fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut rest = text.split(' ').filter(|w| !w.is_empty()).peekable();
    while let Some(word) = rest.next() {
        let limit = if lines.is_empty() { width } else { width - 2 };
        let needed = console::measure_text_width(&current)
            + usize::from(!current.is_empty())
            + console::measure_text_width(word);
        if !current.is_empty() && needed > limit {
            if lines.len() + 1 == max_lines {
                // The last line allowed: fill it and cut.
                let mut tail = current;
                tail.push(' ');
                tail.push_str(word);
                for word in rest.by_ref() {
                    tail.push(' ');
                    tail.push_str(word);
                }
                current = console::truncate_str(&tail, limit, "…").into_owned();
                break;
            }
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
        let limit = if lines.is_empty() { width } else { width - 2 };
        if console::measure_text_width(&current) > limit {
            current = console::truncate_str(&current, limit, "…").into_owned();
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    for line in lines.iter_mut().skip(1) {
        line.insert_str(0, "  ");
    }
    lines
}

fn pad(text: &str, width: usize) -> String {
    let shown = console::measure_text_width(text);
    let mut out = text.to_string();
    out.push_str(&" ".repeat(width.saturating_sub(shown)));
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn csv_fields_are_quoted_as_rfc_4180_asks() {
        let field = |text: &str| {
            let mut out = Vec::new();
            csv_field(&mut out, text.as_bytes());
            String::from_utf8(out).unwrap()
        };
        assert_eq!(field("plain text"), "plain text");
        assert_eq!(field(""), "");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("cr\rhere"), "\"cr\rhere\"");
        let mut cell = Vec::new();
        std::io::Write::write_all(&mut QuotesDoubled(&mut cell), b"{\"k\":\"v\"}").unwrap();
        assert_eq!(cell, b"{\"\"k\"\":\"\"v\"\"}");
    }

    use super::*;

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        let mut sink = RowSink::new(Format::Csv);
        sink.push(&Row {
            projected: None,
            rules: "0123456789abcdef",
            newest_source: None,
            profile: "o\"brien, ann",
            role: "mls",
            verdict: RowVerdict::Error,
            unmet: &[],
            words: None,
            file: "a.jsonl",
            line: Some(3),
            message: Some("bad\nline"),
        });
        let (text, _) = sink.finish();
        assert_eq!(
            String::from_utf8(text).unwrap(),
            "\"o\"\"brien, ann\",mls,error,,a.jsonl,3,\"bad\nline\",[],0123456789abcdef,\n"
        );
    }

    #[test]
    fn table_cuts_long_text_and_aligns_columns() {
        let mut writer = TableWriter::new(["mls", "phlebotomist"], 80, false);
        let rows = vec![
            TableRow {
                profile: "ana".into(),
                role: "mls".into(),
                verdict: RowVerdict::NotEligible,
                details: vec!["needs ".to_string() + &"x".repeat(100), "needs y".into()],
            },
            TableRow {
                profile: "bo".into(),
                role: "phlebotomist".into(),
                verdict: RowVerdict::Eligible,
                details: vec![],
            },
        ];
        let mut out = String::new();
        writer.write(&rows, &mut out);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "PROFILE  ROLE          VERDICT       WHAT IS MISSING"
        );
        assert_eq!(
            lines[1], "ana      mls           not eligible  needs",
            "{out}"
        );
        assert!(lines[2].starts_with(&format!("{}  xxxx", " ".repeat(37))));
        assert!(lines[2].ends_with('…') && console::measure_text_width(lines[2]) == 80);
        assert_eq!(lines[3], format!("{}needs y", " ".repeat(37)));
        assert_eq!(lines[4], "bo       phlebotomist  eligible");
    }

    #[test]
    fn long_conditions_wrap_in_three_lines_at_most() {
        let text = "needs 24 months of full-time experience in core areas in a clinical laboratory in the last 4 years; has 14.2";
        assert_eq!(
            wrap(text, 40, 3),
            [
                "needs 24 months of full-time experience",
                "  in core areas in a clinical laboratory",
                "  in the last 4 years; has 14.2",
            ]
        );
        let cut = wrap(text, 30, 2);
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…') && console::measure_text_width(&cut[1]) == 30);
        assert_eq!(wrap("short", 30, 3), ["short"]);
    }
}
