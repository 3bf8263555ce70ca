//! The one way this crate reads Markdown structure, so that every reader
//! (markers, items, where a new block goes) agrees on what is a heading,
//! an HTML block or code: GitHub's extensions (tables, task lists,
//! strikethrough) and a YAML front matter only as the file's first lines.
//!
//! pulldown-cmark's own metadata option also takes a `---` … `---` pair in
//! the middle of a file for front matter, which GitHub does not; a block
//! read differently by two readers is how an inserted block could change
//! what the next run counts.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser};

/// A text ready to parse: the front matter, if any, blanked out (same
/// length, newlines kept) so that offsets stay those of the original.
pub struct Source<'a> {
    text: Cow<'a, str>,
    front_matter: Option<FrontMatter<'a>>,
}

/// A leading YAML block: `---`, at least one non-blank line, then `---` or
/// `...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatter<'a> {
    /// The whole block, both fence lines and the final line ending included.
    pub range: Range<usize>,
    /// The YAML between the fences.
    pub yaml: &'a str,
}

impl<'a> Source<'a> {
    pub fn new(text: &'a str) -> Self {
        let front_matter = front_matter(text);
        let text = match &front_matter {
            None => Cow::Borrowed(text),
            Some(fm) => {
                let mut blanked = String::with_capacity(text.len());
                blanked.push_str(&text[..fm.range.start]);
                blanked.extend(
                    text[fm.range.clone()]
                        .bytes()
                        .map(|b| if b == b'\n' { '\n' } else { ' ' }),
                );
                blanked.push_str(&text[fm.range.end..]);
                Cow::Owned(blanked)
            }
        };
        Source { text, front_matter }
    }

    /// Events with their byte ranges in the original text.
    pub fn events(&self) -> impl Iterator<Item = (Event<'_>, Range<usize>)> {
        let options =
            Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH;
        Parser::new_ext(&self.text, options).into_offset_iter()
    }

    pub fn front_matter(&self) -> Option<&FrontMatter<'a>> {
        self.front_matter.as_ref()
    }
}

/// The file's leading YAML front matter, if it has one.
pub fn front_matter(text: &str) -> Option<FrontMatter<'_>> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next()?;
    if first.trim_end() != "---" {
        return None;
    }
    let yaml_start = first.len();
    let mut at = yaml_start;
    for (i, line) in lines.enumerate() {
        let bare = line.trim_end();
        if i == 0 && matches!(bare, "" | "---" | "...") {
            return None;
        }
        if i > 0 && matches!(bare, "---" | "...") {
            return Some(FrontMatter {
                range: 0..at + line.len(),
                yaml: &text[yaml_start..at],
            });
        }
        at += line.len();
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use pulldown_cmark::{Tag, TagEnd};

    #[test]
    fn front_matter_only_at_the_start() {
        let fm = front_matter("---\ntitle: x\n---\n# A\n").unwrap();
        assert_eq!(fm.range, 0..17);
        assert_eq!(fm.yaml, "title: x\n");
        assert!(front_matter("---\n\ntitle: x\n---\n").is_none());
        assert!(front_matter("---\n---\n").is_none());
        assert!(front_matter("# A\n---\ntitle: x\n---\n").is_none());
        assert!(front_matter("---\ntitle: x\n").is_none());
    }

    #[test]
    fn a_dash_pair_in_the_middle_is_not_metadata() {
        // A thematic break, then an HTML comment block that ends on the
        // line holding `-->`; the heading after it is a heading.
        let text = "- [x] a\nb\n---\n<!--\nc\n---\n<div>\nd -->\n# Title\n";
        let source = Source::new(text);
        let headings = source
            .events()
            .filter(|(e, _)| matches!(e, Event::Start(Tag::Heading { .. })))
            .count();
        assert_eq!(headings, 1);
    }

    #[test]
    fn blanked_front_matter_keeps_offsets() {
        let text = "---\ntitle: é\n---\n# A\n";
        let source = Source::new(text);
        let (_, range) = source
            .events()
            .find(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))
            .unwrap();
        assert_eq!(&text[range], "# A\n");
        assert_eq!(source.front_matter().unwrap().yaml, "title: é\n");
    }
}
