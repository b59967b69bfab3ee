//! The Events API (`POST /slack/events`): Slack's documented payloads, signed, to the bot; what
//! it posts goes to the Web API stand-in (a busy channel: members' and other apps' messages).
//! Mentions answered in their thread, each event exactly once (redeliveries to the same process
//! and to a fresh one), the bot's own words ignored. Threads and DMs: `events_threads`.

use std::time::{Duration, Instant};

use bot::state::AppState;
use devkit::slack_api_stub::SlackApiStub;
use devkit::slack_channel::{chatter, member, other_app};
use serde_json::{Value, json};

use crate::fake_ask::reading;
use crate::helpers::*;

pub const CHANNEL: &str = "C0123456789";
pub const ASKER: &str = "U0456EFGH";
pub const DM: &str = "D0123ABCD";

/// A bot with a bot token, posting to `slack`, asking `api`; and its state, to wait for its
/// deferred work.
pub async fn events_bot(api: &FakeApi, slack: &SlackApiStub) -> (String, AppState) {
    let mut config = config(&api.url());
    config.slack_bot_token = Some(bot::Secret::new("xoxb-test-token"));
    config.slack_api_url = slack.url();
    let app = bot::startup::Application::build(config).await.unwrap();
    let url = format!("http://{}", app.local_addr());
    let state = app.state();
    tokio::spawn(app.run_until_stopped());
    (url, state)
}

/// A Slack channel as people use it: members' messages and other apps' (one posting the bot's
/// own kind of metadata), hundreds of them, before the question.
pub fn busy_channel(slack: &SlackApiStub, channel: &str) {
    for message in chatter(300) {
        slack.seed(channel, message);
    }
    let forged = json!({"event_type": "statsbot_answer",
                        "event_payload": {"event_id": "Ev0ELSEWHERE", "reading": "members"}});
    slack.seed(channel, other_app("There are 0 members.", Some(forged)));
}

/// The bot's user id, as the stand-in's `auth.test` gives it.
pub fn bot_user(slack: &SlackApiStub) -> String {
    slack.identity().user_id.clone()
}

/// An `event_callback` as Slack sends it, for the stand-in's bot.
pub fn callback(slack: &SlackApiStub, event_id: &str, event: Value) -> Value {
    json!({
        "token": "ZZZZZZWSxiZZZ2yIvs3peJ",
        "team_id": "T0001",
        "api_app_id": "A07STATSBT",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": now(),
        "authorizations": [{"enterprise_id": null, "team_id": "T0001", "user_id": bot_user(slack),
                            "is_bot": true, "is_enterprise_install": false}],
        "is_ext_shared_channel": false,
        "event_context": "4-eyJldCI6ImFwcF9tZW50aW9uIiwidGlkIjoiVDAwMDEifQ"
    })
}

/// `@statsbot {words}` posted now in the channel (in the thread `thread_ts` if any): the event,
/// and the message's `ts` as the stand-in gave it.
pub fn mention(
    slack: &SlackApiStub,
    event_id: &str,
    words: &str,
    thread_ts: Option<&str>,
) -> (Value, String) {
    let text = format!("<@{}> {words}", bot_user(slack));
    let mut message = member(ASKER, &text, None);
    if let Some(thread) = thread_ts {
        message["thread_ts"] = json!(thread);
    }
    let ts = slack.seed(CHANNEL, message);
    let mut event = json!({"type": "app_mention", "user": ASKER, "text": text, "ts": ts,
        "channel": CHANNEL, "event_ts": ts,
        "client_msg_id": "5f1f3c1a-0c3e-4d8b-a1f2-7d1e2c3b4a59"});
    if let Some(thread) = thread_ts {
        event["thread_ts"] = json!(thread);
    }
    (callback(slack, event_id, event), ts)
}

/// Posts `body` to `/slack/events`, signed; `retry` sets Slack's redelivery headers.
pub async fn send(bot: &str, body: &Value, retry: Option<u32>) -> reqwest::Response {
    let body = body.to_string();
    let timestamp = now().to_string();
    let signature = bot::slack::signature::sign(SECRET, &timestamp, body.as_bytes());
    let mut request = http_client()
        .post(format!("{bot}/slack/events"))
        .header("content-type", "application/json")
        .header("x-slack-request-timestamp", timestamp)
        .header("x-slack-signature", signature);
    if let Some(n) = retry {
        request = request
            .header("x-slack-retry-num", n.to_string())
            .header("x-slack-retry-reason", "http_timeout");
    }
    request.body(body).send().await.unwrap()
}

/// Sends, checks the quick empty 200, and waits for the work it started.
pub async fn deliver(bot: &str, state: &AppState, body: &Value, retry: Option<u32>) {
    let started = Instant::now();
    let response = send(bot, body, retry).await;
    assert_eq!(response.status(), 200);
    let took = started.elapsed();
    assert!(
        took < Duration::from_millis(1500),
        "acknowledged after {took:?}"
    );
    assert_eq!(response.text().await.unwrap(), "");
    state.deferred().finish().await;
}

