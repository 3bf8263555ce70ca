//! What an update needs to know about the checklist, resolved (the `cli`
//! layer merges flags, environment, config file and defaults into it).

use std::path::PathBuf;

use crate::core::category::Category;
use crate::core::markers::MarkerNames;
use crate::core::status::Vocabulary;

/// The seed tool's history location.
pub const DEFAULT_HISTORY: &str = ".cache/readiness.json";
/// The gate (and alert) threshold without a flag or config.
pub const DEFAULT_THRESHOLD: f64 = 90.0;
/// The branch whose CI is summarised without a flag or config.
pub const DEFAULT_BRANCH: &str = "main";
/// The CI window without a flag or config.
pub const DEFAULT_RUNS: usize = 100;

/// Everything an update needs to know, resolved.
#[derive(Debug, Clone)]
pub struct Settings {
    pub checklist: PathBuf,
    pub history: PathBuf,
    pub threshold: f64,
    pub notify_threshold: f64,
    pub branch: String,
    pub runs: usize,
    pub categories: Vec<Category>,
    /// Whether `categories` came from `[[categories]]` in a config file;
    /// otherwise they are the seed's defaults, and a checklist that is not
    /// in the seed's shape is read by its own headings.
    pub categories_configured: bool,
    /// Extra names of status columns (config `status_columns`).
    pub status_columns: Vec<String>,
    pub vocabulary: Vocabulary,
    pub markers: MarkerNames,
    /// The level of the heading a newly inserted block opens with (config
    /// `block_heading`); `None`: no heading. A block that already opens
    /// with a heading always keeps its level.
    pub block_heading: Option<u8>,
    /// Config `[gates]`: item name → the workflow it follows.
    pub gates: Vec<(String, String)>,
    /// Rewrite bound items' written status to what CI says
    /// (`--sync-status`, config `sync_status`).
    pub sync_status: bool,
    /// The config file used, if any.
    pub config_path: Option<PathBuf>,
}

impl Settings {
    /// Built-in defaults for `checklist` (no config file, no flags).
    pub fn defaults(checklist: PathBuf) -> Settings {
        Settings {
            history: checklist.with_file_name(DEFAULT_HISTORY),
            checklist,
            threshold: DEFAULT_THRESHOLD,
            notify_threshold: DEFAULT_THRESHOLD,
            branch: DEFAULT_BRANCH.to_string(),
            runs: DEFAULT_RUNS,
            categories: crate::core::category::default_categories(),
            categories_configured: false,
            status_columns: Vec::new(),
            vocabulary: Vocabulary::default(),
            markers: MarkerNames::default(),
            block_heading: None,
            gates: Vec::new(),
            sync_status: false,
            config_path: None,
        }
    }
}

/// Check a percentage threshold.
pub fn check_threshold(what: &str, value: f64) -> Result<f64, String> {
    if value.is_finite() && (0.0..=100.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!(
            "{what} must be a percentage from 0 to 100, not {value}"
        ))
    }
}
