//! Block Kit, drawn for a terminal: headers and bold figures stand out, lists stay lists,
//! Slack's date tokens show their fallback text, and nothing Slack would escape is lost.

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// A note in dim type (plain without colour).
pub fn dim(text: &str, color: bool) -> String {
    if color {
        format!("{DIM}{text}{RESET}")
    } else {
        text.to_string()
    }
}

/// A Slack message (`text`, `blocks`, `response_type`) as terminal lines.
pub fn render(message: &Value, color: bool) -> String {
    let style = |code: &str, text: &str| {
        if color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    };
    let mut out = Vec::new();
    let blocks = message["blocks"].as_array().cloned().unwrap_or_default();
    if blocks.is_empty() {
        out.push(mrkdwn(message["text"].as_str().unwrap_or(""), color));
    }
    for block in &blocks {
        match block["type"].as_str() {
            Some("header") => {
                out.push(style(
                    BOLD,
                    &unescape(block["text"]["text"].as_str().unwrap_or("")),
                ));
            }
            Some("section") => {
                if let Some(text) = block["text"]["text"].as_str() {
                    out.push(text_of(&block["text"], text, color));
                }
                if block["accessory"]["type"] == "button" {
                    out.push(format!("  {}", style(BOLD, &button(&block["accessory"]))));
                }
                for field in block["fields"].as_array().into_iter().flatten() {
                    let text = field["text"].as_str().unwrap_or("");
                    out.push(format!("  {}", text_of(field, text, color)));
                }
            }
            Some("context") => {
                let parts: Vec<String> = block["elements"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|e| e["text"].as_str().map(|t| text_of(e, t, false)))
                    .collect();
                out.push(style(DIM, &parts.join("  ·  ")));
            }
            Some("actions") => {
                let buttons: Vec<String> = block["elements"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|e| e["type"] == "button")
                    .map(button)
                    .collect();
                out.push(style(BOLD, &buttons.join("  ")));
            }
            Some("divider") => out.push(style(DIM, "────────────────────────")),
            Some("image") => out.push(style(
                DIM,
                &format!("[chart] {}", block["image_url"].as_str().unwrap_or("")),
            )),
            Some(other) => out.push(style(DIM, &format!("[{other} block]"))),
            None => {}
        }
    }
    let audience = match message["response_type"].as_str() {
        Some("in_channel") => "posted in the channel",
        _ => "only you can see this",
    };
    out.push(style(DIM, &format!("({audience})")));
    out.join("\n")
}

/// `[ Share in channel ]`: a button as `--press` names it is in `statsbot slash`'s hint.
fn button(element: &Value) -> String {
    format!(
        "[ {} ]",
        unescape(element["text"]["text"].as_str().unwrap_or(""))
    )
}

fn text_of(object: &Value, text: &str, color: bool) -> String {
    if object["type"] == "plain_text" {
        unescape(text)
    } else {
        mrkdwn(text, color)
    }
}

/// mrkdwn to terminal text: `*bold*` in bold, `<…|label>` links and dates as their label,
/// then `&lt;` `&gt;` `&amp;` back to characters.
pub fn mrkdwn(text: &str, color: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('>') {
            Some(close) => {
                let token = &after[..close];
                let (target, label) = token.split_once('|').unwrap_or((token, ""));
                let label = match (target.chars().next(), label) {
                    // A terminal has no link to click: keep the address visible.
                    (Some('h'), "") => target.to_string(),
                    (Some('h'), label) => format!("{label} ({target})"),
                    (Some('@'), "") => target.to_string(),
                    // `<#C0123>` (no name given): the channel's ID is all there is to show.
                    (Some('#'), "") => target.to_string(),
                    (Some('#'), label) => format!("#{label}"),
                    (_, "") => format!("<{token}>"),
                    (_, label) => label.to_string(),
                };
                out.push_str(&label);
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    let bolded = if color {
        embolden(&out, BOLD, RESET)
    } else {
        embolden(&out, "", "")
    };
    unescape(&bolded)
}

/// `*x*` pairs become `on`x`off`; code (``` blocks and `spans`) is left alone, so a cron
/// schedule like `0 9 * * MON` keeps its stars.
fn embolden(text: &str, on: &str, off: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut open = false;
    let mut in_block = false;
    let mut in_span = false;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if text[i..].starts_with("```") {
            in_block = !in_block;
            out.push_str("```");
            chars.next();
            chars.next();
            continue;
        }
        if c == '`' && !in_block {
            in_span = !in_span;
        }
        if c == '*' && !in_block && !in_span {
            out.push_str(if open { off } else { on });
            open = !open;
        } else {
            out.push(c);
        }
    }
    if open {
        out.push_str(off);
    }
    out
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A Block Kit Builder link that draws the message as Slack would.
pub fn builder_link(message: &Value) -> String {
    let blocks = serde_json::json!({ "blocks": message["blocks"] });
    format!(
        "https://app.slack.com/block-kit-builder#{}",
        utf8_percent_encode(&blocks.to_string(), NON_ALPHANUMERIC)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn members_reply() -> Value {
        json!({
            "response_type": "in_channel",
            "text": "There are currently 1,234 members.",
            "blocks": [
                { "type": "header", "text": { "type": "plain_text", "text": "Members & friends" } },
                { "type": "section", "text": { "type": "mrkdwn", "text":
                    "There are currently *1,234* members.\nThe newest member is *&lt;!channel&gt; &amp; co*, who joined on <!date^1551657600^{date_long}|March 4th, 2019>." } },
                { "type": "section", "fields": [ { "type": "mrkdwn", "text": "• *Ada*: 12" } ] },
                { "type": "context", "elements": [ { "type": "mrkdwn", "text": "…and 3 more." } ] }
            ]
        })
    }

    #[test]
    fn a_reply_reads_plainly_without_colour() {
        let text = render(&members_reply(), false);
        assert_eq!(
            text,
            "Members & friends\n\
             There are currently 1,234 members.\n\
             The newest member is <!channel> & co, who joined on March 4th, 2019.\n  \
             • Ada: 12\n\
             …and 3 more.\n\
             (posted in the channel)"
        );
    }

    #[test]
    fn figures_are_bold_with_colour_and_code_is_untouched() {
        let text = mrkdwn("*1,234* and ```a*b```", true);
        assert_eq!(text, format!("{BOLD}1,234{RESET} and ```a*b```"));
    }

    #[test]
    fn help_and_errors_say_only_you_see_them() {
        let text = render(
            &json!({ "response_type": "ephemeral", "text": "Unknown command" }),
            false,
        );
        assert_eq!(text, "Unknown command\n(only you can see this)");
    }

    #[test]
    fn channels_and_code_read_as_written() {
        assert_eq!(
            mrkdwn("*weekly* to <#C0123ABC> at `0 9 * * MON`", false),
            "weekly to #C0123ABC at `0 9 * * MON`"
        );
        assert_eq!(mrkdwn("<#C0123ABC|general>", false), "#general");
    }

    #[test]
    fn the_builder_link_carries_the_blocks() {
        let link = builder_link(&members_reply());
        assert!(link.starts_with("https://app.slack.com/block-kit-builder#%7B%22blocks%22"));
        assert!(!link.contains(' ') && !link.contains('"'));
    }
}
