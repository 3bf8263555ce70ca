//! The one place where flags, environment, the config file and built-in
//! defaults become typed settings (flags beat environment beat file beat
//! defaults).

use std::path::{Path, PathBuf};
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

use crate::cli::config::{CONFIG_FILE, FileConfig};
use crate::cli::{Format, HistoryArgs, UpdateArgs};
use crate::core::settings::{
    DEFAULT_BRANCH, DEFAULT_HISTORY, DEFAULT_RUNS, DEFAULT_THRESHOLD, Settings, check_threshold,
};
use crate::error::{Error, Result};
use crate::shell::slack::is_usable_url;

/// What the `history` command needs, resolved like an update's settings.
#[derive(Debug, Clone)]
pub struct HistorySettings {
    /// The history file.
    pub history: PathBuf,
    /// The gate threshold (the SVG's target line).
    pub threshold: f64,
}

/// Merge `args` with the config file and defaults; `cwd` anchors relative
/// flag paths.
pub fn resolve(args: &UpdateArgs, cwd: &Path) -> Result<Settings> {
    let (config, config_path) = load_config(args.config.as_deref(), cwd)?;
    let config_dir = config_dir(config_path.as_deref(), cwd);
    let invalid = invalid_in(config_path.as_deref());
    let categories = config.categories().map_err(&invalid)?;
    let markers = config.markers().map_err(&invalid)?;
    let threshold = gate_threshold(args.threshold, &config).map_err(&invalid)?;
    let notify_threshold = match (args.notify_threshold, config.thresholds.notify) {
        (Some(flag), _) => flag,
        (None, Some(file)) => check_threshold("thresholds.notify", file).map_err(&invalid)?,
        (None, None) => DEFAULT_THRESHOLD,
    };
    let checklist = match (&args.checklist, &config.checklist) {
        (Some(flag), _) => cwd.join(flag),
        (None, Some(file)) => config_dir.join(file),
        (None, None) => discover_checklist(cwd)?,
    };
    let history = history_path(args.history.as_deref(), &config, &config_dir, cwd);
    let branch = args
        .branch
        .clone()
        .or_else(|| config.branch.clone())
        .unwrap_or_else(|| DEFAULT_BRANCH.to_string());
    if branch.trim().is_empty() {
        return Err(Error::Input(
            "the branch name is empty; pass --branch NAME".into(),
        ));
    }
    let runs = args
        .runs
        .map(|n| n as usize)
        .or(config.runs)
        .unwrap_or(DEFAULT_RUNS);
    if runs == 0 {
        return Err(invalid("`runs` must be at least 1".into()));
    }
    Ok(Settings {
        vocabulary: config.vocabulary(),
        checklist,
        history,
        threshold,
        notify_threshold,
        branch,
        runs,
        categories,
        categories_configured: config.categories.is_some(),
        gates: config
            .gates
            .iter()
            .map(|(item, workflow)| (item.clone(), workflow.clone()))
            .collect(),
        sync_status: args.sync_status || config.sync_status.unwrap_or(false),
        block_heading: match config.block_heading {
            None => None,
            Some(level @ 1..=6) => Some(level),
            Some(other) => {
                return Err(invalid(format!(
                    "`block_heading` must be a heading level from 1 to 6, not {other}"
                )));
            }
        },
        status_columns: config.status_columns.clone(),
        markers,
        config_path,
    })
}

/// The `history` command's settings: `--history`, else the config file's
/// `history`, else `.cache/readiness.json`; `--threshold`, else the config
/// file's `thresholds.gate`, else 90.
pub fn resolve_history(args: &HistoryArgs, cwd: &Path) -> Result<HistorySettings> {
    let (config, config_path) = load_config(args.config.as_deref(), cwd)?;
    let config_dir = config_dir(config_path.as_deref(), cwd);
    Ok(HistorySettings {
        history: history_path(args.history.as_deref(), &config, &config_dir, cwd),
        threshold: gate_threshold(args.threshold, &config)
            .map_err(invalid_in(config_path.as_deref()))?,
    })
}

/// The directory relative paths in the config file resolve against.
fn config_dir(config_path: Option<&Path>, cwd: &Path) -> PathBuf {
    config_path
        .and_then(Path::parent)
        .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf)
}

/// Turns a message about the config file into an input error naming it.
fn invalid_in(config_path: Option<&Path>) -> impl Fn(String) -> Error + use<> {
    let path = config_path.map_or_else(|| CONFIG_FILE.to_string(), |p| p.display().to_string());
    move |message| Error::Input(format!("{path}: {message}"))
}

