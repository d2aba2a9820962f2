//! The command line: argument parsing, loading, and writing results. All
//! the work is in the library; this module only wires it to the terminal.

mod candidate;
mod diff;
mod personnel;
mod rule_author;
mod screen;

#[cfg(feature = "serve")]
pub(crate) use candidate::{resolve_roles, resolve_state};

use crate::date::Date;
use crate::diagnostic::Code;
use crate::diagnostic::{Diagnostic, render_human};
use crate::loader::{self, Loaded};
use crate::ruleset::RuleSet;
use clap::{Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit codes: the command did its job and the answer is yes / no, or it
/// could not do its job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Yes = 0,
    No = 1,
    Failed = 2,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> ExitCode {
        ExitCode::from(outcome as u8)
    }
}

/// `eligo --version`: the crate's version and the shipped rule set's
/// fingerprint (computed by build.rs from `rules/`).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "\nshipped rules: ",
    env!("ELIGO_SHIPPED_RULES_FINGERPRINT"),
    " (",
    env!("ELIGO_SHIPPED_RULES_EXTENT"),
    ")"
);

#[derive(Parser, Debug)]
#[command(
    name = "eligo",
    version = VERSION,
    about = "Check candidates against eligibility rules, and explain every unmet requirement",
    after_help = "Exit codes: 0 yes / done, 1 the answer is no (or problems found), 2 could not do the job."
)]
pub struct Cli {
    /// When to colour the output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum TextOrJson {
    Text,
    Json,
}

/// Where the rule set comes from.
#[derive(clap::Args, Debug, Clone)]
pub struct RulesArg {
    /// A rule file or a folder of `.elig` files [default: `rules/`, else $ELIGO_RULES].
    #[arg(long, value_name = "PATH")]
    pub rules: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check candidate profiles against every role (or the named ones) and explain what is missing.
    Check(candidate::CheckArgs),
    /// Screen many applicants against one or more roles: a table, CSV or JSON Lines.
    Screen(screen::ScreenArgs),
    /// The steps from a profile to a goal role, route by route, soonest first.
    Plan(candidate::PlanArgs),
    /// Qualification records: per person and position, the route met, the records behind it, what lapses next.
    Record(personnel::RecordArgs),
    /// The laboratory's roster in form CMS-209's columns: CSV, or a printable page.
    Roster(personnel::RosterArgs),
    /// Which profiles × roles change verdict between two rule sets, and why.
    Diff(diff::DiffArgs),
    /// Serve the candidate page and the JSON API over HTTP (loopback by default).
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
    /// A role's requirements in plain English, with its sources.
    Explain {
        /// The role's id (see `eligo roles`).
        id: String,
        #[command(flatten)]
        rules: RulesArg,
        #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
        /// The date that decides which dated routes are open [default: today].
        #[arg(long = "as-of", value_name = "YYYY-MM-DD", value_parser = parse_date)]
        as_of: Option<Date>,
    },
    /// List the roles of the rule set.
    Roles {
        #[command(flatten)]
        rules: RulesArg,
        #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
    },
    /// The values profiles may use (areas, settings, credentials…), with aliases.
    Vocabulary {
        /// Only this vocabulary (e.g. `setting`).
        kind: Option<String>,
        #[command(flatten)]
        rules: RulesArg,
        #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
    },
    /// Print the JSON Schema of the profile format.
    Schema,
    /// Parse and check rule files; report every problem.
    Lint {
        /// A rule file or folder [default: the rule set].
        path: Option<PathBuf>,
        #[command(flatten)]
        rules: RulesArg,
        #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
    },
    /// Rewrite rule files in the canonical layout (or, with --check, list those that differ).
    Fmt {
        /// Report files that would change, and exit 1 if any; change nothing.
        #[arg(long)]
        check: bool,
        /// A rule file or folder [default: the rule set].
        path: Option<PathBuf>,
        #[command(flatten)]
        rules: RulesArg,
    },
    /// Run the rule tests written beside the rules.
    Test {
        /// A rule file or folder [default: the rule set].
        path: Option<PathBuf>,
        #[command(flatten)]
        rules: RulesArg,
        /// Only tests whose name or file contains this text.
        #[arg(long)]
        filter: Option<String>,
        /// List the conditions no test has seen both met and unmet.
        #[arg(long)]
        coverage: bool,
    },
    /// A language server for rule files over stdin/stdout, for editors (see editors/README.md).
    #[cfg(feature = "lsp")]
    Lsp,
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) of eligo, or of one verb.
    Man {
        /// A verb, e.g. `check` [default: eligo itself].
        verb: Option<String>,
    },
}

