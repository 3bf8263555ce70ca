//! `--commit`: build the update commit on origin's tip with plumbing (a
//! temporary index; the user's index, work tree and branch are not touched
//! while publishing) and push it; when someone pushed first, redo the
//! update on the files they pushed and try again, within a bound.
//! `--open-pr`: the same commit on the base branch's tip, pushed to
//! `release-dashboard/<branch>`, and one pull request.
//!
//! After a successful `--commit` push, the local branch follows only when
//! that changes no file this run did not write (see [`sync_local`]).

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::ci_source::Github;
use super::{Content, Prepared};
use crate::cli::settings::{Publish, UpdateRun};
use crate::core::report::Report;
use crate::core::settings::Settings;
use crate::error::{Error, Result};
use crate::render::fmt_pct;
use crate::shell::git::{self, PushFailure, TreeUpdate};
use crate::shell::github::pulls::{PullOutcome, upsert_pull};
use crate::shell::interrupt;
use crate::shell::ui::Ui;

/// Push attempts before giving up on a busy branch (ten CI jobs pushing at
/// once all get through well within this).
const MAX_ATTEMPTS: u32 = 12;

/// The trailer that marks the tool's own commits.
pub(crate) const TRAILER: &str = "Release-Dashboard-Update";

/// Checks before anything is written: a work tree, a valid branch name,
/// and for `--commit` not HEAD on another branch (a detached HEAD is fine:
/// the update is built on origin's tip, whatever HEAD holds).
pub(super) fn preflight(run: &UpdateRun) -> Result<()> {
    let settings = &run.settings;
    let top = work_tree(settings)?;
    let branch = &settings.branch;
    git::check_branch_name(&top, branch).map_err(Error::Input)?;
    if run.publish == Publish::Commit
        && let Some(current) = git::current_branch(&top).filter(|c| c != branch)
    {
        return Err(Error::Input(format!(
            "--commit: HEAD is on branch `{current}` but the update would be pushed to `{branch}`; check out {branch}, or pass --branch {current}"
        )));
    }
    Ok(())
}

/// What a dry run would have published.
pub(super) fn describe_dry_run(run: &UpdateRun, ui: &Ui) {
    let branch = &run.settings.branch;
    match run.publish {
        Publish::OpenPr => ui.out(&format!(
            "Dry run: would push the update on top of origin/{branch} to release-dashboard/{branch} and open or update a pull request into {branch}."
        )),
        Publish::Commit => ui.out(&format!(
            "Dry run: would commit the changed files on top of origin/{branch} and push them there."
        )),
        Publish::None => {}
    }
}

/// Where HEAD is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Head {
    Branch(String),
    Detached(String),
    Unborn,
}

impl Head {
    fn read(top: &Path) -> Head {
        match git::current_branch(top) {
            Some(branch) => Head::Branch(branch),
            None => match git::run(top, &["rev-parse", "--verify", "-q", "HEAD"]) {
                Ok(id) if !id.is_empty() => Head::Detached(id),
                _ => Head::Unborn,
            },
        }
    }
}

/// The checklist's and history's paths relative to the work tree's top.
struct Paths {
    checklist: String,
    /// `None` when the history lies outside the work tree.
    history: Option<String>,
}

/// One file this run wrote in the work tree: the blob ids of what it read
/// (`None`: absent) and of what it wrote.
struct LocalFile {
    path: String,
    before: Option<String>,
    after: String,
}

