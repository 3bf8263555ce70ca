//! The GitHub client against a real HTTP server on loopback.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::fixtures::SEED;
use crate::support::harness::{Run, Test};
use crate::support::server::{Reply, Request, Server};

const TOKEN: &str = "ghp_TopSecretToken0123456789";

fn run_json(id: u64, conclusion: &str) -> Value {
    json!({
        "id": id, "name": if id.is_multiple_of(2) { "CI" } else { "Deploy" }, "head_branch": "main",
        "status": "completed", "conclusion": conclusion, "event": "push",
        "created_at": "2026-11-20T10:00:00Z", "updated_at": "2026-11-20T10:02:00Z",
        "html_url": format!("https://github.com/acme/widget/actions/runs/{id}"), "workflow_id": id % 2 + 1
    })
}

/// A runs page of `n` runs starting at id `first`.
pub(crate) fn page(first: u64, n: u64, total: u64) -> Value {
    let runs: Vec<Value> = (first..first + n)
        .map(|id| run_json(id, "success"))
        .collect();
    json!({ "total_count": total, "workflow_runs": runs })
}

fn project() -> Test {
    Test::new().file("release-checklist.md", SEED)
}

fn api_args(server: &Server) -> Vec<String> {
    [
        "--repo",
        "acme/widget",
        "--api-url",
        &server.url(),
        "--token",
        TOKEN,
    ]
    .iter()
    .map(std::string::ToString::to_string)
    .collect()
}

fn assert_no_token(run: &Run) {
    assert!(
        !run.stdout.contains(TOKEN) && !run.stderr.contains(TOKEN),
        "the token leaked"
    );
    assert!(
        !run.stdout.contains("TopSecret") && !run.stderr.contains("TopSecret"),
        "part of the token leaked"
    );
}

#[test]
fn paginates_by_link_one_request_per_100_runs() {
    let server = Server::start(|req: &Request| {
        let p: u64 = req.query("page").and_then(|p| p.parse().ok()).unwrap_or(1);
        let mut reply = Reply::json(
            200,
            &page((p - 1) * 100 + 1, if p < 3 { 100 } else { 50 }, 250),
        );
        if p < 3 {
            let next = format!(
                "<http://{}{}?branch=main&per_page=100&page={}>; rel=\"next\"",
                req.header("host").unwrap_or_default(),
                req.path.split('?').next().unwrap_or(""),
                p + 1
            );
            reply = reply.header("Link", &next);
        }
        reply
    });
    let run = project()
        .args(api_args(&server))
        .args(["--runs", "250", "--format", "json", "--dry-run", "-v"])
        .run();
    run.code(0);
    assert_no_token(&run);
    assert_eq!(run.json()["ci"]["runs"], 250);
    assert_eq!(run.json()["ci"]["source"], "api");
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "one request per 100 runs");
    let first = &requests[0];
    assert!(
        first.path.starts_with("/repos/acme/widget/actions/runs?"),
        "{}",
        first.path
    );
    assert_eq!(first.query("per_page").as_deref(), Some("100"));
    assert_eq!(first.query("branch").as_deref(), Some("main"));
    assert_eq!(
        first.query("exclude_pull_requests").as_deref(),
        Some("true")
    );
    assert_eq!(
        first.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(first.header("accept"), Some("application/vnd.github+json"));
    assert_eq!(first.header("x-github-api-version"), Some("2022-11-28"));
    assert!(
        first
            .header("user-agent")
            .unwrap_or("")
            .starts_with("release-dashboard/")
    );
}

#[test]
fn not_modified_reuses_the_cached_page() {
    let server = Server::start(|req: &Request| {
        if req.header("if-none-match") == Some("\"v1\"") {
            Reply::status(304).header("ETag", "\"v1\"")
        } else {
            Reply::json(200, &page(1, 3, 3)).header("ETag", "\"v1\"")
        }
    });
    let t = project().args(api_args(&server)).args(["--format", "json"]);
    let first = t.run();
    first.code(0);
    let second = t.run();
    second.code(0);
    assert_eq!(second.json()["ci"]["runs"], 3);
    assert_eq!(first.json()["ci"], second.json()["ci"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].header("if-none-match"), Some("\"v1\""));
    // The cache file never holds the token.
    for (path, bytes) in t.snapshot() {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(TOKEN),
            "{} holds the token",
            path.display()
        );
    }
}

