//! A real update: blocks rewritten, bytes outside kept, history appended.

use crate::support::fixtures::{RUNS, SEED, outside_blocks};
use crate::support::harness::Test;

fn seed() -> Test {
    Test::new()
        .file("v0.7.0-release-checklist.md", SEED)
        .file("runs.json", RUNS)
}

#[test]
fn update_rewrites_only_the_blocks_and_records_history() {
    let t = seed().args(["--runs-file", "runs.json"]);
    t.run()
        .code(0)
        .stdout_has("84.11%")
        .stdout_has("Dashboard updated.");
    let text = t.read_string("v0.7.0-release-checklist.md");
    assert_eq!(outside_blocks(&text), outside_blocks(SEED));
    assert!(
        text.contains("**Release readiness: 84.11%** 🟠 In Progress"),
        "{text}"
    );
    assert!(
        text.contains("| Core Gates 🔒 | 7/8 | 87.5% | 50% |"),
        "{text}"
    );
    assert!(
        text.contains("Security Audit — pending (Core Gates) · owner @sec"),
        "{text}"
    );
    assert!(
        text.contains("_Last Updated: 2026-11-24 09:00 UTC_"),
        "{text}"
    );
    assert!(
        text.contains("[Security Audit](https://github.com/acme/widget/actions/runs/4)"),
        "{text}"
    );
    assert!(
        text.contains(
            "75.0% success (3 passed · 1 failed · 0 other) in the last 4 runs on branch main"
        ),
        "{text}"
    );
    assert!(!text.contains("old score") && !text.contains("old ci"));
    let history: serde_json::Value =
        serde_json::from_slice(&t.read(".cache/readiness.json")).unwrap();
    let entries = history.as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["score"], 84.11);
    assert_eq!(entries[0]["status"], "in_progress");
    assert_eq!(entries[0]["core_score"], 87.5);
    assert_eq!(entries[0]["signoff_score"], 78.57);
    assert_eq!(entries[0]["blockers_count"], 1);
    assert_eq!(entries[0]["ci_success_rate"], 75.0);
    assert_eq!(entries[0]["timestamp"], "2026-11-24T09:00:00Z");
    assert_eq!(entries[0]["categories"]["Deployment"], 75.0);
}

#[test]
fn second_run_is_byte_identical_and_keeps_the_stamp() {
    let t = seed().args(["--runs-file", "runs.json"]);
    t.run().code(0);
    let first = t.snapshot();
    let later = t.run();
    later.code(0).stdout_has("already up to date");
    assert_eq!(t.snapshot(), first);
    // A later clock alone does not move "Last Updated" or add history.
    let t2 = t.env("SOURCE_DATE_EPOCH", "1795597200");
    t2.run().code(0).stdout_has("already up to date");
    assert_eq!(t2.snapshot(), first);
}

#[test]
fn a_changed_item_moves_the_stamp_and_appends_history() {
    let t = seed().args(["--runs-file", "runs.json"]);
    t.run().code(0);
    let text = t
        .read_string("v0.7.0-release-checklist.md")
        .replace("⏳ PENDING", "✅ PASS");
    let t = t
        .file("v0.7.0-release-checklist.md", &text)
        .env("SOURCE_DATE_EPOCH", "1795597200");
    t.run().code(0).stdout_has("90.36%");
    let text = t.read_string("v0.7.0-release-checklist.md");
    assert!(
        text.contains("Last Updated: 2026-11-25 09:00 UTC"),
        "{text}"
    );
    let history: Vec<serde_json::Value> =
        serde_json::from_slice(&t.read(".cache/readiness.json")).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1]["status"], "nearly_ready");
}

#[test]
fn offline_says_so_in_the_ci_block() {
    let t = seed().args(["--offline"]);
    t.run().code(0).stdout_has("CI: not collected (offline)");
    let text = t.read_string("v0.7.0-release-checklist.md");
    assert!(text.contains("not collected (offline run)"), "{text}");
    let history: serde_json::Value =
        serde_json::from_slice(&t.read(".cache/readiness.json")).unwrap();
    assert_eq!(history[0]["ci_success_rate"], serde_json::Value::Null);
}

#[test]
fn crlf_and_bom_are_kept() {
    let crlf = format!("\u{FEFF}{}", SEED.replace('\n', "\r\n"));
    let t = Test::new()
        .file("release-checklist.md", &crlf)
        .args(["--offline"]);
    t.run().code(0);
    let bytes = t.read("release-checklist.md");
    assert!(bytes.starts_with("\u{FEFF}".as_bytes()));
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "a bare LF crept in"
    );
    assert_eq!(outside_blocks(&text), outside_blocks(&crlf));
}

