//! Digests: chosen stats posted to a channel on a schedule, declared in the `BOT_DIGESTS` file.
//!
//! - [`file`]: the file and its checks (pure)
//! - [`message`]: one digest as one Slack message (pure)
//! - [`marker`]: the metadata a digest's post carries, found again in the channel's history
//! - [`runner`]: the digest as a scheduled job: each stat rendered through `flows::run`, the
//!   marker looked for, the post through `slack::client`, once per occurrence
//! - [`command`]: `/stats digests`, its message in [`listing`] (`templates/digests/`)
//! - [`feature`]: all of it as the bot holds it, registered in one call
//!
//! When a digest is due (its cron in `crate::schedule`, the grace window, one pass at a time) is
//! the scheduled-job runner's business (`flows::jobs`); what triggers a pass is the edge's
//! (`flows::scheduled`): a timer on a local server, the EventBridge Scheduler's tick on Lambda.

pub mod command;
mod feature;
pub mod file;
mod listing;
pub mod marker;
mod message;
pub mod runner;

pub use feature::Digests;
pub use file::Digest;
pub use runner::{DigestJob, DigestRunner, Report};
