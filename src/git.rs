//! A thin wrapper over the `git` command line: `git -C dir …`, with git's
//! own stderr kept in errors and credentials in URLs redacted.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::github::context::redact_url_credentials;

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
    let shown = redact_url_credentials(&args.join(" "));
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|e| GitError {
            args: shown.clone(),
            message: format!("cannot run git: {e}"),
        })?;
    if output.status.success() {
        return Ok(String::from_utf8_lossy(&output.stdout).trim().to_string());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    Err(GitError {
        args: shown,
        message: redact_url_credentials(stderr.trim()),
    })
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
    let dir = path.parent()?;
    let top = std::fs::canonicalize(toplevel(dir)?).ok()?;
    let full = std::fs::canonicalize(path).ok()?;
    let relative = full.strip_prefix(top).ok()?;
    Some(
        relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
    )
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
