//! The laboratory's verbs: `record` (a qualification record per person and
//! position) and `roster` (the staff in form CMS-209's columns).

use super::candidate::{resolve_roles, resolve_state};
use super::{Outcome, RulesArg, Ui, load_rule_set};
use crate::date::Date;
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::Context;
use crate::profile::Profile;
use crate::record::{Standing, personnel_record, positions_of};
use crate::render::json::RulesInfo;
use crate::render::record::{
    RecordReport, RosterRow, record_report, record_text, records_html, records_json, roster_csv,
    roster_html, roster_order, roster_text,
};
use crate::ruleset::{RoleId, RuleSet};
use crate::screen::input::{SourceKind, expand_inputs};
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RecordFormat {
    Text,
    Json,
    /// A self-contained printable page, one record per printed page.
    Html,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RosterFormat {
    /// Form CMS-209's columns, then eligo's, for a spreadsheet.
    Csv,
    /// A printable page: who needs attention, then the table.
    Html,
    /// A line per person and position.
    Text,
}

/// What `record` and `roster` share.
#[derive(clap::Args, Debug)]
pub struct PersonnelArgs {
    /// Evaluation date [default: today].
    #[arg(long = "as-of", value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    pub as_of: Option<Date>,
    /// The state where the laboratory is (USPS code); overrides the profiles'.
    #[arg(long, value_name = "XX")]
    pub state: Option<String>,
    /// How far ahead to look for the next lapse, in years.
    #[arg(long, value_name = "YEARS", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=50))]
    pub horizon: u32,
    /// Evaluate as if records without `verified` were absent.
    #[arg(long)]
    pub require_verified: bool,
    #[command(flatten)]
    pub rules: RulesArg,
}

#[derive(clap::Args, Debug)]
pub struct RecordArgs {
    /// Profile files (JSON or TOML), folders of them, or JSON Lines files.
    #[arg(required = true, value_name = "PROFILE")]
    pub profiles: Vec<PathBuf>,
    /// The positions (role ids, repeatable) [default: each profile's `positions`].
    #[arg(long = "role", value_name = "ID")]
    pub roles: Vec<String>,
    #[arg(long, value_enum, default_value_t = RecordFormat::Text)]
    pub format: RecordFormat,
    #[command(flatten)]
    pub common: PersonnelArgs,
}

#[derive(clap::Args, Debug)]
pub struct RosterArgs {
    /// Profile files (JSON or TOML), folders of them, or JSON Lines files.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// The positions (role ids, repeatable) [default: each profile's `positions`].
    #[arg(long = "position", value_name = "ID")]
    pub positions: Vec<String>,
    #[arg(long, value_enum, default_value_t = RosterFormat::Csv)]
    pub format: RosterFormat,
    #[command(flatten)]
    pub common: PersonnelArgs,
}

/// One person read: the profile, how rows name it, and its file.
pub(super) struct Person {
    pub(super) profile: Profile,
    pub(super) id: String,
    pub(super) file: String,
}

/// Everything evaluated: rows in input order, and whether any input failed.
struct Evaluated<'r> {
    rows: Vec<(usize, RecordReport<'r>, Standing)>,
    people: Vec<Person>,
    failed: bool,
}

fn evaluate<'r>(
    ui: &mut Ui,
    rules: &'r RuleSet,
    inputs: &[PathBuf],
    given: &[String],
    flag: &str,
    common: &PersonnelArgs,
    as_of: Date,
) -> Result<Evaluated<'r>, Outcome> {
    let state = resolve_state(common.state.clone()).map_err(|diagnostic| {
        ui.error(*diagnostic);
        Outcome::Failed
    })?;
    let given: Vec<RoleId> = resolve_roles(rules, given).map_err(|diagnostics| {
        ui.diagnostics(&diagnostics);
        Outcome::Failed
    })?;
    let (people, mut failed) = read_people(ui, inputs, as_of)?;
    let ctx = Context::new(as_of).with_state(state);
    let until = as_of.years_after(common.horizon);
    let mut rows = Vec::new();
    for (index, person) in people.iter().enumerate() {
        let (roles, unknown) = positions_of(rules, &person.profile, &given);
        for id in &unknown {
            ui.error(
                Diagnostic::error(
                    Code::UnknownName,
                    format!("`{}`: no role named `{id}` (in `positions`)", person.file),
                )
                .maybe_help(crate::diagnostic::suggestion(
                    id,
                    rules.roles.iter().map(|r| r.id.as_str()),
                )),
            );
            failed = true;
        }
        if roles.is_empty() && unknown.is_empty() {
            ui.error(
                Diagnostic::error(
                    Code::MissingField,
                    format!("`{}` lists no `positions`", person.file),
                )
                .help(format!(
                    "add `\"positions\": [{{ \"role\": \"clia-high-testing\" }}]` to the profile, or pass `{flag} ID`"
                )),
            );
            failed = true;
        }
        for role in roles {
            let record = personnel_record(
                rules,
                role,
                &person.profile,
                &ctx,
                until,
                common.require_verified,
            );
            let standing = record.standing;
            rows.push((
                index,
                record_report(rules, &person.profile, &person.id, &record),
                standing,
            ));
        }
    }
    Ok(Evaluated {
        rows,
        people,
        failed,
    })
}

