//! Answers that go somewhere else than where they were asked: a private answer with a "Share in
//! channel" button, and the same answer shared in the channel, saying who shared it and what
//! time its numbers are from. The blocks come from `templates/share_button.json` and
//! `templates/shared_by.json` and are added to a stat's rendered answer; an answer posted in
//! the channel as it was asked is never touched here. Pure.

use askama::Template;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::Reply;
use crate::blocks::MAX_BLOCKS;
use crate::error::{Error, Result};
use crate::interaction::UserId;

#[derive(Template)]
#[template(path = "share_button.json")]
struct ShareButtonView<'a> {
    value: &'a str,
}

#[derive(Template)]
#[template(path = "shared_by.json")]
struct SharedByView<'a> {
    user: &'a str,
    unix: i64,
    fallback: String,
}

/// `reply`, private, with a "Share in channel" button that runs `value` (from
/// `interaction::invocation_value`) again. Without a value, private and without the button.
pub fn private_with_share(reply: &Reply, value: Option<&str>) -> Result<Reply> {
    let mut message = parse(reply)?;
    message.insert("response_type".into(), json!("ephemeral"));
    if let Some(value) = value {
        let button = ShareButtonView { value }.render()?;
        append_block(&mut message, &button)?;
    }
    Ok(serialize(message))
}

/// `reply` for the channel: `in_channel`, a new message (the private one is deleted
/// separately), with "Shared by <@user> · numbers from …". `generated_at` is when the stats
/// API worked the numbers out (RFC 3339); `now` stands in when it did not say.
pub fn shared_by(
    reply: &Reply,
    user: &UserId,
    generated_at: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Reply> {
    let mut message = parse(reply)?;
    message.insert("response_type".into(), json!("in_channel"));
    message.insert("replace_original".into(), json!(false));
    let at = generated_at
        .and_then(|at| DateTime::parse_from_rfc3339(at).ok())
        .map_or(now, |at| at.with_timezone(&Utc));
    let line = SharedByView {
        user: user.as_str(),
        unix: at.timestamp(),
        fallback: at.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
    .render()?;
    append_block(&mut message, &line)?;
    Ok(serialize(message))
}

/// A reply to a button press that adds a message beside the one pressed (`false`) or takes its
/// place (`true`).
pub fn replacing_original(reply: &Reply, replace: bool) -> Reply {
    match parse(reply) {
        Ok(mut message) => {
            message.insert("replace_original".into(), json!(replace));
            serialize(message)
        }
        // Every reply is a rendered template; should one not be, it goes as it is.
        Err(_) => reply.clone(),
    }
}

/// What `response_url` takes to remove the message whose button was pressed.
pub fn delete_original() -> Reply {
    Reply(r#"{"delete_original":true}"#.into())
}

fn parse(reply: &Reply) -> Result<Map<String, Value>> {
    match serde_json::from_str(reply.as_str()) {
        Ok(Value::Object(message)) => Ok(message),
        _ => Err(Error::ApiNonsense(
            "a rendered reply is not a JSON object".into(),
        )),
    }
}

fn serialize(message: Map<String, Value>) -> Reply {
    Reply(Value::Object(message).to_string())
}

/// Adds a rendered block last. A message without blocks shows its text as one section first,
/// since blocks replace the text once there are any.
fn append_block(message: &mut Map<String, Value>, block: &str) -> Result<()> {
    let block: Value = serde_json::from_str(block)
        .map_err(|e| Error::ApiNonsense(format!("a block template is not JSON: {e}")))?;
    if !message.get("blocks").is_some_and(Value::is_array) {
        let text = message.get("text").cloned().unwrap_or_else(|| json!(" "));
        message.insert(
            "blocks".into(),
            json!([{ "type": "section", "text": { "type": "mrkdwn", "text": text } }]),
        );
    }
    let blocks = message
        .get_mut("blocks")
        .and_then(Value::as_array_mut)
        .expect("made an array above");
    blocks.truncate(MAX_BLOCKS - 1);
    blocks.push(block);
    Ok(())
}
