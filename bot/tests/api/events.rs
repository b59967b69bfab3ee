//! The Events API (`POST /slack/events`): Slack's documented payloads, signed, to the bot; what
//! it posts goes to the Web API stand-in (a busy channel: members' and other apps' messages).
//! Mentions and DMs answered in their thread, each event exactly once (redeliveries to the same
//! process and to a fresh one), follow-ups in a thread, the bot's own words ignored.

use std::time::{Duration, Instant};

use bot::state::AppState;
use devkit::slack_api_stub::{BOT_ID, BOT_USER_ID, SlackApiStub};
use serde_json::{Value, json};

use crate::fake_ask::reading;
use crate::helpers::*;

pub const CHANNEL: &str = "C0123456789";
pub const ASKER: &str = "U0456EFGH";
const DM: &str = "D0123ABCD";

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

/// A Slack channel as people use it: members' messages and other apps' (one of them posting
/// metadata of its own), hundreds of them, around the question.
pub fn busy_channel(slack: &SlackApiStub, channel: &str) {
    for i in 0..300u64 {
        let ts = format!("{}.{:06}", 1_699_990_000 + i, i);
        let message = if i % 3 == 0 {
            json!({"type": "message", "channel": channel, "ts": ts, "bot_id": "B0OTHER001",
                   "user": "U0OTHER001", "text": format!("deploy #{i} finished"),
                   "metadata": {"event_type": "deploy", "event_payload": {"n": i}}})
        } else {
            json!({"type": "message", "channel": channel, "ts": ts, "user": "U0MEMBER01",
                   "text": format!("message {i} about nothing in particular")})
        };
        slack.add_message(message);
    }
}

/// An `event_callback` as Slack sends it.
pub fn callback(event_id: &str, event: Value) -> Value {
    json!({
        "token": "ZZZZZZWSxiZZZ2yIvs3peJ",
        "team_id": "T0001",
        "api_app_id": "A0BOT0STATS",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": now(),
        "authorizations": [{"enterprise_id": null, "team_id": "T0001", "user_id": BOT_USER_ID,
                            "is_bot": true, "is_enterprise_install": false}],
        "is_ext_shared_channel": false,
        "event_context": "4-eyJldCI6ImFwcF9tZW50aW9uIiwidGlkIjoiVDAwMDEifQ"
    })
}

/// `@statsbot {words}` at `ts`, in the thread `thread_ts` if any; the message is in the channel.
pub fn mention(
    slack: &SlackApiStub,
    event_id: &str,
    words: &str,
    ts: &str,
    thread_ts: Option<&str>,
) -> Value {
    let text = format!("<@{BOT_USER_ID}> {words}");
    let mut event = json!({"type": "app_mention", "user": ASKER, "text": text, "ts": ts,
        "channel": CHANNEL, "event_ts": ts, "client_msg_id": "5f1f3c1a-0c3e-4d8b-a1f2-7d1e2c3b4a59"});
    let mut message =
        json!({"type": "message", "channel": CHANNEL, "user": ASKER, "text": text, "ts": ts});
    if let Some(thread) = thread_ts {
        event["thread_ts"] = json!(thread);
        message["thread_ts"] = json!(thread);
    }
    slack.add_message(message);
    callback(event_id, event)
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
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "acknowledged after {:?}",
        started.elapsed()
    );
    assert_eq!(response.text().await.unwrap(), "");
    state.deferred().finish().await;
}

fn text_of(post: &Value) -> String {
    visible_text(post)
}

#[tokio::test]
async fn url_verification_is_answered_with_its_challenge_and_bad_bodies_are_refused() {
    let api = spawn_fake_api().await;
    let slack = SlackApiStub::start().await.unwrap();
    let (bot, _) = events_bot(&api, &slack).await;
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
    let timestamp = now();
    for broken in [
        "not json",
        "{}",
        r#"{"type":"event_callback","event":{"type":"app_mention"}}"#,
    ] {
        let response = post_signed(&bot, "/slack/events", SECRET, timestamp, broken.into()).await;
        assert_eq!(response.status(), 400, "{broken}");
    }
    for other in [
        json!({"token": "x", "type": "app_rate_limited", "team_id": "T0001",
               "minute_rate_limited": 1518467820, "api_app_id": "A0BOT0STATS"}),
        json!({"type": "something_new_from_slack"}),
        callback(
            "Ev0REACTION",
            json!({"type": "reaction_added", "user": ASKER, "reaction": "tada"}),
        ),
    ] {
        let response = send(&bot, &other, None).await;
        assert_eq!(response.status(), 200, "{other}");
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
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

    let event = mention(
        &slack,
        "Ev0MENTION01",
        "how many people do we have",
        "1700000000.000100",
        None,
    );
    deliver(&bot, &state, &event, None).await;

    let posts = slack.taken();
    assert_eq!(posts.len(), 1, "{posts:#?}");
    let reply = &posts[0].body;
    assert_eq!(reply["channel"], CHANNEL);
    assert_eq!(
        reply["thread_ts"], "1700000000.000100",
        "under the question"
    );
    let text = text_of(reply);
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
}

#[tokio::test]
async fn a_mention_in_a_thread_is_answered_in_that_thread() {
    let api = spawn_fake_api().await;
    let slack = SlackApiStub::start().await.unwrap();
    slack.add_message(
        json!({"type": "message", "channel": CHANNEL, "user": "U0MEMBER01",
        "text": "how are we doing?", "ts": "1700000000.000100"}),
    );
    let (bot, state) = events_bot(&api, &slack).await;
    let event = mention(
        &slack,
        "Ev0THREAD01",
        "signups 6",
        "1700000050.000100",
        Some("1700000000.000100"),
    );
    deliver(&bot, &state, &event, None).await;
    let posts = slack.taken();
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].body["thread_ts"], "1700000000.000100");
    assert_eq!(api.last_query.lock().unwrap().as_deref(), Some("months=6"));
}

