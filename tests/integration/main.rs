//! End-to-end tests of the `release-dashboard` binary, one test binary.
#![allow(clippy::unwrap_used)]

mod bad_input;
mod fixtures;
mod github;
mod harness;
mod history;
mod modes;
mod properties;
mod server;
mod update;
mod xml;
