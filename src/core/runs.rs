//! Parse a GitHub Actions "runs file" into a normalized [`RunsFile`].
//!
//! Accepted inputs are detected automatically:
//!
//! 1. the REST response object `{"total_count": N, "workflow_runs": [...]}`
//!    returned by `GET /repos/{owner}/{repo}/actions/runs`;
//! 2. a JSON array of run objects (REST snake_case or `gh` camelCase);
//! 3. several JSON documents back to back, as printed by `gh api --paginate`;
//! 4. `gh run list --json databaseId,workflowName,...` output.
//!
//! A single run object (`gh api .../actions/runs/<id>`) is accepted too.
//!
//! The input is streamed into small private serde types that skip unknown
//! fields without building a `serde_json::Value` tree, so large paginated
//! responses parse quickly. Field values are kept loosely typed during
//! deserialization and checked afterwards, so that type errors can name the
//! document, the run index and the offending field.

use std::fmt;
use std::marker::PhantomData;

use jiff::Timestamp;
use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Serialize, Serializer};

/// One GitHub Actions workflow run, normalized from REST or `gh` output.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct WorkflowRun {
    /// Run id (REST `id`; gh `databaseId`).
    pub id: u64,
    /// Workflow name as given (REST `name`; gh `workflowName`, else `name`).
    pub name: Option<String>,
    /// Workflow file path, e.g. `.github/workflows/ci.yml` (may carry an `@refs/...` suffix).
    pub path: Option<String>,
    /// Workflow id (REST `workflow_id`; gh `workflowDatabaseId`).
    pub workflow_id: Option<u64>,
    /// Branch the run was triggered for.
    pub head_branch: Option<String>,
    /// `queued`, `in_progress`, `completed`, ...
    pub status: Option<String>,
    /// `success`, `failure`, ...; `None` while unfinished (gh's `""` maps to `None`).
    pub conclusion: Option<String>,
    /// Triggering event, e.g. `push`.
    pub event: Option<String>,
    /// When the run was created.
    #[serde(serialize_with = "serialize_optional_timestamp")]
    pub created_at: Option<Timestamp>,
    /// When the (latest attempt of the) run started (gh `startedAt`).
    #[serde(serialize_with = "serialize_optional_timestamp")]
    pub run_started_at: Option<Timestamp>,
    /// When the run was last updated.
    #[serde(serialize_with = "serialize_optional_timestamp")]
    pub updated_at: Option<Timestamp>,
    /// Web link to the run (REST `html_url`; gh `url`).
    pub html_url: Option<String>,
    /// Title shown in the Actions UI (REST `display_title`; gh `displayTitle`).
    pub display_title: Option<String>,
    /// Login of the user who triggered the run (REST `actor.login`).
    pub actor: Option<String>,
    /// Per-workflow run number (gh `number`).
    pub run_number: Option<u64>,
    /// Commit the run was triggered for.
    pub head_sha: Option<String>,
}

impl WorkflowRun {
    /// Human label of the run's workflow.
    ///
    /// Falls back from the workflow name to the file stem of `path` (with any
    /// `@...` suffix, directories and extension removed, so
    /// `.github/workflows/ci.yml@refs/heads/main` becomes `ci`), then to
    /// `workflow <workflow_id>`, then to `run <id>`.
    pub fn workflow_label(&self) -> String {
        if let Some(name) = non_blank(self.name.as_deref()) {
            return name.to_owned();
        }
        if let Some(stem) = self.path.as_deref().and_then(path_stem) {
            return stem.to_owned();
        }
        match self.workflow_id {
            Some(workflow_id) => format!("workflow {workflow_id}"),
            None => format!("run {}", self.id),
        }
    }

    /// Whether the label comes from the run's own name or file (not the
    /// `workflow <id>` / `run <id>` fallback).
    pub fn has_own_label(&self) -> bool {
        non_blank(self.name.as_deref()).is_some()
            || self.path.as_deref().and_then(path_stem).is_some()
    }

    /// The workflow's file name (`ci.yml` for
    /// `.github/workflows/ci.yml@refs/heads/main`), if the run names its path.
    pub fn workflow_file(&self) -> Option<&str> {
        let path = self.path.as_deref()?;
        let path = path.split_once('@').map_or(path, |(before, _)| before);
        non_blank(path.rsplit(['/', '\\']).next())
    }

    /// Key grouping the runs of one workflow: `id:<workflow_id>` when the
    /// workflow id is known, else `label:<workflow label>`.
    pub fn workflow_key(&self) -> String {
        match self.workflow_id {
            Some(workflow_id) => format!("id:{workflow_id}"),
            None => format!("label:{}", self.workflow_label()),
        }
    }
}

/// Trimmed text, or `None` when missing or blank.
fn non_blank(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|text| !text.is_empty())
}

/// File stem of a workflow path: `.github/workflows/ci.yml@refs/x` → `ci`.
fn path_stem(path: &str) -> Option<&str> {
    let path = path.split_once('@').map_or(path, |(before, _)| before);
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    non_blank(Some(stem))
}

/// Serializes an optional timestamp as an RFC 3339 string (or `null`).
///
/// jiff's own serde support is an optional feature; this keeps the model
/// serializable without it.
#[allow(clippy::ref_option)] // serde's `serialize_with` signature
pub(crate) fn serialize_optional_timestamp<S: Serializer>(
    value: &Option<Timestamp>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(timestamp) => serializer.collect_str(timestamp),
        None => serializer.serialize_none(),
    }
}

/// All runs found in a runs file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunsFile {
    /// Runs in input order, concatenated over all documents.
    pub runs: Vec<WorkflowRun>,
    /// Largest `total_count` seen in any REST response document.
    pub total_count: Option<u64>,
}

/// Where a run sits in the input, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunLocation {
    /// 1-based number of the JSON document (several when paginated).
    pub document: usize,
    /// 0-based index of the run inside its document.
    pub index: usize,
    /// How the run was contained in the document.
    pub container: RunContainer,
}

/// How a run was contained in its JSON document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunContainer {
    /// Inside the `workflow_runs` array of a REST response object.
    WorkflowRuns,
    /// Inside a top-level JSON array.
    Array,
    /// The document itself is a single run object.
    Single,
}

impl fmt::Display for RunLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (document, index) = (self.document, self.index);
        match self.container {
            RunContainer::WorkflowRuns => write!(
                f,
                "document {document}, run index {index} (`.workflow_runs[{index}]`)"
            ),
            RunContainer::Array => {
                write!(f, "document {document}, run index {index} (`.[{index}]`)")
            }
            RunContainer::Single => write!(f, "document {document} (a single run object)"),
        }
    }
}

