//! Where messages go: results to stdout, warnings and progress to stderr.
//! Colour follows `anstream` (off for NO_COLOR and non-terminals).

use std::io::Write as _;
use std::sync::Mutex;

use crate::render::limit::{Level, cap_annotations};

/// Under GitHub Actions, annotations wait here until [`flush_annotations`]
/// writes them capped and errors first (GitHub shows only 10 per kind and
/// step, so 300 input warnings would hide a later, more important one).
static ANNOTATIONS: Mutex<Vec<(Level, String)>> = Mutex::new(Vec::new());

/// Queue an annotation (written by [`flush_annotations`]).
pub fn annotate(level: Level, message: &str) {
    if let Ok(mut queue) = ANNOTATIONS.lock() {
        queue.push((level, message.to_string()));
    }
}

/// Write the queued annotations to stderr, capped (see
/// [`cap_annotations`]): the first few of each kind as `::error::` /
/// `::warning::` commands, the rest as plain log lines. Empties the queue.
pub fn flush_annotations() {
    let queued = match ANNOTATIONS.lock() {
        Ok(mut queue) => std::mem::take(&mut *queue),
        Err(_) => return,
    };
    let mut stderr = std::io::stderr().lock();
    for line in cap_annotations(&queued) {
        let (Ok(text) | Err(text)) = line;
        let _ = writeln!(stderr, "{text}");
    }
}

/// Verbosity and format switches for printing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ui {
    pub quiet: bool,
    pub verbose: bool,
    /// JSON mode: stdout carries only the JSON document.
    pub json: bool,
    /// Under GitHub Actions: warnings become `::warning::` annotations.
    pub actions: bool,
}

impl Ui {
    /// Switches for a command; `actions` from `GITHUB_ACTIONS=true`.
    pub fn new(quiet: bool, verbose: bool, json: bool) -> Ui {
        Ui {
            quiet,
            verbose,
            json,
            actions: std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true"),
        }
    }

    /// Print a result for people (not in quiet or JSON mode).
    pub fn out(&self, text: &str) {
        if !self.quiet && !self.json {
            let mut stdout = anstream::stdout();
            let _ = writeln!(stdout, "{}", text.trim_end_matches('\n'));
        }
    }

    /// Print machine output (JSON), regardless of quiet.
    pub fn data(&self, text: &str) {
        let mut stdout = anstream::stdout();
        let _ = writeln!(stdout, "{text}");
    }

    /// A warning about the run on stderr (stdout stays clean for JSON).
    /// Under GitHub Actions it is queued as a `::warning::` annotation
    /// (see [`flush_annotations`]), even with `-q`.
    pub fn warn(&self, message: &str) {
        self.warn_at(Level::Warning, message);
    }

    /// A warning about the input (the checklist, the runs): like
    /// [`Ui::warn`], but annotated after the warnings about the run.
    pub fn warn_input(&self, message: &str) {
        self.warn_at(Level::InputWarning, message);
    }

    fn warn_at(&self, level: Level, message: &str) {
        let mut stderr = anstream::stderr();
        if self.actions {
            annotate(level, message);
        } else if !self.quiet {
            let style = anstyle::AnsiColor::Yellow.on_default().bold();
            let _ = writeln!(stderr, "{style}warning{style:#}: {message}");
        }
    }

    /// A note that only `--verbose` shows.
    pub fn detail(&self, message: &str) {
        if self.verbose {
            let mut stderr = anstream::stderr();
            let _ = writeln!(stderr, "  {message}");
        }
    }
}
