//! Checklist bytes → document, managed blocks and score (pure).

use crate::checklist;
use crate::document::Document;
use crate::error::{Error, Result};
use crate::markers::{Block, find_blocks};
use crate::score::{Score, score};
use crate::settings::Settings;

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
    let excluded: Vec<_> = blocks.iter().map(|b| b.whole.clone()).collect();
    let parsed = checklist::parse(
        &document.text,
        &excluded,
        &settings.categories,
        &settings.vocabulary,
    )
    .map_err(|e| bad(e.to_string()))?;
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