/// Why a runs file could not be parsed.
#[derive(Debug, thiserror::Error)]
pub enum RunsError {
    /// The input could not be read.
    #[error("cannot read the runs file: {0}")]
    Read(String),
    /// The input is empty or only whitespace.
    #[error(
        "runs file is empty. Fix: save the output of `gh api repos/OWNER/REPO/actions/runs` \
         or `gh run list --json databaseId,workflowName,headBranch,status,conclusion,createdAt` into it"
    )]
    Empty,
    /// A document is not valid JSON (or is truncated).
    #[error(
        "document {document} is not valid JSON at line {line}, column {column}: {reason}. Fix: {fix}"
    )]
    Json {
        /// 1-based document number.
        document: usize,
        /// 1-based line reported by serde_json.
        line: usize,
        /// 1-based column reported by serde_json.
        column: usize,
        /// serde_json's description of the problem.
        reason: String,
        /// What to do about it.
        fix: &'static str,
    },
    /// A document is valid JSON but holds neither a response object nor runs.
    #[error(
        "document {document} is {found}, not GitHub Actions runs. Fix: provide a REST response \
         object with `workflow_runs`, a JSON array of runs, or `gh run list --json ...` output"
    )]
    NotRuns {
        /// 1-based document number.
        document: usize,
        /// Description of what was found instead.
        found: String,
    },
    /// A REST response object has a malformed envelope field.
    #[error("document {document}: `{field}` must be {expected}, found {found}. Fix: {fix}")]
    BadEnvelope {
        /// 1-based document number.
        document: usize,
        /// The envelope field (`workflow_runs` or `total_count`).
        field: &'static str,
        /// The expected JSON type.
        expected: &'static str,
        /// Description of the value found.
        found: String,
        /// What to do about it.
        fix: &'static str,
    },
    /// An element of a runs array is not a JSON object.
    #[error("{at}: found {found} where a run object was expected. Fix: remove that element")]
    RunNotObject {
        /// Where the element is.
        at: RunLocation,
        /// Description of the element.
        found: String,
    },
    /// A run lacks its id.
    #[error(
        "{at}: run has no `id` (REST) or `databaseId` (gh). Fix: include the run id, \
         e.g. add `databaseId` to `gh run list --json`"
    )]
    MissingId {
        /// Where the run is.
        at: RunLocation,
    },
    /// A run field has the wrong JSON type.
    #[error(
        "{at}: field `{field}` must be {expected}, found {found}. \
         Fix: correct the value, or remove the field or set it to null"
    )]
    WrongType {
        /// Where the run is.
        at: RunLocation,
        /// The JSON key as it appears in the input (e.g. `createdAt`).
        field: &'static str,
        /// The expected JSON type.
        expected: &'static str,
        /// Description of the value found.
        found: String,
    },
    /// A run timestamp is not RFC 3339.
    #[error(
        "{at}: field `{field}` is not an RFC 3339 timestamp: {value:?} ({reason}). \
         Fix: use a UTC timestamp such as 2020-05-21T08:08:03Z"
    )]
    BadTimestamp {
        /// Where the run is.
        at: RunLocation,
        /// The JSON key as it appears in the input.
        field: &'static str,
        /// The offending text.
        value: String,
        /// jiff's description of the problem.
        reason: String,
    },
}

