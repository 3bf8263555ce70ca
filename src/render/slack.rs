//! The Slack alert: a Block Kit message with a plain `text` fallback (pure;
//! no clock, no I/O).
//!
//! The message holds a header (status emoji and score), fields for the
//! status, the target and each category's passing/total, the CI health with
//! the top [`TOP_FAILING`] failing workflows linked to their latest failed
//! runs, the blockers with their owners, link buttons "View checklist" and
//! "View CI runs", and a context line naming the checklist.
//!
//! Everything that comes from the checklist or from CI (item, owner,
//! category, workflow and branch names, the checklist path) is untrusted:
//! it is cut to [`NAME_LIMIT`] characters and escaped with
//! [`mrkdwn`](crate::render::escape::mrkdwn) (`&` `<` `>` become entities), so it
//! can form no mention and no link: Slack mentions need `<@U…>` or
//! `<!here>`, and a bare `@name` stays as written (`owner @sec-team`).
//! Untrusted text never goes into `plain_text` objects. Links are made only
//! to `http(s)` URLs, with `|`, `>`, `<`, spaces and `@` percent-encoded.
//!
//! Block Kit limits are respected: header text ≤ [`HEADER_LIMIT`], section
//! text ≤ [`SECTION_LIMIT`], field text ≤ [`FIELD_LIMIT`], ≤
//! [`FIELDS_PER_SECTION`] fields per section, ≤ [`MAX_BLOCKS`] blocks. Long
//! lists are cut and end with "… and N more".

use serde_json::{Value, json};

use crate::core::ci::CiHealth;
use crate::core::report::{CiSource, Report};
use crate::core::score::Score;
use crate::render::escape::{mrkdwn, url};
use crate::render::pr_comment::CommentLinks;
use crate::render::{
    drift_detail, fmt_count, fmt_num, fmt_pct, fmt_time, health_counts, other_branches_note,
};

/// Slack's limit on a header block's text.
pub const HEADER_LIMIT: usize = 150;
/// Slack's limit on a section's text.
pub const SECTION_LIMIT: usize = 3000;
/// Slack's limit on one field of a section.
pub const FIELD_LIMIT: usize = 2000;
/// Slack's limit on the fields of one section.
pub const FIELDS_PER_SECTION: usize = 10;
/// Slack's limit on the blocks of one message.
pub const MAX_BLOCKS: usize = 50;
/// Slack's limit on a button's URL.
pub const BUTTON_URL_LIMIT: usize = 3000;
/// Untrusted names longer than this (in `char`s) are cut, with `…`.
pub const NAME_LIMIT: usize = 100;
/// How many failing workflows are listed.
pub const TOP_FAILING: usize = 3;
/// Sections of fields at most (status, target and the categories).
const FIELD_SECTIONS: usize = 3;
/// A workflow link longer than this is left out (the name stays).
const LINK_LIMIT: usize = 1000;

/// The webhook payload: `{"text": …, "blocks": […]}`.
pub fn payload(report: &Report, links: &CommentLinks) -> Value {
    let mut blocks = vec![header(report)];
    blocks.extend(field_sections(report));
    blocks.push(section(&ci(report
        .ci
        .as_ref()
        .map(|c| (&c.health, c.source)))));
    blocks.push(section(&blockers(&report.score)));
    if !report.score.gates.drift.is_empty() {
        blocks.push(section(&drift(&report.score)));
    }
    blocks.extend(buttons(links));
    blocks.push(context(report));
    blocks.truncate(MAX_BLOCKS);
    json!({ "text": fallback(report), "blocks": blocks })
}

/// The notification text: score, status, target, blockers and checklist.
fn fallback(report: &Report) -> String {
    let score = &report.score;
    let blockers = score.blockers.len();
    format!(
        "{} Release readiness {}% — {} (target {}%, {}) · {blockers} {} · {}",
        score.band.emoji(),
        fmt_pct(score.total, 2),
        score.band.text(),
        fmt_num(report.threshold),
        if report.passed() { "met" } else { "not met" },
        plural(blockers, "blocker", "blockers"),
        text(&report.checklist),
    )
}

fn header(report: &Report) -> Value {
    let score = &report.score;
    let title = format!(
        "{} Release readiness: {}% — {}",
        score.band.emoji(),
        fmt_pct(score.total, 2),
        score.band.text()
    );
    json!({
        "type": "header",
        "text": { "type": "plain_text", "text": cut(&title, HEADER_LIMIT), "emoji": true },
    })
}

