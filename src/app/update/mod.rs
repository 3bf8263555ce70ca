//! The imperative shell of an update: read inputs, build the plan, then
//! print it (`--dry-run`), judge it (`--check-only`) or execute it, and
//! finally talk to the pull request and to Slack.

mod actions_step;
pub(crate) mod ci_source;
mod commit;
mod deliver;
mod links;
mod output;
pub mod plan;
mod pr;
mod slack;

use ci_source::Github;

use std::path::{Path, PathBuf};

use crate::app::update::plan::{FileChange, HistoryChange, Plan, rewrite_checklist};
use crate::cli::settings::{Mode, Publish, UpdateRun, resolve_update};
use crate::cli::{Format, UpdateArgs};
use crate::core::analysis::analyse;
use crate::core::gates::outside_window;
use crate::core::history::History;
use crate::core::history::{HistoryError, NewEntry, charted, previous_score};
use crate::core::report::{CiReport, Provenance, Report};
use crate::core::settings::Settings;
use crate::error::{Error, Result};
use crate::shell::atomic::{AtomicError, remove_leftovers, stage, stage_spliced};
use crate::shell::clock;
use crate::shell::input::{self, InputError};
use crate::shell::lock::DirLock;
use crate::shell::ui::Ui;

/// What stays the same when an update is redone after a push race.
pub(crate) struct Context<'a> {
    pub(crate) run: &'a UpdateRun,
    pub(crate) cwd: &'a Path,
    pub(crate) ci: Option<CiReport>,
    pub(crate) ci_warnings: Vec<String>,
    pub(crate) now: jiff::Timestamp,
}

/// One computed update: what it found and what it would write.
pub(crate) struct Prepared {
    pub(crate) report: Report,
    plan: Plan,
    previous_score: Option<f64>,
    /// The checklist's bytes when the plan leaves it as it was.
    checklist_kept: Vec<u8>,
    /// The history when the plan leaves it.
    history_kept: Kept,
    /// Where a redone update read the history (origin's, in a temporary
    /// file): its plan is not written, so git gets the splice as a stream.
    redone_from: Option<tempfile::TempPath>,
}

impl Prepared {
    /// The checklist as read, and as it is after the update.
    pub(crate) fn checklist(&self) -> (&[u8], &[u8]) {
        self.plan
            .checklist
            .as_ref()
            .map_or((&self.checklist_kept, &self.checklist_kept), |c| {
                (&c.before, &c.after)
            })
    }

    /// The history as read and as it is after the update, `None` when
    /// there is none. A spliced history is read from disk, so this is
    /// for after the plan was written.
    pub(crate) fn history(&self) -> Option<(Content<'_>, Content<'_>)> {
        if let Some(source) = &self.redone_from {
            let source: &Path = source;
            return Some(match &self.plan.history {
                Some(HistoryChange::Splice { append, .. }) => {
                    (Content::File(source), Content::Spliced(source, append))
                }
                Some(HistoryChange::Whole(h)) => {
                    (Content::Bytes(&h.before), Content::Bytes(&h.after))
                }
                None => (Content::File(source), Content::File(source)),
            });
        }
        match (&self.plan.history, &self.history_kept) {
            (Some(HistoryChange::Whole(h)), _) => {
                Some((Content::Bytes(&h.before), Content::Bytes(&h.after)))
            }
            (Some(HistoryChange::Splice { path, append }), _) => {
                let cut = append.head..append.head + append.insert.len() as u64;
                Some((Content::FileWithout(path, cut), Content::File(path)))
            }
            (None, Kept::Bytes(bytes)) if bytes.is_empty() => None,
            (None, Kept::Bytes(bytes)) => Some((Content::Bytes(bytes), Content::Bytes(bytes))),
            (None, Kept::OnDisk(path)) => Some((Content::File(path), Content::File(path))),
        }
    }

    /// This update was redone on a history read from `file` (see
    /// [`Prepared::history`]), which lives as long as the update.
    fn read_from(&mut self, file: tempfile::TempPath) {
        self.redone_from = Some(file);
    }
}

/// The history left as it was: its bytes (empty: no file), or the file on
/// disk when it was streamed.
enum Kept {
    Bytes(Vec<u8>),
    OnDisk(PathBuf),
}

