//! Human output for the terminal. Styles are ANSI codes that the caller's
//! `anstream` writer strips when colour is off (NO_COLOR, not a TTY).

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use comfy_table::presets::UTF8_FULL;
use comfy_table::{Cell, CellAlignment, Table};

use crate::core::report::Report;
use crate::core::score::Band;
use crate::render::escape::plain;
use crate::render::{fmt_count, fmt_num, fmt_pct, other_branches_note, share_of_weight};

fn paint(style: Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

fn band_style(band: Band) -> Style {
    let color = match band {
        Band::ReleaseReady | Band::NearlyReady => AnsiColor::Green,
        Band::MinorBlockers => AnsiColor::Yellow,
        Band::InProgress => AnsiColor::Magenta,
        Band::NotReady => AnsiColor::Red,
    };
    color.on_default().bold()
}

/// The category table, status line, blockers and CI line.
pub fn summary(r: &Report) -> String {
    let mut out = format!(
        "{}\n",
        paint(
            Style::new().bold(),
            &format!("Release readiness — {}", r.checklist)
        )
    );
    out.push_str(&category_table(r).to_string());
    out.push('\n');
    let _ = writeln!(
        out,
        "Categories: {}",
        r.score.categories_from.describe(r.score.categories.len())
    );
    let _ = writeln!(out, "{}", status_line(r));
    blockers(&mut out, r, BLOCKERS_SHOWN);
    drift(&mut out, r);
    ci_line(&mut out, r);
    out
}

/// Blockers listed by the summary (and by `--check-only -v`).
const BLOCKERS_SHOWN: usize = 20;

/// Blockers listed under `--check-only`'s verdict without `-v`.
const GATE_BLOCKERS_SHOWN: usize = 5;

/// `--check-only`'s output: the verdict line, then the blockers (the first
/// few, or up to 20 with `verbose`), so a failed gate says why.
pub fn gate(r: &Report, verbose: bool) -> String {
    let mut out = format!("{}\n", gate_line(r));
    let shown = if verbose {
        BLOCKERS_SHOWN
    } else {
        GATE_BLOCKERS_SHOWN
    };
    blockers(&mut out, r, shown);
    out
}

fn category_table(r: &Report) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL)
        .set_header(["Category", "Score", "Passing", "Weight"]);
    for c in &r.score.categories {
        let score = c.score.map_or("—".to_string(), |s| {
            paint(band_style(Band::of(s)), &format!("{}%", fmt_pct(s, 1)))
        });
        let weight = match c.score {
            Some(_) => format!("{}%", fmt_pct(share_of_weight(&r.score, c), 0)),
            None => "— (no items)".to_string(),
        };
        table.add_row([
            Cell::new(&c.name),
            Cell::new(score).set_alignment(CellAlignment::Right),
            Cell::new(format!("{}/{}", c.passing, c.total)).set_alignment(CellAlignment::Right),
            Cell::new(weight).set_alignment(CellAlignment::Right),
        ]);
    }
    let total = paint(
        band_style(r.score.band),
        &format!("{}%", fmt_pct(r.score.total, 2)),
    );
    table.add_row([
        Cell::new(paint(Style::new().bold(), "TOTAL")),
        Cell::new(total).set_alignment(CellAlignment::Right),
        Cell::new(""),
        Cell::new("100%").set_alignment(CellAlignment::Right),
    ]);
    table
}

/// "Status: 🟠 In Progress — 84.11% (target 90%: below)".
pub fn status_line(r: &Report) -> String {
    let band = r.score.band;
    let verdict = if r.passed() { "met" } else { "not met" };
    format!(
        "Status: {} {} — {}% (target {}%: {verdict})",
        band.emoji(),
        paint(band_style(band), band.text()),
        fmt_pct(r.score.total, 2),
        fmt_num(r.threshold)
    )
}

