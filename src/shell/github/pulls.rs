//! One pull request from the bot branch: find it or open it.

use serde::Deserialize;
use serde_json::json;

use super::client::{ApiError, ApiRequest, Client, Method};
use super::context::{RepoId, encode};
use super::retry::FailureKind;

/// What happened to the pull request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PullOutcome {
    Created { number: u64, url: String },
    Updated { number: u64, url: String },
}

#[derive(Debug, Deserialize)]
struct Pull {
    number: u64,
    #[serde(default)]
    html_url: String,
}

/// Open a pull request from `head` into `base`, or update the open one.
pub fn upsert_pull(
    client: &Client,
    repo: &RepoId,
    head: &str,
    base: &str,
    title: &str,
    body: &str,
) -> Result<PullOutcome, ApiError> {
    let list = client.url(&list_path(repo, head, base));
    let response = client.send(&ApiRequest::get(list))?;
    let open: Vec<Pull> = parse(&response.body, "pull request list")?;
    let fields = json!({ "title": title, "body": body });
    if let Some(existing) = open.first() {
        let url = client.url(&format!(
            "/repos/{}/{}/pulls/{}",
            repo.owner, repo.name, existing.number
        ));
        client.send(&ApiRequest::json(Method::Patch, url, fields))?;
        return Ok(PullOutcome::Updated {
            number: existing.number,
            url: existing.html_url.clone(),
        });
    }
    let url = client.url(&format!("/repos/{}/{}/pulls", repo.owner, repo.name));
    let create = json!({ "title": title, "body": body, "head": head, "base": base });
    let response = client.send(&ApiRequest::json(Method::Post, url, create))?;
    let created: Pull = parse(&response.body, "new pull request")?;
    Ok(PullOutcome::Created {
        number: created.number,
        url: created.html_url,
    })
}

/// The query for the open pull requests from `head` (a branch of the
/// repository's owner) into `base`, its values percent-encoded.
fn list_path(repo: &RepoId, head: &str, base: &str) -> String {
    format!(
        "/repos/{}/{}/pulls?state=open&head={}:{}&base={}&per_page=100",
        repo.owner,
        repo.name,
        encode(&repo.owner),
        encode(head),
        encode(base)
    )
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8], what: &str) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError {
        kind: FailureKind::Rejected,
        message: format!("GitHub's {what} does not parse: {e}"),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn list_query_values_are_encoded() {
        let repo = RepoId::parse("acme/widget").unwrap();
        assert_eq!(
            list_path(&repo, "release-dashboard/rel+1", "a#b&c"),
            "/repos/acme/widget/pulls?state=open&head=acme:release-dashboard%2Frel%2B1&base=a%23b%26c&per_page=100"
        );
        assert_eq!(
            list_path(&repo, "bot", "main"),
            "/repos/acme/widget/pulls?state=open&head=acme:bot&base=main&per_page=100"
        );
    }
}
