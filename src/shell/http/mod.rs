//! The one HTTP layer's shared parts: the retry loop and back-off that
//! GitHub, Slack and `git push` use, and the redaction every message built
//! from a URL or a response passes through.

pub mod redact;
pub mod retry;
