//! End-to-end tests of the `release-dashboard` binary, one test binary.
#![allow(clippy::unwrap_used)]
#![allow(
    // Test tables and data generators: long lists of rows, small bounded
    // numbers cast freely, strings built with format!.
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::format_push_string,
    clippy::format_collect,
    clippy::case_sensitive_file_extension_comparisons,
    clippy::needless_pass_by_value,
    clippy::ref_option,
    clippy::manual_let_else
)]
mod actions;
mod bad_input;
mod browser;
mod checklists;
mod conformance;
mod crashes;
mod delivery;
mod faults;
mod gates;
mod github;
mod history;
mod init;
mod layers;
mod modes;
mod network;
mod odd_files;
mod outputs;
mod portfolio;
mod properties;
mod publishing;
mod report;
mod server_tests;
mod slack;
mod support;
mod update;
