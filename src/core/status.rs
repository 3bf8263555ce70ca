//! The status vocabulary: how a table's Status cell becomes an item state.

use serde::Serialize;

/// The state of one checklist item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    /// Done / green.
    Pass,
    /// Red: counted, and a blocker in a blocking category.
    Fail,
    /// Not done yet: counted, and a blocker in a blocking category.
    Pending,
    /// Waived or not applicable: left out of the total.
    Skipped,
}

impl ItemState {
    /// The word used in JSON and text output.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemState::Pass => "pass",
            ItemState::Fail => "fail",
            ItemState::Pending => "pending",
            ItemState::Skipped => "skipped",
        }
    }

    /// An emoji for Markdown and terminal output.
    pub fn emoji(self) -> &'static str {
        match self {
            ItemState::Pass => "✅",
            ItemState::Fail => "❌",
            ItemState::Pending => "⏳",
            ItemState::Skipped => "⏭️",
        }
    }
}

const PASS: &[&str] = &[
    "✅",
    "🟢",
    "✔",
    "✓",
    "☑",
    "🟩",
    "[X]",
    "GO",
    "VERIFIED",
    "APPROVED",
    "SHIPPED",
    "RESOLVED",
    "SIGNED OFF",
    "LGTM",
    "PASS",
    "PASSED",
    "DONE",
    "COMPLETE",
    "COMPLETED",
    "OK",
    "GREEN",
    "READY",
    "YES",
    ":WHITE_CHECK_MARK:",
    ":HEAVY_CHECK_MARK:",
    ":GREEN_CIRCLE:",
    ":LARGE_GREEN_CIRCLE:",
    ":BALLOT_BOX_WITH_CHECK:",
];
/// Read only outside the seed's four-category mode (which keeps the
/// replaced tool's words).
const PASS_MORE: &[&str] = &[
    "DEPLOYED",
    "RELEASED",
    "FIXED",
    "FINISHED",
    "CLOSED",
    "SUCCESS",
    "SUCCEEDED",
    "SUCCESSFUL",
    "PASSING",
    "NO ISSUES",
    "NO BLOCKERS",
    "NO BLOCKER",
    "NO PROBLEMS",
    "NO CONCERNS",
    "NO REGRESSIONS",
    "NO FINDINGS",
    "NO OBJECTIONS",
    "☒",
    "🗹",
    "PUBLISHED",
    "MERGED",
    "ACCEPTED",
    "👍",
    ":+1:",
    ":THUMBSUP:",
];
const FAIL: &[&str] = &[
    "❌",
    "🔴",
    "✖",
    "✗",
    "✘",
    "🟥",
    "⛔",
    "NO-GO",
    "NO GO",
    "NOGO",
    "NOT OK",
    "NOT READY",
    "REJECTED",
    "FAIL",
    "FAILED",
    "FAILING",
    "BLOCKED",
    "RED",
    "NO",
    ":X:",
    ":RED_CIRCLE:",
    ":HEAVY_MULTIPLICATION_X:",
];
/// Read only outside the seed's four-category mode (which keeps the
/// replaced tool's words).
const FAIL_MORE: &[&str] = &["👎", ":-1:", ":THUMBSDOWN:"];
const PENDING: &[&str] = &[
    "🟡",
    "🟠",
    "⚠",
    "⏳",
    "🕒",
    "⌛",
    "☐",
    "⬜",
    "🔲",
    "🟨",
    "🟧",
    "🚧",
    "[ ]",
    "NOT STARTED",
    "NOT DONE",
    "NOT YET",
    "NOT APPROVED",
    "NOT VERIFIED",
    "INCOMPLETE",
    "IN REVIEW",
    "IN-PROGRESS",
    "ONGOING",
    "PLANNED",
    "PENDING",
    "TODO",
    "TBD",
    "WIP",
    "IN PROGRESS",
    "YELLOW",
    ":YELLOW_CIRCLE:",
    ":ORANGE_CIRCLE:",
    ":WARNING:",
    ":HOURGLASS:",
    ":HOURGLASS_FLOWING_SAND:",
];
/// Read only outside the seed's four-category mode (which keeps the
/// replaced tool's words).
const PENDING_MORE: &[&str] = &[
    "READY FOR REVIEW",
    "READY FOR QA",
    "READY FOR TESTING",
    "READY TO TEST",
    "TO DO",
    "⚪",
    "OPEN",
    "WAITING",
    "AWAITING",
    "SCHEDULED",
    "ON HOLD",
    "DRAFT",
    "🔵",
];
const SKIPPED: &[&str] = &[
    "N/A",
    "NA",
    "SKIP",
    "SKIPPED",
    "WAIVED",
    "⏭",
    "➖",
    ":FAST_FORWARD:",
    ":HEAVY_MINUS_SIGN:",
];
/// Read only outside the seed's four-category mode (which keeps the
/// replaced tool's words).
const SKIPPED_MORE: &[&str] = &[
    "DEFERRED",
    "NOT APPLICABLE",
    "NOT REQUIRED",
    "NOT NEEDED",
    "NOT RELEVANT",
    "DESCOPED",
    "OUT OF SCOPE",
    "WONTFIX",
    "WON'T DO",
    "CANCELLED",
    "CANCELED",
];

