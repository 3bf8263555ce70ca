//! Arbitrary bytes as an HTTP response from GitHub or Slack: a status, a
//! header block and a body. The retry classifiers, the `Link` parser and
//! the credential redactor must not panic; a wait is never negative or
//! beyond a year; a `next` link is always a piece of the header; and a
//! URL's password never survives redaction.
#![no_main]

use libfuzzer_sys::fuzz_target;
use release_dashboard::shell::github::context::next_link;
use release_dashboard::shell::http::redact::url_credentials as redact_url_credentials;
use release_dashboard::shell::github::retry::{RetryPolicy, Seen, Verdict, classify};
use release_dashboard::shell::slack::{Policy, decide};

const NOW: i64 = 1_795_510_800;

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let status = u16::from_be_bytes([data[0], data[1]]) % 1000;
    let attempt = u32::from(data[2] % 6) + 1;
    let rest = &data[3..];
    let split = rest.windows(2).position(|w| w == b"\n\n").unwrap_or(rest.len());
    let head = String::from_utf8_lossy(&rest[..split]);
    let body = rest.get(split + 2..).unwrap_or_default();
    let headers: Vec<(String, String)> = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let seen = Seen { status, headers: &headers, body };
    let verdict = classify(&seen, attempt, &RetryPolicy::default(), NOW);
    if let Verdict::Retry { wait, .. } = &verdict {
        assert!(wait.as_secs() <= 86_400 * 366, "a wait of {wait:?}");
    }
    for (name, value) in &headers {
        if name == "link" {
            if let Some(next) = next_link(value) {
                assert!(value.contains(&next), "{next} is not in {value}");
            }
        }
    }
    let retry_after = headers.iter().find(|(k, _)| k == "retry-after").map(|(_, v)| v.as_str());
    let _ = decide(status, retry_after, body, attempt, &Policy::default());
    // Credentials in a URL anywhere in the text never survive redaction.
    if !head.contains("fuzzpass") {
        let text = format!("{head} https://fuzzuser:fuzzpass@example.com/x {head}");
        let redacted = redact_url_credentials(&text);
        assert!(!redacted.contains("fuzzpass"), "{redacted}");
    }
});
