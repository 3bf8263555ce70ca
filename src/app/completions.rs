//! `completions SHELL` and `man`: text generated from the CLI definition.

use std::io::Write as _;

use clap::CommandFactory as _;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::error::{Error, Result};

/// The binary's name, as completions and the man page call it.
const BIN: &str = "release-dashboard";

/// The completion script for `shell`.
pub fn completion_script(shell: Shell) -> Vec<u8> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), BIN, &mut buf);
    buf
}

/// The man page, in roff.
pub fn man_page() -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut buf)
        .map_err(|e| Error::Runtime(format!("cannot render the man page: {e}")))?;
    Ok(buf)
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
    fn man_page_is_roff_with_the_subcommands() {
        let page = String::from_utf8(man_page().unwrap()).unwrap();
        assert!(page.starts_with(".ie") || page.contains(".TH"), "{page}");
        assert!(page.contains("release\\-dashboard"), "{page}");
        assert!(page.contains("init"), "{page}");
    }
}
