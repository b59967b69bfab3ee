//! The bot's own records in a channel: `conversations.history` read page by page (`cursor`,
//! newest first) back to the window a reader needs, keeping only the messages the bot posted
//! itself (`history_page::own`, THE filter), and stopping as soon as the reader has found what
//! it looks for, or at a page cap (logged). Every reader of a channel's history goes through it:
//! alerts, digest markers, a DM's earlier answers (`mentions::thread`); a thread is read by
//! `conversations.replies` (`client::event_calls`) with the same filter.

use std::time::{Duration, Instant};

use super::client::SlackClient;
use super::history_page::{HistoryMessage, PAGE_LIMIT, own};
use super::retry::GiveUp;

/// Pages one read may take (10,000 messages); past it the read stops and says so.
pub const MAX_PAGES: usize = 50;

impl SlackClient {
    /// The bot's own messages in `channel` since `oldest` (a Slack `ts`, inclusive), newest
    /// first, read page by page within `budget` until `found` says the reader has all it needs
    /// (it sees each own message, newest first), the window ends, or [`MAX_PAGES`] (logged).
    pub async fn own_history(
        &self,
        channel: &str,
        oldest: &str,
        budget: Duration,
        mut found: impl FnMut(&HistoryMessage) -> bool,
    ) -> Result<Vec<HistoryMessage>, GiveUp> {
        let started = Instant::now();
        let me = self.identity().await?;
        let mut mine = Vec::new();
        let mut cursor: Option<String> = None;
        for page in 1..=MAX_PAGES {
            let read = self
                .history_page(
                    channel,
                    oldest,
                    cursor.as_deref(),
                    PAGE_LIMIT,
                    started,
                    budget,
                )
                .await?;
            for message in read.messages {
                if !own(me, channel, &message) {
                    continue;
                }
                let done = found(&message);
                mine.push(message);
                if done {
                    tracing::debug!(channel, pages = page, "found in the channel's history");
                    return Ok(mine);
                }
            }
            match read.next_cursor {
                Some(next) => cursor = Some(next),
                None => return Ok(mine),
            }
        }
        tracing::warn!(
            channel,
            pages = MAX_PAGES,
            messages = MAX_PAGES * PAGE_LIMIT,
            "stopped reading the channel's history at the page cap: older messages of the \
             bot's are not seen (a very busy channel; a dedicated channel for digests and \
             alerts avoids it)"
        );
        Ok(mine)
    }
}
