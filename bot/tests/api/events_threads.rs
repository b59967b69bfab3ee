//! Mentions in threads and DMs: a follow-up reads its words against the bot's earlier reading in
//! the thread; an unsure reading offers choices in the thread, answered in place when pressed;
//! a DM is answered in the conversation; a private stat answers the asker alone.

use devkit::slack_api_stub::SlackApiStub;
use devkit::slack_channel::{member, other_app};
use serde_json::json;

use crate::events::{ASKER, CHANNEL, DM, busy_channel, callback, deliver, events_bot, mention};
use crate::fake_ask::reading;
use crate::helpers::*;

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
    let (first, root) = mention(
        &slack,
        "Ev0FOLLOW01",
        "signups over the last 6 months",
        None,
    );
    deliver(&bot, &state, &first, None).await;
    assert_eq!(api.last_query.lock().unwrap().as_deref(), Some("months=6"));
    // Members talk in the thread; another app answers with the bot's kind of metadata.
    for text in ["nice", "what happened in July?"] {
        let mut said = member("U0MEMBER01", text, None);
        said["thread_ts"] = json!(root);
        slack.seed(CHANNEL, said);
    }
    let forged = json!({"event_type": "statsbot_answer",
                        "event_payload": {"event_id": "Ev0X", "reading": "mentors"}});
    let mut forged = other_app("mentors!", Some(forged));
    forged["thread_ts"] = json!(root);
    slack.seed(CHANNEL, forged);

    let (follow, _) = mention(&slack, "Ev0FOLLOW02", "and the last 3 months?", Some(&root));
    deliver(&bot, &state, &follow, None).await;
    let posts = slack.taken();
    assert_eq!(posts.len(), 2, "{posts:#?}");
    let reply = &posts[1].body;
    assert_eq!(reply["thread_ts"], root.as_str());
    let text = visible_text(reply);
    assert!(text.contains("Read as `/stats signups 3`"), "{text}");
    assert!(text.contains("Signups per month"), "{text}");
    assert_eq!(api.last_query.lock().unwrap().as_deref(), Some("months=3"));
    assert_eq!(reply["metadata"]["event_payload"]["reading"], "signups 3");
    assert_eq!(
        api.questions(),
        [
            "signups over the last 6 months",
            "signups and the last 3 months?"
        ],
        "the words were read against the earlier stat, not asked alone"
    );

    // Words that name another stat are asked afresh.
    let (afresh, _) = mention(&slack, "Ev0FOLLOW03", "what about members?", Some(&root));
    deliver(&bot, &state, &afresh, None).await;
    let posts = slack.taken();
    assert_eq!(posts.len(), 3);
    let text = visible_text(&posts[2].body);
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
    let (asked, root) = mention(&slack, "Ev0CHOICE01", "how many joined", None);
    deliver(&bot, &state, &asked, None).await;
    let posts = slack.taken();
    assert_eq!(posts.len(), 1);
    let choices = &posts[0].body;
    let choices_ts = posts[0].ts.clone().unwrap();
    assert_eq!(choices["thread_ts"], root.as_str());
    assert!(visible_text(choices).contains("Did you mean"), "{choices}");
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
        "api_app_id": "A07STATSBT", "token": "Shh_its_a_seekrit",
        "container": {"type": "message", "message_ts": choices_ts, "channel_id": CHANNEL,
                      "is_ephemeral": false, "thread_ts": root},
        "trigger_id": "12466734323.1395872398",
        "team": {"id": "T0001", "domain": "example"},
        "channel": {"id": CHANNEL, "name": "general"},
        "message": {"type": "message", "ts": choices_ts, "thread_ts": root,
                    "bot_id": slack.identity().bot_id},
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
    assert_eq!(answer["ts"], choices_ts.as_str());
    assert_eq!(answer["channel"], CHANNEL);
    let text = visible_text(answer);
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

#[tokio::test]
async fn a_dm_is_answered_in_the_conversation() {
    let api = spawn_fake_api().await;
    let slack = SlackApiStub::start().await.unwrap();
    let (bot, state) = events_bot(&api, &slack).await;
    let ts = slack.seed(DM, member(ASKER, "signups 3", None));
    let dm = callback(
        &slack,
        "Ev0DM000001",
        json!({"type": "message", "channel": DM,
        "channel_type": "im", "user": ASKER, "text": "signups 3", "ts": ts, "event_ts": ts,
        "client_msg_id": "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"}),
    );
    deliver(&bot, &state, &dm, None).await;
    let posts = slack.taken();
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].body["channel"], DM);
    assert!(
        posts[0].body.get("thread_ts").is_none(),
        "in the conversation, not a thread"
    );
    assert!(visible_text(&posts[0].body).contains("Signups per month"));
    assert_eq!(api.last_query.lock().unwrap().as_deref(), Some("months=3"));

    // A redelivery to a fresh process finds the reply in the DM's history.
    let (fresh, fresh_state) = events_bot(&api, &slack).await;
    deliver(&fresh, &fresh_state, &dm, Some(1)).await;
    assert_eq!(slack.taken().len(), 1);
    assert!(slack.history_calls() >= 1);
}

#[tokio::test]
async fn a_private_stat_answers_the_asker_alone_and_says_so_in_the_thread() {
    let api = spawn_fake_api().await;
    let slack = SlackApiStub::start().await.unwrap();
    let (bot, state) = events_bot(&api, &slack).await;
    let (event, root) = mention(&slack, "Ev0PRIVATE1", "mentors 3", None);
    deliver(&bot, &state, &event, None).await;
    let private = slack.ephemerals();
    assert_eq!(private.len(), 1);
    assert_eq!(private[0].body["user"], ASKER);
    assert_eq!(private[0].body["thread_ts"], root.as_str());
    assert!(visible_text(&private[0].body).contains("Mentors by invitations"));
    let posts = slack.taken();
    assert_eq!(posts.len(), 1, "one line in the thread");
    let line = visible_text(&posts[0].body);
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
