//! pest parse tree → typed AST. One `lower_<rule>` method per grammar rule
//! that yields an AST node (`lower_role`, `lower_experience`, …).
//! A broken grammar invariant here is a bug (`unreachable!`), never a user
//! error: user errors are collected as diagnostics and lowering goes on.

use super::ast::*;
use super::keywords::{ITEM, STATEMENT, TEST, is_keyword, keyword, leads};
use super::lexer::{self, TokenKind};
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
pub(super) struct RuleParser;

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
    let tokens = lexer::tokens(text);
    let comments = comments(text, &tokens);
    if let Some(diagnostic) = check_nesting(file, &tokens) {
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
    if is_only_comments(&tokens) {
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
                        .filter_map(|pair| lowerer.lower_item(pair))
                        .collect()
                })
                .unwrap_or_default();
            (File { items, comments }, lowerer.diagnostics)
        }
        Err(_) => {
            // Parse each top-level chunk alone to find every broken item.
            let mut items = Vec::new();
            for (start, end) in lexer::item_chunks(text, &tokens) {
                let chunk = &text[start..end];
                let first = tokens.partition_point(|t| t.span.start < start);
                let last = tokens.partition_point(|t| t.span.start < end);
                if is_only_comments(&tokens[first..last]) {
                    continue;
                }
                lowerer.offset = start;
                match RuleParser::parse(Rule::single_item, chunk) {
                    Ok(mut pairs) => {
                        if let Some(item) = pairs
                            .next()
                            .and_then(|p| p.into_inner().next())
                            .and_then(|item_pair| lowerer.lower_item(item_pair))
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

fn is_only_comments(tokens: &[lexer::Token]) -> bool {
    !tokens.iter().any(lexer::Token::is_significant)
}

/// Every `//` comment, from the shared lexer.
fn comments(text: &str, tokens: &[lexer::Token]) -> Vec<Comment> {
    tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Comment)
        .map(|t| Comment {
            text: t.text(text).to_string(),
            span: t.span,
        })
        .collect()
}

/// Refuses braces nested deeper than `MAX_NESTING`. The grammar makes every
/// level of recursion cost a brace, so this bounds the parser's recursion.
fn check_nesting(file: &SourceFile, tokens: &[lexer::Token]) -> Option<Diagnostic> {
    let mut depth = 0usize;
    for token in tokens {
        match token.kind {
            TokenKind::OpenBrace => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(
                        Diagnostic::error(
                            Code::Nesting,
                            format!("blocks are nested more than {MAX_NESTING} deep"),
                        )
                        .at(file, token.span)
                        .label(format!("this `{{` is at depth {depth}"))
                        .help("split the requirement into roles or `let` blocks and refer to them"),
                    );
                }
            }
            TokenKind::CloseBrace => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The opening braces before `offset` that are never closed there.
fn unclosed_braces(text: &str, offset: usize) -> Vec<usize> {
    lexer::unclosed_braces(&lexer::tokens(&text[..offset]))
}

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
        let opened = unclosed_braces(&file.text, chunk_end);
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
    // `role` also starts a condition: only `role ID "Title"` is an item.
    let starts_item = (word != "role" && super::keywords::starts_item(&word))
        || (word == "role" && {
            let line = rest.lines().next().unwrap_or("");
            let mut parts = line.split_whitespace().skip(1);
            parts.next().is_some() && parts.next().is_some_and(|title| title.starts_with('"'))
        });
    if expects_statement && starts_item {
        let opened = unclosed_braces(&file.text, at);
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
        let (what, a_what, keywords) = if expects_statement {
            (
                "condition or statement",
                "a condition or statement",
                leads(STATEMENT),
            )
        } else if expects_test_statement {
            ("test statement", "a test statement", leads(TEST))
        } else {
            ("item", "an item", leads(ITEM))
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
    describe(rule) == "a condition" || keyword(rule).is_some_and(|k| k.is(STATEMENT))
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

const UNDESCRIBED: &str = "something else";

/// How each grammar rule reads in an error message. A keyword reads as its
/// table entry; a test checks that every other rule has a name of its own.
fn describe(rule: Rule) -> &'static str {
    if let Some(keyword) = keyword(rule) {
        return keyword.quoted;
    }
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
        Rule::checked => "`checked`",
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
        _ => UNDESCRIBED,
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

    fn lower_item(&mut self, pair: Pair<'_, Rule>) -> Option<Item> {
        match pair.as_rule() {
            Rule::role => Some(Item::Role(self.lower_role(pair))),
            Rule::let_item => Some(Item::Let(self.lower_let_item(pair))),
            Rule::vocabulary => Some(Item::Vocabulary(self.lower_vocabulary(pair))),
            Rule::test => Some(Item::Test(self.lower_test(pair))),
            _ => grammar_bug(&pair),
        }
    }

    fn lower_ident(&self, pair: Pair<'_, Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: self.span(&pair),
        }
    }

    fn lower_string(&mut self, pair: Pair<'_, Rule>) -> Str {
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

    fn lower_atom(&mut self, pair: Pair<'_, Rule>) -> Atom {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::string => Atom {
                text: self.lower_string(pair).value,
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

    fn lower_terms(&mut self, pair: Pair<'_, Rule>) -> Terms {
        match pair.as_rule() {
            Rule::list => {
                let span = self.span(&pair);
                let items = pair
                    .into_inner()
                    .map(|atom| self.lower_atom(atom))
                    .collect();
                Terms::List { items, span }
            }
            Rule::string => Terms::One(self.lower_atom(pair)),
            Rule::name => Terms::Name(self.lower_ident(pair)),
            _ => grammar_bug(&pair),
        }
    }

    fn lower_number(&mut self, pair: Pair<'_, Rule>) -> Number {
        let span = self.span(&pair);
        let value = pair
            .as_str()
            .parse::<f64>()
            .unwrap_or_else(|_| grammar_bug(&pair));
        Number { value, span }
    }

    fn lower_date(&mut self, pair: Pair<'_, Rule>) -> DateLit {
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

    fn lower_validity(&mut self, pairs: &mut Vec<Pair<'_, Rule>>) -> Validity {
        let mut validity = Validity::default();
        pairs.retain(|pair| match pair.as_rule() {
            Rule::from_date => {
                validity.from = pair
                    .clone()
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::date)
                    .map(|d| self.lower_date(d));
                false
            }
            Rule::until_date => {
                validity.until = pair
                    .clone()
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::date)
                    .map(|d| self.lower_date(d));
                false
            }
            _ => true,
        });
        validity
    }

    fn lower_role(&mut self, pair: Pair<'_, Rule>) -> Role {
        let span = self.span(&pair);
        let mut parts: Vec<_> = children(pair).collect();
        let validity = self.lower_validity(&mut parts);
        let mut parts = parts.into_iter();
        let (Some(id), Some(title), Some(body)) = (parts.next(), parts.next(), parts.next()) else {
            unreachable!("role has id, title and body")
        };
        Role {
            id: self.lower_ident(id),
            title: self.lower_string(title),
            validity,
            body: self.lower_block(body),
            span,
        }
    }

    fn lower_block(&mut self, pair: Pair<'_, Rule>) -> Block {
        let span = self.span(&pair);
        let statements = pair
            .into_inner()
            .map(|statement| self.lower_statement(statement))
            .collect();
        Block { statements, span }
    }

    fn lower_statement(&mut self, pair: Pair<'_, Rule>) -> Statement {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::source => {
                let mut reference = None;
                let mut trust = None;
                let mut title = None;
                let mut checked = None;
                for part in children(pair) {
                    match part.as_rule() {
                        Rule::string if reference.is_none() => {
                            reference = Some(self.lower_string(part))
                        }
                        Rule::string => title = Some(self.lower_string(part)),
                        Rule::trust => trust = self.lower_trust(part),
                        Rule::checked => {
                            checked = children(part)
                                .find(|p| p.as_rule() == Rule::date)
                                .map(|d| self.lower_date(d))
                        }
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
                    checked,
                    span,
                })
            }
            Rule::description => Statement::Description(self.lower_only_string(pair)),
            Rule::note => Statement::Note(self.lower_only_string(pair)),
            Rule::cite => Statement::Cite(self.lower_only_string(pair)),
            Rule::clia_position => {
                let mut parts = children(pair);
                let (Some(code), Some(complexity)) = (parts.next(), parts.next()) else {
                    unreachable!("clia_position has a code and a complexity")
                };
                let code = match code.as_rule() {
                    Rule::string => self.lower_string(code),
                    _ => Str {
                        value: code.as_str().to_string(),
                        span: self.span(&code),
                    },
                };
                Statement::CliaPosition(CliaPosition {
                    code,
                    complexity: self.lower_ident(complexity),
                    span,
                })
            }
            Rule::route => {
                let mut parts: Vec<_> = children(pair).collect();
                let validity = self.lower_validity(&mut parts);
                let mut parts = parts.into_iter();
                let (Some(name), Some(body)) = (parts.next(), parts.next()) else {
                    unreachable!("route has a name and a body")
                };
                Statement::Route(Route {
                    name: self.lower_string(name),
                    validity,
                    body: self.lower_block(body),
                    span,
                })
            }
            _ => Statement::Condition(self.lower_condition(pair)),
        }
    }

    fn lower_only_string(&mut self, pair: Pair<'_, Rule>) -> Str {
        match children(pair).next() {
            Some(string) => self.lower_string(string),
            None => unreachable!("statement has a string"),
        }
    }

    fn lower_trust(&mut self, pair: Pair<'_, Rule>) -> Option<(Trust, Span)> {
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

    fn lower_within(&mut self, pair: Pair<'_, Rule>) -> Within {
        let span = self.span(&pair);
        let years = match children(pair).next() {
            Some(number) => self.lower_number(number),
            None => unreachable!("within has a number"),
        };
        Within { years, span }
    }

    fn lower_clause_terms(&mut self, pair: Pair<'_, Rule>) -> Terms {
        match children(pair).next() {
            Some(terms) => self.lower_terms(terms),
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

    fn lower_condition(&mut self, pair: Pair<'_, Rule>) -> Condition {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::degree => ConditionKind::Degree(self.lower_degree(pair)),
            Rule::program => {
                let mut parts = children(pair);
                let Some(programs) = parts.next() else {
                    unreachable!("program has terms")
                };
                let programs = self.lower_terms(programs);
                let clauses = self.lower_clauses(parts);
                ConditionKind::Program(Program {
                    programs,
                    accredited_by: clauses.accredited_by,
                    within: clauses.within,
                    scheduled: clauses.scheduled,
                })
            }
            Rule::coursework => ConditionKind::Coursework(self.lower_coursework(pair)),
            Rule::certification => {
                let mut options = Vec::new();
                let mut earned = None;
                let mut see = None;
                for part in children(pair) {
                    match part.as_rule() {
                        Rule::credential_name => options.push(self.lower_credential(part)),
                        Rule::credential_list => {
                            for name in part.into_inner() {
                                options.push(self.lower_credential(name));
                            }
                        }
                        Rule::earned_clause => earned = Some(self.lower_earned(part)),
                        Rule::see_clause => {
                            see = children(part).next().map(|id| self.lower_ident(id))
                        }
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
                    _ => LicenseState::Code(self.lower_atom(state_pair)),
                };
                let mut types = None;
                let mut see = None;
                for part in parts {
                    match part.as_rule() {
                        Rule::see_clause => {
                            see = children(part).next().map(|id| self.lower_ident(id))
                        }
                        _ => types = Some(self.lower_terms(part)),
                    }
                }
                ConditionKind::License(License { state, types, see })
            }
            Rule::experience => ConditionKind::Experience(self.lower_experience(pair)),
            Rule::serving => {
                let mut parts: Vec<_> = children(pair).collect();
                let Some(since) = parts.pop() else {
                    unreachable!("serving ends with a date")
                };
                let since = self.lower_date(since);
                let clauses = self.lower_clauses(parts.into_iter());
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
                    date: self.lower_date(date),
                    body: self.lower_block(body),
                }
            }
            Rule::training => ConditionKind::Training(self.lower_training(pair)),
            Rule::continuing_education => {
                let mut parts = children(pair);
                let (Some(op), Some(hours), Some(unit)) =
                    (parts.next(), parts.next(), parts.next())
                else {
                    unreachable!("continuing_education has op, number and unit")
                };
                self.minimum_operator(op, "continuing education");
                let hours = self.lower_number(hours);
                if unit.as_str() != "hours" {
                    let unit_span = self.span(&unit);
                    self.error(
                        Diagnostic::error(Code::Unit, format!("unknown unit `{}`", unit.as_str()))
                            .at(self.file, unit_span)
                            .label("expected `hours`")
                            .help("continuing education is counted in `hours`"),
                    );
                }
                let clauses = self.lower_clauses(parts);
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
                ConditionKind::Age(self.lower_number(years))
            }
            Rule::role_ref => match children(pair).next() {
                Some(id) => ConditionKind::Role(self.lower_ident(id)),
                None => unreachable!("role reference has an id"),
            },
            Rule::use_ref => match children(pair).next() {
                Some(name) => ConditionKind::Use(self.lower_ident(name)),
                None => unreachable!("use has a name"),
            },
            Rule::state_in => match children(pair).next() {
                Some(terms) => ConditionKind::StateIn(self.lower_terms(terms)),
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
                    date: self.lower_date(date),
                }
            }
            Rule::all => ConditionKind::All(self.lower_only_block(pair)),
            Rule::any => ConditionKind::Any(self.lower_only_block(pair)),
            Rule::at_least => {
                let mut parts = children(pair);
                let (Some(count), Some(body)) = (parts.next(), parts.next()) else {
                    unreachable!("at least has count and block")
                };
                ConditionKind::AtLeast {
                    count: self.lower_number(count),
                    body: self.lower_block(body),
                }
            }
            Rule::not => match children(pair).next() {
                Some(inner) => ConditionKind::Not(Box::new(self.lower_condition(inner))),
                None => unreachable!("not has a condition"),
            },
            Rule::when => {
                let mut parts = children(pair);
                let (Some(guard), Some(then)) = (parts.next(), parts.next()) else {
                    unreachable!("when has guard and block")
                };
                let guard = Box::new(self.lower_condition(guard));
                let then = self.lower_block(then);
                let otherwise = parts
                    .next()
                    .map(|else_clause| self.lower_only_block(else_clause));
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
                    guard: Box::new(self.lower_condition(guard)),
                    then: self.lower_block(then),
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
    fn lower_earned(&mut self, pair: Pair<'_, Rule>) -> EarnedBound {
        let span = self.span(&pair);
        let mut parts = children(pair);
        let (Some(op), Some(date)) = (parts.next(), parts.next()) else {
            unreachable!("earned has op and date")
        };
        let on_or_after = self.date_comparison(op, "earned");
        EarnedBound {
            on_or_after,
            date: self.lower_date(date),
            span,
        }
    }

    fn lower_only_block(&mut self, pair: Pair<'_, Rule>) -> Block {
        match children(pair).next() {
            Some(block) => self.lower_block(block),
            None => unreachable!("statement has a block"),
        }
    }

    fn lower_credential(&mut self, pair: Pair<'_, Rule>) -> CredentialName {
        let span = self.span(&pair);
        let mut parts = pair.into_inner();
        let (Some(issuer), Some(name)) = (parts.next(), parts.next()) else {
            unreachable!("credential has issuer and name")
        };
        CredentialName {
            issuer: self.lower_atom(issuer),
            name: self.lower_atom(name),
            span,
        }
    }

    fn lower_degree(&mut self, pair: Pair<'_, Rule>) -> Degree {
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
        let clauses = self.lower_clauses(parts);
        Degree {
            level,
            level_span,
            fields: clauses.in_terms,
            accredited_by: clauses.accredited_by,
            within: clauses.within,
        }
    }

    fn lower_coursework(&mut self, pair: Pair<'_, Rule>) -> Coursework {
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
            let amount = self.lower_number(amount);
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
        let clauses = self.lower_clauses(parts);
        Coursework {
            minimum,
            subjects: clauses.in_terms,
            including: clauses.including,
        }
    }

    fn lower_experience(&mut self, pair: Pair<'_, Rule>) -> Experience {
        let mut parts = children(pair);
        let (Some(op), Some(amount), Some(unit_pair)) = (parts.next(), parts.next(), parts.next())
        else {
            unreachable!("experience has op, number, unit")
        };
        self.minimum_operator(op, "experience");
        let amount = self.lower_number(amount);
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
        let clauses = self.lower_clauses(parts);
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
    fn lower_after(&mut self, clause: Pair<'_, Rule>) -> After {
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
                        Rule::credential_name => options.push(self.lower_credential(part)),
                        Rule::credential_list => {
                            for name in part.into_inner() {
                                options.push(self.lower_credential(name));
                            }
                        }
                        _ => grammar_bug(&part),
                    }
                }
                After::Certification(options)
            }
        }
    }

    fn lower_training(&mut self, pair: Pair<'_, Rule>) -> Training {
        let mut parts = children(pair);
        let Some(programs) = parts.next() else {
            unreachable!("training has terms")
        };
        let programs = self.lower_terms(programs);
        let clauses = self.lower_clauses(parts);
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
    fn lower_clauses<'i>(&mut self, parts: impl Iterator<Item = Pair<'i, Rule>>) -> Clauses {
        let mut clauses = Clauses::default();
        for clause in parts {
            let span = self.span(&clause);
            match clause.as_rule() {
                Rule::in_clause => {
                    let terms = self.lower_clause_terms(clause);
                    self.set_once(&mut clauses.in_terms, terms, span, "in");
                }
                Rule::each_clause => {
                    let terms = self.lower_clause_terms(clause);
                    self.set_once(&mut clauses.each_terms, terms, span, "in each of");
                }
                Rule::scheduled_clause => {
                    self.set_once(&mut clauses.scheduled, span, span, "scheduled")
                }
                Rule::accredited_clause => {
                    let terms = self.lower_clause_terms(clause);
                    self.set_once(&mut clauses.accredited_by, terms, span, "accredited by");
                }
                Rule::within_clause => {
                    let within = self.lower_within(clause);
                    self.set_once(&mut clauses.within, within, span, "within");
                }
                Rule::including_clause => {
                    let terms = self.lower_clause_terms(clause);
                    self.set_once(&mut clauses.including, terms, span, "including");
                }
                Rule::setting_clause => {
                    let terms = self.lower_clause_terms(clause);
                    self.set_once(&mut clauses.settings, terms, span, "setting");
                }
                Rule::as_clause => {
                    let terms = self.lower_clause_terms(clause);
                    self.set_once(&mut clauses.jobs, terms, span, "as");
                }
                Rule::worked_state_clause => {
                    let terms = self.lower_clause_terms(clause);
                    self.set_once(&mut clauses.states, terms, span, "state");
                }
                Rule::licensed_clause => {
                    self.set_once(&mut clauses.licensed, span, span, "licensed")
                }
                Rule::tagged_clause => {
                    let terms = self.lower_clause_terms(clause);
                    self.set_once(&mut clauses.tags, terms, span, "tagged");
                }
                Rule::fulltime_clause => {
                    let Some(hours) = children(clause).next() else {
                        unreachable!("fulltime has hours")
                    };
                    let hours = self.lower_number(hours);
                    self.set_once(&mut clauses.fulltime, hours, span, "fulltime");
                }
                Rule::after_clause => {
                    let after = self.lower_after(clause);
                    self.set_once(&mut clauses.after, after, span, "after");
                }
                Rule::where_clause => self.lower_measure_minimums(clause, &mut clauses.minimums),
                _ => grammar_bug(&clause),
            }
        }
        clauses
    }

    /// `where venipunctures >= 100, skin_punctures >= 25`
    fn lower_measure_minimums(
        &mut self,
        clause: Pair<'_, Rule>,
        minimums: &mut Vec<MeasureMinimum>,
    ) {
        for minimum in children(clause) {
            let span = self.span(&minimum);
            let mut parts = minimum.into_inner();
            let (Some(measure), Some(op), Some(value)) = (parts.next(), parts.next(), parts.next())
            else {
                unreachable!("measure has name, op, number")
            };
            self.minimum_operator(op, "a training measure");
            let value = self.lower_number(value);
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

    fn lower_let_item(&mut self, pair: Pair<'_, Rule>) -> Let {
        let span = self.span(&pair);
        let mut parts = children(pair);
        let (Some(name), Some(value)) = (parts.next(), parts.next()) else {
            unreachable!("let has name and value")
        };
        let name = self.lower_ident(name);
        let value = match value.as_rule() {
            Rule::list => LetValue::List(self.lower_terms(value)),
            Rule::block => LetValue::Block(self.lower_block(value)),
            _ => grammar_bug(&value),
        };
        Let { name, value, span }
    }

    fn lower_vocabulary(&mut self, pair: Pair<'_, Rule>) -> Vocabulary {
        let span = self.span(&pair);
        let mut parts = children(pair);
        let Some(kind) = parts.next() else {
            unreachable!("vocabulary has a kind")
        };
        let kind = self.lower_ident(kind);
        let mut entries = Vec::new();
        for entry in parts {
            let entry_span = self.span(&entry);
            let is_group = entry.as_rule() == Rule::vocabulary_group;
            let mut strings = children(entry)
                .map(|s| self.lower_string(s))
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

    fn lower_test(&mut self, pair: Pair<'_, Rule>) -> Test {
        let span = self.span(&pair);
        let mut parts = children(pair);
        let Some(name) = parts.next() else {
            unreachable!("test has a name")
        };
        let name = self.lower_string(name);
        let mut statements = Vec::new();
        for statement in parts {
            let statement = match statement.as_rule() {
                Rule::as_of => match children(statement).next() {
                    Some(date) => TestStatement::AsOf(self.lower_date(date)),
                    None => unreachable!("as_of has a date"),
                },
                Rule::test_state => match children(statement).next() {
                    Some(atom) => TestStatement::State(self.lower_atom(atom)),
                    None => unreachable!("state has a value"),
                },
                Rule::profile => match children(statement).next() {
                    Some(text) if text.as_rule() == Rule::raw_string => {
                        TestStatement::ProfileInline(self.lower_string(text))
                    }
                    Some(text) => TestStatement::ProfileFile(self.lower_string(text)),
                    None => unreachable!("profile has a string"),
                },
                Rule::expect => TestStatement::Expect(self.lower_expect(statement)),
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

    fn lower_expect(&mut self, pair: Pair<'_, Rule>) -> Expect {
        let span = self.span(&pair);
        let mut parts = children(pair);
        let (Some(role), Some(verdict)) = (parts.next(), parts.next()) else {
            unreachable!("expect has role and verdict")
        };
        let role = self.lower_ident(role);
        let verdict = self.lower_ident(verdict);
        let block = parts.next().map(|block| {
            block
                .into_inner()
                .map(|line| match line.as_rule() {
                    Rule::unmet => ExpectLine::Unmet(self.lower_expect_unmet(line)),
                    Rule::expect_route => {
                        let Some(value) = children(line).next() else {
                            unreachable!("route has a name")
                        };
                        ExpectLine::Route(self.lower_string(value))
                    }
                    Rule::met => {
                        let span = self.span(&line);
                        let mut parts = children(line);
                        let Some(kind) = parts.next() else {
                            unreachable!("met has a kind")
                        };
                        let kind = self.lower_ident(kind);
                        let records = parts.map(|record| self.lower_ident(record)).collect();
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

    fn lower_expect_unmet(&mut self, unmet: Pair<'_, Rule>) -> ExpectUnmet {
        let span = self.span(&unmet);
        let mut parts = children(unmet);
        let Some(kind) = parts.next() else {
            unreachable!("unmet has a kind")
        };
        let mut expected = ExpectUnmet {
            kind: self.lower_ident(kind),
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
                    let value = self.lower_string(value);
                    self.set_once(&mut expected.route, value, clause_span, "route");
                }
                Rule::unmet_needed => {
                    let value = self.lower_number(value);
                    self.set_once(&mut expected.needed, value, clause_span, "needed");
                }
                Rule::unmet_have => {
                    let value = self.lower_number(value);
                    self.set_once(&mut expected.have, value, clause_span, "have");
                }
                Rule::unmet_message => {
                    let value = self.lower_string(value);
                    self.set_once(&mut expected.message, value, clause_span, "message");
                }
                _ => grammar_bug(&value),
            }
        }
        expected
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_grammar_rule_has_a_name_in_messages() {
        for &rule in Rule::all_rules() {
            assert_ne!(describe(rule), UNDESCRIBED, "{rule:?} has no description");
        }
    }

    /// The old recovery split the file by counting braces line by line and
    /// did not know `"""` strings: a `}` and a `test` line inside a test's
    /// profile started a new item there.
    #[test]
    fn recovery_reads_raw_strings_inside_braces() {
        let text = "role c \"C\" {\n  degree >= associate\n}\n\ntest \"t\" {\n  profile \"\"\"\n}\ntest \"inner\" {\n\"\"\"\n  expect met c\n  oops\n}\n";
        let file = SourceFile::new("x.elig", text);
        let (ast, diagnostics) = parse_recovering(&file);
        assert_eq!(
            ast.items.len(),
            1,
            "role c parses, the broken test does not"
        );
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        let at = diagnostics[0].span.map(|span| &text[span.start..span.end]);
        assert_eq!(at, Some("oops"));
    }
}