impl RunsError {
    /// Wraps a serde_json error raised while reading document `document`.
    fn json(document: usize, error: &serde_json::Error) -> Self {
        let (line, column) = (error.line(), error.column());
        let text = error.to_string();
        let suffix = format!(" at line {line} column {column}");
        let reason = text.strip_suffix(&suffix).unwrap_or(&text).to_owned();
        let fix = match error.classify() {
            serde_json::error::Category::Eof => {
                "the input ends in the middle of a JSON value; it was probably truncated, so fetch it again"
            }
            serde_json::error::Category::Data => {
                "make each run a JSON object with every field at most once"
            }
            _ => {
                "make sure the file holds only JSON from the GitHub API or `gh run list --json`, with no log lines or other text"
            }
        };
        Self::Json {
            document,
            line,
            column,
            reason,
            fix,
        }
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Parses a runs file in any supported format (see the module docs).
///
/// Runs from all documents are concatenated in input order; `total_count`
/// is the largest one seen. Unknown fields are ignored and `null` counts as
/// missing.
pub fn parse_runs(bytes: &[u8]) -> Result<RunsFile, RunsError> {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    if bytes.trim_ascii().is_empty() {
        return Err(RunsError::Empty);
    }
    let sink = stream(serde_json::Deserializer::from_slice(bytes), Keep::All)?;
    Ok(RunsFile {
        runs: sink.runs,
        total_count: sink.total_count,
    })
}

/// The runs of a runs file that a CI window can use, read as a stream:
/// memory depends on `max_runs`, not on the file's size.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunsWindow {
    /// The newest `max_runs` runs of the branch (by creation time, then id),
    /// newest first.
    pub runs: Vec<WorkflowRun>,
    /// Runs read in all.
    pub read: usize,
    /// Runs that name no branch.
    pub unbranched: usize,
    /// Runs per other branch (at most [`BRANCHES_COUNTED`] branches), so an
    /// empty window can say where the runs are.
    pub other_branches: std::collections::HashMap<String, usize>,
}

/// At most this many distinct other branches are counted while streaming.
pub const BRANCHES_COUNTED: usize = 1000;

/// [`parse_runs`] for a CI window: reads `input` (a BOM allowed) run by run
/// and keeps only the newest `max_runs` runs of `branch`.
pub fn parse_runs_window(
    input: impl std::io::Read,
    branch: &str,
    max_runs: usize,
) -> Result<RunsWindow, RunsError> {
    let mut input = std::io::BufReader::new(input);
    let mut head = [0u8; 3];
    let mut got = 0;
    while got < 3 {
        match std::io::Read::read(&mut input, &mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(RunsError::Read(e.to_string())),
        }
    }
    let prefix: &[u8] = if head[..got] == *UTF8_BOM {
        &[]
    } else {
        &head[..got]
    };
    let reader = std::io::Read::chain(prefix, input);
    let keep = Keep::Window {
        branch: branch.to_owned(),
        max: max_runs.max(1),
    };
    let sink = stream(serde_json::Deserializer::from_reader(reader), keep)?;
    if sink.read == 0 && sink.documents == 0 {
        return Err(RunsError::Empty);
    }
    let mut runs = sink.runs;
    newest_first(&mut runs, max_runs.max(1));
    Ok(RunsWindow {
        runs,
        read: sink.read,
        unbranched: sink.unbranched,
        other_branches: sink.other_branches,
    })
}

/// Which runs the sink keeps.
enum Keep {
    All,
    Window { branch: String, max: usize },
}

/// Where streamed runs go (thread-local while a stream is parsed: serde's
/// visitors have no other way to reach it).
struct Sink {
    keep: Keep,
    document: usize,
    documents: usize,
    runs: Vec<WorkflowRun>,
    read: usize,
    unbranched: usize,
    other_branches: std::collections::HashMap<String, usize>,
    total_count: Option<u64>,
    error: Option<RunsError>,
}

std::thread_local! {
    static SINK: std::cell::RefCell<Option<Sink>> = const { std::cell::RefCell::new(None) };
}

/// Sort newest first, keep one copy of each run id (the newest
/// `updated_at`), and keep `max`.
fn newest_first(runs: &mut Vec<WorkflowRun>, max: usize) {
    runs.sort_by_key(|run| {
        (
            std::cmp::Reverse(run.created_at),
            std::cmp::Reverse(run.id),
            std::cmp::Reverse(run.updated_at),
        )
    });
    runs.dedup_by_key(|run| run.id);
    runs.truncate(max);
}

/// Hand one converted run (or the error converting it) to the sink; `Err`
/// stops the stream (the sink keeps the real error).
fn deliver(raw: RawObject, at: RunLocation) -> Result<(), ()> {
    SINK.with(|cell| {
        let mut guard = cell.borrow_mut();
        let Some(sink) = guard.as_mut() else {
            return Err(());
        };
        let at = RunLocation {
            document: sink.document,
            ..at
        };
        match convert_run(raw, at) {
            Ok(run) => {
                sink.read += 1;
                if run.head_branch.is_none() {
                    sink.unbranched += 1;
                }
                match &sink.keep {
                    Keep::All => sink.runs.push(run),
                    Keep::Window { branch, max } => {
                        if let Some(other) = run.head_branch.as_deref()
                            && other != branch.as_str()
                        {
                            let known = sink.other_branches.len();
                            if let Some(n) = sink.other_branches.get_mut(other) {
                                *n += 1;
                            } else if known < BRANCHES_COUNTED {
                                sink.other_branches.insert(other.to_owned(), 1);
                            }
                        }
                        if run.head_branch.as_deref() == Some(branch.as_str()) {
                            sink.runs.push(run);
                            if sink.runs.len() >= max.saturating_mul(2).max(64) {
                                let max = *max;
                                newest_first(&mut sink.runs, max);
                            }
                        }
                    }
                }
                Ok(())
            }
            Err(error) => {
                sink.error = Some(error);
                Err(())
            }
        }
    })
}

/// Record an error found while streaming; `Err` always.
fn fail(error: RunsError) -> Result<(), ()> {
    SINK.with(|cell| {
        if let Some(sink) = cell.borrow_mut().as_mut() {
            sink.error.get_or_insert(error);
        }
    });
    Err(())
}

fn current_document() -> usize {
    SINK.with(|cell| cell.borrow().as_ref().map_or(0, |s| s.document))
}

/// Parse every document of `de` into a fresh sink and return it.
fn stream<'de, R: serde_json::de::Read<'de>>(
    de: serde_json::Deserializer<R>,
    keep: Keep,
) -> Result<Sink, RunsError> {
    let sink = Sink {
        keep,
        document: 0,
        documents: 0,
        runs: Vec::new(),
        read: 0,
        unbranched: 0,
        other_branches: std::collections::HashMap::new(),
        total_count: None,
        error: None,
    };
    let previous = SINK.with(|cell| cell.borrow_mut().replace(sink));
    let result = stream_documents(de);
    let sink = SINK.with(|cell| std::mem::replace(&mut *cell.borrow_mut(), previous));
    let mut sink = sink.ok_or(RunsError::Empty)?;
    if let Some(error) = sink.error.take() {
        return Err(error);
    }
    result?;
    Ok(sink)
}

fn stream_documents<'de, R: serde_json::de::Read<'de>>(
    de: serde_json::Deserializer<R>,
) -> Result<(), RunsError> {
    let mut documents = de.into_iter::<Document>();
    let mut number = 0;
    loop {
        number += 1;
        SINK.with(|cell| {
            if let Some(sink) = cell.borrow_mut().as_mut() {
                sink.document = number;
            }
        });
        match documents.next() {
            None => return Ok(()),
            Some(Ok(Document)) => SINK.with(|cell| {
                if let Some(sink) = cell.borrow_mut().as_mut() {
                    sink.documents = number;
                }
            }),
            Some(Err(error)) => {
                let stored =
                    SINK.with(|cell| cell.borrow_mut().as_mut().and_then(|s| s.error.take()));
                return Err(stored.unwrap_or_else(|| RunsError::json(number, &error)));
            }
        }
    }
}

/// One top-level document: an array of runs (streamed), a REST response
/// object (its `workflow_runs` streamed), or one run.
struct Document;

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DocumentVisitor)
    }
}

struct DocumentVisitor;

/// Stop with the sink's error (serde needs an error value of its own).
fn stop<E: serde::de::Error>() -> E {
    E::custom("the runs file has an error (reported separately)")
}

impl<'de> Visitor<'de> for DocumentVisitor {
    type Value = Document;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object or array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Document, A::Error> {
        stream_items(seq, RunContainer::Array)?;
        Ok(Document)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Document, A::Error> {
        let object = RawObject::deserialize(MapAccessDeserializer::new(map))?;
        let document = current_document();
        let total_count = match object.total_count {
            None => None,
            Some(Scalar::UInt(count)) => Some(count),
            Some(other) => {
                return Err(fail(RunsError::BadEnvelope {
                    document,
                    field: "total_count",
                    expected: "a non-negative integer",
                    found: other.describe(),
                    fix: "fix or remove `total_count`",
                })
                .map_or_else(|()| stop(), |()| stop()));
            }
        };
        SINK.with(|cell| {
            if let Some(sink) = cell.borrow_mut().as_mut() {
                sink.total_count = sink.total_count.max(total_count);
            }
        });
        let fault = match object.workflow_runs {
            Some(RunsField::Streamed) => None,
            Some(RunsField::Other(found)) => Some(RunsError::BadEnvelope {
                document,
                field: "workflow_runs",
                expected: "an array of runs",
                found,
                fix: "save the unmodified API response",
            }),
            None if object.id.is_some() || object.database_id.is_some() => {
                let at = RunLocation {
                    document,
                    index: 0,
                    container: RunContainer::Single,
                };
                return match deliver(object, at) {
                    Ok(()) => Ok(Document),
                    Err(()) => Err(stop()),
                };
            }
            None => Some(RunsError::NotRuns {
                document,
                found: "an object without `workflow_runs`, `id` or `databaseId`".to_owned(),
            }),
        };
        match fault {
            Some(error) => Err(fail(error).map_or_else(|()| stop(), |()| stop())),
            None => Ok(Document),
        }
    }
    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Document, E> {
        Err(not_runs(describe_str(value)))
    }
    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Document, E> {
        Err(not_runs(format!("number {value}")))
    }
    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Document, E> {
        Err(not_runs(format!("number {value}")))
    }
    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Document, E> {
        Err(not_runs(format!("number {value}")))
    }
    fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<Document, E> {
        Err(not_runs(format!("boolean {value}")))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Document, E> {
        Err(not_runs("null".to_owned()))
    }
}

fn not_runs<E: serde::de::Error>(found: String) -> E {
    let document = current_document();
    let _ = fail(RunsError::NotRuns { document, found });
    stop()
}

/// Convert and deliver every element of a runs array, one at a time.
fn stream_items<'de, A: SeqAccess<'de>>(
    mut seq: A,
    container: RunContainer,
) -> Result<(), A::Error> {
    let mut index = 0;
    while let Some(item) = seq.next_element::<Json<RawObject>>()? {
        let at = RunLocation {
            document: 0,
            index,
            container,
        };
        let delivered = match item {
            Json::Object(object) => deliver(*object, at),
            other => fail(RunsError::RunNotObject {
                at: RunLocation {
                    document: current_document(),
                    ..at
                },
                found: other.describe(),
            }),
        };
        if delivered.is_err() {
            return Err(stop());
        }
        index += 1;
    }
    Ok(())
}

/// `workflow_runs`: an array, streamed into the sink as it is read, or
/// anything else (described for the error).
enum RunsField {
    Streamed,
    Other(String),
}

impl<'de> Deserialize<'de> for RunsField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RunsFieldVisitor)
    }
}

