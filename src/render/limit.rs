//! The one place that fits output to a consumer's limit (pure): the job
//! summary to GitHub's 1 MiB, the annotations to the handful GitHub shows
//! per step. (The PR comment and the Slack message keep their own budgets
//! in `pr_comment` and `slack`, because they cut lists by priority.)

use std::fmt::Write as _;

use crate::render::fmt_count;

/// GitHub drops a step's whole job summary over 1 MiB (1,048,576 bytes);
/// the summary is cut to this many bytes, comfortably below.
pub const SUMMARY_MAX_BYTES: usize = 1_000_000;

/// GitHub shows 10 error and 10 warning annotations per step; we write at
/// most this many of each kind, then one annotation counting the rest.
pub const ANNOTATIONS_PER_KIND: usize = 5;

/// The most columns a "… N more rows" table row gets.
const MAX_NOTE_COLUMNS: usize = 16;

/// Bytes kept free for the notes that end a cut text.
const NOTE_RESERVE: usize = 512;

/// `text` when it fits in `max_bytes`; else its leading whole lines and a
/// "… N more" row in the shape of the line that was cut (a table row, a
/// list item or a paragraph), then `why` in italics. N counts the table
/// rows and list items left out.
pub fn cap_lines(text: &str, max_bytes: usize, why: &str) -> String {
    if text.len() <= max_bytes {
        return text.to_string();
    }
    let budget = max_bytes.saturating_sub(NOTE_RESERVE + why.len());
    let mut out = String::with_capacity(budget + NOTE_RESERVE);
    let mut lines = text.split_inclusive('\n');
    let mut last_kept = "";
    let mut cut_at = None;
    for line in lines.by_ref() {
        if out.len() + line.len() > budget {
            cut_at = Some(line);
            break;
        }
        out.push_str(line);
        last_kept = line;
    }
    let Some(first_dropped) = cut_at else {
        return out;
    };
    let rows = std::iter::once(first_dropped)
        .chain(lines)
        .filter(|l| is_row(l))
        .count();
    let count = fmt_count(rows);
    let noun = if rows == 1 { "row" } else { "rows" };
    if first_dropped.starts_with('|') {
        // Our tables have at most a handful of columns; the bound keeps the
        // note inside its reserve whatever the last row looks like.
        let columns = cells(last_kept).clamp(1, MAX_NOTE_COLUMNS);
        let _ = write!(out, "| … {count} more {noun} not shown |");
        out.push_str(&" |".repeat(columns - 1));
        out.push('\n');
    } else if first_dropped.starts_with("- ") {
        let _ = writeln!(out, "- … {count} more not shown");
    } else if rows == 0 {
        out.push_str("\n… the rest is not shown\n");
    } else {
        let _ = writeln!(out, "\n… {count} more {noun} not shown");
    }
    let _ = writeln!(out, "\n_{why}_");
    out
}

/// A table row or a list item.
fn is_row(line: &str) -> bool {
    line.starts_with('|') || line.starts_with("- ")
}

/// The cells of a table row: its `|` separators not escaped by a
/// backslash, less one.
fn cells(row: &str) -> usize {
    let mut count = 0usize;
    let mut escaped = false;
    for c in row.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => count += 1,
            _ => escaped = false,
        }
    }
    count.saturating_sub(1)
}

/// How much an annotation matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// `::error::`; always first.
    Error,
    /// `::warning::` about the run itself (a delivery failed, a lock was
    /// recovered): before the input warnings.
    Warning,
    /// `::warning::` about the input, which can come by the hundred (an
    /// unknown status word per item).
    InputWarning,
}

impl Level {
    fn command(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning | Level::InputWarning => "warning",
        }
    }
}

