//! `init`, `completions`, `man`, and the GitHub Actions files (action.yml,
//! the example workflow).

use std::path::{Path, PathBuf};
use std::process::Command;

use release_dashboard::app::init::{CHECKLIST, CONFIG, WORKFLOW};

use crate::support::harness::Test;

const FILES: [&str; 3] = [
    "release-checklist.md",
    ".release-dashboard.toml",
    ".github/workflows/update-readiness.yml",
];

fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn read_repo_file(rel: &str) -> String {
    std::fs::read_to_string(repo_file(rel)).unwrap()
}

#[test]
fn init_writes_the_three_files_and_prints_next_steps() {
    let t = Test::new().args(["init"]);
    let run = t.run();
    run.code(0)
        .stdout_has("Created:")
        .stdout_has("Next steps:")
        .stdout_has("release-dashboard --offline");
    for file in FILES {
        run.stdout_has(file);
    }
    assert_eq!(t.read_string(FILES[0]), CHECKLIST);
    assert_eq!(t.read_string(FILES[1]), CONFIG);
    assert_eq!(t.read_string(FILES[2]), WORKFLOW);
    assert_eq!(
        t.read_string(FILES[2]),
        read_repo_file("examples/workflows/update-readiness.yml")
    );
    assert_eq!(t.snapshot().len(), 3);
}

#[test]
fn init_dir_creates_the_directory() {
    let t = Test::new().args(["init", "--dir", "sub/project"]);
    t.run()
        .code(0)
        .stdout_has("sub/project/release-checklist.md")
        .stdout_has("cd sub/project && release-dashboard --offline");
    for file in FILES {
        assert!(t.exists(&format!("sub/project/{file}")), "{file}");
        assert!(!t.exists(file), "{file}");
    }
}

#[test]
fn a_second_init_exits_2_naming_the_file_and_changes_nothing() {
    let t = Test::new().args(["init"]);
    t.run().code(0);
    std::fs::write(t.path().join(FILES[0]), "# mine\n").unwrap();
    let before = t.snapshot();
    let run = t.run();
    run.code(2);
    for file in FILES {
        run.stderr_has(file);
    }
    assert_eq!(t.snapshot(), before);
}

#[test]
fn init_writes_nothing_when_one_file_exists() {
    let t = Test::new()
        .file(".release-dashboard.toml", "branch = 'trunk'\n")
        .args(["init"]);
    let before = t.snapshot();
    let run = t.run();
    run.code(2)
        .stderr_has(".release-dashboard.toml already exists")
        .stderr_has("nothing was written");
    assert!(
        !run.stderr.contains("release-checklist.md"),
        "{}",
        run.stderr
    );
    assert_eq!(t.snapshot(), before);
    assert!(!t.exists(".github"));
}

#[test]
fn the_starter_checklist_scores_offline_and_fills_the_blocks() {
    let t = Test::new().args(["init"]);
    t.run().code(0);
    let t = t.clear_args().args(["--offline"]);
    let run = t.run();
    run.code(0)
        .stdout_has("Core Gates")
        .stdout_has("Dashboard updated.");
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let text = t.read_string("release-checklist.md");
    assert!(text.contains("**Release readiness: 43.33%**"), "{text}");
    assert!(text.contains("not collected (offline run)"), "{text}");
    assert!(
        !text.contains("_Run `release-dashboard` to fill in"),
        "{text}"
    );
    assert!(t.exists(".cache/readiness.json"));
    // The config is used (its `checklist` key), and a second run is a no-op.
    let again = t.run();
    again.code(0).stdout_has("already up to date");
    let t = t.clear_args().args(["--check-only", "--threshold", "40"]);
    t.run().code(0).stdout_has("PASS");
}

#[test]
fn flags_and_subcommands_do_not_mix() {
    Test::new()
        .args(["--offline", "init"])
        .run()
        .code(2)
        .stderr_has("init");
}

#[test]
fn completions_mention_the_flags() {
    for (shell, needle) in [
        ("bash", "--check-only"),
        ("zsh", "--check-only"),
        ("fish", "-l check-only"),
    ] {
        let run = Test::new().args(["completions", shell]).run();
        run.code(0)
            .stdout_has(needle)
            .stdout_has("release-dashboard");
    }
    Test::new()
        .args(["completions", "tcsh"])
        .run()
        .code(2)
        .stderr_has("possible values");
}

#[test]
fn man_prints_a_roff_page() {
    let run = Test::new().args(["man"]).run();
    run.code(0).stdout_has(".TH").stdout_has(".SH NAME");
    let text = run.stdout.replace("\\-", "-");
    assert!(text.contains("--dry-run"), "{text}");
    assert!(text.contains("completions"), "{text}");
}

#[test]
fn help_lists_the_subcommands() {
    let run = Test::new().args(["--help"]).run();
    run.code(0).stdout_has("--check-only");
    for command in ["init", "completions", "man"] {
        run.stdout_has(&format!("  {command} "));
    }
    Test::new()
        .args(["init", "--help"])
        .run()
        .code(0)
        .stdout_has("--dir");
}

