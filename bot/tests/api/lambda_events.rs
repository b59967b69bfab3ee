//! Lambda events (fixtures in `tests/fixtures/`) through lambda_http's own request conversion and
//! the bot's Router, as on AWS. Each fixture's body is signed at test time.

use crate::helpers::*;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use http_body_util::BodyExt;
use lambda_http::request::LambdaRequest;
use serde_json::Value;
use tower::ServiceExt;

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The body bytes Slack sent, as the event carries them (base64 for Function URLs).
fn raw_body(event: &Value) -> Vec<u8> {
    let body = event["body"].as_str().unwrap();
    if event["isBase64Encoded"].as_bool().unwrap_or(false) {
        BASE64.decode(body).unwrap()
    } else {
        body.as_bytes().to_vec()
    }
}

/// Replaces the fixture's placeholder Slack headers with a signature made now with `secret`.
fn sign_event(mut event: Value, secret: &str) -> Value {
    let timestamp = now().to_string();
    let signature = bot::slack::signature::sign(secret, &timestamp, &raw_body(&event));
    for headers in ["headers", "multiValueHeaders"] {
        let Some(map) = event[headers].as_object_mut() else {
            continue;
        };
        for (name, value) in map.iter_mut() {
            let fresh = match name.to_ascii_lowercase().as_str() {
                "x-slack-request-timestamp" => &timestamp,
                "x-slack-signature" => &signature,
                _ => continue,
            };
            *value = if value.is_array() {
                Value::from(vec![fresh.clone()])
            } else {
                Value::from(fresh.clone())
            };
        }
    }
    event
}

/// Runs one event through lambda_http's conversion and the Router; returns status and body.
async fn invoke(event: Value, api: &FakeApi) -> (u16, String) {
    let request: LambdaRequest = serde_json::from_value(event).unwrap();
    let request: lambda_http::Request = request.into();
    let state = bot::startup::build(config(&api.url())).unwrap().state;
    let response = bot::startup::router(state).oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn function_url_event_with_a_base64_body_is_verified_and_answered() {
    let api = spawn_fake_api().await;
    let event = fixture("function_url_slash_command.json");
    assert_eq!(
        event["isBase64Encoded"], true,
        "the case this test is about"
    );

    let (status, body) = invoke(sign_event(event, SECRET), &api).await;
    assert_eq!(status, 200, "{body}");
    let reply: Value = serde_json::from_str(&body).unwrap();
    assert_valid_message(&reply);
    assert!(visible_text(&reply).contains("*1,234* members"), "{body}");
}

#[tokio::test]
async fn rest_api_event_with_a_stage_prefix_is_verified_and_answered() {
    let api = spawn_fake_api().await;
    let event = fixture("rest_api_slash_command.json");
    let converted: lambda_http::Request = serde_json::from_value::<LambdaRequest>(event.clone())
        .unwrap()
        .into();
    assert_eq!(
        converted.uri().path(),
        "/Prod/slack/commands",
        "the case this test is about: lambda_http keeps the stage in the path"
    );

    let (status, body) = invoke(sign_event(event, SECRET), &api).await;
    assert_eq!(status, 200, "{body}");
    let reply: Value = serde_json::from_str(&body).unwrap();
    assert_valid_message(&reply);
    assert_eq!(reply["blocks"][0]["text"]["text"], "Signups per month");
    assert_eq!(api.last_query.lock().unwrap().as_deref(), Some("months=3"));
}

#[tokio::test]
async fn lambda_events_signed_with_another_secret_get_401() {
    let api = spawn_fake_api().await;
    for name in [
        "function_url_slash_command.json",
        "rest_api_slash_command.json",
    ] {
        let (status, body) = invoke(sign_event(fixture(name), "someone-else"), &api).await;
        assert_eq!((status, body.as_str()), (401, ""), "{name}");
    }
    // The placeholders as committed are not a signature either.
    let (status, _) = invoke(fixture("function_url_slash_command.json"), &api).await;
    assert_eq!(status, 401);
    assert_eq!(api.hits(), 0);
}

#[tokio::test]
async fn a_body_changed_after_signing_is_refused_on_the_lambda_path() {
    let api = spawn_fake_api().await;
    let mut event = sign_event(fixture("function_url_slash_command.json"), SECRET);
    let tampered = String::from_utf8(raw_body(&event))
        .unwrap()
        .replace("text=members", "text=mentors");
    event["body"] = Value::from(BASE64.encode(tampered));
    let (status, _) = invoke(event, &api).await;
    assert_eq!(status, 401);
    assert_eq!(api.hits(), 0);
}

/// One function binary, two kinds of event: EventBridge Scheduler's tick runs the digests due,
/// and an HTTP event still goes through lambda_http to the Router.
#[tokio::test]
async fn a_scheduler_tick_runs_the_digests_and_http_events_still_reach_the_router() {
    use devkit::slack_api_stub::SlackApiStub;
    use lambda_http::{Context, LambdaEvent};

    let api = spawn_fake_api().await;
    let slack = SlackApiStub::start().await.unwrap();
    let mut config = config(&api.url());
    config.digests = std::sync::Arc::new(
        bot::digests::file::parse(
            "[[digests]]\nname = \"minutely\"\nchannel = \"C0123456789\"\n\
             schedule = \"* * * * *\"\nstats = [\"members\"]",
        )
        .unwrap(),
    );
    config.slack_bot_token = Some(bot::Secret::new("xoxb-test"));
    config.slack_api_url = slack.url();
    let state = bot::startup::build(config).unwrap().state;
    let handler = bot::flows::scheduled::lambda_handler(state.clone(), bot::startup::router(state));

    let now = chrono::Utc::now().to_rfc3339();
    let tick = serde_json::json!({"statsbot": "digest-tick", "scheduled_time": now});
    let out = handler
        .clone()
        .oneshot(LambdaEvent::new(tick.clone(), Context::default()))
        .await
        .unwrap();
    assert_eq!(out["digests"][0]["digest"], "minutely", "{out}");
    assert_eq!(slack.taken().len(), 1);
    let body = &slack.taken()[0].body;
    assert!(visible_text(body).contains("*1,234* members"), "{body}");
    // The same tick again: posted once.
    handler
        .clone()
        .oneshot(LambdaEvent::new(tick, Context::default()))
        .await
        .unwrap();
    assert_eq!(slack.taken().len(), 1, "a repeated tick posts nothing");

    let event = sign_event(fixture("function_url_slash_command.json"), SECRET);
    let response = handler
        .oneshot(LambdaEvent::new(event, Context::default()))
        .await
        .unwrap();
    assert_eq!(response["statusCode"], 200, "{response}");
}
