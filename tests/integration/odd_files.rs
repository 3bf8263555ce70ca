//! Issue 13 failure 9: a FIFO or a device given as the checklist, history,
//! runs file or config is refused at once (exit 2, naming the file and the
//! fix), without blocking and without wedging later runs.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::fixtures::SEED;
use crate::support::harness::EPOCH;

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Run the binary in `dir`, killing it (and failing) after 20 s.
fn run_bounded(dir: &Path, args: &[&str]) -> (i32, String) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("release-dashboard"))
        .current_dir(dir)
        .args(args)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("RELEASE_DASHBOARD_CONFIG")
        .env_remove("RELEASE_DASHBOARD_HISTORY")
        .env_remove("RELEASE_DASHBOARD_CHECKLIST")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
            return (status.code().unwrap_or(-1), stderr);
        }
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("release-dashboard {args:?} hung on an odd file");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn fifos_and_devices_are_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("release-checklist.md"), SEED).unwrap();
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    let cases: [(&[&str], &str); 6] = [
        (&["--offline", "--checklist", "pipe"], "FIFO"),
        (&["--offline", "--history", "pipe"], "FIFO"),
        (&["--runs-file", "pipe"], "FIFO"),
        (&["--offline", "--config", "pipe"], "FIFO"),
        (&["--runs-file", "/dev/zero"], "character device"),
        (&["--offline", "--history", "/dev/zero"], "character device"),
    ];
    for (args, kind) in cases {
        let before = std::fs::read(dir.path().join("release-checklist.md")).unwrap();
        let (code, stderr) = run_bounded(dir.path(), args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        let named = args.last().unwrap();
        assert!(
            stderr.contains(named),
            "{args:?} does not name the file: {stderr}"
        );
        assert!(stderr.contains(kind), "{args:?}: {stderr}");
        assert!(
            stderr.contains("regular file"),
            "{args:?} gives no fix: {stderr}"
        );
        assert_eq!(
            std::fs::read(dir.path().join("release-checklist.md")).unwrap(),
            before,
            "{args:?} changed the checklist"
        );
    }
    // Nothing is wedged: the next ordinary run goes through.
    let (code, stderr) = run_bounded(dir.path(), &["--offline"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn an_input_over_the_cap_says_how_to_raise_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("release-checklist.md"), SEED).unwrap();
    let runs = dir.path().join("runs.json");
    std::fs::write(&runs, vec![b' '; 2 * 1024 * 1024]).unwrap();
    let out = Command::new(assert_cmd::cargo::cargo_bin("release-dashboard"))
        .current_dir(dir.path())
        .args(["--runs-file", "runs.json"])
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("RELEASE_DASHBOARD_MAX_INPUT_MIB", "1")
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("runs.json") && stderr.contains("RELEASE_DASHBOARD_MAX_INPUT_MIB"),
        "{stderr}"
    );
}
