//! Turning the model into text: Markdown blocks, terminal output, JSON,
//! the PR comment, the Slack alert, the HTML report and the history's
//! pictures (sparkline, Mermaid chart, SVG).

pub mod actions;
pub mod escape;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod history;
pub mod html;
pub mod inspect;
pub mod json;
pub mod limit;
pub mod markdown;
pub mod mermaid;
pub mod portfolio;
pub mod pr_comment;
pub mod slack;
pub mod sparkline;
pub mod svg;
pub mod terminal;

use crate::core::ci::{CiHealth, WorkflowHealth, format_duration};
use crate::core::history::trend::{Direction, Trend, round1};
use crate::core::report::CiSource;
use crate::core::score::{CategoryScore, Score};

/// `value` with exactly `decimals` decimals ("87.5", "84.11"), rounded like
/// Python's `round(value, decimals)` and so like [`crate::core::score::round2`]
/// and [`round1`]: the binary value rounded correctly, exact ties to even
/// (3.125 → "3.12"). Never "-0.0".
pub fn fmt_pct(value: f64, decimals: usize) -> String {
    let s = format!("{value:.decimals$}");
    // Avoid "-0.0" for tiny negative rounding noise.
    match s.strip_prefix('-') {
        Some(magnitude) if magnitude.chars().all(|c| c == '0' || c == '.') => magnitude.to_owned(),
        _ => s,
    }
}

