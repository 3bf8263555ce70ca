//! The one error type of the library, split by what the user must do.

/// A failed run. The message is complete: it names the file, line and fix.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input or usage: flags, config, checklist, runs or history file.
    /// Exit code 2; nothing was written.
    #[error("{0}")]
    Input(String),
    /// The environment failed us: I/O, network, git. Exit code 1.
    #[error("{0}")]
    Runtime(String),
    /// A signal arrived during a step that was finished first (a push);
    /// the message says what reached the remote. Exit code 130.
    #[error("{0}")]
    Interrupted(String),
}

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Input(_) => 2,
            Error::Runtime(_) => 1,
            Error::Interrupted(_) => 130,
        }
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
