//! Gates that follow CI: an item that names a workflow takes its state from
//! that workflow's latest completed run on the branch (pure).
//!
//! The binding is written in the checklist (a Workflow/CI column, a link to
//! `…/actions/workflows/FILE`) or in the config (`[gates]`). `success`
//! passes; `failure`, `timed_out`, `startup_failure` and `action_required`
//! fail; cancelled, skipped and unfinished runs are passed over. Without CI
//! data a bound item keeps its written state.

use std::ops::Range;

use serde::Serialize;

use crate::core::checklist::{Checklist, RunRef, Source};
use crate::core::ci::{CiHealth, Outcome, RunSummary, WorkflowHealth};
use crate::core::report::CiReport;
use crate::core::status::ItemState;

/// A bound workflow with no run in the window, looked up on its own (one
/// request for its newest run on the branch).
#[derive(Debug, Clone, PartialEq)]
pub struct ExtraRun {
    /// The reference as written (the lookup key).
    pub reference: String,
    /// The workflow's name, when found.
    pub workflow: Option<String>,
    /// Its newest run on the branch, when it concluded success or failure.
    pub latest_completed: Option<RunSummary>,
    /// Whether the workflow exists at all.
    pub exists: bool,
}

impl ExtraRun {
    /// A lookup that found no run to decide by: the workflow is missing
    /// (`exists: false`) or has no run on the branch.
    pub fn without_run(reference: &str, workflow: Option<String>, exists: bool) -> ExtraRun {
        ExtraRun {
            reference: reference.to_string(),
            workflow,
            latest_completed: None,
            exists,
        }
    }
}

/// How a reference names its workflow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// `ci.yml`, from a file name or a workflow link.
    pub file: Option<String>,
    /// A workflow's display name.
    pub name: Option<String>,
    /// `OWNER/REPO` of a workflow link.
    pub repo: Option<String>,
}

impl Reference {
    /// Read a reference: a link to `https://HOST/OWNER/REPO/actions/workflows/FILE`,
    /// a file name (`ci.yml`, `.github/workflows/ci.yml`), or a name.
    pub fn parse(text: &str) -> Option<Reference> {
        let text = text.trim().trim_matches(['`', '"', '\'']).trim();
        if text.is_empty() {
            return None;
        }
        if let Some((before, after)) = text.split_once("/actions/workflows/") {
            let file = after
                .split(['?', '#', '/'])
                .next()
                .filter(|f| !f.is_empty())?;
            let segments: Vec<&str> = before.rsplit('/').take(2).collect();
            let repo = (segments.len() == 2 && !segments[1].contains(':'))
                .then(|| format!("{}/{}", segments[1], segments[0]));
            return Some(Reference {
                file: Some(file.to_string()),
                name: None,
                repo,
            });
        }
        if is_workflow_file(text) && !text.contains(' ') {
            let file = text.rsplit('/').next().unwrap_or(text);
            return Some(Reference {
                file: Some(file.to_string()),
                name: None,
                repo: None,
            });
        }
        Some(Reference {
            file: None,
            name: Some(text.to_string()),
            repo: None,
        })
    }

    /// Whether `workflow` is the one named.
    pub fn matches(&self, workflow: &WorkflowHealth) -> bool {
        let stem = |file: &str| {
            file.rsplit_once('.')
                .map_or(file, |(stem, _)| stem)
                .to_lowercase()
        };
        match (&self.file, &self.name) {
            (Some(file), _) => match &workflow.file {
                Some(own) => own.eq_ignore_ascii_case(file),
                None => workflow.name.to_lowercase() == stem(file),
            },
            (None, Some(name)) => {
                workflow.name.trim().eq_ignore_ascii_case(name.trim())
                    || workflow
                        .file
                        .as_deref()
                        .is_some_and(|f| stem(f) == name.to_lowercase())
            }
            (None, None) => false,
        }
    }

    /// The key for a lookup outside the window: the file name, or the name.
    pub fn lookup_key(&self) -> Option<&str> {
        self.file.as_deref().or(self.name.as_deref())
    }
}

