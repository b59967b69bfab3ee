//! The channels as the Slack stand-in (`slack_api_stub`) holds them: every message with its
//! `ts` (Unix time with microseconds, always increasing, as Slack's), its author (the bot's
//! `bot_id`, `app_id` and bot user for what the bot's token posted; another app's or a member's
//! for what a test seeds), its metadata, and thread replies. `conversations.history` is answered
//! from here as Slack does: newest first, `oldest`/`latest` (exclusive unless `inclusive`),
//! `limit` (default 100, at most 999), `cursor`, `has_more` and
//! `response_metadata.next_cursor`; thread replies are not the channel's.
//!
//! Seeding: [`other_app`], [`member`] and [`chatter`] build the messages a busy channel holds,
//! for [`crate::slack_api_stub::SlackApiStub::seed`].

use serde_json::{Value, json};

/// Who the bot is, as `auth.test` answers for its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub user_id: String,
    pub bot_id: String,
    pub app_id: String,
    pub team_id: String,
}

impl Default for Identity {
    /// The stand-in's statsbot: plausible IDs, as a workspace would give them.
    fn default() -> Self {
        Identity {
            user_id: "U07STATSBT".into(),
            bot_id: "B07STATSBT".into(),
            app_id: "A07STATSBT".into(),
            team_id: "T0123ABCD".into(),
        }
    }
}

impl Identity {
    /// `auth.test`'s answer for the bot's token.
    pub fn auth_test(&self) -> Value {
        json!({
            "ok": true,
            "url": "https://statsbot-dev.slack.com/",
            "team": "statsbot dev",
            "user": "statsbot",
            "team_id": self.team_id,
            "user_id": self.user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": false
        })
    }
}

/// Another app's message (`subtype: bot_message`, its own `bot_id` and `app_id`), with
/// `metadata` when given: any app may post any `event_type`.
pub fn other_app(text: &str, metadata: Option<Value>) -> Value {
    let mut message = json!({
        "type": "message",
        "subtype": "bot_message",
        "text": text,
        "bot_id": "B0OTHERAPP",
        "app_id": "A0OTHERAPP",
        "username": "Other app",
    });
    if let Some(metadata) = metadata {
        message["metadata"] = metadata;
    }
    message
}

/// A member's message (`user`, no `bot_id`); members' messages can carry metadata too (a user
/// token's `chat.postMessage`).
pub fn member(user: &str, text: &str, metadata: Option<Value>) -> Value {
    let mut message = json!({ "type": "message", "user": user, "text": text });
    if let Some(metadata) = metadata {
        message["metadata"] = metadata;
    }
    message
}

/// `n` ordinary messages of a busy channel: members talking, another app's notices.
pub fn chatter(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| match i % 3 {
            0 => other_app(&format!("Build #{i} passed"), None),
            1 => member("U0123ABCD", &format!("message {i}: lunch at noon?"), None),
            _ => member("U0456EFGH", &format!("message {i}: sounds good"), None),
        })
        .collect()
}

/// One message in a channel.
#[derive(Debug, Clone)]
pub struct Stored {
    pub channel: String,
    pub ts: String,
    /// As `conversations.history` shows it (with `ts`).
    pub message: Value,
    /// Posted with the bot's token: the bot may update it.
    pub by_bot: bool,
}

/// Every channel's messages, in the order they arrived.
#[derive(Debug, Default)]
pub struct Channels {
    messages: Vec<Stored>,
    /// The last `ts` given, in microseconds: each new one is later.
    last: u64,
}

