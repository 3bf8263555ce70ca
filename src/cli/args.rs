//! Command-line arguments (seed-compatible flags).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use secrecy::SecretString;

/// The examples ending `--help` (and the man page's EXTRA section).
pub const EXAMPLES: &str = "\
Examples:
  release-dashboard --dry-run
      Show what an update would change (a diff); write nothing.
  release-dashboard inspect --checklist docs/RELEASE.md
      Show how a checklist is read: categories, items, what decided each state.
  release-dashboard
      Score the checklist, rewrite its generated blocks, append to the history.
  release-dashboard --check-only
      CI gate: exit 1 below the threshold and list the blockers; write nothing.
  release-dashboard --runs-file runs.json --branch main
      Take CI health from saved `gh api` output instead of the API.
  release-dashboard --sync-status
      Also rewrite the status of gates bound to a workflow to what CI says.
  release-dashboard --commit --pr-comment --notify
      Update, commit and push, comment on the pull request, alert Slack.
  release-dashboard history --svg trend.svg
      Show the score trend and write it as an SVG chart.
  release-dashboard report --html report.html
      Write a self-contained HTML report.
  release-dashboard completions bash > ~/.local/share/bash-completion/completions/release-dashboard
      Install bash completion.";

/// Keep a release readiness checklist true: score its gate tables and task
/// lists, rewrite its generated blocks, record history, gate CI.
///
/// Without a subcommand, the flags below run an update.
#[derive(Debug, Parser)]
#[command(
    name = "release-dashboard",
    version,
    about,
    long_about = None,
    args_conflicts_with_subcommands = true,
    after_help = EXAMPLES
)]
pub struct Cli {
    /// A subcommand; none means an update.
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub update: UpdateArgs,
}

/// Subcommands; none means an update with the top-level flags.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Write a starter checklist, .release-dashboard.toml and a GitHub workflow.
    Init(InitArgs),

    /// Print a shell completion script to stdout.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },

    /// Print the man page (roff) to stdout.
    Man,

    /// Write a self-contained HTML report (score, categories, blockers, CI, trend); writes nothing else.
    Report(Box<ReportArgs>),

    /// Show the score trend of the history file; export it as CSV or an SVG chart.
    History(HistoryArgs),

    /// Show how the checklist is read: each category and item with its state, line and what decided it, and what was not counted and why. Offline; writes nothing.
    Inspect(InspectArgs),

    /// Roll up the `--format json` results of many updates (one per repository) into one readiness view.
    Portfolio(PortfolioArgs),
}

/// Flags of `release-dashboard inspect`.
#[derive(Debug, Clone, Args)]
pub struct InspectArgs {
    /// The checklist Markdown file [default: config `checklist`, else the single *release-checklist*.md here].
    #[arg(long, value_name = "PATH", env = "RELEASE_DASHBOARD_CHECKLIST")]
    pub checklist: Option<PathBuf>,

    /// Config file [default: .release-dashboard.toml if present].
    #[arg(long, value_name = "PATH", env = "RELEASE_DASHBOARD_CONFIG")]
    pub config: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Flags of `release-dashboard portfolio`.
#[derive(Debug, Clone, Args)]
pub struct PortfolioArgs {
    /// Result files, or directories searched for `*.json` (e.g. downloaded artifacts).
    #[arg(value_name = "RESULT", required = true)]
    pub results: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = PortfolioFormat::Markdown)]
    pub format: PortfolioFormat,

    /// Write to PATH instead of stdout. A Markdown file with
    /// `<!-- PORTFOLIO_START -->`/`<!-- PORTFOLIO_END -->` markers gets only that block rewritten.
    #[arg(long, value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// Exit 1 when any blocking repository is below its threshold (or a result was left out).
    #[arg(long)]
    pub gate: bool,

    /// A repository (OWNER/REPO, or a result file) that is shown but does not block; repeatable.
    #[arg(long, value_name = "OWNER/REPO")]
    pub optional: Vec<String>,

    /// Print only errors.
    #[arg(short, long)]
    pub quiet: bool,
}

