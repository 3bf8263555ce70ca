//! Which GitHub, which repository, which token, which pull request — from
//! flags, the environment GitHub Actions sets, and the git remote.

use std::path::Path;

use secrecy::SecretString;

use super::context::{RepoId, pr_number_from_event, pr_number_from_ref};
use crate::error::{Error, Result};

/// The public GitHub API.
pub const DEFAULT_API: &str = "https://api.github.com";

/// Everything needed to call the API for one repository.
#[derive(Debug, Clone)]
pub struct Target {
    pub api: String,
    pub repo: RepoId,
    pub token: SecretString,
}

/// `--token`, else `GH_TOKEN`, else `GITHUB_TOKEN` (empty values ignored).
pub fn token(flag: Option<&SecretString>) -> Option<SecretString> {
    if let Some(token) = flag {
        return Some(token.clone());
    }
    ["GH_TOKEN", "GITHUB_TOKEN"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.trim().is_empty())
        .map(|value| SecretString::from(value.trim().to_string()))
}

/// `--api-url` (or `GITHUB_API_URL`, through clap), else the public API.
pub fn api(flag: Option<&str>) -> Result<String> {
    let api = flag
        .filter(|s| !s.trim().is_empty())
        .unwrap_or(DEFAULT_API)
        .trim();
    if !(api.starts_with("https://") || api.starts_with("http://")) {
        return Err(Error::Input(format!(
            "--api-url `{api}` must start with https:// (e.g. https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server)"
        )));
    }
    Ok(api.trim_end_matches('/').to_string())
}

/// `--repo`, else `GITHUB_REPOSITORY`, else the `origin` remote of `dir`.
pub fn repo(flag: Option<&str>, dir: &Path) -> Result<RepoId> {
    if let Some(named) = flag {
        return RepoId::parse(named).map_err(|e| Error::Input(format!("--repo: {e}")));
    }
    if let Ok(env) = std::env::var("GITHUB_REPOSITORY")
        && !env.trim().is_empty()
    {
        return RepoId::parse(env.trim())
            .map_err(|e| Error::Input(format!("GITHUB_REPOSITORY: {e}")));
    }
    let remote = crate::shell::git::remote_url(dir, "origin");
    remote.as_deref().and_then(RepoId::from_remote_url).ok_or_else(|| {
        Error::Input(match remote {
            Some(url) => format!(
                "cannot tell the repository from the origin remote `{}`; pass --repo OWNER/REPO",
                crate::shell::http::redact::url_credentials(&url)
            ),
            None => "cannot tell which GitHub repository this is (no --repo, no GITHUB_REPOSITORY, no origin remote); pass --repo OWNER/REPO".into(),
        })
    })
}

/// `--pr`, else the event payload at `GITHUB_EVENT_PATH`, else `GITHUB_REF`.
pub fn pr_number(flag: Option<u64>) -> Option<u64> {
    flag.or_else(|| {
        let path = std::env::var("GITHUB_EVENT_PATH").ok()?;
        pr_number_from_event(&std::fs::read(path).ok()?)
    })
    .or_else(|| pr_number_from_ref(&std::env::var("GITHUB_REF").ok()?))
}

/// The error for a run that needs the API but has no token.
pub fn missing_token() -> Error {
    Error::Input(
        "no GitHub token: set GH_TOKEN or GITHUB_TOKEN (in Actions: `env: GH_TOKEN: ${{ github.token }}`) or pass --token; \
         or read runs from a saved file with --runs-file PATH, or skip CI data with --offline"
            .into(),
    )
}