/// Status, target and one field per category, ten to a section.
fn field_sections(report: &Report) -> Vec<Value> {
    let score = &report.score;
    let verdict = if report.passed() {
        "✅ met"
    } else {
        "❌ not met"
    };
    let mut fields = vec![
        format!("*Status*\n{} {}", score.band.emoji(), score.band.text()),
        format!("*Target*\n{}% · {verdict}", fmt_num(report.threshold)),
    ];
    let categories: Vec<String> = score
        .categories
        .iter()
        .map(|c| {
            let lock = if c.blocking { " 🔒" } else { "" };
            let value = c
                .score
                .map_or("no items".to_string(), |s| format!("{}%", fmt_pct(s, 1)));
            format!(
                "*{}*{lock}\n{}/{} passing · {value}",
                text(&c.name),
                c.passing,
                c.total
            )
        })
        .collect();
    let room = FIELD_SECTIONS * FIELDS_PER_SECTION - fields.len();
    if categories.len() > room {
        let shown = room - 1;
        let hidden = categories.len() - shown;
        fields.extend(categories.into_iter().take(shown));
        fields.push(format!(
            "… and {} more {}",
            fmt_count(hidden),
            plural(hidden, "category", "categories")
        ));
    } else {
        fields.extend(categories);
    }
    fields
        .chunks(FIELDS_PER_SECTION)
        .map(|chunk| {
            let fields: Vec<Value> = chunk
                .iter()
                .map(|f| json!({ "type": "mrkdwn", "text": cut(f, FIELD_LIMIT) }))
                .collect();
            json!({ "type": "section", "fields": fields })
        })
        .collect()
}

/// The CI health line and the top failing workflows.
fn ci(health: Option<(&CiHealth, CiSource)>) -> String {
    let Some((h, source)) = health else {
        return "*CI health:* not collected for this run.".to_string();
    };
    let head = format!(
        "*CI health:* {} in the last {} {} on branch {}",
        health_counts(h),
        fmt_count(h.runs),
        plural(h.runs, "run", "runs"),
        text(&h.branch)
    );
    let head = match other_branches_note(h, source, text) {
        Some(note) => format!("{head}\n⚠️ {note}."),
        None => head,
    };
    if h.failing_workflows.is_empty() {
        return head;
    }
    let rows: Vec<String> = h
        .failing_workflows
        .iter()
        .map(|f| {
            let when = f.latest_failure.at.map_or(String::new(), |t| {
                format!(" · latest failure {}", fmt_time(t))
            });
            format!(
                "• ❌ {} — {} of {} {} failed{when}",
                link(&f.name, f.latest_failure.url.as_deref()),
                fmt_count(f.failures),
                fmt_count(f.runs),
                plural(f.runs, "run", "runs"),
            )
        })
        .collect();
    let head = format!("{head}\n\n*Top failing workflows*");
    list(&head, &rows, TOP_FAILING, |n| {
        format!(
            "… and {} more failing {}",
            fmt_count(n),
            plural(n, "workflow", "workflows")
        )
    })
}

fn blockers(score: &Score) -> String {
    if score.blockers.is_empty() {
        return "*Blockers:* none 🎉".to_string();
    }
    let rows: Vec<String> = score
        .blockers
        .iter()
        .map(|b| {
            let owner = b
                .owner
                .as_deref()
                .map(text)
                .filter(|o| !o.is_empty())
                .map(|o| format!(" · owner {o}"))
                .unwrap_or_default();
            format!(
                "• {} {} — {} ({}){owner}",
                b.state.emoji(),
                text(&b.name),
                b.state.as_str(),
                text(&b.category),
            )
        })
        .collect();
    let head = format!("*Blockers ({})*", fmt_count(score.blockers.len()));
    list(&head, &rows, usize::MAX, |n| {
        format!(
            "… and {} more {}",
            fmt_count(n),
            plural(n, "blocker", "blockers")
        )
    })
}

/// Where CI disagrees with the checklist.
fn drift(score: &Score) -> String {
    let rows: Vec<String> = score
        .gates
        .drift
        .iter()
        .map(|d| format!("• {}: {}", text(&d.item), drift_detail(d, text, link)))
        .collect();
    let head = format!("*CI disagrees with the checklist ({})*", rows.len());
    list(&head, &rows, 10, |n| format!("… and {n} more"))
}

