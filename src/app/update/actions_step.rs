//! Under GitHub Actions: step outputs, the job summary and the failed-gate annotation —
//! in every mode, `--check-only` and `--dry-run` included.

use crate::core::report::Report;
use crate::error::{Error, Result};
use crate::render::actions as gha;
use crate::render::limit::Level;
use crate::render::{fmt_num, fmt_pct, fmt_time};
use crate::shell::actions::{ActionsEnv, append};
use crate::shell::ui::annotate;

/// Write outputs and summary, and annotate a failed gate.
pub(super) fn publish(report: &Report, gate_failed: bool, now: jiff::Timestamp) -> Result<()> {
    let Some(env) = ActionsEnv::detect() else {
        return Ok(());
    };
    let write = |path: &std::path::Path, text: &str, what: &str| {
        append(path, text).map_err(|e| Error::Runtime(format!("{what} ({}): {e}", path.display())))
    };
    if let Some(path) = &env.output {
        write(
            path,
            &gha::output_lines(&gha::outputs(report)),
            "cannot write $GITHUB_OUTPUT",
        )?;
    }
    if let Some(path) = &env.summary {
        write(
            path,
            &gha::summary(report, &fmt_time(now)),
            "cannot write $GITHUB_STEP_SUMMARY",
        )?;
    }
    // Warnings are queued where they are printed (`Ui::warn`); all
    // annotations are written, capped, when the command ends.
    if gate_failed {
        let message = format!(
            "Release readiness {}% is below the {}% gate ({} {})",
            fmt_pct(report.score.total, 2),
            fmt_num(report.threshold),
            report.score.band.emoji(),
            report.score.band.text()
        );
        annotate(Level::Error, &message);
    }
    Ok(())
}
