//! Alerts at the bot's edge: `/stats alerts`, and an alert message's buttons (Silence 1 h,
//! Silence 24 h, Check now) pressed as Slack posts them, signed, to `/slack/interactions`; the
//! presser is answered through `response_url`, the alert's message through the Web API stand-in.

use std::time::{Duration, Instant};

use crate::helpers::*;
use devkit::response_receiver::{Post, ResponseReceiver};
use devkit::slack_api_stub::SlackApiStub;
use serde_json::{Value, json};

const FIXTURE: &str = include_str!("../fixtures/block_actions_button.json");
const PRESSER: &str = "U2147483697";

const ALERTS: &str = r#"
[[alerts]]
name = "headcount"
channel = "C0123456789"
stat = "members"
schedule = "*/15 * * * *"
when = "total > 1000000"
title = "Headcount"

[[alerts]]
name = "every_thousand"
channel = "G0123456789"
stat = "members"
schedule = "0 * * * *"
timezone = "Europe/Berlin"
milestone = "total every 1000"
"#;

/// A bot with [`ALERTS`], its Web API pointed at `slack`, answering on 127.0.0.1.
async fn bot_with_alerts(api: &FakeApi, slack: &SlackApiStub) -> String {
    let mut config = config(&api.url());
    config.alerts = std::sync::Arc::new(bot::alerts::file::parse(ALERTS).unwrap());
    config.slack_bot_token = Some(service_kit::Secret::new("xoxb-api-test-token"));
    config.slack_api_url = slack.url();
    config.allow_response_url = Some("http://127.0.0.1:".into());
    spawn_bot(config).await
}

/// Presses a button in the `headcount` alert's channel as Slack would.
async fn press(bot: &str, action_id: &str, value: &str, receiver: &ResponseReceiver) {
    press_in(bot, "C0123456789", action_id, value, receiver).await
}

/// Presses a button in `channel` as Slack would; Slack needs an empty 200, quickly.
async fn press_in(
    bot: &str,
    channel: &str,
    action_id: &str,
    value: &str,
    receiver: &ResponseReceiver,
) {
    let mut payload: Value = serde_json::from_str(FIXTURE).unwrap();
    payload["response_url"] = json!(receiver.url());
    payload["channel"]["id"] = json!(channel);
    payload["container"]["channel_id"] = json!(channel);
    payload["actions"][0]["action_id"] = json!(action_id);
    payload["actions"][0]["value"] = json!(value);
    let body = serde_urlencoded::to_string([("payload", payload.to_string())]).unwrap();
    let started = Instant::now();
    let response = post_signed(bot, "/slack/interactions", SECRET, now(), body).await;
    assert_eq!(response.status(), 200, "{action_id} {value}");
    assert!(
        started.elapsed() < Duration::from_millis(1000),
        "acknowledged at once"
    );
    assert_eq!(response.text().await.unwrap(), "", "nothing inline");
}

/// The one private note the press answers with.
async fn note(receiver: &ResponseReceiver) -> Post {
    let post = receiver
        .first_delivery(Duration::from_secs(10))
        .await
        .expect("an answer through response_url");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(receiver.delivered().len(), 1, "{:#?}", receiver.delivered());
    assert_valid_message(&post.body);
    assert_eq!(response_type(&post.body), "ephemeral", "{}", post.body);
    assert_eq!(
        post.body["replace_original"], false,
        "beside the message: {}",
        post.body
    );
    post
}

#[tokio::test]
async fn stats_alerts_lists_each_alert_privately_with_its_condition_state_and_next_check() {
    let api = spawn_fake_api().await;
    let none = spawn_bot(config(&api.url())).await;
    let reply = ask(&none, "alerts").await;
    assert!(
        visible_text(&reply).contains("No alerts are set up"),
        "{reply}"
    );

    let slack = SlackApiStub::start().await.unwrap();
    let bot = bot_with_alerts(&api, &slack).await;
    let reply = ask(&bot, "alerts").await;
    assert_eq!(response_type(&reply), "ephemeral");
    let text = visible_text(&reply);
    assert!(text.starts_with("2 alerts."), "{text}");
    assert!(text.contains("*headcount* → <#C0123456789>"), "{text}");
    assert!(text.contains("*every_thousand* → <#G0123456789>"), "{text}");
    assert!(text.contains("in `members`"), "{text}");
    assert!(
        text.contains("not checked yet; checked never, next <!date^"),
        "{text}"
    );
    // `/stats help` offers it.
    assert!(visible_text(&ask(&bot, "help").await).contains("alerts"));
}

#[tokio::test]
async fn silence_says_who_and_until_when_and_shows_in_the_list() {
    let api = spawn_fake_api().await;
    let slack = SlackApiStub::start().await.unwrap();
    let bot = bot_with_alerts(&api, &slack).await;
    let receiver = ResponseReceiver::start().await.unwrap();
    let before = chrono::Utc::now();
    press(&bot, "alert_silence_24h", "headcount", &receiver).await;
    let text = note(&receiver).await.body["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        text.starts_with("Alert `headcount` is silenced until <!date^"),
        "{text}"
    );
    let until: i64 = text["Alert `headcount` is silenced until <!date^".len()..]
        .split('^')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let hours = (until - before.timestamp()) as f64 / 3600.0;
    assert!((23.9..24.1).contains(&hours), "{hours} h");
    // No incident message yet: nothing to update; the channel was read for one.
    assert!(slack.updates().is_empty());
    assert!(slack.posts().is_empty());
    assert_eq!(slack.history_calls(), 1);

    let listed = visible_text(&ask(&bot, "alerts").await);
    assert!(
        listed.contains(&format!("silenced by <@{PRESSER}> until <!date^{until}^")),
        "{listed}"
    );
}

