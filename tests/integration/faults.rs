//! The fault table: every bad input and every HTTP fault the earlier issues
//! name, each played against the real binary with a GitHub token and a
//! Slack webhook in its environment, once as on a terminal and once as in
//! GitHub Actions (annotations, step outputs, job summary).
//!
//! Every row asserts the exit code and the message. A rejected input or a
//! failed run must leave every byte of the user's files as it was; a run
//! that survives its fault may change only the managed blocks, must leave
//! one pair of each marker, and must be idempotent. No row may print or
//! write the token or the webhook anywhere.
//!
//! `cargo test --test integration faults -- --nocapture` prints the tally
//! that `docs/RELIABILITY.md` quotes.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::json;

use crate::github::{exhausted, page};
use crate::support::fixtures::{RUNS, SEED, outside_blocks};
use crate::support::harness::{Run, Test};
use crate::support::server::{Reply, Request, Server};

const CHECKLIST: &str = "release-checklist.md";
const HISTORY: &str = ".cache/readiness.json";
const TOKEN: &str = "ghp_FaultTableTokenSecret0123456789";
const HOOK_SECRET: &str = "FaultTableHookSecret42";
/// Fragments that must never appear in any output.
const SECRETS: [&str; 3] = [TOKEN, "FaultTableTokenSecret", HOOK_SECRET];

/// What a fake server answers.
#[derive(Clone)]
enum Script {
    /// The n-th request gets the n-th reply (then 500 "unexpected request").
    Seq(Vec<Reply>),
    /// Every request gets this reply.
    Always(Reply),
}

/// How the row must end.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Outcome {
    /// This exit code, and no byte of any user file changed.
    Untouched(i32),
    /// This exit code, and only the managed blocks (and the history) changed.
    Updated(i32),
}

