//! A stat slower than Slack waits: the bot acknowledges in time and posts the answer to the
//! command's `response_url` (a local receiver), with the numbers the database holds.

use std::time::Duration;

use devkit::response_receiver::ResponseReceiver;
use serde_json::Value;
use statsbot::slash::{form_body, send, send_command};

use crate::helpers::{
    CatalogueFile, SECRET, Stack, grouped, members_sleeping, members_truth, spawn_stack_with,
};

/// Slack gives up at 3 s; the bot's default deadline is 2 s.
const ACK_WITHIN: Duration = Duration::from_millis(2500);
const SERVER_SLEEP: Duration = Duration::from_secs(5);

/// The slow catalogue, a stats API that lets the query run (limit above 5 s), and a bot with its
/// default deadline that may post to local receivers.
async fn slow_stack() -> (Stack, CatalogueFile) {
    let file = CatalogueFile::new(&members_sleeping(5));
    let stack = spawn_stack_with(
        Some(file.0.clone()),
        Some(Duration::from_secs(15)),
        |config| {
            config.allow_response_url = Some("http://127.0.0.1:".into());
        },
    )
    .await;
    (stack, file)
}

fn assert_members_answer(answer: &Value, (total, invited, newest): &(i64, i64, String)) {
    if let Err(problems) = bot::slack::blocks::check(answer) {
        panic!("invalid Block Kit {problems:?}:\n{answer:#}");
    }
    assert_eq!(answer["response_type"], "in_channel", "{answer}");
    let fallback = answer["text"].as_str().unwrap();
    assert!(
        fallback.contains(&format!("There are currently {} members.", grouped(*total))),
        "{fallback}"
    );
    assert!(
        fallback.contains(&format!(
            "{} of them were invited by a mentor",
            grouped(*invited)
        )),
        "{fallback}"
    );
    assert!(
        fallback.contains(&format!("The newest member is {newest}")),
        "{fallback}"
    );
    let section = answer["blocks"][0]["text"]["text"].as_str().unwrap();
    assert!(
        section.contains(&format!("*{}*", grouped(*total))),
        "{section}"
    );
}

#[tokio::test]
async fn a_five_second_stat_is_acknowledged_in_time_and_answered_through_response_url() {
    let (stack, _file) = slow_stack().await;
    let truth = members_truth(&stack.db.pool).await;

    let sent = send_command(&stack.bot_url, SECRET, "/stats members", "T0E2E", "U0E2E")
        .await
        .unwrap();
    assert_eq!(sent.status, 200);
    assert!(
        sent.reply_after < ACK_WITHIN,
        "Slack got its 200 after {:?}",
        sent.reply_after
    );
    assert!(
        sent.working_on_it,
        "not the acknowledgement: {}",
        sent.reply
    );
    assert_eq!(sent.reply["response_type"], "ephemeral");

    let (answer, after) = sent
        .deferred_answer(Duration::from_secs(10))
        .await
        .expect("the answer reaches response_url");
    assert!(
        after >= SERVER_SLEEP,
        "came after {after:?}: was the query really slow?"
    );
    assert_members_answer(&answer, &truth);
    stack.settled().await;
    assert_eq!(sent.posts().len(), 1, "posted once");
}

#[tokio::test]
async fn a_response_url_on_another_host_gets_nothing_and_the_user_still_gets_an_answer() {
    let (stack, _file) = slow_stack().await;
    let receiver = ResponseReceiver::start().await.unwrap();
    // The same receiver under another name: the bot may post to 127.0.0.1 only.
    let elsewhere = receiver.url().replace("127.0.0.1", "localhost");

    let started = std::time::Instant::now();
    let body = form_body("/stats", "members", "T0E2E", "U0E2E", &elsewhere);
    let (status, reply) = send(&stack.bot_url, SECRET, body).await.unwrap();
    assert_eq!(status, 200);
    assert!(started.elapsed() < ACK_WITHIN, "{:?}", started.elapsed());
    assert_eq!(reply["response_type"], "ephemeral");
    assert!(
        reply["text"].as_str().unwrap().contains("took too long"),
        "answered inline: {reply}"
    );

    // Nothing was left running to post there later.
    stack.settled().await;
    assert!(receiver.posts().is_empty(), "{:?}", receiver.posts());
}

#[tokio::test]
async fn a_receiver_that_fails_twice_then_succeeds_gets_the_answer_exactly_once() {
    let (stack, _file) = slow_stack().await;
    let truth = members_truth(&stack.db.pool).await;
    let receiver = ResponseReceiver::answering(&[500, 500]).await.unwrap();

    let body = form_body("/stats", "members", "T0E2E", "U0E2E", &receiver.url());
    let (status, reply) = send(&stack.bot_url, SECRET, body).await.unwrap();
    assert_eq!(status, 200);
    assert_eq!(reply["response_type"], "ephemeral", "{reply}");

    let delivered = receiver
        .first_delivery(Duration::from_secs(15))
        .await
        .expect("delivered on the third post");
    assert_members_answer(&delivered.body, &truth);
    stack.settled().await;
    let statuses: Vec<u16> = receiver.posts().iter().map(|p| p.status).collect();
    assert_eq!(statuses, [500, 500, 200]);
    let bodies: Vec<Value> = receiver.posts().into_iter().map(|p| p.body).collect();
    assert!(
        bodies.iter().all(|b| b == &delivered.body),
        "every try carries the same answer"
    );
}
