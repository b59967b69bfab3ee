//! HTTP routes: `POST /slack/commands` and `GET /healthz`.
//!
//! Slack shows its own error unless it gets an HTTP 200 within 3 s, so once a request is known
//! to come from Slack, every outcome is a 200 with a message; only forged or broken requests get
//! a 4xx. An answer not ready by the deadline (`BOT_DEADLINE_MS`) is acknowledged with a short
//! "working on it" and posted to the command's `response_url` when it is.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::blocks;
use crate::commands::{Commands, Plan};
use crate::error::Error;
use crate::render::{self, ArgIssue, Context, Problem, Reply};
use crate::response_url::{self, GiveUp};
use crate::signature::{self, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use crate::slash_command::{self, Invocation, SlashCommand};
use crate::startup::AppState;
use reqwest::Url;
use tokio::task::JoinHandle;

/// Slack's slash command bodies are a few hundred bytes; anything near this is not Slack.
pub const BODY_LIMIT: usize = 16 * 1024;

pub async fn healthz() -> &'static str {
    "ok"
}

pub async fn slash_command(
    State(state): State<AppState>,
    lambda: Option<Extension<lambda_http::Context>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // The deadline budget and response_url's 30 minutes both count from here.
    let arrived = Instant::now();
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
        let window = delivery_window(lambda.map(|c| c.deadline), unix_now_ms());
        answer(&state, &command, &invocation, arrived, window).await
    } else {
        let problem = Problem::TeamNotAllowed;
        (render::problem(&ctx, &problem), problem.outcome())
    };

    tracing::info!(
        team = %command.team_id,
        user = %command.user_id,
        subcommand = %blocks::clip(&invocation.subcommand, 40),
        outcome,
        latency_ms = arrived.elapsed().as_millis() as u64,
        "slash command"
    );
    json(reply)
}

/// The reply to a verified command from an allowed workspace, and a word for the log.
///
/// What is ready by the deadline is answered inline. Otherwise, when the command came with a
/// usable `response_url`, the reply is a short "working on it" and the answer follows there;
/// without one, the reply says the stats service was too slow.
async fn answer(
    state: &AppState,
    command: &SlashCommand,
    invocation: &Invocation,
    arrived: Instant,
    window: Duration,
) -> (Reply, &'static str) {
    let config = state.config();
    let deadline = arrived + config.deadline;
    let name = command.command_name().to_string();
    let work = run(state.clone(), name.clone(), invocation.clone());
    let ctx = Context { command: &name };
    let too_slow = || {
        let problem = Problem::ApiSlow;
        (render::problem(&ctx, &problem), problem.outcome())
    };

    let target = response_url::check(&command.response_url, config.allow_response_url.as_deref());
    let url = match target {
        Ok(url) => url,
        Err(refusal) => {
            return match tokio::time::timeout_at(deadline.into(), work).await {
                Ok(answered) => answered,
                Err(_) => {
                    // Only worth a line when it changed what the user got.
                    tracing::warn!(
                        reason = refusal.as_str(),
                        deadline_ms = config.deadline.as_millis() as u64,
                        "too slow for Slack's deadline, and no response_url to answer later"
                    );
                    too_slow()
                }
            };
        }
    };

    // On a task of its own, so that it goes on if the deadline passes.
    let mut running = tokio::spawn(work);
    match tokio::time::timeout_at(deadline.into(), &mut running).await {
        Ok(Ok(answered)) => answered,
        Ok(Err(error)) => {
            tracing::error!(%error, "a command's task failed");
            (render::problem(&ctx, &Problem::Internal), "internal")
        }
        Err(_) => {
            let subcommand = blocks::clip(&invocation.subcommand, 40).into_owned();
            state.deferred().spawn(deliver_later(
                state.clone(),
                running,
                url,
                arrived,
                window,
                name.clone(),
                subcommand,
            ));
            (render::working(&ctx, &invocation.subcommand), "deferred")
        }
    }
}

/// The slow path: waits for the answer (or its problem) and posts it to `response_url`.
async fn deliver_later(
    state: AppState,
    mut running: JoinHandle<(Reply, &'static str)>,
    url: Url,
    arrived: Instant,
    window: Duration,
    command: String,
    subcommand: String,
) {
    let (reply, outcome) =
        match tokio::time::timeout_at((arrived + window).into(), &mut running).await {
            Ok(Ok(answered)) => answered,
            Ok(Err(error)) => {
                tracing::error!(%error, "a deferred command's task failed");
                let ctx = Context { command: &command };
                (render::problem(&ctx, &Problem::Internal), "internal")
            }
            Err(_) => {
                running.abort();
                tracing::warn!(
                    subcommand,
                    window_ms = window.as_millis() as u64,
                    "no answer before response_url's window closed"
                );
                return;
            }
        };
    let delivery = state
        .response_url()
        .deliver(&url, &reply, arrived, window)
        .await;
    tracing::info!(
        subcommand,
        outcome,
        delivered = delivery.result.is_ok(),
        gave_up = delivery.result.err().map(GiveUp::as_str),
        posts = delivery.posts,
        latency_ms = arrived.elapsed().as_millis() as u64,
        "deferred answer"
    );
}

/// How long after the command an answer may still be posted: Slack's 30 minutes, or less when
/// the Lambda invocation ends sooner (its `deadline`, in Unix milliseconds), keeping a moment
/// for the runtime to finish the invocation. A deadline that is not in the future says nothing
/// (the runtime emulator sends the timeout itself, `600000`, where Lambda sends a time). Pure.
pub fn delivery_window(lambda_deadline_ms: Option<u64>, now_ms: u64) -> Duration {
    const MARGIN_MS: u64 = 500;
    match lambda_deadline_ms.filter(|&deadline| deadline > now_ms) {
        Some(deadline) => {
            let left = Duration::from_millis(deadline.saturating_sub(now_ms + MARGIN_MS));
            left.min(response_url::LIFETIME)
        }
        None => response_url::LIFETIME,
    }
}

/// Runs one command to its reply (or problem). Owns what it uses, so it can outlive the request.
async fn run(state: AppState, command: String, invocation: Invocation) -> (Reply, &'static str) {
    let ctx = Context { command: &command };
    match reply_for(&state, &ctx, &invocation).await {
        Ok(reply) => (reply, "ok"),
        Err(problem) => (render::problem(&ctx, &problem), problem.outcome()),
    }
}

async fn reply_for(
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

fn unix_now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delivery_window_is_thirty_minutes_or_what_the_invocation_has_left() {
        let now = 1_700_000_000_000;
        assert_eq!(delivery_window(None, now), response_url::LIFETIME);
        assert_eq!(delivery_window(Some(0), now), response_url::LIFETIME);
        assert_eq!(
            delivery_window(Some(now + 30_000), now),
            Duration::from_millis(29_500)
        );
        assert_eq!(
            delivery_window(Some(now + 300), now),
            Duration::ZERO,
            "too late to start"
        );
        assert_eq!(
            delivery_window(Some(600_000), now),
            response_url::LIFETIME,
            "not a time: the emulator's 10 minutes"
        );
        assert_eq!(
            delivery_window(Some(now + 3_600_000), now),
            response_url::LIFETIME
        );
    }
}
