//! Reading profile files (contract: design.md, "Profile file").
//!
//! Every problem comes back as a `Diagnostic` that points at the offending
//! bytes and says what to write instead. How:
//!
//! 1. The text becomes a small spanned tree (`Node`). JSON: serde_json checks
//!    the syntax (its messages and positions are good), then a tiny scanner
//!    builds the tree with byte spans. TOML: `toml::de::DeTable` keeps spans.
//! 2. The tree becomes a `serde_json::Value`, deserialised into `Profile`
//!    through `serde_path_to_error`, so an error carries the path of the value
//!    (`experience[0].hours_per_week`), which the tree turns back into a span.
//!    When that fails, each top-level field and each list entry is
//!    deserialised on its own, so every broken entry is reported, not only
//!    the first one.
//! 3. `validate_profile` checks what the types cannot express (dates in
//!    order, hours in range, USPS codes); its problems are located the same way.

use super::{DegreeLevel, Profile};
use crate::diagnostic::Code;
use crate::diagnostic::{Diagnostic, did_you_mean, suggestion};
use crate::source::{SourceFile, Span};
use serde_json::Value;
use std::fmt;
use std::path::Path;

/// Reads and parses one profile file (`.toml` as TOML, anything else as
/// JSON). Unreadable files and text that is not UTF-8 are reported here.
pub fn load_profile(path: &Path) -> Result<Profile, Vec<Diagnostic>> {
    let name = path.display().to_string();
    let bytes = crate::loader::read_file(path).map_err(|error| vec![refused(&name, &error)])?;
    let text = decode_utf8(&name, bytes).map_err(|diagnostic| vec![*diagnostic])?;
    parse_profile(&SourceFile::new(name, text))
}

/// Parses a profile file's text: TOML when the name ends in `.toml`, JSON
/// otherwise. `id` defaults to the file name without its extension.
pub fn parse_profile(file: &SourceFile) -> Result<Profile, Vec<Diagnostic>> {
    let format = if has_extension(&file.name, "toml") {
        Format::Toml
    } else {
        Format::Json
    };
    parse(file, format, || file_stem(&file.name).to_string())
}

/// Parses one JSON Lines record, `text` being line `line_number` (1-based) of
/// `file_name`. `id` defaults to `<file stem>:<line>`. Diagnostics point at
/// the right line of `file_name`.
pub fn parse_profile_line(
    file_name: &str,
    line_number: usize,
    text: &str,
) -> Result<Profile, Vec<Diagnostic>> {
    let file = SourceFile::new(file_name, text);
    parse(&file, Format::Json, || {
        format!("{}:{line_number}", file_stem(file_name))
    })
    .map_err(|diagnostics| move_to_line(diagnostics, file_name, line_number, text))
}

/// Checks what the types alone cannot: dates in order, hours and counts in
/// range, exactly one kind of credit hours per course, USPS state codes.
/// Returns every problem found, unlocated (each message names the field);
/// `parse_profile` runs this itself and points the problems into the file.
/// One step of a path into a profile: a field name or a list index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathStep<'a> {
    Key(&'a str),
    Index(usize),
}

/// Where the value at `path` (e.g. `experience`, 0, `area`) is written in a
/// profile's text, for warnings about values that did parse.
pub fn value_span(file: &SourceFile, path: &[PathStep<'_>]) -> Option<Span> {
    let tree = if has_extension(&file.name, "toml") {
        toml_tree(file, &file.text).ok()?
    } else {
        json_tree(file, &file.text).ok()?
    };
    let segments: Vec<Segment> = path
        .iter()
        .map(|step| match step {
            PathStep::Key(key) => Segment::Key((*key).to_string()),
            PathStep::Index(index) => Segment::Index(*index),
        })
        .collect();
    tree.get(&segments).map(|node| head_span(file, node.span))
}

pub fn validate_profile(profile: &Profile) -> Vec<Diagnostic> {
    // Most profiles are fine: decide that without building any path or message.
    if is_valid(profile) {
        return Vec::new();
    }
    check_profile(profile, &Kept::new())
        .into_iter()
        .map(Problem::into_diagnostic)
        .collect()
}

// ---------------------------------------------------------------------------
// Driver

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Json,
    Toml,
}

impl Format {
    fn object(self) -> &'static str {
        match self {
            Format::Json => "an object",
            Format::Toml => "a table",
        }
    }

    fn list(self) -> &'static str {
        match self {
            Format::Json => "a list",
            Format::Toml => "an array",
        }
    }
}

fn parse(
    file: &SourceFile,
    format: Format,
    default_id: impl FnOnce() -> String,
) -> Result<Profile, Vec<Diagnostic>> {
    // A byte-order mark is three bytes; blanking it keeps every offset valid.
    let blanked;
    let text: &str = match file.text.strip_prefix('\u{feff}') {
        Some(rest) => {
            blanked = format!("   {rest}");
            &blanked
        }
        None => &file.text,
    };
    if text.trim().is_empty() {
        return Err(vec![empty_profile(file, format)]);
    }
    let tree = match format {
        Format::Json => json_tree(file, text)?,
        Format::Toml => toml_tree(file, text)?,
    };
    let Kind::Object(_) = tree.kind else {
        return Err(vec![not_an_object(file, format, &tree)]);
    };
    let mut diagnostics = Vec::new();
    duplicate_fields(file, &tree, &mut FieldPath::default(), &mut diagnostics);
    match deserialize(&tree) {
        Ok(mut profile) => {
            diagnostics.extend(
                check_profile(&profile, &Kept::new())
                    .into_iter()
                    .map(|problem| problem.locate(file, &tree)),
            );
            if diagnostics.is_empty() {
                if profile.id.is_none() {
                    profile.id = Some(default_id());
                }
                return Ok(profile);
            }
        }
        Err(Failure { errors, partial }) => {
            diagnostics.extend(
                errors
                    .into_iter()
                    .map(|error| describe_de_error(file, format, &tree, error)),
            );
            // Also report the problems of what could be read.
            if let Some((profile, kept)) = partial.map(|partial| *partial) {
                diagnostics.extend(
                    check_profile(&profile, &kept)
                        .into_iter()
                        .map(|problem| problem.locate(file, &tree)),
                );
            }
        }
    }
    // In the order of the file.
    diagnostics.sort_by_key(|diagnostic| diagnostic.span.map(|span| span.start));
    Err(diagnostics)
}

fn has_extension(name: &str, extension: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|found| found.eq_ignore_ascii_case(extension))
}

fn file_stem(name: &str) -> &str {
    Path::new(name)
        .file_stem()
        .and_then(|stem| stem.to_str())
        .unwrap_or(name)
}

