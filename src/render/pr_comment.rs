//! The pull-request comment: a badge, the score and its trend, the category
//! table, blockers, CI health and a hidden marker (pure; no clock).
//!
//! Everything that comes from the checklist or from CI (item, category,
//! workflow and branch names, owners, URLs) is untrusted:
//!
//! * names have `\\`, `*`, `_` and `~` backslash-escaped and a zero-width
//!   joiner (U+200D) inserted after every `@`, so `@channel` shows as
//!   written but notifies no one, then go through [`md`];
//! * owners go in inline code (which never notifies) after backticks, line
//!   breaks, `<` and `>` are stripped from them;
//! * URLs must be `http(s)` (see [`url`]) and any `@` in them is
//!   percent-encoded;
//! * names are cut to [`NAME_LIMIT`] characters.
//!
//! The body stays under [`BUDGET`] characters: the blockers list is cut
//! first, then the category table's rows, then the failing workflows, each
//! with a note of how many were left out. The [`MARKER`] is always the last
//! line.

use crate::render::markdown::{CATEGORY_HEAD, category_row, total_row};
use std::fmt::Write as _;

use crate::core::ci::CiHealth;
use crate::core::report::{CiSource, Report};
#[cfg(test)]
use crate::core::score::CategoryScore;
use crate::core::score::{Band, Score, round2};
use crate::render::escape::{md, url};
use crate::render::{
    drift_detail, fmt_count, fmt_num, fmt_pct, fmt_time, health_counts, other_branches_note,
};

/// The hidden marker that identifies our comment on a PR (we find and update
/// the comment holding it).
pub const MARKER: &str = "<!-- release-dashboard:pr-comment -->";

/// The marker of the comment the replaced Python tool left on pull
/// requests: such a comment is adopted (rewritten as ours), not left stale
/// beside a second one.
pub const LEGACY_MARKER: &str = "<!-- RELEASE_DASHBOARD_COMMENT_MARKER: DO_NOT_DELETE -->";

/// GitHub rejects comment bodies over 65,536 characters; stay under this.
pub const MAX_CHARS: usize = 65_536;

/// The size (in `char`s) the body is kept within, well under [`MAX_CHARS`].
pub const BUDGET: usize = 60_000;

/// Untrusted names and owners longer than this (in `char`s) are cut, with `…`.
pub const NAME_LIMIT: usize = 200;

/// At most this many failing workflows are listed.
const FAILING_LIMIT: usize = 5;

/// Zero-width joiner, placed after `@` so that no mention is formed.
const ZWJ: char = '\u{200D}';

/// Links placed in the comment.
#[derive(Debug, Clone, Default)]
pub struct CommentLinks {
    /// The checklist file on its branch, e.g.
    /// <https://github.com/acme/widget/blob/main/docs/release-checklist.md>
    pub checklist: Option<String>,
    /// The repository's Actions page.
    pub actions: Option<String>,
}

/// The comment body: under [`BUDGET`] characters, ending with [`MARKER`].
///
/// `previous_score` is the total of the previous history entry, if any.
pub fn body(report: &Report, previous_score: Option<f64>, links: &CommentLinks) -> String {
    let head = head(report, previous_score) + &drift(&report.score);
    let mut categories = category_table(&report.score);
    let mut blockers = blockers(&report.score);
    let (ci_head, mut failing) = ci(report.ci.as_ref().map(|c| (&c.health, c.source)));
    let foot = footer(links);

    let size = |blockers: &List, categories: &List, failing: &List| {
        chars(&head)
            + categories.size()
            + blockers.size()
            + chars(&ci_head)
            + failing.size()
            + chars(&foot)
            + chars(MARKER)
    };
    // Cut the lists in order until the body fits.
    for which in 0..3 {
        let total = size(&blockers, &categories, &failing);
        if total <= BUDGET {
            break;
        }
        let list = match which {
            0 => &mut blockers,
            1 => &mut categories,
            _ => &mut failing,
        };
        let others = total - list.size();
        list.fit(BUDGET.saturating_sub(others));
    }

    let mut out = String::with_capacity(BUDGET);
    if size(&blockers, &categories, &failing) <= BUDGET {
        out.push_str(&head);
        categories.render(&mut out);
        blockers.render(&mut out);
        out.push_str(&ci_head);
        failing.render(&mut out);
        out.push_str(&foot);
    } else {
        // Only reachable with absurdly long links: keep the essentials.
        out.push_str(&head);
        out.push_str("_The rest of the report is too large for a comment._\n\n");
    }
    out.push_str(MARKER);
    out
}