struct RunsFieldVisitor;

impl<'de> Visitor<'de> for RunsFieldVisitor {
    type Value = RunsField;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of runs")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<RunsField, A::Error> {
        stream_items(seq, RunContainer::WorkflowRuns)?;
        Ok(RunsField::Streamed)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RunsField, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(RunsField::Other("an object".to_owned()))
    }
    fn visit_str<E>(self, value: &str) -> Result<RunsField, E> {
        Ok(RunsField::Other(describe_str(value)))
    }
    fn visit_u64<E>(self, value: u64) -> Result<RunsField, E> {
        Ok(RunsField::Other(format!("number {value}")))
    }
    fn visit_i64<E>(self, value: i64) -> Result<RunsField, E> {
        Ok(RunsField::Other(format!("number {value}")))
    }
    fn visit_f64<E>(self, value: f64) -> Result<RunsField, E> {
        Ok(RunsField::Other(format!("number {value}")))
    }
    fn visit_bool<E>(self, value: bool) -> Result<RunsField, E> {
        Ok(RunsField::Other(format!("boolean {value}")))
    }
    fn visit_unit<E>(self) -> Result<RunsField, E> {
        Ok(RunsField::Other("null".to_owned()))
    }
}

/// Checks the loosely typed fields of one run and builds the normalized run.
fn convert_run(raw: RawObject, at: RunLocation) -> Result<WorkflowRun, RunsError> {
    let check = FieldCheck { at };
    let is_gh = raw.id.is_none() && raw.database_id.is_some();
    let id = check
        .uint("id", raw.id)?
        .or(check.uint("databaseId", raw.database_id)?);
    let id = id.ok_or(RunsError::MissingId { at })?;
    let html_url = check.string("html_url", raw.html_url)?;
    // In REST output `url` is the API url; only gh's `url` is the web link.
    let gh_url = if is_gh {
        check.string("url", raw.url)?
    } else {
        None
    };
    let conclusion = check
        .string("conclusion", raw.conclusion)?
        .filter(|text| !text.is_empty());
    Ok(WorkflowRun {
        id,
        name: check
            .string("workflowName", raw.workflow_name)?
            .or(check.string("name", raw.name)?),
        path: check.string("path", raw.path)?,
        workflow_id: check
            .uint("workflow_id", raw.workflow_id)?
            .or(check.uint("workflowDatabaseId", raw.workflow_database_id)?),
        head_branch: check
            .string("head_branch", raw.head_branch)?
            .or(check.string("headBranch", raw.head_branch_gh)?),
        status: check.string("status", raw.status)?,
        conclusion,
        event: check.string("event", raw.event)?,
        created_at: check
            .timestamp("created_at", raw.created_at)?
            .or(check.timestamp("createdAt", raw.created_at_gh)?),
        run_started_at: check
            .timestamp("run_started_at", raw.run_started_at)?
            .or(check.timestamp("startedAt", raw.started_at_gh)?),
        updated_at: check
            .timestamp("updated_at", raw.updated_at)?
            .or(check.timestamp("updatedAt", raw.updated_at_gh)?),
        html_url: html_url.or(gh_url),
        display_title: check
            .string("display_title", raw.display_title)?
            .or(check.string("displayTitle", raw.display_title_gh)?),
        actor: check.actor(raw.actor)?,
        run_number: check
            .uint("run_number", raw.run_number)?
            .or(check.uint("number", raw.number)?),
        head_sha: check
            .string("head_sha", raw.head_sha)?
            .or(check.string("headSha", raw.head_sha_gh)?),
    })
}

/// Type checks for the fields of the run at `at`.
struct FieldCheck {
    at: RunLocation,
}

impl FieldCheck {
    fn wrong(&self, field: &'static str, expected: &'static str, found: String) -> RunsError {
        RunsError::WrongType {
            at: self.at,
            field,
            expected,
            found,
        }
    }

    fn uint(&self, field: &'static str, value: Option<Scalar>) -> Result<Option<u64>, RunsError> {
        match value {
            None => Ok(None),
            Some(Scalar::UInt(number)) => Ok(Some(number)),
            Some(other) => Err(self.wrong(field, "a non-negative integer", other.describe())),
        }
    }

    fn string(
        &self,
        field: &'static str,
        value: Option<Scalar>,
    ) -> Result<Option<String>, RunsError> {
        self.text(field, "a string", value)
    }

    fn text(
        &self,
        field: &'static str,
        expected: &'static str,
        value: Option<Scalar>,
    ) -> Result<Option<String>, RunsError> {
        match value {
            None => Ok(None),
            Some(Scalar::Str(text)) => Ok(Some(text)),
            Some(other) => Err(self.wrong(field, expected, other.describe())),
        }
    }

    /// An RFC 3339 timestamp; `""` and Go's zero time (gh, unstarted runs) count as missing.
    fn timestamp(
        &self,
        field: &'static str,
        value: Option<Scalar>,
    ) -> Result<Option<Timestamp>, RunsError> {
        let Some(text) = self.text(field, "an RFC 3339 timestamp string", value)? else {
            return Ok(None);
        };
        if text.is_empty() || text.starts_with("0001-01-01T00:00:00") {
            return Ok(None);
        }
        match text.parse::<Timestamp>() {
            Ok(timestamp) => Ok(Some(timestamp)),
            Err(error) => Err(RunsError::BadTimestamp {
                at: self.at,
                field,
                value: text,
                reason: error.to_string(),
            }),
        }
    }

    fn actor(&self, value: Option<Json<RawActor>>) -> Result<Option<String>, RunsError> {
        match value {
            None => Ok(None),
            Some(Json::Object(actor)) => self.string("actor.login", actor.login),
            Some(other) => Err(self.wrong("actor", "an object with `login`", other.describe())),
        }
    }
}

