//! `release-dashboard report --html PATH`: what it writes (only the HTML
//! file) and what it refuses.

use std::path::PathBuf;

use serde_json::json;

use crate::support::fixtures::{RUNS, SEED};
use crate::support::harness::Test;
use crate::support::server::{Reply, Server};

/// Three history entries, so that the page has a trend chart.
pub(crate) const HISTORY: &str = r#"[
  {"timestamp": "2026-11-21T09:00:00Z", "score": 70.5, "status": "in_progress"},
  {"timestamp": "2026-11-22T09:00:00Z", "score": 78.25, "status": "in_progress", "ci_adjustment": 0},
  {"timestamp": "2026-11-23T09:00:00Z", "score": 81.61, "status": "in_progress"}
]
"#;

const NO_TREND: &str = "Not enough history for a trend chart (needs 2 entries).";

fn project() -> Test {
    Test::new()
        .file("release-checklist.md", SEED)
        .file("runs.json", RUNS)
        .file(".cache/readiness.json", HISTORY)
}

/// The files of `after` that `before` lacks, relative to the test dir.
fn new_files(t: &Test, before: &[(PathBuf, Vec<u8>)]) -> Vec<PathBuf> {
    let after = t.snapshot();
    for (path, bytes) in before {
        let now = after.iter().find(|(p, _)| p == path);
        assert_eq!(
            now.map(|(_, b)| b),
            Some(bytes),
            "{} changed",
            path.display()
        );
    }
    after
        .into_iter()
        .filter(|(path, _)| !before.iter().any(|(p, _)| p == path))
        .map(|(path, _)| path.strip_prefix(t.path()).unwrap().to_path_buf())
        .collect()
}

#[test]
fn writes_the_html_file_and_nothing_else() {
    let t = project().args([
        "report",
        "--html",
        "site/report.html",
        "--runs-file",
        "runs.json",
    ]);
    let before = t.snapshot();
    t.run()
        .code(0)
        .stdout_has("Wrote report to site/report.html");
    assert_eq!(new_files(&t, &before), [PathBuf::from("site/report.html")]);
    let page = t.read_string("site/report.html");
    assert!(page.starts_with("<!doctype html>\n<html lang=\"en\">"));
    assert!(page.contains("<span class=\"score-value\">84.11%</span>"));
    assert!(page.contains(">In Progress</span>"));
    for name in ["Core Gates", "Optional Gates", "Deployment", "Sign-off"] {
        assert!(page.contains(&format!("aria-label=\"{name}: ")), "{name}");
    }
    assert!(page.contains("<th scope=\"row\">Security Audit</th>"));
    assert!(page.contains("<code>@sec</code>"));
    assert!(
        page.contains(
            "<a href=\"https://github.com/acme/widget/actions/runs/4\">Security Audit</a>"
        )
    );
    assert!(page.contains("<svg ") && !page.contains(NO_TREND));
    assert!(page.contains("generated 2026-11-24 09:00 UTC"));
    // The same inputs give the same bytes.
    t.run().code(0);
    assert_eq!(t.read_string("site/report.html"), page);
}

#[test]
fn api_runs_leave_no_http_cache_behind() {
    let server = Server::start(|_| {
        let runs = json!({"total_count": 1, "workflow_runs": [{
            "id": 9, "name": "CI", "head_branch": "main", "status": "completed", "conclusion": "success",
            "created_at": "2026-11-20T10:00:00Z", "updated_at": "2026-11-20T10:02:00Z",
            "html_url": "https://github.com/acme/widget/actions/runs/9", "workflow_id": 1
        }]});
        Reply::json(200, &runs).header("ETag", "\"v1\"")
    });
    let t = project().args([
        "report",
        "--html",
        "report.html",
        "--repo",
        "acme/widget",
        "--api-url",
        &server.url(),
        "--token",
        "ghp_secret",
    ]);
    let before = t.snapshot();
    t.run().code(0);
    assert_eq!(new_files(&t, &before), [PathBuf::from("report.html")]);
    assert_eq!(server.requests().len(), 1);
    let page = t.read_string("report.html");
    assert!(page.contains("Source: the GitHub Actions API."));
    assert!(page.contains(">Healthy</span> 100.0% success"));
}

