//! One `/stats` invocation to its message: find the command, plan, ask the stats API, render,
//! and show it as the caller needs (a Share button, "Shared by"). No deadline: the flows keep
//! their own.

use super::sharing;
use crate::command_cache::CommandCache;
use crate::commands::Plan;
use crate::error::Error;
use crate::explanation::{Explanation, Outcome};
use crate::render::Context;
use crate::slack::blocks;
use crate::slack::interaction::{self, UserId};
use crate::slack::message::Message;
use crate::slack::slash_command::Invocation;
use stats_contract::{Display, ErrorCode, ResponseType, StatResult};

/// The reply to send now, and a word for the log.
#[derive(Debug, Clone)]
pub struct Answered {
    pub reply: Message,
    pub outcome: Outcome,
}

impl Answered {
    pub(crate) fn problem(command: &str, problem: &Explanation) -> Answered {
        Answered {
            reply: problem.reply(&Context { command }),
            outcome: problem.outcome(),
        }
    }
}

/// Runs one invocation to its reply (or problem), however long it takes, rendered as its
/// command renders it (no buttons: for callers that post it themselves). Owns what it uses,
/// so it can outlive the request.
pub async fn run(commands: CommandCache, command: String, invocation: Invocation) -> Answered {
    run_as(commands, command, invocation, Presentation::AsRendered).await
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
    commands: CommandCache,
    command: String,
    invocation: Invocation,
    presentation: Presentation,
) -> Answered {
    let ctx = Context { command: &command };
    match reply_for(&commands, &ctx, &invocation, &presentation).await {
        Ok(reply) => Answered {
            reply,
            outcome: Outcome::Ok,
        },
        Err(problem) => Answered::problem(&command, &problem),
    }
}

/// A stat's answer for a check (an alert's): the reply as `/stats` renders it, its data and
/// how it is shown. `Err` is the problem as a user would be told it, with its outcome.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub reply: Message,
    pub data: StatResult,
    pub display: Display,
}

/// Runs `invocation` as [`run`] does, keeping its data; a command without data (help) is
/// [`Outcome::UnknownStat`]: there is nothing to check.
pub async fn fetch(
    commands: CommandCache,
    command: String,
    invocation: Invocation,
) -> Result<Fetched, Answered> {
    let ctx = Context { command: &command };
    match answer(&commands, &ctx, &invocation).await {
        Ok((reply, Some((data, display)), _)) => Ok(Fetched {
            reply,
            data,
            display,
        }),
        Ok((reply, None, _)) => Err(Answered {
            reply,
            outcome: Outcome::UnknownStat,
        }),
        Err(problem) => Err(Answered::problem(&command, &problem)),
    }
}

async fn reply_for(
    cache: &CommandCache,
    ctx: &Context<'_>,
    invocation: &Invocation,
    presentation: &Presentation,
) -> Result<Message, Explanation> {
    let (reply, data, response_type) = answer(cache, ctx, invocation).await?;
    let Some((data, _)) = data else {
        return Ok(reply);
    };
    let shown = match presentation {
        Presentation::AsRendered => return Ok(reply),
        Presentation::Answer if response_type == ResponseType::InChannel => {
            return Ok(reply);
        }
        Presentation::Answer | Presentation::Private => {
            let value = interaction::invocation_value(invocation);
            sharing::private_with_share(reply, value.as_deref())
        }
        Presentation::SharedBy(user) => sharing::shared_by(
            reply,
            user,
            data.generated_at.as_deref(),
            chrono::Utc::now(),
        ),
    };
    shown.map_err(|error| Explanation::from_error(error, None))
}

/// The reply as rendered, the data with its display when the command fetched any, and where
/// the command's answers go.
type Answer = (Message, Option<(StatResult, Display)>, ResponseType);

async fn answer(
    cache: &CommandCache,
    ctx: &Context<'_>,
    invocation: &Invocation,
) -> Result<Answer, Explanation> {
    let available = cache.get().await;
    let commands = &available.commands;
    let Some(command) = commands.find(&invocation.subcommand) else {
        // Without the catalogue we cannot tell a typo from a stat we failed to load.
        if let Some(error) = available.catalogue_error {
            return Err(Explanation::from_error(error, None));
        }
        return Err(Explanation::UnknownCommand {
            given: blocks::clip(&invocation.subcommand, 40).into_owned(),
            suggestion: commands.suggest(&invocation.subcommand).map(String::from),
        });
    };
    let bad_argument = |issue| Explanation::BadArgument {
        usage: command.usage(),
        issue,
    };
    let data = match command.plan(&invocation.args).map_err(bad_argument)? {
        Plan::Local => {
            if let Some(preparing) = command.prepare() {
                preparing.await;
            }
            None
        }
        Plan::Fetch { stat, params } => match cache.client().stat(&stat, &params).await {
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
                    cache.invalidate();
                    let _ = cache.get().await;
                }
                return Err(match Explanation::from_error(error, Some(&stat)) {
                    Explanation::BadArgument { issue, .. } => bad_argument(issue),
                    other => other,
                });
            }
        },
    };
    let reply = command
        .render(ctx, data.as_ref())
        .map_err(|error| Explanation::from_error(error, None))?;
    let display = command.display();
    let data = data.map(|data| {
        let display = data.display.or(display).unwrap_or(Display::Figures);
        (data, display)
    });
    Ok((reply, data, command.response_type()))
}
