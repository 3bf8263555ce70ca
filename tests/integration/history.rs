//! `release-dashboard history`: the trend view, JSON, CSV and SVG exports,
//! and what happens with odd or broken history files.

use crate::support::harness::Test;
use crate::support::xml;

/// The seed tool's file: naive timestamps, `ci_adjustment`, no
/// `categories`/`ci_success_rate`, and a UTF-8 BOM.
const SEED_WITH_BOM: &str = "\u{FEFF}[
  {
    \"timestamp\": \"2024-12-15T09:00:00\",
    \"score\": 87.5,
    \"status\": \"minor_blockers\",
    \"core_score\": 87.5,
    \"optional_score\": 87.5,
    \"deployment_score\": 75.0,
    \"signoff_score\": 78.6,
    \"blockers_count\": 3,
    \"ci_adjustment\": -2.0
  },
  {
    \"timestamp\": \"2024-12-16T09:00:00\",
    \"score\": 84.0,
    \"status\": \"in_progress\",
    \"core_score\": 87.5,
    \"optional_score\": 75.0,
    \"deployment_score\": 75.0,
    \"signoff_score\": 78.6,
    \"blockers_count\": 4,
    \"ci_adjustment\": 0.0
  }
]
";

/// Our own format: five entries, one of them without a usable score.
const OURS: &str = r#"[
  {"timestamp": "2026-11-20T09:00:00Z", "score": 70.0, "status": "in_progress", "blockers_count": 5,
   "categories": {"Core Gates": 60.0, "Docs <b>&amp;</b>": 50.0}},
  {"timestamp": "2026-11-21T09:00:00Z", "score": 74.0, "status": "in_progress", "blockers_count": 4,
   "categories": {"Core Gates": 70.0, "Docs <b>&amp;</b>": null}},
  {"timestamp": "2026-11-22T09:00:00Z", "score": null, "status": "broken"},
  {"timestamp": "2026-11-23T09:00:00Z", "score": 80.5, "status": "in_progress", "blockers_count": 2,
   "categories": {"Core Gates": 80.0, "Docs <b>&amp;</b>": 75.0}},
  {"timestamp": "2026-11-24T09:00:00Z", "score": 91.25, "status": "nearly_ready", "blockers_count": 0,
   "categories": {"Core Gates": 100.0, "Docs <b>&amp;</b>": 75.0}}
]"#;

fn with_history(text: impl AsRef<[u8]>) -> Test {
    Test::new().file(".cache/readiness.json", text)
}

#[test]
fn text_view_shows_trend_sparkline_and_table() {
    let t = with_history(OURS).args(["history"]);
    let run = t.run();
    run.code(0)
        .stdout_has("History: .cache/readiness.json — 5 entries")
        .stdout_has("(1 without a numeric score, skipped)")
        .stdout_has("Trend (last 4): 📈 improving — 91.25% now, +10.8 since the entry before")
        .stdout_has("Range: min 70.00% · max 91.25% · avg 78.9%")
        .stdout_has("Last 4: ▁▂▄█")
        .stdout_has("2026-11-24T09:00:00Z")
        .stdout_has("nearly_ready")
        .stdout_has("Core Gates");
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn json_has_the_seed_fields() {
    let run = with_history(OURS)
        .args(["history", "--format", "json", "--lookback", "3"])
        .run();
    run.code(0);
    let json = run.json();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["entries"], 5);
    assert_eq!(json["unscored"], 1);
    assert_eq!(json["lookback"], 3);
    // The seed's trend fields sit at the top level, not under "trend".
    // Window [74, 80.5, 91.25]: [74] vs mean(80.5, 91.25) = 85.875.
    assert_eq!(json["trend"], "improving");
    assert_eq!(json["trend_emoji"], "📈");
    assert_eq!(json["current"], 91.25);
    assert_eq!(json["previous"], 80.5);
    assert_eq!(json["change"], 10.8);
    assert_eq!(json["min"], 74.0);
    assert_eq!(json["max"], 91.25);
    assert_eq!(json["avg"], 81.9);
    assert_eq!(json["entries_analyzed"], 3);
    assert_eq!(json["categories"][0]["name"], "Core Gates");
    assert_eq!(json["categories"][0]["current"], 100.0);
    assert_eq!(json["categories"][0]["previous"], 80.0);
    assert_eq!(json["categories"][0]["change"], 20.0);
    let keys: Vec<&str> = json
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    assert_eq!(
        keys,
        [
            "schema_version",
            "history",
            "lookback",
            "unscored",
            "current",
            "previous",
            "change",
            "trend",
            "trend_emoji",
            "min",
            "max",
            "avg",
            "entries_analyzed",
            "entries",
            "categories",
        ]
    );
}

