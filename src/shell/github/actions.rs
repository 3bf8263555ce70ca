//! Workflow runs from `GET /repos/{owner}/{repo}/actions/runs`: one request
//! per 100 runs, following `Link: rel="next"`, conditional on the cached
//! ETag, with smaller pages when full ones keep failing.

use std::collections::HashMap;
use std::time::Instant;

use serde::Deserialize;

use super::cache::EtagCache;
use super::client::{ApiError, ApiRequest, Client};
use super::context::{RepoId, encode, next_link};
use super::pages::Pager;
use super::retry::{FailureKind, RetryPolicy};
use crate::core::runs::{WorkflowRun, parse_runs};

/// GitHub's largest page.
const PER_PAGE: usize = 100;
/// GitHub returns at most this many results for one filtered query.
const RESULT_CAP: usize = 1000;
/// Page sizes tried after a full page keeps failing.
const SMALLER_PAGES: [usize; 2] = [50, 25];

/// What to fetch.
#[derive(Debug, Clone, Copy)]
pub struct RunsQuery<'a> {
    pub repo: &'a RepoId,
    pub branch: &'a str,
    pub max_runs: usize,
}

/// The runs fetched, newest first, and anything worth a warning.
#[derive(Debug, Clone, Default)]
pub struct FetchedRuns {
    pub runs: Vec<WorkflowRun>,
    pub total_count: Option<u64>,
    pub warnings: Vec<String>,
}

/// Fetch up to `query.max_runs` runs.
pub fn fetch_runs(
    client: &Client,
    query: RunsQuery<'_>,
    cache: &mut EtagCache,
) -> Result<FetchedRuns, ApiError> {
    let per_page = query.max_runs.clamp(1, PER_PAGE);
    let mut url = client.url(&format!(
        "/repos/{}/{}/actions/runs?branch={}&per_page={per_page}&exclude_pull_requests=true",
        query.repo.owner,
        query.repo.name,
        encode(query.branch)
    ));
    let mut fetched = FetchedRuns::default();
    let mut pager = Pager::new("workflow runs", &url);
    loop {
        let (body, next) = fetch_page(client, &url, cache)?;
        let page = parse_runs(&body).map_err(|e| ApiError {
            kind: FailureKind::Rejected,
            message: format!("GitHub sent a runs page that does not parse ({url}): {e}"),
        })?;
        fetched.total_count = page.total_count.or(fetched.total_count);
        let empty = page.runs.is_empty();
        fetched.runs.extend(page.runs);
        if fetched.runs.len() >= query.max_runs || empty {
            break;
        }
        match pager.follow(next) {
            Ok(Some(next)) => url = next,
            Ok(None) => break,
            Err(warning) => {
                fetched.warnings.push(warning);
                break;
            }
        }
    }
    fetched.runs.truncate(query.max_runs);
    warn_if_capped(&mut fetched, query.max_runs);
    if let Err(e) = resolve_workflow_names(client, query.repo, &mut fetched) {
        fetched.warnings.push(format!(
            "could not read the workflow names ({e}); runs without a name are labelled by their file or id"
        ));
    }
    Ok(fetched)
}

fn warn_if_capped(fetched: &mut FetchedRuns, wanted: usize) {
    let got = fetched.runs.len();
    let available = usize::try_from(fetched.total_count.unwrap_or(0)).unwrap_or(usize::MAX);
    if got < wanted && got >= RESULT_CAP && available > got {
        fetched.warnings.push(format!(
            "GitHub returns at most {RESULT_CAP} runs for one query: the CI window holds {got} of the {wanted} runs asked for ({available} exist)"
        ));
    }
}

/// One page's body and next link; conditional on a cached ETag. The page
/// gets the client's bounds (4 attempts, 60 s) in all: two tries at its
/// size, then — after server errors or timeouts — one try each at 50 and 25
/// runs per page, asking for the same runs.
fn fetch_page(
    client: &Client,
    url: &str,
    cache: &mut EtagCache,
) -> Result<(Vec<u8>, Option<String>), ApiError> {
    let policy = client.policy();
    let started = Instant::now();
    let mut url = url.to_string();
    let mut left = policy.attempts;
    let mut tries = policy.attempts.min(2);
    loop {
        let this = RetryPolicy {
            attempts: tries.min(left).max(1),
            budget: policy.budget.saturating_sub(started.elapsed()),
            ..policy
        };
        let error = match conditional_get(client, &url, cache, &this) {
            Ok(page) => return Ok(page),
            Err(e) if matches!(e.kind, FailureKind::Server | FailureKind::Transport) => e,
            Err(e) => return Err(e),
        };
        left = left.saturating_sub(this.attempts);
        let time_left = !policy.budget.saturating_sub(started.elapsed()).is_zero();
        match smaller_page_url(&url) {
            Some(smaller) if left > 0 && time_left => {
                url = smaller;
                tries = 1;
            }
            _ => return Err(error),
        }
    }
}

