//! eligo: a rule language for eligibility requirements and an evaluator that
//! explains every unmet condition.
//!
//! The phases, each a module: [`syntax`] (text → typed AST), [`check`]
//! (ASTs → a [`ruleset::RuleSet`] with every name resolved; [`loader`] finds,
//! reads and runs both), [`profile`] (a candidate's file), [`eval`] (rules,
//! profile and date → verdicts and unmet conditions as data), [`report`] and
//! [`explain`] (text and JSON), and [`screen`] (many profiles at once). The
//! command line in [`cli`] only wires them together, so another program can
//! embed the engine:
//!
//! ```
//! use eligo::date::Date;
//! use eligo::eval::{Context, Verdict, evaluate_role};
//! use eligo::source::SourceFile;
//!
//! let rules_text = r#"
//! role lab-assistant "Laboratory assistant" {
//!   source "https://example.org/lab-assistant"
//!   degree >= high_school
//!   experience >= 6 months setting "clinical laboratory" within 2 years
//! }
//! "#;
//! let loaded = eligo::loader::check_sources(vec![SourceFile::new("rules.elig", rules_text)]);
//! let rules = loaded.rules.expect("the rules are valid");
//!
//! let profile_text = r#"{
//!   "education": [{ "degree": "associate", "completed": "2020-05-01" }],
//!   "experience": [{ "setting": "clinical laboratory", "start": "2026-08-01", "hours_per_week": 40 }]
//! }"#;
//! let profile = eligo::profile::parse_profile(&SourceFile::new("me.json", profile_text))
//!     .expect("the profile is valid");
//!
//! let ctx = Context::new(Date::parse("2026-11-21").unwrap());
//! let role = rules.role_id("lab-assistant").unwrap();
//! let outcome = evaluate_role(&rules, role, &profile, &ctx);
//! assert_eq!(outcome.verdict, Verdict::NotEligible);
//! assert_eq!(outcome.unmet[0].needed, Some(6.0));
//! assert_eq!(outcome.unmet[0].have, Some(3.7));
//! assert!(outcome.unmet[0].message.starts_with("needs 6 months of full-time experience"));
//! ```
#![forbid(unsafe_code)]

pub mod check;
pub mod cli;
pub mod date;
pub mod diagnostic;
pub mod eval;
pub mod explain;
pub mod format;
pub mod loader;
pub mod profile;
pub mod report;
pub mod rule_tests;
pub mod ruleset;
pub mod screen;
pub mod source;
pub mod syntax;
pub mod vocabulary_check;