/// A shields.io static badge for the score, e.g.
/// `https://img.shields.io/badge/readiness-84.11%25-orange`, coloured by band.
pub fn badge_url(report: &Report) -> String {
    let colour = match report.score.band {
        Band::ReleaseReady => "brightgreen",
        Band::NearlyReady => "green",
        Band::MinorBlockers => "yellow",
        Band::InProgress => "orange",
        Band::NotReady => "red",
    };
    let message = format!("{}%", fmt_pct(report.score.total, 2));
    format!(
        "https://img.shields.io/badge/{}-{}-{colour}",
        shields("readiness"),
        shields(&message)
    )
}

/// shields.io path escaping: `-` → `--`, `_` → `__`, then percent-encoding
/// of everything but unreserved characters.
fn shields(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '-' => out.push_str("--"),
            '_' => out.push_str("__"),
            c if c.is_ascii_alphanumeric() || matches!(c, '.' | '~') => out.push(c),
            c => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "%{b:02X}");
                }
            }
        }
    }
    out
}

/// Badge, heading, delta and verdict.
fn head(report: &Report, previous_score: Option<f64>) -> String {
    let score = &report.score;
    let mut out = String::new();
    let _ = writeln!(out, "![readiness]({})\n", badge_url(report));
    let _ = writeln!(
        out,
        "### {} Release readiness: {}% — {}\n",
        score.band.emoji(),
        fmt_pct(score.total, 2),
        score.band.text()
    );
    if let Some(line) = previous_score.and_then(|p| delta(score.total, p)) {
        let _ = writeln!(out, "{line}\n");
    }
    let verdict = if report.passed() {
        "✅ met"
    } else {
        "❌ not met"
    };
    let _ = writeln!(out, "Target {}%: {verdict}\n", fmt_num(report.threshold));
    out
}

/// The change since the previous score, judged on two-decimal values;
/// `None` when either is not a finite number.
fn delta(current: f64, previous: f64) -> Option<String> {
    if !current.is_finite() || !previous.is_finite() {
        return None;
    }
    let change = round2(round2(current) - round2(previous));
    Some(if change > 0.0 {
        format!("📈 +{} points since the last update", fmt_pct(change, 2))
    } else if change < 0.0 {
        format!("📉 -{} points since the last update", fmt_pct(-change, 2))
    } else {
        "➡️ unchanged since the last update".to_string()
    })
}

fn category_table(score: &Score) -> List {
    let rows = score
        .categories
        .iter()
        .map(|c| category_row(score, c, &text(&c.name)))
        .collect();
    List {
        head: CATEGORY_HEAD.to_string(),
        rows,
        kept: usize::MAX,
        more: |n| {
            format!(
                "| _… and {} more {} not shown_ | | | |\n",
                fmt_count(n),
                plural(n, "category", "categories")
            )
        },
        tail: format!("{}\n", total_row(score)),
    }
}

fn blockers(score: &Score) -> List {
    if score.blockers.is_empty() {
        return List::fixed("**Blockers:** none 🎉\n\n".to_string());
    }
    let rows = score
        .blockers
        .iter()
        .map(|b| {
            let owner = b
                .owner
                .as_deref()
                .map(code)
                .filter(|o| !o.is_empty())
                .map(|o| format!(" · owner `{o}`"))
                .unwrap_or_default();
            format!(
                "- {} **{}** — {} ({}){owner}\n",
                b.state.emoji(),
                text(&b.name),
                b.state.as_str(),
                text(&b.category),
            )
        })
        .collect();
    List {
        head: format!("**Blockers ({})**\n\n", fmt_count(score.blockers.len())),
        rows,
        kept: usize::MAX,
        more: |n| {
            format!(
                "- … and {} more {} not shown\n",
                fmt_count(n),
                plural(n, "blocker", "blockers")
            )
        },
        tail: "\n".to_string(),
    }
}

