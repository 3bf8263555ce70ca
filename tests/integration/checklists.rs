//! Checklists as people write them (fixtures in tests/fixtures/checklists,
//! each in a shape seen in real release documents): zero config, exact
//! counts, bytes outside the managed blocks kept, a second run a no-op.

use crate::support::harness::Test;

/// (category, passing, countable) in output order.
type Expected<'a> = &'a [(&'a str, u64, u64)];

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/checklists/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The text with every managed block's content (between its marker lines)
/// removed.
fn outside_blocks(text: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with("<!-- ") && trimmed.ends_with("_END -->") {
            inside = false;
        }
        if !inside {
            out.push_str(line);
        }
        if trimmed.starts_with("<!-- ") && trimmed.ends_with("_START -->") {
            inside = true;
        }
    }
    out
}

/// Each line of `original` appears in `updated`, in order, and every other
/// line of `updated` is blank or part of an inserted block.
fn only_blocks_added(original: &str, updated: &str) {
    let kept = outside_blocks(updated);
    let mut extra = kept.lines().filter(|l| !l.trim().is_empty()).peekable();
    for line in original.lines().filter(|l| !l.trim().is_empty()) {
        loop {
            let next = extra.next().unwrap_or_else(|| {
                panic!("line {line:?} of the original is missing after the update:\n{updated}")
            });
            if next == line {
                break;
            }
            assert!(
                next.starts_with("<!-- ") && next.ends_with("-->"),
                "unexpected line {next:?} outside the blocks:\n{updated}"
            );
        }
    }
    for rest in extra {
        assert!(rest.starts_with("<!-- "), "unexpected line {rest:?}");
    }
}

/// Score `name` with no config, offline; check the counts, then update it
/// twice: the first keeps every byte outside the blocks, the second is a
/// no-op.
fn check(name: &str, from: &str, expected: Expected<'_>, total: f64) -> serde_json::Value {
    let original = fixture(name);
    let t = Test::new().file(name, &original);
    let run = t.run_with([
        "--checklist",
        name,
        "--offline",
        "--format",
        "json",
        "--dry-run",
    ]);
    run.code(0);
    let json = run.json();
    assert_eq!(json["categories_from"], from, "{name}");
    let got: Vec<(String, u64, u64)> = json["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["passing"].as_u64().unwrap(),
                c["total"].as_u64().unwrap(),
            )
        })
        .collect();
    let want: Vec<(String, u64, u64)> = expected
        .iter()
        .map(|(n, p, t)| ((*n).to_string(), *p, *t))
        .collect();
    assert_eq!(got, want, "{name}");
    assert!(
        (json["score"].as_f64().unwrap() - total).abs() < 0.005,
        "{name}: score {} != {total}",
        json["score"]
    );
    assert_eq!(t.read_string(name), original, "a dry run wrote {name}");

    t.run_with(["--checklist", name, "--offline", "--quiet"])
        .code(0);
    let updated = t.read_string(name);
    if original.contains("_START -->") {
        assert_eq!(
            outside_blocks(&updated),
            outside_blocks(&original),
            "{name}"
        );
    } else {
        only_blocks_added(&original, &updated);
    }
    let second = t.run_with(["--checklist", name, "--offline", "--format", "json"]);
    second.code(0);
    assert_eq!(
        second.json()["changed"],
        false,
        "{name}: second run changed something"
    );
    assert_eq!(
        t.read_string(name),
        updated,
        "{name}: second run rewrote the file"
    );
    if from == "document" {
        pinned_reads_the_same(&t, name, &json);
    }
    json
}

/// The `[[categories]]` that `inspect` prints to pin a document-mode
/// reading give the same categories, counts and score from a config.
fn pinned_reads_the_same(t: &Test, name: &str, unpinned: &serde_json::Value) {
    let text = t.run_with(["inspect", "--checklist", name]).stdout;
    let Some(at) = text.find("\n[[categories]]") else {
        // No headings: nothing to pin, and inspect says so.
        assert!(text.contains("Nothing to pin"), "{text}");
        return;
    };
    let snippet = &text[at + 1..];
    std::fs::write(t.path().join(".release-dashboard.toml"), snippet).unwrap();
    let run = t.run_with([
        "--checklist",
        name,
        "--offline",
        "--format",
        "json",
        "--dry-run",
    ]);
    run.code(0);
    let pinned = run.json();
    assert_eq!(pinned["categories_from"], "config", "{name}");
    let summary = |json: &serde_json::Value| -> Vec<(String, u64, u64, bool)> {
        json["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["name"].as_str().unwrap().to_string(),
                    c["passing"].as_u64().unwrap(),
                    c["total"].as_u64().unwrap(),
                    c["blocking"].as_bool().unwrap_or(true),
                )
            })
            .collect()
    };
    assert_eq!(
        summary(&pinned),
        summary(unpinned),
        "{name}: pinned\n{snippet}"
    );
    assert!(
        (pinned["score"].as_f64().unwrap() - unpinned["score"].as_f64().unwrap()).abs() < 0.005
    );
    std::fs::remove_file(t.path().join(".release-dashboard.toml")).unwrap();
}

