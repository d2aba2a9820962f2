//! The candidate's and integrator's verbs: `check` and `schema`.

use super::{Outcome, RulesArg, TextOrJson, Ui, load_rule_set};
use crate::date::Date;
use crate::diagnostic::Code;
use crate::diagnostic::{Diagnostic, suggestion};
use crate::eval::{self, Context, Verdict};
use crate::profile;
use crate::render::check_text::{Checked, Layout};
use crate::ruleset::{RoleId, RuleSet};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Profile files (JSON or TOML), or `-` for a JSON profile on standard input.
    #[arg(required = true, value_name = "PROFILE")]
    pub profiles: Vec<PathBuf>,
    /// Only these roles (repeatable); the exit code then says whether every profile is eligible.
    #[arg(long = "role", value_name = "ID")]
    pub roles: Vec<String>,
    /// The state where the candidate intends to work (USPS code); overrides the profile's.
    #[arg(long, value_name = "XX")]
    pub state: Option<String>,
    /// Evaluation date [default: today].
    #[arg(long = "as-of", value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    pub as_of: Option<Date>,
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
    /// Every role in full (every gap, the routes near to being met), not one line each.
    #[arg(long)]
    pub detail: bool,
    /// For each role met, every condition with the records that meet it.
    #[arg(long, visible_alias = "verbose")]
    pub evidence: bool,
    /// Do not project the verdicts forward in time (when a role will be met,
    /// or stop being met, if nothing but time changes).
    #[arg(long)]
    pub no_project: bool,
    /// How far ahead to project, in years.
    #[arg(long, value_name = "YEARS", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=50))]
    pub horizon: u32,
    /// Evaluate as if records without `verified` were absent.
    #[arg(long)]
    pub require_verified: bool,
    #[command(flatten)]
    pub rules: RulesArg,
}

/// Resolves `--role` ids, with a suggestion for a typo.
pub fn resolve_roles(rules: &RuleSet, ids: &[String]) -> Result<Vec<RoleId>, Vec<Diagnostic>> {
    let mut resolved = Vec::new();
    let mut errors = Vec::new();
    for id in ids {
        match rules.role_id(id) {
            Some(index) if !resolved.contains(&index) => resolved.push(index),
            Some(_) => {}
            None => {
                let help = suggestion(id, rules.roles.iter().map(|r| r.id.as_str()))
                    .unwrap_or_else(|| "run `eligo roles` to list the roles".to_string());
                errors.push(
                    Diagnostic::error(Code::UnknownName, format!("no role named `{id}`"))
                        .help(help),
                );
            }
        }
    }
    if errors.is_empty() {
        Ok(resolved)
    } else {
        Err(errors)
    }
}

/// Checks a `--state` value.
pub fn resolve_state(state: Option<String>) -> Result<Option<String>, Box<Diagnostic>> {
    let Some(state) = state else { return Ok(None) };
    if crate::check::is_state_code(&state) {
        return Ok(Some(state));
    }
    let upper = state.to_ascii_uppercase();
    let help = if crate::check::is_state_code(&upper) {
        format!("state codes are upper-case: `--state {upper}`")
    } else {
        "use a USPS code such as `CA`, `NY` or `PR`".to_string()
    };
    Err(Box::new(
        Diagnostic::error(
            Code::UnknownState,
            format!("`--state {state}`: not a US state or territory code"),
        )
        .help(help),
    ))
}

