//! The HTML report in a real browser: headless Chromium loads the file,
//! and its DOM must hold the score, every category and every blocker; a
//! screenshot must come out.
//!
//! Without a browser on PATH (`chromium`, `chromium-browser`,
//! `google-chrome`) the test prints a note and passes, unless
//! `RELEASE_DASHBOARD_REQUIRE_BROWSER=1` (as in `.ci/run`). Set
//! `RELEASE_DASHBOARD_KEEP_SCREENSHOT=PATH` to keep a copy of the screenshot.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::report::HISTORY;
use crate::support::fixtures::{RUNS, SEED};
use crate::support::harness::Test;

/// Longest a browser run may take before it is killed.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(60);

/// A blocker whose name needs escaping: the checklist's entities decode to
/// `Check <script> escaping & "quotes"`.
const HOSTILE_ROW: &str = "| Check &lt;script&gt; escaping & \"quotes\" | ❌ FAIL | @web&co |";
const HOSTILE_NAME: &str = "Check <script> escaping & \"quotes\"";

pub(crate) fn find_browser() -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt as _;
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| {
            std::fs::metadata(candidate)
                .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
        })
}

pub(crate) struct BrowserRun {
    pub(crate) success: bool,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// Run the browser headless with a fresh profile; kill its whole process
/// group when it overruns [`BROWSER_TIMEOUT`].
pub(crate) fn run_browser(browser: &Path, extra: &[String]) -> BrowserRun {
    use std::os::unix::process::CommandExt as _;
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", browser.display()));
    let (tx, rx) = mpsc::channel();
    for (which, mut pipe) in [
        (
            0,
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
        ),
        (1, Box::new(child.stderr.take().unwrap())),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = pipe.read_to_end(&mut buf);
            let _ = tx.send((which, buf));
        });
    }
    let deadline = Instant::now() + BROWSER_TIMEOUT;
    let kill = |child: &mut std::process::Child| {
        // The browser's helpers share its process group.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .status();
        let _ = child.kill();
        let _ = child.wait();
    };
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() >= deadline {
            kill(&mut child);
            panic!(
                "{} did not finish within {BROWSER_TIMEOUT:?}; killed it",
                browser.display()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    for _ in 0..2 {
        let left = deadline.saturating_duration_since(Instant::now()) + Duration::from_secs(5);
        match rx.recv_timeout(left) {
            Ok((0, buf)) => stdout = buf,
            Ok((_, buf)) => stderr = buf,
            Err(_) => {
                kill(&mut child);
                panic!("{}'s helpers kept its output open", browser.display());
            }
        }
    }
    BrowserRun {
        success: status.success(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// `file://` URL of an absolute path, percent-encoding what a URL needs.
pub(crate) fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                url.push(char::from(byte));
            }
            _ => url.push_str(&format!("%{byte:02X}")),
        }
    }
    url
}

/// How the DOM serializer writes a text node: `&`, `<`, `>` and U+00A0 as
/// references, everything else (quotes included) as itself.
fn serialized_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\u{a0}', "&nbsp;")
}

#[test]
fn report_renders_in_headless_chromium() {
    let Some(browser) = find_browser() else {
        assert_ne!(
            std::env::var("RELEASE_DASHBOARD_REQUIRE_BROWSER").as_deref(),
            Ok("1"),
            "RELEASE_DASHBOARD_REQUIRE_BROWSER=1 but none of chromium, chromium-browser, google-chrome is on PATH"
        );
        eprintln!("note: no chromium on PATH; skipping the browser test of the HTML report");
        return;
    };
    let checklist = SEED.replace("| Migrations | ✅ PASS | |", HOSTILE_ROW);
    assert_ne!(checklist, SEED);
    let t = Test::new()
        .file("release-checklist.md", &checklist)
        .file("runs.json", RUNS)
        .file(".cache/readiness.json", HISTORY)
        .args([
            "report",
            "--html",
            "site/report.html",
            "--runs-file",
            "runs.json",
        ]);

    // What the page must show, from the tool's own JSON.
    let facts = Test::new()
        .file("release-checklist.md", &checklist)
        .args(["--check-only", "--offline", "--format", "json"])
        .run()
        .json();
    let score = format!("{:.2}%", facts["score"].as_f64().unwrap());
    let categories: Vec<String> = facts["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    let blockers: Vec<String> = facts["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(categories.len(), 4);
    assert!(blockers.iter().any(|b| b == HOSTILE_NAME), "{blockers:?}");
    assert!(blockers.len() >= 2, "{blockers:?}");

    t.run().code(0);
    let page_path = t.path().join("site/report.html");
    let source = std::fs::read_to_string(&page_path).unwrap();
    assert!(source.contains("Check &lt;script&gt; escaping &amp; &quot;quotes&quot;"));
    let url = file_url(&page_path);

    let dom = run_browser(&browser, &["--dump-dom".to_string(), url.clone()]);
    assert!(dom.success, "--dump-dom failed:\n{}", dom.stderr);
    let dom = dom.stdout;
    assert!(dom.contains("<h1>Release readiness</h1>"), "{dom}");
    assert!(
        dom.contains(&format!("<span class=\"score-value\">{score}</span>")),
        "{score}\n{dom}"
    );
    for name in &categories {
        let text = serialized_text(name);
        assert!(
            dom.contains(&format!("<th scope=\"row\">{text}")),
            "category {name}\n{dom}"
        );
        assert!(
            dom.contains(&format!("aria-label=\"{name}: ")),
            "bar of {name}"
        );
    }
    for name in &blockers {
        let text = serialized_text(name);
        assert!(
            dom.contains(&format!("<th scope=\"row\">{text}</th>")),
            "blocker {name}\n{dom}"
        );
    }
    // Decoded into one text node: the quotes are plain, and no element was made.
    assert!(dom.contains("Check &lt;script&gt; escaping &amp; \"quotes\""));
    assert!(!dom.contains("<script"), "{dom}");
    assert!(dom.contains("<code>@web&amp;co</code>"));
    assert!(
        dom.contains("<svg ")
            && dom.contains("Release readiness score")
            && dom.contains("<path d=\"M"),
        "trend chart\n{dom}"
    );

    let png = t.path().join("site/report.png");
    let shot = run_browser(
        &browser,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1280,2000".to_string(),
            url,
        ],
    );
    assert!(shot.success, "--screenshot failed:\n{}", shot.stderr);
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert!(
        bytes.len() > 10 * 1024,
        "screenshot of {} bytes",
        bytes.len()
    );
    if let Some(keep) = std::env::var_os("RELEASE_DASHBOARD_KEEP_SCREENSHOT") {
        std::fs::copy(&png, keep).unwrap();
    }
}
