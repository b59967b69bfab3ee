//! A mention's or a DM's words to their answer, exactly as `/stats` text (a command runs, words
//! are asked of `/v1/ask`, a typo gets its suggestion), or, in a thread the bot answered, as a
//! follow-up of its earlier reading (`follow_up`). Says what ran (for the reply's mark) and
//! how the reply is shown. No deadline: an event's answer is posted when it is ready.

use stats_contract::ResponseType;

use super::follow_up::{self, Earlier};
use crate::commands::Plan;
use crate::explanation::Outcome;
use crate::flows::Answered;
use crate::flows::ask::{self, Typed};
use crate::services::Services;
use crate::slack::slash_command::{COMMAND, Invocation, parse_text};

/// How the answer is shown.
#[derive(Debug, Clone)]
pub(crate) enum Shown {
    /// In the thread (or the DM), for everyone there.
    Public,
    /// To the asker alone: the stat is declared `ephemeral`.
    Private,
    /// Unsure: these readings of `question`, offered in the thread.
    Choices {
        question: String,
        readings: Vec<Invocation>,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct Answer {
    /// The reply (unused for `Choices`, which the caller words).
    pub answered: Answered,
    /// The invocation that ran, if one did.
    pub reading: Option<Invocation>,
    pub shown: Shown,
}

impl Answer {
    fn ran(answered: Answered, reading: Invocation) -> Answer {
        let private = answered.outcome == Outcome::Ok
            && answered.reply.response_type == Some(ResponseType::Ephemeral);
        Answer {
            answered,
            reading: Some(reading),
            shown: if private {
                Shown::Private
            } else {
                Shown::Public
            },
        }
    }
}

/// Whether `invocation`'s words could follow up an earlier reading: they are words, not a
/// command (`signups 3` is read as typed).
pub(crate) async fn could_follow_up(services: &Services, invocation: &Invocation) -> bool {
    if invocation.subcommand.is_empty() {
        return false;
    }
    let available = services.commands.get().await;
    available.commands.find(&invocation.subcommand).is_none()
}

/// The answer to `invocation`; `earlier` is the bot's latest reading in the thread, if any.
pub(crate) async fn answer(
    services: &Services,
    invocation: Invocation,
    earlier: Option<&str>,
) -> Answer {
    if let Some(earlier) = earlier
        && let Some(follow) = follow(services, earlier, &invocation).await
    {
        tracing::info!(earlier = %crate::slack::blocks::clip(earlier, 100), "a follow-up in a thread");
        let commands = services.commands.clone();
        let answered = ask::confident(commands, COMMAND.into(), follow.clone(), &[]).await;
        return Answer::ran(answered, follow);
    }
    match ask::read_typed(services.commands.clone(), COMMAND.into(), invocation).await {
        Typed::Ran { answered, ran, .. } => Answer::ran(answered, ran),
        Typed::Choices { question, readings } => Answer {
            answered: Answered::problem(COMMAND, &crate::explanation::Explanation::Internal),
            reading: None,
            shown: Shown::Choices { question, readings },
        },
        Typed::Reply(answered) => Answer {
            answered,
            reading: None,
            shown: Shown::Public,
        },
    }
}

/// The follow-up `invocation`'s words make of the `earlier` reading, if they make one.
async fn follow(services: &Services, earlier: &str, invocation: &Invocation) -> Option<Invocation> {
    if !could_follow_up(services, invocation).await {
        return None;
    }
    let earlier = parse_text(earlier);
    let available = services.commands.get().await;
    let Ok(Plan::Fetch { stat, params }) = available
        .commands
        .find(&earlier.subcommand)?
        .plan(&earlier.args)
    else {
        return None;
    };
    let earlier = Earlier { stat, params };
    let question = follow_up::question(&earlier, &ask::words(invocation));
    match services.stats().ask(&question).await {
        Ok(answer) => follow_up::follow_up(&earlier, &answer),
        Err(error) => {
            tracing::warn!(%error, "a follow-up could not be asked; the words are asked afresh");
            None
        }
    }
}
