//! The score trend of a history (pure): the seed tool's `get_trend` rules
//! over the newest entries.
//!
//! **Which entries count.** An entry takes part when its `score` is a JSON
//! number. Entries whose `score` is missing, `null`, a string or anything
//! else are *unscored*: the trend and the charts skip them (no value is
//! invented for them), but [`Trend::entries`] still counts them, and the CSV
//! export still has a row for each.
//!
//! **The rule.** Over the last `lookback` scored entries (oldest first):
//!
//! * 3 or more: the mean of the first half (`scores[..n / 2]`) is compared
//!   with the mean of the rest. More than 2 points up is
//!   [`Direction::Improving`], more than 2 points down is
//!   [`Direction::Declining`], anything else [`Direction::Stable`].
//! * exactly 2: the same with the last change and a margin of 1 point.
//! * fewer than 2: no trend.
//!
//! Differences are compared after rounding to 9 decimals, so floating-point
//! noise (`64.4 - 62.4 = 2.0000000000000071`) cannot tip a change of exactly
//! 2 (or 1) points over the edge.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::core::category::{DEFAULTS, SEED_KEYS};

/// The seed's default window: `get_trend(lookback=10)`.
pub const DEFAULT_LOOKBACK: usize = 10;

/// With 3 or more scores, the halves' means must differ by more than this.
const HALVES_MARGIN: f64 = 2.0;

/// With exactly 2 scores, the last change must exceed this.
const LAST_CHANGE_MARGIN: f64 = 1.0;

/// One history entry: a JSON object, unknown keys kept, key order preserved.
pub type Entry = Map<String, Value>;

/// A history entry with a usable score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored<'a> {
    /// The entry itself.
    pub entry: &'a Entry,
    /// Its `score`.
    pub score: f64,
}

impl<'a> Scored<'a> {
    /// `entry` if its `score` is a JSON number.
    #[must_use]
    pub fn new(entry: &'a Entry) -> Option<Scored<'a>> {
        let score = entry.get("score").and_then(Value::as_f64)?;
        score.is_finite().then_some(Scored { entry, score })
    }

    /// The entry's `timestamp` string, if it has one.
    #[must_use]
    pub fn timestamp(&self) -> Option<&'a str> {
        self.entry.get("timestamp").and_then(Value::as_str)
    }

    /// Category name → score (`None` when not a number), in the entry's
    /// order. Entries with a `categories` object use it; the seed tool's
    /// entries have `core_score`, `optional_score`, `deployment_score` and
    /// `signoff_score` instead, which are named like the default categories.
    #[must_use]
    pub fn categories(&self) -> Vec<(&'a str, Option<f64>)> {
        if let Some(Value::Object(map)) = self.entry.get("categories") {
            return map
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_f64()))
                .collect();
        }
        DEFAULTS
            .iter()
            .zip(SEED_KEYS)
            .filter_map(|((name, ..), key)| self.entry.get(key).map(|v| (*name, v.as_f64())))
            .collect()
    }
}

/// The newest `n` scored entries of `entries`, oldest first. Only the tail
/// is visited, so this is cheap on long histories.
pub fn recent<'a, I>(entries: I, n: usize) -> Vec<Scored<'a>>
where
    I: IntoIterator<Item = &'a Entry>,
    I::IntoIter: DoubleEndedIterator,
{
    let mut window: Vec<Scored<'a>> = entries
        .into_iter()
        .rev()
        .filter_map(Scored::new)
        .take(n)
        .collect();
    window.reverse();
    window
}

/// Where the score is heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Up by more than the margin.
    Improving,
    /// Down by more than the margin.
    Declining,
    /// Within the margin.
    Stable,
}

impl Direction {
    /// `improving`, `declining` or `stable`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Improving => "improving",
            Direction::Declining => "declining",
            Direction::Stable => "stable",
        }
    }

    /// 📈, 📉 or ➡️.
    #[must_use]
    pub fn emoji(self) -> &'static str {
        match self {
            Direction::Improving => "📈",
            Direction::Declining => "📉",
            Direction::Stable => "➡️",
        }
    }
}

