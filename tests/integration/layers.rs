//! The layering of ARCHITECTURE.md, checked on the source: `core` and
//! `render` are pure and never reach up into `shell`, `app` or `cli`;
//! `shell` never reaches up into `app` or `cli`; the clap structs stay in
//! `cli` and `app`.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// `(file:line, text)` of every line under `layer` that names one of
/// `forbidden` as `crate::NAME`.
fn reaches(layer: &str, forbidden: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for file in rust_files(&src().join(layer)) {
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, line) in text.lines().enumerate() {
            for name in forbidden {
                let needle = format!("crate::{name}");
                let hit = line.match_indices(&needle).any(|(at, _)| {
                    !line[at + needle.len()..]
                        .starts_with(|c: char| c.is_alphanumeric() || c == '_')
                });
                if hit {
                    found.push(format!("{}:{}: {}", file.display(), i + 1, line.trim()));
                }
            }
        }
    }
    found
}

#[test]
fn core_and_render_are_pure() {
    for layer in ["core", "render"] {
        let found = reaches(layer, &["shell", "app", "cli"]);
        assert!(
            found.is_empty(),
            "{layer} reaches up:\n{}",
            found.join("\n")
        );
    }
    let found = reaches("core", &["render"]);
    assert!(found.is_empty(), "core uses render:\n{}", found.join("\n"));
}

#[test]
fn shell_never_reaches_up() {
    let found = reaches("shell", &["app", "cli"]);
    assert!(found.is_empty(), "shell reaches up:\n{}", found.join("\n"));
}

#[test]
fn raw_flags_stay_in_cli_and_app() {
    let root = src();
    let outside: Vec<String> = rust_files(&root)
        .into_iter()
        .filter(|f| !f.starts_with(root.join("cli")) && !f.starts_with(root.join("app")))
        .filter(|f| std::fs::read_to_string(f).unwrap().contains("UpdateArgs"))
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        outside.is_empty(),
        "UpdateArgs outside cli/ and app/: {outside:?}"
    );
}

#[test]
fn few_files_at_the_root() {
    let root: Vec<_> = std::fs::read_dir(src())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "rs"))
        .collect();
    assert!(root.len() <= 5, "{root:?}");
}
