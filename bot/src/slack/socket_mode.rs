//! Socket Mode's wire: what `apps.connections.open` answers, the frames Slack sends over the
//! WebSocket (`hello`, `disconnect`, and the envelopes carrying slash commands, button presses
//! and events), the ack the bot sends back, and an envelope's payload read into the same typed
//! values the HTTP routes read (`SlashCommand`, `Interaction`). Pure: text in, values out.
//!
//! The socket itself is authenticated (an app-level token opened it), so a payload is not
//! signed; it is still input, read as strictly as the HTTP form.

use std::net::IpAddr;

use reqwest::Url;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::slack::interaction::{self, Interaction};
use crate::slack::message::Message;
use crate::slack::retry;
use crate::slack::slash_command::SlashCommand;

/// One frame from Slack.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    /// The connection is ready: envelopes may follow.
    Hello(Hello),
    /// Slack will close this connection soon (`refresh_requested`, `warning`, `link_disabled`).
    Disconnect {
        reason: String,
    },
    Envelope(Envelope),
    /// A type this bot does not know: ignored.
    Other {
        kind: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hello {
    /// How many connections the app has open, this one included.
    pub num_connections: u32,
    pub app_id: String,
    /// How long Slack expects to keep this connection, in seconds, when it says.
    pub approximate_connection_time: Option<u64>,
}

/// What an envelope carries, as its `type` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    SlashCommands,
    Interactive,
    EventsApi,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::SlashCommands => "slash_commands",
            Kind::Interactive => "interactive",
            Kind::EventsApi => "events_api",
        }
    }
}

/// Work from Slack, to be acknowledged with its `envelope_id` within 3 s.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    pub envelope_id: String,
    pub kind: Kind,
    /// What the HTTP twin would have posted, as JSON.
    pub payload: Value,
    /// Whether an answer may ride in the ack (`payload`), as the HTTP 200's body would.
    pub accepts_response_payload: bool,
    /// 0 the first time; a redelivery counts up (with `retry_reason`, e.g. `timeout`).
    pub retry_attempt: u32,
    pub retry_reason: String,
}

/// Every field any frame has; which ones matter depends on `type`.
#[derive(Deserialize)]
struct Raw {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    envelope_id: Option<String>,
    #[serde(default)]
    payload: Option<Value>,
    #[serde(default)]
    accepts_response_payload: bool,
    #[serde(default)]
    retry_attempt: Option<u32>,
    #[serde(default)]
    retry_reason: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    num_connections: Option<u32>,
    #[serde(default)]
    connection_info: Option<ConnectionInfo>,
    #[serde(default)]
    debug_info: Option<DebugInfo>,
}

#[derive(Deserialize)]
struct ConnectionInfo {
    #[serde(default)]
    app_id: String,
}

#[derive(Deserialize)]
struct DebugInfo {
    #[serde(default)]
    approximate_connection_time: Option<u64>,
}

/// Reads one text frame. Not JSON, no `type`, or an envelope without its `envelope_id` or
/// `payload` is [`Error::BadFrame`] (an envelope without an id cannot even be acknowledged).
pub fn parse(text: &str) -> Result<Frame> {
    let raw: Raw = serde_json::from_str(text)
        .map_err(|e| Error::BadFrame(format!("not a Socket Mode frame: {e}")))?;
    let kind = match raw.kind.as_str() {
        "hello" => {
            return Ok(Frame::Hello(Hello {
                num_connections: raw.num_connections.unwrap_or(1),
                app_id: raw.connection_info.map(|c| c.app_id).unwrap_or_default(),
                approximate_connection_time: raw
                    .debug_info
                    .and_then(|d| d.approximate_connection_time),
            }));
        }
        "disconnect" => {
            return Ok(Frame::Disconnect {
                reason: raw.reason.unwrap_or_default(),
            });
        }
        "slash_commands" => Kind::SlashCommands,
        "interactive" => Kind::Interactive,
        "events_api" => Kind::EventsApi,
        _ => return Ok(Frame::Other { kind: raw.kind }),
    };
    let envelope_id = raw
        .envelope_id
        .filter(|id| !id.is_empty())
        .ok_or_else(|| Error::BadFrame(format!("a {} envelope without its id", kind.as_str())))?;
    let payload = raw.payload.filter(Value::is_object).ok_or_else(|| {
        Error::BadFrame(format!("a {} envelope without a payload", kind.as_str()))
    })?;
    Ok(Frame::Envelope(Envelope {
        envelope_id,
        kind,
        payload,
        accepts_response_payload: raw.accepts_response_payload,
        retry_attempt: raw.retry_attempt.unwrap_or(0),
        retry_reason: raw.retry_reason.unwrap_or_default(),
    }))
}

