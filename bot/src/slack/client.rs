//! The one outbound Slack client: `response_url` posts and Web API calls (`chat.postMessage`,
//! `chat.update`, one page of `conversations.history`, `auth.test` for who the bot is; the event
//! features' calls in `event_calls`; the files upload calls go here too), all through one HTTP
//! client with the one retry policy (`retry`) and the per-channel pace (`pacer`). Reading history
//! for the bot's own messages, page by page, is `history`'s; what a page holds and which
//! messages are the bot's, `history_page`'s.
//!
//! The bot token (`SLACK_BOT_TOKEN`, `xoxb-…`) lets anyone post as the bot: this is the only
//! place that holds it, and it goes into the `Authorization` header and nowhere else — never a
//! log line, an error or a message. A `response_url` is as good as a password for its channel:
//! only its host is ever logged.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use reqwest::{RequestBuilder, Url};
use serde_json::Value;
use service_kit::Secret;
use tokio::sync::OnceCell;

use super::answer::answer;
use super::explained::Explained;
use super::history_page::{HistoryPage, PAGE_LIMIT, own, ts_of};
use super::identity::{self, Identity};
use super::message::{Message, Metadata};
use super::pacer::Pacer;
use super::response_url;
use super::retry::{self, Answer, GiveUp, Limits, NextStep};
use crate::error::{Error, Result};

#[cfg(feature = "socket-mode")]
mod connections;
mod event_calls;
pub use event_calls::UnfurlTarget;

/// Slack's Web API base; `SLACK_API_URL` replaces it for local testing.
pub const DEFAULT_API_URL: &str = "https://slack.com/api";
/// Web API calls: at most 5 for one message, 1, 2, 4, 8 s apart after failures.
pub const WEB_API: Limits = Limits {
    max_calls: 5,
    first_backoff: Duration::from_secs(1),
};
/// One Web API call: Slack answers in well under a second when it is well.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// How far before a post its own message may show in history (clocks differ a little).
const HISTORY_SLACK_S: i64 = 60;
/// Learning who the bot is (`auth.test`), retries included.
const IDENTITY_BUDGET: Duration = Duration::from_secs(10);

/// How sending one message (or one read) ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    pub calls: u32,
    /// Slack's answer (the Web API's JSON body), or why it was not taken.
    pub result: std::result::Result<Value, GiveUp>,
    /// The last call's answer, one word, for the log.
    pub last: String,
}

impl Sent {
    /// As the crate's error when Slack did not take it: the method, Slack's word and what to do.
    pub fn into_result(self, method: &'static str) -> Result<Value> {
        self.result.map_err(|gave_up| Error::SlackApi {
            method,
            why: format!("{}: {}", gave_up.as_str(), retry::advice(gave_up.as_str())),
        })
    }

    /// The `ts` of the message posted or updated.
    pub fn ts(&self) -> Option<&str> {
        self.result.as_ref().ok()?.get("ts")?.as_str()
    }
}

/// Talks to Slack. One per process, cheap to clone: connections are reused.
#[derive(Clone)]
pub struct SlackClient(Arc<Inner>);

struct Inner {
    http: reqwest::Client,
    api_base: String,
    token: Option<Secret>,
    pacer: Pacer,
    /// Which `ok:false` answers the log has explained already.
    explained: Explained,
    /// Who the bot is, learned on first need.
    identity: OnceCell<Identity>,
}

impl SlackClient {
    /// `api_base` is `SLACK_API_URL` (e.g. `https://slack.com/api`); `token` the bot token.
    pub fn new(api_base: &str, token: Option<Secret>) -> Result<Self> {
        let http = reqwest::Client::builder()
            // The roots are read at the first HTTPS call, not at start-up (service_kit::tls).
            .tls_backend_preconfigured(service_kit::tls::client_config())
            .timeout(CALL_TIMEOUT)
            .connect_timeout(Duration::from_secs(2))
            // A redirect would carry an answer, or the token, to a host nobody checked.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("statsbot/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Settings(format!("HTTP client for Slack: {e}")))?;
        Ok(SlackClient(Arc::new(Inner {
            http,
            api_base: api_base.trim_end_matches('/').to_string(),
            token,
            pacer: Pacer::default(),
            explained: Explained::default(),
            identity: OnceCell::new(),
        })))
    }

    /// Posts `message` to `url` (already `response_url::check`ed) until Slack takes it or the
    /// policy says stop; the window counts from `arrived`, when the command reached the bot.
    pub async fn respond(
        &self,
        url: &Url,
        message: &Message,
        arrived: Instant,
        window: Duration,
    ) -> Sent {
        let body = message.to_json();
        let host = url.host_str().unwrap_or_default();
        let call = || {
            self.0
                .http
                .post(url.clone())
                .timeout(response_url::POST_TIMEOUT)
                .header(CONTENT_TYPE, "application/json")
                .body(body.clone())
        };
        let sent = self
            .send(response_url::LIMITS, arrived, window, call, None, None)
            .await;
        if let Err(gave_up) = &sent.result {
            tracing::warn!(host, last = %sent.last, calls = sent.calls, gave_up = gave_up.as_str(), "gave up on a response_url");
        }
        sent
    }

