//! The one outbound Slack client against a stand-in for Slack's Web API on loopback: its retry
//! policy (429 and `Retry-After`, 5xx backing off, `ok:false` final, the time budget), the pace
//! per channel, `chat.update` and `conversations.history` with metadata, `auth.test` once.

use std::time::{Duration, Instant};

use bot::Secret;
use bot::slack::client::SlackClient;
use bot::slack::message::{Message, Metadata};
use bot::slack::retry::GiveUp;
use devkit::slack_api_stub::{Answer, SlackApiStub};
use serde_json::json;

const CHANNEL: &str = "C0123456789";
const TOKEN: &str = "xoxb-1234-5678-s3cr3t";
const BUDGET: Duration = Duration::from_secs(60);

fn client(slack: &SlackApiStub) -> SlackClient {
    SlackClient::new(&slack.url(), Some(Secret::new(TOKEN))).unwrap()
}

fn message(text: &str) -> Message {
    let rendered = json!({
        "text": text,
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    });
    Message::from_rendered(&rendered.to_string()).unwrap()
}

#[tokio::test]
async fn a_429_waits_as_long_as_retry_after_says_then_posts_once() {
    let slack = SlackApiStub::answering(vec![Answer::RateLimited(1)])
        .await
        .unwrap();
    let sent = client(&slack)
        .post_message(CHANNEL, &message("Members: 12"), BUDGET)
        .await;
    assert_eq!(sent.calls, 2);
    assert!(sent.ts().is_some(), "{sent:?}");
    let posts = slack.posts();
    assert_eq!(posts.len(), 2);
    let waited = posts[1].at - posts[0].at;
    assert!(waited >= Duration::from_millis(990), "{waited:?}");
    assert_eq!(slack.taken().len(), 1);
    assert_eq!(posts[1].authorization, format!("Bearer {TOKEN}"));
}

#[tokio::test]
async fn server_errors_back_off_doubling_then_the_post_goes_through() {
    let slack = SlackApiStub::answering(vec![Answer::Status(503), Answer::Status(502)])
        .await
        .unwrap();
    let sent = client(&slack)
        .post_message(CHANNEL, &message("Members: 12"), BUDGET)
        .await;
    assert_eq!(sent.calls, 3);
    assert!(sent.result.is_ok(), "{sent:?}");
    let at: Vec<Instant> = slack.posts().iter().map(|p| p.at).collect();
    assert!(at[1] - at[0] >= Duration::from_millis(990), "1 s first");
    assert!(at[2] - at[1] >= Duration::from_millis(1990), "then 2 s");
    assert_eq!(slack.taken().len(), 1);
}

#[tokio::test]
async fn ok_false_is_final_and_says_why() {
    let slack = SlackApiStub::answering(vec![Answer::SlackError("not_in_channel".into())])
        .await
        .unwrap();
    let started = Instant::now();
    let sent = client(&slack)
        .post_message(CHANNEL, &message("Members: 12"), BUDGET)
        .await;
    assert_eq!(sent.calls, 1);
    assert_eq!(sent.result, Err(GiveUp::Slack("not_in_channel".into())));
    assert!(started.elapsed() < Duration::from_secs(1), "no waiting");
    assert_eq!(slack.posts().len(), 1, "never tried again");
    let error = sent
        .into_result("chat.postMessage")
        .unwrap_err()
        .to_string();
    assert!(error.contains("chat.postMessage"), "{error}");
    assert!(error.contains("not_in_channel"), "{error}");
    assert!(error.contains("/invite @statsbot"), "{error}");
    assert!(!error.contains(TOKEN), "{error}");
}

#[tokio::test]
async fn a_wait_longer_than_the_budget_gives_up_at_once() {
    let slack = SlackApiStub::answering(vec![Answer::RateLimited(30)])
        .await
        .unwrap();
    let started = Instant::now();
    let sent = client(&slack)
        .post_message(CHANNEL, &message("Members: 12"), Duration::from_secs(5))
        .await;
    assert_eq!(sent.result, Err(GiveUp::OutOfTime));
    assert_eq!(sent.calls, 1);
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(slack.taken().is_empty());
}

#[tokio::test]
async fn without_a_token_nothing_is_sent() {
    let slack = SlackApiStub::start().await.unwrap();
    let client = SlackClient::new(&slack.url(), None).unwrap();
    let sent = client.post_message(CHANNEL, &message("x"), BUDGET).await;
    assert_eq!(sent.result, Err(GiveUp::NoToken));
    assert_eq!(
        client.own_history(CHANNEL, "0", BUDGET, |_| false).await,
        Err(GiveUp::NoToken)
    );
    assert!(slack.posts().is_empty());
}

