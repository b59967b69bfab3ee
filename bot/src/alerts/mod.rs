//! Alerts: a declared condition on a stat, checked on a schedule; one Slack message per
//! incident, updated in place, resolved in its thread, silenced with a button. The pure core,
//! then the job that checks them on a tick and talks to Slack.
//!
//! - [`file`]: the `BOT_ALERTS` file and its checks
//! - [`condition`]: `when` and `milestone`, parsed; [`evaluate`]: checked against an answer,
//!   exactly ([`number`])
//! - [`machine`]: ok → pending → firing → resolved, error, silences, milestones: what to do
//! - [`metadata`]: the state as Slack message metadata, and read back from channel history
//! - [`wording`]: what the message, its thread reply and `/stats alerts` say; [`message`]: the
//!   messages themselves (`templates/alerts/`), the state as their metadata
//! - [`book`]: what this process knows of each alert between checks, and each tick's answers
//! - [`channel`]: the channel as the record: states read back from its history, bounded
//! - [`runner`]: alerts as a scheduled job: check, step, and the one Slack action
//! - [`command`]: `/stats alerts`; [`buttons`]: Silence 1 h, Silence 24 h, Check now
//! - [`feature`]: all of it as the bot holds it, registered in one call

pub mod book;
pub mod buttons;
pub mod channel;
pub mod command;
pub mod condition;
pub mod evaluate;
mod feature;
pub mod file;
pub mod machine;
pub mod message;
pub mod metadata;
pub mod number;
pub mod runner;
pub mod wording;

pub use condition::Rule;
pub use feature::Alerts;
pub use file::Alert;
pub use runner::{AlertJob, AlertRunner};
