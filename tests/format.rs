//! `eligo fmt`'s engine: snapshots of messy inputs, and the formatter's
//! properties (idempotent, meaning-preserving, no comment lost or
//! duplicated, canonical layout) on every rule file in the repository.

use eligo::diagnostic::render_human;
use eligo::format::{MAX_WIDTH, format_file, format_source};
use eligo::source::SourceFile;
use eligo::syntax::{ast, parse};
use std::path::{Path, PathBuf};

fn parse_ok(name: &str, text: &str) -> ast::File {
    parse(&SourceFile::new(name, text)).unwrap_or_else(|diagnostics| {
        panic!(
            "{name} does not parse:\n{}",
            render_human(&diagnostics, false)
        )
    })
}

/// Comment texts as the formatter writes them (trailing white space dropped).
fn comment_texts(file: &ast::File) -> Vec<String> {
    file.comments
        .iter()
        .map(|c| c.text.trim_end().to_string())
        .collect()
}

/// Formats `text` and checks every property of the output; returns it.
fn check_properties(name: &str, text: &str) -> String {
    check_parsed(name, text, &parse_ok(name, text))
}

/// `check_properties` for `text` already parsed into `original`.
fn check_parsed(name: &str, text: &str, original: &ast::File) -> String {
    let formatted = format_file(original, text);
    let reparsed =
        parse(&SourceFile::new(name, formatted.as_str())).unwrap_or_else(|diagnostics| {
            panic!(
                "the formatted {name} does not parse:\n{}\n--- output ---\n{formatted}",
                render_human(&diagnostics, false)
            )
        });
    assert_eq!(
        reparsed.items, original.items,
        "formatting {name} changed its meaning\n--- output ---\n{formatted}"
    );
    assert_eq!(
        comment_texts(&reparsed),
        comment_texts(original),
        "formatting {name} lost, duplicated or reordered comments\n--- output ---\n{formatted}"
    );
    let twice = format_file(&reparsed, &formatted);
    assert_eq!(twice, formatted, "formatting {name} is not idempotent");
    check_layout(name, &formatted);
    formatted
}

/// The canonical layout, checked line by line (inline profiles excepted).
fn check_layout(name: &str, formatted: &str) {
    if formatted.is_empty() {
        return;
    }
    assert!(
        formatted.ends_with('\n') && !formatted.ends_with("\n\n"),
        "{name}: the output must end with exactly one line break"
    );
    let lines: Vec<&str> = formatted.lines().collect();
    let mut in_raw_string = false;
    for (index, line) in lines.iter().enumerate() {
        let starts_in_raw = in_raw_string;
        in_raw_string ^= line.matches("\"\"\"").count() % 2 == 1;
        if starts_in_raw || in_raw_string {
            continue;
        }
        let at = format!("{name}, output line {}: {line:?}", index + 1);
        assert_eq!(line.trim_end(), *line, "trailing white space at {at}");
        let indent = line.len() - line.trim_start_matches(' ').len();
        assert!(indent % 2 == 0, "odd indentation at {at}");
        assert!(
            !line.starts_with('\t') && !line[indent..].starts_with('\t'),
            "tab at {at}"
        );
        if line.is_empty() {
            assert!(index > 0, "{name} starts with a blank line");
            let before = lines[index - 1];
            let after = lines.get(index + 1).copied().unwrap_or("x");
            assert!(!before.is_empty(), "two blank lines in a row at {at}");
            assert!(
                !before.ends_with('{') && !before.ends_with('['),
                "blank line after an opening at {at}"
            );
            let after = after.trim_start();
            assert!(
                !after.starts_with('}') && !after.starts_with(']'),
                "blank line before a closing at {at}"
            );
        }
    }
}

/// Every `.elig` file under `dir`, recursively, sorted.
fn elig_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return files;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(elig_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "elig") {
            files.push(path);
        }
    }
    files.sort();
    files
}

fn repository_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = elig_files(&root.join("rules"));
    files.extend(elig_files(&root.join("tests/fixtures")));
    files
}

fn fixture_texts() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/format");
    let files = elig_files(&dir);
    assert!(files.len() >= 4, "the format fixtures are missing");
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path.display().to_string(), text)
        })
        .collect()
}

// ---- snapshots ----------------------------------------------------------------

#[test]
fn snapshots() {
    insta::glob!("fixtures/format/*.elig", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let formatted = check_properties(&path.display().to_string(), &text);
        insta::assert_snapshot!(formatted);
    });
}

// ---- properties on the whole repository ---------------------------------------

