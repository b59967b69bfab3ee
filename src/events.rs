//! `statsbot mention`, `dm`, `unfurl` and `home`: an Events API event signed as Slack signs it
//! (shaped like Slack's documented payloads), sent to the running dev stack's bot
//! (`/slack/events`), and what the bot did in the stack's Slack stand-in (`crate::stand_in`),
//! printed as Slack would show it, with how long it took.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use devkit::slack_channel::Identity;
use serde_json::{Value, json};

use crate::dev_state::DevState;
use crate::error::{Error, Result};
use crate::stand_in::{Record, StandIn};
use crate::terminal;

/// The dev stack's channel and the DM with the bot.
pub const CHANNEL: &str = "C0DEV0CHAN";
pub const DM: &str = "D0DEV0CHAN";
/// How long to wait for the bot's answer: its slowest stats API call and retries.
const WAIT: Duration = Duration::from_secs(35);
/// How long to wait for an unfurl or a Home tab that may rightly not come.
const MAY_NOT_COME: Duration = Duration::from_secs(10);

/// What to send.
#[derive(Debug, Clone)]
pub enum Sent {
    /// `@statsbot {words}`, in the thread `thread` if given.
    Mention {
        words: String,
        thread: Option<String>,
        redeliver: bool,
    },
    /// A DM to the bot.
    Dm { words: String },
    /// A link pasted in the channel.
    Unfurl { url: String },
    /// The app's Home tab opened.
    Home,
}

pub struct EventOptions {
    pub sent: Sent,
    pub user: String,
    pub team: String,
    pub json: bool,
}

/// The dev stack's bot user (the stand-in's `auth.test`).
pub fn bot_user() -> String {
    Identity::default().user_id
}

/// A message `ts` for now, as Slack writes them.
pub fn ts_now() -> String {
    let now = chrono::Utc::now();
    format!("{}.{:06}", now.timestamp(), now.timestamp_subsec_micros())
}

/// A fresh `Ev…` id (the clock's nanoseconds, in capitals as Slack's ids are).
pub fn event_id() -> Result<String> {
    let nanos = chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default();
    Ok(format!("Ev0{:X}", nanos as u64 & 0xFF_FFFF_FFFF))
}

/// The `event_callback` envelope Slack posts, around `event`.
pub fn callback(event_id: &str, team: &str, event: Value) -> Value {
    json!({
        "token": "statsbot-dev-verification-token",
        "team_id": team,
        "api_app_id": "A0DEV0APP",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": chrono::Utc::now().timestamp(),
        "authorizations": [{ "enterprise_id": null, "team_id": team, "user_id": bot_user(),
                             "is_bot": true, "is_enterprise_install": false }],
        "is_ext_shared_channel": false,
        "event_context": "4-eyJldCI6ImFwcF9tZW50aW9uIiwidGlkIjoiVDBERVYwVEVBTSJ9"
    })
}

/// The message a mention or DM is, as the stand-in's `/dev/messages` takes it.
pub fn message(channel: &str, user: &str, text: &str, thread: Option<&str>) -> Value {
    let mut message = json!({ "type": "message", "channel": channel, "user": user, "text": text });
    if let Some(thread) = thread {
        message["thread_ts"] = json!(thread);
    }
    message
}

/// `app_mention`: `text` with the bot's mention first.
pub fn mention_event(user: &str, words: &str, ts: &str, thread: Option<&str>) -> Value {
    let mut event = json!({ "type": "app_mention", "user": user,
        "text": format!("<@{}> {words}", bot_user()), "ts": ts, "channel": CHANNEL,
        "event_ts": ts, "client_msg_id": "3c1d2b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d" });
    if let Some(thread) = thread {
        event["thread_ts"] = json!(thread);
    }
    event
}

/// `message` in the DM (`message.im`).
pub fn dm_event(user: &str, words: &str, ts: &str) -> Value {
    json!({ "type": "message", "channel": DM, "channel_type": "im", "user": user, "text": words,
            "ts": ts, "event_ts": ts, "client_msg_id": "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d" })
}

/// `link_shared` for `url`, posted in the channel at `ts`.
pub fn link_event(user: &str, url: &str, ts: &str) -> Value {
    let domain = reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(String::from))
        .unwrap_or_default();
    json!({ "type": "link_shared", "channel": CHANNEL, "is_bot_user_member": true, "user": user,
            "message_ts": ts, "unfurl_id": format!("{CHANNEL}.{ts}.dev"),
            "source": "conversations_history", "links": [{ "domain": domain, "url": url }],
            "event_ts": ts })
}

/// `app_home_opened` on the Home tab.
pub fn home_event(user: &str) -> Value {
    json!({ "type": "app_home_opened", "user": user, "channel": DM, "tab": "home",
            "event_ts": ts_now(),
            "view": { "id": "V0DEV0HOME", "type": "home", "blocks": [], "hash": "1.dev" } })
}