#[tokio::test]
async fn url_verification_is_answered_with_its_challenge_and_bad_bodies_are_refused() {
    let api = spawn_fake_api().await;
    let slack = SlackApiStub::start().await.unwrap();
    let (bot, state) = events_bot(&api, &slack).await;
    let body = json!({"token": "Jhj5dZrVaK7ZwHHjRyZWjbDl", "type": "url_verification",
        "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"});
    let response = send(&bot, &body, None).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        json_body(response).await["challenge"],
        "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    );

    // Unsigned: refused before anything is read.
    let unsigned = http_client()
        .post(format!("{bot}/slack/events"))
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 401);

    // Signed but not an event: 400, nothing done.
    let broken = [
        "not json",
        "{}",
        r#"{"type":"event_callback","event":{"type":"app_mention"}}"#,
    ];
    for body in broken {
        let response = post_signed(&bot, "/slack/events", SECRET, now(), body.into()).await;
        assert_eq!(response.status(), 400, "{body}");
    }
    let others = [
        json!({"token": "x", "type": "app_rate_limited", "team_id": "T0001",
               "minute_rate_limited": 1518467820, "api_app_id": "A07STATSBT"}),
        json!({"type": "something_new_from_slack"}),
        callback(
            &slack,
            "Ev0REACTION",
            json!({"type": "reaction_added", "user": ASKER,
            "reaction": "tada", "item": {"type": "message", "channel": CHANNEL,
            "ts": "1700000000.000100"}, "event_ts": "1700000001.000100"}),
        ),
    ];
    for other in others {
        let response = send(&bot, &other, None).await;
        assert_eq!(response.status(), 200, "{other}");
    }
    state.deferred().finish().await;
    assert!(slack.posts().is_empty() && slack.ephemerals().is_empty());
    assert_eq!(api.hits(), 0, "nothing was asked");
}

#[tokio::test]
async fn a_mention_is_answered_in_its_thread_with_the_number_and_how_it_was_read() {
    let api = spawn_fake_api().await;
    api.answer(
        "how many people do we have",
        true,
        vec![reading("members", "/stats members", &[], 0.9)],
    );
    let slack = SlackApiStub::start().await.unwrap();
    busy_channel(&slack, CHANNEL);
    let (bot, state) = events_bot(&api, &slack).await;

    let (event, ts) = mention(&slack, "Ev0MENTION01", "how many people do we have", None);
    deliver(&bot, &state, &event, None).await;

    let posts = slack.taken();
    assert_eq!(posts.len(), 1, "{posts:#?}");
    let reply = &posts[0].body;
    assert_eq!(reply["channel"], CHANNEL);
    assert_eq!(reply["thread_ts"], ts.as_str(), "under the question");
    let text = visible_text(reply);
    assert!(text.contains("1,234"), "{text}");
    assert!(text.contains("Read as `/stats members`"), "{text}");
    assert_eq!(reply["metadata"]["event_type"], "statsbot_answer");
    assert_eq!(
        reply["metadata"]["event_payload"]["event_id"],
        "Ev0MENTION01"
    );
    assert_eq!(reply["metadata"]["event_payload"]["reading"], "members");
    assert_valid_message(reply);
    assert_eq!(slack.replies_calls(), 0, "a first delivery reads nothing");
    assert_eq!(slack.history_calls(), 0);
}

#[tokio::test]
async fn a_mention_in_a_thread_is_answered_in_that_thread() {
    let api = spawn_fake_api().await;
    let slack = SlackApiStub::start().await.unwrap();
    let root = slack.seed(CHANNEL, member("U0MEMBER01", "how are we doing?", None));
    let (bot, state) = events_bot(&api, &slack).await;
    let (event, _) = mention(&slack, "Ev0THREAD01", "signups 6", Some(&root));
    deliver(&bot, &state, &event, None).await;
    let posts = slack.taken();
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].body["thread_ts"], root.as_str());
    assert_eq!(api.last_query.lock().unwrap().as_deref(), Some("months=6"));
}

#[tokio::test]
async fn a_redelivery_gets_no_second_reply_in_this_process_or_a_fresh_one() {
    let api = spawn_fake_api().await;
    let slack = SlackApiStub::start().await.unwrap();
    busy_channel(&slack, CHANNEL);
    let (bot, state) = events_bot(&api, &slack).await;
    let (event, root) = mention(&slack, "Ev0ONCE0001", "members", None);
    deliver(&bot, &state, &event, None).await;
    assert_eq!(slack.taken().len(), 1);

    // Slack did not see the acknowledgement: the same event again, to the same process…
    deliver(&bot, &state, &event, Some(1)).await;
    assert_eq!(slack.taken().len(), 1, "the in-process set caught it");

    // …and to a restarted bot, which knows nothing of it: it finds its reply in the thread.
    let (fresh, fresh_state) = events_bot(&api, &slack).await;
    deliver(&fresh, &fresh_state, &event, Some(2)).await;
    assert_eq!(slack.taken().len(), 1, "{:#?}", slack.taken());
    assert_eq!(
        slack.replies_calls(),
        1,
        "only the redelivery read the thread"
    );

    // A different event in the same thread is answered.
    let (next, _) = mention(&slack, "Ev0ONCE0002", "members", Some(&root));
    deliver(&fresh, &fresh_state, &next, None).await;
    assert_eq!(slack.taken().len(), 2);
}