/// Re-bases diagnostics made against a lone JSON Lines record onto a text in
/// which the record sits on its real line, so locations, rendered snippets and
/// `to_json` positions all name the right line. Only failing records pay for it.
fn move_to_line(
    diagnostics: Vec<Diagnostic>,
    file_name: &str,
    line_number: usize,
    text: &str,
) -> Vec<Diagnostic> {
    let padding = line_number.saturating_sub(1);
    let mut padded = String::with_capacity(padding + text.len());
    padded.extend(std::iter::repeat_n('\n', padding));
    padded.push_str(text);
    let file = SourceFile::new(file_name, padded);
    let shift = |span: Span| Span::new(span.start + padding, span.end + padding);
    diagnostics
        .into_iter()
        .map(|mut diagnostic| {
            diagnostic.file = Some(file.clone());
            diagnostic.span = diagnostic.span.map(shift);
            for (span, _) in &mut diagnostic.secondary {
                *span = shift(*span);
            }
            diagnostic
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Files and encodings

/// A profile file that could not be read, and what to do about it.
pub fn refused(name: &str, error: &crate::loader::ReadError) -> Diagnostic {
    use crate::loader::ReadError;
    match error {
        ReadError::Io(error) => unreadable(name, error),
        ReadError::NotAFile("a folder") => Diagnostic::error(Code::UnreadableFile,
            format!("cannot read `{name}`: {}", error.reason()),
        )
        .help("give the path of a `.json` or `.toml` profile"),
        ReadError::NotAFile(_) => Diagnostic::error(Code::NotAFile,
            format!("cannot read `{name}`: {}", error.reason()),
        )
        .help("eligo reads only regular files (a symbolic link to one is fine); to read a profile from a pipe, give `-` for standard input"),
        ReadError::TooLarge => Diagnostic::error(Code::TooLarge,
            format!("cannot read `{name}`: {}", error.reason()),
        )
        .help("a profile holds one candidate; for many, write JSON Lines and use `eligo screen`"),
    }
}

fn unreadable(name: &str, error: &std::io::Error) -> Diagnostic {
    use std::io::ErrorKind;
    let (why, help) = match error.kind() {
        ErrorKind::NotFound => ("no such file".to_string(), Some("check the path")),
        ErrorKind::PermissionDenied => (
            "permission denied".to_string(),
            Some("check that you may read the file"),
        ),
        ErrorKind::IsADirectory => (
            "it is a folder, not a file".to_string(),
            Some("give the path of a `.json` or `.toml` profile"),
        ),
        _ => (error.to_string(), None),
    };
    Diagnostic::error(Code::UnreadableFile, format!("cannot read `{name}`: {why}"))
        .maybe_help(help.map(str::to_string))
}

fn decode_utf8(name: &str, bytes: Vec<u8>) -> Result<String, Box<Diagnostic>> {
    let error = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(error) => error,
    };
    let bytes = error.as_bytes();
    let offset = error.utf8_error().valid_up_to();
    let byte = bytes.get(offset).copied().unwrap_or(0);
    let lossy = String::from_utf8_lossy(bytes).into_owned();
    let (line, column) = crate::source::line_col(&lossy, offset);
    let binary =
        offset == 0 || lossy[..offset].contains(|c: char| c.is_control() && !c.is_whitespace());
    let help = if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        "the file is UTF-16: save it as UTF-8"
    } else if binary {
        "a profile is a UTF-8 text file (JSON or TOML); this looks like a binary file"
    } else {
        "save the file as UTF-8 (it may be in a legacy encoding such as Latin-1 or Windows-1252)"
    };
    let diagnostic = Diagnostic::error(Code::NotUtf8,
        format!("`{name}` is not UTF-8 text: byte 0x{byte:02X} at line {line}, column {column} (byte offset {offset}) is not valid UTF-8"),
    )
    .help(help);
    // Show the line only when it is readable text.
    let line_text = lossy[..offset].rsplit('\n').next().unwrap_or("");
    let readable = !binary
        && line_text.chars().count() <= 200
        && !line_text.contains(|c: char| c.is_control() && c != '\t');
    let file = SourceFile::new(name, lossy);
    Err(Box::new(if readable {
        diagnostic
            .at(&file, Span::new(offset, offset + '\u{fffd}'.len_utf8()))
            .label("not UTF-8")
    } else {
        diagnostic.in_file(&file)
    }))
}

fn empty_profile(file: &SourceFile, format: Format) -> Diagnostic {
    let example = match format {
        Format::Json => "`{ \"id\": \"ana-ruiz\", \"education\": [] }`",
        Format::Toml => "`id = \"ana-ruiz\"`",
    };
    Diagnostic::error(Code::EmptyProfile, "the profile is empty")
        .in_file(file)
        .help(format!(
            "a profile file holds one candidate, e.g. {example}; every field may be left out, but the file may not be empty"
        ))
}

fn not_an_object(file: &SourceFile, format: Format, tree: &Node) -> Diagnostic {
    let mut diagnostic = Diagnostic::error(
        Code::NotAnObject,
        format!(
            "a profile must be {} of fields, found {}",
            format.object(),
            found_phrase(&tree.to_value(), format)
        ),
    )
    .at(file, head_span(file, tree.span))
    .label("expected `{`");
    if let Kind::Array(items) = &tree.kind
        && items
            .iter()
            .any(|item| matches!(item.kind, Kind::Object(_)))
    {
        diagnostic = diagnostic.help(
            "a profile file holds one candidate; for many candidates use JSON Lines (one object per line, `.jsonl`) with `eligo screen`",
        );
    }
    diagnostic
}

// ---------------------------------------------------------------------------
// Paths

#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// Where a value sits in the profile, e.g. `experience[0].hours_per_week`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct FieldPath(Vec<Segment>);

impl FieldPath {
    fn key(&self, key: &str) -> FieldPath {
        let mut path = self.clone();
        path.0.push(Segment::Key(key.to_string()));
        path
    }

    fn index(&self, index: usize) -> FieldPath {
        let mut path = self.clone();
        path.0.push(Segment::Index(index));
        path
    }

    fn parent(&self) -> FieldPath {
        FieldPath(self.0[..self.0.len().saturating_sub(1)].to_vec())
    }

    fn last_key(&self) -> Option<&str> {
        match self.0.last() {
            Some(Segment::Key(key)) => Some(key),
            _ => None,
        }
    }

    fn from_serde(path: &serde_path_to_error::Path) -> FieldPath {
        use serde_path_to_error::Segment as S;
        FieldPath(
            path.iter()
                .filter_map(|segment| match segment {
                    S::Seq { index } => Some(Segment::Index(*index)),
                    S::Map { key } => Some(Segment::Key(key.clone())),
                    S::Enum { variant } => Some(Segment::Key(variant.clone())),
                    S::Unknown => None,
                })
                .collect(),
        )
    }

    /// `` `education[0]` `` or, for the root, "the profile".
    fn described(&self) -> String {
        if self.0.is_empty() {
            "the profile".to_string()
        } else {
            format!("`{self}`")
        }
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(key) if i == 0 => write!(f, "{key}")?,
                Segment::Key(key) => write!(f, ".{key}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// The spanned tree

#[derive(Debug)]
struct Node {
    span: Span,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    Scalar(Value),
    Array(Vec<Node>),
    Object(Vec<Member>),
}

#[derive(Debug)]
struct Member {
    key: String,
    key_span: Span,
    value: Node,
}

impl Node {
    fn to_value(&self) -> Value {
        match &self.kind {
            Kind::Scalar(value) => value.clone(),
            Kind::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            Kind::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|member| (member.key.clone(), member.value.to_value()))
                    .collect(),
            ),
        }
    }

    /// The member named `key`; the last one if the key is repeated, as in `to_value`.
    fn member(&self, key: &str) -> Option<&Member> {
        match &self.kind {
            Kind::Object(members) => members.iter().rev().find(|member| member.key == key),
            _ => None,
        }
    }

    fn get(&self, path: &[Segment]) -> Option<&Node> {
        let Some((first, rest)) = path.split_first() else {
            return Some(self);
        };
        let child = match (first, &self.kind) {
            (Segment::Key(key), _) => &self.member(key)?.value,
            (Segment::Index(index), Kind::Array(items)) => items.get(*index)?,
            _ => return None,
        };
        child.get(rest)
    }

    /// The node at `path`, or its nearest ancestor that exists.
    fn nearest(&self, path: &[Segment]) -> &Node {
        let mut node = self;
        for segment in path {
            let child = match (segment, &node.kind) {
                (Segment::Key(key), _) => node.member(key).map(|member| &member.value),
                (Segment::Index(index), Kind::Array(items)) => items.get(*index),
                _ => None,
            };
            match child {
                Some(child) => node = child,
                None => break,
            }
        }
        node
    }

    /// The span of the key of the field at `path`, or of its nearest ancestor.
    fn key_span(&self, path: &FieldPath) -> Span {
        let parent = path.parent();
        match (path.last_key(), self.get(&parent.0)) {
            (Some(key), Some(node)) => match node.member(key) {
                Some(member) => member.key_span,
                None => node.span,
            },
            _ => self.nearest(&path.0).span,
        }
    }
}

/// The first line of a span that covers several (an object spread over many
/// lines is shown by its opening brace).
fn head_span(file: &SourceFile, span: Span) -> Span {
    match file.text.get(span.start..span.end) {
        Some(text) if text.contains('\n') => {
            let first = text.chars().next().map_or(0, char::len_utf8);
            Span::new(span.start, span.start + first)
        }
        _ => span,
    }
}

// ---------------------------------------------------------------------------
// JSON

fn json_tree(file: &SourceFile, text: &str) -> Result<Node, Vec<Diagnostic>> {
    if let Err(error) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        return Err(vec![json_syntax_error(file, text, &error)]);
    }
    match JsonScanner::new(text).document() {
        Some(tree) => Ok(tree),
        // Unreachable for text serde_json accepts; degrade to unlocated errors.
        None => match serde_json::from_str::<Value>(text) {
            Ok(value) => Ok(unlocated_tree(value, Span::new(0, 0))),
            Err(error) => Err(vec![json_syntax_error(file, text, &error)]),
        },
    }
}

fn unlocated_tree(value: Value, span: Span) -> Node {
    let kind = match value {
        Value::Array(items) => Kind::Array(
            items
                .into_iter()
                .map(|item| unlocated_tree(item, span))
                .collect(),
        ),
        Value::Object(map) => Kind::Object(
            map.into_iter()
                .map(|(key, value)| Member {
                    key,
                    key_span: span,
                    value: unlocated_tree(value, span),
                })
                .collect(),
        ),
        scalar => Kind::Scalar(scalar),
    };
    Node { span, kind }
}

/// Builds the spanned tree of a JSON text that serde_json has already
/// accepted. Returns `None` instead of panicking on anything unexpected.
struct JsonScanner<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> JsonScanner<'a> {
    const MAX_DEPTH: usize = 256;

    fn new(text: &'a str) -> JsonScanner<'a> {
        JsonScanner { text, pos: 0 }
    }

    fn document(mut self) -> Option<Node> {
        let node = self.value(0)?;
        self.skip_whitespace();
        (self.pos == self.text.len()).then_some(node)
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_whitespace();
        let found = self.peek() == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    fn value(&mut self, depth: usize) -> Option<Node> {
        if depth > Self::MAX_DEPTH {
            return None;
        }
        self.skip_whitespace();
        let start = self.pos;
        let kind = match self.peek()? {
            b'{' => {
                self.pos += 1;
                let mut members = Vec::new();
                if !self.eat(b'}') {
                    loop {
                        self.skip_whitespace();
                        let key_start = self.pos;
                        let key = self.string()?;
                        let key_span = Span::new(key_start, self.pos);
                        if !self.eat(b':') {
                            return None;
                        }
                        let value = self.value(depth + 1)?;
                        members.push(Member {
                            key,
                            key_span,
                            value,
                        });
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                Kind::Object(members)
            }
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value(depth + 1)?);
                        if self.eat(b']') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                Kind::Array(items)
            }
            b'"' => Kind::Scalar(Value::String(self.string()?)),
            _ => {
                let bytes = self.text.as_bytes();
                let end = bytes[start..]
                    .iter()
                    .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.')))
                    .map_or(bytes.len(), |length| start + length);
                let token = self.text.get(start..end)?;
                self.pos = end;
                Kind::Scalar(match token {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    "null" => Value::Null,
                    number => Value::Number(serde_json::from_str(number).ok()?),
                })
            }
        };
        Some(Node {
            span: Span::new(start, self.pos),
            kind,
        })
    }

    fn string(&mut self) -> Option<String> {
        let bytes = self.text.as_bytes();
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.pos;
        let mut i = start + 1;
        loop {
            match *bytes.get(i)? {
                b'\\' => i += 2,
                b'"' => break,
                _ => i += 1,
            }
        }
        self.pos = i + 1;
        serde_json::from_str(self.text.get(start..self.pos)?).ok()
    }
}

fn json_syntax_error(file: &SourceFile, text: &str, error: &serde_json::Error) -> Diagnostic {
    let full = error.to_string();
    let reason = match full.rfind(" at line ") {
        Some(end) => &full[..end],
        None => full.as_str(),
    };
    if error.is_eof() {
        let end = text.trim_end().len();
        let thing = reason
            .strip_prefix("EOF while parsing ")
            .unwrap_or("a value");
        return Diagnostic::error(
            Code::Syntax,
            format!("the profile ends in the middle of {thing}"),
        )
        .at(file, Span::new(end, end))
        .label("the file ends here")
        .help("the file looks cut short: check that every `{`, `[` and `\"` is closed");
    }
    let offset = json_error_offset(text, error.line(), error.column());
    let width = text
        .get(offset..)
        .and_then(|rest| rest.chars().next())
        .map_or(0, char::len_utf8);
    let span = Span::new(offset, offset + width);
    let at_line_start = text[..offset]
        .rsplit('\n')
        .next()
        .is_some_and(|before| before.trim().is_empty());
    let after_comma = text[..offset].trim_end().ends_with(',')
        && matches!(text.as_bytes().get(offset), Some(b']' | b'}'));
    let reason = if after_comma && matches!(reason, "expected value" | "key must be a string") {
        "trailing comma"
    } else {
        reason
    };
    let comma = text[..offset].trim_end();
    let span = if reason == "trailing comma" && comma.ends_with(',') {
        Span::new(comma.len() - 1, comma.len())
    } else {
        span
    };
    let (message, label, help): (String, String, Option<String>) = match reason {
        "expected value" => (
            "invalid JSON: expected a value".into(),
            "expected a value here".into(),
            Some(not_json_hint(file, text, offset)),
        ),
        "trailing comma" => (
            "invalid JSON: comma after the last item".into(),
            "JSON does not allow a comma here".into(),
            Some("remove this comma".into()),
        ),
        "trailing characters" => (
            "unexpected text after the end of the profile".into(),
            "the profile's object ended before this".into(),
            Some("a profile file holds one JSON object; look for an extra `}`, or use JSON Lines (one object per line) for many profiles".into()),
        ),
        "key must be a string" => (
            "invalid JSON: field names must be in double quotes".into(),
            "expected `\"`".into(),
            Some("write fields as `\"degree\": \"bachelor\"`, with double quotes".into()),
        ),
        "expected `:`" => (
            "invalid JSON: expected `:` after the field name".into(),
            "expected `:`".into(),
            None,
        ),
        "expected `,` or `}`" | "expected `,` or `]`" => {
            let close = if reason.ends_with("`}`") { "`}`" } else { "`]`" };
            let help = if at_line_start {
                "is a comma missing at the end of the previous line?".to_string()
            } else {
                format!("separate items with commas and close with {close}")
            };
            (
                format!("invalid JSON: expected `,` or {close}"),
                format!("expected `,` or {close} here"),
                Some(help),
            )
        }
        "control character (\\u0000-\\u001F) found while parsing a string" => (
            "invalid JSON: control character inside a string".into(),
            "not allowed in a string".into(),
            Some("write line breaks as `\\n` and tabs as `\\t`; a string missing its closing `\"` also causes this".into()),
        ),
        "invalid escape" => (
            "invalid JSON: unknown escape sequence".into(),
            "unknown escape".into(),
            Some("write a backslash as `\\\\`".into()),
        ),
        "recursion limit exceeded" => (
            "the profile is nested too deeply".into(),
            "too deep".into(),
            None,
        ),
        other => (format!("invalid JSON: {other}"), other.into(), None),
    };
    Diagnostic::error(Code::Syntax, message)
        .at(file, span)
        .label(label)
        .maybe_help(help)
}

/// serde_json counts lines from 1 and columns in bytes; the column is that of
/// the character at which it stopped.
fn json_error_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    let mut offset = (line_start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn not_json_hint(file: &SourceFile, text: &str, offset: usize) -> String {
    let first = text.trim_start();
    let at_start = text.len() - first.len() == offset;
    if !at_start {
        return "a value is an object `{…}`, a list `[…]`, a string in double quotes, a number, `true`, `false` or `null`".into();
    }
    let first_line = first.lines().next().unwrap_or("");
    if first.contains(|c: char| c.is_control() && !c.is_whitespace()) {
        "a profile is a JSON (or TOML) text file; this does not look like one".into()
    } else if first_line.contains('=') || first_line.starts_with('[') {
        format!(
            "this looks like TOML: name the file `{}.toml` to read it as TOML",
            file_stem(&file.name)
        )
    } else if first_line.contains(':') {
        "this looks like YAML, which eligo does not read: write the profile as JSON (or TOML)"
            .into()
    } else {
        "a profile file holds one JSON object, `{ … }`".into()
    }
}

// ---------------------------------------------------------------------------
// TOML

fn toml_tree(file: &SourceFile, text: &str) -> Result<Node, Vec<Diagnostic>> {
    use toml::de::DeTable;
    let root = DeTable::parse(text).map_err(|error| {
        let span = error
            .span()
            .map_or(Span::new(0, 0), |range| Span::new(range.start, range.end));
        let message = error.message().lines().next().unwrap_or("").to_string();
        vec![
            Diagnostic::error(Code::Syntax, format!("invalid TOML: {message}"))
                .at(file, span)
                .label(message),
        ]
    })?;
    let mut problems = Vec::new();
    let tree = toml_table(root.get_ref(), Span::new(0, 0), 0, &mut problems);
    problems.sort_by_key(|(span, _, _)| span.start);
    if problems.is_empty() {
        Ok(tree)
    } else {
        Err(problems
            .into_iter()
            .map(|(span, message, label)| {
                Diagnostic::error(Code::InvalidValue, message)
                    .at(file, span)
                    .label(label)
            })
            .collect())
    }
}

type TomlProblem = (Span, String, String);

fn toml_table(
    table: &toml::de::DeTable<'_>,
    span: Span,
    depth: usize,
    problems: &mut Vec<TomlProblem>,
) -> Node {
    let mut members: Vec<Member> = table
        .iter()
        .map(|(key, value)| Member {
            key: key.get_ref().to_string(),
            key_span: Span::new(key.span().start, key.span().end),
            value: toml_value(value, depth + 1, problems),
        })
        .collect();
    // The table is sorted by key; the file's order reads better.
    members.sort_by_key(|member| member.key_span.start);
    Node {
        span,
        kind: Kind::Object(members),
    }
}

fn toml_value(
    value: &toml::Spanned<toml::de::DeValue<'_>>,
    depth: usize,
    problems: &mut Vec<TomlProblem>,
) -> Node {
    use toml::de::DeValue;
    let span = Span::new(value.span().start, value.span().end);
    let scalar = |value: Value| Node {
        span,
        kind: Kind::Scalar(value),
    };
    if depth > 128 {
        problems.push((
            span,
            "the profile is nested too deeply".into(),
            "too deep".into(),
        ));
        return scalar(Value::Null);
    }
    match value.get_ref() {
        DeValue::String(text) => scalar(Value::String(text.to_string())),
        DeValue::Boolean(flag) => scalar(Value::Bool(*flag)),
        // Dates are strings in the profile format; TOML's own dates are welcome too.
        DeValue::Datetime(datetime) => scalar(Value::String(datetime.to_string())),
        DeValue::Integer(integer) => {
            let digits = integer.as_str();
            match i64::from_str_radix(digits, integer.radix()) {
                Ok(number) => scalar(Value::from(number)),
                Err(_) => match u64::from_str_radix(digits, integer.radix()) {
                    Ok(number) => scalar(Value::from(number)),
                    Err(_) => {
                        problems.push((
                            span,
                            format!("the number `{integer}` is too large"),
                            "too large".into(),
                        ));
                        scalar(Value::Null)
                    }
                },
            }
        }
        DeValue::Float(float) => {
            match float
                .as_str()
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
            {
                Some(number) => scalar(Value::Number(number)),
                None => {
                    problems.push((
                        span,
                        format!("`{float}` is not a usable number"),
                        "expected a finite number".into(),
                    ));
                    scalar(Value::Null)
                }
            }
        }
        DeValue::Array(items) => Node {
            span,
            kind: Kind::Array(
                items
                    .iter()
                    .map(|item| toml_value(item, depth + 1, problems))
                    .collect(),
            ),
        },
        DeValue::Table(table) => toml_table(table, span, depth, problems),
    }
}

// ---------------------------------------------------------------------------
// Deserialisation

struct DeError {
    path: FieldPath,
    message: String,
}

impl DeError {
    fn new(error: serde_path_to_error::Error<serde_json::Error>) -> DeError {
        DeError {
            path: FieldPath::from_serde(error.path()),
            message: error.inner().to_string(),
        }
    }
}

fn try_profile(value: &Value) -> Result<Profile, DeError> {
    serde_path_to_error::deserialize::<_, Profile>(value).map_err(DeError::new)
}

/// Where deserialisation failed, and what could be read despite that.
struct Failure {
    errors: Vec<DeError>,
    /// The profile without its broken fields and list entries, so that it can
    /// still be validated, with the original index of every list entry kept.
    partial: Option<Box<(Profile, Kept)>>,
}

/// For each list with entries left out, the original index of every entry kept.
type Kept = Vec<(String, Vec<usize>)>;

fn deserialize(tree: &Node) -> Result<Profile, Failure> {
    let first = match try_profile(&tree.to_value()) {
        Ok(profile) => return Ok(profile),
        Err(error) => error,
    };
    // serde stops at the first error: deserialise each field, and each entry of
    // a list field, on its own to report every broken one.
    let mut errors = Vec::new();
    let mut pruned = serde_json::Map::new();
    let mut kept = Vec::new();
    if let Kind::Object(members) = &tree.kind {
        for (i, member) in members.iter().enumerate() {
            if members[i + 1..].iter().any(|later| later.key == member.key) {
                continue; // a repeated key: only the last one counts
            }
            let alone = |value: Value| {
                try_profile(&Value::Object(
                    std::iter::once((member.key.clone(), value)).collect(),
                ))
            };
            let value = member.value.to_value();
            let error = match alone(value.clone()) {
                Ok(_) => {
                    pruned.insert(member.key.clone(), value);
                    continue;
                }
                Err(error) => error,
            };
            let in_entry = matches!(error.path.0.get(1), Some(Segment::Index(_)));
            match &member.value.kind {
                Kind::Array(items) if in_entry => {
                    let before = errors.len();
                    let mut good = Vec::new();
                    let mut indices = Vec::new();
                    for (index, item) in items.iter().enumerate() {
                        let item = item.to_value();
                        match alone(Value::Array(vec![item.clone()])) {
                            Ok(_) => {
                                good.push(item);
                                indices.push(index);
                            }
                            Err(mut error) => {
                                if let Some(Segment::Index(at)) = error.path.0.get_mut(1) {
                                    *at = index;
                                }
                                errors.push(error);
                            }
                        }
                    }
                    if errors.len() == before {
                        errors.push(error);
                    } else {
                        pruned.insert(member.key.clone(), Value::Array(good));
                        kept.push((member.key.clone(), indices));
                    }
                }
                _ => errors.push(error),
            }
        }
    }
    if errors.is_empty() {
        return Err(Failure {
            errors: vec![first],
            partial: None,
        });
    }
    let partial = try_profile(&Value::Object(pruned))
        .ok()
        .map(|profile| Box::new((profile, kept)));
    Err(Failure { errors, partial })
}

/// Fields that hold a `Date` (kept in step with the types by a unit test).
const DATE_FIELDS: [&str; 9] = [
    "birth_date",
    "on",
    "completed",
    "expected",
    "earned",
    "expires",
    "issued",
    "start",
    "end",
];

fn describe_de_error(file: &SourceFile, format: Format, tree: &Node, error: DeError) -> Diagnostic {
    let DeError { path, message } = error;
    let value_span = || head_span(file, tree.nearest(&path.0).span);
    let found = || found_phrase(&tree.nearest(&path.0).to_value(), format);

    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (name, expected) = split_backticked(rest);
        let known = backticked_list(expected);
        let diagnostic = Diagnostic::error(
            Code::UnknownField,
            format!("unknown field `{name}` in {}", path.parent().described()),
        )
        .at(file, tree.key_span(&path))
        .label("unknown field");
        return match suggestion(name, known.iter().copied()) {
            Some(help) => diagnostic.help(help),
            None if known.is_empty() => diagnostic,
            None => diagnostic.note(format!("known fields: {}", join_backticked(&known))),
        };
    }

    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (word, expected) = split_backticked(rest);
        let known = backticked_list(expected);
        if path.last_key() == Some("degree") {
            return Diagnostic::error(
                Code::UnknownValue,
                format!("unknown degree level `{word}` in `{path}`"),
            )
            .at(file, value_span())
            .label("not a degree level")
            .maybe_help(degree_help(word))
            .note(format!(
                "degree levels, lowest to highest: {}",
                join_backticked(&DegreeLevel::ALL.map(DegreeLevel::keyword))
            ));
        }
        return Diagnostic::error(
            Code::UnknownValue,
            format!("unknown value `{word}` in `{path}`"),
        )
        .at(file, value_span())
        .label("not a known value")
        .maybe_help(suggestion(word, known.iter().copied()))
        .note(format!("expected one of {}", join_backticked(&known)));
    }

    if let Some(rest) = message.strip_prefix("missing field `") {
        let (field, _) = split_backticked(rest);
        let help = if field == "degree" {
            format!(
                "add `degree`, one of {}",
                join_backticked(&DegreeLevel::ALL.map(DegreeLevel::keyword))
            )
        } else {
            format!("add `{field}`")
        };
        return Diagnostic::error(
            Code::MissingField,
            format!("missing field `{field}` in {}", path.described()),
        )
        .at(file, value_span())
        .label(format!("this entry has no `{field}`"))
        .help(help);
    }

    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let expected = rest.rsplit(", expected ").next().unwrap_or(rest);
        let expected = expected_phrase(expected, &path, format);
        let node_value = tree.nearest(&path.0).to_value();
        return Diagnostic::error(
            Code::WrongType,
            format!(
                "wrong type for `{path}`: expected {expected}, found {}",
                found()
            ),
        )
        .at(file, value_span())
        .label(format!("expected {expected}"))
        .maybe_help(type_help(&expected, &node_value, &path));
    }

    if let Some(rest) = message.strip_prefix("invalid value: ") {
        let expected = rest.rsplit(", expected ").next().unwrap_or(rest);
        let number = tree.nearest(&path.0).to_value().as_f64();
        if number.is_some_and(|number| number < 0.0) {
            return Diagnostic::error(Code::InvalidValue, format!("`{path}` cannot be negative"))
                .at(file, value_span())
                .label("must be 0 or more");
        }
        let expected = match expected {
            "u32" => format!("a whole number no larger than {}", u32::MAX),
            other => expected_phrase(other, &path, format),
        };
        return Diagnostic::error(
            Code::InvalidValue,
            format!(
                "invalid value for `{path}`: expected {expected}, found {}",
                found()
            ),
        )
        .at(file, value_span())
        .label(format!("expected {expected}"));
    }

    // `Date`'s own messages: "`x` is not a real date: why" and
    // "`x` is not a date in the form YYYY-MM-DD".
    if let Some((text, why)) = message
        .strip_prefix('`')
        .and_then(|rest| rest.split_once("` is not a real date: "))
    {
        return Diagnostic::error(
            Code::InvalidDate,
            format!("impossible date `{text}` in `{path}`"),
        )
        .at(file, value_span())
        .label(why.to_string());
    }
    if let Some(text) = message
        .strip_prefix('`')
        .and_then(|rest| rest.strip_suffix("` is not a date in the form YYYY-MM-DD"))
    {
        let help = match padded_date(text) {
            Some(date) => format!("write `{date}`"),
            None => "write dates as YYYY-MM-DD, e.g. `2021-05-15`".to_string(),
        };
        return Diagnostic::error(
            Code::InvalidDate,
            format!("`{path}` is not a date in the form YYYY-MM-DD: `{text}`"),
        )
        .at(file, value_span())
        .label("expected YYYY-MM-DD")
        .help(help);
    }

    Diagnostic::error(
        Code::InvalidValue,
        format!("invalid value for `{path}`: {message}"),
    )
    .at(file, value_span())
    .label(message)
}