/// Marks that make a bullet a status item (`- ❌ BLOCKER — …`): unambiguous
/// status glyphs and shortcodes only. `⚠️` and `ℹ️` start notes as often
/// as statuses, so they do not.
const MARKS: &[(&str, ItemState)] = &[
    ("✅", ItemState::Pass),
    ("✔", ItemState::Pass),
    ("✓", ItemState::Pass),
    ("☑", ItemState::Pass),
    ("🟢", ItemState::Pass),
    ("🟩", ItemState::Pass),
    ("☒", ItemState::Pass),
    ("🗹", ItemState::Pass),
    ("👍", ItemState::Pass),
    (":white_check_mark:", ItemState::Pass),
    (":heavy_check_mark:", ItemState::Pass),
    (":ballot_box_with_check:", ItemState::Pass),
    (":green_circle:", ItemState::Pass),
    ("❌", ItemState::Fail),
    ("✗", ItemState::Fail),
    ("✘", ItemState::Fail),
    ("✖", ItemState::Fail),
    ("🔴", ItemState::Fail),
    ("🟥", ItemState::Fail),
    ("⛔", ItemState::Fail),
    (":x:", ItemState::Fail),
    (":red_circle:", ItemState::Fail),
    (":no_entry:", ItemState::Fail),
    ("🟡", ItemState::Pending),
    ("🟠", ItemState::Pending),
    ("🟨", ItemState::Pending),
    ("🟧", ItemState::Pending),
    ("⏳", ItemState::Pending),
    ("⌛", ItemState::Pending),
    ("☐", ItemState::Pending),
    ("⬜", ItemState::Pending),
    ("🔲", ItemState::Pending),
    ("🚧", ItemState::Pending),
    ("🔵", ItemState::Pending),
    ("⚪", ItemState::Pending),
    (":yellow_circle:", ItemState::Pending),
    (":orange_circle:", ItemState::Pending),
    (":hourglass:", ItemState::Pending),
    (":hourglass_flowing_sand:", ItemState::Pending),
    (":construction:", ItemState::Pending),
    (":white_large_square:", ItemState::Pending),
    ("⏭", ItemState::Skipped),
    (":fast_forward:", ItemState::Skipped),
];

/// The status mark that starts `text` (variation selectors allowed after
/// it), its state, and the rest of the text with separators (`—`, `-`,
/// `:`) trimmed off its start.
///
/// ```
/// use release_dashboard::core::status::{ItemState, leading_mark};
///
/// assert_eq!(
///     leading_mark("❌ BLOCKER — supply capped"),
///     Some(("❌", ItemState::Fail, "BLOCKER — supply capped"))
/// );
/// assert_eq!(leading_mark("Version: 1.2"), None);
/// ```
pub fn leading_mark(text: &str) -> Option<(&str, ItemState, &str)> {
    let text = text.trim_start();
    // `[✅] DNS TTL lowered`: a mark in a checkbox's brackets.
    let (text, bracketed) = match text.strip_prefix('[') {
        Some(inner) => (inner.trim_start(), true),
        None => (text, false),
    };
    MARKS.iter().find_map(|(mark, state)| {
        let rest = if mark.starts_with(':') {
            let head = text.get(..mark.len())?;
            head.eq_ignore_ascii_case(mark)
                .then(|| &text[mark.len()..])?
        } else {
            text.strip_prefix(mark)?
        };
        let rest = rest.trim_start_matches(['\u{FE0F}', '\u{FE0E}']);
        let rest = if bracketed {
            rest.trim_start().strip_prefix(']')?
        } else {
            rest
        };
        let rest = rest
            .trim_start()
            .trim_start_matches(['—', '–', '-', ':', '=', '|'])
            .trim_start();
        Some((*mark, *state, rest))
    })
}