pub(super) fn conditional_get(
    client: &Client,
    url: &str,
    cache: &mut EtagCache,
    policy: &RetryPolicy,
) -> Result<(Vec<u8>, Option<String>), ApiError> {
    let mut request = ApiRequest::get(url);
    request.if_none_match = cache.get(url).map(|page| page.etag.clone());
    let response = client.send_with(&request, policy)?;
    let next = response.header("link").and_then(next_link);
    if response.status == 304
        && let Some(page) = cache.get(url)
    {
        let body = page.body.clone().into_bytes();
        let next = next.or_else(|| page.next.clone());
        cache.touch(url);
        return Ok((body, next));
    }
    if let Some(etag) = response.header("etag") {
        cache.put(url, etag, &response.body, next.as_deref());
    }
    Ok((response.body, next))
}

/// The same runs as `url`'s page, asked for with the next smaller page
/// size: page p of size n starts at run (p−1)·n, which is page
/// (p−1)·n/m + 1 of size m. `None` when already at the smallest size.
fn smaller_page_url(url: &str) -> Option<String> {
    let per_page: usize = query_param(url, "per_page")?.parse().ok()?;
    let page: usize = query_param(url, "page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1);
    let smaller = SMALLER_PAGES.into_iter().find(|&m| m < per_page)?;
    let first_run = page.saturating_sub(1) * per_page;
    let url = set_query_param(url, "per_page", &smaller.to_string());
    Some(set_query_param(
        &url,
        "page",
        &(first_run / smaller + 1).to_string(),
    ))
}

fn query_param(url: &str, key: &str) -> Option<String> {
    let (_, query) = url.split_once('?')?;
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.to_string())
}

fn set_query_param(url: &str, key: &str, value: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some(key))
        .map(str::to_string)
        .collect();
    pairs.push(format!("{key}={value}"));
    format!("{base}?{}", pairs.join("&"))
}

#[derive(Deserialize)]
struct WorkflowsPage {
    #[serde(default)]
    workflows: Vec<Workflow>,
}

#[derive(Deserialize)]
struct Workflow {
    id: u64,
    name: Option<String>,
}

/// Fill in missing workflow names with one paginated `/actions/workflows`
/// listing (only when some run lacks a name but has a workflow id).
fn resolve_workflow_names(
    client: &Client,
    repo: &RepoId,
    fetched: &mut FetchedRuns,
) -> Result<(), ApiError> {
    let runs = &mut fetched.runs;
    let unnamed =
        |r: &WorkflowRun| r.name.as_deref().is_none_or(str::is_empty) && r.workflow_id.is_some();
    if !runs.iter().any(unnamed) {
        return Ok(());
    }
    let mut names: HashMap<u64, String> = HashMap::new();
    let first = client.url(&format!(
        "/repos/{}/{}/actions/workflows?per_page=100",
        repo.owner, repo.name
    ));
    let mut pager = Pager::new("workflows", &first);
    let mut url = Some(first);
    while let Some(current) = url {
        let response = client.send(&ApiRequest::get(&current))?;
        let page: WorkflowsPage = serde_json::from_slice(&response.body).map_err(|e| ApiError {
            kind: FailureKind::Rejected,
            message: format!("GitHub sent a workflows page that does not parse: {e}"),
        })?;
        names.extend(
            page.workflows
                .into_iter()
                .filter_map(|w| w.name.map(|n| (w.id, n))),
        );
        url = match pager.follow(response.header("link").and_then(next_link)) {
            Ok(next) => next,
            Err(warning) => {
                fetched.warnings.push(warning);
                None
            }
        };
    }
    for run in fetched.runs.iter_mut().filter(|r| unnamed(r)) {
        if let Some(name) = run.workflow_id.and_then(|id| names.get(&id)) {
            run.name = Some(name.clone());
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn smaller_pages_cover_the_same_runs() {
        let url = "https://api.test/repos/o/r/actions/runs?branch=main&per_page=100&page=3";
        let smaller = smaller_page_url(url).unwrap();
        assert_eq!(query_param(&smaller, "per_page").as_deref(), Some("50"));
        assert_eq!(query_param(&smaller, "page").as_deref(), Some("5"));
        assert_eq!(query_param(&smaller, "branch").as_deref(), Some("main"));
        let smallest = smaller_page_url(&smaller).unwrap();
        assert_eq!(query_param(&smallest, "page").as_deref(), Some("9"));
        assert_eq!(smaller_page_url(&smallest), None);
        let first = smaller_page_url("https://x/runs?per_page=100").unwrap();
        assert_eq!(query_param(&first, "page").as_deref(), Some("1"));
    }

    #[test]
    fn cap_warning_only_when_github_cut_the_window() {
        let mut f = FetchedRuns {
            runs: vec![],
            total_count: Some(5000),
            warnings: vec![],
        };
        warn_if_capped(&mut f, 2000);
        assert!(f.warnings.is_empty(), "fewer than 1000 runs: not the cap");
        let run = |id| WorkflowRun {
            id,
            ..WorkflowRun::default()
        };
        let mut capped = FetchedRuns {
            runs: (0..1000).map(run).collect(),
            total_count: Some(5000),
            warnings: vec![],
        };
        warn_if_capped(&mut capped, 2000);
        assert_eq!(capped.warnings.len(), 1);
        assert!(
            capped.warnings[0].contains("1000 of the 2000"),
            "{:?}",
            capped.warnings
        );
        let mut enough = FetchedRuns {
            runs: (0..1000).map(run).collect(),
            total_count: Some(5000),
            warnings: vec![],
        };
        warn_if_capped(&mut enough, 1000);
        assert!(enough.warnings.is_empty(), "the window is full");
    }
}