/// Where CI disagrees with the checklist (at most 10 rows).
fn drift(score: &Score) -> String {
    let drift = &score.gates.drift;
    if drift.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "**CI disagrees with the checklist ({})**\n\n",
        fmt_count(drift.len())
    );
    for d in drift.iter().take(10) {
        let _ = writeln!(
            out,
            "- **{}**: {}",
            text(&d.item),
            drift_detail(d, text, link)
        );
    }
    if drift.len() > 10 {
        let _ = writeln!(out, "- … and {} more", fmt_count(drift.len() - 10));
    }
    out.push('\n');
    out
}

/// The CI health line and the failing workflows.
fn ci(health: Option<(&CiHealth, CiSource)>) -> (String, List) {
    let Some((h, source)) = health else {
        return (
            "CI data not collected for this run.\n\n".to_string(),
            List::fixed(String::new()),
        );
    };
    let mut line = format!(
        "**CI health:** {} in the last {} {} on branch {}\n\n",
        health_counts(h),
        fmt_count(h.runs),
        plural(h.runs, "run", "runs"),
        text(&h.branch)
    );
    if let Some(note) = other_branches_note(h, source, text) {
        let _ = write!(line, "⚠️ {note}.\n\n");
    }
    if h.failing_workflows.is_empty() {
        return (line, List::fixed(String::new()));
    }
    let rows = h
        .failing_workflows
        .iter()
        .map(|f| {
            let when = f.latest_failure.at.map_or(String::new(), |t| {
                format!("; latest failure {}", fmt_time(t))
            });
            format!(
                "- ❌ {} — {} of {} runs failed{when}\n",
                link(&f.name, f.latest_failure.url.as_deref()),
                fmt_count(f.failures),
                fmt_count(f.runs)
            )
        })
        .collect();
    let failing = List {
        head: "**Failing workflows**\n\n".to_string(),
        rows,
        kept: FAILING_LIMIT,
        more: |n| {
            format!(
                "- … and {} more failing {} not shown\n",
                fmt_count(n),
                plural(n, "workflow", "workflows")
            )
        },
        tail: "\n".to_string(),
    };
    (line, failing)
}

fn footer(links: &CommentLinks) -> String {
    let parts: Vec<String> = [
        ("View checklist", links.checklist.as_deref()),
        ("View CI runs", links.actions.as_deref()),
    ]
    .into_iter()
    .filter_map(|(label, raw)| Some(format!("[{label}]({})", safe_url(raw?)?)))
    .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("{}\n\n", parts.join(" · "))
    }
}

/// A block made of a head, rows (of which the first `kept` are shown, then a
/// note of how many are not) and a tail.
struct List {
    head: String,
    rows: Vec<String>,
    kept: usize,
    more: fn(usize) -> String,
    tail: String,
}

impl List {
    /// A block with no rows.
    fn fixed(text: String) -> List {
        List {
            head: text,
            rows: Vec::new(),
            kept: 0,
            more: |_| String::new(),
            tail: String::new(),
        }
    }

    fn shown(&self) -> &[String] {
        &self.rows[..self.kept.min(self.rows.len())]
    }

    fn note(&self) -> String {
        let hidden = self.rows.len() - self.shown().len();
        if hidden > 0 {
            (self.more)(hidden)
        } else {
            String::new()
        }
    }

    fn size(&self) -> usize {
        chars(&self.head)
            + self.shown().iter().map(|r| chars(r)).sum::<usize>()
            + chars(&self.note())
            + chars(&self.tail)
    }

