//! Reading the history file: the one loader, for updates, `history`,
//! `report` and the library's [`crate::analytics::load`].

use std::path::Path;

use crate::core::history::{History, HistoryError};
use crate::shell::input::{InputError, STREAMED_MIB, read_regular};

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

/// [`read`] keeping only the newest `keep` entries in memory (see
/// [`History::parse_tail_owned`]), for an update; the file's bytes are
/// held once, as the history's text ([`History::into_source`]).
///
/// # Errors
///
/// As [`read`].
pub fn read_tail(path: &Path, shown: &Path, keep: usize) -> Result<History, HistoryError> {
    match read_bytes(path, shown)? {
        Some(bytes) => History::parse_tail_owned(bytes, shown, keep),
        None => Ok(History::default()),
    }
}

/// The file's bytes, `None` when it does not exist.
fn read_bytes(path: &Path, shown: &Path) -> Result<Option<Vec<u8>>, HistoryError> {
    match read_regular(path, STREAMED_MIB) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(InputError::NotFound) => Ok(None),
        Err(InputError::Io(source)) => Err(HistoryError::Read {
            path: shown.to_path_buf(),
            source,
        }),
        Err(unusable) => Err(HistoryError::Unusable {
            path: shown.to_path_buf(),
            message: format!("{unusable} (--history PATH)"),
        }),
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
}
