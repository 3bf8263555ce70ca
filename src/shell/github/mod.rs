//! GitHub REST API: context, client, runs, PR comments.

pub mod actions;
pub mod cache;
pub mod client;
pub mod comments;
pub mod context;
pub mod pages;
pub mod pulls;
pub mod retry;
pub mod target;
pub mod workflow_runs;
