//! Checklist bytes → document, managed blocks and score (pure).
//!
//! The checklist is parsed with every managed block's content replaced by
//! one blank line (the canonical text). What we write into a block (blank
//! lines end HTML blocks, paragraphs and lists) can then never change how
//! the text outside it is read, so update∘update = update. Line numbers
//! are mapped back to the file as it is.

use std::ops::Range;

use crate::core::category::{CategoriesFrom, Category, default_categories};
use crate::core::checklist::{self, Checklist, Passed, Reading, Shapes};
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
    /// The categories used, parallel to `score.categories`.
    pub categories: Vec<Category>,
    /// What looked like checklist content but was not counted, and why.
    pub passed_over: Vec<Passed>,
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
    let stem = std::path::Path::new(shown_path).file_stem().map_or_else(
        || shown_path.to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    let (categories, parsed, score, from) =
        read_categories(&canonical.text, &excluded, settings, &stem, &line_of).map_err(bad)?;
    let mut warnings = parsed.warnings.clone();
    warnings.extend(score.1);
    let mut score = score.0;
    score.categories_from = from;
    let warnings = warnings
        .into_iter()
        .map(|w| format!("{shown_path}: {w}"))
        .collect();
    Ok(Analysis {
        document,
        blocks,
        score,
        warnings,
        categories,
        passed_over: parsed.passed_over,
    })
}

/// A parse and its score with the score's own warnings.
type Read = (
    Vec<Category>,
    Checklist,
    (Score, Vec<String>),
    CategoriesFrom,
);

/// Configured categories as configured; otherwise the seed's four when the
/// document has them all (read as the replaced tool read them), else the
/// document's own headings.
fn read_categories(
    text: &str,
    excluded: &[Range<usize>],
    settings: &Settings,
    fallback_name: &str,
    line_of: &dyn Fn(usize) -> usize,
) -> std::result::Result<Read, String> {
    let scored = |parsed: &Checklist, categories: &[Category]| {
        let mut warnings = Vec::new();
        score(parsed, categories, &mut warnings).map(|s| (s, warnings))
    };
    if settings.categories_configured {
        let reading = Reading {
            shapes: Shapes::Extended,
            status_columns: &settings.status_columns,
        };
        let parsed = checklist::parse_with_lines(
            text,
            excluded,
            &settings.categories,
            &settings.vocabulary,
            reading,
            line_of,
        )
        .map_err(|e| e.to_string())?;
        let score = scored(&parsed, &settings.categories).map_err(|e| e.to_string())?;
        return Ok((
            settings.categories.clone(),
            parsed,
            score,
            CategoriesFrom::Config,
        ));
    }
    let defaults = default_categories();
    if let Ok(parsed) = checklist::parse_with_lines(
        text,
        excluded,
        &defaults,
        &settings.vocabulary,
        Reading::CLASSIC,
        line_of,
    ) && let Ok(score) = scored(&parsed, &defaults)
    {
        return Ok((defaults, parsed, score, CategoriesFrom::Defaults));
    }
    let (categories, parsed) = checklist::parse_document(
        text,
        excluded,
        &settings.vocabulary,
        &settings.status_columns,
        fallback_name,
        line_of,
    )
    .map_err(|e| e.to_string())?;
    let score = scored(&parsed, &categories).map_err(|e| e.to_string())?;
    Ok((categories, parsed, score, CategoriesFrom::Document))
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
