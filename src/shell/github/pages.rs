//! Following `Link: rel="next"` with bounds: a page URL already read ends
//! the listing (a server linking a page to itself, or pages in a cycle),
//! and no listing reads more than [`MAX_PAGES`] pages.

use std::collections::HashSet;

/// The most pages any one listing reads (10,000 items at 100 per page).
pub const MAX_PAGES: usize = 100;

/// The pages of one listing read so far.
#[derive(Debug)]
pub struct Pager {
    what: &'static str,
    seen: HashSet<String>,
    cap: usize,
}

impl Pager {
    /// A listing of `what` (for messages) starting at `first`.
    pub fn new(what: &'static str, first: &str) -> Pager {
        Pager::with_cap(what, first, MAX_PAGES)
    }

    /// [`Pager::new`] with another page cap (at least 1).
    pub fn with_cap(what: &'static str, first: &str, cap: usize) -> Pager {
        Pager {
            what,
            seen: HashSet::from([first.to_string()]),
            cap: cap.max(1),
        }
    }

    /// The page to read after the current one: `next` unless it was read
    /// already or the cap is reached, which ends the listing with the
    /// warning in `Err`.
    pub fn follow(&mut self, next: Option<String>) -> Result<Option<String>, String> {
        let Some(next) = next else {
            return Ok(None);
        };
        if self.seen.contains(&next) {
            return Err(format!(
                "GitHub's {} listing links to a page already read ({}); stopped after {} page(s)",
                self.what,
                crate::shell::http::redact::url_credentials(&next),
                self.seen.len()
            ));
        }
        if self.seen.len() >= self.cap {
            return Err(format!(
                "stopped reading {} after {} pages (the most one listing may take); what follows is ignored",
                self.what, self.cap
            ));
        }
        self.seen.insert(next.clone());
        Ok(Some(next))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_page_linking_to_itself_ends_the_listing() {
        let mut pager = Pager::new("runs", "https://api/x?page=1");
        let err = pager
            .follow(Some("https://api/x?page=1".into()))
            .unwrap_err();
        assert!(err.contains("already read"), "{err}");
    }

    #[test]
    fn a_cycle_and_the_cap_end_it_too() {
        let mut pager = Pager::with_cap("comments", "a", 3);
        assert_eq!(
            pager.follow(Some("b".into())).unwrap().as_deref(),
            Some("b")
        );
        assert!(pager.follow(Some("a".into())).is_err());
        assert_eq!(
            pager.follow(Some("c".into())).unwrap().as_deref(),
            Some("c")
        );
        assert!(
            pager
                .follow(Some("d".into()))
                .unwrap_err()
                .contains("after 3 pages")
        );
        assert_eq!(pager.follow(None).unwrap(), None);
    }
}
