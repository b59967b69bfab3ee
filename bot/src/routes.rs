//! HTTP handlers: `POST /slack/commands` and `GET /healthz`. Each Slack route sits behind
//! `slack_verification::verify`; a handler turns the verified request into a pipeline
//! `Request`, and the answer into the HTTP 200 Slack needs within 3 s.
//!
//! Once a request is known to come from Slack, every outcome is a 200 with a message; only
//! forged or broken requests get a 4xx.

use std::time::{SystemTime, UNIX_EPOCH};

use axum::Extension;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::blocks;
use crate::error::Error;
use crate::pipeline::{self, Request};
use crate::problem::Problem;
use crate::render::{Context, Reply};
use crate::slack_verification::Verified;
use crate::slash_command::{self, SlashCommand};
use crate::state::AppState;
use axum::extract::State;

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
            let problem = Problem::RepeatedField { field };
            return json(problem.reply(&Context { command: "/stats" }));
        }
        Err(error) => {
            tracing::warn!(%error, "signed request with an unreadable form");
            return error.into_response();
        }
    };
    let invocation = slash_command::parse_text(&command.text);
    let request = Request {
        command: command.command_name().to_string(),
        invocation,
        team_id: command.team_id,
        user_id: command.user_id,
        response_url: command.response_url,
        arrived: verified.arrived,
        window: pipeline::delivery_window(lambda.map(|c| c.deadline), unix_now_ms()),
    };
    let (team, user) = (request.team_id.clone(), request.user_id.clone());
    let subcommand = blocks::clip(&request.invocation.subcommand, 40).into_owned();
    let answered = pipeline::answer(&state, request).await;
    tracing::info!(
        team = %team,
        user = %user,
        subcommand = %subcommand,
        outcome = answered.outcome.as_str(),
        latency_ms = verified.arrived.elapsed().as_millis() as u64,
        "slash command"
    );
    json(answered.reply)
}

fn json(reply: Reply) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], reply.0).into_response()
}

fn unix_now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}
