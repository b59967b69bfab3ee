//! What Slack posts to `/slack/events` (the Events API), as values: the envelope
//! (`url_verification`, `event_callback`, `app_rate_limited`) and the events the bot acts on
//! (`app_mention`, `message` in a DM, `link_shared`, `app_home_opened`). Unknown envelope and
//! event types read as `Other`: Slack adds types, and an app acknowledges what it ignores. Pure:
//! bytes in, values out. The same payload comes over Socket Mode as an `events_api` envelope.

use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::error::{Error, Result};

/// The headers Slack sets on a redelivery: which attempt (1–3) and why (`http_timeout`, …).
pub const RETRY_NUM_HEADER: &str = "x-slack-retry-num";
pub const RETRY_REASON_HEADER: &str = "x-slack-retry-reason";

/// One request to `/slack/events`.
#[derive(Debug, Clone, PartialEq)]
pub enum Envelope {
    /// Slack checking the request URL: answer its `challenge`.
    UrlVerification { challenge: String },
    /// Boxed: an event is far bigger than the other envelopes.
    Callback(Box<Callback>),
    /// Slack dropped events for this app this minute (more than 30,000 an hour).
    AppRateLimited {
        team_id: String,
        minute_rate_limited: i64,
    },
    /// Any other type: acknowledged, nothing done.
    Other { kind: String },
}

/// An `event_callback`: one event, with who it is for and its id (the same on every
/// redelivery).
#[derive(Debug, Clone, PartialEq)]
pub struct Callback {
    pub team_id: String,
    pub api_app_id: String,
    /// `Ev…`: what a redelivery is recognised by.
    pub event_id: String,
    /// Unix seconds, when the event happened.
    pub event_time: i64,
    /// The bot users the event is delivered for (`authorizations[].user_id`).
    pub authorized_users: Vec<String>,
    pub event: Event,
}

/// The events the bot acts on.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// `@statsbot …` in a channel.
    Mention(Said),
    /// A `message` event (`message.im`: in a DM with the bot, when `channel_type` is `im`).
    Message(Said),
    LinkShared(LinkShared),
    AppHomeOpened {
        user: String,
        tab: String,
    },
    Other {
        kind: String,
    },
}

/// Someone's words: a mention or a message.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Said {
    /// Who wrote it (`U…`); empty for some bots' messages.
    pub user: String,
    /// As Slack sends it: `&`, `<`, `>` as entities, mentions as `<@U…>`.
    pub text: String,
    pub channel: String,
    /// `im` for a DM; empty for `app_mention`, which carries none.
    pub channel_type: String,
    pub ts: String,
    /// The thread it is in, when it is a reply.
    pub thread_ts: Option<String>,
    /// Edits, deletions, joins, `bot_message`…: never a question.
    pub subtype: Option<String>,
    /// Set when an app or bot wrote it.
    pub bot_id: Option<String>,
}

impl Said {
    /// Where a reply goes: the thread it is in, else a thread under it.
    pub fn reply_thread(&self) -> &str {
        self.thread_ts.as_deref().unwrap_or(&self.ts)
    }

    /// Whether it is a reply inside a thread (not the thread's first message).
    pub fn in_thread(&self) -> bool {
        self.thread_ts.as_deref().is_some_and(|t| t != self.ts)
    }

    pub fn in_dm(&self) -> bool {
        self.channel_type == "im" || self.channel.starts_with('D')
    }
}

/// `link_shared`: links to a domain of the app's `unfurl_domains`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LinkShared {
    pub user: String,
    /// `COMPOSER` while the message is being written.
    pub channel: String,
    pub message_ts: String,
    pub unfurl_id: Option<String>,
    /// `composer` or `conversations_history`.
    pub source: Option<String>,
    pub links: Vec<String>,
}

impl LinkShared {
    /// Whether `chat.unfurl` names it by `unfurl_id` + `source` (still in the composer) rather
    /// than `channel` + `ts` (posted).
    pub fn in_composer(&self) -> bool {
        self.source.as_deref() == Some("composer") && self.unfurl_id.is_some()
    }
}

#[derive(Deserialize)]
struct RawEnvelope {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    challenge: Option<String>,
    #[serde(default)]
    team_id: Option<String>,
    #[serde(default)]
    api_app_id: Option<String>,
    #[serde(default)]
    event_id: Option<String>,
    #[serde(default)]
    event_time: Option<i64>,
    #[serde(default)]
    authorizations: Vec<Authorization>,
    #[serde(default)]
    event: Option<RawEvent>,
    #[serde(default)]
    minute_rate_limited: Option<i64>,
}

#[derive(Deserialize)]
struct Authorization {
    #[serde(default)]
    user_id: Option<String>,
}

/// Every field any of the events has; each event takes what it needs.
#[derive(Deserialize)]
struct RawEvent {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    channel: Option<String>,
    #[serde(default)]
    channel_type: Option<String>,
    #[serde(default)]
    ts: Option<String>,
    #[serde(default)]
    thread_ts: Option<String>,
    #[serde(default)]
    subtype: Option<String>,
    #[serde(default)]
    bot_id: Option<String>,
    #[serde(default)]
    message_ts: Option<String>,
    #[serde(default)]
    unfurl_id: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    links: Vec<Link>,
    #[serde(default)]
    tab: Option<String>,
}

