//! Conditional-request cache: the ETag and body of the runs pages last
//! fetched, per (API, repository, branch, token). An optimisation only: a
//! missing or broken cache file is ignored, and a failed save is harmless.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Pages kept at most (1,000 runs at 100 per page).
const MAX_PAGES: usize = 10;

/// One cached page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedPage {
    pub etag: String,
    pub body: String,
    /// The page's `Link: rel="next"` (a 304 may not repeat it).
    #[serde(default)]
    pub next: Option<String>,
}

/// The cache file's content: page URL → cached page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EtagCache {
    version: u32,
    pages: BTreeMap<String, CachedPage>,
    /// Pages touched in this run, in order; only these are saved.
    #[serde(skip)]
    touched: Vec<String>,
    /// `--no-cache`: remember nothing, offer nothing.
    #[serde(skip)]
    disabled: bool,
}

impl EtagCache {
    /// Read the cache file; any problem gives an empty cache.
    pub fn load(path: &Path) -> EtagCache {
        std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<EtagCache>(&bytes).ok())
            .filter(|cache| cache.version == 1)
            .unwrap_or_default()
    }

    /// A cache that keeps nothing (for `--no-cache`).
    pub fn disabled() -> EtagCache {
        EtagCache {
            disabled: true,
            ..EtagCache::default()
        }
    }

    /// The cached page for `url`, if any.
    pub fn get(&self, url: &str) -> Option<&CachedPage> {
        self.pages.get(url)
    }

    /// Remember `url`'s page (only when the server sent an ETag). Only the
    /// first [`MAX_PAGES`] pages of a run are kept, so memory stays bounded
    /// however many runs are fetched.
    pub fn put(&mut self, url: &str, etag: &str, body: &[u8], next: Option<&str>) {
        let full = !self.pages.contains_key(url) && self.touched.len() >= MAX_PAGES;
        if self.disabled || full {
            return;
        }
        let Ok(body) = String::from_utf8(body.to_vec()) else {
            return;
        };
        self.pages.insert(
            url.to_string(),
            CachedPage {
                etag: etag.to_string(),
                body,
                next: next.map(str::to_string),
            },
        );
        self.touch(url);
    }

    /// Mark a page as used in this run (a 304 reuse).
    pub fn touch(&mut self, url: &str) {
        if !self.touched.iter().any(|u| u == url) {
            self.touched.push(url.to_string());
        }
    }

    /// Whether this run used no page (nothing worth saving).
    pub fn is_empty(&self) -> bool {
        self.touched.is_empty()
    }

    /// The bytes to save: only this run's pages, at most [`MAX_PAGES`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let pages: BTreeMap<String, CachedPage> = self
            .touched
            .iter()
            .take(MAX_PAGES)
            .filter_map(|url| self.pages.get(url).map(|p| (url.clone(), p.clone())))
            .collect();
        let saved = EtagCache {
            version: 1,
            pages,
            ..EtagCache::default()
        };
        serde_json::to_vec(&saved).unwrap_or_default()
    }
}

/// The directory for the HTTP cache, so it never shows in `git status`:
/// `RELEASE_DASHBOARD_CACHE_DIR` when set; else the user's cache directory
/// plus `release-dashboard`: `$XDG_CACHE_HOME` (when absolute) or
/// `~/.cache` on Linux and other Unix systems, `~/Library/Caches` on
/// macOS, `%LOCALAPPDATA%` on Windows. `None` when none of these is known
/// (the caller then keeps the cache beside the history file).
pub fn user_cache_dir() -> Option<PathBuf> {
    cache_dir_for(std::env::consts::OS, |name| std::env::var_os(name))
}

