//! Reading the history file: the one loader, for updates, `history`,
//! `report` and the library's [`crate::analytics::load`].

use std::io::{Read, Seek as _, SeekFrom};
use std::path::Path;

use crate::core::history::{Append, History, HistoryError};
use crate::shell::input::{InputError, STREAMED_MIB, open_regular, read_regular};

/// The history file's bytes (empty when absent) and its parsed entries;
/// messages name the file as `shown`.
///
/// # Errors
///
/// [`HistoryError::Read`] if the file exists but cannot be read, or any
/// error of [`History::parse`].
pub fn read(path: &Path, shown: &Path) -> Result<(Vec<u8>, History), HistoryError> {
    match read_bytes(path, shown)? {
        Some(bytes) => {
            let history = History::parse(&bytes, shown)?;
            Ok((bytes, history))
        }
        None => Ok((Vec::new(), History::default())),
    }
}

/// How much of the file's end is read to find where a new entry goes
/// (only whitespace and `]` follow the last element).
const END_WINDOW: u64 = 64 * 1024;

/// [`read`] for an update: the file is streamed once, keeping only the
/// newest `keep` entries and never its text ([`History::read_streamed`]),
/// so memory does not grow with the file. A file that is not a plain
/// array of objects (or is blank) is read whole instead, which words the
/// error (or is small).
///
/// # Errors
///
/// As [`read`].
pub fn read_tail(path: &Path, shown: &Path, keep: usize) -> Result<History, HistoryError> {
    let io_error = |source: std::io::Error| HistoryError::Read {
        path: shown.to_path_buf(),
        source,
    };
    let (mut file, len) = match open_regular(path, STREAMED_MIB) {
        Ok(opened) => opened,
        Err(InputError::NotFound) => return Ok(History::default()),
        Err(e) => return Err(unusable(e, shown)),
    };
    let window = len.min(END_WINDOW);
    let mut end = vec![0; usize::try_from(window).unwrap_or(0)];
    file.seek(SeekFrom::Start(len - window)).map_err(io_error)?;
    file.read_exact(&mut end).map_err(io_error)?;
    file.seek(SeekFrom::Start(0)).map_err(io_error)?;
    let streamed = History::read_streamed((&file).take(len), len, &end, keep).map_err(io_error)?;
    match streamed {
        Some(history) => Ok(history),
        None => match read_bytes(path, shown)? {
            Some(bytes) => History::parse_tail_owned(bytes, shown, keep),
            None => Ok(History::default()),
        },
    }
}

/// The file at `path` without the bytes in `cut`: what a history held
/// before this run inserted its entry there, for git, without holding it.
///
/// # Errors
///
/// Opening or seeking the file.
pub fn without(path: &Path, cut: std::ops::Range<u64>) -> std::io::Result<impl Read> {
    let head = std::fs::File::open(path)?;
    let mut rest = std::fs::File::open(path)?;
    rest.seek(SeekFrom::Start(cut.end))?;
    Ok(head.take(cut.start).chain(rest))
}

/// The end of the file at `path` from about `radius` bytes before `at`
/// (from a line start when one is that close), for showing a splice at
/// `at`: the number of lines before the window, its bytes, and where `at`
/// falls in them. Memory is the window's, whatever the file's size.
///
/// # Errors
///
/// Reading the file.
pub fn window(path: &Path, at: u64, radius: u64) -> std::io::Result<(usize, Vec<u8>, usize)> {
    let mut file = std::fs::File::open(path)?;
    let mut start = at.saturating_sub(radius);
    let mut bytes = Vec::new();
    file.seek(SeekFrom::Start(start))?;
    (&file).take(END_WINDOW + radius).read_to_end(&mut bytes)?;
    let mut cut = 0;
    if start > 0 {
        let before = usize::try_from(at - start).unwrap_or(0).min(bytes.len());
        if let Some(nl) = bytes[..before].iter().position(|&b| b == b'\n') {
            cut = nl + 1;
        }
    }
    bytes.drain(..cut);
    start += cut as u64;
    let mut lines = 0;
    let mut buf = vec![0; 64 * 1024];
    let mut head = std::fs::File::open(path)?.take(start);
    loop {
        match head.read(&mut buf)? {
            0 => break,
            n => lines += buf[..n].iter().filter(|&&b| b == b'\n').count(),
        }
    }
    let at_in_window = usize::try_from(at - start).unwrap_or(0).min(bytes.len());
    Ok((lines, bytes, at_in_window))
}

/// The file at `path` with `append` spliced in, as a stream (what a
/// history read from elsewhere becomes, for git, without holding it).
///
/// # Errors
///
/// Opening or seeking the file.
pub fn spliced(path: &Path, append: &Append) -> std::io::Result<impl Read> {
    let head = std::fs::File::open(path)?;
    let mut rest = std::fs::File::open(path)?;
    rest.seek(SeekFrom::Start(append.tail.start))?;
    Ok(head
        .take(append.head)
        .chain(std::io::Cursor::new(append.insert.clone()))
        .chain(rest.take(append.tail.end - append.tail.start)))
}

