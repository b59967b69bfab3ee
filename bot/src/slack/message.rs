//! One Slack message, whoever sends it: a slash command's answer (the HTTP body), a deferred
//! answer or a button's reply (`response_url`), a digest or an alert (`chat.postMessage`,
//! `chat.update`). Built once and serialised once: a template renders the wording — the
//! fallback `text` and the [`Blocks`] — and the sender adds what it needs (`response_type`,
//! buttons, a thread, metadata) to the typed message before it is written out. Nothing reads a
//! message back: a feature that shows another's answer (a digest, an alert, the Home tab's
//! view, a link's preview) takes its blocks as they were rendered ([`Message::as_blocks`]).
//! Pure.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use stats_contract::ResponseType;

use super::blocks::{MAX_BLOCKS, MAX_SECTION_TEXT};
use super::json::{Object, bool_json, clip_json_inner, json_inner};
use crate::error::{Error, Result};

/// A Slack message, typed, as Slack takes it.
#[derive(Debug, Clone, Default)]
pub struct Message {
    pub response_type: Option<ResponseType>,
    /// A reply to a button press: in place of the message pressed (`true`) or beside it.
    pub replace_original: Option<bool>,
    pub delete_original: Option<bool>,
    /// A reply in the thread of the message with this `ts`.
    pub thread_ts: Option<String>,
    /// The fallback for notifications, as it goes inside a JSON string (escaped by the
    /// template); Slack shows blocks instead once there are any.
    text: String,
    blocks: Vec<Blocks>,
    pub metadata: Option<Metadata>,
}

/// Some blocks as a template rendered them: JSON objects separated by commas, and how many.
/// A template's output is trusted to be JSON (its tests check it with `blocks::check`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocks {
    json: String,
    count: usize,
}

impl Blocks {
    /// `count` blocks, rendered (`{…}, {…}`).
    pub fn rendered(json: String, count: usize) -> Blocks {
        Blocks {
            json: json.trim().to_string(),
            count,
        }
    }

    /// One block, rendered.
    pub fn one(json: String) -> Blocks {
        Blocks::rendered(json, 1)
    }

    pub fn count(&self) -> usize {
        self.count
    }
}

/// `blocks` as one JSON array (`[{…},{…}]`), written to `out`.
pub(super) fn write_array(out: &mut String, blocks: &[Blocks]) {
    out.push('[');
    for (i, blocks) in blocks.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&blocks.json);
    }
    out.push(']');
}

/// The bytes [`write_array`] writes for `blocks`, counted without writing them.
pub(super) fn array_len(blocks: &[Blocks]) -> usize {
    let commas = blocks.len().saturating_sub(1);
    2 + commas + blocks.iter().map(|b| b.json.len()).sum::<usize>()
}

/// Slack message metadata: what a message is to the bot (a digest's marker, an alert's state),
/// read back from `conversations.history` with `include_all_metadata=true`. Each feature writes
/// and reads its payload as its own type ([`Metadata::of`], [`Metadata::read`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    pub event_type: String,
    pub event_payload: Value,
}

impl Metadata {
    /// `payload` under `event_type`.
    pub fn of(event_type: &str, payload: &impl Serialize) -> Metadata {
        Metadata {
            event_type: event_type.to_string(),
            event_payload: serde_json::to_value(payload).unwrap_or(Value::Null),
        }
    }

    /// The payload as `T`, when this is an `event_type` message whose payload reads as one.
    pub fn read<T: for<'de> Deserialize<'de>>(&self, event_type: &str) -> Option<T> {
        if self.event_type != event_type {
            return None;
        }
        T::deserialize(&self.event_payload).ok()
    }
}

impl Message {
    /// A message of `text`, as a template rendered it (Slack- and JSON-escaped).
    pub fn new(text: String) -> Message {
        Message {
            text,
            ..Message::default()
        }
    }

    /// A private message of mrkdwn `text`, as written (JSON-escaped here).
    pub fn plain(text: &str) -> Message {
        Message {
            response_type: Some(ResponseType::Ephemeral),
            text: json_inner(text),
            ..Message::default()
        }
    }

    /// A message of mrkdwn `text` as written, e.g. a thread reply (JSON-escaped here).
    pub fn text(text: &str) -> Message {
        Message {
            text: json_inner(text),
            ..Message::default()
        }
    }

