use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;
use release_dashboard::cli::Cli;

fn main() -> ExitCode {
    release_dashboard::shell::interrupt::install();
    let cli = Cli::parse();
    let result = release_dashboard::app::run(&cli);
    release_dashboard::shell::ui::flush_annotations();
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            let style = anstyle::AnsiColor::Red.on_default().bold();
            let _ = writeln!(anstream::stderr(), "{style}error{style:#}: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}
