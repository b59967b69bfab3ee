//! The command pipeline: one `/stats` invocation, from whoever asked, to a Slack message.
//! Callable from a slash command, an interaction or a scheduled job alike; the HTTP handlers
//! only turn requests into a [`Request`] and the [`Answered`] reply into a response.
//!
//! [`answer`] keeps Slack's deadline: what is ready by `BOT_DEADLINE_MS` is answered inline;
//! otherwise, when the request came with a usable `response_url`, the reply is a short
//! "working on it" and the answer is posted there when it is ready. [`run`] has no deadline:
//! it is the whole work of one invocation, for callers that post the answer themselves.

use std::time::{Duration, Instant};

use reqwest::Url;
use tokio::task::JoinHandle;

use crate::blocks;
use crate::commands::Plan;
use crate::error::Error;
use crate::interaction::{self, Press, UserId};
use crate::problem::{Outcome, Problem};
use crate::render::{self, Context, Reply, sharing};
use crate::response_url::{self, GiveUp};
use crate::slash_command::Invocation;
use crate::state::AppState;
use stats_contract::{ErrorCode, ResponseType};

/// One invocation to answer, who asked, and where a late answer may go.
#[derive(Debug, Clone)]
pub struct Request {
    /// The slash command as the workspace installed it (`/stats`): replies quote it.
    pub command: String,
    pub invocation: Invocation,
    pub team_id: String,
    pub user_id: String,
    /// Where a late answer goes: the `response_url` as Slack sent it (checked here).
    pub response_url: String,
    /// When the request arrived: the deadline and `response_url`'s lifetime count from here.
    pub arrived: Instant,
    /// How long after `arrived` a late answer may still be posted ([`delivery_window`]).
    pub window: Duration,
}

/// The reply to send now, and a word for the log.
#[derive(Debug, Clone)]
pub struct Answered {
    pub reply: Reply,
    pub outcome: Outcome,
}

impl Answered {
    fn problem(command: &str, problem: &Problem) -> Answered {
        Answered {
            reply: problem.reply(&Context { command }),
            outcome: problem.outcome(),
        }
    }
}

/// Answers `request` within the deadline, deferring the rest to its `response_url`.
pub async fn answer(state: &AppState, request: Request) -> Answered {
    let config = state.config();
    if !config.team_allowed(&request.team_id) {
        return Answered::problem(&request.command, &Problem::TeamNotAllowed);
    }
    let deadline = request.arrived + config.deadline;
    let work = run_as(
        state.clone(),
        request.command.clone(),
        request.invocation.clone(),
        Presentation::Answer,
    );
    let target = response_url::check(&request.response_url, config.allow_response_url.as_deref());
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
                    Answered::problem(&request.command, &Problem::ApiSlow)
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
            Answered::problem(&request.command, &Problem::Internal)
        }
        Err(_) => {
            let reply = render::working(
                &Context {
                    command: &request.command,
                },
                &request.invocation.subcommand,
            );
            state
                .deferred()
                .spawn(deliver_later(state.clone(), running, url, request));
            Answered {
                reply,
                outcome: Outcome::Deferred,
            }
        }
    }
}

/// The slow path: waits for the answer (or its problem) and posts it to `response_url`.
async fn deliver_later(
    state: AppState,
    mut running: JoinHandle<Answered>,
    url: Url,
    request: Request,
) {
    let subcommand = blocks::clip(&request.invocation.subcommand, 40).into_owned();
    let closes = request.arrived + request.window;
    let answered = match tokio::time::timeout_at(closes.into(), &mut running).await {
        Ok(Ok(answered)) => answered,
        Ok(Err(error)) => {
            tracing::error!(%error, "a deferred command's task failed");
            Answered::problem(&request.command, &Problem::Internal)
        }
        Err(_) => {
            running.abort();
            // The same line as a failed delivery, so that one alarm counts both.
            tracing::warn!(
                subcommand,
                delivered = false,
                gave_up = GiveUp::OutOfTime.as_str(),
                posts = 0,
                window_ms = request.window.as_millis() as u64,
                "deferred answer"
            );
            return;
        }
    };
    let delivery = state
        .response_url()
        .deliver(&url, &answered.reply, request.arrived, request.window)
        .await;
    tracing::info!(
        subcommand,
        outcome = answered.outcome.as_str(),
        delivered = delivery.result.is_ok(),
        gave_up = delivery.result.err().map(GiveUp::as_str),
        posts = delivery.posts,
        latency_ms = request.arrived.elapsed().as_millis() as u64,
        "deferred answer"
    );
}

/// A button press. Slack has had its empty 200 from the handler (a press has no inline answer);
/// what the press asks for is worked out and posted to the action's `response_url` on the
/// deferred path, like a slow command's answer. `request.invocation` is what `Run` and `Share`
/// run; `by` is who pressed.
pub fn press(state: &AppState, request: Request, press: Press, by: UserId) -> Outcome {
    let allowed = state.config().allow_response_url.as_deref();
    let url = match response_url::check(&request.response_url, allowed) {
        Ok(url) => url,
        Err(refusal) => {
            tracing::warn!(
                reason = refusal.as_str(),
                "a button press with nowhere to answer; nothing done"
            );
            return Outcome::Internal;
        }
    };
    state
        .deferred()
        .spawn(answer_press(state.clone(), url, request, press, by));
    Outcome::Deferred
}