    /// What `response_url` takes to remove the message whose button was pressed.
    pub fn delete_original() -> Message {
        Message {
            delete_original: Some(true),
            ..Message::default()
        }
    }

    pub fn with_response_type(mut self, response_type: ResponseType) -> Message {
        self.response_type = Some(response_type);
        self
    }

    /// `blocks` added last, while the message is built.
    pub fn with_blocks(mut self, blocks: Blocks) -> Result<Message> {
        self.push(blocks)?;
        Ok(self)
    }

    /// Adds `blocks` last, while the message is built. More than 50 blocks is the builder's
    /// mistake.
    pub fn push(&mut self, blocks: Blocks) -> Result<()> {
        self.fits(blocks.count)?;
        self.blocks.push(blocks);
        Ok(())
    }

    /// Adds `blocks` under what a finished message shows (a button under an answer). A message
    /// of text alone gets its text as the first block, since blocks replace the text once there
    /// are any.
    pub fn add_under(&mut self, blocks: Blocks) -> Result<()> {
        if self.blocks.is_empty() {
            self.fits(1 + blocks.count)?;
            self.blocks.push(self.text_section());
        }
        self.push(blocks)
    }

    fn fits(&self, adding: usize) -> Result<()> {
        let count = self.block_count() + adding;
        if count > MAX_BLOCKS {
            return Err(Error::Rendering(format!(
                "{count} blocks would pass Slack's {MAX_BLOCKS}"
            )));
        }
        Ok(())
    }

    /// A reply to a button press: beside the message pressed (`false`), or in its place.
    pub fn replace_original(&mut self, replace: bool) {
        self.replace_original = Some(replace);
    }

    /// The fallback text, as it goes inside a JSON string.
    pub fn text_json(&self) -> &str {
        &self.text
    }

    /// The fallback text cut to `max` characters (an escape counts as the one it stands for).
    pub fn clip_text(&mut self, max: usize) {
        if let Some(cut) = clip_json_inner(&self.text, max.saturating_sub(1)) {
            self.text = format!("{cut}…");
        }
    }

    pub fn blocks(&self) -> &[Blocks] {
        &self.blocks
    }

    /// Its blocks, or its text as one section when it has none: the message shown inside
    /// another (a digest's stat, an alert's answer).
    pub fn as_blocks(&self) -> Vec<Blocks> {
        if self.blocks.is_empty() {
            vec![self.text_section()]
        } else {
            self.blocks.clone()
        }
    }

    pub fn block_count(&self) -> usize {
        self.blocks.iter().map(Blocks::count).sum()
    }

    /// The message as Slack takes it.
    pub fn to_json(&self) -> String {
        self.to_json_with(&[])
    }

    /// The message with `fields` first (a Web API call's `channel`, `ts`), each value JSON.
    pub fn to_json_with(&self, fields: &[(&str, &str)]) -> String {
        let mut out = Object::with_capacity(64 + self.text.len() + array_len(&self.blocks));
        for (key, value) in fields {
            out.raw(key, value);
        }
        if let Some(response_type) = self.response_type {
            out.string("response_type", response_type.as_str());
        }
        if let Some(replace) = self.replace_original {
            out.raw("replace_original", bool_json(replace));
        }
        if let Some(delete) = self.delete_original {
            out.raw("delete_original", bool_json(delete));
        }
        if let Some(ts) = &self.thread_ts {
            out.string("thread_ts", ts);
        }
        if !self.text.is_empty() {
            out.raw_string("text", &self.text);
        }
        if !self.blocks.is_empty() {
            out.key("blocks");
            write_array(&mut out.0, &self.blocks);
        }
        if let Some(metadata) = &self.metadata {
            let json = serde_json::to_string(metadata).expect("strings and JSON serialize");
            out.raw("metadata", &json);
        }
        out.finish()
    }

    /// The message as a JSON tree, for checks in tests and tools (never on the way out).
    pub fn to_value(&self) -> Value {
        serde_json::from_str(&self.to_json()).unwrap_or(Value::Null)
    }

