use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;
use release_dashboard::cli::Cli;

fn main() -> ExitCode {
    release_dashboard::shell::interrupt::install();
    let cli = Cli::parse();
    let result = release_dashboard::app::run(&cli);
    if let Err(error) = &result
        && std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
    {
        // Under GitHub Actions the failure is an annotation too, first of all.
        release_dashboard::shell::ui::annotate(
            release_dashboard::render::limit::Level::Error,
            &error.to_string(),
        );
    }
    release_dashboard::shell::ui::flush_annotations();
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            if release_dashboard::app::wants_json(&cli) {
                let kind = match error {
                    release_dashboard::error::Error::Input(_) => "input",
                    release_dashboard::error::Error::Runtime(_) => "runtime",
                };
                let document = release_dashboard::render::json::error(
                    kind,
                    error.exit_code(),
                    &error.to_string(),
                );
                let _ = writeln!(
                    std::io::stdout(),
                    "{}",
                    serde_json::to_string_pretty(&document).unwrap_or_default()
                );
            }
            let style = anstyle::AnsiColor::Red.on_default().bold();
            let _ = writeln!(anstream::stderr(), "{style}error{style:#}: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}
