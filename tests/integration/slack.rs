//! `--notify`: the Slack alert against a webhook receiver on loopback.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::fixtures::SEED;
use crate::support::harness::{Run, Test};
use crate::support::server::{Reply, Request, Server};

/// The secret part of every test webhook.
const SECRET: &str = "SECRETxyz";
const HOSTILE: &str = "<!channel> & <https://evil|x> @here";

fn webhook(server: &Server) -> String {
    format!("{}/services/T000/B000/{SECRET}", server.url())
}

fn run_json(id: u64, workflow: u64, name: &str, branch: &str, conclusion: &str, day: u32) -> Value {
    json!({
        "id": id, "name": name, "head_branch": branch, "status": "completed",
        "conclusion": conclusion, "event": "push", "workflow_id": workflow,
        "created_at": format!("2026-11-{day:02}T10:00:00Z"),
        "updated_at": format!("2026-11-{day:02}T10:03:00Z"),
        "html_url": format!("https://github.com/acme/widget/actions/runs/{id}"),
    })
}

/// Four failing workflows on `branch`: Build (2 failures, latest run 2),
/// `deploy` (run 4), Lint (run 5), Docs (run 6, the oldest failure).
fn runs(branch: &str, deploy: &str) -> String {
    let runs = vec![
        run_json(1, 1, "Build", branch, "failure", 10),
        run_json(2, 1, "Build", branch, "failure", 11),
        run_json(3, 1, "Build", branch, "success", 12),
        run_json(4, 2, deploy, branch, "failure", 13),
        run_json(5, 3, "Lint", branch, "failure", 9),
        run_json(6, 4, "Docs", branch, "failure", 8),
        run_json(7, 5, "CI", branch, "success", 14),
    ];
    json!({ "total_count": runs.len(), "workflow_runs": runs }).to_string()
}

/// The seed checklist (84.11) and a runs file with failing workflows.
fn project() -> Test {
    Test::new()
        .file("release-checklist.md", SEED)
        .file("runs.json", runs("main", "Deploy"))
}

fn notify_args(server: &Server) -> Vec<String> {
    [
        "--runs-file",
        "runs.json",
        "--repo",
        "acme/widget",
        "--notify",
        "--slack-webhook",
        &webhook(server),
        "-v",
    ]
    .iter()
    .map(std::string::ToString::to_string)
    .collect()
}

fn ok() -> Reply {
    Reply::text(200, "ok")
}

#[track_caller]
fn assert_no_webhook(run: &Run, server: &Server) {
    let hook = webhook(server);
    for (name, out) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        assert!(
            !out.contains(SECRET),
            "{name} has the webhook's secret:\n{out}"
        );
        assert!(
            !out.contains("/services/T000"),
            "{name} has the path:\n{out}"
        );
        assert!(!out.contains(&hook), "{name} has the webhook:\n{out}");
    }
}

/// `git init` the test directory, so that the checklist has a path in a repository.
fn git_init(t: &Test) {
    let status = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(t.path())
        .status()
        .unwrap();
    assert!(status.success());
}

/// Every string under a `text` key, in order.
fn texts(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect_texts(value, &mut out);
    out
}

fn collect_texts(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match v {
                    Value::String(s) if k == "text" => out.push(s.clone()),
                    _ => collect_texts(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_texts(v, out)),
        _ => {}
    }
}

fn blocks_of<'a>(payload: &'a Value, kind: &str) -> Vec<&'a Value> {
    payload["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["type"] == kind)
        .collect()
}

