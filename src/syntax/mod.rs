//! Rule-file syntax: the pest grammar and its lowering to the typed AST.
//! pest's `Pairs` never leave this module; no name resolution happens here.

pub mod ast;
mod parser;

pub use parser::{MAX_NESTING, parse, parse_recovering};
