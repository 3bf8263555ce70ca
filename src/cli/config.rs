//! `.release-dashboard.toml`: what a project can configure, and its checks.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::core::category::{Category, default_categories};
use crate::core::markers::MarkerNames;
use crate::core::status::{ItemState, Vocabulary};

/// The default config file name, looked up in the current directory.
pub const CONFIG_FILE: &str = ".release-dashboard.toml";

/// The config file as written. Every key is optional; unknown keys are errors.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// The checklist, relative to the config file's directory.
    pub checklist: Option<PathBuf>,
    /// The history file, relative to the config file's directory.
    pub history: Option<PathBuf>,
    /// Branch whose CI runs are summarised.
    pub branch: Option<String>,
    /// How many runs make the CI window.
    pub runs: Option<usize>,
    /// Score thresholds.
    #[serde(default)]
    pub thresholds: Thresholds,
    /// Categories in output order; replaces the four defaults when given.
    pub categories: Option<Vec<CategoryConfig>>,
    /// Extra names of a table's status column (beside Status, State,
    /// Result, Outcome, Go/No-Go, Done, …).
    #[serde(default)]
    pub status_columns: Vec<String>,
    /// Extra status words.
    #[serde(default)]
    pub status: StatusWords,
    /// `[gates]`: item name → workflow (name, file name or link).
    #[serde(default)]
    pub gates: std::collections::BTreeMap<String, String>,
    /// Rewrite bound items' written status to what CI says.
    pub sync_status: Option<bool>,
    /// The heading level (1–6) a newly inserted block opens with.
    pub block_heading: Option<u8>,
    /// Names of the managed blocks.
    #[serde(default)]
    pub markers: MarkerNames,
}

/// `[thresholds]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// The `--check-only` gate (percent).
    pub gate: Option<f64>,
    /// Slack alerts go out below this (percent).
    pub notify: Option<f64>,
}

/// One `[[categories]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryConfig {
    pub name: String,
    /// Case-insensitive regex matched against heading text.
    pub heading: String,
    pub weight: f64,
    #[serde(default)]
    pub blocking: bool,
}

/// `[status]`: words added to the built-in vocabulary.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusWords {
    #[serde(default)]
    pub pass: Vec<String>,
    #[serde(default)]
    pub fail: Vec<String>,
    #[serde(default)]
    pub pending: Vec<String>,
    #[serde(default)]
    pub skipped: Vec<String>,
}

/// A config file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