#[test]
fn payload_has_header_fields_failing_workflows_blockers_and_buttons() {
    let server = Server::scripted(vec![ok()]);
    let t = project().args(notify_args(&server));
    git_init(&t);
    let run = t.run();
    run.code(0)
        .stdout_has("Slack alert sent")
        .stdout_has("below the alert threshold 90%")
        .stderr_has("POST <slack webhook> → 200 in ");
    assert_no_webhook(&run, &server);
    assert!(t.read_string("release-checklist.md").contains("84.11"));

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request: &Request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, format!("/services/T000/B000/{SECRET}"));
    assert!(
        request
            .header("content-type")
            .unwrap_or_default()
            .starts_with("application/json")
    );
    let payload = request.body_json();
    let fallback = payload["text"].as_str().unwrap();
    assert!(fallback.contains("84.11%"), "{fallback}");

    let header = blocks_of(&payload, "header");
    assert_eq!(header.len(), 1);
    assert_eq!(
        header[0]["text"]["text"],
        "🟠 Release readiness: 84.11% — In Progress"
    );
    assert_eq!(payload["blocks"][0]["type"], "header");

    let fields: Vec<&str> = blocks_of(&payload, "section")
        .into_iter()
        .filter_map(|s| s["fields"].as_array())
        .flatten()
        .map(|f| f["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "*Status*\n🟠 In Progress",
            "*Target*\n90% · ❌ not met",
            "*Core Gates* 🔒\n7/8 passing · 87.5%",
            "*Optional Gates*\n7/8 passing · 87.5%",
            "*Deployment*\n6/8 passing · 75.0%",
            "*Sign-off*\n11/14 passing · 78.6%",
        ]
    );

    let all = texts(&payload).join("\n");
    // The top three failing workflows, linked to their latest failed runs.
    let ci_line = all
        .lines()
        .position(|l| l == "*Top failing workflows*")
        .unwrap();
    let failing: Vec<&str> = all.lines().skip(ci_line + 1).take(4).collect();
    assert!(
        failing[0].starts_with(
            "• ❌ <https://github.com/acme/widget/actions/runs/2|Build> — 2 of 3 runs failed"
        ),
        "{failing:?}"
    );
    assert!(
        failing[1].starts_with(
            "• ❌ <https://github.com/acme/widget/actions/runs/4|Deploy> — 1 of 1 run failed"
        ),
        "{failing:?}"
    );
    assert!(
        failing[2].starts_with("• ❌ <https://github.com/acme/widget/actions/runs/5|Lint>"),
        "{failing:?}"
    );
    assert_eq!(failing[3], "… and 1 more failing workflow");
    assert!(!all.contains("Docs"));
    assert!(
        all.contains("*CI health:* 🔴 Critical — 28.6% success (2 passed · 5 failed · 0 other) in the last 7 runs on branch main"),
        "{all}"
    );

    assert!(
        all.contains("*Blockers (1)*\n• ⏳ Security Audit — pending (Core Gates) · owner @sec"),
        "{all}"
    );

    let buttons: Vec<(&str, &str)> = blocks_of(&payload, "actions")[0]["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["text"]["text"].as_str().unwrap(),
                b["url"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        buttons,
        [
            (
                "View checklist",
                "https://github.com/acme/widget/blob/main/release-checklist.md"
            ),
            ("View CI runs", "https://github.com/acme/widget/actions"),
        ]
    );
}