/// Every rule file that parses formats to an equivalent, stable text with
/// the same comments. Files that do not parse (fixtures of syntax errors)
/// are skipped: the formatter only ever sees files that parse.
#[test]
fn every_rule_file_in_the_repository_formats_stably_and_keeps_its_meaning() {
    let files = repository_files();
    let mut checked = 0;
    let mut skipped = Vec::new();
    for path in &files {
        let name = path.display().to_string();
        // The hostile corpus has rule files that are not UTF-8.
        let Ok(text) = std::fs::read_to_string(path) else {
            skipped.push(name);
            continue;
        };
        if parse(&SourceFile::new(name.as_str(), text.as_str())).is_err() {
            skipped.push(name);
            continue;
        }
        check_properties(&name, &text);
        checked += 1;
    }
    assert!(checked >= 4, "too few rule files found: {files:?}");
    if !skipped.is_empty() {
        eprintln!(
            "skipped {} files that do not parse: {skipped:#?}",
            skipped.len()
        );
    }
}

/// The same file with Windows line breaks formats to the same text.
#[test]
fn crlf_line_breaks_format_like_lf() {
    for (name, text) in fixture_texts() {
        if text.contains("\"\"\"") {
            continue; // inline profiles are kept verbatim, line breaks included
        }
        let crlf = text.replace('\n', "\r\n");
        assert_eq!(
            check_properties(&name, &crlf),
            check_properties(&name, &text),
            "{name}"
        );
    }
}

// ---- comments: none lost, none duplicated -------------------------------------

/// Offsets between two tokens (outside strings and comments) where white
/// space, and so a comment, may be inserted without changing the meaning.
fn token_boundaries(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let separates = |b: u8| b.is_ascii_whitespace() || b"[]{},".contains(&b);
    let mut boundaries = Vec::new();
    let mut i = 0;
    while i <= bytes.len() {
        if text[i..].starts_with("\"\"\"") {
            i += 3 + text[i + 3..].find("\"\"\"").map_or(bytes.len(), |n| n + 3);
            continue;
        }
        match bytes.get(i) {
            Some(b'"') => {
                boundaries.push(i);
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                if i <= bytes.len() {
                    boundaries.push(i);
                }
                continue;
            }
            Some(b'/') if bytes.get(i + 1) == Some(&b'/') => {
                boundaries.push(i);
                i = text[i..].find('\n').map_or(bytes.len() + 1, |n| i + n);
                continue;
            }
            _ => {}
        }
        let before = i.checked_sub(1).map(|j| bytes[j]);
        let after = bytes.get(i).copied();
        // Inside a run of white space, only the starts of lines.
        let inside_white_space = before.is_some_and(|b| b.is_ascii_whitespace() && b != b'\n')
            && after.is_some_and(|b| b.is_ascii_whitespace());
        if !inside_white_space && (before.is_none_or(separates) || after.is_none_or(separates)) {
            boundaries.push(i);
        }
        i += 1;
    }
    boundaries.dedup();
    boundaries
}

/// Inserts a comment at every token boundary of every fixture, once on a
/// line of its own and once at the end of a line: the output always holds
/// every comment exactly once, in order, and the properties hold.
#[test]
fn a_comment_anywhere_is_kept_exactly_once() {
    let chunks: Vec<(String, String)> = fixture_texts()
        .iter()
        .flat_map(|(name, text)| small_pieces(name, text))
        .collect();
    std::thread::scope(|scope| {
        for (name, text) in &chunks {
            for own_line in [true, false] {
                scope.spawn(move || insert_comments(name, text, own_line));
            }
        }
    });
}

/// The file cut into small files that parse, so that the number of parses
/// grows with the size of the fixtures, not its square: each top-level item
/// with the comments before it, and a role's statements each in a copy of
/// the role.
fn small_pieces(name: &str, text: &str) -> Vec<(String, String)> {
    let file = parse_ok(name, text);
    let mut starts: Vec<usize> = file.items.iter().map(|item| item.span().start).collect();
    starts[0] = 0;
    starts.push(text.len());
    let mut pieces = Vec::new();
    for (index, item) in file.items.iter().enumerate() {
        let (start, end) = (starts[index], starts[index + 1]);
        let name = format!("{name} item {}", index + 1);
        match item {
            ast::Item::Role(role) if role.body.statements.len() > 1 => {
                let open = role.body.span.start + 1;
                let close = role.body.span.end - 1;
                let header = &text[start..open];
                let mut statement_starts: Vec<usize> = role
                    .body
                    .statements
                    .iter()
                    .map(|statement| match statement {
                        // Their span is only the string's: include the keyword.
                        ast::Statement::Description(string) | ast::Statement::Note(string) => {
                            let before = text[..string.span.start].trim_end();
                            before.len()
                                - before
                                    .rsplit(char::is_whitespace)
                                    .next()
                                    .unwrap_or("")
                                    .len()
                        }
                        _ => statement.span().start,
                    })
                    .collect();
                statement_starts[0] = open;
                statement_starts.push(close);
                for (n, range) in statement_starts.windows(2).enumerate() {
                    let body = &text[range[0]..range[1]];
                    pieces.push((
                        format!("{name} statement {}", n + 1),
                        format!("{header}{body}\n}}\n"),
                    ));
                }
                pieces.push((
                    format!("{name} end"),
                    format!("{header}\n{}", &text[close..end]),
                ));
            }
            _ => pieces.push((name, text[start..end].to_string())),
        }
    }
    pieces
}

