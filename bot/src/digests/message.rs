//! One digest as one Slack message: a header, the intro, each stat's blocks exactly as its
//! `/stats` answer renders them, a note for each stat that could not be shown, and a context
//! line saying when it was generated. Pure: rendered stats in, the message out.
//!
//! Block Kit allows 50 blocks a message. The frame takes at most four (header, intro, notes,
//! footer) and each stat after the first a divider; a stat whose blocks would not fit is left
//! out whole, with a note saying how to ask for it, rather than cut in the middle.

use askama::Template;
use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::explanation::Outcome;
use crate::flows::Answered;
use crate::render::Context;
use crate::slack::blocks::{self, MAX_BLOCKS, MAX_HEADER_TEXT, MAX_MESSAGE_TEXT, MAX_SECTION_TEXT};
use crate::slack::message::{Blocks, Message};

/// Notes shown in the context line (a context element holds at most 3000 characters).
const MAX_NOTES: usize = 8;
const MAX_NOTE_STAT: usize = 60;
const MAX_NOTE_WHY: usize = 250;
/// Header, intro, notes and footer.
const FRAME_BLOCKS: usize = 4;

/// What became of one of a digest's stats.
#[derive(Debug, Clone)]
pub enum StatOutcome {
    /// Rendered as its `/stats` answer: that message's fallback text (JSON-escaped) and
    /// blocks, as rendered.
    Shown {
        text_json: String,
        blocks: Vec<Blocks>,
    },
    /// Not shown; the explanation a user would have got, in words.
    NotShown { why: String },
}

/// A stat of the digest, as the file names it (`growth 7`), and what became of it.
#[derive(Debug, Clone)]
pub struct RenderedStat {
    pub stat: String,
    pub outcome: StatOutcome,
}

impl RenderedStat {
    /// From a `/stats` answer: its blocks when it answered, its problem in words when not.
    pub fn from_answer(stat: &str, answered: &Answered, command: &str) -> RenderedStat {
        let outcome = match (&answered.problem, answered.outcome) {
            (None, Outcome::Ok) => StatOutcome::Shown {
                text_json: answered.reply.text_json().to_string(),
                blocks: answered.reply.as_blocks(),
            },
            (Some(problem), _) => StatOutcome::NotShown {
                why: problem.words(&Context { command }),
            },
            (None, outcome) => StatOutcome::NotShown {
                why: format!("it did not answer ({outcome})."),
            },
        };
        RenderedStat {
            stat: stat.to_string(),
            outcome,
        }
    }
}

struct Note {
    stat: String,
    why: Option<String>,
}

#[derive(Template)]
#[template(path = "digests/digest.json", blocks = ["text", "head", "foot"])]
struct DigestView<'a> {
    command: &'a str,
    title: String,
    intro: Option<String>,
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
    let mut shown: Vec<&[Blocks]> = Vec::new();
    let mut texts_json = Vec::new();
    let mut notes = Vec::new();
    for stat in stats {
        let note = |why: Option<&str>| Note {
            stat: blocks::clip(&stat.stat, MAX_NOTE_STAT).into_owned(),
            why: why.map(|w| blocks::clip(w, MAX_NOTE_WHY).into_owned()),
        };
        match &stat.outcome {
            StatOutcome::Shown { text_json, blocks } => {
                let count: usize = blocks.iter().map(Blocks::count).sum();
                let needs = count + usize::from(!shown.is_empty());
                if needs > budget {
                    notes.push(note(None));
                    continue;
                }
                budget -= needs;
                shown.push(blocks);
                texts_json.push(text_json.clone());
            }
            StatOutcome::NotShown { why } => notes.push(note(Some(why))),
        }
    }
    notes.truncate(MAX_NOTES);
    let intro = intro
        .filter(|i| !i.trim().is_empty())
        .map(|i| blocks::clip(i, MAX_SECTION_TEXT).into_owned());
    let view = DigestView {
        command: &blocks::clip(command, 40),
        title: blocks::clip(title, MAX_HEADER_TEXT).into_owned(),
        texts_json,
        notes,
        generated_unix: generated.timestamp(),
        generated: generated.format("%Y-%m-%d %H:%M UTC").to_string(),
        intro,
    };
    let head = 1 + usize::from(view.intro.is_some());
    let foot = 1 + usize::from(!view.notes.is_empty());
    let mut message = Message::new(view.as_text().render()?);
    message.push(Blocks::rendered(view.as_head().render()?, head))?;
    for (i, blocks) in shown.into_iter().enumerate() {
        if i > 0 {
            message.push(Blocks::one(r#"{ "type": "divider" }"#.into()))?;
        }
        for blocks in blocks {
            message.push(blocks.clone())?;
        }
    }
    message.push(Blocks::rendered(view.as_foot().render()?, foot))?;
    // The fallback holds every stat's own fallback; Slack cuts a longer one.
    message.clip_text(MAX_MESSAGE_TEXT);
    Ok(message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explanation::Explanation;
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
                text_json: format!("{title}: 1 &lt;2"),
                blocks: blocks.iter().map(|b| Blocks::one(b.to_string())).collect(),
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
    fn an_answer_becomes_blocks_or_its_problem_in_words() {
        let ok = Answered::ok(Message::plain("just text"), Outcome::Ok);
        let RenderedStat {
            outcome: StatOutcome::Shown { text_json, blocks },
            ..
        } = RenderedStat::from_answer("x", &ok, "/stats")
        else {
            panic!("shown");
        };
        assert_eq!(text_json, "just text");
        assert_eq!(blocks.len(), 1, "the text as a section");
        let gone = Explanation::UnknownCommand {
            given: "x<y>".into(),
            suggestion: None,
        };
        let problem = Answered::problem("/stats", &gone);
        assert!(matches!(
            RenderedStat::from_answer("x", &problem, "/stats").outcome,
            StatOutcome::NotShown { why } if why.starts_with("I don't know `/stats x<y>`.")
        ));
    }
}
