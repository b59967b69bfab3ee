//! What the bot's reply to a mention or a DM carries (Slack message metadata,
//! `statsbot_answer`): the `event_id` it answered, so a redelivery finds it in the thread and
//! answers nothing, and the reading that ran (`signups 6`), so a follow-up in the thread reads
//! its words against it. Read back only from the bot's own messages (the caller keeps those,
//! `slack::history_page::own`): any app can post any metadata. Pure.

use serde_json::{Value, json};

use crate::slack::history_page::HistoryMessage;
use crate::slack::message::Metadata;

/// The metadata's `event_type` on every reply to a mention or a DM.
pub const EVENT_TYPE: &str = "statsbot_answer";

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

/// The marks among `own` (the bot's own messages: `history_page::own`), in their order.
fn marks(own: &[HistoryMessage]) -> impl Iterator<Item = (&HistoryMessage, Mark)> {
    own.iter()
        .filter_map(|m| Some((m, Mark::read(m.metadata.as_ref()?)?)))
}

/// Whether the bot has answered `event_id` among its `own` messages.
pub fn answered(own: &[HistoryMessage], event_id: &str) -> bool {
    marks(own).any(|(_, mark)| mark.event_id == event_id)
}

/// The reading of the bot's latest answer among its `own` messages before `before` (a `ts`).
pub fn latest_reading(own: &[HistoryMessage], before: &str) -> Option<String> {
    let before = ts_key(before);
    marks(own)
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
    use crate::slack::history_page::Author;

    fn message(ts: &str, mark: Option<Mark>) -> HistoryMessage {
        HistoryMessage {
            ts: ts.into(),
            thread_ts: Some("1700000000.000100".into()),
            metadata: mark.map(|m| m.metadata()),
            author: Author {
                bot_id: Some("B0123ABCD".into()),
                ..Author::default()
            },
        }
    }

    fn mark(event_id: &str, reading: Option<&str>) -> Option<Mark> {
        Some(Mark {
            event_id: event_id.into(),
            reading: reading.map(String::from),
        })
    }

    #[test]
    fn a_reply_is_found_by_its_event_id() {
        let thread = vec![
            message("1700000001.000100", None),
            message("1700000002.000100", mark("Ev2", None)),
            message("1700000003.000100", mark("Ev1", Some("members"))),
        ];
        assert!(answered(&thread, "Ev1"));
        assert!(answered(&thread, "Ev2"));
        assert!(!answered(&thread, "Ev3"));
        let other = Metadata {
            event_type: "statsbot_digest".into(),
            event_payload: serde_json::json!({"event_id": "Ev3"}),
        };
        let mut digest = message("1700000004.000100", None);
        digest.metadata = Some(other);
        assert!(!answered(&[digest], "Ev3"), "another kind of metadata");
    }

    #[test]
    fn the_latest_reading_before_the_question_is_the_one_followed_up() {
        let thread = vec![
            message("1700000001.000100", mark("Ev1", Some("signups 6"))),
            message("1700000009.000100", mark("Ev2", Some("members"))),
            message("1700000005.000100", mark("Ev3", None)),
        ];
        assert_eq!(
            latest_reading(&thread, "1700000008.000100").as_deref(),
            Some("signups 6")
        );
        assert_eq!(
            latest_reading(&thread, "1700000010.000100").as_deref(),
            Some("members")
        );
        assert_eq!(latest_reading(&thread, "1700000000.000100"), None);
    }

    #[test]
    fn timestamps_order_as_numbers() {
        assert!(ts_key("1700000000.000100") < ts_key("1700000000.000200"));
        assert!(ts_key("999999999.9") < ts_key("1000000000.1"));
    }
}
