//! The command line: clap definitions, and the one place where flags,
//! environment and the config file become typed settings.

mod args;
pub mod config;
pub mod settings;

pub use args::*;
