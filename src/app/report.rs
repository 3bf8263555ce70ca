//! `release-dashboard report --html PATH`: the update's inputs (settings,
//! CI source, checklist, history) rendered as one self-contained HTML file.
//! It writes that file and nothing else: no checklist rewrite, no history
//! entry, no HTTP cache; a path that is the checklist or the history file is
//! refused.

use super::history::check_distinct;
use super::update::write_failed;
use super::update::{Context, ci_source, load_history_tail, prepare};
use crate::cli::ReportArgs;
use crate::cli::settings::{Intent, resolve_update};
use crate::core::history::History;
use crate::core::history::trend::recent;
use crate::error::{Error, Result};
use crate::render::svg::{Options, chart};
use crate::render::{fmt_time, html};
use crate::shell::atomic::write_atomic;
use crate::shell::clock;
use crate::shell::ui::Ui;

/// Write the report; the `Ok` value is the exit code (always 0).
pub(super) fn run(args: &ReportArgs) -> Result<u8> {
    let inputs = &args.inputs;
    let ui = Ui::new(inputs.quiet, inputs.verbose, false);
    let cwd = std::env::current_dir()
        .map_err(|e| Error::Runtime(format!("cannot read the current directory: {e}")))?;
    refuse_update_modes(&Intent::of(inputs))?;
    let run = resolve_update(inputs, &cwd)?;
    let settings = &run.settings;
    let shown = args.html.display().to_string();
    check_distinct(
        &[(&cwd.join(&args.html), &shown)],
        &[&settings.checklist, &settings.history],
        &cwd,
        "write the report to another path",
    )?;
    let github = ci_source::github(&run, &ui)?;
    let (ci, ci_warnings) = ci_source::load(&run, github.as_ref(), &ui)?;
    let now = clock::now()?;
    let context = Context {
        run: &run,
        cwd: &cwd,
        ci,
        ci_warnings,
        now,
    };
    let prepared = prepare(&context, false)?;
    for warning in &prepared.report.warnings {
        ui.warn_input(warning);
    }
    // The chart's points come from the newest entries; the file is streamed.
    let history = load_history_tail(&settings.history, &cwd, CHART_ENTRIES * 10)?;
    let chart = trend_chart(&history, settings.threshold);
    let page = html::report(&prepared.report, chart.as_deref(), &fmt_time(now));
    write_atomic(&args.html, page.as_bytes(), true)
        .map_err(|e| write_failed(&shown, &e, "the file was left as it was"))?;
    ui.out(&format!("Wrote report to {shown}"));
    Ok(0)
}

/// Flags that would make an update write, publish or print something else
/// have no place in a report: say so instead of ignoring them.
fn refuse_update_modes(intent: &Intent) -> Result<()> {
    let given = intent.update_only_flags();
    if given.is_empty() {
        return Ok(());
    }
    Err(Error::Input(format!(
        "`report` writes only the HTML file and does not take {}; run an update (without `report`) for that",
        given.join(", ")
    )))
}

/// The standalone chart's root element opens with its namespace attribute.
const SVG_XMLNS_TAG: &str = r#"<svg xmlns="http://www.w3.org/2000/svg""#;

/// How many of the newest scored entries the report charts.
const CHART_ENTRIES: usize = 500;

/// The history chart for inlining in HTML: the standalone SVG without its
/// XML declaration and without the `xmlns` attribute HTML does not need
/// (it would be the page's one non-link `http` reference); `None` for fewer
/// than 2 scored entries.
fn trend_chart(history: &History, threshold: f64) -> Option<String> {
    let points = recent(history.entries(), CHART_ENTRIES);
    if points.len() < 2 {
        return None;
    }
    let svg = chart(&points, threshold, Options::default());
    let inline = match svg.strip_prefix("<?xml") {
        Some(rest) => rest
            .split_once('\n')
            .map_or("", |(_, body)| body)
            .to_string(),
        None => svg,
    };
    match inline.strip_prefix(SVG_XMLNS_TAG) {
        Some(rest) => Some(format!("<svg{rest}")),
        None => Some(inline),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn trend_chart_needs_two_scores_and_inlines_without_declaration_or_namespace() {
        let one = History::parse(br#"[{"score": 80}]"#, std::path::Path::new("h")).unwrap();
        assert_eq!(trend_chart(&one, 90.0), None);
        let two = History::parse(
            br#"[{"score": 80}, {"score": null}, {"score": 92}]"#,
            std::path::Path::new("h"),
        )
        .unwrap();
        let svg = trend_chart(&two, 90.0).unwrap();
        assert!(svg.starts_with("<svg version=\"1.1\" "), "{svg}");
        assert!(!svg.contains("xmlns") && !svg.contains("http"), "{svg}");
        // The standalone chart keeps its namespace.
        let points = recent(two.entries(), CHART_ENTRIES);
        assert!(chart(&points, 90.0, Options::default()).contains(SVG_XMLNS_TAG));
        assert!(svg.trim_end().ends_with("</svg>"));
    }

    #[test]
    fn update_modes_are_refused() {
        use crate::cli::{Format, UpdateArgs};
        let args = UpdateArgs {
            commit: true,
            format: Format::Json,
            ..UpdateArgs::default()
        };
        let message = refuse_update_modes(&Intent::of(&args))
            .unwrap_err()
            .to_string();
        assert!(message.contains("--commit, --format json"), "{message}");
        assert!(refuse_update_modes(&Intent::of(&UpdateArgs::default())).is_ok());
    }
}
