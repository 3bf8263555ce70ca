//! A small blocking GitHub REST client: auth headers, timeouts, bounded
//! retries, and a request counter. The token never leaves this type except
//! in the `Authorization` header.

use std::cell::Cell;
use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use ureq::{Agent, RequestBuilder};

use super::retry::{FailureKind, RetryPolicy, Seen, Verdict, classify, transport_failure};
use crate::shell::http::redact::url_credentials as redact_url_credentials;
use crate::shell::http::retry::{Attempt, Limits, RetryError};

/// The largest response body accepted (a 100-run page is about 1 MB).
const BODY_LIMIT: u64 = 64 * 1024 * 1024;

/// An HTTP method the client uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Patch,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
        }
    }
}

/// One request to send.
#[derive(Debug, Clone)]
pub struct ApiRequest {
    pub method: Method,
    pub url: String,
    pub body: Option<Value>,
    /// An ETag for a conditional GET.
    pub if_none_match: Option<String>,
}

impl ApiRequest {
    /// A plain GET.
    pub fn get(url: impl Into<String>) -> ApiRequest {
        ApiRequest {
            method: Method::Get,
            url: url.into(),
            body: None,
            if_none_match: None,
        }
    }

    /// A request with a JSON body.
    pub fn json(method: Method, url: impl Into<String>, body: Value) -> ApiRequest {
        ApiRequest {
            method,
            url: url.into(),
            body: Some(body),
            if_none_match: None,
        }
    }
}

/// A received response (2xx or 304).
#[derive(Debug, Clone)]
pub struct ApiResponse {
    pub status: u16,
    /// Lowercase names.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl ApiResponse {
    /// The first value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }
}

/// A request that did not succeed; the message says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    pub kind: FailureKind,
    pub message: String,
}

impl RetryError for ApiError {
    fn message(&self) -> &str {
        &self.message
    }

    fn extend(&mut self, suffix: &str) {
        self.message.push_str(suffix);
    }
}

/// Connection settings.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub connect: Duration,
    /// Until the response headers arrive.
    pub response: Duration,
    /// For the whole body.
    pub body: Duration,
}

impl Timeouts {
    /// Wait up to `response` for the headers (connecting takes at most
    /// 10 s of that), and twice as long for the body.
    #[must_use]
    pub fn within(response: Duration) -> Timeouts {
        Timeouts {
            connect: response.min(Duration::from_secs(10)),
            response,
            body: response.saturating_mul(2),
        }
    }
}

/// The GitHub REST client.
pub struct Client {
    agent: Agent,
    api: String,
    token: SecretString,
    policy: RetryPolicy,
    log: Box<dyn Fn(&str)>,
    requests: Cell<usize>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("api", &self.api)
            .field("requests", &self.requests.get())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for the API at `api` (e.g. `https://api.github.com`);
    /// `log` receives one line per HTTP exchange (for `--verbose`).
    pub fn new(
        api: &str,
        token: SecretString,
        policy: RetryPolicy,
        timeouts: Timeouts,
        log: Box<dyn Fn(&str)>,
    ) -> Client {
        let agent: Agent = Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(timeouts.connect))
            .timeout_recv_response(Some(timeouts.response))
            .timeout_recv_body(Some(timeouts.body))
            .user_agent(concat!("release-dashboard/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Client {
            agent,
            api: api.trim_end_matches('/').to_string(),
            token,
            policy,
            log,
            requests: Cell::new(0),
        }
    }