#[test]
fn json_change_and_avg_round_ties_to_even_like_python() {
    // change 80.25 − 80 = 0.25 → 0.2; avg 80.125 → 80.1 (Python's round).
    let two = r#"[{"score": 80.0}, {"score": 80.25}]"#;
    let run = with_history(two)
        .args(["history", "--format", "json"])
        .run();
    run.code(0);
    let json = run.json();
    assert_eq!(json["change"], 0.2);
    assert_eq!(json["avg"], 80.1);
    assert_eq!(json["trend"], "stable");
    with_history(two)
        .args(["history"])
        .run()
        .code(0)
        .stdout_has("80.25% now, +0.2 since the entry before");
}

#[test]
fn fewer_than_two_entries_is_said_and_exits_zero() {
    let one = r#"[{"timestamp": "2026-11-24T09:00:00Z", "score": 50.0}]"#;
    let run = with_history(one)
        .args(["history", "--format", "json"])
        .run();
    run.code(0);
    let json = run.json();
    assert_eq!(json["trend"], serde_json::Value::Null);
    for key in [
        "current",
        "previous",
        "change",
        "trend_emoji",
        "min",
        "max",
        "avg",
        "categories",
    ] {
        assert_eq!(json.get(key), Some(&serde_json::Value::Null), "{key}");
    }
    assert_eq!(json["entries"], 1);
    assert_eq!(json["entries_analyzed"], 1);
    assert_eq!(json["unscored"], 0);
    with_history(one)
        .args(["history"])
        .run()
        .code(0)
        .stdout_has("Not enough history for a trend: 1 scored entry (at least 2 are needed).");
    // No file at all is an empty history.
    let run = Test::new().args(["history", "--format", "json"]).run();
    run.code(0);
    assert_eq!(run.json()["trend"], serde_json::Value::Null);
    assert_eq!(run.json()["current"], serde_json::Value::Null);
    assert_eq!(run.json()["entries"], 0);
    assert_eq!(run.json()["entries_analyzed"], 0);
}

#[test]
fn csv_is_written_with_seed_columns_first() {
    let t = with_history(OURS).args(["history", "--csv", "out/history.csv"]);
    t.run().code(0).stdout_has("Wrote out/history.csv.");
    let csv = t.read_string("out/history.csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "timestamp,score,status,core_score,optional_score,deployment_score,signoff_score,blockers_count,categories"
    );
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[3], "2026-11-22T09:00:00Z,,broken,,,,,,");
    assert!(
        lines[5].starts_with("2026-11-24T09:00:00Z,91.25,nearly_ready,,,,,0,"),
        "{csv}"
    );
}

#[test]
fn svg_is_written_and_is_well_formed_xml() {
    let t = with_history(OURS).args([
        "history",
        "--svg",
        "chart.svg",
        "--categories",
        "--threshold",
        "85",
    ]);
    t.run().code(0).stdout_has("Wrote chart.svg.");
    let svg = t.read_string("chart.svg");
    assert_eq!(xml::check(&svg), Ok("svg".to_string()), "{svg}");
    assert!(svg.contains("<text"), "{svg}");
    assert!(svg.contains(">Target 85%</text>"), "{svg}");
    assert!(svg.contains("Docs &lt;b&gt;&amp;amp;&lt;/b&gt;"), "{svg}");
    assert!(svg.contains(">2026-11-24</text>"), "{svg}");
    // No external references: the only URL is the SVG namespace.
    assert_eq!(svg.matches("http").count(), 1, "{svg}");
    for needle in ["href", "<script", "<image", "@import", "url(", "<style"] {
        assert!(!svg.contains(needle), "{needle} in {svg}");
    }
    // Same history, same bytes.
    t.run().code(0);
    assert_eq!(t.read_string("chart.svg"), svg);
}

#[test]
fn svg_of_an_empty_history_is_well_formed() {
    let t = Test::new().args(["history", "--svg", "empty.svg"]);
    t.run().code(0);
    let svg = t.read_string("empty.svg");
    assert_eq!(xml::check(&svg), Ok("svg".to_string()), "{svg}");
}

#[test]
fn seed_file_with_bom_is_read_unchanged() {
    let t = with_history(SEED_WITH_BOM).args(["history", "--csv", "h.csv", "--svg", "h.svg"]);
    t.run()
        .code(0)
        .stdout_has("Trend (last 2): 📉 declining — 84.00% now, -3.5 since the entry before");
    assert_eq!(t.read_string(".cache/readiness.json"), SEED_WITH_BOM);
    let csv = t.read_string("h.csv");
    assert_eq!(
        csv,
        "timestamp,score,status,core_score,optional_score,deployment_score,signoff_score,blockers_count,ci_adjustment\n\
         2024-12-15T09:00:00,87.5,minor_blockers,87.5,87.5,75.0,78.6,3,-2.0\n\
         2024-12-16T09:00:00,84.0,in_progress,87.5,75.0,75.0,78.6,4,0.0\n"
    );
    assert!(xml::check(&t.read_string("h.svg")).is_ok());
}

