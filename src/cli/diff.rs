//! `eligo diff`: which profiles × roles change verdict between two rule sets.

use super::candidate::resolve_state;
use super::personnel::read_people;
use super::{Outcome, RulesArg, TextOrJson, Ui, load_rule_set};
use crate::date::Date;
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::Context;
use crate::render::diff::{DiffProfile, diff_json, diff_report, diff_text};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    /// Profile files (JSON or TOML), folders of them, or JSON Lines files.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// The rules before the change: a rule file or a folder of `.elig` files.
    #[arg(long, value_name = "PATH")]
    pub old: PathBuf,
    /// Only these roles (repeatable) [default: every role of either rule set].
    #[arg(long = "role", value_name = "ID")]
    pub roles: Vec<String>,
    /// Evaluation date [default: today].
    #[arg(long = "as-of", value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    pub as_of: Option<Date>,
    /// The state where the applicants would work (USPS code); overrides the profiles'.
    #[arg(long, value_name = "XX")]
    pub state: Option<String>,
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
    /// The rules after the change.
    #[command(flatten)]
    pub rules: RulesArg,
}

/// `eligo diff`: exit 0 when nothing changes, 1 when a verdict or route
/// changes or a role is added or removed, 2 on bad input.
pub fn diff(ui: &mut Ui, args: DiffArgs) -> Outcome {
    let old_rules = match load_rule_set(ui, Some(args.old.clone())) {
        Ok(rules) => rules,
        Err(outcome) => return outcome,
    };
    let new_rules = match load_rule_set(ui, args.rules.rules.clone()) {
        Ok(rules) => rules,
        Err(outcome) => return outcome,
    };
    let state = match resolve_state(args.state.clone()) {
        Ok(state) => state,
        Err(diagnostic) => {
            ui.error(*diagnostic);
            return Outcome::Failed;
        }
    };
    let pairs = match crate::diff::pair_roles(&old_rules, &new_rules, &args.roles) {
        Ok(pairs) => pairs,
        Err(unknown) => {
            for id in unknown {
                ui.error(
                    Diagnostic::error(
                        Code::UnknownName,
                        format!("no role named `{id}` in either rule set"),
                    )
                    .maybe_help(crate::diagnostic::suggestion(
                        &id,
                        new_rules
                            .roles
                            .iter()
                            .chain(&old_rules.roles)
                            .map(|r| r.id.as_str()),
                    )),
                );
            }
            return Outcome::Failed;
        }
    };
    let as_of = args.as_of.unwrap_or_else(Date::today);
    let (people, failed) = match read_people(ui, &args.inputs, as_of) {
        Ok(read) => read,
        Err(outcome) => return outcome,
    };
    let ctx = Context::new(as_of).with_state(state);
    let profiles: Vec<&crate::profile::Profile> =
        people.iter().map(|person| &person.profile).collect();
    let found = crate::diff::diff(&old_rules, &new_rules, &pairs, &profiles, &ctx);
    let named: Vec<DiffProfile<'_>> = people
        .iter()
        .map(|person| DiffProfile {
            profile: &person.profile,
            id: person.id.clone(),
            file: person.file.clone(),
        })
        .collect();
    let report = diff_report(&old_rules, &new_rules, &named, &found, as_of);
    match args.format {
        TextOrJson::Json => ui.out(&diff_json(&report)),
        TextOrJson::Text => ui.out(&diff_text(&report)),
    }
    if failed {
        Outcome::Failed
    } else if report.changes.is_empty()
        && report.roles_added.is_empty()
        && report.roles_removed.is_empty()
    {
        Outcome::Yes
    } else {
        Outcome::No
    }
}
