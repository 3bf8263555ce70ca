//! Opening the user's input files (checklist, history, runs file, config):
//! only regular files, or symlinks to one. The file is opened with
//! `O_NONBLOCK`, so a FIFO cannot block the run in `open()` (holding the
//! directory lock), then checked with `fstat` on the open descriptor; a
//! device such as `/dev/zero` is refused instead of being read forever,
//! and a size cap bounds what is read.

use std::fs::File;
use std::io::Read as _;
use std::path::Path;

/// `O_NONBLOCK` (not in std; the value is fixed per platform ABI: 0x4 on
/// the BSDs and macOS, 0o4000 on Linux).
#[cfg(all(
    unix,
    any(
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd"
    )
))]
const O_NONBLOCK: i32 = 0x0004;
#[cfg(all(
    unix,
    not(any(
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd"
    ))
))]
const O_NONBLOCK: i32 = 0o4000;

#[cfg(unix)]
fn options() -> std::fs::OpenOptions {
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut options = std::fs::OpenOptions::new();
    options.read(true).custom_flags(O_NONBLOCK);
    options
}

#[cfg(not(unix))]
fn options() -> std::fs::OpenOptions {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    options
}

/// What a file that is neither a regular file nor a directory is.
fn kind_name(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    let _ = kind;
    "not a regular file"
}

/// The environment variable that raises every input's size cap (MiB).
pub const MAX_ENV: &str = "RELEASE_DASHBOARD_MAX_INPUT_MIB";

/// Caps, in MiB: small text files, and the files that are streamed.
pub const TEXT_MIB: u64 = 64;
pub const STREAMED_MIB: u64 = 4096;

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("not found")]
    NotFound,
    #[error("is a directory")]
    IsDirectory,
    #[error("is {0}, not a regular file; give a regular file (or `-` for stdin where allowed)")]
    NotRegular(&'static str),
    #[error(
        "is {size} bytes, more than the {cap_mib} MiB an input may have; set {MAX_ENV}=N (MiB) to allow more"
    )]
    TooLarge { size: u64, cap_mib: u64 },
    #[error("{0}")]
    Io(std::io::Error),
}

/// The cap in bytes: `default_mib`, or the environment's override.
pub fn cap_bytes(default_mib: u64) -> u64 {
    let mib = std::env::var(MAX_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|&v| v > 0)
        .unwrap_or(default_mib);
    mib.saturating_mul(1024 * 1024)
}

/// Open `path` for reading if it is a regular file of at most `cap_mib`
/// MiB (or the override); returns the file and its size.
pub fn open_regular(path: &Path, cap_mib: u64) -> Result<(File, u64), InputError> {
    let file = options().open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => InputError::NotFound,
        std::io::ErrorKind::IsADirectory => InputError::IsDirectory,
        _ => InputError::Io(e),
    })?;
    let meta = file.metadata().map_err(InputError::Io)?;
    let kind = meta.file_type();
    if kind.is_dir() {
        return Err(InputError::IsDirectory);
    }
    if !kind.is_file() {
        return Err(InputError::NotRegular(kind_name(kind)));
    }
    let cap = cap_bytes(cap_mib);
    if meta.len() > cap {
        return Err(InputError::TooLarge {
            size: meta.len(),
            cap_mib: cap / (1024 * 1024),
        });
    }
    Ok((file, meta.len()))
}

/// All of a regular file's bytes (see [`open_regular`]); a file that grows
/// past the cap while being read is refused too.
pub fn read_regular(path: &Path, cap_mib: u64) -> Result<Vec<u8>, InputError> {
    let (file, size) = open_regular(path, cap_mib)?;
    let cap = cap_bytes(cap_mib);
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(InputError::Io)?;
    if bytes.len() as u64 > cap {
        return Err(InputError::TooLarge {
            size: bytes.len() as u64,
            cap_mib: cap / (1024 * 1024),
        });
    }
    Ok(bytes)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    #[cfg(unix)]
    fn devices_and_directories_are_refused() {
        let err = read_regular(Path::new("/dev/zero"), 1).unwrap_err();
        assert!(
            matches!(err, InputError::NotRegular("a character device")),
            "{err}"
        );
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            read_regular(dir.path(), 1).unwrap_err(),
            InputError::IsDirectory
        ));
        assert!(matches!(
            read_regular(&dir.path().join("none"), 1).unwrap_err(),
            InputError::NotFound
        ));
        let file = dir.path().join("f");
        std::fs::write(&file, vec![b'x'; 2 * 1024 * 1024]).unwrap();
        let err = read_regular(&file, 1).unwrap_err();
        assert!(err.to_string().contains(MAX_ENV), "{err}");
        assert_eq!(read_regular(&file, 2).unwrap().len(), 2 * 1024 * 1024);
    }
}
