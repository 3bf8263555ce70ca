//! `--commit`: commit the changed checklist and history and push them,
//! redoing the update on the new remote tip when someone pushed first.
//! `--open-pr`: push the update to `release-dashboard/<branch>` instead and
//! open (or update) one pull request.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::Prepared;
use super::ci_source::Github;
use crate::cli::settings::{Publish, UpdateRun};
use crate::core::report::Report;
use crate::core::settings::Settings;
use crate::error::{Error, Result};
use crate::render::fmt_pct;
use crate::shell::git::{self, PushFailure};
use crate::shell::github::pulls::{PullOutcome, upsert_pull};
use crate::shell::ui::Ui;

/// Push attempts before giving up on a busy branch.
const MAX_ATTEMPTS: u32 = 5;

/// Checks before anything is written: a work tree, a valid branch name,
/// and (for `--commit`) HEAD on that branch with nothing unpushed and no
/// other uncommitted tracked changes, since a push race resets the branch
/// to the remote tip. Returns whether the checklist or history already had
/// uncommitted edits (a race must then not reset them away).
pub(super) fn preflight(run: &UpdateRun) -> Result<bool> {
    let settings = &run.settings;
    let top = work_tree(settings)?;
    let branch = &settings.branch;
    git::check_branch_name(&top, branch).map_err(Error::Input)?;
    if run.publish == Publish::Commit {
        if let Some(current) = git::current_branch(&top).filter(|c| c != branch) {
            return Err(Error::Input(format!(
                "--commit: HEAD is on branch `{current}` but the update would be pushed to `{branch}`; check out {branch}, or pass --branch {current}"
            )));
        }
        let unpushed =
            git::count_commits(&top, &format!("refs/remotes/origin/{branch}..HEAD")).unwrap_or(0);
        if unpushed > 0 {
            return Err(Error::Input(format!(
                "--commit: {unpushed} local commit(s) are not on origin/{branch}; push them first (a push race resets the branch to the remote tip)"
            )));
        }
        let ours = our_paths(&top, settings);
        let others = git::other_changes(&top, &ours).map_err(runtime)?;
        if !others.is_empty() {
            return Err(Error::Input(format!(
                "--commit: other tracked files have uncommitted changes ({}); commit or stash them first (a push race resets the branch to the remote tip)",
                others.join(", ")
            )));
        }
        return Ok(!git::changed_paths(&top, &ours).map_err(runtime)?.is_empty());
    }
    Ok(false)
}

/// What a dry run would have published.
pub(super) fn describe_dry_run(run: &UpdateRun, ui: &Ui) {
    let branch = &run.settings.branch;
    match run.publish {
        Publish::OpenPr => ui.out(&format!(
            "Dry run: would push the changes to release-dashboard/{branch} and open or update a pull request into {branch}."
        )),
        Publish::Commit => ui.out(&format!(
            "Dry run: would commit the changed files and push them to origin/{branch}."
        )),
        Publish::None => {}
    }
}

/// Commit and push (or propose) the update in `prepared`, whose files are
/// already written; `redo` re-reads the files and rewrites them.
pub(super) fn publish(
    run: &UpdateRun,
    github: Option<&Github>,
    ui: &Ui,
    edited: bool,
    mut prepared: Prepared,
    mut redo: impl FnMut() -> Result<Prepared>,
) -> Result<Prepared> {
    let settings = &run.settings;
    let top = work_tree(settings)?;
    let paths = our_paths(&top, settings);
    if run.publish == Publish::OpenPr {
        propose(settings, github, ui, &prepared.report, &top, &paths)?;
        return Ok(prepared);
    }
    let branch = &settings.branch;
    for attempt in 1..=MAX_ATTEMPTS {
        let changed = git::changed_paths(&top, &paths).map_err(runtime)?;
        if changed.is_empty() {
            ui.out("Nothing to commit: the checklist and history match the last commit.");
            return Ok(prepared);
        }
        commit(&top, &changed, &message(&prepared.report, true))?;
        match git::push(&top, &format!("HEAD:refs/heads/{branch}"), None) {
            Ok(()) => {
                ui.out(&format!(
                    "Committed {} and pushed to origin/{branch}.",
                    changed.join(", ")
                ));
                return Ok(prepared);
            }
            Err(PushFailure::Behind(_)) if attempt < MAX_ATTEMPTS => {
                ui.warn(&format!(
                    "origin/{branch} moved on during the update; redoing it on the new tip (attempt {} of {MAX_ATTEMPTS})",
                    attempt + 1
                ));
                reset_to_remote(&top, branch, edited)?;
                std::thread::sleep(backoff(attempt));
                prepared = redo()?;
            }
            Err(failure) => return Err(push_error(failure, branch, true)),
        }
    }
    Err(Error::Runtime(format!(
        "gave up pushing to origin/{branch} after {MAX_ATTEMPTS} attempts: others kept pushing first"
    )))
}

