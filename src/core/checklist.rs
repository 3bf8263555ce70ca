//! Checklist Markdown → categorised items.
//!
//! Items are GFM task-list items and body rows of tables that have a Status
//! column, inside the section of a category heading. Code blocks, HTML
//! blocks and managed blocks are invisible.

use std::fmt::Write as _;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::core::category::Category;
pub use crate::core::checklist_scan::{Passed, STATUS_COLUMNS, Shapes};
use crate::core::checklist_scan::{RawItem, RawStatus, Scan, scan};
use crate::core::lines::LineIndex;
use crate::core::status::{ItemState, Vocabulary, is_legend_title};

/// A heading of the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// 1 for `#`, 6 for `######`; 7 for a bold line standing in for a
    /// heading; 0 for the document itself (items before any heading).
    pub level: u8,
    /// The heading's text, emoji and all.
    pub text: String,
    /// 1-based line.
    pub line: usize,
    /// Byte offset where the heading starts.
    #[serde(skip)]
    pub offset: usize,
}

/// One countable checklist item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// First column (tables) or the task text.
    pub name: String,
    /// What the status cell or checkbox says.
    pub state: ItemState,
    /// The Owner column, or an `@mention` in a task's text.
    pub owner: Option<String>,
    /// 1-based source line.
    pub line: usize,
    /// What decided the state: `[x]`, `[ ]`, the status cell's text, the
    /// leading mark, or `empty status cell`.
    pub decided_by: String,
    /// The item's own text tags it optional (`NICE-TO-HAVE`, `(optional)`):
    /// it counts in the score but never blocks.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
    /// The workflow the item is bound to, as written (a Workflow/CI cell, a
    /// link to `…/actions/workflows/FILE`, or config `[gates]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflow: Option<String>,
    /// Whether the state is the written one or came from CI.
    pub source: Source,
    /// The run the state came from (`source: ci`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<RunRef>,
    /// The written state, when CI replaced it.
    #[serde(skip)]
    pub written: Option<ItemState>,
    /// Where the written state is in the file (the checkbox, or the status
    /// cell's text), for `--sync-status`.
    #[serde(skip)]
    pub status_span: Option<Range<usize>>,
}

/// Where an item's state comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The checklist as written.
    #[default]
    Written,
    /// The latest completed run of the workflow the item names.
    Ci,
}

/// A workflow run an item's state came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunRef {
    pub id: u64,
    /// The run number shown on GitHub (`#812`).
    pub number: Option<u64>,
    pub url: Option<String>,
    pub conclusion: Option<String>,
    /// The workflow's name.
    pub workflow: String,
}

/// The items of one category.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The heading that starts the section.
    pub heading: Heading,
    /// Items in document order.
    pub items: Vec<Item>,
}

/// A parsed checklist: one section per category, in category order.
#[derive(Debug, Clone, PartialEq)]
pub struct Checklist {
    /// Parallel to the categories passed to [`parse`].
    pub sections: Vec<Section>,
    /// Things the user should know (ignored headings, unknown status words).
    pub warnings: Vec<String>,
    /// What looked like checklist content but was not counted, and why.
    pub passed_over: Vec<Passed>,
}

/// How items are read: which shapes, and extra status column names.
#[derive(Debug, Clone, Copy)]
pub struct Reading<'a> {
    pub shapes: Shapes,
    /// Extra status column names (config `status_columns`).
    pub status_columns: &'a [String],
}

impl Reading<'_> {
    /// The replaced tool's shapes.
    pub const CLASSIC: Reading<'static> = Reading {
        shapes: Shapes::Classic,
        status_columns: &[],
    };
}

/// The checklist does not have the shape the categories describe.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", missing_message(.missing, .headings))]
pub struct MissingCategories {
    /// Each category without a heading of its own.
    pub missing: Vec<MissingCategory>,
    /// (line, text) of every heading found.
    pub headings: Vec<(usize, String)>,
}

