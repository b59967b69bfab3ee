//! The dev stack's Slack stand-in, from another process: what the bot did there (its posts,
//! private messages, unfurls and Home tabs, `GET /dev/record`), and a message someone wrote
//! (`POST /dev/messages`), so a thread holds the question the bot reads back.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::error::{Error, Result};

/// Everything the bot did in the stand-in so far.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// The bot's posts as the channel shows them now (updates applied), with their `ts`.
    pub posts: Vec<Value>,
    pub ephemerals: Vec<Value>,
    pub unfurls: Vec<Value>,
    pub views: Vec<Value>,
}

impl Record {
    fn from_json(body: &Value) -> Record {
        let list = |key: &str| body[key].as_array().cloned().unwrap_or_default();
        Record {
            posts: list("posts"),
            ephemerals: list("ephemerals"),
            unfurls: list("unfurls"),
            views: list("views"),
        }
    }
}

/// The stand-in at `api_url` (`…/api`, the stack's `SLACK_API_URL`).
pub struct StandIn {
    base: String,
    http: reqwest::Client,
}

impl StandIn {
    pub fn new(api_url: &str) -> StandIn {
        service_kit::tls::install_crypto_provider();
        let base = api_url.trim_end_matches('/');
        StandIn {
            base: base.strip_suffix("/api").unwrap_or(base).to_string(),
            http: reqwest::Client::new(),
        }
    }

    fn unreachable(&self, cause: impl std::fmt::Display) -> Error {
        Error::Settings(format!(
            "the dev stack's Slack stand-in at {} did not answer ({cause}); is `cargo run -- dev` running?",
            self.base
        ))
    }

    /// Adds a message someone else wrote (the question a mention is in); its `ts`, as Slack
    /// gives it.
    pub async fn seed(&self, message: &Value) -> Result<String> {
        let response = self
            .http
            .post(format!("{}/dev/messages", self.base))
            .header("content-type", "application/json")
            .body(message.to_string())
            .send()
            .await
            .map_err(|e| self.unreachable(e.without_url()))?;
        if !response.status().is_success() {
            return Err(self.unreachable(response.status()));
        }
        let bytes = response
            .bytes()
            .await
            .map_err(|e| self.unreachable(e.without_url()))?;
        let body: Value = serde_json::from_slice(&bytes).map_err(|e| self.unreachable(e))?;
        body["ts"]
            .as_str()
            .map(String::from)
            .ok_or_else(|| self.unreachable("no ts for the message"))
    }

    pub async fn record(&self) -> Result<Record> {
        let response = self
            .http
            .get(format!("{}/dev/record", self.base))
            .send()
            .await
            .map_err(|e| self.unreachable(e.without_url()))?;
        let bytes = response
            .bytes()
            .await
            .map_err(|e| self.unreachable(e.without_url()))?;
        let body: Value = serde_json::from_slice(&bytes).map_err(|e| self.unreachable(e))?;
        Ok(Record::from_json(&body))
    }

    /// Polls the record until `done` says so, or `wait` passes; the last record either way,
    /// and whether `done` held.
    pub async fn wait_for(
        &self,
        wait: Duration,
        done: impl Fn(&Record) -> bool,
    ) -> Result<(Record, bool)> {
        let until = Instant::now() + wait;
        loop {
            let record = self.record().await?;
            if done(&record) {
                return Ok((record, true));
            }
            if Instant::now() >= until {
                return Ok((record, false));
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}
