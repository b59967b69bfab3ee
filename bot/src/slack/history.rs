//! The bot's own records in a channel: `conversations.history` read page by page (`cursor`,
//! newest first) back to the window a reader needs, keeping only the messages the bot posted
//! itself ([`own`], THE filter every reader of history goes through: alerts, digest markers,
//! the client's check before a retried post), and stopping as soon as the reader has found what
//! it looks for. A channel is busy (members' chat, other apps) and any app can post any
//! metadata `event_type`: another's metadata is never believed, only noted at debug level.

use std::time::{Duration, Instant};

use super::client::{HistoryMessage, SlackClient};
use super::identity::Identity;
use super::retry::GiveUp;

/// Messages a page: Slack suggests no more than 200.
pub const PAGE_LIMIT: usize = 200;
/// Pages one read may take (10,000 messages); past it the read stops and says so.
pub const MAX_PAGES: usize = 50;

/// Whether `message` is the bot's own: posted with its `bot_id`. Anyone else's metadata (another
/// app's, a member's) is ignored, and noted at debug level.
pub fn own(me: &Identity, channel: &str, message: &HistoryMessage) -> bool {
    let mine = message.author.bot_id.as_deref() == Some(me.bot_id.as_str());
    if !mine && let Some(metadata) = &message.metadata {
        tracing::debug!(
            channel,
            ts = %message.ts,
            event_type = %metadata.event_type,
            bot_id = message.author.bot_id.as_deref().unwrap_or("-"),
            app_id = message.author.app_id.as_deref().unwrap_or("-"),
            user = message.author.user.as_deref().unwrap_or("-"),
            subtype = message.author.subtype.as_deref().unwrap_or("-"),
            "metadata on a message the bot did not post; ignored"
        );
    }
    mine
}

/// A Slack `ts` for Unix seconds (`oldest`, `latest`).
pub fn ts_of(unix_seconds: i64) -> String {
    format!("{}.000000", unix_seconds.max(0))
}

/// Slack's `ts` ("1773043200.000100") as something that orders like time.
pub fn ts_order(ts: &str) -> Option<(u64, u64)> {
    let (seconds, micros) = ts.split_once('.').unwrap_or((ts, "0"));
    Some((seconds.parse().ok()?, micros.parse().ok()?))
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slack::client::Author;
    use crate::slack::message::Metadata;
    use serde_json::json;

    fn me() -> Identity {
        Identity {
            user_id: "U0123ABCD".into(),
            bot_id: "B0123ABCD".into(),
            team_id: "T0123ABCD".into(),
        }
    }

    fn message(author: Author) -> HistoryMessage {
        HistoryMessage {
            ts: "1773043200.000100".into(),
            thread_ts: None,
            metadata: Some(Metadata {
                event_type: "statsbot_alert".into(),
                event_payload: json!({"alert": "headcount", "state": "firing"}),
            }),
            author,
        }
    }

    #[test]
    fn only_the_bots_own_messages_are_trusted() {
        let mine = Author {
            bot_id: Some("B0123ABCD".into()),
            app_id: Some("A0123ABCD".into()),
            user: Some("U0123ABCD".into()),
            subtype: None,
        };
        assert!(own(&me(), "C0123456789", &message(mine)));
        let other_app = Author {
            bot_id: Some("B0OTHERAPP".into()),
            app_id: Some("A0OTHERAPP".into()),
            user: None,
            subtype: Some("bot_message".into()),
        };
        assert!(!own(&me(), "C0123456789", &message(other_app)));
        // The bot's user without its bot_id is not enough: bot_id is the rule.
        let member = Author {
            user: Some("U0123ABCD".into()),
            ..Author::default()
        };
        assert!(!own(&me(), "C0123456789", &message(member)));
        assert!(!own(&me(), "C0123456789", &message(Author::default())));
    }

    #[test]
    fn a_history_message_reads_its_author() {
        let read: HistoryMessage = serde_json::from_value(json!({
            "type": "message", "subtype": "bot_message", "ts": "1773043200.000100",
            "bot_id": "B0OTHERAPP", "app_id": "A0OTHERAPP", "text": "hi"
        }))
        .unwrap();
        assert_eq!(read.author.bot_id.as_deref(), Some("B0OTHERAPP"));
        assert_eq!(read.author.subtype.as_deref(), Some("bot_message"));
        assert_eq!(ts_of(1_773_043_200), "1773043200.000000");
    }
}