#[derive(Deserialize)]
struct Link {
    #[serde(default)]
    url: String,
}

/// Reads a signed body. Not JSON, no `type`, or an `event_callback` without its `event_id` or
/// `event` is [`Error::BadForm`]: nothing is done.
pub fn parse(body: &[u8]) -> Result<Envelope> {
    let raw: RawEnvelope = serde_json::from_slice(body)
        .map_err(|e| Error::BadForm(format!("an event that is not Slack's JSON: {e}")))?;
    envelope(raw)
}

/// [`parse`], for a Socket Mode `events_api` envelope's payload (the same JSON, read already).
pub fn read(payload: serde_json::Value) -> Result<Envelope> {
    let raw = RawEnvelope::deserialize(payload)
        .map_err(|e| Error::BadForm(format!("an event that is not Slack's JSON: {e}")))?;
    envelope(raw)
}

fn envelope(raw: RawEnvelope) -> Result<Envelope> {
    match raw.kind.as_str() {
        "url_verification" => {
            let challenge = raw
                .challenge
                .ok_or_else(|| Error::BadForm("url_verification without a challenge".into()))?;
            Ok(Envelope::UrlVerification { challenge })
        }
        "app_rate_limited" => Ok(Envelope::AppRateLimited {
            team_id: raw.team_id.unwrap_or_default(),
            minute_rate_limited: raw.minute_rate_limited.unwrap_or_default(),
        }),
        "event_callback" => {
            let event_id = raw
                .event_id
                .filter(|id| !id.is_empty())
                .ok_or_else(|| Error::BadForm("event_callback without an event_id".into()))?;
            let event = raw
                .event
                .ok_or_else(|| Error::BadForm("event_callback without an event".into()))?;
            Ok(Envelope::Callback(Box::new(Callback {
                team_id: raw.team_id.unwrap_or_default(),
                api_app_id: raw.api_app_id.unwrap_or_default(),
                event_id,
                event_time: raw.event_time.unwrap_or_default(),
                authorized_users: raw
                    .authorizations
                    .into_iter()
                    .filter_map(|a| a.user_id)
                    .collect(),
                event: event.into(),
            })))
        }
        _ => Ok(Envelope::Other { kind: raw.kind }),
    }
}

impl From<RawEvent> for Event {
    fn from(raw: RawEvent) -> Event {
        let said = |raw: RawEvent| Said {
            user: raw.user.unwrap_or_default(),
            text: raw.text.unwrap_or_default(),
            channel: raw.channel.unwrap_or_default(),
            channel_type: raw.channel_type.unwrap_or_default(),
            ts: raw.ts.unwrap_or_default(),
            thread_ts: raw.thread_ts.filter(|t| !t.is_empty()),
            subtype: raw.subtype.filter(|s| !s.is_empty()),
            bot_id: raw.bot_id.filter(|b| !b.is_empty()),
        };
        match raw.kind.as_str() {
            "app_mention" => Event::Mention(said(raw)),
            "message" => Event::Message(said(raw)),
            "link_shared" => Event::LinkShared(LinkShared {
                user: raw.user.unwrap_or_default(),
                channel: raw.channel.unwrap_or_default(),
                message_ts: raw.message_ts.unwrap_or_default(),
                unfurl_id: raw.unfurl_id.filter(|u| !u.is_empty()),
                source: raw.source,
                links: raw.links.into_iter().map(|l| l.url).collect(),
            }),
            "app_home_opened" => Event::AppHomeOpened {
                user: raw.user.unwrap_or_default(),
                tab: raw.tab.unwrap_or_default(),
            },
            _ => Event::Other { kind: raw.kind },
        }
    }
}

impl Event {
    /// The event's type, for the log.
    pub fn kind(&self) -> &str {
        match self {
            Event::Mention(_) => "app_mention",
            Event::Message(_) => "message",
            Event::LinkShared(_) => "link_shared",
            Event::AppHomeOpened { .. } => "app_home_opened",
            Event::Other { kind } => kind,
        }
    }
}

/// One delivery of an event: which attempt, why Slack tried again, and the time its work may
/// take.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// 0 on a first delivery; Slack's `X-Slack-Retry-Num` (or Socket Mode's `retry_attempt`).
    pub retry_num: u32,
    pub retry_reason: Option<String>,
    pub arrived: Instant,
    /// How long after `arrived` the work may go on (`flows::delivery_window`).
    pub window: Duration,
}

impl Delivery {
    pub fn is_redelivery(&self) -> bool {
        self.retry_num > 0
    }
}

/// `X-Slack-Retry-Num`: 0 on a first delivery, 1–3 on Slack's redeliveries. Pure.
pub fn retry_num(header: Option<&str>) -> u32 {
    header.and_then(|v| v.trim().parse().ok()).unwrap_or(0)
}

#[cfg(test)]
mod tests;
