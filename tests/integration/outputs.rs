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

fn in_actions(t: Test) -> Test {
    let out = t.path().join("runner/output").display().to_string();
    let summary = t.path().join("runner/summary").display().to_string();
    t.file("runner/output", "")
        .file("runner/summary", "")
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_OUTPUT", &out)
        .env("GITHUB_STEP_SUMMARY", &summary)
}

/// 509 workflows with 3,500-character names on main.
fn many_long_workflows() -> String {
    let runs: Vec<serde_json::Value> = (1..=509u64)
        .map(|id| {
            serde_json::json!({
                "id": id, "workflow_id": id,
                "name": format!("Release workflow {id} {}", "x".repeat(3500)),
                "head_branch": "main", "status": "completed", "conclusion": "success",
                "created_at": "2026-11-23T10:00:00Z", "updated_at": "2026-11-23T10:03:00Z",
                "html_url": format!("https://github.com/acme/widget/actions/runs/{id}"),
            })
        })
        .collect();
    serde_json::json!({ "total_count": runs.len(), "workflow_runs": runs }).to_string()
}

/// GitHub drops a job summary over 1 MiB whole: ours is cut below it,
/// with a row saying how many workflows are not shown.
#[test]
fn the_step_summary_stays_below_one_mebibyte() {
    let t = in_actions(
        Test::new()
            .file("release-checklist.md", SEED)
            .file("runs.json", many_long_workflows()),
    )
    .args([
        "--runs-file",
        "runs.json",
        "--runs",
        "1000",
        "--check-only",
        "--threshold",
        "50",
    ]);
    t.run().code(0);
    let summary = t.read_string("runner/summary");
    assert!(summary.len() < 1_048_576, "{} bytes", summary.len());
    assert!(
        summary.len() > 900_000,
        "cut near the limit, not far below: {}",
        summary.len()
    );
    let shown = summary
        .lines()
        .filter(|l| l.starts_with("| [Release workflow"))
        .count();
    let note = summary
        .lines()
        .find(|l| l.contains("more rows not shown"))
        .unwrap_or_else(|| panic!("no note in {}", &summary[summary.len() - 2000..]));
    assert_eq!(
        note,
        format!("| … {} more rows not shown | | | | |", 509 - shown)
    );
    assert!(summary.contains("Cut to fit GitHub's 1 MiB job summary limit"));
}

/// 300 unknown status words and a failed Slack alert: GitHub shows 10
/// annotations of a kind per step, so ours are capped, errors first, the
/// run's own warning before the input's, and one annotation counts the rest.
#[test]
fn annotations_are_capped_errors_first() {
    use crate::support::server::{Reply, Server};
    let rows: String = (0..300)
        .map(|i| format!("| Gate {i} | maybe{i} | |\n"))
        .collect();
    let checklist = SEED.replace(
        "| Frontend | ✅ PASS | |\n",
        &format!("| Frontend | ✅ PASS | |\n{rows}"),
    );
    let server = Server::scripted(vec![Reply::text(400, "invalid_payload")]);
    let hook = format!("{}/services/T0/B0/SECRET", server.url());
    let t = in_actions(Test::new().file("release-checklist.md", checklist)).args([
        "--offline",
        "--check-only",
        "--notify",
        "--slack-webhook",
        &hook,
    ]);
    let run = t.run();
    run.code(1);
    let annotations: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with("::")).collect();
    assert!(
        annotations[0].starts_with("::error::Release readiness"),
        "{annotations:#?}"
    );
    assert!(
        annotations[1].starts_with("::warning::") && annotations[1].contains("Slack"),
        "{annotations:#?}"
    );
    assert_eq!(
        annotations
            .iter()
            .filter(|l| l.starts_with("::error::"))
            .count(),
        1
    );
    let warnings = annotations
        .iter()
        .filter(|l| l.starts_with("::warning::"))
        .count();
    assert!(warnings <= 10, "{warnings} warning annotations");
    assert_eq!(
        *annotations.last().unwrap(),
        "::warning::296 more warnings not annotated (GitHub shows 10 per step); see the step log"
    );
    // Every warning is still in the log, once.
    assert_eq!(
        run.stderr.matches("maybe299\"").count(),
        1,
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("SECRET"));
}

/// The text a GFM parser reads from `doc`, and whether any of it is styled.
fn gfm_read(doc: &str) -> (String, bool) {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let mut text = String::new();
    let mut styled = false;
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(doc, options) {
        match event {
            Event::Text(t) => text.push_str(&t),
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough) => styled = true,
            _ => {}
        }
    }
    (text, styled)
}

