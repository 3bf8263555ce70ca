//! Deliver a Slack alert to an incoming webhook: one JSON POST, at most
//! [`Policy::attempts`] tries.
//!
//! * 2xx: delivered.
//! * 429: wait `Retry-After` seconds (capped at [`Policy::retry_after_cap`];
//!   missing or malformed → [`Policy::rate_limit_wait`]), then retry.
//! * 5xx and transport failures: exponential back-off from
//!   [`Policy::base_delay`] (0.5 s, 1 s), then retry.
//! * anything else (400 `invalid_payload`, 403 `action_prohibited`, 404
//!   `no_service`, a redirect…): fail at once with Slack's body text.
//!
//! The webhook URL is a secret. It is only exposed to build the request;
//! logs say `<slack webhook>`, and every message (ureq's error strings and
//! Slack's body text too) has the URL and its path redacted.

use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use ureq::Agent;

/// What logs and messages show instead of the webhook URL.
pub use crate::shell::http::redact::WEBHOOK_SHOWN as SHOWN;
use crate::shell::http::redact::webhook as redact_webhook;

/// `text` without the webhook and without any other credential (URL
/// userinfo, `Bearer …`) a proxy's page may quote.
fn redact(text: &str, webhook: &str) -> String {
    crate::shell::http::redact::all(&redact_webhook(text, webhook), &[])
}
use crate::shell::http::retry::{self, Attempt, Limits, RetryError, retry_after};

/// The largest response body read (Slack answers `ok` or an error word).
const BODY_LIMIT: u64 = 64 * 1024;

/// Slack's body text is cut to this many characters in messages.
const REASON_LIMIT: usize = 200;

/// How persistent delivery is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Tries, the first included.
    pub attempts: u32,
    /// First back-off after a 5xx or transport failure; doubles each time.
    pub base_delay: Duration,
    /// The longest `Retry-After` honoured.
    pub retry_after_cap: Duration,
    /// The wait after a 429 without a usable `Retry-After`.
    pub rate_limit_wait: Duration,
    /// Connecting.
    pub connect_timeout: Duration,
    /// One whole request, body included.
    pub request_timeout: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            attempts: 3,
            base_delay: Duration::from_millis(500),
            retry_after_cap: Duration::from_secs(30),
            rate_limit_wait: Duration::from_secs(2),
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// A delivered alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    /// Requests made, the successful one included.
    pub attempts: u32,
}

/// An alert that was not delivered; the message never holds the webhook.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct NotifyError {
    pub message: String,
    /// Requests made.
    pub attempts: u32,
}

/// The decision after one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Delivered.
    Done,
    /// Wait, then try again if attempts remain; else fail with `reason`.
    Retry { wait: Duration, reason: String },
    /// Give up now.
    Fail(String),
}

/// Whether `raw` looks like a webhook URL we may POST to (`http(s)://` and
/// a host). The URL itself is never part of an error message.
pub fn is_usable_url(raw: &str) -> bool {
    let lower = raw.trim().to_ascii_lowercase();
    ["https://", "http://"].iter().any(|scheme| {
        lower
            .strip_prefix(scheme)
            .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
    })
}

/// POST `payload` to the webhook as Slack asks: retry 429, 5xx and
/// transport failures, at most `policy.attempts` times. `log` receives one
/// line per exchange and per wait (for `--verbose`), without the URL.
pub fn send(
    webhook: &SecretString,
    payload: &Value,
    policy: &Policy,
    log: &dyn Fn(&str),
) -> Result<Delivered, NotifyError> {
    let url = webhook.expose_secret().trim();
    let body = serde_json::to_vec(payload).map_err(|e| NotifyError {
        message: format!("cannot encode the Slack payload: {e}"),
        attempts: 0,
    })?;
    let agent = agent(policy);
    let limits = Limits {
        attempts: policy.attempts,
        budget: None,
    };
    let mut made = 0;
    limits
        .run(log, |attempt| {
            made = attempt;
            match once(&agent, url, &body, attempt, policy, log) {
                Step::Done => Attempt::Done(()),
                Step::Fail(reason) => Attempt::Fail(NotifyError {
                    message: redact(&reason, url),
                    attempts: attempt,
                }),
                Step::Retry { wait, reason } => Attempt::Retry {
                    wait,
                    error: NotifyError {
                        message: redact(&reason, url),
                        attempts: attempt,
                    },
                },
            }
        })
        .map(|()| Delivered { attempts: made })
}

impl RetryError for NotifyError {
    fn message(&self) -> &str {
        &self.message
    }

    fn extend(&mut self, suffix: &str) {
        self.message.push_str(suffix);
    }
}

