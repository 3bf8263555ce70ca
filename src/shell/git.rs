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
    /// The ref moved under us (someone pushed first, a concurrent push held
    /// the ref's lock, or a lease was stale): a race to retry.
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

/// Messages git prints when the ref moved between our fetch and our push,
/// locally (`[rejected] … (fetch first)`) or on the server (`[remote
/// rejected] … (cannot lock ref …: is at X but expected Y)`).
const RACE_SIGNS: [&str; 7] = [
    "cannot lock ref",
    "failed to update ref",
    "fetch first",
    "non-fast-forward",
    "stale info",
    "incorrect old value",
    "reference already exists",
];

/// A race first (a concurrent push is not a protection rule), then a
/// refusal by a hook or protection, then anything else.
pub fn classify_push(error: GitError) -> PushFailure {
    let text = error.message.to_ascii_lowercase();
    if RACE_SIGNS.iter().any(|sign| text.contains(sign)) {
        PushFailure::Behind(error.message)
    } else if text.contains("[remote rejected]")
        || text.contains("gh006")
        || text.contains("protected branch")
        || text.contains("hook declined")
    {
        PushFailure::Refused(error.message)
    } else if text.contains("[rejected]") {
        PushFailure::Behind(error.message)
    } else {
        PushFailure::Other(error)
    }
}

/// `git fetch origin <branch>` into `refs/remotes/origin/<branch>`; the tip
/// fetched, or `None` when origin has no such branch.
pub fn fetch_branch(dir: &Path, branch: &str) -> Result<Option<String>, GitError> {
    let Some(tip) = remote_head(dir, branch)? else {
        return Ok(None);
    };
    let refspec = format!("+refs/heads/{branch}:refs/remotes/origin/{branch}");
    run(dir, &["fetch", "-q", "--no-tags", "origin", &refspec])?;
    // The branch may have moved between ls-remote and fetch: what we fetched
    // is the tip we build on.
    let fetched = run(
        dir,
        &[
            "rev-parse",
            "--verify",
            "-q",
            &format!("refs/remotes/origin/{branch}^{{commit}}"),
        ],
    )
    .unwrap_or(tip);
    Ok(Some(fetched))
}

/// The mode and blob id of `path` in commit `rev`, `None` when absent.
pub fn entry_at(dir: &Path, rev: &str, path: &str) -> Result<Option<(String, String)>, GitError> {
    let line = run(dir, &["ls-tree", "-z", rev, "--", path])?;
    let line = line.trim_end_matches('\0');
    let Some((meta, name)) = line.split_once('\t') else {
        return Ok(None);
    };
    let mut parts = meta.split_whitespace();
    match (parts.next(), parts.next(), parts.next()) {
        (Some(mode), Some("blob"), Some(id)) if name == path => {
            Ok(Some((mode.to_string(), id.to_string())))
        }
        _ => Ok(None),
    }
}

/// The bytes of blob `id`.
pub fn blob(dir: &Path, id: &str) -> Result<Vec<u8>, GitError> {
    run_bytes(dir, &["cat-file", "blob", id], &[], None)
}

/// Write blob `id` into `out` (git writes it; it is never held here).
pub fn blob_to(dir: &Path, id: &str, out: &std::fs::File) -> Result<(), GitError> {
    use std::process::Stdio;
    let fail = |message: String| GitError {
        args: format!("cat-file blob {id}"),
        message,
    };
    let stdout = out
        .try_clone()
        .map_err(|e| fail(format!("cannot write the blob: {e}")))?;
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["cat-file", "blob", id])
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::from(stdout))
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| fail(format!("cannot run git: {e}")))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(fail(redact_url_credentials(
            String::from_utf8_lossy(&output.stderr).trim(),
        )))
    }
}

/// Store `bytes` as the blob for `path` (its attributes apply, as for `git
/// add`); returns the blob id.
pub fn hash_object(dir: &Path, path: &str, bytes: &[u8]) -> Result<String, GitError> {
    let path_arg = format!("--path={path}");
    let out = run_bytes(
        dir,
        &["hash-object", "-w", &path_arg, "--stdin"],
        &[],
        Some(bytes),
    )?;
    Ok(String::from_utf8_lossy(&out).trim().to_string())
}

/// The blob id `bytes` would have as `path`, without storing it.
pub fn hash_object_dry(dir: &Path, path: &str, bytes: &[u8]) -> Result<String, GitError> {
    let path_arg = format!("--path={path}");
    let out = run_bytes(
        dir,
        &["hash-object", &path_arg, "--stdin"],
        &[],
        Some(bytes),
    )?;
    Ok(String::from_utf8_lossy(&out).trim().to_string())
}

/// One file of a commit built with [`commit_tree`]: mode, blob id, path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeUpdate {
    pub mode: String,
    pub blob: String,
    pub path: String,
}

