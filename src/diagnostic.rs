//! The one user-facing error type. Every phase (rule parsing, checking, profile
//! loading, command-line arguments) reports problems as `Diagnostic`s; rendering
//! happens only at the edge, in `render_human` or `to_json`.

use crate::source::{SourceFile, Span};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

/// What kind of problem a diagnostic reports: a stable name for programs
/// (the JSON `code`, kebab-case) and for tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Code {
    Comparison,
    Contradiction,
    Cycle,
    Date,
    Duplicate,
    DuplicateClause,
    DuplicateField,
    DuplicateId,
    DuplicateName,
    EmptyBlock,
    EmptyFile,
    EmptyList,
    EmptyProfile,
    FutureBirthDate,
    HardLinks,
    Incomplete,
    InvalidDate,
    InvalidValue,
    Io,
    JsonLines,
    Misplaced,
    MissingField,
    MissingRole,
    MissingSource,
    Nesting,
    NoProfiles,
    NoRules,
    NoThreads,
    NotAFile,
    NotAnObject,
    NotUtf8,
    Owner,
    Range,
    ReadOnly,
    RoleId,
    Syntax,
    TestProfile,
    TooLarge,
    Type,
    Unit,
    UnknownField,
    UnknownKeyword,
    UnknownName,
    UnknownState,
    UnknownTerm,
    UnknownValue,
    Unreachable,
    UnreadableFile,
    UnreadableInput,
    Usage,
    WeakSources,
    WrongType,
}

impl Code {
    /// Every code, for documentation and tests.
    pub const ALL: [Code; 52] = [
        Code::Comparison,
        Code::Contradiction,
        Code::Cycle,
        Code::Date,
        Code::Duplicate,
        Code::DuplicateClause,
        Code::DuplicateField,
        Code::DuplicateId,
        Code::DuplicateName,
        Code::EmptyBlock,
        Code::EmptyFile,
        Code::EmptyList,
        Code::EmptyProfile,
        Code::FutureBirthDate,
        Code::HardLinks,
        Code::Incomplete,
        Code::InvalidDate,
        Code::InvalidValue,
        Code::Io,
        Code::JsonLines,
        Code::Misplaced,
        Code::MissingField,
        Code::MissingRole,
        Code::MissingSource,
        Code::Nesting,
        Code::NoProfiles,
        Code::NoRules,
        Code::NoThreads,
        Code::NotAFile,
        Code::NotAnObject,
        Code::NotUtf8,
        Code::Owner,
        Code::Range,
        Code::ReadOnly,
        Code::RoleId,
        Code::Syntax,
        Code::TestProfile,
        Code::TooLarge,
        Code::Type,
        Code::Unit,
        Code::UnknownField,
        Code::UnknownKeyword,
        Code::UnknownName,
        Code::UnknownState,
        Code::UnknownTerm,
        Code::UnknownValue,
        Code::Unreachable,
        Code::UnreadableFile,
        Code::UnreadableInput,
        Code::Usage,
        Code::WeakSources,
        Code::WrongType,
    ];