/// The flag's threshold, else the config file's `thresholds.gate`, else 90.
fn gate_threshold(flag: Option<f64>, config: &FileConfig) -> Result<f64, String> {
    match (flag, config.thresholds.gate) {
        (Some(flag), _) => Ok(flag),
        (None, Some(file)) => check_threshold("thresholds.gate", file),
        (None, None) => Ok(DEFAULT_THRESHOLD),
    }
}

/// The flag's history path (from `cwd`), else the config file's (from its
/// directory), else `.cache/readiness.json` in `cwd`.
fn history_path(
    flag: Option<&Path>,
    config: &FileConfig,
    config_dir: &Path,
    cwd: &Path,
) -> PathBuf {
    match (flag, &config.history) {
        (Some(flag), _) => cwd.join(flag),
        (None, Some(file)) => config_dir.join(file),
        (None, None) => cwd.join(DEFAULT_HISTORY),
    }
}

fn load_config(named: Option<&Path>, cwd: &Path) -> Result<(FileConfig, Option<PathBuf>)> {
    let path = if let Some(named) = named {
        cwd.join(named)
    } else {
        let default = cwd.join(CONFIG_FILE);
        if !default.is_file() {
            return Ok((FileConfig::default(), None));
        }
        default
    };
    let config = FileConfig::load(&path).map_err(|e| Error::Input(e.to_string()))?;
    Ok((config, Some(path)))
}

/// The single `*release-checklist*.md` (case-insensitive) in `dir`.
pub fn discover_checklist(dir: &Path) -> Result<PathBuf> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Error::Runtime(format!("{}: cannot list the directory: {e}", dir.display()))
    })?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file() && is_checklist_name(path))
        .collect();
    found.sort();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(Error::Input(format!(
            "no checklist found: no file named *release-checklist*.md in {}; pass --checklist PATH or set `checklist = \"…\"` in {CONFIG_FILE}",
            dir.display()
        ))),
        several => {
            let names: Vec<String> = several
                .iter()
                .map(|p| format!("  {}", p.display()))
                .collect();
            Err(Error::Input(format!(
                "several checklists found; pass --checklist PATH or set `checklist` in {CONFIG_FILE} to choose one:\n{}",
                names.join("\n")
            )))
        }
    }
}

fn is_checklist_name(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let squashed: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
    squashed.contains("releasechecklist")
        && Path::new(&name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

/// What an update does with what it computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Rewrite the checklist, append the history, publish, deliver.
    Write,
    /// Write nothing: print a diff and what else would happen.
    DryRun,
    /// Write nothing: print the score and judge it against the gate.
    CheckOnly,
}

/// Where a written update goes after the files are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publish {
    /// The files stay as written.
    None,
    /// Commit and push to origin/<branch> (`--commit`).
    Commit,
    /// Push to release-dashboard/<branch> and open a pull request (`--open-pr`).
    OpenPr,
}

/// Where the CI data comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CiInput {
    /// No CI data (`--offline`).
    Offline,
    /// No CI data needed (a check-only run without a PR comment).
    Unused,
    /// A saved runs file (`-` for stdin).
    RunsFile(PathBuf),
    /// The GitHub REST API.
    Api,
}

/// How to reach GitHub: the flags as given; the environment fills the gaps
/// when (and only when) the API is used.
#[derive(Debug, Clone, Default)]
pub struct GithubAccess {
    /// `--token`, else `GH_TOKEN` / `GITHUB_TOKEN` at use.
    pub token: Option<SecretString>,
    /// `--repo`, else `GITHUB_REPOSITORY` or the origin remote at use.
    pub repo: Option<String>,
    /// `--api-url` (or `GITHUB_API_URL`).
    pub api_url: Option<String>,
}

/// A message sent to people after the update. Each runs through one loop
/// that applies the dry-run / strict / warn policy (`app::update::deliver`).
#[derive(Debug, Clone)]
pub enum Delivery {
    /// `--pr-comment`: one readiness comment on the pull request.
    PrComment {
        /// `--pr`, else from the Actions event at use.
        pr: Option<u64>,
    },
    /// `--notify`: a Slack alert below `--notify-threshold`.
    Slack {
        /// The checked incoming-webhook URL (a secret).
        webhook: SecretString,
        /// Send whatever the score (`--notify-always`).
        always: bool,
    },
}

/// How much is printed, and in which format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Output {
    pub quiet: bool,
    pub verbose: bool,
    pub format: Format,
}

