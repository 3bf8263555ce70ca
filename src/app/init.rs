//! `release-dashboard init`: a starter checklist, a config file with every
//! default written out, and the GitHub workflow. Nothing is ever
//! overwritten: every target is checked before the first file is written.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::cli::InitArgs;
use crate::cli::config::CONFIG_FILE;
use crate::error::{Error, Result};
use crate::shell::ui::Ui;

/// The starter checklist.
pub const CHECKLIST: &str = include_str!("templates/release-checklist.md");
/// `.release-dashboard.toml` with every default written out and commented.
pub const CONFIG: &str = include_str!("templates/release-dashboard.toml");
/// The workflow; the example in `examples/workflows/` is its only copy.
pub const WORKFLOW: &str = include_str!("../../examples/workflows/update-readiness.yml");

/// Where `init` puts the checklist, relative to `--dir`.
pub const CHECKLIST_FILE: &str = "release-checklist.md";
/// Where `init` puts the workflow, relative to `--dir`.
pub const WORKFLOW_FILE: &str = ".github/workflows/update-readiness.yml";

/// The files `init` writes: path relative to `--dir`, contents, what it is.
pub const FILES: [(&str, &str, &str); 3] = [
    (CHECKLIST_FILE, CHECKLIST, "the starter checklist"),
    (CONFIG_FILE, CONFIG, "every setting, at its default"),
    (WORKFLOW_FILE, WORKFLOW, "the GitHub Actions workflow"),
];

/// `release-dashboard init [--dir DIR]`.
pub fn run(args: &InitArgs) -> Result<u8> {
    let cwd = std::env::current_dir()
        .map_err(|e| Error::Runtime(format!("cannot read the current directory: {e}")))?;
    write_files(&cwd.join(&args.dir), &args.dir)?;
    Ui::default().out(&next_steps(&args.dir));
    Ok(0)
}

/// Write the three files into `dir` (created if missing), or none of them
/// when any already exists. `shown` is how messages name `dir`.
pub fn write_files(dir: &Path, shown: &Path) -> Result<Vec<PathBuf>> {
    let name = |rel: &str| display(shown, rel);
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Input(format!(
            "{}: not a directory; pass --dir DIR naming a directory (it is created if missing)",
            shown.display()
        )));
    }
    let existing: Vec<String> = FILES
        .iter()
        .filter(|(rel, _, _)| dir.join(rel).symlink_metadata().is_ok())
        .map(|(rel, _, _)| name(rel))
        .collect();
    if !existing.is_empty() {
        let (verb, them) = if existing.len() == 1 {
            ("exists", "it")
        } else {
            ("exist", "them")
        };
        return Err(Error::Input(format!(
            "{} already {verb}; init never overwrites a file, so nothing was written (move {them} aside, or pass --dir DIR to write elsewhere)",
            existing.join(", "),
        )));
    }
    let mut written: Vec<PathBuf> = Vec::new();
    for (rel, contents, _) in FILES {
        let path = dir.join(rel);
        if let Err(e) = create_new(&path, contents) {
            for done in &written {
                let _ = std::fs::remove_file(done);
            }
            return Err(match e.kind() {
                std::io::ErrorKind::AlreadyExists => Error::Input(format!(
                    "{} already exists; init never overwrites a file, so nothing was written",
                    name(rel)
                )),
                _ => Error::Runtime(format!(
                    "{}: cannot write: {e}; nothing was written",
                    name(rel)
                )),
            });
        }
        written.push(path);
    }
    Ok(written)
}

/// Create `path` and its directories; fail if the file exists.
fn create_new(path: &Path, contents: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()
}

/// `rel` inside the directory as the user named it (`sub/x`, or `x` for `.`).
fn display(dir: &Path, rel: &str) -> String {
    if dir == Path::new(".") || dir.as_os_str().is_empty() {
        rel.to_string()
    } else {
        dir.join(rel).display().to_string()
    }
}

