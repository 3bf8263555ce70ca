//! Atomic file replacement: a user's file is either fully the old content or
//! fully the new content, never torn, and never lost on error.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// How many symbolic links are followed before giving up (same as Linux's `MAXSYMLINKS`).
const MAX_SYMLINK_HOPS: usize = 40;

/// Random characters in a temporary file's name.
const TEMP_RANDOM_CHARS: usize = 6;

/// An error while replacing a file atomically. The original file is untouched.
#[derive(Debug, thiserror::Error)]
pub enum AtomicError {
    /// Reading a symbolic link (or its metadata) failed.
    #[error("cannot resolve symbolic link {path}: {source}")]
    ResolveLink {
        /// The link (or link-chain member) that could not be read.
        path: PathBuf,
        /// The underlying I/O error.
        source: io::Error,
    },
    /// The symbolic link chain is too long or loops.
    #[error("cannot resolve symbolic link {path}: too many levels of symbolic links")]
    SymlinkLoop {
        /// The path whose resolution was abandoned.
        path: PathBuf,
    },
    /// The parent directory is missing and `create_dirs` was false.
    #[error("cannot write {path}: directory {dir} does not exist")]
    MissingDir {
        /// The file that was to be written.
        path: PathBuf,
        /// The missing directory.
        dir: PathBuf,
    },
    /// Creating the parent directories failed.
    #[error("cannot create directory {dir}: {source}")]
    CreateDir {
        /// The directory that could not be created.
        dir: PathBuf,
        /// The underlying I/O error.
        source: io::Error,
    },
    /// The existing file may not be written (for example: it is read-only).
    #[error("cannot write {path}: {source}")]
    NotWritable {
        /// The existing file.
        path: PathBuf,
        /// The underlying I/O error.
        source: io::Error,
    },
    /// Creating the temporary file failed.
    #[error("cannot create temporary file in {dir}: {source}")]
    CreateTemp {
        /// The directory the temporary file was to be created in.
        dir: PathBuf,
        /// The underlying I/O error.
        source: io::Error,
    },
    /// Writing the new contents to the temporary file failed.
    #[error("cannot write new contents for {path}: {source}")]
    Write {
        /// The file that was to be replaced.
        path: PathBuf,
        /// The underlying I/O error.
        source: io::Error,
    },
    /// Reading the existing file's permissions failed.
    #[error("cannot read permissions of {path}: {source}")]
    ReadPermissions {
        /// The existing file.
        path: PathBuf,
        /// The underlying I/O error.
        source: io::Error,
    },
    /// Copying the existing file's permissions onto the temporary file failed.
    #[error("cannot copy permissions of {path} to the temporary file: {source}")]
    SetPermissions {
        /// The existing file.
        path: PathBuf,
        /// The underlying I/O error.
        source: io::Error,
    },
    /// Flushing the temporary file to disk failed.
    #[error("cannot sync new contents for {path} to disk: {source}")]
    Sync {
        /// The file that was to be replaced.
        path: PathBuf,
        /// The underlying I/O error.
        source: io::Error,
    },
    /// The file an append copies changed since it was read.
    #[error(
        "{path} changed while the update ran (another program wrote it); nothing was written, run again"
    )]
    Changed {
        /// The file.
        path: PathBuf,
    },
    /// Renaming the temporary file over the target failed.
    #[error("cannot replace {path}: {source}")]
    Rename {
        /// The file that was to be replaced.
        path: PathBuf,
        /// The underlying I/O error.
        source: io::Error,
    },
}

impl AtomicError {
    /// What the user can do about it, when the cause is a common one.
    #[must_use]
    pub fn hint(&self) -> Option<&'static str> {
        let source = std::error::Error::source(self)?.downcast_ref::<io::Error>()?;
        match source.kind() {
            io::ErrorKind::PermissionDenied => Some(
                "the user running release-dashboard must be able to write the file and its directory",
            ),
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
                Some("free some disk space, then run again")
            }
            io::ErrorKind::ReadOnlyFilesystem => Some("the file system is mounted read-only"),
            io::ErrorKind::FileTooLarge => {
                Some("a file-size limit (ulimit -f) stopped the write; raise it, then run again")
            }
            _ => None,
        }
    }
}