/// Commit and push (or propose) the update in `prepared`, whose files are
/// already written to the work tree. `redo` computes the update again on
/// other bytes (the checklist and history origin holds; the last argument
/// names the history in messages).
pub(super) fn publish(
    run: &UpdateRun,
    github: Option<&Github>,
    ui: &Ui,
    prepared: Prepared,
    mut redo: impl FnMut(Vec<u8>, Option<tempfile::TempPath>, &str) -> Result<Prepared>,
) -> Result<Prepared> {
    let settings = &run.settings;
    let top = work_tree(settings)?;
    let paths = Paths::of(&top, settings)?;
    let head = Head::read(&top);
    let branch = &settings.branch;
    let target = match run.publish {
        Publish::OpenPr => format!("release-dashboard/{branch}"),
        Publish::Commit | Publish::None => branch.clone(),
    };
    if run.publish == Publish::OpenPr && github.is_none() {
        return Err(Error::Input(
            "--open-pr needs a GitHub token (GH_TOKEN, GITHUB_TOKEN or --token)".into(),
        ));
    }
    say_where_head_is(&head, run.publish, branch, ui);
    let local = local_files(&top, &paths, &prepared)?;
    let identity = git::identity_args(&top);
    let run_id = run_id();
    let mut current = prepared;
    let mut attempt = 1;
    let (commit, changed) = loop {
        let tip = git::fetch_branch(&top, branch).map_err(runtime)?;
        let parent = parent_of(&top, tip.as_deref(), run.publish, &head, branch)?;
        // The run's own result stands when the parent holds the checklist
        // and history HEAD holds; otherwise (someone pushed first, a stale
        // or detached checkout, an earlier unpushed update) the update is
        // redone on the parent's files.
        if let Some(parent) = &parent
            && (attempt > 1 || !same_files(&top, "HEAD", parent, &paths))
        {
            if attempt == 1 {
                ui.warn(&format!(
                    "origin/{branch} holds another checklist or history than HEAD (it moved on, or this checkout is behind, detached or holds an unpushed update); the update is redone on origin/{branch}'s files"
                ));
            }
            let (checklist, history) = files_at(&top, parent, &paths, branch)?;
            let shown = format!(
                "origin/{branch}:{}",
                paths.history.as_deref().unwrap_or("history")
            );
            current = redo(checklist, history, &shown)?;
        }
        let updates = tree_updates(&top, parent.as_deref(), &current, &paths)?;
        if updates.is_empty() {
            nothing_to_publish(
                &top,
                run.publish,
                branch,
                &head,
                parent.as_deref(),
                &local,
                ui,
            );
            return Ok(current);
        }
        let message = message(&current.report, run.publish == Publish::Commit, &run_id);
        let commit = git::commit_tree(&top, parent.as_deref(), &updates, &message, &identity)
            .map_err(runtime)?;
        let lease = lease_for(&top, run.publish, &target, tip.as_deref())?;
        let refspec = format!("{commit}:refs/heads/{target}");
        let (pushed, interrupted) =
            interrupt::deferred(|| git::push(&top, &refspec, lease.as_deref()));
        if interrupted {
            return Err(interrupted_push(&top, &target, &commit, pushed.is_ok()));
        }
        match pushed {
            Ok(()) => {
                let changed: Vec<String> = updates.into_iter().map(|u| u.path).collect();
                break (commit, changed);
            }
            Err(PushFailure::Behind(why)) if attempt < MAX_ATTEMPTS => {
                let why = why.lines().find(|l| l.contains("rejected")).unwrap_or("");
                ui.warn(&format!(
                    "origin/{target} moved on during the update (someone pushed first{}); redoing it on the new tip (attempt {} of {MAX_ATTEMPTS})",
                    if why.is_empty() { String::new() } else { format!(": {}", why.trim()) },
                    attempt + 1
                ));
                std::thread::sleep(backoff(attempt));
                attempt += 1;
            }
            Err(PushFailure::Behind(_)) => {
                return Err(Error::Runtime(format!(
                    "gave up pushing to origin/{target} after {MAX_ATTEMPTS} attempts: others kept pushing first; nothing was pushed and the local checkout is as the update left it. Run again"
                )));
            }
            Err(failure) => {
                return Err(push_error(failure, &target, run.publish == Publish::Commit));
            }
        }
    };
    let done = Pushed {
        commit: &commit,
        changed: &changed,
        head: &head,
        top: &top,
        local: &local,
    };
    after_push(run, github, ui, &current.report, &target, &done)?;
    Ok(current)
}

/// What a successful push left to report.
struct Pushed<'a> {
    commit: &'a str,
    changed: &'a [String],
    head: &'a Head,
    top: &'a Path,
    local: &'a [LocalFile],
}

