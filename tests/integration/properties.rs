//! Properties of the pure pipeline over generated checklists: bytes outside
//! the managed blocks are preserved, and update∘update = update.

use std::path::PathBuf;

use proptest::prelude::*;
use release_dashboard::analysis::analyse;
use release_dashboard::document::Document;
use release_dashboard::markers::find_blocks;
use release_dashboard::plan::rewrite_checklist;
use release_dashboard::report::Report;
use release_dashboard::settings::Settings;
use release_dashboard::trend::{Entry, recent};

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
];

const FOOTER: &str =
    "## Core\n- [x] a\n- [ ] b\n## Optional\n- [x] c\n## Deployment\n- [ ] d\n## Sign-off\n- [x] e";

fn checklist() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        8 => proptest::sample::select(PIECES).prop_map(str::to_string),
        1 => "[ -~\u{1F7E2}\u{2705}\t]{0,30}",
    ];
    (
        proptest::collection::vec(piece, 0..24),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
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
        ci: None,
        changed: false,
        warnings: vec![],
    };
    let now = jiff::Timestamp::from_second(1_795_510_800).ok()?;
    rewrite_checklist(
        &analysis,
        &report,
        &settings.markers,
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
            if find_blocks(&Document::decode(&bytes).expect("utf-8").text, &["READINESS_SCORE", "CI_SNAPSHOT"]).map(|b| b.len() == 2).unwrap_or(false) {
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

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = update(&bytes, true);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        let _ = update(text.as_bytes(), true);
    }
}
