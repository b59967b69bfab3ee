//! A Function URL event through lambda_http's own request conversion and the service's Router,
//! as on AWS: the path, query string and bearer token arrive the way Lambda delivers them.

use devkit::test_database::TestDatabase;
use http_body_util::BodyExt;
use lambda_http::request::LambdaRequest;
use service_kit::Secret;
use stats_api::{Settings, routes, startup};
use tower::ServiceExt;

const TOKEN: &str = "lambda-token-0123456789abcdef";

async fn invoke(db: &TestDatabase, token: &str) -> (u16, serde_json::Value) {
    let path = format!(
        "{}/tests/fixtures/function_url_get_signups.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let event = std::fs::read_to_string(path)
        .unwrap()
        .replace("REPLACED_AT_TEST_TIME", token);
    let request: LambdaRequest = serde_json::from_str(&event).unwrap();
    let request: lambda_http::Request = request.into();
    let state = startup::build_state(&Settings::new(db.url(), vec![Secret::new(TOKEN)]))
        .await
        .unwrap();
    let response = routes::router(state).oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&body).unwrap())
}

#[tokio::test]
async fn a_function_url_event_is_answered_like_a_local_request() {
    let db = TestDatabase::new().await;
    let (status, body) = invoke(&db, TOKEN).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["name"], "signups");
    assert_eq!(
        body["params"]["months"], 2,
        "the query string reached the stat"
    );
    assert_eq!(body["rows"].as_array().unwrap().len(), 2);

    let (status, body) = invoke(&db, "wrong-token-0123456789abcdef").await;
    assert_eq!(status, 401, "{body}");
}