/// Whether `text` ends like a workflow file (`.yml`, `.yaml`, any case).
pub fn is_workflow_file(text: &str) -> bool {
    std::path::Path::new(text)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml"))
}

/// CI disagrees with what is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Drift {
    pub category: String,
    pub item: String,
    pub line: usize,
    pub written: ItemState,
    pub ci: ItemState,
    pub run: Option<RunRef>,
}

impl Drift {
    /// "Build & Unit Tests: written ✅, CI ❌ failure (run #812)".
    pub fn describe(&self) -> String {
        let run = self.run.as_ref().map_or(String::new(), |r| {
            format!(
                " {} (run #{})",
                r.conclusion.as_deref().unwrap_or("no conclusion"),
                r.number.unwrap_or(r.id)
            )
        });
        format!(
            "{}: written {}, CI {}{run}",
            self.item,
            self.written.emoji(),
            self.ci.emoji()
        )
    }
}

/// What binding items to CI did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Gates {
    /// Items that name a workflow.
    pub bound: usize,
    /// Bound items whose state came from CI.
    pub from_ci: usize,
    /// Bound items that kept their written state (no CI data, or the
    /// workflow is unknown).
    pub kept_written: usize,
    /// Where CI disagrees with what is written.
    pub drift: Vec<Drift>,
    /// Written statuses rewritten to what CI says (`--sync-status`).
    pub synced: usize,
}

/// The references of bound items whose workflow has no run in the window:
/// what to look up on its own, each once.
pub fn outside_window(checklist: &Checklist, health: &CiHealth) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for item in checklist.sections.iter().flat_map(|s| &s.items) {
        let Some(reference) = item.workflow.as_deref().and_then(Reference::parse) else {
            continue;
        };
        let in_window = health.workflows.iter().any(|w| reference.matches(w));
        if let Some(key) = reference.lookup_key()
            && !in_window
            && !keys.iter().any(|k| k == key)
        {
            keys.push(key.to_string());
        }
    }
    keys
}

/// Give each bound item the state of its workflow's latest completed run,
/// keeping the written one in `written`; record drift. `repo` (`OWNER/REPO`)
/// is the repository whose runs these are: links to another repository's
/// workflows are not bindings.
pub fn apply(
    checklist: &mut Checklist,
    ci: Option<&CiReport>,
    repo: Option<&str>,
    warnings: &mut Vec<String>,
) -> Gates {
    let mut gates = Gates::default();
    for section in &mut checklist.sections {
        let category = section.heading.text.clone();
        for item in &mut section.items {
            let Some(written_ref) = item.workflow.clone() else {
                continue;
            };
            let Some(reference) = Reference::parse(&written_ref) else {
                continue;
            };
            if let (Some(theirs), Some(ours)) = (&reference.repo, repo)
                && !theirs.eq_ignore_ascii_case(ours)
            {
                warnings.push(format!(
                    "line {}: \"{}\" links to a workflow of {theirs}, not of {ours}; it keeps its written state",
                    item.line, item.name
                ));
                item.workflow = None;
                continue;
            }
            gates.bound += 1;
            let Some(ci) = ci else {
                gates.kept_written += 1;
                continue;
            };
            let lookup = find(&reference, &ci.health, &ci.extra);
            let (label, latest) = match lookup {
                Lookup::Unknown => {
                    warnings.push(unknown_warning(
                        item.line,
                        &item.name,
                        &written_ref,
                        &ci.health,
                    ));
                    gates.kept_written += 1;
                    continue;
                }
                Lookup::Found { label, latest } => (label, latest),
            };
            let (state, run) = if let Some(run) = latest {
                let state = match run.outcome {
                    Outcome::Success => ItemState::Pass,
                    Outcome::Failed => ItemState::Fail,
                    Outcome::Other => ItemState::Pending,
                };
                (state, Some(run_ref(run, &label)))
            } else {
                warnings.push(format!(
                    "line {}: \"{}\": workflow \"{label}\" has no completed run on {}; counted as pending",
                    item.line, item.name, ci.health.branch
                ));
                (ItemState::Pending, None)
            };
            let written = item.state;
            let differs = if item.decided_by.starts_with('[') {
                // A checkbox says done or not: pending and failing are both `[ ]`.
                (written == ItemState::Pass) != (state == ItemState::Pass)
            } else {
                written != state
            };
            if differs {
                gates.drift.push(Drift {
                    category: category.clone(),
                    item: item.name.clone(),
                    line: item.line,
                    written,
                    ci: state,
                    run: run.clone(),
                });
            }
            item.written = Some(written);
            item.state = state;
            item.source = Source::Ci;
            item.run = run;
            gates.from_ci += 1;
        }
    }
    gates
}