/// Reads every profile of `inputs`; located diagnostics for those that
/// cannot be read (the others go on).
pub(super) fn read_people(
    ui: &mut Ui,
    inputs: &[PathBuf],
    as_of: Date,
) -> Result<(Vec<Person>, bool), Outcome> {
    let expanded = expand_inputs(inputs).map_err(|diagnostics| {
        ui.diagnostics(&diagnostics);
        Outcome::Failed
    })?;
    ui.diagnostics(&expanded.warnings);
    let mut people = Vec::new();
    let mut failed = false;
    for source in &expanded.sources {
        let mut read: Vec<Result<Profile, Vec<Diagnostic>>> = Vec::new();
        match (&source.path, source.kind) {
            (Some(path), SourceKind::Profile) => read.push(crate::profile::load_profile(path)),
            (path, SourceKind::JsonLines) => {
                let bytes = match path {
                    Some(path) => crate::loader::read_file(path)
                        .map_err(|error| vec![crate::profile::load::refused(&source.name, &error)]),
                    None => crate::loader::read_stdin()
                        .map_err(|error| vec![crate::profile::load::refused(&source.name, &error)]),
                };
                match bytes.map(|bytes| String::from_utf8_lossy(&bytes).into_owned()) {
                    Ok(text) => {
                        for (number, line) in text.lines().enumerate() {
                            if !line.trim().is_empty() {
                                read.push(crate::profile::parse_profile_line(
                                    &source.name,
                                    number + 1,
                                    line,
                                ));
                            }
                        }
                    }
                    Err(diagnostics) => read.push(Err(diagnostics)),
                }
            }
            (None, SourceKind::Profile) => {}
        }
        for result in read {
            match result {
                Ok(profile) => {
                    if let Some(message) = crate::screen::input::born_after(&profile, as_of) {
                        ui.error(
                            Diagnostic::error(
                                Code::FutureBirthDate,
                                format!("{}: {message}", source.name),
                            )
                            .help("check the year of `birth_date`, or the `--as-of` date"),
                        );
                        failed = true;
                        continue;
                    }
                    let id = profile.id.clone().unwrap_or_else(|| source.name.clone());
                    people.push(Person {
                        profile,
                        id,
                        file: source.name.clone(),
                    });
                }
                Err(diagnostics) => {
                    ui.diagnostics(&diagnostics);
                    failed = true;
                }
            }
        }
    }
    Ok((people, failed))
}

fn exit(failed: bool, all_qualified: bool) -> Outcome {
    if failed {
        Outcome::Failed
    } else if all_qualified {
        Outcome::Yes
    } else {
        Outcome::No
    }
}

/// `eligo record`: exit 0 when every record is qualified on verified
/// records, 1 when one is not (or only on claims), 2 on bad input.
pub fn record(ui: &mut Ui, args: RecordArgs) -> Outcome {
    let rules = match load_rule_set(ui, args.common.rules.rules.clone()) {
        Ok(rules) => rules,
        Err(outcome) => return outcome,
    };
    let as_of = args.common.as_of.unwrap_or_else(Date::today);
    let evaluated = match evaluate(
        ui,
        &rules,
        &args.profiles,
        &args.roles,
        "--role",
        &args.common,
        as_of,
    ) {
        Ok(evaluated) => evaluated,
        Err(outcome) => return outcome,
    };
    let all_qualified = evaluated
        .rows
        .iter()
        .all(|(_, _, standing)| *standing == Standing::Qualified);
    let info = RulesInfo::of(&rules);
    let reports: Vec<RecordReport<'_>> = evaluated.rows.into_iter().map(|(_, r, _)| r).collect();
    match args.format {
        RecordFormat::Json => ui.out(&records_json(&rules, as_of, reports)),
        RecordFormat::Html => {
            if !reports.is_empty() {
                ui.out(&records_html(&reports, as_of, &info));
            }
        }
        RecordFormat::Text => {
            for (index, report) in reports.iter().enumerate() {
                if index > 0 {
                    ui.out("\n");
                }
                ui.out(&record_text(report, as_of, &info));
            }
        }
    }
    exit(evaluated.failed, all_qualified)
}

/// `eligo roster`: exit 0 when everyone is qualified in every position on
/// verified records, 1 when someone is not (or only on claims), 2 on bad
/// input.
pub fn roster(ui: &mut Ui, args: RosterArgs) -> Outcome {
    let rules = match load_rule_set(ui, args.common.rules.rules.clone()) {
        Ok(rules) => rules,
        Err(outcome) => return outcome,
    };
    let as_of = args.common.as_of.unwrap_or_else(Date::today);
    let evaluated = match evaluate(
        ui,
        &rules,
        &args.inputs,
        &args.positions,
        "--position",
        &args.common,
        as_of,
    ) {
        Ok(evaluated) => evaluated,
        Err(outcome) => return outcome,
    };
    let all_qualified = evaluated
        .rows
        .iter()
        .all(|(_, _, standing)| *standing == Standing::Qualified);
    let people = &evaluated.people;
    let mut rows: Vec<RosterRow<'_>> = evaluated
        .rows
        .into_iter()
        .map(|(index, report, _)| RosterRow {
            file: people[index].file.clone(),
            report,
        })
        .collect();
    roster_order(&mut rows, as_of);
    let info = RulesInfo::of(&rules);
    match args.format {
        RosterFormat::Csv => ui.out(&roster_csv(&rows, &info)),
        RosterFormat::Html => ui.out(&roster_html(&rows, as_of, &info)),
        RosterFormat::Text => ui.out(&roster_text(&rows, as_of)),
    }
    exit(evaluated.failed, all_qualified)
}