/// A status mark that ends `text` (`Security review ✅`), or follows its
/// label's colon (`Release notes: ✅ done`): the mark, its state and the
/// text before it, trimmed of separators. The label must not be empty.
///
/// ```
/// use release_dashboard::core::status::{ItemState, trailing_mark};
///
/// assert_eq!(
///     trailing_mark("Docker image: ❌"),
///     Some(("❌", ItemState::Fail, "Docker image"))
/// );
/// assert_eq!(trailing_mark("Changelog: ✅ done"), Some(("✅", ItemState::Pass, "Changelog")));
/// assert_eq!(trailing_mark("Note: ✅ means verified in staging"), None);
/// assert_eq!(trailing_mark("Use ✅ for done"), None);
/// assert_eq!(trailing_mark("Legend: ✅ done · ❌ failed"), None);
/// assert_eq!(trailing_mark("Mark finished items with ✅"), None);
/// assert_eq!(
///     trailing_mark("Perf budget — ❌ (+12% TTI)"),
///     Some(("❌", ItemState::Fail, "Perf budget"))
/// );
/// assert_eq!(trailing_mark("Docs review (✅)"), Some(("✅", ItemState::Pass, "Docs review")));
/// ```
pub fn trailing_mark(text: &str) -> Option<(&str, ItemState, &str)> {
    fn label(head: &str) -> Option<&str> {
        let head = head
            .trim_end()
            .trim_end_matches(['—', '–', '-', ':', '=', '|', '(', '['])
            .trim_end();
        (!head.is_empty() && !explains_marks(head)).then_some(head)
    }
    // `Security review ✅.`, `Architecture review (✅)`.
    let bare = text
        .trim_end()
        .trim_end_matches(['.', '!', ')', ']'])
        .trim_end_matches(['\u{FE0F}', '\u{FE0E}']);
    let at_end = MARKS.iter().find_map(|(mark, state)| {
        let head = if mark.starts_with(':') {
            let at = bare.len().checked_sub(mark.len())?;
            let tail = bare.get(at..)?;
            tail.eq_ignore_ascii_case(mark).then(|| &bare[..at])?
        } else {
            bare.strip_suffix(mark)?
        };
        Some((*mark, *state, label(head)?))
    });
    at_end.or_else(|| {
        // The first separator (`:`, ` — `, ` – `, ` - `) a mark follows.
        let (head, after) = [":", " — ", " – ", " - "]
            .iter()
            .filter_map(|sep| text.find(sep).map(|at| (at, sep.len())))
            .filter(|&(at, len)| leading_mark(&text[at + len..]).is_some())
            .min()
            .map(|(at, len)| (&text[..at], &text[at + len..]))?;
        let (mark, state, rest) = leading_mark(after)?;
        // `Legend: ✅ done · ❌ failed` lists marks and `Status: ✅ means
        // verified` explains one; neither is an item.
        let explains = {
            let rest = rest.to_lowercase();
            ["means", "=", "indicates", "stands for", "denotes", "for "]
                .iter()
                .any(|w| rest.starts_with(w))
        };
        (!has_mark(rest) && !explains).then_some(())?;
        Some((mark, state, label(head)?))
    })
}

static LEGEND_TITLE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)^\W*(?:(?:status|emoji|icon|symbol|mark)s?\s+)?(?:legend\b|key\W*$|key\s+to\b|key\s*(?:/|&|and)\s*legend\b)",
    )
    .expect("legend regex is valid")
});

/// Whether a heading or label names a legend that explains the marks:
/// `Legend`, `Status key`, `Key:`, `Key to the symbols` — not `Key rotation`
/// or `Key milestones`.
///
/// ```
/// use release_dashboard::core::status::is_legend_title;
///
/// assert!(is_legend_title("Legend (what the marks mean)"));
/// assert!(is_legend_title("Status key:"));
/// assert!(!is_legend_title("Key rotation"));
/// ```
pub fn is_legend_title(text: &str) -> bool {
    LEGEND_TITLE.is_match(text)
}

/// `Note: ✅ means …`, `Tip: …`: a remark, not an item.
fn is_note(label: &str) -> bool {
    let word: String = label
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '.')
        .collect();
    matches!(
        word.trim_end_matches('.'),
        "NOTE"
            | "NOTES"
            | "NB"
            | "N.B"
            | "TIP"
            | "HINT"
            | "EXAMPLE"
            | "E.G"
            | "IMPORTANT"
            | "WARNING"
    ) && label[word.len()..].trim().is_empty()
}

