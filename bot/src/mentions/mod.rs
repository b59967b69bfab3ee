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
//!   or a choice whose buttons answer in place ([`in_place`], a button registered here)
//! - [`thread`]: the bot's own replies where a question was asked, read back
//!
//! Exactly once: a first delivery is answered without looking (the in-process set in
//! `flows::event` drops quick redeliveries); a redelivery (`X-Slack-Retry-Num` ≥ 1), which may
//! reach a fresh process, first reads the thread for a reply carrying its `event_id`.

mod answer;
mod follow_up;
mod in_place;
mod marker;
mod reply;
mod thread;
mod words;

use std::sync::Arc;
use std::time::Duration;

use self::answer::Shown;
use self::in_place::AnswerHere;
use self::marker::Mark;
use crate::explanation::Outcome;
use crate::flows::ask;
use crate::registry::{EventHandler, Registry, Work};
use crate::services::Services;
use crate::slack::blocks;
use crate::slack::events::{Callback, Delivery, Event, Said};
use crate::slack::interaction::{self, UserId};
use crate::slack::message::Message;
use crate::slack::retry::GiveUp;

/// One post (or read) may take this long, retries included.
const BUDGET: Duration = Duration::from_secs(30);

/// Mentions and DMs, registered: their events, and the Answer button of a choice in a thread.
pub fn register(registry: &mut Registry) {
    registry.events(Arc::new(Mentions));
    registry.buttons(Arc::new(AnswerHere));
}

/// The feature's Events API handler.
pub struct Mentions;

impl EventHandler for Mentions {
    fn name(&self) -> &'static str {
        "mentions"
    }

    fn wants(&self, event: &Event) -> bool {
        match event {
            Event::Mention(said) => is_a_question(said),
            Event::Message(said) => said.in_dm() && is_a_question(said),
            _ => false,
        }
    }

    fn handle<'a>(
        &'a self,
        services: &'a Services,
        callback: &'a Callback,
        delivery: &'a Delivery,
    ) -> Work<'a, ()> {
        Box::pin(respond(services, callback, delivery))
    }
}

/// Someone's own words: no subtype (edits, deletions, joins, `bot_message`) and no app or bot
/// behind them (the bot's own replies included). Pure.
fn is_a_question(said: &Said) -> bool {
    said.subtype.is_none() && said.bot_id.is_none() && !said.user.is_empty()
}

async fn respond(services: &Services, callback: &Callback, delivery: &Delivery) {
    let (Event::Mention(said) | Event::Message(said)) = &callback.event else {
        return;
    };
    let me = match services.slack.identity().await {
        Ok(me) => me,
        Err(gave_up) => {
            tracing::warn!(
                gave_up = gave_up.as_str(),
                "a mention or DM cannot be answered: who the bot is is unknown (SLACK_BOT_TOKEN)"
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
    if delivery.is_redelivery() && thread::answered_already(services, said, me, event_id).await {
        tracing::info!(
            event_id = %blocks::clip(event_id, 40),
            retry_num = delivery.retry_num,
            "a redelivery already answered in its thread; nothing posted"
        );
        return;
    }
    let invocation = words::invocation(&said.text, &me.user_id);
    let earlier = if (said.in_thread() || said.in_dm())
        && answer::could_follow_up(services, &invocation).await
    {
        thread::earlier_reading(services, said, me).await
    } else {
        None
    };
    let answer = answer::answer(services, invocation, earlier.as_deref()).await;
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
    let posted = post(services, said, thread.as_deref(), answer, &mark).await;
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
fn reply_thread(said: &Said) -> Option<String> {
    if said.in_dm() {
        said.thread_ts.clone()
    } else {
        Some(said.reply_thread().to_string())
    }
}

/// The answer as posted where it was asked.
async fn post(
    services: &Services,
    said: &Said,
    thread: Option<&str>,
    answer: answer::Answer,
    mark: &Mark,
) -> Result<(), GiveUp> {
    let slack = &services.slack;
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
        Shown::Public => public(Ok(reply::public(answer.answered.reply, thread, mark))).await,
        Shown::Private if said.in_dm() => {
            public(Ok(reply::public(answer.answered.reply, thread, mark))).await
        }
        Shown::Private => {
            let user = UserId::parse(&said.user).ok_or(GiveUp::Refused(0))?;
            let private = reply::private(answer.answered.reply, thread);
            slack
                .post_ephemeral(channel, user.as_str(), &private, BUDGET)
                .await
                .result?;
            let reading = mark.reading.as_deref().unwrap_or_default();
            public(reply::answered_privately(&user, reading, thread, mark)).await
        }
        Shown::Choices { question, readings } => {
            let available = services.commands.get().await;
            let choices = ask::choices(&available.commands, &readings);
            public(reply::choices(&question, &choices, thread, mark)).await
        }
    }
}
