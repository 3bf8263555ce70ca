//! Where we are on GitHub, worked out from strings: the repository, the web
//! base, the pull request, the next page. Pure: no I/O, no environment.

use std::fmt;

/// The form `RepoId::parse` expects, shown in its errors.
const EXPECTED_FORM: &str = "expected OWNER/REPO, e.g. octo-org/widgets";

/// URL schemes a git remote on a forge can use.
const REMOTE_SCHEMES: &[&str] = &["https", "http", "ssh", "git", "git+ssh", "ssh+git"];

/// owner/name of a repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoId {
    pub owner: String,
    pub name: String,
}

impl RepoId {
    /// "owner/repo": exactly one slash, both parts non-empty, characters
    /// `[A-Za-z0-9._-]`. The error says what is wrong and shows the form.
    pub fn parse(s: &str) -> Result<RepoId, String> {
        let problem = |what: String| format!("invalid repository {s:?}: {what}; {EXPECTED_FORM}");
        let Some((owner, name)) = s.split_once('/') else {
            return Err(problem("no '/' between owner and name".into()));
        };
        if name.contains('/') {
            return Err(problem("more than one '/'".into()));
        }
        check_part("owner", owner).map_err(problem)?;
        check_part("name", name).map_err(problem)?;
        Ok(RepoId {
            owner: owner.to_string(),
            name: name.to_string(),
        })
    }

    /// From a git remote URL of any host: `https://host/owner/repo(.git)(/)`,
    /// `http://…`, `https://user:token@host/owner/repo.git`,
    /// `git@host:owner/repo(.git)`, `ssh://git@host(:port)/owner/repo(.git)`,
    /// `git://host/owner/repo`. `None` when it does not look like owner/repo
    /// (a local path, a `file://` URL, a subgroup path with more segments).
    pub fn from_remote_url(url: &str) -> Option<RepoId> {
        let url = url.trim();
        let path = match url.split_once("://") {
            Some((scheme, rest)) => url_path(scheme, rest)?,
            None => scp_path(url)?,
        };
        repo_from_path(path)
    }
}

impl fmt::Display for RepoId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}

/// One half of owner/repo: non-empty, allowed characters, not `.` or `..`.
fn check_part(label: &str, part: &str) -> Result<(), String> {
    if part.is_empty() {
        return Err(format!("the {label} is empty"));
    }
    if let Some(bad) = part.chars().find(|&c| !is_repo_char(c)) {
        return Err(format!(
            "the {label} contains {bad:?} (allowed: letters, digits, '.', '_', '-')"
        ));
    }
    if part == "." || part == ".." {
        return Err(format!("the {label} cannot be {part:?}"));
    }
    Ok(())
}

fn is_repo_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}

/// The path of `scheme://[userinfo@]host[:port]/path`, for forge schemes only.
fn url_path<'a>(scheme: &str, rest: &'a str) -> Option<&'a str> {
    let scheme = scheme.to_ascii_lowercase();
    if !REMOTE_SCHEMES.contains(&scheme.as_str()) {
        return None;
    }
    let (authority, path) = rest.split_once('/')?;
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    (!host.is_empty()).then_some(path)
}

/// The path of scp-like `[user@]host:path`. A slash before the colon, or a
/// one-letter host (a Windows drive), means a local path.
fn scp_path(url: &str) -> Option<&str> {
    let (before, path) = url.split_once(':')?;
    if before.contains('/') || before.contains('\\') {
        return None;
    }
    let host = before.rsplit_once('@').map_or(before, |(_, host)| host);
    (host.len() > 1).then_some(path)
}

/// `owner/repo` from a remote path: query and fragment, slashes at either
/// end and one `.git` suffix are dropped; exactly two segments remain.
fn repo_from_path(path: &str) -> Option<RepoId> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let path = path.trim_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    RepoId::parse(path).ok()
}

