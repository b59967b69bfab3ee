//! `statsbot slash "/stats members"`: signs a slash command the way Slack does, sends it to the
//! bot and shows the answer.

use std::io::IsTerminal;

use serde_json::Value;

use crate::dev::DevState;
use crate::error::{Error, Result};
use crate::terminal;

pub struct SlashOptions {
    /// What a person would type, e.g. `/stats members`.
    pub typed: String,
    /// The bot's `/slack/commands` URL; the running dev stack's by default.
    pub url: Option<String>,
    pub json: bool,
    pub user: String,
    pub team: String,
}

/// `/stats members months=3` → (`/stats`, `members months=3`); bare text goes to `/stats`.
pub fn split_command(typed: &str) -> (String, String) {
    let typed = typed.trim();
    match typed.strip_prefix('/') {
        Some(rest) => {
            let (name, text) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            (format!("/{name}"), text.trim().to_string())
        }
        None => ("/stats".to_string(), typed.to_string()),
    }
}

/// The form Slack posts for a slash command.
pub fn form_body(command: &str, text: &str, team: &str, user: &str, response_url: &str) -> String {
    serde_urlencoded::to_string([
        ("token", "statsbot-dev-verification-token"),
        ("team_id", team),
        ("team_domain", "statsbot-dev"),
        ("channel_id", "C0DEV0CHAN"),
        ("channel_name", "general"),
        ("user_id", user),
        ("user_name", "you"),
        ("command", command),
        ("text", text),
        ("api_app_id", "A0DEV0APP"),
        ("is_enterprise_install", "false"),
        ("response_url", response_url),
        ("trigger_id", "1.2.dev"),
    ])
    .expect("strings encode")
}

/// Sends the signed command; returns the bot's HTTP status and JSON reply.
pub async fn send(url: &str, secret: &str, body: String) -> Result<(u16, Value)> {
    let timestamp = chrono::Utc::now().timestamp().to_string();
    let signature = bot::signature::sign(secret, &timestamp, body.as_bytes());
    let _ = rustls::crypto::ring::default_provider().install_default();
    let response = reqwest::Client::new()
        .post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Slack-Request-Timestamp", timestamp)
        .header("X-Slack-Signature", signature)
        .body(body)
        .send()
        .await
        .map_err(|e| {
            Error::Slash(format!(
                "the bot at {url} did not answer ({e}).\nIs the dev stack running? Start it with: cargo run -- dev"
            ))
        })?;
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    let json = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Ok((status, json))
}

pub async fn run(options: SlashOptions) -> Result<()> {
    let state = DevState::load();
    let secret = std::env::var("SLACK_SIGNING_SECRET")
        .ok()
        .or_else(|| state.as_ref().map(|s| s.signing_secret.clone()))
        .ok_or_else(|| {
            Error::Slash(
                "no signing secret: start the dev stack first (cargo run -- dev), \
                 or set SLACK_SIGNING_SECRET and pass --url"
                    .into(),
            )
        })?;
    let url = options
        .url
        .clone()
        .or_else(|| {
            state
                .as_ref()
                .map(|s| format!("{}/slack/commands", s.bot_url))
        })
        .unwrap_or_else(|| "http://127.0.0.1:3000/slack/commands".into());
    let (command, text) = split_command(&options.typed);
    let body = form_body(&command, &text, &options.team, &options.user, "");
    let (status, reply) = send(&url, &secret, body).await?;
    if status != 200 {
        return Err(Error::Slash(format!(
            "the bot answered HTTP {status}: {reply}"
        )));
    }
    if options.json {
        println!("{}", serde_json::to_string_pretty(&reply).expect("JSON"));
        return Ok(());
    }
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    println!("{}", terminal::render(&reply, color));
    if reply["blocks"].is_array() {
        println!(
            "\nSee it as Slack draws it: {}",
            terminal::builder_link(&reply)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_typed_command_splits_like_slack_splits_it() {
        assert_eq!(
            split_command("/stats members"),
            ("/stats".into(), "members".into())
        );
        assert_eq!(
            split_command(" /stats  signups months=3 "),
            ("/stats".into(), "signups months=3".into())
        );
        assert_eq!(split_command("/stats"), ("/stats".into(), String::new()));
        assert_eq!(split_command("help"), ("/stats".into(), "help".into()));
    }

    #[test]
    fn the_form_encodes_text_as_slack_does() {
        let body = form_body("/stats", "signups months=3", "T1", "U1", "");
        assert!(
            body.contains("command=%2Fstats&text=signups+months%3D3"),
            "{body}"
        );
    }
}
