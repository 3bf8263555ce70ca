//! Make untrusted text (workflow names, branches, titles, item names) safe
//! to place inside generated Markdown, or on one terminal line.
//!
//! One function per target syntax: [`md`] (GitHub-flavoured Markdown: the
//! checklist's blocks, the job summary, the PR comment, the portfolio),
//! [`code`] (inside a Markdown code span), [`mrkdwn`] (Slack), [`markup`]
//! (HTML and SVG), [`plain`] (a terminal line), [`url`] (a link target);
//! workflow commands have theirs in `render::actions`.

/// Escape text for a Markdown table cell or list item: `\`, `|`, `[`/`]`,
/// backticks and the emphasis characters `*`, `_`, `~` are
/// backslash-escaped (so "Release \*bold\*" keeps its asterisks), `&`,
/// `<`, `>` become entities (so nothing can open a comment or forge a
/// marker), line breaks and other control or direction-changing
/// characters become spaces.
pub fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '|' | '[' | ']' | '`' | '*' | '_' | '~') {
            out.push('\\');
            out.push(c);
        } else {
            push_entity_or_plain(&mut out, c);
        }
    }
    out
}

/// Text for inside a Markdown code span (`` `…` ``), where backslashes
/// are literal: backticks are dropped (they would end the span), line
/// breaks and other breaking characters become spaces; trimmed.
pub fn code(text: &str) -> String {
    text.chars()
        .filter(|&c| c != '`')
        .map(|c| if is_breaking(c) { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// Escape text for Slack `mrkdwn`: `&`, `<` and `>` become `&amp;`, `&lt;`
/// and `&gt;`, so no `<!channel>`, `<!here>`, `<@U…>`, `<#C…>` or
/// `<url|text>` can be formed (Slack mentions need that `<…>` syntax; a bare
/// `@here` or `@sec-team` is plain text and is left as written); line breaks
/// and other control or direction-changing characters become spaces.
pub fn mrkdwn(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_entity_or_plain(&mut out, c);
    }
    out
}

/// Push `c`: `&`, `<` and `>` as entities, a breaking character (see
/// [`is_breaking`]) as a space, anything else as it is.
fn push_entity_or_plain(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        c if is_breaking(c) => out.push(' '),
        c => out.push(c),
    }
}

/// Text for one terminal line: controls (escape sequences included), line
/// breaks and direction overrides become spaces; nothing else changes.
pub fn plain(text: &str) -> String {
    text.chars()
        .map(|c| if is_breaking(c) { ' ' } else { c })
        .collect()
}

/// Characters that must not reach a generated line: controls (CR, LF, tab…),
/// Unicode line/paragraph separators, and bidirectional overrides.
pub(crate) fn is_breaking(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
        )
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Escape text for HTML or XML character data and quoted attribute values
/// (the HTML report, the SVG chart): `& < > " '` become character
/// references; line breaks, other controls, direction overrides and the
/// non-characters XML forbids (U+FFFE, U+FFFF) become spaces.
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\u{FFFE}' | '\u{FFFF}' => out.push(' '),
            c if is_breaking(c) => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A link target usable in `[text](url)`: only `http(s)` URLs, with
/// characters that would end the link percent-encoded. Anything else → None.
pub fn url(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let lower = raw.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return None;
    }
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            ' ' => out.push_str("%20"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '"' => out.push_str("%22"),
            '|' => out.push_str("%7C"),
            c if c.is_control() || is_breaking(c) => {}
            c => out.push(c),
        }
    }
    Some(out)
}

/// `[text](url)` when the URL is usable, else the escaped text alone.
pub fn link(text: &str, raw_url: Option<&str>) -> String {
    match raw_url.and_then(url) {
        Some(u) => format!("[{}]({u})", md(text)),
        None => md(text),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_cannot_break_out() {
        let hostile = "a|b\nc\r<!-- CI_SNAPSHOT_END -->\u{2028}x\u{202E}y & `z` [l](u)";
        let safe = md(hostile);
        assert!(!safe.contains('\n') && !safe.contains('\r'));
        assert!(!safe.contains("<!--"));
        assert!(!safe.contains('\u{2028}') && !safe.contains('\u{202E}'));
        assert!(safe.contains("a\\|b"));
        assert!(safe.contains("&amp;"));
        assert!(safe.contains("\\[l\\]"));
        assert_eq!(md("plain name"), "plain name");
        // A name ending in a backslash cannot un-escape the next pipe.
        assert_eq!(md("a\\|b"), "a\\\\\\|b");
        assert_eq!(md("<!channel> @here"), "&lt;!channel&gt; @here");
    }

    #[test]
    fn emphasis_is_escaped_and_renders_as_written() {
        let name = "Release *bold* _x_ ~~gone~~ a\\*b";
        let safe = md(name);
        assert_eq!(
            safe,
            "Release \\*bold\\* \\_x\\_ \\~\\~gone\\~\\~ a\\\\\\*b"
        );
        // A real GFM parser reads the name as written, with no emphasis,
        // in a list item and in a table cell.
        for doc in [format!("- {safe}\n"), format!("| A |\n|---|\n| {safe} |\n")] {
            let (text, styled) = gfm_text(&doc);
            assert!(!styled, "{doc}");
            assert!(
                text.ends_with("Release *bold* _x_ ~~gone~~ a\\*b"),
                "{text:?}"
            );
        }
    }

    /// The text a GFM parser reads from `doc`, and whether any of it is
    /// emphasised, strong or struck through.
    fn gfm_text(doc: &str) -> (String, bool) {
        use pulldown_cmark::{Event, Options, Parser, Tag};
        let mut text = String::new();
        let mut styled = false;
        let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
        for event in Parser::new_ext(doc, options) {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough) => styled = true,
                _ => {}
            }
        }
        (text, styled)
    }

    #[test]
    fn code_spans_lose_backticks_and_breaks() {
        assert_eq!(code(" a`b\nc_d "), "ab c_d");
    }

    #[test]
    fn slack_text_forms_no_mention_or_link() {
        assert_eq!(
            mrkdwn("<!channel> & <https://evil|x> @here\nnext"),
            "&lt;!channel&gt; &amp; &lt;https://evil|x&gt; @here next"
        );
        assert_eq!(
            mrkdwn("<@U123> owner @sec-team"),
            "&lt;@U123&gt; owner @sec-team"
        );
        assert_eq!(mrkdwn("&amp;"), "&amp;amp;");
        assert_eq!(mrkdwn("plain name"), "plain name");
        assert!(!mrkdwn("a\u{202E}b\u{2028}c").contains(['\u{202E}', '\u{2028}']));
    }

    #[test]
    fn plain_text_has_no_controls() {
        assert_eq!(plain("a\u{1b}[31mb\nc\u{202E}d <&>"), "a [31mb c d <&>");
    }

    #[test]
    fn only_http_urls_are_links() {
        assert_eq!(
            url("https://x.test/a b(c)").unwrap(),
            "https://x.test/a%20b%28c%29"
        );
        assert_eq!(url("javascript:alert(1)"), None);
        assert_eq!(link("CI", Some("ftp://x")), "CI");
        assert_eq!(
            link("C|I", Some("https://x.test")),
            "[C\\|I](https://x.test)"
        );
        assert_eq!(link("CI", None), "CI");
    }
}
