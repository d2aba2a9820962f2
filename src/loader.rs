//! Finding, reading, parsing and checking the rule files of a rule set,
//! and [`read_file`], the one way eligo reads a whole file (rule files,
//! profiles): regular files only, at most [`MAX_FILE_BYTES`].

use crate::check::{self, ParsedFile};
use crate::diagnostic::Diagnostic;
use crate::ruleset::RuleSet;
use crate::source::{SourceFile, Span};
use crate::syntax;
use std::path::{Path, PathBuf};

/// Everything loading found out: every file read, the rule set if it is
/// free of errors, and every diagnostic (errors and warnings).
pub struct Loaded {
    pub files: Vec<SourceFile>,
    pub rules: Option<RuleSet>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// The `*.elig` files at `path`: the file itself, or every one below the
/// folder, sorted so that loading is deterministic.
pub fn find_rule_files(path: &Path) -> Result<Vec<PathBuf>, Box<Diagnostic>> {
    let metadata = std::fs::metadata(path).map_err(|error| unreadable(path, &error))?;
    if metadata.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    if let Some(kind) = special_kind(metadata.file_type()).filter(|_| !metadata.is_dir()) {
        return Err(refused(path, &ReadError::NotAFile(kind)));
    }
    let mut found = Vec::new();
    let mut pending = vec![path.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let entries = std::fs::read_dir(&folder).map_err(|error| unreadable(&folder, &error))?;
        for entry in entries {
            let entry = entry.map_err(|error| unreadable(&folder, &error))?;
            let entry_path = entry.path();
            let file_type = entry
                .file_type()
                .map_err(|error| unreadable(&entry_path, &error))?;
            if file_type.is_dir() {
                pending.push(entry_path);
            } else if entry_path.extension().is_some_and(|ext| ext == "elig") {
                found.push(entry_path);
            }
        }
    }
    found.sort();
    if found.is_empty() {
        return Err(Box::new(
            Diagnostic::error(
                "no-rules",
                format!("no `.elig` rule files in `{}`", path.display()),
            )
            .help("pass `--rules PATH` with a rule file or a folder of them"),
        ));
    }
    Ok(found)
}

fn unreadable(path: &Path, error: &std::io::Error) -> Box<Diagnostic> {
    let help = match error.kind() {
        std::io::ErrorKind::NotFound => {
            "check the path; rule sets are folders of `.elig` files (default `rules/`)"
        }
        std::io::ErrorKind::PermissionDenied => "check the file's permissions",
        _ => "check that the path names a readable file or folder",
    };
    Box::new(
        Diagnostic::error(
            "io",
            format!("cannot read `{}`: {}", path.display(), io_reason(error)),
        )
        .help(help),
    )
}

/// The OS error without its "(os error N)" suffix.
pub fn io_reason(error: &std::io::Error) -> String {
    let text = error.to_string();
    let text = match text.find(" (os error") {
        Some(index) => &text[..index],
        None => &text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The largest file eligo reads whole (a rule file, a profile, the profile
/// `check -` reads from standard input): 16 MiB. The biggest shipped rule
/// file is a few kilobytes, a profile rarely one.
pub const MAX_FILE_BYTES: u64 = 16 << 20;

/// The largest JSON Lines record (one line) `screen` reads: 1 MiB. The
/// file itself may be as long as it likes: it is read a line at a time.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    /// It is not a regular file: a folder, a named pipe, a device, a socket.
    NotAFile(&'static str),
    /// It is larger than [`MAX_FILE_BYTES`].
    TooLarge,
}

impl ReadError {
    /// The help shared by every reader: what to do about it.
    pub fn reason(&self) -> String {
        match self {
            ReadError::Io(error) => io_reason(error),
            ReadError::NotAFile("a folder") => "it is a folder, not a file".to_string(),
            ReadError::NotAFile(kind) => format!("it is {kind}, not a regular file"),
            ReadError::TooLarge => format!(
                "it is larger than {} MiB, the most eligo reads in one file",
                MAX_FILE_BYTES >> 20
            ),
        }
    }
}

/// What a file that is not a regular one is, for messages; `None` for a
/// regular file. (Symbolic links are followed before this is asked.)
pub fn special_kind(file_type: std::fs::FileType) -> Option<&'static str> {
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return Some("a device");
        }
    }
    Some("not a regular file")
}

/// Reads a whole regular file (a symbolic link to one is followed), at most
/// [`MAX_FILE_BYTES`]. The file's type is checked before it is opened, so a
/// named pipe never blocks and a device is never read.
pub fn read_file(path: &Path) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let metadata = std::fs::metadata(path).map_err(ReadError::Io)?;
    if let Some(kind) = special_kind(metadata.file_type()) {
        return Err(ReadError::NotAFile(kind));
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge);
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    // The file may have grown since: never read more than the limit.
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge);
    }
    Ok(bytes)
}

