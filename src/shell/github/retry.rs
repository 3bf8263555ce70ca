//! What to do with one HTTP outcome: accept it, wait and retry, or give up
//! with a specific message. Pure: status, headers, body and clock in.

use std::time::Duration;

use crate::shell::http::retry::MAX_WAIT;

/// How persistent the client is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries per request, the first included.
    pub attempts: u32,
    /// Time allowed for one request, its retries and waits included.
    pub budget: Duration,
    /// First back-off after a server or transport error; doubles each time.
    pub base_delay: Duration,
    /// Back-off when a rate limit names no reset time.
    pub rate_limit_delay: Duration,
    /// Whether server and transport errors are retried. Off for requests
    /// that are not idempotent (a POST that may have landed); rate limits,
    /// which guarantee nothing happened, are always waited out.
    pub retry_server_errors: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 4,
            budget: Duration::from_secs(60),
            base_delay: Duration::from_millis(500),
            rate_limit_delay: Duration::from_secs(60),
            retry_server_errors: true,
        }
    }
}

/// The kind of a failure, for callers that treat some kinds differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// 401: the token was rejected.
    Unauthorized,
    /// 403 that is not a rate limit: a missing permission.
    Forbidden,
    /// 404.
    NotFound,
    /// Primary or secondary rate limit that outlasts the budget.
    RateLimited,
    /// 5xx after retries.
    Server,
    /// Connection, TLS or timeout problems after retries.
    Transport,
    /// Any other 4xx.
    Rejected,
}

/// The decision for one attempt's outcome.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// 2xx or 304: use the response.
    Accept,
    /// Wait this long, then try again — if attempts and the remaining
    /// budget allow; otherwise fail with `kind` and `message`.
    Retry {
        wait: Duration,
        kind: FailureKind,
        message: String,
    },
    /// Give up now.
    Fail { kind: FailureKind, message: String },
}

/// A response as the classifier sees it. Header names are lowercase.
#[derive(Debug, Clone, Copy)]
pub struct Seen<'a> {
    pub status: u16,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

impl Seen<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
    }
}

/// Classify a response. `attempt` counts from 1; `now_epoch` is the
/// current Unix time in seconds (for `x-ratelimit-reset`).
pub fn classify(seen: &Seen<'_>, attempt: u32, policy: &RetryPolicy, now_epoch: i64) -> Verdict {
    match seen.status {
        200..=299 | 304 => Verdict::Accept,
        429 => rate_limit(seen, policy, now_epoch),
        403 if is_rate_limit(seen) => rate_limit(seen, policy, now_epoch),
        401 => Verdict::Fail {
            kind: FailureKind::Unauthorized,
            message: "token rejected (401 Unauthorized): it is invalid, expired or revoked; create a new one and pass it with GH_TOKEN, GITHUB_TOKEN or --token".into(),
        },
        403 => Verdict::Fail {
            kind: FailureKind::Forbidden,
            message: forbidden_message(seen),
        },
        404 => Verdict::Fail {
            kind: FailureKind::NotFound,
            message: "not found (404): the repository does not exist, or the token has no access to it; check --repo and the token's repository access".into(),
        },
        500..=599 => Verdict::Retry {
            wait: backoff(policy, attempt),
            kind: FailureKind::Server,
            message: format!(
                "GitHub answered {} (server error): {}",
                seen.status,
                github_message(seen.body)
            ),
        },
        status => Verdict::Fail {
            kind: FailureKind::Rejected,
            message: format!("request rejected ({status}): {}", github_message(seen.body)),
        },
    }
}

/// A connection, TLS or timeout error: retry with back-off.
pub fn transport_failure(error: &str, attempt: u32, policy: &RetryPolicy) -> Verdict {
    Verdict::Retry {
        wait: backoff(policy, attempt),
        kind: FailureKind::Transport,
        message: format!("could not reach GitHub: {error}"),
    }
}

/// Exponential back-off with jitter: base·2^(attempt−1) plus up to half a base.
pub fn backoff(policy: &RetryPolicy, attempt: u32) -> Duration {
    crate::shell::http::retry::backoff(policy.base_delay, attempt, true)
}

