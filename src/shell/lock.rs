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
///
/// While held, a small holder record per directory (process id and start
/// time) is kept in a private directory under the temporary directory and
/// removed on drop. A record found by the next holder means the previous
/// one died holding the lock (killed, or out of memory):
/// [`DirLock::stale_holder`] describes it, so the caller can say that the
/// lock was recovered.
#[derive(Debug)]
pub struct DirLock {
    /// Canonical directories, sorted and deduplicated.
    dirs: Vec<PathBuf>,
    /// The locked handles; dropping them releases the locks.
    _handles: Vec<File>,
    /// This holder's records (one per directory) that could be written.
    records: Vec<PathBuf>,
    /// A record a dead holder left, as written.
    stale: Option<String>,
    /// Registers the records for removal on Ctrl-C.
    _interruptible: Vec<crate::shell::interrupt::TempGuard>,
}

impl Drop for DirLock {
    fn drop(&mut self) {
        for record in &self.records {
            let _ = fs::remove_file(record);
        }
    }
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
        let (records, stale, interruptible) = take_over_records(&dirs);
        Ok(DirLock {
            dirs,
            _handles: handles,
            records,
            stale,
            _interruptible: interruptible,
        })
    }

    /// The previous holder, when it died holding the lock: its record
    /// (`pid N, started T`).
    #[must_use]
    pub fn stale_holder(&self) -> Option<&str> {
        self.stale.as_deref()
    }

    /// The canonical directories held, sorted.
    #[must_use]
    pub fn dirs(&self) -> &[PathBuf] {
        &self.dirs
    }
}

/// Read what a dead holder of `dirs` left, and write this holder's records
/// instead: (records written, a dead holder's record, their Ctrl-C guards).
/// Best effort: without a private record directory there are no records.
fn take_over_records(
    dirs: &[PathBuf],
) -> (
    Vec<PathBuf>,
    Option<String>,
    Vec<crate::shell::interrupt::TempGuard>,
) {
    let Ok(record_dir) = private_record_dir() else {
        return (Vec::new(), None, Vec::new());
    };
    let paths: Vec<PathBuf> = dirs
        .iter()
        .map(|dir| holder_record_path(&record_dir, dir))
        .collect();
    let stale = paths
        .iter()
        .find_map(|path| fs::read_to_string(path).ok())
        .map(|text| text.trim().to_string());
    let (records, guards) = paths
        .into_iter()
        .filter_map(|path| {
            crate::shell::interrupt::create_guarded(
                || write_holder_record(&path),
                |()| path.clone(),
            )
            .ok()
            .map(|((), guard)| (path, guard))
        })
        .unzip();
    (records, stale, guards)
}

/// Where holder records live, `$TMPDIR/release-dashboard-<uid>`: created
/// if needed, and checked to be a real directory that only this user can
/// write (in a shared `/tmp`, anyone could have created the name first,
/// or made it a symbolic link).
fn private_record_dir() -> io::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("release-dashboard-{}", user_id()));
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    match builder.create(&dir) {
        Ok(()) => {}
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {}
        Err(err) => return Err(err),
    }
    let meta = fs::symlink_metadata(&dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
        let mine = fs::metadata("/proc/self").map_or(true, |me| me.uid() == meta.uid());
        if !mine || meta.permissions().mode() & 0o022 != 0 {
            return Err(io::Error::other("the record directory is not private"));
        }
    }
    if !meta.is_dir() {
        return Err(io::Error::other("the record directory is not a directory"));
    }
    Ok(dir)
}

/// The holder record for the canonical directory `dir`: one per user and
/// directory, in `record_dir` (see [`private_record_dir`]; so nothing
/// appears in the user's repository).
fn holder_record_path(record_dir: &Path, dir: &Path) -> PathBuf {
    // FNV-1a: stable across builds, unlike the standard library's hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in dir.as_os_str().as_encoded_bytes() {
        hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
    }
    record_dir.join(format!("{hash:016x}.holder"))
}

/// The user's id (Unix), so users sharing `/tmp` keep separate records.
fn user_id() -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        if let Ok(meta) = fs::metadata("/proc/self") {
            return meta.uid().to_string();
        }
    }
    std::env::var("USER").unwrap_or_else(|_| "user".into())
}

/// Write `pid N, started T` to `path`.
fn write_holder_record(path: &Path) -> io::Result<()> {
    let started = jiff::Timestamp::now().strftime("%Y-%m-%d %H:%M:%S UTC");
    fs::write(
        path,
        format!("pid {}, started {started}\n", std::process::id()),
    )
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
    fn a_record_left_by_a_dead_holder_is_reported_once() {
        let dir = tempfile::tempdir().unwrap();
        let record = holder_record_path(
            &private_record_dir().unwrap(),
            &fs::canonicalize(dir.path()).unwrap(),
        );
        // What a holder killed with SIGKILL leaves: its record.
        fs::write(&record, "pid 1, started 2026-11-24 09:00:00 UTC\n").unwrap();
        let lock = DirLock::acquire(&[dir.path()], |_| {}).unwrap();
        assert_eq!(
            lock.stale_holder(),
            Some("pid 1, started 2026-11-24 09:00:00 UTC")
        );
        let mine = fs::read_to_string(&record).unwrap();
        assert!(
            mine.starts_with(&format!("pid {}, started ", std::process::id())),
            "{mine}"
        );
        drop(lock);
        let again = DirLock::acquire(&[dir.path()], |_| {}).unwrap();
        assert_eq!(again.stale_holder(), None);
    }

    #[test]
    fn a_clean_release_removes_the_record() {
        let dir = tempfile::tempdir().unwrap();
        let lock = DirLock::acquire(&[dir.path()], |_| {}).unwrap();
        let record = lock.records[0].clone();
        assert!(record.exists());
        drop(lock);
        assert!(!record.exists());
        let again = DirLock::acquire(&[dir.path()], |_| {}).unwrap();
        assert_eq!(again.stale_holder(), None);
    }

    #[test]
    fn empty_list_holds_nothing() {
        let lock = DirLock::acquire(&[], |_| {}).unwrap();
        assert!(lock.dirs().is_empty());
    }
}