/// Reads standard input whole, at most [`MAX_FILE_BYTES`].
pub fn read_stdin() -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge);
    }
    Ok(bytes)
}

fn refused(path: &Path, error: &ReadError) -> Box<Diagnostic> {
    match error {
        ReadError::Io(error) => unreadable(path, error),
        ReadError::NotAFile(_) => Box::new(
            Diagnostic::error(
                "not-a-file",
                format!("cannot read `{}`: {}", path.display(), error.reason()),
            )
            .help("eligo reads only regular files (a symbolic link to one is fine)"),
        ),
        ReadError::TooLarge => Box::new(
            Diagnostic::error(
                "too-large",
                format!("cannot read `{}`: {}", path.display(), error.reason()),
            )
            .help("a rule file this large is not a rule file; split a real one into several files"),
        ),
    }
}

/// Reads a text file, refusing bytes that are not UTF-8 with their location.
pub fn read_source(path: &Path) -> Result<SourceFile, Box<Diagnostic>> {
    let bytes = read_file(path).map_err(|error| refused(path, &error))?;
    let name = path.display().to_string();
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, text)),
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let file = SourceFile::new(name, prefix);
            Err(Box::new(
                Diagnostic::error("encoding", "the file is not valid UTF-8")
                    .at(&file, Span::new(valid, valid))
                    .label(format!(
                        "invalid byte 0x{:02X} at byte offset {valid}",
                        bytes[valid]
                    ))
                    .help("save the file as UTF-8"),
            ))
        }
    }
}

/// Parses and checks the rule files at `path`. Reading problems (a missing
/// path, non-UTF-8 bytes) come back as `Err`; problems inside the files are
/// diagnostics in `Loaded`.
pub fn load_rules(path: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    let paths = find_rule_files(path).map_err(|d| vec![*d])?;
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for path in &paths {
        match read_source(path) {
            Ok(source) => sources.push(source),
            Err(diagnostic) => errors.push(*diagnostic),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(check_sources(sources))
}

/// Parses and checks rule files already in memory.
pub fn check_sources(sources: Vec<SourceFile>) -> Loaded {
    let mut diagnostics = Vec::new();
    let mut parsed = Vec::new();
    let mut declared_in_broken_files = Vec::new();
    for source in &sources {
        let (ast, file_diagnostics) = syntax::parse_recovering(source);
        if file_diagnostics.iter().any(Diagnostic::is_error) {
            declared_in_broken_files.extend(declared_names(&source.text));
        }
        diagnostics.extend(file_diagnostics);
        parsed.push(ParsedFile {
            source: source.clone(),
            ast,
        });
    }
    let syntax_ok = !diagnostics.iter().any(Diagnostic::is_error);
    let checked = check::check(&parsed, &declared_in_broken_files);
    diagnostics.extend(checked.diagnostics);
    check::sort_diagnostics(&mut diagnostics);
    Loaded {
        files: sources,
        rules: if syntax_ok { checked.rules } else { None },
        diagnostics,
    }
}

/// Names an unparsable file seems to declare (`role ID` and `let NAME` at
/// the start of a line), so they are not also reported as undefined.
fn declared_names(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let rest = line
                .strip_prefix("role ")
                .or_else(|| line.strip_prefix("let "))?;
            let name: String = rest
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            (!name.is_empty()).then_some(name)
        })
        .collect()
}

/// For a single rule file that lies inside the default rule set (`rules/`
/// or `$ELIGO_RULES`), that rule set's folder: the file's names may refer to
/// the set's other files, so it is checked with them.
pub fn enclosing_rule_set(file: &Path, default: Option<&Path>) -> Option<PathBuf> {
    let folder = default?;
    if !file.is_file() || !folder.is_dir() {
        return None;
    }
    let file = std::fs::canonicalize(file).ok()?;
    let folder_canonical = std::fs::canonicalize(folder).ok()?;
    file.starts_with(&folder_canonical)
        .then(|| folder.to_path_buf())
}

/// Whether `name` (as a `SourceFile` names it) is the file at `path`.
pub fn same_file(name: &str, path: &Path) -> bool {
    match (std::fs::canonicalize(name), std::fs::canonicalize(path)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
