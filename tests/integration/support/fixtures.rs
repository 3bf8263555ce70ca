//! The project's own test data.

/// The seed's example: Core 7/8, Optional 7/8, Deployment 6/8, Sign-off 11/14 → 84.11.
pub(crate) const SEED: &str = "# v0.7.0 Release Checklist

Intro text stays exactly as it is.

<!-- READINESS_SCORE_START -->
old score
<!-- READINESS_SCORE_END -->

## Core Gates

| Gate | Status | Owner |
|---|---|---|
| Build | ✅ PASS | @ana |
| MCP | ✅ PASS | |
| Stage | ✅ PASS | |
| Preflight | ✅ PASS | |
| Security Audit | ⏳ PENDING | @sec |
| Migrations | ✅ PASS | |
| Contracts | ✅ PASS | |
| Frontend | ✅ PASS | |

## Optional Gates

| Gate | Status |
|---|---|
| Chaos | DONE |
| Observability | DONE |
| Docs | DONE |
| PR | DONE |
| Load | ❌ FAIL |
| Rollback | DONE |
| Mobile | DONE |
| Integration | DONE |

## Deployment

- [x] a
- [x] b
- [x] c
- [x] d
- [x] e
- [ ] f
- [x] g
- [ ] h

## Sign-off

- [x] 1
- [x] 2
- [x] 3
- [x] 4
- [x] 5
- [x] 6
- [x] 7
- [x] 8
- [x] 9
- [x] 10
- [x] 11
- [ ] 12
- [ ] 13
- [ ] 14

Footer text.

<!-- CI_SNAPSHOT_START -->
old ci
<!-- CI_SNAPSHOT_END -->
";

/// A REST response with runs on main (3 success, 1 failure) and one on a feature branch.
pub(crate) const RUNS: &str = r#"{
  "total_count": 5,
  "workflow_runs": [
    {"id": 5, "name": "CI", "head_branch": "main", "status": "completed", "conclusion": "success", "event": "push",
     "created_at": "2026-11-23T10:00:00Z", "run_started_at": "2026-11-23T10:00:05Z", "updated_at": "2026-11-23T10:03:17Z",
     "html_url": "https://github.com/acme/widget/actions/runs/5", "workflow_id": 11, "path": ".github/workflows/ci.yml"},
    {"id": 4, "name": "Security Audit", "head_branch": "main", "status": "completed", "conclusion": "failure", "event": "schedule",
     "created_at": "2026-11-23T09:00:00Z", "updated_at": "2026-11-23T09:05:00Z",
     "html_url": "https://github.com/acme/widget/actions/runs/4", "workflow_id": 12},
    {"id": 3, "name": "CI", "head_branch": "main", "status": "completed", "conclusion": "success", "event": "push",
     "created_at": "2026-11-22T10:00:00Z", "updated_at": "2026-11-22T10:04:00Z",
     "html_url": "https://github.com/acme/widget/actions/runs/3", "workflow_id": 11},
    {"id": 2, "name": "Security Audit", "head_branch": "main", "status": "completed", "conclusion": "success", "event": "schedule",
     "created_at": "2026-11-22T09:00:00Z", "updated_at": "2026-11-22T09:05:00Z",
     "html_url": "https://github.com/acme/widget/actions/runs/2", "workflow_id": 12},
    {"id": 1, "name": "CI", "head_branch": "feature/x", "status": "completed", "conclusion": "failure", "event": "push",
     "created_at": "2026-11-21T10:00:00Z", "updated_at": "2026-11-21T10:04:00Z",
     "html_url": "https://github.com/acme/widget/actions/runs/1", "workflow_id": 11}
  ]
}"#;

/// The text of `SEED` outside its two managed blocks.
pub(crate) fn outside_blocks(text: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.ends_with("_END -->") {
            inside = false;
        }
        if !inside {
            out.push_str(line);
        }
        if trimmed.ends_with("_START -->") {
            inside = true;
        }
    }
    out
}
