//! Who may ask, and the error every kind of bad request gets.

use crate::helpers::{OTHER_TOKEN, TOKEN, client, spawn_app};

#[tokio::test]
async fn stats_need_an_accepted_bearer_token() {
    let app = spawn_app().await;
    let url = format!("{}/v1/stats/members", app.address);
    let http = client();

    let none = http.get(&url).send().await.unwrap();
    assert_eq!(none.status(), 401);
    assert_eq!(none.headers()["www-authenticate"], "Bearer");
    let body: serde_json::Value = none.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");

    for header in [
        "Bearer wrong-token-0123456789abcdef".to_string(),
        format!("Bearer {TOKEN}x"),
        format!("Basic {TOKEN}"),
        TOKEN.to_string(),
    ] {
        let r = http
            .get(&url)
            .header("Authorization", &header)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{header}");
    }
    let list = http
        .get(format!("{}/v1/stats", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 401, "the catalogue needs a token too");

    for token in [TOKEN, OTHER_TOKEN] {
        let r = http.get(&url).bearer_auth(token).send().await.unwrap();
        assert_eq!(r.status(), 200);
    }
    let lower = http
        .get(&url)
        .header("Authorization", format!("bearer {TOKEN}"))
        .send()
        .await
        .unwrap();
    assert_eq!(lower.status(), 200);
}

#[tokio::test]
async fn health_readiness_and_the_description_need_no_token() {
    let app = spawn_app().await;
    let http = client();
    for (path, expected) in [("/healthz", "ok"), ("/readyz", "ready")] {
        let r = http
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["status"], expected);
    }
    let r = http
        .get(format!("{}/openapi.json", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn unknown_stats_and_routes_are_404_with_a_code() {
    let app = spawn_app().await;
    let (status, body) = app.get_json("/v1/stats/membres").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "unknown_stat");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("membres")
    );
    let (status, body) = app.get_json("/v2/anything").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");
}

#[tokio::test]
async fn bad_parameters_are_400_naming_the_parameter_and_why() {
    let app = spawn_app().await;
    let cases = [
        ("/v1/stats/signups?months=0", "months", "from 1 to 120"),
        ("/v1/stats/signups?months=121", "months", "from 1 to 120"),
        ("/v1/stats/signups?months=six", "months", "whole number"),
        (
            "/v1/stats/signups?months=2&months=3",
            "months",
            "more than once",
        ),
        ("/v1/stats/signups?weeks=2", "weeks", "it takes: months"),
        ("/v1/stats/members?limit=2", "limit", "takes no parameters"),
        ("/v1/stats/mentors?limit=51", "limit", "from 1 to 50"),
    ];
    for (path, parameter, why) in cases {
        let (status, body) = app.get_json(path).await;
        assert_eq!(status, 400, "{path}: {body}");
        assert_eq!(body["error"]["code"], "bad_parameter", "{path}");
        assert_eq!(body["error"]["parameter"], parameter, "{path}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains(why), "{path}: {message}");
    }
}
