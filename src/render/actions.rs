//! GitHub Actions text: step outputs (`$GITHUB_OUTPUT`), the job
//! summary (`$GITHUB_STEP_SUMMARY`) and workflow-command annotations, with
//! every untrusted string escaped so it cannot inject a command.

use std::fmt::Write as _;

use crate::core::report::Report;
use crate::core::score::round2;
use crate::render::limit::{SUMMARY_MAX_BYTES, cap_lines};
use crate::render::markdown::{ci_block, readiness_block};

/// The step outputs of a run: `score`, `status`, `passed`, `changed`.
pub fn outputs(report: &Report) -> Vec<(&'static str, String)> {
    vec![
        ("score", format!("{:.2}", round2(report.score.total))),
        ("status", report.score.band.as_str().to_string()),
        ("passed", report.passed().to_string()),
        ("changed", report.changed.to_string()),
    ]
}

/// `name=value` lines, or the heredoc form with a random delimiter for
/// values that span lines (or could be mistaken for one).
pub fn output_lines(pairs: &[(&str, String)]) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        if value.contains('\n') || value.contains('\r') {
            let delimiter = delimiter(value);
            let _ = write!(out, "{name}<<{delimiter}\n{value}\n{delimiter}\n");
        } else {
            let _ = writeln!(out, "{name}={value}");
        }
    }
    out
}

/// A delimiter that does not occur in `value`.
fn delimiter(value: &str) -> String {
    use std::hash::{BuildHasher, Hasher};
    loop {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write(value.as_bytes());
        let candidate = format!("ghadelimiter_{:016x}", hasher.finish());
        if !value.contains(&candidate) {
            return candidate;
        }
    }
}

/// The job summary: score, category table, blockers, CI health; cut to
/// [`SUMMARY_MAX_BYTES`] (GitHub drops a summary over 1 MiB whole).
pub fn summary(report: &Report, stamp: &str) -> String {
    let full = format!(
        "## Release readiness — {}\n{}{}",
        escape_heading(&report.checklist),
        readiness_block(&report.score, report.threshold, stamp, &[]),
        ci_block(report.ci_parts(), stamp)
    );
    cap_lines(
        &full,
        SUMMARY_MAX_BYTES,
        "Cut to fit GitHub's 1 MiB job summary limit; the checklist's blocks and `--format json` have everything.",
    )
}

fn escape_heading(text: &str) -> String {
    crate::render::escape::md(text)
}

/// `::error::message` / `::warning::message` with the message escaped.
pub fn annotation(kind: &str, message: &str) -> String {
    format!("::{kind}::{}", escape_data(message))
}

/// Escape a workflow command's message: `%`, CR and LF.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a workflow command's property value: also `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn single_and_multi_line_outputs() {
        let text = output_lines(&[("score", "84.11".into()), ("notes", "a\nb".into())]);
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("score=84.11"));
        let open = lines.next().unwrap();
        let delimiter = open.strip_prefix("notes<<").unwrap();
        assert!(delimiter.starts_with("ghadelimiter_"));
        assert_eq!(lines.next(), Some("a"));
        assert_eq!(lines.next(), Some("b"));
        assert_eq!(lines.next(), Some(delimiter));
    }

    #[test]
    fn hostile_text_cannot_start_a_command() {
        let hostile = "x\n::error::forged 100%\r\n::set-output name=a::b";
        let line = annotation("warning", hostile);
        assert_eq!(line.lines().count(), 1);
        assert_eq!(
            line,
            "::warning::x%0A::error::forged 100%25%0D%0A::set-output name=a::b"
        );
        assert_eq!(escape_property("a:b,c\n"), "a%3Ab%2Cc%0A");
    }
}