/// Every `run:` value of a GitHub YAML file: (line number, text), one per
/// line of a block scalar.
fn run_lines(yaml: &str) -> Vec<(usize, String)> {
    let lines: Vec<&str> = yaml.lines().collect();
    let indent = |line: &str| line.len() - line.trim_start().len();
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        let key = trimmed.strip_prefix("- ").unwrap_or(trimmed);
        let key_indent = indent(line) + (trimmed.len() - key.len());
        i += 1;
        let Some(value) = key.strip_prefix("run:") else {
            continue;
        };
        let value = value.trim();
        if value.starts_with('|') || value.starts_with('>') {
            while i < lines.len() && (lines[i].trim().is_empty() || indent(lines[i]) > key_indent) {
                found.push((i + 1, lines[i].to_string()));
                i += 1;
            }
        } else {
            found.push((i, value.to_string()));
        }
    }
    found
}

#[test]
fn the_scanner_finds_run_blocks() {
    let yaml = "steps:\n  - run: |\n      echo ${{ x }}\n    shell: bash\n  - name: n\n    run: echo one\n    env:\n      A: ${{ y }}\n";
    let lines = run_lines(yaml);
    assert_eq!(
        lines,
        vec![(3, "      echo ${{ x }}".into()), (6, "echo one".into())]
    );
}

#[test]
fn no_expression_inside_any_run_block() {
    for file in ["action.yml", "examples/workflows/update-readiness.yml"] {
        let yaml = read_repo_file(file);
        let lines = run_lines(&yaml);
        assert!(lines.len() >= 4, "{file}: {lines:?}");
        for (n, line) in lines {
            assert!(
                !line.contains("${{"),
                "{file}:{n}: expression inside run: {line}"
            );
        }
    }
}

#[test]
fn action_declares_the_inputs_and_outputs_and_passes_inputs_through_env() {
    let yaml = read_repo_file("action.yml");
    assert!(yaml.contains("using: composite"));
    for input in [
        "checklist",
        "threshold",
        "check-only",
        "commit",
        "notify",
        "pr-comment",
        "branch",
        "version",
    ] {
        assert!(yaml.contains(&format!("\n  {input}:\n")), "input {input}");
        assert!(
            yaml.contains(&format!(": ${{{{ inputs.{input} }}}}")),
            "input {input} is not passed through env"
        );
    }
    for output in ["score", "status", "passed", "changed"] {
        assert!(
            yaml.contains(&format!("  {output}:\n    description: "))
                && yaml.contains(&format!("value: ${{{{ steps.run.outputs.{output} }}}}")),
            "output {output}"
        );
    }
    // The prebuilt binary, installed by the script (cargo only as a fallback).
    assert!(yaml.contains("bash \"$GITHUB_ACTION_PATH/scripts/install-action.sh\""));
    let script = read_repo_file("scripts/install-action.sh");
    assert!(script.contains("cargo install --locked"));
    assert!(script.contains("RELEASE_DASHBOARD_DOWNLOAD_URL"));
}

#[test]
fn the_workflow_installs_this_version() {
    let yaml = read_repo_file("examples/workflows/update-readiness.yml");
    let pin = format!(
        "RELEASE_DASHBOARD_VERSION: \"{}\"",
        env!("CARGO_PKG_VERSION")
    );
    assert!(yaml.contains(&pin), "the workflow should pin {pin}");
}

/// Parse both files with PyYAML and check their structure, when Python
/// and PyYAML are available (no YAML crate is a dependency).
#[test]
fn yaml_files_parse_and_have_the_expected_shape() {
    let has_yaml = Command::new("python3")
        .args(["-c", "import yaml"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_yaml {
        eprintln!("skipped: python3 with PyYAML is not available");
        return;
    }
    let script = r#"
import sys, yaml

def runs(steps):
    return [s["run"] for s in steps if "run" in s]

action = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
assert action["runs"]["using"] == "composite", action["runs"]
assert set(action["inputs"]) >= {"checklist", "threshold", "check-only", "commit",
    "notify", "pr-comment", "branch", "version"}, action["inputs"]
assert set(action["outputs"]) == {"score", "status", "passed", "changed"}
for name, output in action["outputs"].items():
    assert output["value"] == "${{ steps.run.outputs.%s }}" % name, output
steps = action["runs"]["steps"]
assert all(s.get("shell") == "bash" for s in steps if "run" in s)
assert [s.get("id") for s in steps].count("run") == 1
for run in runs(steps):
    assert "${{" not in run, run

flow = yaml.safe_load(open(sys.argv[2], encoding="utf-8"))
on = flow.get("on", flow.get(True))
assert on["push"]["branches"] == ["main", "develop"], on
assert on["schedule"] == [{"cron": "0 9 * * *"}], on
assert set(on["workflow_dispatch"]["inputs"]) == {"branch", "commit_changes", "enforce_gate"}
assert "pull_request" in on
assert flow["permissions"] == {"contents": "write", "actions": "read", "pull-requests": "write"}
assert "group" in flow["concurrency"]
for job in flow["jobs"].values():
    for run in runs(job["steps"]):
        assert "${{" not in run, run
update = flow["jobs"]["update"]["steps"]
assert any("--commit" in r and "--notify" in r for r in runs(update)), update
gate = flow["jobs"]["gate"]["steps"]
assert any("--check-only" in r and "--pr-comment" in r for r in runs(gate)), gate
print("ok")
"#;
    let output = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(repo_file("action.yml"))
        .arg(repo_file("examples/workflows/update-readiness.yml"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
