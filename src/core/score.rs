//! Items → category scores → a weighted total, a status band and blockers.

use serde::Serialize;

use crate::core::category::{CategoriesFrom, Category};
use crate::core::checklist::{Checklist, Item};
use crate::core::gates::Gates;
use crate::core::status::ItemState;

/// The seed tool's status bands, decided on the unrounded total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// ≥ 95.
    ReleaseReady,
    /// ≥ 90.
    NearlyReady,
    /// ≥ 85.
    MinorBlockers,
    /// ≥ 70.
    InProgress,
    /// Below 70.
    NotReady,
}

impl Band {
    /// The band a total falls in.
    pub fn of(total: f64) -> Band {
        match total {
            t if t >= 95.0 => Band::ReleaseReady,
            t if t >= 90.0 => Band::NearlyReady,
            t if t >= 85.0 => Band::MinorBlockers,
            t if t >= 70.0 => Band::InProgress,
            _ => Band::NotReady,
        }
    }

    /// The JSON/history status word (`minor_blockers`).
    pub fn as_str(self) -> &'static str {
        match self {
            Band::ReleaseReady => "release_ready",
            Band::NearlyReady => "nearly_ready",
            Band::MinorBlockers => "minor_blockers",
            Band::InProgress => "in_progress",
            Band::NotReady => "not_ready",
        }
    }

    /// Human text (`Minor Blockers`).
    pub fn text(self) -> &'static str {
        match self {
            Band::ReleaseReady => "Release Ready",
            Band::NearlyReady => "Nearly Ready",
            Band::MinorBlockers => "Minor Blockers",
            Band::InProgress => "In Progress",
            Band::NotReady => "Not Ready",
        }
    }

    /// The seed's indicator emoji.
    pub fn emoji(self) -> &'static str {
        match self {
            Band::ReleaseReady | Band::NearlyReady => "🟢",
            Band::MinorBlockers => "🟡",
            Band::InProgress => "🟠",
            Band::NotReady => "🔴",
        }
    }
}

/// One category's tally.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryScore {
    pub name: String,
    pub weight: f64,
    pub blocking: bool,
    pub passing: usize,
    pub failing: usize,
    pub pending: usize,
    pub skipped: usize,
    /// passing + failing + pending.
    pub total: usize,
    /// passing / total × 100, unrounded; `None` when nothing is countable.
    pub score: Option<f64>,
    pub items: Vec<Item>,
}

/// A non-passing item of a blocking category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Blocker {
    pub category: String,
    pub name: String,
    pub state: ItemState,
    pub owner: Option<String>,
    pub line: usize,
}

/// The whole readiness score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    pub categories: Vec<CategoryScore>,
    /// Σ weight·score / Σ weight over categories with items; unrounded.
    pub total: f64,
    pub band: Band,
    pub blockers: Vec<Blocker>,
    /// Where the categories came from (set by the caller; `score` says
    /// `defaults`).
    pub categories_from: CategoriesFrom,
    /// Items bound to workflows, and where CI disagrees with the checklist.
    pub gates: Gates,
}

/// Nothing in the checklist can be counted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "no category has a countable item (a task-list item `- [ ]`/`- [x]`, or a row of a table with a Status column), so there is no score to compute; add items under the category headings"
)]
pub struct NothingToScore;

/// Score a parsed checklist. `categories` is parallel to `checklist.sections`.
/// Categories with no countable items get a warning and no weight.
pub fn score(
    checklist: &Checklist,
    categories: &[Category],
    warnings: &mut Vec<String>,
) -> Result<Score, NothingToScore> {
    let scored: Vec<CategoryScore> = categories
        .iter()
        .zip(&checklist.sections)
        .map(|(category, section)| tally(category, &section.items))
        .collect();
    for (cat, section) in scored.iter().zip(&checklist.sections) {
        if cat.score.is_none() && cat.weight > 0.0 {
            warnings.push(format!(
                "line {}: category \"{}\" has no countable items; its weight is shared out over the others",
                section.heading.line, cat.name
            ));
        }
    }
    let total = weighted_total(&scored).ok_or(NothingToScore)?;
    let blockers = blockers(&scored);
    Ok(Score {
        band: Band::of(total),
        categories: scored,
        total,
        blockers,
        categories_from: CategoriesFrom::Defaults,
        gates: Gates::default(),
    })
}

fn tally(category: &Category, items: &[Item]) -> CategoryScore {
    let count = |state| items.iter().filter(|i| i.state == state).count();
    let (passing, failing, pending, skipped) = (
        count(ItemState::Pass),
        count(ItemState::Fail),
        count(ItemState::Pending),
        count(ItemState::Skipped),
    );
    let total = passing + failing + pending;
    CategoryScore {
        name: category.name.clone(),
        weight: category.weight,
        blocking: category.blocking,
        passing,
        failing,
        pending,
        skipped,
        total,
        score: (total > 0).then(|| without_float_noise(passing as f64 * 100.0 / total as f64)),
        items: items.to_vec(),
    }
}