/// Whether `text` holds a status mark anywhere.
fn has_mark(text: &str) -> bool {
    MARKS
        .iter()
        .any(|(mark, _)| !mark.starts_with(':') && text.contains(mark))
}

/// Text before a mark that explains marks rather than naming an item:
/// another mark in it, a legend or key, or an instruction that ends with
/// "with", "use", "as", "means", … (`Mark finished items with ✅`).
fn explains_marks(label: &str) -> bool {
    const LEADS_TO_A_MARK: &[&str] = &[
        "WITH", "USE", "USING", "USES", "AS", "BY", "MEANS", "MEAN", "SEE", "LIKE", "AN", "A",
        "THE", "OR", "AND", "=",
    ];
    let upper = normalise(label);
    let first = upper.trim_start_matches(|c: char| !c.is_alphanumeric());
    let last = upper
        .split(|c: char| c.is_whitespace())
        .rfind(|w| !w.is_empty())
        .unwrap_or("");
    has_mark(label) || is_legend_title(first) || LEADS_TO_A_MARK.contains(&last) || is_note(first)
}

/// Words that map status cells to states: the built-in list plus additions.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    /// Normalised terms with their state, longest first so that "IN PROGRESS"
    /// wins over a shorter term starting at the same place.
    terms: Vec<(String, ItemState)>,
    /// The config's additions, kept for [`Vocabulary::classic`].
    additions: Vec<(String, ItemState)>,
    /// More words, and negated or qualified words (`not shipped`, `almost
    /// done`) read as pending; false in the seed's four-category mode.
    extended: bool,
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary::with_additions(&[])
    }
}

impl Vocabulary {
    /// The built-in vocabulary plus `(word, state)` additions from the config.
    pub fn with_additions(additions: &[(String, ItemState)]) -> Vocabulary {
        Vocabulary::build(additions, true)
    }

    /// The words the seed's four-category mode reads: the replaced tool's
    /// (the built-in list as it was when that mode was fixed) plus the
    /// config's additions, without negation, so a switched checklist
    /// scores as before.
    #[must_use]
    pub fn classic(&self) -> Vocabulary {
        Vocabulary::build(&self.additions, false)
    }

    fn build(additions: &[(String, ItemState)], extended: bool) -> Vocabulary {
        let mut builtin = vec![
            (PASS, ItemState::Pass),
            (FAIL, ItemState::Fail),
            (PENDING, ItemState::Pending),
            (SKIPPED, ItemState::Skipped),
        ];
        if extended {
            builtin.extend([
                (PASS_MORE, ItemState::Pass),
                (FAIL_MORE, ItemState::Fail),
                (PENDING_MORE, ItemState::Pending),
                (SKIPPED_MORE, ItemState::Skipped),
            ]);
        }
        let mut terms: Vec<(String, ItemState)> = builtin
            .iter()
            .flat_map(|(words, state)| words.iter().map(move |w| (normalise(w), *state)))
            .collect();
        terms.extend(
            additions
                .iter()
                .map(|(w, s)| (normalise(w), *s))
                .filter(|(w, _)| !w.trim().is_empty()),
        );
        terms.sort_by_key(|(term, _)| std::cmp::Reverse(term.len()));
        Vocabulary {
            terms,
            additions: additions.to_vec(),
            extended,
        }
    }

    /// The state named by the first recognised term from the left of `cell`,
    /// or `None` when no term is recognised.
    ///
    /// ```
    /// use release_dashboard::core::status::{ItemState, Vocabulary};
    ///
    /// let words = Vocabulary::default();
    /// assert_eq!(words.classify("✅ PASS (was ❌)"), Some(ItemState::Pass));
    /// assert_eq!(words.classify("In progress"), Some(ItemState::Pending));
    /// assert_eq!(words.classify("N/A"), Some(ItemState::Skipped));
    /// assert_eq!(words.classify("Wobbly"), None);
    /// assert_eq!(words.classify("not deployed yet"), Some(ItemState::Pending));
    /// ```
    pub fn classify(&self, cell: &str) -> Option<ItemState> {
        let text = normalise(cell);
        text.char_indices()
            .filter(|&(i, _)| starts_token(&text, i))
            .find_map(|(i, _)| {
                let state = self.term_at(&text, i)?;
                // "Not shipped", "almost done", "not blocked": a negated or
                // qualified pass or fail word is neither (the listed
                // "NOT …" terms match first, at the "NOT").
                let decided = matches!(state, ItemState::Pass | ItemState::Fail);
                Some(if self.extended && decided && negated(&text[..i]) {
                    ItemState::Pending
                } else {
                    state
                })
            })
    }

