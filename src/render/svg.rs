//! A standalone SVG line chart of the score over time (pure): hand-written
//! SVG 1.1, no scripts, no fonts or images to load, no external references.
//!
//! The points are spaced evenly (one step per recorded run, whatever the
//! time between runs). With [`Options::categories`], up to six categories
//! get a thin line each (the first six seen, oldest entry first). The y axis is fixed at 0–100 %; a value outside it
//! is drawn at the edge (its label in the description is exact). Text from
//! the history file (category names) is XML-escaped, and characters XML 1.0
//! cannot hold are dropped.

use crate::render::escape::markup as escape;
use std::collections::HashMap;
use std::fmt::Write as _;

use crate::core::history::trend::Scored;
use crate::render::{entry_date, fmt_num};

/// The whole picture, in user units (pixels).
const WIDTH: f64 = 800.0;
const HEIGHT: f64 = 420.0;
/// The plot area's margins.
const LEFT: f64 = 64.0;
const RIGHT: f64 = 48.0;
const TOP: f64 = 72.0;
const BOTTOM: f64 = 64.0;
/// At most this many x-axis labels.
const X_LABELS: usize = 8;
/// Dots are drawn on the score line up to this many points.
const MAX_DOTS: usize = 60;
/// The score line, the threshold line, then the category lines in turn.
const SCORE_COLOUR: &str = "#0969da";
const TARGET_COLOUR: &str = "#cf222e";
const CATEGORY_COLOURS: [&str; 6] = [
    "#8250df", "#1a7f37", "#bc4c00", "#6e7781", "#bf3989", "#0a7b83",
];

/// What to draw besides the score and the threshold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// One thin line per category (from each entry's category scores).
    pub categories: bool,
}

