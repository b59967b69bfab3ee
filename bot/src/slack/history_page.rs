//! One page of `conversations.history` as the bot reads it: each message's `ts`, metadata and
//! author (`HistoryMessage`), the cursor to the next page, and THE filter, [`own`]: whether a
//! message is the bot's own. Every reader of history keeps only the bot's own messages (a
//! channel is busy, and any app or member can post any metadata `event_type`): alerts, digest
//! markers, the client's check before a retried post, and threads. Pure.

use serde::Deserialize;
use serde_json::Value;

use super::identity::Identity;
use super::message::Metadata;

/// Messages a page: Slack suggests no more than 200.
pub const PAGE_LIMIT: usize = 200;

/// A message from `conversations.history`, with its metadata when it has some, and who posted
/// it ([`own`] says whether it is the bot's).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct HistoryMessage {
    pub ts: String,
    #[serde(default)]
    pub thread_ts: Option<String>,
    #[serde(default)]
    pub metadata: Option<Metadata>,
    #[serde(flatten)]
    pub author: Author,
}

/// Who posted a message, as Slack says: an app's messages carry `bot_id` and `app_id` (legacy
/// bots and webhooks with `subtype: bot_message`), a member's only `user`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct Author {
    #[serde(default)]
    pub bot_id: Option<String>,
    #[serde(default)]
    pub app_id: Option<String>,
    #[serde(default)]
    pub user: Option<String>,
    #[serde(default)]
    pub subtype: Option<String>,
}

/// One page of `conversations.history`, newest first; `next_cursor` when there is more.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryPage {
    pub messages: Vec<HistoryMessage>,
    pub next_cursor: Option<String>,
}

impl HistoryPage {
    /// From `conversations.history`'s answer (`"ok": true`); a message it cannot read is skipped.
    pub fn read(body: &Value) -> HistoryPage {
        let messages = body.get("messages").cloned().unwrap_or(Value::Null);
        let next_cursor = body["response_metadata"]["next_cursor"]
            .as_str()
            .filter(|c| !c.is_empty() && body["has_more"] == true)
            .map(String::from);
        HistoryPage {
            messages: serde_json::from_value::<Vec<Lenient>>(messages)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|m| m.0)
                .collect(),
            next_cursor,
        }
    }
}

/// A history entry that is not a message the bot can read is skipped, not an error.
struct Lenient(Option<HistoryMessage>);

impl<'de> Deserialize<'de> for Lenient {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Ok(Lenient(serde_json::from_value(Value::deserialize(d)?).ok()))
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
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
