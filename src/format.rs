//! The canonical layout of rule files: the engine of `eligo fmt`.
//!
//! The printer walks the AST and writes every node in one canonical form:
//! two-space indentation, one statement per line, `{` on the header line and
//! `}` on its own line, one blank line between top-level items, clauses in
//! the grammar's order, numbers in their shortest form, strings re-escaped.
//! A list `[a, b]` stays on one line when that line fits in [`MAX_WIDTH`]
//! columns, and otherwise takes one element per line with a trailing comma;
//! lists are decided left to right, each kept whole if the line up to the
//! next place it could break still fits. Unbracketed lists (`aka`, `group`,
//! `where`) break the same way, without the trailing comma they cannot have.
//! Inline test profiles (`profile """…"""`) are copied verbatim.
//!
//! Comments are not in the tree, only in `File::comments` with their spans,
//! so the printer places them by position. It keeps a cursor into the
//! comments, sorted by offset, and before writing each output line writes
//! every comment that starts before the end of that line's source text, each
//! on a line of its own at the line's indentation (one level deeper before a
//! closing `}` or `]`, so that they stay inside). After writing a line it
//! takes the next comment as that line's trailing comment if only spaces or
//! commas separate them in the source. So:
//! - a comment on its own line stays before the node that follows it;
//! - a trailing comment stays at the end of its line;
//! - comments before a `}` or `]` stay inside the block or list;
//! - a comment inside a list breaks the list, one element per line;
//! - a comment inside a node printed on one line (between two clauses, say)
//!   moves to its own line above the node;
//! - comments after the last item stay at the end of the file.
//!
//! Every comment is written exactly once and in source order, so a comment
//! is never lost, duplicated or reordered, and its text is kept (trailing
//! white space dropped). Blank lines the author left before a statement or
//! comment are kept, at most one, except right after `{` or before `}`.

use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, Span};
use crate::syntax::ast::*;
use crate::syntax::lexer::{self, Token};

/// Lists are kept on one line when the whole line fits in this many columns.
pub const MAX_WIDTH: usize = 100;

const INDENT: &str = "  ";

/// Parses `file` and formats it, or returns the parser's diagnostics if it
/// does not parse (a file of only comments does not: it defines nothing).
pub fn format_source(file: &SourceFile) -> Result<String, Vec<Diagnostic>> {
    let ast = crate::syntax::parse(file)?;
    Ok(format_file(&ast, &file.text))
}

/// Prints `file` in the canonical layout. `source` is the text `file` was
/// parsed from: the spans index into it, and the printer reads it to place
/// comments, to keep the blank lines the author left between statements, and
/// to copy inline test profiles (`profile """…"""`) verbatim.
pub fn format_file(file: &File, source: &str) -> String {
    let mut comments: Vec<&Comment> = file.comments.iter().collect();
    comments.sort_by_key(|comment| comment.span.start);
    let mut printer = Printer {
        source,
        tokens: lexer::tokens(source),
        comments,
        next: 0,
        out: String::with_capacity(source.len() + source.len() / 8),
        last_end: 0,
        wrote: false,
        at_open: false,
        item_boundary: false,
    };
    for (index, item) in file.items.iter().enumerate() {
        printer.item_boundary = index > 0;
        printer.item(item);
    }
    printer.item_boundary = false;
    printer.flush_comments(usize::MAX, 0);
    printer.out
}

/// A part of an output line, before the list-breaking decisions are made.
enum Piece<'a> {
    Text(String),
    /// `[a, b]`: on one line, or one element per line with a trailing comma.
    List(Seq),
    /// `a, b` without brackets (aliases, group members, `where` minimums);
    /// always the last piece of its node. Broken, each element goes on its
    /// own line, indented once more, and the last has no comma.
    Tail(Seq),
    /// `{ … }`: the header line ends with `{`, the closing `}` starts a line.
    Block(Body<'a>),
}

struct Seq {
    /// Each element as printed, with its span.
    items: Vec<(String, Span)>,
    /// From the opening bracket to the closing one; for a tail, from the end
    /// of the word before it (`aka`, `=`, `where`) to its last element. A
    /// comment inside breaks the list.
    span: Span,
}

impl Seq {
    fn flat(&self) -> String {
        let items: Vec<&str> = self.items.iter().map(|(text, _)| text.as_str()).collect();
        items.join(", ")
    }

    fn flat_width(&self, bracketed: bool) -> usize {
        let separators = 2 * self.items.len().saturating_sub(1);
        let brackets = if bracketed { 2 } else { 0 };
        self.items
            .iter()
            .map(|(text, _)| width(text))
            .sum::<usize>()
            + separators
            + brackets
    }
}

struct Body<'a> {
    /// Offset of `{`.
    open: usize,
    /// Offset of `}`.
    close: usize,
    contents: Contents<'a>,
}

