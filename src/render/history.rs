//! What `release-dashboard history` prints (pure): the trend, a sparkline
//! and a small table of the newest entries for people, or one JSON object.

use std::fmt::Write as _;

use comfy_table::presets::UTF8_FULL;
use comfy_table::{Cell, CellAlignment, Table};
use serde::Serialize;
use serde_json::Value;

use crate::core::history::trend::{CategoryChange, Direction, Entry, Scored, Trend, recent};
use crate::render::escape::plain;
use crate::render::sparkline::sparkline;
use crate::render::{fmt_pct, fmt_signed, trend_words};

/// The sparkline shows this many of the newest scores (as in the checklist).
pub const SPARKLINE_POINTS: usize = 30;

/// The table shows at most this many of the newest scored entries.
const TABLE_ROWS: usize = 10;

/// The `--format json` document: one flat object with the seed's
/// `get_trend` fields at the top level. With fewer than 2 scored entries in
/// the window, `trend` and the other trend fields are `null`; `entries` and
/// `entries_analyzed` are numbers either way.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document<'a> {
    /// Version of this document's shape.
    pub schema_version: u32,
    /// The history file, as given.
    pub history: &'a str,
    /// The window asked for.
    pub lookback: usize,
    /// Entries without a numeric `score` (skipped by the trend).
    pub unscored: usize,
    /// The newest score.
    pub current: Option<f64>,
    /// The score before it.
    pub previous: Option<f64>,
    /// `current − previous`, rounded to 1 decimal.
    pub change: Option<f64>,
    /// `improving`, `declining` or `stable`.
    pub trend: Option<Direction>,
    /// 📈, 📉 or ➡️.
    pub trend_emoji: Option<&'static str>,
    /// The lowest score in the window.
    pub min: Option<f64>,
    /// The highest score in the window.
    pub max: Option<f64>,
    /// The window's mean score, rounded to 1 decimal.
    pub avg: Option<f64>,
    /// Scored entries in the window (at most `lookback`).
    pub entries_analyzed: usize,
    /// All entries in the file, unscored ones included.
    pub entries: usize,
    /// Each category's current and previous score.
    pub categories: Option<Vec<CategoryChange>>,
}

/// The JSON document for the history at `shown`.
#[must_use]
pub fn document<'a>(shown: &'a str, entries: &[Entry], lookback: usize) -> Document<'a> {
    let window = recent(entries, lookback);
    let trend = Trend::of(&window, entries.len());
    Document {
        schema_version: 1,
        history: shown,
        lookback,
        unscored: unscored(entries),
        current: trend.as_ref().map(|t| t.current),
        previous: trend.as_ref().map(|t| t.previous),
        change: trend.as_ref().map(|t| t.change),
        trend: trend.as_ref().map(|t| t.trend),
        trend_emoji: trend.as_ref().map(|t| t.trend_emoji),
        min: trend.as_ref().map(|t| t.min),
        max: trend.as_ref().map(|t| t.max),
        avg: trend.as_ref().map(|t| t.avg),
        entries_analyzed: window.len(),
        entries: entries.len(),
        categories: trend.map(|t| t.categories),
    }
}

/// The text view: a heading, the trend (or why there is none), the
/// sparkline, the newest entries and the category changes.
#[must_use]
pub fn text(shown: &str, entries: &[Entry], lookback: usize) -> String {
    let unscored = unscored(entries);
    let trend = crate::core::history::trend::trend(entries, lookback);
    let mut out = format!(
        "History: {} — {} entr{}\n",
        plain(shown),
        entries.len(),
        if entries.len() == 1 { "y" } else { "ies" }
    );
    if unscored > 0 {
        let _ = writeln!(out, "({unscored} without a numeric score, skipped)");
    }
    if let Some(trend) = &trend {
        trend_lines(&mut out, trend);
    } else {
        let scored = entries.len() - unscored;
        let _ = writeln!(
            out,
            "Not enough history for a trend: {scored} scored entr{} (at least 2 are needed).",
            if scored == 1 { "y" } else { "ies" }
        );
    }
    let recent_scores: Vec<f64> = recent(entries, SPARKLINE_POINTS)
        .iter()
        .map(|s| s.score)
        .collect();
    if recent_scores.len() >= 2 {
        let _ = writeln!(
            out,
            "Last {}: {}",
            recent_scores.len(),
            sparkline(&recent_scores)
        );
    }
    let rows = recent(entries, TABLE_ROWS + 1);
    if !rows.is_empty() {
        let _ = writeln!(out, "{}", entry_table(&rows));
    }
    if let Some(trend) = trend.as_ref().filter(|t| !t.categories.is_empty()) {
        let _ = writeln!(out, "{}", category_table(trend));
    }
    out
}

/// Entries without a usable score.
fn unscored(entries: &[Entry]) -> usize {
    entries
        .iter()
        .filter(|entry| Scored::new(entry).is_none())
        .count()
}

/// "Trend (last 10): 📈 improving — …" and the min/max/avg line.
fn trend_lines(out: &mut String, t: &Trend) {
    let _ = writeln!(
        out,
        "Trend (last {}): {} — {}% now, {} since the entry before",
        t.entries_analyzed,
        trend_words(t),
        fmt_pct(t.current, 2),
        fmt_signed(t.change)
    );
    let _ = writeln!(
        out,
        "Range: min {}% · max {}% · avg {}%",
        fmt_pct(t.min, 2),
        fmt_pct(t.max, 2),
        fmt_pct(t.avg, 1)
    );
}

