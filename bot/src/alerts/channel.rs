//! The channel as the alerts' record: their states read back from its history (message
//! metadata, `alerts::metadata`), bounded: once per channel per process for the tick, again
//! only just before something is sent, when a button is pressed (the tick may run in another
//! Lambda environment, whose changes only the channel holds) and for `/stats alerts`.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::Alert;
use super::book::Book;
use super::machine::{Action, AlertState, Phase};
use super::metadata;
use crate::slack::client::{HistoryMessage, SlackClient};
use crate::slack::retry;

/// Reading a channel's history (retries included).
const HISTORY_BUDGET: Duration = Duration::from_secs(15);
/// How far back the history is read for the alerts' own messages (one page of 200).
const HISTORY_DAYS: i64 = 90;

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
    let oldest = now.timestamp() - HISTORY_DAYS * 86_400;
    match slack.history(channel, oldest, HISTORY_BUDGET).await {
        Ok(messages) => {
            book.adopt(channel, found(&messages, channel), refresh == Refresh::All);
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

/// Every alert's state found in one page of `channel`'s history.
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
    let oldest = now.timestamp() - HISTORY_DAYS * 86_400;
    let _reading = record.lock().await;
    let Ok(messages) = slack.history(&alert.channel, oldest, HISTORY_BUDGET).await else {
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
