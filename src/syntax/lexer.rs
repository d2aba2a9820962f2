//! The one lexer of the rule language: every consumer that needs to know
//! where comments, strings, braces and items are (parser recovery, the
//! nesting guard, `fmt`, the loader, the language server) asks this module
//! instead of scanning the text itself. It never fails: any byte sequence
//! lexes into tokens that tile the text exactly, so spans are exact.

use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Spaces, tabs, line breaks and the byte-order mark.
    Whitespace,
    /// `// …` up to (not including) the line break.
    Comment,
    /// `"…"` on one line; unterminated, it ends at the line break.
    String,
    /// `"""…"""` over any lines; unterminated, it runs to the end of file.
    RawString,
    /// A name, keyword or role id: `[A-Za-z0-9_][A-Za-z0-9_-]*` that is
    /// neither a number nor a date.
    Word,
    /// `12` or `1.5`.
    Number,
    /// `2024-12-28`.
    Date,
    OpenBrace,
    CloseBrace,
    /// Any other character: `[`, `]`, `,`, `>=` (one token per operator).
    Punct,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

impl Token {
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.span.start..self.span.end]
    }

    /// Neither white space nor a comment.
    pub fn is_significant(&self) -> bool {
        !matches!(self.kind, TokenKind::Whitespace | TokenKind::Comment)
    }
}

fn is_ident_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-'
}

/// Every token of `text`, in order; their spans tile the text.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let (kind, len) = next(&text[at..]);
        tokens.push(Token {
            kind,
            span: Span::new(at, at + len),
        });
        at += len;
    }
    tokens
}

/// The token that starts `rest`, and its length in bytes (never 0).
fn next(rest: &str) -> (TokenKind, usize) {
    let bytes = rest.as_bytes();
    match bytes[0] {
        b' ' | b'\t' | b'\r' | b'\n' => {
            let len = rest
                .find(|c: char| !matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{FEFF}'))
                .unwrap_or(rest.len());
            (TokenKind::Whitespace, len)
        }
        b'/' if bytes.get(1) == Some(&b'/') => {
            let line = rest.find('\n').unwrap_or(rest.len());
            // The `\r` of a CRLF line break is not part of the comment.
            let len = rest[..line].trim_end_matches('\r').len();
            (TokenKind::Comment, len.max(2))
        }
        b'"' if rest.starts_with("\"\"\"") => {
            let len = rest[3..].find("\"\"\"").map_or(rest.len(), |end| end + 6);
            (TokenKind::RawString, len)
        }
        b'"' => {
            let mut i = 1;
            while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            let len = if bytes.get(i) == Some(&b'"') {
                i + 1
            } else {
                i.min(bytes.len())
            };
            // An escape before a multi-byte character must not split it.
            let mut len = len;
            while !rest.is_char_boundary(len) {
                len += 1;
            }
            (TokenKind::String, len)
        }
        b'{' => (TokenKind::OpenBrace, 1),
        b'}' => (TokenKind::CloseBrace, 1),
        byte if is_ident_char(byte) && byte != b'-' => {
            let len = bytes
                .iter()
                .position(|&b| !is_ident_char(b))
                .unwrap_or(bytes.len());
            let word = &rest[..len];
            if is_date(word) {
                (TokenKind::Date, len)
            } else if word.bytes().all(|b| b.is_ascii_digit()) {
                // `1.5`: the fraction belongs to the number.
                let fraction = rest[len..]
                    .strip_prefix('.')
                    .map(|after| after.bytes().take_while(u8::is_ascii_digit).count())
                    .unwrap_or(0);
                let after = len + 1 + fraction;
                if fraction > 0 && !bytes.get(after).is_some_and(|&b| is_ident_char(b)) {
                    (TokenKind::Number, after)
                } else {
                    (TokenKind::Number, len)
                }
            } else {
                (TokenKind::Word, len)
            }
        }
        _ => {
            for operator in [">=", "=>", "==", "<=", "=<", "!=", "&&", "||"] {
                if rest.starts_with(operator) {
                    return (TokenKind::Punct, 2);
                }
            }
            let len = rest.chars().next().map_or(1, char::len_utf8);
            if rest.starts_with('\u{FEFF}') {
                return (TokenKind::Whitespace, len);
            }
            (TokenKind::Punct, len)
        }
    }
}

fn is_date(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}

/// The significant tokens with the brace depth before each (the depth a
/// `}` closes to is its own depth minus one).
pub fn with_depth(tokens: &[Token]) -> impl Iterator<Item = (Token, usize)> + '_ {
    let mut depth = 0usize;
    tokens
        .iter()
        .filter(|t| t.is_significant())
        .map(move |&token| {
            let before = depth;
            match token.kind {
                TokenKind::OpenBrace => depth += 1,
                TokenKind::CloseBrace => depth = depth.saturating_sub(1),
                _ => {}
            }
            (token, before)
        })
}

/// Whether the token starts its line (nothing but the line break before it).
pub fn starts_line(text: &str, token: &Token) -> bool {
    token.span.start == 0 || text.as_bytes()[token.span.start - 1] == b'\n'
}