/// The acknowledgement of `envelope_id`, with the answer when the envelope accepts one: what
/// the HTTP twin's 200 would have carried in its body.
pub fn ack(envelope_id: &str, payload: Option<&Message>) -> String {
    let id = serde_json::to_string(envelope_id).expect("a string serializes");
    match payload {
        Some(message) => format!(r#"{{"envelope_id":{id},"payload":{}}}"#, message.to_json()),
        None => format!(r#"{{"envelope_id":{id}}}"#),
    }
}

/// What to do when `apps.connections.open` is refused with `code`.
pub fn open_advice(code: &str) -> &'static str {
    match code {
        "invalid_auth" | "not_authed" | "token_revoked" | "token_expired" | "account_inactive" => {
            "Slack refused SLACK_APP_TOKEN: generate an app-level token with connections:write \
             (Basic Information → App-Level Tokens) and set it again"
        }
        "not_allowed_token_type" => {
            "SLACK_APP_TOKEN must be the app-level token (xapp-…), not the bot token (xoxb-…)"
        }
        "missing_scope" => "the app-level token lacks connections:write: generate one that has it",
        _ => retry::advice(code),
    }
}

/// A Socket Mode URL the bot will connect to: `wss://`, or `ws://` on this machine only (the
/// stand-in): a ticket never travels in the clear.
pub fn usable_url(url: &Url) -> bool {
    let host = url.host_str().unwrap_or_default();
    let loopback = host == "localhost"
        || host
            .trim_matches(['[', ']'])
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    !host.is_empty() && (url.scheme() == "wss" || (url.scheme() == "ws" && loopback))
}

/// A `slash_commands` payload: the HTTP form's fields as a JSON object. Slack sends them as
/// strings; a field sent as a number or a boolean is read as its text, as the form would give
/// it. Anything else in a field is [`Error::BadForm`], and nothing is run.
pub fn slash_command(payload: &Value) -> Result<SlashCommand> {
    let fields = payload
        .as_object()
        .ok_or_else(|| Error::BadForm("a slash command payload that is not an object".into()))?;
    let mut form = Map::new();
    for (name, value) in fields {
        let text = match value {
            Value::String(text) => text.clone(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            Value::Null => continue,
            // The deprecated verification token and the like are never needed; an object in a
            // field the bot reads is not Slack's.
            Value::Array(_) | Value::Object(_) => continue,
        };
        form.insert(name.clone(), Value::String(text));
    }
    serde_json::from_value(Value::Object(form))
        .map_err(|e| Error::BadForm(format!("a slash command payload: {e}")))
}

/// An `interactive` payload: the very JSON the HTTP route finds in its form's `payload` field.
pub fn interaction(payload: Value) -> Result<Interaction> {
    interaction::from_json(payload)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hello_says_how_many_connections_and_which_app() {
        let frame = parse(
            r#"{"type":"hello","num_connections":2,"debug_info":{"host":"applink-7fc4fdbb64-4x5xq",
               "build_number":10,"approximate_connection_time":18060},
               "connection_info":{"app_id":"A01K58AR4RF"}}"#,
        )
        .unwrap();
        assert_eq!(
            frame,
            Frame::Hello(Hello {
                num_connections: 2,
                app_id: "A01K58AR4RF".into(),
                approximate_connection_time: Some(18060),
            })
        );
    }

    #[test]
    fn disconnect_gives_its_reason() {
        let frame = parse(
            r#"{"type":"disconnect","reason":"refresh_requested","debug_info":{"host":"applink-1"}}"#,
        )
        .unwrap();
        assert_eq!(
            frame,
            Frame::Disconnect {
                reason: "refresh_requested".into()
            }
        );
    }

    #[test]
    fn an_envelope_keeps_its_id_payload_and_retry() {
        let frame = parse(
            r#"{"envelope_id":"57d6a792-4d35-4d0b-b6aa-3361493e1caf","type":"events_api",
               "payload":{"type":"event_callback","event_id":"Ev0123ABCD"},
               "accepts_response_payload":false,"retry_attempt":1,"retry_reason":"timeout"}"#,
        )
        .unwrap();
        let Frame::Envelope(envelope) = frame else {
            panic!("an envelope")
        };
        assert_eq!(envelope.envelope_id, "57d6a792-4d35-4d0b-b6aa-3361493e1caf");
        assert_eq!(envelope.kind, Kind::EventsApi);
        assert_eq!(envelope.payload["event_id"], "Ev0123ABCD");
        assert!(!envelope.accepts_response_payload);
        assert_eq!(
            (envelope.retry_attempt, envelope.retry_reason.as_str()),
            (1, "timeout")
        );
    }

    #[test]
    fn an_envelope_without_its_id_or_payload_is_refused_and_unknown_types_pass() {
        for text in [
            r#"{"type":"slash_commands","payload":{}}"#,
            r#"{"type":"slash_commands","envelope_id":"","payload":{}}"#,
            r#"{"type":"interactive","envelope_id":"e1"}"#,
            r#"{"type":"interactive","envelope_id":"e1","payload":"text"}"#,
            r#"{"envelope_id":"e1"}"#,
            "not json",
        ] {
            assert!(
                matches!(parse(text), Err(Error::BadFrame(_))),
                "{text} should be refused"
            );
        }
        assert_eq!(
            parse(r#"{"type":"brand_new","envelope_id":"e1"}"#).unwrap(),
            Frame::Other {
                kind: "brand_new".into()
            }
        );
    }

    #[test]
    fn an_ack_names_its_envelope_and_carries_the_answer_when_there_is_one() {
        let bare: Value = serde_json::from_str(&ack("e-1", None)).unwrap();
        assert_eq!(bare, json!({"envelope_id": "e-1"}));
        let answer = Message::plain("There are 3 members.");
        let full: Value = serde_json::from_str(&ack("e-2", Some(&answer))).unwrap();
        assert_eq!(full["envelope_id"], "e-2");
        assert_eq!(full["payload"], answer.to_value());
    }

    #[test]
    fn only_wss_urls_are_used_except_on_this_machine() {
        let usable = |url: &str| usable_url(&Url::parse(url).unwrap());
        assert!(usable(
            "wss://wss-primary.slack.com/link/?ticket=1234&app_id=A0123ABCD"
        ));
        assert!(usable("ws://127.0.0.1:4000/link/?ticket=1"));
        assert!(usable("ws://[::1]:4000/link/?ticket=1"));
        assert!(!usable("ws://wss-primary.slack.com/link/?ticket=1"));
        assert!(!usable("https://wss-primary.slack.com/link/?ticket=1"));
    }

    #[test]
    fn a_refused_opening_says_which_token_to_fix() {
        assert!(open_advice("invalid_auth").contains("SLACK_APP_TOKEN"));
        assert!(open_advice("not_allowed_token_type").contains("xapp-"));
    }

    #[test]
    fn a_slash_payload_reads_as_the_form_would() {
        let command = slash_command(&json!({
            "token": "bHKJ2n9AW6Ju3MjciOHfbA1b",
            "team_id": "T0123ABCD",
            "team_domain": "example",
            "channel_id": "C0123456789",
            "channel_name": "general",
            "user_id": "U0123ABCD",
            "user_name": "ada",
            "command": "/stats",
            "text": "members",
            "api_app_id": "A0123ABCD",
            "is_enterprise_install": false,
            "response_url": "https://hooks.slack.com/commands/T0123ABCD/1234567890/aBcDeFgH",
            "trigger_id": "1234567890.1234567890.abcdef"
        }))
        .unwrap();
        assert_eq!(command.team_id, "T0123ABCD");
        assert_eq!(command.text, "members");
        assert_eq!(command.is_enterprise_install, "false");
        assert_eq!(
            command.response_url,
            "https://hooks.slack.com/commands/T0123ABCD/1234567890/aBcDeFgH"
        );
        assert!(matches!(
            slash_command(&json!("members")),
            Err(Error::BadForm(_))
        ));
    }

    #[test]
    fn an_interactive_payload_reads_as_the_form_s_payload_would() {
        let payload = json!({
            "type": "block_actions",
            "user": {"id": "U0123ABCD", "team_id": "T0123ABCD"},
            "team": {"id": "T0123ABCD"},
            "channel": {"id": "C0123456789"},
            "container": {"type": "message", "is_ephemeral": true},
            "response_url": "https://hooks.slack.com/actions/T0123ABCD/1/abc",
            "actions": [{"action_id": "run", "block_id": "b1", "value": "members",
                         "type": "button"}]
        });
        let form = serde_urlencoded::to_string([("payload", payload.to_string())]).unwrap();
        assert_eq!(
            interaction(payload).unwrap(),
            interaction::parse(form.as_bytes()).unwrap()
        );
    }
}
