//! An Events API event's acknowledgement, in process: a signed `app_mention` through the bot's
//! Router (the verification layer: body, signature; the handler: read the event, claim its id in
//! the in-process set, hand it to the mentions feature on the deferred path) to the empty 200
//! Slack gets. The work after the acknowledgement is not measured (here it ends at once: no bot
//! token). Each iteration sends a new `event_id`, as Slack does; bodies are signed beforehand.
//! Run: `cargo bench -p bot --bench events`. Figure in the root README ("Mentions, DMs…").

use std::hint::black_box;

use axum::body::Body;
use axum::http::Request;
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use tower::ServiceExt;

const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
/// More bodies than the in-process set remembers: each id is new again when it comes round.
const BODIES: usize = 4096;

fn mention(event_id: &str) -> String {
    json!({
        "token": "ZZZZZZWSxiZZZ2yIvs3peJ", "team_id": "T0123ABCD", "api_app_id": "A0123ABCD",
        "type": "event_callback", "event_id": event_id, "event_time": 1_700_000_000,
        "authorizations": [{"enterprise_id": null, "team_id": "T0123ABCD", "user_id": "U0123ABCD",
                            "is_bot": true, "is_enterprise_install": false}],
        "is_ext_shared_channel": false, "event_context": "4-eyJldCI6ImFwcF9tZW50aW9uIn0",
        "event": {"type": "app_mention", "user": "U0456EFGH", "channel": "C0123456789",
                  "text": "<@U0123ABCD> how many people do we have", "ts": "1700000000.000100",
                  "event_ts": "1700000000.000100",
                  "client_msg_id": "7c6d3b0e-2b8a-4c2f-9c1e-0c4b8f3d2a11"}
    })
    .to_string()
}

fn acknowledge_a_mention(c: &mut Criterion) {
    // The deferred work (the mention's answer) runs on the one worker, off the timed call.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let _guard = runtime.enter();
    let config = bot::Config::new(SECRET, "http://127.0.0.1:9", "token");
    let state = bot::startup::build(config).unwrap().state;
    let router = bot::startup::router(state);
    let timestamp = chrono::Utc::now().timestamp().to_string();
    let signed: Vec<(String, String)> = (0..BODIES)
        .map(|i| {
            let body = mention(&format!("Ev0BENCH{i:06}"));
            let signature = bot::slack::signature::sign(SECRET, &timestamp, body.as_bytes());
            (body, signature)
        })
        .collect();
    let mut next = 0;
    c.bench_function("verify+parse+claim+defer an app_mention (empty 200)", |b| {
        b.iter(|| {
            let (body, signature) = &signed[next % BODIES];
            next += 1;
            let request = Request::post("/slack/events")
                .header("content-type", "application/json")
                .header("x-slack-request-timestamp", &timestamp)
                .header("x-slack-signature", signature)
                .body(Body::from(body.clone()))
                .unwrap();
            let response = runtime.block_on(router.clone().oneshot(request)).unwrap();
            assert_eq!(response.status(), 200);
            black_box(response)
        })
    });
}

criterion_group!(benches, acknowledge_a_mention);
criterion_main!(benches);