/// The web base for an API base: `https://api.github.com` →
/// `https://github.com`; `https://api.SUBDOMAIN.ghe.com` →
/// `https://SUBDOMAIN.ghe.com`; GitHub Enterprise Server
/// `https://ghe.example.com/api/v3` → `https://ghe.example.com`. Anything
/// else: a trailing `/api/v3` or `/api` is stripped, a trailing slash removed.
pub fn web_base(api_url: &str) -> String {
    // Links are shown and posted: never with the API URL's userinfo.
    let api_url = crate::shell::http::redact::strip_userinfo(api_url.trim());
    let base = api_url.trim_end_matches('/');
    if let Some((scheme, host)) = base.split_once("://")
        && let Some(web_host) = web_host_of_api_host(host)
    {
        return format!("{scheme}://{web_host}");
    }
    let base = base
        .strip_suffix("/api/v3")
        .or_else(|| base.strip_suffix("/api"))
        .unwrap_or(base);
    base.trim_end_matches('/').to_string()
}

/// `api.github.com` → `github.com`, `api.x.ghe.com` → `x.ghe.com`.
fn web_host_of_api_host(host: &str) -> Option<&str> {
    let lower = host.to_ascii_lowercase();
    let cloud = lower == "api.github.com" || lower.ends_with(".ghe.com");
    host.strip_prefix("api.").filter(|_| cloud)
}

/// The PR number of a GitHub Actions event payload (the file at
/// `GITHUB_EVENT_PATH`): `pull_request.number`, else `issue.number` when the
/// issue is a pull request (an `issue_comment` on a PR). Invalid JSON → `None`.
pub fn pr_number_from_event(json: &[u8]) -> Option<u64> {
    let event: serde_json::Value = serde_json::from_slice(json).ok()?;
    let number = |object: &serde_json::Value| object.get("number")?.as_u64();
    if let Some(pr) = event.get("pull_request")
        && let Some(n) = number(pr)
    {
        return Some(n);
    }
    let issue = event.get("issue")?;
    issue.get("pull_request")?;
    number(issue)
}

/// From `GITHUB_REF` `refs/pull/123/merge` or `refs/pull/123/head` → 123.
pub fn pr_number_from_ref(git_ref: &str) -> Option<u64> {
    let rest = git_ref.trim().strip_prefix("refs/pull/")?;
    let (digits, kind) = rest.split_once('/')?;
    if !matches!(kind, "merge" | "head") || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|&n| n > 0)
}

/// The URL of `rel="next"` in a `Link` header, e.g.
/// `<https://api.github.com/repositories/1/actions/runs?page=2>; rel="next"`.
/// Tolerates spaces, other parameters, rel lists (`rel="next last"`), and
/// malformed input (→ `None`).
pub fn next_link(link_header: &str) -> Option<String> {
    split_unquoted(link_header, ',')
        .into_iter()
        .filter_map(link_value)
        .find(|(_, params)| params.iter().any(|p| is_rel_next(p)))
        .map(|(url, _)| url.to_string())
}

/// `<url>; param; param` → the url and its parameters.
fn link_value(value: &str) -> Option<(&str, Vec<&str>)> {
    let rest = value.trim().strip_prefix('<')?;
    let (url, params) = rest.split_once('>')?;
    let url = url.trim();
    if url.is_empty() {
        return None;
    }
    Some((url, split_unquoted(params, ';')))
}

/// `rel=next`, `rel="next"`, `rel="prev next"`, any case and spacing.
fn is_rel_next(param: &str) -> bool {
    let Some((name, value)) = param.split_once('=') else {
        return false;
    };
    let value = value.trim().trim_matches('"');
    name.trim().eq_ignore_ascii_case("rel")
        && value
            .split_ascii_whitespace()
            .any(|rel| rel.eq_ignore_ascii_case("next"))
}

