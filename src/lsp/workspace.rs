//! What the language server knows: the open buffers, which rule set each
//! belongs to, and for each rule set an analysis — every file parsed and
//! lexed, the rule checker's diagnostics (the same as `lint`'s) and the
//! names defined (roles, `let`s, vocabulary terms) with their places.

use crate::diagnostic::Diagnostic;
use crate::loader;
use crate::ruleset::RuleSet;
use crate::source::{SourceFile, Span};
use crate::syntax::ast::{self, Item, LetValue, VocabularyEntry};
use crate::syntax::lexer::{self, Token, TokenKind};
use lsp_types::{Position, Range};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One rule file of an analysis.
pub struct Parsed {
    pub path: PathBuf,
    pub source: SourceFile,
    pub ast: ast::File,
    pub tokens: Vec<Token>,
}

/// A name defined in a rule set, and where.
#[derive(Clone, Debug)]
pub enum Definition {
    Role {
        file: usize,
        span: Span,
        title: String,
    },
    Let {
        file: usize,
        span: Span,
        item: Span,
    },
    Term {
        file: usize,
        span: Span,
        kind: String,
        term: String,
        aliases: Vec<String>,
    },
    Group {
        file: usize,
        span: Span,
        kind: String,
        members: Vec<String>,
    },
}

impl Definition {
    pub fn place(&self) -> (usize, Span) {
        match self {
            Definition::Role { file, span, .. }
            | Definition::Let { file, span, .. }
            | Definition::Term { file, span, .. }
            | Definition::Group { file, span, .. } => (*file, *span),
        }
    }
}

/// A rule set (or a lone rule file), analysed once per change.
pub struct Analysis {
    /// The rule set's folder, or the lone file.
    pub key: PathBuf,
    /// `key` is a rule set's folder (else a file checked alone).
    pub is_set: bool,
    pub files: Vec<Parsed>,
    pub diagnostics: Vec<Diagnostic>,
    /// The checked rule set; `None` while it has errors.
    pub rules: Option<Arc<RuleSet>>,
    /// Role ids and `let` names (case-sensitive, as the checker resolves them).
    pub names: BTreeMap<String, Definition>,
    /// Vocabulary terms, aliases and groups, lower-cased.
    pub terms: BTreeMap<String, Vec<Definition>>,
}

impl Analysis {
    pub fn file_index(&self, path: &Path) -> Option<usize> {
        self.files.iter().position(|f| f.path == path)
    }

    /// What a word names: a role or `let`, else vocabulary terms or groups.
    pub fn resolve(&self, word: &str) -> Vec<&Definition> {
        if let Some(definition) = self.names.get(word) {
            return vec![definition];
        }
        self.terms
            .get(&word.to_lowercase())
            .map(|all| all.iter().collect())
            .unwrap_or_default()
    }

    /// Every place a word with the same meaning as `word` is written.
    pub fn references(&self, word: &str) -> Vec<(usize, Span)> {
        let target = self.resolve(word);
        let Some(first) = target.first() else {
            return Vec::new();
        };
        // A term is also referred to by its aliases.
        let spellings: Vec<String> = match first {
            Definition::Term { term, aliases, .. } => std::iter::once(term.to_lowercase())
                .chain(aliases.iter().map(|a| a.to_lowercase()))
                .collect(),
            _ => vec![word.to_string()],
        };
        let is_term = matches!(first, Definition::Term { .. } | Definition::Group { .. });
        let mut places = Vec::new();
        for (index, file) in self.files.iter().enumerate() {
            for token in &file.tokens {
                if !matches!(token.kind, TokenKind::Word | TokenKind::String) {
                    continue;
                }
                let text = unquoted(token.text(&file.source.text));
                let matches = if is_term {
                    spellings.iter().any(|s| *s == text.to_lowercase())
                } else {
                    token.kind == TokenKind::Word && text == word
                };
                if matches {
                    places.push((index, inner_span(token, &file.source.text)));
                }
            }
        }
        places
    }
}

/// A string token without its quotes; any other token as it is.
pub fn unquoted(text: &str) -> &str {
    text.strip_prefix('"')
        .map(|rest| rest.strip_suffix('"').unwrap_or(rest))
        .unwrap_or(text)
}

/// The span of a token's value: a string's without its quotes.
pub fn inner_span(token: &Token, text: &str) -> Span {
    let value = token.text(text);
    if token.kind == TokenKind::String && value.len() >= 2 && value.ends_with('"') {
        Span::new(token.span.start + 1, token.span.end - 1)
    } else {
        token.span
    }
}

/// The word or string under the cursor (or just before it, at a word's end).
pub fn token_at(file: &Parsed, offset: usize) -> Option<Token> {
    let pick = |offset: usize| {
        lexer::token_index_at(&file.tokens, offset)
            .map(|index| file.tokens[index])
            .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::String))
    };
    pick(offset).or_else(|| offset.checked_sub(1).and_then(pick))
}

