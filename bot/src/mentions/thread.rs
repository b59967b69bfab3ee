//! The bot's own messages where a question was asked, read back: in its thread
//! (`conversations.replies`, from the thread's start, up to the client's page cap) or in the DM
//! (`conversations.history` back to a while before the question). Only the bot's own messages
//! count (`slack::history_page::own`): a thread is busy, and any app can post any metadata.

use std::time::Duration;

use super::marker;
use super::reply_thread;
use crate::services::Services;
use crate::slack::events::Said;
use crate::slack::history_page::HistoryMessage;
use crate::slack::history_page::{self, ts_of};
use crate::slack::identity::Identity;
use crate::slack::retry::GiveUp;

const BUDGET: Duration = Duration::from_secs(30);
/// How far back a DM is read for the bot's earlier answer.
const DM_LOOKBACK_S: i64 = 7 * 24 * 60 * 60;

/// The bot's messages in the question's thread (or, in a DM, since `oldest`), oldest first in a
/// thread, newest first in a DM; `found` stops a DM's read early.
async fn own_messages(
    services: &Services,
    said: &Said,
    me: &Identity,
    oldest: &str,
    found: impl FnMut(&HistoryMessage) -> bool,
) -> Result<Vec<HistoryMessage>, GiveUp> {
    let slack = &services.slack;
    match reply_thread(said) {
        Some(thread) => {
            let messages = slack
                .replies(&said.channel, &thread, None, None, BUDGET)
                .await?;
            Ok(messages
                .into_iter()
                .filter(|m| history_page::own(me, &said.channel, m))
                .collect())
        }
        None => {
            slack
                .own_history(&said.channel, oldest, BUDGET, found)
                .await
        }
    }
}

/// Whether the bot has answered `event_id` already (a redelivery, to any instance). When the
/// thread cannot be read, it answers: a missed answer is worse than a rare second one.
pub(super) async fn answered_already(
    services: &Services,
    said: &Said,
    me: &Identity,
    event_id: &str,
) -> bool {
    // The reply came after the question.
    let is_it = |m: &HistoryMessage| marker::answered(std::slice::from_ref(m), event_id);
    match own_messages(services, said, me, &said.ts, is_it).await {
        Ok(messages) => marker::answered(&messages, event_id),
        Err(gave_up) => {
            tracing::warn!(
                gave_up = gave_up.as_str(),
                "could not read the thread for an earlier reply; answering"
            );
            false
        }
    }
}

/// The bot's latest reading in the thread (or the DM) before the question.
pub(super) async fn earlier_reading(
    services: &Services,
    said: &Said,
    me: &Identity,
) -> Option<String> {
    let question = marker::ts_key(&said.ts);
    let oldest = ts_of(question.0 as i64 - DM_LOOKBACK_S);
    let before = said.ts.clone();
    // Newest first in a DM: the first answer before the question is the one.
    let is_it =
        |m: &HistoryMessage| marker::latest_reading(std::slice::from_ref(m), &before).is_some();
    match own_messages(services, said, me, &oldest, is_it).await {
        Ok(messages) => marker::latest_reading(&messages, &said.ts),
        Err(gave_up) => {
            tracing::warn!(
                gave_up = gave_up.as_str(),
                "could not read the thread for an earlier reading"
            );
            None
        }
    }
}