fn unusable(error: InputError, shown: &Path) -> HistoryError {
    match error {
        InputError::Io(source) => HistoryError::Read {
            path: shown.to_path_buf(),
            source,
        },
        unusable => HistoryError::Unusable {
            path: shown.to_path_buf(),
            message: format!("{unusable} (--history PATH)"),
        },
    }
}

/// The file's bytes, `None` when it does not exist.
fn read_bytes(path: &Path, shown: &Path) -> Result<Option<Vec<u8>>, HistoryError> {
    match read_regular(path, STREAMED_MIB) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(InputError::NotFound) => Ok(None),
        Err(e) => Err(unusable(e, shown)),
    }
}

/// Read the history file; a missing file is an empty history. No locking is
/// done here; the caller holds a `DirLock`.
///
/// # Errors
///
/// As [`read`].
pub fn load(path: &Path) -> Result<History, HistoryError> {
    read(path, path).map(|(_, history)| history)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::fmt::Write as _;
    use std::fs;

    const SEED: &str = "[{\"timestamp\": \"2024-12-15T09:00:00\", \"score\": 80.0}]\n";

    #[test]
    fn load_reads_files() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("readiness.json");
        fs::write(&file, SEED).unwrap();
        assert_eq!(load(&file).unwrap().entries().len(), 1);
        let err = load(dir.path()).unwrap_err();
        assert!(matches!(err, HistoryError::Unusable { .. }), "{err:?}");
        assert!(err.to_string().contains("is a directory"), "{err}");
    }

    #[test]
    fn a_missing_file_is_an_empty_history() {
        let dir = tempfile::tempdir().unwrap();
        let (bytes, history) = read(&dir.path().join("none.json"), Path::new("none.json")).unwrap();
        assert!(bytes.is_empty() && history.entries().is_empty());
        assert_eq!(
            load(&dir.path().join("none.json")).unwrap().entries().len(),
            0
        );
    }

    fn new_entry() -> crate::core::history::NewEntry {
        crate::core::history::NewEntry {
            timestamp: "2026-12-07T09:00:00Z".into(),
            score: 91.0,
            status: "ready".into(),
            core_score: Some(95.5),
            optional_score: None,
            deployment_score: None,
            signoff_score: None,
            blockers_count: 0,
            categories: serde_json::Map::new(),
            ci_success_rate: None,
        }
    }

    /// An update streams the file and splices by copying; the result is
    /// byte for byte what the held append gives, and git sees the old
    /// content as the new file without the splice.
    #[test]
    fn a_streamed_append_copies_the_file_and_matches_the_held_one() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("readiness.json");
        let mut text = String::from("\u{feff}[\r\n");
        for i in 0..5000 {
            let _ = write!(
                text,
                "  {{\r\n    \"timestamp\": \"2026-01-01T00:00:{:02}Z\",\r\n    \"score\": {i}.5\r\n  }},\r\n",
                i % 60
            );
        }
        text.push_str("  {\"score\": 1}\r\n]\r\n");
        fs::write(&file, &text).unwrap();
        let streamed = read_tail(&file, Path::new("readiness.json"), 10).unwrap();
        assert!(!streamed.is_held());
        assert_eq!(streamed.entries().len(), 10);
        let append = streamed.append(&new_entry()).unwrap();
        let expected = History::parse(text.as_bytes(), Path::new("r"))
            .unwrap()
            .appended(&new_entry())
            .unwrap();
        // What a dry run shows: whole lines around the splice point.
        let (lines, shown, at) = window(&file, append.head, 200).unwrap();
        assert!(shown.len() <= 200, "{}", shown.len());
        assert_eq!(shown[at..], b"\r\n]\r\n"[..]);
        let start = text.len() - shown.len();
        assert_eq!(text.as_bytes()[start - 1], b'\n');
        assert_eq!(lines, text[..start].matches('\n').count());

        crate::shell::atomic::stage_spliced(&file, &append)
            .unwrap()
            .commit()
            .unwrap();
        assert_eq!(fs::read(&file).unwrap(), expected);

        let cut = append.head..append.head + append.insert.len() as u64;
        let mut before = Vec::new();
        without(&file, cut)
            .unwrap()
            .read_to_end(&mut before)
            .unwrap();
        assert_eq!(before, text.as_bytes());

        // The file changed since it was read: nothing is written.
        let err = crate::shell::atomic::stage_spliced(&file, &append).unwrap_err();
        assert!(
            err.to_string().contains("changed while the update ran"),
            "{err}"
        );
    }

    /// Trailing whitespace longer than the end window, or a blank file:
    /// read whole instead, same result.
    #[test]
    fn an_end_the_window_misses_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("readiness.json");
        let text = format!("[{{\"score\": 1}}]{}", " ".repeat(70 * 1024));
        fs::write(&file, &text).unwrap();
        let history = read_tail(&file, Path::new("r"), 10).unwrap();
        assert!(history.is_held());
        assert_eq!(history.entries().len(), 1);
        fs::write(&file, "  \n").unwrap();
        assert!(read_tail(&file, Path::new("r"), 10).unwrap().is_held());
        fs::write(&file, "[1]").unwrap();
        let err = read_tail(&file, Path::new("r"), 10).unwrap_err();
        assert!(matches!(err, HistoryError::NotObject { .. }), "{err:?}");
    }
}