impl Channels {
    fn next_ts(&mut self) -> String {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_micros() as u64);
        self.last = now.max(self.last + 1);
        format!("{}.{:06}", self.last / 1_000_000, self.last % 1_000_000)
    }

    /// What the bot posted (`chat.postMessage`'s body) stored as Slack shows it: with its
    /// `bot_id`, `app_id` and bot user. Returns its `ts`.
    pub fn post(&mut self, me: &Identity, body: &Value) -> String {
        let ts = self.next_ts();
        let mut message = json!({
            "type": "message",
            "ts": ts,
            "text": body["text"],
            "user": me.user_id,
            "bot_id": me.bot_id,
            "app_id": me.app_id,
            "team": me.team_id,
        });
        for key in ["blocks", "metadata", "thread_ts"] {
            if let Some(value) = body.get(key).filter(|v| !v.is_null()) {
                message[key] = value.clone();
            }
        }
        self.messages.push(Stored {
            channel: body["channel"].as_str().unwrap_or_default().to_string(),
            ts: ts.clone(),
            message,
            by_bot: true,
        });
        ts
    }

    /// A message someone else posted in `channel` (see [`other_app`], [`member`]). Returns its
    /// `ts`.
    pub fn seed(&mut self, channel: &str, mut message: Value) -> String {
        let ts = self.next_ts();
        message["ts"] = json!(ts);
        self.messages.push(Stored {
            channel: channel.to_string(),
            ts: ts.clone(),
            message,
            by_bot: false,
        });
        ts
    }

    /// `chat.update` by the bot: its text, blocks and metadata replaced. Slack's errors:
    /// `message_not_found`, `cant_update_message` (not the bot's).
    pub fn update(&mut self, body: &Value) -> Result<(), &'static str> {
        let found = self
            .messages
            .iter_mut()
            .find(|m| {
                m.channel == body["channel"].as_str().unwrap_or_default()
                    && m.ts == body["ts"].as_str().unwrap_or_default()
            })
            .ok_or("message_not_found")?;
        if !found.by_bot {
            return Err("cant_update_message");
        }
        for key in ["text", "blocks", "metadata"] {
            if let Some(value) = body.get(key).filter(|v| !v.is_null()) {
                found.message[key] = value.clone();
            }
        }
        Ok(())
    }

    /// Every message of every channel, as stored.
    pub fn all(&self) -> &[Stored] {
        &self.messages
    }

    /// `conversations.history`'s answer for `query` (see the module's notes).
    pub fn history(&self, query: &[(String, String)]) -> Value {
        let arg = |name: &str| {
            query
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let inclusive = matches!(arg("inclusive"), Some("true" | "1"));
        let bound = |name: &str| arg(name).and_then(micros);
        let (oldest, latest) = (bound("oldest"), bound("latest"));
        let limit = match arg("limit").and_then(|l| l.parse::<usize>().ok()) {
            None | Some(0) => 100,
            Some(n) => n.min(999),
        };
        let start = match arg("cursor").filter(|c| !c.is_empty()) {
            None => None,
            Some(cursor) => match cursor
                .strip_prefix("next_ts:")
                .and_then(|t| t.parse::<u64>().ok())
            {
                Some(at) => Some(at),
                None => return json!({ "ok": false, "error": "invalid_cursor" }),
            },
        };
        let channel = arg("channel").unwrap_or_default();
        let within = |at: u64| {
            let after = oldest.is_none_or(|o| if inclusive { at >= o } else { at > o });
            let before = latest.is_none_or(|l| if inclusive { at <= l } else { at < l });
            after && before && start.is_none_or(|s| at <= s)
        };
        let mut matching = self
            .messages
            .iter()
            .rev()
            .filter(|m| m.channel == channel)
            // Replies live in their thread; the parent (thread_ts == ts) is the channel's.
            .filter(|m| m.message["thread_ts"].as_str().is_none_or(|t| t == m.ts))
            .filter(|m| micros(&m.ts).is_some_and(within));
        let page: Vec<Value> = matching
            .by_ref()
            .take(limit)
            .map(|m| m.message.clone())
            .collect();
        match matching.next() {
            Some(next) => {
                let at = micros(&next.ts).unwrap_or_default();
                json!({ "ok": true, "messages": page, "has_more": true,
                        "response_metadata": { "next_cursor": format!("next_ts:{at}") } })
            }
            None => json!({ "ok": true, "messages": page, "has_more": false }),
        }
    }
}

/// A `ts` (`1773043200.000100`, or whole seconds) in microseconds.
fn micros(ts: &str) -> Option<u64> {
    let (seconds, fraction) = ts.split_once('.').unwrap_or((ts, "0"));
    let fraction = format!("{fraction:0<6}");
    Some(seconds.parse::<u64>().ok()? * 1_000_000 + fraction.get(..6)?.parse::<u64>().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn history_pages_newest_first_within_the_window() {
        let mut channels = Channels::default();
        let first = channels.seed("C0123456789", member("U0123ABCD", "first", None));
        for message in chatter(250) {
            channels.seed("C0123456789", message);
        }
        channels.seed("C0987654321", member("U0123ABCD", "elsewhere", None));
        let mut cursor = String::new();
        let mut seen = Vec::new();
        loop {
            let answer = channels.history(&query(&[
                ("channel", "C0123456789"),
                ("limit", "200"),
                ("cursor", &cursor),
            ]));
            assert_eq!(answer["ok"], true);
            seen.extend(answer["messages"].as_array().unwrap().clone());
            if answer["has_more"] == false {
                break;
            }
            cursor = answer["response_metadata"]["next_cursor"]
                .as_str()
                .unwrap()
                .into();
        }
        assert_eq!(seen.len(), 251);
        assert_eq!(seen[250]["ts"], first.as_str(), "oldest last");
        let ts: Vec<u64> = seen
            .iter()
            .map(|m| micros(m["ts"].as_str().unwrap()).unwrap())
            .collect();
        assert!(ts.windows(2).all(|w| w[0] > w[1]), "newest first");

        let exclusive = channels.history(&query(&[("channel", "C0123456789"), ("oldest", &first)]));
        assert_eq!(exclusive["messages"].as_array().unwrap().len(), 100);
        let only = channels.history(&query(&[
            ("channel", "C0123456789"),
            ("oldest", &first),
            ("latest", &first),
            ("inclusive", "true"),
        ]));
        assert_eq!(only["messages"].as_array().unwrap().len(), 1);
        let bad = channels.history(&query(&[("channel", "C0123456789"), ("cursor", "xyz")]));
        assert_eq!(bad["error"], "invalid_cursor");
    }

    #[test]
    fn only_the_bots_own_messages_can_be_updated() {
        let mut channels = Channels::default();
        let me = Identity::default();
        let mine = channels.post(&me, &json!({"channel": "C0123456789", "text": "mine"}));
        let theirs = channels.seed("C0123456789", other_app("theirs", None));
        let update = |ts: &str| json!({"channel": "C0123456789", "ts": ts, "text": "changed"});
        assert_eq!(channels.update(&update(&mine)), Ok(()));
        assert_eq!(
            channels.update(&update(&theirs)),
            Err("cant_update_message")
        );
        assert_eq!(
            channels.update(&update("1.000001")),
            Err("message_not_found")
        );
        let history = channels.history(&query(&[("channel", "C0123456789")]));
        assert_eq!(history["messages"][1]["text"], "changed");
        assert_eq!(history["messages"][1]["bot_id"], me.bot_id.as_str());
        assert_eq!(history["messages"][0]["bot_id"], "B0OTHERAPP");
    }
}