/// Reads every rule file of the set at `key` (the open buffers instead of
/// the disk where a file is open), and checks them as `lint` does.
pub fn analyse(key: &Path, is_set: bool, open: &BTreeMap<PathBuf, String>) -> Analysis {
    let mut unreadable = Vec::new();
    let mut paths: Vec<PathBuf> = if is_set {
        loader::find_rule_files(key).unwrap_or_else(|diagnostic| {
            unreadable.push(*diagnostic);
            Vec::new()
        })
    } else {
        vec![key.to_path_buf()]
    };
    // Unsaved new files of the folder.
    if is_set {
        for path in open.keys() {
            if path.starts_with(key)
                && path.extension().is_some_and(|e| e == "elig")
                && !paths.contains(path)
            {
                paths.push(path.clone());
            }
        }
    }
    paths.sort();
    let mut sources = Vec::new();
    for path in &paths {
        let source = match open.get(path) {
            // A buffer is held to the size limit of a file on disk.
            Some(text) if text.len() as u64 > loader::MAX_FILE_BYTES => {
                Err(loader::refused(path, &loader::ReadError::TooLarge))
            }
            Some(text) => Ok(SourceFile::new(path.display().to_string(), text.as_str())),
            None => loader::read_source(path),
        };
        match source {
            Ok(source) => sources.push((path.clone(), source)),
            Err(diagnostic) => unreadable.push(*diagnostic),
        }
    }
    let root = is_set.then_some(key);
    let (loaded, parsed) =
        loader::check_workspace(sources.iter().map(|(_, s)| s.clone()).collect(), root);
    // The checker's syntax trees, in the order given: no second parse.
    let files: Vec<Parsed> = sources
        .into_iter()
        .zip(parsed)
        .map(|((path, source), parsed)| {
            let ast = parsed.ast;
            let tokens = lexer::tokens(&source.text);
            Parsed {
                path,
                source,
                ast,
                tokens,
            }
        })
        .collect();
    let (names, terms) = definitions(&files);
    let mut diagnostics = unreadable;
    diagnostics.extend(loaded.diagnostics);
    Analysis {
        key: key.to_path_buf(),
        is_set,
        files,
        diagnostics,
        rules: loaded.rules.map(Arc::new),
        names,
        terms,
    }
}

type Definitions = (
    BTreeMap<String, Definition>,
    BTreeMap<String, Vec<Definition>>,
);

fn definitions(files: &[Parsed]) -> Definitions {
    let mut names = BTreeMap::new();
    let mut terms: BTreeMap<String, Vec<Definition>> = BTreeMap::new();
    for (file, parsed) in files.iter().enumerate() {
        for item in &parsed.ast.items {
            match item {
                Item::Role(role) => {
                    names
                        .entry(role.id.name.clone())
                        .or_insert(Definition::Role {
                            file,
                            span: role.id.span,
                            title: role.title.value.clone(),
                        });
                }
                Item::Let(item) => {
                    names
                        .entry(item.name.name.clone())
                        .or_insert(Definition::Let {
                            file,
                            span: item.name.span,
                            item: item.span,
                        });
                }
                Item::Vocabulary(vocabulary) => {
                    let kind = vocabulary.kind.name.clone();
                    for entry in &vocabulary.entries {
                        match entry {
                            VocabularyEntry::Term { term, aliases, .. } => {
                                let definition = Definition::Term {
                                    file,
                                    span: term.span,
                                    kind: kind.clone(),
                                    term: term.value.clone(),
                                    aliases: aliases.iter().map(|a| a.value.clone()).collect(),
                                };
                                for spelling in std::iter::once(term).chain(aliases) {
                                    terms
                                        .entry(spelling.value.to_lowercase())
                                        .or_default()
                                        .push(definition.clone());
                                }
                            }
                            VocabularyEntry::Group { name, members, .. } => {
                                terms.entry(name.value.to_lowercase()).or_default().push(
                                    Definition::Group {
                                        file,
                                        span: name.span,
                                        kind: kind.clone(),
                                        members: members.iter().map(|m| m.value.clone()).collect(),
                                    },
                                );
                            }
                        }
                    }
                }
                Item::Test(_) => {}
            }
        }
    }
    (names, terms)
}

/// Whether a `let` is a list or a block, for completion details.
pub fn let_kind(file: &Parsed, name: &str) -> Option<&'static str> {
    file.ast.items.iter().find_map(|item| match item {
        Item::Let(item) if item.name.name == name => Some(match item.value {
            LetValue::List(_) => "list",
            LetValue::Block(_) => "block",
        }),
        _ => None,
    })
}

// ---- positions: byte offsets ↔ the protocol's UTF-16 line/character ----------

pub fn position(text: &str, offset: usize) -> Position {
    let offset = floor_boundary(text, offset.min(text.len()));
    let line_start = text[..offset].rfind('\n').map_or(0, |n| n + 1);
    let line = text[..line_start].matches('\n').count();
    let character = text[line_start..offset].encode_utf16().count();
    Position::new(line as u32, character as u32)
}

pub fn range(text: &str, span: Span) -> Range {
    Range::new(position(text, span.start), position(text, span.end))
}

/// The byte offset of a position, clamped to its line and to the text.
pub fn offset(text: &str, position: Position) -> usize {
    let mut line_start = 0;
    for _ in 0..position.line {
        match text[line_start..].find('\n') {
            Some(n) => line_start += n + 1,
            None => return text.len(),
        }
    }
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |n| line_start + n);
    let mut units = 0u32;
    for (index, c) in text[line_start..line_end].char_indices() {
        if units >= position.character {
            return line_start + index;
        }
        units += c.len_utf16() as u32;
    }
    line_end
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_and_round_trip() {
        let text = "ab\n\u{e9}\u{1F600}x\r\nlast";
        for byte in [0, 1, 2, 3, 5, 9, 10, 12, 16] {
            let at = position(text, byte);
            assert_eq!(offset(text, at), byte, "{byte} {at:?}");
        }
        assert_eq!(
            position(text, 9),
            Position::new(1, 3),
            "é is 1 unit, 😀 is 2"
        );
        assert_eq!(offset(text, Position::new(9, 0)), text.len());
        assert_eq!(offset(text, Position::new(0, 99)), 2, "clamped to the line");
    }
}