/// Posts `body` to the bot's `/slack/events`, signed; `retry` sets Slack's redelivery headers.
/// Returns the HTTP status and how long the acknowledgement took.
pub async fn send(
    url: &str,
    secret: &str,
    body: &Value,
    retry: Option<u32>,
) -> Result<(u16, Duration)> {
    let body = body.to_string();
    let timestamp = chrono::Utc::now().timestamp().to_string();
    let signature = bot::slack::signature::sign(secret, &timestamp, body.as_bytes());
    service_kit::tls::install_crypto_provider();
    let mut request = reqwest::Client::new()
        .post(url)
        .header("Content-Type", "application/json")
        .header("X-Slack-Request-Timestamp", timestamp)
        .header("X-Slack-Signature", signature);
    if let Some(n) = retry {
        request = request
            .header("X-Slack-Retry-Num", n.to_string())
            .header("X-Slack-Retry-Reason", "http_timeout");
    }
    let started = Instant::now();
    let response = request
        .body(body)
        .send()
        .await
        .map_err(|e| Error::BotUnreachable {
            url: url.to_string(),
            cause: e.to_string(),
        })?;
    Ok((response.status().as_u16(), started.elapsed()))
}

pub async fn run(options: EventOptions) -> Result<()> {
    let state = DevState::running()?;
    let slack_api = state.slack_api_url.clone().ok_or_else(|| {
        Error::Settings("the running dev stack has no Slack stand-in; restart it".into())
    })?;
    let stand_in = StandIn::new(&slack_api);
    let url = format!("{}/slack/events", state.bot_url);
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let show = |message: &Value, audience: &str| {
        if options.json {
            println!("{}", serde_json::to_string_pretty(message).expect("JSON"));
            return;
        }
        let mut shown = message.clone();
        shown["response_type"] = json!(audience);
        println!("{}", terminal::render(&shown, color));
    };
    let note = |text: String| eprintln!("{}", terminal::dim(&text, color));
    let user = options.user.as_str();
    let id = event_id()?;
    let before = stand_in.record().await?;

    let (event, thread, channel) = match &options.sent {
        Sent::Mention { words, thread, .. } => {
            let text = format!("<@{}> {words}", bot_user());
            let said = message(CHANNEL, user, &text, thread.as_deref());
            let ts = stand_in.seed(&said).await?;
            let reply_thread = thread.clone().unwrap_or_else(|| ts.clone());
            let event = mention_event(user, words, &ts, thread.as_deref());
            (event, Some(reply_thread), CHANNEL)
        }
        Sent::Dm { words } => {
            let ts = stand_in.seed(&message(DM, user, words, None)).await?;
            (dm_event(user, words, &ts), None, DM)
        }
        Sent::Unfurl { url } => {
            let said = message(CHANNEL, user, &format!("<{url}>"), None);
            let ts = stand_in.seed(&said).await?;
            (link_event(user, url, &ts), None, CHANNEL)
        }
        Sent::Home => (home_event(user), None, DM),
    };
    let body = callback(&id, &options.team, event);
    let (status, acked) = send(&url, &state.signing_secret, &body, None).await?;
    let sent_at = Instant::now() - acked;
    if status != 200 {
        return Err(Error::BotAnswer {
            status,
            reply: format!("to event {id}"),
        });
    }
    note(format!(
        "(event {id} acknowledged in {} ms)",
        acked.as_millis()
    ));

    match &options.sent {
        Sent::Mention { .. } | Sent::Dm { .. } => {
            let replied = |r: &Record| new_replies(&before, r, channel, thread.as_deref()).0 > 0;
            let (_, came) = stand_in.wait_for(WAIT, replied).await?;
            if !came {
                return Err(Error::NothingReceived {
                    what: "no reply",
                    seconds: WAIT.as_secs(),
                });
            }
            let answered_after = sent_at.elapsed();
            // A private answer comes with a line in the thread: both, then.
            tokio::time::sleep(Duration::from_millis(300)).await;
            let record = stand_in.record().await?;
            for ephemeral in &record.ephemerals[before.ephemerals.len()..] {
                show(ephemeral, "ephemeral");
            }
            let (_, posts) = new_replies(&before, &record, channel, thread.as_deref());
            for post in &posts {
                show(post, "in_channel");
            }
            let place = match &thread {
                Some(thread) => format!("in the thread {thread}"),
                None => "in the DM".to_string(),
            };
            note(format!(
                "(answered {place}, {} ms after the {})",
                answered_after.as_millis(),
                if channel == DM { "DM" } else { "mention" }
            ));
            if let Sent::Mention {
                redeliver: true, ..
            } = &options.sent
            {
                redeliver(
                    &url,
                    &state.signing_secret,
                    &body,
                    &stand_in,
                    &record,
                    channel,
                    thread.as_deref(),
                    &note,
                )
                .await?;
            }
            if let Some(thread) = thread {
                note(format!(
                    "(follow up in that thread: cargo run -- mention \"and the last 3 months?\" --thread {thread})"
                ));
            }
        }
        Sent::Unfurl { url: link } => {
            let unfurled = |r: &Record| r.unfurls.len() > before.unfurls.len();
            let (record, came) = stand_in.wait_for(MAY_NOT_COME, unfurled).await?;
            if !came {
                note("(the bot left the link alone: not a stats link it can read, a private stat, or another address than the stats API's)".into());
                return Ok(());
            }
            let answered_after = sent_at.elapsed();
            for unfurl in &record.unfurls[before.unfurls.len()..] {
                let previews = unfurl["unfurls"].as_object().cloned().unwrap_or_default();
                for (shared, preview) in previews {
                    note(format!("(preview of {shared})"));
                    show(&json!({ "blocks": preview["blocks"] }), "in_channel");
                }
            }
            note(format!(
                "(unfurled {} ms after the link was shared: {link})",
                answered_after.as_millis()
            ));
        }
        Sent::Home => {
            let published = |r: &Record| r.views.len() > before.views.len();
            let (record, came) = stand_in.wait_for(MAY_NOT_COME, published).await?;
            let latest = record.views.iter().rev().find(|v| v["user_id"] == user);
            match (came, latest) {
                (true, Some(view)) => {
                    show(&json!({ "blocks": view["view"]["blocks"] }), "ephemeral");
                    note(format!(
                        "(Home tab published {} ms after it was opened)",
                        sent_at.elapsed().as_millis()
                    ));
                }
                (false, Some(view)) => {
                    show(&json!({ "blocks": view["view"]["blocks"] }), "ephemeral");
                    note("(published within its cache time, so not again: this is the tab as last published; its Refresh button builds it now)".into());
                }
                (_, None) => note("(nothing published: see the dev stack's log)".into()),
            }
        }
    }
    Ok(())
}

