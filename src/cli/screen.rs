//! The employer's verb: `eligo screen` (many applicants against one or more
//! roles). The work is in `crate::screen`; this wires it to the terminal:
//! arguments, the CSV header, the table's width, the progress bar, the
//! summary, and the exit code.

use super::candidate::{resolve_roles, resolve_state};
use super::{Outcome, RulesArg, Ui, load_rule_set};
use crate::date::Date;
use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;
use crate::screen::output::{CSV_HEADER, CSV_HEADER_PROJECTED};
use crate::screen::summary::{self, thousands};
use crate::screen::{
    Filter, Format, RowVerdict, RunOptions, Screener, TableWriter, Tally, expand_inputs, run,
};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
#[command(after_help = "\
Rows are written in input order, one per profile × role. A record that cannot be \
read gets verdict `error` (with its file, line and message) and the run goes on.

Exit codes: 0 every row eligible; 1 some applicant not eligible or undetermined; \
2 a record could not be read, or bad arguments.

Examples:
  eligo screen applicants/ --role mls --format csv > mls.csv
  eligo screen applicants.jsonl --role mls,mlt --summary
  eligo screen applicants.jsonl --role mls --only eligible --format jsonl")]
pub struct ScreenArgs {
    /// JSON Lines files, JSON files, folders of them, or `-` for standard input.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// The role to screen for (repeatable, or comma-separated: `--role mls,mlt`).
    #[arg(long = "role", value_name = "ID", value_delimiter = ',')]
    pub roles: Vec<String>,
    /// `table` for reading, `csv` for a spreadsheet, `jsonl` for programs, `summary` for the summary alone.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write only the rows with this verdict (repeatable). Rows of records that
    /// could not be read are always written; `--only error` writes only them.
    #[arg(long, value_enum, value_name = "VERDICT")]
    pub only: Vec<OnlyVerdict>,
    /// Evaluation date [default: today].
    #[arg(long = "as-of", value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    pub as_of: Option<Date>,
    /// The state where the applicants would work (USPS code); overrides each profile's.
    #[arg(long, value_name = "XX")]
    pub state: Option<String>,
    /// After the rows, a summary per role: counts per verdict, the most frequent
    /// blocking conditions, and who is close. On stdout after a table; on stderr
    /// after CSV or JSON Lines, so that the file stays clean.
    #[arg(long)]
    pub summary: bool,
    /// Also say, per row, when time alone changes the verdict (CSV columns
    /// `eligible_on` and `stops_on`, JSON Lines fields, summary counts).
    #[arg(long)]
    pub project: bool,
    /// Evaluate as if records without `verified` were absent.
    #[arg(long)]
    pub require_verified: bool,
    /// How far ahead `--project` looks, in years.
    #[arg(long, value_name = "YEARS", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=50))]
    pub horizon: u32,
    /// Worker threads [default: one per core].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    #[command(flatten)]
    pub rules: RulesArg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OnlyVerdict {
    #[value(name = "eligible")]
    Eligible,
    #[value(name = "not_eligible", alias = "not-eligible")]
    NotEligible,
    #[value(name = "undetermined")]
    Undetermined,
    #[value(name = "error")]
    Error,
}

impl From<OnlyVerdict> for RowVerdict {
    fn from(only: OnlyVerdict) -> RowVerdict {
        match only {
            OnlyVerdict::Eligible => RowVerdict::Eligible,
            OnlyVerdict::NotEligible => RowVerdict::NotEligible,
            OnlyVerdict::Undetermined => RowVerdict::Undetermined,
            OnlyVerdict::Error => RowVerdict::Error,
        }
    }
}

/// Table width when stdout is not a terminal (unless `COLUMNS` says).
const DEFAULT_WIDTH: usize = 120;

pub fn screen(ui: &mut Ui, args: ScreenArgs) -> Outcome {
    let rules = match load_rule_set(ui, args.rules.rules.clone()) {
        Ok(rules) => rules,
        Err(outcome) => return outcome,
    };
    if args.roles.is_empty() {
        let ids: Vec<&str> = rules.roles.iter().map(|r| r.id.as_str()).collect();
        let help = if ids.is_empty() {
            "the rule set has no roles".to_string()
        } else if ids.len() <= 12 {
            format!("the rule set's roles: {}", ids.join(", "))
        } else {
            "run `eligo roles` to list the roles".to_string()
        };
        ui.error(
            Diagnostic::error(
                Code::MissingRole,
                "name the role to screen for with `--role ID`",
            )
            .help(help),
        );
        return Outcome::Failed;
    }
    let roles = match resolve_roles(&rules, &args.roles) {
        Ok(roles) => roles,
        Err(diagnostics) => {
            ui.diagnostics(&diagnostics);
            return Outcome::Failed;
        }
    };
    let state = match resolve_state(args.state) {
        Ok(state) => state,
        Err(diagnostic) => {
            ui.error(*diagnostic);
            return Outcome::Failed;
        }
    };
    let expanded = match expand_inputs(&args.inputs) {
        Ok(expanded) => expanded,
        Err(diagnostics) => {
            ui.diagnostics(&diagnostics);
            return Outcome::Failed;
        }
    };
    ui.diagnostics(&expanded.warnings);
    let sources = expanded.sources;

    let as_of = args.as_of.unwrap_or_else(Date::today);
    let format = args.format;
    let summary = args.summary || format == Format::Summary;
    let screener = Screener::new(&rules, roles, as_of, state)
        .listing_routes(summary)
        .projecting(args.project.then(|| as_of.years_after(args.horizon)))
        .requiring_verified(args.require_verified);
    let only: Vec<RowVerdict> = args.only.iter().map(|&o| o.into()).collect();
    let options = RunOptions {
        format,
        filter: if format == Format::Summary {
            Filter::none()
        } else {
            Filter::only(&only)
        },
        summary,
        jobs: args.jobs.map(usize::from).unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        }),
        // About the same number of rows per batch whatever the number of
        // roles, so that memory stays flat with many roles too.
        batch_records: (RunOptions::DEFAULT_BATCH_RECORDS * 4 / screener.roles.len().max(1))
            .clamp(32, RunOptions::DEFAULT_BATCH_RECORDS),
    };

    let stdout_terminal = std::io::stdout().is_terminal();
    let mut table = TableWriter::new(
        screener.roles.iter().map(|&role| screener.role_id(role)),
        table_width(stdout_terminal),
        ui.color_stdout,
    );
    if format == Format::Csv {
        ui.out(if screener.projects() {
            CSV_HEADER_PROJECTED
        } else {
            CSV_HEADER
        });
    }
    // A bar when someone watches stderr and the rows are not streaming to
    // the same terminal.
    let total_bytes = sources.iter().map(|s| s.len).sum::<Option<u64>>();
    let mut progress = Progress::new(
        std::io::stderr().is_terminal() && (!stdout_terminal || format == Format::Summary),
        total_bytes,
    );
    let mut tally = Tally::new(screener.roles.len());
    let mut text = String::new();
    let mut rows_written = false;
    let mut ids = DuplicateIds::default();
    let ran = run(&screener, &sources, &options, |output| {
        for id in output.ids.iter() {
            if let Some(warning) = ids.see(id, &sources) {
                ui.diagnostics(&[warning]);
            }
        }
        if format == Format::Table {
            text.clear();
            table.write(&output.table, &mut text);
            rows_written |= !output.table.is_empty();
            ui.out(&text);
        } else {
            ui.out(&output.text);
        }
        ui.flush();
        progress.advance(output.bytes, output.tally.records);
        tally.merge(output.tally);
        !ui.stdout_closed
    });
    progress.finish();
    if let Err(error) = ran {
        ui.error(Diagnostic::error(
            Code::NoThreads,
            format!("cannot start the screening threads: {error}"),
        ));
        return Outcome::Failed;
    }

    if ids.duplicated > DuplicateIds::SHOWN {
        ui.note(&format!(
            "warning: {} more records repeat an earlier profile id",
            thousands(ids.duplicated - DuplicateIds::SHOWN)
        ));
    }
    if options.summary && !ui.stdout_closed {
        // The summary names applicants: their ids are escaped line by line.
        let mut text = escape_lines(&summary::render(&tally, &screener));
        if ids.duplicated > 0 {
            text.push_str(&format!(
                "\n{} record{} repeat{} an earlier profile id (first: `{}`); their rows share the id\n",
                thousands(ids.duplicated),
                if ids.duplicated == 1 { "" } else { "s" },
                if ids.duplicated == 1 { "s" } else { "" },
                crate::render::terminal_safe(&ids.first.clone().unwrap_or_default())
            ));
        }
        match format {
            Format::Table | Format::Summary => {
                if rows_written {
                    ui.out("\n");
                }
                ui.out(&text);
            }
            Format::Csv | Format::Jsonl => {
                ui.stderr(&format!("\n{text}"));
            }
        }
    }
    ui.flush();
    if tally.records == 0 {
        // Screening nobody is not a success a script should take for one.
        ui.error(
            Diagnostic::error(Code::NoProfiles, "no profiles were read, so nobody was screened")
                .help("give JSON Lines files (one profile per line), profile files, folders of them, or `-`"),
        );
        return Outcome::Failed;
    }
    if let Some(first) = &tally.first_unreadable {
        let first = crate::render::terminal_safe(&first.to_string()).into_owned();
        let count = tally.unreadable;
        ui.note(&format!(
            "error: {} record{} could not be read (first: {first})",
            thousands(count),
            if count == 1 { "" } else { "s" },
        ));
        return Outcome::Failed;
    }
    if tally.all_eligible() {
        Outcome::Yes
    } else {
        Outcome::No
    }
}

