//! The shell of `release-dashboard history`: read the history file, print
//! its trend, write the CSV and SVG files. Everything is computed before
//! anything is written, and nothing is written unless the history parses.

use std::path::{Path, PathBuf};

use super::update::write_failed;
use super::update::{current_dir, load_history, shown_path};
use crate::cli::settings::{HistorySettings, resolve_history};
use crate::cli::{Format, HistoryArgs};
use crate::core::history::csv::to_csv;
use crate::core::history::trend::{Entry, recent};
use crate::error::{Error, Result};
use crate::render::history::{document, text};
use crate::render::svg::{self, Options};
use crate::shell::atomic::write_atomic;
use crate::shell::ui::Ui;

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
        write_atomic(&output.path, &output.bytes, true)
            .map_err(|e| write_failed(&output.shown, &e, "the file was left as it was"))?;
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
    let named: Vec<(&Path, &str)> = outputs
        .iter()
        .map(|o| (o.path.as_path(), o.shown.as_str()))
        .collect();
    check_distinct(
        &named,
        &[&settings.history],
        cwd,
        "write the CSV and SVG to other paths",
    )?;
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

/// No output may replace one of `inputs` (files that are read and must
/// stay as they are) or another output. `outputs` are (path, shown name)
/// pairs; the error names both paths and ends with `advice`.
pub(crate) fn check_distinct(
    outputs: &[(&Path, &str)],
    inputs: &[&Path],
    cwd: &Path,
    advice: &str,
) -> Result<()> {
    for (i, (path, shown)) in outputs.iter().enumerate() {
        let clash = match inputs.iter().find(|input| same_file(path, input)) {
            Some(input) => Some(shown_path(input, cwd)),
            None => outputs[..i]
                .iter()
                .find(|(other, _)| same_file(other, path))
                .map(|(_, other)| other.to_string()),
        };
        if let Some(other) = clash {
            return Err(Error::Input(format!(
                "{shown}: would overwrite {other}; {advice}"
            )));
        }
    }
    Ok(())
}

/// Whether two paths name the same file: equal, or equal once symbolic
/// links and `.`/`..` are resolved (see [`resolved`]).
fn same_file(a: &Path, b: &Path) -> bool {
    a == b || matches!((resolved(a), resolved(b)), (Some(x), Some(y)) if x == y)
}

/// The canonical path of `path`; for a file that does not exist yet (or a
/// dangling symbolic link: where it points), its canonical directory joined
/// with its name.
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(full) = std::fs::canonicalize(path) {
        return Some(full);
    }
    let dir = |p: &Path| match p.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let path = match std::fs::read_link(path) {
        Ok(target) => dir(path).join(target),
        Err(_) => path.to_path_buf(),
    };
    Some(
        std::fs::canonicalize(dir(&path))
            .ok()?
            .join(path.file_name()?),
    )
}
