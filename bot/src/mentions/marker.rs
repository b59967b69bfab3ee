//! What the bot's reply to a mention or a DM carries (Slack message metadata,
//! `statsbot_answer`): the `event_id` it answered, so a redelivery finds it in the thread and
//! answers nothing, and the reading that ran (`signups 6`), so a follow-up in the thread reads
//! its words against it. Read back only from the bot's own messages: any app can post any
//! metadata. Pure.

use serde_json::{Value, json};

use crate::slack::client::ThreadMessage;
use crate::slack::message::Metadata;

/// The metadata's `event_type` on every reply to a mention or a DM.
pub const EVENT_TYPE: &str = "statsbot_answer";

/// Who the bot is, as far as its replies go: its messages carry its user id, and its `bot_id`
/// when known.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Own {
    pub user_id: String,
    pub bot_id: Option<String>,
}

impl Own {
    /// Whether the bot wrote `message`.
    pub fn wrote(&self, message: &ThreadMessage) -> bool {
        match (&self.bot_id, &message.bot_id) {
            (Some(own), Some(theirs)) => own == theirs,
            (Some(_), None) => false,
            (None, _) => {
                !self.user_id.is_empty() && message.user.as_deref() == Some(self.user_id.as_str())
            }
        }
    }
}

/// What one reply answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub event_id: String,
    /// The invocation that ran, as typed after `/stats`; none for a choice or a problem.
    pub reading: Option<String>,
}

impl Mark {
    pub fn metadata(&self) -> Metadata {
        let mut payload = json!({ "event_id": self.event_id });
        if let Some(reading) = &self.reading {
            payload["reading"] = Value::from(reading.as_str());
        }
        Metadata {
            event_type: EVENT_TYPE.into(),
            event_payload: payload,
        }
    }

    fn read(metadata: &Metadata) -> Option<Mark> {
        if metadata.event_type != EVENT_TYPE {
            return None;
        }
        let payload = &metadata.event_payload;
        Some(Mark {
            event_id: payload["event_id"].as_str()?.to_string(),
            reading: payload["reading"]
                .as_str()
                .filter(|r| !r.trim().is_empty())
                .map(String::from),
        })
    }
}

/// The marks on the bot's own messages among `messages`, in their order.
fn own_marks<'a>(
    messages: &'a [ThreadMessage],
    own: &'a Own,
) -> impl Iterator<Item = (&'a ThreadMessage, Mark)> + 'a {
    messages
        .iter()
        .filter(|m| own.wrote(m))
        .filter_map(|m| Some((m, Mark::read(m.metadata.as_ref()?)?)))
}

/// Whether the bot has answered `event_id` among `messages`.
pub fn answered(messages: &[ThreadMessage], own: &Own, event_id: &str) -> bool {
    own_marks(messages, own).any(|(_, mark)| mark.event_id == event_id)
}

/// The reading of the bot's latest answer before `before` (a message `ts`), if any.
pub fn latest_reading(messages: &[ThreadMessage], own: &Own, before: &str) -> Option<String> {
    let before = ts_key(before);
    own_marks(messages, own)
        .filter(|(m, _)| ts_key(&m.ts) < before)
        .filter_map(|(m, mark)| Some((ts_key(&m.ts), mark.reading?)))
        .max_by_key(|(at, _)| *at)
        .map(|(_, reading)| reading)
}

/// A message `ts` (`1515449522.000016`) as numbers, for ordering.
pub fn ts_key(ts: &str) -> (u64, u64) {
    let (secs, micros) = ts.split_once('.').unwrap_or((ts, "0"));
    (secs.parse().unwrap_or(0), micros.parse().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own() -> Own {
        Own {
            user_id: "U0BOT0001".into(),
            bot_id: Some("B0123ABCD".into()),
        }
    }

    fn message(ts: &str, bot: Option<&str>, user: &str, mark: Option<Mark>) -> ThreadMessage {
        ThreadMessage {
            ts: ts.into(),
            thread_ts: Some("1700000000.000100".into()),
            user: Some(user.into()),
            bot_id: bot.map(String::from),
            app_id: None,
            metadata: mark.map(|m| m.metadata()),
        }
    }

    fn mark(event_id: &str, reading: Option<&str>) -> Option<Mark> {
        Some(Mark {
            event_id: event_id.into(),
            reading: reading.map(String::from),
        })
    }

    #[test]
    fn a_reply_is_found_by_its_event_id_on_the_bots_own_message_only() {
        let thread = vec![
            message("1700000000.000100", None, "U0456EFGH", None),
            message(
                "1700000001.000100",
                Some("B0OTHER01"),
                "U0OTHER01",
                mark("Ev1", Some("members")),
            ),
            message("1700000002.000100", None, "U0456EFGH", mark("Ev2", None)),
        ];
        assert!(
            !answered(&thread, &own(), "Ev1"),
            "another app's forged reply"
        );
        assert!(!answered(&thread, &own(), "Ev2"), "a member's message");
        let mut thread = thread;
        thread.push(message(
            "1700000003.000100",
            Some("B0123ABCD"),
            "U0BOT0001",
            mark("Ev1", None),
        ));
        assert!(answered(&thread, &own(), "Ev1"));
        assert!(!answered(&thread, &own(), "Ev3"));
    }

    #[test]
    fn the_latest_reading_before_the_question_is_the_one_followed_up() {
        let thread = vec![
            message(
                "1700000001.000100",
                Some("B0123ABCD"),
                "U0BOT0001",
                mark("Ev1", Some("signups 6")),
            ),
            message(
                "1700000009.000100",
                Some("B0123ABCD"),
                "U0BOT0001",
                mark("Ev2", Some("members")),
            ),
            message(
                "1700000005.000100",
                Some("B0123ABCD"),
                "U0BOT0001",
                mark("Ev3", None),
            ),
            message(
                "1700000006.000100",
                Some("B0OTHER01"),
                "U0OTHER01",
                mark("Ev4", Some("mentors")),
            ),
        ];
        assert_eq!(
            latest_reading(&thread, &own(), "1700000008.000100").as_deref(),
            Some("signups 6")
        );
        assert_eq!(
            latest_reading(&thread, &own(), "1700000010.000100").as_deref(),
            Some("members")
        );
        assert_eq!(latest_reading(&thread, &own(), "1700000000.000100"), None);
    }

    #[test]
    fn without_a_bot_id_the_bots_user_id_is_trusted() {
        let by_user = Own {
            user_id: "U0BOT0001".into(),
            bot_id: None,
        };
        let m = message("1.2", Some("B0123ABCD"), "U0BOT0001", None);
        assert!(by_user.wrote(&m));
        assert!(!by_user.wrote(&message("1.2", Some("B0X"), "U0X", None)));
        assert!(!Own::default().wrote(&m));
    }

    #[test]
    fn timestamps_order_as_numbers() {
        assert!(ts_key("1700000000.000100") < ts_key("1700000000.000200"));
        assert!(ts_key("999999999.9") < ts_key("1000000000.1"));
    }
}