/// `name`, expected…` → (`name`, `expected…`).
fn split_backticked(text: &str) -> (&str, &str) {
    text.split_once('`').unwrap_or((text, ""))
}

/// The back-ticked words of serde's "expected one of `a`, `b`" tail.
fn backticked_list(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

fn join_backticked(words: &[&str]) -> String {
    words
        .iter()
        .map(|word| format!("`{word}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn expected_phrase(serde_expected: &str, path: &FieldPath, format: Format) -> String {
    let is_date = path
        .last_key()
        .is_some_and(|key| DATE_FIELDS.contains(&key));
    match serde_expected {
        "f64" | "f32" => "a number".into(),
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number, 0 or more".into(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".into(),
        "a string" | "a borrowed string" | "string" if is_date => {
            "a date string such as \"2021-05-15\"".into()
        }
        "a string" | "a borrowed string" | "string" => "a string".into(),
        "a boolean" => "`true` or `false`".into(),
        "a sequence" => format.list().into(),
        other if other.starts_with("struct ") || other == "a map" => format.object().into(),
        other => other.into(),
    }
}

fn found_phrase(value: &Value, format: Format) -> String {
    match value {
        Value::Null => "`null`".into(),
        Value::Bool(flag) => format!("`{flag}`"),
        Value::Number(number) => format!("the number `{number}`"),
        Value::String(text) => {
            let shown: String = text.chars().take(40).collect();
            let ellipsis = if shown.len() < text.len() { "…" } else { "" };
            format!("the string `{:?}`", shown + ellipsis)
        }
        Value::Array(_) => format.list().into(),
        Value::Object(_) => format.object().into(),
    }
}

fn type_help(expected: &str, found: &Value, path: &FieldPath) -> Option<String> {
    match found {
        Value::String(text) if expected.contains("number") => text
            .trim()
            .parse::<f64>()
            .ok()
            .map(|_| format!("remove the quotes: `{}`", text.trim())),
        Value::String(text) if expected.contains("`true`") => {
            matches!(text.as_str(), "true" | "false")
                .then(|| format!("remove the quotes: `{text}`"))
        }
        Value::Number(number) if expected.starts_with("a whole number") => number
            .as_f64()
            .filter(|n| n.fract() == 0.0)
            .map(|n| format!("write `{n}` without a decimal point")),
        Value::Null => Some(format!(
            "leave `{}` out instead of writing `null`",
            path.last_key().unwrap_or("the field")
        )),
        Value::Object(_) if expected == "a list" || expected == "an array" => {
            Some("put the entry in a list: `[ { … } ]`".into())
        }
        _ => None,
    }
}

/// Common ways of writing a degree that are not its keyword.
fn degree_help(word: &str) -> Option<String> {
    let normal: String = word
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| !matches!(c, '.' | '\'' | '’'))
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect();
    let level = match normal.as_str() {
        "phd" | "doctoral" | "doctor" | "doctors" | "md" | "edd" | "dsc" => {
            Some(DegreeLevel::Doctorate)
        }
        "bs" | "ba" | "bsc" | "bachelors" | "baccalaureate" => Some(DegreeLevel::Bachelor),
        "ms" | "ma" | "msc" | "mba" | "masters" => Some(DegreeLevel::Master),
        "as" | "aa" | "aas" | "associates" => Some(DegreeLevel::Associate),
        "hs" | "ged" | "diploma" | "highschool" => Some(DegreeLevel::HighSchool),
        other => DegreeLevel::from_keyword(other),
    };
    match level {
        Some(level) => Some(format!("write `{}`", level.keyword())),
        None => suggestion(word, DegreeLevel::ALL.map(DegreeLevel::keyword)),
    }
}

/// `2021-5-1` → `2021-05-01`, when that is a real date.
fn padded_date(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.trim().split(['-', '/', '.']).collect();
    let [year, month, day] = parts.as_slice() else {
        return None;
    };
    if year.len() != 4 || month.len() > 2 || day.len() > 2 {
        return None;
    }
    let date =
        crate::date::Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?).ok()?;
    Some(date.to_string())
}

fn duplicate_fields(
    file: &SourceFile,
    node: &Node,
    path: &mut FieldPath,
    diagnostics: &mut Vec<Diagnostic>,
) {
    match &node.kind {
        Kind::Scalar(_) => {}
        Kind::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                duplicate_fields(file, item, &mut path.index(index), diagnostics);
            }
        }
        Kind::Object(members) => {
            for (i, member) in members.iter().enumerate() {
                if let Some(first) = members[..i]
                    .iter()
                    .find(|earlier| earlier.key == member.key)
                {
                    diagnostics.push(
                        Diagnostic::error(
                            Code::DuplicateField,
                            format!(
                                "field `{}` appears twice in {}",
                                member.key,
                                path.described()
                            ),
                        )
                        .at(file, member.key_span)
                        .label("given again here")
                        .secondary(first.key_span, "first given here")
                        .help("keep only one of them"),
                    );
                }
                duplicate_fields(file, &member.value, &mut path.key(&member.key), diagnostics);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Validation

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    /// The value at the path.
    Value,
    /// The entry (object) at the path, shown by its first line.
    Entry,
}

#[derive(Debug)]
struct Problem {
    path: FieldPath,
    target: Target,
    message: String,
    label: String,
    help: Option<String>,
    /// Another value that explains the problem, with its label.
    related: Option<(FieldPath, String)>,
}

impl Problem {
    fn new(path: FieldPath, message: impl Into<String>, label: impl Into<String>) -> Problem {
        Problem {
            path,
            target: Target::Value,
            message: message.into(),
            label: label.into(),
            help: None,
            related: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }

    fn related(mut self, path: FieldPath, label: impl Into<String>) -> Problem {
        self.related = Some((path, label.into()));
        self
    }

    fn entry(mut self) -> Problem {
        self.target = Target::Entry;
        self
    }

    fn into_diagnostic(self) -> Diagnostic {
        Diagnostic::error(Code::InvalidValue, self.message)
            .label(self.label)
            .maybe_help(self.help)
    }

    fn locate(self, file: &SourceFile, tree: &Node) -> Diagnostic {
        let span = head_span(file, tree.nearest(&self.path.0).span);
        let mut diagnostic = Diagnostic::error(Code::InvalidValue, self.message)
            .at(file, span)
            .label(self.label)
            .maybe_help(self.help);
        if let Some((path, label)) = self.related
            && let Some(node) = tree.get(&path.0)
        {
            diagnostic = diagnostic.secondary(head_span(file, node.span), label);
        }
        diagnostic
    }
}

/// `kept` maps entry indices of a profile read with broken entries left out
/// back to the file's (see `Failure`); empty otherwise.
fn check_profile(profile: &Profile, kept: &Kept) -> Vec<Problem> {
    let root = FieldPath::default();
    let entry = |list: &str, index: usize| {
        let original = kept
            .iter()
            .find(|(name, _)| name == list)
            .and_then(|(_, indices)| indices.get(index))
            .copied()
            .unwrap_or(index);
        root.key(list).index(original)
    };
    let mut problems = Vec::new();
    if let Some(state) = &profile.state {
        check_state(state, root.key("state"), &mut problems);
    }
    for (i, course) in profile.coursework.iter().enumerate() {
        let at = entry("coursework", i);
        match (course.semester_hours, course.quarter_hours) {
            (Some(_), Some(_)) => problems.push(
                Problem::new(
                    at.key("quarter_hours"),
                    format!("`{at}` gives both `semester_hours` and `quarter_hours`"),
                    "quarter hours",
                )
                .related(at.key("semester_hours"), "semester hours")
                .help("keep only the one the transcript uses (a quarter hour counts as 2/3 of a semester hour)"),
            ),
            (None, None) => problems.push(
                Problem::new(
                    at.clone(),
                    format!("`{at}` (`{}`) has no credit hours", course.subject),
                    "no `semester_hours` or `quarter_hours`",
                )
                .entry()
                .help("add `semester_hours` or `quarter_hours`, as on the transcript"),
            ),
            _ => {}
        }
        check_amount(
            course.semester_hours,
            at.key("semester_hours"),
            &mut problems,
        );
        check_amount(course.quarter_hours, at.key("quarter_hours"), &mut problems);
    }
    for (i, certification) in profile.certifications.iter().enumerate() {
        let at = entry("certifications", i);
        check_order(
            (certification.earned, at.key("earned")),
            (certification.expires, at.key("expires")),
            format!("`{at}` expires before it was earned"),
            &mut problems,
        );
    }
    for (i, license) in profile.licenses.iter().enumerate() {
        let at = entry("licenses", i);
        check_state(&license.state, at.key("state"), &mut problems);
        check_order(
            (license.issued, at.key("issued")),
            (license.expires, at.key("expires")),
            format!("`{at}` expires before it was issued"),
            &mut problems,
        );
    }
    for (i, job) in profile.experience.iter().enumerate() {
        let at = entry("experience", i);
        if let Some(state) = &job.state {
            check_state(state, at.key("state"), &mut problems);
        }
        if let Some(end) = job.end
            && end < job.start
        {
            problems.push(
                Problem::new(
                    at.key("end"),
                    format!("`{at}` ends before it starts"),
                    format!("ends {end}"),
                )
                .related(at.key("start"), format!("starts {}", job.start))
                .help("check both dates; leave `end` out (or `null`) if the job is ongoing"),
            );
        }
        if let Some(hours) = job.hours_per_week {
            let path = at.key("hours_per_week");
            if hours > 168.0 {
                problems.push(
                    Problem::new(
                        path,
                        format!(
                            "`{at}.hours_per_week` is {}, more than the 168 hours in a week",
                            shown_number(hours)
                        ),
                        "at most 168",
                    )
                    .help("give the average hours worked per week, e.g. `40` for full time"),
                );
            } else {
                check_amount(Some(hours), path, &mut problems);
            }
        }
    }
    for (i, job) in profile.experience.iter().enumerate() {
        if let Some(number) = &job.clia_number
            && !is_clia_number(number)
        {
            let at = entry("experience", i);
            problems.push(
                Problem::new(
                    at.key("clia_number"),
                    format!(
                        "`{at}.clia_number` is `{}`, not a CLIA number",
                        crate::diagnostic::shorten(number)
                    ),
                    "two digits, D, seven digits",
                )
                .help("a CLIA number has 10 characters, e.g. `05D1234567`, as on the laboratory's CLIA certificate"),
            );
        }
    }
    check_verifications(profile, &entry, &mut problems);
    let mut positions: Vec<&str> = Vec::new();
    for (i, position) in profile.positions.iter().enumerate() {
        let at = root.key("positions").index(i);
        if position.role.trim().is_empty() {
            problems.push(
                Problem::new(
                    at.key("role"),
                    format!("`{at}.role` is empty"),
                    "a role id",
                )
                .help("name the position by its role id, e.g. `clia-technical-supervisor` (see `eligo roles`)"),
            );
        } else if positions.contains(&position.role.as_str()) {
            problems.push(
                Problem::new(
                    at.key("role"),
                    format!(
                        "`{at}` repeats the position `{}`",
                        crate::diagnostic::shorten(&position.role)
                    ),
                    "listed before",
                )
                .help("list each position once; put all its specialties in one `specialties` list"),
            );
        } else {
            positions.push(&position.role);
        }
    }
    for (i, training) in profile.training.iter().enumerate() {
        let at = entry("training", i);
        check_amount(
            training.duration_weeks,
            at.key("duration_weeks"),
            &mut problems,
        );
        check_amount(
            training.didactic_hours,
            at.key("didactic_hours"),
            &mut problems,
        );
        check_amount(
            training.clinical_hours,
            at.key("clinical_hours"),
            &mut problems,
        );
    }
    for (i, course) in profile.continuing_education.iter().enumerate() {
        let at = entry("continuing_education", i);
        check_amount(Some(course.hours), at.key("hours"), &mut problems);
    }
    problems
}

/// The verdict of `check_profile` without its messages: whether it would
/// find no problem. Allocates nothing; `check_profile` stays the reference
/// (a test keeps the two in agreement).
fn is_valid(profile: &Profile) -> bool {
    let amount_ok = |amount: Option<f64>| {
        amount.is_none_or(|a| a.is_finite() && (0.0..=MAX_AMOUNT).contains(&a))
    };
    let ordered = |earlier: Option<crate::date::Date>, later: Option<crate::date::Date>| !matches!((earlier, later), (Some(earlier), Some(later)) if later < earlier);
    profile.state.as_deref().is_none_or(is_usps_code)
        && profile.coursework.iter().all(|course| {
            course.semester_hours.is_some() != course.quarter_hours.is_some()
                && amount_ok(course.semester_hours)
                && amount_ok(course.quarter_hours)
        })
        && profile
            .certifications
            .iter()
            .all(|c| ordered(c.earned, c.expires))
        && profile
            .licenses
            .iter()
            .all(|l| is_usps_code(&l.state) && ordered(l.issued, l.expires))
        && profile.experience.iter().all(|job| {
            job.state.as_deref().is_none_or(is_usps_code)
                && job.end.is_none_or(|end| end >= job.start)
                && job
                    .hours_per_week
                    .is_none_or(|h| h.is_finite() && (0.0..=168.0).contains(&h))
        })
        && profile.training.iter().all(|t| {
            amount_ok(t.duration_weeks)
                && amount_ok(t.didactic_hours)
                && amount_ok(t.clinical_hours)
        })
        && profile
            .continuing_education
            .iter()
            .all(|course| amount_ok(Some(course.hours)))
}

/// Hours, weeks and the like: finite and not negative.
/// More credit, clock hours or CE hours than any record can hold: a typo or
/// hostile input, refused rather than counted.
const MAX_AMOUNT: f64 = 100_000.0;

/// A number as a reader can take it in: `1e308`, not 309 digits.
fn shown_number(value: f64) -> String {
    if value.is_finite() && value.abs() >= 1e9 {
        format!("{value:e}")
    } else {
        value.to_string()
    }
}

/// `05D1234567`: two digits, the letter D, seven digits.
fn is_clia_number(number: &str) -> bool {
    let bytes = number.as_bytes();
    bytes.len() == 10
        && bytes[..2].iter().all(u8::is_ascii_digit)
        && bytes[2] == b'D'
        && bytes[3..].iter().all(u8::is_ascii_digit)
}

/// Every record's `verified.by` must say what the evidence is.
fn check_verifications(
    profile: &Profile,
    entry: &dyn Fn(&str, usize) -> FieldPath,
    problems: &mut Vec<Problem>,
) {
    let lists: [(&str, Vec<Option<&super::Verification>>); 7] = [
        (
            "education",
            profile
                .education
                .iter()
                .map(|r| r.verified.as_ref())
                .collect(),
        ),
        (
            "coursework",
            profile
                .coursework
                .iter()
                .map(|r| r.verified.as_ref())
                .collect(),
        ),
        (
            "certifications",
            profile
                .certifications
                .iter()
                .map(|r| r.verified.as_ref())
                .collect(),
        ),
        (
            "licenses",
            profile
                .licenses
                .iter()
                .map(|r| r.verified.as_ref())
                .collect(),
        ),
        (
            "experience",
            profile
                .experience
                .iter()
                .map(|r| r.verified.as_ref())
                .collect(),
        ),
        (
            "training",
            profile
                .training
                .iter()
                .map(|r| r.verified.as_ref())
                .collect(),
        ),
        (
            "continuing_education",
            profile
                .continuing_education
                .iter()
                .map(|r| r.verified.as_ref())
                .collect(),
        ),
    ];
    for (list, verifications) in lists {
        for (i, verification) in verifications.into_iter().enumerate() {
            if let Some(verification) = verification
                && verification.by.trim().is_empty()
            {
                let at = entry(list, i);
                problems.push(
                    Problem::new(
                        at.key("verified").key("by"),
                        format!("`{at}.verified.by` is empty"),
                        "what the evidence is",
                    )
                    .help("say how the record was checked, e.g. `primary source: ASCP` or `transcript on file`; leave `verified` out if it was not"),
                );
            }
        }
    }
}

fn check_amount(amount: Option<f64>, path: FieldPath, problems: &mut Vec<Problem>) {
    match amount {
        Some(amount) if amount.is_finite() && amount > MAX_AMOUNT => {
            problems.push(Problem::new(
                path.clone(),
                format!(
                    "`{path}` is {}, more than any record holds",
                    shown_number(amount)
                ),
                "at most 100000",
            ));
        }
        Some(amount) if !amount.is_finite() => {
            problems.push(Problem::new(
                path.clone(),
                format!("`{path}` is not a finite number"),
                "not finite",
            ));
        }
        Some(amount) if amount < 0.0 => problems.push(Problem::new(
            path.clone(),
            format!("`{path}` cannot be negative"),
            "must be 0 or more",
        )),
        _ => {}
    }
}

/// `later` (e.g. `expires`) must not come before `earlier` (e.g. `earned`).
fn check_order(
    (earlier, earlier_path): (Option<crate::date::Date>, FieldPath),
    (later, later_path): (Option<crate::date::Date>, FieldPath),
    message: String,
    problems: &mut Vec<Problem>,
) {
    if let (Some(earlier), Some(later)) = (earlier, later)
        && later < earlier
    {
        let earlier_name = earlier_path.last_key().unwrap_or("").to_string();
        let later_name = later_path.last_key().unwrap_or("").to_string();
        problems.push(
            Problem::new(later_path, message, format!("{later_name} {later}"))
                .related(earlier_path, format!("{earlier_name} {earlier}"))
                .help("check both dates"),
        );
    }
}

/// USPS codes: the states, DC, the territories (Puerto Rico included), the
/// freely associated states and the military "states".
const USPS: [(&str, &str); 62] = [
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
    ("DC", "District of Columbia"),
    ("PR", "Puerto Rico"),
    ("GU", "Guam"),
    ("VI", "U.S. Virgin Islands"),
    ("AS", "American Samoa"),
    ("MP", "Northern Mariana Islands"),
    ("FM", "Federated States of Micronesia"),
    ("MH", "Marshall Islands"),
    ("PW", "Palau"),
    ("AA", "Armed Forces Americas"),
    ("AE", "Armed Forces Europe"),
    ("AP", "Armed Forces Pacific"),
];

fn is_usps_code(code: &str) -> bool {
    USPS.iter().any(|(known, _)| *known == code)
}

fn check_state(state: &str, path: FieldPath, problems: &mut Vec<Problem>) {
    if is_usps_code(state) {
        return;
    }
    let trimmed = state.trim();
    let upper = trimmed.to_ascii_uppercase();
    let by_name = USPS
        .iter()
        .find(|(_, name)| name.eq_ignore_ascii_case(trimmed))
        .map(|(code, _)| *code);
    let problem = if is_usps_code(&upper) {
        let label = if trimmed != state {
            "remove the spaces"
        } else {
            "USPS codes are upper-case"
        };
        Problem::new(
            path.clone(),
            format!("invalid state `{state}` in `{path}`"),
            label,
        )
        .help(format!("use the USPS code `{upper}`"))
    } else if let Some(code) = by_name {
        Problem::new(
            path.clone(),
            format!("invalid state `{state}` in `{path}`"),
            "a state name, not a USPS code",
        )
        .help(format!("use the USPS code `{code}`"))
    } else if state.len() == 2 && state.bytes().all(|b| b.is_ascii_uppercase()) {
        Problem::new(
            path.clone(),
            format!("unknown state code `{state}` in `{path}`"),
            "not a USPS code",
        )
        .help("use the USPS code, e.g. `CA` (Puerto Rico is `PR`)")
    } else {
        let help = match did_you_mean(trimmed, USPS.iter().map(|(_, name)| *name)) {
            Some(name) => {
                let code = USPS
                    .iter()
                    .find(|(_, known)| *known == name)
                    .map_or("", |(code, _)| *code);
                format!("use the USPS code, e.g. `{code}` for {name}")
            }
            None => "use the USPS code, e.g. `CA`".to_string(),
        };
        Problem::new(
            path.clone(),
            format!("invalid state `{state}` in `{path}`"),
            "expected a two-letter USPS code",
        )
        .help(help)
    };
    problems.push(problem);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;
    use crate::profile::{Certification, Coursework, Experience, License};

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn messages(problems: &[Problem]) -> Vec<String> {
        problems.iter().map(|p| p.message.clone()).collect()
    }

    fn job(start: &str, end: Option<&str>, hours: Option<f64>) -> Experience {
        Experience {
            role: None,
            area: None,
            setting: None,
            state: None,
            licensed: None,
            tags: Vec::new(),
            start: date(start),
            end: end.map(date),
            hours_per_week: hours,
            employer: None,
            laboratory: None,
            clia_number: None,
            verified: None,
        }
    }

    /// The fast check and the full one must agree on every kind of problem.
    #[test]
    fn the_fast_validity_check_agrees_with_the_full_check() {
        let base: Profile = serde_json::from_value(serde_json::json!({
            "state": "CA",
            "coursework": [{ "subject": "biology", "semester_hours": 4 }],
            "certifications": [{ "issuer": "ASCP", "name": "MLT", "earned": "2020-01-01", "expires": "2023-01-01" }],
            "licenses": [{ "state": "CA", "type": "MLT", "issued": "2020-01-01", "expires": "2023-01-01" }],
            "experience": [{ "state": "CA", "start": "2020-01-01", "end": "2021-01-01", "hours_per_week": 40 }],
            "training": [{ "program": "phlebotomy", "duration_weeks": 8, "didactic_hours": 40, "clinical_hours": 40 }],
            "continuing_education": [{ "completed": "2024-01-01", "hours": 12 }]
        }))
        .unwrap();
        type Mutation = Box<dyn Fn(&mut Profile)>;
        let mutations: Vec<Mutation> = vec![
            Box::new(|_| {}),
            Box::new(|p| p.state = Some("ca".into())),
            Box::new(|p| p.state = Some("XZ".into())),
            Box::new(|p| p.coursework[0].quarter_hours = Some(3.0)),
            Box::new(|p| p.coursework[0].semester_hours = None),
            Box::new(|p| p.coursework[0].semester_hours = Some(-1.0)),
            Box::new(|p| p.coursework[0].semester_hours = Some(f64::NAN)),
            Box::new(|p| p.certifications[0].expires = Some(date("2019-12-31"))),
            Box::new(|p| p.certifications[0].expires = Some(date("2020-01-01"))),
            Box::new(|p| p.licenses[0].state = "Calif".into()),
            Box::new(|p| p.licenses[0].expires = Some(date("2019-01-01"))),
            Box::new(|p| p.experience[0].state = Some("C A".into())),
            Box::new(|p| p.experience[0].end = Some(date("2019-12-31"))),
            Box::new(|p| p.experience[0].end = Some(date("2020-01-01"))),
            Box::new(|p| p.experience[0].hours_per_week = Some(168.0)),
            Box::new(|p| p.experience[0].hours_per_week = Some(168.5)),
            Box::new(|p| p.experience[0].hours_per_week = Some(-0.5)),
            Box::new(|p| p.training[0].duration_weeks = Some(-2.0)),
            Box::new(|p| p.training[0].didactic_hours = Some(f64::INFINITY)),
            Box::new(|p| p.training[0].clinical_hours = Some(-1.0)),
            Box::new(|p| p.continuing_education[0].hours = -3.0),
        ];
        for (index, mutate) in mutations.iter().enumerate() {
            let mut profile = base.clone();
            mutate(&mut profile);
            let full = check_profile(&profile, &Kept::new());
            assert_eq!(
                is_valid(&profile),
                full.is_empty(),
                "mutation {index}: {:?}",
                messages(&full)
            );
        }
    }

    #[test]
    fn paths_display_like_json_paths() {
        let path = FieldPath::default()
            .key("experience")
            .index(0)
            .key("hours_per_week");
        assert_eq!(path.to_string(), "experience[0].hours_per_week");
        assert_eq!(path.parent().to_string(), "experience[0]");
        assert_eq!(FieldPath::default().described(), "the profile");
    }

    #[test]
    fn scanner_spans_keys_and_values() {
        let text = r#" { "a" : [ 1, {"b": "x\"y"} ], "c": null } "#;
        let tree = JsonScanner::new(text).document().unwrap();
        let path = FieldPath::default().key("a").index(1).key("b");
        let node = tree.get(&path.0).unwrap();
        assert_eq!(&text[node.span.start..node.span.end], r#""x\"y""#);
        assert_eq!(node.to_value(), Value::String("x\"y".into()));
        let key = tree.key_span(&path);
        assert_eq!(&text[key.start..key.end], r#""b""#);
        let missing = FieldPath::default().key("a").index(7);
        assert_eq!(
            tree.nearest(&missing.0).span,
            tree.get(&[Segment::Key("a".into())]).unwrap().span
        );
        assert_eq!(
            tree.to_value(),
            serde_json::from_str::<Value>(text).unwrap()
        );
    }

    #[test]
    fn scanner_rejects_instead_of_panicking() {
        for text in [
            "",
            "{",
            "[1,",
            "\"abc",
            "{\"a\" 1}",
            "tru",
            "1 2",
            "{\"a\":1,}",
        ] {
            assert!(JsonScanner::new(text).document().is_none(), "{text}");
        }
    }

    #[test]
    fn json_error_offsets_count_bytes() {
        let text = "{\n  \"é\": x\n}";
        assert_eq!(json_error_offset(text, 2, 9), text.find('x').unwrap());
        assert_eq!(json_error_offset(text, 9, 9), text.len());
    }

    #[test]
    fn state_codes() {
        let mut problems = Vec::new();
        for state in ["CA", "PR", "DC"] {
            check_state(state, FieldPath::default().key("state"), &mut problems);
        }
        assert!(problems.is_empty());
        for state in ["ca", "California", "XZ", "Calif.", " CA"] {
            check_state(state, FieldPath::default().key("state"), &mut problems);
        }
        let helps: Vec<_> = problems
            .iter()
            .map(|p| p.help.clone().unwrap_or_default())
            .collect();
        assert_eq!(helps[0], "use the USPS code `CA`");
        assert_eq!(helps[1], "use the USPS code `CA`");
        assert_eq!(problems[2].message, "unknown state code `XZ` in `state`");
        assert!(helps[3].contains("e.g. `CA`"), "{}", helps[3]);
        assert_eq!(problems[4].label, "remove the spaces");
    }

    #[test]
    fn experience_dates_and_hours() {
        let profile = Profile {
            experience: vec![
                job("2021-09-01", Some("2020-01-01"), Some(40.0)),
                job("2021-09-01", None, Some(200.0)),
                job("2021-09-01", Some("2021-09-01"), Some(-1.0)),
                job("2021-09-01", None, None),
            ],
            ..Profile::default()
        };
        assert_eq!(
            messages(&check_profile(&profile, &Kept::new())),
            [
                "`experience[0]` ends before it starts",
                "`experience[1].hours_per_week` is 200, more than the 168 hours in a week",
                "`experience[2].hours_per_week` cannot be negative",
            ]
        );
    }

    #[test]
    fn coursework_needs_exactly_one_kind_of_hours() {
        let course = |semester: Option<f64>, quarter: Option<f64>| Coursework {
            subject: "chemistry".into(),
            semester_hours: semester,
            quarter_hours: quarter,
            topic: None,
            verified: None,
        };
        let profile = Profile {
            coursework: vec![
                course(Some(8.0), None),
                course(Some(8.0), Some(9.0)),
                course(None, None),
                course(None, Some(-3.0)),
            ],
            ..Profile::default()
        };
        let problems = check_profile(&profile, &Kept::new());
        assert_eq!(
            messages(&problems),
            [
                "`coursework[1]` gives both `semester_hours` and `quarter_hours`",
                "`coursework[2]` (`chemistry`) has no credit hours",
                "`coursework[3].quarter_hours` cannot be negative",
            ]
        );
        assert_eq!(problems[1].target, Target::Entry);
    }

    #[test]
    fn credentials_must_not_expire_before_they_start() {
        let profile = Profile {
            certifications: vec![Certification {
                issuer: "ASCP".into(),
                name: "MLT".into(),
                earned: Some(date("2021-08-01")),
                expires: Some(date("2020-08-01")),
                number: None,
                verified: None,
            }],
            licenses: vec![License {
                state: "CA".into(),
                kind: "MLT".into(),
                issued: Some(date("2021-10-01")),
                expires: Some(date("2021-10-01")),
                number: None,
                verified: None,
            }],
            ..Profile::default()
        };
        assert_eq!(
            messages(&check_profile(&profile, &Kept::new())),
            ["`certifications[0]` expires before it was earned"]
        );
        assert_eq!(validate_profile(&profile).len(), 1);
    }

    #[test]
    fn date_fields_match_the_types() {
        // Every property whose schema is the `Date` definition is in DATE_FIELDS.
        let schema = serde_json::to_value(schemars::schema_for!(Profile)).unwrap();
        let mut found = Vec::new();
        let mut objects = vec![&schema];
        while let Some(object) = objects.pop() {
            match object {
                Value::Object(map) => {
                    if let Some(Value::Object(properties)) = map.get("properties") {
                        for (name, property) in properties {
                            if property.to_string().contains("#/$defs/Date\"") {
                                found.push(name.clone());
                            }
                        }
                    }
                    objects.extend(map.values());
                }
                Value::Array(items) => objects.extend(items),
                _ => {}
            }
        }
        found.sort();
        found.dedup();
        let mut expected = DATE_FIELDS.map(String::from).to_vec();
        expected.sort();
        assert_eq!(found, expected);
    }

    #[test]
    fn degree_hints() {
        assert_eq!(degree_help("PhD").as_deref(), Some("write `doctorate`"));
        assert_eq!(
            degree_help("High School").as_deref(),
            Some("write `high_school`")
        );
        assert_eq!(
            degree_help("bachelors").as_deref(),
            Some("write `bachelor`")
        );
        assert_eq!(degree_help("assoc").as_deref(), None);
        assert_eq!(
            degree_help("masterr").as_deref(),
            Some("did you mean `master`?")
        );
    }

    #[test]
    fn pads_dates() {
        assert_eq!(padded_date("2021-5-1").as_deref(), Some("2021-05-01"));
        assert_eq!(padded_date("2021/05/15").as_deref(), Some("2021-05-15"));
        assert_eq!(padded_date("05/15/2021"), None);
        assert_eq!(padded_date("2023-2-30"), None);
    }

    fn messages_of(name: &str, text: &str) -> Vec<String> {
        match parse_profile(&SourceFile::new(name, text)) {
            Ok(profile) => panic!("{profile:?}"),
            Err(diagnostics) => diagnostics.into_iter().map(|d| d.message).collect(),
        }
    }

    #[test]
    fn every_broken_entry_is_reported_and_the_rest_still_validated() {
        let text = r#"{"state": "ca", "coursework": [{"subject": 5},
            {"subject": "x", "semester_hours": 3, "quarter_hours": 4}, {"subject": []}]}"#;
        assert_eq!(
            messages_of("x.json", text),
            [
                "invalid state `ca` in `state`",
                "wrong type for `coursework[0].subject`: expected a string, found the number `5`",
                "`coursework[1]` gives both `semester_hours` and `quarter_hours`",
                "wrong type for `coursework[2].subject`: expected a string, found a list",
            ]
        );
    }

    #[test]
    fn toml_numbers_and_dates_become_profile_values() {
        let text = "birth_date = 1998-04-02\n[[coursework]]\nsubject = \"chemistry\"\nsemester_hours = 0x8\n\
                    [[experience]]\nstart = \"2021-09-01\"\nhours_per_week = 37.5\n";
        let profile = parse_profile(&SourceFile::new("x.toml", text)).unwrap();
        assert_eq!(profile.birth_date, Some(date("1998-04-02")));
        assert_eq!(profile.coursework[0].semester_hours, Some(8.0));
        assert_eq!(profile.experience[0].hours_per_week(), 37.5);
        assert_eq!(
            messages_of(
                "x.toml",
                "[[continuing_education]]\ncompleted = 2021-01-01\nhours = inf\n"
            ),
            ["`inf` is not a usable number"]
        );
    }

    #[test]
    fn syntax_errors_name_the_likely_fix() {
        assert_eq!(
            messages_of("x.json", "{\"a\": [1,]}"),
            ["invalid JSON: comma after the last item"]
        );
        assert_eq!(
            messages_of("x.json", "{\"a\": 1,\n}"),
            ["invalid JSON: comma after the last item"]
        );
        assert_eq!(
            messages_of("x.json", "{\"a\": 1"),
            ["the profile ends in the middle of an object"]
        );
        assert_eq!(messages_of("x.json", " \n"), ["the profile is empty"]);
        assert_eq!(
            messages_of("x.json", "[{}]"),
            ["a profile must be an object of fields, found a list"]
        );
    }

    #[test]
    fn line_records_default_their_id_and_keep_their_line() {
        let profile = parse_profile_line("in/batch.jsonl", 3, "{}").unwrap();
        assert_eq!(profile.id.as_deref(), Some("batch:3"));
        let diagnostics = parse_profile_line("in/batch.jsonl", 3, "{\"nme\": 1}").unwrap_err();
        assert_eq!(
            diagnostics[0].location().as_deref(),
            Some("in/batch.jsonl:3:2")
        );
    }

    #[test]
    fn file_id_defaults_to_the_stem_and_toml_is_chosen_by_extension() {
        let json = parse_profile(&SourceFile::new("people/bo-chen.json", "{}")).unwrap();
        assert_eq!(json.id.as_deref(), Some("bo-chen"));
        let toml = parse_profile(&SourceFile::new("bo.TOML", "name = \"Bo\"\n")).unwrap();
        assert_eq!(toml.name.as_deref(), Some("Bo"));
        let bom = parse_profile(&SourceFile::new("x.json", "\u{feff}{\"id\": \"x\"}")).unwrap();
        assert_eq!(bom.id.as_deref(), Some("x"));
    }
}