/// What `portfolio` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum PortfolioFormat {
    /// A Markdown page (or the content of its managed block).
    #[default]
    Markdown,
    /// One JSON object (versioned).
    Json,
    /// A self-contained HTML page.
    Html,
}

/// Flags of `init`.
#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// Directory to write the files into (created if missing).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
}

/// Flags of `release-dashboard report`.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Where to write the HTML file (parent directories are created).
    #[arg(long, value_name = "PATH")]
    pub html: PathBuf,

    /// The same inputs as an update.
    #[command(flatten)]
    pub inputs: UpdateArgs,
}

/// Flags of `release-dashboard history`.
#[derive(Debug, Clone, Args)]
pub struct HistoryArgs {
    /// History file [default: config `history`, else .cache/readiness.json].
    #[arg(long, value_name = "PATH", env = "RELEASE_DASHBOARD_HISTORY")]
    pub history: Option<PathBuf>,

    /// Config file [default: .release-dashboard.toml if present].
    #[arg(long, value_name = "PATH", env = "RELEASE_DASHBOARD_CONFIG")]
    pub config: Option<PathBuf>,

    /// How many of the newest scored entries the trend looks at.
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u32).range(2..))]
    pub lookback: u32,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Also write the whole history as CSV to PATH.
    #[arg(long, value_name = "PATH")]
    pub csv: Option<PathBuf>,

    /// Also write an SVG line chart of the scores to PATH.
    #[arg(long, value_name = "PATH")]
    pub svg: Option<PathBuf>,

    /// Draw one line per category in the SVG chart.
    #[arg(long, requires = "svg")]
    pub categories: bool,

    /// The SVG chart's target line, 0–100 [default: config thresholds.gate, else 90].
    #[arg(long, value_name = "PCT", env = "RELEASE_DASHBOARD_THRESHOLD", value_parser = parse_percent)]
    pub threshold: Option<f64>,

    /// Print only errors.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Tables and status lines for people.
    #[default]
    Text,
    /// One JSON object on stdout.
    Json,
}

/// Flags of an update (the bare command).
#[derive(Debug, Clone, Args, Default)]
pub struct UpdateArgs {
    /// The checklist Markdown file [default: the single *release-checklist*.md here].
    #[arg(long, value_name = "PATH", env = "RELEASE_DASHBOARD_CHECKLIST")]
    pub checklist: Option<PathBuf>,

    /// Config file [default: .release-dashboard.toml if present].
    #[arg(long, value_name = "PATH", env = "RELEASE_DASHBOARD_CONFIG")]
    pub config: Option<PathBuf>,

    /// Read workflow runs from a saved JSON file (`-` for stdin) instead of the API.
    #[arg(long, value_name = "PATH|-", conflicts_with = "offline")]
    pub runs_file: Option<PathBuf>,

    /// Collect no CI data (the CI block says so; the score is unaffected).
    #[arg(long)]
    pub offline: bool,

    /// Branch whose CI runs are summarised [default: main].
    #[arg(long, value_name = "NAME", env = "RELEASE_DASHBOARD_BRANCH")]
    pub branch: Option<String>,

    /// How many of the newest runs make the CI window [default: 100].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub runs: Option<u32>,

    /// Write nothing: print a diff of the checklist and what else would happen.
    #[arg(long)]
    pub dry_run: bool,

    /// Rewrite the written status of items bound to a workflow (a task's checkbox, a status cell) to what CI says; changes no other byte outside the managed blocks.
    #[arg(long)]
    pub sync_status: bool,

    /// Write nothing: print the score and PASS/FAIL against --threshold; exit 0 or 1.
    #[arg(long)]
    pub check_only: bool,

    /// Gate threshold in percent, 0–100 [default: 90].
    #[arg(long, value_name = "PCT", env = "RELEASE_DASHBOARD_THRESHOLD", value_parser = parse_percent)]
    pub threshold: Option<f64>,

    /// Do not append to the history file.
    #[arg(long)]
    pub no_cache: bool,

    /// History file [default: .cache/readiness.json].
    #[arg(long, value_name = "PATH", env = "RELEASE_DASHBOARD_HISTORY")]
    pub history: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Say more about what happens (to stderr).
    #[arg(short, long, conflicts_with = "quiet")]
    pub verbose: bool,

