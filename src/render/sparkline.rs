//! A Unicode sparkline: one block character per score (pure).

/// The eight levels, lowest first.
const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// The level shown for every score when all scores are equal.
const FLAT: char = '▄';

/// One character per score, scaled from the lowest (`▁`) to the highest
/// (`█`) score given, so small moves stay visible. Equal scores give a flat
/// `▄` line; a non-finite score shows as a space.
///
/// ```
/// use release_dashboard::render::sparkline::sparkline;
///
/// assert_eq!(sparkline(&[80.0, 85.0, 90.0, 87.5]), "▁▅█▆");
/// assert_eq!(sparkline(&[90.0, 90.0]), "▄▄");
/// assert_eq!(sparkline(&[]), "");
/// ```
#[must_use]
pub fn sparkline(scores: &[f64]) -> String {
    let finite = || scores.iter().copied().filter(|s| s.is_finite());
    let low = finite().fold(f64::INFINITY, f64::min);
    let high = finite().fold(f64::NEG_INFINITY, f64::max);
    scores
        .iter()
        .map(|&score| level(score, low, high))
        .collect()
}

/// The character for `score` on the `low..=high` scale.
fn level(score: f64, low: f64, high: f64) -> char {
    if !score.is_finite() {
        return ' ';
    }
    if high <= low {
        return FLAT;
    }
    let top = (BARS.len() - 1) as f64;
    let step = ((score - low) / (high - low) * top).round();
    // `step` is within 0..=7 because low <= score <= high.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let step = step as usize;
    BARS.get(step).copied().unwrap_or(FLAT)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn snapshots() {
        let rising: Vec<f64> = (0..16).map(|i| 60.0 + f64::from(i) * 2.5).collect();
        insta::assert_snapshot!("rising", sparkline(&rising));
        let typical = [
            84.11, 84.11, 86.2, 90.36, 88.0, 91.5, 95.0, 93.25, 72.0, 79.9, 85.0, 97.14,
        ];
        insta::assert_snapshot!("typical", sparkline(&typical));
    }

    #[test]
    fn edges() {
        assert_eq!(sparkline(&[0.0, 100.0]), "▁█");
        assert_eq!(sparkline(&[42.0]), "▄");
        assert_eq!(sparkline(&[1.0, f64::NAN, 2.0]), "▁ █");
        assert_eq!(sparkline(&[f64::NAN]), " ");
        assert_eq!(sparkline(&[70.0, 70.0, 70.0]).chars().count(), 3);
    }

    #[test]
    fn is_deterministic() {
        let scores = [84.11, 90.36, 88.0];
        assert_eq!(sparkline(&scores), sparkline(&scores));
    }
}
