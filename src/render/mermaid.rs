//! A Mermaid `xychart-beta` line chart of the scores, fenced for Markdown
//! (pure). GitHub renders it in place of the code block.
//!
//! Nothing from the history file is copied as text: labels are built from
//! the timestamp's date digits only, and values are numbers we format.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::core::history::trend::Scored;
use crate::render::{entry_date, fmt_num};

/// The x label of an entry without a dated timestamp.
const UNDATED: &str = "no date";

/// A fenced `mermaid` block: the scores of `points` (oldest first) as one
/// line and `threshold` as a second, flat line, on a 0–100 axis. The x
/// labels are the entries' dates as `MM-DD`; a date seen before gets a
/// ` (2)`, ` (3)`, … suffix, because Mermaid's category axis (a d3 band
/// scale) would put equal labels at one position.
///
/// ```
/// use release_dashboard::render::mermaid::chart;
/// use release_dashboard::core::history::trend::recent;
///
/// let entries: Vec<serde_json::Map<String, serde_json::Value>> = serde_json::from_str(
///     r#"[{"timestamp": "2024-12-15T09:00:00", "score": 87.5},
///         {"timestamp": "2026-11-24T09:00:00Z", "score": 84.11}]"#,
/// ).unwrap();
/// let block = chart(&recent(&entries, 30), 90.0);
/// assert!(block.starts_with("```mermaid\nxychart-beta\n"));
/// assert!(block.contains(r#"x-axis ["12-15", "11-24"]"#));
/// assert!(block.contains("line [87.5, 84.11]\n    line [90, 90]\n"));
/// ```
#[must_use]
pub fn chart(points: &[Scored<'_>], threshold: f64) -> String {
    let labels: Vec<String> = labels(points)
        .iter()
        .map(|label| format!("\"{label}\""))
        .collect();
    let scores: Vec<String> = points.iter().map(|p| fmt_num(p.score)).collect();
    let target = vec![fmt_num(threshold); points.len()];
    let runs = if points.len() == 1 { "run" } else { "runs" };
    let mut out = String::from("```mermaid\nxychart-beta\n");
    let _ = writeln!(
        out,
        "    title \"Readiness score, last {} {runs}\"",
        points.len()
    );
    let _ = writeln!(out, "    x-axis [{}]", labels.join(", "));
    out.push_str("    y-axis \"Score\" 0 --> 100\n");
    let _ = writeln!(out, "    line [{}]", scores.join(", "));
    let _ = writeln!(out, "    line [{}]", target.join(", "));
    out.push_str("```\n");
    out
}

/// `MM-DD` (or [`UNDATED`]) per point, made unique with a counter.
fn labels(points: &[Scored<'_>]) -> Vec<String> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    points
        .iter()
        .map(|point| {
            let base = entry_date(point.timestamp())
                .and_then(|date| date.get(5..))
                .unwrap_or(UNDATED);
            let count = seen.entry(base).or_insert(0);
            *count += 1;
            if *count == 1 {
                base.to_owned()
            } else {
                format!("{base} ({count})")
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::core::history::trend::{Entry, recent};
    use serde_json::json;

    fn entries(value: serde_json::Value) -> Vec<Entry> {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn snapshot() {
        let list = entries(json!([
            {"timestamp": "2024-12-15T09:00:00", "score": 87.5, "ci_adjustment": -2.0},
            {"timestamp": "2026-11-23T09:00:00Z", "score": 84.11},
            {"timestamp": "2026-11-24T09:00:00Z", "score": 90.36},
            {"timestamp": "2026-11-24T17:30:00Z", "score": 92.0},
            {"timestamp": "2026-11-24T18:00:00Z", "score": 95},
            {"score": 96.5},
            {"timestamp": "<!-- READINESS_SCORE_END -->", "score": 100.0}
        ]));
        let block = chart(&recent(&list, 30), 90.0);
        insta::assert_snapshot!(block);
        assert!(!block.contains("<!--") && !block.contains("READINESS"));
    }

    #[test]
    fn same_input_same_bytes() {
        let list = entries(json!([{"score": 1}, {"score": 2.5}]));
        let window = recent(&list, 30);
        assert_eq!(chart(&window, 85.5), chart(&window, 85.5));
        assert!(chart(&window, 85.5).contains("line [85.5, 85.5]"));
    }
}
