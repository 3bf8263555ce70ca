//! The portfolio: one readiness view over the `--format json` results of
//! many updates (one per repository). Pure: result bytes in, a roll-up out.
//!
//! Results that cannot be used are reported, never guessed: unreadable or
//! non-JSON files, JSON that is not an update result, another schema
//! version, and two results for the same repository, branch and checklist.

use std::collections::HashMap;

use serde::Deserialize;

use crate::core::ci::Health;
use crate::core::score::Band;

/// The update result schema this roll-up reads.
pub const RESULT_SCHEMA_VERSION: u64 = 1;

/// One repository's result, as the roll-up needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct RepoResult {
    /// Where it was read from (a file name as given).
    pub source: String,
    /// `OWNER/REPO`, when the result names it.
    pub repository: Option<String>,
    /// The branch whose CI was summarised (and the checklist's branch).
    pub branch: Option<String>,
    /// The checklist path as the update named it.
    pub checklist: String,
    /// The checklist's web URL, when known.
    pub checklist_url: Option<String>,
    pub score: f64,
    pub band: Band,
    pub threshold: f64,
    pub passed: bool,
    /// Open blockers.
    pub blockers: usize,
    /// Countable items (skipped ones excluded) and the passing ones.
    pub items: usize,
    pub passing: usize,
    pub ci: Option<CiSummary>,
    /// Items whose written state disagrees with CI (0 when not reported).
    pub drift: usize,
    /// When the update ran, as it wrote it.
    pub generated_at: Option<String>,
    /// Whether this repository decides the verdict and the gate.
    pub blocking: bool,
}

impl RepoResult {
    /// The name shown: the repository, else the source file.
    pub fn name(&self) -> &str {
        self.repository.as_deref().unwrap_or(&self.source)
    }

    /// What makes two results the same repository's.
    fn identity(&self) -> Option<(String, String, String)> {
        let repository = self.repository.clone()?;
        Some((
            repository,
            self.branch.clone().unwrap_or_default(),
            self.checklist.clone(),
        ))
    }
}

/// CI health as a result reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct CiSummary {
    pub runs: usize,
    pub success_rate: Option<f64>,
    pub health: Health,
}

/// A result that was left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub source: String,
    pub message: String,
}

/// The roll-up.
#[derive(Debug, Clone, PartialEq)]
pub struct Portfolio {
    /// Blocking repositories that fail their gate first (lowest score
    /// first), then the rest by score.
    pub repos: Vec<RepoResult>,
    pub problems: Vec<Problem>,
    /// Passing items ÷ countable items over every repository (percent);
    /// `None` when nothing is countable.
    pub total: Option<f64>,
    pub items: usize,
    pub passing: usize,
}

impl Portfolio {
    /// Blocking repositories below their threshold.
    pub fn failing(&self) -> impl Iterator<Item = &RepoResult> {
        self.repos.iter().filter(|r| r.blocking && !r.passed)
    }

    /// The weakest blocking repository (lowest score; ties: the first).
    pub fn weakest(&self) -> Option<&RepoResult> {
        self.repos
            .iter()
            .filter(|r| r.blocking)
            .min_by(|a, b| a.score.total_cmp(&b.score))
    }

    /// Whether every blocking repository meets its gate (and there is one).
    pub fn ready(&self) -> bool {
        self.repos.iter().any(|r| r.blocking) && self.failing().next().is_none()
    }
}