/// The newest entries, oldest first; `rows` holds one extra leading entry
/// (when there is one) to compute the first row's change from.
fn entry_table(rows: &[Scored<'_>]) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL)
        .set_header(["Timestamp", "Score", "Change", "Status", "Blockers"]);
    let skip = rows.len().saturating_sub(TABLE_ROWS);
    for (i, row) in rows.iter().enumerate().skip(skip) {
        let change = i
            .checked_sub(1)
            .and_then(|before| rows.get(before))
            .map_or_else(|| "—".to_owned(), |b| fmt_signed(row.score - b.score));
        table.add_row([
            Cell::new(plain(row.timestamp().unwrap_or("—"))),
            right(format!("{}%", fmt_pct(row.score, 2))),
            right(change),
            Cell::new(plain(text_of(row.entry.get("status")).as_str())),
            right(text_of(row.entry.get("blockers_count"))),
        ]);
    }
    table
}

/// Each category's previous and current score.
fn category_table(t: &Trend) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL)
        .set_header(["Category", "Previous", "Current", "Change"]);
    let pct = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| format!("{}%", fmt_pct(v, 1)));
    for c in &t.categories {
        table.add_row([
            Cell::new(plain(&c.name)),
            right(pct(c.previous)),
            right(pct(c.current)),
            right(c.change.map_or_else(|| "—".to_owned(), fmt_signed)),
        ]);
    }
    table
}

/// A right-aligned cell.
fn right(text: String) -> Cell {
    Cell::new(text).set_alignment(CellAlignment::Right)
}

/// A JSON value as table text: strings bare, `—` for null or missing.
fn text_of(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "—".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entries(value: Value) -> Vec<Entry> {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn text_view_snapshot() {
        let list = entries(json!([
            {"timestamp": "2024-12-15T09:00:00", "score": 80.0, "status": "in_progress",
             "core_score": 75.0, "blockers_count": 3, "ci_adjustment": -2.0},
            {"timestamp": "2026-11-22T09:00:00Z", "score": "broken"},
            {"timestamp": "2026-11-23T09:00:00Z", "score": 84.11, "status": "in_progress",
             "blockers_count": 1, "categories": {"Core Gates": 87.5}},
            {"timestamp": "2026-11-24T09:00:00Z", "score": 90.36, "status": "nearly_ready\u{1b}[2J",
             "blockers_count": 0, "categories": {"Core Gates": 100.0, "Docs": null}}
        ]));
        let view = text(".cache/readiness.json", &list, 10);
        assert!(!view.contains('\u{1b}'));
        insta::assert_snapshot!(view);
    }

    #[test]
    fn too_little_history_says_so() {
        let list = entries(json!([{"timestamp": "2026-11-24T09:00:00Z", "score": 50}]));
        let view = text("h.json", &list, 10);
        assert!(
            view.contains(
                "Not enough history for a trend: 1 scored entry (at least 2 are needed)."
            ),
            "{view}"
        );
        assert!(view.contains("50.00%"), "{view}");
        let doc = serde_json::to_value(document("h.json", &list, 10)).unwrap();
        assert_eq!(doc["trend"], Value::Null);
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
            assert_eq!(doc.get(key), Some(&Value::Null), "{key}");
        }
        assert_eq!(doc["entries"], 1);
        assert_eq!(doc["entries_analyzed"], 1);
        let empty = text("h.json", &[], 10);
        assert!(empty.contains("0 entries") && empty.contains("0 scored entries"));
    }

    #[test]
    fn json_is_one_flat_object_in_the_documented_order() {
        let list = entries(json!([
            {"score": 80.0, "categories": {"Core Gates": 75.0}},
            {"score": null},
            {"score": 83.125, "categories": {"Core Gates": 87.5}}
        ]));
        let doc = serde_json::to_value(document("h.json", &list, 10)).unwrap();
        let keys: Vec<&str> = doc
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
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
        assert_eq!(doc["trend"], "improving");
        assert_eq!(doc["trend_emoji"], "📈");
        // 3.125 → 3.1 and mean 81.5625 → 81.6, as Python's round(x, 1).
        assert_eq!(
            (doc["change"].as_f64(), doc["avg"].as_f64()),
            (Some(3.1), Some(81.6))
        );
        assert_eq!(
            (doc["entries_analyzed"].as_u64(), doc["entries"].as_u64()),
            (Some(2), Some(3))
        );
        assert_eq!(doc["unscored"], 1);
        assert_eq!(
            doc["categories"],
            json!([{"name": "Core Gates", "current": 87.5, "previous": 75.0, "change": 12.5}])
        );
    }

    #[test]
    fn table_keeps_the_newest_rows() {
        let list: Vec<Entry> = (0..15)
            .map(|i| json!({"score": f64::from(i)}).as_object().cloned().unwrap())
            .collect();
        let view = text("h.json", &list, 10);
        assert!(
            !view.contains(" 4.00%") && view.contains(" 5.00%"),
            "{view}"
        );
        assert!(view.contains("Last 15: "), "{view}");
    }
}