/// A category that no heading starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingCategory {
    pub name: String,
    /// Its heading regex.
    pub pattern: String,
    /// The line of a matching heading that already starts an earlier category.
    pub shared_heading_line: Option<usize>,
}

fn missing_message(missing: &[MissingCategory], headings: &[(usize, String)]) -> String {
    let names: Vec<String> = missing
        .iter()
        .map(|m| {
            let shared = m.shared_heading_line.map_or(String::new(), |line| {
                format!(
                    "; the heading on line {line} matches it but already starts an earlier category, and each category needs its own heading"
                )
            });
            format!("\"{}\" (heading pattern `{}`{shared})", m.name, m.pattern)
        })
        .collect();
    format!(
        "no heading starts category {}.\nHeadings found:\n{}\nRename a heading so it matches, or describe your sections with [[categories]] entries (name, heading, weight, blocking) in .release-dashboard.toml",
        names.join(", "),
        headings_list(headings)
    )
}

fn headings_list(headings: &[(usize, String)]) -> String {
    if headings.is_empty() {
        "  (no headings at all)".to_string()
    } else {
        headings
            .iter()
            .map(|(line, text)| format!("  line {line}: {text}"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Parse `text`, skipping the `excluded` byte ranges (managed blocks), and
/// sort its items into `categories`, reading the replaced tool's shapes.
pub fn parse(
    text: &str,
    excluded: &[Range<usize>],
    categories: &[Category],
    vocabulary: &Vocabulary,
) -> Result<Checklist, MissingCategories> {
    let index = LineIndex::new(text);
    parse_with_lines(
        text,
        excluded,
        categories,
        &vocabulary.classic(),
        Reading::CLASSIC,
        &|offset| index.line_of(offset),
    )
}

/// [`parse`] with a [`Reading`], and `line_of` turning an offset of `text`
/// into the line number to report (for a text that stands in for another).
pub fn parse_with_lines(
    text: &str,
    excluded: &[Range<usize>],
    categories: &[Category],
    vocabulary: &Vocabulary,
    reading: Reading<'_>,
    line_of: &dyn Fn(usize) -> usize,
) -> Result<Checklist, MissingCategories> {
    let scanned = scan(
        text,
        excluded,
        reading.shapes,
        reading.status_columns,
        line_of,
    );
    let mut warnings = scanned.warnings.clone();
    // Every shape is read: bold lines (and `<summary>`s) can start a
    // section too, as in document mode, so a pinned document-mode
    // category still finds its section.
    let headings = if reading.shapes == Shapes::Extended {
        let mut all: Vec<Heading> = scanned
            .headings
            .iter()
            .chain(&scanned.pseudo_headings)
            .cloned()
            .collect();
        all.sort_by_key(|h| h.offset);
        all
    } else {
        scanned.headings.clone()
    };
    // Whether each heading's own section (up to the next heading of any
    // level) holds items: what made it a category in document mode.
    let direct: Vec<bool> = (0..headings.len())
        .map(|i| {
            let end = headings.get(i + 1).map_or(text.len(), |h| h.offset);
            scanned
                .items
                .iter()
                .any(|item| (headings[i].offset..end).contains(&item.offset))
        })
        .collect();
    let legend: Vec<bool> = (0..headings.len())
        .map(|i| {
            reading.shapes == Shapes::Extended
                && ancestry(&headings, i).any(|h| is_legend_title(&h.text))
        })
        .collect();
    let bounds = section_bounds(text, &headings, &direct, categories, &mut warnings)?;
    let mut placer = Placer::new(vocabulary, warnings, scanned.passed_over.clone());
    let mut sections: Vec<Section> = bounds
        .iter()
        .map(|(heading, _)| Section {
            heading: heading.clone(),
            items: Vec::new(),
        })
        .collect();
    for raw in scanned.items {
        let line = line_of(raw.offset);
        // Legends are passed over as in document mode.
        let owner = headings
            .partition_point(|h| h.offset < raw.offset)
            .checked_sub(1);
        if reading.shapes == Shapes::Extended
            && (owner.is_some_and(|i| legend[i]) || is_legend_item(&raw, vocabulary))
        {
            placer.passed_over.push(legend_entry(&raw, line));
            continue;
        }
        let Some(at) = innermost_section(&bounds, raw.offset) else {
            placer.passed_over.push(Passed {
                line,
                what: format!("item \"{}\"", raw.name),
                why: "outside every category's section".into(),
            });
            continue;
        };
        sections[at].items.push(placer.item(raw, line));
    }
    Ok(placer.finish(sections))
}

/// Headings that mark a section as not blocking the release.
static NOT_BLOCKING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\bnon[- ]?blocking\b|\bnot\s+(?:a\s+)?(?:launch\s+|release\s+)?blockers?\b|\bnot\s+blocking\b|\boptional\b|\bnice[- ]to[- ]have\b|\bpost[- ]?(?:release|launch|deploy(?:ment)?|ga)\b|\bafter\s+(?:the\s+)?(?:release|launch|deploy(?:ment)?|shipping)\b|\bstretch\b|\bfollow[- ]?ups?\b|\bfuture\b|\bwish\s*list\b",
    )
    .expect("not-blocking regex is valid")
});

/// Whether a heading's text marks its section as not blocking.
pub fn heading_is_not_blocking(text: &str) -> bool {
    NOT_BLOCKING.is_match(text)
}

/// The document has nothing countable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", nothing_message(.headings))]
pub struct NothingCountable {
    /// (line, text) of every heading and bold line found.
    pub headings: Vec<(usize, String)>,
}

fn nothing_message(headings: &[(usize, String)]) -> String {
    let mut snippet = String::new();
    for (_, text) in headings.iter().take(8) {
        let _ = write!(
            snippet,
            "[[categories]]\nname = {}\nheading = {}\nweight = 1.0\nblocking = {}\n\n",
            toml_string(text),
            toml_string(&format!("^{}$", regex::escape(text))),
            !heading_is_not_blocking(text)
        );
    }
    let snippet = if snippet.is_empty() {
        "[[categories]]\nname = \"Release\"\nheading = \"Release\"\nweight = 1.0\nblocking = true\n"
            .to_string()
    } else {
        snippet.trim_end().to_string()
    };
    format!(
        "nothing to count: no task-list item (`- [ ]` / `- [x]`), no bullet that starts with a status mark (✅ ❌ 🟡 ⏳ ☐ …), and no table row with a status column (Status, State, Result, Outcome, Go/No-Go, Done, …).\nHeadings found:\n{}\nAdd items in one of those shapes under your headings; if your status column has another name, list it in .release-dashboard.toml as `status_columns = [\"…\"]`; to pin the sections, start from:\n\n{snippet}",
        headings_list(headings)
    )
}

/// A TOML basic string.
pub fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Categories read from the document itself: each heading (or bold line)
/// whose own section holds items is a category named by its text; items
/// before any heading form one named `fallback_name` (the front matter's
/// title, else the caller's, e.g. the file name). Every countable item
/// weighs the same (a category's weight is its countable item count);
/// sections under a heading that marks them optional, nice-to-have,
/// non-blocking or post-release do not block.
pub fn parse_document(
    text: &str,
    excluded: &[Range<usize>],
    vocabulary: &Vocabulary,
    status_columns: &[String],
    fallback_name: &str,
    line_of: &dyn Fn(usize) -> usize,
) -> Result<(Vec<Category>, Checklist), NothingCountable> {
    let scanned = scan(text, excluded, Shapes::Extended, status_columns, line_of);
    let Scan {
        headings: real,
        pseudo_headings,
        items: raw_items,
        warnings,
        mut passed_over,
        plain_bullets,
        title,
    } = scanned;
    let mut headings: Vec<Heading> = real.iter().chain(&pseudo_headings).cloned().collect();
    headings.sort_by_key(|h| h.offset);
    let blocking: Vec<bool> = (0..headings.len())
        .map(|i| !ancestry(&headings, i).any(|h| heading_is_not_blocking(&h.text)))
        .collect();
    let legend: Vec<bool> = (0..headings.len())
        .map(|i| ancestry(&headings, i).any(|h| is_legend_title(&h.text)))
        .collect();
    if plain_bullets > 0 {
        passed_over.push(Passed {
            line: 0,
            what: format!("{plain_bullets} plain bullet(s)"),
            why: "no checkbox and no status mark".into(),
        });
    }
    let mut placer = Placer::new(vocabulary, warnings, passed_over);
    // Section index by heading index (usize::MAX: the document itself).
    let mut order: Vec<usize> = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut section_blocking: Vec<bool> = Vec::new();
    for raw in raw_items {
        let line = line_of(raw.offset);
        let owner = headings
            .partition_point(|h| h.offset < raw.offset)
            .checked_sub(1);
        let key = owner.unwrap_or(usize::MAX);
        if owner.is_some_and(|i| legend[i]) || is_legend_item(&raw, vocabulary) {
            placer.passed_over.push(legend_entry(&raw, line));
            continue;
        }
        let at = if let Some(at) = order.iter().position(|&k| k == key) {
            at
        } else {
            order.push(key);
            let heading = owner.map_or_else(
                || Heading {
                    level: 0,
                    text: title.clone().unwrap_or_else(|| fallback_name.to_string()),
                    line: 1,
                    offset: 0,
                },
                |i| headings[i].clone(),
            );
            section_blocking.push(owner.is_none_or(|i| blocking[i]));
            sections.push(Section {
                heading,
                items: Vec::new(),
            });
            sections.len() - 1
        };
        sections[at].items.push(placer.item(raw, line));
    }
    let checklist = placer.finish(sections);
    let countable = |s: &Section| {
        s.items
            .iter()
            .filter(|i| i.state != ItemState::Skipped)
            .count()
    };
    if checklist.sections.iter().all(|s| countable(s) == 0) {
        return Err(NothingCountable {
            headings: headings.iter().map(|h| (h.line, h.text.clone())).collect(),
        });
    }
    let mut names: Vec<String> = Vec::new();
    let categories = checklist
        .sections
        .iter()
        .zip(section_blocking)
        .map(|(section, blocking)| {
            let text = &section.heading.text;
            // A repeated heading gets an ordinal, not a line number: the
            // name must not change when the blocks above it grow.
            let mut name = text.clone();
            let mut n = 1;
            while names.contains(&name) {
                n += 1;
                name = format!("{text} ({n})");
            }
            names.push(name.clone());
            let pattern = format!("^{}$", regex::escape(text));
            #[allow(clippy::cast_precision_loss)] // item counts are far below 2^52
            let weight = countable(section) as f64;
            Category::new(&name, &pattern, weight, blocking)
                .unwrap_or_else(|_| Category::literal(&name, weight, blocking))
        })
        .collect();
    Ok((categories, checklist))
}

/// The heading at `i` and each heading it sits under.
fn ancestry(headings: &[Heading], i: usize) -> impl Iterator<Item = &Heading> {
    let mut level = u8::MAX;
    headings[..=i].iter().rev().filter(move |h| {
        if h.level < level {
            level = h.level;
            true
        } else {
            false
        }
    })
}

/// What is said of an item that belongs to a legend.
fn legend_entry(raw: &RawItem, line: usize) -> Passed {
    Passed {
        line,
        what: format!("item \"{}\"", raw.name),
        why: "part of a legend that explains the status marks".into(),
    }
}

/// `- ✅ Done` / `- ❌ = failed`: a mark followed by nothing but status words.
fn is_legend_item(raw: &RawItem, vocabulary: &Vocabulary) -> bool {
    matches!(raw.status, RawStatus::Mark(..))
        && (raw.name.trim().is_empty() || vocabulary.only_status_words(&raw.name))
}

/// Turns raw items into items, collecting warnings.
struct Placer<'a> {
    vocabulary: &'a Vocabulary,
    warnings: Vec<String>,
    passed_over: Vec<Passed>,
    empty_cells: Vec<usize>,
}

