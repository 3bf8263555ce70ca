//! One orchestrator per command: read inputs through the shell, compute
//! with the core, render, then write and deliver through the shell.

pub mod completions;
pub mod history;
pub mod init;
pub mod inspect;
pub mod portfolio;
pub mod report;
pub mod update;

use crate::cli::{Cli, Command, Format};
use crate::error::Result;

/// Run the command line; the `Ok` value is the exit code (0, or 1 for a
/// failed `--check-only` gate or a failed PR comment or Slack alert under
/// `--strict`).
pub fn run(cli: &Cli) -> Result<u8> {
    match &cli.command {
        None => update::update(&cli.update),
        Some(Command::Init(args)) => init::run(args),
        Some(Command::Completions { shell }) => completions::completions(*shell),
        Some(Command::Man) => completions::man(),
        Some(Command::Report(args)) => report::run(args),
        Some(Command::History(args)) => history::history(args),
        Some(Command::Portfolio(args)) => portfolio::run(args),
        Some(Command::Inspect(args)) => inspect::run(args),
    }
}

/// Whether this command line asked for JSON on stdout (`--format json` on
/// an update, `report`'s inputs or `history`), so a failure must print a
/// JSON error document there too.
pub fn wants_json(cli: &Cli) -> bool {
    match &cli.command {
        None => cli.update.format == Format::Json,
        Some(Command::History(args)) => args.format == Format::Json,
        Some(Command::Portfolio(args)) => args.format == crate::cli::PortfolioFormat::Json,
        Some(_) => false,
    }
}
