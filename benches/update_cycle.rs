//! A full update cycle of the release binary against a loopback GitHub API.
//!
//! `cargo bench --bench update_cycle` (a plain program: `harness = false`).
//!
//! For N = 100, 1,000 and 10,000 runs, a server on 127.0.0.1 serves N
//! realistic REST run objects (compact JSON, about 11 KB each: they embed
//! `repository`, `head_repository`, `head_commit`, `actor`,
//! `triggering_actor` and the `*_url` fields, like the real API's) in pages
//! of `per_page`, with GitHub's `Link` header, `ETag` and `total_count`.
//! The binary runs one update against it (`--dry-run --no-cache --format
//! json`); the same pages are then fetched by one `curl` process (all URLs
//! in one command, sequentially) for comparison. A 10,000-item checklist
//! is also scored offline. Every command runs once to warm up, under GNU
//! `/usr/bin/time -f %M` for its peak RSS, then 5 timed times without it.
//! A Markdown table goes to stdout, progress to stderr.
#![allow(clippy::unwrap_used)]
#![allow(
    // Test tables and data generators: long lists of rows, small bounded
    // numbers cast freely, strings built with format!.
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::format_push_string,
    clippy::format_collect,
    clippy::case_sensitive_file_extension_comparisons,
    clippy::needless_pass_by_value,
    clippy::ref_option,
    clippy::manual_let_else
)]
#[path = "../tests/integration/support/server.rs"]
#[allow(dead_code)]
mod server;

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use server::{Reply, Request, Server};

/// The run counts benchmarked.
const SIZES: [usize; 3] = [100, 1_000, 10_000];
/// Timed repetitions after the warm-up.
const TIMED: usize = 5;
/// The clock of every run: 2026-11-24 09:00:00 UTC.
const EPOCH: i64 = 1_795_510_800;
const OWNER: &str = "acme";
const REPO: &str = "widget";
const REPO_ID: u64 = 482_716_093;
const TOKEN: &str = "bench";
/// GitHub's page size when `per_page` is not given, and its largest.
const DEFAULT_PER_PAGE: usize = 30;
const MAX_PER_PAGE: usize = 100;
/// Items per category section of the large checklist (4 × 2,500 = 10,000).
const ITEMS_PER_SECTION: usize = 2_500;
const GNU_TIME: &str = "/usr/bin/time";

fn main() {
    let bin = binary();
    let work = tempfile::tempdir().expect("temp dir");
    let home = work.path().join("home");
    std::fs::create_dir_all(&home).expect("home dir");
    let small = work.path().join("small");
    std::fs::create_dir_all(&small).expect("checklist dir");
    std::fs::write(small.join("release-checklist.md"), SMALL_CHECKLIST).expect("checklist");
    let gnu_time = Path::new(GNU_TIME).is_file();
    if !gnu_time {
        eprintln!("{GNU_TIME} not found: peak RSS is reported as n/a");
    }
    eprintln!("binary: {}", bin.display());

    let started = Instant::now();
    let mut rows = Vec::new();
    for n in SIZES {
        rows.push(api_scenario(&bin, &small, &home, n, gnu_time));
    }
    rows.push(large_checklist_scenario(&bin, work.path(), &home, gnu_time));

    println!(
        "| scenario | runs/items | requests | bytes | wall median (ms) | wall min (ms) | peak RSS (MiB) | curl median (ms) | curl peak RSS (MiB) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for row in &rows {
        println!("{row}");
    }
    eprintln!("total bench time: {:.1} s", started.elapsed().as_secs_f64());
}

