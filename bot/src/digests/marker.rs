//! A digest's marker: the Slack message metadata its post carries, saying which digest and which
//! occurrence, so that a later pass (another environment, this one after a restart) finds it in
//! the channel's history and does not post it again. Only the bot's own messages are looked at
//! (`slack::history_page::own`): anyone can post a message with a digest's metadata. Pure.

use serde_json::json;

use crate::slack::history_page::HistoryMessage;
use crate::slack::message::Metadata;

/// The metadata's `event_type` on every digest's message.
pub const EVENT_TYPE: &str = "statsbot_digest";

/// Which digest, for which occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub digest: String,
    pub occurrence: String,
}

impl Marker {
    /// Slack message metadata carrying the marker.
    pub fn metadata(&self) -> Metadata {
        Metadata {
            event_type: EVENT_TYPE.into(),
            event_payload: json!({ "digest": self.digest, "occurrence": self.occurrence }),
        }
    }

    /// Whether `message` carries this marker.
    pub fn on(&self, message: &HistoryMessage) -> bool {
        message.metadata.as_ref().is_some_and(|meta| {
            meta.event_type == EVENT_TYPE
                && meta.event_payload["digest"] == self.digest.as_str()
                && meta.event_payload["occurrence"] == self.occurrence.as_str()
        })
    }

    /// Whether one of `messages` (the bot's own, from `conversations.history`) carries it.
    pub fn found_in(&self, messages: &[HistoryMessage]) -> bool {
        messages.iter().any(|m| self.on(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_read_from_history() {
        let marker = Marker {
            digest: "weekly".into(),
            occurrence: "2026-03-09T08:00:00Z".into(),
        };
        let message = |metadata| HistoryMessage {
            ts: "1773043200.000100".into(),
            thread_ts: None,
            metadata,
            author: Default::default(),
        };
        let other = Metadata {
            event_type: "something_else".into(),
            event_payload: json!({"digest": "weekly", "occurrence": "2026-03-09T08:00:00Z"}),
        };
        let earlier = Marker {
            occurrence: "2026-03-02T08:00:00Z".into(),
            ..marker.clone()
        };
        assert!(!marker.found_in(&[message(None), message(Some(other))]));
        assert!(!marker.found_in(&[message(Some(earlier.metadata()))]));
        assert!(marker.found_in(&[message(None), message(Some(marker.metadata()))]));
    }
}
