//! One digest as one Slack message: a header, the intro, each stat's blocks exactly as its
//! `/stats` answer renders them, a note for each stat that could not be shown, and a context
//! line saying when it was generated. Pure: rendered stats in, the message out.
//!
//! Block Kit allows 50 blocks a message. The frame takes at most four (header, intro, notes,
//! footer) and each stat after the first a divider; a stat whose blocks would not fit is left
//! out whole, with a note saying how to ask for it, rather than cut in the middle.

use askama::Template;
use chrono::{DateTime, Utc};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::error::Result;
use crate::slack::blocks::{self, MAX_BLOCKS, MAX_HEADER_TEXT, MAX_MESSAGE_TEXT, MAX_SECTION_TEXT};
use crate::slack::message::Message;

/// Notes shown in the context line (a context element holds at most 3000 characters).
const MAX_NOTES: usize = 8;
const MAX_NOTE_STAT: usize = 60;
const MAX_NOTE_WHY: usize = 250;
/// Header, intro, notes and footer.
const FRAME_BLOCKS: usize = 4;

/// What became of one of a digest's stats.
#[derive(Debug, Clone)]
pub enum StatOutcome {
    /// Rendered as its `/stats` answer: that message's fallback text and blocks, as rendered.
    Shown {
        text: String,
        blocks: Vec<Box<RawValue>>,
    },
    /// Not shown; the explanation a user would have got (Slack-escaped already).
    NotShown { why: String },
}

/// A stat of the digest, as the file names it (`growth 7`), and what became of it.
#[derive(Debug, Clone)]
pub struct RenderedStat {
    pub stat: String,
    pub outcome: StatOutcome,
}

impl RenderedStat {
    /// From a `/stats` reply: its blocks when it answered, its explanation when it did not.
    pub fn from_reply(stat: &str, reply: &Message, answered: bool) -> RenderedStat {
        let parts = reply.to_parts().unwrap_or_default();
        let text = parts.text;
        let outcome = if answered && !parts.blocks.is_empty() {
            StatOutcome::Shown {
                text,
                blocks: parts.blocks,
            }
        } else if answered && !text.is_empty() {
            let section = serde_json::json!({
                "type": "section", "text": { "type": "mrkdwn", "text": text }
            });
            StatOutcome::Shown {
                blocks: vec![RawValue::from_string(section.to_string()).expect("JSON")],
                text,
            }
        } else {
            StatOutcome::NotShown { why: text }
        };
        RenderedStat {
            stat: stat.to_string(),
            outcome,
        }
    }
}

struct Note {
    stat: String,
    why_json: Option<String>,
}

#[derive(Template)]
#[template(path = "digests/digest.json")]
struct DigestView<'a> {
    command: &'a str,
    title: String,
    intro: Option<String>,
    stats: Vec<Vec<String>>,
    texts_json: Vec<String>,
    notes: Vec<Note>,
    generated_unix: i64,
    generated: String,
}

/// The message (`text` and `blocks`, ready for `chat.postMessage`), inside Block Kit's limits.
/// `command` is how the footer names the slash command (`/stats`).
pub fn compose(
    command: &str,
    title: &str,
    intro: Option<&str>,
    stats: &[RenderedStat],
    generated: DateTime<Utc>,
) -> Result<Message> {
    let mut budget = MAX_BLOCKS - FRAME_BLOCKS;
    let mut shown = Vec::new();
    let mut texts_json = Vec::new();
    let mut notes = Vec::new();
    for stat in stats {
        let note = |why: Option<&str>| Note {
            stat: blocks::clip(&stat.stat, MAX_NOTE_STAT).into_owned(),
            why_json: why.map(|w| json_inner(&blocks::clip(w, MAX_NOTE_WHY))),
        };
        match &stat.outcome {
            StatOutcome::Shown { text, blocks } => {
                let needs = blocks.len() + usize::from(!shown.is_empty());
                if needs > budget {
                    notes.push(note(None));
                    continue;
                }
                budget -= needs;
                shown.push(blocks.iter().map(|b| b.get().to_owned()).collect());
                texts_json.push(json_inner(text));
            }
            StatOutcome::NotShown { why } => notes.push(note(Some(why))),
        }
    }
    notes.truncate(MAX_NOTES);
    let view = DigestView {
        command: &blocks::clip(command, 40),
        title: blocks::clip(title, MAX_HEADER_TEXT).into_owned(),
        intro: intro
            .filter(|i| !i.trim().is_empty())
            .map(|i| blocks::clip(i, MAX_SECTION_TEXT).into_owned()),
        stats: shown,
        texts_json,
        notes,
        generated_unix: generated.timestamp(),
        generated: generated.format("%Y-%m-%d %H:%M UTC").to_string(),
    };
    let mut message = Message::from_rendered(&view.render()?)?;
    // The fallback holds every stat's own fallback; Slack cuts a longer one.
    let parts = message.parts()?;
    if parts.text.chars().count() > MAX_MESSAGE_TEXT {
        let clipped: String = parts.text.chars().take(MAX_MESSAGE_TEXT - 1).collect();
        parts.text = format!("{clipped}…");
    }
    Ok(message)
}