/// Byte ranges of the top-level items: a chunk starts where an item
/// keyword (`role`, `let`, `vocabulary`, `test`) begins a line outside every
/// brace; the first chunk starts at 0 and the chunks tile the text.
pub fn item_chunks(text: &str, tokens: &[Token]) -> Vec<(usize, usize)> {
    let mut starts = vec![0];
    for (token, depth) in with_depth(tokens) {
        if depth == 0
            && token.kind == TokenKind::Word
            && token.span.start > 0
            && starts_line(text, &token)
            && super::keywords::starts_item(token.text(text))
        {
            starts.push(token.span.start);
        }
    }
    let ends = starts.iter().skip(1).copied().chain([text.len()]);
    starts.iter().copied().zip(ends).collect()
}

/// The opening braces never closed in `tokens`, outermost first.
pub fn unclosed_braces(tokens: &[Token]) -> Vec<usize> {
    let mut open = Vec::new();
    for token in tokens {
        match token.kind {
            TokenKind::OpenBrace => open.push(token.span.start),
            TokenKind::CloseBrace => {
                open.pop();
            }
            _ => {}
        }
    }
    open
}

/// The index of the token that contains byte `offset` (the one that starts
/// there when `offset` is a boundary).
pub fn token_index_at(tokens: &[Token], offset: usize) -> Option<usize> {
    let index = tokens.partition_point(|t| t.span.end <= offset);
    tokens
        .get(index)
        .filter(|t| t.span.start <= offset)
        .map(|_| index)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        tokens(text)
            .into_iter()
            .filter(Token::is_significant)
            .map(|t| (t.kind, t.text(text)))
            .collect()
    }

    #[test]
    fn tokens_tile_the_text() {
        for text in [
            "role a \"A\" { degree >= bachelor } // c\r\n",
            "\"unterminated\n{",
            "\"\"\"never closed {",
            "\"esc\\",
            "\"é\\é\"",
            "x\u{FEFF}y",
            "1.5 1. 12-3 2024-02-29 2024-02-29x",
        ] {
            let all = tokens(text);
            let mut at = 0;
            for token in &all {
                assert_eq!(token.span.start, at, "{text:?}");
                assert!(token.span.end > token.span.start);
                at = token.span.end;
            }
            assert_eq!(at, text.len(), "{text:?}");
        }
    }

    #[test]
    fn words_numbers_dates_and_operators() {
        assert_eq!(
            kinds("ascp-mls 1.5 2 2024-12-28 >= [a, \"b c\"]"),
            vec![
                (TokenKind::Word, "ascp-mls"),
                (TokenKind::Number, "1.5"),
                (TokenKind::Number, "2"),
                (TokenKind::Date, "2024-12-28"),
                (TokenKind::Punct, ">="),
                (TokenKind::Punct, "["),
                (TokenKind::Word, "a"),
                (TokenKind::Punct, ","),
                (TokenKind::String, "\"b c\""),
                (TokenKind::Punct, "]"),
            ]
        );
    }

    #[test]
    fn comments_and_strings_hide_braces() {
        let text = "a { // }\n \"}\" \"\"\"\n}\n\"\"\" }";
        let braces: Vec<_> = kinds(text)
            .into_iter()
            .filter(|(k, _)| matches!(k, TokenKind::OpenBrace | TokenKind::CloseBrace))
            .collect();
        assert_eq!(braces.len(), 2);
        assert!(unclosed_braces(&tokens(text)).is_empty());
    }

    /// The old recovery counted braces line by line without knowing `"""`
    /// strings, so a `}` or an item keyword inside one split the file in
    /// the wrong place.
    #[test]
    fn raw_strings_inside_braces_do_not_split_items() {
        let text = "role a \"A\" {\n  description \"\"\"\nrole b is {\n}\n\"\"\"\n  degree >= bachelor\n}\nrole c \"C\" {\n}\n";
        let chunks = item_chunks(text, &tokens(text));
        let starts: Vec<&str> = chunks.iter().map(|&(s, _)| &text[s..s + 6]).collect();
        assert_eq!(starts, ["role a", "role c"]);
    }

    #[test]
    fn items_start_only_at_line_start_outside_braces() {
        let text =
            "// role x\nrole a \"A\" {\nrole b\n}\n  let c = [d]\nlet e = [f]\ntest \"t\" {}\n";
        let chunks = item_chunks(text, &tokens(text));
        let starts: Vec<&str> = chunks
            .iter()
            .map(|&(s, _)| text[s..].lines().next().unwrap_or(""))
            .collect();
        assert_eq!(
            starts,
            [
                "// role x",
                "role a \"A\" {",
                "let e = [f]",
                "test \"t\" {}"
            ],
            "`role b` and the indented `let` start no item"
        );
    }

    #[test]
    fn token_lookup_by_offset() {
        let text = "role ab";
        let all = tokens(text);
        assert_eq!(
            token_index_at(&all, 6).map(|i| all[i].text(text)),
            Some("ab")
        );
        assert_eq!(
            token_index_at(&all, 5).map(|i| all[i].text(text)),
            Some("ab")
        );
        assert_eq!(token_index_at(&all, 7), None);
    }
}