/// The SVG document for `points` (oldest first) and `threshold`.
///
/// ```
/// use release_dashboard::render::svg::{Options, chart};
/// use release_dashboard::core::history::trend::recent;
///
/// let entries: Vec<serde_json::Map<String, serde_json::Value>> =
///     serde_json::from_str(r#"[{"score": 80}, {"score": 92.5}]"#).unwrap();
/// let svg = chart(&recent(&entries, 500), 90.0, Options::default());
/// assert!(svg.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "));
/// assert!(svg.contains("<text") && svg.trim_end().ends_with("</svg>"));
/// ```
#[must_use]
pub fn chart(points: &[Scored<'_>], threshold: f64, options: Options) -> String {
    let mut series = if options.categories {
        category_series(points)
    } else {
        Vec::new()
    };
    series.truncate(CATEGORY_COLOURS.len());
    let mut out = String::new();
    header(&mut out, points, threshold);
    grid(&mut out);
    x_labels(&mut out, points);
    target(&mut out, threshold);
    for ((_, values), colour) in series.iter().zip(CATEGORY_COLOURS) {
        line(&mut out, values, colour, 1.5, "");
    }
    let scores: Vec<Option<f64>> = points.iter().map(|p| Some(p.score)).collect();
    line(&mut out, &scores, SCORE_COLOUR, 2.5, "");
    dots(&mut out, points);
    legend(&mut out, threshold, &series);
    if points.is_empty() {
        let _ = writeln!(
            out,
            r#"  <text x="{}" y="{}" text-anchor="middle">No scored history entries yet</text>"#,
            num(LEFT + plot_width() / 2.0),
            num(TOP + plot_height() / 2.0)
        );
    }
    out.push_str("</svg>\n");
    out
}

/// The prolog, the root element, the accessible title and description,
/// the background and the heading.
fn header(out: &mut String, points: &[Scored<'_>], threshold: f64) {
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-labelledby="chart-title chart-desc" font-family="sans-serif" font-size="12" fill="#1f2328">"##,
        w = num(WIDTH),
        h = num(HEIGHT)
    );
    out.push_str("  <title id=\"chart-title\">Release readiness score</title>\n");
    let _ = writeln!(
        out,
        "  <desc id=\"chart-desc\">{}</desc>",
        escape(&describe(points, threshold))
    );
    let _ = writeln!(
        out,
        r##"  <rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>"##,
        num(WIDTH),
        num(HEIGHT)
    );
    let _ = writeln!(
        out,
        r#"  <text x="{}" y="28" font-size="18" font-weight="bold">Release readiness score</text>"#,
        num(LEFT)
    );
}

/// "12 runs from 2024-12-15 to 2026-11-24; latest 84.11%, target 90%."
fn describe(points: &[Scored<'_>], threshold: f64) -> String {
    let target = fmt_num(threshold);
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return format!("No scored history entries; target {target}%.");
    };
    let runs = if points.len() == 1 { "run" } else { "runs" };
    let span = match (entry_date(first.timestamp()), entry_date(last.timestamp())) {
        (Some(from), Some(to)) => format!(" from {from} to {to}"),
        _ => String::new(),
    };
    format!(
        "{} {runs}{span}; latest {}%, target {target}%.",
        points.len(),
        fmt_num(last.score)
    )
}

/// Horizontal grid lines with their labels, the axes and the axis titles.
fn grid(out: &mut String) {
    for value in [0.0, 25.0, 50.0, 75.0, 100.0] {
        let y = num(y_of(value));
        let _ = writeln!(
            out,
            r##"  <line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="#d0d7de" stroke-width="1"/>"##,
            num(LEFT),
            num(WIDTH - RIGHT)
        );
        let _ = writeln!(
            out,
            r#"  <text x="{}" y="{y}" dy="4" text-anchor="end">{}%</text>"#,
            num(LEFT - 8.0),
            fmt_num(value)
        );
    }
    let _ = writeln!(
        out,
        r##"  <path d="M{l} {t}V{b}H{r}" fill="none" stroke="#57606a" stroke-width="1"/>"##,
        l = num(LEFT),
        t = num(TOP),
        b = num(HEIGHT - BOTTOM),
        r = num(WIDTH - RIGHT)
    );
    let _ = writeln!(
        out,
        r#"  <text x="16" y="{y}" transform="rotate(-90 16 {y})" text-anchor="middle">Score (%)</text>"#,
        y = num(TOP + plot_height() / 2.0)
    );
    let _ = writeln!(
        out,
        r#"  <text x="{}" y="{}" text-anchor="middle">Run (date recorded)</text>"#,
        num(LEFT + plot_width() / 2.0),
        num(HEIGHT - 16.0)
    );
}

/// Up to [`X_LABELS`] dates under the x axis, first and last included.
fn x_labels(out: &mut String, points: &[Scored<'_>]) {
    for index in label_indices(points.len()) {
        let Some(point) = points.get(index) else {
            continue;
        };
        let label =
            entry_date(point.timestamp()).map_or_else(|| "no date".to_owned(), str::to_owned);
        let x = num(x_of(index, points.len()));
        let base = HEIGHT - BOTTOM;
        let _ = writeln!(
            out,
            r##"  <line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="#57606a" stroke-width="1"/>"##,
            num(base),
            num(base + 5.0)
        );
        let _ = writeln!(
            out,
            r#"  <text x="{x}" y="{}" text-anchor="middle" font-size="11">{label}</text>"#,
            num(base + 20.0)
        );
    }
}

/// Which point indices get an x label: all of them up to [`X_LABELS`],
/// else that many spread evenly from the first to the last.
fn label_indices(len: usize) -> Vec<usize> {
    if len <= X_LABELS {
        return (0..len).collect();
    }
    let mut indices: Vec<usize> = (0..X_LABELS)
        .map(|k| k * (len - 1) / (X_LABELS - 1))
        .collect();
    indices.dedup();
    indices
}

/// The dashed threshold line across the plot.
fn target(out: &mut String, threshold: f64) {
    let y = num(y_of(threshold));
    let _ = writeln!(
        out,
        r#"  <line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{TARGET_COLOUR}" stroke-width="1.5" stroke-dasharray="6 4"/>"#,
        num(LEFT),
        num(WIDTH - RIGHT)
    );
}

/// A polyline through the known values; a gap (`None`) breaks the line. A
/// value with gaps on both sides is drawn as a dot (a zero-length segment
/// with round caps).
fn line(out: &mut String, values: &[Option<f64>], colour: &str, width: f64, dash: &str) {
    let mut path = String::new();
    for (i, value) in values.iter().enumerate() {
        let Some(v) = value else {
            continue;
        };
        let joined = i > 0 && values.get(i - 1).is_some_and(Option::is_some);
        let command = if joined { 'L' } else { 'M' };
        let _ = write!(
            path,
            "{command}{} {}",
            num(x_of(i, values.len())),
            num(y_of(*v))
        );
        let continues = values.get(i + 1).is_some_and(Option::is_some);
        if !joined && !continues {
            path.push_str("h0");
        }
    }
    if path.is_empty() {
        return;
    }
    let dash = dash_attribute(dash);
    let _ = writeln!(
        out,
        r#"  <path d="{path}" fill="none" stroke="{colour}" stroke-width="{}" stroke-linejoin="round" stroke-linecap="round"{dash}/>"#,
        num(width)
    );
}

/// ` stroke-dasharray="…"` for a dashed line, nothing for a solid one.
fn dash_attribute(dash: &str) -> String {
    if dash.is_empty() {
        String::new()
    } else {
        format!(r#" stroke-dasharray="{dash}""#)
    }
}

/// A dot on every score, for short histories.
fn dots(out: &mut String, points: &[Scored<'_>]) {
    if points.len() > MAX_DOTS {
        return;
    }
    for (i, point) in points.iter().enumerate() {
        let _ = writeln!(
            out,
            r#"  <circle cx="{}" cy="{}" r="3" fill="{SCORE_COLOUR}"/>"#,
            num(x_of(i, points.len())),
            num(y_of(point.score))
        );
    }
}

/// The key, top right: score, target, then the categories.
fn legend(out: &mut String, threshold: f64, series: &[(String, Vec<Option<f64>>)]) {
    let mut keys = vec![
        ("Score".to_owned(), SCORE_COLOUR, ""),
        (
            format!("Target {}%", fmt_num(threshold)),
            TARGET_COLOUR,
            "6 4",
        ),
    ];
    for ((name, _), colour) in series.iter().zip(CATEGORY_COLOURS) {
        keys.push((name.clone(), colour, ""));
    }
    for (row, (name, colour, dash)) in keys.iter().enumerate() {
        let column = row % 4;
        let y = 44.0 + 16.0 * (row / 4) as f64;
        let x = LEFT + 180.0 * column as f64;
        let dash = dash_attribute(dash);
        let _ = writeln!(
            out,
            r#"  <line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{colour}" stroke-width="2"{dash}/>"#,
            num(x),
            num(y - 4.0),
            num(x + 20.0),
            num(y - 4.0)
        );
        let _ = writeln!(
            out,
            r#"  <text x="{}" y="{}">{}</text>"#,
            num(x + 26.0),
            num(y),
            escape(&shorten(name, 24))
        );
    }
}

/// Each category's values per point, categories in order of first
/// appearance. The chart draws the first [`CATEGORY_COLOURS`]`.len()` of
/// them, which keeps the legend to two rows.
fn category_series(points: &[Scored<'_>]) -> Vec<(String, Vec<Option<f64>>)> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut series: Vec<(String, Vec<Option<f64>>)> = Vec::new();
    for (i, point) in points.iter().enumerate() {
        for (name, value) in point.categories() {
            let slot = *index.entry(name).or_insert_with(|| {
                series.push((name.to_owned(), vec![None; points.len()]));
                series.len() - 1
            });
            if let Some(cell) = series.get_mut(slot).and_then(|(_, v)| v.get_mut(i)) {
                *cell = value.filter(|v| v.is_finite());
            }
        }
    }
    series
}

fn plot_width() -> f64 {
    WIDTH - LEFT - RIGHT
}

fn plot_height() -> f64 {
    HEIGHT - TOP - BOTTOM
}

/// The x coordinate of point `i` of `len` (a single point sits mid-plot).
fn x_of(i: usize, len: usize) -> f64 {
    if len < 2 {
        return LEFT + plot_width() / 2.0;
    }
    LEFT + plot_width() * i as f64 / (len - 1) as f64
}

/// The y coordinate of a score, clamped to the 0–100 axis.
fn y_of(value: f64) -> f64 {
    let clamped = if value.is_finite() {
        value.clamp(0.0, 100.0)
    } else {
        0.0
    };
    TOP + plot_height() * (100.0 - clamped) / 100.0
}

/// A coordinate with at most one decimal ("64", "133.5").
fn num(value: f64) -> String {
    let value = if value.abs() < 0.05 { 0.0 } else { value };
    let text = format!("{value:.1}");
    text.strip_suffix(".0").map_or(text.clone(), str::to_owned)
}

/// At most `limit` characters, with `…` when cut.
fn shorten(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(limit - 1).collect();
    short.push('…');
    short
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

    fn sample() -> Vec<Entry> {
        entries(json!([
            {"timestamp": "2024-12-15T09:00:00", "score": 80.0, "core_score": 75.0, "signoff_score": 78.6},
            {"timestamp": "2026-11-23T09:00:00Z", "score": 84.11,
             "categories": {"Core Gates": 87.5, "Docs <&> \"x\"\u{1}": null}},
            {"timestamp": "2026-11-24T09:00:00Z", "score": 104.0,
             "categories": {"Core Gates": 100.0, "Docs <&> \"x\"\u{1}": 50.0}}
        ]))
    }

    #[test]
    fn snapshot_with_categories() {
        let list = sample();
        let svg = chart(&recent(&list, 500), 90.0, Options { categories: true });
        insta::assert_snapshot!(svg);
    }

    #[test]
    fn untrusted_names_are_escaped() {
        let list = sample();
        let svg = chart(&recent(&list, 500), 90.0, Options { categories: true });
        assert!(
            svg.contains("Docs &lt;&amp;&gt; &quot;x&quot; </text>"),
            "{svg}"
        );
        assert!(!svg.contains('\u{1}'));
        assert!(!svg.contains("href") && !svg.contains("<script"));
    }

    #[test]
    fn empty_and_single_point_charts() {
        let none = chart(&[], 90.0, Options::default());
        assert!(none.contains("No scored history entries yet"));
        assert!(!none.contains("<circle"));
        let one = entries(json!([{"score": 50}]));
        let svg = chart(&recent(&one, 500), 90.0, Options::default());
        assert!(svg.contains(r#"<circle cx="408" "#), "{svg}");
    }

    #[test]
    fn at_most_six_category_lines() {
        let names: serde_json::Map<String, serde_json::Value> =
            (0..9).map(|i| (format!("C{i}"), json!(50))).collect();
        let list = entries(json!([{"score": 1, "categories": names}, {"score": 2}]));
        let svg = chart(&recent(&list, 500), 90.0, Options { categories: true });
        assert!(
            svg.contains(">C5</text>") && !svg.contains(">C6</text>"),
            "{svg}"
        );
        let plain = chart(&recent(&list, 500), 90.0, Options::default());
        assert!(!plain.contains(">C0</text>"));
    }

    #[test]
    fn labels_spread_from_first_to_last() {
        assert_eq!(label_indices(3), [0, 1, 2]);
        assert_eq!(label_indices(100), [0, 14, 28, 42, 56, 70, 84, 99]);
        assert_eq!(label_indices(9), [0, 1, 2, 3, 4, 5, 6, 8]);
    }

    #[test]
    fn numbers_and_names() {
        assert_eq!(num(64.0), "64");
        assert_eq!(num(133.25), "133.2");
        assert_eq!(num(-0.04), "0");
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(escape("a\u{FFFF}b\tc'"), "a b c&#39;");
    }
}