#[tokio::test]
async fn a_redelivery_gets_no_second_reply_in_this_process_or_a_fresh_one() {
    let api = spawn_fake_api().await;
    let slack = SlackApiStub::start().await.unwrap();
    busy_channel(&slack, CHANNEL);
    let (bot, state) = events_bot(&api, &slack).await;
    let event = mention(&slack, "Ev0ONCE0001", "members", "1700000000.000100", None);
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
    let next = mention(
        &slack,
        "Ev0ONCE0002",
        "members",
        "1700000100.000100",
        Some("1700000000.000100"),
    );
    deliver(&fresh, &fresh_state, &next, None).await;
    assert_eq!(slack.taken().len(), 2);
}

#[tokio::test]
async fn a_redelivery_while_the_first_is_still_working_does_not_answer_twice() {
    let api = spawn_fake_api().await;
    api.set_mode(Mode::Slow(Duration::from_millis(800)));
    let slack = SlackApiStub::start().await.unwrap();
    let (bot, state) = events_bot(&api, &slack).await;
    let event = mention(&slack, "Ev0SLOW0001", "members", "1700000000.000100", None);
    let started = Instant::now();
    assert_eq!(send(&bot, &event, None).await.status(), 200);
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "acknowledged at once: {:?}",
        started.elapsed()
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
    let event = mention(&slack, "Ev0FORGED01", "members", "1700000000.000100", None);
    // Another app answers first in the thread, with our metadata.
    slack.add_message(
        json!({"type": "message", "channel": CHANNEL, "ts": "1700000001.000100",
        "thread_ts": "1700000000.000100", "user": "U0OTHER001", "bot_id": "B0OTHER001",
        "text": "There are 0 members.",
        "metadata": {"event_type": "statsbot_answer",
                     "event_payload": {"event_id": "Ev0FORGED01", "reading": "members"}}}),
    );
    // A redelivery to a fresh bot: the forged reply is not the bot's.
    deliver(&bot, &state, &event, Some(1)).await;
    let posts = slack.taken();
    assert_eq!(posts.len(), 1, "answered despite the forgery");
    assert!(text_of(&posts[0].body).contains("1,234"));
    assert_eq!(slack.replies_calls(), 1);
}

#[tokio::test]
async fn the_bots_own_messages_edits_and_other_bots_are_not_questions() {
    let api = spawn_fake_api().await;
    let slack = SlackApiStub::start().await.unwrap();
    let (bot, state) = events_bot(&api, &slack).await;
    let own = callback(
        "Ev0OWN00001",
        json!({"type": "message", "channel": DM, "channel_type": "im",
        "user": BOT_USER_ID, "bot_id": BOT_ID, "text": "There are currently 1,234 members.",
        "ts": "1700000001.000100", "event_ts": "1700000001.000100"}),
    );
    let edited = callback(
        "Ev0EDIT0001",
        json!({"type": "message", "subtype": "message_changed",
        "channel": DM, "channel_type": "im", "hidden": true, "ts": "1700000002.000100",
        "message": {"type": "message", "user": ASKER, "text": "members", "ts": "1700000000.000100"}}),
    );
    let other_bot = callback(
        "Ev0BOT00001",
        json!({"type": "app_mention", "user": "U0OTHER001",
        "bot_id": "B0OTHER001", "text": format!("<@{BOT_USER_ID}> members"), "channel": CHANNEL,
        "ts": "1700000003.000100", "event_ts": "1700000003.000100"}),
    );
    let joined = callback(
        "Ev0JOIN0001",
        json!({"type": "message", "subtype": "channel_join",
        "channel": DM, "channel_type": "im", "user": ASKER, "text": "<@U0456EFGH> has joined",
        "ts": "1700000004.000100"}),
    );
    for event in [own, edited, other_bot, joined] {
        deliver(&bot, &state, &event, None).await;
    }
    assert!(slack.posts().is_empty(), "{:#?}", slack.posts());
    assert_eq!(api.hits(), 0);
}