/// The direction of `scores` (oldest first; the caller has cut the window),
/// or `None` for fewer than 2 scores.
///
/// ```
/// use release_dashboard::core::history::trend::{Direction, direction};
///
/// // Halves: mean(80, 81) = 80.5 vs mean(82, 83, 84) = 83 → +2.5.
/// assert_eq!(direction(&[80.0, 81.0, 82.0, 83.0, 84.0]), Some(Direction::Improving));
/// // Two scores: the last change, +1 exactly, is not more than 1.
/// assert_eq!(direction(&[80.0, 81.0]), Some(Direction::Stable));
/// assert_eq!(direction(&[80.0]), None);
/// ```
#[must_use]
pub fn direction(scores: &[f64]) -> Option<Direction> {
    match scores {
        [] | [_] => None,
        [previous, current] => Some(classify(current - previous, LAST_CHANGE_MARGIN)),
        _ => {
            let (first, rest) = scores.split_at(scores.len() / 2);
            Some(classify(mean(rest) - mean(first), HALVES_MARGIN))
        }
    }
}

/// Judge `difference` against `margin` (strictly more than the margin moves).
fn classify(difference: f64, margin: f64) -> Direction {
    let difference = without_noise(difference);
    if difference > margin {
        Direction::Improving
    } else if difference < -margin {
        Direction::Declining
    } else {
        Direction::Stable
    }
}

/// `x` rounded to 9 decimals.
fn without_noise(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

/// The arithmetic mean of a non-empty slice.
fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// `x` rounded to 1 decimal like Python's `round(x, 1)` (and
/// `format!("{x:.1}")`): the binary value rounded correctly, exact ties to
/// even, so 0.25 becomes 0.2 and 0.35 (really 0.34999…) becomes 0.3. Never
/// `-0.0`; non-finite values pass through.
#[must_use]
pub fn round1(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let rounded: f64 = format!("{x:.1}").parse().unwrap_or(x);
    if rounded == 0.0 { 0.0 } else { rounded }
}

/// One category's latest change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryChange {
    /// The category's name.
    pub name: String,
    /// Its score in the newest scored entry (`None`: absent or not a number).
    pub current: Option<f64>,
    /// Its score in the entry before.
    pub previous: Option<f64>,
    /// `current − previous`, 1 decimal, when both are known.
    pub change: Option<f64>,
}

/// The seed's `get_trend` result. Field names and JSON keys are the seed's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// The newest score.
    pub current: f64,
    /// The score before it.
    pub previous: f64,
    /// `current − previous`, rounded to 1 decimal.
    pub change: f64,
    /// The direction (see the module docs for the rule).
    pub trend: Direction,
    /// The direction's emoji.
    pub trend_emoji: &'static str,
    /// The lowest score in the window.
    pub min: f64,
    /// The highest score in the window.
    pub max: f64,
    /// The mean score of the window, rounded to 1 decimal.
    pub avg: f64,
    /// How many scored entries the window holds (at most the lookback).
    pub entries_analyzed: usize,
    /// How many entries the history holds, unscored ones included.
    pub entries: usize,
    /// Each category's current and previous score, newest entry's order
    /// first, then categories only the previous entry had.
    pub categories: Vec<CategoryChange>,
}

