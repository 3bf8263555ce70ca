//! The one redaction helper: what no message, link, log line or file may
//! show — URL userinfo, the webhook URL, the token.

/// What logs and messages show instead of the webhook URL.
pub const WEBHOOK_SHOWN: &str = "<slack webhook>";

/// Redact credentials in URLs for messages: `https://user:secret@host/x` →
/// `https://***@host/x`, for every `scheme://userinfo@` in free text.
pub fn url_credentials(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(found) = rest.find("://") {
        let after = found + "://".len();
        out.push_str(&rest[..after]);
        rest = &rest[after..];
        let authority_end = rest.find(ends_authority).unwrap_or(rest.len());
        if let Some(at) = rest[..authority_end].rfind('@')
            && at > 0
        {
            out.push_str("***");
            rest = &rest[at..];
        }
    }
    out.push_str(rest);
    out
}

/// Where the authority of a URL in free text ends.
fn ends_authority(c: char) -> bool {
    matches!(c, '/' | '?' | '#' | '\\') || c.is_whitespace()
}

/// `text` without the webhook URL: the URL (with and without its scheme),
/// its path and its last path segment (the secret part) become [`WEBHOOK_SHOWN`].
pub fn webhook(text: &str, webhook: &str) -> String {
    let webhook = webhook.trim();
    if webhook.is_empty() {
        return text.to_string();
    }
    let without_scheme = webhook.split_once("://").map_or(webhook, |(_, rest)| rest);
    let path = without_scheme
        .find('/')
        .map_or("", |i| &without_scheme[i..]);
    let last = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    let mut needles: Vec<&str> = vec![webhook, without_scheme];
    if path.len() > 1 {
        needles.push(path);
        needles.push(path.trim_end_matches('/'));
    }
    if last.len() >= 8 {
        needles.push(last);
    }
    needles.retain(|n| !n.is_empty());
    needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let mut out = text.to_string();
    for needle in needles {
        out = out.replace(needle, WEBHOOK_SHOWN);
    }
    out
}