/// Read one update result. `optional` names repositories (or source files)
/// that do not block. The error says what is wrong with the file.
pub fn parse_result(source: &str, bytes: &[u8], optional: &[String]) -> Result<RepoResult, String> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
    if !value.is_object() {
        return Err(format!(
            "not a release-dashboard result (the JSON is {}, not an object; a history or runs file?)",
            describe(&value)
        ));
    }
    let raw =
        Raw::deserialize(value).map_err(|e| format!("not a release-dashboard result ({e})"))?;
    match raw.schema_version {
        Some(RESULT_SCHEMA_VERSION) => {}
        Some(other) => {
            return Err(format!(
                "schema_version {other} is not supported (this release-dashboard reads version {RESULT_SCHEMA_VERSION}); run the updates and the roll-up with the same version"
            ));
        }
        None => return Err("not a release-dashboard result (no schema_version)".into()),
    }
    let (Some(score), Some(threshold), Some(checklist)) = (raw.score, raw.threshold, raw.checklist)
    else {
        return Err(
            "not a release-dashboard update result (needs score, threshold and checklist; was it made with --format json?)"
                .into(),
        );
    };
    if !score.is_finite() || !threshold.is_finite() {
        return Err("score and threshold must be numbers".into());
    }
    let band = raw
        .status
        .as_deref()
        .and_then(band_of)
        .unwrap_or_else(|| Band::of(score));
    let (items, passing) = raw.categories.iter().fold((0, 0), |(items, passing), c| {
        (
            items + c.total.saturating_sub(c.skipped),
            passing + c.passing,
        )
    });
    let repository = raw.repository.filter(|r| !r.trim().is_empty());
    let blocking = !optional
        .iter()
        .any(|o| repository.as_deref() == Some(o.as_str()) || o == source);
    Ok(RepoResult {
        source: source.to_string(),
        branch: raw
            .branch
            .or_else(|| raw.ci.as_ref().and_then(|c| c.branch.clone())),
        repository,
        checklist,
        checklist_url: raw.checklist_url,
        score,
        band,
        threshold,
        passed: raw.passed.unwrap_or(score >= threshold),
        blockers: raw.blockers.len(),
        items,
        passing,
        ci: raw.ci.map(|c| CiSummary {
            runs: c.runs,
            success_rate: c.success_rate,
            health: Health::from_rate(c.success_rate),
        }),
        drift: raw.drift.len(),
        generated_at: raw.generated_at,
        blocking,
    })
}

/// Roll the usable results up; duplicates become problems (both sides).
pub fn roll_up(results: Vec<RepoResult>, mut problems: Vec<Problem>) -> Portfolio {
    let mut repos: Vec<RepoResult> = Vec::with_capacity(results.len());
    let mut seen: HashMap<(String, String, String), usize> = HashMap::new();
    for result in &results {
        if let Some(id) = result.identity() {
            *seen.entry(id).or_default() += 1;
        }
    }
    let duplicates: Vec<bool> = results
        .iter()
        .map(|r| {
            r.identity()
                .is_some_and(|id| seen.get(&id).copied().unwrap_or(0) > 1)
        })
        .collect();
    for (result, duplicate) in results.into_iter().zip(duplicates) {
        if duplicate {
            problems.push(Problem {
                message: format!(
                    "another result is for the same repository {} (branch {}, checklist {}); left out: keep one result per repository",
                    result.name(),
                    result.branch.as_deref().unwrap_or("?"),
                    result.checklist
                ),
                source: result.source,
            });
        } else {
            repos.push(result);
        }
    }
    repos.sort_by(|a, b| {
        let rank = |r: &RepoResult| u8::from(!r.blocking || r.passed);
        rank(a)
            .cmp(&rank(b))
            .then(a.score.total_cmp(&b.score))
            .then_with(|| a.name().cmp(b.name()))
    });
    problems.sort_by(|a, b| a.source.cmp(&b.source));
    let items: usize = repos.iter().map(|r| r.items).sum();
    let passing: usize = repos.iter().map(|r| r.passing).sum();
    Portfolio {
        total: (items > 0).then(|| passing as f64 / items as f64 * 100.0),
        repos,
        problems,
        items,
        passing,
    }
}

fn describe(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Null => "null",
        serde_json::Value::Object(_) => "an object",
    }
}

fn band_of(word: &str) -> Option<Band> {
    [
        Band::ReleaseReady,
        Band::NearlyReady,
        Band::MinorBlockers,
        Band::InProgress,
        Band::NotReady,
    ]
    .into_iter()
    .find(|b| b.as_str() == word)
}

