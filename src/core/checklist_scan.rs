//! One pass over the Markdown: headings, bold-line pseudo-headings, raw
//! items (task-list items, status-mark bullets, status-table rows) and what
//! was passed over, with byte offsets. Placing items in categories is
//! [`crate::core::checklist`]'s job.

use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Event, Tag, TagEnd};
use regex::Regex;

use crate::core::checklist::Heading;
use crate::core::markdown::Source;
use crate::core::markers::comment_open_after;
use crate::core::status::{ItemState, leading_mark, trailing_mark};

static OWNER_MENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[\s(\[,;:])(@[A-Za-z0-9](?:[A-Za-z0-9_-]|/[A-Za-z0-9])*)")
        .expect("owner regex is valid")
});

/// Which item shapes are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shapes {
    /// What the replaced tool read: task-list items and rows of tables
    /// with a column named "Status".
    Classic,
    /// Also bullets that start with a status mark (`- ❌ …`), status
    /// columns named State, Result, Outcome, Go/No-Go, Done, … and the
    /// configured extra names.
    Extended,
}

/// How a table's status column is recognised, in priority order.
pub const STATUS_COLUMNS: &[&str] = &[
    "status",
    "state",
    "result",
    "results",
    "outcome",
    "go/no-go",
    "go-no-go",
    "pass/fail",
    "passed",
    "verdict",
    "done",
    "complete",
    "completed",
    "checked",
    "check",
    "ready",
    "approved",
    "approval",
    "signoff",
    "signedoff",
    "verified",
];

/// Status columns in which a bare `x` (or `y`) means done and `n` not yet.
const TICK_COLUMNS: &[&str] = &[
    "done",
    "complete",
    "completed",
    "checked",
    "check",
    "ready",
    "approved",
    "signedoff",
    "verified",
];

/// Columns that number rows rather than name them.
const NUMBER_COLUMNS: &[&str] = &["", "no", "nr", "id", "number", "ref", "n"];

/// Columns that name who owns a row.
const OWNER_COLUMNS: &[&str] = &[
    "owner",
    "owners",
    "who",
    "assignee",
    "assignees",
    "assignedto",
    "responsible",
    "dri",
];

/// How an item's state is given.
#[derive(Debug, Clone)]
pub enum RawStatus {
    /// A task-list checkbox.
    Checkbox(bool),
    /// A status cell's text (possibly empty).
    Cell(String),
    /// A leading status mark: the mark and the state it means.
    Mark(String, ItemState),
    /// A bare `x` in a Done-like column.
    Tick,
}

/// An item before it is placed in a category.
#[derive(Debug, Clone)]
pub struct RawItem {
    pub name: String,
    pub status: RawStatus,
    pub owner: Option<String>,
    pub offset: usize,
    /// The item's own text tags it optional / nice-to-have / non-blocking.
    pub optional: bool,
    /// The workflow the item names (a Workflow/CI cell, or a link to
    /// `…/actions/workflows/FILE`), as written.
    pub workflow: Option<String>,
    /// Where its written state is: the checkbox (`[ ]`) or the status
    /// cell's text without its surrounding spaces.
    pub status_span: Option<Range<usize>>,
}

/// Something that looks like part of a checklist but is not counted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Passed {
    /// 1-based line.
    pub line: usize,
    /// What it is ("table", "bullet").
    pub what: String,
    /// Why it is not counted.
    pub why: String,
}

/// Everything one pass found.
#[derive(Debug, Default)]
pub struct Scan {
    pub headings: Vec<Heading>,
    /// Paragraphs that are only bold text (`**Before release**:`), as
    /// headings one level below any real one (level 7).
    pub pseudo_headings: Vec<Heading>,
    pub items: Vec<RawItem>,
    pub warnings: Vec<String>,
    pub passed_over: Vec<Passed>,
    /// List items with neither a checkbox nor a status mark.
    pub plain_bullets: usize,
    /// The front matter's `title:` (or `name:`), if any.
    pub title: Option<String>,
}

static SUMMARY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)<summary\b[^>]*>(.*?)</summary\s*>").expect("summary regex is valid")
});

static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]*>").expect("tag regex is valid"));

static OPTIONAL_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\W*(?:nice[- ]to[- ]have|optional|non[- ]?blocking|not a blocker)\b|\((?:optional|nice[- ]to[- ]have|non[- ]?blocking)\)",
    )
    .expect("optional tag regex is valid")
});

