//! Slack's Block Kit limits, helpers that keep rendered text inside them, and a checker that
//! tests run over every template's output.
//!
//! Lengths are counted the way Slack counts them: characters of the text as sent, that is after
//! `&`, `<` and `>` became `&amp;`, `&lt;` and `&gt;`.

use std::borrow::Cow;

use serde_json::Value;

pub const MAX_BLOCKS: usize = 50;
pub const MAX_SECTION_TEXT: usize = 3000;
pub const MAX_FIELDS: usize = 10;
pub const MAX_FIELD_TEXT: usize = 2000;
pub const MAX_HEADER_TEXT: usize = 150;
pub const MAX_CONTEXT_ELEMENTS: usize = 10;
/// Slack truncates a message's top-level `text` beyond this.
pub const MAX_MESSAGE_TEXT: usize = 40_000;
pub const MAX_ACTIONS_ELEMENTS: usize = 25;
pub const MAX_BUTTON_TEXT: usize = 75;
pub const MAX_BUTTON_VALUE: usize = 2000;
pub const MAX_ACTION_ID: usize = 255;
pub const MAX_IMAGE_URL: usize = 3000;
pub const MAX_ALT_TEXT: usize = 2000;
/// A Home tab (`views.publish`): at most 100 blocks and 250 kB of JSON.
pub const MAX_VIEW_BLOCKS: usize = 100;
pub const MAX_VIEW_BYTES: usize = 250 * 1024;

/// Characters `s` takes once escaped for mrkdwn.
pub fn escaped_len(s: &str) -> usize {
    s.chars().map(escaped_char_len).sum()
}

fn escaped_char_len(c: char) -> usize {
    match c {
        '&' => 5,
        '<' | '>' => 4,
        _ => 1,
    }
}

/// `s` cut so that, escaped, it takes at most `max` characters; a cut is marked with `…`.
pub fn clip(s: &str, max: usize) -> Cow<'_, str> {
    if s.len() <= max && !s.contains(['&', '<', '>']) {
        return Cow::Borrowed(s);
    }
    if escaped_len(s) <= max {
        return Cow::Borrowed(s);
    }
    let mut out = String::new();
    let mut used = 1; // the ellipsis
    for c in s.chars() {
        used += escaped_char_len(c);
        if used > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    Cow::Owned(out)
}

