//! CI health of one branch, computed from parsed workflow runs (pure).

use std::cmp::Reverse;
use std::collections::HashMap;

use jiff::Timestamp;
use serde::Serialize;

use crate::core::runs::{WorkflowRun, serialize_optional_timestamp};

/// Classification of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Completed with conclusion `success`.
    Success,
    /// Concluded `failure`, `timed_out`, `startup_failure` or `action_required`.
    Failed,
    /// Anything else: cancelled, skipped, neutral, stale, unfinished, ...
    Other,
}

/// Classifies a run.
///
/// `Success` needs conclusion `success` with status `completed` (or no
/// status at all); `Failed` is conclusion `failure`, `timed_out`,
/// `startup_failure` or `action_required`; everything else is `Other`.
pub fn classify(run: &WorkflowRun) -> Outcome {
    let completed = matches!(run.status.as_deref(), None | Some("completed"));
    match run.conclusion.as_deref() {
        Some("success") if completed => Outcome::Success,
        Some("failure" | "timed_out" | "startup_failure" | "action_required") => Outcome::Failed,
        _ => Outcome::Other,
    }
}

/// Health band of a success rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Health {
    /// Success rate of at least 95 %.
    Healthy,
    /// Success rate of at least 85 % (and below 95 %).
    Warning,
    /// Success rate below 85 %.
    Critical,
    /// No finished runs to judge (or a non-numeric rate).
    Unknown,
}

impl Health {
    /// Minimum success rate (percent) for [`Health::Healthy`].
    pub const HEALTHY_MIN: f64 = 95.0;
    /// Minimum success rate (percent) for [`Health::Warning`].
    pub const WARNING_MIN: f64 = 85.0;

    /// Band of a success rate in percent: ≥95 healthy, ≥85 warning, else
    /// critical; `None` (or NaN) is unknown.
    pub fn from_rate(rate: Option<f64>) -> Health {
        match rate {
            Some(rate) if rate >= Self::HEALTHY_MIN => Health::Healthy,
            Some(rate) if rate >= Self::WARNING_MIN => Health::Warning,
            Some(rate) if rate.is_nan() => Health::Unknown,
            Some(_) => Health::Critical,
            None => Health::Unknown,
        }
    }

    /// Traffic-light emoji: 🟢 🟡 🔴 ⚪.
    pub fn emoji(self) -> &'static str {
        match self {
            Health::Healthy => "🟢",
            Health::Warning => "🟡",
            Health::Critical => "🔴",
            Health::Unknown => "⚪",
        }
    }

    /// Human label: "Healthy", "Warning", "Critical" or "Unknown".
    pub fn label(self) -> &'static str {
        match self {
            Health::Healthy => "Healthy",
            Health::Warning => "Warning",
            Health::Critical => "Critical",
            Health::Unknown => "Unknown",
        }
    }
}

/// CI health of one branch over a window of its newest runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CiHealth {
    /// The branch examined.
    pub branch: String,
    /// Runs in the window.
    pub runs: usize,
    /// Successful runs in the window.
    pub success: usize,
    /// Failed runs in the window.
    pub failed: usize,
    /// Other runs (cancelled, skipped, unfinished, ...) in the window.
    pub other: usize,
    /// `success / (success + failed) * 100`, unrounded; `None` when both are 0.
    pub success_rate: Option<f64>,
    /// Band of `success_rate`.
    pub health: Health,
    /// Per-workflow health, sorted by label (case-insensitive, stable).
    pub workflows: Vec<WorkflowHealth>,
    /// Workflows with at least one failed run: most failures first, then
    /// most recent failure first, then label.
    pub failing_workflows: Vec<FailingWorkflow>,
    /// Only when the window is empty: the branches the runs are on instead,
    /// most runs first (then by name), so a wrong `--branch` is easy to see.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_branches: Vec<BranchRuns>,
}

/// How many runs (after de-duplication) one other branch has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BranchRuns {
    /// The branch name, as written in the runs.
    pub branch: String,
    /// Its runs.
    pub runs: usize,
}

