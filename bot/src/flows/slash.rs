//! A `/stats` slash command within Slack's deadline: what is ready by `BOT_DEADLINE_MS` is
//! answered inline; otherwise, when the request came with a usable `response_url`, the reply is
//! a short "working on it" and the answer is posted there when it is ready.

use reqwest::Url;
use tokio::task::JoinHandle;

use super::{Answered, Request, ask, working};
use crate::explanation::{Explanation, Outcome};
use crate::render::Context;
use crate::slack::blocks;
use crate::slack::response_url;
use crate::slack::retry::GiveUp;
use crate::state::AppState;

/// Answers `request` within the deadline, deferring the rest to its `response_url`.
pub async fn answer(state: &AppState, request: Request) -> Answered {
    let config = state.config();
    if !config.team_allowed(&request.team_id) {
        return Answered::problem(&request.command, &Explanation::TeamNotAllowed);
    }
    let deadline = request.arrived + config.deadline;
    let work = ask::typed(
        state.command_cache().clone(),
        request.command.clone(),
        request.invocation.clone(),
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
                    Answered::problem(&request.command, &Explanation::ApiSlow)
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
            Answered::problem(&request.command, &Explanation::Internal)
        }
        Err(_) => {
            let reply = working::working(
                &Context {
                    command: &request.command,
                },
                &ask::words(&request.invocation),
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
            Answered::problem(&request.command, &Explanation::Internal)
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
    let sent = state
        .slack()
        .respond(&url, &answered.reply, request.arrived, request.window)
        .await;
    tracing::info!(
        subcommand,
        outcome = answered.outcome.as_str(),
        delivered = sent.result.is_ok(),
        gave_up = sent.result.as_ref().err().map(GiveUp::as_str),
        posts = sent.calls,
        latency_ms = request.arrived.elapsed().as_millis() as u64,
        "deferred answer"
    );
}
