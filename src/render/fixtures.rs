//! Test data shared by the renderers' tests: the seed's example checklist
//! (7/8, 7/8, 6/8, 11/14 → 84.11, one Core blocker) with CI data.
#![allow(clippy::unwrap_used)]

use crate::core::category::default_categories;
use crate::core::checklist::{Checklist, Heading, Item, Section};
use crate::core::ci::{CiHealth, FailingWorkflow, Health, Outcome, RunSummary};
use crate::core::report::CiSource;
use crate::core::report::{CiReport, Report};
use crate::core::score::score;
use crate::core::status::ItemState;
use crate::render::pr_comment::CommentLinks;

pub(crate) fn item(name: &str, state: ItemState, owner: Option<&str>, line: usize) -> Item {
    Item {
        name: name.to_string(),
        state,
        owner: owner.map(str::to_string),
        line,
        decided_by: String::new(),
        optional: false,
        workflow: None,
        source: crate::core::checklist::Source::Written,
        run: None,
        written: None,
        status_span: None,
    }
}

/// `pass` passing items, then the given non-passing ones.
pub(crate) fn section(line: usize, pass: usize, others: Vec<Item>) -> Section {
    let mut items: Vec<Item> = (0..pass)
        .map(|i| item(&format!("item {i}"), ItemState::Pass, None, line + 1 + i))
        .collect();
    items.extend(others);
    Section {
        heading: Heading {
            level: 2,
            text: "h".into(),
            line,
            offset: 0,
        },
        items,
    }
}

/// A failed run `minutes` after 2026-11-01T00:00:00Z.
pub(crate) fn run(id: u64, minutes: i64) -> RunSummary {
    RunSummary {
        id,
        run_number: Some(id),
        status: Some("completed".into()),
        conclusion: Some("failure".into()),
        outcome: Outcome::Failed,
        duration_seconds: Some(125),
        at: Some(jiff::Timestamp::from_second(1_793_491_200 + minutes * 60).unwrap()),
        url: Some(format!("https://github.com/acme/widget/actions/runs/{id}")),
        event: Some("push".into()),
        display_title: Some(format!("commit {id}")),
    }
}

pub(crate) fn failing(
    name: &str,
    failures: usize,
    runs: usize,
    latest_failure: RunSummary,
) -> FailingWorkflow {
    FailingWorkflow {
        name: name.into(),
        failures,
        runs,
        latest_failure,
    }
}

/// Critical CI health on `main` over 20 runs (one "other").
pub(crate) fn ci_health(
    success: usize,
    failed: usize,
    failing_workflows: Vec<FailingWorkflow>,
) -> CiHealth {
    CiHealth {
        branch: "main".into(),
        runs: 20,
        success,
        failed,
        other: 20 - success - failed,
        success_rate: Some(success as f64 * 100.0 / (success + failed) as f64),
        health: Health::Critical,
        workflows: vec![],
        failing_workflows,
        other_branches: vec![],
    }
}

/// No run on `main`; the runs file holds 12 on `master` and 3 on `dev_x`.
pub(crate) fn wrong_branch() -> Report {
    let mut health = ci_health(0, 0, vec![]);
    health.runs = 0;
    health.other = 0;
    health.success_rate = None;
    health.health = Health::Unknown;
    health.other_branches = vec![
        crate::core::ci::BranchRuns {
            branch: "master".into(),
            runs: 12,
        },
        crate::core::ci::BranchRuns {
            branch: "dev_x".into(),
            runs: 3,
        },
    ];
    let mut report = typical(health);
    if let Some(ci) = report.ci.as_mut() {
        ci.source = CiSource::RunsFile;
    }
    report
}

/// The seed example with `ci`.
pub(crate) fn typical(ci: CiHealth) -> Report {
    let checklist = Checklist {
        sections: vec![
            section(
                10,
                7,
                vec![item(
                    "Security Audit",
                    ItemState::Pending,
                    Some("@sec-team"),
                    18,
                )],
            ),
            section(30, 7, vec![item("Chaos test", ItemState::Fail, None, 38)]),
            section(
                50,
                6,
                vec![
                    item("Canary", ItemState::Fail, None, 57),
                    item("Rollback drill", ItemState::Pending, None, 58),
                ],
            ),
            section(
                70,
                11,
                (0..3)
                    .map(|i| item(&format!("sign {i}"), ItemState::Pending, None, 82 + i))
                    .collect(),
            ),
        ],
        warnings: vec![],
        passed_over: vec![],
    };
    let score = score(&checklist, &default_categories(), &mut vec![]).unwrap();
    Report {
        checklist: "docs/release-checklist.md".into(),
        score,
        threshold: 90.0,
        ci: Some(CiReport {
            health: ci,
            source: CiSource::Api,
            extra: Vec::new(),
        }),
        changed: true,
        warnings: vec![],
    }
}

pub(crate) fn links() -> CommentLinks {
    CommentLinks {
        checklist: Some(
            "https://github.com/acme/widget/blob/main/docs/release-checklist.md".into(),
        ),
        actions: Some("https://github.com/acme/widget/actions".into()),
    }
}
