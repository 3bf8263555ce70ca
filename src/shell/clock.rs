//! The current time, overridable with `SOURCE_DATE_EPOCH` for reproducible output.

use jiff::Timestamp;

use crate::error::{Error, Result};

/// `SOURCE_DATE_EPOCH` (seconds since 1970) when set, else the system clock.
pub fn now() -> Result<Timestamp> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(raw) => from_epoch(&raw),
        Err(_) => Ok(Timestamp::now()),
    }
}

fn from_epoch(raw: &str) -> Result<Timestamp> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .and_then(|secs| Timestamp::from_second(secs).ok())
        .ok_or_else(|| {
            Error::Input(format!(
                "SOURCE_DATE_EPOCH=`{raw}` is not a whole number of seconds since 1970; fix or unset it"
            ))
        })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_epoch_seconds() {
        assert_eq!(from_epoch("1764000000").unwrap().as_second(), 1_764_000_000);
        assert!(from_epoch("yesterday").is_err());
    }
}
