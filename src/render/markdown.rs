//! The generated Markdown that goes between the markers (always `\n` line
//! endings; the caller converts to the file's).

use std::fmt::Write as _;

use crate::ci::{CiHealth, Outcome, RunSummary, format_duration};
use crate::escape::{link, md};
use crate::render::{fmt_num, fmt_pct, fmt_time, share_of_weight};
use crate::score::{CategoryScore, Score, path_to_threshold};

/// At most this many blockers / steps / failing workflows are listed.
const LIST_LIMIT: usize = 50;

/// Content of the readiness block. It holds no source line numbers: the
/// block's own size moves the lines below it, and the block must be a fixed
/// point of the update.
pub fn readiness_block(score: &Score, threshold: f64, stamp: &str) -> String {
    let mut out = String::from("\n");
    let verdict = if score.total >= threshold {
        "✅ meets the target".to_string()
    } else {
        "❌ below the target".to_string()
    };
    let _ = writeln!(
        out,
        "**Release readiness: {}%** {} {} · target {}% · {verdict}\n",
        fmt_pct(score.total, 2),
        score.band.emoji(),
        score.band.text(),
        fmt_num(threshold)
    );
    category_table(&mut out, score);
    blockers(&mut out, score);
    steps(&mut out, score, threshold);
    let _ = writeln!(out, "_Last Updated: {stamp}_\n");
    out
}

/// The category table's header and separator.
pub const CATEGORY_HEAD: &str = "| Category | Passing | Score | Weight |\n|:--|--:|--:|--:|\n";

fn category_table(out: &mut String, score: &Score) {
    out.push_str(CATEGORY_HEAD);
    for c in &score.categories {
        out.push_str(&category_row(score, c, &md(&c.name)));
    }
    out.push_str(&total_row(score));
    out.push('\n');
}

/// One category's table row; `name` is already escaped for its target.
pub fn category_row(score: &Score, c: &CategoryScore, name: &str) -> String {
    let lock = if c.blocking { " 🔒" } else { "" };
    let (value, weight) = match c.score {
        Some(s) => (
            format!("{}%", fmt_pct(s, 1)),
            format!("{}%", fmt_pct(share_of_weight(score, c), 0)),
        ),
        None => ("—".to_string(), "— (no items)".to_string()),
    };
    let skipped = if c.skipped > 0 {
        format!(" (+{} skipped)", c.skipped)
    } else {
        String::new()
    };
    format!(
        "| {name}{lock} | {}/{}{skipped} | {value} | {weight} |\n",
        c.passing, c.total
    )
}

/// The table's bold total row.
pub fn total_row(score: &Score) -> String {
    let (passing, total) = score
        .categories
        .iter()
        .fold((0, 0), |(p, t), c| (p + c.passing, t + c.total));
    format!(
        "| **Total** | **{passing}/{total}** | **{}%** | **100%** |\n",
        fmt_pct(score.total, 2)
    )
}

fn blockers(out: &mut String, score: &Score) {
    if score.blockers.is_empty() {
        out.push_str("**Blockers:** none 🎉\n\n");
        return;
    }
    let _ = writeln!(out, "**Blockers ({})**\n", score.blockers.len());
    for b in score.blockers.iter().take(LIST_LIMIT) {
        let owner = b
            .owner
            .as_deref()
            .map(|o| format!(" · owner {}", md(o)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "- {} {} — {} ({}){owner}",
            b.state.emoji(),
            md(&b.name),
            b.state.as_str(),
            md(&b.category),
        );
    }
    more(out, score.blockers.len());
    out.push('\n');
}

fn steps(out: &mut String, score: &Score, threshold: f64) {
    if score.total >= threshold {
        return;
    }
    let Some(steps) = path_to_threshold(score, threshold) else {
        return;
    };
    let _ = writeln!(
        out,
        "**To reach {}%:** {} more item{} must pass:\n",
        fmt_num(threshold),
        steps.len(),
        if steps.len() == 1 { "" } else { "s" }
    );
    for s in steps.iter().take(LIST_LIMIT) {
        let _ = writeln!(
            out,
            "- {} ({}) +{} points",
            md(&s.name),
            md(&s.category),
            fmt_pct(s.gain, 2)
        );
    }
    more(out, steps.len());
    out.push('\n');
}

fn more(out: &mut String, len: usize) {
    if len > LIST_LIMIT {
        let _ = writeln!(out, "- … and {} more", len - LIST_LIMIT);
    }
}

/// Where CI data came from, for the block's footer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CiSource {
    /// A saved runs file.
    RunsFile,
    /// The GitHub REST API.
    Api,
}

