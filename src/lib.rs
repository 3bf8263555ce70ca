//! release-dashboard: keep a release readiness checklist true.
//!
//! The pure core turns text into a model: [`checklist`] parses items,
//! [`markers`] finds managed blocks, [`score`] weighs categories, [`ci`]
//! summarises workflow runs. [`render`] turns the model into text. The
//! shell ([`app`], [`atomic`], [`lock`], [`history`]) reads and writes.

pub mod analysis;
pub mod app;
pub mod atomic;
pub mod category;
pub mod checklist;
pub mod ci;
pub mod cli;
pub mod clock;
pub mod config;
pub mod document;
pub mod error;
pub mod escape;
pub mod history;
pub mod lines;
pub mod lock;
pub mod markers;
pub mod plan;
pub mod render;
pub mod report;
pub mod runs;
pub mod score;
pub mod settings;
pub mod status;
pub mod ui;
