//! An alert's Slack message, from what `alerts::wording` says: `templates/alert.json`, the
//! stat's own answer under it, and the state as message metadata (`alerts::metadata`).

use askama::Template;
use chrono::{DateTime, Utc};

use crate::alerts::machine::AlertState;
use crate::alerts::number::Num;
use crate::alerts::{Alert, metadata, wording};
use crate::error::{Error, Result};
use crate::slack::message::{Message, Metadata};

#[derive(Template)]
#[template(path = "alert.json")]
struct AlertView<'a> {
    title: &'a str,
    name: &'a str,
    text_json: String,
    condition_json: String,
    context_json: Option<String>,
    buttons: bool,
}

/// A finished mrkdwn string as a JSON string literal, quotes included.
fn json(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

fn compose(alert: &Alert, words: &wording::AlertMessage) -> Result<Message> {
    let context: Vec<&str> = [
        words.since.as_deref(),
        Some(words.state.as_str()).filter(|s| !s.is_empty()),
        words.silenced.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let view = AlertView {
        title: &words.title,
        name: &alert.name,
        text_json: json(&words.text),
        condition_json: json(&words.condition),
        context_json: (!context.is_empty()).then(|| json(&context.join(" · "))),
        buttons: words.buttons,
    };
    let rendered = view
        .render()
        .map_err(|e| Error::Rendering(format!("alert template: {e}")))?;
    Message::from_rendered(&rendered)
}

/// The metadata that carries `state` on the message.
pub fn metadata(alert: &Alert, state: &AlertState) -> Metadata {
    serde_json::from_value(metadata::write(&alert.name, state))
        .expect("alerts::metadata writes event_type and event_payload")
}

/// The incident's message for `alert` in `state`, with the stat's `answer` (as `/stats` shows
/// it) under it, and the state as metadata.
pub fn incident(
    alert: &Alert,
    state: &AlertState,
    now: DateTime<Utc>,
    answer: Option<&Message>,
) -> Result<Message> {
    let mut message = compose(alert, &wording::message(alert, state, now))?;
    if let Some(answer) = answer {
        for block in answer.blocks() {
            message.push_block(block.get())?;
        }
    }
    message.metadata = Some(metadata(alert, state));
    Ok(message)
}

/// A milestone's message: the mark it carries is `state`'s.
pub fn milestone(
    alert: &Alert,
    column: &str,
    reached: i64,
    value: Num,
    state: &AlertState,
) -> Result<Message> {
    let mut message = compose(alert, &wording::milestone(alert, column, reached, value))?;
    message.metadata = Some(metadata(alert, state));
    Ok(message)
}

/// The reply in an incident's thread when it ends.
pub fn resolution_reply(state: &AlertState, thread_ts: &str) -> Option<Message> {
    let mut reply = Message::plain(&wording::resolution_reply(state)?);
    reply.response_type = None;
    reply.thread_ts = Some(thread_ts.to_string());
    Some(reply)
}

#[derive(Template)]
#[template(path = "alerts.json")]
struct ListingView<'a> {
    command: &'a str,
    sections_json: Vec<String>,
    count: usize,
    more: usize,
}

/// Lines per section: each is a few hundred characters at most; Slack takes 3000 a section.
const PER_SECTION: usize = 5;
/// More would pass Block Kit's 50 blocks.
const MAX_LISTED: usize = 200;

/// `/stats alerts`: one line per alert (`wording::ListingRow::line`), private.
pub fn listing(command: &str, rows: &[wording::ListingRow]) -> Result<Message> {
    let lines: Vec<String> = rows.iter().take(MAX_LISTED).map(|r| r.line()).collect();
    let view = ListingView {
        command,
        sections_json: lines
            .chunks(PER_SECTION)
            .map(|chunk| json(&chunk.join("\n")))
            .collect(),
        count: rows.len(),
        more: rows.len().saturating_sub(MAX_LISTED),
    };
    let rendered = view
        .render()
        .map_err(|e| Error::Rendering(format!("alerts template: {e}")))?;
    Message::from_rendered(&rendered)
}
