//! Where messages go: results to stdout, warnings and progress to stderr.
//! Colour follows `anstream` (off for NO_COLOR and non-terminals).

use std::io::Write as _;

/// Verbosity and format switches for printing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ui {
    pub quiet: bool,
    pub verbose: bool,
    /// JSON mode: stdout carries only the JSON document.
    pub json: bool,
}

impl Ui {
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

    /// A warning on stderr (not in quiet or JSON mode; JSON carries them).
    pub fn warn(&self, message: &str) {
        if !self.quiet && !self.json {
            let style = anstyle::AnsiColor::Yellow.on_default().bold();
            let mut stderr = anstream::stderr();
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
