//! A `/stats` command as typed. It runs as any command; when its words name no command (and
//! are no one-word typo), or name a stat but are no arguments of it, the stats API is asked how
//! to read them (`GET /v1/ask`): a confident reading is answered at once, saying how it was
//! read; otherwise the user gets a choice ("Did you mean…") or a hint. No deadline of its own:
//! the slash flow's covers the question and the stat. Nothing is added before a command is
//! found: `/stats members` never comes here.

use stats_contract::{AskAnswer, AskMatch, ErrorCode};

pub mod message;

use self::message::Choice;
use super::{Answered, Presentation, run_as};
use crate::command_cache::CommandCache;
use crate::commands::Commands;
use crate::error::Error;
use crate::explanation::{Explanation, Outcome};
use crate::render::Context;
use crate::slack::blocks;
use crate::slack::interaction::{self, MAX_READINGS};
use crate::slack::slash_command::{Args, Invocation, parse_text};

/// Why a typed text is asked of the stats API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Asking {
    /// Its first word is no command: the reading decides the reply.
    Words,
    /// Its first word is a stat, the rest words that are not its arguments: a confident reading
    /// is answered; otherwise the arguments' explanation stands.
    Unfit,
}

/// How the stats API read a question, as invocations the bot can run and put on a button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reading {
    Confident {
        first: Invocation,
        others: Vec<Invocation>,
    },
    Choices(Vec<Invocation>),
    Nothing,
}

/// What a typed text came to, for a caller that words the choices itself (a mention answers
/// in its thread).
#[derive(Debug, Clone)]
pub(crate) enum Typed {
    /// It ran: `ran` is the invocation as typed, or the confident reading of its words (the
    /// reply says so).
    Ran { answered: Answered, ran: Invocation },
    /// Unsure: these readings of `question`, best first.
    Choices {
        question: String,
        readings: Vec<Invocation>,
    },
    /// Nothing fits, or a problem before anything ran: the reply as it is.
    Reply(Answered),
}

/// Answers a typed command; see the module's comment.
pub(crate) async fn typed(
    commands: CommandCache,
    command: String,
    invocation: Invocation,
) -> Answered {
    match read_typed(commands.clone(), command.clone(), invocation).await {
        Typed::Ran { answered, .. } | Typed::Reply(answered) => answered,
        Typed::Choices { question, readings } => {
            let available = commands.get().await;
            let choices = choices(&available.commands, &readings);
            let ctx = Context { command: &command };
            match message::did_you_mean(&ctx, Some(&question), &choices) {
                Ok(reply) => Answered::ok(reply, Outcome::DidYouMean),
                Err(error) => Answered::problem(&command, &Explanation::from_error(error, None)),
            }
        }
    }
}

/// A typed command to what it came to; see the module's comment.
pub(crate) async fn read_typed(
    commands: CommandCache,
    command: String,
    invocation: Invocation,
) -> Typed {
    let answered = run_as(
        commands.clone(),
        command.clone(),
        invocation.clone(),
        Presentation::Answer,
    )
    .await;
    if !matches!(
        answered.outcome,
        Outcome::UnknownCommand | Outcome::BadArgument
    ) {
        return Typed::Ran {
            answered,
            ran: invocation,
        };
    }
    let available = commands.get().await;
    let Some(why) = asking(&available.commands, &invocation) else {
        return Typed::Reply(answered);
    };
    let question = words(&invocation);
    let answer = match commands.client().ask(&question).await {
        Ok(answer) => answer,
        Err(error) => return Typed::Reply(unanswered(&command, error, why, answered)),
    };
    let reading = read(&answer);
    tracing::info!(
        question = %blocks::clip(&question, 100),
        confident = matches!(reading, Reading::Confident { .. }),
        matches = answer.matches.len(),
        "asked in words"
    );
    let ctx = Context { command: &command };
    match (reading, why) {
        (Reading::Confident { first, others }, _) => Typed::Ran {
            answered: confident(commands, command.clone(), first.clone(), &others).await,
            ran: first,
        },
        (_, Asking::Unfit) => Typed::Reply(answered),
        (Reading::Choices(readings), Asking::Words) => Typed::Choices { question, readings },
        (Reading::Nothing, Asking::Words) => Typed::Reply(Answered::ok(
            message::no_match(&ctx, &question),
            Outcome::NoMatch,
        )),
    }
}

/// The first reading's answer, as a typed command's (Share button, `response_type`), with
/// "Read as …" and the other readings' button under it, even when it is a problem: the user
/// sees what ran.
pub(crate) async fn confident(
    commands: CommandCache,
    command: String,
    first: Invocation,
    others: &[Invocation],
) -> Answered {
    let shown = interaction::invocation_value(&first).unwrap_or_default();
    let mut answered = run_as(commands, command.clone(), first, Presentation::Answer).await;
    let others = interaction::readings_value(others);
    let ctx = Context { command: &command };
    if let Err(error) = message::read_as(&mut answered.reply, &ctx, &shown, others.as_deref()) {
        tracing::error!(%error, "could not say how a question was read");
    }
    answered
}

