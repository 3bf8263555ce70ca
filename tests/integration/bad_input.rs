//! Bad input: exit 2, a message naming file, line and fix, and no byte written.

use crate::support::fixtures::{RUNS, SEED};
use crate::support::harness::{Run, Test};

const NAME: &str = "v0.7.0-release-checklist.md";

/// Run with `checklist` and extra files; assert exit 2, the message parts, and an unchanged tree.
fn rejects(checklist: &[u8], extra: &[(&str, &str)], args: &[&str], needles: &[&str]) -> Run {
    let mut t = Test::new().file(NAME, checklist).file("runs.json", RUNS);
    for (name, body) in extra {
        t = t.file(name, body);
    }
    let t = t.args(args.iter().copied());
    let before = t.snapshot();
    let run = t.run();
    run.code(2);
    for needle in needles {
        run.stderr_has(needle);
    }
    assert_eq!(t.snapshot(), before, "files changed on bad input");
    run
}

#[test]
fn missing_end_marker() {
    let text = SEED.replace("<!-- CI_SNAPSHOT_END -->\n", "");
    rejects(
        text.as_bytes(),
        &[],
        &["--offline"],
        &[NAME, "line 65", "CI_SNAPSHOT_START", "no matching"],
    );
}

#[test]
fn duplicated_crossed_and_nested_markers() {
    let dup = format!("{SEED}<!-- READINESS_SCORE_START -->\n<!-- READINESS_SCORE_END -->\n");
    rejects(
        dup.as_bytes(),
        &[],
        &["--offline"],
        &["a second", "line 68"],
    );
    let nested = SEED
        .replace(
            "old score\n",
            "<!-- CI_SNAPSHOT_START -->\n<!-- CI_SNAPSHOT_END -->\n",
        )
        .replace(
            "<!-- CI_SNAPSHOT_START -->\nold ci\n<!-- CI_SNAPSHOT_END -->\n",
            "",
        );
    rejects(
        nested.as_bytes(),
        &[],
        &["--offline"],
        &["nested", "line 6"],
    );
    let crossed = "# T\n<!-- READINESS_SCORE_START -->\n<!-- CI_SNAPSHOT_START -->\n<!-- READINESS_SCORE_END -->\n<!-- CI_SNAPSHOT_END -->\n## Core\n- [x] a\n## Optional\n## Deployment\n## Sign-off\n";
    rejects(
        crossed.as_bytes(),
        &[],
        &["--offline"],
        &["crossed", "line 3"],
    );
    let stray_end = SEED.replace("<!-- READINESS_SCORE_START -->\n", "");
    rejects(
        stray_end.as_bytes(),
        &[],
        &["--offline"],
        &["READINESS_SCORE_END", "no matching"],
    );
}

#[test]
fn missing_category_lists_headings_and_how_to_configure() {
    // With categories in a config, a category without a heading is an
    // error (without a config, the document's own headings are used).
    let text = SEED.replace("## Sign-off", "## Approvals");
    rejects(
        text.as_bytes(),
        &[(
            ".release-dashboard.toml",
            "[[categories]]\nname = \"Core\"\nheading = \"core\"\nweight = 1\n\n[[categories]]\nname = \"Sign-off\"\nheading = \"sign-off\"\nweight = 1\n",
        )],
        &["--offline"],
        &["\"Sign-off\"", "line 46: Approvals", "[[categories]]"],
    );
}

#[test]
fn nothing_countable() {
    let text = "# T\n## Core\n## Optional\n## Deployment\n## Sign-off\n";
    rejects(
        text.as_bytes(),
        &[],
        &["--offline"],
        &["nothing to count", "line 2: Core", "[[categories]]"],
    );
}

#[test]
fn non_utf8_checklist() {
    let mut bytes = SEED.as_bytes().to_vec();
    bytes.extend_from_slice(b"caf\xe9\n");
    rejects(
        &bytes,
        &[],
        &["--offline"],
        &[NAME, "not valid UTF-8", "line 68"],
    );
}

#[test]
fn checklist_not_found_or_ambiguous() {
    let t = Test::new().args(["--offline"]);
    t.run().code(2).stderr_has("no checklist found");
    let t = Test::new()
        .file("a-release-checklist.md", SEED)
        .file("b-release-checklist.md", SEED)
        .args(["--offline"]);
    t.run()
        .code(2)
        .stderr_has("several checklists")
        .stderr_has("a-release-checklist.md")
        .stderr_has("b-release-checklist.md");
    Test::new()
        .args(["--offline", "--checklist", "nope.md"])
        .run()
        .code(2)
        .stderr_has("nope.md: checklist not found");
}

#[test]
fn bad_config() {
    rejects(
        SEED.as_bytes(),
        &[(".release-dashboard.toml", "threshold = 90\n")],
        &["--offline"],
        &[".release-dashboard.toml", "unknown field `threshold`"],
    );
    rejects(
        SEED.as_bytes(),
        &[(
            ".release-dashboard.toml",
            "[[categories]]\nname = 'x'\nheading = '('\nweight = 1\n",
        )],
        &["--offline"],
        &["not a valid regex"],
    );
    rejects(
        SEED.as_bytes(),
        &[],
        &["--offline", "--config", "missing.toml"],
        &["missing.toml"],
    );
}

#[test]
fn bad_flags() {
    rejects(
        SEED.as_bytes(),
        &[],
        &["--offline", "--threshold", "101"],
        &["0 to 100"],
    );
    rejects(
        SEED.as_bytes(),
        &[],
        &["--offline", "--runs-file", "runs.json"],
        &["cannot be used with"],
    );
    rejects(SEED.as_bytes(), &[], &["--frobnicate"], &["--frobnicate"]);
    rejects(
        SEED.as_bytes(),
        &[],
        &["--runs", "0", "--offline"],
        &["--runs"],
    );
    rejects(SEED.as_bytes(), &[], &[], &["--runs-file", "--offline"]);
}

#[test]
fn bad_runs_files() {
    rejects(
        SEED.as_bytes(),
        &[("bad.json", "{\"workflow_runs\": [{\"id\": \"x\"}]}")],
        &["--runs-file", "bad.json"],
        &["bad.json"],
    );
    rejects(
        SEED.as_bytes(),
        &[("bad.json", "not json")],
        &["--runs-file", "bad.json"],
        &["bad.json"],
    );
    rejects(
        SEED.as_bytes(),
        &[("bad.json", "")],
        &["--runs-file", "bad.json"],
        &["bad.json"],
    );
    rejects(
        SEED.as_bytes(),
        &[],
        &["--runs-file", "missing.json"],
        &["missing.json"],
    );
}

#[test]
fn corrupt_history_stops_everything() {
    for bad in ["{", "null", "{\"a\": 1}", "[1, 2]"] {
        rejects(
            SEED.as_bytes(),
            &[(".cache/readiness.json", bad)],
            &["--offline"],
            &[".cache/readiness.json", "git"],
        );
    }
}

#[test]
fn bad_source_date_epoch() {
    let t = Test::new()
        .file(NAME, SEED)
        .args(["--offline"])
        .env("SOURCE_DATE_EPOCH", "soon");
    t.run().code(2).stderr_has("SOURCE_DATE_EPOCH");
}
