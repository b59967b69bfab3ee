//! `statsbot slash "/stats members"`: signs a slash command the way Slack does, sends it to the
//! bot and shows the answer, and, when the bot only acknowledged it in time, the answer it posts
//! to `response_url` (a receiver on 127.0.0.1 that this command starts). `--press share` then
//! presses one of the answer's buttons, as Slack would (`crate::press`), and shows what the bot
//! posts to that button's `response_url`. `--save-charts DIR` saves the charts the answers
//! link to (`crate::saved_charts`).

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use devkit::response_receiver::ResponseReceiver;
use serde_json::Value;
use service_kit::Env;

use crate::dev_state::DevState;
use crate::error::{Error, Result};
use crate::press::{self, Button};
use crate::saved_charts;
use crate::terminal;

pub struct SlashOptions {
    /// What a person would type, e.g. `/stats members`.
    pub typed: String,
    /// The bot's `/slack/commands` URL; the running dev stack's by default.
    pub url: Option<String>,
    pub json: bool,
    pub user: String,
    pub team: String,
    /// Buttons to press, in order, each on the message the previous step showed: an
    /// `action_id` (`share`), `action_id:value` (`run:members`) or a label (`"Next page"`).
    pub press: Vec<String>,
    /// Save the PNG behind each chart link the answers carry in this folder.
    pub save_charts: Option<std::path::PathBuf>,
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
    let signature = bot::slack::signature::sign(secret, &timestamp, body.as_bytes());
    service_kit::tls::install_crypto_provider();
    let response = reqwest::Client::new()
        .post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Slack-Request-Timestamp", timestamp)
        .header("X-Slack-Signature", signature)
        .body(body)
        .send()
        .await
        .map_err(|e| Error::BotUnreachable {
            url: url.to_string(),
            cause: e.to_string(),
        })?;
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    let json = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Ok((status, json))
}

/// How long to wait for a deferred answer: the bot's slowest stats API call and its retries.
pub const DEFERRED_WAIT: Duration = Duration::from_secs(35);

/// A command sent, with the receiver standing in for its `response_url`.
pub struct Sent {
    pub status: u16,
    /// The HTTP reply, as Slack would get it.
    pub reply: Value,
    /// How long the bot took to reply.
    pub reply_after: Duration,
    /// Whether the reply was the bot's "working on it", with the answer to follow.
    pub working_on_it: bool,
    sent: Instant,
    receiver: ResponseReceiver,
}

/// Signs and sends `typed` (e.g. `/stats members`) to the bot at `url`, with a `response_url`
/// on a receiver this process starts on 127.0.0.1.
pub async fn send_command(
    url: &str,
    secret: &str,
    typed: &str,
    team: &str,
    user: &str,
) -> Result<Sent> {
    let receiver = ResponseReceiver::start().await?;
    let (command, text) = split_command(typed);
    let body = form_body(&command, &text, team, user, &receiver.url());
    let sent = Instant::now();
    let (status, reply) = send(url, secret, body).await?;
    let reply_after = sent.elapsed();
    Ok(Sent {
        working_on_it: status == 200 && is_working_on_it(&reply, &command, &text),
        status,
        reply,
        reply_after,
        sent,
        receiver,
    })
}

impl Sent {
    /// The answer posted to `response_url` (waiting up to `wait` for it), and how long after
    /// the command it came.
    pub async fn deferred_answer(&self, wait: Duration) -> Result<(Value, Duration)> {
        let post = self
            .receiver
            .first_delivery(wait)
            .await
            .ok_or(Error::NothingReceived {
                what: "the bot said it was working on it, but no answer",
                seconds: wait.as_secs(),
            })?;
        Ok((post.body, post.at - self.sent))
    }

    /// Every post that reached the receiver so far, answered or not.
    pub fn posts(&self) -> Vec<devkit::response_receiver::Post> {
        self.receiver.posts()
    }
}

/// Presses `button` as `user` of `team` would: the signed `block_actions` payload to the bot's
/// `/slack/interactions` (beside `commands_url`), with a stand-in `response_url`. Returns what
/// reached it, in order: the answer, and for a share the deletion of the message pressed.
pub async fn press_button(
    commands_url: &str,
    secret: &str,
    button: &Button,
    team: &str,
    user: &str,
) -> Result<Vec<Value>> {
    press_button_in(commands_url, secret, button, team, user, press::DEV_CHANNEL).await
}

