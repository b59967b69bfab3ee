//! The reply to a mention or a DM, as it is posted: in the thread (or the DM), carrying its
//! [`Mark`]; privately when the stat is declared `ephemeral`, with a line in the thread saying
//! so (which carries the mark: a private message is in no history); or a choice of readings
//! whose buttons answer in place. Wording in `templates/mentions/`. Pure.

use askama::Template;

use super::marker::Mark;
use crate::error::Result;
use crate::flows::ask::message::Choice;
use crate::slack::blocks;
use crate::slack::interaction::UserId;
use crate::slack::message::{Blocks, Message};
use crate::slack::slash_command::COMMAND;

/// The `block_id` of a choice names the event it answers: `answer_here:{event_id}:{n}`.
const BLOCK_PREFIX: &str = "answer_here:";
const MAX_QUESTION: usize = 150;
const MAX_READING: usize = 200;
const MAX_DESCRIPTION: usize = 150;

struct ChoiceView {
    shown: String,
    value: String,
    description: String,
    block_id: String,
}

#[derive(Template)]
#[template(path = "mentions/did_you_mean.json", blocks = ["text", "blocks"])]
struct ChoicesView<'a> {
    command: &'a str,
    question: &'a str,
    choices: Vec<ChoiceView>,
}

#[derive(Template)]
#[template(path = "mentions/answered_privately.json", blocks = ["text", "blocks"])]
struct PrivatelyView<'a> {
    command: &'a str,
    user: &'a str,
    reading: &'a str,
}

/// `reply` for everyone in the thread (or the DM), carrying `mark`.
pub fn public(mut reply: Message, thread_ts: Option<&str>, mark: &Mark) -> Message {
    reply.response_type = None;
    reply.replace_original = None;
    reply.thread_ts = thread_ts.map(String::from);
    reply.metadata = Some(mark.metadata());
    reply
}

/// `reply` for the asker alone (`chat.postEphemeral`), in the thread.
pub fn private(mut reply: Message, thread_ts: Option<&str>) -> Message {
    reply.thread_ts = thread_ts.map(String::from);
    reply
}

/// The line in the thread when `user` was answered privately with `reading`.
pub fn answered_privately(
    user: &UserId,
    reading: &str,
    thread_ts: Option<&str>,
    mark: &Mark,
) -> Result<Message> {
    let view = PrivatelyView {
        command: COMMAND,
        user: user.as_str(),
        reading: &blocks::clip(reading, MAX_READING),
    };
    let line = Message::new(view.as_text().render()?)
        .with_blocks(Blocks::one(view.as_blocks().render()?))?;
    Ok(public(line, thread_ts, mark))
}

/// "Did you mean…" in the thread, for everyone: each choice's button answers in place of it.
pub fn choices(
    question: &str,
    choices: &[Choice],
    thread_ts: Option<&str>,
    mark: &Mark,
) -> Result<Message> {
    let event = event_slug(&mark.event_id);
    let choices = choices
        .iter()
        .filter(|c| {
            !c.value.trim().is_empty() && blocks::escaped_len(&c.value) <= blocks::MAX_BUTTON_VALUE
        })
        .enumerate()
        .map(|(i, c)| ChoiceView {
            shown: blocks::clip(&c.value, MAX_READING).into_owned(),
            value: c.value.clone(),
            description: blocks::clip(&c.description, MAX_DESCRIPTION).into_owned(),
            block_id: format!("{BLOCK_PREFIX}{event}:{i}"),
        })
        .collect();
    let view = ChoicesView {
        command: COMMAND,
        question: &blocks::clip(question.trim(), MAX_QUESTION),
        choices,
    };
    let count = 2 + view.choices.len();
    let reply = Message::new(view.as_text().render()?)
        .with_blocks(Blocks::rendered(view.as_blocks().render()?, count))?;
    Ok(public(reply, thread_ts, mark))
}

/// The event a choice's `block_id` answers, when it is one of these.
pub fn event_of_block(block_id: &str) -> Option<String> {
    let rest = block_id.strip_prefix(BLOCK_PREFIX)?;
    let (event, _) = rest.rsplit_once(':')?;
    (!event.is_empty() && event == event_slug(event)).then(|| event.to_string())
}

/// An event id as it may go into a `block_id`: Slack's ids are letters and digits.
fn event_slug(event_id: &str) -> String {
    event_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(100)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark() -> Mark {
        Mark {
            event_id: "Ev0123ABCDEF".into(),
            reading: Some("growth 7".into()),
        }
    }

    #[test]
    fn a_public_reply_goes_in_the_thread_with_its_mark() {
        let answer = Message::text("There are 12 members.")
            .with_response_type(stats_contract::ResponseType::InChannel);
        let reply = public(answer, Some("1700.0001"), &mark());
        let sent = reply.to_value();
        assert_eq!(sent["thread_ts"], "1700.0001");
        assert_eq!(sent["metadata"]["event_type"], "statsbot_answer");
        assert_eq!(
            sent["metadata"]["event_payload"]["event_id"],
            "Ev0123ABCDEF"
        );
        assert_eq!(sent["metadata"]["event_payload"]["reading"], "growth 7");
        assert!(sent.get("response_type").is_none());
    }

    #[test]
    fn choices_answer_in_place_and_name_their_event() {
        let offered = [
            Choice {
                value: "growth 7".into(),
                description: "Members who joined <lately> & more".into(),
            },
            Choice {
                value: "signups".into(),
                description: String::new(),
            },
        ];
        let reply = choices("how many <!channel> joined", &offered, None, &mark()).unwrap();
        let sent = reply.to_value();
        if let Err(problems) = blocks::check(&sent) {
            panic!("{problems:?}: {sent:#}");
        }
        let text = sent.to_string();
        assert!(text.contains("&lt;!channel&gt;"), "{text}");
        assert!(!text.contains("<!channel>"), "{text}");
        assert_eq!(sent["blocks"][1]["accessory"]["action_id"], "answer_here");
        assert_eq!(sent["blocks"][1]["accessory"]["value"], "growth 7");
        let block_id = sent["blocks"][2]["block_id"].as_str().unwrap();
        assert_eq!(event_of_block(block_id).as_deref(), Some("Ev0123ABCDEF"));
        assert!(
            sent.get("thread_ts").is_none(),
            "a DM answers in the conversation"
        );
        assert_eq!(event_of_block("=qXel"), None);
        assert_eq!(event_of_block("answer_here::0"), None);
    }

    #[test]
    fn answered_privately_names_the_asker_and_carries_the_mark() {
        let user = UserId::parse("U0456EFGH").unwrap();
        let line = answered_privately(&user, "salaries", Some("1700.0001"), &mark()).unwrap();
        let sent = line.to_value();
        assert!(sent.to_string().contains("<@U0456EFGH>"));
        assert_eq!(
            sent["metadata"]["event_payload"]["event_id"],
            "Ev0123ABCDEF"
        );
        assert!(blocks::check(&sent).is_ok());
    }
}