    /// Show as many leading rows as fit in `budget` characters (possibly none).
    fn fit(&mut self, budget: usize) {
        if self.size() <= budget {
            return;
        }
        // The note for the most hidden rows is the longest one.
        let mut used = chars(&self.head) + chars(&(self.more)(self.rows.len())) + chars(&self.tail);
        let mut kept = 0;
        for row in self.shown() {
            used += chars(row);
            if used > budget {
                break;
            }
            kept += 1;
        }
        self.kept = kept;
    }

    fn render(&self, out: &mut String) {
        out.push_str(&self.head);
        for row in self.shown() {
            out.push_str(row);
        }
        out.push_str(&self.note());
        out.push_str(&self.tail);
    }
}

/// Untrusted text for a table cell, list item or link text: cut to
/// [`NAME_LIMIT`] and escaped with [`md`] (emphasis included); then a
/// zero-width joiner put after each `@` so that no mention is formed;
/// trimmed (so that `**name**` stays bold).
fn text(raw: &str) -> String {
    let escaped = md(&cut(raw));
    let mut out = String::with_capacity(escaped.len());
    for c in escaped.chars() {
        match c {
            '@' => {
                out.push('@');
                out.push(ZWJ);
            }
            c => out.push(c),
        }
    }
    out.trim().to_string()
}

/// Untrusted text for inline code: cut to [`NAME_LIMIT`], through
/// [`escape::code`](crate::render::escape::code), and without `<` or `>`.
fn code(raw: &str) -> String {
    crate::render::escape::code(&cut(raw).replace(['<', '>'], ""))
}

fn cut(raw: &str) -> String {
    if raw.chars().count() > NAME_LIMIT {
        let mut s: String = raw.chars().take(NAME_LIMIT - 1).collect();
        s.push('…');
        s
    } else {
        raw.to_string()
    }
}

/// An `http(s)` URL safe for `(…)`, with `@` percent-encoded (no mention, no
/// `user@host` trick); `None` otherwise.
fn safe_url(raw: &str) -> Option<String> {
    url(raw).map(|u| u.replace('@', "%40"))
}

