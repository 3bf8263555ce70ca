//! The portfolio roll-up as Markdown (a page, or the content of a managed
//! block), JSON (versioned) and a self-contained HTML page.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::core::portfolio::{Portfolio, RepoResult};
use crate::core::score::round2;
use crate::render::escape::{code, link, markup, md, url};
use crate::render::{fmt_num, fmt_pct};

/// The portfolio JSON schema version; bump on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

/// The managed block the roll-up lives in: `<!-- PORTFOLIO_START -->`.
pub const MARKER: &str = "PORTFOLIO";

/// One line: the verdict and why.
pub fn verdict(p: &Portfolio) -> String {
    let blocking = p.repos.iter().filter(|r| r.blocking).count();
    let failing: Vec<&RepoResult> = p.failing().collect();
    match (blocking, p.weakest()) {
        (0, _) | (_, None) => "⚪ No verdict: no blocking repository has a usable result".into(),
        (_, Some(weakest)) if failing.is_empty() => format!(
            "✅ Ready: all {blocking} blocking repositories meet their gates (weakest: {} at {}%)",
            weakest.name(),
            fmt_pct(weakest.score, 2)
        ),
        (_, Some(weakest)) => format!(
            "❌ Not ready: {} of {blocking} blocking repositories are below their gates; weakest: {} at {}% (gate {}%, {} blocker{})",
            failing.len(),
            weakest.name(),
            fmt_pct(weakest.score, 2),
            fmt_num(weakest.threshold),
            weakest.blockers,
            if weakest.blockers == 1 { "" } else { "s" }
        ),
    }
}

fn total_line(p: &Portfolio) -> String {
    match p.total {
        Some(total) => format!(
            "{}% ({} of {} items pass across {} repositor{})",
            fmt_pct(total, 2),
            p.passing,
            p.items,
            p.repos.len(),
            if p.repos.len() == 1 { "y" } else { "ies" }
        ),
        None => "no countable items".into(),
    }
}

fn gate_cell(r: &RepoResult) -> String {
    let mark = if r.passed { "✅" } else { "❌" };
    let side = if r.passed { "meets" } else { "below" };
    let optional = if r.blocking { "" } else { " (not blocking)" };
    format!("{mark} {side} {}%{optional}", fmt_num(r.threshold))
}

fn ci_cell(r: &RepoResult) -> String {
    match &r.ci {
        None => "not collected".into(),
        Some(ci) => match ci.success_rate {
            Some(rate) => format!(
                "{} {}% of {} runs",
                ci.health.emoji(),
                fmt_pct(rate, 1),
                ci.runs
            ),
            None => format!("{} no finished runs", ci.health.emoji()),
        },
    }
}

fn drift_cell(r: &RepoResult) -> String {
    if r.drift == 0 {
        "–".into()
    } else {
        format!("⚠️ {}", r.drift)
    }
}

fn repo_label(r: &RepoResult) -> String {
    match &r.branch {
        Some(branch) => format!("{} ({branch})", r.name()),
        None => r.name().to_string(),
    }
}