    /// Whether `text` is nothing but status words (`Done`, `Failed /
    /// blocked`), as in a legend (`- ✅ Done`).
    pub fn only_status_words(&self, text: &str) -> bool {
        let parts: Vec<&str> = text
            .split(['/', ',', ';', '|', '(', ')'])
            .map(|p| p.trim().trim_end_matches(['.', ':']))
            .filter(|p| !p.is_empty())
            .collect();
        !parts.is_empty()
            && parts.iter().all(|part| {
                let part = normalise(part);
                let part = part.strip_prefix("OR ").unwrap_or(&part).trim();
                self.terms.iter().any(|(term, _)| term == part)
            })
    }

    fn term_at(&self, text: &str, at: usize) -> Option<ItemState> {
        let rest = &text[at..];
        self.terms
            .iter()
            .find(|(term, _)| rest.starts_with(term.as_str()) && ends_token(text, at, term))
            .map(|(_, state)| *state)
    }
}

/// Uppercase and drop variation selectors, so "⚠️" matches "⚠" and "pass" matches "PASS".
fn normalise(s: &str) -> String {
    s.chars()
        .filter(|&c| c != '\u{FE0F}' && c != '\u{FE0E}')
        .flat_map(char::to_uppercase)
        .collect()
}

/// Whether one of the last three words of `before`'s clause negates or
/// qualifies what follows (`not shipped`, `not fully done`, `isn't
/// deployed`, `almost done`, `partially done`).
fn negated(before: &str) -> bool {
    const NEGATIONS: &[&str] = &[
        "NOT",
        "NEVER",
        "ISN'T",
        "ISNT",
        "AREN'T",
        "WASN'T",
        "WEREN'T",
        "HASN'T",
        "HAVEN'T",
        "HADN'T",
        "DIDN'T",
        "DOESN'T",
        "CAN'T",
        "CANNOT",
        "WON'T",
        "ISN’T",
        "DIDN’T",
        "WASN’T",
        "ALMOST",
        "NEARLY",
        "PARTIALLY",
        "PARTLY",
        "HALF",
        "MOSTLY",
    ];
    let clause = before
        .rsplit([',', ';', '.', '/', '|', '(', ')', '—', '–', ':'])
        .next()
        .unwrap_or(before);
    clause
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .rev()
        .take(3)
        .any(|word| NEGATIONS.contains(&word))
}

/// A word term must not start in the middle of a word.
fn starts_token(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|prev| !prev.is_alphanumeric())
}