impl<'a> Placer<'a> {
    fn new(vocabulary: &'a Vocabulary, warnings: Vec<String>, passed_over: Vec<Passed>) -> Self {
        Placer {
            vocabulary,
            warnings,
            passed_over,
            empty_cells: Vec::new(),
        }
    }

    fn item(&mut self, raw: RawItem, line: usize) -> Item {
        let (state, decided_by) = match &raw.status {
            RawStatus::Checkbox(true) => (ItemState::Pass, "[x]".to_string()),
            RawStatus::Checkbox(false) => (ItemState::Pending, "[ ]".to_string()),
            RawStatus::Mark(mark, state) => (*state, mark.clone()),
            RawStatus::Tick => (ItemState::Pass, "x".to_string()),
            RawStatus::Cell(cell) if cell.trim().is_empty() => {
                self.empty_cells.push(line);
                (ItemState::Pending, "empty status cell".to_string())
            }
            RawStatus::Cell(cell) => {
                if let Some(state) = self.vocabulary.classify(cell) {
                    (state, cell.trim().to_string())
                } else {
                    self.warnings.push(format!(
                        "line {line}: status \"{}\" is not a known status word; counted as pending (add it under [status] in .release-dashboard.toml)",
                        cell.trim()
                    ));
                    (ItemState::Pending, format!("unknown \"{}\"", cell.trim()))
                }
            }
        };
        // A trailing `@owner` mention is the owner, not part of the name.
        let name = match &raw.owner {
            Some(owner) => without_owner(&raw.name, owner),
            None => raw.name,
        };
        Item {
            name,
            state,
            owner: raw.owner,
            line,
            decided_by,
            optional: raw.optional,
            workflow: raw.workflow,
            source: Source::Written,
            run: None,
            written: None,
            status_span: raw.status_span,
        }
    }