pub fn check(ui: &mut Ui, args: CheckArgs) -> Outcome {
    let rules = match load_rule_set(ui, args.rules.rules.clone()) {
        Ok(rules) => rules,
        Err(outcome) => return outcome,
    };
    let state = match resolve_state(args.state) {
        Ok(state) => state,
        Err(diagnostic) => {
            ui.error(*diagnostic);
            return Outcome::Failed;
        }
    };
    let named_roles = !args.roles.is_empty();
    let roles = if named_roles {
        match resolve_roles(&rules, &args.roles) {
            Ok(roles) => roles,
            Err(diagnostics) => {
                ui.diagnostics(&diagnostics);
                return Outcome::Failed;
            }
        }
    } else {
        rules.role_ids().collect()
    };
    let as_of = args.as_of.unwrap_or_else(Date::today);
    let ctx = Context::new(as_of).with_state(state);
    let mut profiles = Vec::new();
    let mut unreadable = false;
    for path in &args.profiles {
        if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"))
        {
            ui.error(
                Diagnostic::error(
                    Code::JsonLines,
                    format!(
                        "`{}` is a JSON Lines file: `check` reads one profile per file",
                        path.display()
                    ),
                )
                .help(format!(
                    "to screen every line of it, run `eligo screen {} --role ID`",
                    path.display()
                )),
            );
            unreadable = true;
            continue;
        }
        match read_profile(path) {
            Ok(profile) => {
                let source = (path.as_os_str() != "-")
                    .then(|| crate::loader::read_source(path).ok())
                    .flatten();
                if let Some(message) = crate::screen::input::born_after(&profile, as_of) {
                    let mut diagnostic = Diagnostic::error(Code::FutureBirthDate, message)
                        .help("check the year of `birth_date`, or the `--as-of` date");
                    let span = source.as_ref().and_then(|file| {
                        profile::value_span(file, &[profile::PathStep::Key("birth_date")])
                            .map(|span| (file, span))
                    });
                    diagnostic = match span {
                        Some((file, span)) => {
                            diagnostic.at(file, span).label("after the evaluation date")
                        }
                        None => diagnostic,
                    };
                    ui.error(diagnostic);
                    unreadable = true;
                    continue;
                }
                ui.diagnostics(&crate::vocabulary_check::profile_warnings(
                    &rules,
                    &profile,
                    path,
                    source.as_ref(),
                ));
                let id = profile
                    .id
                    .clone()
                    .unwrap_or_else(|| path.display().to_string());
                let outcome = eval::check_profile(
                    &rules,
                    &roles,
                    &id,
                    &profile,
                    &ctx,
                    (!args.no_project).then(|| as_of.years_after(args.horizon)),
                    args.require_verified,
                );
                profiles.push((profile, outcome));
            }
            Err(diagnostics) => {
                ui.diagnostics(&diagnostics);
                unreadable = true;
            }
        }
    }
    let checked: Vec<Checked<'_>> = profiles
        .iter()
        .map(|(profile, outcome)| Checked {
            profile,
            outcome,
            verified_only: args.require_verified,
        })
        .collect();
    match args.format {
        TextOrJson::Json => ui.out(&crate::render::json::check_json(&rules, as_of, &checked)),
        TextOrJson::Text => {
            let layout = Layout {
                full: named_roles || args.detail,
                evidence: args.evidence,
                color: ui.color_stdout,
            };
            ui.out(&crate::render::check_text::render(
                &rules, as_of, &checked, layout,
            ));
        }
    }
    let all_eligible = profiles.iter().all(|(_, profile)| {
        profile
            .roles
            .iter()
            .all(|role| role.verdict == Verdict::Eligible)
    });
    if unreadable {
        Outcome::Failed
    } else if named_roles && !all_eligible {
        Outcome::No
    } else {
        Outcome::Yes
    }
}

/// A profile file, or standard input for `-` (JSON, or TOML when it parses as TOML only).
#[derive(clap::Args, Debug)]
pub struct PlanArgs {
    /// A profile file (JSON or TOML), or `-` for JSON on standard input.
    #[arg(value_name = "PROFILE")]
    pub profile: PathBuf,
    /// The role to reach.
    #[arg(long, value_name = "ID")]
    pub goal: String,
    /// The state where the candidate intends to work (USPS code); overrides the profile's.
    #[arg(long, value_name = "XX")]
    pub state: Option<String>,
    /// Evaluation date [default: today].
    #[arg(long = "as-of", value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    pub as_of: Option<Date>,
    /// How far ahead time alone is followed, in years.
    #[arg(long, value_name = "YEARS", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=50))]
    pub horizon: u32,
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
    #[command(flatten)]
    pub rules: RulesArg,
}

