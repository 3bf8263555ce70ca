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

    /// A warning on stderr (stdout stays clean for JSON). Under GitHub
    /// Actions it is an escaped `::warning::` annotation, even with `-q`.
    pub fn warn(&self, message: &str) {
        let mut stderr = anstream::stderr();
        if self.actions {
            let _ = writeln!(
                stderr,
                "{}",
                crate::render::actions::annotation("warning", message)
            );
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
