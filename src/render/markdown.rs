//! The generated Markdown that goes between the markers (always `\n` line
//! endings; the caller converts to the file's).

use std::fmt::Write as _;

use crate::core::ci::{CiHealth, Outcome, RunSummary};
use crate::core::history::trend::{DEFAULT_LOOKBACK, Scored, Trend};
use crate::core::report::CiSource;
use crate::core::score::{CategoryScore, Score, path_to_threshold};
use crate::render::escape::{link, md};
use crate::render::mermaid;
use crate::render::sparkline::sparkline;
use crate::render::{
    drift_detail, duration_and_start_cells, fmt_count, fmt_num, fmt_pct, fmt_signed, fmt_time,
    health_counts, other_branches_note, pass_rate_cell, share_of_weight, trend_words,
};

/// The heading a readiness block opens with, when it opens with one.
pub const READINESS_HEADING: &str = "📊 Release Readiness Score";
/// The heading a CI block opens with, when it opens with one.
pub const CI_HEADING: &str = "📡 Last CI Snapshot";

/// The heading line a regenerated block opens with. A block that already
/// opens with an ATX heading (as the replaced tool wrote them) keeps its
/// level, so the sections after it stay where they were in the outline; it
/// keeps its text too unless that holds a figure (which would go stale),
/// when `default_text` replaces it. A block without one opens with a
/// `fresh_level` heading when that is set.
pub fn opening_heading(
    existing: Option<&str>,
    default_text: &str,
    fresh_level: Option<u8>,
) -> Option<String> {
    let found = existing.and_then(|content| {
        let line = content.lines().map(str::trim_end).find(|l| !l.is_empty())?;
        let indent = line.len() - line.trim_start_matches(' ').len();
        let line = line.trim_start_matches(' ');
        let hashes = line.len() - line.trim_start_matches('#').len();
        if indent > 3 || !(1..=6).contains(&hashes) {
            return None;
        }
        let rest = &line[hashes..];
        if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
            return None;
        }
        let text = rest.trim().trim_end_matches('#').trim_end();
        Some((hashes, text.to_string()))
    });
    let (level, text) = match found {
        Some((level, text)) if !text.is_empty() && !text.chars().any(|c| c.is_ascii_digit()) => {
            (level, text)
        }
        Some((level, _)) => (level, default_text.to_string()),
        None => (
            usize::from(fresh_level?.clamp(1, 6)),
            default_text.to_string(),
        ),
    };
    Some(format!("{} {text}", "#".repeat(level)))
}

/// `content` (which starts with a blank line) opened by `heading`.
pub fn with_heading(heading: Option<&str>, content: String) -> String {
    match heading {
        Some(h) => format!("\n{h}\n{content}"),
        None => content,
    }
}

/// At most this many blockers / steps / failing workflows are listed.
const LIST_LIMIT: usize = 50;

