//! Arbitrary bytes as a history file: no panic; an append keeps every
//! existing entry (same keys, same order) and adds exactly one; streaming
//! the bytes (as an update does) splices exactly what the held parse does.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use release_dashboard::core::history::{History, NewEntry};

fuzz_target!(|data: &[u8]| {
    let path = Path::new("h.json");
    let Ok(history) = History::parse(data, path) else { return };
    let entry = NewEntry {
        timestamp: "2026-11-24T09:00:00Z".into(),
        score: 84.11,
        status: "in_progress".into(),
        core_score: Some(87.5),
        optional_score: None,
        deployment_score: None,
        signoff_score: None,
        blockers_count: 1,
        categories: serde_json::Map::new(),
        ci_success_rate: None,
    };
    let len = data.len() as u64;
    let window = data.len().min(usize::from(data.first().copied().unwrap_or(0)));
    let end = &data[data.len() - window..];
    if let Ok(Some(streamed)) = History::read_streamed(data, len, end, usize::MAX) {
        assert_eq!(streamed.entries(), history.entries());
        assert_eq!(streamed.append(&entry), history.append(&entry));
    }
    if let Some(bytes) = history.appended(&entry) {
        let again = History::parse(&bytes, path).expect("an appended history parses again");
        assert_eq!(again.entries().len(), history.entries().len() + 1);
        assert_eq!(&again.entries()[..history.entries().len()], history.entries());
    }
});
