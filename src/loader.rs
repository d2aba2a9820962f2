//! Finding, reading, parsing and checking the rule files of a rule set,
//! and [`read_file`], the one way eligo reads a whole file (rule files,
//! profiles): regular files only, at most [`MAX_FILE_BYTES`].

use crate::check::{self, ParsedFile};
use crate::diagnostic::Code;
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
                Code::NoRules,
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
            Code::Io,
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

pub(crate) fn refused(path: &Path, error: &ReadError) -> Box<Diagnostic> {
    match error {
        ReadError::Io(error) => unreadable(path, error),
        ReadError::NotAFile(_) => Box::new(
            Diagnostic::error(
                Code::NotAFile,
                format!("cannot read `{}`: {}", path.display(), error.reason()),
            )
            .help("eligo reads only regular files (a symbolic link to one is fine)"),
        ),
        ReadError::TooLarge => Box::new(
            Diagnostic::error(
                Code::TooLarge,
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
                Diagnostic::error(Code::NotUtf8, "the file is not valid UTF-8")
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

/// Parses and checks the rule files at `path`. A path that cannot be read,
/// or a rule file that is not a regular file or is too large, comes back as
/// `Err` (eligo cannot do the job); problems inside the files, a file that
/// is not UTF-8 included, are diagnostics in `Loaded`, so one bad file never
/// hides the others' problems.
pub fn load_rules(path: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    load(path, false)
}

/// [`load_rules`] for `lint`: also reads every rule test's profile, as
/// `eligo test` would, and reports its problems.
pub fn lint_rules(path: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    load(path, true)
}

fn load(path: &Path, with_test_profiles: bool) -> Result<Loaded, Vec<Diagnostic>> {
    let paths = find_rule_files(path).map_err(|d| vec![*d])?;
    let mut sources = Vec::new();
    let mut not_utf8 = Vec::new();
    let mut errors = Vec::new();
    for path in &paths {
        match read_source(path) {
            Ok(source) => sources.push(source),
            Err(diagnostic) if diagnostic.code == Code::NotUtf8 => {
                // Its names, read past the bad bytes, so the other files'
                // uses of them are not also reported as undefined.
                let text = read_file(path)
                    .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                    .unwrap_or_default();
                not_utf8.push((
                    SourceFile::new(path.display().to_string(), text),
                    *diagnostic,
                ));
            }
            Err(diagnostic) => errors.push(*diagnostic),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let root = with_test_profiles.then(|| rule_set_folder(path));
    let mut loaded = check_sources_parsed(sources, not_utf8, root.as_deref()).0;
    if let Some(rules) = &mut loaded.rules {
        // Paths inside the rule set, so the same rules given by another
        // path (or copied elsewhere) have the same fingerprint.
        let base = if path.is_dir() {
            path.to_path_buf()
        } else {
            path.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        let relative: Vec<(String, &str)> = loaded
            .files
            .iter()
            .map(|file| {
                let name = Path::new(&file.name);
                let inside = name.strip_prefix(&base).unwrap_or(name);
                (inside.to_string_lossy().into_owned(), &*file.text)
            })
            .collect();
        rules.fingerprint =
            crate::fingerprint::fingerprint(relative.iter().map(|(p, t)| (p.as_str(), *t)));
    }
    Ok(loaded)
}

/// Checks rule files already in memory as `lint` does: with the problems
/// of the rule tests' profiles, read from inside `root` (the rule set's
/// folder). The language server checks unsaved buffers this way.
/// The parsed files come back too, in the order given, so an editor
/// need not parse them again for its index.
pub fn check_workspace(
    sources: Vec<SourceFile>,
    root: Option<&Path>,
) -> (Loaded, Vec<check::ParsedFile>) {
    check_sources_parsed(sources, Vec::new(), root)
}

/// Parses and checks rule files already in memory.
pub fn check_sources(sources: Vec<SourceFile>) -> Loaded {
    check_sources_parsed(sources, Vec::new(), None).0
}

/// [`check_sources`], with files that could not be decoded (each with its
/// diagnostic): they are reported and counted, and make the set unusable.
fn check_sources_parsed(
    sources: Vec<SourceFile>,
    not_utf8: Vec<(SourceFile, Diagnostic)>,
    test_profiles_root: Option<&Path>,
) -> (Loaded, Vec<ParsedFile>) {
    let mut diagnostics = Vec::new();
    let mut parsed = Vec::new();
    let mut declared_in_broken_files = Vec::new();
    for (source, diagnostic) in &not_utf8 {
        declared_in_broken_files.extend(declared_names(&source.text));
        diagnostics.push(diagnostic.clone());
    }
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
    if let Some(root) = test_profiles_root {
        diagnostics.extend(test_profile_problems(&parsed, root));
    }
    check::sort_diagnostics(&mut diagnostics);
    let mut files = sources;
    files.extend(not_utf8.into_iter().map(|(source, _)| source));
    files.sort_by(|a, b| Path::new(&a.name).cmp(Path::new(&b.name)));
    let rules = checked.rules.filter(|_| syntax_ok).map(|mut rules| {
        rules.fingerprint = crate::fingerprint::fingerprint(
            files.iter().map(|file| (file.name.as_str(), &*file.text)),
        );
        rules
    });
    (
        Loaded {
            files,
            rules,
            diagnostics,
        },
        parsed,
    )
}

/// Names an unparsable file seems to declare (`role ID` and `let NAME` at
/// the start of a line, outside braces), so they are not also reported as
/// undefined.
fn declared_names(text: &str) -> Vec<String> {
    use crate::syntax::lexer::{self, TokenKind};
    let tokens = lexer::tokens(text);
    let significant: Vec<_> = lexer::with_depth(&tokens).collect();
    significant
        .windows(2)
        .filter_map(|pair| {
            let [(keyword, depth), (name, _)] = pair else {
                return None;
            };
            let declares = *depth == 0
                && matches!(keyword.text(text), "role" | "let")
                && lexer::starts_line(text, keyword)
                && matches!(name.kind, TokenKind::Word | TokenKind::Number);
            declares.then(|| name.text(text).to_string())
        })
        .collect()
}

/// The rule set a single rule file belongs to, found from the file alone
/// (never from the current folder): its folder, and each folder above that
/// directly holds `.elig` files too, up to the first that holds none. `None`
/// when the file is the only rule file there (it is checked alone). The
/// walk never climbs into the file system's root, the temporary folder or
/// the home folder, where stray rule files are no rule set.
pub fn rule_set_around(file: &Path) -> Option<PathBuf> {
    // A file named without the `.elig` ending is no member of the rule set
    // the folder may hold: widening to that set would leave it unchecked.
    if !std::fs::metadata(file).is_ok_and(|m| m.is_file())
        || file.extension().is_none_or(|ext| ext != "elig")
    {
        return None;
    }
    let stop: Vec<PathBuf> = [
        Some(PathBuf::from("/")),
        Some(std::env::temp_dir()),
        std::env::var_os("HOME").map(PathBuf::from),
    ]
    .into_iter()
    .flatten()
    .filter_map(|p| std::fs::canonicalize(p).ok())
    .collect();
    let parent_of = |folder: &Path| -> Option<PathBuf> {
        match folder.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => Some(parent.to_path_buf()),
            _ => std::fs::canonicalize(folder)
                .ok()?
                .parent()
                .map(Path::to_path_buf),
        }
    };
    let mut folder = match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // A file lying directly in one of those folders is checked alone too.
    if stop.contains(&std::fs::canonicalize(&folder).ok()?) {
        return None;
    }
    while let Some(parent) = parent_of(&folder) {
        let canonical = std::fs::canonicalize(&parent).ok()?;
        if stop.contains(&canonical) || !holds_rule_files(&parent) {
            break;
        }
        folder = parent;
    }
    let files = find_rule_files(&folder).ok()?;
    (files.len() > 1).then_some(folder)
}

/// Whether `folder` directly holds a `.elig` file.
pub(crate) fn holds_rule_files(folder: &Path) -> bool {
    std::fs::read_dir(folder).is_ok_and(|entries| {
        entries.flatten().any(|entry| {
            entry.path().extension().is_some_and(|ext| ext == "elig")
                && std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file())
        })
    })
}

/// Whether `inner` is `outer` or lies inside it (symbolic links resolved).
pub fn is_within(inner: &Path, outer: &Path) -> bool {
    match (std::fs::canonicalize(inner), std::fs::canonicalize(outer)) {
        (Ok(inner), Ok(outer)) => inner.starts_with(outer),
        _ => false,
    }
}

/// Whether `name` (as a `SourceFile` names it) is the file at `path`.
pub fn same_file(name: &str, path: &Path) -> bool {
    match (std::fs::canonicalize(name), std::fs::canonicalize(path)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Where a rule test's `profile "PATH"` leads: `path` (already joined to
/// the rule file's folder) if it stays inside `root`, the rule set's folder.
/// A rule file must not make eligo read (and print parts of) an arbitrary
/// file, so an absolute path, a `..` that climbs out, or a symbolic link
/// that leads out is refused; the error says why.
pub fn resolve_test_profile(root: &Path, path: &Path) -> Result<PathBuf, String> {
    let absolute = |p: &Path| -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        }
    };
    let root_lexical = lexical(&absolute(root));
    if !lexical(&absolute(path)).starts_with(&root_lexical) {
        return Err(format!(
            "it is outside the rule set's folder `{}`",
            root.display()
        ));
    }
    let canonical = std::fs::canonicalize(path).map_err(|error| io_reason(&error))?;
    let root_canonical = std::fs::canonicalize(root).map_err(|error| io_reason(&error))?;
    if !canonical.starts_with(&root_canonical) {
        return Err(format!(
            "it leads (through a symbolic link) outside the rule set's folder `{}`",
            root.display()
        ));
    }
    let metadata = std::fs::metadata(&canonical).map_err(|error| io_reason(&error))?;
    if let Some(kind) = special_kind(metadata.file_type()) {
        return Err(ReadError::NotAFile(kind).reason());
    }
    Ok(path.to_path_buf())
}

/// `path` with `.` and `..` resolved without asking the file system.
fn lexical(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The rule set's folder for test profiles: `path` if it is a folder, else
/// the rule file's own folder.
pub fn rule_set_folder(path: &Path) -> PathBuf {
    if path.is_dir() {
        return path.to_path_buf();
    }
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Reads the profile of rule test `test_name` written in `rule_file`:
/// a file inside `root` (see [`resolve_test_profile`]) or inline JSON.
/// Problems are located in the rule file — inside the inline text, at the
/// line and column of the rule file — or, for a profile file that does not
/// parse, in that file. `at` is where the test names its profile (asked
/// only when there is a problem to locate).
pub fn load_test_profile(
    rule_file: &SourceFile,
    test_name: &str,
    profile: &crate::ruleset::TestProfile,
    at: &dyn Fn() -> Span,
    root: &Path,
) -> Result<crate::profile::Profile, Vec<Diagnostic>> {
    use crate::ruleset::TestProfile;
    match profile {
        TestProfile::File(path) => {
            let resolved = resolve_test_profile(root, path).map_err(|why| {
                let at = at();
                vec![
                    Diagnostic::error(Code::TestProfile,
                        format!(
                            "the profile of test \"{test_name}\" cannot be read: `{}`: {why}",
                            path.display()
                        ),
                    )
                    .at(rule_file, at)
                    .label("this profile")
                    .help("a test's profile is a regular file inside the rule set's folder, named relative to the rule file"),
                ]
            })?;
            crate::profile::load_profile(&resolved).map_err(|diagnostics| {
                let (line, column) = rule_file.line_col(at().start);
                diagnostics
                    .into_iter()
                    .map(|d| {
                        d.note(format!(
                            "the profile of test \"{test_name}\" ({}:{line}:{column})",
                            rule_file.name
                        ))
                    })
                    .collect()
            })
        }
        TestProfile::Inline { text, offset } => {
            let name = format!("{} (profile of test \"{test_name}\")", rule_file.name);
            crate::profile::parse_profile(&SourceFile::new(name.clone(), text.as_str())).map_err(
                |diagnostics| {
                    diagnostics
                        .into_iter()
                        .map(|d| relocate(d, &name, rule_file, *offset))
                        .collect()
                },
            )
        }
    }
}

/// Where the test whose item spans `test` in `file` names its profile (the
/// `profile` statement's string), found by parsing the file again; the
/// test's own span when it cannot be found. For locating a problem only.
pub fn test_profile_span(file: &SourceFile, test: Span) -> Span {
    use crate::syntax::ast;
    let (ast, _) = syntax::parse_recovering(file);
    ast.items
        .iter()
        .find_map(|item| match item {
            ast::Item::Test(found)
                if (found.span.start, found.span.end) == (test.start, test.end) =>
            {
                found
                    .statements
                    .iter()
                    .find_map(|statement| match statement {
                        ast::TestStatement::ProfileFile(text)
                        | ast::TestStatement::ProfileInline(text) => Some(text.span),
                        _ => None,
                    })
            }
            _ => None,
        })
        .unwrap_or(test)
}

/// A diagnostic about text that sits at `offset` of `file` (an inline
/// profile), pointed into `file` itself.
fn relocate(
    mut diagnostic: Diagnostic,
    inner_name: &str,
    file: &SourceFile,
    offset: usize,
) -> Diagnostic {
    let inside = diagnostic
        .file
        .as_ref()
        .is_some_and(|inner| inner.name == inner_name);
    if !inside {
        return diagnostic;
    }
    let shift = |span: Span| Span::new(span.start + offset, span.end + offset);
    diagnostic.file = Some(file.clone());
    diagnostic.span = diagnostic.span.map(shift);
    for (span, _) in &mut diagnostic.secondary {
        *span = shift(*span);
    }
    diagnostic
}

/// Every rule test's profile in `files`, read as `eligo test` reads it:
/// the problems, for `lint`.
fn test_profile_problems(parsed: &[ParsedFile], root: &Path) -> Vec<Diagnostic> {
    use crate::ruleset::TestProfile;
    use crate::syntax::ast;
    let mut problems = Vec::new();
    for file in parsed {
        let folder = Path::new(&file.source.name)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        for item in &file.ast.items {
            let ast::Item::Test(test) = item else {
                continue;
            };
            for statement in &test.statements {
                let (profile, span) = match statement {
                    ast::TestStatement::ProfileFile(path) => {
                        (TestProfile::File(folder.join(&path.value)), path.span)
                    }
                    ast::TestStatement::ProfileInline(text) => (
                        TestProfile::Inline {
                            text: text.value.clone(),
                            offset: text.span.start + 3,
                        },
                        text.span,
                    ),
                    _ => continue,
                };
                if let Err(diagnostics) =
                    load_test_profile(&file.source, &test.name.value, &profile, &|| span, root)
                {
                    problems.extend(diagnostics);
                }
            }
        }
    }
    problems
}