/// After the push: the pull request, or the message and the local branch.
fn after_push(
    run: &UpdateRun,
    github: Option<&Github>,
    ui: &Ui,
    report: &Report,
    target: &str,
    done: &Pushed<'_>,
) -> Result<()> {
    let settings = &run.settings;
    let branch = &settings.branch;
    let Pushed {
        commit,
        changed,
        head,
        top,
        local,
    } = *done;
    let short = short_id(commit);
    match run.publish {
        Publish::OpenPr => {
            let github = github.ok_or_else(|| {
                Error::Input(
                    "--open-pr needs a GitHub token (GH_TOKEN, GITHUB_TOKEN or --token)".into(),
                )
            })?;
            open_pull(settings, github, ui, report, target)?;
        }
        Publish::Commit | Publish::None => {
            ui.out(&format!(
                "Committed {} and pushed to origin/{branch} ({short}).",
                changed.join(", ")
            ));
            match sync_local(top, branch, head, commit, local) {
                Ok(0) => ui.out(&format!(
                    "The local branch {branch} now points at the pushed commit."
                )),
                Ok(replaced) => ui.out(&format!(
                    "The local branch {branch} now points at the pushed commit (replacing {replaced} earlier release-dashboard commit(s) that never reached origin)."
                )),
                Err(left) => ui.warn(&left),
            }
        }
    }
    Ok(())
}

/// The commit the update goes on: origin's tip; without one (a new branch)
/// HEAD, or nothing in an empty repository.
fn parent_of(
    top: &Path,
    tip: Option<&str>,
    publish: Publish,
    head: &Head,
    branch: &str,
) -> Result<Option<String>> {
    match (tip, publish, head) {
        (Some(tip), _, _) => Ok(Some(tip.to_string())),
        (None, Publish::OpenPr, _) => Err(Error::Runtime(format!(
            "origin has no branch `{branch}` to propose the update into; push it first, or pass --branch NAME"
        ))),
        (None, _, Head::Branch(_) | Head::Detached(_)) => Ok(Some(
            git::run(top, &["rev-parse", "HEAD"]).map_err(runtime)?,
        )),
        (None, _, Head::Unborn) => Ok(None),
    }
}

/// The lease of a push: the bot branch moves from what it holds now; a new
/// branch must still be absent; an existing one moves only by fast-forward
/// (the commit's parent is its tip), so it needs none.
fn lease_for(
    top: &Path,
    publish: Publish,
    target: &str,
    tip: Option<&str>,
) -> Result<Option<String>> {
    Ok(match publish {
        Publish::OpenPr => {
            let expected = git::remote_head(top, target)
                .map_err(runtime)?
                .unwrap_or_default();
            Some(format!("refs/heads/{target}:{expected}"))
        }
        Publish::Commit | Publish::None => tip.is_none().then(|| format!("refs/heads/{target}:")),
    })
}

/// Origin already holds the update: say so, and let a local branch that is
/// behind catch up (e.g. after a run killed once its push had landed).
fn nothing_to_publish(
    top: &Path,
    publish: Publish,
    branch: &str,
    head: &Head,
    tip: Option<&str>,
    local: &[LocalFile],
    ui: &Ui,
) {
    if publish == Publish::Commit
        && let Some(tip) = tip
        && matches!(head, Head::Branch(b) if b == branch)
        && git::run(top, &["rev-parse", "HEAD"]).is_ok_and(|h| h != tip)
    {
        match sync_local(top, branch, head, tip, local) {
            Ok(_) => ui.out(&format!(
                "The local branch {branch} caught up with origin/{branch}, which already holds this update."
            )),
            Err(left) => ui.warn(&left),
        }
    }
    ui.out(&match publish {
        Publish::OpenPr => {
            format!("Nothing to propose: origin/{branch} already holds this checklist and history.")
        }
        Publish::Commit | Publish::None => format!(
            "Nothing to commit: the checklist and history match the last commit on origin/{branch}."
        ),
    });
}

/// Say up front when HEAD is not the branch the update goes to.
fn say_where_head_is(head: &Head, publish: Publish, branch: &str, ui: &Ui) {
    let what = match publish {
        Publish::OpenPr => "the pull request carries only the update",
        Publish::Commit | Publish::None => "the update is committed",
    };
    match head {
        Head::Detached(id) => ui.warn(&format!(
            "HEAD is detached (at {}): {what} on top of origin/{branch}, whatever HEAD holds; the checkout stays as it is",
            short_id(id)
        )),
        Head::Branch(name) if name != branch => ui.warn(&format!(
            "HEAD is on branch `{name}`: {what} on top of origin/{branch}, without {name}'s commits"
        )),
        Head::Branch(_) | Head::Unborn => {}
    }
}

