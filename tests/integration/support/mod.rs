//! Test support: the command builder and assertions (`harness`), the
//! loopback HTTP server (`server`), XML checks (`xml`) and checklist and
//! runs fixtures (`fixtures`).

pub(crate) mod fixtures;
pub(crate) mod harness;
pub(crate) mod server;
pub(crate) mod xml;