    /// `chat.postMessage` to `channel`, within `budget`. When `message` carries metadata, a
    /// retry after an unclear answer first looks for it in the channel: posted is posted.
    pub async fn post_message(&self, channel: &str, message: &Message, budget: Duration) -> Sent {
        self.write("chat.postMessage", channel, None, message, budget)
            .await
    }

    /// `chat.update` of the message `ts` in `channel` (its metadata too), within `budget`.
    pub async fn update(
        &self,
        channel: &str,
        ts: &str,
        message: &Message,
        budget: Duration,
    ) -> Sent {
        self.write("chat.update", channel, Some(ts), message, budget)
            .await
    }

    /// Who the bot is (`auth.test`), asked once per process on first need and kept; a failure
    /// is not kept (the next need asks again) and is explained in the log once, naming
    /// `SLACK_BOT_TOKEN` and Slack's word.
    pub async fn identity(&self) -> std::result::Result<&Identity, GiveUp> {
        self.0.identity.get_or_try_init(|| self.auth_test()).await
    }

    async fn auth_test(&self) -> std::result::Result<Identity, GiveUp> {
        let answer = self
            .read("auth.test", &[], Instant::now(), IDENTITY_BUDGET)
            .await;
        let found = answer.and_then(|body| {
            Identity::from_auth_test(&body).ok_or_else(|| GiveUp::Slack("not_a_bot".into()))
        });
        match &found {
            Ok(me) => {
                tracing::info!(bot_id = %me.bot_id, user_id = %me.user_id, team_id = %me.team_id, "the bot is");
            }
            Err(gave_up) => {
                let code = gave_up.as_str();
                if self.0.explained.first("auth.test", "", code) {
                    tracing::error!(error = %code, "cannot learn who the bot is: {}", identity::failure(code));
                } else {
                    tracing::debug!(error = %code, "cannot learn who the bot is, again");
                }
            }
        }
        found
    }

    /// One page of `channel`'s history, newest first, with metadata
    /// (`include_all_metadata=true`): messages since `oldest` (a Slack `ts`, inclusive), up to
    /// `limit`, from `cursor`; every author's. `started` and `budget` are the whole read's.
    pub async fn history_page(
        &self,
        channel: &str,
        oldest: &str,
        cursor: Option<&str>,
        limit: usize,
        started: Instant,
        budget: Duration,
    ) -> std::result::Result<HistoryPage, GiveUp> {
        let limit = limit.to_string();
        let mut query = vec![
            ("channel", channel),
            ("oldest", oldest),
            ("inclusive", "true"),
            ("include_all_metadata", "true"),
            ("limit", &limit),
        ];
        if let Some(cursor) = cursor {
            query.push(("cursor", cursor));
        }
        let body = self
            .read("conversations.history", &query, started, budget)
            .await?;
        Ok(HistoryPage::read(&body))
    }

    /// A Web API read, `GET {method}?{query}`, by the one policy within `budget` from `started`.
    async fn read(
        &self,
        method: &str,
        query: &[(&str, &str)],
        started: Instant,
        budget: Duration,
    ) -> std::result::Result<Value, GiveUp> {
        let Some(token) = &self.0.token else {
            return Err(GiveUp::NoToken);
        };
        let url = Url::parse_with_params(&format!("{}/{method}", self.0.api_base), query)
            .map_err(|_| GiveUp::Refused(0))?;
        let call = || {
            self.0
                .http
                .get(url.clone())
                .header(AUTHORIZATION, bearer(token))
        };
        let sent = self.send(WEB_API, started, budget, call, None, None).await;
        sent.result
    }

    async fn write(
        &self,
        method: &str,
        channel: &str,
        ts: Option<&str>,
        message: &Message,
        budget: Duration,
    ) -> Sent {
        // Where it goes, then the message; the bot's own links are not unfurled.
        let channel_json = json_string(channel);
        let ts_json = ts.map(json_string);
        let mut fields = vec![("channel", channel_json.as_str())];
        if let Some(ts) = &ts_json {
            fields.push(("ts", ts.as_str()));
        }
        fields.extend([("unfurl_links", "false"), ("unfurl_media", "false")]);
        let body = message.to_json_with(&fields);
        let recheck = match (&message.metadata, ts) {
            (Some(metadata), None) => Some(Recheck {
                channel,
                thread_ts: message.thread_ts.as_deref(),
                metadata,
                oldest: unix_now() - HISTORY_SLACK_S,
            }),
            _ => None,
        };
        self.post_json(method, body, Some(channel), recheck, budget)
            .await
    }

