//! `--commit` and `--open-pr` against a local bare remote.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::json;
use tempfile::TempDir;

use crate::support::fixtures::SEED;
use crate::support::harness::Test;
use crate::support::server::{Reply, Request, Server};

const MESSAGE: &str = "chore(release): update release dashboard — 84.1% 🟠 [skip ci]";
const SEED_HISTORY: &str = "[\n  {\n    \"timestamp\": \"2024-12-15T09:00:00\",\n    \"score\": 80.0,\n    \"status\": \"in_progress\"\n  }\n]\n";

/// Run git with a fixed test identity and no user/system config.
fn git(dir: &Path, args: &[&str]) -> String {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=Tester",
            "-c",
            "user.email=tester@example.com",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// A bare remote seeded with the checklist and a seed-format history.
struct Remote {
    _root: TempDir,
    bare: PathBuf,
}

impl Remote {
    fn new() -> Remote {
        let root = tempfile::tempdir().unwrap();
        let bare = root.path().join("remote.git");
        let seed = root.path().join("seed");
        git(
            root.path(),
            &["init", "-q", "--bare", bare.to_str().unwrap()],
        );
        git(
            root.path(),
            &[
                "clone",
                "-q",
                bare.to_str().unwrap(),
                seed.to_str().unwrap(),
            ],
        );
        std::fs::write(seed.join("release-checklist.md"), SEED).unwrap();
        std::fs::create_dir_all(seed.join(".cache")).unwrap();
        std::fs::write(seed.join(".cache/readiness.json"), SEED_HISTORY).unwrap();
        std::fs::write(seed.join("other.txt"), "untouched\n").unwrap();
        git(&seed, &["add", "."]);
        git(&seed, &["commit", "-q", "-m", "initial"]);
        git(&seed, &["push", "-q", "origin", "HEAD:refs/heads/main"]);
        Remote { _root: root, bare }
    }

    /// A clone in the test's own directory; `identity` sets user.name/email in it.
    fn clone_into(&self, t: &Test, identity: bool) {
        git(t.path(), &["clone", "-q", self.bare.to_str().unwrap(), "."]);
        if identity {
            git(t.path(), &["config", "user.name", "Release Manager"]);
            git(t.path(), &["config", "user.email", "rm@example.com"]);
        }
    }

    fn show(&self, rev_path: &str) -> String {
        git(&self.bare, &["show", rev_path])
    }

    fn log(&self, format: &str) -> String {
        git(
            &self.bare,
            &["log", "-1", &format!("--format={format}"), "main"],
        )
    }

    fn refuse_pushes(&self) {
        let hook = self.bare.join("hooks/pre-receive");
        std::fs::write(&hook, "#!/bin/sh\necho 'GH006: Protected branch update failed for refs/heads/main.' >&2\nexit 1\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
}

fn clone_test(remote: &Remote, identity: bool) -> Test {
    let t = Test::new()
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1");
    remote.clone_into(&t, identity);
    t
}

#[test]
fn commits_and_pushes_only_when_something_changed() {
    let remote = Remote::new();
    let t = clone_test(&remote, true).args(["--offline", "--commit"]);
    t.run().code(0).stdout_has("pushed to origin/main");
    assert_eq!(remote.log("%s"), MESSAGE);
    assert_eq!(remote.log("%an <%ae>"), "Release Manager <rm@example.com>");
    assert!(
        remote
            .show("main:release-checklist.md")
            .contains("**Release readiness: 84.11%**")
    );
    let history: Vec<serde_json::Value> =
        serde_json::from_str(&remote.show("main:.cache/readiness.json")).unwrap();
    assert_eq!(history.len(), 2);
    let files = git(&remote.bare, &["show", "--name-only", "--format=", "main"]);
    assert_eq!(
        files.lines().collect::<Vec<_>>(),
        [".cache/readiness.json", "release-checklist.md"]
    );
    let head = remote.log("%H");
    t.run().code(0).stdout_has("Nothing to commit");
    assert_eq!(remote.log("%H"), head, "no commit when nothing changed");
}

#[test]
fn a_push_race_redoes_the_update_on_the_new_tip() {
    let remote = Remote::new();
    // Another clone pushes first: an item passes and it records an entry.
    let other = tempfile::tempdir().unwrap();
    git(
        other.path(),
        &["clone", "-q", remote.bare.to_str().unwrap(), "."],
    );
    let checklist = std::fs::read_to_string(other.path().join("release-checklist.md")).unwrap();
    std::fs::write(
        other.path().join("release-checklist.md"),
        checklist.replace("⏳ PENDING", "✅ PASS"),
    )
    .unwrap();
    let history = SEED_HISTORY.replace("\n]\n", ",\n  {\n    \"timestamp\": \"2026-11-23T12:00:00Z\",\n    \"score\": 88.0,\n    \"status\": \"minor_blockers\"\n  }\n]\n");
    std::fs::write(other.path().join(".cache/readiness.json"), history).unwrap();
    // Our clone is taken before that push lands.
    let t = clone_test(&remote, true).args(["--offline", "--commit"]);
    git(other.path(), &["commit", "-q", "-am", "someone else"]);
    git(
        other.path(),
        &["push", "-q", "origin", "HEAD:refs/heads/main"],
    );
    let run = t.run();
    run.code(0)
        .stderr_has("moved on")
        .stdout_has("pushed to origin/main");
    let final_checklist = remote.show("main:release-checklist.md");
    assert!(
        final_checklist.contains("| Security Audit | ✅ PASS | @sec |"),
        "the other edit is kept"
    );
    assert!(
        final_checklist.contains("**Release readiness: 90.36%**"),
        "the block is freshly computed"
    );
    let history: Vec<serde_json::Value> =
        serde_json::from_str(&remote.show("main:.cache/readiness.json")).unwrap();
    let scores: Vec<f64> = history.iter().filter_map(|e| e["score"].as_f64()).collect();
    assert_eq!(
        scores,
        [80.0, 88.0, 90.36],
        "both entries kept, ours appended"
    );
    assert_eq!(
        git(&remote.bare, &["log", "--format=%s", "main"])
            .lines()
            .count(),
        3
    );
}

#[test]
fn falls_back_to_the_actions_bot_identity() {
    let remote = Remote::new();
    let t = clone_test(&remote, false).args(["--offline", "--commit"]);
    t.run().code(0);
    assert_eq!(
        remote.log("%an <%ae>"),
        "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>"
    );
    assert!(
        !t.read_string(".git/config").contains("[user]"),
        "the repository's config is untouched"
    );
}

#[test]
fn a_protected_branch_refusal_is_final_and_suggests_open_pr() {
    let remote = Remote::new();
    remote.refuse_pushes();
    let head = remote.log("%H");
    let run = clone_test(&remote, true)
        .args(["--offline", "--commit"])
        .run();
    run.code(1)
        .stderr_has("refused")
        .stderr_has("GH006")
        .stderr_has("--open-pr");
    assert_eq!(remote.log("%H"), head);
}

#[test]
fn bad_branch_names_and_dirty_trees_are_refused_before_writing() {
    let remote = Remote::new();
    for branch in ["bad..name", "-x", "a b"] {
        let t = clone_test(&remote, true).args([
            "--offline",
            "--commit",
            &format!("--branch={branch}"),
        ]);
        let before = t.snapshot();
        t.run().code(2).stderr_has("not a valid branch name");
        assert_eq!(t.snapshot(), before);
    }
    // Other uncommitted files are no obstacle: publishing never touches them.
    let t = clone_test(&remote, true)
        .file("other.txt", "edited\n")
        .args(["--offline", "--commit"]);
    t.run().code(0);
    assert_eq!(t.read_string("other.txt"), "edited\n");
    assert_eq!(remote.show("main:other.txt"), "untouched");
}

/// A fake pulls API: remembers the PR once created.
fn pulls_api(state: Arc<Mutex<Option<u64>>>) -> Server {
    Server::start(move |req: &Request| {
        let mut pr = state.lock().unwrap();
        match (req.method.as_str(), req.path_without_query()) {
            ("GET", "/repos/acme/widget/pulls") => {
                assert_eq!(
                    req.query("head").as_deref(),
                    Some("acme:release-dashboard/main")
                );
                let open: Vec<serde_json::Value> = pr.iter().map(|n| json!({"number": n, "html_url": format!("https://github.com/acme/widget/pull/{n}")})).collect();
                Reply::json(200, &json!(open))
            }
            ("POST", "/repos/acme/widget/pulls") => {
                let body = req.body_json();
                assert_eq!(body["head"], "release-dashboard/main");
                assert_eq!(body["base"], "main");
                *pr = Some(5);
                Reply::json(
                    201,
                    &json!({"number": 5, "html_url": "https://github.com/acme/widget/pull/5"}),
                )
            }
            ("PATCH", "/repos/acme/widget/pulls/5") => Reply::json(200, &json!({"number": 5})),
            _ => Reply::json(404, &json!({"message": "Not Found"})),
        }
    })
}

#[test]
fn open_pr_pushes_the_bot_branch_and_keeps_one_pull_request() {
    let remote = Remote::new();
    remote.refuse_pushes_to_main_only();
    let state = Arc::new(Mutex::new(None));
    let server = pulls_api(state.clone());
    let t = clone_test(&remote, true).args([
        "--offline",
        "--open-pr",
        "--repo",
        "acme/widget",
        "--api-url",
        &server.url(),
        "--token",
        "t0ken",
    ]);
    let local_head = git(t.path(), &["rev-parse", "HEAD"]);
    t.run().code(0).stdout_has("Opened pull request #5");
    let bot = remote.show("release-dashboard/main:release-checklist.md");
    assert!(bot.contains("84.11%"));
    assert_eq!(
        git(t.path(), &["rev-parse", "HEAD"]),
        local_head,
        "the local branch did not move"
    );
    assert!(
        git(t.path(), &["diff", "--cached", "--name-only"]).is_empty(),
        "the user's index is untouched"
    );
    // A changed checklist: the bot branch moves (with a lease), the same PR is updated.
    let passed = t
        .read_string("release-checklist.md")
        .replace("⏳ PENDING", "✅ PASS");
    let t = t.file("release-checklist.md", passed);
    t.run().code(0).stdout_has("Updated pull request #5");
    assert!(
        remote
            .show("release-dashboard/main:release-checklist.md")
            .contains("90.36%")
    );
    let posts = server
        .requests()
        .iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(posts, 1, "one pull request");
}

impl Remote {
    /// A hook refusing pushes to main only (the bot branch is allowed).
    fn refuse_pushes_to_main_only(&self) {
        let hook = self.bare.join("hooks/pre-receive");
        std::fs::write(
            &hook,
            "#!/bin/sh\nwhile read old new ref; do\n  if [ \"$ref\" = refs/heads/main ]; then echo 'GH006: Protected branch' >&2; exit 1; fi\ndone\nexit 0\n",
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
}

#[test]
fn commit_refuses_another_branch() {
    let remote = Remote::new();
    let t = clone_test(&remote, true);
    git(t.path(), &["checkout", "-q", "-b", "feature"]);
    let t = t.args(["--offline", "--commit"]);
    let head = remote.log("%H");
    t.run().code(2).stderr_has("HEAD is on branch `feature`");
    assert_eq!(remote.log("%H"), head, "nothing pushed");
}

#[test]
fn a_race_keeps_uncommitted_checklist_edits_and_commits_them() {
    let remote = Remote::new();
    let t = clone_test(&remote, true);
    // The user edits the checklist and asks to commit; someone else pushed first.
    let edited = t
        .read_string("release-checklist.md")
        .replace("| Build | ✅ PASS |", "| Build | ❌ FAIL |");
    let t = t
        .file("release-checklist.md", &edited)
        .args(["--offline", "--commit"]);
    let other = tempfile::tempdir().unwrap();
    git(
        other.path(),
        &["clone", "-q", remote.bare.to_str().unwrap(), "."],
    );
    std::fs::write(other.path().join("other.txt"), "theirs\n").unwrap();
    git(other.path(), &["commit", "-q", "-am", "theirs"]);
    git(
        other.path(),
        &["push", "-q", "origin", "HEAD:refs/heads/main"],
    );
    t.run().code(0).stderr_has("left as it was");
    let kept = t.read_string("release-checklist.md");
    assert!(
        kept.contains("| Build | ❌ FAIL |"),
        "the user's edit is still in the work tree"
    );
    assert!(
        remote
            .show("main:release-checklist.md")
            .contains("| Build | ❌ FAIL |")
    );
    assert_eq!(remote.show("main:other.txt"), "theirs");
}
