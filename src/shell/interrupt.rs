//! Ctrl-C, SIGTERM and SIGHUP (a cancelled CI job, `timeout`, a closed
//! terminal): remove the temporary files being written and the lock's
//! holder records (so nothing is left beside the user's files), say so,
//! and exit with 130.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// Temporary files that exist right now.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Set while a step that must not be abandoned half-way runs (a `git
/// push`: killing only us would leave it running, orphaned, and our last
/// word would be wrong).
static DEFERRING: AtomicBool = AtomicBool::new(false);
/// A signal arrived while [`DEFERRING`].
static CAUGHT: AtomicBool = AtomicBool::new(false);

/// Install the handler (once; later calls are ignored).
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        if DEFERRING.load(Ordering::SeqCst) && !CAUGHT.swap(true, Ordering::SeqCst) {
            eprintln!(
                "interrupted: waiting for the git push in progress to end, to report what reached the remote (interrupt again to stop at once)"
            );
            return;
        }
        // The list stays locked until the process exits, so no file can be
        // created and registered (see `create_guarded`) after this sweep.
        let mut pending = pending();
        for path in pending.drain(..) {
            let _ = std::fs::remove_file(path);
        }
        eprintln!(
            "interrupted: the file being written was left as it was (its temporary copy is removed)"
        );
        std::process::exit(130);
    });
}

/// Run `work` (a push) with interrupts deferred: a first signal during it
/// is recorded instead of ending the process, so the child finishes and the
/// caller can say what happened. Returns `work`'s value and whether a
/// signal arrived (the caller then stops with exit 130).
pub fn deferred<T>(work: impl FnOnce() -> T) -> (T, bool) {
    DEFERRING.store(true, Ordering::SeqCst);
    let value = work();
    DEFERRING.store(false, Ordering::SeqCst);
    (value, CAUGHT.load(Ordering::SeqCst))
}

/// Keeps a path registered for removal on an interrupt until dropped;
/// made by [`create_guarded`].
#[derive(Debug)]
pub struct TempGuard(PathBuf);

/// Create a file with `create` and register the path `path_of` gives for
/// removal on an interrupt, atomically with respect to the interrupt
/// handler: it either runs before (and the file is never created) or
/// after (and removes it).
///
/// # Errors
///
/// Whatever `create` returns; nothing is registered then.
pub fn create_guarded<T, E>(
    create: impl FnOnce() -> Result<T, E>,
    path_of: impl FnOnce(&T) -> PathBuf,
) -> Result<(T, TempGuard), E> {
    let mut pending = pending();
    let made = create()?;
    let path = path_of(&made);
    pending.push(path.clone());
    Ok((made, TempGuard(path)))
}

impl Drop for TempGuard {
    fn drop(&mut self) {
        pending().retain(|p| p != &self.0);
    }
}

fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn created_files_are_registered_until_the_guard_drops() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.tmp");
        let (made, guard) = create_guarded(
            || std::fs::write(&path, b"x").map(|()| path.clone()),
            Clone::clone,
        )
        .unwrap();
        assert!(pending().contains(&made));
        drop(guard);
        assert!(!pending().contains(&made));
        let failed: Result<(PathBuf, TempGuard), std::io::Error> =
            create_guarded(|| Err(std::io::Error::other("no")), |p: &PathBuf| p.clone());
        assert!(failed.is_err());
    }
}