/// `value` with up to two decimals and no trailing zeros ("90", "92.5"),
/// rounded like [`fmt_pct`].
pub fn fmt_num(value: f64) -> String {
    let s = fmt_pct(value, 2);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// "+2.5", "-1.0", "+0.0": rounded like [`round1`], always signed, never
/// "-0.0".
#[must_use]
pub fn fmt_signed(change: f64) -> String {
    let magnitude = fmt_pct(round1(change).abs(), 1);
    let sign = if change < 0.0 && magnitude != "0.0" {
        "-"
    } else {
        "+"
    };
    format!("{sign}{magnitude}")
}

/// The trend's emoji and word, agreeing with the sign of the last change
/// shown beside it. The direction is judged over a window of runs, so it
/// can be "improving" while the last run dropped; then the words say both,
/// led by the last change: "📉 down after rising" (or "📈 up after
/// falling"), never "📈 improving" beside "-13.5".
pub(crate) fn trend_words(t: &Trend) -> String {
    let shown = fmt_signed(t.change);
    let fell = shown.starts_with('-');
    let rose = !fell && shown != "+0.0";
    match t.trend {
        Direction::Improving if fell => "📉 down after rising".to_string(),
        Direction::Declining if rose => "📈 up after falling".to_string(),
        _ => format!("{} {}", t.trend_emoji, t.trend.as_str()),
    }
}

/// "2026-11-24 09:00 UTC".
pub fn fmt_time(ts: jiff::Timestamp) -> String {
    ts.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

/// The `YYYY-MM-DD` date at the start of a history timestamp, taken as
/// written: `2024-12-15T09:00:00` (the seed's naive local time) and
/// `2026-11-24T09:00:00Z` both work. `None` when the timestamp is missing or
/// does not start with a date, so no other text from the file gets through.
pub fn entry_date(timestamp: Option<&str>) -> Option<&str> {
    let date = timestamp?.get(..10)?;
    let shape_ok = date.char_indices().all(|(i, c)| match i {
        4 | 7 => c == '-',
        _ => c.is_ascii_digit(),
    });
    shape_ok.then_some(date)
}

/// A category's share of the weight actually used (categories without
/// items give theirs away), in percent.
pub fn share_of_weight(score: &Score, category: &CategoryScore) -> f64 {
    let used: f64 = score
        .categories
        .iter()
        .filter(|c| c.score.is_some())
        .map(|c| c.weight)
        .sum();
    if used > 0.0 && category.score.is_some() {
        category.weight / used * 100.0
    } else {
        0.0
    }
}

/// The window's success rate in words, the same in every renderer:
/// "92.3% success", or "no finished runs to rate".
pub(crate) fn success_phrase(health: &CiHealth) -> String {
    health
        .success_rate
        .map_or("no finished runs to rate".to_string(), |r| {
            format!("{}% success", fmt_pct(r, 1))
        })
}

/// The window's health with its counts, for the CI summary line of the
/// Markdown block, the PR comment and Slack: "🟢 Healthy — 92.3% success
/// (12 passed · 1 failed · 0 other)".
pub(crate) fn health_counts(health: &CiHealth) -> String {
    format!(
        "{} {} — {} ({} passed · {} failed · {} other)",
        health.health.emoji(),
        health.health.label(),
        success_phrase(health),
        fmt_count(health.success),
        fmt_count(health.failed),
        fmt_count(health.other)
    )
}

/// At most this many other branches are named by [`other_branches_note`].
const BRANCHES_NAMED: usize = 5;

/// For an empty window, where the runs are instead: "no runs on main; the
/// runs file holds runs on master (12), dev (3)". `None` when the window
/// has runs or there are no runs on other branches. Branch names go
/// through `escape` (the target syntax's escaping function).
pub(crate) fn other_branches_note(
    health: &CiHealth,
    source: CiSource,
    escape: fn(&str) -> String,
) -> Option<String> {
    if health.runs > 0 || health.other_branches.is_empty() {
        return None;
    }
    let mut named: Vec<String> = health
        .other_branches
        .iter()
        .take(BRANCHES_NAMED)
        .map(|b| format!("{} ({})", escape(&b.branch), fmt_count(b.runs)))
        .collect();
    let rest = health.other_branches.len().saturating_sub(BRANCHES_NAMED);
    if rest > 0 {
        named.push(format!(
            "{} more branch{}",
            fmt_count(rest),
            if rest == 1 { "" } else { "es" }
        ));
    }
    let holder = match source {
        CiSource::RunsFile => "the runs file holds",
        CiSource::Api => "the API returned",
    };
    Some(format!(
        "no runs on {}; {holder} runs on {}",
        escape(&health.branch),
        named.join(", ")
    ))
}

/// A count with thousands separators: "950", "4,531", "1,234,567". The one
/// formatter for counts in every human-facing output (JSON keeps numbers).
pub fn fmt_count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A workflow's pass rate for a table cell: "75% (3/4)", or "—".
pub(crate) fn pass_rate_cell(workflow: &WorkflowHealth) -> String {
    workflow.pass_rate.map_or("—".to_string(), |r| {
        format!(
            "{}% ({}/{})",
            fmt_pct(r, 0),
            workflow.success,
            workflow.success + workflow.failed
        )
    })
}

/// A workflow's latest run's duration and start for table cells ("—"
/// when unknown).
pub(crate) fn duration_and_start_cells(workflow: &WorkflowHealth) -> (String, String) {
    (
        workflow
            .latest
            .duration_seconds
            .map_or("—".to_string(), format_duration),
        workflow.latest.at.map_or("—".to_string(), fmt_time),
    )
}

/// "written ✅, CI ❌ failure (run #812)" for one drift entry, with the
/// conclusion escaped by `text` and the run linked by `link` (each
/// renderer's own escaping).
pub(crate) fn drift_detail(
    d: &crate::core::gates::Drift,
    text: impl Fn(&str) -> String,
    link: impl Fn(&str, Option<&str>) -> String,
) -> String {
    let run = d.run.as_ref().map_or(String::new(), |r| {
        let label = format!("run #{}", r.number.unwrap_or(r.id));
        format!(
            " {} ({})",
            text(r.conclusion.as_deref().unwrap_or("no conclusion")),
            link(&label, r.url.as_deref())
        )
    });
    format!("written {}, CI {}{run}", d.written.emoji(), d.ci.emoji())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn number_formats() {
        assert_eq!(fmt_pct(84.10714, 2), "84.11");
        assert_eq!(fmt_pct(75.0, 1), "75.0");
        assert_eq!(fmt_pct(-0.0001, 1), "0.0");
        assert_eq!(fmt_num(90.0), "90");
        assert_eq!(fmt_num(92.5), "92.5");
        assert_eq!(fmt_num(0.0), "0");
    }

    #[test]
    fn ties_round_like_python() {
        // python3 -c 'print(round(3.125, 2), round(0.25, 1), round(0.35, 1))'
        // → 3.12 0.2 0.3
        assert_eq!(fmt_pct(3.125, 2), "3.12");
        assert_eq!(fmt_num(3.125), "3.12");
        assert_eq!(fmt_pct(0.25, 1), "0.2");
        assert_eq!(fmt_pct(0.35, 1), "0.3");
        assert_eq!(fmt_pct(-0.25, 1), "-0.2");
        assert_eq!(fmt_pct(-0.004, 2), "0.00");
        assert_eq!(fmt_signed(0.25), "+0.2");
        assert_eq!(fmt_signed(-0.25), "-0.2");
    }

    #[test]
    fn fmt_pct_agrees_with_round2_and_round1() {
        use crate::core::score::round2;
        assert_eq!(round2(3.125), 3.12);
        assert_eq!(round1(0.25), 0.2);
        for i in -20_000..20_000 {
            // Every third-decimal tie and its neighbours, scaled.
            let x = f64::from(i) * 0.0125 + f64::from(i % 7) * 1e-9;
            assert_eq!(fmt_pct(x, 2), fmt_pct(round2(x), 2), "{x}");
            assert_eq!(fmt_pct(x, 1), fmt_pct(round1(x), 1), "{x}");
            assert_eq!(Some(round2(x)), fmt_pct(x, 2).parse::<f64>().ok(), "{x}");
        }
    }

    #[test]
    fn entry_dates() {
        assert_eq!(entry_date(Some("2024-12-15T09:00:00")), Some("2024-12-15"));
        assert_eq!(entry_date(Some("2026-11-24T09:00:00Z")), Some("2026-11-24"));
        assert_eq!(entry_date(Some("2026-11-24")), Some("2026-11-24"));
        assert_eq!(entry_date(Some("24-11-2026 09:00")), None);
        assert_eq!(entry_date(Some("2026-11-2")), None);
        assert_eq!(entry_date(Some("2026-11-2\u{e9}xx")), None);
        assert_eq!(entry_date(Some("")), None);
        assert_eq!(entry_date(None), None);
    }

    #[test]
    fn signed_changes() {
        assert_eq!(fmt_signed(2.5), "+2.5");
        assert_eq!(fmt_signed(-1.0), "-1.0");
        assert_eq!(fmt_signed(0.0), "+0.0");
        assert_eq!(fmt_signed(-0.04), "+0.0");
        // 90.36 − 84.11 = 6.25 (binary): Python's round(…, 1) gives 6.2.
        assert_eq!(fmt_signed(90.36 - 84.11), "+6.2");
        assert_eq!(fmt_signed(-0.05), "-0.1");
    }

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(fmt_count(0), "0");
        assert_eq!(fmt_count(950), "950");
        assert_eq!(fmt_count(4_950), "4,950");
        assert_eq!(fmt_count(1_234_567), "1,234,567");
    }

    #[test]
    fn the_trend_word_agrees_with_the_last_change() {
        use crate::core::history::trend::{Entry, recent};
        let trend_of = |scores: &[f64]| {
            let list: Vec<Entry> = scores
                .iter()
                .map(|s| serde_json::from_value(serde_json::json!({ "score": s })).unwrap())
                .collect();
            Trend::of(&recent(&list, 10), list.len()).unwrap()
        };
        // Rising over the window, but the last run fell by 13.5.
        let t = trend_of(&[50.0, 60.0, 70.0, 80.0, 90.0, 76.5]);
        assert_eq!(t.trend, Direction::Improving);
        assert_eq!(fmt_signed(t.change), "-13.5");
        assert_eq!(trend_words(&t), "📉 down after rising");
        let t = trend_of(&[90.0, 80.0, 70.0, 73.0]);
        assert_eq!(trend_words(&t), "📈 up after falling");
        let t = trend_of(&[70.0, 80.0, 90.0]);
        assert_eq!(trend_words(&t), "📈 improving");
        let t = trend_of(&[90.0, 80.0, 70.0]);
        assert_eq!(trend_words(&t), "📉 declining");
    }
}