/// A commit whose tree is `parent`'s (or empty) with `updates` applied,
/// made in a temporary index: the user's index, work tree, HEAD and
/// branches are not touched. `config` are `-c` options (identity).
pub fn commit_tree(
    dir: &Path,
    parent: Option<&str>,
    updates: &[TreeUpdate],
    message: &str,
    config: &[String],
) -> Result<String, GitError> {
    let temp = tempfile::tempdir().map_err(|e| GitError {
        args: "commit-tree".into(),
        message: format!("cannot create a temporary index: {e}"),
    })?;
    let index = temp.path().join("index");
    let env = [("GIT_INDEX_FILE", index.as_os_str())];
    match parent {
        Some(parent) => run_with_env(dir, &["read-tree", parent], &env)?,
        None => run_with_env(dir, &["read-tree", "--empty"], &env)?,
    };
    for update in updates {
        let info = format!("{},{},{}", update.mode, update.blob, update.path);
        run_with_env(dir, &["update-index", "--add", "--cacheinfo", &info], &env)?;
    }
    let tree = run_with_env(dir, &["write-tree"], &env)?;
    let mut args: Vec<&str> = config.iter().map(String::as_str).collect();
    args.extend(["commit-tree", &tree]);
    if let Some(parent) = parent {
        args.extend(["-p", parent]);
    }
    let out = run_bytes(dir, &args, &[], Some(message.as_bytes()))?;
    Ok(String::from_utf8_lossy(&out).trim().to_string())
}

/// Commits in `range` (`a..b`) whose message has `key:` as a trailer line,
/// and all commits in it: `(ours, all)`.
pub fn count_with_trailer(dir: &Path, range: &str, key: &str) -> Option<(usize, usize)> {
    let all = count_commits(dir, range)?;
    let grep = format!("--grep=^{key}: ");
    let ours = run(dir, &["rev-list", "--count", "-E", &grep, range])
        .ok()?
        .parse()
        .ok()?;
    Some((ours, all))
}

/// Paths that differ between two commits.
pub fn diff_names(dir: &Path, from: &str, to: &str) -> Result<Vec<String>, GitError> {
    let out = run_raw(
        dir,
        &["diff", "--name-only", "-z", "--no-renames", from, to],
    )?;
    Ok(out
        .split('\0')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect())
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

/// Run git with optional stdin and return stdout's bytes as they are.
pub fn run_bytes(
    dir: &Path,
    args: &[&str],
    env: &[(&str, &std::ffi::OsStr)],
    stdin: Option<&[u8]>,
) -> Result<Vec<u8>, GitError> {
    match stdin {
        Some(mut bytes) => run_streamed(dir, args, env, Some(&mut bytes)),
        None => run_streamed(dir, args, env, None),
    }
}

/// The blob id of what `reader` yields as `path` (stored when `write`),
/// streamed to git: a file of any size is never held.
pub fn hash_object_from(
    dir: &Path,
    path: &str,
    reader: &mut dyn std::io::Read,
    write: bool,
) -> Result<String, GitError> {
    let path_arg = format!("--path={path}");
    let mut args = vec!["hash-object", &path_arg, "--stdin"];
    if write {
        args.insert(1, "-w");
    }
    let out = run_streamed(dir, &args, &[], Some(reader))?;
    Ok(String::from_utf8_lossy(&out).trim().to_string())
}

/// [`run_bytes`] with stdin copied from a reader.
fn run_streamed(
    dir: &Path,
    args: &[&str],
    env: &[(&str, &std::ffi::OsStr)],
    stdin: Option<&mut dyn std::io::Read>,
) -> Result<Vec<u8>, GitError> {
    use std::process::Stdio;
    let fail = |message: String| GitError {
        args: redact_url_credentials(&args.join(" ")),
        message,
    };
    let mut child = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .envs(env.iter().copied())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| fail(format!("cannot run git: {e}")))?;
    if let (Some(reader), Some(mut input)) = (stdin, child.stdin.take()) {
        // git reads all of stdin before writing much, so this cannot deadlock
        // on the small outputs of hash-object and commit-tree.
        std::io::copy(reader, &mut input).map_err(|e| fail(format!("cannot write to git: {e}")))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|e| fail(format!("cannot run git: {e}")))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(fail(redact_url_credentials(
            String::from_utf8_lossy(&output.stderr).trim(),
        )))
    }
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
    fn a_moved_ref_is_a_race_and_a_hook_is_final() {
        let error = |message: &str| GitError {
            args: "push".into(),
            message: message.into(),
        };
        for race in [
            " ! [remote rejected] main -> main (cannot lock ref 'refs/heads/main': is at 1 but expected 2)",
            " ! [rejected]        main -> main (fetch first)",
            " ! [rejected]        main -> main (non-fast-forward)",
            " ! [rejected]        main -> main (stale info)",
            " ! [remote rejected] main -> main (failed to update ref)",
        ] {
            assert!(
                matches!(classify_push(error(race)), PushFailure::Behind(_)),
                "{race}"
            );
        }
        for refusal in [
            " ! [remote rejected] main -> main (pre-receive hook declined)",
            "remote: error: GH006: Protected branch update failed",
        ] {
            assert!(
                matches!(classify_push(error(refusal)), PushFailure::Refused(_)),
                "{refusal}"
            );
        }
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