/// Health of one workflow within the window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkflowHealth {
    /// Workflow label (see [`WorkflowRun::workflow_label`]).
    pub name: String,
    /// Runs of this workflow in the window.
    pub runs: usize,
    /// Successful runs.
    pub success: usize,
    /// Failed runs.
    pub failed: usize,
    /// `success / (success + failed) * 100`; `None` when both are 0.
    pub pass_rate: Option<f64>,
    /// The workflow's file name (`ci.yml`), when a run names its path.
    pub file: Option<String>,
    /// The newest run in the window that concluded success or failure
    /// (cancelled, skipped and unfinished runs passed over).
    pub latest_completed: Option<RunSummary>,
    /// The newest run of this workflow in the window.
    pub latest: RunSummary,
}

/// The facts about one run that renderers need.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunSummary {
    /// Run id.
    pub id: u64,
    /// Per-workflow run number.
    pub run_number: Option<u64>,
    /// Run status.
    pub status: Option<String>,
    /// Run conclusion.
    pub conclusion: Option<String>,
    /// Classification of the run.
    pub outcome: Outcome,
    /// Seconds from `run_started_at` (else `created_at`) to `updated_at`,
    /// only for completed runs; `None` when unknown or negative.
    pub duration_seconds: Option<i64>,
    /// When the run was created.
    #[serde(serialize_with = "serialize_optional_timestamp")]
    pub at: Option<Timestamp>,
    /// Web link to the run.
    pub url: Option<String>,
    /// Triggering event.
    pub event: Option<String>,
    /// Title shown in the Actions UI.
    pub display_title: Option<String>,
}

impl RunSummary {
    /// Summarizes `run`.
    pub fn of(run: &WorkflowRun) -> RunSummary {
        RunSummary {
            id: run.id,
            run_number: run.run_number,
            status: run.status.clone(),
            conclusion: run.conclusion.clone(),
            outcome: classify(run),
            duration_seconds: duration_seconds(run),
            at: run.created_at,
            url: run.html_url.clone(),
            event: run.event.clone(),
            display_title: run.display_title.clone(),
        }
    }
}

/// A workflow with at least one failed run in the window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FailingWorkflow {
    /// Workflow label.
    pub name: String,
    /// Failed runs in the window.
    pub failures: usize,
    /// All runs of this workflow in the window.
    pub runs: usize,
    /// The newest failed run.
    pub latest_failure: RunSummary,
}

/// The longest a workflow run can take: GitHub cancels a run after 35
/// days ("Workflow run time", GitHub Actions usage limits). A longer
/// `updated_at − start` is not the run's length: GitHub moves `updated_at`
/// when logs are deleted or a run is re-requested long after it finished.
pub const MAX_RUN_SECONDS: i64 = 35 * 24 * 3600;

/// Wall-clock duration of a completed run in whole seconds.
///
/// Measured from `run_started_at` (else `created_at`) to `updated_at`;
/// `None` (shown as unknown) when the run is not completed, a timestamp is
/// missing, the result would be negative, or it exceeds
/// [`MAX_RUN_SECONDS`], which no run can last.
pub fn duration_seconds(run: &WorkflowRun) -> Option<i64> {
    if run.status.as_deref() != Some("completed") {
        return None;
    }
    let start = run.run_started_at.or(run.created_at)?;
    let seconds = run.updated_at?.duration_since(start).as_secs();
    (0..=MAX_RUN_SECONDS).contains(&seconds).then_some(seconds)
}

/// Formats seconds compactly: `45s`, `3m 12s`, `1h 02m` (hours are not
/// folded into days; negative input counts as `0s`).
pub fn format_duration(seconds: i64) -> String {
    let seconds = seconds.max(0);
    let (hours, minutes, secs) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    if hours > 0 {
        format!("{hours}h {minutes:02}m")
    } else if minutes > 0 {
        format!("{minutes}m {secs:02}s")
    } else {
        format!("{secs}s")
    }
}

/// Percentage of successes among finished-and-judged runs.
fn pass_rate(success: usize, failed: usize) -> Option<f64> {
    let judged = success + failed;
    // Multiplying first keeps band edges exact (19 of 20 is exactly 95.0).
    (judged > 0).then(|| success as f64 * 100.0 / judged as f64)
}

