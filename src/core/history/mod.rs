//! The score history file (default `.cache/readiness.json`): a JSON array of
//! entry objects, appended to at the byte level so existing entries (written
//! by us or by the older Python tool) are never rewritten, reordered,
//! reformatted or dropped. This module is the one home of the history:
//! the entry ([`NewEntry`]), the file format ([`History`]), the trend
//! ([`trend`]) and the CSV ([`csv`]).

pub mod csv;
mod entry;
pub mod trend;

pub use entry::{CHART_POINTS, NewEntry, charted, now_rfc3339, previous_score};

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

/// The UTF-8 byte order mark, tolerated at the start of the file and kept.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Indentation of one nesting level, matching Python's `json.dump(indent=2)`.
const INDENT: &str = "  ";

/// Key excluded when deciding whether a new entry repeats the last one.
const TIMESTAMP_KEY: &str = "timestamp";

/// A history file that cannot be used. Every message names the file; the
/// content errors also say how to recover.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// The file exists but could not be read.
    #[error("cannot read history file {}: {source}", path.display())]
    Read {
        /// The history file.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The path is not a regular file, or is too large (the message says
    /// which and how to fix it).
    #[error("history file {}: {message}", path.display())]
    Unusable {
        /// The history file.
        path: PathBuf,
        /// What is wrong and the fix.
        message: String,
    },
    /// The file is not valid UTF-8.
    #[error(
        "history file {} is not valid UTF-8 (invalid byte at line {line}, byte offset {offset}); {}",
        path.display(),
        path_hint(path)
    )]
    NotUtf8 {
        /// The history file.
        path: PathBuf,
        /// 1-based line of the first invalid byte.
        line: usize,
        /// 0-based byte offset of the first invalid byte in the file.
        offset: usize,
    },
    /// The file is not valid JSON.
    #[error(
        "history file {} is not valid JSON ({source}{}); {}",
        path.display(),
        if source.is_eof() { ", the file looks truncated" } else { "" },
        path_hint(path)
    )]
    InvalidJson {
        /// The history file.
        path: PathBuf,
        /// 1-based line reported by `serde_json`.
        line: usize,
        /// 1-based column reported by `serde_json`.
        column: usize,
        /// The parser error.
        source: serde_json::Error,
    },
    /// The top level is valid JSON but not an array.
    #[error(
        "history file {} must contain a JSON array of entries, but its top level is {found}; {}",
        path.display(),
        path_hint(path)
    )]
    NotArray {
        /// The history file.
        path: PathBuf,
        /// What was found instead, e.g. `null` or `an object`.
        found: &'static str,
    },
    /// An array element is not an object.
    #[error(
        "history file {}: element {index} of the array is {found}, but every entry must be an object; {}",
        path.display(),
        path_hint(path)
    )]
    NotObject {
        /// The history file.
        path: PathBuf,
        /// 0-based index of the offending element.
        index: usize,
        /// What was found instead, e.g. `a number`.
        found: &'static str,
    },
}

/// The recovery advice for a broken history file at `path`.
#[must_use]
pub fn path_hint(path: &Path) -> String {
    let quoted = shell_quote(&path.display().to_string());
    let aside = shell_quote(&format!("{}.broken", path.display()));
    format!(
        "restore it from git (`git checkout -- {quoted}`) or move it aside \
         (`mv {quoted} {aside}`) to start a new history"
    )
}

/// Quote `text` for a POSIX shell if it contains anything unusual.
fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./+:@,=%".contains(c));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// Where and how a new entry is spliced into a non-blank file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Layout {
    /// Byte offset (in the text after the BOM) just past the last element,
    /// or just past `[` for an empty array.
    insert_at: usize,
    /// Whether the whitespace between `insert_at` and the final `]` already
    /// contains a line break.
    break_before_close: bool,
}

/// A parsed history file: the original text plus the entries as JSON
/// objects (unknown keys kept, key order preserved).
#[derive(Debug, Clone)]
pub struct History {
    /// Whether the file starts with a UTF-8 BOM.
    bom: bool,
    /// The file's text after the BOM, byte for byte.
    text: String,
    /// The line ending used by the file (`"\n"` or `"\r\n"`).
    newline: &'static str,
    /// `None` for a missing, empty or whitespace-only file.
    layout: Option<Layout>,
    /// The parsed entries.
    entries: Vec<Map<String, Value>>,
    /// The file's length in bytes (BOM included).
    len: u64,
    /// Whether `text` holds the file: false for [`History::read_streamed`],
    /// which never holds it whole.
    held: bool,
}

/// A new entry spliced into the history file's bytes (BOM included): the
/// first `head` bytes, then `insert`, then the bytes in `tail`. Only the
/// new bytes are held, so a file of any size is appended to by copying.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Append {
    pub head: u64,
    pub insert: Vec<u8>,
    /// What follows `insert`: `head..len` (nothing dropped), or `len..len`
    /// when a blank file is replaced.
    pub tail: std::ops::Range<u64>,
}

impl Append {
    /// The new file from the old one's bytes.
    #[must_use]
    pub fn apply(&self, source: &[u8]) -> Vec<u8> {
        let at = |n: u64| usize::try_from(n).unwrap_or(usize::MAX).min(source.len());
        let mut out = Vec::with_capacity(source.len() + self.insert.len());
        out.extend_from_slice(&source[..at(self.head)]);
        out.extend_from_slice(&self.insert);
        out.extend_from_slice(
            &source[at(self.tail.start)..at(self.tail.end).max(at(self.tail.start))],
        );
        out
    }

