//! Ctrl-C: remove the temporary file being written (so nothing is left
//! beside the user's files), say so, and exit with 130.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Temporary files that exist right now.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Install the handler (once; later calls are ignored).
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        for path in pending().drain(..) {
            let _ = std::fs::remove_file(path);
        }
        eprintln!(
            "interrupted: the file being written was left as it was (its temporary copy is removed)"
        );
        std::process::exit(130);
    });
}

/// Registers `path` as a temporary file until dropped.
#[derive(Debug)]
pub struct TempGuard(PathBuf);

impl TempGuard {
    /// Register `path` for removal on Ctrl-C.
    pub fn new(path: &Path) -> TempGuard {
        pending().push(path.to_path_buf());
        TempGuard(path.to_path_buf())
    }
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
mod tests {
    use super::*;

    #[test]
    fn guards_register_and_unregister() {
        let path = Path::new("/nonexistent/.x.tmp");
        {
            let _guard = TempGuard::new(path);
            assert!(pending().iter().any(|p| p == path));
        }
        assert!(!pending().iter().any(|p| p == path));
    }
}