    /// The wire name: `unknown-name`, `not-utf8`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Comparison => "comparison",
            Code::Contradiction => "contradiction",
            Code::Cycle => "cycle",
            Code::Date => "date",
            Code::Duplicate => "duplicate",
            Code::DuplicateClause => "duplicate-clause",
            Code::DuplicateField => "duplicate-field",
            Code::DuplicateId => "duplicate-id",
            Code::DuplicateName => "duplicate-name",
            Code::EmptyBlock => "empty-block",
            Code::EmptyFile => "empty-file",
            Code::EmptyList => "empty-list",
            Code::EmptyProfile => "empty-profile",
            Code::FutureBirthDate => "future-birth-date",
            Code::HardLinks => "hard-links",
            Code::Incomplete => "incomplete",
            Code::InvalidDate => "invalid-date",
            Code::InvalidValue => "invalid-value",
            Code::Io => "io",
            Code::JsonLines => "json-lines",
            Code::Misplaced => "misplaced",
            Code::MissingField => "missing-field",
            Code::MissingRole => "missing-role",
            Code::MissingSource => "missing-source",
            Code::Nesting => "nesting",
            Code::NoProfiles => "no-profiles",
            Code::NoRules => "no-rules",
            Code::NoThreads => "no-threads",
            Code::NotAFile => "not-a-file",
            Code::NotAnObject => "not-an-object",
            Code::NotUtf8 => "not-utf8",
            Code::Owner => "owner",
            Code::Range => "range",
            Code::ReadOnly => "read-only",
            Code::RoleId => "role-id",
            Code::Syntax => "syntax",
            Code::TestProfile => "test-profile",
            Code::TooLarge => "too-large",
            Code::Type => "type",
            Code::Unit => "unit",
            Code::UnknownField => "unknown-field",
            Code::UnknownKeyword => "unknown-keyword",
            Code::UnknownName => "unknown-name",
            Code::UnknownState => "unknown-state",
            Code::UnknownTerm => "unknown-term",
            Code::UnknownValue => "unknown-value",
            Code::Unreachable => "unreachable",
            Code::UnreadableFile => "unreadable-file",
            Code::UnreadableInput => "unreadable-input",
            Code::Usage => "usage",
            Code::WeakSources => "weak-sources",
            Code::WrongType => "wrong-type",
        }
    }

    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|code| code.as_str() == name)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A located problem: what is wrong, where, and how to fix it.
///
/// Messages are lower-case without a trailing period, user input in backticks;
/// detail belongs in `help`. A backticked value longer than [`MAX_QUOTED`]
/// characters is shortened with "…" when the diagnostic is built, so a
/// 10 MB value in a profile never becomes a 10 MB message.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable kebab-case name of the kind of problem, e.g. `unknown-name`.
    pub code: Code,
    pub message: String,
    pub file: Option<SourceFile>,
    pub span: Option<Span>,
    pub label: Option<String>,
    /// Other places that explain the problem, each with its label.
    pub secondary: Vec<(Span, String)>,
    pub help: Option<String>,
    pub notes: Vec<String>,
}

/// The most characters of one backticked value a message echoes.
pub const MAX_QUOTED: usize = 80;

/// `value` itself, or its first characters and "…" when it is longer than
/// [`MAX_QUOTED`] characters.
pub fn shorten(value: &str) -> std::borrow::Cow<'_, str> {
    match value.char_indices().nth(MAX_QUOTED) {
        None => value.into(),
        Some(_) => {
            let end = value
                .char_indices()
                .nth(MAX_QUOTED - 1)
                .map_or(value.len(), |(index, _)| index);
            format!("{}…", &value[..end]).into()
        }
    }
}