#[test]
fn server_errors_are_retried_then_smaller_pages_are_tried() {
    let server = Server::scripted(vec![
        Reply::text(502, "bad gateway"),
        Reply::text(502, "bad gateway"),
        Reply::json(200, &page(1, 4, 4)),
    ]);
    let run = project()
        .args(api_args(&server))
        .args(["--format", "json", "--dry-run"])
        .run();
    run.code(0);
    assert_eq!(run.json()["ci"]["runs"], 4);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(
        requests[2].query("per_page").as_deref(),
        Some("50"),
        "a smaller page after repeated 502s"
    );
}

#[test]
fn secondary_rate_limit_waits_retry_after() {
    let server = Server::scripted(vec![
        Reply::json(
            403,
            &json!({"message": "You have exceeded a secondary rate limit."}),
        )
        .header("retry-after", "1"),
        Reply::json(200, &page(1, 2, 2)),
    ]);
    let started = Instant::now();
    let run = project().args(api_args(&server)).args(["--dry-run"]).run();
    run.code(0);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited for retry-after"
    );
    assert_eq!(server.requests().len(), 2);
}

/// A primary rate limit: none left, resetting in `reset_in` seconds.
pub(crate) fn exhausted(reset_in: i64) -> Reply {
    let reset = jiff::Timestamp::now().as_second() + reset_in;
    Reply::json(
        403,
        &json!({"message": "API rate limit exceeded for installation."}),
    )
    .header("x-ratelimit-remaining", "0")
    .header("x-ratelimit-reset", &reset.to_string())
}

