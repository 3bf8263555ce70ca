//! release-dashboard: keep a release readiness checklist true.
//!
//! The pure core turns text into a model: [`checklist`] parses items,
//! [`markers`] finds managed blocks, [`score`] weighs categories, [`ci`]
//! summarises workflow runs, [`trend`] reads the score history. [`render`]
//! turns the model into text and pictures. The shell ([`app`], [`atomic`],
//! [`lock`], [`history`], [`notify`]) reads, writes and sends. Scripts that analyse the history
//! use [`analytics`]: `load`, `trend` and `export_csv`, as the seed tool's
//! `ReadinessCache` offered them.
//!
//! The pure pipeline, from checklist bytes to a score:
//!
//! ```
//! use std::path::PathBuf;
//! use release_dashboard::{analysis::analyse, score::round2, settings::Settings};
//!
//! let checklist = "# Release\n\
//! ## Core Gates\n| Gate | Status |\n|---|---|\n| Build | ✅ PASS |\n| Audit | ⏳ pending |\n\
//! ## Optional Gates\n- [x] chaos\n\
//! ## Deployment\n- [x] docker\n\
//! ## Sign-off\n- [ ] CTO\n";
//! let settings = Settings::defaults(PathBuf::from("release-checklist.md"));
//! let analysis = analyse("release-checklist.md", checklist.as_bytes(), &settings).unwrap();
//! // (0.5·50 + 0.2·100 + 0.2·100 + 0.1·0) / 1.0
//! assert_eq!(round2(analysis.score.total), 65.0);
//! assert_eq!(analysis.score.band.as_str(), "not_ready");
//! assert_eq!(analysis.score.blockers[0].name, "Audit");
//! ```

pub mod analysis;
pub mod analytics;
pub mod app;
pub mod atomic;
pub mod category;
pub mod checklist;
pub mod ci;
pub mod cli;
pub mod cli_extras;
pub mod clock;
pub mod config;
pub mod document;
pub mod error;
pub mod escape;
pub mod gha;
pub mod git;
pub mod github;
pub mod history;
pub mod history_csv;
pub mod init;
pub mod interrupt;
pub mod lines;
pub mod lock;
pub mod markers;
pub mod notify;
pub mod plan;
pub mod progress;
pub mod render;
pub mod report;
pub mod runs;
pub mod score;
pub mod settings;
pub mod status;
pub mod trend;
pub mod ui;
