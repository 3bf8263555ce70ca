//! One comment per pull request: find ours by its hidden marker, update it,
//! or create it. Never two.

use serde::Deserialize;
use serde_json::json;

use super::client::{ApiError, ApiRequest, Client, Method};
use super::context::{RepoId, next_link};
use super::pages::Pager;
use super::retry::{FailureKind, RetryPolicy};

/// POST attempts; each retry first looks for a comment a timed-out POST
/// may have created after all.
const POST_ATTEMPTS: u32 = 3;

/// What happened to the comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentOutcome {
    Created(u64),
    Updated(u64),
    Unchanged(u64),
}

#[derive(Debug, Deserialize)]
struct Comment {
    id: u64,
    #[serde(default)]
    body: Option<String>,
}

/// Create or update the comment holding one of `markers` on PR `pr`: the
/// oldest holding the first marker, else the oldest holding a later one
/// (a comment an earlier tool left, which is adopted rather than left stale).
pub fn upsert_comment(
    client: &Client,
    repo: &RepoId,
    pr: u64,
    body: &str,
    markers: &[&str],
) -> Result<CommentOutcome, ApiError> {
    let mut last_error = None;
    for _ in 0..POST_ATTEMPTS {
        if let Some(existing) = find_comment(client, repo, pr, markers)? {
            return update(client, repo, &existing, body);
        }
        match create(client, repo, pr, body) {
            Ok(id) => return Ok(CommentOutcome::Created(id)),
            Err(e) if matches!(e.kind, FailureKind::Server | FailureKind::Transport) => {
                last_error = Some(e);
            }
            Err(e) => return Err(e),
        }
    }
    Err(last_error.unwrap_or_else(|| ApiError {
        kind: FailureKind::Transport,
        message: "could not create the pull request comment".into(),
    }))
}

/// The oldest comment holding the first of `markers`, else the oldest
/// holding a later one, reading every page.
fn find_comment(
    client: &Client,
    repo: &RepoId,
    pr: u64,
    markers: &[&str],
) -> Result<Option<Comment>, ApiError> {
    let mut adoptable: Option<Comment> = None;
    let first = client.url(&format!(
        "/repos/{}/{}/issues/{pr}/comments?per_page=100",
        repo.owner, repo.name
    ));
    let mut pager = Pager::new("pull request comments", &first);
    let mut url = Some(first);
    while let Some(current) = url {
        let response = client.send(&ApiRequest::get(&current))?;
        let page: Vec<Comment> = serde_json::from_slice(&response.body).map_err(|e| ApiError {
            kind: FailureKind::Rejected,
            message: format!("GitHub sent a comments page that does not parse: {e}"),
        })?;
        for comment in page {
            let rank = comment
                .body
                .as_deref()
                .and_then(|b| markers.iter().position(|m| b.contains(m)));
            match rank {
                Some(0) => return Ok(Some(comment)),
                Some(_) if adoptable.is_none() => adoptable = Some(comment),
                _ => {}
            }
        }
        // Not every page was read: posting could duplicate the comment.
        url = pager
            .follow(response.header("link").and_then(next_link))
            .map_err(|warning| ApiError {
                kind: FailureKind::Rejected,
                message: format!("{warning}; no comment posted, so as not to add a second one"),
            })?;
    }
    Ok(adoptable)
}

fn update(
    client: &Client,
    repo: &RepoId,
    existing: &Comment,
    body: &str,
) -> Result<CommentOutcome, ApiError> {
    if existing.body.as_deref() == Some(body) {
        return Ok(CommentOutcome::Unchanged(existing.id));
    }
    let url = client.url(&format!(
        "/repos/{}/{}/issues/comments/{}",
        repo.owner, repo.name, existing.id
    ));
    client.send(&ApiRequest::json(
        Method::Patch,
        url,
        json!({ "body": body }),
    ))?;
    Ok(CommentOutcome::Updated(existing.id))
}

/// POST; a server error or timeout is not retried here (the comment may
/// have been created: the caller looks again first), a rate limit is.
fn create(client: &Client, repo: &RepoId, pr: u64, body: &str) -> Result<u64, ApiError> {
    let url = client.url(&format!(
        "/repos/{}/{}/issues/{pr}/comments",
        repo.owner, repo.name
    ));
    let once = RetryPolicy {
        retry_server_errors: false,
        ..client.policy()
    };
    let response = client.send_with(
        &ApiRequest::json(Method::Post, url, json!({ "body": body })),
        &once,
    )?;
    let created: Comment = serde_json::from_slice(&response.body).map_err(|e| ApiError {
        kind: FailureKind::Rejected,
        message: format!("GitHub's answer to the new comment does not parse: {e}"),
    })?;
    Ok(created.id)
}
