//! Effects: files (atomic writes, locks, interrupts), the clock, the
//! terminal, git, HTTP (GitHub and Slack). Takes plain values, never clap
//! structs; never imports `app` or `cli`.

pub mod actions;
pub mod atomic;
pub mod clock;
pub mod git;
pub mod github;
pub mod history;
pub mod http;
pub mod input;
pub mod interrupt;
pub mod lock;
pub mod progress;
pub mod slack;
pub mod ui;