    fn finish(mut self, sections: Vec<Section>) -> Checklist {
        if !self.empty_cells.is_empty() {
            let shown: Vec<String> = self
                .empty_cells
                .iter()
                .take(10)
                .map(ToString::to_string)
                .collect();
            let more = if self.empty_cells.len() > 10 {
                ", …"
            } else {
                ""
            };
            self.warnings.push(format!(
                "{} table row(s) have an empty status cell (line {}{more}); counted as pending until filled in",
                self.empty_cells.len(),
                shown.join(", ")
            ));
        }
        Checklist {
            sections,
            warnings: self.warnings,
            passed_over: self.passed_over,
        }
    }
}

/// `name` without a trailing mention of its `owner` (kept separately as
/// the owner): "Security audit (@sec-team)" and "Deploy — @ana" become
/// "Security audit" and "Deploy". A mention inside the name ("Ask @ana
/// about keys") stays; so does a name that is nothing but the mention.
pub fn without_owner(name: &str, owner: &str) -> String {
    if !owner.starts_with('@') {
        return name.to_string();
    }
    let trimmed = name.trim_end();
    let rest = trimmed.strip_suffix(&format!("({owner})")).or_else(|| {
        trimmed.strip_suffix(owner).filter(|r| {
            r.is_empty()
                || r.ends_with(char::is_whitespace)
                || r.ends_with([',', ';', ':', '—', '–', '-'])
        })
    });
    let Some(rest) = rest else {
        return name.to_string();
    };
    let cut = rest.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | ':' | '—' | '–' | '-')
    });
    if cut.is_empty() {
        name.to_string()
    } else {
        cut.to_string()
    }
}

