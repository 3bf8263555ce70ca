//! What an update will write, computed before anything is written (pure).

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::core::analysis::Analysis;
use crate::core::document::{BlockUpdate, Placement, apply, keep_stamp_unless_changed};
use crate::core::gates::sync_edits;
use crate::core::history::Append;
use crate::core::history::trend::Scored;
use crate::core::markers::MarkerNames;
use crate::core::markers::{find_blocks, splice};
use crate::core::report::Report;
use crate::render::fmt_time;
use crate::render::markdown::{
    CI_HEADING, READINESS_HEADING, ci_block, opening_heading, readiness_block, with_heading,
};

/// One file's bytes before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    pub path: PathBuf,
    pub before: Vec<u8>,
    pub after: Vec<u8>,
}

/// The history's change: whole bytes (a history read from git, or a
/// blank or missing file), or a new entry spliced into the file on disk,
/// which is copied and never held whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryChange {
    Whole(FileChange),
    Splice { path: PathBuf, append: Append },
}

impl HistoryChange {
    pub fn path(&self) -> &Path {
        match self {
            HistoryChange::Whole(change) => &change.path,
            HistoryChange::Splice { path, .. } => path,
        }
    }
}

/// Everything an update writes. `None` means "unchanged".
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub checklist: Option<FileChange>,
    pub history: Option<HistoryChange>,
    /// Blocks whose markers were absent and are inserted.
    pub inserted: Vec<String>,
}

impl Plan {
    /// Whether anything would be written.
    pub fn changes_anything(&self) -> bool {
        self.checklist.is_some() || self.history.is_some()
    }
}

/// The checklist's new text with both blocks rendered, and the names of
/// blocks that had to be inserted. `history` is what the readiness block
/// charts (see [`crate::core::history::charted`]). Fails when a block could not be placed
/// where the next run will find it (e.g. the file ends inside an unclosed
/// code fence, which would swallow an appended block).
pub fn rewrite_checklist(
    analysis: &Analysis,
    report: &Report,
    markers: &MarkerNames,
    block_heading: Option<u8>,
    sync_status: bool,
    now: Timestamp,
    history: &[Scored<'_>],
) -> Result<(Vec<u8>, Vec<String>), String> {
    let doc = &analysis.document;
    let existing = |name: &str| {
        analysis
            .blocks
            .iter()
            .find(|b| b.name == name)
            .map(|b| &doc.text[b.content.clone()])
    };
    let stamp = fmt_time(now);
    let readiness_heading = opening_heading(
        existing(&markers.readiness),
        READINESS_HEADING,
        block_heading,
    );
    let readiness = keep_stamp_unless_changed(existing(&markers.readiness), &stamp, |s| {
        doc.with_line_endings(&with_heading(
            readiness_heading.as_deref(),
            readiness_block(&report.score, report.threshold, s, history),
        ))
    });
    let ci_heading = opening_heading(existing(&markers.ci), CI_HEADING, block_heading);
    let ci = keep_stamp_unless_changed(existing(&markers.ci), &stamp, |s| {
        doc.with_line_endings(&with_heading(
            ci_heading.as_deref(),
            ci_block(report.ci_parts(), s),
        ))
    });
    let updates = [
        BlockUpdate {
            name: markers.readiness.clone(),
            content: readiness,
            placement: Placement::AfterTitle,
        },
        BlockUpdate {
            name: markers.ci.clone(),
            content: ci,
            placement: Placement::End,
        },
    ];
    // `--sync-status`: the bound items' written status first (outside the
    // blocks, so the blocks are found again unchanged), then the blocks.
    let edits = if sync_status {
        sync_edits(&analysis.checklist)
    } else {
        Vec::new()
    };
    let rewrite = if edits.is_empty() {
        apply(&doc.text, &analysis.blocks, &updates, doc.line_ending)
    } else {
        let synced = splice(&doc.text, &edits);
        let names = [markers.readiness.as_str(), markers.ci.as_str()];
        let blocks = find_blocks(&synced, &names)
            .map_err(|e| format!("the status rewrite would break the markers: {e}"))?;
        apply(&synced, &blocks, &updates, doc.line_ending)
    };
    verify(&rewrite.text, &updates)?;
    Ok((doc.encode(&rewrite.text), rewrite.inserted))
}

/// Every block must be found again, holding exactly what was written.
fn verify(text: &str, updates: &[BlockUpdate]) -> Result<(), String> {
    let names: Vec<&str> = updates.iter().map(|u| u.name.as_str()).collect();
    let found = find_blocks(text, &names)
        .map_err(|e| format!("the rewritten file would be inconsistent: {e}"))?;
    for update in updates {
        let intact = found
            .iter()
            .any(|b| b.name == update.name && text[b.content.clone()] == update.content);
        if !intact {
            return Err(format!(
                "cannot place the {name} block where it would be found again (the file probably ends inside an unclosed code fence or HTML comment); close it, or add `<!-- {name}_START -->` and `<!-- {name}_END -->` on lines of their own where the block should go",
                name = update.name
            ));
        }
    }
    Ok(())
}