impl CiSource {
    /// The word used in JSON (`runs_file`, `api`).
    pub fn as_str(self) -> &'static str {
        match self {
            CiSource::RunsFile => "runs_file",
            CiSource::Api => "api",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            CiSource::RunsFile => "GitHub Actions runs file",
            CiSource::Api => "GitHub Actions API",
        }
    }
}

/// Content of the CI block; `None` for an offline run.
pub fn ci_block(ci: Option<(&CiHealth, CiSource)>, stamp: &str) -> String {
    let mut out = String::from("\n");
    match ci {
        None => {
            out.push_str("**CI health:** not collected (offline run); the readiness score does not depend on it.\n\n");
            let _ = writeln!(out, "_Last Updated: {stamp}_\n");
        }
        Some((health, source)) => {
            ci_summary(&mut out, health);
            workflow_table(&mut out, health);
            failing(&mut out, health);
            let _ = writeln!(
                out,
                "_Source: {} · Last Updated: {stamp}_\n",
                source.describe()
            );
        }
    }
    out
}

fn ci_summary(out: &mut String, h: &CiHealth) {
    let rate = h
        .success_rate
        .map_or("no finished runs to rate".to_string(), |r| {
            format!("{}% success", fmt_pct(r, 1))
        });
    let _ = writeln!(
        out,
        "**CI health:** {} {} — {rate} ({} passed · {} failed · {} other) in the last {} runs on branch {}\n",
        h.health.emoji(),
        h.health.label(),
        h.success,
        h.failed,
        h.other,
        h.runs,
        md(&h.branch)
    );
}

fn workflow_table(out: &mut String, h: &CiHealth) {
    if h.workflows.is_empty() {
        return;
    }
    out.push_str("| Workflow | Latest | Duration | Started | Pass rate |\n|:--|:--|--:|:--|--:|\n");
    for w in &h.workflows {
        let rate = w.pass_rate.map_or("—".to_string(), |r| {
            format!(
                "{}% ({}/{})",
                fmt_pct(r, 0),
                w.success,
                w.success + w.failed
            )
        });
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {rate} |",
            link(&w.name, w.latest.url.as_deref()),
            run_state(&w.latest),
            w.latest
                .duration_seconds
                .map_or("—".to_string(), format_duration),
            w.latest.at.map_or("—".to_string(), fmt_time),
        );
    }
    out.push('\n');
}

fn failing(out: &mut String, h: &CiHealth) {
    if h.failing_workflows.is_empty() {
        return;
    }
    out.push_str("**Failing workflows**\n\n");
    for f in h.failing_workflows.iter().take(LIST_LIMIT) {
        let when = f.latest_failure.at.map_or(String::new(), |t| {
            format!("; latest failure {}", fmt_time(t))
        });
        let _ = writeln!(
            out,
            "- ❌ {} — {} of {} runs failed{when}",
            link(&f.name, f.latest_failure.url.as_deref()),
            f.failures,
            f.runs
        );
    }
    more(out, h.failing_workflows.len());
    out.push('\n');
}

/// "✅ success", "❌ failure", "⏳ in_progress", "⚪ cancelled".
pub fn run_state(run: &RunSummary) -> String {
    let word = run
        .conclusion
        .as_deref()
        .or(run.status.as_deref())
        .unwrap_or("unknown");
    let emoji = match run.outcome {
        Outcome::Success => "✅",
        Outcome::Failed => "❌",
        Outcome::Other if run.conclusion.is_none() => "⏳",
        Outcome::Other => "⚪",
    };
    format!("{emoji} {}", md(word))
}