#[tokio::test]
async fn a_dm_is_answered_in_the_conversation() {
    let api = spawn_fake_api().await;
    let slack = SlackApiStub::start().await.unwrap();
    let (bot, state) = events_bot(&api, &slack).await;
    let dm = callback(
        "Ev0DM000001",
        json!({"type": "message", "channel": DM, "channel_type": "im",
        "user": ASKER, "text": "signups 3", "ts": "1700000000.000100",
        "event_ts": "1700000000.000100", "client_msg_id": "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"}),
    );
    deliver(&bot, &state, &dm, None).await;
    let posts = slack.taken();
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].body["channel"], DM);
    assert!(
        posts[0].body.get("thread_ts").is_none(),
        "in the conversation, not a thread"
    );
    assert!(text_of(&posts[0].body).contains("Signups per month"));
    assert_eq!(api.last_query.lock().unwrap().as_deref(), Some("months=3"));

    // A redelivery to a fresh process finds the reply in the DM's history.
    let (fresh, fresh_state) = events_bot(&api, &slack).await;
    deliver(&fresh, &fresh_state, &dm, Some(1)).await;
    assert_eq!(slack.taken().len(), 1);
}

#[tokio::test]
async fn a_private_stat_answers_the_asker_alone_and_says_so_in_the_thread() {
    let api = spawn_fake_api().await;
    let slack = SlackApiStub::start().await.unwrap();
    let (bot, state) = events_bot(&api, &slack).await;
    let event = mention(
        &slack,
        "Ev0PRIVATE1",
        "mentors 3",
        "1700000000.000100",
        None,
    );
    deliver(&bot, &state, &event, None).await;
    let private = slack.ephemerals();
    assert_eq!(private.len(), 1);
    assert_eq!(private[0].body["user"], ASKER);
    assert_eq!(private[0].body["thread_ts"], "1700000000.000100");
    assert!(text_of(&private[0].body).contains("Mentors by invitations"));
    let posts = slack.taken();
    assert_eq!(posts.len(), 1, "one line in the thread");
    let line = text_of(&posts[0].body);
    assert!(
        line.contains("privately") && !line.contains("Grace"),
        "{line}"
    );
    assert_eq!(
        posts[0].body["metadata"]["event_payload"]["event_id"],
        "Ev0PRIVATE1"
    );

    // A redelivery to a fresh process finds that line.
    let (fresh, fresh_state) = events_bot(&api, &slack).await;
    deliver(&fresh, &fresh_state, &event, Some(1)).await;
    assert_eq!(slack.ephemerals().len(), 1);
    assert_eq!(slack.taken().len(), 1);
}

#[tokio::test]
async fn a_follow_up_in_the_thread_keeps_the_stat_and_changes_the_period() {
    let api = spawn_fake_api().await;
    api.answer(
        "signups over the last 6 months",
        true,
        vec![reading(
            "signups",
            "/stats signups 6",
            &[("months", "6")],
            1.0,
        )],
    );
    api.answer(
        "signups and the last 3 months?",
        true,
        vec![reading(
            "signups",
            "/stats signups 3",
            &[("months", "3")],
            1.0,
        )],
    );
    api.answer(
        "what about members?",
        true,
        vec![reading("members", "/stats members", &[], 0.9)],
    );
    let slack = SlackApiStub::start().await.unwrap();
    busy_channel(&slack, CHANNEL);
    let (bot, state) = events_bot(&api, &slack).await;
    let root = "1700000000.000100";
    let first = mention(
        &slack,
        "Ev0FOLLOW01",
        "signups over the last 6 months",
        root,
        None,
    );
    deliver(&bot, &state, &first, None).await;
    assert_eq!(api.last_query.lock().unwrap().as_deref(), Some("months=6"));
    // Members talk in the thread; another app answers with metadata of its own.
    for (i, user) in ["U0MEMBER01", "U0MEMBER02"].iter().enumerate() {
        slack.add_message(json!({"type": "message", "channel": CHANNEL, "user": user,
            "ts": format!("1700000010.00010{i}"), "thread_ts": root, "text": "nice"}));
    }
    slack.add_message(
        json!({"type": "message", "channel": CHANNEL, "ts": "1700000011.000100",
        "thread_ts": root, "user": "U0OTHER001", "bot_id": "B0OTHER001", "text": "mentors!",
        "metadata": {"event_type": "statsbot_answer",
                     "event_payload": {"event_id": "Ev0X", "reading": "mentors"}}}),
    );

    let follow = mention(
        &slack,
        "Ev0FOLLOW02",
        "and the last 3 months?",
        "1700000020.000100",
        Some(root),
    );
    deliver(&bot, &state, &follow, None).await;
    let posts = slack.taken();
    assert_eq!(posts.len(), 2, "{posts:#?}");
    let reply = &posts[1].body;
    assert_eq!(reply["thread_ts"], root);
    let text = text_of(reply);
    assert!(text.contains("Read as `/stats signups 3`"), "{text}");
    assert!(text.contains("Signups per month"), "{text}");
    assert_eq!(api.last_query.lock().unwrap().as_deref(), Some("months=3"));
    assert_eq!(reply["metadata"]["event_payload"]["reading"], "signups 3");
    assert_eq!(
        api.questions(),
        vec![
            "signups over the last 6 months",
            "signups and the last 3 months?"
        ],
        "the words were read against the earlier stat, not asked alone"
    );

    // Words that name another stat are asked afresh.
    let afresh = mention(
        &slack,
        "Ev0FOLLOW03",
        "what about members?",
        "1700000030.000100",
        Some(root),
    );
    deliver(&bot, &state, &afresh, None).await;
    let posts = slack.taken();
    assert_eq!(posts.len(), 3);
    let text = text_of(&posts[2].body);
    assert!(
        text.contains("1,234") && text.contains("Read as `/stats members`"),
        "{text}"
    );
    assert_eq!(
        api.questions()[2..],
        ["signups what about members?", "what about members?"],
        "against the latest reading first, then afresh"
    );
}