/// Everything an update is asked to do, resolved once from flags,
/// environment and config file. Nothing below `app/` sees the flags.
#[derive(Debug, Clone)]
pub struct UpdateRun {
    pub settings: Settings,
    pub mode: Mode,
    pub publish: Publish,
    pub ci: CiInput,
    pub github: GithubAccess,
    pub deliveries: Vec<Delivery>,
    /// A failed delivery is an error (exit 1), not a warning.
    pub strict: bool,
    /// Per HTTP request, waits included.
    pub http_timeout: Duration,
    /// Append to the history and keep the HTTP cache (not `--no-cache`).
    pub record: bool,
    pub output: Output,
}

impl UpdateRun {
    /// Whether the run posts a PR comment.
    #[must_use]
    pub fn comments_on_pr(&self) -> bool {
        self.deliveries
            .iter()
            .any(|d| matches!(d, Delivery::PrComment { .. }))
    }
}

/// What the flags ask an update to do, before anything is checked: enough
/// for a command that refuses them to say which were given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Intent {
    pub mode: Mode,
    /// `--dry-run` given alongside `--check-only` (which wins).
    pub dry_run_too: bool,
    pub publish: Publish,
    pub pr_comment: bool,
    pub notify: bool,
    pub format: Format,
}

impl Intent {
    /// Read the flags (infallible).
    #[must_use]
    pub fn of(args: &UpdateArgs) -> Intent {
        let mode = match (args.check_only, args.dry_run) {
            (true, _) => Mode::CheckOnly,
            (false, true) => Mode::DryRun,
            (false, false) => Mode::Write,
        };
        let publish = match (args.open_pr, args.commit) {
            (true, _) => Publish::OpenPr,
            (false, true) => Publish::Commit,
            (false, false) => Publish::None,
        };
        Intent {
            mode,
            dry_run_too: args.check_only && args.dry_run,
            publish,
            pr_comment: args.pr_comment,
            notify: args.notify,
            format: args.format,
        }
    }

    /// The flags that only an update takes, as given.
    #[must_use]
    pub fn update_only_flags(&self) -> Vec<&'static str> {
        let mode: &[&'static str] = match (self.mode, self.dry_run_too) {
            (Mode::Write, _) => &[],
            (Mode::DryRun, _) => &["--dry-run"],
            (Mode::CheckOnly, true) => &["--dry-run", "--check-only"],
            (Mode::CheckOnly, false) => &["--check-only"],
        };
        let publish = match self.publish {
            Publish::None => None,
            Publish::Commit => Some("--commit"),
            Publish::OpenPr => Some("--open-pr"),
        };
        let format = match self.format {
            Format::Text => None,
            Format::Json => Some("--format json"),
        };
        mode.iter()
            .copied()
            .chain(publish)
            .chain(self.pr_comment.then_some("--pr-comment"))
            .chain(self.notify.then_some("--notify"))
            .chain(format)
            .collect()
    }
}

/// Resolve an update's flags, environment and config file (`cwd` anchors
/// relative paths): the settings first, then the deliveries' secrets.
pub fn resolve_update(args: &UpdateArgs, cwd: &Path) -> Result<UpdateRun> {
    let settings = resolve(args, cwd)?;
    let Intent { mode, publish, .. } = Intent::of(args);
    let ci = match (&args.runs_file, args.offline) {
        (_, true) => CiInput::Offline,
        (Some(path), false) => CiInput::RunsFile(path.clone()),
        // The gate alone needs no CI data; a PR comment shows it.
        (None, false) if args.check_only && !args.pr_comment => CiInput::Unused,
        (None, false) => CiInput::Api,
    };
    let mut deliveries = Vec::new();
    if args.pr_comment {
        deliveries.push(Delivery::PrComment { pr: args.pr });
    }
    if let Some(webhook) = webhook(args)? {
        deliveries.push(Delivery::Slack {
            webhook,
            always: args.notify_always,
        });
    }
    Ok(UpdateRun {
        settings,
        mode,
        publish,
        ci,
        github: GithubAccess {
            token: args.token.clone(),
            repo: args.repo.clone(),
            api_url: args.api_url.clone(),
        },
        deliveries,
        strict: args.strict,
        http_timeout: Duration::from_secs(args.http_timeout),
        record: !args.no_cache,
        output: Output {
            quiet: args.quiet,
            verbose: args.verbose,
            format: args.format,
        },
    })
}

