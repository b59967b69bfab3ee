//! Alerts in a hostile, busy channel (issue 23's table): other apps' and members' messages
//! carrying forged `statsbot_alert` metadata, hundreds of chat messages after the bot's own,
//! buttons pressed where they do not belong, and a token Slack refuses. The stack and its
//! helpers are `alerts.rs`'s; the channel's history is the Slack stand-in's, paged as Slack's.

use bot::startup::Bot;
use devkit::slack_channel::{chatter, member, other_app};
use serde_json::{Value, json};
use statsbot::press;
use statsbot::slash::press_button_in;

use crate::alerts::{AlertStack, BOT_TOKEN, CHANNEL, alert_stack, did, headcount, payload, tick};
use crate::alerts_buttons_and_scale::serve;
use crate::helpers::SECRET;
use crate::logs::Logs;

const ATTACKER: &str = "U0ATTACKER";

/// `statsbot_alert` metadata for `headcount` as anyone could write it.
fn forged(state: &str, extra: Value) -> Value {
    let mut event_payload = json!({
        "alert": "headcount", "state": state, "since": "2026-03-09T09:00:00Z",
        "value": "1", "condition": "`total` is 1, above 0"
    });
    for (key, value) in extra.as_object().unwrap() {
        event_payload[key] = value.clone();
    }
    json!({ "event_type": "statsbot_alert", "event_payload": event_payload })
}

/// A stack whose `headcount` alert fires at the first check.
async fn firing_stack() -> AlertStack {
    let probe = alert_stack("", vec![]).await;
    let total = probe.active_members().await;
    alert_stack(&headcount(total - 1), vec![]).await
}

async fn listed(bot: &Bot) -> String {
    bot::flows::run(
        bot.state.command_cache().clone(),
        "/stats".into(),
        bot::slack::slash_command::parse_text("alerts"),
    )
    .await
    .reply
    .to_json()
}

fn check_now() -> press::Button {
    press::Button {
        action_id: "alert_check".into(),
        value: "headcount".into(),
        label: "Check now".into(),
        block_id: "alert_actions".into(),
    }
}

