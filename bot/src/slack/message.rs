//! One Slack message, whoever sends it: a slash command's answer (the HTTP body), a deferred
//! answer or a button's reply (`response_url`), a digest or an alert (`chat.postMessage`,
//! `chat.update`). askama keeps the wording: a template renders a whole message. An answer sent
//! as it was rendered goes out as those very bytes — no parse, no second serialization on the
//! hot path. Only a sender that changes something (a button added, `response_type`,
//! `replace_original`, `thread_ts`, `metadata`) reads it into its [`Parts`] — the fallback
//! `text` and each block kept as the JSON fragment it was rendered as, never rebuilt into a tree
//! — and the message is serialized once, when sent. Pure.

use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;
use stats_contract::ResponseType;

use super::blocks::MAX_BLOCKS;
use crate::error::{Error, Result};

/// A Slack message: as a template rendered it, or read into its parts to be changed.
#[derive(Debug, Clone)]
pub struct Message(Repr);

#[derive(Debug, Clone)]
enum Repr {
    /// A template's output, untouched (a JSON object; the templates' tests check that).
    Rendered(String),
    Parts(Parts),
}

/// What a message is made of, as Slack takes it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Parts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_type: Option<ResponseType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replace_original: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_original: Option<bool>,
    /// A reply in the thread of the message with this `ts`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_ts: Option<String>,
    /// The fallback for notifications; Slack shows blocks instead once there are any.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// Each block as rendered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocks: Vec<Box<RawValue>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
}

/// Slack message metadata: what a message is to the bot (a digest's marker, an alert's state),
/// read back from `conversations.history` with `include_all_metadata=true`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    pub event_type: String,
    pub event_payload: Value,
}

impl Message {
    /// A template's output, sent as it is unless something is changed.
    pub fn rendered(json: String) -> Message {
        Message(Repr::Rendered(json))
    }

    /// A template's output read into its parts now: a template that renders no Slack message
    /// is the bot's own mistake.
    pub fn from_rendered(json: &str) -> Result<Message> {
        Ok(Message(Repr::Parts(read(json)?)))
    }

    pub fn from_parts(parts: Parts) -> Message {
        Message(Repr::Parts(parts))
    }

    /// What `response_url` takes to remove the message whose button was pressed.
    pub fn delete_original() -> Message {
        Message::from_parts(Parts {
            delete_original: Some(true),
            ..Parts::default()
        })
    }

    /// A private message of text alone: the fallback when a template fails.
    pub fn plain(text: &str) -> Message {
        Message::from_parts(Parts {
            response_type: Some(ResponseType::Ephemeral),
            text: text.to_string(),
            ..Parts::default()
        })
    }

    /// A reply to a button press: beside the message pressed (`false`), or in its place.
    pub fn replace_original(&mut self, replace: bool) {
        match self.parts() {
            Ok(parts) => parts.replace_original = Some(replace),
            // Every reply is a rendered template; should one not be, it goes as it is.
            Err(error) => tracing::error!(%error, "a reply to a press could not be changed"),
        }
    }

    /// The parts, to change them; read from the rendered JSON the first time.
    pub fn parts(&mut self) -> Result<&mut Parts> {
        if let Repr::Rendered(json) = &self.0 {
            self.0 = Repr::Parts(read(json)?);
        }
        match &mut self.0 {
            Repr::Parts(parts) => Ok(parts),
            Repr::Rendered(_) => unreachable!("read just above"),
        }
    }

    /// The parts, to read them (a copy).
    pub fn to_parts(&self) -> Result<Parts> {
        match &self.0 {
            Repr::Rendered(json) => read(json),
            Repr::Parts(parts) => Ok(parts.clone()),
        }
    }

    /// Adds a rendered block (a template's output) last, keeping within 50 blocks. A message
    /// without blocks shows its text as one section first, since blocks replace the text once
    /// there are any.
    pub fn push_block(&mut self, rendered: &str) -> Result<()> {
        let block = RawValue::from_string(rendered.trim().to_owned())
            .map_err(|e| Error::Rendering(format!("a block template is not JSON: {e}")))?;
        let parts = self.parts()?;
        if parts.blocks.is_empty() {
            let text = if parts.text.trim().is_empty() {
                " "
            } else {
                &parts.text
            };
            let section = serde_json::json!({
                "type": "section", "text": { "type": "mrkdwn", "text": text }
            });
            parts.blocks.push(raw(&section));
        }
        parts.blocks.truncate(MAX_BLOCKS - 1);
        parts.blocks.push(block);
        Ok(())
    }

