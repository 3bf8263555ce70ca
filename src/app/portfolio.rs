//! `release-dashboard portfolio RESULT...`: read the `--format json`
//! results of many updates, roll them up (`core::portfolio`), render the
//! roll-up (`render::portfolio`) and print or write it; `--gate` turns the
//! verdict into the exit code.

use std::path::{Path, PathBuf};

use super::history::check_distinct;
use super::update::{current_dir, shown_path, write_failed};
use crate::cli::{PortfolioArgs, PortfolioFormat};
use crate::core::document::{BlockUpdate, Document, Placement, apply, keep_stamp_unless_changed};
use crate::core::markers::find_blocks;
use crate::core::portfolio::{Portfolio, Problem, parse_result, roll_up};
use crate::error::{Error, Result};
use crate::render::portfolio::{MARKER, html, json, markdown_block, markdown_page, verdict};
use crate::render::{fmt_num, fmt_pct, fmt_time};
use crate::shell::atomic::write_atomic;
use crate::shell::clock;
use crate::shell::ui::Ui;

/// The most result files one roll-up reads.
const MAX_FILES: usize = 100_000;
/// How deep directories are searched (artifact downloads nest one level).
const MAX_DEPTH: usize = 8;
/// The largest result file read (results are a few KiB).
const MAX_BYTES: u64 = 16 * 1024 * 1024;

/// Run the roll-up; the `Ok` value is the exit code.
pub(super) fn run(args: &PortfolioArgs) -> Result<u8> {
    let ui = Ui::new(args.quiet, false, false);
    let cwd = current_dir()?;
    let files = collect(&args.results, &cwd)?;
    if let Some(output) = &args.output {
        let inputs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
        let shown = output.display().to_string();
        check_distinct(
            &[(&cwd.join(output), &shown)],
            &inputs,
            &cwd,
            "write the roll-up to another path",
        )?;
    }
    let mut results = Vec::with_capacity(files.len());
    let mut problems = Vec::new();
    for file in &files {
        let source = shown_path(file, &cwd);
        match read(file).and_then(|bytes| parse_result(&source, &bytes, &args.optional)) {
            Ok(result) => results.push(result),
            Err(message) => problems.push(Problem { source, message }),
        }
    }
    let portfolio = roll_up(results, problems);
    for problem in &portfolio.problems {
        ui.warn(&format!("{}: {}", problem.source, problem.message));
    }
    if portfolio.repos.is_empty() {
        return Err(Error::Input(format!(
            "no usable result among {} file(s); make each with `release-dashboard --format json > result.json` (nothing was written)",
            files.len()
        )));
    }
    let now = clock::now()?;
    let text = match args.format {
        PortfolioFormat::Markdown => None,
        PortfolioFormat::Json => Some(
            serde_json::to_string_pretty(&json(&portfolio, &now.to_string()))
                .map_err(|e| Error::Runtime(format!("cannot render the JSON: {e}")))?
                + "\n",
        ),
        PortfolioFormat::Html => Some(html(&portfolio, &fmt_time(now))),
    };
    match &args.output {
        None => {
            let text = text.unwrap_or_else(|| markdown_page(&portfolio, &fmt_time(now)));
            ui.data(text.trim_end_matches('\n'));
        }
        Some(output) => {
            let shown = shown_path(&cwd.join(output), &cwd);
            let bytes = match text {
                Some(text) => text.into_bytes(),
                None => markdown_into(&cwd.join(output), &shown, &portfolio, now)?,
            };
            write_atomic(output, &bytes, true)
                .map_err(|e| write_failed(&shown, &e, "the file was left as it was"))?;
            ui.out(&format!(
                "Wrote the roll-up to {shown}: {}",
                verdict(&portfolio)
            ));
        }
    }
    let gate_fails = !portfolio.ready() || !portfolio.problems.is_empty();
    if args.gate && gate_fails {
        for r in portfolio.failing() {
            ui.warn(&format!(
                "{} is below its gate: {}% < {}%",
                r.name(),
                fmt_pct(r.score, 2),
                fmt_num(r.threshold)
            ));
        }
        return Ok(1);
    }
    Ok(0)
}

/// The Markdown file's new bytes: a new page, or the existing file with
/// only its `PORTFOLIO` block rewritten. A file without the markers is
/// someone's page: refused rather than overwritten.
fn markdown_into(
    path: &Path,
    shown: &str,
    portfolio: &Portfolio,
    now: jiff::Timestamp,
) -> Result<Vec<u8>> {
    let stamp = fmt_time(now);
    let existing = match std::fs::read(path) {
        Ok(bytes) if !bytes.iter().all(u8::is_ascii_whitespace) => bytes,
        Ok(_) => return Ok(markdown_page(portfolio, &stamp).into_bytes()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(markdown_page(portfolio, &stamp).into_bytes());
        }
        Err(e) => return Err(Error::Runtime(format!("{shown}: cannot read: {e}"))),
    };
    let doc = Document::decode(&existing).map_err(|e| Error::Input(format!("{shown}: {e}")))?;
    let blocks =
        find_blocks(&doc.text, &[MARKER]).map_err(|e| Error::Input(format!("{shown}: {e}")))?;
    let Some(block) = blocks.first() else {
        return Err(Error::Input(format!(
            "{shown}: has no <!-- {MARKER}_START --> / <!-- {MARKER}_END --> markers; add them on lines of their own where the roll-up should go, or choose another --output (nothing was written)"
        )));
    };
    let old = &doc.text[block.content.clone()];
    let content = keep_stamp_unless_changed(Some(old), &stamp, |s| {
        doc.with_line_endings(&markdown_block(portfolio, s))
    });
    let update = BlockUpdate {
        name: MARKER.to_string(),
        content,
        placement: Placement::End,
    };
    let rewrite = apply(&doc.text, &blocks, &[update], doc.line_ending);
    Ok(doc.encode(&rewrite.text))
}

/// The result files: files as named, and `*.json` under directories
/// (sorted, bounded in depth and count).
fn collect(named: &[PathBuf], cwd: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in named {
        let full = cwd.join(path);
        let meta = std::fs::metadata(&full).map_err(|e| {
            Error::Input(format!(
                "{}: cannot read ({e}); name result files or directories of them",
                path.display()
            ))
        })?;
        if meta.is_dir() {
            walk(&full, 0, &mut files)?;
        } else {
            files.push(full);
        }
        if files.len() > MAX_FILES {
            return Err(Error::Input(format!(
                "more than {MAX_FILES} result files; roll up fewer at a time"
            )));
        }
    }
    files.dedup();
    if files.is_empty() {
        return Err(Error::Input(
            "no *.json result files found in the named directories".into(),
        ));
    }
    Ok(files)
}

fn walk(dir: &Path, depth: usize, files: &mut Vec<PathBuf>) -> Result<()> {
    if depth > MAX_DEPTH || files.len() > MAX_FILES {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::Runtime(format!("{}: cannot list: {e}", dir.display())))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if meta.is_dir() && !hidden {
            walk(&path, depth + 1, files)?;
        } else if meta.is_file()
            && path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            files.push(path);
        }
    }
    Ok(())
}

/// A result file's bytes: a regular file of at most [`MAX_BYTES`].
fn read(path: &Path) -> std::result::Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    if meta.len() > MAX_BYTES {
        return Err(format!(
            "{} bytes is larger than a result can be ({MAX_BYTES} bytes)",
            meta.len()
        ));
    }
    std::fs::read(path).map_err(|e| format!("cannot read: {e}"))
}
