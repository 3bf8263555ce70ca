//! Gates that follow CI: items bound to a workflow (a CI column, a link to
//! the workflow, config `[gates]`) take the state of its latest completed
//! run, against a GitHub API on loopback.

use serde_json::{Value, json};

use crate::support::harness::Test;
use crate::support::server::{Reply, Request, Server};

const CHECKLIST: &str = "\
# Release v3 Checklist

## Core Gates

| Gate | Status | Owner | CI |
|---|---|---|---|
| Build & Unit Tests | ✅ PASS | @ana | `ci.yml` |
| Security Scan |  ✅ PASS  | @sec | [scan](https://github.com/acme/widget/actions/workflows/security.yml) |
| Docs build | ⏳ PENDING | @eve | Docs |
| Manual QA | ✅ PASS | @qa | — |

## Optional Gates

- [x] Nightly E2E green, see the [Nightly workflow](https://github.com/acme/widget/actions/workflows/nightly.yml)
- [ ] Perf budget

## Deployment

- [x] Release notes

## Sign-off

- [x] Product
";

const CONFIG: &str = "[gates]\n\"Release notes\" = \"release.yml\"\n";

/// One run of `file` (named `name`), `minutes` after 2026-11-20 10:00.
fn run(id: u64, name: &str, file: &str, conclusion: &str, minutes: u64) -> Value {
    json!({
        "id": id, "name": name, "path": format!(".github/workflows/{file}"),
        "workflow_id": file.bytes().fold(7_u64, |h, b| h * 31 + u64::from(b)), "head_branch": "main",
        "status": "completed", "conclusion": conclusion, "event": "push",
        "run_number": id,
        "created_at": format!("2026-11-20T{:02}:{:02}:00Z", 10 + minutes / 60, minutes % 60),
        "updated_at": format!("2026-11-20T{:02}:{:02}:30Z", 10 + minutes / 60, minutes % 60),
        "html_url": format!("https://github.com/acme/widget/actions/runs/{id}"),
    })
}

/// The window: ci.yml failed last (after a success); security.yml was
/// cancelled last (after a success); Docs passed; release.yml passed.
/// nightly.yml has no run in the window.
fn window() -> Vec<Value> {
    vec![
        run(812, "CI", "ci.yml", "failure", 50),
        run(811, "Security", "security.yml", "cancelled", 45),
        run(810, "Docs", "docs.yml", "success", 40),
        run(809, "Release", "release.yml", "success", 35),
        run(808, "CI", "ci.yml", "success", 30),
        run(807, "Security", "security.yml", "success", 25),
    ]
}

fn api() -> Server {
    Server::start(|req: &Request| {
        let path = req.path_without_query();
        if path == "/repos/acme/widget/actions/runs" {
            let runs = window();
            return Reply::json(
                200,
                &json!({"total_count": runs.len(), "workflow_runs": runs}),
            );
        }
        if path == "/repos/acme/widget/actions/workflows/nightly.yml/runs" {
            let runs = [run(700, "Nightly", "nightly.yml", "failure", 0)];
            return Reply::json(200, &json!({"total_count": 1, "workflow_runs": runs}));
        }
        Reply::json(404, &json!({"message": "Not Found"}))
    })
}

fn project() -> Test {
    Test::new()
        .file("release-checklist.md", CHECKLIST)
        .file(".release-dashboard.toml", CONFIG)
}

fn api_args(server: &Server) -> Vec<String> {
    [
        "--repo",
        "acme/widget",
        "--api-url",
        &server.url(),
        "--token",
        "t0k",
    ]
    .iter()
    .map(ToString::to_string)
    .collect()
}

fn item<'a>(json: &'a Value, name: &str) -> &'a Value {
    json["categories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["items"].as_array().unwrap())
        .find(|i| i["name"].as_str().unwrap().starts_with(name))
        .unwrap_or_else(|| panic!("no item {name}"))
}

#[test]
fn bound_gates_follow_their_workflows_latest_completed_run() {
    let server = api();
    let t = project().args(api_args(&server));
    let json = t.run_with(["--format", "json", "--dry-run"]).json();
    // Written: 77.5. CI: Build fails, Nightly fails, Docs passes.
    assert_eq!(json["score"], 67.5);
    assert_eq!(json["gates"]["bound"], 5);
    assert_eq!(json["gates"]["from_ci"], 5);
    let build = item(&json, "Build & Unit Tests");
    assert_eq!(build["state"], "fail");
    assert_eq!(build["source"], "ci");
    assert_eq!(build["run"]["number"], 812);
    // Cancelled-then-success: the success decides.
    let security = item(&json, "Security Scan");
    assert_eq!(security["state"], "pass");
    assert_eq!(security["run"]["id"], 807);
    assert_eq!(item(&json, "Docs build")["state"], "pass");
    assert_eq!(item(&json, "Release notes")["source"], "ci");
    assert_eq!(item(&json, "Manual QA")["source"], "written");
    assert_eq!(item(&json, "Perf budget")["source"], "written");
    let drift: Vec<(String, String, String)> = json["drift"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["item"].as_str().unwrap().to_string(),
                d["written"].as_str().unwrap().to_string(),
                d["ci"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        drift,
        [
            ("Build & Unit Tests".into(), "pass".into(), "fail".into()),
            ("Docs build".into(), "pending".into(), "pass".into()),
            (
                "Nightly E2E green, see the Nightly workflow".into(),
                "pass".into(),
                "fail".into()
            ),
        ]
    );
    assert_eq!(
        json["drift"][0]["run_url"],
        "https://github.com/acme/widget/actions/runs/812"
    );
    assert_eq!(json["drift"][0]["line"], 7);
    // One request for the window, one for nightly.yml (outside it).
    let paths: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    assert!(paths[1].starts_with(
        "/repos/acme/widget/actions/workflows/nightly.yml/runs?branch=main&per_page=1"
    ));

    // Text output and the block say so too.
    let text = t.run_with(["--dry-run"]);
    text.code(0)
        .stdout_has("CI disagrees with the checklist (3)")
        .stdout_has("Build & Unit Tests: written ✅, CI ❌ failure (run #812)");
}

#[test]
fn the_readiness_block_lists_drift_and_the_file_keeps_its_written_status() {
    let server = api();
    let t = project().args(api_args(&server));
    t.run_with(["--quiet"]).code(0);
    let after = t.read_string("release-checklist.md");
    assert!(
        after.contains("**CI disagrees with the checklist (3)**"),
        "{after}"
    );
    assert!(
        after.contains("- Build &amp; Unit Tests: written ✅, CI ❌ failure ([run #812](https://github.com/acme/widget/actions/runs/812))"),
        "{after}"
    );
    // Without --sync-status the written statuses stay.
    assert!(after.contains("| Build & Unit Tests | ✅ PASS | @ana | `ci.yml` |"));
}

#[test]
fn sync_status_flips_exactly_the_disagreeing_statuses() {
    let server = api();
    let t = project().args(api_args(&server));
    let dry = t.run_with(["--sync-status", "--dry-run"]);
    dry.code(0)
        .stdout_has("+| Build & Unit Tests | ❌ FAIL | @ana | `ci.yml` |");
    assert_eq!(
        t.read_string("release-checklist.md"),
        CHECKLIST,
        "dry run wrote"
    );

    t.run_with(["--sync-status", "--quiet"]).code(0);
    let synced = t.read_string("release-checklist.md");
    // The same update without --sync-status, for comparison.
    let plain = project().args(api_args(&server));
    plain.run_with(["--quiet"]).code(0);
    let unsynced = plain.read_string("release-checklist.md");
    // Outside the blocks, exactly three statuses differ, byte for byte.
    let reverted = without_block_content(&synced)
        .replace(
            "| Build & Unit Tests | ❌ FAIL |",
            "| Build & Unit Tests | ✅ PASS |",
        )
        .replace("| Docs build | ✅ PASS |", "| Docs build | ⏳ PENDING |")
        .replace("- [ ] Nightly E2E", "- [x] Nightly E2E");
    assert_eq!(reverted, without_block_content(&unsynced));
    assert!(synced.contains("| Build & Unit Tests | ❌ FAIL | @ana |"));
    assert!(
        synced.contains("| Security Scan |  ✅ PASS  | @sec |"),
        "untouched"
    );
    let json = t.run_with(["--sync-status", "--format", "json"]).json();
    assert_eq!(json["changed"], false, "a second run changes nothing");
    assert_eq!(json["drift"].as_array().unwrap().len(), 0);
    assert_eq!(t.read_string("release-checklist.md"), synced);
}

/// The text with what is between each pair of markers removed.
fn without_block_content(text: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in text.split_inclusive('\n') {
        if line.starts_with("<!-- ") && line.trim_end().ends_with("_END -->") {
            inside = false;
        }
        if !inside {
            out.push_str(line);
        }
        if line.starts_with("<!-- ") && line.trim_end().ends_with("_START -->") {
            inside = true;
        }
    }
    out
}

#[test]
fn offline_bound_items_keep_their_written_state_and_say_so() {
    let t = project();
    let run = t.run_with(["--offline", "--format", "json", "--dry-run"]);
    let json = run.json();
    assert_eq!(json["score"], 77.5);
    assert_eq!(json["gates"]["bound"], 5);
    assert_eq!(json["gates"]["kept_written"], 5);
    assert_eq!(item(&json, "Build & Unit Tests")["source"], "written");
    t.run_with(["--offline", "--dry-run"]).code(0).stdout_has(
        "Gates: 5 item(s) name a workflow; without CI data they keep their written state",
    );
}

#[test]
fn an_unknown_workflow_is_named_with_those_that_exist() {
    let server = api();
    let t = project()
        .file(
            ".release-dashboard.toml",
            "[gates]\n\"Release notes\" = \"Relase\"\n",
        )
        .args(api_args(&server));
    let json = t.run_with(["--format", "json", "--dry-run"]).json();
    let warnings = json["warnings"].to_string();
    assert!(
        warnings.contains("names workflow \\\"Relase\\\""),
        "{warnings}"
    );
    assert!(warnings.contains("Release (release.yml)"), "{warnings}");
    assert_eq!(item(&json, "Release notes")["source"], "written");
}

/// Five bound gates whose workflows are all in the window cost nothing
/// extra: one request per 100 runs.
#[test]
fn five_bound_gates_in_the_window_cost_no_extra_request() {
    let names = ["Build", "Lint", "Test", "Docs", "Package"];
    let server = Server::start(move |req: &Request| {
        let page: u64 = req.query("page").and_then(|p| p.parse().ok()).unwrap_or(1);
        let runs: Vec<Value> = (0..100)
            .map(|i| {
                let n = (page - 1) * 100 + i;
                let name = names[(n % 5) as usize];
                run(
                    10_000 - n,
                    name,
                    &format!("{}.yml", name.to_lowercase()),
                    "success",
                    300 - n % 300,
                )
            })
            .collect();
        let mut reply = Reply::json(200, &json!({"total_count": 250, "workflow_runs": runs}));
        if page < 3 {
            let next = format!(
                "<http://{}/repos/acme/widget/actions/runs?branch=main&per_page=100&page={}>; rel=\"next\"",
                req.header("host").unwrap_or_default(),
                page + 1
            );
            reply = reply.header("Link", &next);
        }
        reply
    });
    let rows: String = names
        .iter()
        .map(|n| format!("| {n} | ⏳ PENDING | {}.yml |\n", n.to_lowercase()))
        .collect();
    let checklist = format!(
        "# R\n\n## Core Gates\n\n| Gate | Status | Workflow |\n|---|---|---|\n{rows}\n## Optional\n\n- [x] a\n\n## Deployment\n\n- [x] b\n\n## Sign-off\n\n- [x] c\n"
    );
    let t = Test::new()
        .file("release-checklist.md", checklist)
        .args(api_args(&server));
    let json = t
        .run_with(["--format", "json", "--dry-run", "--runs", "250"])
        .json();
    assert_eq!(json["gates"]["from_ci"], 5);
    assert_eq!(json["score"], 100.0);
    let paths: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths.len(), 3, "one request per 100 runs: {paths:?}");
}

/// The PR comment and the Slack alert name the drift too.
#[test]
fn drift_reaches_the_pr_comment_and_the_slack_alert() {
    let server = Server::start(|req: &Request| {
        let path = req.path_without_query();
        match (req.method.as_str(), path) {
            ("GET", "/repos/acme/widget/actions/runs") => {
                let runs = window();
                Reply::json(
                    200,
                    &json!({"total_count": runs.len(), "workflow_runs": runs}),
                )
            }
            ("GET", "/repos/acme/widget/actions/workflows/nightly.yml/runs") => Reply::json(
                200,
                &json!({"total_count": 1, "workflow_runs": [run(700, "Nightly", "nightly.yml", "failure", 0)]}),
            ),
            ("GET", "/repos/acme/widget/issues/7/comments") => Reply::json(200, &json!([])),
            ("POST", "/repos/acme/widget/issues/7/comments") => {
                Reply::json(201, &json!({"id": 1, "body": ""}))
            }
            ("POST", p) if p.starts_with("/services/") => Reply::text(200, "ok"),
            _ => Reply::json(404, &json!({"message": "Not Found"})),
        }
    });
    let hook = format!("{}/services/T000/B000/XYZ", server.url());
    let t = project().args(api_args(&server)).args([
        "--pr-comment",
        "--pr",
        "7",
        "--notify",
        "--slack-webhook",
        &hook,
    ]);
    t.run().code(0);
    let requests = server.requests();
    let comment = requests
        .iter()
        .find(|r| r.method == "POST" && r.path.contains("/comments"))
        .expect("a comment was posted")
        .body_json();
    let body = comment["body"].as_str().unwrap();
    assert!(
        body.contains("**CI disagrees with the checklist (3)**"),
        "{body}"
    );
    assert!(
        body.contains("**Build &amp; Unit Tests**: written ✅, CI ❌ failure"),
        "{body}"
    );
    let slack = requests
        .iter()
        .find(|r| r.method == "POST" && r.path.starts_with("/services/"))
        .expect("a Slack alert was sent")
        .body_json();
    let text = slack.to_string();
    assert!(
        text.contains("CI disagrees with the checklist (3)"),
        "{text}"
    );
    assert!(text.contains("written ✅, CI ❌ failure"), "{text}");
}