    /// Whether the splice only inserts (every old byte is kept).
    #[must_use]
    pub fn only_inserts(&self) -> bool {
        self.tail.start == self.head
    }
}

impl Default for History {
    /// An empty history, as for a missing file.
    fn default() -> Self {
        History {
            bom: false,
            text: String::new(),
            newline: "\n",
            layout: None,
            entries: Vec::new(),
            len: 0,
            held: true,
        }
    }
}

impl History {
    /// Parse the bytes of the history file at `path` (used only in error
    /// messages; this function does no I/O).
    ///
    /// A leading UTF-8 BOM is tolerated; an empty or whitespace-only file is
    /// an empty history; anything else must be a JSON array of objects.
    ///
    /// # Errors
    ///
    /// [`HistoryError`] naming `path` when the bytes are not UTF-8, not JSON,
    /// not an array, or contain a non-object element.
    pub fn parse(bytes: &[u8], path: &Path) -> Result<History, HistoryError> {
        History::parse_keeping(bytes, path, usize::MAX)
    }

    /// [`History::parse`] that keeps only the newest `keep` entries in
    /// memory (every element is still checked): what an update needs (the
    /// last entry, the chart's points), with memory that does not grow with
    /// the number of entries. [`History::entries`] then holds that tail.
    ///
    /// # Errors
    ///
    /// As [`History::parse`].
    pub fn parse_tail(bytes: &[u8], path: &Path, keep: usize) -> Result<History, HistoryError> {
        History::parse_keeping(bytes, path, keep.max(1))
    }

    fn parse_keeping(bytes: &[u8], path: &Path, keep: usize) -> Result<History, HistoryError> {
        History::parse_owned(bytes.to_vec(), path, keep)
    }

    /// [`History::parse_tail`] taking the bytes, which the history then
    /// holds as its text without a copy; [`History::into_source`] gives
    /// them back.
    ///
    /// # Errors
    ///
    /// As [`History::parse`].
    pub fn parse_tail_owned(
        bytes: Vec<u8>,
        path: &Path,
        keep: usize,
    ) -> Result<History, HistoryError> {
        History::parse_owned(bytes, path, keep.max(1))
    }

    fn parse_owned(mut bytes: Vec<u8>, path: &Path, keep: usize) -> Result<History, HistoryError> {
        let bom = bytes.starts_with(BOM);
        if bom {
            bytes.drain(..BOM.len());
        }
        let offset = if bom { BOM.len() } else { 0 };
        decode_utf8(&bytes, offset, path)?;
        let text = String::from_utf8(bytes).map_err(|err| HistoryError::NotUtf8 {
            path: path.to_path_buf(),
            line: 1,
            offset: offset + err.utf8_error().valid_up_to(),
        })?;
        let newline = detect_newline(&text);
        let len = (text.len() + offset) as u64;
        let mut history = History {
            bom,
            text,
            newline,
            layout: None,
            entries: Vec::new(),
            len,
            held: true,
        };
        let text = history.text.as_str();
        if text.trim_matches(is_json_whitespace).is_empty() {
            return Ok(history);
        }
        let entries = if keep == usize::MAX {
            parse_entries(text, path)?
        } else {
            match parse_tail_entries(text, keep) {
                Some(entries) => entries,
                // Not an array of objects: the full parse words the error.
                None => parse_entries(text, path)?,
            }
        };
        let layout = find_layout(text).ok_or_else(|| HistoryError::NotArray {
            path: path.to_path_buf(),
            found: "not a plain array",
        })?;
        history.entries = entries;
        history.layout = Some(layout);
        Ok(history)
    }

    /// The file's bytes as read (BOM included), giving up the history;
    /// `None` for a streamed history, which does not hold them.
    #[must_use]
    pub fn into_source(self) -> Option<Vec<u8>> {
        if !self.held {
            return None;
        }
        Some(self.into_held_bytes())
    }

    fn into_held_bytes(self) -> Vec<u8> {
        if !self.bom {
            return self.text.into_bytes();
        }
        let mut bytes = Vec::with_capacity(BOM.len() + self.text.len());
        bytes.extend_from_slice(BOM);
        bytes.extend_from_slice(self.text.as_bytes());
        bytes
    }

    /// The entries, oldest first.
    #[must_use]
    pub fn entries(&self) -> &[Map<String, Value>] {
        &self.entries
    }

    /// The newest entry, if any.
    #[must_use]
    pub fn last(&self) -> Option<&Map<String, Value>> {
        self.entries.last()
    }

    /// Whether the file's bytes are held ([`History::parse`]) rather than
    /// left on disk ([`History::read_streamed`]).
    #[must_use]
    pub fn is_held(&self) -> bool {
        self.held
    }

    /// The bytes of the file with `entry` appended (see [`History::append`]),
    /// for a history parsed from bytes; `None` when nothing is appended, or
    /// for a streamed history (which has no bytes to splice into: use
    /// [`History::append`] and copy the file).
    #[must_use]
    pub fn appended(&self, entry: &NewEntry) -> Option<Vec<u8>> {
        if !self.held {
            return None;
        }
        let append = self.append(entry)?;
        let mut source = Vec::with_capacity(BOM.len() + self.text.len());
        if self.bom {
            source.extend_from_slice(BOM);
        }
        source.extend_from_slice(self.text.as_bytes());
        Some(append.apply(&source))
    }

