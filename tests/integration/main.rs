//! End-to-end tests of the `release-dashboard` binary, one test binary.
#![allow(clippy::unwrap_used)]

mod actions;
mod bad_input;
mod browser;
mod crashes;
mod delivery;
mod faults;
mod fixtures;
mod github;
mod harness;
mod history;
mod init;
mod modes;
mod properties;
mod report;
mod server;
mod server_tests;
mod slack;
mod update;
mod xml;