/// For each category, its heading and the byte range of its section.
fn section_bounds(
    text: &str,
    headings: &[Heading],
    direct: &[bool],
    categories: &[Category],
    warnings: &mut Vec<String>,
) -> Result<Vec<(Heading, Range<usize>)>, MissingCategories> {
    let mut taken = vec![false; headings.len()];
    let mut bounds = Vec::new();
    let mut missing = Vec::new();
    for category in categories {
        // Headings match in document order. When a bold line (or a
        // `<summary>`) is among them, those with items of their own come
        // first, as they did when document mode made the category.
        let mut matching: Vec<usize> = (0..headings.len())
            .filter(|&i| !taken[i] && category.matches(&headings[i].text))
            .collect();
        if matching.iter().any(|&i| headings[i].level > 6) {
            matching.sort_by_key(|&i| !direct[i]);
        }
        let Some((&first, later)) = matching.split_first() else {
            let taken_match =
                (0..headings.len()).find(|&i| taken[i] && category.matches(&headings[i].text));
            missing.push(MissingCategory {
                name: category.name.clone(),
                pattern: category.heading.as_str().to_string(),
                shared_heading_line: taken_match.map(|i| headings[i].line),
            });
            continue;
        };
        taken[first] = true;
        let heading = &headings[first];
        for &i in later {
            warnings.push(format!(
                "line {}: heading \"{}\" also matches category \"{}\"; ignored (the category's section starts at line {})",
                headings[i].line, headings[i].text, category.name, heading.line
            ));
        }
        let end = headings[first + 1..]
            .iter()
            .find(|h| h.level <= heading.level)
            .map_or(text.len(), |h| h.offset);
        bounds.push((heading.clone(), heading.offset..end));
    }
    if missing.is_empty() {
        Ok(bounds)
    } else {
        Err(MissingCategories {
            missing,
            headings: headings.iter().map(|h| (h.line, h.text.clone())).collect(),
        })
    }
}

