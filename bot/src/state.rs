//! What every request handler shares: the settings, the [`Services`] a feature's work is handed
//! (the command list with the stats API behind it, the one Slack client, the clock), what the
//! features registered (scheduled jobs, buttons, event handlers), the events in hand, and the
//! answers still on their way. It names no feature: `features` puts them together and
//! registers them. Cheap to clone.

use std::sync::Arc;

use crate::command_cache::{Available, CommandCache};
use crate::config::Config;
use crate::deferred::Deferred;
use crate::error::Result;
use crate::flows::jobs::Pass;
use crate::flows::recent_events::{RECENT, Recent};
use crate::registry::{Buttons, EventHandler, Registered};
use crate::services::{Clock, Services};
use crate::slack::client::SlackClient;
use crate::stats_client::StatsClient;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    config: Config,
    services: Services,
    /// Every scheduled job's runner, for the tick.
    jobs: Vec<Arc<dyn Pass>>,
    buttons: Vec<Arc<dyn Buttons>>,
    events: Vec<Arc<dyn EventHandler>>,
    /// The events this process has in hand or has done lately.
    recent_events: Recent,
    deferred: Deferred,
}

impl AppState {
    /// The state around `slack`, the one Slack client (the features were built with it), and
    /// what the features `registered`.
    pub fn new(config: Config, slack: SlackClient, registered: Registered) -> Result<Self> {
        let client = StatsClient::new(
            &config.stats_api_url,
            config.stats_api_token.clone(),
            config.stats_api_timeout,
        )?;
        let commands = CommandCache::new(client, config.catalogue_ttl, registered.commands);
        Ok(AppState(Arc::new(Inner {
            config,
            services: Services {
                commands,
                slack,
                clock: Clock::system(),
            },
            jobs: registered.jobs,
            buttons: registered.buttons,
            events: registered.events,
            recent_events: Recent::new(RECENT),
            deferred: Deferred::new(),
        })))
    }

    pub fn config(&self) -> &Config {
        &self.0.config
    }

    /// What a feature's work is handed.
    pub fn services(&self) -> &Services {
        &self.0.services
    }

    /// The commands to route with right now.
    pub async fn commands(&self) -> Available {
        self.0.services.commands.get().await
    }

    /// The command list, to run an invocation with (`flows::run`).
    pub fn command_cache(&self) -> &CommandCache {
        &self.0.services.commands
    }

    /// Everything the bot sends to Slack: `response_url` posts and the Web API.
    pub fn slack(&self) -> &SlackClient {
        &self.0.services.slack
    }

    /// Every scheduled job's runner, for the tick.
    pub fn scheduled(&self) -> &[Arc<dyn Pass>] {
        &self.0.jobs
    }

    /// The feature whose button `action_id` is, if any.
    pub fn buttons(&self, action_id: &str) -> Option<&dyn Buttons> {
        let mut all = self.0.buttons.iter();
        all.find(|b| b.owns(action_id)).map(|b| b.as_ref())
    }

    /// Every registered Events API handler.
    pub fn events(&self) -> &[Arc<dyn EventHandler>] {
        &self.0.events
    }

    /// The event ids this process took lately (`flows::event`).
    pub fn recent_events(&self) -> &Recent {
        &self.0.recent_events
    }

    /// Answers still on their way to `response_url`.
    pub fn deferred(&self) -> &Deferred {
        &self.0.deferred
    }
}