async fn answer_press(state: AppState, url: Url, request: Request, press: Press, by: UserId) {
    let subcommand = blocks::clip(&request.invocation.subcommand, 40).into_owned();
    let closes = request.arrived + request.window;
    let work = press_replies(&state, &request, press, by);
    let Ok((replies, outcome)) = tokio::time::timeout_at(closes.into(), work).await else {
        tracing::warn!(
            subcommand,
            delivered = false,
            gave_up = GiveUp::OutOfTime.as_str(),
            posts = 0,
            press = true,
            // The same line as a deferred answer's, so that one alarm counts both.
            "deferred answer"
        );
        return;
    };
    let (mut posts, mut result) = (0, Ok(()));
    // In order, and no further once one fails: the private answer is deleted only once the
    // shared one is out.
    for reply in &replies {
        let delivery = state
            .response_url()
            .deliver(&url, reply, request.arrived, request.window)
            .await;
        posts += delivery.posts;
        result = delivery.result;
        if result.is_err() {
            break;
        }
    }
    tracing::info!(
        subcommand,
        outcome = outcome.as_str(),
        delivered = result.is_ok(),
        gave_up = result.err().map(GiveUp::as_str),
        posts,
        latency_ms = request.arrived.elapsed().as_millis() as u64,
        press = true,
        "deferred answer"
    );
}

/// The posts a press makes, in order, and its outcome for the log.
async fn press_replies(
    state: &AppState,
    request: &Request,
    press: Press,
    by: UserId,
) -> (Vec<Reply>, Outcome) {
    let ctx = Context {
        command: &request.command,
    };
    // Beside the message pressed, never in its place.
    let problem = |problem: Problem| {
        let reply = sharing::replacing_original(&problem.reply(&ctx), false);
        (vec![reply], problem.outcome())
    };
    if !state.config().team_allowed(&request.team_id) {
        return problem(Problem::TeamNotAllowed);
    }
    let run = |presentation| {
        run_as(
            state.clone(),
            request.command.clone(),
            request.invocation.clone(),
            presentation,
        )
    };
    match press {
        Press::Stale => problem(Problem::StaleButton),
        Press::HelpPage(page) => {
            let available = state.commands().await;
            match available.commands.help_page(&ctx, page) {
                Ok(reply) => (vec![sharing::replacing_original(&reply, true)], Outcome::Ok),
                Err(error) => problem(Problem::from_error(error, None)),
            }
        }
        Press::Run(_) => {
            let answered = run(Presentation::Private).await;
            let reply = sharing::replacing_original(&answered.reply, false);
            (vec![reply], answered.outcome)
        }
        Press::Share(_) => {
            let answered = run(Presentation::SharedBy(by)).await;
            if answered.outcome != Outcome::Ok {
                let reply = sharing::replacing_original(&answered.reply, false);
                return (vec![reply], answered.outcome);
            }
            (
                vec![answered.reply, sharing::delete_original()],
                answered.outcome,
            )
        }
    }
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

/// Runs one invocation to its reply (or problem), however long it takes, rendered as its
/// command renders it (no buttons: for callers that post it themselves). Owns what it uses,
/// so it can outlive the request.
pub async fn run(state: AppState, command: String, invocation: Invocation) -> Answered {
    run_as(state, command, invocation, Presentation::AsRendered).await
}

/// How a stat's answer is shown beyond what its command renders. Local replies (help) and
/// problems are never changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Presentation {
    /// As rendered.
    AsRendered,
    /// The answer to the person who asked: a private answer gets a "Share in channel" button;
    /// an answer for the channel is left exactly as rendered (no work added to that path).
    Answer,
    /// Run from a button: private to whoever pressed it, with the Share button.
    Private,
    /// Shared in the channel by this user, saying when its numbers are from.
    SharedBy(UserId),
}

/// [`run`], shown as `presentation` says.
pub async fn run_as(
    state: AppState,
    command: String,
    invocation: Invocation,
    presentation: Presentation,
) -> Answered {
    let ctx = Context { command: &command };
    match reply_for(&state, &ctx, &invocation, &presentation).await {
        Ok(reply) => Answered {
            reply,
            outcome: Outcome::Ok,
        },
        Err(problem) => Answered::problem(&command, &problem),
    }
}

async fn reply_for(
    state: &AppState,
    ctx: &Context<'_>,
    invocation: &Invocation,
    presentation: &Presentation,
) -> Result<Reply, Problem> {
    let available = state.commands().await;
    let commands = &available.commands;
    let Some(command) = commands.find(&invocation.subcommand) else {
        // Without the catalogue we cannot tell a typo from a stat we failed to load.
        if let Some(error) = available.catalogue_error {
            return Err(Problem::from_error(error, None));
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
                if matches!(
                    &error,
                    Error::Api {
                        code: ErrorCode::UnknownStat,
                        ..
                    }
                ) {
                    // Refreshed now, not at the next command: help must not offer it again.
                    state.invalidate_commands();
                    let _ = state.commands().await;
                }
                return Err(match Problem::from_error(error, Some(&stat)) {
                    Problem::BadArgument { issue, .. } => bad_argument(issue),
                    other => other,
                });
            }
        },
    };
    let reply = command
        .render(ctx, data.as_ref())
        .map_err(|error| Problem::from_error(error, None))?;
    let Some(data) = data else {
        return Ok(reply);
    };
    let shown = match presentation {
        Presentation::AsRendered => return Ok(reply),
        Presentation::Answer if command.response_type() == ResponseType::InChannel => {
            return Ok(reply);
        }
        Presentation::Answer | Presentation::Private => {
            let value = interaction::invocation_value(invocation);
            sharing::private_with_share(&reply, value.as_deref())
        }
        Presentation::SharedBy(user) => sharing::shared_by(
            &reply,
            user,
            data.generated_at.as_deref(),
            chrono::Utc::now(),
        ),
    };
    shown.map_err(|error| Problem::from_error(error, None))
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