fn table_width(stdout_terminal: bool) -> usize {
    if stdout_terminal && let Some((_, columns)) = console::Term::stdout().size_checked() {
        return usize::from(columns);
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
        .filter(|&c: &usize| c >= 40)
        .unwrap_or(DEFAULT_WIDTH)
}

/// The progress bar: only on a terminal, and only once the run has taken a
/// second (short runs never show one).
struct Progress {
    enabled: bool,
    started: Instant,
    total_bytes: Option<u64>,
    bytes: u64,
    records: u64,
    bar: Option<ProgressBar>,
}

impl Progress {
    const DELAY: Duration = Duration::from_secs(1);

    fn new(enabled: bool, total_bytes: Option<u64>) -> Progress {
        Progress {
            enabled,
            started: Instant::now(),
            total_bytes: total_bytes.filter(|&total| total > 0),
            bytes: 0,
            records: 0,
            bar: None,
        }
    }

    fn advance(&mut self, bytes: u64, records: u64) {
        self.bytes += bytes;
        self.records += records;
        if !self.enabled {
            return;
        }
        let elapsed = self.started.elapsed();
        if self.bar.is_none() && elapsed >= Self::DELAY {
            self.bar = Some(self.start_bar());
        }
        if let Some(bar) = &self.bar {
            let rate = self.records as f64 / elapsed.as_secs_f64().max(1e-3);
            bar.set_message(format!(
                "{} profiles, {}/s",
                thousands(self.records),
                thousands(rate as u64)
            ));
            if self.total_bytes.is_some() {
                bar.set_position(self.bytes);
            }
        }
    }

    fn start_bar(&self) -> ProgressBar {
        let bar = match self.total_bytes {
            Some(total) => {
                let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
                if let Ok(style) = ProgressStyle::with_template(
                    "{spinner} {elapsed_precise} [{wide_bar}] {percent:>3}%  {msg}  ETA {eta}",
                ) {
                    bar.set_style(style.progress_chars("=> "));
                }
                bar
            }
            None => {
                let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
                if let Ok(style) =
                    ProgressStyle::with_template("{spinner} {elapsed_precise}  {msg}")
                {
                    bar.set_style(style);
                }
                bar
            }
        };
        // The clock counts from the start of the run, not of the bar.
        let bar = bar.with_elapsed(self.started.elapsed());
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// Profile ids already seen in this run, to report one given to several
/// records (two applicants with one id, or one applicant twice). Kept as
/// 128-bit hashes with the first place (source index and line), so memory
/// stays small per record.
#[derive(Default)]
struct DuplicateIds {
    /// The hashes of the ids seen: 8 bytes a profile (a million profiles
    /// take about 20 MB), so where an id was first used is not kept.
    seen: std::collections::HashSet<u64, std::hash::BuildHasherDefault<KeyIsHash>>,
    duplicated: u64,
    first: Option<String>,
}

impl DuplicateIds {
    /// Warnings printed; past that, one line counts the rest.
    const SHOWN: u64 = 10;

    /// Records a profile's id; a warning (for the first few) if it was
    /// seen before.
    fn see(
        &mut self,
        profile: crate::screen::ProfileId<'_>,
        sources: &[crate::screen::input::Source],
    ) -> Option<Diagnostic> {
        if self.seen.insert(profile.key) {
            return None;
        }
        self.duplicated += 1;
        self.first.get_or_insert_with(|| profile.id.to_string());
        if self.duplicated > Self::SHOWN {
            return None;
        }
        let file = sources.get(profile.source).map_or("", |s| s.name.as_str());
        let place = match profile.line {
            Some(line) => format!("{file}:{line}"),
            None => file.to_string(),
        };
        Some(
            Diagnostic::warning(
                Code::DuplicateId,
                format!(
                    "profile id `{}` at {place} repeats the id of an earlier record",
                    profile.id
                ),
            )
            .help("each applicant should have one id; the rows of both records carry it"),
        )
    }
}

/// The keys are already hashes (SipHash of the id): used as they are.
#[derive(Default)]
struct KeyIsHash(u64);

impl std::hash::Hasher for KeyIsHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }
    fn write_u64(&mut self, key: u64) {
        self.0 = key;
    }
}

/// `text` with each line made safe for a terminal
/// ([`crate::render::terminal_safe`]), its line breaks kept.
fn escape_lines(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            let (body, end) = match line.strip_suffix('\n') {
                Some(body) => (body, "\n"),
                None => (line, ""),
            };
            format!("{}{end}", crate::render::terminal_safe(body))
        })
        .collect()
}
