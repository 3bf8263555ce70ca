//! Where CI data comes from: nowhere (`--offline`), a runs file, or the
//! GitHub API.

use std::cell::RefCell;
use std::path::PathBuf;

use secrecy::ExposeSecret;

use super::input_error;
use crate::cli::settings::{CiInput, Mode, Publish, UpdateRun};
use crate::core::ci::{Outcome, RunSummary, branch_list, ci_health, classify};
use crate::core::gates::{ExtraRun, is_workflow_file};
use crate::core::report::CiReport;
use crate::core::report::CiSource;
use crate::core::runs::parse_runs_window;
use crate::core::settings::Settings;
use crate::error::{Error, Result};
use crate::shell::atomic::write_atomic;
use crate::shell::github::actions::{RunsQuery, fetch_runs};
use crate::shell::github::cache::{EtagCache, cache_path, user_cache_dir};
use crate::shell::github::client::{Client, Timeouts};
use crate::shell::github::retry::RetryPolicy;
use crate::shell::github::target::{self, Target};
use crate::shell::github::workflow_runs::{self, Newest};
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
    // The user's cache directory (never the repository, where it would
    // show in `git status`); beside the history only when there is none.
    let cache_dir = user_cache_dir().unwrap_or_else(|| {
        settings
            .history
            .parent()
            .unwrap_or(std::path::Path::new("."))
            .to_path_buf()
    });
    ui.detail(&format!("HTTP cache: {}", cache_dir.display()));
    let cache_path = cache_path(
        &cache_dir,
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
    let mut health = ci_health(&window.runs, &settings.branch, settings.runs);
    // The stream kept only the branch's runs; it counted the others.
    if health.runs == 0 {
        health.other_branches = branch_list(window.other_branches);
    }
    let ci = CiReport {
        health,
        source: CiSource::RunsFile,
        extra: Vec::new(),
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
        extra: Vec::new(),
    };
    Ok((ci, fetched.warnings))
}

/// Look up each bound workflow that has no run in the window (`keys`, see
/// [`crate::core::gates::outside_window`]): one request for its newest run
/// on the branch (plus one listing of the workflows when one is named by
/// name, not file). Failures become warnings: those items stay pending.
pub(crate) fn look_up_bound(
    github: &Github,
    settings: &Settings,
    ci: &mut CiReport,
    keys: &[String],
    ui: &Ui,
) -> Vec<String> {
    let mut warnings = Vec::new();
    let mut listed: Option<Vec<workflow_runs::Workflow>> = None;
    let repo = &github.target.repo;
    for key in keys {
        let (target, name) = if is_workflow_file(key) {
            (key.clone(), None)
        } else {
            if listed.is_none() {
                match workflow_runs::list(&github.client, repo) {
                    Ok(list) => listed = Some(list),
                    Err(e) => {
                        warnings.push(format!("could not list the workflows of {repo}: {e}"));
                        listed = Some(Vec::new());
                    }
                }
            }
            let found = listed.as_deref().unwrap_or_default().iter().find(|w| {
                w.name
                    .as_deref()
                    .is_some_and(|n| n.trim().eq_ignore_ascii_case(key.trim()))
            });
            let Some(w) = found else {
                ci.extra.push(ExtraRun::without_run(key, None, false));
                continue;
            };
            (w.id.to_string(), w.name.clone())
        };
        ui.detail(&format!(
            "{key}: no run in the window; fetching its newest run"
        ));
        let newest = workflow_runs::newest_run(
            &github.client,
            repo,
            &target,
            &settings.branch,
            &mut github.cache.borrow_mut(),
        );
        let extra = match newest {
            Ok(Newest::Run(run)) => ExtraRun {
                reference: key.clone(),
                workflow: Some(name.unwrap_or_else(|| run.workflow_label())),
                latest_completed: (classify(&run) != Outcome::Other).then(|| RunSummary::of(&run)),
                exists: true,
            },
            Ok(Newest::NoRun) => ExtraRun::without_run(key, name, true),
            Ok(Newest::NotFound) => ExtraRun::without_run(key, None, false),
            Err(e) => {
                warnings.push(format!(
                    "could not fetch the newest run of workflow {key} on {}: {e}",
                    settings.branch
                ));
                ExtraRun::without_run(key, name, true)
            }
        };
        ci.extra.push(extra);
    }
    warnings
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