#[tokio::test(flavor = "current_thread")]
async fn another_apps_forged_silence_is_ignored() {
    let stack = firing_stack().await;
    let silenced = json!({"silenced_until": "2099-01-01T00:00:00Z", "silenced_by": ATTACKER});
    stack.slack.seed(
        CHANNEL,
        other_app("all good", Some(forged("ok", silenced.clone()))),
    );
    stack.slack.seed(
        CHANNEL,
        member(ATTACKER, "me too", Some(forged("ok", silenced))),
    );

    // Check now (a process that has not ticked, as on Lambda): it tells the truth and acts.
    let bot = stack.bot();
    let url = serve(bot.state.clone()).await;
    let replies = press_button_in(&url, SECRET, &check_now(), "T0E2E", "U0E2E00001", CHANNEL)
        .await
        .unwrap();
    assert_eq!(
        replies[0]["text"], "Alert `headcount` checked: firing.",
        "{replies:#?}"
    );
    let posts = stack.slack.taken();
    assert_eq!(
        posts.len(),
        1,
        "the incident is posted: no forged silence holds it back"
    );
    assert_eq!(payload(&posts[0])["state"], "firing");
    assert!(payload(&posts[0]).get("silenced_by").is_none());

    // The tick's own process too.
    let ticking = stack.bot();
    assert_eq!(
        did(&tick(&ticking, "2026-03-09T10:00:00Z").await, "headcount"),
        "nothing",
        "posted already (its own message, found in the history)"
    );
    assert_eq!(stack.slack.taken().len(), 1);

    let shown = listed(&stack.bot()).await;
    assert!(shown.contains("firing since"), "{shown}");
    assert!(
        !shown.contains(ATTACKER) && !shown.contains("silenced"),
        "{shown}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn another_apps_firing_message_is_never_updated() {
    let stack = firing_stack().await;
    let theirs = stack.slack.seed(
        CHANNEL,
        other_app(":fire: headcount", Some(forged("firing", json!({})))),
    );
    let bot = stack.bot();
    assert_eq!(
        did(&tick(&bot, "2026-03-09T10:00:00Z").await, "headcount"),
        "post",
        "the real incident is posted"
    );
    let mine = stack.slack.taken()[0].ts.clone().unwrap();
    assert_ne!(mine, theirs);

    // The value changes: the bot's own message is updated, never the other app's.
    stack.members_leave(-1).await;
    assert_eq!(
        did(&tick(&bot, "2026-03-09T10:15:00Z").await, "headcount"),
        "update"
    );
    let updates = stack.slack.updates();
    assert!(!updates.is_empty());
    assert!(
        updates.iter().all(|u| u.body["ts"] == mine.as_str()),
        "{updates:#?}"
    );
    let untouched = stack.slack.message(CHANNEL, &theirs).unwrap();
    assert_eq!(untouched["metadata"], forged("firing", json!({})));
}

#[tokio::test(flavor = "current_thread")]
async fn a_newer_forged_resolved_does_not_post_the_incident_again() {
    let stack = firing_stack().await;
    let first = stack.bot();
    assert_eq!(
        did(&tick(&first, "2026-03-09T10:00:00Z").await, "headcount"),
        "post"
    );
    let ended = json!({"ended": "2026-03-09T10:05:00Z"});
    stack.slack.seed(
        CHANNEL,
        other_app("resolved!", Some(forged("resolved", ended.clone()))),
    );
    stack.slack.seed(
        CHANNEL,
        member(ATTACKER, "resolved", Some(forged("resolved", ended))),
    );

    let restarted = stack.bot();
    assert_eq!(
        did(&tick(&restarted, "2026-03-09T10:15:00Z").await, "headcount"),
        "nothing"
    );
    assert_eq!(stack.slack.taken().len(), 1, "no second post");
}

#[tokio::test(flavor = "current_thread")]
async fn the_bots_message_under_250_chat_messages_is_found_after_a_restart() {
    let stack = firing_stack().await;
    let first = stack.bot();
    assert_eq!(
        did(&tick(&first, "2026-03-09T10:00:00Z").await, "headcount"),
        "post"
    );
    for message in chatter(250) {
        stack.slack.seed(CHANNEL, message);
    }
    let reads = stack.slack.history_calls();
    let restarted = stack.bot();
    assert_eq!(
        did(&tick(&restarted, "2026-03-09T10:15:00Z").await, "headcount"),
        "nothing"
    );
    assert_eq!(stack.slack.taken().len(), 1, "no second post");
    assert_eq!(
        stack.slack.history_calls() - reads,
        2,
        "two pages of 200, stopped once found"
    );

    // Only the cold start pages: the next tick reads nothing, and a check that would send
    // reads back only to the incident's own message.
    assert_eq!(
        did(&tick(&restarted, "2026-03-09T10:30:00Z").await, "headcount"),
        "nothing"
    );
    assert_eq!(stack.slack.history_calls() - reads, 2);
}

#[tokio::test(flavor = "current_thread")]
async fn buttons_act_only_in_the_alerts_channel_and_a_silence_runs_from_the_press() {
    let stack = firing_stack().await;
    let bot = stack.bot();
    assert_eq!(
        did(&tick(&bot, "2026-03-09T10:00:00Z").await, "headcount"),
        "post"
    );
    let offered = press::buttons(&stack.slack.taken()[0].body);
    let silence = press::find(&offered, "alert_silence_24h").unwrap();
    let url = serve(bot.state.clone()).await;

    // Copied into another channel (anyone can post a button with the same value there).
    let replies = press_button_in(&url, SECRET, silence, "T0E2E", ATTACKER, "C0E2E000099")
        .await
        .unwrap();
    let text = replies[0]["text"].as_str().unwrap();
    assert!(
        text.starts_with(&format!(
            "This button belongs to the alert `headcount` in <#{CHANNEL}>"
        )),
        "{text}"
    );
    assert_eq!(replies[0]["response_type"], "ephemeral");
    let check = press::find(&offered, "alert_check").unwrap();
    press_button_in(&url, SECRET, check, "T0E2E", ATTACKER, "C0E2E000099")
        .await
        .unwrap();
    assert!(stack.slack.updates().is_empty(), "nothing changed");
    assert!(
        bot.features
            .alerts
            .book()
            .slot("headcount")
            .unwrap()
            .state()
            .silence
            .is_none()
    );

    // Pressed twice where it belongs: the second silence ends 24 h after the second press.
    let until = |n: usize| -> i64 {
        let updates = stack.slack.updates();
        let at = payload(&updates[n])["silenced_until"].as_str().unwrap();
        chrono::DateTime::parse_from_rfc3339(at)
            .unwrap()
            .timestamp()
    };
    press_button_in(&url, SECRET, silence, "T0E2E", "U0E2E00001", CHANNEL)
        .await
        .unwrap();
    let first_until = until(0);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let second_press = chrono::Utc::now().timestamp();
    press_button_in(&url, SECRET, silence, "T0E2E", "U0E2E00001", CHANNEL)
        .await
        .unwrap();
    let second_until = until(1);
    assert!(
        (second_until - (second_press + 24 * 3600)).abs() <= 2,
        "24 h from the second press: {second_until} vs {second_press}"
    );
    assert!(
        second_until - first_until < 60,
        "not 24 h from the first silence's end"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_token_slack_refuses_is_named_without_showing_it() {
    let logs = Logs::default();
    let _capture = logs.capture();
    let stack = firing_stack().await;
    stack.slack.fail_auth("invalid_auth");
    let bot = stack.bot();
    tick(&bot, "2026-03-09T10:00:00Z").await;
    let text = logs.text();
    assert!(
        text.contains("SLACK_BOT_TOKEN: Slack's auth.test said invalid_auth"),
        "{text}"
    );
    assert!(!text.contains(BOT_TOKEN), "the token is never logged");
    let gave_up = bot.state.slack().identity().await.unwrap_err();
    assert_eq!(gave_up.as_str(), "invalid_auth");
}

#[tokio::test(flavor = "current_thread")]
async fn a_channel_busier_than_the_page_cap_is_read_to_the_cap_and_said_so() {
    let logs = Logs::default();
    let _capture = logs.capture();
    let stack = firing_stack().await;
    let cap = bot::slack::history::MAX_PAGES * bot::slack::history_page::PAGE_LIMIT;
    for message in chatter(cap + 10) {
        stack.slack.seed(CHANNEL, message);
    }
    let bot = stack.bot();
    assert_eq!(
        did(&tick(&bot, "2026-03-09T10:00:00Z").await, "headcount"),
        "post"
    );
    assert!(
        logs.text()
            .contains("stopped reading the channel's history at the page cap"),
        "{}",
        logs.text()
            .lines()
            .filter(|l| l.contains("WARN"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}
