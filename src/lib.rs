//! eligo: a rule language for eligibility requirements and an evaluator that
//! explains every unmet condition.
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
pub mod source;
pub mod syntax;
pub mod vocabulary_check;
