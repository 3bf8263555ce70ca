//! `release-dashboard inspect`: how a checklist was read, so a person can
//! check the score against the document in a minute (pure text and JSON).

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::core::analysis::Analysis;
use crate::core::category::{CategoriesFrom, Category};
use crate::core::checklist::toml_string;
use crate::core::score::round2;
use crate::render::fmt_pct;

/// The reading as text: each category with its items (state, line and what
/// decided it), what was passed over and why, warnings, the total, and a
/// `[[categories]]` snippet that pins the categories in a config.
pub fn text(checklist: &str, a: &Analysis) -> String {
    let s = &a.score;
    let mut out = String::new();
    let _ = writeln!(out, "Checklist: {checklist}");
    let _ = writeln!(
        out,
        "Categories: {}\n",
        s.categories_from.describe(s.categories.len())
    );
    for c in &s.categories {
        let blocking = if c.blocking {
            "blocking"
        } else {
            "not blocking"
        };
        let _ = writeln!(
            out,
            "{} — {blocking}, {}/{} passing{}",
            c.name,
            c.passing,
            c.total,
            if c.skipped > 0 {
                format!(", {} skipped", c.skipped)
            } else {
                String::new()
            }
        );
        for item in &c.items {
            let optional = if item.optional { " (optional)" } else { "" };
            let _ = writeln!(
                out,
                "  line {:>4}  {} {:<7}  {:<18}  {}{optional}",
                item.line,
                item.state.emoji(),
                item.state.as_str(),
                clip(&item.decided_by, 18),
                item.name
            );
        }
        out.push('\n');
    }
    if !a.passed_over.is_empty() {
        out.push_str("Not counted:\n");
        for p in &a.passed_over {
            if p.line > 0 {
                let _ = writeln!(out, "  line {:>4}  {}: {}", p.line, p.what, p.why);
            } else {
                let _ = writeln!(out, "  {}: {}", p.what, p.why);
            }
        }
        out.push('\n');
    }
    if !a.warnings.is_empty() {
        out.push_str("Warnings:\n");
        for w in &a.warnings {
            let _ = writeln!(out, "  {w}");
        }
        out.push('\n');
    }
    let (items, passing) = totals(a);
    let _ = writeln!(
        out,
        "Total: {passing}/{items} items passing; score {}% ({}), {} blocker(s)\n",
        fmt_pct(s.total, 2),
        s.band.text(),
        s.blockers.len()
    );
    out.push_str(&pin(a));
    out
}

/// How to pin the categories: the snippet, or why there is nothing to pin.
fn pin(a: &Analysis) -> String {
    let s = &a.score;
    let mut out = String::new();
    let intro = match s.categories_from {
        CategoriesFrom::Config => "These categories come from your config file:",
        CategoriesFrom::Defaults => {
            "To keep these categories however the document changes, add to .release-dashboard.toml:"
        }
        CategoriesFrom::Document => {
            "To pin these categories (and their weights) when the document changes, add to .release-dashboard.toml:"
        }
    };
    // A document-mode category of the items before any heading has no
    // heading for a config to name.
    let headless: Vec<&str> = match s.categories_from {
        CategoriesFrom::Document => a
            .checklist
            .sections
            .iter()
            .zip(&a.categories)
            .filter(|(section, _)| section.heading.level == 0)
            .map(|(_, c)| c.name.as_str())
            .collect(),
        CategoriesFrom::Config | CategoriesFrom::Defaults => Vec::new(),
    };
    if headless.len() == a.categories.len() {
        out.push_str(
            "Nothing to pin: the checklist has no headings, so it is read as one category, the same way every run. Headings (`## …`) or bold lines above groups of items would make categories.\n",
        );
        return out;
    }
    let _ = writeln!(out, "{intro}\n");
    let pinnable: Vec<Category> = a
        .categories
        .iter()
        .filter(|c| !headless.contains(&c.name.as_str()))
        .cloned()
        .collect();
    out.push_str(&snippet(&pinnable));
    for name in headless {
        let _ = writeln!(
            out,
            "# The items before the first heading (category {}) cannot be pinned: a config's\n# categories start at headings. Put a heading above them first.",
            toml_string(name)
        );
    }
    out
}

/// The reading as JSON (`kind: "inspect"`).
pub fn json(checklist: &str, a: &Analysis) -> Value {
    let s = &a.score;
    let (items, passing) = totals(a);
    let categories: Vec<Value> = s
        .categories
        .iter()
        .zip(&a.categories)
        .zip(&a.checklist.sections)
        .map(|((c, cat), section)| {
            let mut value = crate::render::json::category(c);
            // `null`: the items before any heading (nothing to pin).
            value["heading"] =
                if s.categories_from == CategoriesFrom::Document && section.heading.level == 0 {
                    Value::Null
                } else {
                    Value::from(cat.heading.as_str())
                };
            value
        })
        .collect();
    json!({
        "schema_version": crate::render::json::SCHEMA_VERSION,
        "kind": "inspect",
        "checklist": checklist,
        "categories_from": s.categories_from.as_str(),
        "items": items,
        "passing": passing,
        "score": round2(s.total),
        "status": s.band.as_str(),
        "categories": categories,
        "blockers": s.blockers,
        "not_counted": a.passed_over,
        "warnings": a.warnings,
    })
}

/// `[[categories]]` entries that reproduce `categories`.
pub fn snippet(categories: &[Category]) -> String {
    let mut out = String::new();
    for c in categories {
        let _ = writeln!(
            out,
            "[[categories]]\nname = {}\nheading = {}\nweight = {}\nblocking = {}\n",
            toml_string(&c.name),
            toml_string(c.heading.as_str()),
            toml_float(c.weight),
            c.blocking
        );
    }
    out
}

fn toml_float(x: f64) -> String {
    let s = format!("{x}");
    if s.contains(['.', 'e', 'E']) || !x.is_finite() {
        s
    } else {
        format!("{s}.0")
    }
}

/// (countable items, passing items) over all categories.
fn totals(a: &Analysis) -> (usize, usize) {
    a.score
        .categories
        .iter()
        .fold((0, 0), |(n, p), c| (n + c.total, p + c.passing))
}

fn clip(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(width - 1).collect();
        out.push('…');
        out
    }
}
