//! Answers not ready by the deadline: a "working on it" at once, then the answer through
//! `response_url`, posted to a local receiver the bot is allowed to reach.

use std::time::{Duration, Instant};

use crate::helpers::*;
use devkit::response_receiver::ResponseReceiver;
use serde_json::Value;

const DEADLINE: Duration = Duration::from_millis(300);

fn slow_config(api_url: &str) -> bot::Config {
    let mut config = config(api_url);
    config.deadline = DEADLINE;
    config.allow_response_url = Some("http://127.0.0.1:".into());
    config
}

/// `/stats {text}` with `response_url`; returns the immediate reply and how long it took.
async fn ask_answering_to(bot: &str, text: &str, response_url: &str) -> (Value, Duration) {
    let started = Instant::now();
    let response = post_signed(
        bot,
        "/slack/commands",
        SECRET,
        now(),
        form_answering_to("T0001", text, response_url),
    )
    .await;
    assert_eq!(response.status(), 200, "Slack needs a 200");
    let reply = json_body(response).await;
    let took = started.elapsed();
    assert_valid_message(&reply);
    (reply, took)
}

fn assert_working_on_it(reply: &Value, took: Duration) {
    assert!(
        took < Duration::from_millis(1000),
        "acknowledged after {took:?}"
    );
    assert_eq!(response_type(reply), "ephemeral", "{reply}");
    let text = reply["text"].as_str().unwrap();
    assert!(text.starts_with("Working on it"), "{text}");
}

#[tokio::test]
async fn a_slow_answer_is_acknowledged_at_once_and_posted_to_response_url() {
    let api = spawn_fake_api().await;
    let fast_bot = spawn_bot(config(&api.url())).await;
    let fast = ask(&fast_bot, "members").await;

    api.set_mode(Mode::Slow(Duration::from_millis(700)));
    let bot = spawn_bot(slow_config(&api.url())).await;
    let receiver = ResponseReceiver::start().await.unwrap();
    let (reply, took) = ask_answering_to(&bot, "members", &receiver.url()).await;
    assert_working_on_it(&reply, took);

    let post = receiver
        .first_delivery(Duration::from_secs(10))
        .await
        .expect("the answer reaches response_url");
    assert_valid_message(&post.body);
    assert_eq!(
        post.body, fast,
        "the same rendering and visibility as an inline answer"
    );
    assert_eq!(response_type(&post.body), "in_channel");
    assert_eq!(receiver.posts().len(), 1);
}