fn is_rate_limit(seen: &Seen<'_>) -> bool {
    seen.header("retry-after").is_some()
        || seen.header("x-ratelimit-remaining") == Some("0")
        || String::from_utf8_lossy(seen.body)
            .to_ascii_lowercase()
            .contains("rate limit")
}

/// The longest wait a rate limit can ask for (see [`MAX_WAIT`]).
const MAX_WAIT_SECS: u64 = MAX_WAIT.as_secs();

fn rate_limit(seen: &Seen<'_>, policy: &RetryPolicy, now_epoch: i64) -> Verdict {
    let retry_after = seen
        .header("retry-after")
        .and_then(|v| v.parse::<u64>().ok());
    let reset = seen
        .header("x-ratelimit-reset")
        .and_then(|v| v.parse::<i64>().ok());
    let exhausted = seen.header("x-ratelimit-remaining") == Some("0");
    let (wait, resets_at) = match (retry_after, exhausted, reset) {
        (Some(secs), _, _) => (Duration::from_secs(secs.min(MAX_WAIT_SECS)), None),
        (None, true, Some(reset)) => {
            let secs = u64::try_from(reset.saturating_sub(now_epoch)).unwrap_or(0);
            let secs = secs.saturating_add(1).min(MAX_WAIT_SECS);
            (Duration::from_secs(secs), Some(reset))
        }
        _ => (policy.rate_limit_delay, None),
    };
    Verdict::Retry {
        wait,
        kind: FailureKind::RateLimited,
        message: rate_limit_message(wait, resets_at),
    }
}

fn rate_limit_message(wait: Duration, resets_at: Option<i64>) -> String {
    let when = resets_at
        .and_then(|epoch| jiff::Timestamp::from_second(epoch).ok())
        .map_or_else(
            || format!("in about {} s", wait.as_secs()),
            |ts| {
                format!(
                    "at {} (in {} s)",
                    ts.strftime("%Y-%m-%d %H:%M:%S UTC"),
                    wait.as_secs()
                )
            },
        );
    format!(
        "GitHub API rate limit exceeded; it resets {when}. Try again then, or use a token with a higher limit"
    )
}

fn forbidden_message(seen: &Seen<'_>) -> String {
    let body = github_message(seen.body);
    let accepted = seen
        .header("x-accepted-github-permissions")
        .map(|p| format!(" (GitHub accepts: {p})"))
        .unwrap_or_default();
    if body
        .to_ascii_lowercase()
        .contains("resource not accessible")
    {
        format!(
            "forbidden (403): the token lacks a permission{accepted} — reading workflow runs needs `actions: read`, commenting on pull requests needs `pull-requests: write`; GitHub said: {body}"
        )
    } else {
        format!("forbidden (403){accepted}: {body}")
    }
}

