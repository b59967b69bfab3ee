//! The Home tab as a view ([`HomeView`]): how to ask and the Refresh button, then each stat's
//! answer as `/stats` renders it (its chart included) under its title, and when the numbers
//! were read. Within a view's limits (`blocks::MAX_VIEW_BLOCKS`, `MAX_VIEW_BYTES`, checked from
//! the rendered blocks' counts and lengths): stats that do not fit are left out, last first, and
//! the tab says how many. Wording in `templates/home/`. Pure.

use askama::Template;
use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::slack::message::{Blocks, Message};
use crate::slack::view::HomeView;

/// Blocks `templates/home/top.json` renders.
const TOP_BLOCKS: usize = 3;
const DIVIDER: &str = r#"{ "type": "divider" }"#;

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
pub fn view(command: &str, parts: &[Part], now: DateTime<Utc>) -> Result<HomeView> {
    let mut blocks = vec![Blocks::rendered(TopView { command }.render()?, TOP_BLOCKS)];
    let top = blocks.len();
    // Where each stat's blocks end, so that the last can be left out.
    let mut ends = Vec::with_capacity(parts.len());
    for part in parts {
        if let Some(title) = &part.title {
            blocks.push(Blocks::one(TitleView { title }.render()?));
        }
        // An answer of text alone (a problem's explanation) comes as one section.
        blocks.extend(part.answer.as_blocks());
        blocks.push(Blocks::one(DIVIDER.into()));
        ends.push(blocks.len());
    }
    // Last first, until it fits.
    let mut kept = parts.len();
    loop {
        let footer = FooterView {
            command,
            left_out: parts.len() - kept,
            unix: now.timestamp(),
            fallback: now.format("%Y-%m-%d %H:%M UTC").to_string(),
        };
        blocks.truncate(kept.checked_sub(1).map_or(top, |last| ends[last]));
        blocks.push(Blocks::one(footer.render()?));
        if HomeView::fits(&blocks) || kept == 0 {
            return Ok(HomeView::new(blocks));
        }
        kept -= 1;
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::slack::blocks::{self, MAX_VIEW_BLOCKS, MAX_VIEW_BYTES};

    /// An answer of a header and `rows` sections of `row` (as a stat's template renders them).
    fn answer(title: &str, rows: usize, row: &str) -> Message {
        let header = json!({"type": "header", "text": {"type": "plain_text", "text": title}});
        let mut message = Message::text(title)
            .with_blocks(Blocks::one(header.to_string()))
            .unwrap();
        for i in 0..rows {
            let text = format!("{i}. {row}");
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

    /// The view as sent, checked against Slack's limits, its counts true to what was written.
    fn sent(view: &HomeView) -> (String, Value) {
        let (json, value) = (view.to_json(), view.to_value());
        blocks::check_view(&value).unwrap();
        assert_eq!(view.json_len(), json.len());
        let shown = value["blocks"].as_array().unwrap().len();
        assert_eq!(view.block_count(), shown, "the templates' block counts");
        assert!(shown <= MAX_VIEW_BLOCKS && json.len() <= MAX_VIEW_BYTES);
        (json, value)
    }

    fn stats(count: usize, rows: usize, row: &str) -> Vec<Part> {
        (0..count)
            .map(|i| Part {
                title: None,
                answer: answer(&format!("Stat {i:02}"), rows, row),
            })
            .collect()
    }

    /// Stats shown, by their titles; the first `n`, never a gap.
    fn shown(json: &str, parts: usize) -> usize {
        let n = (0..parts)
            .take_while(|i| json.contains(&format!("Stat {i:02}")))
            .count();
        assert!((n..parts).all(|i| !json.contains(&format!("Stat {i:02}"))));
        n
    }

    #[test]
    fn the_tab_shows_how_to_ask_each_answer_and_refresh() {
        let parts = [
            Part {
                title: Some("*How we grow* <!channel>".into()),
                answer: answer("Signups", 2, "x"),
            },
            Part {
                title: None,
                answer: Message::plain("I couldn't reach the stats service just now."),
            },
        ];
        let (text, value) = sent(&view("/stats", &parts, now()).unwrap());
        assert_eq!(value["type"], "home");
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
    fn stats_past_a_hundred_blocks_are_left_out_last_first_and_said() {
        // 10 answers of 12 blocks and a divider: 3 + 7 × 13 + 1 = 95 blocks fit, 108 would not.
        let parts = stats(10, 11, &"x".repeat(2000));
        let (text, _) = sent(&view("/stats", &parts, now()).unwrap());
        assert_eq!(shown(&text, parts.len()), 7);
        assert!(
            text.contains("3 more stats do not fit here: ask for them with `/stats`."),
            "{text}"
        );
    }

    #[test]
    fn stats_past_250_kb_are_left_out_last_first_and_said() {
        // 15 answers of ~23 kB (2 sections of 2,900 four-byte characters): 64 blocks, ~350 kB.
        let parts = stats(15, 2, &"📈".repeat(2900));
        let view = view("/stats", &parts, now()).unwrap();
        let (text, _) = sent(&view);
        let kept = shown(&text, parts.len());
        assert!((1..parts.len()).contains(&kept), "{kept}");
        // As many as fit: one more answer would pass 250 kB.
        let one = HomeView::new(parts[kept].answer.as_blocks()).json_len();
        assert!(
            view.json_len() + one > MAX_VIEW_BYTES,
            "{}",
            view.json_len()
        );
        let left_out = parts.len() - kept;
        assert!(
            text.contains(&format!("{left_out} more stats do not fit here")),
            "{text}"
        );
    }

    #[test]
    fn one_stat_too_big_for_the_tab_leaves_the_tab_and_says_so() {
        // A single answer of 50 blocks of 12 kB is ~600 kB.
        let parts = stats(1, 49, &"📈".repeat(2900));
        let (text, _) = sent(&view("/stats", &parts, now()).unwrap());
        assert_eq!(shown(&text, 1), 0);
        assert!(
            text.contains("1 more stat does not fit here: ask for it"),
            "{text}"
        );
        assert!(text.contains("home_refresh"));
    }
}