/// A word term must not end in the middle of a word ("NO" does not match "NOTE").
fn ends_token(text: &str, at: usize, term: &str) -> bool {
    let last_is_word = term.chars().next_back().is_some_and(char::is_alphanumeric);
    let next = text[at + term.len()..].chars().next();
    !last_is_word || next.is_none_or(|c| !c.is_alphanumeric())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn state(cell: &str) -> Option<ItemState> {
        Vocabulary::default().classify(cell)
    }

    #[test]
    fn every_builtin_word_is_recognised() {
        for (words, expected) in [
            (PASS, ItemState::Pass),
            (FAIL, ItemState::Fail),
            (PENDING, ItemState::Pending),
            (SKIPPED, ItemState::Skipped),
            (PASS_MORE, ItemState::Pass),
            (FAIL_MORE, ItemState::Fail),
            (PENDING_MORE, ItemState::Pending),
            (SKIPPED_MORE, ItemState::Skipped),
        ] {
            for word in words {
                assert_eq!(state(word), Some(expected), "{word}");
                assert_eq!(state(&word.to_lowercase()), Some(expected), "{word}");
                assert_eq!(
                    state(&format!("  {word} (see notes)")),
                    Some(expected),
                    "{word}"
                );
            }
        }
    }

    #[test]
    fn the_seed_mode_keeps_the_replaced_tools_words() {
        let classic = Vocabulary::with_additions(&[("SHIPIT".into(), ItemState::Pass)]).classic();
        assert_eq!(classic.classify("Passing"), None);
        assert_eq!(classic.classify("Not shipped"), Some(ItemState::Pass));
        assert_eq!(classic.classify("shipit"), Some(ItemState::Pass));
    }

    #[test]
    fn a_negated_pass_word_is_pending() {
        assert_eq!(state("Not shipped"), Some(ItemState::Pending));
        assert_eq!(state("not   complete"), Some(ItemState::Pending));
        assert_eq!(state("Never deployed"), Some(ItemState::Pending));
        assert_eq!(state("Not ready"), Some(ItemState::Fail));
        assert_eq!(state("Knot done"), Some(ItemState::Pass));
        assert_eq!(state("not fully done"), Some(ItemState::Pending));
        assert_eq!(state("isn't deployed"), Some(ItemState::Pending));
        assert_eq!(state("Not needed"), Some(ItemState::Skipped));
        assert_eq!(state("Not blocked"), Some(ItemState::Pending));
        assert_eq!(state("Almost done"), Some(ItemState::Pending));
        assert_eq!(state("Half-done"), Some(ItemState::Pending));
        assert_eq!(state("Ready for review"), Some(ItemState::Pending));
        assert_eq!(state("No issues"), Some(ItemState::Pass));
        assert_eq!(state("Fixed in #12"), Some(ItemState::Pass));
        assert_eq!(state("Not applicable"), Some(ItemState::Skipped));
        assert_eq!(state("👍"), Some(ItemState::Pass));
        assert_eq!(state("Deferred to 5.1"), Some(ItemState::Skipped));
    }

    #[test]
    fn emoji_with_and_without_variation_selector() {
        assert_eq!(state("⚠️ Pending review"), Some(ItemState::Pending));
        assert_eq!(state("⚠ waiting"), Some(ItemState::Pending));
        assert_eq!(state("⏭️"), Some(ItemState::Skipped));
        assert_eq!(state("✔️ shipped"), Some(ItemState::Pass));
    }

    #[test]
    fn first_term_from_the_left_wins() {
        assert_eq!(state("✅ PASS (was ❌ FAIL)"), Some(ItemState::Pass));
        assert_eq!(state("🔴 FAIL → ✅ next week"), Some(ItemState::Fail));
        assert_eq!(state("Blocked, then done"), Some(ItemState::Fail));
        assert_eq!(state("In progress — not done"), Some(ItemState::Pending));
    }

    #[test]
    fn words_match_whole_words_only() {
        assert_eq!(state("NOTE"), None);
        assert_eq!(state("Passingly"), None);
        assert_eq!(state("Unknown"), None);
        assert_eq!(state("NAN"), None);
        assert_eq!(state("n/a"), Some(ItemState::Skipped));
        assert_eq!(state("no"), Some(ItemState::Fail));
        assert_eq!(state("OK."), Some(ItemState::Pass));
        assert_eq!(state(""), None);
    }

    #[test]
    fn additions_extend_the_vocabulary() {
        let vocab = Vocabulary::with_additions(&[
            ("Shipped".to_string(), ItemState::Pass),
            ("On hold".to_string(), ItemState::Pending),
        ]);
        assert_eq!(vocab.classify("SHIPPED 🚢"), Some(ItemState::Pass));
        assert_eq!(vocab.classify("on hold"), Some(ItemState::Pending));
        assert_eq!(vocab.classify("pass"), Some(ItemState::Pass));
    }

    #[test]
    fn negations_are_not_their_positive_word() {
        assert_eq!(state("Not done"), Some(ItemState::Pending));
        assert_eq!(state("not ready"), Some(ItemState::Fail));
        assert_eq!(state("Not started"), Some(ItemState::Pending));
        assert_eq!(state("Incomplete"), Some(ItemState::Pending));
        assert_eq!(state("NO-GO"), Some(ItemState::Fail));
        assert_eq!(state("Go"), Some(ItemState::Pass));
    }

    #[test]
    fn leading_marks_and_legends() {
        assert_eq!(
            leading_mark("✅️ — Threat model"),
            Some(("✅", ItemState::Pass, "Threat model"))
        );
        assert_eq!(
            leading_mark(":x: broken"),
            Some((":x:", ItemState::Fail, "broken"))
        );
        assert_eq!(leading_mark("⚠️ a note"), None);
        let v = Vocabulary::default();
        assert!(v.only_status_words("Done"));
        assert!(v.only_status_words("Failed / blocked"));
        assert!(!v.only_status_words("Threat model documented"));
    }

    #[test]
    fn shortcodes_are_recognised() {
        assert_eq!(state(":white_check_mark:"), Some(ItemState::Pass));
        assert_eq!(state(":x: broken"), Some(ItemState::Fail));
    }
}