fn blockers(out: &mut String, r: &Report, shown: usize) {
    let list = &r.score.blockers;
    if list.is_empty() {
        out.push_str("Blockers: none\n");
        return;
    }
    let _ = writeln!(out, "Blockers ({}):", fmt_count(list.len()));
    for b in list.iter().take(shown) {
        let owner = b
            .owner
            .as_deref()
            .map(|o| format!(" — {}", plain(o)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {} {} — {} [{}, line {}]{owner}",
            b.state.emoji(),
            plain(&b.name),
            b.state.as_str(),
            plain(&b.category),
            b.line
        );
    }
    if list.len() > shown {
        let _ = writeln!(out, "  … and {} more", fmt_count(list.len() - shown));
    }
}

fn drift(out: &mut String, r: &Report) {
    let gates = &r.score.gates;
    if gates.synced > 0 {
        let _ = writeln!(
            out,
            "Synced: {} written status(es) rewritten to what CI says (--sync-status)",
            gates.synced
        );
    }
    if gates.kept_written > 0 && r.ci.is_none() {
        let _ = writeln!(
            out,
            "Gates: {} item(s) name a workflow; without CI data they keep their written state",
            gates.kept_written
        );
    }
    if gates.drift.is_empty() {
        if gates.from_ci > 0 {
            let _ = writeln!(
                out,
                "Gates: {} item(s) follow their workflow's latest run; CI agrees with the checklist",
                gates.from_ci
            );
        }
        return;
    }
    let _ = writeln!(
        out,
        "CI disagrees with the checklist ({}):",
        gates.drift.len()
    );
    for d in gates.drift.iter().take(20) {
        let _ = writeln!(out, "  {} [{}, line {}]", d.describe(), d.category, d.line);
    }
    if gates.drift.len() > 20 {
        let _ = writeln!(out, "  … and {} more", gates.drift.len() - 20);
    }
}

fn ci_line(out: &mut String, r: &Report) {
    let Some(ci) = &r.ci else {
        out.push_str("CI: not collected (offline)\n");
        return;
    };
    let h = &ci.health;
    let rate = h.success_rate.map_or("no finished runs".to_string(), |x| {
        format!("{}% success", fmt_pct(x, 1))
    });
    let _ = writeln!(
        out,
        "CI: {} {} — {rate} over {} runs on {} ({} failing workflow{})",
        h.health.emoji(),
        h.health.label(),
        fmt_count(h.runs),
        plain(&h.branch),
        h.failing_workflows.len(),
        if h.failing_workflows.len() == 1 {
            ""
        } else {
            "s"
        }
    );
    if let Some(note) = other_branches_note(h, ci.source, plain) {
        let _ = writeln!(out, "  {note}; check --branch");
    }
}

/// A unified diff with its lines styled like `git diff`: file headers
/// bold, hunk headers cyan, removals red, additions green. The caller's
/// `anstream` writer drops the styles when colour is off (NO_COLOR, not a
/// terminal).
pub fn diff(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let style = if body.starts_with("+++") || body.starts_with("---") {
            Style::new().bold()
        } else if body.starts_with("@@") {
            AnsiColor::Cyan.on_default()
        } else if body.starts_with('+') {
            AnsiColor::Green.on_default()
        } else if body.starts_with('-') {
            AnsiColor::Red.on_default()
        } else {
            out.push_str(line);
            continue;
        };
        out.push_str(&paint(style, body));
        out.push_str(end);
    }
    out
}

/// `--check-only`'s verdict line.
pub fn gate_line(r: &Report) -> String {
    let (word, style, cmp) = if r.passed() {
        ("PASS", AnsiColor::Green.on_default().bold(), "≥")
    } else {
        ("FAIL", AnsiColor::Red.on_default().bold(), "<")
    };
    format!(
        "{}: readiness {}% {cmp} threshold {}% ({} {})",
        paint(style, word),
        fmt_pct(r.score.total, 2),
        fmt_num(r.threshold),
        r.score.band.emoji(),
        r.score.band.text()
    )
}
