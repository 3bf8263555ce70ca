//! The links the PR comment and the Slack alert carry: the checklist on its
//! branch and the repository's Actions page.

use std::path::Path;

use crate::cli::settings::GithubAccess;
use crate::core::history::now_rfc3339;
use crate::core::report::Provenance;
use crate::core::settings::Settings;
use crate::render::pr_comment::CommentLinks;
use crate::shell::github::context::{RepoId, web_base};
use crate::shell::github::target;
use crate::shell::ui::Ui;

/// `{web}/{owner}/{repo}/blob/{branch}/{path}` and
/// `{web}/{owner}/{repo}/actions`, where `{web}` is the web base of the API
/// at `api` and `{path}` is the checklist's [`checklist_path`].
pub(super) fn for_repo(api: &str, repo: &RepoId, settings: &Settings) -> CommentLinks {
    let web = web_base(api);
    CommentLinks {
        checklist: checklist_path(&settings.checklist)
            .map(|path| format!("{web}/{repo}/blob/{}/{path}", settings.branch)),
        actions: Some(format!("{web}/{repo}/actions")),
    }
}

/// The checklist's path in its git work tree or, outside one, relative to
/// the current directory (`/` separators, no leading `./`); `None` when it
/// is outside both.
fn checklist_path(checklist: &Path) -> Option<String> {
    crate::shell::git::path_in_repo(checklist).or_else(|| {
        let cwd = std::fs::canonicalize(std::env::current_dir().ok()?).ok()?;
        relative_path(&cwd, checklist)
    })
}

/// `path` (resolved against `dir` when relative) relative to the canonical
/// directory `dir`, with `/` separators; `None` when outside or empty.
fn relative_path(dir: &Path, path: &Path) -> Option<String> {
    crate::shell::git::relative_to(dir, &dir.join(path)).filter(|p| !p.is_empty())
}

/// The links for this run's repository, which needs no token: `--repo`,
/// else `GITHUB_REPOSITORY`, else the origin remote; `--api-url` (or
/// `GITHUB_API_URL`) for the web base. No links when the repository cannot
/// be told (said with `--verbose`).
pub(super) fn resolve(access: &GithubAccess, settings: &Settings, ui: &Ui) -> CommentLinks {
    let dir = settings.checklist.parent().unwrap_or(Path::new("."));
    let api = target::api(access.api_url.as_deref());
    match api.and_then(|api| Ok((target::repo(access.repo.as_deref(), dir)?, api))) {
        Ok((repo, api)) => for_repo(&api, &repo, settings),
        Err(e) => {
            ui.detail(&format!("no links to the repository ({e})"));
            CommentLinks::default()
        }
    }
}

/// Where this run's result comes from, for `portfolio`: the repository
/// (as for the links; none when it cannot be told), the branch, the
/// checklist's web URL and the time.
pub(super) fn provenance(
    access: &GithubAccess,
    settings: &Settings,
    now: jiff::Timestamp,
) -> Provenance {
    let dir = settings.checklist.parent().unwrap_or(Path::new("."));
    let repository = target::repo(access.repo.as_deref(), dir).ok();
    let checklist_url = match (&repository, target::api(access.api_url.as_deref())) {
        (Some(repo), Ok(api)) => for_repo(&api, repo, settings).checklist,
        _ => None,
    };
    Provenance {
        repository: repository.map(|r| r.to_string()),
        branch: Some(settings.branch.clone()),
        checklist_url,
        generated_at: Some(now_rfc3339(now)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn path_relative_to_a_plain_directory() {
        let dir = tempfile::tempdir().unwrap();
        let top = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir(top.join("docs")).unwrap();
        std::fs::write(top.join("docs/list.md"), "").unwrap();
        std::fs::write(top.join("release-checklist.md"), "").unwrap();
        assert_eq!(
            relative_path(&top, &top.join("release-checklist.md")).as_deref(),
            Some("release-checklist.md")
        );
        assert_eq!(
            relative_path(&top, Path::new("./docs/list.md")).as_deref(),
            Some("docs/list.md")
        );
        let elsewhere = tempfile::tempdir().unwrap();
        let outside = elsewhere.path().join("x.md");
        std::fs::write(&outside, "").unwrap();
        assert_eq!(relative_path(&top, &outside), None);
    }
}
