//! The "Answer" button of a choice offered in a thread or a DM (`answer_here`): the reading
//! pressed is answered in place of the choice (`chat.update`), where everyone who saw the
//! question sees it, with "Read as" and the reply's mark (the event it answers, from the
//! button's `block_id`), so a follow-up in the thread reads against it. A stat declared
//! `ephemeral` is shown to the presser alone, in the thread, and the choice stays. The press
//! posts nothing to `response_url`; a failure is a private note there.

use std::time::Duration;

use stats_contract::ResponseType;

use super::marker::Mark;
use super::reply;
use crate::explanation::Outcome;
use crate::flows::ask;
use crate::registry::{Buttons, Pressed, Work};
use crate::services::Services;
use crate::slack::blocks;
use crate::slack::interaction::{self, Action, BlockActions};
use crate::slack::message::Message;
use crate::slack::retry::GiveUp;
use crate::slack::slash_command::{COMMAND, Invocation, parse_text};

/// `action_id` of a reading offered in a thread or a DM; its `value` is the invocation (read
/// like typed text), its `block_id` names the event asked (`reply::event_of_block`).
pub const ANSWER_HERE: &str = "answer_here";

const BUDGET: Duration = Duration::from_secs(30);

/// The button, registered with the feature.
pub struct AnswerHere;

impl Buttons for AnswerHere {
    fn owns(&self, action_id: &str) -> bool {
        action_id == ANSWER_HERE
    }

    fn press<'a>(
        &'a self,
        services: &'a Services,
        pressed: &'a BlockActions,
        action: &'a Action,
    ) -> Work<'a, Pressed> {
        Box::pin(async move {
            let invocation = parse_text(&action.value);
            let stale = invocation.subcommand.is_empty()
                || action.value.len() > interaction::MAX_VALUE
                || pressed.channel_id.is_empty()
                || pressed.message_ts.is_empty();
            if stale {
                return note(
                    "That button doesn't work any more, so I ran nothing.",
                    Outcome::StaleButton,
                );
            }
            let event_id = reply::event_of_block(&action.block_id).unwrap_or_default();
            match answer(services, pressed, event_id, invocation).await {
                Ok(outcome) => Pressed {
                    replies: Vec::new(),
                    outcome,
                },
                Err(gave_up) => {
                    tracing::warn!(
                        gave_up = gave_up.as_str(),
                        "a choice could not be answered in place"
                    );
                    note(
                        "Slack did not take the answer; try again in a moment.",
                        Outcome::Internal,
                    )
                }
            }
        })
    }
}

/// A private note beside the message pressed.
fn note(text: &str, outcome: Outcome) -> Pressed {
    let mut reply = Message::plain(text);
    reply.replace_original(false);
    Pressed {
        replies: vec![reply],
        outcome,
    }
}

async fn answer(
    services: &Services,
    pressed: &BlockActions,
    event_id: String,
    invocation: Invocation,
) -> Result<Outcome, GiveUp> {
    let subcommand = blocks::clip(&invocation.subcommand, 40).into_owned();
    let mark = Mark {
        event_id,
        reading: interaction::invocation_value(&invocation),
    };
    let commands = services.commands.clone();
    let answered = ask::confident(commands, COMMAND.into(), invocation, &[]).await;
    let private = answered.outcome == Outcome::Ok
        && answered.reply.response_type == Some(ResponseType::Ephemeral);
    let slack = &services.slack;
    let channel = pressed.channel_id.as_str();
    let outcome = answered.outcome;
    let sent = if private {
        let message = reply::private(answered.reply, pressed.thread_ts.as_deref());
        let by = pressed.user.as_str();
        slack.post_ephemeral(channel, by, &message, BUDGET).await
    } else {
        let message = reply::public(answered.reply, None, &mark);
        slack
            .update(channel, &pressed.message_ts, &message, BUDGET)
            .await
    };
    tracing::info!(
        subcommand,
        outcome = outcome.as_str(),
        private,
        delivered = sent.result.is_ok(),
        "a choice answered in place"
    );
    sent.result.map(|_| outcome)
}
