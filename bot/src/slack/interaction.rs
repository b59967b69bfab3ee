//! What Slack posts to `/slack/interactions` when someone presses one of the bot's buttons: a
//! form with one field, `payload`, holding JSON. Only `block_actions` is acted on. Pure: bytes
//! in, values out.
//!
//! A button's `value` comes back from Slack, but it is read like typed text: the same parsing
//! ([`parse_text`]) and, later, the same checks as a slash command's arguments.

use std::borrow::Cow;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::slack::slash_command::{Invocation, parse_text};

/// `action_id` of the button under a private answer: post it to the channel.
pub const SHARE: &str = "share";
/// `action_id` of a stat's button in `/stats help`: run it, privately.
pub const RUN: &str = "run";
/// `action_id`s of help's page buttons; their `value` is the page to show.
pub const HELP_PREVIOUS: &str = "help_previous";
pub const HELP_NEXT: &str = "help_next";
/// `action_id` of the button under an answer to a question in words: the other ways it could be
/// read. Its `value` is their invocations, one a line.
pub const OTHER_READINGS: &str = "other_readings";

/// Slack's limit for a button's `value`.
pub const MAX_VALUE: usize = 2000;

/// A Slack user id (`U…`, `W…`), checked before it is written into a `<@…>` mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserId(String);

impl UserId {
    /// Upper-case letters and digits only, as Slack's ids are.
    pub fn parse(raw: &str) -> Option<UserId> {
        let valid = (1..=32).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        valid.then(|| UserId(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// An interaction, as far as the bot cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Interaction {
    BlockActions(BlockActions),
    /// Any other payload type (shortcuts, view submissions…): acknowledged, nothing done.
    Other {
        kind: String,
    },
}

/// A `block_actions` payload: who pressed what, where, and where to answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockActions {
    pub team_id: String,
    pub user: UserId,
    pub channel_id: String,
    /// Empty when Slack sent none (an action in a modal): then there is nowhere to answer.
    pub response_url: String,
    /// Whether the button was on a message only the presser could see.
    pub is_ephemeral: bool,
    /// The message pressed (`container.message_ts`; none on a Home tab), and the thread it is
    /// in, if any.
    pub message_ts: String,
    pub thread_ts: Option<String>,
    /// The first action: a button press carries exactly one.
    pub action: Option<Action>,
}

/// One pressed element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub action_id: String,
    pub block_id: String,
    pub value: String,
}

/// What a press of one of the core's buttons asks for, read from `action_id` and `value` (a
/// feature's buttons are the feature's to read: `registry::Buttons`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Press {
    /// Run this invocation and show the answer privately, with a Share button.
    Run(Invocation),
    /// Run this invocation again and post it to the channel.
    Share(Invocation),
    /// Show this page of `/stats help` in place of the one shown.
    HelpPage(usize),
    /// Offer these invocations as a private "Did you mean…" (other readings of a question).
    Readings(Vec<Invocation>),
    /// Not a button this bot makes, or a value it cannot read.
    Stale,
}

/// The interactivity form: one field, `payload=<JSON>`.
#[derive(Deserialize)]
struct Form {
    payload: Option<String>,
}

#[derive(Deserialize)]
struct Payload {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    user: Option<User>,
    #[serde(default)]
    team: Option<Id>,
    #[serde(default)]
    channel: Option<Id>,
    #[serde(default)]
    container: Option<Container>,
    #[serde(default)]
    response_url: Option<String>,
    #[serde(default)]
    actions: Vec<RawAction>,
}

#[derive(Deserialize)]
struct User {
    id: String,
    #[serde(default)]
    team_id: Option<String>,
}

#[derive(Deserialize)]
struct Id {
    id: String,
}

#[derive(Deserialize, Default)]
struct Container {
    #[serde(default)]
    is_ephemeral: bool,
    #[serde(default)]
    message_ts: Option<String>,
    #[serde(default)]
    thread_ts: Option<String>,
}

#[derive(Deserialize)]
struct RawAction {
    #[serde(default)]
    action_id: String,
    #[serde(default)]
    block_id: String,
    #[serde(default)]
    value: Option<String>,
}

/// Reads the signed form. No `payload`, unreadable JSON or a user id that is not Slack's is
/// [`Error::BadForm`]; `payload` given twice is [`Error::RepeatedField`]: which one was meant
/// cannot be told, so nothing is done.
pub fn parse(body: &[u8]) -> Result<Interaction> {
    let form: Form = serde_urlencoded::from_bytes(body).map_err(|e| {
        let message = e.to_string();
        match super::slash_command::repeated_field(&message) {
            Some(field) => Error::RepeatedField(field.to_string()),
            None => Error::BadForm(message),
        }
    })?;
    let payload = form
        .payload
        .ok_or_else(|| Error::BadForm("no payload".into()))?;
    let payload: Payload = serde_json::from_str(&payload)
        .map_err(|e| Error::BadForm(format!("payload is not Slack's JSON: {e}")))?;
    read(payload)
}