#[test]
fn checklist_button_without_git_uses_the_path_from_the_current_directory() {
    let button_urls = |t: Test, server: &Server| {
        assert!(!t.path().join(".git").exists());
        t.run().code(0).stdout_has("Slack alert sent");
        let payload = server.requests()[0].body_json();
        blocks_of(&payload, "actions")[0]["elements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["url"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let server = Server::scripted(vec![ok()]);
    let t = project().args(notify_args(&server));
    assert_eq!(
        button_urls(t, &server),
        [
            "https://github.com/acme/widget/blob/main/release-checklist.md",
            "https://github.com/acme/widget/actions",
        ]
    );
    // A checklist in a subdirectory, named with a leading `./`.
    let server = Server::scripted(vec![ok()]);
    let t = Test::new()
        .file("docs/release-checklist.md", SEED)
        .file("runs.json", runs("main", "Deploy"))
        .args(notify_args(&server))
        .args(["--checklist", "./docs/release-checklist.md"]);
    assert_eq!(
        button_urls(t, &server)[0],
        "https://github.com/acme/widget/blob/main/docs/release-checklist.md"
    );
}

#[test]
fn hostile_names_are_escaped_in_the_received_json() {
    let server = Server::scripted(vec![ok()]);
    let branch = "rel<!here>&@here";
    let checklist = "# R\n\n## Core\n\n- [x] Build\n- [ ] <!channel> & <https://evil|x> @here ship\n\n## Optional Gates\n\n- [x] a\n\n## Deployment\n\n- [x] b\n\n## Sign-off\n\n- [ ] c\n";
    let config = format!(
        "[[categories]]\nname = '{HOSTILE}'\nheading = '\\bcore\\b'\nweight = 0.5\nblocking = true\n\n\
         [[categories]]\nname = 'Optional'\nheading = '\\boptional\\b'\nweight = 0.5\n"
    );
    let run = Test::new()
        .file("release-checklist.md", checklist)
        .file(".release-dashboard.toml", config)
        .file("runs.json", runs(branch, HOSTILE))
        .args(notify_args(&server))
        .args(["--branch", branch])
        .run();
    run.code(0).stdout_has("Slack alert sent");
    assert_no_webhook(&run, &server);
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let raw = String::from_utf8(requests[0].body.clone()).unwrap();
    let payload = requests[0].body_json();
    for text in texts(&payload) {
        // The only `<` opens one of our links, to a run on github.com.
        for (i, _) in text.match_indices('<') {
            assert!(
                text[i..].starts_with("<https://github.com/acme/widget/actions/runs/"),
                "{text}"
            );
        }
        for (i, _) in text.match_indices('&') {
            assert!(
                ["&amp;", "&lt;", "&gt;"]
                    .iter()
                    .any(|e| text[i..].starts_with(e)),
                "{text}"
            );
        }
    }
    // A bare `@here` is plain text in Slack; mentions need `<!here>` or `<@U…>`.
    for forbidden in ["<!channel>", "<!here>", "<https://evil", "<@", "<!"] {
        assert!(!raw.contains(forbidden), "{forbidden} in {raw}");
    }
    let all = texts(&payload).join("\n");
    let escaped = "&lt;!channel&gt; &amp; &lt;https://evil|x&gt; @here";
    // As a category field, as the blocker's category, and as a linked workflow.
    assert!(
        all.contains(&format!("*{escaped}* 🔒\n1/2 passing")),
        "{all}"
    );
    assert!(
        all.contains(&format!("pending ({escaped}) · owner @here")),
        "{all}"
    );
    assert!(
        all.contains(&format!(
            "<https://github.com/acme/widget/actions/runs/4|{escaped}>"
        )),
        "{all}"
    );
    assert!(
        all.contains("on branch rel&lt;!here&gt;&amp;@here"),
        "{all}"
    );
    assert!(all.contains("&amp; https://evil|x @here ship"), "{all}");
}

#[test]
fn rate_limit_waits_retry_after_then_sends() {
    let server = Server::scripted(vec![
        Reply::text(429, "rate_limited").header("retry-after", "1"),
        ok(),
    ]);
    let started = Instant::now();
    let run = project().args(notify_args(&server)).run();
    run.code(0)
        .stdout_has("Slack alert sent")
        .stderr_has("POST <slack webhook> → 429")
        .stderr_has("retrying in 1.0 s (attempt 2 of 3)");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited for retry-after"
    );
    assert_no_webhook(&run, &server);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body, "the same payload again");
}

#[test]
fn persistent_server_errors_are_a_warning_unless_strict() {
    for strict in [false, true] {
        let server = Server::start(|_: &Request| Reply::text(500, "internal_error"));
        let t = project().args(notify_args(&server));
        let t = if strict { t.args(["--strict"]) } else { t };
        let run = t.run();
        assert_no_webhook(&run, &server);
        assert_eq!(server.requests().len(), 3, "at most 3 attempts");
        if strict {
            run.code(1)
                .stderr_has("error: could not send the Slack alert: Slack answered 500");
        } else {
            run.code(0)
                .stderr_has("warning: could not send the Slack alert: Slack answered 500 (server error: internal_error) (after 3 attempts)");
        }
        // The checklist was written before the alert either way.
        assert!(t.read_string("release-checklist.md").contains("84.11"));
    }
}

