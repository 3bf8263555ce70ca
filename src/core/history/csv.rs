//! The history as CSV (pure): the seed's `export_csv` columns first, then
//! every other key the entries have, one row per entry.
//!
//! Cells: strings as they are, numbers as written in the JSON file (`87.5`,
//! `3`, `-2.0`), booleans as `true`/`false`, `null` and missing keys empty,
//! objects and arrays (such as `categories`) as compact JSON. Records end
//! with `\n`; fields are quoted only when they need it (RFC 4180 quoting).

use std::collections::HashSet;
use std::fmt::Write as _;

use serde_json::Value;

use crate::core::history::trend::Entry;

pub use super::entry::SEED_COLUMNS;

/// The header: [`SEED_COLUMNS`], then the other keys in order of first
/// appearance (oldest entry first, each entry's own key order).
#[must_use]
pub fn columns(entries: &[Entry]) -> Vec<&str> {
    let mut seen: HashSet<&str> = SEED_COLUMNS.into_iter().collect();
    let mut columns = SEED_COLUMNS.to_vec();
    for key in entries.iter().flat_map(|entry| entry.keys()) {
        if seen.insert(key) {
            columns.push(key);
        }
    }
    columns
}

/// One cell's text (see the module docs).
#[must_use]
pub fn cell(value: Option<&Value>) -> String {
    let mut text = String::new();
    write_cell(&mut text, value);
    text
}

/// [`cell`] into `out` (cleared first), so one buffer serves every cell.
fn write_cell(out: &mut String, value: Option<&Value>) {
    out.clear();
    match value {
        None | Some(Value::Null) => {}
        Some(Value::String(text)) => out.push_str(text),
        Some(Value::Bool(flag)) => out.push_str(if *flag { "true" } else { "false" }),
        Some(Value::Number(number)) => {
            let _ = write!(out, "{number}");
        }
        Some(nested) => {
            let _ = write!(out, "{nested}");
        }
    }
}

/// The CSV bytes of `entries`: a header row and one row per entry.
///
/// # Errors
///
/// Only if the CSV writer fails, which writing to memory does not.
pub fn to_csv(entries: &[Entry]) -> Result<Vec<u8>, csv::Error> {
    let columns = columns(entries);
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&columns)?;
    let mut text = String::new();
    for entry in entries {
        for key in &columns {
            write_cell(&mut text, entry.get(*key));
            writer.write_field(&text)?;
        }
        writer.write_record(None::<&[u8]>)?;
    }
    writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entries(value: Value) -> Vec<Entry> {
        serde_json::from_value(value).unwrap()
    }

    fn read(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
        let mut reader = csv::Reader::from_reader(bytes);
        let header = reader.headers().unwrap().iter().map(String::from).collect();
        let rows = reader
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        (header, rows)
    }

    #[test]
    fn seed_entries_give_the_seed_columns_then_extras() {
        let list = entries(json!([{
            "timestamp": "2024-12-15T09:00:00", "score": 87.5, "status": "minor_blockers",
            "core_score": 87.5, "optional_score": 87.5, "deployment_score": 75.0,
            "signoff_score": 78.6, "blockers_count": 3, "ci_adjustment": -2.0
        }]));
        let text = String::from_utf8(to_csv(&list).unwrap()).unwrap();
        assert_eq!(
            text,
            "timestamp,score,status,core_score,optional_score,deployment_score,signoff_score,blockers_count,ci_adjustment\n\
             2024-12-15T09:00:00,87.5,minor_blockers,87.5,87.5,75.0,78.6,3,-2.0\n"
        );
    }

    #[test]
    fn empty_history_is_just_the_header() {
        let text = String::from_utf8(to_csv(&[]).unwrap()).unwrap();
        assert_eq!(text, format!("{}\n", SEED_COLUMNS.join(",")));
    }

    #[test]
    fn round_trip_keeps_every_value() {
        let list = entries(json!([
            {"timestamp": "2026-11-24T09:00:00Z", "score": 84.11, "status": "in_progress",
             "core_score": 87.5, "optional_score": null, "deployment_score": 75,
             "signoff_score": 78.57, "blockers_count": 1,
             "categories": {"Core Gates": 87.5, "Docs, \"v2\"": null}, "ci_success_rate": 75.0},
            {"score": "n/a", "note": "line one\nline \"two\", with comma", "flag": true},
            {}
        ]));
        let bytes = to_csv(&list).unwrap();
        let (header, rows) = read(&bytes);
        assert_eq!(header, columns(&list));
        assert_eq!(
            &header[8..],
            ["categories", "ci_success_rate", "note", "flag"]
        );
        assert_eq!(rows.len(), list.len());
        for (entry, row) in list.iter().zip(&rows) {
            for (key, text) in header.iter().zip(row) {
                match entry.get(key) {
                    None | Some(Value::Null) => assert_eq!(text, ""),
                    Some(Value::String(s)) => assert_eq!(text, s),
                    Some(other) => {
                        let back: Value = serde_json::from_str(text).unwrap();
                        assert_eq!(&back, other, "column {key}");
                    }
                }
            }
        }
        assert!(rows[2].iter().all(String::is_empty));
        assert_eq!(rows[0][8], r#"{"Core Gates":87.5,"Docs, \"v2\"":null}"#);
    }
}
