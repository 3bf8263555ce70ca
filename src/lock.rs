//! Serialise concurrent invocations with advisory locks on directories.

use std::fs::{self, File, TryLockError};
use std::io;
use std::path::{Path, PathBuf};

/// An error while acquiring a [`DirLock`].
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// The directory could not be canonicalized (usually: it does not exist).
    #[error("cannot resolve directory {path} for locking: {source}")]
    Resolve {
        /// The directory as given.
        path: PathBuf,
        /// The underlying I/O error.
        source: io::Error,
    },
    /// The path exists but is not a directory.
    #[error("cannot lock {path}: not a directory")]
    NotADirectory {
        /// The canonical path.
        path: PathBuf,
    },
    /// Opening the directory failed.
    #[error("cannot open directory {path} for locking: {source}")]
    Open {
        /// The canonical path.
        path: PathBuf,
        /// The underlying I/O error.
        source: io::Error,
    },
    /// Taking the lock failed (for example: unsupported by the file system).
    #[error("cannot lock directory {path}: {source}")]
    Lock {
        /// The canonical path.
        path: PathBuf,
        /// The underlying I/O error.
        source: io::Error,
    },
}

/// An exclusive advisory lock on one or more directories, held while alive.
///
/// Uses [`File::lock`] (`flock` on Unix) on open handles to the directories,
/// so no lock file is left behind; the locks are released on drop or when the
/// process exits, so a killed process never leaves a stale lock.
#[derive(Debug)]
pub struct DirLock {
    /// Canonical directories, sorted and deduplicated.
    dirs: Vec<PathBuf>,
    /// The locked handles; dropping them releases the locks.
    _handles: Vec<File>,
}

impl DirLock {
    /// Lock every directory in `dirs` exclusively, blocking until possible.
    ///
    /// Directories are canonicalized, deduplicated and locked in sorted order
    /// (so overlapping runs cannot deadlock). If a lock is held elsewhere,
    /// `on_wait` is called once (with the contended directory) before
    /// blocking, so the caller can tell the user why nothing happens. An empty
    /// `dirs` yields a lock that holds nothing.
    ///
    /// # Errors
    ///
    /// A [`LockError`] if a directory cannot be resolved, is not a
    /// directory, cannot be opened, or cannot be locked (for example on a
    /// file system without `flock` support).
    pub fn acquire(dirs: &[&Path], mut on_wait: impl FnMut(&Path)) -> Result<DirLock, LockError> {
        let dirs = canonical_dirs(dirs)?;
        let mut handles = Vec::with_capacity(dirs.len());
        let mut waited = false;
        for dir in &dirs {
            let handle = lock_dir(dir, &mut |contended| {
                if !waited {
                    waited = true;
                    on_wait(contended);
                }
            })?;
            handles.push(handle);
        }
        Ok(DirLock {
            dirs,
            _handles: handles,
        })
    }

    /// The canonical directories held, sorted.
    #[must_use]
    pub fn dirs(&self) -> &[PathBuf] {
        &self.dirs
    }
}

