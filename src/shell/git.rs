//! A thin wrapper over the `git` command line: `git -C dir …`, with git's
//! own stderr kept in errors and credentials in URLs redacted.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::shell::http::redact::url_credentials as redact_url_credentials;

/// A git command that could not run or exited non-zero.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`git {args}` failed: {message}")]
pub struct GitError {
    /// The arguments, redacted.
    pub args: String,
    /// git's stderr (redacted), or why it could not start.
    pub message: String,
}

/// Run `git -C dir args…` and return its trimmed stdout.
pub fn run(dir: &Path, args: &[&str]) -> Result<String, GitError> {
    run_raw(dir, args).map(|out| out.trim().to_string())
}

/// The URL of remote `name`, if the directory is in a repository that has it.
pub fn remote_url(dir: &Path, name: &str) -> Option<String> {
    run(dir, &["remote", "get-url", name]).ok()
}

/// The top directory of the work tree holding `dir`.
pub fn toplevel(dir: &Path) -> Option<PathBuf> {
    run(dir, &["rev-parse", "--show-toplevel"])
        .ok()
        .map(PathBuf::from)
}

/// `path` relative to its repository's top directory, with `/` separators.
pub fn path_in_repo(path: &Path) -> Option<String> {
    let top = std::fs::canonicalize(toplevel(path.parent()?)?).ok()?;
    relative_to(&top, path)
}

/// `path` (which need not exist yet; its directory must) relative to the
/// canonical directory `top`, with `/` separators; `None` when outside.
pub fn relative_to(top: &Path, path: &Path) -> Option<String> {
    let full = std::fs::canonicalize(path).ok().or_else(|| {
        let parent = std::fs::canonicalize(path.parent()?).ok()?;
        Some(parent.join(path.file_name()?))
    })?;
    let inside = full.strip_prefix(top).ok()?;
    Some(
        inside
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// The identity git would commit with is incomplete: these `-c` options
/// supply the Actions bot (the user's config is never edited).
pub fn identity_args(dir: &Path) -> Vec<String> {
    let configured = |key: &str| run(dir, &["config", "--get", key]).is_ok_and(|v| !v.is_empty());
    if configured("user.name") && configured("user.email") {
        return Vec::new();
    }
    vec![
        "-c".into(),
        "user.name=github-actions[bot]".into(),
        "-c".into(),
        "user.email=41898282+github-actions[bot]@users.noreply.github.com".into(),
    ]
}

/// Refuse names git would reject as a branch, and any starting with `-`.
pub fn check_branch_name(dir: &Path, name: &str) -> Result<(), String> {
    let valid = !name.starts_with('-') && run(dir, &["check-ref-format", "--branch", name]).is_ok();
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a valid branch name (git check-ref-format --branch rejects it); pass --branch NAME"
        ))
    }
}

/// Of `paths` (relative to `dir`, the top of the work tree), those whose
/// content differs from HEAD, new ones included, ignored ones excluded.
pub fn changed_paths(dir: &Path, paths: &[String]) -> Result<Vec<String>, GitError> {
    let mut args = vec![
        "status",
        "--porcelain=v1",
        "-z",
        "--untracked-files=all",
        "--",
    ];
    args.extend(paths.iter().map(String::as_str));
    let status = run_raw(dir, &args)?;
    Ok(status
        .split('\0')
        .filter(|entry| entry.len() > 3)
        .map(|entry| entry[3..].to_string())
        .filter(|path| paths.contains(path))
        .collect())
}

/// Tracked files with uncommitted changes, other than `ours`.
pub fn other_changes(dir: &Path, ours: &[String]) -> Result<Vec<String>, GitError> {
    let status = run_raw(
        dir,
        &["status", "--porcelain=v1", "-z", "--untracked-files=no"],
    )?;
    Ok(status
        .split('\0')
        .filter(|entry| entry.len() > 3)
        .map(|entry| entry[3..].to_string())
        .filter(|path| !ours.contains(path))
        .collect())
}

/// Why a push failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushFailure {
    /// The remote moved on (someone pushed first), or a lease was stale.
    Behind(String),
    /// A hook or branch protection refused it: final.
    Refused(String),
    /// Anything else.
    Other(GitError),
}

