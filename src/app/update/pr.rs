//! `--pr-comment`: keep one readiness comment on the pull request up to date.

use super::deliver::{Decision, Input, Note};
use super::links;
use crate::render::pr_comment::{LEGACY_MARKER, MARKER, body};
use crate::shell::github::comments::{CommentOutcome, upsert_comment};
use crate::shell::github::retry::FailureKind;
use crate::shell::github::target;

/// Due when the pull request is known (`--pr`, else the Actions event).
pub(super) fn decide(pr: Option<u64>, input: &Input<'_>) -> Decision {
    let Some(pr) = target::pr_number(pr) else {
        return Decision::Skip(Note::Warn(
            "--pr-comment: no pull request number (pass --pr N, or run on a pull_request event); no comment posted".into(),
        ));
    };
    if input.github.is_none() {
        return Decision::Skip(Note::Silent);
    }
    Decision::Due {
        what: format!("post or update the readiness comment on pull request #{pr}"),
    }
}

/// Post or update the comment: the line to print, or why it failed.
pub(super) fn send(pr: Option<u64>, input: &Input<'_>) -> Result<String, String> {
    let (Some(pr), Some(github)) = (target::pr_number(pr), input.github) else {
        return Err("--pr-comment: no pull request or no GitHub client".into());
    };
    let links = links::for_repo(&github.target.api, &github.target.repo, &input.run.settings);
    let text = body(input.report, input.previous_score, &links);
    match upsert_comment(
        &github.client,
        &github.target.repo,
        pr,
        &text,
        &[MARKER, LEGACY_MARKER],
    ) {
        Ok(outcome) => {
            let what = match outcome {
                CommentOutcome::Created(_) => "posted",
                CommentOutcome::Updated(_) => "updated",
                CommentOutcome::Unchanged(_) => "already up to date",
            };
            Ok(format!("Pull request #{pr} comment {what}."))
        }
        Err(e) => {
            let hint = if e.kind == FailureKind::Forbidden {
                " (pull requests from forks get a read-only token; the comment needs `pull-requests: write`)"
            } else {
                ""
            };
            Err(format!(
                "could not comment on pull request #{pr}: {e}{hint}"
            ))
        }
    }
}