fn insert_comments(name: &str, text: &str, own_line: bool) {
    let original = parse_ok(name, text);
    for (n, offset) in token_boundaries(text).into_iter().enumerate() {
        let marker = format!("// inserted {n}");
        let insert = if own_line {
            format!("\n{marker}\n")
        } else {
            format!(" {marker}\n")
        };
        let edited = format!("{}{insert}{}", &text[..offset], &text[offset..]);
        let case = format!("{name} with `{}` at offset {offset}", insert.trim());
        let ast = parse_ok(&case, &edited);
        assert_eq!(ast.items, original.items, "the test broke {case}");
        let formatted = check_parsed(&case, &edited, &ast);
        assert_eq!(
            formatted.matches(marker.as_str()).count(),
            1,
            "{case}:\n{formatted}"
        );
        assert!(
            formatted
                .lines()
                .any(|line| line.trim_end().ends_with(marker.as_str())),
            "{case}: the comment is not at the end of a line:\n{formatted}"
        );
    }
}

// ---- layout ignores the author's white space ----------------------------------

/// Rewrites every run of white space between tokens that holds no blank line.
fn reflow(text: &str, replacement: &str) -> String {
    let boundaries = token_boundaries(text);
    let mut out = String::new();
    let mut i = 0;
    let bytes = text.as_bytes();
    for &start in &boundaries {
        if start < i || start >= bytes.len() || !bytes[start].is_ascii_whitespace() {
            continue;
        }
        let end = start
            + text[start..]
                .find(|c: char| !c.is_ascii_whitespace())
                .unwrap_or(text.len() - start);
        let run = &text[start..end];
        let blank = run.split('\n').count() > 2;
        out.push_str(&text[i..start]);
        out.push_str(if blank { "\n\n" } else { replacement });
        i = end;
    }
    out.push_str(&text[i..]);
    out
}

#[test]
fn layout_does_not_depend_on_the_authors_white_space() {
    for (name, text) in fixture_texts() {
        if text.contains("//") || text.contains("\"\"\"") {
            continue; // comments end at a line break; profiles are verbatim
        }
        let expected = check_properties(&name, &text);
        for replacement in [" ", "\n\t ", "  \n"] {
            let reflowed = reflow(&text, replacement);
            assert_eq!(
                check_properties(&name, &reflowed),
                expected,
                "{name} reflowed with {replacement:?}"
            );
        }
    }
}

#[test]
fn lists_break_at_the_width_limit() {
    let fits = format!("let x = [\"{}\"]\n", "a".repeat(MAX_WIDTH - 12));
    assert_eq!(fits.trim_end().len(), MAX_WIDTH);
    assert_eq!(check_properties("fits", &fits), fits);
    let long = format!("let x = [\"{}\"]\n", "a".repeat(MAX_WIDTH - 11));
    assert_eq!(
        check_properties("long", &long),
        format!("let x = [\n  \"{}\",\n]\n", "a".repeat(MAX_WIDTH - 11))
    );
}

#[test]
fn format_source_reports_syntax_errors() {
    let file = SourceFile::new("bad.elig", "role X \"T\" { degree >= }\n");
    let diagnostics = format_source(&file).unwrap_err();
    assert!(diagnostics.iter().any(|d| d.is_error()));
    let good = SourceFile::new("good.elig", "role X \"T\" {age>=18}");
    assert_eq!(
        format_source(&good).unwrap(),
        "role X \"T\" {\n  age >= 18\n}\n"
    );
}

#[test]
fn canonical_input_is_left_unchanged() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/format/every_construct.elig");
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(check_properties("every_construct.elig", &text), text);
}
