//! Deliveries: the messages an update sends to people (the PR comment, the
//! Slack alert). Each delivery says whether it is due and how to send it;
//! this loop applies the policy once: a dry run prints what would be sent,
//! a failed send is a warning, or an error (exit 1) under `--strict`. Every
//! delivery is attempted, and every error is kept.
//!
//! A new delivery (say a Teams alert) is a variant of
//! [`crate::cli::settings::Delivery`], its flags, a renderer, a shell client,
//! and one `decide`/`send` pair here.

use super::ci_source::Github;
use super::{pr, slack};
use crate::cli::settings::{Delivery, Mode, UpdateRun};
use crate::core::report::Report;
use crate::error::{Error, Result};
use crate::shell::ui::Ui;

/// Whether a delivery is due.
pub(super) enum Decision {
    /// Not sent; the note says why (or nothing).
    Skip(Note),
    /// Due: `what` completes "would …" in a dry run.
    Due { what: String },
}

/// A line about a delivery that was not sent.
pub(super) enum Note {
    Silent,
    /// A result line (stdout).
    Out(String),
    /// A warning.
    Warn(String),
    /// A `--verbose` detail.
    Detail(String),
}

/// What one delivery needs to decide and send.
pub(super) struct Input<'a> {
    pub(super) run: &'a UpdateRun,
    pub(super) github: Option<&'a Github>,
    pub(super) report: &'a Report,
    pub(super) previous_score: Option<f64>,
    pub(super) ui: &'a Ui,
}

impl Input<'_> {
    pub(super) fn dry_run(&self) -> bool {
        self.run.mode == Mode::DryRun
    }
}

/// Run every delivery; the exit code is the worst of `code` and theirs.
pub(super) fn all(
    run: &UpdateRun,
    github: Option<&Github>,
    report: &Report,
    previous_score: Option<f64>,
    code: u8,
    ui: &Ui,
) -> Result<u8> {
    let input = Input {
        run,
        github,
        report,
        previous_score,
        ui,
    };
    let outcomes: Vec<Result<u8>> = run
        .deliveries
        .iter()
        .map(|delivery| one(delivery, &input))
        .collect();
    finish(code, outcomes)
}

fn one(delivery: &Delivery, input: &Input<'_>) -> Result<u8> {
    let ui = input.ui;
    let decision = match delivery {
        Delivery::PrComment { pr } => pr::decide(*pr, input),
        Delivery::Slack { always, .. } => slack::decide(*always, input),
    };
    let what = match decision {
        Decision::Skip(note) => {
            match note {
                Note::Silent => {}
                Note::Out(text) => ui.out(&text),
                Note::Warn(text) => ui.warn(&text),
                Note::Detail(text) => ui.detail(&text),
            }
            return Ok(0);
        }
        Decision::Due { what } => what,
    };
    if input.dry_run() {
        ui.out(&format!("Dry run: would {what}."));
        return Ok(0);
    }
    let sent = match delivery {
        Delivery::PrComment { pr } => pr::send(*pr, input),
        Delivery::Slack { webhook, .. } => slack::send(webhook, input),
    };
    match sent {
        Ok(line) => {
            ui.out(&line);
            Ok(0)
        }
        Err(message) if input.run.strict => Err(Error::Runtime(message)),
        Err(message) => {
            ui.warn(&message);
            Ok(0)
        }
    }
}

/// The run's result from the exit code so far and the deliveries' outcomes
/// (all errors are kept, one per line).
fn finish(code: u8, outcomes: Vec<Result<u8>>) -> Result<u8> {
    let mut worst = code;
    let mut errors: Vec<String> = Vec::new();
    for outcome in outcomes {
        match outcome {
            Ok(c) => worst = worst.max(c),
            Err(e) => errors.push(e.to_string()),
        }
    }
    match errors.len() {
        0 => Ok(worst),
        _ => Err(Error::Runtime(errors.join("\nerror: "))),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn finish_keeps_the_worst() {
        let runtime = |m: &str| Err(Error::Runtime(m.into()));
        assert_eq!(finish(1, vec![Ok(0), Ok(0)]).unwrap(), 1);
        assert_eq!(finish(0, vec![Ok(0), Ok(0)]).unwrap(), 0);
        assert_eq!(
            finish(0, vec![runtime("a"), Ok(0)])
                .unwrap_err()
                .to_string(),
            "a"
        );
        assert_eq!(
            finish(0, vec![Ok(0), runtime("b")])
                .unwrap_err()
                .to_string(),
            "b"
        );
        assert_eq!(
            finish(0, vec![runtime("a"), runtime("b")])
                .unwrap_err()
                .to_string(),
            "a\nerror: b"
        );
    }
}
