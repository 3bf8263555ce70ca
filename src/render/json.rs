//! `--format json`: one object describing the run.

use serde_json::{Value, json};

use crate::core::ci::CiHealth;
use crate::core::report::CiSource;
use crate::core::report::{Provenance, Report};
use crate::core::score::round2;

/// The JSON schema version; bump on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

/// The report as a JSON value (see the README for the schema); the
/// provenance fields (`repository`, `branch`, `checklist_url`,
/// `generated_at`) are additions within schema version 1.
pub fn report(r: &Report, provenance: &Provenance) -> Value {
    let s = &r.score;
    let categories: Vec<Value> = s
        .categories
        .iter()
        .map(|c| {
            json!({
                "name": c.name,
                "weight": c.weight,
                "passing": c.passing,
                "failing": c.failing,
                "pending": c.pending,
                "skipped": c.skipped,
                "total": c.total,
                "score": c.score.map(round2),
                "items": c.items,
            })
        })
        .collect();
    json!({
        "schema_version": SCHEMA_VERSION,
        "checklist": r.checklist,
        "score": round2(s.total),
        "status": s.band.as_str(),
        "status_text": s.band.text(),
        "threshold": r.threshold,
        "passed": r.passed(),
        "categories": categories,
        "blockers": s.blockers,
        "ci": r.ci.as_ref().map(|c| ci(&c.health, c.source)),
        "changed": r.changed,
        "warnings": r.warnings,
        "repository": provenance.repository,
        "branch": provenance.branch,
        "checklist_url": provenance.checklist_url,
        "generated_at": provenance.generated_at,
    })
}

fn ci(h: &CiHealth, source: CiSource) -> Value {
    let round_rate = |rate: Option<f64>| rate.map(round2);
    let workflows: Vec<Value> = h
        .workflows
        .iter()
        .map(|w| {
            json!({
                "name": w.name,
                "runs": w.runs,
                "success": w.success,
                "failed": w.failed,
                "pass_rate": round_rate(w.pass_rate),
                "latest": w.latest,
            })
        })
        .collect();
    json!({
        "source": source.as_str(),
        "branch": h.branch,
        "runs": h.runs,
        "success": h.success,
        "failed": h.failed,
        "other": h.other,
        "success_rate": round_rate(h.success_rate),
        "health": h.health,
        "workflows": workflows,
        "failing_workflows": h.failing_workflows,
        "other_branches": h.other_branches,
    })
}
