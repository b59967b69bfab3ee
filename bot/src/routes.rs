//! HTTP routes: `POST /slack/commands` and `GET /healthz`.
//!
//! Slack shows its own error unless it gets an HTTP 200 within 3 s, so once a request is known
//! to come from Slack, every outcome is a 200 with a message; only forged or broken requests get
//! a 4xx.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::blocks;
use crate::commands::{Commands, Plan};
use crate::error::Error;
use crate::render::{self, ArgIssue, Context, Problem, Reply};
use crate::signature::{self, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use crate::slash_command::{self, Invocation, SlashCommand};
use crate::startup::AppState;

/// Slack's slash command bodies are a few hundred bytes; anything near this is not Slack.
pub const BODY_LIMIT: usize = 16 * 1024;

pub async fn healthz() -> &'static str {
    "ok"
}

pub async fn slash_command(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let started = Instant::now();
    if slash_command::is_ssl_check(&body) {
        return StatusCode::OK.into_response();
    }

    // Hash the exact bytes received: re-encoding the form would change them.
    let verified = signature::verify(
        state.config().signing_secret.expose(),
        header_str(&headers, TIMESTAMP_HEADER),
        header_str(&headers, SIGNATURE_HEADER),
        &body,
        unix_now(),
    );
    if let Err(rejection) = verified {
        tracing::warn!(
            reason = rejection.as_str(),
            "refused an unsigned or badly signed request"
        );
        return Error::Signature(rejection).into_response();
    }

    let command = match SlashCommand::parse(&body) {
        Ok(command) => command,
        Err(error) => {
            tracing::warn!(%error, "signed request with an unreadable form");
            return error.into_response();
        }
    };
    let invocation = slash_command::parse_text(&command.text);
    let ctx = Context {
        command: command.command_name(),
    };

    let (reply, outcome) = if state.config().team_allowed(&command.team_id) {
        answer(&state, &ctx, &invocation).await
    } else {
        let problem = Problem::TeamNotAllowed;
        (render::problem(&ctx, &problem), problem.outcome())
    };

    tracing::info!(
        team = %command.team_id,
        user = %command.user_id,
        subcommand = %blocks::clip(&invocation.subcommand, 40),
        outcome,
        latency_ms = started.elapsed().as_millis() as u64,
        "slash command"
    );
    json(reply)
}

/// The reply to a verified command from an allowed workspace, and a word for the log.
/// Bounded by the configured budget so Slack always gets an answer in time.
async fn answer(
    state: &AppState,
    ctx: &Context<'_>,
    invocation: &Invocation,
) -> (Reply, &'static str) {
    let budget = state.config().stats_api_timeout;
    let result = tokio::time::timeout(budget, run(state, ctx, invocation)).await;
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(_) => {
            tracing::warn!(
                budget_ms = budget.as_millis() as u64,
                "stats API too slow for Slack's deadline"
            );
            Err(Problem::ApiSlow)
        }
    };
    match outcome {
        Ok(reply) => (reply, "ok"),
        Err(problem) => (render::problem(ctx, &problem), problem.outcome()),
    }
}

async fn run(
    state: &AppState,
    ctx: &Context<'_>,
    invocation: &Invocation,
) -> Result<Reply, Problem> {
    let available = state.commands().await;
    let commands: &Commands = &available.commands;
    let Some(command) = commands.find(&invocation.subcommand) else {
        // Without the catalogue we cannot tell a typo from a stat we failed to load.
        if let Some(error) = available.catalogue_error {
            return Err(problem_for(error, None));
        }
        return Err(Problem::UnknownCommand {
            given: blocks::clip(&invocation.subcommand, 40).into_owned(),
            suggestion: commands.suggest(&invocation.subcommand).map(String::from),
        });
    };
    let bad_argument = |issue| Problem::BadArgument {
        usage: command.usage(),
        issue,
    };
    let data = match command.plan(&invocation.args).map_err(bad_argument)? {
        Plan::Local => None,
        Plan::Fetch { stat, params } => match state.client().stat(&stat, &params).await {
            Ok(data) => Some(data),
            Err(error) => {
                if matches!(&error, Error::Api { code, .. } if code == "unknown_stat") {
                    state.invalidate_commands();
                }
                return Err(match problem_for(error, Some(&stat)) {
                    Problem::BadArgument { issue, .. } => bad_argument(issue),
                    other => other,
                });
            }
        },
    };
    command
        .render(ctx, data.as_ref())
        .map_err(|error| problem_for(error, None))
}

/// What the user is told about an error; the detail goes to the log only.
fn problem_for(error: Error, stat: Option<&str>) -> Problem {
    tracing::warn!(%error, stat, "command failed");
    match error {
        Error::ApiUnreachable(_) => Problem::ApiUnreachable,
        Error::ApiTimeout => Problem::ApiSlow,
        Error::ApiUnauthorized => Problem::ApiRefused,
        Error::ApiNonsense(_) => Problem::ApiNonsense,
        Error::Api { code, message, .. } => match code.as_str() {
            "bad_parameter" => Problem::BadArgument {
                usage: String::new(),
                issue: ArgIssue::Rejected {
                    message: blocks::clip(&message, 300).into_owned(),
                },
            },
            "unknown_stat" => Problem::StatGone {
                name: stat.unwrap_or_default().to_string(),
            },
            "database_unavailable" => Problem::DatabaseUnavailable,
            "query_timeout" => Problem::QueryTimeout,
            "unauthorized" => Problem::ApiRefused,
            "internal" => Problem::Internal,
            _ if message.is_empty() => Problem::Internal,
            _ => Problem::ApiSaid {
                message: blocks::clip(&message, 300).into_owned(),
            },
        },
        _ => Problem::Internal,
    }
}

fn json(reply: Reply) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], reply.0).into_response()
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