#[tokio::test]
async fn check_now_asks_the_stats_api_at_once_and_strange_buttons_are_answered_politely() {
    let api = spawn_fake_api().await;
    let slack = SlackApiStub::start().await.unwrap();
    let bot = bot_with_alerts(&api, &slack).await;
    let hits = api.hits();
    let receiver = ResponseReceiver::start().await.unwrap();
    press(&bot, "alert_check", "headcount", &receiver).await;
    let text = note(&receiver).await.body["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(text, "Alert `headcount` checked: ok.");
    assert!(api.hits() > hits, "the stat was asked for");
    assert!(slack.posts().is_empty(), "ok: nothing posted");
    let listed = visible_text(&ask(&bot, "alerts").await);
    assert!(
        listed.contains("*headcount* → <#C0123456789>: `total`"),
        "{listed}"
    );
    assert!(listed.contains("— ok since <!date^"), "{listed}");

    // An alert removed from the file since its message was posted.
    let receiver = ResponseReceiver::start().await.unwrap();
    press(&bot, "alert_check", "gone_alert", &receiver).await;
    let text = note(&receiver).await.body["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(text, "There is no alert `gone_alert` any more.");

    // A value no alert button carries: a stale button, nothing done.
    let receiver = ResponseReceiver::start().await.unwrap();
    press(&bot, "alert_silence_1h", "<!channel>", &receiver).await;
    let body = note(&receiver).await.body;
    assert!(!body.to_string().contains("<!channel>"), "{body}");
    assert!(slack.posts().is_empty() && slack.updates().is_empty());
}

#[test]
fn a_broken_alerts_file_and_a_missing_token_are_all_refused_at_start_up_at_once() {
    let path =
        std::env::temp_dir().join(format!("statsbot-api-alerts-{}.toml", std::process::id()));
    let broken = format!(
        "{ALERTS}\n[[alerts]]\nname = \"quiet\"\nchannel = \"general\"\nstat = \"growth 7\"\n\
         schedule = \"*/15 * * * *\"\nwhen = \"joined => 3\"\nfor = \"soon\"\ntittle = \"x\"\n"
    );
    std::fs::write(&path, broken).unwrap();
    let shown = path.display().to_string();
    let vars = [
        ("SLACK_SIGNING_SECRET", SECRET),
        ("STATS_API_URL", "http://127.0.0.1:9"),
        ("STATS_API_TOKEN", TOKEN),
        ("BOT_ALERTS", shown.as_str()),
    ];
    let error = bot::Config::from_lookup(|name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    })
    .unwrap_err()
    .to_string();
    std::fs::remove_file(&path).unwrap();
    for says in [
        "the alerts file has 4 mistakes:",
        "alert `quiet`: `channel` \"general\" is not a channel ID",
        "alert `quiet`: `when` \"joined => 3\": unknown operator `=>`",
        "alert `quiet`: `for` \"soon\": not a duration",
        "alert `quiet`: unknown key `tittle` (did you mean `title`?)",
    ] {
        assert!(error.contains(says), "missing {says:?} in:\n{error}");
    }

    // A good file without the token to post with: refused, naming the variable.
    let path = std::env::temp_dir().join(format!(
        "statsbot-api-alerts-ok-{}.toml",
        std::process::id()
    ));
    std::fs::write(&path, ALERTS).unwrap();
    let shown = path.display().to_string();
    let vars = [
        ("SLACK_SIGNING_SECRET", SECRET),
        ("STATS_API_URL", "http://127.0.0.1:9"),
        ("STATS_API_TOKEN", TOKEN),
        ("BOT_ALERTS", shown.as_str()),
    ];
    let error = bot::Config::from_lookup(|name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    })
    .unwrap_err()
    .to_string();
    std::fs::remove_file(&path).unwrap();
    assert!(
        error.contains("SLACK_BOT_TOKEN is not set: BOT_ALERTS declares alerts"),
        "{error}"
    );
}

#[tokio::test]
async fn stats_alerts_in_a_process_that_never_checked_shows_what_the_channel_says() {
    // On Lambda the tick runs in another function: its incident message is in the channel.
    let api = spawn_fake_api().await;
    let slack = SlackApiStub::start().await.unwrap();
    let posted = json!({
        "channel": "C0123456789",
        "text": "Headcount: `total` is 1,234, > 1,000",
        "metadata": { "event_type": "statsbot_alert", "event_payload": {
            "alert": "headcount", "state": "firing", "since": "2026-03-09T10:15:00Z",
            "value": "1234", "condition": "`total` is 1,234, > 1,000" } }
    });
    let answer = http_client()
        .post(format!("{}/chat.postMessage", slack.url()))
        .header("content-type", "application/json")
        .body(posted.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let bot = bot_with_alerts(&api, &slack).await;
    let listed = visible_text(&ask(&bot, "alerts").await);
    let since = chrono::DateTime::parse_from_rfc3339("2026-03-09T10:15:00Z").unwrap();
    assert!(
        listed.contains(&format!("— firing since <!date^{}^", since.timestamp())),
        "{listed}"
    );
    assert!(
        listed.contains("*every_thousand* → <#G0123456789>: "),
        "{listed}"
    );
    assert_eq!(slack.history_calls(), 2, "one read per channel");
}