/// The webhook for `--notify` (`None` without `--notify`), checked before
/// anything is written: missing or not an `http(s)` URL is a usage error.
/// The value is never part of a message.
fn webhook(args: &UpdateArgs) -> Result<Option<SecretString>> {
    if !args.notify {
        return Ok(None);
    }
    let given = args
        .slack_webhook
        .as_ref()
        .filter(|w| !w.expose_secret().is_empty());
    let Some(webhook) = given else {
        return Err(Error::Input(
            "--notify needs a Slack incoming-webhook URL: set SLACK_WEBHOOK_URL (in Actions: `env: SLACK_WEBHOOK_URL: ${{ secrets.SLACK_WEBHOOK_URL }}`) or pass --slack-webhook URL"
                .into(),
        ));
    };
    if !is_usable_url(webhook.expose_secret()) {
        return Err(Error::Input(
            "the Slack webhook (SLACK_WEBHOOK_URL or --slack-webhook) is not an https:// URL; copy it again from the Slack app's Incoming Webhooks page (its value is not shown)"
                .into(),
        ));
    }
    Ok(Some(webhook.clone()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn notify_args(notify: bool, webhook: Option<&str>) -> UpdateArgs {
        UpdateArgs {
            notify,
            slack_webhook: webhook.map(|w| SecretString::from(w.to_string())),
            ..UpdateArgs::default()
        }
    }

    #[test]
    fn webhook_is_needed_only_with_notify() {
        let args = notify_args;
        assert!(webhook(&args(false, None)).unwrap().is_none());
        let hook = "https://hooks.slack.com/services/T0/B0/SECRETabc";
        assert!(webhook(&args(false, Some(hook))).unwrap().is_none());
        assert!(webhook(&args(true, Some(hook))).unwrap().is_some());
        let err = webhook(&args(true, None)).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let text = err.to_string();
        assert!(text.contains("SLACK_WEBHOOK_URL") && text.contains("--slack-webhook"));
        // An empty value (an unset Actions secret) is no webhook.
        assert!(webhook(&args(true, Some(""))).is_err());
        assert!(webhook(&args(false, Some(""))).unwrap().is_none());
    }

    #[test]
    fn a_bad_webhook_is_not_shown() {
        let err = webhook(&notify_args(true, Some("hooks.slack.com/SECRETabc"))).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(!err.to_string().contains("SECRET"), "{err}");
    }

    #[test]
    fn discovery_needs_exactly_one_candidate() {
        let dir = tempfile::tempdir().unwrap();
        let err = discover_checklist(dir.path()).unwrap_err();
        assert!(err.to_string().contains("no checklist found"));
        std::fs::write(dir.path().join("v0.7.0-Release-Checklist.MD"), "").unwrap();
        std::fs::write(dir.path().join("notes.md"), "").unwrap();
        let found = discover_checklist(dir.path()).unwrap();
        assert!(found.ends_with("v0.7.0-Release-Checklist.MD"));
        std::fs::write(dir.path().join("release-checklist.md"), "").unwrap();
        let err = discover_checklist(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("several") && err.contains("release-checklist.md"),
            "{err}"
        );
    }

    #[test]
    fn flags_beat_file_beat_defaults() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "checklist = 'docs/list.md'\nbranch = 'develop'\n[thresholds]\ngate = 80\nnotify = 75\n",
        )
        .unwrap();
        let args = UpdateArgs::default();
        let s = resolve(&args, dir.path()).unwrap();
        assert_eq!(s.threshold, 80.0);
        assert_eq!(s.notify_threshold, 75.0);
        assert_eq!(s.branch, "develop");
        assert_eq!(s.checklist, dir.path().join("docs/list.md"));
        assert_eq!(s.history, dir.path().join(DEFAULT_HISTORY));
        let args = UpdateArgs {
            threshold: Some(95.0),
            notify_threshold: Some(60.0),
            branch: Some("main".into()),
            checklist: Some("x.md".into()),
            ..UpdateArgs::default()
        };
        let s = resolve(&args, dir.path()).unwrap();
        assert_eq!((s.threshold, s.branch.as_str()), (95.0, "main"));
        assert_eq!(s.notify_threshold, 60.0);
        assert_eq!(s.checklist, dir.path().join("x.md"));
    }

    #[test]
    fn a_named_config_must_exist_and_be_valid() {
        let dir = tempfile::tempdir().unwrap();
        let args = UpdateArgs {
            config: Some("missing.toml".into()),
            ..UpdateArgs::default()
        };
        assert!(
            resolve(&args, dir.path())
                .unwrap_err()
                .to_string()
                .contains("missing.toml")
        );
        std::fs::write(dir.path().join(CONFIG_FILE), "[thresholds]\ngate = 120\n").unwrap();
        let err = resolve(&UpdateArgs::default(), dir.path()).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("thresholds.gate"), "{err}");
    }
}