/// Replace `path`'s contents with `bytes` atomically.
///
/// If `path` is a symbolic link, the chain is followed and the final target is
/// replaced (the link stays a link; a dangling link gets its target created).
/// The bytes go to a temporary file (`.<name>.XXXXXX.tmp`) in the target's
/// directory, which receives the existing file's permissions, is synced, and
/// is then renamed over the target; finally the directory is synced (best
/// effort, Unix only). On any error the temporary file is removed and the
/// original is untouched. Missing parent directories are created only when
/// `create_dirs` is true.
///
/// # Errors
///
/// An [`AtomicError`] naming the path and the failed operation.
pub fn write_atomic(path: &Path, bytes: &[u8], create_dirs: bool) -> Result<(), AtomicError> {
    stage(path, bytes, create_dirs)?.commit()
}

/// New contents for one file, written and synced to a temporary file beside
/// it but not yet in place: [`Staged::commit`] renames it over the target;
/// dropping it instead removes the temporary file and leaves the target as
/// it was. Staging every file of an update first means a full disk or a
/// permission problem stops the update before any file changes.
#[derive(Debug)]
pub struct Staged {
    target: PathBuf,
    dir: PathBuf,
    temp: tempfile::NamedTempFile,
    _interruptible: crate::shell::interrupt::TempGuard,
}

/// The first half of [`write_atomic`]: everything but the rename.
///
/// # Errors
///
/// An [`AtomicError`] naming the path and the failed operation; the target
/// is untouched and no temporary file is left.
pub fn stage(path: &Path, bytes: &[u8], create_dirs: bool) -> Result<Staged, AtomicError> {
    stage_with(path, create_dirs, |file| file.write_all(bytes))
}

/// [`stage`] for `path` with `append` spliced in: its first bytes are
/// copied, then the new bytes, then the rest, so a file of any size is
/// appended to with memory for the new bytes only. The file must still be
/// as long as when it was read (`append.tail.end`).
///
/// # Errors
///
/// As [`stage`], and [`AtomicError::Changed`] when the file's length moved.
pub fn stage_spliced(
    path: &Path,
    append: &crate::core::history::Append,
) -> Result<Staged, AtomicError> {
    use std::io::{Read as _, Seek as _, SeekFrom};
    let read_error = |source: io::Error| AtomicError::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut source = File::open(path).map_err(read_error)?;
    let len = source.metadata().map_err(read_error)?.len();
    if len != append.tail.end || append.head > len || append.tail.start > len {
        return Err(AtomicError::Changed {
            path: path.to_path_buf(),
        });
    }
    stage_with(path, false, |temp| {
        io::copy(&mut (&source).take(append.head), temp)?;
        temp.write_all(&append.insert)?;
        source.seek(SeekFrom::Start(append.tail.start))?;
        let copied = io::copy(
            &mut (&source).take(append.tail.end - append.tail.start),
            temp,
        )?;
        if copied == append.tail.end - append.tail.start {
            Ok(())
        } else {
            Err(io::Error::other("the file shrank while it was copied"))
        }
    })
}

/// [`stage`] with the content produced by `write` (which receives the
/// temporary file): for content that is streamed, not held.
///
/// # Errors
///
/// As [`stage`].
pub fn stage_from(
    path: &Path,
    create_dirs: bool,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> Result<Staged, AtomicError> {
    stage_with(path, create_dirs, write)
}

/// [`stage`] with the content produced by `write` (which receives the
/// temporary file), so tests can simulate failures mid-write.
fn stage_with(
    path: &Path,
    create_dirs: bool,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> Result<Staged, AtomicError> {
    let target = resolve_symlinks(path)?;
    let dir = parent_dir(&target);
    ensure_dir(&target, &dir, create_dirs)?;
    ensure_writable(&target)?;
    let (mut temp, interruptible) = crate::shell::interrupt::create_guarded(
        || create_temp(&target, &dir),
        |temp| temp.path().to_path_buf(),
    )?;
    write(temp.as_file_mut()).map_err(|source| AtomicError::Write {
        path: target.clone(),
        source,
    })?;
    copy_permissions(&target, temp.as_file())?;
    temp.as_file()
        .sync_all()
        .map_err(|source| AtomicError::Sync {
            path: target.clone(),
            source,
        })?;
    Ok(Staged {
        target,
        dir,
        temp,
        _interruptible: interruptible,
    })
}

impl Staged {
    /// The file this will replace (symbolic links resolved).
    #[must_use]
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Rename the temporary file over the target, then sync the directory.
    ///
    /// # Errors
    ///
    /// [`AtomicError::Rename`]; the target is untouched and the temporary
    /// file removed.
    pub fn commit(self) -> Result<(), AtomicError> {
        let Staged {
            target,
            dir,
            temp,
            _interruptible,
        } = self;
        temp.persist(&target).map_err(|err| AtomicError::Rename {
            path: target.clone(),
            source: err.error,
        })?;
        sync_dir(&dir);
        Ok(())
    }
}

/// Temporary files that a killed run left beside `path` (named as
/// [`write_atomic`] names them), removed; returns their paths.
///
/// Call it only while holding the lock that every writer of `path` takes,
/// so no live writer's temporary file is taken away. A file that cannot be
/// removed is left and not returned.
#[must_use]
pub fn remove_leftovers(path: &Path) -> Vec<PathBuf> {
    let Ok(target) = resolve_symlinks(path) else {
        return Vec::new();
    };
    let dir = parent_dir(&target);
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|candidate| {
            candidate
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| is_temp_name(n, &name))
        })
        .filter(|leftover| fs::remove_file(leftover).is_ok())
        .collect()
}