/// Content of the readiness block. It holds no source line numbers: the
/// block's own size moves the lines below it, and the block must be a fixed
/// point of the update.
///
/// `history` is the newest scored history entries, oldest first (the caller
/// cuts it, normally to the last 30). With 2 or more, the block also shows a
/// sparkline with the trend of the last 10 and a Mermaid chart.
pub fn readiness_block(
    score: &Score,
    threshold: f64,
    stamp: &str,
    history: &[Scored<'_>],
) -> String {
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
    trend_line(&mut out, history);
    category_table(&mut out, score);
    blockers(&mut out, score);
    drift(&mut out, score);
    steps(&mut out, score, threshold);
    history_chart(&mut out, history, threshold);
    let _ = writeln!(out, "_Last Updated: {stamp}_\n");
    out
}

/// "**Trend (last 12 runs):** `▁▃▅█` 📈 improving · +2.5 since the previous
/// run". The sparkline shows all of `history`; the direction is judged on
/// its last [`DEFAULT_LOOKBACK`] entries, as `history` judges it by default.
fn trend_line(out: &mut String, history: &[Scored<'_>]) {
    let window = &history[history.len().saturating_sub(DEFAULT_LOOKBACK)..];
    let Some(trend) = Trend::of(window, history.len()) else {
        return;
    };
    let scores: Vec<f64> = history.iter().map(|s| s.score).collect();
    let _ = writeln!(
        out,
        "**Trend (last {} runs):** `{}` {} · {} since the previous run\n",
        history.len(),
        sparkline(&scores),
        trend_words(&trend),
        fmt_signed(trend.change)
    );
}

/// The Mermaid line chart of the scores against the threshold.
fn history_chart(out: &mut String, history: &[Scored<'_>], threshold: f64) {
    if history.len() < 2 {
        return;
    }
    let _ = writeln!(
        out,
        "**Score history** (last {} runs; the flat line is the {}% target)\n",
        history.len(),
        fmt_num(threshold)
    );
    out.push_str(&mermaid::chart(history, threshold));
    out.push('\n');
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
    let _ = writeln!(out, "**Blockers ({})**\n", fmt_count(score.blockers.len()));
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

/// Items whose workflow's latest run disagrees with what is written.
fn drift(out: &mut String, score: &Score) {
    let drift = &score.gates.drift;
    if drift.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "**CI disagrees with the checklist ({})**\n",
        drift.len()
    );
    for d in drift.iter().take(LIST_LIMIT) {
        let _ = writeln!(out, "- {}: {}", md(&d.item), drift_detail(d, md, link));
    }
    more(out, drift.len());
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
        fmt_count(steps.len()),
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
        let _ = writeln!(out, "- … and {} more", fmt_count(len - LIST_LIMIT));
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
            ci_summary(&mut out, health, source);
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

fn ci_summary(out: &mut String, h: &CiHealth, source: CiSource) {
    let _ = writeln!(
        out,
        "**CI health:** {} in the last {} runs on branch {}\n",
        health_counts(h),
        fmt_count(h.runs),
        md(&h.branch)
    );
    if let Some(note) = other_branches_note(h, source, md) {
        let _ = writeln!(out, "⚠️ {note}; check `--branch`.\n");
    }
}

fn workflow_table(out: &mut String, h: &CiHealth) {
    if h.workflows.is_empty() {
        return;
    }
    out.push_str("| Workflow | Latest | Duration | Started | Pass rate |\n|:--|:--|--:|:--|--:|\n");
    for w in &h.workflows {
        let (duration, started) = duration_and_start_cells(w);
        let _ = writeln!(
            out,
            "| {} | {} | {duration} | {started} | {} |",
            link(&w.name, w.latest.url.as_deref()),
            run_state(&w.latest),
            pass_rate_cell(w),
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
            fmt_count(f.failures),
            fmt_count(f.runs)
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::core::analysis::analyse;
    use crate::core::history::trend::{Entry, recent};
    use crate::core::settings::Settings;

    const CHECKLIST: &str = "# Release\n## Core Gates\n| Gate | Status |\n|---|---|\n\
        | Build | ✅ PASS |\n| Audit | ⏳ pending |\n## Optional Gates\n- [x] chaos\n\
        ## Deployment\n- [x] docker\n## Sign-off\n- [ ] CTO\n";

    fn score() -> Score {
        let settings = Settings::defaults(PathBuf::from("release-checklist.md"));
        analyse("release-checklist.md", CHECKLIST.as_bytes(), &settings)
            .unwrap()
            .score
    }

    fn history() -> Vec<Entry> {
        serde_json::from_str(
            r#"[{"timestamp": "2024-12-15T09:00:00", "score": 60.0, "ci_adjustment": -2.0},
                {"timestamp": "2026-11-23T09:00:00Z", "score": "oops"},
                {"timestamp": "2026-11-23T10:00:00Z", "score": 62.5},
                {"timestamp": "2026-11-24T09:00:00Z", "score": 65.0}]"#,
        )
        .unwrap()
    }

    #[test]
    fn readiness_block_with_history_snapshot() {
        let list = history();
        let block = readiness_block(&score(), 90.0, "2026-11-24 09:00 UTC", &recent(&list, 30));
        assert!(!block.contains("<!--") && !block.contains("READINESS_SCORE"));
        insta::assert_snapshot!(block);
    }

    #[test]
    fn pictures_need_two_scored_entries() {
        let list = history();
        let one = recent(&list[..2], 30);
        assert_eq!(one.len(), 1);
        let block = readiness_block(&score(), 90.0, "stamp", &one);
        assert!(
            !block.contains("**Trend") && !block.contains("```mermaid"),
            "{block}"
        );
        assert_eq!(block, readiness_block(&score(), 90.0, "stamp", &[]));
    }
}
