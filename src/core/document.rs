//! A checklist file as text: its BOM, its line ending, and how generated
//! blocks are put into it without touching anything else.

use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
use regex::Regex;

use crate::core::markdown::{Source, front_matter};
use crate::core::markers::{Block, splice};

const BOM: &str = "\u{FEFF}";

/// The footer line's stamp (an item named "Last Updated: x_" elsewhere in
/// the block must not be taken for it: the footer is the last match and
/// ends its line).
static STAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)Last Updated: ([^_\r\n]+)_\r?$").expect("stamp regex is valid")
});

/// A decoded checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Whether the file starts with a UTF-8 byte order mark.
    pub bom: bool,
    /// The text after the BOM.
    pub text: String,
    /// `"\r\n"` when the file's first line ends so, else `"\n"`.
    pub line_ending: &'static str,
}

/// The file is not UTF-8.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "line {line}, column {column}: the file is not valid UTF-8; save it as UTF-8 (e.g. `iconv -f {encoding} -t utf-8`)"
)]
pub struct NotUtf8 {
    pub line: usize,
    pub column: usize,
    /// The likeliest encoding to convert from, for the hint: `utf-16`
    /// when the file starts with a UTF-16 byte order mark, else `latin1`.
    pub encoding: &'static str,
}

impl Document {
    /// Decode a file's bytes.
    pub fn decode(bytes: &[u8]) -> Result<Document, NotUtf8> {
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let valid = &bytes[..e.valid_up_to()];
            let line_start = valid
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |at| at + 1);
            let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
            NotUtf8 {
                line: valid.iter().filter(|&&b| b == b'\n').count() + 1,
                column: e.valid_up_to() - line_start + 1,
                encoding: if utf16 { "utf-16" } else { "latin1" },
            }
        })?;
        let (bom, text) = match text.strip_prefix(BOM) {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        Ok(Document {
            bom,
            line_ending: detect_line_ending(text),
            text: text.to_string(),
        })
    }

    /// The file's bytes for `text` (which excludes the BOM).
    pub fn encode(&self, text: &str) -> Vec<u8> {
        let bom = if self.bom { BOM } else { "" };
        [bom.as_bytes(), text.as_bytes()].concat()
    }

    /// Convert generated `\n` text to this file's line ending.
    pub fn with_line_endings(&self, generated: &str) -> String {
        if self.line_ending == "\n" {
            generated.to_string()
        } else {
            generated.replace('\n', self.line_ending)
        }
    }
}

fn detect_line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(at) if text[..at].ends_with('\r') => "\r\n",
        _ => "\n",
    }
}

/// Where a block goes when its markers are absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// After the first level-1 heading, else at the top.
    AfterTitle,
    /// At the end of the file.
    End,
}

/// New content for one managed block.
#[derive(Debug, Clone)]
pub struct BlockUpdate {
    pub name: String,
    /// Content between the marker lines, already in the file's line ending.
    pub content: String,
    pub placement: Placement,
}

/// The rewritten text and the blocks that had to be inserted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewrite {
    pub text: String,
    pub inserted: Vec<String>,
}

/// Put each update into `text`: between its markers when `found` has the
/// block, else insert a new marked block where its placement says.
pub fn apply(text: &str, found: &[Block], updates: &[BlockUpdate], line_ending: &str) -> Rewrite {
    let mut replacements: Vec<(Range<usize>, String)> = Vec::new();
    let mut inserted = Vec::new();
    for update in updates {
        if let Some(block) = found.iter().find(|b| b.name == update.name) {
            replacements.push((block.content.clone(), update.content.clone()));
        } else {
            inserted.push(update.name.clone());
            replacements.push(insertion(text, update, line_ending));
        }
    }
    Rewrite {
        text: splice(text, &replacements),
        inserted,
    }
}