/// A workflow and a blocker named with emphasis characters keep them, in
/// the checklist's blocks and in the job summary, as the PR comment does.
#[test]
fn emphasis_in_names_is_escaped_in_blocks_and_summary() {
    const NAME: &str = "Release *bold* _x_ ~~y~~";
    let runs = RUNS.replace(r#""name": "CI""#, &format!(r#""name": "{NAME}""#));
    // Markdown escapes in the checklist are read as the characters they stand for.
    let checklist = SEED.replace("| Security Audit |", r"| Audit \*now\* \_please\_ |");
    let t = in_actions(
        Test::new()
            .file("release-checklist.md", checklist)
            .file("runs.json", runs),
    )
    .args(["--runs-file", "runs.json", "--no-cache"]);
    t.run().code(0);
    let ci = ci_block(&t);
    let (text, _) = gfm_read(&ci);
    assert!(text.contains(NAME), "{ci}");
    let text_file = t.read_string("release-checklist.md");
    let readiness = &text_file[..text_file.find("## Core Gates").unwrap()];
    let (text, _) = gfm_read(readiness);
    assert!(text.contains("Audit *now* _please_"), "{readiness}");
    let summary = t.read_string("runner/summary");
    let (text, _) = gfm_read(&summary);
    assert!(
        text.contains(NAME) && text.contains("Audit *now* _please_"),
        "{summary}"
    );
    // Nothing in the generated text is styled except our own bold labels.
    for doc in [ci.as_str(), summary.as_str()] {
        for line in doc
            .lines()
            .filter(|l| l.contains("Release *") || l.contains("Release \\*"))
        {
            assert!(!gfm_read(line).1, "{line}");
        }
    }
}

/// `--check-only` says why a gate fails: the blockers, briefly; all of
/// them (up to 20) with `-v`.
#[test]
fn check_only_lists_the_blockers() {
    let rows: String = (0..8)
        .map(|i| format!("| Gate {i} | ❌ FAIL | |\n"))
        .collect();
    let checklist = SEED.replace(
        "| Frontend | ✅ PASS | |\n",
        &format!("| Frontend | ✅ PASS | |\n{rows}"),
    );
    let t = Test::new()
        .file("release-checklist.md", checklist)
        .args(["--offline", "--check-only"]);
    let run = t.run();
    run.code(1)
        .stdout_has("FAIL: readiness")
        .stdout_has("Blockers (9):")
        .stdout_has("⏳ Security Audit — pending [Core Gates, line 17] — @sec")
        .stdout_has("  … and 4 more");
    let verbose = t.run_with(["-v"]);
    verbose
        .code(1)
        .stdout_has("❌ Gate 7 — fail [Core Gates, line 28]");
    assert!(!verbose.stdout.contains("more"), "{}", verbose.stdout);
    let none = Test::new()
        .file(
            "release-checklist.md",
            SEED.replace("⏳ PENDING", "✅ PASS"),
        )
        .args(["--offline", "--check-only", "--threshold", "50"])
        .run();
    none.code(0)
        .stdout_has("PASS: readiness")
        .stdout_has("Blockers: none");
}

/// The dry-run diff is coloured for a terminal (forced here with
/// CLICOLOR_FORCE, as a terminal would), never when piped or under NO_COLOR.
#[test]
fn the_dry_run_diff_is_coloured_only_for_terminals() {
    let t = Test::new()
        .file("release-checklist.md", SEED)
        .args(["--offline", "--dry-run"]);
    let piped = t.run();
    piped.code(0).stdout_has("-old score");
    assert!(
        !piped.stdout.contains('\u{1b}'),
        "piped output has no colour"
    );
    let forced = Test::new()
        .file("release-checklist.md", SEED)
        .args(["--offline", "--dry-run"])
        .env("CLICOLOR_FORCE", "1");
    let coloured = forced.run();
    coloured
        .code(0)
        .stdout_has("\u{1b}[31m-old score\u{1b}[0m")
        .stdout_has("\u{1b}[36m@@ ");
    assert!(coloured.stdout.contains("\u{1b}[32m+"));
    let no_color = forced.env("NO_COLOR", "1").run();
    assert!(!no_color.stdout.contains('\u{1b}'), "NO_COLOR wins");
}

/// With a real terminal (util-linux `script` gives the command a pty).
#[test]
fn the_dry_run_diff_is_coloured_on_a_real_terminal() {
    use std::process::Command;
    if !std::path::Path::new("/usr/bin/script").exists() {
        eprintln!("note: no `script` to make a terminal; skipped");
        return;
    }
    let t = Test::new().file("release-checklist.md", SEED);
    let binary = assert_cmd::cargo::cargo_bin("release-dashboard");
    let run = |no_color: bool| {
        let mut cmd = Command::new("/usr/bin/script");
        cmd.current_dir(t.path())
            .args(["-qec"])
            .arg(format!("{} --offline --dry-run", binary.display()))
            .arg("/dev/null")
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env("SOURCE_DATE_EPOCH", "1795510800");
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        String::from_utf8_lossy(&cmd.output().unwrap().stdout).into_owned()
    };
    assert!(
        run(false).contains("\u{1b}[31m-old score"),
        "{}",
        run(false)
    );
    assert!(!run(true).contains('\u{1b}'));
}

/// With `--format json`, a failure still prints one JSON document on
/// stdout (the error object), and the message on stderr; nothing written.
#[test]
fn json_mode_errors_are_json_objects_on_stdout() {
    let checklist = SEED.replace("| MCP | ✅ PASS | |", "| MCP | ✅ PASS | | extra |");
    let bad_runs = r#"{"workflow_runs": [{"id": 1, "name": 5}]}"#;
    let t = Test::new()
        .file("release-checklist.md", SEED)
        .file("runs.json", bad_runs)
        .args(["--runs-file", "runs.json", "--format", "json"]);
    let before = t.snapshot();
    let run = t.run();
    run.code(2).stderr_has("error: runs.json: document 1");
    let doc = run.json();
    assert_eq!(doc["error"]["kind"], "input");
    assert_eq!(doc["error"]["exit_code"], 2);
    assert_eq!(doc["error"]["file"], "runs.json");
    assert!(
        doc["error"]["message"]
            .as_str()
            .unwrap()
            .contains("field `name` must be a string")
    );
    assert_eq!(t.snapshot(), before, "nothing written");
    let missing = Test::new()
        .args(["--checklist", "nope.md", "--offline", "--format", "json"])
        .run();
    missing.code(2);
    assert_eq!(missing.json()["error"]["file"], "nope.md");
    let history = Test::new()
        .file(".cache/readiness.json", "[{\"score\": 1},")
        .args(["history", "--format", "json"])
        .run();
    history.code(2);
    assert_eq!(history.json()["error"]["kind"], "input");
    // A flag error found by the argument parser: kind "usage".
    let usage = Test::new().args(["--runs", "0", "--format", "json"]).run();
    usage
        .code(2)
        .stderr_has("invalid value '0' for '--runs <N>'");
    assert_eq!(usage.json()["error"]["kind"], "usage");
    // Text mode keeps stdout empty.
    let text = Test::new()
        .file("release-checklist.md", checklist)
        .args(["--checklist", "nope.md", "--offline"])
        .run();
    text.code(2);
    assert_eq!(text.stdout, "");
}

/// A task's trailing `@owner` is its owner, not part of its name.
#[test]
fn item_names_drop_the_trailing_owner_mention() {
    let checklist = SEED.replace("- [ ] 12\n", "- [ ] Legal review (@legal-team)\n");
    let t = Test::new().file("release-checklist.md", checklist).args([
        "--offline",
        "--format",
        "json",
        "--dry-run",
    ]);
    let run = t.run();
    run.code(0);
    let doc = run.json();
    let blockers = doc["blockers"].as_array().unwrap();
    let legal = blockers
        .iter()
        .find(|b| b["name"].as_str().unwrap().starts_with("Legal"));
    // Sign-off is not blocking by default: look in the category's items too.
    let items = doc["categories"][3]["items"].to_string();
    assert!(items.contains("\"Legal review\""), "{items}");
    assert!(!items.contains("(@legal-team)"), "{items}");
    if let Some(legal) = legal {
        assert_eq!(legal["owner"], "@legal-team");
    }
}

/// One count formatter: thousands separators in the block, the terminal
/// and the job summary alike ("4,950 more", never "4950 more").
#[test]
fn counts_have_thousands_separators_everywhere() {
    let rows: String = (0..4_999)
        .map(|i| format!("| Gate {i} | ❌ FAIL | |\n"))
        .collect();
    let checklist = SEED.replace(
        "| Frontend | ✅ PASS | |\n",
        &format!("| Frontend | ✅ PASS | |\n{rows}"),
    );
    let t = in_actions(Test::new().file("release-checklist.md", checklist))
        .args(["--offline", "--no-cache"]);
    let run = t.run();
    run.code(0)
        .stdout_has("Blockers (5,000):")
        .stdout_has("  … and 4,980 more");
    let block = t.read_string("release-checklist.md");
    assert!(block.contains("**Blockers (5,000)**"), "block");
    assert!(block.contains("- … and 4,950 more\n"), "block");
    let summary = t.read_string("runner/summary");
    assert!(summary.contains("- … and 4,950 more\n"));
    for text in [run.stdout.as_str(), block.as_str(), summary.as_str()] {
        for line in text.lines().filter(|l| l.contains(" more")) {
            assert!(!line.contains("4950") && !line.contains("4980"), "{line}");
        }
    }
}

/// Under GitHub Actions a failed run is an `::error::` annotation too.
#[test]
fn a_failed_run_is_an_error_annotation_under_actions() {
    let t = in_actions(
        Test::new()
            .file("release-checklist.md", SEED)
            .file("runs.json", r#"{"workflow_runs": [{"id": 1, "name": 5}]}"#),
    )
    .args(["--runs-file", "runs.json"]);
    let run = t.run();
    run.code(2)
        .stderr_has("::error::runs.json: document 1")
        .stderr_has("error: runs.json: document 1");
    assert_eq!(run.stderr.matches("::error::").count(), 1);
}