/// The bot's new posts since `before` in `channel` (in `thread`, when given): how many, and
/// them.
fn new_replies(
    before: &Record,
    now: &Record,
    channel: &str,
    thread: Option<&str>,
) -> (usize, Vec<Value>) {
    let known: Vec<&Value> = before.posts.iter().map(|p| &p["ts"]).collect();
    let posts: Vec<Value> = now
        .posts
        .iter()
        .filter(|p| p["channel"] == channel && !known.contains(&&p["ts"]))
        .filter(|p| thread.is_none_or(|t| p["thread_ts"] == t))
        .cloned()
        .collect();
    (posts.len(), posts)
}

/// Sends the same event again, as Slack does when it missed the acknowledgement, and says
/// whether the bot answered it twice.
#[allow(clippy::too_many_arguments)]
async fn redeliver(
    url: &str,
    secret: &str,
    body: &Value,
    stand_in: &StandIn,
    answered: &Record,
    channel: &str,
    thread: Option<&str>,
    note: &impl Fn(String),
) -> Result<()> {
    let (status, acked) = send(url, secret, body, Some(1)).await?;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let again = stand_in.record().await?;
    let (more, _) = new_replies(answered, &again, channel, thread);
    note(format!(
        "(redelivered with X-Slack-Retry-Num: 1: HTTP {status} in {} ms, {})",
        acked.as_millis(),
        if more == 0 {
            "no second reply"
        } else {
            "ANSWERED AGAIN"
        }
    ));
    Ok(())
}

/// How the dev stack's stand-in prints what only the event features do (a private message, an
/// unfurl, a Home tab); `None` for posts and updates, which it prints as it always has.
pub fn shown_by_stand_in(
    change: devkit::slack_api_stub::Change,
    body: &Value,
    color: bool,
) -> Option<String> {
    use devkit::slack_api_stub::Change;
    let (what, shown) = match change {
        Change::Ephemeral => {
            let mut shown = body.clone();
            shown["response_type"] = json!("ephemeral");
            let to = body["user"].as_str().unwrap_or("?");
            (
                format!("shown to <@{to}> alone"),
                terminal::render(&shown, color),
            )
        }
        Change::Unfurled => {
            let previews = body["unfurls"].as_object().cloned().unwrap_or_default();
            let shown: Vec<String> = previews
                .iter()
                .map(|(url, preview)| {
                    let blocks =
                        json!({ "response_type": "in_channel", "blocks": preview["blocks"] });
                    format!("{url}\n{}", terminal::render(&blocks, color))
                })
                .collect();
            ("links unfurled".to_string(), shown.join("\n\n"))
        }
        Change::Published => {
            let to = body["user_id"].as_str().unwrap_or("?");
            let blocks = json!({ "response_type": "ephemeral", "blocks": body["view"]["blocks"] });
            (
                format!("Home tab of <@{to}> published"),
                terminal::render(&blocks, color),
            )
        }
        _ => return None,
    };
    let note = format!("── {what} (Slack Web API stand-in) ──");
    Some(format!("\n{}\n{shown}\n", terminal::dim(&note, color)))
}