/// Checks a rendered message against the limits above. Returns every problem found.
pub fn check(message: &Value) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    let Some(object) = message.as_object() else {
        return Err(vec!["a message is a JSON object".into()]);
    };
    match object.get("response_type").map(Value::as_str) {
        None | Some(Some("in_channel" | "ephemeral")) => {}
        Some(other) => problems.push(format!("response_type {other:?}")),
    }
    match object.get("text").and_then(Value::as_str) {
        Some(text) if !text.trim().is_empty() => {
            if text.chars().count() > MAX_MESSAGE_TEXT {
                problems.push(format!("text longer than {MAX_MESSAGE_TEXT}"));
            }
        }
        _ => problems.push("every message needs a non-empty plain `text` fallback".into()),
    }
    if let Some(blocks) = object.get("blocks") {
        match blocks.as_array() {
            Some(blocks) => {
                if blocks.is_empty() || blocks.len() > MAX_BLOCKS {
                    problems.push(format!("{} blocks (1 to {MAX_BLOCKS})", blocks.len()));
                }
                for (i, block) in blocks.iter().enumerate() {
                    check_block(block, &mut |p| problems.push(format!("block {i}: {p}")));
                }
            }
            None => problems.push("blocks is not an array".into()),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Checks a Home tab view (`{"type": "home", "blocks": […]}`) as [`check`] checks a message,
/// within a view's limits.
pub fn check_view(view: &Value) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    if view.get("type").and_then(Value::as_str) != Some("home") {
        problems.push("a Home tab view has type home".into());
    }
    let size = view.to_string().len();
    if size > MAX_VIEW_BYTES {
        problems.push(format!("{size} bytes (at most {MAX_VIEW_BYTES})"));
    }
    match view.get("blocks").and_then(Value::as_array) {
        Some(blocks) if !blocks.is_empty() && blocks.len() <= MAX_VIEW_BLOCKS => {
            for (i, block) in blocks.iter().enumerate() {
                check_block(block, &mut |p| problems.push(format!("block {i}: {p}")));
            }
        }
        Some(blocks) => problems.push(format!("{} blocks (1 to {MAX_VIEW_BLOCKS})", blocks.len())),
        None => problems.push("blocks is not an array".into()),
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn check_block(block: &Value, problem: &mut dyn FnMut(String)) {
    match block.get("type").and_then(Value::as_str) {
        Some("header") => match block.get("text") {
            Some(text) => check_text(text, MAX_HEADER_TEXT, Some("plain_text"), problem),
            None => problem("header without text".into()),
        },
        Some("section") => {
            let text = block.get("text");
            let fields = block.get("fields");
            if text.is_none() && fields.is_none() {
                problem("section needs text or fields".into());
            }
            if let Some(text) = text {
                check_text(text, MAX_SECTION_TEXT, None, problem);
            }
            if let Some(accessory) = block.get("accessory") {
                check_button(accessory, problem);
            }
            if let Some(fields) = fields {
                match fields.as_array() {
                    Some(fields) if !fields.is_empty() && fields.len() <= MAX_FIELDS => {
                        for field in fields {
                            check_text(field, MAX_FIELD_TEXT, None, problem);
                        }
                    }
                    _ => problem(format!("section fields must be 1 to {MAX_FIELDS} texts")),
                }
            }
        }
        Some("context") => match block.get("elements").and_then(Value::as_array) {
            Some(elements) if !elements.is_empty() && elements.len() <= MAX_CONTEXT_ELEMENTS => {
                for element in elements {
                    check_text(element, MAX_SECTION_TEXT, None, problem);
                }
            }
            _ => problem(format!(
                "context needs 1 to {MAX_CONTEXT_ELEMENTS} elements"
            )),
        },
        Some("actions") => match block.get("elements").and_then(Value::as_array) {
            Some(elements) if !elements.is_empty() && elements.len() <= MAX_ACTIONS_ELEMENTS => {
                let mut ids: Vec<&str> = Vec::new();
                for element in elements {
                    check_button(element, problem);
                    if let Some(id) = element.get("action_id").and_then(Value::as_str) {
                        if ids.contains(&id) {
                            problem(format!("action_id {id:?} twice in one block"));
                        }
                        ids.push(id);
                    }
                }
            }
            _ => problem(format!(
                "actions needs 1 to {MAX_ACTIONS_ELEMENTS} elements"
            )),
        },
        Some("divider") => {}
        Some("image") => {
            match block.get("image_url").and_then(Value::as_str) {
                Some(url)
                    if (url.starts_with("https://") || url.starts_with("http://"))
                        && url.len() <= MAX_IMAGE_URL => {}
                _ => problem(format!(
                    "image needs an http(s) image_url of at most {MAX_IMAGE_URL} characters"
                )),
            }
            match block.get("alt_text").and_then(Value::as_str) {
                Some(alt) if !alt.is_empty() && alt.chars().count() <= MAX_ALT_TEXT => {}
                _ => problem(format!(
                    "image needs alt_text of 1 to {MAX_ALT_TEXT} characters"
                )),
            }
        }
        other => problem(format!("unexpected block type {other:?}")),
    }
}

/// The only interactive element the bot uses: a button with plain text, an `action_id` and a
/// `value`.
fn check_button(button: &Value, problem: &mut dyn FnMut(String)) {
    if button.get("type").and_then(Value::as_str) != Some("button") {
        problem(format!("unexpected element {:?}", button.get("type")));
        return;
    }
    match button.get("text") {
        Some(text) => check_text(text, MAX_BUTTON_TEXT, Some("plain_text"), problem),
        None => problem("button without text".into()),
    }
    match button.get("action_id").and_then(Value::as_str) {
        Some(id) if !id.is_empty() && id.chars().count() <= MAX_ACTION_ID => {}
        _ => problem(format!(
            "button action_id must be 1 to {MAX_ACTION_ID} characters"
        )),
    }
    match button.get("value").and_then(Value::as_str) {
        Some(value) if !value.is_empty() && value.chars().count() <= MAX_BUTTON_VALUE => {}
        _ => problem(format!(
            "button value must be 1 to {MAX_BUTTON_VALUE} characters"
        )),
    }
    match button.get("style").map(Value::as_str) {
        None | Some(Some("primary" | "danger")) => {}
        Some(other) => problem(format!("button style {other:?}")),
    }
}

fn check_text(text: &Value, max: usize, only: Option<&str>, problem: &mut dyn FnMut(String)) {
    let kind = text.get("type").and_then(Value::as_str);
    match (kind, only) {
        (Some("plain_text" | "mrkdwn"), None) => {}
        (Some(kind), Some(only)) if kind == only => {}
        _ => problem(format!("text object of type {kind:?}")),
    }
    match text.get("text").and_then(Value::as_str) {
        Some(s) => {
            let len = s.chars().count();
            if len == 0 || len > max {
                problem(format!("text of {len} characters (1 to {max})"));
            }
        }
        None => problem("text object without text".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn clip_counts_escaped_characters() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "ab…");
        // "<<" escapes to 8 characters; only one fits in 5 with the ellipsis.
        assert_eq!(clip("<<", 5), "<…");
        assert!(escaped_len(&clip(&"&".repeat(100), 42)) <= 42);
    }

    #[test]
    fn checker_catches_each_limit() {
        let ok = json!({"text": "hi", "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "Title"}},
            {"type": "section", "text": {"type": "mrkdwn", "text": "x"}}
        ]});
        assert_eq!(check(&ok), Ok(()));

        let long_header = json!({"text": "hi", "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "x".repeat(151)}}
        ]});
        assert!(check(&long_header).is_err());

        let mrkdwn_header = json!({"text": "hi", "blocks": [
            {"type": "header", "text": {"type": "mrkdwn", "text": "x"}}
        ]});
        assert!(check(&mrkdwn_header).is_err());

        let empty_section = json!({"text": "hi", "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": ""}}
        ]});
        assert!(check(&empty_section).is_err());

        let field = json!({"type": "mrkdwn", "text": "f"});
        let eleven_fields = json!({"text": "hi", "blocks": [
            {"type": "section", "fields": vec![field; 11]}
        ]});
        assert!(check(&eleven_fields).is_err());

        let divider = json!({"type": "divider"});
        let too_many = json!({"text": "hi", "blocks": vec![divider; 51]});
        assert!(check(&too_many).is_err());

        assert!(check(&json!({"blocks": []})).is_err(), "no fallback text");

        let button = |text: &str, value: &str| {
            json!({"type": "button", "text": {"type": "plain_text", "text": text},
                   "action_id": format!("a{}", value.len()), "value": value})
        };
        let with_buttons = json!({"text": "hi", "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": "x"}, "accessory": button("Run", "x")},
            {"type": "actions", "elements": [button("Share", "members")]}
        ]});
        assert_eq!(check(&with_buttons), Ok(()));
        let bad_buttons = [
            json!({"type": "actions", "elements": []}),
            json!({"type": "actions", "elements": (0..26).map(|i| button("b", &"v".repeat(i + 1))).collect::<Vec<_>>()}),
            json!({"type": "actions", "elements": [button(&"t".repeat(76), "v")]}),
            json!({"type": "actions", "elements": [button("t", &"v".repeat(2001))]}),
            json!({"type": "actions", "elements": [button("t", "")]}),
            json!({"type": "actions", "elements": [button("t", "v"), button("u", "w")]}),
            json!({"type": "actions", "elements": [{"type": "static_select"}]}),
            json!({"type": "section", "text": {"type": "mrkdwn", "text": "x"},
                   "accessory": {"type": "button", "text": {"type": "mrkdwn", "text": "t"}, "action_id": "a", "value": "v"}}),
        ];
        for block in bad_buttons {
            let message = json!({"text": "hi", "blocks": [block]});
            assert!(check(&message).is_err(), "{message}");
        }
        assert!(check(&json!({"text": "hi", "response_type": "loud"})).is_err());
    }

    #[test]
    fn image_blocks_need_a_fetchable_url_and_alt_text() {
        let message = |image: Value| {
            json!({"response_type": "in_channel", "text": "t", "blocks": [
                {"type": "section", "text": {"type": "mrkdwn", "text": "x"}}, image
            ]})
        };
        let url = "https://stats.example.org/v1/stats/s.png?expires=1&sig=ab";
        assert!(
            check(&message(
                json!({"type": "image", "image_url": url, "alt_text": "Signups"})
            ))
            .is_ok()
        );
        for bad in [
            json!({"type": "image", "image_url": url}),
            json!({"type": "image", "image_url": url, "alt_text": ""}),
            json!({"type": "image", "image_url": url, "alt_text": "a".repeat(2001)}),
            json!({"type": "image", "image_url": "ftp://x/y.png", "alt_text": "a"}),
            json!({"type": "image", "image_url": format!("{url}{}", "a".repeat(3000)), "alt_text": "a"}),
        ] {
            assert!(check(&message(bad.clone())).is_err(), "{bad}");
        }
    }
}