/// Shortens every backticked part of `text` longer than [`MAX_QUOTED`].
fn shorten_quoted(text: String) -> String {
    if text.len() <= MAX_QUOTED + 2 {
        return text;
    }
    let pieces: Vec<&str> = text.split('`').collect();
    // Odd pieces are quoted, except a last one that no backtick closes.
    let closed = if pieces.len() % 2 == 1 {
        pieces.len()
    } else {
        pieces.len() - 1
    };
    let quoted = |index: usize| index % 2 == 1 && index < closed;
    let too_long = pieces
        .iter()
        .enumerate()
        .any(|(index, piece)| quoted(index) && piece.chars().nth(MAX_QUOTED).is_some());
    if !too_long {
        return text;
    }
    let mut out = String::new();
    for (index, piece) in pieces.iter().enumerate() {
        if index > 0 {
            out.push('`');
        }
        if quoted(index) {
            out.push_str(&shorten(piece));
        } else {
            out.push_str(piece);
        }
    }
    out
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: shorten_quoted(message.into()),
            file: None,
            span: None,
            label: None,
            secondary: Vec::new(),
            help: None,
            notes: Vec::new(),
        }
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Points the diagnostic at `span` of `file`.
    pub fn at(mut self, file: &SourceFile, span: Span) -> Diagnostic {
        self.file = Some(file.clone());
        self.span = Some(span);
        self
    }

    /// Names the file without pointing into it.
    pub fn in_file(mut self, file: &SourceFile) -> Diagnostic {
        self.file = Some(file.clone());
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(shorten_quoted(label.into()));
        self
    }

    pub fn secondary(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        self.secondary.push((span, shorten_quoted(label.into())));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(shorten_quoted(help.into()));
        self
    }

    pub fn maybe_help(self, help: Option<String>) -> Diagnostic {
        match help {
            Some(help) => self.help(help),
            None => self,
        }
    }

    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(shorten_quoted(note.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:column` of the primary span, or the bare path, or nothing.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_ref()?;
        Some(match self.span {
            Some(span) => {
                let (line, column) = file.line_col(span.start);
                format!("{}:{line}:{column}", file.name)
            }
            None => file.name.clone(),
        })
    }

    /// The wire form used by `--format json`.
    pub fn to_json(&self) -> serde_json::Value {
        let position = |offset: usize| {
            self.file.as_ref().map(|file| {
                let (line, column) = file.line_col(offset);
                serde_json::json!({ "line": line, "column": column })
            })
        };
        serde_json::json!({
            "severity": self.severity,
            "code": self.code.as_str(),
            "message": self.message,
            "file": self.file.as_ref().map(|f| f.name.clone()),
            "start": self.span.and_then(|s| position(s.start)),
            "end": self.span.and_then(|s| position(s.end)),
            "label": self.label,
            "help": self.help,
            "notes": self.notes,
        })
    }
}

/// Renders diagnostics the way rustc does: header, `--> path:line:col`, the
/// source line with a caret and label, then `help:` and `note:` lines.
pub fn render_human(diagnostics: &[Diagnostic], color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for diagnostic in diagnostics {
        out.push_str(&render_one(&for_terminal(diagnostic), &renderer));
        out.push('\n');
    }
    out
}

/// `diagnostic` with every backticked value (user input) escaped for a
/// terminal ([`crate::render::terminal_safe`]): a newline or an escape
/// sequence in a profile value neither drives the terminal nor breaks the
/// message's layout.
fn for_terminal(diagnostic: &Diagnostic) -> Diagnostic {
    fn escape_quoted(text: &str) -> String {
        text.split('`')
            .enumerate()
            .map(|(index, piece)| {
                if index % 2 == 1 {
                    crate::render::terminal_safe(piece)
                } else {
                    piece.into()
                }
            })
            .collect::<Vec<_>>()
            .join("`")
    }
    let mut safe = diagnostic.clone();
    safe.message = escape_quoted(&safe.message);
    safe.label = safe.label.as_deref().map(escape_quoted);
    safe.help = safe.help.as_deref().map(escape_quoted);
    safe.notes = safe.notes.iter().map(|note| escape_quoted(note)).collect();
    for (_, label) in &mut safe.secondary {
        *label = escape_quoted(label);
    }
    if let Some(file) = &mut safe.file
        && let std::borrow::Cow::Owned(name) = crate::render::terminal_safe(&file.name)
    {
        file.name = name;
    }
    safe
}