/// GitHub's `message` field, or the start of the body.
pub fn github_message(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| {
            v.get("message")
                .and_then(|m| m.as_str())
                .map(str::to_string)
        })
        .unwrap_or_else(|| {
            text.chars()
                .take(200)
                .collect::<String>()
                .trim()
                .to_string()
        })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn verdict(status: u16, headers: &[(&str, &str)], body: &str) -> Verdict {
        let headers: Vec<(String, String)> = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let seen = Seen {
            status,
            headers: &headers,
            body: body.as_bytes(),
        };
        classify(&seen, 1, &RetryPolicy::default(), 1_000)
    }

    fn fail_kind(v: &Verdict) -> Option<FailureKind> {
        match v {
            Verdict::Fail { kind, .. } => Some(*kind),
            _ => None,
        }
    }

    #[test]
    fn success_and_not_modified_are_accepted() {
        assert_eq!(verdict(200, &[], ""), Verdict::Accept);
        assert_eq!(verdict(304, &[], ""), Verdict::Accept);
    }

    #[test]
    fn server_errors_retry_with_growing_backoff() {
        let policy = RetryPolicy::default();
        assert!(matches!(verdict(502, &[], ""), Verdict::Retry { .. }));
        let first = backoff(&policy, 1);
        let third = backoff(&policy, 3);
        assert!(first >= policy.base_delay && first < policy.base_delay * 2);
        assert!(third >= policy.base_delay * 4);
    }

    #[test]
    fn client_errors_never_retry() {
        assert_eq!(
            fail_kind(&verdict(400, &[], "{\"message\":\"Bad\"}")),
            Some(FailureKind::Rejected)
        );
        assert_eq!(
            fail_kind(&verdict(401, &[], "")),
            Some(FailureKind::Unauthorized)
        );
        assert_eq!(
            fail_kind(&verdict(404, &[], "")),
            Some(FailureKind::NotFound)
        );
        assert_eq!(
            fail_kind(&verdict(422, &[], "")),
            Some(FailureKind::Rejected)
        );
        let v = verdict(
            403,
            &[("x-accepted-github-permissions", "actions=read")],
            "{\"message\":\"Resource not accessible by integration\"}",
        );
        let Verdict::Fail { kind, message } = v else {
            panic!()
        };
        assert_eq!(kind, FailureKind::Forbidden);
        assert!(
            message.contains("actions: read") && message.contains("actions=read"),
            "{message}"
        );
    }

    #[test]
    fn secondary_limit_waits_retry_after() {
        let v = verdict(
            403,
            &[("retry-after", "1")],
            "{\"message\":\"You have exceeded a secondary rate limit\"}",
        );
        assert!(
            matches!(v, Verdict::Retry { wait, kind: FailureKind::RateLimited, .. } if wait == Duration::from_secs(1))
        );
        assert!(
            matches!(verdict(429, &[("retry-after", "2")], ""), Verdict::Retry { wait, .. } if wait == Duration::from_secs(2))
        );
    }

    #[test]
    fn primary_limit_waits_until_reset_or_fails_when_far() {
        let near = verdict(
            403,
            &[
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", "1003"),
            ],
            "",
        );
        assert!(matches!(near, Verdict::Retry { wait, .. } if wait == Duration::from_secs(4)));
        let far = verdict(
            403,
            &[
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", "4600"),
            ],
            "",
        );
        let Verdict::Retry {
            wait,
            kind,
            message,
        } = far
        else {
            panic!()
        };
        assert_eq!(
            (wait, kind),
            (Duration::from_secs(3601), FailureKind::RateLimited)
        );
        assert!(
            message.contains("resets at 1970-01-01 01:16:40 UTC"),
            "{message}"
        );
    }

    /// Found by the `response` fuzz target: a huge `retry-after` (or a
    /// reset at the ends of time) overflowed the wait arithmetic.
    #[test]
    fn absurd_waits_are_capped_not_overflowed() {
        for headers in [
            vec![("retry-after", "18446744073709551615")],
            vec![("retry-after", "555555555555555")],
            vec![
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", "9223372036854775807"),
            ],
            vec![
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", "-9223372036854775808"),
            ],
        ] {
            let v = verdict(429, &headers, "");
            let Verdict::Retry { wait, message, .. } = v else {
                panic!("{headers:?}")
            };
            assert!(wait.as_secs() <= MAX_WAIT_SECS, "{headers:?}");
            assert!(message.contains("rate limit"), "{message}");
        }
    }

    #[test]
    fn malformed_retry_after_falls_back() {
        // No usable header: back off from 60 s…
        let v = verdict(429, &[("retry-after", "soon")], "");
        assert!(matches!(v, Verdict::Retry { wait, .. } if wait == Duration::from_secs(60)));
        // …but with a reset time it waits for the reset.
        let v = verdict(
            429,
            &[
                ("retry-after", "-5"),
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", "1001"),
            ],
            "",
        );
        assert!(matches!(v, Verdict::Retry { wait, .. } if wait == Duration::from_secs(2)));
    }

    #[test]
    fn github_message_prefers_the_json_field() {
        assert_eq!(github_message(b"{\"message\":\"Not Found\"}"), "Not Found");
        assert_eq!(github_message(b"plain text"), "plain text");
    }
}