/// What to write for `messages`: errors first, then warnings about the
/// run, then input warnings (each group in its own order). At most
/// [`ANNOTATIONS_PER_KIND`] errors and as many warnings become annotations
/// (`Ok`); the others are plain log lines (`Err`), and one more annotation
/// per kind says how many were not annotated.
pub fn cap_annotations(messages: &[(Level, String)]) -> Vec<Result<String, String>> {
    let mut sorted: Vec<&(Level, String)> = messages.iter().collect();
    sorted.sort_by_key(|(level, _)| *level);
    let mut out = Vec::with_capacity(sorted.len() + 2);
    let mut plain = Vec::new();
    for kind in ["error", "warning"] {
        let group: Vec<&(Level, String)> = sorted
            .iter()
            .copied()
            .filter(|(level, _)| level.command() == kind)
            .collect();
        for (i, (_, message)) in group.iter().enumerate() {
            if i < ANNOTATIONS_PER_KIND {
                out.push(Ok(crate::render::actions::annotation(kind, message)));
            } else {
                plain.push(Err(format!(
                    "{kind}: {}",
                    crate::render::escape::plain(message)
                )));
            }
        }
        let rest = group.len().saturating_sub(ANNOTATIONS_PER_KIND);
        if rest > 0 {
            let noun = match (kind, rest) {
                ("error", 1) => "error",
                ("error", _) => "errors",
                (_, 1) => "warning",
                _ => "warnings",
            };
            out.push(Ok(crate::render::actions::annotation(
                kind,
                &format!(
                    "{} more {noun} not annotated (GitHub shows 10 per step); see the step log",
                    fmt_count(rest)
                ),
            )));
        }
    }
    out.extend(plain);
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_unchanged() {
        assert_eq!(cap_lines("a\nb\n", 100, "cut"), "a\nb\n");
    }

    #[test]
    fn a_long_table_is_cut_with_a_row_in_its_shape() {
        let mut text = String::from("## Head\n\n| A | B |\n|:--|--:|\n");
        for i in 0..10_000 {
            let _ = writeln!(text, "| workflow {i} {} | 1 |", "x".repeat(100));
        }
        text.push_str("\n_Source: file_\n");
        let cut = cap_lines(&text, 100_000, "Cut to fit.");
        assert!(cut.len() <= 100_000, "{}", cut.len());
        let note = cut
            .lines()
            .find(|l| l.contains("more rows not shown"))
            .unwrap();
        assert!(
            note.starts_with("| … 9,") && note.ends_with("not shown | |"),
            "{note}"
        );
        let shown = cut.lines().filter(|l| l.starts_with("| workflow")).count();
        assert_eq!(
            note,
            format!("| … {} more rows not shown | |", fmt_count(10_000 - shown))
        );
        assert!(cut.ends_with("\n_Cut to fit._\n"));
    }

    #[test]
    fn lists_and_paragraphs_get_their_own_note() {
        let mut list = String::new();
        for i in 0..1000 {
            let _ = writeln!(list, "- item {i}");
        }
        let cut = cap_lines(&list, 2_000, "why");
        assert!(cut.len() <= 2_000);
        assert!(cut.contains("\n- … "), "{cut}");
        let prose = "word ".repeat(100) + "\n" + &"more ".repeat(1000);
        let cut = cap_lines(&prose, 1_000, "why");
        assert!(
            cut.contains("… the rest is not shown") && cut.len() <= 1_000,
            "{cut}"
        );
    }

    #[test]
    fn the_cut_never_exceeds_the_limit() {
        for width in [1, 5, 300] {
            let row = format!("{}|\n", "| x ".repeat(width));
            let text = row.repeat(2_000);
            for max in [600, 1_000, 10_000] {
                let cut = cap_lines(&text, max, "why");
                assert!(cut.len() <= max, "{width} columns, {max}: {}", cut.len());
            }
        }
    }

    #[test]
    fn escaped_pipes_are_not_cells() {
        assert_eq!(cells("| a \\| b | c |\n"), 2);
        assert_eq!(cells("| a |"), 1);
    }

    #[test]
    fn annotations_are_capped_errors_first() {
        let mut messages: Vec<(Level, String)> = (0..300)
            .map(|i| (Level::InputWarning, format!("unknown status {i}")))
            .collect();
        messages.push((Level::Warning, "the Slack alert failed".to_string()));
        messages.push((Level::Error, "below the gate".to_string()));
        let out = cap_annotations(&messages);
        let annotations: Vec<&String> = out.iter().filter_map(|l| l.as_ref().ok()).collect();
        assert_eq!(annotations[0], "::error::below the gate");
        assert_eq!(annotations[1], "::warning::the Slack alert failed");
        assert_eq!(annotations.len(), 1 + ANNOTATIONS_PER_KIND + 1);
        assert_eq!(
            annotations.last().unwrap().as_str(),
            "::warning::296 more warnings not annotated (GitHub shows 10 per step); see the step log"
        );
        let plain: Vec<&String> = out.iter().filter_map(|l| l.as_ref().err()).collect();
        assert_eq!(plain.len(), 296);
        assert_eq!(plain[0], "warning: unknown status 4");
        // Few messages: all annotated, nothing added.
        let few = cap_annotations(&messages[..3]);
        assert_eq!(few.len(), 3);
        assert!(few.iter().all(Result::is_ok));
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_cut_within_the_limit(text in "(\\|?[a-z|\\\\ ]{0,80}\n){0,200}", max in 1_024usize..8_000) {
            let cut = cap_lines(&text, max, "Cut to fit.");
            proptest::prop_assert!(cut.len() <= max);
            if text.len() <= max {
                proptest::prop_assert_eq!(cut, text);
            } else {
                proptest::prop_assert!(cut.ends_with("\n_Cut to fit._\n"));
                let mut shown: Vec<&str> = cut.lines().take_while(|l| !l.contains(" not shown")).collect();
                // The paragraph note is set off by a blank line of its own.
                if shown.last() == Some(&"") && cut.contains("\n\n… ") {
                    shown.pop();
                }
                let original: Vec<&str> = text.lines().take(shown.len()).collect();
                proptest::prop_assert_eq!(original, shown);
            }
        }
    }
}
