//! Alerts: a declared condition on a stat, checked on a schedule; one Slack message per
//! incident, updated in place, resolved in its thread, silenced with a button. The pure core,
//! then the job that checks them on a tick and talks to Slack.
//!
//! - [`file`]: the `BOT_ALERTS` file and its checks
//! - [`condition`]: `when` and `milestone`, parsed; [`evaluate`]: checked against an answer,
//!   exactly ([`number`])
//! - [`machine`]: ok → pending → firing → resolved, error, silences, milestones: what to do
//! - [`metadata`]: the state as Slack message metadata, and read back from channel history
//! - [`wording`]: what the message, its thread reply and `/stats alerts` say
//! - [`book`]: what this process knows of each alert between checks, and each tick's answers
//! - [`channel`]: the channel as the record: states read back from its history, bounded
//! - [`runner`]: alerts as a scheduled job: check, step, and the one Slack action; the buttons'
//!   actions (silence, check now)
//!
//! The message itself is rendered by `render::alert` (`templates/alert.json`).

pub mod book;
pub mod channel;
pub mod condition;
pub mod evaluate;
pub mod file;
pub mod machine;
pub mod metadata;
pub mod number;
pub mod runner;
pub mod wording;

pub use file::Alert;
pub use runner::{AlertJob, AlertRunner};

pub use condition::Rule;

use crate::schedule::Zone;

use crate::flows::jobs::Scheduled;
use crate::schedule::Cron;

impl Scheduled for Alert {
    fn name(&self) -> &str {
        &self.name
    }

    fn schedule(&self) -> &Cron {
        &self.schedule
    }

    fn timezone(&self) -> &Zone {
        &self.timezone
    }
}
