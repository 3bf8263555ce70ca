//! One retry policy: exponential back-off with optional jitter, a bounded
//! number of attempts, a time budget that no wait may overrun, and one
//! message shape for giving up ("… (after N attempts)").

use std::time::{Duration, Instant};

/// The longest wait a server can ask for (a year): an absurd `retry-after`
/// or reset time must not overflow the arithmetic on it.
pub const MAX_WAIT: Duration = Duration::from_secs(366 * 24 * 60 * 60);

/// base·2^(attempt−1), plus up to half a base of jitter when `jitter`.
#[must_use]
pub fn backoff(base: Duration, attempt: u32, jitter: bool) -> Duration {
    let factor = 2u32.saturating_pow(attempt.saturating_sub(1).min(10));
    let extra = if jitter {
        base.mul_f64(random_fraction() / 2.0)
    } else {
        Duration::ZERO
    };
    base.saturating_mul(factor).saturating_add(extra)
}

/// A number in [0, 1) from the process's random hasher seed.
#[must_use]
pub fn random_fraction() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0);
    #[allow(clippy::cast_precision_loss)]
    let fraction = (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64;
    fraction
}

/// What one attempt came to.
#[derive(Debug)]
pub enum Attempt<T, E> {
    /// Use this.
    Done(T),
    /// Give up now with this error.
    Fail(E),
    /// Wait, then try again if attempts and budget allow; else fail with
    /// `error`, whose message [`Limits::run`] extends with the attempt count.
    Retry { wait: Duration, error: E },
}

/// How persistent a caller is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Tries, the first included (at least 1).
    pub attempts: u32,
    /// No wait may end past this much time after the first try.
    pub budget: Option<Duration>,
}

/// An error whose message the retry loop can read and extend.
pub trait RetryError {
    /// The message, for the log line before a wait.
    fn message(&self) -> &str;
    /// Append to the message (" (after 3 attempts)").
    fn extend(&mut self, suffix: &str);
}

impl Limits {
    /// Run `once` (given the attempt number, from 1) until it is done, fails,
    /// or no retry is left; `log` gets one line per wait.
    ///
    /// # Errors
    ///
    /// The last attempt's error, with "(after N attempts)" when N > 1.
    pub fn run<T, E: RetryError>(
        &self,
        log: &dyn Fn(&str),
        mut once: impl FnMut(u32) -> Attempt<T, E>,
    ) -> Result<T, E> {
        let started = Instant::now();
        let attempts = self.attempts.max(1);
        let mut attempt = 1;
        loop {
            match once(attempt) {
                Attempt::Done(value) => return Ok(value),
                Attempt::Fail(error) => return Err(error),
                Attempt::Retry { wait, mut error } => {
                    let fits = self
                        .budget
                        .is_none_or(|budget| started.elapsed().saturating_add(wait) <= budget);
                    if attempt >= attempts || !fits {
                        if attempt > 1 {
                            error.extend(&format!(" (after {attempt} attempts)"));
                        }
                        return Err(error);
                    }
                    log(&format!(
                        "{}; retrying in {:.1} s (attempt {} of {attempts})",
                        error.message(),
                        wait.as_secs_f64(),
                        attempt + 1
                    ));
                    std::thread::sleep(wait);
                    attempt += 1;
                }
            }
        }
    }
}

/// `Retry-After` as whole seconds (servers here send seconds, not dates),
/// capped at [`MAX_WAIT`]; `None` when missing or malformed.
#[must_use]
pub fn retry_after(value: Option<&str>) -> Option<Duration> {
    value
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|secs| Duration::from_secs(secs).min(MAX_WAIT))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    #[derive(Debug, PartialEq)]
    struct Failed(String);

    impl RetryError for Failed {
        fn message(&self) -> &str {
            &self.0
        }
        fn extend(&mut self, suffix: &str) {
            self.0.push_str(suffix);
        }
    }

    #[test]
    fn backoff_doubles_and_jitter_stays_under_half_a_base() {
        let base = Duration::from_millis(100);
        assert_eq!(backoff(base, 1, false), base);
        assert_eq!(backoff(base, 3, false), base * 4);
        let jittered = backoff(base, 2, true);
        assert!(jittered >= base * 2 && jittered < base * 2 + base / 2);
        assert_eq!(backoff(Duration::MAX, 40, false), Duration::MAX);
    }

    #[test]
    fn the_loop_is_bounded_and_says_how_often_it_tried() {
        let lines = RefCell::new(Vec::new());
        let log = |line: &str| lines.borrow_mut().push(line.to_string());
        let limits = Limits {
            attempts: 3,
            budget: None,
        };
        let mut calls = 0;
        let result: Result<(), Failed> = limits.run(&log, |_| {
            calls += 1;
            Attempt::Retry {
                wait: Duration::ZERO,
                error: Failed("busy".into()),
            }
        });
        assert_eq!(calls, 3);
        assert_eq!(
            result.unwrap_err(),
            Failed("busy (after 3 attempts)".into())
        );
        assert_eq!(
            lines.borrow()[0],
            "busy; retrying in 0.0 s (attempt 2 of 3)"
        );
        let within = Limits {
            attempts: 5,
            budget: Some(Duration::from_millis(10)),
        };
        let result: Result<(), Failed> = within.run(&log, |_| Attempt::Retry {
            wait: Duration::from_secs(60),
            error: Failed("slow".into()),
        });
        assert_eq!(result.unwrap_err(), Failed("slow".into()));
    }

    #[test]
    fn retry_after_is_seconds_capped() {
        assert_eq!(retry_after(Some(" 7 ")), Some(Duration::from_secs(7)));
        assert_eq!(retry_after(Some("soon")), None);
        assert_eq!(retry_after(Some(&u64::MAX.to_string())), Some(MAX_WAIT));
        assert_eq!(retry_after(None), None);
    }
}
