//! release-dashboard: keep a release readiness checklist true.
//!
//! Data flows one way, inputs → model → text → effects (see
//! `ARCHITECTURE.md`):
//!
//! - [`core`]: the pure model — checklist parsing, markers, score, CI
//!   health, history entries and trends. No clap, no I/O.
//! - [`render`]: pure text from the model — Markdown blocks, terminal,
//!   JSON, HTML, PR comment, Slack, Actions summary, charts.
//! - [`shell`]: effects — atomic writes, locks, git, HTTP, GitHub, Slack.
//! - [`app`]: one orchestrator per command; [`cli`]: flags, environment and
//!   config resolved into typed settings.
//!
//! Scripts that analyse the history use [`analytics`]: `load`, `trend` and
//! `export_csv`, as the seed tool's `ReadinessCache` offered them.
//!
//! The pure pipeline, from checklist bytes to a score:
//!
//! ```
//! use std::path::PathBuf;
//! use release_dashboard::core::{analysis::analyse, score::round2, settings::Settings};
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

pub mod analytics;
pub mod app;
pub mod cli;
pub mod core;
pub mod error;
pub mod render;
pub mod shell;