/// CI health of `branch` over its newest `max_runs` runs.
///
/// Runs are first de-duplicated by id (overlapping pages, two saved pages
/// joined): of the copies of one run, the one with the newest `updated_at`
/// counts. The window holds the runs whose `head_branch` equals `branch`
/// (runs without a branch are excluded), newest first by `created_at`;
/// runs lacking `created_at` sort after those with it, ties are broken by
/// id descending. An empty window lists the branches the runs are on.
pub fn ci_health(runs: &[WorkflowRun], branch: &str, max_runs: usize) -> CiHealth {
    let unique = dedup(runs);
    let window = window(&unique, branch, max_runs);
    let outcomes: Vec<Outcome> = window.iter().map(|run| classify(run)).collect();
    let count = |wanted: Outcome| {
        outcomes
            .iter()
            .filter(|&&outcome| outcome == wanted)
            .count()
    };
    let (success, failed, other) = (
        count(Outcome::Success),
        count(Outcome::Failed),
        count(Outcome::Other),
    );
    let success_rate = pass_rate(success, failed);
    let groups = group_by_workflow(&window, &outcomes);
    CiHealth {
        branch: branch.to_owned(),
        runs: window.len(),
        success,
        failed,
        other,
        success_rate,
        health: Health::from_rate(success_rate),
        workflows: workflow_healths(&groups),
        failing_workflows: failing_workflows(&groups),
        other_branches: if window.is_empty() {
            branches(&unique)
        } else {
            Vec::new()
        },
    }
}

/// One copy of each run id, in first-seen order; of several copies, the
/// one with the newest `updated_at` (the first of equals).
fn dedup(runs: &[WorkflowRun]) -> Vec<&WorkflowRun> {
    let mut index_of: HashMap<u64, usize> = HashMap::with_capacity(runs.len());
    let mut unique: Vec<&WorkflowRun> = Vec::with_capacity(runs.len());
    for run in runs {
        if let Some(&i) = index_of.get(&run.id) {
            if run.updated_at > unique[i].updated_at {
                unique[i] = run;
            }
        } else {
            index_of.insert(run.id, unique.len());
            unique.push(run);
        }
    }
    unique
}

/// Counted runs per branch as [`CiHealth::other_branches`] lists them: most
/// runs first, then by name.
pub fn branch_list(counts: impl IntoIterator<Item = (String, usize)>) -> Vec<BranchRuns> {
    let mut list: Vec<BranchRuns> = counts
        .into_iter()
        .map(|(branch, runs)| BranchRuns { branch, runs })
        .collect();
    list.sort_by(|a, b| b.runs.cmp(&a.runs).then_with(|| a.branch.cmp(&b.branch)));
    list
}

/// Runs per branch, most first, then by name (runs without a branch left out).
fn branches(runs: &[&WorkflowRun]) -> Vec<BranchRuns> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for run in runs {
        if let Some(branch) = run.head_branch.as_deref() {
            *counts.entry(branch).or_insert(0) += 1;
        }
    }
    let mut list: Vec<BranchRuns> = counts
        .into_iter()
        .map(|(branch, runs)| BranchRuns {
            branch: branch.to_owned(),
            runs,
        })
        .collect();
    list.sort_by(|a, b| b.runs.cmp(&a.runs).then_with(|| a.branch.cmp(&b.branch)));
    list
}

/// The newest `max_runs` runs of `branch`, newest first.
fn window<'a>(runs: &[&'a WorkflowRun], branch: &str, max_runs: usize) -> Vec<&'a WorkflowRun> {
    let mut window: Vec<&WorkflowRun> = runs
        .iter()
        .copied()
        .filter(|run| run.head_branch.as_deref() == Some(branch))
        .collect();
    // `Option` orders `None` first, so reversing puts runs without a date last.
    window.sort_by_key(|run| (Reverse(run.created_at), Reverse(run.id)));
    window.truncate(max_runs);
    window
}

/// Runs of one workflow within the window.
struct Group<'a> {
    label: String,
    runs: usize,
    success: usize,
    failed: usize,
    latest: &'a WorkflowRun,
    /// Newest failed run.
    latest_failure: Option<&'a WorkflowRun>,
    /// Newest run that concluded success or failure.
    latest_completed: Option<&'a WorkflowRun>,
    file: Option<String>,
}

/// Groups the window (newest first) by workflow, in order of first appearance.
fn group_by_workflow<'a>(window: &[&'a WorkflowRun], outcomes: &[Outcome]) -> Vec<Group<'a>> {
    let mut groups: Vec<Group<'a>> = Vec::new();
    let mut index_of: HashMap<String, usize> = HashMap::new();
    for (&run, &outcome) in window.iter().zip(outcomes) {
        let index = *index_of.entry(run.workflow_key()).or_insert_with(|| {
            groups.push(Group {
                label: run.workflow_label(),
                runs: 0,
                success: 0,
                failed: 0,
                latest: run,
                latest_failure: None,
                latest_completed: None,
                file: None,
            });
            groups.len() - 1
        });
        if let Some(group) = groups.get_mut(index) {
            // The newest run names the workflow, unless only an older one can.
            if !group.latest.has_own_label()
                && run.has_own_label()
                && group.label == group.latest.workflow_label()
            {
                group.label = run.workflow_label();
            }
            group.add(run, outcome);
        }
    }
    groups
}