/// Split on `sep` outside `"…"` and `<…>`.
fn split_unquoted(text: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut in_quotes, mut in_angle) = (0, false, false);
    for (i, c) in text.char_indices() {
        match c {
            '"' if !in_angle => in_quotes = !in_quotes,
            '<' if !in_quotes => in_angle = true,
            '>' if !in_quotes => in_angle = false,
            c if c == sep && !in_quotes && !in_angle => {
                parts.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// Percent-encode a query value: every byte but the unreserved
/// `A-Z a-z 0-9 - _ . ~` becomes `%XX`.
pub(crate) fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::shell::http::redact::url_credentials as redact_url_credentials;
    use proptest::prelude::*;

    #[allow(clippy::unnecessary_wraps)] // compared with parsers' results
    fn repo(owner: &str, name: &str) -> Option<RepoId> {
        Some(RepoId {
            owner: owner.into(),
            name: name.into(),
        })
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(encode("feature/a b&c"), "feature%2Fa%20b%26c");
        assert_eq!(encode("rel+1#x=é"), "rel%2B1%23x%3D%C3%A9");
        assert_eq!(encode("main"), "main");
    }

    #[test]
    fn parses_owner_slash_repo() {
        let id = RepoId::parse("octo-org/my_repo.rs").unwrap();
        assert_eq!(
            (id.owner.as_str(), id.name.as_str()),
            ("octo-org", "my_repo.rs")
        );
        assert_eq!(id.to_string(), "octo-org/my_repo.rs");
    }

    #[test]
    fn parse_errors_say_what_is_wrong() {
        for (input, problem) in [
            ("octo", "no '/'"),
            ("a/b/c", "more than one '/'"),
            ("/b", "owner is empty"),
            ("a/", "name is empty"),
            ("", "no '/'"),
            ("a b/c", "owner contains ' '"),
            ("a/c?d", "name contains '?'"),
            ("a/..", "name cannot be \"..\""),
        ] {
            let err = RepoId::parse(input).unwrap_err();
            assert!(err.contains(problem), "{input:?}: {err}");
            assert!(err.contains("OWNER/REPO"), "{input:?}: {err}");
        }
    }

    #[test]
    fn remote_urls_of_every_shape() {
        for url in [
            "https://github.com/octo/widgets",
            "https://github.com/octo/widgets.git",
            "https://github.com/octo/widgets/",
            "https://github.com/octo/widgets.git/",
            "http://ghe.example.com/octo/widgets",
            "https://user:token@github.com/octo/widgets.git",
            "https://x-access-token:ghs_abc@github.com/octo/widgets",
            "git@github.com:octo/widgets.git",
            "git@github.com:octo/widgets",
            "github.com:octo/widgets",
            "ssh://git@github.com/octo/widgets.git",
            "ssh://git@ghe.example.com:2222/octo/widgets",
            "git://github.com/octo/widgets",
            "  https://gitlab.com/octo/widgets.git\n",
        ] {
            assert_eq!(
                RepoId::from_remote_url(url),
                repo("octo", "widgets"),
                "{url}"
            );
        }
    }

    #[test]
    fn remote_urls_that_are_not_owner_repo() {
        for url in [
            "",
            "/home/me/widgets",
            "../widgets",
            "./octo/widgets",
            "file:///srv/octo/widgets.git",
            "C:/octo/widgets",
            "C:\\octo\\widgets",
            "https://gitlab.com/group/sub/widgets.git",
            "https://github.com/octo",
            "https://github.com/",
            "git@github.com:widgets.git",
            "ftp://host/octo/widgets",
            "https:///octo/widgets",
        ] {
            assert_eq!(RepoId::from_remote_url(url), None, "{url}");
        }
    }

    #[test]
    fn web_base_of_api_bases() {
        for (api, web) in [
            ("https://api.github.com", "https://github.com"),
            ("https://api.github.com/", "https://github.com"),
            ("https://api.octo.ghe.com", "https://octo.ghe.com"),
            ("https://ghe.example.com/api/v3", "https://ghe.example.com"),
            ("https://ghe.example.com/api/v3/", "https://ghe.example.com"),
            ("https://ghe.example.com/api", "https://ghe.example.com"),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
            ("https://api.example.com", "https://api.example.com"),
        ] {
            assert_eq!(web_base(api), web, "{api}");
        }
    }

    #[test]
    fn pr_number_from_pull_request_event() {
        let event = br#"{"action":"opened","pull_request":{"number":42}}"#;
        assert_eq!(pr_number_from_event(event), Some(42));
    }

    #[test]
    fn pr_number_from_issue_comment_on_a_pr_only() {
        let on_pr = br#"{"issue":{"number":7,"pull_request":{"url":"x"}}}"#;
        let on_issue = br#"{"issue":{"number":7}}"#;
        assert_eq!(pr_number_from_event(on_pr), Some(7));
        assert_eq!(pr_number_from_event(on_issue), None);
    }

    #[test]
    fn pr_number_absent_or_invalid() {
        for event in [
            &b"{"[..],
            b"",
            b"[]",
            br#"{"push":{}}"#,
            br#"{"pull_request":{"number":"42"}}"#,
            br#"{"pull_request":{"number":-1}}"#,
        ] {
            assert_eq!(pr_number_from_event(event), None);
        }
    }

    #[test]
    fn pr_number_from_refs() {
        assert_eq!(pr_number_from_ref("refs/pull/123/merge"), Some(123));
        assert_eq!(pr_number_from_ref("refs/pull/9/head"), Some(9));
        for bad in [
            "refs/heads/main",
            "refs/pull/abc/merge",
            "refs/pull/+1/merge",
            "refs/pull/0/merge",
            "refs/pull/12/other",
            "refs/pull/12",
            "refs/pull//merge",
            "",
        ] {
            assert_eq!(pr_number_from_ref(bad), None, "{bad}");
        }
    }

    #[test]
    fn next_link_from_github_header() {
        let header = "<https://api.github.com/repositories/1/actions/runs?page=2>; rel=\"next\", \
                      <https://api.github.com/repositories/1/actions/runs?page=5>; rel=\"last\"";
        assert_eq!(
            next_link(header).as_deref(),
            Some("https://api.github.com/repositories/1/actions/runs?page=2")
        );
    }

    #[test]
    fn next_link_tolerates_variations() {
        for (header, want) in [
            ("<a>; rel=\"last\",  <b> ;  rel = \"next\"", Some("b")),
            ("<a>; title=\"x, y; z\"; rel=\"prev next\"", Some("a")),
            ("<a?x=1,2;3>; rel=next", Some("a?x=1,2;3")),
            ("<a>; REL=\"Next\"", Some("a")),
            ("<a>; rel=\"prev\", <b>; rel=\"last\"", None),
            ("<a>; rel=\"nextpage\"", None),
            ("", None),
            ("rel=\"next\"", None),
            ("<>; rel=\"next\"", None),
            ("<a; rel=\"next\"", None),
            ("garbage, <b>; rel=\"next\"", Some("b")),
        ] {
            assert_eq!(next_link(header).as_deref(), want, "{header}");
        }
    }

    #[test]
    fn redacts_credentials_in_urls_and_text() {
        for (text, want) in [
            ("https://user:secret@host/x", "https://***@host/x"),
            ("https://token@host", "https://***@host"),
            ("https://host/x@y", "https://host/x@y"),
            ("https://host/x", "https://host/x"),
            ("https://***@host/x", "https://***@host/x"),
            ("https://u:p@ss@host/x", "https://***@host/x"),
            (
                "fetch 'https://a:b@h1/x' then git://c@h2?q failed",
                "fetch 'https://***@h1/x' then git://***@h2?q failed",
            ),
            ("mail me@x.org", "mail me@x.org"),
            ("https://@host", "https://@host"),
            ("://", "://"),
        ] {
            assert_eq!(redact_url_credentials(text), want, "{text}");
        }
    }

    proptest! {
        #[test]
        fn pure_helpers_never_panic(text in any::<String>()) {
            let _ = next_link(&text);
            let _ = RepoId::from_remote_url(&text);
            let _ = RepoId::parse(&text);
            let _ = redact_url_credentials(&text);
            let _ = web_base(&text);
            let _ = pr_number_from_ref(&text);
            let _ = pr_number_from_event(text.as_bytes());
        }

        #[test]
        fn helpers_never_panic_on_url_like_text(text in "[<>;,\"= a-zA-Z:/@.?#\\\\é-]{0,60}") {
            let _ = next_link(&text);
            let _ = RepoId::from_remote_url(&text);
            let _ = redact_url_credentials(&text);
            let _ = web_base(&text);
        }

        #[test]
        fn redaction_removes_userinfo(user in "[A-Za-z0-9]{4,20}", pass in "[A-Za-z0-9]{4,20}") {
            let userinfo = format!("{user}:{pass}");
            let text = format!("error: https://{userinfo}@host/path: refused");
            let redacted = redact_url_credentials(&text);
            prop_assert!(!redacted.contains(&userinfo), "{}", redacted);
            prop_assert_eq!(redacted, "error: https://***@host/path: refused");
        }
    }
}