#[test]
fn a_rejected_payload_is_not_retried() {
    let server = Server::scripted(vec![Reply::text(400, "invalid_payload")]);
    let run = project().args(notify_args(&server)).run();
    run.code(0).stderr_has(
        "could not send the Slack alert: Slack rejected the alert (400 invalid_payload)",
    );
    assert_no_webhook(&run, &server);
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn an_unreachable_webhook_is_a_warning_without_the_url() {
    // A loopback port that was just free: the connection is refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let hook = format!("http://127.0.0.1:{port}/services/T000/B000/{SECRET}");
    let run = project()
        .args(["--runs-file", "runs.json", "--notify", "-v"])
        .args(["--slack-webhook", &hook])
        .run();
    run.code(0)
        .stderr_has("could not send the Slack alert: could not reach Slack")
        .stderr_has("(after 3 attempts)");
    for out in [&run.stdout, &run.stderr] {
        assert!(
            !out.contains(SECRET) && !out.contains("/services/T000"),
            "{out}"
        );
    }
}

#[test]
fn no_alert_when_the_score_meets_the_threshold_unless_always() {
    let server = Server::start(|_: &Request| ok());
    // 84.11 meets 80, from the flag …
    let run = project()
        .args(notify_args(&server))
        .args(["--notify-threshold", "80"])
        .run();
    run.code(0)
        .stdout_lacks("Slack alert sent")
        .stderr_has("no Slack alert: the score 84.11% meets the alert threshold 80%");
    assert_no_webhook(&run, &server);
    // … and from the config file.
    let run = project()
        .file(".release-dashboard.toml", "[thresholds]\nnotify = 84\n")
        .args(notify_args(&server))
        .run();
    run.code(0).stdout_lacks("Slack alert sent");
    assert_eq!(server.requests().len(), 0);
    // --notify-always sends anyway.
    let run = project()
        .args(notify_args(&server))
        .args(["--notify-threshold", "80", "--notify-always"])
        .run();
    run.code(0).stdout_has("Slack alert sent (--notify-always");
    assert_no_webhook(&run, &server);
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn notify_without_a_webhook_is_a_usage_error_before_anything_is_written() {
    let t = project().args(["--runs-file", "runs.json", "--notify"]);
    let before = t.snapshot();
    t.run()
        .code(2)
        .stderr_has("SLACK_WEBHOOK_URL")
        .stderr_has("--slack-webhook");
    assert_eq!(t.snapshot(), before, "nothing written");
    // Not a URL: also a usage error, and the value is not shown.
    let t = project().args([
        "--runs-file",
        "runs.json",
        "--notify",
        "--slack-webhook",
        SECRET,
    ]);
    let before = t.snapshot();
    let run = t.run();
    run.code(2).stderr_has("not an https:// URL");
    assert!(!run.stderr.contains(SECRET), "{}", run.stderr);
    assert_eq!(t.snapshot(), before, "nothing written");
    // An empty variable (an unset Actions secret) is no webhook: harmless
    // without --notify, a usage error with it.
    let t = project().args(["--runs-file", "runs.json", "--check-only"]);
    t.env("SLACK_WEBHOOK_URL", "").run().code(1);
    let t = project().args(["--runs-file", "runs.json", "--notify"]);
    t.env("SLACK_WEBHOOK_URL", " ")
        .run()
        .code(2)
        .stderr_has("SLACK_WEBHOOK_URL");
    // The alert flags need --notify.
    project()
        .args(["--runs-file", "runs.json", "--notify-always"])
        .run()
        .code(2)
        .stderr_has("--notify");
}

#[test]
fn webhook_from_the_environment_is_used_and_never_printed() {
    let server = Server::scripted(vec![ok()]);
    let run = project()
        .args(["--runs-file", "runs.json", "--notify", "-v"])
        .env("SLACK_WEBHOOK_URL", &webhook(&server))
        .run();
    run.code(0).stdout_has("Slack alert sent");
    assert_no_webhook(&run, &server);
    assert_eq!(server.requests().len(), 1);
    // No repository (no --repo, no git remote): sent without buttons.
    let payload = server.requests()[0].body_json();
    assert!(blocks_of(&payload, "actions").is_empty());
    // --help shows the variable's name, not its value.
    let help = project()
        .args(["--help"])
        .env("SLACK_WEBHOOK_URL", &webhook(&server))
        .run();
    help.code(0).stdout_has("SLACK_WEBHOOK_URL");
    assert_no_webhook(&help, &server);
}

#[test]
fn check_only_sends_and_dry_run_does_not() {
    let server = Server::start(|_: &Request| ok());
    let t = project().args(notify_args(&server));
    let before = t.snapshot();
    let run = t.run_with(["--dry-run"]);
    run.code(0).stdout_has(
        "Dry run: would send a Slack alert (the score 84.11% is below the alert threshold 90%).",
    );
    assert_no_webhook(&run, &server);
    assert_eq!(server.requests().len(), 0);
    // The gate fails (84.11 < 90), and the alert is still sent.
    let run = t.run_with(["--check-only"]);
    run.code(1).stdout_has("Slack alert sent");
    assert_no_webhook(&run, &server);
    assert_eq!(server.requests().len(), 1);
    assert_eq!(t.snapshot(), before, "neither mode writes");
    // JSON mode: stdout carries only the JSON document.
    let run = t.run_with(["--format", "json"]);
    run.code(0);
    assert_eq!(run.json()["score"], 84.11);
    assert_no_webhook(&run, &server);
    assert_eq!(server.requests().len(), 2);
}
