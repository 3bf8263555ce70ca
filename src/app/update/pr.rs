//! `--pr-comment`: keep one readiness comment on the pull request up to date.

use super::ci_source::Github;
use super::links;
use crate::cli::UpdateArgs;
use crate::error::{Error, Result};
use crate::shell::github::comments::{CommentOutcome, upsert_comment};
use crate::shell::github::retry::FailureKind;
use crate::shell::github::target;
use crate::render::pr_comment::{MARKER, body};
use crate::core::report::Report;
use crate::core::settings::Settings;
use crate::shell::ui::Ui;

/// Post or update the comment; the exit code it contributes (1 only for a
/// failure under `--strict`, which is returned as an error).
pub(super) fn comment(
    args: &UpdateArgs,
    github: Option<&Github>,
    report: &Report,
    previous_score: Option<f64>,
    settings: &Settings,
    ui: &Ui,
) -> Result<u8> {
    if !args.pr_comment {
        return Ok(0);
    }
    let Some(pr) = target::pr_number(args.pr) else {
        ui.warn("--pr-comment: no pull request number (pass --pr N, or run on a pull_request event); no comment posted");
        return Ok(0);
    };
    if args.dry_run {
        ui.out(&format!(
            "Dry run: would post or update the readiness comment on pull request #{pr}."
        ));
        return Ok(0);
    }
    let Some(github) = github else {
        return Ok(0);
    };
    let links = links::for_repo(&github.target.api, &github.target.repo, settings);
    let text = body(report, previous_score, &links);
    match upsert_comment(&github.client, &github.target.repo, pr, &text, MARKER) {
        Ok(outcome) => {
            let what = match outcome {
                CommentOutcome::Created(_) => "posted",
                CommentOutcome::Updated(_) => "updated",
                CommentOutcome::Unchanged(_) => "already up to date",
            };
            ui.out(&format!("Pull request #{pr} comment {what}."));
            Ok(0)
        }
        Err(e) => {
            let hint = if e.kind == FailureKind::Forbidden {
                " (pull requests from forks get a read-only token; the comment needs `pull-requests: write`)"
            } else {
                ""
            };
            let message = format!("could not comment on pull request #{pr}: {e}{hint}");
            if args.strict {
                return Err(Error::Runtime(message));
            }
            ui.warn(&message);
            Ok(0)
        }
    }
}
