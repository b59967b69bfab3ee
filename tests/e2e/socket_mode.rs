//! Socket Mode through the real bot, stats API and database, with Slack's side played by the
//! stand-in (`devkit::socket_mode_stub`): commands, presses and mentions arrive as envelopes, answers go
//! back in acks or through `response_url`, connections are refreshed, dropped and gone silent;
//! the log never shows the app token or a connection's ticket.

use std::time::{Duration, Instant};

use devkit::response_receiver::ResponseReceiver;
use devkit::socket_mode_stub::{Kind, SocketModeStub};
use serde_json::{Map, Value};
use statsbot::press;

use crate::helpers::{
    CatalogueFile, Stack, grouped, members_sleeping, members_truth, spawn_stack_with,
};
use crate::logs::Logs;

/// Slack gives up on an ack after 3 s.
pub(crate) const ACK_WITHIN: Duration = Duration::from_secs(3);
pub(crate) const SOON: Duration = Duration::from_secs(10);

/// A stack whose bot speaks Socket Mode to the stand-in (and may answer local `response_url`s),
/// connected; `configure` may change the bot's settings first.
async fn socket_stack(
    catalogue: Option<&CatalogueFile>,
    configure: impl FnOnce(&mut bot::Config),
) -> (Stack, SocketModeStub) {
    let slack = SocketModeStub::start().await.unwrap();
    let stack = spawn_stack_with(
        catalogue.map(|c| c.0.clone()),
        Some(Duration::from_secs(15)),
        |config| {
            config.slack_app_token = Some(bot::Secret::new(slack.app_token()));
            config.slack_api_url = slack.api_url();
            config.allow_response_url = Some("http://127.0.0.1:".into());
            configure(config);
        },
    )
    .await;
    assert!(
        slack.wait(SOON, || slack.hellos() >= 1).await,
        "the bot never connected"
    );
    (stack, slack)
}

/// What Slack's `slash_commands` envelope carries: the form's fields, as a JSON object.
fn slash_payload(text: &str, response_url: &str) -> Value {
    let form = statsbot::slash::form_body("/stats", text, "T0E2E", "U0E2E", response_url);
    let fields: Vec<(String, String)> = serde_urlencoded::from_str(&form).unwrap();
    let object: Map<String, Value> = fields
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    Value::Object(object)
}

/// `/stats <text>` as an envelope accepting an answer in its ack; returns the ack's answer.
async fn ask(slack: &SocketModeStub, text: &str, response_url: &str) -> Value {
    let id = slack
        .deliver(Kind::SlashCommands, slash_payload(text, response_url), true)
        .expect("a connection is open");
    let ack = slack.ack_of(&id, ACK_WITHIN).await.expect("acked in time");
    assert!(ack.after < ACK_WITHIN, "acked after {:?}", ack.after);
    let answer = ack.payload.expect("the answer rides in the ack");
    if let Err(problems) = bot::slack::blocks::check(&answer) {
        panic!("invalid Block Kit {problems:?}:\n{answer:#}");
    }
    answer
}

fn assert_members(answer: &Value, (total, _, newest): &(i64, i64, String)) {
    let fallback = answer["text"].as_str().unwrap_or_default();
    assert!(
        fallback.contains(&format!("There are currently {} members.", grouped(*total))),
        "{answer}"
    );
    assert!(fallback.contains(newest.as_str()), "{answer}");
}

