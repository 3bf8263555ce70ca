//! The one place where flags, environment, the config file and built-in
//! defaults become typed settings (flags beat environment beat file beat
//! defaults).

use std::path::{Path, PathBuf};

use crate::cli::config::{CONFIG_FILE, FileConfig};
use crate::cli::{HistoryArgs, UpdateArgs};
use crate::core::settings::{
    DEFAULT_BRANCH, DEFAULT_HISTORY, DEFAULT_RUNS, DEFAULT_THRESHOLD, Settings, check_threshold,
};
use crate::error::{Error, Result};

/// What the `history` command needs, resolved like an update's settings.
#[derive(Debug, Clone)]
pub struct HistorySettings {
    /// The history file.
    pub history: PathBuf,
    /// The gate threshold (the SVG's target line).
    pub threshold: f64,
}

/// Merge `args` with the config file and defaults; `cwd` anchors relative
/// flag paths.
pub fn resolve(args: &UpdateArgs, cwd: &Path) -> Result<Settings> {
    let (config, config_path) = load_config(args.config.as_deref(), cwd)?;
    let config_dir = config_dir(config_path.as_deref(), cwd);
    let invalid = invalid_in(config_path.as_deref());
    let categories = config.categories().map_err(&invalid)?;
    let markers = config.markers().map_err(&invalid)?;
    let threshold = gate_threshold(args.threshold, &config).map_err(&invalid)?;
    let notify_threshold = match (args.notify_threshold, config.thresholds.notify) {
        (Some(flag), _) => flag,
        (None, Some(file)) => check_threshold("thresholds.notify", file).map_err(&invalid)?,
        (None, None) => DEFAULT_THRESHOLD,
    };
    let checklist = match (&args.checklist, &config.checklist) {
        (Some(flag), _) => cwd.join(flag),
        (None, Some(file)) => config_dir.join(file),
        (None, None) => discover_checklist(cwd)?,
    };
    let history = history_path(args.history.as_deref(), &config, &config_dir, cwd);
    let branch = args
        .branch
        .clone()
        .or_else(|| config.branch.clone())
        .unwrap_or_else(|| DEFAULT_BRANCH.to_string());
    if branch.trim().is_empty() {
        return Err(Error::Input(
            "the branch name is empty; pass --branch NAME".into(),
        ));
    }
    let runs = args
        .runs
        .map(|n| n as usize)
        .or(config.runs)
        .unwrap_or(DEFAULT_RUNS);
    if runs == 0 {
        return Err(invalid("`runs` must be at least 1".into()));
    }
    Ok(Settings {
        vocabulary: config.vocabulary(),
        checklist,
        history,
        threshold,
        notify_threshold,
        branch,
        runs,
        categories,
        markers,
        config_path,
    })
}

/// The `history` command's settings: `--history`, else the config file's
/// `history`, else `.cache/readiness.json`; `--threshold`, else the config
/// file's `thresholds.gate`, else 90.
pub fn resolve_history(args: &HistoryArgs, cwd: &Path) -> Result<HistorySettings> {
    let (config, config_path) = load_config(args.config.as_deref(), cwd)?;
    let config_dir = config_dir(config_path.as_deref(), cwd);
    Ok(HistorySettings {
        history: history_path(args.history.as_deref(), &config, &config_dir, cwd),
        threshold: gate_threshold(args.threshold, &config)
            .map_err(invalid_in(config_path.as_deref()))?,
    })
}

/// The directory relative paths in the config file resolve against.
fn config_dir(config_path: Option<&Path>, cwd: &Path) -> PathBuf {
    config_path
        .and_then(Path::parent)
        .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf)
}

/// Turns a message about the config file into an input error naming it.
fn invalid_in(config_path: Option<&Path>) -> impl Fn(String) -> Error + use<> {
    let path = config_path.map_or_else(|| CONFIG_FILE.to_string(), |p| p.display().to_string());
    move |message| Error::Input(format!("{path}: {message}"))
}

/// The flag's threshold, else the config file's `thresholds.gate`, else 90.
fn gate_threshold(flag: Option<f64>, config: &FileConfig) -> Result<f64, String> {
    match (flag, config.thresholds.gate) {
        (Some(flag), _) => Ok(flag),
        (None, Some(file)) => check_threshold("thresholds.gate", file),
        (None, None) => Ok(DEFAULT_THRESHOLD),
    }
}