    /// The text as one section (cut to a section's 3000 characters), for a message that gets
    /// blocks after being text alone or is shown inside another.
    fn text_section(&self) -> Blocks {
        let text = if self.text.trim().is_empty() {
            " "
        } else {
            &self.text
        };
        let text = match clip_json_inner(text, MAX_SECTION_TEXT - 1) {
            Some(cut) => format!("{cut}…"),
            None => text.to_string(),
        };
        Blocks::one(format!(
            r#"{{"type":"section","text":{{"type":"mrkdwn","text":"{text}"}}}}"#
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn divider() -> Blocks {
        Blocks::one(r#"{"type":"divider"}"#.into())
    }

    #[test]
    fn a_message_is_its_fields_then_its_blocks_as_rendered() {
        let mut message = Message::new("a &lt;b".into())
            .with_response_type(ResponseType::Ephemeral)
            .with_blocks(Blocks::rendered(
                r#"{"type":"divider"},
            {"type":"section","text":{"type":"mrkdwn","text":"x"}}"#
                    .into(),
                2,
            ))
            .unwrap();
        assert_eq!(message.block_count(), 2);
        message.replace_original(false);
        message.metadata = Some(Metadata::of(
            "statsbot_digest",
            &serde_json::json!({"digest": "weekly"}),
        ));
        let sent = message.to_value();
        assert_eq!(sent["response_type"], "ephemeral");
        assert_eq!(sent["replace_original"], false);
        assert_eq!(sent["text"], "a &lt;b");
        assert_eq!(sent["blocks"][1]["text"]["text"], "x");
        assert_eq!(sent["metadata"]["event_payload"]["digest"], "weekly");
        assert!(sent.get("thread_ts").is_none());
        let web = message.to_json_with(&[("channel", "\"C0123456789\"")]);
        assert!(
            web.starts_with(r#"{"channel":"C0123456789","response_type":"#),
            "{web}"
        );
    }

    #[test]
    fn a_block_added_to_a_text_only_message_keeps_the_text_visible() {
        let mut message =
            Message::plain("just \"text\"").with_response_type(ResponseType::InChannel);
        message.add_under(divider()).unwrap();
        let sent = message.to_value();
        assert_eq!(sent["blocks"][0]["text"]["text"], "just \"text\"");
        assert_eq!(sent["blocks"][1]["type"], "divider");
        assert_eq!(message.block_count(), 2);
    }

    #[test]
    fn never_more_than_fifty_blocks() {
        let mut message = Message::new("t".into())
            .with_blocks(Blocks::rendered(
                vec![r#"{"type":"divider"}"#; 49].join(","),
                49,
            ))
            .unwrap();
        message.push(divider()).unwrap();
        assert!(matches!(message.push(divider()), Err(Error::Rendering(_))));
        assert_eq!(message.to_value()["blocks"].as_array().unwrap().len(), 50);
    }

    #[test]
    fn a_long_text_shown_as_a_section_is_cut_to_fit_one() {
        let long = Message::plain(&"é".repeat(5000));
        let blocks = long.as_blocks();
        let shown = Message::new("t".into())
            .with_blocks(blocks[0].clone())
            .unwrap();
        let section = &shown.to_value()["blocks"][0]["text"]["text"];
        assert_eq!(section.as_str().unwrap().chars().count(), MAX_SECTION_TEXT);
        assert!(section.as_str().unwrap().ends_with('…'));
        let mut out = String::new();
        write_array(&mut out, &blocks);
        assert_eq!(out.len(), array_len(&blocks));
        assert_eq!(array_len(&[]), "[]".len());
    }

    #[test]
    fn delete_original_is_only_that() {
        assert_eq!(
            Message::delete_original().to_json(),
            r#"{"delete_original":true}"#
        );
    }

    #[test]
    fn metadata_is_written_and_read_as_its_own_type() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct Marker {
            digest: String,
        }
        let marker = Marker {
            digest: "weekly".into(),
        };
        let metadata = Metadata::of("statsbot_digest", &marker);
        assert_eq!(metadata.read::<Marker>("statsbot_digest"), Some(marker));
        assert_eq!(metadata.read::<Marker>("statsbot_alert"), None);
    }

    #[test]
    fn the_fallback_text_is_clipped_without_cutting_an_escape() {
        let mut message = Message::new("x\\\"y\\\"z".into());
        message.clip_text(3);
        assert_eq!(message.to_value()["text"], "x\"…");
    }
}
