//! The Home tab as a view (`{"type": "home", "blocks": […]}`): how to ask and the Refresh
//! button, then each stat's answer as `/stats` renders it (its chart included) under its title,
//! and when the numbers were read. Within a view's limits (`blocks::MAX_VIEW_BLOCKS`,
//! `MAX_VIEW_BYTES`): stats that do not fit are left out, last first, and the tab says how many.
//! Wording in `templates/home/`. Pure.

use askama::Template;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::slack::blocks;
use crate::slack::message::Message;

/// One stat's part of the tab: its title, and its answer (or what went wrong) as rendered.
#[derive(Debug, Clone)]
pub struct Part {
    pub title: Option<String>,
    pub answer: Message,
}

#[derive(Template)]
#[template(path = "home/top.json")]
struct TopView<'a> {
    command: &'a str,
}

#[derive(Template)]
#[template(path = "home/title.json")]
struct TitleView<'a> {
    title: &'a str,
}

#[derive(Template)]
#[template(path = "home/footer.json")]
struct FooterView<'a> {
    command: &'a str,
    left_out: usize,
    unix: i64,
    fallback: String,
}

/// The view for `parts`, built at `now`.
pub fn view(command: &str, parts: &[Part], now: DateTime<Utc>) -> Result<Value> {
    let top = blocks_of(&TopView { command }.render()?)?;
    let mut sections = Vec::with_capacity(parts.len());
    for part in parts {
        let mut section = Vec::new();
        if let Some(title) = &part.title {
            section.extend(blocks_of(&TitleView { title }.render()?)?);
        }
        section.extend(answer_blocks(&part.answer));
        section.push(json!({ "type": "divider" }));
        sections.push(section);
    }
    // Last first, until it fits.
    let mut kept = sections.len();
    loop {
        let footer = FooterView {
            command,
            left_out: sections.len() - kept,
            unix: now.timestamp(),
            fallback: now.format("%Y-%m-%d %H:%M UTC").to_string(),
        };
        let mut all = top.clone();
        all.extend(sections[..kept].iter().flatten().cloned());
        all.extend(blocks_of(&footer.render()?)?);
        let view = json!({ "type": "home", "blocks": all });
        if blocks::check_view(&view).is_ok() || kept == 0 {
            return Ok(view);
        }
        kept -= 1;
    }
}

/// A rendered answer's blocks; one with text alone (a problem's explanation) as one section.
fn answer_blocks(answer: &Message) -> Vec<Value> {
    let message = answer.to_value();
    match message["blocks"].as_array() {
        Some(blocks) if !blocks.is_empty() => blocks.clone(),
        _ => {
            let text = message["text"].as_str().unwrap_or(" ");
            let text: String = text.chars().take(blocks::MAX_SECTION_TEXT).collect();
            vec![json!({ "type": "section", "text": { "type": "mrkdwn", "text": text } })]
        }
    }
}

fn blocks_of(rendered: &str) -> Result<Vec<Value>> {
    let value: Value = serde_json::from_str(rendered)
        .map_err(|e| Error::Rendering(format!("a Home tab template is not JSON: {e}")))?;
    match value["blocks"].as_array() {
        Some(blocks) => Ok(blocks.clone()),
        None => Err(Error::Rendering(
            "a Home tab template without blocks".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slack::message::Blocks;

    fn answer(title: &str, rows: usize) -> Message {
        let header = json!({"type": "header", "text": {"type": "plain_text", "text": title}});
        let mut message = Message::text(title)
            .with_blocks(Blocks::one(header.to_string()))
            .unwrap();
        for i in 0..rows {
            let text = format!("{i}. {}", "x".repeat(2000));
            let row = json!({"type": "section", "text": {"type": "mrkdwn", "text": text}});
            message.push(Blocks::one(row.to_string())).unwrap();
        }
        message
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-02T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn the_tab_shows_how_to_ask_each_answer_and_refresh() {
        let parts = [
            Part {
                title: Some("*How we grow* <!channel>".into()),
                answer: answer("Signups", 2),
            },
            Part {
                title: None,
                answer: Message::plain("I couldn't reach the stats service just now."),
            },
        ];
        let view = view("/stats", &parts, now()).unwrap();
        blocks::check_view(&view).unwrap();
        let text = view.to_string();
        assert!(text.contains("home_refresh"), "{text}");
        assert!(text.contains("@statsbot how many joined this week"));
        assert!(
            text.contains("&lt;!channel&gt;") && !text.contains("<!channel>"),
            "{text}"
        );
        assert!(text.contains("couldn't reach the stats service"));
        assert!(text.contains("<!date^1796205600^"), "{text}");
        assert!(!text.contains("not fit"));
    }

    #[test]
    fn what_does_not_fit_is_left_out_and_said() {
        // 10 answers of 12 blocks: over 100 blocks; and each ~24 kB: over 250 kB.
        let parts: Vec<Part> = (0..10)
            .map(|i| Part {
                title: None,
                answer: answer(&format!("Stat {i}"), 11),
            })
            .collect();
        let view = view("/stats", &parts, now()).unwrap();
        blocks::check_view(&view).unwrap();
        let text = view.to_string();
        assert!(text.contains("Stat 0") && !text.contains("Stat 9"));
        assert!(text.contains("stats do not fit here"), "{text}");
        assert!(view["blocks"].as_array().unwrap().len() <= blocks::MAX_VIEW_BLOCKS);
        assert!(text.len() <= blocks::MAX_VIEW_BYTES);
    }
}