/// Scan `text`, skipping the `excluded` byte ranges (managed blocks).
pub fn scan(
    text: &str,
    excluded: &[Range<usize>],
    shapes: Shapes,
    status_columns: &[String],
    line_of: &dyn Fn(usize) -> usize,
) -> Scan {
    let mut scanner = Scanner {
        text,
        html_block: None,
        classic_marks: 0,
        mark_paragraphs: Vec::new(),
        shapes,
        status_columns,
        out: Scan::default(),
        heading: None,
        list_items: Vec::new(),
        table: None,
        code_depth: 0,
        paragraph: None,
    };
    let source = Source::new(text);
    scanner.out.title = source
        .front_matter()
        .and_then(|fm| front_matter_title(fm.yaml));
    for (event, range) in source.events() {
        if excluded.iter().any(|r| r.contains(&range.start)) {
            continue;
        }
        scanner.event(event, range, line_of);
    }
    scanner.flush_mark_paragraphs();
    let mut out = scanner.out;
    if scanner.classic_marks > 0 {
        out.passed_over.push(Passed {
            line: 0,
            what: format!("{} bullet(s) with a status mark", scanner.classic_marks),
            why: "the seed's four-category mode reads only task lists and tables with a Status column, as the replaced tool did; [[categories]] in a config reads every shape".into(),
        });
    }
    // Nested list items finish before their parents: restore document order.
    out.items.sort_by_key(|item| item.offset);
    out
}

/// Where the scanner is in an HTML block.
struct HtmlBlock {
    first: bool,
    /// The block opens with `<details>` or `<summary>`.
    details: bool,
    in_comment: bool,
}

struct Scanner<'a> {
    text: &'a str,
    html_block: Option<HtmlBlock>,
    /// Bullets with a status mark, which the seed's mode does not read.
    classic_marks: usize,
    /// One-line paragraphs in a row that start with a status mark.
    mark_paragraphs: Vec<(usize, String)>,
    shapes: Shapes,
    status_columns: &'a [String],
    out: Scan,
    heading: Option<Heading>,
    list_items: Vec<ListItem>,
    table: Option<Table>,
    code_depth: usize,
    paragraph: Option<Paragraph>,
}

struct ListItem {
    offset: usize,
    checkbox: Option<bool>,
    marker: Option<Range<usize>>,
    links: Vec<String>,
    text: String,
    /// False once a nested block (list, code) begins: its text is not ours.
    collecting: bool,
}

/// A top-level paragraph that may be a bold-line pseudo-heading.
struct Paragraph {
    offset: usize,
    strong_depth: usize,
    strong: String,
    only_strong: bool,
    /// Its lines (offset of the first text, text), for lines that each
    /// start with a status mark (`☐ Update the docs`).
    lines: Vec<(usize, String)>,
    new_line: bool,
}

#[derive(Default)]
struct Table {
    offset: usize,
    header: Vec<String>,
    row: Vec<String>,
    /// Each cell's byte range and the links in it, for the current row.
    cells: Vec<(Range<usize>, Vec<String>)>,
    row_offset: usize,
    cell: Option<String>,
    rows: usize,
    /// Rows of a table with no named status column but a column headed by
    /// nothing (or only a symbol), kept until the table ends to see
    /// whether that column holds only checkboxes and status marks.
    unnamed: Vec<Row>,
}

/// One table row as read: its cells' texts, their spans and links, and
/// its offset.
#[derive(Default)]
struct Row {
    texts: Vec<String>,
    cells: Vec<(Range<usize>, Vec<String>)>,
    offset: usize,
}

