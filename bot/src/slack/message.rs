//! One Slack message, whoever sends it: a slash command's answer (the HTTP body), a deferred
//! answer or a button's reply (`response_url`), a digest or an alert (`chat.postMessage`,
//! `chat.update`). askama keeps the wording: a template renders a whole message, read here once
//! into its fallback `text` and its blocks, each kept as the JSON fragment it was rendered as
//! (never rebuilt into a tree); what Slack takes beside them (`response_type`,
//! `replace_original`, `thread_ts`, `metadata`, …) is typed. Serialized once, when sent. Pure.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;
use stats_contract::ResponseType;

use super::blocks::MAX_BLOCKS;
use crate::error::{Error, Result};

/// A Slack message. Build it with [`Message::from_rendered`] (a template's output) or
/// [`Message::delete_original`], then set what the sender needs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Message {
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    blocks: Vec<Box<RawValue>>,
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
    /// A message as a template rendered it (a JSON object with `text`, maybe `blocks` and
    /// `response_type`). A template that renders something else is the bot's own mistake.
    pub fn from_rendered(json: &str) -> Result<Message> {
        serde_json::from_str(json)
            .map_err(|e| Error::Rendering(format!("a template rendered no Slack message: {e}")))
    }

    fn empty() -> Message {
        Message {
            response_type: None,
            replace_original: None,
            delete_original: None,
            thread_ts: None,
            text: String::new(),
            blocks: Vec::new(),
            metadata: None,
        }
    }

    /// What `response_url` takes to remove the message whose button was pressed.
    pub fn delete_original() -> Message {
        Message {
            delete_original: Some(true),
            ..Message::empty()
        }
    }

    /// A private message of text alone: the fallback when a template fails.
    pub fn plain(text: &str) -> Message {
        Message {
            response_type: Some(ResponseType::Ephemeral),
            text: text.to_string(),
            ..Message::empty()
        }
    }

    /// The blocks, each as rendered.
    pub fn blocks(&self) -> &[Box<RawValue>] {
        &self.blocks
    }

    /// Adds a rendered block (a template's output) last, keeping within 50 blocks. A message
    /// without blocks shows its text as one section first, since blocks replace the text once
    /// there are any.
    pub fn push_block(&mut self, rendered: &str) -> Result<()> {
        let block = RawValue::from_string(rendered.trim().to_owned())
            .map_err(|e| Error::Rendering(format!("a block template is not JSON: {e}")))?;
        if self.blocks.is_empty() {
            let text = if self.text.trim().is_empty() {
                " "
            } else {
                &self.text
            };
            let section = serde_json::json!({
                "type": "section", "text": { "type": "mrkdwn", "text": text }
            });
            self.blocks.push(raw(&section));
        }
        self.blocks.truncate(MAX_BLOCKS - 1);
        self.blocks.push(block);
        Ok(())
    }

    /// The message as Slack takes it.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a message of strings and JSON always serializes")
    }

    /// The message as a JSON tree, for checks in tests and tools (never on the hot path).
    pub fn to_value(&self) -> Value {
        serde_json::from_str(&self.to_json()).expect("a message is JSON")
    }
}

fn raw(value: &Value) -> Box<RawValue> {
    RawValue::from_string(value.to_string()).expect("a Value is JSON")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rendered_message_goes_out_as_it_was_rendered_plus_what_is_set() {
        let rendered = r#"{"response_type":"ephemeral","text":"a &lt;b","blocks":[{"type":"divider"},
            {"type":"section","text":{"type":"mrkdwn","text":"x"}}]}"#;
        let mut message = Message::from_rendered(rendered).unwrap();
        assert_eq!(message.blocks().len(), 2);
        message.replace_original = Some(false);
        message.metadata = Some(Metadata {
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
    }

    #[test]
    fn a_block_added_to_a_text_only_message_keeps_the_text_visible() {
        let mut message =
            Message::from_rendered(r#"{"response_type":"in_channel","text":"just text"}"#).unwrap();
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
        assert_eq!(message.blocks().len(), 50);
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
    }
}
