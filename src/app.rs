//! The imperative shell of an update: read inputs, build the plan, then
//! print it (`--dry-run`), judge it (`--check-only`) or execute it.

use std::io::Read as _;
use std::path::Path;

use similar::TextDiff;

use crate::analysis::{Analysis, analyse};
use crate::atomic::write_atomic;
use crate::ci::ci_health;
use crate::cli::{Cli, Format, UpdateArgs};
use crate::clock;
use crate::error::{Error, Result};
use crate::history::History;
use crate::lock::DirLock;
use crate::plan::{FileChange, Plan, history_change, history_entry, rewrite_checklist};
use crate::render::markdown::CiSource;
use crate::render::{json, terminal};
use crate::report::{CiReport, Report};
use crate::runs::parse_runs;
use crate::settings::{Settings, resolve};
use crate::ui::Ui;

/// Run the command line; the `Ok` value is the exit code (0, or 1 for a
/// failed `--check-only` gate).
pub fn run(cli: &Cli) -> Result<u8> {
    update(&cli.update)
}

/// The bare command: score, rewrite, record.
pub fn update(args: &UpdateArgs) -> Result<u8> {
    let ui = Ui {
        quiet: args.quiet,
        verbose: args.verbose,
        json: args.format == Format::Json,
    };
    let cwd = std::env::current_dir()
        .map_err(|e| Error::Runtime(format!("cannot read the current directory: {e}")))?;
    let settings = resolve(args, &cwd)?;
    let shown = shown_path(&settings.checklist, &cwd);
    ui.detail(&format!("checklist: {shown}"));
    let ci = load_ci(args, &settings, &ui)?;
    let now = clock::now()?;
    let writes = !(args.dry_run || args.check_only);
    let _lock = if writes {
        Some(lock(&settings, &ui)?)
    } else {
        None
    };
    let bytes = read_input(&settings.checklist, &shown, "checklist")?;
    let analysis = analyse(&shown, &bytes, &settings)?;
    let mut report = Report {
        checklist: shown,
        score: analysis.score.clone(),
        threshold: settings.threshold,
        ci,
        changed: false,
        warnings: analysis.warnings.clone(),
    };
    if args.check_only {
        return Ok(gate(&report, &ui));
    }
    let plan = build_plan(&analysis, &report, &settings, args, bytes, now, &cwd)?;
    report.changed = plan.changes_anything();
    for name in &plan.inserted {
        report.warnings.push(format!(
            "{}: no <!-- {name}_START --> / <!-- {name}_END --> markers; inserting the block",
            report.checklist
        ));
    }
    if args.dry_run {
        print_dry_run(&plan, &cwd, &ui);
    } else {
        execute(&plan, &cwd, &ui)?;
    }
    print_report(&report, args.dry_run, &ui);
    Ok(0)
}

fn shown_path(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}

fn read_input(path: &Path, shown: &str, what: &str) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::Input(format!(
            "{shown}: {what} not found; check the path (--{what} PATH)"
        )),
        _ => Error::Runtime(format!("{shown}: cannot read the {what}: {e}")),
    })
}

/// CI health from a runs file, or `None` offline.
fn load_ci(args: &UpdateArgs, settings: &Settings, ui: &Ui) -> Result<Option<CiReport>> {
    if args.offline {
        ui.detail("offline: no CI data");
        return Ok(None);
    }
    let Some(path) = &args.runs_file else {
        if args.check_only {
            return Ok(None);
        }
        return Err(Error::Input(
            "no CI data source: pass --runs-file PATH (a saved GitHub Actions runs response, `-` for stdin) or --offline".into(),
        ));
    };
    let (shown, bytes) = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| Error::Runtime(format!("cannot read runs from stdin: {e}")))?;
        ("<stdin>".to_string(), buf)
    } else {
        let shown = path.display().to_string();
        let bytes = read_input(path, &shown, "runs-file")?;
        (shown, bytes)
    };
    let runs = parse_runs(&bytes).map_err(|e| Error::Input(format!("{shown}: {e}")))?;
    ui.detail(&format!("{shown}: {} runs", runs.runs.len()));
    Ok(Some(CiReport {
        health: ci_health(&runs.runs, &settings.branch, settings.runs),
        source: CiSource::RunsFile,
    }))
}

