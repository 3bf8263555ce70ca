//! A bound workflow with no run in the CI window: its newest run on the
//! branch, in one conditional request
//! (`GET /repos/{owner}/{repo}/actions/workflows/{file or id}/runs?branch=…&per_page=1`).
//! A reference by name (not file) is first looked up in the repository's
//! workflow list.

use serde::Deserialize;

use super::actions::conditional_get;
use super::cache::EtagCache;
use super::client::{ApiError, ApiRequest, Client};
use super::context::{RepoId, encode, next_link};
use super::retry::FailureKind;
use crate::core::runs::{WorkflowRun, parse_runs};

/// At most this many pages of the workflow list (100 workflows each).
const MAX_WORKFLOW_PAGES: usize = 10;

/// A workflow of the repository.
#[derive(Debug, Clone, Deserialize)]
pub struct Workflow {
    pub id: u64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub path: Option<String>,
}

#[derive(Deserialize)]
struct WorkflowsPage {
    #[serde(default)]
    workflows: Vec<Workflow>,
}

/// What GitHub says about one workflow's newest run on a branch.
#[derive(Debug, Clone)]
pub enum Newest {
    Run(Box<WorkflowRun>),
    /// The workflow exists but has no run on the branch.
    NoRun,
    /// 404: no such workflow.
    NotFound,
}

/// The newest run of `workflow` (a file name or a numeric id) on `branch`.
pub fn newest_run(
    client: &Client,
    repo: &RepoId,
    workflow: &str,
    branch: &str,
    cache: &mut EtagCache,
) -> Result<Newest, ApiError> {
    let url = client.url(&format!(
        "/repos/{}/{}/actions/workflows/{}/runs?branch={}&per_page=1",
        repo.owner,
        repo.name,
        encode(workflow),
        encode(branch)
    ));
    match conditional_get(client, &url, cache, &client.policy()) {
        Ok((body, _)) => {
            let page = parse_runs(&body).map_err(|e| ApiError {
                kind: FailureKind::Rejected,
                message: format!("GitHub sent a workflow runs page that does not parse: {e}"),
            })?;
            Ok(page
                .runs
                .into_iter()
                .next()
                .map_or(Newest::NoRun, |run| Newest::Run(Box::new(run))))
        }
        Err(e) if e.kind == FailureKind::NotFound => Ok(Newest::NotFound),
        Err(e) => Err(e),
    }
}

/// The repository's workflows (a bounded number of pages).
pub fn list(client: &Client, repo: &RepoId) -> Result<Vec<Workflow>, ApiError> {
    let mut all = Vec::new();
    let mut url = Some(client.url(&format!(
        "/repos/{}/{}/actions/workflows?per_page=100",
        repo.owner, repo.name
    )));
    let mut pages = 0;
    while let Some(current) = url {
        pages += 1;
        let response = client.send(&ApiRequest::get(&current))?;
        let page: WorkflowsPage = serde_json::from_slice(&response.body).map_err(|e| ApiError {
            kind: FailureKind::Rejected,
            message: format!("GitHub sent a workflows page that does not parse: {e}"),
        })?;
        all.extend(page.workflows);
        url = response
            .header("link")
            .and_then(next_link)
            .filter(|next| *next != current && pages < MAX_WORKFLOW_PAGES);
    }
    Ok(all)
}
