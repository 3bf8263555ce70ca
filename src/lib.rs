//! release-dashboard: keep a release readiness checklist true.

pub mod category;
pub mod checklist;
pub mod ci;
pub mod document;
pub mod escape;
pub mod lines;
pub mod markers;
pub mod runs;
pub mod score;
pub mod status;
