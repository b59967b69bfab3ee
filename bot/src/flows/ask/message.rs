//! Answers to a question in words (`/stats how many joined this week`): how the words were read,
//! under the stat's answer ("Read as `/stats growth 7`", and an "Other readings" button); a
//! choice of readings when none is clearly right ("Did you mean…", a Run button each); or that
//! no stat fits. The wording is in `templates/flows/ask/`: `read_as.json`,
//! `other_readings.json`, `did_you_mean.json` and `no_match.json`. Pure.

use askama::Template;

use crate::error::Result;
use crate::render::Context;
use crate::slack::blocks;
use crate::slack::message::Message;

/// The question echoed back, and a reading as shown, are kept short.
const MAX_QUESTION: usize = 150;
const MAX_READING: usize = 200;
const MAX_DESCRIPTION: usize = 150;

/// One reading offered in "Did you mean…".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// What its Run button runs (`interaction::invocation_value`), e.g. `growth 7`.
    pub value: String,
    /// The stat's description, when the bot knows the stat.
    pub description: String,
}

struct ChoiceView {
    shown: String,
    value: String,
    description: String,
}

#[derive(Template)]
#[template(path = "flows/ask/did_you_mean.json")]
struct DidYouMeanView<'a> {
    command: &'a str,
    question: Option<&'a str>,
    choices: Vec<ChoiceView>,
}

#[derive(Template)]
#[template(path = "flows/ask/no_match.json")]
struct NoMatchView<'a> {
    command: &'a str,
    question: &'a str,
}

#[derive(Template)]
#[template(path = "flows/ask/read_as.json")]
struct ReadAsView<'a> {
    command: &'a str,
    reading: &'a str,
}

#[derive(Template)]
#[template(path = "flows/ask/other_readings.json")]
struct OtherReadingsView<'a> {
    value: &'a str,
}

/// A private "Did you mean…" with a Run button for each choice; `question` is echoed when
/// given (the reply to the question itself, not to "Other readings").
pub fn did_you_mean(
    ctx: &Context<'_>,
    question: Option<&str>,
    choices: &[Choice],
) -> Result<Message> {
    let command = blocks::clip(ctx.command, 40);
    let question = question.map(|q| blocks::clip(q.trim(), MAX_QUESTION));
    let choices = choices
        .iter()
        .filter(|c| {
            !c.value.trim().is_empty() && blocks::escaped_len(&c.value) <= blocks::MAX_BUTTON_VALUE
        })
        .map(|c| ChoiceView {
            shown: blocks::clip(&c.value, MAX_READING).into_owned(),
            value: c.value.clone(),
            description: blocks::clip(&c.description, MAX_DESCRIPTION).into_owned(),
        })
        .collect();
    let view = DidYouMeanView {
        command: &command,
        question: question.as_deref(),
        choices,
    };
    Message::from_rendered(&view.render()?)
}

/// The private hint for a question no stat fits. Never fails, like an `Explanation`'s message.
pub fn no_match(ctx: &Context<'_>, question: &str) -> Message {
    let command = blocks::clip(ctx.command, 40);
    let question = blocks::clip(question.trim(), MAX_QUESTION);
    let view = NoMatchView {
        command: &command,
        question: &question,
    };
    match view.render() {
        Ok(json) => Message::from_rendered(&json).unwrap_or_else(|_| no_match_plain()),
        Err(e) => {
            tracing::error!(error = %e, "no_match template failed");
            no_match_plain()
        }
    }
}

fn no_match_plain() -> Message {
    Message::plain("I couldn't match that to a stat.")
}

/// Adds to `reply` how the question was read (`reading`, what ran) and, when there are other
/// readings (`others`, from `interaction::readings_value`), the button that offers them.
pub fn read_as(
    reply: &mut Message,
    ctx: &Context<'_>,
    reading: &str,
    others: Option<&str>,
) -> Result<()> {
    let command = blocks::clip(ctx.command, 40);
    let reading = blocks::clip(reading, MAX_READING);
    let line = ReadAsView {
        command: &command,
        reading: &reading,
    };
    reply.push_block(&line.render()?)?;
    if let Some(value) = others.filter(|v| blocks::escaped_len(v) <= blocks::MAX_BUTTON_VALUE) {
        reply.push_block(&OtherReadingsView { value }.render()?)?;
    }
    Ok(())
}