/// A JSON object as streamed from the input: either a REST response object
/// or a run (REST or gh field names). Unknown fields are skipped.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct RawObject {
    total_count: Option<Scalar>,
    workflow_runs: Option<RunsField>,
    id: Option<Scalar>,
    #[serde(rename = "databaseId")]
    database_id: Option<Scalar>,
    name: Option<Scalar>,
    #[serde(rename = "workflowName")]
    workflow_name: Option<Scalar>,
    path: Option<Scalar>,
    workflow_id: Option<Scalar>,
    #[serde(rename = "workflowDatabaseId")]
    workflow_database_id: Option<Scalar>,
    head_branch: Option<Scalar>,
    #[serde(rename = "headBranch")]
    head_branch_gh: Option<Scalar>,
    status: Option<Scalar>,
    conclusion: Option<Scalar>,
    event: Option<Scalar>,
    created_at: Option<Scalar>,
    #[serde(rename = "createdAt")]
    created_at_gh: Option<Scalar>,
    run_started_at: Option<Scalar>,
    #[serde(rename = "startedAt")]
    started_at_gh: Option<Scalar>,
    updated_at: Option<Scalar>,
    #[serde(rename = "updatedAt")]
    updated_at_gh: Option<Scalar>,
    html_url: Option<Scalar>,
    url: Option<Scalar>,
    display_title: Option<Scalar>,
    #[serde(rename = "displayTitle")]
    display_title_gh: Option<Scalar>,
    actor: Option<Json<RawActor>>,
    run_number: Option<Scalar>,
    number: Option<Scalar>,
    head_sha: Option<Scalar>,
    #[serde(rename = "headSha")]
    head_sha_gh: Option<Scalar>,
}

/// The REST `actor` object; only the login is kept.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct RawActor {
    login: Option<Scalar>,
}

/// A leaf field value of any JSON type; nested values are skipped, not kept.
enum Scalar {
    Str(String),
    UInt(u64),
    /// Any other JSON value, described for error messages.
    Other(String),
}

impl Scalar {
    fn describe(self) -> String {
        match self {
            Scalar::Str(text) => describe_str(&text),
            Scalar::UInt(number) => format!("number {number}"),
            Scalar::Other(description) => description,
        }
    }
}

