//! `portfolio`: real updates on three scratch repositories (different
//! scores, one failing its gate, one with CI data from a loopback API),
//! rolled up from their `--format json` results.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::browser::{file_url, find_browser, run_browser};
use crate::github::page;
use crate::support::fixtures::{RUNS, SEED};
use crate::support::harness::Test;
use crate::support::server::{Reply, Request, Server};

const TOKEN: &str = "ghp_PortfolioSecret0123456789";

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

/// Three updates' JSON results under `results/<name>/result.json` of `out`.
fn three_results(out: &Test) -> Vec<Value> {
    let server = Server::start(|req: &Request| {
        if req.path_without_query().ends_with("/actions/runs") {
            Reply::json(200, &page(1, 10, 10))
        } else {
            Reply::status(404)
        }
    });
    // acme/api: CI from the API, gate 80: 84.11 passes.
    let api = Test::new()
        .file("release-checklist.md", SEED)
        .args([
            "--repo",
            "acme/api",
            "--api-url",
            &server.url(),
            "--token",
            TOKEN,
        ])
        .args(["--threshold", "80", "--format", "json"])
        .run();
    api.code(0);
    assert!(!api.stdout.contains(TOKEN));
    // acme/sdk: every task done, repository from the origin remote.
    let sdk = Test::new().file("release-checklist.md", SEED.replace("- [ ]", "- [x]"));
    git(sdk.path(), &["init", "-q", "-b", "main"]);
    git(
        sdk.path(),
        &["remote", "add", "origin", "git@github.com:acme/sdk.git"],
    );
    let sdk = sdk
        .file("runs.json", RUNS)
        .args(["--runs-file", "runs.json", "--format", "json"]);
    let sdk = sdk.run();
    sdk.code(0);
    // acme/web: fewer tasks done, offline, default gate 90: fails.
    let web = Test::new()
        .file("release-checklist.md", SEED.replace("- [x]", "- [ ]"))
        .args(["--repo", "acme/web", "--offline", "--format", "json"])
        .run();
    web.code(0);
    let mut results = Vec::new();
    for (name, run) in [("api", &api), ("sdk", &sdk), ("web", &web)] {
        let path = out.path().join(format!("results/{name}/result.json"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &run.stdout).unwrap();
        results.push(run.json());
    }
    results
}

fn sum(results: &[Value], key: &str) -> u64 {
    results
        .iter()
        .flat_map(|r| r["categories"].as_array().unwrap().iter())
        .map(|c| c[key].as_u64().unwrap())
        .sum()
}

#[test]
fn rolls_up_three_real_updates() {
    let t = Test::new();
    let results = three_results(&t);
    let score = |i: usize| results[i]["score"].as_f64().unwrap();
    assert!(score(1) > score(0) && score(0) > score(2), "{results:?}");
    assert_eq!(results[1]["repository"], "acme/sdk");
    assert_eq!(
        results[1]["checklist_url"],
        "https://github.com/acme/sdk/blob/main/release-checklist.md"
    );
    assert_eq!(results[0]["ci"]["source"], "api");

    let run = t.run_with(["portfolio", "results"]);
    run.code(0);
    let text = &run.stdout;
    assert!(text.contains("<!-- PORTFOLIO_START -->"), "{text}");
    assert!(
        text.contains(
            "❌ Not ready: 1 of 3 blocking repositories are below their gates; weakest: acme/web"
        ),
        "{text}"
    );
    // Failing first, then by score.
    let at = |name: &str| text.find(&format!("| {name} (main)")).unwrap();
    assert!(at("acme/web") < at("acme/api") && at("acme/api") < at("acme/sdk"));
    assert!(text.contains(
        "[release-checklist.md](https://github.com/acme/sdk/blob/main/release-checklist.md)"
    ));
    // The API's own web base (here the loopback server) makes the link.
    assert!(text.contains("/acme/api/blob/main/release-checklist.md)"));

    let json = t.run_with(["portfolio", "results", "--format", "json"]);
    json.code(0);
    let roll = json.json();
    assert_eq!(roll["schema_version"], 1);
    assert_eq!(roll["ready"], false);
    assert_eq!(roll["weakest"], "acme/web");
    assert_eq!(roll["failing"], serde_json::json!(["acme/web"]));
    let items = sum(&results, "total") - sum(&results, "skipped");
    assert_eq!(roll["items"].as_u64().unwrap(), items);
    assert_eq!(roll["passing"].as_u64().unwrap(), sum(&results, "passing"));
    let repos = roll["repositories"].as_array().unwrap();
    assert_eq!(repos.len(), 3);
    let api = repos
        .iter()
        .find(|r| r["repository"] == "acme/api")
        .unwrap();
    assert_eq!(api["ci"]["runs"], 10);
    assert_eq!(api["passed"], true);

    t.run_with(["portfolio", "results", "--gate"])
        .code(1)
        .stderr_has("acme/web is below its gate");
    t.run_with(["portfolio", "results", "--gate", "--optional", "acme/web"])
        .code(0);
}

#[test]
fn problems_are_reported_not_guessed() {
    let t = Test::new();
    three_results(&t);
    let copy = std::fs::read(t.path().join("results/api/result.json")).unwrap();
    std::fs::create_dir_all(t.path().join("results/again")).unwrap();
    std::fs::write(t.path().join("results/again/result.json"), copy).unwrap();
    std::fs::write(t.path().join("results/v2.json"), r#"{"schema_version": 2}"#).unwrap();
    let run = t.run_with(["portfolio", "results", "--format", "json"]);
    run.code(0)
        .stderr_has("schema_version 2 is not supported")
        .stderr_has("same repository acme/api");
    let roll = run.json();
    assert_eq!(roll["problems"].as_array().unwrap().len(), 3);
    assert_eq!(roll["repositories"].as_array().unwrap().len(), 2);
    // A left-out result fails the gate: the roll-up cannot vouch for it.
    t.run_with(["portfolio", "results", "--gate", "--optional", "acme/web"])
        .code(1);
    // Nothing usable: exit 2.
    Test::new()
        .file("x.json", "[]")
        .args(["portfolio", "x.json"])
        .run()
        .code(2)
        .stderr_has("no usable result");
}

#[test]
fn the_roll_up_lives_in_a_managed_block() {
    let t = Test::new();
    three_results(&t);
    let page = "# Release 2.0\n\nHand-written intro.\n\n<!-- PORTFOLIO_START -->\nold\n<!-- PORTFOLIO_END -->\n\nOutro.\n";
    std::fs::write(t.path().join("RELEASE.md"), page).unwrap();
    let args = ["portfolio", "results", "--output", "RELEASE.md"];
    t.run_with(args)
        .code(0)
        .stdout_has("Wrote the roll-up to RELEASE.md");
    let once = std::fs::read_to_string(t.path().join("RELEASE.md")).unwrap();
    assert!(once.starts_with("# Release 2.0\n\nHand-written intro.\n\n<!-- PORTFOLIO_START -->\n"));
    assert!(once.ends_with("<!-- PORTFOLIO_END -->\n\nOutro.\n"));
    assert!(once.contains("| acme/web (main) |"));
    t.run_with(args).code(0);
    assert_eq!(
        std::fs::read_to_string(t.path().join("RELEASE.md")).unwrap(),
        once
    );
    // A page without the markers is someone's: refused, untouched.
    std::fs::write(t.path().join("NOTES.md"), "# Notes\n").unwrap();
    t.run_with(["portfolio", "results", "--output", "NOTES.md"])
        .code(2)
        .stderr_has("PORTFOLIO_START");
    assert_eq!(
        std::fs::read_to_string(t.path().join("NOTES.md")).unwrap(),
        "# Notes\n"
    );
}

#[test]
fn html_roll_up_renders_in_headless_chromium() {
    let t = Test::new();
    three_results(&t);
    t.run_with([
        "portfolio",
        "results",
        "--format",
        "html",
        "--output",
        "site/portfolio.html",
    ])
    .code(0);
    let path = t.path().join("site/portfolio.html");
    let source = std::fs::read_to_string(&path).unwrap();
    assert!(source.contains("<th scope=\"row\">acme/web (main)</th>"));
    let Some(browser) = find_browser() else {
        assert_ne!(
            std::env::var("RELEASE_DASHBOARD_REQUIRE_BROWSER").as_deref(),
            Ok("1"),
            "RELEASE_DASHBOARD_REQUIRE_BROWSER=1 but no chromium on PATH"
        );
        eprintln!("note: no chromium on PATH; skipping the browser check of the portfolio page");
        return;
    };
    let dom = run_browser(&browser, &["--dump-dom".to_string(), file_url(&path)]);
    assert!(dom.success, "{}", dom.stderr);
    assert!(
        dom.stdout.contains("<h1>Release portfolio</h1>"),
        "{}",
        dom.stdout
    );
    for repo in ["acme/api", "acme/sdk", "acme/web"] {
        assert!(
            dom.stdout
                .contains(&format!("<th scope=\"row\">{repo} (main)</th>")),
            "{repo}"
        );
    }
    assert!(
        dom.stdout
            .contains("<a href=\"https://github.com/acme/sdk/blob/main/release-checklist.md\">")
    );
    assert!(!dom.stdout.contains("<script"));
}
