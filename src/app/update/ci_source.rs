//! Where CI data comes from: nowhere (`--offline`), a runs file, or the
//! GitHub API.

use std::cell::RefCell;
use std::io::Read as _;
use std::path::PathBuf;
use std::time::Duration;

use secrecy::ExposeSecret;

use super::read_input;
use crate::shell::atomic::write_atomic;
use crate::core::ci::ci_health;
use crate::cli::UpdateArgs;
use crate::error::{Error, Result};
use crate::shell::github::actions::{RunsQuery, fetch_runs};
use crate::shell::github::cache::{EtagCache, cache_path};
use crate::shell::github::client::{Client, Timeouts};
use crate::shell::github::retry::RetryPolicy;
use crate::shell::github::target::{self, Target};
use crate::shell::progress::Spinner;
use crate::core::report::CiSource;
use crate::core::report::CiReport;
use crate::core::runs::parse_runs;
use crate::core::settings::Settings;
use crate::shell::ui::Ui;

/// A ready GitHub client for one repository, with its ETag cache.
pub(crate) struct Github {
    pub target: Target,
    pub client: Client,
    cache: RefCell<EtagCache>,
    pub cache_path: PathBuf,
}

/// Whether this run calls the GitHub API (for runs, the PR comment or the
/// pull request of `--open-pr`).
pub(super) fn needs_api(args: &UpdateArgs) -> bool {
    via_api(args) || args.pr_comment || (args.open_pr && !args.dry_run)
}

/// Whether CI data comes from the API in this run.
fn via_api(args: &UpdateArgs) -> bool {
    !args.offline && args.runs_file.is_none() && (!args.check_only || args.pr_comment)
}

/// A GitHub client when this run needs the API (for runs or the PR comment).
pub(crate) fn github(args: &UpdateArgs, settings: &Settings, ui: &Ui) -> Result<Option<Github>> {
    if !needs_api(args) {
        return Ok(None);
    }
    let token = target::token(args.token.as_ref()).ok_or_else(target::missing_token)?;
    let api = target::api(args.api_url.as_deref())?;
    let dir = settings
        .checklist
        .parent()
        .unwrap_or(std::path::Path::new("."));
    let repo = target::repo(args.repo.as_deref(), dir)?;
    ui.detail(&format!("GitHub: {api}, repository {repo}"));
    let cache_dir = settings
        .history
        .parent()
        .unwrap_or(std::path::Path::new("."));
    let cache_path = cache_path(
        cache_dir,
        &api,
        &repo.to_string(),
        &settings.branch,
        token.expose_secret(),
    );
    let cache = if args.no_cache {
        EtagCache::disabled()
    } else {
        EtagCache::load(&cache_path)
    };
    let verbose = *ui;
    let client = Client::new(
        &api,
        token.clone(),
        RetryPolicy::default(),
        Timeouts::within(Duration::from_secs(args.http_timeout)),
        Box::new(move |line| verbose.detail(line)),
    );
    Ok(Some(Github {
        target: Target { api, repo, token },
        client,
        cache: RefCell::new(cache),
        cache_path,
    }))
}

/// CI health and warnings, or `None` when no CI data is collected.
pub(crate) fn load(
    args: &UpdateArgs,
    settings: &Settings,
    github: Option<&Github>,
    ui: &Ui,
) -> Result<(Option<CiReport>, Vec<String>)> {
    if args.offline {
        ui.detail("offline: no CI data");
        return Ok((None, Vec::new()));
    }
    if let Some(path) = &args.runs_file {
        return from_file(path, settings, ui).map(|(ci, warnings)| (Some(ci), warnings));
    }
    match github.filter(|_| via_api(args)) {
        Some(github) => from_api(github, settings, ui).map(|(ci, warnings)| (Some(ci), warnings)),
        None => Ok((None, Vec::new())),
    }
}

fn from_file(
    path: &std::path::Path,
    settings: &Settings,
    ui: &Ui,
) -> Result<(CiReport, Vec<String>)> {
    let (shown, bytes) = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| Error::Runtime(format!("cannot read runs from stdin: {e}")))?;
        ("<stdin>".to_string(), buf)
    } else {
        let shown = path.display().to_string();
        let bytes = read_input(path, &shown, "runs-file")?;
        (shown, bytes)
    };
    let runs = parse_runs(&bytes).map_err(|e| Error::Input(format!("{shown}: {e}")))?;
    ui.detail(&format!("{shown}: {} runs", runs.runs.len()));
    let unbranched = runs.runs.iter().filter(|r| r.head_branch.is_none()).count();
    let warnings = if unbranched > 0 {
        vec![format!(
            "{shown}: {unbranched} of {} runs name no branch and are left out of the CI window (with `gh run list --json`, include `headBranch`)",
            runs.runs.len()
        )]
    } else {
        Vec::new()
    };
    let ci = CiReport {
        health: ci_health(&runs.runs, &settings.branch, settings.runs),
        source: CiSource::RunsFile,
    };
    Ok((ci, warnings))
}

fn from_api(github: &Github, settings: &Settings, ui: &Ui) -> Result<(CiReport, Vec<String>)> {
    let repo = &github.target.repo;
    let query = RunsQuery {
        repo,
        branch: &settings.branch,
        max_runs: settings.runs,
    };
    let spinner = Spinner::start(
        &format!("Fetching workflow runs for {repo}…"),
        !ui.quiet && !ui.json,
    );
    let fetched = fetch_runs(&github.client, query, &mut github.cache.borrow_mut());
    drop(spinner);
    let fetched =
        fetched.map_err(|e| Error::Runtime(format!("fetching workflow runs of {repo}: {e}")))?;
    ui.detail(&format!(
        "{} runs in {} request(s)",
        fetched.runs.len(),
        github.client.request_count()
    ));
    let ci = CiReport {
        health: ci_health(&fetched.runs, &settings.branch, settings.runs),
        source: CiSource::Api,
    };
    Ok((ci, fetched.warnings))
}

/// Keep this run's ETags for the next one (best effort; never fatal).
pub(super) fn save_cache(github: &Github, args: &UpdateArgs, ui: &Ui) {
    if args.no_cache || github.cache.borrow().is_empty() {
        return;
    }
    let bytes = github.cache.borrow().to_bytes();
    if let Err(e) = write_atomic(&github.cache_path, &bytes, true) {
        ui.detail(&format!("could not save the HTTP cache (harmless): {e}"));
    }
}
