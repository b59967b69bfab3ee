//! An alert's Slack messages, from what `wording` says: the incident or milestone
//! (`templates/alerts/incident.json`) with the stat's own answer under it (its blocks as they
//! were rendered) and the state as message metadata (`metadata`); the thread reply; and
//! `/stats alerts` (`templates/alerts/listing.json`).

use askama::Template;
use chrono::{DateTime, Utc};
use stats_contract::ResponseType;

use super::machine::AlertState;
use super::number::Num;
use super::{Alert, metadata, wording};
use crate::error::{Error, Result};
use crate::slack::blocks::MAX_BLOCKS;
use crate::slack::json::json_inner;
use crate::slack::message::{Blocks, Message};

#[derive(Template)]
#[template(path = "alerts/incident.json", blocks = ["text", "blocks"])]
struct AlertView<'a> {
    title: &'a str,
    name: &'a str,
    text_json: String,
    condition_json: String,
    context_json: Option<String>,
    buttons: bool,
}

/// A finished mrkdwn string as a JSON string literal, quotes included.
fn json(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

fn compose(alert: &Alert, words: &wording::AlertMessage) -> Result<Message> {
    let context: Vec<&str> = [
        words.since.as_deref(),
        Some(words.state.as_str()).filter(|s| !s.is_empty()),
        words.silenced.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let view = AlertView {
        title: &words.title,
        name: &alert.name,
        text_json: json_inner(&words.text),
        condition_json: json(&words.condition),
        context_json: (!context.is_empty()).then(|| json(&context.join(" · "))),
        buttons: words.buttons,
    };
    let count = 2 + usize::from(view.context_json.is_some()) + usize::from(view.buttons);
    let failed = |e: askama::Error| Error::Rendering(format!("alert template: {e}"));
    let text = view.as_text().render().map_err(failed)?;
    let blocks = view.as_blocks().render().map_err(failed)?;
    Message::new(text).with_blocks(Blocks::rendered(blocks, count))
}

/// The incident's message for `alert` in `state`, with the stat's `answer` (as `/stats` shows
/// it) under it, and the state as metadata.
pub fn incident(
    alert: &Alert,
    state: &AlertState,
    now: DateTime<Utc>,
    answer: &[Blocks],
) -> Result<Message> {
    let mut message = compose(alert, &wording::message(alert, state, now))?;
    for blocks in answer {
        // An answer too long to fit under the alert is left out, not cut in the middle.
        if message.block_count() + blocks.count() > MAX_BLOCKS {
            break;
        }
        message.push(blocks.clone())?;
    }
    message.metadata = Some(metadata::write(&alert.name, state));
    Ok(message)
}

/// A milestone's message: the mark it carries is `state`'s.
pub fn milestone(
    alert: &Alert,
    column: &str,
    reached: i64,
    value: Num,
    state: &AlertState,
) -> Result<Message> {
    let mut message = compose(alert, &wording::milestone(alert, column, reached, value))?;
    message.metadata = Some(metadata::write(&alert.name, state));
    Ok(message)
}

/// The reply in an incident's thread when it ends.
pub fn resolution_reply(state: &AlertState, thread_ts: &str) -> Option<Message> {
    let mut reply = Message::text(&wording::resolution_reply(state)?);
    reply.thread_ts = Some(thread_ts.to_string());
    Some(reply)
}

#[derive(Template)]
#[template(path = "alerts/listing.json", blocks = ["text", "blocks"])]
struct ListingView<'a> {
    command: &'a str,
    sections_json: Vec<String>,
    count: usize,
    more: usize,
}

/// Lines per section: each is a few hundred characters at most; Slack takes 3000 a section.
const PER_SECTION: usize = 5;
/// More would pass Block Kit's 50 blocks.
const MAX_LISTED: usize = 200;

/// `/stats alerts`: one line per alert (`wording::ListingRow::line`), private.
pub fn listing(command: &str, rows: &[wording::ListingRow]) -> Result<Message> {
    let lines: Vec<String> = rows.iter().take(MAX_LISTED).map(|r| r.line()).collect();
    let view = ListingView {
        command,
        sections_json: lines
            .chunks(PER_SECTION)
            .map(|chunk| json(&chunk.join("\n")))
            .collect(),
        count: rows.len(),
        more: rows.len().saturating_sub(MAX_LISTED),
    };
    let count = if view.count == 0 {
        1
    } else {
        1 + view.sections_json.len() + usize::from(view.more > 0)
    };
    let failed = |e: askama::Error| Error::Rendering(format!("alerts template: {e}"));
    let text = view.as_text().render().map_err(failed)?;
    let blocks = view.as_blocks().render().map_err(failed)?;
    Message::new(text)
        .with_response_type(ResponseType::Ephemeral)
        .with_blocks(Blocks::rendered(blocks, count))
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};
    use serde_json::Value;

    use super::*;
    use crate::alerts::file::parse;
    use crate::alerts::machine::{Failure, MessageRef, Phase, Reading, Silence};
    use crate::slack::blocks;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn alert() -> Alert {
        let text = "[[alerts]]\nname = \"head-count_1\"\nchannel = \"C0123456789\"\n\
                    stat = \"members\"\nschedule = \"*/15 * * * *\"\nwhen = \"total >= 38\"\n\
                    title = \"Q&A <team>\"";
        parse(text).unwrap().remove(0)
    }

    fn reading() -> Reading {
        Reading {
            value: "38".into(),
            words: "`a<b>` is 38 & more".into(),
        }
    }

    fn states() -> Vec<AlertState> {
        let since = at("2026-03-09T08:00:00Z");
        let message = Some(MessageRef {
            channel: "C0123456789".into(),
            ts: "1773043200.000100".into(),
        });
        let phases = [
            Phase::Unknown,
            Phase::Ok { since },
            Phase::Pending {
                since,
                reading: reading(),
            },
            Phase::Firing {
                since,
                reading: reading(),
                message: message.clone(),
            },
            Phase::Resolved {
                since,
                ended: at("2026-03-09T09:05:00Z"),
                reading: reading(),
                message,
            },
        ];
        let mut states = Vec::new();
        for phase in phases {
            let plain = AlertState {
                phase,
                ..AlertState::default()
            };
            let mut troubled = plain.clone();
            troubled.failure = Some(Failure {
                since: at("2026-03-09T08:10:00Z"),
                why: "the stat has no column `<!here>`".into(),
            });
            troubled.silence = Some(Silence {
                until: at("2026-03-10T08:00:00Z"),
                by: "U0123456789".into(),
            });
            states.extend([plain, troubled]);
        }
        states
    }

    fn buttons(message: &Value) -> Vec<(String, String)> {
        let blocks = message["blocks"].as_array().unwrap();
        let actions = blocks.iter().filter(|b| b["type"] == "actions");
        actions
            .flat_map(|b| b["elements"].as_array().unwrap().clone())
            .map(|e| {
                let text = |v: &Value| v.as_str().unwrap().to_string();
                (text(&e["action_id"]), text(&e["value"]))
            })
            .collect()
    }

    #[test]
    fn every_state_is_valid_block_kit_escaped_once_with_its_state_as_metadata() {
        let now = at("2026-03-09T08:20:00Z");
        let answer = [Blocks::one(
            r#"{"type":"section","text":{"type":"mrkdwn","text":"*38*"}}"#.into(),
        )];
        for state in states() {
            let message = incident(&alert(), &state, now, &answer).unwrap();
            let json = message.to_value();
            assert_eq!(blocks::check(&json), Ok(()), "{json:#}");
            let all = json.to_string();
            assert!(
                !all.contains("&amp;lt;") && !all.contains("&amp;amp;"),
                "{all}"
            );
            assert!(!all.contains("<!here>"), "{all}");
            assert_eq!(json["metadata"]["event_type"], "statsbot_alert");
            assert_eq!(json["metadata"]["event_payload"]["alert"], "head-count_1");
            assert_eq!(json["blocks"][0]["text"]["text"], "Q&amp;A &lt;team&gt;");
            assert!(
                all.contains("*38*"),
                "the stat's own answer under it: {all}"
            );
            let firing = matches!(state.phase, Phase::Firing { .. });
            if firing {
                assert!(all.contains("`a&lt;b&gt;` is 38 &amp; more"), "{all}");
                let ids: Vec<(String, String)> = ["alert_silence_1h", "alert_silence_24h"]
                    .into_iter()
                    .chain(["alert_check"])
                    .map(|id| (id.to_string(), "head-count_1".to_string()))
                    .collect();
                assert_eq!(buttons(&json), ids);
            } else {
                assert!(buttons(&json).is_empty(), "{all}");
            }
            if state.silence.is_some() {
                assert!(
                    all.contains("Silenced by <@U0123456789> until <!date^"),
                    "{all}"
                );
            }
        }
    }

    #[test]
    fn a_milestone_and_a_thread_reply() {
        let state = AlertState {
            milestone: Some(1000),
            ..AlertState::default()
        };
        let message = milestone(&alert(), "total", 1000, Num::int(1004), &state).unwrap();
        let json = message.to_value();
        assert_eq!(blocks::check(&json), Ok(()), "{json:#}");
        assert!(
            json.to_string()
                .contains("`total` passed 1,000 (now 1,004)")
        );
        assert_eq!(json["metadata"]["event_payload"]["milestone"], 1000);
        assert!(buttons(&json).is_empty());

        let resolved = &states()[8];
        let reply = resolution_reply(resolved, "1773043200.000100").unwrap();
        let json = reply.to_value();
        assert_eq!(json["thread_ts"], "1773043200.000100");
        assert!(json.get("response_type").is_none(), "{json}");
        assert!(
            json["text"]
                .as_str()
                .unwrap()
                .starts_with("Resolved after 1 h 5 min: ")
        );
        assert!(
            resolution_reply(&states()[6], "1").is_none(),
            "only once resolved"
        );
    }
}