/// The stats API did not answer the question. Words that name a stat keep the arguments'
/// explanation, as does a stats API that does not take questions (an older one: 404); words
/// that name nothing get the usual explanation of what went wrong.
fn unanswered(command: &str, error: Error, why: Asking, fallback: Answered) -> Answered {
    let cannot_ask = matches!(
        &error,
        Error::Api {
            code: ErrorCode::NotFound,
            ..
        }
    );
    if why == Asking::Unfit || cannot_ask {
        tracing::warn!(%error, "a question in words went unanswered; the command's own reply stands");
        return fallback;
    }
    Answered::problem(command, &Explanation::from_error(error, None))
}

/// Whether `invocation`, which did not run, is asked, and why. Pure.
pub(crate) fn asking(commands: &Commands, invocation: &Invocation) -> Option<Asking> {
    let args = &invocation.args;
    match commands.find(&invocation.subcommand) {
        // One word close to a command is a typo: "Did you mean `/stats members`?" stands.
        None if args.is_empty() && commands.suggest(&invocation.subcommand).is_some() => None,
        None => Some(Asking::Words),
        Some(command) => {
            // Several plain words; `name=value` is someone writing arguments.
            let words = args.named.is_empty() && args.positional.len() >= 2;
            (words && command.plan(args).is_err()).then_some(Asking::Unfit)
        }
    }
}

/// The text as typed, from its invocation (Slack's entities already decoded). Pure.
pub(crate) fn words(invocation: &Invocation) -> String {
    let mut text = invocation.subcommand.clone();
    for word in &invocation.args.positional {
        text.push(' ');
        text.push_str(word);
    }
    for (key, value) in &invocation.args.named {
        text.push_str(&format!(" {key}={value}"));
    }
    text
}

/// The answer as readings: at most three, each once, each one the bot can write on a button;
/// confident only when the first match is one of them. Pure.
pub(crate) fn read(answer: &AskAnswer) -> Reading {
    let mut readings: Vec<Option<Invocation>> = Vec::new();
    for found in answer.matches.iter().take(MAX_READINGS).map(reading) {
        let seen = found.is_some() && readings.contains(&found);
        readings.push(if seen { None } else { found });
    }
    let first = readings.first().cloned().flatten();
    let all = readings.into_iter().flatten();
    match first {
        Some(first) if answer.confident => Reading::Confident {
            others: all.skip(1).collect(),
            first,
        },
        _ => {
            let all: Vec<Invocation> = all.collect();
            if all.is_empty() {
                Reading::Nothing
            } else {
                Reading::Choices(all)
            }
        }
    }
}

/// One match as an invocation: its `invocation` read like typed text (a leading `/stats `
/// dropped: replies show the user's own command), else its stat and params as `name=value`.
pub(crate) fn reading(found: &AskMatch) -> Option<Invocation> {
    let typed = found.invocation.trim();
    let typed = match typed.strip_prefix('/') {
        Some(slashed) => slashed
            .split_once(char::is_whitespace)
            .map_or("", |(_, rest)| rest),
        None => typed,
    };
    let mut invocation = parse_text(typed);
    if invocation.subcommand.is_empty() {
        let named = named_params(found);
        invocation = Invocation {
            subcommand: found.stat.trim().to_lowercase(),
            args: Args {
                positional: Vec::new(),
                named,
            },
        };
    }
    let usable = !invocation.subcommand.is_empty()
        && !invocation.subcommand.contains(char::is_whitespace)
        && interaction::invocation_value(&invocation).is_some();
    usable.then_some(invocation)
}

/// Readings as "Did you mean…" choices, each with its stat's description when the bot knows
/// the stat. Pure.
pub(crate) fn choices(commands: &Commands, readings: &[Invocation]) -> Vec<Choice> {
    readings
        .iter()
        .filter_map(|reading| {
            Some(Choice {
                value: interaction::invocation_value(reading)?,
                description: commands
                    .find(&reading.subcommand)
                    .map(|c| c.description().to_string())
                    .unwrap_or_default(),
            })
        })
        .collect()
}

/// A match's parameter values as a typed command's `name=value` pairs (names lower-cased,
/// strings as they are, other JSON values as written). Pure.
pub(crate) fn named_params(found: &AskMatch) -> Vec<(String, String)> {
    found
        .params
        .iter()
        .map(|(name, value)| {
            let value = value
                .as_str()
                .map_or_else(|| value.to_string(), String::from);
            (name.to_lowercase(), value)
        })
        .collect()
}

#[cfg(test)]
mod tests;
