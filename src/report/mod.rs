//! Rendering evaluation outcomes: `json` (the wire format of `check --format
//! json`, a contract) and `text` (the candidate's report). Nothing here
//! evaluates; both present the same `eval` data.

pub mod json;
pub mod text;
