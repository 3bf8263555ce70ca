//! Under GitHub Actions: step outputs, the job summary and the failed-gate annotation —
//! in every mode, `--check-only` and `--dry-run` included.

use std::io::Write as _;

use crate::core::report::Report;
use crate::error::{Error, Result};
use crate::render::actions as gha;
use crate::render::{fmt_num, fmt_pct, fmt_time};
use crate::shell::actions::{ActionsEnv, append};

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
    // Warnings are annotated where they are printed (`Ui::warn`).
    let mut stderr = std::io::stderr().lock();
    if gate_failed {
        let message = format!(
            "Release readiness {}% is below the {}% gate ({} {})",
            fmt_pct(report.score.total, 2),
            fmt_num(report.threshold),
            report.score.band.emoji(),
            report.score.band.text()
        );
        let _ = writeln!(stderr, "{}", gha::annotation("error", &message));
    }
    Ok(())
}