/// Neither the app token nor any connection URL or its ticket reached the log.
pub(crate) fn assert_no_secrets(logs: &Logs, slack: &SocketModeStub) {
    let text = logs.text();
    assert!(
        !text.contains(slack.app_token()),
        "the app token is in the log"
    );
    assert!(!text.contains("xapp-"), "a token is in the log");
    let urls = slack.issued_urls();
    assert!(!urls.is_empty());
    for url in urls {
        let ticket = url
            .split("ticket=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap();
        assert!(!text.contains(ticket), "a ticket is in the log:\n{text}");
        assert!(
            !text.contains("/link/"),
            "a connection URL is in the log:\n{text}"
        );
    }
}

#[tokio::test]
async fn stats_members_is_answered_in_the_ack_and_no_secret_is_logged() {
    let logs = Logs::default();
    let _capture = logs.capture();
    let (stack, slack) = socket_stack(None, |_| {}).await;
    let truth = members_truth(&stack.db.pool).await;

    let answer = ask(&slack, "members", "").await;
    assert_members(&answer, &truth);
    assert_eq!(answer["response_type"], "in_channel");

    let text = logs.text();
    assert!(text.contains("Socket Mode connected"), "{text}");
    assert!(text.contains("127.0.0.1"), "the host is named: {text}");
    assert!(text.contains("slash command"), "{text}");
    assert_no_secrets(&logs, &slack);
}

#[tokio::test]
async fn a_slow_stat_is_acked_with_working_on_it_then_answered_through_response_url() {
    let file = CatalogueFile::new(&members_sleeping(3));
    let (stack, slack) = socket_stack(Some(&file), |_| {}).await;
    let truth = members_truth(&stack.db.pool).await;
    let receiver = ResponseReceiver::start().await.unwrap();

    let acked = ask(&slack, "members", &receiver.url()).await;
    assert_eq!(acked["response_type"], "ephemeral", "{acked}");
    assert!(
        acked["text"].as_str().unwrap().starts_with("Working on it"),
        "{acked}"
    );
    let answer = receiver
        .first_delivery(Duration::from_secs(15))
        .await
        .expect("the answer follows through response_url");
    assert_members(&answer.body, &truth);
    assert_eq!(receiver.posts().len(), 1, "answered once");
}

#[tokio::test]
async fn a_run_button_pressed_over_socket_mode_is_answered_through_response_url() {
    let (stack, slack) = socket_stack(None, |_| {}).await;
    let truth = members_truth(&stack.db.pool).await;
    let receiver = ResponseReceiver::start().await.unwrap();

    let help = ask(&slack, "help", "").await;
    let offered = press::buttons(&help);
    let run = press::find(&offered, "run:members").expect("help offers Run for members");
    let payload =
        press::block_actions_payload(run, "T0E2E", "U0E2E", press::DEV_CHANNEL, &receiver.url());
    let id = slack.deliver(Kind::Interactive, payload, false).unwrap();
    let ack = slack.ack_of(&id, ACK_WITHIN).await.expect("acked in time");
    assert_eq!(
        ack.payload, None,
        "a press is answered through response_url"
    );

    let answer = receiver.first_delivery(SOON).await.expect("answered");
    assert_members(&answer.body, &truth);
    assert_eq!(answer.body["response_type"], "ephemeral", "{}", answer.body);
}

#[tokio::test]
async fn refresh_requested_is_followed_by_a_new_connection_and_the_next_command_is_answered() {
    let logs = Logs::default();
    let _capture = logs.capture();
    let (stack, slack) = socket_stack(None, |_| {}).await;
    let truth = members_truth(&stack.db.pool).await;

    slack.disconnect_all("refresh_requested", Duration::from_secs(10));
    let started = Instant::now();
    assert!(
        slack.wait(SOON, || slack.hellos() >= 2).await,
        "no new connection after refresh_requested"
    );
    assert!(slack.open_connections() <= 2);
    // The bot closes the old one itself once the new one serves, before Slack would.
    assert!(
        slack
            .wait(Duration::from_secs(6), || slack.open_connections() == 1)
            .await,
        "the old connection stays open"
    );
    assert!(started.elapsed() < Duration::from_secs(10));

    let answer = ask(&slack, "members", "").await;
    assert_members(&answer, &truth);
    let last = slack.acks().pop().unwrap();
    assert_eq!(last.connection, 2, "answered on the new connection");
    assert!(logs.text().contains("refresh_requested"), "{}", logs.text());
    assert_no_secrets(&logs, &slack);
}

#[tokio::test]
async fn a_warning_that_slack_will_close_soon_hands_over_without_losing_the_next_command() {
    let logs = Logs::default();
    let _capture = logs.capture();
    let (stack, slack) = socket_stack(None, |_| {}).await;
    let truth = members_truth(&stack.db.pool).await;

    // Slack closes the old connection after 1 s, before the bot would (3 s after the new hello).
    slack.disconnect_all("warning", Duration::from_secs(1));
    assert!(
        slack.wait(SOON, || slack.hellos() >= 2).await,
        "no replacement"
    );
    assert!(
        slack.wait(SOON, || slack.open_connections() == 1).await,
        "the old connection stays open"
    );
    assert_members(&ask(&slack, "members", "").await, &truth);
    let text = logs.text();
    assert!(text.contains("another one serves"), "{text}");
    assert!(
        !text.contains("reconnecting"),
        "a handover is no loss: {text}"
    );
}

#[tokio::test]
async fn refreshes_in_a_row_never_hold_more_than_two_connections() {
    let (stack, slack) = socket_stack(None, |_| {}).await;
    let truth = members_truth(&stack.db.pool).await;
    for round in 1..=3 {
        slack.disconnect_all("refresh_requested", Duration::from_secs(10));
        assert!(
            slack.wait(SOON, || slack.hellos() > round).await,
            "no new connection after refresh {round}"
        );
    }
    assert_members(&ask(&slack, "members", "").await, &truth);
    assert_eq!(slack.peak_connections(), 2, "at most two at once");
}

#[tokio::test]
async fn a_command_whose_envelope_takes_no_answer_is_acked_at_once_and_answered_through_response_url()
 {
    let (stack, slack) = socket_stack(None, |_| {}).await;
    let truth = members_truth(&stack.db.pool).await;
    let receiver = ResponseReceiver::start().await.unwrap();

    let payload = slash_payload("members", &receiver.url());
    let id = slack.deliver(Kind::SlashCommands, payload, false).unwrap();
    let ack = slack.ack_of(&id, ACK_WITHIN).await.expect("acked");
    assert_eq!(ack.payload, None, "the envelope takes no answer");
    let answer = receiver.first_delivery(SOON).await.expect("answered");
    assert_members(&answer.body, &truth);
    stack.settled().await;
    assert_eq!(receiver.posts().len(), 1);
}

#[tokio::test]
async fn a_command_on_a_connection_dropped_before_its_ack_is_answered_once_when_delivered_again() {
    let logs = Logs::default();
    let _capture = logs.capture();
    let (stack, slack) = socket_stack(None, |_| {}).await;
    let truth = members_truth(&stack.db.pool).await;

    let id = slack
        .deliver_then_drop(Kind::SlashCommands, slash_payload("members", ""), true)
        .unwrap();
    assert!(
        slack.wait(SOON, || slack.hellos() >= 2).await,
        "no reconnection after the drop"
    );
    let ack = slack
        .ack_of(&id, SOON)
        .await
        .expect("acked on the new connection");
    assert_eq!(ack.connection, 2);
    assert_members(ack.payload.as_ref().expect("with its answer"), &truth);
    let acks: Vec<_> = slack
        .acks()
        .into_iter()
        .filter(|a| a.envelope_id == id)
        .collect();
    assert_eq!(acks.len(), 1, "{acks:?}");
    let text = logs.text();
    assert!(text.contains("reconnecting"), "{text}");
    assert!(
        text.contains("delivered again"),
        "run once, acked twice: {text}"
    );
    assert_eq!(
        text.matches("slash command team=").count(),
        1,
        "run once: {text}"
    );
    assert_no_secrets(&logs, &slack);
}

#[tokio::test]
async fn a_press_on_a_connection_dropped_before_its_ack_is_answered_once() {
    let (stack, slack) = socket_stack(None, |_| {}).await;
    let receiver = ResponseReceiver::start().await.unwrap();
    let help = ask(&slack, "help", "").await;
    let offered = press::buttons(&help);
    let run = press::find(&offered, "run:members").unwrap();
    let payload =
        press::block_actions_payload(run, "T0E2E", "U0E2E", press::DEV_CHANNEL, &receiver.url());

    let id = slack
        .deliver_then_drop(Kind::Interactive, payload, false)
        .unwrap();
    let ack = slack
        .ack_of(&id, SOON)
        .await
        .expect("acked on the new connection");
    assert_eq!(ack.connection, 2);
    assert!(receiver.first_delivery(SOON).await.is_some());
    stack.settled().await;
    assert_eq!(
        receiver.posts().len(),
        1,
        "one answer: {:#?}",
        receiver.posts()
    );
}

#[tokio::test]
async fn a_connection_gone_silent_is_noticed_by_its_pings_and_replaced() {
    let (_stack, slack) = socket_stack(None, |config| {
        config.socket_ping = Duration::from_millis(200);
    })
    .await;
    slack.go_silent();
    assert!(
        slack
            .wait(Duration::from_secs(5), || slack.hellos() >= 2)
            .await,
        "the silent connection was not replaced"
    );
    let answer = ask(&slack, "help", "").await;
    assert!(answer["blocks"].is_array());
}

#[tokio::test]
async fn a_refused_app_token_is_explained_without_showing_it() {
    let logs = Logs::default();
    let _capture = logs.capture();
    let slack = SocketModeStub::start().await.unwrap();
    let wrong = "xapp-1-A0123ABCD-0000000000-wrongs3cr3t";
    let _stack = spawn_stack_with(None, None, |config| {
        config.slack_app_token = Some(bot::Secret::new(wrong));
        config.slack_api_url = slack.api_url();
    })
    .await;
    let explained = || logs.text().contains("Slack refused SLACK_APP_TOKEN");
    let deadline = Instant::now() + SOON;
    while !explained() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let text = logs.text();
    assert!(explained(), "{text}");
    assert!(text.contains("reconnecting"), "{text}");
    assert!(!text.contains("wrongs3cr3t"), "{text}");
    assert_eq!(slack.hellos(), 0);
}

/// The dev stack's options over Socket Mode on `db`, with the environment `extra` adds.
fn dev_socket_options(
    db: &devkit::test_database::TestDatabase,
    catalogue: &CatalogueFile,
    extra: &[(&str, &str)],
) -> statsbot::dev::DevOptions {
    let mut options = crate::helpers::dev_options(db, catalogue, extra);
    options.socket = true;
    options
}

#[tokio::test]
async fn dev_socket_without_the_app_s_tokens_names_each_one_missing() {
    let db = devkit::test_database::TestDatabase::new().await;
    let catalogue = CatalogueFile::new(stats_api::catalogue::DEFAULT_CATALOGUE);
    let options = dev_socket_options(&db, &catalogue, &[]);
    let Err(error) = statsbot::dev::Stack::start(&options).await else {
        panic!("started without the tokens");
    };
    let error = error.to_string();
    assert!(error.contains("SLACK_APP_TOKEN (xapp-"), "{error}");
    assert!(error.contains("SLACK_BOT_TOKEN (xoxb-"), "{error}");
    assert!(error.contains("slack-app-manifest.socket.yaml"), "{error}");

    let options = dev_socket_options(&db, &catalogue, &[("SLACK_BOT_TOKEN", "xoxb-1-s3cr3t")]);
    let Err(error) = statsbot::dev::Stack::start(&options).await else {
        panic!("started without the app token");
    };
    let error = error.to_string();
    assert!(
        error.contains("SLACK_APP_TOKEN") && !error.contains("SLACK_BOT_TOKEN"),
        "{error}"
    );
}

#[tokio::test]
async fn dev_socket_answers_over_socket_mode_without_the_example_digests_or_local_charts() {
    let slack = SocketModeStub::start().await.unwrap();
    let db = devkit::test_database::TestDatabase::new().await;
    let catalogue = CatalogueFile::new(stats_api::catalogue::DEFAULT_CATALOGUE);
    let api_url = slack.api_url();
    let options = dev_socket_options(
        &db,
        &catalogue,
        &[
            ("SLACK_APP_TOKEN", slack.app_token()),
            ("SLACK_BOT_TOKEN", "xoxb-1-dev-s3cr3t"),
            ("SLACK_API_URL", &api_url),
        ],
    );
    let stack = statsbot::dev::Stack::start(&options)
        .await
        .expect("it starts");
    assert!(
        slack.wait(SOON, || slack.hellos() >= 1).await,
        "never connected"
    );
    let truth = members_truth(&db.pool).await;

    assert_members(&ask(&slack, "members", "").await, &truth);
    let series = ask(&slack, "signups 12", "").await;
    assert!(
        !series.to_string().contains("\"image\""),
        "Slack cannot fetch a chart from this machine: {series}"
    );
    assert_eq!(
        stack.state.digests_file, None,
        "the example digests post to channels not yours"
    );
    assert_eq!(stack.state.alerts_file, None);
    assert_eq!(
        stack.state.slack_bot_token, None,
        "a real token is not saved to a file"
    );
    stack.stop().await;
}