/// `s` as the inside of a JSON string literal.
fn json_inner(s: &str) -> String {
    let quoted = Value::String(s.to_string()).to_string();
    quoted[1..quoted.len() - 1].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-09T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn figures(title: &str, n: usize) -> RenderedStat {
        let mut blocks =
            vec![json!({"type": "header", "text": {"type": "plain_text", "text": title}})];
        for i in 1..n {
            blocks.push(
                json!({"type": "section", "text": {"type": "mrkdwn", "text": format!("*{i}*")}}),
            );
        }
        RenderedStat {
            stat: title.to_lowercase(),
            outcome: StatOutcome::Shown {
                text: format!("{title}: 1 &lt;2"),
                blocks: blocks
                    .iter()
                    .map(|b| RawValue::from_string(b.to_string()).unwrap())
                    .collect(),
            },
        }
    }

    #[test]
    fn a_digest_is_a_header_the_stats_in_order_and_a_footer() {
        let stats = [figures("Members", 2), figures("Growth", 2)];
        let message = compose(
            "/stats",
            "Weekly <numbers>",
            Some("Hi & welcome"),
            &stats,
            at(),
        )
        .unwrap()
        .to_value();
        assert_eq!(blocks::check(&message), Ok(()));
        let blocks = message["blocks"].as_array().unwrap();
        assert_eq!(blocks[0]["text"]["text"], "Weekly &lt;numbers&gt;");
        assert_eq!(blocks[1]["text"]["text"], "Hi &amp; welcome");
        assert_eq!(blocks[2]["text"]["text"], "Members");
        assert_eq!(blocks[4]["type"], "divider");
        assert_eq!(blocks[5]["text"]["text"], "Growth");
        let footer = blocks.last().unwrap()["elements"][0]["text"]
            .as_str()
            .unwrap();
        assert!(
            footer.starts_with("Generated <!date^1773043200^"),
            "{footer}"
        );
        assert!(footer.ends_with("`/stats help` for more"), "{footer}");
        assert_eq!(
            message["text"], "Weekly &lt;numbers&gt;\nMembers: 1 &lt;2\nGrowth: 1 &lt;2",
            "each stat's fallback, as it was escaped"
        );
    }

    #[test]
    fn a_stat_not_shown_is_said_in_the_message() {
        let stats = [
            figures("Members", 2),
            RenderedStat {
                stat: "gone <x>".into(),
                outcome: StatOutcome::NotShown {
                    why: "I don't know `/stats gone`.".into(),
                },
            },
        ];
        let message = compose("/stats", "Weekly", None, &stats, at())
            .unwrap()
            .to_value();
        assert_eq!(blocks::check(&message), Ok(()));
        let blocks = message["blocks"].as_array().unwrap();
        let note = blocks[blocks.len() - 2]["elements"][0]["text"]
            .as_str()
            .unwrap();
        assert_eq!(
            note,
            "⚠️ `/stats gone &lt;x&gt;` is not shown: I don't know `/stats gone`."
        );
        assert!(message["text"].as_str().unwrap().contains("is not shown"));
    }

    #[test]
    fn stats_that_would_pass_fifty_blocks_are_left_out_whole_with_a_note() {
        let stats: Vec<RenderedStat> = (0..6).map(|i| figures(&format!("S{i}"), 9)).collect();
        let message = compose(
            "/stats",
            &"T".repeat(400),
            Some(&"i".repeat(5000)),
            &stats,
            at(),
        )
        .unwrap()
        .to_value();
        assert_eq!(blocks::check(&message), Ok(()));
        let blocks = message["blocks"].as_array().unwrap();
        assert!(blocks.len() <= 50);
        // 46 blocks for stats: four of 9 blocks and three dividers (39); the fifth would need 10.
        let headers = blocks
            .iter()
            .filter(|b| {
                b["text"]["text"]
                    .as_str()
                    .is_some_and(|t| t.starts_with('S') && t.len() == 2)
            })
            .count();
        assert_eq!(headers, 4);
        let note = blocks[blocks.len() - 2]["elements"][0]["text"]
            .as_str()
            .unwrap();
        assert!(note.contains("`/stats s4` did not fit"), "{note}");
        assert!(note.contains("`/stats s5` did not fit"), "{note}");
    }

    #[test]
    fn a_reply_becomes_blocks_or_an_explanation() {
        let ok = r#"{"response_type":"in_channel","text":"t","blocks":[{"type":"divider"}]}"#;
        let ok = Message::from_rendered(ok).unwrap();
        assert!(matches!(
            RenderedStat::from_reply("x", &ok, true).outcome,
            StatOutcome::Shown { .. }
        ));
        let problem = r#"{"response_type":"ephemeral","text":"I don't know that."}"#;
        let problem = Message::from_rendered(problem).unwrap();
        assert!(matches!(
            RenderedStat::from_reply("x", &problem, false).outcome,
            StatOutcome::NotShown { why } if why == "I don't know that."
        ));
    }
}