/// Our own agent: timeouts, no redirects (a webhook does not move; a
/// redirect must not carry the payload elsewhere), statuses as values.
fn agent(policy: &Policy) -> Agent {
    Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_connect(Some(policy.connect_timeout))
        .timeout_global(Some(policy.request_timeout))
        .user_agent(concat!("release-dashboard/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// One POST and its verdict.
fn once(
    agent: &Agent,
    url: &str,
    body: &[u8],
    attempt: u32,
    policy: &Policy,
    log: &dyn Fn(&str),
) -> Step {
    let started = Instant::now();
    let result = agent
        .post(url)
        .header("Content-Type", "application/json; charset=utf-8")
        .send(body);
    let mut response = match result {
        Ok(response) => response,
        Err(e) => {
            let error = redact(&e.to_string(), url);
            log(&format!("POST {SHOWN} → {error}"));
            return Step::Retry {
                wait: backoff(policy, attempt),
                reason: format!("could not reach Slack: {error}"),
            };
        }
    };
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    // The body only explains a failure; an unreadable one is no failure.
    let text = response
        .body_mut()
        .with_config()
        .limit(BODY_LIMIT)
        .read_to_vec()
        .unwrap_or_default();
    log(&format!(
        "POST {SHOWN} → {status} in {} ms",
        started.elapsed().as_millis()
    ));
    decide(status, retry_after.as_deref(), &text, attempt, policy)
}

/// The verdict on a response.
pub fn decide(
    status: u16,
    retry_after: Option<&str>,
    body: &[u8],
    attempt: u32,
    policy: &Policy,
) -> Step {
    match status {
        200..=299 => Step::Done,
        429 => Step::Retry {
            wait: retry_after_wait(retry_after, policy),
            reason: format!("Slack is rate-limiting the alert (429 {})", reason(body)),
        },
        500..=599 => Step::Retry {
            wait: backoff(policy, attempt),
            reason: format!("Slack answered {status} (server error: {})", reason(body)),
        },
        _ => Step::Fail(format!(
            "Slack rejected the alert ({status} {}){}",
            reason(body),
            hint(status, body)
        )),
    }
}

/// `Retry-After` in whole seconds, capped; missing or malformed → the
/// policy's rate-limit wait. (Slack sends seconds, not HTTP dates.)
pub fn retry_after_wait(value: Option<&str>, policy: &Policy) -> Duration {
    retry_after(value).map_or(policy.rate_limit_wait, |wait| {
        wait.min(policy.retry_after_cap)
    })
}

/// base·2^(attempt−1): 0.5 s, 1 s, 2 s…
pub fn backoff(policy: &Policy, attempt: u32) -> Duration {
    retry::backoff(policy.base_delay, attempt, false)
}

/// Slack's body text for a message: one line, at most [`REASON_LIMIT`]
/// characters, `no details` when empty.
fn reason(body: &[u8]) -> String {
    let text: String = String::from_utf8_lossy(body)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return "no details".to_string();
    }
    if text.chars().count() > REASON_LIMIT {
        let mut cut: String = text.chars().take(REASON_LIMIT - 1).collect();
        cut.push('…');
        cut
    } else {
        text
    }
}

/// What to do about the common rejections.
fn hint(status: u16, body: &[u8]) -> &'static str {
    let body = String::from_utf8_lossy(body);
    let body = body.trim();
    match (status, body) {
        (_, "no_service" | "no_team" | "team_disabled") | (404 | 410, _) => {
            "; the webhook was revoked or never existed: create a new one and update SLACK_WEBHOOK_URL"
        }
        (_, "channel_not_found" | "channel_is_archived") => {
            "; the webhook's channel is gone: create a webhook for another channel"
        }
        (_, "action_prohibited") => "; a workspace admin has restricted this webhook",
        (300..=399, _) => "; the webhook URL redirects: check SLACK_WEBHOOK_URL",
        _ => "",
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const HOOK: &str = "https://hooks.slack.com/services/T000/B000/SECRETxyz123";

    fn policy() -> Policy {
        Policy::default()
    }

    #[test]
    fn statuses_decide_the_step() {
        let p = policy();
        assert_eq!(decide(200, None, b"ok", 1, &p), Step::Done);
        assert_eq!(decide(204, None, b"", 1, &p), Step::Done);
        match decide(429, Some("7"), b"rate_limited", 1, &p) {
            Step::Retry { wait, reason } => {
                assert_eq!(wait, Duration::from_secs(7));
                assert!(reason.contains("429 rate_limited"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        match decide(503, None, b"", 2, &p) {
            Step::Retry { wait, reason } => {
                assert_eq!(wait, Duration::from_secs(1));
                assert!(
                    reason.contains("503 (server error: no details)"),
                    "{reason}"
                );
            }
            other => panic!("{other:?}"),
        }
        let Step::Fail(reason) = decide(400, None, b"invalid_payload", 1, &p) else {
            panic!("400 is final");
        };
        assert_eq!(reason, "Slack rejected the alert (400 invalid_payload)");
        let Step::Fail(reason) = decide(404, None, b"no_service", 1, &p) else {
            panic!("404 is final");
        };
        assert!(reason.contains("no_service") && reason.contains("revoked"));
        assert!(matches!(decide(301, None, b"", 1, &p), Step::Fail(r) if r.contains("redirects")));
    }

    #[test]
    fn retry_after_is_capped_and_tolerant() {
        let p = policy();
        assert_eq!(retry_after_wait(Some("1"), &p), Duration::from_secs(1));
        assert_eq!(retry_after_wait(Some(" 0 "), &p), Duration::ZERO);
        assert_eq!(retry_after_wait(Some("3600"), &p), Duration::from_secs(30));
        for bad in [
            None,
            Some(""),
            Some("soon"),
            Some("-1"),
            Some("1.5"),
            Some("Wed, 21 Oct 2015 07:28:00 GMT"),
        ] {
            assert_eq!(retry_after_wait(bad, &p), p.rate_limit_wait, "{bad:?}");
        }
    }

    #[test]
    fn backoff_doubles() {
        let p = policy();
        assert_eq!(backoff(&p, 1), Duration::from_millis(500));
        assert_eq!(backoff(&p, 2), Duration::from_secs(1));
        assert_eq!(backoff(&p, 3), Duration::from_secs(2));
        assert!(backoff(&p, u32::MAX) <= Duration::from_secs(512));
    }

    #[test]
    fn reasons_are_one_short_line() {
        assert_eq!(reason(b"  invalid_payload\n"), "invalid_payload");
        assert_eq!(reason(b""), "no details");
        assert_eq!(reason(b"a\r\nb\x1b[31m"), "a b [31m");
        assert_eq!(reason("x".repeat(500).as_bytes()).chars().count(), 200);
    }

    #[test]
    fn redaction_removes_every_form_of_the_url() {
        for text in [
            format!("bad uri: {HOOK}"),
            "connecting to hooks.slack.com/services/T000/B000/SECRETxyz123 failed".to_string(),
            "GET /services/T000/B000/SECRETxyz123 HTTP/1.1".to_string(),
            "token SECRETxyz123 in a message".to_string(),
        ] {
            let redacted = redact(&text, HOOK);
            assert!(!redacted.contains("SECRETxyz123"), "{redacted}");
            assert!(redacted.contains(SHOWN), "{redacted}");
        }
        assert_eq!(redact("nothing here", HOOK), "nothing here");
        assert_eq!(redact("x", ""), "x");
        // A short last segment is not hunted through unrelated text.
        assert_eq!(redact("a b c", "https://h.test/b"), "a b c");
    }

    #[test]
    fn usable_urls() {
        assert!(is_usable_url(HOOK));
        assert!(is_usable_url("http://127.0.0.1:8080/x"));
        assert!(is_usable_url(" HTTPS://hooks.slack.com/x "));
        for bad in [
            "",
            "hooks.slack.com/x",
            "ftp://h/x",
            "https://",
            "https:///x",
        ] {
            assert!(!is_usable_url(bad), "{bad}");
        }
    }

    #[test]
    fn unreachable_webhook_fails_after_retries_without_leaking() {
        let p = Policy {
            base_delay: Duration::from_millis(1),
            ..policy()
        };
        let lines = std::cell::RefCell::new(Vec::new());
        // A loopback port that was just free: the connection is refused.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let webhook = SecretString::from(format!(
            "http://127.0.0.1:{port}/services/T000/B000/SECRETxyz123"
        ));
        let err = send(&webhook, &serde_json::json!({"text": "x"}), &p, &|l| {
            lines.borrow_mut().push(l.to_string());
        })
        .unwrap_err();
        assert_eq!(err.attempts, 3);
        assert!(err.message.contains("could not reach Slack"), "{err}");
        assert!(err.message.contains("after 3 attempts"), "{err}");
        let lines = lines.borrow();
        assert!(lines.len() >= 5, "{lines:?}");
        for line in lines.iter().chain([&err.message]) {
            assert!(!line.contains("SECRET"), "{line}");
            assert!(!line.contains("/services/"), "{line}");
        }
    }
}
