//! A small builder: files in a temp dir, arguments, environment; run the
//! binary; assert on exit code, output and files.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

/// 2026-11-24 09:00:00 UTC, the clock every test runs at unless it says otherwise.
pub(crate) const EPOCH: &str = "1795510800";

pub(crate) struct Test {
    dir: TempDir,
    /// The user's cache directory (`XDG_CACHE_HOME`) for this test.
    cache: TempDir,
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Option<Vec<u8>>,
}

pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Test {
    pub(crate) fn new() -> Test {
        let cache = tempfile::tempdir().expect("temp dir");
        let xdg = cache.path().display().to_string();
        Test {
            dir: tempfile::tempdir().expect("temp dir"),
            cache,
            args: Vec::new(),
            env: vec![
                ("SOURCE_DATE_EPOCH".into(), EPOCH.into()),
                ("XDG_CACHE_HOME".into(), xdg),
            ],
            stdin: None,
        }
    }

    pub(crate) fn file(self, name: &str, contents: impl AsRef<[u8]>) -> Test {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&path, contents).expect("write fixture");
        self
    }

    pub(crate) fn args<I: IntoIterator<Item = S>, S: Into<String>>(mut self, args: I) -> Test {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Forget the arguments so far (to run another command in the same dir).
    pub(crate) fn clear_args(mut self) -> Test {
        self.args.clear();
        self
    }

    pub(crate) fn env(mut self, key: &str, value: &str) -> Test {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.into(), value.into()));
        self
    }

    pub(crate) fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Test {
        self.stdin = Some(bytes.into());
        self
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The test's user cache directory (`XDG_CACHE_HOME`).
    pub(crate) fn cache_home(&self) -> &Path {
        self.cache.path()
    }

    /// Run the binary in the temp dir.
    pub(crate) fn run(&self) -> Run {
        self.run_with::<[&str; 0], &str>([])
    }

    /// Run the binary in the temp dir with `extra` arguments after the others.
    pub(crate) fn run_with<I: IntoIterator<Item = S>, S: AsRef<std::ffi::OsStr>>(
        &self,
        extra: I,
    ) -> Run {
        let mut cmd = Command::cargo_bin("release-dashboard").expect("binary");
        cmd.current_dir(self.dir.path())
            .args(&self.args)
            .args(extra);
        for key in [
            "NO_COLOR",
            "RELEASE_DASHBOARD_CHECKLIST",
            "RELEASE_DASHBOARD_CONFIG",
            "RELEASE_DASHBOARD_THRESHOLD",
            "RELEASE_DASHBOARD_HISTORY",
            "RELEASE_DASHBOARD_BRANCH",
            "RELEASE_DASHBOARD_HTTP_TIMEOUT",
            "RELEASE_DASHBOARD_CACHE_DIR",
            "GITHUB_ACTIONS",
            "SLACK_WEBHOOK_URL",
        ] {
            cmd.env_remove(key);
        }
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd.write_stdin(self.stdin.clone().unwrap_or_default());
        let Output {
            status,
            stdout,
            stderr,
        } = cmd.output().expect("run binary");
        Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }

    /// Run once more in the same dir with only `args` and `--format json`;
    /// its stdout as JSON.
    pub(crate) fn clone_run_json(&self, args: &[&str]) -> serde_json::Value {
        let mut cmd = Command::cargo_bin("release-dashboard").expect("binary");
        cmd.current_dir(self.dir.path())
            .args(args)
            .args(["--format", "json"])
            .env_remove("GITHUB_ACTIONS")
            .env_remove("NO_COLOR");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run binary");
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        })
    }

    pub(crate) fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.dir.path().join(name)).expect("read file")
    }

    pub(crate) fn read_string(&self, name: &str) -> String {
        String::from_utf8(self.read(name)).expect("utf-8")
    }

    pub(crate) fn exists(&self, name: &str) -> bool {
        self.dir.path().join(name).exists()
    }

    /// Every file under the temp dir with its bytes, to prove nothing changed.
    pub(crate) fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files = Vec::new();
        collect(self.dir.path(), &mut files);
        files.sort();
        files
    }
}

fn collect(dir: &Path, files: &mut Vec<(PathBuf, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if let Ok(bytes) = std::fs::read(&path) {
            files.push((path, bytes));
        }
    }
}

impl Run {
    #[track_caller]
    pub(crate) fn code(&self, expected: i32) -> &Run {
        assert_eq!(
            self.code, expected,
            "exit code\n--- stdout:\n{}\n--- stderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub(crate) fn stdout_has(&self, needle: &str) -> &Run {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    #[track_caller]
    pub(crate) fn stderr_has(&self, needle: &str) -> &Run {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}\n--- stderr:\n{}",
            self.stderr
        );
        self
    }

    #[track_caller]
    pub(crate) fn stdout_lacks(&self, needle: &str) -> &Run {
        assert!(
            !self.stdout.contains(needle),
            "stdout has {needle:?}\n--- stdout:\n{}",
            self.stdout
        );
        self
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}