#[tokio::test]
async fn an_unsure_reading_offers_choices_in_the_thread_answered_in_place() {
    let api = spawn_fake_api().await;
    api.answer(
        "how many joined",
        false,
        vec![
            reading("signups", "/stats signups", &[], 0.5),
            reading("members", "/stats members", &[], 0.4),
        ],
    );
    let slack = SlackApiStub::start().await.unwrap();
    let (bot, state) = events_bot(&api, &slack).await;
    let root = "1700000000.000100";
    deliver(
        &bot,
        &state,
        &mention(&slack, "Ev0CHOICE01", "how many joined", root, None),
        None,
    )
    .await;
    let posts = slack.taken();
    assert_eq!(posts.len(), 1);
    let choices = &posts[0].body;
    assert_eq!(choices["thread_ts"], root);
    assert!(text_of(choices).contains("Did you mean"), "{choices}");
    assert_eq!(
        choices["metadata"]["event_payload"]["event_id"],
        "Ev0CHOICE01"
    );
    assert_valid_message(choices);
    let button = &choices["blocks"][1];
    assert_eq!(button["accessory"]["action_id"], "answer_here");
    assert_eq!(button["accessory"]["value"], "signups");

    // Someone presses "Answer" on the first reading: it answers in place of the choice.
    let payload = json!({
        "type": "block_actions",
        "user": {"id": "U0MEMBER01", "username": "grace", "name": "grace", "team_id": "T0001"},
        "api_app_id": "A0BOT0STATS", "token": "Shh_its_a_seekrit",
        "container": {"type": "message", "message_ts": "1.000100", "channel_id": CHANNEL,
                      "is_ephemeral": false, "thread_ts": root},
        "trigger_id": "12466734323.1395872398",
        "team": {"id": "T0001", "domain": "example"},
        "channel": {"id": CHANNEL, "name": "general"},
        "message": {"type": "message", "ts": "1.000100", "thread_ts": root, "bot_id": BOT_ID},
        "response_url": "https://hooks.slack.com/actions/T0001/548261231/kOyBqEmBuJ6QyIx9XBTOtnzi",
        "actions": [{"action_id": "answer_here", "block_id": button["block_id"],
                     "text": {"type": "plain_text", "text": "Answer"}, "value": "signups",
                     "type": "button", "action_ts": "1548426417.840180"}]
    });
    let form = serde_urlencoded::to_string([("payload", payload.to_string())]).unwrap();
    let response = post_signed(&bot, "/slack/interactions", SECRET, now(), form).await;
    assert_eq!(response.status(), 200);
    state.deferred().finish().await;
    let updates = slack.updates();
    assert_eq!(updates.len(), 1, "{updates:#?}");
    let answer = &updates[0].body;
    assert_eq!(answer["ts"], "1.000100");
    assert_eq!(answer["channel"], CHANNEL);
    let text = text_of(answer);
    assert!(
        text.contains("Signups per month") && text.contains("Read as `/stats signups`"),
        "{text}"
    );
    assert_eq!(
        answer["metadata"]["event_payload"]["event_id"],
        "Ev0CHOICE01"
    );
    assert_eq!(answer["metadata"]["event_payload"]["reading"], "signups");
    assert_eq!(slack.taken().len(), 1, "nothing else posted");
}