fn render_one(diagnostic: &Diagnostic, renderer: &Renderer) -> String {
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let mut group: Group<'_> = Group::with_title(level.primary_title(diagnostic.message.as_str()));
    match (&diagnostic.file, diagnostic.span) {
        (Some(file), Some(span)) => {
            let clamp = |s: Span| {
                let end = s.end.min(file.text.len());
                s.start.min(end)..end
            };
            let mut primary = AnnotationKind::Primary.span(clamp(span));
            if let Some(label) = &diagnostic.label {
                primary = primary.label(label.as_str());
            }
            let mut snippet = Snippet::source(&*file.text)
                .path(file.name.as_str())
                .fold(true)
                .annotation(primary);
            for (span, label) in &diagnostic.secondary {
                snippet = snippet.annotation(
                    AnnotationKind::Context
                        .span(clamp(*span))
                        .label(label.as_str()),
                );
            }
            group = group.element(snippet);
        }
        (Some(file), None) => {
            group = group.element(annotate_snippets::Origin::path(file.name.as_str()));
        }
        _ => {}
    }
    if let Some(label) = diagnostic
        .label
        .as_ref()
        .filter(|_| diagnostic.span.is_none())
    {
        group = group.element(Level::NOTE.message(label.as_str()));
    }
    for note in &diagnostic.notes {
        group = group.element(Level::NOTE.message(note.as_str()));
    }
    if let Some(help) = &diagnostic.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    renderer.render(&[group])
}

/// The candidate closest to `word` by edit distance, if it is close enough to
/// be a plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    // The lengths differ by at least the distance: a word far longer (or
    // shorter) than a candidate is never compared with it, so a 10 MB value
    // costs one pass to count its characters and nothing more.
    let length = word.chars().count();
    let limit = (length / 3).max(1) + usize::from(length > 6);
    let mut word_lower = None;
    candidates
        .into_iter()
        .filter(|candidate| candidate.chars().count().abs_diff(length) <= limit)
        .map(|candidate| {
            let word_lower = word_lower.get_or_insert_with(|| word.to_lowercase());
            (
                edit_distance(word_lower, &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, candidate)| candidate)
}

/// Formats a did-you-mean help line, or nothing.
pub fn suggestion<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    did_you_mean(word, candidates).map(|best| format!("did you mean `{best}`?"))
}

/// The word a [`suggestion`] proposes, read back from its help, so an editor
/// can offer it as a quick fix. Kept beside `suggestion`: one format.
pub fn suggested_replacement(help: &str) -> Option<&str> {
    let word = help.strip_prefix("did you mean `")?.strip_suffix("`?")?;
    (!word.is_empty() && !word.contains('`') && !word.ends_with('…')).then_some(word)
}

/// Edit distance over characters where swapping two neighbours counts as
/// one edit (optimal string alignment), so `feild` is one edit from `field`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows of the table (the one before last is needed for swaps), so
    // memory is linear in the shorter word's length.
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current: Vec<usize> = vec![0; width];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_have_unique_kebab_case_names() {
        let mut seen = std::collections::HashSet::new();
        for code in super::Code::ALL {
            let name = code.as_str();
            assert!(seen.insert(name), "{name} twice");
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{name}"
            );
            assert_eq!(super::Code::from_name(name), Some(code));
        }
    }

    use super::*;

    #[test]
    fn suggests_only_close_names() {
        let names = ["experience", "education", "coursework"];
        assert_eq!(did_you_mean("experince", names), Some("experience"));
        assert_eq!(did_you_mean("Coursework", names), Some("coursework"));
        assert_eq!(did_you_mean("zzz", names), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("feild", "field"), 1);
        assert_eq!(did_you_mean("feild", ["field", "degree"]), Some("field"));
    }

    #[test]
    fn renders_location_caret_label_and_help() {
        let file = SourceFile::new("rules/x.elig", "role a \"A\" {\n  degre >= bachelor\n}\n");
        let diagnostic = Diagnostic::error(Code::Syntax, "unknown condition `degre`")
            .at(&file, Span::new(15, 20))
            .label("not a condition")
            .help("did you mean `degree`?");
        let text = render_human(std::slice::from_ref(&diagnostic), false);
        assert!(text.contains("error: unknown condition `degre`"), "{text}");
        assert!(text.contains("--> rules/x.elig:2:3"), "{text}");
        assert!(text.contains("^^^^^ not a condition"), "{text}");
        assert!(text.contains("help: did you mean `degree`?"), "{text}");
        assert_eq!(diagnostic.location().as_deref(), Some("rules/x.elig:2:3"));
    }
}