    /// Where and what to splice to append `entry`, or `None` when `entry`
    /// equals the last entry apart from `timestamp` (compared as JSON values,
    /// numbers as `f64`, the new entry as it will read back from the file).
    ///
    /// Every existing byte is kept (BOM, formatting, unknown keys, whatever
    /// trails the final `]`); the entry is inserted after the last element,
    /// indented like `json.dump(indent=2)`, using the file's line ending. A
    /// missing or blank file becomes `[\n  {entry}\n]\n`.
    #[must_use]
    pub fn append(&self, entry: &NewEntry) -> Option<Append> {
        let new = entry.to_json();
        let nl = self.newline;
        let block = render_entry(&new, nl);
        if self
            .last()
            .is_some_and(|last| same_except_timestamp(last, &as_read_back(&block, new)))
        {
            return None;
        }
        let bom = if self.bom { BOM.len() as u64 } else { 0 };
        let mut insert = String::with_capacity(block.len() + 8);
        match self.layout {
            None => {
                let _ = write!(insert, "[{nl}{block}{nl}]{nl}");
                Some(Append {
                    head: bom,
                    insert: insert.into_bytes(),
                    tail: self.len..self.len,
                })
            }
            Some(layout) => {
                if !self.entries.is_empty() {
                    insert.push(',');
                }
                insert.push_str(nl);
                insert.push_str(&block);
                if !layout.break_before_close {
                    insert.push_str(nl);
                }
                let at = bom + layout.insert_at as u64;
                Some(Append {
                    head: at,
                    insert: insert.into_bytes(),
                    tail: at..self.len,
                })
            }
        }
    }

    /// A history read from `reader` (the file from its first byte, `len`
    /// bytes) one element at a time, keeping the newest `keep` entries and
    /// never the file's text; `end` is the file's last bytes (up to all of
    /// them), where the splice point is found. `Ok(None)` when the stream
    /// is not a non-empty-looking array of objects, or `end` does not
    /// reach back to the last element: parse the bytes instead
    /// ([`History::parse_tail_owned`]), which words any error.
    ///
    /// # Errors
    ///
    /// Only the reader's I/O errors.
    pub fn read_streamed<R: std::io::Read>(
        reader: R,
        len: u64,
        end: &[u8],
        keep: usize,
    ) -> std::io::Result<Option<History>> {
        let mut counted = Counting::new(reader);
        let mut first = [0u8; 3];
        let mut got = 0;
        while got < first.len() {
            match std::io::Read::read(&mut counted, &mut first[got..])? {
                0 => break,
                n => got += n,
            }
        }
        let bom = got == BOM.len() && first == *BOM;
        let replay = if bom { &first[..0] } else { &first[..got] };
        let body = std::io::Read::chain(replay, &mut counted);
        let reader = std::io::BufReader::with_capacity(64 * 1024, body);
        let entries = tail_entries(serde_json::Deserializer::from_reader(reader), keep);
        if let Some(error) = counted.error.take() {
            return Err(error);
        }
        let Some(entries) = entries else {
            return Ok(None);
        };
        let Some((at, break_before_close)) = find_layout_bytes(end) else {
            return Ok(None);
        };
        let bom_len = if bom { BOM.len() as u64 } else { 0 };
        let absolute = len - end.len() as u64 + at as u64;
        let Some(insert_at) = absolute
            .checked_sub(bom_len)
            .and_then(|n| usize::try_from(n).ok())
        else {
            return Ok(None);
        };
        Ok(Some(History {
            bom,
            text: String::new(),
            newline: counted.newline(),
            layout: Some(Layout {
                insert_at,
                break_before_close,
            }),
            entries,
            len,
            held: false,
        }))
    }
}

/// A reader that counts line endings as they pass (for the file's newline
/// style without holding it) and keeps its I/O error apart from JSON's.
struct Counting<R> {
    inner: R,
    lf: usize,
    crlf: usize,
    after_cr: bool,
    error: Option<std::io::Error>,
}

impl<R: std::io::Read> Counting<R> {
    fn new(inner: R) -> Self {
        Counting {
            inner,
            lf: 0,
            crlf: 0,
            after_cr: false,
            error: None,
        }
    }

    /// As [`detect_newline`] decides for the whole text.
    fn newline(&self) -> &'static str {
        if self.crlf > 0 && self.crlf * 2 >= self.lf {
            "\r\n"
        } else {
            "\n"
        }
    }
}

impl<R: std::io::Read> std::io::Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = match self.inner.read(buf) {
            Ok(n) => n,
            Err(e) => {
                let kind = e.kind();
                self.error = Some(e);
                return Err(std::io::Error::from(kind));
            }
        };
        for &b in &buf[..n] {
            if b == b'\n' {
                self.lf += 1;
                if self.after_cr {
                    self.crlf += 1;
                }
            }
            self.after_cr = b == b'\r';
        }
        Ok(n)
    }
}

/// The splice point in the last bytes of an array: the offset just past
/// the last non-whitespace byte before the final `]`, and whether the gap
/// holds a line break; `None` when `end` has no such byte.
fn find_layout_bytes(end: &[u8]) -> Option<(usize, bool)> {
    let ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let close = end.iter().rposition(|b| !ws(b))?;
    if end[close] != b']' {
        return None;
    }
    let at = end[..close].iter().rposition(|b| !ws(b))? + 1;
    Some((at, end[at..close].contains(&b'\n')))
}