/// A file's content for git: bytes, the file on disk, the file without a
/// byte range (what a spliced history held before the splice), or the file
/// with a splice applied (a redone update's history).
pub(crate) enum Content<'a> {
    Bytes(&'a [u8]),
    File(&'a Path),
    FileWithout(&'a Path, std::ops::Range<u64>),
    Spliced(&'a Path, &'a crate::core::history::Append),
}

/// The bare command: score, rewrite, record, publish, comment, alert.
pub fn update(args: &UpdateArgs) -> Result<u8> {
    let ui = Ui::new(args.quiet, args.verbose, args.format == Format::Json);
    let cwd = current_dir()?;
    let run = resolve_update(args, &cwd)?;
    let settings = &run.settings;
    ui.detail(&format!(
        "checklist: {}",
        shown_path(&settings.checklist, &cwd)
    ));
    match run.publish {
        Publish::None => {}
        Publish::Commit | Publish::OpenPr => commit::preflight(&run)?,
    }
    // A bad checklist is reported (exit 2) before any network request;
    // runs that stay offline read it only once, in `prepare`.
    let early = if ci_source::needs_api(&run) {
        let shown = shown_path(&settings.checklist, &cwd);
        Some(analyse(
            &shown,
            &read_input(&settings.checklist, &shown, "checklist")?,
            settings,
        )?)
    } else {
        None
    };
    let github = ci_source::github(&run, &ui)?;
    let (mut ci, mut ci_warnings) = ci_source::load(&run, github.as_ref(), &ui)?;
    // Bound workflows with no run in the window: one request each.
    if let (Some(ci), Some(github), Some(early)) = (ci.as_mut(), github.as_ref(), early.as_ref()) {
        let keys = outside_window(&early.checklist, &ci.health);
        if !keys.is_empty() {
            ci_warnings.extend(ci_source::look_up_bound(github, settings, ci, &keys, &ui));
        }
    }
    let context = Context {
        run: &run,
        cwd: &cwd,
        ci,
        ci_warnings,
        now: clock::now()?,
    };
    let _lock = match run.mode {
        Mode::Write => {
            let cache = github.as_ref().map(|g| g.cache_path.as_path());
            Some(lock(settings, cache, &ui)?)
        }
        Mode::DryRun | Mode::CheckOnly => None,
    };
    let mut prepared = prepare(&context, run.mode != Mode::CheckOnly)?;
    let provenance = match run.output.format {
        Format::Json => links::provenance(&run.github, settings, context.now),
        Format::Text => Provenance::default(),
    };
    match run.mode {
        Mode::CheckOnly => {
            let code = output::gate(&prepared.report, &provenance, &ui);
            return reach_people(&context, github.as_ref(), &prepared, code, &ui);
        }
        Mode::DryRun => {
            output::dry_run(&prepared.plan, &cwd, &ui);
            commit::describe_dry_run(&run, &ui);
        }
        Mode::Write => {
            execute(&prepared.plan, &cwd, &ui)?;
            if let Some(github) = &github {
                ci_source::save_cache(github, &run, &ui);
            }
            if run.publish != Publish::None {
                // A race: the update redone on the files origin now holds.
                let redo = |checklist: Vec<u8>,
                            history: Option<tempfile::TempPath>,
                            shown: &str| {
                    let Some(file) = history else {
                        return prepare_from(&context, checklist, Some(History::default()), true);
                    };
                    let parsed =
                        crate::shell::history::read_tail(&file, Path::new(shown), HISTORY_TAIL)
                            .map_err(|e| Error::Input(e.to_string()))?;
                    let mut prepared = prepare_from(&context, checklist, Some(parsed), true)?;
                    prepared.read_from(file);
                    Ok(prepared)
                };
                prepared = commit::publish(&run, github.as_ref(), &ui, prepared, redo)?;
            }
        }
    }
    output::report(&prepared.report, &provenance, run.mode == Mode::DryRun, &ui);
    reach_people(&context, github.as_ref(), &prepared, 0, &ui)
}

/// The last steps of every mode: Actions outputs, then every delivery (all
/// always attempted). Returns the exit code: the gate's, or 1 for a failure
/// under `--strict`.
fn reach_people(
    context: &Context<'_>,
    github: Option<&Github>,
    prepared: &Prepared,
    gate: u8,
    ui: &Ui,
) -> Result<u8> {
    actions_step::publish(&prepared.report, gate != 0, context.now)?;
    deliver::all(
        context.run,
        github,
        &prepared.report,
        prepared.previous_score,
        gate,
        ui,
    )
}

/// Read the checklist and history as they are on disk and compute the
/// report and (when `with_plan`) everything to write.
pub(crate) fn prepare(context: &Context<'_>, with_plan: bool) -> Result<Prepared> {
    let Context { run, cwd, .. } = *context;
    let settings = &run.settings;
    let shown = shown_path(&settings.checklist, cwd);
    let bytes = read_input(&settings.checklist, &shown, "checklist")?;
    // The gate alone needs no history: a broken history file must not fail it.
    let history = if with_plan || run.comments_on_pr() {
        Some(load_history_tail(&settings.history, cwd, HISTORY_TAIL)?)
    } else {
        None
    };
    prepare_from(context, bytes, history, with_plan)
}

/// [`prepare`] on given bytes: the checklist's, and the history's (raw and
/// parsed; `None` when not needed).
pub(crate) fn prepare_from(
    context: &Context<'_>,
    bytes: Vec<u8>,
    history: Option<History>,
    with_plan: bool,
) -> Result<Prepared> {
    let Context { run, cwd, now, .. } = *context;
    let settings = &run.settings;
    let shown = shown_path(&settings.checklist, cwd);
    let mut analysis =
        analyse(&shown, &bytes, settings)?.with_ci(context.ci.as_ref(), run.github.repo.as_deref());
    if with_plan && settings.sync_status && context.ci.is_some() {
        analysis.settle_synced_drift();
    }
    let history = history.unwrap_or_default();
    let mut report = Report {
        checklist: shown,
        score: analysis.score.clone(),
        threshold: settings.threshold,
        ci: context.ci.clone(),
        changed: false,
        warnings: [analysis.warnings.clone(), context.ci_warnings.clone()].concat(),
    };
    let entry = NewEntry::for_run(&report, &analysis.categories, now);
    let appended = history.append(&entry);
    let previous_score = previous_score(&history, appended.is_some());
    if !with_plan {
        return Ok(Prepared {
            report,
            plan: Plan::default(),
            previous_score,
            checklist_kept: bytes,
            history_kept: kept(history, &settings.history),
            redone_from: None,
        });
    }
    let appended = appended.filter(|_| run.record);
    let recorded = appended.is_some().then(|| entry.read_back());
    let chart = charted(&history, recorded.as_ref());
    let (after, inserted) = rewrite_checklist(
        &analysis,
        &report,
        &settings.markers,
        settings.block_heading,
        settings.sync_status,
        now,
        &chart,
    )
    .map_err(|e| Error::Input(format!("{}: {e}", report.checklist)))?;
    drop(chart);
    if !inserted.is_empty() {
        same_reading(&analysis, &after, settings, &report.checklist, &inserted)?;
    }
    // A held history's text becomes the plan's "before" bytes without a copy.
    let history_path = &settings.history;
    let (checklist, checklist_kept) = if after == bytes {
        (None, bytes)
    } else {
        let change = FileChange {
            path: settings.checklist.clone(),
            before: bytes,
            after,
        };
        (Some(change), Vec::new())
    };
    let (history, history_kept) = match appended {
        Some(append) if history.is_held() => {
            let before = history.into_source().unwrap_or_default();
            let change = FileChange {
                path: history_path.clone(),
                after: append.apply(&before),
                before,
            };
            (Some(HistoryChange::Whole(change)), Kept::Bytes(Vec::new()))
        }
        Some(append) => {
            let change = HistoryChange::Splice {
                path: history_path.clone(),
                append,
            };
            (Some(change), Kept::Bytes(Vec::new()))
        }
        None => (None, kept(history, history_path)),
    };
    let plan = Plan {
        checklist,
        history,
        inserted,
    };
    report.changed = plan.changes_anything();
    for name in &plan.inserted {
        report.warnings.push(format!(
            "{}: no <!-- {name}_START --> / <!-- {name}_END --> markers; inserting the block",
            report.checklist
        ));
    }
    Ok(Prepared {
        report,
        plan,
        previous_score,
        checklist_kept,
        history_kept,
        redone_from: None,
    })
}

/// What the prepared run keeps of a history it does not change.
fn kept(history: History, path: &Path) -> Kept {
    match history.into_source() {
        Some(bytes) => Kept::Bytes(bytes),
        None => Kept::OnDisk(path.to_path_buf()),
    }
}

pub(crate) fn current_dir() -> Result<PathBuf> {
    std::env::current_dir()
        .map_err(|e| Error::Runtime(format!("cannot read the current directory: {e}")))
}

pub(crate) fn shown_path(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}

/// A regular input file's bytes (see [`crate::shell::input`]): the
/// checklist (capped like text), or the runs file (capped like streamed input).
pub(crate) fn read_input(path: &Path, shown: &str, what: &str) -> Result<Vec<u8>> {
    let cap = if what == "checklist" {
        input::TEXT_MIB
    } else {
        input::STREAMED_MIB
    };
    input::read_regular(path, cap).map_err(|e| input_error(e, shown, what))
}

/// An input that could not be read, in words: exit 2 with the fix, or
/// exit 1 for an I/O failure.
pub(crate) fn input_error(error: InputError, shown: &str, what: &str) -> Error {
    match error {
        InputError::NotFound => Error::Input(format!(
            "{shown}: {what} not found; check the path (--{what} PATH)"
        )),
        InputError::IsDirectory => Error::Input(format!(
            "{shown}: is a directory; give the {what} file itself (--{what} PATH)"
        )),
        InputError::Io(e) => Error::Runtime(format!("{shown}: cannot read the {what}: {e}")),
        unusable => Error::Input(format!("{shown}: the {what} {unusable} (--{what} PATH)")),
    }
}

/// Entries an update keeps in memory: the last one decides whether to
/// append, and the chart shows the last 30 that have a score.
const HISTORY_TAIL: usize = 1000;

/// [`load_history`] keeping only the newest `keep` entries, streamed from
/// the file (its bytes are not held).
pub(crate) fn load_history_tail(path: &Path, cwd: &Path, keep: usize) -> Result<History> {
    let shown = shown_path(path, cwd);
    crate::shell::history::read_tail(path, Path::new(&shown), keep).map_err(|e| match e {
        HistoryError::Read { source, .. } => {
            Error::Runtime(format!("{shown}: cannot read the history: {source}"))
        }
        other => Error::Input(other.to_string()),
    })
}

/// The history file's bytes (empty when absent) and its parsed entries.
pub(crate) fn load_history(path: &Path, cwd: &Path) -> Result<(Vec<u8>, History)> {
    let shown = shown_path(path, cwd);
    crate::shell::history::read(path, Path::new(&shown)).map_err(|e| match e {
        HistoryError::Read { source, .. } => {
            Error::Runtime(format!("{shown}: cannot read the history: {source}"))
        }
        other => Error::Input(other.to_string()),
    })
}

/// An inserted block must not change what the next run counts (e.g. by
/// ending an HTML block that swallowed the rest of the file): the updated
/// file is read again and must hold the same items, else nothing is
/// written.
fn same_reading(
    analysis: &crate::core::analysis::Analysis,
    after: &[u8],
    settings: &Settings,
    shown: &str,
    inserted: &[String],
) -> Result<()> {
    let names = |checklist: &crate::core::checklist::Checklist| -> Vec<String> {
        checklist
            .sections
            .iter()
            .flat_map(|s| s.items.iter().map(|i| i.name.clone()))
            .collect()
    };
    let before = names(&analysis.checklist);
    let again = analyse(shown, after, settings).map(|a| names(&a.checklist));
    if again.as_ref().is_ok_and(|again| *again == before) {
        return Ok(());
    }
    let counted = again.map_or_else(
        |_| "no longer be readable".to_string(),
        |again| format!("count {} items instead of {}", again.len(), before.len()),
    );
    let first = &inserted[0];
    Err(Error::Input(format!(
        "{shown}: inserting the {} block would change how the checklist is read (it would {counted}); an HTML block such as `<div>` with no blank line after it probably runs into the place the block goes. Add a blank line after it, or add `<!-- {first}_START -->` and `<!-- {first}_END -->` on lines of their own where the block should go",
        inserted.join(" and "),
    )))
}

/// Serialise with other runs on the checklist's and history's directories,
/// say if the previous holder died holding the lock, then clear away what
/// a killed run left (see [`clear_leftovers`]).
fn lock(settings: &Settings, cache: Option<&Path>, ui: &Ui) -> Result<DirLock> {
    let dirs: Vec<&Path> = [&settings.checklist, &settings.history]
        .into_iter()
        .filter_map(|path| path.parent().filter(|d| d.is_dir()))
        .collect();
    let lock = DirLock::acquire(&dirs, |dir| {
        ui.warn(&format!(
            "waiting for another release-dashboard run to finish (lock on {})",
            dir.display()
        ));
    })
    .map_err(|e| Error::Runtime(e.to_string()))?;
    if let Some(holder) = lock.stale_holder() {
        ui.warn(&format!(
            "recovered the lock: the previous run here ({holder}) ended without releasing it \
             (killed?); the system had already freed it"
        ));
    }
    clear_leftovers(settings, cache, ui);
    Ok(lock)
}

/// Remove (and mention) the temporary files a killed run left beside the
/// checklist, the history and the HTTP `cache`. Only under the lock.
fn clear_leftovers(settings: &Settings, cache: Option<&Path>, ui: &Ui) {
    let paths = [
        Some(settings.checklist.as_path()),
        Some(settings.history.as_path()),
        cache,
    ];
    for path in paths.into_iter().flatten() {
        for leftover in remove_leftovers(path) {
            ui.warn(&format!(
                "removed {}, left by a run that was killed while writing; {} itself is intact",
                leftover.display(),
                path.display()
            ));
        }
    }
}

/// Write the plan: every file is first staged (written and synced beside
/// its target), and only when all are staged are they renamed into place,
/// so a full disk or a permission problem changes no file.
fn execute(plan: &Plan, cwd: &Path, ui: &Ui) -> Result<()> {
    let mut staged = Vec::new();
    if let Some(change) = &plan.checklist {
        let shown = shown_path(&change.path, cwd);
        let file = stage(&change.path, &change.after, false)
            .map_err(|e| write_failed(&shown, &e, "no file was changed"))?;
        staged.push((shown, file));
    }
    if let Some(change) = &plan.history {
        let shown = shown_path(change.path(), cwd);
        let file = match change {
            HistoryChange::Whole(change) => stage(&change.path, &change.after, true),
            HistoryChange::Splice { path, append } => stage_spliced(path, append),
        }
        .map_err(|e| write_failed(&shown, &e, "no file was changed"))?;
        staged.push((shown, file));
    }
    let mut written: Vec<String> = Vec::new();
    for (shown, file) in staged {
        file.commit().map_err(|e| {
            let outcome = if written.is_empty() {
                "no file was changed".to_string()
            } else {
                format!(
                    "{} was already updated, {shown} was left as it was",
                    written.join(" and ")
                )
            };
            write_failed(&shown, &e, &outcome)
        })?;
        ui.detail(&format!("wrote {shown}"));
        written.push(shown);
    }
    Ok(())
}

/// The message for a failed write: what failed, what the user can do, and
/// which files changed.
pub(super) fn write_failed(shown: &str, error: &AtomicError, outcome: &str) -> Error {
    let hint = error.hint().map(|h| format!(" ({h})")).unwrap_or_default();
    Error::Runtime(format!("{shown}: {error}{hint}; {outcome}"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const BEFORE: &str = "# T\n## Core\n- [x] a\n## Optional\n- [ ] b\n## Deployment\n- [x] c\n## Sign-off\n- [x] d\n";

    #[test]
    fn an_insertion_that_changes_the_items_is_refused() {
        let settings = Settings::defaults(PathBuf::from("release-checklist.md"));
        let analysis = analyse("c.md", BEFORE.as_bytes(), &settings).unwrap();
        let names = ["READINESS_SCORE".to_string()];
        let same = BEFORE.replace(
            "# T\n",
            "# T\n\n<!-- READINESS_SCORE_START -->\nx\n<!-- READINESS_SCORE_END -->\n",
        );
        assert!(same_reading(&analysis, same.as_bytes(), &settings, "c.md", &names).is_ok());
        let more = BEFORE.replace("- [x] a\n", "- [x] a\n- [ ] e\n");
        let err = same_reading(&analysis, more.as_bytes(), &settings, "c.md", &names)
            .unwrap_err()
            .to_string();
        assert!(err.contains("count 5 items instead of 4"), "{err}");
        assert!(
            err.starts_with("c.md: inserting the READINESS_SCORE block"),
            "{err}"
        );
    }
}