impl FileConfig {
    /// Read and parse a config file.
    pub fn load(path: &Path) -> Result<FileConfig, ConfigError> {
        use crate::shell::input::{InputError, TEXT_MIB, read_regular};
        let bytes = read_regular(path, TEXT_MIB).map_err(|e| match e {
            InputError::Io(source) => ConfigError::Read {
                path: path.to_path_buf(),
                source,
            },
            InputError::NotFound => ConfigError::Read {
                path: path.to_path_buf(),
                source: std::io::ErrorKind::NotFound.into(),
            },
            unusable => ConfigError::Invalid {
                path: path.to_path_buf(),
                message: format!("the config file {unusable} (--config PATH)"),
            },
        })?;
        let text = String::from_utf8(bytes).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            message: format!(
                "not valid UTF-8 (byte offset {})",
                e.utf8_error().valid_up_to()
            ),
        })?;
        FileConfig::parse(&text).map_err(|message| ConfigError::Parse {
            path: path.to_path_buf(),
            message,
        })
    }

    /// Parse config text (the message says where and what is wrong).
    pub fn parse(text: &str) -> Result<FileConfig, String> {
        toml::from_str(text).map_err(|e| e.to_string().trim_end().to_string())
    }

    /// The categories, compiled and checked.
    pub fn categories(&self) -> Result<Vec<Category>, String> {
        let Some(configured) = &self.categories else {
            return Ok(default_categories());
        };
        if configured.is_empty() {
            return Err(
                "`categories` is empty; give at least one [[categories]] entry or remove the key"
                    .into(),
            );
        }
        let mut compiled: Vec<Category> = Vec::new();
        for c in configured {
            if c.name.trim().is_empty() {
                return Err("a [[categories]] entry has an empty name".into());
            }
            if compiled.iter().any(|k| k.name == c.name) {
                return Err(format!("category \"{}\" is listed twice", c.name));
            }
            if !c.weight.is_finite() || c.weight < 0.0 {
                return Err(format!(
                    "category \"{}\": weight must be a number ≥ 0, not {}",
                    c.name, c.weight
                ));
            }
            let category =
                Category::new(&c.name, &c.heading, c.weight, c.blocking).map_err(|e| {
                    format!("category \"{}\": heading is not a valid regex: {e}", c.name)
                })?;
            compiled.push(category);
        }
        if compiled.iter().map(|c| c.weight).sum::<f64>() <= 0.0 {
            return Err("category weights must add up to more than 0".into());
        }
        Ok(compiled)
    }

    /// The status vocabulary with this file's additions.
    pub fn vocabulary(&self) -> Vocabulary {
        let s = &self.status;
        let additions: Vec<(String, ItemState)> = [
            (&s.pass, ItemState::Pass),
            (&s.fail, ItemState::Fail),
            (&s.pending, ItemState::Pending),
            (&s.skipped, ItemState::Skipped),
        ]
        .iter()
        .flat_map(|(words, state)| words.iter().map(move |w| (w.clone(), *state)))
        .collect();
        Vocabulary::with_additions(&additions)
    }

    /// The marker names, checked.
    pub fn markers(&self) -> Result<MarkerNames, String> {
        let m = &self.markers;
        for name in [&m.readiness, &m.ci] {
            let valid =
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                return Err(format!(
                    "marker name \"{name}\" must be letters, digits and underscores (it becomes <!-- {name}_START -->)"
                ));
            }
        }
        if m.readiness == m.ci {
            return Err("the readiness and ci markers must have different names".into());
        }
        Ok(m.clone())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::core::settings::check_threshold;

    #[test]
    fn empty_file_gives_defaults() {
        let c = FileConfig::parse("").unwrap();
        assert_eq!(c.categories().unwrap().len(), 4);
        assert_eq!(c.markers().unwrap(), MarkerNames::default());
    }

    #[test]
    fn full_file_parses() {
        let text = r#"
checklist = "docs/release.md"
history = ".cache/readiness.json"
branch = "develop"
runs = 50
[thresholds]
gate = 85
notify = 80.5
[[categories]]
name = "Must"
heading = '\bmust\b'
weight = 3
blocking = true
[[categories]]
name = "Nice"
heading = "nice"
weight = 1
[status]
pass = ["shipped"]
[markers]
readiness = "SCORE"
ci = "CI"
"#;
        let c = FileConfig::parse(text).unwrap();
        let cats = c.categories().unwrap();
        assert_eq!(cats.len(), 2);
        assert!(cats[0].blocking && !cats[1].blocking);
        assert_eq!(c.thresholds.gate, Some(85.0));
        assert_eq!(c.vocabulary().classify("Shipped"), Some(ItemState::Pass));
        assert_eq!(c.markers().unwrap().ci, "CI");
    }

    #[test]
    fn unknown_keys_are_errors_with_position() {
        let err = FileConfig::parse("treshold = 90\n").unwrap_err();
        assert!(err.contains("unknown field `treshold`"), "{err}");
        assert!(err.contains("line 1"), "{err}");
        let err = FileConfig::parse("[thresholds]\ngates = 1\n").unwrap_err();
        assert!(err.contains("gates"), "{err}");
    }

    #[test]
    fn invalid_categories_are_rejected() {
        let bad = |text: &str| FileConfig::parse(text).unwrap().categories().unwrap_err();
        assert!(bad("categories = []").contains("empty"));
        assert!(bad("[[categories]]\nname='a'\nheading='('\nweight=1\n").contains("regex"));
        assert!(bad("[[categories]]\nname='a'\nheading='a'\nweight=-1\n").contains("≥ 0"));
        assert!(bad("[[categories]]\nname='a'\nheading='a'\nweight=0\n").contains("more than 0"));
        assert!(bad("[[categories]]\nname='a'\nheading='a'\nweight=1\n[[categories]]\nname='a'\nheading='b'\nweight=1\n").contains("twice"));
    }

    #[test]
    fn invalid_markers_are_rejected() {
        let bad = |text: &str| FileConfig::parse(text).unwrap().markers().unwrap_err();
        assert!(bad("[markers]\nci = 'A -->'\n").contains("letters"));
        assert!(bad("[markers]\nci = 'X'\nreadiness = 'X'\n").contains("different"));
    }

    #[test]
    fn thresholds_are_percentages() {
        assert_eq!(check_threshold("t", 90.0), Ok(90.0));
        assert!(check_threshold("t", 100.5).is_err());
        assert!(check_threshold("t", f64::NAN).is_err());
    }
}