    /// Print only errors.
    #[arg(short, long)]
    pub quiet: bool,

    /// Commit the changed checklist and history and push them to origin/<branch>.
    #[arg(long)]
    pub commit: bool,

    /// Push the update to release-dashboard/<branch> and open or update a pull request instead.
    #[arg(long)]
    pub open_pr: bool,

    /// GitHub token [default: $GH_TOKEN, else $GITHUB_TOKEN]. Never printed.
    #[arg(long, value_name = "TOKEN", value_parser = parse_secret)]
    pub token: Option<SecretString>,

    /// Repository [default: $GITHUB_REPOSITORY, else the origin remote].
    #[arg(long, value_name = "OWNER/REPO")]
    pub repo: Option<String>,

    /// GitHub API base URL (GitHub Enterprise Server: https://HOST/api/v3) [default: https://api.github.com].
    #[arg(long, value_name = "URL", env = "GITHUB_API_URL")]
    pub api_url: Option<String>,

    /// Seconds to wait for an HTTP response (GitHub and Slack) before retrying it as a timeout.
    #[arg(
        long,
        value_name = "SECONDS",
        env = "RELEASE_DASHBOARD_HTTP_TIMEOUT",
        default_value_t = 30,
        value_parser = clap::value_parser!(u64).range(1..=600)
    )]
    pub http_timeout: u64,

    /// Post or update the readiness comment on the pull request.
    #[arg(long)]
    pub pr_comment: bool,

    /// Pull request number for --pr-comment [default: from $GITHUB_EVENT_PATH or $GITHUB_REF].
    #[arg(long, value_name = "N")]
    pub pr: Option<u64>,

    /// Treat a failed PR comment (e.g. a fork's read-only token) or Slack alert as an error, not a warning.
    #[arg(long)]
    pub strict: bool,

    /// Send a Slack alert when the score is below --notify-threshold.
    #[arg(long)]
    pub notify: bool,

    /// Alert threshold in percent, 0–100 [default: config thresholds.notify, else 90].
    #[arg(long, value_name = "PCT", value_parser = parse_percent, requires = "notify")]
    pub notify_threshold: Option<f64>,

    /// Send the Slack alert whatever the score.
    #[arg(long, requires = "notify")]
    pub notify_always: bool,

    /// Slack incoming-webhook URL for --notify. A secret: never printed.
    #[arg(
        long,
        value_name = "URL",
        env = "SLACK_WEBHOOK_URL",
        hide_env_values = true,
        value_parser = parse_webhook
    )]
    pub slack_webhook: Option<SecretString>,
}

fn parse_secret(s: &str) -> Result<SecretString, String> {
    if s.trim().is_empty() {
        return Err("the token is empty".into());
    }
    Ok(SecretString::from(s.trim().to_string()))
}

/// The webhook is not checked here: clap quotes a rejected value in its
/// message, and the URL is a secret. An empty value (an unset Actions
/// secret) counts as absent; `--notify` checks the rest.
#[allow(clippy::unnecessary_wraps)] // clap's value_parser signature
fn parse_webhook(s: &str) -> Result<SecretString, String> {
    Ok(SecretString::from(s.trim().to_string()))
}

fn parse_percent(s: &str) -> Result<f64, String> {
    let value: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number"))?;
    crate::core::settings::check_threshold("the threshold", value)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use clap::CommandFactory as _;

    /// Every example in `--help` is a command line clap accepts.
    #[test]
    fn help_examples_parse() {
        let examples: Vec<&str> = EXAMPLES
            .lines()
            .filter_map(|l| l.strip_prefix("  release-dashboard"))
            .collect();
        assert!(examples.len() >= 6);
        for example in examples {
            let line = example.split('>').next().unwrap();
            let words = std::iter::once("release-dashboard").chain(line.split_whitespace());
            Cli::try_parse_from(words).unwrap_or_else(|e| panic!("{example}: {e}"));
        }
        let help = Cli::command().render_help().to_string();
        assert!(
            help.contains("Examples:\n  release-dashboard --dry-run"),
            "{help}"
        );
    }
}