/// The content of the `PORTFOLIO` block (starts and ends with a newline).
pub fn markdown_block(p: &Portfolio, stamp: &str) -> String {
    let mut out = String::from("\n");
    let _ = writeln!(out, "**{}**\n", md(&verdict(p)));
    let _ = writeln!(out, "**Item-weighted total:** {}\n", total_line(p));
    if !p.repos.is_empty() {
        out.push_str(
            "| Repository | Score | Status | Gate | Blockers | CI health | Drift | Checklist |\n\
             |---|---:|---|---|---:|---|---:|---|\n",
        );
        for r in &p.repos {
            let _ = writeln!(
                out,
                "| {} | {}% | {} {} | {} | {} | {} | {} | {} |",
                md(&repo_label(r)),
                fmt_pct(r.score, 2),
                r.band.emoji(),
                r.band.text(),
                gate_cell(r),
                r.blockers,
                ci_cell(r),
                drift_cell(r),
                link(&r.checklist, r.checklist_url.as_deref()),
            );
        }
        out.push('\n');
    }
    if !p.problems.is_empty() {
        let _ = writeln!(out, "**Left out ({}):**\n", p.problems.len());
        for problem in &p.problems {
            let _ = writeln!(
                out,
                "- `{}`: {}",
                code(&problem.source),
                md(&problem.message)
            );
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "_{} result{} · Last Updated: {stamp}_\n",
        p.repos.len() + p.problems.len(),
        if p.repos.len() + p.problems.len() == 1 {
            ""
        } else {
            "s"
        }
    );
    out
}

/// A whole Markdown page: a title and the managed block, so that a later
/// roll-up into the same file rewrites only the block.
pub fn markdown_page(p: &Portfolio, stamp: &str) -> String {
    format!(
        "# Release portfolio\n\n<!-- {MARKER}_START -->{}<!-- {MARKER}_END -->\n",
        markdown_block(p, stamp)
    )
}

/// The roll-up as JSON.
pub fn json(p: &Portfolio, generated_at: &str) -> Value {
    let repos: Vec<Value> = p
        .repos
        .iter()
        .map(|r| {
            json!({
                "repository": r.repository,
                "branch": r.branch,
                "checklist": r.checklist,
                "checklist_url": r.checklist_url,
                "score": round2(r.score),
                "status": r.band.as_str(),
                "threshold": r.threshold,
                "passed": r.passed,
                "blocking": r.blocking,
                "blockers": r.blockers,
                "items": r.items,
                "passing": r.passing,
                "ci": r.ci.as_ref().map(|c| json!({
                    "runs": c.runs,
                    "success_rate": c.success_rate.map(round2),
                    "health": c.health.label().to_ascii_lowercase(),
                })),
                "drift": r.drift,
                "generated_at": r.generated_at,
                "source": r.source,
            })
        })
        .collect();
    let problems: Vec<Value> = p
        .problems
        .iter()
        .map(|x| json!({"source": x.source, "message": x.message}))
        .collect();
    json!({
        "schema_version": SCHEMA_VERSION,
        "kind": "portfolio",
        "generated_at": generated_at,
        "ready": p.ready(),
        "verdict": verdict(p),
        "weakest": p.weakest().map(|r| r.name().to_string()),
        "failing": p.failing().map(|r| r.name().to_string()).collect::<Vec<_>>(),
        "total": p.total.map(round2),
        "items": p.items,
        "passing": p.passing,
        "repositories": repos,
        "problems": problems,
    })
}

/// A self-contained HTML page (inline CSS, no script, links only to
/// `http(s)` checklist URLs).
pub fn html(p: &Portfolio, generated_at: &str) -> String {
    let mut out = String::with_capacity(8 * 1024);
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light\">\n\
         <title>Release portfolio: {}</title>\n<style>\n{}</style>\n</head>\n<body>\n\
         <header>\n<h1>Release portfolio</h1>\n<p class=\"meta\">generated {}</p>\n</header>\n<main>\n",
        markup(if p.ready() { "ready" } else { "not ready" }),
        crate::render::html::STYLE,
        markup(generated_at),
    );
    let tone = if p.ready() { "good" } else { "bad" };
    let _ = write!(
        out,
        "<section aria-labelledby=\"verdict\">\n<h2 id=\"verdict\">Verdict</h2>\n\
         <p class=\"headline\"><span class=\"pill tone-{tone}\">{}</span></p>\n\
         <p>{}</p>\n<p>Item-weighted total: <strong>{}</strong></p>\n</section>\n",
        if p.ready() { "Ready" } else { "Not ready" },
        markup(&verdict(p)),
        markup(&total_line(p)),
    );
    out.push_str(
        "<section aria-labelledby=\"repositories\">\n<h2 id=\"repositories\">Repositories</h2>\n\
         <div class=\"table-wrap\" tabindex=\"0\">\n<table>\n<caption>Every repository's readiness, failing gates first</caption>\n\
         <thead><tr><th scope=\"col\">Repository</th><th scope=\"col\">Score</th><th scope=\"col\">Status</th>\
         <th scope=\"col\">Gate</th><th scope=\"col\">Blockers</th><th scope=\"col\">CI health</th>\
         <th scope=\"col\">Drift</th><th scope=\"col\">Checklist</th></tr></thead>\n<tbody>\n",
    );
    for r in &p.repos {
        let checklist = match r.checklist_url.as_deref().and_then(url) {
            Some(u) => format!("<a href=\"{}\">{}</a>", markup(&u), markup(&r.checklist)),
            None => markup(&r.checklist),
        };
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}%</td><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{checklist}</td></tr>",
            markup(&repo_label(r)),
            fmt_pct(r.score, 2),
            r.band.emoji(),
            markup(r.band.text()),
            markup(&gate_cell(r)),
            r.blockers,
            markup(&ci_cell(r)),
            markup(&drift_cell(r)),
        );
    }
    out.push_str("</tbody>\n</table>\n</div>\n</section>\n");
    if !p.problems.is_empty() {
        let _ = write!(
            out,
            "<section aria-labelledby=\"problems\">\n<h2 id=\"problems\">Left out ({})</h2>\n<ul class=\"warnings\">\n",
            p.problems.len()
        );
        for problem in &p.problems {
            let _ = writeln!(
                out,
                "<li><code>{}</code>: {}</li>",
                markup(&problem.source),
                markup(&problem.message)
            );
        }
        out.push_str("</ul>\n</section>\n");
    }
    out.push_str(
        "</main>\n<footer><p>Made by release-dashboard portfolio.</p></footer>\n</body>\n</html>\n",
    );
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::core::portfolio::{Problem, parse_result, roll_up};

    fn sample() -> Portfolio {
        let result = |repo: &str, score: f64, url: &str| {
            format!(
                r#"{{"schema_version": 1, "checklist": "docs/release|checklist.md", "score": {score},
                  "threshold": 80, "categories": [{{"passing": 2, "total": 4}}], "blockers": [],
                  "ci": {{"runs": 20, "success_rate": 90.0, "branch": "main"}},
                  "repository": "{repo}", "checklist_url": "{url}"}}"#
            )
        };
        let a = parse_result(
            "a.json",
            result(
                "acme/api",
                91.0,
                "https://github.com/acme/api/blob/main/x.md",
            )
            .as_bytes(),
            &[],
        )
        .unwrap();
        let b = parse_result(
            "b.json",
            result("acme/<sdk>", 55.5, "javascript:alert(1)").as_bytes(),
            &[],
        )
        .unwrap();
        roll_up(
            vec![a, b],
            vec![Problem {
                source: "c.json".into(),
                message: "not JSON".into(),
            }],
        )
    }

    #[test]
    fn markdown_lists_failing_first_and_escapes() {
        let text = markdown_page(&sample(), "2026-12-03 10:00 UTC");
        assert!(text.starts_with("# Release portfolio\n\n<!-- PORTFOLIO_START -->\n"));
        assert!(
            text.contains("❌ Not ready: 1 of 2 blocking repositories"),
            "{text}"
        );
        let sdk = text
            .find("acme/<sdk>")
            .or_else(|| text.find("acme/&lt;sdk&gt;"))
            .unwrap();
        assert!(sdk < text.find("acme/api").unwrap());
        assert!(text.contains("docs/release\\|checklist.md"));
        assert!(!text.contains("javascript:"));
        assert!(
            text.contains(
                "[docs/release\\|checklist.md](https://github.com/acme/api/blob/main/x.md)"
            )
        );
        assert!(text.contains("- `c.json`: not JSON"));
        assert!(text.contains("**Item-weighted total:** 50.00% (4 of 8 items"));
    }

    #[test]
    fn json_and_html() {
        let p = sample();
        let value = json(&p, "2026-12-03T10:00:00Z");
        assert_eq!(value["schema_version"], 1);
        assert_eq!(value["ready"], false);
        assert_eq!(value["weakest"], "acme/<sdk>");
        assert_eq!(value["repositories"].as_array().unwrap().len(), 2);
        let page = html(&p, "2026-12-03 10:00 UTC");
        assert!(page.contains("acme/&lt;sdk&gt;") && !page.contains("<sdk>"));
        assert!(!page.contains("javascript:"));
        assert!(page.contains("<a href=\"https://github.com/acme/api/blob/main/x.md\">"));
    }
}
