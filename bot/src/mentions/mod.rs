//! `@statsbot …` in a channel (`app_mention`) and a DM to the bot (`message.im`): the words read
//! exactly as `/stats` text and answered in the thread (in a DM, in the conversation), each
//! event once.
//!
//! - [`words`]: the text without the bot's own mention
//! - [`answer`]: the words to their answer, or a follow-up of the thread's earlier reading
//!   ([`follow_up`])
//! - [`marker`]: what the reply carries (`statsbot_answer`: the event and the reading), read
//!   back from the bot's own messages only
//! - [`reply`]: the reply as posted: public in the thread, private with a line in the thread,
//!   or a choice whose buttons answer in place ([`in_place`])
//! - [`thread`]: the bot's own replies where a question was asked, read back
//!
//! Exactly once: a first delivery is answered without looking (the in-process set in
//! `flows::event` drops quick redeliveries); a redelivery (`X-Slack-Retry-Num` ≥ 1), which may
//! reach a fresh process, first reads the thread for a reply carrying its `event_id`.

mod answer;
mod follow_up;
pub(crate) mod in_place;
mod marker;
mod reply;
mod thread;
mod words;

use std::any::Any;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use self::answer::Shown;
use self::marker::Mark;
use crate::explanation::Outcome;
use crate::flows::ask;
use crate::flows::event::{Delivery, EventFeature, Work};
use crate::slack::blocks;
use crate::slack::events::{Callback, Event, Said};
use crate::slack::interaction::{self, UserId};
use crate::slack::message::Message;
use crate::slack::retry::GiveUp;
use crate::state::AppState;

/// One post (or read) may take this long, retries included.
const BUDGET: Duration = Duration::from_secs(30);

/// The feature, registered in `state::event_features`.
#[derive(Default)]
pub struct Mentions {
    /// Whether the log has said that events cannot be answered without a token.
    said_no_token: AtomicBool,
}

impl Mentions {
    pub fn new() -> Self {
        Self::default()
    }
}

impl EventFeature for Mentions {
    fn name(&self) -> &'static str {
        "mentions"
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn wants(&self, event: &Event) -> bool {
        match event {
            Event::Mention(said) => is_a_question(said),
            Event::Message(said) => said.in_dm() && is_a_question(said),
            _ => false,
        }
    }

    fn handle(&self, state: AppState, callback: Arc<Callback>, delivery: Delivery) -> Work {
        Box::pin(async move {
            let feature = state.event_feature::<Mentions>();
            if state.config().slack_bot_token.is_none() {
                if feature.is_some_and(|f| !f.said_no_token.swap(true, Ordering::Relaxed)) {
                    tracing::warn!(
                        "a mention or DM cannot be answered: SLACK_BOT_TOKEN is not set"
                    );
                }
                return;
            }
            respond(&state, &callback, &delivery).await;
        })
    }
}

/// Someone's own words: no subtype (edits, deletions, joins, `bot_message`) and no app or bot
/// behind them (the bot's own replies included). Pure.
fn is_a_question(said: &Said) -> bool {
    said.subtype.is_none() && said.bot_id.is_none() && !said.user.is_empty()
}

async fn respond(state: &AppState, callback: &Callback, delivery: &Delivery) {
    let (Event::Mention(said) | Event::Message(said)) = &callback.event else {
        return;
    };
    let me = match state.slack().identity().await {
        Ok(me) => me,
        Err(gave_up) => {
            tracing::warn!(
                gave_up = gave_up.as_str(),
                "a mention or DM cannot be answered: who the bot is is unknown"
            );
            return;
        }
    };
    if said.user == me.user_id {
        tracing::debug!("the bot's own message; ignored");
        return;
    }
    let event_id = callback.event_id.as_str();
    let thread = reply_thread(said);
    if delivery.is_redelivery() && thread::answered_already(state, said, me, event_id).await {
        tracing::info!(
            event_id = %blocks::clip(event_id, 40),
            retry_num = delivery.retry_num,
            "a redelivery already answered in its thread; nothing posted"
        );
        return;
    }
    let invocation = words::invocation(&said.text, &me.user_id);
    let earlier = if (said.in_thread() || said.in_dm())
        && answer::could_follow_up(state, &invocation).await
    {
        thread::earlier_reading(state, said, me).await
    } else {
        None
    };
    let answer = answer::answer(state, invocation, earlier.as_deref()).await;
    let mark = Mark {
        event_id: event_id.to_string(),
        reading: answer
            .reading
            .as_ref()
            .and_then(interaction::invocation_value),
    };
    let outcome = match &answer.shown {
        Shown::Choices { .. } => Outcome::DidYouMean,
        _ => answer.answered.outcome,
    };
    let posted = post(state, said, thread.as_deref(), answer, &mark).await;
    tracing::info!(
        event = callback.event.kind(),
        event_id = %blocks::clip(event_id, 40),
        subcommand = %blocks::clip(mark.reading.as_deref().unwrap_or(""), 40),
        outcome = outcome.as_str(),
        delivered = posted.is_ok(),
        gave_up = posted.as_ref().err().map(GiveUp::as_str),
        latency_ms = delivery.arrived.elapsed().as_millis() as u64,
        "event answered"
    );
}

/// The thread a reply goes in: the mention's (or a thread under it); in a DM, the thread the
/// message is in, else none (the conversation itself).
pub(crate) fn reply_thread(said: &Said) -> Option<String> {
    if said.in_dm() {
        said.thread_ts.clone()
    } else {
        Some(said.reply_thread().to_string())
    }
}

/// The answer as posted where it was asked.
async fn post(
    state: &AppState,
    said: &Said,
    thread: Option<&str>,
    answer: answer::Answer,
    mark: &Mark,
) -> Result<(), GiveUp> {
    let slack = state.slack();
    let channel = said.channel.as_str();
    let public = |message: crate::error::Result<Message>| async move {
        match message {
            Ok(message) => slack
                .post_message(channel, &message, BUDGET)
                .await
                .result
                .map(drop),
            Err(error) => {
                tracing::error!(%error, "a reply to a mention could not be made");
                Err(GiveUp::Refused(0))
            }
        }
    };
    match answer.shown {
        Shown::Public => public(reply::public(answer.answered.reply, thread, mark)).await,
        Shown::Private if said.in_dm() => {
            public(reply::public(answer.answered.reply, thread, mark)).await
        }
        Shown::Private => {
            let user = UserId::parse(&said.user).ok_or(GiveUp::Refused(0))?;
            let private =
                reply::private(answer.answered.reply, thread).map_err(|_| GiveUp::Refused(0))?;
            slack
                .post_ephemeral(channel, user.as_str(), &private, BUDGET)
                .await
                .result?;
            let reading = mark.reading.as_deref().unwrap_or_default();
            public(reply::answered_privately(&user, reading, thread, mark)).await
        }
        Shown::Choices { question, readings } => {
            let available = state.commands().await;
            let choices = ask::choices(&available.commands, &readings);
            public(reply::choices(&question, &choices, thread, mark)).await
        }
    }
}