/// The fields of an update result the roll-up reads; others are ignored.
#[derive(Debug, Deserialize)]
struct Raw {
    schema_version: Option<u64>,
    checklist: Option<String>,
    score: Option<f64>,
    status: Option<String>,
    threshold: Option<f64>,
    passed: Option<bool>,
    #[serde(default)]
    categories: Vec<RawCategory>,
    #[serde(default)]
    blockers: Vec<serde_json::Value>,
    ci: Option<RawCi>,
    #[serde(default)]
    drift: Vec<serde_json::Value>,
    repository: Option<String>,
    branch: Option<String>,
    checklist_url: Option<String>,
    generated_at: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawCategory {
    #[serde(default)]
    passing: usize,
    #[serde(default)]
    skipped: usize,
    #[serde(default)]
    total: usize,
}

#[derive(Debug, Deserialize)]
struct RawCi {
    #[serde(default)]
    runs: usize,
    success_rate: Option<f64>,
    branch: Option<String>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn result(repo: &str, score: f64, threshold: f64) -> String {
        format!(
            r#"{{"schema_version": 1, "checklist": "release-checklist.md", "score": {score},
              "status": "in_progress", "threshold": {threshold}, "passed": {},
              "categories": [{{"passing": 3, "skipped": 1, "total": 5}}],
              "blockers": [{{"name": "a"}}], "ci": null, "repository": "{repo}", "branch": "main"}}"#,
            score >= threshold
        )
    }

    #[test]
    fn reads_a_result_and_counts_items_without_skipped() {
        let r = parse_result("a.json", result("acme/api", 72.5, 90.0).as_bytes(), &[]).unwrap();
        assert_eq!((r.items, r.passing, r.blockers), (4, 3, 1));
        assert_eq!(r.band, Band::InProgress);
        assert!(!r.passed && r.blocking);
        assert_eq!(r.name(), "acme/api");
    }

    #[test]
    fn unusable_results_say_why() {
        let err = |bytes: &str| parse_result("x.json", bytes.as_bytes(), &[]).unwrap_err();
        assert!(err("{").starts_with("not JSON"));
        assert!(err("[1]").contains("the JSON is an array"));
        assert!(err("{\"a\": 1}").contains("no schema_version"));
        assert!(err("{\"schema_version\": 2}").contains("schema_version 2 is not supported"));
        assert!(err("{\"schema_version\": 1}").contains("--format json"));
    }

    #[test]
    fn verdict_is_the_weakest_blocking_repository() {
        let parse = |repo: &str, score: f64, optional: &[String]| {
            parse_result(
                &format!("{repo}.json"),
                result(repo, score, 80.0).as_bytes(),
                optional,
            )
            .unwrap()
        };
        let optional = vec!["acme/docs".to_string()];
        let p = roll_up(
            vec![
                parse("acme/api", 85.0, &[]),
                parse("acme/docs", 10.0, &optional),
                parse("acme/sdk", 79.0, &[]),
            ],
            Vec::new(),
        );
        assert_eq!(p.weakest().unwrap().name(), "acme/sdk");
        assert!(!p.ready());
        assert_eq!(p.failing().count(), 1);
        assert_eq!(p.repos[0].name(), "acme/sdk");
        assert_eq!((p.items, p.passing), (12, 9));
        assert_eq!(p.total, Some(75.0));
        let ok = roll_up(vec![parse("acme/api", 85.0, &[])], Vec::new());
        assert!(ok.ready());
    }

    #[test]
    fn duplicates_are_reported_not_guessed() {
        let a = parse_result("a.json", result("acme/api", 85.0, 80.0).as_bytes(), &[]).unwrap();
        let b = parse_result("b.json", result("acme/api", 60.0, 80.0).as_bytes(), &[]).unwrap();
        let p = roll_up(vec![a, b], Vec::new());
        assert!(p.repos.is_empty());
        assert_eq!(p.problems.len(), 2);
        assert!(p.problems[0].message.contains("same repository acme/api"));
        assert!(!p.ready());
    }
}