/// Whether `candidate` is `.<name>.XXXXXX.tmp`, as [`create_temp`] names files.
fn is_temp_name(candidate: &str, name: &str) -> bool {
    candidate
        .strip_prefix('.')
        .and_then(|rest| rest.strip_prefix(name))
        .and_then(|rest| rest.strip_prefix('.'))
        .and_then(|rest| rest.strip_suffix(".tmp"))
        .is_some_and(|random| {
            random.len() == TEMP_RANDOM_CHARS && random.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// Refuse to replace an existing file this process may not write to: a
/// read-only checklist is a "do not touch", even though its directory
/// would let a rename replace it.
fn ensure_writable(target: &Path) -> Result<(), AtomicError> {
    match fs::OpenOptions::new().write(true).open(target) {
        Ok(_) => Ok(()),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(AtomicError::NotWritable {
            path: target.to_path_buf(),
            source,
        }),
    }
}

/// Follow a chain of symbolic links starting at `path` and return the final
/// non-link path (which may not exist yet).
fn resolve_symlinks(path: &Path) -> Result<PathBuf, AtomicError> {
    let mut current = path.to_path_buf();
    for _ in 0..=MAX_SYMLINK_HOPS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&current).map_err(|source| AtomicError::ResolveLink {
                    path: current.clone(),
                    source,
                })?;
                current = parent_dir(&current).join(link);
            }
            Ok(_) => return Ok(current),
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(current),
            Err(source) => {
                return Err(AtomicError::ResolveLink {
                    path: current,
                    source,
                });
            }
        }
    }
    Err(AtomicError::SymlinkLoop {
        path: path.to_path_buf(),
    })
}

/// The directory containing `path` (`.` for a bare file name).
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Make sure `dir` exists, creating it only when allowed.
fn ensure_dir(target: &Path, dir: &Path, create_dirs: bool) -> Result<(), AtomicError> {
    if dir.is_dir() {
        return Ok(());
    }
    if !create_dirs {
        return Err(AtomicError::MissingDir {
            path: target.to_path_buf(),
            dir: dir.to_path_buf(),
        });
    }
    fs::create_dir_all(dir).map_err(|source| AtomicError::CreateDir {
        dir: dir.to_path_buf(),
        source,
    })
}

/// Create the temporary sibling file `.<name>.XXXXXX.tmp` in `dir`.
fn create_temp(target: &Path, dir: &Path) -> Result<tempfile::NamedTempFile, AtomicError> {
    let name = target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder
        .prefix(&prefix)
        .suffix(".tmp")
        .rand_bytes(TEMP_RANDOM_CHARS);
    // A new file gets the usual 0666 less the umask, like any other program's
    // (tempfile's own 0600 would make e.g. a published HTML report unreadable
    // to a web server); an existing file's bits are copied over afterwards.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    builder
        .tempfile_in(dir)
        .map_err(|source| AtomicError::CreateTemp {
            dir: dir.to_path_buf(),
            source,
        })
}

/// Give `temp` the permission bits of `target`, if `target` exists.
fn copy_permissions(target: &Path, temp: &File) -> Result<(), AtomicError> {
    let permissions = match fs::metadata(target) {
        Ok(meta) => meta.permissions(),
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(AtomicError::ReadPermissions {
                path: target.to_path_buf(),
                source,
            });
        }
    };
    temp.set_permissions(permissions)
        .map_err(|source| AtomicError::SetPermissions {
            path: target.to_path_buf(),
            source,
        })
}

