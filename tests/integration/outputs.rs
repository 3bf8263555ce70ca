//! What users see (issue 15): honest CI figures, output within each
//! consumer's limits, escaping per target syntax, machine-readable errors.

use crate::support::fixtures::{RUNS, SEED};
use crate::support::harness::Test;

/// The CI block of the checklist.
fn ci_block(t: &Test) -> String {
    let text = t.read_string("release-checklist.md");
    let start = text.find("<!-- CI_SNAPSHOT_START -->").unwrap();
    let end = text.find("<!-- CI_SNAPSHOT_END -->").unwrap();
    text[start..end].to_string()
}

/// `RUNS` twice back to back (overlapping pages), and run 5 again with an
/// `updated_at` moved 400 days on (logs deleted long after).
fn doubled_runs() -> String {
    let late = RUNS.replace(
        r#""updated_at": "2026-11-23T10:03:17Z""#,
        r#""updated_at": "2027-12-28T10:03:17Z""#,
    );
    format!("{RUNS}\n{late}\n")
}

#[test]
fn duplicate_runs_count_once_and_impossible_durations_are_unknown() {
    let t = Test::new()
        .file("release-checklist.md", SEED)
        .file("runs.json", doubled_runs())
        .args(["--runs-file", "runs.json", "--no-cache"]);
    t.run().code(0);
    let block = ci_block(&t);
    assert!(
        block.contains("in the last 4 runs on branch main"),
        "{block}"
    );
    assert!(block.contains("(3 passed · 1 failed · 0 other)"), "{block}");
    // Run 5's newest copy says 9,648 hours: shown as unknown, not "9648h 00m".
    let ci_row = block.lines().find(|l| l.starts_with("| [CI]")).unwrap();
    assert!(ci_row.contains("| — |"), "{ci_row}");
    assert!(!block.contains("9648h"), "{block}");
    // The second document's copy is the same run: JSON agrees.
    let json = t.clone_run_json(&["--runs-file", "runs.json", "--no-cache", "--dry-run"]);
    assert_eq!(json["ci"]["runs"], 4);
    assert!(json["ci"]["workflows"][0]["latest"]["duration_seconds"].is_null());
}

#[test]
fn an_empty_window_names_the_branches_the_file_holds() {
    let t = Test::new()
        .file("release-checklist.md", SEED)
        .file("runs.json", RUNS)
        .args([
            "--runs-file",
            "runs.json",
            "--no-cache",
            "--branch",
            "trunk",
        ]);
    let run = t.run();
    run.code(0)
        .stdout_has("no runs on trunk; the runs file holds runs on main (4), feature/x (1)");
    let block = ci_block(&t);
    assert!(
        block.contains("no runs on trunk; the runs file holds runs on main (4), feature/x (1)"),
        "{block}"
    );
    let json = t.clone_run_json(&["--runs-file", "runs.json", "--branch", "trunk", "--dry-run"]);
    assert_eq!(json["ci"]["other_branches"][0]["branch"], "main");
    assert_eq!(json["ci"]["other_branches"][1]["runs"], 1);
}