/// Σ weight·score / Σ weight over categories that have a score and a weight.
fn weighted_total(categories: &[CategoryScore]) -> Option<f64> {
    let (sum, weights) = categories
        .iter()
        .filter_map(|c| c.score.map(|s| (c.weight * s, c.weight)))
        .fold((0.0, 0.0), |(sum, weights), (ws, w)| {
            (sum + ws, weights + w)
        });
    (weights > 0.0).then(|| without_float_noise(sum / weights))
}

/// Drop binary floating-point noise (100.00000000000001, 94.99999999999999)
/// so that band edges are judged on the value a person would compute.
fn without_float_noise(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

fn blockers(categories: &[CategoryScore]) -> Vec<Blocker> {
    categories
        .iter()
        .filter(|c| c.blocking)
        .flat_map(|c| {
            c.items
                .iter()
                .filter(|i| !i.optional && matches!(i.state, ItemState::Fail | ItemState::Pending))
                .map(|i| Blocker {
                    category: c.name.clone(),
                    name: i.name.clone(),
                    state: i.state,
                    owner: i.owner.clone(),
                    line: i.line,
                })
        })
        .collect()
}

/// One item whose passing would raise the total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub category: String,
    pub name: String,
    pub line: usize,
    /// Points the total gains when this item passes.
    pub gain: f64,
}

/// The fewest non-passing items that, once passing, lift the total to
/// `threshold`: greedily the items worth the most points. Empty when the
/// total already meets it; `None` when even every item passing falls short
/// (impossible with the seed's rules, since all passing gives 100).
pub fn path_to_threshold(score: &Score, threshold: f64) -> Option<Vec<Step>> {
    let weights: f64 = score
        .categories
        .iter()
        .filter(|c| c.score.is_some())
        .map(|c| c.weight)
        .sum();
    if weights <= 0.0 {
        return None;
    }
    let mut candidates: Vec<Step> = score
        .categories
        .iter()
        .filter(|c| c.total > 0)
        .flat_map(|c| {
            let gain = c.weight / weights * 100.0 / c.total as f64;
            c.items
                .iter()
                .filter(|i| !i.optional && matches!(i.state, ItemState::Fail | ItemState::Pending))
                .map(move |i| Step {
                    category: c.name.clone(),
                    name: i.name.clone(),
                    line: i.line,
                    gain,
                })
        })
        .collect();
    candidates.sort_by(|a, b| b.gain.total_cmp(&a.gain).then(a.line.cmp(&b.line)));
    let mut total = score.total;
    let mut steps = Vec::new();
    for step in candidates {
        if total >= threshold - 1e-9 {
            break;
        }
        total += step.gain;
        steps.push(step);
    }
    (total >= threshold - 1e-9).then_some(steps)
}