/// Flush the directory entry of the rename to disk (best effort).
#[cfg(unix)]
fn sync_dir(dir: &Path) {
    if let Ok(handle) = File::open(dir) {
        // Best effort: the rename already happened; a failed directory sync
        // only weakens durability across a power loss.
        let _ = handle.sync_all();
    }
}

/// Directory syncing is not available on this platform.
#[cfg(not(unix))]
fn sync_dir(_dir: &Path) {}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn dir_names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn creates_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.json");
        write_atomic(&path, b"hello", false).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"hello");
        assert_eq!(dir_names(dir.path()), ["new.json"]);
    }

    #[test]
    fn replaces_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.md");
        fs::write(&path, b"old content that is longer").unwrap();
        write_atomic(&path, b"new", false).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(dir_names(dir.path()), ["f.md"]);
    }

    #[test]
    fn failing_writer_leaves_original_and_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("readiness.json");
        fs::write(&path, b"[original]").unwrap();
        let err = stage_with(&path, false, |file| {
            file.write_all(b"[partial")?;
            Err(io::Error::from(io::ErrorKind::StorageFull))
        })
        .unwrap_err();
        assert_eq!(err.hint(), Some("free some disk space, then run again"));
        assert!(matches!(err, AtomicError::Write { .. }), "{err:?}");
        assert!(err.to_string().contains("readiness.json"), "{err}");
        let source = std::error::Error::source(&err).unwrap();
        let io_error = source.downcast_ref::<io::Error>().unwrap();
        assert_eq!(io_error.kind(), io::ErrorKind::StorageFull);
        assert_eq!(fs::read(&path).unwrap(), b"[original]");
        assert_eq!(dir_names(dir.path()), ["readiness.json"]);
    }

    #[test]
    fn a_dropped_stage_leaves_the_target_and_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.md");
        fs::write(&path, b"old").unwrap();
        let staged = stage(&path, b"new", false).unwrap();
        assert_eq!(
            dir_names(dir.path()).len(),
            2,
            "the temp file exists while staged"
        );
        assert_eq!(fs::read(&path).unwrap(), b"old");
        drop(staged);
        assert_eq!(dir_names(dir.path()), ["f.md"]);
        let staged = stage(&path, b"new", false).unwrap();
        assert_eq!(staged.target(), path);
        staged.commit().unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(dir_names(dir.path()), ["f.md"]);
    }

    #[test]
    fn leftovers_of_a_killed_run_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.md");
        for name in [
            "f.md",
            ".f.md.a1B2c3.tmp",
            ".f.md.zzzzzz.tmp",
            ".f.md.short.tmp",
            ".f.md.a1B2c3.tmp.keep",
            ".g.md.a1B2c3.tmp",
            "f.md.a1B2c3.tmp",
        ] {
            fs::write(dir.path().join(name), b"x").unwrap();
        }
        let mut removed: Vec<String> = remove_leftovers(&path)
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        removed.sort();
        assert_eq!(removed, [".f.md.a1B2c3.tmp", ".f.md.zzzzzz.tmp"]);
        assert_eq!(
            dir_names(dir.path()),
            [
                ".f.md.a1B2c3.tmp.keep",
                ".f.md.short.tmp",
                ".g.md.a1B2c3.tmp",
                "f.md",
                "f.md.a1B2c3.tmp"
            ]
        );
        assert!(remove_leftovers(&dir.path().join("missing/f.md")).is_empty());
    }

    #[test]
    fn temp_names_match_what_create_temp_makes() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("readiness.json");
        let temp = create_temp(&target, dir.path()).unwrap();
        let name = temp.path().file_name().unwrap().to_str().unwrap();
        assert!(is_temp_name(name, "readiness.json"), "{name}");
    }

    #[test]
    fn missing_parent_is_an_error_without_create_dirs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/c.json");
        let err = write_atomic(&path, b"x", false).unwrap_err();
        assert!(matches!(err, AtomicError::MissingDir { .. }), "{err:?}");
        assert!(err.to_string().contains("does not exist"), "{err}");
        assert!(!dir.path().join("a").exists());
    }

    #[test]
    fn creates_parent_with_create_dirs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".cache/readiness.json");
        write_atomic(&path, b"[]\n", true).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"[]\n");
        assert_eq!(dir_names(&dir.path().join(".cache")), ["readiness.json"]);
    }

    #[test]
    fn bare_file_name_uses_current_directory() {
        assert_eq!(parent_dir(Path::new("file.md")), PathBuf::from("."));
        assert_eq!(parent_dir(Path::new("/file.md")), PathBuf::from("/"));
        assert_eq!(parent_dir(Path::new("a/file.md")), PathBuf::from("a"));
    }

    #[cfg(unix)]
    mod unix {
        use super::*;
        use std::os::unix::fs::{PermissionsExt, symlink};

        #[test]
        fn new_files_are_not_private() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("report.html");
            write_atomic(&path, b"<!doctype html>", false).unwrap();
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            // 0666 less the umask: at least readable by its owner and no
            // longer tempfile's private 0600 unless the umask says so.
            assert_eq!(mode & 0o600, 0o600, "{mode:o}");
            assert_eq!(mode & 0o111, 0, "{mode:o}");
            let probe = dir.path().join("probe");
            fs::File::create(&probe).unwrap();
            let expected = fs::metadata(&probe).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, expected, "same as a plainly created file");
        }

        #[test]
        fn keeps_permission_bits() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("script.sh");
            fs::write(&path, b"old").unwrap();
            fs::set_permissions(&path, fs::Permissions::from_mode(0o751)).unwrap();
            write_atomic(&path, b"new", false).unwrap();
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o7777;
            assert_eq!(mode, 0o751);
        }

        #[test]
        fn new_files_are_as_readable_as_fs_write_makes_them() {
            let dir = tempfile::tempdir().unwrap();
            let plain = dir.path().join("plain.csv");
            fs::write(&plain, b"x").unwrap();
            let atomic = dir.path().join("atomic.csv");
            write_atomic(&atomic, b"x", false).unwrap();
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o7777;
            assert_eq!(mode(&atomic), mode(&plain));
        }

        #[test]
        fn replaces_symlink_target_and_keeps_link() {
            let dir = tempfile::tempdir().unwrap();
            let real_dir = dir.path().join("real");
            fs::create_dir(&real_dir).unwrap();
            let target = real_dir.join("CHECKLIST.md");
            fs::write(&target, b"old").unwrap();
            let link1 = dir.path().join("link1.md");
            let link2 = dir.path().join("link2.md");
            symlink("real/CHECKLIST.md", &link1).unwrap();
            symlink(&link1, &link2).unwrap();
            write_atomic(&link2, b"new", false).unwrap();
            assert_eq!(fs::read(&target).unwrap(), b"new");
            assert!(
                fs::symlink_metadata(&link1)
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
            assert!(
                fs::symlink_metadata(&link2)
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
            assert_eq!(dir_names(&real_dir), ["CHECKLIST.md"]);
        }

        #[test]
        fn dangling_symlink_creates_target() {
            let dir = tempfile::tempdir().unwrap();
            let link = dir.path().join("link.json");
            symlink("target.json", &link).unwrap();
            write_atomic(&link, b"[]", false).unwrap();
            assert!(
                fs::symlink_metadata(&link)
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
            assert_eq!(fs::read(dir.path().join("target.json")).unwrap(), b"[]");
        }

        #[test]
        fn symlink_loop_is_an_error() {
            let dir = tempfile::tempdir().unwrap();
            let a = dir.path().join("a");
            let b = dir.path().join("b");
            symlink(&b, &a).unwrap();
            symlink(&a, &b).unwrap();
            let err = write_atomic(&a, b"x", false).unwrap_err();
            assert!(matches!(err, AtomicError::SymlinkLoop { .. }), "{err:?}");
            assert!(err.to_string().contains("too many levels"), "{err}");
        }

        #[test]
        fn unwritable_directory_reports_temp_creation() {
            let dir = tempfile::tempdir().unwrap();
            let locked = dir.path().join("locked");
            fs::create_dir(&locked).unwrap();
            let path = locked.join("f.md");
            fs::write(&path, b"old").unwrap();
            fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
            let result = write_atomic(&path, b"new", false);
            fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
            // Root ignores directory permissions; only check when it applied.
            if let Err(err) = result {
                assert!(matches!(err, AtomicError::CreateTemp { .. }), "{err:?}");
                let message = err.to_string();
                assert!(
                    message.starts_with("cannot create temporary file in"),
                    "{message}"
                );
                assert_eq!(fs::read(&path).unwrap(), b"old");
            }
        }
    }
}
