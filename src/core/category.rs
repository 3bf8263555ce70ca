//! A scoring category: which heading starts it, and how much it weighs.

use std::sync::LazyLock;

use regex::{Regex, RegexBuilder};
use serde::Serialize;

/// Where the categories of a run came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CategoriesFrom {
    /// `[[categories]]` in the config file.
    Config,
    /// The seed's four categories (Core Gates, Optional Gates, Deployment,
    /// Sign-off), all found in the document.
    Defaults,
    /// The document's own headings (no config, and not the seed's shape).
    Document,
}

impl CategoriesFrom {
    /// The word used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            CategoriesFrom::Config => "config",
            CategoriesFrom::Defaults => "defaults",
            CategoriesFrom::Document => "document",
        }
    }

    /// One line for people: where the categories came from and how to pin them.
    pub fn describe(self, count: usize) -> String {
        match self {
            CategoriesFrom::Config => {
                format!("{count} categories from [[categories]] in the config file")
            }
            CategoriesFrom::Defaults => "the four default categories (Core Gates 50%, Optional Gates 20%, Deployment 20%, Sign-off 10%)".to_string(),
            CategoriesFrom::Document => format!(
                "{count} categories read from the document's headings, every item weighing the same; `release-dashboard inspect` shows the reading and prints [[categories]] to pin it in .release-dashboard.toml"
            ),
        }
    }
}

/// A pattern that matches no heading.
static NEVER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[^\s\S]").expect("the empty class is a valid regex"));

/// One category of the checklist (e.g. "Core Gates").
#[derive(Debug, Clone)]
pub struct Category {
    /// Display name.
    pub name: String,
    /// Case-insensitive pattern matched against heading text.
    pub heading: Regex,
    /// Relative weight (≥ 0).
    pub weight: f64,
    /// Whether non-passing items are blockers.
    pub blocking: bool,
}

/// The seed tool's four categories: (name, heading regex, weight, blocking).
pub const DEFAULTS: [(&str, &str, f64, bool); 4] = [
    ("Core Gates", r"\bcore\b", 0.50, true),
    ("Optional Gates", r"\boptional\b", 0.20, false),
    ("Deployment", r"\bdeploy(ment)?\b", 0.20, false),
    ("Sign-off", r"\bsign[- ]?off\b", 0.10, false),
];

/// The history keys the seed tool wrote, one per default category.
pub const SEED_KEYS: [&str; 4] = [
    "core_score",
    "optional_score",
    "deployment_score",
    "signoff_score",
];

impl Category {
    /// Build a category, compiling `pattern` case-insensitively.
    pub fn new(
        name: &str,
        pattern: &str,
        weight: f64,
        blocking: bool,
    ) -> Result<Category, regex::Error> {
        let heading = RegexBuilder::new(pattern).case_insensitive(true).build()?;
        Ok(Category {
            name: name.to_string(),
            heading,
            weight,
            blocking,
        })
    }

    /// A category that no heading pattern describes (one read from the
    /// document whose text could not be compiled as a pattern).
    pub fn literal(name: &str, weight: f64, blocking: bool) -> Category {
        Category {
            name: name.to_string(),
            heading: NEVER.clone(),
            weight,
            blocking,
        }
    }

    /// Whether a heading's text starts this category.
    pub fn matches(&self, heading_text: &str) -> bool {
        self.heading.is_match(heading_text)
    }

    /// The seed history key (`core_score`, …) whose default pattern matches
    /// this category's name, if any.
    pub fn seed_key(&self) -> Option<&'static str> {
        DEFAULTS
            .iter()
            .zip(SEED_KEYS)
            .find(|((_, pattern, _, _), _)| {
                RegexBuilder::new(pattern)
                    .case_insensitive(true)
                    .build()
                    .is_ok_and(|re| re.is_match(&self.name))
            })
            .map(|(_, key)| key)
    }
}

/// The default categories, in order.
pub fn default_categories() -> Vec<Category> {
    DEFAULTS
        .iter()
        .filter_map(|(name, pattern, weight, blocking)| {
            Category::new(name, pattern, *weight, *blocking).ok()
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn default_patterns_respect_word_boundaries() {
        let cats = default_categories();
        assert_eq!(cats.len(), 4);
        let matching = |text: &str| -> Vec<&str> {
            cats.iter()
                .filter(|c| c.matches(text))
                .map(|c| c.name.as_str())
                .collect()
        };
        assert_eq!(matching("✅ Core Gates (Must Pass)"), ["Core Gates"]);
        assert_eq!(matching("CORE"), ["Core Gates"]);
        assert!(matching("Readiness Score").is_empty());
        assert!(matching("Hardcore mode").is_empty());
        assert_eq!(matching("🟡 Optional Gates"), ["Optional Gates"]);
        assert_eq!(matching("Deployment Automation"), ["Deployment"]);
        assert_eq!(matching("Deploy"), ["Deployment"]);
        assert!(matching("Deployments").is_empty());
        assert_eq!(matching("Final Sign-Off"), ["Sign-off"]);
        assert_eq!(matching("Signoff"), ["Sign-off"]);
        assert_eq!(matching("sign off"), ["Sign-off"]);
    }

    #[test]
    fn seed_keys_follow_names() {
        let cats = default_categories();
        let keys: Vec<_> = cats.iter().map(Category::seed_key).collect();
        assert_eq!(
            keys,
            [
                Some("core_score"),
                Some("optional_score"),
                Some("deployment_score"),
                Some("signoff_score")
            ]
        );
        let custom = Category::new("Docs", "docs", 1.0, false).unwrap();
        assert_eq!(custom.seed_key(), None);
    }
}