/// Canonicalize, sort and deduplicate `dirs`.
fn canonical_dirs(dirs: &[&Path]) -> Result<Vec<PathBuf>, LockError> {
    let mut canonical = dirs
        .iter()
        .map(|dir| {
            fs::canonicalize(dir).map_err(|source| LockError::Resolve {
                path: dir.to_path_buf(),
                source,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    canonical.sort();
    canonical.dedup();
    Ok(canonical)
}

/// Open `dir` and lock it, calling `on_wait` first if that has to block.
fn lock_dir(dir: &Path, on_wait: &mut dyn FnMut(&Path)) -> Result<File, LockError> {
    let handle = File::open(dir).map_err(|source| LockError::Open {
        path: dir.to_path_buf(),
        source,
    })?;
    let is_dir = handle
        .metadata()
        .map_err(|source| LockError::Open {
            path: dir.to_path_buf(),
            source,
        })?
        .is_dir();
    if !is_dir {
        return Err(LockError::NotADirectory {
            path: dir.to_path_buf(),
        });
    }
    let lock_error = |source| LockError::Lock {
        path: dir.to_path_buf(),
        source,
    };
    match handle.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            on_wait(dir);
            handle.lock().map_err(lock_error)?;
        }
        Err(TryLockError::Error(source)) => return Err(lock_error(source)),
    }
    Ok(handle)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    const TIMEOUT: Duration = Duration::from_secs(20);

    #[test]
    fn uncontended_acquire_does_not_wait() {
        let dir = tempfile::tempdir().unwrap();
        let mut waits = 0;
        let lock = DirLock::acquire(&[dir.path()], |_| waits += 1).unwrap();
        assert_eq!(waits, 0);
        assert_eq!(lock.dirs(), [fs::canonicalize(dir.path()).unwrap()]);
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            0,
            "no lock file left"
        );
    }

    #[test]
    fn duplicates_are_locked_once() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sub");
        fs::create_dir(&sub).unwrap();
        let dotted = sub.join("..");
        let paths = [dir.path(), sub.as_path(), dotted.as_path(), dir.path()];
        let lock = DirLock::acquire(&paths, |_| panic!("must not wait on itself")).unwrap();
        let mut expected = vec![
            fs::canonicalize(dir.path()).unwrap(),
            fs::canonicalize(&sub).unwrap(),
        ];
        expected.sort();
        assert_eq!(lock.dirs(), expected.as_slice());
    }

    #[test]
    fn second_acquire_waits_until_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_path_buf();
        let first = DirLock::acquire(&[&path], |_| {}).unwrap();
        let (tx, rx) = mpsc::channel();
        let thread_path = path.clone();
        let waiter = std::thread::spawn(move || {
            let wait_tx = tx.clone();
            let mut waits = 0;
            let lock = DirLock::acquire(&[&thread_path], |contended| {
                waits += 1;
                wait_tx
                    .send(format!("waiting on {}", contended.display()))
                    .unwrap();
            })
            .unwrap();
            tx.send("acquired".to_owned()).unwrap();
            drop(lock);
            waits
        });
        let message = rx.recv_timeout(TIMEOUT).unwrap();
        assert!(message.starts_with("waiting on"), "{message}");
        std::thread::sleep(Duration::from_millis(100));
        assert!(
            rx.try_recv().is_err(),
            "second lock acquired while first held"
        );
        drop(first);
        assert_eq!(rx.recv_timeout(TIMEOUT).unwrap(), "acquired");
        assert_eq!(waiter.join().unwrap(), 1);
    }

    #[test]
    fn on_wait_is_called_once_for_several_contended_dirs() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let paths = [a.path().to_path_buf(), b.path().to_path_buf()];
        let first = DirLock::acquire(&[&paths[0], &paths[1]], |_| {}).unwrap();
        let (tx, rx) = mpsc::channel();
        let thread_paths = paths.clone();
        let waiter = std::thread::spawn(move || {
            let mut waits = 0;
            let lock = DirLock::acquire(&[&thread_paths[0], &thread_paths[1]], |_| {
                waits += 1;
                tx.send(()).unwrap();
            })
            .unwrap();
            drop(lock);
            waits
        });
        rx.recv_timeout(TIMEOUT).unwrap();
        drop(first);
        assert_eq!(waiter.join().unwrap(), 1);
    }

    #[test]
    fn missing_directory_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing");
        let err = DirLock::acquire(&[&missing], |_| {}).unwrap_err();
        assert!(matches!(err, LockError::Resolve { .. }), "{err:?}");
        assert!(err.to_string().contains("missing"), "{err}");
    }

    #[test]
    fn file_is_not_a_directory() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file.md");
        fs::write(&file, b"x").unwrap();
        let err = DirLock::acquire(&[&file], |_| {}).unwrap_err();
        assert!(matches!(err, LockError::NotADirectory { .. }), "{err:?}");
        assert!(err.to_string().ends_with("not a directory"), "{err}");
    }

    #[test]
    fn empty_list_holds_nothing() {
        let lock = DirLock::acquire(&[], |_| {}).unwrap();
        assert!(lock.dirs().is_empty());
    }
}