#[cfg(feature = "serve")]
#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Address and port to listen on; anything but loopback exposes the
    /// server to the network.
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// Largest profile a request may carry (`/v1/check`, `/v1/profile`), in KiB.
    #[arg(long, value_name = "KIB", default_value_t = (crate::serve::ServeOptions::DEFAULT_CHECK_BODY_LIMIT >> 10) as u64, value_parser = clap::value_parser!(u64).range(1..=1 << 20))]
    pub max_profile_kib: u64,
    /// Largest JSON Lines body of `/v1/screen`, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = (crate::serve::ServeOptions::DEFAULT_SCREEN_BODY_LIMIT >> 20) as u64, value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub max_screen_mib: u64,
    /// Seconds a request may take before it is answered 408.
    #[arg(long, value_name = "SECONDS", default_value_t = crate::serve::ServeOptions::DEFAULT_TIMEOUT_SECONDS, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    /// Screens that may run at once; one more is answered 503.
    #[arg(long, value_name = "N", default_value_t = crate::serve::ServeOptions::DEFAULT_MAX_SCREENS as u64, value_parser = clap::value_parser!(u64).range(1..=64))]
    pub max_screens: u64,
    #[command(flatten)]
    pub rules: RulesArg,
}

/// `eligo serve`: a broken rule set refuses to start (exit 2), as does an
/// address that cannot be bound.
#[cfg(feature = "serve")]
fn serve(ui: &mut Ui, args: ServeArgs) -> Outcome {
    let rules = match load_rule_set(ui, args.rules.rules.clone()) {
        Ok(rules) => rules,
        Err(outcome) => return outcome,
    };
    let options = crate::serve::ServeOptions {
        addr: args.addr,
        check_body_limit: (args.max_profile_kib as usize) << 10,
        screen_body_limit: (args.max_screen_mib as usize) << 20,
        timeout: std::time::Duration::from_secs(args.timeout),
        max_screens: args.max_screens as usize,
    };
    match crate::serve::serve(rules, options) {
        Ok(()) => Outcome::Yes,
        Err(error) => {
            ui.error(Diagnostic::error(
                Code::Io,
                format!("cannot serve on {}: {error}", args.addr),
            ));
            Outcome::Failed
        }
    }
}

/// `eligo completions SHELL`: the script clap_complete writes from the
/// same definitions that parse the arguments.
fn completions(ui: &mut Ui, shell: clap_complete::Shell) -> Outcome {
    let mut command = <Cli as clap::CommandFactory>::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "eligo", &mut script);
    ui.out(&String::from_utf8_lossy(&script));
    Outcome::Yes
}

/// The manual page of eligo, or of one verb (`eligo-check(1)`).
pub fn man_page(verb: Option<&str>) -> Result<String, Box<Diagnostic>> {
    let mut command = <Cli as clap::CommandFactory>::command();
    command.build();
    let page = match verb {
        None => command,
        Some(verb) => {
            let names: Vec<String> = command
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            let Some(found) = command.find_subcommand(verb) else {
                return Err(Box::new(
                    Diagnostic::error(Code::Usage, format!("no verb `{verb}`")).maybe_help(
                        crate::diagnostic::suggestion(verb, names.iter().map(String::as_str)),
                    ),
                ));
            };
            let name = format!("eligo-{}", found.get_name());
            found.clone().display_name(name)
        }
    };
    // The page's header has one line: the version without the fingerprint.
    let page = page.version(env!("CARGO_PKG_VERSION"));
    let mut roff = Vec::new();
    clap_mangen::Man::new(page)
        .source(concat!("eligo ", env!("CARGO_PKG_VERSION")))
        .date("")
        .render(&mut roff)
        .map_err(|e| {
            Box::new(Diagnostic::error(
                Code::Io,
                format!("cannot render the manual: {e}"),
            ))
        })?;
    Ok(String::from_utf8_lossy(&roff).into_owned())
}

fn man(ui: &mut Ui, verb: Option<&str>) -> Outcome {
    match man_page(verb) {
        Ok(page) => {
            ui.out(&page);
            Outcome::Yes
        }
        Err(diagnostic) => {
            ui.error(*diagnostic);
            Outcome::Failed
        }
    }
}

