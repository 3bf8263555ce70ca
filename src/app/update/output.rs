//! What an update prints: the dry-run diff, the report, the gate verdict.

use std::path::Path;

use similar::TextDiff;

use super::shown_path;
use crate::app::update::plan::{FileChange, HistoryChange, Plan};
use crate::core::history::Append;
use crate::core::report::{Provenance, Report};
use crate::render::{json, terminal};
use crate::shell::ui::Ui;

/// `--check-only`: print the verdict; the exit code (0 pass, 1 fail).
pub(super) fn gate(report: &Report, provenance: &Provenance, ui: &Ui) -> u8 {
    warnings(report, ui);
    if ui.json {
        ui.data(&json_text(report, provenance));
    } else {
        ui.out(&terminal::gate(report, ui.verbose));
    }
    u8::from(!report.passed())
}

/// `--dry-run`: the unified diff of every file that would change.
pub(super) fn dry_run(plan: &Plan, cwd: &Path, ui: &Ui) {
    if !plan.changes_anything() {
        ui.out("Dry run: nothing would change.");
        return;
    }
    let mut text = String::from("Dry run: nothing was written. These changes would be made:\n");
    if let Some(change) = &plan.checklist {
        text.push_str(&terminal::diff(&unified_diff(change, cwd)));
    }
    match &plan.history {
        Some(HistoryChange::Whole(change)) => {
            text.push_str(&terminal::diff(&unified_diff(change, cwd)));
        }
        Some(HistoryChange::Splice { path, append }) => {
            text.push_str(&terminal::diff(&spliced_diff(path, append, cwd)));
        }
        None => {}
    }
    ui.out(&text);
}

fn unified_diff(change: &FileChange, cwd: &Path) -> String {
    let shown = shown_path(&change.path, cwd);
    let before = String::from_utf8_lossy(&change.before);
    let after = String::from_utf8_lossy(&change.after);
    let old_name = if change.before.is_empty() {
        "/dev/null".to_string()
    } else {
        format!("a/{shown}")
    };
    TextDiff::from_lines(before.as_ref(), after.as_ref())
        .unified_diff()
        .context_radius(3)
        .header(&old_name, &format!("b/{shown}"))
        .to_string()
}

/// The diff of an entry spliced into a file that is not held: the lines
/// around the splice, numbered as in the whole file.
fn spliced_diff(path: &Path, append: &Append, cwd: &Path) -> String {
    let shown = shown_path(path, cwd);
    let Ok((lines_before, window, at)) =
        crate::shell::history::window(path, append.head, 64 * 1024)
    else {
        return format!(
            "--- a/{shown}\n+++ b/{shown}\n(cannot read {shown} to show the new entry)\n"
        );
    };
    let after = [&window[..at], &append.insert[..], &window[at..]].concat();
    let before = String::from_utf8_lossy(&window);
    let after = String::from_utf8_lossy(&after);
    let diff = TextDiff::from_lines(before.as_ref(), after.as_ref())
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{shown}"), &format!("b/{shown}"))
        .to_string();
    diff.lines()
        .map(|line| shift_hunk(line, lines_before))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// A hunk header's line numbers moved down by `by` lines.
fn shift_hunk(line: &str, by: usize) -> String {
    let Some(rest) = line.strip_prefix("@@ -") else {
        return line.to_string();
    };
    let shift = |range: &str| {
        let (start, len) = range
            .split_once(',')
            .map_or((range, None), |(s, l)| (s, Some(l)));
        let start = start
            .parse::<usize>()
            .map_or_else(|_| start.to_string(), |n| (n + by).to_string());
        len.map_or(start.clone(), |len| format!("{start},{len}"))
    };
    let Some((ranges, tail)) = rest.split_once(" @@") else {
        return line.to_string();
    };
    let Some((old, new)) = ranges.split_once(" +") else {
        return line.to_string();
    };
    format!("@@ -{} +{} @@{tail}", shift(old), shift(new))
}

/// The summary (text) or the JSON document.
pub(super) fn report(report: &Report, provenance: &Provenance, dry_run: bool, ui: &Ui) {
    warnings(report, ui);
    if ui.json {
        ui.data(&json_text(report, provenance));
        return;
    }
    ui.out(&terminal::summary(report));
    let verb = match (report.changed, dry_run) {
        (false, _) => "already up to date",
        (true, true) => "would be updated",
        (true, false) => "updated",
    };
    ui.out(&format!("Dashboard {verb}."));
}

fn warnings(report: &Report, ui: &Ui) {
    for warning in &report.warnings {
        ui.warn_input(warning);
    }
}

fn json_text(report: &Report, provenance: &Provenance) -> String {
    serde_json::to_string_pretty(&json::report(report, provenance))
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