#[tokio::test]
async fn posts_to_one_channel_go_a_second_apart_and_other_channels_do_not_wait() {
    let slack = SlackApiStub::start().await.unwrap();
    let client = client(&slack);
    let (one, two, elsewhere) = (message("one"), message("two"), message("elsewhere"));
    let (a, b, c) = tokio::join!(
        client.post_message(CHANNEL, &one, BUDGET),
        client.post_message(CHANNEL, &two, BUDGET),
        client.post_message("C0987654321", &elsewhere, BUDGET),
    );
    assert!(a.result.is_ok() && b.result.is_ok() && c.result.is_ok());
    let posts = slack.posts();
    let at = |channel: &str| -> Vec<Instant> {
        posts
            .iter()
            .filter(|p| p.body["channel"] == channel)
            .map(|p| p.at)
            .collect()
    };
    let same = at(CHANNEL);
    assert_eq!(same.len(), 2);
    let apart = same[1] - same[0];
    // The pacer spaces the sends a second apart; their arrival at the stand-in can be a little
    // closer on a loaded machine (the first request's trip took longer than the second's).
    assert!(apart >= Duration::from_millis(900), "{apart:?}");
    let other = at("C0987654321")[0];
    assert!(
        other < same[1],
        "the other channel did not queue behind the first"
    );
}

#[tokio::test]
async fn a_message_is_updated_in_place_and_read_back_with_its_metadata() {
    let slack = SlackApiStub::start().await.unwrap();
    let client = client(&slack);
    let mut first = message("Headcount `total` is 38, ≥ 38");
    first.parts().unwrap().metadata = Some(Metadata {
        event_type: "statsbot_alert".into(),
        event_payload: json!({"alert": "headcount", "state": "firing"}),
    });
    let posted = client.post_message(CHANNEL, &first, BUDGET).await;
    let ts = posted.ts().expect("a ts").to_string();

    let mut resolved = message("Resolved: headcount is 37");
    resolved.parts().unwrap().metadata = Some(Metadata {
        event_type: "statsbot_alert".into(),
        event_payload: json!({"alert": "headcount", "state": "resolved"}),
    });
    let updated = client.update(CHANNEL, &ts, &resolved, BUDGET).await;
    assert!(updated.result.is_ok(), "{updated:?}");
    assert_eq!(slack.updates()[0].body["ts"], ts.as_str());

    let history = client
        .own_history(CHANNEL, "0", BUDGET, |_| false)
        .await
        .unwrap();
    assert_eq!(history.len(), 1, "updated, not posted again");
    assert_eq!(history[0].ts, ts);
    let metadata = history[0].metadata.as_ref().unwrap();
    assert_eq!(metadata.event_payload["state"], "resolved");

    let gone = client.update(CHANNEL, "9.000100", &resolved, BUDGET).await;
    assert_eq!(gone.result, Err(GiveUp::Slack("message_not_found".into())));
}

#[tokio::test]
async fn a_reply_in_a_thread_carries_its_thread_ts() {
    let slack = SlackApiStub::start().await.unwrap();
    let client = client(&slack);
    let mut reply = message("Resolved after 2 h");
    reply.parts().unwrap().thread_ts = Some("1.000100".into());
    let sent = client.post_message(CHANNEL, &reply, BUDGET).await;
    assert!(sent.result.is_ok());
    assert_eq!(slack.taken()[0].body["thread_ts"], "1.000100");
}

#[tokio::test]
async fn who_the_bot_is_is_asked_once_and_a_refusal_is_not_kept() {
    let slack = SlackApiStub::start().await.unwrap();
    let client = client(&slack);
    assert_eq!(slack.auth_calls(), 0, "nothing asked at start-up");
    let me = client.identity().await.unwrap().clone();
    assert_eq!(me.bot_id, slack.identity().bot_id);
    assert_eq!(me.user_id, slack.identity().user_id);
    assert_eq!(me.team_id, slack.identity().team_id);
    client.identity().await.unwrap();
    assert_eq!(slack.auth_calls(), 1, "kept for the process");

    let refused = SlackApiStub::start().await.unwrap();
    refused.fail_auth("invalid_auth");
    let client = self::client(&refused);
    let gave_up = client.identity().await.unwrap_err();
    assert_eq!(gave_up, GiveUp::Slack("invalid_auth".into()));
    let words = bot::slack::identity::failure(gave_up.as_str());
    assert!(
        words.contains("SLACK_BOT_TOKEN") && words.contains("invalid_auth"),
        "{words}"
    );
    assert!(!words.contains(TOKEN));
    // Without what it needs to tell its own messages, history is not read at all.
    assert_eq!(
        client.own_history(CHANNEL, "0", BUDGET, |_| false).await,
        Err(GiveUp::Slack("invalid_auth".into()))
    );
    assert_eq!(refused.history_calls(), 0);
    assert_eq!(
        refused.auth_calls(),
        2,
        "a refusal is asked again on the next need"
    );
}
