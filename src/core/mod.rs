//! The pure model: checklist bytes and workflow runs in, scores, CI health
//! and history entries out. No clap, no I/O, no HTTP; imports only `core`
//! and [`crate::error`].

pub mod analysis;
pub mod category;
pub mod checklist;
pub mod checklist_scan;
pub mod ci;
pub mod document;
pub mod gates;
pub mod history;
pub mod lines;
pub mod markdown;
pub mod markers;
pub mod portfolio;
pub mod report;
pub mod runs;
pub mod score;
pub mod settings;
pub mod status;
