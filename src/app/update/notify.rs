//! `--notify`: a Slack alert when the score is below the alert threshold
//! (or always, with `--notify-always`). A failed alert is a warning, or an
//! error (exit 1) under `--strict`, as for the PR comment.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

use super::links;
use crate::cli::UpdateArgs;
use crate::error::{Error, Result};
use crate::shell::slack::{Policy, is_usable_url, send};
use crate::render::slack::payload;
use crate::render::{fmt_num, fmt_pct};
use crate::core::report::Report;
use crate::core::settings::Settings;
use crate::shell::ui::Ui;

/// The webhook for `--notify` (`None` without `--notify`), checked before
/// anything is written: missing or not an `http(s)` URL is a usage error.
/// The value is never part of a message.
pub(super) fn webhook(args: &UpdateArgs) -> Result<Option<SecretString>> {
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

/// Send the alert if it is due; the exit code it contributes (a failure
/// under `--strict` is returned as an error).
pub(super) fn alert(
    args: &UpdateArgs,
    webhook: Option<&SecretString>,
    report: &Report,
    settings: &Settings,
    ui: &Ui,
) -> Result<u8> {
    let Some(webhook) = webhook else {
        return Ok(0);
    };
    let score = fmt_pct(report.score.total, 2);
    let threshold = fmt_num(settings.notify_threshold);
    let below = report.score.total < settings.notify_threshold;
    if !below && !args.notify_always {
        let why = format!("the score {score}% meets the alert threshold {threshold}%");
        if args.dry_run {
            ui.out(&format!("Dry run: no Slack alert ({why})."));
        } else {
            ui.detail(&format!(
                "no Slack alert: {why} (--notify-always sends one anyway)"
            ));
        }
        return Ok(0);
    }
    let why = if below {
        format!("the score {score}% is below the alert threshold {threshold}%")
    } else {
        format!("--notify-always; the score is {score}%")
    };
    if args.dry_run {
        ui.out(&format!("Dry run: would send a Slack alert ({why})."));
        return Ok(0);
    }
    let payload = payload(report, &links::resolve(args, settings, ui));
    let verbose = *ui;
    let log = move |line: &str| verbose.detail(line);
    let policy = Policy {
        request_timeout: Duration::from_secs(args.http_timeout),
        connect_timeout: Duration::from_secs(args.http_timeout.min(10)),
        ..Policy::default()
    };
    match send(webhook, &payload, &policy, &log) {
        Ok(_) => {
            ui.out(&format!("Slack alert sent ({why})."));
            Ok(0)
        }
        Err(e) => {
            let message = format!("could not send the Slack alert: {e}");
            if args.strict {
                return Err(Error::Runtime(message));
            }
            ui.warn(&message);
            Ok(0)
        }
    }
}

/// The run's result from the exit code so far and the outcomes of the PR
/// comment and the alert (both are always attempted; both errors are kept).
pub(super) fn finish(code: u8, comment: Result<u8>, alert: Result<u8>) -> Result<u8> {
    match (comment, alert) {
        (Ok(a), Ok(b)) => Ok(code.max(a).max(b)),
        (Err(e), Ok(_)) | (Ok(_), Err(e)) => Err(e),
        (Err(first), Err(second)) => Err(Error::Runtime(format!("{first}\nerror: {second}"))),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn args(notify: bool, webhook: Option<&str>) -> UpdateArgs {
        UpdateArgs {
            notify,
            slack_webhook: webhook.map(|w| SecretString::from(w.to_string())),
            ..UpdateArgs::default()
        }
    }

    #[test]
    fn webhook_is_needed_only_with_notify() {
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
        let err = webhook(&args(true, Some("hooks.slack.com/SECRETabc"))).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(!err.to_string().contains("SECRET"), "{err}");
    }

    #[test]
    fn finish_keeps_the_worst() {
        let runtime = |m: &str| Err(Error::Runtime(m.into()));
        assert_eq!(finish(1, Ok(0), Ok(0)).unwrap(), 1);
        assert_eq!(finish(0, Ok(0), Ok(0)).unwrap(), 0);
        assert_eq!(finish(0, runtime("a"), Ok(0)).unwrap_err().to_string(), "a");
        assert_eq!(finish(0, Ok(0), runtime("b")).unwrap_err().to_string(), "b");
        assert_eq!(
            finish(0, runtime("a"), runtime("b"))
                .unwrap_err()
                .to_string(),
            "a\nerror: b"
        );
    }
}
