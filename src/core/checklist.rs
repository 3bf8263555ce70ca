//! Checklist Markdown → categorised items.
//!
//! Items are GFM task-list items and body rows of tables that have a Status
//! column, inside the section of a category heading. Code blocks, HTML
//! blocks and managed blocks are invisible.

use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use regex::Regex;
use serde::Serialize;

use crate::core::category::Category;
use crate::core::lines::LineIndex;
use crate::core::status::{ItemState, Vocabulary};

static OWNER_MENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[\s(\[,;:])(@[A-Za-z0-9](?:[A-Za-z0-9_-]|/[A-Za-z0-9])*)")
        .expect("owner regex is valid")
});

/// A heading of the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// 1 for `#`, 6 for `######`.
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
    let found = if headings.is_empty() {
        "no headings at all".to_string()
    } else {
        headings
            .iter()
            .map(|(line, text)| format!("  line {line}: {text}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "no heading starts category {}.\nHeadings found:\n{found}\nRename a heading so it matches, or describe your sections with [[categories]] entries (name, heading, weight, blocking) in .release-dashboard.toml",
        names.join(", ")
    )
}

/// An item before it is placed in a category.
#[derive(Debug)]
struct RawItem {
    name: String,
    status: RawStatus,
    owner: Option<String>,
    offset: usize,
}

#[derive(Debug)]
enum RawStatus {
    Checkbox(bool),
    Cell(String),
}

/// Parse `text`, skipping the `excluded` byte ranges (managed blocks), and
/// sort its items into `categories`.
pub fn parse(
    text: &str,
    excluded: &[Range<usize>],
    categories: &[Category],
    vocabulary: &Vocabulary,
) -> Result<Checklist, MissingCategories> {
    let index = LineIndex::new(text);
    parse_with_lines(text, excluded, categories, vocabulary, &|offset| {
        index.line_of(offset)
    })
}

/// [`parse`], with `line_of` turning an offset of `text` into the line
/// number to report (for a text that stands in for another).
pub fn parse_with_lines(
    text: &str,
    excluded: &[Range<usize>],
    categories: &[Category],
    vocabulary: &Vocabulary,
    line_of: &dyn Fn(usize) -> usize,
) -> Result<Checklist, MissingCategories> {
    let (headings, raw_items, mut warnings) = scan(text, excluded, line_of);
    let bounds = section_bounds(text, &headings, categories, &mut warnings)?;
    let mut sections: Vec<Section> = bounds
        .iter()
        .map(|(heading, _)| Section {
            heading: heading.clone(),
            items: Vec::new(),
        })
        .collect();
    for raw in raw_items {
        let Some(at) = innermost_section(&bounds, raw.offset) else {
            continue;
        };
        let line = line_of(raw.offset);
        let state = item_state(&raw.status, vocabulary, line, &mut warnings);
        sections[at].items.push(Item {
            name: raw.name,
            state,
            owner: raw.owner,
            line,
        });
    }
    Ok(Checklist { sections, warnings })
}

fn item_state(
    status: &RawStatus,
    vocabulary: &Vocabulary,
    line: usize,
    warnings: &mut Vec<String>,
) -> ItemState {
    match status {
        RawStatus::Checkbox(true) => ItemState::Pass,
        RawStatus::Checkbox(false) => ItemState::Pending,
        RawStatus::Cell(cell) => vocabulary.classify(cell).unwrap_or_else(|| {
            warnings.push(format!(
                "line {line}: status \"{}\" is not a known status word; counted as pending (add it under [status] in .release-dashboard.toml)",
                cell.trim()
            ));
            ItemState::Pending
        }),
    }
}

/// For each category, its heading and the byte range of its section.
fn section_bounds(
    text: &str,
    headings: &[Heading],
    categories: &[Category],
    warnings: &mut Vec<String>,
) -> Result<Vec<(Heading, Range<usize>)>, MissingCategories> {
    let mut taken = vec![false; headings.len()];
    let mut bounds = Vec::new();
    let mut missing = Vec::new();
    for category in categories {
        let matching: Vec<usize> = (0..headings.len())
            .filter(|&i| !taken[i] && category.matches(&headings[i].text))
            .collect();
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

/// Where inline text currently goes.
#[derive(Default)]
struct Scanner {
    headings: Vec<Heading>,
    items: Vec<RawItem>,
    warnings: Vec<String>,
    heading: Option<Heading>,
    list_items: Vec<ListItem>,
    table: Option<Table>,
    code_depth: usize,
}

struct ListItem {
    offset: usize,
    checkbox: Option<bool>,
    text: String,
    /// False once a nested block (list, code) begins: its text is not ours.
    collecting: bool,
}

#[derive(Default)]
struct Table {
    header: Vec<String>,
    in_head: bool,
    row: Vec<String>,
    row_offset: usize,
    cell: Option<String>,
}

fn scan(
    text: &str,
    excluded: &[Range<usize>],
    line_of: &dyn Fn(usize) -> usize,
) -> (Vec<Heading>, Vec<RawItem>, Vec<String>) {
    let mut scanner = Scanner::default();
    let options = Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        if excluded.iter().any(|r| r.contains(&range.start)) {
            continue;
        }
        scanner.event(event, range.start, line_of);
    }
    // Nested list items finish before their parents: restore document order.
    scanner.items.sort_by_key(|item| item.offset);
    (scanner.headings, scanner.items, scanner.warnings)
}

impl Scanner {
    fn event(&mut self, event: Event<'_>, offset: usize, line_of: &dyn Fn(usize) -> usize) {
        match event {
            Event::Start(tag) => self.start(&tag, offset, line_of),
            Event::End(tag) => self.end(tag, line_of),
            Event::Text(t) | Event::Code(t) => self.push_text(&t),
            Event::SoftBreak | Event::HardBreak => self.push_text(" "),
            Event::TaskListMarker(checked) => {
                if let Some(item) = self.list_items.last_mut() {
                    item.checkbox = Some(checked);
                }
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: &Tag<'_>, offset: usize, line_of: &dyn Fn(usize) -> usize) {
        match tag {
            Tag::Heading { level, .. } => {
                self.heading = Some(Heading {
                    level: *level as u8,
                    text: String::new(),
                    line: line_of(offset),
                    offset,
                });
            }
            Tag::CodeBlock(_) => {
                self.code_depth += 1;
                self.stop_item_text();
            }
            Tag::List(_) => self.stop_item_text(),
            Tag::Item => self.list_items.push(ListItem {
                offset,
                checkbox: None,
                text: String::new(),
                collecting: true,
            }),
            Tag::Table(_) => self.table = Some(Table::default()),
            Tag::TableHead => self.with_table(|t| t.in_head = true),
            Tag::TableRow => self.with_table(|t| t.row_offset = offset),
            Tag::TableCell => self.with_table(|t| t.cell = Some(String::new())),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, line_of: &dyn Fn(usize) -> usize) {
        match tag {
            TagEnd::Heading(_) => {
                if let Some(mut heading) = self.heading.take() {
                    heading.text = collapse_whitespace(&heading.text);
                    self.headings.push(heading);
                }
            }
            TagEnd::CodeBlock => self.code_depth = self.code_depth.saturating_sub(1),
            TagEnd::Item => self.finish_list_item(),
            TagEnd::TableCell => self.with_table(|t| {
                if let Some(cell) = t.cell.take() {
                    t.row.push(collapse_whitespace(&cell));
                }
            }),
            TagEnd::TableHead => self.with_table(|t| {
                t.header = std::mem::take(&mut t.row);
                t.in_head = false;
            }),
            TagEnd::TableRow => self.finish_table_row(line_of),
            TagEnd::Table => self.table = None,
            _ => {}
        }
    }

    fn with_table(&mut self, f: impl FnOnce(&mut Table)) {
        if let Some(table) = self.table.as_mut() {
            f(table);
        }
    }

    fn push_text(&mut self, text: &str) {
        if self.code_depth > 0 {
            return;
        }
        if let Some(cell) = self.table.as_mut().and_then(|t| t.cell.as_mut()) {
            cell.push_str(text);
        } else if let Some(heading) = self.heading.as_mut() {
            heading.text.push_str(text);
        } else if let Some(item) = self.list_items.last_mut().filter(|i| i.collecting) {
            item.text.push_str(text);
        }
    }

    fn stop_item_text(&mut self) {
        if let Some(item) = self.list_items.last_mut() {
            item.collecting = false;
        }
    }

    fn finish_list_item(&mut self) {
        let Some(item) = self.list_items.pop() else {
            return;
        };
        if let Some(checked) = item.checkbox {
            let name = collapse_whitespace(&item.text);
            let owner = OWNER_MENTION.captures(&name).map(|c| c[1].to_string());
            self.items.push(RawItem {
                name,
                status: RawStatus::Checkbox(checked),
                owner,
                offset: item.offset,
            });
        }
    }

    fn finish_table_row(&mut self, line_of: &dyn Fn(usize) -> usize) {
        let Some(table) = self.table.as_mut() else {
            return;
        };
        let row = std::mem::take(&mut table.row);
        let Some(status_col) = column(&table.header, &["status"]) else {
            return;
        };
        if row.iter().all(std::string::String::is_empty) {
            self.warnings.push(format!(
                "line {}: empty table row ignored",
                line_of(table.row_offset)
            ));
            return;
        }
        let owner_col = column(&table.header, &["owner", "owners"]);
        let name_col = usize::from(status_col == 0 && row.len() > 1);
        let cell = |i: usize| row.get(i).cloned().unwrap_or_default();
        self.items.push(RawItem {
            name: cell(name_col),
            status: RawStatus::Cell(cell(status_col)),
            owner: owner_col.map(cell).filter(|o| !is_blank_owner(o)),
            offset: table.row_offset,
        });
    }
}

/// The index of the header column whose name (ignoring case, emoji and
/// punctuation) is one of `names`.
fn column(header: &[String], names: &[&str]) -> Option<usize> {
    header.iter().position(|h| {
        let key: String = h
            .chars()
            .filter(|c| c.is_alphanumeric() || c.is_whitespace())
            .collect::<String>()
            .trim()
            .to_lowercase();
        names.contains(&key.as_str())
    })
}

fn is_blank_owner(owner: &str) -> bool {
    owner
        .chars()
        .all(|c| c.is_whitespace() || matches!(c, '-' | '–' | '—'))
}

fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
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
        assert_eq!(items[0].name, "Security audit (@sec-team)");
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
}
