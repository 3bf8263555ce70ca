//! `release-dashboard report --html PATH`: the update's inputs (settings,
//! CI source, checklist, history) rendered as one self-contained HTML file.
//! It writes that file and nothing else: no checklist rewrite, no history
//! entry, no HTTP cache.

use std::fmt::Write as _;

use super::{Context, ci_source, load_history, prepare};
use crate::atomic::write_atomic;
use crate::cli::{Format, ReportArgs, UpdateArgs};
use crate::clock;
use crate::error::{Error, Result};
use crate::render::{fmt_time, html};
use crate::settings::resolve;
use crate::ui::Ui;

/// Write the report; the `Ok` value is the exit code (always 0).
pub(super) fn run(args: &ReportArgs) -> Result<u8> {
    let inputs = &args.inputs;
    refuse_update_modes(inputs)?;
    let ui = Ui {
        quiet: inputs.quiet,
        verbose: inputs.verbose,
        json: false,
    };
    let cwd = std::env::current_dir()
        .map_err(|e| Error::Runtime(format!("cannot read the current directory: {e}")))?;
    let settings = resolve(inputs, &cwd)?;
    let github = ci_source::github(inputs, &settings, &ui)?;
    let (ci, ci_warnings) = ci_source::load(inputs, &settings, github.as_ref(), &ui)?;
    let now = clock::now()?;
    let context = Context {
        args: inputs,
        settings: &settings,
        cwd: &cwd,
        ci,
        ci_warnings,
        now,
        webhook: None,
    };
    let prepared = prepare(&context, false)?;
    for warning in &prepared.report.warnings {
        ui.warn(warning);
    }
    let (_, history) = load_history(&settings, &cwd)?;
    let scores: Vec<f64> = history
        .entries()
        .iter()
        .filter_map(|entry| entry.get("score").and_then(serde_json::Value::as_f64))
        .collect();
    let chart = trend_chart(&scores, settings.threshold);
    let page = html::report(&prepared.report, chart.as_deref(), &fmt_time(now));
    let shown = args.html.display();
    write_atomic(&args.html, page.as_bytes(), true)
        .map_err(|e| Error::Runtime(format!("{shown}: {e}")))?;
    ui.out(&format!("Wrote report to {shown}"));
    Ok(0)
}

/// Flags that would make an update write, publish or print something else
/// have no place in a report: say so instead of ignoring them.
fn refuse_update_modes(args: &UpdateArgs) -> Result<()> {
    let given: Vec<&str> = [
        (args.dry_run, "--dry-run"),
        (args.check_only, "--check-only"),
        (args.commit, "--commit"),
        (args.open_pr, "--open-pr"),
        (args.pr_comment, "--pr-comment"),
        (args.notify, "--notify"),
        (args.format == Format::Json, "--format json"),
    ]
    .into_iter()
    .filter_map(|(set, flag)| set.then_some(flag))
    .collect();
    if given.is_empty() {
        return Ok(());
    }
    Err(Error::Input(format!(
        "`report` writes only the HTML file and does not take {}; run an update (without `report`) for that",
        given.join(", ")
    )))
}

// PLACEHOLDER: replaced by `render::svg` (the score-history line chart) at
// merge time. Kept minimal on purpose.
/// A tiny inline SVG polyline of the scores (0–100, oldest first) with a
/// dashed threshold line; `None` for fewer than 2 scores.
fn trend_chart(scores: &[f64], threshold: f64) -> Option<String> {
    let scores: Vec<f64> = scores
        .iter()
        .filter(|s| s.is_finite())
        .map(|s| s.clamp(0.0, 100.0))
        .collect();
    if scores.len() < 2 {
        return None;
    }
    let step = 600.0 / (scores.len() - 1) as f64;
    let y = |score: f64| 210.0 - score * 2.0;
    let mut points = String::new();
    for (i, score) in scores.iter().enumerate() {
        let _ = write!(points, "{:.1},{:.1} ", 20.0 + i as f64 * step, y(*score));
    }
    let last = scores.last().copied().unwrap_or_default();
    Some(format!(
        "<svg viewBox=\"0 0 640 220\" width=\"640\" height=\"220\" role=\"img\" \
         aria-label=\"Score over {n} history entries, latest {last:.2}%\">\
         <title>Score over {n} history entries, latest {last:.2}%</title>\
         <line x1=\"20\" x2=\"620\" y1=\"{t:.1}\" y2=\"{t:.1}\" stroke=\"#57606a\" stroke-dasharray=\"6 4\"/>\
         <text x=\"620\" y=\"{label:.1}\" text-anchor=\"end\" font-size=\"12\" fill=\"#57606a\">target {threshold}%</text>\
         <polyline fill=\"none\" stroke=\"#0550ae\" stroke-width=\"3\" points=\"{points}\"/></svg>",
        n = scores.len(),
        t = y(threshold.clamp(0.0, 100.0)),
        label = y(threshold.clamp(0.0, 100.0)) - 4.0,
        threshold = crate::render::fmt_num(threshold),
        points = points.trim_end(),
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn trend_chart_needs_two_scores() {
        assert_eq!(trend_chart(&[], 90.0), None);
        assert_eq!(trend_chart(&[80.0, f64::NAN], 90.0), None);
        let svg = trend_chart(&[50.0, 100.0], 90.0).unwrap();
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
        assert!(svg.contains("points=\"20.0,110.0 620.0,10.0\""));
        assert!(svg.contains("latest 100.00%"));
    }

    #[test]
    fn update_modes_are_refused() {
        let args = UpdateArgs {
            commit: true,
            format: Format::Json,
            ..UpdateArgs::default()
        };
        let message = refuse_update_modes(&args).unwrap_err().to_string();
        assert!(message.contains("--commit, --format json"), "{message}");
        assert!(refuse_update_modes(&UpdateArgs::default()).is_ok());
    }
}