/// `--open-pr`: a commit on top of HEAD, built in a temporary index (the
/// user's index, HEAD and branch are untouched), pushed with a lease to the
/// bot branch; then one pull request.
fn propose(
    settings: &Settings,
    github: Option<&Github>,
    ui: &Ui,
    report: &Report,
    top: &Path,
    paths: &[String],
) -> Result<()> {
    let github = github.ok_or_else(|| {
        Error::Input("--open-pr needs a GitHub token (GH_TOKEN, GITHUB_TOKEN or --token)".into())
    })?;
    let branch = &settings.branch;
    let bot = format!("release-dashboard/{branch}");
    let title = message(report, false);
    for attempt in 1..=MAX_ATTEMPTS {
        let changed = git::changed_paths(top, paths).map_err(runtime)?;
        if changed.is_empty() {
            ui.out("Nothing to propose: the checklist and history match the last commit.");
            return Ok(());
        }
        let expected = git::remote_head(top, &bot)
            .map_err(runtime)?
            .unwrap_or_default();
        let commit = detached_commit(top, &changed, &title)?;
        let lease = format!("refs/heads/{bot}:{expected}");
        match git::push(top, &format!("{commit}:refs/heads/{bot}"), Some(&lease)) {
            Ok(()) => break,
            Err(PushFailure::Behind(_)) if attempt < MAX_ATTEMPTS => {
                std::thread::sleep(backoff(attempt));
            }
            Err(failure) => return Err(push_error(failure, &bot, false)),
        }
    }
    let body = format!(
        "Automated update by release-dashboard: readiness **{}%** {} {}.\n\nMerging this updates `{}` and the score history on `{branch}`.",
        fmt_pct(report.score.total, 2),
        report.score.band.emoji(),
        report.score.band.text(),
        report.checklist
    );
    let outcome = upsert_pull(
        &github.client,
        &github.target.repo,
        &bot,
        branch,
        &title,
        &body,
    )
    .map_err(|e| {
        Error::Runtime(format!(
            "pushed {bot}, but could not open the pull request: {e}"
        ))
    })?;
    ui.out(&match outcome {
        PullOutcome::Created { number, url } => {
            format!("Opened pull request #{number} from {bot}: {url}")
        }
        PullOutcome::Updated { number, url } => {
            format!("Updated pull request #{number} from {bot}: {url}")
        }
    });
    Ok(())
}

/// `chore(release): update release dashboard — 84.1% 🟠 [skip ci]`.
fn message(report: &Report, skip_ci: bool) -> String {
    let skip = if skip_ci { " [skip ci]" } else { "" };
    format!(
        "chore(release): update release dashboard — {}% {}{skip}",
        fmt_pct(report.score.total, 1),
        report.score.band.emoji()
    )
}

fn commit(top: &Path, paths: &[String], message: &str) -> Result<()> {
    let mut add = vec!["add", "--"];
    add.extend(paths.iter().map(String::as_str));
    git::run(top, &add).map_err(runtime)?;
    let identity = git::identity_args(top);
    let mut args: Vec<&str> = identity.iter().map(String::as_str).collect();
    args.extend(["commit", "-q", "-m", message, "--"]);
    args.extend(paths.iter().map(String::as_str));
    git::run(top, &args).map_err(runtime)?;
    Ok(())
}