/// `[text](url)` when the URL is usable, else the text alone.
fn link(name: &str, raw_url: Option<&str>) -> String {
    match raw_url.and_then(safe_url) {
        Some(u) => format!("[{}]({u})", text(name)),
        None => text(name),
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
        let b = body(&fixtures::wrong_branch(), None, &links());
        assert!(
            b.contains(
                "⚠️ no runs on main; the runs file holds runs on master (12), dev\\_x (3).\n"
            ),
            "{b}"
        );
    }

    use super::*;
    use crate::render::fixtures::{self, failing, links, run};

    /// The seed example; two failing workflows.
    fn typical() -> Report {
        fixtures::typical(fixtures::ci_health(
            16,
            3,
            vec![
                failing("CI", 2, 12, run(1002, 90)),
                failing("Release", 1, 8, run(1001, 60)),
            ],
        ))
    }

    use crate::core::ci::FailingWorkflow;

    use crate::core::score::Blocker;
    use crate::core::status::ItemState;

    /// An `@` followed by a word character outside inline code: a mention.
    fn bare_mention(body: &str) -> Option<String> {
        let chars: Vec<char> = body.chars().collect();
        let (mut i, mut in_code) = (0, false);
        while i < chars.len() {
            match chars[i] {
                '\\' if !in_code => i += 1,
                '`' => in_code = !in_code,
                '@' if !in_code
                    && chars
                        .get(i + 1)
                        .is_some_and(|c| c.is_alphanumeric() || *c == '_' || *c == '-') =>
                {
                    return Some(
                        chars[i.saturating_sub(10)..(i + 10).min(chars.len())]
                            .iter()
                            .collect(),
                    );
                }
                _ => {}
            }
            i += 1;
        }
        None
    }

    /// `|` not escaped by a backslash.
    fn cell_separators(line: &str) -> usize {
        let mut chars = line.chars();
        let mut n = 0;
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '|' => n += 1,
                _ => {}
            }
        }
        n
    }

    #[test]
    fn typical_body() {
        let report = typical();
        assert_eq!(round2(report.score.total), 84.11);
        let body = body(&report, Some(81.61), &links());
        assert!(body.ends_with(&format!("\n{MARKER}")));
        assert_eq!(bare_mention(&body), None);
        insta::assert_snapshot!(body);
    }

    #[test]
    fn delta_wording() {
        let report = typical();
        let line = |previous: Option<f64>| {
            body(&report, previous, &links())
                .lines()
                .find(|l| l.contains("since the last update"))
                .map(str::to_string)
        };
        assert_eq!(
            line(Some(81.61)).as_deref(),
            Some("📈 +2.50 points since the last update")
        );
        assert_eq!(
            line(Some(85.36)).as_deref(),
            Some("📉 -1.25 points since the last update")
        );
        // 84.107… shows as 84.11, as did the previous entry.
        assert_eq!(
            line(Some(84.11)).as_deref(),
            Some("➡️ unchanged since the last update")
        );
        assert_eq!(
            line(Some(84.105_000_1)).as_deref(),
            Some("➡️ unchanged since the last update")
        );
        assert_eq!(line(None), None);
        assert_eq!(line(Some(f64::NAN)), None);
        let b = body(&report, None, &links());
        assert!(b.contains("Target 90%: ❌ not met"));
        let mut met = typical();
        met.threshold = 80.0;
        assert!(body(&met, None, &links()).contains("Target 80%: ✅ met"));
    }

    #[test]
    fn badge_for_each_band() {
        let badge = |total: f64| {
            let mut report = typical();
            report.score.total = total;
            report.score.band = Band::of(total);
            badge_url(&report)
        };
        let base = "https://img.shields.io/badge/readiness-";
        assert_eq!(badge(100.0), format!("{base}100.00%25-brightgreen"));
        assert_eq!(badge(95.0), format!("{base}95.00%25-brightgreen"));
        assert_eq!(badge(92.5), format!("{base}92.50%25-green"));
        assert_eq!(badge(87.0), format!("{base}87.00%25-yellow"));
        assert_eq!(badge(84.107_142_857), format!("{base}84.11%25-orange"));
        assert_eq!(badge(12.345), format!("{base}12.35%25-red"));
        assert_eq!(shields("a-b_c d%"), "a--b__c%20d%25");
    }

    #[test]
    fn hostile_names_are_neutralised() {
        let mut report = typical();
        let hostile = "@channel <!-- x --> a|b\\|c\nd\r\n| e `@here` *x* \u{2028}";
        report.score.categories[1].name = hostile.into();
        report.score.blockers = vec![Blocker {
            category: "@core|gates\n<!--".into(),
            name: hostile.into(),
            state: ItemState::Fail,
            owner: Some("`@evil`\n@ops <!-- z --> \\".into()),
            line: 3,
        }];
        let ci = report.ci.as_mut().unwrap();
        ci.health.branch = "@main<!--\n".into();
        ci.health.failing_workflows[0].name = hostile.into();
        ci.health.failing_workflows[0].latest_failure.url =
            Some("https://github.com@evil.test/x)<!--".into());
        let links = CommentLinks {
            checklist: Some("https://x.test/@admin".into()),
            actions: Some("javascript:alert(1)".into()),
        };
        let body = body(&report, Some(80.0), &links);

        assert_eq!(bare_mention(&body), None, "{body}");
        assert_eq!(body.matches("<!--").count(), 1, "{body}");
        assert!(body.ends_with(&format!("\n{MARKER}")));
        let table: Vec<&str> = body.lines().filter(|l| l.starts_with('|')).collect();
        assert_eq!(table.len(), 7, "{body}");
        for row in table {
            assert_eq!(cell_separators(row), 5, "{row}");
        }
        // One line per blocker and per failing workflow.
        assert_eq!(body.lines().filter(|l| l.starts_with("- ")).count(), 3);
        assert!(body.contains(" · owner `@evil @ops !-- z -- \\`"), "{body}");
        assert!(body.contains("(https://github.com%40evil.test/x%29%3C!--)"));
        assert!(body.contains("[View checklist](https://x.test/%40admin)"));
        assert!(!body.contains("javascript"));
        assert!(body.contains("@\u{200D}channel"));
        // Trimmed, so the bold closes.
        assert!(body.contains(" \\*x\\***"), "{body}");
    }

    #[test]
    fn twenty_thousand_blockers_fit() {
        let mut report = typical();
        report.score.blockers = (0..20_000)
            .map(|i| Blocker {
                category: "Core Gates".into(),
                name: format!("Blocker number {i} with a longish name"),
                state: ItemState::Pending,
                owner: Some(format!("@team-{i}")),
                line: i + 1,
            })
            .collect();
        let body = body(&report, None, &links());
        assert!(body.chars().count() <= BUDGET, "{}", body.chars().count());
        assert!(body.chars().count() < MAX_CHARS);
        assert!(body.ends_with(&format!("\n{MARKER}")));
        assert!(body.contains("**Blockers (20,000)**"));
        let shown = body.lines().filter(|l| l.starts_with("- ⏳")).count();
        assert!(shown > 100, "{shown}");
        assert!(body.contains(&format!(
            "- … and {} more blockers not shown\n",
            fmt_count(20_000 - shown)
        )));
        // The rest of the comment is intact.
        assert!(body.contains("| **Total** |"));
        assert!(body.contains("[CI](https://github.com/acme/widget/actions/runs/1002)"));
    }

    #[test]
    fn huge_categories_and_workflows_are_cut_in_order() {
        let mut report = typical();
        let long = "x".repeat(500);
        let template = report.score.categories[0].clone();
        report.score.categories = (0..2_000)
            .map(|i| CategoryScore {
                name: format!("{i} {long}"),
                ..template.clone()
            })
            .collect();
        let ci = report.ci.as_mut().unwrap();
        let workflow = ci.health.failing_workflows[0].clone();
        ci.health.failing_workflows = (0..1_000)
            .map(|i| FailingWorkflow {
                name: format!("{i} {long}"),
                ..workflow.clone()
            })
            .collect();
        let body = body(&report, None, &links());
        assert!(body.chars().count() <= BUDGET);
        assert!(body.ends_with(&format!("\n{MARKER}")));
        assert!(body.contains("more categories not shown_ | | | |"));
        // Names are cut to NAME_LIMIT.
        assert!(!body.contains(&"x".repeat(NAME_LIMIT)));
        assert!(body.contains("- … and 995 more failing workflows not shown"));
        for row in body.lines().filter(|l| l.starts_with('|')) {
            assert_eq!(cell_separators(row), 5, "{row}");
        }
    }

    #[test]
    fn absurd_links_fall_back_to_the_essentials() {
        let links = CommentLinks {
            checklist: Some(format!("https://x.test/{}", "a".repeat(70_000))),
            actions: None,
        };
        let body = body(&typical(), None, &links);
        assert!(body.chars().count() <= BUDGET);
        assert!(body.contains("Release readiness: 84.11%"));
        assert!(body.ends_with(&format!("\n{MARKER}")));
    }

    #[test]
    fn no_ci_and_no_blockers() {
        let mut report = typical();
        report.ci = None;
        report.score.blockers.clear();
        let body = body(&report, None, &CommentLinks::default());
        assert!(body.contains("CI data not collected for this run.\n"));
        assert!(body.contains("**Blockers:** none 🎉"));
        assert!(!body.contains("View checklist"));
        assert!(body.ends_with(&format!("\n\n{MARKER}")));
    }

    #[test]
    fn empty_category_shows_dashes() {
        let mut report = typical();
        report.score.categories[3].score = None;
        report.score.categories[3].passing = 0;
        report.score.categories[3].total = 0;
        let body = body(&report, None, &links());
        assert!(
            body.contains("| Sign-off | 0/0 | — | — (no items) |"),
            "{body}"
        );
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(fmt_count(0), "0");
        assert_eq!(fmt_count(999), "999");
        assert_eq!(fmt_count(1_000), "1,000");
        assert_eq!(fmt_count(1_234_567), "1,234,567");
    }
}
