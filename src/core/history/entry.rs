//! One history entry: what a run records (the seed's field names first),
//! how it is built from a report, and the entries around it (the previous
//! score, the charted window).

use jiff::Timestamp;
use serde_json::{Map, Value};

use super::trend::{Entry, Scored, recent};
use super::{History, as_read_back, render_entry};
use crate::core::category::Category;
use crate::core::report::Report;
use crate::core::score::round2;

/// How many of the newest scores the readiness block charts.
pub const CHART_POINTS: usize = 30;

/// The seed tool's entry fields, in its order: the first fields of every
/// entry we write and the CSV's first columns.
pub const SEED_COLUMNS: [&str; 8] = [
    "timestamp",
    "score",
    "status",
    "core_score",
    "optional_score",
    "deployment_score",
    "signoff_score",
    "blockers_count",
];

/// One entry as we write it. Field order in JSON exactly as listed.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NewEntry {
    /// RFC 3339 UTC timestamp with seconds precision, e.g. `2026-11-24T09:00:00Z`.
    pub timestamp: String,
    /// Overall readiness score.
    pub score: f64,
    /// Readiness status, e.g. `minor_blockers`.
    pub status: String,
    /// Score of the core section, if any.
    pub core_score: Option<f64>,
    /// Score of the optional section, if any.
    pub optional_score: Option<f64>,
    /// Score of the deployment section, if any.
    pub deployment_score: Option<f64>,
    /// Score of the sign-off section, if any.
    pub signoff_score: Option<f64>,
    /// Number of open blockers.
    pub blockers_count: usize,
    /// Category name → score (a number) or `null`, in insertion order.
    pub categories: Map<String, Value>,
    /// CI success rate, if known.
    pub ci_success_rate: Option<f64>,
}

impl NewEntry {
    /// The entry for this run: the seed's per-section scores where the
    /// categories are the seed's, every category's score, blockers and CI.
    #[must_use]
    pub fn for_run(report: &Report, categories: &[Category], now: Timestamp) -> NewEntry {
        let score = &report.score;
        let seed_score = |key: &str| {
            categories
                .iter()
                .zip(&score.categories)
                .find(|(cat, _)| cat.seed_key() == Some(key))
                .and_then(|(_, c)| c.score.map(round2))
        };
        NewEntry {
            timestamp: now_rfc3339(now),
            score: round2(score.total),
            status: score.band.as_str().to_string(),
            core_score: seed_score("core_score"),
            optional_score: seed_score("optional_score"),
            deployment_score: seed_score("deployment_score"),
            signoff_score: seed_score("signoff_score"),
            blockers_count: score.blockers.len(),
            categories: score
                .categories
                .iter()
                .map(|c| (c.name.clone(), c.score.map(round2).into()))
                .collect(),
            ci_success_rate: report
                .ci
                .as_ref()
                .and_then(|c| c.health.success_rate)
                .map(round2),
        }
    }

    /// The entry as a JSON object, keys in field order (non-finite numbers
    /// become `null`, as `serde_json` serializes them).
    #[must_use]
    pub fn to_json(&self) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert("timestamp".into(), Value::from(self.timestamp.as_str()));
        map.insert("score".into(), Value::from(self.score));
        map.insert("status".into(), Value::from(self.status.as_str()));
        map.insert("core_score".into(), optional_number(self.core_score));
        map.insert(
            "optional_score".into(),
            optional_number(self.optional_score),
        );
        map.insert(
            "deployment_score".into(),
            optional_number(self.deployment_score),
        );
        map.insert("signoff_score".into(), optional_number(self.signoff_score));
        map.insert("blockers_count".into(), Value::from(self.blockers_count));
        map.insert("categories".into(), Value::Object(self.categories.clone()));
        map.insert(
            "ci_success_rate".into(),
            optional_number(self.ci_success_rate),
        );
        map
    }

    /// The entry as it will read back from the history file: [`Self::to_json`]
    /// through the file's rendering and `serde_json`'s parser, which may read
    /// some floats back one ULP off.
    #[must_use]
    pub fn read_back(&self) -> Map<String, Value> {
        let map = self.to_json();
        as_read_back(&render_entry(&map, "\n"), map)
    }
}

/// `null` for `None`, else the number (`null` if not finite).
fn optional_number(value: Option<f64>) -> Value {
    value.map_or(Value::Null, Value::from)
}

/// Format `ts` as RFC 3339 in UTC with whole seconds, e.g. `2026-11-24T09:00:00Z`.
#[must_use]
pub fn now_rfc3339(ts: jiff::Timestamp) -> String {
    let mut seconds = ts.as_second();
    if ts.subsec_nanosecond() < 0 {
        seconds -= 1;
    }
    jiff::Timestamp::from_second(seconds)
        .unwrap_or(ts)
        .to_string()
}

/// The scored entries the readiness block charts: the newest
/// [`CHART_POINTS`] of the history as it will be after this run, that is
/// `history`'s entries followed by `recorded`, this run's entry as it will
/// read back ([`NewEntry::read_back`]) when it will be appended. Charting
/// the history after the append makes the block a fixed point: a second run
/// on the same inputs appends nothing and charts the same entries.
pub fn charted<'a>(history: &'a History, recorded: Option<&'a Entry>) -> Vec<Scored<'a>> {
    recent(history.entries().iter().chain(recorded), CHART_POINTS)
}

/// The score of the entry before this run's state: the last entry, or the
/// one before it when the last entry already records this state (`appends`
/// is false), so that repeated runs report the same delta.
pub fn previous_score(history: &History, appends: bool) -> Option<f64> {
    let skip = usize::from(!appends);
    history
        .entries()
        .iter()
        .rev()
        .nth(skip)
        .and_then(|e| e.get("score"))
        .and_then(serde_json::Value::as_f64)
}
