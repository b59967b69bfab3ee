//! What every request handler shares: settings, the stats API client, the command list, the
//! `response_url` client and the answers still on their way. Cheap to clone.

use std::sync::Arc;

use crate::command_cache::{Available, CommandCache};
use crate::config::Config;
use crate::deferred::Deferred;
use crate::digests::DigestRunner;
use crate::error::Result;
use crate::slack::response_url::ResponseUrlClient;
use crate::slack::web_api::SlackApi;
use crate::stats_client::StatsClient;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    config: Config,
    client: StatsClient,
    commands: CommandCache,
    response_url: ResponseUrlClient,
    deferred: Deferred,
    digests: DigestRunner,
    slack_api: Option<SlackApi>,
}

impl AppState {
    pub fn new(config: Config) -> Result<Self> {
        let client = StatsClient::new(
            &config.stats_api_url,
            config.stats_api_token.clone(),
            config.stats_api_timeout,
        )?;
        let commands = CommandCache::with_digests(config.catalogue_ttl, config.digests.clone());
        let slack_api = match &config.slack_bot_token {
            Some(token) => Some(SlackApi::new(&config.slack_api_url, token.clone())?),
            None => None,
        };
        Ok(AppState(Arc::new(Inner {
            digests: DigestRunner::new(&config.digests),
            config,
            client,
            commands,
            response_url: ResponseUrlClient::new()?,
            deferred: Deferred::new(),
            slack_api,
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

    pub fn response_url(&self) -> &ResponseUrlClient {
        &self.0.response_url
    }

    /// The digests, and which occurrences this process has posted.
    pub fn digests(&self) -> &DigestRunner {
        &self.0.digests
    }

    /// Slack's Web API with the bot token, when `SLACK_BOT_TOKEN` is set.
    pub fn slack_api(&self) -> Option<&SlackApi> {
        self.0.slack_api.as_ref()
    }

    /// Answers still on their way to `response_url`.
    pub fn deferred(&self) -> &Deferred {
        &self.0.deferred
    }
}