/// [`user_cache_dir`] for operating system `os` (as in
/// [`std::env::consts::OS`]) and environment `var`.
pub fn cache_dir_for(
    os: &str,
    var: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> Option<PathBuf> {
    let set = |name: &str| var(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = set("RELEASE_DASHBOARD_CACHE_DIR") {
        return Some(dir);
    }
    let base = match os {
        "windows" => set("LOCALAPPDATA"),
        "macos" => set("HOME").map(|home| home.join("Library").join("Caches")),
        _ => set("XDG_CACHE_HOME")
            .filter(|dir| dir.is_absolute())
            .or_else(|| set("HOME").map(|home| home.join(".cache"))),
    };
    base.map(|dir| dir.join("release-dashboard"))
}

/// The cache file for one (API, repository, branch, token) under `dir`.
/// The token enters only as part of a hash, so the name reveals nothing.
pub fn cache_path(dir: &Path, api: &str, repo: &str, branch: &str, token: &str) -> PathBuf {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (api, repo, branch, token).hash(&mut hasher);
    dir.join(format!("github-runs-{:016x}.json", hasher.finish()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_only_touched_pages() {
        let mut cache = EtagCache::default();
        cache.put("u1", "\"e1\"", b"{}", Some("u2"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        std::fs::write(&path, cache.to_bytes()).unwrap();
        let mut loaded = EtagCache::load(&path);
        assert_eq!(loaded.get("u1").unwrap().etag, "\"e1\"");
        loaded.put("u2", "\"e2\"", b"[]", None);
        let saved: EtagCache = serde_json::from_slice(&loaded.to_bytes()).unwrap();
        assert!(saved.get("u1").is_none());
        assert!(saved.get("u2").is_some());
    }

    #[test]
    fn memory_is_bounded_and_disabled_keeps_nothing() {
        let mut cache = EtagCache::default();
        for i in 0..50 {
            cache.put(&format!("u{i}"), "e", b"body", None);
        }
        assert_eq!(cache.pages.len(), MAX_PAGES);
        let mut off = EtagCache::disabled();
        off.put("u", "e", b"body", None);
        assert!(off.get("u").is_none() && off.is_empty());
    }

    #[test]
    fn broken_files_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        std::fs::write(&path, "{not json").unwrap();
        assert_eq!(EtagCache::load(&path), EtagCache::default());
        assert_eq!(
            EtagCache::load(&dir.path().join("missing")),
            EtagCache::default()
        );
    }

    #[test]
    fn the_cache_lives_in_the_platforms_user_cache_directory() {
        use std::ffi::OsString;
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        let home = &[("HOME", "/home/ana")];
        assert_eq!(
            cache_dir_for("linux", env(home)),
            Some(PathBuf::from("/home/ana/.cache/release-dashboard"))
        );
        let xdg = &[("HOME", "/home/ana"), ("XDG_CACHE_HOME", "/var/cache/ana")];
        assert_eq!(
            cache_dir_for("linux", env(xdg)),
            Some(PathBuf::from("/var/cache/ana/release-dashboard"))
        );
        // A relative XDG_CACHE_HOME is invalid by the spec: ignored.
        let relative = &[("HOME", "/home/ana"), ("XDG_CACHE_HOME", "rel")];
        assert_eq!(
            cache_dir_for("freebsd", env(relative)),
            Some(PathBuf::from("/home/ana/.cache/release-dashboard"))
        );
        assert_eq!(
            cache_dir_for("macos", env(xdg)),
            Some(PathBuf::from("/home/ana/Library/Caches/release-dashboard"))
        );
        let windows = &[("LOCALAPPDATA", r"C:\Users\ana\AppData\Local")];
        assert_eq!(
            cache_dir_for("windows", env(windows)),
            Some(PathBuf::from(r"C:\Users\ana\AppData\Local").join("release-dashboard"))
        );
        let custom = &[
            ("HOME", "/home/ana"),
            ("RELEASE_DASHBOARD_CACHE_DIR", "/tmp/rd"),
        ];
        assert_eq!(
            cache_dir_for("linux", env(custom)),
            Some(PathBuf::from("/tmp/rd"))
        );
        assert_eq!(cache_dir_for("linux", env(&[])), None);
        assert_eq!(cache_dir_for("windows", env(home)), None);
    }

    #[test]
    fn path_depends_on_every_part_and_hides_the_token() {
        let dir = Path::new(".cache");
        let a = cache_path(dir, "api", "o/r", "main", "ghp_secret");
        assert_ne!(a, cache_path(dir, "api", "o/r", "main", "other"));
        assert_ne!(a, cache_path(dir, "api", "o/r", "dev", "ghp_secret"));
        assert!(!a.to_string_lossy().contains("ghp_secret"));
    }
}