    /// One JSON `body` to the Web API's `method` with the bot token, through the one send loop
    /// (retry policy, paced on `channel` when it posts there); a refusal explained once.
    async fn post_json(
        &self,
        method: &str,
        body: String,
        channel: Option<&str>,
        recheck: Option<Recheck<'_>>,
        budget: Duration,
    ) -> Sent {
        let Some(token) = &self.0.token else {
            return Sent {
                calls: 0,
                result: Err(GiveUp::NoToken),
                last: "no_token".into(),
            };
        };
        let url = format!("{}/{method}", self.0.api_base);
        let call = || {
            self.0
                .http
                .post(&url)
                .header(AUTHORIZATION, bearer(token))
                .header(CONTENT_TYPE, "application/json; charset=utf-8")
                .body(body.clone())
        };
        let sent = self
            .send(WEB_API, Instant::now(), budget, call, channel, recheck)
            .await;
        if let Err(GiveUp::Slack(code)) = &sent.result {
            self.explain(method, channel.unwrap_or("-"), code);
        }
        sent
    }

    /// Slack's refusal in the log: explained once per process; a digest or alert retried every
    /// tick says it again only at debug level.
    fn explain(&self, method: &str, channel: &str, code: &str) {
        if self.0.explained.first(method, channel, code) {
            tracing::warn!(method, channel, error = %code, "Slack did not take it: {}", retry::advice(code));
        } else {
            tracing::debug!(method, channel, error = %code, "Slack did not take it again");
        }
    }

    /// The loop: call, ask the policy, wait, call again. Writes to a channel (`paced`) keep
    /// its pace, retries included.
    async fn send(
        &self,
        limits: Limits,
        started: Instant,
        budget: Duration,
        call: impl Fn() -> RequestBuilder,
        paced: Option<&str>,
        recheck: Option<Recheck<'_>>,
    ) -> Sent {
        let mut calls = 0;
        if started.elapsed() >= budget {
            return Sent {
                calls,
                result: Err(GiveUp::OutOfTime),
                last: "none".into(),
            };
        }
        loop {
            if let Some(channel) = paced {
                self.0.pacer.wait_turn(channel).await;
            }
            calls += 1;
            let answer = answer(call().send().await).await;
            let last = answer.describe();
            match retry::next_step(limits, &answer, calls, started.elapsed(), budget) {
                NextStep::Done => {
                    let Answer::Ok(body) = answer else {
                        unreachable!("only Ok is done")
                    };
                    return Sent {
                        calls,
                        result: Ok(body),
                        last,
                    };
                }
                NextStep::GiveUp(gave_up) => {
                    return Sent {
                        calls,
                        result: Err(gave_up),
                        last,
                    };
                }
                NextStep::RetryAfter(wait) => {
                    tracing::info!(%last, calls, wait_ms = wait.as_millis() as u64, "Slack did not take it; trying again");
                    tokio::time::sleep(wait).await;
                    if let Some(recheck) = &recheck
                        && answer.maybe_posted()
                        && self.posted_already(recheck).await
                    {
                        tracing::info!(calls, "it was posted after all");
                        return Sent {
                            calls,
                            result: Ok(Value::Null),
                            last,
                        };
                    }
                }
            }
        }
    }

    async fn posted_already(&self, recheck: &Recheck<'_>) -> bool {
        let (started, budget) = (Instant::now(), Duration::from_secs(5));
        let oldest = ts_of(recheck.oldest);
        // Boxed: a read never rechecks, but the compiler cannot know the loop ends. One page:
        // a post is among the last minute's 200 messages. A reply in a thread is in the thread,
        // not the channel's history.
        let page = match recheck.thread_ts {
            Some(thread_ts) => {
                let window = (Some(oldest.as_str()), None);
                let page =
                    self.replies_page(recheck.channel, thread_ts, window, None, started, budget);
                Box::pin(page).await
            }
            None => {
                let page =
                    self.history_page(recheck.channel, &oldest, None, PAGE_LIMIT, started, budget);
                Box::pin(page).await
            }
        };
        let (Ok(me), Ok(page)) = (Box::pin(self.identity()).await, page) else {
            return false;
        };
        // Only the bot's own messages count: another's copy of the metadata is not this post.
        page.messages
            .iter()
            .any(|m| own(me, recheck.channel, m) && m.metadata.as_ref() == Some(recheck.metadata))
    }
}

/// Before retrying a post that may have gone through: where to look, for what.
struct Recheck<'a> {
    channel: &'a str,
    thread_ts: Option<&'a str>,
    metadata: &'a Metadata,
    oldest: i64,
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

fn bearer(token: &Secret) -> String {
    format!("Bearer {}", token.expose())
}

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

impl std::fmt::Debug for SlackClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SlackClient")
            .field("api_base", &self.0.api_base)
            .field("token", &self.0.token.as_ref().map(|_| "…"))
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_token() {
        let client =
            SlackClient::new("http://127.0.0.1:1", Some(Secret::new("xoxb-s3cr3t"))).unwrap();
        assert!(!format!("{client:?}").contains("s3cr3t"));
    }
}
