//! What a feature's work is handed — a scheduled run, a button, a listing command — instead of
//! the whole app: the command list with the stats API behind it, the one Slack client (which
//! also knows who the bot is: `slack.identity()`, `auth.test` learned on first need), and the
//! clock. Cheap to clone.

use chrono::{DateTime, Utc};

use crate::command_cache::CommandCache;
use crate::slack::client::SlackClient;
use crate::stats_client::StatsClient;

#[derive(Clone, Debug)]
pub struct Services {
    /// The commands, as `/stats` routes them (the catalogue's stats among them).
    pub commands: CommandCache,
    /// Everything sent to Slack: `response_url` posts and the Web API.
    pub slack: SlackClient,
    pub clock: Clock,
}

impl Services {
    /// The stats API.
    pub fn stats(&self) -> &StatsClient {
        self.commands.client()
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}

/// Now: the system's clock, or a fixed time (tools and tests that replay a moment).
#[derive(Clone, Copy, Debug, Default)]
pub struct Clock {
    fixed: Option<DateTime<Utc>>,
}

impl Clock {
    pub fn system() -> Clock {
        Clock { fixed: None }
    }

    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock { fixed: Some(at) }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.fixed.unwrap_or_else(Utc::now)
    }
}

#[cfg(test)]
impl Services {
    /// Services whose stats API and Slack answer nothing (a closed port), for unit tests.
    pub(crate) fn unreachable() -> Services {
        let secret = || service_kit::Secret::new("test");
        let timeout = std::time::Duration::from_secs(1);
        let stats = StatsClient::new("http://127.0.0.1:9", secret(), timeout).expect("a client");
        Services {
            commands: CommandCache::new(stats, timeout, Vec::new()),
            slack: SlackClient::new("http://127.0.0.1:9", None).expect("a client"),
            clock: Clock::system(),
        }
    }
}