#[test]
fn corrupt_history_exits_2_and_writes_nothing() {
    for (broken, expected) in [
        (&OURS[..OURS.len() - 30], "looks truncated"),
        ("{\"score\": 1}", "must contain a JSON array"),
        ("[1, 2]", "element 0 of the array is a number"),
        ("[{\"score\": 1}, {\"a\": NaN}]", "at line 1 column 22"),
    ] {
        let t = with_history(broken).args(["history", "--csv", "h.csv", "--svg", "h.svg"]);
        let before = t.snapshot();
        t.run()
            .code(2)
            .stderr_has("history file .cache/readiness.json")
            .stderr_has(expected);
        assert_eq!(t.snapshot(), before, "{broken}");
    }
    let t = with_history(b"[{\"score\": \"\xFF\"}]").args(["history", "--csv", "h.csv"]);
    t.run().code(2).stderr_has("line 1, byte offset 12");
    assert!(!t.exists("h.csv"));
}

#[test]
fn outputs_may_not_replace_the_history() {
    let t = with_history(OURS).args(["history", "--csv", ".cache/readiness.json"]);
    let before = t.snapshot();
    t.run()
        .code(2)
        .stderr_has("would overwrite .cache/readiness.json");
    assert_eq!(t.snapshot(), before);
    let t = with_history(OURS).args(["history", "--csv", "x", "--svg", "./x"]);
    t.run().code(2).stderr_has("would overwrite x");
    assert!(!t.exists("x"));
}

#[test]
fn unwritable_output_exits_1() {
    let t = with_history(OURS)
        .file("blocker", "a file, not a directory")
        .args(["history", "--csv", "blocker/h.csv"]);
    t.run().code(1).stderr_has("blocker/h.csv");
}

#[test]
fn history_path_comes_from_flag_env_or_config() {
    let config = "history = 'state/h.json'\n[thresholds]\ngate = 75\n";
    let t = Test::new()
        .file("conf/rd.toml", config)
        .file("conf/state/h.json", OURS)
        .args(["history", "--config", "conf/rd.toml", "--svg", "c.svg"]);
    t.run()
        .code(0)
        .stdout_has("History: conf/state/h.json — 5 entries");
    assert!(t.read_string("c.svg").contains(">Target 75%</text>"));
    let t = Test::new()
        .file("elsewhere.json", OURS)
        .env("RELEASE_DASHBOARD_HISTORY", "elsewhere.json")
        .args(["history"]);
    t.run()
        .code(0)
        .stdout_has("History: elsewhere.json — 5 entries");
    let t = Test::new()
        .file("a.json", OURS)
        .file(".release-dashboard.toml", "history = 'missing.json'\n")
        .args(["history", "--history", "a.json"]);
    t.run().code(0).stdout_has("History: a.json — 5 entries");
}

#[test]
fn bad_flags_exit_2() {
    Test::new()
        .args(["history", "--lookback", "1"])
        .run()
        .code(2)
        .stderr_has("--lookback");
    Test::new()
        .args(["history", "--categories"])
        .run()
        .code(2)
        .stderr_has("--svg");
    // Update flags and the subcommand do not mix.
    Test::new().args(["--offline", "history"]).run().code(2);
}

#[test]
fn quiet_prints_nothing_but_still_writes() {
    let t = with_history(OURS).args(["history", "-q", "--csv", "h.csv"]);
    let run = t.run();
    run.code(0);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(t.exists("h.csv"));
}

proptest::proptest! {
    #[test]
    fn svg_is_well_formed_for_any_names_and_timestamps(
        names in proptest::collection::vec("\\PC{0,12}|[<>&\"'\u{0}-\u{1f}\u{fffe}\u{ffff}]{1,4}", 1..4),
        stamps in proptest::collection::vec(proptest::option::of("\\PC{0,24}"), 2..5),
        scores in proptest::collection::vec(-50.0f64..150.0, 2..5),
    ) {
        use release_dashboard::render::svg::{Options, chart};
        use release_dashboard::core::history::trend::recent;
        let entries: Vec<serde_json::Map<String, serde_json::Value>> = stamps
            .iter()
            .zip(&scores)
            .map(|(stamp, score)| {
                let categories: serde_json::Map<String, serde_json::Value> =
                    names.iter().map(|n| (n.clone(), serde_json::json!(score))).collect();
                serde_json::json!({"timestamp": stamp, "score": score, "categories": categories})
                    .as_object()
                    .cloned()
                    .unwrap()
            })
            .collect();
        let svg = chart(&recent(&entries, 500), 90.0, Options { categories: true });
        proptest::prop_assert_eq!(xml::check(&svg), Ok("svg".to_string()));
    }
}
