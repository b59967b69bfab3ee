//! Mentions over Socket Mode: `events_api` envelopes through the same events flow as
//! `POST /slack/events`, each event answered once however often Slack delivers it (the same
//! envelope again, the same event in a fresh envelope, a connection dropped before the ack).

use std::time::Duration;

use devkit::slack_api_stub::SlackApiStub;
use devkit::socket_mode_stub::{Kind, SocketModeStub};
use serde_json::{Value, json};
use statsbot::events::{CHANNEL, bot_user, callback, event_id, mention_event, message};

use crate::helpers::{Stack, grouped, members_truth, spawn_stack_with};
use crate::logs::Logs;
use crate::socket_mode::{ACK_WITHIN, SOON, assert_no_secrets};

/// A Socket Mode stack whose Web API stand-in also keeps channels and threads (replies to
/// mentions are posted there), with `apps.connections.open` served beside them. The channel is
/// busy: other apps' and members' messages, some carrying metadata.
async fn socket_events_stack() -> (Stack, SocketModeStub, SlackApiStub) {
    let socket = SocketModeStub::start().await.unwrap();
    let web = SlackApiStub::beside(socket.routes()).await.unwrap();
    for n in 0..240 {
        let message = if n % 3 == 0 {
            json!({ "type": "message", "subtype": "bot_message", "bot_id": "B0OTHERAPP1",
                    "text": format!("deploy #{n} finished"),
                    "metadata": { "event_type": "statsbot_answer",
                                  "event_payload": { "event_id": "Ev0FORGED", "reading": "members" } } })
        } else {
            message(CHANNEL, "U0MEMBER123", &format!("chat line {n}"), None)
        };
        web.seed(CHANNEL, message);
    }
    let stack = spawn_stack_with(None, Some(Duration::from_secs(15)), |config| {
        config.slack_app_token = Some(bot::Secret::new(socket.app_token()));
        config.slack_api_url = web.url();
        config.slack_bot_token = Some(bot::Secret::new(
            "xoxb-2222222222-3333333333333-e2esocketbot",
        ));
    })
    .await;
    assert!(
        socket.wait(SOON, || socket.hellos() >= 1).await,
        "the bot never connected"
    );
    (stack, socket, web)
}

/// `@statsbot {words}` posted in the channel (as the stand-in keeps it) and its `events_api`
/// payload: the message's `ts` and the payload.
fn mention(web: &SlackApiStub, words: &str) -> (String, Value) {
    let text = format!("<@{}> {words}", bot_user());
    let ts = web.seed(CHANNEL, message(CHANNEL, "U0E2E0USER", &text, None));
    let event = mention_event("U0E2E0USER", words, &ts, None);
    (ts, callback(&event_id().unwrap(), "T0E2E0TEAM", event))
}

fn replies_in_thread(web: &SlackApiStub, ts: &str) -> Vec<Value> {
    let posts = web.posts().into_iter().map(|p| p.body);
    posts.filter(|b| b["thread_ts"] == ts).collect()
}

#[tokio::test]
async fn a_mention_over_socket_mode_is_answered_in_its_thread_once_however_often_it_comes() {
    let logs = Logs::default();
    let _capture = logs.capture();
    let (stack, socket, web) = socket_events_stack().await;
    let truth = members_truth(&stack.db.pool).await;

    let (ts, payload) = mention(&web, "how many people do we have");
    let id = socket
        .deliver(Kind::EventsApi, payload.clone(), false)
        .expect("a connection is open");
    let ack = socket.ack_of(&id, ACK_WITHIN).await.expect("acked in time");
    assert!(ack.after < ACK_WITHIN, "acked after {:?}", ack.after);
    assert!(ack.payload.is_none(), "an event's ack carries nothing");
    assert!(
        web.wait_for_posts(1, SOON).await,
        "the mention was never answered: {}",
        logs.text()
    );
    let replies = replies_in_thread(&web, &ts);
    assert_eq!(replies.len(), 1, "{replies:?}");
    let reply = replies[0].to_string();
    assert!(reply.contains(&grouped(truth.0)), "{reply}");
    assert!(reply.contains("Read as"), "says how it was read: {reply}");

    // Slack sends it again: the same envelope, and the same event in a fresh envelope.
    assert!(socket.redeliver(&id));
    let again = socket
        .deliver(Kind::EventsApi, payload, false)
        .expect("a connection is open");
    assert!(socket.ack_of(&again, ACK_WITHIN).await.is_some());
    stack.settled().await;
    assert_eq!(replies_in_thread(&web, &ts).len(), 1, "answered once");
    assert_no_secrets(&logs, &socket);
}

#[tokio::test]
async fn a_mention_on_a_connection_dropped_before_its_ack_is_answered_once() {
    let (stack, socket, web) = socket_events_stack().await;
    let truth = members_truth(&stack.db.pool).await;

    let (ts, payload) = mention(&web, "members");
    let id = socket
        .deliver_then_drop(Kind::EventsApi, payload, false)
        .unwrap();
    assert!(
        socket.wait(SOON, || socket.hellos() >= 2).await,
        "no reconnection after the drop"
    );
    assert!(socket.ack_of(&id, SOON).await.is_some(), "acked at last");
    stack.settled().await;
    let replies = replies_in_thread(&web, &ts);
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert!(replies[0].to_string().contains(&grouped(truth.0)));
}