/// Round to two decimals for output, exactly as Python's `round(x, 2)`
/// does (and as `format!("{x:.2}")` prints): the binary value is rounded
/// correctly, exact ties go to the even digit, so 3.125 becomes 3.12 and
/// 2.675 (really 2.67499…) becomes 2.67. Non-finite values pass through.
pub fn round2(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    format!("{x:.2}").parse().unwrap_or(x)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::core::category::default_categories;
    use crate::core::checklist::{Heading, Section};

    fn section(pass: usize, fail: usize, pending: usize, skipped: usize) -> Section {
        let states = [
            (ItemState::Pass, pass),
            (ItemState::Fail, fail),
            (ItemState::Pending, pending),
            (ItemState::Skipped, skipped),
        ];
        let items = states
            .iter()
            .flat_map(|&(state, n)| std::iter::repeat_n(state, n))
            .enumerate()
            .map(|(i, state)| Item {
                name: format!("item {i}"),
                state,
                owner: None,
                line: i + 10,
                decided_by: String::new(),
                optional: false,
                workflow: None,
                source: crate::core::checklist::Source::Written,
                run: None,
                written: None,
                status_span: None,
            })
            .collect();
        Section {
            heading: Heading {
                level: 2,
                text: "h".into(),
                line: 1,
                offset: 0,
            },
            items,
        }
    }

    fn score_of(sections: Vec<Section>) -> (Score, Vec<String>) {
        let checklist = Checklist {
            sections,
            warnings: vec![],
            passed_over: vec![],
        };
        let mut warnings = vec![];
        let s = score(&checklist, &default_categories(), &mut warnings).unwrap();
        (s, warnings)
    }

    #[test]
    fn the_seed_example_gives_84_11() {
        let (s, warnings) = score_of(vec![
            section(7, 0, 1, 0),
            section(7, 1, 0, 0),
            section(6, 1, 1, 0),
            section(11, 0, 3, 0),
        ]);
        assert_eq!(round2(s.total), 84.11);
        assert_eq!(s.band, Band::InProgress);
        assert_eq!(s.blockers.len(), 1);
        assert!(warnings.is_empty());
    }

    #[test]
    fn skipped_items_leave_the_total() {
        let (s, _) = score_of(vec![
            section(1, 0, 0, 5),
            section(1, 0, 0, 0),
            section(1, 0, 0, 0),
            section(1, 0, 0, 0),
        ]);
        assert_eq!(s.categories[0].total, 1);
        assert_eq!(s.categories[0].skipped, 5);
        assert_eq!(s.total, 100.0);
    }

    #[test]
    fn empty_category_shares_its_weight() {
        let (s, warnings) = score_of(vec![
            section(1, 1, 0, 0),
            section(0, 0, 0, 2),
            section(1, 0, 0, 0),
            section(0, 1, 0, 0),
        ]);
        // (0.5·50 + 0.2·100 + 0.1·0) / 0.8
        assert!((s.total - 56.25).abs() < 1e-9);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("Optional Gates"));
    }

    #[test]
    fn nothing_countable_is_an_error() {
        let checklist = Checklist {
            sections: vec![
                section(0, 0, 0, 1),
                section(0, 0, 0, 0),
                section(0, 0, 0, 0),
                section(0, 0, 0, 0),
            ],
            warnings: vec![],
            passed_over: vec![],
        };
        let err = score(&checklist, &default_categories(), &mut vec![]).unwrap_err();
        assert_eq!(err, NothingToScore);
    }

    #[test]
    fn band_edges() {
        assert_eq!(Band::of(100.0), Band::ReleaseReady);
        assert_eq!(Band::of(95.0), Band::ReleaseReady);
        assert_eq!(Band::of(94.999), Band::NearlyReady);
        assert_eq!(Band::of(90.0), Band::NearlyReady);
        assert_eq!(Band::of(89.999), Band::MinorBlockers);
        assert_eq!(Band::of(85.0), Band::MinorBlockers);
        assert_eq!(Band::of(84.999), Band::InProgress);
        assert_eq!(Band::of(70.0), Band::InProgress);
        assert_eq!(Band::of(69.99), Band::NotReady);
        assert_eq!(Band::of(0.0), Band::NotReady);
    }

    #[test]
    fn blockers_come_from_blocking_categories_only() {
        let (s, _) = score_of(vec![
            section(1, 1, 1, 1),
            section(0, 3, 0, 0),
            section(1, 0, 0, 0),
            section(1, 0, 0, 0),
        ]);
        let states: Vec<_> = s.blockers.iter().map(|b| b.state).collect();
        assert_eq!(states, [ItemState::Fail, ItemState::Pending]);
        assert!(s.blockers.iter().all(|b| b.category == "Core Gates"));
    }

    #[test]
    fn round2_matches_python_round() {
        // python3 -c 'print(round(3.125, 2), round(2.675, 2), round(0.125, 2))'
        assert_eq!(round2(3.125), 3.12);
        assert_eq!(round2(3.135), 3.13);
        assert_eq!(round2(2.675), 2.67);
        assert_eq!(round2(0.125), 0.12);
        assert_eq!(round2(-3.125), -3.12);
        assert_eq!(round2(84.107_142_857), 84.11);
        assert_eq!(round2(90.0), 90.0);
        assert_eq!(round2(1e300), 1e300);
        assert_eq!(round2(f64::INFINITY), f64::INFINITY);
        assert_eq!(round2(f64::NEG_INFINITY), f64::NEG_INFINITY);
        assert!(round2(f64::NAN).is_nan());
    }

    #[test]
    fn path_to_threshold_picks_the_most_valuable_items() {
        let (s, _) = score_of(vec![
            section(7, 0, 1, 0),
            section(7, 1, 0, 0),
            section(6, 1, 1, 0),
            section(11, 0, 3, 0),
        ]);
        let steps = path_to_threshold(&s, 90.0).unwrap();
        // Core item: 6.25 points; deployment items: 2.5 each.
        assert_eq!(steps[0].category, "Core Gates");
        assert!((steps[0].gain - 6.25).abs() < 1e-9);
        let reached = s.total + steps.iter().map(|st| st.gain).sum::<f64>();
        assert!(reached >= 90.0);
        let without_last = reached - steps.last().unwrap().gain;
        assert!(without_last < 90.0);
        assert!(path_to_threshold(&s, 80.0).unwrap().is_empty());
    }
}
