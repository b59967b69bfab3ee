//! The `statsbot` command: the local dev stack, a Slack simulator and migrations, over the
//! `bot` and `stats-api` crates and the tooling in `devkit`.

pub mod alert;
pub mod ask;
pub mod catalogue_check;
pub mod catalogue_watch;
pub mod dev;
pub mod dev_state;
pub mod digest;
pub mod error;
pub mod events;
pub mod press;
pub mod saved_charts;
pub mod slash;
pub mod stand_in;
pub mod terminal;

pub use error::{Error, Result};