/// The pull request from `bot` into the branch.
fn open_pull(
    settings: &Settings,
    github: &Github,
    ui: &Ui,
    report: &Report,
    bot: &str,
) -> Result<()> {
    let branch = &settings.branch;
    let title = subject(report, false);
    let body = format!(
        "Automated update by release-dashboard: readiness **{}%** {} {}.\n\nMerging this updates `{}` and the score history on `{branch}`; the branch holds one commit on top of `{branch}`, nothing else.",
        fmt_pct(report.score.total, 2),
        report.score.band.emoji(),
        report.score.band.text(),
        report.checklist
    );
    let outcome = upsert_pull(
        &github.client,
        &github.target.repo,
        bot,
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

/// A signal arrived while pushing: the push was let finish; say whether
/// the update reached origin.
fn interrupted_push(top: &Path, target: &str, commit: &str, pushed: bool) -> Error {
    let landed = pushed
        || git::remote_head(top, target)
            .ok()
            .flatten()
            .is_some_and(|tip| tip == commit);
    let short = short_id(commit);
    Error::Interrupted(if landed {
        format!(
            "interrupted: the push in progress finished first, so origin/{target} holds the update ({short}); the local checkout was left as it was"
        )
    } else {
        format!(
            "interrupted: the push in progress did not go through, so origin/{target} does not hold the update; nothing was pushed and the local branch did not move"
        )
    })
}

impl Paths {
    fn of(top: &Path, settings: &Settings) -> Result<Paths> {
        let checklist = git::relative_to(top, &settings.checklist).ok_or_else(|| {
            Error::Input(format!(
                "--commit/--open-pr: {} is outside the git work tree {}",
                settings.checklist.display(),
                top.display()
            ))
        })?;
        // An ignored history that git does not track stays out of commits.
        let history = git::relative_to(top, &settings.history).filter(|path| {
            let ignored = git::run(top, &["check-ignore", "-q", "--no-index", "--", path]).is_ok();
            let tracked = git::run(top, &["ls-files", "--error-unmatch", "--", path]).is_ok();
            tracked || !ignored
        });
        Ok(Paths { checklist, history })
    }

    /// The files of an update with their new content (a history only when
    /// there is one).
    fn with_content<'a>(&'a self, prepared: &'a Prepared) -> Vec<(&'a str, Content<'a>)> {
        let mut files = vec![(
            self.checklist.as_str(),
            Content::Bytes(prepared.checklist().1),
        )];
        if let (Some(history), Some((_, after))) = (&self.history, prepared.history()) {
            files.push((history.as_str(), after));
        }
        files
    }

    fn all(&self) -> Vec<&str> {
        let mut all = vec![self.checklist.as_str()];
        all.extend(self.history.as_deref());
        all
    }
}

/// Whether commits `a` and `b` hold the same checklist and history.
fn same_files(top: &Path, a: &str, b: &str, paths: &Paths) -> bool {
    paths.all().into_iter().all(|path| {
        match (git::entry_at(top, a, path), git::entry_at(top, b, path)) {
            (Ok(x), Ok(y)) => x.map(|e| e.1) == y.map(|e| e.1),
            _ => false,
        }
    })
}

/// The checklist's bytes in commit `rev`, and its history written to a
/// temporary file (never held; `None` when absent).
fn files_at(
    top: &Path,
    rev: &str,
    paths: &Paths,
    branch: &str,
) -> Result<(Vec<u8>, Option<tempfile::TempPath>)> {
    let checklist = match git::entry_at(top, rev, &paths.checklist).map_err(runtime)? {
        Some((_, id)) => git::blob(top, &id).map_err(runtime)?,
        None => {
            return Err(Error::Runtime(format!(
                "origin/{branch} has no {}: there is nothing to update there; push the checklist first",
                paths.checklist
            )));
        }
    };
    let history = match &paths.history {
        Some(path) => match git::entry_at(top, rev, path).map_err(runtime)? {
            Some((_, id)) => {
                let file = tempfile::NamedTempFile::new().map_err(|e| {
                    Error::Runtime(format!("cannot create a temporary file for {path}: {e}"))
                })?;
                git::blob_to(top, &id, file.as_file()).map_err(runtime)?;
                Some(file.into_temp_path())
            }
            None => None,
        },
        None => None,
    };
    Ok((checklist, history))
}

/// The blobs of the update that differ from `parent`'s (stored in the
/// object database).
fn tree_updates(
    top: &Path,
    parent: Option<&str>,
    prepared: &Prepared,
    paths: &Paths,
) -> Result<Vec<TreeUpdate>> {
    let mut updates = Vec::new();
    for (path, content) in paths.with_content(prepared) {
        let blob = blob_id(top, path, &content, true)?;
        let existing = match parent {
            Some(parent) => git::entry_at(top, parent, path).map_err(runtime)?,
            None => None,
        };
        if existing.as_ref().is_some_and(|(_, id)| *id == blob) {
            continue;
        }
        let mode = existing.map_or_else(|| "100644".to_string(), |(mode, _)| mode);
        updates.push(TreeUpdate {
            mode,
            blob,
            path: path.to_string(),
        });
    }
    Ok(updates)
}

/// The blob id of `content` as `path` (stored in the object database when
/// `write`); a file is streamed to git, never held.
fn blob_id(top: &Path, path: &str, content: &Content<'_>, write: bool) -> Result<String> {
    let read_error = |file: &Path, e: std::io::Error| {
        Error::Runtime(format!("{}: cannot read it for git: {e}", file.display()))
    };
    match content {
        Content::Bytes(bytes) if write => git::hash_object(top, path, bytes).map_err(runtime),
        Content::Bytes(bytes) => git::hash_object_dry(top, path, bytes).map_err(runtime),
        Content::File(file) => {
            let mut reader = std::fs::File::open(file).map_err(|e| read_error(file, e))?;
            git::hash_object_from(top, path, &mut reader, write).map_err(runtime)
        }
        Content::Spliced(file, append) => {
            let mut reader =
                crate::shell::history::spliced(file, append).map_err(|e| read_error(file, e))?;
            git::hash_object_from(top, path, &mut reader, write).map_err(runtime)
        }
        Content::FileWithout(file, cut) => {
            let mut reader = crate::shell::history::without(file, cut.clone())
                .map_err(|e| read_error(file, e))?;
            git::hash_object_from(top, path, &mut reader, write).map_err(runtime)
        }
    }
}

/// The blob ids of what this run read and wrote in the work tree.
fn local_files(top: &Path, paths: &Paths, prepared: &Prepared) -> Result<Vec<LocalFile>> {
    let mut files = Vec::new();
    let mut add = |path: &str, (before, after): (Content<'_>, Content<'_>), absent_when_empty| {
        let before = match before {
            Content::Bytes(bytes) if absent_when_empty && bytes.is_empty() => None,
            before => Some(blob_id(top, path, &before, false)?),
        };
        let after = blob_id(top, path, &after, true)?;
        files.push(LocalFile {
            path: path.to_string(),
            before,
            after,
        });
        Ok::<(), Error>(())
    };
    let (before, after) = prepared.checklist();
    add(
        &paths.checklist,
        (Content::Bytes(before), Content::Bytes(after)),
        false,
    )?;
    if let (Some(history), Some(contents)) = (&paths.history, prepared.history()) {
        add(history, contents, true)?;
    }
    Ok(files)
}

/// After pushing `new`: move the local branch there only when
/// that changes nothing this run did not write: HEAD is on `branch`, every
/// local commit origin lacks is an earlier update of ours (trailer), the
/// two commits differ only in our files, and each of those still holds
/// what this run wrote (a file is rewritten to the pushed content only if
/// it held no uncommitted edits before the run). Otherwise the local state
/// is left alone and the message says why.
/// Returns how many earlier unpushed update commits of ours it replaced.
fn sync_local(
    top: &Path,
    branch: &str,
    head: &Head,
    new: &str,
    local: &[LocalFile],
) -> std::result::Result<usize, String> {
    let left = "the local branch was left as it was";
    let old = match head {
        Head::Detached(id) => {
            return Err(format!(
                "HEAD is detached (at {}), so no local branch was moved; the update is on origin/{branch}",
                short_id(id)
            ));
        }
        Head::Unborn => return Err(format!("HEAD has no commit yet; {left}")),
        Head::Branch(name) if name != branch => {
            return Err(format!("HEAD is on `{name}`, not `{branch}`; {left}"));
        }
        Head::Branch(_) => git::run(top, &["rev-parse", "HEAD"]).map_err(|e| e.to_string())?,
    };
    let (ours, all) = git::count_with_trailer(top, &format!("{new}..{old}"), TRAILER)
        .ok_or_else(|| format!("cannot compare HEAD with origin/{branch}; {left}"))?;
    if ours < all {
        return Err(format!(
            "the local branch {branch} has {} commit(s) that are not on origin/{branch}; they were not pushed, and {left}",
            all - ours
        ));
    }
    let ours_paths: Vec<&str> = local.iter().map(|f| f.path.as_str()).collect();
    let differ = git::diff_names(top, &old, new).map_err(|e| e.to_string())?;
    if differ.iter().any(|p| !ours_paths.contains(&p.as_str())) {
        return Err(format!(
            "origin/{branch} has changes this checkout lacks; {left} (`git pull` brings it up to date)"
        ));
    }
    let mut rewrites = Vec::new();
    let mut entries = Vec::new();
    for file in local {
        let on_disk = top.join(&file.path);
        let now = blob_id(top, &file.path, &Content::File(&on_disk), false).ok();
        if now.as_deref() != Some(file.after.as_str()) {
            return Err(format!(
                "{} changed during the run; {left}, and the file keeps your edit",
                file.path
            ));
        }
        let Some((mode, pushed)) =
            git::entry_at(top, new, &file.path).map_err(|e| e.to_string())?
        else {
            continue;
        };
        if pushed != file.after {
            let old_entry = git::entry_at(top, &old, &file.path)
                .map_err(|e| e.to_string())?
                .map(|e| e.1);
            if old_entry != file.before {
                return Err(format!(
                    "{} held uncommitted edits, and origin/{branch} got the update redone on newer content; {left}, and the file keeps your edits",
                    file.path
                ));
            }
            rewrites.push((file.path.clone(), pushed.clone()));
        }
        entries.push(format!("{mode},{pushed},{}", file.path));
    }
    for (path, id) in &rewrites {
        let staged = crate::shell::atomic::stage_from(&top.join(path), false, |file| {
            git::blob_to(top, id, file).map_err(|e| std::io::Error::other(e.to_string()))
        })
        .map_err(|e| format!("{path}: {e}; {left}"))?;
        staged
            .commit()
            .map_err(|e| format!("{path}: {e}; {left}"))?;
    }
    git::run(
        top,
        &[
            "update-ref",
            "-m",
            "release-dashboard: pushed update",
            &format!("refs/heads/{branch}"),
            new,
            &old,
        ],
    )
    .map_err(|e| format!("{e}; {left}"))?;
    for entry in &entries {
        git::run(top, &["update-index", "--cacheinfo", entry])
            .map_err(|e| format!("the local branch {branch} now points at the update, but its index entries could not follow ({e}); `git reset -q` fixes the index"))?;
    }
    let _ = git::run(top, &["update-index", "-q", "--refresh"]);
    Ok(ours)
}

fn short_id(id: &str) -> &str {
    id.get(..7).unwrap_or(id)
}

/// A name for this run in the commit trailer: the Actions run when there
/// is one, else time and process.
fn run_id() -> String {
    match (
        std::env::var("GITHUB_RUN_ID"),
        std::env::var("GITHUB_RUN_ATTEMPT"),
    ) {
        (Ok(id), Ok(attempt)) if !id.is_empty() => format!("actions-{id}-{attempt}"),
        _ => {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            format!("{nanos:x}-{}", std::process::id())
        }
    }
}

/// The commit message: the subject, then the trailer naming the run.
fn message(report: &Report, skip_ci: bool, run_id: &str) -> String {
    format!("{}\n\n{TRAILER}: {run_id}\n", subject(report, skip_ci))
}

/// `chore(release): update release dashboard — 84.1% 🟠 [skip ci]`.
fn subject(report: &Report, skip_ci: bool) -> String {
    let skip = if skip_ci { " [skip ci]" } else { "" };
    format!(
        "chore(release): update release dashboard — {}% {}{skip}",
        fmt_pct(report.score.total, 1),
        report.score.band.emoji()
    )
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
