//! Managed blocks: find `<!-- NAME_START -->` / `<!-- NAME_END -->` pairs and
//! splice new content between them, byte-exactly.
//!
//! A marker is a whole source line holding only the comment (surrounding
//! whitespace allowed) that CommonMark parses as an HTML block and that does
//! not sit inside another HTML comment. Markers in code blocks, in inline
//! HTML or in block quotes are plain text.

use std::ops::Range;
use std::sync::LazyLock;

use serde::Deserialize;

use pulldown_cmark::{Event, Tag, TagEnd};
use regex::Regex;

use crate::core::lines::LineIndex;
use crate::core::markdown::Source;

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^<!--\s*([A-Za-z0-9_.-]+?)_(START|END)\s*-->$").expect("marker regex is valid")
});

/// One managed block found in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The block's name (`READINESS_SCORE` for `<!-- READINESS_SCORE_START -->`).
    pub name: String,
    /// 1-based line of the START marker.
    pub start_line: usize,
    /// 1-based line of the END marker.
    pub end_line: usize,
    /// Bytes between the end of the START line (after its line ending) and
    /// the beginning of the END line: what a rewrite replaces.
    pub content: Range<usize>,
    /// Bytes from the beginning of the START line to the end of the END line
    /// (without its line ending): everything the block owns.
    pub whole: Range<usize>,
}

/// A structural problem with the markers; nothing may be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarkerError {
    /// START with no END after it.
    #[error(
        "line {line}: `<!-- {name}_START -->` has no matching `<!-- {name}_END -->`; add the END marker on its own line after the block, or delete the START marker"
    )]
    MissingEnd { name: String, line: usize },
    /// END with no START before it.
    #[error(
        "line {line}: `<!-- {name}_END -->` has no matching `<!-- {name}_START -->` before it; add the START marker on its own line before the block, or delete the END marker"
    )]
    MissingStart { name: String, line: usize },
    /// A second START or END of the same name.
    #[error(
        "line {line}: a second `<!-- {name}_{which} -->` (the first is on line {first_line}); keep exactly one pair of {name} markers"
    )]
    Duplicate {
        name: String,
        which: &'static str,
        first_line: usize,
        line: usize,
    },
    /// One block starts inside another.
    #[error(
        "line {line}: the {inner} block starts inside the {outer} block (lines {outer_start}–{outer_end}); {relation} blocks are not allowed — move the {inner} markers outside the {outer} block"
    )]
    Overlap {
        outer: String,
        inner: String,
        outer_start: usize,
        outer_end: usize,
        line: usize,
        relation: &'static str,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Start,
    End,
}

#[derive(Debug, Clone)]
struct Marker {
    name: String,
    kind: Kind,
    line: usize,
    /// The marker's line, without its line ending.
    line_range: Range<usize>,
}

/// Find the blocks named in `names` (other names are ignored). A name with
/// neither marker present is simply absent from the result, which is sorted
/// by position.
///
/// ```
/// use release_dashboard::core::markers::{find_blocks, splice};
///
/// let text = "# T\n<!-- CI_SNAPSHOT_START -->\nold\n<!-- CI_SNAPSHOT_END -->\n";
/// let blocks = find_blocks(text, &["CI_SNAPSHOT"]).unwrap();
/// assert_eq!(&text[blocks[0].content.clone()], "old\n");
/// let updated = splice(text, &[(blocks[0].content.clone(), "new\n".to_string())]);
/// assert_eq!(updated, "# T\n<!-- CI_SNAPSHOT_START -->\nnew\n<!-- CI_SNAPSHOT_END -->\n");
/// ```
pub fn find_blocks(text: &str, names: &[&str]) -> Result<Vec<Block>, MarkerError> {
    let index = LineIndex::new(text);
    let markers: Vec<Marker> = scan_markers(text, &index)
        .into_iter()
        .filter(|m| names.contains(&m.name.as_str()))
        .collect();
    let mut blocks = Vec::new();
    for name in names {
        if let Some(block) = pair_markers(text, name, &markers)? {
            blocks.push(block);
        }
    }
    blocks.sort_by_key(|b| b.whole.start);
    check_overlaps(&blocks)?;
    Ok(blocks)
}

