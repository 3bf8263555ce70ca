//! Checklist bytes → document, managed blocks and score (pure).
//!
//! The checklist is parsed with every managed block's content replaced by
//! one blank line (the canonical text). What we write into a block (blank
//! lines end HTML blocks, paragraphs and lists) can then never change how
//! the text outside it is read, so update∘update = update. Line numbers
//! are mapped back to the file as it is.

use std::ops::Range;

use crate::core::checklist;
use crate::core::document::Document;
use crate::core::lines::LineIndex;
use crate::core::markers::{Block, find_blocks, splice};
use crate::core::score::{Score, score};
use crate::core::settings::Settings;
use crate::error::{Error, Result};

/// What a checklist says, with the blocks that will be rewritten.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub document: Document,
    pub blocks: Vec<Block>,
    pub score: Score,
    pub warnings: Vec<String>,
}

/// Decode, find the managed blocks, parse and score. Every failure is bad
/// input (exit 2) and names `shown_path`.
pub fn analyse(shown_path: &str, bytes: &[u8], settings: &Settings) -> Result<Analysis> {
    let bad = |message: String| Error::Input(format!("{shown_path}: {message}"));
    let document = Document::decode(bytes).map_err(|e| bad(e.to_string()))?;
    let names = [
        settings.markers.readiness.as_str(),
        settings.markers.ci.as_str(),
    ];
    let blocks = find_blocks(&document.text, &names).map_err(|e| bad(e.to_string()))?;
    let canonical = Canonical::new(&document.text, &blocks, document.line_ending);
    let canonical_blocks = find_blocks(&canonical.text, &names).map_err(|e| bad(e.to_string()))?;
    let excluded: Vec<Range<usize>> = canonical_blocks.iter().map(|b| b.whole.clone()).collect();
    let index = LineIndex::new(&document.text);
    let line_of = |offset: usize| index.line_of(canonical.original_offset(offset));
    let mut parsed = checklist::parse_with_lines(
        &canonical.text,
        &excluded,
        &settings.categories,
        &settings.vocabulary,
        &line_of,
    )
    .map_err(|e| bad(e.to_string()))?;
    for item in parsed.sections.iter_mut().flat_map(|s| s.items.iter_mut()) {
        if let Some(owner) = &item.owner {
            item.name = without_owner(&item.name, owner);
        }
    }
    let mut warnings = parsed.warnings.clone();
    let score =
        score(&parsed, &settings.categories, &mut warnings).map_err(|e| bad(e.to_string()))?;
    let warnings = warnings
        .into_iter()
        .map(|w| format!("{shown_path}: {w}"))
        .collect();
    Ok(Analysis {
        document,
        blocks,
        score,
        warnings,
    })
}

/// `name` without a trailing mention of its `owner` (kept separately as
/// the owner): "Security audit (@sec-team)" and "Deploy — @ana" become
/// "Security audit" and "Deploy". A mention inside the name ("Ask @ana
/// about keys") stays; so does a name that is nothing but the mention.
pub fn without_owner(name: &str, owner: &str) -> String {
    if !owner.starts_with('@') {
        return name.to_string();
    }
    let trimmed = name.trim_end();
    let rest = trimmed.strip_suffix(&format!("({owner})")).or_else(|| {
        trimmed.strip_suffix(owner).filter(|r| {
            r.is_empty()
                || r.ends_with(char::is_whitespace)
                || r.ends_with([',', ';', ':', '—', '–', '-'])
        })
    });
    let Some(rest) = rest else {
        return name.to_string();
    };
    let cut = rest.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | ':' | '—' | '–' | '-')
    });
    if cut.is_empty() {
        name.to_string()
    } else {
        cut.to_string()
    }
}

/// The text with each block's content replaced by one line ending.
struct Canonical {
    text: String,
    /// (canonical offset where a block's content ends, bytes to add from
    /// there on to get the original offset), in order.
    shifts: Vec<(usize, isize)>,
}

impl Canonical {
    fn new(text: &str, blocks: &[Block], line_ending: &str) -> Canonical {
        let mut shifts = Vec::new();
        let mut shift: isize = 0;
        for block in blocks {
            let canonical_end =
                (block.content.start.cast_signed() - shift).cast_unsigned() + line_ending.len();
            shift += block.content.len().cast_signed() - line_ending.len().cast_signed();
            shifts.push((canonical_end, shift));
        }
        let replacements: Vec<_> = blocks
            .iter()
            .map(|b| (b.content.clone(), line_ending.to_string()))
            .collect();
        Canonical {
            text: splice(text, &replacements),
            shifts,
        }
    }

    fn original_offset(&self, offset: usize) -> usize {
        let shift = self
            .shifts
            .iter()
            .take_while(|(end, _)| *end <= offset)
            .last()
            .map_or(0, |(_, shift)| *shift);
        (offset.cast_signed() + shift).max(0).cast_unsigned()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    #[test]
    fn trailing_owner_mentions_leave_the_name() {
        let cases = [
            ("Security audit (@sec-team)", "@sec-team", "Security audit"),
            ("Deploy @ana", "@ana", "Deploy"),
            ("Deploy — @ana", "@ana", "Deploy"),
            ("Sign off, @acme/leads", "@acme/leads", "Sign off"),
            ("Ask @ana about keys", "@ana", "Ask @ana about keys"),
            ("@ana", "@ana", "@ana"),
            ("Build", "@ana", "Build"),
            ("Mail bob@ana", "@ana", "Mail bob@ana"),
            ("Build (@ana)", "Ana Lopez", "Build (@ana)"),
        ];
        for (name, owner, expected) in cases {
            assert_eq!(without_owner(name, owner), expected, "{name}");
        }
    }

    use super::*;
    use std::path::PathBuf;

    #[test]
    fn lines_refer_to_the_file_as_it_is() {
        let text = "# T\n<!-- READINESS_SCORE_START -->\na\nb\nc\n<!-- READINESS_SCORE_END -->\n## Core\n- [ ] x\n## Optional\n- [x] y\n## Deployment\n- [x] z\n## Sign-off\n- [x] w\n";
        let settings = Settings::defaults(PathBuf::from("c.md"));
        let a = analyse("c.md", text.as_bytes(), &settings).unwrap();
        assert_eq!(a.score.blockers[0].line, 8);
        assert_eq!(a.score.categories[3].items[0].line, 14);
    }

    #[test]
    fn block_content_cannot_change_what_is_outside() {
        // Without a blank line, `<div>` swallows everything up to one; the
        // block's own blank lines must not decide where it ends.
        let text = "<div>\n- [ ] html\n</div>\n<!-- READINESS_SCORE_START -->\n\nold\n\n<!-- READINESS_SCORE_END -->\n## Core Gates\n\n## Core\n- [x] a\n- [ ] b\n## Optional\n- [x] c\n## Deployment\n- [ ] d\n## Sign-off\n- [x] e";
        let tight = text.replace("START -->\n\nold\n\n<!--", "START -->\nold\n<!--");
        let settings = Settings::defaults(PathBuf::from("c.md"));
        let loose = analyse("c.md", text.as_bytes(), &settings).unwrap();
        let tight = analyse("c.md", tight.as_bytes(), &settings).unwrap();
        assert_eq!(loose.score.total, tight.score.total);
    }
}