enum Contents<'a> {
    Statements(&'a [Statement]),
    Vocabulary(&'a [VocabularyEntry]),
    Test(&'a [TestStatement]),
    Expect(&'a [ExpectLine]),
}

impl Contents<'_> {
    fn is_empty(&self) -> bool {
        match self {
            Contents::Statements(statements) => statements.is_empty(),
            Contents::Vocabulary(entries) => entries.is_empty(),
            Contents::Test(statements) => statements.is_empty(),
            Contents::Expect(lines) => lines.is_empty(),
        }
    }
}

/// One output line being assembled.
struct Line {
    indent: usize,
    text: String,
    /// Where the line's source text starts, to find blank lines before it.
    start: usize,
    /// Whether a blank line the author left before it is kept (not for `}`
    /// and `]`, which never follow a blank line).
    blank_before: bool,
    /// Indentation of the comments that precede the line: one level deeper
    /// for a closing `}` or `]`, whose preceding comments stay inside.
    comment_indent: usize,
}

impl Line {
    fn new(indent: usize, start: usize) -> Line {
        Line {
            indent,
            text: String::new(),
            start,
            blank_before: true,
            comment_indent: indent,
        }
    }

    fn closing(indent: usize, start: usize, text: &str) -> Line {
        Line {
            indent,
            text: text.to_string(),
            start,
            blank_before: false,
            comment_indent: indent + 1,
        }
    }
}

struct Printer<'a> {
    source: &'a str,
    /// The source's tokens (the shared lexer's), to find where a `{` or `]`
    /// without a span of its own is.
    tokens: Vec<Token>,
    /// Sorted by start offset.
    comments: Vec<&'a Comment>,
    /// The first comment not yet written.
    next: usize,
    out: String,
    /// Source offset of the end of the last thing written (code or comment).
    last_end: usize,
    /// Whether anything has been written.
    wrote: bool,
    /// The last line written opened a block or list: no blank line follows.
    at_open: bool,
    /// The next line written starts a top-level item (or its leading
    /// comments), so exactly one blank line goes before it.
    item_boundary: bool,
}

impl<'a> Printer<'a> {
    // ---- lines and comments ---------------------------------------------------

    /// Writes `line`, whose source text ends at `end`: first the comments
    /// that start before `end`, then the line, then its trailing comment.
    fn emit(&mut self, line: Line, end: usize, opens: bool) {
        self.flush_comments(end, line.comment_indent);
        if line.blank_before {
            self.blank_line_before(line.start);
        }
        self.write_indent(line.indent);
        self.out.push_str(line.text.trim_end());
        self.last_end = self.last_end.max(end);
        if let Some(comment) = self.comments.get(self.next).copied()
            && comment.span.start >= end
            && self
                .source
                .get(end..comment.span.start)
                .is_some_and(|between| between.chars().all(|c| matches!(c, ' ' | '\t' | ',')))
        {
            self.out.push(' ');
            self.out.push_str(comment.text.trim_end());
            self.next += 1;
            self.last_end = comment.span.end;
        }
        self.out.push('\n');
        self.wrote = true;
        self.at_open = opens;
    }

    /// Writes, each on its own line, the comments that start before `end`.
    fn flush_comments(&mut self, end: usize, indent: usize) {
        while let Some(comment) = self.comments.get(self.next).copied() {
            if comment.span.start >= end {
                break;
            }
            self.blank_line_before(comment.span.start);
            self.write_indent(indent);
            self.out.push_str(comment.text.trim_end());
            self.out.push('\n');
            self.next += 1;
            self.last_end = self.last_end.max(comment.span.end);
            self.wrote = true;
            self.at_open = false;
        }
    }

    /// Writes a blank line before a line starting at source offset `start` if
    /// one is due: always between top-level items, and where the author left
    /// one (at most one), except at the top of a block or of the file.
    fn blank_line_before(&mut self, start: usize) {
        if self.item_boundary {
            self.item_boundary = false;
            if self.wrote {
                self.out.push('\n');
            }
            return;
        }
        if self.wrote && !self.at_open && self.blank_in_source(self.last_end, start) {
            self.out.push('\n');
        }
    }

    /// Whether a whitespace-only line lies between offsets `from` and `to`.
    fn blank_in_source(&self, from: usize, to: usize) -> bool {
        if from >= to {
            return false;
        }
        let Some(between) = self.source.get(from..to) else {
            return false;
        };
        let lines: Vec<&str> = between.split('\n').collect();
        lines.len() > 2
            && lines[1..lines.len() - 1]
                .iter()
                .any(|line| line.trim().is_empty())
    }

    fn write_indent(&mut self, indent: usize) {
        for _ in 0..indent {
            self.out.push_str(INDENT);
        }
    }

    /// Whether a comment starts strictly inside `span`.
    fn comment_inside(&self, span: Span) -> bool {
        let first = self
            .comments
            .partition_point(|c| c.span.start <= span.start);
        self.comments
            .get(first)
            .is_some_and(|c| c.span.start < span.end)
    }

    /// The end of the token before `offset`: white space and comments skipped.
    fn end_before(&self, offset: usize) -> usize {
        self.end_of(Span::new(0, offset))
    }

    /// The end of a node's own text. A pest span can run on over the white
    /// space and comments that follow the node (`degree >= bachelor // why`
    /// when no clause follows), so those are cut off.
    fn end_of(&self, span: Span) -> usize {
        let bytes = self.source.as_bytes();
        let mut end = span.end.min(bytes.len());
        loop {
            while end > span.start && bytes[end - 1].is_ascii_whitespace() {
                end -= 1;
            }
            let first = self.comments.partition_point(|c| c.span.end < end);
            match self.comments.get(first) {
                Some(comment) if comment.span.start < end && comment.span.start >= span.start => {
                    end = comment.span.start;
                }
                _ => return end.max(span.start),
            }
        }
    }

    /// The offset of the next character at or after `from` that is neither
    /// white space nor in a comment (where a `{` without a span of its own is).
    fn next_token(&self, from: usize) -> usize {
        let first = self.tokens.partition_point(|t| t.span.start < from);
        self.tokens[first..]
            .iter()
            .find(|t| t.is_significant())
            .map_or(from.max(self.source.len()), |t| t.span.start)
    }

    /// The span of the brackets around a list of credentials (which has no
    /// span of its own), or of the credentials if the brackets are not found.
    fn brackets(&self, after_keyword: usize, options: &[CredentialName]) -> Span {
        let (Some(first), Some(last)) = (options.first(), options.last()) else {
            return Span::default();
        };
        let bytes = self.source.as_bytes();
        let open = self.next_token(after_keyword);
        let start = if bytes.get(open) == Some(&b'[') {
            open
        } else {
            first.span.start
        };
        let mut close = self.next_token(last.span.end);
        if bytes.get(close) == Some(&b',') {
            close = self.next_token(close + 1);
        }
        let end = if bytes.get(close) == Some(&b']') {
            close + 1
        } else {
            last.span.end
        };
        Span::new(start, end)
    }

    /// A `{ … }` body whose `{` is the next token after `after` and whose `}`
    /// ends the node spanning `span`.
    fn body_after(&self, after: usize, span: Span, contents: Contents<'a>) -> Body<'a> {
        Body {
            open: self.next_token(after),
            close: self.end_of(span).saturating_sub(1),
            contents,
        }
    }

    // ---- layout ---------------------------------------------------------------

    /// Writes one node, made of `pieces`, whose source text is `span`.
    fn node(&mut self, pieces: Vec<Piece<'a>>, indent: usize, span: Span) {
        let end = self.end_of(span);
        let mut line = Line::new(indent, span.start);
        for (index, piece) in pieces.iter().enumerate() {
            match piece {
                Piece::Text(text) => line.text.push_str(text),
                Piece::List(seq) => {
                    let rest = self.width_to_break(&pieces[index + 1..]);
                    let fits =
                        indent * INDENT.len() + width(&line.text) + seq.flat_width(true) + rest
                            <= MAX_WIDTH;
                    if self.comment_inside(seq.span) || (!fits && !seq.items.is_empty()) {
                        line.text.push('[');
                        self.emit(line, seq.span.start + 1, true);
                        for (text, span) in &seq.items {
                            let mut element = Line::new(indent + 1, span.start);
                            element.text = format!("{text},");
                            self.emit(element, span.end, false);
                        }
                        line = Line::closing(indent, seq.span.end.saturating_sub(1), "]");
                    } else {
                        line.text.push('[');
                        line.text.push_str(&seq.flat());
                        line.text.push(']');
                    }
                }
                Piece::Tail(seq) => {
                    let fits = indent * INDENT.len() + width(&line.text) + seq.flat_width(false)
                        <= MAX_WIDTH;
                    if seq.items.is_empty() || (fits && !self.comment_inside(seq.span)) {
                        line.text.push_str(&seq.flat());
                    } else {
                        self.emit(line, seq.span.start, true);
                        let last = seq.items.len() - 1;
                        for (position, (text, span)) in seq.items.iter().enumerate() {
                            let mut element = Line::new(indent + 1, span.start);
                            element.text = if position < last {
                                format!("{text},")
                            } else {
                                text.clone()
                            };
                            self.emit(element, span.end, false);
                        }
                        // A tail ends its node.
                        return;
                    }
                }
                Piece::Block(body) => {
                    if self.is_empty_body(body) {
                        line.text.push_str("{}");
                    } else {
                        line.text.push('{');
                        self.emit(line, body.open + 1, true);
                        self.contents(&body.contents, indent + 1);
                        line = Line::closing(indent, body.close, "}");
                    }
                }
            }
        }
        self.emit(line, end, false);
    }

    /// Whether a body prints as `{}`.
    fn is_empty_body(&self, body: &Body<'_>) -> bool {
        body.contents.is_empty() && !self.comment_inside(Span::new(body.open, body.close + 1))
    }

    /// The width of `pieces` up to the next place the line may end: the `[`
    /// of a list, the `{` of a block, or the start of a tail (each of which
    /// decides for itself whether the rest fits).
    fn width_to_break(&self, pieces: &[Piece<'_>]) -> usize {
        let mut total = 0;
        for (index, piece) in pieces.iter().enumerate() {
            match piece {
                Piece::Text(text) if matches!(pieces.get(index + 1), Some(Piece::Tail(_))) => {
                    return total + width(text.trim_end());
                }
                Piece::Text(text) => total += width(text),
                Piece::List(_) => return total + 1,
                Piece::Tail(_) => return total,
                Piece::Block(body) if self.is_empty_body(body) => total += 2,
                Piece::Block(_) => return total + 1,
            }
        }
        total
    }

    fn contents(&mut self, contents: &Contents<'a>, indent: usize) {
        match *contents {
            Contents::Statements(statements) => {
                for statement in statements {
                    let pieces = self.statement(statement);
                    self.node(pieces, indent, statement.span());
                }
            }
            Contents::Vocabulary(entries) => {
                for entry in entries {
                    let mut pieces = Pieces::new(self);
                    match entry {
                        VocabularyEntry::Term { term, aliases, .. } => {
                            pieces.text(&string(&term.value));
                            if !aliases.is_empty() {
                                pieces.text(" aka ");
                                pieces.tail(
                                    aliases
                                        .iter()
                                        .map(|alias| (string(&alias.value), alias.span)),
                                );
                            }
                        }
                        VocabularyEntry::Group { name, members, .. } => {
                            pieces.text(&format!("group {} = ", string(&name.value)));
                            pieces.tail(
                                members
                                    .iter()
                                    .map(|member| (string(&member.value), member.span)),
                            );
                        }
                    }
                    self.node(pieces.pieces, indent, entry.span());
                }
            }
            Contents::Test(statements) => {
                for statement in statements {
                    let pieces = self.test_statement(statement);
                    self.node(pieces, indent, statement.span());
                }
            }
            Contents::Expect(lines) => {
                for line in lines {
                    let expected = match line {
                        ExpectLine::Unmet(expected) => expected,
                        ExpectLine::Route(route) => {
                            let mut pieces = Pieces::new(self);
                            pieces.text(&format!("route {}", string(&route.value)));
                            self.node(pieces.pieces, indent, line.span());
                            continue;
                        }
                        ExpectLine::Met(met) => {
                            let mut pieces = Pieces::new(self);
                            pieces.text(&format!("met {}", met.kind.name));
                            let records: Vec<&str> =
                                met.records.iter().map(|r| r.name.as_str()).collect();
                            if !records.is_empty() {
                                pieces.text(&format!(" by {}", records.join(", ")));
                            }
                            self.node(pieces.pieces, indent, met.span);
                            continue;
                        }
                    };
                    let mut pieces = Pieces::new(self);
                    pieces.text(&format!("unmet {}", expected.kind.name));
                    if let Some(route) = &expected.route {
                        pieces.text(&format!(" route {}", string(&route.value)));
                    }
                    if let Some(needed) = &expected.needed {
                        pieces.text(&format!(" needed {}", number(needed)));
                    }
                    if let Some(have) = &expected.have {
                        pieces.text(&format!(" have {}", number(have)));
                    }
                    if let Some(message) = &expected.message {
                        pieces.text(&format!(" message {}", string(&message.value)));
                    }
                    self.node(pieces.pieces, indent, expected.span);
                }
            }
        }
    }

    // ---- nodes ----------------------------------------------------------------

    fn item(&mut self, item: &'a Item) {
        let mut pieces = Pieces::new(self);
        match item {
            Item::Role(role) => {
                pieces.text(&format!(
                    "role {} {}",
                    role.id.name,
                    string(&role.title.value)
                ));
                pieces.text(&validity(&role.validity));
                pieces.text(" ");
                pieces.block(&role.body);
            }
            Item::Let(definition) => {
                pieces.text(&format!("let {} = ", definition.name.name));
                match &definition.value {
                    LetValue::List(terms) => pieces.terms(terms),
                    LetValue::Block(block) => pieces.block(block),
                }
            }
            Item::Vocabulary(vocabulary) => {
                pieces.text(&format!("vocabulary {} ", vocabulary.kind.name));
                let body = self.body_after(
                    vocabulary.kind.span.end,
                    vocabulary.span,
                    Contents::Vocabulary(&vocabulary.entries),
                );
                pieces.pieces.push(Piece::Block(body));
            }
            Item::Test(test) => {
                pieces.text(&format!("test {} ", string(&test.name.value)));
                let body = self.body_after(
                    test.name.span.end,
                    test.span,
                    Contents::Test(&test.statements),
                );
                pieces.pieces.push(Piece::Block(body));
            }
        }
        self.node(pieces.pieces, 0, item.span());
    }

    fn statement(&self, statement: &'a Statement) -> Vec<Piece<'a>> {
        let mut pieces = Pieces::new(self);
        match statement {
            Statement::Source(source) => {
                pieces.text(&format!("source {}", string(&source.reference.value)));
                if let Some((trust, _)) = source.trust {
                    pieces.text(&format!(" trust {}", trust.keyword()));
                }
                if let Some(title) = &source.title {
                    pieces.text(&format!(" {}", string(&title.value)));
                }
                if let Some(checked) = &source.checked {
                    pieces.text(&format!(" checked {}", checked.date));
                }
            }
            Statement::Description(text) => {
                pieces.text(&format!("description {}", string(&text.value)))
            }
            Statement::Note(text) => pieces.text(&format!("note {}", string(&text.value))),
            Statement::Cite(text) => pieces.text(&format!("cite {}", string(&text.value))),
            Statement::CliaPosition(position) => {
                // A code that is a plain word stays bare; `CT/GS` keeps its quotes.
                let code = &position.code.value;
                let bare = code.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    && code
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                let code = if bare { code.clone() } else { string(code) };
                pieces.text(&format!(
                    "clia_position {code} {}",
                    position.complexity.name
                ))
            }
            Statement::Route(route) => {
                pieces.text(&format!("route {}", string(&route.name.value)));
                pieces.text(&validity(&route.validity));
                pieces.text(" ");
                pieces.block(&route.body);
            }
            Statement::Condition(condition) => pieces.condition(condition),
        }
        pieces.pieces
    }

    fn test_statement(&self, statement: &'a TestStatement) -> Vec<Piece<'a>> {
        let mut pieces = Pieces::new(self);
        match statement {
            TestStatement::AsOf(date) => pieces.text(&format!("as_of {}", date.date)),
            TestStatement::State(atom) => pieces.text(&format!("state {}", self::atom(atom))),
            TestStatement::ProfileFile(path) => {
                pieces.text(&format!("profile {}", string(&path.value)))
            }
            TestStatement::ProfileInline(profile) => {
                pieces.text(&format!("profile {}", self.raw_string(profile)));
            }
            TestStatement::Expect(expect) => {
                pieces.text(&format!(
                    "expect {} {}",
                    expect.role.name, expect.verdict.name
                ));
                if let Some(lines) = &expect.block {
                    pieces.text(" ");
                    let body = self.body_after(
                        expect.verdict.span.end,
                        expect.span,
                        Contents::Expect(lines),
                    );
                    pieces.pieces.push(Piece::Block(body));
                }
            }
        }
        pieces.pieces
    }

    /// An inline profile exactly as written, `"""` included.
    fn raw_string(&self, text: &Str) -> String {
        let Span { start, end } = text.span;
        match self.source.get(start..end) {
            Some(raw) if raw.len() >= 6 && raw.starts_with("\"\"\"") && raw.ends_with("\"\"\"") => {
                raw.to_string()
            }
            _ => format!("\"\"\"{}\"\"\"", text.value),
        }
    }
}

/// Builds the pieces of a node, merging adjacent text.
struct Pieces<'p, 'a> {
    printer: &'p Printer<'a>,
    pieces: Vec<Piece<'a>>,
}

impl<'p, 'a> Pieces<'p, 'a> {
    fn new(printer: &'p Printer<'a>) -> Self {
        Pieces {
            printer,
            pieces: Vec::new(),
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(Piece::Text(last)) = self.pieces.last_mut() {
            last.push_str(text);
        } else {
            self.pieces.push(Piece::Text(text.to_string()));
        }
    }

    fn list(&mut self, items: impl Iterator<Item = (String, Span)>, span: Span) {
        self.pieces.push(Piece::List(Seq {
            items: items.collect(),
            span,
        }));
    }

    fn tail(&mut self, items: impl Iterator<Item = (String, Span)>) {
        let items: Vec<(String, Span)> = items.collect();
        // From the end of the keyword before the first element, so that a
        // comment between them counts as inside, like one after a `[`.
        let span = match (items.first(), items.last()) {
            (Some((_, first)), Some((_, last))) => {
                Span::new(self.printer.end_before(first.start), last.end)
            }
            _ => Span::default(),
        };
        self.pieces.push(Piece::Tail(Seq { items, span }));
    }

    fn block(&mut self, block: &'a Block) {
        self.pieces.push(Piece::Block(Body {
            open: block.span.start,
            close: block.span.end.saturating_sub(1),
            contents: Contents::Statements(&block.statements),
        }));
    }

    fn terms(&mut self, terms: &Terms) {
        match terms {
            Terms::One(one) => self.text(&atom(one)),
            Terms::Name(name) => self.text(&name.name),
            Terms::List { items, span } => {
                self.list(items.iter().map(|item| (atom(item), item.span)), *span)
            }
        }
    }

    /// ` KEYWORD TERMS` if the clause is there.
    fn clause(&mut self, keyword: &str, terms: &Option<Terms>) {
        if let Some(terms) = terms {
            self.text(&format!(" {keyword} "));
            self.terms(terms);
        }
    }

    fn within(&mut self, within: &Option<Within>) {
        if let Some(within) = within {
            let unit = if within.years.value == 1.0 {
                "year"
            } else {
                "years"
            };
            self.text(&format!(" within {} {unit}", number(&within.years)));
        }
    }

    fn condition(&mut self, condition: &'a Condition) {
        match &condition.kind {
            ConditionKind::Degree(degree) => {
                self.text(&format!("degree >= {}", degree.level.keyword()));
                self.clause("in", &degree.fields);
                self.clause("accredited by", &degree.accredited_by);
                self.within(&degree.within);
            }
            ConditionKind::Program(program) => {
                self.text("program ");
                self.terms(&program.programs);
                self.clause("accredited by", &program.accredited_by);
                self.within(&program.within);
                if program.scheduled.is_some() {
                    self.text(" scheduled");
                }
            }
            ConditionKind::Coursework(coursework) => {
                self.text("coursework");
                if let Some((amount, unit)) = &coursework.minimum {
                    self.text(&format!(" >= {} {}", number(amount), unit.keyword()));
                }
                self.clause("in", &coursework.subjects);
                self.clause("including", &coursework.including);
            }
            ConditionKind::Certification(certification) => {
                self.text("certification ");
                let credential =
                    |name: &CredentialName| format!("{} {}", atom(&name.issuer), atom(&name.name));
                match certification.options.as_slice() {
                    [only] => self.text(&credential(only)),
                    options => {
                        let span = self
                            .printer
                            .brackets(condition.span.start + "certification".len(), options);
                        self.list(
                            options.iter().map(|name| (credential(name), name.span)),
                            span,
                        );
                    }
                }
                if let Some(earned) = &certification.earned {
                    let op = if earned.on_or_after { ">=" } else { "<" };
                    self.text(&format!(" earned {op} {}", earned.date.date));
                }
                if let Some(see) = &certification.see {
                    self.text(&format!(" see {}", see.name));
                }
            }
            ConditionKind::License(license) => {
                match &license.state {
                    LicenseState::Candidate(_) => self.text("license state"),
                    LicenseState::Code(code) => self.text(&format!("license {}", atom(code))),
                }
                if let Some(types) = &license.types {
                    self.text(" ");
                    self.terms(types);
                }
                if let Some(see) = &license.see {
                    self.text(&format!(" see {}", see.name));
                }
            }
            ConditionKind::Experience(experience) => {
                let unit = match experience.unit {
                    ExperienceUnit::Months => "months",
                    ExperienceUnit::Hours => "hours",
                };
                self.text(&format!(
                    "experience >= {} {unit}",
                    number(&experience.amount)
                ));
                if let Some(hours) = &experience.fulltime {
                    self.text(&format!(" fulltime {}", number(hours)));
                }
                let areas = if experience.each_area {
                    "in each of"
                } else {
                    "in"
                };
                self.clause(areas, &experience.areas);
                self.clause("setting", &experience.settings);
                self.clause("as", &experience.jobs);
                self.clause("state", &experience.states);
                if experience.licensed.is_some() {
                    self.text(" licensed");
                }
                self.clause("tagged", &experience.tags);
                self.within(&experience.within);
                match &experience.after {
                    Some(After::Degree { level, .. }) => {
                        self.text(&format!(" after degree >= {}", level.keyword()))
                    }
                    Some(After::Certification(options)) => {
                        let credential = |name: &CredentialName| {
                            format!("{} {}", atom(&name.issuer), atom(&name.name))
                        };
                        let names: Vec<String> = options.iter().map(credential).collect();
                        match names.as_slice() {
                            [only] => self.text(&format!(" after certification {only}")),
                            _ => self.text(&format!(" after certification [{}]", names.join(", "))),
                        }
                    }
                    None => {}
                }
            }
            ConditionKind::Serving(serving) => {
                self.text("serving");
                self.clause("as", &serving.jobs);
                self.clause("in", &serving.areas);
                self.clause("setting", &serving.settings);
                self.clause("state", &serving.states);
                if serving.licensed.is_some() {
                    self.text(" licensed");
                }
                self.clause("tagged", &serving.tags);
                self.text(&format!(" since {}", serving.since.date));
            }
            ConditionKind::AsOf { date, body } => {
                self.text(&format!("as_of {} ", date.date));
                self.block(body);
            }
            ConditionKind::Training(training) => {
                self.text("training ");
                self.terms(&training.programs);
                self.clause("accredited by", &training.accredited_by);
                self.within(&training.within);
                if training.scheduled.is_some() {
                    self.text(" scheduled");
                }
                if !training.minimums.is_empty() {
                    self.text(" where ");
                    self.tail(training.minimums.iter().map(|minimum| {
                        let text = format!(
                            "{} >= {}",
                            minimum.measure.keyword(),
                            number(&minimum.minimum)
                        );
                        (text, minimum.span)
                    }));
                }
            }
            ConditionKind::ContinuingEducation(education) => {
                self.text(&format!(
                    "continuing_education >= {} hours",
                    number(&education.hours)
                ));
                self.clause("in", &education.topics);
                self.within(&education.within);
            }
            ConditionKind::Age(years) => self.text(&format!("age >= {}", number(years))),
            ConditionKind::Role(id) => self.text(&format!("role {}", id.name)),
            ConditionKind::Use(name) => self.text(&format!("use {}", name.name)),
            ConditionKind::StateIn(states) => {
                self.text("state in ");
                self.terms(states);
            }
            ConditionKind::Date { on_or_after, date } => {
                let op = if *on_or_after { ">=" } else { "<" };
                self.text(&format!("date {op} {}", date.date));
            }
            ConditionKind::All(block) => {
                self.text("all ");
                self.block(block);
            }
            ConditionKind::Any(block) => {
                self.text("any ");
                self.block(block);
            }
            ConditionKind::AtLeast { count, body } => {
                self.text(&format!("at least {} of ", number(count)));
                self.block(body);
            }
            ConditionKind::Not(inner) => {
                self.text("not ");
                self.condition(inner);
            }
            ConditionKind::When {
                guard,
                then,
                otherwise,
            } => {
                self.text("when ");
                self.condition(guard);
                self.text(" ");
                self.block(then);
                if let Some(otherwise) = otherwise {
                    self.text(" else ");
                    self.block(otherwise);
                }
            }
            ConditionKind::Unless { guard, then } => {
                self.text("unless ");
                self.condition(guard);
                self.text(" ");
                self.block(then);
            }
        }
    }
}

fn width(text: &str) -> usize {
    text.chars().count()
}

fn validity(validity: &Validity) -> String {
    let mut text = String::new();
    if let Some(from) = &validity.from {
        text.push_str(&format!(" from {}", from.date));
    }
    if let Some(until) = &validity.until {
        text.push_str(&format!(" until {}", until.date));
    }
    text
}

/// A number in its shortest form: `24`, `2.5`.
fn number(number: &Number) -> String {
    // `Display` for f64 is the shortest text that reads back as the same
    // value, without an exponent and without `.0` for whole numbers.
    format!("{}", number.value)
}

/// A bare word as written, a quoted atom as a string.
fn atom(atom: &Atom) -> String {
    if atom.quoted {
        string(&atom.text)
    } else {
        atom.text.clone()
    }
}

/// A string literal with `"`, `\`, line breaks and tabs escaped.
fn string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;
    use crate::profile::DegreeLevel;

    fn format(text: &str) -> String {
        let file = SourceFile::new("test.elig", text);
        format_source(&file).unwrap_or_else(|diagnostics| {
            panic!("{}", crate::diagnostic::render_human(&diagnostics, false))
        })
    }

    /// Formats, and checks that formatting again changes nothing.
    fn stable(text: &str) -> String {
        let once = format(text);
        assert_eq!(format(&once), once, "not idempotent");
        once
    }

    fn number(value: f64) -> Number {
        Number {
            value,
            span: Span::default(),
        }
    }

    fn atom(text: &str, quoted: bool) -> Atom {
        Atom {
            text: text.to_string(),
            quoted,
            span: Span::default(),
        }
    }

    fn condition(kind: ConditionKind) -> Statement {
        Statement::Condition(Condition {
            kind,
            span: Span::default(),
        })
    }

    fn role(statements: Vec<Statement>) -> File {
        File {
            items: vec![Item::Role(Role {
                id: Ident {
                    name: "MLT".into(),
                    span: Span::default(),
                },
                title: Str {
                    value: "Tech \"Level\" 1\\2\nnew\tline".into(),
                    span: Span::default(),
                },
                validity: Validity {
                    from: Some(DateLit {
                        date: Date::new(2020, 1, 1).unwrap(),
                        span: Span::default(),
                    }),
                    until: None,
                },
                body: Block {
                    statements,
                    span: Span::default(),
                },
                span: Span::default(),
            })],
            comments: Vec::new(),
        }
    }

    #[test]
    fn hand_built_tree_prints_canonically_without_source() {
        let experience = Experience {
            amount: number(24.0),
            unit: ExperienceUnit::Months,
            fulltime: Some(number(37.5)),
            areas: Some(Terms::One(atom("chemistry", true))),
            each_area: false,
            settings: Some(Terms::List {
                items: vec![atom("hospital", true), atom("clinic", true)],
                span: Span::default(),
            }),
            jobs: Some(Terms::Name(Ident {
                name: "jobs".into(),
                span: Span::default(),
            })),
            states: Some(Terms::List {
                items: vec![atom("CA", false), atom("New York", true)],
                span: Span::default(),
            }),
            licensed: Some(Span::default()),
            tags: Some(Terms::One(atom("supervised", true))),
            within: Some(Within {
                years: number(1.0),
                span: Span::default(),
            }),
            after: None,
        };
        let degree = Degree {
            level: DegreeLevel::Bachelor,
            level_span: Span::default(),
            fields: None,
            accredited_by: Some(Terms::Name(Ident {
                name: "agencies".into(),
                span: Span::default(),
            })),
            within: Some(Within {
                years: number(10.0),
                span: Span::default(),
            }),
        };
        let file = role(vec![
            condition(ConditionKind::Degree(degree)),
            condition(ConditionKind::Experience(experience)),
            condition(ConditionKind::Any(Block {
                statements: Vec::new(),
                span: Span::default(),
            })),
        ]);
        assert_eq!(
            format_file(&file, ""),
            "role MLT \"Tech \\\"Level\\\" 1\\\\2\\nnew\\tline\" from 2020-01-01 {\n  \
             degree >= bachelor accredited by agencies within 10 years\n  \
             experience >= 24 months fulltime 37.5 in \"chemistry\" setting [\n    \"hospital\",\n    \"clinic\",\n  \
             ] as jobs state [CA, \"New York\"] licensed tagged \"supervised\" within 1 year\n  \
             any {}\n}\n"
        );
    }

    #[test]
    fn empty_file_prints_nothing() {
        let file = File {
            items: Vec::new(),
            comments: Vec::new(),
        };
        assert_eq!(format_file(&file, ""), "");
    }

    #[test]
    fn clauses_are_printed_in_the_canonical_order() {
        assert_eq!(
            stable(
                "role R \"T\" { experience >= 12 months within 5 years tagged \"t\" licensed state CA \
                 as \"j\" setting \"s\" in \"a\" fulltime 40 }"
            ),
            "role R \"T\" {\n  experience >= 12 months fulltime 40 in \"a\" setting \"s\" as \"j\" state CA \
             licensed tagged \"t\" within 5 years\n}\n"
        );
        assert_eq!(
            stable(
                "role R \"T\" from 2020-01-01 { degree >= master within 3 years \
                 accredited by X in \"f\" }"
            )
            .lines()
            .nth(1),
            Some("  degree >= master in \"f\" accredited by X within 3 years")
        );
    }

    #[test]
    fn numbers_are_minimal_and_strings_re_escaped() {
        assert_eq!(
            stable(
                "role R \"a\\tb\" { age >= 018.0 coursework >= 2.50 semester_hours note \"say \\\"hi\\\" \\\\ \\n\" }"
            ),
            "role R \"a\\tb\" {\n  age >= 18\n  coursework >= 2.5 semester_hours\n  note \"say \\\"hi\\\" \\\\ \\n\"\n}\n"
        );
    }

    #[test]
    fn bare_words_stay_bare_and_quoted_atoms_stay_quoted() {
        assert_eq!(
            stable(
                "role R \"T\" { certification [\"ASCP\" MLT, AMT \"MT\"] license \"CA\" [RN, \"LVN\"] }"
            ),
            "role R \"T\" {\n  certification [\"ASCP\" MLT, AMT \"MT\"]\n  license \"CA\" [RN, \"LVN\"]\n}\n"
        );
    }

    #[test]
    fn at_most_one_blank_line_is_kept_and_none_at_block_edges() {
        assert_eq!(
            stable(
                "role R \"T\" {\n\n\n  age >= 18\n\n\n\n  role X\n  role Y\n\n}\n\n\n\nlet x = [a]"
            ),
            "role R \"T\" {\n  age >= 18\n\n  role X\n  role Y\n}\n\nlet x = [a]\n"
        );
    }

    #[test]
    fn top_level_items_are_separated_by_exactly_one_blank_line() {
        assert_eq!(
            stable("let a = [x] let b = [y]\n// about c\n\n\nlet c = [z]"),
            "let a = [x]\n\nlet b = [y]\n\n// about c\n\nlet c = [z]\n"
        );
    }

    #[test]
    fn comments_keep_their_place() {
        let text = "// head\nrole R \"T\" { // header\n  age >= 18 // trailing\n  // own line\n  role X\n  \
                    // last\n}\n// tail\n";
        assert_eq!(stable(text), text);
    }

    #[test]
    fn trailing_comment_after_a_clause_less_condition_stays_trailing() {
        // pest's span of `degree >= bachelor` runs on over the comment.
        let text = "role R \"T\" {\n  degree >= bachelor // why\n  age >= 18\n}\n";
        assert_eq!(stable(text), text);
    }

    #[test]
    fn comment_inside_a_list_breaks_it() {
        assert_eq!(
            stable("let s = [CA, // west\n NY]"),
            "let s = [\n  CA, // west\n  NY,\n]\n"
        );
    }

    #[test]
    fn comment_inside_a_one_line_node_moves_before_it() {
        assert_eq!(
            stable("role R \"T\" {\n  experience >= 1 months // one\n    within 2 years\n}"),
            "role R \"T\" {\n  // one\n  experience >= 1 months within 2 years\n}\n"
        );
    }

    #[test]
    fn comments_in_empty_blocks_stay_inside() {
        assert_eq!(
            stable("role R \"T\" { all {\n// nothing yet\n} any { // todo\n} }"),
            "role R \"T\" {\n  all {\n    // nothing yet\n  }\n  any { // todo\n  }\n}\n"
        );
    }

    #[test]
    fn only_comments() {
        let text = "\n\n// one   \n\t// two\n\n\n// three\n";
        let (file, _) = crate::syntax::parse_recovering(&SourceFile::new("c.elig", text));
        assert_eq!(format_file(&file, text), "// one\n// two\n\n// three\n");
    }

    #[test]
    fn inline_profiles_are_kept_verbatim() {
        let text = "test \"t\" {\n  profile \"\"\"\n    { \"state\":  \"CA\" }   \n\"\"\"\n  expect R eligible\n}\n";
        assert_eq!(stable(text), text);
    }

    #[test]
    fn long_tails_break_one_element_per_line() {
        let aliases: Vec<String> = (0..8).map(|n| format!("\"alias number {n}\"")).collect();
        let text = format!("vocabulary field {{ \"term\" aka {} }}", aliases.join(", "));
        let expected = format!(
            "vocabulary field {{\n  \"term\" aka\n{}\n}}\n",
            aliases
                .iter()
                .map(|a| format!("    {a}"))
                .collect::<Vec<_>>()
                .join(",\n")
        );
        assert_eq!(stable(&text), expected);
    }
}