#[tokio::test]
async fn a_redelivery_while_the_first_is_still_working_does_not_answer_twice() {
    let api = spawn_fake_api().await;
    api.set_mode(Mode::Slow(Duration::from_millis(800)));
    let slack = SlackApiStub::start().await.unwrap();
    let (bot, state) = events_bot(&api, &slack).await;
    let (event, _) = mention(&slack, "Ev0SLOW0001", "members", None);
    let started = Instant::now();
    assert_eq!(send(&bot, &event, None).await.status(), 200);
    let took = started.elapsed();
    assert!(
        took < Duration::from_millis(500),
        "acknowledged at once: {took:?}"
    );
    assert_eq!(send(&bot, &event, Some(1)).await.status(), 200);
    state.deferred().finish().await;
    assert_eq!(slack.taken().len(), 1);
    assert_eq!(
        slack.replies_calls(),
        0,
        "caught in process, before any call"
    );
}

#[tokio::test]
async fn a_forged_reply_by_another_app_does_not_block_the_answer() {
    let api = spawn_fake_api().await;
    let slack = SlackApiStub::start().await.unwrap();
    busy_channel(&slack, CHANNEL);
    let (bot, state) = events_bot(&api, &slack).await;
    let (event, root) = mention(&slack, "Ev0FORGED01", "members", None);
    // Another app answers first in the thread, with the bot's kind of metadata.
    let forged = json!({"event_type": "statsbot_answer",
                        "event_payload": {"event_id": "Ev0FORGED01", "reading": "members"}});
    let mut reply = other_app("There are 0 members.", Some(forged));
    reply["thread_ts"] = json!(root);
    slack.seed(CHANNEL, reply);
    // A redelivery to a fresh bot: the forged reply is not the bot's.
    deliver(&bot, &state, &event, Some(1)).await;
    let posts = slack.taken();
    assert_eq!(posts.len(), 1, "answered despite the forgery");
    assert!(visible_text(&posts[0].body).contains("1,234"));
    assert_eq!(slack.replies_calls(), 1);
}

#[tokio::test]
async fn the_bots_own_messages_edits_and_other_bots_are_not_questions() {
    let api = spawn_fake_api().await;
    let slack = SlackApiStub::start().await.unwrap();
    let (bot, state) = events_bot(&api, &slack).await;
    let me = slack.identity().clone();
    let events = [
        callback(
            &slack,
            "Ev0OWN00001",
            json!({"type": "message", "channel": DM,
            "channel_type": "im", "user": me.user_id, "bot_id": me.bot_id,
            "text": "There are currently 1,234 members.", "ts": "1700000001.000100",
            "event_ts": "1700000001.000100"}),
        ),
        callback(
            &slack,
            "Ev0EDIT0001",
            json!({"type": "message", "subtype": "message_changed",
            "channel": DM, "channel_type": "im", "hidden": true, "ts": "1700000002.000100",
            "message": {"type": "message", "user": ASKER, "text": "members",
                        "ts": "1700000000.000100"}}),
        ),
        callback(
            &slack,
            "Ev0BOT00001",
            json!({"type": "app_mention", "user": "U0OTHER001",
            "bot_id": "B0OTHERAPP", "text": format!("<@{}> members", me.user_id),
            "channel": CHANNEL, "ts": "1700000003.000100", "event_ts": "1700000003.000100"}),
        ),
        callback(
            &slack,
            "Ev0JOIN0001",
            json!({"type": "message", "subtype": "channel_join",
            "channel": DM, "channel_type": "im", "user": ASKER,
            "text": "<@U0456EFGH> has joined", "ts": "1700000004.000100"}),
        ),
        // Its own user without a bot_id (as some payloads carry it): still its own.
        callback(
            &slack,
            "Ev0OWN00002",
            json!({"type": "message", "channel": DM,
            "channel_type": "im", "user": me.user_id, "text": "members",
            "ts": "1700000005.000100", "event_ts": "1700000005.000100"}),
        ),
    ];
    for event in events {
        deliver(&bot, &state, &event, None).await;
    }
    assert!(slack.posts().is_empty(), "{:#?}", slack.posts());
    assert_eq!(api.hits(), 0);
}