/// Parses the arguments, runs the verb, and returns the exit code.
pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            // clap prints help and version to stdout with success, usage errors to stderr.
            let printed = error.print();
            if error.use_stderr() {
                return ExitCode::from(2);
            }
            return match printed.and_then(|()| std::io::stdout().flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(error) => {
                    let text = render_human(&[write_error_diagnostic(&error)], false);
                    let _ = std::io::stderr().write_all(text.as_bytes());
                    ExitCode::from(2)
                }
            };
        }
    };
    let mut ui = Ui::new(cli.color);
    let outcome = match cli.command {
        Command::Lint {
            path,
            rules,
            format,
        } => rule_author::lint(&mut ui, path, rules.rules, format),
        Command::Fmt { check, path, rules } => rule_author::fmt(&mut ui, path, rules.rules, check),
        Command::Roles { rules, format } => rule_author::roles(&mut ui, &rules, format),
        Command::Vocabulary {
            kind,
            rules,
            format,
        } => rule_author::vocabulary(&mut ui, kind, &rules, format),
        Command::Check(args) => candidate::check(&mut ui, args),
        Command::Screen(args) => screen::screen(&mut ui, args),
        Command::Plan(args) => candidate::plan(&mut ui, args),
        Command::Record(args) => personnel::record(&mut ui, args),
        Command::Roster(args) => personnel::roster(&mut ui, args),
        Command::Diff(args) => diff::diff(&mut ui, args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve(&mut ui, args),
        Command::Test {
            path,
            rules,
            filter,
            coverage,
        } => candidate::test(&mut ui, path, rules.rules, filter, coverage),
        Command::Schema => candidate::schema(&mut ui),
        #[cfg(feature = "lsp")]
        Command::Lsp => match crate::lsp::run() {
            Ok(()) => Outcome::Yes,
            Err(message) => {
                ui.error(Diagnostic::error(
                    Code::UnreadableInput,
                    format!("eligo lsp: {message}"),
                ));
                Outcome::Failed
            }
        },
        Command::Completions { shell } => completions(&mut ui, shell),
        Command::Man { verb } => man(&mut ui, verb.as_deref()),
        Command::Explain {
            id,
            rules,
            format,
            as_of,
        } => rule_author::explain(&mut ui, &id, &rules, format, as_of),
    };
    ui.finish(outcome).into()
}

/// Output streams and colour decisions, in one place. Every byte eligo
/// writes goes through here, so a failure to write is noticed once:
/// a closed pipe (`| head`) ends the output quietly, any other failure
/// (a full disk, a device error) makes the run exit 2 with one message.
pub struct Ui {
    stdout: std::io::BufWriter<std::io::Stdout>,
    pub color_stdout: bool,
    pub color_stderr: bool,
    /// Set once stdout cannot take more (closed by the reader, or failing):
    /// stop writing.
    pub stdout_closed: bool,
    /// The first failure to write stdout other than a closed pipe.
    write_error: Option<std::io::Error>,
}

impl Ui {
    fn new(choice: ColorChoice) -> Ui {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let decide = |is_terminal: bool| match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_terminal && !no_color,
        };
        Ui {
            color_stdout: decide(std::io::stdout().is_terminal()),
            color_stderr: decide(std::io::stderr().is_terminal()),
            stdout: std::io::BufWriter::new(std::io::stdout()),
            stdout_closed: false,
            write_error: None,
        }
    }

    /// Writes to stdout; after a failure, writes nothing more.
    pub fn out(&mut self, text: &str) {
        if self.stdout_closed {
            return;
        }
        if let Err(error) = self.stdout.write_all(text.as_bytes()) {
            self.failed_write(error);
        }
    }

    pub fn flush(&mut self) {
        if self.stdout_closed {
            return;
        }
        if let Err(error) = self.stdout.flush() {
            self.failed_write(error);
        }
    }

    fn failed_write(&mut self, error: std::io::Error) {
        self.stdout_closed = true;
        if error.kind() != std::io::ErrorKind::BrokenPipe && self.write_error.is_none() {
            self.write_error = Some(error);
        }
    }

    /// Flushes stdout and gives the verb's exit code, or 2 (with one
    /// message) if the output could not be written.
    fn finish(&mut self, outcome: Outcome) -> Outcome {
        self.flush();
        match self.write_error.take() {
            Some(error) => {
                self.error(write_error_diagnostic(&error));
                Outcome::Failed
            }
            None => outcome,
        }
    }

    /// A line of text on stderr (a summary, a note). Errors writing stderr
    /// are ignored: there is nowhere left to report them.
    pub fn note(&mut self, line: &str) {
        self.stderr(&format!("{line}\n"));
    }

    /// Text on stderr, as it is.
    pub fn stderr(&mut self, text: &str) {
        self.flush();
        let _ = std::io::stderr().write_all(text.as_bytes());
    }

    /// Renders diagnostics to stderr.
    pub fn diagnostics(&mut self, diagnostics: &[Diagnostic]) {
        self.flush();
        let text = render_human(diagnostics, self.color_stderr);
        self.stderr(&text);
    }

    pub fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics(&[diagnostic]);
    }
}

