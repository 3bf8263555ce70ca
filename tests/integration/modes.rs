//! --dry-run, --check-only, --format json, colour.

use crate::support::fixtures::{RUNS, SEED};
use crate::support::harness::Test;

fn seed() -> Test {
    Test::new()
        .file("v0.7.0-release-checklist.md", SEED)
        .file("runs.json", RUNS)
}

#[test]
fn dry_run_prints_a_diff_and_writes_nothing() {
    let t = seed().args(["--runs-file", "runs.json", "--dry-run"]);
    let before = t.snapshot();
    let run = t.run();
    run.code(0)
        .stdout_has("Dry run: nothing was written")
        .stdout_has("--- a/v0.7.0-release-checklist.md")
        .stdout_has("+**Release readiness: 84.11%**")
        .stdout_has("-old score")
        .stdout_has("+++ b/.cache/readiness.json")
        .stdout_has("would be updated");
    assert_eq!(t.snapshot(), before);
}

#[test]
fn check_only_gates_on_the_threshold_and_writes_nothing() {
    let t = seed().args(["--check-only"]);
    let before = t.snapshot();
    t.run()
        .code(1)
        .stdout_has("FAIL: readiness 84.11% < threshold 90%");
    let t = t.args(["--threshold", "84"]);
    t.run()
        .code(0)
        .stdout_has("PASS: readiness 84.11% ≥ threshold 84%");
    assert_eq!(t.snapshot(), before);
}

#[test]
fn threshold_from_environment_and_config() {
    let t = seed()
        .args(["--check-only"])
        .env("RELEASE_DASHBOARD_THRESHOLD", "80");
    t.run().code(0);
    let t = seed()
        .file(".release-dashboard.toml", "[thresholds]\ngate = 80\n")
        .args(["--check-only"]);
    t.run().code(0);
    let t = t.env("RELEASE_DASHBOARD_THRESHOLD", "95");
    t.run().code(1);
    let t = t.args(["--threshold", "50"]);
    t.run().code(0);
}

#[test]
fn json_output_has_the_documented_shape() {
    let t = seed().args(["--runs-file", "runs.json", "--format", "json", "--dry-run"]);
    let run = t.run();
    run.code(0);
    let j = run.json();
    for key in [
        "schema_version",
        "checklist",
        "score",
        "status",
        "status_text",
        "threshold",
        "passed",
        "categories",
        "blockers",
        "ci",
        "changed",
        "warnings",
    ] {
        assert!(j.get(key).is_some(), "missing {key}");
    }
    assert_eq!(j["score"], 84.11);
    assert_eq!(j["status"], "in_progress");
    assert_eq!(j["status_text"], "In Progress");
    assert_eq!(j["passed"], false);
    assert_eq!(j["changed"], true);
    let core = &j["categories"][0];
    assert_eq!(core["name"], "Core Gates");
    assert_eq!(
        (
            core["passing"].as_u64(),
            core["pending"].as_u64(),
            core["total"].as_u64()
        ),
        (Some(7), Some(1), Some(8))
    );
    assert_eq!(core["items"][4]["state"], "pending");
    assert_eq!(core["items"][4]["owner"], "@sec");
    assert_eq!(core["items"][4]["line"], 17);
    assert_eq!(j["blockers"][0]["category"], "Core Gates");
    assert_eq!(j["ci"]["branch"], "main");
    assert_eq!(j["ci"]["runs"], 4);
    assert_eq!(j["ci"]["failed"], 1);
    assert_eq!(j["ci"]["health"], "critical");
    assert_eq!(j["ci"]["failing_workflows"][0]["name"], "Security Audit");
}

#[test]
fn check_only_json() {
    let run = seed().args(["--check-only", "--format", "json"]).run();
    run.code(1);
    assert_eq!(run.json()["passed"], false);
    assert_eq!(run.json()["ci"], serde_json::Value::Null);
}

#[test]
fn no_colour_when_not_a_terminal() {
    let run = seed().args(["--offline", "--dry-run"]).run();
    run.code(0).stdout_lacks("\u{1b}[");
    assert!(
        !run.stdout.contains('\u{1b}'),
        "ANSI escape in piped output"
    );
    assert!(!run.stderr.contains('\u{1b}'));
}