/// Serialise with other runs on the checklist's and history's directories.
fn lock(settings: &Settings, ui: &Ui) -> Result<DirLock> {
    let mut dirs: Vec<&Path> = Vec::new();
    for path in [&settings.checklist, &settings.history] {
        if let Some(dir) = path.parent().filter(|d| d.is_dir()) {
            dirs.push(dir);
        }
    }
    DirLock::acquire(&dirs, |dir| {
        ui.warn(&format!(
            "waiting for another release-dashboard run to finish (lock on {})",
            dir.display()
        ))
    })
    .map_err(|e| Error::Runtime(e.to_string()))
}

fn gate(report: &Report, ui: &Ui) -> u8 {
    print_warnings(report, ui);
    if ui.json {
        ui.data(&json_text(report));
    } else if !ui.quiet {
        ui.out(&terminal::gate_line(report));
    }
    if report.passed() { 0 } else { 1 }
}

fn build_plan(
    analysis: &Analysis,
    report: &Report,
    settings: &Settings,
    args: &UpdateArgs,
    checklist_before: Vec<u8>,
    now: jiff::Timestamp,
    cwd: &Path,
) -> Result<Plan> {
    let (after, inserted) = rewrite_checklist(analysis, report, &settings.markers, now);
    let checklist = (after != checklist_before).then(|| FileChange {
        path: settings.checklist.clone(),
        before: checklist_before,
        after,
    });
    let history = if args.no_cache {
        None
    } else {
        plan_history(report, settings, now, cwd)?
    };
    Ok(Plan {
        checklist,
        history,
        inserted,
    })
}

fn plan_history(
    report: &Report,
    settings: &Settings,
    now: jiff::Timestamp,
    cwd: &Path,
) -> Result<Option<FileChange>> {
    let path = &settings.history;
    let shown = shown_path(path, cwd);
    let before = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            return Err(Error::Runtime(format!(
                "{shown}: cannot read the history: {e}"
            )));
        }
    };
    let history =
        History::parse(&before, Path::new(&shown)).map_err(|e| Error::Input(e.to_string()))?;
    let entry = history_entry(report, &settings.categories, now);
    Ok(history_change(path.clone(), before, &history, &entry))
}

fn execute(plan: &Plan, cwd: &Path, ui: &Ui) -> Result<()> {
    for (change, create_dirs) in [(&plan.checklist, false), (&plan.history, true)] {
        if let Some(change) = change {
            let shown = shown_path(&change.path, cwd);
            write_atomic(&change.path, &change.after, create_dirs).map_err(|e| {
                Error::Runtime(format!("{shown}: {e}; the file was left as it was"))
            })?;
            ui.detail(&format!("wrote {shown}"));
        }
    }
    Ok(())
}

fn print_dry_run(plan: &Plan, cwd: &Path, ui: &Ui) {
    if ui.json {
        return;
    }
    if !plan.changes_anything() {
        ui.out("Dry run: nothing would change.");
        return;
    }
    let mut text = String::from("Dry run: nothing was written. These changes would be made:\n");
    for change in [&plan.checklist, &plan.history].into_iter().flatten() {
        text.push_str(&unified_diff(change, cwd));
    }
    ui.out(&text);
}

fn unified_diff(change: &FileChange, cwd: &Path) -> String {
    let shown = shown_path(&change.path, cwd);
    let before = String::from_utf8_lossy(&change.before);
    let after = String::from_utf8_lossy(&change.after);
    let (a, b) = if change.before.is_empty() {
        ("/dev/null".to_string(), format!("b/{shown}"))
    } else {
        (format!("a/{shown}"), format!("b/{shown}"))
    };
    TextDiff::from_lines(before.as_ref(), after.as_ref())
        .unified_diff()
        .context_radius(3)
        .header(&a, &b)
        .to_string()
}

fn print_report(report: &Report, dry_run: bool, ui: &Ui) {
    print_warnings(report, ui);
    if ui.json {
        ui.data(&json_text(report));
        return;
    }
    ui.out(&terminal::summary(report));
    let verb = match (report.changed, dry_run) {
        (false, _) => "already up to date",
        (true, true) => "would be updated",
        (true, false) => "updated",
    };
    ui.out(&format!("Dashboard {verb}."));
}

fn print_warnings(report: &Report, ui: &Ui) {
    for warning in &report.warnings {
        ui.warn(warning);
    }
}

fn json_text(report: &Report) -> String {
    serde_json::to_string_pretty(&json::report(report))
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