fn insertion(text: &str, update: &BlockUpdate, le: &str) -> (Range<usize>, String) {
    let name = &update.name;
    let block = format!(
        "<!-- {name}_START -->{le}{}<!-- {name}_END -->",
        update.content
    );
    let ends_with_newline = text.ends_with('\n');
    match update.placement {
        Placement::AfterTitle => {
            if let Some(at) = first_title_end(text) {
                let lead = if at == text.len() && !ends_with_newline {
                    le
                } else {
                    ""
                };
                (at..at, format!("{lead}{le}{block}{le}"))
            } else {
                let at = front_matter(text).map_or(0, |fm| fm.range.end);
                let lead = if at > 0 && !text[..at].ends_with('\n') {
                    le
                } else {
                    ""
                };
                (at..at, format!("{lead}{block}{le}{le}"))
            }
        }
        Placement::End if text.is_empty() => (0..0, format!("{block}{le}")),
        Placement::End if ends_with_newline => (text.len()..text.len(), format!("{le}{block}{le}")),
        Placement::End => (text.len()..text.len(), format!("{le}{le}{block}")),
    }
}

/// The offset just after the first level-1 heading (its line ending
/// included) that stands at the top level: not in a block quote or a list
/// (a block there would split it) nor in an open `<details>` (where it
/// would be hidden).
fn first_title_end(text: &str) -> Option<usize> {
    let mut containers = 0usize;
    let mut details = 0usize;
    for (event, range) in Source::new(text).events() {
        match event {
            Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::Item) => containers += 1,
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item) => {
                containers = containers.saturating_sub(1);
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                let lower = html.to_ascii_lowercase();
                details += lower.matches("<details").count();
                details = details.saturating_sub(lower.matches("</details").count());
            }
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) if containers == 0 && details == 0 => {
                return Some(line_end_after(text, range.end));
            }
            _ => {}
        }
    }
    None
}

