//! `completions SHELL` and `man`: text generated from the CLI definition.

use std::io::Write as _;

use clap::CommandFactory as _;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::error::{Error, Result};

/// The binary's name, as completions and the man page call it.
const BIN: &str = "release-dashboard";

/// The completion script for `shell`.
///
/// Bash: clap_complete (4.6.11 and 4.6.12, the newest) names the state of
/// a subcommand of a hyphenated binary two ways: `release__dashboard__subcmd__history`
/// where it walks the words and `release__subcmd__dashboard__subcmd__history`
/// where it completes, so nothing completes after a subcommand
/// (`history --f`). The second spelling is rewritten to the first.
pub fn completion_script(shell: Shell) -> Vec<u8> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), BIN, &mut buf);
    if shell == Shell::Bash {
        let script = String::from_utf8_lossy(&buf);
        let broken = BIN.replace('-', "__subcmd__");
        let walked = BIN.replace('-', "__");
        return script.replace(&broken, &walked).into_bytes();
    }
    buf
}

/// The man page, in roff: ASCII only and clean for `groff -ww` and
/// `mandoc -Tlint` (see [`tidy_roff`]), dated `YYYY-MM-DD` from the clock
/// (so `SOURCE_DATE_EPOCH` makes it reproducible).
pub fn man_page() -> Result<Vec<u8>> {
    let date = crate::shell::clock::now()?.strftime("%Y-%m-%d").to_string();
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .title("RELEASE-DASHBOARD")
        .date(date)
        .source(format!("release-dashboard {}", env!("CARGO_PKG_VERSION")))
        .manual("User Commands")
        .render(&mut buf)
        .map_err(|e| Error::Runtime(format!("cannot render the man page: {e}")))?;
    Ok(tidy_roff(&String::from_utf8_lossy(&buf)).into_bytes())
}

/// Make clap_mangen's roff portable: every non-ASCII character becomes a
/// groff escape (`\(en`, `\(em`, else `\[uXXXX]`, which groff and mandoc
/// both read), trailing spaces go, and a `.br` next to a blank line (a
/// paragraph break already) is dropped.
pub fn tidy_roff(roff: &str) -> String {
    let lines: Vec<String> = roff
        .lines()
        .map(|line| ascii_roff(line.trim_end()))
        .collect();
    let blank = |i: Option<usize>| i.and_then(|i| lines.get(i)).is_some_and(String::is_empty);
    let mut out = String::with_capacity(roff.len());
    for (i, line) in lines.iter().enumerate() {
        if line == ".br" && (blank(i.checked_sub(1)) || blank(Some(i + 1))) {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn ascii_roff(line: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            c if c.is_ascii() => out.push(c),
            '\u{2013}' => out.push_str("\\(en"),
            '\u{2014}' => out.push_str("\\(em"),
            '\u{2018}' => out.push_str("\\(oq"),
            '\u{2019}' => out.push_str("\\(cq"),
            '\u{201C}' => out.push_str("\\(lq"),
            '\u{201D}' => out.push_str("\\(rq"),
            '\u{2265}' => out.push_str("\\(>="),
            '\u{2264}' => out.push_str("\\(<="),
            c => {
                let _ = write!(out, "\\[u{:04X}]", u32::from(c));
            }
        }
    }
    out
}

/// `release-dashboard completions SHELL`: print the script.
pub fn completions(shell: Shell) -> Result<u8> {
    print(&completion_script(shell), "the completion script")
}

/// `release-dashboard man`: print the man page.
pub fn man() -> Result<u8> {
    print(&man_page()?, "the man page")
}

/// Write to stdout; a closed pipe (`| head`) is not an error.
fn print(bytes: &[u8], what: &str) -> Result<u8> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(0),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => Err(Error::Runtime(format!("cannot print {what}: {e}"))),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_shell_gets_a_script() {
        for shell in [
            Shell::Bash,
            Shell::Elvish,
            Shell::Fish,
            Shell::PowerShell,
            Shell::Zsh,
        ] {
            let script = String::from_utf8(completion_script(shell)).unwrap();
            assert!(script.contains("check-only"), "{shell}: {script}");
        }
    }

    #[test]
    fn roff_is_made_ascii_and_lint_clean() {
        let tidy = tidy_roff(
            ".TH X 1 \"d\" \nGate 0\u{2013}100 \u{2014} \u{2265} \u{2026} \u{1F4C8}\n.br\n\n.br\ntext\n",
        );
        assert_eq!(
            tidy,
            ".TH X 1 \"d\"\nGate 0\\(en100 \\(em \\(>= \\[u2026] \\[u1F4C8]\n\ntext\n"
        );
        let page = String::from_utf8(man_page().unwrap()).unwrap();
        assert!(page.is_ascii());
        assert!(page.contains("0\\(en100"), "{page}");
    }

    #[test]
    fn man_page_is_roff_with_the_subcommands() {
        let page = String::from_utf8(man_page().unwrap()).unwrap();
        assert!(page.starts_with(".ie") || page.contains(".TH"), "{page}");
        assert!(page.contains("release\\-dashboard"), "{page}");
        assert!(page.contains("init"), "{page}");
    }
}
