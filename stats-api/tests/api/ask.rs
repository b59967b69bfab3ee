//! `GET /v1/ask` over HTTP on the real app (shipped catalogue, its own database).

use serde_json::Value;

use crate::helpers::spawn_app;

fn q(words: &str) -> String {
    format!("/v1/ask?q={}", words.replace(' ', "+").replace('\'', "%27"))
}

#[tokio::test]
async fn questions_are_read_as_stats_with_their_parameters() {
    let app = spawn_app().await;
    for (words, invocation, params) in [
        (
            "how many people do we have",
            "/stats members",
            serde_json::json!({}),
        ),
        (
            "who invited the most members",
            "/stats mentors",
            serde_json::json!({}),
        ),
        (
            "signups over the last 6 months",
            "/stats signups 6",
            serde_json::json!({ "months": "6" }),
        ),
        (
            "new people this week",
            "/stats growth 7",
            serde_json::json!({ "days": "7" }),
        ),
    ] {
        let (status, body) = app.get_json(&q(words)).await;
        assert_eq!(status, 200, "{words}: {body}");
        assert_eq!(body["query"], words);
        assert_eq!(body["confident"], true, "{words}: {body}");
        assert_eq!(
            body["matches"][0]["invocation"], invocation,
            "{words}: {body}"
        );
        assert_eq!(body["matches"][0]["params"], params, "{words}: {body}");
        // The invocation runs as the API's own request would.
        let stat = body["matches"][0]["stat"].as_str().unwrap();
        let query: Vec<String> = params
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}={}", v.as_str().unwrap()))
            .collect();
        let (status, _) = app
            .get_json(&format!("/v1/stats/{stat}?{}", query.join("&")))
            .await;
        assert_eq!(status, 200, "{stat}");
    }
    let (status, body) = app.get_json(&q("what's the weather")).await;
    assert_eq!(status, 200);
    assert_eq!(body["confident"], false);
    assert_eq!(body["matches"], Value::Array(vec![]));
}

#[tokio::test]
async fn empty_long_or_odd_questions_get_a_400_never_a_500() {
    let app = spawn_app().await;
    for path in [
        "/v1/ask",
        "/v1/ask?q=",
        "/v1/ask?q=+++",
        &q(&"members ".repeat(40)),
    ] {
        let (status, body) = app.get_json(path).await;
        assert_eq!(status, 400, "{path}: {body}");
        assert_eq!(body["error"]["code"], "bad_question", "{path}");
    }
    for odd in [
        "%ff%fe",
        "'; DROP TABLE users; --",
        "%00%01",
        "🙂🙂",
        "since 9999-12-31",
        "top 99999999999 mentors",
    ] {
        let response = app.get(&format!("/v1/ask?q={odd}")).await;
        assert!(response.status().as_u16() < 500, "{odd}");
    }
    let unauthorized = app
        .client
        .get(format!("{}/v1/ask?q=members", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthorized.status(), 401);
}

#[tokio::test]
async fn a_reloaded_catalogue_is_asked_at_once() {
    let db = crate::helpers::TestDatabase::new().await;
    let app = stats_api::Application::build(crate::helpers::settings(&db.url()))
        .await
        .unwrap();
    let address = format!("http://{}", app.local_addr());
    let state = app.state();
    tokio::spawn(app.run_until_stopped());
    let http = crate::helpers::client();
    let ask = |words: &str| {
        let request = http
            .get(format!("{address}{}", q(words)))
            .bearer_auth(crate::helpers::TOKEN);
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let before = ask("how many members were active this week").await;
    assert_ne!(before["matches"][0]["stat"], "active", "{before}");

    let active = r#"
[[stats]]
name = "active"
title = "Active members"
description = "Members who logged in during the last N days."
display = "figures"
examples = ["who was around lately"]
sql = "SELECT COUNT(*) AS n FROM users WHERE deleted_at IS NULL AND updated_at >= NOW() - INTERVAL :days DAY"
[[stats.params]]
name = "days"
type = "integer"
default = 30
min = 1
max = 365
"#;
    let text = format!("{}\n{active}", stats_api::catalogue::DEFAULT_CATALOGUE);
    state
        .reload(&text)
        .await
        .expect("the edited catalogue holds");
    let after = ask("how many members were active this week").await;
    assert_eq!(
        after["matches"][0]["invocation"], "/stats active 7",
        "{after}"
    );
    let example = ask("who was around lately").await;
    assert_eq!(example["matches"][0]["stat"], "active", "{example}");
}

/// Issue 23: one word of 40 letters or more panicked the matcher (its typo completion sliced
/// past the longest word it knows), dropping the connection.
#[tokio::test]
async fn a_sixty_letter_word_is_answered_and_the_service_goes_on() {
    let app = spawn_app().await;
    for question in [
        "q".repeat(60),
        format!("how many {} joined", "m".repeat(40)),
        format!("members{}", "s".repeat(60)),
    ] {
        let (status, body) = app.get_json(&q(&question)).await;
        assert_eq!(status, 200, "{question}: {body}");
        assert_eq!(body["query"], question.as_str());
    }
    let (status, body) = app.get_json(&q("how many members")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["matches"][0]["stat"], "members", "{body}");
}
