//! Everything one run found out, as the renderers need it.

use crate::core::ci::CiHealth;
use crate::core::gates::ExtraRun;
use crate::core::score::Score;

/// CI health and where it came from.
#[derive(Debug, Clone)]
pub struct CiReport {
    pub health: CiHealth,
    pub source: CiSource,
    /// Bound workflows with no run in the window, looked up on their own.
    pub extra: Vec<ExtraRun>,
}

/// Where a result comes from, for roll-ups across repositories
/// (`portfolio`): all optional, since a run outside a repository has none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provenance {
    /// `OWNER/REPO`.
    pub repository: Option<String>,
    /// The branch whose CI is summarised and the checklist is on.
    pub branch: Option<String>,
    /// The checklist's web URL on that branch.
    pub checklist_url: Option<String>,
    /// When the run happened (RFC 3339, UTC).
    pub generated_at: Option<String>,
}

/// The outcome of scoring a checklist, before or after writing.
#[derive(Debug, Clone)]
pub struct Report {
    /// The checklist path as the user named it.
    pub checklist: String,
    pub score: Score,
    pub threshold: f64,
    /// `None` for an offline run.
    pub ci: Option<CiReport>,
    /// Whether the checklist or history changed (or would, in a dry run).
    pub changed: bool,
    pub warnings: Vec<String>,
}

impl Report {
    /// Whether the score meets the threshold.
    pub fn passed(&self) -> bool {
        self.score.total >= self.threshold
    }

    /// CI health with its source, for the Markdown renderer.
    pub fn ci_parts(&self) -> Option<(&CiHealth, CiSource)> {
        self.ci.as_ref().map(|c| (&c.health, c.source))
    }
}

/// Where CI data came from, for the block's footer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CiSource {
    /// A saved runs file.
    RunsFile,
    /// The GitHub REST API.
    Api,
}

impl CiSource {
    /// The word used in JSON (`runs_file`, `api`).
    pub fn as_str(self) -> &'static str {
        match self {
            CiSource::RunsFile => "runs_file",
            CiSource::Api => "api",
        }
    }

    /// Words for the block's footer.
    pub fn describe(self) -> &'static str {
        match self {
            CiSource::RunsFile => "GitHub Actions runs file",
            CiSource::Api => "GitHub Actions API",
        }
    }
}
