//! Properties of the pure pipeline over generated checklists: bytes outside
//! the managed blocks are preserved, and update∘update = update.

use std::path::PathBuf;

use proptest::prelude::*;
use release_dashboard::app::update::plan::rewrite_checklist;
use release_dashboard::core::analysis::analyse;
use release_dashboard::core::ci::ci_health;
use release_dashboard::core::document::Document;
use release_dashboard::core::history::trend::{Entry, recent};
use release_dashboard::core::markers::find_blocks;
use release_dashboard::core::report::CiSource;
use release_dashboard::core::report::{CiReport, Report};
use release_dashboard::core::runs::WorkflowRun;
use release_dashboard::core::settings::Settings;

const PIECES: &[&str] = &[
    "# Title",
    "## Core Gates",
    "## Optional Gates",
    "## Deployment",
    "## Sign-off",
    "### Sub",
    "Heading\n---",
    "- [x] done @owner",
    "- [ ] todo",
    "  - [X] nested",
    "* [ ] star",
    "1. [x] ordered",
    "| Gate | Status | Owner |\n|---|---|---|\n| a | PASS | @a |\n| b | ❌ | |",
    "| Gate | Notes |\n|--|--|\n| c | ✅ |",
    "| x | pending |",
    "```",
    "~~~md\n- [ ] fenced\n~~~",
    "    - [ ] indented code",
    "<!--",
    "-->",
    "<!-- a comment -->",
    "<!-- READINESS_SCORE_START -->\nold\n<!-- READINESS_SCORE_END -->",
    "<!-- CI_SNAPSHOT_START -->\n<!-- CI_SNAPSHOT_END -->",
    "<!-- READINESS_SCORE_START -->",
    "<!-- CI_SNAPSHOT_END -->",
    "<div>\n- [ ] html\n</div>",
    "",
    "plain text with | pipes & <tags>",
    "> quote <!-- CI_SNAPSHOT_START -->",
    "---\ntitle: t\n---",
    "<div>",
];

const FOOTER: &str =
    "## Core\n- [x] a\n- [ ] b\n## Optional\n- [x] c\n## Deployment\n- [ ] d\n## Sign-off\n- [x] e";

fn checklist() -> impl Strategy<Value = Vec<u8>> {
    checklist_with(any::<bool>())
}

/// A generated checklist that always ends with the four categories, so
/// most cases score (and get rewritten) rather than being rejected.
fn scorable_checklist() -> impl Strategy<Value = Vec<u8>> {
    checklist_with(Just(true))
}

fn checklist_with(footer: impl Strategy<Value = bool>) -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        8 => proptest::sample::select(PIECES).prop_map(str::to_string),
        1 => "[ -~\u{1F7E2}\u{2705}\t]{0,30}",
    ];
    (
        proptest::collection::vec(piece, 0..24),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        footer,
    )
        .prop_map(|(pieces, crlf, bom, final_newline, footer)| {
            let mut lines = pieces;
            if footer {
                lines.push(FOOTER.to_string());
            }
            let le = if crlf { "\r\n" } else { "\n" };
            let mut text = lines.join("\n").replace('\n', le);
            if final_newline {
                text.push_str(le);
            }
            let mut bytes = if bom {
                "\u{FEFF}".as_bytes().to_vec()
            } else {
                Vec::new()
            };
            bytes.extend_from_slice(text.as_bytes());
            bytes
        })
}

/// A history for the readiness block to chart (a sparkline and a fenced
/// Mermaid block inside the managed block).
const HISTORY: &str = r#"[{"timestamp": "2026-11-22T09:00:00Z", "score": 70.0},
    {"timestamp": "2026-11-23T09:00:00Z", "score": 80.5}]"#;

fn update(bytes: &[u8], charted: bool) -> Option<Vec<u8>> {
    update_with(bytes, charted, None)
}

/// Pieces of workflow names that try to break out of the CI block: our
/// own markers, comments, table pipes, line breaks of every kind,
/// bidirectional overrides, annotations, mentions and HTML.
const HOSTILE: &[&str] = &[
    "<!--",
    "-->",
    "<!-- CI_SNAPSHOT_END -->",
    "<!-- READINESS_SCORE_START -->",
    "|",
    "\\|",
    "\n",
    "\r\n",
    "\r",
    "\u{2028}",
    "\u{2029}",
    "\u{202e}",
    "\u{200f}",
    "::error::",
    "@here",
    "<!channel>",
    "`",
    "```",
    "*",
    "_",
    "[x](y)",
    "<script>",
    "&amp;",
    "%0A",
    "\u{0}",
    "\t",
    " ",
    "CI",
    "✅",
];

fn hostile_name() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(HOSTILE), 0..8)
        .prop_map(|parts| parts.concat())
}

/// Runs on main with generated names and conclusions.
fn hostile_runs() -> impl Strategy<Value = Vec<WorkflowRun>> {
    let run = (
        hostile_name(),
        proptest::sample::select(&["success", "failure", "cancelled", "timed_out"][..]),
        any::<bool>(),
    );
    proptest::collection::vec(run, 1..12).prop_map(|runs| {
        runs.into_iter()
            .enumerate()
            .map(|(i, (name, conclusion, unfinished))| WorkflowRun {
                id: i as u64 + 1,
                name: Some(name),
                workflow_id: Some(i as u64 % 3),
                head_branch: Some("main".into()),
                status: Some(
                    if unfinished {
                        "in_progress"
                    } else {
                        "completed"
                    }
                    .into(),
                ),
                conclusion: (!unfinished).then(|| conclusion.to_string()),
                created_at: jiff::Timestamp::from_second(1_795_400_000 + i as i64 * 60).ok(),
                ..WorkflowRun::default()
            })
            .collect()
    })
}

