//! Under GitHub Actions: outputs, summary, annotations, escaping.

use crate::support::fixtures::SEED;
use crate::support::harness::Test;

fn in_actions(t: Test) -> Test {
    let out = t.path().join("runner/output").display().to_string();
    let summary = t.path().join("runner/summary").display().to_string();
    t.file("runner/output", "earlier=1\n")
        .file("runner/summary", "")
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_OUTPUT", &out)
        .env("GITHUB_STEP_SUMMARY", &summary)
}

#[test]
fn check_only_writes_outputs_summary_and_an_error_annotation() {
    let t = in_actions(Test::new().file("release-checklist.md", SEED)).args(["--check-only"]);
    let run = t.run();
    run.code(1)
        .stderr_has("::error::Release readiness 84.11%25 is below the 90%25 gate");
    assert_eq!(
        t.read_string("runner/output"),
        "earlier=1\nscore=84.11\nstatus=in_progress\npassed=false\nchanged=false\n"
    );
    let summary = t.read_string("runner/summary");
    assert!(
        summary.starts_with("## Release readiness — release-checklist.md"),
        "{summary}"
    );
    assert!(summary.contains("| Core Gates 🔒 | 7/8 | 87.5% | 50% |"));
    assert!(summary.contains("Security Audit"));
    assert!(summary.contains("CI health"));
}

#[test]
fn updates_and_dry_runs_write_outputs_too() {
    let t = in_actions(Test::new().file("release-checklist.md", SEED)).args([
        "--offline",
        "--dry-run",
        "--threshold",
        "80",
    ]);
    t.run().code(0);
    assert!(
        t.read_string("runner/output")
            .ends_with("passed=true\nchanged=true\n")
    );
    let t = in_actions(Test::new().file("release-checklist.md", SEED)).args([
        "--offline",
        "--format",
        "json",
    ]);
    let run = t.run();
    run.code(0);
    assert_eq!(run.json()["changed"], true, "stdout stays pure JSON");
    assert!(t.read_string("runner/output").contains("changed=true"));
}

#[test]
fn warnings_become_escaped_annotations() {
    let hostile = SEED.replace("| Load | ❌ FAIL |", "| Load | 100% %0A::error::forged |");
    let t = in_actions(Test::new().file("release-checklist.md", hostile))
        .args(["--offline", "--dry-run"]);
    let run = t.run();
    run.code(0);
    let annotations: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with("::")).collect();
    assert!(
        annotations.iter().all(|l| l.starts_with("::warning::")),
        "{annotations:?}"
    );
    assert!(
        annotations
            .iter()
            .any(|l| l.contains("100%25 %250A::error::forged")),
        "{annotations:?}"
    );
}

#[test]
fn nothing_is_written_outside_actions() {
    let t = Test::new()
        .file("release-checklist.md", SEED)
        .file("runner/output", "")
        .args(["--check-only"]);
    let run = t.run();
    run.code(1);
    assert!(!run.stderr.contains("::error::"));
    assert_eq!(t.read_string("runner/output"), "");
}

#[test]
fn hostile_workflow_names_are_escaped_in_the_summary() {
    let runs = r#"{"workflow_runs": [{"id": 1, "name": "evil | <!-- CI_SNAPSHOT_END --> @here\n::error::pwned", "head_branch": "main",
        "status": "completed", "conclusion": "failure", "created_at": "2026-11-23T10:00:00Z", "updated_at": "2026-11-23T10:01:00Z",
        "html_url": "https://github.com/acme/widget/actions/runs/1"}]}"#;
    let t = in_actions(
        Test::new()
            .file("release-checklist.md", SEED)
            .file("runs.json", runs),
    )
    .args(["--runs-file", "runs.json", "--dry-run"]);
    let run = t.run();
    run.code(0);
    let summary = t.read_string("runner/summary");
    assert!(!summary.contains("<!-- CI_SNAPSHOT_END -->"), "{summary}");
    assert!(
        summary.contains("evil \\| &lt;!-- CI\\_SNAPSHOT\\_END --&gt; @here ::error::pwned"),
        "{summary}"
    );
    assert!(
        !summary.lines().any(|l| l.starts_with("::")),
        "no line starts a workflow command"
    );
    assert!(
        !run.stderr.lines().any(|l| l.starts_with("::error::")),
        "{}",
        run.stderr
    );
}
