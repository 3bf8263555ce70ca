//! `portfolio` over many result files: `cargo bench --bench portfolio`.
//!
//! Writes 1,000 (and 10,000) realistic `--format json` update results (the
//! shape the update writes: four categories with items, blockers, CI with
//! workflows) into a directory tree like downloaded artifacts, then times
//! the release binary rolling them up (Markdown to stdout) after one
//! warm-up run. Prints a Markdown table.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const SIZES: [usize; 2] = [1_000, 10_000];
const TIMED: usize = 5;

fn binary() -> PathBuf {
    option_env!("CARGO_BIN_EXE_release-dashboard").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/release-dashboard"),
        PathBuf::from,
    )
}

fn result(i: usize) -> Value {
    let items: Vec<Value> = (0..10)
        .map(|k| json!({"name": format!("Gate {k} of repo {i}"), "state": if (i + k).is_multiple_of(7) { "pending" } else { "pass" }, "owner": "@team", "line": 10 + k}))
        .collect();
    let categories: Vec<Value> = ["Core Gates", "Optional Gates", "Deployment", "Sign-off"]
        .iter()
        .map(|name| json!({"name": name, "weight": 0.25, "passing": 9, "failing": 0, "pending": 1, "skipped": 0, "total": 10, "score": 90.0, "items": items}))
        .collect();
    let workflows: Vec<Value> = (0..8)
        .map(|w| json!({"name": format!("Workflow {w}"), "runs": 12, "success": 11, "failed": 1, "pass_rate": 91.67, "latest": {"conclusion": "success"}}))
        .collect();
    let score = 60.0 + (i % 40) as f64;
    json!({
        "schema_version": 1, "checklist": "docs/release-checklist.md", "score": score,
        "status": "in_progress", "status_text": "In Progress", "threshold": 80.0, "passed": score >= 80.0,
        "categories": categories, "blockers": [{"name": "Security Audit", "state": "pending", "owner": "@sec", "line": 41}],
        "ci": {"source": "api", "branch": "main", "runs": 100, "success": 92, "failed": 8, "other": 0, "success_rate": 92.0, "health": "warning", "workflows": workflows, "failing_workflows": []},
        "changed": false, "warnings": [], "repository": format!("acme/repo-{i:05}"), "branch": "main",
        "checklist_url": format!("https://github.com/acme/repo-{i:05}/blob/main/docs/release-checklist.md"),
        "generated_at": "2026-12-03T09:00:00Z"
    })
}

fn main() {
    let bin = binary();
    assert!(
        bin.is_file(),
        "build the release binary first: cargo build --release"
    );
    println!("| result files | input size (MiB) | wall median (ms) | wall min (ms) |");
    println!("|---:|---:|---:|---:|");
    for n in SIZES {
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = 0usize;
        for i in 0..n {
            let path = dir.path().join(format!("results/repo-{i:05}/result.json"));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let text = serde_json::to_vec_pretty(&result(i)).unwrap();
            bytes += text.len();
            std::fs::write(path, text).unwrap();
        }
        let run = || {
            let started = Instant::now();
            let status = Command::new(&bin)
                .args(["portfolio", "results"])
                .current_dir(dir.path())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
            started.elapsed()
        };
        run();
        let mut times: Vec<Duration> = (0..TIMED).map(|_| run()).collect();
        times.sort();
        #[allow(clippy::cast_precision_loss)]
        let mib = bytes as f64 / 1_048_576.0;
        println!(
            "| {n} | {mib:.1} | {:.1} | {:.1} |",
            times[TIMED / 2].as_secs_f64() * 1e3,
            times[0].as_secs_f64() * 1e3
        );
    }
}