fn pair_markers(text: &str, name: &str, markers: &[Marker]) -> Result<Option<Block>, MarkerError> {
    let of_kind = |kind| -> Vec<&Marker> {
        markers
            .iter()
            .filter(|m| m.name == name && m.kind == kind)
            .collect()
    };
    let (starts, ends) = (of_kind(Kind::Start), of_kind(Kind::End));
    for (list, which) in [(&starts, "START"), (&ends, "END")] {
        if let [first, second, ..] = list.as_slice() {
            return Err(MarkerError::Duplicate {
                name: name.to_string(),
                which,
                first_line: first.line,
                line: second.line,
            });
        }
    }
    match (starts.first(), ends.first()) {
        (None, None) => Ok(None),
        (Some(start), None) => Err(MarkerError::MissingEnd {
            name: name.to_string(),
            line: start.line,
        }),
        (None, Some(end)) => Err(MarkerError::MissingStart {
            name: name.to_string(),
            line: end.line,
        }),
        (Some(start), Some(end)) if end.line < start.line => Err(MarkerError::MissingStart {
            name: name.to_string(),
            line: end.line,
        }),
        (Some(start), Some(end)) => Ok(Some(Block {
            name: name.to_string(),
            start_line: start.line,
            end_line: end.line,
            content: after_line_ending(text, start.line_range.end)..end.line_range.start,
            whole: start.line_range.start..end.line_range.end,
        })),
    }
}

fn check_overlaps(sorted: &[Block]) -> Result<(), MarkerError> {
    for pair in sorted.windows(2) {
        let (outer, inner) = (&pair[0], &pair[1]);
        if inner.whole.start < outer.whole.end {
            let nested = inner.whole.end <= outer.whole.end;
            return Err(MarkerError::Overlap {
                outer: outer.name.clone(),
                inner: inner.name.clone(),
                outer_start: outer.start_line,
                outer_end: outer.end_line,
                line: inner.start_line,
                relation: if nested { "nested" } else { "crossed" },
            });
        }
    }
    Ok(())
}

/// Every marker line of any name, in document order.
fn scan_markers(text: &str, index: &LineIndex) -> Vec<Marker> {
    let mut markers = Vec::new();
    let mut in_html_block = false;
    let mut in_comment = false;
    let mut next_unseen = 0;
    for (event, range) in Source::new(text).events() {
        match event {
            Event::Start(Tag::HtmlBlock) => {
                in_html_block = true;
                in_comment = false;
            }
            Event::End(TagEnd::HtmlBlock) => in_html_block = false,
            Event::Html(_) if in_html_block => {
                for line in index.lines_overlapping(range) {
                    if line.start < next_unseen {
                        continue;
                    }
                    next_unseen = line.end + 1;
                    if !in_comment && let Some(marker) = parse_marker(text, index, line.clone()) {
                        markers.push(marker);
                    }
                    in_comment = comment_open_after(&text[line], in_comment);
                }
            }
            _ => {}
        }
    }
    markers
}

fn parse_marker(text: &str, index: &LineIndex, line: Range<usize>) -> Option<Marker> {
    let caps = MARKER.captures(text[line.clone()].trim())?;
    let kind = if &caps[2] == "START" {
        Kind::Start
    } else {
        Kind::End
    };
    Some(Marker {
        name: caps[1].to_string(),
        kind,
        line: index.line_of(line.start),
        line_range: line,
    })
}

/// Whether an HTML comment is still open at the end of `line`.
/// Whether an HTML comment is open after `line`, given whether one was
/// open before it.
pub(crate) fn comment_open_after(line: &str, mut open: bool) -> bool {
    let mut rest = line;
    loop {
        let token = if open { "-->" } else { "<!--" };
        match rest.find(token) {
            Some(at) => {
                rest = &rest[at + token.len()..];
                open = !open;
            }
            None => return open,
        }
    }
}

fn after_line_ending(text: &str, line_end: usize) -> usize {
    match text[line_end..].find('\n') {
        Some(at) => line_end + at + 1,
        None => text.len(),
    }
}

