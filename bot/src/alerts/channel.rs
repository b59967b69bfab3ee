//! The channel as the alerts' record: their states read back from the bot's own messages in
//! its history (message metadata, `alerts::metadata`; `slack::history` keeps only the bot's
//! own and pages), bounded: once per channel per process for the tick, again only just before
//! something is sent, when a button is pressed (the tick may run in another Lambda environment,
//! whose changes only the channel holds) and for `/stats alerts`.
//!
//! Only a cold start pays for paging: the first read goes back the whole window (90 days) or
//! until every alert of the channel has its newest message; later reads go back only to the
//! oldest incident message the book knows for the alerts they look for, or to when the last
//! whole read began, and stop as soon as each has its newest message.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::Alert;
use super::book::{Book, ChannelRead};
use super::machine::{Action, AlertState, Phase};
use super::metadata;
use crate::slack::client::SlackClient;
use crate::slack::history_page::HistoryMessage;
use crate::slack::history_page::{ts_of, ts_order};
use crate::slack::retry::{self, GiveUp};

/// Reading a channel's history (retries included; all its pages).
const HISTORY_BUDGET: Duration = Duration::from_secs(15);
/// How far back the history is read for the alerts' own messages.
const HISTORY_DAYS: i64 = 90;
/// How far before the bot's clock Slack's may be.
const CLOCKS_DIFFER_S: i64 = 60;

/// How a channel's history is read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresh {
    /// Once per process (the tick's first check of the channel's alerts).
    Once,
    /// Read again; taken by the alerts this process has not checked itself (`/stats alerts`:
    /// on Lambda the bot's function never ticks).
    Unchecked,
    /// Read again; the channel's word replaces this process's (a button).
    All,
}

/// Every alert's state as the channels have it, for the alerts this process has not checked
/// itself: one read per channel.
pub async fn read_unchecked(book: &Book, slack: &SlackClient) {
    let mut channels: Vec<&str> = book.alerts().iter().map(|a| a.channel.as_str()).collect();
    channels.sort_unstable();
    channels.dedup();
    let now = Utc::now();
    for channel in channels {
        read_back(book, slack, channel, now, Refresh::Unchecked).await;
    }
}

/// Reads `channel`'s history back into the book as `refresh` says; a failed first read is not
/// retried within the same tick.
pub async fn read_back(
    book: &Book,
    slack: &SlackClient,
    channel: &str,
    now: DateTime<Utc>,
    refresh: Refresh,
) -> bool {
    let Some(record) = book.channel(channel) else {
        return false;
    };
    let mut record = record.lock().await;
    if refresh == Refresh::Once && (record.done || record.failed_at == Some(now)) {
        return record.done;
    }
    let names: BTreeSet<String> = book
        .alerts()
        .iter()
        .filter(|a| a.channel == channel)
        .map(|a| a.name.clone())
        .collect();
    let began = Utc::now().timestamp();
    match read(book, slack, channel, &record, names, now).await {
        Ok(messages) => {
            book.adopt(channel, found(&messages, channel), refresh == Refresh::All);
            if !record.done {
                record.whole_read_at = Some(began);
            }
            record.done = true;
            record.failed_at = None;
            true
        }
        Err(gave_up) => {
            if record.failed_at.is_none() {
                let code = gave_up.as_str();
                tracing::warn!(
                    channel,
                    error = %code,
                    "cannot read the channel's history to find the alerts' messages; going on \
                     with what this process knows ({})",
                    retry::advice(code)
                );
            }
            record.failed_at = Some(now);
            false
        }
    }
}

/// The bot's own messages in `channel` for the alerts `names`, newest first, back as far as
/// they need (see the module's notes), stopping once each has its newest message.
async fn read(
    book: &Book,
    slack: &SlackClient,
    channel: &str,
    record: &ChannelRead,
    names: BTreeSet<String>,
    now: DateTime<Utc>,
) -> Result<Vec<HistoryMessage>, GiveUp> {
    let window = now.timestamp() - HISTORY_DAYS * 86_400;
    let mut oldest = ts_of(window);
    if let (true, Some(read_at)) = (record.done, record.whole_read_at) {
        let known = names
            .iter()
            .filter_map(|name| book.slot(name))
            .filter_map(|slot| slot.state().message().map(|m| m.ts.clone()));
        let since = known
            .chain([ts_of(read_at - CLOCKS_DIFFER_S)])
            .min_by_key(|ts| ts_order(ts).unwrap_or_default());
        if let Some(since) = since
            && ts_order(&since) > ts_order(&oldest)
        {
            oldest = since;
        }
    }
    let mut missing = names;
    let found = |m: &HistoryMessage| {
        if let Some(name) = m.metadata.as_ref().and_then(metadata::alert_of) {
            missing.remove(&name);
        }
        missing.is_empty()
    };
    slack
        .own_history(channel, &oldest, HISTORY_BUDGET, found)
        .await
}

/// Every alert's state found in the bot's own messages of `channel`.
fn found(messages: &[HistoryMessage], channel: &str) -> BTreeMap<String, AlertState> {
    let messages: Vec<Value> = messages
        .iter()
        .map(|m| json!({ "ts": m.ts, "metadata": m.metadata }))
        .collect();
    metadata::read_back(&json!({ "messages": messages }), channel)
}

/// Before anything is sent, the channel is read again (only then: a check that changes
/// nothing reads nothing). The state there may be newer than this process's: a silence set by a
/// button in another Lambda environment is kept (not written over, and it holds back new
/// messages), and an incident already posted (by another environment, or a post whose answer
/// was lost) is updated instead of posted again.
pub async fn recheck(
    book: &Book,
    slack: &SlackClient,
    alert: &Alert,
    mut next: AlertState,
    action: Action,
    now: DateTime<Utc>,
) -> (AlertState, Action) {
    let sends = !matches!(action, Action::Nothing | Action::LogError { .. });
    let Some(record) = book.channel(&alert.channel).filter(|_| sends) else {
        return (next, action);
    };
    let record = record.lock().await;
    let names = BTreeSet::from([alert.name.clone()]);
    let Ok(messages) = read(book, slack, &alert.channel, &record, names, now).await else {
        return (next, action);
    };
    let Some(there) = found(&messages, &alert.channel).remove(&alert.name) else {
        return (next, action);
    };
    let newer_silence = match (&there.silence, &next.silence) {
        (Some(theirs), Some(ours)) => theirs.until > ours.until,
        (Some(_), None) => true,
        _ => false,
    };
    if newer_silence && there.silenced_at(now).is_some() {
        next.silence = there.silence.clone();
    }
    let silenced = next.silenced_at(now).is_some();
    let action = match action {
        Action::Post | Action::PostMilestone { .. } if silenced => Action::Nothing,
        Action::Resolve { .. } if silenced => Action::Resolve { reply: false },
        other => other,
    };
    if action != Action::Post {
        return (next, action);
    }
    match (&there.phase, next.phase.clone()) {
        (Phase::Firing { since, message, .. }, Phase::Firing { reading, .. })
            if message.is_some() =>
        {
            tracing::info!(alert = %alert.name, "the incident is posted already; updating it");
            next.phase = Phase::Firing {
                since: *since,
                reading,
                message: message.clone(),
            };
            (next, Action::Update)
        }
        _ => (next, Action::Post),
    }
}
