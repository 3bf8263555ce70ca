//! Outputs checked by the real programs that consume them, where they can
//! run here (issue 15): the Mermaid chart by Mermaid CLI (`mmdc`) with the
//! system Chromium, the man page by `groff -ww` and `mandoc -Tlint`, the
//! bash completion by bash itself.
//!
//! A consumer that is not installed is skipped with a note, unless
//! `RELEASE_DASHBOARD_REQUIRE_CONSUMERS=1` (then the test fails).
//! `RELEASE_DASHBOARD_MMDC` names the `mmdc` to use (else `mmdc` on PATH);
//! `RELEASE_DASHBOARD_KEEP_CHART=DIR` keeps `trend-light.png` and
//! `trend-dark.png` there (how the pictures in `docs/` were made).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::browser::find_browser;
use crate::support::fixtures::SEED;
use crate::support::harness::Test;

fn on_path(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt as _;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| {
            std::fs::metadata(candidate)
                .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
        })
}

/// `Some(tool)`, or `None` after a note (a failure when consumers are required).
fn consumer(what: &str, found: Option<PathBuf>) -> Option<PathBuf> {
    if found.is_none() {
        assert!(
            std::env::var("RELEASE_DASHBOARD_REQUIRE_CONSUMERS").as_deref() != Ok("1"),
            "{what} is required (RELEASE_DASHBOARD_REQUIRE_CONSUMERS=1) but not installed"
        );
        eprintln!("note: {what} not installed; conformance check skipped");
    }
    found
}

/// A 30-entry history, oldest first, with two scores outside 0–100 (an
/// old file's) and a drop at the end.
fn thirty_entries() -> String {
    let entries: Vec<String> = (0..30)
        .map(|i| {
            let score = match i {
                3 => 130.0,
                4 => -12.0,
                29 => 71.0,
                _ => 60.0 + f64::from(i),
            };
            format!(
                r#"{{"timestamp": "2026-10-{:02}T09:00:00Z", "score": {score}}}"#,
                i + 1
            )
        })
        .collect();
    format!("[{}]\n", entries.join(",\n"))
}

/// The fenced Mermaid block of the checklist after an offline update.
fn mermaid_block() -> String {
    let t = Test::new()
        .file("release-checklist.md", SEED)
        .file(".cache/readiness.json", thirty_entries())
        .args(["--offline", "--no-cache"]);
    t.run().code(0);
    let text = t.read_string("release-checklist.md");
    let start = text.find("```mermaid\n").unwrap() + "```mermaid\n".len();
    let end = start + text[start..].find("```").unwrap();
    text[start..end].to_string()
}