/// The section holding `offset`; when sections nest, the one that starts last.
fn innermost_section(bounds: &[(Heading, Range<usize>)], offset: usize) -> Option<usize> {
    bounds
        .iter()
        .enumerate()
        .filter(|(_, (_, range))| range.contains(&offset))
        .max_by_key(|(_, (_, range))| range.start)
        .map(|(i, _)| i)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::core::category::default_categories;

    fn parse_default(text: &str) -> Checklist {
        parse(text, &[], &default_categories(), &Vocabulary::default()).unwrap()
    }

    const FOUR: &str = "# Release\n\n## Core Gates\n\n- [x] build\n\n## Optional Gates\n\n- [ ] chaos\n\n## Deployment\n\n- [x] docker\n\n## Sign-off\n\n- [ ] cto\n";

    fn states(section: &Section) -> Vec<(String, ItemState)> {
        section
            .items
            .iter()
            .map(|i| (i.name.clone(), i.state))
            .collect()
    }

    #[test]
    fn four_sections_with_tasks() {
        let c = parse_default(FOUR);
        assert_eq!(c.sections.len(), 4);
        assert_eq!(
            states(&c.sections[0]),
            [("build".to_string(), ItemState::Pass)]
        );
        assert_eq!(
            states(&c.sections[3]),
            [("cto".to_string(), ItemState::Pending)]
        );
        assert_eq!(c.sections[0].items[0].line, 5);
        assert!(c.warnings.is_empty());
    }

    #[test]
    fn task_lists_of_every_kind_at_any_depth() {
        let text = "## Core\n- [x] a\n  - [X] b\n    * [ ] c\n+ [x] d\n1. [ ] e\n2) [x] f\n- plain bullet\n\n## Optional\n## Deploy\n## Signoff\n";
        let c = parse_default(text);
        let names: Vec<_> = c.sections[0]
            .items
            .iter()
            .map(|i| (i.name.as_str(), i.state))
            .collect();
        assert_eq!(
            names,
            [
                ("a", ItemState::Pass),
                ("b", ItemState::Pass),
                ("c", ItemState::Pending),
                ("d", ItemState::Pass),
                ("e", ItemState::Pending),
                ("f", ItemState::Pass)
            ]
        );
    }

    #[test]
    fn table_rows_with_status_and_owner_columns() {
        let text = "## Core Gates\n\n| Gate | 📊 Status: | Owner |\n|---|---|---|\n| Build | ✅ **PASS** | @ana |\n| Audit | ⏳ Pending | — |\n| Perf | Passing | |\n\n| Gate | Notes |\n|---|---|\n| x | ✅ |\n\n## Optional\n## Deployment\n## Sign-off\n";
        let c = parse_default(text);
        let items = &c.sections[0].items;
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].name, "Build");
        assert_eq!(items[0].state, ItemState::Pass);
        assert_eq!(items[0].owner.as_deref(), Some("@ana"));
        assert_eq!(items[1].owner, None);
        assert_eq!(items[2].state, ItemState::Pending);
        assert_eq!(items[2].line, 7);
        assert_eq!(c.warnings.len(), 1);
        assert!(c.warnings[0].starts_with("line 7: status \"Passing\""));
        assert_eq!(items[0].decided_by, "✅ PASS");
    }

    #[test]
    fn sections_end_at_same_or_higher_heading_and_keep_subheadings() {
        let text = "## Core Gates\n### Sub\n- [x] a\n#### Deeper\n- [x] b\n## Other\n- [ ] not core\n## Optional\n## Deployment\n## Sign-off\n";
        let c = parse_default(text);
        assert_eq!(c.sections[0].items.len(), 2);
    }

    #[test]
    fn later_matching_heading_is_ignored_with_warning() {
        let text = "## Core\n## Optional Gates\n- [x] a\n## Deployment\n## Sign-off\n## Post-Release TODO (Optional Enhancements)\n- [ ] later\n";
        let c = parse_default(text);
        assert_eq!(c.sections[1].items.len(), 1);
        assert_eq!(c.warnings.len(), 1);
        assert!(c.warnings[0].contains("line 6"));
        assert!(c.warnings[0].contains("Optional Gates"));
    }

    #[test]
    fn setext_headings_count() {
        let text = "Core Gates\n==========\n\n- [x] a\n\nOptional\n--------\n\nDeployment\n---\n\nSign-off\n---\n";
        let c = parse_default(text);
        assert_eq!(c.sections[0].heading.level, 1);
        assert_eq!(c.sections[0].items.len(), 1);
    }

    #[test]
    fn code_comments_and_excluded_ranges_are_invisible() {
        let text = "## Core\n```\n- [ ] fenced\n```\n\n    - [ ] indented\n\n<!--\n- [ ] commented\n-->\n\n<div>\n- [ ] html\n</div>\n\nBLOCK\n## Core Excluded\n- [ ] managed\nEND\n- [x] real\n## Optional\n## Deployment\n## Sign-off\n";
        let start = text.find("BLOCK").unwrap();
        let end = text.find("END").unwrap() + 3;
        let managed = start..end;
        let c = parse(
            text,
            std::slice::from_ref(&managed),
            &default_categories(),
            &Vocabulary::default(),
        )
        .unwrap();
        assert_eq!(
            states(&c.sections[0]),
            [("real".to_string(), ItemState::Pass)]
        );
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    }

    /// A config's category finds a bold-line section (what `inspect` pins
    /// from a document-mode reading); among same-text sections, the first
    /// with items of its own, as document mode named them.
    #[test]
    fn configured_categories_start_at_bold_lines_in_document_order() {
        let categories = [
            Category::new("Before", "^Before release$", 1.0, true).unwrap(),
            Category::new("Checks", "^Checks$", 1.0, true).unwrap(),
        ];
        let extended = Reading {
            shapes: Shapes::Extended,
            status_columns: &[],
        };
        let text = "# R\n\n**Before release**:\n\n- [x] a\n- [ ] b\n\n**Checks**\n\n- [ ] c\n\n## Checks\n\n- [x] d\n\n**Checks**\n\n### Sub\n\n- [x] e\n";
        let index = LineIndex::new(text);
        let c = parse_with_lines(
            text,
            &[],
            &categories,
            &Vocabulary::default(),
            extended,
            &|o| index.line_of(o),
        )
        .unwrap();
        let names = |s: &Section| s.items.iter().map(|i| i.name.clone()).collect::<Vec<_>>();
        // A bold line's section ends at the next bold line or heading.
        assert_eq!(names(&c.sections[0]), ["a", "b"]);
        assert_eq!(names(&c.sections[1]), ["c"]);
        assert!(c.passed_over.iter().any(|p| p.what.contains("\"d\"")));
        // The replaced tool's reading keeps to real headings.
        assert!(parse(text, &[], &categories, &Vocabulary::default()).is_err());
    }

    #[test]
    fn missing_category_lists_headings() {
        let err = parse(
            "# Title\n## Core\n## Score\n",
            &[],
            &default_categories(),
            &Vocabulary::default(),
        )
        .unwrap_err();
        assert_eq!(err.missing.len(), 3);
        let msg = err.to_string();
        assert!(msg.contains("\"Optional Gates\""), "{msg}");
        assert!(msg.contains("line 3: Score"), "{msg}");
        assert!(msg.contains("[[categories]]"), "{msg}");
    }

    #[test]
    fn task_owner_from_mention_and_nested_text_not_in_name() {
        let text = "## Core\n- [ ] Security audit (@sec-team)\n  - [x] sub task\n## Optional\n## Deployment\n## Sign-off\n";
        let c = parse_default(text);
        let items = &c.sections[0].items;
        assert_eq!(items[0].name, "Security audit");
        assert_eq!(items[0].owner.as_deref(), Some("@sec-team"));
        assert_eq!(items[1].name, "sub task");
        assert_eq!(items[1].owner, None);
    }

    #[test]
    fn nested_sections_give_items_to_the_innermost() {
        let text = "# Deployment Checklist\n## Core\n- [x] a\n## Optional\n- [x] b\n## Sign-off\n- [x] c\n";
        let c = parse_default(text);
        assert_eq!(c.sections[0].items.len(), 1);
        assert_eq!(c.sections[2].items.len(), 0);
    }

    #[test]
    fn empty_rows_are_skipped_with_a_warning() {
        let text = "## Core\n| Gate | Status |\n|---|---|\n| | |\n| a | done |\n## Optional\n## Deployment\n## Sign-off\n";
        let c = parse_default(text);
        assert_eq!(c.sections[0].items.len(), 1);
        assert_eq!(c.warnings, ["line 4: empty table row ignored"]);
    }

    #[test]
    fn trailing_owner_mentions_leave_the_name() {
        let cases = [
            ("Security audit (@sec-team)", "@sec-team", "Security audit"),
            ("Deploy @ana", "@ana", "Deploy"),
            ("Deploy — @ana", "@ana", "Deploy"),
            ("Sign off, @acme/leads", "@acme/leads", "Sign off"),
            ("Ask @ana about keys", "@ana", "Ask @ana about keys"),
            ("@ana", "@ana", "@ana"),
            ("Build", "@ana", "Build"),
            ("Mail bob@ana", "@ana", "Mail bob@ana"),
            ("Build (@ana)", "Ana Lopez", "Build (@ana)"),
        ];
        for (name, owner, expected) in cases {
            assert_eq!(without_owner(name, owner), expected, "{name}");
        }
    }
}
