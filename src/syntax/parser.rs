//! pest parse tree → typed AST. One `lower_*` function per grammar rule.
//! A broken grammar invariant here is a bug (`unreachable!`), never a user
//! error: user errors are collected as diagnostics and lowering goes on.

use super::ast::*;
use crate::date::Date;
use crate::diagnostic::Code;
use crate::diagnostic::{Diagnostic, suggestion};
use crate::profile::DegreeLevel;
use crate::source::{SourceFile, Span};
use pest::Parser as _;
use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::Pair;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/eligo.pest"]
struct RuleParser;

/// Deeper nesting than this is refused before parsing, so no input can
/// exhaust the stack of the recursive-descent parser or of later phases.
pub const MAX_NESTING: usize = 64;

/// Parses a whole file; on a syntax error, reports it (and the syntax errors
/// of the other top-level items, each parsed on its own).
pub fn parse(file: &SourceFile) -> Result<File, Vec<Diagnostic>> {
    let (ast, diagnostics) = parse_recovering(file);
    if diagnostics.iter().any(Diagnostic::is_error) {
        Err(diagnostics)
    } else {
        Ok(ast)
    }
}

/// Parses as much as it can: the items that parse, and every diagnostic.
/// A file with a syntax error in one role still yields the other roles, so
/// `lint` can report all problems at once.
pub fn parse_recovering(file: &SourceFile) -> (File, Vec<Diagnostic>) {
    let text: &str = &file.text;
    let comments = scan_comments(text);
    if let Some(diagnostic) = check_nesting(file) {
        return (
            File {
                items: Vec::new(),
                comments,
            },
            vec![diagnostic],
        );
    }
    let mut lowerer = Lowerer {
        file,
        offset: 0,
        diagnostics: Vec::new(),
        comment_starts: comments
            .iter()
            .map(|c| (c.span.end, c.span.start))
            .collect(),
    };
    if text.trim().is_empty() || is_only_comments(text) {
        let diagnostic = Diagnostic::error(Code::EmptyFile, "this rule file defines nothing")
            .at(file, Span::new(0, 0))
            .help("a rule file holds `role`, `let`, `vocabulary` or `test` items; delete the file if it is not needed");
        return (
            File {
                items: Vec::new(),
                comments,
            },
            vec![diagnostic],
        );
    }
    match RuleParser::parse(Rule::file, text) {
        Ok(mut pairs) => {
            let items = pairs
                .next()
                .map(|file_pair| {
                    file_pair
                        .into_inner()
                        .filter(|pair| pair.as_rule() != Rule::EOI)
                        .filter_map(|pair| lowerer.item(pair))
                        .collect()
                })
                .unwrap_or_default();
            (File { items, comments }, lowerer.diagnostics)
        }
        Err(_) => {
            // Parse each top-level chunk alone to find every broken item.
            let mut items = Vec::new();
            for (start, end) in top_level_chunks(text) {
                let chunk = &text[start..end];
                if chunk.trim().is_empty() || is_only_comments(chunk) {
                    continue;
                }
                lowerer.offset = start;
                match RuleParser::parse(Rule::single_item, chunk) {
                    Ok(mut pairs) => {
                        if let Some(item) = pairs
                            .next()
                            .and_then(|p| p.into_inner().next())
                            .and_then(|item_pair| lowerer.item(item_pair))
                        {
                            items.push(item);
                        }
                    }
                    Err(error) => lowerer
                        .diagnostics
                        .push(syntax_error(file, start, end, error)),
                }
            }
            if !lowerer.diagnostics.iter().any(Diagnostic::is_error) {
                // The chunks parse alone but not together: report the whole-file error.
                if let Err(error) = RuleParser::parse(Rule::file, text) {
                    lowerer
                        .diagnostics
                        .push(syntax_error(file, 0, text.len(), error));
                }
            }
            (File { items, comments }, lowerer.diagnostics)
        }
    }
}

/// Byte ranges of top-level items: each starts at a line whose first
/// character begins an item keyword at brace depth zero.
fn top_level_chunks(text: &str) -> Vec<(usize, usize)> {
    let mut starts = vec![0];
    let mut depth: i64 = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let starts_item = ["role ", "let ", "vocabulary ", "test "]
            .iter()
            .any(|keyword| line.starts_with(keyword));
        if offset > 0 && starts_item && depth <= 0 {
            starts.push(offset);
            depth = 0;
        }
        depth += brace_balance(line);
        offset += line.len();
    }
    let mut chunks = Vec::new();
    for (index, &start) in starts.iter().enumerate() {
        let end = starts.get(index + 1).copied().unwrap_or(text.len());
        chunks.push((start, end));
    }
    chunks
}

/// `{` minus `}` on a line, outside strings and comments.
fn brace_balance(line: &str) -> i64 {
    let mut balance = 0;
    let mut in_string = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if in_string => {
                chars.next();
            }
            '"' => in_string = !in_string,
            '/' if !in_string && chars.peek() == Some(&'/') => break,
            '{' if !in_string => balance += 1,
            '}' if !in_string => balance -= 1,
            _ => {}
        }
    }
    balance
}

fn is_only_comments(chunk: &str) -> bool {
    chunk
        .lines()
        .all(|line| line.trim().is_empty() || line.trim_start().starts_with("//"))
}

/// Lexical pass over the text: every `//` comment outside strings, and
/// the brace structure, which `check_nesting` uses.
struct Lexed {
    comments: Vec<Comment>,
    /// `(offset, depth after)` of every brace outside strings and comments.
    braces: Vec<(usize, char)>,
}

fn lex(text: &str) -> Lexed {
    let bytes = text.as_bytes();
    let mut comments = Vec::new();
    let mut braces = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' if text[i..].starts_with("\"\"\"") => {
                i += 3;
                match text[i..].find("\"\"\"") {
                    Some(end) => i += end + 3,
                    None => i = bytes.len(),
                }
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                let comment_text = text[i..end].trim_end_matches('\r');
                comments.push(Comment {
                    text: comment_text.to_string(),
                    span: Span::new(i, i + comment_text.len()),
                });
                i = end;
            }
            b'{' => {
                braces.push((i, '{'));
                i += 1;
            }
            b'}' => {
                braces.push((i, '}'));
                i += 1;
            }
            _ => i += 1,
        }
    }
    Lexed { comments, braces }
}

fn scan_comments(text: &str) -> Vec<Comment> {
    lex(text).comments
}

/// Refuses braces nested deeper than `MAX_NESTING`. The grammar makes every
/// level of recursion cost a brace, so this bounds the parser's recursion.
fn check_nesting(file: &SourceFile) -> Option<Diagnostic> {
    let lexed = lex(&file.text);
    let mut depth = 0usize;
    for (offset, brace) in lexed.braces {
        if brace == '{' {
            depth += 1;
            if depth > MAX_NESTING {
                return Some(
                    Diagnostic::error(
                        Code::Nesting,
                        format!("blocks are nested more than {MAX_NESTING} deep"),
                    )
                    .at(file, Span::new(offset, offset + 1))
                    .label(format!("this `{{` is at depth {depth}"))
                    .help("split the requirement into roles or `let` blocks and refer to them"),
                );
            }
        } else {
            depth = depth.saturating_sub(1);
        }
    }
    None
}

