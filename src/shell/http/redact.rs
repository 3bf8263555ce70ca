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

/// A URL without its userinfo, for links: `https://user:pw@host/x` →
/// `https://host/x`. Text that is not such a URL is returned as it is.
pub fn strip_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(ends_authority).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
        None => url.to_string(),
    }
}

/// What is shown instead of a credential.
pub const HIDDEN: &str = "***";

/// Every redaction for text that came from outside (an HTTP error body, a
/// server's message): URL userinfo, `Bearer <credential>`, and each of
/// `secrets` (the token) wherever it appears.
pub fn all(text: &str, secrets: &[&str]) -> String {
    let mut out = url_credentials(text);
    for secret in secrets {
        let secret = secret.trim();
        if secret.len() >= 4 {
            out = out.replace(secret, HIDDEN);
        }
    }
    bearer(&out)
}

/// `Bearer abc.def` (any case) → `Bearer ***`.
fn bearer(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while let Some(found) = lower[at..].find("bearer") {
        let start = at + found + "bearer".len();
        let rest = &text[start..];
        let gap = rest.len() - rest.trim_start_matches([' ', '\t', ':', '=']).len();
        let credential = rest[gap..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || "-._~+/=".contains(c)))
            .unwrap_or(rest.len() - gap);
        out.push_str(&text[at..start + gap]);
        if gap > 0 && credential >= 8 {
            out.push_str(HIDDEN);
        } else {
            out.push_str(&rest[gap..gap + credential]);
        }
        at = start + gap + credential;
    }
    out.push_str(&text[at..]);
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_a_credential_is_hidden() {
        let text = "proxy said: Authorization: Bearer ghp_abc.DEF-123 token=ghp_abc.DEF-123 at https://u:p@h/x; bearer";
        let shown = all(text, &["ghp_abc.DEF-123"]);
        assert!(!shown.contains("ghp_abc"), "{shown}");
        assert!(!shown.contains("u:p@"), "{shown}");
        assert!(shown.contains("Bearer ***"), "{shown}");
        assert!(shown.ends_with("; bearer"), "{shown}");
        assert_eq!(all("Bearer", &[]), "Bearer");
        assert_eq!(all("a bearer of news", &[]), "a bearer of news");
    }

    #[test]
    fn links_lose_their_userinfo() {
        assert_eq!(
            strip_userinfo("http://u:p@h:8/api?x=a@b"),
            "http://h:8/api?x=a@b"
        );
        assert_eq!(strip_userinfo("https://h/x"), "https://h/x");
        assert_eq!(strip_userinfo("no url"), "no url");
    }
}
