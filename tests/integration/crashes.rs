//! Neighbours, crashes and hostile file systems: concurrent runs, `kill -9`
//! at every moment of a run, a killed lock holder, read-only files and
//! directories, a full disk and a file-size limit. The promise each test
//! backs: the checklist and the history are the old bytes or the new ones,
//! never torn or lost; no temporary file outlives a run that could clean
//! up; and the message says what went wrong.

#![cfg(unix)]

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::fixtures::SEED;
use crate::support::harness::{EPOCH, Test};
use crate::support::server::{Reply, Request, Server};

const CHECKLIST: &str = "release-checklist.md";
const HISTORY: &str = ".cache/readiness.json";

fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("release-dashboard")
}

/// The binary in `dir` with the test clock and no inherited settings.
fn command(dir: &Path) -> Command {
    let mut cmd = Command::new(binary());
    clean_env(&mut cmd);
    cmd.current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// The test clock, and none of the settings a developer's shell may have.
fn clean_env(cmd: &mut Command) {
    cmd.env("SOURCE_DATE_EPOCH", EPOCH);
    for key in [
        "GITHUB_ACTIONS",
        "SLACK_WEBHOOK_URL",
        "RELEASE_DASHBOARD_HISTORY",
        "RELEASE_DASHBOARD_CHECKLIST",
        "RELEASE_DASHBOARD_CONFIG",
        "RELEASE_DASHBOARD_THRESHOLD",
    ] {
        cmd.env_remove(key);
    }
}

/// Runs on main: `ok` successes out of `total`.
fn runs(ok: usize, total: usize) -> String {
    let runs: Vec<String> = (0..total)
        .map(|i| {
            let conclusion = if i < ok { "success" } else { "failure" };
            format!(
                r#"{{"id": {id}, "name": "CI", "head_branch": "main", "status": "completed", "conclusion": "{conclusion}", "event": "push", "created_at": "2026-11-23T10:00:00Z", "updated_at": "2026-11-23T10:01:00Z", "html_url": "https://github.com/acme/widget/actions/runs/{id}", "workflow_id": 1}}"#,
                id = i + 1
            )
        })
        .collect();
    format!(
        r#"{{"total_count": {total}, "workflow_runs": [{}]}}"#,
        runs.join(",")
    )
}

fn temp_files(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for sub in [dir.to_path_buf(), dir.join(".cache")] {
        if let Ok(entries) = std::fs::read_dir(&sub) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.ends_with(".tmp") {
                    found.push(name);
                }
            }
        }
    }
    found
}

fn history_entries(dir: &Path) -> Vec<serde_json::Value> {
    let bytes = std::fs::read(dir.join(HISTORY)).expect("history");
    serde_json::from_slice(&bytes).expect("the history is whole JSON")
}

fn marker_counts(text: &str) -> Vec<usize> {
    [
        "<!-- READINESS_SCORE_START -->",
        "<!-- READINESS_SCORE_END -->",
        "<!-- CI_SNAPSHOT_START -->",
        "<!-- CI_SNAPSHOT_END -->",
    ]
    .iter()
    .map(|marker| text.matches(marker).count())
    .collect()
}

/// How many rounds of eight concurrent runs `eight_concurrent_runs_lose_nothing` plays.
const ROUNDS: usize = 5;

#[test]
fn eight_concurrent_runs_lose_nothing() {
    for round in 0..ROUNDS {
        let t = Test::new().file(CHECKLIST, SEED);
        for i in 0..8 {
            std::fs::write(t.path().join(format!("runs-{i}.json")), runs(i, 8)).unwrap();
        }
        let children: Vec<Child> = (0..8)
            .map(|i| {
                command(t.path())
                    .args(["--runs-file", &format!("runs-{i}.json")])
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(0), "round {round}: {stderr}");
            assert!(
                !stderr.contains("recovered the lock"),
                "round {round}: a live holder was taken for a dead one: {stderr}"
            );
        }
        let history = history_entries(t.path());
        assert_eq!(history.len(), 8, "round {round}: one entry per run");
        let mut rates: Vec<String> = history
            .iter()
            .map(|e| e["ci_success_rate"].to_string())
            .collect();
        rates.sort();
        rates.dedup();
        assert_eq!(
            rates.len(),
            8,
            "round {round}: every run's own entry: {rates:?}"
        );
        let text = t.read_string(CHECKLIST);
        assert_eq!(marker_counts(&text), [1, 1, 1, 1], "round {round}:\n{text}");
        assert!(temp_files(t.path()).is_empty(), "round {round}");
    }
    eprintln!("concurrency: {ROUNDS} rounds × 8 concurrent runs, no entry lost");
}

