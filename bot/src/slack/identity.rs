//! Who the bot is in Slack: `auth.test`'s answer for `SLACK_BOT_TOKEN` (`user_id`, `bot_id`,
//! `team_id`), learned once per process on first need (no Slack call at start-up: the cold
//! start stays fast) and kept. Pure: the client (`client::SlackClient::identity`) makes the
//! call; this reads its answer and says what a failure means.
//!
//! `bot_id` is what the bot trusts: Slack stamps it on every message the token posts, no other
//! app or member can post with it, and any app can post any metadata `event_type`. `auth.test`
//! gives no `app_id` (`bots.info` would, for one more call on the cold path); it is not needed:
//! a bot ID belongs to one app's installation in one workspace.

use serde_json::Value;

use super::retry;

/// The bot's own IDs in its workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The bot user (`U…`): how members mention it, and the `user` on its messages.
    pub user_id: String,
    /// The bot (`B…`): on every message it posts, the one thing trusted.
    pub bot_id: String,
    pub team_id: String,
}

impl Identity {
    /// From `auth.test`'s answer (`"ok": true`); `None` when it names no bot (a user token).
    pub fn from_auth_test(body: &Value) -> Option<Identity> {
        let field = |name: &str| {
            body.get(name)
                .and_then(Value::as_str)
                .filter(|id| !id.is_empty())
                .map(String::from)
        };
        Some(Identity {
            user_id: field("user_id")?,
            bot_id: field("bot_id")?,
            team_id: field("team_id").unwrap_or_default(),
        })
    }
}

/// Why the bot could not learn who it is, in words for the log and the error: the setting and
/// Slack's word, never the token.
pub fn failure(code: &str) -> String {
    if code == "not_a_bot" {
        return "SLACK_BOT_TOKEN is not a bot token (auth.test names no bot_id): use the app's \
                Bot User OAuth Token (xoxb-…)"
            .into();
    }
    format!(
        "SLACK_BOT_TOKEN: Slack's auth.test said {code}; {}",
        retry::advice(code)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn read_from_auth_test() {
        let body = json!({"ok": true, "url": "https://acme.slack.com/", "team": "Acme",
            "user": "statsbot", "team_id": "T0123ABCD", "user_id": "U0123ABCD",
            "bot_id": "B0123ABCD", "is_enterprise_install": false});
        assert_eq!(
            Identity::from_auth_test(&body),
            Some(Identity {
                user_id: "U0123ABCD".into(),
                bot_id: "B0123ABCD".into(),
                team_id: "T0123ABCD".into(),
            })
        );
        // A user token's answer has no bot_id: it cannot say which messages are the bot's.
        let user = json!({"ok": true, "team_id": "T0123ABCD", "user_id": "U0123ABCD"});
        assert_eq!(Identity::from_auth_test(&user), None);
    }

    #[test]
    fn a_failure_names_the_setting_and_slacks_word() {
        let words = failure("invalid_auth");
        assert!(words.contains("SLACK_BOT_TOKEN"), "{words}");
        assert!(words.contains("invalid_auth"), "{words}");
    }
}
