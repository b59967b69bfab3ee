//! Every error is the documented JSON with a documented code: bad paths, wrong methods, bodies,
//! and requests too long for the service.

use reqwest::Method;
use stats_contract::{ErrorBody, ErrorCode};

use crate::helpers::{TOKEN, client, spawn_app};

/// Reads an error answer, failing unless it is JSON with a code this crate knows.
async fn error_of(response: reqwest::Response) -> (u16, ErrorCode, reqwest::header::HeaderMap) {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    assert_eq!(
        headers
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string()),
        Some("application/json".to_string()),
        "{status}: {text}"
    );
    let body: ErrorBody = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert!(
        !matches!(body.error.code, ErrorCode::Other(_)),
        "undocumented code in {text}"
    );
    assert!(!body.error.message.is_empty(), "{text}");
    (status, body.error.code, headers)
}

#[tokio::test]
async fn paths_that_are_not_utf_8_are_unknown_stats() {
    let app = spawn_app().await;
    for path in ["/v1/stats/%ff", "/v1/stats/%C3%28", "/v1/stats/members%ff"] {
        let (status, code, _) = error_of(app.get(path).await).await;
        assert_eq!((status, code), (404, ErrorCode::UnknownStat), "{path}");
    }
    let (status, code, _) = error_of(app.get("/%ff").await).await;
    assert_eq!((status, code), (404, ErrorCode::NotFound));
}

#[tokio::test]
async fn other_methods_are_405_json_with_allow() {
    let app = spawn_app().await;
    let http = client();
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"] {
        for path in [
            "/v1/stats/members",
            "/v1/stats",
            "/healthz",
            "/openapi.json",
        ] {
            let response = http
                .request(
                    Method::from_bytes(method.as_bytes()).unwrap(),
                    format!("{}{path}", app.address),
                )
                .bearer_auth(TOKEN)
                .send()
                .await
                .unwrap();
            let (status, code, headers) = error_of(response).await;
            assert_eq!(
                (status, code),
                (405, ErrorCode::MethodNotAllowed),
                "{method} {path}"
            );
            let allow = headers["allow"].to_str().unwrap();
            assert!(allow.contains("GET"), "{method} {path}: {allow}");
        }
    }
}

#[tokio::test]
async fn a_request_body_is_refused_with_413() {
    let app = spawn_app().await;
    let http = client();
    for size in [10, 64 * 1024] {
        let response = http
            .get(format!("{}/v1/stats/members", app.address))
            .bearer_auth(TOKEN)
            .body(vec![b'x'; size])
            .send()
            .await
            .unwrap();
        let (status, code, _) = error_of(response).await;
        assert_eq!((status, code), (413, ErrorCode::PayloadTooLarge), "{size}");
    }
    let empty = http
        .get(format!("{}/v1/stats/members", app.address))
        .bearer_auth(TOKEN)
        .header("content-length", "0")
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 200, "an empty body is no body");
}

#[tokio::test]
async fn long_uris_are_414_and_large_headers_431() {
    let app = spawn_app().await;
    let http = client();
    let long = "a".repeat(20 * 1024);
    for path in [
        format!("/v1/stats/members?x={long}"),
        format!("/healthz?x={long}"),
        format!("/{long}"),
    ] {
        let (status, code, _) = error_of(app.get(&path).await).await;
        assert_eq!(
            (status, code),
            (414, ErrorCode::UriTooLong),
            "{}",
            &path[..20]
        );
    }
    // Just under the limit the request is read, and answered on its merits.
    let near = format!("/v1/stats/members?x={}", "a".repeat(8_000));
    let (status, code, _) = error_of(app.get(&near).await).await;
    assert_eq!((status, code), (400, ErrorCode::BadParameter));

    let response = http
        .get(format!("{}/v1/stats/members", app.address))
        .bearer_auth(TOKEN)
        .header("x-filler", "b".repeat(20 * 1024))
        .send()
        .await
        .unwrap();
    let (status, code, _) = error_of(response).await;
    assert_eq!((status, code), (431, ErrorCode::HeadersTooLarge));
    let response = http
        .get(format!("{}/healthz", app.address))
        .header("x-filler", "b".repeat(8 * 1024))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "8 KiB of headers is fine");

    // Many small headers: past hyper's default of 100, answered by the service, not hyper.
    let mut many = http.get(format!("{}/healthz", app.address));
    for i in 0..150 {
        many = many.header(format!("x-h{i}"), "1");
    }
    let (status, code, _) = error_of(many.send().await.unwrap()).await;
    assert_eq!((status, code), (431, ErrorCode::HeadersTooLarge));
}