/// Replace each range with its text. Ranges must not overlap; order is free.
pub fn splice(text: &str, replacements: &[(Range<usize>, String)]) -> String {
    let mut sorted: Vec<&(Range<usize>, String)> = replacements.iter().collect();
    sorted.sort_by_key(|(range, _)| range.start);
    let mut out =
        String::with_capacity(text.len() + sorted.iter().map(|(_, s)| s.len()).sum::<usize>());
    let mut at = 0;
    for (range, new) in sorted {
        out.push_str(&text[at..range.start]);
        out.push_str(new);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// `[markers]`: block names, as in `<!-- NAME_START -->`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct MarkerNames {
    pub readiness: String,
    pub ci: String,
}

impl Default for MarkerNames {
    fn default() -> Self {
        MarkerNames {
            readiness: "READINESS_SCORE".to_string(),
            ci: "CI_SNAPSHOT".to_string(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const NAMES: &[&str] = &["READINESS_SCORE", "CI_SNAPSHOT"];

    fn blocks(text: &str) -> Vec<Block> {
        find_blocks(text, NAMES).unwrap()
    }

    #[test]
    fn finds_a_block_and_its_content() {
        let text = "# T\n<!-- CI_SNAPSHOT_START -->\nold\n<!-- CI_SNAPSHOT_END -->\ntail\n";
        let found = blocks(text);
        assert_eq!(found.len(), 1);
        let b = &found[0];
        assert_eq!((b.start_line, b.end_line), (2, 4));
        assert_eq!(&text[b.content.clone()], "old\n");
        assert_eq!(
            &text[b.whole.clone()],
            "<!-- CI_SNAPSHOT_START -->\nold\n<!-- CI_SNAPSHOT_END -->"
        );
    }

    #[test]
    fn tolerates_whitespace_and_crlf() {
        let text = "a\r\n  <!--CI_SNAPSHOT_START   -->\r\nx\r\n<!--   CI_SNAPSHOT_END-->  \r\n";
        let b = &blocks(text)[0];
        assert_eq!(&text[b.content.clone()], "x\r\n");
    }

    #[test]
    fn empty_block_content() {
        let text = "<!-- CI_SNAPSHOT_START -->\n<!-- CI_SNAPSHOT_END -->";
        let b = &blocks(text)[0];
        assert_eq!(b.content, 27..27);
    }

    #[test]
    fn markers_in_code_or_comments_or_inline_are_text() {
        let text = "```\n<!-- CI_SNAPSHOT_START -->\n```\n\n    <!-- CI_SNAPSHOT_END -->\n\n\
                    <!-- outer\n<!-- READINESS_SCORE_START -->\n-->\n\
                    Some text <!-- READINESS_SCORE_END -->\n\n> <!-- CI_SNAPSHOT_START -->\n";
        assert!(blocks(text).is_empty());
    }

    #[test]
    fn other_names_are_ignored() {
        let text = "<!-- OTHER_START -->\n<!-- CI_SNAPSHOT_START -->\n<!-- CI_SNAPSHOT_END -->\n";
        assert_eq!(blocks(text).len(), 1);
    }

    #[test]
    fn missing_end() {
        let err = find_blocks("x\n<!-- CI_SNAPSHOT_START -->\n", NAMES).unwrap_err();
        assert_eq!(
            err,
            MarkerError::MissingEnd {
                name: "CI_SNAPSHOT".into(),
                line: 2
            }
        );
        assert!(err.to_string().contains("line 2"));
    }

    #[test]
    fn missing_start_and_reversed() {
        let err = find_blocks("<!-- CI_SNAPSHOT_END -->\n", NAMES).unwrap_err();
        assert!(matches!(err, MarkerError::MissingStart { line: 1, .. }));
        let text = "<!-- CI_SNAPSHOT_END -->\n<!-- CI_SNAPSHOT_START -->\n";
        let err = find_blocks(text, NAMES).unwrap_err();
        assert!(matches!(err, MarkerError::MissingStart { line: 1, .. }));
    }

    #[test]
    fn duplicated_pair() {
        let text = "<!-- CI_SNAPSHOT_START -->\n<!-- CI_SNAPSHOT_END -->\n<!-- CI_SNAPSHOT_START -->\n<!-- CI_SNAPSHOT_END -->\n";
        let err = find_blocks(text, NAMES).unwrap_err();
        assert!(matches!(
            err,
            MarkerError::Duplicate {
                which: "START",
                first_line: 1,
                line: 3,
                ..
            }
        ));
    }

    #[test]
    fn nested_and_crossed_blocks() {
        let nested = "<!-- CI_SNAPSHOT_START -->\n<!-- READINESS_SCORE_START -->\n<!-- READINESS_SCORE_END -->\n<!-- CI_SNAPSHOT_END -->\n";
        let err = find_blocks(nested, NAMES).unwrap_err();
        assert!(matches!(
            err,
            MarkerError::Overlap {
                relation: "nested",
                line: 2,
                ..
            }
        ));
        let crossed = "<!-- CI_SNAPSHOT_START -->\n<!-- READINESS_SCORE_START -->\n<!-- CI_SNAPSHOT_END -->\n<!-- READINESS_SCORE_END -->\n";
        let err = find_blocks(crossed, NAMES).unwrap_err();
        assert!(matches!(
            err,
            MarkerError::Overlap {
                relation: "crossed",
                ..
            }
        ));
        assert!(err.to_string().contains("READINESS_SCORE"));
    }

    #[test]
    fn splice_replaces_only_ranges() {
        assert_eq!(
            splice("abcdef", &[(4..5, "X".into()), (1..2, "YY".into())]),
            "aYYcdXf"
        );
        assert_eq!(splice("abc", &[]), "abc");
    }

    #[test]
    fn comment_state() {
        assert!(comment_open_after("<!-- a", false));
        assert!(!comment_open_after("<!-- a --> b", false));
        assert!(!comment_open_after("b -->", true));
        assert!(comment_open_after("--> <!--", true));
    }
}