#[test]
fn missing_markers_are_inserted() {
    let plain = SEED
        .replace(
            "<!-- READINESS_SCORE_START -->\nold score\n<!-- READINESS_SCORE_END -->\n\n",
            "",
        )
        .replace(
            "\n<!-- CI_SNAPSHOT_START -->\nold ci\n<!-- CI_SNAPSHOT_END -->\n",
            "",
        );
    let t = Test::new()
        .file("release-checklist.md", &plain)
        .args(["--offline"]);
    t.run().code(0).stderr_has("inserting the block");
    let text = t.read_string("release-checklist.md");
    assert!(
        text.starts_with("# v0.7.0 Release Checklist\n\n<!-- READINESS_SCORE_START -->\n"),
        "{text}"
    );
    assert!(text.ends_with("<!-- CI_SNAPSHOT_END -->\n"), "{text}");
    let again = t.run();
    again.code(0).stdout_has("already up to date");
}

#[test]
fn runs_from_stdin_and_gh_format() {
    let gh = r#"[{"databaseId": 9, "workflowName": "Build", "name": "Build", "headBranch": "main", "status": "completed",
      "conclusion": "success", "createdAt": "2026-11-23T10:00:00Z", "updatedAt": "2026-11-23T10:01:00Z",
      "url": "https://github.com/acme/widget/actions/runs/9", "event": "push"},
      {"databaseId": 10, "workflowName": "Build", "headBranch": "main", "status": "in_progress", "conclusion": "",
      "createdAt": "2026-11-23T11:00:00Z", "url": "https://github.com/acme/widget/actions/runs/10"}]"#;
    let t = seed()
        .args(["--runs-file", "-", "--format", "json"])
        .stdin(gh);
    let run = t.run();
    run.code(0);
    let json = run.json();
    assert_eq!(json["ci"]["runs"], 2);
    assert_eq!(json["ci"]["success"], 1);
    assert_eq!(json["ci"]["success_rate"], 100.0);
    assert_eq!(json["ci"]["source"], "runs_file");
}

#[test]
fn no_cache_skips_history() {
    let t = seed().args(["--offline", "--no-cache"]);
    t.run().code(0);
    assert!(!t.exists(".cache/readiness.json"));
}

#[test]
fn history_flag_and_seed_history_are_respected() {
    let seed_history = "[\n  {\n    \"timestamp\": \"2024-12-15T09:00:00\",\n    \"score\": 87.5,\n    \"status\": \"minor_blockers\",\n    \"ci_adjustment\": -2.0\n  }\n]\n";
    let t =
        seed()
            .file("hist/h.json", seed_history)
            .args(["--offline", "--history", "hist/h.json"]);
    t.run().code(0);
    let after = t.read_string("hist/h.json");
    assert!(after.starts_with("[\n  {\n    \"timestamp\": \"2024-12-15T09:00:00\",\n    \"score\": 87.5,\n    \"status\": \"minor_blockers\",\n    \"ci_adjustment\": -2.0\n  },"), "{after}");
    let parsed: Vec<serde_json::Value> = serde_json::from_str(&after).unwrap();
    assert_eq!(parsed.len(), 2);
}

#[cfg(unix)]
#[test]
fn symlink_stays_a_symlink_and_mode_is_kept() {
    use std::os::unix::fs::PermissionsExt;
    let t = seed();
    let real = t.path().join("real.md");
    std::fs::write(&real, SEED).unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    std::os::unix::fs::symlink("real.md", t.path().join("link-release-checklist.md")).unwrap();
    let t = t.args(["--offline", "--checklist", "link-release-checklist.md"]);
    t.run().code(0);
    let link = t.path().join("link-release-checklist.md");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let text = std::fs::read_to_string(&real).unwrap();
    assert!(text.contains("84.11%"));
    let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}

#[test]
fn config_file_drives_paths_categories_and_vocabulary() {
    let checklist = "# R\n## Must\n| Item | Status |\n|--|--|\n| a | shipped |\n| b | nope |\n## Nice\n- [x] c\n";
    let config = "checklist = 'docs/r.md'\nhistory = 'state/h.json'\n[[categories]]\nname = 'Must'\nheading = 'must'\nweight = 3\nblocking = true\n[[categories]]\nname = 'Nice'\nheading = 'nice'\nweight = 1\n[status]\npass = ['shipped']\nfail = ['nope']\n[markers]\nreadiness = 'SCORE'\nci = 'CI'\n";
    let t = Test::new()
        .file("docs/r.md", checklist)
        .file(
            "conf/rd.toml",
            config
                .replace("docs/", "../docs/")
                .replace("state/", "../state/"),
        )
        .args(["--offline", "--config", "conf/rd.toml", "--format", "json"]);
    let run = t.run();
    run.code(0);
    let json = run.json();
    assert_eq!(json["score"], 62.5);
    assert_eq!(json["categories"][0]["name"], "Must");
    assert_eq!(json["blockers"][0]["name"], "b");
    assert!(t.exists("state/h.json"));
    let text = t.read_string("docs/r.md");
    assert!(
        text.contains("<!-- SCORE_START -->") && text.contains("<!-- CI_END -->"),
        "{text}"
    );
}

