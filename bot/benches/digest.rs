//! Render + post of a 5-stat digest: each stat through `flows::run` against a stand-in stats
//! API on loopback that answers at once (as the stats API does from its cache), composed into
//! one message, posted with `chat.postMessage` to devkit's Slack Web API stand-in on loopback.
//! Run: `cargo bench -p bot --bench digest`. Figures in the root README, "Post stats on a
//! schedule".

use std::sync::Arc;

use axum::Router;
use axum::extract::Path;
use axum::routing::get;
use bot::digests::marker::Marker;
use bot::digests::runner::{self, occurrence_id};
use chrono::Utc;
use criterion::{Criterion, criterion_group, criterion_main};
use devkit::slack_api_stub::SlackApiStub;
use serde_json::{Value, json};

fn stat(name: &str, display: &str, params: Value) -> Value {
    json!({ "name": name, "title": name, "description": "", "display": display, "params": params })
}

fn catalogue() -> Value {
    let days = json!([{ "name": "days", "type": "integer", "default": 7, "min": 1 }]);
    let months = json!([{ "name": "months", "type": "integer", "default": 12, "min": 1 }]);
    let limit = json!([{ "name": "limit", "type": "integer", "default": 10, "min": 1 }]);
    json!({ "stats": [
        stat("members", "figures", json!([])),
        stat("growth", "figures", days.clone()),
        stat("signups", "series", months),
        stat("mentors", "ranked", limit),
        stat("active", "figures", days),
    ]})
}

fn result(name: &str) -> Value {
    let (display, columns, rows) = match name {
        "members" => (
            "figures",
            json!([{ "name": "total", "type": "integer" }, { "name": "invited_by_mentor", "type": "integer" },
                   { "name": "newest_name", "type": "string" }, { "name": "newest_joined_at", "type": "datetime" }]),
            json!([{ "total": 4625, "invited_by_mentor": 1203, "newest_name": "Ada Lovelace",
                     "newest_joined_at": "2026-11-20T10:00:00Z" }]),
        ),
        "growth" | "active" => (
            "figures",
            json!([{ "name": "period", "type": "string" }, { "name": "joined", "type": "integer" },
                   { "name": "joined_the_period_before", "type": "integer" }, { "name": "change", "type": "integer" }]),
            json!([{ "period": "last 7 days", "joined": 31, "joined_the_period_before": 24, "change": 7 }]),
        ),
        "signups" => (
            "series",
            json!([{ "name": "month", "type": "string" }, { "name": "signups", "type": "integer" }]),
            json!([{ "month": "2026-09", "signups": 70 }, { "month": "2026-10", "signups": 81 },
                   { "month": "2026-11", "signups": 44 }]),
        ),
        _ => (
            "ranked",
            json!([{ "name": "mentor", "type": "string" }, { "name": "invited", "type": "integer" }]),
            json!(
                (1..=10)
                    .map(|i| json!({ "mentor": format!("Mentor {i}"), "invited": 100 - i }))
                    .collect::<Vec<_>>()
            ),
        ),
    };
    json!({ "name": name, "title": name, "display": display, "params": {}, "columns": columns,
            "rows": rows, "truncated": false, "generated_at": "2026-11-23T09:00:00Z" })
}

const DIGEST: &str = r#"
[[digests]]
name = "weekly"
channel = "C0123456789"
schedule = "0 9 * * MON"
timezone = "Europe/Berlin"
stats = ["members", "growth 7", "signups 3", "mentors 10", "active 30"]
title = "This week in numbers"
intro = "Good morning!"
"#;

fn digest(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (bot, slack) = rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = Router::new()
            .route("/v1/stats", get(|| async { axum::Json(catalogue()) }))
            .route(
                "/v1/stats/{name}",
                get(|Path(name): Path<String>| async move { axum::Json(result(&name)) }),
            );
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let slack = SlackApiStub::start().await.unwrap();
        let mut config = bot::Config::new("bench-secret", format!("http://{addr}"), "bench-token");
        config.digests = Arc::new(bot::digests::file::parse(DIGEST).unwrap());
        config.slack_bot_token = Some(bot::Secret::new("xoxb-bench"));
        config.slack_api_url = slack.url();
        (bot::startup::build(config).unwrap(), slack)
    });
    let digest = bot.features.digests.find("weekly").unwrap();
    let services = bot.state.services();
    // Posts to one channel are paced a second apart: each iteration posts to a channel of its
    // own, so that what is measured is the work, not the pace.
    let mut channels = (0u64..).map(|i| format!("C{i:010}"));
    let marker = Marker {
        digest: "weekly".into(),
        occurrence: occurrence_id(Utc::now()),
    };

    c.bench_function("render + post a 5-stat digest (loopback)", |b| {
        b.iter(|| {
            rt.block_on(async {
                let composed = runner::compose(services, &digest, Utc::now())
                    .await
                    .unwrap();
                assert!(composed.not_shown.is_empty(), "{:?}", composed.not_shown);
                let mut digest = (*digest).clone();
                digest.channel = channels.next().unwrap();
                let report = runner::post(&services.slack, &digest, &composed, &marker).await;
                assert_eq!(report, bot::digests::Report::Posted { calls: 1 });
            })
        })
    });
    let posted = &slack.taken()[0].body;
    assert_eq!(bot::slack::blocks::check(posted), Ok(()));
}

criterion_group!(benches, digest);
criterion_main!(benches);
