//! eligo: a rule language for eligibility requirements and an evaluator that
//! explains every verdict.
//!
//! The pipeline runs one way, a module per phase: [`syntax`] (text → typed
//! AST), [`check`] (ASTs → a [`RuleSet`] with every name resolved;
//! [`loader`] finds, reads and runs both), [`profile`] (a candidate's
//! file), [`eval`] (rules, profile and date → an outcome as data: verdicts,
//! the conditions not met with their quantities and the records behind
//! them, the evidence behind those met), [`render`] (that outcome in words,
//! in the candidate's voice or about an applicant, as text or JSON), and
//! [`screen`] (many profiles at once). The command line only wires them
//! together, so another program can embed the engine with the few items
//! re-exported here:
//!
//! ```
//! use eligo::{Context, Date, SourceFile, Verdict, Voice, Words};
//!
//! let rules_text = r#"
//! role lab-assistant "Laboratory assistant" {
//!   source "https://example.org/lab-assistant"
//!   degree >= high_school
//!   experience >= 6 months setting "clinical laboratory" within 2 years
//! }
//! "#;
//! let loaded = eligo::check_sources(vec![SourceFile::new("rules.elig", rules_text)]);
//! let rules = loaded.rules.expect("the rules are valid");
//!
//! let profile_text = r#"{
//!   "education": [{ "degree": "associate", "completed": "2020-05-01" }],
//!   "experience": [{ "setting": "clinical laboratory", "start": "2026-08-01", "hours_per_week": 40 }]
//! }"#;
//! let profile = eligo::parse_profile(&SourceFile::new("me.json", profile_text))
//!     .expect("the profile is valid");
//!
//! let ctx = Context::new(Date::parse("2026-11-21").unwrap());
//! let role = rules.role_id("lab-assistant").unwrap();
//! let outcome = eligo::evaluate_role(&rules, role, &profile, &ctx);
//! assert_eq!(outcome.verdict, Verdict::NotEligible);
//!
//! // The gap as data: what is needed, what was found, which records count.
//! let gap = &outcome.unmet[0];
//! assert_eq!(gap.needed(), Some(6.0));
//! assert_eq!(gap.have(), Some(3.7));
//! assert_eq!(gap.findings[0].record.to_string(), "experience[0]");
//! // The evidence behind the condition met: the degree.
//! assert_eq!(outcome.evidence[0].findings[0].record.to_string(), "education[0]");
//!
//! // The same gap in words, to the candidate or about an applicant.
//! let words = Words::new(&rules, &profile, Voice::Candidate);
//! assert!(eligo::render::message(words, gap).starts_with("needs 6 months of full-time experience"));
//! ```
#![forbid(unsafe_code)]

pub mod check;
#[doc(hidden)]
pub mod cli;
pub mod date;
pub mod diagnostic;
pub mod diff;
pub mod eval;
pub mod fingerprint;
pub mod format;
pub mod loader;
#[cfg(feature = "lsp")]
pub mod lsp;
pub mod profile;
pub mod record;
pub mod render;
pub mod rule_tests;
pub mod ruleset;
pub mod screen;
#[cfg(feature = "serve")]
pub mod serve;
pub mod source;
pub mod syntax;
pub mod vocabulary_check;

pub use date::Date;
pub use diagnostic::Diagnostic;
pub use eval::{
    Context, Met, ProfileOutcome, RoleOutcome, RouteOutcome, Unmet, UnmetKind, Verdict,
    evaluate_profile, evaluate_role,
};
pub use loader::Loaded;
pub use loader::{check_sources, load_rules};
pub use profile::{Profile, load_profile, parse_profile};
/// `explain`: a role in plain English (moved into [`render`]).
pub use render::explain;
pub use render::{Voice, Words};
pub use ruleset::{RoleId, RuleSet};
pub use source::SourceFile;
