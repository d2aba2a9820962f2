//! Source text and byte spans. Spans never take part in equality, so trees
//! parsed from differently formatted text compare equal.

use std::fmt;
use std::sync::Arc;

/// A half-open byte range `start..end` into one source text.
#[derive(Clone, Copy, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl PartialEq for Span {
    fn eq(&self, _: &Span) -> bool {
        true
    }
}

impl Eq for Span {}

impl std::hash::Hash for Span {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// A named text: a rule file, a profile, or a command-line argument.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path as the user gave it (or a pseudo-name such as `<stdin>`).
    pub name: String,
    pub text: Arc<str>,
    /// The byte offset where every 64th line starts (lines 1, 65, 129, …),
    /// built on first use: `screen` locates the rule of every unmet
    /// condition it writes, and scanning the file from its start each time
    /// cost a sixth of its run. Sparse, so that a file of 16 MiB of line
    /// breaks costs 2 MiB, not 128.
    line_checkpoints: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> SourceFile {
        SourceFile {
            name: name.into(),
            text: text.into(),
            line_checkpoints: std::sync::OnceLock::new(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset: the same
    /// as [`line_col`] on the text.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let text = &*self.text;
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let checkpoints = self.line_checkpoints.get_or_init(|| {
            std::iter::once(0)
                .chain(
                    text.match_indices('\n')
                        .map(|(at, _)| at + 1)
                        .skip(LINES_PER_CHECKPOINT - 1)
                        .step_by(LINES_PER_CHECKPOINT),
                )
                .collect()
        });
        // The last checkpoint at or before the offset, then the lines after it.
        let index = checkpoints
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        let from = checkpoints[index];
        let (line, column) = line_col(&text[from..], offset - from);
        (index * LINES_PER_CHECKPOINT + line, column)
    }

    /// Byte offset of a 1-based line and column (in characters), clamped to the text.
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let mut offset = 0;
        for (index, text_line) in self.text.split_inclusive('\n').enumerate() {
            if index + 1 == line {
                let within: usize = text_line
                    .chars()
                    .take(column.saturating_sub(1))
                    .map(char::len_utf8)
                    .sum();
                return offset + within;
            }
            offset += text_line.len();
        }
        self.text.len()
    }
}

/// Lines between two checkpoints of [`SourceFile::line_col`].
const LINES_PER_CHECKPOINT: usize = 64;

/// 1-based line and column (in characters) of a byte offset into `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let file = SourceFile::new("x", "ab\ncé d\n");
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(3), (2, 1));
        assert_eq!(file.line_col(6), (2, 3));
        // The line index agrees with the scan everywhere, at the end, past
        // it and inside a character.
        let many: String = (0..300).map(|i| format!("line {i} é\n")).collect();
        let blank = "\n".repeat(200);
        for text in ["", "\n", "ab\ncé d\n", "x\n\n\ny", "é\r\nü", &many, &blank] {
            let file = SourceFile::new("x", text);
            for offset in 0..text.len() + 3 {
                assert_eq!(
                    file.line_col(offset),
                    line_col(text, offset),
                    "{text:?} {offset}"
                );
            }
        }
        assert_eq!(file.offset_of(2, 3), 6);
        assert_eq!(file.offset_of(9, 1), file.text.len());
    }

    #[test]
    fn spans_never_affect_equality() {
        assert_eq!(Span::new(1, 2), Span::new(5, 9));
    }
}
