//! Alerts: a declared condition on a stat, checked on a schedule; one Slack message per
//! incident, updated in place, resolved in its thread, silenced with a button. This is the pure
//! core; the checking on a tick, the Slack calls and the buttons are wired in elsewhere.
//!
//! - [`file`]: the `BOT_ALERTS` file and its checks
//! - [`condition`]: `when` and `milestone`, parsed; [`evaluate`]: checked against an answer,
//!   exactly ([`number`])
//! - [`machine`]: ok → pending → firing → resolved, error, silences, milestones: what to do
//! - [`metadata`]: the state as Slack message metadata, and read back from channel history
//! - [`wording`]: what the message, its thread reply and `/stats alerts` say

pub mod condition;
pub mod evaluate;
pub mod file;
pub mod machine;
pub mod metadata;
pub mod number;
pub mod wording;
