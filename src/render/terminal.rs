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
    let _ = writeln!(out, "{}", status_line(r));
    blockers(&mut out, r);
    ci_line(&mut out, r);
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

fn blockers(out: &mut String, r: &Report) {
    let list = &r.score.blockers;
    if list.is_empty() {
        out.push_str("Blockers: none\n");
        return;
    }
    let _ = writeln!(out, "Blockers ({}):", fmt_count(list.len()));
    for b in list.iter().take(20) {
        let owner = b
            .owner
            .as_deref()
            .map(|o| format!(" — {o}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {} {} — {} [{}, line {}]{owner}",
            b.state.emoji(),
            b.name,
            b.state.as_str(),
            b.category,
            b.line
        );
    }
    if list.len() > 20 {
        let _ = writeln!(out, "  … and {} more", fmt_count(list.len() - 20));
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
        h.runs,
        h.branch,
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
