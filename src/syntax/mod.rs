//! Rule-file syntax: the pest grammar and its lowering to the typed AST.
//! pest's `Pairs` never leave this module.

pub mod ast;
