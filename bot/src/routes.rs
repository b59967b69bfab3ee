//! HTTP handlers: `POST /slack/commands`, `POST /slack/interactions`, `POST /slack/events` and
//! `GET /healthz`. Each Slack route sits behind `slack::verification::verify`; a handler only
//! reads the verified request, hands it to its flow (`flows::slash`, `flows::press`,
//! `flows::event`) and turns what the flow says into the HTTP 200 Slack needs within 3 s.
//!
//! Once a request is known to come from Slack, every outcome is a 200 with a message; only
//! forged or broken requests get a 4xx.

use std::time::{SystemTime, UNIX_EPOCH};

use axum::Extension;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use axum::extract::State;

use crate::error::Error;
use crate::explanation::Explanation;
use crate::flows::{self, event, press, slash};
use crate::render::Context;
use crate::slack::events as slack_events;
use crate::slack::interaction;
use crate::slack::message::Message;
use crate::slack::slash_command::{COMMAND, SlashCommand};
use crate::slack::verification::Verified;
use crate::state::AppState;

pub async fn healthz() -> &'static str {
    "ok"
}

pub async fn slash_command(
    State(state): State<AppState>,
    Extension(verified): Extension<Verified>,
    lambda: Option<Extension<lambda_http::Context>>,
) -> Response {
    let command = match SlashCommand::parse(&verified.body) {
        Ok(command) => command,
        Err(Error::RepeatedField(field)) => {
            tracing::warn!(field, "signed command with a repeated field; nothing run");
            let problem = Explanation::RepeatedField { field };
            return json(problem.reply(&Context { command: COMMAND }));
        }
        Err(error) => {
            tracing::warn!(%error, "signed request with an unreadable form");
            return error.into_response();
        }
    };
    let window = flows::delivery_window(lambda.map(|c| c.deadline), unix_now_ms());
    json(slash::command(&state, command, verified.arrived, window).await)
}

/// A button press: an empty 200 at once (Slack shows nothing of it); the answer goes to the
/// action's `response_url`. An unreadable signed payload is a 400, and nothing is done: there
/// is no telling which `response_url` is the real one.
pub async fn interaction(
    State(state): State<AppState>,
    Extension(verified): Extension<Verified>,
    lambda: Option<Extension<lambda_http::Context>>,
) -> Response {
    let interaction = match interaction::parse(&verified.body) {
        Ok(interaction) => interaction,
        Err(error) => {
            tracing::warn!(%error, "signed interaction with an unreadable payload; nothing done");
            return error.into_response();
        }
    };
    let window = flows::delivery_window(lambda.map(|c| c.deadline), unix_now_ms());
    press::interaction(&state, interaction, verified.arrived, window);
    StatusCode::OK.into_response()
}

/// An Events API delivery: answered at once (the challenge, or an empty 200) and worked on
/// after, by `flows::event`. An unreadable signed body is a 400, and nothing is done.
pub async fn events(
    State(state): State<AppState>,
    Extension(verified): Extension<Verified>,
    headers: HeaderMap,
    lambda: Option<Extension<lambda_http::Context>>,
) -> Response {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let delivery = slack_events::Delivery {
        retry_num: slack_events::retry_num(header(slack_events::RETRY_NUM_HEADER)),
        retry_reason: header(slack_events::RETRY_REASON_HEADER).map(String::from),
        arrived: verified.arrived,
        window: flows::delivery_window(lambda.map(|c| c.deadline), unix_now_ms()),
    };
    match event::handle(&state, &verified.body, delivery) {
        event::Ack::Ok => StatusCode::OK.into_response(),
        event::Ack::Challenge(challenge) => (
            [(header::CONTENT_TYPE, "application/json")],
            serde_json::json!({ "challenge": challenge }).to_string(),
        )
            .into_response(),
        event::Ack::Malformed => StatusCode::BAD_REQUEST.into_response(),
    }
}

fn json(reply: Message) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        reply.to_json(),
    )
        .into_response()
}

fn unix_now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}
