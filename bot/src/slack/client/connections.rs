//! `apps.connections.open`: the one Web API call made with the app-level token (`xapp-…`). Its
//! answer is the WebSocket URL for Socket Mode; that URL carries a ticket, a secret of its own:
//! it is handed to the caller and never logged (only its host is).

use std::time::{Duration, Instant};

use reqwest::Url;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use service_kit::Secret;

use super::{SlackClient, bearer};
use crate::error::{Error, Result};
use crate::slack::retry::Limits;
use crate::slack::socket_mode;

/// A few quick tries; the caller backs off between openings on top of these.
const OPEN: Limits = Limits {
    max_calls: 3,
    first_backoff: Duration::from_millis(500),
};
const OPEN_BUDGET: Duration = Duration::from_secs(10);

impl SlackClient {
    /// A fresh Socket Mode URL (`wss://…`; `ws://` only on this machine, for the stand-in).
    /// Slack's refusal comes back as [`Error::SlackApi`] with what to do about it.
    pub async fn open_connection(&self, app_token: &Secret) -> Result<Url> {
        const METHOD: &str = "apps.connections.open";
        let url = format!("{}/{METHOD}", self.0.api_base);
        let call = || {
            self.0
                .http
                .post(&url)
                .header(AUTHORIZATION, bearer(app_token))
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        };
        let sent = self
            .send(OPEN, Instant::now(), OPEN_BUDGET, call, None, None)
            .await;
        let body = sent.result.map_err(|gave_up| Error::SlackApi {
            method: METHOD,
            why: format!(
                "{}: {}",
                gave_up.as_str(),
                socket_mode::open_advice(gave_up.as_str())
            ),
        })?;
        let socket = body["url"].as_str().and_then(|url| Url::parse(url).ok());
        match socket {
            Some(url) if socket_mode::usable_url(&url) => Ok(url),
            _ => Err(Error::SlackApi {
                method: METHOD,
                why: "Slack answered no usable wss:// URL".into(),
            }),
        }
    }
}