fn write_error_diagnostic(error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        Code::Io,
        format!("cannot write the output: {}", loader::io_reason(error)),
    )
    .help("check where standard output goes (a full disk, a closed device)")
}

/// The rule-set path: `--rules`, else `rules/` here, else `$ELIGO_RULES`.
pub fn rules_path(arg: Option<PathBuf>) -> Result<PathBuf, Box<Diagnostic>> {
    if let Some(path) = arg {
        return Ok(path);
    }
    let here = PathBuf::from("rules");
    if here.is_dir() {
        return Ok(here);
    }
    if let Some(path) = std::env::var_os("ELIGO_RULES").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    Err(Box::new(
        Diagnostic::error(Code::NoRules, "no rule set found")
            .help("pass `--rules PATH`, run eligo where a `rules/` folder is, or set ELIGO_RULES"),
    ))
}

/// What `lint`, `fmt` and `test` work on: the rule set to load, and the
/// part of it to report on (`None`: all of it).
pub struct Target {
    pub rule_set: PathBuf,
    pub focus: Option<PathBuf>,
}

/// The target of `lint`/`fmt`/`test` from the positional PATH and
/// `--rules`. Both given: PATH is the part of the rule set `--rules` to
/// report on, and must lie inside it (PATH never silently replaces
/// `--rules`). PATH alone: a rule file is checked with the rule set around
/// it ([`loader::rule_set_around`], found from the file, not the current
/// folder); a folder is a rule set. Neither: the default rule set.
pub fn target(path: Option<PathBuf>, rules: Option<PathBuf>) -> Result<Target, Box<Diagnostic>> {
    match (path, rules) {
        (None, rules) => Ok(Target {
            rule_set: rules_path(rules)?,
            focus: None,
        }),
        (Some(path), Some(rules)) => {
            if !loader::is_within(&path, &rules) {
                let why = if std::fs::metadata(&path).is_err() {
                    "it does not exist"
                } else {
                    "it is not inside that rule set"
                };
                return Err(Box::new(
                    Diagnostic::error(Code::Usage,
                        format!(
                            "`{}` is not part of the rule set `{}`: {why}",
                            path.display(),
                            rules.display()
                        ),
                    )
                    .help("with `--rules SET`, PATH names a file or folder of SET to report on; give one of them to work on a whole rule set"),
                ));
            }
            let whole = loader::is_within(&rules, &path);
            Ok(Target {
                rule_set: rules,
                focus: (!whole).then_some(path),
            })
        }
        (Some(path), None) => Ok(match loader::rule_set_around(&path) {
            Some(set) => Target {
                rule_set: set,
                focus: Some(path),
            },
            None => Target {
                rule_set: path,
                focus: None,
            },
        }),
    }
}

/// Loads a rule set for a verb that needs a usable one: any error is fatal (exit 2).
pub fn load_rule_set(ui: &mut Ui, arg: Option<PathBuf>) -> Result<RuleSet, Outcome> {
    let path = rules_path(arg).map_err(|d| {
        ui.error(*d);
        Outcome::Failed
    })?;
    let loaded: Loaded = loader::load_rules(&path).map_err(|diagnostics| {
        ui.diagnostics(&diagnostics);
        Outcome::Failed
    })?;
    match loaded.rules {
        Some(rules) if !loaded.has_errors() => Ok(rules),
        _ => {
            let errors: Vec<Diagnostic> = loaded
                .diagnostics
                .into_iter()
                .filter(Diagnostic::is_error)
                .collect();
            ui.diagnostics(&errors);
            ui.note(&format!(
                "error: the rule set at `{}` has {} error{}; run `eligo lint {}` for details",
                path.display(),
                errors.len(),
                if errors.len() == 1 { "" } else { "s" },
                path.display()
            ));
            Err(Outcome::Failed)
        }
    }
}

/// `--as-of` value parser.
pub fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text)
}
