//! Under GitHub Actions: where the runner wants step outputs and the job
//! summary, and appending to those shared files.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Where the runner wants our outputs, when running under GitHub Actions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionsEnv {
    pub output: Option<PathBuf>,
    pub summary: Option<PathBuf>,
}

impl ActionsEnv {
    /// `Some` when `GITHUB_ACTIONS=true`.
    pub fn detect() -> Option<ActionsEnv> {
        if std::env::var("GITHUB_ACTIONS").ok().as_deref() != Some("true") {
            return None;
        }
        let path = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        Some(ActionsEnv {
            output: path("GITHUB_OUTPUT"),
            summary: path("GITHUB_STEP_SUMMARY"),
        })
    }
}

/// Append `text` to a runner file (they are shared by all steps: append only).
pub fn append(path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.flush()
}
