//! `--notify`: a Slack alert when the score is below the alert threshold
//! (or always, with `--notify-always`).

use secrecy::SecretString;

use super::deliver::{Decision, Input, Note};
use super::links;
use crate::render::slack::payload;
use crate::render::{fmt_num, fmt_pct};
use crate::shell::slack::{Policy, send as post};

/// Due when the score is below the alert threshold, or `always`.
pub(super) fn decide(always: bool, input: &Input<'_>) -> Decision {
    let report = input.report;
    let notify_threshold = input.run.settings.notify_threshold;
    let score = fmt_pct(report.score.total, 2);
    let threshold = fmt_num(notify_threshold);
    let below = report.score.total < notify_threshold;
    if !below && !always {
        let why = format!("the score {score}% meets the alert threshold {threshold}%");
        return Decision::Skip(if input.dry_run() {
            Note::Out(format!("Dry run: no Slack alert ({why})."))
        } else {
            Note::Detail(format!(
                "no Slack alert: {why} (--notify-always sends one anyway)"
            ))
        });
    }
    Decision::Due {
        what: format!("send a Slack alert ({})", why(below, &score, &threshold)),
    }
}

fn why(below: bool, score: &str, threshold: &str) -> String {
    if below {
        format!("the score {score}% is below the alert threshold {threshold}%")
    } else {
        format!("--notify-always; the score is {score}%")
    }
}

/// Send the alert: the line to print, or why it failed.
pub(super) fn send(webhook: &SecretString, input: &Input<'_>) -> Result<String, String> {
    let report = input.report;
    let settings = &input.run.settings;
    let ui = input.ui;
    let below = report.score.total < settings.notify_threshold;
    let why = why(
        below,
        &fmt_pct(report.score.total, 2),
        &fmt_num(settings.notify_threshold),
    );
    let payload = payload(report, &links::resolve(&input.run.github, settings, ui));
    let verbose = *ui;
    let log = move |line: &str| verbose.detail(line);
    let timeout = input.run.http_timeout;
    let policy = Policy {
        request_timeout: timeout,
        connect_timeout: timeout.min(std::time::Duration::from_secs(10)),
        ..Policy::default()
    };
    match post(webhook, &payload, &policy, &log) {
        Ok(_) => Ok(format!("Slack alert sent ({why}).")),
        Err(e) => Err(format!("could not send the Slack alert: {e}")),
    }
}
