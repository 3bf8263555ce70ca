use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;
use release_dashboard::cli::Cli;

fn main() -> ExitCode {
    release_dashboard::shell::interrupt::install();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // A usage error (not --help or --version) under `--format json`:
            // stdout still gets a JSON document.
            if error.use_stderr() && asks_for_json(std::env::args_os().skip(1)) {
                let text = error.to_string();
                let message = text
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .trim_start_matches("error: ");
                print_json(&release_dashboard::render::json::error("usage", 2, message));
            }
            error.exit();
        }
    };
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
                    release_dashboard::error::Error::Interrupted(_) => "interrupted",
                };
                print_json(&release_dashboard::render::json::error(
                    kind,
                    error.exit_code(),
                    &error.to_string(),
                ));
            }
            let style = anstyle::AnsiColor::Red.on_default().bold();
            let _ = writeln!(anstream::stderr(), "{style}error{style:#}: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}

/// Whether the raw arguments ask for `--format json` (read before clap
/// could parse them).
fn asks_for_json(args: impl Iterator<Item = std::ffi::OsString>) -> bool {
    let args: Vec<String> = args.map(|a| a.to_string_lossy().into_owned()).collect();
    args.iter().any(|a| a == "--format=json")
        || args
            .windows(2)
            .any(|w| w[0] == "--format" && w[1] == "json")
}

fn print_json(document: &serde_json::Value) {
    let _ = writeln!(
        std::io::stdout(),
        "{}",
        serde_json::to_string_pretty(document).unwrap_or_default()
    );
}