/// A commit of HEAD plus `paths` as they are in the work tree, made in a
/// temporary index; returns its id.
fn detached_commit(top: &Path, paths: &[String], message: &str) -> Result<String> {
    let index = tempfile::NamedTempFile::new()
        .map_err(|e| Error::Runtime(format!("cannot create a temporary index: {e}")))?;
    let env = [("GIT_INDEX_FILE", index.path().as_os_str())];
    git::run_with_env(top, &["read-tree", "HEAD"], &env).map_err(runtime)?;
    let mut add = vec!["add", "--"];
    add.extend(paths.iter().map(String::as_str));
    git::run_with_env(top, &add, &env).map_err(runtime)?;
    let tree = git::run_with_env(top, &["write-tree"], &env).map_err(runtime)?;
    let identity = git::identity_args(top);
    let mut args: Vec<&str> = identity.iter().map(String::as_str).collect();
    args.extend(["commit-tree", &tree, "-p", "HEAD", "-m", message]);
    git::run(top, &args).map_err(runtime)
}

/// After a rejected push: fetch the remote tip and move the branch there,
/// dropping only our own commit. Refuses (keeping the update uncommitted in
/// the work tree) when the branch holds other commits the remote lacks, or
/// when the checklist or history carried the user's own uncommitted edits.
fn reset_to_remote(top: &Path, branch: &str, edited: bool) -> Result<()> {
    let refspec = format!("+refs/heads/{branch}:refs/remotes/origin/{branch}");
    git::run(top, &["fetch", "-q", "origin", &refspec]).map_err(runtime)?;
    let theirs =
        git::count_commits(top, &format!("refs/remotes/origin/{branch}..HEAD~1")).unwrap_or(0);
    if theirs > 0 || edited {
        git::run(top, &["reset", "-q", "--mixed", "HEAD~1"]).map_err(runtime)?;
        let why = if theirs > 0 {
            format!("the local branch has {theirs} other commit(s) that origin lacks")
        } else {
            "the checklist or history held your uncommitted edits, which a reset would lose"
                .to_string()
        };
        return Err(Error::Runtime(format!(
            "origin/{branch} moved on, and {why}; nothing was reset and the update is left uncommitted in the work tree. Pull (or rebase) and run again"
        )));
    }
    git::run(
        top,
        &[
            "reset",
            "-q",
            "--hard",
            &format!("refs/remotes/origin/{branch}"),
        ],
    )
    .map_err(runtime)?;
    Ok(())
}

fn push_error(failure: PushFailure, branch: &str, suggest_pr: bool) -> Error {
    match failure {
        PushFailure::Refused(message) => {
            let hint = if suggest_pr {
                format!(
                    "\nIf the branch is protected, use --open-pr to push the update to release-dashboard/{branch} and open a pull request instead."
                )
            } else {
                String::new()
            };
            Error::Runtime(format!(
                "origin refused the push to {branch} (branch protection or a hook): {message}{hint}"
            ))
        }
        PushFailure::Behind(message) => {
            Error::Runtime(format!("the push to {branch} was rejected: {message}"))
        }
        PushFailure::Other(e) => Error::Runtime(e.to_string()),
    }
}

/// The shared back-off (with jitter, so racing runs spread out).
fn backoff(attempt: u32) -> Duration {
    crate::shell::http::retry::backoff(Duration::from_millis(200), attempt, true)
}

#[allow(clippy::needless_pass_by_value)] // called as `.map_err(runtime)`
fn runtime(e: git::GitError) -> Error {
    Error::Runtime(e.to_string())
}

fn work_tree(settings: &Settings) -> Result<PathBuf> {
    let dir = settings.checklist.parent().unwrap_or(Path::new("."));
    let top = git::toplevel(dir).ok_or_else(|| {
        Error::Input(format!(
            "--commit/--open-pr: {} is not inside a git work tree",
            settings.checklist.display()
        ))
    })?;
    Ok(std::fs::canonicalize(&top).unwrap_or(top))
}

/// The checklist (its symlink target) and history, relative to `top`.
fn our_paths(top: &Path, settings: &Settings) -> Vec<String> {
    [&settings.checklist, &settings.history]
        .into_iter()
        .filter_map(|path| git::relative_to(top, path))
        .collect()
}