#[test]
fn offline_without_history() {
    let t = Test::new().file("release-checklist.md", SEED).args([
        "report",
        "--html",
        "out.html",
        "--offline",
        "--quiet",
    ]);
    let run = t.run();
    run.code(0).stdout_lacks("Wrote");
    let page = t.read_string("out.html");
    assert!(page.contains(NO_TREND));
    assert!(page.contains("CI data was not collected for this run (offline)"));
    assert!(!t.exists(".cache"));
}

#[test]
fn one_history_entry_is_not_a_trend() {
    let one = r#"[{"timestamp": "2026-11-23T09:00:00Z", "score": 81.61}]"#;
    let t = Test::new()
        .file("release-checklist.md", SEED)
        .file("h.json", one)
        .args([
            "report",
            "--html",
            "out.html",
            "--offline",
            "--history",
            "h.json",
        ]);
    t.run().code(0);
    assert!(t.read_string("out.html").contains(NO_TREND));
}

#[test]
fn update_modes_are_refused_and_nothing_is_written() {
    for flag in [
        "--commit",
        "--open-pr",
        "--pr-comment",
        "--dry-run",
        "--check-only",
    ] {
        let t = project().args([
            "report",
            "--html",
            "out.html",
            "--runs-file",
            "runs.json",
            flag,
        ]);
        let before = t.snapshot();
        t.run().code(2).stderr_has(&format!("does not take {flag}"));
        assert_eq!(t.snapshot(), before, "{flag}");
    }
}

#[test]
fn update_flags_before_the_subcommand_are_a_usage_error() {
    let t = project().args(["--offline", "report", "--html", "out.html"]);
    t.run().code(2).stderr_has("cannot be used with");
    assert!(!t.exists("out.html"));
}

#[test]
fn bad_inputs_write_nothing() {
    let missing = Test::new().args([
        "report",
        "--html",
        "out.html",
        "--checklist",
        "nope.md",
        "--offline",
    ]);
    missing
        .run()
        .code(2)
        .stderr_has("nope.md: checklist not found");
    assert!(!missing.exists("out.html"));

    let broken_history = Test::new()
        .file("release-checklist.md", SEED)
        .file(".cache/readiness.json", "{not json")
        .args(["report", "--html", "out.html", "--offline"]);
    broken_history.run().code(2).stderr_has("readiness.json");
    assert!(!broken_history.exists("out.html"));

    let no_html = project().args(["report", "--runs-file", "runs.json"]);
    no_html.run().code(2).stderr_has("--html <PATH>");
}

#[test]
fn settings_come_from_the_environment_too() {
    let t = Test::new()
        .file("docs/list.md", SEED)
        .env("RELEASE_DASHBOARD_CHECKLIST", "docs/list.md")
        .env("RELEASE_DASHBOARD_THRESHOLD", "80")
        .args(["report", "--html", "out.html", "--offline"]);
    t.run().code(0);
    let page = t.read_string("out.html");
    assert!(page.contains("<code>docs/list.md</code>"));
    assert!(page.contains(">Met</span> meets the target of 80%."));
}

#[test]
fn the_checklist_and_the_history_are_never_overwritten() {
    let t = project();
    std::os::unix::fs::symlink("release-checklist.md", t.path().join("checklist.html")).unwrap();
    std::os::unix::fs::symlink(".cache/readiness.json", t.path().join("history.html")).unwrap();
    // As named, through another spelling, and through a symbolic link.
    for (html, clash) in [
        ("release-checklist.md", "release-checklist.md"),
        ("./.cache/../release-checklist.md", "release-checklist.md"),
        ("checklist.html", "release-checklist.md"),
        (".cache/readiness.json", ".cache/readiness.json"),
        ("history.html", ".cache/readiness.json"),
    ] {
        let before = t.snapshot();
        t.run_with(["report", "--html", html, "--runs-file", "runs.json"])
            .code(2)
            .stderr_has(&format!("{html}: would overwrite {clash}"));
        assert_eq!(t.snapshot(), before, "{html}");
    }

    // A history file that does not exist yet, named directly or through a
    // dangling symbolic link.
    let t = Test::new().file("release-checklist.md", SEED);
    std::os::unix::fs::symlink("new.json", t.path().join("dangling.html")).unwrap();
    for html in ["new.json", "dangling.html"] {
        t.run_with([
            "report",
            "--html",
            html,
            "--history",
            "new.json",
            "--offline",
        ])
        .code(2)
        .stderr_has(&format!("{html}: would overwrite new.json"));
        assert!(!t.exists("new.json"), "{html}");
    }
}
