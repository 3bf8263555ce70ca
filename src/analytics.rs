//! History analytics for scripts: the library face of `release-dashboard
//! history`. The seed tool offered `ReadinessCache().load()`,
//! `get_trend(lookback=10)` and `export_csv(path)`; these are [`load`],
//! [`trend`] and [`export_csv`].
//!
//! ```
//! use release_dashboard::analytics::{export_csv, load, trend};
//!
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("readiness.json");
//! std::fs::write(&path, r#"[
//!   {"timestamp": "2024-12-15T09:00:00", "score": 80.0, "status": "in_progress", "ci_adjustment": -2.0},
//!   {"timestamp": "2024-12-16T09:00:00", "score": 84.0, "status": "in_progress"},
//!   {"timestamp": "2026-11-24T09:00:00Z", "score": 88.5, "status": "minor_blockers"}
//! ]"#)?;
//!
//! let history = load(&path)?;
//! let trend = trend(history.entries(), 10).ok_or("fewer than 2 scored entries")?;
//! println!("Current: {}%", trend.current);
//! println!("Trend: {} {}", trend.trend_emoji, trend.trend.as_str());
//! println!("Average (last 10): {}%", trend.avg);
//! assert_eq!((trend.trend.as_str(), trend.change, trend.avg), ("improving", 4.5, 84.2));
//!
//! let csv = dir.path().join("readiness_history.csv");
//! export_csv(history.entries(), &csv)?;
//! let text = std::fs::read_to_string(&csv)?;
//! assert!(text.starts_with("timestamp,score,status,core_score,"));
//! assert_eq!(text.lines().count(), 4);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::path::Path;

use crate::core::history::csv::to_csv;
pub use crate::core::history::trend::{
    CategoryChange, DEFAULT_LOOKBACK, Direction, Entry, Trend, trend,
};
pub use crate::core::history::{History, HistoryError};
use crate::shell::atomic::{AtomicError, write_atomic};
pub use crate::shell::history::load;

/// Why [`export_csv`] failed. The target file is untouched either way.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The CSV could not be produced.
    #[error("cannot render the CSV: {0}")]
    Csv(#[from] csv::Error),
    /// The file could not be written.
    #[error(transparent)]
    Write(#[from] AtomicError),
}

/// Write `entries` as CSV to `path` (see [`crate::core::history::csv`] for the
/// columns), atomically, creating missing parent directories.
///
/// # Errors
///
/// [`ExportError`] when the file cannot be written.
pub fn export_csv(entries: &[Entry], path: &Path) -> Result<(), ExportError> {
    write_atomic(path, &to_csv(entries)?, true)?;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn export_failure_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, "x").unwrap();
        let err = export_csv(&[], &blocker.join("out.csv")).unwrap_err();
        assert!(matches!(err, ExportError::Write(_)), "{err:?}");
        assert_eq!(std::fs::read(&blocker).unwrap(), b"x");
    }

    #[test]
    fn load_reads_a_seed_file_with_a_bom() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("readiness.json");
        let seed = "\u{FEFF}[{\"timestamp\": \"2024-12-15T09:00:00\", \"score\": 87.5, \"ci_adjustment\": -2.0},\n\
                    {\"timestamp\": \"2024-12-16T09:00:00\", \"score\": 85.0}]";
        std::fs::write(&path, seed).unwrap();
        let history = load(&path).unwrap();
        let t = trend(history.entries(), DEFAULT_LOOKBACK).unwrap();
        assert_eq!((t.trend, t.change), (Direction::Declining, -2.5));
    }
}
