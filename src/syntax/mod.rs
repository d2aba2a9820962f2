//! Rule-file syntax: the pest grammar and its lowering to the typed AST.
//! pest's `Pairs` never leave this module; no name resolution happens here.
//! `lexer` is the one tokenizer every other tool uses for exact spans.

pub mod ast;
pub mod keywords;
pub mod lexer;
mod parser;

pub use parser::{MAX_NESTING, parse, parse_recovering};