/// The opening braces that are never closed, innermost last.
fn unclosed_braces(text: &str) -> Vec<usize> {
    let mut open = Vec::new();
    for (offset, brace) in lex(text).braces {
        if brace == '{' {
            open.push(offset);
        } else {
            open.pop();
        }
    }
    open
}

const STATEMENT_KEYWORDS: &[&str] = &[
    "age",
    "all",
    "any",
    "as_of",
    "at least",
    "certification",
    "cite",
    "clia_position",
    "continuing_education",
    "coursework",
    "date",
    "degree",
    "description",
    "experience",
    "license",
    "not",
    "note",
    "program",
    "role",
    "route",
    "serving",
    "source",
    "state in",
    "training",
    "unless",
    "use",
    "when",
];

const ITEM_KEYWORDS: &[&str] = &["role", "let", "vocabulary", "test"];

const TEST_KEYWORDS: &[&str] = &["as_of", "state", "profile", "expect"];

/// Turns pest's error into a diagnostic that names symbols, not rule ids.
fn syntax_error(
    file: &SourceFile,
    start: usize,
    end: usize,
    error: pest::error::Error<Rule>,
) -> Diagnostic {
    let position = match error.location {
        InputLocation::Pos(pos) => pos,
        InputLocation::Span((pos, _)) => pos,
    };
    let at = start + position;
    let chunk_end = end;
    let rest = &file.text[at.min(chunk_end)..chunk_end];
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    let found_span = if !word.is_empty() {
        Span::new(at, at + word.len())
    } else {
        let len = rest.chars().next().map_or(0, char::len_utf8);
        Span::new(at, at + len)
    };
    let positives = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    // `role` starts both an item and a condition: `degree` tells a block apart.
    let expects_statement = positives
        .iter()
        .any(|rule| matches!(rule, Rule::kw_degree | Rule::degree));
    let expects_item = positives.iter().any(|rule| {
        matches!(
            rule,
            Rule::role
                | Rule::let_item
                | Rule::kw_role
                | Rule::kw_let
                | Rule::kw_vocabulary
                | Rule::single_item
                | Rule::file
        )
    });
    let expects_test_statement = positives.iter().any(|rule| {
        matches!(
            rule,
            Rule::as_of | Rule::expect | Rule::kw_as_of | Rule::kw_expect
        )
    });
    let at_end = rest.trim().is_empty();

    if at_end {
        let opened = unclosed_braces(&file.text[..chunk_end]);
        let mut diagnostic = Diagnostic::error(Code::Syntax, "unexpected end of file")
            .at(file, Span::new(chunk_end, chunk_end))
            .label(
                if opened.is_empty() || !(expects_statement || positives.is_empty()) {
                    format!("expected {}", expected_list(&positives))
                } else {
                    "expected `}`".to_string()
                },
            );
        if let Some(&brace) = opened.last() {
            diagnostic = diagnostic
                .secondary(Span::new(brace, brace + 1), "this `{` is never closed")
                .help("finish the last statement and close every open `{`");
        }
        return diagnostic;
    }
    // An item keyword where a statement was expected: the block before it
    // was never closed.
    let starts_item = ["test", "let", "vocabulary"].contains(&word.as_str())
        || (word == "role" && {
            let line = rest.lines().next().unwrap_or("");
            let mut parts = line.split_whitespace().skip(1);
            parts.next().is_some() && parts.next().is_some_and(|title| title.starts_with('"'))
        });
    if expects_statement && starts_item {
        let opened = unclosed_braces(&file.text[..at]);
        let mut diagnostic = Diagnostic::error(
            Code::Syntax,
            format!("`{word}` starts a new item, but a block is still open"),
        )
        .at(file, found_span)
        .label("a new item inside a block");
        if let Some(&brace) = opened.first() {
            diagnostic =
                diagnostic.secondary(Span::new(brace, brace + 1), "this `{` is never closed");
        }
        return diagnostic.help("close the block before this line with `}`");
    }
    if expects_statement && ["not", "when", "unless"].contains(&word.as_str()) {
        return Diagnostic::error(Code::Syntax, format!("`{word}` cannot appear here"))
            .at(file, found_span)
            .label("expected a single condition or a block")
            .help(format!(
                "`not`, `when` and `unless` take one condition or a braced block: wrap this `{word}` in `all {{ … }}`"
            ));
    }
    if !word.is_empty() && (expects_statement || expects_item || expects_test_statement) {
        let (what, a_what, keywords): (&str, &str, &[&str]) = if expects_statement {
            (
                "condition or statement",
                "a condition or statement",
                STATEMENT_KEYWORDS,
            )
        } else if expects_test_statement {
            ("test statement", "a test statement", TEST_KEYWORDS)
        } else {
            ("item", "an item", ITEM_KEYWORDS)
        };
        // Clause keywords that would also fit here (`within`, `setting`, …).
        let clauses: Vec<&str> = positives
            .iter()
            .filter(|rule| is_keyword(**rule) && !is_statement_rule(**rule))
            .map(|rule| describe(*rule).trim_matches('`'))
            .collect();
        let help = suggestion(
            &word,
            keywords.iter().copied().chain(clauses.iter().copied()),
        )
        .unwrap_or_else(|| {
            format!(
                "{a_what} starts with one of: {}",
                keywords
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
        return Diagnostic::error(Code::Syntax, format!("unknown {what} `{word}`"))
            .at(file, found_span)
            .label(format!("expected {a_what} here"))
            .help(help);
    }
    if let Some(hint) = operator_hint(rest) {
        let token_len = rest.chars().take_while(|c| "&|".contains(*c)).count();
        return Diagnostic::error(
            Code::Syntax,
            format!("`{}` is not an operator here", &rest[..token_len]),
        )
        .at(file, Span::new(at, at + token_len))
        .label("not valid here")
        .help(hint);
    }
    let found = if word.is_empty() {
        format!("`{}`", rest.chars().next().unwrap_or(' '))
    } else {
        format!("`{word}`")
    };
    Diagnostic::error(
        Code::Syntax,
        format!("expected {}, found {found}", expected_list(&positives)),
    )
    .at(file, found_span)
    .label(format!("expected {}", expected_list(&positives)))
}

fn operator_hint(rest: &str) -> Option<&'static str> {
    if rest.starts_with("&&") {
        Some(
            "conditions in a block all apply: put them on separate lines instead of joining with `&&`",
        )
    } else if rest.starts_with("||") {
        Some("write alternatives as `any { … }` with one condition per line")
    } else {
        None
    }
}

/// A rule that starts a statement: its keyword, or the statement itself.
fn is_statement_rule(rule: Rule) -> bool {
    describe(rule) == "a condition"
        || matches!(
            rule,
            Rule::kw_degree
                | Rule::kw_program
                | Rule::kw_coursework
                | Rule::kw_certification
                | Rule::kw_license
                | Rule::kw_experience
                | Rule::kw_serving
                | Rule::kw_training
                | Rule::kw_continuing_education
                | Rule::kw_age
                | Rule::kw_role
                | Rule::kw_use
                | Rule::kw_state
                | Rule::kw_date
                | Rule::kw_all
                | Rule::kw_any
                | Rule::kw_at
                | Rule::kw_not
                | Rule::kw_when
                | Rule::kw_unless
                | Rule::kw_source
                | Rule::kw_description
                | Rule::kw_note
                | Rule::kw_cite
                | Rule::kw_clia_position
                | Rule::kw_route
                | Rule::kw_as_of
        )
}

fn expected_list(positives: &[Rule]) -> String {
    let mut names: Vec<&str> = Vec::new();
    for rule in positives {
        // `role` starts both an item and a condition; in a block it is a condition.
        let name = if is_statement_rule(*rule) && !matches!(rule, Rule::role) {
            "a condition"
        } else {
            describe(*rule)
        };
        if !names.contains(&name) {
            names.push(name);
        }
    }
    match names.len() {
        0 => "something else".to_string(),
        1 => names[0].to_string(),
        n => format!("{} or {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

/// How each grammar rule reads in an error message. Exhaustive on purpose:
/// a new rule must decide how it is named.
fn describe(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI => "end of file",
        Rule::WHITESPACE | Rule::COMMENT => "white space",
        Rule::file | Rule::single_item => "an item",
        Rule::ident_char => "a letter, digit, `_` or `-`",
        Rule::word => "a name",
        Rule::name => "a name",
        Rule::reserved => "a keyword",
        Rule::role_id => "a role id",
        Rule::number => "a number",
        Rule::date => "a date (YYYY-MM-DD)",
        Rule::string | Rule::string_body => "a string",
        Rule::raw_string | Rule::raw_body => "a `\"\"\"` string",
        Rule::atom => "a name or string",
        Rule::list => "a list `[…]`",
        Rule::terms => "a name, string or list",
        Rule::comparison => "`>=`",
        Rule::kw_accredited => "`accredited`",
        Rule::kw_after => "`after`",
        Rule::kw_age => "`age`",
        Rule::kw_aka => "`aka`",
        Rule::kw_all => "`all`",
        Rule::kw_any => "`any`",
        Rule::kw_as => "`as`",
        Rule::kw_as_of => "`as_of`",
        Rule::kw_at => "`at`",
        Rule::kw_by => "`by`",
        Rule::kw_certification => "`certification`",
        Rule::kw_continuing_education => "`continuing_education`",
        Rule::kw_coursework => "`coursework`",
        Rule::kw_date => "`date`",
        Rule::kw_degree => "`degree`",
        Rule::kw_description => "`description`",
        Rule::kw_each => "`each`",
        Rule::kw_earned => "`earned`",
        Rule::kw_else => "`else`",
        Rule::kw_expect => "`expect`",
        Rule::kw_experience => "`experience`",
        Rule::kw_from => "`from`",
        Rule::kw_fulltime => "`fulltime`",
        Rule::kw_group => "`group`",
        Rule::kw_have => "`have`",
        Rule::kw_in => "`in`",
        Rule::kw_including => "`including`",
        Rule::kw_least => "`least`",
        Rule::kw_let => "`let`",
        Rule::kw_license => "`license`",
        Rule::kw_licensed => "`licensed`",
        Rule::kw_message => "`message`",
        Rule::kw_needed => "`needed`",
        Rule::kw_not => "`not`",
        Rule::kw_note => "`note`",
        Rule::kw_cite => "`cite`",
        Rule::kw_clia_position => "`clia_position`",
        Rule::kw_of => "`of`",
        Rule::kw_profile => "`profile`",
        Rule::kw_program => "`program`",
        Rule::kw_role => "`role`",
        Rule::kw_route => "`route`",
        Rule::kw_scheduled => "`scheduled`",
        Rule::kw_serving => "`serving`",
        Rule::kw_since => "`since`",
        Rule::kw_see => "`see`",
        Rule::kw_setting => "`setting`",
        Rule::kw_source => "`source`",
        Rule::kw_state => "`state`",
        Rule::kw_tagged => "`tagged`",
        Rule::kw_test => "`test`",
        Rule::kw_training => "`training`",
        Rule::kw_trust => "`trust`",
        Rule::kw_unless => "`unless`",
        Rule::kw_unmet => "`unmet`",
        Rule::kw_until => "`until`",
        Rule::kw_use => "`use`",
        Rule::kw_vocabulary => "`vocabulary`",
        Rule::kw_when => "`when`",
        Rule::kw_where => "`where`",
        Rule::kw_within => "`within`",
        Rule::kw_years => "`years`",
        Rule::item | Rule::role | Rule::let_item | Rule::vocabulary | Rule::test => {
            "`role`, `let`, `vocabulary` or `test`"
        }
        Rule::from_date => "`from`",
        Rule::until_date => "`until`",
        Rule::vocabulary_entry | Rule::vocabulary_term => "a term (a string)",
        Rule::vocabulary_group => "`group`",
        Rule::test_statement | Rule::as_of | Rule::test_state | Rule::profile | Rule::expect => {
            "a test statement (`as_of`, `state`, `profile`, `expect`)"
        }
        Rule::expect_block => "`{`",
        Rule::unmet => "`unmet`",
        Rule::expect_route => "`route`",
        Rule::met => "`met`",
        Rule::record => "a profile record such as `experience[0]`",
        Rule::kw_met => "`met`",
        Rule::unmet_route => "`route`",
        Rule::unmet_needed => "`needed`",
        Rule::unmet_have => "`have`",
        Rule::unmet_message => "`message`",
        Rule::block => "`{`",
        Rule::statement
        | Rule::source
        | Rule::description
        | Rule::note
        | Rule::cite
        | Rule::clia_position
        | Rule::route
        | Rule::condition
        | Rule::leaf_condition
        | Rule::negatable
        | Rule::guard
        | Rule::degree
        | Rule::program
        | Rule::coursework
        | Rule::certification
        | Rule::license
        | Rule::experience
        | Rule::serving
        | Rule::serving_clause
        | Rule::as_of_block
        | Rule::training
        | Rule::continuing_education
        | Rule::age
        | Rule::role_ref
        | Rule::use_ref
        | Rule::state_in
        | Rule::date_condition
        | Rule::all
        | Rule::any
        | Rule::at_least
        | Rule::not
        | Rule::when
        | Rule::unless => "a condition",
        Rule::trust => "`trust`",
        Rule::within_clause => "`within`",
        Rule::accredited_clause => "`accredited by`",
        Rule::in_clause => "`in`",
        Rule::see_clause => "`see`",
        Rule::including_clause => "`including`",
        Rule::credential_list => "a list of credentials",
        Rule::credential_name => "a credential (issuer and name, e.g. `ASCP MLT`)",
        Rule::candidate_state => "`state`",
        Rule::experience_clause => "an experience clause",
        Rule::fulltime_clause => "`fulltime`",
        Rule::each_clause => "`in each of`",
        Rule::after_clause | Rule::after_certification | Rule::after_degree => "`after`",
        Rule::earned_clause => "`earned`",
        Rule::scheduled_clause => "`scheduled`",
        Rule::setting_clause => "`setting`",
        Rule::as_clause => "`as`",
        Rule::worked_state_clause => "`state`",
        Rule::licensed_clause => "`licensed`",
        Rule::tagged_clause => "`tagged`",
        Rule::where_clause => "`where`",
        Rule::measure_minimum => "a measure (e.g. `venipunctures >= 100`)",
        Rule::else_clause => "`else`",
    }
}

/// Every clause a condition may carry, collected once for all conditions.
#[derive(Default)]
struct Clauses {
    in_terms: Option<Terms>,
    /// `in each of TERMS`.
    each_terms: Option<Terms>,
    scheduled: Option<Span>,
    accredited_by: Option<Terms>,
    within: Option<Within>,
    including: Option<Terms>,
    settings: Option<Terms>,
    jobs: Option<Terms>,
    states: Option<Terms>,
    licensed: Option<Span>,
    tags: Option<Terms>,
    fulltime: Option<Number>,
    after: Option<After>,
    minimums: Vec<MeasureMinimum>,
}

struct Lowerer<'a> {
    file: &'a SourceFile,
    /// Offset of the parsed chunk within the file.
    offset: usize,
    diagnostics: Vec<Diagnostic>,
    /// Comment end → start, to trim trailing trivia off node spans.
    comment_starts: std::collections::HashMap<usize, usize>,
}

/// The children of a pair that carry meaning (keywords dropped).
fn children(pair: Pair<'_, Rule>) -> impl Iterator<Item = Pair<'_, Rule>> {
    pair.into_inner()
        .filter(|child| !is_keyword(child.as_rule()))
}

fn is_keyword(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_accredited
            | Rule::kw_after
            | Rule::kw_age
            | Rule::kw_aka
            | Rule::kw_all
            | Rule::kw_any
            | Rule::kw_as
            | Rule::kw_as_of
            | Rule::kw_at
            | Rule::kw_by
            | Rule::kw_certification
            | Rule::kw_continuing_education
            | Rule::kw_coursework
            | Rule::kw_date
            | Rule::kw_degree
            | Rule::kw_description
            | Rule::kw_each
            | Rule::kw_earned
            | Rule::kw_else
            | Rule::kw_expect
            | Rule::kw_experience
            | Rule::kw_from
            | Rule::kw_fulltime
            | Rule::kw_group
            | Rule::kw_have
            | Rule::kw_in
            | Rule::kw_including
            | Rule::kw_least
            | Rule::kw_let
            | Rule::kw_license
            | Rule::kw_licensed
            | Rule::kw_message
            | Rule::kw_needed
            | Rule::kw_not
            | Rule::kw_note
            | Rule::kw_cite
            | Rule::kw_clia_position
            | Rule::kw_of
            | Rule::kw_profile
            | Rule::kw_program
            | Rule::kw_role
            | Rule::kw_route
            | Rule::kw_scheduled
            | Rule::kw_serving
            | Rule::kw_since
            | Rule::kw_see
            | Rule::kw_setting
            | Rule::kw_source
            | Rule::kw_state
            | Rule::kw_tagged
            | Rule::kw_test
            | Rule::kw_training
            | Rule::kw_trust
            | Rule::kw_unless
            | Rule::kw_unmet
            | Rule::kw_met
            | Rule::kw_until
            | Rule::kw_use
            | Rule::kw_vocabulary
            | Rule::kw_when
            | Rule::kw_where
            | Rule::kw_within
            | Rule::kw_years
    )
}

fn grammar_bug(pair: &Pair<'_, Rule>) -> ! {
    unreachable!("grammar invariant broken at {:?}", pair.as_rule())
}

impl Lowerer<'_> {
    /// The pair's span without the white space and comments pest lets an
    /// optional trailing clause swallow.
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let span = pair.as_span();
        let start = self.offset + span.start();
        let mut end = self.offset + span.end();
        let text = self.file.text.as_bytes();
        loop {
            while end > start && text[end - 1].is_ascii_whitespace() {
                end -= 1;
            }
            match self.comment_starts.get(&end) {
                Some(&comment_start) if comment_start >= start => end = comment_start,
                _ => break,
            }
        }
        Span::new(start, end)
    }

    fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn item(&mut self, pair: Pair<'_, Rule>) -> Option<Item> {
        match pair.as_rule() {
            Rule::role => Some(Item::Role(self.role(pair))),
            Rule::let_item => Some(Item::Let(self.let_item(pair))),
            Rule::vocabulary => Some(Item::Vocabulary(self.vocabulary(pair))),
            Rule::test => Some(Item::Test(self.test(pair))),
            _ => grammar_bug(&pair),
        }
    }

    fn ident(&self, pair: Pair<'_, Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: self.span(&pair),
        }
    }

    fn string(&mut self, pair: Pair<'_, Rule>) -> Str {
        let span = self.span(&pair);
        let body = match pair.as_rule() {
            Rule::string | Rule::raw_string => pair.into_inner().next().map_or("", |b| b.as_str()),
            _ => grammar_bug(&pair),
        };
        let mut value = String::with_capacity(body.len());
        let mut chars = body.chars();
        if span.end - span.start >= 6 && self.file.text[span.start..].starts_with("\"\"\"") {
            value.push_str(body);
        } else {
            while let Some(c) = chars.next() {
                if c != '\\' {
                    value.push(c);
                    continue;
                }
                match chars.next() {
                    Some('"') => value.push('"'),
                    Some('\\') => value.push('\\'),
                    Some('n') => value.push('\n'),
                    Some('t') => value.push('\t'),
                    other => {
                        let shown = other.map_or(String::new(), String::from);
                        self.error(
                            Diagnostic::error(
                                Code::Syntax,
                                format!("unknown escape `\\{shown}` in a string"),
                            )
                            .at(self.file, span)
                            .help("the escapes are `\\\"`, `\\\\`, `\\n` and `\\t`"),
                        );
                    }
                }
            }
        }
        Str { value, span }
    }

    fn atom(&mut self, pair: Pair<'_, Rule>) -> Atom {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::string => Atom {
                text: self.string(pair).value,
                quoted: true,
                span,
            },
            Rule::name | Rule::word | Rule::role_id => Atom {
                text: pair.as_str().to_string(),
                quoted: false,
                span,
            },
            _ => grammar_bug(&pair),
        }
    }

    fn terms(&mut self, pair: Pair<'_, Rule>) -> Terms {
        match pair.as_rule() {
            Rule::list => {
                let span = self.span(&pair);
                let items = pair.into_inner().map(|atom| self.atom(atom)).collect();
                Terms::List { items, span }
            }
            Rule::string => Terms::One(self.atom(pair)),
            Rule::name => Terms::Name(self.ident(pair)),
            _ => grammar_bug(&pair),
        }
    }

    fn number(&mut self, pair: Pair<'_, Rule>) -> Number {
        let span = self.span(&pair);
        let value = pair
            .as_str()
            .parse::<f64>()
            .unwrap_or_else(|_| grammar_bug(&pair));
        Number { value, span }
    }

    fn date(&mut self, pair: Pair<'_, Rule>) -> DateLit {
        let span = self.span(&pair);
        let date = match Date::parse(pair.as_str()) {
            Ok(date) => date,
            Err(why) => {
                self.error(
                    Diagnostic::error(Code::Date, format!("invalid date `{}`", pair.as_str()))
                        .at(self.file, span)
                        .label(why.split(": ").last().unwrap_or("not a date").to_string())
                        .help("dates are written YYYY-MM-DD and must exist in the calendar"),
                );
                Date::from_days(0)
            }
        };
        DateLit { date, span }
    }

    /// Checks the comparison operator: only `>=` states a minimum.
    fn minimum_operator(&mut self, pair: Pair<'_, Rule>, what: &str) {
        let op = pair.as_str();
        if op == ">=" {
            return;
        }
        let span = self.span(&pair);
        let help = match op {
            "=" | "==" | "=>" => {
                format!("write `>=`: {what} states a minimum, and `>= N` is met by exactly N")
            }
            ">" => {
                "write `>=`: thresholds are inclusive, so `>= N` is met by exactly N".to_string()
            }
            _ => format!("{what} can only state a minimum, with `>=`"),
        };
        self.error(
            Diagnostic::error(Code::Comparison, format!("`{op}` is not allowed here"))
                .at(self.file, span)
                .label("expected `>=`")
                .help(help),
        );
    }

    fn validity(&mut self, pairs: &mut Vec<Pair<'_, Rule>>) -> Validity {
        let mut validity = Validity::default();
        pairs.retain(|pair| match pair.as_rule() {
            Rule::from_date => {
                validity.from = pair
                    .clone()
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::date)
                    .map(|d| self.date(d));
                false
            }
            Rule::until_date => {
                validity.until = pair
                    .clone()
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::date)
                    .map(|d| self.date(d));
                false
            }
            _ => true,
        });
        validity
    }

    fn role(&mut self, pair: Pair<'_, Rule>) -> Role {
        let span = self.span(&pair);
        let mut parts: Vec<_> = children(pair).collect();
        let validity = self.validity(&mut parts);
        let mut parts = parts.into_iter();
        let (Some(id), Some(title), Some(body)) = (parts.next(), parts.next(), parts.next()) else {
            unreachable!("role has id, title and body")
        };
        Role {
            id: self.ident(id),
            title: self.string(title),
            validity,
            body: self.block(body),
            span,
        }
    }

    fn block(&mut self, pair: Pair<'_, Rule>) -> Block {
        let span = self.span(&pair);
        let statements = pair
            .into_inner()
            .map(|statement| self.statement(statement))
            .collect();
        Block { statements, span }
    }

    fn statement(&mut self, pair: Pair<'_, Rule>) -> Statement {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::source => {
                let mut reference = None;
                let mut trust = None;
                let mut title = None;
                for part in children(pair) {
                    match part.as_rule() {
                        Rule::string if reference.is_none() => reference = Some(self.string(part)),
                        Rule::string => title = Some(self.string(part)),
                        Rule::trust => trust = self.trust(part),
                        _ => grammar_bug(&part),
                    }
                }
                let Some(reference) = reference else {
                    unreachable!("source has a reference")
                };
                Statement::Source(Source {
                    reference,
                    trust,
                    title,
                    span,
                })
            }
            Rule::description => Statement::Description(self.only_string(pair)),
            Rule::note => Statement::Note(self.only_string(pair)),
            Rule::cite => Statement::Cite(self.only_string(pair)),
            Rule::clia_position => {
                let mut parts = children(pair);
                let (Some(code), Some(complexity)) = (parts.next(), parts.next()) else {
                    unreachable!("clia_position has a code and a complexity")
                };
                let code = match code.as_rule() {
                    Rule::string => self.string(code),
                    _ => Str {
                        value: code.as_str().to_string(),
                        span: self.span(&code),
                    },
                };
                Statement::CliaPosition(CliaPosition {
                    code,
                    complexity: self.ident(complexity),
                    span,
                })
            }
            Rule::route => {
                let mut parts: Vec<_> = children(pair).collect();
                let validity = self.validity(&mut parts);
                let mut parts = parts.into_iter();
                let (Some(name), Some(body)) = (parts.next(), parts.next()) else {
                    unreachable!("route has a name and a body")
                };
                Statement::Route(Route {
                    name: self.string(name),
                    validity,
                    body: self.block(body),
                    span,
                })
            }
            _ => Statement::Condition(self.condition(pair)),
        }
    }

    fn only_string(&mut self, pair: Pair<'_, Rule>) -> Str {
        match children(pair).next() {
            Some(string) => self.string(string),
            None => unreachable!("statement has a string"),
        }
    }

    fn trust(&mut self, pair: Pair<'_, Rule>) -> Option<(Trust, Span)> {
        let word = children(pair).next()?;
        let span = self.span(&word);
        match Trust::ALL
            .into_iter()
            .find(|t| t.keyword() == word.as_str())
        {
            Some(trust) => Some((trust, span)),
            None => {
                let help = suggestion(word.as_str(), Trust::ALL.map(Trust::keyword))
                    .unwrap_or_else(|| {
                        "trust is one of `official`, `secondary`, `forum`, `weak`".into()
                    });
                self.error(
                    Diagnostic::error(
                        Code::UnknownKeyword,
                        format!("unknown trust level `{}`", word.as_str()),
                    )
                    .at(self.file, span)
                    .label("not a trust level")
                    .help(help),
                );
                None
            }
        }
    }

    fn within(&mut self, pair: Pair<'_, Rule>) -> Within {
        let span = self.span(&pair);
        let years = match children(pair).next() {
            Some(number) => self.number(number),
            None => unreachable!("within has a number"),
        };
        Within { years, span }
    }

    fn clause_terms(&mut self, pair: Pair<'_, Rule>) -> Terms {
        match children(pair).next() {
            Some(terms) => self.terms(terms),
            None => unreachable!("clause has terms"),
        }
    }

    /// Stores a clause's value, reporting a second occurrence of the same clause.
    fn set_once<T>(&mut self, slot: &mut Option<T>, value: T, span: Span, clause: &str) {
        if slot.is_some() {
            self.error(
                Diagnostic::error(Code::DuplicateClause, format!("`{clause}` is given twice"))
                    .at(self.file, span)
                    .label("second occurrence")
                    .help("give each clause once; for several values use a list `[a, b]`"),
            );
        } else {
            *slot = Some(value);
        }
    }

    fn condition(&mut self, pair: Pair<'_, Rule>) -> Condition {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::degree => ConditionKind::Degree(self.degree(pair)),
            Rule::program => {
                let mut parts = children(pair);
                let Some(programs) = parts.next() else {
                    unreachable!("program has terms")
                };
                let programs = self.terms(programs);
                let clauses = self.clauses(parts);
                ConditionKind::Program(Program {
                    programs,
                    accredited_by: clauses.accredited_by,
                    within: clauses.within,
                    scheduled: clauses.scheduled,
                })
            }
            Rule::coursework => ConditionKind::Coursework(self.coursework(pair)),
            Rule::certification => {
                let mut options = Vec::new();
                let mut earned = None;
                let mut see = None;
                for part in children(pair) {
                    match part.as_rule() {
                        Rule::credential_name => options.push(self.credential(part)),
                        Rule::credential_list => {
                            for name in part.into_inner() {
                                options.push(self.credential(name));
                            }
                        }
                        Rule::earned_clause => earned = Some(self.earned(part)),
                        Rule::see_clause => see = children(part).next().map(|id| self.ident(id)),
                        _ => grammar_bug(&part),
                    }
                }
                ConditionKind::Certification(Certification {
                    options,
                    earned,
                    see,
                })
            }
            Rule::license => {
                let mut parts = children(pair);
                let Some(state_pair) = parts.next() else {
                    unreachable!("license has a state")
                };
                let state = match state_pair.as_rule() {
                    Rule::candidate_state => LicenseState::Candidate(self.span(&state_pair)),
                    _ => LicenseState::Code(self.atom(state_pair)),
                };
                let mut types = None;
                let mut see = None;
                for part in parts {
                    match part.as_rule() {
                        Rule::see_clause => see = children(part).next().map(|id| self.ident(id)),
                        _ => types = Some(self.terms(part)),
                    }
                }
                ConditionKind::License(License { state, types, see })
            }
            Rule::experience => ConditionKind::Experience(self.experience(pair)),
            Rule::serving => {
                let mut parts: Vec<_> = children(pair).collect();
                let Some(since) = parts.pop() else {
                    unreachable!("serving ends with a date")
                };
                let since = self.date(since);
                let clauses = self.clauses(parts.into_iter());
                ConditionKind::Serving(Serving {
                    areas: clauses.in_terms,
                    settings: clauses.settings,
                    jobs: clauses.jobs,
                    states: clauses.states,
                    licensed: clauses.licensed,
                    tags: clauses.tags,
                    since,
                })
            }
            Rule::as_of_block => {
                let mut parts = children(pair);
                let (Some(date), Some(body)) = (parts.next(), parts.next()) else {
                    unreachable!("as_of block has a date and a block")
                };
                ConditionKind::AsOf {
                    date: self.date(date),
                    body: self.block(body),
                }
            }
            Rule::training => ConditionKind::Training(self.training(pair)),
            Rule::continuing_education => {
                let mut parts = children(pair);
                let (Some(op), Some(hours), Some(unit)) =
                    (parts.next(), parts.next(), parts.next())
                else {
                    unreachable!("continuing_education has op, number and unit")
                };
                self.minimum_operator(op, "continuing education");
                let hours = self.number(hours);
                if unit.as_str() != "hours" {
                    let unit_span = self.span(&unit);
                    self.error(
                        Diagnostic::error(Code::Unit, format!("unknown unit `{}`", unit.as_str()))
                            .at(self.file, unit_span)
                            .label("expected `hours`")
                            .help("continuing education is counted in `hours`"),
                    );
                }
                let clauses = self.clauses(parts);
                ConditionKind::ContinuingEducation(ContinuingEducation {
                    hours,
                    topics: clauses.in_terms,
                    within: clauses.within,
                })
            }
            Rule::age => {
                let mut parts = children(pair);
                let (Some(op), Some(years)) = (parts.next(), parts.next()) else {
                    unreachable!("age has op and number")
                };
                self.minimum_operator(op, "an age limit");
                ConditionKind::Age(self.number(years))
            }
            Rule::role_ref => match children(pair).next() {
                Some(id) => ConditionKind::Role(self.ident(id)),
                None => unreachable!("role reference has an id"),
            },
            Rule::use_ref => match children(pair).next() {
                Some(name) => ConditionKind::Use(self.ident(name)),
                None => unreachable!("use has a name"),
            },
            Rule::state_in => match children(pair).next() {
                Some(terms) => ConditionKind::StateIn(self.terms(terms)),
                None => unreachable!("state in has terms"),
            },
            Rule::date_condition => {
                let mut parts = children(pair);
                let (Some(op), Some(date)) = (parts.next(), parts.next()) else {
                    unreachable!("date condition has op and date")
                };
                let on_or_after = self.date_comparison(op, "date");
                ConditionKind::Date {
                    on_or_after,
                    date: self.date(date),
                }
            }
            Rule::all => ConditionKind::All(self.only_block(pair)),
            Rule::any => ConditionKind::Any(self.only_block(pair)),
            Rule::at_least => {
                let mut parts = children(pair);
                let (Some(count), Some(body)) = (parts.next(), parts.next()) else {
                    unreachable!("at least has count and block")
                };
                ConditionKind::AtLeast {
                    count: self.number(count),
                    body: self.block(body),
                }
            }
            Rule::not => match children(pair).next() {
                Some(inner) => ConditionKind::Not(Box::new(self.condition(inner))),
                None => unreachable!("not has a condition"),
            },
            Rule::when => {
                let mut parts = children(pair);
                let (Some(guard), Some(then)) = (parts.next(), parts.next()) else {
                    unreachable!("when has guard and block")
                };
                let guard = Box::new(self.condition(guard));
                let then = self.block(then);
                let otherwise = parts.next().map(|else_clause| self.only_block(else_clause));
                ConditionKind::When {
                    guard,
                    then,
                    otherwise,
                }
            }
            Rule::unless => {
                let mut parts = children(pair);
                let (Some(guard), Some(then)) = (parts.next(), parts.next()) else {
                    unreachable!("unless has guard and block")
                };
                ConditionKind::Unless {
                    guard: Box::new(self.condition(guard)),
                    then: self.block(then),
                }
            }
            _ => grammar_bug(&pair),
        };
        Condition { kind, span }
    }

    /// `>=` (on or after: true) or `<` (before: false) in `WHAT >= DATE`;
    /// any other operator is reported and read as `>=`.
    fn date_comparison(&mut self, op: Pair<'_, Rule>, what: &str) -> bool {
        match op.as_str() {
            ">=" => true,
            "<" => false,
            other => {
                let op_span = self.span(&op);
                self.error(
                    Diagnostic::error(Code::Comparison, format!("`{other}` is not allowed here"))
                        .at(self.file, op_span)
                        .label("expected `>=` or `<`")
                        .help(format!(
                            "write `{what} >= D` (on or after D) or `{what} < D` (before D)"
                        )),
                );
                true
            }
        }
    }

    /// `earned >= DATE` or `earned < DATE`.
    fn earned(&mut self, pair: Pair<'_, Rule>) -> EarnedBound {
        let span = self.span(&pair);
        let mut parts = children(pair);
        let (Some(op), Some(date)) = (parts.next(), parts.next()) else {
            unreachable!("earned has op and date")
        };
        let on_or_after = self.date_comparison(op, "earned");
        EarnedBound {
            on_or_after,
            date: self.date(date),
            span,
        }
    }

    fn only_block(&mut self, pair: Pair<'_, Rule>) -> Block {
        match children(pair).next() {
            Some(block) => self.block(block),
            None => unreachable!("statement has a block"),
        }
    }

    fn credential(&mut self, pair: Pair<'_, Rule>) -> CredentialName {
        let span = self.span(&pair);
        let mut parts = pair.into_inner();
        let (Some(issuer), Some(name)) = (parts.next(), parts.next()) else {
            unreachable!("credential has issuer and name")
        };
        CredentialName {
            issuer: self.atom(issuer),
            name: self.atom(name),
            span,
        }
    }

    fn degree(&mut self, pair: Pair<'_, Rule>) -> Degree {
        let mut parts = children(pair);
        let (Some(op), Some(level_pair)) = (parts.next(), parts.next()) else {
            unreachable!("degree has op and level")
        };
        self.minimum_operator(op, "a degree condition");
        let level_span = self.span(&level_pair);
        let level = match DegreeLevel::from_keyword(level_pair.as_str()) {
            Some(level) => level,
            None => {
                let word = level_pair.as_str();
                let help = suggestion(word, DegreeLevel::ALL.map(DegreeLevel::keyword)).unwrap_or_else(|| {
                    "degree levels, lowest first: `high_school`, `associate`, `bachelor`, `master`, `doctorate`"
                        .into()
                });
                self.error(
                    Diagnostic::error(
                        Code::UnknownKeyword,
                        format!("unknown degree level `{word}`"),
                    )
                    .at(self.file, level_span)
                    .label("not a degree level")
                    .help(help),
                );
                DegreeLevel::HighSchool
            }
        };
        let clauses = self.clauses(parts);
        Degree {
            level,
            level_span,
            fields: clauses.in_terms,
            accredited_by: clauses.accredited_by,
            within: clauses.within,
        }
    }

    fn coursework(&mut self, pair: Pair<'_, Rule>) -> Coursework {
        let mut minimum = None;
        let mut parts = children(pair).peekable();
        if parts
            .peek()
            .is_some_and(|p| p.as_rule() == Rule::comparison)
        {
            let (Some(op), Some(amount), Some(unit)) = (parts.next(), parts.next(), parts.next())
            else {
                unreachable!("coursework minimum has op, number, unit")
            };
            self.minimum_operator(op, "coursework");
            let amount = self.number(amount);
            let unit_span = self.span(&unit);
            let unit = match unit.as_str() {
                "semester_hours" => CreditUnit::SemesterHours,
                "quarter_hours" => CreditUnit::QuarterHours,
                other => {
                    let help = suggestion(other, ["semester_hours", "quarter_hours"])
                        .unwrap_or_else(|| {
                            "coursework is counted in `semester_hours` or `quarter_hours`".into()
                        });
                    self.error(
                        Diagnostic::error(Code::Unit, format!("unknown unit `{other}`"))
                            .at(self.file, unit_span)
                            .label("expected `semester_hours` or `quarter_hours`")
                            .help(help),
                    );
                    CreditUnit::SemesterHours
                }
            };
            minimum = Some((amount, unit));
        }
        let clauses = self.clauses(parts);
        Coursework {
            minimum,
            subjects: clauses.in_terms,
            including: clauses.including,
        }
    }

    fn experience(&mut self, pair: Pair<'_, Rule>) -> Experience {
        let mut parts = children(pair);
        let (Some(op), Some(amount), Some(unit_pair)) = (parts.next(), parts.next(), parts.next())
        else {
            unreachable!("experience has op, number, unit")
        };
        self.minimum_operator(op, "experience");
        let amount = self.number(amount);
        let unit_span = self.span(&unit_pair);
        let unit = match unit_pair.as_str() {
            "months" => ExperienceUnit::Months,
            "hours" => ExperienceUnit::Hours,
            other => {
                let help = match other {
                    "years" | "year" => {
                        "write the experience in `months` (e.g. 3 years = 36 months)".to_string()
                    }
                    _ => suggestion(other, ["months", "hours"]).unwrap_or_else(|| {
                        "experience is counted in `months` (full-time equivalent) or `hours`".into()
                    }),
                };
                self.error(
                    Diagnostic::error(Code::Unit, format!("unknown unit `{other}`"))
                        .at(self.file, unit_span)
                        .label("expected `months` or `hours`")
                        .help(help),
                );
                ExperienceUnit::Months
            }
        };
        let clauses = self.clauses(parts);
        let each_area = clauses.each_terms.is_some();
        if let (Some(_), Some(each)) = (&clauses.in_terms, &clauses.each_terms) {
            self.error(
                Diagnostic::error(
                    Code::DuplicateClause,
                    "`in` and `in each of` on one condition",
                )
                .at(self.file, each.span())
                .label("second list of areas")
                .help(
                    "write one list: `in AREAS` (any of them) or `in each of AREAS` (all of them)",
                ),
            );
        }
        Experience {
            amount,
            unit,
            fulltime: clauses.fulltime,
            areas: clauses.in_terms.or(clauses.each_terms),
            each_area,
            settings: clauses.settings,
            jobs: clauses.jobs,
            states: clauses.states,
            licensed: clauses.licensed,
            tags: clauses.tags,
            within: clauses.within,
            after: clauses.after,
        }
    }

    /// `after certification …` or `after degree >= LEVEL`.
    fn after(&mut self, clause: Pair<'_, Rule>) -> After {
        let Some(what) = children(clause).next() else {
            unreachable!("after has a credential or a degree")
        };
        match what.as_rule() {
            Rule::after_degree => {
                let mut parts = children(what);
                let (Some(op), Some(level)) = (parts.next(), parts.next()) else {
                    unreachable!("after degree has op and level")
                };
                self.minimum_operator(op, "`after degree`");
                let span = self.span(&level);
                let level = match DegreeLevel::from_keyword(level.as_str()) {
                    Some(level) => level,
                    None => {
                        let word = level.as_str();
                        self.error(
                            Diagnostic::error(
                                Code::UnknownKeyword,
                                format!("unknown degree level `{word}`"),
                            )
                            .at(self.file, span)
                            .label("not a degree level")
                            .maybe_help(suggestion(
                                word,
                                DegreeLevel::ALL.map(DegreeLevel::keyword),
                            )),
                        );
                        DegreeLevel::HighSchool
                    }
                };
                After::Degree { level, span }
            }
            _ => {
                let mut options = Vec::new();
                for part in children(what) {
                    match part.as_rule() {
                        Rule::credential_name => options.push(self.credential(part)),
                        Rule::credential_list => {
                            for name in part.into_inner() {
                                options.push(self.credential(name));
                            }
                        }
                        _ => grammar_bug(&part),
                    }
                }
                After::Certification(options)
            }
        }
    }

    fn training(&mut self, pair: Pair<'_, Rule>) -> Training {
        let mut parts = children(pair);
        let Some(programs) = parts.next() else {
            unreachable!("training has terms")
        };
        let programs = self.terms(programs);
        let clauses = self.clauses(parts);
        Training {
            programs,
            accredited_by: clauses.accredited_by,
            within: clauses.within,
            minimums: clauses.minimums,
            scheduled: clauses.scheduled,
        }
    }

    /// Collects a condition's clauses; the grammar decides which may appear
    /// on which condition, this reports any given twice.
    fn clauses<'i>(&mut self, parts: impl Iterator<Item = Pair<'i, Rule>>) -> Clauses {
        let mut clauses = Clauses::default();
        for clause in parts {
            let span = self.span(&clause);
            match clause.as_rule() {
                Rule::in_clause => {
                    let terms = self.clause_terms(clause);
                    self.set_once(&mut clauses.in_terms, terms, span, "in");
                }
                Rule::each_clause => {
                    let terms = self.clause_terms(clause);
                    self.set_once(&mut clauses.each_terms, terms, span, "in each of");
                }
                Rule::scheduled_clause => {
                    self.set_once(&mut clauses.scheduled, span, span, "scheduled")
                }
                Rule::accredited_clause => {
                    let terms = self.clause_terms(clause);
                    self.set_once(&mut clauses.accredited_by, terms, span, "accredited by");
                }
                Rule::within_clause => {
                    let within = self.within(clause);
                    self.set_once(&mut clauses.within, within, span, "within");
                }
                Rule::including_clause => {
                    let terms = self.clause_terms(clause);
                    self.set_once(&mut clauses.including, terms, span, "including");
                }
                Rule::setting_clause => {
                    let terms = self.clause_terms(clause);
                    self.set_once(&mut clauses.settings, terms, span, "setting");
                }
                Rule::as_clause => {
                    let terms = self.clause_terms(clause);
                    self.set_once(&mut clauses.jobs, terms, span, "as");
                }
                Rule::worked_state_clause => {
                    let terms = self.clause_terms(clause);
                    self.set_once(&mut clauses.states, terms, span, "state");
                }
                Rule::licensed_clause => {
                    self.set_once(&mut clauses.licensed, span, span, "licensed")
                }
                Rule::tagged_clause => {
                    let terms = self.clause_terms(clause);
                    self.set_once(&mut clauses.tags, terms, span, "tagged");
                }
                Rule::fulltime_clause => {
                    let Some(hours) = children(clause).next() else {
                        unreachable!("fulltime has hours")
                    };
                    let hours = self.number(hours);
                    self.set_once(&mut clauses.fulltime, hours, span, "fulltime");
                }
                Rule::after_clause => {
                    let after = self.after(clause);
                    self.set_once(&mut clauses.after, after, span, "after");
                }
                Rule::where_clause => self.measure_minimums(clause, &mut clauses.minimums),
                _ => grammar_bug(&clause),
            }
        }
        clauses
    }

    /// `where venipunctures >= 100, skin_punctures >= 25`
    fn measure_minimums(&mut self, clause: Pair<'_, Rule>, minimums: &mut Vec<MeasureMinimum>) {
        for minimum in children(clause) {
            let span = self.span(&minimum);
            let mut parts = minimum.into_inner();
            let (Some(measure), Some(op), Some(value)) = (parts.next(), parts.next(), parts.next())
            else {
                unreachable!("measure has name, op, number")
            };
            self.minimum_operator(op, "a training measure");
            let value = self.number(value);
            let measure_span = self.span(&measure);
            match TrainingMeasure::from_keyword(measure.as_str()) {
                Some(kind) if minimums.iter().any(|m| m.measure == kind) => self.error(
                    Diagnostic::error(
                        Code::DuplicateClause,
                        format!("`{}` is given twice", kind.keyword()),
                    )
                    .at(self.file, measure_span)
                    .label("second occurrence"),
                ),
                Some(kind) => minimums.push(MeasureMinimum {
                    measure: kind,
                    minimum: value,
                    span,
                }),
                None => {
                    let help = suggestion(
                        measure.as_str(),
                        TrainingMeasure::ALL.map(TrainingMeasure::keyword),
                    )
                    .unwrap_or_else(|| {
                        format!(
                            "the measures are {}",
                            TrainingMeasure::ALL
                                .map(|m| format!("`{}`", m.keyword()))
                                .join(", ")
                        )
                    });
                    self.error(
                        Diagnostic::error(
                            Code::UnknownKeyword,
                            format!("unknown training measure `{}`", measure.as_str()),
                        )
                        .at(self.file, measure_span)
                        .label("not a training measure")
                        .help(help),
                    );
                }
            }
        }
    }

    fn let_item(&mut self, pair: Pair<'_, Rule>) -> Let {
        let span = self.span(&pair);
        let mut parts = children(pair);
        let (Some(name), Some(value)) = (parts.next(), parts.next()) else {
            unreachable!("let has name and value")
        };
        let name = self.ident(name);
        let value = match value.as_rule() {
            Rule::list => LetValue::List(self.terms(value)),
            Rule::block => LetValue::Block(self.block(value)),
            _ => grammar_bug(&value),
        };
        Let { name, value, span }
    }

    fn vocabulary(&mut self, pair: Pair<'_, Rule>) -> Vocabulary {
        let span = self.span(&pair);
        let mut parts = children(pair);
        let Some(kind) = parts.next() else {
            unreachable!("vocabulary has a kind")
        };
        let kind = self.ident(kind);
        let mut entries = Vec::new();
        for entry in parts {
            let entry_span = self.span(&entry);
            let is_group = entry.as_rule() == Rule::vocabulary_group;
            let mut strings = children(entry)
                .map(|s| self.string(s))
                .collect::<Vec<_>>()
                .into_iter();
            let Some(first) = strings.next() else {
                unreachable!("vocabulary entry has a string")
            };
            let rest: Vec<Str> = strings.collect();
            entries.push(if is_group {
                VocabularyEntry::Group {
                    name: first,
                    members: rest,
                    span: entry_span,
                }
            } else {
                VocabularyEntry::Term {
                    term: first,
                    aliases: rest,
                    span: entry_span,
                }
            });
        }
        Vocabulary {
            kind,
            entries,
            span,
        }
    }

    fn test(&mut self, pair: Pair<'_, Rule>) -> Test {
        let span = self.span(&pair);
        let mut parts = children(pair);
        let Some(name) = parts.next() else {
            unreachable!("test has a name")
        };
        let name = self.string(name);
        let mut statements = Vec::new();
        for statement in parts {
            let statement = match statement.as_rule() {
                Rule::as_of => match children(statement).next() {
                    Some(date) => TestStatement::AsOf(self.date(date)),
                    None => unreachable!("as_of has a date"),
                },
                Rule::test_state => match children(statement).next() {
                    Some(atom) => TestStatement::State(self.atom(atom)),
                    None => unreachable!("state has a value"),
                },
                Rule::profile => match children(statement).next() {
                    Some(text) if text.as_rule() == Rule::raw_string => {
                        TestStatement::ProfileInline(self.string(text))
                    }
                    Some(text) => TestStatement::ProfileFile(self.string(text)),
                    None => unreachable!("profile has a string"),
                },
                Rule::expect => TestStatement::Expect(self.expect(statement)),
                _ => grammar_bug(&statement),
            };
            statements.push(statement);
        }
        Test {
            name,
            statements,
            span,
        }
    }

    fn expect(&mut self, pair: Pair<'_, Rule>) -> Expect {
        let span = self.span(&pair);
        let mut parts = children(pair);
        let (Some(role), Some(verdict)) = (parts.next(), parts.next()) else {
            unreachable!("expect has role and verdict")
        };
        let role = self.ident(role);
        let verdict = self.ident(verdict);
        let block = parts.next().map(|block| {
            block
                .into_inner()
                .map(|line| match line.as_rule() {
                    Rule::unmet => ExpectLine::Unmet(self.expect_unmet(line)),
                    Rule::expect_route => {
                        let Some(value) = children(line).next() else {
                            unreachable!("route has a name")
                        };
                        ExpectLine::Route(self.string(value))
                    }
                    Rule::met => {
                        let span = self.span(&line);
                        let mut parts = children(line);
                        let Some(kind) = parts.next() else {
                            unreachable!("met has a kind")
                        };
                        let kind = self.ident(kind);
                        let records = parts.map(|record| self.ident(record)).collect();
                        ExpectLine::Met(ExpectMet {
                            kind,
                            records,
                            span,
                        })
                    }
                    _ => grammar_bug(&line),
                })
                .collect()
        });
        Expect {
            role,
            verdict,
            block,
            span,
        }
    }

    fn expect_unmet(&mut self, unmet: Pair<'_, Rule>) -> ExpectUnmet {
        let span = self.span(&unmet);
        let mut parts = children(unmet);
        let Some(kind) = parts.next() else {
            unreachable!("unmet has a kind")
        };
        let mut expected = ExpectUnmet {
            kind: self.ident(kind),
            route: None,
            needed: None,
            have: None,
            message: None,
            span,
        };
        for clause in parts {
            let clause_span = self.span(&clause);
            let rule = clause.as_rule();
            let Some(value) = children(clause).next() else {
                unreachable!("unmet clause has a value")
            };
            match rule {
                Rule::unmet_route => {
                    let value = self.string(value);
                    self.set_once(&mut expected.route, value, clause_span, "route");
                }
                Rule::unmet_needed => {
                    let value = self.number(value);
                    self.set_once(&mut expected.needed, value, clause_span, "needed");
                }
                Rule::unmet_have => {
                    let value = self.number(value);
                    self.set_once(&mut expected.have, value, clause_span, "have");
                }
                Rule::unmet_message => {
                    let value = self.string(value);
                    self.set_once(&mut expected.message, value, clause_span, "message");
                }
                _ => grammar_bug(&value),
            }
        }
        expected
    }
}