/// What `init` prints after writing the files.
pub fn next_steps(dir: &Path) -> String {
    let width = FILES
        .iter()
        .map(|(rel, _, _)| display(dir, rel).chars().count())
        .max()
        .unwrap_or(0);
    let mut text = String::from("Created:\n");
    for (rel, _, what) in FILES {
        let _ = writeln!(text, "  {:<width$}  {what}", display(dir, rel));
    }
    let here = dir == Path::new(".") || dir.as_os_str().is_empty();
    let cd = if here {
        String::new()
    } else {
        format!("cd {} && ", dir.display())
    };
    let _ = write!(
        text,
        "
Next steps:
  1. Edit {checklist}: replace the example rows with your release's
     gates, tasks and owners. Tune weights and thresholds in {config}.
  2. Score it and fill in the generated blocks:
       {cd}release-dashboard --offline
     (--dry-run shows the diff first; without --offline, with GH_TOKEN set,
     the CI block summarises your GitHub Actions runs.)
  3. Commit the files. The workflow updates the checklist on pushes to main
     and daily at 09:00 UTC, and gates pull requests with a readiness
     comment. For Slack alerts, add a SLACK_WEBHOOK_URL repository secret.
",
        checklist = display(dir, CHECKLIST_FILE),
        config = display(dir, CONFIG_FILE),
    );
    if !here {
        text.push_str(
            "     GitHub reads workflows only from .github/workflows/ at the root of the\n     repository: move the workflow there if DIR is not the root.\n",
        );
    }
    text
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::cli::config::FileConfig;
    use crate::core::category::DEFAULTS;
    use crate::core::markers::MarkerNames;
    use crate::core::settings::{DEFAULT_HISTORY, Settings};
    use crate::core::status::ItemState;

    #[test]
    fn the_config_template_writes_out_every_default() {
        let config = FileConfig::parse(CONFIG).unwrap();
        let categories = config.categories().unwrap();
        assert_eq!(categories.len(), DEFAULTS.len());
        for (c, (name, pattern, weight, blocking)) in categories.iter().zip(DEFAULTS) {
            assert_eq!(c.name, name);
            assert_eq!(c.heading.as_str(), pattern);
            assert_eq!(c.weight, weight);
            assert_eq!(c.blocking, blocking);
        }
        assert_eq!(config.markers().unwrap(), MarkerNames::default());
        let defaults = Settings::defaults(PathBuf::from(CHECKLIST_FILE));
        assert_eq!(config.checklist, Some(PathBuf::from(CHECKLIST_FILE)));
        assert_eq!(config.history, Some(PathBuf::from(DEFAULT_HISTORY)));
        assert_eq!(config.branch.as_deref(), Some(defaults.branch.as_str()));
        assert_eq!(config.runs, Some(defaults.runs));
        assert_eq!(config.thresholds.gate, Some(defaults.threshold));
        assert_eq!(config.thresholds.notify, Some(defaults.notify_threshold));
        let s = &config.status;
        assert!(s.pass.is_empty() && s.fail.is_empty() && s.pending.is_empty());
        assert!(s.skipped.is_empty());
    }

    #[test]
    fn the_config_template_lists_the_built_in_words_correctly() {
        let vocabulary = FileConfig::default().vocabulary();
        let mut checked = 0;
        for line in CONFIG.lines() {
            let Some(rest) = line.strip_prefix("#   ") else {
                continue;
            };
            let Some((state, words)) = rest.split_once(':') else {
                continue;
            };
            let state = match state {
                "pass" => ItemState::Pass,
                "fail" => ItemState::Fail,
                "pending" => ItemState::Pending,
                "skipped" => ItemState::Skipped,
                other => panic!("unknown state {other}"),
            };
            let words = words.replace("\"IN PROGRESS\"", "").replace("  ", " ");
            for word in words.split_whitespace() {
                assert_eq!(vocabulary.classify(word), Some(state), "{word}");
                checked += 1;
            }
        }
        assert_eq!(vocabulary.classify("in progress"), Some(ItemState::Pending));
        assert!(checked > 30, "{checked}");
    }

    #[test]
    fn the_checklist_template_scores_every_category_without_warnings() {
        let settings = Settings::defaults(PathBuf::from(CHECKLIST_FILE));
        let analysis =
            crate::core::analysis::analyse(CHECKLIST_FILE, CHECKLIST.as_bytes(), &settings)
                .unwrap();
        assert!(analysis.warnings.is_empty(), "{:?}", analysis.warnings);
        assert_eq!(analysis.score.categories.len(), 4);
        assert!(analysis.score.total > 0.0 && analysis.score.total < 100.0);
    }

    #[test]
    fn nothing_is_written_when_any_file_exists() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".github/workflows")).unwrap();
        std::fs::write(dir.path().join(WORKFLOW_FILE), "mine").unwrap();
        let err = write_files(dir.path(), Path::new(".")).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains(WORKFLOW_FILE), "{err}");
        assert!(!dir.path().join(CHECKLIST_FILE).exists());
        assert!(!dir.path().join(CONFIG_FILE).exists());
        assert_eq!(
            std::fs::read_to_string(dir.path().join(WORKFLOW_FILE)).unwrap(),
            "mine"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_dangling_symlink_counts_as_existing() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("nowhere", dir.path().join(CONFIG_FILE)).unwrap();
        let err = write_files(dir.path(), Path::new("d")).unwrap_err();
        assert!(
            err.to_string().contains("d/.release-dashboard.toml"),
            "{err}"
        );
        assert!(!dir.path().join("nowhere").exists());
    }

    #[test]
    fn the_directory_must_be_one() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        std::fs::write(&file, "x").unwrap();
        let err = write_files(&file, Path::new("file")).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("file: not a directory"), "{err}");
    }

    #[test]
    fn next_steps_name_the_directory() {
        let text = next_steps(Path::new("sub"));
        assert!(text.contains("sub/release-checklist.md"), "{text}");
        assert!(
            text.contains("cd sub && release-dashboard --offline"),
            "{text}"
        );
        let text = next_steps(Path::new("."));
        assert!(text.contains("  release-checklist.md"), "{text}");
        assert!(!text.contains("cd "), "{text}");
    }
}
