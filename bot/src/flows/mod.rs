//! Each way work reaches the bot, in a room of its own, naming no feature:
//!
//! - [`slash`]: a `/stats` command and Slack's 3-s deadline (inline, or [`working`] "working on
//!   it" and the answer to `response_url`); [`ask`]: a typed command whose words are a question
//! - [`press`]: a button press: the core's buttons (run, share, help's pages, other readings),
//!   and a feature's handed to the feature that registered it
//! - [`scheduled`]: a tick (the local timer, the scheduler's event on Lambda) and every
//!   registered scheduled job ([`jobs`] runs them)
//! - [`event`]: an Events API delivery (HTTP or Socket Mode), acknowledged at once and handed
//!   to the features that registered for its kind of event
//!
//! All of them run an invocation to a message through [`run`], which has no deadline; how an
//! answer is shown beyond its command's rendering (the Share button, "Shared by") is
//! [`sharing`]'s.

pub mod ask;
pub mod event;
pub mod jobs;
pub(crate) mod press;
pub mod recent_events;
mod run;
pub mod scheduled;
pub mod sharing;
pub(crate) mod slash;
pub mod working;

pub use run::{Answered, Fetched, Presentation, fetch, run, run_as};

use std::time::{Duration, Instant};

use crate::slack::response_url;
use crate::slack::slash_command::Invocation;

/// One invocation to answer, who asked, and where a late answer may go.
#[derive(Debug, Clone)]
pub struct Request {
    /// The slash command as the workspace installed it (`/stats`): replies quote it.
    pub command: String,
    pub invocation: Invocation,
    pub team_id: String,
    pub user_id: String,
    /// Where a late answer goes: the `response_url` as Slack sent it (checked here).
    pub response_url: String,
    /// When the request arrived: the deadline and `response_url`'s lifetime count from here.
    pub arrived: Instant,
    /// How long after `arrived` a late answer may still be posted ([`delivery_window`]).
    pub window: Duration,
}

/// How long after the command an answer may still be posted: Slack's 30 minutes, or less when
/// the Lambda invocation ends sooner (its `deadline`, in Unix milliseconds), keeping a moment
/// for the runtime to finish the invocation. A deadline that is not in the future says nothing
/// (the runtime emulator sends the timeout itself, `600000`, where Lambda sends a time). Pure.
pub fn delivery_window(lambda_deadline_ms: Option<u64>, now_ms: u64) -> Duration {
    const MARGIN_MS: u64 = 500;
    match lambda_deadline_ms.filter(|&deadline| deadline > now_ms) {
        Some(deadline) => {
            let left = Duration::from_millis(deadline.saturating_sub(now_ms + MARGIN_MS));
            left.min(response_url::LIFETIME)
        }
        None => response_url::LIFETIME,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delivery_window_is_thirty_minutes_or_what_the_invocation_has_left() {
        let now = 1_700_000_000_000;
        assert_eq!(delivery_window(None, now), response_url::LIFETIME);
        assert_eq!(delivery_window(Some(0), now), response_url::LIFETIME);
        assert_eq!(
            delivery_window(Some(now + 30_000), now),
            Duration::from_millis(29_500)
        );
        assert_eq!(
            delivery_window(Some(now + 300), now),
            Duration::ZERO,
            "too late to start"
        );
        assert_eq!(
            delivery_window(Some(600_000), now),
            response_url::LIFETIME,
            "not a time: the emulator's 10 minutes"
        );
        assert_eq!(
            delivery_window(Some(now + 3_600_000), now),
            response_url::LIFETIME
        );
    }
}
