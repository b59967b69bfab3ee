//! Answers that go somewhere else than where they were asked: a private answer with a "Share in
//! channel" button, and the same answer shared in the channel, saying who shared it and what
//! time its numbers are from. The blocks come from `templates/flows/share_button.json`
//! and `shared_by.json` and are added to a stat's rendered answer; an answer posted in
//! the channel as it was asked is never touched here. Pure.

use askama::Template;
use chrono::{DateTime, Utc};
use stats_contract::ResponseType;

use crate::error::Result;
use crate::slack::interaction::UserId;
use crate::slack::message::Message;

#[derive(Template)]
#[template(path = "flows/share_button.json")]
struct ShareButtonView<'a> {
    value: &'a str,
}

#[derive(Template)]
#[template(path = "flows/shared_by.json")]
struct SharedByView<'a> {
    user: &'a str,
    unix: i64,
    fallback: String,
}

/// `reply`, private, with a "Share in channel" button that runs `value` (from
/// `interaction::invocation_value`) again. Without a value, private and without the button.
pub fn private_with_share(mut reply: Message, value: Option<&str>) -> Result<Message> {
    reply.parts()?.response_type = Some(ResponseType::Ephemeral);
    if let Some(value) = value {
        reply.push_block(&ShareButtonView { value }.render()?)?;
    }
    Ok(reply)
}

/// `reply` for the channel: `in_channel`, a new message (the private one is deleted
/// separately), with "Shared by <@user> · numbers from …". `generated_at` is when the stats
/// API worked the numbers out (RFC 3339); `now` stands in when it did not say.
pub fn shared_by(
    mut reply: Message,
    user: &UserId,
    generated_at: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Message> {
    let parts = reply.parts()?;
    parts.response_type = Some(ResponseType::InChannel);
    parts.replace_original = Some(false);
    let at = generated_at
        .and_then(|at| DateTime::parse_from_rfc3339(at).ok())
        .map_or(now, |at| at.with_timezone(&Utc));
    let line = SharedByView {
        user: user.as_str(),
        unix: at.timestamp(),
        fallback: at.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
    .render()?;
    reply.push_block(&line)?;
    Ok(reply)
}

/// A reply to a button press that adds a message beside the one pressed (`false`) or takes its
/// place (`true`).
pub fn replacing_original(mut reply: Message, replace: bool) -> Message {
    reply.replace_original(replace);
    reply
}