impl Scanner<'_> {
    fn event(&mut self, event: Event<'_>, range: Range<usize>, line_of: &dyn Fn(usize) -> usize) {
        let offset = range.start;
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => self.link(&dest_url),
            Event::Start(Tag::TableCell) => self.with_table(|t| {
                t.cell = Some(String::new());
                t.cells.push((range, Vec::new()));
            }),
            Event::Start(tag) => self.start(&tag, offset, line_of),
            Event::End(tag) => self.end(tag, line_of),
            Event::Text(t) => {
                self.paragraph_line(&t, offset);
                self.push_text(&t, false);
            }
            Event::Code(t) => {
                self.paragraph_line(&t, offset);
                self.push_text(&t, true);
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(p) = self.paragraph.as_mut() {
                    p.new_line = true;
                }
                self.push_text(" ", false);
            }
            Event::TaskListMarker(checked) => {
                if let Some(item) = self.list_items.last_mut() {
                    item.checkbox = Some(checked);
                    item.marker = Some(range);
                }
            }
            Event::Html(html) if self.paragraph.is_none() => {
                self.html_line(&html, offset, line_of);
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                if let Some(p) = self.paragraph.as_mut() {
                    p.only_strong = false;
                }
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: &Tag<'_>, offset: usize, line_of: &dyn Fn(usize) -> usize) {
        // Any other block ends a run of one-line mark paragraphs.
        if !matches!(
            tag,
            Tag::Paragraph
                | Tag::Strong
                | Tag::Emphasis
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Image { .. }
        ) {
            self.flush_mark_paragraphs();
        }
        match tag {
            Tag::Heading { level, .. } => {
                self.heading = Some(Heading {
                    level: *level as u8,
                    text: String::new(),
                    line: line_of(offset),
                    offset,
                });
            }
            Tag::Paragraph
                if self.list_items.is_empty() && self.table.is_none() && self.code_depth == 0 =>
            {
                self.paragraph = Some(Paragraph {
                    offset,
                    strong_depth: 0,
                    strong: String::new(),
                    only_strong: true,
                    lines: Vec::new(),
                    new_line: true,
                });
            }
            Tag::Strong => {
                if let Some(p) = self.paragraph.as_mut() {
                    p.strong_depth += 1;
                }
            }
            Tag::Image { .. } => {
                if let Some(p) = self.paragraph.as_mut() {
                    p.only_strong = false;
                }
            }
            Tag::HtmlBlock => {
                self.html_block = Some(HtmlBlock {
                    first: true,
                    details: false,
                    in_comment: false,
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
                marker: None,
                links: Vec::new(),
                text: String::new(),
                collecting: true,
            }),
            Tag::Table(_) => {
                self.table = Some(Table {
                    offset,
                    ..Table::default()
                });
            }
            Tag::TableRow => self.with_table(|t| {
                t.row_offset = offset;
                t.cells.clear();
            }),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, line_of: &dyn Fn(usize) -> usize) {
        match tag {
            TagEnd::Heading(_) => {
                if let Some(mut heading) = self.heading.take() {
                    heading.text = collapse_whitespace(&heading.text);
                    self.out.headings.push(heading);
                }
            }
            TagEnd::Paragraph => {
                // An item's second paragraph is a new sentence, not glued on.
                if let Some(item) = self.list_items.last_mut()
                    && item.collecting
                {
                    item.text.push(' ');
                }
                if let Some(p) = self.paragraph.take() {
                    self.mark_lines(&p.lines);
                    let text = collapse_whitespace(&p.strong);
                    let text = text.trim_end_matches([':', '：']).trim_end().to_string();
                    if p.only_strong && !text.is_empty() && text.chars().count() <= 100 {
                        self.out.pseudo_headings.push(Heading {
                            level: 7,
                            text,
                            line: line_of(p.offset),
                            offset: p.offset,
                        });
                    }
                }
            }
            TagEnd::Strong => {
                if let Some(p) = self.paragraph.as_mut() {
                    p.strong_depth = p.strong_depth.saturating_sub(1);
                }
            }
            TagEnd::CodeBlock => self.code_depth = self.code_depth.saturating_sub(1),
            TagEnd::HtmlBlock => self.html_block = None,
            TagEnd::Item => self.finish_list_item(),
            TagEnd::TableCell => self.with_table(|t| {
                if let Some(cell) = t.cell.take() {
                    t.row.push(collapse_whitespace(&cell));
                }
            }),
            TagEnd::TableHead => self.with_table(|t| {
                t.header = std::mem::take(&mut t.row);
            }),
            TagEnd::TableRow => self.finish_table_row(line_of),
            TagEnd::Table => self.finish_table(line_of),
            _ => {}
        }
    }

    fn with_table(&mut self, f: impl FnOnce(&mut Table)) {
        if let Some(table) = self.table.as_mut() {
            f(table);
        }
    }

    /// One line of an HTML block. In a block that opens with `<details>`
    /// (or `<summary>`), a `<summary>` outside any comment titles what
    /// follows, as a bold line does (a pseudo-heading).
    fn html_line(&mut self, html: &str, offset: usize, line_of: &dyn Fn(usize) -> usize) {
        let Some(block) = self.html_block.as_mut() else {
            return;
        };
        if block.first {
            block.first = false;
            let opening = html.trim_start().to_ascii_lowercase();
            block.details = opening.starts_with("<details") || opening.starts_with("<summary");
        }
        let live = block.details && !block.in_comment && !html.contains("<!--");
        block.in_comment = comment_open_after(html, block.in_comment);
        if !live || self.code_depth > 0 || !self.list_items.is_empty() || self.table.is_some() {
            return;
        }
        let Some(caps) = SUMMARY.captures(html) else {
            return;
        };
        let inner = TAG.replace_all(&caps[1], " ");
        let text = collapse_whitespace(&inner.replace(['*', '`'], ""));
        let text = text.trim_end_matches([':', '：']).trim_end().to_string();
        if !text.is_empty() && text.chars().count() <= 100 {
            self.out.pseudo_headings.push(Heading {
                level: 7,
                text,
                line: line_of(offset),
                offset,
            });
        }
    }

    /// Collect a paragraph's text line by line.
    fn paragraph_line(&mut self, text: &str, offset: usize) {
        if self.code_depth > 0 {
            return;
        }
        if let Some(p) = self.paragraph.as_mut() {
            if p.new_line {
                p.lines.push((offset, String::new()));
                p.new_line = false;
            }
            if let Some((_, line)) = p.lines.last_mut() {
                line.push_str(text);
            }
        }
    }

    /// A paragraph of two or more lines that each start (or end) with a
    /// status mark (`☐ Update the docs` / `☑ Tag the release`) is a list
    /// of items; so are two or more one-line paragraphs in a row that each
    /// start with one (`✅ Build`, a blank line, `❌ Deploy`).
    fn mark_lines(&mut self, lines: &[(usize, String)]) {
        if self.shapes != Shapes::Extended {
            return;
        }
        if let [(offset, line)] = lines
            && leading_mark(line).is_some()
        {
            self.mark_paragraphs.push((*offset, line.clone()));
            return;
        }
        self.flush_mark_paragraphs();
        if lines.len() < 2 {
            return;
        }
        let marked: Vec<(usize, &str, ItemState, &str)> = lines
            .iter()
            .filter_map(|(offset, line)| {
                let (mark, state, rest) = leading_mark(line).or_else(|| trailing_mark(line))?;
                Some((*offset, mark, state, rest))
            })
            .collect();
        if marked.len() == lines.len() {
            self.mark_items(marked);
        }
    }

    /// One-line mark paragraphs seen in a row: items when two or more.
    fn flush_mark_paragraphs(&mut self) {
        let lines = std::mem::take(&mut self.mark_paragraphs);
        if lines.len() < 2 {
            return;
        }
        let marked: Vec<(usize, &str, ItemState, &str)> = lines
            .iter()
            .filter_map(|(offset, line)| {
                let (mark, state, rest) = leading_mark(line)?;
                Some((*offset, mark, state, rest))
            })
            .collect();
        self.mark_items(marked);
    }

    fn mark_items(&mut self, marked: Vec<(usize, &str, ItemState, &str)>) {
        for (offset, mark, state, rest) in marked {
            let name = collapse_whitespace(rest);
            let owner = OWNER_MENTION.captures(&name).map(|c| c[1].to_string());
            let optional = OPTIONAL_TAG.is_match(&name);
            self.out.items.push(RawItem {
                name,
                status: RawStatus::Mark(mark.to_string(), state),
                owner,
                offset,
                optional,
                workflow: None,
                status_span: None,
            });
        }
    }

    fn push_text(&mut self, text: &str, code: bool) {
        if self.code_depth > 0 {
            return;
        }
        if let Some(p) = self.paragraph.as_mut() {
            if p.strong_depth > 0 {
                p.strong.push_str(text);
            } else if code || !text.trim().trim_matches([':', '：']).is_empty() {
                p.only_strong = false;
            }
        }
        if let Some(cell) = self.table.as_mut().and_then(|t| t.cell.as_mut()) {
            cell.push_str(text);
        } else if let Some(heading) = self.heading.as_mut() {
            heading.text.push_str(text);
        } else if let Some(item) = self.list_items.last_mut().filter(|i| i.collecting) {
            item.text.push_str(text);
        }
    }

    /// A link's destination belongs to the table cell or list item it is in.
    fn link(&mut self, url: &str) {
        if let Some(table) = self.table.as_mut() {
            if let Some((_, links)) = table.cells.last_mut() {
                links.push(url.to_string());
            }
        } else if let Some(item) = self.list_items.last_mut().filter(|i| i.collecting) {
            item.links.push(url.to_string());
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
        let text = collapse_whitespace(&item.text);
        let workflow = item.links.iter().find(|l| is_workflow_link(l)).cloned();
        let status_span = item.marker.clone();
        let (name, status) = if let Some(checked) = item.checkbox {
            (text, RawStatus::Checkbox(checked))
        } else if self.shapes == Shapes::Extended
            && let Some((mark, state, rest)) = leading_mark(&text)
        {
            (rest.to_string(), RawStatus::Mark(mark.to_string(), state))
        } else if self.shapes == Shapes::Extended
            && let Some((mark, state, label)) = trailing_mark(&text)
        {
            (label.to_string(), RawStatus::Mark(mark.to_string(), state))
        } else {
            if self.shapes == Shapes::Classic
                && (leading_mark(&text).is_some() || trailing_mark(&text).is_some())
            {
                self.classic_marks += 1;
            } else if !text.is_empty() {
                self.out.plain_bullets += 1;
            }
            return;
        };
        let owner = OWNER_MENTION.captures(&name).map(|c| c[1].to_string());
        let optional = self.shapes == Shapes::Extended && OPTIONAL_TAG.is_match(&name);
        self.out.items.push(RawItem {
            name,
            status,
            owner,
            offset: item.offset,
            optional,
            workflow,
            status_span: status_span.filter(|_| item.checkbox.is_some()),
        });
    }

    /// The status column of `header`, by the shapes' rules.
    fn status_column(&self, header: &[String]) -> Option<usize> {
        match self.shapes {
            Shapes::Classic => header.iter().position(|h| classic_key(h) == "status"),
            Shapes::Extended => {
                let keys: Vec<String> = header.iter().map(|h| column_key(h)).collect();
                let wanted = self
                    .status_columns
                    .iter()
                    .map(|c| column_key(c))
                    .chain(STATUS_COLUMNS.iter().map(|c| column_key(c)));
                for want in wanted {
                    if let Some(i) = keys.iter().position(|k| *k == want) {
                        return Some(i);
                    }
                }
                // A column headed only by a check mark (`✅`, `✓`).
                header.iter().position(|h| {
                    matches!(leading_mark(h.trim()), Some((_, ItemState::Pass, rest)) if rest.is_empty())
                })
            }
        }
    }

    fn finish_table_row(&mut self, line_of: &dyn Fn(usize) -> usize) {
        let Some(table) = self.table.as_mut() else {
            return;
        };
        if table.header.is_empty() {
            return;
        }
        let header = table.header.clone();
        let row = Row {
            texts: std::mem::take(&mut table.row),
            cells: std::mem::take(&mut table.cells),
            offset: table.row_offset,
        };
        if let Some(status_col) = self.status_column(&header) {
            self.table_item(&header, status_col, row, line_of);
        } else if self.shapes == Shapes::Extended && header.iter().any(|h| unnamed_column(h)) {
            self.with_table(|t| t.unnamed.push(row));
        }
    }

    /// One table row as an item, its state in `status_col`.
    fn table_item(
        &mut self,
        header: &[String],
        status_col: usize,
        row: Row,
        line_of: &dyn Fn(usize) -> usize,
    ) {
        let Row {
            texts: row,
            cells,
            offset: row_offset,
        } = row;
        if row.iter().all(String::is_empty) {
            self.out.warnings.push(format!(
                "line {}: empty table row ignored",
                line_of(row_offset)
            ));
            return;
        }
        self.with_table(|t| t.rows += 1);
        let owner_col = match self.shapes {
            Shapes::Classic => header
                .iter()
                .position(|h| matches!(classic_key(h).as_str(), "owner" | "owners")),
            Shapes::Extended => header
                .iter()
                .position(|h| OWNER_COLUMNS.contains(&column_key(h).as_str())),
        };
        let cell = |i: usize| row.get(i).cloned().unwrap_or_default();
        let name_col = match self.shapes {
            Shapes::Classic => usize::from(status_col == 0 && row.len() > 1),
            Shapes::Extended => name_column(header, &row, status_col, owner_col),
        };
        let status_text = cell(status_col);
        let tick_column = TICK_COLUMNS.contains(&column_key(&header[status_col]).as_str());
        let tick = status_text.trim();
        let status = if self.shapes == Shapes::Extended && tick_column {
            match tick {
                "x" | "X" => RawStatus::Tick,
                "y" | "Y" => RawStatus::Mark(tick.to_string(), ItemState::Pass),
                "n" | "N" => RawStatus::Mark(tick.to_string(), ItemState::Pending),
                _ => RawStatus::Cell(status_text),
            }
        } else {
            RawStatus::Cell(status_text)
        };
        let name = cell(name_col);
        // `| **Backend** | | |`: a bold label alone in its row groups the
        // rows below it; it is not an item.
        let bold = |i: usize| {
            cells.get(i).is_some_and(|(range, _)| {
                let source = self.text[range.clone()].trim().trim_matches('|').trim();
                source.len() > 4
                    && ((source.starts_with("**") && source.ends_with("**"))
                        || (source.starts_with("__") && source.ends_with("__")))
            })
        };
        let alone = row
            .iter()
            .enumerate()
            .all(|(i, text)| i == name_col || text.trim().is_empty());
        if self.shapes == Shapes::Extended && alone && bold(name_col) {
            self.with_table(|t| t.rows -= 1);
            self.out.passed_over.push(Passed {
                line: line_of(row_offset),
                what: format!("table row \"{name}\""),
                why: "a bold label alone in its row groups the rows below it".into(),
            });
            return;
        }
        let optional = self.shapes == Shapes::Extended && OPTIONAL_TAG.is_match(&name);
        let workflow = row_workflow(header, &row, &cells);
        self.out.items.push(RawItem {
            name,
            status,
            owner: owner_col.map(cell).filter(|o| !is_blank_owner(o)),
            offset: row_offset,
            optional,
            workflow,
            status_span: cells
                .get(status_col)
                .map(|(range, _)| inner_span(range.clone(), self.text)),
        });
    }

    fn finish_table(&mut self, line_of: &dyn Fn(usize) -> usize) {
        let Some(mut table) = self.table.take() else {
            return;
        };
        // A column headed by nothing that holds only checkboxes and status
        // marks (`| [x] | Build |`, `|  | Docs |` over `| ✅ |`) is the
        // status column, when it is the only such column.
        let rows = std::mem::take(&mut table.unnamed);
        let marks: Vec<usize> = (0..table.header.len())
            .filter(|&i| unnamed_column(&table.header[i]))
            .filter(|&i| {
                let cells = || rows.iter().map(|r| r.texts.get(i).map_or("", |t| t.trim()));
                cells().all(|c| c.is_empty() || is_mark_cell(c)) && cells().any(is_mark_cell)
            })
            .collect();
        if let [status_col] = marks[..] {
            let header = table.header.clone();
            self.table = Some(table);
            for row in rows {
                self.table_item(&header, status_col, row, line_of);
            }
            table = self.table.take().unwrap_or_default();
        }
        if table.rows == 0
            && self.status_column(&table.header).is_none()
            && !table.header.is_empty()
        {
            self.out.passed_over.push(Passed {
                line: line_of(table.offset),
                what: format!("table | {} |", table.header.join(" | ")),
                why: match self.shapes {
                    Shapes::Extended => "no status column (Status, State, Result, Outcome, Go/No-Go, Done, …; add a name with `status_columns` in the config)",
                    Shapes::Classic => "no column named Status (the seed's four-category mode reads only that, as the replaced tool did; [[categories]] in a config reads other status columns)",
                }
                .into(),
            });
        }
    }
}

/// A column header with no letters or digits (empty, `#`, `✓`).
fn unnamed_column(header: &str) -> bool {
    !header.chars().any(char::is_alphanumeric)
}

/// A cell that is only a checkbox or a status mark.
fn is_mark_cell(cell: &str) -> bool {
    matches!(cell, "[ ]" | "[x]" | "[X]")
        || leading_mark(cell).is_some_and(|(_, _, rest)| rest.is_empty())
}

/// Header names of a column that names the row's workflow.
const WORKFLOW_COLUMNS: &[&str] = &[
    "workflow",
    "workflows",
    "ci",
    "ciworkflow",
    "workflowfile",
    "pipeline",
];

fn is_workflow_link(url: &str) -> bool {
    url.contains("/actions/workflows/")
}

/// The workflow a table row names: a link to a workflow in a Workflow/CI
/// column (else anywhere in the row), else that column's text.
fn row_workflow(
    header: &[String],
    row: &[String],
    cells: &[(Range<usize>, Vec<String>)],
) -> Option<String> {
    let column = header
        .iter()
        .position(|h| WORKFLOW_COLUMNS.contains(&column_key(h).as_str()));
    let link_in = |i: usize| {
        cells
            .get(i)
            .and_then(|(_, links)| links.iter().find(|l| is_workflow_link(l)).cloned())
    };
    if let Some(i) = column {
        if let Some(link) = link_in(i) {
            return Some(link);
        }
        let text = row.get(i).map(|t| t.trim()).unwrap_or_default();
        let blank = text.is_empty()
            || text.chars().all(|c| matches!(c, '-' | '–' | '—'))
            || text.eq_ignore_ascii_case("n/a");
        return (!blank).then(|| text.to_string());
    }
    (0..cells.len()).find_map(link_in)
}

/// A cell's text without the spaces around it; an empty cell's span is
/// empty, after its first space.
fn inner_span(range: Range<usize>, text: &str) -> Range<usize> {
    let cell = &text[range.clone()];
    let lead = cell.len() - cell.trim_start().len();
    let trail = cell.len() - cell.trim_end().len();
    if lead == cell.len() {
        let at = range.start + usize::from(!cell.is_empty());
        at..at
    } else {
        range.start + lead..range.end - trail
    }
}

/// The column that names a row: the first one that is not the status or
/// owner column nor a row number (by its header, or a number in this row),
/// with text in this row.
fn name_column(
    header: &[String],
    row: &[String],
    status_col: usize,
    owner_col: Option<usize>,
) -> usize {
    let numeric = |i: usize| {
        row.get(i).is_some_and(|c| {
            let c = c
                .trim()
                .trim_start_matches('#')
                .trim_end_matches(['.', ')']);
            !c.is_empty() && c.chars().all(|ch| ch.is_ascii_digit() || ch == '.')
        })
    };
    let candidates: Vec<usize> = (0..header.len().max(row.len()))
        .filter(|&i| i != status_col && Some(i) != owner_col && !numeric(i))
        .filter(|&i| {
            let key = header.get(i).map(|h| column_key(h)).unwrap_or_default();
            !NUMBER_COLUMNS.contains(&key.as_str())
        })
        .collect();
    candidates
        .iter()
        .copied()
        .find(|&i| row.get(i).is_some_and(|c| !c.trim().is_empty()))
        .or_else(|| candidates.first().copied())
        .unwrap_or(usize::from(status_col == 0 && row.len() > 1))
}

/// A header as the replaced tool compared it: letters, digits and spaces,
/// lowercase.
fn classic_key(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect::<String>()
        .trim()
        .to_lowercase()
}

/// A header without its parenthesised note (`Status (✅/⚠️/❌)`), letters
/// and digits only, lowercase: `Go/No-Go` → `gonogo`.
pub fn column_key(header: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::new();
    for c in header.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 && c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out
}

fn front_matter_title(yaml: &str) -> Option<String> {
    ["title", "name"].iter().find_map(|key| {
        yaml.lines().find_map(|line| {
            let rest = line.strip_prefix(key)?.trim_start().strip_prefix(':')?;
            let value = rest.trim().trim_matches(['"', '\'']).trim();
            (!value.is_empty()).then(|| value.to_string())
        })
    })
}

fn is_blank_owner(owner: &str) -> bool {
    owner
        .chars()
        .all(|c| c.is_whitespace() || matches!(c, '-' | '–' | '—'))
}

/// Runs of whitespace as one space, trimmed.
pub fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn scan_extended(text: &str) -> Scan {
        scan(text, &[], Shapes::Extended, &[], &|o| {
            text[..o].matches('\n').count() + 1
        })
    }

    #[test]
    fn column_keys_drop_notes_and_punctuation() {
        assert_eq!(column_key("Status (✅/⚠️/❌)"), "status");
        assert_eq!(column_key("Go/No-Go"), "gonogo");
        assert_eq!(column_key("**Result**"), "result");
        assert_eq!(column_key("#"), "");
    }

    #[test]
    fn bold_lines_are_pseudo_headings() {
        let s = scan_extended(
            "**Before release**:\n\n- [ ] a\n\n**After release:**\n\n- [x] b\n\nSome **bold** text.\n",
        );
        let texts: Vec<_> = s.pseudo_headings.iter().map(|h| h.text.as_str()).collect();
        assert_eq!(texts, ["Before release", "After release"]);
        assert_eq!(s.pseudo_headings[1].line, 5);
    }

    #[test]
    fn a_details_summary_titles_its_items() {
        let s = scan_extended(
            "# R\n\n<details>\n<summary><b>Before release</b>:</summary>\n\n- [ ] a\n\n</details>\n\n<details><summary></summary>\n\n- [ ] b\n</details>\n",
        );
        let texts: Vec<_> = s.pseudo_headings.iter().map(|h| h.text.as_str()).collect();
        assert_eq!(texts, ["Before release"]);
        assert_eq!(s.pseudo_headings[0].line, 4);
        assert_eq!(s.items.len(), 2);
        // Not in a comment, nor in another kind of block.
        let s = scan_extended(
            "<!--\n<summary>Deployment</summary>\n-->\n\n<div>\n<summary>Div</summary>\n</div>\n\n<details>\n<!-- <summary>Old</summary> -->\n<summary>Live</summary>\n\n- [x] a\n",
        );
        let texts: Vec<_> = s.pseudo_headings.iter().map(|h| h.text.as_str()).collect();
        assert_eq!(texts, ["Live"]);
    }

    #[test]
    fn front_matter_is_not_a_heading_and_gives_a_title() {
        let s = scan_extended(
            "---\nname: Release checklist\nabout: x\ntitle: \"[RELEASE] v\"\n---\n\n- [ ] a\n",
        );
        assert!(s.headings.is_empty());
        assert_eq!(s.title.as_deref(), Some("[RELEASE] v"));
        assert_eq!(s.items.len(), 1);
    }

    #[test]
    fn mark_bullets_and_plain_bullets() {
        let s = scan_extended(
            "- ❌ BLOCKER — supply capped\n- ✅ BLOCKER — threat model\n- 🟡 NICE-TO-HAVE — docs\n- Version: 1.2\n- ⚠️ a warning note\n",
        );
        let got: Vec<_> = s
            .items
            .iter()
            .map(|i| (i.name.as_str(), i.optional))
            .collect();
        assert_eq!(
            got,
            [
                ("BLOCKER — supply capped", false),
                ("BLOCKER — threat model", false),
                ("NICE-TO-HAVE — docs", true)
            ]
        );
        assert_eq!(s.plain_bullets, 2);
    }

    #[test]
    fn bullets_that_end_with_a_mark_or_mark_their_label_are_items() {
        let s = scan_extended(
            "- Security review ✅\n- Release notes: ✅ done\n- Docker image: ❌\n- Version: 5.0\n- Use ✅ for done\n- Smoke test :white_check_mark:\n",
        );
        let got: Vec<_> = s.items.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(
            got,
            [
                "Security review",
                "Release notes",
                "Docker image",
                "Smoke test"
            ]
        );
        assert_eq!(s.plain_bullets, 2);
    }

    #[test]
    fn one_line_mark_paragraphs_in_a_row_are_items() {
        let s = scan_extended(
            "✅ Build\n\n✅ Tests\n\n❌ Deploy\n\n## Next\n\n✅ All good, one line only.\n\nBuild: ✅\nTests: ❌\n",
        );
        let got: Vec<_> = s.items.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(got, ["Build", "Tests", "Deploy", "Build", "Tests"]);
    }

    #[test]
    fn lines_that_each_start_with_a_mark_are_items() {
        let s = scan_extended(
            "☐ Update the docs\n☑ Tag the release @ana\n✗ Sign installers\n\n✅ All good, one line only.\n\n✅ first\nnot a mark\n",
        );
        let got: Vec<_> = s
            .items
            .iter()
            .map(|i| (i.name.as_str(), i.owner.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("Update the docs", None),
                ("Tag the release @ana", Some("@ana")),
                ("Sign installers", None)
            ]
        );
    }

    #[test]
    fn an_unheaded_column_of_marks_is_the_status_column() {
        let s = scan_extended(
            "| | Task |\n|---|---|\n| [x] | Build |\n| ❌ | Docs |\n|  | Notes |\n\n| # | Task |\n|---|---|\n| 1 | Build |\n\n| | A | B |\n|---|---|---|\n| x | ✅ | ❌ |\n",
        );
        let got: Vec<_> = s.items.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(got, ["Build", "Docs", "Notes"]);
        assert_eq!(s.passed_over.len(), 2, "{:?}", s.passed_over);
    }

    #[test]
    fn status_columns_by_other_names_and_name_column() {
        let s = scan_extended(
            "| # | Check | Go/No-Go |\n|---|---|---|\n| 1 | Build | GO |\n| 2 | Docs | |\n\n| Version | Date |\n|---|---|\n| 1 | x |\n",
        );
        assert_eq!(s.items.len(), 2);
        assert_eq!(s.items[0].name, "Build");
        assert_eq!(s.passed_over.len(), 1);
        assert!(s.passed_over[0].what.contains("Version"));
    }
}