/// What one uninterrupted run writes, as (checklist, history).
fn expected_outcome(checklist: &str) -> (Vec<u8>, Vec<u8>) {
    let t = Test::new()
        .file(CHECKLIST, checklist)
        .file("runs.json", runs(3, 4));
    let out = command(t.path())
        .args(["--runs-file", "runs.json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (t.read(CHECKLIST), t.read(HISTORY))
}

/// The seed with about 2 MB of extra tasks, so a write takes a while.
fn big_checklist() -> String {
    let item = "- [x] a task with a long enough description to make the file big\n";
    SEED.replacen("- [x] a\n", &item.repeat(2_000_000 / item.len()), 1)
}

/// How many times `kill_9_at_any_moment_leaves_old_or_new_files` kills a
/// run: half at evenly spread moments, half as soon as a write begins.
const KILLS: u32 = 40;

#[test]
fn kill_9_at_any_moment_leaves_old_or_new_files() {
    let original = big_checklist();
    let (new_checklist, new_history) = expected_outcome(&original);
    // How long a whole run takes; kills are spread evenly across it.
    let t = Test::new()
        .file(CHECKLIST, &original)
        .file("runs.json", runs(3, 4));
    let started = Instant::now();
    let out = command(t.path())
        .args(["--runs-file", "runs.json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let duration = started.elapsed();
    let (mut before_write, mut mid_write, mut after_write) = (0, 0, 0);
    for i in 0..KILLS {
        let t = Test::new()
            .file(CHECKLIST, &original)
            .file("runs.json", runs(3, 4));
        let mut child = command(t.path())
            .args(["--runs-file", "runs.json"])
            .spawn()
            .unwrap();
        if i % 2 == 0 {
            // Even kills: spread evenly over the run.
            std::thread::sleep(duration.mul_f64(f64::from(i) / f64::from(KILLS)));
        } else {
            // Odd kills: the moment a temporary file shows up, mid-write.
            let deadline = Instant::now() + duration * 4;
            while temp_files(t.path()).is_empty()
                && child.try_wait().unwrap().is_none()
                && Instant::now() < deadline
            {
                std::hint::spin_loop();
            }
        }
        child.kill().unwrap(); // SIGKILL
        let _ = child.wait();
        let checklist = t.read(CHECKLIST);
        assert!(
            checklist == original.as_bytes() || checklist == new_checklist,
            "kill {i}: the checklist is torn ({} bytes)",
            checklist.len()
        );
        let history = std::fs::read(t.path().join(HISTORY)).ok();
        assert!(
            history.is_none() || history.as_deref() == Some(&new_history[..]),
            "kill {i}: the history is torn"
        );
        let leftovers = temp_files(t.path());
        match (checklist == new_checklist, leftovers.is_empty()) {
            (_, false) => mid_write += 1,
            (false, true) => before_write += 1,
            (true, true) => after_write += 1,
        }
        // The next run finishes the job, clears the leftovers and says so.
        let out = command(t.path())
            .args(["--runs-file", "runs.json"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "kill {i}: the next run failed: {stderr}"
        );
        assert_eq!(t.read(CHECKLIST), new_checklist, "kill {i}");
        assert_eq!(history_entries(t.path()).len(), 1, "kill {i}");
        assert!(temp_files(t.path()).is_empty(), "kill {i}: {stderr}");
        if !leftovers.is_empty() {
            assert!(
                stderr.contains("left by a run that was killed"),
                "kill {i}: no word about {leftovers:?}: {stderr}"
            );
        }
    }
    eprintln!(
        "kill -9: {KILLS} kills over a {duration:?} run: {before_write} before writing, \
         {mid_write} mid-write, {after_write} after; every file old or new"
    );
}

/// SIGTERM (a cancelled CI job) the moment a write begins: the handler
/// removes the temporary file, so even an interrupted write leaves none.
#[test]
fn sigterm_mid_write_leaves_no_temporary_file() {
    let original = big_checklist();
    let (new_checklist, _) = expected_outcome(&original);
    let mut interrupted_mid_write = 0;
    for i in 0..10 {
        let t = Test::new()
            .file(CHECKLIST, &original)
            .file("runs.json", runs(3, 4));
        let mut child = command(t.path())
            .args(["--runs-file", "runs.json"])
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while temp_files(t.path()).is_empty()
            && child.try_wait().unwrap().is_none()
            && Instant::now() < deadline
        {
            std::hint::spin_loop();
        }
        let seen = !temp_files(t.path()).is_empty();
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let out = child.wait_with_output().unwrap();
        let checklist = t.read(CHECKLIST);
        assert!(
            checklist == original.as_bytes() || checklist == new_checklist,
            "{i}: torn"
        );
        assert!(
            temp_files(t.path()).is_empty(),
            "{i}: a temporary file is left"
        );
        if seen && out.status.code() == Some(130) {
            interrupted_mid_write += 1;
        }
    }
    eprintln!(
        "SIGTERM: 10 runs, {interrupted_mid_write} interrupted mid-write, no temporary file left"
    );
}

#[test]
fn leftovers_of_a_killed_run_are_removed_with_a_message() {
    let t = Test::new()
        .file(CHECKLIST, SEED)
        .file(".release-checklist.md.Ab12Cd.tmp", "half a checklist")
        .file(".cache/.readiness.json.xY9z00.tmp", "[{\"torn")
        .file(".cache/readiness.json", "[]")
        .file("notes.tmp", "not ours")
        .args(["--offline"]);
    let run = t.run();
    run.code(0)
        .stderr_has(".release-checklist.md.Ab12Cd.tmp, left by a run that was killed while writing")
        .stderr_has(".readiness.json.xY9z00.tmp");
    assert_eq!(temp_files(t.path()), ["notes.tmp"]);
    assert_eq!(history_entries(t.path()).len(), 1);
}

#[test]
fn a_killed_lock_holder_does_not_wedge_the_next_run() {
    // The first run holds the lock while it waits on a Slack server that
    // never answers in time.
    let slack = Server::start(|_: &Request| Reply::text(200, "ok").after(Duration::from_secs(60)));
    let t = Test::new()
        .file(CHECKLIST, SEED)
        .file("a.json", runs(1, 2))
        .file("b.json", runs(2, 2));
    let hook = format!("{}/services/T0/B0/x", slack.url());
    let mut holder = command(t.path())
        .args([
            "--runs-file",
            "a.json",
            "--notify",
            "--notify-always",
            "--http-timeout",
            "120",
        ])
        .env("SLACK_WEBHOOK_URL", &hook)
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while slack.requests().is_empty() {
        assert!(
            Instant::now() < deadline,
            "the first run never reached Slack"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut waiter = command(t.path())
        .args(["--runs-file", "b.json"])
        .spawn()
        .unwrap();
    // Read the waiter's stderr as it comes, to see it start waiting.
    let stderr_pipe = waiter.stderr.take().unwrap();
    let (lines_tx, lines) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        use std::io::BufRead as _;
        for line in std::io::BufReader::new(stderr_pipe)
            .lines()
            .map_while(Result::ok)
        {
            let _ = lines_tx.send(line);
        }
    });
    let mut stderr = String::new();
    loop {
        let line = lines
            .recv_timeout(Duration::from_secs(30))
            .expect("the second run never said it was waiting");
        stderr.push_str(&line);
        stderr.push('\n');
        if line.contains("waiting for another release-dashboard run") {
            break;
        }
    }
    assert!(
        waiter.try_wait().unwrap().is_none(),
        "the second run did not wait for the lock"
    );
    let holder_pid = holder.id();
    holder.kill().unwrap();
    let _ = holder.wait();
    let killed_at = Instant::now();
    let status = waiter.wait().unwrap();
    reader.join().unwrap();
    stderr.extend(lines.try_iter().map(|line| line + "\n"));
    assert!(status.success(), "{stderr}");
    assert!(
        killed_at.elapsed() < Duration::from_secs(10),
        "the second run was wedged"
    );
    assert!(
        stderr.contains(&format!(
            "recovered the lock: the previous run here (pid {holder_pid}, started "
        )),
        "{stderr}"
    );
    assert_eq!(history_entries(t.path()).len(), 2, "both runs recorded");
    assert!(
        t.read_string(CHECKLIST).contains("100"),
        "the second run's CI figures"
    );
    assert!(temp_files(t.path()).is_empty());
}

/// In a shared temporary directory anyone may create our record directory's
/// name first: as a link to somewhere else, or world-writable. Neither is
/// used; the run goes on without holder records.
#[test]
fn a_planted_record_directory_is_not_used() {
    let tmp = tempfile::tempdir().unwrap();
    let probe = tmp.path().join("probe");
    std::fs::write(&probe, "").unwrap();
    let uid = std::fs::metadata(&probe).unwrap().uid();
    let ours = tmp.path().join(format!("release-dashboard-{uid}"));
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &ours).unwrap();
    for attempt in ["a symbolic link", "a world-writable directory"] {
        let t = Test::new().file(CHECKLIST, SEED);
        let out = command(t.path())
            .args(["--offline"])
            .env("TMPDIR", tmp.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{attempt}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let planted = if ours.is_symlink() { &elsewhere } else { &ours };
        assert_eq!(
            std::fs::read_dir(planted).unwrap().count(),
            0,
            "{attempt}: a record was written there"
        );
        if ours.is_symlink() {
            std::fs::remove_file(&ours).unwrap();
            std::fs::create_dir(&ours).unwrap();
            chmod(&ours, 0o777);
        }
    }
}

// ---------------------------------------------------------------- file systems

/// Whether this process is root (root ignores permission bits, so the
/// permission tests run the binary as `nobody` instead).
fn running_as_root(dir: &Path) -> bool {
    std::fs::metadata(dir).is_ok_and(|m| m.uid() == 0)
}

const NOBODY: u32 = 65534;

/// Run the binary in `dir` as an unprivileged user; `owned` paths are
/// given to that user first (when root), the rest stay root's.
fn run_unprivileged(dir: &Path, owned: &[&Path], args: &[&str]) -> std::process::Output {
    use std::os::unix::process::CommandExt as _;
    let mut cmd = command(dir);
    cmd.args(args);
    if running_as_root(dir) {
        for path in owned {
            std::os::unix::fs::chown(path, Some(NOBODY), Some(NOBODY)).unwrap();
        }
        cmd.uid(NOBODY).gid(NOBODY);
    }
    cmd.output().unwrap()
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A project everyone may read: checklist, runs file and an existing history.
fn readable_project() -> Test {
    let t = Test::new()
        .file(CHECKLIST, SEED)
        .file("runs.json", runs(3, 4))
        .file(HISTORY, "[]\n");
    for path in [t.path(), &t.path().join(".cache")] {
        chmod(path, 0o755);
    }
    t
}

fn assert_failed_cleanly(
    t: &Test,
    before: &[(PathBuf, Vec<u8>)],
    out: &std::process::Output,
    needles: &[&str],
) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "stderr lacks {needle:?}: {stderr}");
    }
    assert!(stderr.contains("no file was changed"), "{stderr}");
    assert_eq!(t.snapshot(), before, "a file changed");
    assert!(temp_files(t.path()).is_empty());
}

#[test]
fn a_read_only_checklist_is_left_alone() {
    let t = readable_project();
    chmod(&t.path().join(CHECKLIST), 0o444);
    let before = t.snapshot();
    let dirs = [t.path(), &t.path().join(".cache")];
    let out = run_unprivileged(t.path(), &dirs, &["--runs-file", "runs.json"]);
    assert_failed_cleanly(
        &t,
        &before,
        &out,
        &[CHECKLIST, "Permission denied", "must be able to write"],
    );
}

#[test]
fn an_unwritable_directory_changes_nothing() {
    let t = readable_project();
    chmod(&t.path().join(CHECKLIST), 0o666);
    chmod(&t.path().join(HISTORY), 0o666);
    chmod(t.path(), 0o555);
    let before = t.snapshot();
    let out = run_unprivileged(t.path(), &[], &["--runs-file", "runs.json"]);
    chmod(t.path(), 0o755);
    assert_failed_cleanly(
        &t,
        &before,
        &out,
        &[CHECKLIST, "temporary file", "Permission denied"],
    );
}

/// The checklist could be written but the history could not: staging
/// both first means the checklist is not changed either.
#[test]
fn an_unwritable_history_directory_leaves_the_checklist_too() {
    let t = readable_project();
    let cache = t.path().join(".cache");
    chmod(&cache, 0o555);
    chmod(&t.path().join(HISTORY), 0o666);
    let before = t.snapshot();
    let checklist = t.path().join(CHECKLIST);
    let out = run_unprivileged(
        t.path(),
        &[t.path(), &checklist],
        &["--runs-file", "runs.json"],
    );
    chmod(&cache, 0o755);
    assert_failed_cleanly(&t, &before, &out, &["readiness.json", "Permission denied"]);
}

/// A file-size limit (`ulimit -f`, with SIGXFSZ ignored so writes fail
/// with EFBIG instead of killing the process): a failing writer for real.
#[test]
fn a_file_size_limit_fails_the_write_cleanly() {
    let t = readable_project();
    let before = t.snapshot();
    let script = r#"trap '' XFSZ; ulimit -f 1; exec "$0" "$@""#;
    let mut sh = Command::new("sh");
    clean_env(&mut sh);
    let out = sh
        .current_dir(t.path())
        .args(["-c", script])
        .arg(binary())
        .args(["--runs-file", "runs.json"])
        .output()
        .unwrap();
    assert_failed_cleanly(&t, &before, &out, &[CHECKLIST, "ulimit -f"]);
}

/// A full disk, for real: the project on a tmpfs with no space left,
/// mounted in a private user and mount namespace (no root needed). Set
/// RELEASE_DASHBOARD_REQUIRE_TMPFS=1 to fail instead of skipping where
/// namespaces are not allowed.
#[test]
fn a_full_disk_fails_the_write_cleanly() {
    let t = readable_project();
    let before = t.snapshot();
    let work = tempfile::tempdir().unwrap();
    let mount = work.path().join("mnt");
    let after = work.path().join("after");
    std::fs::create_dir_all(&mount).unwrap();
    std::fs::create_dir_all(&after).unwrap();
    let script = r#"
        set -u
        mount -t tmpfs -o size=1m tmpfs "$MNT" || exit 97
        cp -a "$SRC/." "$MNT/" || exit 98
        mkdir "$MNT/filler" && cat /dev/zero > "$MNT/filler/zeros" 2>/dev/null
        cd "$MNT" && "$BIN" --runs-file runs.json
        code=$?
        rm -rf "$MNT/filler"
        cp -a "$MNT/." "$AFTER/"
        exit $code
    "#;
    let mut unshare = Command::new("unshare");
    clean_env(&mut unshare);
    let out = unshare
        .args(["--user", "--map-root-user", "--mount", "sh", "-c", script])
        .env("MNT", &mount)
        .env("SRC", t.path())
        .env("AFTER", &after)
        .env("BIN", binary())
        .output();
    let usable = matches!(&out, Ok(o) if !matches!(o.status.code(), Some(97 | 98) | None) && !String::from_utf8_lossy(&o.stderr).contains("unshare:"));
    if !usable {
        let why = match &out {
            Ok(o) => String::from_utf8_lossy(&o.stderr).into_owned(),
            Err(e) => e.to_string(),
        };
        assert!(
            std::env::var_os("RELEASE_DASHBOARD_REQUIRE_TMPFS").is_none(),
            "cannot mount a tmpfs here: {why}"
        );
        eprintln!("skipped: cannot mount a tmpfs here ({})", why.trim());
        return;
    }
    let out = out.unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(stderr.contains("free some disk space"), "{stderr}");
    assert!(stderr.contains("no file was changed"), "{stderr}");
    for (path, bytes) in before {
        let relative = path.strip_prefix(t.path()).unwrap();
        assert_eq!(
            std::fs::read(after.join(relative)).unwrap(),
            bytes,
            "{relative:?} changed"
        );
    }
    assert!(temp_files(&after).is_empty(), "{:?}", temp_files(&after));
}