/// [`press_button`] in `channel` (an alert's buttons act only in the alert's channel).
pub async fn press_button_in(
    commands_url: &str,
    secret: &str,
    button: &Button,
    team: &str,
    user: &str,
    channel: &str,
) -> Result<Vec<Value>> {
    let receiver = ResponseReceiver::start().await?;
    let payload = press::block_actions_payload(button, team, user, channel, &receiver.url());
    let url = press::interactions_url(commands_url);
    let (status, reply) = send(&url, secret, press::form_body(&payload)).await?;
    if status != 200 {
        return Err(Error::BotAnswer {
            status,
            reply: reply.to_string(),
        });
    }
    receiver
        .first_delivery(DEFERRED_WAIT)
        .await
        .ok_or(Error::NothingReceived {
            what: "nothing for the button",
            seconds: DEFERRED_WAIT.as_secs(),
        })?;
    // A share posts twice, one right after the other.
    tokio::time::sleep(Duration::from_millis(300)).await;
    Ok(receiver
        .delivered()
        .into_iter()
        .map(|post| post.body)
        .collect())
}

/// Whether `reply` is the bot's "working on it" for this command: compared with the bot's own
/// template, so the wording stays in one place.
fn is_working_on_it(reply: &Value, command: &str, text: &str) -> bool {
    let ctx = bot::render::Context { command };
    let subcommand = bot::slack::slash_command::parse_text(text).subcommand;
    let working = bot::flows::working::working(&ctx, &subcommand);
    &working.to_value() == reply
}

pub async fn run(options: SlashOptions) -> Result<()> {
    let state = DevState::load();
    let secret = Env::process()
        .optional("SLACK_SIGNING_SECRET")
        .or_else(|| state.as_ref().map(|s| s.signing_secret.clone()))
        .ok_or_else(|| {
            Error::Settings(
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
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let show = |message: &Value| {
        if options.json {
            println!("{}", serde_json::to_string_pretty(message).expect("JSON"));
        } else {
            println!("{}", terminal::render(message, color));
        }
    };

    let note = |text: String| eprintln!("{}", terminal::dim(&text, color));
    // Every chart link shown, for --save-charts.
    let mut charts: Vec<String> = Vec::new();

    let sent = send_command(&url, &secret, &options.typed, &options.team, &options.user).await?;
    if sent.status != 200 {
        return Err(Error::BotAnswer {
            status: sent.status,
            reply: sent.reply.to_string(),
        });
    }
    show(&sent.reply);
    charts.extend(saved_charts::image_urls(&sent.reply));
    let mut last = sent.reply.clone();
    if sent.working_on_it {
        note(format!(
            "(acknowledged in {} ms; waiting up to {} s for the answer through response_url…)",
            sent.reply_after.as_millis(),
            DEFERRED_WAIT.as_secs()
        ));
        let (answer, after) = sent.deferred_answer(DEFERRED_WAIT).await?;
        note(format!(
            "(the answer came {:.1} s after the command)",
            after.as_secs_f64()
        ));
        show(&answer);
        charts.extend(saved_charts::image_urls(&answer));
        last = answer;
    }
    for wanted in &options.press {
        let offered = press::buttons(&last);
        let button = press::find(&offered, wanted).ok_or_else(|| Error::NoSuchButton {
            wanted: wanted.clone(),
            offered: if offered.is_empty() {
                "none".into()
            } else {
                press::describe(&offered)
            },
        })?;
        note(format!(
            "(pressing “{}” as {} …)",
            button.label, options.user
        ));
        let posts = press_button(&url, &secret, button, &options.team, &options.user).await?;
        for post in posts {
            if post["delete_original"] == true {
                note("(the message pressed was deleted)".into());
                continue;
            }
            show(&post);
            charts.extend(saved_charts::image_urls(&post));
            if post["replace_original"] == true {
                note("(in place of the message pressed)".into());
            }
            last = post;
        }
    }
    let offered = press::buttons(&last);
    if options.press.is_empty() && !offered.is_empty() && !options.json {
        let first = &offered[0];
        let example = if offered
            .iter()
            .filter(|b| b.action_id == first.action_id)
            .count()
            > 1
        {
            first.press_name()
        } else {
            first.action_id.clone()
        };
        note(format!(
            "(buttons: {}; press one with --press, e.g. --press {example})",
            press::describe(&offered)
        ));
    }
    if !options.json && last["blocks"].is_array() {
        println!(
            "\nSee it as Slack draws it: {}",
            terminal::builder_link(&last)
        );
    }
    for url in &charts {
        note(format!(
            "(chart link, opens in a browser until it expires: {url})"
        ));
    }
    if let Some(dir) = &options.save_charts {
        if charts.is_empty() {
            note("(no charts in these answers: only series and ranked stats have one, and only when the stats API has STATS_API_PUBLIC_URL)".into());
        }
        for path in saved_charts::save(&charts, dir).await? {
            note(format!("(chart saved: {})", path.display()));
        }
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