/// Describes a string value, shortened to keep messages readable.
fn describe_str(text: &str) -> String {
    const MAX_CHARS: usize = 40;
    if text.chars().count() <= MAX_CHARS {
        return format!("string {text:?}");
    }
    let head: String = text.chars().take(MAX_CHARS).collect();
    format!("string {head:?}...")
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E>(self, value: &str) -> Result<Scalar, E> {
        Ok(Scalar::Str(value.to_owned()))
    }
    fn visit_string<E>(self, value: String) -> Result<Scalar, E> {
        Ok(Scalar::Str(value))
    }
    fn visit_u64<E>(self, value: u64) -> Result<Scalar, E> {
        Ok(Scalar::UInt(value))
    }
    fn visit_i64<E>(self, value: i64) -> Result<Scalar, E> {
        Ok(Scalar::Other(format!("number {value}")))
    }
    fn visit_f64<E>(self, value: f64) -> Result<Scalar, E> {
        Ok(Scalar::Other(format!("number {value}")))
    }
    fn visit_bool<E>(self, value: bool) -> Result<Scalar, E> {
        Ok(Scalar::Other(format!("boolean {value}")))
    }
    fn visit_unit<E>(self) -> Result<Scalar, E> {
        Ok(Scalar::Other("null".to_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other("an array".to_owned()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other("an object".to_owned()))
    }
}

/// A container-level JSON value: an object read as `T`, an array of such
/// values, or anything else (described for error messages).
enum Json<T> {
    Object(Box<T>),
    Array,
    Other(String),
}

impl<T> Json<T> {
    fn describe(self) -> String {
        match self {
            Json::Object(_) => "an object".to_owned(),
            Json::Array => "an array".to_owned(),
            Json::Other(description) => description,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Json<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor(PhantomData))
    }
}

struct JsonVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for JsonVisitor<T> {
    type Value = Json<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Json<T>, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(|object| Json::Object(Box::new(object)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json<T>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Json::Array)
    }
    fn visit_str<E>(self, value: &str) -> Result<Json<T>, E> {
        Ok(Json::Other(describe_str(value)))
    }
    fn visit_u64<E>(self, value: u64) -> Result<Json<T>, E> {
        Ok(Json::Other(format!("number {value}")))
    }
    fn visit_i64<E>(self, value: i64) -> Result<Json<T>, E> {
        Ok(Json::Other(format!("number {value}")))
    }
    fn visit_f64<E>(self, value: f64) -> Result<Json<T>, E> {
        Ok(Json::Other(format!("number {value}")))
    }
    fn visit_bool<E>(self, value: bool) -> Result<Json<T>, E> {
        Ok(Json::Other(format!("boolean {value}")))
    }
    fn visit_unit<E>(self) -> Result<Json<T>, E> {
        Ok(Json::Other("null".to_owned()))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(text: &str) -> RunsFile {
        parse_runs(text.as_bytes()).unwrap()
    }

    fn parse_err(text: &str) -> RunsError {
        parse_runs(text.as_bytes()).unwrap_err()
    }

    fn ts(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    const REST_RUN: &str = r#"{
        "id": 30433642, "name": "CI", "node_id": "MDExOldvcmtmbG93UnVuMzA0MzM2NDI=",
        "head_branch": "main", "head_sha": "acb5820ced9479c074f688cc328bf03f341a511d",
        "path": ".github/workflows/ci.yml@refs/heads/main", "display_title": "Fix the widget",
        "run_number": 562, "event": "push", "status": "completed", "conclusion": "success",
        "workflow_id": 159038, "run_attempt": 1,
        "url": "https://api.github.com/repos/acme/widget/actions/runs/30433642",
        "html_url": "https://github.com/acme/widget/actions/runs/30433642",
        "pull_requests": [], "created_at": "2026-11-03T10:00:00Z",
        "updated_at": "2026-11-03T10:05:30Z", "run_started_at": "2026-11-03T10:00:05Z",
        "actor": {"login": "octocat", "id": 1, "site_admin": false},
        "repository": {"id": 1296269, "owner": {"login": "acme"}, "topics": ["a", "b"]}
    }"#;

    fn expected_rest_run() -> WorkflowRun {
        WorkflowRun {
            id: 30_433_642,
            name: Some("CI".into()),
            path: Some(".github/workflows/ci.yml@refs/heads/main".into()),
            workflow_id: Some(159_038),
            head_branch: Some("main".into()),
            status: Some("completed".into()),
            conclusion: Some("success".into()),
            event: Some("push".into()),
            created_at: Some(ts("2026-11-03T10:00:00Z")),
            run_started_at: Some(ts("2026-11-03T10:00:05Z")),
            updated_at: Some(ts("2026-11-03T10:05:30Z")),
            html_url: Some("https://github.com/acme/widget/actions/runs/30433642".into()),
            display_title: Some("Fix the widget".into()),
            actor: Some("octocat".into()),
            run_number: Some(562),
            head_sha: Some("acb5820ced9479c074f688cc328bf03f341a511d".into()),
        }
    }

    fn bare_run(id: u64) -> WorkflowRun {
        WorkflowRun {
            id,
            ..WorkflowRun::default()
        }
    }

    // ---- accepted formats ----

    #[test]
    fn parses_rest_response_object() {
        let file = parse(&format!(
            r#"{{"total_count": 7, "workflow_runs": [{REST_RUN}]}}"#
        ));
        assert_eq!(file.total_count, Some(7));
        assert_eq!(file.runs, vec![expected_rest_run()]);
    }

    #[test]
    fn parses_array_of_rest_runs() {
        let file = parse(&format!("[{REST_RUN}, {{\"id\": 2}}]"));
        assert_eq!(file.total_count, None);
        assert_eq!(file.runs, vec![expected_rest_run(), bare_run(2)]);
    }

    #[test]
    fn parses_single_run_object() {
        let file = parse(REST_RUN);
        assert_eq!(file.runs, vec![expected_rest_run()]);
        assert_eq!(file.total_count, None);
    }

    #[test]
    fn concatenated_documents_are_joined_and_total_is_max() {
        let text = r#"{"total_count": 3, "workflow_runs": [{"id": 1}, {"id": 2}]}
            {"total_count": 5, "workflow_runs": [{"id": 3}]}{"total_count": 4, "workflow_runs": []}
            [{"id": 4}]"#;
        let file = parse(text);
        let ids: Vec<u64> = file.runs.iter().map(|run| run.id).collect();
        assert_eq!(ids, [1, 2, 3, 4]);
        assert_eq!(file.total_count, Some(5));
    }

    #[test]
    fn total_count_is_none_when_no_document_has_it() {
        let file =
            parse(r#"{"workflow_runs": [{"id": 1}]} {"total_count": null, "workflow_runs": []}"#);
        assert_eq!(file.total_count, None);
        assert_eq!(file.runs.len(), 1);
    }

    #[test]
    fn parses_gh_run_list_output() {
        let text = r#"[
          {"databaseId": 9001, "name": "Fix the widget", "workflowName": "CI", "headBranch": "main",
           "status": "in_progress", "conclusion": "", "createdAt": "2026-11-03T10:00:00Z",
           "startedAt": "2026-11-03T10:00:04Z", "updatedAt": "2026-11-03T10:01:00Z",
           "url": "https://github.com/acme/widget/actions/runs/9001", "event": "pull_request",
           "displayTitle": "Fix the widget", "workflowDatabaseId": 77, "number": 12,
           "headSha": "0123456789abcdef0123456789abcdef01234567"},
          {"databaseId": 9000, "name": "Docs", "conclusion": "success", "status": "completed"}
        ]"#;
        let file = parse(text);
        let gh = WorkflowRun {
            id: 9001,
            name: Some("CI".into()),
            workflow_id: Some(77),
            head_branch: Some("main".into()),
            status: Some("in_progress".into()),
            conclusion: None,
            event: Some("pull_request".into()),
            created_at: Some(ts("2026-11-03T10:00:00Z")),
            run_started_at: Some(ts("2026-11-03T10:00:04Z")),
            updated_at: Some(ts("2026-11-03T10:01:00Z")),
            html_url: Some("https://github.com/acme/widget/actions/runs/9001".into()),
            display_title: Some("Fix the widget".into()),
            run_number: Some(12),
            head_sha: Some("0123456789abcdef0123456789abcdef01234567".into()),
            ..bare_run(9001)
        };
        assert_eq!(file.runs[0], gh);
        assert_eq!(
            file.runs[1].name.as_deref(),
            Some("Docs"),
            "gh `name` is the fallback"
        );
        assert_eq!(file.runs[1].conclusion.as_deref(), Some("success"));
    }

    #[test]
    fn gh_zero_and_empty_timestamps_count_as_missing() {
        let text = r#"[{"databaseId": 1, "startedAt": "0001-01-01T00:00:00Z", "createdAt": ""}]"#;
        let run = &parse(text).runs[0];
        assert_eq!(run.run_started_at, None);
        assert_eq!(run.created_at, None);
    }

    #[test]
    fn rest_api_url_is_never_the_link() {
        let text = r#"[{"id": 1, "url": "https://api.github.com/repos/a/b/actions/runs/1"}]"#;
        assert_eq!(parse(text).runs[0].html_url, None);
    }

    #[test]
    fn tolerates_utf8_bom() {
        let mut bytes = UTF8_BOM.to_vec();
        bytes.extend_from_slice(br#"{"total_count": 1, "workflow_runs": [{"id": 5}]}"#);
        assert_eq!(parse_runs(&bytes).unwrap().runs, vec![bare_run(5)]);
    }

    #[test]
    fn old_2020_runs_without_newer_fields_parse() {
        let text = r#"{"total_count": 124, "workflow_runs": [{
            "id": 110932306, "node_id": "MDExOldvcmtmbG93UnVuMTEwOTMyMzA2", "head_branch": "master",
            "head_sha": "7abf600480089550b4224aa97004367c2fa25b38", "run_number": 122, "event": "push",
            "status": "completed", "conclusion": "success", "workflow_id": 1026390,
            "url": "https://api.github.com/repos/PyGithub/PyGithub/actions/runs/110932306",
            "html_url": "https://github.com/PyGithub/PyGithub/actions/runs/110932306",
            "pull_requests": [], "created_at": "2020-05-20T23:59:37Z", "updated_at": "2020-05-21T00:02:14Z",
            "head_commit": {"id": "7abf600", "message": "Remove RateLimit.rate (#1529)",
                            "author": {"name": "Jane", "email": "jane@example.com"}}
        }]}"#;
        let run = &parse(text).runs[0];
        assert_eq!(
            (
                run.name.as_ref(),
                run.display_title.as_ref(),
                run.actor.as_ref()
            ),
            (None, None, None)
        );
        assert_eq!((run.run_started_at, run.path.as_ref()), (None, None));
        assert_eq!(run.created_at, Some(ts("2020-05-20T23:59:37Z")));
        assert_eq!(run.workflow_label(), "workflow 1026390");
    }

    #[test]
    fn nulls_count_as_missing() {
        let text = r#"[{"id": 3, "databaseId": null, "name": null, "workflowName": null, "actor": null,
            "conclusion": null, "created_at": null, "run_number": null, "workflow_id": null}]"#;
        assert_eq!(parse(text).runs, vec![bare_run(3)]);
    }

    #[test]
    fn serializes_timestamps_as_rfc3339() {
        let json = serde_json::to_value(expected_rest_run()).unwrap();
        assert_eq!(json["created_at"], "2026-11-03T10:00:00Z");
        assert_eq!(json["run_started_at"], "2026-11-03T10:00:05Z");
        assert_eq!(
            serde_json::to_value(bare_run(1)).unwrap()["updated_at"],
            serde_json::Value::Null
        );
    }

    // ---- labels ----

    #[test]
    fn label_prefers_workflow_name() {
        let run = WorkflowRun {
            name: Some("CI".into()),
            path: Some("x/y.yml".into()),
            ..bare_run(1)
        };
        assert_eq!(run.workflow_label(), "CI");
    }

    #[test]
    fn label_falls_back_to_path_stem() {
        let cases = [
            (".github/workflows/ci.yml@refs/heads/main", "ci"),
            (".github/workflows/security-audit.yaml", "security-audit"),
            ("release.yml", "release"),
            ("dynamic/github-code-scanning/codeql", "codeql"),
        ];
        for (path, stem) in cases {
            let run = WorkflowRun {
                name: Some("  ".into()),
                path: Some(path.into()),
                ..bare_run(1)
            };
            assert_eq!(run.workflow_label(), stem, "{path}");
        }
    }

    #[test]
    fn label_falls_back_to_workflow_id_then_run_id() {
        let by_id = WorkflowRun {
            path: Some(".github/workflows/@refs/x".into()),
            workflow_id: Some(42),
            ..bare_run(7)
        };
        assert_eq!(by_id.workflow_label(), "workflow 42");
        assert_eq!(bare_run(7).workflow_label(), "run 7");
    }

    #[test]
    fn key_uses_workflow_id_else_label() {
        let with_id = WorkflowRun {
            name: Some("CI".into()),
            workflow_id: Some(42),
            ..bare_run(1)
        };
        assert_eq!(with_id.workflow_key(), "id:42");
        let named = WorkflowRun {
            name: Some("CI".into()),
            ..bare_run(1)
        };
        assert_eq!(named.workflow_key(), "label:CI");
    }

    // ---- errors ----

    #[test]
    fn empty_input_is_an_error() {
        for text in ["", "  \n\t ", "\u{feff}", "\u{feff}\n"] {
            assert!(matches!(parse_err(text), RunsError::Empty), "{text:?}");
        }
        assert!(parse_err("").to_string().starts_with("runs file is empty"));
    }

    #[test]
    fn missing_id_names_run_index() {
        let error = parse_err(r#"{"workflow_runs": [{"id": 1}, {"name": "CI", "id": null}]}"#);
        let at = RunLocation {
            document: 1,
            index: 1,
            container: RunContainer::WorkflowRuns,
        };
        assert!(matches!(error, RunsError::MissingId { at: found } if found == at));
        assert_eq!(
            error.to_string(),
            "document 1, run index 1 (`.workflow_runs[1]`): run has no `id` (REST) or `databaseId` (gh). \
             Fix: include the run id, e.g. add `databaseId` to `gh run list --json`"
        );
    }

    #[test]
    fn wrong_type_names_run_index_and_field() {
        let error = parse_err(r#"[{"id": 1}, {"id": 2}, {"id": "abc"}]"#);
        assert!(matches!(&error, RunsError::WrongType { at, field: "id", .. } if at.index == 2));
        assert_eq!(
            error.to_string(),
            "document 1, run index 2 (`.[2]`): field `id` must be a non-negative integer, found string \"abc\". \
             Fix: correct the value, or remove the field or set it to null"
        );
        let error = parse_err(r#"[{"databaseId": 1, "createdAt": 5}]"#);
        assert!(
            matches!(&error, RunsError::WrongType { field: "createdAt", found, .. } if found == "number 5")
        );
    }

    #[test]
    fn wrong_types_of_various_fields_are_reported() {
        let cases = [
            (r#"{"id": -1}"#, "id", "number -1"),
            (r#"{"id": 1.5}"#, "id", "number 1.5"),
            (r#"{"id": 1, "name": {"x": 1}}"#, "name", "an object"),
            (
                r#"{"id": 1, "head_branch": ["main"]}"#,
                "head_branch",
                "an array",
            ),
            (
                r#"{"id": 1, "run_number": true}"#,
                "run_number",
                "boolean true",
            ),
            (
                r#"{"id": 1, "actor": "octocat"}"#,
                "actor",
                "string \"octocat\"",
            ),
            (
                r#"{"id": 1, "actor": {"login": 7}}"#,
                "actor.login",
                "number 7",
            ),
        ];
        for (run, field, found) in cases {
            let error = parse_err(&format!("[{run}]"));
            let RunsError::WrongType {
                field: got_field,
                found: got_found,
                ..
            } = &error
            else {
                panic!("{run}: unexpected {error:?}");
            };
            assert_eq!((*got_field, got_found.as_str()), (field, found), "{run}");
        }
    }

    #[test]
    fn bad_timestamp_names_run_index_and_field() {
        let text = r#"{"workflow_runs": [{"id": 1, "created_at": "2026-11-03T10:00:00Z"},
            {"id": 2, "updated_at": "yesterday"}]}"#;
        let error = parse_err(text);
        let RunsError::BadTimestamp {
            at, field, value, ..
        } = &error
        else {
            panic!("{error:?}")
        };
        assert_eq!(
            (at.index, *field, value.as_str()),
            (1, "updated_at", "yesterday")
        );
        let message = error.to_string();
        assert!(
            message
                .starts_with("document 1, run index 1 (`.workflow_runs[1]`): field `updated_at`"),
            "{message}"
        );
        assert!(message.contains("2020-05-21T08:08:03Z"), "{message}");
    }

    #[test]
    fn errors_name_the_document() {
        let text = "{\"workflow_runs\": [{\"id\": 1}]}\n{\"workflow_runs\": [{\"id\": 2}, {\"id\": false}]}";
        let error = parse_err(text);
        assert!(
            matches!(&error, RunsError::WrongType { at, .. } if at.document == 2 && at.index == 1)
        );
    }

    #[test]
    fn invalid_json_reports_line_and_column() {
        let error = parse_err("[{\"id\": 1},\n {\"id\": 2,, }]");
        let RunsError::Json {
            document,
            line,
            column,
            ..
        } = &error
        else {
            panic!("{error:?}")
        };
        assert_eq!((*document, *line, *column), (1, 2, 11));
        assert!(
            error.to_string().contains("at line 2, column 11"),
            "{error}"
        );
    }

    #[test]
    fn garbage_input_is_an_error() {
        for text in [
            "hello",
            "<html><body>404</body></html>",
            "{\"id\": 1} trailing words",
            "\u{0}\u{1}",
        ] {
            assert!(
                matches!(parse_err(text), RunsError::Json { .. }),
                "{text:?}"
            );
        }
        assert!(parse_runs(&[0xff, 0xfe, 0x00]).is_err());
    }

    #[test]
    fn syntax_error_in_second_document_names_it() {
        let error = parse_err("{\"workflow_runs\": []}\n{\"workflow_runs\": [}");
        assert!(
            matches!(
                error,
                RunsError::Json {
                    document: 2,
                    line: 2,
                    ..
                }
            ),
            "{error:?}"
        );
    }

    #[test]
    fn the_window_keeps_only_the_newest_runs_of_the_branch() {
        let runs: Vec<String> = (1..=200)
            .map(|i| {
                let branch = if i % 2 == 0 { "\"main\"" } else { "\"dev\"" };
                let branch = if i == 7 { "null" } else { branch };
                format!(
                    r#"{{"id": {i}, "head_branch": {branch}, "conclusion": "success", "created_at": "2026-01-01T00:{:02}:{:02}Z"}}"#,
                    i / 60,
                    i % 60
                )
            })
            .collect();
        let text = format!(
            "\u{feff}{{\"total_count\": 200, \"workflow_runs\": [{}]}}",
            runs.join(",")
        );
        let window = parse_runs_window(text.as_bytes(), "main", 5).unwrap();
        assert_eq!(window.read, 200);
        assert_eq!(window.unbranched, 1);
        let ids: Vec<u64> = window.runs.iter().map(|r| r.id).collect();
        assert_eq!(ids, [200, 198, 196, 194, 192]);
        let all = parse_runs(text.as_bytes()).unwrap();
        assert_eq!(all.runs.len(), 200);
        assert_eq!(
            crate::core::ci::ci_health(&all.runs, "main", 5),
            crate::core::ci::ci_health(&window.runs, "main", 5)
        );
        let err = parse_runs_window(&b"[{\"id\": 1}, 42]"[..], "main", 5).unwrap_err();
        assert!(matches!(err, RunsError::RunNotObject { .. }), "{err:?}");
        assert!(matches!(
            parse_runs_window(&b" \n"[..], "main", 5),
            Err(RunsError::Empty)
        ));
    }

    #[test]
    fn truncated_input_suggests_refetching() {
        let error = parse_err(r#"{"total_count": 1, "workflow_runs": [{"id": 1"#);
        assert!(matches!(error, RunsError::Json { .. }));
        assert!(error.to_string().contains("truncated"), "{error}");
    }

    #[test]
    fn documents_that_are_not_runs_are_errors() {
        for text in [
            "42",
            "\"runs\"",
            "null",
            "true",
            r#"{"message": "Not Found"}"#,
        ] {
            assert!(
                matches!(parse_err(text), RunsError::NotRuns { document: 1, .. }),
                "{text}"
            );
        }
        let message = parse_err(r#"{"message": "Bad credentials"}"#).to_string();
        assert!(message.contains("without `workflow_runs`"), "{message}");
    }

    #[test]
    fn malformed_envelope_fields_are_errors() {
        let error = parse_err(r#"{"workflow_runs": {"id": 1}}"#);
        assert!(matches!(
            error,
            RunsError::BadEnvelope {
                field: "workflow_runs",
                ..
            }
        ));
        let error = parse_err(r#"{"total_count": "3", "workflow_runs": []}"#);
        assert!(matches!(
            error,
            RunsError::BadEnvelope {
                field: "total_count",
                ..
            }
        ));
    }

    #[test]
    fn non_object_run_elements_are_errors() {
        let error = parse_err(r#"[{"id": 1}, 17]"#);
        assert!(
            matches!(&error, RunsError::RunNotObject { at, found } if at.index == 1 && found == "number 17")
        );
    }

    #[test]
    fn duplicate_fields_are_json_errors() {
        let error = parse_err(r#"[{"id": 1, "id": 2}]"#);
        assert!(matches!(error, RunsError::Json { .. }), "{error:?}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let arrays = "[".repeat(100_000);
        assert!(parse_runs(arrays.as_bytes()).is_err());
        let objects = format!(
            "{}1{}",
            r#"{"workflow_runs": "#.repeat(5_000),
            "}".repeat(5_000)
        );
        assert!(parse_runs(objects.as_bytes()).is_err());
        let in_field = format!(
            r#"[{{"id": 1, "name": {}1{}}}]"#,
            "[".repeat(1_000),
            "]".repeat(1_000)
        );
        assert!(parse_runs(in_field.as_bytes()).is_err());
    }

    #[test]
    fn long_strings_are_shortened_in_messages() {
        let error = parse_err(&format!(r#"[{{"id": "{}"}}]"#, "x".repeat(500)));
        assert!(error.to_string().len() < 300, "{error}");
    }

    #[test]
    fn many_runs_parse() {
        let runs: Vec<String> = (0..10_000)
            .map(|id| format!(r#"{{"databaseId": {id}, "workflowName": "CI", "createdAt": "2026-11-03T10:00:00Z"}}"#))
            .collect();
        let file = parse(&format!("[{}]", runs.join(",")));
        assert_eq!(file.runs.len(), 10_000);
        assert_eq!(file.runs[9_999].id, 9_999);
    }

    // ---- never panics ----

    fn json_ish() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("null".to_owned()),
            any::<bool>().prop_map(|b| b.to_string()),
            any::<i64>().prop_map(|n| n.to_string()),
            any::<u64>().prop_map(|n| n.to_string()),
            any::<f64>().prop_map(|n| format!("{n:?}")),
            "[a-zA-Z0-9:. -]{0,24}".prop_map(|s| format!("{s:?}")),
            Just("\"2026-11-03T10:00:00Z\"".to_owned()),
            Just("\"\"".to_owned()),
        ];
        let keys = prop_oneof![
            Just("id"),
            Just("databaseId"),
            Just("workflow_runs"),
            Just("total_count"),
            Just("name"),
            Just("workflowName"),
            Just("path"),
            Just("created_at"),
            Just("createdAt"),
            Just("startedAt"),
            Just("conclusion"),
            Just("actor"),
            Just("login"),
            Just("url"),
            Just("html_url"),
            Just("number"),
        ];
        leaf.prop_recursive(4, 48, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6)
                    .prop_map(|items| format!("[{}]", items.join(","))),
                prop::collection::vec((keys.clone(), inner), 0..6).prop_map(|fields| {
                    let fields: Vec<String> =
                        fields.iter().map(|(k, v)| format!("{k:?}:{v}")).collect();
                    format!("{{{}}}", fields.join(","))
                }),
            ]
        })
    }

    proptest! {
        #[test]
        fn never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
            let _ = parse_runs(&bytes);
        }

        #[test]
        fn never_panics_on_json_ish_text(text in "[\\[\\]{}\":,. 0-9a-zA-Z_\\-\\\\\n]{0,200}") {
            let _ = parse_runs(text.as_bytes());
        }

        #[test]
        fn never_panics_on_run_shaped_json(docs in prop::collection::vec(json_ish(), 1..4)) {
            let text = docs.join("\n");
            if let Err(error) = parse_runs(text.as_bytes()) {
                prop_assert!(!error.to_string().is_empty());
            }
        }

        #[test]
        fn valid_gh_runs_round_trip(ids in prop::collection::vec(any::<u64>(), 0..20)) {
            let runs: Vec<String> = ids.iter().map(|id| format!(r#"{{"databaseId":{id},"conclusion":""}}"#)).collect();
            let file = parse_runs(format!("[{}]", runs.join(",")).as_bytes()).unwrap();
            let parsed: Vec<u64> = file.runs.iter().map(|run| run.id).collect();
            prop_assert_eq!(parsed, ids);
        }
    }
}
