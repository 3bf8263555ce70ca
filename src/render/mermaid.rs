//! A Mermaid `xychart-beta` line chart of the scores, fenced for Markdown
//! (pure). GitHub renders it in place of the code block.
//!
//! Nothing from the history file is copied as text: labels are built from
//! the timestamp's date digits only, and values are numbers we format.
//!
//! The chart sets its own colours in an `%%{init: …}%%` block, because
//! Mermaid's default palette draws the first line `#ECECFF` on white
//! (contrast about 1.2:1). It is drawn on its own white card with dark
//! text, so it reads the same in GitHub's light and dark themes: the score
//! line is [`SCORE_COLOUR`] (5.2:1 on white), the target line a lighter
//! grey. At most [`MAX_LABELS`] x labels are written (the newest always);
//! the others are blank, so 30 dates do not smear into each other. Scores
//! are clamped to the 0–100 axis like the SVG and HTML charts.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::core::history::trend::Scored;
use crate::render::{entry_date, fmt_num};

/// The x label of an entry without a dated timestamp.
const UNDATED: &str = "no date";

/// At most this many x labels carry text.
pub const MAX_LABELS: usize = 8;

/// The score line: GitHub's blue, 5.2:1 against the white card.
pub const SCORE_COLOUR: &str = "#0969da";

/// The target line: a mid grey, visible but quieter than the score.
pub const TARGET_COLOUR: &str = "#8c959f";

/// The theme block: a white card, dark text and axes, our two line colours.
/// `theme: base` so no built-in theme (GitHub picks `dark` in dark mode)
/// recolours what we set.
pub const INIT: &str = concat!(
    r#"%%{init: {"theme": "base", "themeVariables": {"xyChart": {"#,
    r##""backgroundColor": "#ffffff", "titleColor": "#1f2328", "##,
    r##""xAxisLabelColor": "#1f2328", "xAxisTitleColor": "#1f2328", "##,
    r##""xAxisTickColor": "#57606a", "xAxisLineColor": "#57606a", "##,
    r##""yAxisLabelColor": "#1f2328", "yAxisTitleColor": "#1f2328", "##,
    r##""yAxisTickColor": "#57606a", "yAxisLineColor": "#57606a", "##,
    r##""plotColorPalette": "#0969da, #8c959f"}}}}%%"##
);

