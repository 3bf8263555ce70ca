//! `--format json`: one object describing the run.

use serde_json::{Value, json};

use crate::core::ci::CiHealth;
use crate::core::report::CiSource;
use crate::core::report::{Provenance, Report};
use crate::core::score::{CategoryScore, round2};

/// The JSON schema version; bump on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

/// The report as a JSON value (see the README for the schema); the
/// provenance fields (`repository`, `branch`, `checklist_url`,
/// `generated_at`) are additions within schema version 1.
pub fn report(r: &Report, provenance: &Provenance) -> Value {
    let s = &r.score;
    let categories: Vec<Value> = s.categories.iter().map(category).collect();
    json!({
        "schema_version": SCHEMA_VERSION,
        "checklist": r.checklist,
        "score": round2(s.total),
        "status": s.band.as_str(),
        "status_text": s.band.text(),
        "threshold": r.threshold,
        "passed": r.passed(),
        "categories_from": s.categories_from.as_str(),
        "categories": categories,
        "blockers": s.blockers,
        "gates": {
            "bound": s.gates.bound,
            "from_ci": s.gates.from_ci,
            "kept_written": s.gates.kept_written,
            "synced": s.gates.synced,
        },
        "drift": s.gates.drift.iter().map(|d| json!({
            "category": d.category,
            "item": d.item,
            "line": d.line,
            "written": d.written,
            "ci": d.ci,
            "run": d.run.as_ref().map(|r| json!({
                "id": r.id,
                "number": r.number,
                "url": r.url,
                "conclusion": r.conclusion,
                "workflow": r.workflow,
            })),
            "run_url": d.run.as_ref().and_then(|r| r.url.clone()),
        })).collect::<Vec<_>>(),
        "ci": r.ci.as_ref().map(|c| ci(&c.health, c.source)),
        "changed": r.changed,
        "warnings": r.warnings,
        "repository": provenance.repository,
        "branch": provenance.branch,
        "checklist_url": provenance.checklist_url,
        "generated_at": provenance.generated_at,
    })
}

/// The JSON printed on stdout when a `--format json` run fails, so a
/// script always gets a JSON document:
/// `{"schema_version": 1, "error": {"kind", "exit_code", "message", "file", "line"}}`.
/// `kind` is `usage` (a flag the argument parser rejects; exit 2), `input`
/// (exit 2: fix the file or flag; nothing was written) or `runtime`
/// (exit 1). `file` and `line` are read from the message's
/// start (`PATH: …`) and its first `line N`; `null` when it names none.
pub fn error(kind: &str, exit_code: u8, message: &str) -> Value {
    json!({
        "schema_version": SCHEMA_VERSION,
        "error": {
            "kind": kind,
            "exit_code": exit_code,
            "message": message,
            "file": error_file(message),
            "line": error_line(message),
        }
    })
}

/// The path a message starts with (`nope.md: …`), if any.
fn error_file(message: &str) -> Option<&str> {
    let (head, _) = message.split_once(": ")?;
    (!head.is_empty() && !head.contains(char::is_whitespace)).then_some(head)
}

/// The number after the message's first `line `.
fn error_line(message: &str) -> Option<u64> {
    message.match_indices("line ").find_map(|(i, word)| {
        let before = message[..i].chars().next_back();
        if before.is_some_and(char::is_alphanumeric) {
            return None;
        }
        let digits: String = message[i + word.len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    })
}

/// One category's tally and items, as the update's and `inspect`'s JSON
/// show it.
pub fn category(c: &CategoryScore) -> Value {
    json!({
        "name": c.name,
        "weight": c.weight,
        "blocking": c.blocking,
        "passing": c.passing,
        "failing": c.failing,
        "pending": c.pending,
        "skipped": c.skipped,
        "total": c.total,
        "score": c.score.map(round2),
        "items": c.items,
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_their_file_and_line() {
        let e = error(
            "input",
            2,
            "release-checklist.md: line 21: status \"maybe\" is not known",
        );
        assert_eq!(e["error"]["file"], "release-checklist.md");
        assert_eq!(e["error"]["line"], 21);
        assert_eq!(e["error"]["kind"], "input");
        assert_eq!(e["error"]["exit_code"], 2);
        let e = error(
            "input",
            2,
            "history file h.json is not valid JSON (at line 1 column 14)",
        );
        assert_eq!(
            (e["error"]["file"].is_null(), &e["error"]["line"]),
            (true, &json!(1))
        );
        let e = error("runtime", 1, "cannot reach the API: timed out; pipeline 3");
        assert!(e["error"]["file"].is_null() && e["error"]["line"].is_null());
    }
}