impl Trend {
    /// The trend of `window` (scored entries, oldest first, already cut to
    /// the lookback) in a history of `entries` entries; `None` for fewer
    /// than 2 scored entries.
    #[must_use]
    pub fn of(window: &[Scored<'_>], entries: usize) -> Option<Trend> {
        let [.., before, last] = window else {
            return None;
        };
        let scores: Vec<f64> = window.iter().map(|s| s.score).collect();
        let trend = direction(&scores)?;
        Some(Trend {
            current: last.score,
            previous: before.score,
            change: round1(last.score - before.score),
            trend,
            trend_emoji: trend.emoji(),
            min: scores.iter().copied().fold(f64::INFINITY, f64::min),
            max: scores.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            avg: round1(mean(&scores)),
            entries_analyzed: window.len(),
            entries,
            categories: category_changes(before, last),
        })
    }
}

/// The seed's `get_trend(lookback)` over `entries` (oldest first): the last
/// `lookback` scored entries; `None` when fewer than 2 of them exist.
///
/// ```
/// use release_dashboard::core::history::trend::{Direction, trend};
///
/// let entries: Vec<serde_json::Map<String, serde_json::Value>> = serde_json::from_str(
///     r#"[{"score": 80.0}, {"score": "n/a"}, {"score": 85.0}, {"score": 90.0}]"#,
/// ).unwrap();
/// let t = trend(&entries, 10).unwrap();
/// // Halves: [80] vs [85, 90] → +7.5. The "n/a" entry is skipped but counted.
/// assert_eq!(t.trend, Direction::Improving);
/// assert_eq!((t.current, t.previous, t.change), (90.0, 85.0, 5.0));
/// assert_eq!((t.entries_analyzed, t.entries), (3, 4));
/// assert!(trend(&entries[..2], 10).is_none());
/// ```
#[must_use]
pub fn trend(entries: &[Entry], lookback: usize) -> Option<Trend> {
    Trend::of(&recent(entries, lookback), entries.len())
}

/// Per-category scores of `last` against `before`.
fn category_changes(before: &Scored<'_>, last: &Scored<'_>) -> Vec<CategoryChange> {
    let old = before.categories();
    let new = last.categories();
    let lookup = |list: &[(&str, Option<f64>)], name: &str| {
        list.iter().find(|(n, _)| *n == name).and_then(|(_, v)| *v)
    };
    let names = new
        .iter()
        .map(|(name, _)| *name)
        .chain(old.iter().map(|(name, _)| *name))
        .fold(Vec::<&str>::new(), |mut names, name| {
            if !names.contains(&name) {
                names.push(name);
            }
            names
        });
    names
        .into_iter()
        .map(|name| {
            let current = lookup(&new, name);
            let previous = lookup(&old, name);
            CategoryChange {
                name: name.to_owned(),
                current,
                previous,
                change: current.zip(previous).map(|(c, p)| round1(c - p)),
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entries(scores: &[f64]) -> Vec<Entry> {
        scores
            .iter()
            .map(|s| json!({ "score": s }).as_object().cloned().unwrap())
            .collect()
    }

    fn direction_of(scores: &[f64]) -> Direction {
        trend(&entries(scores), DEFAULT_LOOKBACK).unwrap().trend
    }

    #[test]
    fn halves_edges_at_exactly_two_points() {
        // n = 4: [80, 80] vs [82, 82] → +2.0 exactly → stable.
        assert_eq!(direction_of(&[80.0, 80.0, 82.0, 82.0]), Direction::Stable);
        assert_eq!(direction_of(&[82.0, 82.0, 80.0, 80.0]), Direction::Stable);
        assert_eq!(
            direction_of(&[80.0, 80.0, 82.01, 82.01]),
            Direction::Improving
        );
        assert_eq!(
            direction_of(&[82.0, 82.0, 79.99, 79.99]),
            Direction::Declining
        );
    }

    #[test]
    fn halves_split_is_floor_half_first() {
        // n = 3: [80] vs [81, 83] → +2.0 → stable; [80] vs [81, 83.2] → +2.1.
        assert_eq!(direction_of(&[80.0, 81.0, 83.0]), Direction::Stable);
        assert_eq!(direction_of(&[80.0, 81.0, 83.2]), Direction::Improving);
        // n = 5: [90, 90] vs [88, 88, 87] → −2.33.
        assert_eq!(
            direction_of(&[90.0, 90.0, 88.0, 88.0, 87.0]),
            Direction::Declining
        );
    }

    #[test]
    fn two_entries_use_the_last_change_with_one_point() {
        assert_eq!(direction_of(&[80.0, 81.0]), Direction::Stable);
        assert_eq!(direction_of(&[81.0, 80.0]), Direction::Stable);
        assert_eq!(direction_of(&[80.0, 81.01]), Direction::Improving);
        assert_eq!(direction_of(&[81.0, 79.99]), Direction::Declining);
    }

    #[test]
    fn float_noise_does_not_tip_the_edges() {
        // The premise: these differences are a hair over the margins.
        let hair = |a: f64, b: f64| std::hint::black_box(b) - std::hint::black_box(a);
        assert!(hair(62.4, 64.4) > 2.0);
        assert!(hair(63.43, 64.43) > 1.0);
        assert_eq!(direction_of(&[62.4, 64.4, 64.4]), Direction::Stable);
        assert_eq!(direction_of(&[64.4, 62.4, 62.4]), Direction::Stable);
        assert_eq!(direction_of(&[63.43, 64.43]), Direction::Stable);
        assert_eq!(direction_of(&[64.43, 63.43]), Direction::Stable);
    }

    #[test]
    fn fields_follow_the_seed() {
        let t = trend(&entries(&[70.0, 72.5, 71.25, 90.0]), 10).unwrap();
        assert_eq!(t.current, 90.0);
        assert_eq!(t.previous, 71.25);
        assert_eq!(t.change, 18.8);
        assert_eq!((t.min, t.max), (70.0, 90.0));
        assert_eq!(t.avg, 75.9);
        assert_eq!((t.entries_analyzed, t.entries), (4, 4));
        assert_eq!(t.trend_emoji, "📈");
        let json = serde_json::to_value(&t).unwrap();
        assert_eq!(json["trend"], "improving");
        assert_eq!(json["change"], 18.8);
        assert_eq!(json["categories"], json!([]));
    }

    #[test]
    fn lookback_cuts_the_window_to_the_newest_entries() {
        let t = trend(&entries(&[10.0, 90.0, 90.0, 90.0]), 3).unwrap();
        assert_eq!(t.trend, Direction::Stable);
        assert_eq!((t.min, t.entries_analyzed, t.entries), (90.0, 3, 4));
        assert!(trend(&entries(&[10.0, 90.0]), 1).is_none());
        assert!(trend(&entries(&[10.0, 90.0]), 0).is_none());
    }

    #[test]
    fn too_few_entries_have_no_trend() {
        assert!(trend(&[], 10).is_none());
        assert!(trend(&entries(&[50.0]), 10).is_none());
    }

    #[test]
    fn unscored_entries_are_skipped_but_counted() {
        let list: Vec<Entry> = serde_json::from_value(json!([
            {"score": 80.0}, {"status": "x"}, {"score": null}, {"score": "90"},
            {"score": 84}, {"score": [1]}
        ]))
        .unwrap();
        let t = trend(&list, 10).unwrap();
        assert_eq!((t.previous, t.current), (80.0, 84.0));
        assert_eq!((t.entries_analyzed, t.entries), (2, 6));
        assert_eq!(t.trend, Direction::Improving);
        assert!(trend(&list[1..], 10).is_none());
    }

    #[test]
    fn change_is_never_negative_zero() {
        let t = trend(&entries(&[80.0, 80.04]), 10).unwrap();
        assert_eq!(serde_json::to_string(&t.change).unwrap(), "0.0");
        assert_eq!(round1(-0.04).to_string(), "0");
    }

    #[test]
    fn round1_matches_python_round() {
        // python3 -c 'print(round(0.25, 1), round(0.35, 1), round(0.15, 1))'
        assert_eq!(round1(0.25), 0.2);
        assert_eq!(round1(0.35), 0.3);
        assert_eq!(round1(0.15), 0.1);
        assert_eq!(round1(0.75), 0.8);
        assert_eq!(round1(-0.25), -0.2);
        assert_eq!(round1(2.45), 2.5);
        assert_eq!(round1(-0.04).to_bits(), 0.0_f64.to_bits());
        assert_eq!(round1(f64::INFINITY), f64::INFINITY);
        assert!(round1(f64::NAN).is_nan());
    }

    #[test]
    fn change_and_avg_round_ties_to_even() {
        // 80.25 − 80.0 = 0.25 exactly: Python gives 0.2, not 0.3.
        let t = trend(&entries(&[80.0, 80.25]), 10).unwrap();
        assert_eq!(t.change, 0.2);
        // mean(80.0, 80.5) = 80.25 exactly → 80.2.
        let t = trend(&entries(&[80.0, 80.5]), 10).unwrap();
        assert_eq!((t.change, t.avg), (0.5, 80.2));
    }

    #[test]
    fn categories_compare_new_and_seed_formats() {
        let list: Vec<Entry> = serde_json::from_value(json!([
            {"timestamp": "2024-12-15T09:00:00", "score": 80.0, "core_score": 75.0,
             "signoff_score": 78.6, "ci_adjustment": -2.0},
            {"timestamp": "2026-11-24T09:00:00Z", "score": 84.11,
             "categories": {"Core Gates": 87.5, "Docs": null, "Sign-off": 78.57}}
        ]))
        .unwrap();
        let t = trend(&list, 10).unwrap();
        let rows: Vec<_> = t
            .categories
            .iter()
            .map(|c| (c.name.as_str(), c.current, c.previous, c.change))
            .collect();
        assert_eq!(
            rows,
            [
                ("Core Gates", Some(87.5), Some(75.0), Some(12.5)),
                ("Docs", None, None, None),
                ("Sign-off", Some(78.57), Some(78.6), Some(0.0)),
            ]
        );
    }

    #[test]
    fn categories_only_in_the_previous_entry_come_last() {
        let list: Vec<Entry> = serde_json::from_value(json!([
            {"score": 1, "categories": {"Old": 10, "Both": 20}},
            {"score": 2, "categories": {"Both": 30, "New": 40}}
        ]))
        .unwrap();
        let names: Vec<_> = trend(&list, 10)
            .unwrap()
            .categories
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(names, ["Both", "New", "Old"]);
    }

    #[test]
    fn recent_takes_the_tail_oldest_first() {
        let list = entries(&[1.0, 2.0, 3.0, 4.0]);
        let window: Vec<f64> = recent(&list, 2).iter().map(|s| s.score).collect();
        assert_eq!(window, [3.0, 4.0]);
        assert_eq!(recent(&list, 10).len(), 4);
    }
}