#[tokio::test]
async fn an_ephemeral_stat_stays_ephemeral_when_deferred() {
    let api = spawn_fake_api().await;
    api.set_mode(Mode::Slow(Duration::from_millis(400)));
    let bot = spawn_bot(slow_config(&api.url())).await;
    let receiver = ResponseReceiver::start().await.unwrap();
    let (reply, took) = ask_answering_to(&bot, "mentors", &receiver.url()).await;
    assert_working_on_it(&reply, took);
    let post = receiver
        .first_delivery(Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(response_type(&post.body), "ephemeral");
    assert!(visible_text(&post.body).contains("Grace Hopper"));
}

#[tokio::test]
async fn failures_in_the_slow_path_reach_response_url_as_private_explanations() {
    // The API refuses the token, after a while.
    let api = spawn_fake_api().await;
    api.set_mode(Mode::Slow(Duration::from_millis(500)));
    let bot = spawn_bot(slow_config(&api.url())).await;
    let receiver = ResponseReceiver::start().await.unwrap();
    let (reply, took) = ask_answering_to(&bot, "members", &receiver.url()).await;
    assert_working_on_it(&reply, took);
    api.set_mode(Mode::Unauthorized);
    let post = receiver
        .first_delivery(Duration::from_secs(10))
        .await
        .unwrap();
    assert_valid_message(&post.body);
    assert_eq!(response_type(&post.body), "ephemeral");
    assert!(
        visible_text(&post.body).contains("turned me away"),
        "{}",
        post.body
    );

    // The API dies after the deadline: it accepts, then drops the connection unanswered.
    let bot = spawn_bot(slow_config(
        &dying_api_url(Duration::from_millis(500)).await,
    ))
    .await;
    let receiver = ResponseReceiver::start().await.unwrap();
    let (reply, took) = ask_answering_to(&bot, "members", &receiver.url()).await;
    assert_working_on_it(&reply, took);
    let post = receiver
        .first_delivery(Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(response_type(&post.body), "ephemeral");
    assert!(
        visible_text(&post.body).contains("couldn't reach"),
        "{}",
        post.body
    );
}

#[tokio::test]
async fn a_fast_answer_is_inline_and_nothing_is_posted() {
    let api = spawn_fake_api().await;
    let bot = spawn_bot(slow_config(&api.url())).await;
    let receiver = ResponseReceiver::start().await.unwrap();
    let (reply, _) = ask_answering_to(&bot, "members", &receiver.url()).await;
    assert!(visible_text(&reply).contains("1,234"), "{reply}");
    bot.settled().await;
    assert!(receiver.posts().is_empty());
}

#[tokio::test]
async fn a_receiver_that_fails_twice_gets_the_answer_exactly_once() {
    let api = spawn_fake_api().await;
    api.set_mode(Mode::Slow(Duration::from_millis(400)));
    let bot = spawn_bot(slow_config(&api.url())).await;
    let receiver = ResponseReceiver::answering(&[500, 503]).await.unwrap();
    let (reply, took) = ask_answering_to(&bot, "members", &receiver.url()).await;
    assert_working_on_it(&reply, took);

    let post = receiver
        .first_delivery(Duration::from_secs(10))
        .await
        .unwrap();
    assert!(visible_text(&post.body).contains("1,234"));
    let posts = receiver.posts();
    assert_eq!(posts.len(), 3, "two failures, one success");
    // Backing off: 0.5 s, then 1 s.
    assert!(posts[1].at - posts[0].at >= Duration::from_millis(450));
    assert!(posts[2].at - posts[1].at >= Duration::from_millis(950));
    bot.settled().await;
    assert_eq!(receiver.posts().len(), 3, "nothing after the success");
    assert_eq!(receiver.delivered().len(), 1);
}

#[tokio::test]
async fn a_4xx_from_response_url_is_final() {
    let api = spawn_fake_api().await;
    api.set_mode(Mode::Slow(Duration::from_millis(400)));
    let bot = spawn_bot(slow_config(&api.url())).await;
    let receiver = ResponseReceiver::answering(&[404]).await.unwrap();
    let (reply, took) = ask_answering_to(&bot, "members", &receiver.url()).await;
    assert_working_on_it(&reply, took);
    bot.settled().await;
    assert_eq!(receiver.posts().len(), 1, "no retry after a 404");
    assert!(receiver.delivered().is_empty());
}

#[tokio::test]
async fn a_response_url_the_bot_may_not_post_to_gets_nothing() {
    let api = spawn_fake_api().await;
    api.set_mode(Mode::Slow(Duration::from_millis(700)));
    let mut config = slow_config(&api.url());
    config.allow_response_url = None;
    let bot = spawn_bot(config).await;
    let receiver = ResponseReceiver::start().await.unwrap();
    let (reply, took) = ask_answering_to(&bot, "members", &receiver.url()).await;
    assert!(took < Duration::from_millis(1000), "{took:?}");
    assert!(
        reply["text"].as_str().unwrap().contains("took too long"),
        "answered inline instead: {reply}"
    );
    bot.settled().await;
    assert!(receiver.posts().is_empty(), "{:?}", receiver.posts());
}

/// A stats API that accepts each connection and drops it, unanswered, after `after`.
async fn dying_api_url(after: Duration) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                tokio::time::sleep(after).await;
                drop(socket);
            });
        }
    });
    format!("http://{addr}")
}
