//! The links the PR comment and the Slack alert carry: the checklist on its
//! branch and the repository's Actions page.

use std::path::Path;

use crate::cli::UpdateArgs;
use crate::github::context::{RepoId, web_base};
use crate::github::target;
use crate::render::pr_comment::CommentLinks;
use crate::settings::Settings;
use crate::ui::Ui;

/// `{web}/{owner}/{repo}/blob/{branch}/{path in repo}` (when the checklist
/// is inside a git work tree) and `{web}/{owner}/{repo}/actions`, where
/// `{web}` is the web base of the API at `api`.
pub(super) fn for_repo(api: &str, repo: &RepoId, settings: &Settings) -> CommentLinks {
    let web = web_base(api);
    CommentLinks {
        checklist: crate::git::path_in_repo(&settings.checklist)
            .map(|path| format!("{web}/{repo}/blob/{}/{path}", settings.branch)),
        actions: Some(format!("{web}/{repo}/actions")),
    }
}

/// The links for this run's repository, which needs no token: `--repo`,
/// else `GITHUB_REPOSITORY`, else the origin remote; `--api-url` (or
/// `GITHUB_API_URL`) for the web base. No links when the repository cannot
/// be told (said with `--verbose`).
pub(super) fn resolve(args: &UpdateArgs, settings: &Settings, ui: &Ui) -> CommentLinks {
    let dir = settings.checklist.parent().unwrap_or(Path::new("."));
    let api = target::api(args.api_url.as_deref());
    match api.and_then(|api| Ok((target::repo(args.repo.as_deref(), dir)?, api))) {
        Ok((repo, api)) => for_repo(&api, &repo, settings),
        Err(e) => {
            ui.detail(&format!("no links to the repository ({e})"));
            CommentLinks::default()
        }
    }
}
