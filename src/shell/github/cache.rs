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
    fn path_depends_on_every_part_and_hides_the_token() {
        let dir = Path::new(".cache");
        let a = cache_path(dir, "api", "o/r", "main", "ghp_secret");
        assert_ne!(a, cache_path(dir, "api", "o/r", "main", "other"));
        assert_ne!(a, cache_path(dir, "api", "o/r", "dev", "ghp_secret"));
        assert!(!a.to_string_lossy().contains("ghp_secret"));
    }
}
