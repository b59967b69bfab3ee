//! Pressing an answer's buttons as Slack would: the buttons a message offers, and the signed
//! `block_actions` payload Slack posts to the bot's `/slack/interactions` when one is pressed,
//! shaped like Slack's documented one.

use serde_json::{Value, json};

/// A button in a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub action_id: String,
    pub value: String,
    /// What it says, e.g. `Share in channel`.
    pub label: String,
    pub block_id: String,
}

impl Button {
    /// How `--press` names it: `id:value`, or just `id` when the value is not one short line
    /// (the other readings of a question are several invocations, one a line).
    pub fn press_name(&self) -> String {
        if self.value.is_empty() || self.value.contains('\n') {
            self.action_id.clone()
        } else {
            format!("{}:{}", self.action_id, self.value)
        }
    }
}

/// Every button in `message`, top to bottom: section accessories and actions blocks.
pub fn buttons(message: &Value) -> Vec<Button> {
    let mut found = Vec::new();
    for (i, block) in message["blocks"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let elements = block["elements"].as_array().cloned().unwrap_or_default();
        for element in std::iter::once(&block["accessory"]).chain(&elements) {
            if element["type"] != "button" {
                continue;
            }
            let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
            found.push(Button {
                action_id: text(&element["action_id"]),
                value: text(&element["value"]),
                label: text(&element["text"]["text"]),
                // Slack makes one up when the message has none.
                block_id: block["block_id"]
                    .as_str()
                    .map_or_else(|| format!("b{i}"), String::from),
            });
        }
    }
    found
}

/// The button `wanted` names: its `action_id` (`share`, `help_next`), `action_id:value`
/// (`run:members`), or its label, ignoring case (`"Next page"`).
pub fn find<'a>(buttons: &'a [Button], wanted: &str) -> Option<&'a Button> {
    let wanted = wanted.trim();
    let (id, value) = wanted.split_once(':').unwrap_or((wanted, ""));
    buttons
        .iter()
        .find(|b| b.action_id == id && (value.is_empty() || b.value == value))
        .or_else(|| {
            let label = |b: &&Button| b.label.to_lowercase().contains(&wanted.to_lowercase());
            buttons.iter().find(label)
        })
}

/// `id:value` for each button, as `--press` takes them.
pub fn describe(buttons: &[Button]) -> String {
    buttons
        .iter()
        .map(|b| format!("{} ({})", b.press_name(), b.label))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The channel a press comes from unless told otherwise.
pub const DEV_CHANNEL: &str = "C0DEV0CHAN";

/// What Slack posts when `user` of `team` presses `button` on a message only they can see, in
/// `channel`: the `block_actions` payload of Slack's reference, with `response_url` to answer
/// through.
pub fn block_actions_payload(
    button: &Button,
    team: &str,
    user: &str,
    channel: &str,
    response_url: &str,
) -> Value {
    json!({
        "type": "block_actions",
        "user": { "id": user, "username": "you", "name": "you", "team_id": team },
        "api_app_id": "A0DEV0APP",
        "token": "statsbot-dev-verification-token",
        "container": {
            "type": "message", "message_ts": "1700000000.000100",
            "channel_id": channel, "is_ephemeral": true
        },
        "trigger_id": "1.2.dev",
        "team": { "id": team, "domain": "statsbot-dev" },
        "enterprise": null,
        "is_enterprise_install": false,
        "channel": { "id": channel, "name": "general" },
        "state": { "values": {} },
        "response_url": response_url,
        "actions": [{
            "action_id": button.action_id,
            "block_id": button.block_id,
            "text": { "type": "plain_text", "text": button.label, "emoji": true },
            "value": button.value,
            "type": "button",
            "action_ts": "1700000001.000200"
        }]
    })
}

/// The form body: one field, `payload`, the JSON.
pub fn form_body(payload: &Value) -> String {
    serde_urlencoded::to_string([("payload", payload.to_string())]).expect("strings encode")
}

/// `…/slack/commands` → `…/slack/interactions` (stage prefix and all).
pub fn interactions_url(commands_url: &str) -> String {
    match commands_url.strip_suffix("/slack/commands") {
        Some(base) => format!("{base}/slack/interactions"),
        None => format!("{}/slack/interactions", commands_url.trim_end_matches('/')),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> Value {
        json!({ "blocks": [
            { "type": "section", "text": { "type": "mrkdwn", "text": "x" },
              "accessory": { "type": "button", "text": { "type": "plain_text", "text": "Run" },
                             "action_id": "run", "value": "members" } },
            { "type": "actions", "block_id": "nav", "elements": [
              { "type": "button", "text": { "type": "plain_text", "text": "Next page ›" },
                "action_id": "help_next", "value": "2" } ] }
        ] })
    }

    #[test]
    fn buttons_are_found_by_id_value_or_label() {
        let found = buttons(&message());
        assert_eq!(found.len(), 2);
        assert_eq!(find(&found, "run").unwrap().value, "members");
        assert_eq!(find(&found, "run:members").unwrap().label, "Run");
        assert!(find(&found, "run:signups").is_none());
        assert_eq!(find(&found, "next page").unwrap().block_id, "nav");
        assert_eq!(found[0].block_id, "b0");
    }

    #[test]
    fn buttons_are_described_as_press_takes_them_on_one_line() {
        let mut message = message();
        message["blocks"].as_array_mut().unwrap().push(json!(
            { "type": "actions", "elements": [
              { "type": "button", "text": { "type": "plain_text", "text": "Other readings" },
                "action_id": "other_readings", "value": "growth 180\nmembers" } ] }
        ));
        let described = describe(&buttons(&message));
        assert_eq!(
            described,
            "run:members (Run), help_next:2 (Next page ›), other_readings (Other readings)"
        );
        assert!(find(&buttons(&message), "other_readings").is_some());
    }

    #[test]
    fn the_payload_is_slacks_block_actions_and_the_bot_reads_it() {
        let button = &buttons(&message())[0];
        let payload = block_actions_payload(
            button,
            "T0DEV",
            "U0DEV",
            DEV_CHANNEL,
            "http://127.0.0.1:9/r",
        );
        assert_eq!(payload["type"], "block_actions");
        assert_eq!(payload["container"]["is_ephemeral"], true);
        let body = form_body(&payload);
        assert!(body.starts_with("payload=%7B"), "{body}");
        let bot::slack::interaction::Interaction::BlockActions(read) =
            bot::slack::interaction::parse(body.as_bytes()).unwrap()
        else {
            panic!("not block_actions");
        };
        assert_eq!(read.user.as_str(), "U0DEV");
        assert_eq!(read.team_id, "T0DEV");
        assert_eq!(read.response_url, "http://127.0.0.1:9/r");
        let action = read.action.unwrap();
        assert_eq!(
            (action.action_id.as_str(), action.value.as_str()),
            ("run", "members")
        );
    }

    #[test]
    fn the_interactions_url_sits_beside_the_commands_url() {
        assert_eq!(
            interactions_url("http://127.0.0.1:3000/slack/commands"),
            "http://127.0.0.1:3000/slack/interactions"
        );
        assert_eq!(
            interactions_url("https://x.example/Prod/slack/commands"),
            "https://x.example/Prod/slack/interactions"
        );
    }
}