enum Lookup<'a> {
    Found {
        label: String,
        latest: Option<&'a RunSummary>,
    },
    Unknown,
}

fn find<'a>(reference: &Reference, health: &'a CiHealth, extra: &'a [ExtraRun]) -> Lookup<'a> {
    if let Some(workflow) = health.workflows.iter().find(|w| reference.matches(w)) {
        return Lookup::Found {
            label: workflow.name.clone(),
            latest: workflow.latest_completed.as_ref(),
        };
    }
    let key = reference.lookup_key().unwrap_or_default();
    match extra.iter().find(|e| e.reference == key) {
        Some(e) if e.exists => Lookup::Found {
            label: e.workflow.clone().unwrap_or_else(|| key.to_string()),
            latest: e.latest_completed.as_ref(),
        },
        _ => Lookup::Unknown,
    }
}

fn run_ref(run: &RunSummary, workflow: &str) -> RunRef {
    RunRef {
        id: run.id,
        number: run.run_number,
        url: run.url.clone(),
        conclusion: run.conclusion.clone(),
        workflow: workflow.to_string(),
    }
}

fn unknown_warning(line: usize, item: &str, reference: &str, health: &CiHealth) -> String {
    let known: Vec<String> = health
        .workflows
        .iter()
        .map(|w| match &w.file {
            Some(file) => format!("{} ({file})", w.name),
            None => w.name.clone(),
        })
        .collect();
    let known = if known.is_empty() {
        "none".to_string()
    } else {
        known.join(", ")
    };
    format!(
        "line {line}: \"{item}\" names workflow \"{reference}\", which is unknown on {}; it keeps its written state (workflows with runs: {known})",
        health.branch
    )
}

/// The in-place edits that make each bound item's written status say what
/// CI says: a task's checkbox, or a status cell's text. Only items whose
/// written state disagrees, and only where the status can be rewritten.
pub fn sync_edits(checklist: &Checklist) -> Vec<(Range<usize>, String)> {
    let mut edits = Vec::new();
    for item in checklist.sections.iter().flat_map(|s| &s.items) {
        let (Some(written), Some(span), Source::Ci) =
            (item.written, &item.status_span, item.source)
        else {
            continue;
        };
        let checkbox = item.decided_by.starts_with('[');
        let text = if checkbox {
            if (written == ItemState::Pass) == (item.state == ItemState::Pass) {
                continue;
            }
            if item.state == ItemState::Pass {
                "[x]"
            } else {
                "[ ]"
            }
        } else {
            if written == item.state {
                continue;
            }
            match item.state {
                ItemState::Pass => "✅ PASS",
                ItemState::Fail => "❌ FAIL",
                ItemState::Pending | ItemState::Skipped => "⏳ PENDING",
            }
        };
        edits.push((span.clone(), text.to_string()));
    }
    edits.sort_by_key(|(range, _)| range.start);
    edits
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn references_by_link_file_and_name() {
        let link = Reference::parse(
            "https://github.com/acme/widget/actions/workflows/ci_tests_dev.yaml?query=branch%3Amain",
        )
        .unwrap();
        assert_eq!(link.file.as_deref(), Some("ci_tests_dev.yaml"));
        assert_eq!(link.repo.as_deref(), Some("acme/widget"));
        let file = Reference::parse("`.github/workflows/ci.yml`").unwrap();
        assert_eq!(file.file.as_deref(), Some("ci.yml"));
        let name = Reference::parse("Nightly E2E").unwrap();
        assert_eq!(name.name.as_deref(), Some("Nightly E2E"));
        assert_eq!(Reference::parse("  "), None);
    }
}