#[derive(Clone)]
struct Row {
    name: String,
    checklist: Vec<u8>,
    files: Vec<(&'static str, Vec<u8>)>,
    args: Vec<String>,
    env: Vec<(&'static str, String)>,
    /// GitHub replies; the row then runs against the API (`--repo`, `--api-url`).
    github: Option<Script>,
    /// Slack replies; the row then runs with `--notify --notify-always`.
    slack: Option<Script>,
    outcome: Outcome,
    /// Each must appear in stderr (or stdout, for `Updated` rows).
    needles: Vec<&'static str>,
}

impl Row {
    fn new(name: &str, checklist: impl Into<Vec<u8>>) -> Row {
        Row {
            name: name.to_string(),
            checklist: checklist.into(),
            files: Vec::new(),
            args: Vec::new(),
            env: Vec::new(),
            github: None,
            slack: None,
            outcome: Outcome::Updated(0),
            needles: Vec::new(),
        }
    }

    /// The seed's checklist, offline unless a server is added.
    fn seed(name: &str) -> Row {
        Row::new(name, SEED)
    }

    fn file(mut self, name: &'static str, bytes: impl Into<Vec<u8>>) -> Row {
        self.files.push((name, bytes.into()));
        self
    }

    fn args(mut self, args: &[&str]) -> Row {
        self.args.extend(args.iter().map(ToString::to_string));
        self
    }

    fn env(mut self, key: &'static str, value: &str) -> Row {
        self.env.push((key, value.to_string()));
        self
    }

    fn github(mut self, script: Script) -> Row {
        self.github = Some(script);
        self
    }

    fn slack(mut self, script: Script) -> Row {
        self.slack = Some(script);
        self
    }

    fn rejected(mut self, code: i32, needles: &[&'static str]) -> Row {
        self.outcome = Outcome::Untouched(code);
        self.needles = needles.to_vec();
        self
    }

    /// The update is written, but the run exits with `code` (a failed
    /// alert under `--strict`).
    fn updates_then_fails(mut self, code: i32, needles: &[&'static str]) -> Row {
        self.outcome = Outcome::Updated(code);
        self.needles = needles.to_vec();
        self
    }

    fn survives(mut self, needles: &[&'static str]) -> Row {
        self.outcome = Outcome::Updated(0);
        self.needles = needles.to_vec();
        self
    }
}

fn serve(script: &Script) -> Server {
    match script.clone() {
        Script::Seq(replies) => Server::scripted(replies),
        Script::Always(reply) => Server::start(move |_: &Request| reply.clone()),
    }
}

/// How one row is played.
#[derive(Clone, Copy, Debug)]
enum Mode {
    Terminal,
    Actions,
}

/// Play `row` in `mode`; `Err` says what went wrong.
fn play(row: &Row, mode: Mode) -> Result<(), String> {
    let github = row.github.as_ref().map(serve);
    let slack = row.slack.as_ref().map(serve);
    let outputs = tempfile::tempdir().map_err(|e| e.to_string())?;
    let t = project(row, mode, github.as_ref(), slack.as_ref(), outputs.path());
    let before = t.snapshot();
    let run = t.run();
    let output = format!("--- stdout:\n{}\n--- stderr:\n{}", run.stdout, run.stderr);
    let expected_code = match row.outcome {
        Outcome::Untouched(code) | Outcome::Updated(code) => code,
    };
    if run.code != expected_code {
        return Err(format!(
            "exit {} (wanted {expected_code})\n{output}",
            run.code
        ));
    }
    let said = match row.outcome {
        Outcome::Untouched(_) => run.stderr.clone(),
        Outcome::Updated(_) => format!("{}{}", run.stdout, run.stderr),
    };
    if let Some(needle) = row.needles.iter().find(|n| !said.contains(**n)) {
        return Err(format!("the message lacks {needle:?}\n{output}"));
    }
    check_secrets(&run, &t, outputs.path(), &github, &slack)?;
    match row.outcome {
        Outcome::Untouched(_) => {
            if t.snapshot() != before {
                return Err(format!("a user file changed\n{output}"));
            }
        }
        Outcome::Updated(_) => check_update(row, &t, &before)?,
    }
    if leftover_temp_files(t.path()) {
        return Err(format!("a temporary file was left behind\n{output}"));
    }
    Ok(())
}

/// The project directory for `row`, with its arguments and environment.
fn project(
    row: &Row,
    mode: Mode,
    github: Option<&Server>,
    slack: Option<&Server>,
    outputs: &Path,
) -> Test {
    let mut t = Test::new().file(CHECKLIST, &row.checklist);
    for (name, bytes) in &row.files {
        t = t.file(name, bytes);
    }
    if !row.args.iter().any(|a| a == "--checklist") {
        t = t.args(["--checklist", CHECKLIST]);
    }
    t = t
        .args(["--http-timeout", "2"])
        .env("GITHUB_TOKEN", TOKEN)
        .env(
            "SLACK_WEBHOOK_URL",
            &format!("https://hooks.slack.com/services/T0/B0/{HOOK_SECRET}"),
        );
    match github {
        Some(server) => t = t.args(["--repo", "acme/widget", "--api-url", &server.url()]),
        None if !row.args.iter().any(|a| a == "--runs-file") => t = t.args(["--offline"]),
        None => {}
    }
    if let Some(server) = slack {
        t = t.args(["--notify", "--notify-always"]).env(
            "SLACK_WEBHOOK_URL",
            &format!("{}/services/T0/B0/{HOOK_SECRET}", server.url()),
        );
    }
    t = t.args(row.args.iter().map(String::as_str));
    for (key, value) in &row.env {
        t = t.env(key, value);
    }
    if let Mode::Actions = mode {
        let summary = outputs.join("summary.md");
        let out = outputs.join("output.txt");
        t = t
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_STEP_SUMMARY", &summary.display().to_string())
            .env("GITHUB_OUTPUT", &out.display().to_string());
    }
    t
}

/// Neither secret in stdout, stderr, any file of the project or of the
/// Actions outputs, or any request header or body where it does not belong.
fn check_secrets(
    run: &Run,
    t: &Test,
    outputs: &Path,
    github: &Option<Server>,
    slack: &Option<Server>,
) -> Result<(), String> {
    let mut places = vec![
        ("stdout".to_string(), run.stdout.as_bytes().to_vec()),
        ("stderr".to_string(), run.stderr.as_bytes().to_vec()),
    ];
    for dir in [t.path(), outputs] {
        for (path, bytes) in files_under(dir) {
            places.push((path, bytes));
        }
    }
    // The token may travel only in GitHub's Authorization header, the
    // webhook only as the Slack request's path: every other header and
    // every body must carry neither.
    for (server, allowed) in [(github, "authorization"), (slack, "")] {
        for request in server.iter().flat_map(Server::requests) {
            let path = request.path_without_query().to_string();
            for (name, value) in request.headers.iter().filter(|(n, _)| n != allowed) {
                places.push((
                    format!("request header {name} to {path}"),
                    value.clone().into(),
                ));
            }
            places.push((format!("request body to {path}"), request.body.clone()));
        }
    }
    for (place, bytes) in places {
        let text = String::from_utf8_lossy(&bytes);
        if let Some(secret) = SECRETS.iter().find(|s| text.contains(**s)) {
            return Err(format!("{place} contains the secret {secret:?}"));
        }
    }
    Ok(())
}

fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            found.push((path.display().to_string(), bytes));
        }
    }
    found
}

fn leftover_temp_files(dir: &Path) -> bool {
    files_under(dir)
        .iter()
        .any(|(path, _)| path.ends_with(".tmp"))
}

/// Only the managed blocks changed and each marker is there as often as
/// before (once, when the block was inserted); with
/// no GitHub script to exhaust, a second run changes nothing.
fn check_update(row: &Row, t: &Test, before: &[(PathBuf, Vec<u8>)]) -> Result<(), String> {
    let old = before
        .iter()
        .find(|(path, _)| path.ends_with(CHECKLIST))
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .unwrap_or_default();
    let new = t.read(CHECKLIST);
    let text = String::from_utf8_lossy(&new);
    if outside_blocks(&old) != outside_blocks(&text) {
        return Err("bytes outside the blocks changed".into());
    }
    for marker in ["READINESS_SCORE", "CI_SNAPSHOT"] {
        for end in ["START", "END"] {
            let line = format!("<!-- {marker}_{end} -->");
            // One pair, plus any the user had as text (say, in a code fence).
            let expected = old.matches(&line).count().max(1);
            let found = text.matches(&line).count();
            if found != expected {
                return Err(format!("{line}: {found} times, not {expected}:\n{text}"));
            }
        }
    }
    if row.github.is_none() && !matches!(row.slack, Some(Script::Seq(_))) {
        let again = t.run();
        if Outcome::Updated(again.code) != row.outcome {
            return Err(format!("the second run failed: {}", again.stderr));
        }
        if t.read(CHECKLIST) != new {
            return Err("not idempotent: the second run changed the checklist".into());
        }
    }
    Ok(())
}

/// Play every row in both modes, a few at a time; fail listing every row
/// that failed, and print the tally.
fn play_all(table: &str, rows: Vec<Row>) {
    let mut failures = Vec::new();
    let mut tried = 0;
    for chunk in rows.chunks(6) {
        std::thread::scope(|scope| {
            let handles: Vec<_> = chunk
                .iter()
                .flat_map(|row| [(row, Mode::Terminal), (row, Mode::Actions)])
                .map(|(row, mode)| scope.spawn(move || (row.name.clone(), mode, play(row, mode))))
                .collect();
            for handle in handles {
                tried += 1;
                let (name, mode, result) = handle.join().expect("row thread");
                if let Err(why) = result {
                    failures.push(format!("[{name} / {mode:?}] {why}"));
                }
            }
        });
    }
    let ends =
        |wanted: fn(&Outcome) -> bool| 2 * rows.iter().filter(|r| wanted(&r.outcome)).count();
    eprintln!(
        "{table}: {} of {tried} scenarios passed ({} rows × 2 modes): \
         {} refused or failed with no byte changed, {} updated (exit 0), {} updated then exit 1",
        tried - failures.len(),
        rows.len(),
        ends(|o| matches!(o, Outcome::Untouched(_))),
        ends(|o| *o == Outcome::Updated(0)),
        ends(|o| matches!(o, Outcome::Updated(code) if *code != 0)),
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

// ---------------------------------------------------------------- inputs

fn seed_with(from: &str, to: &str) -> String {
    assert!(SEED.contains(from), "fixture lacks {from:?}");
    SEED.replacen(from, to, 1)
}

fn bad_input_rows() -> Vec<Row> {
    let mut huge_line = SEED.replace(
        "Intro text",
        &format!("Intro {} text", "x".repeat(2_000_000)),
    );
    huge_line.push_str(&"y".repeat(1_000_000));
    huge_line.push('\n');
    let five_mb = five_megabyte_checklist();
    vec![
        // Markers.
        Row::seed("missing END marker")
            .rejected(2, &[CHECKLIST, "CI_SNAPSHOT_START", "no matching"])
            .with_checklist(SEED.replace("<!-- CI_SNAPSHOT_END -->\n", "")),
        Row::seed("stray END marker")
            .rejected(2, &[CHECKLIST, "READINESS_SCORE_END", "no matching"])
            .with_checklist(SEED.replace("<!-- READINESS_SCORE_START -->\n", "")),
        Row::seed("duplicated block")
            .rejected(2, &[CHECKLIST, "a second"])
            .with_checklist(format!(
                "{SEED}<!-- READINESS_SCORE_START -->\n<!-- READINESS_SCORE_END -->\n"
            )),
        Row::seed("nested blocks")
            .rejected(2, &[CHECKLIST, "nested"])
            .with_checklist(
                seed_with("old score\n", "<!-- CI_SNAPSHOT_START -->\n<!-- CI_SNAPSHOT_END -->\n")
                    .replace("<!-- CI_SNAPSHOT_START -->\nold ci\n<!-- CI_SNAPSHOT_END -->\n", ""),
            ),
        Row::new(
            "crossed blocks",
            "# T\n<!-- READINESS_SCORE_START -->\n<!-- CI_SNAPSHOT_START -->\n<!-- READINESS_SCORE_END -->\n<!-- CI_SNAPSHOT_END -->\n## Core\n- [x] a\n## Optional\n## Deployment\n## Sign-off\n",
        )
        .rejected(2, &[CHECKLIST, "crossed", "line 3"]),
        Row::seed("START marker inside a code fence is text, not a block")
            .with_checklist(seed_with("Footer text.\n", "Footer text.\n\n```\n<!-- READINESS_SCORE_START -->\n```\n"))
            .survives(&[]),
        // Categories and content.
        Row::seed("configured category missing")
            .file(
                ".release-dashboard.toml",
                "[[categories]]\nname = \"Sign-off\"\nheading = \"sign-off\"\nweight = 1\n",
            )
            .rejected(2, &[CHECKLIST, "Sign-off"])
            .with_checklist(seed_with("## Sign-off", "## Approvals")),
        Row::seed("seed shape without Sign-off: read by its headings")
            .with_checklist(seed_with("## Sign-off", "## Approvals"))
            .survives(&[]),
        Row::new("empty checklist", "").rejected(2, &[CHECKLIST]),
        Row::new("only a heading", "# Release\n").rejected(2, &[CHECKLIST]),
        Row::new("non-UTF-8 checklist", non_utf8()).rejected(2, &[CHECKLIST, "UTF-8"]),
        Row::new("UTF-16 checklist", utf16_checklist())
            .rejected(2, &[CHECKLIST, "line 1", "iconv -f utf-16 -t utf-8"]),
        Row::new("NUL bytes", seed_with("Intro text", "Intro\0text")).survives(&[]),
        Row::new("byte-order mark and CRLF", format!("\u{feff}{}", SEED.replace('\n', "\r\n")))
            .survives(&[]),
        Row::new("a 3 MB line", huge_line).survives(&[]),
        Row::new("a 5 MB checklist", five_mb).survives(&[]),
        Row::seed("checklist is a directory")
            .args(&["--checklist", "adir"])
            .file("adir/keep", "")
            .rejected(2, &["adir"]),
        Row::seed("checklist missing")
            .args(&["--checklist", "nope.md"])
            .rejected(2, &["nope.md"]),
        // Configuration and flags.
        Row::seed("config with an unknown key")
            .file(".release-dashboard.toml", "thresold = 80\n")
            .rejected(2, &[".release-dashboard.toml", "thresold"]),
        Row::seed("config that is not TOML")
            .file(".release-dashboard.toml", "[[[\n")
            .rejected(2, &[".release-dashboard.toml"]),
        Row::seed("threshold out of range")
            .args(&["--threshold", "101"])
            .rejected(2, &["101"]),
        Row::seed("bad SOURCE_DATE_EPOCH")
            .env("SOURCE_DATE_EPOCH", "soon")
            .rejected(2, &["SOURCE_DATE_EPOCH"]),
        Row::seed("--notify without a usable webhook")
            .args(&["--notify"])
            .env("SLACK_WEBHOOK_URL", "not-a-url")
            .rejected(2, &["SLACK_WEBHOOK_URL"]),
        // Runs files.
        Row::seed("runs file not JSON")
            .file("runs.json", "not json")
            .args(&["--runs-file", "runs.json"])
            .rejected(2, &["runs.json"]),
        Row::seed("runs file empty")
            .file("runs.json", "")
            .args(&["--runs-file", "runs.json"])
            .rejected(2, &["runs.json"]),
        Row::seed("runs file null")
            .file("runs.json", "null")
            .args(&["--runs-file", "runs.json"])
            .rejected(2, &["runs.json"]),
        Row::seed("runs with a wrongly typed id")
            .file("runs.json", r#"{"workflow_runs": [{"id": "x"}]}"#)
            .args(&["--runs-file", "runs.json"])
            .rejected(2, &["runs.json"]),
        Row::seed("runs with a bad date")
            .file("runs.json", RUNS.replacen("2026-11-23T10:00:00Z", "yesterday", 1))
            .args(&["--runs-file", "runs.json"])
            .rejected(2, &["runs.json"]),
        Row::seed("runs file not UTF-8")
            .file("runs.json", b"{\"workflow_runs\": [\xff]}".to_vec())
            .args(&["--runs-file", "runs.json"])
            .rejected(2, &["runs.json"]),
        Row::seed("runs file truncated")
            .file("runs.json", &RUNS[..RUNS.len() / 2])
            .args(&["--runs-file", "runs.json"])
            .rejected(2, &["runs.json"]),
        Row::seed("runs file missing")
            .args(&["--runs-file", "missing.json"])
            .rejected(2, &["missing.json"]),
        // History files.
        Row::seed("history not JSON")
            .file(HISTORY, "{")
            .rejected(2, &[HISTORY]),
        Row::seed("history null")
            .file(HISTORY, "null")
            .rejected(2, &[HISTORY]),
        Row::seed("history an object")
            .file(HISTORY, r#"{"a": 1}"#)
            .rejected(2, &[HISTORY]),
        Row::seed("history of numbers")
            .file(HISTORY, "[1, 2]")
            .rejected(2, &[HISTORY]),
        Row::seed("history torn mid-entry")
            .file(HISTORY, r#"[{"timestamp": "2026-11-20T10:00:00Z", "score": 80.0, "sta"#)
            .rejected(2, &[HISTORY]),
        Row::seed("history with NUL bytes")
            .file(HISTORY, b"[\0]".to_vec())
            .rejected(2, &[HISTORY]),
        Row::seed("history not UTF-8")
            .file(HISTORY, b"[\xff]".to_vec())
            .rejected(2, &[HISTORY]),
        Row::seed("history with a byte-order mark").file(HISTORY, "\u{feff}[]").survives(&[]),
        Row::seed("empty history file").file(HISTORY, "").survives(&[]),
    ]
}

impl Row {
    fn with_checklist(mut self, text: impl Into<Vec<u8>>) -> Row {
        self.checklist = text.into();
        self
    }
}

/// The seed saved as UTF-16 (little-endian, with a byte order mark), as
/// some Windows editors do.
fn utf16_checklist() -> Vec<u8> {
    format!("\u{feff}{SEED}")
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect()
}

fn non_utf8() -> Vec<u8> {
    let mut bytes = SEED.as_bytes().to_vec();
    bytes.splice(10..10, [0xff, 0xfe, 0x80]);
    bytes
}

/// The seed with enough extra task-list items to weigh 5 MB.
fn five_megabyte_checklist() -> String {
    let item =
        "- [x] a task whose description is long enough to make the file big quickly, padded out\n";
    let mut text = SEED.replacen("- [x] a\n", &item.repeat(5_000_000 / item.len()), 1);
    assert!(text.len() >= 5_000_000);
    text.push('\n');
    text
}

#[test]
fn bad_input_table() {
    play_all("bad inputs", bad_input_rows());
}

// ---------------------------------------------------------------- hostile names

const HOSTILE_NAMES: [&str; 13] = [
    "pipes | in | the | name",
    "a newline\nin the name",
    "a forged\n::error::forged annotation on its own line",
    "<!-- an HTML comment",
    "<!-- CI_SNAPSHOT_END -->",
    "<!-- READINESS_SCORE_START -->",
    "@here @channel @octocat",
    "<!channel> <!here> <@U123>",
    "::error::forged annotation",
    "right-to-left \u{202e}override",
    "line\u{2028}separator",
    "`code` *emphasis* [link](https://evil.example)",
    "<script>alert(1)</script> & %0A",
];

fn hostile_runs(name: &str) -> String {
    let name = serde_json::to_string(name).expect("json string");
    format!(
        r#"{{"total_count": 1, "workflow_runs": [{{"id": 9, "name": {name}, "head_branch": "main", "status": "completed", "conclusion": "failure", "event": "push", "created_at": "2026-11-23T10:00:00Z", "updated_at": "2026-11-23T10:03:00Z", "html_url": "https://github.com/acme/widget/actions/runs/9", "workflow_id": 9}}]}}"#
    )
}

fn hostile_rows() -> Vec<Row> {
    HOSTILE_NAMES
        .iter()
        .map(|name| {
            Row::seed(&format!("workflow named {name:?}"))
                .file("runs.json", hostile_runs(name))
                .args(&["--runs-file", "runs.json"])
                .slack(Script::Always(Reply::text(200, "ok")))
                .survives(&["Slack alert sent"])
        })
        .collect()
}

/// Hostile names reach the checklist, the terminal, the job summary and
/// Slack; none may forge a marker, an annotation or a Slack mention.
#[test]
fn hostile_workflow_name_table() {
    play_all("hostile workflow names", hostile_rows());
    for name in HOSTILE_NAMES {
        let slack = Server::start(|_: &Request| Reply::text(200, "ok"));
        let outputs = tempfile::tempdir().unwrap();
        let row = Row::seed(name)
            .file("runs.json", hostile_runs(name))
            .args(&["--runs-file", "runs.json"]);
        let t = project(&row, Mode::Actions, None, Some(&slack), outputs.path());
        let run = t.run();
        run.code(0);
        for line in run.stderr.lines() {
            assert!(
                !line.starts_with("::error::forged"),
                "{name:?} forged an annotation: {line}"
            );
        }
        let body = String::from_utf8_lossy(&slack.requests()[0].body).into_owned();
        for forbidden in [
            "<!channel>",
            "<!here>",
            "<@U123>",
            "<https://evil",
            "<script>",
        ] {
            assert!(
                !body.contains(forbidden),
                "{name:?}: Slack got {forbidden}: {body}"
            );
        }
        let summary = std::fs::read_to_string(outputs.path().join("summary.md")).unwrap();
        for forbidden in ["<!--", "<script>", "\u{202e}"] {
            assert!(
                !summary.contains(forbidden),
                "{name:?}: the job summary has {forbidden:?}: {summary}"
            );
        }
    }
}

// ---------------------------------------------------------------- HTTP faults

fn runs_page() -> Reply {
    Reply::json(200, &page(1, 2, 2))
}

fn secondary_limit(retry_after: &str) -> Reply {
    Reply::json(
        403,
        &json!({"message": "You have exceeded a secondary rate limit."}),
    )
    .header("retry-after", retry_after)
}

fn truncated_body() -> Reply {
    Reply::Respond {
        status: 200,
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("content-length".into(), "5000".into()),
        ],
        body: br#"{"total_count": 2, "workflow_runs": [{"id": 1"#.to_vec(),
    }
}

fn api(name: &str, script: Script) -> Row {
    Row::seed(name).github(script)
}

fn http_fault_rows() -> Vec<Row> {
    use Script::{Always, Seq};
    let slow = Duration::from_secs(6);
    vec![
        api(
            "502 burst, then the page",
            Seq(vec![
                Reply::text(502, "bad gateway"),
                Reply::text(502, "bad gateway"),
                runs_page(),
            ]),
        )
        .survives(&["2 runs"]),
        api("502 forever", Always(Reply::text(502, "bad gateway"))).rejected(1, &["502"]),
        api(
            "503 with an HTML body",
            Always(Reply::bytes(503, "text/html", "<html>down</html>")),
        )
        .rejected(1, &["503"]),
        api(
            "secondary rate limit, then the page",
            Seq(vec![secondary_limit("1"), runs_page()]),
        )
        .survives(&["2 runs"]),
        api(
            "secondary rate limit with a malformed retry-after",
            Always(Reply::text(429, "slow down").header("retry-after", "soon")),
        )
        .rejected(1, &["rate limit"]),
        api(
            "primary rate limit resetting in a second",
            Seq(vec![exhausted(1), runs_page()]),
        )
        .survives(&["2 runs"]),
        api(
            "retry-after of 2^64 - 1 seconds (it once overflowed)",
            Always(Reply::text(429, "slow down").header("retry-after", "18446744073709551615")),
        )
        .rejected(1, &["rate limit"]),
        api(
            "rate limit resetting at the beginning of time",
            Seq(vec![
                Reply::json(403, &json!({"message": "API rate limit exceeded"}))
                    .header("x-ratelimit-remaining", "0")
                    .header("x-ratelimit-reset", "-9223372036854775808"),
                runs_page(),
            ]),
        )
        .survives(&["2 runs"]),
        api(
            "primary rate limit resetting in an hour",
            Always(exhausted(3600)),
        )
        .rejected(1, &["rate limit", "resets at"]),
        api(
            "a timeout, then the page",
            Seq(vec![runs_page().after(slow), runs_page()]),
        )
        .survives(&["2 runs"]),
        api("timeouts forever", Always(runs_page().after(slow)))
            .rejected(1, &["timed out", "--http-timeout"]),
        api(
            "a connection reset, then the page",
            Seq(vec![Reply::Hangup, runs_page()]),
        )
        .survives(&["2 runs"]),
        api("connection resets forever", Always(Reply::Hangup))
            .rejected(1, &["could not reach GitHub", "127.0.0.1"]),
        api(
            "a truncated body, then the page",
            Seq(vec![truncated_body(), runs_page()]),
        )
        .survives(&["2 runs"]),
        api(
            "a body that is not JSON",
            Always(Reply::text(200, "<html>proxy login</html>")),
        )
        .rejected(1, &["JSON"]),
        api(
            "malformed Link header",
            Seq(vec![
                runs_page().header("link", "<::not a url::>; rel=\"next\", garbage"),
            ]),
        )
        .rejected(1, &["not an absolute http(s) URL", "Link header"]),
        api(
            "Link to another host",
            Seq(vec![runs_page().header(
                "link",
                "<https://evil.example/steal?page=2>; rel=\"next\"",
            )]),
        )
        .rejected(1, &["evil.example"]),
        api(
            "401 bad credentials",
            Always(Reply::json(401, &json!({"message": "Bad credentials"}))),
        )
        .rejected(1, &["token rejected"]),
        api(
            "403 missing permission",
            Always(
                Reply::json(
                    403,
                    &json!({"message": "Resource not accessible by integration"}),
                )
                .header("x-accepted-github-permissions", "actions=read"),
            ),
        )
        .rejected(1, &["actions: read"]),
        api(
            "404 repository",
            Always(Reply::json(404, &json!({"message": "Not Found"}))),
        )
        .rejected(1, &["not found"]),
        // Slack.
        Row::seed("Slack 500 burst, then ok")
            .slack(Seq(vec![Reply::text(500, "oops"), Reply::text(200, "ok")]))
            .survives(&["Slack alert sent"]),
        Row::seed("Slack 500 forever is a warning")
            .slack(Always(Reply::text(500, "oops")))
            .survives(&["could not send the Slack alert"]),
        Row::seed("Slack 500 forever under --strict")
            .slack(Always(Reply::text(500, "oops")))
            .args(&["--strict"])
            .updates_then_fails(1, &["could not send the Slack alert"]),
        Row::seed("Slack 429, then ok")
            .slack(Seq(vec![
                Reply::text(429, "rate limited").header("retry-after", "1"),
                Reply::text(200, "ok"),
            ]))
            .survives(&["Slack alert sent"]),
        Row::seed("Slack 404 no_service")
            .slack(Always(Reply::text(404, "no_service")))
            .survives(&["no_service"]),
        Row::seed("Slack timeouts")
            .slack(Always(Reply::text(200, "ok").after(slow)))
            .survives(&["could not send the Slack alert"]),
        Row::seed("Slack connection resets")
            .slack(Always(Reply::Hangup))
            .survives(&["could not send the Slack alert"]),
    ]
}

#[test]
fn http_fault_table() {
    play_all("HTTP faults", http_fault_rows());
}