    /// The message as Slack takes it.
    pub fn to_json(&self) -> String {
        match &self.0 {
            Repr::Rendered(json) => json.clone(),
            Repr::Parts(parts) => {
                serde_json::to_string(parts).expect("a message of strings and JSON serializes")
            }
        }
    }

    /// [`Message::to_json`], without a copy of a message sent as rendered.
    pub fn into_json(self) -> String {
        match self.0 {
            Repr::Rendered(json) => json,
            Repr::Parts(_) => self.to_json(),
        }
    }

    /// The message as a JSON tree, for checks in tests and tools (never on the hot path).
    pub fn to_value(&self) -> Value {
        serde_json::from_str(&self.to_json()).unwrap_or(Value::Null)
    }
}

/// As its parts: a Web API call puts them beside `channel` and `ts`.
impl Serialize for Message {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match &self.0 {
            Repr::Parts(parts) => parts.serialize(serializer),
            Repr::Rendered(json) => read(json)
                .map_err(serde::ser::Error::custom)?
                .serialize(serializer),
        }
    }
}

fn read(json: &str) -> Result<Parts> {
    serde_json::from_str(json)
        .map_err(|e| Error::Rendering(format!("a template rendered no Slack message: {e}")))
}

fn raw(value: &Value) -> Box<RawValue> {
    RawValue::from_string(value.to_string()).expect("a Value is JSON")
}

#[cfg(test)]
mod tests {
    use super::*;

    const RENDERED: &str = r#"{"response_type":"ephemeral","text":"a &lt;b","blocks":[{"type":"divider"},
            {"type":"section","text":{"type":"mrkdwn","text":"x"}}]}"#;

    #[test]
    fn a_message_sent_as_rendered_is_those_very_bytes() {
        let message = Message::rendered(RENDERED.to_string());
        assert_eq!(message.to_json(), RENDERED);
        assert_eq!(message.into_json(), RENDERED);
    }

    #[test]
    fn a_changed_message_keeps_its_blocks_as_rendered_plus_what_is_set() {
        let mut message = Message::rendered(RENDERED.to_string());
        let parts = message.parts().unwrap();
        assert_eq!(parts.blocks.len(), 2);
        parts.replace_original = Some(false);
        parts.metadata = Some(Metadata {
            event_type: "statsbot_digest".into(),
            event_payload: serde_json::json!({"digest": "weekly"}),
        });
        let sent = message.to_value();
        assert_eq!(sent["response_type"], "ephemeral");
        assert_eq!(sent["replace_original"], false);
        assert_eq!(sent["text"], "a &lt;b");
        assert_eq!(sent["blocks"][1]["text"]["text"], "x");
        assert_eq!(sent["metadata"]["event_payload"]["digest"], "weekly");
        assert!(sent.get("thread_ts").is_none());
        let beside = serde_json::to_value(&message).unwrap();
        assert_eq!(beside, sent, "serialized as its parts");
    }

    #[test]
    fn a_block_added_to_a_text_only_message_keeps_the_text_visible() {
        let mut message =
            Message::rendered(r#"{"response_type":"in_channel","text":"just text"}"#.into());
        message.push_block(r#"{"type":"divider"}"#).unwrap();
        let sent = message.to_value();
        assert_eq!(sent["blocks"][0]["text"]["text"], "just text");
        assert_eq!(sent["blocks"][1]["type"], "divider");
        assert!(message.push_block("{not json").is_err());
    }

    #[test]
    fn never_more_than_fifty_blocks() {
        let blocks = vec![r#"{"type":"divider"}"#; 50].join(",");
        let mut message =
            Message::from_rendered(&format!(r#"{{"text":"t","blocks":[{blocks}]}}"#)).unwrap();
        message
            .push_block(r#"{"type":"context","elements":[]}"#)
            .unwrap();
        assert_eq!(message.to_parts().unwrap().blocks.len(), 50);
        assert_eq!(message.to_value()["blocks"][49]["type"], "context");
    }

    #[test]
    fn delete_original_is_only_that() {
        assert_eq!(
            Message::delete_original().to_json(),
            r#"{"delete_original":true}"#
        );
    }

    #[test]
    fn what_is_not_a_message_is_a_rendering_mistake() {
        assert!(matches!(
            Message::from_rendered("[1]"),
            Err(Error::Rendering(_))
        ));
        let mut broken = Message::rendered("[1]".into());
        assert!(matches!(broken.parts(), Err(Error::Rendering(_))));
    }
}