/// A fenced `mermaid` block: the [`INIT`] theme, then the scores of
/// `points` (oldest first) as one line and `threshold` as a second, flat
/// line, on a 0–100 axis (values clamped to it). The x labels are the
/// entries' dates as `MM-DD`; a date seen before gets a ` (2)`, ` (3)`, …
/// suffix, because Mermaid's category axis (a d3 band scale) would put
/// equal labels at one position. Only [`MAX_LABELS`] of them are written;
/// the others are invisible and of different lengths (still distinct).
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
/// assert!(block.starts_with("```mermaid\n%%{init: "));
/// assert!(block.contains("\nxychart-beta\n"));
/// assert!(block.contains(r#"x-axis ["12-15", "11-24"]"#));
/// assert!(block.contains("line [87.5, 84.11]\n    line [90, 90]\n"));
/// ```
#[must_use]
pub fn chart(points: &[Scored<'_>], threshold: f64) -> String {
    let labels: Vec<String> = thin(labels(points))
        .iter()
        .map(|label| format!("\"{label}\""))
        .collect();
    let scores: Vec<String> = points.iter().map(|p| fmt_num(clamp(p.score))).collect();
    let target = vec![fmt_num(clamp(threshold)); points.len()];
    let runs = if points.len() == 1 { "run" } else { "runs" };
    let mut out = format!("```mermaid\n{INIT}\nxychart-beta\n");
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

/// `value` on the chart's 0–100 axis (a non-number counts as 0).
fn clamp(value: f64) -> f64 {
    if value.is_nan() {
        0.0
    } else {
        value.clamp(0.0, 100.0)
    }
}

/// An invisible label character that Mermaid does not trim away (it trims
/// spaces, and all-space labels then collapse onto one band position):
/// U+2800 BRAILLE PATTERN BLANK, a printable character that draws nothing.
const BLANK: char = '\u{2800}';

/// Keep at most [`MAX_LABELS`] labels, evenly spaced and counted back from
/// the newest (which is always kept); the others become runs of [`BLANK`]
/// of increasing length, so every category stays distinct.
fn thin(labels: Vec<String>) -> Vec<String> {
    let n = labels.len();
    if n <= MAX_LABELS {
        return labels;
    }
    let step = n.div_ceil(MAX_LABELS);
    let mut blanks = 0;
    labels
        .into_iter()
        .enumerate()
        .map(|(i, label)| {
            if (n - 1 - i).is_multiple_of(step) {
                label
            } else {
                blanks += 1;
                BLANK.to_string().repeat(blanks)
            }
        })
        .collect()
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

    /// The labels written on the x axis, in order.
    fn x_labels(block: &str) -> Vec<String> {
        let line = block
            .lines()
            .find_map(|l| l.trim().strip_prefix("x-axis ["))
            .unwrap();
        let inner = line.strip_suffix(']').unwrap();
        serde_json::from_str::<Vec<String>>(&format!("[{inner}]")).unwrap()
    }

    #[test]
    fn sets_its_own_high_contrast_theme() {
        let list = entries(json!([{"score": 1}, {"score": 2.5}]));
        let block = chart(&recent(&list, 30), 90.0);
        let init = block.lines().nth(1).unwrap();
        assert_eq!(init, INIT);
        let json_part = init
            .strip_prefix("%%{init: ")
            .and_then(|s| s.strip_suffix("}%%"))
            .unwrap();
        let config: serde_json::Value = serde_json::from_str(json_part).unwrap();
        let xy = &config["themeVariables"]["xyChart"];
        assert_eq!(config["theme"], "base");
        assert_eq!(xy["backgroundColor"], "#ffffff");
        let palette = xy["plotColorPalette"].as_str().unwrap();
        assert!(
            palette.starts_with(SCORE_COLOUR),
            "score line first: {palette}"
        );
        // WCAG contrast of the score line on the white card ≥ 4.5:1.
        assert!(contrast(SCORE_COLOUR, "#ffffff") >= 4.5);
        assert!(contrast("#1f2328", "#ffffff") >= 7.0, "text");
        // The target line is quieter than the score line.
        assert!(contrast(TARGET_COLOUR, "#ffffff") < contrast(SCORE_COLOUR, "#ffffff"));
    }

    fn contrast(a: &str, b: &str) -> f64 {
        fn luminance(hex: &str) -> f64 {
            let channel = |i: usize| {
                let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
                if v <= 0.039_28 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
        }
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn thirty_labels_are_thinned_to_a_readable_count() {
        let list: Vec<Entry> = (0..30)
            .map(|i| {
                serde_json::from_value(json!({
                    "timestamp": format!("2026-11-{:02}T09:00:00Z", i % 28 + 1),
                    "score": 50 + i
                }))
                .unwrap()
            })
            .collect();
        let block = chart(&recent(&list, 30), 90.0);
        let labels = x_labels(&block);
        assert_eq!(labels.len(), 30);
        let written: Vec<&String> = labels
            .iter()
            .filter(|l| !l.chars().all(|c| c == BLANK))
            .collect();
        assert!(
            written.len() <= MAX_LABELS && written.len() >= MAX_LABELS - 1,
            "{labels:?}"
        );
        assert_eq!(
            labels.last().unwrap(),
            "11-02 (2)",
            "the newest keeps its label"
        );
        let mut distinct = labels.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 30, "band scale needs distinct labels");
        // Short histories keep every label.
        let short = entries(json!([{"score": 1}, {"score": 2}]));
        assert_eq!(
            x_labels(&chart(&recent(&short, 30), 90.0)),
            ["no date", "no date (2)"]
        );
    }

    #[test]
    fn values_are_clamped_to_the_axis() {
        let list = entries(json!([{"score": 130.5}, {"score": -20}, {"score": 55}]));
        let block = chart(&recent(&list, 30), 120.0);
        assert!(block.contains("line [100, 0, 55]\n"), "{block}");
        assert!(block.contains("line [100, 100, 100]\n"), "{block}");
    }
}