fn line_end_after(text: &str, at: usize) -> usize {
    if at > 0 && text.as_bytes().get(at - 1) == Some(&b'\n') {
        return at;
    }
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

/// Render a block's content so that "Last Updated" only moves when
/// something else in the block changed: `render` is called with the old
/// stamp first; if that reproduces `existing` exactly, it is kept.
pub fn keep_stamp_unless_changed(
    existing: Option<&str>,
    now: &str,
    render: impl Fn(&str) -> String,
) -> String {
    if let Some(old) = existing
        && let Some(caps) = STAMP.captures_iter(old).last()
    {
        let again = render(&caps[1]);
        if again == old {
            return again;
        }
    }
    render(now)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::core::markers::find_blocks;

    fn update(name: &str, content: &str, placement: Placement) -> BlockUpdate {
        BlockUpdate {
            name: name.into(),
            content: content.into(),
            placement,
        }
    }

    fn apply_both(text: &str) -> Rewrite {
        let found = find_blocks(text, &["A", "B"]).unwrap();
        apply(
            text,
            &found,
            &[
                update("A", "\nscore\n\n", Placement::AfterTitle),
                update("B", "\nci\n\n", Placement::End),
            ],
            "\n",
        )
    }

    #[test]
    fn decode_keeps_bom_and_detects_crlf() {
        let doc = Document::decode("\u{FEFF}# T\r\nx\r\n".as_bytes()).unwrap();
        assert!(doc.bom);
        assert_eq!(doc.line_ending, "\r\n");
        assert_eq!(doc.text, "# T\r\nx\r\n");
        assert_eq!(doc.encode(&doc.text), "\u{FEFF}# T\r\nx\r\n".as_bytes());
        assert_eq!(doc.with_line_endings("a\nb\n"), "a\r\nb\r\n");
    }

    #[test]
    fn decode_rejects_non_utf8_with_position() {
        let err = Document::decode(b"ok\nab\xffc\n").unwrap_err();
        assert_eq!(
            err,
            NotUtf8 {
                line: 2,
                column: 3,
                encoding: "latin1"
            }
        );
        let utf16: Vec<u8> = "\u{feff}# T\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let err = Document::decode(&utf16).unwrap_err();
        assert!(
            err.to_string().contains("iconv -f utf-16 -t utf-8"),
            "{err}"
        );
    }

    #[test]
    fn inserts_after_title_and_at_end() {
        let r = apply_both("# Title\n\nbody\n");
        assert_eq!(
            r.text,
            "# Title\n\n<!-- A_START -->\n\nscore\n\n<!-- A_END -->\n\nbody\n\n<!-- B_START -->\n\nci\n\n<!-- B_END -->\n"
        );
        assert_eq!(r.inserted, ["A", "B"]);
        let again = apply_both(&r.text);
        assert_eq!(again.text, r.text);
        assert!(again.inserted.is_empty());
    }

    #[test]
    fn a_title_in_a_quote_or_a_collapsed_section_is_passed_over() {
        let update = BlockUpdate {
            name: "R".into(),
            content: "x\n".into(),
            placement: Placement::AfterTitle,
        };
        let quoted = "> # Draft\n> Owner: @kai\n\n# Real\n\n- [ ] a\n";
        let out = apply(quoted, &[], std::slice::from_ref(&update), "\n").text;
        assert!(
            out.starts_with("> # Draft\n> Owner: @kai\n\n# Real\n\n<!-- R_START -->"),
            "{out}"
        );
        let hidden = "<details>\n<summary>How to use</summary>\n\n# Template help\n\n</details>\n\n- [ ] a\n";
        let out = apply(hidden, &[], std::slice::from_ref(&update), "\n").text;
        assert!(out.starts_with("<!-- R_START -->"), "{out}");
    }

    #[test]
    fn inserts_at_top_without_title_and_keeps_missing_final_newline() {
        let r = apply_both("## Only\nbody");
        assert_eq!(
            r.text,
            "<!-- A_START -->\n\nscore\n\n<!-- A_END -->\n\n## Only\nbody\n\n<!-- B_START -->\n\nci\n\n<!-- B_END -->"
        );
        assert_eq!(apply_both(&r.text).text, r.text);
    }

    #[test]
    fn inserts_into_empty_and_title_only_files() {
        assert_eq!(
            apply_both("").text,
            "<!-- A_START -->\n\nscore\n\n<!-- A_END -->\n\n<!-- B_START -->\n\nci\n\n<!-- B_END -->\n"
        );
        let r = apply_both("# T");
        assert!(r.text.starts_with("# T\n\n<!-- A_START -->"), "{}", r.text);
        assert_eq!(apply_both(&r.text).text, r.text);
    }

    #[test]
    fn front_matter_stays_first() {
        let r = apply_both("---\ntitle: x\n---\n## Only\nbody\n");
        assert!(
            r.text.starts_with("---\ntitle: x\n---\n<!-- A_START -->"),
            "{}",
            r.text
        );
        assert_eq!(apply_both(&r.text).text, r.text);
        // Not front matter: no closing line.
        assert!(
            apply_both("---\nbody\n")
                .text
                .starts_with("<!-- A_START -->")
        );
    }

    #[test]
    fn stamp_is_the_footer_not_an_item_name() {
        let render =
            |stamp: &str| format!("- Check Last Updated: foo_bar\n_Last Updated: {stamp}_\n");
        let old = render("2026-01-01 00:00 UTC");
        assert_eq!(keep_stamp_unless_changed(Some(&old), "NOW", render), old);
    }

    #[test]
    fn setext_title() {
        let r = apply_both("Title\n=====\nbody\n");
        assert!(
            r.text.starts_with("Title\n=====\n\n<!-- A_START -->"),
            "{}",
            r.text
        );
    }

    #[test]
    fn replaces_between_existing_markers_only() {
        let text =
            "x\n<!-- A_START -->\nold\n<!-- A_END -->\ny\n<!-- B_START -->\n<!-- B_END -->\nz";
        let r = apply_both(text);
        assert_eq!(
            r.text,
            "x\n<!-- A_START -->\n\nscore\n\n<!-- A_END -->\ny\n<!-- B_START -->\n\nci\n\n<!-- B_END -->\nz"
        );
    }

    #[test]
    fn stamp_moves_only_when_content_changes() {
        let render =
            |body: &'static str| move |stamp: &str| format!("{body}\n_Last Updated: {stamp}_\n");
        let old = "same\n_Last Updated: 2026-01-01 00:00 UTC_\n";
        assert_eq!(
            keep_stamp_unless_changed(Some(old), "NOW", render("same")),
            old
        );
        assert_eq!(
            keep_stamp_unless_changed(Some(old), "NOW", render("other")),
            "other\n_Last Updated: NOW_\n"
        );
        assert_eq!(
            keep_stamp_unless_changed(None, "NOW", render("x")),
            "x\n_Last Updated: NOW_\n"
        );
    }
}