fn update_with(bytes: &[u8], charted: bool, runs: Option<&[WorkflowRun]>) -> Option<Vec<u8>> {
    let entries: Vec<Entry> = if charted {
        serde_json::from_str(HISTORY).ok()?
    } else {
        Vec::new()
    };
    let settings = Settings::defaults(PathBuf::from("release-checklist.md"));
    let analysis = analyse("release-checklist.md", bytes, &settings).ok()?;
    let report = Report {
        checklist: "release-checklist.md".into(),
        score: analysis.score.clone(),
        threshold: settings.threshold,
        ci: runs.map(|runs| CiReport {
            health: ci_health(runs, "main", 50),
            source: CiSource::RunsFile,
            extra: Vec::new(),
        }),
        changed: false,
        warnings: vec![],
    };
    let now = jiff::Timestamp::from_second(1_795_510_800).ok()?;
    rewrite_checklist(
        &analysis,
        &report,
        &settings.markers,
        settings.block_heading,
        false,
        now,
        &recent(&entries, 30),
    )
    .ok()
    .map(|(bytes, _)| bytes)
}

/// The bytes with every managed block's content cut out.
fn outside(bytes: &[u8]) -> Vec<u8> {
    let doc = Document::decode(bytes).expect("utf-8");
    let blocks =
        find_blocks(&doc.text, &["READINESS_SCORE", "CI_SNAPSHOT"]).expect("valid markers");
    let mut out = Vec::new();
    let mut at = 0;
    for b in &blocks {
        out.extend_from_slice(&doc.text.as_bytes()[at..b.content.start]);
        at = b.content.end;
    }
    out.extend_from_slice(&doc.text.as_bytes()[at..]);
    let bom: &[u8] = if doc.bom { b"\xEF\xBB\xBF" } else { b"" };
    [bom, &out[..]].concat()
}

/// A `---` pair in the middle of the file is not front matter: read as
/// metadata, it hid the comment's end, so a `<div>` swallowed the
/// headings on the first run but not on the second (a generated case).
#[test]
fn a_dash_pair_mid_file_reads_the_same_before_and_after_the_update() {
    let text = "- [x] done @owner\nHeading\n---\n<!--\nHeading\n---\n<div>\n- [ ] html\n</div>\n> quote <!-- CI_SNAPSHOT_START -->\n# Title\n";
    let bytes = format!("{text}{FOOTER}\n").into_bytes();
    let runs = [WorkflowRun {
        id: 1,
        name: Some("ci".into()),
        head_branch: Some("main".into()),
        status: Some("completed".into()),
        conclusion: Some("success".into()),
        ..WorkflowRun::default()
    }];
    let once = update_with(&bytes, false, Some(&runs)).expect("scores");
    let twice = update_with(&once, false, Some(&runs)).expect("still scores");
    assert_eq!(
        String::from_utf8_lossy(&twice),
        String::from_utf8_lossy(&once)
    );
    assert!(String::from_utf8_lossy(&once).contains("| Core Gates 🔒 | 1/2 |"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn update_is_idempotent(bytes in checklist(), charted in any::<bool>()) {
        if let Some(once) = update(&bytes, charted) {
            let twice = update(&once, charted).expect("the updated file still parses");
            prop_assert_eq!(String::from_utf8_lossy(&twice), String::from_utf8_lossy(&once));
        }
    }

    #[test]
    fn bytes_outside_blocks_are_preserved(bytes in checklist(), charted in any::<bool>()) {
        if let Some(updated) = update(&bytes, charted) {
            // Existing blocks' contents are cut from both sides; inserted
            // blocks only add bytes, so the original outside bytes must
            // appear in order (and unchanged) in the updated file.
            let before = outside(&bytes);
            let after = outside(&updated);
            if find_blocks(&Document::decode(&bytes).expect("utf-8").text, &["READINESS_SCORE", "CI_SNAPSHOT"]).is_ok_and(|b| b.len() == 2) {
                prop_assert_eq!(String::from_utf8_lossy(&after), String::from_utf8_lossy(&before));
            } else {
                let mut rest = after.as_slice();
                for byte in &before {
                    let at = rest.iter().position(|b| b == byte);
                    prop_assert!(at.is_some(), "a byte of the original vanished");
                    rest = &rest[at.unwrap_or(0) + 1..];
                }
            }
            prop_assert_eq!(updated.starts_with(b"\xEF\xBB\xBF"), bytes.starts_with(b"\xEF\xBB\xBF"));
        }
    }

    /// Whatever the workflows are called, the rewritten checklist has
    /// exactly its two blocks, the same bytes outside them, and a second
    /// update changes nothing.
    #[test]
    fn hostile_workflow_names_stay_inside_the_block(
        bytes in scorable_checklist(),
        runs in hostile_runs(),
    ) {
        if let Some(once) = update_with(&bytes, false, Some(&runs)) {
            let text = Document::decode(&once).expect("utf-8").text;
            let blocks = find_blocks(&text, &["READINESS_SCORE", "CI_SNAPSHOT"]);
            prop_assert_eq!(blocks.map(|b| b.len()).ok(), Some(2), "{}", text);
            let twice = update_with(&once, false, Some(&runs)).expect("the updated file still parses");
            prop_assert_eq!(String::from_utf8_lossy(&twice), String::from_utf8_lossy(&once));
            if find_blocks(&Document::decode(&bytes).expect("utf-8").text, &["READINESS_SCORE", "CI_SNAPSHOT"]).is_ok_and(|b| b.len() == 2) {
                let (after, before) = (outside(&once), outside(&bytes));
                prop_assert_eq!(String::from_utf8_lossy(&after), String::from_utf8_lossy(&before));
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = update(&bytes, true);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        let _ = update(text.as_bytes(), true);
    }
}
