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
            "members",
            serde_json::json!({}),
        ),
        (
            "who invited the most members",
            "mentors",
            serde_json::json!({}),
        ),
        (
            "signups over the last 6 months",
            "signups 6",
            serde_json::json!({ "months": "6" }),
        ),
        (
            "new people this week",
            "growth 7",
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