/// `eligo plan`: exit 0 when the goal is met already, 1 when there is a
/// plan to follow, 2 on bad input.
pub fn plan(ui: &mut Ui, args: PlanArgs) -> Outcome {
    let rules = match load_rule_set(ui, args.rules.rules.clone()) {
        Ok(rules) => rules,
        Err(outcome) => return outcome,
    };
    let goal = match resolve_roles(&rules, std::slice::from_ref(&args.goal)) {
        Ok(roles) => roles[0],
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
    let profile = match read_profile(&args.profile) {
        Ok(profile) => profile,
        Err(diagnostics) => {
            ui.diagnostics(&diagnostics);
            return Outcome::Failed;
        }
    };
    let as_of = args.as_of.unwrap_or_else(Date::today);
    let ctx = Context::new(as_of).with_state(state);
    let plan = eval::plan(
        &rules,
        goal,
        &profile,
        &ctx,
        as_of.years_after(args.horizon),
    );
    let id = profile
        .id
        .clone()
        .unwrap_or_else(|| args.profile.display().to_string());
    let words = crate::render::Words::new(&rules, &profile, crate::render::Voice::Candidate);
    match args.format {
        TextOrJson::Json => ui.out(&crate::render::plan::json(words, &id, as_of, &plan)),
        TextOrJson::Text => {
            // Profile values reach the terminal: each line escaped.
            let text = crate::render::plan::text(words, &id, as_of, &plan);
            let mut safe = String::with_capacity(text.len());
            for line in text.lines() {
                safe.push_str(&crate::render::terminal_safe(line));
                safe.push('\n');
            }
            ui.out(&safe);
        }
    }
    if plan.met { Outcome::Yes } else { Outcome::No }
}

fn read_profile(path: &std::path::Path) -> Result<profile::Profile, Vec<Diagnostic>> {
    if path.as_os_str() != "-" {
        return profile::load_profile(path);
    }
    let bytes = crate::loader::read_stdin()
        .map_err(|error| vec![profile::load::refused("<stdin>", &error)])?;
    let Ok(text) = String::from_utf8(bytes) else {
        return Err(vec![
            Diagnostic::error(Code::NotUtf8, "standard input is not UTF-8 text")
                .help("a profile is a UTF-8 text file (JSON or TOML)"),
        ]);
    };
    let mut profile = profile::parse_profile(&crate::source::SourceFile::new("<stdin>", text))?;
    if profile.id.as_deref() == Some("<stdin>") {
        profile.id = Some("stdin".to_string());
    }
    Ok(profile)
}

pub fn schema(ui: &mut Ui) -> Outcome {
    let schema = profile::profile_schema();
    ui.out(&format!(
        "{}\n",
        serde_json::to_string_pretty(&schema).unwrap_or_default()
    ));
    Outcome::Yes
}

pub fn test(
    ui: &mut Ui,
    path: Option<PathBuf>,
    rules: Option<PathBuf>,
    filter: Option<String>,
    show_coverage: bool,
) -> Outcome {
    // One file of the rule set is loaded with the rest of the set, and only
    // its own tests run.
    let target = match super::target(path, rules) {
        Ok(target) => target,
        Err(diagnostic) => {
            ui.error(*diagnostic);
            return Outcome::Failed;
        }
    };
    let root = crate::loader::rule_set_folder(&target.rule_set);
    let rules = match load_rule_set(ui, Some(target.rule_set.clone())) {
        Ok(rules) => rules,
        Err(outcome) => return outcome,
    };
    let in_focus = |name: &str| {
        target
            .focus
            .as_ref()
            .is_none_or(|focus| crate::loader::is_within(std::path::Path::new(name), focus))
    };
    let mut run = crate::rule_tests::run_tests_within(&rules, filter.as_deref(), Some(&root));
    if target.focus.is_some() {
        run.results
            .retain(|result| in_focus(&rules.files[result.test.file].name));
    }
    let mut passed = 0;
    let mut failed = 0;
    let mut errors = Vec::new();
    for result in &run.results {
        let file = &rules.files[result.test.file];
        let (line, _) = file.line_col(result.test.span.start);
        let place = format!("{}:{line}", file.name);
        if result.passed() {
            passed += 1;
            ui.out(&format!("ok      {}  ({place})\n", result.test.name));
        } else {
            failed += 1;
            ui.out(&format!("FAILED  {}  ({place})\n", result.test.name));
            for failure in &result.failures {
                let text = crate::render::rule_tests::failure_text(failure);
                ui.out(&format!("    {text}\n"));
            }
            if !result.profile_errors.is_empty() {
                ui.out("    the test's profile cannot be read (see below)\n");
                errors.extend(result.profile_errors.iter().cloned());
            }
        }
    }
    if show_coverage {
        let mut uncovered = crate::rule_tests::uncovered(&rules, &run.coverage);
        if target.focus.is_some() {
            // Only the focused file's conditions: the others had no tests run.
            let names: Vec<&str> = rules
                .files
                .iter()
                .filter(|source| in_focus(&source.name))
                .map(|source| source.name.as_str())
                .collect();
            uncovered.retain(|line| {
                names
                    .iter()
                    .any(|name| line.starts_with(&format!("{name}:")))
            });
        }
        if uncovered.is_empty() {
            ui.out("\ncoverage: every condition was seen both met and unmet\n");
        } else {
            ui.out(&format!(
                "\ncoverage: {} condition{} not seen both met and unmet:\n",
                uncovered.len(),
                if uncovered.len() == 1 { "" } else { "s" }
            ));
            for line in uncovered {
                ui.out(&format!("  {line}\n"));
            }
        }
    }
    ui.out(&format!("\n{passed} passed, {failed} failed\n"));
    if !errors.is_empty() {
        ui.diagnostics(&errors);
    }
    if failed > 0 {
        Outcome::No
    } else {
        Outcome::Yes
    }
}