/// Decode `body` as UTF-8; `offset_base` is the number of bytes before it.
fn decode_utf8<'a>(
    body: &'a [u8],
    offset_base: usize,
    path: &Path,
) -> Result<&'a str, HistoryError> {
    std::str::from_utf8(body).map_err(|err| {
        let valid = body.get(..err.valid_up_to()).unwrap_or_default();
        HistoryError::NotUtf8 {
            path: path.to_path_buf(),
            line: valid.iter().filter(|&&b| b == b'\n').count() + 1,
            offset: offset_base + err.valid_up_to(),
        }
    })
}

/// Parse `text` as a JSON array of objects.
fn parse_entries(text: &str, path: &Path) -> Result<Vec<Map<String, Value>>, HistoryError> {
    let value: Value = serde_json::from_str(text).map_err(|source| HistoryError::InvalidJson {
        path: path.to_path_buf(),
        line: source.line(),
        column: source.column(),
        source,
    })?;
    let Value::Array(items) = value else {
        return Err(HistoryError::NotArray {
            path: path.to_path_buf(),
            found: describe(&value),
        });
    };
    items
        .into_iter()
        .enumerate()
        .map(|(index, item)| match item {
            Value::Object(map) => Ok(map),
            other => Err(HistoryError::NotObject {
                path: path.to_path_buf(),
                index,
                found: describe(&other),
            }),
        })
        .collect()
}

/// The newest `keep` elements of a JSON array of objects, read one element
/// at a time; `None` when `text` is not an array of objects.
fn parse_tail_entries(text: &str, keep: usize) -> Option<Vec<Map<String, Value>>> {
    tail_entries(serde_json::Deserializer::from_str(text), keep)
}

fn tail_entries<'de, R: serde_json::de::Read<'de>>(
    mut de: serde_json::Deserializer<R>,
    keep: usize,
) -> Option<Vec<Map<String, Value>>> {
    use serde::de::{Deserializer as _, SeqAccess, Visitor};
    struct Tail(usize);
    impl<'de> Visitor<'de> for Tail {
        type Value = Option<std::collections::VecDeque<Map<String, Value>>>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an array of objects")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut tail = std::collections::VecDeque::new();
            while let Some(item) = seq.next_element::<Value>()? {
                let Value::Object(map) = item else {
                    return Ok(None);
                };
                if tail.len() == self.0 {
                    tail.pop_front();
                }
                tail.push_back(map);
            }
            Ok(Some(tail))
        }
    }
    let tail = (&mut de).deserialize_seq(Tail(keep.max(1))).ok()??;
    de.end().ok()?;
    Some(tail.into())
}

/// A short description of a JSON value's kind for error messages.
fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// JSON's insignificant whitespace (exactly what `serde_json` skips).
fn is_json_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// `"\r\n"` if most line breaks in `text` are CRLF, else `"\n"`.
fn detect_newline(text: &str) -> &'static str {
    let crlf = text.matches("\r\n").count();
    let lf = text.matches('\n').count();
    if crlf > 0 && crlf * 2 >= lf {
        "\r\n"
    } else {
        "\n"
    }
}

/// Locate the splice point in the text of a valid JSON array.
fn find_layout(text: &str) -> Option<Layout> {
    let body = text.trim_end_matches(is_json_whitespace);
    let close = body.strip_suffix(']')?.len();
    let insert_at = body
        .get(..close)?
        .trim_end_matches(is_json_whitespace)
        .len();
    let gap = text.get(insert_at..close)?;
    Some(Layout {
        insert_at,
        break_before_close: gap.contains('\n'),
    })
}

/// `entry` as it will read back from its rendering `block`. `serde_json`'s
/// default float parsing may be one ULP off for some values, so comparing the
/// file's last entry with the raw new entry could append duplicates forever.
fn as_read_back(block: &str, entry: Map<String, Value>) -> Map<String, Value> {
    serde_json::from_str(block).unwrap_or(entry)
}

/// Whether two entries are equal once their timestamps are ignored.
fn same_except_timestamp(a: &Map<String, Value>, b: &Map<String, Value>) -> bool {
    let relevant = |map: &Map<String, Value>| map.keys().filter(|k| *k != TIMESTAMP_KEY).count();
    relevant(a) == relevant(b)
        && a.iter()
            .filter(|(key, _)| *key != TIMESTAMP_KEY)
            .all(|(key, value)| b.get(key).is_some_and(|other| json_equal(value, other)))
}

/// JSON equality with numbers compared as `f64` and object key order ignored.
fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(xs), Value::Array(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| json_equal(x, y))
        }
        (Value::Object(xs), Value::Object(ys)) => {
            xs.len() == ys.len()
                && xs
                    .iter()
                    .all(|(key, x)| ys.get(key).is_some_and(|y| json_equal(x, y)))
        }
        _ => a == b,
    }
}

/// `entry` pretty-printed one level deep: `  {⏎    "key": value…⏎  }`.
fn render_entry(entry: &Map<String, Value>, nl: &str) -> String {
    let mut out = String::from(INDENT);
    write_object(&mut out, entry, 1, nl);
    out
}

/// Append `value` as pretty JSON; `level` is the nesting depth of its line.
fn write_value(out: &mut String, value: &Value, level: usize, nl: &str) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(flag) => out.push_str(if *flag { "true" } else { "false" }),
        Value::Number(number) => {
            let _ = write!(out, "{number}");
        }
        Value::String(text) => write_string(out, text),
        Value::Array(items) => write_array(out, items, level, nl),
        Value::Object(map) => write_object(out, map, level, nl),
    }
}