/// `git push origin <refspec>` (with `--force-with-lease=<lease>` if given;
/// never a plain force).
pub fn push(dir: &Path, refspec: &str, lease: Option<&str>) -> Result<(), PushFailure> {
    let lease_arg = lease.map(|l| format!("--force-with-lease={l}"));
    let mut args = vec!["push", "origin"];
    if let Some(lease) = &lease_arg {
        args.insert(1, lease);
    }
    args.push(refspec);
    match run(dir, &args) {
        Ok(_) => Ok(()),
        Err(error) => Err(classify_push(error)),
    }
}

fn classify_push(error: GitError) -> PushFailure {
    let text = error.message.to_ascii_lowercase();
    if text.contains("[remote rejected]")
        || text.contains("gh006")
        || text.contains("protected branch")
    {
        PushFailure::Refused(error.message)
    } else if text.contains("non-fast-forward")
        || text.contains("fetch first")
        || text.contains("stale info")
        || text.contains("[rejected]")
    {
        PushFailure::Behind(error.message)
    } else {
        PushFailure::Other(error)
    }
}

/// The branch HEAD is on, or `None` for a detached HEAD.
pub fn current_branch(dir: &Path) -> Option<String> {
    run(dir, &["symbolic-ref", "--short", "-q", "HEAD"])
        .ok()
        .filter(|b| !b.is_empty())
}

/// How many commits `git rev-list --count <range>` lists; `None` when a
/// revision in the range does not exist.
pub fn count_commits(dir: &Path, range: &str) -> Option<usize> {
    run(dir, &["rev-list", "--count", range]).ok()?.parse().ok()
}

/// The commit `origin` has for branch `name`, if the branch exists there.
pub fn remote_head(dir: &Path, name: &str) -> Result<Option<String>, GitError> {
    let line = run(dir, &["ls-remote", "origin", &format!("refs/heads/{name}")])?;
    Ok(line.split_whitespace().next().map(str::to_string))
}

/// [`run`] with extra environment variables (e.g. `GIT_INDEX_FILE`).
pub fn run_with_env(
    dir: &Path,
    args: &[&str],
    env: &[(&str, &std::ffi::OsStr)],
) -> Result<String, GitError> {
    run_raw_env(dir, args, env).map(|out| out.trim().to_string())
}

/// Like [`run`], but keeps stdout untrimmed (for `-z` output).
fn run_raw(dir: &Path, args: &[&str]) -> Result<String, GitError> {
    run_raw_env(dir, args, &[])
}

fn run_raw_env(
    dir: &Path,
    args: &[&str],
    env: &[(&str, &std::ffi::OsStr)],
) -> Result<String, GitError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .envs(env.iter().copied())
        .output()
        .map_err(|e| GitError {
            args: args.join(" "),
            message: format!("cannot run git: {e}"),
        })?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(GitError {
            args: redact_url_credentials(&args.join(" ")),
            message: redact_url_credentials(String::from_utf8_lossy(&output.stderr).trim()),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn errors_keep_stderr_and_hide_credentials() {
        let dir = tempfile::tempdir().unwrap();
        let err = run(
            dir.path(),
            &[
                "remote",
                "add",
                "x",
                "https://user:s3cret@host/o/r.git",
                "extra",
            ],
        )
        .unwrap_err();
        assert!(!err.to_string().contains("s3cret"), "{err}");
        assert!(!err.message.is_empty());
    }

    #[test]
    fn finds_remote_and_path_in_repo() {
        let dir = tempfile::tempdir().unwrap();
        run(dir.path(), &["init", "-q"]).unwrap();
        run(
            dir.path(),
            &["remote", "add", "origin", "git@github.com:acme/widget.git"],
        )
        .unwrap();
        assert_eq!(
            remote_url(dir.path(), "origin").as_deref(),
            Some("git@github.com:acme/widget.git")
        );
        std::fs::create_dir(dir.path().join("docs")).unwrap();
        let file = dir.path().join("docs/list.md");
        std::fs::write(&file, "").unwrap();
        assert_eq!(path_in_repo(&file).as_deref(), Some("docs/list.md"));
        let outside = tempfile::tempdir().unwrap();
        assert_eq!(remote_url(outside.path(), "origin"), None);
    }
}