/// The flag's history path (from `cwd`), else the config file's (from its
/// directory), else `.cache/readiness.json` in `cwd`.
fn history_path(
    flag: Option<&Path>,
    config: &FileConfig,
    config_dir: &Path,
    cwd: &Path,
) -> PathBuf {
    match (flag, &config.history) {
        (Some(flag), _) => cwd.join(flag),
        (None, Some(file)) => config_dir.join(file),
        (None, None) => cwd.join(DEFAULT_HISTORY),
    }
}

fn load_config(named: Option<&Path>, cwd: &Path) -> Result<(FileConfig, Option<PathBuf>)> {
    let path = match named {
        Some(named) => cwd.join(named),
        None => {
            let default = cwd.join(CONFIG_FILE);
            if !default.is_file() {
                return Ok((FileConfig::default(), None));
            }
            default
        }
    };
    let config = FileConfig::load(&path).map_err(|e| Error::Input(e.to_string()))?;
    Ok((config, Some(path)))
}

/// The single `*release-checklist*.md` (case-insensitive) in `dir`.
pub fn discover_checklist(dir: &Path) -> Result<PathBuf> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Error::Runtime(format!("{}: cannot list the directory: {e}", dir.display()))
    })?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file() && is_checklist_name(path))
        .collect();
    found.sort();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(Error::Input(format!(
            "no checklist found: no file named *release-checklist*.md in {}; pass --checklist PATH or set `checklist = \"…\"` in {CONFIG_FILE}",
            dir.display()
        ))),
        several => {
            let names: Vec<String> = several
                .iter()
                .map(|p| format!("  {}", p.display()))
                .collect();
            Err(Error::Input(format!(
                "several checklists found; pass --checklist PATH or set `checklist` in {CONFIG_FILE} to choose one:\n{}",
                names.join("\n")
            )))
        }
    }
}

fn is_checklist_name(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    name.contains("release-checklist") && name.ends_with(".md")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn discovery_needs_exactly_one_candidate() {
        let dir = tempfile::tempdir().unwrap();
        let err = discover_checklist(dir.path()).unwrap_err();
        assert!(err.to_string().contains("no checklist found"));
        std::fs::write(dir.path().join("v0.7.0-Release-Checklist.MD"), "").unwrap();
        std::fs::write(dir.path().join("notes.md"), "").unwrap();
        let found = discover_checklist(dir.path()).unwrap();
        assert!(found.ends_with("v0.7.0-Release-Checklist.MD"));
        std::fs::write(dir.path().join("release-checklist.md"), "").unwrap();
        let err = discover_checklist(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("several") && err.contains("release-checklist.md"),
            "{err}"
        );
    }

    #[test]
    fn flags_beat_file_beat_defaults() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "checklist = 'docs/list.md'\nbranch = 'develop'\n[thresholds]\ngate = 80\nnotify = 75\n",
        )
        .unwrap();
        let args = UpdateArgs::default();
        let s = resolve(&args, dir.path()).unwrap();
        assert_eq!(s.threshold, 80.0);
        assert_eq!(s.notify_threshold, 75.0);
        assert_eq!(s.branch, "develop");
        assert_eq!(s.checklist, dir.path().join("docs/list.md"));
        assert_eq!(s.history, dir.path().join(DEFAULT_HISTORY));
        let args = UpdateArgs {
            threshold: Some(95.0),
            notify_threshold: Some(60.0),
            branch: Some("main".into()),
            checklist: Some("x.md".into()),
            ..UpdateArgs::default()
        };
        let s = resolve(&args, dir.path()).unwrap();
        assert_eq!((s.threshold, s.branch.as_str()), (95.0, "main"));
        assert_eq!(s.notify_threshold, 60.0);
        assert_eq!(s.checklist, dir.path().join("x.md"));
    }

    #[test]
    fn a_named_config_must_exist_and_be_valid() {
        let dir = tempfile::tempdir().unwrap();
        let args = UpdateArgs {
            config: Some("missing.toml".into()),
            ..UpdateArgs::default()
        };
        assert!(
            resolve(&args, dir.path())
                .unwrap_err()
                .to_string()
                .contains("missing.toml")
        );
        std::fs::write(dir.path().join(CONFIG_FILE), "[thresholds]\ngate = 120\n").unwrap();
        let err = resolve(&UpdateArgs::default(), dir.path()).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("thresholds.gate"), "{err}");
    }
}