#[test]
fn verbose_explains() {
    seed()
        .args(["--runs-file", "runs.json", "-v"])
        .run()
        .code(0)
        .stderr_has("runs.json: 5 runs");
}

#[test]
fn help_and_version() {
    let run = Test::new().args(["--help"]).run();
    run.code(0)
        .stdout_has("--check-only")
        .stdout_has("--dry-run")
        .stdout_has("--no-cache");
    Test::new()
        .args(["--version"])
        .run()
        .code(0)
        .stdout_has("release-dashboard");
}

#[test]
fn check_only_does_not_need_a_readable_history() {
    let t = seed().file(".cache/readiness.json", "{ broken").args([
        "--check-only",
        "--threshold",
        "80",
    ]);
    t.run().code(0).stdout_has("PASS");
}

/// Whether process `pid` has installed a handler for `signal` (Linux:
/// the `SigCgt` mask in `/proc/PID/status`).
#[cfg(target_os = "linux")]
fn catches(pid: u32, signal: u32) -> bool {
    let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
        return false;
    };
    status
        .lines()
        .find_map(|line| line.strip_prefix("SigCgt:"))
        .and_then(|mask| u64::from_str_radix(mask.trim(), 16).ok())
        .is_some_and(|mask| mask & (1 << (signal - 1)) != 0)
}

/// Ctrl-C, SIGTERM (a cancelled CI job, `timeout`) and SIGHUP mid-run:
/// exit 130, say so, change nothing.
#[cfg(target_os = "linux")]
#[test]
fn ctrl_c_sigterm_and_sighup_exit_130_and_write_nothing() {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    for (name, number) in [("INT", 2), ("TERM", 15), ("HUP", 1)] {
        let t = seed();
        let before = t.snapshot();
        // Waiting for runs on stdin: the signal arrives mid-run.
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("release-dashboard"))
            .current_dir(t.path())
            .args(["--runs-file", "-"])
            .env("SOURCE_DATE_EPOCH", crate::support::harness::EPOCH)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"[").unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while !catches(child.id(), number) {
            assert!(Instant::now() < deadline, "SIG{name}: no handler installed");
            std::thread::sleep(Duration::from_millis(5));
        }
        let killed = Command::new("kill")
            .args([&format!("-{name}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let output = child.wait_with_output().unwrap();
        drop(stdin);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(130), "SIG{name}: {stderr}");
        assert!(stderr.contains("interrupted"), "SIG{name}: {stderr}");
        assert_eq!(t.snapshot(), before, "SIG{name}");
    }
}

#[test]
fn a_tie_rounds_the_same_in_markdown_and_json() {
    // Core 1/16 = 6.25%, the rest 0% → 0.5 · 6.25 = 3.125 exactly. Python's
    // round(3.125, 2) is 3.12 (ties to even); both outputs must agree.
    let core: String = (0..16)
        .map(|i| format!("- [{}] c{i}\n", if i == 0 { 'x' } else { ' ' }))
        .collect();
    let checklist = format!(
        "# R\n\n## Core Gates\n\n{core}\n## Optional Gates\n\n- [ ] o\n\n\
         ## Deployment\n\n- [ ] d\n\n## Sign-off\n\n- [ ] s\n"
    );
    let t = Test::new().file("release-checklist.md", checklist);
    let run = t.run_with(["--offline", "--format", "json", "--dry-run"]);
    run.code(0);
    assert_eq!(run.json()["score"], 3.12);
    t.run_with(["--offline", "--dry-run"])
        .code(0)
        .stdout_has("+**Release readiness: 3.12%**")
        .stdout_lacks("3.13%");
}

#[test]
fn runs_without_a_branch_are_left_out_with_a_warning() {
    let gh = r#"[{"databaseId": 1, "workflowName": "CI", "status": "completed", "conclusion": "success"}]"#;
    seed()
        .file("gh.json", gh)
        .args(["--runs-file", "gh.json", "--dry-run"])
        .run()
        .code(0)
        .stderr_has("1 of 1 runs name no branch")
        .stderr_has("headBranch");
}