/// "View checklist" and "View CI runs" link buttons, for usable URLs only.
fn buttons(links: &CommentLinks) -> Option<Value> {
    let elements: Vec<Value> = [
        (
            "View checklist",
            "view_checklist",
            links.checklist.as_deref(),
        ),
        ("View CI runs", "view_ci_runs", links.actions.as_deref()),
    ]
    .into_iter()
    .filter_map(|(label, id, raw)| {
        let target = safe_url(raw?).filter(|u| u.chars().count() <= BUTTON_URL_LIMIT)?;
        Some(json!({
            "type": "button",
            "text": { "type": "plain_text", "text": label, "emoji": true },
            "url": target,
            "action_id": id,
        }))
    })
    .collect();
    (!elements.is_empty()).then(|| json!({ "type": "actions", "elements": elements }))
}

fn context(report: &Report) -> Value {
    let line = format!("Checklist {} · release-dashboard", text(&report.checklist));
    json!({
        "type": "context",
        "elements": [{ "type": "mrkdwn", "text": cut(&line, SECTION_LIMIT) }],
    })
}

fn section(text: &str) -> Value {
    json!({
        "type": "section",
        "text": { "type": "mrkdwn", "text": cut(text, SECTION_LIMIT) },
    })
}

/// `head`, then one row per line (at most `max` of them, and only as many
/// as fit in [`SECTION_LIMIT`]), then `more(hidden)` when rows are left out.
fn list(head: &str, rows: &[String], max: usize, more: impl Fn(usize) -> String) -> String {
    // The note for the most hidden rows is the longest one.
    let reserve = chars(&more(rows.len())) + 1;
    let mut out = head.to_string();
    let mut used = chars(&out);
    let mut kept = 0;
    for row in rows.iter().take(max) {
        let size = chars(row) + 1;
        if used + size + reserve > SECTION_LIMIT {
            break;
        }
        out.push('\n');
        out.push_str(row);
        used += size;
        kept += 1;
    }
    if kept < rows.len() {
        out.push('\n');
        out.push_str(&more(rows.len() - kept));
    }
    out
}

/// Untrusted text: cut to [`NAME_LIMIT`], escaped for mrkdwn, trimmed.
fn text(raw: &str) -> String {
    mrkdwn(&cut(raw, NAME_LIMIT)).trim().to_string()
}

/// `<url|text>` for a usable `http(s)` URL of sane length, else the text.
fn link(name: &str, raw_url: Option<&str>) -> String {
    match raw_url
        .and_then(safe_url)
        .filter(|u| chars(u) <= LINK_LIMIT)
    {
        // Slack reads entities in the URL part too.
        Some(u) => format!("<{}|{}>", u.replace('&', "&amp;"), text(name)),
        None => text(name),
    }
}

/// An `http(s)` URL with `|`, `<`, `>`, spaces and `@` percent-encoded
/// (nothing ends the link early, no `user@host` trick); `None` otherwise.
fn safe_url(raw: &str) -> Option<String> {
    url(raw).map(|u| u.replace('@', "%40"))
}