    /// `api` + `path` (path starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.api)
    }

    /// HTTP requests made so far (each retry counts).
    pub fn request_count(&self) -> usize {
        self.requests.get()
    }

    /// The client's retry policy.
    pub fn policy(&self) -> RetryPolicy {
        self.policy
    }

    /// Send with the client's retry policy.
    pub fn send(&self, request: &ApiRequest) -> Result<ApiResponse, ApiError> {
        self.send_with(request, &self.policy)
    }

    /// Send, retrying as `policy` allows: at most `attempts` tries, and no
    /// wait that would end past `budget`.
    pub fn send_with(
        &self,
        request: &ApiRequest,
        policy: &RetryPolicy,
    ) -> Result<ApiResponse, ApiError> {
        let lower = request.url.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) {
            return Err(ApiError {
                kind: FailureKind::Rejected,
                message: format!(
                    "cannot request {:?}: not an absolute http(s) URL (a malformed Link header?)",
                    redact_url_credentials(&request.url)
                ),
            });
        }
        if !origin(&request.url).eq_ignore_ascii_case(origin(&self.api)) {
            return Err(ApiError {
                kind: FailureKind::Rejected,
                message: format!(
                    "refusing to send the token to {}: it is not on the API host {} (a Link header pointed elsewhere?)",
                    redact_url_credentials(&request.url),
                    origin(&self.api)
                ),
            });
        }
        let limits = Limits {
            attempts: policy.attempts,
            budget: Some(policy.budget),
        };
        // One deadline for the request, waits and retries included: each
        // attempt gets what is left of it as ureq's global timeout, which
        // also ends a body that stalls after its first bytes.
        let started = Instant::now();
        limits.run(&*self.log, |attempt| {
            let left = policy.budget.saturating_sub(started.elapsed());
            if left.is_zero() {
                return Attempt::Fail(ApiError {
                    kind: FailureKind::Transport,
                    message: format!(
                        "{}: timed out: the request's deadline (twice --http-timeout, retries included) passed",
                        origin(&request.url),
                    ),
                });
            }
            let (verdict, response) = match self.once(request, left) {
                Ok(response) => {
                    let seen = Seen {
                        status: response.status,
                        headers: &response.headers,
                        body: &response.body,
                    };
                    let verdict =
                        classify(&seen, attempt, policy, jiff::Timestamp::now().as_second());
                    (verdict, Some(response))
                }
                Err(transport) => (transport_failure(&transport, attempt, policy), None),
            };
            match verdict {
                Verdict::Accept => match response {
                    Some(response) => Attempt::Done(response),
                    None => Attempt::Fail(ApiError {
                        kind: FailureKind::Transport,
                        message: "no response".into(),
                    }),
                },
                Verdict::Retry {
                    wait,
                    kind,
                    message,
                } if policy.retry_server_errors || kind == FailureKind::RateLimited => {
                    Attempt::Retry {
                        wait,
                        error: ApiError {
                            kind,
                            message: self.redact(&message),
                        },
                    }
                }
                Verdict::Fail { kind, message } | Verdict::Retry { kind, message, .. } => {
                    Attempt::Fail(ApiError {
                        kind,
                        message: self.redact(&message),
                    })
                }
            }
        })
    }

    /// A message built from what a server sent, with every credential
    /// hidden (a proxy's error page may quote the Authorization header).
    fn redact(&self, message: &str) -> String {
        crate::shell::http::redact::all(message, &[self.token.expose_secret()])
    }

    /// One HTTP exchange; `Err` is a transport failure.
    fn once(&self, request: &ApiRequest, deadline: Duration) -> Result<ApiResponse, String> {
        self.requests.set(self.requests.get() + 1);
        let started = Instant::now();
        let url = &request.url;
        let json = |body: &Value| serde_json::to_vec(body).unwrap_or_default();
        let result = match (&request.body, request.method) {
            (None, _) => self.headers(self.agent.get(url), request, deadline).call(),
            (Some(body), Method::Patch) => self
                .headers(self.agent.patch(url), request, deadline)
                .header("Content-Type", "application/json")
                .send(&json(body)[..]),
            (Some(body), _) => self
                .headers(self.agent.post(url), request, deadline)
                .header("Content-Type", "application/json")
                .send(&json(body)[..]),
        };
        let shown = redact_url_credentials(url);
        let mut response = result.map_err(|e| {
            let error = redact_url_credentials(&describe_transport(&e));
            (self.log)(&format!("{} {shown} → {error}", request.method.as_str()));
            format!("{}: {error}", origin(url))
        })?;
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_ascii_lowercase(),
                    v.to_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(BODY_LIMIT)
            .read_to_vec()
            .map_err(|e| {
                redact_url_credentials(&format!(
                    "{}: reading the response body: {}",
                    origin(url),
                    describe_transport(&e)
                ))
            })?;
        let remaining = headers
            .iter()
            .find(|(k, _)| k == "x-ratelimit-remaining")
            .map_or(String::new(), |(_, v)| {
                format!(", rate limit remaining {v}")
            });
        (self.log)(&format!(
            "{} {shown} → {status} in {} ms, {} bytes{remaining}",
            request.method.as_str(),
            started.elapsed().as_millis(),
            body.len()
        ));
        Ok(ApiResponse {
            status,
            headers,
            body,
        })
    }

    fn headers<B>(
        &self,
        builder: RequestBuilder<B>,
        request: &ApiRequest,
        deadline: Duration,
    ) -> RequestBuilder<B> {
        let builder = builder
            .config()
            .timeout_global(Some(deadline))
            .build()
            .header(
                "Authorization",
                format!("Bearer {}", self.token.expose_secret()),
            )
            .header("Accept", "application/vnd.github+json")
            .header("X-GitHub-Api-Version", "2022-11-28");
        match &request.if_none_match {
            Some(etag) => builder.header("If-None-Match", etag),
            None => builder,
        }
    }
}

/// `scheme://host[:port]` of a URL (the whole string when it has no path).
/// A transport error in words; a timeout says which setting to raise.
fn describe_transport(error: &ureq::Error) -> String {
    match error {
        ureq::Error::Timeout(_) => {
            format!("timed out ({error}); --http-timeout sets how long to wait")
        }
        _ => error.to_string(),
    }
}

fn origin(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |at| at + 3);
    match url[after_scheme..].find(['/', '?', '#']) {
        Some(at) => &url[..after_scheme + at],
        None => url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        assert_eq!(
            origin("https://api.github.com/repos/o/r?x=1"),
            "https://api.github.com"
        );
        assert_eq!(
            origin("https://ghe.example.com/api/v3"),
            "https://ghe.example.com"
        );
        assert_eq!(origin("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_ne!(
            origin("http://127.0.0.1:8081/x"),
            origin("http://127.0.0.1:8080/x")
        );
    }
}
