//! What every request handler shares: settings, the stats API client, the command list, the
//! Slack client and the answers still on their way. Cheap to clone.

use std::sync::Arc;

use crate::alerts::AlertRunner;
use crate::alerts::book::Book;
use crate::command_cache::{Available, CommandCache};
use crate::commands::Schedules;
use crate::config::Config;
use crate::deferred::Deferred;
use crate::digests::{DigestJob, DigestRunner};
use crate::error::Result;
use crate::flows::event::{EventFeature, Events};
use crate::flows::jobs::{Job, Pass, Runner};
use crate::slack::client::SlackClient;
use crate::stats_client::StatsClient;

/// Every scheduled job, one line each; `flows::jobs` runs them all the same way.
fn scheduled_jobs(config: &Config) -> Vec<Box<dyn Pass<AppState>>> {
    vec![
        Box::new(DigestRunner::new(config.digests.iter().cloned())),
        Box::new(AlertRunner::new(config.alerts.iter().cloned())),
    ]
}

/// Every feature that acts on Events API events, one line each; `flows::event` hands each event
/// to those that take it.
fn event_features(config: &Config) -> Vec<Box<dyn EventFeature>> {
    vec![
        Box::new(crate::mentions::Mentions::new()),
        Box::new(crate::unfurl::Unfurls::new(config)),
        Box::new(crate::home::HomeTab::new(config)),
    ]
}

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    config: Config,
    client: StatsClient,
    commands: CommandCache,
    slack: SlackClient,
    deferred: Deferred,
    /// What this process knows of each alert (the alerts' job and `/stats alerts` share it).
    alerts: Arc<Book>,
    /// Every scheduled job's runner ([`scheduled_jobs`]).
    scheduled: Vec<Box<dyn Pass<AppState>>>,
    /// Every event feature ([`event_features`]) and the events this process has in hand.
    events: Events,
}

impl AppState {
    pub fn new(config: Config) -> Result<Self> {
        let client = StatsClient::new(
            &config.stats_api_url,
            config.stats_api_token.clone(),
            config.stats_api_timeout,
        )?;
        let alerts = Arc::new(Book::new(&config.alerts));
        let commands = CommandCache::with_schedules(
            config.catalogue_ttl,
            Schedules {
                digests: config.digests.clone(),
                alerts: alerts.clone(),
            },
        );
        let slack = SlackClient::new(&config.slack_api_url, config.slack_bot_token.clone())?;
        Ok(AppState(Arc::new(Inner {
            scheduled: scheduled_jobs(&config),
            events: Events::new(event_features(&config)),
            config,
            client,
            commands,
            slack,
            deferred: Deferred::new(),
            alerts,
        })))
    }

    pub fn config(&self) -> &Config {
        &self.0.config
    }

    pub fn client(&self) -> &StatsClient {
        &self.0.client
    }

    pub async fn commands(&self) -> Available {
        self.0.commands.get(&self.0.client).await
    }

    pub fn invalidate_commands(&self) {
        self.0.commands.invalidate()
    }

    /// Everything the bot sends to Slack: `response_url` posts and the Web API.
    pub fn slack(&self) -> &SlackClient {
        &self.0.slack
    }

    /// The digests, and which occurrences this process has posted.
    pub fn digests(&self) -> &DigestRunner {
        self.runner::<DigestJob>()
            .expect("digests are registered in scheduled_jobs")
    }

    /// What this process knows of each alert.
    pub fn alerts(&self) -> &Arc<Book> {
        &self.0.alerts
    }

    /// The runner of the scheduled job `J`, when it is registered.
    pub fn runner<J: Job>(&self) -> Option<&Runner<J>> {
        self.0
            .scheduled
            .iter()
            .find_map(|pass| pass.as_any().downcast_ref::<Runner<J>>())
    }

    /// Every scheduled job's runner, for the tick.
    pub fn scheduled(&self) -> &[Box<dyn Pass<AppState>>] {
        &self.0.scheduled
    }

    /// The event features and the recent event ids.
    pub fn events(&self) -> &Events {
        &self.0.events
    }

    /// The event feature `F`, when it is registered.
    pub fn event_feature<F: EventFeature>(&self) -> Option<&F> {
        let mut features = self.0.events.features().iter();
        features.find_map(|f| f.as_any().downcast_ref::<F>())
    }

    /// Answers still on their way to `response_url`.
    pub fn deferred(&self) -> &Deferred {
        &self.0.deferred
    }
}