impl<'a> Group<'a> {
    fn add(&mut self, run: &'a WorkflowRun, outcome: Outcome) {
        self.runs += 1;
        if self.file.is_none() {
            self.file = run.workflow_file().map(str::to_owned);
        }
        if outcome != Outcome::Other {
            self.latest_completed.get_or_insert(run);
        }
        match outcome {
            Outcome::Success => self.success += 1,
            Outcome::Failed => {
                self.failed += 1;
                self.latest_failure.get_or_insert(run);
            }
            Outcome::Other => {}
        }
    }
}

/// Per-workflow health sorted by label, case-insensitively (stable).
fn workflow_healths(groups: &[Group<'_>]) -> Vec<WorkflowHealth> {
    let mut healths: Vec<WorkflowHealth> = groups
        .iter()
        .map(|group| WorkflowHealth {
            name: group.label.clone(),
            runs: group.runs,
            success: group.success,
            failed: group.failed,
            pass_rate: pass_rate(group.success, group.failed),
            file: group.file.clone(),
            latest_completed: group.latest_completed.map(RunSummary::of),
            latest: RunSummary::of(group.latest),
        })
        .collect();
    healths.sort_by_cached_key(|health| health.name.to_lowercase());
    healths
}

/// Workflows with failures: most failures, then most recent failure (by
/// `created_at`, undated last), then label.
fn failing_workflows(groups: &[Group<'_>]) -> Vec<FailingWorkflow> {
    let mut failing: Vec<FailingWorkflow> = groups
        .iter()
        .filter_map(|group| {
            Some(FailingWorkflow {
                name: group.label.clone(),
                failures: group.failed,
                runs: group.runs,
                latest_failure: RunSummary::of(group.latest_failure?),
            })
        })
        .collect();
    failing.sort_by(|a, b| {
        b.failures
            .cmp(&a.failures)
            .then(b.latest_failure.at.cmp(&a.latest_failure.at))
            .then_with(|| a.name.cmp(&b.name))
    });
    failing
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Minutes after 2026-11-01T00:00:00Z.
    fn at(minutes: i64) -> Timestamp {
        Timestamp::from_second(1_793_491_200 + minutes * 60).unwrap()
    }

    fn run(
        id: u64,
        workflow: &str,
        branch: &str,
        conclusion: Option<&str>,
        minutes: i64,
    ) -> WorkflowRun {
        WorkflowRun {
            id,
            name: Some(workflow.to_owned()),
            path: None,
            workflow_id: None,
            head_branch: Some(branch.to_owned()),
            status: Some(
                if conclusion.is_some() {
                    "completed"
                } else {
                    "in_progress"
                }
                .to_owned(),
            ),
            conclusion: conclusion.map(str::to_owned),
            event: Some("push".to_owned()),
            created_at: Some(at(minutes)),
            run_started_at: Some(at(minutes) + jiff::SignedDuration::from_secs(5)),
            updated_at: Some(at(minutes + 3)),
            html_url: Some(format!("https://github.com/acme/widget/actions/runs/{id}")),
            display_title: Some(format!("commit {id}")),
            actor: None,
            run_number: Some(id),
            head_sha: None,
        }
    }

    fn ok(id: u64, workflow: &str, minutes: i64) -> WorkflowRun {
        run(id, workflow, "main", Some("success"), minutes)
    }

    fn failed(id: u64, workflow: &str, minutes: i64) -> WorkflowRun {
        run(id, workflow, "main", Some("failure"), minutes)
    }

    fn with(status: Option<&str>, conclusion: Option<&str>) -> WorkflowRun {
        WorkflowRun {
            status: status.map(str::to_owned),
            conclusion: conclusion.map(str::to_owned),
            ..ok(1, "CI", 0)
        }
    }

    // ---- classification ----

    #[test]
    fn classifies_every_conclusion() {
        let cases = [
            (Some("completed"), Some("success"), Outcome::Success),
            (None, Some("success"), Outcome::Success),
            (Some("in_progress"), Some("success"), Outcome::Other),
            (Some("completed"), Some("failure"), Outcome::Failed),
            (Some("completed"), Some("timed_out"), Outcome::Failed),
            (Some("completed"), Some("startup_failure"), Outcome::Failed),
            (Some("completed"), Some("action_required"), Outcome::Failed),
            (None, Some("failure"), Outcome::Failed),
            (Some("completed"), Some("cancelled"), Outcome::Other),
            (Some("completed"), Some("skipped"), Outcome::Other),
            (Some("completed"), Some("neutral"), Outcome::Other),
            (Some("completed"), Some("stale"), Outcome::Other),
            (Some("completed"), Some("something_new"), Outcome::Other),
            (Some("completed"), None, Outcome::Other),
            (Some("queued"), None, Outcome::Other),
            (Some("in_progress"), None, Outcome::Other),
            (None, None, Outcome::Other),
        ];
        for (status, conclusion, expected) in cases {
            assert_eq!(
                classify(&with(status, conclusion)),
                expected,
                "{status:?} {conclusion:?}"
            );
        }
    }

    // ---- health bands ----

    #[test]
    fn an_older_run_can_name_the_workflow() {
        let mut newest = ok(2, "x", 20);
        newest.name = None;
        newest.workflow_id = Some(5);
        let mut older = ok(1, "x", 10);
        older.name = None;
        older.workflow_id = Some(5);
        older.path = Some(".github/workflows/build.yml".into());
        let health = ci_health(&[newest, older], "main", 10);
        assert_eq!(health.workflows.len(), 1);
        assert_eq!(health.workflows[0].name, "build");
    }

    #[test]
    fn health_band_edges() {
        let cases = [
            (Some(100.0), Health::Healthy),
            (Some(95.0), Health::Healthy),
            (Some(94.999), Health::Warning),
            (Some(85.0), Health::Warning),
            (Some(84.999), Health::Critical),
            (Some(0.0), Health::Critical),
            (None, Health::Unknown),
            (Some(f64::NAN), Health::Unknown),
        ];
        for (rate, expected) in cases {
            assert_eq!(Health::from_rate(rate), expected, "{rate:?}");
        }
    }

    #[test]
    fn health_emoji_and_label() {
        let all = [
            Health::Healthy,
            Health::Warning,
            Health::Critical,
            Health::Unknown,
        ];
        let shown: Vec<(&str, &str)> = all
            .iter()
            .map(|health| (health.emoji(), health.label()))
            .collect();
        assert_eq!(
            shown,
            [
                ("🟢", "Healthy"),
                ("🟡", "Warning"),
                ("🔴", "Critical"),
                ("⚪", "Unknown")
            ]
        );
    }

    #[test]
    fn exact_rates_land_on_band_edges() {
        let mut runs: Vec<WorkflowRun> = (0..19).map(|id| ok(id, "CI", id.cast_signed())).collect();
        runs.push(failed(19, "CI", 19));
        let health = ci_health(&runs, "main", 100);
        assert_eq!(
            (health.success_rate, health.health),
            (Some(95.0), Health::Healthy)
        );
        let mut runs: Vec<WorkflowRun> = (0..17).map(|id| ok(id, "CI", id.cast_signed())).collect();
        runs.extend((17..20).map(|id| failed(id, "CI", id.cast_signed())));
        let health = ci_health(&runs, "main", 100);
        assert_eq!(
            (health.success_rate, health.health),
            (Some(85.0), Health::Warning)
        );
    }

    // ---- issue 15: impossible durations, duplicates, other branches ----

    #[test]
    fn durations_longer_than_any_run_are_unknown() {
        let mut long = ok(1, "CI", 0);
        long.run_started_at = Some(at(0));
        long.updated_at = Some(at(0) + jiff::SignedDuration::from_hours(9640));
        assert_eq!(duration_seconds(&long), None, "9640h is no run's length");
        long.updated_at = Some(at(0) + jiff::SignedDuration::from_secs(MAX_RUN_SECONDS));
        assert_eq!(
            duration_seconds(&long),
            Some(MAX_RUN_SECONDS),
            "35 days is the limit"
        );
        long.updated_at = Some(at(0) + jiff::SignedDuration::from_secs(MAX_RUN_SECONDS + 1));
        assert_eq!(duration_seconds(&long), None);
        assert_eq!(RunSummary::of(&long).duration_seconds, None);
    }

    #[test]
    fn duplicate_run_ids_count_once_and_the_newest_copy_wins() {
        let page: Vec<WorkflowRun> = (1..=6).map(|id| ok(id, "CI", id.cast_signed())).collect();
        let mut newer = failed(3, "CI", 3);
        newer.updated_at = Some(at(60));
        let mut older = ok(3, "CI", 3);
        older.updated_at = Some(at(1));
        let mut runs = page.clone();
        runs.extend(page.iter().cloned());
        runs.push(newer);
        runs.push(older);
        let health = ci_health(&runs, "main", 100);
        assert_eq!(
            (health.runs, health.success, health.failed),
            (6, 5, 1),
            "6 runs stay 6; run 3's newest copy (failed) counts"
        );
        assert_eq!(
            health,
            ci_health(&[runs.clone(), runs].concat(), "main", 100)
        );
    }

    #[test]
    fn an_empty_window_names_the_branches_there_are() {
        let mut runs: Vec<WorkflowRun> = (1..=12)
            .map(|id| run(id, "CI", "master", Some("success"), id.cast_signed()))
            .collect();
        runs.extend((13..=15).map(|id| run(id, "CI", "dev", Some("success"), id.cast_signed())));
        runs.push(run(13, "CI", "dev", Some("success"), 13));
        let health = ci_health(&runs, "main", 50);
        assert_eq!((health.runs, health.health), (0, Health::Unknown));
        let named: Vec<(&str, usize)> = health
            .other_branches
            .iter()
            .map(|b| (b.branch.as_str(), b.runs))
            .collect();
        assert_eq!(named, [("master", 12), ("dev", 3)]);
        assert!(ci_health(&runs, "master", 50).other_branches.is_empty());
        let json = serde_json::to_value(ci_health(&runs, "master", 50)).unwrap();
        assert!(json.get("other_branches").is_none());
    }

    // ---- window ----

    #[test]
    fn counts_outcomes_on_the_branch_only() {
        let mut no_branch = ok(5, "CI", 5);
        no_branch.head_branch = None;
        let runs = vec![
            ok(1, "CI", 1),
            failed(2, "CI", 2),
            run(3, "CI", "main", Some("cancelled"), 3),
            run(4, "CI", "develop", Some("failure"), 4),
            no_branch,
            run(6, "CI", "main", None, 6),
        ];
        let health = ci_health(&runs, "main", 50);
        assert_eq!(
            (health.runs, health.success, health.failed, health.other),
            (4, 1, 1, 2)
        );
        assert_eq!(
            (health.branch.as_str(), health.success_rate),
            ("main", Some(50.0))
        );
        assert_eq!(health.health, Health::Critical);
    }

    #[test]
    fn window_keeps_the_newest_runs() {
        let runs = vec![
            failed(1, "CI", 1),
            ok(2, "CI", 2),
            ok(3, "CI", 3),
            ok(4, "CI", 4),
        ];
        let health = ci_health(&runs, "main", 3);
        assert_eq!(
            (health.runs, health.failed, health.health),
            (3, 0, Health::Healthy)
        );
        assert_eq!(health.workflows[0].latest.id, 4);
    }

    #[test]
    fn undated_runs_sort_last_and_ties_break_by_id() {
        let mut undated = failed(99, "CI", 0);
        undated.created_at = None;
        let runs = vec![undated, ok(1, "CI", 10), ok(3, "CI", 10), ok(2, "CI", 10)];
        let window = window(&runs.iter().collect::<Vec<_>>(), "main", 10);
        let ids: Vec<u64> = window.iter().map(|run| run.id).collect();
        assert_eq!(ids, [3, 2, 1, 99]);
        assert_eq!(ci_health(&runs, "main", 3).failed, 0);
    }

    #[test]
    fn empty_window_is_unknown() {
        let runs = vec![ok(1, "CI", 1)];
        for health in [
            ci_health(&runs, "main", 0),
            ci_health(&runs, "release", 50),
            ci_health(&[], "main", 50),
        ] {
            assert_eq!(
                (health.runs, health.success_rate, health.health),
                (0, None, Health::Unknown)
            );
            assert!(health.workflows.is_empty() && health.failing_workflows.is_empty());
        }
    }

    #[test]
    fn only_unfinished_runs_give_unknown_health() {
        let runs = vec![
            run(1, "CI", "main", None, 1),
            run(2, "CI", "main", Some("skipped"), 2),
        ];
        let health = ci_health(&runs, "main", 10);
        assert_eq!(
            (health.other, health.success_rate, health.health),
            (2, None, Health::Unknown)
        );
        assert_eq!(health.workflows[0].pass_rate, None);
    }

    // ---- per workflow ----

    #[test]
    fn workflows_are_sorted_by_label_case_insensitively() {
        let runs = vec![
            ok(1, "ci", 1),
            ok(2, "Beta", 2),
            ok(3, "alpha", 3),
            failed(4, "ci", 4),
        ];
        let health = ci_health(&runs, "main", 10);
        let names: Vec<&str> = health
            .workflows
            .iter()
            .map(|workflow| workflow.name.as_str())
            .collect();
        assert_eq!(names, ["alpha", "Beta", "ci"]);
        let ci = &health.workflows[2];
        assert_eq!(
            (ci.runs, ci.success, ci.failed, ci.pass_rate),
            (2, 1, 1, Some(50.0))
        );
        assert_eq!((ci.latest.id, ci.latest.outcome), (4, Outcome::Failed));
    }

    #[test]
    fn groups_by_workflow_id_and_labels_by_latest_run() {
        let mut old = ok(1, "Build", 1);
        old.workflow_id = Some(7);
        let mut renamed = failed(2, "CI", 2);
        renamed.workflow_id = Some(7);
        let health = ci_health(&[old, renamed], "main", 10);
        assert_eq!(health.workflows.len(), 1);
        assert_eq!(
            (health.workflows[0].name.as_str(), health.workflows[0].runs),
            ("CI", 2)
        );
    }

    #[test]
    fn latest_summary_carries_run_facts() {
        let health = ci_health(&[ok(12, "CI", 30)], "main", 10);
        let latest = &health.workflows[0].latest;
        let expected = RunSummary {
            id: 12,
            run_number: Some(12),
            status: Some("completed".into()),
            conclusion: Some("success".into()),
            outcome: Outcome::Success,
            duration_seconds: Some(175),
            at: Some(at(30)),
            url: Some("https://github.com/acme/widget/actions/runs/12".into()),
            event: Some("push".into()),
            display_title: Some("commit 12".into()),
        };
        assert_eq!(latest, &expected);
    }

    #[test]
    fn failing_workflows_ordering() {
        let runs = vec![
            failed(1, "Docs", 1),
            failed(2, "Docs", 2),
            ok(3, "Docs", 3),
            failed(4, "Audit", 4),
            failed(5, "Zeta", 5),
            failed(6, "Lint", 6),
            failed(7, "Lint", 7),
            ok(8, "CI", 8),
        ];
        let mut same_time = failed(9, "Alpha", 5);
        same_time.id = 9;
        let mut all = runs;
        all.push(same_time);
        let health = ci_health(&all, "main", 50);
        let order: Vec<(&str, usize, u64)> = health
            .failing_workflows
            .iter()
            .map(|failing| {
                (
                    failing.name.as_str(),
                    failing.failures,
                    failing.latest_failure.id,
                )
            })
            .collect();
        // 2 failures: Lint (newest failure at 7) before Docs (at 2); then 1 failure: newest first, equal times by label.
        assert_eq!(
            order,
            [
                ("Lint", 2, 7),
                ("Docs", 2, 2),
                ("Alpha", 1, 9),
                ("Zeta", 1, 5),
                ("Audit", 1, 4)
            ]
        );
        assert_eq!(health.failing_workflows[1].runs, 3);
    }

    // ---- durations ----

    #[test]
    fn duration_rules() {
        let base = ok(1, "CI", 0);
        assert_eq!(
            duration_seconds(&base),
            Some(175),
            "started_at to updated_at"
        );
        let no_start = WorkflowRun {
            run_started_at: None,
            ..base.clone()
        };
        assert_eq!(
            duration_seconds(&no_start),
            Some(180),
            "falls back to created_at"
        );
        let running = WorkflowRun {
            status: Some("in_progress".into()),
            ..base.clone()
        };
        assert_eq!(duration_seconds(&running), None, "only completed runs");
        let no_status = WorkflowRun {
            status: None,
            ..base.clone()
        };
        assert_eq!(duration_seconds(&no_status), None);
        let backwards = WorkflowRun {
            updated_at: Some(at(-1)),
            ..base.clone()
        };
        assert_eq!(duration_seconds(&backwards), None, "negative");
        let no_end = WorkflowRun {
            updated_at: None,
            ..base.clone()
        };
        assert_eq!(duration_seconds(&no_end), None);
        let no_dates = WorkflowRun {
            run_started_at: None,
            created_at: None,
            ..base.clone()
        };
        assert_eq!(duration_seconds(&no_dates), None);
        let instant = WorkflowRun {
            run_started_at: base.updated_at,
            ..base
        };
        assert_eq!(duration_seconds(&instant), Some(0));
    }

    #[test]
    fn formats_durations() {
        let cases = [
            (0, "0s"),
            (45, "45s"),
            (60, "1m 00s"),
            (192, "3m 12s"),
            (3599, "59m 59s"),
            (3600, "1h 00m"),
            (3725, "1h 02m"),
            (90_000, "25h 00m"),
            (-5, "0s"),
            (i64::MIN, "0s"),
        ];
        for (seconds, expected) in cases {
            assert_eq!(format_duration(seconds), expected, "{seconds}");
        }
        assert!(format_duration(i64::MAX).ends_with('m'));
    }

    // ---- serialization ----

    #[test]
    fn serializes_in_snake_case_with_rfc3339_times() {
        let health = ci_health(&[failed(3, "CI", 0)], "main", 10);
        let json = serde_json::to_value(&health).unwrap();
        assert_eq!(json["health"], "critical");
        assert_eq!(
            json["failing_workflows"][0]["latest_failure"]["outcome"],
            "failed"
        );
        assert_eq!(json["workflows"][0]["latest"]["at"], "2026-11-01T00:00:00Z");
        assert_eq!(serde_json::to_value(Health::Unknown).unwrap(), "unknown");
    }

    // ---- scale ----

    #[test]
    fn many_runs_are_grouped() {
        let runs: Vec<WorkflowRun> = (0..10_000u64)
            .map(|id| {
                let workflow = format!("wf{}", id % 12);
                if id % 10 == 0 {
                    failed(id, &workflow, id.cast_signed())
                } else {
                    ok(id, &workflow, id.cast_signed())
                }
            })
            .collect();
        let health = ci_health(&runs, "main", 10_000);
        assert_eq!(
            (health.runs, health.failed, health.workflows.len()),
            (10_000, 1_000, 12)
        );
        assert_eq!(health.success_rate, Some(90.0));
        assert_eq!(health.health, Health::Warning);
    }

    fn arbitrary_run() -> impl Strategy<Value = WorkflowRun> {
        let conclusions = prop_oneof![
            Just(None),
            Just(Some("success")),
            Just(Some("failure")),
            Just(Some("cancelled")),
            Just(Some("timed_out")),
        ];
        let created = prop::option::of(0i64..100);
        (0u64..50, 0usize..4, prop::bool::ANY, conclusions, created).prop_map(
            |(id, workflow, on_main, conclusion, minutes)| {
                let branch = if on_main { "main" } else { "develop" };
                let mut run = run(
                    id,
                    ["CI", "Docs", "ci", "Audit"][workflow],
                    branch,
                    conclusion,
                    minutes.unwrap_or(0),
                );
                run.created_at = minutes.map(at);
                run
            },
        )
    }

    proptest! {
        #[test]
        fn counts_are_consistent(mut runs in prop::collection::vec(arbitrary_run(), 0..60), max in 0usize..70) {
            for (id, run) in (0u64..).zip(runs.iter_mut()) {
                run.id = id;
            }
            let health = ci_health(&runs, "main", max);
            // A second copy of every run changes nothing.
            prop_assert_eq!(&health, &ci_health(&[runs.clone(), runs.clone()].concat(), "main", max));
            let on_main = runs.iter().filter(|run| run.head_branch.as_deref() == Some("main")).count();
            prop_assert_eq!(health.runs, on_main.min(max));
            prop_assert_eq!(health.success + health.failed + health.other, health.runs);
            prop_assert_eq!(health.workflows.iter().map(|w| w.runs).sum::<usize>(), health.runs);
            prop_assert_eq!(health.failing_workflows.iter().map(|f| f.failures).sum::<usize>(), health.failed);
            if let Some(rate) = health.success_rate {
                prop_assert!((0.0..=100.0).contains(&rate));
            }
        }
    }
}
