//! `release-dashboard inspect`: how the checklist was read, offline, writing
//! nothing.

use crate::cli::settings::resolve;
use crate::cli::{Format, InspectArgs, UpdateArgs};
use crate::core::analysis::analyse;
use crate::error::Result;
use crate::render::inspect;
use crate::shell::ui::Ui;

use super::update::{current_dir, read_input, shown_path};

/// Print the reading; the `Ok` value is the exit code (always 0).
pub(super) fn run(args: &InspectArgs) -> Result<u8> {
    let cwd = current_dir()?;
    let inputs = UpdateArgs {
        checklist: args.checklist.clone(),
        config: args.config.clone(),
        ..UpdateArgs::default()
    };
    let settings = resolve(&inputs, &cwd)?;
    let shown = shown_path(&settings.checklist, &cwd);
    let bytes = read_input(&settings.checklist, &shown, "checklist")?;
    let analysis = analyse(&shown, &bytes, &settings)?;
    let ui = Ui::new(false, false, args.format == Format::Json);
    match args.format {
        Format::Text => ui.out(inspect::text(&shown, &analysis).trim_end()),
        Format::Json => ui.data(&inspect::json(&shown, &analysis).to_string()),
    }
    Ok(0)
}