#[test]
fn primary_rate_limit_near_reset_waits() {
    let server = Server::scripted(vec![exhausted(1), Reply::json(200, &page(1, 2, 2))]);
    let run = project().args(api_args(&server)).args(["--dry-run"]).run();
    run.code(0);
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn primary_rate_limit_far_reset_fails_at_once_saying_when() {
    let server = Server::scripted(vec![exhausted(3600)]);
    let t = project().args(api_args(&server));
    let before = t.snapshot();
    let started = Instant::now();
    let run = t.run();
    run.code(1).stderr_has("rate limit").stderr_has("resets at");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(t.snapshot(), before, "checklist untouched");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn malformed_retry_after_does_not_wait_forever() {
    let server = Server::scripted(vec![
        Reply::text(429, "slow down").header("retry-after", "soon"),
    ]);
    let started = Instant::now();
    let run = project().args(api_args(&server)).run();
    run.code(1).stderr_has("rate limit");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn client_errors_have_specific_messages_and_are_not_retried() {
    let cases = [
        (
            Reply::json(401, &json!({"message": "Bad credentials"})),
            "token rejected",
        ),
        (
            Reply::json(
                403,
                &json!({"message": "Resource not accessible by integration"}),
            )
            .header("x-accepted-github-permissions", "actions=read"),
            "actions: read",
        ),
        (
            Reply::json(404, &json!({"message": "Not Found"})),
            "not found",
        ),
    ];
    for (reply, needle) in cases {
        let server = Server::scripted(vec![reply]);
        let t = project().args(api_args(&server)).args(["-v"]);
        let before = t.snapshot();
        let run = t.run();
        run.code(1).stderr_has(needle);
        assert_no_token(&run);
        assert_eq!(t.snapshot(), before);
        assert_eq!(server.requests().len(), 1, "{needle}: not retried");
    }
}

#[test]
fn missing_token_is_a_usage_error() {
    project()
        .args(["--repo", "acme/widget"])
        .run()
        .code(2)
        .stderr_has("GH_TOKEN")
        .stderr_has("GITHUB_TOKEN")
        .stderr_has("--runs-file")
        .stderr_has("--offline");
}

#[test]
fn token_from_environment_never_printed() {
    let server = Server::scripted(vec![
        Reply::text(500, "boom"),
        Reply::text(500, "boom"),
        Reply::text(500, "boom"),
        Reply::text(500, "boom"),
        Reply::text(500, "boom"),
    ]);
    let run = project()
        .args(["--repo", "acme/widget", "--api-url", &server.url(), "-v"])
        .env("GH_TOKEN", TOKEN)
        .run();
    run.code(1).stderr_has("500");
    assert_no_token(&run);
}

/// A fake issue-comments API holding `comments` (id, body).
fn comments_api(comments: Arc<Mutex<Vec<(u64, String)>>>) -> Server {
    Server::start(move |req: &Request| {
        let mut all = comments.lock().unwrap();
        if req.path.contains("/actions/runs") {
            return Reply::json(200, &page(1, 2, 2));
        }
        match req.method.as_str() {
            "GET" => {
                let p: usize = req.query("page").and_then(|p| p.parse().ok()).unwrap_or(1);
                let chunk: Vec<Value> = all
                    .iter()
                    .skip((p - 1) * 100)
                    .take(100)
                    .map(|(id, body)| json!({"id": id, "body": body}))
                    .collect();
                let mut reply = Reply::json(200, &Value::Array(chunk));
                if p * 100 < all.len() {
                    let next = format!(
                        "<http://{}/repos/acme/widget/issues/7/comments?per_page=100&page={}>; rel=\"next\"",
                        req.header("host").unwrap_or_default(),
                        p + 1
                    );
                    reply = reply.header("Link", &next);
                }
                reply
            }
            "POST" => {
                let id = 10_000 + all.len() as u64;
                let body = req.body_json()["body"].as_str().unwrap_or("").to_string();
                all.push((id, body.clone()));
                Reply::json(201, &json!({"id": id, "body": body}))
            }
            "PATCH" => {
                let id: u64 = req
                    .path
                    .rsplit('/')
                    .next()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
                let body = req.body_json()["body"].as_str().unwrap_or("").to_string();
                if let Some(c) = all.iter_mut().find(|(cid, _)| *cid == id) {
                    c.1 = body;
                }
                Reply::json(200, &json!({"id": id}))
            }
            _ => Reply::status(405),
        }
    })
}

#[test]
fn pr_comment_is_created_once_then_updated_past_150_comments() {
    let comments = Arc::new(Mutex::new(
        (1..=150)
            .map(|i| (i, format!("human comment {i}")))
            .collect::<Vec<_>>(),
    ));
    let server = comments_api(comments.clone());
    let t = project()
        .args(api_args(&server))
        .args(["--pr-comment", "--pr", "7"]);
    t.run().code(0).stdout_has("comment posted");
    let ours = |all: &[(u64, String)]| {
        all.iter()
            .filter(|(_, b)| b.contains("<!-- release-dashboard:pr-comment -->"))
            .count()
    };
    assert_eq!(ours(&comments.lock().unwrap()), 1);
    // The same inputs again: found past the first page, nothing to change.
    t.run().code(0).stdout_has("comment already up to date");
    // A changed checklist: the same comment is updated.
    let t = t.file(
        "release-checklist.md",
        SEED.replace("⏳ PENDING", "✅ PASS"),
    );
    t.run().code(0).stdout_has("comment updated");
    // And again: the delta since the previous state stays, nothing to send.
    t.run().code(0).stdout_has("comment already up to date");
    let all = comments.lock().unwrap();
    assert_eq!(ours(&all), 1, "never two comments from us");
    assert!(all.last().is_some_and(|(_, b)| b.contains("90.36%")));
    let methods: Vec<String> = server.requests().iter().map(|r| r.method.clone()).collect();
    assert_eq!(methods.iter().filter(|m| *m == "POST").count(), 1);
    assert_eq!(methods.iter().filter(|m| *m == "PATCH").count(), 1);
}

/// Switching from the replaced tool: its comment (with its marker) is
/// adopted and rewritten, not left stale beside a new one.
#[test]
fn the_replaced_tools_pr_comment_is_adopted() {
    let legacy =
        "## 📊 Release Readiness: 70%\n\n<!-- RELEASE_DASHBOARD_COMMENT_MARKER: DO_NOT_DELETE -->";
    let comments = Arc::new(Mutex::new(vec![
        (1, "human comment".to_string()),
        (2, legacy.to_string()),
    ]));
    let server = comments_api(comments.clone());
    let t = project()
        .args(api_args(&server))
        .args(["--pr-comment", "--pr", "7"]);
    t.run().code(0).stdout_has("comment updated");
    {
        let all = comments.lock().unwrap();
        assert_eq!(all.len(), 2, "no second comment");
        assert!(all[1].1.contains("<!-- release-dashboard:pr-comment -->"));
        assert!(!all[1].1.contains("RELEASE_DASHBOARD_COMMENT_MARKER"));
        assert_eq!(all[0].1, "human comment");
    }
    t.run().code(0).stdout_has("comment already up to date");
    let methods: Vec<String> = server.requests().iter().map(|r| r.method.clone()).collect();
    assert_eq!(methods.iter().filter(|m| *m == "POST").count(), 0);
}

#[test]
fn fork_pr_403_is_a_warning_unless_strict() {
    let fork = || {
        Server::start(|req: &Request| match req.method.as_str() {
            "GET" if req.path.contains("/comments") => Reply::json(200, &json!([])),
            "GET" => Reply::json(200, &page(1, 1, 1)),
            _ => Reply::json(
                403,
                &json!({"message": "Resource not accessible by integration"}),
            ),
        })
    };
    let server = fork();
    let run = project()
        .args(api_args(&server))
        .args([
            "--pr-comment",
            "--pr",
            "3",
            "--check-only",
            "--threshold",
            "50",
        ])
        .run();
    run.code(0)
        .stderr_has("could not comment")
        .stderr_has("fork");
    let server = fork();
    let run = project()
        .args(api_args(&server))
        .args([
            "--pr-comment",
            "--pr",
            "3",
            "--check-only",
            "--threshold",
            "50",
            "--strict",
        ])
        .run();
    run.code(1).stderr_has("could not comment");
}

#[test]
fn pr_number_from_the_actions_event() {
    let comments = Arc::new(Mutex::new(Vec::new()));
    let server = comments_api(comments.clone());
    let t = project()
        .file("event.json", r#"{"pull_request": {"number": 7}}"#)
        .args(api_args(&server))
        .args(["--pr-comment", "--check-only"]);
    let event = t.path().join("event.json").display().to_string();
    t.env("GITHUB_EVENT_PATH", &event)
        .run()
        .stdout_has("comment posted");
    assert_eq!(comments.lock().unwrap().len(), 1);
}

#[test]
fn the_token_never_follows_a_link_to_another_host() {
    let elsewhere = Server::scripted(vec![Reply::json(200, &page(101, 1, 101))]);
    let target = format!("{}/steal?page=2", elsewhere.url());
    let server = Server::start(move |_req: &Request| {
        Reply::json(200, &page(1, 100, 101)).header("Link", &format!("<{target}>; rel=\"next\""))
    });
    let run = project()
        .args(api_args(&server))
        .args(["--runs", "150", "--dry-run"])
        .run();
    run.code(1).stderr_has("refusing to send the token");
    assert_no_token(&run);
    assert!(
        elsewhere.requests().is_empty(),
        "no request reached the other host"
    );
}

#[test]
fn a_rate_limited_comment_post_is_waited_out_not_duplicated() {
    let posts = Arc::new(Mutex::new(0));
    let seen = posts.clone();
    let server = Server::start(move |req: &Request| match req.method.as_str() {
        "GET" if req.path.contains("/comments") => Reply::json(200, &json!([])),
        "GET" => Reply::json(200, &page(1, 1, 1)),
        _ => {
            let mut n = seen.lock().unwrap();
            *n += 1;
            if *n == 1 {
                Reply::json(
                    403,
                    &json!({"message": "You have exceeded a secondary rate limit"}),
                )
                .header("retry-after", "1")
            } else {
                Reply::json(201, &json!({"id": 77}))
            }
        }
    });
    let run = project()
        .args(api_args(&server))
        .args([
            "--pr-comment",
            "--pr",
            "7",
            "--check-only",
            "--threshold",
            "50",
        ])
        .run();
    run.code(0).stdout_has("comment posted");
    assert_eq!(*posts.lock().unwrap(), 2);
}

#[test]
fn a_bad_checklist_fails_before_any_request() {
    let server = Server::scripted(vec![]);
    let t = Test::new()
        .file("release-checklist.md", "# T\n<!-- CI_SNAPSHOT_START -->\n")
        .args(api_args(&server));
    t.run().code(2).stderr_has("CI_SNAPSHOT_START");
    assert!(server.requests().is_empty());
}

#[test]
fn a_not_modified_page_keeps_its_next_link() {
    let server = Server::start(|req: &Request| {
        let p: u64 = req.query("page").and_then(|p| p.parse().ok()).unwrap_or(1);
        if req.header("if-none-match").is_some() {
            return Reply::status(304);
        }
        let mut reply = Reply::json(200, &page((p - 1) * 100 + 1, 100, 200))
            .header("ETag", &format!("\"p{p}\""));
        if p == 1 {
            let next = format!(
                "<http://{}/repos/acme/widget/actions/runs?branch=main&per_page=100&page=2>; rel=\"next\"",
                req.header("host").unwrap_or_default()
            );
            reply = reply.header("Link", &next);
        }
        reply
    });
    let t = project()
        .args(api_args(&server))
        .args(["--runs", "200", "--format", "json"]);
    assert_eq!(t.run().json()["ci"]["runs"], 200);
    assert_eq!(
        t.run().json()["ci"]["runs"],
        200,
        "the second run follows the cached next link"
    );
    assert_eq!(server.requests().len(), 4);
}

/// The ETag cache lives in the user's cache directory (`XDG_CACHE_HOME`
/// here), not in the repository where `git status` would show it;
/// `RELEASE_DASHBOARD_CACHE_DIR` moves it.
#[test]
fn the_http_cache_lives_in_the_users_cache_directory() {
    let server = Server::start(|req: &Request| {
        if req.header("if-none-match") == Some("\"v1\"") {
            Reply::status(304).header("ETag", "\"v1\"")
        } else {
            Reply::json(200, &page(1, 3, 3)).header("ETag", "\"v1\"")
        }
    });
    let t = project().args(api_args(&server));
    t.run().code(0);
    let in_repo: Vec<String> = t
        .snapshot()
        .iter()
        .map(|(p, _)| p.strip_prefix(t.path()).unwrap().display().to_string())
        .filter(|p| p.contains("github-runs"))
        .collect();
    assert!(
        in_repo.is_empty(),
        "cache files in the repository: {in_repo:?}"
    );
    let dir = t.cache_home().join("release-dashboard");
    let cached: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(cached.len(), 1, "{cached:?}");
    assert!(cached[0].starts_with("github-runs-") && cached[0].ends_with(".json"));
    t.run().code(0);
    assert_eq!(server.requests()[1].header("if-none-match"), Some("\"v1\""));
    // An explicit directory wins.
    let custom = t.path().join("custom-cache");
    let moved = t.env("RELEASE_DASHBOARD_CACHE_DIR", &custom.display().to_string());
    moved.run().code(0);
    assert_eq!(std::fs::read_dir(&custom).unwrap().count(), 1);
}

/// The request counts the README quotes, measured on the loopback API: an
/// update of 36 workflows (100 runs) makes 1 request, `--check-only` none
/// (the gate does not depend on CI),
/// and 100 workflows over `--runs 200` make 2.
#[test]
fn request_counts_quoted_in_the_readme() {
    let workflows = |n: u64| {
        move |req: &Request| {
            let page: u64 = req.query("page").and_then(|p| p.parse().ok()).unwrap_or(1);
            let first = (page - 1) * 100 + 1;
            let runs: Vec<Value> = (first..first + 100)
                .map(|id| {
                    json!({
                        "id": id, "name": format!("Workflow {}", id % n), "workflow_id": id % n + 1,
                        "head_branch": "main", "status": "completed", "conclusion": "success",
                        "created_at": "2026-11-20T10:00:00Z", "updated_at": "2026-11-20T10:02:00Z",
                    })
                })
                .collect();
            let mut reply = Reply::json(200, &json!({"total_count": 1000, "workflow_runs": runs}));
            if page < 10 {
                let next = format!(
                    "<http://{}/repos/acme/widget/actions/runs?branch=main&per_page=100&page={}>; rel=\"next\"",
                    req.header("host").unwrap_or_default(),
                    page + 1
                );
                reply = reply.header("Link", &next);
            }
            reply
        }
    };
    for (n, extra, expected) in [
        (36, vec![], 1),
        (36, vec!["--check-only", "--threshold", "0"], 0),
        (100, vec!["--runs", "200"], 2),
    ] {
        let server = Server::start(workflows(n));
        let t = project().args(api_args(&server)).args(extra.clone());
        let run = t.run();
        run.code(0);
        assert_eq!(server.requests().len(), expected, "{n} workflows {extra:?}");
    }
}