#[test]
fn phase_headings_at_three_levels_with_ordered_and_nested_tasks() {
    let json = check(
        "phases.md",
        "document",
        &[
            ("1. Code Quality & Testing", 3, 5),
            ("2. Version Verification", 2, 3),
            ("2.1 Packaging", 1, 1),
            ("Quality Gates", 1, 2),
            ("Security Gates", 1, 2),
            ("Release Artifacts", 2, 2),
            ("Approvals", 1, 2),
            ("Post-release", 0, 2),
        ],
        11.0 * 100.0 / 19.0,
    );
    let blocking: Vec<bool> = json["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["blocking"].as_bool().unwrap())
        .collect();
    assert_eq!(blocking, [true, true, true, true, true, true, true, false]);
    // Post-release items are not blockers: 2 + 1 + 1 + 1 + 1.
    assert_eq!(json["blockers"].as_array().unwrap().len(), 6);
}

#[test]
fn bold_lines_as_sections_after_front_matter() {
    let json = check(
        "bold-sections.md",
        "document",
        &[
            ("Before release", 2, 3),
            ("Release", 0, 2),
            ("After release", 1, 2),
        ],
        300.0 / 7.0,
    );
    assert_eq!(json["blockers"].as_array().unwrap().len(), 3);
}

/// An issue template whose sections are collapsed `<details>` blocks: each
/// `<summary>` names its section, as a heading would.
#[test]
fn details_summaries_as_sections() {
    let json = check(
        "details.md",
        "document",
        &[
            ("Prepare", 2, 3),
            ("Verify (nice to have)", 1, 2),
            ("Ship", 1, 4),
        ],
        400.0 / 9.0,
    );
    assert_eq!(json["blockers"].as_array().unwrap().len(), 4);
    assert_eq!(json["categories"][1]["blocking"], false);
}

/// A status board: a checkbox column with no header, region rows with
/// words (a negated one, a deferred one), and bullets whose mark comes
/// last or after the label.
#[test]
fn unheaded_checkbox_columns_status_words_and_trailing_marks() {
    let json = check(
        "status-board.md",
        "document",
        &[
            ("Launch gates", 2, 4),
            ("Rollout", 2, 3),
            ("Comms (nice to have)", 1, 2),
        ],
        500.0 / 9.0,
    );
    let rollout = &json["categories"][1];
    assert_eq!(rollout["skipped"], 1, "{rollout}");
    assert_eq!(json["categories"][2]["blocking"], false);
}

/// Shapes found when people's checklists were read: a "Key …" section
/// that is not a legend, group rows in a table, qualified and negated
/// words, Y/N ticks, marks after a dash or in brackets or parentheses,
/// one-line mark paragraphs, and legends or notes that are not items.
#[test]
fn group_rows_qualified_words_ticks_and_marks_anywhere_a_person_reads_them() {
    let json = check(
        "mixed-signals.md",
        "document",
        &[
            ("Key dates", 1, 2),
            ("Workstreams", 2, 4),
            ("Sign-offs", 1, 2),
            ("Checks", 4, 6),
        ],
        800.0 / 14.0,
    );
    assert_eq!(json["categories"][1]["skipped"], 1);
}

#[test]
fn status_columns_by_any_common_name_and_an_empty_template() {
    let json = check(
        "status-tables.md",
        "document",
        &[
            ("Engineering", 1, 3),
            ("QA", 1, 2),
            ("Operations", 2, 3),
            ("Go / No-Go", 2, 3),
            ("Sign-off template", 0, 3),
        ],
        600.0 / 14.0,
    );
    let warnings: Vec<&str> = json["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    let empty: Vec<&&str> = warnings
        .iter()
        .filter(|w| w.contains("empty status cell"))
        .collect();
    assert_eq!(empty.len(), 1, "{warnings:?}");
    assert!(empty[0].contains("3 table row(s)"), "{warnings:?}");
}

#[test]
fn status_mark_bullets_with_blocking_and_non_blocking_headings() {
    let json = check(
        "go-no-go.md",
        "document",
        &[
            ("Blocking Items (must be green)", 2, 4),
            ("Non-Blocking (track, but not launch blockers)", 1, 3),
        ],
        300.0 / 7.0,
    );
    let blockers: Vec<&str> = json["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        blockers,
        [
            "BLOCKER — Capped supply encoded and tested",
            "BLOCKER — Bridge limits configured"
        ]
    );
}

#[test]
fn glyph_bullets_without_headings_form_one_category_named_after_the_file() {
    check("glyphs.md", "document", &[("glyphs", 2, 5)], 40.0);
}

#[test]
fn lines_that_each_start_with_a_mark_without_bullets() {
    check(
        "plain-lines.md",
        "document",
        &[("Hotfix 2.4.1", 2, 5)],
        40.0,
    );
}

#[test]
fn the_seed_shape_still_uses_the_four_weighted_categories() {
    check(
        "switched.md",
        "defaults",
        &[
            ("Core Gates", 1, 2),
            ("Optional Gates", 1, 1),
            ("Deployment", 1, 2),
            ("Sign-off", 0, 1),
        ],
        55.0,
    );
}

/// The replaced tool's blocks opened with `##` headings; the rewrite keeps
/// a heading of the same level there, so the outline does not change.
#[test]
fn headings_that_open_old_blocks_survive_the_rewrite() {
    let original = fixture("switched.md");
    let t = Test::new().file("switched.md", &original);
    t.run_with(["--checklist", "switched.md", "--offline", "--quiet"])
        .code(0);
    let updated = t.read_string("switched.md");
    let outline = |text: &str| -> Vec<usize> {
        text.lines()
            .filter(|l| l.starts_with('#'))
            .map(|l| l.len() - l.trim_start_matches('#').len())
            .collect()
    };
    assert_eq!(outline(&updated), outline(&original), "{updated}");
    assert!(
        updated.contains("\n## 📊 Release Readiness Score\n"),
        "{updated}"
    );
    assert!(updated.contains("\n## 📡 Last CI Snapshot\n"), "{updated}");
}

#[test]
fn a_fresh_block_opens_with_a_heading_when_configured() {
    let t = Test::new()
        .file("glyphs.md", fixture("glyphs.md"))
        .file(".release-dashboard.toml", "block_heading = 2\n");
    t.run_with(["--checklist", "glyphs.md", "--offline", "--quiet"])
        .code(0);
    let updated = t.read_string("glyphs.md");
    assert!(
        updated.contains("<!-- READINESS_SCORE_START -->\n\n## 📊 Release Readiness Score\n"),
        "{updated}"
    );
    let again = t.run_with(["--checklist", "glyphs.md", "--offline", "--format", "json"]);
    assert_eq!(again.json()["changed"], false);
}

#[test]
fn inspect_shows_items_with_what_decided_them_and_what_was_not_counted() {
    let t = Test::new().file("go-no-go.md", fixture("go-no-go.md"));
    let run = t.run_with(["inspect", "--checklist", "go-no-go.md"]);
    run.code(0)
        .stdout_has("read from the document's headings")
        .stdout_has("Blocking Items (must be green) — blocking, 2/4 passing")
        .stdout_has("Non-Blocking (track, but not launch blockers) — not blocking, 1/3 passing")
        .stdout_has("❌ fail")
        .stdout_has("part of a legend")
        .stdout_has("plain bullet(s)")
        .stdout_has("Total: 3/7 items passing")
        .stdout_has("[[categories]]\nname = \"Blocking Items (must be green)\"");
    let json = t
        .run_with(["inspect", "--checklist", "go-no-go.md", "--format", "json"])
        .json();
    assert_eq!(json["kind"], "inspect");
    assert_eq!(json["items"], 7);
    assert_eq!(json["passing"], 3);
    let first = &json["categories"][0]["items"][0];
    assert_eq!(first["line"], 11);
    assert_eq!(first["decided_by"], "❌");
    assert_eq!(first["state"], "fail");
    // Writes nothing.
    assert_eq!(t.snapshot().len(), 1);
}

#[test]
fn the_printed_snippet_pins_the_same_reading() {
    let t = Test::new().file("phases.md", fixture("phases.md"));
    let text = t.run_with(["inspect", "--checklist", "phases.md"]).stdout;
    let snippet = &text[text.find("\n[[categories]]\n").unwrap()..];
    let t = t.file(".release-dashboard.toml", snippet);
    let pinned = t
        .run_with(["inspect", "--checklist", "phases.md", "--format", "json"])
        .json();
    assert_eq!(pinned["categories_from"], "config");
    assert_eq!(pinned["items"], 19);
    assert_eq!(pinned["passing"], 11);
    assert!((pinned["score"].as_f64().unwrap() - 57.89).abs() < 0.005);
}

#[test]
fn nothing_countable_names_the_headings_and_offers_a_snippet() {
    let t = Test::new().file(
        "notes-release-checklist.md",
        "# Release notes\n\n## Highlights\n\n- Faster builds\n\n## Upgrading\n\nRead the guide.\n",
    );
    t.run_with(["--offline"])
        .code(2)
        .stderr_has("nothing to count")
        .stderr_has("line 3: Highlights")
        .stderr_has("name = \"Highlights\"");
    assert_eq!(t.snapshot().len(), 1, "nothing may be written");
}
