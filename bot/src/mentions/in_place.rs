//! The "Answer" button of a choice offered in a thread or a DM: the reading pressed is answered
//! in place of the choice (`chat.update`), where everyone who saw the question sees it, with
//! "Read as" and the reply's mark (the event it answers, from the button's `block_id`), so a
//! follow-up in the thread reads against it. A stat declared `ephemeral` is shown to the
//! presser alone, in the thread, and the choice stays.

use std::time::{Duration, Instant};

use stats_contract::ResponseType;

use super::marker::Mark;
use super::reply::{self, COMMAND};
use crate::explanation::Outcome;
use crate::flows::ask;
use crate::slack::blocks;
use crate::slack::interaction::{self, BlockActions};
use crate::slack::retry::GiveUp;
use crate::slack::slash_command::Invocation;
use crate::state::AppState;

const BUDGET: Duration = Duration::from_secs(30);

/// Starts answering `invocation` in place of the message pressed; the press was acknowledged.
pub fn pressed(
    state: &AppState,
    actions: &BlockActions,
    invocation: Invocation,
    arrived: Instant,
    window: Duration,
) -> Outcome {
    if actions.channel_id.is_empty() || actions.message_ts.is_empty() {
        tracing::warn!("an Answer button without its message; nothing done");
        return Outcome::StaleButton;
    }
    if state.config().slack_bot_token.is_none() {
        tracing::warn!("an Answer button cannot answer: SLACK_BOT_TOKEN is not set");
        return Outcome::Internal;
    }
    let event_id = actions
        .action
        .as_ref()
        .and_then(|a| reply::event_of_block(&a.block_id))
        .unwrap_or_default();
    let pressed = Pressed {
        channel: actions.channel_id.clone(),
        ts: actions.message_ts.clone(),
        thread_ts: actions.thread_ts.clone(),
        by: actions.user.to_string(),
        event_id,
    };
    let worker = state.clone();
    state.deferred().spawn(async move {
        let closes = arrived + window;
        let work = answer(&worker, pressed, invocation);
        match tokio::time::timeout_at(closes.into(), work).await {
            Ok(Ok(())) => {}
            Ok(Err(gave_up)) => {
                tracing::warn!(
                    gave_up = gave_up.as_str(),
                    "a choice could not be answered in place"
                )
            }
            Err(_) => tracing::warn!("a choice's answer ran out of time"),
        }
    });
    Outcome::Deferred
}

/// The message pressed, and who pressed it.
struct Pressed {
    channel: String,
    ts: String,
    thread_ts: Option<String>,
    by: String,
    event_id: String,
}

async fn answer(state: &AppState, pressed: Pressed, invocation: Invocation) -> Result<(), GiveUp> {
    let subcommand = blocks::clip(&invocation.subcommand, 40).into_owned();
    let mark = Mark {
        event_id: pressed.event_id,
        reading: interaction::invocation_value(&invocation),
    };
    let answered = ask::confident(state.clone(), COMMAND.into(), invocation, &[]).await;
    let private = answered.outcome == Outcome::Ok
        && answered
            .reply
            .to_parts()
            .is_ok_and(|p| p.response_type == Some(ResponseType::Ephemeral));
    let slack = state.slack();
    let sent = if private {
        let message = reply::private(answered.reply, pressed.thread_ts.as_deref())
            .map_err(|_| GiveUp::Refused(0))?;
        slack
            .post_ephemeral(&pressed.channel, &pressed.by, &message, BUDGET)
            .await
    } else {
        let message = reply::public(answered.reply, None, &mark).map_err(|_| GiveUp::Refused(0))?;
        slack
            .update(&pressed.channel, &pressed.ts, &message, BUDGET)
            .await
    };
    tracing::info!(
        subcommand,
        outcome = answered.outcome.as_str(),
        delivered = sent.result.is_ok(),
        "a choice answered in place"
    );
    sent.result.map(drop)
}