/// The payload as JSON, as Socket Mode's `interactive` envelope carries it: read exactly as the
/// form's `payload` field is.
pub fn from_json(payload: serde_json::Value) -> Result<Interaction> {
    let payload: Payload = serde_json::from_value(payload)
        .map_err(|e| Error::BadForm(format!("payload is not Slack's JSON: {e}")))?;
    read(payload)
}

fn read(payload: Payload) -> Result<Interaction> {
    if payload.kind != "block_actions" {
        return Ok(Interaction::Other { kind: payload.kind });
    }
    let user = payload
        .user
        .ok_or_else(|| Error::BadForm("block_actions without a user".into()))?;
    let user_id = UserId::parse(&user.id)
        .ok_or_else(|| Error::BadForm("a user id that is not Slack's".into()))?;
    let team_id = payload
        .team
        .map(|t| t.id)
        .or(user.team_id)
        .unwrap_or_default();
    let container = payload.container.unwrap_or_default();
    Ok(Interaction::BlockActions(BlockActions {
        team_id,
        user: user_id,
        channel_id: payload.channel.map(|c| c.id).unwrap_or_default(),
        response_url: payload.response_url.unwrap_or_default(),
        is_ephemeral: container.is_ephemeral,
        message_ts: container.message_ts.unwrap_or_default(),
        thread_ts: container.thread_ts.filter(|t| !t.is_empty()),
        action: payload.actions.into_iter().next().map(|a| Action {
            action_id: a.action_id,
            block_id: a.block_id,
            value: a.value.unwrap_or_default(),
        }),
    }))
}

/// What `action` asks for. The value is read like typed text; whether the stat exists and the
/// arguments fit is for `flows::run` to say, as for a slash command.
pub fn press(action: &Action) -> Press {
    let value = action.value.as_str();
    if value.is_empty() || value.len() > MAX_VALUE {
        return Press::Stale;
    }
    match action.action_id.as_str() {
        RUN | SHARE => {
            let invocation = parse_text(value);
            if invocation.subcommand.is_empty() {
                return Press::Stale;
            }
            if action.action_id == RUN {
                Press::Run(invocation)
            } else {
                Press::Share(invocation)
            }
        }
        HELP_PREVIOUS | HELP_NEXT => match value.parse::<u16>() {
            Ok(page) if page >= 1 => Press::HelpPage(usize::from(page)),
            _ => Press::Stale,
        },
        OTHER_READINGS => {
            let readings: Vec<Invocation> = value
                .lines()
                .map(parse_text)
                .filter(|reading| !reading.subcommand.is_empty())
                .take(MAX_READINGS)
                .collect();
            if readings.is_empty() {
                Press::Stale
            } else {
                Press::Readings(readings)
            }
        }
        _ => Press::Stale,
    }
}

/// The text a button's `value` carries to run `invocation` again, as Slack will send it back
/// (`&`, `<`, `>` as entities: templates escape every value). `None` when it would not read
/// back as the same invocation or is longer than Slack allows. Pure.
pub fn invocation_value(invocation: &Invocation) -> Option<String> {
    let mut text = invocation.subcommand.clone();
    for value in &invocation.args.positional {
        text.push(' ');
        text.push_str(&quoted(value)?);
    }
    for (key, value) in &invocation.args.named {
        text.push(' ');
        text.push_str(key);
        text.push('=');
        text.push_str(&quoted(value)?);
    }
    let sent = slack_escape(&text);
    (sent.len() <= MAX_VALUE && parse_text(&sent) == *invocation).then_some(text)
}

/// At most this many readings are offered at once.
pub const MAX_READINGS: usize = 3;

/// The value of an "Other readings" button: each reading's [`invocation_value`], one a line,
/// as many of the first [`MAX_READINGS`] as fit in a value. `None` when none does. Pure.
pub fn readings_value(readings: &[Invocation]) -> Option<String> {
    let mut value = String::new();
    for text in readings
        .iter()
        .take(MAX_READINGS)
        .filter_map(invocation_value)
        // A line break inside a reading would split it in two.
        .filter(|text| !text.contains(['\n', '\r']))
    {
        let separator = if value.is_empty() { "" } else { "\n" };
        if slack_escape(&value).len() + separator.len() + slack_escape(&text).len() > MAX_VALUE {
            break;
        }
        value.push_str(separator);
        value.push_str(&text);
    }
    (!value.is_empty()).then_some(value)
}

/// `value` as one argument: bare when it can be, else in the quotes it does not contain.
fn quoted(value: &str) -> Option<Cow<'_, str>> {
    let plain =
        !value.is_empty() && !value.contains(|c: char| c.is_whitespace() || "\"'“”‘’=".contains(c));
    if plain {
        return Some(Cow::Borrowed(value));
    }
    ['"', '\'']
        .into_iter()
        .find(|q| !value.contains(*q))
        .map(|q| Cow::Owned(format!("{q}{value}{q}")))
}

fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests;
