//! Where CI data comes from: nowhere (`--offline`), a runs file, or the
//! GitHub API.

use std::cell::RefCell;
use std::path::PathBuf;

use secrecy::ExposeSecret;

use super::input_error;
use crate::cli::settings::{CiInput, Mode, Publish, UpdateRun};
use crate::core::ci::ci_health;
use crate::core::report::CiReport;
use crate::core::report::CiSource;
use crate::core::runs::parse_runs_window;
use crate::core::settings::Settings;
use crate::error::{Error, Result};
use crate::shell::atomic::write_atomic;
use crate::shell::github::actions::{RunsQuery, fetch_runs};
use crate::shell::github::cache::{EtagCache, cache_path};
use crate::shell::github::client::{Client, Timeouts};
use crate::shell::github::retry::RetryPolicy;
use crate::shell::github::target::{self, Target};
use crate::shell::input;
use crate::shell::progress::Spinner;
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
pub(super) fn needs_api(run: &UpdateRun) -> bool {
    run.ci == CiInput::Api
        || run.comments_on_pr()
        || (run.publish == Publish::OpenPr && run.mode != Mode::DryRun)
}

/// A GitHub client when this run needs the API (for runs or the PR comment).
pub(crate) fn github(run: &UpdateRun, ui: &Ui) -> Result<Option<Github>> {
    if !needs_api(run) {
        return Ok(None);
    }
    let settings = &run.settings;
    let access = &run.github;
    let token = target::token(access.token.as_ref()).ok_or_else(target::missing_token)?;
    let api = target::api(access.api_url.as_deref())?;
    let dir = settings
        .checklist
        .parent()
        .unwrap_or(std::path::Path::new("."));
    let repo = target::repo(access.repo.as_deref(), dir)?;
    ui.detail(&format!(
        "GitHub: {}, repository {repo}",
        crate::shell::http::redact::url_credentials(&api)
    ));
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
    let cache = if run.record {
        EtagCache::load(&cache_path)
    } else {
        EtagCache::disabled()
    };
    let verbose = *ui;
    let client = Client::new(
        &api,
        token.clone(),
        RetryPolicy {
            // One deadline per request, waits and retries included: twice
            // the wait per attempt (60 s by default).
            budget: run.http_timeout.saturating_mul(2),
            ..RetryPolicy::default()
        },
        Timeouts::within(run.http_timeout),
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
    run: &UpdateRun,
    github: Option<&Github>,
    ui: &Ui,
) -> Result<(Option<CiReport>, Vec<String>)> {
    let settings = &run.settings;
    let found = match (&run.ci, github) {
        (CiInput::Offline, _) => {
            ui.detail("offline: no CI data");
            return Ok((None, Vec::new()));
        }
        (CiInput::Unused, _) | (CiInput::Api, None) => return Ok((None, Vec::new())),
        (CiInput::RunsFile(path), _) => from_file(path, settings, ui)?,
        (CiInput::Api, Some(github)) => from_api(github, settings, ui)?,
    };
    Ok((Some(found.0), found.1))
}

fn from_file(
    path: &std::path::Path,
    settings: &Settings,
    ui: &Ui,
) -> Result<(CiReport, Vec<String>)> {
    // Streamed: memory follows the CI window, not the file's size.
    let (shown, window) = if path.as_os_str() == "-" {
        let window = parse_runs_window(std::io::stdin().lock(), &settings.branch, settings.runs)
            .map_err(|e| Error::Input(format!("<stdin>: {e}")))?;
        ("<stdin>".to_string(), window)
    } else {
        let shown = path.display().to_string();
        let (file, _) = input::open_regular(path, input::STREAMED_MIB)
            .map_err(|e| input_error(e, &shown, "runs-file"))?;
        let window = parse_runs_window(file, &settings.branch, settings.runs)
            .map_err(|e| Error::Input(format!("{shown}: {e}")))?;
        (shown, window)
    };
    ui.detail(&format!("{shown}: {} runs", window.read));
    let warnings = if window.unbranched > 0 {
        vec![format!(
            "{shown}: {} of {} runs name no branch and are left out of the CI window (with `gh run list --json`, include `headBranch`)",
            window.unbranched, window.read
        )]
    } else {
        Vec::new()
    };
    let runs = window;
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
pub(super) fn save_cache(github: &Github, run: &UpdateRun, ui: &Ui) {
    if !run.record || github.cache.borrow().is_empty() {
        return;
    }
    let bytes = github.cache.borrow().to_bytes();
    if let Err(e) = write_atomic(&github.cache_path, &bytes, true) {
        ui.detail(&format!("could not save the HTTP cache (harmless): {e}"));
    }
}