/// The release binary: Cargo sets `CARGO_BIN_EXE_<name>` for benches as for
/// integration tests (and builds it with the bench profile, i.e. release);
/// otherwise `target/release` under the manifest directory.
fn binary() -> PathBuf {
    if let Some(path) = option_env!("CARGO_BIN_EXE_release-dashboard") {
        return PathBuf::from(path);
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/release-dashboard");
    if !path.is_file() {
        eprintln!(
            "{} does not exist: run `cargo build --release` first",
            path.display()
        );
        std::process::exit(2);
    }
    path
}

// ---------------------------------------------------------------- scenarios

/// N runs through the API: the binary, then curl on the same pages.
fn api_scenario(bin: &Path, dir: &Path, home: &Path, n: usize, gnu_time: bool) -> String {
    eprintln!("== {n} runs: building {n} run objects");
    let runs: Vec<String> = (0..n)
        .map(|i| serde_json::to_string(&run_object(i)).expect("run JSON"))
        .collect();
    let average = runs.iter().map(String::len).sum::<usize>() / n;
    eprintln!("   average run object: {average} bytes (compact JSON)");
    let feed = Feed::new(runs);
    let counters = Arc::clone(&feed.counters);
    let server = feed.serve();
    let expected_requests = n.div_ceil(MAX_PER_PAGE);

    let tool = Job {
        program: bin.into(),
        args: [
            "--checklist",
            &dir.join("release-checklist.md").to_string_lossy(),
            "--repo",
            &format!("{OWNER}/{REPO}"),
            "--api-url",
            &server.url(),
            "--token",
            TOKEN,
            "--runs",
            &n.to_string(),
            "--no-cache",
            "--dry-run",
            "--format",
            "json",
        ]
        .iter()
        .map(OsString::from)
        .collect(),
        dir: dir.into(),
        home: home.into(),
    };
    let tool_result = measure(&tool, &counters, gnu_time, |output, warm_up| {
        check_tool(output, warm_up, n);
    });
    assert_eq!(
        tool_result.requests, expected_requests,
        "the binary should make one request per 100 runs"
    );

    // The exact URLs the binary fetched, for curl.
    let urls: Vec<String> = server
        .requests()
        .iter()
        .take(expected_requests)
        .map(|r| format!("{}{}", server.url(), r.path))
        .collect();
    let mut curl_args: Vec<OsString> = [
        "-s",
        "--fail",
        "--noproxy",
        "*",
        "-H",
        &format!("Authorization: Bearer {TOKEN}"),
        "-H",
        "Accept: application/vnd.github+json",
        "-H",
        "X-GitHub-Api-Version: 2022-11-28",
    ]
    .iter()
    .map(OsString::from)
    .collect();
    for url in &urls {
        curl_args.extend(["-o".into(), "/dev/null".into(), url.into()]);
    }
    let curl = Job {
        program: "curl".into(),
        args: curl_args,
        dir: dir.into(),
        home: home.into(),
    };
    let curl_result = measure(&curl, &counters, gnu_time, |_, _| {});
    assert_eq!(curl_result.requests, expected_requests);
    assert_eq!(
        curl_result.bytes, tool_result.bytes,
        "curl and the binary should fetch the same bytes"
    );
    drop(server);

    format!(
        "| update via API | {} | {} | {} | {} | {} | {} | {} | {} |",
        thousands(n as u64),
        tool_result.requests,
        thousands(tool_result.bytes),
        ms(tool_result.median()),
        ms(tool_result.min()),
        mib(tool_result.rss_kib),
        ms(curl_result.median()),
        mib(curl_result.rss_kib),
    )
}

/// 10,000 checklist items, scored offline.
fn large_checklist_scenario(bin: &Path, work: &Path, home: &Path, gnu_time: bool) -> String {
    let dir = work.join("large");
    std::fs::create_dir_all(&dir).expect("checklist dir");
    let text = large_checklist();
    let path = dir.join("release-checklist.md");
    std::fs::write(&path, &text).expect("checklist");
    let items = 4 * ITEMS_PER_SECTION;
    eprintln!("== {items}-item checklist ({} bytes), offline", text.len());
    let job = Job {
        program: bin.into(),
        args: [
            "--checklist",
            &path.to_string_lossy(),
            "--offline",
            "--dry-run",
            "--format",
            "json",
        ]
        .iter()
        .map(OsString::from)
        .collect(),
        dir,
        home: home.into(),
    };
    let result = measure(&job, &Counters::default(), gnu_time, |output, _| {
        let report = tool_json(output);
        let counted: u64 = report["categories"]
            .as_array()
            .expect("categories")
            .iter()
            .map(|c| c["total"].as_u64().unwrap_or(0) + c["skipped"].as_u64().unwrap_or(0))
            .sum();
        assert_eq!(counted, items as u64, "every item should be counted");
    });
    format!(
        "| checklist offline | {} | 0 | {} | {} | {} | {} | — | — |",
        thousands(items as u64),
        thousands(text.len() as u64),
        ms(result.median()),
        ms(result.min()),
        mib(result.rss_kib),
    )
}

fn check_tool(output: &Output, warm_up: bool, n: usize) {
    let report = tool_json(output);
    let ci = &report["ci"];
    assert_eq!(ci["source"], "api", "{ci}");
    assert_eq!(ci["runs"].as_u64(), Some(n as u64), "{ci}");
    let workflows = ci["workflows"].as_array().map_or(0, Vec::len);
    let failing = ci["failing_workflows"].as_array().map_or(0, Vec::len);
    assert!(workflows >= 6, "expected ~8 workflows, got {workflows}");
    if !warm_up {
        return;
    }
    eprintln!(
        "   binary: {} runs, {workflows} workflows, {failing} failing, success rate {}",
        ci["runs"], ci["success_rate"]
    );
}

fn tool_json(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "the binary failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

// ---------------------------------------------------------------- measuring

/// One command with a clean environment: only `PATH`, `HOME` and
/// `SOURCE_DATE_EPOCH` (no tokens, proxies or `RELEASE_DASHBOARD_*`).
struct Job {
    program: PathBuf,
    args: Vec<OsString>,
    dir: PathBuf,
    home: PathBuf,
}

impl Job {
    fn command(&self, under_time: bool) -> Command {
        let mut cmd = if under_time {
            let mut cmd = Command::new(GNU_TIME);
            cmd.args(["-f", "%M"]).arg(&self.program);
            cmd
        } else {
            Command::new(&self.program)
        };
        cmd.args(&self.args)
            .current_dir(&self.dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("SOURCE_DATE_EPOCH", EPOCH.to_string())
            .stdin(Stdio::null());
        cmd
    }
}

/// Server-side counts, updated by the handler.
#[derive(Default)]
struct Counters {
    requests: AtomicUsize,
    bytes: AtomicU64,
}

struct Measured {
    wall: Vec<Duration>,
    requests: usize,
    bytes: u64,
    rss_kib: Option<u64>,
}

impl Measured {
    fn median(&self) -> Duration {
        let mut sorted = self.wall.clone();
        sorted.sort();
        sorted[sorted.len() / 2]
    }

    fn min(&self) -> Duration {
        self.wall.iter().copied().min().unwrap_or_default()
    }
}

/// A warm-up run (under GNU time when present, for the peak RSS), then
/// `TIMED` timed runs. Every run must make the same requests and fetch the
/// same bytes; `check` sees each run's output (and whether it is the
/// warm-up).
fn measure(
    job: &Job,
    counters: &Counters,
    gnu_time: bool,
    check: impl Fn(&Output, bool),
) -> Measured {
    let run = |under_time: bool| {
        let (requests, bytes) = (
            counters.requests.load(Ordering::SeqCst),
            counters.bytes.load(Ordering::SeqCst),
        );
        let started = Instant::now();
        let output = job.command(under_time).output().expect("spawn");
        let wall = started.elapsed();
        assert!(
            output.status.success(),
            "{} failed ({}):\n{}",
            job.program.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        let requests = counters.requests.load(Ordering::SeqCst) - requests;
        let bytes = counters.bytes.load(Ordering::SeqCst) - bytes;
        (output, wall, requests, bytes)
    };
    let (warm, _, requests, bytes) = run(gnu_time);
    let rss_kib = gnu_time.then(|| peak_rss_kib(&warm.stderr)).flatten();
    check(&warm, true);
    let mut wall = Vec::with_capacity(TIMED);
    for _ in 0..TIMED {
        let (output, elapsed, r, b) = run(false);
        assert_eq!((r, b), (requests, bytes), "runs should fetch the same");
        check(&output, false);
        wall.push(elapsed);
    }
    let result = Measured {
        wall,
        requests,
        bytes,
        rss_kib,
    };
    eprintln!(
        "   {}: {} ms (median {} ms), peak RSS {} MiB, {requests} requests, {bytes} bytes",
        job.program
            .file_name()
            .unwrap_or_default()
            .to_string_lossy(),
        result
            .wall
            .iter()
            .map(|&d| ms(d))
            .collect::<Vec<_>>()
            .join(" "),
        ms(result.median()),
        mib(rss_kib)
    );
    result
}

/// GNU time's `%M` (KiB) is the last line of the child's stderr.
fn peak_rss_kib(stderr: &[u8]) -> Option<u64> {
    String::from_utf8_lossy(stderr)
        .lines()
        .last()?
        .trim()
        .parse()
        .ok()
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("n/a".into(), |k| format!("{:.1}", k as f64 / 1024.0))
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------- the server

/// N serialized runs, newest first, served as GitHub serves them.
struct Feed {
    runs: Vec<String>,
    counters: Arc<Counters>,
}

impl Feed {
    fn new(runs: Vec<String>) -> Feed {
        Feed {
            runs,
            counters: Arc::default(),
        }
    }

    /// Serve `GET /repos/acme/widget/actions/runs` and the
    /// `/repositories/ID/actions/runs` form GitHub's `Link` URLs use.
    fn serve(self) -> Server {
        let base: Arc<OnceLock<String>> = Arc::default();
        let server = {
            let base = Arc::clone(&base);
            Server::start(move |request: &Request| {
                let reply = self.reply(request, base.get().map_or("", String::as_str));
                if let Reply::Respond { body, .. } = &reply {
                    self.counters
                        .bytes
                        .fetch_add(body.len() as u64, Ordering::SeqCst);
                }
                self.counters.requests.fetch_add(1, Ordering::SeqCst);
                reply
            })
        };
        base.set(server.url()).expect("base URL set once");
        server
    }

    fn reply(&self, request: &Request, base: &str) -> Reply {
        let path = request.path_without_query();
        let runs_paths = [
            format!("/repos/{OWNER}/{REPO}/actions/runs"),
            format!("/repositories/{REPO_ID}/actions/runs"),
        ];
        if request.method != "GET" || !runs_paths.iter().any(|p| p == path) {
            let body = json!({
                "message": "Not Found",
                "documentation_url": "https://docs.github.com/rest",
                "status": "404"
            });
            return Reply::json(404, &body);
        }
        let per_page = request
            .query("per_page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(DEFAULT_PER_PAGE)
            .clamp(1, MAX_PER_PAGE);
        let page: usize = request
            .query("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1)
            .max(1);
        let total = self.runs.len();
        let last = total.div_ceil(per_page).max(1);
        let start = ((page - 1) * per_page).min(total);
        let end = (start + per_page).min(total);

        let mut body = String::with_capacity(
            self.runs[start..end].iter().map(String::len).sum::<usize>() + 64,
        );
        let _ = write!(body, "{{\"total_count\":{total},\"workflow_runs\":[");
        for (k, run) in self.runs[start..end].iter().enumerate() {
            if k > 0 {
                body.push(',');
            }
            body.push_str(run);
        }
        body.push_str("]}");

        let query: Vec<&str> = request
            .path
            .split_once('?')
            .map_or("", |(_, q)| q)
            .split('&')
            .filter(|p| !p.is_empty() && !p.starts_with("page="))
            .collect();
        let link_to = |p: usize, rel: &str| {
            let mut q = query.clone();
            let page = format!("page={p}");
            q.push(&page);
            format!(
                "<{base}/repositories/{REPO_ID}/actions/runs?{}>; rel=\"{rel}\"",
                q.join("&")
            )
        };
        let mut links = Vec::new();
        if page > 1 {
            links.push(link_to(page - 1, "prev"));
        }
        if page < last {
            links.push(link_to(page + 1, "next"));
            links.push(link_to(last, "last"));
        }
        if page > 1 {
            links.push(link_to(1, "first"));
        }

        let mut headers = vec![
            ("Content-Type", "application/json; charset=utf-8".to_string()),
            ("Cache-Control", "private, max-age=60, s-maxage=60".into()),
            ("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP,Accept-Encoding, Accept, X-Requested-With".into()),
            ("ETag", format!("W/\"{:016x}{:016x}\"", total as u64, (page * per_page) as u64)),
            ("X-OAuth-Scopes", "repo, workflow".into()),
            ("X-Accepted-OAuth-Scopes", String::new()),
            ("X-GitHub-Media-Type", "github.v3; format=json".into()),
            ("X-GitHub-Api-Version-Selected", "2022-11-28".into()),
            ("X-RateLimit-Limit", "5000".into()),
            ("X-RateLimit-Remaining", "4987".into()),
            ("X-RateLimit-Reset", (EPOCH + 3600).to_string()),
            ("X-RateLimit-Used", "13".into()),
            ("X-RateLimit-Resource", "core".into()),
            ("X-GitHub-Request-Id", format!("C0DE:1F2E:{page:X}:{per_page:X}:6743A1B0")),
        ];
        if !links.is_empty() {
            headers.push(("Link", links.join(", ")));
        }
        Reply::Respond {
            status: 200,
            headers: headers
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            body: body.into_bytes(),
        }
    }
}

// ---------------------------------------------------------------- run objects

/// A deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn hex(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| char::from_digit(self.below(16) as u32, 16).unwrap_or('0'))
            .collect()
    }

    fn base64ish(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
        (0..len)
            .map(|_| char::from(ALPHABET[self.below(64) as usize]))
            .collect()
    }
}

/// Eight workflows: name, file, how often it runs (relative), failure and
/// cancellation rates in percent, typical duration in seconds, event.
const WORKFLOWS: [(&str, &str, u64, u64, u64, i64, &str); 8] = [
    ("CI", "ci.yml", 30, 6, 2, 540, "push"),
    ("Lint", "lint.yml", 20, 3, 1, 95, "push"),
    (
        "Integration tests",
        "integration.yml",
        15,
        12,
        3,
        1_260,
        "push",
    ),
    ("Docs", "docs.yml", 10, 0, 0, 180, "push"),
    ("CodeQL", "codeql.yml", 10, 0, 1, 720, "schedule"),
    (
        "Deploy staging",
        "deploy-staging.yml",
        7,
        8,
        0,
        300,
        "workflow_dispatch",
    ),
    ("Nightly", "nightly.yml", 4, 25, 0, 2_400, "schedule"),
    ("Benchmarks", "bench.yml", 4, 0, 10, 1_500, "push"),
];

const MESSAGES: [&str; 8] = [
    "Fix flaky retry test in the sync worker",
    "Bump serde from 1.0.228 to 1.0.229",
    "Add pagination to the export endpoint",
    "Refactor config loading; drop the legacy YAML path",
    "Speed up the widget renderer by caching layouts",
    "Update CHANGELOG for v2.4.0",
    "Harden webhook signature verification",
    "Docs: explain the new rate-limit headers",
];

/// (login, id, type)
const ACTORS: [(&str, u64, &str); 5] = [
    ("octo-dev", 5_123_871, "User"),
    ("mona-lisa", 583_231, "User"),
    ("dependabot[bot]", 49_699_333, "Bot"),
    ("release-bot", 91_772_104, "Bot"),
    ("jdoe-acme", 13_402_776, "User"),
];

fn user(login: &str, id: u64, kind: &str) -> Value {
    let api = format!("https://api.github.com/users/{login}");
    json!({
        "login": login,
        "id": id,
        "node_id": format!("MDQ6VXNlcj{id}"),
        "avatar_url": format!("https://avatars.githubusercontent.com/u/{id}?v=4"),
        "gravatar_id": "",
        "url": api,
        "html_url": format!("https://github.com/{login}"),
        "followers_url": format!("{api}/followers"),
        "following_url": format!("{api}/following{{/other_user}}"),
        "gists_url": format!("{api}/gists{{/gist_id}}"),
        "starred_url": format!("{api}/starred{{/owner}}{{/repo}}"),
        "subscriptions_url": format!("{api}/subscriptions"),
        "organizations_url": format!("{api}/orgs"),
        "repos_url": format!("{api}/repos"),
        "events_url": format!("{api}/events{{/privacy}}"),
        "received_events_url": format!("{api}/received_events"),
        "type": kind,
        "user_view_type": "public",
        "site_admin": false
    })
}

/// The `minimal-repository` object runs embed (twice).
fn repository() -> Value {
    let api = format!("https://api.github.com/repos/{OWNER}/{REPO}");
    let mut repo = json!({
        "id": REPO_ID,
        "node_id": "R_kgDOHMx1zQ",
        "name": REPO,
        "full_name": format!("{OWNER}/{REPO}"),
        "private": false,
        "owner": user(OWNER, 71_003_552, "Organization"),
        "html_url": format!("https://github.com/{OWNER}/{REPO}"),
        "description": "Widgets for every dashboard: rendering, sync and export",
        "fork": false,
        "url": api,
    });
    let urls = [
        ("forks_url", "/forks"),
        ("keys_url", "/keys{/key_id}"),
        ("collaborators_url", "/collaborators{/collaborator}"),
        ("teams_url", "/teams"),
        ("hooks_url", "/hooks"),
        ("issue_events_url", "/issues/events{/number}"),
        ("events_url", "/events"),
        ("assignees_url", "/assignees{/user}"),
        ("branches_url", "/branches{/branch}"),
        ("tags_url", "/tags"),
        ("blobs_url", "/git/blobs{/sha}"),
        ("git_tags_url", "/git/tags{/sha}"),
        ("git_refs_url", "/git/refs{/sha}"),
        ("trees_url", "/git/trees{/sha}"),
        ("statuses_url", "/statuses/{sha}"),
        ("languages_url", "/languages"),
        ("stargazers_url", "/stargazers"),
        ("contributors_url", "/contributors"),
        ("subscribers_url", "/subscribers"),
        ("subscription_url", "/subscription"),
        ("commits_url", "/commits{/sha}"),
        ("git_commits_url", "/git/commits{/sha}"),
        ("comments_url", "/comments{/number}"),
        ("issue_comment_url", "/issues/comments{/number}"),
        ("contents_url", "/contents/{+path}"),
        ("compare_url", "/compare/{base}...{head}"),
        ("merges_url", "/merges"),
        ("archive_url", "/{archive_format}{/ref}"),
        ("downloads_url", "/downloads"),
        ("issues_url", "/issues{/number}"),
        ("pulls_url", "/pulls{/number}"),
        ("milestones_url", "/milestones{/number}"),
        (
            "notifications_url",
            "/notifications{?since,all,participating}",
        ),
        ("labels_url", "/labels{/name}"),
        ("releases_url", "/releases{/id}"),
        ("deployments_url", "/deployments"),
    ];
    for (key, suffix) in urls {
        repo[key] = Value::String(format!("{api}{suffix}"));
    }
    repo
}

fn timestamp(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .expect("timestamp in range")
        .to_string()
}

/// Run `i` of the feed (0 = newest): the same object whatever N is.
fn run_object(i: usize) -> Value {
    static REPOSITORY: OnceLock<Value> = OnceLock::new();
    let repository = REPOSITORY.get_or_init(repository);
    let mut rng = Rng::new(i as u64);

    let weights: u64 = WORKFLOWS.iter().map(|w| w.2).sum();
    let mut pick = rng.below(weights);
    let (k, &(name, file, _, fail_pct, cancel_pct, duration, event)) = WORKFLOWS
        .iter()
        .enumerate()
        .find(|(_, w)| {
            if pick < w.2 {
                true
            } else {
                pick -= w.2;
                false
            }
        })
        .expect("a workflow");
    let roll = rng.below(100);
    let (status, conclusion) = if i == 0 {
        ("in_progress", Value::Null)
    } else if roll < fail_pct {
        ("completed", json!("failure"))
    } else if roll < fail_pct + cancel_pct {
        ("completed", json!("cancelled"))
    } else {
        ("completed", json!("success"))
    };

    let id = 19_384_000_000 - (i as u64) * 37;
    let workflow_id = 61_234_501 + k as u64;
    let run_number = 24_000 - i as u64 / 2;
    let created = EPOCH - 1_200 - i as i64 * 420 - rng.below(120) as i64;
    let started = created + 3 + rng.below(20) as i64;
    let updated = started + duration * (70 + rng.below(60) as i64) / 100;
    let sha = rng.hex(40);
    let message = MESSAGES[rng.below(MESSAGES.len() as u64) as usize];
    let pr = 3_100 - (i as u64) / 3;
    let (login, actor_id, kind) = ACTORS[rng.below(ACTORS.len() as u64) as usize];
    let actor = user(login, actor_id, kind);
    let check_suite_id = 50_112_000_000 - (i as u64) * 53;
    let api = format!("https://api.github.com/repos/{OWNER}/{REPO}/actions/runs/{id}");
    json!({
        "id": id,
        "name": name,
        "node_id": format!("WFR_kwLOHMx1zc8AAAAE{}", rng.base64ish(8)),
        "head_branch": "main",
        "head_sha": sha,
        "path": format!(".github/workflows/{file}"),
        "display_title": message,
        "run_number": run_number,
        "event": event,
        "status": status,
        "conclusion": conclusion,
        "workflow_id": workflow_id,
        "check_suite_id": check_suite_id,
        "check_suite_node_id": format!("CS_kwDOHMx1zc8AAAAL{}", rng.base64ish(8)),
        "url": api,
        "html_url": format!("https://github.com/{OWNER}/{REPO}/actions/runs/{id}"),
        "pull_requests": [],
        "created_at": timestamp(created),
        "updated_at": timestamp(updated),
        "actor": actor,
        "run_attempt": if rng.below(20) == 0 { 2 } else { 1 },
        "referenced_workflows": [],
        "run_started_at": timestamp(started),
        "triggering_actor": actor,
        "jobs_url": format!("{api}/jobs"),
        "logs_url": format!("{api}/logs"),
        "check_suite_url": format!("https://api.github.com/repos/{OWNER}/{REPO}/check-suites/{check_suite_id}"),
        "artifacts_url": format!("{api}/artifacts"),
        "cancel_url": format!("{api}/cancel"),
        "rerun_url": format!("{api}/rerun"),
        "previous_attempt_url": Value::Null,
        "workflow_url": format!("https://api.github.com/repos/{OWNER}/{REPO}/actions/workflows/{workflow_id}"),
        "head_commit": {
            "id": sha,
            "tree_id": rng.hex(40),
            "message": format!("{message} (#{pr})\n\nReviewed-by: mona-lisa\nSigned-off-by: {login} <{login}@users.noreply.github.com>"),
            "timestamp": timestamp(created - 30),
            "author": {"name": login, "email": format!("{login}@users.noreply.github.com")},
            "committer": {"name": "GitHub", "email": "noreply@github.com"}
        },
        "repository": repository,
        "head_repository": repository
    })
}

// ---------------------------------------------------------------- checklists

const SMALL_CHECKLIST: &str = "\
# Widget v2.4.0 Release Checklist

## Core Gates

| Gate | Status | Owner |
|------|--------|-------|
| Unit and integration tests | ✅ PASS | @qa-team |
| Security audit | 🟡 PENDING | @sec-team |
| Performance budget | ✅ PASS | @perf |
| Database migration rehearsed | ✅ DONE | @db-team |

## Optional Gates

- [x] 24 h fuzzing run @sec-team
- [ ] Screenshots in the docs refreshed @docs
- [x] Changelog reviewed @pm

## Deployment

| Step | Status | Owner |
|------|--------|-------|
| Staging deploy | ✅ | @ops |
| Canary at 5% | ⏳ | @ops |
| Rollback plan | ✅ | @ops |

## Sign-off

- [x] Engineering @eng-lead
- [ ] Product @pm
- [x] QA @qa-team
";

/// Four category sections with `ITEMS_PER_SECTION` items each: half gate
/// table rows, half task-list items.
fn large_checklist() -> String {
    const SECTIONS: [&str; 4] = ["Core Gates", "Optional Gates", "Deployment", "Sign-off"];
    const STATUSES: [&str; 8] = [
        "✅ PASS",
        "✅ DONE",
        "🟡 PENDING",
        "✅ OK",
        "❌ FAIL",
        "✅ PASS",
        "N/A",
        "⏳ WIP",
    ];
    let mut text = String::from("# Widget v3.0.0 Release Checklist\n\n");
    let rows = ITEMS_PER_SECTION / 2;
    for (s, section) in SECTIONS.iter().enumerate() {
        let _ = writeln!(text, "## {section}\n");
        text.push_str("| Gate | Status | Owner |\n|------|--------|-------|\n");
        for r in 0..rows {
            let status = STATUSES[(r * 7 + s) % STATUSES.len()];
            let _ = writeln!(
                text,
                "| {section} check {r} | {status} | @team-{} |",
                r % 17
            );
        }
        text.push('\n');
        for t in 0..ITEMS_PER_SECTION - rows {
            let done = if (t + s) % 5 == 0 { ' ' } else { 'x' };
            let _ = writeln!(text, "- [{done}] {section} task {t} @owner-{}", t % 23);
        }
        text.push('\n');
    }
    text
}
