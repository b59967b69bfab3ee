//! An alert's state riding on its Slack message, as message metadata:
//! `{"event_type": "statsbot_alert", "event_payload": {"alert": "<name>", "state": …}}`, written
//! with every post and update, and read back from `conversations.history`
//! (`include_all_metadata=true`) to rebuild the state after a restart or a deploy, or in a second
//! environment. No datastore: the channel is the record. Pure.
//!
//! Reading is tolerant: a message without metadata, another app's or a digest's metadata, a
//! payload that does not parse or names a state this version does not know are all skipped, and
//! keys a newer version adds are ignored. Times are RFC 3339 strings; absent values are left out
//! rather than written as null.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::machine::{AlertState, MessageRef, Phase, Reading, Silence};
use crate::slack::history_page::ts_order;

pub const EVENT_TYPE: &str = "statsbot_alert";

/// `event_payload`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Payload {
    pub alert: String,
    /// `ok`, `pending`, `firing` or `resolved`.
    pub state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// When a resolved incident ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The condition in words with the value, as the message shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub silenced_until: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub silenced_by: Option<String>,
    /// A milestone alert's mark: the highest multiple announced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub milestone: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    pub event_type: String,
    pub event_payload: Payload,
}

fn time(at: &DateTime<Utc>) -> Option<String> {
    Some(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

fn parse_time(text: &Option<String>) -> Option<DateTime<Utc>> {
    let text = text.as_deref()?;
    Some(DateTime::parse_from_rfc3339(text).ok()?.with_timezone(&Utc))
}

/// What `chat.postMessage` and `chat.update` carry as `metadata` for `alert` in `state`.
pub fn write(alert: &str, state: &AlertState) -> Value {
    let mut payload = Payload {
        alert: alert.to_string(),
        milestone: state.milestone,
        silenced_until: state.silence.as_ref().and_then(|s| time(&s.until)),
        silenced_by: state.silence.as_ref().map(|s| s.by.clone()),
        ..Payload::default()
    };
    let reading = match &state.phase {
        Phase::Unknown => {
            payload.state = "ok".into();
            None
        }
        Phase::Ok { since } => {
            payload.state = "ok".into();
            payload.since = time(since);
            None
        }
        Phase::Pending { since, reading } => {
            payload.state = "pending".into();
            payload.since = time(since);
            Some(reading)
        }
        Phase::Firing { since, reading, .. } => {
            payload.state = "firing".into();
            payload.since = time(since);
            Some(reading)
        }
        Phase::Resolved {
            since,
            ended,
            reading,
            ..
        } => {
            payload.state = "resolved".into();
            payload.since = time(since);
            payload.ended = time(ended);
            Some(reading)
        }
    };
    if let Some(reading) = reading {
        payload.value = Some(reading.value.clone());
        payload.condition = Some(reading.words.clone());
    }
    serde_json::to_value(Metadata {
        event_type: EVENT_TYPE.into(),
        event_payload: payload,
    })
    .expect("strings and numbers serialize")
}

/// The state a message's payload stands for; `message` is that message. `None` for a state
/// this version does not know, or one missing the times it needs.
fn state_of(payload: &Payload, message: MessageRef) -> Option<AlertState> {
    let since = parse_time(&payload.since);
    let reading = || Reading {
        value: payload.value.clone().unwrap_or_default(),
        words: payload.condition.clone().unwrap_or_default(),
    };
    let phase = match payload.state.as_str() {
        "ok" => since.map_or(Phase::Unknown, |since| Phase::Ok { since }),
        "pending" => Phase::Pending {
            since: since?,
            reading: reading(),
        },
        "firing" => Phase::Firing {
            since: since?,
            reading: reading(),
            message: Some(message),
        },
        "resolved" => Phase::Resolved {
            since: since?,
            ended: parse_time(&payload.ended)?,
            reading: reading(),
            message: Some(message),
        },
        _ => return None,
    };
    let silence = match (parse_time(&payload.silenced_until), &payload.silenced_by) {
        (Some(until), Some(by)) => Some(Silence {
            until,
            by: by.clone(),
        }),
        _ => None,
    };
    Some(AlertState {
        phase,
        failure: None,
        silence,
        milestone: payload.milestone,
        last_check: None,
    })
}

/// The alert an own message's metadata is about (`None`: not an alert's, or not readable).
pub fn alert_of(metadata: &crate::slack::message::Metadata) -> Option<String> {
    if metadata.event_type != EVENT_TYPE {
        return None;
    }
    Some(Payload::deserialize(&metadata.event_payload).ok()?.alert)
}

/// Every alert's state found in the bot's own messages of `channel`'s history (already kept to
/// its own by `slack::history_page::own`): for each alert, its newest message carrying its
/// metadata. One read serves every alert of a channel.
pub fn read_back(history: &Value, channel: &str) -> BTreeMap<String, AlertState> {
    let mut newest: BTreeMap<String, ((u64, u64), AlertState)> = BTreeMap::new();
    let messages = history["messages"].as_array().into_iter().flatten();
    for message in messages {
        if message["metadata"]["event_type"] != EVENT_TYPE {
            continue;
        }
        let Ok(payload) = Payload::deserialize(&message["metadata"]["event_payload"]) else {
            continue;
        };
        let Some(ts) = message["ts"].as_str() else {
            continue;
        };
        let Some(order) = ts_order(ts) else {
            continue;
        };
        let at = MessageRef {
            channel: channel.to_string(),
            ts: ts.to_string(),
        };
        let Some(state) = state_of(&payload, at) else {
            continue;
        };
        match newest.get(&payload.alert) {
            Some((seen, _)) if *seen >= order => {}
            _ => {
                newest.insert(payload.alert.clone(), (order, state));
            }
        }
    }
    newest
        .into_iter()
        .map(|(alert, (_, state))| (alert, state))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn reading() -> Reading {
        Reading {
            value: "70".into(),
            words: "`recent` is 70, below 80% of `previous` (100)".into(),
        }
    }

    fn message(ts: &str) -> MessageRef {
        MessageRef {
            channel: "C0123456789".into(),
            ts: ts.into(),
        }
    }

    fn history(messages: Vec<Value>) -> Value {
        json!({"ok": true, "messages": messages, "has_more": false})
    }

    fn posted(ts: &str, alert: &str, state: &AlertState) -> Value {
        json!({"type": "message", "ts": ts, "text": "…", "metadata": write(alert, state)})
    }

    #[test]
    fn every_state_round_trips_through_a_message() {
        let firing = AlertState {
            phase: Phase::Firing {
                since: at("2026-03-09T08:00:00Z"),
                reading: reading(),
                message: Some(message("1773043200.000100")),
            },
            silence: Some(Silence {
                until: at("2026-03-09T09:00:00Z"),
                by: "U0123456789".into(),
            }),
            ..AlertState::default()
        };
        let resolved = AlertState {
            phase: Phase::Resolved {
                since: at("2026-03-09T08:00:00Z"),
                ended: at("2026-03-09T10:05:00Z"),
                reading: reading(),
                message: Some(message("1773043200.000200")),
            },
            ..AlertState::default()
        };
        let milestone = AlertState {
            phase: Phase::Ok {
                since: at("2026-03-01T00:00:00Z"),
            },
            milestone: Some(1000),
            ..AlertState::default()
        };
        for (ts, state) in [
            ("1773043200.000100", firing),
            ("1773043200.000200", resolved),
            ("1773043200.000300", milestone),
        ] {
            let found = read_back(
                &history(vec![posted(ts, "quiet_week", &state)]),
                "C0123456789",
            );
            assert_eq!(found["quiet_week"], state, "{ts}");
        }
    }

    #[test]
    fn the_payload_is_slack_shaped_without_nulls() {
        let state = AlertState {
            phase: Phase::Firing {
                since: at("2026-03-09T08:00:00Z"),
                reading: reading(),
                message: None,
            },
            ..AlertState::default()
        };
        assert_eq!(
            write("quiet_week", &state),
            json!({
                "event_type": "statsbot_alert",
                "event_payload": {
                    "alert": "quiet_week",
                    "state": "firing",
                    "since": "2026-03-09T08:00:00Z",
                    "value": "70",
                    "condition": "`recent` is 70, below 80% of `previous` (100)"
                }
            })
        );
    }

    #[test]
    fn the_newest_message_of_each_alert_wins() {
        let firing = |since: &str| AlertState {
            phase: Phase::Firing {
                since: at(since),
                reading: reading(),
                message: None,
            },
            ..AlertState::default()
        };
        let old = AlertState {
            phase: Phase::Resolved {
                since: at("2026-03-01T08:00:00Z"),
                ended: at("2026-03-01T09:00:00Z"),
                reading: reading(),
                message: None,
            },
            ..AlertState::default()
        };
        // conversations.history lists newest first; the order must not matter.
        let found = read_back(
            &history(vec![
                posted("1773043300.000100", "b", &old),
                posted("1773043200.000100", "a", &firing("2026-03-09T08:00:00Z")),
                posted("1772000000.000100", "a", &old),
                posted("1773043250.000100", "b", &firing("2026-03-09T08:01:00Z")),
            ]),
            "C0123456789",
        );
        assert_eq!(found.len(), 2);
        assert_eq!(found["a"].message(), Some(&message("1773043200.000100")));
        assert_eq!(found["a"].status(), crate::alerts::machine::Status::Firing);
        assert_eq!(
            found["b"].status(),
            crate::alerts::machine::Status::Resolved
        );
    }

    #[test]
    fn foreign_broken_and_newer_metadata() {
        let found = read_back(
            &history(vec![
                json!({"ts": "1.000001", "text": "no metadata"}),
                json!({"ts": "1.000002", "metadata": {"event_type": "statsbot_digest",
                    "event_payload": {"digest": "weekly", "occurrence": "2026-03-09T08:00:00Z"}}}),
                json!({"ts": "1.000003", "metadata": {"event_type": "statsbot_alert",
                    "event_payload": {"alert": 7, "state": "firing"}}}),
                json!({"ts": "1.000004", "metadata": {"event_type": "statsbot_alert",
                    "event_payload": {"alert": "x", "state": "acknowledged",
                                      "since": "2026-03-09T08:00:00Z"}}}),
                json!({"ts": "1.000005", "metadata": {"event_type": "statsbot_alert",
                    "event_payload": {"alert": "y", "state": "firing"}}}),
                json!({"metadata": {"event_type": "statsbot_alert",
                    "event_payload": {"alert": "z", "state": "ok"}}}),
            ]),
            "C0123456789",
        );
        assert!(found.is_empty(), "{found:?}");

        // A newer version's payload, with keys this one does not know, still reads.
        let newer = json!({"ts": "1773043200.000100", "metadata": {
            "event_type": "statsbot_alert",
            "event_payload": {"alert": "quiet_week", "state": "firing",
                "since": "2026-03-09T08:00:00Z", "value": "70", "severity": "high",
                "acknowledged_by": {"user": "U0123456789"}}}});
        let found = read_back(&history(vec![newer]), "C0123456789");
        assert_eq!(
            found["quiet_week"].since(),
            Some(at("2026-03-09T08:00:00Z"))
        );
        assert_eq!(
            found["quiet_week"].message(),
            Some(&message("1773043200.000100"))
        );
    }

    #[test]
    fn after_a_restart_a_firing_incident_is_neither_posted_again_nor_lost() {
        use crate::alerts::machine::{Action, Observation, step};
        let before = AlertState {
            phase: Phase::Firing {
                since: at("2026-03-09T08:00:00Z"),
                reading: reading(),
                message: Some(message("1773043200.000100")),
            },
            ..AlertState::default()
        };
        let found = read_back(
            &history(vec![posted("1773043200.000100", "quiet_week", &before)]),
            "C0123456789",
        );
        let now = at("2026-03-09T09:00:00Z");
        let hold = std::time::Duration::ZERO;
        let same = Observation::Condition {
            holds: true,
            reading: reading(),
        };
        assert_eq!(
            step(&found["quiet_week"], same, now, hold).1,
            Action::Nothing
        );
        let over = Observation::Condition {
            holds: false,
            reading: reading(),
        };
        let (after, action) = step(&found["quiet_week"], over, now, hold);
        assert_eq!(action, Action::Resolve { reply: true });
        assert_eq!(after.message(), Some(&message("1773043200.000100")));
    }
}
