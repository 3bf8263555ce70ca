//! The shell of `release-dashboard history`: read the history file, print
//! its trend, write the CSV and SVG files. Everything is computed before
//! anything is written, and nothing is written unless the history parses.

use std::path::{Path, PathBuf};

use super::{current_dir, load_history, shown_path};
use crate::atomic::write_atomic;
use crate::cli::{Format, HistoryArgs};
use crate::error::{Error, Result};
use crate::history_csv::to_csv;
use crate::render::history::{document, text};
use crate::render::svg::{self, Options};
use crate::settings::{HistorySettings, resolve_history};
use crate::trend::{Entry, recent};
use crate::ui::Ui;

/// The SVG chart shows at most this many of the newest scored entries.
pub const SVG_POINTS: usize = 500;

/// One file to write, with the name it is shown under.
struct Output {
    path: PathBuf,
    shown: String,
    bytes: Vec<u8>,
}

/// `release-dashboard history`: exit code 0, or an error (2 for a bad
/// history file or flags, 1 when a file cannot be read or written).
pub fn history(args: &HistoryArgs) -> Result<u8> {
    let ui = Ui::new(args.quiet, false, args.format == Format::Json);
    let cwd = current_dir()?;
    let settings = resolve_history(args, &cwd)?;
    let shown = shown_path(&settings.history, &cwd);
    let (_, history) = load_history(&settings.history, &cwd)?;
    let entries = history.entries();
    let outputs = outputs(args, &settings, entries, &cwd)?;
    for output in &outputs {
        write_atomic(&output.path, &output.bytes, true).map_err(|e| {
            Error::Runtime(format!(
                "{}: {e}; the file was left as it was",
                output.shown
            ))
        })?;
    }
    let lookback = usize::try_from(args.lookback).unwrap_or(usize::MAX);
    if ui.json {
        let json = serde_json::to_string_pretty(&document(&shown, entries, lookback))
            .map_err(|e| Error::Runtime(format!("cannot render JSON: {e}")))?;
        ui.data(&json);
    } else {
        ui.out(&text(&shown, entries, lookback));
        for output in &outputs {
            ui.out(&format!("Wrote {}.", output.shown));
        }
    }
    Ok(0)
}

/// The CSV and SVG files asked for, rendered in memory.
fn outputs(
    args: &HistoryArgs,
    settings: &HistorySettings,
    entries: &[Entry],
    cwd: &Path,
) -> Result<Vec<Output>> {
    let mut outputs = Vec::new();
    if let Some(path) = &args.csv {
        let bytes =
            to_csv(entries).map_err(|e| Error::Runtime(format!("cannot render the CSV: {e}")))?;
        outputs.push(output(path, bytes, cwd));
    }
    if let Some(path) = &args.svg {
        let options = Options {
            categories: args.categories,
        };
        let chart = svg::chart(&recent(entries, SVG_POINTS), settings.threshold, options);
        outputs.push(output(path, chart.into_bytes(), cwd));
    }
    check_distinct(&outputs, &settings.history, cwd)?;
    Ok(outputs)
}

fn output(path: &Path, bytes: Vec<u8>, cwd: &Path) -> Output {
    let path = cwd.join(path);
    Output {
        shown: shown_path(&path, cwd),
        path,
        bytes,
    }
}

/// No output may replace the history file or another output.
fn check_distinct(outputs: &[Output], history: &Path, cwd: &Path) -> Result<()> {
    for (i, output) in outputs.iter().enumerate() {
        let clash = if same_file(&output.path, history) {
            Some(shown_path(history, cwd))
        } else {
            outputs[..i]
                .iter()
                .find(|other| same_file(&other.path, &output.path))
                .map(|other| other.shown.clone())
        };
        if let Some(other) = clash {
            return Err(Error::Input(format!(
                "{}: would overwrite {other}; write the CSV and SVG to other paths",
                output.shown
            )));
        }
    }
    Ok(())
}

/// Whether two paths name the same file (symbolic links resolved when the
/// files exist).
fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
}