/// At most `limit` characters, the last one `…` when cut.
fn cut(raw: &str, limit: usize) -> String {
    if raw.chars().count() > limit {
        let mut s: String = raw.chars().take(limit.saturating_sub(1)).collect();
        s.push('…');
        s
    } else {
        raw.to_string()
    }
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    #[test]
    fn wrong_branch_names_the_branches_there_are() {
        let text =
            serde_json::to_string(&payload(&fixtures::wrong_branch(), &fixtures::links())).unwrap();
        assert!(
            text.contains(
                "⚠️ no runs on main; the runs file holds runs on master (12), dev_x (3)."
            ),
            "{text}"
        );
    }

    use super::*;
    use crate::render::fixtures::{self, failing, links, run};

    /// The seed example; four failing workflows.
    fn typical() -> Report {
        let at = |id: u64| run(id, id.cast_signed() - 1000);
        fixtures::typical(fixtures::ci_health(
            14,
            5,
            vec![
                failing("CI", 2, 8, at(1090)),
                failing("Release", 1, 4, at(1060)),
                failing("Nightly", 1, 3, at(1050)),
                failing("Docs", 1, 5, at(1040)),
            ],
        ))
    }

    use crate::core::score::{Blocker, CategoryScore};
    use crate::core::status::ItemState;

    /// Every string under a `text` key, in order.
    fn texts(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    match v {
                        Value::String(s) if k == "text" => out.push(s.clone()),
                        _ => texts(v, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| texts(v, out)),
            _ => {}
        }
    }

    /// Checks every Block Kit limit this module promises.
    fn assert_within_limits(payload: &Value) {
        let blocks = payload["blocks"].as_array().unwrap();
        assert!(blocks.len() <= MAX_BLOCKS, "{} blocks", blocks.len());
        for block in blocks {
            match block["type"].as_str().unwrap() {
                "header" => {
                    assert!(chars(block["text"]["text"].as_str().unwrap()) <= HEADER_LIMIT);
                }
                "section" => {
                    if let Some(text) = block["text"]["text"].as_str() {
                        assert!(chars(text) <= SECTION_LIMIT, "{}", chars(text));
                    }
                    if let Some(fields) = block["fields"].as_array() {
                        assert!(fields.len() <= FIELDS_PER_SECTION);
                        for f in fields {
                            assert!(chars(f["text"].as_str().unwrap()) <= FIELD_LIMIT);
                        }
                    }
                }
                "actions" => {
                    for button in block["elements"].as_array().unwrap() {
                        let url = button["url"].as_str().unwrap();
                        assert!(url.starts_with("https://") || url.starts_with("http://"));
                        assert!(chars(url) <= BUTTON_URL_LIMIT);
                    }
                }
                "context" => {}
                other => panic!("unexpected block type {other}"),
            }
        }
    }

    #[test]
    fn typical_payload() {
        let payload = payload(&typical(), &links());
        assert_within_limits(&payload);
        insta::assert_snapshot!(serde_json::to_string_pretty(&payload).unwrap());
    }

    #[test]
    fn shape_of_the_typical_payload() {
        let payload = payload(&typical(), &links());
        assert!(payload["text"].as_str().unwrap().contains("84.11%"));
        let blocks = payload["blocks"].as_array().unwrap();
        let kinds: Vec<&str> = blocks.iter().map(|b| b["type"].as_str().unwrap()).collect();
        assert_eq!(
            kinds,
            [
                "header", "section", "section", "section", "actions", "context"
            ]
        );
        assert_eq!(
            blocks[0]["text"]["text"],
            "🟠 Release readiness: 84.11% — In Progress"
        );
        let fields = blocks[1]["fields"].as_array().unwrap();
        assert_eq!(fields.len(), 6);
        assert_eq!(fields[2]["text"], "*Core Gates* 🔒\n7/8 passing · 87.5%");
        let ci = blocks[2]["text"]["text"].as_str().unwrap();
        assert!(ci.contains("<https://github.com/acme/widget/actions/runs/1090|CI>"));
        assert!(ci.contains("|Nightly>"));
        assert!(!ci.contains("Docs"));
        assert!(ci.ends_with("… and 1 more failing workflow"), "{ci}");
        let urls: Vec<&str> = blocks[4]["elements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["url"].as_str().unwrap())
            .collect();
        assert_eq!(
            urls,
            [
                "https://github.com/acme/widget/blob/main/docs/release-checklist.md",
                "https://github.com/acme/widget/actions"
            ]
        );
    }

    #[test]
    fn hostile_names_form_no_mention_or_link() {
        let mut report = typical();
        let hostile = "<!channel> & <https://evil.test|x> @here\n*bold*";
        report.checklist = hostile.into();
        report.score.categories[1].name = hostile.into();
        report.score.blockers = vec![Blocker {
            category: hostile.into(),
            name: hostile.into(),
            state: ItemState::Fail,
            owner: Some("<@U123> @channel".into()),
            line: 3,
        }];
        let ci = &mut report.ci.as_mut().unwrap().health;
        ci.branch = "<!here>".into();
        ci.failing_workflows[0].name = hostile.into();
        ci.failing_workflows[0].latest_failure.url =
            Some("https://github.com@evil.test/a|b>c?x=1&y=2".into());
        let links = CommentLinks {
            checklist: Some("javascript:alert(1)".into()),
            actions: Some("https://x.test/a b|c>".into()),
        };
        let payload = payload(&report, &links);
        assert_within_limits(&payload);
        let mut all = Vec::new();
        texts(&payload, &mut all);
        for text in &all {
            // The only `<` opens one of our links, to an http(s) URL.
            for (i, _) in text.match_indices('<') {
                assert!(text[i..].starts_with("<https://"), "{text}");
            }
            // No mention syntax; a bare `@here` is plain text in Slack.
            assert!(!text.contains("<!") && !text.contains("<@"), "{text}");
            for (i, _) in text.match_indices('&') {
                let rest = &text[i..];
                assert!(
                    ["&amp;", "&lt;", "&gt;"]
                        .iter()
                        .any(|e| rest.starts_with(e)),
                    "{text}"
                );
            }
        }
        let ci = payload["blocks"][2]["text"]["text"].as_str().unwrap();
        assert!(
            ci.contains(
                "<https://github.com%40evil.test/a%7Cb%3Ec?x=1&amp;y=2|&lt;!channel&gt; &amp; &lt;https://evil.test|x&gt; @here *bold*>"
            ),
            "{ci}"
        );
        assert!(ci.contains("on branch &lt;!here&gt;"), "{ci}");
        let buttons = payload["blocks"][4]["elements"].as_array().unwrap();
        assert_eq!(buttons.len(), 1);
        assert_eq!(buttons[0]["url"], "https://x.test/a%20b%7Cc%3E");
        assert!(!payload.to_string().contains("javascript"));
        assert!(
            payload["blocks"][3]["text"]["text"]
                .as_str()
                .unwrap()
                .contains("owner &lt;@U123&gt; @channel")
        );
    }

    #[test]
    fn huge_lists_are_cut_within_limits() {
        let mut report = typical();
        let long = "x".repeat(500);
        let template = report.score.categories[0].clone();
        report.score.categories = (0..100)
            .map(|i| CategoryScore {
                name: format!("{i} {long}"),
                ..template.clone()
            })
            .collect();
        report.score.blockers = (0..5_000)
            .map(|i| Blocker {
                category: "Core Gates".into(),
                name: format!("Blocker {i} & <{long}>"),
                state: ItemState::Pending,
                owner: Some(format!("@team-{i}")),
                line: i + 1,
            })
            .collect();
        let ci = &mut report.ci.as_mut().unwrap().health;
        ci.failing_workflows[0].latest_failure.url = Some(format!("https://x.test/{long}{long}"));
        ci.failing_workflows[1].name = "&".repeat(5_000);
        let links = CommentLinks {
            checklist: Some(format!("https://x.test/{}", "a".repeat(5_000))),
            actions: None,
        };
        report.checklist = long.clone();
        let payload = payload(&report, &links);
        assert_within_limits(&payload);
        let blocks = payload["blocks"].as_array().unwrap();
        // Three sections of fields: 2 + 27 categories + the note.
        let fields: Vec<&Value> = blocks
            .iter()
            .filter_map(|b| b["fields"].as_array())
            .flatten()
            .collect();
        assert_eq!(fields.len(), 30);
        assert_eq!(fields[29]["text"], "… and 73 more categories");
        assert!(!payload.to_string().contains(&"x".repeat(NAME_LIMIT)));
        let blockers = blocks[5]["text"]["text"].as_str().unwrap();
        assert!(blockers.starts_with("*Blockers (5,000)*\n• ⏳ Blocker 0 &amp; &lt;"));
        assert!(blockers.contains(" more blockers"), "{blockers}");
        // The absurd URL is dropped; the name stays.
        let ci = blocks[4]["text"]["text"].as_str().unwrap();
        assert!(ci.contains("• ❌ CI — 2 of 8 runs failed"), "{ci}");
        // No button for an over-long URL, so no actions block.
        assert!(blocks.iter().all(|b| b["type"] != "actions"));
    }

    #[test]
    fn no_ci_no_blockers_no_links() {
        let mut report = typical();
        report.ci = None;
        report.score.blockers.clear();
        let payload = payload(&report, &CommentLinks::default());
        assert_within_limits(&payload);
        let blocks = payload["blocks"].as_array().unwrap();
        assert_eq!(blocks.len(), 5);
        assert_eq!(
            blocks[2]["text"]["text"],
            "*CI health:* not collected for this run."
        );
        assert_eq!(blocks[3]["text"]["text"], "*Blockers:* none 🎉");
        assert_eq!(blocks[4]["type"], "context");
    }

    #[test]
    fn fallback_text_has_the_score() {
        let mut report = typical();
        assert_eq!(
            fallback(&report),
            "🟠 Release readiness 84.11% — In Progress (target 90%, not met) · 1 blocker · docs/release-checklist.md"
        );
        report.threshold = 80.0;
        assert!(fallback(&report).contains("(target 80%, met)"));
    }

    #[test]
    fn list_keeps_the_note_within_the_limit() {
        let rows: Vec<String> = (0..100).map(|i| format!("{i:>99}")).collect();
        let text = list("head", &rows, usize::MAX, |n| format!("… and {n} more"));
        assert!(chars(&text) <= SECTION_LIMIT);
        assert!(text.ends_with(" more"));
        let text = list("head", &rows[..2], 1, |n| format!("… and {n} more"));
        assert_eq!(text.lines().count(), 3);
        assert!(text.ends_with("… and 1 more"));
    }
}