#[test]
fn discovery_finds_the_single_checklist() {
    let t = Test::new()
        .file("Release-Checklist-v2.md", SEED)
        .args(["--offline", "-q"]);
    let run = t.run();
    run.code(0);
    assert!(
        run.stdout.is_empty(),
        "quiet prints nothing: {}",
        run.stdout
    );
}

/// One seed-format entry: after this run's append there are two.
const ONE_SEED_ENTRY: &str = "[\n  {\n    \"timestamp\": \"2024-12-15T09:00:00\",\n    \"score\": 80.0,\n    \"status\": \"in_progress\",\n    \"ci_adjustment\": -2.0\n  }\n]\n";

#[test]
fn two_entries_add_a_sparkline_and_a_mermaid_chart_idempotently() {
    let t = seed()
        .file(".cache/readiness.json", ONE_SEED_ENTRY)
        .args(["--runs-file", "runs.json"]);
    t.run().code(0).stdout_has("Dashboard updated.");
    let text = t.read_string("v0.7.0-release-checklist.md");
    assert_eq!(outside_blocks(&text), outside_blocks(SEED));
    // The chart already holds this run's entry: 80 → 84.11.
    assert!(
        text.contains("**Trend (last 2 runs):** `▁█` 📈 improving · +4.1 since the previous run"),
        "{text}"
    );
    assert!(
        text.contains(
            "\nxychart-beta\n    title \"Readiness score, last 2 runs\"\n    x-axis [\"12-15\", \"11-24\"]\n    y-axis \"Score\" 0 --> 100\n    line [80, 84.11]\n    line [90, 90]\n```\n"
        ),
        "{text}"
    );
    let first = t.snapshot();
    t.run().code(0).stdout_has("already up to date");
    assert_eq!(t.snapshot(), first);
    // A later clock changes nothing either.
    let later = t.env("SOURCE_DATE_EPOCH", "1795597200");
    later.run().code(0).stdout_has("already up to date");
    assert_eq!(later.snapshot(), first);
}

#[test]
fn one_entry_has_no_pictures() {
    let t = seed().args(["--offline"]);
    t.run().code(0);
    let text = t.read_string("v0.7.0-release-checklist.md");
    assert!(
        !text.contains("**Trend") && !text.contains("```mermaid"),
        "{text}"
    );
}

#[test]
fn no_cache_charts_the_existing_entries_only() {
    let two = "[{\"timestamp\": \"2026-11-20T09:00:00Z\", \"score\": 50.0}, {\"timestamp\": \"2026-11-21T09:00:00Z\", \"score\": 60.0}]";
    let t = seed()
        .file(".cache/readiness.json", two)
        .args(["--offline", "--no-cache"]);
    t.run().code(0);
    let text = t.read_string("v0.7.0-release-checklist.md");
    assert!(text.contains("line [50, 60]\n"), "{text}");
    assert!(text.contains("+10.0 since the previous run"), "{text}");
    assert_eq!(t.read_string(".cache/readiness.json"), two);
    let first = t.snapshot();
    t.run().code(0).stdout_has("already up to date");
    assert_eq!(t.snapshot(), first);
}

#[test]
fn dry_run_shows_the_chart_it_would_write() {
    let t = seed()
        .file(".cache/readiness.json", ONE_SEED_ENTRY)
        .args(["--offline", "--dry-run"]);
    let before = t.snapshot();
    t.run().code(0).stdout_has("+    line [80, 84.11]");
    assert_eq!(t.snapshot(), before);
}

/// A history larger than the window an update reads around its end: the
/// dry run's diff of it is the one the whole file gives (same lines, same
/// line numbers), and the real run appends byte for byte after it.
#[test]
fn a_large_history_is_diffed_and_appended_without_being_read_whole() {
    let mut history = String::from("[\n");
    for i in 0..3000 {
        history.push_str(&format!(
            "  {{\n    \"timestamp\": \"2026-01-{:02}T09:00:00Z\",\n    \"score\": {}.25\n  }},\n",
            i % 28 + 1,
            i % 90
        ));
    }
    history.push_str(
        "  {\n    \"timestamp\": \"2026-11-01T09:00:00Z\",\n    \"score\": 50.0\n  }\n]\n",
    );
    assert!(history.len() > 200 * 1024);
    let t = seed()
        .file(".cache/readiness.json", &history)
        .args(["--runs-file", "runs.json"]);
    let dry = t.run_with(["--dry-run"]);
    dry.code(0);
    let shown = dry.stdout.clone();
    assert_eq!(t.read_string(".cache/readiness.json"), history);

    t.run().code(0);
    let after = t.read_string(".cache/readiness.json");
    assert!(after.starts_with(&history[..history.len() - 3]));
    let expected = similar::TextDiff::from_lines(&history, &after)
        .unified_diff()
        .context_radius(3)
        .header("a/.cache/readiness.json", "b/.cache/readiness.json")
        .to_string();
    assert!(expected.contains("@@ -12002,"), "{expected}");
    assert!(
        shown.contains(&expected),
        "{shown}\n---- expected ----\n{expected}"
    );
}
