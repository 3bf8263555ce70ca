//! Issue 13, endless and echoing servers: self-linking pages end with a
//! warning, a stalled body ends at the request's deadline, and nothing a
//! server echoes (the token) or the API URL carries (userinfo) is shown.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::fixtures::SEED;
use crate::support::harness::{Run, Test};
use crate::support::server::{Reply, Request, Server};

const TOKEN: &str = "ghp_SeCrEtToKeN1234567890abcdef";

fn one_run(named: bool) -> serde_json::Value {
    let mut run = json!({
        "id": 1, "head_branch": "main", "status": "completed",
        "conclusion": "success", "event": "push",
        "created_at": "2026-11-23T10:00:00Z", "updated_at": "2026-11-23T10:01:00Z",
        "html_url": "https://github.com/acme/widget/actions/runs/1", "workflow_id": 1
    });
    if named {
        run["name"] = json!("CI");
    }
    json!({"total_count": 5000, "workflow_runs": [run]})
}

fn project(server: &Server) -> Test {
    Test::new()
        .file("release-checklist.md", SEED)
        .args(["--repo", "acme/widget", "--api-url", &server.url()])
        .args(["--http-timeout", "2"])
        .env("GITHUB_TOKEN", TOKEN)
}

/// A `Link` header pointing at the very URL requested.
fn self_link(req: &Request) -> String {
    format!(
        "<http://{}{}>; rel=\"next\"",
        req.header("host").unwrap_or_default(),
        req.path
    )
}

fn count(server: &Server, path: &str) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.path_without_query().ends_with(path))
        .count()
}

/// Issue 13 failure 5: runs and workflows pages that link to themselves.
#[test]
fn self_linking_runs_and_workflows_pages_end_with_a_warning() {
    let server = Server::start(|req: &Request| {
        let link = self_link(req);
        match req.path_without_query() {
            "/repos/acme/widget/actions/runs" => Reply::json(200, &one_run(false)),
            "/repos/acme/widget/actions/workflows" => Reply::json(
                200,
                &json!({"total_count": 1, "workflows": [{"id": 1, "name": "CI"}]}),
            ),
            _ => Reply::json(404, &json!({"message": "Not Found"})),
        }
        .header("Link", &link)
    });
    let started = Instant::now();
    let run = project(&server).args(["--runs", "1000"]).run();
    run.code(0);
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(count(&server, "/actions/runs"), 1, "the page is read once");
    assert_eq!(count(&server, "/actions/workflows"), 1);
    let said = format!("{}{}", run.stdout, run.stderr);
    assert!(said.matches("already read").count() >= 2, "{said}");
}

#[test]
fn self_linking_comment_pages_end_without_a_duplicate_comment() {
    let server = Server::start(|req: &Request| {
        let link = self_link(req);
        match (req.method.as_str(), req.path_without_query()) {
            ("GET", "/repos/acme/widget/actions/runs") => Reply::json(200, &one_run(true)),
            ("GET", "/repos/acme/widget/issues/7/comments") => {
                Reply::json(200, &json!([{"id": 1, "body": "someone else"}])).header("Link", &link)
            }
            _ => Reply::json(500, &json!({"message": "unexpected"})),
        }
    });
    let run = project(&server).args(["--pr-comment", "--pr", "7"]).run();
    run.code(0).stderr_has("already read");
    assert_eq!(count(&server, "/issues/7/comments"), 1);
    assert!(
        server.requests().iter().all(|r| r.method == "GET"),
        "nothing posted"
    );
}

/// Issue 13 failure 6: a body that stalls after its first bytes ends at
/// the request's deadline (twice --http-timeout), retries included.
#[test]
fn a_stalled_body_ends_at_the_deadline() {
    let server = Server::start(|_: &Request| {
        Reply::json(200, &one_run(true)).stalling_after(20, Duration::from_secs(120))
    });
    let started = Instant::now();
    let run = project(&server).run();
    let took = started.elapsed();
    assert_eq!(run.code, 1, "{}", run.stderr);
    // Twice the 2 s timeout, plus start-up; the old code took 3 attempts of
    // 4 s bodies plus back-off.
    assert!(
        took < Duration::from_secs(8),
        "took {took:?}: {}",
        run.stderr
    );
    assert!(run.stderr.contains("--http-timeout"), "{}", run.stderr);
}

fn no_secret(run: &Run, secrets: &[&str]) {
    for secret in secrets {
        assert!(
            !run.stdout.contains(secret),
            "stdout shows {secret}:\n{}",
            run.stdout
        );
        assert!(
            !run.stderr.contains(secret),
            "stderr shows {secret}:\n{}",
            run.stderr
        );
    }
}

/// Issue 13 failure 7: a proxy's error page quoting the Authorization
/// header, for every status the tool words.
#[test]
fn an_error_body_echoing_the_token_is_redacted() {
    for status in [400, 401, 403, 404, 422, 500] {
        let server = Server::start(move |req: &Request| {
            let echoed = format!(
                "proxy error; request had Authorization: {} and token={}",
                req.header("authorization").unwrap_or_default(),
                TOKEN
            );
            Reply::text(status, &echoed)
        });
        let run = project(&server).args(["-v"]).run();
        assert_ne!(run.code, 0, "status {status}");
        no_secret(&run, &[TOKEN, "Bearer ghp"]);
    }
}

/// Issue 13 failure 8: userinfo in --api-url never reaches a link, a
/// message or the -v log.
#[test]
fn credentials_in_the_api_url_are_never_shown() {
    let server = Server::start(|req: &Request| match req.path_without_query() {
        "/repos/acme/widget/actions/runs" => Reply::json(200, &one_run(true)),
        _ => Reply::json(404, &json!({"message": "Not Found"})),
    });
    let url = server.url().replace("http://", "http://robot:hunter2pass@");
    let run = Test::new()
        .file("release-checklist.md", SEED)
        .args([
            "--repo",
            "acme/widget",
            "--api-url",
            &url,
            "-v",
            "--format",
            "json",
        ])
        .args(["--http-timeout", "2"])
        .env("GITHUB_TOKEN", TOKEN)
        .run();
    no_secret(&run, &["hunter2pass", "robot:", TOKEN]);
}

/// A redirect to another host never carries the token there.
#[test]
fn a_redirect_elsewhere_does_not_carry_the_token() {
    let elsewhere = Server::start(|_: &Request| Reply::json(200, &one_run(true)));
    let target = format!(
        "{}/repos/acme/widget/actions/runs",
        elsewhere.url().replace("127.0.0.1", "localhost")
    );
    let server = Server::start(move |_: &Request| Reply::status(302).header("Location", &target));
    let run = project(&server).run();
    no_secret(&run, &[TOKEN]);
    assert!(
        elsewhere
            .requests()
            .iter()
            .all(|r| r.header("authorization").is_none()),
        "the token went to another host"
    );
}