/// Append `items` as a pretty JSON array (`[]` when empty).
fn write_array(out: &mut String, items: &[Value], level: usize, nl: &str) {
    if items.is_empty() {
        out.push_str("[]");
        return;
    }
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        out.push_str(if i == 0 { "" } else { "," });
        push_line_start(out, level + 1, nl);
        write_value(out, item, level + 1, nl);
    }
    push_line_start(out, level, nl);
    out.push(']');
}

/// Append `map` as a pretty JSON object (`{}` when empty).
fn write_object(out: &mut String, map: &Map<String, Value>, level: usize, nl: &str) {
    if map.is_empty() {
        out.push_str("{}");
        return;
    }
    out.push('{');
    for (i, (key, value)) in map.iter().enumerate() {
        out.push_str(if i == 0 { "" } else { "," });
        push_line_start(out, level + 1, nl);
        write_string(out, key);
        out.push_str(": ");
        write_value(out, value, level + 1, nl);
    }
    push_line_start(out, level, nl);
    out.push('}');
}

/// Start a new line indented to `level`.
fn push_line_start(out: &mut String, level: usize, nl: &str) {
    out.push_str(nl);
    for _ in 0..level {
        out.push_str(INDENT);
    }
}

/// Append `text` as a JSON string literal, escaped like `serde_json` does.
fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0C}' => out.push_str("\\f"),
            c if c < ' ' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SEED: &str = r#"[
  {
    "timestamp": "2024-12-15T09:00:00",
    "score": 87.5,
    "status": "minor_blockers",
    "core_score": 87.5,
    "optional_score": 87.5,
    "deployment_score": 75.0,
    "signoff_score": 78.6,
    "blockers_count": 3,
    "ci_adjustment": -2.0
  }
]"#;

    const NEW_BLOCK: &str = r#"  {
    "timestamp": "2026-11-24T09:00:00Z",
    "score": 91.0,
    "status": "ready",
    "core_score": 95.5,
    "optional_score": null,
    "deployment_score": 80.0,
    "signoff_score": 100.0,
    "blockers_count": 0,
    "categories": {
      "Security": 90.0,
      "Docs": null
    },
    "ci_success_rate": 0.95
  }"#;

    fn path() -> &'static Path {
        Path::new(".cache/readiness.json")
    }

    fn entry() -> NewEntry {
        let mut categories = Map::new();
        categories.insert("Security".into(), Value::from(90.0));
        categories.insert("Docs".into(), Value::Null);
        NewEntry {
            timestamp: "2026-11-24T09:00:00Z".into(),
            score: 91.0,
            status: "ready".into(),
            core_score: Some(95.5),
            optional_score: None,
            deployment_score: Some(80.0),
            signoff_score: Some(100.0),
            blockers_count: 0,
            categories,
            ci_success_rate: Some(0.95),
        }
    }

    fn parse(text: &[u8]) -> History {
        History::parse(text, path()).unwrap()
    }

    fn append(text: &[u8]) -> String {
        String::from_utf8(parse(text).appended(&entry()).unwrap()).unwrap()
    }

    fn error(text: &[u8]) -> String {
        History::parse(text, path()).unwrap_err().to_string()
    }

    fn keys(map: &Map<String, Value>) -> Vec<&str> {
        map.keys().map(String::as_str).collect()
    }

    #[test]
    fn seed_file_parses_with_unknown_keys_in_order() {
        let history = parse(SEED.as_bytes());
        assert_eq!(history.entries().len(), 1);
        let last = history.last().unwrap();
        assert_eq!(last["timestamp"], "2024-12-15T09:00:00");
        assert_eq!(last["ci_adjustment"], -2.0);
        assert_eq!(
            keys(last),
            [
                "timestamp",
                "score",
                "status",
                "core_score",
                "optional_score",
                "deployment_score",
                "signoff_score",
                "blockers_count",
                "ci_adjustment"
            ]
        );
    }

    #[test]
    fn seed_file_appends_keeping_existing_bytes() {
        let out = append(SEED.as_bytes());
        let body = SEED.strip_suffix("\n]").unwrap();
        assert_eq!(out, format!("{body},\n{NEW_BLOCK}\n]"));
        assert!(out.starts_with(body));
        let reparsed = parse(out.as_bytes());
        assert_eq!(reparsed.entries()[0], parse(SEED.as_bytes()).entries()[0]);
        assert_eq!(reparsed.last(), Some(&entry().to_json()));
    }

    #[test]
    fn trailing_newline_is_kept() {
        let out = append(format!("{SEED}\n").as_bytes());
        assert!(out.ends_with("  }\n]\n"), "{out}");
    }

    #[test]
    fn bom_is_tolerated_and_kept() {
        let input = format!("\u{FEFF}{SEED}\n");
        assert_eq!(parse(input.as_bytes()).entries().len(), 1);
        let out = append(input.as_bytes());
        assert!(out.starts_with(&input[..input.len() - 3]));
        assert_eq!(out.matches('\u{FEFF}').count(), 1);
        assert_eq!(parse(out.as_bytes()).entries().len(), 2);
    }

    #[test]
    fn crlf_is_detected_and_kept() {
        let input = format!("{SEED}\n").replace('\n', "\r\n");
        let out = append(input.as_bytes());
        assert!(
            !out.replace("\r\n", "").contains('\n'),
            "bare LF in {out:?}"
        );
        let expected = format!(
            "{},\r\n{}\r\n]\r\n",
            SEED.strip_suffix("\n]").unwrap(),
            NEW_BLOCK
        )
        .replace("\r\n", "\n")
        .replace('\n', "\r\n");
        assert_eq!(out, expected);
    }

    #[test]
    fn missing_empty_and_blank_files_start_a_new_array() {
        let expected = format!("[\n{NEW_BLOCK}\n]\n");
        let missing = History::default();
        assert!(missing.entries().is_empty());
        assert_eq!(missing.appended(&entry()).unwrap(), expected.as_bytes());
        assert_eq!(append(b""), expected);
        assert_eq!(append(b" \n\t\n"), expected);
        assert_eq!(append(b"\r\n"), expected.replace('\n', "\r\n"));
        assert_eq!(append(b"\xEF\xBB\xBF"), format!("\u{FEFF}{expected}"));
    }

    #[test]
    fn empty_arrays_get_the_entry_inside() {
        assert_eq!(append(b"[]"), format!("[\n{NEW_BLOCK}\n]"));
        assert_eq!(append(b"[]\n"), format!("[\n{NEW_BLOCK}\n]\n"));
        assert_eq!(append(b"[\n]\n"), format!("[\n{NEW_BLOCK}\n]\n"));
        assert_eq!(append(b"  [ ]  "), format!("  [\n{NEW_BLOCK}\n ]  "));
    }

    #[test]
    fn compact_file_keeps_its_bytes() {
        let out = append(br#"[{"a":1,"z":[1,2]}]"#);
        assert_eq!(out, format!("[{{\"a\":1,\"z\":[1,2]}},\n{NEW_BLOCK}\n]"));
    }

    #[test]
    fn null_top_level_is_rejected() {
        let message = error(b"null\n");
        assert_eq!(
            message,
            "history file .cache/readiness.json must contain a JSON array of entries, but its top \
             level is null; restore it from git (`git checkout -- .cache/readiness.json`) or move \
             it aside (`mv .cache/readiness.json .cache/readiness.json.broken`) to start a new \
             history"
        );
    }

    #[test]
    fn object_top_level_is_rejected() {
        let message = error(b"{}");
        assert!(
            message.contains("but its top level is an object;"),
            "{message}"
        );
        assert!(
            message.contains("git checkout -- .cache/readiness.json"),
            "{message}"
        );
    }

    #[test]
    fn non_object_elements_are_named_by_index() {
        let message = error(b"[1]");
        assert!(
            message.contains("element 0 of the array is a number"),
            "{message}"
        );
        let message = error(br#"[{}, {"a": 1}, "x"]"#);
        assert!(
            message.contains("element 2 of the array is a string"),
            "{message}"
        );
        assert!(message.contains("move it aside"), "{message}");
    }

    #[test]
    fn truncated_json_reports_line_and_column() {
        let truncated = &SEED[..SEED.len() - 40];
        let err = History::parse(truncated.as_bytes(), path()).unwrap_err();
        let HistoryError::InvalidJson { line, column, .. } = &err else {
            panic!("{err:?}");
        };
        assert_eq!(*line, 10);
        let location = format!("at line {line} column {column}, the file looks truncated)");
        let message = err.to_string();
        assert!(
            message.starts_with(
                "history file .cache/readiness.json is not valid JSON (EOF while parsing"
            ),
            "{message}"
        );
        assert!(message.contains(&location), "{message}");
        assert!(
            message.contains("git checkout -- .cache/readiness.json"),
            "{message}"
        );
    }

    #[test]
    fn syntax_errors_report_line_and_column() {
        let message = error(b"[\n  {\"a\": NaN}\n]");
        assert!(message.contains("at line 2 column 9"), "{message}");
        assert!(!message.contains("truncated"), "{message}");
        let message = error(b"[] []");
        assert!(
            message.contains("trailing characters at line 1 column 4"),
            "{message}"
        );
    }

    #[test]
    fn non_utf8_is_rejected() {
        let err = History::parse(b"[\n  {\"a\": \"\xFF\"}\n]", path()).unwrap_err();
        assert!(
            matches!(
                err,
                HistoryError::NotUtf8 {
                    line: 2,
                    offset: 11,
                    ..
                }
            ),
            "{err:?}"
        );
        let message = err.to_string();
        assert!(
            message.contains("is not valid UTF-8 (invalid byte at line 2, byte offset 11)"),
            "{message}"
        );
        assert!(
            message.contains("git checkout -- .cache/readiness.json"),
            "{message}"
        );
        let err = History::parse(b"\xEF\xBB\xBF\xC3", path()).unwrap_err();
        assert!(
            matches!(
                err,
                HistoryError::NotUtf8 {
                    line: 1,
                    offset: 3,
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn unchanged_entry_is_not_appended() {
        let history = parse(append(SEED.as_bytes()).as_bytes());
        let mut again = entry();
        again.timestamp = "2026-11-25T10:00:00Z".into();
        assert_eq!(history.appended(&again), None);
    }

    #[test]
    fn equality_ignores_key_order_and_number_representation() {
        let text = r#"[{"score": 91, "timestamp": "x", "status": "ready", "core_score": 95.5,
            "optional_score": null, "deployment_score": 80, "signoff_score": 100,
            "blockers_count": 0.0, "categories": {"Docs": null, "Security": 9e1},
            "ci_success_rate": 0.95}]"#;
        assert_eq!(parse(text.as_bytes()).appended(&entry()), None);
    }

    #[test]
    fn unchanged_entry_with_lossy_float_is_not_appended() {
        // serde_json (without `float_roundtrip`) reads this back one ULP off.
        let mut lossy = entry();
        lossy.core_score = Some(1.355_516_917_310_732_5e-122);
        let out = History::default().appended(&lossy).unwrap();
        let history = parse(&out);
        lossy.timestamp = "2026-11-25T10:00:00Z".into();
        assert_eq!(history.appended(&lossy), None);
    }

    #[test]
    fn changed_entry_is_appended() {
        let history = parse(append(SEED.as_bytes()).as_bytes());
        let mut changed = entry();
        changed.categories.insert("Docs".into(), Value::from(50.0));
        let out = history.appended(&changed).unwrap();
        assert_eq!(parse(&out).entries().len(), 3);
    }

    #[test]
    fn seed_entry_differs_from_new_format() {
        // The old entry lacks `categories`/`ci_success_rate` and has extra keys.
        let history = parse(SEED.as_bytes());
        let mut same_scores = entry();
        same_scores.score = 87.5;
        assert!(history.appended(&same_scores).is_some());
    }

    #[test]
    fn to_json_matches_serde_derive() {
        let derived = serde_json::to_value(entry()).unwrap();
        assert_eq!(Value::Object(entry().to_json()), derived);
        let derived = serde_json::to_string(&entry()).unwrap();
        assert_eq!(serde_json::to_string(&entry().to_json()).unwrap(), derived);
    }

    #[test]
    fn non_finite_scores_become_null() {
        let mut odd = entry();
        odd.score = f64::NAN;
        odd.core_score = Some(f64::INFINITY);
        let out = History::default().appended(&odd).unwrap();
        let last = parse(&out).last().cloned().unwrap();
        assert_eq!(last["score"], Value::Null);
        assert_eq!(last["core_score"], Value::Null);
    }

    #[test]
    fn rfc3339_has_whole_seconds_and_z() {
        let ts: jiff::Timestamp = "2026-11-24T09:00:00.987654321Z".parse().unwrap();
        assert_eq!(now_rfc3339(ts), "2026-11-24T09:00:00Z");
        let ts: jiff::Timestamp = "2026-11-24T10:00:00+01:00".parse().unwrap();
        assert_eq!(now_rfc3339(ts), "2026-11-24T09:00:00Z");
        let ts: jiff::Timestamp = "1969-12-31T23:59:59.5Z".parse().unwrap();
        assert_eq!(now_rfc3339(ts), "1969-12-31T23:59:59Z");
        assert_eq!(
            now_rfc3339(jiff::Timestamp::MIN).len(),
            "-009999-01-02T01:59:59Z".len()
        );
    }

    #[test]
    fn path_hint_quotes_unusual_paths() {
        assert!(
            path_hint(Path::new("my dir/it's.json"))
                .contains(r"git checkout -- 'my dir/it'\''s.json'")
        );
    }

    // ---- property tests ----

    fn arb_number() -> impl Strategy<Value = Value> {
        prop_oneof![
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            (-10_000i32..10_000).prop_map(|n| Value::from(f64::from(n) / 10.0)),
        ]
    }

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            arb_number(),
            any::<String>().prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((any::<String>(), inner), 0..4)
                    .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
            ]
        })
    }

    fn arb_object() -> impl Strategy<Value = Map<String, Value>> {
        prop::collection::vec(
            (
                prop_oneof![
                    Just("timestamp".to_owned()),
                    Just("score".to_owned()),
                    Just("ci_adjustment".to_owned()),
                    "[a-z_]{1,12}",
                    any::<String>(),
                ],
                arb_json(),
            ),
            0..6,
        )
        .prop_map(|pairs| pairs.into_iter().collect())
    }

    fn arb_entry() -> impl Strategy<Value = NewEntry> {
        let scores = (
            any::<f64>(),
            prop::option::of(arb_number_f64()),
            prop::option::of(arb_number_f64()),
            prop::option::of(arb_number_f64()),
            prop::option::of(arb_number_f64()),
            prop::option::of(arb_number_f64()),
        );
        let categories = prop::collection::vec((any::<String>(), arb_json()), 0..4)
            .prop_map(|pairs| pairs.into_iter().collect::<Map<_, _>>());
        (
            any::<String>(),
            any::<String>(),
            any::<usize>(),
            scores,
            categories,
        )
            .prop_map(
                |(timestamp, status, blockers_count, scores, categories)| NewEntry {
                    timestamp,
                    score: scores.0,
                    status,
                    core_score: scores.1,
                    optional_score: scores.2,
                    deployment_score: scores.3,
                    signoff_score: scores.4,
                    blockers_count,
                    categories,
                    ci_success_rate: scores.5,
                },
            )
    }

    fn arb_number_f64() -> impl Strategy<Value = f64> {
        prop_oneof![any::<f64>(), (0u16..1001).prop_map(|n| f64::from(n) / 10.0)]
    }

    /// Serialize `entries` in one of several layouts.
    fn render_file(entries: &[Map<String, Value>], style: u8) -> String {
        let value = Value::Array(entries.iter().cloned().map(Value::Object).collect());
        match style {
            0 => serde_json::to_string(&value).unwrap(),
            1 => serde_json::to_string_pretty(&value).unwrap(),
            _ => {
                let indent = if style == 2 {
                    b"    ".as_slice()
                } else {
                    b"\t".as_slice()
                };
                let mut out = Vec::new();
                let formatter = serde_json::ser::PrettyFormatter::with_indent(indent);
                let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
                serde::Serialize::serialize(&value, &mut ser).unwrap();
                String::from_utf8(out).unwrap()
            }
        }
    }

    fn common_prefix(a: &[u8], b: &[u8]) -> usize {
        a.iter().zip(b).take_while(|(x, y)| x == y).count()
    }

    fn common_suffix(a: &[u8], b: &[u8]) -> usize {
        a.iter()
            .rev()
            .zip(b.iter().rev())
            .take_while(|(x, y)| x == y)
            .count()
    }

    fn canonical(map: &Map<String, Value>) -> String {
        serde_json::to_string(map).unwrap()
    }

    /// A generated history file: its text (after the BOM) and its bytes.
    fn file_bytes(
        entries: &[Map<String, Value>],
        style: u8,
        crlf: bool,
        bom: bool,
        lead: &str,
        trail: &str,
    ) -> (String, Vec<u8>) {
        let mut text = format!("{lead}{}{trail}", render_file(entries, style));
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        let mut bytes = Vec::new();
        if bom {
            bytes.extend_from_slice(BOM);
        }
        bytes.extend_from_slice(text.as_bytes());
        (text, bytes)
    }

    proptest! {
        #[test]
        fn append_round_trips(
            entries in prop::collection::vec(arb_object(), 0..5),
            style in 0u8..4,
            crlf in any::<bool>(),
            bom in any::<bool>(),
            lead in prop::sample::select(vec!["", " ", "\n"]),
            trail in prop::sample::select(vec!["", "\n", "\n\n", "  \t"]),
            new in arb_entry(),
        ) {
            let (text, original) = file_bytes(&entries, style, crlf, bom, lead, trail);
            let history = History::parse(&original, path()).unwrap();
            prop_assert_eq!(history.entries().len(), entries.len());
            let Some(out) = history.appended(&new) else {
                let last = history.last().unwrap();
                prop_assert!(same_except_timestamp(last, &new.to_json()));
                return Ok(());
            };

            // Every original byte is kept, in order, around one inserted run.
            prop_assert!(out.len() > original.len());
            let kept = common_prefix(&original, &out) + common_suffix(&original, &out);
            prop_assert!(kept >= original.len());

            // Old entries unchanged (same key order), new entry last.
            let reparsed = History::parse(&out, path()).unwrap();
            prop_assert_eq!(reparsed.entries().len(), entries.len() + 1);
            for (old, again) in history.entries().iter().zip(reparsed.entries()) {
                prop_assert_eq!(canonical(old), canonical(again));
            }
            let expected: Map<String, Value> =
                serde_json::from_str(&serde_json::to_string(&new.to_json()).unwrap()).unwrap();
            prop_assert_eq!(canonical(reparsed.last().unwrap()), canonical(&expected));

            // Line endings follow the file (LF when it has none).
            let out_text = String::from_utf8(out.clone()).unwrap();
            if text.contains("\r\n") {
                prop_assert!(!out_text.replace("\r\n", "").contains('\n'));
            } else {
                prop_assert!(!out_text.contains('\r'));
            }
            prop_assert_eq!(out.starts_with(BOM), bom);

            // Appending the same entry again (new timestamp) is a no-op.
            let mut again = new.clone();
            again.timestamp.push('!');
            prop_assert!(reparsed.appended(&again).is_none());
        }

        /// Streaming the file (keeping only the newest entries and never
        /// its text) appends exactly what the held parse appends, whatever
        /// part of the file's end it is given; or says to parse instead.
        #[test]
        fn streamed_append_is_the_held_append(
            entries in prop::collection::vec(arb_object(), 0..5),
            style in 0u8..4,
            crlf in any::<bool>(),
            bom in any::<bool>(),
            trail in prop::sample::select(vec!["", "\n", "\n\n", "  \t"]),
            window in 0usize..400,
            keep in 1usize..4,
            new in arb_entry(),
        ) {
            let (_, original) = file_bytes(&entries, style, crlf, bom, "", trail);
            let end = &original[original.len().saturating_sub(window)..];
            let len = original.len() as u64;
            let held = History::parse_tail(&original, path(), keep).unwrap();
            match History::read_streamed(&original[..], len, end, keep).unwrap() {
                Some(streamed) => {
                    prop_assert!(!streamed.is_held());
                    prop_assert_eq!(streamed.entries(), held.entries());
                    let append = streamed.append(&new);
                    prop_assert_eq!(&append, &held.append(&new));
                    if let Some(append) = append {
                        prop_assert!(append.only_inserts());
                        prop_assert_eq!(Some(append.apply(&original)), held.appended(&new));
                    }
                }
                // Only when the window misses the last element.
                None => prop_assert!(window < original.len()),
            }
        }

        #[test]
        fn rendering_matches_serde_json_pretty(new in arb_entry()) {
            let map = new.to_json();
            let pretty = serde_json::to_string_pretty(&map).unwrap();
            let indented: Vec<String> = pretty.lines().map(|line| format!("  {line}")).collect();
            prop_assert_eq!(render_entry(&map, "\n"), indented.join("\n"));
        }

        #[test]
        fn streaming_never_panics_and_agrees(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
            let len = bytes.len() as u64;
            if let Some(streamed) = History::read_streamed(&bytes[..], len, &bytes, 3).unwrap() {
                let held = History::parse_tail(&bytes, path(), 3).unwrap();
                prop_assert_eq!(streamed.append(&entry()), held.append(&entry()));
            }
        }

        #[test]
        fn parse_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
            if let Ok(history) = History::parse(&bytes, path()) {
                let _ = history.appended(&entry());
            }
        }
    }
}