#[test]
fn mermaid_chart_is_themed_thinned_and_clamped() {
    let block = mermaid_block();
    assert!(block.starts_with("%%{init: "), "{block}");
    assert!(block.contains(r##""plotColorPalette": "#0969da, #8c959f""##));
    let labels = block
        .lines()
        .find_map(|l| l.trim().strip_prefix("x-axis ["))
        .unwrap();
    let labels: Vec<String> = serde_json::from_str(&format!("[{labels}")).unwrap();
    let written = labels.iter().filter(|l| l.contains('-')).count();
    assert!(written <= 8, "{labels:?}");
    assert!(!block.contains("130") && !block.contains("-12"), "{block}");
}

/// Render the chart with Mermaid CLI in light and dark mode; the SVG must
/// hold the score line in our blue with every point inside the plot (not
/// above the title), and only the thinned labels.
#[test]
fn mermaid_cli_renders_the_chart_readably() {
    let mmdc = std::env::var_os("RELEASE_DASHBOARD_MMDC")
        .map(PathBuf::from)
        .or_else(|| on_path("mmdc"));
    let Some(mmdc) = consumer("Mermaid CLI (mmdc)", mmdc) else {
        return;
    };
    let Some(browser) = consumer("Chromium", find_browser()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("puppeteer.json");
    std::fs::write(
        &config,
        serde_json::json!({
            "executablePath": browser,
            "args": ["--no-sandbox", "--disable-gpu"]
        })
        .to_string(),
    )
    .unwrap();
    let input = dir.path().join("trend.mmd");
    std::fs::write(&input, mermaid_block()).unwrap();
    let render = |theme: &str, background: &str, out: &Path| {
        let status = Command::new(&mmdc)
            .arg("-p")
            .arg(&config)
            .arg("-i")
            .arg(&input)
            .arg("-o")
            .arg(out)
            .args(["-t", theme, "-b", background, "-w", "800"])
            .status()
            .unwrap();
        assert!(status.success(), "mmdc failed for {theme}");
    };
    for (theme, background) in [("default", "white"), ("dark", "#0d1117")] {
        let svg_path = dir.path().join(format!("trend-{theme}.svg"));
        render(theme, background, &svg_path);
        let svg = std::fs::read_to_string(&svg_path).unwrap();
        // The init block wins over the page's theme: our colours are used.
        assert!(svg.contains(r##"stroke="#0969da""##), "{theme}: {svg}");
        assert!(svg.contains(r##"fill="#ffffff""##), "{theme}: white card");
        let line = svg
            .split("<path d=\"M")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap();
        let points: Vec<(f64, f64)> = line
            .split('L')
            .map(|p| {
                let (x, y) = p.split_once(',').unwrap();
                (x.trim().parse().unwrap(), y.trim().parse().unwrap())
            })
            .collect();
        assert_eq!(points.len(), 30, "{line}");
        let title_y = 21.0 + 15.0;
        assert!(
            points.iter().all(|&(_, y)| y > title_y),
            "{theme}: a point is drawn over the title: {points:?}"
        );
        let xs: Vec<f64> = points.iter().map(|p| p.0).collect();
        assert!(
            xs.windows(2).all(|w| w[1] > w[0]),
            "distinct x positions: {xs:?}"
        );
        let dated = svg.matches(">10-").count();
        assert!((1..=8).contains(&dated), "{theme}: {dated} x labels");
    }
    if let Some(keep) = std::env::var_os("RELEASE_DASHBOARD_KEEP_CHART") {
        let keep = PathBuf::from(keep);
        std::fs::create_dir_all(&keep).unwrap();
        render("default", "white", &keep.join("trend-light.png"));
        render("dark", "#0d1117", &keep.join("trend-dark.png"));
    }
}

/// The man page is ASCII and passes `groff -ww` (all warnings) and
/// `mandoc -Tlint` at warning level (mandoc's style notes about line
/// length in generated text are not failures).
#[test]
fn man_page_is_ascii_and_lint_clean() {
    let t = Test::new().args(["man"]);
    let run = t.run();
    run.code(0);
    let page = run.stdout;
    assert!(page.is_ascii(), "non-ASCII in the man page");
    let th = page.lines().find(|l| l.starts_with(".TH ")).unwrap();
    assert_eq!(
        th,
        format!(
            ".TH RELEASE-DASHBOARD 1 2026-11-24 \"release-dashboard {}\" \"User Commands\"",
            env!("CARGO_PKG_VERSION")
        )
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("release-dashboard.1");
    std::fs::write(&file, &page).unwrap();
    if let Some(groff) = consumer("groff", on_path("groff")) {
        let out = Command::new(groff)
            .args(["-ww", "-man", "-z"])
            .arg(&file)
            .output()
            .unwrap();
        assert!(out.status.success());
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "",
            "groff -ww warnings"
        );
        let text = Command::new("groff")
            .args(["-man", "-Tascii"])
            .arg(&file)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&text.stdout);
        assert!(
            text.contains("0-100"),
            "plain groff prints the range: {text}"
        );
    }
    if let Some(mandoc) = consumer("mandoc", on_path("mandoc")) {
        let out = Command::new(mandoc)
            .args(["-Tlint", "-W", "warning"])
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            out.status.success() && out.stdout.is_empty() && out.stderr.is_empty(),
            "mandoc -Tlint:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// What bash offers for `words` (the last one being completed), using the
/// generated completion script the way bash's programmable completion
/// calls it.
fn bash_complete(script: &Path, words: &[&str]) -> String {
    let line = words.join(" ");
    let array: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        r#"source '{}'
spec=$(complete -p release-dashboard) || exit 3
fn=$(printf '%s' "$spec" | sed -E 's/.* -F ([^ ]+) .*/\1/')
COMP_WORDS=({})
COMP_CWORD={}
COMP_LINE='{line}'
COMP_POINT=${{#COMP_LINE}}
"$fn" release-dashboard '{}' '{}'
printf '%s\n' "${{COMPREPLY[@]}}""#,
        script.display(),
        array.join(" "),
        words.len() - 1,
        words[words.len() - 1],
        words[words.len() - 2],
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Bash completes after a subcommand (clap_complete's hyphenated-name bug
/// is patched around) as well as before one.
#[test]
fn bash_completes_after_subcommands() {
    if consumer("bash", on_path("bash")).is_none() {
        return;
    }
    let run = Test::new().args(["completions", "bash"]).run();
    run.code(0);
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("release-dashboard.bash");
    std::fs::write(&script, &run.stdout).unwrap();
    let offered = |words: &[&str]| -> Vec<String> {
        bash_complete(&script, words)
            .lines()
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        offered(&["release-dashboard", "history", "--f"]),
        ["--format"]
    );
    assert_eq!(
        offered(&["release-dashboard", "portfolio", "--ga"]),
        ["--gate"]
    );
    assert_eq!(
        offered(&["release-dashboard", "completions", "fi"]),
        ["fish"]
    );
    assert_eq!(
        offered(&["release-dashboard", "--check-"]),
        ["--check-only"],
        "top-level flags still complete"
    );
    assert!(offered(&["release-dashboard", "hist"]).contains(&"history".to_string()));
}
