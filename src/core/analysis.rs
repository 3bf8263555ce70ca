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
use crate::core::gates;
use crate::core::lines::LineIndex;
use crate::core::markers::{Block, find_blocks, splice};
use crate::core::report::CiReport;
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
    /// The parsed items, parallel to `categories`, with spans in the file
    /// as it is (for re-scoring with CI and for `--sync-status`).
    pub checklist: Checklist,
    /// `shown_path`, prefixed to warnings.
    shown_path: String,
}

impl Analysis {
    /// `--sync-status`: the drift this run rewrites in the file is settled
    /// (the written status will say what CI says), so it is no longer drift.
    pub fn settle_synced_drift(&mut self) {
        let syncable: Vec<usize> = self
            .checklist
            .sections
            .iter()
            .flat_map(|s| &s.items)
            .filter(|i| i.status_span.is_some())
            .map(|i| i.line)
            .collect();
        let before = self.score.gates.drift.len();
        self.score
            .gates
            .drift
            .retain(|d| !syncable.contains(&d.line));
        self.score.gates.synced = before - self.score.gates.drift.len();
    }

    /// Bound items take their state from CI (see [`crate::core::gates`]);
    /// the score is recomputed and drift recorded. Without CI data bound
    /// items keep their written state and a warning says so.
    #[must_use]
    pub fn with_ci(mut self, ci: Option<&CiReport>, repo: Option<&str>) -> Analysis {
        let mut warnings = Vec::new();
        let gates = gates::apply(&mut self.checklist, ci, repo, &mut warnings);
        if gates.bound > 0 {
            let from = self.score.categories_from;
            let mut score_warnings = Vec::new();
            if let Ok(mut rescored) = score(&self.checklist, &self.categories, &mut score_warnings)
            {
                rescored.categories_from = from;
                self.score = rescored;
            }
        }
        self.score.gates = gates;
        let shown = &self.shown_path;
        self.warnings
            .extend(warnings.into_iter().map(|w| format!("{shown}: {w}")));
        self
    }
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
    let mut parsed = parsed;
    bind_configured_gates(&mut parsed, &settings.gates);
    for item in parsed.sections.iter_mut().flat_map(|s| &mut s.items) {
        item.status_span = item
            .status_span
            .take()
            .map(|span| canonical.original_offset(span.start)..canonical.original_offset(span.end));
    }
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
        passed_over: parsed.passed_over.clone(),
        checklist: parsed,
        shown_path: shown_path.to_string(),
    })
}

/// Config `[gates]`: an item named there (ignoring case and surrounding
/// space) follows that workflow, whatever the checklist says.
fn bind_configured_gates(checklist: &mut Checklist, gates: &[(String, String)]) {
    if gates.is_empty() {
        return;
    }
    for item in checklist.sections.iter_mut().flat_map(|s| &mut s.items) {
        if let Some((_, workflow)) = gates
            .iter()
            .find(|(name, _)| name.trim().eq_ignore_ascii_case(item.name.trim()))
        {
            item.workflow = Some(workflow.clone());
        }
    }
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
        &settings.vocabulary.classic(),
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
