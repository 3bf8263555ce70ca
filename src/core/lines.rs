//! Byte offsets ↔ 1-based line numbers.

use std::ops::Range;

/// The start offset of every line of a text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    /// Index `text`'s lines (a line ends after `\n`).
    pub fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// The 1-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset).max(1)
    }

    /// The lines (without their `\r\n` or `\n`) that start inside `range`,
    /// plus the line holding `range.start`.
    pub fn lines_overlapping(
        &self,
        range: Range<usize>,
    ) -> impl Iterator<Item = Range<usize>> + '_ {
        let first = self.line_of(range.start) - 1;
        let end = range.end.max(range.start + 1);
        self.starts[first..]
            .iter()
            .take_while(move |&&start| start < end)
            .enumerate()
            .map(move |(i, &start)| start..self.content_end(first + i))
    }

    /// The end of line `i` (0-based), before its line ending.
    fn content_end(&self, i: usize) -> usize {
        self.starts.get(i + 1).map_or(self.len, |&next| next - 1)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn line_numbers() {
        let idx = LineIndex::new("ab\ncd\n\nef");
        assert_eq!(idx.line_of(0), 1);
        assert_eq!(idx.line_of(2), 1);
        assert_eq!(idx.line_of(3), 2);
        assert_eq!(idx.line_of(6), 3);
        assert_eq!(idx.line_of(7), 4);
        assert_eq!(idx.line_of(100), 4);
    }

    #[test]
    fn overlapping_lines() {
        let text = "ab\ncd\nef\n";
        let idx = LineIndex::new(text);
        let got: Vec<&str> = idx.lines_overlapping(3..9).map(|r| &text[r]).collect();
        assert_eq!(got, ["cd", "ef"]);
        let got: Vec<&str> = idx.lines_overlapping(4..5).map(|r| &text[r]).collect();
        assert_eq!(got, ["cd"]);
    }

    #[test]
    fn empty_text() {
        let idx = LineIndex::new("");
        assert_eq!(idx.line_of(0), 1);
        assert_eq!(idx.lines_overlapping(0..0).count(), 1);
    }
}
